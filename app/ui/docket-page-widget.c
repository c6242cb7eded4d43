/* docket-page-widget.c: one page of a PDF in the document view
 *
 * Its size, what it draws (the rendering, find hits, annotations) and which rendering it
 * wants of the document's DocketRenderQueue. Input is in docket-page-widget-input.c,
 * how an annotation is drawn in docket-annotation-drawing.c.
 */

#include "config.h"

#include <glib/gi18n.h>

#include <math.h>

#include "docket-page-widget-private.h"
#include "docket-annotation-drawing.h"

/* The natural width of a page that fits the view: a comfortable reading width. */
#define READING_WIDTH 960

G_DEFINE_FINAL_TYPE (DocketPageWidget, docket_page_widget, GTK_TYPE_WIDGET)

int
docket_page_widget_compute_display_width (DocketZoomMode zoom_mode,
                                          double         zoom_scale,
                                          double         width_pt,
                                          double         height_pt,
                                          int            available,
                                          int            view_height)
{
  int width = available - 2 * PAGE_MARGIN;

  width_pt = MAX (width_pt, 1.0);
  height_pt = MAX (height_pt, 1.0);
  switch (zoom_mode)
    {
    case DOCKET_ZOOM_FIXED:
      width = (int) (width_pt * zoom_scale * DOCKET_PAGE_WIDGET_PIXELS_PER_POINT + 0.5);
      break;
    case DOCKET_ZOOM_AUTOMATIC:
      /* A page of text is read at its printed size: on a wide screen, fitting its width
       * would make the letters huge and each page several screens long. */
      if (width_pt <= height_pt)
        {
          width = MIN (width, (int) (width_pt * DOCKET_PAGE_WIDGET_PIXELS_PER_POINT + 0.5));
          break;
        }
      /* A slide is seen whole. */
      G_GNUC_FALLTHROUGH;
    case DOCKET_ZOOM_FIT_PAGE:
      /* As wide as the view allows, and no taller than the view. */
      if (view_height > 2 * PAGE_MARGIN)
        width = MIN (width, (int) ((view_height - 2 * PAGE_MARGIN) * width_pt / height_pt));
      break;
    case DOCKET_ZOOM_FIT_WIDTH:
    default:
      break;
    }

  return MAX (1, width);
}

/* The page's width on screen when the row is `available` pixels wide. */
static int
page_display_width (DocketPageWidget *self,
                    int               available)
{
  return docket_page_widget_compute_display_width (self->zoom_mode, self->zoom_scale,
                                                   docket_pdf_page_get_width (self->page),
                                                   docket_pdf_page_get_height (self->page),
                                                   available, self->view_height);
}

static int
page_display_height (DocketPageWidget *self,
                     int               display_width)
{
  double width = MAX (docket_pdf_page_get_width (self->page), 1.0);
  double height = MAX (docket_pdf_page_get_height (self->page), 1.0);

  return MAX (1, (int) (display_width * height / width + 0.5));
}

/* The rendering wanted of the queue is not wanted any more (the page left the screen,
 * or the widget shows another page or width): the queue drops it if it has not started. */
static void
docket_page_widget_cancel (DocketPageWidget *self)
{
  if (self->wanted_width > 0 && self->render_queue != NULL && self->page != NULL)
    docket_render_queue_release (self->render_queue, docket_pdf_page_get_index (self->page), self->wanted_width);
  self->wanted_width = 0;
}

