/* docket-page-widget.h: one page of a PDF in the document view
 *
 * As wide as the zoom says (the view's width, the whole page in the view's height, or a
 * fixed scale), as tall as the page's shape says, so that the list lays out without
 * rendering. When mapped with a page it asks its document's DocketRenderQueue for a
 * rendering at the widget's width times the scale factor (sharp on HiDPI), and shows a
 * low-resolution one scaled up meanwhile when the queue has one; unmapping or unbinding
 * releases it. The widget draws and takes input; what renders when is the queue's.
 */
#pragma once

#include <gtk/gtk.h>

#include "docket-pdf-document.h"
#include "docket-pdf-page.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_PAGE_WIDGET (docket_page_widget_get_type ())
G_DECLARE_FINAL_TYPE (DocketPageWidget, docket_page_widget, DOCKET, PAGE_WIDGET, GtkWidget)

/* The values are kept in the reader memory (view_states.zoom_mode): add, never renumber. */
typedef enum {
  DOCKET_ZOOM_FIT_WIDTH,   /* as wide as the view */
  DOCKET_ZOOM_FIT_PAGE,    /* the whole page in the view */
  DOCKET_ZOOM_FIXED,       /* a scale, 1.0 being the page's printed size on a 96 dpi screen */
  DOCKET_ZOOM_AUTOMATIC,   /* as GNOME's readers open documents: a portrait page at its
                            * printed size, or as wide as the view where that is
                            * narrower; a landscape page (slides) whole in the view */
} DocketZoomMode;

/* Room around the page inside its row, for the shadow, in application pixels. */
#define DOCKET_PAGE_WIDGET_MARGIN 16

GtkWidget     *docket_page_widget_new          (void);
void           docket_page_widget_set_page     (DocketPageWidget  *self,
                                                DocketPdfDocument *document,
                                                DocketPdfPage     *page);
DocketPdfPage *docket_page_widget_get_page     (DocketPageWidget  *self);
/* view_height is the height of the view, for DOCKET_ZOOM_FIT_PAGE and
 * DOCKET_ZOOM_AUTOMATIC; scale is used by DOCKET_ZOOM_FIXED only. */
void           docket_page_widget_set_zoom     (DocketPageWidget  *self,
                                                DocketZoomMode     mode,
                                                double             scale,
                                                int                view_height);
/* The page's size on screen, in application pixels, without the margin. */
int            docket_page_widget_get_display_width  (DocketPageWidget *self);
int            docket_page_widget_get_display_height (DocketPageWidget *self);
/* How wide a page width_pt by height_pt points is shown, without the margin, in a row
 * `available` pixels wide of a view view_height pixels high: what a page widget would
 * say once laid out, known before (DocketDocumentView asks for the first page's
 * rendering with it while the rows are made). */
int            docket_page_widget_compute_display_width (DocketZoomMode zoom_mode,
                                                         double         zoom_scale,
                                                         double         width_pt,
                                                         double         height_pt,
                                                         int            available,
                                                         int            view_height);
/* Pixels per point at a scale of 1.0: 96 dpi over PDF's 72 points per inch. */
#define DOCKET_PAGE_WIDGET_PIXELS_PER_POINT (96.0 / 72.0)
/* The rendering shown, or NULL while it is being rendered. */
GdkTexture    *docket_page_widget_get_texture  (DocketPageWidget  *self);
/* TRUE when the page shows a rendering of itself, sharp or a low-resolution one shown
 * scaled up while the sharp one comes; FALSE while it is blank paper. */
gboolean       docket_page_widget_shows_rendering (DocketPageWidget *self);

/* Boxes to mark on the page (find hits): a GArray of graphene_rect_t in PDF points from
 * the page's top left (as poppler's text layout gives them), or NULL for none; current
 * is the index of the box shown as the current hit, or -1. */
void           docket_page_widget_set_highlights (DocketPageWidget *self,
                                                  GArray           *rects,
                                                  int               current);

/* Annotating: the page draws the annotations of annotator's list that are on it, and
 * turns presses and drags into selections and annotations by its tool; it follows the
 * page's links (view.show-page, or the web browser for http and https). */
typedef struct _DocketAnnotator DocketAnnotator;
void             docket_page_widget_set_annotator (DocketPageWidget *self,
                                                   DocketAnnotator  *annotator);
DocketAnnotator *docket_page_widget_get_annotator (DocketPageWidget *self);

G_END_DECLS
