/* docket-document-sidebar.c: the reader's sidebar, beside the pages
 *
 * Apart from the view because it only follows it: it is given a document and the page
 * being read, and asks for a page with an action; it never scrolls the pages itself.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "docket-document-sidebar.h"
#include "docket-accessible.h"
#include "docket-pdf-outline.h"
#include "docket-pdf-thumbnailer.h"
#include "docket-resources.h"
#include "docket-thumbnail.h"

struct _DocketDocumentSidebar
{
  AdwBin                parent_instance;

  /* Template widgets */
  GtkStack             *stack;
  GtkListView          *thumbnail_view;
  GtkStackPage         *outline_page;
  GtkListView          *outline_view;
  GtkStackPage         *annotations_page;
  AdwBin               *annotations_slot;

  /* Owned */
  DocketPdfDocument    *document;
  GCancellable         *cancellable;  /* of the outline's reading */
  DocketPdfThumbnailer *thumbnailer;
  GtkSingleSelection   *thumbnail_selection;

  guint                 current_page;
  gboolean              revealed;
};

G_DEFINE_FINAL_TYPE (DocketDocumentSidebar, docket_document_sidebar, ADW_TYPE_BIN)

/* The view goes to the page; its current page comes back through set_current_page. */
static void
show_page (DocketDocumentSidebar *self,
           guint                  page)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "view.show-page", "u", page);
}

/* Thumbnails */

static void
setup_thumbnail (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_box_append (GTK_BOX (box), docket_thumbnail_new ());
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (label, "numeric");
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_item_set_child (list_item, box);
}

static void
bind_thumbnail (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                gpointer                  user_data)
{
  DocketDocumentSidebar *self = user_data;
  GtkWidget *box = gtk_list_item_get_child (list_item);
  DocketPdfPage *page = gtk_list_item_get_item (list_item);
  g_autofree char *number = g_strdup_printf ("%u", docket_pdf_page_get_index (page) + 1);
  g_autofree char *name = g_strdup_printf (_("Page %u"), docket_pdf_page_get_index (page) + 1);

  docket_thumbnail_set_page (DOCKET_THUMBNAIL (gtk_widget_get_first_child (box)), self->thumbnailer, page);
  gtk_label_set_label (GTK_LABEL (gtk_widget_get_last_child (box)), number);
  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  docket_accessible_label_list_row (box, name);
}

static void
unbind_thumbnail (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  gpointer                  user_data)
{
  GtkWidget *box = gtk_list_item_get_child (list_item);

  docket_thumbnail_set_page (DOCKET_THUMBNAIL (gtk_widget_get_first_child (box)), NULL, NULL);
}

static void
on_thumbnail_activate (DocketDocumentSidebar *self,
                       guint                  position)
{
  show_page (self, position);
}

/* The thumbnail of the page being read is the selected one, in view in the sidebar. */
static void
sync_thumbnail_selection (DocketDocumentSidebar *self)
{
  if (self->thumbnail_selection == NULL)
    return;
  if (gtk_single_selection_get_selected (self->thumbnail_selection) != self->current_page)
    gtk_single_selection_set_selected (self->thumbnail_selection, self->current_page);
  if (self->revealed)
    gtk_widget_activate_action (GTK_WIDGET (self->thumbnail_view), "list.scroll-to-item", "u", self->current_page);
}

/* The thumbnails' rows are made when the sidebar is first shown: a list view binds a
 * couple of hundred rows when it gets its model, time the opening of a document does not
 * spend on a sidebar nobody looks at. */
static void
fill_thumbnails (DocketDocumentSidebar *self)
{
  if (!self->revealed || self->document == NULL || self->thumbnail_selection != NULL)
    return;

  self->thumbnail_selection = gtk_single_selection_new (g_object_ref (docket_pdf_document_get_pages (self->document)));
  gtk_single_selection_set_autoselect (self->thumbnail_selection, FALSE);
  gtk_list_view_set_model (self->thumbnail_view, GTK_SELECTION_MODEL (self->thumbnail_selection));
}

/* Outline */

static GListModel *
create_outline_children (gpointer item,
                         gpointer user_data)
{
  GListModel *children = docket_pdf_outline_get_children (item);

  return children != NULL ? g_object_ref (children) : NULL;
}

static void
setup_outline (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  GtkWidget *expander = gtk_tree_expander_new ();
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), label);
  gtk_list_item_set_child (list_item, expander);
}

static void
bind_outline (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  GtkTreeExpander *expander = GTK_TREE_EXPANDER (gtk_list_item_get_child (list_item));
  GtkTreeListRow *row = gtk_list_item_get_item (list_item);
  g_autoptr(DocketPdfOutline) entry = gtk_tree_list_row_get_item (row);

  gtk_tree_expander_set_list_row (expander, row);
  gtk_label_set_label (GTK_LABEL (gtk_tree_expander_get_child (expander)), docket_pdf_outline_get_title (entry));
  gtk_widget_set_tooltip_text (GTK_WIDGET (expander), docket_pdf_outline_get_title (entry));
}

static void
unbind_outline (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                gpointer                  user_data)
{
  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (gtk_list_item_get_child (list_item)), NULL);
}

static void
on_outline_activate (DocketDocumentSidebar *self,
                     guint                  position)
{
  GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (self->outline_view));
  g_autoptr(GtkTreeListRow) row = model != NULL ? g_list_model_get_item (model, position) : NULL;
  g_autoptr(DocketPdfOutline) entry = NULL;

  if (row == NULL)
    return;
  entry = gtk_tree_list_row_get_item (row);
  if (docket_pdf_outline_get_page (entry) >= 0)
    show_page (self, (guint) docket_pdf_outline_get_page (entry));
}

