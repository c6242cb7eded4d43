/* test-server-limits.c: the server never accepts what a client must refuse
 *
 * For each limit of docs/protocol.md ("Limits"): a write just at the limit succeeds and
 * the client's strict reader (docket_changes_page_from_json) accepts the feed that
 * carries it; a write over it gets its status and JSON error, which names the field,
 * and the feed's cursor does not move. The real docket-server runs on a random loopback
 * port (tests/lib).
 */
#include "config.h"

#include <string.h>
#include <sqlite3.h>
#include <json-glib/json-glib.h>

#include "docket-records.h"
#include "docket-test-util.h"

#define MEETING_TIMES \
  "\"starts_at\": \"2026-12-01T08:00:00+07:00\", \"ends_at\": \"2026-12-01T11:00:00+07:00\""

/* ---- HTTP ------------------------------------------------------------------------- */

/* METHOD path with a JSON body (may be NULL); *out_json gets the answer (NULL if none). */
static guint
call_json (DocketTestServer  *server,
           const char        *method,
           const char        *path,
           const char        *token,
           const char        *json,
           JsonNode         **out_json)
{
  g_autofree char *url = g_strconcat (docket_test_server_get_url (server), path, NULL);
  g_autoptr(GBytes) body = json ? g_bytes_new (json, strlen (json)) : NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize size;
  const char *data;
  guint status;

  status = docket_test_http (method, url, token, "application/json", body, &answer);
  data = g_bytes_get_data (answer, &size);
  *out_json = NULL;
  if (size > 0 && json_parser_load_from_data (parser, data, (gssize) size, NULL))
    *out_json = json_parser_steal_root (parser);
  return status;
}

/* Calls and asserts a 2xx answer; returns it. */
static JsonNode *
call_ok (DocketTestServer *server,
         const char       *method,
         const char       *path,
         const char       *token,
         const char       *json)
{
  JsonNode *root = NULL;
  guint status = call_json (server, method, path, token, json, &root);

  if (status < 200 || status > 299)
    g_error ("%s %s: %u %s", method, path, status,
             root ? json_to_string (root, FALSE) : "(no JSON)");
  return root;
}

static char *
created_id (DocketTestServer *server,
            const char       *path,
            const char       *token,
            const char       *json)
{
  g_autoptr(JsonNode) root = call_ok (server, "POST", path, token, json);

  return g_strdup (json_object_get_string_member (json_node_get_object (root), "id"));
}

/* A JSON string of n times unit (a UTF-8 character). */
static char *
quoted_repeat (const char *unit,
               gsize       n)
{
  GString *text = g_string_new ("\"");

  for (gsize i = 0; i < n; i++)
    g_string_append (text, unit);
  g_string_append_c (text, '"');
  return g_string_free (text, FALSE);
}

static char *
repeat (char  c,
        gsize n)
{
  return g_strnfill (n, c);
}

/* ---- the feed, as a client reads it ----------------------------------------------- */

/* One page since cursor, through the client's strict reader (which must accept it). */
static DocketChangesPage *
get_page (DocketTestServer *server,
          const char       *token,
          const char       *since)
{
  g_autofree char *path = since ? g_strdup_printf ("/api/v1/changes?since=%s&limit=1000", since)
                                : g_strdup ("/api/v1/changes?limit=1000");
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  DocketChangesPage *page;

  g_assert_cmpuint (call_json (server, "GET", path, token, NULL, &root), ==, 200);
  page = docket_changes_page_from_json (root, &error);
  g_assert_no_error (error);
  return page;
}

/* Every change since *cursor (NULL: from the start), which moves to the end. */
static GPtrArray *
sync_since (DocketTestServer  *server,
            const char        *token,
            char             **cursor)
{
  GPtrArray *changes = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_change_free);

  for (guint round = 0; round < 10000; round++)
    {
      g_autoptr(DocketChangesPage) page = get_page (server, token, *cursor);

      g_free (*cursor);
      *cursor = g_strdup (page->cursor);
      while (page->changes->len > 0)
        g_ptr_array_add (changes, g_ptr_array_steal_index (page->changes, 0));
      if (!page->more)
        return changes;
    }
  g_assert_not_reached ();
}

static char *
cursor_now (DocketTestServer *server,
            const char       *token)
{
  char *cursor = NULL;
  g_autoptr(GPtrArray) changes = sync_since (server, token, &cursor);

  return cursor;
}

/* The record of the change of id since *cursor (asserted there), read as a client reads
 * it; *cursor moves on. Free it with the changes, which the caller gets. */
