/* docket-downloader.h: the download pipeline of the sync engine
 *
 * Internal to app/sync: DocketSync owns one and drives it, and forwards what its public
 * API says of downloads (docket-sync.h: docket_sync_get_download (), "download-changed",
 * "bytes-done"...). Once the change feed is applied, a run asks the downloader for every
 * missing content (docket_downloader_run_async ()): it re-hashes contents of an earlier
 * boot, lists what is missing, orders it (the meetings asked for first, then the store's
 * order), and downloads several at once (docket-download.c, one content each). It keeps
 * what the official can see of each content: waiting, downloading with its bytes,
 * failed with a reason and a back-off, until the content is complete or no longer
 * listed.
 *
 * Signals, on the main context:
 *   "download-changed" (sha256, meeting ids): a content's download changed
 *   "progress" (guint64 done, guint64 total): the bytes of the run's downloads
 */
#pragma once

#include <libsoup/soup.h>

#include "docket-store.h"
#include "docket-sync.h"

G_BEGIN_DECLS

/* Downloads receiving bytes at once, and downloads whose bytes have all arrived and
 * whose writer still hashes and renames them (they no longer use the network, so the
 * next download may start). */
#define DOCKET_DOWNLOADER_MAX_RECEIVING 4
#define DOCKET_DOWNLOADER_MAX_FINISHING 4

#define DOCKET_TYPE_DOWNLOADER (docket_downloader_get_type ())
G_DECLARE_FINAL_TYPE (DocketDownloader, docket_downloader, DOCKET, DOWNLOADER, GObject)

/* session: the engine's for downloads (its API calls have another). */
DocketDownloader *docket_downloader_new               (DocketStore *store,
                                                       SoupSession *session);

/* Every missing content of the store, with server_url and token: returns once each
 * downloaded, failed or was cancelled (with cancellable), with the first failure. One
 * run at a time. */
void              docket_downloader_run_async         (DocketDownloader    *self,
                                                       const char          *server_url,
                                                       const char          *token,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean          docket_downloader_run_finish        (DocketDownloader  *self,
                                                       GAsyncResult      *result,
                                                       GError           **error);

/* A pull beside the run under way found new documents: the run lists what is missing
 * again and queues what it did not know of. Without a run, does nothing (the next run
 * lists them). */
void              docket_downloader_list_again        (DocketDownloader    *self);

/* The re-hash after a reboot, alone (docket_sync_verify_contents_async ()). */
void              docket_downloader_verify_contents_async  (DocketDownloader    *self,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
gboolean          docket_downloader_verify_contents_finish (DocketDownloader  *self,
                                                            GAsyncResult      *result,
                                                            guint             *out_n_forgotten,
                                                            GError           **error);

/* What the official sees (docket_sync_get_download ()). */
gboolean          docket_downloader_get_download      (DocketDownloader   *self,
                                                       const char         *sha256,
                                                       DocketDownloadInfo *info);
void              docket_downloader_get_meeting_downloads (DocketDownloader       *self,
                                                           const char             *meeting_id,
                                                           DocketMeetingDownloads *summary);

/* A meeting's contents, or one content, first: the run under way puts them at the head
 * of its queue (once it has listed it; otherwise it orders its queue so when it does),
 * and those that failed are tried without waiting for their back-off. Without a run
 * under way, the next one does (the engine starts it). */
void              docket_downloader_prioritize_meeting (DocketDownloader *self,
                                                        const char       *meeting_id);
void              docket_downloader_prioritize_content (DocketDownloader *self,
                                                        const char       *sha256);

/* Another account, or none: forgets every content's state and every priority. */
void              docket_downloader_clear             (DocketDownloader *self);

/* HTTP requests its downloads sent. */
guint             docket_downloader_get_request_count (DocketDownloader *self);

/* The first delay of a content that failed for itself (damaged, refused); it doubles
 * with each failure, up to DOCKET_SYNC_BACKOFF_MAX_MS. The engine binds it to its
 * "backoff-initial-ms". */
guint             docket_downloader_get_backoff_initial_ms (DocketDownloader *self);
void              docket_downloader_set_backoff_initial_ms (DocketDownloader *self,
                                                            guint             milliseconds);

G_END_DECLS
