/* docket-live-labels.c: the live meeting's words as the official reads them */

#include "config.h"

#include <glib/gi18n.h>

#include "docket-live-labels.h"

const char *
docket_meeting_role_get_label (DocketMeetingRole role)
{
  switch (role)
    {
    case DOCKET_MEETING_ROLE_CHAIR:
      return _("Chair");
    case DOCKET_MEETING_ROLE_MEMBER:
      return _("Member");
    case DOCKET_MEETING_ROLE_GUEST:
      return _("Guest");
    case DOCKET_MEETING_ROLE_SECRETARY:
      return C_("meeting role", "Secretary");
    case DOCKET_MEETING_ROLE_UNKNOWN:
    default:
      return _("Unknown role");
    }
}

const char *
docket_presence_get_label (DocketPresence presence)
{
  switch (presence)
    {
    case DOCKET_PRESENCE_ABSENT:
      return _("Absent");
    case DOCKET_PRESENCE_PRESENT:
      return _("Present");
    case DOCKET_PRESENCE_REMOTE:
      return _("Remote");
    case DOCKET_PRESENCE_UNKNOWN:
    default:
      return _("Unknown presence");
    }
}

const char *
docket_meeting_phase_get_label (DocketMeetingPhase phase)
{
  switch (phase)
    {
    case DOCKET_MEETING_PHASE_NOT_STARTED:
      return _("Not started");
    case DOCKET_MEETING_PHASE_IN_SESSION:
      return _("In session");
    case DOCKET_MEETING_PHASE_ENDED:
      return _("Ended");
    case DOCKET_MEETING_PHASE_UNKNOWN:
    default:
      return _("Unknown stage");
    }
}

const char *
docket_speech_state_get_label (DocketSpeechState state)
{
  switch (state)
    {
    case DOCKET_SPEECH_WAITING:
      return _("Waiting");
    case DOCKET_SPEECH_SPEAKING:
      return _("Speaking");
    case DOCKET_SPEECH_DONE:
      return _("Spoke");
    case DOCKET_SPEECH_WITHDRAWN:
      return _("Withdrawn");
    case DOCKET_SPEECH_UNKNOWN:
    default:
      return C_("speech state", "Unknown");
    }
}
