/* docket-sync.c: the sync engine, from a Docket server into a DocketStore
 *
 * Everything HTTP runs on the main context of the thread that created the engine, with
 * libsoup's async API. What costs CPU or disk runs in worker threads: parsing, checking
 * and applying a page of changes, and, for each download, writing and hashing the bytes
 * (the main context only reads the body in large chunks and hands them to the download's
 * writer thread through a bounded queue).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <gio/gfiledescriptorbased.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "docket-api.h"
#include "docket-credentials.h"
#include "docket-outbox.h"
#include "docket-sha256.h"
#include "docket-sync.h"
#include "docket-sync-enums.h"

#define MAX_PARALLEL_DOWNLOADS  4
/* Downloads whose bytes have all arrived and whose writer still hashes and renames
 * them: they no longer use the network, so the next download may start. */
#define MAX_FINISHING_DOWNLOADS 4
#define DOWNLOAD_READ_BYTES     (256 * 1024)
#define DOWNLOAD_QUEUE_BYTES    (8 * 1024 * 1024)    /* per download, read ahead of the writer */
#define READ_BUFFER_POOL_MAX    ((MAX_PARALLEL_DOWNLOADS + MAX_FINISHING_DOWNLOADS) * 4)
#define CHANGES_PAGE_LIMIT      1000
#define AUTOMATIC_INTERVAL_MS   (5 * 60 * 1000)
#define BACKOFF_FIRST_MS        (5 * 1000)          /* the default of "backoff-initial-ms" */
#define BACKOFF_MAX_MS          (5 * 60 * 1000)
#define MAX_TOKEN_BYTES         512
#define PUSH_DELAY_MS           500                 /* after a save, so that a burst goes in one run */

typedef struct _Run Run;
typedef struct _Download Download;

struct _DocketSync
{
  GObject          parent_instance;

  /* Owned references */
  DocketStore     *store;
  SoupSession     *session;
  GMainContext    *main_context;
  char            *server_url;
  char            *username;
  char            *token;           /* read from the Secret Service once */
  char            *error_message;
  GDateTime       *last_synced;

  /* Borrowed references */
  GNetworkMonitor *monitor;
  gulong           network_changed_id;

  Run             *run;             /* the run under way, or NULL */

  /* Downloads the official can see (docket_sync_get_download) */
  GHashTable      *downloads;       /* sha256 -> DownloadInfo*: waiting, downloading, failed */
  GHashTable      *priority_meetings; /* meeting id -> serial of the request (latest wins) */
  GHashTable      *priority_shas;   /* sha256 -> serial: retried contents */
  guint            priority_serial;
  guint            rerun : 1;       /* one more run when this one ends (an outbox push) */

  DocketSyncState  state;
  guint64          bytes_done;
  guint64          bytes_total;
  guint            request_count;

  guint            automatic : 1;
  guint            signed_in : 1;
  guint            automatic_source_id;
  guint            backoff_ms;      /* the last delay, 0 after a success */
  guint            backoff_initial_ms;
};

G_DEFINE_TYPE (DocketSync, docket_sync, G_TYPE_OBJECT)

G_DEFINE_QUARK (docket-sync-error-quark, docket_sync_error)

enum {
  PROP_0,
  PROP_STATE,
  PROP_BYTES_DONE,
  PROP_BYTES_TOTAL,
  PROP_ERROR_MESSAGE,
  PROP_SIGNED_IN,
  PROP_USERNAME,
  PROP_SERVER_URL,
  PROP_LAST_SYNCED,
  PROP_STORE,
  PROP_BACKOFF_INITIAL_MS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  DOWNLOAD_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void run_fetch_page        (Run      *run);
static void download_infos_clear  (DocketSync *self);
static void run_start_downloads   (Run      *run);
static void run_pump_downloads    (Run      *run);
static void run_finish            (Run      *run);
static void schedule_automatic    (DocketSync *self,
                                   guint       milliseconds);
static void automatic_run_cb      (GObject      *object,
                                   GAsyncResult *result,
                                   gpointer      user_data);
static void download_start        (Run                  *run,
                                   DocketDocumentRecord *document);

/* Properties */

static void
set_state (DocketSync      *self,
           DocketSyncState  state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_error_message (DocketSync *self,
                   const char *message)
{
  if (g_strcmp0 (self->error_message, message) == 0)
    return;

  g_free (self->error_message);
  self->error_message = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
}

static void
set_bytes (DocketSync *self,
           guint64     done,
           guint64     total)
{
  if (self->bytes_total != total)
    {
      self->bytes_total = total;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_TOTAL]);
    }

  if (self->bytes_done != done)
    {
      self->bytes_done = done;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_DONE]);
    }
}

static void
set_account (DocketSync *self,
             const char *server_url,
             const char *username,
             gboolean    signed_in)
{
  if (g_strcmp0 (self->server_url, server_url) != 0)
    {
      g_free (self->server_url);
      self->server_url = g_strdup (server_url);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVER_URL]);
    }

  if (g_strcmp0 (self->username, username) != 0)
    {
      g_free (self->username);
      self->username = g_strdup (username);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USERNAME]);
    }

  if (self->signed_in != !!signed_in)
    {
      self->signed_in = !!signed_in;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNED_IN]);
    }
}

static void
forget_token (DocketSync *self)
{
  if (self->token != NULL)
    {
      memset (self->token, 0, strlen (self->token));
      g_clear_pointer (&self->token, g_free);
    }
}

/* Server addresses */

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *bare = NULL;

  if (host == NULL)
    return FALSE;

  if (g_ascii_strcasecmp (host, "localhost") == 0 ||
      g_ascii_strcasecmp (host, "localhost.") == 0)
    return TRUE;

  /* GUri keeps the brackets of an IPv6 literal out of the host, but be lenient. */
  if (host[0] == '[' && g_str_has_suffix (host, "]"))
    bare = g_strndup (host + 1, strlen (host) - 2);
  else
    bare = g_strdup (host);

  address = g_inet_address_new_from_string (bare);

  return address != NULL && g_inet_address_get_is_loopback (address);
}

static gboolean
server_url_is_loopback (const char *server_url)
{
  g_autoptr(GUri) uri = g_uri_parse (server_url, G_URI_FLAGS_NONE, NULL);

  return uri != NULL && host_is_loopback (g_uri_get_host (uri));
}

/**
 * docket_sync_normalize_server_url:
 * @text: what the person typed: "host:port", "host" or a URL
 * @error: a DOCKET_SYNC_ERROR_UNREACHABLE with a sentence for the person
 *
 * Returns: (transfer full): "scheme://host[:port][/path]" without a trailing slash.
 * Plain http is allowed only to the local machine.
 */
char *
docket_sync_normalize_server_url (const char  *text,
                                  GError     **error)
{
  g_autofree char *stripped = NULL;
  g_autofree char *candidate = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  g_return_val_if_fail (text != NULL, NULL);

  stripped = g_strstrip (g_strdup (text));

  if (*stripped == '\0')
    {
      g_set_error (error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_UNREACHABLE,
                   _("Enter the address of your organisation's Docket server."));
      return NULL;
    }

  if (strstr (stripped, "://") != NULL)
    candidate = g_strdup (stripped);
  else
    {
      /* "host:port" or "host": https, except for this machine, where a test or a
       * local server speaks plain http. */
      g_autofree char *probe = g_strconcat ("http://", stripped, NULL);
      g_autoptr(GUri) probe_uri = g_uri_parse (probe, G_URI_FLAGS_NONE, NULL);

      if (probe_uri != NULL && host_is_loopback (g_uri_get_host (probe_uri)))
        candidate = g_steal_pointer (&probe);
      else
        candidate = g_strconcat ("https://", stripped, NULL);
    }

  uri = g_uri_parse (candidate, G_URI_FLAGS_NONE, NULL);
  host = uri != NULL ? g_uri_get_host (uri) : NULL;

  if (uri == NULL || host == NULL || *host == '\0' ||
      g_uri_get_userinfo (uri) != NULL || g_uri_get_query (uri) != NULL ||
      g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_UNREACHABLE,
                   _("“%s” is not a server address. Enter it as "
                     "https://docket.example.org or as host:port."),
                   stripped);
      return NULL;
    }

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0)
    {
      g_set_error (error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_UNREACHABLE,
                   _("The address must start with https://."));
      return NULL;
    }

  if (g_ascii_strcasecmp (scheme, "http") == 0 && !host_is_loopback (host))
    {
      g_set_error (error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_UNREACHABLE,
                   _("Docket connects to %s only over https: plain http would send your "
                     "password and the meeting documents across the network unprotected. "
                     "Use the server's https:// address."),
                   host);
      return NULL;
    }

  path = g_strdup (g_uri_get_path (uri));
  while (path[0] != '\0' && g_str_has_suffix (path, "/"))
    path[strlen (path) - 1] = '\0';

  g_clear_pointer (&uri, g_uri_unref);
  {
    g_autoptr(GUri) again = g_uri_parse (candidate, G_URI_FLAGS_NONE, NULL);
    g_autofree char *lower_scheme = g_ascii_strdown (g_uri_get_scheme (again), -1);
    g_autoptr(GUri) clean = g_uri_build (G_URI_FLAGS_NONE, lower_scheme, NULL,
                                         g_uri_get_host (again), g_uri_get_port (again),
                                         path, NULL, NULL);

    return g_uri_to_string (clean);
  }
}

/* The end of every operation of the engine that answers TRUE or an error (sign-in,
 * sign-out, run). */
static gboolean
task_propagate_boolean (DocketSync    *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Requests */

/* Every request, here and in the downloads, counts in "request-count". */
static void
http_call_async (DocketSync          *self,
                 const char          *server_url,
                 const char          *method,
                 const char          *path,
                 GBytes              *json_body,
                 gboolean             with_token,
                 gsize                max_bytes,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  self->request_count++;
  docket_api_call_async (self->session, self, server_url, method, path, json_body,
                         with_token ? self->token : NULL, max_bytes,
                         cancellable, callback, user_data);
}

/* Sign-in */

typedef struct {
  char *server_url;
  char *username;
  char *token;
} SignIn;

static void
sign_in_free (SignIn *sign_in)
{
  g_free (sign_in->server_url);
  g_free (sign_in->username);
  if (sign_in->token != NULL)
    memset (sign_in->token, 0, strlen (sign_in->token));
  g_free (sign_in->token);
  g_free (sign_in);
}

static gboolean
token_is_sane (const char *token)
{
  gsize len;

  if (token == NULL)
    return FALSE;

  len = strlen (token);
  if (len == 0 || len > MAX_TOKEN_BYTES)
    return FALSE;

  /* It goes into an HTTP header: base64url and nothing else. */
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isalnum (token[i]) && token[i] != '-' && token[i] != '_' &&
          token[i] != '.' && token[i] != '~' && token[i] != '+' && token[i] != '/' &&
          token[i] != '=')
        return FALSE;
    }

  return TRUE;
}

static void
sign_in_stored_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DocketSync *self = g_task_get_source_object (task);
  SignIn *sign_in = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *old_server = NULL;
  g_autofree char *old_username = NULL;

  if (!docket_credentials_store_finish (result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!docket_store_get_account (self->store, &old_server, &old_username, &error))
    {
      g_task_return_new_error (task, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_STORE,
                               _("The offline copy could not be opened: %s"), error->message);
      return;
    }

  /* Another official's meetings must not stay in this profile. */
  if ((old_server != NULL || old_username != NULL) &&
      (g_strcmp0 (old_server, sign_in->server_url) != 0 ||
       g_strcmp0 (old_username, sign_in->username) != 0))
    {
      if (!docket_store_clear (self->store, &error))
        {
          g_task_return_new_error (task, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_STORE,
                                   _("The offline copy could not be cleared: %s"), error->message);
          return;
        }
    }

  if (!docket_store_set_account (self->store, sign_in->server_url, sign_in->username, &error))
    {
      g_task_return_new_error (task, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_STORE,
                               _("The offline copy could not be saved: %s"), error->message);
      return;
    }

  forget_token (self);
  self->token = g_steal_pointer (&sign_in->token);
  download_infos_clear (self);

  g_object_freeze_notify (G_OBJECT (self));
  set_account (self, sign_in->server_url, sign_in->username, TRUE);
  set_error_message (self, NULL);
  set_state (self, DOCKET_SYNC_STATE_IDLE);
  g_object_thaw_notify (G_OBJECT (self));

  g_task_return_boolean (task, TRUE);
}

static void
token_revoked_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GBytes) body = NULL;
  guint status = 0;

  /* Best effort: a token not revoked simply expires on the server. */
  docket_api_call_finish (result, &status, &body, NULL);
}

/* Ends a session this engine will not use. */
static void
revoke_token (DocketSync *self,
              const char *server_url,
              const char *token)
{
  self->request_count++;
  docket_api_call_async (self->session, NULL, server_url, "DELETE", DOCKET_API_PREFIX "/session",
                         NULL, token, DOCKET_API_SMALL_JSON_BYTES, NULL, token_revoked_cb, NULL);
}

/* Signing in as another account clears the profile: refused while the previous
 * account's changes wait to be sent, which the clearing would delete unasked (in the
 * window, signing out asks first; `docket --sign-in` has no one to ask). */
