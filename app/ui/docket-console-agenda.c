/* docket-console-agenda.c: the chair's console's agenda and presenting */

#include "config.h"

#include <glib/gi18n.h>

#include "docket-console-agenda.h"
#include "docket-accessible.h"
#include "docket-chair-console-private.h"
#include "docket-live-bar.h"
#include "docket-resources.h"

struct _DocketConsoleAgenda
{
  AdwBin             parent_instance;

  /* Template widgets */
  GtkButton         *next_button;
  GtkListBox        *agenda_list;
  GtkWidget         *documents_group;
  GtkButton         *stop_presenting_button;
  GtkListBox        *documents_list;

  /* Owned */
  DocketMeetingLive *live;
  DocketAgenda      *agenda;
  char              *why;           /* why the agenda and presenting cannot be run; NULL: they can */
};

G_DEFINE_FINAL_TYPE (DocketConsoleAgenda, docket_console_agenda, ADW_TYPE_BIN)

static const char *
current_item_id (DocketConsoleAgenda *self)
{
  return self->live != NULL ? docket_meeting_live_get_current_item_id (self->live) : NULL;
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
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
agenda_items (DocketConsoleAgenda *self)
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
DocketAgendaItem *
docket_console_agenda_get_next_item (DocketConsoleAgenda *self)
{
  g_autoptr(GPtrArray) items = NULL;
  const char *current;

  g_return_val_if_fail (DOCKET_IS_CONSOLE_AGENDA (self), NULL);
  if (self->live == NULL)
    return NULL;
  items = agenda_items (self);
  current = current_item_id (self);
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
agenda_item_row (DocketConsoleAgenda *self,
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
                             docket_chair_console_row_button (_("Make Current"), "console.make-current",
                                                              g_variant_new_string (docket_agenda_item_get_id (item)),
                                                              accessible,
                                                              why != NULL ? why : _("Everyone sees this item as the one under way")));
  return row;
}

static void
update_agenda (DocketConsoleAgenda *self)
{
  g_autoptr(GPtrArray) items = agenda_items (self);
  const char *why = self->why;
  DocketAgendaItem *next;

  clear_list (self->agenda_list);
  for (guint i = 0; i < items->len; i++)
    gtk_list_box_append (self->agenda_list, agenda_item_row (self, g_ptr_array_index (items, i), why));

  next = docket_console_agenda_get_next_item (self);
  if (why == NULL && next == NULL)
    why = items->len == 0 ? _("The agenda has no items") : _("The current item is the last one");
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
update_documents (DocketConsoleAgenda *self)
{
  DocketAgendaItem *item = docket_live_bar_find_agenda_item (self->agenda, current_item_id (self));
  const char *presented = self->live != NULL ? docket_meeting_live_get_presented_document_id (self->live) : NULL;
  const char *why = self->why;
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
                                     docket_chair_console_row_button (_("Present"), "console.present",
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

  if (why_stop == NULL && presented == NULL)
    why_stop = _("Nothing is presented");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->stop_presenting_button),
                               why_stop != NULL ? why_stop : _("Nobody is shown a document any more"));
}

/* The model */

static void
update_all (DocketConsoleAgenda *self)
{
  clear_list (self->agenda_list);
  clear_list (self->documents_list);
  if (self->live == NULL)
    return;
  update_agenda (self);
  update_documents (self);
}

static void
on_live_notify (DocketConsoleAgenda *self,
                GParamSpec          *pspec)
{
  const char *name = pspec->name;

  if (g_str_equal (name, "current-item-id"))
    update_all (self);
  else if (g_str_equal (name, "presented-document-id") || g_str_equal (name, "presented-page"))
    update_documents (self);
}

static void
clear_model (DocketConsoleAgenda *self)
{
  if (self->live != NULL)
    g_signal_handlers_disconnect_by_data (self->live, self);
  if (self->agenda != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->agenda, self);
      g_signal_handlers_disconnect_by_data (docket_agenda_get_root (self->agenda), self);
    }
  g_clear_object (&self->live);
  g_clear_object (&self->agenda);
}

static void
docket_console_agenda_dispose (GObject *object)
{
  DocketConsoleAgenda *self = DOCKET_CONSOLE_AGENDA (object);

  clear_model (self);
  g_clear_pointer (&self->why, g_free);
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), DOCKET_TYPE_CONSOLE_AGENDA);

  G_OBJECT_CLASS (docket_console_agenda_parent_class)->dispose (object);
}

static void
docket_console_agenda_class_init (DocketConsoleAgendaClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = docket_console_agenda_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, DOCKET_RESOURCE_PREFIX "/ui/docket-console-agenda.ui");
  gtk_widget_class_bind_template_child (widget_class, DocketConsoleAgenda, next_button);
  gtk_widget_class_bind_template_child (widget_class, DocketConsoleAgenda, agenda_list);
  gtk_widget_class_bind_template_child (widget_class, DocketConsoleAgenda, documents_group);
  gtk_widget_class_bind_template_child (widget_class, DocketConsoleAgenda, stop_presenting_button);
  gtk_widget_class_bind_template_child (widget_class, DocketConsoleAgenda, documents_list);
}

static void
docket_console_agenda_init (DocketConsoleAgenda *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  docket_accessible_name_button_by_text (self->next_button);
  docket_accessible_name_button_by_text (self->stop_presenting_button);
}

void
docket_console_agenda_set_live (DocketConsoleAgenda *self,
                                DocketMeetingLive   *live,
                                DocketAgenda        *agenda)
{
  g_return_if_fail (DOCKET_IS_CONSOLE_AGENDA (self));
  g_return_if_fail (live == NULL || DOCKET_IS_MEETING_LIVE (live));
  g_return_if_fail (agenda == NULL || DOCKET_IS_AGENDA (agenda));

  if (self->live == live && self->agenda == agenda)
    return;
  clear_model (self);
  if (live != NULL)
    {
      self->live = g_object_ref (live);
      g_signal_connect_swapped (live, "notify", G_CALLBACK (on_live_notify), self);
    }
  if (live != NULL && agenda != NULL)
    {
      self->agenda = g_object_ref (agenda);
      g_signal_connect_swapped (agenda, "notify::loaded", G_CALLBACK (update_all), self);
      g_signal_connect_swapped (docket_agenda_get_root (agenda), "items-changed", G_CALLBACK (update_all), self);
    }
  update_all (self);
}

void
docket_console_agenda_set_blocked (DocketConsoleAgenda *self,
                                   const char          *why)
{
  g_return_if_fail (DOCKET_IS_CONSOLE_AGENDA (self));

  g_free (self->why);
  self->why = g_strdup (why);
  update_all (self);
}
