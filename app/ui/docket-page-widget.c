/* docket-page-widget.c: one page of a PDF in the document view */

#include "config.h"

#include <glib/gi18n.h>

#include <math.h>

#include "docket-page-widget.h"
#include "docket-annotator.h"
#include "docket-note-popover.h"
#include "docket-pdf-link.h"
#include "docket-render-queue.h"

#define PAGE_MARGIN DOCKET_PAGE_WIDGET_MARGIN

/* The natural width of a page that fits the view: a comfortable reading width. */
#define READING_WIDTH 960

/* What a press on the page turned into. */
typedef enum {
  DRAG_NONE,
  DRAG_TEXT,        /* selecting text (and marking it, with a markup tool) */
  DRAG_MOVE,        /* moving the selected annotation */
  DRAG_INK,
  DRAG_RECTANGLE,
  DRAG_NOTE,        /* a note goes where the press ends */
  DRAG_LINK,        /* a press on a link: followed if it does not move */
} DragMode;

/* How far (in pixels) a press may move and still be a click. */
#define CLICK_SLOP 4.0
/* How near (in points) a press must be to an annotation to take it. */
#define HIT_SLOP 4.0

struct _DocketPageWidget
{
  GtkWidget          parent_instance;

  /* Owned */
  DocketPdfDocument *document;
  DocketPdfPage     *page;
  GdkTexture        *texture;       /* the last rendering, possibly of another width */
  GdkTexture        *preview;       /* a low-resolution one, while there is no other */
  DocketRenderQueue *render_queue;  /* borrowed: the document's, while a page is set */
  gulong             rendered_id;
  int                wanted_width;  /* pixels wide the rendering wanted of the queue is */
  GError            *error;

  /* How wide the page is shown: see docket_page_widget_set_zoom () */
  DocketZoomMode     zoom_mode;
  double             zoom_scale;
  int                view_height;

  GArray            *highlights;    /* graphene_rect_t in points: find hits */
  int                current_highlight;

  /* Annotating (see docket-annotator.h) */
  DocketAnnotator   *annotator;     /* owned */
  GPtrArray         *links;         /* DocketPdfLink*, or NULL until read */
  GCancellable      *links_cancellable;
  GCancellable      *select_cancellable;
  GtkWidget         *note_popover;  /* DocketNotePopover, a child of ours */
  gboolean           note_is_new;   /* it edits a note just put down */

  /* The gesture under way: where it started and where it is, in points */
  DragMode           drag_mode;
  double             start_x, start_y;
  double             drag_x, drag_y;
  double             press_x, press_y; /* where the press was, in the widget's pixels */
  GArray            *ink_points;    /* double x, y: the stroke being drawn */
  char              *moving_id;     /* the annotation being moved */
  int                pressed_link;  /* index in links, or -1 */
};

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

static void request_links (DocketPageWidget *self);

static void
docket_page_widget_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (docket_page_widget_parent_class)->map (widget);
  docket_page_widget_request_render (DOCKET_PAGE_WIDGET (widget));
  request_links (DOCKET_PAGE_WIDGET (widget));
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
static void
page_area (DocketPageWidget *self,
           graphene_rect_t  *out_rect,
           double           *out_scale)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int display_width = page_display_width (self, width);
  int display_height = page_display_height (self, display_width);

  *out_rect = GRAPHENE_RECT_INIT (MAX (0, (width - display_width) / 2), PAGE_MARGIN, display_width, display_height);
  *out_scale = display_width / MAX (docket_pdf_page_get_width (self->page), 1.0);
}

static void
widget_to_page (DocketPageWidget *self,
                double            x,
                double            y,
                double           *out_x,
                double           *out_y)
{
  graphene_rect_t rect;
  double scale;

  page_area (self, &rect, &scale);
  *out_x = (x - rect.origin.x) / scale;
  *out_y = (y - rect.origin.y) / scale;
}

/* A point kept on the page, so that nothing is drawn or moved off it. */
static void
clamp_to_page (DocketPageWidget *self,
               double           *x,
               double           *y)
{
  *x = CLAMP (*x, 0, docket_pdf_page_get_width (self->page));
  *y = CLAMP (*y, 0, docket_pdf_page_get_height (self->page));
}

static DocketAnnotationList *
annotation_list (DocketPageWidget *self)
{
  return self->annotator != NULL ? docket_annotator_get_list (self->annotator) : NULL;
}

