/* docket-chair-console.c: the chair's console, to run a live meeting */

#include "config.h"

#include <glib/gi18n.h>

#include "docket-chair-console.h"
#include "docket-accessible.h"
#include "docket-chair-console-private.h"
#include "docket-console-agenda.h"
#include "docket-resources.h"
#include "docket-roll-call.h"
#include "docket-speakers-panel.h"
#include "docket-window.h"

struct _DocketChairConsole
{
  AdwBin             parent_instance;

  /* Template widgets */
  GtkLabel          *phase_label;
  GtkButton         *start_button;
  GtkButton         *end_button;
  GtkLabel          *quorum_label;
  DocketRollCall    *roll_call;
  DocketConsoleAgenda *agenda_part;
  DocketSpeakersPanel *speakers_panel;

  /* Owned */
  DocketMeetingLive *live;
  char              *meeting_id;
  DocketAgenda      *agenda;
  DocketSync        *sync;          /* the window's */
  GCancellable      *cancellable;   /* the actions in flight */
  gboolean           offline;       /* the engine's, as the rows were made */
};

G_DEFINE_FINAL_TYPE (DocketChairConsole, docket_chair_console, ADW_TYPE_BIN)

/* Reading the model */

static DocketMeetingPhase
current_phase (DocketChairConsole *self)
{
  return self->live != NULL ? docket_meeting_live_get_phase (self->live) : DOCKET_MEETING_PHASE_UNKNOWN;
}

/* Why an action the meeting's phase governs cannot be taken now, or NULL. in_session:
 * it needs the meeting in session; otherwise it is allowed before the start too. */
static const char *
why_not (DocketChairConsole *self,
         gboolean            in_session)
{
  DocketMeetingPhase phase = current_phase (self);

  if (self->live == NULL)
    return _("No meeting is open");
  if (self->sync == NULL || docket_sync_get_state (self->sync) == DOCKET_SYNC_STATE_OFFLINE)
    return _("You are offline");
  if (!docket_meeting_live_get_can_run (self->live))
    return _("Only the chair or the meeting’s secretary runs the meeting");
  if (phase == DOCKET_MEETING_PHASE_ENDED)
    return _("The meeting has ended");
  if (phase == DOCKET_MEETING_PHASE_UNKNOWN)
    return _("The meeting’s state is not known to this version of Docket");
  if (in_session && phase != DOCKET_MEETING_PHASE_IN_SESSION)
    return _("Start the meeting first");
  return NULL;
}

/* Telling what went wrong */

static void
show_toast (DocketChairConsole *self,
            const char         *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  AdwToast *toast;

  if (overlay == NULL)
    {
      g_warning ("A console action failed with no window to tell it in: %s", message);
      return;
    }
  toast = adw_toast_new (message);
  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
}

static void
on_action_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(DocketChairConsole) self = user_data;
  g_autoptr(GError) error = NULL;

  if (docket_sync_live_action_finish (DOCKET_SYNC (source), result, &error))
    return;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* The server's reason, in the chair's language where it is a known case. */
  show_toast (self, error->message);
}

/* A row's button, for the console and its parts (docket-chair-console-private.h). */
GtkWidget *
docket_chair_console_row_button (const char *label,
                                 const char *action_name,
                                 GVariant   *target,
                                 const char *accessible_label,
                                 const char *tooltip)
{
  GtkWidget *button = gtk_button_new_with_label (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action_name);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), target);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_label, -1);
  gtk_widget_set_tooltip_text (button, tooltip);
  return button;
}

/* The phase, Start and End */

char *
docket_chair_console_format_time (GDateTime *time)
{
  g_autoptr(GDateTime) local = NULL;

  if (time == NULL)
    return g_strdup ("");
  local = g_date_time_to_local (time);
  return g_date_time_format (local, "%H:%M");
}

