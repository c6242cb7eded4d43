/* docket-store-private.h: what the files of the store share, and nothing outside it
 *
 * The store is one object over one SQLite connection, its core in docket-store.c and its
 * work in files named for what they hold (docs/architecture.md, "The store's files"):
 * the schema (docket-store-schema.c), applying the feed (docket-store-feed.c), reading
 * its entities back (docket-store-meetings.c), the contents' files and rows
 * (docket-store-blobs.c), the official's annotations (docket-store-annotations.c),
 * notes (docket-store-notes.c) and outbox (docket-store-outbox.c), the reader's memory (docket-store-reader.c), the search
 * index (docket-store-search*.c). They reach the connection through these functions,
 * the SQL ones wrappers over common/docket-sqlite (docket-store-sqlite.c). Every use
 * of the connection that takes more than one statement holds the store's lock.
 */
#pragma once

#include <sqlite3.h>

#include "docket-sqlite.h"

#include "docket-store.h"

G_BEGIN_DECLS

void          docket_store_lock             (DocketStore   *self);
void          docket_store_unlock           (DocketStore   *self);
sqlite3      *docket_store_get_db           (DocketStore   *self);
/* The connection's statement cache (common/docket-sqlite), under the lock. */
DocketSqliteStatements *docket_store_get_statements (DocketStore *self);
/* Where the contents are (PROFILE/documents/XX/SHA.pdf) and their partial downloads. */
const char   *docket_store_get_documents_dir (DocketStore *self);
const char   *docket_store_get_partial_dir  (DocketStore *self);

/* The store's side of common/docket-sqlite (docket-store-sqlite.c): the same helpers on
 * the store's connection, whose failures become DOCKET_STORE_ERRORs in words for the
 * official (SQLite's own words and the statement go to the debug log). A statement is
 * freed with g_autoptr (sqlite3_stmt); values are bound by type (DOCKET_SQLITE_TEXT,
 * _INT, _NULL), a NULL text binding SQL NULL. */

/* Sets error from an SQLite result code, with a message for the official; what is the
 * statement or file, for the debug log. */
void          docket_store_set_sqlite_error (GError       **error,
                                             sqlite3       *db,
                                             int            rc,
                                             const char    *what);
/* Takes local_error: a DOCKET_SQLITE_ERROR becomes the store's error, in words for the
 * official; any other error passes as it is. Call it right after the failing call (the
 * connection's message is read). Returns FALSE. */
gboolean      docket_store_propagate_error  (DocketStore   *self,
                                             GError       **error,
                                             GError        *local_error);
gboolean      docket_store_exec             (DocketStore   *self,
                                             const char    *sql,
                                             GError       **error);
sqlite3_stmt *docket_store_prepare          (DocketStore   *self,
                                             const char    *sql,
                                             GError       **error);
/* Prepares sql and binds values to ?1, ?2... in order. */
sqlite3_stmt *docket_store_prepare_bound    (DocketStore              *self,
                                             const char               *sql,
                                             const DocketSqliteValue  *values,
                                             guint                     n_values,
                                             GError                  **error);
/* Steps stmt once, whose rows are not wanted; stmt stays the caller's. */
gboolean      docket_store_step             (DocketStore   *self,
                                             sqlite3_stmt  *stmt,
                                             GError       **error);
/* Steps stmt once for a row: found says whether there is one, to read from stmt. */
gboolean      docket_store_step_row         (DocketStore   *self,
                                             sqlite3_stmt  *stmt,
                                             gboolean      *found,
                                             GError       **error);
/* Steps stmt for the one row it always gives (a count, a pragma, the account): no row
 * is an error too. */
gboolean      docket_store_step_one_row     (DocketStore   *self,
                                             sqlite3_stmt  *stmt,
                                             GError       **error);
/* Steps stmt once, whose rows are not wanted, and finalizes it. */
gboolean      docket_store_step_done        (DocketStore   *self,
                                             sqlite3_stmt  *stmt,
                                             GError       **error);
/* Prepares, binds, steps and finalizes one statement whose rows are not wanted. */
gboolean      docket_store_run_bound        (DocketStore              *self,
                                             const char               *sql,
                                             const DocketSqliteValue  *values,
                                             guint                     n_values,
                                             GError                  **error);

