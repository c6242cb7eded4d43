/* docket-chair-console.c: the chair's console, to run a live meeting */

#include "config.h"

#include <glib/gi18n.h>

#include "docket-chair-console.h"
#include "docket-accessible.h"
#include "docket-live-bar.h"
#include "docket-live-labels.h"
#include "docket-resources.h"
#include "docket-window.h"

/* The speaking-time limit is sent once the chair stops changing it. */
#define LIMIT_SETTLE_MS 600

struct _DocketChairConsole
{
  AdwBin             parent_instance;

  /* Template widgets */
  GtkLabel          *phase_label;
  GtkButton         *start_button;
  GtkButton         *end_button;
  GtkLabel          *quorum_label;
  GtkListBox        *participants_list;
  GtkButton         *next_button;
  GtkListBox        *agenda_list;
  GtkWidget         *documents_group;
  GtkButton         *stop_presenting_button;
  GtkListBox        *documents_list;
  GtkLabel          *speaker_label;
  GtkLabel          *elapsed_label;
  GtkButton         *end_speech_button;
  GtkListBox        *queue_list;
  GtkSpinButton     *limit_spin;

  /* Owned */
  DocketMeetingLive *live;
  char              *meeting_id;
  DocketAgenda      *agenda;
  DocketSync        *sync;          /* the window's */
  GCancellable      *cancellable;   /* the actions in flight */
  guint              tick_id;       /* the speaker's time, each second while shown */
  guint              limit_id;      /* waits for the limit to settle */
  gboolean           offline;       /* the engine's, as the rows were made */
  gulong             limit_changed_id;
};

G_DEFINE_FINAL_TYPE (DocketChairConsole, docket_chair_console, ADW_TYPE_BIN)

/* Reading the model */

static DocketMeetingPhase
current_phase (DocketChairConsole *self)
{
  return self->live != NULL ? docket_meeting_live_get_phase (self->live) : DOCKET_MEETING_PHASE_UNKNOWN;
}

static const char *
current_item_id (DocketChairConsole *self)
{
  return self->live != NULL ? docket_meeting_live_get_current_item_id (self->live) : NULL;
}

static const char *
speech_name (DocketLiveSpeech *speech)
{
  const char *name = docket_live_speech_get_display_name (speech);

  return name != NULL && name[0] != '\0' ? name : docket_live_speech_get_username (speech);
}

static const char *
participant_name (DocketLiveParticipant *participant)
{
  const char *name = docket_live_participant_get_display_name (participant);

  return name != NULL && name[0] != '\0' ? name : docket_live_participant_get_username (participant);
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

/* A row's button: its action, its target, what a screen reader says it does, and a
 * tooltip. */
static GtkWidget *
row_button (const char *label,
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

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

/* The phase, Start and End */

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
      time = format_local_time (docket_meeting_live_get_started_at (self->live));
      /* Translators: the phase of a live meeting, "In session since 08:03" */
      text = g_strdup_printf (_("In session since %s"), time);
      break;
    case DOCKET_MEETING_PHASE_ENDED:
      time = format_local_time (docket_meeting_live_get_ended_at (self->live));
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

/* The agenda */

/* The meeting's items in agenda order (DocketAgendaItem*, borrowed from the agenda). */
static void
collect_items (GListModel *model,
               GPtrArray  *out)
{
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) object = g_list_model_get_item (model, i);

      if (!DOCKET_IS_AGENDA_ITEM (object))
        continue;
      g_ptr_array_add (out, object);
      collect_items (G_LIST_MODEL (docket_agenda_item_get_children (DOCKET_AGENDA_ITEM (object))), out);
    }
}

static GPtrArray *
agenda_items (DocketChairConsole *self)
{
  GPtrArray *items = g_ptr_array_new ();

  if (self->agenda != NULL)
    collect_items (docket_agenda_get_root (self->agenda), items);
  return items;
}

static char *
item_heading (DocketAgendaItem *item)
{
  if (docket_agenda_item_get_number (item) != NULL && docket_agenda_item_get_number (item)[0] != '\0')
    /* Translators: an agenda item, "2. Báo cáo tình hình" */
    return g_strdup_printf (_("%s. %s"), docket_agenda_item_get_number (item), docket_agenda_item_get_title (item));
  return g_strdup (docket_agenda_item_get_title (item));
}

/* The item after the current one in agenda order (the first when none is current), or
 * NULL when the current one is the last. */
