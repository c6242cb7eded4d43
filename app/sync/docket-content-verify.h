/* docket-content-verify.h: the re-hash of document contents after a reboot
 *
 * Internal to app/sync. Contents written under an earlier boot (without an fdatasync)
 * are hashed again, once: an intact one is marked verified and becomes available to the
 * reader and the indexer, a damaged or missing one is forgotten, so that the next run
 * downloads it again. Blocks on the disk: call it from a worker thread. One re-hash
 * runs at a time, whoever asks.
 */
#pragma once

#include <gio/gio.h>

#include "docket-store.h"

G_BEGIN_DECLS

/* Returns the number of contents forgotten, or -1 with error (the store's). */
int  docket_content_verify_after_reboot (DocketStore   *store,
                                         GCancellable  *cancellable,
                                         GError       **error);

G_END_DECLS
