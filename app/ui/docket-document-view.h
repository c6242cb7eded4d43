/* docket-document-view.h: a PDF's pages, rendered in worker threads, scrollable
 *
 * A GtkListView of DocketPageWidgets over a DocketPdfDocument's pages, so that a
 * thousand pages cost only the rows on screen. A file that cannot be opened shows a
 * status page that says why. A toolbar over the pages zooms (fit width, fit page, 50 % to
 * 400 %) and goes to a page; its commands are the view's actions ("view.zoom-in",
 * "view.go-to-page"...), with their shortcuts. Search, thumbnails and annotations grow
 * from here.
 */
#pragma once

#include <adwaita.h>

#include "docket-pdf-document.h"
#include "docket-page-widget.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_DOCUMENT_VIEW (docket_document_view_get_type ())
G_DECLARE_FINAL_TYPE (DocketDocumentView, docket_document_view, DOCKET, DOCUMENT_VIEW, AdwBin)

typedef enum {
  DOCKET_DOCUMENT_VIEW_EMPTY,
  DOCKET_DOCUMENT_VIEW_LOADING,
  DOCKET_DOCUMENT_VIEW_READY,
  DOCKET_DOCUMENT_VIEW_FAILED,
} DocketDocumentViewState;

/* Opens the PDF at path (in a worker thread); NULL path: the document is not on this
 * computer yet, which the view says. */
void                    docket_document_view_open           (DocketDocumentView *self,
                                                             const char         *path);
/* Drops the document (when the view is left). */
void                    docket_document_view_close          (DocketDocumentView *self);
DocketDocumentViewState docket_document_view_get_state      (DocketDocumentView *self);
DocketPdfDocument      *docket_document_view_get_pdf_document (DocketDocumentView *self);
/* The status page's title and description when FAILED. */
const char             *docket_document_view_get_error_title (DocketDocumentView *self);
const char             *docket_document_view_get_error_description (DocketDocumentView *self);

/* Zoom: the mode, and the scale of DOCKET_ZOOM_FIXED. */
void                    docket_document_view_set_zoom       (DocketDocumentView *self,
                                                             DocketZoomMode      mode,
                                                             double              scale);
DocketZoomMode          docket_document_view_get_zoom_mode  (DocketDocumentView *self);
/* The scale the current page is shown at, whatever the mode (1.0: printed size). */
double                  docket_document_view_get_zoom_scale (DocketDocumentView *self);
/* What the zoom button says: "Fit Width", "150%"... */
const char             *docket_document_view_get_zoom_label (DocketDocumentView *self);

/* Pages, counted from 0. The current page is the one being read: the one a "go to"
 * brought to the top, or the one under the upper third of the view. */
guint                   docket_document_view_get_current_page (DocketDocumentView *self);
void                    docket_document_view_go_to_page     (DocketDocumentView *self,
                                                             guint               index);
/* What the page indicator says: "Page 3 of 12". */
const char             *docket_document_view_get_page_label (DocketDocumentView *self);
/* The "Go to page" entry, and the error it shows, or NULL (for tests). */
GtkWidget              *docket_document_view_get_page_entry (DocketDocumentView *self);
const char             *docket_document_view_get_page_error (DocketDocumentView *self);

G_END_DECLS