static DocketAgendaItem *
next_item (DocketChairConsole *self)
{
  g_autoptr(GPtrArray) items = agenda_items (self);
  const char *current = current_item_id (self);

  if (items->len == 0)
    return NULL;
  if (current == NULL)
    return g_ptr_array_index (items, 0);
  for (guint i = 0; i + 1 < items->len; i++)
    if (g_strcmp0 (docket_agenda_item_get_id (g_ptr_array_index (items, i)), current) == 0)
      return g_ptr_array_index (items, i + 1);
  return NULL;
}

static GtkWidget *
agenda_item_row (DocketChairConsole *self,
                 DocketAgendaItem   *item,
                 const char         *why)
{
  g_autofree char *heading = item_heading (item);
  g_autofree char *accessible = NULL;
  gboolean current = g_strcmp0 (docket_agenda_item_get_id (item), current_item_id (self)) == 0;
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), heading);
  if (docket_agenda_item_get_depth (item) > 0)
    gtk_widget_add_css_class (row, "docket-console-subitem");
  if (current)
    {
      GtkWidget *icon = gtk_image_new_from_icon_name ("media-playback-start-symbolic");

      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Current item"), -1);
      gtk_widget_add_css_class (icon, "accent");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Current item"));
      gtk_widget_add_css_class (row, "docket-console-current");
      return row;
    }
  /* Translators: what the button of an agenda item does, "Make “2. Báo cáo” the current item" */
  accessible = g_strdup_printf (_("Make “%s” the current item"), heading);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             row_button (_("Make Current"), "console.make-current",
                                         g_variant_new_string (docket_agenda_item_get_id (item)), accessible,
                                         why != NULL ? why : _("Everyone sees this item as the one under way")));
  return row;
}

static void
update_agenda (DocketChairConsole *self)
{
  g_autoptr(GPtrArray) items = agenda_items (self);
  const char *why = why_not (self, TRUE);
  DocketAgendaItem *next;

  clear_list (self->agenda_list);
  for (guint i = 0; i < items->len; i++)
    gtk_list_box_append (self->agenda_list, agenda_item_row (self, g_ptr_array_index (items, i), why));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "console.make-current", why == NULL);

  next = self->live != NULL ? next_item (self) : NULL;
  if (why == NULL && next == NULL)
    why = items->len == 0 ? _("The agenda has no items") : _("The current item is the last one");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "console.next-item", why == NULL);
  if (why == NULL)
    {
      g_autofree char *heading = item_heading (next);
      /* Translators: the tooltip of Next Item, "Make “3. Thảo luận” the current item (Ctrl+→)" */
      g_autofree char *tooltip = g_strdup_printf (_("Make “%s” the current item (Ctrl+→)"), heading);

      gtk_widget_set_tooltip_text (GTK_WIDGET (self->next_button), tooltip);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->next_button),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, tooltip, -1);
    }
  else
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->next_button), why);
}

/* The documents of the current item, to present */

static void
update_documents (DocketChairConsole *self)
{
  DocketAgendaItem *item = docket_live_bar_find_agenda_item (self->agenda, current_item_id (self));
  const char *presented = self->live != NULL ? docket_meeting_live_get_presented_document_id (self->live) : NULL;
  const char *why = why_not (self, TRUE);
  const char *why_stop = why;
  guint n_documents = 0;

  clear_list (self->documents_list);
  if (item != NULL)
    {
      GListModel *children = G_LIST_MODEL (docket_agenda_item_get_children (item));

      for (guint i = 0; i < g_list_model_get_n_items (children); i++)
        {
          g_autoptr(GObject) object = g_list_model_get_item (children, i);
          DocketDocument *document;
          GtkWidget *row;
          g_autofree char *accessible = NULL;

          if (!DOCKET_IS_DOCUMENT (object))
            continue;
          document = DOCKET_DOCUMENT (object);
          row = adw_action_row_new ();
          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), docket_document_get_title (document));
          if (g_strcmp0 (presented, docket_document_get_id (document)) == 0)
            {
              /* Translators: the document everyone sees, "Presented: page 3" */
              g_autofree char *subtitle = g_strdup_printf (_("Presented: page %d"),
                                                           docket_meeting_live_get_presented_page (self->live) + 1);

              adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
            }
          /* Translators: what the button of a document does, "Present “Tờ trình” to everyone" */
          accessible = g_strdup_printf (_("Present “%s” to everyone"), docket_document_get_title (document));
          adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                     row_button (_("Present"), "console.present",
                                                 g_variant_new_string (docket_document_get_id (document)),
                                                 accessible,
                                                 why != NULL ? why : _("Open it in the reader; every page you turn to is shown to everyone who follows")));
          gtk_list_box_append (self->documents_list, row);
          n_documents++;
        }
    }
  if (n_documents == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     item == NULL ? _("No item is current") : _("The current item has no documents"));
      gtk_list_box_append (self->documents_list, row);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "console.present", why == NULL);

  if (why_stop == NULL && presented == NULL)
    why_stop = _("Nothing is presented");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "console.stop-presenting", why_stop == NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->stop_presenting_button),
                               why_stop != NULL ? why_stop : _("Nobody is shown a document any more"));
}