static gboolean
check_account_switch (DocketSync  *self,
                      SignIn      *sign_in,
                      GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *old_server = NULL;
  g_autofree char *old_username = NULL;
  guint waiting = 0;
  guint refused = 0;
  guint unsent;

  if (!docket_store_get_account (self->store, &old_server, &old_username, &local_error) ||
      !docket_store_count_outbox (self->store, &waiting, &refused, &local_error))
    {
      g_set_error (error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_STORE,
                   _("The offline copy could not be opened: %s"), local_error->message);
      return FALSE;
    }

  /* Those the server refused are kept on this computer only: as much the official's. */
  unsent = waiting + refused;
  if ((old_server == NULL && old_username == NULL) ||
      (g_strcmp0 (old_server, sign_in->server_url) == 0 &&
       g_strcmp0 (old_username, sign_in->username) == 0) ||
      unsent == 0)
    return TRUE;

  g_set_error (error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_UNSENT,
               g_dngettext (GETTEXT_PACKAGE,
                            "%u change made as %s (annotations, notes) is only on this computer, "
                            "not yet sent to %s or not accepted by it. Signing in as another "
                            "account would delete it: sign in as %s again and sync first, or "
                            "sign out in Docket's window, which asks what to do with it.",
                            "%u changes made as %s (annotations, notes) are only on this computer, "
                            "not yet sent to %s or not accepted by it. Signing in as another "
                            "account would delete them: sign in as %s again and sync first, or "
                            "sign out in Docket's window, which asks what to do with them.",
                            unsent),
               unsent, old_username != NULL ? old_username : "", old_server != NULL ? old_server : "",
               old_username != NULL ? old_username : "");
  return FALSE;
}

static void
sign_in_answered_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DocketSync *self = g_task_get_source_object (task);
  SignIn *sign_in = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  GCancellable *cancellable;
  SoupMessage *message;
  guint status = 0;
  JsonObject *object_;
  JsonNode *token_node;
  JsonNode *user_node;

  message = docket_api_call_finish (result, &status, &body, &error);
  if (message == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
    {
      g_task_return_new_error (task, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_INVALID_CREDENTIALS,
                               _("The user name or password is wrong."));
      return;
    }

  if (status == 429 /* Too Many Requests */)
    {
      const char *retry = soup_message_headers_get_one (soup_message_get_response_headers (message),
                                                        "Retry-After");
      guint64 seconds = 0;
      guint minutes;

      if (retry == NULL || !g_ascii_string_to_unsigned (retry, 10, 0, 24 * 3600, &seconds, NULL))
        seconds = 15 * 60;
      minutes = (guint) MAX (1, (seconds + 59) / 60);

      g_task_return_new_error (task, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_TOO_MANY_ATTEMPTS,
                               g_dngettext (GETTEXT_PACKAGE,
                                            "Too many failed sign-ins. Wait %u minute and try again.",
                                            "Too many failed sign-ins. Wait %u minutes and try again.",
                                            minutes),
                               minutes);
      return;
    }

  if (status != SOUP_STATUS_CREATED && status != SOUP_STATUS_OK)
    {
      g_task_return_error (task, docket_api_status_error (status));
      return;
    }

  root = docket_api_parse_json (body, DOCKET_API_SMALL_JSON_BYTES, &error);
  if (root == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_task_return_error (task, docket_api_protocol_error (_("the sign-in answer is not an object")));
      return;
    }

  object_ = json_node_get_object (root);
  token_node = json_object_get_member (object_, "token");
  if (token_node == NULL || !JSON_NODE_HOLDS_VALUE (token_node) ||
      json_node_get_value_type (token_node) != G_TYPE_STRING ||
      !token_is_sane (json_node_get_string (token_node)))
    {
      g_task_return_error (task, docket_api_protocol_error (_("the sign-in answer has no valid token")));
      return;
    }

  /* The server's spelling of the user name wins, if it is a valid one. */
  user_node = json_object_get_member (object_, "user");
  if (user_node != NULL && JSON_NODE_HOLDS_OBJECT (user_node))
    {
      const char *name = json_object_get_string_member_with_default (json_node_get_object (user_node),
                                                                     "username", NULL);
      if (name != NULL && docket_protocol_username_is_valid (name))
        {
          g_free (sign_in->username);
          sign_in->username = g_strdup (name);
        }
    }

  sign_in->token = g_strdup (json_node_get_string (token_node));
  cancellable = g_task_get_cancellable (task);

  if (!check_account_switch (self, sign_in, &error))
    {
      revoke_token (self, sign_in->server_url, sign_in->token);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  docket_credentials_store_async (docket_store_get_profile_dir (self->store),
                                  sign_in->server_url, sign_in->username, sign_in->token,
                                  cancellable, sign_in_stored_cb, g_steal_pointer (&task));
}

void
docket_sync_sign_in_async (DocketSync          *self,
                           const char          *server_url,
                           const char          *username,
                           const char          *password,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) request = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *normalized = NULL;
  char *json;
  gsize json_len = 0;
  SignIn *sign_in;

  g_return_if_fail (DOCKET_IS_SYNC (self));
  g_return_if_fail (server_url != NULL);
  g_return_if_fail (username != NULL);
  g_return_if_fail (password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, docket_sync_sign_in_async);

  normalized = docket_sync_normalize_server_url (server_url, &error);
  if (normalized == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!docket_protocol_username_is_valid (username))
    {
      g_task_return_new_error (task, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_INVALID_CREDENTIALS,
                               _("The user name or password is wrong."));
      return;
    }

  sign_in = g_new0 (SignIn, 1);
  sign_in->server_url = g_strdup (normalized);
  sign_in->username = g_strdup (username);
  g_task_set_task_data (task, sign_in, (GDestroyNotify) sign_in_free);

  /* A sign-in replaces whatever run was going on for the previous account. */
  if (self->run != NULL)
    docket_sync_stop_automatic (self);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "username");
  json_builder_add_string_value (builder, username);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_end_object (builder);
  request = json_builder_get_root (builder);

  json = json_to_string (request, FALSE);
  json_len = strlen (json);
  body = g_bytes_new_with_free_func (json, json_len, (GDestroyNotify) g_free, json);

  http_call_async (self, normalized, "POST", DOCKET_API_PREFIX "/session", body, FALSE,
                   DOCKET_API_SMALL_JSON_BYTES, cancellable, sign_in_answered_cb,
                   g_steal_pointer (&task));
}

gboolean
docket_sync_sign_in_finish (DocketSync    *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return task_propagate_boolean (self, result, error);
}

/* Sign-out */

typedef struct {
  DocketSignOutFlags flags;
  gboolean           was_automatic;   /* to go on with, when the sign-out is refused */
  GError            *push_error;      /* why changes were not sent, if they were not */
} SignOut;

static void
sign_out_free (SignOut *sign_out)
{
  g_clear_error (&sign_out->push_error);
  g_free (sign_out);
}

static void
sign_out_cleared_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DocketSync *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) store_error = NULL;

  if (result != NULL)
    docket_credentials_clear_finish (result, &error);

  if (!docket_store_clear (self->store, &store_error))
    {
      g_task_return_new_error (task, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_STORE,
                               _("The offline copy could not be cleared: %s"),
                               store_error->message);
      return;
    }

  download_infos_clear (self);

  g_object_freeze_notify (G_OBJECT (self));
  set_account (self, NULL, NULL, FALSE);
  set_error_message (self, NULL);
  set_bytes (self, 0, 0);
  set_state (self, DOCKET_SYNC_STATE_SIGNED_OUT);
  g_object_thaw_notify (G_OBJECT (self));

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
sign_out_revoked_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DocketSync *self = g_task_get_source_object (task);
  g_autoptr(GBytes) body = NULL;
  guint status = 0;

  /* Best effort: offline, the token simply expires on the server. */
  if (result != NULL)
    docket_api_call_finish (result, &status, &body, NULL);

  forget_token (self);

  if (self->server_url != NULL && self->username != NULL)
    docket_credentials_clear_async (docket_store_get_profile_dir (self->store),
                                    self->server_url, self->username, NULL,
                                    sign_out_cleared_cb, g_steal_pointer (&task));
  else
    sign_out_cleared_cb (NULL, NULL, g_steal_pointer (&task));
}

static void
sign_out_revoke (GTask *task)
{
  DocketSync *self = g_task_get_source_object (task);

  if (self->server_url != NULL && self->token != NULL)
    http_call_async (self, self->server_url, "DELETE", DOCKET_API_PREFIX "/session", NULL, TRUE,
                     DOCKET_API_SMALL_JSON_BYTES, NULL, sign_out_revoked_cb, task);
  else
    sign_out_revoked_cb (NULL, NULL, task);
}

/* Not signed out: the official's changes stay, and so does the engine's routine.
 * Returns task's result; the caller keeps its reference. */
static void
sign_out_refuse (GTask *task,
                 guint  unsent)
{
  DocketSync *self = g_task_get_source_object (task);
  SignOut *sign_out = g_task_get_task_data (task);
  g_autofree char *first = NULL;

  first = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                        "Docket did not sign out: %u change to your annotations and notes could not be sent.",
                                        "Docket did not sign out: %u changes to your annotations and notes could not be sent.",
                                        unsent),
                           unsent);

  if (sign_out->was_automatic)
    docket_sync_start_automatic (self);

  if (sign_out->push_error != NULL)
    g_task_return_new_error (task, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_UNSENT,
                             "%s %s", first, sign_out->push_error->message);
  else
    g_task_return_new_error (task, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_UNSENT, "%s", first);
}

static void
sign_out_counted_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  guint unsent = 0;

  if (!docket_store_count_outbox_finish (DOCKET_STORE (object), result, &unsent, NULL, &error))
    {
      /* Not knowing is not a reason to delete them. */
      g_task_return_new_error (task, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_STORE,
                               _("The offline copy could not be read: %s"), error->message);
      return;
    }

  if (unsent > 0)
    {
      sign_out_refuse (task, unsent);
      return;
    }

  sign_out_revoke (g_steal_pointer (&task));
}

static void
sign_out_count_unsent (GTask *task)
{
  DocketSync *self = g_task_get_source_object (task);

  docket_store_count_outbox_async (self->store, NULL, sign_out_counted_cb, task);
}

/* What waits in the outbox goes first, as far as the network allows (docket-outbox.c);
 * whatever did not go keeps the official signed in. */
static void
sign_out_pushed_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  DocketSync *self = g_task_get_source_object (task);
  SignOut *sign_out = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) held = NULL;
  guint n_requests = 0;

  if (!docket_outbox_push_finish (result, &n_requests, &held, &error))
    sign_out->push_error = g_steal_pointer (&error);
  else if (held != NULL)
    sign_out->push_error = g_steal_pointer (&held);
  self->request_count += n_requests;

  sign_out_count_unsent (task);
}

static void
sign_out_push (GTask *task)
{
  DocketSync *self = g_task_get_source_object (task);

  docket_outbox_push_async (self->store, self->session, self->server_url, self->token, NULL,
                            sign_out_pushed_cb, task);
}

static void
sign_out_token_found_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  GTask *task = user_data;
  DocketSync *self = g_task_get_source_object (task);
  SignOut *sign_out = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  char *token = docket_credentials_lookup_finish (result, &error);

  if (token == NULL)
    {
      /* Nothing can be sent without it: what waits is counted, and kept. */
      sign_out->push_error = error != NULL
                             ? g_steal_pointer (&error)
                             : g_error_new_literal (DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_SIGNED_OUT,
                                                    _("Docket has no sign-in for this account any more. "
                                                      "Sign in again."));
      sign_out_count_unsent (task);
      return;
    }

  forget_token (self);
  self->token = token;
  sign_out_push (task);
}

