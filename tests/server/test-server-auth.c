/* test-server-auth.c: sign-in under attack, sessions, and a main loop that slow requests
 * do not hold up (docs/protocol.md, "Sign-in")
 *
 * The real docket-server on loopback. Clients come from several addresses: loopback is
 * all of 127.0.0.0/8, so a session bound to 127.0.0.2 is another address to the server,
 * and a server started with --trusted-proxy 127.0.0.1 takes the client's address from
 * X-Forwarded-For for requests from 127.0.0.1. Parallel requests are libsoup's async
 * calls on a session with room for all of them.
 */
#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "docket-test-util.h"

/* A burst of sign-ins */

typedef struct {
  guint  status;
  char  *retry_after;
  char  *error_code;
} Answer;

static void
answer_clear (gpointer data)
{
  Answer *answer = data;

  g_free (answer->retry_after);
  g_free (answer->error_code);
}

typedef struct {
  GArray *answers;        /* Answer */
  guint   pending;
} Burst;

typedef struct {
  Burst       *burst;
  SoupMessage *message;
} Call;

/* A session from local_address (NULL: the default, 127.0.0.1) with room for many
 * parallel connections to one host. */
static SoupSession *
make_session (const char *local_address)
{
  g_autoptr(GSocketAddress) address = NULL;

  if (local_address != NULL)
    address = g_inet_socket_address_new_from_string (local_address, 0);
  return soup_session_new_with_options ("max-conns", 200, "max-conns-per-host", 200,
                                        "timeout", 120, "local-address", address, NULL);
}

static char *
error_code_of (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize size = 0;
  const char *data = body ? g_bytes_get_data (body, &size) : NULL;

  if (size == 0 || !json_parser_load_from_data (parser, data, (gssize) size, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  return g_strdup (json_object_get_string_member_with_default (
                     json_node_get_object (json_parser_get_root (parser)), "error", NULL));
}

static void
call_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Call *call = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  Answer answer = { 0 };

  g_assert_no_error (error);
  answer.status = soup_message_get_status (call->message);
  answer.retry_after = g_strdup (soup_message_headers_get_one (
                                   soup_message_get_response_headers (call->message), "Retry-After"));
  answer.error_code = error_code_of (body);
  g_array_append_val (call->burst->answers, answer);
  call->burst->pending--;
  g_object_unref (call->message);
  g_free (call);
}

static SoupMessage *
sign_in_message (DocketTestServer *server,
                 const char       *username,
                 const char       *password,
                 const char       *forwarded_for)
{
  g_autofree char *url = g_strconcat (docket_test_server_get_url (server), "/api/v1/session", NULL);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GBytes) body = NULL;
  SoupMessage *message = soup_message_new ("POST", url);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "username");
  json_builder_add_string_value (builder, username);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);
  body = g_bytes_new (text, strlen (text));
  soup_message_set_request_body_from_bytes (message, "application/json", body);
  if (forwarded_for != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (message),
                                  "X-Forwarded-For", forwarded_for);
  return message;
}

/* Sends the n sign-ins at once (usernames[i], passwords[i]) and waits for every answer,
 * which comes back in the order of arrival. */
static GArray *
sign_in_burst (DocketTestServer   *server,
               SoupSession        *session,
               const char * const *usernames,
               const char * const *passwords,
               guint               n,
               const char         *forwarded_for)
{
  Burst burst = { g_array_new (FALSE, TRUE, sizeof (Answer)), n };

  g_array_set_clear_func (burst.answers, answer_clear);
  for (guint i = 0; i < n; i++)
    {
      Call *call = g_new0 (Call, 1);

      call->burst = &burst;
      call->message = sign_in_message (server, usernames[i], passwords[i], forwarded_for);
      soup_session_send_and_read_async (session, call->message, G_PRIORITY_DEFAULT, NULL,
                                        call_done, call);
    }
  while (burst.pending > 0)
    g_main_context_iteration (NULL, TRUE);
  return burst.answers;
}

/* One sign-in, waited for. */
static Answer
sign_in_once (DocketTestServer *server,
              SoupSession      *session,
              const char       *username,
              const char       *password,
              const char       *forwarded_for)
{
  const char *usernames[] = { username };
  const char *passwords[] = { password };
  g_autoptr(GArray) answers = sign_in_burst (server, session, usernames, passwords, 1,
                                             forwarded_for);
  Answer answer = g_array_index (answers, Answer, 0);

  /* The strings move to the caller. */
  g_array_set_clear_func (answers, NULL);
  return answer;
}

