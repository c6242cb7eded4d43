/* docket-server.c: DocketServer, the HTTP API of Docket (docs/protocol.md) over a
 * SoupServer
 *
 * It owns what the routes share: the database, the blob store, the pools of worker
 * threads, the sign-in limiters, the upload slots, and garbage collection on a timer.
 * The routes themselves are one table (docket-server-routes.c), their handlers in a file
 * per area (docket-server-routes-AREA.c), and every answer goes through
 * docket-server-reply.c. The slow work runs in pools of worker threads of a fixed size,
 * its message paused meanwhile, so that the main loop keeps serving: password checks
 * (sign-in), the change feed (with read-only database connections of its own) and the
 * disk reads of document contents. Work beyond a pool's room gets 503 busy.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <gio/gnetworking.h>

#include "docket-protocol.h"
#include "docket-server-private.h"
#include "docket-server-routes.h"

/* Sign-in: failures allowed per user name from one address (what locks a user out), and
 * per address whatever the user names (against one password tried on every account). */
#define FAILURES_PER_USER_AND_ADDRESS 5
#define FAILURES_PER_ADDRESS          50
/* The change feed: reading and JSON, mostly CPU, each thread with its own read-only
 * connection; a request waiting costs a few hundred bytes until it runs. After each event
 * of the live channel every connected official pulls at once (a pull of a few changes
 * takes a millisecond or two): with room for only 64, bench/live saw 900 of 1,000
 * officials refused with 503 and Retry-After 1, and the change reach the last of them 19
 * seconds later. The queue holds as many as the live channel's default connections, so
 * that a room full of officials waits its turn instead of its retry. */
#define FEED_THREADS_MAX              4
#define FEED_WAITING_MAX              5000
/* Document contents: disk reads of a chunk each; one under way per download at most, so
 * the queue bounds the downloads read ahead by workers (the others read in the loop). */
#define CONTENT_THREADS               4
#define CONTENT_WAITING_MAX           256
/* Argon2id takes 46 MiB and ~25 ms of one core per check (twice that at the sign-in
 * that re-hashes an older hash): more threads than cores gain nothing, and 4 bound the
 * memory to 184 MiB. 16 waiting wait about a second at most. */
#define PASSWORD_THREADS_MAX          4
#define PASSWORD_WAITING_MAX          16

struct _DocketServer
{
  GObject                  parent_instance;

  /* owned */
  SoupServer              *soup;
  DocketServerDb          *db;
  DocketServerBlobs       *blobs;
  DocketServerRateLimiter *pair_limiter;     /* "ADDRESS\nUSERNAME" */
  DocketServerRateLimiter *address_limiter;  /* "ADDRESS" */
  DocketServerWorkers     *password_workers;
  DocketServerWorkers     *feed_workers;
  GAsyncQueue             *feed_readers;     /* idle DocketServerDb read connections */
  DocketServerWorkers     *content_workers;  /* copy document contents from the disk */
  DocketServerLive        *live;             /* the live channel's connections */
  guint                    feed_delay_ms;    /* testing knobs */
  guint                    content_delay_ms;
  GPtrArray               *trusted_proxies;  /* GInetAddressMask */
  gint64                   max_upload_bytes;
  gint64                   token_ttl;

  /* uploads from their accepted headers until their message is finished */
  guint                    active_uploads;
  guint                    upload_timeout;

  /* garbage collection, once started */
  DocketServerGcPolicy     gc_policy;
  guint                    gc_source;
  GCancellable            *gc_cancellable;
  gboolean                 gc_running;
};

