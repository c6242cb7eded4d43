/* docket-live.h: the live channel, a WebSocket that says when to pull
 *
 * Internal to app/sync: DocketSync owns one (docs/protocol.md, "The live channel"). It
 * reads GET /api/v1/info, and when the server lists "live", keeps a WebSocket to
 * /api/v1/live open with the engine's token: pings every heartbeat, closes a
 * connection that has been silent for three, and reconnects with back-off and jitter,
 * at once when the network comes back. It carries no data: on "hello" and on "changed"
 * it asks the engine to pull ("pull-wanted"); a close with code 4401 (or a 401 to the
 * upgrade) means the token is no longer good ("token-refused"), and it stops.
 *
 * Properties: "state" (DocketLiveState, docket-sync.h), OFFLINE while stopped.
 * Signals, on the main context:
 *   "pull-wanted" (gboolean connected): a "hello" (TRUE: the channel has just opened,
 *                 catch up) or a "changed" (FALSE)
 *   "token-refused": the server ended the session; the channel has stopped
 *   "capabilities" (GStrv): what GET /api/v1/info listed, at each attempt
 */
#pragma once

#include <libsoup/soup.h>

#include "docket-sync.h"

G_BEGIN_DECLS

/* The close code the server sends when the token expired, was revoked, or its user was
 * disabled. */
#define DOCKET_LIVE_CLOSE_TOKEN_REFUSED 4401

#define DOCKET_TYPE_LIVE (docket_live_get_type ())
G_DECLARE_FINAL_TYPE (DocketLive, docket_live, DOCKET, LIVE, GObject)

/* session: the engine's API session, so that TLS is verified the same way. */
DocketLive      *docket_live_new       (SoupSession *session);

/* Connects to server_url's live channel with token, and keeps connecting until
 * docket_live_stop () or a refused token. Again with the same server and token: does
 * nothing; with others: starts over. */
void             docket_live_start     (DocketLive *self,
                                        const char *server_url,
                                        const char *token);
/* Closes the channel and stops reconnecting: state OFFLINE. */
void             docket_live_stop      (DocketLive *self);

DocketLiveState  docket_live_get_state (DocketLive *self);

G_END_DECLS