static void
update_phase (DocketChairConsole *self)
{
  DocketMeetingPhase phase = current_phase (self);
  g_autofree char *time = NULL;
  g_autofree char *text = NULL;
  const char *why_start;
  const char *why_end;

  switch (phase)
    {
    case DOCKET_MEETING_PHASE_NOT_STARTED:
      text = g_strdup (_("The meeting has not started"));
      break;
    case DOCKET_MEETING_PHASE_IN_SESSION:
      time = docket_chair_console_format_time (docket_meeting_live_get_started_at (self->live));
      /* Translators: the phase of a live meeting, "In session since 08:03" */
      text = g_strdup_printf (_("In session since %s"), time);
      break;
    case DOCKET_MEETING_PHASE_ENDED:
      time = docket_chair_console_format_time (docket_meeting_live_get_ended_at (self->live));
      /* Translators: the phase of a live meeting, "Ended at 11:32" */
      text = g_strdup_printf (_("Ended at %s"), time);
      break;
    case DOCKET_MEETING_PHASE_UNKNOWN:
    default:
      text = g_strdup (_("The meeting’s state is not known to this version of Docket"));
      break;
    }
  gtk_label_set_label (self->phase_label, text);

  why_start = why_not (self, FALSE);
  if (why_start == NULL && phase != DOCKET_MEETING_PHASE_NOT_STARTED)
    why_start = _("The meeting is already in session");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "console.start", why_start == NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->start_button),
                               why_start != NULL ? why_start : _("Open the meeting: everyone sees it in session"));

  why_end = why_not (self, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "console.end", why_end == NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->end_button),
                               why_end != NULL ? why_end : _("Close the meeting; it cannot be opened again"));
}

/* The agenda and presenting: the actions (the part shows them) */

static void
update_agenda_actions (DocketChairConsole *self)
{
  const char *why = why_not (self, TRUE);
  const char *presented = self->live != NULL ? docket_meeting_live_get_presented_document_id (self->live) : NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "console.make-current", why == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "console.next-item",
                                 why == NULL && docket_console_agenda_get_next_item (self->agenda_part) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "console.present", why == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "console.stop-presenting", why == NULL && presented != NULL);
}

/* The quorum */

static void
update_quorum (DocketChairConsole *self)
{
  guint n_members, n_in, needed;
  g_autofree char *text = NULL;

  if (self->live == NULL)
    return;
  n_members = docket_meeting_live_get_n_members (self->live);
  n_in = docket_meeting_live_get_n_members_checked_in (self->live);
  needed = docket_meeting_live_get_quorum_needed (self->live);
  if (docket_meeting_live_get_has_quorum (self->live))
    /* Translators: the quorum line, "7 of 12 members checked in, 7 needed: quorum reached" */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u of %u member checked in, %u needed: quorum reached",
                                         "%u of %u members checked in, %u needed: quorum reached", n_members),
                            n_in, n_members, needed);
  else
    /* Translators: the quorum line, "5 of 12 members checked in, 7 needed: no quorum" */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u of %u member checked in, %u needed: no quorum",
                                         "%u of %u members checked in, %u needed: no quorum", n_members),
                            n_in, n_members, needed);
  gtk_label_set_label (self->quorum_label, text);
  if (docket_meeting_live_get_has_quorum (self->live))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->quorum_label), "success");
      gtk_widget_remove_css_class (GTK_WIDGET (self->quorum_label), "warning");
    }
  else
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->quorum_label), "warning");
      gtk_widget_remove_css_class (GTK_WIDGET (self->quorum_label), "success");
    }
}

/* Everything */

/* The speakers: the actions (the panel shows them) */

static void
update_speech_actions (DocketChairConsole *self)
{
  const char *why = why_not (self, TRUE);
  gboolean any = self->live != NULL && g_list_model_get_n_items (docket_meeting_live_get_queue (self->live)) > 0;
  gboolean speaking = self->live != NULL && docket_meeting_live_get_current_speech (self->live) != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "console.give-floor", why == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "console.withdraw", why == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "console.give-floor-next", why == NULL && any);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "console.end-speech", why == NULL && speaking);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "console.set-speech-limit", why_not (self, FALSE) == NULL);
}

/* Everything */

/* The parts show the live model themselves; the console tells them what may be done. */
static void
update_parts (DocketChairConsole *self)
{
  docket_roll_call_set_live (self->roll_call, self->live);
  docket_console_agenda_set_live (self->agenda_part, self->live, self->agenda);
  docket_speakers_panel_set_live (self->speakers_panel, self->live);
  if (self->live == NULL)
    return;
  docket_roll_call_set_blocked (self->roll_call, why_not (self, FALSE));
  docket_console_agenda_set_blocked (self->agenda_part, why_not (self, TRUE));
  docket_speakers_panel_set_blocked (self->speakers_panel, why_not (self, TRUE), why_not (self, FALSE));
}

