/* docket-search-results.h: the hits of a search across every cached document
 *
 * A GListModel of DocketSearchResult, grouped: by meeting, then by document, the group
 * with the best hit first; within a document, by page. Setting the query runs the
 * store's search in a worker thread (the one in flight is cancelled); when the store
 * commits (a document indexed or removed), the same query runs again.
 */
#pragma once

#include <gio/gio.h>

#include "docket-store.h"
#include "docket-search-result.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_SEARCH_RESULTS (docket_search_results_get_type ())
G_DECLARE_FINAL_TYPE (DocketSearchResults, docket_search_results, DOCKET, SEARCH_RESULTS, GObject)

DocketSearchResults *docket_search_results_new        (DocketStore         *store);
/* NULL or "" empties the results. */
void                 docket_search_results_set_query  (DocketSearchResults *self,
                                                       const char          *query);
const char          *docket_search_results_get_query  (DocketSearchResults *self);
/* TRUE while a search is running; the results are those of the query when it ends. */
gboolean             docket_search_results_get_loading (DocketSearchResults *self);
/* The query whose results are shown (which may lag behind the query being run). */
const char          *docket_search_results_get_shown_query (DocketSearchResults *self);
const GError        *docket_search_results_get_error  (DocketSearchResults *self);
/* How many documents (contents) the indexer has not read yet, as of the last search:
 * their words cannot be found yet. */
guint                docket_search_results_get_n_unindexed (DocketSearchResults *self);

G_END_DECLS
