/* docket-annotation-drawing.h: an annotation drawn with cairo, and hit by a press
 *
 * Everything in PDF points from the page's top left; cr is scaled to points.
 */
#pragma once

#include <gtk/gtk.h>

#include "docket-annotation.h"

G_BEGIN_DECLS

/* The box an annotation takes on the page (a note's icon, a line's width included). */
gboolean docket_annotation_drawing_get_box  (DocketAnnotation   *annotation,
                                             DocketGeometryRect *out_box);
/* Whether a press at (x, y) takes the annotation: near its box, or for a drawing, near
 * its lines. */
gboolean docket_annotation_drawing_hit      (DocketAnnotation   *annotation,
                                             double              x,
                                             double              y);
/* An annotation's colour, or the marker's yellow when it has none or it is not one. */
void     docket_annotation_drawing_parse_color (const char      *text,
                                                GdkRGBA         *rgba);
/* Draws annotation moved by (dx, dy); highlights are not drawn here (the page blends
 * them under its text). */
void     docket_annotation_drawing_draw     (cairo_t            *cr,
                                             DocketAnnotation   *annotation,
                                             double              dx,
                                             double              dy);
/* The dashed frame around the selected annotation; scale is pixels per point. */
void     docket_annotation_drawing_draw_selection_frame (cairo_t          *cr,
                                                         DocketAnnotation *annotation,
                                                         double            dx,
                                                         double            dy,
                                                         double            scale);

G_END_DECLS
