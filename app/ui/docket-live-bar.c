/* docket-live-bar.c: where a live meeting stands, and what the official does in it */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "docket-live-bar.h"
#include "docket-accessible.h"
#include "docket-live-labels.h"
#include "docket-live-speech.h"
#include "docket-participants-popover.h"
#include "docket-resources.h"
#include "docket-window.h"

struct _DocketLiveBar
{
  GtkWidget                 parent_instance;

  /* Template widgets */
  GtkWidget                *box;
  GtkLabel                 *phase_label;
  GtkMenuButton            *participants_button;
  DocketParticipantsPopover *participants_popover;
  GtkButton                *current_item_button;
  GtkLabel                 *current_item_label;
  GtkWidget                *speaker_box;
  GtkLabel                 *speaker_label;
  GtkLabel                 *elapsed_label;
  GtkLabel                 *next_label;
  GtkMenuButton            *check_in_button;
  GtkButton                *floor_button;
  GtkLabel                 *queue_place_label;
  GtkToggleButton          *follow_button;

  /* Owned */
  DocketMeetingLive        *live;
  char                     *meeting_id;  /* the live model's */
  DocketAgenda             *agenda;
  GListModel               *queue;       /* the live model's, watched */
  DocketSync               *sync;        /* the window's, watched for being offline */
  GCancellable             *cancellable; /* the actions in flight */
  guint                     tick_id;     /* the speaker's time, each second while shown */
};

G_DEFINE_FINAL_TYPE (DocketLiveBar, docket_live_bar, GTK_TYPE_WIDGET)

/* The agenda */

static DocketAgendaItem *
find_item_in (GListModel *items,
              const char *item_id)
{
  guint n = g_list_model_get_n_items (items);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) object = g_list_model_get_item (items, i);
      DocketAgendaItem *found;

      if (!DOCKET_IS_AGENDA_ITEM (object))
        continue;
      if (g_strcmp0 (docket_agenda_item_get_id (DOCKET_AGENDA_ITEM (object)), item_id) == 0)
        return DOCKET_AGENDA_ITEM (object);
      found = find_item_in (G_LIST_MODEL (docket_agenda_item_get_children (DOCKET_AGENDA_ITEM (object))),
                            item_id);
      if (found != NULL)
        return found;
    }
  return NULL;
}

DocketAgendaItem *
docket_live_bar_find_agenda_item (DocketAgenda *agenda,
                                  const char   *item_id)
{
  g_return_val_if_fail (agenda == NULL || DOCKET_IS_AGENDA (agenda), NULL);

  if (agenda == NULL || item_id == NULL)
    return NULL;
  /* The items live as long as the agenda holds them: the caller's borrow is as safe as
   * the tree's own. */
  return find_item_in (docket_agenda_get_root (agenda), item_id);
}

/* Telling what went wrong */

static void
show_toast (DocketLiveBar *self,
            const char    *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  AdwToast *toast;

  if (overlay == NULL)
    {
      g_warning ("A live action failed with no window to tell it in: %s", message);
      return;
    }
  toast = adw_toast_new (message);
  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

/* The phase */

static char *
format_local_time (GDateTime *time)
{
  g_autoptr(GDateTime) local = NULL;

  if (time == NULL)
    return g_strdup ("");
  local = g_date_time_to_local (time);
  return g_date_time_format (local, "%H:%M");
}

static void
update_phase (DocketLiveBar *self)
{
  DocketMeetingPhase phase = docket_meeting_live_get_phase (self->live);
  GDateTime *started_at = docket_meeting_live_get_started_at (self->live);
  GDateTime *ended_at = docket_meeting_live_get_ended_at (self->live);
  g_autofree char *time = NULL;
  g_autofree char *text = NULL;

  switch (phase)
    {
    case DOCKET_MEETING_PHASE_NOT_STARTED:
      text = g_strdup (_("Not started"));
      break;
    case DOCKET_MEETING_PHASE_IN_SESSION:
      time = format_local_time (started_at);
      /* Translators: the phase of a live meeting, "In session since 08:03" */
      text = g_strdup_printf (_("In session since %s"), time);
      break;
    case DOCKET_MEETING_PHASE_ENDED:
      time = format_local_time (ended_at);
      /* Translators: the phase of a live meeting, "Ended at 11:32" */
      text = g_strdup_printf (_("Ended at %s"), time);
      break;
    case DOCKET_MEETING_PHASE_UNKNOWN:
    default:
      text = g_strdup (_("The meeting’s state is not known to this version of Docket"));
      break;
    }
  gtk_label_set_label (self->phase_label, text);
}

/* The current item */

static void
update_current_item (DocketLiveBar *self)
{
  g_autofree char *text = NULL;
  DocketAgendaItem *item = docket_live_bar_find_agenda_item (self->agenda,
                                                             docket_meeting_live_get_current_item_id (self->live));

  gtk_widget_set_visible (GTK_WIDGET (self->current_item_button), item != NULL);
  if (item == NULL)
    return;

  if (docket_agenda_item_get_number (item)[0] != '\0')
    /* Translators: the current agenda item, "Now: 2. Báo cáo tình hình" */
    text = g_strdup_printf (_("Now: %s. %s"), docket_agenda_item_get_number (item),
                            docket_agenda_item_get_title (item));
  else
    /* Translators: the current agenda item when it has no number, "Now: Báo cáo" */
    text = g_strdup_printf (_("Now: %s"), docket_agenda_item_get_title (item));
  gtk_label_set_label (self->current_item_label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->current_item_button), text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->current_item_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, text,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("Shows the current item in the agenda"), -1);
}

