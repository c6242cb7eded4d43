/* test-server-limits.c: the server never accepts what a client must refuse: texts, a
 * meeting's fields, users' fields
 *
 * For each limit of docs/protocol.md ("Limits"): a write just at the limit succeeds and
 * the client's strict reader (docket_changes_page_from_json) accepts the feed that
 * carries it; a write over it gets its status and JSON error, which names the field,
 * and the feed's cursor does not move. The real docket-server runs on a random loopback
 * port (tests/lib). Participants, positions and depth are in
 * test-server-limits-agenda.c, annotations and notes in test-server-limits-annotations.c;
 * what they share is in test-server-limits-common.c.
 */
#include "config.h"

#include <string.h>
#include <sqlite3.h>
#include <json-glib/json-glib.h>

#include "docket-records.h"
#include "test-server-limits-common.h"

/* ---- texts ------------------------------------------------------------------------ */

typedef struct {
  const char *field;
  gsize       max_bytes;
  gboolean    may_be_empty;
} TextField;

/* What a client refuses in any text field, whatever its length. */
static const char * const bad_texts[] = {
  "\"a\\u0007b\"",          /* a C0 control */
  "\"a\\u001bb\"",          /* escape */
  "\"a\\u007fb\"",          /* DEL */
  "\"a\\u0085b\"",          /* a C1 control */
  "\"a\\rb\"",
};

static const char *
type_name (DocketChangeType type)
{
  return docket_change_type_to_string (type);
}

static const char *
record_text (DocketChangeType  type,
             gpointer          record,
             const char       *field)
{
  if (type == DOCKET_CHANGE_MEETING)
    {
      DocketMeetingRecord *meeting = record;

      if (g_str_equal (field, "title"))
        return meeting->title;
      if (g_str_equal (field, "location"))
        return meeting->location;
      if (g_str_equal (field, "organ"))
        return meeting->organ;
    }
  else if (type == DOCKET_CHANGE_AGENDA_ITEM)
    {
      DocketAgendaItemRecord *item = record;

      if (g_str_equal (field, "title"))
        return item->title;
      if (g_str_equal (field, "number"))
        return item->number;
      if (g_str_equal (field, "presenter"))
        return item->presenter;
      if (g_str_equal (field, "description"))
        return item->description;
    }
  else if (type == DOCKET_CHANGE_DOCUMENT && g_str_equal (field, "title"))
    return ((DocketDocumentRecord *) record)->title;
  g_error ("no text field %s in a %s", field, type_name (type));
}

/* PATCH path {field: value} succeeds, and the client reads the value back as it was. */
static void
accept_text (DocketTestServer  *server,
             const char        *token,
             char             **cursor,
             const char        *path,
             DocketChangeType   type,
             const char        *id,
             const char        *field,
             const char        *quoted,
             gsize              expected_bytes)
{
  g_autofree char *json = g_strdup_printf ("{\"%s\": %s}", field, quoted);
  g_autoptr(JsonNode) answer = call_ok (server, "PATCH", path, token, json);
  g_autoptr(GPtrArray) changes = NULL;
  gpointer record = synced_record (server, token, cursor, type, id, &changes);

  g_assert_cmpuint (strlen (record_text (type, record, field)), ==, expected_bytes);
}

static void
check_text_field (DocketTestServer  *server,
                  const char        *token,
                  char             **cursor,
                  const char        *path,
                  DocketChangeType   type,
                  const char        *id,
                  const TextField   *text)
{
  g_autofree char *at_limit = quoted_repeat ("a", text->max_bytes);
  /* Characters of three bytes: at the limit in bytes, and one character past it. */
  g_autofree char *wide_at_limit = quoted_repeat ("ộ", text->max_bytes / 3);
  g_autofree char *wide_over = quoted_repeat ("ộ", text->max_bytes / 3 + 1);
  g_autofree char *over = quoted_repeat ("a", text->max_bytes + 1);

  g_test_message ("%s.%s: %" G_GSIZE_FORMAT " bytes", type_name (type), text->field,
                  text->max_bytes);

  accept_text (server, token, cursor, path, type, id, text->field, at_limit, text->max_bytes);
  accept_text (server, token, cursor, path, type, id, text->field, wide_at_limit,
               text->max_bytes / 3 * 3);
  if (text->may_be_empty)
    accept_text (server, token, cursor, path, type, id, text->field, "\"\"", 0);

  {
    g_autofree char *json = g_strdup_printf ("{\"%s\": %s}", text->field, over);

    expect_refused (server, token, *cursor, "PATCH", path, json, 400, "invalid_field", text->field);
  }
  {
    g_autofree char *json = g_strdup_printf ("{\"%s\": %s}", text->field, wide_over);

    expect_refused (server, token, *cursor, "PATCH", path, json, 400, "invalid_field", text->field);
  }
  if (!text->may_be_empty)
    {
      g_autofree char *json = g_strdup_printf ("{\"%s\": \"\"}", text->field);

      expect_refused (server, token, *cursor, "PATCH", path, json, 400, "invalid_field", text->field);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad_texts); i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"%s\": %s}", text->field, bad_texts[i]);

      expect_refused (server, token, *cursor, "PATCH", path, json, 400, "invalid_field", text->field);
    }
}

