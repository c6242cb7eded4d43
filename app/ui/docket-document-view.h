/* docket-document-view.h: the reader: a PDF's pages, rendered in worker threads, scrollable
 *
 * A GtkListView of DocketPageWidgets over a DocketPdfDocument's pages, so that a
 * thousand pages cost only the rows on screen. A file that cannot be opened shows a
 * status page that says why and what to do (damaged, protected by a password). A toolbar
 * over the pages zooms (fit width, fit page, 50 % to 400 %, Ctrl+scroll, pinch), goes to
 * a page, finds in the document, shows the sidebar and turns night mode on; its commands
 * are the view's actions ("view.zoom-in", "view.go-to-page", "view.find",
 * "view.show-page"...), with their shortcuts. Around the pages: a find bar
 * (docket-find-bar.h), a sidebar (docket-document-sidebar.h: thumbnails, the PDF's
 * outline, the annotations panel) and a bar saying who signed the document. The zoom
 * and its gestures are docket-document-view-zoom.c. Where each document was left is
 * remembered through a DocketReaderMemory; what the annotator follows (the document
 * shown, the tool) is a DocketReaderState the view keeps.
 */
#pragma once

#include <adwaita.h>

#include "docket-document.h"
#include "docket-pdf-document.h"
#include "docket-page-widget.h"
#include "docket-reader-memory.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_DOCUMENT_VIEW (docket_document_view_get_type ())
G_DECLARE_FINAL_TYPE (DocketDocumentView, docket_document_view, DOCKET, DOCUMENT_VIEW, AdwBin)

/* What the official reads is named in docket-document-view.ui, for tests to find as the
 * official does: "zoom-button" and "page-button" (their labels: "150%", "Page 3 of 12"),
 * "page-entry" and "page-error" (Go to page), "error-page" (the status page of a
 * document that cannot be shown), "signature-bar" and "signature-summary", and
 * "page-view", the scrollable grid of the pages (one DocketPageWidget per item). */

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
/* Opens a document of the cache (in a worker thread). page < 0 opens it where the
 * official left it (page and zoom, from the reader memory; the first page, as wide as
 * the view, when there is none); page >= 0 opens that page (from 0), at the zoom the
 * official reads it at. find_text, when not
 * NULL, opens the find bar with it and shows its hits, the first hit on that page (or
 * after it) the current one. A document not on this computer yet shows a status page. */
void                    docket_document_view_open_document  (DocketDocumentView *self,
                                                             DocketDocument     *document,
                                                             int                 page,
                                                             const char         *find_text);
/* The document open with docket_document_view_open_document (), or NULL. */
DocketDocument         *docket_document_view_get_document   (DocketDocumentView *self);
/* Where each document was left is remembered there (the window sets it); without one,
 * documents open at their first page. */
void                    docket_document_view_set_reader_memory (DocketDocumentView *self,
                                                                DocketReaderMemory *memory);
DocketReaderMemory     *docket_document_view_get_reader_memory (DocketDocumentView *self);
/* Drops the document (when the view is left), remembering where it was left. */
void                    docket_document_view_close          (DocketDocumentView *self);
DocketDocumentViewState docket_document_view_get_state      (DocketDocumentView *self);
DocketPdfDocument      *docket_document_view_get_pdf_document (DocketDocumentView *self);

/* Zoom: the mode, and the scale of DOCKET_ZOOM_FIXED. */
void                    docket_document_view_set_zoom       (DocketDocumentView *self,
                                                             DocketZoomMode      mode,
                                                             double              scale);
DocketZoomMode          docket_document_view_get_zoom_mode  (DocketDocumentView *self);
/* The scale the current page is shown at, whatever the mode (1.0: printed size). */
double                  docket_document_view_get_zoom_scale (DocketDocumentView *self);

/* Pages, counted from 0. The current page is the one being read: the one a "go to"
 * brought to the top, or the one under the upper third of the view. */
guint                   docket_document_view_get_current_page (DocketDocumentView *self);
void                    docket_document_view_go_to_page     (DocketDocumentView *self,
                                                             guint               index);

/* The sidebar (F9, "view.toggle-sidebar", docket-document-sidebar.h) holds the
 * thumbnails, the outline and the annotations panel. */
/* What the pages, the annotation toolbar and the annotations panel share (U's
 * docket-annotator.h); the window gives it the store. */
typedef struct _DocketAnnotator DocketAnnotator;
DocketAnnotator        *docket_document_view_get_annotator  (DocketDocumentView *self);
/* The document's signatures (DocketPdfSignature), NULL when it has none or they are
 * still being checked. */
GListModel             *docket_document_view_get_signatures (DocketDocumentView *self);

G_END_DECLS
