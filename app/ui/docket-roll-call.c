/* docket-roll-call.c: the chair's console's roll call */

#include "config.h"

#include <glib/gi18n.h>

#include "docket-roll-call.h"
#include "docket-chair-console-private.h"
#include "docket-live-labels.h"
#include "docket-resources.h"

struct _DocketRollCall
{
  AdwBin             parent_instance;

  /* Template widgets */
  GtkListBox        *participants_list;

  /* Owned */
  DocketMeetingLive *live;
  char              *why;           /* why presences cannot be changed now; NULL: they can */
};

G_DEFINE_FINAL_TYPE (DocketRollCall, docket_roll_call, ADW_TYPE_BIN)

static const char *
participant_name (DocketLiveParticipant *participant)
{
  const char *name = docket_live_participant_get_display_name (participant);

  return name != NULL && name[0] != '\0' ? name : docket_live_participant_get_username (participant);
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
      g_autofree char *time = docket_chair_console_format_time (since);

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
presence_button (DocketLiveParticipant *participant,
                 DocketPresence         presence,
                 const char            *label,
                 char                  *accessible,  /* taken */
                 GtkWidget             *popover)
{
  g_autofree char *owned = accessible;
  GtkWidget *button = docket_chair_console_row_button (label, "console.set-presence",
                                                       g_variant_new ("(ss)",
                                                                      docket_live_participant_get_username (participant),
                                                                      docket_presence_to_string (presence)),
                                                       owned, NULL);

  gtk_widget_add_css_class (button, "flat");
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (gtk_popover_popdown), popover);
  return button;
}

static GtkWidget *
create_participant_row (gpointer item,
                        gpointer user_data)
{
  DocketRollCall *self = user_data;
  DocketLiveParticipant *participant = DOCKET_LIVE_PARTICIPANT (item);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *menu_button = gtk_menu_button_new ();
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  g_autofree char *menu_name = NULL;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), participant_name (participant));
  g_object_set_data_full (G_OBJECT (row), "docket-participant", g_object_ref (participant), g_object_unref);
  update_participant_row (row);
  g_signal_connect_object (participant, "notify", G_CALLBACK (update_participant_row), row, G_CONNECT_SWAPPED);

  gtk_box_append (GTK_BOX (box),
                  presence_button (participant, DOCKET_PRESENCE_PRESENT, _("Present, in the Room"),
                                   /* Translators: "Mark Trần Thị B present" */
                                   g_strdup_printf (_("Mark %s present"), participant_name (participant)),
                                   popover));
  gtk_box_append (GTK_BOX (box),
                  presence_button (participant, DOCKET_PRESENCE_REMOTE, _("Present, Remotely"),
                                   /* Translators: "Mark Trần Thị B present remotely" */
                                   g_strdup_printf (_("Mark %s present remotely"), participant_name (participant)),
                                   popover));
  gtk_box_append (GTK_BOX (box),
                  presence_button (participant, DOCKET_PRESENCE_ABSENT, _("Absent"),
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
  gtk_widget_set_sensitive (menu_button, self->why == NULL);
  gtk_widget_set_tooltip_text (menu_button, self->why != NULL ? self->why : _("Mark present, remote or absent"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), menu_button);
  return row;
}

/* Rows are made with the tooltip of why they are blocked: made again when it changes. */
static void
rebind (DocketRollCall *self)
{
  gtk_list_box_bind_model (self->participants_list,
                           self->live != NULL ? docket_meeting_live_get_participants (self->live) : NULL,
                           self->live != NULL ? create_participant_row : NULL, self, NULL);
}

static void
docket_roll_call_dispose (GObject *object)
{
  DocketRollCall *self = DOCKET_ROLL_CALL (object);

  if (self->participants_list != NULL)
    gtk_list_box_bind_model (self->participants_list, NULL, NULL, NULL, NULL);
  g_clear_object (&self->live);
  g_clear_pointer (&self->why, g_free);
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), DOCKET_TYPE_ROLL_CALL);

  G_OBJECT_CLASS (docket_roll_call_parent_class)->dispose (object);
}

static void
docket_roll_call_class_init (DocketRollCallClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = docket_roll_call_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, DOCKET_RESOURCE_PREFIX "/ui/docket-roll-call.ui");
  gtk_widget_class_bind_template_child (widget_class, DocketRollCall, participants_list);
}

static void
docket_roll_call_init (DocketRollCall *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
docket_roll_call_set_live (DocketRollCall    *self,
                           DocketMeetingLive *live)
{
  g_return_if_fail (DOCKET_IS_ROLL_CALL (self));
  g_return_if_fail (live == NULL || DOCKET_IS_MEETING_LIVE (live));

  if (!g_set_object (&self->live, live))
    return;
  rebind (self);
}

void
docket_roll_call_set_blocked (DocketRollCall *self,
                              const char     *why)
{
  g_return_if_fail (DOCKET_IS_ROLL_CALL (self));

  if (g_strcmp0 (self->why, why) == 0)
    return;
  g_free (self->why);
  self->why = g_strdup (why);
  rebind (self);
}
