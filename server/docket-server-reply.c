/* docket-server-reply.c: every way the server answers a request
 *
 * JSON replies and the protocol's errors (docs/protocol.md, "Errors"), the mapping of
 * a DOCKET_SERVER_ERROR to its status and code, and the refusals given from a request's
 * headers on the connection itself, before libsoup reads a body nobody wants. Apart
 * from the routes so that every handler answers the same way, and a busy server says
 * when to come back the same way whatever was busy.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "docket-protocol.h"
#include "docket-server-private.h"
#include "docket-sqlite.h"

void
docket_server_reply_json (SoupServerMessage *msg,
                          guint              status,
                          JsonNode          *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  char *text;
  gsize length;

  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, &length);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text, length);
}

void
docket_server_reply_error (SoupServerMessage *msg,
                           guint              status,
                           const char        *code,
                           const char        *message)
{
  g_autoptr(JsonNode) node = docket_protocol_error_to_json (code, message);

  docket_server_reply_json (msg, status, node);
}

/* The status and protocol code of a DOCKET_SERVER_ERROR; FALSE for a fault of the server
 * (INTERNAL, or another domain), whose details are for the log, not for the client. */
static gboolean
error_status (const GError  *error,
              guint         *out_status,
              const char   **out_code)
{
  static const struct {
    guint       status;
    const char *code;
  } map[] = {
    [DOCKET_SERVER_ERROR_BAD_REQUEST] = { 400, DOCKET_ERR_BAD_REQUEST },
    [DOCKET_SERVER_ERROR_INVALID_FIELD] = { 400, DOCKET_ERR_INVALID_FIELD },
    [DOCKET_SERVER_ERROR_INVALID_CURSOR] = { 400, DOCKET_ERR_INVALID_CURSOR },
    [DOCKET_SERVER_ERROR_UNAUTHORIZED] = { 401, DOCKET_ERR_UNAUTHORIZED },
    [DOCKET_SERVER_ERROR_FORBIDDEN] = { 403, DOCKET_ERR_FORBIDDEN },
    [DOCKET_SERVER_ERROR_NOT_FOUND] = { 404, DOCKET_ERR_NOT_FOUND },
    [DOCKET_SERVER_ERROR_CONFLICT] = { 409, DOCKET_ERR_CONFLICT },
    [DOCKET_SERVER_ERROR_TOO_LARGE] = { 413, DOCKET_ERR_TOO_LARGE },
    [DOCKET_SERVER_ERROR_UNSUPPORTED_MEDIA] = { 415, DOCKET_ERR_UNSUPPORTED_MEDIA },
    [DOCKET_SERVER_ERROR_EXISTS] = { 409, DOCKET_ERR_CONFLICT },
    [DOCKET_SERVER_ERROR_INTERNAL] = { 500, DOCKET_ERR_INTERNAL },
    [DOCKET_SERVER_ERROR_GONE] = { 410, DOCKET_ERR_GONE },
    [DOCKET_SERVER_ERROR_BUSY] = { 503, DOCKET_ERR_BUSY },
  };

  if (error->domain != DOCKET_SERVER_ERROR || error->code < 0 ||
      (gsize) error->code >= G_N_ELEMENTS (map) ||
      error->code == DOCKET_SERVER_ERROR_INTERNAL)
    return FALSE;
  *out_status = map[error->code].status;
  *out_code = map[error->code].code;
  return TRUE;
}

/* A busy server says when to come back: whatever had no room (a pool of workers, the
 * upload slots), one DOCKET_SERVER_ERROR_BUSY and one Retry-After. */
static void
add_retry_after (SoupMessageHeaders *headers,
                 guint               status)
{
  if (status == 503)
    soup_message_headers_replace (headers, "Retry-After",
                                  G_STRINGIFY (DOCKET_SERVER_BUSY_RETRY_SECONDS));
}

/* What a client is told of error: its status, code and message. A fault of the server
 * is logged, and the client told only that nothing was changed; a database locked by
 * another process (the command line) for longer than the server waits is no fault, and
 * is the same busy as a full pool's. */
static void
describe_error (const GError  *error,
                guint         *out_status,
                const char   **out_code,
                const char   **out_message)
{
  if (error_status (error, out_status, out_code))
    {
      *out_message = error->message;
      return;
    }
  g_printerr ("error %s\n", error->message);
  if (g_error_matches (error, DOCKET_SQLITE_ERROR, DOCKET_SQLITE_ERROR_BUSY))
    {
      *out_status = 503;
      *out_code = DOCKET_ERR_BUSY;
      *out_message = _("The server's database is busy; try again in a moment");
      return;
    }
  *out_status = 500;
  *out_code = DOCKET_ERR_INTERNAL;
  *out_message = _("The server failed; nothing was changed");
}

void
docket_server_reply_gerror (SoupServerMessage *msg,
                            const GError      *error)
{
  guint status;
  const char *code, *message;

  describe_error (error, &status, &code, &message);
  add_retry_after (soup_server_message_get_response_headers (msg), status);
  docket_server_reply_error (msg, status, code, message);
}