/* Who speaks, for how long, and who is next */

static char *
format_duration (gint64 seconds)
{
  seconds = MAX (seconds, 0);
  return g_strdup_printf ("%02" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT, seconds / 60, seconds % 60);
}

static void
update_elapsed (DocketLiveBar *self)
{
  DocketLiveSpeech *speech = self->live != NULL ? docket_meeting_live_get_current_speech (self->live) : NULL;
  GDateTime *started_at;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *elapsed = NULL;
  g_autofree char *limit = NULL;
  g_autofree char *text = NULL;
  gint64 seconds = 0;
  int limit_seconds = 0;

  if (speech == NULL)
    return;
  started_at = docket_live_speech_get_started_at (speech);
  limit_seconds = docket_live_speech_get_limit_seconds (speech);
  if (started_at != NULL)
    {
      now = g_date_time_new_now_utc ();
      seconds = g_date_time_difference (now, started_at) / G_TIME_SPAN_SECOND;
    }
  elapsed = format_duration (seconds);
  if (limit_seconds > 0)
    {
      limit = g_strdup_printf ("%d:%02d", limit_seconds / 60, limit_seconds % 60);
      /* Translators: a speaker's time and their limit, "02:15 of 5:00" */
      text = g_strdup_printf (_("%s of %s"), elapsed, limit);
    }
  gtk_label_set_label (self->elapsed_label, text != NULL ? text : elapsed);
  /* Over the limit: the server does not cut the speaker; the clients show it. */
  if (limit_seconds > 0 && seconds > limit_seconds)
    gtk_widget_add_css_class (GTK_WIDGET (self->elapsed_label), "docket-over-limit");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->elapsed_label), "docket-over-limit");
}

static gboolean
on_tick (gpointer user_data)
{
  update_elapsed (DOCKET_LIVE_BAR (user_data));
  return G_SOURCE_CONTINUE;
}

/* The time ticks only while someone speaks and the bar is on screen. */
static void
update_tick (DocketLiveBar *self)
{
  gboolean wanted = self->live != NULL && docket_meeting_live_get_current_speech (self->live) != NULL &&
                    gtk_widget_get_mapped (GTK_WIDGET (self));

  if (wanted && self->tick_id == 0)
    self->tick_id = g_timeout_add_seconds (1, on_tick, self);
  else if (!wanted)
    g_clear_handle_id (&self->tick_id, g_source_remove);
}

/* Who a speech is by: their name, or their user name when the feed gave none. */
static const char *
speaker_name (DocketLiveSpeech *speech)
{
  const char *name = docket_live_speech_get_display_name (speech);

  return name != NULL && name[0] != '\0' ? name : docket_live_speech_get_username (speech);
}

