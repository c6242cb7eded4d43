/* docket-sqlite.c: the one SQLite helper layer of the client's cache and the server
 *
 * See docket-sqlite.h for what it promises. Kept apart from both sides so that a
 * statement means the same thing wherever it is run: who finalizes it, how values bind,
 * what a failure is called.
 */
#include "docket-sqlite.h"

#include <errno.h>
#include <string.h>

G_DEFINE_QUARK (docket-sqlite-error-quark, docket_sqlite_error)

/* A write that failed because the disk or the quota is full: SQLite says SQLITE_FULL
 * for its own files, and for the others an I/O error whose system errno tells. */
static gboolean
is_out_of_space (sqlite3 *db,
                 int      rc)
{
  int system_errno = db != NULL ? sqlite3_system_errno (db) : 0;

  if ((rc & 0xff) == SQLITE_FULL)
    return TRUE;
  if (system_errno == ENOSPC || system_errno == EFBIG
#ifdef EDQUOT
      || system_errno == EDQUOT
#endif
      )
    return TRUE;
  return rc == SQLITE_IOERR_WRITE && system_errno != EIO;
}

static DocketSqliteError
error_code_for (sqlite3 *db,
                int      rc)
{
  if (is_out_of_space (db, rc))
    return DOCKET_SQLITE_ERROR_NO_SPACE;

  switch (rc & 0xff)
    {
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
    case SQLITE_TOOBIG:
      return DOCKET_SQLITE_ERROR_INVALID;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return DOCKET_SQLITE_ERROR_CORRUPT;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
      return DOCKET_SQLITE_ERROR_READ_ONLY;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return DOCKET_SQLITE_ERROR_BUSY;
    default:
      return DOCKET_SQLITE_ERROR_FAILED;
    }
}

gboolean
docket_sqlite_set_error (GError     **error,
                         sqlite3     *db,
                         int          rc,
                         const char  *what)
{
  /* The connection's message describes its last call, which is the failing one only
   * when that call was made on db; sqlite3_errstr always matches rc. */
  const char *message = db != NULL && sqlite3_errcode (db) == rc
                        ? sqlite3_errmsg (db) : sqlite3_errstr (rc);

  g_set_error (error, DOCKET_SQLITE_ERROR, error_code_for (db, rc),
               "%s: %s", what != NULL ? what : "SQLite", message);
  return FALSE;
}

gboolean
docket_sqlite_exec (sqlite3     *db,
                    const char  *sql,
                    GError     **error)
{
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    return docket_sqlite_set_error (error, db, rc, sql);
  return TRUE;
}

sqlite3_stmt *
docket_sqlite_prepare (sqlite3     *db,
                       const char  *sql,
                       GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      docket_sqlite_set_error (error, db, rc, sql);
      sqlite3_finalize (stmt);
      return NULL;
    }
  return stmt;
}

void
docket_sqlite_bind_text (sqlite3_stmt *stmt,
                         int           index,
                         const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

void
docket_sqlite_bind_values (sqlite3_stmt             *stmt,
                           const DocketSqliteValue  *values,
                           guint                     n_values)
{
  for (guint i = 0; i < n_values; i++)
    {
      int index = (int) i + 1;

      switch (values[i].kind)
        {
        case DOCKET_SQLITE_VALUE_TEXT:
          docket_sqlite_bind_text (stmt, index, values[i].text);
          break;
        case DOCKET_SQLITE_VALUE_INT:
          sqlite3_bind_int64 (stmt, index, values[i].number);
          break;
        case DOCKET_SQLITE_VALUE_NULL:
        default:
          sqlite3_bind_null (stmt, index);
          break;
        }
    }
}

sqlite3_stmt *
docket_sqlite_prepare_bound (sqlite3                  *db,
                             const char               *sql,
                             const DocketSqliteValue  *values,
                             guint                     n_values,
                             GError                  **error)
{
  sqlite3_stmt *stmt = docket_sqlite_prepare (db, sql, error);

  if (stmt != NULL)
    docket_sqlite_bind_values (stmt, values, n_values);
  return stmt;
}

gboolean
docket_sqlite_step_done (sqlite3_stmt  *stmt,
                         GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return docket_sqlite_set_error (error, sqlite3_db_handle (stmt), rc, sqlite3_sql (stmt));
  return TRUE;
}

gboolean
docket_sqlite_run_bound (sqlite3                  *db,
                         const char               *sql,
                         const DocketSqliteValue  *values,
                         guint                     n_values,
                         GError                  **error)
{
  g_autoptr(sqlite3_stmt) stmt = docket_sqlite_prepare_bound (db, sql, values, n_values, error);

  return stmt != NULL && docket_sqlite_step_done (stmt, error);
}

char *
docket_sqlite_column_dup (sqlite3_stmt *stmt,
                          int           index)
{
  const unsigned char *text = sqlite3_column_text (stmt, index);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

gboolean
docket_sqlite_each_row (sqlite3_stmt         *stmt,
                        DocketSqliteRowFunc   func,
                        gpointer              user_data,
                        GError              **error)
{
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (!func (stmt, user_data, error))
      return FALSE;
  if (rc != SQLITE_DONE)
    return docket_sqlite_set_error (error, sqlite3_db_handle (stmt), rc, sqlite3_sql (stmt));
  return TRUE;
}

GPtrArray *
docket_sqlite_collect_rows (sqlite3_stmt           *stmt,
                            DocketSqliteRowReader   read,
                            gpointer                user_data,
                            GDestroyNotify          free_row,
                            GError                **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;

  rows = g_ptr_array_new_with_free_func (free_row);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GError *local_error = NULL;
      gpointer row = read (stmt, user_data, &local_error);

      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return NULL;
        }
      if (row != NULL)
        g_ptr_array_add (rows, row);
    }
  if (rc != SQLITE_DONE)
    {
      docket_sqlite_set_error (error, sqlite3_db_handle (stmt), rc, sqlite3_sql (stmt));
      return NULL;
    }

  return g_steal_pointer (&rows);
}

