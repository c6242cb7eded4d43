/* docket-server-routes-content.c: documents' bytes, out and in — GET
 * /documents/{id}/content and the upload POST /items/{id}/documents (docs/protocol.md),
 * over the blob store (docket-server-blobs.c)
 *
 * Both move more bytes than a request should hold in memory or than the main loop should
 * wait for: a download is brought into memory from its mapped file by workers a chunk at a
 * time, an upload written to the disk as it arrives. Apart from the other routes for that.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "docket-protocol.h"
#include "docket-server-routes.h"

/* GET /documents/{id}/content
 *
 * A content is mapped from its file. Handing the whole mapping to libsoup would make the
 * main loop read the disk: libsoup copies the body to the socket there, and a page not
 * yet in memory is read at that copy, holding up every other request (a 1 GB document on
 * a cold cache stalled the loop for hundreds of milliseconds at a time). So a GET's bytes
 * are brought into memory by a worker, a chunk at a time, a second chunk read while the
 * first is written; the main loop only sends pages already in memory. */

#define CONTENT_CHUNK_BYTES   (1024 * 1024)
#define CONTENT_CHUNKS_QUEUED 2

typedef struct {
  DocketServerWorkers *workers;
  /* Weak, so that a message and its stream never keep each other alive: NULL once it
   * finished (written, or the client left) or was finalized. */
  SoupServerMessage *msg;
  GBytes            *content;   /* the mapped file */
  gsize              next;      /* the next byte to read */
  gsize              end;       /* one past the last byte to serve */
  guint              queued;    /* chunks given to libsoup and not yet written */
  gboolean           reading;
  guint              delay_ms;  /* a testing knob, for the first chunk */
} ContentStream;

static void
content_stream_release (ContentStream *stream)
{
  g_clear_weak_pointer (&stream->msg);
  g_bytes_unref (stream->content);
  g_object_unref (stream->workers);
}

static ContentStream *
content_stream_acquire (ContentStream *stream)
{
  return g_atomic_rc_box_acquire (stream);
}

static void
content_stream_unref (gpointer data)
{
  g_atomic_rc_box_release_full (data, (GDestroyNotify) content_stream_release);
}

static void
content_stream_unref_closure (gpointer  data,
                              GClosure *closure)
{
  content_stream_unref (data);
}

typedef struct {
  GBytes *content;
  gsize   offset;
  gsize   length;
  guint   delay_ms;
} ChunkRead;

static void
chunk_read_free (ChunkRead *read)
{
  g_bytes_unref (read->content);
  g_free (read);
}

/* Brings bytes offset to offset + length of a mapping into memory and into this
 * process's page tables, so that reading them later (libsoup's send, in the main loop)
 * neither waits for the disk nor faults. */
static void
fault_in_pages (const guint8 *data,
                gsize         offset,
                gsize         length,
                gsize         page)
{
  gsize start = offset / page * page;
  volatile guint8 sink = 0;

#ifdef MADV_POPULATE_READ
  /* One call for the whole chunk (Linux 5.14), on the mapping's own pages only. */
  if ((guintptr) data % page == 0 &&
      madvise ((void *) (data + start), offset + length - start, MADV_POPULATE_READ) == 0)
    return;
#endif
  /* Older kernels, or bytes that are not a mapping: a read of each page does it too. */
  for (gsize at = offset; at < offset + length; at = (at / page + 1) * page)
    sink ^= data[at];
  (void) sink;
}