/* docket_store_run (self, sql, error, DOCKET_SQLITE_TEXT (id), DOCKET_SQLITE_INT (n)) */
#define docket_store_run(self, sql, error, ...) \
  docket_store_run_bound ((self), (sql), DOCKET_SQLITE_VALUES (__VA_ARGS__), (error))
#define docket_store_prepare_with(self, sql, error, ...) \
  docket_store_prepare_bound ((self), (sql), DOCKET_SQLITE_VALUES (__VA_ARGS__), (error))

/* BEGIN IMMEDIATE, COMMIT and ROLLBACK on the store's connection, under its lock. The
 * rollback does nothing when no transaction is open, and never fails. */
gboolean      docket_store_begin_locked     (DocketStore   *self,
                                             GError       **error);
gboolean      docket_store_commit_locked    (DocketStore   *self,
                                             GError       **error);
void          docket_store_rollback_locked  (DocketStore   *self);

/* A step of a transaction: what it writes, under the lock, inside the transaction. */
typedef gboolean (*DocketStoreLockedStep) (DocketStore  *self,
                                           gpointer      data,
                                           GError      **error);

/* Runs step in one transaction under the lock: all of it is committed, or none. */
gboolean      docket_store_run_transaction  (DocketStore            *self,
                                             DocketStoreLockedStep   step,
                                             gpointer                data,
                                             GError                **error);

/* The statement cache: the apply path runs the same few statements for every change of
 * a page, and preparing them anew each time cost more than running them. A cached
 * statement is prepared once per connection (docket_sqlite_statements_get) and kept
 * until the store is finalized; it is used under the store's lock only, by one caller
 * at a time, and released with g_autoptr (DocketSqliteCachedStmt), which resets it. */
DocketSqliteCachedStmt *docket_store_prepare_cached   (DocketStore              *self,
                                                       const char               *sql,
                                                       GError                  **error);
/* docket_store_run_bound through the cache. */
gboolean                docket_store_run_cached_bound (DocketStore              *self,
                                                       const char               *sql,
                                                       const DocketSqliteValue  *values,
                                                       guint                     n_values,
                                                       GError                  **error);
#define docket_store_run_cached(self, sql, error, ...) \
  docket_store_run_cached_bound ((self), (sql), DOCKET_SQLITE_VALUES (__VA_ARGS__), (error))

/* Makes what the current row of stmt holds: NULL with error set stops the read, NULL
 * without error skips the row. */
typedef gpointer (*DocketStoreRowReader) (DocketStore   *self,
                                          sqlite3_stmt  *stmt,
                                          gpointer       user_data,
                                          GError       **error);

/* Every row of stmt, each made by read, in an array that frees them with free_row;
 * finalizes stmt (docket_sqlite_collect_rows). NULL with error set when a step or read
 * fails, or when stmt is NULL (a failed prepare, whose error is already set); what names
 * the table in the debug log. Under the store's lock. */
GPtrArray    *docket_store_collect_rows_locked (DocketStore          *self,
                                                sqlite3_stmt         *stmt,
                                                DocketStoreRowReader  read,
                                                gpointer              user_data,
                                                GDestroyNotify        free_row,
                                                const char           *what,
                                                GError              **error);
/* The first row of stmt made by read, likewise; NULL without error when there is none. */
gpointer      docket_store_collect_row_locked  (DocketStore          *self,
                                                sqlite3_stmt         *stmt,
                                                DocketStoreRowReader  read,
                                                gpointer              user_data,
                                                const char           *what,
                                                GError              **error);
/* A DocketStoreRowReader: the text of column 0. */
gpointer      docket_store_read_text        (DocketStore   *self,
                                             sqlite3_stmt  *stmt,
                                             gpointer       unused,
                                             GError       **error);
/* Whether stmt gives a row; finalizes it. TRUE when stmt is NULL: when in doubt, the
 * callers keep what they have. */
gboolean      docket_store_collect_exists_locked (DocketStore    *self,
                                                  sqlite3_stmt   *stmt);

/* Emits "changed" soon, on the opening thread's main context: call after a commit. */
void          docket_store_queue_changed    (DocketStore   *self);
/* Emits "outbox-changed" soon, likewise. */
void          docket_store_queue_outbox_changed (DocketStore *self);
/* "outbox-refused", likewise through an idle. */
void          docket_store_queue_outbox_refused (DocketStore      *self,
                                                 DocketOutboxKind  kind,
                                                 guint             status,
                                                 const char       *reason,
                                                 gboolean          gone);

