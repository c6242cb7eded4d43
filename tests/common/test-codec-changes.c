/* test-codec-changes.c: pages of the change feed to JSON and back (common/docket-codec-changes.c)
 *
 * Every hostile input goes the way a real one does: raw text through
 * docket_protocol_parse_json (), then the record's *_from_json (), and must fail with a
 * DOCKET_PROTOCOL_ERROR. When the record reader is the one that refuses it, the message
 * must name the field. Each record mutation is also tried inside a change page, where
 * the message must name the field by its path in the page (codec-test-util.c).
 */
#include "config.h"

#include <string.h>

#include "codec-test-util.h"

static void
test_page_round_trip (void)
{
  g_autofree char *text = g_strdup_printf (
    "{\"cursor\": \"1289\", \"more\": true, \"changes\": ["
    " {\"type\": \"meeting\", \"id\": \"m7Q2-x_1\", \"deleted\": false, \"data\": %s},"
    " {\"type\": \"agenda_item\", \"id\": \"i9x\", \"deleted\": false, \"data\": %s},"
    " {\"type\": \"document\", \"id\": \"d3k\", \"deleted\": false, \"data\": %s},"
    " {\"type\": \"document\", \"id\": \"d0a\", \"deleted\": true},"
    " {\"type\": \"agenda_item\", \"id\": \"i0\", \"deleted\": true, \"data\": null}]}",
    MEETING_JSON, ITEM_JSON, DOCUMENT_JSON);
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketChangesPage) page = read_page (text, &error);
  g_autoptr(JsonNode) original = parse_ok (text);
  g_autoptr(JsonNode) written = NULL;
  JsonArray *changes;
  DocketChange *change;

  g_assert_no_error (error);
  g_assert_cmpstr (page->cursor, ==, "1289");
  g_assert_true (page->more);
  g_assert_cmpuint (page->changes->len, ==, 5);

  change = g_ptr_array_index (page->changes, 0);
  g_assert_cmpint (change->type, ==, DOCKET_CHANGE_MEETING);
  g_assert_false (change->deleted);
  g_assert_cmpstr (((DocketMeetingRecord *) change->record)->title, ==, "Kỳ họp thứ 12, HĐND tỉnh khóa X");
  change = g_ptr_array_index (page->changes, 1);
  g_assert_cmpint (change->type, ==, DOCKET_CHANGE_AGENDA_ITEM);
  g_assert_cmpstr (((DocketAgendaItemRecord *) change->record)->parent_id, ==, "i1");
  change = g_ptr_array_index (page->changes, 2);
  g_assert_cmpint (change->type, ==, DOCKET_CHANGE_DOCUMENT);
  g_assert_cmpint (((DocketDocumentRecord *) change->record)->size, ==, 183422);
  change = g_ptr_array_index (page->changes, 3);
  g_assert_true (change->deleted);
  g_assert_cmpstr (change->id, ==, "d0a");
  g_assert_null (change->record);

  /* Written back, it is the same page, except that a deletion has no "data" at all. */
  changes = json_object_get_array_member (json_node_get_object (original), "changes");
  json_object_remove_member (json_array_get_object_element (changes, 4), "data");
  written = docket_changes_page_to_json (page);
  assert_json_equal (original, written);
}

static void
test_page_unknown_types_skipped (void)
{
  g_autofree char *text = g_strdup_printf (
    "{\"cursor\": \"9\", \"more\": false, \"changes\": ["
    " {\"type\": \"vote\", \"id\": \"v1\", \"deleted\": false, \"data\": {\"anything\": [1]}},"
    " {\"type\": \"document\", \"id\": \"d3k\", \"deleted\": false, \"data\": %s},"
    " {\"type\": \"speaker_request\", \"id\": \"not/checked\", \"whatever\": 1},"
    " {\"type\": \"document\", \"id\": \"d0a\", \"deleted\": true}]}",
    DOCUMENT_JSON);
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketChangesPage) page = read_page (text, &error);
  DocketChange *change;

  g_assert_no_error (error);
  g_assert_cmpstr (page->cursor, ==, "9");
  g_assert_false (page->more);
  g_assert_cmpuint (page->changes->len, ==, 2);
  change = g_ptr_array_index (page->changes, 0);
  g_assert_cmpstr (change->id, ==, "d3k");
  g_assert_nonnull (change->record);
  change = g_ptr_array_index (page->changes, 1);
  g_assert_cmpstr (change->id, ==, "d0a");
  g_assert_true (change->deleted);
}

static void
test_page_empty (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketChangesPage) page = read_page ("{\"cursor\": \"1289\", \"more\": false, \"changes\": []}", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (page->cursor, ==, "1289");
  g_assert_cmpuint (page->changes->len, ==, 0);
}

