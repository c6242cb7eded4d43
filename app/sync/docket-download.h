/* docket-download.h: one content's download, from the request to the file in place
 *
 * Internal to app/sync: the downloader (docket-downloader.c) starts one per missing
 * content and decides what comes next. A download asks for the content (resuming a
 * partial file with Range), reads the body on the main context into pooled buffers and
 * hands them to a writer thread, which appends, hashes and, once size and SHA-256 match,
 * renames the file into place and marks the content complete in the store. It tells its
 * owner what happens through DocketDownloadCallbacks, always on the main context.
 */
#pragma once

#include <libsoup/soup.h>

#include "docket-store.h"

G_BEGIN_DECLS

typedef struct _DocketDownload DocketDownload;

/* What a download tells its owner; every callback runs on the main context that
 * created the download, user_data is the one given to docket_download_new (). */
typedef struct {
  /* bytes more of the content are here (received, or kept from an earlier run), for
   * the run's total */
  void (*counted)      (DocketDownload *download,
                        guint64         bytes,
                        gpointer        user_data);
  /* the content's bytes so far, as the official sees them */
  void (*progress)     (DocketDownload *download,
                        guint64         bytes_done,
                        gpointer        user_data);
  /* an HTTP request went out (the engine counts them) */
  void (*request_sent) (DocketDownload *download,
                        gpointer        user_data);
  /* every byte has arrived: the network slot is free while the writer finishes */
  void (*network_done) (DocketDownload *download,
                        gpointer        user_data);
  /* the end, once: error (transfer full) NULL when the content is complete or gone
   * from the server, G_IO_ERROR_CANCELLED when cancelled; no callback comes after it */
  void (*finished)     (DocketDownload *download,
                        GError         *error,
                        gpointer        user_data);
} DocketDownloadCallbacks;

/* Nothing happens before docket_download_start (), so that the owner can keep the
 * download first: it may finish within the start. callbacks must outlive it. */
DocketDownload             *docket_download_new          (DocketStore                   *store,
                                                          SoupSession                   *session,
                                                          const char                    *server_url,
                                                          const char                    *token,
                                                          const DocketDocumentRecord    *document,
                                                          const DocketDownloadCallbacks *callbacks,
                                                          gpointer                       user_data);
void                        docket_download_start        (DocketDownload *self);
DocketDownload             *docket_download_ref          (DocketDownload *self);
void                        docket_download_unref        (DocketDownload *self);
/* Stops reading; the partial file stays for a resume. "finished" follows. */
void                        docket_download_cancel       (DocketDownload *self);
/* Still waiting for an answer or receiving bytes (it holds a network slot). */
gboolean                    docket_download_is_receiving (DocketDownload *self);
const DocketDocumentRecord *docket_download_get_document (DocketDownload *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketDownload, docket_download_unref)

G_END_DECLS
