/* docket-server-demo.h: the demo organisation (seed-demo) */
#pragma once

#include "docket-server-blobs.h"
#include "docket-server-db.h"

G_BEGIN_DECLS

/* Seeds a provincial council: a secretary, five officials, meetings with nested agenda
 * items and Vietnamese PDFs. Appends one line "NAME\tROLE\tPASSWORD" per account to
 * accounts. Refuses a data folder seeded before. */
gboolean docket_server_demo_seed (DocketServerDb     *db,
                                  DocketServerBlobs  *blobs,
                                  GString            *accounts,
                                  GError            **error);

/* A PDF of pages pages in Vietnamese (cairo + pango), for the demo and the tests. */
GBytes  *docket_server_demo_make_pdf (const char *issuer,
                                      const char *number,
                                      const char *title,
                                      int         pages);

G_END_DECLS
