/* test-server-live-backlog.c: a live channel's client that reads nothing cannot grow the
 * real docket-server's memory (docs/protocol.md, "The live channel")
 *
 * libsoup answers every ping with a pong and queues in memory, without a bound, what the
 * socket does not take. A client that shrinks its receive buffer, never reads and pings
 * without end would have the server keep its pongs forever. The server drops it once
 * what it sends backs up, and goes on serving the others.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <libsoup/soup.h>

#include "test-server-common.h"

#define WAIT_SECONDS 60
/* What the pings may bring in before the server has to give up on the client: far above
 * what the kernel's buffers of both sides hold on loopback, far below what a server that
 * keeps every pong would notice. */
#define FLOOD_LIMIT_BYTES (256u * 1024 * 1024)

/* A socket with a receive buffer as small as the kernel allows, connected to url's host
 * and port and upgraded to the live channel with token; the 101's head is read, nothing
 * after it ever is. */
static GSocket *
connect_small_reader (const char *url,
                      const char *token)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_from_string (g_uri_get_host (uri));
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback,
                                                                  (guint16) g_uri_get_port (uri));
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GString) head = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *request = NULL;
  char byte;

  socket = g_socket_new (g_socket_address_get_family (address), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  /* Before the connection, so that the window it offers is small from the start. */
  g_assert_true (g_socket_set_option (socket, SOL_SOCKET, SO_RCVBUF, 1024, &error));
  g_assert_no_error (error);
  g_socket_set_timeout (socket, WAIT_SECONDS);
  g_assert_true (g_socket_connect (socket, address, NULL, &error));
  g_assert_no_error (error);

  request = g_strdup_printf ("GET /api/v1/live HTTP/1.1\r\nHost: %s:%d\r\n"
                             "Authorization: Bearer %s\r\nConnection: Upgrade\r\n"
                             "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
                             g_uri_get_host (uri), g_uri_get_port (uri), token);
  g_assert_cmpint (g_socket_send (socket, request, strlen (request), NULL, &error), ==,
                   (gssize) strlen (request));
  while (!g_str_has_suffix (head->str, "\r\n\r\n") &&
         g_socket_receive (socket, &byte, 1, NULL, &error) == 1)
    g_string_append_c (head, byte);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (head->str, "HTTP/1.1 101"));
  return g_steal_pointer (&socket);
}

/* Pings of 125 bytes (the most a control frame holds), masked with a zero key, one after
 * the other in a block of size bytes or a little less. */
static GByteArray *
ping_block (gsize size)
{
  GByteArray *block = g_byte_array_new ();
  guint8 frame[6 + 125] = { 0x89, 0x80 | 125, 0, 0, 0, 0 };

  memset (frame + 6, 'p', 125);
  while (block->len + sizeof frame <= size)
    g_byte_array_append (block, frame, sizeof frame);
  return block;
}

/* Pings until the server drops the connection or FLOOD_LIMIT_BYTES were sent; how many
 * bytes went out, and the error that ended it in out_error. */
static guint64
flood_with_pings (GSocket  *socket,
                  GError  **out_error)
{
  g_autoptr(GByteArray) block = ping_block (64 * 1024);
  guint64 sent = 0;

  while (sent < FLOOD_LIMIT_BYTES)
    {
      gsize at = 0;

      while (at < block->len)
        {
          gssize n = g_socket_send_with_blocking (socket, (const char *) block->data + at,
                                                  block->len - at, TRUE, NULL, out_error);

          if (n < 0)
            return sent;
          at += (gsize) n;
          sent += (guint64) n;
        }
    }
  return sent;
}

static gboolean
server_answers (DocketTestServer *server)
{
  g_autofree char *token = docket_test_sign_in (server, "daibieu2", NULL);

  return token != NULL && *token != '\0';
}

static void
test_ping_flood_dropped (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *token = docket_test_sign_in (server, "daibieu1", NULL);
  g_autoptr(GSocket) socket = connect_small_reader (docket_test_server_get_url (server), token);
  g_autoptr(GError) error = NULL;
  guint64 sent = flood_with_pings (socket, &error);

  /* The server dropped us (a reset: it closed with our pings unread); not our own timeout
   * of a server that stopped reading and kept us. */
  g_test_message ("%" G_GUINT64_FORMAT " bytes of pings sent before the end", sent);
  g_assert_nonnull (error);
  g_assert_false (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT));
  g_assert_cmpuint (sent, <, FLOOD_LIMIT_BYTES);
  /* And it serves the others still. */
  g_assert_true (server_answers (server));

  docket_test_server_stop (server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server-live-backlog/ping-flood-dropped", test_ping_flood_dropped);

  return g_test_run ();
}
