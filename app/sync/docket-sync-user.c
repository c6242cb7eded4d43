/* docket-sync-user.c: who is signed in, and what the server can do
 *
 * Apart from signing in and out (docket-sync-account.c): GET /api/v1/session for a
 * profile that knows only the user's name, GET /api/v1/info for the server's
 * capabilities (docket_sync_refresh_account_async ()), and the capabilities the live
 * channel read at its connection. The engine's state lives in DocketSync
 * (docket-sync-private.h).
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "docket-api.h"
#include "docket-credentials.h"
#include "docket-sync-private.h"

/* Who is signed in, and what the server can do: GET /api/v1/info and GET
 * /api/v1/session side by side, both kept in the store (in a worker: the UI thread never
 * writes to the disk). The live channel reads the info at each connection, and hands its
 * capabilities here too (_docket_sync_capabilities_read). */

/* How long a profile that does not know its user waits before it asks again. */
#define USER_REFRESH_SECONDS (60 * 60)
/* At most this many capabilities are read from an answer. */
#define MAX_CAPABILITIES 256

typedef struct {
  guint             pending;        /* answers still awaited */
  GStrv             capabilities;   /* read from /info, or NULL */
  DocketUserRecord *user;           /* read from /session, or NULL */
  GError           *error;          /* the first failure */
} Refresh;

static void
refresh_free (Refresh *refresh)
{
  g_clear_pointer (&refresh->capabilities, g_strfreev);
  g_clear_pointer (&refresh->user, docket_user_record_free);
  g_clear_error (&refresh->error);
  g_free (refresh);
}

static void
refresh_take_error (Refresh *refresh,
                    GError  *error)
{
  if (refresh->error == NULL)
    refresh->error = error;
  else
    g_error_free (error);
}

/* The "capabilities" of an info answer: a list of words; what is not a string in it is
 * skipped (a later protocol may say more), a list that is not one refuses the answer. */
static GStrv
capabilities_from_info (JsonNode  *root,
                        GError   **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonNode *member;
  JsonArray *array;

  if (!JSON_NODE_HOLDS_OBJECT (root) ||
      (member = json_object_get_member (json_node_get_object (root), "capabilities")) == NULL ||
      !JSON_NODE_HOLDS_ARRAY (member) ||
      json_array_get_length (array = json_node_get_array (member)) > MAX_CAPABILITIES)
    {
      g_propagate_error (error, docket_api_protocol_error (_("the server's information has no list of capabilities")));
      return NULL;
    }

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *word = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (word) && json_node_get_value_type (word) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (word));
    }

  return g_strv_builder_end (builder);
}

static void
refresh_saved_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  DocketSync *self = source_object;
  Refresh *refresh = task_data;
  g_autoptr(GError) error = NULL;

  if ((refresh->capabilities != NULL &&
       !docket_store_set_capabilities (self->store, (const char * const *) refresh->capabilities, &error)) ||
      (refresh->user != NULL && !docket_store_set_account_user (self->store, refresh->user, &error)))
    {
      g_task_return_new_error (task, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_STORE,
                               _("The offline copy could not be saved: %s"), error->message);
      return;
    }

  if (refresh->error != NULL)
    g_task_return_error (task, g_steal_pointer (&refresh->error));
  else
    g_task_return_boolean (task, TRUE);
}

/* One answer more: once all are in, what came is saved. */
static void
refresh_answer_done (GTask *task)
{
  Refresh *refresh = g_task_get_task_data (task);

  if (--refresh->pending == 0)
    g_task_run_in_thread (task, refresh_saved_thread);
  g_object_unref (task);
}

/* The JSON of a 200 answer, or NULL with refresh's error set. */
static JsonNode *
refresh_read_answer (GTask        *task,
                     GAsyncResult *result)
{
  Refresh *refresh = g_task_get_task_data (task);
  g_autoptr(GBytes) body = NULL;
  GError *error = NULL;
  guint status = 0;
  JsonNode *root;

  if (docket_api_call_finish (result, &status, &body, &error) == NULL)
    {
      refresh_take_error (refresh, error);
      return NULL;
    }

  if (status != SOUP_STATUS_OK)
    {
      refresh_take_error (refresh, docket_api_status_error (status));
      return NULL;
    }

  root = docket_api_parse_json (body, DOCKET_API_SMALL_JSON_BYTES, &error);
  if (root == NULL)
    refresh_take_error (refresh, error);
  return root;
}

static void
refresh_info_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  Refresh *refresh = g_task_get_task_data (task);
  g_autoptr(JsonNode) root = refresh_read_answer (task, result);
  GError *error = NULL;

  if (root != NULL)
    {
      refresh->capabilities = capabilities_from_info (root, &error);
      if (refresh->capabilities == NULL)
        refresh_take_error (refresh, error);
    }
  refresh_answer_done (task);
}

