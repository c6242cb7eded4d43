/* docket-server-db.c: opening the database, its schema, transactions, users, tokens,
 * visibility and reading records
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#include <sodium.h>

#include "docket-server-db.h"

struct _DocketServerDb
{
  GObject  parent_instance;

  sqlite3 *handle;
  char    *epoch;     /* of the change feed's history: read once, at open */
};

G_DEFINE_TYPE (DocketServerDb, docket_server_db, G_TYPE_OBJECT)

G_DEFINE_QUARK (docket-server-error-quark, docket_server_error)

/* Migration 1: the schema of the servers before versioned migrations (up to December
 * 2026), which set no user_version. IF NOT EXISTS everywhere, so that running it on a
 * database of those servers changes nothing: that is how such a database is recognised
 * as version 1. */
static const char schema_v1_sql[] =
  "CREATE TABLE IF NOT EXISTS meta ("
  "  key TEXT PRIMARY KEY, value TEXT NOT NULL);"
  "CREATE TABLE IF NOT EXISTS sequence ("
  "  id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL);"
  "INSERT OR IGNORE INTO sequence (id, value) VALUES (1, 0);"
  "CREATE TABLE IF NOT EXISTS users ("
  "  id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE,"
  "  display_name TEXT NOT NULL, role TEXT NOT NULL, organ TEXT NOT NULL DEFAULT '',"
  "  password_hash TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0);"
  "CREATE TABLE IF NOT EXISTS tokens ("
  "  hash TEXT PRIMARY KEY,"
  "  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
  "  expires_at INTEGER NOT NULL);"
  "CREATE TABLE IF NOT EXISTS meetings ("
  "  id TEXT PRIMARY KEY, title TEXT NOT NULL, organ TEXT NOT NULL,"
  "  starts_at TEXT NOT NULL, ends_at TEXT NOT NULL, time_zone TEXT NOT NULL,"
  "  location TEXT NOT NULL DEFAULT '', status TEXT NOT NULL, version INTEGER NOT NULL);"
  "CREATE TABLE IF NOT EXISTS participants ("
  "  meeting_id TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,"
  "  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
  "  PRIMARY KEY (meeting_id, user_id));"
  "CREATE TABLE IF NOT EXISTS items ("
  "  id TEXT PRIMARY KEY,"
  "  meeting_id TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,"
  "  parent_id TEXT REFERENCES items (id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL, number TEXT NOT NULL DEFAULT '', title TEXT NOT NULL,"
  "  presenter TEXT NOT NULL DEFAULT '', description TEXT NOT NULL DEFAULT '',"
  "  version INTEGER NOT NULL);"
  "CREATE INDEX IF NOT EXISTS items_meeting ON items (meeting_id);"
  "CREATE TABLE IF NOT EXISTS documents ("
  "  id TEXT PRIMARY KEY,"
  "  meeting_id TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,"
  "  item_id TEXT NOT NULL REFERENCES items (id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL, title TEXT NOT NULL, media_type TEXT NOT NULL,"
  "  sha256 TEXT NOT NULL, size INTEGER NOT NULL, pages INTEGER NOT NULL,"
  "  version INTEGER NOT NULL);"
  "CREATE INDEX IF NOT EXISTS documents_meeting ON documents (meeting_id);"
  /* Garbage collection asks, for each blob, whether a document still refers to it. */
  "CREATE INDEX IF NOT EXISTS documents_sha256 ON documents (sha256);"
  /* Deletions of items and documents, for the feed. */
  "CREATE TABLE IF NOT EXISTS tombstones ("
  "  seq INTEGER NOT NULL, type TEXT NOT NULL, id TEXT NOT NULL,"
  "  meeting_id TEXT NOT NULL);"
  "CREATE INDEX IF NOT EXISTS tombstones_seq ON tombstones (seq);"
  /* Changes of who sees a meeting, for the feed. */
  "CREATE TABLE IF NOT EXISTS access ("
  "  seq INTEGER NOT NULL, user_id INTEGER NOT NULL, meeting_id TEXT NOT NULL,"
  "  visible INTEGER NOT NULL);"
  "CREATE INDEX IF NOT EXISTS access_user ON access (user_id, seq);"
  /* The officials' own data (docket-server-annotations.c). */
  "CREATE TABLE IF NOT EXISTS annotations ("
  "  id TEXT PRIMARY KEY,"
  "  owner_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
  "  meeting_id TEXT NOT NULL, document_id TEXT NOT NULL,"
  "  page INTEGER NOT NULL, kind TEXT NOT NULL, color TEXT NOT NULL,"
  "  geometry TEXT NOT NULL, contents TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
  "  revision INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0);"
  "CREATE INDEX IF NOT EXISTS annotations_owner ON annotations (owner_id, revision);"
  "CREATE INDEX IF NOT EXISTS annotations_owner_meeting ON annotations (owner_id, meeting_id);"
  "CREATE TABLE IF NOT EXISTS notes ("
  "  owner_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
  "  target TEXT NOT NULL, target_id TEXT NOT NULL, meeting_id TEXT NOT NULL,"
  "  text TEXT NOT NULL, updated_at INTEGER NOT NULL, revision INTEGER NOT NULL,"
  "  PRIMARY KEY (owner_id, target, target_id));"
  "CREATE INDEX IF NOT EXISTS notes_owner ON notes (owner_id, revision);"
  "CREATE INDEX IF NOT EXISTS notes_owner_meeting ON notes (owner_id, meeting_id);"
  /* Answers already given, by operation: request is "METHOD PATH", so that an op_id
   * used again for something else is told apart. */
  "CREATE TABLE IF NOT EXISTS ops ("
  "  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
  "  op_id TEXT NOT NULL, request TEXT NOT NULL,"
  "  status INTEGER NOT NULL, answer TEXT NOT NULL, created_at INTEGER NOT NULL,"
  "  PRIMARY KEY (user_id, op_id));"
  /* Garbage collection forgets the answers older than its retention window. */
  "CREATE INDEX IF NOT EXISTS ops_created ON ops (created_at);";

