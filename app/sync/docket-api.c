/* docket-api.c: the HTTP side of the sync engine
 *
 * Requests carry the bearer token; answers come back as statuses and bodies read whole
 * up to the protocol's limit for their kind; every failure becomes a DOCKET_SYNC_ERROR
 * with a sentence for the person. Kept apart from the engine so that the change feed,
 * sign-in and the downloads map failures the same way.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "docket-api.h"
#include "docket-sync.h"

/* How much of a redirect's address an error message shows. */
#define REDIRECT_TARGET_MAX_CHARS 200

/* A failure before any HTTP answer, as a sentence for the person. */
GError *
docket_api_transport_error (const char *server_url,
                            GError     *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  if (error->domain == G_TLS_ERROR)
    return g_error_new (DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_TLS,
                        _("The server's certificate could not be verified, so Docket did "
                          "not connect to %s: someone may be impersonating the server. Ask "
                          "your administrator to check the server's certificate."),
                        server_url);

  return g_error_new (DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_UNREACHABLE,
                      _("Cannot reach the server at %s. Check the address and your "
                        "connection."),
                      server_url);
}

GError *
docket_api_protocol_error (const char *detail)
{
  return g_error_new (DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_PROTOCOL,
                      _("The server sent an answer Docket cannot use (%s). Your offline "
                        "copy was kept as it was; tell your administrator."),
                      detail);
}

static GError *
signed_out_error (void)
{
  return g_error_new_literal (DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_SIGNED_OUT,
                              _("The server no longer accepts this sign-in. Sign in again."));
}

/* The "error" code of a JSON error body, or NULL. The body goes through the same
 * strict parser as every other answer: an error body is as hostile as any. */
char *
docket_api_error_code_from_body (GBytes *body)
{
  g_autoptr(JsonNode) root = NULL;
  gsize len = 0;
  const char *data = g_bytes_get_data (body, &len);
  JsonObject *object;
  JsonNode *code;

  if (data == NULL || len == 0)
    return NULL;

  root = docket_protocol_parse_json (data, (gssize) len, DOCKET_API_SMALL_JSON_BYTES, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  object = json_node_get_object (root);
  code = json_object_get_member (object, "error");
  if (code == NULL || !JSON_NODE_HOLDS_VALUE (code) ||
      json_node_get_value_type (code) != G_TYPE_STRING)
    return NULL;

  return g_strdup (json_node_get_string (code));
}

char *
docket_api_error_message_from_body (GBytes *body)
{
  g_autoptr(JsonNode) root = NULL;
  gsize len = 0;
  const char *data = g_bytes_get_data (body, &len);
  JsonNode *message;

  if (data == NULL || len == 0)
    return NULL;

  root = docket_protocol_parse_json (data, (gssize) len, DOCKET_API_SMALL_JSON_BYTES, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  message = json_object_get_member (json_node_get_object (root), "message");
  if (message == NULL || !JSON_NODE_HOLDS_VALUE (message) ||
      json_node_get_value_type (message) != G_TYPE_STRING ||
      !docket_protocol_text_is_valid (json_node_get_string (message), DOCKET_MAX_ERROR_MESSAGE_BYTES))
    return NULL;

  return g_strdup (json_node_get_string (message));
}

/* An HTTP answer other than the one expected. */
GError *
docket_api_status_error (guint status)
{
  if (status == SOUP_STATUS_UNAUTHORIZED)
    return signed_out_error ();

  if (status >= 500 && status < 600)
    return g_error_new (DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_SERVER,
                        _("The server had a problem (HTTP error %u). Try again later; if "
                          "it goes on, tell your administrator."),
                        status);

  {
    g_autofree char *detail = g_strdup_printf (_("unexpected HTTP status %u"), status);
    return docket_api_protocol_error (detail);
  }
}

/* What a redirect pointed at, for the sentence: resolved against the request, without
 * user, query or fragment, printable ASCII only and cut short (it comes from a server we
 * do not trust). NULL when the answer named no usable address. */
static char *
describe_redirect_target (SoupMessage *message)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (message);
  const char *location = soup_message_headers_get_one (headers, "Location");
  g_autoptr(GUri) target = NULL;
  g_autofree char *text = NULL;

  if (location == NULL)
    return NULL;

  target = g_uri_parse_relative (soup_message_get_uri (message), location, SOUP_HTTP_URI_FLAGS, NULL);
  if (target == NULL)
    return NULL;

  text = g_uri_to_string_partial (target, G_URI_HIDE_USERINFO | G_URI_HIDE_QUERY | G_URI_HIDE_FRAGMENT);
  if (text == NULL)
    return NULL;

  for (char *p = text; *p != '\0'; p++)
    if (!g_ascii_isprint (*p))
      *p = '?';

  if (strlen (text) > REDIRECT_TARGET_MAX_CHARS)
    {
      text[REDIRECT_TARGET_MAX_CHARS] = '\0';
      return g_strconcat (text, "…", NULL);
    }

  return g_steal_pointer (&text);
}

GError *
docket_api_redirect_error (SoupMessage *message)
{
  g_autofree char *target = describe_redirect_target (message);

  if (target == NULL)
    return g_error_new (DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_PROTOCOL,
                        _("The server answered with a redirect (HTTP %u). Docket does not "
                          "follow redirects: check the server address, or tell your "
                          "administrator."),
                        soup_message_get_status (message));

  return g_error_new (DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_PROTOCOL,
                      _("The server answered with a redirect to %s. Docket does not follow "
                        "redirects: check the server address, or tell your administrator."),
                      target);
}

/* Every JSON body read from a server goes through docket_protocol_parse_json (), never
 * JsonParser alone: json-glib wraps integers beyond 64 bits, cuts strings at "\u0000"
 * (so "ab\u0000../x" would read as the valid id "ab") and recurses without limit on
 * nesting. max_bytes is the protocol's limit for this kind of answer. */
JsonNode *
docket_api_parse_json (GBytes  *body,
                       gsize    max_bytes,
                       GError **error)
{
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;
  gsize len = 0;
  const char *data = g_bytes_get_data (body, &len);

  if (data == NULL || len == 0)
    {
      g_propagate_error (error, docket_api_protocol_error (_("an empty answer")));
      return NULL;
    }

  root = docket_protocol_parse_json (data, (gssize) len, max_bytes, &local_error);
  if (root == NULL)
    {
      g_autofree char *detail = g_strdup_printf (_("not valid JSON: %s"), local_error->message);
      g_propagate_error (error, docket_api_protocol_error (detail));
      return NULL;
    }

  return root;
}

/* Requests */

SoupMessage *
docket_api_new_message (const char *method,
                        const char *url,
                        const char *token)
{
  SoupMessage *message = soup_message_new (method, url);

  if (message == NULL)
    return NULL;

  /* A redirect would take the request, and its bearer token, to an address the
   * official never chose: it is an error (docket_api_redirect_error), never followed. */
  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);

  if (token != NULL)
    {
      g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (message),
                                    "Authorization", authorization);
    }

  return message;
}