static void
refresh_session_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  DocketSync *self = g_task_get_source_object (task);
  Refresh *refresh = g_task_get_task_data (task);
  g_autoptr(JsonNode) root = refresh_read_answer (task, result);
  g_autoptr(GError) error = NULL;

  if (root != NULL)
    {
      refresh->user = docket_user_record_from_json (root, &error);
      if (refresh->user == NULL)
        refresh_take_error (refresh, docket_api_protocol_error (error->message));
      /* Another user than the account's would be a server's mistake: not kept. */
      else if (g_strcmp0 (refresh->user->username, self->username) != 0)
        {
          g_clear_pointer (&refresh->user, docket_user_record_free);
          refresh_take_error (refresh, docket_api_protocol_error (_("the session is another user's")));
        }
    }
  refresh_answer_done (task);
}

/* Asks for the user, and for the info too when with_info (the source tag's data). */
static void
refresh_send (GTask *task)
{
  DocketSync *self = g_task_get_source_object (task);
  Refresh *refresh = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  gboolean with_info = g_task_get_source_tag (task) == docket_sync_refresh_account_async;

  refresh->pending = with_info ? 2 : 1;
  self->user_refreshed_at = g_get_monotonic_time ();
  if (with_info)
    _docket_sync_http_call_async (self, self->server_url, "GET", DOCKET_API_PREFIX "/info", NULL, FALSE,
                                  DOCKET_API_SMALL_JSON_BYTES, cancellable, refresh_info_cb,
                                  g_object_ref (task));
  _docket_sync_http_call_async (self, self->server_url, "GET", DOCKET_API_PREFIX "/session", NULL, TRUE,
                                DOCKET_API_SMALL_JSON_BYTES, cancellable, refresh_session_cb, task);
}

static void
refresh_token_found_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DocketSync *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  char *token = docket_credentials_lookup_finish (result, &error);

  if (token == NULL)
    {
      if (error == NULL)
        error = g_error_new_literal (DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_SIGNED_OUT,
                                     _("Docket has no sign-in for this account any more. "
                                       "Sign in again."));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* A run may have read it meanwhile, and lent it to its downloads: keep that one. */
  if (self->token == NULL)
    self->token = token;
  else
    {
      memset (token, 0, strlen (token));
      g_free (token);
    }

  refresh_send (g_steal_pointer (&task));
}

/* source_tag: docket_sync_refresh_account_async (the user and the info) or
 * _docket_sync_refresh_user_if_unknown (the user alone). */
static void
refresh_start (DocketSync          *self,
               gpointer             source_tag,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, g_new0 (Refresh, 1), (GDestroyNotify) refresh_free);

  if (self->server_url == NULL || self->username == NULL || !self->signed_in)
    {
      g_task_return_new_error (task, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_SIGNED_OUT,
                               _("Docket is not signed in. Sign in first."));
      return;
    }

  if (self->token != NULL)
    refresh_send (g_steal_pointer (&task));
  else
    docket_credentials_lookup_async (docket_store_get_profile_dir (self->store),
                                     self->server_url, self->username, cancellable,
                                     refresh_token_found_cb, g_steal_pointer (&task));
}

void
docket_sync_refresh_account_async (DocketSync          *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (DOCKET_IS_SYNC (self));

  refresh_start (self, docket_sync_refresh_account_async, cancellable, callback, user_data);
}

gboolean
docket_sync_refresh_account_finish (DocketSync    *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == docket_sync_refresh_account_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
user_refreshed_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* Not worth interrupting anyone: the user stays as the store knows it (their name),
   * and a run asks again, not before an hour. */
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_debug ("sync: who is signed in was not read again: %s", error->message);
}

void
_docket_sync_refresh_user_if_unknown (DocketSync *self)
{
  g_autoptr(DocketUserRecord) user = docket_store_dup_account_user (self->store);

  /* The sign-in answer told us; only a profile of an older Docket has the name alone. */
  if (user != NULL && user->role != DOCKET_ROLE_UNKNOWN)
    return;
  if (self->user_refreshed_at != 0 &&
      g_get_monotonic_time () - self->user_refreshed_at < (gint64) USER_REFRESH_SECONDS * G_USEC_PER_SEC)
    return;

  refresh_start (self, _docket_sync_refresh_user_if_unknown, NULL, user_refreshed_cb, NULL);
}

static void
capabilities_saved_thread (GTask        *task,
                           gpointer      source_object,
                           gpointer      task_data,
                           GCancellable *cancellable)
{
  DocketSync *self = source_object;
  g_autoptr(GError) error = NULL;

  if (!docket_store_set_capabilities (self->store, task_data, &error))
    g_warning ("The server's capabilities could not be kept: %s", error->message);
  g_task_return_boolean (task, TRUE);
}

void
_docket_sync_capabilities_read (DocketSync *self,
                                GStrv       capabilities)
{
  g_autoptr(GTask) task = NULL;
  g_auto(GStrv) known = docket_store_dup_capabilities (self->store);

  /* The same again (every reconnection reads them): nothing to write. */
  if (g_strv_equal ((const char * const *) known, (const char * const *) capabilities) &&
      docket_store_get_server_info_time (self->store) != 0)
    return;

  task = g_task_new (self, NULL, NULL, NULL);
  g_task_set_source_tag (task, _docket_sync_capabilities_read);
  g_task_set_task_data (task, g_strdupv (capabilities), (GDestroyNotify) g_strfreev);
  g_task_run_in_thread (task, capabilities_saved_thread);
}
