/* docket-agenda-row.c: one row of the agenda tree, an agenda item or one of its documents */

#include "config.h"

#include <glib/gi18n.h>

#include "docket-agenda-row.h"
#include "docket-agenda-item.h"
#include "docket-document.h"

struct _DocketAgendaRow
{
  GtkWidget  parent_instance;

  /* Template widgets */
  GtkWidget *box;
  GtkStack  *lead_stack;
  GtkLabel  *number_label;
  GtkLabel  *title_label;
  GtkLabel  *subtitle_label;
  GtkImage  *status_icon;

  /* Owned */
  GObject   *item;
};

G_DEFINE_FINAL_TYPE (DocketAgendaRow, docket_agenda_row, GTK_TYPE_WIDGET)

static void
show_item (DocketAgendaRow  *self,
           DocketAgendaItem *item)
{
  const char *presenter = docket_agenda_item_get_presenter (item);
  g_autofree char *subtitle = NULL;
  g_autofree char *accessible = NULL;

  if (presenter[0] != '\0')
    /* Translators: who presents an agenda item. */
    subtitle = g_strdup_printf (_("Presented by %s"), presenter);

  gtk_stack_set_visible_child_name (self->lead_stack, "number");
  gtk_label_set_label (self->number_label, docket_agenda_item_get_number (item));
  gtk_label_set_label (self->title_label, docket_agenda_item_get_title (item));
  gtk_widget_add_css_class (GTK_WIDGET (self->title_label), "heading");
  gtk_label_set_label (self->subtitle_label, subtitle != NULL ? subtitle : "");
  gtk_widget_set_visible (GTK_WIDGET (self->subtitle_label), subtitle != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->status_icon), FALSE);

  accessible = g_strdup_printf (_("Item %s: %s"), docket_agenda_item_get_number (item),
                                docket_agenda_item_get_title (item));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, -1);
}

static void
show_document (DocketAgendaRow *self,
               DocketDocument  *document)
{
  g_autofree char *details = docket_document_format_details (document);
  g_autofree char *accessible = NULL;
  gboolean offline = docket_document_get_offline (document);
  const char *status = offline ? _("Available offline") : _("Not downloaded yet");

  gtk_stack_set_visible_child_name (self->lead_stack, "icon");
  gtk_label_set_label (self->title_label, docket_document_get_title (document));
  gtk_widget_remove_css_class (GTK_WIDGET (self->title_label), "heading");
  gtk_label_set_label (self->subtitle_label, details);
  gtk_widget_set_visible (GTK_WIDGET (self->subtitle_label), TRUE);

  gtk_widget_set_visible (GTK_WIDGET (self->status_icon), TRUE);
  gtk_image_set_from_icon_name (self->status_icon,
                                offline ? "emblem-ok-symbolic" : "folder-download-symbolic");
  if (offline)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_icon), "docket-offline-badge");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_icon), "docket-offline-badge");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_icon), status);

  /* Translators: a document row for screen readers: title, details, offline state. */
  accessible = g_strdup_printf (_("Document %s, %s, %s"), docket_document_get_title (document),
                                details, status);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, -1);
}

static void
docket_agenda_row_dispose (GObject *object)
{
  DocketAgendaRow *self = DOCKET_AGENDA_ROW (object);

  g_clear_object (&self->item);
  gtk_widget_dispose_template (GTK_WIDGET (self), DOCKET_TYPE_AGENDA_ROW);

  G_OBJECT_CLASS (docket_agenda_row_parent_class)->dispose (object);
}

static void
docket_agenda_row_class_init (DocketAgendaRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = docket_agenda_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, DOCKET_RESOURCE_PREFIX "/ui/docket-agenda-row.ui");
  gtk_widget_class_bind_template_child (widget_class, DocketAgendaRow, box);
  gtk_widget_class_bind_template_child (widget_class, DocketAgendaRow, lead_stack);
  gtk_widget_class_bind_template_child (widget_class, DocketAgendaRow, number_label);
  gtk_widget_class_bind_template_child (widget_class, DocketAgendaRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, DocketAgendaRow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, DocketAgendaRow, status_icon);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "docketagendarow");
}

static void
docket_agenda_row_init (DocketAgendaRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
}

GtkWidget *
docket_agenda_row_new (void)
{
  return g_object_new (DOCKET_TYPE_AGENDA_ROW, NULL);
}

GObject *
docket_agenda_row_get_item (DocketAgendaRow *self)
{
  g_return_val_if_fail (DOCKET_IS_AGENDA_ROW (self), NULL);
  return self->item;
}

void
docket_agenda_row_set_item (DocketAgendaRow *self,
                            GObject         *item)
{
  g_return_if_fail (DOCKET_IS_AGENDA_ROW (self));

  if (!g_set_object (&self->item, item) || item == NULL)
    return;

  if (DOCKET_IS_AGENDA_ITEM (item))
    show_item (self, DOCKET_AGENDA_ITEM (item));
  else if (DOCKET_IS_DOCUMENT (item))
    show_document (self, DOCKET_DOCUMENT (item));
}
