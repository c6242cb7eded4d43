/* docket-store-sqlite.c: the store's side of common/docket-sqlite
 *
 * The SQLite work itself (preparing, binding, stepping, collecting rows, transactions,
 * the statement cache, what kind of failure an error is) is done once, for client and
 * server, in common/docket-sqlite.c. What is the store's own, and kept here apart from
 * the rest of it: the store's connection and statement cache are reached through the
 * store, and a failure becomes a DOCKET_STORE_ERROR in words for the official (what to
 * do about a full disk, a read-only folder, a damaged file), while SQLite's own words and
 * the statement go to the debug log for a developer.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "docket-store.h"
#include "docket-store-private.h"

static DocketStoreError
store_error_code (DocketSqliteError code)
{
  switch (code)
    {
    case DOCKET_SQLITE_ERROR_INVALID:
      return DOCKET_STORE_ERROR_INVALID;
    case DOCKET_SQLITE_ERROR_CORRUPT:
      return DOCKET_STORE_ERROR_CORRUPT;
    case DOCKET_SQLITE_ERROR_READ_ONLY:
      return DOCKET_STORE_ERROR_READ_ONLY;
    case DOCKET_SQLITE_ERROR_BUSY:
      return DOCKET_STORE_ERROR_BUSY;
    case DOCKET_SQLITE_ERROR_NO_SPACE:
      return DOCKET_STORE_ERROR_NO_SPACE;
    case DOCKET_SQLITE_ERROR_FAILED:
    default:
      return DOCKET_STORE_ERROR_IO;
    }
}

/* Sets error to the store's error of the kind of sqlite_error; detail is SQLite's own
 * short message, shown only when there is nothing better to tell the official. */
static void
set_store_error (GError       **error,
                 const GError  *sqlite_error,
                 const char    *detail)
{
  DocketStoreError code = store_error_code (sqlite_error->code);

  /* What was being done (an SQL statement, a file) helps a developer, not the official:
   * it goes to the debug log, and the message says what to do. */
  g_debug ("store: failed: %s", sqlite_error->message);

  switch (code)
    {
    case DOCKET_STORE_ERROR_NO_SPACE:
      g_set_error_literal (error, DOCKET_STORE_ERROR, code,
                           _("The disk (or your share of it) is full, so the offline copy of "
                             "your meetings could not be updated. Free some space, then try "
                             "again."));
      break;
    case DOCKET_STORE_ERROR_READ_ONLY:
      g_set_error_literal (error, DOCKET_STORE_ERROR, code,
                           _("The offline copy of your meetings cannot be written: the folder "
                             "is read-only or not yours. Check its permissions."));
      break;
    case DOCKET_STORE_ERROR_CORRUPT:
      g_set_error_literal (error, DOCKET_STORE_ERROR, code,
                           _("The offline copy of your meetings is damaged. Sign out and sign "
                             "in again to download it anew."));
      break;
    case DOCKET_STORE_ERROR_BUSY:
      g_set_error_literal (error, DOCKET_STORE_ERROR, code,
                           _("The offline copy of your meetings is in use by another program. "
                             "Close it, or wait a moment, then try again."));
      break;
    case DOCKET_STORE_ERROR_NEWER_SCHEMA:
    case DOCKET_STORE_ERROR_INVALID:
    case DOCKET_STORE_ERROR_IO:
    default:
      g_set_error (error, DOCKET_STORE_ERROR, code,
                   /* Translators: %s is SQLite's own short message, in English */
                   _("The offline copy of your meetings could not be used (%s)."),
                   detail);
      break;
    }
}

void
docket_store_set_sqlite_error (GError     **error,
                               sqlite3     *db,
                               int          rc,
                               const char  *what)
{
  g_autoptr(GError) sqlite_error = NULL;

  docket_sqlite_set_error (&sqlite_error, db, rc, what);
  set_store_error (error, sqlite_error, db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
}

gboolean
docket_store_propagate_error (DocketStore  *self,
                              GError      **error,
                              GError       *local_error)
{
  g_return_val_if_fail (local_error != NULL, FALSE);

  if (local_error->domain != DOCKET_SQLITE_ERROR)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }

  /* Called right after the failing call: the connection's message is still its own. */
  set_store_error (error, local_error, sqlite3_errmsg (docket_store_get_db (self)));
  g_error_free (local_error);
  return FALSE;
}

