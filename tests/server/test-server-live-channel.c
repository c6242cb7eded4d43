/* test-server-live-channel.c: the real docket-server's live channel (docs/protocol.md,
 * "The live channel"), with libsoup's own WebSocket client
 *
 * No token or a bad one: 401 as JSON and no upgrade. A good one: "hello", then
 * "changed" after each commit the user may see, and nothing of a meeting they do not
 * see; commits of another process (the command line) too. A token that dies (signed
 * out, the user disabled) closes the channel with 4401; a message over 4 KiB closes it;
 * a user has at most 10 connections; a server that stops closes them with 1001.
 */
#include "config.h"

#include <string.h>
#include <sqlite3.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "test-server-common.h"

#define WAIT_SECONDS 30

/* What hello says: 20, or the server's testing knob. */
static gint64 expected_heartbeat = 20;

/* One live connection of a test, on the default main context. */
typedef struct {
  SoupSession             *session;
  SoupMessage             *msg;
  SoupWebsocketConnection *socket;
  gboolean                 connecting;
  GError                  *error;          /* the connection was refused */
  guint                    n_hello;
  guint                    n_changed;
  guint                    n_other;
  gboolean                 hello_first;    /* the first message was hello */
  gint64                   heartbeat;      /* its heartbeat_seconds */
  gboolean                 closed;
  gushort                  close_code;     /* the server's */
} LiveClient;

static void
live_client_free (LiveClient *client)
{
  if (client->socket != NULL)
    g_signal_handlers_disconnect_by_data (client->socket, client);
  g_clear_object (&client->socket);
  g_clear_object (&client->msg);
  g_clear_object (&client->session);
  g_clear_error (&client->error);
  g_free (client);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LiveClient, live_client_free)

static void
on_message (SoupWebsocketConnection *socket,
            gint                     type,
            GBytes                  *message,
            gpointer                 user_data)
{
  LiveClient *client = user_data;
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize size;
  const char *data = g_bytes_get_data (message, &size);
  JsonObject *object;
  const char *kind;

  g_assert_cmpint (type, ==, SOUP_WEBSOCKET_DATA_TEXT);
  g_assert_true (json_parser_load_from_data (parser, data, (gssize) size, NULL));
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  object = json_node_get_object (json_parser_get_root (parser));
  kind = json_object_get_string_member_with_default (object, "type", NULL);
  if (g_strcmp0 (kind, "hello") == 0)
    {
      client->hello_first = client->n_hello + client->n_changed + client->n_other == 0;
      client->heartbeat = json_object_get_int_member_with_default (object, "heartbeat_seconds", 0);
      client->n_hello++;
    }
  else if (g_strcmp0 (kind, "changed") == 0)
    client->n_changed++;
  else
    client->n_other++;
}

static void
on_closed (SoupWebsocketConnection *socket,
           gpointer                 user_data)
{
  LiveClient *client = user_data;

  client->closed = TRUE;
  client->close_code = soup_websocket_connection_get_close_code (socket);
}

static void
on_connected (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  LiveClient *client = user_data;

  client->connecting = FALSE;
  client->socket = soup_session_websocket_connect_finish (SOUP_SESSION (source), result,
                                                          &client->error);
  if (client->socket == NULL)
    return;
  g_signal_connect (client->socket, "message", G_CALLBACK (on_message), client);
  g_signal_connect (client->socket, "closed", G_CALLBACK (on_closed), client);
}

static gboolean
is_connected (gpointer data)
{
  return !((LiveClient *) data)->connecting;
}

/* Connects with token (NULL: none) and waits until it is connected or refused. */
static LiveClient *
live_connect (DocketTestServer *server,
              const char       *token)
{
  g_autofree char *url = g_strconcat (docket_test_server_get_url (server), "/api/v1/live", NULL);
  LiveClient *client = g_new0 (LiveClient, 1);

  client->session = soup_session_new ();
  client->msg = soup_message_new ("GET", url);
  if (token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (client->msg),
                                    "Authorization", value);
    }
  client->connecting = TRUE;
  soup_session_websocket_connect_async (client->session, client->msg, NULL, NULL,
                                        G_PRIORITY_DEFAULT, NULL, on_connected, client);
  docket_test_wait_until (is_connected, client, WAIT_SECONDS, "the live channel to answer");
  return client;
}

static gboolean
has_hello (gpointer data)
{
  return ((LiveClient *) data)->n_hello > 0;
}

