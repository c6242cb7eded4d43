/* docket-annotations-panel.c: the document's annotations, page by page, in the sidebar */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "docket-annotations-panel.h"

struct _DocketAnnotationsPanel
{
  GtkWidget        parent_instance;

  /* Template widgets */
  GtkStack        *stack;
  GtkListView     *list_view;

  /* Owned */
  DocketAnnotator *annotator;
  GListModel      *model;      /* the annotator's list, while it has one */
  GListStore      *rows;       /* what the list view shows: a copy of model */
};

G_DEFINE_FINAL_TYPE (DocketAnnotationsPanel, docket_annotations_panel, GTK_TYPE_WIDGET)

static void
update_stack (DocketAnnotationsPanel *self)
{
  gboolean any = g_list_model_get_n_items (G_LIST_MODEL (self->rows)) > 0;

  gtk_stack_set_visible_child_name (self->stack, any ? "list" : "empty");
}

/* Every row again, not only those that changed: whether a row starts its page's group
 * depends on the row before it, which a change elsewhere can move. A document has tens
 * of annotations, not thousands. */
static void
refill (DocketAnnotationsPanel *self)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = self->model != NULL ? g_list_model_get_n_items (self->model) : 0;

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, g_list_model_get_item (self->model, i));
  g_list_store_splice (self->rows, 0, g_list_model_get_n_items (G_LIST_MODEL (self->rows)),
                       items->pdata, items->len);
  update_stack (self);
}

static void
on_items_changed (DocketAnnotationsPanel *self)
{
  refill (self);
}

static void
on_list_changed (DocketAnnotationsPanel *self)
{
  DocketAnnotationList *list = self->annotator != NULL ? docket_annotator_get_list (self->annotator) : NULL;

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->model);

  if (list != NULL)
    {
      self->model = g_object_ref (G_LIST_MODEL (list));
      g_signal_connect_swapped (self->model, "items-changed", G_CALLBACK (on_items_changed), self);
    }
  refill (self);
}

static void
on_row_activated (DocketAnnotationsPanel *self,
                  guint                   position)
{
  g_autoptr(DocketAnnotation) annotation = NULL;

  if ((annotation = g_list_model_get_item (G_LIST_MODEL (self->rows), position)) == NULL)
    return;
  if (self->annotator != NULL)
    docket_annotator_select (self->annotator, docket_annotation_get_id (annotation));
  gtk_widget_activate_action (GTK_WIDGET (self), "view.show-page", "u", docket_annotation_get_page (annotation));
}

/* Rows */

