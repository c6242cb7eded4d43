/* docket-search-page.h: search across every document of every meeting in the cache
 *
 * A search entry over the results of a DocketSearchResults: grouped by meeting, then
 * by document, each hit with its page and a snippet. Typing searches after a short
 * delay; Down goes from the entry to the results, Enter opens the first one; Escape
 * leaves (win.back). Everything comes from the profile's index: it works offline.
 * Emits "result-activated" with the DocketSearchResult chosen.
 */
#pragma once

#include <adwaita.h>

#include "docket-store.h"
#include "docket-search-results.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_SEARCH_PAGE (docket_search_page_get_type ())
G_DECLARE_FINAL_TYPE (DocketSearchPage, docket_search_page, DOCKET, SEARCH_PAGE, AdwBin)

/* The store to search; NULL forgets it (and the results). */
void                 docket_search_page_set_store     (DocketSearchPage *self,
                                                       DocketStore      *store);
/* Puts the keyboard focus in the entry, its text selected. */
void                 docket_search_page_focus_entry   (DocketSearchPage *self);
/* Empties the entry and the results (when the official signs out). */
void                 docket_search_page_reset         (DocketSearchPage *self);

/* The results shown (tests read the hits the list shows from it). */
DocketSearchResults *docket_search_page_get_results   (DocketSearchPage *self);

G_END_DECLS