/* The change feed's indexes (docket-server-feed.c), kept apart from the tables: a
 * request reads only the rows numbered after its cursor, so that an unchanged sync costs
 * the same whatever the archive holds. (tombstones_seq, access_user, annotations_owner
 * and notes_owner serve it too.) */
static const char feed_indexes_sql[] =
  "CREATE INDEX IF NOT EXISTS meetings_version ON meetings (version);"
  "CREATE INDEX IF NOT EXISTS items_version ON items (version);"
  "CREATE INDEX IF NOT EXISTS documents_version ON documents (version);"
  /* A meeting that becomes visible comes whole: docket_server_db_load_items walks its
   * tree from parents to sub-items. */
  "CREATE INDEX IF NOT EXISTS items_parent ON items (parent_id);";

void
docket_server_user_free (DocketServerUser *user)
{
  if (user == NULL)
    return;
  g_free (user->username);
  g_free (user->display_name);
  g_free (user->organ);
  g_free (user->password_hash);
  g_free (user);
}

void
docket_server_meeting_fields_clear (DocketServerMeetingFields *fields)
{
  g_clear_pointer (&fields->title, g_free);
  g_clear_pointer (&fields->organ, g_free);
  g_clear_pointer (&fields->starts_at, g_date_time_unref);
  g_clear_pointer (&fields->ends_at, g_date_time_unref);
  g_clear_pointer (&fields->time_zone, g_free);
  g_clear_pointer (&fields->location, g_free);
}

void
docket_server_item_fields_clear (DocketServerItemFields *fields)
{
  g_clear_pointer (&fields->title, g_free);
  g_clear_pointer (&fields->number, g_free);
  g_clear_pointer (&fields->presenter, g_free);
  g_clear_pointer (&fields->description, g_free);
  g_clear_pointer (&fields->parent_id, g_free);
}

void
docket_server_document_fields_clear (DocketServerDocumentFields *fields)
{
  g_clear_pointer (&fields->title, g_free);
}

static void
docket_server_db_finalize (GObject *object)
{
  DocketServerDb *self = DOCKET_SERVER_DB (object);

  g_clear_pointer (&self->handle, sqlite3_close);
  g_clear_pointer (&self->epoch, g_free);

  G_OBJECT_CLASS (docket_server_db_parent_class)->finalize (object);
}

static void
docket_server_db_class_init (DocketServerDbClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = docket_server_db_finalize;
}

static void
docket_server_db_init (DocketServerDb *self)
{
}

static gboolean
set_sqlite_error (DocketServerDb  *self,
                  GError         **error)
{
  g_set_error (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_INTERNAL,
               "SQLite: %s", sqlite3_errmsg (self->handle));
  return FALSE;
}

static gboolean
set_not_found (GError **error)
{
  g_set_error_literal (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_NOT_FOUND,
                       _("No such thing, or you may not see it"));
  return FALSE;
}

gboolean
docket_server_db_exec (DocketServerDb  *self,
                       const char      *sql,
                       GError         **error)
{
  char *message = NULL;

  if (sqlite3_exec (self->handle, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_INTERNAL,
                   "SQLite: %s", message ? message : "unknown error");
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

sqlite3_stmt *
docket_server_db_prepare (DocketServerDb  *self,
                          const char      *sql,
                          GError         **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->handle, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (self, error);
      return NULL;
    }
  return stmt;
}

gboolean
docket_server_db_step_done (DocketServerDb  *self,
                            sqlite3_stmt    *stmt,
                            GError         **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return set_sqlite_error (self, error);
  return TRUE;
}

sqlite3_stmt *
docket_server_db_prepare_bound (DocketServerDb             *self,
                                const char                 *sql,
                                const DocketServerDbValue  *values,
                                guint                       n_values,
                                GError                    **error)
{
  sqlite3_stmt *stmt = docket_server_db_prepare (self, sql, error);

  if (stmt == NULL)
    return NULL;
  for (guint i = 0; i < n_values; i++)
    {
      if (values[i].is_number)
        sqlite3_bind_int64 (stmt, (int) i + 1, values[i].number);
      else
        sqlite3_bind_text (stmt, (int) i + 1, values[i].text, -1, SQLITE_STATIC);
    }
  return stmt;
}

gboolean
docket_server_db_run_bound (DocketServerDb             *self,
                            const char                 *sql,
                            const DocketServerDbValue  *values,
                            guint                       n_values,
                            GError                    **error)
{
  g_autoptr(sqlite3_stmt) stmt = docket_server_db_prepare_bound (self, sql, values, n_values, error);

  return stmt != NULL && docket_server_db_step_done (self, stmt, error);
}

gboolean
docket_server_db_each_row (DocketServerDb         *self,
                           sqlite3_stmt           *stmt,
                           DocketServerDbRowFunc   func,
                           gpointer                user_data,
                           GError                **error)
{
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (!func (stmt, user_data, error))
      return FALSE;
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self, error);
  return TRUE;
}

