/* docket-server-blobs.c: document bytes on disk, named by their SHA-256 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utime.h>

#include "docket-protocol.h"
#include "docket-server-blobs.h"
#include "docket-server-error.h"

struct _DocketServerBlobs
{
  GObject  parent_instance;

  char    *directory;
};

G_DEFINE_TYPE (DocketServerBlobs, docket_server_blobs, G_TYPE_OBJECT)

/* The temporary file of an upload's intake: INTAKE_PREFIX and six characters. */
#define INTAKE_PREFIX "upload-"

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

/* blob_path for a hash that did not come from this unit: only a SHA-256 in lowercase
 * hex ever becomes a path, so that nothing else can point it elsewhere. */
static char *
checked_blob_path (DocketServerBlobs  *self,
                   const char         *sha256,
                   GError            **error)
{
  if (!docket_protocol_sha256_is_valid (sha256))
    {
      g_set_error (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_INTERNAL,
                   "not a SHA-256: %s", sha256);
      return NULL;
    }
  return blob_path (self, sha256);
}

static gboolean
set_errno_error (GError     **error,
                 int          saved_errno,
                 const char  *what,
                 const char  *path)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               "%s %s: %s", what, path, g_strerror (saved_errno));
  return FALSE;
}

static gboolean
write_blob (const char  *path,
            GBytes      *bytes,
            GError     **error)
{
  g_autofree char *folder = g_path_get_dirname (path);
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_INTERNAL,
                   _("Cannot create the folder %s: %s"), folder, g_strerror (saved_errno));
      return FALSE;
    }
  /* A temporary file renamed into place, fsynced: never a half-written blob. */
  return g_file_set_contents_full (path, (const char *) data, (gssize) size,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0600, error);
}

char *
docket_server_blobs_store (DocketServerBlobs  *self,
                           GBytes             *bytes,
                           GError            **error)
{
  g_autofree char *sha256 = NULL;
  g_autofree char *path = NULL;

  sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  path = blob_path (self, sha256);

  /* Already there (the same bytes, uploaded before): touch it instead of writing it
   * again. Its modification time is when it was last stored, and garbage collection
   * spares blobs stored within its grace period, so an old unreferenced blob that is
   * being uploaded again is not removed before its document is committed. */
  if (g_utime (path, NULL) == 0)
    return g_steal_pointer (&sha256);
  if (errno != ENOENT)
    {
      int saved_errno = errno;

      set_errno_error (error, saved_errno, "Cannot touch", path);
      return NULL;
    }
  if (!write_blob (path, bytes, error))
    return NULL;
  return g_steal_pointer (&sha256);
}

gboolean
docket_server_blobs_restore (DocketServerBlobs  *self,
                             const char         *sha256,
                             GBytes             *bytes,
                             GError            **error)
{
  g_autofree char *path = checked_blob_path (self, sha256, error);
  GStatBuf st;

  if (path == NULL)
    return FALSE;
  if (g_lstat (path, &st) == 0)
    return TRUE;
  if (errno != ENOENT)
    return set_errno_error (error, errno, "Cannot read", path);
  g_printerr ("blobs: %s was collected while its upload was committed; writing it again\n",
              sha256);
  return write_blob (path, bytes, error);
}

/* Only a real folder counts, not a symbolic link to one elsewhere. */
static gboolean
is_plain_folder (const char *path)
{
  GStatBuf st;

  return g_lstat (path, &st) == 0 && S_ISDIR (st.st_mode);
}

static gboolean
is_hex_prefix (const char *name)
{
  return g_ascii_isxdigit (name[0]) && !g_ascii_isupper (name[0]) &&
         g_ascii_isxdigit (name[1]) && !g_ascii_isupper (name[1]) && name[2] == '\0';
}

/* Called with each entry's name in the folder of prefix (two hex digits); FALSE with
 * error set stops the walk. */
typedef gboolean (*EntryFunc) (const char  *folder,
                               const char  *prefix,
                               const char  *name,
                               gpointer     data,
                               GError     **error);

/* Every entry of every folder of blobs/ named after two hex digits (plain folders, not
 * links to folders elsewhere); the rest of blobs/ is not ours to look at. */
