/* docket-meeting-page.h: one meeting, its details and its agenda tree
 *
 * The agenda is a GtkListView over a GtkTreeListModel of the DocketAgenda: items with
 * their documents and sub-items, nested items indented. Activating a document emits
 * "document-activated". Above it, the documents' downloads and "Make Available Offline
 * First"; every row has a button for the official's personal note. While the meeting is
 * held, the live bar (docket-live-bar.h) above it, and the current item marked in the
 * agenda. The page's top level is a vertical GtkBox, for other views of the meeting.
 */
#pragma once

#include <adwaita.h>

#include "docket-meeting.h"
#include "docket-agenda.h"
#include "docket-meeting-live.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_MEETING_PAGE (docket_meeting_page_get_type ())
G_DECLARE_FINAL_TYPE (DocketMeetingPage, docket_meeting_page, DOCKET, MEETING_PAGE, AdwBin)

void           docket_meeting_page_set_meeting (DocketMeetingPage *self,
                                                DocketMeeting     *meeting,
                                                DocketAgenda      *agenda);
DocketMeeting *docket_meeting_page_get_meeting (DocketMeetingPage *self);
DocketAgenda  *docket_meeting_page_get_agenda  (DocketMeetingPage *self);
/* Where the meeting stands while it is held (the window's, set after the meeting); NULL
 * for none. The page marks the current item and shows the live bar from it. */
void               docket_meeting_page_set_live (DocketMeetingPage *self,
                                                 DocketMeetingLive *live);
DocketMeetingLive *docket_meeting_page_get_live (DocketMeetingPage *self);

G_END_DECLS
