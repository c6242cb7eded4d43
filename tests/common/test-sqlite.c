/* test-sqlite.c: the shared SQLite layer (common/docket-sqlite.c) on real database files
 *
 * What both the client's cache and the server rely on: values bind by type, rows are
 * collected, skipped or stop the read, a transaction rolls back unless committed, the
 * statement cache gives the same statement back clean, and each kind of failure (a
 * constraint, a full database, a read-only file, a damaged file, a lock held
 * elsewhere) gets its own error code.
 */
#include <glib/gstdio.h>

#include "docket-sqlite.h"

typedef struct {
  char    *dir;
  char    *path;
  sqlite3 *db;
} Fixture;

static sqlite3 *
open_db (const char *path,
         int         flags)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, flags, NULL), ==, SQLITE_OK);
  return db;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("docket-sqlite-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "test.db", NULL);
  fixture->db = open_db (fixture->path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  g_assert_true (docket_sqlite_exec (fixture->db,
                                     "CREATE TABLE t (id TEXT PRIMARY KEY, n INTEGER, note TEXT);",
                                     &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *journal = g_strconcat (fixture->path, "-journal", NULL);

  sqlite3_close (fixture->db);
  g_remove (fixture->path);
  g_remove (journal);
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static gint64
count_rows (sqlite3 *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3_stmt) stmt = docket_sqlite_prepare (db, "SELECT count(*) FROM t", &error);

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return sqlite3_column_int64 (stmt, 0);
}

static void
test_values_bind_by_type (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *note = NULL;
  char *id = g_strdup ("a");

  /* Texts are copied when bound: the value may die before the statement is stepped. */
  stmt = docket_sqlite_prepare_with (fixture->db, "INSERT INTO t VALUES (?1, ?2, ?3)", &error,
                                     DOCKET_SQLITE_TEXT (id), DOCKET_SQLITE_INT (G_MAXINT64),
                                     DOCKET_SQLITE_TEXT (NULL));
  g_assert_no_error (error);
  g_free (id);
  g_assert_true (docket_sqlite_step_done (stmt, &error));
  g_assert_no_error (error);
  g_clear_pointer (&stmt, sqlite3_finalize);

  g_assert_true (docket_sqlite_run (fixture->db, "INSERT INTO t VALUES (?1, ?2, ?3)", &error,
                                    DOCKET_SQLITE_TEXT ("b"), DOCKET_SQLITE_NULL,
                                    DOCKET_SQLITE_TEXT ("Biên bản")));
  g_assert_no_error (error);

  stmt = docket_sqlite_prepare (fixture->db, "SELECT id, n, typeof (n), note FROM t ORDER BY id", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "a");
  g_assert_cmpint (sqlite3_column_int64 (stmt, 1), ==, G_MAXINT64);
  g_assert_null (docket_sqlite_column_dup (stmt, 3));
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 2), ==, "null");
  note = docket_sqlite_column_dup (stmt, 3);
  g_assert_cmpstr (note, ==, "Biên bản");
}

static gpointer
read_id_skipping_b (sqlite3_stmt  *stmt,
                    gpointer       user_data,
                    GError       **error)
{
  const char *id = (const char *) sqlite3_column_text (stmt, 0);

  if (g_strcmp0 (id, "b") == 0)
    return NULL;
  if (g_strcmp0 (id, user_data) == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "refused %s", id);
      return NULL;
    }
  return g_strdup (id);
}

static void
insert_abc (sqlite3 *db)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (docket_sqlite_exec (db,
                                     "INSERT INTO t (id, n) VALUES ('a', 1), ('b', 2), ('c', 3);",
                                     &error));
  g_assert_no_error (error);
}