static gboolean
foreach_entry (DocketServerBlobs  *self,
               EntryFunc           func,
               gpointer            data,
               GError            **error)
{
  g_autoptr(GDir) dir = g_dir_open (self->directory, 0, error);
  const char *prefix;

  if (dir == NULL)
    return FALSE;
  while ((prefix = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *folder = NULL;
      g_autoptr(GDir) entries = NULL;
      const char *name;

      if (!is_hex_prefix (prefix))
        continue;
      folder = g_build_filename (self->directory, prefix, NULL);
      if (!is_plain_folder (folder))
        continue;
      entries = g_dir_open (folder, 0, error);
      if (entries == NULL)
        return FALSE;
      while ((name = g_dir_read_name (entries)) != NULL)
        if (!func (folder, prefix, name, data, error))
          return FALSE;
    }
  return TRUE;
}

/* HASH.pdf under the folder of its first two digits: its hash added to hashes. Anything
 * else (the temporary file of a write that was cut short, something put there by hand)
 * is no blob. */
static gboolean
add_blob_hash (const char  *folder,
               const char  *prefix,
               const char  *name,
               gpointer     hashes,
               GError     **error)
{
  g_autofree char *sha256 = NULL;

  if (strlen (name) != 64 + strlen (".pdf") || !g_str_has_suffix (name, ".pdf") ||
      strncmp (name, prefix, 2) != 0)
    return TRUE;
  sha256 = g_strndup (name, 64);
  if (docket_protocol_sha256_is_valid (sha256))
    g_ptr_array_add (hashes, g_steal_pointer (&sha256));
  return TRUE;
}

GPtrArray *
docket_server_blobs_list (DocketServerBlobs  *self,
                          GError            **error)
{
  g_autoptr(GPtrArray) hashes = g_ptr_array_new_with_free_func (g_free);

  if (!foreach_entry (self, add_blob_hash, hashes, error))
    return NULL;
  return g_steal_pointer (&hashes);
}

gboolean
docket_server_blobs_stat (DocketServerBlobs  *self,
                          const char         *sha256,
                          gint64             *out_size,
                          gint64             *out_mtime,
                          GError            **error)
{
  g_autofree char *path = checked_blob_path (self, sha256, error);
  GStatBuf st;

  if (path == NULL)
    return FALSE;
  if (g_lstat (path, &st) != 0)
    return set_errno_error (error, errno, "Cannot read", path);
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE,
                   "Not a regular file: %s", path);
      return FALSE;
    }
  *out_size = (gint64) st.st_size;
  *out_mtime = (gint64) st.st_mtime;
  return TRUE;
}

gboolean
docket_server_blobs_remove (DocketServerBlobs  *self,
                            const char         *sha256,
                            GError            **error)
{
  g_autofree char *path = checked_blob_path (self, sha256, error);

  if (path == NULL)
    return FALSE;
  if (g_unlink (path) != 0 && errno != ENOENT)
    return set_errno_error (error, errno, "Cannot remove", path);
  return TRUE;
}

/* HASH.pdf.XXXXXX in the folder of prefix: the temporary file g_file_set_contents_full
 * writes before it renames it to HASH.pdf (write_blob). */
static gboolean
is_leftover_name (const char *name,
                  const char *prefix)
{
  g_autofree char *sha256 = NULL;

  if (strlen (name) != 64 + strlen (".pdf.") + 6 || strncmp (name, prefix, 2) != 0 ||
      strncmp (name + 64, ".pdf.", strlen (".pdf.")) != 0)
    return FALSE;
  for (const char *c = name + 64 + strlen (".pdf."); *c != '\0'; c++)
    if (!g_ascii_isalnum (*c))
      return FALSE;
  sha256 = g_strndup (name, 64);
  return docket_protocol_sha256_is_valid (sha256);
}

typedef struct {
  gint64  cutoff;
  guint  *removed;
  gint64 *bytes;
} Leftovers;

static gboolean
remove_if_leftover (const char  *folder,
                    const char  *prefix,
                    const char  *name,
                    gpointer     data,
                    GError     **error)
{
  Leftovers *leftovers = data;
  g_autofree char *path = NULL;
  GStatBuf st;

  if (!is_leftover_name (name, prefix))
    return TRUE;
  path = g_build_filename (folder, name, NULL);
  /* A write under way is younger than the cutoff; a link is nobody's leftover. */
  if (g_lstat (path, &st) != 0 || !S_ISREG (st.st_mode) || (gint64) st.st_mtime > leftovers->cutoff)
    return TRUE;
  if (g_unlink (path) != 0)
    return errno == ENOENT || set_errno_error (error, errno, "Cannot remove", path);
  (*leftovers->removed)++;
  *leftovers->bytes += (gint64) st.st_size;
  return TRUE;
}

