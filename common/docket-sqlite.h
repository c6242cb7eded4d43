/* docket-sqlite.h: the one SQLite helper layer of the client's cache and the server
 *
 * Both sides keep their data in SQLite and do the same few things with it: prepare a
 * statement, bind values, step it, read its rows into records, run a transaction, and
 * turn a failure into a GError. This layer does them once, with one meaning:
 *
 * - A statement is freed with g_autoptr (sqlite3_stmt); no helper here finalizes a
 *   statement it was given (the caller owns it), except where its name says "_take".
 * - Values are bound by type through DOCKET_SQLITE_TEXT / _INT / _NULL, checked by the
 *   compiler rather than by a format string; a NULL text binds SQL NULL. Texts are
 *   copied when bound, so a value may die before the statement is stepped.
 * - A failure sets a DOCKET_SQLITE_ERROR whose code says what kind of failure it was
 *   (the disk is full, the file is read-only, damaged, busy...) and whose message, in
 *   English, says what was being done and SQLite's own words: it is for a developer's
 *   log. Each side turns it into words for its own reader (the client's cache into a
 *   message for the official that says what to do, the server into a 500 or 503).
 * - A row reader makes a record of the current row: NULL with error set stops the read,
 *   NULL without error skips the row.
 *
 * Nothing here knows of the store, the server or GTK.
 */
#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

#define DOCKET_SQLITE_ERROR (docket_sqlite_error_quark ())

typedef enum {
  DOCKET_SQLITE_ERROR_FAILED,     /* anything else: an I/O error, a misuse, a bug */
  DOCKET_SQLITE_ERROR_INVALID,    /* a constraint, a type mismatch, a value too big */
  DOCKET_SQLITE_ERROR_CORRUPT,    /* the file is damaged or not a database */
  DOCKET_SQLITE_ERROR_READ_ONLY,  /* the file or its folder cannot be written or opened */
  DOCKET_SQLITE_ERROR_BUSY,       /* another connection holds the lock */
  DOCKET_SQLITE_ERROR_NO_SPACE,   /* the disk, or the user's quota, is full */
} DocketSqliteError;

GQuark            docket_sqlite_error_quark       (void);

/* Sets error from the result code rc of a call on db (db may be NULL when there is no
 * connection yet); what names the statement or file, for the message. The kind of
 * failure is read from rc and, for a write that failed, from the system's errno that
 * SQLite kept, so call it right after the failing call. Returns FALSE, for
 * `return docket_sqlite_set_error (...)`. */
gboolean          docket_sqlite_set_error         (GError     **error,
                                                   sqlite3     *db,
                                                   int          rc,
                                                   const char  *what);

/* A value bound to a statement's parameter. */
typedef enum {
  DOCKET_SQLITE_VALUE_TEXT,       /* a NULL text binds SQL NULL */
  DOCKET_SQLITE_VALUE_INT,
  DOCKET_SQLITE_VALUE_NULL,
} DocketSqliteValueKind;

typedef struct {
  DocketSqliteValueKind  kind;
  const char            *text;
  gint64                 number;
} DocketSqliteValue;

#define DOCKET_SQLITE_TEXT(s) ((DocketSqliteValue) { .kind = DOCKET_SQLITE_VALUE_TEXT, .text = (s) })
#define DOCKET_SQLITE_INT(n)  ((DocketSqliteValue) { .kind = DOCKET_SQLITE_VALUE_INT, .number = (n) })
#define DOCKET_SQLITE_NULL    ((DocketSqliteValue) { .kind = DOCKET_SQLITE_VALUE_NULL })

/* The values as the arguments of a call: a compound-literal array and its length. */
#define DOCKET_SQLITE_VALUES(...) \
  ((const DocketSqliteValue[]) { __VA_ARGS__ }), \
  G_N_ELEMENTS (((const DocketSqliteValue[]) { __VA_ARGS__ }))

/* Runs sql, which may hold several statements and returns no rows worth reading. */
gboolean          docket_sqlite_exec              (sqlite3                  *db,
                                                   const char               *sql,
                                                   GError                  **error);
sqlite3_stmt     *docket_sqlite_prepare           (sqlite3                  *db,
                                                   const char               *sql,
                                                   GError                  **error);

/* Binds text to parameter index (from 1); NULL binds SQL NULL. */
void              docket_sqlite_bind_text         (sqlite3_stmt             *stmt,
                                                   int                       index,
                                                   const char               *text);
/* Binds values to the parameters 1, 2, 3... in order. */
void              docket_sqlite_bind_values       (sqlite3_stmt             *stmt,
                                                   const DocketSqliteValue  *values,
                                                   guint                     n_values);
/* Prepares sql and binds values to it; NULL with error set when it cannot be prepared. */
sqlite3_stmt     *docket_sqlite_prepare_bound     (sqlite3                  *db,
                                                   const char               *sql,
                                                   const DocketSqliteValue  *values,
                                                   guint                     n_values,
                                                   GError                  **error);
/* Steps stmt once; a row or its end is a success (the rows are not wanted). */
gboolean          docket_sqlite_step_done         (sqlite3_stmt             *stmt,
                                                   GError                  **error);
/* Prepares, binds, steps and finalizes one statement whose rows are not wanted. */
gboolean          docket_sqlite_run_bound         (sqlite3                  *db,
                                                   const char               *sql,
                                                   const DocketSqliteValue  *values,
                                                   guint                     n_values,
                                                   GError                  **error);

