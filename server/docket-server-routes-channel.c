/* docket-server-routes-channel.c: GET /api/v1/live, the live channel's WebSocket
 * (docs/protocol.md, "The live channel")
 *
 * The dispatcher has checked the token (401 as JSON, and no upgrade, without a good
 * one); DocketServerLive (docket-server-live.c) checks the handshake and the room left
 * (400, 503 as JSON), answers 101 and takes the connection over once it is written.
 */
#include "config.h"

#include "docket-server-live.h"
#include "docket-server-routes.h"

void
docket_server_handle_live (DocketServerRequest *request)
{
  g_autofree char *token_hash = docket_server_request_token_hash (request->msg);
  g_autoptr(GError) error = NULL;

  if (!docket_server_live_admit (docket_server_get_live (request->server), request->msg,
                                 request->user, token_hash, &error))
    docket_server_reply_gerror (request->msg, error);
}