void
docket_sync_sign_out_full_async (DocketSync          *self,
                                 DocketSignOutFlags   flags,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SignOut *sign_out;

  g_return_if_fail (DOCKET_IS_SYNC (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, docket_sync_sign_out_full_async);
  sign_out = g_new0 (SignOut, 1);
  sign_out->flags = flags;
  sign_out->was_automatic = self->automatic;
  g_task_set_task_data (task, sign_out, (GDestroyNotify) sign_out_free);

  docket_sync_stop_automatic (self);

  /* The official chose to lose them: nothing to send, nothing to wait for. */
  if ((flags & DOCKET_SIGN_OUT_DISCARD_UNSENT) != 0 || self->server_url == NULL || self->username == NULL)
    sign_out_revoke (g_steal_pointer (&task));
  else if (self->token != NULL)
    sign_out_push (g_steal_pointer (&task));
  else
    /* Not read yet (offline since start-up): without it nothing could be sent. */
    docket_credentials_lookup_async (docket_store_get_profile_dir (self->store),
                                     self->server_url, self->username, NULL,
                                     sign_out_token_found_cb, g_steal_pointer (&task));
}

void
docket_sync_sign_out_async (DocketSync          *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  docket_sync_sign_out_full_async (self, DOCKET_SIGN_OUT_KEEP_UNSENT, cancellable, callback, user_data);
}

gboolean
docket_sync_sign_out_finish (DocketSync    *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return task_propagate_boolean (self, result, error);
}

/* Downloads the official can see
 *
 * One DownloadInfo per content the engine is busy with or failed to fetch. An entry goes
 * when its content is complete (the store then says it is offline), when it is no longer
 * listed, or at sign-out. */

/* At most this often per content while bytes arrive: a progress bar needs no more. */
#define PROGRESS_INTERVAL_US (100 * 1000)

typedef struct {
  DocketDownloadState  state;
  guint64              bytes_done;
  guint64              bytes_total;
  DocketSyncError      reason;
  char                *message;
  GStrv                meeting_ids;
  gint64               last_progress;   /* monotonic, of the last emission for bytes */
  gint64               retry_after;     /* monotonic: not tried again before, but for Retry */
  guint                failures;        /* in a row, for its back-off */
  DocketDocumentRecord *document;       /* what to download, for Retry */
  guint                progress_source_id; /* a held-back emission of bytes */
} DownloadInfo;

static void
download_info_free (DownloadInfo *info)
{
  g_clear_handle_id (&info->progress_source_id, g_source_remove);
  g_clear_pointer (&info->document, docket_document_record_free);
  g_free (info->message);
  g_strfreev (info->meeting_ids);
  g_free (info);
}

static void
emit_download_changed (DocketSync *self,
                       const char *sha256,
                       GStrv       meeting_ids)
{
  static const char * const none[] = { NULL };

  g_signal_emit (self, signals[DOWNLOAD_CHANGED], 0, sha256,
                 meeting_ids != NULL ? meeting_ids : (GStrv) none);
}

static DownloadInfo *
download_info_ensure (DocketSync *self,
                      const char *sha256)
{
  DownloadInfo *info = g_hash_table_lookup (self->downloads, sha256);

  if (info == NULL)
    {
      info = g_new0 (DownloadInfo, 1);
      g_hash_table_insert (self->downloads, g_strdup (sha256), info);
    }

  return info;
}

static void
download_info_set_state (DocketSync          *self,
                         const char          *sha256,
                         DocketDownloadState  state,
                         guint64              done,
                         guint64              total)
{
  DownloadInfo *info = g_hash_table_lookup (self->downloads, sha256);

  if (info == NULL)
    return;

  if (info->state == state && info->bytes_done == done && info->bytes_total == total)
    return;

  info->state = state;
  info->bytes_done = done;
  info->bytes_total = total;
  if (state != DOCKET_DOWNLOAD_STATE_FAILED)
    g_clear_pointer (&info->message, g_free);
  info->last_progress = g_get_monotonic_time ();
  emit_download_changed (self, sha256, info->meeting_ids);
}

typedef struct {
  DocketSync *self;     /* borrowed: the source goes with the DownloadInfo */
  char       *sha256;
} HeldProgress;

static void
held_progress_free (HeldProgress *held)
{
  g_free (held->sha256);
  g_free (held);
}

static gboolean
held_progress_cb (gpointer user_data)
{
  HeldProgress *held = user_data;
  DownloadInfo *info = g_hash_table_lookup (held->self->downloads, held->sha256);

  if (info != NULL)
    {
      info->progress_source_id = 0;
      info->last_progress = g_get_monotonic_time ();
      emit_download_changed (held->self, held->sha256, info->meeting_ids);
    }

  return G_SOURCE_REMOVE;
}

static void
download_info_progress (DocketSync *self,
                        const char *sha256,
                        guint64     done)
{
  DownloadInfo *info = g_hash_table_lookup (self->downloads, sha256);
  gint64 now = g_get_monotonic_time ();

  if (info == NULL || info->bytes_done == done)
    return;

  info->bytes_done = done;
  if (now - info->last_progress < PROGRESS_INTERVAL_US && done < info->bytes_total)
    {
      /* Held back, not lost: a stalled download still shows what did arrive. */
      if (info->progress_source_id == 0)
        {
          HeldProgress *held = g_new0 (HeldProgress, 1);

          held->self = self;
          held->sha256 = g_strdup (sha256);
          info->progress_source_id =
            g_timeout_add_full (G_PRIORITY_DEFAULT,
                                (guint) ((PROGRESS_INTERVAL_US - (now - info->last_progress)) / 1000) + 1,
                                held_progress_cb, held, (GDestroyNotify) held_progress_free);
        }
      return;
    }

  g_clear_handle_id (&info->progress_source_id, g_source_remove);
  info->last_progress = now;
  emit_download_changed (self, sha256, info->meeting_ids);
}

/* A content that failed for itself (damaged on the way, refused by the server) is not
 * fetched again and again by every run: it waits as the whole run does after a network
 * error, and Retry skips the wait. */
static gboolean
error_is_content_fault (const GError *error)
{
  return g_error_matches (error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_CHECKSUM) ||
         g_error_matches (error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_PROTOCOL);
}

static void
download_info_fail (DocketSync   *self,
                    const char   *sha256,
                    const GError *error)
{
  DownloadInfo *info = g_hash_table_lookup (self->downloads, sha256);

  if (info == NULL)
    return;

  info->state = DOCKET_DOWNLOAD_STATE_FAILED;
  info->reason = error->domain == DOCKET_SYNC_ERROR ? (DocketSyncError) error->code
                                                    : DOCKET_SYNC_ERROR_STORE;
  g_free (info->message);
  info->message = g_strdup (error->message);

  if (error_is_content_fault (error))
    {
      guint64 delay_ms = self->backoff_initial_ms;

      for (guint i = 0; i < info->failures && delay_ms < BACKOFF_MAX_MS; i++)
        delay_ms *= 2;
      delay_ms = MIN (delay_ms, MAX (BACKOFF_MAX_MS, self->backoff_initial_ms));
      info->failures++;
      info->retry_after = g_get_monotonic_time () + (gint64) delay_ms * 1000;
    }

  emit_download_changed (self, sha256, info->meeting_ids);
}

static void
download_info_remove (DocketSync *self,
                      const char *sha256)
{
  g_autofree char *key = NULL;
  DownloadInfo *info = NULL;

  if (!g_hash_table_steal_extended (self->downloads, sha256, (gpointer *) &key, (gpointer *) &info))
    return;

  g_hash_table_remove (self->priority_shas, key);
  emit_download_changed (self, key, info->meeting_ids);
  download_info_free (info);
}

/* Entries of contents waiting in a queue that is gone (a run cancelled or failed before
 * their turn) go; failures stay, so that the official sees why. */
static void
download_infos_drop_waiting (DocketSync *self)
{
  g_autoptr(GPtrArray) waiting = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->downloads);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      DownloadInfo *info = value;

      if (info->state != DOCKET_DOWNLOAD_STATE_FAILED)
        g_ptr_array_add (waiting, g_strdup (key));
    }

  for (guint i = 0; i < waiting->len; i++)
    download_info_remove (self, g_ptr_array_index (waiting, i));
}

static void
download_infos_clear (DocketSync *self)
{
  g_autoptr(GPtrArray) copies = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->downloads);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (copies, g_strdup (key));
  for (guint i = 0; i < copies->len; i++)
    download_info_remove (self, g_ptr_array_index (copies, i));

  g_hash_table_remove_all (self->priority_meetings);
  g_hash_table_remove_all (self->priority_shas);
}

/* The latest request wins: a content's rank is the serial of the latest "first" asked
 * for it or for one of its meetings, 0 when none. */
static guint
content_priority (DocketSync *self,
                  const char *sha256)
{
  DownloadInfo *info = g_hash_table_lookup (self->downloads, sha256);
  guint rank = GPOINTER_TO_UINT (g_hash_table_lookup (self->priority_shas, sha256));

  for (guint i = 0; info != NULL && info->meeting_ids != NULL && info->meeting_ids[i] != NULL; i++)
    rank = MAX (rank, GPOINTER_TO_UINT (g_hash_table_lookup (self->priority_meetings,
                                                             info->meeting_ids[i])));

  return rank;
}

static gint
compare_priority (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  DocketSync *self = user_data;
  const DocketDocumentRecord *document_a = a;
  const DocketDocumentRecord *document_b = b;
  guint rank_a = content_priority (self, document_a->sha256);
  guint rank_b = content_priority (self, document_b->sha256);

  /* Higher first; g_queue_sort is stable, so the rest keep the store's order. */
  return rank_a < rank_b ? 1 : rank_a > rank_b ? -1 : 0;
}

/* A run */

typedef struct _PageWork PageWork;
static void page_work_free (PageWork *work);

struct _Run
{
  DocketSync   *self;            /* owned */
  GPtrArray    *tasks;           /* GTask*: everyone waiting for this run */
  GCancellable *cancellable;
  char         *cursor;
  GQueue        pending;         /* DocketDocumentRecord* to download */
  GPtrArray    *downloads;       /* Download*: under way */
  GError       *error;           /* the first failure */
  gulong        cancelled_id;
  guint64       bytes_done;
  guint64       bytes_total;
  gint64        started_at;      /* monotonic, for the timings in debug output */
  guint         restarted_feed : 1;   /* after 400 invalid_cursor, once */

  /* The change feed's pipeline (see "Pages of changes") */
  GCancellable *feed_cancellable;  /* its requests; cancelled when a page fails */
  GQueue        parsed;            /* DocketChangesPage*: parsed, waiting to be applied */
  char         *fetch_cursor;      /* what the next request asks from; NULL: the beginning */
  PageWork     *received;          /* a page's body waiting for the page before's parse */
  guint         requesting : 1;    /* a page asked for, or the restart under way */
  guint         parsing : 1;       /* a page being parsed */
  guint         applying : 1;      /* a page being applied */
  guint         fetch_more : 1;    /* the last page parsed said more: request the next */
  guint         restart_wanted : 1;  /* 400 invalid_cursor: restart once the rest is applied */
  guint         feed_done : 1;     /* the last page is applied */
  guint         feed_failed : 1;   /* a page failed: the ones after it are thrown away */
  guint         feed_stopped : 1;  /* a request failed: the pages before it still apply */
  guint         listed : 1;      /* the queue of downloads is known */
};

/* Where a run's time goes: G_MESSAGES_DEBUG=all docket --sync-once */
static void
run_debug (Run        *run,
           const char *stage)
{
  g_debug ("sync: %s after %.1f ms", stage,
           (double) (g_get_monotonic_time () - run->started_at) / 1000.0);
}

static void download_cancel (Download *dl);

static void
run_free (Run *run)
{
  g_cancellable_disconnect (run->cancellable, run->cancelled_id);
  g_clear_pointer (&run->tasks, g_ptr_array_unref);
  g_clear_object (&run->cancellable);
  g_clear_pointer (&run->cursor, g_free);
  g_clear_object (&run->feed_cancellable);
  g_clear_pointer (&run->received, page_work_free);
  g_queue_clear_full (&run->parsed, (GDestroyNotify) docket_changes_page_free);
  g_clear_pointer (&run->fetch_cursor, g_free);
  g_queue_clear_full (&run->pending, (GDestroyNotify) docket_document_record_free);
  g_clear_pointer (&run->downloads, g_ptr_array_unref);
  g_clear_error (&run->error);
  g_clear_object (&run->self);
  g_free (run);
}

/* The first failure is the one reported; the others are consequences or repeats. */
static void
run_take_error (Run    *run,
                GError *error)
{
  if (run->error == NULL)
    run->error = error;
  else
    g_error_free (error);
}

static void
run_fail (Run    *run,
          GError *error)
{
  run_take_error (run, error);
  run_finish (run);
}

static gboolean
error_is_network (const GError *error)
{
  return g_error_matches (error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_UNREACHABLE) ||
         g_error_matches (error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_OFFLINE) ||
         g_error_matches (error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_SERVER);
}

static void
credentials_cleared_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  docket_credentials_clear_finish (result, NULL);
}