G_DEFINE_TYPE (DocketServer, docket_server, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DB,
  PROP_BLOBS,
  PROP_MAX_UPLOAD_BYTES,
  PROP_TOKEN_TTL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GQuark started_quark;

/* Accessors for the handlers */

DocketServerDb *
docket_server_get_db (DocketServer *self)
{
  return self->db;
}

DocketServerBlobs *
docket_server_get_blobs (DocketServer *self)
{
  return self->blobs;
}

gint64
docket_server_get_max_upload_bytes (DocketServer *self)
{
  return self->max_upload_bytes;
}

gboolean
docket_server_take_upload_slot (DocketServer  *self,
                                GError       **error)
{
  if (self->active_uploads >= DOCKET_SERVER_MAX_CONCURRENT_UPLOADS)
    {
      g_set_error_literal (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_BUSY,
                           _("The server is receiving as many uploads as it can; try again shortly"));
      return FALSE;
    }
  self->active_uploads++;
  return TRUE;
}

void
docket_server_release_upload_slot (DocketServer *self)
{
  g_return_if_fail (self->active_uploads > 0);
  self->active_uploads--;
}

guint
docket_server_get_upload_timeout (DocketServer *self)
{
  return self->upload_timeout;
}

void
docket_server_set_upload_timeout (DocketServer *self,
                                  guint         seconds)
{
  g_return_if_fail (DOCKET_IS_SERVER (self));
  g_return_if_fail (seconds > 0);

  self->upload_timeout = seconds;
}
gint64
docket_server_get_token_ttl (DocketServer *self)
{
  return self->token_ttl;
}

DocketServerWorkers *
docket_server_get_password_workers (DocketServer *self)
{
  return self->password_workers;
}

DocketServerRateLimiter *
docket_server_get_pair_limiter (DocketServer *self)
{
  return self->pair_limiter;
}

DocketServerRateLimiter *
docket_server_get_address_limiter (DocketServer *self)
{
  return self->address_limiter;
}

GPtrArray *
docket_server_get_trusted_proxies (DocketServer *self)
{
  return self->trusted_proxies;
}

DocketServerWorkers *
docket_server_get_feed_workers (DocketServer *self)
{
  return self->feed_workers;
}

GAsyncQueue *
docket_server_get_feed_readers (DocketServer *self)
{
  return self->feed_readers;
}

guint
docket_server_get_feed_delay (DocketServer *self)
{
  return self->feed_delay_ms;
}

DocketServerLive *
docket_server_get_live (DocketServer *self)
{
  return self->live;
}

DocketServerWorkers *
docket_server_get_content_workers (DocketServer *self)
{
  return self->content_workers;
}

guint
docket_server_get_content_delay (DocketServer *self)
{
  return self->content_delay_ms;
}

/* The request log: one line per request on standard error. */

static void
on_request_started (SoupServer        *soup,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  g_object_set_qdata (G_OBJECT (msg), started_quark,
                      GSIZE_TO_POINTER ((gsize) g_get_monotonic_time ()));
}

static void
on_request_done (SoupServer        *soup,
                 SoupServerMessage *msg,
                 gpointer           user_data)
{
  gint64 started = (gint64) GPOINTER_TO_SIZE (g_object_get_qdata (G_OBJECT (msg), started_quark));
  GUri *uri = soup_server_message_get_uri (msg);
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  gint64 us = g_get_monotonic_time () - started;

  /* Milliseconds with three decimals (an unchanged feed answers in well under one),
   * whatever the locale's decimal sign. */
  g_printerr ("request %s %s %u %" G_GINT64_FORMAT " %" G_GINT64_FORMAT ".%03dms\n",
              soup_server_message_get_method (msg),
              uri ? g_uri_get_path (uri) : "-",
              soup_server_message_get_status (msg),
              body ? body->length : 0,
              us / 1000, (int) (us % 1000));
}

/* Garbage collection: off the request path, in a worker with its own connection. */

static void
on_gc_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(DocketServer) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  DocketServerGcResult gc;

  self->gc_running = FALSE;
  if (!docket_server_gc_run_finish (result, &gc, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_printerr ("gc failed: %s\n", error->message);
      return;
    }
  line = docket_server_gc_result_describe (&gc);
  g_printerr ("gc %s\n", line);
}

static gboolean
gc_tick (gpointer user_data)
{
  DocketServer *self = user_data;

  /* A run still at work (a huge folder, a slow disk) is not doubled. */
  if (!self->gc_running)
    {
      self->gc_running = TRUE;
      docket_server_gc_run_async (self->db, self->blobs, &self->gc_policy,
                                  self->gc_cancellable, on_gc_done, g_object_ref (self));
    }
  return G_SOURCE_CONTINUE;
}

void
docket_server_start_gc (DocketServer               *self,
                        const DocketServerGcPolicy *policy,
                        guint                       interval_seconds)
{
  g_return_if_fail (DOCKET_IS_SERVER (self));
  g_return_if_fail (self->gc_source == 0);
  g_return_if_fail (interval_seconds > 0);

  self->gc_policy = *policy;
  g_clear_object (&self->gc_cancellable);
  self->gc_cancellable = g_cancellable_new ();
  gc_tick (self);
  self->gc_source = g_timeout_add_seconds (interval_seconds, gc_tick, self);
}

void
docket_server_stop_gc (DocketServer *self)
{
  g_return_if_fail (DOCKET_IS_SERVER (self));

  g_clear_handle_id (&self->gc_source, g_source_remove);
  if (self->gc_cancellable != NULL)
    g_cancellable_cancel (self->gc_cancellable);
  while (self->gc_running)
    g_main_context_iteration (NULL, TRUE);
  g_clear_object (&self->gc_cancellable);
}

/* GObject */

static void
docket_server_constructed (GObject *object)
{
  DocketServer *self = DOCKET_SERVER (object);

  G_OBJECT_CLASS (docket_server_parent_class)->constructed (object);

  self->soup = soup_server_new ("server-header", "docket-server/" PACKAGE_VERSION " ", NULL);
  soup_server_add_handler (self->soup, NULL, docket_server_routes_handle, self, NULL);
  soup_server_add_early_handler (self->soup, NULL, docket_server_routes_handle_early, self, NULL);
  /* The live channel's upgrades are made by its route (docket-server-routes-channel.c). */
  self->live = docket_server_live_new (self->db);
  g_signal_connect (self->soup, "request-started", G_CALLBACK (on_request_started), self);
  g_signal_connect (self->soup, "request-finished", G_CALLBACK (on_request_done), self);
  g_signal_connect (self->soup, "request-aborted", G_CALLBACK (on_request_done), self);
}

static void
docket_server_dispose (GObject *object)
{
  DocketServer *self = DOCKET_SERVER (object);

  /* A run holds a reference to self until it ends: none is under way here. */
  g_clear_handle_id (&self->gc_source, g_source_remove);
  g_clear_object (&self->gc_cancellable);
  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);
  g_clear_object (&self->live);
  g_clear_object (&self->db);
  g_clear_object (&self->blobs);
  g_clear_object (&self->pair_limiter);
  g_clear_object (&self->address_limiter);
  g_clear_object (&self->password_workers);
  g_clear_object (&self->feed_workers);
  g_clear_object (&self->content_workers);
  g_clear_pointer (&self->feed_readers, g_async_queue_unref);
  g_clear_pointer (&self->trusted_proxies, g_ptr_array_unref);

  G_OBJECT_CLASS (docket_server_parent_class)->dispose (object);
}

