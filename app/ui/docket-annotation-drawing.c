/* docket-annotation-drawing.c: an annotation drawn with cairo, and hit by a press
 *
 * Pure functions of an annotation's geometry, in PDF points: no widget state, so the page
 * widget (and anything else that shows annotations) draws them the same way.
 */

#include "config.h"

#include <math.h>

#include "docket-annotation-drawing.h"

/* How near (in points) a press must be to an annotation to take it. */
#define HIT_SLOP 4.0

/* The box an annotation takes on the page, in points. */
gboolean
docket_annotation_drawing_get_box (DocketAnnotation   *annotation,
                                   DocketGeometryRect *out_box)
{
  const DocketAnnotationGeometry *geometry = docket_annotation_get_geometry (annotation);

  if (!docket_annotation_geometry_get_bounds (geometry, out_box))
    return FALSE;
  if (geometry->kind == DOCKET_ANNOTATION_NOTE)
    {
      out_box->x1 = out_box->x0 + DOCKET_ANNOTATION_NOTE_SIZE;
      out_box->y1 = out_box->y0 + DOCKET_ANNOTATION_NOTE_SIZE;
    }
  else if (geometry->kind == DOCKET_ANNOTATION_INK || geometry->kind == DOCKET_ANNOTATION_RECTANGLE)
    {
      out_box->x0 -= geometry->width / 2;
      out_box->y0 -= geometry->width / 2;
      out_box->x1 += geometry->width / 2;
      out_box->y1 += geometry->width / 2;
    }
  return TRUE;
}

static double
distance_to_segment (double px, double py,
                     double ax, double ay,
                     double bx, double by)
{
  double dx = bx - ax, dy = by - ay;
  double length2 = dx * dx + dy * dy;
  double t = length2 > 0 ? CLAMP (((px - ax) * dx + (py - ay) * dy) / length2, 0, 1) : 0;

  return hypot (px - (ax + t * dx), py - (ay + t * dy));
}

gboolean
docket_annotation_drawing_hit (DocketAnnotation *annotation,
                               double            x,
                               double            y)
{
  const DocketAnnotationGeometry *geometry = docket_annotation_get_geometry (annotation);
  DocketGeometryRect box;

  if (!docket_annotation_drawing_get_box (annotation, &box) ||
      x < box.x0 - HIT_SLOP || x > box.x1 + HIT_SLOP || y < box.y0 - HIT_SLOP || y > box.y1 + HIT_SLOP)
    return FALSE;
  if (geometry->kind != DOCKET_ANNOTATION_INK)
    return TRUE;

  /* A drawing is taken by its lines, not by the empty space between them. */
  for (guint i = 0; i < geometry->strokes->len; i++)
    {
      GArray *stroke = g_ptr_array_index (geometry->strokes, i);

      for (guint j = 0; j + 1 < stroke->len; j += 2)
        {
          guint k = j + 3 < stroke->len ? j + 2 : j;

          if (distance_to_segment (x, y, g_array_index (stroke, double, j), g_array_index (stroke, double, j + 1),
                                   g_array_index (stroke, double, k), g_array_index (stroke, double, k + 1))
              <= geometry->width / 2 + HIT_SLOP)
            return TRUE;
        }
    }
  return FALSE;
}

void
docket_annotation_drawing_parse_color (const char *text,
                                       GdkRGBA    *rgba)
{
  if (text == NULL || !gdk_rgba_parse (rgba, text))
    *rgba = (GdkRGBA) { 0.97, 0.89, 0.36, 1.0 };
}

static void
draw_note_icon (cairo_t       *cr,
                double         x,
                double         y,
                const GdkRGBA *color)
{
  const double size = DOCKET_ANNOTATION_NOTE_SIZE;
  const double fold = size * 0.3;

  /* A sheet with a folded corner and three lines of writing. */
  cairo_move_to (cr, x, y);
  cairo_line_to (cr, x + size - fold, y);
  cairo_line_to (cr, x + size, y + fold);
  cairo_line_to (cr, x + size, y + size);
  cairo_line_to (cr, x, y + size);
  cairo_close_path (cr);
  gdk_cairo_set_source_rgba (cr, color);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.6);
  cairo_set_line_width (cr, 1.0);
  cairo_stroke (cr);
  for (int i = 1; i <= 3; i++)
    {
      cairo_move_to (cr, x + 4, y + fold + i * (size - fold) / 4.0);
      cairo_line_to (cr, x + size - 4, y + fold + i * (size - fold) / 4.0);
    }
  cairo_set_line_width (cr, 0.8);
  cairo_stroke (cr);
}

