/* test-search-common.h: what test-search and test-search-indexer share */
#pragma once

#include "docket-indexer.h"
#include "docket-store.h"

G_BEGIN_DECLS

#define WAIT_TIMEOUT_SECONDS 60

/* A PDF with one page per string (A4, DejaVu Sans, wrapped). */
GBytes *make_pdf (const char *first_page,
                  ...);

/* The SHA-256 of bytes, in hex: the name of a content in the profile. */
char *sha256_of (GBytes *bytes);

/* Changes of the feed, as the sync engine would apply them: a published meeting, an
 * item of it, a document of the item. */
DocketChange *meeting_change (const char *id,
                              const char *title,
                              const char *starts_at);

DocketChange *item_change (const char *id,
                           const char *meeting_id);

DocketChange *document_change (const char *id,
                               const char *meeting_id,
                               const char *item_id,
                               int         position,
                               const char *title,
                               const char *sha);

/* Applies the changes that follow cursor (NULL ends them; each is taken) as one page of
 * the feed, asserting success. */
void apply (DocketStore *store,
            const char  *cursor,
            ...);

/* Puts bytes in the profile as the complete content sha. */
void put_content (DocketStore *store,
                  const char  *sha,
                  GBytes      *bytes);

/* Until the indexer is idle and nothing is left to index: the store's "changed" of the
 * last download may still be on its way when the indexer looks idle. */
void wait_for_indexer (DocketIndexer *indexer,
                       DocketStore   *store);

/* The hits (DocketSearchHit) of query, the first 50; asserts the search works. */
GPtrArray *search (DocketStore *store,
                   const char  *query);

/* Whether a search for query gives a hit in document_id at page. */
gboolean finds (DocketStore *store,
                const char  *query,
                const char  *document_id,
                guint        page);

/* How many hits query gives (up to 50). */
guint n_hits (DocketStore *store,
              const char  *query);

G_END_DECLS
