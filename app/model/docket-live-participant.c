/* docket-live-participant.c: a participant of a live meeting, with their presence */

#include "config.h"

#include "docket-live-participant.h"

struct _DocketLiveParticipant
{
  GObject            parent_instance;

  char              *username;
  char              *display_name;
  guint              meeting_role;   /* DocketMeetingRole */
  guint              presence;       /* DocketPresence */
  GDateTime         *since;          /* NULL: never checked in */
  gboolean           is_me;
};

G_DEFINE_FINAL_TYPE (DocketLiveParticipant, docket_live_participant, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_USERNAME,
  PROP_DISPLAY_NAME,
  PROP_MEETING_ROLE,
  PROP_PRESENCE,
  PROP_SINCE,
  PROP_IS_ME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
docket_live_participant_finalize (GObject *object)
{
  DocketLiveParticipant *self = DOCKET_LIVE_PARTICIPANT (object);

  g_clear_pointer (&self->username, g_free);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->since, g_date_time_unref);

  G_OBJECT_CLASS (docket_live_participant_parent_class)->finalize (object);
}

static void
docket_live_participant_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  DocketLiveParticipant *self = DOCKET_LIVE_PARTICIPANT (object);

  switch (prop_id)
    {
    case PROP_USERNAME:
      g_value_set_string (value, self->username);
      break;
    case PROP_DISPLAY_NAME:
      g_value_set_string (value, self->display_name);
      break;
    case PROP_MEETING_ROLE:
      g_value_set_uint (value, self->meeting_role);
      break;
    case PROP_PRESENCE:
      g_value_set_uint (value, self->presence);
      break;
    case PROP_SINCE:
      g_value_set_boxed (value, self->since);
      break;
    case PROP_IS_ME:
      g_value_set_boolean (value, self->is_me);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_live_participant_class_init (DocketLiveParticipantClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = docket_live_participant_finalize;
  object_class->get_property = docket_live_participant_get_property;

  properties[PROP_USERNAME] = g_param_spec_string ("username", NULL, NULL, NULL, flags);
  properties[PROP_DISPLAY_NAME] = g_param_spec_string ("display-name", NULL, NULL, NULL, flags);
  properties[PROP_MEETING_ROLE] =
    g_param_spec_uint ("meeting-role", NULL, NULL, 0, DOCKET_MEETING_ROLE_UNKNOWN,
                       DOCKET_MEETING_ROLE_UNKNOWN, flags);
  properties[PROP_PRESENCE] =
    g_param_spec_uint ("presence", NULL, NULL, 0, DOCKET_PRESENCE_UNKNOWN, DOCKET_PRESENCE_ABSENT, flags);
  properties[PROP_SINCE] = g_param_spec_boxed ("since", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_IS_ME] = g_param_spec_boolean ("is-me", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
docket_live_participant_init (DocketLiveParticipant *self)
{
  self->meeting_role = DOCKET_MEETING_ROLE_UNKNOWN;
  self->presence = DOCKET_PRESENCE_ABSENT;
}

static void
set_string (DocketLiveParticipant  *self,
            char                  **slot,
            const char             *value,
            guint                   prop)
{
  if (g_strcmp0 (*slot, value) == 0)
    return;
  g_free (*slot);
  *slot = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_uint (DocketLiveParticipant *self,
          guint                 *slot,
          guint                  value,
          guint                  prop)
{
  if (*slot == value)
    return;
  *slot = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

void
docket_live_participant_update (DocketLiveParticipant        *self,
                                const DocketParticipant      *participant,
                                const DocketAttendanceRecord *attendance,
                                gboolean                      is_me)
{
  GDateTime *since = attendance != NULL ? attendance->since : NULL;

  g_return_if_fail (DOCKET_IS_LIVE_PARTICIPANT (self));
  g_return_if_fail (participant != NULL);

  g_object_freeze_notify (G_OBJECT (self));

  set_string (self, &self->username, participant->username, PROP_USERNAME);
  /* A participant without a name is still someone: shown by their user name. */
  set_string (self, &self->display_name,
              participant->display_name != NULL && participant->display_name[0] != '\0'
              ? participant->display_name : participant->username,
              PROP_DISPLAY_NAME);
  set_uint (self, &self->meeting_role, participant->meeting_role, PROP_MEETING_ROLE);
  /* No attendance is the same as absent (docs/protocol.md, "Attendance"). */
  set_uint (self, &self->presence,
            attendance != NULL ? attendance->presence : DOCKET_PRESENCE_ABSENT, PROP_PRESENCE);

  if (!(since == NULL && self->since == NULL) &&
      (since == NULL || self->since == NULL || !g_date_time_equal (since, self->since)))
    {
      g_clear_pointer (&self->since, g_date_time_unref);
      self->since = since != NULL ? g_date_time_ref (since) : NULL;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SINCE]);
    }

  if (self->is_me != !!is_me)
    {
      self->is_me = !!is_me;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_ME]);
    }

  g_object_thaw_notify (G_OBJECT (self));
}

DocketLiveParticipant *
docket_live_participant_new (const DocketParticipant      *participant,
                             const DocketAttendanceRecord *attendance,
                             gboolean                      is_me)
{
  DocketLiveParticipant *self = g_object_new (DOCKET_TYPE_LIVE_PARTICIPANT, NULL);

  docket_live_participant_update (self, participant, attendance, is_me);
  return self;
}

const char *
docket_live_participant_get_username (DocketLiveParticipant *self)
{
  g_return_val_if_fail (DOCKET_IS_LIVE_PARTICIPANT (self), NULL);
  return self->username;
}

const char *
docket_live_participant_get_display_name (DocketLiveParticipant *self)
{
  g_return_val_if_fail (DOCKET_IS_LIVE_PARTICIPANT (self), NULL);
  return self->display_name;
}

DocketMeetingRole
docket_live_participant_get_meeting_role (DocketLiveParticipant *self)
{
  g_return_val_if_fail (DOCKET_IS_LIVE_PARTICIPANT (self), DOCKET_MEETING_ROLE_UNKNOWN);
  return self->meeting_role;
}

DocketPresence
docket_live_participant_get_presence (DocketLiveParticipant *self)
{
  g_return_val_if_fail (DOCKET_IS_LIVE_PARTICIPANT (self), DOCKET_PRESENCE_UNKNOWN);
  return self->presence;
}

GDateTime *
docket_live_participant_get_since (DocketLiveParticipant *self)
{
  g_return_val_if_fail (DOCKET_IS_LIVE_PARTICIPANT (self), NULL);
  return self->since;
}

gboolean
docket_live_participant_get_is_me (DocketLiveParticipant *self)
{
  g_return_val_if_fail (DOCKET_IS_LIVE_PARTICIPANT (self), FALSE);
  return self->is_me;
}
