/* docket-server-blobs.h: document bytes on disk, named by their SHA-256
 *
 * DATA/blobs/ab/abcdef....pdf; the name is always a hash this server computed, never
 * anything a client sent.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define DOCKET_SERVER_TYPE_BLOBS (docket_server_blobs_get_type ())
G_DECLARE_FINAL_TYPE (DocketServerBlobs, docket_server_blobs, DOCKET_SERVER, BLOBS, GObject)

DocketServerBlobs *docket_server_blobs_new   (const char         *directory,
                                              GError            **error);
/* Writes bytes (atomically, once) and returns their SHA-256 in lowercase hex. */
char              *docket_server_blobs_store (DocketServerBlobs  *self,
                                              GBytes             *bytes,
                                              GError            **error);
/* The bytes of a blob, mapped from disk rather than copied. */
GBytes            *docket_server_blobs_open  (DocketServerBlobs  *self,
                                              const char         *sha256,
                                              GError            **error);

/* Checks that bytes are a PDF that opens (header and poppler); returns its page count,
 * or -1 with DOCKET_SERVER_ERROR_UNSUPPORTED_MEDIA. */
int                docket_server_pdf_check   (GBytes             *bytes,
                                              GError            **error);

G_END_DECLS
