/* docket-sync.c: the sync engine, from a Docket server into a DocketStore
 *
 * The object, its properties and a run. A run pulls (docket-sync-pull.c: the outbox,
 * then the change feed), then downloads what is missing (DocketDownloader,
 * docket-downloader.c); its end plans the next automatic run (every few minutes, or
 * after a back-off when the network failed). Automatic mode itself is
 * docket-sync-schedule.c: it runs soon after an annotation or a note is saved and keeps
 * the live channel open (DocketLive, docket-live.c, started and stopped in
 * docket-sync-live-channel.c), pulling whenever it says something changed. Signing in
 * and out is docket-sync-account.c.
 *
 * Everything HTTP runs on the main context of the thread that created the engine, with
 * libsoup's async API. What costs CPU or disk runs in worker threads: parsing, checking
 * and applying a page of changes, and, for each download, writing and hashing the bytes.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "docket-api.h"
#include "docket-credentials.h"
#include "docket-outbox.h"
#include "docket-sync-enums.h"
#include "docket-sync-private.h"

#define AUTOMATIC_INTERVAL_MS   (5 * 60 * 1000)
#define BACKOFF_FIRST_MS        (5 * 1000)          /* the default of "backoff-initial-ms" */
#define API_MAX_CONNS_PER_HOST  4                   /* the feed, the outbox, live actions at once */

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
  PROP_LIVE_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  DOWNLOAD_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Properties */

