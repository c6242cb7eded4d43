/* docket-participant-row.c: one participant of a live meeting */

#include "config.h"

#include <glib/gi18n.h>

#include "docket-participant-row.h"
#include "docket-live-labels.h"
#include "docket-resources.h"

struct _DocketParticipantRow
{
  GtkListBoxRow          parent_instance;

  /* Template widgets */
  GtkImage              *presence_icon;
  GtkLabel              *name_label;
  GtkLabel              *role_label;
  GtkLabel              *presence_label;

  /* Owned */
  DocketLiveParticipant *participant;
};

G_DEFINE_FINAL_TYPE (DocketParticipantRow, docket_participant_row, GTK_TYPE_LIST_BOX_ROW)

static char *
format_since (GDateTime *since)
{
  g_autoptr(GDateTime) local = NULL;

  if (since == NULL)
    return NULL;
  local = g_date_time_to_local (since);
  return g_date_time_format (local, "%H:%M");
}

/* What the row shows of a presence ("In the room since 08:01") and what a screen reader
 * says of it, inside the row's sentence ("in the room since 08:01"). */
static void
describe_presence (DocketPresence   presence,
                   GDateTime       *since,
                   char           **shown,
                   char           **heard,
                   const char     **icon)
{
  g_autofree char *time = format_since (since);

  switch (presence)
    {
    case DOCKET_PRESENCE_PRESENT:
      *icon = "emblem-ok-symbolic";
      /* Translators: a participant's presence, "In the room since 08:01" */
      *shown = time != NULL ? g_strdup_printf (_("In the room since %s"), time) : g_strdup (_("In the room"));
      /* Translators: the same for a screen reader, inside "Nguyễn Văn A, Chair, in the room since 08:01" */
      *heard = time != NULL ? g_strdup_printf (_("in the room since %s"), time) : g_strdup (_("in the room"));
      break;
    case DOCKET_PRESENCE_REMOTE:
      *icon = "network-wireless-symbolic";
      /* Translators: a participant's presence, "Remote since 08:01" */
      *shown = time != NULL ? g_strdup_printf (_("Remote since %s"), time) : g_strdup (_("Remote"));
      *heard = time != NULL ? g_strdup_printf (_("remote since %s"), time) : g_strdup (_("remote"));
      break;
    case DOCKET_PRESENCE_ABSENT:
      *icon = "action-unavailable-symbolic";
      /* Translators: a participant who checked out, "Absent since 10:15" */
      *shown = time != NULL ? g_strdup_printf (_("Absent since %s"), time) : g_strdup (_("Absent"));
      *heard = time != NULL ? g_strdup_printf (_("absent since %s"), time) : g_strdup (_("absent"));
      break;
    case DOCKET_PRESENCE_UNKNOWN:
    default:
      *icon = "dialog-question-symbolic";
      *shown = g_strdup (_("Presence unknown"));
      *heard = g_strdup (_("presence unknown"));
      break;
    }
}

static void
update (DocketParticipantRow *self)
{
  g_autofree char *display_name = NULL;
  g_autofree char *username = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *heard = NULL;
  g_autofree char *name = NULL;
  g_autofree char *sentence = NULL;
  g_autoptr(GDateTime) since = NULL;
  const char *icon = NULL;
  const char *role_label;
  guint role = DOCKET_MEETING_ROLE_UNKNOWN;
  guint presence = DOCKET_PRESENCE_UNKNOWN;
  gboolean is_me = FALSE;

  g_object_get (self->participant,
                "display-name", &display_name,
                "username", &username,
                "meeting-role", &role,
                "presence", &presence,
                "since", &since,
                "is-me", &is_me,
                NULL);
  if (display_name == NULL || display_name[0] == '\0')
    {
      g_free (display_name);
      display_name = g_strdup (username != NULL ? username : "");
    }
  /* Translators: the official themself in the list of participants, "Nguyễn Văn A (you)" */
  name = is_me ? g_strdup_printf (_("%s (you)"), display_name) : g_strdup (display_name);
  role_label = docket_meeting_role_get_label ((DocketMeetingRole) role);
  describe_presence ((DocketPresence) presence, since, &shown, &heard, &icon);

  gtk_label_set_label (self->name_label, name);
  gtk_label_set_label (self->role_label, role_label);
  gtk_label_set_label (self->presence_label, shown);
  gtk_image_set_from_icon_name (self->presence_icon, icon);
  if (presence == DOCKET_PRESENCE_PRESENT || presence == DOCKET_PRESENCE_REMOTE)
    gtk_widget_add_css_class (GTK_WIDGET (self->presence_icon), "success");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->presence_icon), "success");

  /* Translators: a participant for a screen reader, one sentence: name, meeting role,
   * presence ("Nguyễn Văn A, Chair, in the room since 08:01") */
  sentence = g_strdup_printf (_("%s, %s, %s"), name, role_label, heard);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, sentence, -1);
}

static void
docket_participant_row_dispose (GObject *object)
{
  DocketParticipantRow *self = DOCKET_PARTICIPANT_ROW (object);

  if (self->participant != NULL)
    g_signal_handlers_disconnect_by_data (self->participant, self);
  g_clear_object (&self->participant);
  gtk_widget_dispose_template (GTK_WIDGET (self), DOCKET_TYPE_PARTICIPANT_ROW);

  G_OBJECT_CLASS (docket_participant_row_parent_class)->dispose (object);
}

static void
docket_participant_row_class_init (DocketParticipantRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = docket_participant_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, DOCKET_RESOURCE_PREFIX "/ui/docket-participant-row.ui");
  gtk_widget_class_bind_template_child (widget_class, DocketParticipantRow, presence_icon);
  gtk_widget_class_bind_template_child (widget_class, DocketParticipantRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, DocketParticipantRow, role_label);
  gtk_widget_class_bind_template_child (widget_class, DocketParticipantRow, presence_label);
}

static void
docket_participant_row_init (DocketParticipantRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
docket_participant_row_new (DocketLiveParticipant *participant)
{
  DocketParticipantRow *self;

  g_return_val_if_fail (DOCKET_IS_LIVE_PARTICIPANT (participant), NULL);

  self = g_object_new (DOCKET_TYPE_PARTICIPANT_ROW, NULL);
  self->participant = g_object_ref (participant);
  /* The list's objects are updated in place (docket-meeting-live.h): follow them. */
  g_signal_connect_swapped (participant, "notify", G_CALLBACK (update), self);
  update (self);
  return GTK_WIDGET (self);
}
