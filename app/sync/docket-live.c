/* docket-live.c: the live channel, a WebSocket that says when to pull (DocketLive)
 *
 * Apart from the engine (docket-sync.c), which owns it, starts it with its token and
 * pulls when it asks: this file only keeps the connection. One attempt goes GET
 * /api/v1/info (is "live" listed?), then the WebSocket upgrade of /api/v1/live; once
 * open, the server's "hello" makes it LIVE. Any end of a connection but a refused token
 * schedules the next attempt, with back-off and jitter so that 500 clients do not come
 * back in the same millisecond after a server restart.
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "docket-api.h"
#include "docket-live.h"
#include "docket-sync-enums.h"
#include "docket-sync-private.h"

#define BACKOFF_FIRST_MS          1000
#define BACKOFF_MAX_MS            (60 * 1000)
/* A connection open this long was a good one: the next drop retries after a second. */
#define CONNECTION_LASTED_US      (30 * G_USEC_PER_SEC)
/* Without "live" in the server's capabilities: look again this much later (the server
 * may be upgraded meanwhile), as seldom as the engine's fallback poll. */
#define UNAVAILABLE_RECHECK_S     (5 * 60)
#define HEARTBEAT_DEFAULT_S       20
#define HEARTBEAT_MAX_S           3600
#define SILENT_HEARTBEATS         3
/* Every message of the protocol is a small object: more is a broken or hostile server. */
#define MAX_MESSAGE_BYTES         4096

struct _DocketLive
{
  GObject                  parent_instance;

  /* Owned references */
  SoupSession             *session;
  char                    *server_url;
  char                    *token;
  GCancellable            *cancellable;     /* the attempt under way: info, upgrade */
  SoupWebsocketConnection *connection;      /* open, or NULL */

  /* Borrowed references */
  GNetworkMonitor         *monitor;
  gulong                   network_changed_id;

  DocketLiveState          state;
  guint                    retry_source_id;
  guint                    silence_source_id;
  guint                    heartbeat_s;
  guint                    backoff_ms;       /* the last delay, 0 after a connection that lasted */
  gint64                   connected_at;     /* monotonic */
  gint64                   last_received_at; /* monotonic: a message, a pong */
  guint                    running : 1;
  guint                    attempted : 1;    /* an attempt was made since the start */
};