void
_docket_sync_set_state (DocketSync      *self,
                        DocketSyncState  state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

void
_docket_sync_set_error_message (DocketSync *self,
                                const char *message)
{
  if (g_strcmp0 (self->error_message, message) == 0)
    return;

  g_free (self->error_message);
  self->error_message = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
}

void
_docket_sync_set_bytes (DocketSync *self,
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

void
_docket_sync_set_account (DocketSync *self,
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

void
_docket_sync_forget_token (DocketSync *self)
{
  if (self->token != NULL)
    {
      memset (self->token, 0, strlen (self->token));
      g_clear_pointer (&self->token, g_free);
    }
}


/* The end of every operation of the engine that answers TRUE or an error (sign-in,
 * sign-out, run). */
gboolean
_docket_sync_task_propagate_boolean (DocketSync    *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Requests */

/* Every request of the engine counts in "request-count" (the downloader counts those of
 * the downloads). */
void
_docket_sync_http_call_async (DocketSync          *self,
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

/* A run */

/* Where a run's time goes: G_MESSAGES_DEBUG=all docket --sync-once */
static void
run_debug (DocketSyncRun *run,
           const char    *stage)
{
  g_debug ("sync: %s after %.1f ms", stage,
           (double) (g_get_monotonic_time () - run->started_at) / 1000.0);
}

static void
run_free (DocketSyncRun *run)
{
  g_clear_pointer (&run->tasks, g_ptr_array_unref);
  g_clear_object (&run->cancellable);
  g_clear_error (&run->error);
  g_clear_object (&run->self);
  g_free (run);
}

/* The first failure is the one reported; the others are consequences or repeats. */
static void
run_take_error (DocketSyncRun *run,
                GError        *error)
{
  if (run->error == NULL)
    run->error = error;
  else
    g_error_free (error);
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

void
_docket_sync_token_refused (DocketSync *self,
                            const char *message)
{
  /* The token is dead: forget it everywhere, keep the account so that the sign-in
   * page can offer it again. */
  if (self->token != NULL && self->server_url != NULL && self->username != NULL)
    docket_credentials_clear_async (docket_store_get_profile_dir (self->store),
                                    self->server_url, self->username, NULL,
                                    credentials_cleared_cb, NULL);
  _docket_sync_forget_token (self);
  docket_live_stop (self->live);

  g_object_freeze_notify (G_OBJECT (self));
  _docket_sync_set_error_message (self, message);
  _docket_sync_set_account (self, self->server_url, self->username, FALSE);
  _docket_sync_set_state (self, DOCKET_SYNC_STATE_SIGNED_OUT);
  g_object_thaw_notify (G_OBJECT (self));
}

/* Ends the run: its state, its schedule, its callers; frees it. */
static void
run_finish (DocketSyncRun *run)
{
  DocketSync *self = run->self;
  g_autoptr(GPtrArray) tasks = g_steal_pointer (&run->tasks);

  g_assert (self->run == run);
  self->run = NULL;
  run_debug (run, run->error == NULL ? "run done" : "run failed");

  g_object_freeze_notify (G_OBJECT (self));

  if (run->error == NULL)
    {
      g_clear_pointer (&self->last_synced, g_date_time_unref);
      self->last_synced = g_date_time_new_now_utc ();
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SYNCED]);
      _docket_sync_set_error_message (self, NULL);
      _docket_sync_set_state (self, DOCKET_SYNC_STATE_IDLE);
      self->backoff_ms = 0;
    }
  else if (g_error_matches (run->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      _docket_sync_set_state (self, self->signed_in ? DOCKET_SYNC_STATE_IDLE : DOCKET_SYNC_STATE_SIGNED_OUT);
    }
  else if (g_error_matches (run->error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_SIGNED_OUT))
    _docket_sync_token_refused (self, run->error->message);
  else if (g_error_matches (run->error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_OFFLINE) ||
           g_error_matches (run->error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_UNREACHABLE))
    {
      /* A server out of reach (a meeting room without Wi-Fi, a laptop on a train) is
       * the ordinary offline case for an official, not a fault: the cache still serves
       * everything and automatic mode retries. The message says which server. */
      _docket_sync_set_error_message (self, run->error->message);
      _docket_sync_set_state (self, DOCKET_SYNC_STATE_OFFLINE);
    }
  else
    {
      _docket_sync_set_error_message (self, run->error->message);
      _docket_sync_set_state (self, DOCKET_SYNC_STATE_ERROR);
    }

  g_object_thaw_notify (G_OBJECT (self));

  if (self->automatic)
    {
      if (run->error == NULL)
        _docket_sync_schedule_automatic (self, AUTOMATIC_INTERVAL_MS);
      else if (error_is_network (run->error))
        {
          self->backoff_ms = docket_sync_next_backoff_ms (self->backoff_ms, self->backoff_initial_ms);
          _docket_sync_schedule_automatic (self, self->backoff_ms);
        }
      else if (!g_error_matches (run->error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_SIGNED_OUT) &&
               !g_error_matches (run->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _docket_sync_schedule_automatic (self, AUTOMATIC_INTERVAL_MS);
    }

  /* An engine that syncs by itself learns who is signed in when an older Docket's
   * profile does not know; a run of its own stays one request when nothing is new. */
  if (self->automatic && run->error == NULL)
    _docket_sync_refresh_user_if_unknown (self);

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
      _docket_sync_run_in_background (self);
    }
  self->rerun = FALSE;

  run_free (run);
}

/* Downloads: the last stage of a run */

static void
downloads_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  DocketSyncRun *run = user_data;
  GError *error = NULL;

  if (!docket_downloader_run_finish (DOCKET_DOWNLOADER (object), result, &error))
    run_take_error (run, error);
  run_finish (run);
}

void
_docket_sync_run_start_downloads (DocketSyncRun *run)
{
  DocketSync *self = run->self;

  run->downloading = TRUE;
  docket_downloader_run_async (self->downloader, self->server_url, self->token, run->cancellable,
                               downloads_done_cb, run);
}

/* The run's first stage, a pull, is done: the downloads once the feed is applied, even
 * when the outbox reported a failure (the run reports it at its end). */
static void
run_pulled_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  DocketSyncRun *run = user_data;
  GError *error = NULL;
  gboolean feed_complete = FALSE;

  if (!_docket_sync_pull_finish_full (run->self, result, &feed_complete, &error))
    run_take_error (run, error);

  if (feed_complete && !g_cancellable_is_cancelled (run->cancellable))
    _docket_sync_run_start_downloads (run);
  else
    run_finish (run);
}

static void
caller_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

/* A run under way, in the SYNCING state, with nobody waiting for it yet. */
static DocketSyncRun *
run_new (DocketSync *self)
{
  DocketSyncRun *run = g_new0 (DocketSyncRun, 1);

  g_assert (self->run == NULL);

  run->self = g_object_ref (self);
  run->started_at = g_get_monotonic_time ();
  run->tasks = g_ptr_array_new_with_free_func (g_object_unref);
  run->cancellable = g_cancellable_new ();
  self->run = run;

  g_object_freeze_notify (G_OBJECT (self));
  _docket_sync_set_bytes (self, 0, 0);
  _docket_sync_set_state (self, DOCKET_SYNC_STATE_SYNCING);
  g_object_thaw_notify (G_OBJECT (self));

  return run;
}

void
docket_sync_run_async (DocketSync          *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  DocketSyncRun *run;

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

  if (!_docket_sync_server_url_is_loopback (self->server_url) &&
      !g_network_monitor_get_network_available (self->monitor))
    {
      g_autoptr(GError) error = g_error_new_literal (DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_OFFLINE,
                                                     _("This computer is offline. Docket will "
                                                       "sync when the network is back."));
      g_object_freeze_notify (G_OBJECT (self));
      _docket_sync_set_error_message (self, error->message);
      _docket_sync_set_state (self, DOCKET_SYNC_STATE_OFFLINE);
      g_object_thaw_notify (G_OBJECT (self));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  run = run_new (self);
  g_ptr_array_add (run->tasks, g_steal_pointer (&task));
  if (cancellable != NULL)
    g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb),
                           g_object_ref (run->cancellable), g_object_unref);

  /* A pull under way (of the live channel) may have sent its request already: the run
   * waits for the next one, which sends the outbox and reads the feed after now. */
  docket_sync_pull_async (self, run->cancellable, run_pulled_cb, run);
}

gboolean
docket_sync_run_finish (DocketSync    *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  return _docket_sync_task_propagate_boolean (self, result, error);
}

/* A pull found new documents */

void
_docket_sync_downloads_wanted (DocketSync *self)
{
  if (!self->signed_in || self->token == NULL)
    return;

  /* A run before its downloads lists what is missing once they start. */
  if (self->run != NULL)
    {
      if (self->run->downloading)
        docket_downloader_list_again (self->downloader);
      return;
    }

  /* The pull is done: a run that only downloads (its outcome in the properties, like an
   * automatic run's). */
  g_clear_handle_id (&self->automatic_source_id, g_source_remove);
  _docket_sync_run_start_downloads (run_new (self));
}

/* The downloader's signals, forwarded as the engine's own "download-changed", "bytes-done"
 * and "bytes-total" (docket-sync-downloads.c forwards its queries) */

static void
download_changed_cb (DocketDownloader *downloader,
                     const char       *sha256,
                     GStrv             meeting_ids,
                     DocketSync       *self)
{
  g_signal_emit (self, signals[DOWNLOAD_CHANGED], 0, sha256, meeting_ids);
}

static void
download_progress_cb (DocketDownloader *downloader,
                      guint64           done,
                      guint64           total,
                      DocketSync       *self)
{
  _docket_sync_set_bytes (self, done, total);
}

/* Object */

static void
docket_sync_dispose (GObject *object)
{
  DocketSync *self = (DocketSync *)object;

  /* A run holds a reference on the engine, so none is under way here. */
  g_clear_signal_handler (&self->network_changed_id, self->monitor);
  g_clear_handle_id (&self->automatic_source_id, g_source_remove);

  _docket_sync_live_channel_dispose (self);
  if (self->session != NULL)
    soup_session_abort (self->session);
  if (self->download_session != NULL)
    soup_session_abort (self->download_session);

  G_OBJECT_CLASS (docket_sync_parent_class)->dispose (object);
}

static void
docket_sync_finalize (GObject *object)
{
  DocketSync *self = (DocketSync *)object;

  _docket_sync_forget_token (self);
  g_clear_object (&self->store);
  g_clear_object (&self->downloader);
  g_clear_object (&self->live);
  g_clear_object (&self->session);
  g_clear_object (&self->download_session);
  g_clear_pointer (&self->server_url, g_free);
  g_clear_pointer (&self->username, g_free);
  g_clear_pointer (&self->error_message, g_free);
  g_clear_pointer (&self->last_synced, g_date_time_unref);

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
    case PROP_LIVE_STATE:
      g_value_set_enum (value, docket_sync_get_live_state (self));
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

  /* The downloads are the downloader's; the engine's API forwards what it says of them. */
  self->downloader = docket_downloader_new (self->store, self->download_session);
  g_object_bind_property (self, "backoff-initial-ms", self->downloader, "backoff-initial-ms",
                          G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->downloader, "download-changed",
                           G_CALLBACK (download_changed_cb), self, 0);
  g_signal_connect_object (self->downloader, "progress",
                           G_CALLBACK (download_progress_cb), self, 0);

  /* The account is one small row: read now so that the window knows at once whether
   * to show the sign-in page. The token is read lazily, on the first run. */
  if (!docket_store_get_account (self->store, &server_url, &username, &error))
    g_warning ("Cannot read the account of the profile: %s", error->message);

  if (server_url != NULL && username != NULL)
    {
      _docket_sync_set_account (self, server_url, username, TRUE);
      self->state = DOCKET_SYNC_STATE_IDLE;
    }

  /* The live channel, closed until automatic mode opens it. */
  _docket_sync_live_channel_create (self);

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
                       1, DOCKET_SYNC_BACKOFF_MAX_MS, BACKOFF_FIRST_MS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_LIVE_STATE] =
    g_param_spec_enum ("live-state", NULL, NULL,
                       DOCKET_TYPE_LIVE_STATE, DOCKET_LIVE_STATE_OFFLINE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

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

guint
docket_sync_next_backoff_ms (guint current_ms,
                             guint initial_ms)
{
  if (current_ms == 0)
    return initial_ms;
  return (guint) MIN ((guint64) current_ms * 2, MAX (DOCKET_SYNC_BACKOFF_MAX_MS, initial_ms));
}

/* DOCKET_SYNC_BACKOFF_MS overrides the first retry delay (tests of the whole
 * application, where no code can set the property). */
static guint
backoff_initial_from_environment (void)
{
  const char *text = g_getenv ("DOCKET_SYNC_BACKOFF_MS");
  guint64 value = 0;

  if (text != NULL &&
      g_ascii_string_to_unsigned (text, 10, 1, DOCKET_SYNC_BACKOFF_MAX_MS, &value, NULL))
    return (guint) value;

  return BACKOFF_FIRST_MS;
}

/* The API's session and the downloads' differ only in their number of connections:
 * the same TLS checks (the system's), the same timeouts. */
static SoupSession *
new_session (guint max_conns_per_host)
{
  SoupSession *session = soup_session_new_with_options ("max-conns", max_conns_per_host * 2,
                                                        "max-conns-per-host", max_conns_per_host,
                                                        "timeout", 60,
                                                        "idle-timeout", 60,
                                                        "user-agent", "Docket/" PACKAGE_VERSION,
                                                        NULL);

  /* Document bytes must arrive as they are on the server: the checksum and Range
   * offsets are of those bytes, not of a decoded stream. The API reads what it asked
   * for, as it is, too. */
  soup_session_remove_feature_by_type (session, SOUP_TYPE_CONTENT_DECODER);

  return session;
}

static void
docket_sync_init (DocketSync *self)
{
  self->state = DOCKET_SYNC_STATE_SIGNED_OUT;
  self->backoff_initial_ms = backoff_initial_from_environment ();
  self->monitor = g_network_monitor_get_default ();

  /* The downloads' own: as many connections to the server as downloads at once
   * (libsoup's default is 2). */
  self->download_session = new_session (DOCKET_DOWNLOADER_MAX_RECEIVING);
  /* The API's: sign-in, the outbox, the feed's pages (one asked for ahead), the live
   * channel and its actions never wait for a connection a download holds. */
  self->session = new_session (API_MAX_CONNS_PER_HOST);
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

void
_docket_sync_notify_live_state (DocketSync *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIVE_STATE]);
}

DocketLiveState
docket_sync_get_live_state (DocketSync *self)
{
  g_return_val_if_fail (DOCKET_IS_SYNC (self), DOCKET_LIVE_STATE_OFFLINE);

  /* A stopped channel says OFFLINE: not signed in, not in automatic mode. */
  return docket_live_get_state (self->live);
}

guint
docket_sync_get_request_count (DocketSync *self)
{
  g_return_val_if_fail (DOCKET_IS_SYNC (self), 0);
  return self->request_count + docket_downloader_get_request_count (self->downloader);
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
  g_return_if_fail (milliseconds >= 1 && milliseconds <= DOCKET_SYNC_BACKOFF_MAX_MS);

  if (self->backoff_initial_ms == milliseconds)
    return;

  self->backoff_initial_ms = milliseconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BACKOFF_INITIAL_MS]);
}