static void
read_chunk_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  ChunkRead *read = task_data;
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (read->content, &size);
  gsize page = (gsize) sysconf (_SC_PAGESIZE);
  gsize ahead = (read->offset + read->length) / page * page;
  GBytes *chunk;

  /* The testing knob DOCKET_SERVER_TEST_CONTENT_DELAY_MS: as a slow disk would. */
  if (read->delay_ms > 0)
    {
      g_printerr ("test: a content chunk waits %u ms\n", read->delay_ms);
      g_usleep ((gulong) read->delay_ms * 1000);
    }
  /* The pages are read from the disk here, not in the main loop. The chunk is a slice of
   * the mapping, not a copy: a copy into fresh memory cost the server a third of its time
   * serving contents (bench/sync: the copy, and faulting in and zeroing the new pages). */
  fault_in_pages (data, read->offset, read->length, page);
  chunk = g_bytes_new_from_bytes (read->content, read->offset, read->length);
  /* The disk reads the next chunk while this one is written. Only a hint, and only on
   * the mapping's own pages (a mapped file's bytes start at one). */
  if (ahead < size && (guintptr) data % page == 0)
    (void) madvise ((void *) (data + ahead), MIN (CONTENT_CHUNK_BYTES + page, size - ahead),
                    MADV_WILLNEED);
  g_task_return_pointer (task, chunk, (GDestroyNotify) g_bytes_unref);
}

static void content_stream_fill (ContentStream *stream);

static void
content_chunk_read (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  ContentStream *stream = user_data;
  g_autoptr(GBytes) chunk = g_task_propagate_pointer (G_TASK (result), NULL);

  stream->reading = FALSE;
  if (stream->msg != NULL && chunk != NULL)
    {
      SoupMessageBody *body = soup_server_message_get_response_body (stream->msg);

      stream->next += g_bytes_get_size (chunk);
      stream->queued++;
      soup_message_body_append_bytes (body, chunk);
      if (stream->next == stream->end)
        soup_message_body_complete (body);
      soup_server_message_unpause (stream->msg);
      content_stream_fill (stream);
    }
  content_stream_unref (stream);
}

/* Reads the next chunk, unless one is being read or enough wait to be written. */
static void
content_stream_fill (ContentStream *stream)
{
  g_autoptr(GTask) task = NULL;
  ChunkRead *read;

  if (stream->msg == NULL || stream->reading ||
      docket_server_workers_is_closed (stream->workers) ||
      stream->queued >= CONTENT_CHUNKS_QUEUED || stream->next >= stream->end)
    return;

  read = g_new0 (ChunkRead, 1);
  read->content = g_bytes_ref (stream->content);
  read->offset = stream->next;
  read->length = MIN (CONTENT_CHUNK_BYTES, stream->end - stream->next);
  read->delay_ms = stream->delay_ms;
  stream->delay_ms = 0;
  task = g_task_new (NULL, NULL, content_chunk_read, content_stream_acquire (stream));
  g_task_set_source_tag (task, content_stream_fill);
  g_task_set_task_data (task, read, (GDestroyNotify) chunk_read_free);
  stream->reading = TRUE;
  /* With no room among the workers, the main loop reads: as slow as before, never
   * wrong. */
  if (!docket_server_workers_run (stream->workers, task, read_chunk_thread))
    read_chunk_thread (task, NULL, read, NULL);
}

static void
on_content_chunk_written (SoupServerMessage *msg,
                          gpointer           user_data)
{
  ContentStream *stream = user_data;

  if (stream->queued > 0)
    stream->queued--;
  content_stream_fill (stream);
}

static void
on_content_finished (SoupServerMessage *msg,
                     gpointer           user_data)
{
  ContentStream *stream = user_data;

  /* Written, or the client is gone: a read under way is dropped when it ends. */
  g_clear_weak_pointer (&stream->msg);
  g_signal_handlers_disconnect_by_data (msg, stream);
}