/* A new draft meeting of the secretary's organ. */
static void
test_texts (void)
{
  static const TextField meeting_fields[] = {
    { "title", DOCKET_MAX_TITLE_BYTES, FALSE },
    { "location", DOCKET_MAX_SHORT_TEXT_BYTES, TRUE },
  };
  static const TextField item_fields[] = {
    { "title", DOCKET_MAX_TITLE_BYTES, FALSE },
    { "number", DOCKET_MAX_NUMBER_BYTES, TRUE },
    { "presenter", DOCKET_MAX_SHORT_TEXT_BYTES, TRUE },
    { "description", DOCKET_MAX_DESCRIPTION_BYTES, TRUE },
  };
  static const TextField document_field = { "title", DOCKET_MAX_TITLE_BYTES, FALSE };
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *token = docket_test_sign_in (server, "thuky",
                                                docket_test_server_get_password (server, "thuky"));
  g_autofree char *meeting_id = create_meeting (server, token);
  g_autofree char *meeting_path = g_strconcat ("/api/v1/meetings/", meeting_id, NULL);
  g_autofree char *items_path = g_strconcat (meeting_path, "/items", NULL);
  g_autofree char *item_id = created_id (server, items_path, token, "{\"title\": \"Mục 1\"}");
  g_autofree char *item_path = g_strconcat ("/api/v1/items/", item_id, NULL);
  g_autofree char *document_id = first_document (server, token);
  g_autofree char *document_path = g_strconcat ("/api/v1/documents/", document_id, NULL);
  g_autofree char *cursor = cursor_now (server, token);

  for (guint i = 0; i < G_N_ELEMENTS (meeting_fields); i++)
    check_text_field (server, token, &cursor, meeting_path, DOCKET_CHANGE_MEETING, meeting_id,
                      &meeting_fields[i]);
  for (guint i = 0; i < G_N_ELEMENTS (item_fields); i++)
    check_text_field (server, token, &cursor, item_path, DOCKET_CHANGE_AGENDA_ITEM, item_id,
                      &item_fields[i]);
  check_text_field (server, token, &cursor, document_path, DOCKET_CHANGE_DOCUMENT, document_id,
                    &document_field);

  /* A new item's texts go through the same checks as a changed one's. */
  {
    g_autofree char *over = quoted_repeat ("a", DOCKET_MAX_NUMBER_BYTES + 1);
    g_autofree char *json = g_strdup_printf ("{\"title\": \"Mục\", \"number\": %s}", over);

    expect_refused (server, token, cursor, "POST", items_path, json, 400, "invalid_field", "number");
    expect_refused (server, token, cursor, "POST", items_path, "{\"title\": \"M\\u0007\"}",
                    400, "invalid_field", "title");
  }
  /* Text that is not UTF-8 is not JSON: refused before any field is read. */
  {
    const char json[] = "{\"title\": \"\xc3\x28\"}";

    expect_refused (server, token, cursor, "PATCH", meeting_path, json, 400, "bad_request", NULL);
  }

  docket_test_server_stop (server);
}

/* ---- a meeting's time zone, times and organ ---------------------------------------- */

