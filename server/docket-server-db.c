/* docket-server-db.c: DocketServerDb, the server's connection to its database
 *
 * Opening it (the file checked and migrated first, docket-server-db-schema.c), the
 * read-only connections of the workers, and the helpers every unit of the database uses:
 * statements, rows and transactions on the common SQLite layer (common/docket-sqlite.c),
 * the global sequence, ids and the meta table. What each unit holds is in
 * docket-server-db.h.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <sodium.h>

#include "docket-server-db-private.h"

struct _DocketServerDb
{
  GObject  parent_instance;

  sqlite3 *handle;
  char    *epoch;     /* of the change feed's history: read once, at open */
};

G_DEFINE_TYPE (DocketServerDb, docket_server_db, G_TYPE_OBJECT)

G_DEFINE_QUARK (docket-server-error-quark, docket_server_error)

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

/* Statements, rows and transactions: the common layer, on this connection */

gboolean
docket_server_db_set_not_found (GError **error)
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
  return docket_sqlite_exec (self->handle, sql, error);
}

sqlite3_stmt *
docket_server_db_prepare (DocketServerDb  *self,
                          const char      *sql,
                          GError         **error)
{
  return docket_sqlite_prepare (self->handle, sql, error);
}

gboolean
docket_server_db_step_done (DocketServerDb  *self,
                            sqlite3_stmt    *stmt,
                            GError         **error)
{
  return docket_sqlite_step_done (stmt, error);
}

sqlite3_stmt *
docket_server_db_prepare_bound (DocketServerDb             *self,
                                const char                 *sql,
                                const DocketServerDbValue  *values,
                                guint                       n_values,
                                GError                    **error)
{
  return docket_sqlite_prepare_bound (self->handle, sql, values, n_values, error);
}

gboolean
docket_server_db_run_bound (DocketServerDb             *self,
                            const char                 *sql,
                            const DocketServerDbValue  *values,
                            guint                       n_values,
                            GError                    **error)
{
  return docket_sqlite_run_bound (self->handle, sql, values, n_values, error);
}

gboolean
docket_server_db_each_row (DocketServerDb         *self,
                           sqlite3_stmt           *stmt,
                           DocketServerDbRowFunc   func,
                           gpointer                user_data,
                           GError                **error)
{
  return docket_sqlite_each_row (stmt, func, user_data, error);
}

gpointer
docket_server_db_read_row_or (sqlite3_stmt           *stmt,
                              DocketSqliteRowReader   read,
                              int                     not_found_code,
                              const char             *not_found_message,
                              GError                **error)
{
  GError *local_error = NULL;
  gpointer row;

  if (stmt == NULL)
    return NULL;
  row = docket_sqlite_collect_row (stmt, read, NULL, &local_error);
  if (row != NULL)
    return row;
  if (local_error != NULL)
    g_propagate_error (error, local_error);
  else if (not_found_message == NULL)
    docket_server_db_set_not_found (error);
  else
    g_set_error_literal (error, DOCKET_SERVER_ERROR, not_found_code, not_found_message);
  return NULL;
}

gpointer
docket_server_db_read_row (sqlite3_stmt           *stmt,
                           DocketSqliteRowReader   read,
                           GError                **error)
{
  return docket_server_db_read_row_or (stmt, read, DOCKET_SERVER_ERROR_NOT_FOUND, NULL, error);
}

gboolean
docket_server_db_begin (DocketServerDb  *self,
                        GError         **error)
{
  /* IMMEDIATE: take the write lock now, so that the command line and the server never
   * deadlock upgrading a read transaction. */
  return docket_sqlite_begin_immediate (self->handle, error);
}

gboolean
docket_server_db_commit (DocketServerDb  *self,
                         GError         **error)
{
  return docket_sqlite_commit (self->handle, error);
}

void
docket_server_db_rollback (DocketServerDb *self)
{
  docket_sqlite_rollback (self->handle);
}

/* The connection */

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
      !docket_server_db_migrate (self, version, error) ||
      !docket_server_db_rotate_epoch_if_restored (self, path, error))
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
  int rc;

  stmt = docket_server_db_prepare (self, "SELECT value FROM sequence WHERE id = 1", error);
  if (stmt == NULL)
    return -1;
  if ((rc = sqlite3_step (stmt)) != SQLITE_ROW)
    {
      docket_sqlite_set_error (error, self->handle, rc, "SELECT value FROM sequence");
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
  return docket_server_db_read_row (stmt, docket_sqlite_read_text, NULL);
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

gboolean
docket_server_db_begin_change (DocketServerDb  *self,
                               gint64          *out_seq,
                               GError         **error)
{
  if (!docket_server_db_begin (self, error))
    return FALSE;
  if ((*out_seq = docket_server_db_next_seq (self, error)) < 0)
    {
      docket_server_db_rollback (self);
      return FALSE;
    }
  return TRUE;
}

gboolean
docket_server_db_end_change (DocketServerDb  *self,
                             gboolean         ok,
                             GError         **error)
{
  if (ok && docket_server_db_commit (self, error))
    return TRUE;
  docket_server_db_rollback (self);
  return FALSE;
}
