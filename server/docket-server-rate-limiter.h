/* docket-server-rate-limiter.h: slows down repeated failed sign-ins
 *
 * docs/protocol.md: after 5 failures for one key (a user name, an address) within 15
 * minutes, the key is locked for 15 minutes; each further failure doubles the lock, up to
 * one hour. A success forgets the key.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define DOCKET_SERVER_TYPE_RATE_LIMITER (docket_server_rate_limiter_get_type ())
G_DECLARE_FINAL_TYPE (DocketServerRateLimiter, docket_server_rate_limiter, DOCKET_SERVER, RATE_LIMITER, GObject)

DocketServerRateLimiter *docket_server_rate_limiter_new            (void);
/* Seconds until key may try again, or 0. now is in seconds (monotonic). */
gint64                   docket_server_rate_limiter_check          (DocketServerRateLimiter *self,
                                                                    const char              *key,
                                                                    gint64                   now);
void                     docket_server_rate_limiter_add_failure    (DocketServerRateLimiter *self,
                                                                    const char              *key,
                                                                    gint64                   now);
void                     docket_server_rate_limiter_forget         (DocketServerRateLimiter *self,
                                                                    const char              *key);

G_END_DECLS
