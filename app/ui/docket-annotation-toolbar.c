/* docket-annotation-toolbar.c: the annotation tools over the pages */

#include "config.h"

#include <glib/gi18n.h>

#include "docket-annotation-toolbar.h"
#include "docket-annotator.h"

struct _DocketAnnotationToolbar
{
  GtkWidget  parent_instance;

  /* Template widgets */
  GtkWidget *box;
  GtkBox    *colors;
};

G_DEFINE_FINAL_TYPE (DocketAnnotationToolbar, docket_annotation_toolbar, GTK_TYPE_WIDGET)

/* The names of docket_annotator_colors, in their order. */
static const char * const color_names[] = {
  NC_("colour", "Yellow"), NC_("colour", "Green"), NC_("colour", "Blue"),
  NC_("colour", "Red"), NC_("colour", "Purple"),
};

static void
draw_swatch (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        user_data)
{
  GdkRGBA color;
  double radius = MIN (width, height) / 2.0 - 1;

  if (!gdk_rgba_parse (&color, user_data))
    return;
  cairo_arc (cr, width / 2.0, height / 2.0, radius, 0, 2 * G_PI);
  gdk_cairo_set_source_rgba (cr, &color);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.35);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);
}

static void
add_color_buttons (DocketAnnotationToolbar *self)
{
  G_STATIC_ASSERT (G_N_ELEMENTS (color_names) == 5);

  for (guint i = 0; docket_annotator_colors[i] != NULL && i < G_N_ELEMENTS (color_names); i++)
    {
      GtkWidget *button = gtk_toggle_button_new ();
      GtkWidget *swatch = gtk_drawing_area_new ();
      const char *name = g_dpgettext2 (NULL, "colour", color_names[i]);

      gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (swatch), 16);
      gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (swatch), 16);
      gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (swatch), draw_swatch,
                                      (gpointer) docket_annotator_colors[i], NULL);
      gtk_button_set_child (GTK_BUTTON (button), swatch);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "annot.color");
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button),
                                              g_variant_new_string (docket_annotator_colors[i]));
      gtk_widget_set_tooltip_text (button, name);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
      gtk_widget_add_css_class (button, "flat");
      gtk_box_append (self->colors, button);
    }
}

static void
docket_annotation_toolbar_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), DOCKET_TYPE_ANNOTATION_TOOLBAR);
  G_OBJECT_CLASS (docket_annotation_toolbar_parent_class)->dispose (object);
}

static void
docket_annotation_toolbar_class_init (DocketAnnotationToolbarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = docket_annotation_toolbar_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               DOCKET_RESOURCE_PREFIX "/ui/docket-annotation-toolbar.ui");
  gtk_widget_class_bind_template_child (widget_class, DocketAnnotationToolbar, box);
  gtk_widget_class_bind_template_child (widget_class, DocketAnnotationToolbar, colors);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_TOOLBAR);
}

static void
docket_annotation_toolbar_init (DocketAnnotationToolbar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Annotation tools"), -1);
  add_color_buttons (self);
}

GtkWidget *
docket_annotation_toolbar_new (void)
{
  return g_object_new (DOCKET_TYPE_ANNOTATION_TOOLBAR, NULL);
}
