/* docket-server-backup.c: a consistent copy of a data folder while the server runs,
 * and putting one back (docket-server-backup.h)
 */
#include "config.h"

#include <errno.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "docket-server-backup.h"
#include "docket-server-blobs.h"
#include "docket-server-db.h"

#define DB_NAME "docket-server.db"

/* How long a backup waits for the source's read lock, in tries of BUSY_WAIT_MS. */
#define BUSY_TRIES   100
#define BUSY_WAIT_MS 100

static gboolean
set_sqlite_error (GError     **error,
                  sqlite3     *handle,
                  const char  *path)
{
  g_set_error (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_INTERNAL,
               /* Translators: a file, then SQLite's own message in English */
               _("Cannot copy the database to %s: %s"), path,
               handle != NULL ? sqlite3_errmsg (handle) : "out of memory");
  return FALSE;
}

/* message_format's sentence, then the system's reason. */
static gboolean set_errno_error (GError     **error,
                                 int          saved_errno,
                                 const char  *message_format,
                                 ...) G_GNUC_PRINTF (3, 4);

static gboolean
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *message_format,
                 ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, message_format);
  message = g_strdup_vprintf (message_format, args);
  va_end (args);
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
               "%s: %s", message, g_strerror (saved_errno));
  return FALSE;
}

/* A database file and the files SQLite keeps beside it. */
static gboolean
remove_database_files (const char  *path,
                       GError     **error)
{
  static const char * const suffixes[] = { "", "-journal", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      if (g_unlink (file) != 0 && errno != ENOENT)
        return set_errno_error (error, errno, _("Cannot remove %s"), file);
    }
  return TRUE;
}

/* The blobs a database refers to. */
static GPtrArray *
list_referenced_blobs (sqlite3     *handle,
                       const char  *path,
                       GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GPtrArray *shas;

  /* The command line's words for the failure, with SQLite's (set_sqlite_error). */
  stmt = docket_sqlite_prepare (handle, "SELECT DISTINCT sha256 FROM documents", NULL);
  shas = docket_sqlite_collect_rows (stmt, docket_sqlite_read_text, NULL, g_free, NULL);
  if (shas == NULL)
    set_sqlite_error (error, handle, path);
  return shas;
}

/* Copies the whole of source into a new database at partial_path, in one step: one
 * read transaction of the source, so one state of it, while its writers go on (WAL).
 * The copy carries the backup mark, and is in rollback-journal mode: one file. Returns
 * the blobs it refers to. */
static GPtrArray *
copy_database (sqlite3     *source,
               const char  *partial_path,
               GError     **error)
{
  sqlite3 *dest = NULL;
  sqlite3_backup *backup;
  g_autoptr(GPtrArray) shas = NULL;
  int rc = SQLITE_BUSY;

  if (!remove_database_files (partial_path, error))
    return NULL;
  if (sqlite3_open_v2 (partial_path, &dest,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK)
    goto fail;

  backup = sqlite3_backup_init (dest, "main", source, "main");
  if (backup == NULL)
    goto fail;
  /* BUSY or LOCKED: a writer holds what the copy needs for a moment; wait for it. */
  for (guint i = 0; i < BUSY_TRIES; i++)
    {
      rc = sqlite3_backup_step (backup, -1);
      if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
        break;
      sqlite3_sleep (BUSY_WAIT_MS);
    }
  sqlite3_backup_finish (backup);
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_INTERNAL,
                   _("Cannot copy the database to %s: %s"), partial_path, sqlite3_errstr (rc));
      sqlite3_close (dest);
      return NULL;
    }

  if (sqlite3_exec (dest,
                    "PRAGMA journal_mode = DELETE;"
                    "PRAGMA synchronous = FULL;"
                    "INSERT OR REPLACE INTO meta (key, value) VALUES"
                    " ('" DOCKET_SERVER_DB_BACKUP_MARK "', strftime ('%Y-%m-%dT%H:%M:%SZ', 'now'));",
                    NULL, NULL, NULL) != SQLITE_OK)
    goto fail;
  shas = list_referenced_blobs (dest, partial_path, error);
  if (shas == NULL)
    {
      sqlite3_close (dest);
      return NULL;
    }
  if (sqlite3_close (dest) != SQLITE_OK)
    {
      g_set_error (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_INTERNAL,
                   _("Cannot copy the database to %s: %s"), partial_path, "close");
      return NULL;
    }
  return g_steal_pointer (&shas);

