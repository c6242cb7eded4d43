/* docket-live-notifier.c: desktop notifications of a live meeting, for the official */

#include "config.h"

#include <glib/gi18n.h>

#include "docket-live-notifier.h"
#include "docket-agenda.h"
#include "docket-live-speech.h"
#include "docket-meeting-list.h"
#include "docket-meeting-live.h"

/* A meeting is watched from a day before it starts to a day after its planned end:
 * sessions start late, run over and go on the next day, and a meeting of last week needs
 * no model reloading at each change of the store. */
#define WATCH_BEFORE_START G_TIME_SPAN_DAY
#define WATCH_AFTER_END    G_TIME_SPAN_DAY
#define REFRESH_SECONDS    (10 * 60)

struct _DocketLiveNotifier
{
  GObject            parent_instance;

  /* Borrowed: the application owns the notifier */
  GApplication      *application;

  /* Owned */
  DocketStore       *store;
  DocketMeetingList *meetings;
  GHashTable        *watches;     /* meeting id -> Watch* */
  guint              refresh_id;  /* which meetings are around now, again */
  guint              n_ready;     /* watches whose first read is known */
};

G_DEFINE_FINAL_TYPE (DocketLiveNotifier, docket_live_notifier, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_N_READY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_n_ready (DocketLiveNotifier *self,
             guint               n_ready)
{
  if (self->n_ready == n_ready)
    return;
  self->n_ready = n_ready;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_READY]);
}

/* One meeting watched, and what was last seen of it. */
typedef struct {
  DocketLiveNotifier *notifier;
  char               *meeting_id;
  char               *title;
  DocketMeetingLive  *live;
  DocketAgenda       *agenda;        /* for the presented document's title */
  gboolean            baseline;      /* what was there at the first read is known */
  guint               baseline_id;
  DocketMeetingPhase  phase;
  char               *speaking_id;   /* my speech that has the floor, told already */
  char               *presented_id;  /* the document presented, told already */
} Watch;

static void
watch_free (Watch *watch)
{
  if (watch->baseline && watch->notifier->watches != NULL)
    set_n_ready (watch->notifier, watch->notifier->n_ready - 1);
  g_clear_handle_id (&watch->baseline_id, g_source_remove);
  if (watch->live != NULL)
    g_signal_handlers_disconnect_by_data (watch->live, watch);
  g_clear_object (&watch->live);
  g_clear_object (&watch->agenda);
  g_free (watch->meeting_id);
  g_free (watch->title);
  g_free (watch->speaking_id);
  g_free (watch->presented_id);
  g_free (watch);
}

static void
send_notification (DocketLiveNotifier *self,
                   const char         *kind,
                   const char         *meeting_id,
                   const char         *title,
                   const char         *body)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *id = NULL;

  /* A GApplication sends notifications only once registered (on the session bus). */
  if (self->application == NULL || !g_application_get_is_registered (self->application))
    return;
  notification = g_notification_new (title);
  if (body != NULL)
    g_notification_set_body (notification, body);
  g_notification_set_default_action (notification, "app.activate");
  /* One per kind and meeting: a newer event of the kind replaces the older one. */
  id = g_strdup_printf ("live-%s-%s", kind, meeting_id);
  g_application_send_notification (self->application, id, notification);
}

/* The official's speech that has the floor, or NULL. */
static char *
dup_my_speaking_id (DocketMeetingLive *live)
{
  g_autoptr(DocketLiveSpeech) speech = NULL;
  gboolean is_me = FALSE;
  guint state = DOCKET_SPEECH_UNKNOWN;
  char *id = NULL;

  g_object_get (live, "current-speech", &speech, NULL);
  if (speech == NULL)
    return NULL;
  g_object_get (speech, "is-me", &is_me, "state", &state, "id", &id, NULL);
  if (!is_me || state != DOCKET_SPEECH_SPEAKING)
    g_clear_pointer (&id, g_free);
  return id;
}

static void
take_snapshot (Watch *watch)
{
  guint phase = DOCKET_MEETING_PHASE_UNKNOWN;

  g_object_get (watch->live, "phase", &phase, NULL);
  watch->phase = phase;
  g_free (watch->speaking_id);
  watch->speaking_id = dup_my_speaking_id (watch->live);
  g_free (watch->presented_id);
  g_object_get (watch->live, "presented-document-id", &watch->presented_id, NULL);
}

/* After the first read's notifications have all been emitted: what it found is the
 * state at start-up, told to nobody. */
static gboolean
take_baseline (gpointer user_data)
{
  Watch *watch = user_data;

  watch->baseline_id = 0;
  take_snapshot (watch);
  watch->baseline = TRUE;
  set_n_ready (watch->notifier, watch->notifier->n_ready + 1);
  return G_SOURCE_REMOVE;
}

static char *
presented_title (Watch      *watch,
                 const char *document_id)
{
  DocketDocument *document = docket_agenda_find_document (watch->agenda, document_id);

  if (document != NULL)
    return g_strdup (docket_document_get_title (document));
  return g_strdup (watch->title);
}

