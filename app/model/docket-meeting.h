/* docket-meeting.h: a meeting of the cache, as the meeting list and meeting page show it
 *
 * Wraps a DocketStoreMeetingRow. Updated in place when the store changes, so that rows
 * bound to it follow without being rebuilt. Times are given in the meeting's own time
 * zone (where it is held), falling back to the local zone for an unknown one.
 * Its documents' downloads, summed: "n-downloading" (arriving), "n-waiting" (queued),
 * "download-fraction" (of the bytes of both, 0 to 1) and "n-failed" (kept up to date by
 * the meeting list, docket_meeting_list_set_sync ()).
 */
#pragma once

#include <glib-object.h>

#include "docket-store.h"
#include "docket-sync.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_MEETING (docket_meeting_get_type ())
G_DECLARE_FINAL_TYPE (DocketMeeting, docket_meeting, DOCKET, MEETING, GObject)

DocketMeeting *docket_meeting_new                   (const DocketStoreMeetingRow *row);
/* Takes the values of row (same id); notifies only what changed. TRUE when its start or
 * end changed: what lists sort and group meetings by. */
gboolean       docket_meeting_update                (DocketMeeting               *self,
                                                     const DocketStoreMeetingRow *row);

const char    *docket_meeting_get_id                (DocketMeeting *self);
const char    *docket_meeting_get_title             (DocketMeeting *self);
const char    *docket_meeting_get_organ             (DocketMeeting *self);
const char    *docket_meeting_get_location          (DocketMeeting *self);
const char    *docket_meeting_get_time_zone_name    (DocketMeeting *self);
DocketMeetingStatus docket_meeting_get_status       (DocketMeeting *self);
gint64         docket_meeting_get_version           (DocketMeeting *self);
/* In the meeting's time zone. */
GDateTime     *docket_meeting_get_starts_at         (DocketMeeting *self);
GDateTime     *docket_meeting_get_ends_at           (DocketMeeting *self);
guint          docket_meeting_get_n_documents       (DocketMeeting *self);
guint          docket_meeting_get_n_documents_offline (DocketMeeting *self);
gboolean       docket_meeting_get_all_offline       (DocketMeeting *self);
guint          docket_meeting_get_n_downloading     (DocketMeeting *self);
guint          docket_meeting_get_n_waiting         (DocketMeeting *self);
guint          docket_meeting_get_n_failed          (DocketMeeting *self);
double         docket_meeting_get_download_fraction (DocketMeeting *self);
/* Takes the engine's summary (NULL: nothing under way); notifies what changed. */
void           docket_meeting_set_downloads         (DocketMeeting                *self,
                                                     const DocketMeetingDownloads *downloads);

/* TRUE when the meeting has not ended at now. */
gboolean       docket_meeting_is_upcoming           (DocketMeeting *self,
                                                     GDateTime     *now);
/* "2026-11-30": the day it starts where it is held; meetings of one day group by it. */
char          *docket_meeting_dup_day_key           (DocketMeeting *self);
/* The same, owned by the meeting (valid until it changes). */
const char    *docket_meeting_get_day_key           (DocketMeeting *self);
/* "Today", "Tomorrow", "Yesterday" or "Monday 30 November 2026", in the user's language. */
char          *docket_meeting_format_day            (DocketMeeting *self,
                                                     GDateTime     *now);
/* "08:00 – 11:30" */
char          *docket_meeting_format_time_range     (DocketMeeting *self);

G_END_DECLS