static char *
page_of_deletions (guint n)
{
  GString *s = g_string_new ("{\"cursor\": \"5\", \"more\": true, \"changes\": [");
  guint i;

  for (i = 0; i < n; i++)
    g_string_append_printf (s, "%s{\"type\": \"document\", \"id\": \"d%u\", \"deleted\": true}",
                            i > 0 ? "," : "", i);
  g_string_append (s, "]}");

  return g_string_free (s, FALSE);
}

static void
test_page_limits (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *at_limit = page_of_deletions (DOCKET_MAX_CHANGES_PER_PAGE);
  g_autofree char *over_limit = page_of_deletions (DOCKET_MAX_CHANGES_PER_PAGE + 1);
  g_autoptr(DocketChangesPage) page = read_page (at_limit, &error);
  DocketChangesPage *bad;

  g_assert_no_error (error);
  g_assert_cmpuint (page->changes->len, ==, DOCKET_MAX_CHANGES_PER_PAGE);

  bad = read_page (over_limit, &error);
  g_assert_null (bad);
  g_assert_error (error, DOCKET_PROTOCOL_ERROR, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE);
  g_assert_nonnull (strstr (error->message, "changes"));
}

static void
test_page_hostile (void)
{
  g_autofree char *cursor128 = quoted_repeat ("7", DOCKET_MAX_CURSOR_BYTES);
  g_autofree char *cursor129 = quoted_repeat ("7", DOCKET_MAX_CURSOR_BYTES + 1);
  g_autofree char *ok_page = NULL;
  g_autoptr(DocketChangesPage) ok = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *other_item = mutate (ITEM_JSON, "id", "\"i8\"");
  const char *bad_pages[] = {
    /* The top level. */
    "[]",
    "[{\"cursor\": \"1\", \"more\": false, \"changes\": []}]",
    "null",
    "\"cursor\"",
    /* cursor */
    "{\"more\": false, \"changes\": []}",
    "{\"cursor\": null, \"more\": false, \"changes\": []}",
    "{\"cursor\": 12, \"more\": false, \"changes\": []}",
    "{\"cursor\": \"\", \"more\": false, \"changes\": []}",
    "{\"cursor\": \"1\\u0000\", \"more\": false, \"changes\": []}",
    "{\"cursor\": \"1\\u001b\", \"more\": false, \"changes\": []}",
    /* more */
    "{\"cursor\": \"1\", \"changes\": []}",
    "{\"cursor\": \"1\", \"more\": \"true\", \"changes\": []}",
    "{\"cursor\": \"1\", \"more\": \"false\", \"changes\": []}",
    "{\"cursor\": \"1\", \"more\": 0, \"changes\": []}",
    "{\"cursor\": \"1\", \"more\": null, \"changes\": []}",
    /* changes */
    "{\"cursor\": \"1\", \"more\": false}",
    "{\"cursor\": \"1\", \"more\": false, \"changes\": {}}",
    "{\"cursor\": \"1\", \"more\": false, \"changes\": null}",
    "{\"cursor\": \"1\", \"more\": false, \"changes\": [1]}",
    "{\"cursor\": \"1\", \"more\": false, \"changes\": [null]}",
    "{\"cursor\": \"1\", \"more\": false, \"changes\": [[]]}",
    /* one change */
    "{\"cursor\": \"1\", \"more\": false, \"changes\": [{\"id\": \"d1\", \"deleted\": true}]}",
    "{\"cursor\": \"1\", \"more\": false, \"changes\": [{\"type\": 1, \"id\": \"d1\", \"deleted\": true}]}",
    "{\"cursor\": \"1\", \"more\": false, \"changes\": [{\"type\": null, \"id\": \"d1\", \"deleted\": true}]}",
    "{\"cursor\": \"1\", \"more\": false, \"changes\": [{\"type\": \"vote\", \"id\": 5}]}",
    "{\"cursor\": \"1\", \"more\": false, \"changes\": [{\"type\": \"vote\"}]}",
    "{\"cursor\": \"1\", \"more\": false, \"changes\": [{\"type\": \"document\", \"deleted\": true}]}",
    "{\"cursor\": \"1\", \"more\": false, \"changes\": [{\"type\": \"document\", \"id\": \"../d\", \"deleted\": true}]}",
    "{\"cursor\": \"1\", \"more\": false, \"changes\": [{\"type\": \"document\", \"id\": \"\", \"deleted\": true}]}",
    "{\"cursor\": \"1\", \"more\": false, \"changes\": [{\"type\": \"document\", \"id\": 1, \"deleted\": true}]}",
    "{\"cursor\": \"1\", \"more\": false, \"changes\": [{\"type\": \"document\", \"id\": \"d1\"}]}",
    "{\"cursor\": \"1\", \"more\": false, \"changes\": [{\"type\": \"document\", \"id\": \"d1\", \"deleted\": \"true\"}]}",
    "{\"cursor\": \"1\", \"more\": false, \"changes\": [{\"type\": \"document\", \"id\": \"d1\", \"deleted\": 1}]}",
    "{\"cursor\": \"1\", \"more\": false, \"changes\": [{\"type\": \"document\", \"id\": \"d1\", \"deleted\": false}]}",
    "{\"cursor\": \"1\", \"more\": false, \"changes\": [{\"type\": \"document\", \"id\": \"d1\", \"deleted\": false, \"data\": null}]}",
    "{\"cursor\": \"1\", \"more\": false, \"changes\": [{\"type\": \"document\", \"id\": \"d1\", \"deleted\": false, \"data\": []}]}",
    "{\"cursor\": \"1\", \"more\": false, \"changes\": [{\"type\": \"document\", \"id\": \"d1\", \"deleted\": false, \"data\": \"x\"}]}",
    "{\"cursor\": \"1\", \"more\": false, \"changes\": [{\"type\": \"document\", \"id\": \"d1\", \"deleted\": true, \"data\": {}}]}",
  };
  g_autofree char *long_cursor_page = g_strdup_printf ("{\"cursor\": %s, \"more\": false, \"changes\": []}", cursor129);
  /* The data's id differs from the change's id. */
  g_autofree char *other_id = page_with_change ("document", "d999", DOCUMENT_JSON);
  /* The data of the wrong type for the change's type. */
  g_autofree char *wrong_data = page_with_change ("document", "i9x", ITEM_JSON);
  g_autofree char *item_as_meeting = page_with_change ("meeting", "i9x", ITEM_JSON);
  /* A good change and then a bad one: the whole page fails. */
  g_autofree char *good_then_bad = g_strdup_printf (
    "{\"cursor\": \"3\", \"more\": false, \"changes\": ["
    " {\"type\": \"agenda_item\", \"id\": \"i9x\", \"deleted\": false, \"data\": %s},"
    " {\"type\": \"agenda_item\", \"id\": \"i7\", \"deleted\": false, \"data\": %s}]}",
    ITEM_JSON, other_item);
  const char *more_bad[] = { long_cursor_page, other_id, wrong_data, item_as_meeting, good_then_bad };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad_pages); i++)
    {
      g_autoptr(GError) local_error = NULL;
      DocketChangesPage *page = read_page (bad_pages[i], &local_error);

      if (page != NULL)
        g_error ("accepted the page %s", bad_pages[i]);
      g_assert_nonnull (local_error);
      g_assert_true (local_error->domain == DOCKET_PROTOCOL_ERROR);
    }

  for (i = 0; i < G_N_ELEMENTS (more_bad); i++)
    {
      g_autoptr(GError) local_error = NULL;
      DocketChangesPage *page = read_page (more_bad[i], &local_error);

      if (page != NULL)
        g_error ("accepted the page %s", more_bad[i]);
      g_assert_nonnull (local_error);
      g_assert_true (local_error->domain == DOCKET_PROTOCOL_ERROR);
    }

  /* The error of a change names where it is. */
  {
    g_autoptr(GError) local_error = NULL;
    DocketChangesPage *page = read_page (other_id, &local_error);

    g_assert_null (page);
    g_assert_nonnull (strstr (local_error->message, "changes[0].data.id"));
    g_clear_error (&local_error);
    page = read_page (good_then_bad, &local_error);
    g_assert_null (page);
    g_assert_nonnull (strstr (local_error->message, "changes[1].data.id"));
    g_clear_error (&local_error);
    page = read_page (long_cursor_page, &local_error);
    g_assert_null (page);
    g_assert_error (local_error, DOCKET_PROTOCOL_ERROR, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE);
    g_assert_nonnull (strstr (local_error->message, "cursor"));
  }

  /* And a cursor of exactly 128 bytes is fine. */
  ok_page = g_strdup_printf ("{\"cursor\": %s, \"more\": false, \"changes\": []}", cursor128);
  ok = read_page (ok_page, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (ok->cursor), ==, DOCKET_MAX_CURSOR_BYTES);
}