/* Reads one row of a statement into a new record (or NULL with error). */
typedef gpointer (*RowReader) (sqlite3_stmt  *stmt,
                               GError       **error);

/* The first row stmt yields, read by read. No row is an error of not_found_code with
 * not_found_message, or the usual NOT_FOUND when that is NULL. stmt may be NULL (the
 * prepare failed and set error). */
static gpointer
read_row_or (DocketServerDb  *self,
             sqlite3_stmt    *stmt,
             RowReader        read,
             int              not_found_code,
             const char      *not_found_message,
             GError         **error)
{
  int rc;

  if (stmt == NULL)
    return NULL;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return read (stmt, error);
  if (rc != SQLITE_DONE)
    set_sqlite_error (self, error);
  else if (not_found_message == NULL)
    set_not_found (error);
  else
    g_set_error_literal (error, DOCKET_SERVER_ERROR, not_found_code, not_found_message);
  return NULL;
}

static gpointer
read_row (DocketServerDb  *self,
          sqlite3_stmt    *stmt,
          RowReader        read,
          GError         **error)
{
  return read_row_or (self, stmt, read, DOCKET_SERVER_ERROR_NOT_FOUND, NULL, error);
}

typedef struct {
  RowReader  read;
  GPtrArray *rows;
} ReadRows;

static gboolean
read_one_of_rows (sqlite3_stmt  *stmt,
                  gpointer       user_data,
                  GError       **error)
{
  ReadRows *read_rows = user_data;
  gpointer row = read_rows->read (stmt, error);

  if (row == NULL)
    return FALSE;
  g_ptr_array_add (read_rows->rows, row);
  return TRUE;
}

