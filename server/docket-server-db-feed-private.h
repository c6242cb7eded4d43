/* docket-server-db-feed-private.h: what the change feed's files share (docs/protocol.md,
 * "How the reference server computes it"): docket-server-db-feed.c computes the window and
 * builds the page; docket-server-db-feed-live.c adds the meetings' live records to it
 */
#pragma once

#include "docket-server-db-private.h"

G_BEGIN_DECLS

/* Where a client stands (docket-server-db-feed.c). */
typedef struct FeedCursor FeedCursor;

/* A change of the window, at its place in the feed's order. */
typedef struct {
  gint64        seq;
  DocketChange *change;
} FeedEntry;

/* One request's window, and what it found out so far. */
typedef struct {
  DocketServerDb         *db;
  const DocketServerUser *user;
  gint64                  since;    /* the window: numbers above since... */
  gint64                  top;      /* ...up to top */
  GHashTable             *seen;     /* meeting id → MEETING_HIDDEN or MEETING_VISIBLE */
  GHashTable             *access;   /* meeting id → gint64*: its last access row, for the
                                     * meetings whose visibility changed in the window */
  GArray                 *entries;  /* FeedEntry */
  const FeedCursor       *cursor;
  guint                   page_limit;
  gint64                  horizon;  /* entries numbered from here on may be missing */
} Feed;

/* Adds the change (type, id) at seq: record, which it takes, or a deletion when NULL. */
void     docket_server_db_feed_add     (Feed             *feed,
                                        gint64            seq,
                                        DocketChangeType  type,
                                        const char       *id,
                                        gpointer          record);
/* Whether a row of the meeting that changed in the window goes to the user by itself:
 * they see the meeting, and its visibility did not change (step 1 sends those whole). */
gboolean docket_server_db_feed_follows (Feed             *feed,
                                        const char       *meeting_id,
                                        gboolean         *out_follows,
                                        GError          **error);

/* The live records (docket-server-db-feed-live.c). */
/* Step 1: the live records of a meeting that became visible at seq, each at seq or at its
 * own version if later. */
gboolean    docket_server_db_feed_add_whole_live   (Feed                *feed,
                                                    const char          *meeting_id,
                                                    gint64               seq,
                                                    GError             **error);
/* Step 2: the live records whose version is in the window, of the meetings the user
 * follows. */
gboolean    docket_server_db_feed_add_live_changes (Feed                *feed,
                                                    GError             **error);
/* The meeting of a live record's change (it must come after that meeting), or NULL for
 * a change of another type or a deletion. */
const char *docket_server_db_feed_live_meeting_id  (const DocketChange  *change);

G_END_DECLS