static void
update_speaker (DocketLiveBar *self)
{
  DocketLiveSpeech *speech = docket_meeting_live_get_current_speech (self->live);
  g_autoptr(DocketLiveSpeech) next = NULL;
  g_autofree char *speaker_text = NULL;
  g_autofree char *next_text = NULL;

  if (self->queue != NULL && g_list_model_get_n_items (self->queue) > 0)
    next = g_list_model_get_item (self->queue, 0);

  gtk_widget_set_visible (self->speaker_box, speech != NULL || next != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->elapsed_label), speech != NULL);
  if (speech != NULL)
    {
      /* Translators: who has the floor, "Speaking: Trần Thị B" */
      speaker_text = g_strdup_printf (_("Speaking: %s"), speaker_name (speech));
    }
  else
    speaker_text = g_strdup (_("Nobody has the floor"));
  gtk_label_set_label (self->speaker_label, speaker_text);

  if (next != NULL)
    {
      /* Translators: the next speaker in the queue, "Next: Nguyễn Văn C" */
      next_text = g_strdup_printf (_("Next: %s"), speaker_name (next));
    }
  gtk_label_set_label (self->next_label, next_text != NULL ? next_text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->next_label), next != NULL);

  update_elapsed (self);
  update_tick (self);
}

/* The official's controls (their mnemonics stay clear of the meeting page's "Make
 * Available Offline _First" and "_Retry") */

/* "1st", "2nd", "3rd", "4th"... each through gettext: other languages say it otherwise
 * ("thứ 3"). */
static char *
format_ordinal (guint n)
{
  guint tens = n % 100;

  if (tens < 11 || tens > 13)
    {
      if (n % 10 == 1)
        /* Translators: an ordinal number, "1st", "21st" */
        return g_strdup_printf (_("%ust"), n);
      if (n % 10 == 2)
        /* Translators: an ordinal number, "2nd", "22nd" */
        return g_strdup_printf (_("%und"), n);
      if (n % 10 == 3)
        /* Translators: an ordinal number, "3rd", "23rd" */
        return g_strdup_printf (_("%urd"), n);
    }
  /* Translators: an ordinal number, "4th", "11th" */
  return g_strdup_printf (_("%uth"), n);
}

/* The official's place in the queue (from 1), 0 when they are not waiting. */
static guint
my_queue_place (DocketLiveBar *self)
{
  guint n = self->queue != NULL ? g_list_model_get_n_items (self->queue) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DocketLiveSpeech) speech = g_list_model_get_item (self->queue, i);

      if (docket_live_speech_get_is_me (speech))
        return i + 1;
    }
  return 0;
}

/* Why the official cannot act now, or NULL when they can; floor: asking for the floor,
 * which needs the meeting in session (checking in does not). */
static const char *
why_not (DocketLiveBar *self,
         gboolean       floor)
{
  DocketMeetingPhase phase = docket_meeting_live_get_phase (self->live);
  DocketMeetingRole role = docket_meeting_live_get_my_meeting_role (self->live);

  if (self->sync == NULL || docket_sync_get_state (self->sync) == DOCKET_SYNC_STATE_OFFLINE)
    return _("You are offline");
  if (role == DOCKET_MEETING_ROLE_UNKNOWN)
    return _("You do not take part in this meeting, or your role in it is not known to this version of Docket");
  if (phase == DOCKET_MEETING_PHASE_ENDED)
    return _("The meeting has ended");
  if (phase == DOCKET_MEETING_PHASE_UNKNOWN)
    return _("The meeting’s state is not known to this version of Docket");
  if (floor && phase != DOCKET_MEETING_PHASE_IN_SESSION)
    return _("The meeting has not started");
  return NULL;
}