/* The annotations on this page, in drawing order (GPtrArray of borrowed objects). */
static GPtrArray *
page_annotations (DocketPageWidget *self)
{
  DocketAnnotationList *list = annotation_list (self);
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

/* The box an annotation takes on the page, in points. */
static gboolean
annotation_box (DocketAnnotation   *annotation,
                DocketGeometryRect *out_box)
{
  const DocketAnnotationGeometry *geometry = docket_annotation_get_geometry (annotation);

  if (!docket_annotation_geometry_get_bounds (geometry, out_box))
    return FALSE;
  if (geometry->kind == DOCKET_ANNOTATION_NOTE)
    {
      out_box->x1 = out_box->x0 + DOCKET_ANNOTATION_NOTE_SIZE;
      out_box->y1 = out_box->y0 + DOCKET_ANNOTATION_NOTE_SIZE;
    }
  else if (geometry->kind == DOCKET_ANNOTATION_INK || geometry->kind == DOCKET_ANNOTATION_RECTANGLE)
    {
      out_box->x0 -= geometry->width / 2;
      out_box->y0 -= geometry->width / 2;
      out_box->x1 += geometry->width / 2;
      out_box->y1 += geometry->width / 2;
    }
  return TRUE;
}

static double
distance_to_segment (double px, double py,
                     double ax, double ay,
                     double bx, double by)
{
  double dx = bx - ax, dy = by - ay;
  double length2 = dx * dx + dy * dy;
  double t = length2 > 0 ? CLAMP (((px - ax) * dx + (py - ay) * dy) / length2, 0, 1) : 0;

  return hypot (px - (ax + t * dx), py - (ay + t * dy));
}

static gboolean
annotation_hit (DocketAnnotation *annotation,
                double            x,
                double            y)
{
  const DocketAnnotationGeometry *geometry = docket_annotation_get_geometry (annotation);
  DocketGeometryRect box;

  if (!annotation_box (annotation, &box) ||
      x < box.x0 - HIT_SLOP || x > box.x1 + HIT_SLOP || y < box.y0 - HIT_SLOP || y > box.y1 + HIT_SLOP)
    return FALSE;
  if (geometry->kind != DOCKET_ANNOTATION_INK)
    return TRUE;

  /* A drawing is taken by its lines, not by the empty space between them. */
  for (guint i = 0; i < geometry->strokes->len; i++)
    {
      GArray *stroke = g_ptr_array_index (geometry->strokes, i);

      for (guint j = 0; j + 1 < stroke->len; j += 2)
        {
          guint k = j + 3 < stroke->len ? j + 2 : j;

          if (distance_to_segment (x, y, g_array_index (stroke, double, j), g_array_index (stroke, double, j + 1),
                                   g_array_index (stroke, double, k), g_array_index (stroke, double, k + 1))
              <= geometry->width / 2 + HIT_SLOP)
            return TRUE;
        }
    }
  return FALSE;
}

/* The topmost annotation at (x, y) in points, or NULL (borrowed from the list). */
static DocketAnnotation *
annotation_at (DocketPageWidget *self,
               double            x,
               double            y)
{
  g_autoptr(GPtrArray) annotations = page_annotations (self);

  for (guint i = annotations->len; i > 0; i--)
    {
      DocketAnnotation *annotation = g_ptr_array_index (annotations, i - 1);

      if (annotation_hit (annotation, x, y))
        return docket_annotation_list_find (annotation_list (self), docket_annotation_get_id (annotation));
    }
  return NULL;
}

static int
link_at (DocketPageWidget *self,
         double            x,
         double            y)
{
  if (self->links == NULL)
    return -1;
  for (guint i = 0; i < self->links->len; i++)
    {
      DocketPdfLink *link = g_ptr_array_index (self->links, i);

      if (graphene_rect_contains_point (&link->area, &GRAPHENE_POINT_INIT (x, y)))
        return (int) i;
    }
  return -1;
}

static void
parse_color (const char *text,
             GdkRGBA    *rgba)
{
  if (text == NULL || !gdk_rgba_parse (rgba, text))
    *rgba = (GdkRGBA) { 0.97, 0.89, 0.36, 1.0 };
}

static void
draw_note_icon (cairo_t       *cr,
                double         x,
                double         y,
                const GdkRGBA *color)
{
  const double size = DOCKET_ANNOTATION_NOTE_SIZE;
  const double fold = size * 0.3;

  /* A sheet with a folded corner and three lines of writing. */
  cairo_move_to (cr, x, y);
  cairo_line_to (cr, x + size - fold, y);
  cairo_line_to (cr, x + size, y + fold);
  cairo_line_to (cr, x + size, y + size);
  cairo_line_to (cr, x, y + size);
  cairo_close_path (cr);
  gdk_cairo_set_source_rgba (cr, color);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, 0, 0, 0, 0.6);
  cairo_set_line_width (cr, 1.0);
  cairo_stroke (cr);
  for (int i = 1; i <= 3; i++)
    {
      cairo_move_to (cr, x + 4, y + fold + i * (size - fold) / 4.0);
      cairo_line_to (cr, x + size - 4, y + fold + i * (size - fold) / 4.0);
    }
  cairo_set_line_width (cr, 0.8);
  cairo_stroke (cr);
}

