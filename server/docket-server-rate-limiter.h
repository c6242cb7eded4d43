/* docket-server-rate-limiter.h: slows down repeated failed sign-ins
 *
 * docs/protocol.md: after failures_allowed failures for one key within 15 minutes, the
 * key is locked for 15 minutes; each further failure doubles the lock, up to one hour. An
 * attempt is counted (reserved) before its password is checked, so that a burst of
 * parallel attempts cannot pass the limit while their hashes are computed; when the check
 * ends, the reservation is settled as a failure or given back.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define DOCKET_SERVER_TYPE_RATE_LIMITER (docket_server_rate_limiter_get_type ())
G_DECLARE_FINAL_TYPE (DocketServerRateLimiter, docket_server_rate_limiter, DOCKET_SERVER, RATE_LIMITER, GObject)

DocketServerRateLimiter *docket_server_rate_limiter_new            (guint                    failures_allowed);
/* Seconds until key may try again, or 0. A key whose failures and attempts under way
 * already fill its allowance waits too (a second: the attempts under way end soon). now
 * is in seconds (monotonic). */
gint64                   docket_server_rate_limiter_check          (DocketServerRateLimiter *self,
                                                                    const char              *key,
                                                                    gint64                   now);
/* Counts an attempt of key that is under way (call after check answered 0); it must be
 * settled later by add_failure or give_back. */
void                     docket_server_rate_limiter_reserve        (DocketServerRateLimiter *self,
                                                                    const char              *key);
/* Settles a reserved attempt as a failure (it may lock the key). */
void                     docket_server_rate_limiter_add_failure    (DocketServerRateLimiter *self,
                                                                    const char              *key,
                                                                    gint64                   now);
/* Settles a reserved attempt that did not fail: it succeeded, or it was never checked. */
void                     docket_server_rate_limiter_give_back      (DocketServerRateLimiter *self,
                                                                    const char              *key);
/* Forgets the failures and the lock of key (a success); attempts under way still count. */
void                     docket_server_rate_limiter_forget         (DocketServerRateLimiter *self,
                                                                    const char              *key);

G_END_DECLS
