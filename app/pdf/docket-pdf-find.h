/* docket-pdf-find.h: find a text in a document, every hit with its boxes on its page
 *
 * Diacritic- and case-insensitive (docket-text-fold.h: "hoi dong" finds "Hội đồng"), and
 * a space in the text finds any run of spaces and line breaks. Pages are searched in a
 * worker thread, from a start page onwards and then from the beginning, each page's text
 * and character boxes read from poppler under the document's lock; hits come back to the
 * main context of the thread that created the search, page by page ("page-found"), so
 * that the first are shown long before a long document is done. Knows nothing of widgets.
 */
#pragma once

#include <gio/gio.h>

#include "docket-pdf-document.h"
#include "docket-pdf-page-texts.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_PDF_FIND (docket_pdf_find_get_type ())
G_DECLARE_FINAL_TYPE (DocketPdfFind, docket_pdf_find, DOCKET, PDF_FIND, GObject)

/* Starts searching document for text at once, page start_page first. A text that folds
 * to nothing (spaces, lone marks) finds nothing and is finished at once. texts, when not
 * NULL, keeps the pages' text for the next search of the same document. */
DocketPdfFind *docket_pdf_find_new              (DocketPdfDocument  *document,
                                                 const char         *text,
                                                 guint               start_page,
                                                 DocketPdfPageTexts *texts);
/* Stops the search: no "page-found" after this. */
void           docket_pdf_find_cancel           (DocketPdfFind     *self);
const char    *docket_pdf_find_get_text         (DocketPdfFind     *self);
gboolean       docket_pdf_find_get_finished     (DocketPdfFind     *self);
/* Hits found so far, in document order. */
guint          docket_pdf_find_get_n_hits       (DocketPdfFind     *self);
/* Hit index (in document order): its page, and its boxes among that page's boxes (one
 * per line the hit is on). FALSE when index is out of range. */
gboolean       docket_pdf_find_get_hit          (DocketPdfFind     *self,
                                                 guint              index,
                                                 guint             *out_page,
                                                 guint             *out_first_box,
                                                 guint             *out_n_boxes);
/* The boxes of every hit on page, a GArray of graphene_rect_t in points from the page's
 * top left (what docket_page_widget_set_highlights () takes), or NULL when none. */
GArray        *docket_pdf_find_get_page_boxes   (DocketPdfFind     *self,
                                                 guint              page);
/* The first hit on page or after it, wrapping to the first hit of the document; -1
 * when there is none (yet). */
int            docket_pdf_find_get_hit_from     (DocketPdfFind     *self,
                                                 guint              page);

/* The matching itself, for tests: the boxes of the hits of folded_query (folded as
 * docket_pdf_find_fold_query () does) in a page's text, given its character boxes as
 * poppler_page_get_text_layout () gives them (x1, y1, x2, y2 per character, n_boxes may
 * fall short of the text). Returns the hits' count; out_boxes gets the boxes, out_hits
 * a pair of guint (first box, number of boxes) per hit. */
guint          docket_pdf_find_match            (const char        *page_text,
                                                 const double      *char_boxes,
                                                 guint              n_char_boxes,
                                                 const char        *folded_query,
                                                 GArray           **out_boxes,
                                                 GArray           **out_hits);
/* text folded for matching, spaces collapsed and trimmed; "" when nothing is left. */
char          *docket_pdf_find_fold_query       (const char        *text);

G_END_DECLS