static void
assert_sign_in (DocketTestServer *server,
                SoupSession      *session,
                const char       *username,
                const char       *password,
                const char       *forwarded_for,
                guint             expected_status)
{
  Answer answer = sign_in_once (server, session, username, password, forwarded_for);

  g_test_message ("sign-in %s via %s: %u", username, forwarded_for ? forwarded_for : "-",
                  answer.status);
  g_assert_cmpuint (answer.status, ==, expected_status);
  if (expected_status == 429)
    {
      guint64 seconds = 0;

      g_assert_cmpstr (answer.error_code, ==, "too_many_attempts");
      g_assert_nonnull (answer.retry_after);
      g_assert_true (g_ascii_string_to_unsigned (answer.retry_after, 10, 1, 3600, &seconds, NULL));
    }
  answer_clear (&answer);
}

/* n wrong passwords for username, one after the other, each refused as wrong. */
static void
fail_sign_ins (DocketTestServer *server,
               SoupSession      *session,
               const char       *username,
               guint             n,
               const char       *forwarded_for)
{
  for (guint i = 0; i < n; i++)
    assert_sign_in (server, session, username, "sai-mat-khau", forwarded_for, 401);
}

static guint
count_status (GArray *answers,
              guint   status)
{
  guint count = 0;

  for (guint i = 0; i < answers->len; i++)
    if (g_array_index (answers, Answer, i).status == status)
      count++;
  return count;
}

/* A burst of 50 wrong passwords at once for one official: only 5 are checked, as 5 in a
 * row would be; the others are refused before their check. Then the official is locked
 * out from this address, even with the right password. */
static void
test_parallel_burst (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autoptr(SoupSession) session = make_session (NULL);
  const char *usernames[50];
  const char *passwords[50];
  g_autoptr(GArray) answers = NULL;
  Answer locked;
  guint64 seconds = 0;

  for (guint i = 0; i < G_N_ELEMENTS (usernames); i++)
    {
      usernames[i] = "daibieu1";
      passwords[i] = "sai-mat-khau";
    }
  answers = sign_in_burst (server, session, usernames, passwords, G_N_ELEMENTS (usernames), NULL);

  g_assert_cmpuint (answers->len, ==, 50);
  g_assert_cmpuint (count_status (answers, 401), ==, 5);
  g_assert_cmpuint (count_status (answers, 429), ==, 45);
  for (guint i = 0; i < answers->len; i++)
    {
      Answer *answer = &g_array_index (answers, Answer, i);

      if (answer->status == 429)
        {
          g_assert_cmpstr (answer->error_code, ==, "too_many_attempts");
          g_assert_nonnull (answer->retry_after);
        }
    }

  /* Locked now for its first lock's length (15 minutes), the right password too. */
  locked = sign_in_once (server, session, "daibieu1",
                         docket_test_server_get_password (server, "daibieu1"), NULL);
  g_assert_cmpuint (locked.status, ==, 429);
  g_assert_true (g_ascii_string_to_unsigned (locked.retry_after, 10, 60, 15 * 60, &seconds, NULL));
  answer_clear (&locked);

  docket_test_server_stop (server);
}

/* Someone elsewhere who fails on an official's name locks only themselves out: the
 * official signs in from their own address, and the attacker's address still signs in
 * as another user. */
static void
test_lockout_from_elsewhere (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autoptr(SoupSession) attacker = make_session ("127.0.0.2");
  g_autoptr(SoupSession) official = make_session ("127.0.0.3");

  fail_sign_ins (server, attacker, "daibieu2", 5, NULL);
  assert_sign_in (server, attacker, "daibieu2", docket_test_server_get_password (server, "daibieu2"),
                  NULL, 429);

  assert_sign_in (server, official, "daibieu2", docket_test_server_get_password (server, "daibieu2"),
                  NULL, 201);
  assert_sign_in (server, attacker, "daibieu3", docket_test_server_get_password (server, "daibieu3"),
                  NULL, 201);

  docket_test_server_stop (server);
}

/* One password tried on many user names from one address: the looser limit per address
 * (50 failures in 15 minutes) stops it, whatever the user name. */