static void
test_page_annotations_and_notes (void)
{
  g_autofree char *text = g_strdup_printf (
    "{\"cursor\": \"88\", \"more\": false, \"changes\": ["
    " {\"type\": \"annotation\", \"id\": \"3f2b8c1e-5a7d-4e2b-9c1f-0a1b2c3d4e5f\", \"deleted\": false, \"data\": %s},"
    " {\"type\": \"note\", \"id\": \"i9x\", \"deleted\": false, \"data\": %s},"
    " {\"type\": \"annotation\", \"id\": \"a-gone\", \"deleted\": true},"
    " {\"type\": \"note\", \"id\": \"d3k\", \"deleted\": true}]}",
    ANNOTATION_JSON, NOTE_JSON);
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketChangesPage) page = read_page (text, &error);
  g_autoptr(JsonNode) original = parse_ok (text);
  g_autoptr(JsonNode) written = NULL;
  g_autofree char *wrong_note_id = NULL;
  g_autofree char *wrong_annotation_id = NULL;
  DocketAnnotationRecord *annotation;
  DocketNoteRecord *note;
  DocketChangesPage *bad;

  g_assert_no_error (error);
  g_assert_cmpuint (page->changes->len, ==, 4);

  annotation = ((DocketChange *) g_ptr_array_index (page->changes, 0))->record;
  g_assert_cmpint (((DocketChange *) g_ptr_array_index (page->changes, 0))->type, ==, DOCKET_CHANGE_ANNOTATION);
  g_assert_cmpstr (annotation->document_id, ==, "d3k");
  g_assert_cmpint (annotation->page, ==, 4);
  g_assert_cmpint (annotation->kind, ==, DOCKET_ANNOTATION_HIGHLIGHT);
  g_assert_cmpstr (annotation->contents, ==, "Xem lại số liệu\nđoạn 2");
  g_assert_cmpint (annotation->created_at, ==, G_GINT64_CONSTANT (1795400000000));
  g_assert_cmpint (annotation->revision, ==, 57);

  note = ((DocketChange *) g_ptr_array_index (page->changes, 1))->record;
  g_assert_cmpint (((DocketChange *) g_ptr_array_index (page->changes, 1))->type, ==, DOCKET_CHANGE_NOTE);
  g_assert_cmpint (note->target, ==, DOCKET_NOTE_TARGET_AGENDA_ITEM);
  g_assert_cmpstr (note->target_id, ==, "i9x");
  g_assert_cmpstr (note->text, ==, "Hỏi về ngân sách\n- điểm 2");

  g_assert_true (((DocketChange *) g_ptr_array_index (page->changes, 2))->deleted);
  g_assert_cmpint (((DocketChange *) g_ptr_array_index (page->changes, 3))->type, ==, DOCKET_CHANGE_NOTE);
  g_assert_true (((DocketChange *) g_ptr_array_index (page->changes, 3))->deleted);

  written = docket_changes_page_to_json (page);
  assert_json_equal (original, written);

  /* A note's change carries its target's id; an annotation's, its own. */
  wrong_note_id = page_with_change ("note", "d3k", NOTE_JSON);
  bad = read_page (wrong_note_id, &error);
  g_assert_null (bad);
  g_assert_error (error, DOCKET_PROTOCOL_ERROR, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE);
  g_clear_error (&error);
  wrong_annotation_id = page_with_change ("annotation", "d3k", ANNOTATION_JSON);
  bad = read_page (wrong_annotation_id, &error);
  g_assert_null (bad);
  g_assert_error (error, DOCKET_PROTOCOL_ERROR, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE);
}