fail:
  set_sqlite_error (error, dest, partial_path);
  sqlite3_close (dest);
  return NULL;
}

/* A blob's file from one blob folder to the other: a hard link, or a copy written to a
 * temporary file and renamed (never half a file under a blob's name). */
static gboolean
copy_blob (DocketServerBlobs         *from,
           DocketServerBlobs         *to,
           const char                *sha256,
           gboolean                   may_link,
           DocketServerBackupResult  *result,
           GError                   **error)
{
  g_autofree char *source = docket_server_blobs_dup_path (from, sha256, error);
  g_autofree char *target = NULL;
  g_autofree char *folder = NULL;
  g_autoptr(GMappedFile) mapped = NULL;
  GError *local_error = NULL;

  if (source == NULL || (target = docket_server_blobs_dup_path (to, sha256, error)) == NULL)
    return FALSE;
  result->n_blobs++;
  if (g_file_test (target, G_FILE_TEST_IS_REGULAR))
    return TRUE;     /* the same name is the same bytes */

  folder = g_path_get_dirname (target);
  if (g_mkdir_with_parents (folder, 0700) != 0)
    return set_errno_error (error, errno, _("Cannot create the folder %s"), folder);
  if (may_link && link (source, target) == 0)
    {
      result->n_linked++;
      return TRUE;
    }
  if (!may_link ? !g_file_test (source, G_FILE_TEST_IS_REGULAR) : errno == ENOENT)
    {
      /* The database refers to it, so it was there: it went during the copy (garbage
       * collection of a document deleted meanwhile). Better no backup than a hole. */
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                   _("The document content %s is missing: run the backup again"), source);
      return FALSE;
    }

  /* Another file system (EXDEV), or one without hard links: copy. */
  mapped = g_mapped_file_new (source, FALSE, &local_error);
  if (mapped == NULL ||
      !g_file_set_contents_full (target, g_mapped_file_get_contents (mapped),
                                 (gssize) g_mapped_file_get_length (mapped),
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &local_error))
    {
      g_propagate_prefixed_error (error, local_error, _("Cannot copy a document content: "));
      return FALSE;
    }
  result->n_copied++;
  return TRUE;
}

static gboolean
copy_blobs (const char                *from_dir,
            const char                *to_dir,
            GPtrArray                 *shas,
            gboolean                   may_link,
            DocketServerBackupResult  *result,
            GError                   **error)
{
  g_autofree char *from_path = g_build_filename (from_dir, "blobs", NULL);
  g_autofree char *to_path = g_build_filename (to_dir, "blobs", NULL);
  g_autoptr(DocketServerBlobs) from = docket_server_blobs_new (from_path, error);
  g_autoptr(DocketServerBlobs) to = NULL;

  if (from == NULL || (to = docket_server_blobs_new (to_path, error)) == NULL)
    return FALSE;
  for (guint i = 0; i < shas->len; i++)
    if (!copy_blob (from, to, g_ptr_array_index (shas, i), may_link, result, error))
      return FALSE;
  return TRUE;
}

/* The copy at partial_path becomes the database at path. */
static gboolean
put_database_in_place (const char  *partial_path,
                       const char  *path,
                       GError     **error)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  /* The log of the database it replaces would be replayed onto the copy. */
  if ((g_unlink (wal) != 0 && errno != ENOENT) || (g_unlink (shm) != 0 && errno != ENOENT))
    return set_errno_error (error, errno, _("Cannot remove the old database's log beside %s"), path);
  if (g_rename (partial_path, path) != 0)
    return set_errno_error (error, errno, _("Cannot put the database in place at %s"), path);
  return TRUE;
}

static gboolean
folder_is_new (const char  *dir,
               GError     **error)
{
  g_autofree char *db_path = g_build_filename (dir, DB_NAME, NULL);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    return set_errno_error (error, errno, _("Cannot create the folder %s"), dir);
  if (g_file_test (db_path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_EXIST,
                   _("%s holds a database already: give a new folder for the backup"), dir);
      return FALSE;
    }
  return TRUE;
}

