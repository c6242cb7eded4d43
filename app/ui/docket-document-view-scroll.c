/* docket-document-view-scroll.c: following the scroll of the document view
 *
 * Where the reader is in the pages: the page widgets the page view has made and where
 * they are, the current page computed once a scroll has been laid out (layout_tick),
 * bringing a page to the top over a few frames (scroll_to_target), and remembering where
 * the official left the document (the reader memory). Apart from the view because it is
 * the part that works frame by frame against GtkGridView's lazy layout; it shares the
 * view's instance struct through docket-document-view-private.h, as the zoom file does.
 */

#include "config.h"

#include <math.h>

#include "docket-document-view-private.h"
#include "docket-render-queue.h"

/* How many frames a "go to page" may take to settle before it gives up. */
#define MAX_SCROLL_ATTEMPTS 10

static void docket_document_view_queue_tick (DocketDocumentView *self);

/* Page widgets and where they are */

/* The height a page and its margin may take to be seen whole: the view's, less what its
 * row adds around it (the style sheet's padding, measured on a row laid out). */
int
_docket_document_view_view_height (DocketDocumentView *self)
{
  int height = gtk_widget_get_height (GTK_WIDGET (self->scrolled_window));

  /* Not laid out yet (a document is loading): about the stack's. */
  if (height <= 0)
    height = gtk_widget_get_height (GTK_WIDGET (self->stack));

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->page_view)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *child = gtk_widget_get_first_child (row);

      if (child != NULL && DOCKET_IS_PAGE_WIDGET (child) && gtk_widget_get_height (child) > 0)
        return height - MAX (0, gtk_widget_get_height (row) - gtk_widget_get_height (child));
    }
  return height;
}

/* The page widgets of the rows the page view has made, in no particular order. */
GPtrArray *
_docket_document_view_list_page_widgets (DocketDocumentView *self)
{
  GPtrArray *widgets = g_ptr_array_new ();

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->page_view)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *child = gtk_widget_get_first_child (row);

      if (child != NULL && DOCKET_IS_PAGE_WIDGET (child) &&
          docket_page_widget_get_page (DOCKET_PAGE_WIDGET (child)) != NULL)
        g_ptr_array_add (widgets, child);
    }
  return widgets;
}

DocketPageWidget *
_docket_document_view_find_page_widget (DocketDocumentView *self,
                  guint               index)
{
  g_autoptr(GPtrArray) widgets = _docket_document_view_list_page_widgets (self);

  for (guint i = 0; i < widgets->len; i++)
    {
      DocketPageWidget *widget = g_ptr_array_index (widgets, i);

      if (docket_pdf_page_get_index (docket_page_widget_get_page (widget)) == index)
        return widget;
    }
  return NULL;
}

/* The top of a page widget in the page view's coordinates (which scroll with it);
 * FALSE when it is not laid out. */
gboolean
_docket_document_view_page_widget_top (DocketDocumentView *self,
                 DocketPageWidget   *widget,
                 double             *out_y)
{
  graphene_point_t point;

  if (!gtk_widget_get_mapped (GTK_WIDGET (widget)) || gtk_widget_get_height (GTK_WIDGET (widget)) <= 0 ||
      !gtk_widget_compute_point (GTK_WIDGET (widget), GTK_WIDGET (self->page_view),
                                 &GRAPHENE_POINT_INIT (0, 0), &point))
    return FALSE;
  *out_y = point.y;
  return TRUE;
}

/* Remembering where the official is */

/* Writes the current page and zoom to the reader memory now (in a worker). */
void
_docket_document_view_save_view_state (DocketDocumentView *self)
{
  guint page;

  g_clear_handle_id (&self->save_id, g_source_remove);
  if (self->memory == NULL || self->cached_document == NULL || self->document == NULL ||
      self->state != DOCKET_DOCUMENT_VIEW_READY)
    return;

  /* Where a "go to" is going is where the official wants to be. */
  page = self->target_pending ? self->target_page : self->current_page;
  docket_reader_memory_save (self->memory, docket_document_get_id (self->cached_document),
                             page, self->zoom_mode, self->zoom_scale);
}

