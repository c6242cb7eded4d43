/* docket-server-blobs.h: document bytes on disk, named by their SHA-256
 *
 * DATA/blobs/ab/abcdef....pdf; the name is always a hash this server computed, never
 * anything a client sent. A blob's modification time is the last time it was stored:
 * storing bytes already there touches the file, so that garbage collection
 * (docket-server-gc.c) gives content being uploaded again its whole grace period.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define DOCKET_SERVER_TYPE_BLOBS (docket_server_blobs_get_type ())
G_DECLARE_FINAL_TYPE (DocketServerBlobs, docket_server_blobs, DOCKET_SERVER, BLOBS, GObject)

DocketServerBlobs *docket_server_blobs_new   (const char         *directory,
                                              GError            **error);
/* Writes bytes (atomically, once; touches the file when it is there already) and
 * returns their SHA-256 in lowercase hex. */
char              *docket_server_blobs_store (DocketServerBlobs  *self,
                                              GBytes             *bytes,
                                              GError            **error);
/* The bytes of a blob, mapped from disk rather than copied. */
GBytes            *docket_server_blobs_open  (DocketServerBlobs  *self,
                                              const char         *sha256,
                                              GError            **error);

/* Writes bytes again under sha256 (their hash, computed by the caller) if that blob's
 * file is missing: for an upload whose blob a concurrent garbage collection removed
 * between the write and the commit of the document that refers to it. */
gboolean           docket_server_blobs_restore (DocketServerBlobs  *self,
                                                const char         *sha256,
                                                GBytes             *bytes,
                                                GError            **error);

/* The hashes of every blob on disk, in no order. Only folders and files whose names are
 * a SHA-256 (and its first two digits) count; anything else is left alone. */
GPtrArray         *docket_server_blobs_list  (DocketServerBlobs  *self,
                                              GError            **error);
/* The size and modification time (Unix seconds) of a blob's file, which must be a
 * regular file; G_IO_ERROR_NOT_FOUND when it is gone. */
gboolean           docket_server_blobs_stat  (DocketServerBlobs  *self,
                                              const char         *sha256,
                                              gint64             *out_size,
                                              gint64             *out_mtime,
                                              GError            **error);
/* Removes a blob's file (gone already is not an error). */
gboolean           docket_server_blobs_remove (DocketServerBlobs *self,
                                               const char        *sha256,
                                               GError           **error);
/* Removes the temporary files of blob writes cut short (the server killed while it
 * wrote one: HASH.pdf.XXXXXX beside where HASH.pdf would be) last written before cutoff
 * (Unix seconds); counts them and their bytes. Anything else is left alone. */
gboolean           docket_server_blobs_remove_leftovers (DocketServerBlobs  *self,
                                                         gint64              cutoff,
                                                         guint              *out_removed,
                                                         gint64             *out_bytes,
                                                         GError            **error);

/* Where a blob's file is (or would be), for a backup that links or copies it; an error
 * when sha256 is not a SHA-256 in lowercase hex. */
char              *docket_server_blobs_dup_path (DocketServerBlobs  *self,
                                                 const char         *sha256,
                                                 GError            **error);

/* Checks that bytes are a PDF that opens (header and poppler); returns its page count,
 * or -1 with DOCKET_SERVER_ERROR_UNSUPPORTED_MEDIA. */
int                docket_server_pdf_check   (GBytes             *bytes,
                                              GError            **error);

G_END_DECLS