/* Every row stmt yields, read by read, in an array that frees them with free_func. */
static GPtrArray *
read_rows (DocketServerDb  *self,
           sqlite3_stmt    *stmt,
           RowReader        read,
           GDestroyNotify   free_func,
           GError         **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (free_func);
  ReadRows data = { read, rows };

  if (!docket_server_db_each_row (self, stmt, read_one_of_rows, &data, error))
    return NULL;
  return g_steal_pointer (&rows);
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

/* A row reader for queries of one text column. */
static gpointer
text_from_row (sqlite3_stmt  *stmt,
               GError       **error)
{
  return column_dup (stmt, 0);
}

gboolean
docket_server_db_begin (DocketServerDb  *self,
                        GError         **error)
{
  /* IMMEDIATE: take the write lock now, so that the command line and the server never
   * deadlock upgrading a read transaction. */
  return docket_server_db_exec (self, "BEGIN IMMEDIATE", error);
}

gboolean
docket_server_db_commit (DocketServerDb  *self,
                         GError         **error)
{
  return docket_server_db_exec (self, "COMMIT", error);
}

void
docket_server_db_rollback (DocketServerDb *self)
{
  if (!sqlite3_get_autocommit (self->handle))
    sqlite3_exec (self->handle, "ROLLBACK", NULL, NULL, NULL);
}

/* Schema and migrations
 *
 * As in the client's cache (app/store/docket-store.c): the schema is an ordered list of
 * steps, and step N brings a database from PRAGMA user_version N-1 to N, in one
 * transaction together with the new user_version. To change the schema, append a step
 * to migrations[] and raise DOCKET_SERVER_DB_SCHEMA_VERSION; never edit a step that has
 * shipped (docs/architecture.md, "The server's database"). A database of a newer server
 * is refused before anything is written to it. */

typedef gboolean (*MigrationFunc) (DocketServerDb  *self,
                                   GError         **error);

typedef struct {
  const char    *sql;
  MigrationFunc  func;      /* for what SQL alone cannot say; after sql */
} Migration;

static const Migration migrations[] = {
  /* 1: users, tokens, meetings, items, documents, the feed's bookkeeping, and the
   * officials' annotations, notes and answered operations */
  { schema_v1_sql, NULL },
  /* 2: the epoch of the change feed's history, in every cursor (docket-server-feed.c):
   * replaced by a new one when a backup is restored, so that no cursor of the history
   * that went on after the backup is taken for one of the restored history. */
  { "INSERT OR IGNORE INTO meta (key, value) VALUES ('epoch', lower (hex (randomblob (8))));", NULL },
  /* 3: the change feed's indexes (docket-server-feed.c) */
  { feed_indexes_sql, NULL },
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == DOCKET_SERVER_DB_SCHEMA_VERSION);

/* The one-number answer of sql (a PRAGMA, a count). */
static gboolean
query_int (sqlite3     *handle,
           const char  *sql,
           int         *out_value)
{
  sqlite3_stmt *stmt = NULL;
  gboolean ok;

  if (sqlite3_prepare_v2 (handle, sql, -1, &stmt, NULL) != SQLITE_OK)
    return FALSE;
  ok = sqlite3_step (stmt) == SQLITE_ROW;
  if (ok)
    *out_value = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return ok;
}

gboolean
docket_server_db_check_file (const char  *path,
                             int         *out_version,
                             GError     **error)
{
  sqlite3 *handle = NULL;
  int version = 0;
  int n_objects = 0;
  int has_sequence = 0;
  gboolean ok;

  *out_version = 0;
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;

  /* Read-only, and closed before anything else opens it: closing the last read-write
   * connection of a WAL database would checkpoint it, which is a write. */
  if (sqlite3_open_v2 (path, &handle, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      g_set_error (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_INTERNAL,
                   _("Cannot open the database %s: %s"), path,
                   handle ? sqlite3_errmsg (handle) : "out of memory");
      sqlite3_close (handle);
      return FALSE;
    }
  sqlite3_busy_timeout (handle, 5000);
  ok = query_int (handle, "PRAGMA user_version", &version) &&
       query_int (handle, "SELECT count(*) FROM sqlite_master", &n_objects) &&
       query_int (handle, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                          " AND name = 'sequence'", &has_sequence);
  sqlite3_close (handle);

  if (!ok)
    {
      g_set_error (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_INTERNAL,
                   _("The file %s is not a Docket server database, or it is damaged"), path);
      return FALSE;
    }
  if (version > DOCKET_SERVER_DB_SCHEMA_VERSION)
    {
      g_set_error (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_INTERNAL,
                   _("The database %s was written by a newer docket-server (schema %d; this "
                     "one knows up to %d). It was left as it is: run the newer server, or "
                     "restore a backup made by this version."),
                   path, version, DOCKET_SERVER_DB_SCHEMA_VERSION);
      return FALSE;
    }
  /* Before user_version, our databases always had the sequence table. */
  if (version == 0 && n_objects > 0 && !has_sequence)
    {
      g_set_error (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_INTERNAL,
                   _("The file %s is not a Docket server database"), path);
      return FALSE;
    }
  *out_version = version;
  return TRUE;
}

static gboolean
apply_migration (DocketServerDb  *self,
                 int              version,
                 GError         **error)
{
  const Migration *step = &migrations[version - 1];
  g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %d", version);
  int current = 0;

  if (!docket_server_db_begin (self, error))
    goto fail;
  /* The server and the command line may open the database at the same time: the
   * first one does the step, the other finds it done. */
  if (!query_int (self->handle, "PRAGMA user_version", &current))
    {
      set_sqlite_error (self, error);
      goto fail;
    }
  if (current >= version)
    {
      docket_server_db_rollback (self);
      return TRUE;
    }
  if ((step->sql != NULL && !docket_server_db_exec (self, step->sql, error)) ||
      (step->func != NULL && !step->func (self, error)) ||
      !docket_server_db_exec (self, set_version, error) ||
      !docket_server_db_commit (self, error))
    goto fail;
  return TRUE;

fail:
  docket_server_db_rollback (self);
  g_prefix_error (error, _("Cannot upgrade the database to version %d: "), version);
  return FALSE;
}

static gboolean
migrate (DocketServerDb  *self,
         int              version,
         GError         **error)
{
  for (int v = MAX (version, 0) + 1; v <= DOCKET_SERVER_DB_SCHEMA_VERSION; v++)
    if (!apply_migration (self, v, error))
      return FALSE;
  return TRUE;
}

/* A database copied by docket_server_backup () carries the meta key "backup_made_at".
 * Opening it means that it was restored (or is being served in the place of the
 * database it was copied from): its history forks from the one clients may hold
 * cursors of, so it gets an epoch of its own, once. */
static gboolean
rotate_epoch_if_restored (DocketServerDb  *self,
                          const char      *path,
                          GError         **error)
{
  g_autofree char *made_at = NULL;
  g_autofree char *epoch = NULL;

  if (!docket_server_db_begin (self, error))
    return FALSE;
  made_at = docket_server_db_get_meta (self, DOCKET_SERVER_DB_BACKUP_MARK);
  if (made_at == NULL)
    {
      docket_server_db_rollback (self);
      return TRUE;
    }
  if (!docket_server_db_exec (self,
                              "UPDATE meta SET value = lower (hex (randomblob (8))) WHERE key = 'epoch';"
                              "DELETE FROM meta WHERE key = '" DOCKET_SERVER_DB_BACKUP_MARK "';", error) ||
      !docket_server_db_commit (self, error))
    {
      docket_server_db_rollback (self);
      return FALSE;
    }
  epoch = docket_server_db_get_meta (self, "epoch");
  /* Translators: a line of the server's log */
  g_printerr (_("%s is a backup made at %s: its change feed now has the epoch %s, and "
                "every client syncs again from the beginning\n"),
              path, made_at, epoch);
  return TRUE;
}

DocketServerDb *
docket_server_db_open (const char  *path,
                       GError     **error)
{
  g_autoptr(DocketServerDb) self = g_object_new (DOCKET_SERVER_TYPE_DB, NULL);
  int version = 0;
  int rc;

  /* Checked before the read-write connection exists: a newer database, or a file
   * that is not ours, is left exactly as it is. */
  if (!docket_server_db_check_file (path, &version, error))
    return NULL;

  rc = sqlite3_open_v2 (path, &self->handle,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_INTERNAL,
                   _("Cannot open the database %s: %s"), path,
                   self->handle ? sqlite3_errmsg (self->handle) : sqlite3_errstr (rc));
      return NULL;
    }

  /* The command line may write while the server runs: wait for the lock a while. */
  sqlite3_busy_timeout (self->handle, 5000);

  /* synchronous = FULL: in WAL mode, NORMAL may lose the last transactions in a power
   * cut (not in a crash of the process); an acknowledged annotation must survive both. */
  if (!docket_server_db_exec (self,
                              "PRAGMA journal_mode = WAL;"
                              "PRAGMA synchronous = FULL;"
                              "PRAGMA foreign_keys = ON;", error) ||
      !migrate (self, version, error) ||
      !rotate_epoch_if_restored (self, path, error))
    return NULL;

  self->epoch = docket_server_db_get_meta (self, "epoch");
  if (self->epoch == NULL)
    {
      g_set_error (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_INTERNAL,
                   _("The database %s has no epoch"), path);
      return NULL;
    }

  return g_steal_pointer (&self);
}

const char *
docket_server_db_get_epoch (DocketServerDb *self)
{
  return self->epoch;
}

sqlite3 *
docket_server_db_get_handle (DocketServerDb *self)
{
  return self->handle;
}

gint64
docket_server_db_next_seq (DocketServerDb  *self,
                           GError         **error)
{
  if (!docket_server_db_exec (self, "UPDATE sequence SET value = value + 1 WHERE id = 1", error))
    return -1;
  return docket_server_db_get_top_seq (self, error);
}

gint64
docket_server_db_get_top_seq (DocketServerDb  *self,
                              GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = docket_server_db_prepare (self, "SELECT value FROM sequence WHERE id = 1", error);
  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      set_sqlite_error (self, error);
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

char *
docket_server_db_new_id (char prefix)
{
  static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  guint8 random[20];
  char *id = g_malloc (sizeof random + 2);

  /* 120 random bits in base64url: never guessable, never a path. */
  randombytes_buf (random, sizeof random);
  id[0] = prefix;
  for (gsize i = 0; i < sizeof random; i++)
    id[i + 1] = alphabet[random[i] & 63];
  id[sizeof random + 1] = '\0';
  return id;
}

char *
docket_server_db_get_meta (DocketServerDb *self,
                           const char     *key)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = docket_server_db_prepare_with (self, "SELECT value FROM meta WHERE key = ?", NULL,
                                        DOCKET_SERVER_DB_TEXT (key));
  /* Absent or unreadable: the caller treats both as "not set". */
  return read_row (self, stmt, text_from_row, NULL);
}

gboolean
docket_server_db_set_meta (DocketServerDb  *self,
                           const char      *key,
                           const char      *value,
                           GError         **error)
{
  return docket_server_db_run (self, "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                               error, DOCKET_SERVER_DB_TEXT (key), DOCKET_SERVER_DB_TEXT (value));
}

/* Users */

#define USER_COLUMNS "id, username, display_name, role, organ, password_hash, disabled"

static gpointer
user_from_row (sqlite3_stmt  *stmt,
               GError       **error)
{
  DocketServerUser *user = g_new0 (DocketServerUser, 1);

  user->id = sqlite3_column_int64 (stmt, 0);
  user->username = column_dup (stmt, 1);
  user->display_name = column_dup (stmt, 2);
  if (!docket_role_from_string ((const char *) sqlite3_column_text (stmt, 3), &user->role))
    user->role = DOCKET_ROLE_OFFICIAL;
  user->organ = column_dup (stmt, 4);
  user->password_hash = column_dup (stmt, 5);
  user->disabled = sqlite3_column_int (stmt, 6) != 0;
  return user;
}

static void
set_no_such_user (const char  *username,
                  GError     **error)
{
  g_set_error (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_NOT_FOUND,
               _("No user is named %s"), username);
}

gboolean
docket_server_db_add_user (DocketServerDb  *self,
                           const char      *username,
                           const char      *display_name,
                           DocketRole       role,
                           const char      *organ,
                           const char      *password_hash,
                           GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = docket_server_db_prepare_with (self,
                                        "INSERT INTO users (username, display_name, role, organ,"
                                        " password_hash) VALUES (?, ?, ?, ?, ?)", error,
                                        DOCKET_SERVER_DB_TEXT (username),
                                        DOCKET_SERVER_DB_TEXT (display_name),
                                        DOCKET_SERVER_DB_TEXT (docket_role_to_string (role)),
                                        DOCKET_SERVER_DB_TEXT (organ ? organ : ""),
                                        DOCKET_SERVER_DB_TEXT (password_hash));
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_CONSTRAINT)
    {
      g_set_error (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_EXISTS,
                   _("The user %s already exists"), username);
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self, error);
  return TRUE;
}

DocketServerUser *
docket_server_db_find_user (DocketServerDb  *self,
                            const char      *username,
                            GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  DocketServerUser *user;

  stmt = docket_server_db_prepare_with (self,
                                        "SELECT " USER_COLUMNS " FROM users WHERE username = ?",
                                        error, DOCKET_SERVER_DB_TEXT (username));
  if (stmt == NULL)
    return NULL;
  user = read_row (self, stmt, user_from_row, &local_error);
  if (g_error_matches (local_error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_NOT_FOUND))
    set_no_such_user (username, error);
  else if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return user;
}

GPtrArray *
docket_server_db_list_users (DocketServerDb  *self,
                             GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = docket_server_db_prepare (self,
                                   "SELECT " USER_COLUMNS " FROM users ORDER BY username",
                                   error);
  return read_rows (self, stmt, user_from_row, (GDestroyNotify) docket_server_user_free, error);
}

/* Runs sql with username as ?1 (and value, if not NULL, as ?2); no row changed is
 * NOT_FOUND. */
static gboolean
update_user (DocketServerDb  *self,
             const char      *sql,
             const char      *username,
             const char      *value,
             GError         **error)
{
  gboolean ok;

  if (value != NULL)
    ok = docket_server_db_run (self, sql, error, DOCKET_SERVER_DB_TEXT (username),
                               DOCKET_SERVER_DB_TEXT (value));
  else
    ok = docket_server_db_run (self, sql, error, DOCKET_SERVER_DB_TEXT (username));
  if (!ok)
    return FALSE;
  if (sqlite3_changes (self->handle) == 0)
    {
      set_no_such_user (username, error);
      return FALSE;
    }
  return TRUE;
}

/* Every token of username stops working at once. */
static gboolean
revoke_tokens_of (DocketServerDb  *self,
                  const char      *username,
                  GError         **error)
{
  return docket_server_db_run (self,
                               "DELETE FROM tokens WHERE user_id ="
                               " (SELECT id FROM users WHERE username = ?)", error,
                               DOCKET_SERVER_DB_TEXT (username));
}

gboolean
docket_server_db_set_password (DocketServerDb  *self,
                               const char      *username,
                               const char      *password_hash,
                               GError         **error)
{
  if (!docket_server_db_begin (self, error))
    return FALSE;
  /* A new password ends the sessions opened with the old one: it may have leaked. */
  if (!update_user (self, "UPDATE users SET password_hash = ?2 WHERE username = ?1",
                    username, password_hash, error) ||
      !revoke_tokens_of (self, username, error))
    {
      docket_server_db_rollback (self);
      return FALSE;
    }
  return docket_server_db_commit (self, error);
}

gboolean
docket_server_db_disable_user (DocketServerDb  *self,
                               const char      *username,
                               GError         **error)
{
  if (!docket_server_db_begin (self, error))
    return FALSE;
  if (!update_user (self, "UPDATE users SET disabled = 1 WHERE username = ?1",
                    username, NULL, error) ||
      !revoke_tokens_of (self, username, error))
    {
      docket_server_db_rollback (self);
      return FALSE;
    }
  return docket_server_db_commit (self, error);
}

/* Tokens */

gboolean
docket_server_db_add_token (DocketServerDb  *self,
                            const char      *token_hash,
                            gint64           user_id,
                            gint64           expires_at,
                            GError         **error)
{
  return docket_server_db_run (self,
                               "INSERT INTO tokens (hash, user_id, expires_at) VALUES (?, ?, ?)",
                               error, DOCKET_SERVER_DB_TEXT (token_hash),
                               DOCKET_SERVER_DB_INT (user_id), DOCKET_SERVER_DB_INT (expires_at));
}

DocketServerUser *
docket_server_db_user_for_token (DocketServerDb  *self,
                                 const char      *token_hash,
                                 gint64           now,
                                 GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = docket_server_db_prepare_with (self,
                                        "SELECT u.id, u.username, u.display_name, u.role, u.organ,"
                                        " u.password_hash, u.disabled FROM tokens t"
                                        " JOIN users u ON u.id = t.user_id"
                                        " WHERE t.hash = ? AND t.expires_at > ? AND u.disabled = 0",
                                        error, DOCKET_SERVER_DB_TEXT (token_hash),
                                        DOCKET_SERVER_DB_INT (now));
  return read_row_or (self, stmt, user_from_row, DOCKET_SERVER_ERROR_UNAUTHORIZED,
                      _("The token is unknown, expired or revoked; sign in again"), error);
}

gboolean
docket_server_db_revoke_token (DocketServerDb  *self,
                               const char      *token_hash,
                               GError         **error)
{
  return docket_server_db_run (self, "DELETE FROM tokens WHERE hash = ?", error,
                               DOCKET_SERVER_DB_TEXT (token_hash));
}

/* Visibility */

typedef struct {
  char     *organ;
  gboolean  draft;
  gboolean  participant;
} AccessFacts;

static void
access_facts_free (AccessFacts *facts)
{
  g_free (facts->organ);
  g_free (facts);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AccessFacts, access_facts_free)

static gpointer
access_facts_from_row (sqlite3_stmt  *stmt,
                       GError       **error)
{
  AccessFacts *facts = g_new0 (AccessFacts, 1);

  facts->organ = column_dup (stmt, 0);
  facts->draft = sqlite3_column_int (stmt, 1) != 0;
  facts->participant = sqlite3_column_int (stmt, 2) != 0;
  return facts;
}

/* Reads a meeting's organ and status, and whether user takes part in it. */
static AccessFacts *
meeting_access_facts (DocketServerDb          *self,
                      const DocketServerUser  *user,
                      const char              *meeting_id,
                      GError                 **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = docket_server_db_prepare_with (self,
                                        "SELECT organ, status = 'draft', EXISTS (SELECT 1 FROM"
                                        " participants p WHERE p.meeting_id = m.id AND p.user_id = ?2)"
                                        " FROM meetings m WHERE m.id = ?1", error,
                                        DOCKET_SERVER_DB_TEXT (meeting_id),
                                        DOCKET_SERVER_DB_INT (user->id));
  return read_row (self, stmt, access_facts_from_row, error);
}

gboolean
docket_server_db_user_sees_meeting (DocketServerDb          *self,
                                    const DocketServerUser  *user,
                                    const char              *meeting_id,
                                    GError                 **error)
{
  g_autoptr(AccessFacts) facts = meeting_access_facts (self, user, meeting_id, error);

  if (facts == NULL)
    return FALSE;
  if (user->role == DOCKET_ROLE_ADMIN ||
      (user->role == DOCKET_ROLE_SECRETARY && g_strcmp0 (facts->organ, user->organ) == 0) ||
      (facts->participant && !facts->draft))
    return TRUE;
  return set_not_found (error);
}

gboolean
docket_server_db_check_manage_meeting (DocketServerDb          *self,
                                       const DocketServerUser  *user,
                                       const char              *meeting_id,
                                       GError                 **error)
{
  if (!docket_server_db_user_sees_meeting (self, user, meeting_id, error))
    return FALSE;
  if (user->role == DOCKET_ROLE_ADMIN)
    return TRUE;
  if (user->role == DOCKET_ROLE_SECRETARY)
    {
      g_autoptr(AccessFacts) facts = meeting_access_facts (self, user, meeting_id, error);

      if (facts == NULL)
        return FALSE;
      if (g_strcmp0 (facts->organ, user->organ) == 0)
        return TRUE;
    }
  g_set_error_literal (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_FORBIDDEN,
                       _("Only a secretary of the meeting's organ or an administrator may change it"));
  return FALSE;
}

/* The text sql (with id as its parameter) selects, or NULL with NOT_FOUND. */
static char *
lookup_text (DocketServerDb  *self,
             const char      *sql,
             const char      *id,
             GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = docket_server_db_prepare_with (self, sql, error, DOCKET_SERVER_DB_TEXT (id));
  return read_row (self, stmt, text_from_row, error);
}

char *
docket_server_db_item_meeting (DocketServerDb  *self,
                               const char      *item_id,
                               GError         **error)
{
  return lookup_text (self, "SELECT meeting_id FROM items WHERE id = ?", item_id, error);
}

char *
docket_server_db_document_meeting (DocketServerDb  *self,
                                   const char      *document_id,
                                   GError         **error)
{
  return lookup_text (self, "SELECT meeting_id FROM documents WHERE id = ?", document_id, error);
}

char *
docket_server_db_document_sha256 (DocketServerDb  *self,
                                  const char      *document_id,
                                  GError         **error)
{
  return lookup_text (self, "SELECT sha256 FROM documents WHERE id = ?", document_id, error);
}

/* Records */

static gpointer
meeting_from_row (sqlite3_stmt  *stmt,
                  GError       **error)
{
  g_autoptr(DocketMeetingRecord) record = docket_meeting_record_new ();

  record->id = column_dup (stmt, 0);
  record->title = column_dup (stmt, 1);
  record->organ = column_dup (stmt, 2);
  record->starts_at = docket_protocol_parse_time ((const char *) sqlite3_column_text (stmt, 3), error);
  if (record->starts_at == NULL)
    return NULL;
  record->ends_at = docket_protocol_parse_time ((const char *) sqlite3_column_text (stmt, 4), error);
  if (record->ends_at == NULL)
    return NULL;
  record->time_zone = column_dup (stmt, 5);
  record->location = column_dup (stmt, 6);
  if (!docket_meeting_status_from_string ((const char *) sqlite3_column_text (stmt, 7),
                                          &record->status))
    record->status = DOCKET_MEETING_STATUS_DRAFT;
  record->version = sqlite3_column_int64 (stmt, 8);
  return g_steal_pointer (&record);
}

static gpointer
participant_from_row (sqlite3_stmt  *stmt,
                      GError       **error)
{
  DocketRole role;

  if (!docket_role_from_string ((const char *) sqlite3_column_text (stmt, 2), &role))
    role = DOCKET_ROLE_OFFICIAL;
  return docket_participant_new ((const char *) sqlite3_column_text (stmt, 0),
                                 (const char *) sqlite3_column_text (stmt, 1),
                                 role);
}

DocketMeetingRecord *
docket_server_db_load_meeting (DocketServerDb  *self,
                               const char      *meeting_id,
                               GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) people = NULL;
  g_autoptr(DocketMeetingRecord) record = NULL;
  g_autoptr(GPtrArray) participants = NULL;

  stmt = docket_server_db_prepare_with (self,
                                        "SELECT id, title, organ, starts_at, ends_at, time_zone,"
                                        " location, status, version FROM meetings WHERE id = ?",
                                        error, DOCKET_SERVER_DB_TEXT (meeting_id));
  record = read_row (self, stmt, meeting_from_row, error);
  if (record == NULL)
    return NULL;

  people = docket_server_db_prepare_with (self,
                                          "SELECT u.username, u.display_name, u.role"
                                          " FROM participants p JOIN users u ON u.id = p.user_id"
                                          " WHERE p.meeting_id = ? ORDER BY u.username", error,
                                          DOCKET_SERVER_DB_TEXT (meeting_id));
  participants = read_rows (self, people, participant_from_row,
                            (GDestroyNotify) docket_participant_free, error);
  if (participants == NULL)
    return NULL;
  /* The participants move into the record, which frees them from now on. */
  g_ptr_array_extend_and_steal (record->participants, g_steal_pointer (&participants));
  return g_steal_pointer (&record);
}

