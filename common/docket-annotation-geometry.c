/* docket-annotation-geometry.c: an annotation's geometry as numbers, not JSON text */

#include "config.h"

#include <math.h>

#include "docket-annotation-geometry.h"

/* Far beyond any page (PDF pages are at most 14 400 points), and well within what a
 * double prints back exactly. */
#define COORDINATE_LIMIT 1.0e6

static void
free_stroke (gpointer stroke)
{
  g_array_unref (stroke);
}

DocketAnnotationGeometry *
docket_annotation_geometry_new (DocketAnnotationKind kind)
{
  DocketAnnotationGeometry *geometry = g_new0 (DocketAnnotationGeometry, 1);

  geometry->kind = kind;
  geometry->rects = g_array_new (FALSE, FALSE, sizeof (DocketGeometryRect));
  geometry->strokes = g_ptr_array_new_with_free_func (free_stroke);
  geometry->width = kind == DOCKET_ANNOTATION_INK ? 2.0 : 1.5;
  return geometry;
}

void
docket_annotation_geometry_free (DocketAnnotationGeometry *geometry)
{
  if (geometry == NULL)
    return;
  g_array_unref (geometry->rects);
  g_ptr_array_unref (geometry->strokes);
  g_free (geometry);
}

static gboolean
read_number (JsonNode    *node,
             const char  *what,
             double      *out,
             GError     **error)
{
  double value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      (json_node_get_value_type (node) != G_TYPE_DOUBLE && json_node_get_value_type (node) != G_TYPE_INT64))
    {
      g_set_error (error, DOCKET_PROTOCOL_ERROR, DOCKET_PROTOCOL_ERROR_WRONG_TYPE,
                   "geometry: %s is not a number", what);
      return FALSE;
    }
  value = json_node_get_double (node);
  if (!isfinite (value) || fabs (value) > COORDINATE_LIMIT)
    {
      g_set_error (error, DOCKET_PROTOCOL_ERROR, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE,
                   "geometry: %s is out of range", what);
      return FALSE;
    }
  *out = value;
  return TRUE;
}

static JsonArray *
member_array (JsonObject  *object,
              const char  *name,
              GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, DOCKET_PROTOCOL_ERROR, DOCKET_PROTOCOL_ERROR_MISSING_FIELD,
                   "geometry: “%s” must be an array", name);
      return NULL;
    }
  return json_node_get_array (node);
}

static gboolean
read_rect (JsonNode            *node,
           DocketGeometryRect  *rect,
           GError             **error)
{
  JsonArray *array;
  double values[4];

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node) ||
      json_array_get_length (array = json_node_get_array (node)) != 4)
    {
      g_set_error (error, DOCKET_PROTOCOL_ERROR, DOCKET_PROTOCOL_ERROR_MALFORMED,
                   "geometry: a box is not [x0, y0, x1, y1]");
      return FALSE;
    }
  for (guint i = 0; i < 4; i++)
    if (!read_number (json_array_get_element (array, i), "a box's coordinate", &values[i], error))
      return FALSE;
  if (values[0] > values[2] || values[1] > values[3])
    {
      g_set_error (error, DOCKET_PROTOCOL_ERROR, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE,
                   "geometry: a box's corners are not in order");
      return FALSE;
    }
  *rect = (DocketGeometryRect) { values[0], values[1], values[2], values[3] };
  return TRUE;
}

