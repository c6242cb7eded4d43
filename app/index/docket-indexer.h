/* docket-indexer.h: extracts the text of downloaded documents into the search index
 *
 * Given the store, the indexer takes the contents not yet indexed
 * (docket_store_list_unindexed_contents ()) one at a time, extracts the text of each
 * page with poppler in a worker thread of low priority (a PopplerDocument of its own,
 * not the reader's), and saves it (docket_store_save_content_text ()) from a thread of
 * normal priority, so that no writer of the store waits for a low-priority thread
 * holding the store's lock. It starts at
 * once, and again whenever the store commits (a download completed). A damaged or
 * encrypted PDF is saved as a content without text, so that it is not tried again.
 * Disposing the indexer cancels the work and waits for the page being read.
 * Without a window, `docket --sync-once` creates this object through this folder's
 * module (docket-index-module.h) at the first content its sync completes, so that each
 * is indexed while the next ones download, and waits for "busy" to go FALSE at the end.
 *
 * Knows the store and poppler; nothing of GTK.
 */
#pragma once

#include <gio/gio.h>

#include "docket-store.h"

G_BEGIN_DECLS

#define DOCKET_INDEXER_ERROR (docket_indexer_error_quark ())

typedef enum {
  DOCKET_INDEXER_ERROR_UNREADABLE,   /* not a PDF, damaged, or encrypted with a password */
} DocketIndexerError;

GQuark docket_indexer_error_quark (void);

#define DOCKET_TYPE_INDEXER (docket_indexer_get_type ())
G_DECLARE_FINAL_TYPE (DocketIndexer, docket_indexer, DOCKET, INDEXER, GObject)

/* Starts indexing at once. */
DocketIndexer *docket_indexer_new         (DocketStore   *store);
/* TRUE while contents are being indexed (or about to be). */
gboolean       docket_indexer_get_busy    (DocketIndexer *self);
/* How many contents this indexer saved (with text or without), for tests. */
guint          docket_indexer_get_n_indexed (DocketIndexer *self);

/* Blocking, for any thread: the text of each page of the PDF at path, GPtrArray of
 * char* (UTF-8, "" for a page without text). A file that cannot be read is a
 * G_FILE_ERROR; a PDF that poppler cannot open, DOCKET_INDEXER_ERROR_UNREADABLE. */
GPtrArray     *docket_indexer_extract_text (const char    *path,
                                            GCancellable  *cancellable,
                                            GError       **error);
/* Blocking, for any thread (what the indexer does for each content; bench tools call
 * it): extracts the text of the PDF at path and saves it for sha256. A PDF poppler
 * cannot open is saved without text, logged, and is a success; a file that cannot be
 * read or a cancellation is an error, and nothing is saved. */
gboolean       docket_indexer_index_file   (DocketStore   *store,
                                            const char    *sha256,
                                            const char    *path,
                                            GCancellable  *cancellable,
                                            GError       **error);
/* Blocking: indexes every content not yet indexed as the indexer does (in a thread
 * which this call waits for, the text extracted at low priority; listing again until
 * nothing is left), and
 * returns. A content that cannot be indexed now is logged and left for the next run;
 * an unreadable PDF is saved without text. *out_n_indexed (may be NULL) gets how many
 * contents were saved, even on failure. FALSE when cancelled or when the store cannot
 * list the contents. Emits nothing itself: the store queues its "changed" as usual. */
gboolean       docket_indexer_index_all    (DocketStore   *store,
                                            GCancellable  *cancellable,
                                            guint         *out_n_indexed,
                                            GError       **error);

G_END_DECLS