static void
test_rows_collected_skipped_or_stopped (Fixture       *fixture,
                                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *first = NULL;
  gboolean found = TRUE;

  insert_abc (fixture->db);

  stmt = docket_sqlite_prepare (fixture->db, "SELECT id FROM t ORDER BY id", &error);
  rows = docket_sqlite_collect_rows (stmt, read_id_skipping_b, NULL, g_free, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (rows, 0), ==, "a");
  g_assert_cmpstr (g_ptr_array_index (rows, 1), ==, "c");
  g_clear_pointer (&rows, g_ptr_array_unref);
  g_clear_pointer (&stmt, sqlite3_finalize);

  /* A reader's error stops the read and is the caller's. */
  stmt = docket_sqlite_prepare (fixture->db, "SELECT id FROM t ORDER BY id", &error);
  rows = docket_sqlite_collect_rows (stmt, read_id_skipping_b, (gpointer) "c", g_free, &error);
  g_assert_null (rows);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);
  g_clear_pointer (&stmt, sqlite3_finalize);

  /* A failed prepare's NULL passes through without a second error. */
  stmt = docket_sqlite_prepare (fixture->db, "SELECT nothing FROM nowhere", &error);
  g_assert_null (stmt);
  g_assert_error (error, DOCKET_SQLITE_ERROR, DOCKET_SQLITE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "nowhere"));
  g_assert_null (docket_sqlite_collect_rows (stmt, read_id_skipping_b, NULL, g_free, &error));
  g_clear_error (&error);

  stmt = docket_sqlite_prepare_with (fixture->db, "SELECT id FROM t WHERE n > ?1 ORDER BY id",
                                     &error, DOCKET_SQLITE_INT (2));
  first = docket_sqlite_collect_row (stmt, docket_sqlite_read_text, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first, ==, "c");
  g_clear_pointer (&stmt, sqlite3_finalize);

  stmt = docket_sqlite_prepare_with (fixture->db, "SELECT id FROM t WHERE n > ?1", &error,
                                     DOCKET_SQLITE_INT (3));
  g_assert_true (docket_sqlite_has_row (stmt, &found, &error));
  g_assert_no_error (error);
  g_assert_false (found);
}

static gboolean
fail_on_second_row (sqlite3_stmt  *stmt,
                    gpointer       user_data,
                    GError       **error)
{
  guint *seen = user_data;

  if (++*seen == 2)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "stop");
      return FALSE;
    }
  return TRUE;
}