static void
test_spraying_one_address (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autoptr(SoupSession) sprayer = make_session ("127.0.0.4");
  g_autoptr(SoupSession) other = make_session ("127.0.0.5");
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *passwords[10];

  for (guint i = 0; i < G_N_ELEMENTS (passwords); i++)
    passwords[i] = "123456";

  /* In rounds of 10 at once, fewer than the password checks' room. */
  for (guint round = 0; round < 5; round++)
    {
      g_autoptr(GArray) answers = NULL;

      g_ptr_array_set_size (names, 0);
      for (guint i = 0; i < G_N_ELEMENTS (passwords); i++)
        g_ptr_array_add (names, g_strdup_printf ("nguoi%u", round * 10 + i));
      answers = sign_in_burst (server, sprayer, (const char * const *) names->pdata, passwords,
                               G_N_ELEMENTS (passwords), NULL);
      g_assert_cmpuint (count_status (answers, 401), ==, G_N_ELEMENTS (passwords));
    }

  assert_sign_in (server, sprayer, "daibieu4", docket_test_server_get_password (server, "daibieu4"),
                  NULL, 429);
  assert_sign_in (server, other, "daibieu4", docket_test_server_get_password (server, "daibieu4"),
                  NULL, 201);

  docket_test_server_stop (server);
}

/* More password checks at once than the pool of fixed size has room for: the rest get
 * 503 busy with Retry-After, and were not counted as attempts. */
static void
test_busy (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autoptr(SoupSession) session = make_session ("127.0.0.6");
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *passwords[40];
  g_autoptr(GArray) answers = NULL;
  guint busy;

  for (guint i = 0; i < G_N_ELEMENTS (passwords); i++)
    {
      g_ptr_array_add (names, g_strdup_printf ("khong-co-%u", i));
      passwords[i] = "sai-mat-khau";
    }
  answers = sign_in_burst (server, session, (const char * const *) names->pdata, passwords,
                           G_N_ELEMENTS (passwords), NULL);

  busy = count_status (answers, 503);
  g_test_message ("%u of %u were refused as busy", busy, answers->len);
  g_assert_cmpuint (busy, >, 0);
  /* At least the pool's threads (2 or more) and its queue (16) were checked. */
  g_assert_cmpuint (count_status (answers, 401), >=, 18);
  g_assert_cmpuint (count_status (answers, 401) + busy, ==, G_N_ELEMENTS (passwords));
  for (guint i = 0; i < answers->len; i++)
    {
      Answer *answer = &g_array_index (answers, Answer, i);

      if (answer->status == 503)
        {
          g_assert_cmpstr (answer->error_code, ==, "busy");
          g_assert_cmpstr (answer->retry_after, ==, "1");
        }
    }

  /* The server is fine afterwards, and the address not locked. */
  assert_sign_in (server, session, "daibieu1", docket_test_server_get_password (server, "daibieu1"),
                  NULL, 201);

  docket_test_server_stop (server);
}

/* Behind a trusted reverse proxy, the users are told apart by X-Forwarded-For: one who
 * fails five times locks out neither the others nor the same user elsewhere. What the
 * client writes left of what the proxy appended is not believed, and from a peer that is
 * not a trusted proxy the header is ignored. */
static void
test_trusted_proxy (void)
{
  const char * const args[] = { "--trusted-proxy", "127.0.0.1", "--trusted-proxy", "10.0.0.100", NULL };
  DocketTestServer *server = docket_test_server_start_with_args (TRUE, args);
  g_autoptr(SoupSession) proxy = make_session ("127.0.0.1");
  g_autoptr(SoupSession) untrusted = make_session ("127.0.0.7");
  const char *password3 = docket_test_server_get_password (server, "daibieu3");
  const char *password4 = docket_test_server_get_password (server, "daibieu4");
  const char *password5 = docket_test_server_get_password (server, "daibieu5");

  /* Client A, behind the proxy, fails five times as daibieu3 and is locked out. */
  fail_sign_ins (server, proxy, "daibieu3", 5, "10.0.0.1");
  assert_sign_in (server, proxy, "daibieu3", password3, "10.0.0.1", 429);
  /* Writing another address in front of the proxy's does not help it. */
  assert_sign_in (server, proxy, "daibieu3", password3, "192.0.2.44, 10.0.0.1", 429);
  /* Nor does a chain of trusted proxies hide it. */
  assert_sign_in (server, proxy, "daibieu3", password3, "10.0.0.1, 10.0.0.100", 429);

  /* Client B behind the same proxy: neither daibieu4 nor daibieu3 is locked out. */
  assert_sign_in (server, proxy, "daibieu4", password4, "10.0.0.2", 201);
  assert_sign_in (server, proxy, "daibieu3", password3, "10.0.0.2", 201);

  /* From a peer that is no trusted proxy, the header is ignored: changing it does not
   * change the address. */
  fail_sign_ins (server, untrusted, "daibieu5", 5, "10.0.0.7");
  assert_sign_in (server, untrusted, "daibieu5", password5, "10.0.0.8", 429);
  assert_sign_in (server, untrusted, "daibieu5", password5, NULL, 429);

  docket_test_server_stop (server);
}