#define ITEM_COLUMNS "id, meeting_id, parent_id, position, number, title, presenter, description, version"

static gpointer
item_from_row (sqlite3_stmt  *stmt,
               GError       **error)
{
  DocketAgendaItemRecord *record = docket_agenda_item_record_new ();

  record->id = column_dup (stmt, 0);
  record->meeting_id = column_dup (stmt, 1);
  record->parent_id = column_dup (stmt, 2);
  record->position = sqlite3_column_int (stmt, 3);
  record->number = column_dup (stmt, 4);
  record->title = column_dup (stmt, 5);
  record->presenter = column_dup (stmt, 6);
  record->description = column_dup (stmt, 7);
  record->version = sqlite3_column_int64 (stmt, 8);
  return record;
}

DocketAgendaItemRecord *
docket_server_db_load_item (DocketServerDb  *self,
                            const char      *item_id,
                            GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = docket_server_db_prepare_with (self, "SELECT " ITEM_COLUMNS " FROM items WHERE id = ?",
                                        error, DOCKET_SERVER_DB_TEXT (item_id));
  return read_row (self, stmt, item_from_row, error);
}

GPtrArray *
docket_server_db_load_items (DocketServerDb  *self,
                             const char      *meeting_id,
                             GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  /* Depth first through the tree, siblings by position: a parent always comes before
   * its sub-items. */
  stmt = docket_server_db_prepare_with (self,
                                        "WITH RECURSIVE tree (id, path) AS ("
                                        "  SELECT id, printf ('%06d', position) FROM items"
                                        "   WHERE meeting_id = ?1 AND parent_id IS NULL"
                                        "  UNION ALL"
                                        "  SELECT i.id, tree.path || '.' || printf ('%06d', i.position)"
                                        "   FROM items i JOIN tree ON i.parent_id = tree.id)"
                                        " SELECT i.id, i.meeting_id, i.parent_id, i.position, i.number,"
                                        " i.title, i.presenter, i.description, i.version"
                                        " FROM tree JOIN items i ON i.id = tree.id ORDER BY tree.path",
                                        error, DOCKET_SERVER_DB_TEXT (meeting_id));
  return read_rows (self, stmt, item_from_row,
                    (GDestroyNotify) docket_agenda_item_record_free, error);
}

