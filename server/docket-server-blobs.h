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
 * wrote one: HASH.pdf.XXXXXX beside where HASH.pdf would be, or the upload-XXXXXX of an
 * upload's intake at the top of the blob folder) last written before cutoff
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
 * or -1 with DOCKET_SERVER_ERROR_UNSUPPORTED_MEDIA (DOCKET_SERVER_ERROR_TOO_LARGE when it
 * has more than DOCKET_MAX_PAGES pages). */
int                docket_server_pdf_check   (GBytes             *bytes,
                                              GError            **error);
/* The same for the PDF in the file at path, which poppler reads from the disk as it
 * needs it: a large upload is never copied into memory. */
int                docket_server_pdf_check_file (const char       *path,
                                                 GError          **error);

/* An upload's bytes written as they arrive, to a temporary file in the blob folder
 * (upload-XXXXXX, locked with flock while in use; garbage collection removes one that a
 * killed server left, unlocked, once older than its grace period), hashed on the way.
 * Used by one thread at a time. */
typedef struct _DocketServerBlobIntake DocketServerBlobIntake;

DocketServerBlobIntake *docket_server_blobs_begin_intake (DocketServerBlobs  *self,
                                                          GError            **error);
/* Appends data to the file and to the hash. */
gboolean    docket_server_blob_intake_write     (DocketServerBlobIntake  *intake,
                                                 const guint8            *data,
                                                 gsize                    size,
                                                 GError                 **error);
gint64      docket_server_blob_intake_get_size  (DocketServerBlobIntake  *intake);
/* The temporary file, for reading it back (the PDF check) before it is stored. */
const char *docket_server_blob_intake_get_path  (DocketServerBlobIntake  *intake);
/* Flushes the file to the disk and links it into place under its SHA-256 (or touches
 * the blob already there, as docket_server_blobs_store does); returns the hash, in
 * lowercase hex. No more writes after this. The temporary name stays until the intake is
 * freed, for restore. */
char       *docket_server_blob_intake_store     (DocketServerBlobIntake  *intake,
                                                 GError                 **error);
/* docket_server_blobs_restore for a stored intake: links its file into place again if a
 * concurrent garbage collection removed the blob before the document was committed. */
gboolean    docket_server_blob_intake_restore   (DocketServerBlobIntake  *intake,
                                                 GError                 **error);
/* Closes the file and removes the temporary name (a stored blob keeps its own). */
void        docket_server_blob_intake_free      (DocketServerBlobIntake  *intake);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketServerBlobIntake, docket_server_blob_intake_free)

G_END_DECLS
