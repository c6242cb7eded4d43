/* test-codec-annotation.c: an annotation and its geometry to JSON and back (common/docket-codec-annotation.c)
 *
 * Every hostile input goes the way a real one does: raw text through
 * docket_protocol_parse_json (), then the record's *_from_json (), and must fail with a
 * DOCKET_PROTOCOL_ERROR. When the record reader is the one that refuses it, the message
 * must name the field. Each record mutation is also tried inside a change page, where
 * the message must name the field by its path in the page (codec-test-util.c).
 */
#include "config.h"

#include "codec-test-util.h"

static DocketAnnotationRecord *
read_annotation_with (const char  *kind,
                      const char  *geometry,
                      GError     **error)
{
  g_autofree char *quoted = g_strdup_printf ("\"%s\"", kind);
  g_autofree char *with_kind = mutate (ANNOTATION_JSON, "kind", quoted);
  g_autofree char *text = mutate (with_kind, "geometry", geometry);

  return read_record (KIND_ANNOTATION, text, error);
}

static void
assert_geometry_ok (const char *kind,
                    const char *geometry,
                    const char *canonical)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketAnnotationRecord) record = read_annotation_with (kind, geometry, &error);
  g_autoptr(JsonNode) expected = parse_ok (canonical);
  g_autoptr(JsonNode) got = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (record);
  got = parse_ok (record->geometry);
  assert_json_equal (expected, got);
}

static void
assert_geometry_refused (const char *kind,
                         const char *geometry)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketAnnotationRecord) record = read_annotation_with (kind, geometry, &error);

  if (record != NULL)
    g_error ("%s accepted the geometry %s", kind, geometry);
  g_assert_true (error->domain == DOCKET_PROTOCOL_ERROR);
  g_assert_nonnull (strstr (error->message, "annotation.geometry"));
}

/* Every kind's shape is accepted, written back canonically (numbers as doubles, members
 * that are not part of the shape dropped); each kind refuses the others' shapes. */
static void
test_annotation_geometry (void)
{
  g_autofree char *upper = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketAnnotationRecord) record = NULL;

  assert_geometry_ok ("underline", "{\"rects\": [[0, 0, 10, 2]], \"extra\": [1, {\"deep\": 2}]}",
                      "{\"rects\": [[0.0, 0.0, 10.0, 2.0]]}");
  assert_geometry_ok ("strikeout", "{\"rects\": [[5.5, 7, 5.5, 7]]}",
                      "{\"rects\": [[5.5, 7.0, 5.5, 7.0]]}");
  assert_geometry_ok ("ink", "{\"width\": 1.5, \"strokes\": [[1, 2, 3, 4.5], [7, 8]]}",
                      "{\"width\": 1.5, \"strokes\": [[1.0, 2.0, 3.0, 4.5], [7.0, 8.0]]}");
  assert_geometry_ok ("note", "{\"x\": 100, \"y\": -3.25}", "{\"x\": 100.0, \"y\": -3.25}");
  assert_geometry_ok ("rectangle", "{\"width\": 100, \"rect\": [-14400, -14400, 14400, 14400]}",
                      "{\"width\": 100.0, \"rect\": [-14400.0, -14400.0, 14400.0, 14400.0]}");

  /* Each kind wants its own shape. */
  assert_geometry_refused ("ink", "{\"rects\": [[0, 0, 10, 2]]}");
  assert_geometry_refused ("ink", "{\"strokes\": [[1, 2]]}");
  assert_geometry_refused ("ink", "{\"width\": 1, \"strokes\": []}");
  assert_geometry_refused ("ink", "{\"width\": 1, \"strokes\": [[]]}");
  assert_geometry_refused ("ink", "{\"width\": 1, \"strokes\": [[1, 2, 3]]}");
  assert_geometry_refused ("ink", "{\"width\": 1, \"strokes\": [[1, 2], 3]}");
  assert_geometry_refused ("ink", "{\"width\": 1, \"strokes\": [[1, 2, true, 4]]}");
  assert_geometry_refused ("ink", "{\"width\": 0, \"strokes\": [[1, 2]]}");
  assert_geometry_refused ("ink", "{\"width\": -1, \"strokes\": [[1, 2]]}");
  assert_geometry_refused ("ink", "{\"width\": 100.5, \"strokes\": [[1, 2]]}");
  assert_geometry_refused ("ink", "{\"width\": \"2\", \"strokes\": [[1, 2]]}");
  assert_geometry_refused ("note", "{\"x\": 1}");
  assert_geometry_refused ("note", "{\"x\": 1, \"y\": 14401}");
  assert_geometry_refused ("note", "{\"x\": [1], \"y\": 2}");
  assert_geometry_refused ("note", "{\"rects\": [[0, 0, 10, 2]]}");
  assert_geometry_refused ("rectangle", "{\"rect\": [0, 0, 1, 1]}");
  assert_geometry_refused ("rectangle", "{\"width\": 1, \"rect\": [2, 0, 1, 1]}");
  assert_geometry_refused ("rectangle", "{\"width\": 1, \"rect\": [0, 0, 1]}");
  assert_geometry_refused ("rectangle", "{\"width\": 1, \"rects\": [[0, 0, 1, 1]]}");
  assert_geometry_refused ("highlight", "{\"width\": 1, \"strokes\": [[1, 2]]}");

  /* Colours come back in lowercase. */
  upper = mutate (ANNOTATION_JSON, "color", "\"#FFd7A0\"");
  record = read_record (KIND_ANNOTATION, upper, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (record->color, ==, "#ffd7a0");
}

