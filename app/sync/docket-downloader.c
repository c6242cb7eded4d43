/* docket-downloader.c: the download pipeline of the sync engine (DocketDownloader)
 *
 * Apart from the engine (docket-sync.c), which runs the outbox and the change feed and
 * then hands over to this: what is missing, in which order, how many at once, and what
 * the official sees of each content. How one content arrives (Range, the writer thread,
 * the checksum) is docket-download.c.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "docket-content-verify.h"
#include "docket-download.h"
#include "docket-downloader.h"

typedef struct _Batch Batch;

struct _DocketDownloader
{
  GObject      parent_instance;

  /* Owned references */
  DocketStore *store;
  SoupSession *session;

  Batch       *batch;             /* the run under way, or NULL */

  /* Downloads the official can see (docket_downloader_get_download) */
  GHashTable  *downloads;         /* sha256 -> DownloadInfo*: waiting, downloading, failed */
  GHashTable  *priority_meetings; /* meeting id -> serial of the request (latest wins) */
  GHashTable  *priority_shas;     /* sha256 -> serial: retried contents */
  guint        priority_serial;

  guint        request_count;
  guint        backoff_initial_ms;
};

G_DEFINE_FINAL_TYPE (DocketDownloader, docket_downloader, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_BACKOFF_INITIAL_MS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  DOWNLOAD_CHANGED,
  PROGRESS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void batch_pump   (Batch *batch);
static void batch_relist (Batch *batch);

/* Downloads the official can see
 *
 * One DownloadInfo per content the downloader is busy with or failed to fetch. An entry goes
 * when its content is complete (the store then says it is offline), when it is no longer
 * listed, or at sign-out. */

/* At most this often per content while bytes arrive: a progress bar needs no more. */
#define PROGRESS_INTERVAL_US (100 * 1000)

typedef struct {
  DocketDownloadState  state;
  guint64              bytes_done;
  guint64              bytes_total;
  DocketSyncError      reason;
  char                *message;
  GStrv                meeting_ids;
  gint64               last_progress;   /* monotonic, of the last emission for bytes */
  gint64               retry_after;     /* monotonic: not tried again before, but for Retry */
  guint                failures;        /* in a row, for its back-off */
  DocketDocumentRecord *document;       /* what to download, for Retry */
  guint                progress_source_id; /* a held-back emission of bytes */
} DownloadInfo;

static void
download_info_free (DownloadInfo *info)
{
  g_clear_handle_id (&info->progress_source_id, g_source_remove);
  g_clear_pointer (&info->document, docket_document_record_free);
  g_free (info->message);
  g_strfreev (info->meeting_ids);
  g_free (info);
}

static void
emit_download_changed (DocketDownloader *self,
                       const char       *sha256,
                       GStrv             meeting_ids)
{
  static const char * const none[] = { NULL };

  g_signal_emit (self, signals[DOWNLOAD_CHANGED], 0, sha256,
                 meeting_ids != NULL ? meeting_ids : (GStrv) none);
}

static DownloadInfo *
download_info_ensure (DocketDownloader *self,
                      const char       *sha256)
{
  DownloadInfo *info = g_hash_table_lookup (self->downloads, sha256);

  if (info == NULL)
    {
      info = g_new0 (DownloadInfo, 1);
      g_hash_table_insert (self->downloads, g_strdup (sha256), info);
    }

  return info;
}

static void
download_info_set_state (DocketDownloader    *self,
                         const char          *sha256,
                         DocketDownloadState  state,
                         guint64              done,
                         guint64              total)
{
  DownloadInfo *info = g_hash_table_lookup (self->downloads, sha256);

  if (info == NULL)
    return;

  if (info->state == state && info->bytes_done == done && info->bytes_total == total)
    return;

  info->state = state;
  info->bytes_done = done;
  info->bytes_total = total;
  if (state != DOCKET_DOWNLOAD_STATE_FAILED)
    g_clear_pointer (&info->message, g_free);
  info->last_progress = g_get_monotonic_time ();
  emit_download_changed (self, sha256, info->meeting_ids);
}

typedef struct {
  DocketDownloader *self;     /* borrowed: the source goes with the DownloadInfo */
  char       *sha256;
} HeldProgress;

static void
held_progress_free (HeldProgress *held)
{
  g_free (held->sha256);
  g_free (held);
}

static gboolean
held_progress_cb (gpointer user_data)
{
  HeldProgress *held = user_data;
  DownloadInfo *info = g_hash_table_lookup (held->self->downloads, held->sha256);

  if (info != NULL)
    {
      info->progress_source_id = 0;
      info->last_progress = g_get_monotonic_time ();
      emit_download_changed (held->self, held->sha256, info->meeting_ids);
    }

  return G_SOURCE_REMOVE;
}

static void
download_info_progress (DocketDownloader *self,
                        const char       *sha256,
                        guint64           done)
{
  DownloadInfo *info = g_hash_table_lookup (self->downloads, sha256);
  gint64 now = g_get_monotonic_time ();

  if (info == NULL || info->bytes_done == done)
    return;

  info->bytes_done = done;
  if (now - info->last_progress < PROGRESS_INTERVAL_US && done < info->bytes_total)
    {
      /* Held back, not lost: a stalled download still shows what did arrive. */
      if (info->progress_source_id == 0)
        {
          HeldProgress *held = g_new0 (HeldProgress, 1);

          held->self = self;
          held->sha256 = g_strdup (sha256);
          info->progress_source_id =
            g_timeout_add_full (G_PRIORITY_DEFAULT,
                                (guint) ((PROGRESS_INTERVAL_US - (now - info->last_progress)) / 1000) + 1,
                                held_progress_cb, held, (GDestroyNotify) held_progress_free);
        }
      return;
    }

  g_clear_handle_id (&info->progress_source_id, g_source_remove);
  info->last_progress = now;
  emit_download_changed (self, sha256, info->meeting_ids);
}

/* A content that failed for itself (damaged on the way, refused by the server) is not
 * fetched again and again by every run: it waits as the whole run does after a network
 * error, and Retry skips the wait. */
static gboolean
error_is_content_fault (const GError *error)
{
  return g_error_matches (error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_CHECKSUM) ||
         g_error_matches (error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_PROTOCOL);
}

static void
download_info_fail (DocketDownloader *self,
                    const char       *sha256,
                    const GError     *error)
{
  DownloadInfo *info = g_hash_table_lookup (self->downloads, sha256);

  if (info == NULL)
    return;

  info->state = DOCKET_DOWNLOAD_STATE_FAILED;
  info->reason = error->domain == DOCKET_SYNC_ERROR ? (DocketSyncError) error->code
                                                    : DOCKET_SYNC_ERROR_STORE;
  g_free (info->message);
  info->message = g_strdup (error->message);

  if (error_is_content_fault (error))
    {
      guint delay_ms = 0;

      info->failures++;
      /* Stops doubling once at the ceiling: failures may be many. */
      for (guint i = 0; i < info->failures && delay_ms < DOCKET_SYNC_BACKOFF_MAX_MS; i++)
        delay_ms = docket_sync_next_backoff_ms (delay_ms, self->backoff_initial_ms);
      info->retry_after = g_get_monotonic_time () + (gint64) delay_ms * 1000;
    }

  emit_download_changed (self, sha256, info->meeting_ids);
}

static void
download_info_remove (DocketDownloader *self,
                      const char       *sha256)
{
  g_autofree char *key = NULL;
  DownloadInfo *info = NULL;

  if (!g_hash_table_steal_extended (self->downloads, sha256, (gpointer *) &key, (gpointer *) &info))
    return;

  g_hash_table_remove (self->priority_shas, key);
  emit_download_changed (self, key, info->meeting_ids);
  download_info_free (info);
}

/* Entries of contents waiting in a queue that is gone (a run cancelled or failed before
 * their turn) go; failures stay, so that the official sees why. */
static void
download_infos_drop_waiting (DocketDownloader *self)
{
  g_autoptr(GPtrArray) waiting = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->downloads);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      DownloadInfo *info = value;

      if (info->state != DOCKET_DOWNLOAD_STATE_FAILED)
        g_ptr_array_add (waiting, g_strdup (key));
    }

  for (guint i = 0; i < waiting->len; i++)
    download_info_remove (self, g_ptr_array_index (waiting, i));
}