static void
run_finish (Run *run)
{
  DocketSync *self = run->self;
  g_autoptr(GPtrArray) tasks = g_steal_pointer (&run->tasks);

  g_assert (self->run == run);
  self->run = NULL;
  run_debug (run, run->error == NULL ? "run done" : "run failed");
  download_infos_drop_waiting (self);

  g_object_freeze_notify (G_OBJECT (self));

  if (run->error == NULL)
    {
      g_clear_pointer (&self->last_synced, g_date_time_unref);
      self->last_synced = g_date_time_new_now_utc ();
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SYNCED]);
      set_error_message (self, NULL);
      set_state (self, DOCKET_SYNC_STATE_IDLE);
      self->backoff_ms = 0;
    }
  else if (g_error_matches (run->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      set_state (self, self->signed_in ? DOCKET_SYNC_STATE_IDLE : DOCKET_SYNC_STATE_SIGNED_OUT);
    }
  else if (g_error_matches (run->error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_SIGNED_OUT))
    {
      /* The token is dead: forget it everywhere, keep the account so that the sign-in
       * page can offer it again. */
      if (self->token != NULL && self->server_url != NULL && self->username != NULL)
        docket_credentials_clear_async (docket_store_get_profile_dir (self->store),
                                        self->server_url, self->username, NULL,
                                        credentials_cleared_cb, NULL);
      forget_token (self);
      set_error_message (self, run->error->message);
      set_account (self, self->server_url, self->username, FALSE);
      set_state (self, DOCKET_SYNC_STATE_SIGNED_OUT);
    }
  else if (g_error_matches (run->error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_OFFLINE) ||
           g_error_matches (run->error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_UNREACHABLE))
    {
      /* A server out of reach (a meeting room without Wi-Fi, a laptop on a train) is
       * the ordinary offline case for an official, not a fault: the cache still serves
       * everything and automatic mode retries. The message says which server. */
      set_error_message (self, run->error->message);
      set_state (self, DOCKET_SYNC_STATE_OFFLINE);
    }
  else
    {
      set_error_message (self, run->error->message);
      set_state (self, DOCKET_SYNC_STATE_ERROR);
    }

  g_object_thaw_notify (G_OBJECT (self));

  if (self->automatic)
    {
      if (run->error == NULL)
        schedule_automatic (self, AUTOMATIC_INTERVAL_MS);
      else if (error_is_network (run->error))
        {
          self->backoff_ms = self->backoff_ms == 0
                             ? self->backoff_initial_ms
                             : MIN (self->backoff_ms * 2, MAX (BACKOFF_MAX_MS, self->backoff_initial_ms));
          schedule_automatic (self, self->backoff_ms);
        }
      else if (!g_error_matches (run->error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_SIGNED_OUT) &&
               !g_error_matches (run->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        schedule_automatic (self, AUTOMATIC_INTERVAL_MS);
    }

  for (guint i = 0; i < tasks->len; i++)
    {
      GTask *task = g_ptr_array_index (tasks, i);

      if (run->error != NULL)
        g_task_return_error (task, g_error_copy (run->error));
      else
        g_task_return_boolean (task, TRUE);
    }

  /* Something was asked for too late for this run (an operation saved after it sent
   * the outbox): one more run takes it, unless the official or a sign-in stopped this
   * one. */
  if (self->rerun && self->signed_in &&
      !g_error_matches (run->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      self->rerun = FALSE;
      docket_sync_run_async (self, NULL, automatic_run_cb, NULL);
    }
  self->rerun = FALSE;

  run_free (run);
}

/* Pages of changes
 *
 * The feed is a pipeline: page N+1 is requested as soon as page N's cursor is known (read
 * from the head of its body, peek_next_cursor, or else once page N is parsed, in a
 * worker), while page N is parsed and applied (in another). Pages are parsed and applied
 * one at a time, in the feed's order, each applied in its own transaction with its
 * cursor: page N+1 waits for page N's commit, and when page N fails, page N+1
 * (requested, received or parsed) is thrown away and the run ends with the cursor of
 * page N-1. At most one page at each stage: the network stays ahead of the store, and a
 * slow store does not fill the memory with pages. */

struct _PageWork {
  Run               *run;           /* borrowed: the run holds its pages */
  GBytes            *body;
  char              *since;         /* the cursor it was asked from; NULL: the beginning */
  char              *peeked_cursor; /* read ahead from its body (peek_next_cursor) */
  DocketChangesPage *page;
};

static void
page_work_free (PageWork *work)
{
  g_clear_pointer (&work->body, g_bytes_unref);
  g_clear_pointer (&work->since, g_free);
  g_clear_pointer (&work->peeked_cursor, g_free);
  g_clear_pointer (&work->page, docket_changes_page_free);
  g_free (work);
}

static void feed_pump (Run *run);

/* What page N's failure means for the pages after it: nothing of them is applied, and
 * the run ends once what is under way came back (it holds the run). */
static void
feed_fail (Run    *run,
           GError *error)
{
  run_take_error (run, error);
  run->feed_failed = TRUE;
  run->fetch_more = FALSE;
  run->restart_wanted = FALSE;
  g_queue_clear_full (&run->parsed, (GDestroyNotify) docket_changes_page_free);
  g_clear_pointer (&run->received, page_work_free);
  g_cancellable_cancel (run->feed_cancellable);
  feed_pump (run);
}

/* A request failed (the network, the server's answer): the pages before it are good and
 * are still applied; nothing more is asked for, and the run ends after them, as it would
 * have if the pages had been fetched one after the other. */
static void
feed_stop (Run    *run,
           GError *error)
{
  run_take_error (run, error);
  run->feed_stopped = TRUE;
  run->fetch_more = FALSE;
  run->restart_wanted = FALSE;
  feed_pump (run);
}

/* The strict reader runs here, off the main thread, while the page before is applied. */
static void
parse_page_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  PageWork *work = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(DocketChangesPage) page = NULL;

  root = docket_api_parse_json (work->body, DOCKET_MAX_JSON_RESPONSE_BYTES, &error);
  if (root == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  page = docket_changes_page_from_json (root, &error);
  if (page == NULL)
    {
      g_task_return_error (task, docket_api_protocol_error (error->message));
      return;
    }

  if (page->cursor == NULL || page->changes == NULL ||
      page->changes->len > DOCKET_MAX_CHANGES_PER_PAGE)
    {
      g_task_return_error (task,
                           docket_api_protocol_error (_("a page of changes out of the protocol's limits")));
      return;
    }

  work->page = g_steal_pointer (&page);
  g_task_return_boolean (task, TRUE);
}

static void
apply_page_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  DocketSync *self = source_object;
  DocketChangesPage *page = task_data;
  g_autoptr(GError) error = NULL;

  if (!docket_store_apply_changes (self->store, page, &error))
    {
      if (g_error_matches (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_INVALID))
        g_task_return_error (task, docket_api_protocol_error (error->message));
      else
        g_task_return_new_error (task, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_STORE,
                                 _("The offline copy could not be saved: %s"), error->message);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
page_applied_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Run *run = user_data;
  DocketChangesPage *page = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  run->applying = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      feed_fail (run, error);
      return;
    }

  g_free (run->cursor);
  run->cursor = g_strdup (page->cursor);
  run_debug (run, "page of changes applied");

  if (!page->more)
    run->feed_done = TRUE;
  feed_pump (run);
}

static void
feed_apply_next (Run *run)
{
  g_autoptr(GTask) task = g_task_new (run->self, run->cancellable, page_applied_cb, run);

  run->applying = TRUE;
  g_task_set_source_tag (task, feed_apply_next);
  g_task_set_task_data (task, g_queue_pop_head (&run->parsed),
                        (GDestroyNotify) docket_changes_page_free);
  g_task_run_in_thread (task, apply_page_thread);
}

static void
page_parsed_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Run *run = user_data;
  PageWork *work = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  run->parsing = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      feed_fail (run, error);
      return;
    }
  run_debug (run, "page of changes parsed");

  /* The page before it failed meanwhile: this one must not be applied. */
  if (run->feed_failed)
    {
      feed_pump (run);
      return;
    }

  /* A server that says "more" without moving on would keep us here forever. */
  if (work->page->more && g_strcmp0 (work->page->cursor, work->since) == 0)
    {
      feed_fail (run, docket_api_protocol_error (_("the change feed does not advance")));
      return;
    }

  /* The next page was asked for with what the head of the body said: the page as the
   * strict reader sees it must say the same (only a body with two cursors would not). */
  if (work->peeked_cursor != NULL)
    {
      if (!work->page->more || g_strcmp0 (work->page->cursor, work->peeked_cursor) != 0)
        {
          feed_fail (run, docket_api_protocol_error (_("a page of changes with two cursors")));
          return;
        }
    }
  else
    {
      g_free (run->fetch_cursor);
      run->fetch_cursor = g_strdup (work->page->cursor);
      run->fetch_more = work->page->more;
    }

  g_queue_push_tail (&run->parsed, g_steal_pointer (&work->page));
  feed_pump (run);
}

static void
feed_restarted_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  DocketSync *self = source_object;
  GError *error = NULL;

  if (!docket_store_restart_feed (self->store, &error))
    g_task_return_new_error (task, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_STORE,
                             _("The offline copy could not be saved: %s"), error->message);
  else
    g_task_return_boolean (task, TRUE);

  g_clear_error (&error);
}

static void
feed_restarted_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Run *run = user_data;
  GError *error = NULL;

  run->requesting = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      feed_fail (run, error);
      return;
    }

  g_clear_pointer (&run->cursor, g_free);
  g_clear_pointer (&run->fetch_cursor, g_free);
  run->fetch_more = TRUE;
  feed_pump (run);
}

/* The server cannot continue from our cursor (restored from a backup, another epoch of
 * its history): sync again from the beginning, once the pages before are applied (the
 * store forgets the cursor they write). The cache stays meanwhile (its document files
 * too: most are the same); the full sync's last page removes what the server no longer
 * has (docket_store_apply_changes). */
static void
feed_restart (Run *run)
{
  g_autoptr(GTask) task = g_task_new (run->self, run->cancellable, feed_restarted_cb, run);

  run->restart_wanted = FALSE;
  run->requesting = TRUE;
  g_task_set_source_tag (task, feed_restart);
  g_task_run_in_thread (task, feed_restarted_thread);
}

/* The cursor of a page, read from the head of its body before the strict reader has
 * seen the page, so that the next page can be asked for at once: the server writes
 * {"cursor": "...", "more": true, first. Only that, with a plain string (no escapes),
 * gives a cursor; anything else gives none, and the next page waits for the parse as
 * before. Nothing of the page is applied on the strength of it: page_parsed_cb checks
 * that the parsed page says the same, and fails it otherwise. */
static const char *
peek_skip_space (const char *p,
                 const char *end)
{
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
    p++;
  return p;
}

static gboolean
peek_literal (const char **p,
              const char  *end,
              const char  *literal)
{
  gsize len = strlen (literal);

  *p = peek_skip_space (*p, end);
  if ((gsize) (end - *p) < len || memcmp (*p, literal, len) != 0)
    return FALSE;
  *p += len;
  return TRUE;
}

static char *
peek_next_cursor (GBytes *body)
{
  gsize len = 0;
  const char *p = g_bytes_get_data (body, &len);
  const char *end = p + len;
  const char *start;
  g_autofree char *cursor = NULL;

  if (p == NULL ||
      !peek_literal (&p, end, "{") || !peek_literal (&p, end, "\"cursor\"") ||
      !peek_literal (&p, end, ":") || !peek_literal (&p, end, "\""))
    return NULL;

  for (start = p; p < end && *p != '"'; p++)
    {
      if (*p == '\\' || (guchar) *p < 0x20 || p - start >= DOCKET_MAX_CURSOR_BYTES)
        return NULL;
    }
  if (p == end)
    return NULL;
  cursor = g_strndup (start, p - start);
  p++;

  if (!peek_literal (&p, end, ",") || !peek_literal (&p, end, "\"more\"") ||
      !peek_literal (&p, end, ":") || !peek_literal (&p, end, "true") ||
      !docket_protocol_text_is_valid (cursor, DOCKET_MAX_CURSOR_BYTES))
    return NULL;

  return g_steal_pointer (&cursor);
}

static void
feed_parse_next (Run *run)
{
  g_autoptr(GTask) task = g_task_new (run->self, run->cancellable, page_parsed_cb, run);

  run->parsing = TRUE;
  g_task_set_source_tag (task, feed_parse_next);
  g_task_set_task_data (task, g_steal_pointer (&run->received), (GDestroyNotify) page_work_free);
  g_task_run_in_thread (task, parse_page_thread);
}

static void
changes_answered_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  PageWork *work = user_data;
  Run *run = work->run;
  g_autoptr(GBytes) body = NULL;
  GError *error = NULL;
  guint status = 0;

  run->requesting = FALSE;
  if (docket_api_call_finish (result, &status, &body, &error) == NULL)
    {
      page_work_free (work);
      feed_stop (run, error);
      return;
    }
  run_debug (run, "page of changes received");

  if (run->feed_failed)
    {
      page_work_free (work);
      feed_pump (run);
      return;
    }

  if (status == SOUP_STATUS_BAD_REQUEST && !run->restarted_feed)
    {
      g_autofree char *code = docket_api_error_code_from_body (body);

      if (g_strcmp0 (code, DOCKET_ERR_INVALID_CURSOR) == 0)
        {
          page_work_free (work);
          run->restarted_feed = TRUE;
          run->restart_wanted = TRUE;
          feed_pump (run);
          return;
        }
    }

  if (status != SOUP_STATUS_OK)
    {
      page_work_free (work);
      feed_stop (run, docket_api_status_error (status));
      return;
    }

  work->body = g_steal_pointer (&body);
  work->peeked_cursor = peek_next_cursor (work->body);
  if (work->peeked_cursor != NULL && g_strcmp0 (work->peeked_cursor, work->since) != 0)
    {
      g_free (run->fetch_cursor);
      run->fetch_cursor = g_strdup (work->peeked_cursor);
      run->fetch_more = TRUE;
    }
  else
    g_clear_pointer (&work->peeked_cursor, g_free);   /* the parse says what comes next */

  g_assert (run->received == NULL);
  run->received = work;
  feed_pump (run);
}

static void
feed_fetch (Run *run)
{
  g_autofree char *path = NULL;
  PageWork *work = g_new0 (PageWork, 1);

  run->requesting = TRUE;
  run->fetch_more = FALSE;
  work->run = run;
  work->since = g_strdup (run->fetch_cursor);

  if (run->fetch_cursor != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (run->fetch_cursor, NULL, FALSE);
      path = g_strdup_printf (DOCKET_API_PREFIX "/changes?since=%s&limit=%d",
                              escaped, CHANGES_PAGE_LIMIT);
    }
  else
    path = g_strdup_printf (DOCKET_API_PREFIX "/changes?limit=%d", CHANGES_PAGE_LIMIT);

  http_call_async (run->self, run->self->server_url, "GET", path, NULL, TRUE,
                   DOCKET_MAX_JSON_RESPONSE_BYTES, run->feed_cancellable,
                   changes_answered_cb, work);
}

/* The one place that decides the feed's next step, after every event of it. At most
 * one page of each stage: asked for, received (waiting for the parse before it: pages
 * are parsed in order), parsed (waiting for the apply before it), applied. */