static gboolean
save_timeout (gpointer user_data)
{
  DocketDocumentView *self = user_data;

  self->save_id = 0;
  _docket_document_view_save_view_state (self);
  return G_SOURCE_REMOVE;
}

/* Soon after the official stops moving, so that a killed app still opens where they
 * were; a page turned every second costs one small write. */
void
_docket_document_view_queue_save_view_state (DocketDocumentView *self)
{
  if (self->memory == NULL || self->cached_document == NULL || self->save_id != 0)
    return;
  self->save_id = g_timeout_add_seconds (1, save_timeout, self);
}

static void
set_current_page (DocketDocumentView *self,
                  guint               index)
{
  if (self->current_page == index)
    return;
  self->current_page = index;
  docket_find_bar_set_current_page (self->find_bar, index);
  _docket_document_view_update_labels (self);
  _docket_document_view_update_actions (self);
  _docket_document_view_queue_save_view_state (self);
  _docket_document_view_sync_sidebar_page (self);
  _docket_document_view_notify_current_page (self);
}

/* The page being read, from where the list is scrolled: the first page at the top, the
 * last one at the bottom, else the page under the upper third of the view. */
static void
update_current_page (DocketDocumentView *self)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scrolled_window);
  double value = gtk_adjustment_get_value (adjustment);
  double upper = gtk_adjustment_get_upper (adjustment);
  double page_size = gtk_adjustment_get_page_size (adjustment);
  guint n_pages = docket_pdf_document_get_n_pages (self->document);
  g_autoptr(GPtrArray) widgets = NULL;
  double probe = page_size / 3;

  self->settled_value = value;

  if (value <= gtk_adjustment_get_lower (adjustment) + 0.5)
    {
      set_current_page (self, 0);
      return;
    }
  if (value + page_size >= upper - 0.5)
    {
      set_current_page (self, n_pages - 1);
      return;
    }

  widgets = _docket_document_view_list_page_widgets (self);
  for (guint i = 0; i < widgets->len; i++)
    {
      DocketPageWidget *widget = g_ptr_array_index (widgets, i);
      /* The row's padding counts as its page's. */
      GtkWidget *row = gtk_widget_get_parent (GTK_WIDGET (widget));
      graphene_rect_t bounds;

      if (gtk_widget_get_mapped (row) &&
          gtk_widget_compute_bounds (row, GTK_WIDGET (self->page_view), &bounds) &&
          bounds.origin.y <= probe && probe < bounds.origin.y + bounds.size.height)
        {
          set_current_page (self, docket_pdf_page_get_index (docket_page_widget_get_page (widget)));
          return;
        }
    }
}

/* One step of bringing the target page to the top: the page view lays rows out lazily
 * and estimates where the others are, so we scroll, let it lay out, and correct, until
 * the page's top is where it should be. Returns TRUE when done. */
static gboolean
scroll_to_target (DocketDocumentView *self)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scrolled_window);
  DocketPageWidget *widget = _docket_document_view_find_page_widget (self, self->target_page);
  double value = gtk_adjustment_get_value (adjustment);
  double top, wanted;

  /* The first tick comes before the layout that follows the request (a new zoom, say):
   * where rows are then is where they were, so wait for one layout. */
  if (++self->target_attempts == 1)
    return FALSE;
  if (self->target_attempts > MAX_SCROLL_ATTEMPTS)
    return TRUE;

  if (widget == NULL || !_docket_document_view_page_widget_top (self, widget, &top))
    {
      /* Not made yet: let the page view scroll to it (it makes its row on the way). */
      gtk_widget_activate_action (GTK_WIDGET (self->page_view), "list.scroll-to-item", "u",
                                  self->target_page);
      return FALSE;
    }

  /* The page widget's top, not its row's: the widget's own margin keeps the page's
   * shadow in view, the row's padding goes above. */
  wanted = value + top + self->target_fraction * gtk_widget_get_height (GTK_WIDGET (widget)) -
           self->target_offset;
  wanted = CLAMP (wanted, gtk_adjustment_get_lower (adjustment),
                  gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment));
  if (fabs (wanted - value) < 1)
    return TRUE;

  gtk_adjustment_set_value (adjustment, wanted);
  return FALSE;
}

