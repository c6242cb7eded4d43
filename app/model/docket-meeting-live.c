/* docket-meeting-live.c: where a meeting stands while it is held, as the store has it
 *
 * Server -> feed -> store -> here: the feed's live records (docket-store-live.c) are
 * read back whole after every commit, and turned into properties and two lists of
 * stable objects. Quorum is counted here, from the attendance the store holds, by the
 * rule every client shares (docket_quorum_needed).
 */

#include "config.h"

#include "docket-list-diff.h"
#include "docket-meeting-live.h"
#include "docket-model-error.h"
#include "docket-store-loader.h"

struct _DocketMeetingLive
{
  GObject            parent_instance;

  /* Owned */
  DocketStoreLoader  loader;              /* the store, and the read in flight */
  char              *meeting_id;
  GError            *error;
  GListStore        *participants;        /* DocketLiveParticipant */
  GHashTable        *participant_objects; /* username -> DocketLiveParticipant*, owned */
  GListStore        *queue;               /* DocketLiveSpeech, waiting, by number */
  GHashTable        *speech_objects;      /* id -> DocketLiveSpeech*, owned */
  DocketLiveSpeech  *current_speech;
  DocketLiveSpeech  *my_speech;
  GDateTime         *started_at;
  GDateTime         *ended_at;
  char              *current_item_id;
  char              *presented_document_id;

  guint              phase;               /* DocketMeetingPhase */
  int                presented_page;
  int                speech_limit_seconds;
  guint              my_meeting_role;     /* DocketMeetingRole */
  guint              my_presence;         /* DocketPresence */
  guint              quorum_rule;         /* DocketQuorumRule */
  guint              n_members;
  guint              n_members_checked_in;
  guint              quorum_needed;
  gboolean           can_run;
  gboolean           has_quorum;
  gboolean           loaded;
  gboolean           reload_pending;      /* the store committed while a read was in flight */
};