static void
on_live_notify (Watch      *watch,
                GParamSpec *pspec)
{
  DocketLiveNotifier *self = watch->notifier;
  gboolean loaded = FALSE;
  gboolean can_run = FALSE;
  guint phase = DOCKET_MEETING_PHASE_UNKNOWN;
  g_autofree char *speaking_id = NULL;
  g_autofree char *presented_id = NULL;

  g_object_get (watch->live, "loaded", &loaded, NULL);
  if (!loaded)
    return;
  if (!watch->baseline)
    {
      if (watch->baseline_id == 0)
        watch->baseline_id = g_idle_add (take_baseline, watch);
      return;
    }

  g_object_get (watch->live,
                "can-run", &can_run,
                "phase", &phase,
                "presented-document-id", &presented_id,
                NULL);
  speaking_id = dup_my_speaking_id (watch->live);

  /* The chair and the secretary start the meeting and present: not news to them. */
  if (phase == DOCKET_MEETING_PHASE_IN_SESSION && watch->phase != DOCKET_MEETING_PHASE_IN_SESSION &&
      !can_run)
    send_notification (self, "started", watch->meeting_id, _("The meeting has started"), watch->title);
  watch->phase = phase;

  if (speaking_id != NULL && g_strcmp0 (speaking_id, watch->speaking_id) != 0)
    send_notification (self, "floor", watch->meeting_id, _("You have the floor"), watch->title);
  g_free (watch->speaking_id);
  watch->speaking_id = g_steal_pointer (&speaking_id);

  if (presented_id != NULL && g_strcmp0 (presented_id, watch->presented_id) != 0 && !can_run)
    {
      g_autofree char *title = presented_title (watch, presented_id);

      send_notification (self, "present", watch->meeting_id, _("The chair presents a document"), title);
    }
  g_free (watch->presented_id);
  watch->presented_id = g_steal_pointer (&presented_id);
}

static Watch *
watch_new (DocketLiveNotifier *self,
           DocketMeeting      *meeting)
{
  Watch *watch = g_new0 (Watch, 1);

  watch->notifier = self;
  watch->meeting_id = g_strdup (docket_meeting_get_id (meeting));
  watch->title = g_strdup (docket_meeting_get_title (meeting));
  watch->live = docket_meeting_live_new (self->store, watch->meeting_id);
  watch->agenda = docket_agenda_new (self->store, watch->meeting_id);
  g_signal_connect_swapped (watch->live, "notify", G_CALLBACK (on_live_notify), watch);
  return watch;
}

static gboolean
is_around_now (DocketMeeting *meeting,
               GDateTime     *now)
{
  GDateTime *starts_at = docket_meeting_get_starts_at (meeting);
  GDateTime *ends_at = docket_meeting_get_ends_at (meeting);

  if (docket_meeting_get_status (meeting) != DOCKET_MEETING_STATUS_PUBLISHED ||
      starts_at == NULL)
    return FALSE;
  if (g_date_time_difference (starts_at, now) > WATCH_BEFORE_START)
    return FALSE;
  return g_date_time_difference (now, ends_at != NULL ? ends_at : starts_at) <= WATCH_AFTER_END;
}

/* Watches the meetings held around now, and only those. */
static void
update_watches (DocketLiveNotifier *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GHashTable) wanted = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer key;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->meetings));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DocketMeeting) meeting = g_list_model_get_item (G_LIST_MODEL (self->meetings), i);
      const char *id = docket_meeting_get_id (meeting);

      if (!is_around_now (meeting, now))
        continue;
      if (!g_hash_table_contains (self->watches, id))
        {
          Watch *watch = watch_new (self, meeting);

          g_hash_table_insert (self->watches, watch->meeting_id, watch);
        }
      g_hash_table_add (wanted, (gpointer) docket_meeting_get_id (meeting));
    }

  g_hash_table_iter_init (&iter, self->watches);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (wanted, key))
      g_hash_table_iter_remove (&iter);
}

static gboolean
on_refresh (gpointer user_data)
{
  update_watches (DOCKET_LIVE_NOTIFIER (user_data));
  return G_SOURCE_CONTINUE;
}

static void
docket_live_notifier_dispose (GObject *object)
{
  DocketLiveNotifier *self = DOCKET_LIVE_NOTIFIER (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->meetings != NULL)
    g_signal_handlers_disconnect_by_data (self->meetings, self);
  g_clear_pointer (&self->watches, g_hash_table_unref);
  g_clear_object (&self->meetings);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (docket_live_notifier_parent_class)->dispose (object);
}

static void
docket_live_notifier_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  DocketLiveNotifier *self = DOCKET_LIVE_NOTIFIER (object);

  switch (prop_id)
    {
    case PROP_N_READY:
      g_value_set_uint (value, self->n_ready);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_live_notifier_class_init (DocketLiveNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = docket_live_notifier_dispose;
  object_class->get_property = docket_live_notifier_get_property;

  properties[PROP_N_READY] =
    g_param_spec_uint ("n-ready", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
docket_live_notifier_init (DocketLiveNotifier *self)
{
  self->watches = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) watch_free);
}

DocketLiveNotifier *
docket_live_notifier_new (GApplication *application,
                          DocketStore  *store)
{
  DocketLiveNotifier *self;

  g_return_val_if_fail (application == NULL || G_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (DOCKET_IS_STORE (store), NULL);

  self = g_object_new (DOCKET_TYPE_LIVE_NOTIFIER, NULL);
  self->application = application;
  self->store = g_object_ref (store);
  self->meetings = docket_meeting_list_new (store);
  g_signal_connect_swapped (self->meetings, "items-changed", G_CALLBACK (update_watches), self);
  self->refresh_id = g_timeout_add_seconds (REFRESH_SECONDS, on_refresh, self);
  update_watches (self);
  return self;
}
