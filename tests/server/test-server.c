/* test-server.c: the real docket-server, over HTTP, against docs/protocol.md: what it says
 * of itself, signing in, bad requests of every kind, and its command line
 *
 * Every test starts the real binary on a random loopback port with a fresh data folder
 * (tests/lib). Bad requests are checked for their status and JSON error, and for leaving
 * everything as it was: the change feed's cursor does not move. The other endpoints have
 * files of their own: test-server-meetings.c, test-server-annotations.c, test-server-gc.c;
 * what they share is in test-server-common.c.
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

/* Tests */

static void
test_info (void)
{
  DocketTestServer *server = docket_test_server_start (FALSE);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;

  g_assert_cmpuint (call_json (server, "GET", "/api/v1/info", NULL, NULL, &root), ==, 200);
  object = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (object, "server"), ==, "docket-server");
  g_assert_cmpint (json_object_get_int_member (object, "api"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (object, "max_upload_bytes"), ==, 104857600);
  {
    JsonArray *capabilities = json_object_get_array_member (object, "capabilities");
    static const char * const expected[] = { "changes", "documents.range", "manage", "annotations", "notes",
                                             "meeting_roles", "live", "meeting_state", "attendance",
                                             "speeches" };

    g_assert_cmpuint (json_array_get_length (capabilities), ==, G_N_ELEMENTS (expected));
    for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
      g_assert_cmpstr (json_array_get_string_element (capabilities, i), ==, expected[i]);
  }

  /* Unknown paths and methods: JSON errors. */
  expect_error (server, "GET", "/nothing", NULL, NULL, 404, "not_found");
  expect_error (server, "GET", "/api/v1/nothing", NULL, NULL, 404, "not_found");
  expect_error (server, "GET", "/api/v1/documents/a.b/content", NULL, NULL, 404, "not_found");
  expect_error (server, "DELETE", "/api/v1/info", NULL, NULL, 405, "method_not_allowed");
  g_assert_cmpuint (docket_test_server_wait_for_requests (server, "GET", "/api/v1/info", 1), ==, 1);

  docket_test_server_stop (server);
}