static void
download_infos_clear (DocketDownloader *self)
{
  g_autoptr(GPtrArray) copies = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->downloads);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (copies, g_strdup (key));
  for (guint i = 0; i < copies->len; i++)
    download_info_remove (self, g_ptr_array_index (copies, i));

  g_hash_table_remove_all (self->priority_meetings);
  g_hash_table_remove_all (self->priority_shas);
}

/* The latest request wins: a content's rank is the serial of the latest "first" asked
 * for it or for one of its meetings, 0 when none. */
static guint
content_priority (DocketDownloader *self,
                  const char       *sha256)
{
  DownloadInfo *info = g_hash_table_lookup (self->downloads, sha256);
  guint rank = GPOINTER_TO_UINT (g_hash_table_lookup (self->priority_shas, sha256));

  for (guint i = 0; info != NULL && info->meeting_ids != NULL && info->meeting_ids[i] != NULL; i++)
    rank = MAX (rank, GPOINTER_TO_UINT (g_hash_table_lookup (self->priority_meetings,
                                                             info->meeting_ids[i])));

  return rank;
}

static gint
compare_priority (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  DocketDownloader *self = user_data;
  const DocketDocumentRecord *document_a = a;
  const DocketDocumentRecord *document_b = b;
  guint rank_a = content_priority (self, document_a->sha256);
  guint rank_b = content_priority (self, document_b->sha256);

  /* Higher first; g_queue_sort is stable, so the rest keep the store's order. */
  return rank_a < rank_b ? 1 : rank_a > rank_b ? -1 : 0;
}

