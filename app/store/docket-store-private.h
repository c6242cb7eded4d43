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
/* Emits "changed" soon, on the opening thread's main context: call after a commit. */
void          docket_store_queue_changed    (DocketStore   *self);
/* Emits "outbox-changed" soon, likewise. */
void          docket_store_queue_outbox_changed (DocketStore *self);

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
/* Forgets every annotation, note and operation (signing out); inside a transaction. */
gboolean      docket_store_clear_own_data_locked   (DocketStore   *self,
                                                    GError       **error);

G_END_DECLS
