/* docket-page-widget.c: one page of a PDF in the document view */

#include "config.h"

#include <glib/gi18n.h>

#include "docket-page-widget.h"

#define PAGE_MARGIN DOCKET_PAGE_WIDGET_MARGIN

/* The natural width of a page that fits the view: a comfortable reading width. */
#define READING_WIDTH 960

struct _DocketPageWidget
{
  GtkWidget          parent_instance;

  /* Owned */
  DocketPdfDocument *document;
  DocketPdfPage     *page;
  GdkTexture        *texture;       /* the last rendering, possibly of another width */
  GCancellable      *cancellable;   /* of the rendering in flight */
  int                pending_width; /* pixels wide the rendering in flight will be */
  GError            *error;

  /* How wide the page is shown: see docket_page_widget_set_zoom () */
  DocketZoomMode     zoom_mode;
  double             zoom_scale;
  int                view_height;

  GArray            *highlights;    /* graphene_rect_t in points: find hits */
  int                current_highlight;
};

G_DEFINE_FINAL_TYPE (DocketPageWidget, docket_page_widget, GTK_TYPE_WIDGET)

/* The page's width on screen when the row is `available` pixels wide. */
static int
page_display_width (DocketPageWidget *self,
                    int               available)
{
  double width_pt = MAX (docket_pdf_page_get_width (self->page), 1.0);
  double height_pt = MAX (docket_pdf_page_get_height (self->page), 1.0);
  int width = available - 2 * PAGE_MARGIN;

  switch (self->zoom_mode)
    {
    case DOCKET_ZOOM_FIXED:
      width = (int) (width_pt * self->zoom_scale * DOCKET_PAGE_WIDGET_PIXELS_PER_POINT + 0.5);
      break;
    case DOCKET_ZOOM_FIT_PAGE:
      /* As wide as the view allows, and no taller than the view. */
      if (self->view_height > 2 * PAGE_MARGIN)
        width = MIN (width, (int) ((self->view_height - 2 * PAGE_MARGIN) * width_pt / height_pt));
      break;
    case DOCKET_ZOOM_FIT_WIDTH:
    default:
      break;
    }

  return MAX (1, width);
}

static int
page_display_height (DocketPageWidget *self,
                     int               display_width)
{
  double width = MAX (docket_pdf_page_get_width (self->page), 1.0);
  double height = MAX (docket_pdf_page_get_height (self->page), 1.0);

  return MAX (1, (int) (display_width * height / width + 0.5));
}

static void
docket_page_widget_cancel (DocketPageWidget *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->pending_width = 0;
}

static void
on_page_rendered (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(DocketPageWidget) self = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = docket_pdf_document_render_page_finish (DOCKET_PDF_DOCUMENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);
  self->pending_width = 0;

  if (texture == NULL)
    {
      g_warning ("Could not render page: %s", error->message);
      g_clear_error (&self->error);
      self->error = g_steal_pointer (&error);
    }
  else
    g_set_object (&self->texture, texture);

  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Makes sure a rendering of the wanted width is shown or on its way. */
static void
docket_page_widget_request_render (DocketPageWidget *self)
{
  GdkTexture *cached;
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  int width_px;

  if (self->page == NULL || self->document == NULL || width <= 0 || self->error != NULL ||
      !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;

  /* What the document will really render, so that a page too tall for a full-size
   * texture is not asked again and again. */
  width_px = docket_pdf_document_get_render_width (self->document, docket_pdf_page_get_index (self->page),
                                                   page_display_width (self, width) * scale);
  if (self->texture != NULL && gdk_texture_get_width (self->texture) == width_px)
    return;
  if (self->pending_width == width_px)
    return;

  cached = docket_pdf_document_lookup_page (self->document, docket_pdf_page_get_index (self->page),
                                            width_px);
  if (cached != NULL)
    {
      docket_page_widget_cancel (self);
      g_set_object (&self->texture, cached);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      return;
    }

  docket_page_widget_cancel (self);
  self->cancellable = g_cancellable_new ();
  self->pending_width = width_px;
  docket_pdf_document_render_page_async (self->document, docket_pdf_page_get_index (self->page),
                                         width_px, self->cancellable,
                                         on_page_rendered, g_object_ref (self));
}

static void
docket_page_widget_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  DocketPageWidget *self = DOCKET_PAGE_WIDGET (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      if (self->page != NULL && self->zoom_mode == DOCKET_ZOOM_FIXED)
        {
          /* Wider than the view: the list scrolls sideways. */
          *minimum = *natural = page_display_width (self, 0) + 2 * PAGE_MARGIN;
        }
      else
        {
          *minimum = 120;
          *natural = READING_WIDTH + 2 * PAGE_MARGIN;
        }
    }
  else if (self->page == NULL)
    *minimum = *natural = 0;
  else
    {
      int available = for_size >= 0 ? for_size : READING_WIDTH + 2 * PAGE_MARGIN;
      *minimum = *natural = page_display_height (self, page_display_width (self, available)) +
                            2 * PAGE_MARGIN;
    }
}

static GtkSizeRequestMode
docket_page_widget_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
docket_page_widget_size_allocate (GtkWidget *widget,
                                  int        width,
                                  int        height,
                                  int        baseline)
{
  docket_page_widget_request_render (DOCKET_PAGE_WIDGET (widget));
}

static void
docket_page_widget_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (docket_page_widget_parent_class)->map (widget);
  docket_page_widget_request_render (DOCKET_PAGE_WIDGET (widget));
}

