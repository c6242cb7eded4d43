/* docket-find-bar.h: the reader's "find in document" bar
 *
 * The entry, what its count says ("3 of 17", "No matches", "Searching…") and the
 * buttons around it, over the pages of a DocketDocumentView. It searches the document
 * it is given in a worker (DocketPdfFind, hits folded as docket-text-fold.h says, from
 * the current page on, wrapping), keeps the pages' text for the next search
 * (DocketPdfPageTexts), and knows which hit is the current one. It draws nothing on the
 * pages and scrolls nothing: it says when a page's hits changed ("highlights-changed")
 * and when the current hit moved ("current-changed"), and the view marks and shows them.
 *
 * Its buttons and Shift+Enter activate the view's "view.find-next" and
 * "view.find-previous", so that they and F3 are one command with one enabled state.
 */
#pragma once

#include <adwaita.h>

#include "docket-pdf-document.h"
#include "docket-pdf-find.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_FIND_BAR (docket_find_bar_get_type ())
G_DECLARE_FINAL_TYPE (DocketFindBar, docket_find_bar, DOCKET, FIND_BAR, AdwBin)

GtkWidget     *docket_find_bar_new              (void);

/* The document to search (NULL: none); the search under way, its marks and the pages'
 * text go with the last one. The text in the entry stays. */
void           docket_find_bar_set_document     (DocketFindBar     *self,
                                                 DocketPdfDocument *document);
/* The page being read: searches begin there, and F3 with no current hit starts there. */
void           docket_find_bar_set_current_page (DocketFindBar     *self,
                                                 guint              page);

/* Opens the bar with the focus in its entry, its text selected (Ctrl+F). */
void           docket_find_bar_open             (DocketFindBar     *self);
/* Opens the bar with text and searches it, the first hit on page (or after it) the
 * current one; page < 0: from the current page. */
void           docket_find_bar_find             (DocketFindBar     *self,
                                                 const char        *text,
                                                 int                page);
/* Searches the entry's text again (in a document just opened), when the bar is open. */
void           docket_find_bar_find_again       (DocketFindBar     *self);
/* The next hit (direction > 0) or the previous one, wrapping (F3, Shift+F3). */
void           docket_find_bar_step             (DocketFindBar     *self,
                                                 int                direction);

/* Whether the bar is shown (the "open" property). */
gboolean       docket_find_bar_get_open         (DocketFindBar     *self);
/* The search under way or done (NULL when none), its hits so far ("n-hits"), and the
 * current hit, in document order, or -1. */
DocketPdfFind *docket_find_bar_get_find         (DocketFindBar     *self);
guint          docket_find_bar_get_n_hits       (DocketFindBar     *self);
/* The current hit's page and its first box (in PDF points, from the page's top left);
 * FALSE when there is none. */
gboolean       docket_find_bar_get_current_hit  (DocketFindBar     *self,
                                                 guint             *out_page,
                                                 graphene_rect_t   *out_box);
/* The boxes of the hits on page (graphene_rect_t, borrowed) or NULL, and the index of
 * the current hit's first box among them, or -1. */
GArray        *docket_find_bar_get_highlights   (DocketFindBar     *self,
                                                 guint              page,
                                                 int               *out_current);

G_END_DECLS