/* The roll call */

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

static void
update_participant_row (GtkWidget *row)
{
  DocketLiveParticipant *participant = g_object_get_data (G_OBJECT (row), "docket-participant");
  GDateTime *since = docket_live_participant_get_since (participant);
  DocketPresence presence = docket_live_participant_get_presence (participant);
  g_autofree char *subtitle = NULL;

  if (since != NULL && presence != DOCKET_PRESENCE_ABSENT)
    {
      g_autofree char *time = format_local_time (since);

      /* Translators: a participant's role and presence, "Member · Present since 08:03" */
      subtitle = g_strdup_printf (_("%s · %s since %s"),
                                  docket_meeting_role_get_label (docket_live_participant_get_meeting_role (participant)),
                                  docket_presence_get_label (presence), time);
    }
  else
    /* Translators: a participant's role and presence, "Member · Absent" */
    subtitle = g_strdup_printf (_("%s · %s"),
                                docket_meeting_role_get_label (docket_live_participant_get_meeting_role (participant)),
                                docket_presence_get_label (presence));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
}

/* One button of a participant's presence menu: "Present", heard as "Mark Trần Thị B
 * present". */
static GtkWidget *
presence_button (DocketChairConsole    *self,
                 DocketLiveParticipant *participant,
                 DocketPresence         presence,
                 const char            *label,
                 char                  *accessible,  /* taken */
                 GtkWidget             *popover)
{
  g_autofree char *owned = accessible;
  GtkWidget *button = row_button (label, "console.set-presence",
                                  g_variant_new ("(ss)", docket_live_participant_get_username (participant),
                                                 docket_presence_to_string (presence)),
                                  owned, NULL);

  gtk_widget_set_tooltip_text (button, NULL);
  gtk_widget_add_css_class (button, "flat");
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (gtk_popover_popdown), popover);
  return button;
}

