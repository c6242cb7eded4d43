/* docket-live-participant.h: a participant of a live meeting, with their presence
 *
 * One object per participant, kept by DocketMeetingLive for as long as they take part,
 * and updated in place (only what changed is notified), so that a row bound to it
 * follows a check-in without being rebuilt. Properties (read-only):
 *   "username", "display-name"  char*
 *   "meeting-role"              DocketMeetingRole as guint (UNKNOWN for a role of a
 *                               later protocol)
 *   "presence"                  DocketPresence as guint (ABSENT until they check in)
 *   "since"                     GDateTime*, when the presence last changed; NULL before
 *   "is-me"                     gboolean, the signed-in official
 */
#pragma once

#include <glib-object.h>

#include "docket-records.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_LIVE_PARTICIPANT (docket_live_participant_get_type ())
G_DECLARE_FINAL_TYPE (DocketLiveParticipant, docket_live_participant, DOCKET, LIVE_PARTICIPANT, GObject)

/* attendance may be NULL: never checked in. */
DocketLiveParticipant *docket_live_participant_new    (const DocketParticipant      *participant,
                                                       const DocketAttendanceRecord *attendance,
                                                       gboolean                      is_me);
/* Takes the values given (same user name); notifies only what changed. */
void                   docket_live_participant_update (DocketLiveParticipant        *self,
                                                       const DocketParticipant      *participant,
                                                       const DocketAttendanceRecord *attendance,
                                                       gboolean                      is_me);

const char        *docket_live_participant_get_username     (DocketLiveParticipant *self);
const char        *docket_live_participant_get_display_name (DocketLiveParticipant *self);
DocketMeetingRole  docket_live_participant_get_meeting_role (DocketLiveParticipant *self);
DocketPresence     docket_live_participant_get_presence     (DocketLiveParticipant *self);
GDateTime         *docket_live_participant_get_since        (DocketLiveParticipant *self);
gboolean           docket_live_participant_get_is_me        (DocketLiveParticipant *self);

G_END_DECLS