/* upload-XXXXXX at the top of the blob folder: the file of an intake (g_mkstemp_full's
 * six characters). */
static gboolean
is_intake_name (const char *name)
{
  if (strlen (name) != strlen (INTAKE_PREFIX) + 6 || !g_str_has_prefix (name, INTAKE_PREFIX))
    return FALSE;
  for (const char *c = name + strlen (INTAKE_PREFIX); *c != '\0'; c++)
    if (!g_ascii_isalnum (*c))
      return FALSE;
  return TRUE;
}

/* Removes the intake file at path unless an upload holds its lock (flock: whichever
 * process, this one included, since each open has a lock of its own). A killed server's
 * locks went with it. */
static gboolean
remove_unlocked_intake (const char  *path,
                        gboolean    *out_removed,
                        GError     **error)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  gboolean ok = TRUE;

  *out_removed = FALSE;
  if (fd < 0)
    return errno == ENOENT || set_errno_error (error, errno, "Cannot open", path);
  if (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      /* An upload under way, however long it has been quiet. */
      if (errno != EWOULDBLOCK)
        ok = set_errno_error (error, errno, "Cannot lock", path);
    }
  else if (g_unlink (path) != 0)
    ok = errno == ENOENT || set_errno_error (error, errno, "Cannot remove", path);
  else
    *out_removed = TRUE;
  close (fd);
  return ok;
}

/* The intakes of uploads cut short by a killed server: past the grace period, and not
 * locked by an upload under way. */
static gboolean
remove_intake_leftovers (DocketServerBlobs  *self,
                         Leftovers          *leftovers,
                         GError            **error)
{
  g_autoptr(GDir) dir = g_dir_open (self->directory, 0, error);
  const char *name;

  if (dir == NULL)
    return FALSE;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      gboolean removed;
      GStatBuf st;

      if (!is_intake_name (name))
        continue;
      path = g_build_filename (self->directory, name, NULL);
      if (g_lstat (path, &st) != 0 || !S_ISREG (st.st_mode) || (gint64) st.st_mtime > leftovers->cutoff)
        continue;
      if (!remove_unlocked_intake (path, &removed, error))
        return FALSE;
      if (!removed)
        continue;
      (*leftovers->removed)++;
      *leftovers->bytes += (gint64) st.st_size;
    }
  return TRUE;
}

gboolean
docket_server_blobs_remove_leftovers (DocketServerBlobs  *self,
                                      gint64              cutoff,
                                      guint              *out_removed,
                                      gint64             *out_bytes,
                                      GError            **error)
{
  Leftovers leftovers = { cutoff, out_removed, out_bytes };

  *out_removed = 0;
  *out_bytes = 0;
  return foreach_entry (self, remove_if_leftover, &leftovers, error) &&
         remove_intake_leftovers (self, &leftovers, error);
}

GBytes *
docket_server_blobs_open (DocketServerBlobs  *self,
                          const char         *sha256,
                          GError            **error)
{
  g_autofree char *path = checked_blob_path (self, sha256, error);
  g_autoptr(GMappedFile) file = NULL;

  if (path == NULL)
    return NULL;
  file = g_mapped_file_new (path, FALSE, error);
  if (file == NULL)
    return NULL;
  return g_mapped_file_get_bytes (file);
}

/* Intake: an upload written as it arrives */

struct _DocketServerBlobIntake
{
  DocketServerBlobs *blobs;
  char              *path;      /* blobs/upload-XXXXXX */
  int                fd;        /* open, and locked, until freed */
  GChecksum         *checksum;
  gint64             size;
  char              *sha256;    /* once stored */
};

DocketServerBlobIntake *
docket_server_blobs_begin_intake (DocketServerBlobs  *self,
                                  GError            **error)
{
  g_autoptr(DocketServerBlobIntake) intake = g_new0 (DocketServerBlobIntake, 1);

  intake->blobs = g_object_ref (self);
  intake->path = g_build_filename (self->directory, INTAKE_PREFIX "XXXXXX", NULL);
  intake->checksum = g_checksum_new (G_CHECKSUM_SHA256);
  intake->fd = g_mkstemp_full (intake->path, O_RDWR | O_CLOEXEC, 0600);
  if (intake->fd < 0)
    {
      int saved_errno = errno;

      /* Nothing was created: nothing for free () to remove. */
      g_clear_pointer (&intake->path, g_free);
      g_set_error (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_INTERNAL,
                   "Cannot create a file in %s: %s", self->directory, g_strerror (saved_errno));
      return NULL;
    }
  /* Garbage collection leaves a locked intake alone, however old it looks: an upload
   * whose client is slow, or a collection with no grace period. */
  if (flock (intake->fd, LOCK_EX | LOCK_NB) != 0)
    {
      set_errno_error (error, errno, "Cannot lock", intake->path);
      return NULL;
    }
  return g_steal_pointer (&intake);
}