static void
test_meeting_fields (void)
{
  static const char * const bad_zones[] = {
    "\"/usr/share/zoneinfo/Asia/Ho_Chi_Minh\"",  /* GLib would open the file */
    "\"../zoneinfo/UTC\"",
    "\"+07:00\"",
    "\"Asia//Ho_Chi_Minh\"",
    "\"Asia/Ho_Chi_Minh/\"",
    "\"Asia/Ho Chi Minh\"",
    "\"Mars/Olympus_Mons\"",                    /* the shape, but no such zone */
    "\"\"",
    "\"Asia/Ho_Chi_Minh\\u0007\"",
  };
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *token = docket_test_sign_in (server, "thuky",
                                                docket_test_server_get_password (server, "thuky"));
  g_autofree char *meeting_id = create_meeting (server, token);
  g_autofree char *meeting_path = g_strconcat ("/api/v1/meetings/", meeting_id, NULL);
  g_autofree char *cursor = cursor_now (server, token);
  g_autofree char *long_zone = quoted_repeat ("a", DOCKET_MAX_SHORT_TEXT_BYTES + 1);

  /* Names clients read, the zone GLib knows. */
  {
    g_autoptr(JsonNode) answer = call_ok (server, "PATCH", meeting_path, token,
                                          "{\"time_zone\": \"Etc/GMT-7\"}");
    g_autoptr(GPtrArray) changes = NULL;
    DocketMeetingRecord *record = synced_record (server, token, &cursor, DOCKET_CHANGE_MEETING,
                                                 meeting_id, &changes);

    g_assert_cmpstr (record->time_zone, ==, "Etc/GMT-7");
  }

  for (guint i = 0; i < G_N_ELEMENTS (bad_zones); i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"time_zone\": %s}", bad_zones[i]);

      expect_refused (server, token, cursor, "PATCH", meeting_path, json, 400, "invalid_field",
                      "time_zone");
      json = (g_free (json), g_strdup_printf ("{\"title\": \"Phiên\", " MEETING_TIMES
                                              ", \"time_zone\": %s}", bad_zones[i]));
      expect_refused (server, token, cursor, "POST", "/api/v1/meetings", json, 400,
                      "invalid_field", "time_zone");
    }
  {
    g_autofree char *json = g_strdup_printf ("{\"time_zone\": %s}", long_zone);

    expect_refused (server, token, cursor, "PATCH", meeting_path, json, 400, "invalid_field",
                    "time_zone");
  }

  /* Times: RFC 3339 with an offset, as the shared parser reads them, at most
   * DOCKET_MAX_TIME_TEXT_BYTES (GLib refuses long fractions of a second before that). */
  {
    g_autofree char *json = g_strdup_printf ("{\"starts_at\": \"2026-12-01T08:00:00.%s+07:00\"}",
                                             "123456789012345678");
    g_autofree char *digits = repeat ('0', DOCKET_MAX_TIME_TEXT_BYTES - strlen ("2026-12-01T08:00:00.+07:00"));
    g_autoptr(JsonNode) answer = call_ok (server, "PATCH", meeting_path, token, json);
    g_autoptr(GPtrArray) changes = NULL;
    DocketMeetingRecord *record;

    record = synced_record (server, token, &cursor, DOCKET_CHANGE_MEETING, meeting_id, &changes);
    g_assert_cmpint (g_date_time_get_hour (record->starts_at), ==, 8);

    json = (g_free (json), g_strdup_printf ("{\"starts_at\": \"2026-12-01T08:00:00.0%s+07:00\"}", digits));
    g_assert_cmpuint (strlen (json), ==, strlen ("{\"starts_at\": \"\"}") + DOCKET_MAX_TIME_TEXT_BYTES + 1);
    expect_refused (server, token, cursor, "PATCH", meeting_path, json, 400, "invalid_field",
                    "starts_at");
    expect_refused (server, token, cursor, "PATCH", meeting_path,
                    "{\"ends_at\": \"2026-12-01T11:00:00\"}", 400, "invalid_field", "ends_at");
    expect_refused (server, token, cursor, "PATCH", meeting_path,
                    "{\"ends_at\": \"2026-11-30T11:00:00+07:00\"}", 400, "invalid_field", "ends_at");
    expect_refused (server, token, cursor, "PATCH", meeting_path,
                    "{\"status\": \"archived\"}", 400, "invalid_field", "status");
  }

  docket_test_server_stop (server);
}

