/* docket-meeting-live.h: where a meeting stands while it is held, as the store has it
 *
 * Follows the store: on every "changed" it reads the meeting's live records again
 * (docket_store_load_meeting_live_async, in a worker) and updates itself in place,
 * notifying only what changed. Its participants and its queue are lists of stable
 * objects: a check-in changes one participant's "presence", a speech given the floor
 * leaves the queue and becomes "current-speech" as the same object.
 *
 * Properties (all read-only):
 *   "meeting-id" char*, "loaded" gboolean (the first read has answered), "error" GError*
 *   (the last read's failure, NULL once one succeeds: what the model shows is then the
 *   last read that succeeded)
 *   "phase" DocketMeetingPhase as guint, "started-at", "ended-at" GDateTime* (NULL)
 *   "current-item-id", "presented-document-id" char* (NULL: none), "presented-page" int
 *   "speech-limit-seconds" int (0: none)
 *   "my-meeting-role" DocketMeetingRole as guint (UNKNOWN when the signed-in official is
 *   not a participant), "my-presence" DocketPresence as guint, "can-run" gboolean (their
 *   role runs the meeting: chair, secretary)
 *   "quorum-rule" DocketQuorumRule as guint, "n-members" guint (chair and members),
 *   "n-members-checked-in" guint (present or remote), "quorum-needed" guint
 *   (docket_quorum_needed; 0 for a rule of a later protocol), "has-quorum" gboolean
 *   "current-speech" DocketLiveSpeech* (the one speaking, NULL), "my-speech"
 *   DocketLiveSpeech* (the signed-in official's waiting or speaking one, NULL)
 */
#pragma once

#include <gio/gio.h>

#include "docket-live-participant.h"
#include "docket-live-speech.h"
#include "docket-store.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_MEETING_LIVE (docket_meeting_live_get_type ())
G_DECLARE_FINAL_TYPE (DocketMeetingLive, docket_meeting_live, DOCKET, MEETING_LIVE, GObject)

/* Starts reading at once. */
DocketMeetingLive *docket_meeting_live_new                (DocketStore *store,
                                                           const char  *meeting_id);

/* DocketLiveParticipant, by display name. */
GListModel        *docket_meeting_live_get_participants   (DocketMeetingLive *self);
/* DocketLiveSpeech, the waiting ones by number. */
GListModel        *docket_meeting_live_get_queue          (DocketMeetingLive *self);

const char        *docket_meeting_live_get_meeting_id     (DocketMeetingLive *self);
gboolean           docket_meeting_live_get_loaded         (DocketMeetingLive *self);
const GError      *docket_meeting_live_get_error          (DocketMeetingLive *self);
DocketMeetingPhase docket_meeting_live_get_phase          (DocketMeetingLive *self);
GDateTime         *docket_meeting_live_get_started_at     (DocketMeetingLive *self);
GDateTime         *docket_meeting_live_get_ended_at       (DocketMeetingLive *self);
const char        *docket_meeting_live_get_current_item_id (DocketMeetingLive *self);
const char        *docket_meeting_live_get_presented_document_id (DocketMeetingLive *self);
int                docket_meeting_live_get_presented_page (DocketMeetingLive *self);
int                docket_meeting_live_get_speech_limit_seconds (DocketMeetingLive *self);
DocketMeetingRole  docket_meeting_live_get_my_meeting_role (DocketMeetingLive *self);
DocketPresence     docket_meeting_live_get_my_presence    (DocketMeetingLive *self);
gboolean           docket_meeting_live_get_can_run        (DocketMeetingLive *self);
DocketQuorumRule   docket_meeting_live_get_quorum_rule    (DocketMeetingLive *self);
guint              docket_meeting_live_get_n_members      (DocketMeetingLive *self);
guint              docket_meeting_live_get_n_members_checked_in (DocketMeetingLive *self);
guint              docket_meeting_live_get_quorum_needed  (DocketMeetingLive *self);
gboolean           docket_meeting_live_get_has_quorum     (DocketMeetingLive *self);
DocketLiveSpeech  *docket_meeting_live_get_current_speech (DocketMeetingLive *self);
DocketLiveSpeech  *docket_meeting_live_get_my_speech      (DocketMeetingLive *self);

/* Reads the store again now (Retry after an error). */
void               docket_meeting_live_reload             (DocketMeetingLive *self);

G_END_DECLS
