/* docket-store-private.h: what the files of the store share, and nothing outside it
 *
 * The store is one object over one SQLite connection; its parts (the feed's entities in
 * docket-store.c, the reader's data in docket-store-reader.c, the search index in
 * docket-store-search.c, the official's annotations, notes and outbox in
 * docket-store-annotations.c) reach the connection through these functions. Every use
 * of the connection that takes more than one statement holds the store's lock.
 */
#pragma once

#include <sqlite3.h>

#include "docket-store.h"

G_BEGIN_DECLS

void          docket_store_lock             (DocketStore   *self);
void          docket_store_unlock           (DocketStore   *self);
sqlite3      *docket_store_get_db           (DocketStore   *self);

/* Sets error from an SQLite result code, with a message for the official; what is the
 * statement or file, for the debug log. */
void          docket_store_set_sqlite_error (GError       **error,
                                             sqlite3       *db,
                                             int            rc,
                                             const char    *what);
gboolean      docket_store_exec             (DocketStore   *self,
                                             const char    *sql,
                                             GError       **error);
sqlite3_stmt *docket_store_prepare          (DocketStore   *self,
                                             const char    *sql,
                                             GError       **error);
/* Steps a statement that returns no rows (or whose rows are not wanted) and finalizes it. */
gboolean      docket_store_step_done        (DocketStore   *self,
                                             sqlite3_stmt  *stmt,
                                             GError       **error);
/* NULL binds SQL NULL. */
void          docket_store_bind_text        (sqlite3_stmt  *stmt,
                                             int            index,
                                             const char    *text);
char         *docket_store_column_dup       (sqlite3_stmt  *stmt,
                                             int            index);
/* Prepares sql with its parameters ?1, ?2... bound to the texts that follow, up to the
 * NULL that ends them (so a NULL text ends the list: the parameters left unbound are
 * SQL NULL, as a bound NULL would be). NULL with error set when sql cannot be prepared. */
sqlite3_stmt *docket_store_prepare_texts    (DocketStore   *self,
                                             GError       **error,
                                             const char    *sql,
                                             ...) G_GNUC_NULL_TERMINATED;
/* Runs sql with text parameters, as above, no rows wanted. */
gboolean      docket_store_run_texts_locked (DocketStore   *self,
                                             GError       **error,
                                             const char    *sql,
                                             ...) G_GNUC_NULL_TERMINATED;

/* The statement cache: the apply path runs the same few statements for every change of
 * a page, and preparing them anew each time cost more than running them. A cached
 * statement is prepared once per connection (found by the address of its SQL text, a
 * literal, and checked against the text) and kept until the store is finalized; it is used under the store's lock only, by one caller at a time.
 * Releasing it (g_autoptr (DocketCachedStmt)) resets it and clears its bindings, so
 * that it neither holds a read open nor leaks a value into its next use. */
typedef sqlite3_stmt DocketCachedStmt;

DocketCachedStmt *docket_store_prepare_cached   (DocketStore       *self,
                                                 const char        *sql,
                                                 GError           **error);
void              docket_store_release_cached   (DocketCachedStmt  *stmt);
/* Steps a cached statement whose rows are not wanted; it stays prepared. */
gboolean          docket_store_step_cached      (DocketStore       *self,
                                                 DocketCachedStmt  *stmt,
                                                 GError           **error);
/* docket_store_run_texts_locked through the cache. */
gboolean          docket_store_run_texts_cached_locked (DocketStore  *self,
                                                        GError      **error,
                                                        const char   *sql,
                                                        ...) G_GNUC_NULL_TERMINATED;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketCachedStmt, docket_store_release_cached)

/* Makes what the current row of stmt holds: NULL with error set stops the read, NULL
 * without error skips the row. */
typedef gpointer (*DocketStoreRowReader) (DocketStore   *self,
                                          sqlite3_stmt  *stmt,
                                          gpointer       user_data,
                                          GError       **error);

/* Every row of stmt, each made by read, in an array that frees them with free_row;
 * finalizes stmt. NULL with error set when a step or read fails, or when stmt is NULL
 * (a failed prepare, whose error is already set); what names the table in the debug
 * log. Under the store's lock. */
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

/* The document of the columns id, meeting_id, item_id, position, title, media_type,
 * sha256, size, pages, version, in that order from column 0. */
DocketDocumentRecord *docket_store_document_from_row (sqlite3_stmt *stmt);
/* The path of the content sha256, or NULL with error set when it is not a valid
 * checksum. */
char         *docket_store_dup_valid_blob_path (DocketStore   *self,
                                                const char    *sha256,
                                                GError       **error);

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
gpointer      docket_store_run_finish       (DocketStore         *self,
                                             GAsyncResult        *result,
                                             gpointer             source_tag,
                                             GError             **error);

/* Contents after a reboot (docket-store-blobs.c). */

/* Registers docket_boot_id () and the temporary view verified_blobs (the contents that
 * may be read: written under this boot or re-hashed since) on the store's connection:
 * after the migrations, on every open. */
gboolean      docket_store_blobs_register_trust (DocketStore  *self,
                                                 GError      **error);

/* The search index (docket-store-search.c). */

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

/* The official's annotations and notes (docket-store-annotations.c). */

/* Applies a change of type "annotation" or "note" from the feed, inside the page's
 * transaction, under the store's lock: skipped while operations of it wait in the
 * outbox, or when what the store has is newer. */
gboolean      docket_store_apply_own_change_locked (DocketStore   *self,
                                                    DocketChange  *change,
                                                    GError       **error);
/* A full sync (docket-store.c) brought this annotation or note: records it in
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
/* Forgets every annotation, note and operation (signing out); inside a transaction. */
gboolean      docket_store_clear_own_data_locked   (DocketStore   *self,
                                                    GError       **error);

G_END_DECLS