/* An organ and a display name come from the command line (docket-server user add): they
 * go into every meeting of the organ and every participant list in the feed. */
static void
test_user_fields (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *organ_at_limit = repeat ('o', DOCKET_MAX_SHORT_TEXT_BYTES);
  g_autofree char *organ_over = repeat ('o', DOCKET_MAX_SHORT_TEXT_BYTES + 1);
  g_autofree char *name_at_limit = repeat ('n', DOCKET_MAX_SHORT_TEXT_BYTES);
  g_autofree char *name_over = repeat ('n', DOCKET_MAX_SHORT_TEXT_BYTES + 1);
  g_autofree char *password_at_limit = repeat ('p', DOCKET_MAX_PASSWORD_BYTES);
  g_autofree char *password_over = repeat ('p', DOCKET_MAX_PASSWORD_BYTES + 1);
  g_autofree char *stdin_at_limit = g_strconcat (password_at_limit, "\n", NULL);
  g_autofree char *stdin_over = g_strconcat (password_over, "\n", NULL);
  g_autofree char *out = NULL;
  g_autofree char *token = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *meeting_id = NULL;
  g_autofree char *participant_path = NULL;
  g_autoptr(JsonNode) answer = NULL;

  /* Over the limits, or with a control character: refused, nobody added. */
  g_assert_cmpint (docket_test_server_admin (server, "bi-mat-1\n", &out, "user", "add", "thuky2",
                                             "--role", "secretary", "--organ", organ_over, NULL), !=, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (docket_test_server_admin (server, "bi-mat-1\n", &out, "user", "add", "thuky2",
                                             "--role", "secretary", "--organ", "HĐND\x1b[2J", NULL), !=, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (docket_test_server_admin (server, "bi-mat-1\n", &out, "user", "add", "thuky2",
                                             "--role", "secretary", "--organ", "HĐND",
                                             "--display-name", name_over, NULL), !=, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (docket_test_server_admin (server, "bi-mat-1\n", &out, "user", "add", "thuky2",
                                             "--role", "secretary", "--organ", "HĐND",
                                             "--display-name", "Thư\aký", NULL), !=, 0);
  g_clear_pointer (&out, g_free);
  /* A password sign-in would refuse: not cut short, not stored. */
  g_assert_cmpint (docket_test_server_admin (server, stdin_over, &out, "user", "add", "thuky2",
                                             "--role", "secretary", "--organ", "HĐND", NULL), !=, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (docket_test_server_admin (server, "mat\x01khau\n", &out, "user", "add", "thuky2",
                                             "--role", "secretary", "--organ", "HĐND", NULL), !=, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (docket_test_server_admin (server, NULL, &out, "user", "list", NULL), ==, 0);
  g_assert_null (strstr (out, "thuky2"));
  g_clear_pointer (&out, g_free);

  /* At the limits: added, and everything it makes reads back. */
  g_assert_cmpint (docket_test_server_admin (server, stdin_at_limit, &out, "user", "add", "thuky2",
                                             "--role", "secretary", "--organ", organ_at_limit,
                                             "--display-name", name_at_limit, NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  token = docket_test_sign_in (server, "thuky2", password_at_limit);
  meeting_id = create_meeting (server, token);
  participant_path = g_strdup_printf ("/api/v1/meetings/%s/participants/thuky2", meeting_id);
  g_assert_cmpuint (call_json (server, "PUT", participant_path, token, NULL, &answer), ==, 204);
  {
    g_autoptr(GPtrArray) changes = NULL;
    DocketMeetingRecord *record = synced_record (server, token, &cursor, DOCKET_CHANGE_MEETING,
                                                 meeting_id, &changes);
    DocketParticipant *participant;

    g_assert_cmpstr (record->organ, ==, organ_at_limit);
    g_assert_cmpuint (record->participants->len, ==, 1);
    participant = g_ptr_array_index (record->participants, 0);
    g_assert_cmpstr (participant->display_name, ==, name_at_limit);
  }

  docket_test_server_stop (server);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server-limits/texts", test_texts);
  g_test_add_func ("/server-limits/meeting-fields", test_meeting_fields);
  g_test_add_func ("/server-limits/user-fields", test_user_fields);

  return g_test_run ();
}