static void
feed_pump (Run *run)
{
  gboolean idle;

  if (run->feed_failed)
    {
      if (!run->requesting && !run->parsing && !run->applying)
        run_finish (run);
      return;
    }

  if (!run->applying && !g_queue_is_empty (&run->parsed))
    feed_apply_next (run);

  if (!run->parsing && run->received != NULL && g_queue_is_empty (&run->parsed))
    feed_parse_next (run);

  if (run->fetch_more && !run->feed_stopped && !run->requesting && run->received == NULL &&
      g_queue_is_empty (&run->parsed))
    feed_fetch (run);

  idle = !run->requesting && !run->parsing && !run->applying &&
         run->received == NULL && g_queue_is_empty (&run->parsed);

  if (run->feed_stopped)
    {
      if (idle)
        run_finish (run);
    }
  else if (run->restart_wanted && idle)
    feed_restart (run);
  else if (run->feed_done && idle)
    {
      run->feed_done = FALSE;
      run_start_downloads (run);
    }
}

static void
run_fetch_page (Run *run)
{
  g_clear_pointer (&run->fetch_cursor, g_free);
  run->fetch_cursor = g_strdup (run->cursor);
  run->fetch_more = TRUE;
  feed_pump (run);
}

/* Read buffers
 *
 * Every downloaded byte passes through a DOWNLOAD_READ_BYTES buffer on its way from the
 * socket to the writer thread. Fresh buffers of that size come from mmap (above
 * malloc's threshold): each costs page faults and zeroed pages, more than the copy
 * itself. Used buffers are kept here, for any thread, and reused. */

static GMutex   read_buffer_lock;
static GSList  *read_buffer_pool;     /* guchar[DOWNLOAD_READ_BYTES] */
static guint    read_buffer_pool_len;

static guchar *
read_buffer_take (void)
{
  guchar *buffer = NULL;

  g_mutex_lock (&read_buffer_lock);
  if (read_buffer_pool != NULL)
    {
      buffer = read_buffer_pool->data;
      read_buffer_pool = g_slist_delete_link (read_buffer_pool, read_buffer_pool);
      read_buffer_pool_len--;
    }
  g_mutex_unlock (&read_buffer_lock);

  return buffer != NULL ? buffer : g_malloc (DOWNLOAD_READ_BYTES);
}

static void
read_buffer_give (gpointer buffer)
{
  g_mutex_lock (&read_buffer_lock);
  if (read_buffer_pool_len < READ_BUFFER_POOL_MAX)
    {
      read_buffer_pool = g_slist_prepend (read_buffer_pool, buffer);
      read_buffer_pool_len++;
      buffer = NULL;
    }
  g_mutex_unlock (&read_buffer_lock);

  g_free (buffer);
}

/* Downloads
 *
 * The main context sends the request and reads the body in large chunks; a writer in a
 * worker thread appends them to the partial file and hashes them. The reader stays at
 * most DOWNLOAD_QUEUE_BYTES ahead of the writer. Once every byte has arrived, the
 * download leaves its network slot to the next one while its writer finishes (hash,
 * rename). */

struct _Download
{
  gatomicrefcount       ref_count;

  /* Set before the writer starts, read-only afterwards */
  Run                  *run;           /* main context only */
  DocketStore          *store;
  DocketDocumentRecord *document;
  char                 *partial_path;
  char                 *blob_path;
  GMainContext         *main_context;
  goffset               offset;        /* bytes of the partial file kept */

  /* Main context only */
  SoupMessage          *message;
  GInputStream         *body;
  guchar               *read_buffer;   /* of the read under way */
  GCancellable         *cancellable;
  goffset               received;
  GError               *reader_error;
  GError               *writer_error;
  guint                 reading : 1;
  guint                 reader_done : 1;
  guint                 writer_started : 1;
  guint                 writer_done : 1;
  guint                 finished : 1;
  guint                 restarted : 1;

  /* Shared with the writer */
  GAsyncQueue          *queue;         /* GBytes*; an empty one ends the stream */
  GMutex                lock;
  gsize                 queued_bytes;
  gboolean              reader_paused;
  gint                  aborted;       /* atomic: the end is not EOF */
  gint                  discard;       /* atomic: delete the partial file at the end */
};

static Download *
download_ref (Download *dl)
{
  g_atomic_ref_count_inc (&dl->ref_count);
  return dl;
}

static void
download_unref (Download *dl)
{
  if (!g_atomic_ref_count_dec (&dl->ref_count))
    return;

  g_clear_object (&dl->store);
  g_clear_pointer (&dl->document, docket_document_record_free);
  g_clear_pointer (&dl->partial_path, g_free);
  g_clear_pointer (&dl->blob_path, g_free);
  g_clear_pointer (&dl->main_context, g_main_context_unref);
  g_clear_object (&dl->message);
  g_clear_object (&dl->body);
  g_clear_pointer (&dl->read_buffer, read_buffer_give);
  g_clear_object (&dl->cancellable);
  g_clear_error (&dl->reader_error);
  g_clear_error (&dl->writer_error);
  g_clear_pointer (&dl->queue, g_async_queue_unref);
  g_mutex_clear (&dl->lock);
  g_free (dl);
}

static void
download_cancel (Download *dl)
{
  g_cancellable_cancel (dl->cancellable);
}

/* Writer thread */

static gboolean
hash_existing_prefix (Download   *dl,
                      DocketSha256 *checksum,
                      GError    **error)
{
  g_autofree guchar *buffer = NULL;
  goffset left = dl->offset;
  int fd;

  if (left == 0)
    return TRUE;

  fd = g_open (dl->partial_path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "%s: %s",
                   dl->partial_path, g_strerror (saved_errno));
      return FALSE;
    }

  buffer = g_malloc (1024 * 1024);
  while (left > 0)
    {
      ssize_t n = read (fd, buffer, (size_t) MIN (left, 1024 * 1024));

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved_errno = errno;
          close (fd);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s",
                       dl->partial_path, n == 0 ? "short file" : g_strerror (saved_errno));
          return FALSE;
        }

      docket_sha256_update (checksum, buffer, (gsize) n);
      left -= n;
    }

  close (fd);
  return TRUE;
}

static gboolean
resume_reading_cb (gpointer user_data);

/* After a chunk is written: let a paused reader go on. */
static void
writer_consumed (Download *dl,
                 gsize     len)
{
  gboolean resume = FALSE;

  g_mutex_lock (&dl->lock);
  dl->queued_bytes -= len;
  if (dl->reader_paused && dl->queued_bytes <= DOWNLOAD_QUEUE_BYTES / 2)
    {
      dl->reader_paused = FALSE;
      resume = TRUE;
    }
  g_mutex_unlock (&dl->lock);

  if (resume)
    g_main_context_invoke_full (dl->main_context, G_PRIORITY_DEFAULT, resume_reading_cb,
                                download_ref (dl), (GDestroyNotify) download_unref);
}

static gboolean
fsync_directory (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  gboolean ok;

  if (fd < 0)
    return FALSE;

  ok = fsync (fd) == 0;
  close (fd);

  return ok;
}

static gboolean
writer_finish_file (Download       *dl,
                    GOutputStream  *out,
                    DocketSha256   *checksum,
                    goffset         total,
                    GError        **error)
{
  g_autofree char *blob_dir = NULL;
  const char *hex;

  if (!g_output_stream_flush (out, NULL, error))
    return FALSE;

  /* No fdatasync: the store records the boot this content was written under, and a
   * content of an earlier boot is re-hashed before it counts again (verify_blobs ()),
   * so a crash of the machine costs a download, not a damaged document. Only where
   * there is no boot id must the bytes be on the disk before the rename. */
  if (docket_store_get_boot_id () == NULL && G_IS_FILE_DESCRIPTOR_BASED (out) &&
      fdatasync (g_file_descriptor_based_get_fd (G_FILE_DESCRIPTOR_BASED (out))) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "fdatasync: %s", g_strerror (saved_errno));
      return FALSE;
    }

  if (!g_output_stream_close (out, NULL, error))
    return FALSE;

  if (total < dl->document->size)
    {
      g_set_error (error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_UNREACHABLE,
                   _("The download of “%s” was cut off. It will go on at the next sync."),
                   dl->document->title);
      return FALSE;
    }

  hex = docket_sha256_get_hex (checksum);
  if (total != dl->document->size || g_strcmp0 (hex, dl->document->sha256) != 0)
    {
      g_unlink (dl->partial_path);
      g_set_error (error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_CHECKSUM,
                   _("The document “%s” arrived damaged (it does not match its checksum) "
                     "and was not kept. It will be downloaded again at the next sync."),
                   dl->document->title);
      return FALSE;
    }

  blob_dir = g_path_get_dirname (dl->blob_path);
  if (g_mkdir_with_parents (blob_dir, 0700) != 0 ||
      g_rename (dl->partial_path, dl->blob_path) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_STORE,
                   _("The document “%s” could not be saved: %s"),
                   dl->document->title, g_strerror (saved_errno));
      return FALSE;
    }

  if (docket_store_get_boot_id () == NULL)
    fsync_directory (dl->blob_path);

  return docket_store_mark_blob_complete (dl->store, dl->document->sha256, error);
}

/* Asks the kernel to start writing what arrived so far, without waiting for it, every
 * few MiB: the disk then works while the network still delivers, dirty pages do not
 * pile up, and a re-hash after a crash rarely finds a content incomplete. */
#define WRITEBACK_STEP (4 * 1024 * 1024)

static void
start_writeback (GOutputStream *out,
                 goffset       *written_back,
                 goffset        total)
{
  if (total - *written_back < WRITEBACK_STEP || !G_IS_FILE_DESCRIPTOR_BASED (out))
    return;
#ifdef SYNC_FILE_RANGE_WRITE
  /* Only a hint: a failure to write shows again at close or at the re-hash. */
  (void) sync_file_range (g_file_descriptor_based_get_fd (G_FILE_DESCRIPTOR_BASED (out)),
                          *written_back, total - *written_back, SYNC_FILE_RANGE_WRITE);
#endif
  *written_back = total;
}

static void
writer_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Download *dl = task_data;
  g_autoptr(DocketSha256) checksum = docket_sha256_new ();
  g_autoptr(GFile) file = g_file_new_for_path (dl->partial_path);
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  goffset total = dl->offset;
  goffset written_back = dl->offset;
  gboolean failed = FALSE;

  if (dl->offset == 0)
    g_unlink (dl->partial_path);

  if (!hash_existing_prefix (dl, checksum, &error) ||
      !(out = g_file_append_to (file, G_FILE_CREATE_PRIVATE, NULL, &error)))
    {
      g_unlink (dl->partial_path);
      failed = TRUE;
    }

  /* On a failure the writer stops at once; download_written_cb then stops the reader,
   * and what is left in the queue goes with the download. */
  while (!failed)
    {
      g_autoptr(GBytes) bytes = g_async_queue_pop (dl->queue);
      gsize len = g_bytes_get_size (bytes);

      if (len == 0)
        break;

      if (total + (goffset) len > dl->document->size)
        {
          g_set_error (&error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_PROTOCOL,
                       _("The server sent more of “%s” than announced. It was not kept."),
                       dl->document->title);
          g_atomic_int_set (&dl->discard, TRUE);
          failed = TRUE;
        }
      else if (!g_output_stream_write_all (G_OUTPUT_STREAM (out),
                                           g_bytes_get_data (bytes, NULL), len,
                                           NULL, NULL, &error))
        failed = TRUE;
      else
        {
          docket_sha256_update (checksum, g_bytes_get_data (bytes, NULL), len);
          total += (goffset) len;
          start_writeback (G_OUTPUT_STREAM (out), &written_back, total);
          writer_consumed (dl, len);
        }
    }

  if (!failed && g_atomic_int_get (&dl->aborted))
    {
      /* Keep what arrived for a resume, unless it is known to be bad. */
      if (out != NULL)
        g_output_stream_close (G_OUTPUT_STREAM (out), NULL, NULL);
      if (g_atomic_int_get (&dl->discard))
        g_unlink (dl->partial_path);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "aborted");
      return;
    }

  if (!failed && !writer_finish_file (dl, G_OUTPUT_STREAM (out), checksum, total, &error))
    failed = TRUE;

  if (failed)
    {
      if (out != NULL && !g_output_stream_is_closed (G_OUTPUT_STREAM (out)))
        g_output_stream_close (G_OUTPUT_STREAM (out), NULL, NULL);
      if (g_atomic_int_get (&dl->discard))
        g_unlink (dl->partial_path);

      if (error->domain == DOCKET_SYNC_ERROR)
        g_task_return_error (task, g_steal_pointer (&error));
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
        g_task_return_new_error (task, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_STORE,
                                 _("The disk is full, so “%s” could not be saved. Free some "
                                   "space, then try again."),
                                 dl->document->title);
      else
        g_task_return_new_error (task, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_STORE,
                                 _("The document “%s” could not be saved: %s"),
                                 dl->document->title, error->message);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/* Main context side */

static void
download_maybe_finish (Download *dl)
{
  Run *run = dl->run;
  GError *error = NULL;

  if (dl->finished || !dl->reader_done || !dl->writer_done)
    return;

  dl->finished = TRUE;

  /* The writer knows best what went wrong with the file; the reader with the network. */
  if (dl->writer_error != NULL &&
      !g_error_matches (dl->writer_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    error = g_steal_pointer (&dl->writer_error);
  else if (dl->reader_error != NULL)
    error = g_steal_pointer (&dl->reader_error);
  else if (dl->writer_error != NULL)
    error = g_steal_pointer (&dl->writer_error);

  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    download_info_fail (run->self, dl->document->sha256, error);
  else
    download_info_remove (run->self, dl->document->sha256);

  if (error != NULL)
    run_take_error (run, error);

  g_ptr_array_remove (run->downloads, dl);   /* drops the run's reference */
  run_pump_downloads (run);
}

/* Ends the reading side, telling the writer how the stream ended. */
static void
download_end_reading (Download *dl,
                      GError   *error)
{
  if (dl->reader_done)
    {
      if (error != NULL)
        g_error_free (error);
      return;
    }

  dl->reader_done = TRUE;

  if (error != NULL)
    {
      if (dl->reader_error == NULL)
        dl->reader_error = error;
      else
        g_error_free (error);
      g_atomic_int_set (&dl->aborted, TRUE);
    }

  if (dl->writer_started && !dl->writer_done)
    g_async_queue_push (dl->queue, g_bytes_new (NULL, 0));

  if (!dl->writer_started)
    dl->writer_done = TRUE;
}

static void download_read_next (Download *dl);

static void
download_read_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Download *dl = user_data;
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;
  gssize n_read;
  gsize len;
  gboolean pause;

  dl->reading = FALSE;

  n_read = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);
  if (n_read > 0)
    {
      guchar *buffer = g_steal_pointer (&dl->read_buffer);

      /* The buffer goes back to the pool when the writer drops the bytes. */
      bytes = g_bytes_new_with_free_func (buffer, (gsize) n_read, read_buffer_give, buffer);
    }
  else
    {
      g_clear_pointer (&dl->read_buffer, read_buffer_give);
      if (n_read == 0)
        bytes = g_bytes_new (NULL, 0);
    }

  if (bytes == NULL || dl->writer_done)
    {
      if (bytes == NULL)
        {
          GError *mapped = docket_api_transport_error (dl->run->self->server_url, error);
          g_error_free (error);
          download_end_reading (dl, mapped);
        }
      else
        download_end_reading (dl, g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED, "writer stopped"));
      download_maybe_finish (dl);
      download_unref (dl);
      return;
    }

  len = g_bytes_get_size (bytes);
  if (len == 0)
    {
      Run *run = dl->run;

      download_end_reading (dl, NULL);
      download_maybe_finish (dl);
      /* Every byte is here: the network slot goes to the next download while the
       * writer finishes. (When the download finished, it pumped already.) */
      if (!dl->finished)
        run_pump_downloads (run);
      download_unref (dl);
      return;
    }

  dl->received += (goffset) len;
  if (dl->offset + dl->received > dl->document->size)
    {
      g_atomic_int_set (&dl->discard, TRUE);
      download_end_reading (dl, g_error_new (DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_PROTOCOL,
                                             _("The server sent more of “%s” than announced. It was not kept."),
                                             dl->document->title));
      download_cancel (dl);
      download_maybe_finish (dl);
      download_unref (dl);
      return;
    }

  dl->run->bytes_done += len;
  set_bytes (dl->run->self, dl->run->bytes_done, dl->run->bytes_total);
  download_info_progress (dl->run->self, dl->document->sha256,
                          (guint64) (dl->offset + dl->received));

  g_mutex_lock (&dl->lock);
  dl->queued_bytes += len;
  pause = dl->queued_bytes > DOWNLOAD_QUEUE_BYTES;
  dl->reader_paused = pause;
  g_mutex_unlock (&dl->lock);

  g_async_queue_push (dl->queue, g_steal_pointer (&bytes));

  if (!pause)
    download_read_next (dl);

  download_unref (dl);
}