/* Serves bytes first to last (inclusive) of content: 200 for the whole, else 206. */
static void
serve_content_in_chunks (DocketServer      *self,
                         SoupServerMessage *msg,
                         GBytes            *content,
                         gsize              first,
                         gsize              last)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  gsize size = g_bytes_get_size (content);
  ContentStream *stream = g_atomic_rc_box_new0 (ContentStream);

  stream->workers = g_object_ref (docket_server_get_content_workers (self));
  g_set_weak_pointer (&stream->msg, msg);
  stream->content = g_bytes_ref (content);
  stream->next = first;
  stream->end = last + 1;
  stream->delay_ms = docket_server_get_content_delay (self);

  soup_message_headers_set_content_length (headers, (goffset) (stream->end - first));
  if (first == 0 && stream->end == size)
    soup_server_message_set_status (msg, 200, NULL);
  else
    {
      soup_message_headers_set_content_range (headers, (goffset) first, (goffset) last,
                                              (goffset) size);
      soup_server_message_set_status (msg, 206, NULL);
    }
  /* Written chunks are dropped, not kept for the whole response. */
  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);

  g_signal_connect_data (msg, "wrote-chunk", G_CALLBACK (on_content_chunk_written),
                         content_stream_acquire (stream), content_stream_unref_closure, 0);
  g_signal_connect_data (msg, "finished", G_CALLBACK (on_content_finished),
                         content_stream_acquire (stream), content_stream_unref_closure, 0);
  /* Until the first chunk is read. */
  soup_server_message_pause (msg);
  content_stream_fill (stream);
  content_stream_unref (stream);
}

void
docket_server_handle_content (DocketServerRequest *request)
{
  DocketServer *self = request->server;
  SoupServerMessage *msg = request->msg;
  const char *document_id = docket_server_request_param (request, "document");
  g_autoptr(GError) error = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *etag = NULL;
  g_autoptr(GBytes) bytes = NULL;
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  const char *if_none_match;
  gsize size;
  gsize first = 0, last = 0;
  int n_satisfiable = 0;

  if ((sha256 = docket_server_db_document_sha256 (docket_server_get_db (self), document_id,
                                                  &error)) == NULL ||
      (bytes = docket_server_blobs_open (docket_server_get_blobs (self), sha256, &error)) == NULL)
    {
      docket_server_reply_gerror (msg, error);
      return;
    }
  size = g_bytes_get_size (bytes);

  etag = g_strdup_printf ("\"%s\"", sha256);
  soup_message_headers_replace (headers, "ETag", etag);
  soup_message_headers_replace (headers, "Accept-Ranges", "bytes");
  if_none_match = soup_message_headers_get_one (request_headers, "If-None-Match");
  if (if_none_match != NULL && g_str_equal (if_none_match, etag))
    {
      soup_server_message_set_status (msg, 304, NULL);
      return;
    }

  if (size > 0)
    last = size - 1;
  if (soup_message_headers_get_one (request_headers, "Range") != NULL)
    {
      SoupRange *ranges = NULL;
      int n_ranges = 0;

      /* libsoup answers 416 without saying the size; the protocol wants it said. */
      if (soup_message_headers_get_ranges (request_headers, (goffset) size, &ranges, &n_ranges))
        {
          for (int i = 0; i < n_ranges; i++)
            if (ranges[i].start < (goffset) size && ranges[i].start <= ranges[i].end)
              {
                if (n_satisfiable++ == 0)
                  {
                    first = (gsize) ranges[i].start;
                    last = MIN ((gsize) ranges[i].end, size - 1);
                  }
              }
          soup_message_headers_free_ranges (request_headers, ranges);
        }
      else
        {
          /* RFC 9110: a Range that does not parse is ignored, the whole is sent. */
          soup_message_headers_remove (request_headers, "Range");
          n_satisfiable = -1;
        }
      if (n_satisfiable == 0)
        {
          g_autofree char *content_range = g_strdup_printf ("bytes */%" G_GSIZE_FORMAT, size);

          soup_message_headers_replace (headers, "Content-Range", content_range);
          soup_server_message_set_status (msg, 416, NULL);
          return;
        }
    }

  soup_message_headers_set_content_type (headers, "application/pdf", NULL);
  if (g_str_equal (soup_server_message_get_method (msg), "GET") && size > 0 &&
      n_satisfiable <= 1)
    {
      serve_content_in_chunks (self, msg, bytes, first, last);
      return;
    }

  /* HEAD, an empty content, several ranges: the whole body at once, from which libsoup
   * answers Range requests (206 with multipart/byteranges) without a copy. */
  soup_message_body_append_bytes (soup_server_message_get_response_body (msg), bytes);
  soup_server_message_set_status (msg, 200, NULL);
}