/* A run of the downloader: the queue of missing contents and the downloads under way */

struct _Batch
{
  DocketDownloader *self;          /* owned */
  GTask            *task;          /* owned: its caller's */
  GCancellable     *cancellable;   /* the caller's (the engine's run), or one of its own */
  gulong            cancelled_id;
  char             *server_url;
  char             *token;
  GQueue            pending;       /* DocketDocumentRecord* to download */
  GPtrArray        *downloads;     /* DocketDownload*: under way */
  GError           *error;         /* the first failure */
  guint64           bytes_done;
  guint64           bytes_total;
  gint64            started_at;    /* monotonic, for the timings in debug output */
  guint             listed : 1;    /* the queue is known */
  guint             pumping : 1;   /* in batch_pump () */
  guint             relisting : 1; /* listing again what is missing (a pull found more) */
  guint             relist_wanted : 1;  /* again, once the listing under way is done */
};

static void
batch_free (Batch *batch)
{
  g_cancellable_disconnect (batch->cancellable, batch->cancelled_id);
  g_clear_object (&batch->cancellable);
  g_clear_object (&batch->task);
  g_clear_pointer (&batch->server_url, g_free);
  if (batch->token != NULL)
    memset (batch->token, 0, strlen (batch->token));
  g_clear_pointer (&batch->token, g_free);
  g_queue_clear_full (&batch->pending, (GDestroyNotify) docket_document_record_free);
  g_clear_pointer (&batch->downloads, g_ptr_array_unref);
  g_clear_error (&batch->error);
  g_clear_object (&batch->self);
  g_free (batch);
}

/* The first failure is the one reported; the others are consequences or repeats. */
static void
batch_take_error (Batch  *batch,
                  GError *error)
{
  if (batch->error == NULL)
    batch->error = error;
  else
    g_error_free (error);
}

static void
emit_progress (Batch *batch)
{
  g_signal_emit (batch->self, signals[PROGRESS], 0, batch->bytes_done, batch->bytes_total);
}

/* Every download ended, or none started: what still waited in the queue is no longer
 * waited for (download_infos_drop_waiting), and the caller learns the first failure. */
static void
batch_finish (Batch *batch)
{
  DocketDownloader *self = batch->self;
  g_autoptr(GTask) task = g_steal_pointer (&batch->task);

  g_assert (self->batch == batch);
  self->batch = NULL;
  download_infos_drop_waiting (self);

  if (batch->error != NULL)
    g_task_return_error (task, g_steal_pointer (&batch->error));
  else
    g_task_return_boolean (task, TRUE);

  batch_free (batch);
}

/* What a download tells (docket-download.h) */