gboolean
docket_server_blob_intake_write (DocketServerBlobIntake  *intake,
                                 const guint8            *data,
                                 gsize                    size,
                                 GError                 **error)
{
  gsize done = 0;

  g_return_val_if_fail (intake->sha256 == NULL, FALSE);

  while (done < size)
    {
      gssize n = write (intake->fd, data + done, size - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return set_errno_error (error, errno, "Cannot write", intake->path);
      done += (gsize) n;
    }
  g_checksum_update (intake->checksum, data, (gssize) size);
  intake->size += (gint64) size;
  return TRUE;
}

gint64
docket_server_blob_intake_get_size (DocketServerBlobIntake *intake)
{
  return intake->size;
}

const char *
docket_server_blob_intake_get_path (DocketServerBlobIntake *intake)
{
  return intake->path;
}

/* Gives the intake's file the blob's name too. A link rather than a rename: the
 * temporary name keeps the bytes at hand for restore, until the intake is freed. */
static gboolean
link_into_place (DocketServerBlobIntake  *intake,
                 const char              *target,
                 GError                 **error)
{
  g_autofree char *folder = g_path_get_dirname (target);

  if (g_mkdir_with_parents (folder, 0700) != 0)
    return set_errno_error (error, errno, "Cannot create the folder", folder);
  /* EEXIST: a concurrent upload of the same bytes placed it a moment ago. */
  if (link (intake->path, target) != 0 && errno != EEXIST)
    return set_errno_error (error, errno, "Cannot link", target);
  return TRUE;
}

char *
docket_server_blob_intake_store (DocketServerBlobIntake  *intake,
                                 GError                 **error)
{
  g_autofree char *target = NULL;

  g_return_val_if_fail (intake->sha256 == NULL, NULL);

  /* As durable as write_blob's: the bytes are on the disk before the name is. The file
   * stays open, and locked, for restore. */
  if (fsync (intake->fd) != 0)
    {
      set_errno_error (error, errno, "Cannot flush", intake->path);
      return NULL;
    }
  intake->sha256 = g_strdup (g_checksum_get_string (intake->checksum));
  target = blob_path (intake->blobs, intake->sha256);

  /* The same bytes stored before: touched, as in docket_server_blobs_store, so that
   * garbage collection gives them their grace period again. */
  if (g_utime (target, NULL) == 0)
    return g_strdup (intake->sha256);
  if (errno != ENOENT)
    {
      set_errno_error (error, errno, "Cannot touch", target);
      return NULL;
    }
  if (!link_into_place (intake, target, error))
    return NULL;
  return g_strdup (intake->sha256);
}

gboolean
docket_server_blob_intake_restore (DocketServerBlobIntake  *intake,
                                   GError                 **error)
{
  g_autofree char *target = NULL;
  GStatBuf st;

  g_return_val_if_fail (intake->sha256 != NULL, FALSE);

  target = blob_path (intake->blobs, intake->sha256);
  if (g_lstat (target, &st) == 0)
    return TRUE;
  if (errno != ENOENT)
    return set_errno_error (error, errno, "Cannot read", target);
  g_printerr ("blobs: %s was collected while its upload was committed; linking it again\n",
              intake->sha256);
  return link_into_place (intake, target, error);
}

void
docket_server_blob_intake_free (DocketServerBlobIntake *intake)
{
  if (intake->fd >= 0)
    close (intake->fd);
  if (intake->path != NULL && g_unlink (intake->path) != 0 && errno != ENOENT)
    g_printerr ("blobs: cannot remove %s: %s\n", intake->path, g_strerror (errno));
  g_clear_object (&intake->blobs);
  g_clear_pointer (&intake->checksum, g_checksum_free);
  g_free (intake->path);
  g_free (intake->sha256);
  g_free (intake);
}

char *
docket_server_blobs_dup_path (DocketServerBlobs  *self,
                              const char         *sha256,
                              GError            **error)
{
  return checked_blob_path (self, sha256, error);
}