static void
test_sign_in (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autoptr(JsonNode) wrong = NULL;
  g_autoptr(JsonNode) unknown = NULL;
  g_autoptr(JsonNode) me = NULL;
  g_autofree char *wrong_text = NULL;
  g_autofree char *unknown_text = NULL;
  g_autofree char *token = NULL;
  g_autofree char *token2 = NULL;
  g_autofree char *out = NULL;
  guint wrong_status, unknown_status;

  /* A wrong password and an unknown user: the same answer. */
  wrong_status = call_json (server, "POST", "/api/v1/session", NULL,
                            "{\"username\": \"daibieu1\", \"password\": \"sai-mat-khau\"}", &wrong);
  unknown_status = call_json (server, "POST", "/api/v1/session", NULL,
                              "{\"username\": \"khongco\", \"password\": \"sai-mat-khau\"}", &unknown);
  assert_error (wrong_status, wrong, 401, "invalid_credentials");
  g_assert_cmpuint (unknown_status, ==, wrong_status);
  wrong_text = json_to_string (wrong, FALSE);
  unknown_text = json_to_string (unknown, FALSE);
  g_assert_cmpstr (wrong_text, ==, unknown_text);

  /* Malformed sign-ins */
  expect_error (server, "POST", "/api/v1/session", NULL, "{\"username\": ", 400, "bad_request");
  expect_error (server, "POST", "/api/v1/session", NULL, "[1, 2]", 400, "bad_request");
  expect_error (server, "POST", "/api/v1/session", NULL,
                "{\"username\": 12, \"password\": \"x\"}", 400, "invalid_field");

  /* Success, and the token works. */
  token = docket_test_sign_in (server, "daibieu1", NULL);
  g_assert_cmpuint (strlen (token), ==, 43);   /* 256 bits, base64url, unpadded */
  g_assert_cmpuint (call_json (server, "GET", "/api/v1/session", token, NULL, &me), ==, 200);
  g_assert_cmpstr (member_string (me, "username"), ==, "daibieu1");
  g_assert_cmpstr (member_string (me, "role"), ==, "official");
  g_assert_cmpstr (member_string (me, "organ"), ==, "HĐND tỉnh");
  g_assert_cmpstr (member_string (me, "display_name"), ==, "Nguyễn Văn Hùng");

  /* Missing and bad tokens */
  expect_error (server, "GET", "/api/v1/session", NULL, NULL, 401, "unauthorized");
  expect_error (server, "GET", "/api/v1/changes", NULL, NULL, 401, "unauthorized");
  expect_error (server, "GET", "/api/v1/changes", "not-a-token", NULL, 401, "unauthorized");

  /* Sign-out revokes the token. */
  g_assert_cmpuint (call_json (server, "DELETE", "/api/v1/session", token, NULL, NULL), ==, 204);
  expect_error (server, "GET", "/api/v1/session", token, NULL, 401, "unauthorized");
  expect_error (server, "GET", "/api/v1/changes", token, NULL, 401, "unauthorized");

  /* An expired token */
  token2 = docket_test_sign_in (server, "daibieu2", NULL);
  g_assert_cmpuint (call_json (server, "GET", "/api/v1/changes", token2, NULL, NULL), ==, 200);
  g_free (run_sql_text (server, "UPDATE tokens SET expires_at = 1"));
  expect_error (server, "GET", "/api/v1/changes", token2, NULL, 401, "unauthorized");

  /* A disabled user: tokens stop working, and sign-in fails. */
  g_clear_pointer (&token2, g_free);
  token2 = docket_test_sign_in (server, "daibieu3", NULL);
  g_assert_cmpint (docket_test_server_admin (server, NULL, &out, "user", "disable", "daibieu3", NULL), ==, 0);
  expect_error (server, "GET", "/api/v1/session", token2, NULL, 401, "unauthorized");
  {
    g_autofree char *json = g_strdup_printf ("{\"username\": \"daibieu3\", \"password\": \"%s\"}",
                                             docket_test_server_get_password (server, "daibieu3"));

    expect_error (server, "POST", "/api/v1/session", NULL, json, 401, "invalid_credentials");
  }

  docket_test_server_stop (server);
}

static void
test_rate_limit (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *good = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *url = g_strconcat (docket_test_server_get_url (server), "/api/v1/session", NULL);
  guint status;

  for (int i = 0; i < 5; i++)
    expect_error (server, "POST", "/api/v1/session", NULL,
                  "{\"username\": \"daibieu4\", \"password\": \"sai\"}", 401, "invalid_credentials");

  /* Now even the right password is refused, with Retry-After. */
  good = g_strdup_printf ("{\"username\": \"daibieu4\", \"password\": \"%s\"}",
                          docket_test_server_get_password (server, "daibieu4"));
  status = call_json (server, "POST", "/api/v1/session", NULL, good, &root);
  assert_error (status, root, 429, "too_many_attempts");

  /* The header, read with libsoup directly. */
  {
    g_autoptr(SoupSession) session = soup_session_new ();
    g_autoptr(SoupMessage) message = soup_message_new ("POST", url);
    g_autoptr(GBytes) body = g_bytes_new (good, strlen (good));
    const char *retry_after;
    guint64 seconds = 0;

    soup_message_set_request_body_from_bytes (message, "application/json", body);
    answer = soup_session_send_and_read (session, message, NULL, NULL);
    g_assert_cmpuint (soup_message_get_status (message), ==, 429);
    retry_after = soup_message_headers_get_one (soup_message_get_response_headers (message),
                                                "Retry-After");
    g_assert_nonnull (retry_after);
    g_assert_true (g_ascii_string_to_unsigned (retry_after, 10, 1, 3600, &seconds, NULL));
  }

  docket_test_server_stop (server);
}

/* A request whose headers promise a body over the limit gets 413 at once: the test sends
 * the headers only, and the answer comes without the body ever being sent. */
