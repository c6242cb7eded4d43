/* docket-sync-schedule.c: when the engine runs by itself
 *
 * Automatic mode (docket_sync_start_automatic ()): a run at once, then the next one
 * planned by the run's end (docket-sync.c: every few minutes, or after a back-off), a
 * run as soon as the network is back, a run soon after an annotation or a note is saved
 * (docket_sync_queue_push ()), and the live channel open meanwhile
 * (docket-sync-live-channel.c). Runs and pulls nobody waits for end here: their outcome
 * is in the engine's properties. The engine's state lives in DocketSync
 * (docket-sync-private.h).
 */
#include "config.h"

#include "docket-sync-private.h"

#define PUSH_DELAY_MS 500   /* after a save, so that a burst goes in one run */

static void
automatic_run_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  /* State and error are in the properties; _docket_sync_run_finish schedules the next run. */
  docket_sync_run_finish (DOCKET_SYNC (object), result, NULL);
}

void
_docket_sync_run_in_background (DocketSync *self)
{
  docket_sync_run_async (self, NULL, automatic_run_cb, NULL);
}

static void
pulled_in_background_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* A failure is the next run's to report (a 401 has signed the engine out already);
   * whoever wanted it asks again on the next change. */
  if (!docket_sync_pull_finish (DOCKET_SYNC (object), result, &error))
    g_debug ("sync: a pull in the background failed: %s", error->message);
}

void
_docket_sync_pull_in_background (DocketSync *self)
{
  docket_sync_pull_async (self, NULL, pulled_in_background_cb, NULL);
}

static gboolean
automatic_timeout_cb (gpointer user_data)
{
  DocketSync *self = user_data;

  self->automatic_source_id = 0;
  docket_sync_run_async (self, NULL, automatic_run_cb, NULL);

  return G_SOURCE_REMOVE;
}

void
_docket_sync_schedule_automatic (DocketSync *self,
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
  else if (!available && self->server_url != NULL && !_docket_sync_server_url_is_loopback (self->server_url))
    _docket_sync_set_state (self, DOCKET_SYNC_STATE_OFFLINE);
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

  _docket_sync_live_update (self);
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

  /* The run under way downloads: a pull sends it now, beside the downloads. */
  if (self->run != NULL && self->run->downloading)
    {
      _docket_sync_pull_in_background (self);
      return;
    }

  /* The run under way may have sent its outbox already: one more run after it. */
  if (self->run != NULL)
    {
      self->rerun = TRUE;
      return;
    }

  /* In back-off after a failure, the retry already planned sends it. */
  if (self->backoff_ms > 0)
    return;

  _docket_sync_schedule_automatic (self, PUSH_DELAY_MS);
}

void
docket_sync_stop_automatic (DocketSync *self)
{
  g_return_if_fail (DOCKET_IS_SYNC (self));

  self->automatic = FALSE;
  g_clear_signal_handler (&self->network_changed_id, self->monitor);
  g_clear_handle_id (&self->automatic_source_id, g_source_remove);
  docket_live_stop (self->live);

  _docket_sync_pull_cancel_all (self);
  if (self->run != NULL)
    g_cancellable_cancel (self->run->cancellable);
}