gboolean
docket_store_exec (DocketStore  *self,
                   const char   *sql,
                   GError      **error)
{
  GError *local_error = NULL;

  if (!docket_sqlite_exec (docket_store_get_db (self), sql, &local_error))
    return docket_store_propagate_error (self, error, local_error);
  return TRUE;
}

sqlite3_stmt *
docket_store_prepare (DocketStore  *self,
                      const char   *sql,
                      GError      **error)
{
  GError *local_error = NULL;
  sqlite3_stmt *stmt = docket_sqlite_prepare (docket_store_get_db (self), sql, &local_error);

  if (stmt == NULL)
    docket_store_propagate_error (self, error, local_error);
  return stmt;
}

sqlite3_stmt *
docket_store_prepare_bound (DocketStore              *self,
                            const char               *sql,
                            const DocketSqliteValue  *values,
                            guint                     n_values,
                            GError                  **error)
{
  sqlite3_stmt *stmt = docket_store_prepare (self, sql, error);

  if (stmt != NULL)
    docket_sqlite_bind_values (stmt, values, n_values);
  return stmt;
}

gboolean
docket_store_step (DocketStore   *self,
                   sqlite3_stmt  *stmt,
                   GError       **error)
{
  GError *local_error = NULL;

  if (!docket_sqlite_step_done (stmt, &local_error))
    return docket_store_propagate_error (self, error, local_error);
  return TRUE;
}

gboolean
docket_store_step_row (DocketStore   *self,
                       sqlite3_stmt  *stmt,
                       gboolean      *found,
                       GError       **error)
{
  GError *local_error = NULL;

  if (!docket_sqlite_has_row (stmt, found, &local_error))
    return docket_store_propagate_error (self, error, local_error);
  return TRUE;
}

gboolean
docket_store_step_one_row (DocketStore   *self,
                           sqlite3_stmt  *stmt,
                           GError       **error)
{
  gboolean found = FALSE;

  if (!docket_store_step_row (self, stmt, &found, error))
    return FALSE;
  /* Such a query always gives its row; without one, the file is not what it seems. */
  if (!found)
    {
      docket_store_set_sqlite_error (error, docket_store_get_db (self), SQLITE_DONE, sqlite3_sql (stmt));
      return FALSE;
    }
  return TRUE;
}

gboolean
docket_store_step_done (DocketStore   *self,
                        sqlite3_stmt  *stmt,
                        GError       **error)
{
  g_autoptr(sqlite3_stmt) owned = stmt;

  return docket_store_step (self, owned, error);
}

gboolean
docket_store_run_bound (DocketStore              *self,
                        const char               *sql,
                        const DocketSqliteValue  *values,
                        guint                     n_values,
                        GError                  **error)
{
  sqlite3_stmt *stmt = docket_store_prepare_bound (self, sql, values, n_values, error);

  return stmt != NULL && docket_store_step_done (self, stmt, error);
}

/* Transactions */

gboolean
docket_store_begin_locked (DocketStore  *self,
                           GError      **error)
{
  GError *local_error = NULL;

  if (!docket_sqlite_begin_immediate (docket_store_get_db (self), &local_error))
    return docket_store_propagate_error (self, error, local_error);
  return TRUE;
}

gboolean
docket_store_commit_locked (DocketStore  *self,
                            GError      **error)
{
  GError *local_error = NULL;

  if (!docket_sqlite_commit (docket_store_get_db (self), &local_error))
    return docket_store_propagate_error (self, error, local_error);
  return TRUE;
}

void
docket_store_rollback_locked (DocketStore *self)
{
  docket_sqlite_rollback (docket_store_get_db (self));
}