/* docket_sqlite_run (db, sql, error, DOCKET_SQLITE_TEXT (id), DOCKET_SQLITE_INT (seq)) */
#define docket_sqlite_run(db, sql, error, ...) \
  docket_sqlite_run_bound ((db), (sql), DOCKET_SQLITE_VALUES (__VA_ARGS__), (error))
#define docket_sqlite_prepare_with(db, sql, error, ...) \
  docket_sqlite_prepare_bound ((db), (sql), DOCKET_SQLITE_VALUES (__VA_ARGS__), (error))

/* A copy of the text of column index, NULL for SQL NULL. */
char             *docket_sqlite_column_dup        (sqlite3_stmt             *stmt,
                                                   int                       index);

/* Makes a record of the current row of stmt: NULL with error set stops the read, NULL
 * without error skips the row. */
typedef gpointer (*DocketSqliteRowReader) (sqlite3_stmt  *stmt,
                                           gpointer       user_data,
                                           GError       **error);
/* Called for each row of a statement; FALSE (with error set) stops the walk. */
typedef gboolean (*DocketSqliteRowFunc)   (sqlite3_stmt  *stmt,
                                           gpointer       user_data,
                                           GError       **error);

/* Steps stmt to its end, calling func on each row. A NULL stmt (a failed prepare that
 * already set error) returns FALSE. */
gboolean          docket_sqlite_each_row          (sqlite3_stmt             *stmt,
                                                   DocketSqliteRowFunc       func,
                                                   gpointer                  user_data,
                                                   GError                  **error);
/* Every row of stmt, each made by read, in an array that frees them with free_row; NULL
 * with error set when a step or a read fails, or when stmt is NULL. */
GPtrArray        *docket_sqlite_collect_rows      (sqlite3_stmt             *stmt,
                                                   DocketSqliteRowReader     read,
                                                   gpointer                  user_data,
                                                   GDestroyNotify            free_row,
                                                   GError                  **error);
/* The first row of stmt made by read; NULL without error when there is none (or when
 * read skipped it). */
gpointer          docket_sqlite_collect_row       (sqlite3_stmt             *stmt,
                                                   DocketSqliteRowReader     read,
                                                   gpointer                  user_data,
                                                   GError                  **error);
/* A DocketSqliteRowReader: a copy of the text of column 0. */
gpointer          docket_sqlite_read_text         (sqlite3_stmt             *stmt,
                                                   gpointer                  unused,
                                                   GError                  **error);
/* Whether stmt gives a row, in found; FALSE with error set when the step fails or stmt
 * is NULL. */
gboolean          docket_sqlite_has_row           (sqlite3_stmt             *stmt,
                                                   gboolean                 *found,
                                                   GError                  **error);

/* A transaction that rolls back unless committed: declare it with
 *
 *   g_auto (DocketSqliteTransaction) tx = DOCKET_SQLITE_TRANSACTION_INIT;
 *   if (!docket_sqlite_transaction_begin (&tx, db, error)) return FALSE;
 *   ... every early return rolls back ...
 *   return docket_sqlite_transaction_commit (&tx, error);
 *
 * begin takes the write lock at once (BEGIN IMMEDIATE), so that two connections never
 * deadlock upgrading a read to a write. */
typedef struct {
  sqlite3  *db;
  gboolean  open;
} DocketSqliteTransaction;

#define DOCKET_SQLITE_TRANSACTION_INIT { NULL, FALSE }

gboolean          docket_sqlite_transaction_begin  (DocketSqliteTransaction  *tx,
                                                    sqlite3                  *db,
                                                    GError                  **error);
gboolean          docket_sqlite_transaction_commit (DocketSqliteTransaction  *tx,
                                                    GError                  **error);
/* Rolls back when still open; what g_auto does at the end of the scope. */
void              docket_sqlite_transaction_clear  (DocketSqliteTransaction  *tx);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DocketSqliteTransaction, docket_sqlite_transaction_clear)

/* Plain transaction statements, for code that spans calls (the caller keeps track). */
gboolean          docket_sqlite_begin_immediate   (sqlite3                  *db,
                                                   GError                  **error);
gboolean          docket_sqlite_commit            (sqlite3                  *db,
                                                   GError                  **error);
/* Rolls back when a transaction is open; never fails (a failed rollback leaves SQLite
 * to roll back when the connection closes). */
void              docket_sqlite_rollback          (sqlite3                  *db);

/* A cache of prepared statements of one connection, for paths that run the same few
 * statements thousands of times (applying a feed page): a statement is prepared once,
 * found again by the address of its SQL text (a string literal) and checked against
 * the text, and finalized with the cache. One thread at a time. */
typedef struct _DocketSqliteStatements DocketSqliteStatements;

DocketSqliteStatements *docket_sqlite_statements_new  (sqlite3                 *db);
void                    docket_sqlite_statements_free (DocketSqliteStatements  *self);
/* The cached statement for sql, reset and with no bindings; release it with
 * docket_sqlite_release (g_autoptr (DocketSqliteCachedStmt)) when done. */
typedef sqlite3_stmt DocketSqliteCachedStmt;
DocketSqliteCachedStmt *docket_sqlite_statements_get  (DocketSqliteStatements  *self,
                                                       const char              *sql,
                                                       GError                 **error);
/* Resets a cached statement and clears its bindings, so that it neither holds a read
 * open nor leaks a value into its next use. */
void                    docket_sqlite_release         (DocketSqliteCachedStmt  *stmt);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketSqliteStatements, docket_sqlite_statements_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketSqliteCachedStmt, docket_sqlite_release)

G_END_DECLS