/* Sessions */

static guint
get_session (DocketTestServer *server,
             const char       *token)
{
  g_autofree char *url = g_strconcat (docket_test_server_get_url (server), "/api/v1/session", NULL);

  return docket_test_http ("GET", url, token, NULL, NULL, NULL);
}

/* A new password ends the sessions opened with the old one. */
static void
test_passwd_ends_sessions (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *token = docket_test_sign_in (server, "daibieu1", NULL);
  g_autofree char *other = docket_test_sign_in (server, "daibieu2", NULL);
  g_autofree char *out = NULL;
  g_autofree char *new_token = NULL;

  g_assert_cmpuint (get_session (server, token), ==, 200);
  g_assert_cmpint (docket_test_server_admin (server, "mat-khau-moi-2026\n", &out,
                                             "user", "passwd", "daibieu1", NULL), ==, 0);

  g_assert_cmpuint (get_session (server, token), ==, 401);
  g_assert_nonnull (strstr (out, "sessions have ended"));
  g_assert_cmpuint (get_session (server, other), ==, 200);
  new_token = docket_test_sign_in (server, "daibieu1", "mat-khau-moi-2026");
  g_assert_cmpuint (get_session (server, new_token), ==, 200);

  docket_test_server_stop (server);
}

/* Expired tokens leave the database at the next collection, and gc says how many. */
static void
test_gc_prunes_expired_tokens (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *lasting = docket_test_sign_in (server, "daibieu1", NULL);
  g_autofree char *expiring = NULL;
  g_autofree char *out = NULL;

  /* The same data, served again with tokens that last a second. */
  docket_test_server_kill (server);
  g_setenv ("DOCKET_SERVER_TOKEN_TTL", "1", TRUE);
  docket_test_server_restart (server);
  g_unsetenv ("DOCKET_SERVER_TOKEN_TTL");
  expiring = docket_test_sign_in (server, "daibieu2", NULL);

  /* Waits for the server to see it expired. */
  while (get_session (server, expiring) != 401)
    g_usleep (100 * G_TIME_SPAN_MILLISECOND);

  g_assert_cmpint (docket_test_server_admin (server, NULL, &out, "gc", NULL), ==, 0);
  g_test_message ("gc: %s", out);
  g_assert_nonnull (strstr (out, "; pruned 1 expired sign-in token\n"));
  g_assert_null (strstr (out, "Nothing to remove"));
  g_assert_cmpuint (get_session (server, lasting), ==, 200);

  /* Nothing left to prune: the line does not mention tokens. */
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (docket_test_server_admin (server, NULL, &out, "gc", NULL), ==, 0);
  g_assert_null (strstr (out, "token"));

  docket_test_server_stop (server);
}

/* A slow feed holds up nobody */

typedef struct {
  char  *url;
  char  *token;
  guint  status;
  GBytes *body;
} SlowFeed;

static gpointer
slow_feed_thread (gpointer data)
{
  SlowFeed *feed = data;

  feed->status = docket_test_http ("GET", feed->url, feed->token, NULL, NULL, &feed->body);
  return NULL;
}

static guint
count_in_log (DocketTestServer *server,
              const char       *text)
{
  g_autofree char *log = NULL;
  guint count = 0;

  g_assert_true (g_file_get_contents (docket_test_server_get_log_path (server), &log, NULL, NULL));
  for (const char *p = strstr (log, text); p != NULL; p = strstr (p + 1, text))
    count++;
  return count;
}

static char *
cursor_of (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                             (gssize) g_bytes_get_size (body), NULL));
  return g_strdup (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)),
                                                  "cursor"));
}

