/* docket-pdf-document.h: a PDF opened with poppler, its pages rendered in worker threads
 *
 * Knows nothing of the store or of widgets. Poppler is not thread-safe per document, so
 * every poppler call on one document happens under that document's lock; pages render
 * in a thread of their own, and the first one shown before any other use of the lock. Page
 * sizes are read in workers when it loads, so layout never touches poppler. Rendered
 * pages come back to the caller's main context as GdkTextures and are kept in a small
 * bounded cache.
 */
#pragma once

#include <gio/gio.h>
#include <gdk/gdk.h>
#include <cairo.h>

G_BEGIN_DECLS

#define DOCKET_PDF_ERROR (docket_pdf_error_quark ())

typedef enum {
  DOCKET_PDF_ERROR_DAMAGED,      /* not a PDF, truncated, or unreadable */
  DOCKET_PDF_ERROR_ENCRYPTED,    /* needs a password */
  DOCKET_PDF_ERROR_NO_SUCH_PAGE,
  DOCKET_PDF_ERROR_RENDER,       /* cairo could not give us a surface (out of memory...) */
} DocketPdfError;

GQuark docket_pdf_error_quark (void);

/* The largest texture side we render, in pixels: beyond it we lower the resolution. */
#define DOCKET_PDF_MAX_TEXTURE_SIDE 8192

#define DOCKET_TYPE_PDF_DOCUMENT (docket_pdf_document_get_type ())
G_DECLARE_FINAL_TYPE (DocketPdfDocument, docket_pdf_document, DOCKET, PDF_DOCUMENT, GObject)

void               docket_pdf_document_load_async  (GFile               *file,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
DocketPdfDocument *docket_pdf_document_load_finish (GAsyncResult        *result,
                                                    GError             **error);
/* Blocking variant, for worker threads and tools: every page's size is read. */
DocketPdfDocument *docket_pdf_document_load        (GFile               *file,
                                                    GCancellable        *cancellable,
                                                    GError             **error);
/* A document from docket_pdf_document_load_async knows the sizes of its first pages;
 * those of a long document's other pages are guessed (the size of the pages before
 * them) until a worker has read them, soon after: then the pages whose guess was wrong
 * are replaced in the pages model (items-changed), and this says TRUE. */
gboolean           docket_pdf_document_get_sizes_known (DocketPdfDocument *self);

guint       docket_pdf_document_get_n_pages   (DocketPdfDocument *self);
/* DocketPdfPage items, one per page. */
GListModel *docket_pdf_document_get_pages     (DocketPdfDocument *self);
/* In points; FALSE when index is out of range. */
gboolean    docket_pdf_document_get_page_size (DocketPdfDocument *self,
                                               guint              index,
                                               double            *out_width,
                                               double            *out_height);

/* How wide a rendering asked width_px wide really is: less when the page is so tall
 * that its height would go over DOCKET_PDF_MAX_TEXTURE_SIDE. */
int         docket_pdf_document_get_render_width (DocketPdfDocument *self,
                                                  guint              index,
                                                  int                width_px);
/* A cached rendering of page index exactly width_px wide, or NULL (main thread). */
GdkTexture *docket_pdf_document_lookup_page   (DocketPdfDocument *self,
                                               guint              index,
                                               int                width_px);
/* Renders page index width_px pixels wide (height follows the page's shape) in a worker
 * thread; the result is also put in the document's cache. Cancelling drops the job if it
 * has not started, and its result if it has. */
void        docket_pdf_document_render_page_async  (DocketPdfDocument   *self,
                                                    guint                index,
                                                    int                  width_px,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
GdkTexture *docket_pdf_document_render_page_finish (DocketPdfDocument   *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
/* The cairo image surface (ARGB32) holding the pixels of a rendering from
 * docket_pdf_document_render_page_async(), or NULL for any other texture: for drawing it
 * with cairo without copying it (see DocketPageWidget). */
cairo_surface_t *docket_pdf_document_get_rendering_surface (GdkTexture *texture);
/* Starts rendering page index width_px wide at once, into the cache: a reader that has
 * just opened a document knows which page it shows first, and how wide, while it is
 * still making the rows that will ask for it. A docket_pdf_document_render_page_async()
 * of the same page and width meanwhile waits for this one instead of rendering the page
 * again. One at a time: asked while one is on its way, it does nothing. Main thread. */
void        docket_pdf_document_prefetch_page (DocketPdfDocument *self,
                                               guint              index,
                                               int                width_px);
/* A view says it has drawn a page of this document: the work that waited for the first
 * page to be on screen (outline, signatures, links...) may start once this frame is
 * done. Main thread. */
void        docket_pdf_document_note_shown (DocketPdfDocument *self);
/* Pages rendered since the document was loaded (tests). */
guint       docket_pdf_document_get_render_count (DocketPdfDocument *self);

G_END_DECLS