/* Uploads. The early handler (docket_server_begin_upload) checks the request from
 * its headers and has its body written to an intake of the blob store as it arrives, a
 * mebibyte at a time by a worker thread while the message is paused: memory stays bounded
 * however large the PDF and however slow the disk (the client waits meanwhile), and the
 * main thread neither writes nor hashes. Once the body is read, handle_upload checks the
 * PDF from the file and stores it, in a worker too; the database write comes back to the
 * main thread, which owns the connection. */

#define UPLOAD_FLUSH_BYTES (1024 * 1024)
#define UPLOAD_KEY         "docket-server-upload"

typedef struct {
  DocketServer           *self;       /* borrowed: see upload_message_finished */
  SoupServerMessage      *msg;        /* borrowed: it owns the upload */
  char                   *item_id;
  char                   *title;
  DocketServerBlobIntake *intake;     /* NULL once stored and committed */
  GByteArray             *pending;    /* read, not yet written */
  GError                 *error;      /* the first write that failed; the rest is dropped */
  gboolean                holds_slot;
  gboolean                finished;   /* the message is done: nothing more to unpause */
  gboolean                writing;    /* a worker writes pending, the message paused */
  guint                   idle_source;
  gint64                  last_read;  /* monotonic, when bytes last came (or were awaited) */
  char                   *sha256;     /* out of the worker */
  int                     pages;
} Upload;

/* Owned by its message: workers hold a reference to the message while they use it. */
static void
upload_free (Upload *upload)
{
  g_clear_handle_id (&upload->idle_source, g_source_remove);
  if (upload->holds_slot)
    docket_server_release_upload_slot (upload->self);
  g_free (upload->item_id);
  g_free (upload->title);
  g_clear_pointer (&upload->intake, docket_server_blob_intake_free);
  g_byte_array_unref (upload->pending);
  g_clear_error (&upload->error);
  g_free (upload->sha256);
  g_free (upload);
}

static void
upload_message_finished (SoupServerMessage *msg,
                         gpointer           user_data)
{
  Upload *upload = user_data;

  /* Answered or dropped (by the client, or by the server as it stops: the message is
   * finished before the server goes, and the upload uses it no more after this, so that
   * an upload under way keeps no reference to the server) — the slot is free. */
  upload->finished = TRUE;
  g_clear_handle_id (&upload->idle_source, g_source_remove);
  if (upload->holds_slot)
    docket_server_release_upload_slot (upload->self);
  upload->holds_slot = FALSE;
}

/* libsoup has no timeout of its own: a client that stops sending would hold its slot
 * for ever. Its connection is taken from libsoup and closed; the message, which owns
 * the upload, goes with it. */
static void
upload_drop (Upload *upload)
{
  g_autoptr(SoupServerMessage) msg = g_object_ref (upload->msg);
  GUri *uri = soup_server_message_get_uri (msg);
  GIOStream *stream;

  g_printerr ("request %s %s 408 0 (no bytes for %u s: connection closed)\n",
              soup_server_message_get_method (msg), uri ? g_uri_get_path (uri) : "-",
              docket_server_get_upload_timeout (upload->self));
  /* A stolen message is not finished by libsoup: done here, before it goes. */
  upload_message_finished (msg, upload);
  stream = soup_server_message_steal_connection (msg);
  if (stream != NULL)
    {
      g_io_stream_close (stream, NULL, NULL);
      g_object_unref (stream);
    }
}

static gboolean
upload_check_idle (gpointer user_data)
{
  Upload *upload = user_data;
  gint64 idle = g_get_monotonic_time () - upload->last_read;

  /* The server's own writing is not the client's idleness. */
  if (upload->writing ||
      idle < (gint64) docket_server_get_upload_timeout (upload->self) * G_USEC_PER_SEC)
    return G_SOURCE_CONTINUE;
  upload->idle_source = 0;
  upload_drop (upload);
  return G_SOURCE_REMOVE;
}