/* Connects and waits for hello: from then on, every commit is told to it. */
static LiveClient *
live_open (DocketTestServer *server,
           const char       *token)
{
  LiveClient *client = live_connect (server, token);

  g_assert_no_error (client->error);
  docket_test_wait_until (has_hello, client, WAIT_SECONDS, "hello");
  g_assert_true (client->hello_first);
  g_assert_cmpint (client->heartbeat, ==, expected_heartbeat);
  return client;
}

typedef struct {
  LiveClient *client;
  guint       n;
} ChangedWait;

static gboolean
has_changed (gpointer data)
{
  ChangedWait *wait = data;

  return wait->client->n_changed >= wait->n;
}

static void
wait_changed (LiveClient *client,
              guint       n)
{
  ChangedWait wait = { client, n };

  docket_test_wait_until (has_changed, &wait, WAIT_SECONDS, "a changed message");
}

static gboolean
is_closed (gpointer data)
{
  return ((LiveClient *) data)->closed;
}

static void
wait_closed (LiveClient *client,
             gushort     expected_code)
{
  docket_test_wait_until (is_closed, client, WAIT_SECONDS, "the live channel to close");
  g_assert_cmpuint (client->close_code, ==, expected_code);
}

/* The answer to a WebSocket handshake sent as a plain request: its status, its JSON and
 * whether it upgraded. Only for requests that must be refused. */
