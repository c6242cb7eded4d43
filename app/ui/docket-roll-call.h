/* docket-roll-call.h: the chair's console's roll call
 *
 * Each participant of the live meeting (DocketMeetingLive "participants") with their
 * meeting role and presence, and a menu to mark them present, remote or absent: its
 * buttons raise the console's console.set-presence ("(ss)": username, presence). The
 * console says when the roll call may not be changed, and why (the menus are then
 * insensitive with that tooltip).
 */
#pragma once

#include <adwaita.h>

#include "docket-meeting-live.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_ROLL_CALL (docket_roll_call_get_type ())
G_DECLARE_FINAL_TYPE (DocketRollCall, docket_roll_call, DOCKET, ROLL_CALL, AdwBin)

/* The meeting whose participants are shown; NULL: none. */
void docket_roll_call_set_live    (DocketRollCall    *self,
                                   DocketMeetingLive *live);

/* Why the presences cannot be changed now, or NULL when they can. */
void docket_roll_call_set_blocked (DocketRollCall    *self,
                                   const char        *why);

G_END_DECLS