G_DEFINE_FINAL_TYPE (DocketLive, docket_live, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  PULL_WANTED,
  TOKEN_REFUSED,
  CAPABILITIES,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void live_connect (DocketLive *self);

static void
set_state (DocketLive      *self,
           DocketLiveState  state)
{
  if (self->state == state)
    return;

  g_debug ("live: state %d -> %d", self->state, state);
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static gboolean
network_is_down (DocketLive *self)
{
  return !_docket_sync_server_url_is_loopback (self->server_url) &&
         !g_network_monitor_get_network_available (self->monitor);
}

/* The connection and the attempt, whatever state they are in; nothing is scheduled. */
static void
drop_connection (DocketLive *self)
{
  g_clear_handle_id (&self->silence_source_id, g_source_remove);
  g_clear_handle_id (&self->retry_source_id, g_source_remove);

  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }

  if (self->connection != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->connection, self);
      if (soup_websocket_connection_get_state (self->connection) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (self->connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      /* The last reference: libsoup closes the stream (a peer gone silent sends no
       * close frame back to wait for). */
      g_clear_object (&self->connection);
    }
}

/* Reconnecting */

static gboolean
retry_cb (gpointer user_data)
{
  DocketLive *self = user_data;

  self->retry_source_id = 0;
  live_connect (self);

  return G_SOURCE_REMOVE;
}

static void
schedule_retry_in (DocketLive *self,
                   guint       delay_ms)
{
  g_clear_handle_id (&self->retry_source_id, g_source_remove);
  self->retry_source_id = g_timeout_add (delay_ms, retry_cb, self);
  g_debug ("live: next attempt in %u ms", delay_ms);
}

/* The connection ended or could not be made: the next attempt after the back-off, with
 * up to half of it again at random; when the network is down, when it is back. */
static void
schedule_retry (DocketLive *self,
                guint       at_least_ms)
{
  guint delay_ms;

  drop_connection (self);

  if (network_is_down (self))
    {
      set_state (self, DOCKET_LIVE_STATE_OFFLINE);
      return;
    }

  if (self->connected_at != 0 && g_get_monotonic_time () - self->connected_at >= CONNECTION_LASTED_US)
    self->backoff_ms = 0;
  self->connected_at = 0;

  self->backoff_ms = self->backoff_ms == 0 ? BACKOFF_FIRST_MS : MIN (self->backoff_ms * 2, BACKOFF_MAX_MS);
  delay_ms = self->backoff_ms + (guint) g_random_int_range (0, (gint32) (self->backoff_ms / 2) + 1);

  set_state (self, DOCKET_LIVE_STATE_RECONNECTING);
  schedule_retry_in (self, MAX (delay_ms, at_least_ms));
}

/* The server ended the session (4401, or a 401 to the upgrade): no reconnecting, which
 * would only be refused again; the engine asks the official to sign in. */
static void
token_refused (DocketLive *self)
{
  g_debug ("live: the server refused the token");
  docket_live_stop (self);
  g_signal_emit (self, signals[TOKEN_REFUSED], 0);
}

/* The open connection */

static void
touched (DocketLive *self)
{
  self->last_received_at = g_get_monotonic_time ();
}

static gboolean
silence_cb (gpointer user_data)
{
  DocketLive *self = user_data;
  gint64 silent_us = g_get_monotonic_time () - self->last_received_at;

  if (silent_us < (gint64) SILENT_HEARTBEATS * self->heartbeat_s * G_USEC_PER_SEC)
    return G_SOURCE_CONTINUE;

  /* A peer that neither answers pings nor sends: a dead server, a broken NAT, a laptop
   * that slept. Its close handshake would never come. */
  g_debug ("live: nothing received for %u heartbeats, reconnecting", SILENT_HEARTBEATS);
  self->silence_source_id = 0;
  schedule_retry (self, 0);

  return G_SOURCE_REMOVE;
}

static void
set_heartbeat (DocketLive *self,
               guint       seconds)
{
  self->heartbeat_s = seconds;
  soup_websocket_connection_set_keepalive_interval (self->connection, seconds);
  g_clear_handle_id (&self->silence_source_id, g_source_remove);
  self->silence_source_id = g_timeout_add_seconds (seconds, silence_cb, self);
}

static void
hello_received (DocketLive *self,
                JsonObject *message)
{
  gint64 heartbeat = HEARTBEAT_DEFAULT_S;
  JsonNode *node = json_object_get_member (message, "heartbeat_seconds");

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_INT64)
    heartbeat = json_node_get_int (node);
  if (heartbeat < 1 || heartbeat > HEARTBEAT_MAX_S)
    heartbeat = HEARTBEAT_DEFAULT_S;

  set_heartbeat (self, (guint) heartbeat);
  set_state (self, DOCKET_LIVE_STATE_LIVE);
  /* Catch up with what happened while there was no connection. */
  g_signal_emit (self, signals[PULL_WANTED], 0, TRUE);
}

static void
message_cb (SoupWebsocketConnection *connection,
            gint                     type,
            GBytes                  *bytes,
            DocketLive              *self)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;
  const char *kind;
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);

  touched (self);

  if (type != SOUP_WEBSOCKET_DATA_TEXT || len > MAX_MESSAGE_BYTES)
    {
      g_debug ("live: a message that is not a small text, ignored");
      return;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) len, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_debug ("live: a message that is not a JSON object, ignored");
      return;
    }

  kind = json_object_get_string_member_with_default (json_node_get_object (root), "type", "");
  if (g_strcmp0 (kind, "hello") == 0)
    hello_received (self, json_node_get_object (root));
  else if (g_strcmp0 (kind, "changed") == 0)
    g_signal_emit (self, signals[PULL_WANTED], 0, FALSE);
  /* Other types belong to later versions of the protocol: ignored. */
}

static void
pong_cb (SoupWebsocketConnection *connection,
         GBytes                  *bytes,
         DocketLive              *self)
{
  touched (self);
}

static void
error_cb (SoupWebsocketConnection *connection,
          GError                  *error,
          DocketLive              *self)
{
  /* "closed" follows; the error is only worth a line in the debug output. */
  g_debug ("live: %s", error->message);
}

static void
closed_cb (SoupWebsocketConnection *connection,
           DocketLive              *self)
{
  gushort code = soup_websocket_connection_get_close_code (connection);

  g_debug ("live: closed with code %u", code);
  if (code == DOCKET_LIVE_CLOSE_TOKEN_REFUSED)
    token_refused (self);
  else
    schedule_retry (self, 0);
}

/* An attempt: the server's capabilities, then the upgrade */

static guint
retry_after_ms (SoupMessage *message)
{
  const char *text = soup_message_headers_get_one (soup_message_get_response_headers (message),
                                                   "Retry-After");
  guint64 seconds = 0;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 0, BACKOFF_MAX_MS / 1000, &seconds, NULL))
    return 0;
  return (guint) seconds * 1000;
}