/* Runs job (self, data, &error) in a worker thread: the pattern of every *_async of the
 * store. A job returns its result, or NULL with error set (NULL without error is a
 * valid result). */
typedef gpointer (*DocketStoreJob) (DocketStore  *self,
                                    gpointer      data,
                                    GError      **error);

void          docket_store_run_in_thread    (DocketStore         *self,
                                             DocketStoreJob       job,
                                             gpointer             data,
                                             GDestroyNotify       data_free,
                                             GDestroyNotify       result_free,
                                             gpointer             source_tag,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
/* The same for a read: a cancelled task returns at once, leaving its job to end
 * unwatched (a write that began must end before its answer). */
void          docket_store_run_read_in_thread (DocketStore         *self,
                                               DocketStoreJob       job,
                                               gpointer             data,
                                               GDestroyNotify       data_free,
                                               GDestroyNotify       result_free,
                                               gpointer             source_tag,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gpointer      docket_store_run_finish       (DocketStore         *self,
                                             GAsyncResult        *result,
                                             gpointer             source_tag,
                                             GError             **error);

/* The schema (docket-store-schema.c). */

/* Checks that the file of db_path is a cache of ours and not of a newer schema, then
 * brings it to DOCKET_STORE_SCHEMA_VERSION, one migration per transaction. */
gboolean      docket_store_schema_migrate   (DocketStore   *self,
                                             const char    *db_path,
                                             GError       **error);

/* The account is forgotten (docket_store_clear): its user and the server's
 * capabilities go from memory too. */
void          docket_store_forget_account_info (DocketStore *self);

/* The live records of the feed (docket-store-live.c), inside the page's transaction. */
gboolean      docket_store_upsert_meeting_state_locked (DocketStore                     *self,
                                                        const DocketMeetingStateRecord  *state,
                                                        GError                         **error);
gboolean      docket_store_upsert_attendance_locked (DocketStore                   *self,
                                                     const DocketAttendanceRecord  *attendance,
                                                     GError                       **error);
gboolean      docket_store_upsert_speech_locked (DocketStore               *self,
                                                 const DocketSpeechRecord  *speech,
                                                 GError                   **error);

/* Contents: their files, and after a reboot (docket-store-blobs.c). */

/* The path of the content sha256, or NULL with error set when it is not a valid
 * checksum. */
char         *docket_store_dup_valid_blob_path (DocketStore   *self,
                                                const char    *sha256,
                                                GError       **error);
/* After a crash between a commit and the unlink of a file, or a file removed by hand:
 * makes the folder and the blobs table agree. Under the lock, outside a transaction. */
void          docket_store_blobs_reconcile_locked (DocketStore  *self);
/* Deletes the partial downloads of contents no document needs, or already complete. */
void          docket_store_blobs_sweep_partial_locked (DocketStore *self);
/* Deletes the files (and partial downloads) of the checksums shas: after the commit
 * that removed their rows. */
void          docket_store_blobs_unlink_files (DocketStore  *self,
                                               GPtrArray    *shas);
/* Deletes the rows of contents no document refers to any more, and their text in the
 * search index; adds their checksums to out_shas, for docket_store_blobs_unlink_files
 * after the commit. Inside a transaction, under the lock. */
gboolean      docket_store_blobs_collect_unreferenced_locked (DocketStore  *self,
                                                              GPtrArray    *out_shas,
                                                              GError      **error);

/* Registers docket_boot_id () and the temporary view verified_blobs (the contents that
 * may be read: written under this boot or re-hashed since) on the store's connection:
 * after the migrations, on every open. */
gboolean      docket_store_blobs_register_trust (DocketStore  *self,
                                                 GError      **error);

/* The search index: its tokenizer (docket-store-search-tokenizer.c), its building
 * (docket-store-search-index.c), its queries (docket-store-search.c). */

/* A token longer than this (in bytes, folded) is cut: no word is that long, and a PDF
 * with a megabyte of letters without a space must not cost a megabyte per token. */
#define DOCKET_STORE_MAX_TOKEN_BYTES 128

/* Called for each word: its folded form (token_len bytes) and the byte range of the
 * original text; a non-zero answer stops the walk. */
typedef int (*DocketStoreTokenFunc) (gpointer    data,
                                     const char *token,
                                     int         token_len,
                                     int         start,
                                     int         end);

/* Calls func for each word of text (length bytes), as the index's tokenizer cuts it
 * (docket-store-search-tokenizer.c). Stops at the first non-zero answer of func and
 * returns it. Invalid UTF-8 separates words. */
int           docket_store_search_tokenize  (const char            *text,
                                             int                    length,
                                             DocketStoreTokenFunc   func,
                                             gpointer               data);
/* Registers the "docket" FTS5 tokenizer on db: before the migrations, on every open. */
gboolean      docket_store_search_register_tokenizer (sqlite3      *db,
                                                      GError      **error);
/* Deletes the index rows of contents no longer in the blobs table; inside the
 * transaction that removed them, under the store's lock. */
gboolean      docket_store_search_forget_uncached_locked (DocketStore  *self,
                                                          GError      **error);
/* The FTS5 query for what the official typed, or NULL when it holds no word (for the
 * tests). */
char         *docket_store_search_build_query (const char   *text);

/* The official's annotations (docket-store-annotations.c), notes (docket-store-notes.c)
 * and outbox (docket-store-outbox.c). */

/* The time of the official's edits, in milliseconds since the epoch. */
static inline gint64
docket_store_now_ms (void)
{
  return g_get_real_time () / 1000;
}

/* Windows and old Mac line ends, from a paste, become "\n". */
char         *docket_store_normalize_newlines (const char *text);
/* A note's entity_id in the outbox: "TARGET/ID". */
char         *docket_store_note_key         (DocketNoteTarget  target,
                                             const char       *target_id);

/* Emits "changed" and "outbox-changed" after the commit of an edit of the official's:
 * the models reload, and the sync engine sends the operation it queued. */
void          docket_store_queue_edited     (DocketStore   *self);
/* Whether an operation on entity_id waits in the outbox; TRUE when in doubt (the
 * question cannot be asked): the local state is the official's. */
gboolean      docket_store_outbox_has_pending_locked (DocketStore *self,
                                                      const char  *entity_id);
/* Queues an operation on entity_id, inside the edit's transaction; a put waiting for
 * the same entity is folded into it. */
gboolean      docket_store_outbox_queue_locked (DocketStore       *self,
                                                DocketOutboxKind   kind,
                                                const char        *entity_id,
                                                const char        *body,
                                                GError           **error);

/* Applies a change of type "annotation" or "note" from the feed, inside the page's
 * transaction, under the store's lock: skipped while operations of it wait in the
 * outbox, or when what the store has is newer. */
gboolean      docket_store_apply_own_change_locked (DocketStore   *self,
                                                    DocketChange  *change,
                                                    GError       **error);
/* The same for each kind, change->record set unless it is a deletion. */
gboolean      docket_store_apply_annotation_change_locked (DocketStore   *self,
                                                           DocketChange  *change,
                                                           GError       **error);
gboolean      docket_store_apply_note_change_locked (DocketStore   *self,
                                                     DocketChange  *change,
                                                     GError       **error);
/* A full sync (docket-store-feed.c) brought this annotation or note: records it in
 * full_sync_seen with the revision the server has. */
gboolean      docket_store_own_change_seen_locked (DocketStore   *self,
                                                   DocketChange  *change,
                                                   GError       **error);
/* At the end of a full sync: queues again (as puts) the official's annotations and notes
 * the server had answered but no longer has, or has older; out_queued gets how many.
 * Inside the full sync's last transaction. */
gboolean      docket_store_requeue_lost_own_data_locked (DocketStore  *self,
                                                         guint        *out_queued,
                                                         GError      **error);
/* The same for annotations only, and for notes only. */
gboolean      docket_store_annotations_requeue_lost_locked (DocketStore  *self,
                                                            guint        *out_queued,
                                                            GError      **error);
gboolean      docket_store_notes_requeue_lost_locked (DocketStore  *self,
                                                      guint        *out_queued,
                                                      GError      **error);
/* Forgets every annotation, note and operation (signing out); inside a transaction. */
gboolean      docket_store_clear_own_data_locked   (DocketStore   *self,
                                                    GError       **error);

G_END_DECLS