static void
download_counted_cb (DocketDownload *download,
                     guint64         bytes,
                     gpointer        user_data)
{
  Batch *batch = user_data;

  batch->bytes_done += bytes;
  emit_progress (batch);
}

static void
download_progress_cb (DocketDownload *download,
                      guint64         bytes_done,
                      gpointer        user_data)
{
  Batch *batch = user_data;

  download_info_progress (batch->self, docket_download_get_document (download)->sha256, bytes_done);
}

static void
download_request_sent_cb (DocketDownload *download,
                          gpointer        user_data)
{
  Batch *batch = user_data;

  batch->self->request_count++;
}

static void
download_network_done_cb (DocketDownload *download,
                          gpointer        user_data)
{
  batch_pump (user_data);
}

static void
download_finished_cb (DocketDownload *download,
                      GError         *error,
                      gpointer        user_data)
{
  Batch *batch = user_data;
  const char *sha256 = docket_download_get_document (download)->sha256;

  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    download_info_fail (batch->self, sha256, error);
  else
    download_info_remove (batch->self, sha256);

  if (error != NULL)
    batch_take_error (batch, error);

  g_ptr_array_remove (batch->downloads, download);   /* drops the batch's reference */
  batch_pump (batch);
}

static const DocketDownloadCallbacks download_callbacks = {
  .counted = download_counted_cb,
  .progress = download_progress_cb,
  .request_sent = download_request_sent_cb,
  .network_done = download_network_done_cb,
  .finished = download_finished_cb,
};

static void
batch_start_download (Batch                *batch,
                      DocketDocumentRecord *document)
{
  DocketDownloader *self = batch->self;
  DocketDownload *download = docket_download_new (self->store, self->session, batch->server_url,
                                                  batch->token, document, &download_callbacks, batch);

  g_ptr_array_add (batch->downloads, download);   /* the batch's reference */
  /* The bytes of a partial file count once the server agreed to resume from them. */
  download_info_set_state (self, document->sha256, DOCKET_DOWNLOAD_STATE_DOWNLOADING,
                           0, (guint64) MAX (document->size, 0));
  docket_document_record_free (document);
  docket_download_start (download);
}

/* Downloads still receiving bytes (or waiting for an answer). */
static guint
count_network_downloads (Batch *batch)
{
  guint n = 0;

  for (guint i = 0; i < batch->downloads->len; i++)
    {
      if (docket_download_is_receiving (g_ptr_array_index (batch->downloads, i)))
        n++;
    }

  return n;
}

static void
batch_pump (Batch *batch)
{
  /* A download may finish within its start (an unusable checksum or id) and pump again:
   * the outer call goes on instead, so that the batch ends once, after the loop. */
  if (batch->pumping)
    return;
  batch->pumping = TRUE;

  if (g_cancellable_is_cancelled (batch->cancellable))
    {
      /* Let the downloads under way end; start no more. */
      g_queue_clear_full (&batch->pending, (GDestroyNotify) docket_document_record_free);
      if (batch->error == NULL)
        batch->error = g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The sync was cancelled."));
    }

  while (!g_queue_is_empty (&batch->pending) &&
         batch->downloads->len < DOCKET_DOWNLOADER_MAX_RECEIVING + DOCKET_DOWNLOADER_MAX_FINISHING &&
         count_network_downloads (batch) < DOCKET_DOWNLOADER_MAX_RECEIVING)
    batch_start_download (batch, g_queue_pop_head (&batch->pending));

  batch->pumping = FALSE;
  if (batch->downloads->len == 0 && g_queue_is_empty (&batch->pending) && !batch->relisting)
    batch_finish (batch);
}

/* Contents after a reboot (docket-content-verify.c), alone */

static void
verify_contents_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  DocketDownloader *self = source_object;
  GError *error = NULL;
  int forgotten = docket_content_verify_after_reboot (self->store, cancellable, &error);

  if (forgotten < 0)
    {
      g_task_return_new_error (task, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_STORE,
                               _("The offline copy could not be read: %s"), error->message);
      g_error_free (error);
      return;
    }

  g_task_return_int (task, forgotten);
}