/* Draws one annotation, in points, moved by (dx, dy). */
void
docket_annotation_drawing_draw (cairo_t          *cr,
                                DocketAnnotation *annotation,
                                double            dx,
                                double            dy)
{
  const DocketAnnotationGeometry *geometry = docket_annotation_get_geometry (annotation);
  GdkRGBA color;

  docket_annotation_drawing_parse_color (docket_annotation_get_color (annotation), &color);
  cairo_save (cr);
  cairo_translate (cr, dx, dy);

  switch (geometry->kind)
    {
    case DOCKET_ANNOTATION_HIGHLIGHT:
      /* Under the page, blended with it: see snapshot_marker_highlights (). */
      break;

    case DOCKET_ANNOTATION_UNDERLINE:
    case DOCKET_ANNOTATION_STRIKEOUT:
      gdk_cairo_set_source_rgba (cr, &color);
      for (guint i = 0; i < geometry->rects->len; i++)
        {
          const DocketGeometryRect *box = &g_array_index (geometry->rects, DocketGeometryRect, i);
          double height = box->y1 - box->y0;
          double y = geometry->kind == DOCKET_ANNOTATION_UNDERLINE ? box->y1 - height * 0.06 : (box->y0 + box->y1) / 2;

          cairo_set_line_width (cr, MAX (height * 0.08, 0.8));
          cairo_move_to (cr, box->x0, y);
          cairo_line_to (cr, box->x1, y);
          cairo_stroke (cr);
        }
      break;

    case DOCKET_ANNOTATION_INK:
      gdk_cairo_set_source_rgba (cr, &color);
      cairo_set_line_width (cr, geometry->width);
      cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      for (guint i = 0; i < geometry->strokes->len; i++)
        {
          GArray *stroke = g_ptr_array_index (geometry->strokes, i);

          for (guint j = 0; j + 1 < stroke->len; j += 2)
            (j == 0 ? cairo_move_to : cairo_line_to) (cr, g_array_index (stroke, double, j),
                                                      g_array_index (stroke, double, j + 1));
          if (stroke->len == 2)
            cairo_rel_line_to (cr, 0, 0);
          cairo_stroke (cr);
        }
      break;

    case DOCKET_ANNOTATION_NOTE:
      draw_note_icon (cr, geometry->x, geometry->y, &color);
      break;

    case DOCKET_ANNOTATION_RECTANGLE:
      if (geometry->rects->len > 0)
        {
          const DocketGeometryRect *box = &g_array_index (geometry->rects, DocketGeometryRect, 0);

          gdk_cairo_set_source_rgba (cr, &color);
          cairo_set_line_width (cr, geometry->width);
          cairo_rectangle (cr, box->x0, box->y0, box->x1 - box->x0, box->y1 - box->y0);
          cairo_stroke (cr);
        }
      break;

    default:
      break;
    }
  cairo_restore (cr);
}

void
docket_annotation_drawing_draw_selection_frame (cairo_t          *cr,
                                                DocketAnnotation *annotation,
                                                double            dx,
                                                double            dy,
                                                double            scale)
{
  DocketGeometryRect box;
  const double dashes[] = { 4.0 / scale, 3.0 / scale };

  if (!docket_annotation_drawing_get_box (annotation, &box))
    return;
  cairo_rectangle (cr, box.x0 + dx - 3, box.y0 + dy - 3, box.x1 - box.x0 + 6, box.y1 - box.y0 + 6);
  cairo_set_source_rgba (cr, 0.21, 0.52, 0.89, 1.0);
  cairo_set_line_width (cr, 1.5 / scale);
  cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
}
