/* docket-sync-live-channel.c: the engine's side of the live channel
 *
 * DocketLive (docket-live.c) holds the WebSocket; the engine owns it and decides when it
 * is open: in automatic mode, signed in, with the token read. What the channel says
 * becomes the engine's: "pull-wanted" a pull (a whole run after being offline),
 * "token-refused" a sign-out like a 401 of the feed, its state the engine's "live-state",
 * the capabilities it read the store's (docket-sync-user.c). The engine's state lives in
 * DocketSync (docket-sync-private.h).
 */
#include "config.h"

#include <libsoup/soup.h>

#include "docket-api.h"
#include "docket-sync-private.h"

/* In automatic mode, signed in, with the token read (the first pull reads it): the
 * channel is open with this account's token, else closed. */
void
_docket_sync_live_update (DocketSync *self)
{
  if (self->automatic && self->signed_in && self->token != NULL && self->server_url != NULL)
    docket_live_start (self->live, self->server_url, self->token);
  else
    docket_live_stop (self->live);
}

static void
live_pull_wanted_cb (DocketLive *live,
                     gboolean    connected,
                     DocketSync *self)
{
  /* Connected again after the server or the network was away: a whole run, which
   * clears the offline state and downloads what came meanwhile. */
  if (connected && self->run == NULL &&
      (self->state == DOCKET_SYNC_STATE_OFFLINE || self->state == DOCKET_SYNC_STATE_ERROR))
    {
      self->backoff_ms = 0;
      _docket_sync_run_in_background (self);
      return;
    }

  _docket_sync_pull_in_background (self);
}

static void
live_token_refused_cb (DocketLive *live,
                       DocketSync *self)
{
  g_autoptr(GError) error = docket_api_status_error (SOUP_STATUS_UNAUTHORIZED);

  /* Like a 401 of the feed: whatever is under way stops, the official signs in again. */
  _docket_sync_pull_cancel_all (self);
  if (self->run != NULL)
    g_cancellable_cancel (self->run->cancellable);
  g_clear_handle_id (&self->automatic_source_id, g_source_remove);
  _docket_sync_token_refused (self, error->message);
}

static void
live_state_changed_cb (DocketLive *live,
                       GParamSpec *pspec,
                       DocketSync *self)
{
  _docket_sync_notify_live_state (self);
}

void
_docket_sync_live_channel_create (DocketSync *self)
{
  g_assert (self->live == NULL);

  /* On the API's session: the same TLS checks. */
  self->live = docket_live_new (self->session);
  g_signal_connect (self->live, "pull-wanted", G_CALLBACK (live_pull_wanted_cb), self);
  g_signal_connect (self->live, "token-refused", G_CALLBACK (live_token_refused_cb), self);
  g_signal_connect (self->live, "notify::state", G_CALLBACK (live_state_changed_cb), self);
  g_signal_connect_swapped (self->live, "capabilities", G_CALLBACK (_docket_sync_capabilities_read), self);
}

void
_docket_sync_live_channel_dispose (DocketSync *self)
{
  /* Disposed before constructed ran: there is no channel yet. */
  if (self->live == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->live, self);
  docket_live_stop (self->live);
}