/* Find hits: translucent marks over the text, the current one stronger, in the
 * colours Papers uses. */
static void
snapshot_highlights (DocketPageWidget      *self,
                     GtkSnapshot           *snapshot,
                     const graphene_rect_t *page_rect)
{
  const GdkRGBA hit = { 0.98, 0.84, 0.25, 0.45 };
  const GdkRGBA current = { 0.96, 0.47, 0.0, 0.55 };
  double scale;
  guint i;

  if (self->highlights == NULL || self->highlights->len == 0)
    return;

  scale = page_rect->size.width / MAX (docket_pdf_page_get_width (self->page), 1.0);

  for (i = 0; i < self->highlights->len; i++)
    {
      const graphene_rect_t *box = &g_array_index (self->highlights, graphene_rect_t, i);
      graphene_rect_t on_screen = GRAPHENE_RECT_INIT (page_rect->origin.x + box->origin.x * scale,
                                                      page_rect->origin.y + box->origin.y * scale,
                                                      box->size.width * scale,
                                                      box->size.height * scale);

      gtk_snapshot_append_color (snapshot, (int) i == self->current_highlight ? &current : &hit,
                                 &on_screen);
    }
}

static void
docket_page_widget_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  DocketPageWidget *self = DOCKET_PAGE_WIDGET (widget);
  int width = gtk_widget_get_width (widget);
  int display_width, display_height;
  graphene_rect_t rect;
  GskRoundedRect outline;
  GdkRGBA shadow = { 0, 0, 0, 0.25 };
  GdkRGBA paper = { 1, 1, 1, 1 };

  if (self->page == NULL)
    return;

  display_width = page_display_width (self, width);
  display_height = page_display_height (self, display_width);
  rect = GRAPHENE_RECT_INIT (MAX (0, (width - display_width) / 2), PAGE_MARGIN, display_width, display_height);

  gsk_rounded_rect_init_from_rect (&outline, &rect, 0);
  gtk_snapshot_append_outset_shadow (snapshot, &outline, &shadow, 0, 1, 1, 4);

  /* A scaled older rendering while the sharp one comes: better than a blank page. */
  if (self->texture != NULL)
    gtk_snapshot_append_texture (snapshot, self->texture, &rect);
  else
    gtk_snapshot_append_color (snapshot, &paper, &rect);

  snapshot_highlights (self, snapshot, &rect);
}

/* GtkListView keeps rows bound well beyond the view, but unmaps those it does not
 * show: a page out of sight holds no texture (the document's bounded cache may), so a
 * long document costs the pages on screen, not the rows alive. */
static void
docket_page_widget_unmap (GtkWidget *widget)
{
  DocketPageWidget *self = DOCKET_PAGE_WIDGET (widget);

  docket_page_widget_cancel (self);
  g_clear_object (&self->texture);

  GTK_WIDGET_CLASS (docket_page_widget_parent_class)->unmap (widget);
}

static void
docket_page_widget_dispose (GObject *object)
{
  DocketPageWidget *self = DOCKET_PAGE_WIDGET (object);

  docket_page_widget_cancel (self);
  g_clear_object (&self->texture);
  g_clear_object (&self->page);
  g_clear_object (&self->document);
  g_clear_error (&self->error);
  g_clear_pointer (&self->highlights, g_array_unref);

  G_OBJECT_CLASS (docket_page_widget_parent_class)->dispose (object);
}

