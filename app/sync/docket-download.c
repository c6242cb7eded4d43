/* docket-download.c: one content's download, from the request to the file in place
 *
 * Apart from the downloader (docket-downloader.c), which decides what to download and
 * when: this file holds how one content arrives. The main context sends the request and
 * reads the body in large chunks; a writer thread appends them to the partial file,
 * hashes them and, once size and SHA-256 match, renames the file into place. Nothing
 * here knows of the queue, the run or the engine: it tells its owner through
 * DocketDownloadCallbacks (docket-download.h).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <gio/gfiledescriptorbased.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "docket-main-context.h"
#include "docket-api.h"
#include "docket-download.h"
#include "docket-downloader.h"
#include "docket-sha256.h"
#include "docket-sync.h"

#define DOWNLOAD_READ_BYTES     (256 * 1024)
#define DOWNLOAD_QUEUE_BYTES    (8 * 1024 * 1024)    /* per download, read ahead of the writer */
/* Four for each download the downloader runs at once, receiving or finishing. */
#define READ_BUFFER_POOL_MAX    ((DOCKET_DOWNLOADER_MAX_RECEIVING + DOCKET_DOWNLOADER_MAX_FINISHING) * 4)

/* Read buffers
 *
 * Every downloaded byte passes through a DOWNLOAD_READ_BYTES buffer on its way from the
 * socket to the writer thread. Fresh buffers of that size come from mmap (above
 * malloc's threshold): each costs page faults and zeroed pages, more than the copy
 * itself. Used buffers are kept here, for any thread, and reused. */

static GMutex   read_buffer_lock;
static GSList  *read_buffer_pool;     /* guchar[DOWNLOAD_READ_BYTES] */
static guint    read_buffer_pool_len;

static guchar *
read_buffer_take (void)
{
  guchar *buffer = NULL;

  g_mutex_lock (&read_buffer_lock);
  if (read_buffer_pool != NULL)
    {
      buffer = read_buffer_pool->data;
      read_buffer_pool = g_slist_delete_link (read_buffer_pool, read_buffer_pool);
      read_buffer_pool_len--;
    }
  g_mutex_unlock (&read_buffer_lock);

  return buffer != NULL ? buffer : g_malloc (DOWNLOAD_READ_BYTES);
}

static void
read_buffer_give (gpointer buffer)
{
  g_mutex_lock (&read_buffer_lock);
  if (read_buffer_pool_len < READ_BUFFER_POOL_MAX)
    {
      read_buffer_pool = g_slist_prepend (read_buffer_pool, buffer);
      read_buffer_pool_len++;
      buffer = NULL;
    }
  g_mutex_unlock (&read_buffer_lock);

  g_free (buffer);
}

/* Downloads
 *
 * The main context sends the request and reads the body in large chunks; a writer in a
 * worker thread appends them to the partial file and hashes them. The reader stays at
 * most DOWNLOAD_QUEUE_BYTES ahead of the writer. Once every byte has arrived, the
 * download leaves its network slot to the next one while its writer finishes (hash,
 * rename). */

struct _DocketDownload
{
  gatomicrefcount       ref_count;

  /* Set before the writer starts, read-only afterwards */
  DocketStore          *store;
  DocketDocumentRecord *document;
  char                 *partial_path;
  char                 *blob_path;
  GMainContext         *main_context;
  goffset               offset;        /* bytes of the partial file kept */

  /* Main context only */
  const DocketDownloadCallbacks *callbacks;
  gpointer              user_data;     /* the owner's, for the callbacks */
  SoupSession          *session;
  char                 *server_url;
  char                 *token;
  SoupMessage          *message;
  GInputStream         *body;
  guchar               *read_buffer;   /* of the read under way */
  GCancellable         *cancellable;
  goffset               received;
  GError               *reader_error;
  GError               *writer_error;
  guint                 reading : 1;
  guint                 reader_done : 1;
  guint                 writer_started : 1;
  guint                 writer_done : 1;
  guint                 finished : 1;
  guint                 restarted : 1;

  /* Shared with the writer */
  GAsyncQueue          *queue;         /* GBytes*; an empty one ends the stream */
  GMutex                lock;
  gsize                 queued_bytes;
  gboolean              reader_paused;
  gint                  aborted;       /* atomic: the end is not EOF */
  gint                  discard;       /* atomic: delete the partial file at the end */
};

DocketDownload *
docket_download_ref (DocketDownload *dl)
{
  g_atomic_ref_count_inc (&dl->ref_count);
  return dl;
}

