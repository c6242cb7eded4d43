/* docket-sha256.c: SHA-256 of document contents, with nettle when available */

#include "config.h"

#include "docket-sha256.h"

#ifdef DOCKET_HAVE_NETTLE
# include <nettle/sha2.h>
#endif

struct _DocketSha256
{
#ifdef DOCKET_HAVE_NETTLE
  struct sha256_ctx  context;
#else
  GChecksum         *checksum;
#endif
  gboolean           finished;
  char               hex[2 * 32 + 1];
};

DocketSha256 *
docket_sha256_new (void)
{
  DocketSha256 *self = g_new0 (DocketSha256, 1);

#ifdef DOCKET_HAVE_NETTLE
  sha256_init (&self->context);
#else
  self->checksum = g_checksum_new (G_CHECKSUM_SHA256);
#endif

  return self;
}

void
docket_sha256_update (DocketSha256 *self,
                      const void   *data,
                      gsize         length)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (!self->finished);

#ifdef DOCKET_HAVE_NETTLE
  sha256_update (&self->context, length, data);
#else
  /* GChecksum takes a gssize: feed it in pieces that fit. */
  while (length > 0)
    {
      gsize piece = MIN (length, (gsize) G_MAXSSIZE);

      g_checksum_update (self->checksum, data, (gssize) piece);
      data = (const guchar *) data + piece;
      length -= piece;
    }
#endif
}

const char *
docket_sha256_get_hex (DocketSha256 *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (!self->finished)
    {
#ifdef DOCKET_HAVE_NETTLE
      static const char digits[] = "0123456789abcdef";
      guint8 digest[SHA256_DIGEST_SIZE];

      sha256_digest (&self->context, sizeof digest, digest);
      for (guint i = 0; i < sizeof digest; i++)
        {
          self->hex[2 * i] = digits[digest[i] >> 4];
          self->hex[2 * i + 1] = digits[digest[i] & 0xf];
        }
      self->hex[2 * sizeof digest] = '\0';
#else
      g_strlcpy (self->hex, g_checksum_get_string (self->checksum), sizeof self->hex);
#endif
      self->finished = TRUE;
    }

  return self->hex;
}

void
docket_sha256_free (DocketSha256 *self)
{
  if (self == NULL)
    return;

#ifndef DOCKET_HAVE_NETTLE
  g_checksum_free (self->checksum);
#endif
  g_free (self);
}