static void
update_all (DocketChairConsole *self)
{
  if (self->live == NULL)
    return;
  update_parts (self);
  update_phase (self);
  update_agenda_actions (self);
  update_quorum (self);
  update_speech_actions (self);
}

static void
on_live_notify (DocketChairConsole *self,
                GParamSpec         *pspec)
{
  const char *name = pspec->name;

  if (g_str_equal (name, "phase") || g_str_equal (name, "can-run") || g_str_equal (name, "loaded"))
    update_all (self);
  else if (g_str_equal (name, "started-at") || g_str_equal (name, "ended-at"))
    update_phase (self);
  else if (g_str_equal (name, "current-item-id") || g_str_equal (name, "presented-document-id"))
    update_agenda_actions (self);
  else if (g_str_equal (name, "current-speech"))
    update_speech_actions (self);
  else if (g_str_has_prefix (name, "n-members") || g_str_equal (name, "quorum-needed") ||
           g_str_equal (name, "has-quorum") || g_str_equal (name, "quorum-rule"))
    update_quorum (self);
}

static void
on_agenda_changed (DocketChairConsole *self)
{
  update_agenda_actions (self);
}

/* Only going offline or coming back changes what may be done: a pull (syncing, then
 * idle) must not rebuild the rows under the chair's pointer, nor close their menus. */
static void
on_sync_state (DocketChairConsole *self)
{
  gboolean offline = docket_sync_get_state (self->sync) == DOCKET_SYNC_STATE_OFFLINE;

  if (offline == self->offline)
    return;
  self->offline = offline;
  update_all (self);
}

/* Actions */

static gboolean
ready_to_act (DocketChairConsole *self)
{
  return self->live != NULL && self->sync != NULL && self->meeting_id != NULL;
}

static void
start_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  DocketChairConsole *self = DOCKET_CHAIR_CONSOLE (widget);

  if (!ready_to_act (self))
    return;
  docket_sync_set_meeting_phase_async (self->sync, self->meeting_id, DOCKET_MEETING_PHASE_IN_SESSION,
                                       self->cancellable, on_action_done, g_object_ref (self));
}

static void
on_end_response (AdwMessageDialog   *dialog,
                 const char         *response,
                 DocketChairConsole *self)
{
  if (g_strcmp0 (response, "end") != 0 || !ready_to_act (self))
    return;
  docket_sync_set_meeting_phase_async (self->sync, self->meeting_id, DOCKET_MEETING_PHASE_ENDED,
                                       self->cancellable, on_action_done, g_object_ref (self));
}

static void
end_activated (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  DocketChairConsole *self = DOCKET_CHAIR_CONSOLE (widget);
  guint n_waiting;
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (!ready_to_act (self))
    return;
  n_waiting = g_list_model_get_n_items (docket_meeting_live_get_queue (self->live));
  if (n_waiting > 0)
    body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "The meeting cannot be opened again. %u speaker waiting for the floor will be withdrawn, and the presentation stops.",
                                         "The meeting cannot be opened again. %u speakers waiting for the floor will be withdrawn, and the presentation stops.",
                                         n_waiting),
                            n_waiting);
  else
    body = g_strdup (_("The meeting cannot be opened again. Speakers still waiting for the floor would be withdrawn, and the presentation stops."));
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), _("End the Meeting?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "end", _("_End Meeting"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "end", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_end_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
make_current (DocketChairConsole *self,
              const char         *item_id)
{
  if (!ready_to_act (self))
    return;
  docket_sync_set_current_item_async (self->sync, self->meeting_id, item_id, self->cancellable, on_action_done,
                                      g_object_ref (self));
}

static void
make_current_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  make_current (DOCKET_CHAIR_CONSOLE (widget), g_variant_get_string (parameter, NULL));
}

static void
next_item_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  DocketChairConsole *self = DOCKET_CHAIR_CONSOLE (widget);
  DocketAgendaItem *next = docket_console_agenda_get_next_item (self->agenda_part);

  if (next != NULL)
    make_current (self, docket_agenda_item_get_id (next));
}

/* Presenting is the window's: it opens the reader, whose pages the presenter follows. */
static void
present_activated (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  gtk_widget_activate_action_variant (widget, "win.present-document", parameter);
}

static void
stop_presenting_activated (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  gtk_widget_activate_action (widget, "win.stop-presenting", NULL);
}