static void
on_page_rendered (DocketRenderQueue *queue,
                  guint              index,
                  GdkTexture        *texture,
                  const GError      *error,
                  DocketPageWidget  *self)
{
  if (self->page == NULL || docket_pdf_page_get_index (self->page) != index || self->wanted_width == 0)
    return;

  if (texture == NULL)
    {
      g_warning ("Could not render page: %s", error->message);
      g_clear_error (&self->error);
      self->error = g_error_copy (error);
    }
  else if (gdk_texture_get_width (texture) == self->wanted_width)
    {
      g_set_object (&self->texture, texture);
      g_clear_object (&self->preview);
    }
  else if (self->texture == NULL)
    g_set_object (&self->preview, texture);
  else
    return;

  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Makes sure a rendering of the wanted width is shown or on its way. */
static void
docket_page_widget_request_render (DocketPageWidget *self)
{
  GdkTexture *cached;
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  guint index;
  int width_px;

  if (self->page == NULL || self->render_queue == NULL || width <= 0 || self->error != NULL ||
      !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;

  /* What the document will really render, so that a page too tall for a full-size
   * texture is not asked again and again. */
  index = docket_pdf_page_get_index (self->page);
  width_px = docket_pdf_document_get_render_width (self->document, index, page_display_width (self, width) * scale);
  if (self->wanted_width == width_px)
    return;

  docket_page_widget_cancel (self);
  self->wanted_width = width_px;
  cached = docket_render_queue_want (self->render_queue, index, width_px);
  if (cached != NULL)
    {
      g_set_object (&self->texture, cached);
      g_clear_object (&self->preview);
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
  else if (self->texture == NULL && self->preview == NULL)
    {
      /* Shown scaled up until the sharp one comes. */
      g_set_object (&self->preview, docket_render_queue_lookup_preview (self->render_queue, index));
      if (self->preview != NULL)
        gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

/* Listens to the queue of the document shown, and to no other. */
static void
set_render_queue (DocketPageWidget  *self,
                  DocketRenderQueue *queue)
{
  if (self->render_queue == queue)
    return;
  if (self->render_queue != NULL)
    g_clear_signal_handler (&self->rendered_id, self->render_queue);
  self->render_queue = queue;
  if (queue != NULL)
    self->rendered_id = g_signal_connect (queue, "rendered", G_CALLBACK (on_page_rendered), self);
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
  DocketPageWidget *self = DOCKET_PAGE_WIDGET (widget);

  if (self->note_popover != NULL)
    gtk_popover_present (GTK_POPOVER (self->note_popover));
  docket_page_widget_request_render (self);
}

static void
docket_page_widget_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (docket_page_widget_parent_class)->map (widget);
  docket_page_widget_request_render (DOCKET_PAGE_WIDGET (widget));
  _docket_page_widget_request_links (DOCKET_PAGE_WIDGET (widget));
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

/* Where the page is drawn in the widget, and how many pixels a point is. */
void
_docket_page_widget_page_area (DocketPageWidget *self,
                               graphene_rect_t  *out_rect,
                               double           *out_scale)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int display_width = page_display_width (self, width);
  int display_height = page_display_height (self, display_width);

  *out_rect = GRAPHENE_RECT_INIT (MAX (0, (width - display_width) / 2), PAGE_MARGIN, display_width, display_height);
  *out_scale = display_width / MAX (docket_pdf_page_get_width (self->page), 1.0);
}

DocketAnnotationList *
_docket_page_widget_annotation_list (DocketPageWidget *self)
{
  return self->annotator != NULL ? docket_annotator_get_list (self->annotator) : NULL;
}

/* The annotations on this page, in drawing order (GPtrArray of borrowed objects). */
GPtrArray *
_docket_page_widget_page_annotations (DocketPageWidget *self)
{
  DocketAnnotationList *list = _docket_page_widget_annotation_list (self);
  GPtrArray *annotations = g_ptr_array_new_with_free_func (g_object_unref);
  guint index;

  if (list == NULL || self->page == NULL)
    return annotations;
  index = docket_pdf_page_get_index (self->page);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)); i++)
    {
      DocketAnnotation *annotation = g_list_model_get_item (G_LIST_MODEL (list), i);

      if (docket_annotation_get_page (annotation) == index)
        g_ptr_array_add (annotations, annotation);
      else
        g_object_unref (annotation);
    }
  return annotations;
}

static gboolean
has_marker_highlights (DocketPageWidget *self)
{
  g_autoptr(GPtrArray) annotations = _docket_page_widget_page_annotations (self);

  for (guint i = 0; i < annotations->len; i++)
    if (docket_annotation_get_kind (g_ptr_array_index (annotations, i)) == DOCKET_ANNOTATION_HIGHLIGHT)
      return TRUE;
  return FALSE;
}

/* The highlights, in full colour: multiplied with the page they tint the paper and
 * leave the text black. Inside the blend that snapshot () pushes. */
static void
snapshot_marker_highlights (DocketPageWidget      *self,
                            GtkSnapshot           *snapshot,
                            const graphene_rect_t *page_rect)
{
  g_autoptr(GPtrArray) annotations = _docket_page_widget_page_annotations (self);
  double scale = page_rect->size.width / MAX (docket_pdf_page_get_width (self->page), 1.0);

  for (guint i = 0; i < annotations->len; i++)
    {
      DocketAnnotation *annotation = g_ptr_array_index (annotations, i);
      const DocketAnnotationGeometry *geometry = docket_annotation_get_geometry (annotation);
      gboolean moving = self->drag_mode == DRAG_MOVE &&
                        g_strcmp0 (self->moving_id, docket_annotation_get_id (annotation)) == 0;
      double dx = moving ? self->drag_x - self->start_x : 0;
      double dy = moving ? self->drag_y - self->start_y : 0;
      GdkRGBA color;

      if (geometry->kind != DOCKET_ANNOTATION_HIGHLIGHT)
        continue;
      docket_annotation_drawing_parse_color (docket_annotation_get_color (annotation), &color);
      color.alpha = 1.0;
      for (guint j = 0; j < geometry->rects->len; j++)
        {
          const DocketGeometryRect *box = &g_array_index (geometry->rects, DocketGeometryRect, j);

          gtk_snapshot_append_color (snapshot, &color,
                                     &GRAPHENE_RECT_INIT (page_rect->origin.x + (box->x0 + dx) * scale,
                                                          page_rect->origin.y + (box->y0 + dy) * scale,
                                                          (box->x1 - box->x0) * scale,
                                                          (box->y1 - box->y0) * scale));
        }
    }
}

/* The official's annotations, the text they select and what they are drawing, over the
 * page. */
static void
snapshot_annotations (DocketPageWidget      *self,
                      GtkSnapshot           *snapshot,
                      const graphene_rect_t *page_rect)
{
  g_autoptr(GPtrArray) annotations = _docket_page_widget_page_annotations (self);
  DocketPdfSelection *selection = self->annotator != NULL ? docket_annotator_get_text_selection (self->annotator) : NULL;
  const char *selected_id = self->annotator != NULL ? docket_annotator_get_selected_id (self->annotator) : NULL;
  guint index = docket_pdf_page_get_index (self->page);
  double scale = page_rect->size.width / MAX (docket_pdf_page_get_width (self->page), 1.0);
  gboolean text_here = selection != NULL && selection->page == index && selection->rects->len > 0;
  cairo_t *cr;

  if (annotations->len == 0 && !text_here && self->drag_mode == DRAG_NONE)
    return;

  cr = gtk_snapshot_append_cairo (snapshot, page_rect);
  cairo_translate (cr, page_rect->origin.x, page_rect->origin.y);
  cairo_scale (cr, scale, scale);

  for (guint i = 0; i < annotations->len; i++)
    {
      DocketAnnotation *annotation = g_ptr_array_index (annotations, i);
      gboolean moving = self->drag_mode == DRAG_MOVE &&
                        g_strcmp0 (self->moving_id, docket_annotation_get_id (annotation)) == 0;
      double dx = moving ? self->drag_x - self->start_x : 0;
      double dy = moving ? self->drag_y - self->start_y : 0;

      docket_annotation_drawing_draw (cr, annotation, dx, dy);
      if (g_strcmp0 (selected_id, docket_annotation_get_id (annotation)) == 0)
        docket_annotation_drawing_draw_selection_frame (cr, annotation, dx, dy, scale);
    }

  if (text_here)
    {
      cairo_set_source_rgba (cr, 0.21, 0.52, 0.89, 0.3);
      for (guint i = 0; i < selection->rects->len; i++)
        {
          const graphene_rect_t *box = &g_array_index (selection->rects, graphene_rect_t, i);
          cairo_rectangle (cr, box->origin.x, box->origin.y, box->size.width, box->size.height);
        }
      cairo_fill (cr);
    }

  if (self->drag_mode == DRAG_INK && self->ink_points != NULL && self->ink_points->len >= 2)
    {
      GdkRGBA color;

      docket_annotation_drawing_parse_color (docket_annotator_get_color (self->annotator), &color);
      gdk_cairo_set_source_rgba (cr, &color);
      cairo_set_line_width (cr, 2.0);
      cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      for (guint j = 0; j + 1 < self->ink_points->len; j += 2)
        (j == 0 ? cairo_move_to : cairo_line_to) (cr, g_array_index (self->ink_points, double, j),
                                                  g_array_index (self->ink_points, double, j + 1));
      cairo_stroke (cr);
    }
  else if (self->drag_mode == DRAG_RECTANGLE)
    {
      GdkRGBA color;

      docket_annotation_drawing_parse_color (docket_annotator_get_color (self->annotator), &color);
      gdk_cairo_set_source_rgba (cr, &color);
      cairo_set_line_width (cr, 1.5);
      cairo_rectangle (cr, MIN (self->start_x, self->drag_x), MIN (self->start_y, self->drag_y),
                       fabs (self->drag_x - self->start_x), fabs (self->drag_y - self->start_y));
      cairo_stroke (cr);
    }

  cairo_destroy (cr);
}

static gboolean
drawn_with_cairo (DocketPageWidget *self)
{
  GtkNative *native = gtk_widget_get_native (GTK_WIDGET (self));

  return native != NULL && GSK_IS_CAIRO_RENDERER (gtk_native_get_renderer (native));
}

/* The page's rendering in rect. GTK 4.8's cairo renderer (the software one, used where
 * there is no GPU) converts every pixel of a texture through floats each time it draws
 * it: some 70 ms for a page on a laptop's screen, on every frame that shows it. There, a
 * cairo node paints the rendering's own cairo surface instead (a few ms, no copy); the
 * GL renderer keeps textures on the GPU and gets the texture. */
static void
snapshot_rendering (DocketPageWidget      *self,
                    GdkTexture            *texture,
                    GtkSnapshot           *snapshot,
                    const graphene_rect_t *rect)
{
  cairo_surface_t *surface = docket_pdf_document_get_rendering_surface (texture);
  cairo_t *cr;
  int width, height;
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));

  docket_pdf_document_note_shown (self->document);

  if (surface == NULL || !drawn_with_cairo (self))
    {
      gtk_snapshot_append_texture (snapshot, texture, rect);
      return;
    }

  cr = gtk_snapshot_append_cairo (snapshot, rect);
  cairo_translate (cr, rect->origin.x, rect->origin.y);
  width = cairo_image_surface_get_width (surface);
  height = cairo_image_surface_get_height (surface);
  /* From the rendering's pixels to the page's place (on HiDPI, half as many units). */
  cairo_scale (cr, rect->size.width / width, rect->size.height / height);
  cairo_set_source_surface (cr, surface, 0, 0);
  /* An older or smaller rendering, shown scaled while the sharp one comes: fast rather
   * than fine. */
  if (width != (int) (rect->size.width * scale + 0.5))
    cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_BILINEAR);
  cairo_paint (cr);
  cairo_destroy (cr);
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
  gboolean blend_highlights;

  if (self->page == NULL)
    return;

  display_width = page_display_width (self, width);
  display_height = page_display_height (self, display_width);
  rect = GRAPHENE_RECT_INIT (MAX (0, (width - display_width) / 2), PAGE_MARGIN, display_width, display_height);
  blend_highlights = has_marker_highlights (self);

  gsk_rounded_rect_init_from_rect (&outline, &rect, 0);
  gtk_snapshot_append_outset_shadow (snapshot, &outline, &shadow, 0, 1, 1, 4);

  /* Highlights multiply with the page, as a marker's ink on paper: the text under them
   * stays black. */
  if (blend_highlights)
    gtk_snapshot_push_blend (snapshot, GSK_BLEND_MODE_MULTIPLY);

  /* A scaled older or smaller rendering while the sharp one comes: better than a blank
   * page. */
  if (self->texture != NULL)
    snapshot_rendering (self, self->texture, snapshot, &rect);
  else if (self->preview != NULL)
    snapshot_rendering (self, self->preview, snapshot, &rect);
  else
    gtk_snapshot_append_color (snapshot, &paper, &rect);

  if (blend_highlights)
    {
      gtk_snapshot_pop (snapshot);
      snapshot_marker_highlights (self, snapshot, &rect);
      gtk_snapshot_pop (snapshot);
    }

  snapshot_highlights (self, snapshot, &rect);
  snapshot_annotations (self, snapshot, &rect);
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
  g_clear_object (&self->preview);

  GTK_WIDGET_CLASS (docket_page_widget_parent_class)->unmap (widget);
}