void
docket_download_unref (DocketDownload *dl)
{
  if (!g_atomic_ref_count_dec (&dl->ref_count))
    return;

  g_clear_object (&dl->store);
  g_clear_object (&dl->session);
  g_clear_pointer (&dl->server_url, g_free);
  if (dl->token != NULL)
    memset (dl->token, 0, strlen (dl->token));
  g_clear_pointer (&dl->token, g_free);
  g_clear_pointer (&dl->document, docket_document_record_free);
  g_clear_pointer (&dl->partial_path, g_free);
  g_clear_pointer (&dl->blob_path, g_free);
  g_clear_pointer (&dl->main_context, g_main_context_unref);
  g_clear_object (&dl->message);
  g_clear_object (&dl->body);
  g_clear_pointer (&dl->read_buffer, read_buffer_give);
  g_clear_object (&dl->cancellable);
  g_clear_error (&dl->reader_error);
  g_clear_error (&dl->writer_error);
  g_clear_pointer (&dl->queue, g_async_queue_unref);
  g_mutex_clear (&dl->lock);
  g_free (dl);
}

void
docket_download_cancel (DocketDownload *dl)
{
  g_cancellable_cancel (dl->cancellable);
}

/* Writer thread */

static gboolean
hash_existing_prefix (DocketDownload  *dl,
                      DocketSha256    *checksum,
                      GError         **error)
{
  g_autofree guchar *buffer = NULL;
  goffset left = dl->offset;
  int fd;

  if (left == 0)
    return TRUE;

  fd = g_open (dl->partial_path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "%s: %s",
                   dl->partial_path, g_strerror (saved_errno));
      return FALSE;
    }

  buffer = g_malloc (1024 * 1024);
  while (left > 0)
    {
      ssize_t n = read (fd, buffer, (size_t) MIN (left, 1024 * 1024));

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved_errno = errno;
          close (fd);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s",
                       dl->partial_path, n == 0 ? "short file" : g_strerror (saved_errno));
          return FALSE;
        }

      docket_sha256_update (checksum, buffer, (gsize) n);
      left -= n;
    }

  close (fd);
  return TRUE;
}

static gboolean
resume_reading_cb (gpointer user_data);

/* After a chunk is written: let a paused reader go on. */
static void
writer_consumed (DocketDownload *dl,
                 gsize           len)
{
  gboolean resume = FALSE;

  g_mutex_lock (&dl->lock);
  dl->queued_bytes -= len;
  if (dl->reader_paused && dl->queued_bytes <= DOWNLOAD_QUEUE_BYTES / 2)
    {
      dl->reader_paused = FALSE;
      resume = TRUE;
    }
  g_mutex_unlock (&dl->lock);

  if (resume)
    /* The reading resumes in the main context's thread, never in this writer thread
     * (docket-main-context.h). */
    docket_main_context_post (dl->main_context, G_PRIORITY_DEFAULT, "[docket] download resume",
                              resume_reading_cb, docket_download_ref (dl),
                              (GDestroyNotify) docket_download_unref);
}

static gboolean
fsync_directory (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  gboolean ok;

  if (fd < 0)
    return FALSE;

  ok = fsync (fd) == 0;
  close (fd);

  return ok;
}

/* Renames the verified partial file to its blob path; FALSE with errno set. The store
 * made the blob folders with the profile (docket_store_blobs_make_folders): only in a
 * profile older than that is one missing, and made here, once. */
static gboolean
move_into_place (DocketDownload *dl)
{
  g_autofree char *blob_dir = NULL;

  if (g_rename (dl->partial_path, dl->blob_path) == 0)
    return TRUE;
  if (errno != ENOENT)
    return FALSE;
  blob_dir = g_path_get_dirname (dl->blob_path);
  if (g_mkdir (blob_dir, 0700) != 0 && errno != EEXIST)
    return FALSE;
  return g_rename (dl->partial_path, dl->blob_path) == 0;
}