static void
test_change_new_free (void)
{
  DocketDocumentRecord *record = docket_document_record_new ();
  g_autoptr(DocketChange) change = NULL;
  g_autoptr(DocketChangesPage) page = docket_changes_page_new ();
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;

  record->id = g_strdup ("d1");
  change = docket_change_new (DOCKET_CHANGE_DOCUMENT, "d1", FALSE, record);
  node = docket_change_to_json (change);
  object = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (object, "type"), ==, "document");
  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, "d1");
  g_assert_false (json_object_get_boolean_member (object, "deleted"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "data"), "id"), ==, "d1");

  g_ptr_array_add (page->changes, docket_change_new (DOCKET_CHANGE_MEETING, "m1", TRUE, NULL));
  g_clear_pointer (&node, json_node_unref);
  node = docket_changes_page_to_json (page);
  object = json_array_get_object_element (json_object_get_array_member (json_node_get_object (node), "changes"), 0);
  g_assert_true (json_object_get_boolean_member (object, "deleted"));
  g_assert_false (json_object_has_member (object, "data"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/codec/page/round-trip", test_page_round_trip);
  g_test_add_func ("/codec/page/unknown-types-skipped", test_page_unknown_types_skipped);
  g_test_add_func ("/codec/page/empty", test_page_empty);
  g_test_add_func ("/codec/page/limits", test_page_limits);
  g_test_add_func ("/codec/page/hostile", test_page_hostile);
  g_test_add_func ("/codec/page/annotations-and-notes", test_page_annotations_and_notes);
  g_test_add_func ("/codec/change-new-free", test_change_new_free);

  return g_test_run ();
}
