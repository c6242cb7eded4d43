/* docket-participants-popover.h: who takes part in a live meeting
 *
 * Every participant with their meeting role and presence (docket-participant-row.h),
 * and the quorum line ("9 of 13 members checked in — quorum (7) reached"), live: the
 * rows follow the DocketMeetingLive's participants list, updated in place.
 */
#pragma once

#include <gtk/gtk.h>

#include "docket-meeting-live.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_PARTICIPANTS_POPOVER (docket_participants_popover_get_type ())
G_DECLARE_FINAL_TYPE (DocketParticipantsPopover, docket_participants_popover, DOCKET, PARTICIPANTS_POPOVER, GtkPopover)

/* live may be NULL: nothing listed. */
void docket_participants_popover_set_live (DocketParticipantsPopover *self,
                                           DocketMeetingLive         *live);

G_END_DECLS
