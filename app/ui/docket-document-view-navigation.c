/* docket-document-view-navigation.c: going to a page in the document view
 *
 * The "Go to Page" popover and its entry (with the error said in place), the page keys
 * (Page Up/Down, Home/End) and the actions behind them: view.go-to-page, view.next-page,
 * view.previous-page, view.first-page, view.last-page and view.show-page. Apart from the
 * view because it is the commands, not the pages: it only asks the view to go somewhere
 * (docket_document_view_go_to_page); the scroll file takes it there.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "docket-document-view-private.h"

static void
page_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DocketDocumentView *self = DOCKET_DOCUMENT_VIEW (widget);
  guint n_pages, current;

  if (self->document == NULL)
    return;
  n_pages = docket_pdf_document_get_n_pages (self->document);
  /* Keys pressed quickly count from where the last one goes, not from where it is yet. */
  current = self->target_pending ? self->target_page : self->current_page;

  if (g_str_equal (action_name, "view.next-page"))
    docket_document_view_go_to_page (self, MIN (current + 1, n_pages - 1));
  else if (g_str_equal (action_name, "view.previous-page"))
    docket_document_view_go_to_page (self, current > 0 ? current - 1 : 0);
  else if (g_str_equal (action_name, "view.first-page"))
    docket_document_view_go_to_page (self, 0);
  else if (g_str_equal (action_name, "view.last-page"))
    docket_document_view_go_to_page (self, n_pages - 1);
}

static void
show_page_error (DocketDocumentView *self,
                 const char         *message)
{
  gtk_label_set_label (self->page_error, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->page_error), message != NULL);
  if (message != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->page_entry), "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (self->page_entry),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE, -1);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->page_entry), "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (self->page_entry), GTK_ACCESSIBLE_STATE_INVALID);
    }
}

static void
go_to_page_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  DocketDocumentView *self = DOCKET_DOCUMENT_VIEW (widget);
  g_autofree char *text = g_strdup_printf ("%u", self->current_page + 1);

  gtk_editable_set_text (GTK_EDITABLE (self->page_entry), text);
  show_page_error (self, NULL);
  gtk_menu_button_popup (self->page_button);
  gtk_widget_grab_focus (GTK_WIDGET (self->page_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->page_entry), 0, -1);
}

static void
on_page_entry_activate (DocketDocumentView *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->page_entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));
  guint n_pages;
  guint64 number = 0;

  if (self->document == NULL)
    return;
  n_pages = docket_pdf_document_get_n_pages (self->document);

  if (!g_ascii_string_to_unsigned (stripped, 10, 1, n_pages, &number, NULL))
    {
      g_autofree char *message = g_strdup_printf (_("Enter a page number from 1 to %u."), n_pages);

      /* Said in place, the entry kept for another try. */
      show_page_error (self, message);
      gtk_widget_grab_focus (GTK_WIDGET (self->page_entry));
      return;
    }

  show_page_error (self, NULL);
  gtk_popover_popdown (self->go_to_popover);
  docket_document_view_go_to_page (self, (guint) number - 1);
}

static void
on_page_entry_changed (DocketDocumentView *self)
{
  show_page_error (self, NULL);
}

static void
on_go_to_popover_closed (DocketDocumentView *self)
{
  /* Reading goes on with the keyboard. */
  if (self->state == DOCKET_DOCUMENT_VIEW_READY && gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_widget_grab_focus (GTK_WIDGET (self->page_view));
}

/* Page Up/Down, Home/End go by pages. They are caught before the page view, which
 * would only move its keyboard cursor, and let through in entries. */
static gboolean
on_page_key (GtkWidget *widget,
             GVariant  *args,
             gpointer   user_data)
{
  DocketDocumentView *self = DOCKET_DOCUMENT_VIEW (user_data);
  const char *action = g_variant_get_string (args, NULL);

  if (self->state != DOCKET_DOCUMENT_VIEW_READY)
    return FALSE;
  return gtk_widget_activate_action (GTK_WIDGET (self), action, NULL);
}

static void
add_page_keys (DocketDocumentView *self)
{
  static const struct {
    guint       keyval;
    const char *action;
  } keys[] = {
    { GDK_KEY_Page_Down, "view.next-page" },
    { GDK_KEY_KP_Page_Down, "view.next-page" },
    { GDK_KEY_Page_Up, "view.previous-page" },
    { GDK_KEY_KP_Page_Up, "view.previous-page" },
    { GDK_KEY_Home, "view.first-page" },
    { GDK_KEY_KP_Home, "view.first-page" },
    { GDK_KEY_End, "view.last-page" },
    { GDK_KEY_KP_End, "view.last-page" },
  };
  GtkEventController *controller = gtk_shortcut_controller_new ();

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                          gtk_shortcut_new_with_arguments (gtk_keyval_trigger_new (keys[i].keyval, 0),
                                                                           gtk_callback_action_new (on_page_key, self, NULL),
                                                                           "s", keys[i].action));
  /* On the scrolled window only: the go-to entry keeps Home and End for its text. */
  gtk_widget_add_controller (GTK_WIDGET (self->scrolled_window), controller);
}

/* Internal links, the outline, the annotations panel: a page, from 0. */
static void
show_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  docket_document_view_go_to_page (DOCKET_DOCUMENT_VIEW (widget), g_variant_get_uint32 (parameter));
}

/* The actions, their shortcuts and the popover's callbacks, from the view's class_init
 * (after its template is set). */
void
_docket_document_view_class_init_navigation (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, on_page_entry_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_page_entry_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_go_to_popover_closed);

  gtk_widget_class_install_action (widget_class, "view.go-to-page", NULL, go_to_page_action);
  gtk_widget_class_install_action (widget_class, "view.next-page", NULL, page_action);
  gtk_widget_class_install_action (widget_class, "view.previous-page", NULL, page_action);
  gtk_widget_class_install_action (widget_class, "view.first-page", NULL, page_action);
  gtk_widget_class_install_action (widget_class, "view.last-page", NULL, page_action);
  gtk_widget_class_install_action (widget_class, "view.show-page", "u", show_page_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_g, GDK_CONTROL_MASK, "view.go-to-page", NULL);
  /* With the focus on the toolbar, the page keys still go by pages. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, 0, "view.next-page", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, 0, "view.previous-page", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Home, 0, "view.first-page", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_End, 0, "view.last-page", NULL);
}

/* The page keys on the pages (docket-document-view.c's init). */
void
_docket_document_view_init_navigation (DocketDocumentView *self)
{
  add_page_keys (self);
}