static void
update_check_in (DocketLiveBar *self)
{
  DocketPresence presence = docket_meeting_live_get_my_presence (self->live);
  const char *why = why_not (self, FALSE);
  const char *label;
  const char *name;

  switch (presence)
    {
    case DOCKET_PRESENCE_PRESENT:
      label = _("_Checked In: In the Room");
      name = _("Checked in: in the room");
      break;
    case DOCKET_PRESENCE_REMOTE:
      label = _("_Checked In: Remotely");
      name = _("Checked in: remotely");
      break;
    case DOCKET_PRESENCE_ABSENT:
    case DOCKET_PRESENCE_UNKNOWN:
    default:
      label = _("_Check In");
      name = _("Check in");
      break;
    }
  gtk_menu_button_set_label (self->check_in_button, label);
  /* The menu button's own button is what the keyboard reaches and a screen reader names. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->check_in_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  docket_accessible_label_inner_button (GTK_WIDGET (self->check_in_button), name);
  gtk_widget_set_sensitive (GTK_WIDGET (self->check_in_button), why == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "live.check-in", why == NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->check_in_button),
                               why != NULL ? why : _("Check in, in the room or remotely, or check out"));
}

static void
update_floor (DocketLiveBar *self)
{
  DocketLiveSpeech *mine = docket_meeting_live_get_my_speech (self->live);
  const char *why = why_not (self, TRUE);
  DocketSpeechState state = mine != NULL ? docket_live_speech_get_state (mine) : DOCKET_SPEECH_UNKNOWN;
  g_autofree char *place_text = NULL;
  guint place;

  if (mine == NULL)
    {
      gtk_button_set_label (self->floor_button, _("Request to _Speak"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->floor_button), "live.request-floor");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->floor_button),
                                   why != NULL ? why : _("Ask the chair for the floor"));
    }
  else if (state == DOCKET_SPEECH_WAITING)
    {
      gtk_button_set_label (self->floor_button, _("_Withdraw Request"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->floor_button), "live.withdraw-floor");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->floor_button),
                                   why != NULL ? why : _("Withdraw your request for the floor"));
    }
  else
    {
      /* Speaking: the chair ends the speech (or the speaker, from the console). */
      gtk_button_set_label (self->floor_button, _("Finish Spea_king"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->floor_button), "live.finish-speech");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->floor_button),
                                   why != NULL ? why : _("You have the floor; give it back to the chair"));
    }
  docket_accessible_name_button_by_text (self->floor_button);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "live.request-floor", why == NULL && mine == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "live.withdraw-floor",
                                 why == NULL && state == DOCKET_SPEECH_WAITING);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "live.finish-speech",
                                 why == NULL && state == DOCKET_SPEECH_SPEAKING);

  place = state == DOCKET_SPEECH_WAITING ? my_queue_place (self) : 0;
  if (place > 0)
    {
      g_autofree char *ordinal = format_ordinal (place);

      /* Translators: the official's place in the queue of speakers, "You are 3rd" */
      place_text = g_strdup_printf (_("You are %s"), ordinal);
    }
  gtk_label_set_label (self->queue_place_label, place_text != NULL ? place_text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->queue_place_label), place_text != NULL);
}

static void
update_controls (DocketLiveBar *self)
{
  if (self->live == NULL)
    return;
  update_check_in (self);
  update_floor (self);
}

static void
update_all (DocketLiveBar *self)
{
  if (self->live == NULL)
    return;
  update_phase (self);
  update_current_item (self);
  update_speaker (self);
  update_controls (self);
}

static void
on_live_notify (DocketLiveBar *self,
                GParamSpec    *pspec)
{
  const char *name = pspec->name;

  if (g_str_equal (name, "phase") || g_str_equal (name, "started-at") || g_str_equal (name, "ended-at"))
    {
      update_phase (self);
      update_controls (self);
    }
  else if (g_str_equal (name, "current-item-id"))
    update_current_item (self);
  else if (g_str_equal (name, "current-speech"))
    update_speaker (self);
  else if (g_str_equal (name, "my-speech") || g_str_equal (name, "my-presence") ||
           g_str_equal (name, "my-meeting-role"))
    update_controls (self);
}

static void
on_queue_changed (DocketLiveBar *self)
{
  update_speaker (self);
  update_floor (self);
}

static void
on_agenda_changed (DocketLiveBar *self)
{
  update_current_item (self);
}

/* Actions */

static void
on_action_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(DocketLiveBar) self = user_data;
  g_autoptr(GError) error = NULL;

  if (docket_sync_live_action_finish (DOCKET_SYNC (source), result, &error))
    return;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* The server's reason, in the official's language where it is a known case. */
  show_toast (self, error->message);
}