static void
download_read_next (Download *dl)
{
  if (dl->reader_done || dl->reading)
    return;

  dl->reading = TRUE;
  dl->read_buffer = read_buffer_take ();
  g_input_stream_read_async (dl->body, dl->read_buffer, DOWNLOAD_READ_BYTES, G_PRIORITY_DEFAULT,
                             dl->cancellable, download_read_cb, download_ref (dl));
}

static gboolean
resume_reading_cb (gpointer user_data)
{
  Download *dl = user_data;

  if (dl->reader_done)
    return G_SOURCE_REMOVE;

  if (dl->writer_done)
    {
      /* The writer gave up: stop reading. */
      if (dl->reading)
        download_cancel (dl);
      else
        {
          download_end_reading (dl, NULL);
          download_maybe_finish (dl);
        }
      return G_SOURCE_REMOVE;
    }

  download_read_next (dl);

  return G_SOURCE_REMOVE;
}

static void
download_written_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Download *dl = user_data;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    dl->writer_error = error;

  dl->writer_done = TRUE;

  if (!dl->reader_done)
    {
      if (dl->reading)
        download_cancel (dl);   /* the read callback ends the reader */
      else
        dl->reader_done = TRUE;
    }

  download_maybe_finish (dl);
  download_unref (dl);
}

static void
download_start_writer (Download *dl)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, download_written_cb, download_ref (dl));

  g_task_set_source_tag (task, download_start_writer);
  g_task_set_task_data (task, download_ref (dl), (GDestroyNotify) download_unref);
  dl->writer_started = TRUE;
  g_task_run_in_thread (task, writer_thread);
}

static void download_send (Download *dl);

static void
download_sent_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Download *dl = user_data;
  SoupMessageHeaders *headers;
  GError *error = NULL;
  goffset length;
  guint status;

  dl->body = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (dl->body == NULL)
    {
      GError *mapped = docket_api_transport_error (dl->run->self->server_url, error);
      g_error_free (error);
      download_end_reading (dl, mapped);
      download_maybe_finish (dl);
      download_unref (dl);
      return;
    }

  status = soup_message_get_status (dl->message);
  headers = soup_message_get_response_headers (dl->message);

  if (status == SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE && !dl->restarted)
    {
      /* Our partial file does not fit the document (it changed?): start over. */
      g_unlink (dl->partial_path);
      dl->offset = 0;
      dl->restarted = TRUE;
      g_clear_object (&dl->body);
      download_send (dl);
      download_unref (dl);
      return;
    }

  if (status == SOUP_STATUS_NOT_FOUND)
    {
      /* Taken away since the page was applied; the next page of changes removes it. */
      download_end_reading (dl, NULL);
      download_maybe_finish (dl);
      download_unref (dl);
      return;
    }

  if (status == SOUP_STATUS_OK)
    {
      dl->offset = 0;   /* the whole document: the writer starts the file again */
    }
  else if (status == SOUP_STATUS_PARTIAL_CONTENT)
    {
      goffset start = -1, end = -1, total = -1;

      if (!soup_message_headers_get_content_range (headers, &start, &end, &total) ||
          start != dl->offset || (total != -1 && total != dl->document->size))
        {
          g_autofree char *detail = g_strdup_printf (_("a wrong range of “%s”"), dl->document->title);
          download_end_reading (dl, docket_api_protocol_error (detail));
          download_maybe_finish (dl);
          download_unref (dl);
          return;
        }
    }
  else if (SOUP_STATUS_IS_REDIRECTION (status))
    {
      /* Not followed (docket_api_new_message): the token stays with our server. */
      download_end_reading (dl, docket_api_redirect_error (dl->message));
      download_maybe_finish (dl);
      download_unref (dl);
      return;
    }
  else
    {
      download_end_reading (dl, docket_api_status_error (status));
      download_maybe_finish (dl);
      download_unref (dl);
      return;
    }

  dl->run->bytes_done += (guint64) dl->offset;
  set_bytes (dl->run->self, dl->run->bytes_done, dl->run->bytes_total);
  download_info_progress (dl->run->self, dl->document->sha256, (guint64) dl->offset);

  length = soup_message_headers_get_content_length (headers);
  if (length > 0 && dl->offset + length > dl->document->size)
    {
      g_atomic_int_set (&dl->discard, TRUE);
      g_unlink (dl->partial_path);
      download_end_reading (dl, g_error_new (DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_PROTOCOL,
                                             _("The server sent more of “%s” than announced. It was not kept."),
                                             dl->document->title));
      download_maybe_finish (dl);
      download_unref (dl);
      return;
    }

  download_start_writer (dl);
  download_read_next (dl);
  download_unref (dl);
}

static void
download_send (Download *dl)
{
  DocketSync *self = dl->run->self;
  g_autofree char *url = NULL;
  g_autofree char *escaped = g_uri_escape_string (dl->document->id, NULL, FALSE);
  SoupMessageHeaders *headers;

  url = g_strdup_printf ("%s" DOCKET_API_PREFIX "/documents/%s/content", self->server_url, escaped);

  g_clear_object (&dl->message);
  dl->message = docket_api_new_message ("GET", url, self->token);
  if (dl->message == NULL)
    {
      download_end_reading (dl, docket_api_protocol_error (_("a document id that is not usable")));
      download_maybe_finish (dl);
      return;
    }

  headers = soup_message_get_request_headers (dl->message);
  if (dl->offset > 0)
    soup_message_headers_set_range (headers, dl->offset, -1);

  self->request_count++;

  soup_session_send_async (self->session, dl->message, G_PRIORITY_DEFAULT, dl->cancellable,
                           download_sent_cb, download_ref (dl));
}

static void
download_start (Run                  *run,
                DocketDocumentRecord *document)
{
  Download *dl = g_new0 (Download, 1);
  GStatBuf st;

  g_atomic_ref_count_init (&dl->ref_count);
  g_mutex_init (&dl->lock);
  dl->run = run;
  dl->store = g_object_ref (run->self->store);
  dl->document = document;
  dl->main_context = g_main_context_ref (run->self->main_context);
  dl->cancellable = g_cancellable_new ();
  dl->queue = g_async_queue_new_full ((GDestroyNotify) g_bytes_unref);
  dl->partial_path = docket_store_dup_partial_path (run->self->store, document->sha256);
  dl->blob_path = docket_store_dup_blob_path (run->self->store, document->sha256);

  g_ptr_array_add (run->downloads, dl);   /* the run's reference */
  /* The bytes of a partial file count once the server agreed to resume from them. */
  download_info_set_state (run->self, document->sha256, DOCKET_DOWNLOAD_STATE_DOWNLOADING,
                           0, (guint64) MAX (document->size, 0));

  if (dl->partial_path == NULL || dl->blob_path == NULL)
    {
      download_end_reading (dl, docket_api_protocol_error (_("a document checksum that is not usable")));
      download_maybe_finish (dl);
      return;
    }

  /* Resume what an earlier run left. */
  if (g_stat (dl->partial_path, &st) == 0 && S_ISREG (st.st_mode))
    {
      if (st.st_size > dl->document->size)
        g_unlink (dl->partial_path);
      else
        dl->offset = st.st_size;
    }

  if (dl->offset == dl->document->size && dl->offset > 0)
    {
      /* Everything is there already: only check it. */
      dl->run->bytes_done += (guint64) dl->offset;
      set_bytes (run->self, run->bytes_done, run->bytes_total);
      download_start_writer (dl);
      download_end_reading (dl, NULL);
      return;
    }

  download_send (dl);
}

/* Downloads still receiving bytes (or waiting for an answer). */
static guint
count_network_downloads (Run *run)
{
  guint n = 0;

  for (guint i = 0; i < run->downloads->len; i++)
    {
      Download *dl = g_ptr_array_index (run->downloads, i);

      if (!dl->reader_done)
        n++;
    }

  return n;
}

static void
run_pump_downloads (Run *run)
{
  if (g_cancellable_is_cancelled (run->cancellable))
    {
      /* Let the downloads under way end; start no more. */
      g_queue_clear_full (&run->pending, (GDestroyNotify) docket_document_record_free);
      if (run->error == NULL)
        run->error = g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The sync was cancelled."));
    }

  while (!g_queue_is_empty (&run->pending) &&
         run->downloads->len < MAX_PARALLEL_DOWNLOADS + MAX_FINISHING_DOWNLOADS &&
         count_network_downloads (run) < MAX_PARALLEL_DOWNLOADS)
    download_start (run, g_queue_pop_head (&run->pending));

  if (run->downloads->len == 0 && g_queue_is_empty (&run->pending))
    run_finish (run);
}

/* One re-hash at a time, whoever asks (start-up, a run): two would read the same files
 * twice, and one could forget a content the other's run has just downloaded again. */
G_LOCK_DEFINE_STATIC (verify);

/* After a reboot: contents written under another boot, without an fdatasync, are
 * hashed again once; a damaged or missing one is forgotten, so that this very run
 * downloads it again. Until then the store does not count them as available (its view
 * verified_blobs), so neither the reader nor the indexer uses them. Returns the number
 * forgotten, or -1 with error. */
static int
verify_blobs_locked (DocketStore   *store,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(GPtrArray) shas = docket_store_list_blobs_to_verify (store, error);
  g_autofree guchar *buffer = NULL;
  int forgotten = 0;

  if (shas == NULL)
    return -1;
  if (shas->len == 0)
    return 0;

  buffer = g_malloc (1024 * 1024);
  for (guint i = 0; i < shas->len && !g_cancellable_is_cancelled (cancellable); i++)
    {
      const char *sha = g_ptr_array_index (shas, i);
      g_autofree char *path = docket_store_dup_blob_path (store, sha);
      g_autoptr(DocketSha256) checksum = docket_sha256_new ();
      gboolean intact = FALSE;
      int fd = path != NULL ? g_open (path, O_RDONLY | O_CLOEXEC, 0) : -1;

      if (fd >= 0)
        {
          ssize_t n;

          while ((n = read (fd, buffer, 1024 * 1024)) != 0)
            {
              if (n < 0 && errno == EINTR)
                continue;
              if (n < 0)
                break;
              docket_sha256_update (checksum, buffer, (gsize) n);
            }
          intact = n == 0 && g_strcmp0 (docket_sha256_get_hex (checksum), sha) == 0;
          close (fd);
        }

      if (intact ? !docket_store_mark_blob_verified (store, sha, error)
                 : !docket_store_forget_blob (store, sha, error))
        return -1;

      if (!intact)
        {
          g_debug ("sync: %s did not survive the reboot; it will be downloaded again", sha);
          forgotten++;
        }
    }

  return forgotten;
}

