/* docket-server-live-input.c: DocketServerLiveInput, a live channel client's bytes read
 * with a watch on the size of its messages (see the header for why)
 *
 * A pass-through input stream: every byte read from the connection goes through a small
 * parser of the client's WebSocket frames (RFC 6455, section 5.2), which keeps, across
 * reads, where it is in the current frame and how many payload bytes the current
 * message's data frames brought. It reads nothing ahead and changes nothing; libsoup
 * parses the same bytes after it. It is pollable, as libsoup's WebSocket connection
 * requires, and closing it closes the whole connection it was given.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "docket-server-live-input.h"

/* A frame's header: 2 bytes, 2 or 8 of extended length, 4 of mask. */
#define MAX_HEADER_BYTES 14

struct _DocketServerLiveInput
{
  GFilterInputStream  parent_instance;

  GIOStream          *connection;          /* owned: closed with this stream */
  gsize               max_message_bytes;

  /* where the parser is */
  guint8              header[MAX_HEADER_BYTES];
  gsize               header_length;       /* bytes of the header read so far */
  guint64             payload_left;        /* bytes of the current frame still to come */
  guint64             message_bytes;       /* payload of the current message so far */
  GError             *failure;             /* why every read fails from now on */
};

static void docket_server_live_input_pollable_init (GPollableInputStreamInterface *iface);

G_DEFINE_TYPE_WITH_CODE (DocketServerLiveInput, docket_server_live_input, G_TYPE_FILTER_INPUT_STREAM,
                         G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                docket_server_live_input_pollable_init))

/* The parser */

/* How long the header that begins with header[0..1] is. */
static gsize
header_size (const guint8 *header)
{
  guint length = header[1] & 0x7f;
  gsize size = 2 + ((header[1] & 0x80) ? 4 : 0);

  if (length == 126)
    size += 2;
  else if (length == 127)
    size += 8;
  return size;
}

static guint64
payload_length (const guint8 *header)
{
  guint length = header[1] & 0x7f;
  guint64 value = 0;

  if (length < 126)
    return length;
  for (gsize i = 0; i < (length == 126 ? 2u : 8u); i++)
    value = value << 8 | header[2 + i];
  return value;
}

/* A whole header was read: counts its payload if it is data. */
static gboolean
take_header (DocketServerLiveInput  *self,
             GError                **error)
{
  guint opcode = self->header[0] & 0x0f;
  gboolean fin = (self->header[0] & 0x80) != 0;

  self->payload_left = payload_length (self->header);
  self->header_length = 0;
  /* A ping asks for a pong, which libsoup queues in memory, without a bound, when it
   * cannot write it: a client that pings and never reads would grow the server. */
  if (opcode == 0x9 && docket_server_live_output_backed_up (self->connection))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                           _("The client of a live channel reads nothing of what it is sent"));
      return FALSE;
    }
  /* Control frames (close, ping, pong) come between fragments and are short. */
  if (opcode >= 0x8)
    return TRUE;
  /* A new text or binary message starts the count again; a continuation adds to it. */
  if (opcode != 0x0)
    self->message_bytes = 0;
  if (self->payload_left > self->max_message_bytes - MIN (self->message_bytes, self->max_message_bytes))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                   _("A message on the live channel is larger than %u bytes"),
                   (guint) self->max_message_bytes);
      return FALSE;
    }
  self->message_bytes += self->payload_left;
  if (fin)
    self->message_bytes = 0;
  return TRUE;
}

static gboolean
follow (DocketServerLiveInput  *self,
        const guint8           *data,
        gsize                   size,
        GError                **error)
{
  gsize at = 0;

  while (at < size)
    {
      if (self->payload_left > 0)
        {
          gsize skip = (gsize) MIN ((guint64) (size - at), self->payload_left);

          self->payload_left -= skip;
          at += skip;
          continue;
        }
      self->header[self->header_length++] = data[at++];
      if (self->header_length >= 2 && self->header_length == header_size (self->header) &&
          !take_header (self, error))
        return FALSE;
    }
  return TRUE;
}

/* Whatever was read goes through the parser; a read that breaks a limit fails, and so
 * does every read after it. */
static gssize
checked (DocketServerLiveInput  *self,
         const void             *buffer,
         gssize                  count,
         GError                **error)
{
  if (count > 0 && !follow (self, buffer, (gsize) count, &self->failure))
    {
      if (error != NULL)
        *error = g_error_copy (self->failure);
      return -1;
    }
  return count;
}

static gboolean
refuse_after_failure (DocketServerLiveInput  *self,
                      GError                **error)
{
  if (self->failure == NULL)
    return FALSE;
  if (error != NULL)
    *error = g_error_copy (self->failure);
  return TRUE;
}

static GInputStream *
base_of (DocketServerLiveInput *self)
{
  return g_filter_input_stream_get_base_stream (G_FILTER_INPUT_STREAM (self));
}

/* GInputStream */

static gssize
docket_server_live_input_read (GInputStream  *stream,
                               void          *buffer,
                               gsize          count,
                               GCancellable  *cancellable,
                               GError       **error)
{
  DocketServerLiveInput *self = DOCKET_SERVER_LIVE_INPUT (stream);

  if (refuse_after_failure (self, error))
    return -1;
  return checked (self, buffer, g_input_stream_read (base_of (self), buffer, count, cancellable,
                                                     error), error);
}