/* The sync engine and the meeting, or FALSE (with nothing done) when there is none. */
static gboolean
ready_to_act (DocketLiveBar  *self,
              const char    **meeting_id)
{
  if (self->live == NULL || self->sync == NULL)
    return FALSE;
  *meeting_id = self->meeting_id;
  return *meeting_id != NULL;
}

static void
check_in_activated (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  DocketLiveBar *self = DOCKET_LIVE_BAR (widget);
  DocketPresence presence = DOCKET_PRESENCE_UNKNOWN;
  const char *meeting_id = NULL;

  if (!ready_to_act (self, &meeting_id))
    return;
  if (!docket_presence_from_string (g_variant_get_string (parameter, NULL), &presence) ||
      presence == DOCKET_PRESENCE_UNKNOWN)
    {
      g_warning ("live.check-in: unknown presence “%s”", g_variant_get_string (parameter, NULL));
      return;
    }
  docket_sync_set_presence_async (self->sync, meeting_id, NULL, presence, self->cancellable,
                                  on_action_done, g_object_ref (self));
}

static void
request_floor_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  DocketLiveBar *self = DOCKET_LIVE_BAR (widget);
  const char *meeting_id = NULL;

  if (!ready_to_act (self, &meeting_id))
    return;
  docket_sync_request_floor_async (self->sync, meeting_id, self->cancellable, on_action_done,
                                   g_object_ref (self));
}

/* Withdrawing a request and finishing a speech both move the official's own speech. */
static void
move_my_speech (DocketLiveBar     *self,
                DocketSpeechState  state)
{
  DocketLiveSpeech *mine;
  const char *meeting_id = NULL;

  if (!ready_to_act (self, &meeting_id) ||
      (mine = docket_meeting_live_get_my_speech (self->live)) == NULL)
    return;
  docket_sync_set_speech_state_async (self->sync, docket_live_speech_get_id (mine), state, self->cancellable,
                                      on_action_done, g_object_ref (self));
}

static void
withdraw_floor_activated (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  move_my_speech (DOCKET_LIVE_BAR (widget), DOCKET_SPEECH_WITHDRAWN);
}

static void
finish_speech_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  move_my_speech (DOCKET_LIVE_BAR (widget), DOCKET_SPEECH_DONE);
}

/* The sync engine is the window's: found once the bar is in a window that has one (the
 * window's template roots the bar before the window is given its engine). */
static void
ensure_sync (DocketLiveBar *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  DocketSync *sync;

  if (self->sync != NULL || !DOCKET_IS_WINDOW (root) ||
      (sync = docket_window_get_sync (DOCKET_WINDOW (root))) == NULL)
    return;
  self->sync = g_object_ref (sync);
  g_signal_connect_object (self->sync, "notify::state", G_CALLBACK (update_controls), self,
                           G_CONNECT_SWAPPED);
}

static void
docket_live_bar_root (GtkWidget *widget)
{
  DocketLiveBar *self = DOCKET_LIVE_BAR (widget);

  GTK_WIDGET_CLASS (docket_live_bar_parent_class)->root (widget);
  ensure_sync (self);
  update_controls (self);
}

static void
docket_live_bar_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (docket_live_bar_parent_class)->map (widget);
  update_elapsed (DOCKET_LIVE_BAR (widget));
  update_tick (DOCKET_LIVE_BAR (widget));
}

static void
docket_live_bar_unmap (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (docket_live_bar_parent_class)->unmap (widget);
  update_tick (DOCKET_LIVE_BAR (widget));
}

static void
docket_live_bar_clear (DocketLiveBar *self)
{
  if (self->live != NULL)
    g_signal_handlers_disconnect_by_data (self->live, self);
  if (self->queue != NULL)
    g_signal_handlers_disconnect_by_data (self->queue, self);
  if (self->agenda != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->agenda, self);
      g_signal_handlers_disconnect_by_data (docket_agenda_get_root (self->agenda), self);
    }
  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_object (&self->queue);
  g_clear_object (&self->agenda);
  g_clear_object (&self->live);
  g_clear_pointer (&self->meeting_id, g_free);
}