/* The limits on counts: at the limit accepted, one over refused. */
static void
test_annotation_geometry_limits (void)
{
  GString *rects = g_string_new ("{\"rects\": [");
  GString *strokes = g_string_new ("{\"width\": 2, \"strokes\": [");
  GString *points = g_string_new ("{\"width\": 2, \"strokes\": [[");
  g_autofree char *rects_ok = NULL, *rects_over = NULL;
  g_autofree char *strokes_ok = NULL, *strokes_over = NULL;
  g_autofree char *points_ok = NULL, *points_over = NULL;
  g_autoptr(GError) error = NULL;
  DocketAnnotationRecord *record;

  for (guint i = 0; i < DOCKET_MAX_ANNOTATION_RECTS; i++)
    g_string_append_printf (rects, "%s[1, 2, 3, 4]", i ? "," : "");
  rects_ok = g_strconcat (rects->str, "]}", NULL);
  rects_over = g_strconcat (rects->str, ", [1, 2, 3, 4]]}", NULL);

  for (guint i = 0; i < DOCKET_MAX_INK_STROKES; i++)
    g_string_append_printf (strokes, "%s[1, 2]", i ? "," : "");
  strokes_ok = g_strconcat (strokes->str, "]}", NULL);
  strokes_over = g_strconcat (strokes->str, ", [1, 2]]}", NULL);

  for (guint i = 0; i < DOCKET_MAX_INK_POINTS; i++)
    g_string_append_printf (points, "%s%u.5, 7", i ? "," : "", i % 500);
  points_ok = g_strconcat (points->str, "]]}", NULL);
  /* One more point in a second stroke: the limit is on all strokes together. */
  points_over = g_strconcat (points->str, "], [1, 1]]}", NULL);

  record = read_annotation_with ("highlight", rects_ok, &error);
  g_assert_no_error (error);
  docket_annotation_record_free (record);
  record = read_annotation_with ("ink", strokes_ok, &error);
  g_assert_no_error (error);
  docket_annotation_record_free (record);
  record = read_annotation_with ("ink", points_ok, &error);
  g_assert_no_error (error);
  docket_annotation_record_free (record);

  assert_geometry_refused ("highlight", rects_over);
  assert_geometry_refused ("ink", strokes_over);
  assert_geometry_refused ("ink", points_over);

  g_string_free (rects, TRUE);
  g_string_free (strokes, TRUE);
  g_string_free (points, TRUE);
}