static void
assert_refused_from_headers (DocketTestServer *server,
                             const char       *path,
                             const char       *token,
                             const char       *length)
{
  g_autoptr(GUri) uri = g_uri_parse (docket_test_server_get_url (server), G_URI_FLAGS_NONE, NULL);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *request = NULL;
  g_autoptr(GString) response = g_string_new (NULL);
  char buffer[4096];
  gssize n;

  g_socket_client_set_timeout (client, 10);
  connection = g_socket_client_connect_to_host (client, g_uri_get_host (uri),
                                                (guint16) g_uri_get_port (uri), NULL, &error);
  g_assert_no_error (error);
  request = g_strdup_printf ("POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                             "Authorization: Bearer %s\r\n"
                             "Content-Type: application/json\r\n"
                             "Content-Length: %s\r\n\r\n", path, token, length);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                             request, strlen (request), NULL, NULL, &error);
  g_assert_no_error (error);
  while ((n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                                   buffer, sizeof buffer, NULL, &error)) > 0)
    g_string_append_len (response, buffer, n);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (response->str, "HTTP/1.1 413"));
  g_assert_nonnull (strstr (response->str, "\"error\":\"too_large\""));
}

static void
test_bad_requests (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *secretary = docket_test_sign_in (server, "thuky", NULL);
  g_autofree char *official = docket_test_sign_in (server, "daibieu1", NULL);
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_change_free);
  g_autofree char *cursor = NULL;
  g_autofree char *official_cursor = NULL;
  g_autofree char *other = NULL;
  g_autofree char *out = NULL;
  g_autofree char *meeting_path = NULL;
  g_autofree char *items_path = NULL;
  g_autofree char *item_path = NULL;
  g_autofree char *upload_path = NULL;
  g_autofree char *today = NULL;
  g_autofree char *big = NULL;
  DocketAgendaItemRecord *item = NULL;
  DocketAgendaItemRecord *child = NULL;
  guint blobs;

  cursor = sync_all (server, secretary, NULL, 0, all);
  official_cursor = sync_all (server, official, NULL, 0, NULL);
  today = meeting_id_by_title (all, TODAY_MEETING);
  for (guint i = 0; i < all->len; i++)
    {
      DocketChange *change = g_ptr_array_index (all, i);
      DocketAgendaItemRecord *record = change->record;

      if (change->type != DOCKET_CHANGE_AGENDA_ITEM || !g_str_equal (record->meeting_id, today))
        continue;
      if (item == NULL && record->parent_id == NULL && g_str_equal (record->number, "2"))
        item = record;
    }
  g_assert_nonnull (item);
  for (guint i = 0; i < all->len; i++)
    {
      DocketChange *change = g_ptr_array_index (all, i);

      if (change->type == DOCKET_CHANGE_AGENDA_ITEM &&
          g_strcmp0 (((DocketAgendaItemRecord *) change->record)->parent_id, item->id) == 0)
        child = change->record;
    }
  g_assert_nonnull (child);

  meeting_path = g_strdup_printf ("/api/v1/meetings/%s", today);
  items_path = g_strdup_printf ("/api/v1/meetings/%s/items", today);
  item_path = g_strdup_printf ("/api/v1/items/%s", item->id);
  upload_path = g_strdup_printf ("/api/v1/items/%s/documents?title=T%%E1%%BB%%9D", item->id);
  blobs = count_blobs (server);

  /* Malformed JSON, not an object, wrong types, limits */
  expect_error (server, "POST", "/api/v1/meetings", secretary, "{\"title\": ", 400, "bad_request");
  expect_error (server, "POST", "/api/v1/meetings", secretary, "\"a string\"", 400, "bad_request");
  expect_error (server, "POST", "/api/v1/meetings", secretary, "", 400, "bad_request");
  /* Bodies that json-glib alone mishandles: deep nesting (a stack overflow that took the
   * server down), a NUL inside a string, an integer beyond 64 bits. */
  {
    g_autofree char *deep = g_strnfill (400000, '[');

    expect_error (server, "POST", "/api/v1/meetings", secretary, deep, 400, "bad_request");
    expect_error (server, "POST", "/api/v1/session", NULL, deep, 400, "bad_request");
  }
  expect_error (server, "POST", "/api/v1/meetings", secretary,
                "{\"title\": \"a\\u0000b\"}", 400, "bad_request");
  expect_error (server, "PATCH", item_path, secretary,
                "{\"position\": 18446744073709551617}", 400, "bad_request");
  expect_error (server, "POST", "/api/v1/meetings", secretary,
                "{\"title\": 5, \"starts_at\": \"2026-12-01T08:00:00+07:00\","
                " \"ends_at\": \"2026-12-01T11:00:00+07:00\", \"time_zone\": \"Asia/Ho_Chi_Minh\"}",
                400, "invalid_field");
  expect_error (server, "POST", "/api/v1/meetings", secretary,
                "{\"title\": \"Họp\", \"starts_at\": \"2026-12-01 08:00\","
                " \"ends_at\": \"2026-12-01T11:00:00+07:00\", \"time_zone\": \"Asia/Ho_Chi_Minh\"}",
                400, "invalid_field");
  expect_error (server, "POST", "/api/v1/meetings", secretary,
                "{\"title\": \"Họp\", \"starts_at\": \"2026-12-01T08:00:00+07:00\","
                " \"ends_at\": \"2026-12-01T07:00:00+07:00\", \"time_zone\": \"Asia/Ho_Chi_Minh\"}",
                400, "invalid_field");
  expect_error (server, "POST", "/api/v1/meetings", secretary,
                "{\"title\": \"Họp\", \"starts_at\": \"2026-12-01T08:00:00+07:00\","
                " \"ends_at\": \"2026-12-01T11:00:00+07:00\", \"time_zone\": \"Mars/Olympus\"}",
                400, "invalid_field");
  expect_error (server, "POST", "/api/v1/meetings", secretary, "{\"title\": \"Họp\"}",
                400, "invalid_field");
  expect_error (server, "PATCH", meeting_path, secretary, "{\"status\": \"cancelled\"}",
                400, "invalid_field");
  expect_error (server, "PATCH", meeting_path, secretary, "{\"title\": \"\"}", 400, "invalid_field");
  expect_error (server, "PATCH", meeting_path, secretary, "{\"title\": \"a\\u0001b\"}", 400, "invalid_field");
  expect_error (server, "PATCH", item_path, secretary, "{\"position\": \"1\"}", 400, "invalid_field");
  expect_error (server, "PATCH", item_path, secretary, "{\"position\": -1}", 400, "invalid_field");
  expect_error (server, "PATCH", item_path, secretary, "{\"parent_id\": 3}", 400, "invalid_field");
  expect_error (server, "POST", items_path, secretary, "{\"number\": \"5\"}", 400, "invalid_field");
  expect_error (server, "POST", items_path, secretary,
                "{\"title\": \"Mục\", \"parent_id\": \"khong-co\"}", 400, "invalid_field");
  big = g_strnfill (DOCKET_MAX_TITLE_BYTES + 1, 'a');
  {
    g_autofree char *json = g_strdup_printf ("{\"title\": \"%s\"}", big);

    expect_error (server, "PATCH", meeting_path, secretary, json, 400, "invalid_field");
  }

  /* An item cannot become its own descendant. */
  {
    g_autofree char *json = g_strdup_printf ("{\"parent_id\": \"%s\"}", child->id);

    expect_error (server, "PATCH", item_path, secretary, json, 409, "conflict");
  }
  {
    g_autofree char *json = g_strdup_printf ("{\"parent_id\": \"%s\"}", item->id);

    expect_error (server, "PATCH", item_path, secretary, json, 409, "conflict");
  }

  /* Unknown ids */
  expect_error (server, "PATCH", "/api/v1/meetings/khong-co", secretary, "{}", 404, "not_found");
  expect_error (server, "DELETE", "/api/v1/items/khong-co", secretary, NULL, 404, "not_found");
  expect_error (server, "PATCH", "/api/v1/documents/khong-co", secretary, "{}", 404, "not_found");
  expect_error (server, "GET", "/api/v1/documents/khong-co/content", secretary, NULL, 404, "not_found");
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/meetings/%s/participants/khongco", today);

    expect_error (server, "PUT", path, secretary, NULL, 404, "not_found");
  }

  /* Over 1 MiB of JSON, and a body that only says it is huge */
  {
    gsize size = DOCKET_MAX_JSON_REQUEST_BYTES + 10;
    g_autofree char *huge = g_malloc (size + 1);

    memset (huge, ' ', size);
    huge[0] = '{';
    huge[size - 1] = '}';
    huge[size] = '\0';
    expect_error (server, "PATCH", meeting_path, secretary, huge, 413, "too_large");
  }
  assert_refused_from_headers (server, meeting_path, secretary, "1000000000000");
  assert_refused_from_headers (server, upload_path, secretary, "1000000000000");

  /* A non-PDF upload */
  {
    g_autoptr(GBytes) text = g_bytes_new_static ("hello, not a PDF", 16);
    g_autoptr(GBytes) fake = g_bytes_new_static ("%PDF-1.7\nbroken", 15);
    g_autoptr(JsonNode) root = NULL;
    guint status;

    status = call (server, "POST", upload_path, secretary, "application/pdf", text, &root);
    assert_error (status, root, 415, "unsupported_media_type");
    g_clear_pointer (&root, json_node_unref);
    status = call (server, "POST", upload_path, secretary, "application/pdf", fake, &root);
    assert_error (status, root, 415, "unsupported_media_type");
  }

  /* An official on secretary endpoints */
  expect_error (server, "PATCH", meeting_path, official, "{\"title\": \"Của tôi\"}", 403, "forbidden");
  expect_error (server, "DELETE", item_path, official, NULL, 403, "forbidden");
  expect_error (server, "POST", "/api/v1/meetings", official,
                "{\"title\": \"Họp\", \"starts_at\": \"2026-12-01T08:00:00+07:00\","
                " \"ends_at\": \"2026-12-01T11:00:00+07:00\", \"time_zone\": \"Asia/Ho_Chi_Minh\"}",
                403, "forbidden");
  expect_error (server, "GET", "/api/v1/users", official, NULL, 403, "forbidden");

  /* A secretary of another organ: does not see our meetings, may not create them. */
  g_assert_cmpint (docket_test_server_admin (server, "mat-khau-khac\n", &out, "user", "add", "thuky2",
                                             "--role", "secretary", "--organ", "UBND tỉnh",
                                             "--display-name", "Võ Văn Kiệt", NULL), ==, 0);
  other = docket_test_sign_in (server, "thuky2", "mat-khau-khac");
  expect_error (server, "PATCH", meeting_path, other, "{\"title\": \"Của tôi\"}", 404, "not_found");
  expect_error (server, "DELETE", item_path, other, NULL, 404, "not_found");
  expect_error (server, "POST", "/api/v1/meetings", other,
                "{\"title\": \"Họp\", \"organ\": \"HĐND tỉnh\", \"starts_at\": \"2026-12-01T08:00:00+07:00\","
                " \"ends_at\": \"2026-12-01T11:00:00+07:00\", \"time_zone\": \"Asia/Ho_Chi_Minh\"}",
                403, "forbidden");
  {
    g_autoptr(DocketChangesPage) page = get_changes (server, other, NULL, 0);

    g_assert_cmpuint (page->changes->len, ==, 0);
  }

  /* None of it changed anything. */
  assert_unchanged (server, secretary, cursor);
  assert_unchanged (server, official, official_cursor);
  g_assert_cmpuint (count_blobs (server), ==, blobs);

  /* The server still serves. */
  g_assert_cmpuint (call_json (server, "GET", "/api/v1/info", NULL, NULL, NULL), ==, 200);

  docket_test_server_stop (server);
}