/* Draws one annotation, in points, moved by (dx, dy). */
static void
draw_annotation (cairo_t          *cr,
                 DocketAnnotation *annotation,
                 double            dx,
                 double            dy)
{
  const DocketAnnotationGeometry *geometry = docket_annotation_get_geometry (annotation);
  GdkRGBA color;

  parse_color (docket_annotation_get_color (annotation), &color);
  cairo_save (cr);
  cairo_translate (cr, dx, dy);

  switch (geometry->kind)
    {
    case DOCKET_ANNOTATION_HIGHLIGHT:
      /* Under the page, blended with it: see snapshot_marker_highlights (). */
      break;

    case DOCKET_ANNOTATION_UNDERLINE:
    case DOCKET_ANNOTATION_STRIKEOUT:
      gdk_cairo_set_source_rgba (cr, &color);
      for (guint i = 0; i < geometry->rects->len; i++)
        {
          const DocketGeometryRect *box = &g_array_index (geometry->rects, DocketGeometryRect, i);
          double height = box->y1 - box->y0;
          double y = geometry->kind == DOCKET_ANNOTATION_UNDERLINE ? box->y1 - height * 0.06 : (box->y0 + box->y1) / 2;

          cairo_set_line_width (cr, MAX (height * 0.08, 0.8));
          cairo_move_to (cr, box->x0, y);
          cairo_line_to (cr, box->x1, y);
          cairo_stroke (cr);
        }
      break;

    case DOCKET_ANNOTATION_INK:
      gdk_cairo_set_source_rgba (cr, &color);
      cairo_set_line_width (cr, geometry->width);
      cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      for (guint i = 0; i < geometry->strokes->len; i++)
        {
          GArray *stroke = g_ptr_array_index (geometry->strokes, i);

          for (guint j = 0; j + 1 < stroke->len; j += 2)
            (j == 0 ? cairo_move_to : cairo_line_to) (cr, g_array_index (stroke, double, j),
                                                      g_array_index (stroke, double, j + 1));
          if (stroke->len == 2)
            cairo_rel_line_to (cr, 0, 0);
          cairo_stroke (cr);
        }
      break;

    case DOCKET_ANNOTATION_NOTE:
      draw_note_icon (cr, geometry->x, geometry->y, &color);
      break;

    case DOCKET_ANNOTATION_RECTANGLE:
      if (geometry->rects->len > 0)
        {
          const DocketGeometryRect *box = &g_array_index (geometry->rects, DocketGeometryRect, 0);

          gdk_cairo_set_source_rgba (cr, &color);
          cairo_set_line_width (cr, geometry->width);
          cairo_rectangle (cr, box->x0, box->y0, box->x1 - box->x0, box->y1 - box->y0);
          cairo_stroke (cr);
        }
      break;

    default:
      break;
    }
  cairo_restore (cr);
}

static void
draw_selection_frame (cairo_t          *cr,
                      DocketAnnotation *annotation,
                      double            dx,
                      double            dy,
                      double            scale)
{
  DocketGeometryRect box;
  const double dashes[] = { 4.0 / scale, 3.0 / scale };

  if (!annotation_box (annotation, &box))
    return;
  cairo_rectangle (cr, box.x0 + dx - 3, box.y0 + dy - 3, box.x1 - box.x0 + 6, box.y1 - box.y0 + 6);
  cairo_set_source_rgba (cr, 0.21, 0.52, 0.89, 1.0);
  cairo_set_line_width (cr, 1.5 / scale);
  cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
}