static gboolean
writer_finish_file (DocketDownload  *dl,
                    GOutputStream   *out,
                    DocketSha256    *checksum,
                    goffset          total,
                    GError         **error)
{
  const char *hex;

  if (!g_output_stream_flush (out, NULL, error))
    return FALSE;

  /* No fdatasync: the store records the boot this content was written under, and a
   * content of an earlier boot is re-hashed before it counts again (verify_blobs ()),
   * so a crash of the machine costs a download, not a damaged document. Only where
   * there is no boot id must the bytes be on the disk before the rename. */
  if (docket_store_get_boot_id () == NULL && G_IS_FILE_DESCRIPTOR_BASED (out) &&
      fdatasync (g_file_descriptor_based_get_fd (G_FILE_DESCRIPTOR_BASED (out))) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "fdatasync: %s", g_strerror (saved_errno));
      return FALSE;
    }

  if (!g_output_stream_close (out, NULL, error))
    return FALSE;

  if (total < dl->document->size)
    {
      g_set_error (error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_UNREACHABLE,
                   _("The download of “%s” was cut off. It will go on at the next sync."),
                   dl->document->title);
      return FALSE;
    }

  hex = docket_sha256_get_hex (checksum);
  if (total != dl->document->size || g_strcmp0 (hex, dl->document->sha256) != 0)
    {
      g_unlink (dl->partial_path);
      g_set_error (error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_CHECKSUM,
                   _("The document “%s” arrived damaged (it does not match its checksum) "
                     "and was not kept. It will be downloaded again at the next sync."),
                   dl->document->title);
      return FALSE;
    }

  if (!move_into_place (dl))
    {
      int saved_errno = errno;
      g_set_error (error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_STORE,
                   _("The document “%s” could not be saved: %s"),
                   dl->document->title, g_strerror (saved_errno));
      return FALSE;
    }

  if (docket_store_get_boot_id () == NULL)
    fsync_directory (dl->blob_path);

  return docket_store_mark_blob_complete (dl->store, dl->document->sha256, error);
}

/* Asks the kernel to start writing what arrived so far, without waiting for it, every
 * few MiB: the disk then works while the network still delivers, dirty pages do not
 * pile up, and a re-hash after a crash rarely finds a content incomplete. */
#define WRITEBACK_STEP (4 * 1024 * 1024)

static void
start_writeback (GOutputStream *out,
                 goffset       *written_back,
                 goffset        total)
{
  if (total - *written_back < WRITEBACK_STEP || !G_IS_FILE_DESCRIPTOR_BASED (out))
    return;
#ifdef SYNC_FILE_RANGE_WRITE
  /* Only a hint: a failure to write shows again at close or at the re-hash. */
  (void) sync_file_range (g_file_descriptor_based_get_fd (G_FILE_DESCRIPTOR_BASED (out)),
                          *written_back, total - *written_back, SYNC_FILE_RANGE_WRITE);
#endif
  *written_back = total;
}

