/* docket-sync-account.c: signing in and out, and the account of a profile
 *
 * Apart from the run (docket-sync.c): the server's address as the person typed it,
 * POST and DELETE /api/v1/session, the token (checked, kept in the Secret Service
 * through docket-credentials.c, revoked when it is not used), and what an account
 * switch or a sign-out must not lose: the official's changes waiting in the outbox.
 * Who is signed in and what the server can do are in docket-sync-user.c. The engine's
 * state lives in DocketSync (docket-sync-private.h).
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "docket-api.h"
#include "docket-credentials.h"
#include "docket-outbox.h"
#include "docket-sync-private.h"

#define MAX_TOKEN_BYTES 512

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

gboolean
_docket_sync_server_url_is_loopback (const char *server_url)
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

/* Sign-in */

typedef struct {
  char             *server_url;
  char             *username;
  char             *token;
  DocketUserRecord *user;       /* the answer's user, or NULL when it had none that reads */
} SignIn;

static void
sign_in_free (SignIn *sign_in)
{
  g_free (sign_in->server_url);
  g_free (sign_in->username);
  if (sign_in->token != NULL)
    memset (sign_in->token, 0, strlen (sign_in->token));
  g_free (sign_in->token);
  g_clear_pointer (&sign_in->user, docket_user_record_free);
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

/* Another official's meetings must not stay in this profile: a different account
 * clears it (check_account_switch () made sure nothing unsent goes with it). In a worker:
 * clearing removes rows and files. */
static void
account_recorded_thread (GTask        *task,
                         gpointer      source_object,
                         gpointer      task_data,
                         GCancellable *cancellable)
{
  DocketSync *self = source_object;
  SignIn *sign_in = task_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *old_server = NULL;
  g_autofree char *old_username = NULL;

  if (!docket_store_get_account (self->store, &old_server, &old_username, &error))
    {
      g_task_return_new_error (task, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_STORE,
                               _("The offline copy could not be opened: %s"), error->message);
      return;
    }

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

  if (!docket_store_set_account (self->store, sign_in->server_url, sign_in->username, &error) ||
      (sign_in->user != NULL && !docket_store_set_account_user (self->store, sign_in->user, &error)))
    {
      g_task_return_new_error (task, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_STORE,
                               _("The offline copy could not be saved: %s"), error->message);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
account_recorded_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DocketSync *self = g_task_get_source_object (task);
  SignIn *sign_in = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  _docket_sync_forget_token (self);
  self->token = g_steal_pointer (&sign_in->token);
  docket_downloader_clear (self->downloader);

  g_object_freeze_notify (G_OBJECT (self));
  _docket_sync_set_account (self, sign_in->server_url, sign_in->username, TRUE);
  _docket_sync_set_error_message (self, NULL);
  _docket_sync_set_state (self, DOCKET_SYNC_STATE_IDLE);
  g_object_thaw_notify (G_OBJECT (self));

  g_task_return_boolean (task, TRUE);
}

static void
sign_in_stored_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DocketSync *self = g_task_get_source_object (task);
  SignIn *sign_in = g_task_get_task_data (task);
  g_autoptr(GTask) record = NULL;
  g_autoptr(GError) error = NULL;

  if (!docket_credentials_store_finish (result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  record = g_task_new (self, NULL, account_recorded_cb, g_steal_pointer (&task));
  g_task_set_source_tag (record, account_recorded_thread);
  /* The sign-in's data, which outlives this task: the sign-in holds it. */
  g_task_set_task_data (record, sign_in, NULL);
  g_task_run_in_thread (record, account_recorded_thread);
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
 * window, signing out asks first; `docket --sign-in` has no one to ask). Runs in a
 * worker (account_switch_checked_thread). */
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

/* The store is read off the main thread: the UI thread never waits on the disk. */
static void
account_switch_checked_thread (GTask        *task,
                               gpointer      source_object,
                               gpointer      task_data,
                               GCancellable *cancellable)
{
  GError *error = NULL;

  if (!check_account_switch (source_object, task_data, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
account_switch_checked_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DocketSync *self = g_task_get_source_object (task);
  SignIn *sign_in = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      revoke_token (self, sign_in->server_url, sign_in->token);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  docket_credentials_store_async (docket_store_get_profile_dir (self->store),
                                  sign_in->server_url, sign_in->username, sign_in->token,
                                  cancellable, sign_in_stored_cb, g_steal_pointer (&task));
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
  g_autoptr(GTask) check = NULL;
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
      g_autoptr(GError) user_error = NULL;
      const char *name = json_object_get_string_member_with_default (json_node_get_object (user_node),
                                                                     "username", NULL);
      if (name != NULL && docket_protocol_username_is_valid (name))
        {
          g_free (sign_in->username);
          sign_in->username = g_strdup (name);
        }

      /* Who signed in, kept for the live meeting (their role in it). A user that does not
       * read is no reason to refuse the sign-in: the next refresh asks again. */
      sign_in->user = docket_user_record_from_json (user_node, &user_error);
      if (sign_in->user == NULL)
        g_debug ("sync: the sign-in answer's user was not kept: %s", user_error->message);
      else if (g_strcmp0 (sign_in->user->username, sign_in->username) != 0)
        g_clear_pointer (&sign_in->user, docket_user_record_free);
    }

  sign_in->token = g_strdup (json_node_get_string (token_node));

  check = g_task_new (self, NULL, account_switch_checked_cb, g_steal_pointer (&task));
  g_task_set_source_tag (check, account_switch_checked_thread);
  /* The sign-in's data, which outlives this task: the sign-in holds it. */
  g_task_set_task_data (check, sign_in, NULL);
  g_task_run_in_thread (check, account_switch_checked_thread);
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

  /* A sign-in replaces whatever run or pull was going on for the previous account. */
  if (self->run != NULL || self->pull != NULL)
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

  _docket_sync_http_call_async (self, normalized, "POST", DOCKET_API_PREFIX "/session", body, FALSE,
                                DOCKET_API_SMALL_JSON_BYTES, cancellable, sign_in_answered_cb,
                                g_steal_pointer (&task));
}

gboolean
docket_sync_sign_in_finish (DocketSync    *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return _docket_sync_task_propagate_boolean (self, result, error);
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

  docket_downloader_clear (self->downloader);

  g_object_freeze_notify (G_OBJECT (self));
  _docket_sync_set_account (self, NULL, NULL, FALSE);
  _docket_sync_set_error_message (self, NULL);
  _docket_sync_set_bytes (self, 0, 0);
  _docket_sync_set_state (self, DOCKET_SYNC_STATE_SIGNED_OUT);
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

  _docket_sync_forget_token (self);

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
    _docket_sync_http_call_async (self, self->server_url, "DELETE", DOCKET_API_PREFIX "/session",
                                  NULL, TRUE, DOCKET_API_SMALL_JSON_BYTES, NULL,
                                  sign_out_revoked_cb, task);
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

  _docket_sync_forget_token (self);
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
  return _docket_sync_task_propagate_boolean (self, result, error);
}
