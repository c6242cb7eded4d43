/* docket-page-widget.h: one page of a PDF in the document view
 *
 * As wide as the view allows (up to a reading width), as tall as the page's shape says,
 * so that the list lays out without rendering. When bound to a page it asks its
 * DocketPdfDocument for a rendering at the widget's width times the scale factor (sharp
 * on HiDPI), in a worker thread; unbinding cancels it.
 */
#pragma once

#include <gtk/gtk.h>

#include "docket-pdf-document.h"
#include "docket-pdf-page.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_PAGE_WIDGET (docket_page_widget_get_type ())
G_DECLARE_FINAL_TYPE (DocketPageWidget, docket_page_widget, DOCKET, PAGE_WIDGET, GtkWidget)

/* The widest a page is shown, in application pixels. */
#define DOCKET_PAGE_WIDGET_MAX_WIDTH 960

GtkWidget     *docket_page_widget_new          (void);
void           docket_page_widget_set_page     (DocketPageWidget  *self,
                                                DocketPdfDocument *document,
                                                DocketPdfPage     *page);
DocketPdfPage *docket_page_widget_get_page     (DocketPageWidget  *self);
/* The rendering shown, or NULL while it is being rendered. */
GdkTexture    *docket_page_widget_get_texture  (DocketPageWidget  *self);

G_END_DECLS
