/* docket-server-live-input.h: what a live channel's client sends, read through a
 * watch on the size of its messages
 *
 * libsoup 3.2 bounds each WebSocket frame (max-incoming-payload-size) but not a message
 * sent in fragments: it gathers them in memory until the last one, so a client could
 * fill the server's memory 4 KiB at a time. DocketServerLiveInput sits between the
 * socket and libsoup's WebSocket connection, follows the client's frames as they pass,
 * and fails the read (so that libsoup closes the connection) once the data frames of
 * one message go over the limit, fragmented or not.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define DOCKET_SERVER_TYPE_LIVE_INPUT (docket_server_live_input_get_type ())
G_DECLARE_FINAL_TYPE (DocketServerLiveInput, docket_server_live_input, DOCKET_SERVER, LIVE_INPUT,
                      GFilterInputStream)

/* base (a pollable stream, the upgraded connection) with its input read through a
 * DocketServerLiveInput: a read fails with G_IO_ERROR_MESSAGE_TOO_LARGE once a
 * message's payload goes over max_message_bytes, and with G_IO_ERROR_NO_SPACE when the
 * client pings while what the server sends backs up (the pong would wait in memory).
 * Closing it closes base. */
GIOStream *docket_server_live_input_wrap (GIOStream *base,
                                          gsize      max_message_bytes);

/* Whether what is sent on stream (the upgraded connection, wrapped or not) waits in
 * memory: its kernel buffer is full because the client does not read. libsoup queues
 * every frame it cannot write, without a bound; a client that reads nothing is closed
 * rather than kept growing the server (a ping then fails the read, see above). */
gboolean   docket_server_live_output_backed_up (GIOStream *stream);

G_END_DECLS