static gpointer
synced_record (DocketTestServer  *server,
               const char        *token,
               char             **cursor,
               DocketChangeType   type,
               const char        *id,
               GPtrArray        **out_changes)
{
  GPtrArray *changes = sync_since (server, token, cursor);

  *out_changes = changes;
  for (guint i = 0; i < changes->len; i++)
    {
      DocketChange *change = g_ptr_array_index (changes, i);

      if (change->type == type && g_str_equal (change->id, id) && !change->deleted)
        return change->record;
    }
  g_error ("no change of %s in the feed", id);
}

/* Nothing changed since cursor: same cursor, no changes. */
static void
assert_unchanged (DocketTestServer *server,
                  const char       *token,
                  const char       *cursor)
{
  g_autoptr(DocketChangesPage) page = get_page (server, token, cursor);

  g_assert_cmpstr (page->cursor, ==, cursor);
  g_assert_false (page->more);
  g_assert_cmpuint (page->changes->len, ==, 0);
}

/* The write is refused with status and code, a message that names field, and nothing
 * changes. */
static void
expect_refused (DocketTestServer *server,
                const char       *token,
                const char       *cursor,
                const char       *method,
                const char       *path,
                const char       *json,
                guint             expected_status,
                const char       *expected_code,
                const char       *field)
{
  g_autoptr(JsonNode) root = NULL;
  guint status = call_json (server, method, path, token, json, &root);
  JsonObject *object;
  const char *message;

  g_test_message ("%s %s (%s) -> %u", method, path, field, status);
  g_assert_cmpuint (status, ==, expected_status);
  g_assert_nonnull (root);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  object = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member_with_default (object, "error", NULL), ==,
                   expected_code);
  message = json_object_get_string_member_with_default (object, "message", NULL);
  g_assert_nonnull (message);
  if (field != NULL && strstr (message, field) == NULL)
    g_error ("the message does not name %s: %s", field, message);
  g_assert_cmpuint (strlen (message), <=, DOCKET_MAX_ERROR_MESSAGE_BYTES);

  assert_unchanged (server, token, cursor);
}

/* ---- the server's database, for set-ups too large to make over HTTP --------------- */

/* Runs sql on the running server's database (WAL: the server keeps serving). Only for
 * set-ups that would take minutes through the API (thousands of users, each with an
 * Argon2 hash; a hundred thousand agenda items); the writes under test go through HTTP. */