static gboolean
parse_object (DocketAnnotationGeometry  *geometry,
              JsonObject                *object,
              GError                   **error)
{
  JsonArray *array;
  DocketGeometryRect rect;

  switch (geometry->kind)
    {
    case DOCKET_ANNOTATION_HIGHLIGHT:
    case DOCKET_ANNOTATION_UNDERLINE:
    case DOCKET_ANNOTATION_STRIKEOUT:
      if ((array = member_array (object, "rects", error)) == NULL)
        return FALSE;
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          if (!read_rect (json_array_get_element (array, i), &rect, error))
            return FALSE;
          g_array_append_val (geometry->rects, rect);
        }
      return TRUE;

    case DOCKET_ANNOTATION_INK:
      if (!read_number (json_object_get_member (object, "width"), "width", &geometry->width, error) ||
          (array = member_array (object, "strokes", error)) == NULL)
        return FALSE;
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *node = json_array_get_element (array, i);
          JsonArray *points;
          GArray *stroke;

          if (!JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (points = json_node_get_array (node)) % 2 != 0)
            {
              g_set_error (error, DOCKET_PROTOCOL_ERROR, DOCKET_PROTOCOL_ERROR_MALFORMED,
                           "geometry: a stroke is not a list of x, y pairs");
              return FALSE;
            }
          stroke = g_array_sized_new (FALSE, FALSE, sizeof (double), json_array_get_length (points));
          g_ptr_array_add (geometry->strokes, stroke);
          for (guint j = 0; j < json_array_get_length (points); j++)
            {
              double value;

              if (!read_number (json_array_get_element (points, j), "a stroke's point", &value, error))
                return FALSE;
              g_array_append_val (stroke, value);
            }
        }
      return TRUE;

    case DOCKET_ANNOTATION_NOTE:
      return read_number (json_object_get_member (object, "x"), "x", &geometry->x, error) &&
             read_number (json_object_get_member (object, "y"), "y", &geometry->y, error);

    case DOCKET_ANNOTATION_RECTANGLE:
      if (!read_number (json_object_get_member (object, "width"), "width", &geometry->width, error) ||
          !read_rect (json_object_get_member (object, "rect"), &rect, error))
        return FALSE;
      g_array_append_val (geometry->rects, rect);
      return TRUE;

    default:
      g_set_error (error, DOCKET_PROTOCOL_ERROR, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE,
                   "geometry: unknown annotation kind");
      return FALSE;
    }
}

DocketAnnotationGeometry *
docket_annotation_geometry_parse (DocketAnnotationKind   kind,
                                  const char            *json,
                                  GError               **error)
{
  g_autoptr(DocketAnnotationGeometry) geometry = docket_annotation_geometry_new (kind);
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (json != NULL, NULL);

  root = docket_protocol_parse_json (json, -1, DOCKET_MAX_JSON_REQUEST_BYTES, error);
  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, DOCKET_PROTOCOL_ERROR, DOCKET_PROTOCOL_ERROR_MALFORMED,
                   "geometry: not a JSON object");
      return NULL;
    }
  if (!parse_object (geometry, json_node_get_object (root), error))
    return NULL;
  return g_steal_pointer (&geometry);
}

static void
add_rect_array (JsonBuilder              *builder,
                const DocketGeometryRect *rect)
{
  json_builder_begin_array (builder);
  json_builder_add_double_value (builder, rect->x0);
  json_builder_add_double_value (builder, rect->y0);
  json_builder_add_double_value (builder, rect->x1);
  json_builder_add_double_value (builder, rect->y1);
  json_builder_end_array (builder);
}

