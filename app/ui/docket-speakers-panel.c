/* docket-speakers-panel.c: the chair's console's speakers */

#include "config.h"

#include <glib/gi18n.h>

#include "docket-speakers-panel.h"
#include "docket-accessible.h"
#include "docket-chair-console-private.h"
#include "docket-resources.h"

/* The speaking-time limit is sent once the chair stops changing it. */
#define LIMIT_SETTLE_MS 600

struct _DocketSpeakersPanel
{
  AdwBin             parent_instance;

  /* Template widgets */
  GtkLabel          *speaker_label;
  GtkLabel          *elapsed_label;
  GtkButton         *end_speech_button;
  GtkListBox        *queue_list;
  GtkSpinButton     *limit_spin;

  /* Owned */
  DocketMeetingLive *live;
  char              *why_floor;     /* why the floor cannot be given or taken; NULL: it can */
  char              *why_limit;     /* why the limit cannot be changed; NULL: it can */
  guint              tick_id;       /* the speaker's time, each second while shown */
  guint              limit_id;      /* waits for the limit to settle */
  gulong             limit_changed_id;
};

G_DEFINE_FINAL_TYPE (DocketSpeakersPanel, docket_speakers_panel, ADW_TYPE_BIN)

static const char *
speech_name (DocketLiveSpeech *speech)
{
  const char *name = docket_live_speech_get_display_name (speech);

  return name != NULL && name[0] != '\0' ? name : docket_live_speech_get_username (speech);
}

static DocketLiveSpeech *
current_speech (DocketSpeakersPanel *self)
{
  return self->live != NULL ? docket_meeting_live_get_current_speech (self->live) : NULL;
}

/* Who speaks, and for how long */

static char *
format_duration (gint64 seconds)
{
  seconds = MAX (seconds, 0);
  return g_strdup_printf ("%02" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT, seconds / 60, seconds % 60);
}

static void
update_elapsed (DocketSpeakersPanel *self)
{
  DocketLiveSpeech *speech = current_speech (self);
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
  update_elapsed (DOCKET_SPEAKERS_PANEL (user_data));
  return G_SOURCE_CONTINUE;
}

/* The time ticks only while someone speaks and the panel is on screen. */
static void
update_tick (DocketSpeakersPanel *self)
{
  gboolean wanted = current_speech (self) != NULL && gtk_widget_get_mapped (GTK_WIDGET (self));

  if (wanted && self->tick_id == 0)
    self->tick_id = g_timeout_add_seconds (1, on_tick, self);
  else if (!wanted)
    g_clear_handle_id (&self->tick_id, g_source_remove);
}

static void
update_speaker (DocketSpeakersPanel *self)
{
  DocketLiveSpeech *speech = current_speech (self);
  const char *why = self->why_floor;
  g_autofree char *text = NULL;

  if (speech != NULL)
    /* Translators: who has the floor, "Speaking: Trần Thị B" */
    text = g_strdup_printf (_("Speaking: %s"), speech_name (speech));
  gtk_label_set_label (self->speaker_label, text != NULL ? text : _("Nobody has the floor"));
  if (why == NULL && speech == NULL)
    why = _("Nobody has the floor");
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

/* The queue */

static GtkWidget *
create_queue_row (gpointer item,
                  gpointer user_data)
{
  DocketSpeakersPanel *self = user_data;
  DocketLiveSpeech *speech = DOCKET_LIVE_SPEECH (item);
  const char *why = self->why_floor;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *give;
  g_autofree char *give_name = NULL;
  g_autofree char *withdraw_name = NULL;
  g_autofree char *asked = NULL;
  g_autofree char *subtitle = NULL;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), speech_name (speech));
  asked = docket_chair_console_format_time (docket_live_speech_get_requested_at (speech));
  /* Translators: when a speaker asked for the floor, "Asked at 08:40" */
  subtitle = g_strdup_printf (_("Asked at %s"), asked);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  /* Translators: the accessible name of Give Floor, "Give the floor to Trần Thị B" */
  give_name = g_strdup_printf (_("Give the floor to %s"), speech_name (speech));
  give = docket_chair_console_row_button (_("Give Floor"), "console.give-floor",
                                          g_variant_new_string (docket_live_speech_get_id (speech)),
                                          give_name, why != NULL ? why : give_name);
  gtk_widget_add_css_class (give, "suggested-action");
  /* Translators: the accessible name of Withdraw, "Withdraw the request of Trần Thị B" */
  withdraw_name = g_strdup_printf (_("Withdraw the request of %s"), speech_name (speech));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             docket_chair_console_row_button (_("Withdraw"), "console.withdraw",
                                                              g_variant_new_string (docket_live_speech_get_id (speech)),
                                                              withdraw_name, why != NULL ? why : withdraw_name));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), give);
  return row;
}