gpointer
docket_sqlite_collect_row (sqlite3_stmt           *stmt,
                           DocketSqliteRowReader   read,
                           gpointer                user_data,
                           GError                **error)
{
  int rc;

  if (stmt == NULL)
    return NULL;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return read (stmt, user_data, error);
  if (rc != SQLITE_DONE)
    docket_sqlite_set_error (error, sqlite3_db_handle (stmt), rc, sqlite3_sql (stmt));
  return NULL;
}

gpointer
docket_sqlite_read_text (sqlite3_stmt  *stmt,
                         gpointer       unused,
                         GError       **error)
{
  return docket_sqlite_column_dup (stmt, 0);
}

gboolean
docket_sqlite_has_row (sqlite3_stmt  *stmt,
                       gboolean      *found,
                       GError       **error)
{
  int rc;

  *found = FALSE;
  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return docket_sqlite_set_error (error, sqlite3_db_handle (stmt), rc, sqlite3_sql (stmt));
  *found = rc == SQLITE_ROW;
  return TRUE;
}

gboolean
docket_sqlite_begin_immediate (sqlite3  *db,
                               GError  **error)
{
  return docket_sqlite_exec (db, "BEGIN IMMEDIATE", error);
}

gboolean
docket_sqlite_commit (sqlite3  *db,
                      GError  **error)
{
  return docket_sqlite_exec (db, "COMMIT", error);
}

void
docket_sqlite_rollback (sqlite3 *db)
{
  if (db != NULL && !sqlite3_get_autocommit (db))
    sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
}

gboolean
docket_sqlite_transaction_begin (DocketSqliteTransaction  *tx,
                                 sqlite3                  *db,
                                 GError                  **error)
{
  g_return_val_if_fail (!tx->open, FALSE);

  if (!docket_sqlite_begin_immediate (db, error))
    return FALSE;
  tx->db = db;
  tx->open = TRUE;
  return TRUE;
}

gboolean
docket_sqlite_transaction_commit (DocketSqliteTransaction  *tx,
                                  GError                  **error)
{
  g_return_val_if_fail (tx->open, FALSE);

  /* A failed COMMIT leaves the transaction open (SQLITE_BUSY) or rolled back; clear
   * rolls back what is left either way. */
  if (!docket_sqlite_commit (tx->db, error))
    return FALSE;
  tx->open = FALSE;
  return TRUE;
}

void
docket_sqlite_transaction_clear (DocketSqliteTransaction *tx)
{
  if (tx->open)
    docket_sqlite_rollback (tx->db);
  tx->open = FALSE;
  tx->db = NULL;
}

struct _DocketSqliteStatements {
  sqlite3    *db;
  GHashTable *by_text;   /* the address of an SQL text → its prepared statement */
};

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

DocketSqliteStatements *
docket_sqlite_statements_new (sqlite3 *db)
{
  DocketSqliteStatements *self = g_new0 (DocketSqliteStatements, 1);

  self->db = db;
  self->by_text = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, finalize_statement);
  return self;
}

void
docket_sqlite_statements_free (DocketSqliteStatements *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->by_text);
  g_free (self);
}

DocketSqliteCachedStmt *
docket_sqlite_statements_get (DocketSqliteStatements  *self,
                              const char              *sql,
                              GError                 **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->by_text, sql);

  /* Found by the address of its text (hashing a few hundred bytes per change showed in
   * the client's profile), then compared: a text freed and another put at its address
   * gets a statement of its own. */
  if (stmt != NULL && strcmp (sqlite3_sql (stmt), sql) == 0)
    return stmt;

  stmt = docket_sqlite_prepare (self->db, sql, error);
  if (stmt == NULL)
    return NULL;

  g_hash_table_replace (self->by_text, (gpointer) sql, stmt);
  return stmt;
}

void
docket_sqlite_release (DocketSqliteCachedStmt *stmt)
{
  /* reset repeats the error of a failed step, already reported by whoever stepped */
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}