static int
verify_blobs (DocketStore   *store,
              GCancellable  *cancellable,
              GError       **error)
{
  int forgotten;

  G_LOCK (verify);
  forgotten = verify_blobs_locked (store, cancellable, error);
  G_UNLOCK (verify);

  return forgotten;
}

static void
verify_contents_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  DocketSync *self = source_object;
  GError *error = NULL;
  int forgotten = verify_blobs (self->store, cancellable, &error);

  if (forgotten < 0)
    {
      g_task_return_new_error (task, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_STORE,
                               _("The offline copy could not be read: %s"), error->message);
      g_error_free (error);
      return;
    }

  g_task_return_int (task, forgotten);
}

void
docket_sync_verify_contents_async (DocketSync          *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DOCKET_IS_SYNC (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, docket_sync_verify_contents_async);
  g_task_run_in_thread (task, verify_contents_thread);
}

gboolean
docket_sync_verify_contents_finish (DocketSync    *self,
                                    GAsyncResult  *result,
                                    guint         *out_n_forgotten,
                                    GError       **error)
{
  gssize forgotten;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  forgotten = g_task_propagate_int (G_TASK (result), error);
  if (forgotten < 0)
    return FALSE;
  if (out_n_forgotten != NULL)
    *out_n_forgotten = (guint) forgotten;
  return TRUE;
}

static void
missing_listed_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  DocketSync *self = source_object;
  GError *error = NULL;
  GPtrArray *contents;

  if (verify_blobs (self->store, cancellable, &error) < 0 ||
      (contents = docket_store_list_missing_contents (self->store, &error)) == NULL)
    {
      g_task_return_new_error (task, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_STORE,
                               _("The offline copy could not be read: %s"), error->message);
      g_error_free (error);
      return;
    }

  g_task_return_pointer (task, contents, (GDestroyNotify) g_ptr_array_unref);
}

static void
missing_listed_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Run *run = user_data;
  DocketSync *self = run->self;
  g_autoptr(GPtrArray) contents = NULL;
  g_autoptr(GHashTable) listed = NULL;
  g_autoptr(GPtrArray) gone = NULL;
  GHashTableIter iter;
  gpointer key, value;
  gint64 now = g_get_monotonic_time ();
  GError *error = NULL;

  contents = g_task_propagate_pointer (G_TASK (result), &error);
  if (contents == NULL)
    {
      run_fail (run, error);
      return;
    }

  run_debug (run, "missing documents listed");
  run->bytes_total = 0;
  listed = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < contents->len; i++)
    {
      DocketStoreMissingContent *content = g_ptr_array_index (contents, i);
      DocketDocumentRecord *document = content->document;
      DownloadInfo *info = download_info_ensure (self, document->sha256);

      g_hash_table_add (listed, document->sha256);
      g_strfreev (info->meeting_ids);
      info->meeting_ids = g_strdupv (content->meeting_ids);
      g_clear_pointer (&info->document, docket_document_record_free);
      info->document = docket_document_record_copy (document);

      /* A content that failed for itself waits its back-off (Retry skips it). */
      if (info->state == DOCKET_DOWNLOAD_STATE_FAILED && info->retry_after > now)
        continue;

      run->bytes_total += (guint64) MAX (document->size, 0);
      g_queue_push_tail (&run->pending, docket_document_record_copy (document));
      download_info_set_state (self, document->sha256, DOCKET_DOWNLOAD_STATE_WAITING,
                               0, (guint64) MAX (document->size, 0));
    }

  /* Failures of contents that are no longer missing (taken away, or complete). */
  gone = g_ptr_array_new_with_free_func (g_free);
  g_hash_table_iter_init (&iter, self->downloads);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_hash_table_contains (listed, key))
      g_ptr_array_add (gone, g_strdup (key));
  for (guint i = 0; i < gone->len; i++)
    download_info_remove (self, g_ptr_array_index (gone, i));

  g_queue_sort (&run->pending, compare_priority, self);
  run->listed = TRUE;

  set_bytes (self, 0, run->bytes_total);
  run_pump_downloads (run);
}

static void
run_start_downloads (Run *run)
{
  g_autoptr(GTask) task = g_task_new (run->self, run->cancellable, missing_listed_cb, run);

  g_task_set_source_tag (task, run_start_downloads);
  g_task_run_in_thread (task, missing_listed_thread);
}

static void
run_cancelled_cb (GCancellable *cancellable,
                  gpointer      user_data)
{
  Run *run = user_data;

  /* Runs on the main context: cancellation comes from stop_automatic, sign-in or
   * a caller of docket_sync_run_async on this context. */
  g_cancellable_cancel (run->feed_cancellable);
  for (guint i = 0; i < run->downloads->len; i++)
    download_cancel (g_ptr_array_index (run->downloads, i));
}

/* The official's waiting annotations and notes go first, so that the pull that follows
 * brings the server's state with them in it (docket-outbox.c). */
static void
outbox_pushed_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Run *run = user_data;
  GError *error = NULL;
  GError *held = NULL;
  guint n_requests = 0;
  gboolean ok = docket_outbox_push_finish (result, &n_requests, &held, &error);

  run->self->request_count += n_requests;
  if (!ok && !g_error_matches (error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_PROTOCOL))
    {
      /* What stopped the push (the network, a server in trouble) says more than an
       * operation it held on the way. */
      g_clear_error (&held);
      run_fail (run, error);
      return;
    }
  /* A server that answers an operation wrongly must not also keep the official from
   * what changed: the run goes on and reports it. The operation stays queued, and the
   * feed does not overwrite what it holds. Likewise for operations the server keeps
   * failing on, held while the others went (their failure is reported, and the
   * engine's back-off tries them again). */
  if (!ok)
    run_take_error (run, error);
  if (held != NULL)
    run_take_error (run, held);
  run_fetch_page (run);
}

static void
run_push_outbox (Run *run)
{
  docket_outbox_push_async (run->self->store, run->self->session, run->self->server_url,
                            run->self->token, run->cancellable, outbox_pushed_cb, run);
}

static void
token_found_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Run *run = user_data;
  DocketSync *self = run->self;
  GError *error = NULL;
  char *token;

  token = docket_credentials_lookup_finish (result, &error);
  if (error != NULL)
    {
      run_fail (run, error);
      return;
    }

  if (token == NULL)
    {
      run_fail (run, g_error_new_literal (DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_SIGNED_OUT,
                                          _("Docket has no sign-in for this account any more. "
                                            "Sign in again.")));
      return;
    }

  forget_token (self);
  self->token = token;
  run_debug (run, "token read from the Secret Service");

  run_push_outbox (run);
}

static void
preconnected_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  /* Only a head start: a failure here comes again, reported, with the first request. */
  soup_session_preconnect_finish (SOUP_SESSION (object), result, NULL);
}

static void
preconnect (DocketSync   *self,
            GCancellable *cancellable)
{
  g_autofree char *url = g_strconcat (self->server_url, DOCKET_API_PREFIX "/changes", NULL);
  g_autoptr(SoupMessage) message = docket_api_new_message ("GET", url, NULL);

  if (message != NULL)
    soup_session_preconnect_async (self->session, message, G_PRIORITY_DEFAULT, cancellable,
                                   preconnected_cb, NULL);
}

static void
caller_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

void
docket_sync_run_async (DocketSync          *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Run *run;

  g_return_if_fail (DOCKET_IS_SYNC (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, docket_sync_run_async);

  g_clear_handle_id (&self->automatic_source_id, g_source_remove);

  if (self->run != NULL)
    {
      if (cancellable != NULL)
        g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb),
                               g_object_ref (self->run->cancellable), g_object_unref);
      g_ptr_array_add (self->run->tasks, g_steal_pointer (&task));
      return;
    }

  if (self->server_url == NULL || self->username == NULL)
    {
      g_task_return_new_error (task, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_SIGNED_OUT,
                               _("Docket is not signed in. Sign in first."));
      return;
    }

  if (!server_url_is_loopback (self->server_url) &&
      !g_network_monitor_get_network_available (self->monitor))
    {
      g_autoptr(GError) error = g_error_new_literal (DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_OFFLINE,
                                                     _("This computer is offline. Docket will "
                                                       "sync when the network is back."));
      g_object_freeze_notify (G_OBJECT (self));
      set_error_message (self, error->message);
      set_state (self, DOCKET_SYNC_STATE_OFFLINE);
      g_object_thaw_notify (G_OBJECT (self));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  run = g_new0 (Run, 1);
  run->self = g_object_ref (self);
  run->started_at = g_get_monotonic_time ();
  run->tasks = g_ptr_array_new_with_free_func (g_object_unref);
  run->cancellable = g_cancellable_new ();
  run->downloads = g_ptr_array_new_with_free_func ((GDestroyNotify) download_unref);
  run->cursor = docket_store_dup_cursor (self->store);
  run->feed_cancellable = g_cancellable_new ();
  g_queue_init (&run->parsed);
  g_queue_init (&run->pending);
  g_ptr_array_add (run->tasks, g_steal_pointer (&task));
  self->run = run;

  run->cancelled_id = g_cancellable_connect (run->cancellable, G_CALLBACK (run_cancelled_cb),
                                            run, NULL);
  if (cancellable != NULL)
    g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb),
                           g_object_ref (run->cancellable), g_object_unref);

  g_object_freeze_notify (G_OBJECT (self));
  set_bytes (self, 0, 0);
  set_state (self, DOCKET_SYNC_STATE_SYNCING);
  g_object_thaw_notify (G_OBJECT (self));

  if (self->token == NULL)
    {
      /* Reading the token from the Secret Service takes a few D-Bus round trips: open
       * the connection to the server (proxy look-up, TCP, TLS) meanwhile. */
      preconnect (self, run->cancellable);
      docket_credentials_lookup_async (docket_store_get_profile_dir (self->store),
                                       self->server_url, self->username, run->cancellable,
                                       token_found_cb, run);
    }
  else
    run_push_outbox (run);
}

gboolean
docket_sync_run_finish (DocketSync    *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  return task_propagate_boolean (self, result, error);
}

/* Automatic runs */

static void
automatic_run_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  /* State and error are in the properties; run_finish schedules the next run. */
  docket_sync_run_finish (DOCKET_SYNC (object), result, NULL);
}

static gboolean
automatic_timeout_cb (gpointer user_data)
{
  DocketSync *self = user_data;

  self->automatic_source_id = 0;
  docket_sync_run_async (self, NULL, automatic_run_cb, NULL);

  return G_SOURCE_REMOVE;
}

static void
schedule_automatic (DocketSync *self,
                    guint       milliseconds)
{
  g_clear_handle_id (&self->automatic_source_id, g_source_remove);
  self->automatic_source_id = g_timeout_add (milliseconds, automatic_timeout_cb, self);
  g_debug ("sync: next automatic run in %u ms", milliseconds);
}

static void
network_changed_cb (GNetworkMonitor *monitor,
                    gboolean         available,
                    DocketSync      *self)
{
  if (!self->automatic || self->run != NULL || !self->signed_in)
    return;

  if (available &&
      (self->state == DOCKET_SYNC_STATE_OFFLINE || self->state == DOCKET_SYNC_STATE_ERROR))
    {
      /* The network is back: no need to wait for the back-off. */
      self->backoff_ms = 0;
      docket_sync_run_async (self, NULL, automatic_run_cb, NULL);
    }
  else if (!available && self->server_url != NULL && !server_url_is_loopback (self->server_url))
    set_state (self, DOCKET_SYNC_STATE_OFFLINE);
}

void
docket_sync_start_automatic (DocketSync *self)
{
  g_return_if_fail (DOCKET_IS_SYNC (self));

  if (!self->automatic)
    {
      self->automatic = TRUE;
      self->network_changed_id = g_signal_connect (self->monitor, "network-changed",
                                                   G_CALLBACK (network_changed_cb), self);
    }

  if (self->run == NULL && self->signed_in)
    docket_sync_run_async (self, NULL, automatic_run_cb, NULL);
}

void
docket_sync_queue_push (DocketSync *self)
{
  g_return_if_fail (DOCKET_IS_SYNC (self));

  /* Only an engine that syncs by itself sends by itself: the tests and --sync-once run
   * explicitly, and every run sends the outbox first. */
  if (!self->automatic || !self->signed_in)
    return;

  /* The run under way may have sent its outbox already: one more run after it. */
  if (self->run != NULL)
    {
      self->rerun = TRUE;
      return;
    }

  /* In back-off after a failure, the retry already planned sends it. */
  if (self->backoff_ms > 0)
    return;

  schedule_automatic (self, PUSH_DELAY_MS);
}

void
docket_sync_stop_automatic (DocketSync *self)
{
  g_return_if_fail (DOCKET_IS_SYNC (self));

  self->automatic = FALSE;
  g_clear_signal_handler (&self->network_changed_id, self->monitor);
  g_clear_handle_id (&self->automatic_source_id, g_source_remove);

  if (self->run != NULL)
    g_cancellable_cancel (self->run->cancellable);
}

/* Downloads the official can see */