static guint
changes_in (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                                             (gssize) g_bytes_get_size (body), NULL));
  return json_array_get_length (json_object_get_array_member (
                                  json_node_get_object (json_parser_get_root (parser)), "changes"));
}

/* While the feed of one client is still being computed (held by the testing knob
 * DOCKET_SERVER_TEST_FEED_DELAY_MS), another signs in and a third's unchanged sync is
 * answered: the main loop and the other workers are free. */
static void
test_slow_feed_holds_up_nobody (void)
{
  DocketTestServer *server = NULL;
  g_autofree char *guest = NULL;
  g_autofree char *guest_token = NULL;
  g_autofree char *feed_url = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *since_url = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GThread) thread = NULL;
  SlowFeed slow = { 0 };
  guint feeds_done;
  gint64 deadline;

  g_setenv ("DOCKET_SERVER_TEST_FEED_DELAY_MS", "5000", TRUE);
  server = docket_test_server_start (TRUE);
  g_unsetenv ("DOCKET_SERVER_TEST_FEED_DELAY_MS");
  feed_url = g_strconcat (docket_test_server_get_url (server), "/api/v1/changes", NULL);

  /* The third client: a new official, in no meeting yet, whose feed is empty (not held
   * up by the knob), up to date at its cursor. */
  g_assert_cmpint (docket_test_server_admin (server, "khach-moi-2026\n", NULL, "user", "add",
                                             "khach", "--role", "official", NULL), ==, 0);
  guest_token = docket_test_sign_in (server, "khach", "khach-moi-2026");
  g_assert_cmpuint (docket_test_http ("GET", feed_url, guest_token, NULL, NULL, &body), ==, 200);
  g_assert_cmpuint (changes_in (body), ==, 0);
  cursor = cursor_of (body);
  since_url = g_strdup_printf ("%s?since=%s", feed_url, cursor);

  /* The first client pulls its whole archive; the server is at work on it. */
  slow.url = g_strdup (feed_url);
  slow.token = docket_test_sign_in (server, "daibieu1", NULL);
  thread = g_thread_new ("slow-feed", slow_feed_thread, &slow);
  deadline = g_get_monotonic_time () + 60 * G_TIME_SPAN_SECOND;
  while (count_in_log (server, "test: a feed page waits") == 0 && g_get_monotonic_time () < deadline)
    g_usleep (10 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpuint (count_in_log (server, "test: a feed page waits"), ==, 1);
  feeds_done = docket_test_server_count_requests (server, "GET", "/api/v1/changes");

  /* Meanwhile: a sign-in, and an unchanged sync. */
  g_free (docket_test_sign_in (server, "daibieu2", NULL));
  g_clear_pointer (&body, g_bytes_unref);
  g_assert_cmpuint (docket_test_http ("GET", since_url, guest_token, NULL, NULL, &body), ==, 200);
  g_assert_cmpuint (changes_in (body), ==, 0);

  /* ... answered before the slow feed: only the unchanged sync is logged as done (its
   * line comes just after its answer). */
  g_assert_cmpuint (docket_test_server_wait_for_requests (server, "GET", "/api/v1/changes",
                                                          feeds_done + 1), ==, feeds_done + 1);

  /* And the slow one gets its whole answer. */
  g_thread_join (g_steal_pointer (&thread));
  g_assert_cmpuint (slow.status, ==, 200);
  g_assert_cmpuint (changes_in (slow.body), >, 0);

  g_free (slow.url);
  g_free (slow.token);
  g_bytes_unref (slow.body);
  docket_test_server_stop (server);
}

/* Document contents, read from the disk by workers a chunk at a time */

static char *
upload_document (DocketTestServer *server,
                 const char       *token,
                 const char       *item_id,
                 GBytes           *pdf)
{
  g_autofree char *url = g_strdup_printf ("%s/api/v1/items/%s/documents?title=Big",
                                          docket_test_server_get_url (server), item_id);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_cmpuint (docket_test_http ("POST", url, token, "application/pdf", pdf, &answer), ==, 201);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL),
                                             (gssize) g_bytes_get_size (answer), NULL));
  return g_strdup (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)),
                                                  "id"));
}

/* GET with an optional Range; returns the status, the body and Content-Range. */
static guint
get_content (SoupSession  *session,
             const char   *url,
             const char   *token,
             const char   *range,
             GBytes      **out_body,
             char        **out_content_range)
{
  g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
  g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers = soup_message_get_request_headers (message);

  soup_message_headers_replace (headers, "Authorization", authorization);
  if (range != NULL)
    soup_message_headers_replace (headers, "Range", range);
  *out_body = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  *out_content_range = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (message),
                                                               "Content-Range"));
  return soup_message_get_status (message);
}

