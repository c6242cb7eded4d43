/* docket-meeting-row.c: one meeting in the meeting list */

#include "config.h"

#include <glib/gi18n.h>

#include "docket-meeting-row.h"

struct _DocketMeetingRow
{
  AdwActionRow   parent_instance;

  /* Template widgets */
  GtkLabel      *time_label;
  GtkImage      *offline_icon;

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

  if (n_documents == 0)
    offline_text = g_strdup (_("No documents"));
  else if (docket_meeting_get_all_offline (meeting))
    offline_text = g_strdup (_("All documents are available offline"));
  else
    /* Translators: "3 of 5 documents available offline" */
    offline_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 "%u of %u document available offline",
                                                 "%u of %u documents available offline",
                                                 n_documents),
                                    docket_meeting_get_n_documents_offline (meeting), n_documents);

  gtk_image_set_from_icon_name (self->offline_icon,
                                docket_meeting_get_all_offline (meeting)
                                  ? "emblem-ok-symbolic" : "folder-download-symbolic");
  gtk_widget_set_visible (GTK_WIDGET (self->offline_icon), n_documents > 0);
  if (docket_meeting_get_all_offline (meeting))
    gtk_widget_add_css_class (GTK_WIDGET (self->offline_icon), "docket-offline-badge");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->offline_icon), "docket-offline-badge");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->offline_icon), offline_text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->offline_icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, offline_text, -1);

  accessible = g_strdup_printf ("%s, %s, %s. %s", docket_meeting_get_title (meeting),
                                time_range, subtitle->str, offline_text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
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