G_DEFINE_FINAL_TYPE (DocketMeetingLive, docket_meeting_live, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_MEETING_ID,
  PROP_LOADED,
  PROP_ERROR,
  PROP_PHASE,
  PROP_STARTED_AT,
  PROP_ENDED_AT,
  PROP_CURRENT_ITEM_ID,
  PROP_PRESENTED_DOCUMENT_ID,
  PROP_PRESENTED_PAGE,
  PROP_SPEECH_LIMIT_SECONDS,
  PROP_MY_MEETING_ROLE,
  PROP_MY_PRESENCE,
  PROP_CAN_RUN,
  PROP_QUORUM_RULE,
  PROP_N_MEMBERS,
  PROP_N_MEMBERS_CHECKED_IN,
  PROP_QUORUM_NEEDED,
  PROP_HAS_QUORUM,
  PROP_CURRENT_SPEECH,
  PROP_MY_SPEECH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Setters that notify only a real change. */

static void
set_uint (DocketMeetingLive *self,
          guint             *slot,
          guint              value,
          guint              prop)
{
  if (*slot == value)
    return;
  *slot = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_int (DocketMeetingLive *self,
         int               *slot,
         int                value,
         guint              prop)
{
  if (*slot == value)
    return;
  *slot = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_boolean (DocketMeetingLive *self,
             gboolean          *slot,
             gboolean           value,
             guint              prop)
{
  if (*slot == !!value)
    return;
  *slot = !!value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_string (DocketMeetingLive  *self,
            char              **slot,
            const char         *value,
            guint               prop)
{
  if (g_strcmp0 (*slot, value) == 0)
    return;
  g_free (*slot);
  *slot = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_time (DocketMeetingLive  *self,
          GDateTime         **slot,
          GDateTime          *value,
          guint               prop)
{
  if ((*slot == NULL && value == NULL) ||
      (*slot != NULL && value != NULL && g_date_time_equal (*slot, value)))
    return;
  g_clear_pointer (slot, g_date_time_unref);
  *slot = value != NULL ? g_date_time_ref (value) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_speech (DocketMeetingLive  *self,
            DocketLiveSpeech  **slot,
            DocketLiveSpeech   *value,
            guint               prop)
{
  if (*slot == value)
    return;
  g_set_object (slot, value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

/* Following the store */

static void
apply_state (DocketMeetingLive              *self,
             const DocketMeetingStateRecord *state)
{
  set_uint (self, &self->phase, state->phase, PROP_PHASE);
  set_time (self, &self->started_at, state->started_at, PROP_STARTED_AT);
  set_time (self, &self->ended_at, state->ended_at, PROP_ENDED_AT);
  set_string (self, &self->current_item_id, state->current_item_id, PROP_CURRENT_ITEM_ID);
  set_string (self, &self->presented_document_id, state->presented_document_id,
              PROP_PRESENTED_DOCUMENT_ID);
  set_int (self, &self->presented_page,
           state->presented_document_id != NULL ? state->presented_page : 0, PROP_PRESENTED_PAGE);
  set_int (self, &self->speech_limit_seconds, state->speech_limit_seconds, PROP_SPEECH_LIMIT_SECONDS);
}

/* The participants, each keeping its object; counts the members and who of them is
 * checked in, and finds the signed-in official among them. */
static void
apply_participants (DocketMeetingLive            *self,
                    const DocketStoreMeetingLive *live,
                    const char                   *my_username)
{
  g_autoptr(GHashTable) old = g_steal_pointer (&self->participant_objects);
  g_autoptr(GHashTable) attendance = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) target = g_ptr_array_new ();
  DocketMeetingRole my_role = DOCKET_MEETING_ROLE_UNKNOWN;
  DocketPresence my_presence = DOCKET_PRESENCE_ABSENT;
  guint n_members = 0;
  guint n_checked_in = 0;

  self->participant_objects = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);

  for (guint i = 0; i < live->attendance->len; i++)
    {
      DocketAttendanceRecord *record = g_ptr_array_index (live->attendance, i);

      g_hash_table_insert (attendance, record->username, record);
    }

  for (guint i = 0; i < live->participants->len; i++)
    {
      const DocketParticipant *participant = g_ptr_array_index (live->participants, i);
      const DocketAttendanceRecord *record = g_hash_table_lookup (attendance, participant->username);
      gboolean is_me = g_strcmp0 (participant->username, my_username) == 0;
      DocketLiveParticipant *object = g_hash_table_lookup (old, participant->username);
      /* An attendance of a presence this version does not know counts for nothing. */
      gboolean checked_in = record != NULL && docket_presence_is_checked_in (record->presence);

      /* The same user twice (a damaged cache) is shown once. */
      if (g_hash_table_contains (self->participant_objects, participant->username))
        continue;

      if (object != NULL)
        {
          g_object_ref (object);
          docket_live_participant_update (object, participant, record, is_me);
        }
      else
        object = docket_live_participant_new (participant, record, is_me);

      g_hash_table_insert (self->participant_objects, g_strdup (participant->username), object);
      g_ptr_array_add (target, object);

      /* A guest, a secretary, or a role of a later protocol never counts. */
      if (docket_meeting_role_counts_for_quorum (participant->meeting_role))
        {
          n_members++;
          if (checked_in)
            n_checked_in++;
        }
      if (is_me)
        {
          my_role = participant->meeting_role;
          my_presence = record != NULL ? record->presence : DOCKET_PRESENCE_ABSENT;
        }
    }

  docket_list_store_update (self->participants, target);

  set_uint (self, &self->my_meeting_role, my_role, PROP_MY_MEETING_ROLE);
  set_uint (self, &self->my_presence, my_presence, PROP_MY_PRESENCE);
  set_boolean (self, &self->can_run, docket_meeting_role_runs_meeting (my_role), PROP_CAN_RUN);
  set_uint (self, &self->quorum_rule, live->quorum, PROP_QUORUM_RULE);
  set_uint (self, &self->n_members, n_members, PROP_N_MEMBERS);
  set_uint (self, &self->n_members_checked_in, n_checked_in, PROP_N_MEMBERS_CHECKED_IN);
  set_uint (self, &self->quorum_needed, docket_quorum_needed (live->quorum, n_members), PROP_QUORUM_NEEDED);
  /* A rule of a later protocol needs 0: it cannot say there is quorum. */
  set_boolean (self, &self->has_quorum,
               self->quorum_needed > 0 && n_checked_in >= self->quorum_needed, PROP_HAS_QUORUM);
}

/* The speeches, each keeping its object: the waiting ones are the queue, the one
 * speaking is current. */
static void
apply_speeches (DocketMeetingLive            *self,
                const DocketStoreMeetingLive *live,
                const char                   *my_username)
{
  g_autoptr(GHashTable) old = g_steal_pointer (&self->speech_objects);
  g_autoptr(GPtrArray) queue = g_ptr_array_new ();
  DocketLiveSpeech *current = NULL;
  DocketLiveSpeech *mine = NULL;

  self->speech_objects = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);

  /* By number: the queue's order, and the latest speaking one wins if the cache ever
   * holds two. */
  for (guint i = 0; i < live->speeches->len; i++)
    {
      const DocketSpeechRecord *record = g_ptr_array_index (live->speeches, i);
      DocketLiveParticipant *speaker = g_hash_table_lookup (self->participant_objects, record->username);
      const char *display_name = speaker != NULL ? docket_live_participant_get_display_name (speaker) : NULL;
      gboolean is_me = g_strcmp0 (record->username, my_username) == 0;
      DocketLiveSpeech *object = g_hash_table_lookup (old, record->id);

      if (g_hash_table_contains (self->speech_objects, record->id))
        continue;

      if (object != NULL)
        {
          g_object_ref (object);
          docket_live_speech_update (object, record, display_name, is_me);
        }
      else
        object = docket_live_speech_new (record, display_name, is_me);

      g_hash_table_insert (self->speech_objects, g_strdup (record->id), object);

      if (record->state == DOCKET_SPEECH_WAITING)
        g_ptr_array_add (queue, object);
      else if (record->state == DOCKET_SPEECH_SPEAKING)
        current = object;
      if (is_me && (record->state == DOCKET_SPEECH_WAITING || record->state == DOCKET_SPEECH_SPEAKING))
        mine = object;
    }

  docket_list_store_update (self->queue, queue);
  set_speech (self, &self->current_speech, current, PROP_CURRENT_SPEECH);
  set_speech (self, &self->my_speech, mine, PROP_MY_SPEECH);
}

/* live NULL: the meeting left the cache; it shows nothing. */
static void
apply_live (DocketMeetingLive            *self,
            const DocketStoreMeetingLive *live)
{
  g_autoptr(DocketStoreMeetingLive) empty = NULL;
  g_autoptr(DocketUserRecord) me = docket_store_dup_account_user (self->loader.store);
  const char *my_username = me != NULL ? me->username : NULL;

  if (live == NULL)
    {
      empty = g_new0 (DocketStoreMeetingLive, 1);
      empty->meeting_id = g_strdup (self->meeting_id);
      empty->quorum = DOCKET_QUORUM_UNKNOWN;
      empty->state = docket_meeting_state_record_new ();
      empty->state->phase = DOCKET_MEETING_PHASE_NOT_STARTED;
      empty->participants = g_ptr_array_new ();
      empty->attendance = g_ptr_array_new ();
      empty->speeches = g_ptr_array_new ();
      live = empty;
    }

  g_object_freeze_notify (G_OBJECT (self));
  apply_state (self, live->state);
  apply_participants (self, live, my_username);
  apply_speeches (self, live, my_username);
  g_object_thaw_notify (G_OBJECT (self));
}

/* Takes error (NULL: the last read succeeded); notifies only a real change. */
static void
set_error (DocketMeetingLive *self,
           GError            *error)
{
  if (error != NULL && docket_model_error_equal (self->error, error))
    g_error_free (error);
  else if (docket_model_take_error (&self->error, error))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(DocketStoreLoad) load = user_data;
  DocketMeetingLive *self = load->model;
  g_autoptr(DocketStoreMeetingLive) live = NULL;
  GError *error = NULL;

  live = docket_store_load_meeting_live_finish (DOCKET_STORE (source), result, &error);
  if (docket_store_load_is_superseded (load))
    {
      g_clear_error (&error);
      return;
    }
  g_clear_object (&self->loader.cancellable);

  if (error != NULL)
    {
      /* What was shown stays: the last read that succeeded. */
      g_warning ("Could not read where meeting %s stands: %s", self->meeting_id, error->message);
      set_error (self, error);
    }
  else
    {
      apply_live (self, live);
      set_error (self, NULL);
    }

  if (!self->loaded)
    {
      self->loaded = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }

  if (self->reload_pending)
    docket_meeting_live_reload (self);
}

void
docket_meeting_live_reload (DocketMeetingLive *self)
{
  GCancellable *cancellable;

  g_return_if_fail (DOCKET_IS_MEETING_LIVE (self));

  cancellable = docket_store_loader_restart (&self->loader);
  self->reload_pending = FALSE;
  docket_store_load_meeting_live_async (self->loader.store, self->meeting_id, cancellable,
                                        on_loaded, docket_store_load_new (self, &self->loader));
}

/* One more read after the one in flight, rather than cancelling it: during a meeting
 * the feed commits every few moments, and a read restarted at each would never end. */
static void
on_store_changed (DocketMeetingLive *self)
{
  if (self->loader.cancellable != NULL)
    self->reload_pending = TRUE;
  else
    docket_meeting_live_reload (self);
}

/* Object */

static void
docket_meeting_live_dispose (GObject *object)
{
  DocketMeetingLive *self = DOCKET_MEETING_LIVE (object);

  docket_store_loader_clear (&self->loader);
  g_clear_object (&self->current_speech);
  g_clear_object (&self->my_speech);

  G_OBJECT_CLASS (docket_meeting_live_parent_class)->dispose (object);
}

static void
docket_meeting_live_finalize (GObject *object)
{
  DocketMeetingLive *self = DOCKET_MEETING_LIVE (object);

  g_clear_pointer (&self->meeting_id, g_free);
  g_clear_error (&self->error);
  g_clear_object (&self->participants);
  g_clear_pointer (&self->participant_objects, g_hash_table_unref);
  g_clear_object (&self->queue);
  g_clear_pointer (&self->speech_objects, g_hash_table_unref);
  g_clear_pointer (&self->started_at, g_date_time_unref);
  g_clear_pointer (&self->ended_at, g_date_time_unref);
  g_clear_pointer (&self->current_item_id, g_free);
  g_clear_pointer (&self->presented_document_id, g_free);

  G_OBJECT_CLASS (docket_meeting_live_parent_class)->finalize (object);
}

static void
docket_meeting_live_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  DocketMeetingLive *self = DOCKET_MEETING_LIVE (object);

  switch (prop_id)
    {
    case PROP_MEETING_ID:
      g_value_set_string (value, self->meeting_id);
      break;
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    case PROP_PHASE:
      g_value_set_uint (value, self->phase);
      break;
    case PROP_STARTED_AT:
      g_value_set_boxed (value, self->started_at);
      break;
    case PROP_ENDED_AT:
      g_value_set_boxed (value, self->ended_at);
      break;
    case PROP_CURRENT_ITEM_ID:
      g_value_set_string (value, self->current_item_id);
      break;
    case PROP_PRESENTED_DOCUMENT_ID:
      g_value_set_string (value, self->presented_document_id);
      break;
    case PROP_PRESENTED_PAGE:
      g_value_set_int (value, self->presented_page);
      break;
    case PROP_SPEECH_LIMIT_SECONDS:
      g_value_set_int (value, self->speech_limit_seconds);
      break;
    case PROP_MY_MEETING_ROLE:
      g_value_set_uint (value, self->my_meeting_role);
      break;
    case PROP_MY_PRESENCE:
      g_value_set_uint (value, self->my_presence);
      break;
    case PROP_CAN_RUN:
      g_value_set_boolean (value, self->can_run);
      break;
    case PROP_QUORUM_RULE:
      g_value_set_uint (value, self->quorum_rule);
      break;
    case PROP_N_MEMBERS:
      g_value_set_uint (value, self->n_members);
      break;
    case PROP_N_MEMBERS_CHECKED_IN:
      g_value_set_uint (value, self->n_members_checked_in);
      break;
    case PROP_QUORUM_NEEDED:
      g_value_set_uint (value, self->quorum_needed);
      break;
    case PROP_HAS_QUORUM:
      g_value_set_boolean (value, self->has_quorum);
      break;
    case PROP_CURRENT_SPEECH:
      g_value_set_object (value, self->current_speech);
      break;
    case PROP_MY_SPEECH:
      g_value_set_object (value, self->my_speech);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_meeting_live_class_init (DocketMeetingLiveClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = docket_meeting_live_dispose;
  object_class->finalize = docket_meeting_live_finalize;
  object_class->get_property = docket_meeting_live_get_property;

  properties[PROP_MEETING_ID] = g_param_spec_string ("meeting-id", NULL, NULL, NULL, flags);
  properties[PROP_LOADED] = g_param_spec_boolean ("loaded", NULL, NULL, FALSE, flags);
  properties[PROP_ERROR] = g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR, flags);
  properties[PROP_PHASE] =
    g_param_spec_uint ("phase", NULL, NULL, 0, DOCKET_MEETING_PHASE_UNKNOWN,
                       DOCKET_MEETING_PHASE_NOT_STARTED, flags);
  properties[PROP_STARTED_AT] = g_param_spec_boxed ("started-at", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_ENDED_AT] = g_param_spec_boxed ("ended-at", NULL, NULL, G_TYPE_DATE_TIME, flags);
  properties[PROP_CURRENT_ITEM_ID] = g_param_spec_string ("current-item-id", NULL, NULL, NULL, flags);
  properties[PROP_PRESENTED_DOCUMENT_ID] =
    g_param_spec_string ("presented-document-id", NULL, NULL, NULL, flags);
  properties[PROP_PRESENTED_PAGE] =
    g_param_spec_int ("presented-page", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_SPEECH_LIMIT_SECONDS] =
    g_param_spec_int ("speech-limit-seconds", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_MY_MEETING_ROLE] =
    g_param_spec_uint ("my-meeting-role", NULL, NULL, 0, DOCKET_MEETING_ROLE_UNKNOWN,
                       DOCKET_MEETING_ROLE_UNKNOWN, flags);
  properties[PROP_MY_PRESENCE] =
    g_param_spec_uint ("my-presence", NULL, NULL, 0, DOCKET_PRESENCE_UNKNOWN, DOCKET_PRESENCE_ABSENT, flags);
  properties[PROP_CAN_RUN] = g_param_spec_boolean ("can-run", NULL, NULL, FALSE, flags);
  properties[PROP_QUORUM_RULE] =
    g_param_spec_uint ("quorum-rule", NULL, NULL, 0, DOCKET_QUORUM_UNKNOWN, DOCKET_QUORUM_UNKNOWN, flags);
  properties[PROP_N_MEMBERS] = g_param_spec_uint ("n-members", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_N_MEMBERS_CHECKED_IN] =
    g_param_spec_uint ("n-members-checked-in", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_QUORUM_NEEDED] = g_param_spec_uint ("quorum-needed", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_HAS_QUORUM] = g_param_spec_boolean ("has-quorum", NULL, NULL, FALSE, flags);
  properties[PROP_CURRENT_SPEECH] =
    g_param_spec_object ("current-speech", NULL, NULL, DOCKET_TYPE_LIVE_SPEECH, flags);
  properties[PROP_MY_SPEECH] =
    g_param_spec_object ("my-speech", NULL, NULL, DOCKET_TYPE_LIVE_SPEECH, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
docket_meeting_live_init (DocketMeetingLive *self)
{
  self->participants = g_list_store_new (DOCKET_TYPE_LIVE_PARTICIPANT);
  self->participant_objects = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->queue = g_list_store_new (DOCKET_TYPE_LIVE_SPEECH);
  self->speech_objects = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->phase = DOCKET_MEETING_PHASE_NOT_STARTED;
  self->my_meeting_role = DOCKET_MEETING_ROLE_UNKNOWN;
  self->my_presence = DOCKET_PRESENCE_ABSENT;
  self->quorum_rule = DOCKET_QUORUM_UNKNOWN;
}

DocketMeetingLive *
docket_meeting_live_new (DocketStore *store,
                         const char  *meeting_id)
{
  DocketMeetingLive *self;

  g_return_val_if_fail (DOCKET_IS_STORE (store), NULL);
  g_return_val_if_fail (meeting_id != NULL, NULL);

  self = g_object_new (DOCKET_TYPE_MEETING_LIVE, NULL);
  self->meeting_id = g_strdup (meeting_id);
  docket_store_loader_init (&self->loader, store, G_CALLBACK (on_store_changed), self);
  docket_meeting_live_reload (self);

  return self;
}

GListModel *
docket_meeting_live_get_participants (DocketMeetingLive *self)
{
  g_return_val_if_fail (DOCKET_IS_MEETING_LIVE (self), NULL);
  return G_LIST_MODEL (self->participants);
}

GListModel *
docket_meeting_live_get_queue (DocketMeetingLive *self)
{
  g_return_val_if_fail (DOCKET_IS_MEETING_LIVE (self), NULL);
  return G_LIST_MODEL (self->queue);
}

const char *
docket_meeting_live_get_meeting_id (DocketMeetingLive *self)
{
  g_return_val_if_fail (DOCKET_IS_MEETING_LIVE (self), NULL);
  return self->meeting_id;
}

gboolean
docket_meeting_live_get_loaded (DocketMeetingLive *self)
{
  g_return_val_if_fail (DOCKET_IS_MEETING_LIVE (self), FALSE);
  return self->loaded;
}

const GError *
docket_meeting_live_get_error (DocketMeetingLive *self)
{
  g_return_val_if_fail (DOCKET_IS_MEETING_LIVE (self), NULL);
  return self->error;
}

DocketMeetingPhase
docket_meeting_live_get_phase (DocketMeetingLive *self)
{
  g_return_val_if_fail (DOCKET_IS_MEETING_LIVE (self), DOCKET_MEETING_PHASE_UNKNOWN);
  return self->phase;
}

GDateTime *
docket_meeting_live_get_started_at (DocketMeetingLive *self)
{
  g_return_val_if_fail (DOCKET_IS_MEETING_LIVE (self), NULL);
  return self->started_at;
}

GDateTime *
docket_meeting_live_get_ended_at (DocketMeetingLive *self)
{
  g_return_val_if_fail (DOCKET_IS_MEETING_LIVE (self), NULL);
  return self->ended_at;
}

const char *
docket_meeting_live_get_current_item_id (DocketMeetingLive *self)
{
  g_return_val_if_fail (DOCKET_IS_MEETING_LIVE (self), NULL);
  return self->current_item_id;
}

const char *
docket_meeting_live_get_presented_document_id (DocketMeetingLive *self)
{
  g_return_val_if_fail (DOCKET_IS_MEETING_LIVE (self), NULL);
  return self->presented_document_id;
}

int
docket_meeting_live_get_presented_page (DocketMeetingLive *self)
{
  g_return_val_if_fail (DOCKET_IS_MEETING_LIVE (self), 0);
  return self->presented_page;
}

int
docket_meeting_live_get_speech_limit_seconds (DocketMeetingLive *self)
{
  g_return_val_if_fail (DOCKET_IS_MEETING_LIVE (self), 0);
  return self->speech_limit_seconds;
}

DocketMeetingRole
docket_meeting_live_get_my_meeting_role (DocketMeetingLive *self)
{
  g_return_val_if_fail (DOCKET_IS_MEETING_LIVE (self), DOCKET_MEETING_ROLE_UNKNOWN);
  return self->my_meeting_role;
}

DocketPresence
docket_meeting_live_get_my_presence (DocketMeetingLive *self)
{
  g_return_val_if_fail (DOCKET_IS_MEETING_LIVE (self), DOCKET_PRESENCE_UNKNOWN);
  return self->my_presence;
}

gboolean
docket_meeting_live_get_can_run (DocketMeetingLive *self)
{
  g_return_val_if_fail (DOCKET_IS_MEETING_LIVE (self), FALSE);
  return self->can_run;
}

DocketQuorumRule
docket_meeting_live_get_quorum_rule (DocketMeetingLive *self)
{
  g_return_val_if_fail (DOCKET_IS_MEETING_LIVE (self), DOCKET_QUORUM_UNKNOWN);
  return self->quorum_rule;
}

guint
docket_meeting_live_get_n_members (DocketMeetingLive *self)
{
  g_return_val_if_fail (DOCKET_IS_MEETING_LIVE (self), 0);
  return self->n_members;
}

guint
docket_meeting_live_get_n_members_checked_in (DocketMeetingLive *self)
{
  g_return_val_if_fail (DOCKET_IS_MEETING_LIVE (self), 0);
  return self->n_members_checked_in;
}

guint
docket_meeting_live_get_quorum_needed (DocketMeetingLive *self)
{
  g_return_val_if_fail (DOCKET_IS_MEETING_LIVE (self), 0);
  return self->quorum_needed;
}

gboolean
docket_meeting_live_get_has_quorum (DocketMeetingLive *self)
{
  g_return_val_if_fail (DOCKET_IS_MEETING_LIVE (self), FALSE);
  return self->has_quorum;
}

DocketLiveSpeech *
docket_meeting_live_get_current_speech (DocketMeetingLive *self)
{
  g_return_val_if_fail (DOCKET_IS_MEETING_LIVE (self), NULL);
  return self->current_speech;
}

DocketLiveSpeech *
docket_meeting_live_get_my_speech (DocketMeetingLive *self)
{
  g_return_val_if_fail (DOCKET_IS_MEETING_LIVE (self), NULL);
  return self->my_speech;
}
