/* docket-chair-console.h: the chair's console, to run a live meeting
 *
 * A page of the window (the meeting page's "Chair's Console" button, win.open-console)
 * for the meeting's chair or secretary (DocketMeetingLive "can-run"): Start Meeting and
 * End Meeting (which asks first); the agenda with Make Current on each item and Next
 * Item (Ctrl+Right); the documents of the current item with Present (the window's
 * win.present-document opens it in the reader, presenting) and Stop Presenting; the roll
 * call, each participant with their meeting role and presence and a menu to mark them
 * present, remote or absent, under the quorum line; the speaker with their time (a
 * warning colour past the limit) and End Speech (Ctrl+Shift+E), the queue with Give Floor
 * and Withdraw on each request (Ctrl+Shift+G gives the floor to the first), and the
 * speaking-time limit in minutes. Each action is one request of the sync engine's live
 * actions; what the console shows comes back through the store. A refused action is a
 * toast with the server's reason; a control the phase does not allow is insensitive
 * with a tooltip saying why.
 *
 * The console owns the console.* actions, their shortcuts and the requests; the agenda
 * (DocketConsoleAgenda), the roll call (DocketRollCall) and the speakers
 * (DocketSpeakersPanel) are parts of its own,
 * bound to the same model, whose rows raise those actions.
 *
 * Named widgets, for tests and screen readers alike: "console-phase", "console-quorum",
 * "console-speaker", "console-elapsed".
 */
#pragma once

#include <adwaita.h>

#include "docket-agenda.h"
#include "docket-meeting-live.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_CHAIR_CONSOLE (docket_chair_console_get_type ())
G_DECLARE_FINAL_TYPE (DocketChairConsole, docket_chair_console, DOCKET, CHAIR_CONSOLE, AdwBin)

/* The meeting run (live) and its agenda; NULL: nothing shown. */
void docket_chair_console_set_live (DocketChairConsole *self,
                                    DocketMeetingLive  *live,
                                    DocketAgenda       *agenda);

G_END_DECLS