static GtkWidget *
create_participant_row (gpointer item,
                        gpointer user_data)
{
  DocketChairConsole *self = user_data;
  DocketLiveParticipant *participant = DOCKET_LIVE_PARTICIPANT (item);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *menu_button = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  g_autofree char *menu_name = NULL;
  const char *why = why_not (self, FALSE);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), participant_name (participant));
  g_object_set_data_full (G_OBJECT (row), "docket-participant", g_object_ref (participant), g_object_unref);
  update_participant_row (row);
  g_signal_connect_object (participant, "notify", G_CALLBACK (update_participant_row), row, G_CONNECT_SWAPPED);

  gtk_box_append (GTK_BOX (box),
                  presence_button (self, participant, DOCKET_PRESENCE_PRESENT, _("Present, in the Room"),
                                   /* Translators: "Mark Trần Thị B present" */
                                   g_strdup_printf (_("Mark %s present"), participant_name (participant)),
                                   popover));
  gtk_box_append (GTK_BOX (box),
                  presence_button (self, participant, DOCKET_PRESENCE_REMOTE, _("Present, Remotely"),
                                   /* Translators: "Mark Trần Thị B present remotely" */
                                   g_strdup_printf (_("Mark %s present remotely"), participant_name (participant)),
                                   popover));
  gtk_box_append (GTK_BOX (box),
                  presence_button (self, participant, DOCKET_PRESENCE_ABSENT, _("Absent"),
                                   /* Translators: "Mark Trần Thị B absent" */
                                   g_strdup_printf (_("Mark %s absent"), participant_name (participant)),
                                   popover));
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (menu_button), popover);
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (menu_button), "view-more-symbolic");
  gtk_widget_set_valign (menu_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (menu_button, "flat");
  /* Translators: the menu of a participant's row, "Presence of Trần Thị B" */
  menu_name = g_strdup_printf (_("Presence of %s"), participant_name (participant));
  /* The menu button's own button is labelled by the menu button (GTK's relation): naming
   * both would have it said twice. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (menu_button), GTK_ACCESSIBLE_PROPERTY_LABEL, menu_name, -1);
  gtk_widget_set_sensitive (menu_button, why == NULL);
  gtk_widget_set_tooltip_text (menu_button, why != NULL ? why : _("Mark present, remote or absent"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), menu_button);
  return row;
}

/* Who speaks, and the queue */

static char *
format_duration (gint64 seconds)
{
  seconds = MAX (seconds, 0);
  return g_strdup_printf ("%02" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT, seconds / 60, seconds % 60);
}

static void
update_elapsed (DocketChairConsole *self)
{
  DocketLiveSpeech *speech = self->live != NULL ? docket_meeting_live_get_current_speech (self->live) : NULL;
  g_autofree char *elapsed = NULL;
  g_autofree char *text = NULL;
  gint64 seconds = 0;
  int limit_seconds;

  gtk_widget_set_visible (GTK_WIDGET (self->elapsed_label), speech != NULL);
  if (speech == NULL)
    return;
  if (docket_live_speech_get_started_at (speech) != NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      seconds = g_date_time_difference (now, docket_live_speech_get_started_at (speech)) / G_TIME_SPAN_SECOND;
    }
  limit_seconds = docket_live_speech_get_limit_seconds (speech);
  elapsed = format_duration (seconds);
  if (limit_seconds > 0)
    {
      g_autofree char *limit = g_strdup_printf ("%d:%02d", limit_seconds / 60, limit_seconds % 60);

      /* Translators: a speaker's time and their limit, "02:15 of 5:00" */
      text = g_strdup_printf (_("%s of %s"), elapsed, limit);
    }
  gtk_label_set_label (self->elapsed_label, text != NULL ? text : elapsed);
  /* Past the limit the server does not cut the speaker: the chair sees it, and decides. */
  if (limit_seconds > 0 && seconds > limit_seconds)
    gtk_widget_add_css_class (GTK_WIDGET (self->elapsed_label), "docket-over-limit");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->elapsed_label), "docket-over-limit");
}

static gboolean
on_tick (gpointer user_data)
{
  update_elapsed (DOCKET_CHAIR_CONSOLE (user_data));
  return G_SOURCE_CONTINUE;
}

/* The time ticks only while someone speaks and the console is on screen. */
static void
update_tick (DocketChairConsole *self)
{
  gboolean wanted = self->live != NULL && docket_meeting_live_get_current_speech (self->live) != NULL &&
                    gtk_widget_get_mapped (GTK_WIDGET (self));

  if (wanted && self->tick_id == 0)
    self->tick_id = g_timeout_add_seconds (1, on_tick, self);
  else if (!wanted)
    g_clear_handle_id (&self->tick_id, g_source_remove);
}

static void
update_speaker (DocketChairConsole *self)
{
  DocketLiveSpeech *speech = self->live != NULL ? docket_meeting_live_get_current_speech (self->live) : NULL;
  const char *why = why_not (self, TRUE);
  g_autofree char *text = NULL;

  if (speech != NULL)
    /* Translators: who has the floor, "Speaking: Trần Thị B" */
    text = g_strdup_printf (_("Speaking: %s"), speech_name (speech));
  gtk_label_set_label (self->speaker_label, text != NULL ? text : _("Nobody has the floor"));
  if (why == NULL && speech == NULL)
    why = _("Nobody has the floor");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "console.end-speech", why == NULL);
  if (why == NULL)
    {
      /* Translators: the tooltip of End Speech, "End the speech of Trần Thị B (Ctrl+Shift+E)" */
      g_autofree char *tooltip = g_strdup_printf (_("End the speech of %s (Ctrl+Shift+E)"), speech_name (speech));

      gtk_widget_set_tooltip_text (GTK_WIDGET (self->end_speech_button), tooltip);
    }
  else
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->end_speech_button), why);
  update_elapsed (self);
  update_tick (self);
}

