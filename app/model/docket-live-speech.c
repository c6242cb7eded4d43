/* docket-live-speech.c: a request for the floor in a live meeting, and the speech after it */

#include "config.h"

#include "docket-live-speech.h"

struct _DocketLiveSpeech
{
  GObject     parent_instance;

  char       *id;
  char       *username;
  char       *display_name;
  guint       state;          /* DocketSpeechState */
  gint64      number;
  GDateTime  *requested_at;
  GDateTime  *started_at;     /* NULL until given the floor */
  GDateTime  *ended_at;       /* NULL until ended */
  int         limit_seconds;
  gboolean    is_me;
};

G_DEFINE_FINAL_TYPE (DocketLiveSpeech, docket_live_speech, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_USERNAME,
  PROP_DISPLAY_NAME,
  PROP_STATE,
  PROP_NUMBER,
  PROP_REQUESTED_AT,
  PROP_STARTED_AT,
  PROP_ENDED_AT,
  PROP_LIMIT_SECONDS,
  PROP_IS_ME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
docket_live_speech_finalize (GObject *object)
{
  DocketLiveSpeech *self = DOCKET_LIVE_SPEECH (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->username, g_free);
  g_clear_pointer (&self->display_name, g_free);
  g_clear_pointer (&self->requested_at, g_date_time_unref);
  g_clear_pointer (&self->started_at, g_date_time_unref);
  g_clear_pointer (&self->ended_at, g_date_time_unref);

  G_OBJECT_CLASS (docket_live_speech_parent_class)->finalize (object);
}

static void
docket_live_speech_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  DocketLiveSpeech *self = DOCKET_LIVE_SPEECH (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_USERNAME:
      g_value_set_string (value, self->username);
      break;
    case PROP_DISPLAY_NAME:
      g_value_set_string (value, self->display_name);
      break;
    case PROP_STATE:
      g_value_set_uint (value, self->state);
      break;
    case PROP_NUMBER:
      g_value_set_int64 (value, self->number);
      break;
    case PROP_REQUESTED_AT:
      g_value_set_boxed (value, self->requested_at);
      break;
    case PROP_STARTED_AT:
      g_value_set_boxed (value, self->started_at);
      break;
    case PROP_ENDED_AT:
      g_value_set_boxed (value, self->ended_at);
      break;
    case PROP_LIMIT_SECONDS:
      g_value_set_int (value, self->limit_seconds);
      break;
    case PROP_IS_ME:
      g_value_set_boolean (value, self->is_me);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_live_speech_class_init (DocketLiveSpeechClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = docket_live_speech_finalize;
  object_class->get_property = docket_live_speech_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  properties[PROP_USERNAME] = g_param_spec_string ("username", NULL, NULL, NULL, flags);
  properties[PROP_DISPLAY_NAME] = g_param_spec_string ("display-name", NULL, NULL, NULL, flags);
  properties[PROP_STATE] =
    g_param_spec_uint ("state", NULL, NULL, 0, DOCKET_SPEECH_UNKNOWN, DOCKET_SPEECH_WAITING, flags);
  properties[PROP_NUMBER] = g_param_spec_int64 ("number", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_REQUESTED_AT] = g_param_spec_boxed ("requested-at", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_STARTED_AT] = g_param_spec_boxed ("started-at", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_ENDED_AT] = g_param_spec_boxed ("ended-at", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_LIMIT_SECONDS] =
    g_param_spec_int ("limit-seconds", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_IS_ME] = g_param_spec_boolean ("is-me", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
docket_live_speech_init (DocketLiveSpeech *self)
{
}

static void
set_string (DocketLiveSpeech  *self,
            char             **slot,
            const char        *value,
            guint              prop)
{
  if (g_strcmp0 (*slot, value) == 0)
    return;
  g_free (*slot);
  *slot = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_time (DocketLiveSpeech  *self,
          GDateTime        **slot,
          GDateTime         *value,
          guint              prop)
{
  if ((*slot == NULL && value == NULL) ||
      (*slot != NULL && value != NULL && g_date_time_equal (*slot, value)))
    return;
  g_clear_pointer (slot, g_date_time_unref);
  *slot = value != NULL ? g_date_time_ref (value) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

void
docket_live_speech_update (DocketLiveSpeech         *self,
                           const DocketSpeechRecord *record,
                           const char               *display_name,
                           gboolean                  is_me)
{
  g_return_if_fail (DOCKET_IS_LIVE_SPEECH (self));
  g_return_if_fail (record != NULL);

  g_object_freeze_notify (G_OBJECT (self));

  set_string (self, &self->id, record->id, PROP_ID);
  set_string (self, &self->username, record->username, PROP_USERNAME);
  set_string (self, &self->display_name,
              display_name != NULL && display_name[0] != '\0' ? display_name : record->username,
              PROP_DISPLAY_NAME);
  if (self->state != (guint) record->state)
    {
      self->state = record->state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  if (self->number != record->number)
    {
      self->number = record->number;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NUMBER]);
    }
  set_time (self, &self->requested_at, record->requested_at, PROP_REQUESTED_AT);
  set_time (self, &self->started_at, record->started_at, PROP_STARTED_AT);
  set_time (self, &self->ended_at, record->ended_at, PROP_ENDED_AT);
  if (self->limit_seconds != record->limit_seconds)
    {
      self->limit_seconds = record->limit_seconds;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIMIT_SECONDS]);
    }
  if (self->is_me != !!is_me)
    {
      self->is_me = !!is_me;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_ME]);
    }

  g_object_thaw_notify (G_OBJECT (self));
}

DocketLiveSpeech *
docket_live_speech_new (const DocketSpeechRecord *record,
                        const char               *display_name,
                        gboolean                  is_me)
{
  DocketLiveSpeech *self = g_object_new (DOCKET_TYPE_LIVE_SPEECH, NULL);

  docket_live_speech_update (self, record, display_name, is_me);
  return self;
}

const char *
docket_live_speech_get_id (DocketLiveSpeech *self)
{
  g_return_val_if_fail (DOCKET_IS_LIVE_SPEECH (self), NULL);
  return self->id;
}

const char *
docket_live_speech_get_username (DocketLiveSpeech *self)
{
  g_return_val_if_fail (DOCKET_IS_LIVE_SPEECH (self), NULL);
  return self->username;
}

const char *
docket_live_speech_get_display_name (DocketLiveSpeech *self)
{
  g_return_val_if_fail (DOCKET_IS_LIVE_SPEECH (self), NULL);
  return self->display_name;
}

DocketSpeechState
docket_live_speech_get_state (DocketLiveSpeech *self)
{
  g_return_val_if_fail (DOCKET_IS_LIVE_SPEECH (self), DOCKET_SPEECH_UNKNOWN);
  return self->state;
}

gint64
docket_live_speech_get_number (DocketLiveSpeech *self)
{
  g_return_val_if_fail (DOCKET_IS_LIVE_SPEECH (self), 0);
  return self->number;
}

GDateTime *
docket_live_speech_get_requested_at (DocketLiveSpeech *self)
{
  g_return_val_if_fail (DOCKET_IS_LIVE_SPEECH (self), NULL);
  return self->requested_at;
}

GDateTime *
docket_live_speech_get_started_at (DocketLiveSpeech *self)
{
  g_return_val_if_fail (DOCKET_IS_LIVE_SPEECH (self), NULL);
  return self->started_at;
}

GDateTime *
docket_live_speech_get_ended_at (DocketLiveSpeech *self)
{
  g_return_val_if_fail (DOCKET_IS_LIVE_SPEECH (self), NULL);
  return self->ended_at;
}

int
docket_live_speech_get_limit_seconds (DocketLiveSpeech *self)
{
  g_return_val_if_fail (DOCKET_IS_LIVE_SPEECH (self), 0);
  return self->limit_seconds;
}

gboolean
docket_live_speech_get_is_me (DocketLiveSpeech *self)
{
  g_return_val_if_fail (DOCKET_IS_LIVE_SPEECH (self), FALSE);
  return self->is_me;
}