gboolean
docket_sync_get_download (DocketSync         *self,
                          const char         *sha256,
                          DocketDownloadInfo *info)
{
  DownloadInfo *entry;

  g_return_val_if_fail (DOCKET_IS_SYNC (self), FALSE);
  g_return_val_if_fail (info != NULL, FALSE);

  memset (info, 0, sizeof *info);
  entry = sha256 != NULL ? g_hash_table_lookup (self->downloads, sha256) : NULL;
  if (entry == NULL)
    return FALSE;

  info->state = entry->state;
  info->bytes_done = entry->bytes_done;
  info->bytes_total = entry->bytes_total;
  info->reason = entry->reason;
  info->message = entry->message;

  return TRUE;
}

static gboolean
info_is_for_meeting (DownloadInfo *info,
                     const char   *meeting_id)
{
  return info->meeting_ids != NULL &&
         g_strv_contains ((const char * const *) info->meeting_ids, meeting_id);
}

void
docket_sync_get_meeting_downloads (DocketSync             *self,
                                   const char             *meeting_id,
                                   DocketMeetingDownloads *summary)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (DOCKET_IS_SYNC (self));
  g_return_if_fail (summary != NULL);

  memset (summary, 0, sizeof *summary);
  if (meeting_id == NULL)
    return;

  /* As many entries as contents not yet in the profile: a few dozen at most. */
  g_hash_table_iter_init (&iter, self->downloads);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      DownloadInfo *info = value;

      if (!info_is_for_meeting (info, meeting_id))
        continue;

      switch (info->state)
        {
        case DOCKET_DOWNLOAD_STATE_WAITING:
          summary->n_waiting++;
          break;
        case DOCKET_DOWNLOAD_STATE_DOWNLOADING:
          summary->n_downloading++;
          break;
        case DOCKET_DOWNLOAD_STATE_FAILED:
          summary->n_failed++;
          continue;
        case DOCKET_DOWNLOAD_STATE_NONE:
        default:
          continue;
        }

      summary->bytes_done += info->bytes_done;
      summary->bytes_total += info->bytes_total;
    }
}

/* Puts content at the head of the queue of the run under way, if that run has listed
 * its queue and the content is neither in it nor downloading. */
static gboolean
run_queue_first (Run          *run,
                 DownloadInfo *info)
{
  if (!run->listed || info->document == NULL ||
      info->state == DOCKET_DOWNLOAD_STATE_DOWNLOADING ||
      info->state == DOCKET_DOWNLOAD_STATE_WAITING)
    return FALSE;

  run->bytes_total += (guint64) MAX (info->document->size, 0);
  g_queue_push_head (&run->pending, docket_document_record_copy (info->document));
  return TRUE;
}

/* After a "first" or a Retry: the run under way reorders its queue and takes the
 * failed contents back, or a run starts. */
static void
downloads_requested (DocketSync *self,
                     const char *meeting_id,
                     const char *sha256)
{
  g_autoptr(GPtrArray) queued = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->downloads);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      DownloadInfo *info = value;

      if ((sha256 != NULL && g_str_equal (key, sha256)) ||
          (meeting_id != NULL && info_is_for_meeting (info, meeting_id)))
        {
          info->retry_after = 0;
          if (self->run != NULL && run_queue_first (self->run, info))
            g_ptr_array_add (queued, key);
        }
    }

  if (self->run == NULL)
    {
      if (self->signed_in)
        docket_sync_run_async (self, NULL, automatic_run_cb, NULL);
      return;
    }

  if (!self->run->listed)
    return;   /* its queue will be ordered when it is listed */

  for (guint i = 0; i < queued->len; i++)
    {
      const char *sha = g_ptr_array_index (queued, i);
      DownloadInfo *info = g_hash_table_lookup (self->downloads, sha);

      download_info_set_state (self, sha, DOCKET_DOWNLOAD_STATE_WAITING, 0,
                               (guint64) MAX (info->document->size, 0));
    }

  g_queue_sort (&self->run->pending, compare_priority, self);
  set_bytes (self, self->run->bytes_done, self->run->bytes_total);
  run_pump_downloads (self->run);
}

void
docket_sync_make_available_first (DocketSync *self,
                                  const char *meeting_id)
{
  g_return_if_fail (DOCKET_IS_SYNC (self));
  g_return_if_fail (meeting_id != NULL);

  g_hash_table_insert (self->priority_meetings, g_strdup (meeting_id),
                       GUINT_TO_POINTER (++self->priority_serial));
  downloads_requested (self, meeting_id, NULL);
}

void
docket_sync_retry_download (DocketSync *self,
                            const char *sha256)
{
  g_return_if_fail (DOCKET_IS_SYNC (self));
  g_return_if_fail (sha256 != NULL);

  g_hash_table_insert (self->priority_shas, g_strdup (sha256),
                       GUINT_TO_POINTER (++self->priority_serial));
  downloads_requested (self, NULL, sha256);
}

/* Object */

static void
docket_sync_dispose (GObject *object)
{
  DocketSync *self = (DocketSync *)object;

  /* A run holds a reference on the engine, so none is under way here. */
  g_clear_signal_handler (&self->network_changed_id, self->monitor);
  g_clear_handle_id (&self->automatic_source_id, g_source_remove);

  if (self->session != NULL)
    soup_session_abort (self->session);

  G_OBJECT_CLASS (docket_sync_parent_class)->dispose (object);
}

static void
docket_sync_finalize (GObject *object)
{
  DocketSync *self = (DocketSync *)object;

  forget_token (self);
  g_clear_object (&self->store);
  g_clear_object (&self->session);
  g_clear_pointer (&self->main_context, g_main_context_unref);
  g_clear_pointer (&self->server_url, g_free);
  g_clear_pointer (&self->username, g_free);
  g_clear_pointer (&self->error_message, g_free);
  g_clear_pointer (&self->last_synced, g_date_time_unref);
  g_clear_pointer (&self->downloads, g_hash_table_unref);
  g_clear_pointer (&self->priority_meetings, g_hash_table_unref);
  g_clear_pointer (&self->priority_shas, g_hash_table_unref);

  G_OBJECT_CLASS (docket_sync_parent_class)->finalize (object);
}

static void
docket_sync_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  DocketSync *self = DOCKET_SYNC (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_BYTES_DONE:
      g_value_set_uint64 (value, self->bytes_done);
      break;
    case PROP_BYTES_TOTAL:
      g_value_set_uint64 (value, self->bytes_total);
      break;
    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;
    case PROP_SIGNED_IN:
      g_value_set_boolean (value, self->signed_in);
      break;
    case PROP_USERNAME:
      g_value_set_string (value, self->username);
      break;
    case PROP_SERVER_URL:
      g_value_set_string (value, self->server_url);
      break;
    case PROP_LAST_SYNCED:
      g_value_set_boxed (value, self->last_synced);
      break;
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_BACKOFF_INITIAL_MS:
      g_value_set_uint (value, self->backoff_initial_ms);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_sync_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  DocketSync *self = DOCKET_SYNC (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_BACKOFF_INITIAL_MS:
      docket_sync_set_backoff_initial_ms (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_sync_constructed (GObject *object)
{
  DocketSync *self = (DocketSync *)object;
  g_autofree char *server_url = NULL;
  g_autofree char *username = NULL;
  g_autoptr(GError) error = NULL;

  G_OBJECT_CLASS (docket_sync_parent_class)->constructed (object);

  g_assert (DOCKET_IS_STORE (self->store));

  /* The account is one small row: read now so that the window knows at once whether
   * to show the sign-in page. The token is read lazily, on the first run. */
  if (!docket_store_get_account (self->store, &server_url, &username, &error))
    g_warning ("Cannot read the account of the profile: %s", error->message);

  if (server_url != NULL && username != NULL)
    {
      set_account (self, server_url, username, TRUE);
      self->state = DOCKET_SYNC_STATE_IDLE;
    }

  /* An annotation or a note saved: send it soon. */
  g_signal_connect_object (self->store, "outbox-changed",
                           G_CALLBACK (docket_sync_queue_push), self, G_CONNECT_SWAPPED);
}

static void
docket_sync_class_init (DocketSyncClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = docket_sync_constructed;
  object_class->dispose = docket_sync_dispose;
  object_class->finalize = docket_sync_finalize;
  object_class->get_property = docket_sync_get_property;
  object_class->set_property = docket_sync_set_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       DOCKET_TYPE_SYNC_STATE, DOCKET_SYNC_STATE_SIGNED_OUT,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BYTES_DONE] =
    g_param_spec_uint64 ("bytes-done", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BYTES_TOTAL] =
    g_param_spec_uint64 ("bytes-total", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SIGNED_IN] =
    g_param_spec_boolean ("signed-in", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_USERNAME] =
    g_param_spec_string ("username", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SERVER_URL] =
    g_param_spec_string ("server-url", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_SYNCED] =
    g_param_spec_boxed ("last-synced", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, DOCKET_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_BACKOFF_INITIAL_MS] =
    g_param_spec_uint ("backoff-initial-ms", NULL, NULL,
                       1, BACKOFF_MAX_MS, BACKOFF_FIRST_MS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DocketSync::download-changed:
   * @sha256: the content whose download changed (docket_sync_get_download ())
   * @meeting_ids: the meetings with a document of these bytes
   */
  signals[DOWNLOAD_CHANGED] =
    g_signal_new ("download-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_STRV | G_SIGNAL_TYPE_STATIC_SCOPE);
}

/* DOCKET_SYNC_BACKOFF_MS overrides the first retry delay (tests of the whole
 * application, where no code can set the property). */
static guint
backoff_initial_from_environment (void)
{
  const char *text = g_getenv ("DOCKET_SYNC_BACKOFF_MS");
  guint64 value = 0;

  if (text != NULL &&
      g_ascii_string_to_unsigned (text, 10, 1, BACKOFF_MAX_MS, &value, NULL))
    return (guint) value;

  return BACKOFF_FIRST_MS;
}

static void
docket_sync_init (DocketSync *self)
{
  self->state = DOCKET_SYNC_STATE_SIGNED_OUT;
  self->backoff_initial_ms = backoff_initial_from_environment ();
  self->main_context = g_main_context_ref_thread_default ();
  self->monitor = g_network_monitor_get_default ();
  self->downloads = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) download_info_free);
  self->priority_meetings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->priority_shas = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  /* As many connections to the server as downloads at once (libsoup's default is 2). */
  self->session = soup_session_new_with_options ("max-conns", MAX_PARALLEL_DOWNLOADS * 2,
                                                 "max-conns-per-host", MAX_PARALLEL_DOWNLOADS,
                                                 "timeout", 60,
                                                 "idle-timeout", 60,
                                                 "user-agent", "Docket/" PACKAGE_VERSION,
                                                 NULL);

  /* Document bytes must arrive as they are on the server: the checksum and Range
   * offsets are of those bytes, not of a decoded stream. */
  soup_session_remove_feature_by_type (self->session, SOUP_TYPE_CONTENT_DECODER);
}

DocketSync *
docket_sync_new (DocketStore *store)
{
  g_return_val_if_fail (DOCKET_IS_STORE (store), NULL);

  return g_object_new (DOCKET_TYPE_SYNC, "store", store, NULL);
}

DocketSyncState
docket_sync_get_state (DocketSync *self)
{
  g_return_val_if_fail (DOCKET_IS_SYNC (self), DOCKET_SYNC_STATE_SIGNED_OUT);
  return self->state;
}

guint64
docket_sync_get_bytes_done (DocketSync *self)
{
  g_return_val_if_fail (DOCKET_IS_SYNC (self), 0);
  return self->bytes_done;
}

guint64
docket_sync_get_bytes_total (DocketSync *self)
{
  g_return_val_if_fail (DOCKET_IS_SYNC (self), 0);
  return self->bytes_total;
}

const char *
docket_sync_get_error_message (DocketSync *self)
{
  g_return_val_if_fail (DOCKET_IS_SYNC (self), NULL);
  return self->error_message;
}

gboolean
docket_sync_get_signed_in (DocketSync *self)
{
  g_return_val_if_fail (DOCKET_IS_SYNC (self), FALSE);
  return self->signed_in;
}

const char *
docket_sync_get_username (DocketSync *self)
{
  g_return_val_if_fail (DOCKET_IS_SYNC (self), NULL);
  return self->username;
}

const char *
docket_sync_get_server_url (DocketSync *self)
{
  g_return_val_if_fail (DOCKET_IS_SYNC (self), NULL);
  return self->server_url;
}

GDateTime *
docket_sync_get_last_synced (DocketSync *self)
{
  g_return_val_if_fail (DOCKET_IS_SYNC (self), NULL);
  return self->last_synced;
}

guint
docket_sync_get_request_count (DocketSync *self)
{
  g_return_val_if_fail (DOCKET_IS_SYNC (self), 0);
  return self->request_count;
}

guint
docket_sync_get_backoff_initial_ms (DocketSync *self)
{
  g_return_val_if_fail (DOCKET_IS_SYNC (self), 0);
  return self->backoff_initial_ms;
}

void
docket_sync_set_backoff_initial_ms (DocketSync *self,
                                    guint       milliseconds)
{
  g_return_if_fail (DOCKET_IS_SYNC (self));
  g_return_if_fail (milliseconds >= 1 && milliseconds <= BACKOFF_MAX_MS);

  if (self->backoff_initial_ms == milliseconds)
    return;

  self->backoff_initial_ms = milliseconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BACKOFF_INITIAL_MS]);
}
