/* docket-participants-popover.c: who takes part in a live meeting */

#include "config.h"

#include <glib/gi18n.h>

#include "docket-participants-popover.h"
#include "docket-participant-row.h"
#include "docket-resources.h"

struct _DocketParticipantsPopover
{
  GtkPopover         parent_instance;

  /* Template widgets */
  GtkLabel          *quorum_label;
  GtkListBox        *list_box;

  /* Owned */
  DocketMeetingLive *live;
};

G_DEFINE_FINAL_TYPE (DocketParticipantsPopover, docket_participants_popover, GTK_TYPE_POPOVER)

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  return docket_participant_row_new (DOCKET_LIVE_PARTICIPANT (item));
}

static void
update_quorum (DocketParticipantsPopover *self)
{
  guint n_members = 0;
  guint n_checked_in = 0;
  guint needed = 0;
  gboolean has_quorum = FALSE;
  g_autofree char *text = NULL;

  if (self->live == NULL)
    return;
  g_object_get (self->live,
                "n-members", &n_members,
                "n-members-checked-in", &n_checked_in,
                "quorum-needed", &needed,
                "has-quorum", &has_quorum,
                NULL);
  if (has_quorum)
    /* Translators: the quorum line, "9 of 13 members checked in — quorum (7) reached" */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u of %u member checked in — quorum (%u) reached",
                                         "%u of %u members checked in — quorum (%u) reached",
                                         n_members),
                            n_checked_in, n_members, needed);
  else
    /* Translators: the quorum line, "5 of 13 members checked in — quorum (7) not reached" */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u of %u member checked in — quorum (%u) not reached",
                                         "%u of %u members checked in — quorum (%u) not reached",
                                         n_members),
                            n_checked_in, n_members, needed);
  gtk_label_set_label (self->quorum_label, text);
  if (has_quorum)
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
docket_participants_popover_dispose (GObject *object)
{
  DocketParticipantsPopover *self = DOCKET_PARTICIPANTS_POPOVER (object);

  docket_participants_popover_set_live (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), DOCKET_TYPE_PARTICIPANTS_POPOVER);

  G_OBJECT_CLASS (docket_participants_popover_parent_class)->dispose (object);
}

static void
docket_participants_popover_class_init (DocketParticipantsPopoverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = docket_participants_popover_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, DOCKET_RESOURCE_PREFIX "/ui/docket-participants-popover.ui");
  gtk_widget_class_bind_template_child (widget_class, DocketParticipantsPopover, quorum_label);
  gtk_widget_class_bind_template_child (widget_class, DocketParticipantsPopover, list_box);
}

static void
docket_participants_popover_init (DocketParticipantsPopover *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
docket_participants_popover_set_live (DocketParticipantsPopover *self,
                                      DocketMeetingLive         *live)
{
  g_return_if_fail (DOCKET_IS_PARTICIPANTS_POPOVER (self));
  g_return_if_fail (live == NULL || DOCKET_IS_MEETING_LIVE (live));

  if (self->live == live)
    return;
  if (self->live != NULL)
    g_signal_handlers_disconnect_by_data (self->live, self);
  g_set_object (&self->live, live);
  if (self->list_box != NULL)
    gtk_list_box_bind_model (self->list_box,
                             live != NULL ? docket_meeting_live_get_participants (live) : NULL,
                             create_row, NULL, NULL);
  if (live == NULL)
    return;

  g_signal_connect_swapped (live, "notify::n-members", G_CALLBACK (update_quorum), self);
  g_signal_connect_swapped (live, "notify::n-members-checked-in", G_CALLBACK (update_quorum), self);
  g_signal_connect_swapped (live, "notify::quorum-needed", G_CALLBACK (update_quorum), self);
  g_signal_connect_swapped (live, "notify::has-quorum", G_CALLBACK (update_quorum), self);
  update_quorum (self);
}