static void
docket_live_bar_dispose (GObject *object)
{
  DocketLiveBar *self = DOCKET_LIVE_BAR (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  docket_live_bar_clear (self);
  if (self->sync != NULL)
    g_signal_handlers_disconnect_by_data (self->sync, self);
  g_clear_object (&self->sync);
  gtk_widget_dispose_template (GTK_WIDGET (self), DOCKET_TYPE_LIVE_BAR);

  G_OBJECT_CLASS (docket_live_bar_parent_class)->dispose (object);
}

static void
docket_live_bar_class_init (DocketLiveBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = docket_live_bar_dispose;
  widget_class->root = docket_live_bar_root;
  widget_class->map = docket_live_bar_map;
  widget_class->unmap = docket_live_bar_unmap;

  g_type_ensure (DOCKET_TYPE_PARTICIPANTS_POPOVER);
  gtk_widget_class_set_template_from_resource (widget_class, DOCKET_RESOURCE_PREFIX "/ui/docket-live-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, DocketLiveBar, box);
  gtk_widget_class_bind_template_child (widget_class, DocketLiveBar, phase_label);
  gtk_widget_class_bind_template_child (widget_class, DocketLiveBar, participants_button);
  gtk_widget_class_bind_template_child (widget_class, DocketLiveBar, participants_popover);
  gtk_widget_class_bind_template_child (widget_class, DocketLiveBar, current_item_button);
  gtk_widget_class_bind_template_child (widget_class, DocketLiveBar, current_item_label);
  gtk_widget_class_bind_template_child (widget_class, DocketLiveBar, speaker_box);
  gtk_widget_class_bind_template_child (widget_class, DocketLiveBar, speaker_label);
  gtk_widget_class_bind_template_child (widget_class, DocketLiveBar, elapsed_label);
  gtk_widget_class_bind_template_child (widget_class, DocketLiveBar, next_label);
  gtk_widget_class_bind_template_child (widget_class, DocketLiveBar, check_in_button);
  gtk_widget_class_bind_template_child (widget_class, DocketLiveBar, floor_button);
  gtk_widget_class_bind_template_child (widget_class, DocketLiveBar, queue_place_label);
  gtk_widget_class_bind_template_child (widget_class, DocketLiveBar, follow_button);

  gtk_widget_class_install_action (widget_class, "live.check-in", "s", check_in_activated);
  gtk_widget_class_install_action (widget_class, "live.request-floor", NULL, request_floor_activated);
  gtk_widget_class_install_action (widget_class, "live.withdraw-floor", NULL, withdraw_floor_activated);
  gtk_widget_class_install_action (widget_class, "live.finish-speech", NULL, finish_speech_activated);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "docketlivebar");
}

static void
docket_live_bar_init (DocketLiveBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  docket_accessible_name_button_by_text (GTK_BUTTON (self->follow_button));
  docket_accessible_label_inner_button (GTK_WIDGET (self->participants_button), _("Participants"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->follow_button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("Open the document the chair presents, at the page presented"), -1);
}

void
docket_live_bar_set_live (DocketLiveBar     *self,
                          DocketMeetingLive *live,
                          DocketAgenda      *agenda)
{
  g_return_if_fail (DOCKET_IS_LIVE_BAR (self));
  g_return_if_fail (live == NULL || DOCKET_IS_MEETING_LIVE (live));
  g_return_if_fail (agenda == NULL || DOCKET_IS_AGENDA (agenda));

  if (self->live == live && self->agenda == agenda)
    return;

  docket_live_bar_clear (self);
  docket_participants_popover_set_live (self->participants_popover, live);
  if (live == NULL)
    return;

  ensure_sync (self);
  self->live = g_object_ref (live);
  self->meeting_id = g_strdup (docket_meeting_live_get_meeting_id (live));
  self->queue = g_object_ref (docket_meeting_live_get_queue (live));
  g_signal_connect_swapped (live, "notify", G_CALLBACK (on_live_notify), self);
  g_signal_connect_swapped (self->queue, "items-changed", G_CALLBACK (on_queue_changed), self);
  if (agenda != NULL)
    {
      /* The current item is named from the agenda, which may load after the state. */
      self->agenda = g_object_ref (agenda);
      g_signal_connect_swapped (agenda, "notify::loaded", G_CALLBACK (on_agenda_changed), self);
      g_signal_connect_swapped (docket_agenda_get_root (agenda), "items-changed",
                                G_CALLBACK (on_agenda_changed), self);
    }
  update_all (self);
}