static void
websocket_connected_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(DocketLive) self = user_data;
  g_autoptr(GError) error = NULL;
  SoupMessage *message = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  SoupWebsocketConnection *connection;
  guint status;

  connection = soup_session_websocket_connect_finish (SOUP_SESSION (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (!self->running)
    {
      g_clear_object (&connection);
      return;
    }

  status = message != NULL ? soup_message_get_status (message) : 0;
  if (connection == NULL)
    {
      g_debug ("live: the upgrade failed (HTTP %u): %s", status, error->message);
      if (status == SOUP_STATUS_UNAUTHORIZED)
        token_refused (self);
      else
        schedule_retry (self, status == SOUP_STATUS_SERVICE_UNAVAILABLE ? retry_after_ms (message) : 0);
      return;
    }

  g_clear_object (&self->cancellable);
  self->connection = connection;
  self->connected_at = g_get_monotonic_time ();
  touched (self);
  soup_websocket_connection_set_max_incoming_payload_size (connection, MAX_MESSAGE_BYTES);
  g_signal_connect (connection, "message", G_CALLBACK (message_cb), self);
  g_signal_connect (connection, "pong", G_CALLBACK (pong_cb), self);
  g_signal_connect (connection, "error", G_CALLBACK (error_cb), self);
  g_signal_connect (connection, "closed", G_CALLBACK (closed_cb), self);
  /* Until "hello" says otherwise. */
  set_heartbeat (self, HEARTBEAT_DEFAULT_S);
}

static void
upgrade (DocketLive *self)
{
  g_autofree char *url = g_strconcat (self->server_url, DOCKET_API_PREFIX "/live", NULL);
  g_autoptr(SoupMessage) message = docket_api_new_message ("GET", url, self->token);

  if (message == NULL)
    {
      schedule_retry (self, 0);
      return;
    }

  soup_session_websocket_connect_async (self->session, message, NULL, NULL, G_PRIORITY_DEFAULT,
                                        self->cancellable, websocket_connected_cb,
                                        g_object_ref (self));
}

/* The words of the info's "capabilities", NULL when it has no such list. */
static GStrv
info_capabilities (GBytes *body)
{
  g_autoptr(JsonNode) root = docket_api_parse_json (body, DOCKET_API_SMALL_JSON_BYTES, NULL);
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonNode *capabilities;
  JsonArray *array;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  capabilities = json_object_get_member (json_node_get_object (root), "capabilities");
  if (capabilities == NULL || !JSON_NODE_HOLDS_ARRAY (capabilities))
    return NULL;

  builder = g_strv_builder_new ();
  array = json_node_get_array (capabilities);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (element));
    }

  return g_strv_builder_end (builder);
}

/* Says what the server can do ("capabilities"), then whether it has the live channel. */
static gboolean
info_lists_live (DocketLive *self,
                 GBytes     *body)
{
  g_auto(GStrv) capabilities = info_capabilities (body);

  if (capabilities == NULL)
    return FALSE;
  g_signal_emit (self, signals[CAPABILITIES], 0, capabilities);
  return g_strv_contains ((const char * const *) capabilities, "live");
}

static void
info_answered_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(DocketLive) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  SoupMessage *message;
  guint status = 0;

  message = docket_api_call_finish (result, &status, &body, &error);
  if (message == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_debug ("live: no server info: %s", error->message);
          schedule_retry (self, 0);
        }
      return;
    }

  if (status != SOUP_STATUS_OK)
    {
      schedule_retry (self, status == SOUP_STATUS_SERVICE_UNAVAILABLE ? retry_after_ms (message) : 0);
      return;
    }

  if (!info_lists_live (self, body))
    {
      /* An older server: the engine's poll is all there is. */
      g_clear_object (&self->cancellable);
      set_state (self, DOCKET_LIVE_STATE_UNAVAILABLE);
      schedule_retry_in (self, UNAVAILABLE_RECHECK_S * 1000);
      return;
    }

  upgrade (self);
}

