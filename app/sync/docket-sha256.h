/* docket-sha256.h: SHA-256 of document contents, as fast as the machine allows
 *
 * Every downloaded byte is hashed, so the hash's speed bounds the sync's: GChecksum's
 * portable C runs at about 200 MB/s, nettle's (SHA-NI or assembly, chosen at run time)
 * at about 1 GB/s on the same machine. Uses nettle when the build found it (it is
 * already in the process through GnuTLS), GChecksum otherwise. Not thread-safe: one
 * hasher per thread at a time.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _DocketSha256 DocketSha256;

DocketSha256 *docket_sha256_new     (void);
void          docket_sha256_update  (DocketSha256 *self,
                                     const void   *data,
                                     gsize         length);
/* The digest as 64 lowercase hexadecimal digits; ends the hashing (no update after). */
const char   *docket_sha256_get_hex (DocketSha256 *self);
void          docket_sha256_free    (DocketSha256 *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketSha256, docket_sha256_free)

G_END_DECLS
