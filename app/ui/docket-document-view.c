/* docket-document-view.c: a PDF's pages, rendered in worker threads, scrollable */

#include "config.h"

#include <glib/gi18n.h>

#include "docket-document-view.h"
#include "docket-page-widget.h"

struct _DocketDocumentView
{
  AdwBin                   parent_instance;

  /* Template widgets */
  GtkStack                *stack;
  GtkSpinner              *spinner;
  AdwStatusPage           *error_page;
  GtkScrolledWindow       *scrolled_window;
  GtkListView             *page_view;

  /* Owned */
  DocketPdfDocument       *document;
  GCancellable            *cancellable;   /* of the load in flight */
  DocketDocumentViewState  state;
};

G_DEFINE_FINAL_TYPE (DocketDocumentView, docket_document_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
docket_document_view_set_state (DocketDocumentView      *self,
                                DocketDocumentViewState  state)
{
  const char *names[] = { "loading", "loading", "pages", "error" };

  gtk_spinner_set_spinning (self->spinner, state == DOCKET_DOCUMENT_VIEW_LOADING);
  gtk_stack_set_visible_child_name (self->stack, names[state]);

  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
}

static void
show_error (DocketDocumentView *self,
            const char         *title,
            const char         *description)
{
  adw_status_page_set_title (self->error_page, title);
  adw_status_page_set_description (self->error_page, description);
  docket_document_view_set_state (self, DOCKET_DOCUMENT_VIEW_FAILED);
}

static void
setup_page (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            gpointer                  user_data)
{
  gtk_list_item_set_child (list_item, docket_page_widget_new ());
  gtk_list_item_set_activatable (list_item, FALSE);
}

static void
bind_page (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  user_data)
{
  DocketDocumentView *self = user_data;

  docket_page_widget_set_page (DOCKET_PAGE_WIDGET (gtk_list_item_get_child (list_item)),
                               self->document, gtk_list_item_get_item (list_item));
}

static void
unbind_page (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             gpointer                  user_data)
{
  /* Cancels the page's rendering if it has not come yet. */
  docket_page_widget_set_page (DOCKET_PAGE_WIDGET (gtk_list_item_get_child (list_item)), NULL, NULL);
}

static void
on_document_loaded (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(DocketDocumentView) self = user_data;
  g_autoptr(DocketPdfDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  GtkNoSelection *selection;

  document = docket_pdf_document_load_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->cancellable);

  if (document == NULL)
    {
      /* A damaged file is the file's fault, not the user's: say so, never crash. */
      show_error (self, _("This Document Cannot Be Shown"), error->message);
      return;
    }

  self->document = g_steal_pointer (&document);
  selection = gtk_no_selection_new (g_object_ref (docket_pdf_document_get_pages (self->document)));
  gtk_list_view_set_model (self->page_view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scrolled_window), 0);
  docket_document_view_set_state (self, DOCKET_DOCUMENT_VIEW_READY);
  /* The keyboard scrolls the pages at once (arrows, Page Up/Down, Home/End). */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_widget_grab_focus (GTK_WIDGET (self->page_view));
}

void
docket_document_view_close (DocketDocumentView *self)
{
  g_return_if_fail (DOCKET_IS_DOCUMENT_VIEW (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->page_view != NULL)
    gtk_list_view_set_model (self->page_view, NULL);
  g_clear_object (&self->document);
  docket_document_view_set_state (self, DOCKET_DOCUMENT_VIEW_EMPTY);
}

void
docket_document_view_open (DocketDocumentView *self,
                           const char         *path)
{
  g_autoptr(GFile) file = NULL;

  g_return_if_fail (DOCKET_IS_DOCUMENT_VIEW (self));

  docket_document_view_close (self);

  if (path == NULL)
    {
      show_error (self, _("Not Downloaded Yet"),
                  _("This document is not on this computer yet. It is downloaded with the next sync; connect to the network and refresh."));
      return;
    }

  file = g_file_new_for_path (path);
  self->cancellable = g_cancellable_new ();
  docket_document_view_set_state (self, DOCKET_DOCUMENT_VIEW_LOADING);
  docket_pdf_document_load_async (file, self->cancellable, on_document_loaded, g_object_ref (self));
}

static void
docket_document_view_dispose (GObject *object)
{
  DocketDocumentView *self = DOCKET_DOCUMENT_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  /* AdwBin unparents its child itself: drop it before the template's children go. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), DOCKET_TYPE_DOCUMENT_VIEW);
  g_clear_object (&self->document);

  G_OBJECT_CLASS (docket_document_view_parent_class)->dispose (object);
}

static void
docket_document_view_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  DocketDocumentView *self = DOCKET_DOCUMENT_VIEW (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_document_view_class_init (DocketDocumentViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = docket_document_view_dispose;
  object_class->get_property = docket_document_view_get_property;

  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL,
                      DOCKET_DOCUMENT_VIEW_EMPTY, DOCKET_DOCUMENT_VIEW_FAILED,
                      DOCKET_DOCUMENT_VIEW_EMPTY,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, DOCKET_RESOURCE_PREFIX "/ui/docket-document-view.ui");
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentView, stack);
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentView, spinner);
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentView, error_page);
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentView, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentView, page_view);
}

static void
docket_document_view_init (DocketDocumentView *self)
{
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_page), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_page), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_page), self);
  gtk_list_view_set_factory (self->page_view, factory);
  g_object_unref (factory);
}

DocketDocumentViewState
docket_document_view_get_state (DocketDocumentView *self)
{
  g_return_val_if_fail (DOCKET_IS_DOCUMENT_VIEW (self), DOCKET_DOCUMENT_VIEW_EMPTY);
  return self->state;
}

DocketPdfDocument *
docket_document_view_get_pdf_document (DocketDocumentView *self)
{
  g_return_val_if_fail (DOCKET_IS_DOCUMENT_VIEW (self), NULL);
  return self->document;
}

const char *
docket_document_view_get_error_title (DocketDocumentView *self)
{
  g_return_val_if_fail (DOCKET_IS_DOCUMENT_VIEW (self), NULL);
  return adw_status_page_get_title (self->error_page);
}

const char *
docket_document_view_get_error_description (DocketDocumentView *self)
{
  g_return_val_if_fail (DOCKET_IS_DOCUMENT_VIEW (self), NULL);
  return adw_status_page_get_description (self->error_page);
}