/* Writes what is pending to the intake. */
static gboolean
upload_write_pending (Upload  *upload,
                      GError **error)
{
  gboolean ok = docket_server_blob_intake_write (upload->intake, upload->pending->data,
                                                 upload->pending->len, error);

  g_byte_array_set_size (upload->pending, 0);
  return ok;
}

static void
upload_flush_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  GError *error = NULL;

  if (!upload_write_pending (task_data, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
upload_flushed (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Upload *upload = user_data;

  upload->writing = FALSE;
  upload->last_read = g_get_monotonic_time ();
  if (!g_task_propagate_boolean (G_TASK (result), &upload->error))
    g_printerr ("error %s\n", upload->error->message);
  if (!upload->finished)
    soup_server_message_unpause (SOUP_SERVER_MESSAGE (source));
}

/* Reading stops while a worker writes: the message is paused until it is done, so that
 * pending never holds more than UPLOAD_FLUSH_BYTES and a chunk. */
static void
upload_got_chunk (SoupServerMessage *msg,
                  GBytes            *chunk,
                  gpointer           user_data)
{
  Upload *upload = user_data;
  g_autoptr(GTask) task = NULL;
  gsize size;
  const guint8 *data = g_bytes_get_data (chunk, &size);

  upload->last_read = g_get_monotonic_time ();
  if (upload->error != NULL)
    return;
  g_byte_array_append (upload->pending, data, (guint) size);
  if (upload->pending->len < UPLOAD_FLUSH_BYTES)
    return;

  soup_server_message_pause (msg);
  upload->writing = TRUE;
  task = g_task_new (msg, NULL, upload_flushed, upload);
  g_task_set_source_tag (task, upload_got_chunk);
  g_task_set_task_data (task, upload, NULL);
  g_task_run_in_thread (task, upload_flush_thread);
}

/* The title query parameter, "Document" when absent. */
static const char *
upload_title (GHashTable  *query,
              GError     **error)
{
  const char *title = query ? g_hash_table_lookup (query, "title") : NULL;

  if (title == NULL)
    return "Document";
  if (*title == '\0' || !docket_protocol_text_is_valid (title, DOCKET_MAX_TITLE_BYTES))
    {
      g_set_error_literal (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_INVALID_FIELD,
                           _("title: empty, too long, or not valid text"));
      return NULL;
    }
  return title;
}

/* POST /items/{item}/documents, from its headers (the dispatcher checked that the user
 * may manage the item's meeting): checks the title, takes an upload slot, and has the
 * body written to an intake of the blob store as it arrives rather than kept in memory;
 * docket_server_handle_upload finishes the upload once the body is read. */
gboolean
docket_server_begin_upload (DocketServerRequest  *request,
                            GError              **error)
{
  DocketServer *self = request->server;
  SoupServerMessage *msg = request->msg;
  const char *item_id = docket_server_request_param (request, "item");
  g_autoptr(DocketServerBlobIntake) intake = NULL;
  const char *title;
  Upload *upload;

  if ((title = upload_title (request->query, error)) == NULL ||
      !docket_server_take_upload_slot (self, error))
    return FALSE;
  intake = docket_server_blobs_begin_intake (docket_server_get_blobs (self), error);
  if (intake == NULL)
    {
      docket_server_release_upload_slot (self);
      return FALSE;
    }

  upload = g_new0 (Upload, 1);
  upload->self = self;
  upload->msg = msg;
  upload->item_id = g_strdup (item_id);
  upload->title = g_strdup (title);
  upload->intake = g_steal_pointer (&intake);
  upload->pending = g_byte_array_sized_new (UPLOAD_FLUSH_BYTES + 16384);
  upload->holds_slot = TRUE;
  upload->last_read = g_get_monotonic_time ();
  upload->idle_source = g_timeout_add_seconds (1, upload_check_idle, upload);
  g_object_set_data_full (G_OBJECT (msg), UPLOAD_KEY, upload, (GDestroyNotify) upload_free);

  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (upload_got_chunk), upload);
  g_signal_connect (msg, "finished", G_CALLBACK (upload_message_finished), upload);
  return TRUE;
}

static void
upload_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Upload *upload = task_data;
  GError *error = NULL;

  if (!upload_write_pending (upload, &error) ||
      (upload->pages = docket_server_pdf_check_file (
         docket_server_blob_intake_get_path (upload->intake), &error)) < 0 ||
      (upload->sha256 = docket_server_blob_intake_store (upload->intake, &error)) == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* Once the document is committed, no garbage collection removes its blob; one that ran
 * between the worker's write and the commit may have (docket-server-gc.c), and then the
 * intake's file is linked into place again. That is rare (an old unreferenced blob
 * uploaded again at the very moment a run removes it), so it is done here, in the main
 * thread. */
static void
restore_blob (Upload *upload)
{
  g_autoptr(GError) error = NULL;

  if (!docket_server_blob_intake_restore (upload->intake, &error))
    g_printerr ("error %s\n", error->message);
}

static void
upload_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SoupServerMessage) msg = user_data;
  Upload *upload = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketDocumentRecord) record = NULL;

  /* The item may have gone while we worked: the db checks again. */
  if (!g_task_propagate_boolean (G_TASK (result), &error) ||
      (record = docket_server_db_create_document (docket_server_get_db (upload->self),
                                                  upload->item_id, upload->title, upload->sha256,
                                                  docket_server_blob_intake_get_size (upload->intake),
                                                  upload->pages, &error)) == NULL)
    docket_server_reply_gerror (msg, error);
  else
    {
      g_autoptr(JsonNode) node = docket_document_record_to_json (record);

      restore_blob (upload);
      docket_server_reply_json (msg, 201, node);
    }
  /* The temporary name goes now, not when libsoup lets the message go. */
  g_clear_pointer (&upload->intake, docket_server_blob_intake_free);
  if (!upload->finished)
    soup_server_message_unpause (msg);
}