static gboolean
docket_server_live_input_close (GInputStream  *stream,
                                GCancellable  *cancellable,
                                GError       **error)
{
  DocketServerLiveInput *self = DOCKET_SERVER_LIVE_INPUT (stream);

  return g_io_stream_close (self->connection, cancellable, error);
}

static void
on_connection_closed (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (g_io_stream_close_finish (G_IO_STREAM (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* The connection's own close, in the main loop (GInputStream's default would run the
 * blocking one in a thread). */
static void
docket_server_live_input_close_async (GInputStream        *stream,
                                      int                  io_priority,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  DocketServerLiveInput *self = DOCKET_SERVER_LIVE_INPUT (stream);
  GTask *task = g_task_new (stream, cancellable, callback, user_data);

  g_task_set_source_tag (task, docket_server_live_input_close_async);
  g_io_stream_close_async (self->connection, io_priority, cancellable, on_connection_closed, task);
}

static gboolean
docket_server_live_input_close_finish (GInputStream  *stream,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* GPollableInputStream */

static gboolean
docket_server_live_input_can_poll (GPollableInputStream *stream)
{
  GInputStream *base = base_of (DOCKET_SERVER_LIVE_INPUT (stream));

  return G_IS_POLLABLE_INPUT_STREAM (base) &&
         g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (base));
}

static gboolean
docket_server_live_input_is_readable (GPollableInputStream *stream)
{
  GInputStream *base = base_of (DOCKET_SERVER_LIVE_INPUT (stream));

  return g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (base));
}

static GSource *
docket_server_live_input_create_source (GPollableInputStream *stream,
                                        GCancellable         *cancellable)
{
  GInputStream *base = base_of (DOCKET_SERVER_LIVE_INPUT (stream));
  g_autoptr(GSource) base_source = g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (base),
                                                                          NULL);

  return g_pollable_source_new_full (stream, base_source, cancellable);
}

static gssize
docket_server_live_input_read_nonblocking (GPollableInputStream  *stream,
                                           void                  *buffer,
                                           gsize                  count,
                                           GError               **error)
{
  DocketServerLiveInput *self = DOCKET_SERVER_LIVE_INPUT (stream);
  GInputStream *base = base_of (self);

  if (refuse_after_failure (self, error))
    return -1;
  return checked (self, buffer,
                  g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (base), buffer,
                                                            count, NULL, error),
                  error);
}

static void
docket_server_live_input_pollable_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = docket_server_live_input_can_poll;
  iface->is_readable = docket_server_live_input_is_readable;
  iface->create_source = docket_server_live_input_create_source;
  iface->read_nonblocking = docket_server_live_input_read_nonblocking;
}

/* GObject */

static void
docket_server_live_input_finalize (GObject *object)
{
  DocketServerLiveInput *self = DOCKET_SERVER_LIVE_INPUT (object);

  g_clear_object (&self->connection);
  g_clear_error (&self->failure);

  G_OBJECT_CLASS (docket_server_live_input_parent_class)->finalize (object);
}

static void
docket_server_live_input_class_init (DocketServerLiveInputClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *input_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = docket_server_live_input_finalize;
  input_class->read_fn = docket_server_live_input_read;
  input_class->close_fn = docket_server_live_input_close;
  input_class->close_async = docket_server_live_input_close_async;
  input_class->close_finish = docket_server_live_input_close_finish;
}

static void
docket_server_live_input_init (DocketServerLiveInput *self)
{
}

GIOStream *
docket_server_live_input_wrap (GIOStream *base,
                               gsize      max_message_bytes)
{
  g_autoptr(DocketServerLiveInput) input = NULL;

  g_return_val_if_fail (G_IS_IO_STREAM (base), NULL);
  g_return_val_if_fail (max_message_bytes > 0, NULL);

  /* The base input stream is not closed by itself: closing this stream closes the
   * whole connection (for TLS, its close_notify too). */
  input = g_object_new (DOCKET_SERVER_TYPE_LIVE_INPUT,
                        "base-stream", g_io_stream_get_input_stream (base),
                        "close-base-stream", FALSE,
                        NULL);
  input->connection = g_object_ref (base);
  input->max_message_bytes = max_message_bytes;
  return g_simple_io_stream_new (G_INPUT_STREAM (input), g_io_stream_get_output_stream (base));
}

gboolean
docket_server_live_output_backed_up (GIOStream *stream)
{
  GOutputStream *output;

  g_return_val_if_fail (G_IS_IO_STREAM (stream), FALSE);

  output = g_io_stream_get_output_stream (stream);
  /* Not writable: the kernel's send buffer is full, whatever is sent now waits in
   * libsoup's queue. */
  return G_IS_POLLABLE_OUTPUT_STREAM (output) &&
         g_pollable_output_stream_can_poll (G_POLLABLE_OUTPUT_STREAM (output)) &&
         !g_output_stream_is_closed (output) &&
         !g_pollable_output_stream_is_writable (G_POLLABLE_OUTPUT_STREAM (output));
}