static void
assert_same_bytes (GBytes *expected,
                   gsize   offset,
                   gsize   length,
                   GBytes *actual)
{
  g_assert_cmpuint (g_bytes_get_size (actual), ==, length);
  g_assert_true (memcmp ((const guint8 *) g_bytes_get_data (expected, NULL) + offset,
                         g_bytes_get_data (actual, NULL), length) == 0);
}

typedef struct {
  SoupSession *session;
  char        *url;
  char        *token;
  guint        status;
  GBytes      *body;
} SlowDownload;

/* A download the server stops in the middle of: whatever it gets (docket_test_http
 * tolerates a connection closed), it does not wait for ever. */
static gpointer
cut_download_thread (gpointer data)
{
  SlowDownload *download = data;

  download->status = docket_test_http ("GET", download->url, download->token, NULL, NULL,
                                       &download->body);
  return NULL;
}

static gpointer
slow_download_thread (gpointer data)
{
  SlowDownload *download = data;
  g_autofree char *content_range = NULL;
  GMainContext *context = g_main_context_new ();

  /* The session's own calls, in this thread's context. */
  g_main_context_push_thread_default (context);
  download->session = make_session ("127.0.0.9");
  download->status = get_content (download->session, download->url, download->token, NULL,
                                  &download->body, &content_range);
  g_clear_object (&download->session);
  g_main_context_pop_thread_default (context);
  g_main_context_unref (context);
  return NULL;
}

/* A content of several chunks comes whole and exact, and so do ranges across chunks;
 * while a download waits for its disk (held by the testing knob
 * DOCKET_SERVER_TEST_CONTENT_DELAY_MS), others sign in and are answered; a client that
 * leaves in the middle of a download leaves the server well (and, under
 * AddressSanitizer, leak-free when it stops). */
