/* docket-pdf-thumbnailer.h: small renderings of a document's pages, for the sidebar
 *
 * Thumbnails render in one worker thread of their own, so that however many the
 * sidebar asks for they never hold up the pages being read (which render in GLib's
 * worker pool); jobs run newest first, so the thumbnails in view come before those
 * scrolled past. They are kept in a cache of their own, bounded by bytes, so that they
 * never push the reader's pages out of the document's cache. Knows nothing of widgets.
 */
#pragma once

#include <gio/gio.h>
#include <gdk/gdk.h>

#include "docket-pdf-document.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_PDF_THUMBNAILER (docket_pdf_thumbnailer_get_type ())
G_DECLARE_FINAL_TYPE (DocketPdfThumbnailer, docket_pdf_thumbnailer, DOCKET, PDF_THUMBNAILER, GObject)

DocketPdfThumbnailer *docket_pdf_thumbnailer_new           (DocketPdfDocument    *document);
DocketPdfDocument    *docket_pdf_thumbnailer_get_document  (DocketPdfThumbnailer *self);
/* A cached thumbnail of page index exactly width_px wide, or NULL (main thread). */
GdkTexture           *docket_pdf_thumbnailer_lookup        (DocketPdfThumbnailer *self,
                                                            guint                 index,
                                                            int                   width_px);
void                  docket_pdf_thumbnailer_render_async  (DocketPdfThumbnailer *self,
                                                            guint                 index,
                                                            int                   width_px,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
GdkTexture           *docket_pdf_thumbnailer_render_finish (DocketPdfThumbnailer *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);
/* Thumbnails rendered so far (tests). */
guint                 docket_pdf_thumbnailer_get_render_count (DocketPdfThumbnailer *self);

G_END_DECLS