static void
set_presence_activated (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  DocketChairConsole *self = DOCKET_CHAIR_CONSOLE (widget);
  const char *username = NULL;
  const char *presence_text = NULL;
  DocketPresence presence = DOCKET_PRESENCE_UNKNOWN;

  if (!ready_to_act (self))
    return;
  g_variant_get (parameter, "(&s&s)", &username, &presence_text);
  if (!docket_presence_from_string (presence_text, &presence) || presence == DOCKET_PRESENCE_UNKNOWN)
    {
      g_warning ("console.set-presence: unknown presence “%s”", presence_text);
      return;
    }
  docket_sync_set_presence_async (self->sync, self->meeting_id, username, presence, self->cancellable,
                                  on_action_done, g_object_ref (self));
}

static void
move_speech (DocketChairConsole *self,
             const char         *speech_id,
             DocketSpeechState   state)
{
  if (!ready_to_act (self) || speech_id == NULL)
    return;
  docket_sync_set_speech_state_async (self->sync, speech_id, state, self->cancellable, on_action_done,
                                      g_object_ref (self));
}

static void
give_floor_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  move_speech (DOCKET_CHAIR_CONSOLE (widget), g_variant_get_string (parameter, NULL), DOCKET_SPEECH_SPEAKING);
}

static void
give_floor_next_activated (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  DocketChairConsole *self = DOCKET_CHAIR_CONSOLE (widget);
  g_autoptr(DocketLiveSpeech) first = NULL;

  if (self->live == NULL || g_list_model_get_n_items (docket_meeting_live_get_queue (self->live)) == 0)
    return;
  first = g_list_model_get_item (docket_meeting_live_get_queue (self->live), 0);
  move_speech (self, docket_live_speech_get_id (first), DOCKET_SPEECH_SPEAKING);
}

static void
withdraw_activated (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  move_speech (DOCKET_CHAIR_CONSOLE (widget), g_variant_get_string (parameter, NULL), DOCKET_SPEECH_WITHDRAWN);
}

static void
end_speech_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  DocketChairConsole *self = DOCKET_CHAIR_CONSOLE (widget);
  DocketLiveSpeech *speech = self->live != NULL ? docket_meeting_live_get_current_speech (self->live) : NULL;

  if (speech != NULL)
    move_speech (self, docket_live_speech_get_id (speech), DOCKET_SPEECH_DONE);
}

/* The speakers panel's limit, in seconds, once the chair stops changing it. */
static void
set_speech_limit_activated (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  DocketChairConsole *self = DOCKET_CHAIR_CONSOLE (widget);
  int seconds = g_variant_get_int32 (parameter);

  if (!ready_to_act (self) || seconds < 0)
    return;
  docket_sync_set_speech_limit_async (self->sync, self->meeting_id, seconds, self->cancellable,
                                      on_action_done, g_object_ref (self));
}

/* The window's engine, once the console is in a window that has one. */
static void
ensure_sync (DocketChairConsole *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  DocketSync *sync;

  if (self->sync != NULL || !DOCKET_IS_WINDOW (root) ||
      (sync = docket_window_get_sync (DOCKET_WINDOW (root))) == NULL)
    return;
  self->sync = g_object_ref (sync);
  self->offline = docket_sync_get_state (sync) == DOCKET_SYNC_STATE_OFFLINE;
  g_signal_connect_object (self->sync, "notify::state", G_CALLBACK (on_sync_state), self, G_CONNECT_SWAPPED);
}

static void
docket_chair_console_map (GtkWidget *widget)
{
  DocketChairConsole *self = DOCKET_CHAIR_CONSOLE (widget);

  GTK_WIDGET_CLASS (docket_chair_console_parent_class)->map (widget);
  ensure_sync (self);
  update_all (self);
}

static void
docket_chair_console_clear (DocketChairConsole *self)
{
  if (self->live != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->live, self);
      g_signal_handlers_disconnect_by_data (docket_meeting_live_get_queue (self->live), self);
    }
  if (self->agenda != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->agenda, self);
      g_signal_handlers_disconnect_by_data (docket_agenda_get_root (self->agenda), self);
    }
  g_clear_object (&self->live);
  g_clear_object (&self->agenda);
  g_clear_pointer (&self->meeting_id, g_free);
}

