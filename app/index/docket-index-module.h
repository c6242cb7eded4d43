/* docket-index-module.h: the search indexer as a module that `docket` loads
 *
 * `docket` itself links neither GTK nor poppler (docket-commands.h), so that a cron
 * job's `docket --sync-once` with nothing new starts in milliseconds. When its sync
 * brings documents to index (at the first one on disk), the command loads
 * libdocket-index.so (this folder's indexer, and poppler with it) and creates the
 * module's DocketIndexer (docket_indexer_new ()), which indexes each document as it
 * lands while the others download. As
 * the window's module does, the module takes the store's code from the executable,
 * which exports it. The window's module has the indexer built in and never loads this
 * one.
 */
#pragma once

#include <gio/gio.h>

#include "docket-store.h"

G_BEGIN_DECLS

#define DOCKET_INDEX_MODULE_NAME  "libdocket-index.so"
#define DOCKET_INDEX_MODULE_ENTRY "docket_indexer_index_all"
/* The indexer object itself, for a command that indexes while it downloads. */
#define DOCKET_INDEX_MODULE_NEW_INDEXER "docket_indexer_new"

/* The type of the entry (see docket_indexer_index_all () in docket-indexer.h). */
typedef gboolean (*DocketIndexModuleIndexAll) (DocketStore   *store,
                                               GCancellable  *cancellable,
                                               guint         *out_n_indexed,
                                               GError       **error);

/* The type of docket_indexer_new () (docket-indexer.h): the caller, which does not link
 * the indexer, uses it as a GObject, through its "busy" and "n-indexed" properties. */
typedef struct _DocketIndexer DocketIndexer;
typedef DocketIndexer *(*DocketIndexModuleNewIndexer) (DocketStore *store);

G_END_DECLS