static void
on_outline_loaded (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(DocketDocumentSidebar) self = user_data;
  g_autoptr(GListModel) outline = NULL;
  g_autoptr(GError) error = NULL;
  GtkTreeListModel *tree;
  GtkSingleSelection *selection;

  outline = docket_pdf_outline_load_finish (DOCKET_PDF_DOCUMENT (source), result, &error);
  if (outline == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not read the document's outline: %s", error->message);
      return;
    }
  if (self->document != DOCKET_PDF_DOCUMENT (source) || g_list_model_get_n_items (outline) == 0)
    return;

  /* Small outlines open whole; long ones show their chapters. */
  tree = gtk_tree_list_model_new (g_object_ref (outline), FALSE, g_list_model_get_n_items (outline) <= 12,
                                  create_outline_children, NULL, NULL);
  selection = gtk_single_selection_new (G_LIST_MODEL (tree));
  gtk_single_selection_set_autoselect (selection, FALSE);
  gtk_single_selection_set_can_unselect (selection, TRUE);
  gtk_single_selection_set_selected (selection, GTK_INVALID_LIST_POSITION);
  gtk_list_view_set_model (self->outline_view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);
  gtk_stack_page_set_visible (self->outline_page, TRUE);
}

/* What was shown of the last document goes. */
static void
clear_document (DocketDocumentSidebar *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->thumbnail_view != NULL)
    {
      gtk_list_view_set_model (self->thumbnail_view, NULL);
      gtk_list_view_set_model (self->outline_view, NULL);
      gtk_stack_page_set_visible (self->outline_page, FALSE);
    }
  g_clear_object (&self->thumbnail_selection);
  g_clear_object (&self->thumbnailer);
  g_clear_object (&self->document);
}

void
docket_document_sidebar_set_document (DocketDocumentSidebar *self,
                                      DocketPdfDocument     *document)
{
  g_return_if_fail (DOCKET_IS_DOCUMENT_SIDEBAR (self));
  g_return_if_fail (document == NULL || DOCKET_IS_PDF_DOCUMENT (document));

  if (self->document == document)
    return;
  clear_document (self);
  if (document == NULL)
    return;

  /* The thumbnails render only when shown; the outline is read in a worker, and
   * appears when it is there. */
  self->document = g_object_ref (document);
  self->thumbnailer = docket_pdf_thumbnailer_new (document);
  fill_thumbnails (self);
  sync_thumbnail_selection (self);
  self->cancellable = g_cancellable_new ();
  docket_pdf_outline_load_async (document, self->cancellable, on_outline_loaded, g_object_ref (self));
}

void
docket_document_sidebar_set_revealed (DocketDocumentSidebar *self,
                                      gboolean               revealed)
{
  g_return_if_fail (DOCKET_IS_DOCUMENT_SIDEBAR (self));

  revealed = !!revealed;
  if (self->revealed == revealed)
    return;
  self->revealed = revealed;
  fill_thumbnails (self);
  if (revealed)
    sync_thumbnail_selection (self);
}

void
docket_document_sidebar_set_current_page (DocketDocumentSidebar *self,
                                          guint                  page)
{
  g_return_if_fail (DOCKET_IS_DOCUMENT_SIDEBAR (self));

  self->current_page = page;
  sync_thumbnail_selection (self);
}

void
docket_document_sidebar_set_annotations_panel (DocketDocumentSidebar *self,
                                               GtkWidget             *panel)
{
  g_return_if_fail (DOCKET_IS_DOCUMENT_SIDEBAR (self));
  g_return_if_fail (panel == NULL || GTK_IS_WIDGET (panel));

  adw_bin_set_child (self->annotations_slot, panel);
  gtk_stack_page_set_visible (self->annotations_page, panel != NULL);
}

GtkWidget *
docket_document_sidebar_new (void)
{
  return g_object_new (DOCKET_TYPE_DOCUMENT_SIDEBAR, NULL);
}

static void
docket_document_sidebar_dispose (GObject *object)
{
  DocketDocumentSidebar *self = DOCKET_DOCUMENT_SIDEBAR (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  /* AdwBin unparents its child itself: drop it before the template's children go. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), DOCKET_TYPE_DOCUMENT_SIDEBAR);
  g_clear_object (&self->thumbnail_selection);
  g_clear_object (&self->thumbnailer);
  g_clear_object (&self->document);

  G_OBJECT_CLASS (docket_document_sidebar_parent_class)->dispose (object);
}

static void
docket_document_sidebar_class_init (DocketDocumentSidebarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = docket_document_sidebar_dispose;

  docket_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, DOCKET_RESOURCE_PREFIX "/ui/docket-document-sidebar.ui");
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentSidebar, stack);
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentSidebar, thumbnail_view);
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentSidebar, outline_page);
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentSidebar, outline_view);
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentSidebar, annotations_page);
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentSidebar, annotations_slot);
  gtk_widget_class_bind_template_callback (widget_class, on_thumbnail_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_outline_activate);
}

static void
docket_document_sidebar_init (DocketDocumentSidebar *self)
{
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_thumbnail), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_thumbnail), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_thumbnail), self);
  gtk_list_view_set_factory (self->thumbnail_view, factory);
  g_object_unref (factory);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_outline), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_outline), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_outline), self);
  gtk_list_view_set_factory (self->outline_view, factory);
  g_object_unref (factory);
}