static void
docket_page_widget_class_init (DocketPageWidgetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = docket_page_widget_dispose;

  widget_class->measure = docket_page_widget_measure;
  widget_class->get_request_mode = docket_page_widget_get_request_mode;
  widget_class->size_allocate = docket_page_widget_size_allocate;
  widget_class->snapshot = docket_page_widget_snapshot;
  widget_class->map = docket_page_widget_map;
  widget_class->unmap = docket_page_widget_unmap;

  gtk_widget_class_set_css_name (widget_class, "docketpage");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
on_scale_factor_changed (DocketPageWidget *self)
{
  /* Moved to a HiDPI monitor (or back): render again at the new pixel density. */
  docket_page_widget_request_render (self);
}

static void
docket_page_widget_init (DocketPageWidget *self)
{
  self->zoom_mode = DOCKET_ZOOM_FIT_WIDTH;
  self->zoom_scale = 1.0;
  g_signal_connect (self, "notify::scale-factor", G_CALLBACK (on_scale_factor_changed), NULL);
}

GtkWidget *
docket_page_widget_new (void)
{
  return g_object_new (DOCKET_TYPE_PAGE_WIDGET, NULL);
}

void
docket_page_widget_set_page (DocketPageWidget  *self,
                             DocketPdfDocument *document,
                             DocketPdfPage     *page)
{
  g_return_if_fail (DOCKET_IS_PAGE_WIDGET (self));

  if (self->page == page && self->document == document)
    return;

  /* A page scrolled out of view stops costing anything. */
  docket_page_widget_cancel (self);
  g_clear_object (&self->texture);
  g_clear_error (&self->error);
  g_set_object (&self->document, document);
  g_set_object (&self->page, page);

  if (page != NULL)
    {
      g_autofree char *label = g_strdup_printf (_("Page %u"), docket_pdf_page_get_index (page) + 1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
    }

  gtk_widget_queue_resize (GTK_WIDGET (self));
  docket_page_widget_request_render (self);
}

DocketPdfPage *
docket_page_widget_get_page (DocketPageWidget *self)
{
  g_return_val_if_fail (DOCKET_IS_PAGE_WIDGET (self), NULL);
  return self->page;
}

GdkTexture *
docket_page_widget_get_texture (DocketPageWidget *self)
{
  g_return_val_if_fail (DOCKET_IS_PAGE_WIDGET (self), NULL);
  return self->texture;
}

void
docket_page_widget_set_zoom (DocketPageWidget *self,
                             DocketZoomMode    mode,
                             double            scale,
                             int               view_height)
{
  g_return_if_fail (DOCKET_IS_PAGE_WIDGET (self));
  g_return_if_fail (mode != DOCKET_ZOOM_FIXED || scale > 0);

  if (self->zoom_mode == mode &&
      (mode != DOCKET_ZOOM_FIXED || G_APPROX_VALUE (self->zoom_scale, scale, 1e-9)) &&
      (mode != DOCKET_ZOOM_FIT_PAGE || self->view_height == view_height))
    return;

  self->zoom_mode = mode;
  self->zoom_scale = scale;
  self->view_height = view_height;
  /* The new size comes with the next allocation, and with it the sharper rendering. */
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

int
docket_page_widget_get_display_width (DocketPageWidget *self)
{
  g_return_val_if_fail (DOCKET_IS_PAGE_WIDGET (self), 0);

  if (self->page == NULL)
    return 0;
  return page_display_width (self, gtk_widget_get_width (GTK_WIDGET (self)));
}

int
docket_page_widget_get_display_height (DocketPageWidget *self)
{
  g_return_val_if_fail (DOCKET_IS_PAGE_WIDGET (self), 0);

  if (self->page == NULL)
    return 0;
  return page_display_height (self, docket_page_widget_get_display_width (self));
}

void
docket_page_widget_set_highlights (DocketPageWidget *self,
                                   GArray           *rects,
                                   int               current)
{
  g_return_if_fail (DOCKET_IS_PAGE_WIDGET (self));

  if (rects == NULL && self->highlights == NULL)
    return;

  g_clear_pointer (&self->highlights, g_array_unref);
  if (rects != NULL)
    self->highlights = g_array_ref (rects);
  self->current_highlight = current;

  gtk_widget_queue_draw (GTK_WIDGET (self));
}