void
docket_downloader_verify_contents_async (DocketDownloader    *self,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DOCKET_IS_DOWNLOADER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, docket_downloader_verify_contents_async);
  g_task_run_in_thread (task, verify_contents_thread);
}

gboolean
docket_downloader_verify_contents_finish (DocketDownloader  *self,
                                          GAsyncResult      *result,
                                          guint             *out_n_forgotten,
                                          GError           **error)
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

/* The run: what is missing, then the downloads */

static void
missing_listed_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  DocketDownloader *self = source_object;
  GError *error = NULL;
  GPtrArray *contents;

  if (docket_content_verify_after_reboot (self->store, cancellable, &error) < 0 ||
      (contents = docket_store_list_missing_contents (self->store, &error)) == NULL)
    {
      g_task_return_new_error (task, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_STORE,
                               _("The offline copy could not be read: %s"), error->message);
      g_error_free (error);
      return;
    }

  g_task_return_pointer (task, contents, (GDestroyNotify) g_ptr_array_unref);
}

static void
missing_listed_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Batch *batch = user_data;
  DocketDownloader *self = batch->self;
  g_autoptr(GPtrArray) contents = NULL;
  g_autoptr(GHashTable) listed = NULL;
  g_autoptr(GPtrArray) gone = NULL;
  GHashTableIter iter;
  gpointer key, value;
  gint64 now = g_get_monotonic_time ();
  GError *error = NULL;

  contents = g_task_propagate_pointer (G_TASK (result), &error);
  if (contents == NULL)
    {
      batch_take_error (batch, error);
      batch_finish (batch);
      return;
    }

  g_debug ("sync: missing documents listed after %.1f ms",
           (double) (g_get_monotonic_time () - batch->started_at) / 1000.0);
  batch->bytes_total = 0;
  listed = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < contents->len; i++)
    {
      DocketStoreMissingContent *content = g_ptr_array_index (contents, i);
      DocketDocumentRecord *document = content->document;
      DownloadInfo *info = download_info_ensure (self, document->sha256);

      g_hash_table_add (listed, document->sha256);
      g_strfreev (info->meeting_ids);
      info->meeting_ids = g_strdupv (content->meeting_ids);
      g_clear_pointer (&info->document, docket_document_record_free);
      info->document = docket_document_record_copy (document);

      /* A content that failed for itself waits its back-off (Retry skips it). */
      if (info->state == DOCKET_DOWNLOAD_STATE_FAILED && info->retry_after > now)
        continue;

      batch->bytes_total += (guint64) MAX (document->size, 0);
      g_queue_push_tail (&batch->pending, docket_document_record_copy (document));
      download_info_set_state (self, document->sha256, DOCKET_DOWNLOAD_STATE_WAITING,
                               0, (guint64) MAX (document->size, 0));
    }

  /* Failures of contents that are no longer missing (taken away, or complete). */
  gone = g_ptr_array_new_with_free_func (g_free);
  g_hash_table_iter_init (&iter, self->downloads);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_hash_table_contains (listed, key))
      g_ptr_array_add (gone, g_strdup (key));
  for (guint i = 0; i < gone->len; i++)
    download_info_remove (self, g_ptr_array_index (gone, i));

  g_queue_sort (&batch->pending, compare_priority, self);
  batch->listed = TRUE;

  batch->bytes_done = 0;
  emit_progress (batch);
  if (batch->relist_wanted)
    batch_relist (batch);
  batch_pump (batch);
}

/* Listing again, during a run: a pull beside it found new documents */

static void
relist_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  DocketDownloader *self = source_object;
  GError *error = NULL;
  GPtrArray *contents = docket_store_list_missing_contents (self->store, &error);

  if (contents == NULL)
    {
      g_task_return_new_error (task, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_STORE,
                               _("The offline copy could not be read: %s"), error->message);
      g_error_free (error);
      return;
    }

  g_task_return_pointer (task, contents, (GDestroyNotify) g_ptr_array_unref);
}

/* The contents the downloader knows nothing of join the queue; those it is busy with,
 * or that failed (and wait their back-off), stay as they are. */