/* A record whose geometry text is not JSON (it never should be) goes out as an empty
 * object, which every reader refuses: never as something else. */
static void
test_annotation_broken_geometry_text (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketAnnotationRecord) record = read_record (KIND_ANNOTATION, ANNOTATION_JSON, &error);
  g_autoptr(JsonNode) written = NULL;
  g_autoptr(DocketAnnotationRecord) reread = NULL;
  JsonObject *geometry;

  g_assert_no_error (error);
  g_free (record->geometry);
  record->geometry = g_strdup ("{\"rects\": [[1, 2, 3, 4]");
  written = docket_annotation_record_to_json (record);
  geometry = json_object_get_object_member (json_node_get_object (written), "geometry");
  g_assert_nonnull (geometry);
  g_assert_cmpuint (json_object_get_size (geometry), ==, 0);
  reread = docket_annotation_record_from_json (written, &error);
  g_assert_null (reread);
  g_assert_error (error, DOCKET_PROTOCOL_ERROR, DOCKET_PROTOCOL_ERROR_MISSING_FIELD);
}

static void
test_annotation_built_record (void)
{
  g_autoptr(DocketAnnotationRecord) record = docket_annotation_record_new ();
  g_autoptr(DocketAnnotationRecord) reread = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  record->id = g_uuid_string_random ();
  record->document_id = g_strdup ("d1");
  record->page = 99999;
  record->kind = DOCKET_ANNOTATION_INK;
  record->color = g_strdup ("#112233");
  record->geometry = g_strdup ("{\"width\":2.0,\"strokes\":[[1.0,2.0,3.5,4.25]]}");
  record->contents = g_strdup ("");
  record->created_at = 1;
  record->updated_at = 2;
  node = docket_annotation_record_to_json (record);
  reread = docket_annotation_record_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (reread->id, ==, record->id);
  g_assert_cmpint (reread->page, ==, 99999);
  g_assert_cmpint (reread->kind, ==, DOCKET_ANNOTATION_INK);
  g_assert_cmpstr (reread->geometry, ==, record->geometry);
  g_assert_cmpint (reread->revision, ==, 0);
}

/* ---- hostile records ---------------------------------------------------------------- */

/* Every field of the record and the class of values it takes. */
static const struct {
  const char *field;
  FieldClass  klass;
} fields[] = {
  { "id",          CLASS_ID },
  { "document_id", CLASS_ID },
  { "page",        CLASS_PAGES },
  { "kind",        CLASS_ANNOTATION_KIND },
  { "color",       CLASS_COLOR },
  { "geometry",    CLASS_GEOMETRY },
  { "contents",    CLASS_CONTENTS },
  { "created_at",  CLASS_VERSION },
  { "updated_at",  CLASS_VERSION },
  { "revision",    CLASS_VERSION },
};

static void
test_hostile_fields (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    refuse_field (KIND_ANNOTATION, fields[i].field, fields[i].klass);
}

static void
test_not_objects (void)
{
  assert_not_objects (KIND_ANNOTATION);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/codec/round-trip/annotation", GINT_TO_POINTER (KIND_ANNOTATION), test_round_trip);
  g_test_add_func ("/codec/annotation/geometry", test_annotation_geometry);
  g_test_add_func ("/codec/annotation/geometry-limits", test_annotation_geometry_limits);
  g_test_add_func ("/codec/annotation/broken-geometry-text", test_annotation_broken_geometry_text);
  g_test_add_func ("/codec/annotation/built-records", test_annotation_built_record);
  g_test_add_func ("/codec/hostile/fields/annotation", test_hostile_fields);
  g_test_add_func ("/codec/hostile/not-objects/annotation", test_not_objects);

  return g_test_run ();
}
