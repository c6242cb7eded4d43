/* docket-meeting-list-page.h: upcoming and past meetings, grouped by day
 *
 * Observes a DocketMeetingList; each day is a group of rows bound to a filtered view of
 * that one model, so a store change moves rows in place. Emits "meeting-activated".
 */
#pragma once

#include <adwaita.h>

#include "docket-meeting-list.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_MEETING_LIST_PAGE (docket_meeting_list_page_get_type ())
G_DECLARE_FINAL_TYPE (DocketMeetingListPage, docket_meeting_list_page, DOCKET, MEETING_LIST_PAGE, AdwBin)

DocketMeetingList *docket_meeting_list_page_get_meetings (DocketMeetingListPage *self);
void               docket_meeting_list_page_set_meetings (DocketMeetingListPage *self,
                                                          DocketMeetingList     *meetings);
/* The row widget showing meeting_id, or NULL (bench/docket-bench-feed.c and tests). */
GtkWidget         *docket_meeting_list_page_find_row    (DocketMeetingListPage *self,
                                                         const char            *meeting_id);

G_END_DECLS
