/* docket-codec-annotation.c: an annotation (and its geometry) to JSON and from JSON
 *
 * An annotation has no validation of its own in docket-records.c: the reader checks every
 * member as it reads it, the geometry by the shape of its kind (docket-records.h gives the
 * shapes), and keeps the geometry as canonical JSON text. The server reads annotations
 * with this same reader.
 */
#include "config.h"

#include <string.h>

#include "docket-checks.h"
#include "docket-json-reader.h"
#include "docket-json-writer.h"
#include "docket-records.h"
#include "docket-records-private.h"

static gboolean
check_coordinate_node (JsonNode    *node,
                       const char  *path,
                       double      *out,
                       GError     **error)
{
  return docket_json_check_number_node (node, path, -DOCKET_MAX_PAGE_COORDINATE, FALSE,
                                        DOCKET_MAX_PAGE_COORDINATE, out, error);
}

/* [x0, y0, x1, y1] with x0 <= x1 and y0 <= y1, copied into out. */
static gboolean
read_box (JsonNode    *node,
          const char  *path,
          JsonArray   *out,
          GError     **error)
{
  JsonArray *array = docket_json_expect_array (node, path, 4, 4, error);
  double v[4];

  if (array == NULL)
    return FALSE;

  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *item_path = g_strdup_printf ("%s[%u]", path, i);

      if (!check_coordinate_node (json_array_get_element (array, i), item_path, &v[i], error))
        return FALSE;
    }

  if (v[0] > v[2] || v[1] > v[3])
    return docket_field_error (error, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE, path, NULL,
                               "not a box [x0, y0, x1, y1] with x0 <= x1 and y0 <= y1");

  for (guint i = 0; i < 4; i++)
    json_array_add_double_element (out, v[i]);

  return TRUE;
}

static gboolean
read_line_width (JsonObject  *object,
                 const char  *path,
                 JsonObject  *out,
                 GError     **error)
{
  g_autofree char *width_path = g_strconcat (path, ".width", NULL);
  JsonNode *node;
  double width;

  if (!(node = docket_json_get_member (object, path, "width", error)) ||
      !docket_json_check_number_node (node, width_path, 0, TRUE, DOCKET_MAX_LINE_WIDTH, &width, error))
    return FALSE;

  json_object_set_double_member (out, "width", width);
  return TRUE;
}

