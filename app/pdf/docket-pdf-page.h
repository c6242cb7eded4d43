/* docket-pdf-page.h: one page of a DocketPdfDocument, as an item of its pages model
 *
 * Only the page's index and its size in points, read once when the document loads, so
 * that a view can lay out a thousand pages without touching poppler.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define DOCKET_TYPE_PDF_PAGE (docket_pdf_page_get_type ())
G_DECLARE_FINAL_TYPE (DocketPdfPage, docket_pdf_page, DOCKET, PDF_PAGE, GObject)

DocketPdfPage *docket_pdf_page_new        (guint   index,
                                           double  width,
                                           double  height);
guint          docket_pdf_page_get_index  (DocketPdfPage *self);
double         docket_pdf_page_get_width  (DocketPdfPage *self);
double         docket_pdf_page_get_height (DocketPdfPage *self);

G_END_DECLS