char *
docket_annotation_geometry_to_json (const DocketAnnotationGeometry *geometry)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (geometry != NULL, NULL);

  json_builder_begin_object (builder);
  switch (geometry->kind)
    {
    case DOCKET_ANNOTATION_HIGHLIGHT:
    case DOCKET_ANNOTATION_UNDERLINE:
    case DOCKET_ANNOTATION_STRIKEOUT:
      json_builder_set_member_name (builder, "rects");
      json_builder_begin_array (builder);
      for (guint i = 0; i < geometry->rects->len; i++)
        add_rect_array (builder, &g_array_index (geometry->rects, DocketGeometryRect, i));
      json_builder_end_array (builder);
      break;

    case DOCKET_ANNOTATION_INK:
      json_builder_set_member_name (builder, "width");
      json_builder_add_double_value (builder, geometry->width);
      json_builder_set_member_name (builder, "strokes");
      json_builder_begin_array (builder);
      for (guint i = 0; i < geometry->strokes->len; i++)
        {
          GArray *stroke = g_ptr_array_index (geometry->strokes, i);

          json_builder_begin_array (builder);
          for (guint j = 0; j < stroke->len; j++)
            json_builder_add_double_value (builder, g_array_index (stroke, double, j));
          json_builder_end_array (builder);
        }
      json_builder_end_array (builder);
      break;

    case DOCKET_ANNOTATION_NOTE:
      json_builder_set_member_name (builder, "x");
      json_builder_add_double_value (builder, geometry->x);
      json_builder_set_member_name (builder, "y");
      json_builder_add_double_value (builder, geometry->y);
      break;

    case DOCKET_ANNOTATION_RECTANGLE:
    default:
      json_builder_set_member_name (builder, "width");
      json_builder_add_double_value (builder, geometry->width);
      json_builder_set_member_name (builder, "rect");
      if (geometry->rects->len > 0)
        add_rect_array (builder, &g_array_index (geometry->rects, DocketGeometryRect, 0));
      else
        add_rect_array (builder, &(DocketGeometryRect) { 0, 0, 0, 0 });
      break;
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

void
docket_annotation_geometry_translate (DocketAnnotationGeometry *geometry,
                                      double                    dx,
                                      double                    dy)
{
  g_return_if_fail (geometry != NULL);

  for (guint i = 0; i < geometry->rects->len; i++)
    {
      DocketGeometryRect *rect = &g_array_index (geometry->rects, DocketGeometryRect, i);

      rect->x0 += dx;
      rect->x1 += dx;
      rect->y0 += dy;
      rect->y1 += dy;
    }
  for (guint i = 0; i < geometry->strokes->len; i++)
    {
      GArray *stroke = g_ptr_array_index (geometry->strokes, i);

      for (guint j = 0; j + 1 < stroke->len; j += 2)
        {
          g_array_index (stroke, double, j) += dx;
          g_array_index (stroke, double, j + 1) += dy;
        }
    }
  geometry->x += dx;
  geometry->y += dy;
}

static void
extend (DocketGeometryRect *bounds,
        gboolean           *any,
        double              x0,
        double              y0,
        double              x1,
        double              y1)
{
  if (!*any)
    *bounds = (DocketGeometryRect) { x0, y0, x1, y1 };
  else
    *bounds = (DocketGeometryRect) { MIN (bounds->x0, x0), MIN (bounds->y0, y0),
                                     MAX (bounds->x1, x1), MAX (bounds->y1, y1) };
  *any = TRUE;
}

gboolean
docket_annotation_geometry_get_bounds (const DocketAnnotationGeometry *geometry,
                                       DocketGeometryRect             *out_bounds)
{
  DocketGeometryRect bounds = { 0, 0, 0, 0 };
  gboolean any = FALSE;

  g_return_val_if_fail (geometry != NULL, FALSE);

  if (geometry->kind == DOCKET_ANNOTATION_NOTE)
    extend (&bounds, &any, geometry->x, geometry->y, geometry->x, geometry->y);
  for (guint i = 0; i < geometry->rects->len; i++)
    {
      const DocketGeometryRect *rect = &g_array_index (geometry->rects, DocketGeometryRect, i);
      extend (&bounds, &any, rect->x0, rect->y0, rect->x1, rect->y1);
    }
  for (guint i = 0; i < geometry->strokes->len; i++)
    {
      GArray *stroke = g_ptr_array_index (geometry->strokes, i);

      for (guint j = 0; j + 1 < stroke->len; j += 2)
        {
          double x = g_array_index (stroke, double, j), y = g_array_index (stroke, double, j + 1);
          extend (&bounds, &any, x, y, x, y);
        }
    }

  if (out_bounds != NULL)
    *out_bounds = bounds;
  return any;
}

void
docket_annotation_geometry_add_stroke (DocketAnnotationGeometry *geometry,
                                       GArray                   *points)
{
  g_return_if_fail (geometry != NULL && points != NULL);
  g_ptr_array_add (geometry->strokes, points);
}

void
docket_annotation_geometry_add_rect (DocketAnnotationGeometry *geometry,
                                     double                    x0,
                                     double                    y0,
                                     double                    x1,
                                     double                    y1)
{
  DocketGeometryRect rect = { MIN (x0, x1), MIN (y0, y1), MAX (x0, x1), MAX (y0, y1) };

  g_return_if_fail (geometry != NULL);
  g_array_append_val (geometry->rects, rect);
}