static gboolean
has_marker_highlights (DocketPageWidget *self)
{
  g_autoptr(GPtrArray) annotations = page_annotations (self);

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
  g_autoptr(GPtrArray) annotations = page_annotations (self);
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
      parse_color (docket_annotation_get_color (annotation), &color);
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
  g_autoptr(GPtrArray) annotations = page_annotations (self);
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

      draw_annotation (cr, annotation, dx, dy);
      if (g_strcmp0 (selected_id, docket_annotation_get_id (annotation)) == 0)
        draw_selection_frame (cr, annotation, dx, dy, scale);
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

      parse_color (docket_annotator_get_color (self->annotator), &color);
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

      parse_color (docket_annotator_get_color (self->annotator), &color);
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

/* Links */

static void
on_links_read (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(DocketPageWidget) self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *links = docket_pdf_document_get_links_finish (DOCKET_PDF_DOCUMENT (source), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->links_cancellable);
  if (links == NULL)
    {
      g_debug ("No links on this page: %s", error->message);
      links = g_ptr_array_new ();
    }
  g_clear_pointer (&self->links, g_ptr_array_unref);
  self->links = links;
}

static void
request_links (DocketPageWidget *self)
{
  if (self->links != NULL || self->links_cancellable != NULL || self->page == NULL || self->document == NULL)
    return;
  self->links_cancellable = g_cancellable_new ();
  docket_pdf_document_get_links_async (self->document, docket_pdf_page_get_index (self->page),
                                       self->links_cancellable, on_links_read, g_object_ref (self));
}

static void
follow_link (DocketPageWidget *self,
             DocketPdfLink    *link)
{
  if (link->page >= 0)
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "view.show-page", "u", (guint) link->page);
      return;
    }
  /* Only the web opens at once; other schemes (file:, javascript:...) from a document
   * someone else made are not ours to run. */
  if (link->uri != NULL &&
      (g_str_has_prefix (link->uri, "https://") || g_str_has_prefix (link->uri, "http://")))
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
      gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, link->uri, GDK_CURRENT_TIME);
    }
  else
    g_message ("Not following the link to “%s”", link->uri != NULL ? link->uri : "");
}

/* Text selection */

typedef struct {
  DocketPageWidget    *self;
  DocketAnnotationKind kind;
  gboolean             mark;     /* the drag ended with a markup tool: mark the text */
} SelectRequest;

static void
on_text_selected (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  SelectRequest *request = user_data;
  g_autoptr(DocketPageWidget) self = request->self;
  g_autoptr(GError) error = NULL;
  DocketPdfSelection *selection;

  selection = docket_pdf_document_select_text_finish (DOCKET_PDF_DOCUMENT (source), result, &error);
  if (selection == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not select text: %s", error->message);
      g_free (request);
      return;
    }
  if (self->annotator != NULL)
    {
      docket_annotator_set_text_selection (self->annotator, selection);
      if (request->mark)
        docket_annotator_mark_selection (self->annotator, request->kind);
    }
  else
    docket_pdf_selection_free (selection);
  g_free (request);
}

static void
request_selection (DocketPageWidget     *self,
                   gboolean              mark,
                   DocketAnnotationKind  kind)
{
  SelectRequest *request = g_new0 (SelectRequest, 1);

  g_cancellable_cancel (self->select_cancellable);
  g_clear_object (&self->select_cancellable);
  self->select_cancellable = g_cancellable_new ();

  request->self = g_object_ref (self);
  request->mark = mark;
  request->kind = kind;
  docket_pdf_document_select_text_async (self->document, docket_pdf_page_get_index (self->page),
                                         self->start_x, self->start_y, self->drag_x, self->drag_y, FALSE,
                                         self->select_cancellable, on_text_selected, request);
}

/* The note editor */

static void
on_note_popover_closed (DocketPageWidget *self)
{
  DocketNotePopover *popover = DOCKET_NOTE_POPOVER (self->note_popover);
  DocketAnnotationList *list = annotation_list (self);
  g_autofree char *text = docket_note_popover_dup_text (popover);
  DocketAnnotation *annotation;

  if (list == NULL)
    return;
  annotation = docket_annotation_list_find (list, docket_note_popover_get_annotation_id (popover));
  if (annotation == NULL)
    return;
  /* A note put down and closed without a word was a slip: it goes, leaving nothing to
   * undo. */
  if (self->note_is_new && docket_annotation_get_kind (annotation) == DOCKET_ANNOTATION_NOTE &&
      g_strstrip (text)[0] == '\0')
    {
      docket_annotation_list_discard (list, docket_annotation_get_id (annotation));
      docket_annotator_select (self->annotator, NULL);
    }
  /* Saved when it closes, and only when it changed: one step of the history. */
  else if (g_strcmp0 (text, docket_annotation_get_contents (annotation)) != 0)
    docket_annotation_list_update (list, docket_annotation_get_id (annotation), NULL, NULL, text);
  self->note_is_new = FALSE;
}