static gboolean
read_geometry_rects (JsonObject  *object,
                     const char  *path,
                     JsonObject  *out,
                     GError     **error)
{
  g_autofree char *rects_path = g_strconcat (path, ".rects", NULL);
  JsonArray *rects;
  JsonArray *out_rects;
  JsonNode *node;
  guint n;

  if (!(node = docket_json_get_member (object, path, "rects", error)) ||
      !(rects = docket_json_expect_array (node, rects_path, 1, DOCKET_MAX_ANNOTATION_RECTS, error)))
    return FALSE;

  out_rects = json_array_new ();
  json_object_set_array_member (out, "rects", out_rects);
  n = json_array_get_length (rects);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *box_path = g_strdup_printf ("%s[%u]", rects_path, i);
      JsonArray *box = json_array_new ();

      json_array_add_array_element (out_rects, box);
      if (!read_box (json_array_get_element (rects, i), box_path, box, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
read_geometry_ink (JsonObject  *object,
                   const char  *path,
                   JsonObject  *out,
                   GError     **error)
{
  g_autofree char *strokes_path = g_strconcat (path, ".strokes", NULL);
  JsonArray *strokes;
  JsonArray *out_strokes;
  JsonNode *node;
  guint n, n_points = 0;

  if (!read_line_width (object, path, out, error))
    return FALSE;

  if (!(node = docket_json_get_member (object, path, "strokes", error)) ||
      !(strokes = docket_json_expect_array (node, strokes_path, 1, DOCKET_MAX_INK_STROKES, error)))
    return FALSE;

  out_strokes = json_array_new ();
  json_object_set_array_member (out, "strokes", out_strokes);
  n = json_array_get_length (strokes);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *stroke_path = g_strdup_printf ("%s[%u]", strokes_path, i);
      JsonArray *stroke = docket_json_expect_array (json_array_get_element (strokes, i), stroke_path,
                                                    2, 2 * DOCKET_MAX_INK_POINTS, error);
      JsonArray *out_stroke;
      guint m;

      if (stroke == NULL)
        return FALSE;

      /* A stroke is x, y pairs: one point (a dot) at least. */
      m = json_array_get_length (stroke);
      if (m % 2 != 0)
        return docket_field_error (error, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE, stroke_path, NULL,
                                   "not x, y pairs (an odd count of numbers)");
      n_points += m / 2;
      if (n_points > DOCKET_MAX_INK_POINTS)
        return docket_field_error (error, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE, strokes_path, NULL,
                                   "more than %d points", DOCKET_MAX_INK_POINTS);

      out_stroke = json_array_new ();
      json_array_add_array_element (out_strokes, out_stroke);
      for (guint j = 0; j < m; j++)
        {
          g_autofree char *number_path = g_strdup_printf ("%s[%u]", stroke_path, j);
          double v;

          if (!check_coordinate_node (json_array_get_element (stroke, j), number_path, &v, error))
            return FALSE;
          json_array_add_double_element (out_stroke, v);
        }
    }

  return TRUE;
}

static gboolean
read_geometry_note (JsonObject  *object,
                    const char  *path,
                    JsonObject  *out,
                    GError     **error)
{
  static const char * const names[] = { "x", "y" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *number_path = g_strconcat (path, ".", names[i], NULL);
      JsonNode *node;
      double v;

      if (!(node = docket_json_get_member (object, path, names[i], error)) ||
          !check_coordinate_node (node, number_path, &v, error))
        return FALSE;
      json_object_set_double_member (out, names[i], v);
    }

  return TRUE;
}

static gboolean
read_geometry_rectangle (JsonObject  *object,
                         const char  *path,
                         JsonObject  *out,
                         GError     **error)
{
  g_autofree char *rect_path = g_strconcat (path, ".rect", NULL);
  JsonArray *box;
  JsonNode *node;

  if (!read_line_width (object, path, out, error))
    return FALSE;
  if (!(node = docket_json_get_member (object, path, "rect", error)))
    return FALSE;

  box = json_array_new ();
  json_object_set_array_member (out, "rect", box);
  return read_box (node, rect_path, box, error);
}

/* Checks the geometry object of kind and returns it as canonical JSON text: only the
 * members of its shape, numbers as doubles. */
static char *
read_geometry (JsonObject            *object,
               const char            *prefix,
               DocketAnnotationKind   kind,
               GError               **error)
{
  g_autofree char *path = g_strconcat (prefix, ".geometry", NULL);
  g_autoptr(JsonNode) out_node = NULL;
  JsonObject *geometry;
  JsonObject *out;
  JsonNode *node;
  gboolean ok = FALSE;

  if (!(node = docket_json_get_member (object, prefix, "geometry", error)))
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      docket_field_error (error, DOCKET_PROTOCOL_ERROR_WRONG_TYPE, prefix, "geometry", "not an object");
      return NULL;
    }
  geometry = json_node_get_object (node);

  out = json_object_new ();
  out_node = docket_json_object_to_node (out);

  switch (kind)
    {
    case DOCKET_ANNOTATION_HIGHLIGHT:
    case DOCKET_ANNOTATION_UNDERLINE:
    case DOCKET_ANNOTATION_STRIKEOUT:
      ok = read_geometry_rects (geometry, path, out, error);
      break;
    case DOCKET_ANNOTATION_INK:
      ok = read_geometry_ink (geometry, path, out, error);
      break;
    case DOCKET_ANNOTATION_NOTE:
      ok = read_geometry_note (geometry, path, out, error);
      break;
    case DOCKET_ANNOTATION_RECTANGLE:
      ok = read_geometry_rectangle (geometry, path, out, error);
      break;
    default:
      g_return_val_if_reached (NULL);
    }

  if (!ok)
    return NULL;

  return json_to_string (out_node, FALSE);
}

/* "#rrggbb"; returned in lowercase. */
static gboolean
read_color (JsonObject  *object,
            const char  *prefix,
            char       **out,
            GError     **error)
{
  JsonNode *node;
  const char *text;

  if (!(node = docket_json_get_member (object, prefix, "color", error)) ||
      !docket_json_read_string_node (node, prefix, "color", &text, error))
    return FALSE;

  if (strlen (text) != 7 || text[0] != '#')
    goto invalid;
  for (guint i = 1; i < 7; i++)
    if (!g_ascii_isxdigit (text[i]))
      goto invalid;

  *out = g_ascii_strdown (text, -1);
  return TRUE;

invalid:
  return docket_field_error (error, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE, prefix, "color",
                             "not a colour #rrggbb");
}

JsonNode *
docket_annotation_record_to_json (const DocketAnnotationRecord *record)
{
  JsonObject *object;
  JsonNode *geometry = NULL;

  g_return_val_if_fail (record != NULL, NULL);

  object = json_object_new ();
  docket_json_set_string (object, "id", record->id);
  docket_json_set_string (object, "document_id", record->document_id);
  json_object_set_int_member (object, "page", record->page);
  docket_json_set_string (object, "kind", docket_annotation_kind_to_string (record->kind));
  docket_json_set_string (object, "color", record->color);

  /* The geometry is kept as JSON text and goes on the wire as an object. Text that does
   * not parse (it never should: every way in checks it) goes as an empty object, which
   * the other side refuses, rather than as something else. */
  if (record->geometry != NULL)
    geometry = docket_protocol_parse_json (record->geometry, -1, DOCKET_MAX_JSON_REQUEST_BYTES, NULL);
  if (geometry == NULL || !JSON_NODE_HOLDS_OBJECT (geometry))
    {
      g_clear_pointer (&geometry, json_node_unref);
      geometry = docket_json_object_to_node (json_object_new ());
    }
  json_object_set_member (object, "geometry", geometry);

  docket_json_set_string (object, "contents", record->contents);
  json_object_set_int_member (object, "created_at", record->created_at);
  json_object_set_int_member (object, "updated_at", record->updated_at);
  json_object_set_int_member (object, "revision", record->revision);

  return docket_json_object_to_node (object);
}

DocketAnnotationRecord *
docket_annotation_record_from_json_at (JsonNode    *node,
                                       const char  *prefix,
                                       GError     **error)
{
  g_autoptr(DocketAnnotationRecord) record = docket_annotation_record_new ();
  JsonObject *object;
  JsonNode *member;
  const char *kind;

  if (!(object = docket_json_expect_object (node, prefix, error)))
    return NULL;

  if (!docket_json_read_id (object, prefix, "id", &record->id, error) ||
      !docket_json_read_id (object, prefix, "document_id", &record->document_id, error) ||
      !docket_json_read_int (object, prefix, "page", DOCKET_MAX_PAGES - 1, &record->page, error))
    return NULL;

  if (!(member = docket_json_get_member (object, prefix, "kind", error)) ||
      !docket_json_read_string_node (member, prefix, "kind", &kind, error))
    return NULL;
  if (!docket_annotation_kind_from_string (kind, &record->kind))
    {
      docket_field_error (error, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE, prefix, "kind",
                          "not one of highlight, underline, strikeout, ink, note, rectangle");
      return NULL;
    }

  if (!read_color (object, prefix, &record->color, error) ||
      !(record->geometry = read_geometry (object, prefix, record->kind, error)) ||
      !docket_json_read_text (object, prefix, "contents", DOCKET_MAX_ANNOTATION_CONTENTS_BYTES, TRUE,
                              &record->contents, error) ||
      !docket_json_read_integer (object, prefix, "created_at", 0, DOCKET_MAX_TIME_MS,
                                 &record->created_at, error) ||
      !docket_json_read_integer (object, prefix, "updated_at", 0, DOCKET_MAX_TIME_MS,
                                 &record->updated_at, error) ||
      !docket_json_read_integer (object, prefix, "revision", 0, DOCKET_MAX_VERSION, &record->revision, error))
    return NULL;

  return g_steal_pointer (&record);
}

DocketAnnotationRecord *
docket_annotation_record_from_json (JsonNode  *node,
                                    GError   **error)
{
  return docket_annotation_record_from_json_at (node, "annotation", error);
}
