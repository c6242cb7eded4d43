/* docket-meeting-row.c: one meeting in the meeting list */

#include "config.h"

#include <glib/gi18n.h>

#include "docket-meeting-row.h"
#include "docket-window.h"

struct _DocketMeetingRow
{
  AdwActionRow   parent_instance;

  /* Template widgets */
  GtkLabel      *time_label;
  GtkImage      *offline_icon;
  GtkProgressBar *progress_bar;
  GtkMenuButton *menu_button;

  /* Owned */
  DocketMeeting *meeting;
  gulong         notify_id;
};

G_DEFINE_FINAL_TYPE (DocketMeetingRow, docket_meeting_row, ADW_TYPE_ACTION_ROW)

static void
docket_meeting_row_update (DocketMeetingRow *self)
{
  DocketMeeting *meeting = self->meeting;
  g_autofree char *time_range = docket_meeting_format_time_range (meeting);
  g_autofree char *offline_text = NULL;
  g_autofree char *accessible = NULL;
  g_autoptr(GString) subtitle = g_string_new (docket_meeting_get_organ (meeting));
  const char *location = docket_meeting_get_location (meeting);
  guint n_documents = docket_meeting_get_n_documents (meeting);
  guint n_downloading, n_waiting, n_failed;
  gboolean all_offline;

  if (location != NULL && location[0] != '\0')
    {
      if (subtitle->len > 0)
        g_string_append (subtitle, " · ");
      g_string_append (subtitle, location);
    }

  /* Titles come from the server: never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), docket_meeting_get_title (meeting));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle->str);
  gtk_label_set_label (self->time_label, time_range);

  n_downloading = docket_meeting_get_n_downloading (meeting);
  n_waiting = docket_meeting_get_n_waiting (meeting);
  n_failed = docket_meeting_get_n_failed (meeting);
  all_offline = docket_meeting_get_all_offline (meeting);

  if (n_documents == 0)
    offline_text = g_strdup (_("No documents"));
  else if (all_offline)
    offline_text = g_strdup (_("All documents are available offline"));
  else if (n_downloading > 0)
    /* Translators: the meeting list, "Downloading 3 documents, 40%" */
    offline_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 "Downloading %u document, %d%%",
                                                 "Downloading %u documents, %d%%",
                                                 n_downloading + n_waiting),
                                    n_downloading + n_waiting,
                                    (int) (docket_meeting_get_download_fraction (meeting) * 100.0));
  else if (n_waiting > 0)
    offline_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 "%u document waiting to download",
                                                 "%u documents waiting to download",
                                                 n_waiting),
                                    n_waiting);
  else if (n_failed > 0)
    offline_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 "%u document could not be downloaded",
                                                 "%u documents could not be downloaded",
                                                 n_failed),
                                    n_failed);
  else
    /* Translators: "3 of 5 documents available offline" */
    offline_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 "%u of %u document available offline",
                                                 "%u of %u documents available offline",
                                                 n_documents),
                                    docket_meeting_get_n_documents_offline (meeting), n_documents);

  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), !all_offline && n_downloading > 0);
  gtk_progress_bar_set_fraction (self->progress_bar, docket_meeting_get_download_fraction (meeting));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->progress_bar),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, offline_text, -1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->progress_bar), offline_text);

  gtk_image_set_from_icon_name (self->offline_icon,
                                all_offline ? "emblem-ok-symbolic"
                                : n_failed > 0 && n_downloading + n_waiting == 0 ? "dialog-warning-symbolic"
                                : "folder-download-symbolic");
  gtk_widget_set_visible (GTK_WIDGET (self->offline_icon), n_documents > 0);
  if (all_offline)
    gtk_widget_add_css_class (GTK_WIDGET (self->offline_icon), "docket-offline-badge");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->offline_icon), "docket-offline-badge");
  if (!all_offline && n_failed > 0 && n_downloading + n_waiting == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->offline_icon), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->offline_icon), "error");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->offline_icon), offline_text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->offline_icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, offline_text, -1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "meeting-row.offline-first",
                                 n_documents > 0 && !all_offline);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "meeting-row.retry", n_failed > 0);

  {
    /* Translators: the menu button of a meeting in the list, "Menu of Kỳ họp thứ 12" */
    g_autofree char *menu_label = g_strdup_printf (_("Menu of %s"), docket_meeting_get_title (meeting));
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, menu_label, -1);
  }

  accessible = g_strdup_printf ("%s, %s, %s. %s", docket_meeting_get_title (meeting),
                                time_range, subtitle->str, offline_text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  /* AdwActionRow has its title label the row; GTK 4.8 would read that after our label,
   * which already says the title. */
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
}

static void
offline_first_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  DocketMeetingRow *self = DOCKET_MEETING_ROW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);

  if (DOCKET_IS_WINDOW (root) && self->meeting != NULL)
    docket_sync_make_available_first (docket_window_get_sync (DOCKET_WINDOW (root)),
                                      docket_meeting_get_id (self->meeting));
}

static void
docket_meeting_row_dispose (GObject *object)
{
  DocketMeetingRow *self = DOCKET_MEETING_ROW (object);

  g_clear_signal_handler (&self->notify_id, self->meeting);
  g_clear_object (&self->meeting);
  gtk_widget_dispose_template (GTK_WIDGET (self), DOCKET_TYPE_MEETING_ROW);

  G_OBJECT_CLASS (docket_meeting_row_parent_class)->dispose (object);
}

static void
docket_meeting_row_class_init (DocketMeetingRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = docket_meeting_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, DOCKET_RESOURCE_PREFIX "/ui/docket-meeting-row.ui");
  gtk_widget_class_bind_template_child (widget_class, DocketMeetingRow, time_label);
  gtk_widget_class_bind_template_child (widget_class, DocketMeetingRow, offline_icon);
  gtk_widget_class_bind_template_child (widget_class, DocketMeetingRow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, DocketMeetingRow, menu_button);
  gtk_widget_class_install_action (widget_class, "meeting-row.offline-first", NULL,
                                   offline_first_activated);
  /* The same request: the failed documents go first, without waiting for their
   * back-off. */
  gtk_widget_class_install_action (widget_class, "meeting-row.retry", NULL,
                                   offline_first_activated);
}

static void
docket_meeting_row_init (DocketMeetingRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
docket_meeting_row_new (DocketMeeting *meeting)
{
  DocketMeetingRow *self;

  g_return_val_if_fail (DOCKET_IS_MEETING (meeting), NULL);

  self = g_object_new (DOCKET_TYPE_MEETING_ROW, NULL);
  self->meeting = g_object_ref (meeting);
  /* Any change of the meeting redraws the row; they are rare and the row is small. */
  self->notify_id = g_signal_connect_swapped (meeting, "notify",
                                              G_CALLBACK (docket_meeting_row_update), self);
  docket_meeting_row_update (self);

  return GTK_WIDGET (self);
}

DocketMeeting *
docket_meeting_row_get_meeting (DocketMeetingRow *self)
{
  g_return_val_if_fail (DOCKET_IS_MEETING_ROW (self), NULL);
  return self->meeting;
}
