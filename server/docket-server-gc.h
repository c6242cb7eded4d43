/* docket-server-gc.h: keeping the server's storage bounded
 *
 * Two things would only grow: blobs that no document refers to any more (a document
 * deleted, alone or with its item or meeting, or replaced: a new version is uploaded as
 * a new document and the old one deleted), the answers kept for op_ids (docs/protocol.md, "Idempotency"),
 * and the sign-in tokens, which nothing deletes when they expire unused. A run removes
 * all three; "docket-server gc" runs one, and the server runs one at start-up and
 * then periodically, in a worker thread.
 */
#pragma once

#include <gio/gio.h>

#include "docket-server-blobs.h"
#include "docket-server-db.h"

G_BEGIN_DECLS

/* An unreferenced blob stays until it was last stored this long ago. An upload writes
 * its blob (in a worker thread) before it commits the document that refers to it; an
 * hour is far longer than that takes, so a run never races an upload in the common
 * case (docket-server-gc.c closes the rare one). */
#define DOCKET_SERVER_GC_DEFAULT_GRACE_SECONDS        (60 * 60)
/* Answered operations are forgotten after 30 days. Clients send an operation again
 * within minutes or hours of the first try (the outbox retries with a back-off of at
 * most five minutes while the network is there); one sent again after the window would
 * be applied again as a new write, which 30 days makes a matter of a laptop left
 * offline for a month with unsent work. */
#define DOCKET_SERVER_GC_DEFAULT_OP_RETENTION_SECONDS (30 * 24 * 60 * 60)
/* How often the running server collects, after the run at start-up. */
#define DOCKET_SERVER_GC_DEFAULT_INTERVAL_SECONDS     (6 * 60 * 60)
/* The largest grace or retention accepted: 100 years, far from overflowing times in
 * milliseconds. */
#define DOCKET_SERVER_GC_MAX_SECONDS                  (G_GINT64_CONSTANT (100) * 365 * 24 * 60 * 60)

typedef struct {
  gint64 grace_seconds;          /* 0 to DOCKET_SERVER_GC_MAX_SECONDS */
  gint64 op_retention_seconds;   /* 0 to DOCKET_SERVER_GC_MAX_SECONDS */
} DocketServerGcPolicy;

typedef struct {
  guint  blobs_removed;
  gint64 bytes_freed;
  guint  blobs_kept;             /* unreferenced, but still in their grace period */
  guint  ops_pruned;
  guint  tokens_pruned;          /* expired sign-in tokens */
  guint  leftovers_removed;      /* temporary files of blob writes cut short */
  gint64 leftover_bytes;
} DocketServerGcResult;

/* The policy of the defaults above. */
void      docket_server_gc_policy_init      (DocketServerGcPolicy        *policy);

/* Removes the blobs no document refers to that were last stored longer than the grace
 * period ago, the answered operations older than the retention window, and the expired
 * sign-in tokens. Every write
 * is a short transaction of its own, so that requests are never held up for long.
 * Stops with G_IO_ERROR_CANCELLED (what was removed stays removed). */
gboolean  docket_server_gc_run              (DocketServerDb              *db,
                                             DocketServerBlobs           *blobs,
                                             const DocketServerGcPolicy  *policy,
                                             GCancellable                *cancellable,
                                             DocketServerGcResult        *out_result,
                                             GError                     **error);

/* The same in a worker thread, with a database connection of its own (to db's file):
 * db itself belongs to the main thread. */
void      docket_server_gc_run_async        (DocketServerDb              *db,
                                             DocketServerBlobs           *blobs,
                                             const DocketServerGcPolicy  *policy,
                                             GCancellable                *cancellable,
                                             GAsyncReadyCallback          callback,
                                             gpointer                     user_data);
gboolean  docket_server_gc_run_finish       (GAsyncResult                *result,
                                             DocketServerGcResult        *out_result,
                                             GError                     **error);

/* One line for people: what was removed and how many bytes were freed. */
char     *docket_server_gc_result_describe  (const DocketServerGcResult  *result);

G_END_DECLS
