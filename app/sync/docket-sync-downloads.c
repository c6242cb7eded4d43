/* docket-sync-downloads.c: what DocketSync's API says of downloads
 *
 * Apart from the engine's object (docket-sync.c): the downloads are the downloader's
 * (DocketDownloader, docket-downloader.c), which the engine owns; these functions of
 * the public API (docket-sync.h) ask it, and start a run when there is none to take a
 * request.
 */
#include "config.h"

#include "docket-sync-private.h"

gboolean
docket_sync_get_download (DocketSync         *self,
                          const char         *sha256,
                          DocketDownloadInfo *info)
{
  g_return_val_if_fail (DOCKET_IS_SYNC (self), FALSE);

  return docket_downloader_get_download (self->downloader, sha256, info);
}

void
docket_sync_get_meeting_downloads (DocketSync             *self,
                                   const char             *meeting_id,
                                   DocketMeetingDownloads *summary)
{
  g_return_if_fail (DOCKET_IS_SYNC (self));

  docket_downloader_get_meeting_downloads (self->downloader, meeting_id, summary);
}

/* The run under way takes the request once it downloads; without one, a run starts. */
static void
downloads_requested (DocketSync *self)
{
  if (self->run == NULL && self->signed_in)
    _docket_sync_run_in_background (self);
}

void
docket_sync_make_available_first (DocketSync *self,
                                  const char *meeting_id)
{
  g_return_if_fail (DOCKET_IS_SYNC (self));
  g_return_if_fail (meeting_id != NULL);

  docket_downloader_prioritize_meeting (self->downloader, meeting_id);
  downloads_requested (self);
}

void
docket_sync_retry_download (DocketSync *self,
                            const char *sha256)
{
  g_return_if_fail (DOCKET_IS_SYNC (self));
  g_return_if_fail (sha256 != NULL);

  docket_downloader_prioritize_content (self->downloader, sha256);
  downloads_requested (self);
}

/* Contents after a reboot: the downloader's re-hash, alone */

static void
contents_verified_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  guint forgotten = 0;

  if (!docket_downloader_verify_contents_finish (DOCKET_DOWNLOADER (object), result, &forgotten, &error))
    g_task_return_error (task, error);
  else
    g_task_return_int (task, forgotten);
}

void
docket_sync_verify_contents_async (DocketSync          *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DOCKET_IS_SYNC (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, docket_sync_verify_contents_async);
  docket_downloader_verify_contents_async (self->downloader, cancellable, contents_verified_cb,
                                           g_steal_pointer (&task));
}

gboolean
docket_sync_verify_contents_finish (DocketSync    *self,
                                    GAsyncResult  *result,
                                    guint         *out_n_forgotten,
                                    GError       **error)
{
  gssize forgotten;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  forgotten = g_task_propagate_int (G_TASK (result), error);
  if (forgotten < 0)
    return FALSE;
  if (out_n_forgotten != NULL)
    *out_n_forgotten = (guint) forgotten;
  return TRUE;
}