/* Whether (x, y) of the widget is inside its window. */
static gboolean
point_in_window (DocketPageWidget *self,
                 double            x,
                 double            y)
{
  GtkWidget *root = GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (self)));
  graphene_point_t point;

  return root != NULL &&
         gtk_widget_compute_point (GTK_WIDGET (self), root, &GRAPHENE_POINT_INIT (x, y), &point) &&
         point.x >= 0 && point.y >= 0 &&
         point.x < gtk_widget_get_width (root) && point.y < gtk_widget_get_height (root);
}

static void
open_note_editor (DocketPageWidget *self,
                  DocketAnnotation *annotation,
                  gboolean          is_new)
{
  DocketGeometryRect box;
  graphene_rect_t rect;
  double scale;

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)) || !annotation_box (annotation, &box))
    return;

  if (self->note_popover == NULL)
    {
      self->note_popover = docket_note_popover_new ();
      gtk_widget_set_parent (self->note_popover, GTK_WIDGET (self));
      g_signal_connect_swapped (self->note_popover, "closed", G_CALLBACK (on_note_popover_closed), self);
    }

  page_area (self, &rect, &scale);
  if (!point_in_window (self, rect.origin.x + box.x0 * scale, rect.origin.y + box.y0 * scale))
    {
      /* A popover must point at something on screen (GTK places it on the monitor of
       * what it points at); an annotation scrolled away is opened from where it is. */
      g_debug ("Not opening the text of an annotation out of sight");
      return;
    }
  gtk_popover_set_pointing_to (GTK_POPOVER (self->note_popover),
                               &(GdkRectangle) { (int) (rect.origin.x + box.x0 * scale),
                                                 (int) (rect.origin.y + box.y0 * scale),
                                                 MAX (1, (int) ((box.x1 - box.x0) * scale)),
                                                 MAX (1, (int) ((box.y1 - box.y0) * scale)) });
  docket_note_popover_set_annotation (DOCKET_NOTE_POPOVER (self->note_popover),
                                      docket_annotation_get_id (annotation),
                                      docket_annotation_get_contents (annotation));
  self->note_is_new = is_new;
  gtk_popover_popup (GTK_POPOVER (self->note_popover));
  gtk_widget_grab_focus (GTK_WIDGET (docket_note_popover_get_text_view (DOCKET_NOTE_POPOVER (self->note_popover))));
}

static void
on_edit_requested (DocketPageWidget *self,
                   const char       *id)
{
  DocketAnnotationList *list = annotation_list (self);
  DocketAnnotation *annotation = list != NULL ? docket_annotation_list_find (list, id) : NULL;

  if (annotation != NULL && self->page != NULL &&
      docket_annotation_get_page (annotation) == docket_pdf_page_get_index (self->page))
    open_note_editor (self, annotation, FALSE);
}

/* Gestures: what a press, a drag and a release do depends on the tool */