static GtkWidget *
create_queue_row (gpointer item,
                  gpointer user_data)
{
  DocketChairConsole *self = user_data;
  DocketLiveSpeech *speech = DOCKET_LIVE_SPEECH (item);
  const char *why = why_not (self, TRUE);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *give;
  g_autofree char *give_name = NULL;
  g_autofree char *withdraw_name = NULL;
  g_autofree char *asked = NULL;
  g_autofree char *subtitle = NULL;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), speech_name (speech));
  asked = format_local_time (docket_live_speech_get_requested_at (speech));
  /* Translators: when a speaker asked for the floor, "Asked at 08:40" */
  subtitle = g_strdup_printf (_("Asked at %s"), asked);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  /* Translators: the accessible name of Give Floor, "Give the floor to Trần Thị B" */
  give_name = g_strdup_printf (_("Give the floor to %s"), speech_name (speech));
  give = row_button (_("Give Floor"), "console.give-floor", g_variant_new_string (docket_live_speech_get_id (speech)),
                     give_name, why != NULL ? why : give_name);
  gtk_widget_add_css_class (give, "suggested-action");
  /* Translators: the accessible name of Withdraw, "Withdraw the request of Trần Thị B" */
  withdraw_name = g_strdup_printf (_("Withdraw the request of %s"), speech_name (speech));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             row_button (_("Withdraw"), "console.withdraw",
                                         g_variant_new_string (docket_live_speech_get_id (speech)),
                                         withdraw_name, why != NULL ? why : withdraw_name));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), give);
  return row;
}

static void
update_queue_actions (DocketChairConsole *self)
{
  const char *why = why_not (self, TRUE);
  gboolean any = self->live != NULL && g_list_model_get_n_items (docket_meeting_live_get_queue (self->live)) > 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "console.give-floor", why == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "console.withdraw", why == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "console.give-floor-next", why == NULL && any);
}

static GtkWidget *
queue_placeholder (void)
{
  GtkWidget *label = gtk_label_new (_("Nobody is waiting for the floor"));

  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_set_margin_top (label, 12);
  gtk_widget_set_margin_bottom (label, 12);
  return label;
}

/* The speaking-time limit */

static void
update_limit (DocketChairConsole *self)
{
  const char *why = why_not (self, FALSE);
  int seconds = self->live != NULL ? docket_meeting_live_get_speech_limit_seconds (self->live) : 0;

  gtk_widget_set_sensitive (GTK_WIDGET (self->limit_spin), why == NULL);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->limit_spin),
                               why != NULL ? why : _("Given to each speaker as they get the floor"));
  /* The chair's own change on its way is not undone by the state before it. */
  if (self->limit_id != 0 || gtk_widget_has_focus (GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (self->limit_spin)))))
    return;
  g_signal_handler_block (self->limit_spin, self->limit_changed_id);
  gtk_spin_button_set_value (self->limit_spin, (seconds + 59) / 60);
  g_signal_handler_unblock (self->limit_spin, self->limit_changed_id);
}

static gboolean
on_limit_settled (gpointer user_data)
{
  DocketChairConsole *self = user_data;
  int minutes = gtk_spin_button_get_value_as_int (self->limit_spin);

  self->limit_id = 0;
  if (self->live == NULL || self->sync == NULL ||
      minutes * 60 == docket_meeting_live_get_speech_limit_seconds (self->live))
    return G_SOURCE_REMOVE;
  docket_sync_set_speech_limit_async (self->sync, self->meeting_id, minutes * 60, self->cancellable,
                                      on_action_done, g_object_ref (self));
  return G_SOURCE_REMOVE;
}

static void
on_limit_changed (DocketChairConsole *self)
{
  g_clear_handle_id (&self->limit_id, g_source_remove);
  self->limit_id = g_timeout_add (LIMIT_SETTLE_MS, on_limit_settled, self);
}

/* Everything */

static void
rebind_lists (DocketChairConsole *self)
{
  /* Rows are made with the tooltips of the phase: made again when it changes. */
  gtk_list_box_bind_model (self->participants_list,
                           self->live != NULL ? docket_meeting_live_get_participants (self->live) : NULL,
                           self->live != NULL ? create_participant_row : NULL, self, NULL);
  gtk_list_box_bind_model (self->queue_list, self->live != NULL ? docket_meeting_live_get_queue (self->live) : NULL,
                           self->live != NULL ? create_queue_row : NULL, self, NULL);
}

static void
update_all (DocketChairConsole *self)
{
  if (self->live == NULL)
    return;
  update_phase (self);
  update_agenda (self);
  update_documents (self);
  update_quorum (self);
  update_speaker (self);
  update_queue_actions (self);
  update_limit (self);
}