static void
test_cli (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *out = NULL;
  g_autofree char *token = NULL;
  g_auto(GStrv) lines = NULL;
  guint accounts = 0;

  /* seed-demo printed NAME<TAB>ROLE<TAB>PASSWORD (tests/lib parsed it). */
  for (const char * const *name = docket_test_server_get_usernames (server); *name; name++)
    {
      const char *role = docket_test_server_get_role (server, *name);

      g_assert_true (g_str_equal (role, "official") || g_str_equal (role, "secretary"));
      g_assert_cmpuint (strlen (docket_test_server_get_password (server, *name)), >=, 12);
      accounts++;
    }
  g_assert_cmpuint (accounts, ==, DEMO_ACCOUNTS);
  g_assert_cmpstr (docket_test_server_get_role (server, "thuky"), ==, "secretary");
  g_assert_cmpstr (docket_test_server_get_role (server, "daibieu5"), ==, "official");

  /* Seeding twice is refused. */
  g_assert_cmpint (docket_test_server_admin (server, NULL, &out, "seed-demo", NULL), !=, 0);
  g_assert_cmpstr (out, ==, "");
  g_clear_pointer (&out, g_free);

  /* user add / list / passwd / disable */
  g_assert_cmpint (docket_test_server_admin (server, "bi-mat-1\n", &out, "user", "add", "quantri",
                                             "--role", "admin", "--display-name", "Quản trị viên", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (docket_test_server_admin (server, "x\n", &out, "user", "add", "quantri",
                                             "--role", "admin", NULL), !=, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (docket_test_server_admin (server, "x\n", &out, "user", "add", "Bad Name",
                                             "--role", "admin", NULL), !=, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (docket_test_server_admin (server, "x\n", &out, "user", "add", "khac",
                                             "--role", "king", NULL), !=, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (docket_test_server_admin (server, "", &out, "user", "add", "khac",
                                             "--role", "official", NULL), !=, 0);
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (docket_test_server_admin (server, NULL, &out, "user", "list", NULL), ==, 0);
  lines = g_strsplit (out, "\n", -1);
  /* The demo's, quantri, and the empty end */
  g_assert_cmpuint (g_strv_length (lines), ==, DEMO_ACCOUNTS + 2);
  g_assert_nonnull (strstr (out, "quantri\tadmin\t\tenabled\tQuản trị viên\n"));
  g_assert_nonnull (strstr (out, "daibieu5\tofficial\tHĐND tỉnh\tenabled\tĐặng Đức Thắng\n"));
  g_clear_pointer (&out, g_free);

  token = docket_test_sign_in (server, "quantri", "bi-mat-1");
  g_clear_pointer (&token, g_free);
  g_assert_cmpint (docket_test_server_admin (server, "bi-mat-2\n", &out, "user", "passwd", "quantri", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  expect_error (server, "POST", "/api/v1/session", NULL,
                "{\"username\": \"quantri\", \"password\": \"bi-mat-1\"}", 401, "invalid_credentials");
  token = docket_test_sign_in (server, "quantri", "bi-mat-2");
  /* An admin sees every meeting, and the drafts. */
  {
    g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_change_free);
    g_autofree char *cursor = sync_all (server, token, NULL, 0, all);

    g_assert_cmpuint (count_changes (all, DOCKET_CHANGE_MEETING, FALSE), ==, 3);
  }

  g_assert_cmpint (docket_test_server_admin (server, NULL, &out, "user", "disable", "quantri", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  expect_error (server, "GET", "/api/v1/session", token, NULL, 401, "unauthorized");
  g_assert_cmpint (docket_test_server_admin (server, NULL, &out, "user", "list", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "quantri\tadmin\t\tdisabled\t"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (docket_test_server_admin (server, NULL, &out, "user", "disable", "khongco", NULL), !=, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (docket_test_server_admin (server, NULL, &out, "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "--tls-cert"));
  g_assert_nonnull (strstr (out, "DOCKET_SERVER_TOKEN_TTL"));

  docket_test_server_stop (server);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/info", test_info);
  g_test_add_func ("/server/sign-in", test_sign_in);
  g_test_add_func ("/server/rate-limit", test_rate_limit);
  g_test_add_func ("/server/bad-requests", test_bad_requests);
  g_test_add_func ("/server/cli", test_cli);

  return g_test_run ();
}