gboolean
docket_store_run_transaction (DocketStore            *self,
                              DocketStoreLockedStep   step,
                              gpointer                data,
                              GError                **error)
{
  gboolean ok;

  docket_store_lock (self);
  ok = docket_store_begin_locked (self, error) &&
       step (self, data, error) &&
       docket_store_commit_locked (self, error);
  /* Whatever failed, the step or the commit itself, nothing of it stays. */
  if (!ok)
    docket_store_rollback_locked (self);
  docket_store_unlock (self);

  return ok;
}

/* The statement cache */

DocketSqliteCachedStmt *
docket_store_prepare_cached (DocketStore  *self,
                             const char   *sql,
                             GError      **error)
{
  GError *local_error = NULL;
  DocketSqliteCachedStmt *stmt = docket_sqlite_statements_get (docket_store_get_statements (self), sql,
                                                               &local_error);

  if (stmt == NULL)
    docket_store_propagate_error (self, error, local_error);
  return stmt;
}

gboolean
docket_store_run_cached_bound (DocketStore              *self,
                               const char               *sql,
                               const DocketSqliteValue  *values,
                               guint                     n_values,
                               GError                  **error)
{
  g_autoptr(DocketSqliteCachedStmt) stmt = docket_store_prepare_cached (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  docket_sqlite_bind_values (stmt, values, n_values);
  return docket_store_step (self, stmt, error);
}

/* Reading rows */

/* Names what was read in the debug log of an SQLite failure; a reader's own error is
 * already in words for the official and passes as it is. */
static void
propagate_read_error (DocketStore  *self,
                      GError      **error,
                      GError       *local_error,
                      const char   *what)
{
  if (local_error->domain == DOCKET_SQLITE_ERROR && what != NULL)
    g_prefix_error (&local_error, "%s: ", what);
  docket_store_propagate_error (self, error, local_error);
}

typedef struct {
  DocketStore          *self;
  DocketStoreRowReader  read;
  gpointer              user_data;
} StoreReader;

/* A DocketSqliteRowReader that hands the row to the store's reader, with the store. */
static gpointer
read_with_store (sqlite3_stmt  *stmt,
                 gpointer       data,
                 GError       **error)
{
  StoreReader *reader = data;

  return reader->read (reader->self, stmt, reader->user_data, error);
}

GPtrArray *
docket_store_collect_rows_locked (DocketStore          *self,
                                  sqlite3_stmt         *stmt,
                                  DocketStoreRowReader  read,
                                  gpointer              user_data,
                                  GDestroyNotify        free_row,
                                  const char           *what,
                                  GError              **error)
{
  g_autoptr(sqlite3_stmt) owned = stmt;
  StoreReader reader = { self, read, user_data };
  GError *local_error = NULL;
  GPtrArray *rows;

  if (owned == NULL)
    return NULL;

  rows = docket_sqlite_collect_rows (owned, read_with_store, &reader, free_row, &local_error);
  if (rows == NULL)
    propagate_read_error (self, error, local_error, what);
  return rows;
}

gpointer
docket_store_collect_row_locked (DocketStore          *self,
                                 sqlite3_stmt         *stmt,
                                 DocketStoreRowReader  read,
                                 gpointer              user_data,
                                 const char           *what,
                                 GError              **error)
{
  g_autoptr(sqlite3_stmt) owned = stmt;
  StoreReader reader = { self, read, user_data };
  GError *local_error = NULL;
  gpointer row;

  if (owned == NULL)
    return NULL;

  row = docket_sqlite_collect_row (owned, read_with_store, &reader, &local_error);
  if (local_error != NULL)
    propagate_read_error (self, error, local_error, what);
  return row;
}

gpointer
docket_store_read_text (DocketStore   *self,
                        sqlite3_stmt  *stmt,
                        gpointer       unused,
                        GError       **error)
{
  return docket_sqlite_read_text (stmt, unused, error);
}

gboolean
docket_store_collect_exists_locked (DocketStore  *self,
                                    sqlite3_stmt *stmt)
{
  g_autoptr(sqlite3_stmt) owned = stmt;
  gboolean found = FALSE;

  if (owned == NULL)
    return TRUE;

  /* A failed step counts as "no row", as it always has: the callers ask whether a row
   * is there, and keep what they have only when the question cannot be asked at all. */
  docket_sqlite_has_row (owned, &found, NULL);
  return found;
}