static void
test_each_row_stops_on_false (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  guint seen = 0;

  insert_abc (fixture->db);
  stmt = docket_sqlite_prepare (fixture->db, "SELECT id FROM t", &error);
  g_assert_false (docket_sqlite_each_row (stmt, fail_on_second_row, &seen, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (seen, ==, 2);
}

static gboolean
insert_then_fail (sqlite3  *db,
                  gboolean  commit,
                  GError  **error)
{
  g_auto(DocketSqliteTransaction) tx = DOCKET_SQLITE_TRANSACTION_INIT;

  if (!docket_sqlite_transaction_begin (&tx, db, error))
    return FALSE;
  if (!docket_sqlite_run (db, "INSERT INTO t (id) VALUES (?1)", error, DOCKET_SQLITE_TEXT ("x")))
    return FALSE;
  if (!commit)
    return FALSE;   /* an early return: the scope's end rolls back */
  return docket_sqlite_transaction_commit (&tx, error);
}

static void
test_transaction_rolls_back_unless_committed (Fixture       *fixture,
                                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (insert_then_fail (fixture->db, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (sqlite3_get_autocommit (fixture->db));
  g_assert_cmpint (count_rows (fixture->db), ==, 0);

  g_assert_true (insert_then_fail (fixture->db, TRUE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (fixture->db), ==, 1);

  /* A constraint is INVALID, and rolls back too. */
  g_assert_false (insert_then_fail (fixture->db, TRUE, &error));
  g_assert_error (error, DOCKET_SQLITE_ERROR, DOCKET_SQLITE_ERROR_INVALID);
  g_assert_true (sqlite3_get_autocommit (fixture->db));
  g_assert_cmpint (count_rows (fixture->db), ==, 1);
}

static void
test_statement_cache (Fixture       *fixture,
                      gconstpointer  data)
{
  static const char sql[] = "SELECT id FROM t WHERE n >= ?1 ORDER BY id";
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketSqliteStatements) cache = docket_sqlite_statements_new (fixture->db);
  sqlite3_stmt *first_stmt;

  insert_abc (fixture->db);
  {
    g_autoptr(DocketSqliteCachedStmt) stmt = docket_sqlite_statements_get (cache, sql, &error);

    g_assert_no_error (error);
    first_stmt = stmt;
    sqlite3_bind_int64 (stmt, 1, 2);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "b");
    /* released here, in the middle of its rows */
  }
  {
    g_autoptr(DocketSqliteCachedStmt) stmt = docket_sqlite_statements_get (cache, sql, &error);

    g_assert_no_error (error);
    g_assert_true (stmt == first_stmt);
    /* Reset and unbound: no read is held open and ?1 is NULL, so no row matches. */
    g_assert_false (sqlite3_stmt_busy (stmt));
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  }
}

static void
test_full_database_is_no_space (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *big = g_strnfill (64 * 1024, 'x');

  /* A database that may not grow: SQLITE_FULL, as a full disk gives. */
  g_assert_true (docket_sqlite_exec (fixture->db, "PRAGMA max_page_count = 8", &error));
  g_assert_false (docket_sqlite_run (fixture->db, "INSERT INTO t (id, note) VALUES ('big', ?1)",
                                     &error, DOCKET_SQLITE_TEXT (big)));
  g_assert_error (error, DOCKET_SQLITE_ERROR, DOCKET_SQLITE_ERROR_NO_SPACE);
  g_assert_cmpint (count_rows (fixture->db), ==, 0);
}

static void
test_read_only_file (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  sqlite3 *reader = open_db (fixture->path, SQLITE_OPEN_READONLY);

  g_assert_false (docket_sqlite_run (reader, "INSERT INTO t (id) VALUES ('r')", &error,
                                     DOCKET_SQLITE_NULL));
  g_assert_error (error, DOCKET_SQLITE_ERROR, DOCKET_SQLITE_ERROR_READ_ONLY);
  sqlite3_close (reader);
}

static void
test_damaged_file (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "damaged.db", NULL);
  g_autofree char *garbage = g_strnfill (8192, '\x5a');
  g_autoptr(sqlite3_stmt) stmt = NULL;
  sqlite3 *db;

  g_assert_true (g_file_set_contents (path, garbage, 8192, &error));
  db = open_db (path, SQLITE_OPEN_READWRITE);
  stmt = docket_sqlite_prepare (db, "SELECT * FROM sqlite_master", &error);
  g_assert_null (stmt);
  g_assert_error (error, DOCKET_SQLITE_ERROR, DOCKET_SQLITE_ERROR_CORRUPT);
  sqlite3_close (db);
  g_remove (path);
}

static void
test_lock_held_elsewhere_is_busy (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_auto(DocketSqliteTransaction) held = DOCKET_SQLITE_TRANSACTION_INIT;
  g_auto(DocketSqliteTransaction) tx = DOCKET_SQLITE_TRANSACTION_INIT;
  sqlite3 *other = open_db (fixture->path, SQLITE_OPEN_READWRITE);

  g_assert_true (docket_sqlite_transaction_begin (&held, fixture->db, &error));
  g_assert_false (docket_sqlite_transaction_begin (&tx, other, &error));
  g_assert_error (error, DOCKET_SQLITE_ERROR, DOCKET_SQLITE_ERROR_BUSY);
  g_assert_false (tx.open);
  docket_sqlite_transaction_clear (&held);
  sqlite3_close (other);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/sqlite/values-bind-by-type", test_values_bind_by_type);
  ADD ("/sqlite/rows-collected-skipped-or-stopped", test_rows_collected_skipped_or_stopped);
  ADD ("/sqlite/each-row-stops-on-false", test_each_row_stops_on_false);
  ADD ("/sqlite/transaction-rolls-back-unless-committed", test_transaction_rolls_back_unless_committed);
  ADD ("/sqlite/statement-cache", test_statement_cache);
  ADD ("/sqlite/error/full-database", test_full_database_is_no_space);
  ADD ("/sqlite/error/read-only-file", test_read_only_file);
  ADD ("/sqlite/error/damaged-file", test_damaged_file);
  ADD ("/sqlite/error/lock-held-elsewhere", test_lock_held_elsewhere_is_busy);
#undef ADD

  return g_test_run ();
}
