/* test-server-limits-annotations.c: the server never accepts an annotation or a note
 * that a client must refuse: the strict reader checks them on the server
 *
 * Split from test-server-limits.c (same cases); the helpers are in
 * test-server-limits-common.c.
 */
#include "config.h"

#include <string.h>
#include <sqlite3.h>
#include <json-glib/json-glib.h>

#include "docket-records.h"
#include "test-server-limits-common.h"

/* ---- annotations and notes (the strict reader checks them on the server) ----------- */

/* A document of a published meeting daibieu1 sees, and its meeting's first item. */
static char *
official_document (DocketTestServer *server,
                   const char       *official)
{
  char *cursor = NULL;
  g_autoptr(GPtrArray) changes = sync_since (server, official, &cursor);

  g_free (cursor);
  for (guint i = 0; i < changes->len; i++)
    {
      DocketChange *change = g_ptr_array_index (changes, i);

      if (change->type == DOCKET_CHANGE_DOCUMENT && !change->deleted)
        return g_strdup (change->id);
    }
  g_assert_not_reached ();
}

static char *
annotation_body (const char *op_id,
                 const char *id,
                 const char *document_id,
                 const char *kind,
                 const char *geometry,
                 const char *contents)
{
  return g_strdup_printf ("{\"op_id\": \"%s\", \"annotation\": {\"id\": \"%s\", \"document_id\": \"%s\","
                          " \"page\": 0, \"kind\": \"%s\", \"color\": \"#f6d32d\", \"geometry\": %s,"
                          " \"contents\": %s, \"created_at\": 1795400000000,"
                          " \"updated_at\": 1795400000000, \"revision\": 0}}",
                          op_id, id, document_id, kind, geometry, contents);
}

/* n boxes, or n points of one stroke */
static char *
rects_geometry (guint n)
{
  GString *text = g_string_new ("{\"rects\": [");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "%s[1, 2, 3, 4]", i > 0 ? "," : "");
  g_string_append (text, "]}");
  return g_string_free (text, FALSE);
}

static char *
ink_geometry (guint n_points)
{
  GString *text = g_string_new ("{\"width\": 100, \"strokes\": [[");

  for (guint i = 0; i < n_points; i++)
    g_string_append_printf (text, "%s%u, -14400", i > 0 ? "," : "", i % 14400);
  g_string_append (text, "]]}");
  return g_string_free (text, FALSE);
}

static void
put_annotation_ok (DocketTestServer  *server,
                   const char        *official,
                   char             **cursor,
                   const char        *id,
                   const char        *body)
{
  g_autofree char *path = g_strconcat ("/api/v1/annotations/", id, NULL);
  g_autoptr(JsonNode) answer = call_ok (server, "PUT", path, official, body);
  g_autoptr(GPtrArray) changes = NULL;

  synced_record (server, official, cursor, DOCKET_CHANGE_ANNOTATION, id, &changes);
}

static void
test_annotations_and_notes (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *official = docket_test_sign_in (server, "daibieu1",
                                                   docket_test_server_get_password (server, "daibieu1"));
  g_autofree char *document_id = official_document (server, official);
  g_autofree char *cursor = cursor_now (server, official);
  g_autofree char *contents_at_limit = quoted_repeat ("a", DOCKET_MAX_ANNOTATION_CONTENTS_BYTES);
  g_autofree char *contents_over = quoted_repeat ("a", DOCKET_MAX_ANNOTATION_CONTENTS_BYTES + 1);
  g_autofree char *rects_at_limit = rects_geometry (DOCKET_MAX_ANNOTATION_RECTS);
  g_autofree char *rects_over = rects_geometry (DOCKET_MAX_ANNOTATION_RECTS + 1);
  g_autofree char *ink_at_limit = ink_geometry (DOCKET_MAX_INK_POINTS);
  g_autofree char *ink_over = ink_geometry (DOCKET_MAX_INK_POINTS + 1);
  g_autofree char *note_path = g_strconcat ("/api/v1/notes/document/", document_id, NULL);
  g_autofree char *body = NULL;

  body = annotation_body ("op-1", "a-contents", document_id, "note", "{\"x\": 1, \"y\": 2}",
                          contents_at_limit);
  put_annotation_ok (server, official, &cursor, "a-contents", body);
  body = (g_free (body), annotation_body ("op-2", "a-rects", document_id, "highlight",
                                          rects_at_limit, "\"\""));
  put_annotation_ok (server, official, &cursor, "a-rects", body);
  body = (g_free (body), annotation_body ("op-3", "a-ink", document_id, "ink", ink_at_limit, "\"\""));
  put_annotation_ok (server, official, &cursor, "a-ink", body);

  body = (g_free (body), annotation_body ("op-4", "b-contents", document_id, "note",
                                          "{\"x\": 1, \"y\": 2}", contents_over));
  expect_refused (server, official, cursor, "PUT", "/api/v1/annotations/b-contents", body, 400,
                  "invalid_field", "contents");
  body = (g_free (body), annotation_body ("op-5", "b-rects", document_id, "highlight",
                                          rects_over, "\"\""));
  expect_refused (server, official, cursor, "PUT", "/api/v1/annotations/b-rects", body, 400,
                  "invalid_field", "rects");
  body = (g_free (body), annotation_body ("op-6", "b-ink", document_id, "ink", ink_over, "\"\""));
  expect_refused (server, official, cursor, "PUT", "/api/v1/annotations/b-ink", body, 400,
                  "invalid_field", "strokes");
  body = (g_free (body), annotation_body ("op-7", "b-coord", document_id, "note",
                                          "{\"x\": 14400.5, \"y\": 2}", "\"\""));
  expect_refused (server, official, cursor, "PUT", "/api/v1/annotations/b-coord", body, 400,
                  "invalid_field", "geometry.x");
  body = (g_free (body), annotation_body ("op-8", "b-text", document_id, "note",
                                          "{\"x\": 1, \"y\": 2}", "\"a\\u0007\""));
  expect_refused (server, official, cursor, "PUT", "/api/v1/annotations/b-text", body, 400,
                  "invalid_field", "contents");

  /* Notes */
  {
    g_autofree char *text_at_limit = quoted_repeat ("a", DOCKET_MAX_NOTE_BYTES);
    g_autofree char *text_over = quoted_repeat ("a", DOCKET_MAX_NOTE_BYTES + 1);
    g_autofree char *note = g_strdup_printf ("{\"op_id\": \"op-9\", \"note\": {\"target\": \"document\","
                                             " \"target_id\": \"%s\", \"text\": %s,"
                                             " \"updated_at\": 0, \"revision\": 0}}",
                                             document_id, text_at_limit);
    g_autoptr(JsonNode) answer = call_ok (server, "PUT", note_path, official, note);
    g_autoptr(GPtrArray) changes = NULL;
    DocketNoteRecord *record = synced_record (server, official, &cursor, DOCKET_CHANGE_NOTE,
                                              document_id, &changes);

    g_assert_cmpuint (strlen (record->text), ==, DOCKET_MAX_NOTE_BYTES);
    note = (g_free (note), g_strdup_printf ("{\"op_id\": \"op-10\", \"note\": {\"target\": \"document\","
                                            " \"target_id\": \"%s\", \"text\": %s,"
                                            " \"updated_at\": 0, \"revision\": 0}}",
                                            document_id, text_over));
    expect_refused (server, official, cursor, "PUT", note_path, note, 400, "invalid_field", "text");
  }

  docket_test_server_stop (server);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server-limits/annotations-and-notes", test_annotations_and_notes);

  return g_test_run ();
}