static void
writer_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  DocketDownload *dl = task_data;
  g_autoptr(DocketSha256) checksum = docket_sha256_new ();
  g_autoptr(GFile) file = g_file_new_for_path (dl->partial_path);
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  goffset total = dl->offset;
  goffset written_back = dl->offset;
  gboolean failed = FALSE;

  if (dl->offset == 0)
    g_unlink (dl->partial_path);

  if (!hash_existing_prefix (dl, checksum, &error) ||
      !(out = g_file_append_to (file, G_FILE_CREATE_PRIVATE, NULL, &error)))
    {
      g_unlink (dl->partial_path);
      failed = TRUE;
    }

  /* On a failure the writer stops at once; download_written_cb then stops the reader,
   * and what is left in the queue goes with the download. */
  while (!failed)
    {
      g_autoptr(GBytes) bytes = g_async_queue_pop (dl->queue);
      gsize len = g_bytes_get_size (bytes);

      if (len == 0)
        break;

      if (total + (goffset) len > dl->document->size)
        {
          g_set_error (&error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_PROTOCOL,
                       _("The server sent more of “%s” than announced. It was not kept."),
                       dl->document->title);
          g_atomic_int_set (&dl->discard, TRUE);
          failed = TRUE;
        }
      else if (!g_output_stream_write_all (G_OUTPUT_STREAM (out),
                                           g_bytes_get_data (bytes, NULL), len,
                                           NULL, NULL, &error))
        failed = TRUE;
      else
        {
          docket_sha256_update (checksum, g_bytes_get_data (bytes, NULL), len);
          total += (goffset) len;
          start_writeback (G_OUTPUT_STREAM (out), &written_back, total);
          writer_consumed (dl, len);
        }
    }

  if (!failed && g_atomic_int_get (&dl->aborted))
    {
      /* Keep what arrived for a resume, unless it is known to be bad. */
      if (out != NULL)
        g_output_stream_close (G_OUTPUT_STREAM (out), NULL, NULL);
      if (g_atomic_int_get (&dl->discard))
        g_unlink (dl->partial_path);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "aborted");
      return;
    }

  if (!failed && !writer_finish_file (dl, G_OUTPUT_STREAM (out), checksum, total, &error))
    failed = TRUE;

  if (failed)
    {
      if (out != NULL && !g_output_stream_is_closed (G_OUTPUT_STREAM (out)))
        g_output_stream_close (G_OUTPUT_STREAM (out), NULL, NULL);
      if (g_atomic_int_get (&dl->discard))
        g_unlink (dl->partial_path);

      if (error->domain == DOCKET_SYNC_ERROR)
        g_task_return_error (task, g_steal_pointer (&error));
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
        g_task_return_new_error (task, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_STORE,
                                 _("The disk is full, so “%s” could not be saved. Free some "
                                   "space, then try again."),
                                 dl->document->title);
      else
        g_task_return_new_error (task, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_STORE,
                                 _("The document “%s” could not be saved: %s"),
                                 dl->document->title, error->message);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/* Main context side */

static void
download_maybe_finish (DocketDownload *dl)
{
  GError *error = NULL;

  if (dl->finished || !dl->reader_done || !dl->writer_done)
    return;

  dl->finished = TRUE;

  /* The writer knows best what went wrong with the file; the reader with the network. */
  if (dl->writer_error != NULL &&
      !g_error_matches (dl->writer_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    error = g_steal_pointer (&dl->writer_error);
  else if (dl->reader_error != NULL)
    error = g_steal_pointer (&dl->reader_error);
  else if (dl->writer_error != NULL)
    error = g_steal_pointer (&dl->writer_error);

  dl->callbacks->finished (dl, error, dl->user_data);
}

/* Ends the reading side, telling the writer how the stream ended. */
static void
download_end_reading (DocketDownload *dl,
                      GError         *error)
{
  if (dl->reader_done)
    {
      if (error != NULL)
        g_error_free (error);
      return;
    }

  dl->reader_done = TRUE;

  if (error != NULL)
    {
      if (dl->reader_error == NULL)
        dl->reader_error = error;
      else
        g_error_free (error);
      g_atomic_int_set (&dl->aborted, TRUE);
    }

  if (dl->writer_started && !dl->writer_done)
    g_async_queue_push (dl->queue, g_bytes_new (NULL, 0));

  if (!dl->writer_started)
    dl->writer_done = TRUE;
}

static void download_read_next (DocketDownload *dl);

static void
download_read_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  DocketDownload *dl = user_data;
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;
  gssize n_read;
  gsize len;
  gboolean pause;

  dl->reading = FALSE;

  n_read = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);
  if (n_read > 0)
    {
      guchar *buffer = g_steal_pointer (&dl->read_buffer);

      /* The buffer goes back to the pool when the writer drops the bytes. */
      bytes = g_bytes_new_with_free_func (buffer, (gsize) n_read, read_buffer_give, buffer);
    }
  else
    {
      g_clear_pointer (&dl->read_buffer, read_buffer_give);
      if (n_read == 0)
        bytes = g_bytes_new (NULL, 0);
    }

  if (bytes == NULL || dl->writer_done)
    {
      if (bytes == NULL)
        {
          GError *mapped = docket_api_transport_error (dl->server_url, error);
          g_error_free (error);
          download_end_reading (dl, mapped);
        }
      else
        download_end_reading (dl, g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED, "writer stopped"));
      download_maybe_finish (dl);
      docket_download_unref (dl);
      return;
    }

  len = g_bytes_get_size (bytes);
  if (len == 0)
    {
      download_end_reading (dl, NULL);
      download_maybe_finish (dl);
      /* Every byte is here: the network slot goes to the next download while the
       * writer finishes. (When the download finished, its owner knows already.) */
      if (!dl->finished)
        dl->callbacks->network_done (dl, dl->user_data);
      docket_download_unref (dl);
      return;
    }

  dl->received += (goffset) len;
  if (dl->offset + dl->received > dl->document->size)
    {
      g_atomic_int_set (&dl->discard, TRUE);
      download_end_reading (dl, g_error_new (DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_PROTOCOL,
                                             _("The server sent more of “%s” than announced. It was not kept."),
                                             dl->document->title));
      docket_download_cancel (dl);
      download_maybe_finish (dl);
      docket_download_unref (dl);
      return;
    }

  dl->callbacks->counted (dl, len, dl->user_data);
  dl->callbacks->progress (dl, (guint64) (dl->offset + dl->received), dl->user_data);

  g_mutex_lock (&dl->lock);
  dl->queued_bytes += len;
  pause = dl->queued_bytes > DOWNLOAD_QUEUE_BYTES;
  dl->reader_paused = pause;
  g_mutex_unlock (&dl->lock);

  g_async_queue_push (dl->queue, g_steal_pointer (&bytes));

  if (!pause)
    download_read_next (dl);

  docket_download_unref (dl);
}

