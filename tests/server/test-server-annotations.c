/* test-server-annotations.c: the real docket-server's annotations and notes — each
 * official's own, through the feed, once; and every bad request to them refused with its
 * JSON error, changing nothing (docs/protocol.md, "Annotations and notes")
 *
 * Split from test-server.c (same cases); the helpers are in test-server-common.c.
 */
#include "config.h"

#include <string.h>
#include <sqlite3.h>
#include <utime.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "docket-records.h"
#include "docket-server-demo.h"
#include "test-server-common.h"

/* The owner gets their annotations and notes, once, through the feed; another official,
 * an official who does not see the meeting, and the secretary never do. The same op_id
 * answers the same result and writes nothing; a later put of the same annotation wins
 * (last writer), a delete is final, losing the meeting hides them and getting it back
 * brings them back. */
static void
test_annotations (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *official = docket_test_sign_in (server, "daibieu1", NULL);
  g_autofree char *colleague = docket_test_sign_in (server, "daibieu2", NULL);
  g_autofree char *outsider = docket_test_sign_in (server, "daibieu5", NULL);
  g_autofree char *secretary = docket_test_sign_in (server, "thuky", NULL);
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_change_free);
  g_autofree char *cursor = NULL;
  g_autofree char *colleague_cursor = NULL;
  g_autofree char *outsider_cursor = NULL;
  g_autofree char *secretary_cursor = NULL;
  g_autofree char *today = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json2 = NULL;
  g_autofree char *rows = NULL;
  g_autofree char *participant_path = NULL;
  g_autoptr(DocketAnnotationRecord) first = NULL;
  g_autoptr(DocketAnnotationRecord) again = NULL;
  g_autoptr(DocketAnnotationRecord) second = NULL;
  DocketDocumentRecord *document;
  DocketAgendaItemRecord *item;
  const char *id = "5b0c6f3e-2f59-4c3a-9d7e-6a1f0b2c3d4e";
  gint64 before_ms = g_get_real_time () / 1000;

  cursor = sync_all (server, official, NULL, 0, all);
  colleague_cursor = sync_all (server, colleague, NULL, 0, NULL);
  outsider_cursor = sync_all (server, outsider, NULL, 0, NULL);
  secretary_cursor = sync_all (server, secretary, NULL, 0, NULL);
  today = meeting_id_by_title (all, TODAY_MEETING);
  document = document_of_meeting (all, today);
  item = item_of_meeting (all, today);

  /* Created: 201, the server's revision and time. */
  json = annotation_json (id, document->id, 0, "#FF0000");
  first = put_annotation (server, official, id, "op-1", json, 201);
  g_assert_cmpstr (first->id, ==, id);
  g_assert_cmpint (first->revision, >, 0);
  g_assert_cmpint (first->updated_at, >=, before_ms);
  g_assert_cmpint (first->created_at, ==, G_GINT64_CONSTANT (1700000000000));
  g_assert_cmpstr (first->color, ==, "#ff0000");
  g_assert_cmpint (first->kind, ==, DOCKET_ANNOTATION_INK);

  /* The same op_id again: the same answer, nothing written (one row, one revision, the
   * sequence did not move). */
  {
    g_autofree char *top = count_rows (server, "SELECT value FROM sequence");
    g_autofree char *expected = g_strdup_printf ("1/%" G_GINT64_FORMAT, first->revision);

    again = put_annotation (server, official, id, "op-1", json, 201);
    g_assert_cmpint (again->revision, ==, first->revision);
    g_assert_cmpint (again->updated_at, ==, first->updated_at);
    rows = count_rows (server, "SELECT count(*) || '/' || max (revision) FROM annotations");
    g_assert_cmpstr (rows, ==, expected);
    g_free (rows);
    rows = count_rows (server, "SELECT value FROM sequence");
    g_assert_cmpstr (rows, ==, top);
    g_clear_pointer (&rows, g_free);
  }

  /* The owner's feed has it, whole; nobody else's has anything. */
  {
    g_autoptr(GPtrArray) changes = sync_since (server, official, &cursor);
    DocketChange *change;

    g_assert_cmpuint (changes->len, ==, 1);
    change = find_change (changes, DOCKET_CHANGE_ANNOTATION, id);
    g_assert_nonnull (change);
    g_assert_false (change->deleted);
    g_assert_cmpint (((DocketAnnotationRecord *) change->record)->revision, ==, first->revision);
    g_assert_cmpstr (((DocketAnnotationRecord *) change->record)->geometry, ==, first->geometry);
  }
  assert_nothing_new (server, colleague, &colleague_cursor);
  assert_nothing_new (server, outsider, &outsider_cursor);
  assert_nothing_new (server, secretary, &secretary_cursor);

  /* Another put of the same annotation: the last writer wins, a new revision. */
  json2 = annotation_json (id, document->id, 1, "#00ff00");
  second = put_annotation (server, official, id, "op-2", json2, 200);
  g_assert_cmpint (second->revision, >, first->revision);
  g_assert_cmpint (second->page, ==, 1);
  g_assert_cmpint (second->created_at, ==, first->created_at);

  /* Another official can neither take its id nor delete it. */
  {
    g_autofree char *path = g_strconcat ("/api/v1/annotations/", id, NULL);
    g_autofree char *body = put_annotation_body ("op-x", json);
    g_autofree char *delete_path = g_strconcat (path, "?op_id=op-y", NULL);

    expect_error (server, "PUT", path, colleague, body, 409, "conflict");
    expect_error (server, "DELETE", delete_path, colleague, NULL, 404, "not_found");
    expect_error (server, "DELETE", delete_path, secretary, NULL, 404, "not_found");
    rows = count_rows (server, "SELECT color || page || deleted FROM annotations");
    g_assert_cmpstr (rows, ==, "#00ff0010");
    g_clear_pointer (&rows, g_free);
  }

  /* Notes on an agenda item and on a document. */
  {
    g_autofree char *item_path = g_strconcat ("/api/v1/notes/agenda_item/", item->id, NULL);
    g_autofree char *document_path = g_strconcat ("/api/v1/notes/document/", document->id, NULL);
    g_autofree char *item_note = note_body ("op-3", "agenda_item", item->id, "Hỏi về ngân sách\\nđiểm 2");
    g_autofree char *document_note = note_body ("op-4", "document", document->id, "Đọc kỹ");
    g_autoptr(JsonNode) root = NULL;
    g_autoptr(GPtrArray) changes = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(DocketNoteRecord) answer = NULL;
    DocketChange *change;

    g_assert_cmpuint (call_json (server, "PUT", item_path, official, item_note, &root), ==, 200);
    answer = docket_note_record_from_json (json_object_get_member (json_node_get_object (root), "note"), &error);
    g_assert_no_error (error);
    g_assert_cmpstr (answer->text, ==, "Hỏi về ngân sách\nđiểm 2");
    g_assert_cmpint (answer->revision, >, second->revision);
    g_assert_cmpuint (call_json (server, "PUT", document_path, official, document_note, NULL), ==, 200);

    changes = sync_since (server, official, &cursor);
    g_assert_cmpuint (changes->len, ==, 3);
    change = find_change (changes, DOCKET_CHANGE_NOTE, item->id);
    g_assert_nonnull (change);
    g_assert_cmpint (((DocketNoteRecord *) change->record)->target, ==, DOCKET_NOTE_TARGET_AGENDA_ITEM);
    change = find_change (changes, DOCKET_CHANGE_NOTE, document->id);
    g_assert_nonnull (change);
    g_assert_cmpstr (((DocketNoteRecord *) change->record)->text, ==, "Đọc kỹ");
    change = find_change (changes, DOCKET_CHANGE_ANNOTATION, id);
    g_assert_cmpint (((DocketAnnotationRecord *) change->record)->revision, ==, second->revision);
  }
  assert_nothing_new (server, colleague, &colleague_cursor);
  assert_nothing_new (server, outsider, &outsider_cursor);
  assert_nothing_new (server, secretary, &secretary_cursor);

  /* Losing the meeting hides them (deletions in the feed); the server keeps them. */
  participant_path = g_strdup_printf ("/api/v1/meetings/%s/participants/daibieu1", today);
  g_assert_cmpuint (call_json (server, "DELETE", participant_path, secretary, NULL, NULL), ==, 204);
  {
    g_autoptr(GPtrArray) changes = sync_since (server, official, &cursor);
    DocketChange *change;

    change = find_change (changes, DOCKET_CHANGE_MEETING, today);
    g_assert_true (change != NULL && change->deleted);
    change = find_change (changes, DOCKET_CHANGE_ANNOTATION, id);
    g_assert_true (change != NULL && change->deleted);
    change = find_change (changes, DOCKET_CHANGE_NOTE, item->id);
    g_assert_true (change != NULL && change->deleted);
    change = find_change (changes, DOCKET_CHANGE_NOTE, document->id);
    g_assert_true (change != NULL && change->deleted);
  }
  rows = count_rows (server, "SELECT count(*) FROM annotations WHERE deleted = 0");
  g_assert_cmpstr (rows, ==, "1");
  g_clear_pointer (&rows, g_free);
  /* ... and refuses to change them meanwhile. */
  {
    g_autofree char *path = g_strconcat ("/api/v1/annotations/", id, NULL);
    g_autofree char *body = put_annotation_body ("op-5", json);
    g_autofree char *delete_path = g_strconcat (path, "?op_id=op-6", NULL);

    expect_error (server, "PUT", path, official, body, 404, "not_found");
    expect_error (server, "DELETE", delete_path, official, NULL, 404, "not_found");
  }

  /* Back in the meeting: they come back, whole. */
  g_assert_cmpuint (call_json (server, "PUT", participant_path, secretary, NULL, NULL), ==, 204);
  {
    g_autoptr(GPtrArray) changes = sync_since (server, official, &cursor);
    DocketChange *change;

    change = find_change (changes, DOCKET_CHANGE_ANNOTATION, id);
    g_assert_true (change != NULL && !change->deleted);
    g_assert_cmpint (((DocketAnnotationRecord *) change->record)->page, ==, 1);
    change = find_change (changes, DOCKET_CHANGE_NOTE, item->id);
    g_assert_true (change != NULL && !change->deleted);
    g_assert_cmpstr (((DocketNoteRecord *) change->record)->text, ==, "Hỏi về ngân sách\nđiểm 2");
  }
  assert_no_own_data (server, colleague, &colleague_cursor);
  assert_no_own_data (server, secretary, &secretary_cursor);

  /* A delete is final: 200 (again for the same op_id, and for one not there), a deletion
   * in the feed, and a later put of the id is gone. */
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/annotations/%s?op_id=op-7", id);
    g_autofree char *body = put_annotation_body ("op-8", json);
    g_autofree char *put_path = g_strconcat ("/api/v1/annotations/", id, NULL);
    g_autoptr(JsonNode) root = NULL;
    g_autoptr(JsonNode) replayed = NULL;
    g_autoptr(GPtrArray) changes = NULL;
    DocketChange *change;

    g_assert_cmpuint (call_json (server, "DELETE", path, official, NULL, &root), ==, 200);
    g_assert_true (json_object_get_boolean_member (json_node_get_object (root), "deleted"));
    g_assert_cmpstr (member_string (root, "id"), ==, id);
    g_assert_cmpuint (call_json (server, "DELETE", path, official, NULL, &replayed), ==, 200);
    g_assert_true (json_node_equal (root, replayed));
    g_assert_cmpuint (call_json (server, "DELETE", "/api/v1/annotations/never-sent?op_id=op-9",
                                 official, NULL, NULL), ==, 200);

    changes = sync_since (server, official, &cursor);
    g_assert_cmpuint (changes->len, ==, 1);
    change = find_change (changes, DOCKET_CHANGE_ANNOTATION, id);
    g_assert_true (change != NULL && change->deleted);

    expect_error (server, "PUT", put_path, official, body, 410, "gone");
    rows = count_rows (server, "SELECT contents || deleted FROM annotations");
    g_assert_cmpstr (rows, ==, "1");
    g_clear_pointer (&rows, g_free);
    assert_unchanged (server, official, cursor);
  }

  docket_test_server_stop (server);
}