/* Runs once per frame while something waits for the layout: a page to bring into view,
 * or the current page to find after a scroll. */
static gboolean
layout_tick (GtkWidget     *widget,
             GdkFrameClock *frame_clock,
             gpointer       user_data)
{
  DocketDocumentView *self = user_data;

  if (self->document == NULL)
    {
      self->tick_id = 0;
      return G_SOURCE_REMOVE;
    }

  if (self->target_pending)
    {
      if (!scroll_to_target (self))
        return G_SOURCE_CONTINUE;
      self->target_pending = FALSE;
      self->follow_scroll = 0;
      /* The page asked for is the page being read, even when it cannot reach the top
       * (the last pages of a document). */
      self->settled_value = gtk_adjustment_get_value (gtk_scrolled_window_get_vadjustment (self->scrolled_window));
      set_current_page (self, self->target_page);
      if (self->reveal_hit_pending)
        {
          self->reveal_hit_pending = FALSE;
          _docket_document_view_scroll_to_current_hit (self);
          /* Once only: the hit is in view now, or as near as it gets. */
          self->reveal_hit_pending = FALSE;
        }
      if (self->pinch_h_pending)
        {
          /* Sideways too, now that the new width is laid out. */
          GtkAdjustment *h = gtk_scrolled_window_get_hadjustment (self->scrolled_window);

          self->pinch_h_pending = FALSE;
          gtk_adjustment_set_value (h, self->pinch_h_fraction * gtk_adjustment_get_upper (h) - self->pinch_x);
        }
    }
  else if (self->follow_scroll > 0)
    {
      /* As for a "go to": the rows are where the scroll put them after one layout. */
      if (--self->follow_scroll > 0)
        return G_SOURCE_CONTINUE;
      update_current_page (self);
    }

  self->tick_id = 0;
  return G_SOURCE_REMOVE;
}

static void
docket_document_view_queue_tick (DocketDocumentView *self)
{
  if (self->tick_id == 0)
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self->page_view), layout_tick, self, NULL);
}

void
_docket_document_view_scroll_to_page (DocketDocumentView *self,
                guint               index,
                double              fraction)
{
  self->target_pending = TRUE;
  self->target_page = index;
  self->target_fraction = CLAMP (fraction, 0.0, 1.0);
  self->target_offset = 0;
  self->target_attempts = 0;
  docket_document_view_queue_tick (self);
  _docket_document_view_update_actions (self);
}

static void
on_scrolled (DocketDocumentView *self,
             GtkAdjustment      *adjustment)
{
  /* Our own scrolling, and the page view's adjustments while it lays out, are not the
   * reader moving. */
  if (self->document == NULL || self->target_pending ||
      fabs (gtk_adjustment_get_value (adjustment) - self->settled_value) < 1)
    return;
  /* The render queue renders ahead of the reader, the way the pages move. */
  docket_render_queue_scrolled (docket_render_queue_for_document (self->document),
                                gtk_adjustment_get_value (adjustment) > self->settled_value ? 1 : -1);
  /* Counted from the first scroll of a run, not the last: moved every frame (a flick,
   * the scrollbar dragged, a key held), the indicator still follows, a layout behind. */
  if (self->follow_scroll == 0)
    self->follow_scroll = 2;
  docket_document_view_queue_tick (self);
}

/* The reader scrolling moves the current page (docket-document-view.c's init). */
void
_docket_document_view_init_scroll (DocketDocumentView *self)
{
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->scrolled_window), "value-changed",
                           G_CALLBACK (on_scrolled), self, G_CONNECT_SWAPPED);
}