#define DOCUMENT_COLUMNS "id, meeting_id, item_id, position, title, media_type, sha256, size, pages, version"

static gpointer
document_from_row (sqlite3_stmt  *stmt,
                   GError       **error)
{
  DocketDocumentRecord *record = docket_document_record_new ();

  record->id = column_dup (stmt, 0);
  record->meeting_id = column_dup (stmt, 1);
  record->item_id = column_dup (stmt, 2);
  record->position = sqlite3_column_int (stmt, 3);
  record->title = column_dup (stmt, 4);
  record->media_type = column_dup (stmt, 5);
  record->sha256 = column_dup (stmt, 6);
  record->size = sqlite3_column_int64 (stmt, 7);
  record->pages = sqlite3_column_int (stmt, 8);
  record->version = sqlite3_column_int64 (stmt, 9);
  return record;
}

DocketDocumentRecord *
docket_server_db_load_document (DocketServerDb  *self,
                                const char      *document_id,
                                GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = docket_server_db_prepare_with (self,
                                        "SELECT " DOCUMENT_COLUMNS " FROM documents WHERE id = ?",
                                        error, DOCKET_SERVER_DB_TEXT (document_id));
  return read_row (self, stmt, document_from_row, error);
}

GPtrArray *
docket_server_db_load_documents (DocketServerDb  *self,
                                 const char      *meeting_id,
                                 GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = docket_server_db_prepare_with (self,
                                        "SELECT " DOCUMENT_COLUMNS " FROM documents"
                                        " WHERE meeting_id = ? ORDER BY item_id, position", error,
                                        DOCKET_SERVER_DB_TEXT (meeting_id));
  return read_rows (self, stmt, document_from_row,
                    (GDestroyNotify) docket_document_record_free, error);
}

