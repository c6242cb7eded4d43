/* test-server-ipv6-limit.c: sign-in limits count an IPv6 client by its /64, and
 * --trusted-proxy takes ranges (docs/protocol.md, "Sign-in")
 *
 * The real docket-server, once listening on [::1] (IPv6 loopback), once on 127.0.0.1.
 * Loopback gives a test one IPv6 address only, so the clients of other addresses are
 * written by a trusted proxy in X-Forwarded-For, as a reverse proxy would; on IPv4, a
 * session bound to 127.0.0.2 is another proxy in the range 127.0.0.0/8.
 */
#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "docket-test-util.h"

/* Failures per user name and address before a lockout (server/docket-server.c). */
#define FAILURES_PER_USER_AND_ADDRESS 5

/* A session from local_address (NULL: the system's choice). */
static SoupSession *
make_session (const char *local_address)
{
  g_autoptr(GSocketAddress) address = NULL;

  if (local_address != NULL)
    address = g_inet_socket_address_new_from_string (local_address, 0);
  return soup_session_new_with_options ("timeout", 60, "local-address", address, NULL);
}

/* POST /session as username with password, as forwarded_for (NULL: no header); the
 * status. */
static guint
sign_in (DocketTestServer *server,
         SoupSession      *session,
         const char       *username,
         const char       *password,
         const char       *forwarded_for)
{
  g_autofree char *url = g_strconcat (docket_test_server_get_url (server), "/api/v1/session", NULL);
  g_autoptr(SoupMessage) message = soup_message_new ("POST", url);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (message);
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
  answer = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("sign-in %s as %s: %u", username, forwarded_for ? forwarded_for : "-",
                  soup_message_get_status (message));
  return soup_message_get_status (message);
}

/* Wrong passwords for username, each from another address (address_start followed by
 * 1, 2...), until the user is locked out for that client. */
static void
fail_from (DocketTestServer *server,
           SoupSession      *session,
           const char       *username,
           const char       *address_start)
{
  for (guint i = 1; i <= FAILURES_PER_USER_AND_ADDRESS; i++)
    {
      g_autofree char *address = g_strdup_printf ("%s%u", address_start, i);

      g_assert_cmpuint (sign_in (server, session, username, "wrong password", address), ==, 401);
    }
}

/* On [::1]: five failures from five addresses of one /64 lock the user out for every
 * address of that /64, and for no other /64. */
static void
test_ipv6_counted_by_64 (void)
{
  const char * const args[] = { "--listen", "[::1]:0", "--trusted-proxy", "::1", NULL };
  DocketTestServer *server = docket_test_server_start_with_args (TRUE, args);
  g_autoptr(SoupSession) session = make_session (NULL);
  const char *password = docket_test_server_get_password (server, "daibieu1");

  g_assert_true (g_str_has_prefix (docket_test_server_get_url (server), "http://[::1]:"));

  fail_from (server, session, "daibieu1", "2001:db8:5:6::");
  g_assert_cmpuint (sign_in (server, session, "daibieu1", password, "2001:db8:5:6::99"), ==, 429);
  g_assert_cmpuint (sign_in (server, session, "daibieu1", password, "2001:db8:5:6:ffff:1:2:3"), ==, 429);
  /* The next /64 is another client, and so is an IPv4 one. */
  g_assert_cmpuint (sign_in (server, session, "daibieu1", password, "2001:db8:5:7::1"), ==, 201);
  g_assert_cmpuint (sign_in (server, session, "daibieu1", password, "192.0.2.1"), ==, 201);
  /* An IPv4 client is counted by its own address, not by a /64 of anything. */
  fail_from (server, session, "daibieu2", "192.0.2.");
  g_assert_cmpuint (sign_in (server, session, "daibieu2",
                             docket_test_server_get_password (server, "daibieu2"), "192.0.2.99"), ==, 201);

  docket_test_server_stop (server);
}

/* --trusted-proxy with ranges: every proxy in 127.0.0.0/8 and fd00::/8 is believed, and
 * the client behind it is counted, not the proxy. */
static void
test_trusted_proxy_ranges (void)
{
  const char * const args[] = { "--trusted-proxy", "127.0.0.0/8", "--trusted-proxy", "fd00::/8", NULL };
  DocketTestServer *server = docket_test_server_start_with_args (TRUE, args);
  g_autoptr(SoupSession) proxy_a = make_session ("127.0.0.1");
  g_autoptr(SoupSession) proxy_b = make_session ("127.0.0.2");
  const char *password = docket_test_server_get_password (server, "daibieu1");
  guint i;

  /* One client behind the proxy 127.0.0.2 locks itself out, not the others behind it. */
  for (i = 0; i < FAILURES_PER_USER_AND_ADDRESS; i++)
    g_assert_cmpuint (sign_in (server, proxy_b, "daibieu1", "wrong password", "10.9.9.9"), ==, 401);
  g_assert_cmpuint (sign_in (server, proxy_b, "daibieu1", password, "10.9.9.9"), ==, 429);
  g_assert_cmpuint (sign_in (server, proxy_b, "daibieu1", password, "10.9.9.10"), ==, 201);

  /* A chain through a proxy of fd00::/8: the client is the address left of it. */
  for (i = 0; i < FAILURES_PER_USER_AND_ADDRESS; i++)
    g_assert_cmpuint (sign_in (server, proxy_a, "daibieu2", "wrong password", "10.7.7.7, fd00::5"), ==, 401);
  g_assert_cmpuint (sign_in (server, proxy_a, "daibieu2",
                             docket_test_server_get_password (server, "daibieu2"), "10.7.7.7"), ==, 429);
  g_assert_cmpuint (sign_in (server, proxy_a, "daibieu2",
                             docket_test_server_get_password (server, "daibieu2"), "10.7.7.8, fd00::5"), ==, 201);

  docket_test_server_stop (server);
}

/* A range with bits set past its prefix, or no address at all, is refused at start. */
static void
test_trusted_proxy_refused (void)
{
  const char *bad[] = { "10.0.0.1/8", "fd00::/200", "proxy.example", NULL };
  DocketTestServer *server = docket_test_server_start (FALSE);

  /* Its data folder, with no server on it: the refusal, not a busy database, stops
   * these. */
  docket_test_server_shut_down (server);
  for (guint i = 0; bad[i] != NULL; i++)
    {
      int status = docket_test_server_admin (server, NULL, NULL, "--listen", "127.0.0.1:0",
                                             "--trusted-proxy", bad[i], NULL);

      g_test_message ("--trusted-proxy %s: exit %d", bad[i], status);
      g_assert_cmpint (status, ==, 2);
    }
  docket_test_server_stop (server);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server-ipv6-limit/counted-by-64", test_ipv6_counted_by_64);
  g_test_add_func ("/server-ipv6-limit/trusted-proxy-ranges", test_trusted_proxy_ranges);
  g_test_add_func ("/server-ipv6-limit/trusted-proxy-refused", test_trusted_proxy_refused);

  return g_test_run ();
}
