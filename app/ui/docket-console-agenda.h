/* docket-console-agenda.h: the chair's console's agenda and presenting
 *
 * The meeting's agenda items in order, the current one marked, Make Current on each other
 * (console.make-current: the item's id) and Next Item (console.next-item); the documents
 * of the current item with Present on each (console.present: the document's id, which
 * page is presented under it) and Stop Presenting (console.stop-presenting). Shown from the
 * live model (DocketMeetingLive) and the agenda; the console owns those actions and says
 * when they may not be taken, and why (the buttons then carry that tooltip).
 */
#pragma once

#include <adwaita.h>

#include "docket-agenda.h"
#include "docket-meeting-live.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_CONSOLE_AGENDA (docket_console_agenda_get_type ())
G_DECLARE_FINAL_TYPE (DocketConsoleAgenda, docket_console_agenda, DOCKET, CONSOLE_AGENDA, AdwBin)

/* The meeting run (live) and its agenda; NULL: nothing shown. */
void              docket_console_agenda_set_live      (DocketConsoleAgenda *self,
                                                       DocketMeetingLive   *live,
                                                       DocketAgenda        *agenda);

/* Why the current item cannot be changed nor a document presented now, or NULL. */
void              docket_console_agenda_set_blocked   (DocketConsoleAgenda *self,
                                                       const char          *why);

/* The item after the current one in agenda order (the first when none is current;
 * borrowed), or NULL when the current one is the last or nothing is shown. */
DocketAgendaItem *docket_console_agenda_get_next_item (DocketConsoleAgenda *self);

G_END_DECLS
