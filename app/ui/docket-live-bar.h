/* docket-live-bar.h: where a live meeting stands, and what the official does in it
 *
 * Under a meeting's details while the meeting is held: the phase ("In session since
 * 08:03"), the current item ("Now: 2. Báo cáo ...", a button that shows it in the agenda:
 * the meeting page's "meeting.show-current-item"), who speaks (with the time, ticking
 * only while shown, and the limit) and who is next; the official's own controls: Check
 * In (in the room, remotely, out), Request to Speak / Withdraw Request (with their place
 * in the queue), Follow Presentation (the window's "win.follow-presentation"), and the
 * Participants popover (docket-participants-popover.h). A control the official cannot
 * use now is insensitive, with a tooltip saying why; a refused action is told in a toast
 * with the server's reason. Everything shown comes from a DocketMeetingLive.
 */
#pragma once

#include <gtk/gtk.h>

#include "docket-agenda.h"
#include "docket-meeting-live.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_LIVE_BAR (docket_live_bar_get_type ())
G_DECLARE_FINAL_TYPE (DocketLiveBar, docket_live_bar, DOCKET, LIVE_BAR, GtkWidget)

/* live and agenda (which names the current item) may be NULL: nothing shown. */
void docket_live_bar_set_live (DocketLiveBar     *self,
                               DocketMeetingLive *live,
                               DocketAgenda      *agenda);

/* The agenda item of id in agenda's tree, or NULL (borrowed). */
DocketAgendaItem *docket_live_bar_find_agenda_item (DocketAgenda *agenda,
                                                    const char   *item_id);

G_END_DECLS
