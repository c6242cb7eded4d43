/* test-codec-agenda-item.c: an agenda item to JSON and back (common/docket-codec-agenda-item.c)
 *
 * Every hostile input goes the way a real one does: raw text through
 * docket_protocol_parse_json (), then the record's *_from_json (), and must fail with a
 * DOCKET_PROTOCOL_ERROR. When the record reader is the one that refuses it, the message
 * must name the field. Each record mutation is also tried inside a change page, where
 * the message must name the field by its path in the page (codec-test-util.c).
 */
#include "config.h"

#include "codec-test-util.h"

static void
test_built_records (void)
{
  g_autoptr(DocketAgendaItemRecord) item = docket_agenda_item_record_new ();
  g_autoptr(DocketAgendaItemRecord) item_back = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  item->id = g_strdup ("i1");
  item->meeting_id = g_strdup ("m1");
  item->position = DOCKET_MAX_POSITION;
  item->number = g_strdup ("1");
  item->title = g_strdup ("Mục");
  item->presenter = g_strdup ("");
  item->description = g_strdup ("");
  node = docket_agenda_item_record_to_json (item);
  /* A top-level item has "parent_id": null, not a missing member. */
  object = json_node_get_object (node);
  g_assert_true (json_object_has_member (object, "parent_id"));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (object, "parent_id")));
  item_back = docket_agenda_item_record_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_null (item_back->parent_id);
  g_assert_cmpint (item_back->position, ==, DOCKET_MAX_POSITION);
}

static void
test_optional_and_lenient (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *no_parent = mutate (ITEM_JSON, "parent_id", NULL);
  g_autofree char *null_parent = mutate (ITEM_JSON, "parent_id", "null");
  g_autoptr(DocketAgendaItemRecord) a = read_record (KIND_ITEM, no_parent, &error);
  g_autoptr(DocketAgendaItemRecord) b = NULL;

  g_assert_no_error (error);
  g_assert_null (a->parent_id);
  b = read_record (KIND_ITEM, null_parent, &error);
  g_assert_no_error (error);
  g_assert_null (b->parent_id);
}

/* ---- hostile records ---------------------------------------------------------------- */

/* Every field of the record and the class of values it takes. */
static const struct {
  const char *field;
  FieldClass  klass;
} fields[] = {
  { "id",          CLASS_ID },
  { "meeting_id",  CLASS_ID },
  { "parent_id",   CLASS_OPTIONAL_ID },
  { "position",    CLASS_POSITION },
  { "number",      CLASS_NUMBER },
  { "title",       CLASS_TITLE },
  { "presenter",   CLASS_SHORT },
  { "description", CLASS_DESCRIPTION },
  { "version",     CLASS_VERSION },
};

static void
test_hostile_fields (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    refuse_field (KIND_ITEM, fields[i].field, fields[i].klass);
}

static void
test_not_objects (void)
{
  assert_not_objects (KIND_ITEM);
}

static void
test_item_own_parent (void)
{
  assert_refused (KIND_ITEM, "parent_id", "\"i9x\"");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/codec/round-trip/agenda-item", GINT_TO_POINTER (KIND_ITEM), test_round_trip);
  g_test_add_func ("/codec/built-records/agenda-item", test_built_records);
  g_test_add_func ("/codec/optional-and-lenient/agenda-item", test_optional_and_lenient);
  g_test_add_func ("/codec/hostile/fields/agenda-item", test_hostile_fields);
  g_test_add_func ("/codec/hostile/own-parent", test_item_own_parent);
  g_test_add_func ("/codec/hostile/not-objects/agenda-item", test_not_objects);

  return g_test_run ();
}
