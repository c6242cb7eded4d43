/* docket-outbox.h: sends the official's waiting operations (annotations, notes) to the
 * server, in order, before each pull of the change feed
 *
 * Internal to app/sync: docket-sync.c starts a push at the beginning of every run.
 * Each operation goes with its op_id (docs/protocol.md, "Annotations and notes"); the
 * server's answer is checked like any other and applied through the store in a worker
 * thread. The push stops at the first failure that may pass (network, server fault,
 * 401, 408, 429: the engine retries with its back-off, the operation stays first in the
 * queue); an operation the server refuses for good (another 4xx) is recorded and
 * dropped, so that it does not jam the queue; a 410 for an annotation deleted on another
 * computer removes it here too. An answer that does not check is a PROTOCOL error: the
 * operation stays, and docket-sync.c still pulls the feed (and reports the error).
 * An operation the server has failed three times in a row (5xx, or an answer that does
 * not check) is held: the operations of other annotations and notes behind it go on,
 * and the push says so (out_held), so that one operation the server cannot take does
 * not hold back every later one, nor the pull.
 */
#pragma once

#include <libsoup/soup.h>

#include "docket-store.h"

G_BEGIN_DECLS

/* At most this many operations per push: a run that sends more ends, and the next run
 * goes on. A push sends only what waited when it began (up to this many): operations
 * saved meanwhile go with the next push, which the store's "outbox-changed" schedules,
 * so that an official annotating quickly cannot keep one push going forever. */
#define DOCKET_OUTBOX_MAX_PER_PUSH 1000

void      docket_outbox_push_async  (DocketStore         *store,
                                     SoupSession         *session,
                                     const char          *server_url,
                                     const char          *token,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
/* out_n_requests: the HTTP requests the push sent, whether it succeeded or not;
 * out_held: the failure of the first operation held (still queued), or nothing. */
gboolean  docket_outbox_push_finish (GAsyncResult  *result,
                                     guint         *out_n_requests,
                                     GError       **out_held,
                                     GError       **error);

G_END_DECLS