static void
download_read_next (DocketDownload *dl)
{
  if (dl->reader_done || dl->reading)
    return;

  dl->reading = TRUE;
  dl->read_buffer = read_buffer_take ();
  g_input_stream_read_async (dl->body, dl->read_buffer, DOWNLOAD_READ_BYTES, G_PRIORITY_DEFAULT,
                             dl->cancellable, download_read_cb, docket_download_ref (dl));
}

static gboolean
resume_reading_cb (gpointer user_data)
{
  DocketDownload *dl = user_data;

  if (dl->reader_done)
    return G_SOURCE_REMOVE;

  if (dl->writer_done)
    {
      /* The writer gave up: stop reading. */
      if (dl->reading)
        docket_download_cancel (dl);
      else
        {
          download_end_reading (dl, NULL);
          download_maybe_finish (dl);
        }
      return G_SOURCE_REMOVE;
    }

  download_read_next (dl);

  return G_SOURCE_REMOVE;
}

static void
download_written_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  DocketDownload *dl = user_data;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    dl->writer_error = error;

  dl->writer_done = TRUE;

  if (!dl->reader_done)
    {
      if (dl->reading)
        docket_download_cancel (dl);   /* the read callback ends the reader */
      else
        dl->reader_done = TRUE;
    }

  download_maybe_finish (dl);
  docket_download_unref (dl);
}

static void
download_start_writer (DocketDownload *dl)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, download_written_cb, docket_download_ref (dl));

  g_task_set_source_tag (task, download_start_writer);
  g_task_set_task_data (task, docket_download_ref (dl), (GDestroyNotify) docket_download_unref);
  dl->writer_started = TRUE;
  g_task_run_in_thread (task, writer_thread);
}

static void download_send (DocketDownload *dl);

static void
download_sent_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  DocketDownload *dl = user_data;
  SoupMessageHeaders *headers;
  GError *error = NULL;
  goffset length;
  guint status;

  dl->body = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (dl->body == NULL)
    {
      GError *mapped = docket_api_transport_error (dl->server_url, error);
      g_error_free (error);
      download_end_reading (dl, mapped);
      download_maybe_finish (dl);
      docket_download_unref (dl);
      return;
    }

  status = soup_message_get_status (dl->message);
  headers = soup_message_get_response_headers (dl->message);

  if (status == SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE && !dl->restarted)
    {
      /* Our partial file does not fit the document (it changed?): start over. */
      g_unlink (dl->partial_path);
      dl->offset = 0;
      dl->restarted = TRUE;
      g_clear_object (&dl->body);
      download_send (dl);
      docket_download_unref (dl);
      return;
    }

  if (status == SOUP_STATUS_NOT_FOUND)
    {
      /* Taken away since the page was applied; the next page of changes removes it. */
      download_end_reading (dl, NULL);
      download_maybe_finish (dl);
      docket_download_unref (dl);
      return;
    }

  if (status == SOUP_STATUS_OK)
    {
      dl->offset = 0;   /* the whole document: the writer starts the file again */
    }
  else if (status == SOUP_STATUS_PARTIAL_CONTENT)
    {
      goffset start = -1, end = -1, total = -1;

      if (!soup_message_headers_get_content_range (headers, &start, &end, &total) ||
          start != dl->offset || (total != -1 && total != dl->document->size))
        {
          g_autofree char *detail = g_strdup_printf (_("a wrong range of “%s”"), dl->document->title);
          download_end_reading (dl, docket_api_protocol_error (detail));
          download_maybe_finish (dl);
          docket_download_unref (dl);
          return;
        }
    }
  else if (SOUP_STATUS_IS_REDIRECTION (status))
    {
      /* Not followed (docket_api_new_message): the token stays with our server. */
      download_end_reading (dl, docket_api_redirect_error (dl->message));
      download_maybe_finish (dl);
      docket_download_unref (dl);
      return;
    }
  else
    {
      download_end_reading (dl, docket_api_status_error (status));
      download_maybe_finish (dl);
      docket_download_unref (dl);
      return;
    }

  dl->callbacks->counted (dl, (guint64) dl->offset, dl->user_data);
  dl->callbacks->progress (dl, (guint64) dl->offset, dl->user_data);

  length = soup_message_headers_get_content_length (headers);
  if (length > 0 && dl->offset + length > dl->document->size)
    {
      g_atomic_int_set (&dl->discard, TRUE);
      g_unlink (dl->partial_path);
      download_end_reading (dl, g_error_new (DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_PROTOCOL,
                                             _("The server sent more of “%s” than announced. It was not kept."),
                                             dl->document->title));
      download_maybe_finish (dl);
      docket_download_unref (dl);
      return;
    }

  download_start_writer (dl);
  download_read_next (dl);
  docket_download_unref (dl);
}

