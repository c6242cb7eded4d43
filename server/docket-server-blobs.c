/* docket-server-blobs.c: document bytes on disk, named by their SHA-256 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <string.h>

#include "docket-protocol.h"
#include "docket-server-blobs.h"
#include "docket-server-error.h"

struct _DocketServerBlobs
{
  GObject  parent_instance;

  char    *directory;
};

G_DEFINE_TYPE (DocketServerBlobs, docket_server_blobs, G_TYPE_OBJECT)

static void
docket_server_blobs_finalize (GObject *object)
{
  DocketServerBlobs *self = DOCKET_SERVER_BLOBS (object);

  g_clear_pointer (&self->directory, g_free);

  G_OBJECT_CLASS (docket_server_blobs_parent_class)->finalize (object);
}

static void
docket_server_blobs_class_init (DocketServerBlobsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = docket_server_blobs_finalize;
}

static void
docket_server_blobs_init (DocketServerBlobs *self)
{
}

DocketServerBlobs *
docket_server_blobs_new (const char  *directory,
                         GError     **error)
{
  DocketServerBlobs *self;

  if (g_mkdir_with_parents (directory, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot create the folder %s: %s"), directory, g_strerror (saved_errno));
      return NULL;
    }
  self = g_object_new (DOCKET_SERVER_TYPE_BLOBS, NULL);
  self->directory = g_strdup (directory);
  return self;
}

static char *
blob_path (DocketServerBlobs *self,
           const char        *sha256)
{
  char prefix[3] = { sha256[0], sha256[1], '\0' };
  g_autofree char *name = g_strconcat (sha256, ".pdf", NULL);

  return g_build_filename (self->directory, prefix, name, NULL);
}

char *
docket_server_blobs_store (DocketServerBlobs  *self,
                           GBytes             *bytes,
                           GError            **error)
{
  g_autofree char *sha256 = NULL;
  g_autofree char *path = NULL;
  g_autofree char *folder = NULL;
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  path = blob_path (self, sha256);
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&sha256);

  folder = g_path_get_dirname (path);
  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_INTERNAL,
                   _("Cannot create the folder %s: %s"), folder, g_strerror (saved_errno));
      return NULL;
    }
  /* A temporary file renamed into place, fsynced: never a half-written blob. */
  if (!g_file_set_contents_full (path, (const char *) data, (gssize) size,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, error))
    return NULL;
  return g_steal_pointer (&sha256);
}

GBytes *
docket_server_blobs_open (DocketServerBlobs  *self,
                          const char         *sha256,
                          GError            **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GMappedFile) file = NULL;

  if (!docket_protocol_sha256_is_valid (sha256))
    {
      g_set_error (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_INTERNAL,
                   "not a SHA-256: %s", sha256);
      return NULL;
    }
  path = blob_path (self, sha256);
  file = g_mapped_file_new (path, FALSE, error);
  if (file == NULL)
    return NULL;
  return g_mapped_file_get_bytes (file);
}