static void
relisted_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Batch *batch = user_data;
  DocketDownloader *self = batch->self;
  g_autoptr(GPtrArray) contents = NULL;
  GError *error = NULL;
  guint added = 0;

  batch->relisting = FALSE;
  contents = g_task_propagate_pointer (G_TASK (result), &error);
  if (contents == NULL)
    {
      batch_take_error (batch, error);
      batch_pump (batch);
      return;
    }

  for (guint i = 0; i < contents->len; i++)
    {
      DocketStoreMissingContent *content = g_ptr_array_index (contents, i);
      DocketDocumentRecord *document = content->document;
      DownloadInfo *info;

      if (g_hash_table_contains (self->downloads, document->sha256))
        continue;

      info = download_info_ensure (self, document->sha256);
      info->meeting_ids = g_strdupv (content->meeting_ids);
      info->document = docket_document_record_copy (document);
      batch->bytes_total += (guint64) MAX (document->size, 0);
      g_queue_push_tail (&batch->pending, docket_document_record_copy (document));
      download_info_set_state (self, document->sha256, DOCKET_DOWNLOAD_STATE_WAITING,
                               0, (guint64) MAX (document->size, 0));
      added++;
    }

  g_debug ("sync: %u new missing documents listed during the downloads", added);
  if (added > 0)
    {
      g_queue_sort (&batch->pending, compare_priority, self);
      emit_progress (batch);
    }
  if (batch->relist_wanted && !g_cancellable_is_cancelled (batch->cancellable))
    batch_relist (batch);
  batch_pump (batch);
}

static void
batch_relist (Batch *batch)
{
  g_autoptr(GTask) task = g_task_new (batch->self, batch->cancellable, relisted_cb, batch);

  batch->relist_wanted = FALSE;
  batch->relisting = TRUE;
  g_task_set_source_tag (task, batch_relist);
  g_task_run_in_thread (task, relist_thread);
}

void
docket_downloader_list_again (DocketDownloader *self)
{
  Batch *batch;

  g_return_if_fail (DOCKET_IS_DOWNLOADER (self));

  batch = self->batch;
  if (batch == NULL)
    return;

  /* A listing under way may have read the store before the pull wrote it. */
  if (!batch->listed || batch->relisting)
    {
      batch->relist_wanted = TRUE;
      return;
    }

  batch_relist (batch);
}

static void
batch_cancelled_cb (GCancellable *cancellable,
                    gpointer      user_data)
{
  Batch *batch = user_data;

  /* On the main context: the engine cancels its run there. */
  for (guint i = 0; i < batch->downloads->len; i++)
    docket_download_cancel (g_ptr_array_index (batch->downloads, i));
}

void
docket_downloader_run_async (DocketDownloader    *self,
                             const char          *server_url,
                             const char          *token,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) list = NULL;
  Batch *batch;

  g_return_if_fail (DOCKET_IS_DOWNLOADER (self));
  g_return_if_fail (server_url != NULL);
  g_return_if_fail (self->batch == NULL);

  batch = g_new0 (Batch, 1);
  batch->self = g_object_ref (self);
  batch->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (batch->task, docket_downloader_run_async);
  /* A failure before the cancellation says more than the cancellation. */
  g_task_set_check_cancellable (batch->task, FALSE);
  batch->cancellable = cancellable != NULL ? g_object_ref (cancellable) : g_cancellable_new ();
  batch->server_url = g_strdup (server_url);
  batch->token = g_strdup (token);
  batch->downloads = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_download_unref);
  batch->started_at = g_get_monotonic_time ();
  g_queue_init (&batch->pending);
  self->batch = batch;

  batch->cancelled_id = g_cancellable_connect (batch->cancellable, G_CALLBACK (batch_cancelled_cb),
                                               batch, NULL);

  list = g_task_new (self, batch->cancellable, missing_listed_cb, batch);
  g_task_set_source_tag (list, missing_listed_thread);
  g_task_run_in_thread (list, missing_listed_thread);
}