/* Rows are made with the tooltip of why they are blocked: made again when it changes. */
static void
rebind_queue (DocketSpeakersPanel *self)
{
  gtk_list_box_bind_model (self->queue_list, self->live != NULL ? docket_meeting_live_get_queue (self->live) : NULL,
                           self->live != NULL ? create_queue_row : NULL, self, NULL);
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
update_limit (DocketSpeakersPanel *self)
{
  const char *why = self->why_limit;
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
  DocketSpeakersPanel *self = user_data;
  int minutes = gtk_spin_button_get_value_as_int (self->limit_spin);

  self->limit_id = 0;
  if (self->live == NULL || minutes * 60 == docket_meeting_live_get_speech_limit_seconds (self->live))
    return G_SOURCE_REMOVE;
  gtk_widget_activate_action (GTK_WIDGET (self), "console.set-speech-limit", "i", minutes * 60);
  return G_SOURCE_REMOVE;
}

static void
on_limit_changed (DocketSpeakersPanel *self)
{
  g_clear_handle_id (&self->limit_id, g_source_remove);
  self->limit_id = g_timeout_add (LIMIT_SETTLE_MS, on_limit_settled, self);
}

/* The model */

static void
on_live_notify (DocketSpeakersPanel *self,
                GParamSpec          *pspec)
{
  if (g_str_equal (pspec->name, "current-speech"))
    update_speaker (self);
  else if (g_str_equal (pspec->name, "speech-limit-seconds"))
    update_limit (self);
}

static void
docket_speakers_panel_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (docket_speakers_panel_parent_class)->map (widget);
  update_speaker (DOCKET_SPEAKERS_PANEL (widget));
}

static void
docket_speakers_panel_unmap (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (docket_speakers_panel_parent_class)->unmap (widget);
  update_tick (DOCKET_SPEAKERS_PANEL (widget));
}

static void
clear_live (DocketSpeakersPanel *self)
{
  if (self->live != NULL)
    g_signal_handlers_disconnect_by_data (self->live, self);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_handle_id (&self->limit_id, g_source_remove);
  g_clear_object (&self->live);
}

static void
docket_speakers_panel_dispose (GObject *object)
{
  DocketSpeakersPanel *self = DOCKET_SPEAKERS_PANEL (object);

  clear_live (self);
  if (self->queue_list != NULL)
    gtk_list_box_bind_model (self->queue_list, NULL, NULL, NULL, NULL);
  g_clear_pointer (&self->why_floor, g_free);
  g_clear_pointer (&self->why_limit, g_free);
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), DOCKET_TYPE_SPEAKERS_PANEL);

  G_OBJECT_CLASS (docket_speakers_panel_parent_class)->dispose (object);
}

static void
docket_speakers_panel_class_init (DocketSpeakersPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = docket_speakers_panel_dispose;
  widget_class->map = docket_speakers_panel_map;
  widget_class->unmap = docket_speakers_panel_unmap;

  gtk_widget_class_set_template_from_resource (widget_class, DOCKET_RESOURCE_PREFIX "/ui/docket-speakers-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, DocketSpeakersPanel, speaker_label);
  gtk_widget_class_bind_template_child (widget_class, DocketSpeakersPanel, elapsed_label);
  gtk_widget_class_bind_template_child (widget_class, DocketSpeakersPanel, end_speech_button);
  gtk_widget_class_bind_template_child (widget_class, DocketSpeakersPanel, queue_list);
  gtk_widget_class_bind_template_child (widget_class, DocketSpeakersPanel, limit_spin);
}

static void
docket_speakers_panel_init (DocketSpeakersPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  docket_accessible_name_button_by_text (self->end_speech_button);
  gtk_list_box_set_placeholder (self->queue_list, queue_placeholder ());
  self->limit_changed_id = g_signal_connect_swapped (self->limit_spin, "value-changed",
                                                     G_CALLBACK (on_limit_changed), self);
}

void
docket_speakers_panel_set_live (DocketSpeakersPanel *self,
                                DocketMeetingLive   *live)
{
  g_return_if_fail (DOCKET_IS_SPEAKERS_PANEL (self));
  g_return_if_fail (live == NULL || DOCKET_IS_MEETING_LIVE (live));

  if (self->live == live)
    return;
  clear_live (self);
  if (live != NULL)
    {
      self->live = g_object_ref (live);
      g_signal_connect_swapped (live, "notify", G_CALLBACK (on_live_notify), self);
    }
  rebind_queue (self);
  if (live == NULL)
    return;
  update_speaker (self);
  update_limit (self);
}

void
docket_speakers_panel_set_blocked (DocketSpeakersPanel *self,
                                   const char          *why_floor,
                                   const char          *why_limit)
{
  g_return_if_fail (DOCKET_IS_SPEAKERS_PANEL (self));

  if (g_strcmp0 (self->why_floor, why_floor) != 0)
    {
      g_free (self->why_floor);
      self->why_floor = g_strdup (why_floor);
      rebind_queue (self);
    }
  g_free (self->why_limit);
  self->why_limit = g_strdup (why_limit);
  update_speaker (self);
  update_limit (self);
}