static void
download_send (DocketDownload *dl)
{
  g_autofree char *url = NULL;
  g_autofree char *escaped = g_uri_escape_string (dl->document->id, NULL, FALSE);
  SoupMessageHeaders *headers;

  url = g_strdup_printf ("%s" DOCKET_API_PREFIX "/documents/%s/content", dl->server_url, escaped);

  g_clear_object (&dl->message);
  dl->message = docket_api_new_message ("GET", url, dl->token);
  if (dl->message == NULL)
    {
      download_end_reading (dl, docket_api_protocol_error (_("a document id that is not usable")));
      download_maybe_finish (dl);
      return;
    }

  headers = soup_message_get_request_headers (dl->message);
  if (dl->offset > 0)
    soup_message_headers_set_range (headers, dl->offset, -1);

  dl->callbacks->request_sent (dl, dl->user_data);

  soup_session_send_async (dl->session, dl->message, G_PRIORITY_DEFAULT, dl->cancellable,
                           download_sent_cb, docket_download_ref (dl));
}

DocketDownload *
docket_download_new (DocketStore                   *store,
                     SoupSession                   *session,
                     const char                    *server_url,
                     const char                    *token,
                     const DocketDocumentRecord    *document,
                     const DocketDownloadCallbacks *callbacks,
                     gpointer                       user_data)
{
  DocketDownload *dl;

  g_return_val_if_fail (DOCKET_IS_STORE (store), NULL);
  g_return_val_if_fail (SOUP_IS_SESSION (session), NULL);
  g_return_val_if_fail (server_url != NULL, NULL);
  g_return_val_if_fail (document != NULL, NULL);
  g_return_val_if_fail (callbacks != NULL, NULL);

  dl = g_new0 (DocketDownload, 1);
  g_atomic_ref_count_init (&dl->ref_count);
  g_mutex_init (&dl->lock);
  dl->callbacks = callbacks;
  dl->user_data = user_data;
  dl->store = g_object_ref (store);
  dl->session = g_object_ref (session);
  dl->server_url = g_strdup (server_url);
  dl->token = g_strdup (token);
  dl->document = docket_document_record_copy (document);
  dl->main_context = g_main_context_ref_thread_default ();
  dl->cancellable = g_cancellable_new ();
  dl->queue = g_async_queue_new_full ((GDestroyNotify) g_bytes_unref);
  dl->partial_path = docket_store_dup_partial_path (store, document->sha256);
  dl->blob_path = docket_store_dup_blob_path (store, document->sha256);

  return dl;
}

void
docket_download_start (DocketDownload *dl)
{
  /* The owner may drop its reference when the download finishes within this call. */
  g_autoptr(DocketDownload) hold = docket_download_ref (dl);
  GStatBuf st;

  if (dl->partial_path == NULL || dl->blob_path == NULL)
    {
      download_end_reading (dl, docket_api_protocol_error (_("a document checksum that is not usable")));
      download_maybe_finish (dl);
      return;
    }

  /* Resume what an earlier run left. */
  if (g_stat (dl->partial_path, &st) == 0 && S_ISREG (st.st_mode))
    {
      if (st.st_size > dl->document->size)
        g_unlink (dl->partial_path);
      else
        dl->offset = st.st_size;
    }

  if (dl->offset == dl->document->size && dl->offset > 0)
    {
      /* Everything is there already: only check it. */
      dl->callbacks->counted (dl, (guint64) dl->offset, dl->user_data);
      download_start_writer (dl);
      download_end_reading (dl, NULL);
      return;
    }

  download_send (dl);
}

gboolean
docket_download_is_receiving (DocketDownload *dl)
{
  return !dl->reader_done;
}

const DocketDocumentRecord *
docket_download_get_document (DocketDownload *dl)
{
  return dl->document;
}
