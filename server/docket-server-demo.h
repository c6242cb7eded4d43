/* docket-server-demo.h: the demo organisation (seed-demo) */
#pragma once

#include "docket-server-blobs.h"
#include "docket-server-db.h"

G_BEGIN_DECLS

/* Seeds a provincial council: a secretary, a chair, a vice-chair, ten more members and an
 * invited director; meetings with their meeting roles and quorum rules, nested agenda
 * items and Vietnamese PDFs; last month's session as it was held (ended, with its
 * attendance and speeches), today's not started yet. Appends one line "NAME\tROLE\tPASSWORD" per account to
 * accounts. Refuses a data folder seeded before. */
gboolean docket_server_demo_seed (DocketServerDb     *db,
                                  DocketServerBlobs  *blobs,
                                  GString            *accounts,
                                  GError            **error);

/* The size of an archive seeded by docket_server_demo_seed_archive (). */
typedef struct {
  guint meetings;
  guint items;        /* agenda items of each meeting */
  guint documents;    /* documents of each meeting, spread over its items */
  guint officials;
} DocketServerArchiveSize;

#define DOCKET_SERVER_ARCHIVE_DEFAULT_MEETINGS   1000
#define DOCKET_SERVER_ARCHIVE_DEFAULT_ITEMS      20
#define DOCKET_SERVER_ARCHIVE_DEFAULT_DOCUMENTS  5
#define DOCKET_SERVER_ARCHIVE_DEFAULT_OFFICIALS  3

/* Seeds an archive to measure the change feed on (seed-archive): an organ with a
 * secretary and size->officials officials who take part in every meeting, and
 * size->meetings published meetings with their nested agenda items and documents (all
 * of one small PDF), in one transaction of direct writes, each meeting under a sequence
 * number of its own. The officials share one password, so that seeding hundreds of them
 * takes one password hash. Appends one line "NAME\tROLE\tPASSWORD" per account to
 * accounts. Refuses a data folder that holds an archive already. */
gboolean docket_server_demo_seed_archive (DocketServerDb                *db,
                                          DocketServerBlobs             *blobs,
                                          const DocketServerArchiveSize *size,
                                          GString                       *accounts,
                                          GError                       **error);

/* A PDF of pages pages in Vietnamese (cairo + pango), for the demo and the tests. */
GBytes  *docket_server_demo_make_pdf (const char *issuer,
                                      const char *number,
                                      const char *title,
                                      int         pages);

G_END_DECLS