gboolean
docket_downloader_run_finish (DocketDownloader  *self,
                              GAsyncResult      *result,
                              GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* What the official sees */

gboolean
docket_downloader_get_download (DocketDownloader   *self,
                                const char         *sha256,
                                DocketDownloadInfo *info)
{
  DownloadInfo *entry;

  g_return_val_if_fail (DOCKET_IS_DOWNLOADER (self), FALSE);
  g_return_val_if_fail (info != NULL, FALSE);

  memset (info, 0, sizeof *info);
  entry = sha256 != NULL ? g_hash_table_lookup (self->downloads, sha256) : NULL;
  if (entry == NULL)
    return FALSE;

  info->state = entry->state;
  info->bytes_done = entry->bytes_done;
  info->bytes_total = entry->bytes_total;
  info->reason = entry->reason;
  info->message = entry->message;

  return TRUE;
}

static gboolean
info_is_for_meeting (DownloadInfo *info,
                     const char   *meeting_id)
{
  return info->meeting_ids != NULL &&
         g_strv_contains ((const char * const *) info->meeting_ids, meeting_id);
}

void
docket_downloader_get_meeting_downloads (DocketDownloader       *self,
                                         const char             *meeting_id,
                                         DocketMeetingDownloads *summary)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (DOCKET_IS_DOWNLOADER (self));
  g_return_if_fail (summary != NULL);

  memset (summary, 0, sizeof *summary);
  if (meeting_id == NULL)
    return;

  /* As many entries as contents not yet in the profile: a few dozen at most. */
  g_hash_table_iter_init (&iter, self->downloads);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      DownloadInfo *info = value;

      if (!info_is_for_meeting (info, meeting_id))
        continue;

      switch (info->state)
        {
        case DOCKET_DOWNLOAD_STATE_WAITING:
          summary->n_waiting++;
          break;
        case DOCKET_DOWNLOAD_STATE_DOWNLOADING:
          summary->n_downloading++;
          break;
        case DOCKET_DOWNLOAD_STATE_FAILED:
          summary->n_failed++;
          continue;
        case DOCKET_DOWNLOAD_STATE_NONE:
        default:
          continue;
        }

      summary->bytes_done += info->bytes_done;
      summary->bytes_total += info->bytes_total;
    }
}

/* Puts content at the head of the queue of the run under way, if that run has listed
 * its queue and the content is neither in it nor downloading. */
static gboolean
batch_queue_first (Batch        *batch,
                   DownloadInfo *info)
{
  if (!batch->listed || info->document == NULL ||
      info->state == DOCKET_DOWNLOAD_STATE_DOWNLOADING ||
      info->state == DOCKET_DOWNLOAD_STATE_WAITING)
    return FALSE;

  batch->bytes_total += (guint64) MAX (info->document->size, 0);
  g_queue_push_head (&batch->pending, docket_document_record_copy (info->document));
  return TRUE;
}

/* After a "first" or a Retry: the run under way reorders its queue and takes the
 * failed contents back; without one, the next run orders its queue so. */
static void
downloads_requested (DocketDownloader *self,
                     const char       *meeting_id,
                     const char       *sha256)
{
  g_autoptr(GPtrArray) queued = g_ptr_array_new ();
  Batch *batch = self->batch;
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->downloads);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      DownloadInfo *info = value;

      if ((sha256 != NULL && g_str_equal (key, sha256)) ||
          (meeting_id != NULL && info_is_for_meeting (info, meeting_id)))
        {
          info->retry_after = 0;
          if (batch != NULL && batch_queue_first (batch, info))
            g_ptr_array_add (queued, key);
        }
    }

  if (batch == NULL || !batch->listed)
    return;   /* its queue will be ordered when it is listed */

  for (guint i = 0; i < queued->len; i++)
    {
      const char *sha = g_ptr_array_index (queued, i);
      DownloadInfo *info = g_hash_table_lookup (self->downloads, sha);

      download_info_set_state (self, sha, DOCKET_DOWNLOAD_STATE_WAITING, 0,
                               (guint64) MAX (info->document->size, 0));
    }

  g_queue_sort (&batch->pending, compare_priority, self);
  emit_progress (batch);
  batch_pump (batch);
}

void
docket_downloader_prioritize_meeting (DocketDownloader *self,
                                      const char       *meeting_id)
{
  g_return_if_fail (DOCKET_IS_DOWNLOADER (self));
  g_return_if_fail (meeting_id != NULL);

  g_hash_table_insert (self->priority_meetings, g_strdup (meeting_id),
                       GUINT_TO_POINTER (++self->priority_serial));
  downloads_requested (self, meeting_id, NULL);
}

