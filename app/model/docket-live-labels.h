/* docket-live-labels.h: the live meeting's words as the official reads them
 *
 * A meeting role, a presence and a phase in the user's language, for the rows and the
 * chair's console. A value of a later protocol (UNKNOWN) has a label of its own: it is
 * shown as unknown, never hidden.
 */
#pragma once

#include "docket-records.h"

G_BEGIN_DECLS

/* "Chair", "Member", "Guest", "Secretary", "Unknown role" */
const char *docket_meeting_role_get_label  (DocketMeetingRole  role);
/* "Absent", "Present", "Remote", "Unknown presence" */
const char *docket_presence_get_label      (DocketPresence     presence);
/* "Not started", "In session", "Ended", "Unknown stage" */
const char *docket_meeting_phase_get_label (DocketMeetingPhase phase);
/* "Waiting", "Speaking", "Spoke", "Withdrawn", "Unknown" */
const char *docket_speech_state_get_label  (DocketSpeechState  state);

G_END_DECLS