gboolean
docket_server_backup (const char                *data_dir,
                      const char                *dest_dir,
                      DocketServerBackupFlags    flags,
                      DocketServerBackupResult  *out_result,
                      GError                   **error)
{
  g_autofree char *db_path = g_build_filename (data_dir, DB_NAME, NULL);
  g_autofree char *dest_path = g_build_filename (dest_dir, DB_NAME, NULL);
  g_autofree char *partial_path = g_strconcat (dest_path, ".partial", NULL);
  g_autoptr(GPtrArray) shas = NULL;
  DocketServerBackupResult result = { 0 };
  sqlite3 *source = NULL;

  if (!g_file_test (db_path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                   _("%s has no database to back up"), data_dir);
      return FALSE;
    }
  if (!folder_is_new (dest_dir, error))
    return FALSE;

  /* Read-only: a backup never changes what it copies (not even an upgrade of its
   * schema by a newer binary than the running server). */
  if (sqlite3_open_v2 (db_path, &source, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      set_sqlite_error (error, source, db_path);
      sqlite3_close (source);
      return FALSE;
    }
  sqlite3_busy_timeout (source, 5000);
  shas = copy_database (source, partial_path, error);
  sqlite3_close (source);
  if (shas == NULL ||
      !copy_blobs (data_dir, dest_dir, shas, !(flags & DOCKET_SERVER_BACKUP_COPY_ONLY), &result, error) ||
      !put_database_in_place (partial_path, dest_path, error))
    {
      remove_database_files (partial_path, NULL);
      return FALSE;
    }
  if (out_result != NULL)
    *out_result = result;
  return TRUE;
}

/* Whether another process has the database at path open: a connection to a WAL
 * database holds a shared lock on it for as long as it is open, so leaving WAL mode
 * needs all of them gone. The database is about to be replaced: leaving WAL mode (which
 * checkpoints it) costs nothing. */
static gboolean
check_not_in_use (const char  *path,
                  GError     **error)
{
  sqlite3 *handle = NULL;
  int rc;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;
  rc = sqlite3_open_v2 (path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_busy_timeout (handle, 1000);
      rc = sqlite3_exec (handle, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL);
    }
  sqlite3_close (handle);
  if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                   _("%s is in use (is the server running?): stop the server, then restore"), path);
      return FALSE;
    }
  /* Anything else (not a database, damaged): it is replaced all the same. */
  return TRUE;
}

gboolean
docket_server_restore (const char                *backup_dir,
                       const char                *data_dir,
                       DocketServerBackupResult  *out_result,
                       GError                   **error)
{
  g_autofree char *backup_path = g_build_filename (backup_dir, DB_NAME, NULL);
  g_autofree char *db_path = g_build_filename (data_dir, DB_NAME, NULL);
  g_autofree char *partial_path = g_strconcat (db_path, ".restoring", NULL);
  g_autoptr(GPtrArray) shas = NULL;
  g_autoptr(DocketServerDb) db = NULL;
  DocketServerBackupResult result = { 0 };
  sqlite3 *source = NULL;
  int version;

  if (!g_file_test (backup_path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                   _("%s holds no backup (no %s in it)"), backup_dir, DB_NAME);
      return FALSE;
    }
  if (!docket_server_db_check_file (backup_path, &version, error) ||
      !check_not_in_use (db_path, error))
    return FALSE;
  if (g_mkdir_with_parents (data_dir, 0700) != 0)
    return set_errno_error (error, errno, _("Cannot create the folder %s"), data_dir);

  /* Read-only: the backup stays as it is, to be restored again. A backup made some
   * other way (SQLite's .backup) gets the mark in the copy, so that any restore done
   * with this command gives a new epoch. */
  if (sqlite3_open_v2 (backup_path, &source, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      set_sqlite_error (error, source, backup_path);
      sqlite3_close (source);
      return FALSE;
    }
  shas = copy_database (source, partial_path, error);
  sqlite3_close (source);
  if (shas == NULL ||
      !copy_blobs (backup_dir, data_dir, shas, TRUE, &result, error) ||
      !put_database_in_place (partial_path, db_path, error))
    {
      remove_database_files (partial_path, NULL);
      return FALSE;
    }

  /* Opening it now upgrades it if it is older and gives it its new epoch. */
  db = docket_server_db_open (db_path, error);
  if (db == NULL)
    return FALSE;
  if (out_result != NULL)
    *out_result = result;
  return TRUE;
}