void
docket_server_reply_method_not_allowed (SoupServerMessage *msg,
                                        const char        *allow)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", allow);
  docket_server_reply_error (msg, 405, DOCKET_ERR_METHOD_NOT_ALLOWED,
                             _("This path does not take this method"));
}

JsonNode *
docket_server_parse_json_object (SoupServerMessage  *msg,
                                 GError            **error)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;

  /* Not JsonParser alone: it wraps huge integers, cuts strings at \u0000 and overflows
   * the stack on deep nesting; the shared parser refuses all three. */
  if (body->length > 0)
    root = docket_protocol_parse_json (body->data, body->length,
                                       DOCKET_MAX_JSON_REQUEST_BYTES, &local_error);
  if (root == NULL)
    {
      g_set_error (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_BAD_REQUEST,
                   _("The body is not JSON: %s"),
                   local_error ? local_error->message : _("empty"));
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_BAD_REQUEST,
                           _("The body is not a JSON object"));
      return NULL;
    }
  return g_steal_pointer (&root);
}

/* A refused body: the response is written on the connection taken from libsoup, which
 * would otherwise read the whole body into memory first. The rest of what the client
 * sends is read and dropped (up to a bound) before closing, so that it gets the answer
 * rather than a connection reset. */
typedef struct {
  GIOStream *stream;
  guint8     buffer[16384];
  gsize      drained;
  guint      timeout_id;
} Refusal;

static void
refusal_finish (Refusal *refusal)
{
  g_clear_handle_id (&refusal->timeout_id, g_source_remove);
  g_io_stream_close (refusal->stream, NULL, NULL);
  g_object_unref (refusal->stream);
  g_free (refusal);
}

static void refusal_read (Refusal *refusal);

static void
refusal_read_done (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Refusal *refusal = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (n <= 0 || refusal->timeout_id == 0 || (refusal->drained += (gsize) n) > 8 * 1024 * 1024)
    refusal_finish (refusal);
  else
    refusal_read (refusal);
}

static void
refusal_read (Refusal *refusal)
{
  g_input_stream_read_async (g_io_stream_get_input_stream (refusal->stream),
                             refusal->buffer, sizeof refusal->buffer, G_PRIORITY_LOW,
                             NULL, refusal_read_done, refusal);
}

static gboolean
refusal_timeout (gpointer user_data)
{
  Refusal *refusal = user_data;

  /* The pending read ends when the stream closes, and frees the refusal then. */
  refusal->timeout_id = 0;
  g_io_stream_close (refusal->stream, NULL, NULL);
  return G_SOURCE_REMOVE;
}

static void
refuse_on_connection (SoupServerMessage *msg,
                      guint              status,
                      const char        *code,
                      const char        *message)
{
  g_autoptr(JsonNode) node = docket_protocol_error_to_json (code, message);
  g_autofree char *json = json_to_string (node, FALSE);
  g_autofree char *response = NULL;
  GUri *uri = soup_server_message_get_uri (msg);
  Refusal *refusal;
  GSocket *socket;

  response = g_strdup_printf ("HTTP/1.1 %u %s\r\n"
                              "Content-Type: application/json\r\n"
                              "Content-Length: %zu\r\n"
                              "%s"
                              "Connection: close\r\n\r\n%s",
                              status, soup_status_get_phrase (status), strlen (json),
                              status == 503 ? "Retry-After: "
                                              G_STRINGIFY (DOCKET_SERVER_BUSY_RETRY_SECONDS)
                                              "\r\n" : "",
                              json);
  g_printerr ("request %s %s %u %zu 0ms\n", soup_server_message_get_method (msg),
              uri ? g_uri_get_path (uri) : "-", status, strlen (json));

  refusal = g_new0 (Refusal, 1);
  refusal->stream = soup_server_message_steal_connection (msg);
  if (!g_output_stream_write_all (g_io_stream_get_output_stream (refusal->stream),
                                  response, strlen (response), NULL, NULL, NULL))
    {
      refusal_finish (refusal);
      return;
    }
  socket = G_IS_SOCKET_CONNECTION (refusal->stream)
           ? g_socket_connection_get_socket (G_SOCKET_CONNECTION (refusal->stream)) : NULL;
  if (socket != NULL)
    g_socket_shutdown (socket, FALSE, TRUE, NULL);
  refusal->timeout_id = g_timeout_add_seconds (2, refusal_timeout, refusal);
  refusal_read (refusal);
}

void
docket_server_refuse_early (SoupServerMessage *msg,
                            guint              status,
                            const char        *code,
                            const char        *message)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  if (soup_message_headers_get_expectations (headers) & SOUP_EXPECTATION_CONTINUE)
    {
      SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (msg);

      /* The client waits for "100 Continue": answering now, it never sends the body. */
      docket_server_reply_error (msg, status, code, message);
      add_retry_after (response_headers, status);
      soup_message_headers_replace (response_headers, "Connection", "close");
      return;
    }
  refuse_on_connection (msg, status, code, message);
}

void
docket_server_refuse_early_gerror (SoupServerMessage *msg,
                                   const GError      *error)
{
  guint status;
  const char *code, *message;

  describe_error (error, &status, &code, &message);
  docket_server_refuse_early (msg, status, code, message);
}