static void
docket_server_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  DocketServer *self = DOCKET_SERVER (object);

  switch (prop_id)
    {
    case PROP_DB:
      g_value_set_object (value, self->db);
      break;
    case PROP_BLOBS:
      g_value_set_object (value, self->blobs);
      break;
    case PROP_MAX_UPLOAD_BYTES:
      g_value_set_int64 (value, self->max_upload_bytes);
      break;
    case PROP_TOKEN_TTL:
      g_value_set_int64 (value, self->token_ttl);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_server_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  DocketServer *self = DOCKET_SERVER (object);

  switch (prop_id)
    {
    case PROP_DB:
      self->db = g_value_dup_object (value);
      break;
    case PROP_BLOBS:
      self->blobs = g_value_dup_object (value);
      break;
    case PROP_MAX_UPLOAD_BYTES:
      self->max_upload_bytes = g_value_get_int64 (value);
      break;
    case PROP_TOKEN_TTL:
      self->token_ttl = g_value_get_int64 (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_server_class_init (DocketServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = docket_server_constructed;
  object_class->dispose = docket_server_dispose;
  object_class->get_property = docket_server_get_property;
  object_class->set_property = docket_server_set_property;

  properties[PROP_DB] =
    g_param_spec_object ("db", NULL, NULL, DOCKET_SERVER_TYPE_DB,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BLOBS] =
    g_param_spec_object ("blobs", NULL, NULL, DOCKET_SERVER_TYPE_BLOBS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_UPLOAD_BYTES] =
    g_param_spec_int64 ("max-upload-bytes", NULL, NULL, 1, DOCKET_MAX_DOCUMENT_BYTES,
                        DOCKET_SERVER_DEFAULT_MAX_UPLOAD_BYTES,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOKEN_TTL] =
    g_param_spec_int64 ("token-ttl", NULL, NULL, 1, G_MAXINT32,
                        DOCKET_SERVER_DEFAULT_TOKEN_TTL,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  started_quark = g_quark_from_static_string ("docket-server-request-started");
}

static void
docket_server_init (DocketServer *self)
{
  self->pair_limiter = docket_server_rate_limiter_new (FAILURES_PER_USER_AND_ADDRESS);
  self->address_limiter = docket_server_rate_limiter_new (FAILURES_PER_ADDRESS);
  self->password_workers = docket_server_workers_new (CLAMP (g_get_num_processors (), 2,
                                                             PASSWORD_THREADS_MAX),
                                                      PASSWORD_WAITING_MAX);
  self->trusted_proxies = g_ptr_array_new_with_free_func (g_object_unref);
  self->feed_workers = docket_server_workers_new (CLAMP (g_get_num_processors (), 2,
                                                         FEED_THREADS_MAX),
                                                  FEED_WAITING_MAX);
  self->feed_readers = g_async_queue_new_full (g_object_unref);
  self->content_workers = docket_server_workers_new (CONTENT_THREADS, CONTENT_WAITING_MAX);
  self->upload_timeout = DOCKET_SERVER_DEFAULT_UPLOAD_TIMEOUT;
}

DocketServer *
docket_server_new (DocketServerDb    *db,
                   DocketServerBlobs *blobs,
                   gint64             max_upload_bytes,
                   gint64             token_ttl)
{
  return g_object_new (DOCKET_TYPE_SERVER,
                       "db", db,
                       "blobs", blobs,
                       "max-upload-bytes", max_upload_bytes,
                       "token-ttl", token_ttl,
                       NULL);
}

gboolean
docket_server_set_trusted_proxies (DocketServer        *self,
                                   const char * const  *addresses,
                                   GError             **error)
{
  g_autoptr(GPtrArray) proxies = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (DOCKET_IS_SERVER (self), FALSE);

  for (guint i = 0; addresses != NULL && addresses[i] != NULL; i++)
    {
      /* An address alone is a range of one: its whole length. */
      GInetAddressMask *range = g_inet_address_mask_new_from_string (addresses[i], NULL);

      if (range == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("--trusted-proxy wants an IP address or a range of them (e.g. "
                         "10.0.0.0/8, fd00::/8, with no bits set past the prefix), not “%s”"),
                       addresses[i]);
          return FALSE;
        }
      g_ptr_array_add (proxies, range);
    }
  g_ptr_array_unref (self->trusted_proxies);
  self->trusted_proxies = g_steal_pointer (&proxies);
  return TRUE;
}

void
docket_server_set_feed_delay_for_tests (DocketServer *self,
                                        guint         delay_ms)
{
  g_return_if_fail (DOCKET_IS_SERVER (self));

  self->feed_delay_ms = delay_ms;
}

void
docket_server_set_content_delay_for_tests (DocketServer *self,
                                           guint         delay_ms)
{
  g_return_if_fail (DOCKET_IS_SERVER (self));

  self->content_delay_ms = delay_ms;
}

void
docket_server_set_max_live_connections (DocketServer *self,
                                        guint         max_connections)
{
  g_return_if_fail (DOCKET_IS_SERVER (self));

  docket_server_live_set_max_connections (self->live, max_connections);
}

void
docket_server_set_live_heartbeat_for_tests (DocketServer *self,
                                            guint         seconds)
{
  g_return_if_fail (DOCKET_IS_SERVER (self));

  docket_server_live_set_heartbeat_for_tests (self->live, seconds);
}

void
docket_server_close_live (DocketServer *self)
{
  g_return_if_fail (DOCKET_IS_SERVER (self));

  docket_server_live_close_all (self->live);
}

void
docket_server_stop_workers (DocketServer *self)
{
  g_return_if_fail (DOCKET_IS_SERVER (self));

  /* The last tasks return to the main context: run their callbacks too, which answer
   * and free what they hold (and start nothing new: the workers refuse it). */
  docket_server_workers_close (self->password_workers);
  docket_server_workers_close (self->feed_workers);
  docket_server_workers_close (self->content_workers);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

/* Connections the kernel may hold before the main loop accepts them. libsoup's own
 * socket keeps GLib's 10, and the kernel resets what a full queue cannot take: a
 * meeting's officials all signing in at once, or a burst, would see connections reset. */
#define LISTEN_BACKLOG 1024

static gboolean
listen_on (DocketServer             *self,
           GSocketAddress           *address,
           SoupServerListenOptions   options,
           GError                  **error)
{
  g_autoptr(GSocket) socket = NULL;

  socket = g_socket_new (g_socket_address_get_family (address), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_DEFAULT, error);
  if (socket == NULL)
    return FALSE;
  /* As libsoup does: an IPv6 address serves IPv6 alone. */
  if (g_socket_address_get_family (address) == G_SOCKET_FAMILY_IPV6 &&
      !g_socket_set_option (socket, IPPROTO_IPV6, IPV6_V6ONLY, TRUE, error))
    return FALSE;
  g_socket_set_listen_backlog (socket, LISTEN_BACKLOG);
  return g_socket_bind (socket, address, TRUE, error) &&
         g_socket_listen (socket, error) &&
         soup_server_listen_socket (self->soup, socket, options, error);
}

char *
docket_server_listen (DocketServer     *self,
                      const char       *host,
                      guint             port,
                      GTlsCertificate  *tls_certificate,
                      GError          **error)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoslist(GUri) uris = NULL;
  SoupServerListenOptions options = 0;

  address = g_inet_address_new_from_string (g_str_equal (host, "localhost") ? "127.0.0.1" : host);
  if (address == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Not an IP address: %s"), host);
      return NULL;
    }
  if (tls_certificate != NULL)
    {
      g_object_set (self->soup, "tls-certificate", tls_certificate, NULL);
      options |= SOUP_SERVER_LISTEN_HTTPS;
    }
  socket_address = g_inet_socket_address_new (address, (guint16) port);
  if (!listen_on (self, socket_address, options, error))
    return NULL;

  uris = soup_server_get_uris (self->soup);
  if (uris == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Not listening"));
      return NULL;
    }
  return g_strdup_printf ("%s://%s%s%s:%d", g_uri_get_scheme (uris->data),
                          g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6 ? "[" : "",
                          host,
                          g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6 ? "]" : "",
                          g_uri_get_port (uris->data));
}
