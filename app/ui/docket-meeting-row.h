/* docket-meeting-row.h: one meeting in the meeting list
 *
 * Time, title, organ and location, and whether all its documents are offline, arriving
 * (a progress bar) or failed; a menu with "Make Available Offline First". Follows its
 * DocketMeeting as the store and the downloads change.
 */
#pragma once

#include <adwaita.h>

#include "docket-meeting.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_MEETING_ROW (docket_meeting_row_get_type ())
G_DECLARE_FINAL_TYPE (DocketMeetingRow, docket_meeting_row, DOCKET, MEETING_ROW, AdwActionRow)

GtkWidget     *docket_meeting_row_new         (DocketMeeting    *meeting);
DocketMeeting *docket_meeting_row_get_meeting (DocketMeetingRow *self);

G_END_DECLS
