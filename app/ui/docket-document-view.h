/* docket-document-view.h: a PDF's pages, rendered in worker threads, scrollable
 *
 * A GtkListView of DocketPageWidgets over a DocketPdfDocument's pages, so that a
 * thousand pages cost only the rows on screen. A file that cannot be opened shows a
 * status page that says why. The full reader (zoom, search, thumbnails, annotations)
 * grows from here.
 */
#pragma once

#include <adwaita.h>

#include "docket-pdf-document.h"

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

G_END_DECLS