DocketServerUser *
docket_server_user_copy (const DocketServerUser *user)
{
  DocketServerUser *copy = g_new0 (DocketServerUser, 1);

  copy->id = user->id;
  copy->username = g_strdup (user->username);
  copy->display_name = g_strdup (user->display_name);
  copy->role = user->role;
  copy->organ = g_strdup (user->organ);
  copy->password_hash = g_strdup (user->password_hash);
  copy->disabled = user->disabled;
  return copy;
}

gboolean
docket_server_db_prune_expired_tokens (DocketServerDb  *self,
                                       gint64           now,
                                       guint           *out_pruned,
                                       GError         **error)
{
  *out_pruned = 0;
  /* The same test as docket_server_db_user_for_token: what it refuses goes. */
  if (!docket_server_db_run (self, "DELETE FROM tokens WHERE expires_at <= ?", error,
                             DOCKET_SERVER_DB_INT (now)))
    return FALSE;
  *out_pruned = (guint) sqlite3_changes (self->handle);
  return TRUE;
}

DocketServerDb *
docket_server_db_open_reader (const char  *path,
                              GError     **error)
{
  g_autoptr(DocketServerDb) self = g_object_new (DOCKET_SERVER_TYPE_DB, NULL);
  int rc;

  /* No schema, no migration: the writer's connection made them. NOMUTEX: SQLite's
   * multi-thread mode, safe while one thread at a time uses the connection. */
  rc = sqlite3_open_v2 (path, &self->handle, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_INTERNAL,
                   _("Cannot open the database %s: %s"), path,
                   self->handle ? sqlite3_errmsg (self->handle) : sqlite3_errstr (rc));
      return NULL;
    }
  sqlite3_busy_timeout (self->handle, 5000);

  /* The writer's connection set the epoch (a new one if the database was a restored
   * backup) before any reader exists, and it does not change while the server runs. */
  self->epoch = docket_server_db_get_meta (self, "epoch");
  if (self->epoch == NULL)
    {
      g_set_error (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_INTERNAL,
                   _("The database %s has no epoch"), path);
      return NULL;
    }
  return g_steal_pointer (&self);
}