static void
run_sql (DocketTestServer *server,
         const char       *sql,
         const char       *text_1)
{
  g_autofree char *path = g_build_filename (docket_test_server_get_data_dir (server),
                                            "docket-server.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (text_1 != NULL)
    sqlite3_bind_text (stmt, 1, text_1, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

/* One number from the running server's database. */
static gint64
sql_number (DocketTestServer *server,
            const char       *sql,
            const char       *text_1)
{
  g_autofree char *path = g_build_filename (docket_test_server_get_data_dir (server),
                                            "docket-server.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (text_1 != NULL)
    sqlite3_bind_text (stmt, 1, text_1, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

/* A refusal when the feed of a hundred thousand items is too slow to ask for (its pages
 * are computed from every item of a meeting): the status and error as expect_refused (),
 * and nothing written: the sequence, which every write takes a number of, and the items
 * of the meeting stay as they were. */
static void
expect_refused_in_database (DocketTestServer *server,
                            const char       *token,
                            const char       *meeting_id,
                            const char       *method,
                            const char       *path,
                            const char       *json,
                            guint             expected_status,
                            const char       *expected_code,
                            const char       *field)
{
  const char *seq_sql = "SELECT value FROM sequence";
  const char *items_sql = "SELECT COUNT (*) FROM items WHERE meeting_id = ?1";
  gint64 seq = sql_number (server, seq_sql, NULL);
  gint64 items = sql_number (server, items_sql, meeting_id);
  g_autoptr(JsonNode) root = NULL;
  guint status = call_json (server, method, path, token, json, &root);
  const char *message;

  g_test_message ("%s %s (%s) -> %u", method, path, field, status);
  g_assert_cmpuint (status, ==, expected_status);
  g_assert_nonnull (root);
  g_assert_cmpstr (json_object_get_string_member_with_default (json_node_get_object (root), "error", NULL),
                   ==, expected_code);
  message = json_object_get_string_member_with_default (json_node_get_object (root), "message", "");
  if (strstr (message, field) == NULL)
    g_error ("the message does not name %s: %s", field, message);

  g_assert_cmpint (sql_number (server, seq_sql, NULL), ==, seq);
  g_assert_cmpint (sql_number (server, items_sql, meeting_id), ==, items);
}

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
static char *
create_meeting (DocketTestServer *server,
                const char       *token)
{
  return created_id (server, "/api/v1/meetings", token,
                     "{\"title\": \"Phiên họp\", " MEETING_TIMES ","
                     " \"time_zone\": \"Asia/Ho_Chi_Minh\"}");
}

/* The id of the first document the secretary sees in the demo. */
static char *
first_document (DocketTestServer *server,
                const char       *token)
{
  char *cursor = NULL;
  g_autoptr(GPtrArray) changes = sync_since (server, token, &cursor);

  g_free (cursor);
  for (guint i = 0; i < changes->len; i++)
    {
      DocketChange *change = g_ptr_array_index (changes, i);

      if (change->type == DOCKET_CHANGE_DOCUMENT && !change->deleted)
        return g_strdup (change->id);
    }
  g_assert_not_reached ();
}

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

/* ---- participants ---------------------------------------------------------------- */

static void
test_participants (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *token = docket_test_sign_in (server, "thuky",
                                                docket_test_server_get_password (server, "thuky"));
  g_autofree char *meeting_id = create_meeting (server, token);
  g_autofree char *cursor = NULL;
  g_autofree char *last_path = NULL;
  g_autofree char *extra_path = NULL;
  g_autofree char *bad_name_path = NULL;
  g_autofree char *long_name = repeat ('n', DOCKET_MAX_SHORT_TEXT_BYTES + 1);
  g_autofree char *bad_user_sql = NULL;

  /* DOCKET_MAX_PARTICIPANTS + 1 users, all but the last two of them participants
   * already, and one user whose display name no client reads (kept from before the
   * command line checked it). */
  run_sql (server,
           "WITH RECURSIVE n (x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM n WHERE x < " G_STRINGIFY (DOCKET_MAX_PARTICIPANTS) ")"
           " INSERT INTO users (username, display_name, role, organ, password_hash)"
           " SELECT printf ('p%04d', x), printf ('Người %d', x), 'official', '', 'x' FROM n", NULL);
  run_sql (server,
           "INSERT INTO participants (meeting_id, user_id) SELECT ?1, id FROM users"
           " WHERE username GLOB 'p[0-9][0-9][0-9][0-9]' AND username < printf ('p%04d', "
           G_STRINGIFY (DOCKET_MAX_PARTICIPANTS) " - 1)", meeting_id);
  bad_user_sql = g_strdup_printf ("INSERT INTO users (username, display_name, role, organ, password_hash)"
                                  " VALUES ('xau', '%s', 'official', '', 'x')", long_name);
  run_sql (server, bad_user_sql, NULL);
  cursor = cursor_now (server, token);

  /* The one that makes DOCKET_MAX_PARTICIPANTS: added, and the meeting reads back. */
  last_path = g_strdup_printf ("/api/v1/meetings/%s/participants/p%04d", meeting_id,
                               DOCKET_MAX_PARTICIPANTS - 1);
  {
    g_autoptr(JsonNode) answer = NULL;
    g_autoptr(GPtrArray) changes = NULL;
    DocketMeetingRecord *record;

    g_assert_cmpuint (call_json (server, "PUT", last_path, token, NULL, &answer), ==, 204);
    record = synced_record (server, token, &cursor, DOCKET_CHANGE_MEETING, meeting_id, &changes);
    g_assert_cmpuint (record->participants->len, ==, DOCKET_MAX_PARTICIPANTS);
  }

  /* One more, one at a time: the total counts. */
  extra_path = g_strdup_printf ("/api/v1/meetings/%s/participants/p%04d", meeting_id,
                                DOCKET_MAX_PARTICIPANTS);
  expect_refused (server, token, cursor, "PUT", extra_path, NULL, 413, "too_large", "participants");

  /* Someone already there is no one more. */
  {
    g_autoptr(JsonNode) answer = NULL;

    g_assert_cmpuint (call_json (server, "PUT", last_path, token, NULL, &answer), ==, 204);
    assert_unchanged (server, token, cursor);
  }

  /* Room again after a removal; a display name clients refuse is refused. */
  {
    g_autoptr(JsonNode) answer = NULL;
    g_autoptr(GPtrArray) changes = NULL;

    g_assert_cmpuint (call_json (server, "DELETE", last_path, token, NULL, &answer), ==, 204);
    changes = sync_since (server, token, &cursor);
  }
  bad_name_path = g_strdup_printf ("/api/v1/meetings/%s/participants/xau", meeting_id);
  expect_refused (server, token, cursor, "PUT", bad_name_path, NULL, 400, "invalid_field",
                  "display_name");

  docket_test_server_stop (server);
}

/* ---- positions, siblings, depth ---------------------------------------------------- */

static void
test_positions (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *token = docket_test_sign_in (server, "thuky",
                                                docket_test_server_get_password (server, "thuky"));
  g_autofree char *meeting_id = create_meeting (server, token);
  g_autofree char *items_path = g_strdup_printf ("/api/v1/meetings/%s/items", meeting_id);
  g_autofree char *first_id = created_id (server, items_path, token, "{\"title\": \"Mục 1\"}");
  g_autofree char *first_path = g_strconcat ("/api/v1/items/", first_id, NULL);
  g_autofree char *document_id = first_document (server, token);
  g_autofree char *document_path = g_strconcat ("/api/v1/documents/", document_id, NULL);
  g_autofree char *cursor = cursor_now (server, token);
  g_autofree char *last_id = NULL;

  /* Positions: DOCKET_MAX_POSITION is a position one may ask for (it lands last). */
  {
    g_autofree char *json = g_strdup_printf ("{\"position\": %d}", DOCKET_MAX_POSITION);
    g_autoptr(JsonNode) item = call_ok (server, "PATCH", first_path, token, json);
    g_autoptr(JsonNode) document = call_ok (server, "PATCH", document_path, token, json);
    g_autoptr(GPtrArray) changes = sync_since (server, token, &cursor);

    g_assert_nonnull (changes);
  }
  {
    g_autofree char *json = g_strdup_printf ("{\"position\": %d}", DOCKET_MAX_POSITION + 1);
    g_autofree char *create = g_strdup_printf ("{\"title\": \"Mục\", \"position\": %d}",
                                               DOCKET_MAX_POSITION + 1);

    expect_refused (server, token, cursor, "PATCH", first_path, json, 400, "invalid_field", "position");
    expect_refused (server, token, cursor, "PATCH", document_path, json, 400, "invalid_field", "position");
    expect_refused (server, token, cursor, "POST", items_path, create, 400, "invalid_field", "position");
    expect_refused (server, token, cursor, "PATCH", first_path, "{\"position\": -1}", 400,
                    "invalid_field", "position");
  }

  /* Siblings: positions 0 to DOCKET_MAX_POSITION, so one more than that many is refused.
   * The first item stands at 0; the set-up fills 1 to DOCKET_MAX_POSITION - 1. From here
   * on the answers are read as a client reads them, not the feed (see
   * expect_refused_in_database ()). */
  run_sql (server,
           "WITH RECURSIVE n (x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n"
           "  WHERE x < " G_STRINGIFY (DOCKET_MAX_POSITION) " - 1)"
           " INSERT INTO items (id, meeting_id, parent_id, position, title, version)"
           " SELECT printf ('bulk%06d', x), ?1, NULL, x, 'Mục', 1 FROM n", meeting_id);
  {
    g_autoptr(JsonNode) answer = call_ok (server, "POST", items_path, token, "{\"title\": \"Cuối\"}");
    g_autoptr(GError) error = NULL;
    g_autoptr(DocketAgendaItemRecord) record = docket_agenda_item_record_from_json (answer, &error);

    g_assert_no_error (error);
    g_assert_cmpint (record->position, ==, DOCKET_MAX_POSITION);
    last_id = g_strdup (record->id);
  }
  expect_refused_in_database (server, token, meeting_id, "POST", items_path,
                              "{\"title\": \"Thừa\"}", 413, "too_large", "position");
  /* Nor may an item move in among them. */
  {
    g_autofree char *create = g_strdup_printf ("{\"title\": \"Con\", \"parent_id\": \"%s\"}", last_id);
    g_autofree char *child_id = created_id (server, items_path, token, create);
    g_autofree char *child_path = g_strconcat ("/api/v1/items/", child_id, NULL);

    expect_refused_in_database (server, token, meeting_id, "PATCH", child_path,
                                "{\"parent_id\": null}", 413, "too_large", "position");
  }

  docket_test_server_stop (server);
}

static void
test_depth (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *token = docket_test_sign_in (server, "thuky",
                                                docket_test_server_get_password (server, "thuky"));
  g_autofree char *meeting_id = create_meeting (server, token);
  g_autofree char *items_path = g_strdup_printf ("/api/v1/meetings/%s/items", meeting_id);
  g_autofree char *cursor = NULL;
  g_autofree char *deepest_id = NULL;
  g_autofree char *top_id = created_id (server, items_path, token, "{\"title\": \"Gốc\"}");
  g_autofree char *second_top_id = created_id (server, items_path, token, "{\"title\": \"Gốc 2\"}");
  g_autofree char *second_top_path = g_strconcat ("/api/v1/items/", second_top_id, NULL);
  g_autofree char *under_second_id = NULL;
  g_autofree char *parent_id = g_strdup (top_id);
  g_autofree char *one_above_id = NULL;

  /* A chain down to depth DOCKET_MAX_AGENDA_DEPTH (the top item is at depth 0). */
  for (int depth = 1; depth <= DOCKET_MAX_AGENDA_DEPTH; depth++)
    {
      g_autofree char *json = g_strdup_printf ("{\"title\": \"Mức %d\", \"parent_id\": \"%s\"}",
                                               depth, parent_id);
      char *id = created_id (server, items_path, token, json);

      if (depth == DOCKET_MAX_AGENDA_DEPTH - 1)
        one_above_id = g_strdup (id);
      g_free (parent_id);
      parent_id = id;
    }
  deepest_id = g_strdup (parent_id);

  /* Clients read every level of it. */
  {
    g_autoptr(GPtrArray) changes = sync_since (server, token, &cursor);
    guint items = 0;

    for (guint i = 0; i < changes->len; i++)
      {
        DocketChange *change = g_ptr_array_index (changes, i);

        if (change->type == DOCKET_CHANGE_AGENDA_ITEM && !change->deleted &&
            g_str_equal (((DocketAgendaItemRecord *) change->record)->meeting_id, meeting_id))
          items++;
      }
    g_assert_cmpuint (items, ==, DOCKET_MAX_AGENDA_DEPTH + 2);
  }

  /* One level deeper: refused, made or moved there. */
  {
    g_autofree char *json = g_strdup_printf ("{\"title\": \"Quá sâu\", \"parent_id\": \"%s\"}",
                                             deepest_id);

    expect_refused (server, token, cursor, "POST", items_path, json, 400, "invalid_field", "parent_id");
  }
  {
    g_autofree char *json = g_strdup_printf ("{\"parent_id\": \"%s\"}", deepest_id);

    expect_refused (server, token, cursor, "PATCH", second_top_path, json, 400, "invalid_field",
                    "parent_id");
  }
  /* An item with a sub-item takes its sub-item down with it. */
  {
    g_autofree char *create = g_strdup_printf ("{\"title\": \"Con\", \"parent_id\": \"%s\"}",
                                               second_top_id);
    g_autofree char *json = g_strdup_printf ("{\"parent_id\": \"%s\"}", one_above_id);
    g_autoptr(GPtrArray) changes = NULL;

    under_second_id = created_id (server, items_path, token, create);
    changes = sync_since (server, token, &cursor);
    expect_refused (server, token, cursor, "PATCH", second_top_path, json, 400, "invalid_field",
                    "parent_id");
  }
  /* Alone, it fits just at the limit. */
  {
    g_autofree char *json = g_strdup_printf ("{\"parent_id\": \"%s\"}", one_above_id);
    g_autofree char *under_path = g_strconcat ("/api/v1/items/", under_second_id, NULL);
    g_autoptr(JsonNode) answer = call_ok (server, "PATCH", under_path, token, json);
    g_autoptr(GPtrArray) changes = NULL;
    DocketAgendaItemRecord *record = synced_record (server, token, &cursor,
                                                    DOCKET_CHANGE_AGENDA_ITEM, under_second_id,
                                                    &changes);

    g_assert_cmpstr (record->parent_id, ==, one_above_id);
  }

  docket_test_server_stop (server);
}

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

  g_test_add_func ("/server-limits/texts", test_texts);
  g_test_add_func ("/server-limits/meeting-fields", test_meeting_fields);
  g_test_add_func ("/server-limits/user-fields", test_user_fields);
  g_test_add_func ("/server-limits/participants", test_participants);
  g_test_add_func ("/server-limits/positions", test_positions);
  g_test_add_func ("/server-limits/depth", test_depth);
  g_test_add_func ("/server-limits/annotations-and-notes", test_annotations_and_notes);

  return g_test_run ();
}