/* POST /items/{item}/documents, its body read */
void
docket_server_handle_upload (DocketServerRequest *request)
{
  DocketServer *self = request->server;
  SoupServerMessage *msg = request->msg;
  Upload *upload = g_object_get_data (G_OBJECT (msg), UPLOAD_KEY);
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;

  /* The body is all there: from here on, only the server works. */
  if (upload != NULL)
    g_clear_handle_id (&upload->idle_source, g_source_remove);

  /* Checked from the headers already; again (the dispatcher checked the right again
   * too), since they may have changed meanwhile. */
  if (upload_title (request->query, &error) == NULL)
    {
      docket_server_reply_gerror (msg, error);
      return;
    }
  /* No body at all: the early handler had nothing to take. */
  if (upload == NULL || upload->intake == NULL)
    {
      docket_server_reply_error (msg, 415, DOCKET_ERR_UNSUPPORTED_MEDIA,
                                 _("Only PDF documents can be uploaded; this is not a PDF"));
      return;
    }
  if (upload->error != NULL)
    {
      docket_server_reply_gerror (msg, upload->error);
      return;
    }
  /* The early handler refused a declared length over the limit; this is the hard cap. */
  if (docket_server_blob_intake_get_size (upload->intake) + upload->pending->len >
      docket_server_get_max_upload_bytes (self))
    {
      docket_server_reply_error (msg, 413, DOCKET_ERR_TOO_LARGE,
                                 _("The body is larger than this server accepts"));
      return;
    }

  /* The task holds the server (whose database and blobs the end of the upload uses) and
   * the message, which owns the upload. */
  soup_server_message_pause (msg);
  task = g_task_new (self, NULL, upload_done, g_object_ref (msg));
  g_task_set_source_tag (task, docket_server_handle_upload);
  g_task_set_task_data (task, upload, NULL);
  g_task_run_in_thread (task, upload_thread);
}