static guint
handshake_refused (DocketTestServer  *server,
                   const char        *token,
                   gboolean           handshake,
                   JsonNode         **out_json,
                   char             **out_retry_after)
{
  g_autofree char *url = g_strconcat (docket_test_server_get_url (server), "/api/v1/live", NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *request = soup_message_get_request_headers (msg);
  SoupMessageHeaders *response;
  gsize size;
  const char *data;

  if (token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (request, "Authorization", value);
    }
  if (handshake)
    {
      soup_message_headers_replace (request, "Connection", "Upgrade");
      soup_message_headers_replace (request, "Upgrade", "websocket");
      soup_message_headers_replace (request, "Sec-WebSocket-Version", "13");
      soup_message_headers_replace (request, "Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
    }
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  response = soup_message_get_response_headers (msg);
  g_assert_null (soup_message_headers_get_one (response, "Upgrade"));
  g_assert_null (soup_message_headers_get_one (response, "Sec-WebSocket-Accept"));
  g_assert_cmpstr (soup_message_headers_get_content_type (response, NULL), ==, "application/json");
  data = g_bytes_get_data (body, &size);
  g_assert_true (json_parser_load_from_data (parser, data, (gssize) size, NULL));
  *out_json = json_parser_steal_root (parser);
  if (out_retry_after != NULL)
    *out_retry_after = g_strdup (soup_message_headers_get_one (response, "Retry-After"));
  return soup_message_get_status (msg);
}

static char *
meeting_id (DocketTestServer *server,
            const char       *secretary,
            const char       *title)
{
  g_autofree char *cursor = NULL;
  g_autoptr(GPtrArray) changes = sync_since (server, secretary, &cursor);

  return meeting_id_by_title (changes, title);
}

/* The secretary renames a meeting: one commit. */
static void
rename_meeting (DocketTestServer *server,
                const char       *secretary,
                const char       *id,
                const char       *title)
{
  g_autofree char *path = g_strconcat ("/api/v1/meetings/", id, NULL);
  g_autofree char *body = g_strdup_printf ("{\"title\": \"%s\"}", title);
  g_autoptr(JsonNode) answer = NULL;

  g_assert_cmpuint (call_json (server, "PATCH", path, secretary, body, &answer), ==, 200);
}

/* No token, a bad one, or a handshake that is no WebSocket: a JSON error, no upgrade.
 * The server says it has the channel. */
static void
test_refused (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *official = docket_test_sign_in (server, "daibieu1", NULL);
  g_autoptr(JsonNode) info = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(LiveClient) anonymous = NULL;
  g_autoptr(LiveClient) forged = NULL;
  JsonArray *capabilities;
  gboolean has_live = FALSE;
  guint status;

  g_assert_cmpuint (call_json (server, "GET", "/api/v1/info", NULL, NULL, &info), ==, 200);
  capabilities = json_object_get_array_member (json_node_get_object (info), "capabilities");
  for (guint i = 0; i < json_array_get_length (capabilities); i++)
    has_live |= g_strcmp0 (json_array_get_string_element (capabilities, i), "live") == 0;
  g_assert_true (has_live);

  status = handshake_refused (server, NULL, TRUE, &answer, NULL);
  assert_error (status, answer, 401, "unauthorized");
  g_clear_pointer (&answer, json_node_unref);
  status = handshake_refused (server, "not-a-token", TRUE, &answer, NULL);
  assert_error (status, answer, 401, "unauthorized");
  g_clear_pointer (&answer, json_node_unref);
  status = handshake_refused (server, official, FALSE, &answer, NULL);
  assert_error (status, answer, 400, "bad_request");
  g_clear_pointer (&answer, json_node_unref);
  /* The route takes GET alone; the token is checked first. */
  status = call_json (server, "POST", "/api/v1/live", NULL, NULL, &answer);
  assert_error (status, answer, 401, "unauthorized");
  g_clear_pointer (&answer, json_node_unref);
  status = call_json (server, "POST", "/api/v1/live", official, NULL, &answer);
  assert_error (status, answer, 405, "method_not_allowed");

  /* libsoup's client sees the same: no WebSocket. */
  anonymous = live_connect (server, NULL);
  g_assert_error (anonymous->error, SOUP_WEBSOCKET_ERROR, SOUP_WEBSOCKET_ERROR_NOT_WEBSOCKET);
  g_assert_cmpuint (soup_message_get_status (anonymous->msg), ==, 401);
  forged = live_connect (server, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
  g_assert_cmpuint (soup_message_get_status (forged->msg), ==, 401);
  g_assert_null (forged->socket);

  docket_test_server_stop (server);
}

/* Hello first; a change the official sees comes as "changed"; one of a meeting a
 * non-participant does not see tells them nothing, while one they see tells them once. */
static void
test_changed_to_who_sees_it (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *secretary = docket_test_sign_in (server, "thuky", NULL);
  g_autofree char *participant_token = docket_test_sign_in (server, "daibieu1", NULL);
  g_autofree char *outsider_token = docket_test_sign_in (server, "daibieu5", NULL);
  g_autofree char *hidden = meeting_id (server, secretary, HIDDEN_MEETING);
  g_autofree char *today = meeting_id (server, secretary, TODAY_MEETING);
  g_autoptr(LiveClient) participant = live_open (server, participant_token);
  g_autoptr(LiveClient) outsider = live_open (server, outsider_token);
  g_autoptr(LiveClient) secretary_live = live_open (server, secretary);

  /* A: a meeting daibieu5 does not take part in. Its batch is over once daibieu1 has
   * heard of it. */
  rename_meeting (server, secretary, hidden, "Phiên họp Thường trực (đổi tên)");
  wait_changed (participant, 1);
  wait_changed (secretary_live, 1);

  /* B: one daibieu5 sees; what reaches them now is B's alone. */
  rename_meeting (server, secretary, today, "Kỳ họp thứ 12 (đổi tên)");
  wait_changed (outsider, 1);
  wait_changed (participant, 2);
  g_assert_cmpuint (outsider->n_changed, ==, 1);
  g_assert_cmpuint (outsider->n_hello, ==, 1);
  g_assert_cmpuint (outsider->n_other, ==, 0);

  docket_test_server_stop (server);
}

/* An official's own annotation is told to them alone, not to the other participants. */
static void
test_own_data (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *secretary = docket_test_sign_in (server, "thuky", NULL);
  g_autofree char *owner_token = docket_test_sign_in (server, "daibieu1", NULL);
  g_autofree char *other_token = docket_test_sign_in (server, "daibieu2", NULL);
  g_autofree char *cursor = NULL;
  g_autoptr(GPtrArray) changes = sync_since (server, secretary, &cursor);
  g_autofree char *today = meeting_id_by_title (changes, TODAY_MEETING);
  DocketDocumentRecord *document = document_of_meeting (changes, today);
  g_autofree char *annotation = annotation_json ("a-live-1", document->id, 0, "#ffcc00");
  g_autoptr(DocketAnnotationRecord) stored = NULL;
  g_autoptr(LiveClient) owner = live_open (server, owner_token);
  g_autoptr(LiveClient) other = live_open (server, other_token);

  stored = put_annotation (server, owner_token, "a-live-1", "op-live-1", annotation, 201);
  wait_changed (owner, 1);

  rename_meeting (server, secretary, today, "Kỳ họp thứ 12 (đổi tên)");
  wait_changed (other, 1);
  wait_changed (owner, 2);
  g_assert_cmpuint (other->n_changed, ==, 1);

  docket_test_server_stop (server);
}

/* Calls and asserts the status; frees the answer. */
static void
call_expect (DocketTestServer *server,
             const char       *method,
             const char       *path,
             const char       *token,
             const char       *json,
             guint             expected_status)
{
  g_autoptr(JsonNode) answer = NULL;

  g_assert_cmpuint (call_json (server, method, path, token, json, &answer), ==, expected_status);
}

/* The meeting run through the API (live-server-api's handlers), in a meeting of the
 * test's own (the demo's roles and phases are not this test's to know): each step
 * reaches the participants, nothing of it the official who does not take part, and
 * being added to it is what reaches them. */
static void
test_meeting_run (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *secretary = docket_test_sign_in (server, "thuky", NULL);
  g_autofree char *runner_token = docket_test_sign_in (server, "daibieu1", NULL);
  g_autofree char *member_token = docket_test_sign_in (server, "daibieu2", NULL);
  g_autofree char *outsider_token = docket_test_sign_in (server, "daibieu5", NULL);
  g_autoptr(JsonNode) created = NULL;
  g_autofree char *id = NULL;
  g_autofree char *meeting_path = NULL;
  g_autofree char *participants_path = NULL;
  g_autofree char *runner_path = NULL;
  g_autofree char *member_path = NULL;
  g_autofree char *outsider_path = NULL;
  g_autofree char *state_path = NULL;
  g_autofree char *attendance_path = NULL;
  g_autofree char *speeches_path = NULL;
  g_autoptr(LiveClient) runner = NULL;
  g_autoptr(LiveClient) member = NULL;
  g_autoptr(LiveClient) outsider = NULL;

  g_assert_cmpuint (call_json (server, "POST", "/api/v1/meetings", secretary,
                               "{\"title\": \"Phiên họp trực tuyến\","
                               " \"starts_at\": \"2026-12-07T08:00:00+07:00\","
                               " \"ends_at\": \"2026-12-07T11:00:00+07:00\","
                               " \"time_zone\": \"Asia/Ho_Chi_Minh\"}", &created), ==, 201);
  id = g_strdup (json_object_get_string_member (json_node_get_object (created), "id"));
  meeting_path = g_strconcat ("/api/v1/meetings/", id, NULL);
  participants_path = g_strconcat (meeting_path, "/participants/", NULL);
  runner_path = g_strconcat (participants_path, "daibieu1", NULL);
  member_path = g_strconcat (participants_path, "daibieu2", NULL);
  outsider_path = g_strconcat (participants_path, "daibieu5", NULL);
  state_path = g_strconcat (meeting_path, "/state", NULL);
  attendance_path = g_strconcat (meeting_path, "/attendance/daibieu2", NULL);
  speeches_path = g_strconcat (meeting_path, "/speeches", NULL);
  call_expect (server, "PUT", runner_path, secretary, "{\"meeting_role\": \"secretary\"}", 204);
  call_expect (server, "PUT", member_path, secretary, "{\"meeting_role\": \"member\"}", 204);
  call_expect (server, "PATCH", meeting_path, secretary, "{\"status\": \"published\"}", 200);

  runner = live_open (server, runner_token);
  member = live_open (server, member_token);
  outsider = live_open (server, outsider_token);

  call_expect (server, "PATCH", state_path, runner_token, "{\"phase\": \"in_session\"}", 200);
  wait_changed (member, 1);
  call_expect (server, "PUT", attendance_path, member_token, "{\"presence\": \"present\"}", 200);
  wait_changed (runner, 2);
  call_expect (server, "POST", speeches_path, member_token, "{}", 201);
  wait_changed (runner, 3);
  wait_changed (member, 3);

  /* Added: the whole meeting comes to them, and so does the word of it. */
  call_expect (server, "PUT", outsider_path, secretary, "{\"meeting_role\": \"guest\"}", 204);
  wait_changed (outsider, 1);
  wait_changed (member, 4);
  g_assert_cmpuint (outsider->n_changed, ==, 1);

  docket_test_server_stop (server);
}

/* One commit of another process to the server's database, as a write of the server
 * would make it: the next sequence number, stamped by sql (?1: the meeting, ?2: a user's
 * id, ?3: the number). */
static void
commit_live_record (DocketTestServer *server,
                    const char       *sql,
                    const char       *meeting,
                    const char       *username)
{
  g_autofree char *path = g_build_filename (docket_test_server_get_data_dir (server),
                                            "docket-server.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  sqlite3_int64 seq;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN IMMEDIATE;"
                                     "UPDATE sequence SET value = value + 1 WHERE id = 1",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT value FROM sequence WHERE id = 1", -1,
                                       &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  seq = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, meeting, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, username, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, seq);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* A meeting's live records (its state, attendance, speeches) are changes of the meeting:
 * told to who sees it, and to nobody else. (OR REPLACE: a demo may hold some already.) */
static void
test_live_records (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *secretary = docket_test_sign_in (server, "thuky", NULL);
  g_autofree char *participant_token = docket_test_sign_in (server, "daibieu1", NULL);
  g_autofree char *outsider_token = docket_test_sign_in (server, "daibieu5", NULL);
  g_autofree char *hidden = meeting_id (server, secretary, HIDDEN_MEETING);
  g_autofree char *today = meeting_id (server, secretary, TODAY_MEETING);
  g_autoptr(LiveClient) participant = live_open (server, participant_token);
  g_autoptr(LiveClient) outsider = live_open (server, outsider_token);
  static const char * const records[] = {
    "INSERT OR REPLACE INTO meeting_states (meeting_id, phase, started_at, version)"
    " SELECT ?1, 'in_session', '2026-12-07T08:00:00+07:00', ?3 WHERE ?2 IS NOT NULL",
    "INSERT OR REPLACE INTO attendance (id, meeting_id, user_id, presence, since, version)"
    " SELECT 'att-live-1', ?1, id, 'present', '2026-12-07T08:01:00+07:00', ?3"
    " FROM users WHERE username = ?2",
    "INSERT OR REPLACE INTO speeches (id, meeting_id, user_id, state, number, requested_at, version)"
    " SELECT 'sp-live-1', ?1, id, 'waiting', 1, '2026-12-07T08:02:00+07:00', ?3"
    " FROM users WHERE username = ?2",
  };

  for (guint i = 0; i < G_N_ELEMENTS (records); i++)
    {
      commit_live_record (server, records[i], hidden, "daibieu1");
      wait_changed (participant, i + 1);
    }

  rename_meeting (server, secretary, today, "Kỳ họp thứ 12 (đổi tên)");
  wait_changed (outsider, 1);
  wait_changed (participant, G_N_ELEMENTS (records) + 1);
  g_assert_cmpuint (outsider->n_changed, ==, 1);

  docket_test_server_stop (server);
}

/* Another process writes: the command line's seed-archive reaches the administrator
 * who sees everything, and disabling a user closes their channel with 4401. */
static void
test_command_line (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *admin_token = NULL;
  g_autofree char *official_token = docket_test_sign_in (server, "daibieu2", NULL);
  g_autofree char *bystander_token = docket_test_sign_in (server, "daibieu3", NULL);
  g_autofree char *out = NULL;
  g_autoptr(LiveClient) admin = NULL;
  g_autoptr(LiveClient) official = NULL;
  g_autoptr(LiveClient) bystander = NULL;

  g_assert_cmpint (docket_test_server_admin (server, "admin-password\n", NULL, "user", "add",
                                             "quantri", "--role", "admin", NULL), ==, 0);
  admin_token = docket_test_sign_in (server, "quantri", "admin-password");
  admin = live_open (server, admin_token);
  official = live_open (server, official_token);
  bystander = live_open (server, bystander_token);

  g_assert_cmpint (docket_test_server_admin (server, NULL, &out, "seed-archive",
                                             "--meetings", "1", "--items", "1",
                                             "--documents", "1", "--officials", "1",
                                             NULL), ==, 0);
  wait_changed (admin, 1);

  g_assert_cmpint (docket_test_server_admin (server, NULL, NULL, "user", "disable",
                                             "daibieu2", NULL), ==, 0);
  wait_closed (official, 4401);
  /* The archive is another organ's: the officials of this one heard nothing of it. */
  g_assert_cmpuint (official->n_changed, ==, 0);
  g_assert_false (bystander->closed);
  g_assert_cmpuint (bystander->n_changed, ==, 0);

  docket_test_server_stop (server);
}

/* Signing out ends the channel of that token alone. */
static void
test_sign_out_closes (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *token = docket_test_sign_in (server, "daibieu1", NULL);
  g_autofree char *other_token = docket_test_sign_in (server, "daibieu1", NULL);
  g_autoptr(LiveClient) client = live_open (server, token);
  g_autoptr(LiveClient) other = live_open (server, other_token);
  g_autoptr(JsonNode) answer = NULL;

  g_assert_cmpuint (call_json (server, "DELETE", "/api/v1/session", token, NULL, &answer), ==, 204);
  wait_closed (client, 4401);
  g_assert_false (other->closed);

  docket_test_server_stop (server);
}

/* A small message is ignored; one over 4 KiB closes the connection. */
static void
test_oversized_message (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *secretary = docket_test_sign_in (server, "thuky", NULL);
  g_autofree char *token = docket_test_sign_in (server, "daibieu1", NULL);
  g_autofree char *today = meeting_id (server, secretary, TODAY_MEETING);
  g_autoptr(LiveClient) client = live_open (server, token);
  g_autofree char *big = g_strnfill (4097, 'x');

  soup_websocket_connection_send_text (client->socket, "{\"type\": \"hello\"}");
  rename_meeting (server, secretary, today, "Kỳ họp thứ 12 (1)");
  wait_changed (client, 1);
  g_assert_false (client->closed);

  soup_websocket_connection_send_text (client->socket, big);
  docket_test_wait_until (is_closed, client, WAIT_SECONDS, "the live channel to close");
  /* libsoup 3.2 drops the connection at once, without a close frame (1009 in later
   * versions). */
  g_assert_true (client->close_code == 0 || client->close_code == SOUP_WEBSOCKET_CLOSE_TOO_BIG);

  docket_test_server_stop (server);
}

typedef struct {
  DocketTestServer *server;
  const char       *token;
  LiveClient       *client;
} Retry;

static gboolean
connects_again (Retry *retry)
{
  g_clear_pointer (&retry->client, live_client_free);
  retry->client = live_connect (retry->server, retry->token);
  return retry->client->socket != NULL;
}

/* Ten connections of one user; the eleventh gets 503 busy with Retry-After, another
 * user is not held back, and once one of the ten has gone there is room again. */
static void
test_per_user_limit (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *token = docket_test_sign_in (server, "daibieu3", NULL);
  g_autofree char *other_token = docket_test_sign_in (server, "daibieu4", NULL);
  g_autoptr(GPtrArray) clients = g_ptr_array_new_with_free_func ((GDestroyNotify) live_client_free);
  g_autoptr(LiveClient) refused = NULL;
  g_autoptr(LiveClient) other = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *retry_after = NULL;
  Retry retry = { server, token, NULL };
  LiveClient *first;
  guint status;
  guint watchdog;

  for (guint i = 0; i < 10; i++)
    g_ptr_array_add (clients, live_open (server, token));

  refused = live_connect (server, token);
  g_assert_null (refused->socket);
  g_assert_cmpuint (soup_message_get_status (refused->msg), ==, 503);
  status = handshake_refused (server, token, TRUE, &answer, &retry_after);
  assert_error (status, answer, 503, "busy");
  g_assert_nonnull (retry_after);

  other = live_open (server, other_token);

  first = g_ptr_array_index (clients, 0);
  soup_websocket_connection_close (first->socket, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  wait_closed (first, SOUP_WEBSOCKET_CLOSE_NORMAL);
  /* The server learns of the close as it reads it: until then the place is taken.
   * Each try waits for its answer. */
  watchdog = docket_test_watchdog_add (WAIT_SECONDS, "room for one more");
  while (!connects_again (&retry))
    ;
  g_source_remove (watchdog);
  g_clear_pointer (&retry.client, live_client_free);

  docket_test_server_stop (server);
}

/* Starts the server with a heartbeat of one second. */
static DocketTestServer *
start_fast_heartbeat (void)
{
  DocketTestServer *server;

  g_setenv ("DOCKET_SERVER_TEST_LIVE_HEARTBEAT_SECONDS", "1", TRUE);
  server = docket_test_server_start (TRUE);
  g_unsetenv ("DOCKET_SERVER_TEST_LIVE_HEARTBEAT_SECONDS");
  expected_heartbeat = 1;
  return server;
}

/* A client of its own making: a plain socket that makes the handshake, then writes and
 * reads frames by hand (what libsoup's client never sends: fragments, silence). Frames
 * from the server are short and unmasked; ours are masked with a zero key. */
typedef struct {
  GSocketConnection *connection;
  GInputStream      *input;
  GOutputStream     *output;
} RawClient;

static void
raw_client_clear (RawClient *raw)
{
  g_clear_object (&raw->connection);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RawClient, raw_client_clear)

static gboolean
read_exactly (GInputStream *input,
              guint8       *buffer,
              gsize         size)
{
  gsize n = 0;

  return g_input_stream_read_all (input, buffer, size, &n, NULL, NULL) && n == size;
}

static void
raw_connect (RawClient  *raw,
             const char *url,
             const char *token)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GSocketClient) socket_client = g_socket_client_new ();
  g_autoptr(GString) head = g_string_new (NULL);
  g_autofree char *request = NULL;
  guint8 byte;

  g_socket_client_set_timeout (socket_client, WAIT_SECONDS);
  raw->connection = g_socket_client_connect_to_host (socket_client, g_uri_get_host (uri),
                                                     (guint16) g_uri_get_port (uri), NULL, NULL);
  g_assert_nonnull (raw->connection);
  raw->input = g_io_stream_get_input_stream (G_IO_STREAM (raw->connection));
  raw->output = g_io_stream_get_output_stream (G_IO_STREAM (raw->connection));
  request = g_strdup_printf ("GET /api/v1/live HTTP/1.1\r\nHost: %s:%d\r\n"
                             "Authorization: Bearer %s\r\nConnection: Upgrade\r\n"
                             "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
                             g_uri_get_host (uri), g_uri_get_port (uri), token);
  g_assert_true (g_output_stream_write_all (raw->output, request, strlen (request), NULL, NULL, NULL));
  while (!g_str_has_suffix (head->str, "\r\n\r\n") && read_exactly (raw->input, &byte, 1))
    g_string_append_c (head, (char) byte);
  g_assert_true (g_str_has_prefix (head->str, "HTTP/1.1 101"));
}

/* Reads the next frame: its opcode, and its payload into payload (125 bytes at most);
 * FALSE at the end of the connection. */
static gboolean
raw_read_frame (RawClient *raw,
                guint     *out_opcode,
                guint8    *payload,
                guint     *out_length)
{
  guint8 header[2];

  if (!read_exactly (raw->input, header, 2))
    return FALSE;
  *out_opcode = header[0] & 0x0f;
  *out_length = header[1] & 0x7f;
  g_assert_cmpuint (*out_length, <, 126);
  return read_exactly (raw->input, payload, *out_length);
}

/* Writes a frame of length bytes of 'x' (first: its FIN bit and opcode). */
static gboolean
raw_write_frame (RawClient *raw,
                 guint8     first,
                 gsize      length)
{
  g_autoptr(GByteArray) frame = g_byte_array_new ();
  guint8 header[4] = { first, 0x80 | 126, (guint8) (length >> 8), (guint8) length };
  guint8 mask[4] = { 0, 0, 0, 0 };

  g_assert_cmpuint (length, >=, 126);
  g_assert_cmpuint (length, <=, G_MAXUINT16);
  g_byte_array_append (frame, header, sizeof header);
  g_byte_array_append (frame, mask, sizeof mask);
  for (gsize i = 0; i < length; i++)
    g_byte_array_append (frame, (const guint8 *) "x", 1);
  return g_output_stream_write_all (raw->output, frame->data, frame->len, NULL, NULL, NULL);
}

/* A ping from us; TRUE when its pong came back. */
static gboolean
raw_ping (RawClient *raw)
{
  static const guint8 ping[] = { 0x89, 0x80 | 1, 0, 0, 0, 0, 'p' };
  guint8 payload[125];
  guint opcode, length;

  if (!g_output_stream_write_all (raw->output, ping, sizeof ping, NULL, NULL, NULL))
    return FALSE;
  while (raw_read_frame (raw, &opcode, payload, &length))
    if (opcode == 0xa)
      return TRUE;
  return FALSE;
}

/* A client that answers nothing, not even the server's pings; in a thread, so that the
 * test's libsoup client goes on answering meanwhile. */
typedef struct {
  const char *url;
  const char *token;
  guint       n_pings;
  gint        close_code;    /* -1: the server closed without a close frame */
  gint        done;
} SilentClient;

static gpointer
silent_client_run (gpointer data)
{
  SilentClient *silent = data;
  g_auto(RawClient) raw = { 0 };
  guint8 payload[125];
  guint opcode, length;

  silent->close_code = -1;
  raw_connect (&raw, silent->url, silent->token);
  while (raw_read_frame (&raw, &opcode, payload, &length))
    {
      if (opcode == 0x9)
        silent->n_pings++;
      else if (opcode == 0x8)
        {
          g_assert_cmpuint (length, >=, 2);
          silent->close_code = payload[0] << 8 | payload[1];
          break;
        }
    }
  g_atomic_int_set (&silent->done, 1);
  return NULL;
}

static gboolean
silent_client_done (gpointer data)
{
  return g_atomic_int_get (&((SilentClient *) data)->done);
}

/* Pings every heartbeat: a client that answers them stays; one silent for three
 * heartbeats is closed (1001). */
static void
test_silent_closed (void)
{
  DocketTestServer *server = start_fast_heartbeat ();
  g_autofree char *token = docket_test_sign_in (server, "daibieu1", NULL);
  g_autoptr(LiveClient) talker = live_open (server, token);
  SilentClient silent = { docket_test_server_get_url (server), token };
  GThread *thread = g_thread_new ("silent-client", silent_client_run, &silent);

  docket_test_wait_until (silent_client_done, &silent, WAIT_SECONDS, "the silent client's close");
  g_thread_join (thread);
  g_assert_cmpint (silent.close_code, ==, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);
  g_assert_cmpuint (silent.n_pings, >=, 2);
  /* Through the same heartbeats, the client that answered is still there. */
  g_assert_false (talker->closed);

  docket_test_server_stop (server);
  expected_heartbeat = 20;
}

/* A token that expires while connected closes the channel (4401) at the next heartbeat. */
static void
test_expired_token_closes (void)
{
  DocketTestServer *server;
  g_autofree char *token = NULL;
  g_autoptr(LiveClient) client = NULL;

  /* Long enough to connect, even under AddressSanitizer on a busy machine. */
  g_setenv ("DOCKET_SERVER_TOKEN_TTL", "3", TRUE);
  server = start_fast_heartbeat ();
  g_unsetenv ("DOCKET_SERVER_TOKEN_TTL");
  token = docket_test_sign_in (server, "daibieu1", NULL);
  client = live_open (server, token);

  wait_closed (client, 4401);

  docket_test_server_stop (server);
  expected_heartbeat = 20;
}

/* A message sent in fragments counts whole: fragments within 4 KiB in all pass, more
 * close the connection (libsoup bounds each frame alone). */
static void
test_fragmented_message (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *token = docket_test_sign_in (server, "daibieu1", NULL);
  g_auto(RawClient) raw = { 0 };
  guint8 payload[125];
  guint opcode, length;

  raw_connect (&raw, docket_test_server_get_url (server), token);
  g_assert_true (raw_read_frame (&raw, &opcode, payload, &length));
  g_assert_cmpuint (opcode, ==, 0x1);

  /* 2,000 bytes in two fragments, then a ping: still there. */
  g_assert_true (raw_write_frame (&raw, 0x01, 1000));
  g_assert_true (raw_write_frame (&raw, 0x80, 1000));
  g_assert_true (raw_ping (&raw));

  /* 6,000 bytes in fragments of 3,000: the connection ends, and a ping gets no pong
   * (a server that gathered the fragments would answer it: control frames may come
   * between fragments). */
  g_assert_true (raw_write_frame (&raw, 0x01, 3000));
  raw_write_frame (&raw, 0x00, 3000);
  g_assert_false (raw_ping (&raw));

  docket_test_server_stop (server);
}

/* A server that stops says so: 1001 going away, so that clients reconnect. */
static void
test_stop_closes (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *token = docket_test_sign_in (server, "daibieu1", NULL);
  g_autoptr(LiveClient) client = live_open (server, token);

  docket_test_server_stop (server);
  wait_closed (client, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server-live-channel/refused", test_refused);
  g_test_add_func ("/server-live-channel/changed-to-who-sees-it", test_changed_to_who_sees_it);
  g_test_add_func ("/server-live-channel/own-data", test_own_data);
  g_test_add_func ("/server-live-channel/live-records", test_live_records);
  g_test_add_func ("/server-live-channel/meeting-run", test_meeting_run);
  g_test_add_func ("/server-live-channel/command-line", test_command_line);
  g_test_add_func ("/server-live-channel/sign-out-closes", test_sign_out_closes);
  g_test_add_func ("/server-live-channel/oversized-message", test_oversized_message);
  g_test_add_func ("/server-live-channel/fragmented-message", test_fragmented_message);
  g_test_add_func ("/server-live-channel/per-user-limit", test_per_user_limit);
  g_test_add_func ("/server-live-channel/stop-closes", test_stop_closes);
  g_test_add_func ("/server-live-channel/silent-closed", test_silent_closed);
  g_test_add_func ("/server-live-channel/expired-token-closes", test_expired_token_closes);

  return g_test_run ();
}