static void
docket_chair_console_dispose (GObject *object)
{
  DocketChairConsole *self = DOCKET_CHAIR_CONSOLE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  docket_chair_console_clear (self);
  if (self->sync != NULL)
    g_signal_handlers_disconnect_by_data (self->sync, self);
  g_clear_object (&self->sync);
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), DOCKET_TYPE_CHAIR_CONSOLE);

  G_OBJECT_CLASS (docket_chair_console_parent_class)->dispose (object);
}

static void
docket_chair_console_class_init (DocketChairConsoleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = docket_chair_console_dispose;
  widget_class->map = docket_chair_console_map;

  g_type_ensure (DOCKET_TYPE_CONSOLE_AGENDA);
  g_type_ensure (DOCKET_TYPE_ROLL_CALL);
  g_type_ensure (DOCKET_TYPE_SPEAKERS_PANEL);
  gtk_widget_class_set_template_from_resource (widget_class, DOCKET_RESOURCE_PREFIX "/ui/docket-chair-console.ui");
  gtk_widget_class_bind_template_child (widget_class, DocketChairConsole, phase_label);
  gtk_widget_class_bind_template_child (widget_class, DocketChairConsole, start_button);
  gtk_widget_class_bind_template_child (widget_class, DocketChairConsole, end_button);
  gtk_widget_class_bind_template_child (widget_class, DocketChairConsole, quorum_label);
  gtk_widget_class_bind_template_child (widget_class, DocketChairConsole, roll_call);
  gtk_widget_class_bind_template_child (widget_class, DocketChairConsole, agenda_part);
  gtk_widget_class_bind_template_child (widget_class, DocketChairConsole, speakers_panel);

  gtk_widget_class_install_action (widget_class, "console.start", NULL, start_activated);
  gtk_widget_class_install_action (widget_class, "console.end", NULL, end_activated);
  gtk_widget_class_install_action (widget_class, "console.make-current", "s", make_current_activated);
  gtk_widget_class_install_action (widget_class, "console.next-item", NULL, next_item_activated);
  gtk_widget_class_install_action (widget_class, "console.present", "s", present_activated);
  gtk_widget_class_install_action (widget_class, "console.stop-presenting", NULL, stop_presenting_activated);
  gtk_widget_class_install_action (widget_class, "console.set-presence", "(ss)", set_presence_activated);
  gtk_widget_class_install_action (widget_class, "console.give-floor", "s", give_floor_activated);
  gtk_widget_class_install_action (widget_class, "console.give-floor-next", NULL, give_floor_next_activated);
  gtk_widget_class_install_action (widget_class, "console.withdraw", "s", withdraw_activated);
  gtk_widget_class_install_action (widget_class, "console.end-speech", NULL, end_speech_activated);
  gtk_widget_class_install_action (widget_class, "console.set-speech-limit", "i", set_speech_limit_activated);

  /* Listed in help-overlay.ui ("Running a Meeting"). */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_CONTROL_MASK, "console.next-item", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_g, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "console.give-floor-next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "console.end-speech", NULL);
}

static void
docket_chair_console_init (DocketChairConsole *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  docket_accessible_name_button_by_text (self->start_button);
  docket_accessible_name_button_by_text (self->end_button);
}

void
docket_chair_console_set_live (DocketChairConsole *self,
                               DocketMeetingLive  *live,
                               DocketAgenda       *agenda)
{
  g_return_if_fail (DOCKET_IS_CHAIR_CONSOLE (self));
  g_return_if_fail (live == NULL || DOCKET_IS_MEETING_LIVE (live));
  g_return_if_fail (agenda == NULL || DOCKET_IS_AGENDA (agenda));

  if (self->live == live && self->agenda == agenda)
    return;

  docket_chair_console_clear (self);
  update_parts (self);
  if (live == NULL)
    return;

  ensure_sync (self);
  self->live = g_object_ref (live);
  self->meeting_id = g_strdup (docket_meeting_live_get_meeting_id (live));
  g_signal_connect_swapped (live, "notify", G_CALLBACK (on_live_notify), self);
  g_signal_connect_swapped (docket_meeting_live_get_queue (live), "items-changed",
                            G_CALLBACK (update_speech_actions), self);
  if (agenda != NULL)
    {
      self->agenda = g_object_ref (agenda);
      g_signal_connect_swapped (agenda, "notify::loaded", G_CALLBACK (on_agenda_changed), self);
      g_signal_connect_swapped (docket_agenda_get_root (agenda), "items-changed",
                                G_CALLBACK (on_agenda_changed), self);
    }
  update_all (self);
}
