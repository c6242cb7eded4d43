/* docket-thumbnail.c: a small rendering of one page, for the reader's sidebar */

#include "config.h"

#include "docket-thumbnail.h"

struct _DocketThumbnail
{
  GtkWidget             parent_instance;

  DocketPdfThumbnailer *thumbnailer;
  DocketPdfPage        *page;
  GdkTexture           *texture;
  GCancellable         *cancellable;   /* of the rendering in flight */
};

G_DEFINE_FINAL_TYPE (DocketThumbnail, docket_thumbnail, GTK_TYPE_WIDGET)

static int
thumbnail_height (DocketThumbnail *self)
{
  double width = MAX (docket_pdf_page_get_width (self->page), 1.0);
  double height = MAX (docket_pdf_page_get_height (self->page), 1.0);

  /* A page of absurd shape still gets a sane thumbnail. */
  return CLAMP ((int) (DOCKET_THUMBNAIL_WIDTH * height / width + 0.5), 1, 4 * DOCKET_THUMBNAIL_WIDTH);
}

static void
cancel_render (DocketThumbnail *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
}

static void
on_rendered (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(DocketThumbnail) self = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = docket_pdf_thumbnailer_render_finish (DOCKET_PDF_THUMBNAILER (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->cancellable);
  if (texture == NULL)
    {
      /* A blank thumbnail says enough; the page itself shows the error. */
      g_debug ("Could not render a thumbnail: %s", error->message);
      return;
    }
  g_set_object (&self->texture, texture);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
request_render (DocketThumbnail *self)
{
  int width_px;
  guint index;
  GdkTexture *cached;

  if (self->page == NULL || self->thumbnailer == NULL || self->texture != NULL ||
      self->cancellable != NULL || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;

  index = docket_pdf_page_get_index (self->page);
  width_px = DOCKET_THUMBNAIL_WIDTH * gtk_widget_get_scale_factor (GTK_WIDGET (self));
  cached = docket_pdf_thumbnailer_lookup (self->thumbnailer, index, width_px);
  if (cached != NULL)
    {
      g_set_object (&self->texture, cached);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      return;
    }
  self->cancellable = g_cancellable_new ();
  docket_pdf_thumbnailer_render_async (self->thumbnailer, index, width_px, self->cancellable,
                                       on_rendered, g_object_ref (self));
}

static void
docket_thumbnail_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  DocketThumbnail *self = DOCKET_THUMBNAIL (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = DOCKET_THUMBNAIL_WIDTH;
  else
    *minimum = *natural = self->page != NULL ? thumbnail_height (self) : DOCKET_THUMBNAIL_WIDTH;
}

static void
docket_thumbnail_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  DocketThumbnail *self = DOCKET_THUMBNAIL (widget);
  graphene_rect_t rect;
  GskRoundedRect outline;
  const GdkRGBA shadow = { 0, 0, 0, 0.3 };
  const GdkRGBA paper = { 1, 1, 1, 1 };

  if (self->page == NULL)
    return;

  rect = GRAPHENE_RECT_INIT (0, 0, DOCKET_THUMBNAIL_WIDTH, thumbnail_height (self));
  gsk_rounded_rect_init_from_rect (&outline, &rect, 0);
  gtk_snapshot_append_outset_shadow (snapshot, &outline, &shadow, 0, 1, 1, 3);
  if (self->texture != NULL)
    gtk_snapshot_append_texture (snapshot, self->texture, &rect);
  else
    gtk_snapshot_append_color (snapshot, &paper, &rect);
}

static void
docket_thumbnail_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (docket_thumbnail_parent_class)->map (widget);
  request_render (DOCKET_THUMBNAIL (widget));
}

/* A thumbnail out of sight holds nothing (the thumbnailer's bounded cache may). */
static void
docket_thumbnail_unmap (GtkWidget *widget)
{
  DocketThumbnail *self = DOCKET_THUMBNAIL (widget);

  cancel_render (self);
  g_clear_object (&self->texture);
  GTK_WIDGET_CLASS (docket_thumbnail_parent_class)->unmap (widget);
}

static void
docket_thumbnail_dispose (GObject *object)
{
  DocketThumbnail *self = DOCKET_THUMBNAIL (object);

  cancel_render (self);
  g_clear_object (&self->texture);
  g_clear_object (&self->page);
  g_clear_object (&self->thumbnailer);

  G_OBJECT_CLASS (docket_thumbnail_parent_class)->dispose (object);
}

static void
docket_thumbnail_class_init (DocketThumbnailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = docket_thumbnail_dispose;
  widget_class->measure = docket_thumbnail_measure;
  widget_class->snapshot = docket_thumbnail_snapshot;
  widget_class->map = docket_thumbnail_map;
  widget_class->unmap = docket_thumbnail_unmap;

  gtk_widget_class_set_css_name (widget_class, "docketthumbnail");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
docket_thumbnail_init (DocketThumbnail *self)
{
  gtk_widget_set_halign (GTK_WIDGET (self), GTK_ALIGN_CENTER);
}

GtkWidget *
docket_thumbnail_new (void)
{
  return g_object_new (DOCKET_TYPE_THUMBNAIL, NULL);
}

void
docket_thumbnail_set_page (DocketThumbnail      *self,
                           DocketPdfThumbnailer *thumbnailer,
                           DocketPdfPage        *page)
{
  g_return_if_fail (DOCKET_IS_THUMBNAIL (self));

  if (self->page == page && self->thumbnailer == thumbnailer)
    return;

  cancel_render (self);
  g_clear_object (&self->texture);
  g_set_object (&self->thumbnailer, thumbnailer);
  g_set_object (&self->page, page);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  request_render (self);
}