static void
test_content_in_chunks (void)
{
  DocketTestServer *server = NULL;
  g_autofree char *secretary = NULL;
  g_autofree char *item_id = NULL;
  g_autoptr(GBytes) pdf = docket_test_make_pdf (5 * 1024 * 1024 + 12345);
  g_autofree char *document_id = NULL;
  g_autofree char *url = NULL;
  g_autofree char *info_url = NULL;
  g_autoptr(SoupSession) session = make_session (NULL);
  gsize size = g_bytes_get_size (pdf);
  SlowDownload slow = { 0 };
  g_autoptr(GThread) thread = NULL;
  gint64 deadline;

  g_setenv ("DOCKET_SERVER_TEST_CONTENT_DELAY_MS", "3000", TRUE);
  server = docket_test_server_start (TRUE);
  g_unsetenv ("DOCKET_SERVER_TEST_CONTENT_DELAY_MS");
  info_url = g_strconcat (docket_test_server_get_url (server), "/api/v1/info", NULL);
  secretary = docket_test_sign_in (server, "thuky", NULL);
  item_id = docket_test_find_item_of (server, secretary, "daibieu1", TRUE, NULL);
  g_assert_nonnull (item_id);
  document_id = upload_document (server, secretary, item_id, pdf);
  url = g_strdup_printf ("%s/api/v1/documents/%s/content", docket_test_server_get_url (server),
                         document_id);

  /* While a download waits for its first chunk, the main loop answers others. */
  slow.url = g_strdup (url);
  slow.token = g_strdup (secretary);
  thread = g_thread_new ("slow-download", slow_download_thread, &slow);
  deadline = g_get_monotonic_time () + 60 * G_TIME_SPAN_SECOND;
  while (count_in_log (server, "test: a content chunk waits") == 0 &&
         g_get_monotonic_time () < deadline)
    g_usleep (10 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpuint (count_in_log (server, "test: a content chunk waits"), ==, 1);
  g_free (docket_test_sign_in (server, "daibieu1", NULL));
  g_assert_cmpuint (docket_test_http ("GET", info_url, NULL, NULL, NULL, NULL), ==, 200);
  g_assert_cmpuint (docket_test_server_wait_for_requests (server, "GET", "/api/v1/info", 1), ==, 1);
  g_assert_cmpuint (docket_test_server_count_requests (server, "GET", "/api/v1/documents/"), ==, 0);
  g_thread_join (g_steal_pointer (&thread));
  g_assert_cmpuint (slow.status, ==, 200);
  assert_same_bytes (pdf, 0, size, slow.body);
  g_free (slow.url);
  g_free (slow.token);
  g_bytes_unref (slow.body);

  /* Whole. */
  {
    g_autoptr(GBytes) body = NULL;
    g_autofree char *content_range = NULL;

    g_assert_cmpuint (get_content (session, url, secretary, NULL, &body, &content_range), ==, 200);
    assert_same_bytes (pdf, 0, size, body);
    g_assert_null (content_range);
  }

  /* A range across the first chunk's end, and the tail from the middle of a chunk. */
  {
    g_autoptr(GBytes) body = NULL;
    g_autofree char *content_range = NULL;
    g_autofree char *expected = g_strdup_printf ("bytes 1000000-2100000/%" G_GSIZE_FORMAT, size);

    g_assert_cmpuint (get_content (session, url, secretary, "bytes=1000000-2100000", &body,
                                   &content_range), ==, 206);
    assert_same_bytes (pdf, 1000000, 1100001, body);
    g_assert_cmpstr (content_range, ==, expected);
  }
  {
    g_autoptr(GBytes) body = NULL;
    g_autofree char *content_range = NULL;

    g_assert_cmpuint (get_content (session, url, secretary, "bytes=3333333-", &body,
                                   &content_range), ==, 206);
    assert_same_bytes (pdf, 3333333, size - 3333333, body);
  }

  /* A client that reads a little, then leaves. */
  {
    g_autoptr(SoupSession) leaving = make_session ("127.0.0.8");
    g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
    g_autofree char *authorization = g_strconcat ("Bearer ", secretary, NULL);
    g_autoptr(GInputStream) stream = NULL;
    g_autoptr(GError) error = NULL;
    guint8 buffer[65536];
    gsize read = 0;

    soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization",
                                  authorization);
    stream = soup_session_send (leaving, message, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (message), ==, 200);
    g_assert_true (g_input_stream_read_all (stream, buffer, sizeof buffer, &read, NULL, &error));
    g_assert_cmpuint (read, ==, sizeof buffer);
    g_input_stream_close (stream, NULL, NULL);
    soup_session_abort (leaving);
  }
  g_assert_cmpuint (docket_test_http ("GET", info_url, NULL, NULL, NULL, NULL), ==, 200);

  /* Stopped while a download waits for its disk: it ends cleanly (stop () fails the test
   * otherwise; under AddressSanitizer, also on a leak). */
  {
    guint held = count_in_log (server, "test: a content chunk waits");
    g_autoptr(GThread) cut = NULL;
    SlowDownload cut_download = { NULL, url, secretary, 0, NULL };

    cut = g_thread_new ("cut-download", cut_download_thread, &cut_download);
    deadline = g_get_monotonic_time () + 60 * G_TIME_SPAN_SECOND;
    while (count_in_log (server, "test: a content chunk waits") == held &&
           g_get_monotonic_time () < deadline)
      g_usleep (10 * G_TIME_SPAN_MILLISECOND);
    g_assert_cmpuint (count_in_log (server, "test: a content chunk waits"), ==, held + 1);
    docket_test_server_stop (server);
    g_thread_join (g_steal_pointer (&cut));
    g_test_message ("the download cut by the stop got %u", cut_download.status);
    g_clear_pointer (&cut_download.body, g_bytes_unref);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server-auth/parallel-burst", test_parallel_burst);
  g_test_add_func ("/server-auth/lockout-from-elsewhere", test_lockout_from_elsewhere);
  g_test_add_func ("/server-auth/spraying-one-address", test_spraying_one_address);
  g_test_add_func ("/server-auth/busy", test_busy);
  g_test_add_func ("/server-auth/trusted-proxy", test_trusted_proxy);
  g_test_add_func ("/server-auth/passwd-ends-sessions", test_passwd_ends_sessions);
  g_test_add_func ("/server-auth/gc-prunes-expired-tokens", test_gc_prunes_expired_tokens);
  g_test_add_func ("/server-auth/slow-feed-holds-up-nobody", test_slow_feed_holds_up_nobody);
  g_test_add_func ("/server-auth/content-in-chunks", test_content_in_chunks);

  return g_test_run ();
}
