/* docket-meeting-list.h: the meetings of the cache, a GListModel of DocketMeeting
 *
 * Ordered by start time, as the store lists them. Reloads with the store's async query
 * whenever the store commits, and updates in place: meetings that stay keep their
 * object (rows bound to them just follow), only what was added or removed is spliced.
 */
#pragma once

#include <gio/gio.h>

#include "docket-store.h"
#include "docket-sync.h"
#include "docket-meeting.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_MEETING_LIST (docket_meeting_list_get_type ())
G_DECLARE_FINAL_TYPE (DocketMeetingList, docket_meeting_list, DOCKET, MEETING_LIST, GObject)

/* Starts loading at once. */
DocketMeetingList *docket_meeting_list_new           (DocketStore       *store);
/* FALSE until the first load finished (successfully or not). */
gboolean           docket_meeting_list_get_loaded    (DocketMeetingList *self);
/* The error of the last load, or NULL (the "error" property: cleared by the next load
 * that succeeds). */
const GError      *docket_meeting_list_get_error     (DocketMeetingList *self);
DocketMeeting     *docket_meeting_list_find          (DocketMeetingList *self,
                                                      const char        *meeting_id);
void               docket_meeting_list_reload        (DocketMeetingList *self);
/* The engine whose downloads the meetings sum up; NULL for none. */
void               docket_meeting_list_set_sync      (DocketMeetingList *self,
                                                      DocketSync        *sync);

G_END_DECLS