static void
draw_swatch (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        user_data)
{
  const char *color = g_object_get_data (G_OBJECT (area), "docket-color");
  GdkRGBA rgba;

  if (color == NULL || !gdk_rgba_parse (&rgba, color))
    return;
  cairo_rectangle (cr, 0.5, 0.5, width - 1, height - 1);
  gdk_cairo_set_source_rgba (cr, &rgba);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.35);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);
}

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *header = gtk_label_new (NULL);
  GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *swatch = gtk_drawing_area_new ();
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *kind = gtk_label_new (NULL);
  GtkWidget *contents = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (header), 0);
  gtk_widget_add_css_class (header, "heading");
  gtk_widget_set_margin_top (header, 6);
  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (swatch), 12);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (swatch), 12);
  gtk_widget_set_valign (swatch, GTK_ALIGN_CENTER);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (swatch), draw_swatch, NULL, NULL);
  gtk_label_set_xalign (GTK_LABEL (kind), 0);
  gtk_label_set_xalign (GTK_LABEL (contents), 0);
  gtk_label_set_ellipsize (GTK_LABEL (contents), PANGO_ELLIPSIZE_END);
  gtk_label_set_lines (GTK_LABEL (contents), 2);
  gtk_label_set_wrap (GTK_LABEL (contents), TRUE);
  gtk_widget_add_css_class (contents, "dim-label");
  gtk_widget_add_css_class (contents, "caption");

  gtk_box_append (GTK_BOX (texts), kind);
  gtk_box_append (GTK_BOX (texts), contents);
  gtk_box_append (GTK_BOX (line), swatch);
  gtk_box_append (GTK_BOX (line), texts);
  gtk_box_append (GTK_BOX (row), header);
  gtk_box_append (GTK_BOX (row), line);

  g_object_set_data (G_OBJECT (row), "docket-header", header);
  g_object_set_data (G_OBJECT (row), "docket-swatch", swatch);
  g_object_set_data (G_OBJECT (row), "docket-kind", kind);
  g_object_set_data (G_OBJECT (row), "docket-contents", contents);
  gtk_list_item_set_child (item, row);
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          gpointer                  user_data)
{
  DocketAnnotationsPanel *self = user_data;
  DocketAnnotation *annotation = gtk_list_item_get_item (item);
  GtkWidget *row = gtk_list_item_get_child (item);
  GtkWidget *header = g_object_get_data (G_OBJECT (row), "docket-header");
  GtkWidget *swatch = g_object_get_data (G_OBJECT (row), "docket-swatch");
  guint position = gtk_list_item_get_position (item);
  guint page = docket_annotation_get_page (annotation);
  gboolean first_of_page = TRUE;
  g_autofree char *page_label = g_strdup_printf (_("Page %u"), page + 1);
  g_autofree char *label = NULL;

  /* A heading starts each page's group. */
  if (position > 0)
    {
      g_autoptr(DocketAnnotation) previous = g_list_model_get_item (G_LIST_MODEL (self->rows), position - 1);
      first_of_page = previous == NULL || docket_annotation_get_page (previous) != page;
    }
  gtk_label_set_label (GTK_LABEL (header), page_label);
  gtk_widget_set_visible (header, first_of_page);

  g_object_set_data_full (G_OBJECT (swatch), "docket-color", g_strdup (docket_annotation_get_color (annotation)), g_free);
  gtk_widget_queue_draw (swatch);
  gtk_label_set_label (g_object_get_data (G_OBJECT (row), "docket-kind"),
                       docket_annotation_kind_get_label (docket_annotation_get_kind (annotation)));
  gtk_label_set_label (g_object_get_data (G_OBJECT (row), "docket-contents"), docket_annotation_get_contents (annotation));
  gtk_widget_set_visible (g_object_get_data (G_OBJECT (row), "docket-contents"),
                          docket_annotation_get_contents (annotation)[0] != '\0');

  /* Translators: how a screen reader names a row of the annotations panel: "Page 3:
   * Highlight" */
  label = g_strdup_printf (_("%s: %s"), page_label, docket_annotation_kind_get_label (docket_annotation_get_kind (annotation)));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

/* GObject */

static void
docket_annotations_panel_dispose (GObject *object)
{
  DocketAnnotationsPanel *self = DOCKET_ANNOTATIONS_PANEL (object);

  if (self->annotator != NULL)
    g_signal_handlers_disconnect_by_data (self->annotator, self);
  g_clear_object (&self->annotator);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->model);
  gtk_widget_dispose_template (GTK_WIDGET (self), DOCKET_TYPE_ANNOTATIONS_PANEL);
  g_clear_object (&self->rows);

  G_OBJECT_CLASS (docket_annotations_panel_parent_class)->dispose (object);
}

static void
docket_annotations_panel_class_init (DocketAnnotationsPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = docket_annotations_panel_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               DOCKET_RESOURCE_PREFIX "/ui/docket-annotations-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, DocketAnnotationsPanel, stack);
  gtk_widget_class_bind_template_child (widget_class, DocketAnnotationsPanel, list_view);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
docket_annotations_panel_init (DocketAnnotationsPanel *self)
{
  GtkListItemFactory *factory;
  GtkNoSelection *selection;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->rows = g_list_store_new (DOCKET_TYPE_ANNOTATION);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->rows)));
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  update_stack (self);
}

GtkWidget *
docket_annotations_panel_new (void)
{
  return g_object_new (DOCKET_TYPE_ANNOTATIONS_PANEL, NULL);
}

void
docket_annotations_panel_set_annotator (DocketAnnotationsPanel *self,
                                        DocketAnnotator        *annotator)
{
  g_return_if_fail (DOCKET_IS_ANNOTATIONS_PANEL (self));

  if (self->annotator == annotator)
    return;
  if (self->annotator != NULL)
    g_signal_handlers_disconnect_by_data (self->annotator, self);
  g_set_object (&self->annotator, annotator);
  if (annotator != NULL)
    g_signal_connect_swapped (annotator, "notify::list", G_CALLBACK (on_list_changed), self);
  on_list_changed (self);
}