/* What belongs to the page shown, dropped when the row shows another. */
static void
forget_page_state (DocketPageWidget *self)
{
  g_cancellable_cancel (self->links_cancellable);
  g_clear_object (&self->links_cancellable);
  g_cancellable_cancel (self->select_cancellable);
  g_clear_object (&self->select_cancellable);
  g_clear_pointer (&self->links, g_ptr_array_unref);
  if (self->note_popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (self->note_popover));
  _docket_page_widget_end_drag (self);
}

static void
docket_page_widget_dispose (GObject *object)
{
  DocketPageWidget *self = DOCKET_PAGE_WIDGET (object);

  forget_page_state (self);
  if (self->note_popover != NULL)
    {
      /* Its "closed" must not come back to a widget on its way out. */
      g_signal_handlers_disconnect_by_data (self->note_popover, self);
      g_clear_pointer (&self->note_popover, gtk_widget_unparent);
    }
  if (self->annotator != NULL)
    g_signal_handlers_disconnect_by_data (self->annotator, self);
  g_clear_object (&self->annotator);

  docket_page_widget_cancel (self);
  set_render_queue (self, NULL);
  g_clear_object (&self->texture);
  g_clear_object (&self->preview);
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
  self->zoom_mode = DOCKET_ZOOM_AUTOMATIC;
  self->zoom_scale = 1.0;
  self->pressed_link = -1;
  g_signal_connect (self, "notify::scale-factor", G_CALLBACK (on_scale_factor_changed), NULL);

  _docket_page_widget_init_input (self);
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
  forget_page_state (self);
  g_clear_object (&self->texture);
  g_clear_object (&self->preview);
  g_clear_error (&self->error);
  /* The queue lives as long as its document: let go of it first. */
  set_render_queue (self, NULL);
  g_set_object (&self->document, document);
  g_set_object (&self->page, page);
  set_render_queue (self, document != NULL && page != NULL ? docket_render_queue_for_document (document) : NULL);

  if (page != NULL)
    {
      g_autofree char *label = g_strdup_printf (_("Page %u"), docket_pdf_page_get_index (page) + 1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
    }

  gtk_widget_queue_resize (GTK_WIDGET (self));
  docket_page_widget_request_render (self);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    _docket_page_widget_request_links (self);
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

gboolean
docket_page_widget_shows_rendering (DocketPageWidget *self)
{
  g_return_val_if_fail (DOCKET_IS_PAGE_WIDGET (self), FALSE);
  return self->texture != NULL || self->preview != NULL;
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
      ((mode != DOCKET_ZOOM_FIT_PAGE && mode != DOCKET_ZOOM_AUTOMATIC) || self->view_height == view_height))
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

static void
on_annotator_changed (DocketPageWidget *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
docket_page_widget_set_annotator (DocketPageWidget *self,
                                  DocketAnnotator  *annotator)
{
  g_return_if_fail (DOCKET_IS_PAGE_WIDGET (self));
  g_return_if_fail (annotator == NULL || DOCKET_IS_ANNOTATOR (annotator));

  if (self->annotator == annotator)
    return;
  if (self->annotator != NULL)
    g_signal_handlers_disconnect_by_data (self->annotator, self);
  _docket_page_widget_end_drag (self);
  g_set_object (&self->annotator, annotator);
  if (annotator != NULL)
    {
      g_signal_connect_swapped (annotator, "changed", G_CALLBACK (on_annotator_changed), self);
      g_signal_connect_swapped (annotator, "edit-requested", G_CALLBACK (_docket_page_widget_on_edit_requested), self);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

DocketAnnotator *
docket_page_widget_get_annotator (DocketPageWidget *self)
{
  g_return_val_if_fail (DOCKET_IS_PAGE_WIDGET (self), NULL);
  return self->annotator;
}
