/* test-codec-note.c: a personal note to JSON and back (common/docket-codec-note.c)
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
test_note_built_record (void)
{
  g_autoptr(DocketNoteRecord) note = docket_note_record_new ();
  g_autoptr(DocketNoteRecord) note_reread = NULL;
  g_autoptr(JsonNode) note_node = NULL;
  g_autoptr(GError) error = NULL;

  note->target = DOCKET_NOTE_TARGET_DOCUMENT;
  note->target_id = g_strdup ("d1");
  note->text = g_strdup ("");
  note_node = docket_note_record_to_json (note);
  note_reread = docket_note_record_from_json (note_node, &error);
  g_assert_no_error (error);
  g_assert_cmpint (note_reread->target, ==, DOCKET_NOTE_TARGET_DOCUMENT);
  g_assert_cmpstr (note_reread->text, ==, "");
}

/* ---- hostile records ---------------------------------------------------------------- */

/* Every field of the record and the class of values it takes. */
static const struct {
  const char *field;
  FieldClass  klass;
} fields[] = {
  { "target",     CLASS_NOTE_TARGET },
  { "target_id",  CLASS_ID },
  { "text",       CLASS_NOTE_TEXT },
  { "updated_at", CLASS_VERSION },
  { "revision",   CLASS_VERSION },
};

static void
test_hostile_fields (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    refuse_field (KIND_NOTE, fields[i].field, fields[i].klass);
}

static void
test_not_objects (void)
{
  assert_not_objects (KIND_NOTE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/codec/round-trip/note", GINT_TO_POINTER (KIND_NOTE), test_round_trip);
  g_test_add_func ("/codec/note/built-records", test_note_built_record);
  g_test_add_func ("/codec/hostile/fields/note", test_hostile_fields);
  g_test_add_func ("/codec/hostile/not-objects/note", test_not_objects);

  return g_test_run ();
}
