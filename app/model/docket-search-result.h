/* docket-search-result.h: one hit of a search across documents, as the search page shows it
 *
 * A page of a document of a meeting where the words were found, with a snippet (Pango
 * markup, the hits in bold, the rest escaped) and the words as the page writes them, for
 * find in document. Immutable.
 */
#pragma once

#include <glib-object.h>

#include "docket-store.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_SEARCH_RESULT (docket_search_result_get_type ())
G_DECLARE_FINAL_TYPE (DocketSearchResult, docket_search_result, DOCKET, SEARCH_RESULT, GObject)

DocketSearchResult *docket_search_result_new                (const DocketSearchHit *hit);
const char         *docket_search_result_get_meeting_id     (DocketSearchResult *self);
const char         *docket_search_result_get_meeting_title  (DocketSearchResult *self);
const char         *docket_search_result_get_document_id    (DocketSearchResult *self);
const char         *docket_search_result_get_document_title (DocketSearchResult *self);
/* From 0. */
guint               docket_search_result_get_page           (DocketSearchResult *self);
const char         *docket_search_result_get_snippet        (DocketSearchResult *self);
const char         *docket_search_result_get_match_text     (DocketSearchResult *self);
double              docket_search_result_get_rank           (DocketSearchResult *self);

G_END_DECLS