static void
end_drag (DocketPageWidget *self)
{
  self->drag_mode = DRAG_NONE;
  self->pressed_link = -1;
  g_clear_pointer (&self->ink_points, g_array_unref);
  g_clear_pointer (&self->moving_id, g_free);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
is_touch (GtkGesture *gesture)
{
  GdkDevice *device = gtk_gesture_get_device (gesture);

  return device != NULL && gdk_device_get_source (device) == GDK_SOURCE_TOUCHSCREEN;
}

static void
on_drag_begin (GtkGestureDrag   *gesture,
               double            x,
               double            y,
               DocketPageWidget *self)
{
  DocketAnnotationTool tool;
  DocketAnnotation *annotation;

  if (self->page == NULL || self->document == NULL || self->annotator == NULL)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }

  end_drag (self);
  self->press_x = x;
  self->press_y = y;
  widget_to_page (self, x, y, &self->start_x, &self->start_y);
  self->drag_x = self->start_x;
  self->drag_y = self->start_y;
  /* Without annotations (no store), pages still select text and follow links. */
  tool = annotation_list (self) != NULL ? docket_annotator_get_tool (self->annotator) : DOCKET_ANNOTATION_TOOL_SELECT;

  switch (tool)
    {
    case DOCKET_ANNOTATION_TOOL_SELECT:
      if ((annotation = annotation_at (self, self->start_x, self->start_y)) != NULL)
        {
          docket_annotator_select (self->annotator, docket_annotation_get_id (annotation));
          self->moving_id = g_strdup (docket_annotation_get_id (annotation));
          self->drag_mode = DRAG_MOVE;
        }
      else if ((self->pressed_link = link_at (self, self->start_x, self->start_y)) >= 0)
        self->drag_mode = DRAG_LINK;
      else if (is_touch (GTK_GESTURE (gesture)))
        {
          /* A finger on the text scrolls, as in every reader; selecting text is for the
           * mouse and the pen. */
          end_drag (self);
          gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
          return;
        }
      else
        self->drag_mode = DRAG_TEXT;
      break;
    case DOCKET_ANNOTATION_TOOL_HIGHLIGHT:
    case DOCKET_ANNOTATION_TOOL_UNDERLINE:
    case DOCKET_ANNOTATION_TOOL_STRIKEOUT:
      self->drag_mode = DRAG_TEXT;
      break;
    case DOCKET_ANNOTATION_TOOL_INK:
      self->drag_mode = DRAG_INK;
      self->ink_points = g_array_new (FALSE, FALSE, sizeof (double));
      clamp_to_page (self, &self->start_x, &self->start_y);
      g_array_append_val (self->ink_points, self->start_x);
      g_array_append_val (self->ink_points, self->start_y);
      break;
    case DOCKET_ANNOTATION_TOOL_RECTANGLE:
      self->drag_mode = DRAG_RECTANGLE;
      break;
    case DOCKET_ANNOTATION_TOOL_NOTE:
      self->drag_mode = DRAG_NOTE;
      break;
    default:
      break;
    }

  if (self->drag_mode != DRAG_MOVE)
    docket_annotator_select (self->annotator, NULL);
  /* Ours, not the list's: a drag on the page marks it instead of scrolling it (a
   * touch screen still scrolls with the select tool on a link-free margin). */
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
on_drag_update (GtkGestureDrag   *gesture,
                double            offset_x,
                double            offset_y,
                DocketPageWidget *self)
{
  if (self->drag_mode == DRAG_NONE || self->page == NULL)
    return;
  widget_to_page (self, self->press_x + offset_x, self->press_y + offset_y, &self->drag_x, &self->drag_y);

  switch (self->drag_mode)
    {
    case DRAG_LINK:
      /* A press on a link that moves selects text, as elsewhere. */
      if (hypot (offset_x, offset_y) > CLICK_SLOP)
        self->drag_mode = DRAG_TEXT;
      break;
    case DRAG_TEXT:
      if (hypot (offset_x, offset_y) > CLICK_SLOP)
        request_selection (self, FALSE, DOCKET_ANNOTATION_HIGHLIGHT);
      break;
    case DRAG_INK:
      {
        double x = self->drag_x, y = self->drag_y;
        guint n = self->ink_points->len;

        clamp_to_page (self, &x, &y);
        /* Every half point is enough for a smooth line, and keeps within the limits of
         * the protocol. */
        if (n / 2 < DOCKET_MAX_INK_POINTS &&
            hypot (x - g_array_index (self->ink_points, double, n - 2),
                   y - g_array_index (self->ink_points, double, n - 1)) >= 0.5)
          {
            g_array_append_val (self->ink_points, x);
            g_array_append_val (self->ink_points, y);
          }
      }
      break;
    default:
      break;
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
finish_move (DocketPageWidget *self)
{
  DocketAnnotationList *list = annotation_list (self);
  DocketAnnotation *annotation = docket_annotation_list_find (list, self->moving_id);
  g_autoptr(DocketAnnotationGeometry) geometry = NULL;
  DocketGeometryRect box;
  double dx = self->drag_x - self->start_x, dy = self->drag_y - self->start_y;
  double width = docket_pdf_page_get_width (self->page), height = docket_pdf_page_get_height (self->page);
  g_autofree char *json = NULL;

  if (annotation == NULL || (fabs (dx) < 0.5 && fabs (dy) < 0.5))
    return;

  /* Kept whole on the page. */
  annotation_box (annotation, &box);
  dx = CLAMP (dx, -box.x0, width - box.x1);
  dy = CLAMP (dy, -box.y0, height - box.y1);

  json = docket_annotation_geometry_to_json (docket_annotation_get_geometry (annotation));
  geometry = docket_annotation_geometry_parse (docket_annotation_get_kind (annotation), json, NULL);
  if (geometry == NULL)
    return;
  docket_annotation_geometry_translate (geometry, dx, dy);
  docket_annotation_list_update (list, self->moving_id, NULL, geometry, NULL);
}

static void
on_drag_end (GtkGestureDrag   *gesture,
             double            offset_x,
             double            offset_y,
             DocketPageWidget *self)
{
  DocketAnnotationList *list = annotation_list (self);
  gboolean click = hypot (offset_x, offset_y) <= CLICK_SLOP;
  const char *color;

  if (self->drag_mode == DRAG_NONE || self->annotator == NULL || self->page == NULL)
    {
      end_drag (self);
      return;
    }
  widget_to_page (self, self->press_x + offset_x, self->press_y + offset_y, &self->drag_x, &self->drag_y);
  color = docket_annotator_get_color (self->annotator);

  switch (self->drag_mode)
    {
    case DRAG_LINK:
      if (self->links != NULL && self->pressed_link >= 0 && (guint) self->pressed_link < self->links->len)
        follow_link (self, g_ptr_array_index (self->links, (guint) self->pressed_link));
      break;

    case DRAG_TEXT:
      if (click)
        docket_annotator_set_text_selection (self->annotator, NULL);
      else
        {
          DocketAnnotationKind kind = DOCKET_ANNOTATION_HIGHLIGHT;
          gboolean mark = docket_annotation_tool_get_markup_kind (docket_annotator_get_tool (self->annotator), &kind);

          /* With a marker, the text is marked as soon as poppler says what it is. */
          request_selection (self, mark, kind);
        }
      break;

    case DRAG_MOVE:
      finish_move (self);
      break;

    case DRAG_INK:
      {
        g_autoptr(DocketAnnotationGeometry) geometry = docket_annotation_geometry_new (DOCKET_ANNOTATION_INK);
        DocketAnnotation *annotation;

        docket_annotation_geometry_add_stroke (geometry, g_steal_pointer (&self->ink_points));
        annotation = docket_annotation_list_create (list, docket_pdf_page_get_index (self->page),
                                                    DOCKET_ANNOTATION_INK, color, geometry, NULL);
        docket_annotator_select (self->annotator, docket_annotation_get_id (annotation));
      }
      break;

    case DRAG_RECTANGLE:
      {
        g_autoptr(DocketAnnotationGeometry) geometry = NULL;
        DocketAnnotation *annotation;
        double x0 = self->start_x, y0 = self->start_y, x1 = self->drag_x, y1 = self->drag_y;

        clamp_to_page (self, &x0, &y0);
        clamp_to_page (self, &x1, &y1);
        if (fabs (x1 - x0) < 2 || fabs (y1 - y0) < 2)
          break;
        geometry = docket_annotation_geometry_new (DOCKET_ANNOTATION_RECTANGLE);
        docket_annotation_geometry_add_rect (geometry, x0, y0, x1, y1);
        annotation = docket_annotation_list_create (list, docket_pdf_page_get_index (self->page),
                                                    DOCKET_ANNOTATION_RECTANGLE, color, geometry, NULL);
        docket_annotator_select (self->annotator, docket_annotation_get_id (annotation));
      }
      break;

    case DRAG_NOTE:
      {
        g_autoptr(DocketAnnotationGeometry) geometry = docket_annotation_geometry_new (DOCKET_ANNOTATION_NOTE);
        DocketAnnotation *annotation;
        double x = self->drag_x, y = self->drag_y;

        /* The icon whole on the page. */
        x = CLAMP (x, 0, MAX (0, docket_pdf_page_get_width (self->page) - DOCKET_ANNOTATION_NOTE_SIZE));
        y = CLAMP (y, 0, MAX (0, docket_pdf_page_get_height (self->page) - DOCKET_ANNOTATION_NOTE_SIZE));
        geometry->x = x;
        geometry->y = y;
        annotation = docket_annotation_list_create (list, docket_pdf_page_get_index (self->page),
                                                    DOCKET_ANNOTATION_NOTE, color, geometry, NULL);
        docket_annotator_select (self->annotator, docket_annotation_get_id (annotation));
        end_drag (self);
        /* Write it at once. */
        open_note_editor (self, annotation, TRUE);
        return;
      }

    default:
      break;
    }
  end_drag (self);
}

static void
on_drag_cancel (GtkGesture       *gesture,
                GdkEventSequence *sequence,
                DocketPageWidget *self)
{
  end_drag (self);
}

/* A double click (or tap) on an annotation opens its text. */
static void
on_pressed (GtkGestureClick  *gesture,
            int               n_press,
            double            x,
            double            y,
            DocketPageWidget *self)
{
  DocketAnnotation *annotation;
  double px, py;

  if (n_press != 2 || self->page == NULL || annotation_list (self) == NULL ||
      docket_annotator_get_tool (self->annotator) != DOCKET_ANNOTATION_TOOL_SELECT)
    return;
  widget_to_page (self, x, y, &px, &py);
  if ((annotation = annotation_at (self, px, py)) != NULL)
    {
      docket_annotator_select (self->annotator, docket_annotation_get_id (annotation));
      open_note_editor (self, annotation, FALSE);
    }
}

/* Hovering over an annotation with a text shows the text. */
static gboolean
on_query_tooltip (DocketPageWidget *self,
                  int               x,
                  int               y,
                  gboolean          keyboard_mode,
                  GtkTooltip       *tooltip)
{
  DocketAnnotation *annotation;
  double px, py;

  if (keyboard_mode || self->page == NULL || annotation_list (self) == NULL || self->drag_mode != DRAG_NONE)
    return FALSE;
  widget_to_page (self, x, y, &px, &py);
  annotation = annotation_at (self, px, py);
  if (annotation == NULL || docket_annotation_get_contents (annotation)[0] == '\0')
    return FALSE;
  gtk_tooltip_set_text (tooltip, docket_annotation_get_contents (annotation));
  return TRUE;
}

/* The pointer says what a press would do. */
static void
on_motion (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           DocketPageWidget         *self)
{
  const char *cursor = NULL;
  double px, py;

  if (self->page == NULL)
    {
      gtk_widget_set_cursor_from_name (GTK_WIDGET (self), NULL);
      return;
    }
  widget_to_page (self, x, y, &px, &py);
  if (annotation_list (self) != NULL)
    {
      switch (docket_annotator_get_tool (self->annotator))
        {
        case DOCKET_ANNOTATION_TOOL_SELECT:
          if (annotation_at (self, px, py) != NULL)
            cursor = "move";
          else if (link_at (self, px, py) >= 0)
            cursor = "pointer";
          else
            cursor = "text";
          break;
        case DOCKET_ANNOTATION_TOOL_HIGHLIGHT:
        case DOCKET_ANNOTATION_TOOL_UNDERLINE:
        case DOCKET_ANNOTATION_TOOL_STRIKEOUT:
          cursor = "text";
          break;
        default:
          cursor = "crosshair";
          break;
        }
    }
  else if (link_at (self, px, py) >= 0)
    cursor = "pointer";
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), cursor);
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
  end_drag (self);
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
  GtkGesture *drag, *click;
  GtkEventController *motion;

  self->zoom_mode = DOCKET_ZOOM_AUTOMATIC;
  self->zoom_scale = 1.0;
  self->pressed_link = -1;
  g_signal_connect (self, "notify::scale-factor", G_CALLBACK (on_scale_factor_changed), NULL);

  /* Mouse, pen and touch alike: the pen's events come as a pointer's. */
  drag = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (on_drag_end), self);
  g_signal_connect (drag, "cancel", G_CALLBACK (on_drag_cancel), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "pressed", G_CALLBACK (on_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  /* One group: the drag claiming a press does not cancel the double click. */
  gtk_gesture_group (click, drag);

  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip), NULL);

  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
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
    request_links (self);
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
  end_drag (self);
  g_set_object (&self->annotator, annotator);
  if (annotator != NULL)
    {
      g_signal_connect_swapped (annotator, "changed", G_CALLBACK (on_annotator_changed), self);
      g_signal_connect_swapped (annotator, "edit-requested", G_CALLBACK (on_edit_requested), self);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

DocketAnnotator *
docket_page_widget_get_annotator (DocketPageWidget *self)
{
  g_return_val_if_fail (DOCKET_IS_PAGE_WIDGET (self), NULL);
  return self->annotator;
}

GtkWidget *
docket_page_widget_get_note_popover (DocketPageWidget *self)
{
  g_return_val_if_fail (DOCKET_IS_PAGE_WIDGET (self), NULL);
  return self->note_popover;
}

void
docket_page_widget_page_to_widget (DocketPageWidget *self,
                                   double            x,
                                   double            y,
                                   double           *out_x,
                                   double           *out_y)
{
  graphene_rect_t rect;
  double scale;

  g_return_if_fail (DOCKET_IS_PAGE_WIDGET (self));
  g_return_if_fail (self->page != NULL);

  page_area (self, &rect, &scale);
  *out_x = rect.origin.x + x * scale;
  *out_y = rect.origin.y + y * scale;
}

GPtrArray *
docket_page_widget_get_links (DocketPageWidget *self)
{
  g_return_val_if_fail (DOCKET_IS_PAGE_WIDGET (self), NULL);
  return self->links;
}