void
docket_downloader_prioritize_content (DocketDownloader *self,
                                      const char       *sha256)
{
  g_return_if_fail (DOCKET_IS_DOWNLOADER (self));
  g_return_if_fail (sha256 != NULL);

  g_hash_table_insert (self->priority_shas, g_strdup (sha256),
                       GUINT_TO_POINTER (++self->priority_serial));
  downloads_requested (self, NULL, sha256);
}

void
docket_downloader_clear (DocketDownloader *self)
{
  g_return_if_fail (DOCKET_IS_DOWNLOADER (self));

  download_infos_clear (self);
}

guint
docket_downloader_get_request_count (DocketDownloader *self)
{
  g_return_val_if_fail (DOCKET_IS_DOWNLOADER (self), 0);

  return self->request_count;
}

guint
docket_downloader_get_backoff_initial_ms (DocketDownloader *self)
{
  g_return_val_if_fail (DOCKET_IS_DOWNLOADER (self), 0);

  return self->backoff_initial_ms;
}

void
docket_downloader_set_backoff_initial_ms (DocketDownloader *self,
                                          guint             milliseconds)
{
  g_return_if_fail (DOCKET_IS_DOWNLOADER (self));
  g_return_if_fail (milliseconds >= 1 && milliseconds <= DOCKET_SYNC_BACKOFF_MAX_MS);

  if (self->backoff_initial_ms == milliseconds)
    return;

  self->backoff_initial_ms = milliseconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BACKOFF_INITIAL_MS]);
}

/* Object */

static void
docket_downloader_finalize (GObject *object)
{
  DocketDownloader *self = (DocketDownloader *)object;

  /* A run holds a reference on the downloader, so none is under way here. */
  g_assert (self->batch == NULL);

  g_clear_object (&self->store);
  g_clear_object (&self->session);
  g_clear_pointer (&self->downloads, g_hash_table_unref);
  g_clear_pointer (&self->priority_meetings, g_hash_table_unref);
  g_clear_pointer (&self->priority_shas, g_hash_table_unref);

  G_OBJECT_CLASS (docket_downloader_parent_class)->finalize (object);
}

static void
docket_downloader_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  DocketDownloader *self = DOCKET_DOWNLOADER (object);

  switch (prop_id)
    {
    case PROP_BACKOFF_INITIAL_MS:
      g_value_set_uint (value, self->backoff_initial_ms);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_downloader_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  DocketDownloader *self = DOCKET_DOWNLOADER (object);

  switch (prop_id)
    {
    case PROP_BACKOFF_INITIAL_MS:
      docket_downloader_set_backoff_initial_ms (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_downloader_class_init (DocketDownloaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = docket_downloader_finalize;
  object_class->get_property = docket_downloader_get_property;
  object_class->set_property = docket_downloader_set_property;

  properties[PROP_BACKOFF_INITIAL_MS] =
    g_param_spec_uint ("backoff-initial-ms", NULL, NULL,
                       1, DOCKET_SYNC_BACKOFF_MAX_MS, 5 * 1000,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * DocketDownloader::download-changed:
   * @sha256: the content whose download changed (docket_downloader_get_download ())
   * @meeting_ids: the meetings with a document of these bytes
   */
  signals[DOWNLOAD_CHANGED] =
    g_signal_new ("download-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_STRV | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * DocketDownloader::progress:
   * @done: the bytes of the run's downloads that are here
   * @total: the bytes the run has to download
   */
  signals[PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT64, G_TYPE_UINT64);
}

static void
docket_downloader_init (DocketDownloader *self)
{
  self->backoff_initial_ms = 5 * 1000;
  self->downloads = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) download_info_free);
  self->priority_meetings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->priority_shas = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

DocketDownloader *
docket_downloader_new (DocketStore *store,
                       SoupSession *session)
{
  DocketDownloader *self;

  g_return_val_if_fail (DOCKET_IS_STORE (store), NULL);
  g_return_val_if_fail (SOUP_IS_SESSION (session), NULL);

  self = g_object_new (DOCKET_TYPE_DOWNLOADER, NULL);
  self->store = g_object_ref (store);
  self->session = g_object_ref (session);

  return self;
}