static void
on_live_notify (DocketChairConsole *self,
                GParamSpec         *pspec)
{
  const char *name = pspec->name;

  if (g_str_equal (name, "phase") || g_str_equal (name, "can-run") || g_str_equal (name, "loaded"))
    {
      rebind_lists (self);
      update_all (self);
    }
  else if (g_str_equal (name, "started-at") || g_str_equal (name, "ended-at"))
    update_phase (self);
  else if (g_str_equal (name, "current-item-id"))
    {
      update_agenda (self);
      update_documents (self);
    }
  else if (g_str_equal (name, "presented-document-id") || g_str_equal (name, "presented-page"))
    update_documents (self);
  else if (g_str_equal (name, "current-speech"))
    update_speaker (self);
  else if (g_str_equal (name, "speech-limit-seconds"))
    update_limit (self);
  else if (g_str_has_prefix (name, "n-members") || g_str_equal (name, "quorum-needed") ||
           g_str_equal (name, "has-quorum") || g_str_equal (name, "quorum-rule"))
    update_quorum (self);
}

static void
on_agenda_changed (DocketChairConsole *self)
{
  update_agenda (self);
  update_documents (self);
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
  rebind_lists (self);
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
  DocketAgendaItem *next = self->live != NULL ? next_item (self) : NULL;

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
  rebind_lists (self);
  update_all (self);
}

static void
docket_chair_console_unmap (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (docket_chair_console_parent_class)->unmap (widget);
  update_tick (DOCKET_CHAIR_CONSOLE (widget));
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
  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_handle_id (&self->limit_id, g_source_remove);
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
  if (self->participants_list != NULL)
    {
      gtk_list_box_bind_model (self->participants_list, NULL, NULL, NULL, NULL);
      gtk_list_box_bind_model (self->queue_list, NULL, NULL, NULL, NULL);
    }
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
  widget_class->unmap = docket_chair_console_unmap;

  gtk_widget_class_set_template_from_resource (widget_class, DOCKET_RESOURCE_PREFIX "/ui/docket-chair-console.ui");
  gtk_widget_class_bind_template_child (widget_class, DocketChairConsole, phase_label);
  gtk_widget_class_bind_template_child (widget_class, DocketChairConsole, start_button);
  gtk_widget_class_bind_template_child (widget_class, DocketChairConsole, end_button);
  gtk_widget_class_bind_template_child (widget_class, DocketChairConsole, quorum_label);
  gtk_widget_class_bind_template_child (widget_class, DocketChairConsole, participants_list);
  gtk_widget_class_bind_template_child (widget_class, DocketChairConsole, next_button);
  gtk_widget_class_bind_template_child (widget_class, DocketChairConsole, agenda_list);
  gtk_widget_class_bind_template_child (widget_class, DocketChairConsole, documents_group);
  gtk_widget_class_bind_template_child (widget_class, DocketChairConsole, stop_presenting_button);
  gtk_widget_class_bind_template_child (widget_class, DocketChairConsole, documents_list);
  gtk_widget_class_bind_template_child (widget_class, DocketChairConsole, speaker_label);
  gtk_widget_class_bind_template_child (widget_class, DocketChairConsole, elapsed_label);
  gtk_widget_class_bind_template_child (widget_class, DocketChairConsole, end_speech_button);
  gtk_widget_class_bind_template_child (widget_class, DocketChairConsole, queue_list);
  gtk_widget_class_bind_template_child (widget_class, DocketChairConsole, limit_spin);

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
  docket_accessible_name_button_by_text (self->next_button);
  docket_accessible_name_button_by_text (self->stop_presenting_button);
  docket_accessible_name_button_by_text (self->end_speech_button);
  gtk_list_box_set_placeholder (self->queue_list, queue_placeholder ());
  self->limit_changed_id = g_signal_connect_swapped (self->limit_spin, "value-changed",
                                                     G_CALLBACK (on_limit_changed), self);
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
  rebind_lists (self);
  clear_list (self->agenda_list);
  clear_list (self->documents_list);
  if (live == NULL)
    return;

  ensure_sync (self);
  self->live = g_object_ref (live);
  self->meeting_id = g_strdup (docket_meeting_live_get_meeting_id (live));
  g_signal_connect_swapped (live, "notify", G_CALLBACK (on_live_notify), self);
  g_signal_connect_swapped (docket_meeting_live_get_queue (live), "items-changed",
                            G_CALLBACK (update_queue_actions), self);
  if (agenda != NULL)
    {
      self->agenda = g_object_ref (agenda);
      g_signal_connect_swapped (agenda, "notify::loaded", G_CALLBACK (on_agenda_changed), self);
      g_signal_connect_swapped (docket_agenda_get_root (agenda), "items-changed",
                                G_CALLBACK (on_agenda_changed), self);
    }
  rebind_lists (self);
  update_all (self);
}
