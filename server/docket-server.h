/* docket-server.h: the HTTP API of Docket (docs/protocol.md) over a SoupServer */
#pragma once

#include <libsoup/soup.h>

#include "docket-server-blobs.h"
#include "docket-server-db.h"
#include "docket-server-gc.h"

G_BEGIN_DECLS

#define DOCKET_SERVER_DEFAULT_MAX_UPLOAD_BYTES (100 * 1024 * 1024)
#define DOCKET_SERVER_DEFAULT_TOKEN_TTL        (30 * 24 * 3600)
/* Uploads received at once; the one more gets 503 busy from its headers. Each holds a
 * file descriptor and a 1 MiB buffer. */
#define DOCKET_SERVER_MAX_CONCURRENT_UPLOADS   4
/* What every 503 busy (no room among the password checks, the change feeds or the
 * upload slots) tells the client to wait, in Retry-After: the backlog of a full pool is
 * gone in about that time, and a refused upload has sent only its headers. */
#define DOCKET_SERVER_BUSY_RETRY_SECONDS       1
/* An upload whose client sends nothing for this long is dropped, so that idle clients
 * cannot hold the slots. */
#define DOCKET_SERVER_DEFAULT_UPLOAD_TIMEOUT   60

#define DOCKET_TYPE_SERVER (docket_server_get_type ())
G_DECLARE_FINAL_TYPE (DocketServer, docket_server, DOCKET, SERVER, GObject)

DocketServer *docket_server_new    (DocketServerDb    *db,
                                    DocketServerBlobs *blobs,
                                    gint64             max_upload_bytes,
                                    gint64             token_ttl);
/* The reverse proxies in front of the server, as IP addresses: for a request from one of
 * them, the client's address (what sign-in limits count) is taken from X-Forwarded-For.
 * G_IO_ERROR_INVALID_ARGUMENT for a text that is not an IP address. */
gboolean      docket_server_set_trusted_proxies (DocketServer        *self,
                                                 const char * const  *addresses,
                                                 GError             **error);
/* A testing knob: every page of the change feed with changes takes delay_ms longer,
 * in its worker, as the feed of a huge archive would. */
void          docket_server_set_feed_delay_for_tests (DocketServer *self,
                                                      guint         delay_ms);
/* A testing knob: the first chunk of every document content served (a GET) takes
 * delay_ms longer to read, in its worker, as from a slow disk. */
void          docket_server_set_content_delay_for_tests (DocketServer *self,
                                                         guint         delay_ms);
/* Makes the worker threads (password checks, change feeds, reads of document contents)
 * refuse new work, waits until what they were given has ended and its answers have been
 * given to libsoup: call before the last unref, once the main loop has stopped. */
void          docket_server_stop_workers        (DocketServer        *self);

/* At most max_connections live connections in all (default
 * DOCKET_SERVER_DEFAULT_MAX_LIVE_CONNECTIONS); the next gets 503 busy. */
void          docket_server_set_max_live_connections (DocketServer *self,
                                                      guint         max_connections);
/* A testing knob: the live channel's heartbeat every seconds instead of 20. */
void          docket_server_set_live_heartbeat_for_tests (DocketServer *self,
                                                          guint         seconds);
/* Closes every live connection with 1001 (going away), so that clients reconnect, and
 * waits a moment for them: call once the main loop has stopped, before the last unref. */
void          docket_server_close_live          (DocketServer        *self);

/* Listens on host:port (port 0: the kernel picks one) with TLS if tls_certificate is
 * not NULL, and returns the URL it serves, "http://127.0.0.1:8080". */
char         *docket_server_listen (DocketServer     *self,
                                    const char       *host,
                                    guint             port,
                                    GTlsCertificate  *tls_certificate,
                                    GError          **error);

/* Seconds an upload may wait for its client's next bytes (default
 * DOCKET_SERVER_DEFAULT_UPLOAD_TIMEOUT); for the uploads that start after the call. */
void          docket_server_set_upload_timeout (DocketServer *self,
                                                guint         seconds);

/* Collects garbage (docket-server-gc.c) in a worker thread now, then every
 * interval_seconds, each run skipped while the last one still works; each run logs what
 * it removed on standard error ("gc ..."). */
void          docket_server_start_gc (DocketServer               *self,
                                      const DocketServerGcPolicy *policy,
                                      guint                       interval_seconds);
/* Stops it; a run under way stops at its next blob, and this waits for it, so that no
 * worker outlives the server. */
void          docket_server_stop_gc  (DocketServer               *self);

G_END_DECLS
