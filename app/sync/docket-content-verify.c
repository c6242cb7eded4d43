/* docket-content-verify.c: the re-hash of document contents after a reboot
 *
 * Apart from the downloads (docket-downloader.c, docket-download.c), which call it
 * before each run lists what is missing, and which the application also runs alone at
 * start-up: contents are written without an fdatasync (docs/architecture.md,
 * "Durability of document contents"), so those of an earlier boot are read back once.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "docket-content-verify.h"
#include "docket-sha256.h"

/* One re-hash at a time, whoever asks (start-up, a run): two would read the same files
 * twice, and one could forget a content the other's run has just downloaded again. */
G_LOCK_DEFINE_STATIC (verify);

/* After a reboot: contents written under another boot, without an fdatasync, are
 * hashed again once; a damaged or missing one is forgotten, so that this very run
 * downloads it again. Until then the store does not count them as available (its view
 * verified_blobs), so neither the reader nor the indexer uses them. Returns the number
 * forgotten, or -1 with error. */
static int
verify_blobs_locked (DocketStore   *store,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(GPtrArray) shas = docket_store_list_blobs_to_verify (store, error);
  g_autofree guchar *buffer = NULL;
  int forgotten = 0;

  if (shas == NULL)
    return -1;
  if (shas->len == 0)
    return 0;

  buffer = g_malloc (1024 * 1024);
  for (guint i = 0; i < shas->len && !g_cancellable_is_cancelled (cancellable); i++)
    {
      const char *sha = g_ptr_array_index (shas, i);
      g_autofree char *path = docket_store_dup_blob_path (store, sha);
      g_autoptr(DocketSha256) checksum = docket_sha256_new ();
      gboolean intact = FALSE;
      int fd = path != NULL ? g_open (path, O_RDONLY | O_CLOEXEC, 0) : -1;

      if (fd >= 0)
        {
          ssize_t n;

          while ((n = read (fd, buffer, 1024 * 1024)) != 0)
            {
              if (n < 0 && errno == EINTR)
                continue;
              if (n < 0)
                break;
              docket_sha256_update (checksum, buffer, (gsize) n);
            }
          intact = n == 0 && g_strcmp0 (docket_sha256_get_hex (checksum), sha) == 0;
          close (fd);
        }

      if (intact ? !docket_store_mark_blob_verified (store, sha, error)
                 : !docket_store_forget_blob (store, sha, error))
        return -1;

      if (!intact)
        {
          g_debug ("sync: %s did not survive the reboot; it will be downloaded again", sha);
          forgotten++;
        }
    }

  return forgotten;
}

int
docket_content_verify_after_reboot (DocketStore   *store,
                                    GCancellable  *cancellable,
                                    GError       **error)
{
  int forgotten;

  G_LOCK (verify);
  forgotten = verify_blobs_locked (store, cancellable, error);
  G_UNLOCK (verify);

  return forgotten;
}