/* HTTP calls with a JSON answer, read whole up to a limit */

typedef struct {
  SoupMessage  *message;
  GInputStream *stream;
  GByteArray   *body;
  gsize         max_bytes;
  char         *server_url;
} ApiCall;

static void
api_call_free (ApiCall *call)
{
  g_clear_object (&call->message);
  g_clear_object (&call->stream);
  g_clear_pointer (&call->body, g_byte_array_unref);
  g_clear_pointer (&call->server_url, g_free);
  g_free (call);
}

static void api_call_read_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data);

static void
api_call_read_next (GTask *task)
{
  ApiCall *call = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (call->stream, 64 * 1024, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task),
                                   api_call_read_cb, task);
}

static void
api_call_read_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ApiCall *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize len;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (bytes == NULL)
    {
      g_task_return_error (task, docket_api_transport_error (call->server_url, error));
      return;
    }

  len = g_bytes_get_size (bytes);
  if (len == 0)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (call->body->len + len > call->max_bytes)
    {
      g_task_return_error (task, docket_api_protocol_error (_("an answer larger than the protocol allows")));
      return;
    }

  g_byte_array_append (call->body, g_bytes_get_data (bytes, NULL), len);
  api_call_read_next (g_steal_pointer (&task));
}

static void
api_call_sent_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ApiCall *call = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  goffset length;

  call->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (call->stream == NULL)
    {
      g_task_return_error (task, docket_api_transport_error (call->server_url, error));
      return;
    }

  if (SOUP_STATUS_IS_REDIRECTION (soup_message_get_status (call->message)))
    {
      g_task_return_error (task, docket_api_redirect_error (call->message));
      return;
    }

  length = soup_message_headers_get_content_length (soup_message_get_response_headers (call->message));
  if (length > 0 && (guint64) length > call->max_bytes)
    {
      g_task_return_error (task, docket_api_protocol_error (_("an answer larger than the protocol allows")));
      return;
    }

  api_call_read_next (g_steal_pointer (&task));
}

void
docket_api_call_async (SoupSession         *session,
                       gpointer             source_object,
                       const char          *server_url,
                       const char          *method,
                       const char          *path,
                       GBytes              *json_body,
                       const char          *token,
                       gsize                max_bytes,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (source_object, cancellable, callback, user_data);
  g_autofree char *url = g_strconcat (server_url, path, NULL);
  ApiCall *call = g_new0 (ApiCall, 1);
  SoupMessageHeaders *headers;

  g_task_set_source_tag (task, docket_api_call_async);
  g_task_set_task_data (task, call, (GDestroyNotify) api_call_free);

  call->body = g_byte_array_new ();
  call->max_bytes = max_bytes;
  call->server_url = g_strdup (server_url);
  call->message = docket_api_new_message (method, url, token);

  if (call->message == NULL)
    {
      g_task_return_new_error (task, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_UNREACHABLE,
                               _("“%s” is not a server address."), server_url);
      return;
    }

  headers = soup_message_get_request_headers (call->message);
  soup_message_headers_replace (headers, "Accept", "application/json");

  if (json_body != NULL)
    soup_message_set_request_body_from_bytes (call->message, "application/json", json_body);

  soup_session_send_async (session, call->message, G_PRIORITY_DEFAULT, cancellable,
                           api_call_sent_cb, g_steal_pointer (&task));
}

SoupMessage *
docket_api_call_finish (GAsyncResult  *result,
                        guint         *out_status,
                        GBytes       **out_body,
                        GError       **error)
{
  GTask *task = G_TASK (result);
  ApiCall *call = g_task_get_task_data (task);

  if (!g_task_propagate_boolean (task, error))
    return NULL;

  *out_status = soup_message_get_status (call->message);
  *out_body = g_bytes_new (call->body->data, call->body->len);

  return call->message;
}
