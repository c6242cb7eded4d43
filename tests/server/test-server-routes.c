/* test-server-routes.c: the real docket-server's route table, seen from outside
 *
 * Every path of docs/protocol.md answers a method it does not take with 405 and an Allow
 * header that lists exactly the methods it takes; the token is checked before that, but
 * for a path that takes a request from anyone; a path no route has, or whose parameters
 * are no id, user name or note target, is 404. A busy database is the one 503 busy, with
 * Retry-After, and changes nothing.
 */
#include "config.h"

#include <string.h>
#include <sqlite3.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "docket-test-util.h"

/* An answer: its status, its protocol error code (or NULL) and two of its headers. */
typedef struct {
  guint  status;
  char  *code;
  char  *allow;
  char  *retry_after;
} Answer;

static void
answer_clear (Answer *answer)
{
  g_clear_pointer (&answer->code, g_free);
  g_clear_pointer (&answer->allow, g_free);
  g_clear_pointer (&answer->retry_after, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Answer, answer_clear)

static void
send (DocketTestServer *server,
      const char       *method,
      const char       *path,
      const char       *token,
      const char       *json,
      Answer           *answer)
{
  g_autofree char *url = g_strconcat (docket_test_server_get_url (server), path, NULL);
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 60, NULL);
  g_autoptr(SoupMessage) message = soup_message_new (method, url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  SoupMessageHeaders *headers;
  gsize size;
  const char *data;

  g_assert_nonnull (message);
  if (token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (message),
                                    "Authorization", value);
    }
  if (json != NULL)
    {
      g_autoptr(GBytes) request = g_bytes_new (json, strlen (json));

      soup_message_set_request_body_from_bytes (message, "application/json", request);
    }
  body = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);

  headers = soup_message_get_response_headers (message);
  answer->status = soup_message_get_status (message);
  answer->allow = g_strdup (soup_message_headers_get_one (headers, "Allow"));
  answer->retry_after = g_strdup (soup_message_headers_get_one (headers, "Retry-After"));
  data = g_bytes_get_data (body, &size);
  if (size > 0 && json_parser_load_from_data (parser, data, (gssize) size, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    answer->code = g_strdup (json_object_get_string_member_with_default (
                               json_node_get_object (json_parser_get_root (parser)), "error", NULL));
  g_test_message ("%s %s -> %u %s%s", method, path, answer->status,
                  answer->code ? answer->code : "",
                  answer->allow ? answer->allow : "");
}

static void
expect_method_not_allowed (DocketTestServer *server,
                           const char       *method,
                           const char       *path,
                           const char       *token,
                           const char       *allow)
{
  g_auto(Answer) answer = { 0 };

  send (server, method, path, token, NULL, &answer);
  g_assert_cmpuint (answer.status, ==, 405);
  g_assert_cmpstr (answer.code, ==, "method_not_allowed");
  g_assert_cmpstr (answer.allow, ==, allow);
}

static void
expect_status (DocketTestServer *server,
               const char       *method,
               const char       *path,
               const char       *token,
               guint             status,
               const char       *code)
{
  g_auto(Answer) answer = { 0 };

  send (server, method, path, token, NULL, &answer);
  g_assert_cmpuint (answer.status, ==, status);
  g_assert_cmpstr (answer.code, ==, code);
}

/* Each path's methods, in Allow, whoever asks (a secretary here: the token is checked
 * before the method); ids need only be ids, since the method is checked before the
 * right. */
static void
test_allow (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *secretary = docket_test_sign_in (server, "thuky", NULL);
  static const struct {
    const char *method;
    const char *path;
    const char *allow;
  } cases[] = {
    { "DELETE", "/api/v1/info", "GET, HEAD" },
    { "PUT", "/api/v1/session", "GET, POST, DELETE" },
    { "POST", "/api/v1/users", "GET" },
    { "POST", "/api/v1/changes", "GET" },
    { "GET", "/api/v1/meetings", "POST" },
    { "GET", "/api/v1/meetings/m1", "PATCH, DELETE" },
    { "GET", "/api/v1/meetings/m1/participants/daibieu1", "PUT, DELETE" },
    { "GET", "/api/v1/meetings/m1/items", "POST" },
    { "POST", "/api/v1/items/i1", "PATCH, DELETE" },
    { "GET", "/api/v1/items/i1/documents", "POST" },
    { "PUT", "/api/v1/documents/d1", "PATCH, DELETE" },
    { "DELETE", "/api/v1/documents/d1/content", "GET, HEAD" },
    { "GET", "/api/v1/annotations/a1", "PUT, DELETE" },
    { "DELETE", "/api/v1/notes/document/d1", "PUT" },
    { "GET", "/api/v1/notes/agenda_item/i1", "PUT" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    expect_method_not_allowed (server, cases[i].method, cases[i].path, secretary,
                               cases[i].allow);

  docket_test_server_stop (server);
}

/* Without a token: 401 before the method, but for the paths that take a request from
 * anyone; then a path no route has, or with a parameter that is not of its kind, is 404
 * with or without a token. */
static void
test_caller_and_paths (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *official = docket_test_sign_in (server, "daibieu1", NULL);
  static const char * const unknown[] = {
    "/api/v1",
    "/api/v1/",
    "/api/v1/meetings/m1/",
    "/api/v1/meetings/a.b",
    "/api/v1/meetings/m1/participants",
    "/api/v1/meetings/m1/participants/daibieu1/x",
    "/api/v1/items/i1/documents/d1",
    "/api/v1/documents/d1/content/x",
    "/api/v1/notes/meeting/m1",
    "/api/v1/notes/document",
    "/api/v1/annotations",
    "/api/v1/info/x",
  };

  expect_method_not_allowed (server, "PUT", "/api/v1/session", NULL, "GET, POST, DELETE");
  expect_method_not_allowed (server, "POST", "/api/v1/info", NULL, "GET, HEAD");
  expect_status (server, "POST", "/api/v1/changes", NULL, 401, "unauthorized");
  expect_status (server, "GET", "/api/v1/meetings/m1", NULL, 401, "unauthorized");
  expect_status (server, "PATCH", "/api/v1/notes/document/d1", NULL, 401, "unauthorized");
  expect_status (server, "GET", "/api/v1/session", NULL, 401, "unauthorized");

  for (gsize i = 0; i < G_N_ELEMENTS (unknown); i++)
    {
      expect_status (server, "GET", unknown[i], NULL, 404, "not_found");
      expect_status (server, "GET", unknown[i], official, 404, "not_found");
    }

  /* The right, after the token and the method: an official manages nothing. */
  expect_status (server, "GET", "/api/v1/users", official, 403, "forbidden");
  expect_status (server, "POST", "/api/v1/meetings", official, 403, "forbidden");
  expect_status (server, "DELETE", "/api/v1/meetings/m1", official, 404, "not_found");

  docket_test_server_stop (server);
}

/* The cursor of the secretary's feed now. */
static char *
cursor_now (DocketTestServer *server,
            const char       *token)
{
  g_autoptr(JsonNode) feed = docket_test_secretary_feed (server, token);

  return g_strdup (json_object_get_string_member (json_node_get_object (feed), "cursor"));
}

#define NEW_MEETING \
  "{\"title\": \"Phiên họp\", \"starts_at\": \"2026-12-01T08:00:00+07:00\"," \
  " \"ends_at\": \"2026-12-01T11:00:00+07:00\", \"time_zone\": \"Asia/Ho_Chi_Minh\"}"

/* Another process holds the database's write lock longer than the server waits for it
 * (the command line, a backup's restore): the write is answered 503 busy with
 * Retry-After, like a full pool, and nothing is written; it succeeds once the lock is
 * gone. */
static void
test_database_busy (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *secretary = docket_test_sign_in (server, "thuky", NULL);
  g_autofree char *db_path = g_build_filename (docket_test_server_get_data_dir (server),
                                               "docket-server.db", NULL);
  g_autofree char *cursor = cursor_now (server, secretary);
  g_autofree char *after = NULL;
  g_auto(Answer) busy = { 0 };
  g_auto(Answer) created = { 0 };
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);

  send (server, "POST", "/api/v1/meetings", secretary, NEW_MEETING, &busy);
  g_assert_cmpuint (busy.status, ==, 503);
  g_assert_cmpstr (busy.code, ==, "busy");
  g_assert_cmpstr (busy.retry_after, ==, "1");

  g_assert_cmpint (sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  /* Nothing was written: the secretary's feed has not moved. */
  after = cursor_now (server, secretary);
  g_assert_cmpstr (after, ==, cursor);

  send (server, "POST", "/api/v1/meetings", secretary, NEW_MEETING, &created);
  g_assert_cmpuint (created.status, ==, 201);

  docket_test_server_stop (server);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server-routes/allow", test_allow);
  g_test_add_func ("/server-routes/caller-and-paths", test_caller_and_paths);
  g_test_add_func ("/server-routes/database-busy", test_database_busy);

  return g_test_run ();
}