static void
live_connect (DocketLive *self)
{
  drop_connection (self);

  if (network_is_down (self))
    {
      set_state (self, DOCKET_LIVE_STATE_OFFLINE);
      return;
    }

  /* Connecting, the first time since the start; then reconnecting, until it is live. */
  if (!self->attempted)
    set_state (self, DOCKET_LIVE_STATE_CONNECTING);
  else if (self->state != DOCKET_LIVE_STATE_UNAVAILABLE)
    set_state (self, DOCKET_LIVE_STATE_RECONNECTING);
  self->attempted = TRUE;

  self->cancellable = g_cancellable_new ();
  docket_api_call_async (self->session, self, self->server_url, "GET", DOCKET_API_PREFIX "/info",
                         NULL, NULL, DOCKET_API_SMALL_JSON_BYTES, self->cancellable,
                         info_answered_cb, g_object_ref (self));
}

/* The network */

static void
network_changed_cb (GNetworkMonitor *monitor,
                    gboolean         available,
                    DocketLive      *self)
{
  if (!self->running)
    return;

  if (network_is_down (self))
    {
      drop_connection (self);
      set_state (self, DOCKET_LIVE_STATE_OFFLINE);
    }
  else if (self->state == DOCKET_LIVE_STATE_OFFLINE)
    {
      /* The network is back: no need to wait for the back-off. A connection that is
       * open or being made stays. A change while the network stays up (a route, an
       * interface; some systems tell of one every few seconds, and 500 laptops hear it
       * at once) keeps the back-off: connecting at each one would hammer a server that
       * is down, and cut short the Retry-After of one that is full. */
      self->backoff_ms = 0;
      live_connect (self);
    }
}

/* API */

void
docket_live_start (DocketLive *self,
                   const char *server_url,
                   const char *token)
{
  g_return_if_fail (DOCKET_IS_LIVE (self));
  g_return_if_fail (server_url != NULL);
  g_return_if_fail (token != NULL);

  if (self->running && g_strcmp0 (self->server_url, server_url) == 0 &&
      g_strcmp0 (self->token, token) == 0)
    return;

  docket_live_stop (self);

  self->server_url = g_strdup (server_url);
  self->token = g_strdup (token);
  self->running = TRUE;
  self->attempted = FALSE;
  self->backoff_ms = 0;
  self->network_changed_id = g_signal_connect (self->monitor, "network-changed",
                                               G_CALLBACK (network_changed_cb), self);
  live_connect (self);
}

static void
forget_token (DocketLive *self)
{
  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_clear_pointer (&self->token, g_free);
}

void
docket_live_stop (DocketLive *self)
{
  g_return_if_fail (DOCKET_IS_LIVE (self));

  drop_connection (self);
  g_clear_signal_handler (&self->network_changed_id, self->monitor);
  forget_token (self);
  g_clear_pointer (&self->server_url, g_free);
  self->running = FALSE;
  self->connected_at = 0;
  set_state (self, DOCKET_LIVE_STATE_OFFLINE);
}

DocketLiveState
docket_live_get_state (DocketLive *self)
{
  g_return_val_if_fail (DOCKET_IS_LIVE (self), DOCKET_LIVE_STATE_OFFLINE);

  return self->state;
}

/* Object */

static void
docket_live_dispose (GObject *object)
{
  DocketLive *self = (DocketLive *)object;

  drop_connection (self);
  g_clear_signal_handler (&self->network_changed_id, self->monitor);

  G_OBJECT_CLASS (docket_live_parent_class)->dispose (object);
}

static void
docket_live_finalize (GObject *object)
{
  DocketLive *self = (DocketLive *)object;

  forget_token (self);
  g_clear_pointer (&self->server_url, g_free);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (docket_live_parent_class)->finalize (object);
}

static void
docket_live_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  DocketLive *self = DOCKET_LIVE (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_live_class_init (DocketLiveClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = docket_live_dispose;
  object_class->finalize = docket_live_finalize;
  object_class->get_property = docket_live_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       DOCKET_TYPE_LIVE_STATE, DOCKET_LIVE_STATE_OFFLINE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[PULL_WANTED] =
    g_signal_new ("pull-wanted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
  signals[TOKEN_REFUSED] =
    g_signal_new ("token-refused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* The capabilities of every info read, for the engine to keep (docket_store_has_capability). */
  signals[CAPABILITIES] =
    g_signal_new ("capabilities", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRV | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
docket_live_init (DocketLive *self)
{
  self->state = DOCKET_LIVE_STATE_OFFLINE;
  self->heartbeat_s = HEARTBEAT_DEFAULT_S;
  self->monitor = g_network_monitor_get_default ();
}

DocketLive *
docket_live_new (SoupSession *session)
{
  DocketLive *self;

  g_return_val_if_fail (SOUP_IS_SESSION (session), NULL);

  self = g_object_new (DOCKET_TYPE_LIVE, NULL);
  self->session = g_object_ref (session);

  return self;
}