/* Every bad request to the annotation and note endpoints gets its JSON error and
 * changes nothing. */
static void
test_annotations_bad_requests (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *official = docket_test_sign_in (server, "daibieu1", NULL);
  g_autofree char *outsider = docket_test_sign_in (server, "daibieu5", NULL);
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_change_free);
  g_autofree char *cursor = NULL;
  g_autofree char *outsider_cursor = NULL;
  g_autofree char *hidden = NULL;
  g_autofree char *today = NULL;
  g_autofree char *good = NULL;
  g_autofree char *path = NULL;
  g_autofree char *item_note_path = NULL;
  g_autofree char *hidden_note_path = NULL;
  DocketDocumentRecord *document;
  DocketDocumentRecord *hidden_document;
  DocketAgendaItemRecord *item;
  DocketAgendaItemRecord *hidden_item;
  const char *id = "0d9c8b7a-6f5e-4d3c-2b1a-0f9e8d7c6b5a";
  static const struct {
    const char *field;
    const char *value;
  } bad_fields[] = {
    { "kind", "\"squiggly\"" },
    { "kind", "3" },
    { "color", "\"red\"" },
    { "color", "\"#12345\"" },
    { "page", "-1" },
    { "page", "\"1\"" },
    { "page", "1.5" },
    { "geometry", "{\"rects\": [[1, 2, 3, 4]]}" },
    { "geometry", "{\"width\": 1, \"strokes\": [[1, 2, 3]]}" },
    { "geometry", "{\"width\": 1, \"strokes\": [[1, 2, 1e400]]}" },
    { "geometry", "\"{}\"" },
    { "contents", "7" },
    { "contents", "\"a\\u0001b\"" },
    { "created_at", "-5" },
    { "document_id", "\"../etc\"" },
    { "id", "null" },
  };

  cursor = sync_all (server, official, NULL, 0, all);
  outsider_cursor = sync_all (server, outsider, NULL, 0, NULL);
  today = meeting_id_by_title (all, TODAY_MEETING);
  hidden = meeting_id_by_title (all, HIDDEN_MEETING);
  document = document_of_meeting (all, today);
  item = item_of_meeting (all, today);
  hidden_document = document_of_meeting (all, hidden);
  hidden_item = item_of_meeting (all, hidden);
  path = g_strconcat ("/api/v1/annotations/", id, NULL);
  item_note_path = g_strconcat ("/api/v1/notes/agenda_item/", item->id, NULL);
  hidden_note_path = g_strconcat ("/api/v1/notes/agenda_item/", hidden_item->id, NULL);
  {
    g_autofree char *annotation = annotation_json (id, document->id, 0, "#ff0000");

    good = put_annotation_body ("op-good", annotation);
  }

  /* No token, a bad token. */
  expect_error (server, "PUT", path, NULL, good, 401, "unauthorized");
  expect_error (server, "PUT", path, "not-a-token", good, 401, "unauthorized");
  expect_error (server, "DELETE", "/api/v1/annotations/x?op_id=y", "not-a-token", NULL, 401, "unauthorized");
  expect_error (server, "PUT", item_note_path, NULL, "{}", 401, "unauthorized");

  /* Not JSON, not an object, nested too deep. */
  expect_error (server, "PUT", path, official, "{\"op_id\": ", 400, "bad_request");
  expect_error (server, "PUT", path, official, "[]", 400, "bad_request");
  expect_error (server, "PUT", path, official, "", 400, "bad_request");
  {
    g_autofree char *deep = g_strnfill (400000, '[');

    expect_error (server, "PUT", path, official, deep, 400, "bad_request");
  }

  /* op_id missing, of the wrong type, not an id. */
  {
    g_autofree char *annotation = annotation_json (id, document->id, 0, "#ff0000");
    g_autofree char *no_op = g_strdup_printf ("{\"annotation\": %s}", annotation);
    g_autofree char *number_op = g_strdup_printf ("{\"op_id\": 7, \"annotation\": %s}", annotation);
    g_autofree char *path_op = put_annotation_body ("../op", annotation);

    expect_error (server, "PUT", path, official, no_op, 400, "invalid_field");
    expect_error (server, "PUT", path, official, number_op, 400, "invalid_field");
    expect_error (server, "PUT", path, official, path_op, 400, "invalid_field");
    expect_error (server, "PUT", path, official, "{\"op_id\": \"op-1\"}", 400, "invalid_field");
    expect_error (server, "PUT", path, official, "{\"op_id\": \"op-1\", \"annotation\": []}", 400, "invalid_field");
  }

  /* Every field of the annotation: wrong type or out of its limits. */
  for (guint i = 0; i < G_N_ELEMENTS (bad_fields); i++)
    {
      g_autofree char *annotation = annotation_json (id, document->id, 0, "#ff0000");
      g_autofree char *bad = mutate_json (annotation, bad_fields[i].field, bad_fields[i].value);
      g_autofree char *body = put_annotation_body ("op-bad", bad);

      expect_error (server, "PUT", path, official, body, 400, "invalid_field");
    }
  {
    g_autofree char *long_text = g_strnfill (DOCKET_MAX_ANNOTATION_CONTENTS_BYTES + 1, 'a');
    g_autofree char *value = g_strdup_printf ("\"%s\"", long_text);
    g_autofree char *annotation = annotation_json (id, document->id, 0, "#ff0000");
    g_autofree char *bad = mutate_json (annotation, "contents", value);
    g_autofree char *body = put_annotation_body ("op-long", bad);

    expect_error (server, "PUT", path, official, body, 400, "invalid_field");
  }

  /* The id in the body is not the path's; the path's is not an id. */
  {
    g_autofree char *annotation = annotation_json ("another-id", document->id, 0, "#ff0000");
    g_autofree char *body = put_annotation_body ("op-10", annotation);

    expect_error (server, "PUT", path, official, body, 400, "invalid_field");
    expect_error (server, "PUT", "/api/v1/annotations/a.b", official, good, 404, "not_found");
    expect_error (server, "PUT", "/api/v1/annotations", official, good, 404, "not_found");
  }

  /* Past the document's last page. */
  {
    g_autofree char *annotation = annotation_json (id, document->id, document->pages, "#ff0000");
    g_autofree char *body = put_annotation_body ("op-11", annotation);

    g_assert_cmpint (document->pages, >, 0);
    expect_error (server, "PUT", path, official, body, 400, "invalid_field");
  }

  /* Unknown documents and items; those of a meeting the official does not see. */
  {
    g_autofree char *unknown = annotation_json (id, "khong-co", 0, "#ff0000");
    g_autofree char *unknown_body = put_annotation_body ("op-12", unknown);
    g_autofree char *invisible = annotation_json (id, hidden_document->id, 0, "#ff0000");
    g_autofree char *invisible_body = put_annotation_body ("op-13", invisible);
    g_autofree char *unknown_note = note_body ("op-14", "agenda_item", "khong-co", "x");
    g_autofree char *hidden_note = note_body ("op-15", "agenda_item", hidden_item->id, "x");

    expect_error (server, "PUT", path, official, unknown_body, 404, "not_found");
    expect_error (server, "PUT", path, outsider, invisible_body, 404, "not_found");
    expect_error (server, "PUT", "/api/v1/notes/agenda_item/khong-co", official, unknown_note, 404, "not_found");
    expect_error (server, "PUT", hidden_note_path, outsider, hidden_note, 404, "not_found");
  }

  /* Notes: a target that is not one, a body about another target, wrong types, too long. */
  {
    g_autofree char *wrong_target = note_body ("op-16", "document", item->id, "x");
    g_autofree char *wrong_id = note_body ("op-17", "agenda_item", document->id, "x");
    g_autofree char *long_text = g_strnfill (DOCKET_MAX_NOTE_BYTES + 1, 'a');
    g_autofree char *too_long = note_body ("op-18", "agenda_item", item->id, long_text);
    g_autofree char *meeting_path = g_strconcat ("/api/v1/notes/meeting/", today, NULL);
    g_autofree char *wrong_type = g_strdup_printf ("{\"op_id\": \"op-19\", \"note\": {\"target\": \"agenda_item\","
                                                   " \"target_id\": \"%s\", \"text\": 5, \"updated_at\": 0,"
                                                   " \"revision\": 0}}", item->id);

    expect_error (server, "PUT", meeting_path, official, wrong_target, 404, "not_found");
    expect_error (server, "PUT", item_note_path, official, wrong_target, 400, "invalid_field");
    expect_error (server, "PUT", item_note_path, official, wrong_id, 400, "invalid_field");
    expect_error (server, "PUT", item_note_path, official, too_long, 400, "invalid_field");
    expect_error (server, "PUT", item_note_path, official, wrong_type, 400, "invalid_field");
    expect_error (server, "PUT", item_note_path, official, "{\"op_id\": \"op-20\"}", 400, "invalid_field");
    expect_error (server, "PUT", item_note_path, official, "{\"note\": {}}", 400, "invalid_field");
    expect_error (server, "GET", item_note_path, official, NULL, 405, "method_not_allowed");
  }

  /* Deletes: op_id missing or not an id; other methods. */
  expect_error (server, "DELETE", path, official, NULL, 400, "bad_request");
  {
    g_autofree char *bad_op = g_strconcat (path, "?op_id=a%2Fb", NULL);

    expect_error (server, "DELETE", bad_op, official, NULL, 400, "bad_request");
  }
  expect_error (server, "GET", path, official, NULL, 405, "method_not_allowed");
  expect_error (server, "POST", path, official, good, 405, "method_not_allowed");

  /* Over 1 MiB: refused from the headers. */
  {
    gsize size = DOCKET_MAX_JSON_REQUEST_BYTES + 10;
    g_autofree char *huge = g_malloc (size + 1);

    memset (huge, ' ', size);
    huge[0] = '{';
    huge[size - 1] = '}';
    huge[size] = '\0';
    expect_error (server, "PUT", path, official, huge, 413, "too_large");
    expect_error (server, "PUT", item_note_path, official, huge, 413, "too_large");
  }

  /* None of it wrote anything. */
  assert_unchanged (server, official, cursor);
  assert_unchanged (server, outsider, outsider_cursor);
  {
    g_autofree char *rows = run_sql_text (server, "SELECT (SELECT count(*) FROM annotations)"
                                                  " + (SELECT count(*) FROM notes) + (SELECT count(*) FROM ops)");

    g_assert_cmpstr (rows, ==, "0");
  }

  /* An op_id is used once: the same op_id for another request is a conflict. */
  g_assert_cmpuint (call_json (server, "PUT", path, official, good, NULL), ==, 201);
  {
    g_autofree char *note = note_body ("op-good", "agenda_item", item->id, "x");

    expect_error (server, "PUT", item_note_path, official, note, 409, "conflict");
  }

  docket_test_server_stop (server);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/annotations", test_annotations);
  g_test_add_func ("/server/annotations/bad-requests", test_annotations_bad_requests);

  return g_test_run ();
}
