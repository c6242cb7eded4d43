/* docket-server-private.h: what the route files of DocketServer share
 *
 * The server's parts that handlers use (its database, blob store, pools of workers,
 * limits), and the ways of answering (docket-server-reply.c).
 */
#pragma once

#include <json-glib/json-glib.h>

#include "docket-server.h"
#include "docket-server-live.h"
#include "docket-server-rate-limiter.h"
#include "docket-server-workers.h"

G_BEGIN_DECLS

DocketServerDb    *docket_server_get_db               (DocketServer *self);
DocketServerBlobs *docket_server_get_blobs            (DocketServer *self);
gint64             docket_server_get_max_upload_bytes (DocketServer *self);
gint64             docket_server_get_token_ttl        (DocketServer *self);

/* One of the DOCKET_SERVER_MAX_CONCURRENT_UPLOADS slots, or DOCKET_SERVER_ERROR_BUSY when
 * all are taken; released when that upload's message is finished. */
gboolean           docket_server_take_upload_slot     (DocketServer  *self,
                                                       GError       **error);
void               docket_server_release_upload_slot  (DocketServer  *self);
guint              docket_server_get_upload_timeout   (DocketServer  *self);

/* Sign-in (docket-server-routes-auth.c): its pool of password checks, its two limiters
 * of failures ("ADDRESS\nUSERNAME", "ADDRESS"), and the trusted reverse proxies
 * (GInetAddress). */
DocketServerWorkers     *docket_server_get_password_workers (DocketServer *self);
DocketServerRateLimiter *docket_server_get_pair_limiter     (DocketServer *self);
DocketServerRateLimiter *docket_server_get_address_limiter  (DocketServer *self);
GPtrArray               *docket_server_get_trusted_proxies  (DocketServer *self);

/* The change feed (docket-server-routes-feed.c): its pool, its idle read connections
 * (DocketServerDb) and its testing delay. */
DocketServerWorkers     *docket_server_get_feed_workers     (DocketServer *self);
GAsyncQueue             *docket_server_get_feed_readers     (DocketServer *self);
guint                    docket_server_get_feed_delay       (DocketServer *self);

/* Document contents (docket-server-routes-content.c): the pool that reads them from the
 * disk, and its testing delay. */
DocketServerWorkers     *docket_server_get_content_workers  (DocketServer *self);
guint                    docket_server_get_content_delay    (DocketServer *self);

/* The live channel (docket-server-routes-channel.c): its connections and their fan-out. */
DocketServerLive        *docket_server_get_live             (DocketServer *self);

/* Replies (docket-server-reply.c) */

/* The request body as a JSON object, through the strict shared parser; a
 * DOCKET_SERVER_ERROR_BAD_REQUEST otherwise. */
JsonNode *docket_server_parse_json_object (SoupServerMessage  *msg,
                                           GError            **error);

void docket_server_reply_json   (SoupServerMessage *msg,
                                 guint              status,
                                 JsonNode          *node);
void docket_server_reply_error  (SoupServerMessage *msg,
                                 guint              status,
                                 const char        *code,
                                 const char        *message);
/* Answers the status and code that fit a DOCKET_SERVER_ERROR (500 for anything else,
 * the details in the log), with Retry-After for DOCKET_SERVER_ERROR_BUSY. */
void docket_server_reply_gerror (SoupServerMessage *msg,
                                 const GError      *error);
void docket_server_reply_method_not_allowed (SoupServerMessage *msg,
                                             const char        *allow);

/* Answers from the request's headers and closes the connection: the body is never
 * read. */
void docket_server_refuse_early        (SoupServerMessage *msg,
                                        guint              status,
                                        const char        *code,
                                        const char        *message);
void docket_server_refuse_early_gerror (SoupServerMessage *msg,
                                        const GError      *error);

G_END_DECLS
