/* docket-server-live.h: the live channel's connections and their fan-out
 * (docs/protocol.md, "The live channel")
 *
 * DocketServerLive holds the WebSocket connections of GET /api/v1/live, by user, and
 * tells each connection "changed" when changes it may see were committed. It learns of
 * commits from the sequence itself (docket-server-db-channel.c), not from the handlers:
 * SQLite's commit hook on the server's own connection (a batch at once) and PRAGMA
 * data_version on a connection of its own, every DOCKET_SERVER_LIVE_POLL_MS (the
 * commits of another process: the command line).
 */
#pragma once

#include <libsoup/soup.h>

#include "docket-server-db.h"

G_BEGIN_DECLS

/* What the server tells a client in "hello", and pings with. */
#define DOCKET_SERVER_LIVE_HEARTBEAT_SECONDS       20
/* A connection from which nothing came (message, pong) for this many heartbeats is
 * closed. */
#define DOCKET_SERVER_LIVE_SILENT_HEARTBEATS       3
/* A client's message over this closes its connection (1009, too big). */
#define DOCKET_SERVER_LIVE_MAX_MESSAGE_BYTES       4096
/* Live connections of one user at most (several computers, a reconnect while the old
 * connection is not yet known dead); the next one gets 503 busy. */
#define DOCKET_SERVER_LIVE_MAX_PER_USER            10
/* All live connections at most, by default (--max-live-connections). */
#define DOCKET_SERVER_DEFAULT_MAX_LIVE_CONNECTIONS 5000
/* How often the database is asked whether another process committed. */
#define DOCKET_SERVER_LIVE_POLL_MS                 250
/* The close code of a connection whose token no longer signs anyone in. */
#define DOCKET_SERVER_LIVE_CLOSE_UNAUTHORIZED      4401

#define DOCKET_SERVER_TYPE_LIVE (docket_server_live_get_type ())
G_DECLARE_FINAL_TYPE (DocketServerLive, docket_server_live, DOCKET_SERVER, LIVE, GObject)

/* Watches the commits of db (its connection must stay open while self lives). */
DocketServerLive *docket_server_live_new                  (DocketServerDb   *db);
void              docket_server_live_set_max_connections  (DocketServerLive *self,
                                                           guint             max_connections);
guint             docket_server_live_get_n_connections    (DocketServerLive *self);
/* A testing knob: heartbeats every seconds instead of
 * DOCKET_SERVER_LIVE_HEARTBEAT_SECONDS (hello says so), for the connections and
 * heartbeats that start after the call. */
void              docket_server_live_set_heartbeat_for_tests (DocketServerLive *self,
                                                              guint             seconds);

/* From the handler of GET /api/v1/live, for a signed-in user with the token whose hash
 * is token_hash: checks that msg is a WebSocket handshake (BAD_REQUEST) and that there
 * is room (BUSY); then answers 101 and, once libsoup has written it, takes the
 * connection over (a place is held for it on msg until then). */
gboolean          docket_server_live_admit                (DocketServerLive        *self,
                                                           SoupServerMessage       *msg,
                                                           const DocketServerUser  *user,
                                                           const char              *token_hash,
                                                           GError                 **error);

/* Closes every connection with 1001 (going away), so that clients reconnect to the next
 * server, and waits up to a second for them to close; from the main thread, once
 * the main loop has stopped. */
void              docket_server_live_close_all            (DocketServerLive *self);

/* Raises this process's limit of open files to its hard limit; FALSE with a message in
 * out_warning when that is still below needed. */
gboolean          docket_server_live_raise_file_limit     (guint             needed,
                                                           char            **out_warning);

G_END_DECLS
