/* docket-document-view.c: a PDF's pages, rendered in worker threads, scrollable */

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "docket-document-view.h"
#include "docket-accessible.h"
#include "docket-resources.h"
#include "docket-annotation-toolbar.h"
#include "docket-annotations-panel.h"
#include "docket-annotator.h"
#include "docket-page-widget.h"
#include "docket-render-queue.h"
#include "docket-pdf-find.h"
#include "docket-pdf-outline.h"
#include "docket-pdf-signature.h"
#include "docket-pdf-thumbnailer.h"
#include "docket-thumbnail.h"

struct _DocketDocumentView
{
  AdwBin                   parent_instance;

  /* Template widgets */
  GtkStack                *stack;
  GtkSpinner              *spinner;
  guint                    spinner_id;    /* starts the spinner of a slow load */
  AdwStatusPage           *error_page;
  GtkScrolledWindow       *scrolled_window;
  GtkGridView             *page_view;
  GtkMenuButton           *zoom_button;
  GtkMenuButton           *page_button;
  GtkPopover              *go_to_popover;
  GtkEntry                *page_entry;
  GtkLabel                *page_error;
  AdwFlap                 *flap;
  GtkRevealer             *annotation_revealer;
  GtkStack                *sidebar_stack;
  GtkListView             *thumbnail_view;
  GtkStackPage            *outline_page;
  GtkListView             *outline_view;
  GtkStackPage            *annotations_page;
  AdwBin                  *annotations_slot;
  /* Annotating (U): shared by the pages, the toolbar and the panel; owned */
  DocketAnnotator         *annotator;
  GtkSearchBar            *find_bar;
  GtkSearchEntry          *find_entry;
  GtkLabel                *find_count;
  GtkRevealer             *signature_revealer;
  GtkImage                *signature_icon;
  GtkLabel                *signature_label;
  GtkBox                  *signature_list;

  /* Owned */
  DocketPdfDocument       *document;
  GCancellable            *cancellable;   /* of the load (and lookup) in flight */
  DocketDocumentViewState  state;
  DocketDocument          *cached_document; /* the cache's document open, or NULL */
  DocketReaderMemory      *memory;        /* where documents were left, or NULL */

  /* Opening: the PDF loads while the reader memory is read; the pages are shown when
   * both are there. */
  DocketPdfDocument       *loaded;        /* loaded, waiting for the lookup */
  char                    *path;          /* its file */
  gboolean                 lookup_pending;
  int                      open_page;     /* the page to open at, or -1 */
  DocketZoomMode           open_zoom_mode;
  double                   open_zoom_scale;
  char                    *open_find_text;
  guint                    save_id;       /* the timeout that remembers where we are */

  /* What comes with an open document: the sidebar's models, its signatures */
  GCancellable            *extras_cancellable;
  DocketPdfThumbnailer    *thumbnailer;
  GtkSingleSelection      *thumbnail_selection;
  GListModel              *signatures;    /* DocketPdfSignature, or NULL */

  /* Find */
  DocketPdfFind           *find;
  DocketPdfPageTexts      *page_texts;    /* the pages' text, kept for the next search */
  int                      find_current;  /* the current hit, in document order, or -1 */
  guint                    find_current_page; /* its page */
  guint                    find_start_page;
  gboolean                 reveal_hit_pending; /* to look again once the scroll is done */

  /* Reading comfort */
  gboolean                 night_mode;
  gboolean                 sidebar_visible;
  gboolean                 annotating;    /* the annotation tools are shown */
  GSettings               *settings;      /* NULL when the schema is not installed */

  /* Pinch: where the fingers are, on which page, at what zoom it began */
  double                   pinch_start_scale;
  guint                    pinch_page;
  double                   pinch_fraction;
  double                   pinch_y;
  double                   pinch_x;
  double                   pinch_h_fraction; /* of the pages' width, under the fingers */
  gboolean                 pinch_h_pending;  /* to bring back under them once laid out */

  /* Zoom */
  DocketZoomMode           zoom_mode;
  double                   zoom_scale;    /* of DOCKET_ZOOM_FIXED */
  double                   scroll_zoom;   /* Ctrl+scroll not yet turned into a step */

  /* Where the reader is */
  guint                    current_page;
  guint                    tick_id;       /* the layout_tick callback, while one is due */
  gboolean                 target_pending;
  guint                    target_page;   /* a page being brought into view... */
  double                   target_fraction; /* ...with this fraction of it... */
  double                   target_offset; /* ...this many pixels below the top of the view */
  guint                    target_attempts;
  guint                    follow_scroll; /* ticks until the current page is recomputed, or 0 */
  double                   settled_value; /* the scroll position the current page was computed at */
};

G_DEFINE_FINAL_TYPE (DocketDocumentView, docket_document_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STATE,
  PROP_CURRENT_PAGE,
  PROP_ZOOM_MODE,
  PROP_ZOOM_SCALE,
  PROP_ZOOM_CHOICE,
  PROP_NIGHT_MODE,
  PROP_SIDEBAR_VISIBLE,
  PROP_ANNOTATING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* What a document opens at when the reader memory has nothing for it: as in Papers. */
#define DEFAULT_ZOOM_MODE DOCKET_ZOOM_AUTOMATIC

/* The fixed zoom steps, from 50 % to 400 %. */
static const double zoom_levels[] = { 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0 };
#define ZOOM_MIN (zoom_levels[0])
#define ZOOM_MAX (zoom_levels[G_N_ELEMENTS (zoom_levels) - 1])

/* How many frames a "go to page" may take to settle before it gives up. */
#define MAX_SCROLL_ATTEMPTS 10

/* How long a document may take to load before the spinner shows. */
#define SPINNER_DELAY_MS 300

static void docket_document_view_update_actions (DocketDocumentView *self);
static void docket_document_view_update_labels  (DocketDocumentView *self);
static void docket_document_view_queue_tick     (DocketDocumentView *self);
static void change_zoom                         (DocketDocumentView *self,
                                                 DocketZoomMode      mode,
                                                 double              scale,
                                                 guint               anchor,
                                                 double              fraction,
                                                 double              offset);
static void update_page_highlights              (DocketDocumentView *self,
                                                 DocketPageWidget   *widget);
static void sync_thumbnail_selection            (DocketDocumentView *self);
static void scroll_to_current_hit               (DocketDocumentView *self);
static void show_document                       (DocketDocumentView *self);
static void start_find                          (DocketDocumentView *self,
                                                 const char         *text,
                                                 int                 page);

static void
start_spinner (gpointer data)
{
  DocketDocumentView *self = data;

  self->spinner_id = 0;
  gtk_spinner_set_spinning (self->spinner, TRUE);
}

static void
docket_document_view_set_state (DocketDocumentView      *self,
                                DocketDocumentViewState  state)
{
  const char *names[] = { "loading", "loading", "pages", "error" };

  /* Most documents open in a few tens of milliseconds: a spinner would only flash, and
   * its frames would hold up the pages'. It shows when a load takes longer. */
  g_clear_handle_id (&self->spinner_id, g_source_remove);
  gtk_spinner_set_spinning (self->spinner, FALSE);
  if (state == DOCKET_DOCUMENT_VIEW_LOADING)
    self->spinner_id = g_timeout_add_once (SPINNER_DELAY_MS, start_spinner, self);
  gtk_stack_set_visible_child_name (self->stack, names[state]);

  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  docket_document_view_update_actions (self);
}

/* Page widgets and where they are */

/* The height a page and its margin may take to be seen whole: the view's, less what its
 * row adds around it (the style sheet's padding, measured on a row laid out). */
static int
view_height (DocketDocumentView *self)
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
static GPtrArray *
list_page_widgets (DocketDocumentView *self)
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

static DocketPageWidget *
find_page_widget (DocketDocumentView *self,
                  guint               index)
{
  g_autoptr(GPtrArray) widgets = list_page_widgets (self);

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
static gboolean
page_widget_top (DocketDocumentView *self,
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
static void
save_view_state (DocketDocumentView *self)
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
  save_view_state (self);
  return G_SOURCE_REMOVE;
}

/* Soon after the official stops moving, so that a killed app still opens where they
 * were; a page turned every second costs one small write. */
static void
queue_save_view_state (DocketDocumentView *self)
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
  docket_document_view_update_labels (self);
  docket_document_view_update_actions (self);
  queue_save_view_state (self);
  sync_thumbnail_selection (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_PAGE]);
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

  widgets = list_page_widgets (self);
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
  DocketPageWidget *widget = find_page_widget (self, self->target_page);
  double value = gtk_adjustment_get_value (adjustment);
  double top, wanted;

  /* The first tick comes before the layout that follows the request (a new zoom, say):
   * where rows are then is where they were, so wait for one layout. */
  if (++self->target_attempts == 1)
    return FALSE;
  if (self->target_attempts > MAX_SCROLL_ATTEMPTS)
    return TRUE;

  if (widget == NULL || !page_widget_top (self, widget, &top))
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
          scroll_to_current_hit (self);
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

static void
scroll_to_page (DocketDocumentView *self,
                guint               index,
                double              fraction)
{
  self->target_pending = TRUE;
  self->target_page = index;
  self->target_fraction = CLAMP (fraction, 0.0, 1.0);
  self->target_offset = 0;
  self->target_attempts = 0;
  docket_document_view_queue_tick (self);
  docket_document_view_update_actions (self);
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

/* Zoom */

/* How wide the pages' rows will be. While a document loads the stack shows the spinner
 * and the list keeps its last width (none, the first time): the stack's, less the
 * sidebar when it sits beside the pages. */
static int
predicted_row_width (DocketDocumentView *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self->stack));
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  /* Not laid out yet (a view shown with its first document): about the window's. */
  if (width <= 0 && root != NULL)
    width = gtk_widget_get_width (GTK_WIDGET (root));

  if (adw_flap_get_reveal_flap (self->flap) && !adw_flap_get_folded (self->flap))
    {
      GtkWidget *separator = adw_flap_get_separator (self->flap);

      width -= gtk_widget_get_width (adw_flap_get_flap (self->flap));
      if (separator != NULL)
        width -= gtk_widget_get_width (separator);
    }
  return width;
}

/* The zoom's three faces (its mode, its scale, the menu's choice) change together. */
static void
notify_zoom (DocketDocumentView *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM_MODE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM_SCALE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM_CHOICE]);
}

/* The scale the current page is shown at, whatever the mode. */
static double
effective_scale (DocketDocumentView *self)
{
  DocketPageWidget *widget;
  double width_pt = 0, height_pt = 0;
  int display_width;

  if (self->zoom_mode == DOCKET_ZOOM_FIXED || self->document == NULL)
    return self->zoom_scale;

  widget = find_page_widget (self, self->current_page);
  if (!docket_pdf_document_get_page_size (self->document, self->current_page, &width_pt, &height_pt) ||
      width_pt <= 0)
    return 1.0;
  if (widget != NULL && gtk_widget_get_width (GTK_WIDGET (widget)) > 0)
    display_width = docket_page_widget_get_display_width (widget);
  else
    /* Not laid out yet (the document has just opened): as its row will show it. */
    display_width = docket_page_widget_compute_display_width (self->zoom_mode, self->zoom_scale, width_pt, height_pt,
                                                              predicted_row_width (self), view_height (self));
  return display_width / (width_pt * DOCKET_PAGE_WIDGET_PIXELS_PER_POINT);
}

static void
apply_zoom (DocketPageWidget   *widget,
            DocketDocumentView *self)
{
  docket_page_widget_set_zoom (widget, self->zoom_mode, self->zoom_scale, view_height (self));
}

static void
apply_zoom_to_all (DocketDocumentView *self)
{
  g_autoptr(GPtrArray) widgets = list_page_widgets (self);

  g_ptr_array_foreach (widgets, (GFunc) apply_zoom, self);
}

void
docket_document_view_set_zoom (DocketDocumentView *self,
                               DocketZoomMode      mode,
                               double              scale)
{
  DocketPageWidget *widget;
  double fraction = 0, top;
  guint anchor;

  g_return_if_fail (DOCKET_IS_DOCUMENT_VIEW (self));

  scale = CLAMP (scale, ZOOM_MIN, ZOOM_MAX);
  if (mode == self->zoom_mode && (mode != DOCKET_ZOOM_FIXED || G_APPROX_VALUE (scale, self->zoom_scale, 1e-9)))
    return;

  /* Keep the page being read in view, at the same place of the page (or the page on its
   * way to the top, if a "go to" has not finished yet). */
  if (self->target_pending)
    {
      anchor = self->target_page;
      fraction = self->target_fraction;
    }
  else
    {
      anchor = self->current_page;
      widget = self->document != NULL ? find_page_widget (self, anchor) : NULL;
      if (widget != NULL && page_widget_top (self, widget, &top) && top < 0)
        fraction = -top / gtk_widget_get_height (GTK_WIDGET (widget));
    }

  change_zoom (self, mode, scale, anchor, fraction, 0);
}

/* Applies a zoom, and brings the point `fraction` down page `anchor` to `offset` pixels
 * below the top of the view. */
static void
change_zoom (DocketDocumentView *self,
             DocketZoomMode      mode,
             double              scale,
             guint               anchor,
             double              fraction,
             double              offset)
{
  self->zoom_mode = mode;
  if (mode == DOCKET_ZOOM_FIXED)
    self->zoom_scale = scale;
  apply_zoom_to_all (self);
  if (self->document != NULL)
    {
      scroll_to_page (self, anchor, fraction);
      self->target_offset = offset;
    }

  docket_document_view_update_labels (self);
  docket_document_view_update_actions (self);
  queue_save_view_state (self);
  notify_zoom (self);
}

static void
zoom_step (DocketDocumentView *self,
           int                 direction)
{
  double current = effective_scale (self);

  if (direction > 0)
    {
      for (guint i = 0; i < G_N_ELEMENTS (zoom_levels); i++)
        if (zoom_levels[i] > current + 0.005)
          {
            docket_document_view_set_zoom (self, DOCKET_ZOOM_FIXED, zoom_levels[i]);
            return;
          }
    }
  else
    {
      for (guint i = G_N_ELEMENTS (zoom_levels); i > 0; i--)
        if (zoom_levels[i - 1] < current - 0.005)
          {
            docket_document_view_set_zoom (self, DOCKET_ZOOM_FIXED, zoom_levels[i - 1]);
            return;
          }
    }
}

static void
on_view_resized (DocketDocumentView *self)
{
  /* "Fit page" follows the view's height, and so do slides at the automatic zoom. */
  if (self->zoom_mode == DOCKET_ZOOM_FIT_PAGE || self->zoom_mode == DOCKET_ZOOM_AUTOMATIC)
    apply_zoom_to_all (self);
}

static gboolean
on_scroll (DocketDocumentView       *self,
           double                    dx,
           double                    dy,
           GtkEventControllerScroll *controller)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));

  if ((state & GDK_CONTROL_MASK) == 0 || self->document == NULL)
    return FALSE;

  /* A wheel gives whole steps, a touchpad small ones: a zoom step per unit. */
  self->scroll_zoom += dy;
  while (self->scroll_zoom <= -1)
    {
      zoom_step (self, +1);
      self->scroll_zoom += 1;
    }
  while (self->scroll_zoom >= 1)
    {
      zoom_step (self, -1);
      self->scroll_zoom -= 1;
    }
  return TRUE;
}

/* Pinch: the zoom follows the fingers, continuously between the smallest and the largest
 * step, and the point between them stays where it is. */

static void
on_pinch_begin (DocketDocumentView *self,
                GdkEventSequence   *sequence,
                GtkGesture         *gesture)
{
  g_autoptr(GPtrArray) widgets = NULL;
  double x = 0, y = 0;

  if (self->document == NULL)
    {
      gtk_gesture_set_state (gesture, GTK_EVENT_SEQUENCE_DENIED);
      return;
    }

  /* Between the fingers; the middle of the view when the gesture has no points to ask
   * (an emulated pinch). */
  if (!gtk_gesture_is_active (gesture) || !gtk_gesture_get_bounding_box_center (gesture, &x, &y))
    {
      x = gtk_widget_get_width (GTK_WIDGET (self->scrolled_window)) / 2.0;
      y = gtk_widget_get_height (GTK_WIDGET (self->scrolled_window)) / 2.0;
    }
  self->pinch_start_scale = effective_scale (self);
  self->pinch_page = self->current_page;
  self->pinch_fraction = 0;
  self->pinch_y = y;
  self->pinch_x = x;
  {
    GtkAdjustment *h = gtk_scrolled_window_get_hadjustment (self->scrolled_window);

    self->pinch_h_fraction = gtk_adjustment_get_upper (h) > 0
                               ? (gtk_adjustment_get_value (h) + x) / gtk_adjustment_get_upper (h)
                               : 0.5;
  }

  /* The page under the fingers, and how far down it they are. */
  widgets = list_page_widgets (self);
  for (guint i = 0; i < widgets->len; i++)
    {
      DocketPageWidget *widget = g_ptr_array_index (widgets, i);
      double top;
      int height = gtk_widget_get_height (GTK_WIDGET (widget));

      if (height > 0 && page_widget_top (self, widget, &top) && top <= y && y < top + height)
        {
          self->pinch_page = docket_pdf_page_get_index (docket_page_widget_get_page (widget));
          self->pinch_fraction = (y - top) / height;
          break;
        }
    }
}

static void
on_pinch_scale_changed (DocketDocumentView *self,
                        double              scale,
                        GtkGestureZoom     *gesture)
{
  double wanted;

  if (self->document == NULL || self->pinch_start_scale <= 0)
    return;

  wanted = CLAMP (self->pinch_start_scale * scale, ZOOM_MIN, ZOOM_MAX);
  /* Below a percent the eye sees no difference, and each change lays the pages out. */
  if (self->zoom_mode == DOCKET_ZOOM_FIXED && fabs (wanted - self->zoom_scale) < 0.01 * self->zoom_scale)
    return;
  change_zoom (self, DOCKET_ZOOM_FIXED, wanted, self->pinch_page, self->pinch_fraction, self->pinch_y);
  self->pinch_h_pending = TRUE;
}

/* Labels and actions */

static void
docket_document_view_update_labels (DocketDocumentView *self)
{
  g_autofree char *zoom = NULL;
  g_autofree char *page = NULL;

  if (self->zoom_mode == DOCKET_ZOOM_AUTOMATIC)
    /* Translators: the zoom that fits the page to the screen as the reader thinks best */
    zoom = g_strdup (_("Automatic"));
  else if (self->zoom_mode == DOCKET_ZOOM_FIT_WIDTH)
    zoom = g_strdup (_("Fit Width"));
  else if (self->zoom_mode == DOCKET_ZOOM_FIT_PAGE)
    zoom = g_strdup (_("Fit Page"));
  else
    /* Translators: a zoom level, as in "150%" */
    zoom = g_strdup_printf (_("%d%%"), (int) (self->zoom_scale * 100 + 0.5));
  gtk_menu_button_set_label (self->zoom_button, zoom);

  if (self->document != NULL)
    page = g_strdup_printf (_("Page %u of %u"), self->current_page + 1,
                            docket_pdf_document_get_n_pages (self->document));
  else
    /* Not empty: a screen reader would say the label's type name. */
    page = g_strdup (_("Go to Page"));
  gtk_menu_button_set_label (self->page_button, page);
}

static void
docket_document_view_update_actions (DocketDocumentView *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean ready = self->state == DOCKET_DOCUMENT_VIEW_READY && self->document != NULL;
  guint n_pages = ready ? docket_pdf_document_get_n_pages (self->document) : 0;
  double scale = ready ? effective_scale (self) : 1.0;
  /* Where the reader is going, if a "go to" is under way. */
  guint current = self->target_pending ? self->target_page : self->current_page;

  gtk_widget_action_set_enabled (widget, "view.zoom-in", ready && scale < ZOOM_MAX - 0.005);
  gtk_widget_action_set_enabled (widget, "view.zoom-out", ready && scale > ZOOM_MIN + 0.005);
  gtk_widget_action_set_enabled (widget, "view.zoom-automatic", ready);
  gtk_widget_action_set_enabled (widget, "view.zoom-fit-width", ready);
  gtk_widget_action_set_enabled (widget, "view.zoom-fit-page", ready);
  gtk_widget_action_set_enabled (widget, "view.set-zoom", ready);
  gtk_widget_action_set_enabled (widget, "view.go-to-page", ready);
  gtk_widget_action_set_enabled (widget, "view.previous-page", ready && current > 0);
  gtk_widget_action_set_enabled (widget, "view.next-page", ready && current + 1 < n_pages);
  gtk_widget_action_set_enabled (widget, "view.first-page", ready);
  gtk_widget_action_set_enabled (widget, "view.last-page", ready);
}

static void
zoom_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DocketDocumentView *self = DOCKET_DOCUMENT_VIEW (widget);

  if (g_str_equal (action_name, "view.zoom-in"))
    zoom_step (self, +1);
  else if (g_str_equal (action_name, "view.zoom-out"))
    zoom_step (self, -1);
  else if (g_str_equal (action_name, "view.zoom-automatic"))
    docket_document_view_set_zoom (self, DOCKET_ZOOM_AUTOMATIC, self->zoom_scale);
  else if (g_str_equal (action_name, "view.zoom-fit-width"))
    docket_document_view_set_zoom (self, DOCKET_ZOOM_FIT_WIDTH, self->zoom_scale);
  else if (g_str_equal (action_name, "view.zoom-fit-page"))
    docket_document_view_set_zoom (self, DOCKET_ZOOM_FIT_PAGE, self->zoom_scale);
}

/* The zoom menu's choice (the "zoom-choice" property, whose action is view.set-zoom):
 * "automatic", "fit-width", "fit-page", or one of its steps ("1.5"); "" at a scale
 * between the steps (a pinch, Ctrl+scroll), where no item is checked. */
static char *
get_zoom_choice (DocketDocumentView *self)
{
  char text[G_ASCII_DTOSTR_BUF_SIZE];

  switch (self->zoom_mode)
    {
    case DOCKET_ZOOM_AUTOMATIC:
      return g_strdup ("automatic");
    case DOCKET_ZOOM_FIT_WIDTH:
      return g_strdup ("fit-width");
    case DOCKET_ZOOM_FIT_PAGE:
      return g_strdup ("fit-page");
    case DOCKET_ZOOM_FIXED:
    default:
      for (guint i = 0; i < G_N_ELEMENTS (zoom_levels); i++)
        if (G_APPROX_VALUE (self->zoom_scale, zoom_levels[i], 1e-9))
          return g_strdup (g_ascii_dtostr (text, sizeof text, zoom_levels[i]));
      return g_strdup ("");
    }
}

static void
set_zoom_choice (DocketDocumentView *self,
                 const char         *value)
{
  double scale;
  char *end = NULL;

  if (value == NULL || value[0] == '\0')
    return;
  if (g_str_equal (value, "automatic"))
    docket_document_view_set_zoom (self, DOCKET_ZOOM_AUTOMATIC, self->zoom_scale);
  else if (g_str_equal (value, "fit-width"))
    docket_document_view_set_zoom (self, DOCKET_ZOOM_FIT_WIDTH, self->zoom_scale);
  else if (g_str_equal (value, "fit-page"))
    docket_document_view_set_zoom (self, DOCKET_ZOOM_FIT_PAGE, self->zoom_scale);
  else if ((scale = g_ascii_strtod (value, &end)) > 0 && end != NULL && *end == '\0')
    docket_document_view_set_zoom (self, DOCKET_ZOOM_FIXED, scale);
  else
    g_warning ("Unknown zoom “%s”", value);
}

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

static GMenuModel *
build_zoom_menu (void)
{
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenu) fit = g_menu_new ();
  g_autoptr(GMenu) levels = g_menu_new ();

  g_menu_append (fit, _("Automatic"), "view.set-zoom::automatic");
  g_menu_append (fit, _("Fit Width"), "view.set-zoom::fit-width");
  g_menu_append (fit, _("Fit Page"), "view.set-zoom::fit-page");
  for (guint i = 0; i < G_N_ELEMENTS (zoom_levels); i++)
    {
      g_autofree char *label = g_strdup_printf (_("%d%%"), (int) (zoom_levels[i] * 100 + 0.5));
      g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);
      char target[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_dtostr (target, sizeof target, zoom_levels[i]);
      g_menu_item_set_action_and_target_value (item, "view.set-zoom", g_variant_new_string (target));
      g_menu_append_item (levels, item);
    }
  g_menu_append_section (menu, NULL, G_MENU_MODEL (fit));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (levels));
  return G_MENU_MODEL (menu);
}

static void
show_error (DocketDocumentView *self,
            const char         *title,
            const char         *description)
{
  adw_status_page_set_icon_name (self->error_page, "dialog-warning-symbolic");
  adw_status_page_set_title (self->error_page, title);
  adw_status_page_set_description (self->error_page, description);
  docket_document_view_set_state (self, DOCKET_DOCUMENT_VIEW_FAILED);
}

/* Find in document */

static void
update_find_count (DocketDocumentView *self)
{
  guint n = self->find != NULL ? docket_pdf_find_get_n_hits (self->find) : 0;
  g_autofree char *label = NULL;

  if (self->find == NULL)
    label = g_strdup ("");
  else if (n == 0)
    label = g_strdup (docket_pdf_find_get_finished (self->find) ? _("No matches") : _("Searching…"));
  else if (self->find_current < 0)
    label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u match", "%u matches", n), n);
  else
    /* Translators: the current match and how many there are, "3 of 17" */
    label = g_strdup_printf (_("%u of %u"), (guint) self->find_current + 1, n);
  gtk_label_set_label (self->find_count, label);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "view.find-next", n > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "view.find-previous", n > 0);
}

/* Marks the find hits on a page widget, the current one stronger. */
static void
update_page_highlights (DocketDocumentView *self,
                        DocketPageWidget   *widget)
{
  DocketPdfPage *page = docket_page_widget_get_page (widget);
  guint index, hit_page = 0, first_box = 0;
  GArray *boxes;
  int current = -1;

  if (page == NULL || self->find == NULL)
    {
      docket_page_widget_set_highlights (widget, NULL, -1);
      return;
    }

  index = docket_pdf_page_get_index (page);
  boxes = docket_pdf_find_get_page_boxes (self->find, index);
  if (self->find_current >= 0 &&
      docket_pdf_find_get_hit (self->find, (guint) self->find_current, &hit_page, &first_box, NULL) &&
      hit_page == index)
    current = (int) first_box;
  docket_page_widget_set_highlights (widget, boxes, current);
}

static void
update_all_highlights (DocketDocumentView *self)
{
  g_autoptr(GPtrArray) widgets = list_page_widgets (self);

  for (guint i = 0; i < widgets->len; i++)
    update_page_highlights (self, g_ptr_array_index (widgets, i));
}

/* Brings the current hit into view, unless it is in view already. */
static void
scroll_to_current_hit (DocketDocumentView *self)
{
  guint page = 0, first_box = 0;
  GArray *boxes;
  const graphene_rect_t *box;
  DocketPageWidget *widget;
  double width_pt = 0, height_pt = 0, top, fraction;
  int view = gtk_widget_get_height (GTK_WIDGET (self->scrolled_window));

  if (self->find == NULL || self->find_current < 0 ||
      !docket_pdf_find_get_hit (self->find, (guint) self->find_current, &page, &first_box, NULL) ||
      (boxes = docket_pdf_find_get_page_boxes (self->find, page)) == NULL || first_box >= boxes->len ||
      !docket_pdf_document_get_page_size (self->document, page, &width_pt, &height_pt) || height_pt <= 0)
    return;
  box = &g_array_index (boxes, graphene_rect_t, first_box);

  widget = self->target_pending ? NULL : find_page_widget (self, page);
  if (widget != NULL && page_widget_top (self, widget, &top))
    {
      double scale = docket_page_widget_get_display_height (widget) / height_pt;
      double y = top + DOCKET_PAGE_WIDGET_MARGIN + box->origin.y * scale;
      GtkAdjustment *h = gtk_scrolled_window_get_hadjustment (self->scrolled_window);
      graphene_point_t left;

      /* Zoomed in wider than the view: sideways first, the hit a third in from the left. */
      if (gtk_widget_compute_point (GTK_WIDGET (widget), GTK_WIDGET (self->scrolled_window),
                                    &GRAPHENE_POINT_INIT ((gtk_widget_get_width (GTK_WIDGET (widget)) -
                                                           docket_page_widget_get_display_width (widget)) / 2.0 +
                                                          box->origin.x * scale, 0),
                                    &left) &&
          (left.x < 0 || left.x + box->size.width * scale > gtk_adjustment_get_page_size (h)))
        gtk_adjustment_set_value (h, gtk_adjustment_get_value (h) + left.x - gtk_adjustment_get_page_size (h) / 3);

      if (y >= 0 && y + box->size.height * scale <= view)
        return;
      /* A third down the view, as people read. */
      fraction = (y - top - view / 3.0) / MAX (gtk_widget_get_height (GTK_WIDGET (widget)), 1);
    }
  else
    fraction = box->origin.y / height_pt - 0.1;

  scroll_to_page (self, page, MAX (fraction, 0.0));
  /* Where the hit is sideways is known once its page is laid out there. */
  self->reveal_hit_pending = TRUE;
}

/* Makes hit index (in document order, or -1) the current one. */
static void
set_find_current (DocketDocumentView *self,
                  int                 index)
{
  guint page = 0;

  if (index >= 0 && self->find != NULL &&
      docket_pdf_find_get_hit (self->find, (guint) index, &page, NULL, NULL))
    {
      self->find_current = index;
      self->find_current_page = page;
    }
  else
    self->find_current = -1;
}

static void
on_find_page_found (DocketDocumentView *self,
                    guint               page,
                    guint               n_hits,
                    DocketPdfFind      *find)
{
  DocketPageWidget *widget;

  if (self->find_current < 0)
    {
      /* The search begins at the page asked for, so its first answer holds the first
       * hit on that page or after it. */
      set_find_current (self, docket_pdf_find_get_hit_from (find, self->find_start_page));
      update_all_highlights (self);
      scroll_to_current_hit (self);
    }
  else
    {
      /* Hits of an earlier page (after the search wrapped) come before the current one:
       * the same hit is now further down the list. */
      if (page < self->find_current_page)
        self->find_current += (int) n_hits;
      if ((widget = find_page_widget (self, page)) != NULL)
        update_page_highlights (self, widget);
    }
  update_find_count (self);
}

static void
on_find_finished (DocketDocumentView *self)
{
  update_find_count (self);
}

static void
clear_find (DocketDocumentView *self)
{
  if (self->find != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->find, self);
      docket_pdf_find_cancel (self->find);
      g_clear_object (&self->find);
    }
  self->find_current = -1;
  self->reveal_hit_pending = FALSE;
  if (self->page_view != NULL)
    {
      update_all_highlights (self);
      update_find_count (self);
    }
}

/* Searches the document for text, the first hit on page (or after it) the current one;
 * page < 0: from the current page. */
static void
start_find (DocketDocumentView *self,
            const char         *text,
            int                 page)
{
  clear_find (self);
  if (self->document == NULL || text == NULL || text[0] == '\0')
    return;

  self->find_start_page = page >= 0 ? (guint) page : self->current_page;
  self->find = docket_pdf_find_new (self->document, text, self->find_start_page, self->page_texts);
  g_signal_connect_object (self->find, "page-found", G_CALLBACK (on_find_page_found), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->find, "finished", G_CALLBACK (on_find_finished), self, G_CONNECT_SWAPPED);
  update_find_count (self);
}

/* Opens the find bar with text, and searches. */
static void
show_find (DocketDocumentView *self,
           const char         *text,
           int                 page)
{
  gtk_search_bar_set_search_mode (self->find_bar, TRUE);
  gtk_editable_set_text (GTK_EDITABLE (self->find_entry), text);
  /* The entry's own "search-changed" comes later, with the same text: it is ignored. */
  start_find (self, text, page);
}

static void
on_find_changed (DocketDocumentView *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->find_entry));

  if (self->find != NULL && g_str_equal (text, docket_pdf_find_get_text (self->find)))
    return;
  start_find (self, text, -1);
}

static void
find_step (DocketDocumentView *self,
           int                 direction)
{
  guint n;

  if (self->find == NULL || (n = docket_pdf_find_get_n_hits (self->find)) == 0)
    return;
  if (self->find_current < 0)
    set_find_current (self, docket_pdf_find_get_hit_from (self->find, self->current_page));
  else
    set_find_current (self, (int) (((guint) self->find_current + n + (direction > 0 ? 1 : n - 1)) % n));
  update_all_highlights (self);
  update_find_count (self);
  scroll_to_current_hit (self);
}

static void
on_find_activate (DocketDocumentView *self)
{
  find_step (self, +1);
}

static void
on_find_next_match (DocketDocumentView *self)
{
  find_step (self, +1);
}

static void
on_find_previous_match (DocketDocumentView *self)
{
  find_step (self, -1);
}

static void
on_find_stop (DocketDocumentView *self)
{
  gtk_search_bar_set_search_mode (self->find_bar, FALSE);
}

static void
on_find_bar_toggled (DocketDocumentView *self)
{
  if (gtk_search_bar_get_search_mode (self->find_bar))
    return;
  /* Closed: the marks go, and reading goes on with the keyboard. */
  clear_find (self);
  gtk_editable_set_text (GTK_EDITABLE (self->find_entry), "");
  if (self->state == DOCKET_DOCUMENT_VIEW_READY && gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_widget_grab_focus (GTK_WIDGET (self->page_view));
}

static void
find_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DocketDocumentView *self = DOCKET_DOCUMENT_VIEW (widget);

  if (g_str_equal (action_name, "view.find"))
    {
      gtk_search_bar_set_search_mode (self->find_bar, TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->find_entry));
      gtk_editable_select_region (GTK_EDITABLE (self->find_entry), 0, -1);
    }
  else
    find_step (self, g_str_equal (action_name, "view.find-next") ? +1 : -1);
}

/* The sidebar: thumbnails and outline */

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
  DocketDocumentView *self = user_data;
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
on_thumbnail_activate (DocketDocumentView *self,
                       guint               position)
{
  docket_document_view_go_to_page (self, position);
}

/* The thumbnail of the page being read is the selected one, in view in the sidebar. */
static void
sync_thumbnail_selection (DocketDocumentView *self)
{
  guint page;

  if (self->thumbnail_selection == NULL)
    return;
  page = self->target_pending ? self->target_page : self->current_page;
  if (gtk_single_selection_get_selected (self->thumbnail_selection) != page)
    gtk_single_selection_set_selected (self->thumbnail_selection, page);
  if (self->sidebar_visible)
    gtk_widget_activate_action (GTK_WIDGET (self->thumbnail_view), "list.scroll-to-item", "u", page);
}

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
on_outline_activate (DocketDocumentView *self,
                     guint               position)
{
  GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (self->outline_view));
  g_autoptr(GtkTreeListRow) row = model != NULL ? g_list_model_get_item (model, position) : NULL;
  g_autoptr(DocketPdfOutline) entry = NULL;

  if (row == NULL)
    return;
  entry = gtk_tree_list_row_get_item (row);
  if (docket_pdf_outline_get_page (entry) >= 0)
    docket_document_view_go_to_page (self, (guint) docket_pdf_outline_get_page (entry));
}

static void
on_outline_loaded (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(DocketDocumentView) self = user_data;
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

/* Signatures */

/* Who vouches for the signer: what the certificate's check says, in a sentence. */
static const char *
describe_certificate (DocketPdfCertificateStatus status)
{
  switch (status)
    {
    case DOCKET_PDF_CERTIFICATE_TRUSTED:
      return _("The signer's certificate is trusted.");
    case DOCKET_PDF_CERTIFICATE_UNTRUSTED:
      return _("The signer's certificate is not from an authority this computer trusts.");
    case DOCKET_PDF_CERTIFICATE_EXPIRED:
      return _("The signer's certificate had expired.");
    case DOCKET_PDF_CERTIFICATE_REVOKED:
      return _("The signer's certificate was revoked.");
    case DOCKET_PDF_CERTIFICATE_UNKNOWN:
    default:
      return _("The signer's certificate could not be checked.");
    }
}

static char *
describe_signature (DocketPdfSignature *signature)
{
  const char *signer = docket_pdf_signature_get_signer (signature);
  GDateTime *time = docket_pdf_signature_get_time (signature);
  /* The date and time as the official's locale writes them. */
  g_autofree char *when = time != NULL ? g_date_time_format (time, "%x %X") : NULL;
  const char *status, *certificate;

  switch (docket_pdf_signature_get_status (signature))
    {
    case DOCKET_PDF_SIGNATURE_VALID:
      status = _("The signature is valid: the document has not changed since it was signed.");
      break;
    case DOCKET_PDF_SIGNATURE_MODIFIED:
      status = _("The document was changed after it was signed.");
      break;
    case DOCKET_PDF_SIGNATURE_UNCHECKED:
      status = _("The signature could not be checked.");
      break;
    case DOCKET_PDF_SIGNATURE_INVALID:
    default:
      status = _("The signature is not valid.");
      break;
    }
  certificate = describe_certificate (docket_pdf_signature_get_certificate_status (signature));

  if (signer[0] == '\0')
    signer = _("Unknown signer");
  if (when != NULL)
    {
      /* Translators: %s is a date and time */
      g_autofree char *signed_on = g_strdup_printf (_("Signed on %s"), when);
      return g_strdup_printf ("%s\n%s\n%s\n%s", signer, signed_on, status, certificate);
    }
  return g_strdup_printf ("%s\n%s\n%s", signer, status, certificate);
}

static void
on_signatures_loaded (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(DocketDocumentView) self = user_data;
  g_autoptr(GListModel) signatures = NULL;
  g_autoptr(GError) error = NULL;
  guint n, n_valid = 0, n_modified = 0, n_unchecked = 0, n_trusted = 0;
  g_autofree char *summary = NULL;
  GtkWidget *child;

  signatures = docket_pdf_signature_load_finish (DOCKET_PDF_DOCUMENT (source), result, &error);
  if (signatures == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not check the document's signatures: %s", error->message);
      return;
    }
  if (self->document != DOCKET_PDF_DOCUMENT (source) || (n = g_list_model_get_n_items (signatures)) == 0)
    return;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->signature_list))) != NULL)
    gtk_box_remove (self->signature_list, child);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DocketPdfSignature) signature = g_list_model_get_item (signatures, i);
      g_autofree char *text = describe_signature (signature);
      GtkWidget *label = gtk_label_new (text);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 48);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_box_append (self->signature_list, label);

      n_valid += docket_pdf_signature_get_status (signature) == DOCKET_PDF_SIGNATURE_VALID;
      n_modified += docket_pdf_signature_get_status (signature) == DOCKET_PDF_SIGNATURE_MODIFIED;
      n_unchecked += docket_pdf_signature_get_status (signature) == DOCKET_PDF_SIGNATURE_UNCHECKED;
      n_trusted += docket_pdf_signature_get_certificate_status (signature) == DOCKET_PDF_CERTIFICATE_TRUSTED;
    }

  if (n_modified > 0)
    summary = g_strdup (_("This document was changed after it was signed."));
  else if (n_unchecked > 0 && n_valid + n_unchecked == n)
    summary = g_strdup (_("This document is signed, but its signatures could not be checked."));
  else if (n_valid < n)
    summary = g_strdup (n == 1 ? _("The signature of this document is not valid.")
                               : _("Some signatures of this document are not valid."));
  else if (n == 1)
    {
      g_autoptr(DocketPdfSignature) signature = g_list_model_get_item (signatures, 0);
      const char *signer = docket_pdf_signature_get_signer (signature);

      /* Translators: %s is the name of the person who signed */
      g_autofree char *valid = g_strdup_printf (_("Signed by %s. The signature is valid."),
                                                signer[0] != '\0' ? signer : _("Unknown signer"));

      /* Valid says the document is as signed; who vouches for the signer is the other
       * half, and a self-made certificate vouches for nobody. */
      summary = g_strjoin (" ", valid,
                           describe_certificate (docket_pdf_signature_get_certificate_status (signature)), NULL);
    }
  else
    {
      g_autofree char *valid = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Signed by %u person. Every signature is valid.",
                                                             "Signed by %u people. Every signature is valid.", n), n);

      summary = g_strjoin (" ", valid,
                           n_trusted == n ? _("Every signer's certificate is trusted.")
                                          : _("Not every signer's certificate is from an authority this computer trusts."),
                           NULL);
    }

  gtk_label_set_label (self->signature_label, summary);
  gtk_image_set_from_icon_name (self->signature_icon,
                                n_valid == n && n_trusted == n ? "security-high-symbolic" : "dialog-warning-symbolic");
  gtk_widget_remove_css_class (GTK_WIDGET (self->signature_label), "error");
  if (n_valid < n)
    gtk_widget_add_css_class (GTK_WIDGET (self->signature_label), "error");
  g_set_object (&self->signatures, signatures);
  gtk_revealer_set_reveal_child (self->signature_revealer, TRUE);
}

/* Reading comfort: night mode, the sidebar */

static void
set_night_mode (DocketDocumentView *self,
                gboolean            night_mode)
{
  night_mode = !!night_mode;
  if (self->night_mode == night_mode)
    return;
  self->night_mode = night_mode;
  /* Pages inverted by the style sheet: white paper goes dark, text light. */
  if (night_mode)
    gtk_widget_add_css_class (GTK_WIDGET (self->page_view), "docket-night");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->page_view), "docket-night");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NIGHT_MODE]);
}

/* The thumbnails' rows are made when the sidebar is first shown: a list view binds a
 * couple of hundred rows when it gets its model, time the opening of a document does not
 * spend on a sidebar nobody looks at. */
static void
fill_thumbnails (DocketDocumentView *self)
{
  if (!self->sidebar_visible || self->document == NULL || self->thumbnail_selection != NULL)
    return;

  self->thumbnail_selection = gtk_single_selection_new (g_object_ref (docket_pdf_document_get_pages (self->document)));
  gtk_single_selection_set_autoselect (self->thumbnail_selection, FALSE);
  gtk_list_view_set_model (self->thumbnail_view, GTK_SELECTION_MODEL (self->thumbnail_selection));
}

static void
set_sidebar_visible (DocketDocumentView *self,
                     gboolean            visible)
{
  visible = !!visible;
  if (self->sidebar_visible == visible)
    return;
  self->sidebar_visible = visible;
  fill_thumbnails (self);
  if (visible)
    sync_thumbnail_selection (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIDEBAR_VISIBLE]);
}

/* Annotating is a mode, as in Papers: its tools show over the top of the pages, and
 * leaving it puts the pointer back to selecting, so that a drag selects text again
 * rather than drawing. */
static void
set_annotating (DocketDocumentView *self,
                gboolean            annotating)
{
  annotating = !!annotating;
  if (self->annotating == annotating)
    return;
  self->annotating = annotating;
  if (!annotating && self->annotator != NULL)
    docket_annotator_set_tool (self->annotator, DOCKET_ANNOTATION_TOOL_SELECT);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ANNOTATING]);
}

/* A drawing tool chosen (annot.tool, from anywhere) shows the tools it belongs to. */
static void
on_tool_chosen (DocketDocumentView *self)
{
  if (docket_annotator_get_tool (self->annotator) != DOCKET_ANNOTATION_TOOL_SELECT)
    set_annotating (self, TRUE);
}

static void
show_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  docket_document_view_go_to_page (DOCKET_DOCUMENT_VIEW (widget), g_variant_get_uint32 (parameter));
}

/* A document that cannot be shown says why, and what the official can do. */
static void
show_document_error (DocketDocumentView *self,
                     const GError       *error)
{
  if (g_error_matches (error, DOCKET_PDF_ERROR, DOCKET_PDF_ERROR_ENCRYPTED))
    {
      show_error (self, _("This Document Is Protected by a Password"),
                  _("Docket cannot open documents that need a password. Ask the meeting's "
                    "secretary for a copy without a password."));
      adw_status_page_set_icon_name (self->error_page, "channel-secure-symbolic");
    }
  else if (g_error_matches (error, DOCKET_PDF_ERROR, DOCKET_PDF_ERROR_DAMAGED))
    {
      g_autofree char *description =
        /* Translators: %s says what is wrong with the file, from the PDF library */
        g_strdup_printf (_("%s Ask the meeting's secretary for a new copy of it."), error->message);
      /* The title test-ui and the officials know; the description says what happened. */
      show_error (self, _("This Document Cannot Be Shown"), description);
    }
  else
    /* A file that cannot be read (removed, permissions...) is not the file's fault. */
    show_error (self, _("This Document Cannot Be Shown"), error->message);
}

static void
setup_page (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            gpointer                  user_data)
{
  DocketDocumentView *self = user_data;
  GtkWidget *widget = docket_page_widget_new ();

  apply_zoom (DOCKET_PAGE_WIDGET (widget), self);
  docket_page_widget_set_annotator (DOCKET_PAGE_WIDGET (widget), self->annotator);
  gtk_list_item_set_child (list_item, widget);
  gtk_list_item_set_activatable (list_item, FALSE);
}

/* What a screen reader says of a page's row: "Page 3 of 38". */
static void
name_page_row (DocketDocumentView *self,
               DocketPageWidget   *widget)
{
  DocketPdfPage *page = docket_page_widget_get_page (widget);
  g_autofree char *name = NULL;

  if (page == NULL || self->document == NULL)
    return;
  name = g_strdup_printf (_("Page %u of %u"), docket_pdf_page_get_index (page) + 1,
                          docket_pdf_document_get_n_pages (self->document));
  docket_accessible_label_list_row (GTK_WIDGET (widget), name);
}

static void
bind_page (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  user_data)
{
  DocketDocumentView *self = user_data;
  DocketPageWidget *widget = DOCKET_PAGE_WIDGET (gtk_list_item_get_child (list_item));

  /* The zoom may have changed while the row was out of use. */
  apply_zoom (widget, self);
  docket_page_widget_set_page (widget, self->document, gtk_list_item_get_item (list_item));
  update_page_highlights (self, widget);
  name_page_row (self, widget);
}

static void
unbind_page (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             gpointer                  user_data)
{
  /* Cancels the page's rendering if it has not come yet. */
  docket_page_widget_set_page (DOCKET_PAGE_WIDGET (gtk_list_item_get_child (list_item)), NULL, NULL);
  docket_page_widget_set_highlights (DOCKET_PAGE_WIDGET (gtk_list_item_get_child (list_item)), NULL, -1);
}

static void
on_document_loaded (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(DocketDocumentView) self = user_data;
  g_autoptr(DocketPdfDocument) document = NULL;
  g_autoptr(GError) error = NULL;

  document = docket_pdf_document_load_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (document == NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
      self->lookup_pending = FALSE;
      show_document_error (self, error);
      return;
    }

  self->loaded = g_steal_pointer (&document);
  if (!self->lookup_pending)
    show_document (self);
}

/* The reader memory answered: where this document was left, if it was. */
static void
on_lookup_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(DocketDocumentView) self = user_data;
  g_autoptr(GError) error = NULL;
  guint page = 0;
  int zoom_mode = DEFAULT_ZOOM_MODE;
  double zoom_scale = 1.0;

  if (docket_reader_memory_lookup_finish (DOCKET_READER_MEMORY (source), result, &page, &zoom_mode,
                                          &zoom_scale, &error))
    {
      /* What the database says is checked like any input: a page past the end is the
       * last page, an unknown zoom is the default. */
      if (self->open_page < 0)
        self->open_page = (int) MIN (page, (guint) G_MAXINT);
      if (zoom_mode >= DOCKET_ZOOM_FIT_WIDTH && zoom_mode <= DOCKET_ZOOM_AUTOMATIC &&
          isfinite (zoom_scale) && zoom_scale > 0)
        {
          self->open_zoom_mode = zoom_mode;
          self->open_zoom_scale = CLAMP (zoom_scale, ZOOM_MIN, ZOOM_MAX);
        }
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  else if (error != NULL)
    /* Not knowing where the official was is no reason not to show the document. */
    g_warning ("Could not read where the document was left: %s", error->message);

  self->lookup_pending = FALSE;
  if (self->loaded != NULL)
    show_document (self);
}

/* The page the document opens at is rendered at once, as wide as its row will make it:
 * on a computer with two cores it is ready about when the rows are (making and laying
 * out the rows of a 1,000-page document takes the UI thread some 100 ms). */
static void
prefetch_first_page (DocketDocumentView *self,
                     guint               index)
{
  int row_width = predicted_row_width (self);
  double width_pt, height_pt;
  int width;

  /* Nothing laid out at all yet: the row will say. */
  if (row_width <= 2 * DOCKET_PAGE_WIDGET_MARGIN ||
      !docket_pdf_document_get_page_size (self->document, index, &width_pt, &height_pt))
    return;
  width = docket_page_widget_compute_display_width (self->zoom_mode, self->zoom_scale, width_pt, height_pt,
                                                    row_width, view_height (self));
  docket_pdf_document_prefetch_page (self->document, index,
                                     width * gtk_widget_get_scale_factor (GTK_WIDGET (self)));
}

/* Both the PDF and the place to open it at are there: show the pages. */
static void
show_document (DocketDocumentView *self)
{
  GtkNoSelection *selection;
  guint n_pages;

  g_clear_object (&self->cancellable);
  self->document = g_steal_pointer (&self->loaded);
  n_pages = docket_pdf_document_get_n_pages (self->document);

  /* The zoom first, so that the rows are made at their size. */
  self->zoom_mode = self->open_zoom_mode;
  if (self->zoom_mode == DOCKET_ZOOM_FIXED)
    self->zoom_scale = self->open_zoom_scale;

  prefetch_first_page (self, self->open_page > 0 ? MIN ((guint) self->open_page, n_pages - 1) : 0);
  selection = gtk_no_selection_new (g_object_ref (docket_pdf_document_get_pages (self->document)));
  gtk_grid_view_set_model (self->page_view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);
  /* At the top: the list was emptied (and scrolled back) when the last one closed. */
  self->settled_value = 0;
  docket_document_view_update_labels (self);
  docket_document_view_set_state (self, DOCKET_DOCUMENT_VIEW_READY);
  notify_zoom (self);
  if (self->open_page > 0)
    scroll_to_page (self, MIN ((guint) self->open_page, n_pages - 1), 0);

  /* The sidebar's thumbnails render only when shown; the outline and the signatures
   * are read in workers, and appear when they are there. */
  self->thumbnailer = docket_pdf_thumbnailer_new (self->document);
  /* A few kB a page: 16 MB keeps the text of thousands of pages. */
  self->page_texts = docket_pdf_page_texts_new (n_pages, 16u * 1024u * 1024u);
  fill_thumbnails (self);
  sync_thumbnail_selection (self);
  self->extras_cancellable = g_cancellable_new ();
  docket_pdf_outline_load_async (self->document, self->extras_cancellable, on_outline_loaded, g_object_ref (self));
  docket_pdf_signature_load_async (self->document, self->path, self->extras_cancellable,
                                   on_signatures_loaded, g_object_ref (self));

  if (self->open_find_text != NULL)
    show_find (self, self->open_find_text, self->open_page >= 0 ? (int) MIN ((guint) self->open_page, n_pages - 1) : -1);
  else if (gtk_search_bar_get_search_mode (self->find_bar) &&
           gtk_editable_get_text (GTK_EDITABLE (self->find_entry))[0] != '\0')
    /* The find bar was left open: the same text in this document. */
    start_find (self, gtk_editable_get_text (GTK_EDITABLE (self->find_entry)), -1);
  /* The keyboard scrolls the pages at once (arrows, Page Up/Down, Home/End). */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_widget_grab_focus (GTK_WIDGET (self->page_view));
}

void
docket_document_view_close (DocketDocumentView *self)
{
  g_return_if_fail (DOCKET_IS_DOCUMENT_VIEW (self));

  save_view_state (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->extras_cancellable);
  g_clear_object (&self->extras_cancellable);
  clear_find (self);
  if (self->page_view != NULL)
    {
      /* Back to the top while the rows are there: scrolled later, an empty page view
       * (or one with the next document's rows) looks for a row it does not have. */
      gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scrolled_window), 0);
      gtk_adjustment_set_value (gtk_scrolled_window_get_hadjustment (self->scrolled_window), 0);
      gtk_grid_view_set_model (self->page_view, NULL);
      gtk_list_view_set_model (self->thumbnail_view, NULL);
      gtk_list_view_set_model (self->outline_view, NULL);
      gtk_stack_page_set_visible (self->outline_page, FALSE);
      gtk_revealer_set_reveal_child (self->signature_revealer, FALSE);
    }
  g_clear_object (&self->thumbnail_selection);
  g_clear_object (&self->thumbnailer);
  g_clear_object (&self->page_texts);
  g_clear_object (&self->signatures);
  g_clear_object (&self->document);
  g_clear_object (&self->loaded);
  g_clear_object (&self->cached_document);
  g_clear_pointer (&self->open_find_text, g_free);
  g_clear_pointer (&self->path, g_free);
  self->lookup_pending = FALSE;
  self->pinch_h_pending = FALSE;
  self->open_page = -1;
  self->open_zoom_mode = DEFAULT_ZOOM_MODE;
  self->open_zoom_scale = 1.0;
  self->target_pending = FALSE;
  self->follow_scroll = 0;
  self->scroll_zoom = 0;
  /* A document opens at its first page, at the automatic zoom, unless the reader memory
   * knows better. */
  self->current_page = 0;
  self->zoom_mode = DEFAULT_ZOOM_MODE;
  notify_zoom (self);
  if (self->zoom_button != NULL)
    docket_document_view_update_labels (self);
  docket_document_view_set_state (self, DOCKET_DOCUMENT_VIEW_EMPTY);
}

/* Loads path; the caller has closed what was open and set what to open at. */
static void
load_path (DocketDocumentView *self,
           const char         *path)
{
  g_autoptr(GFile) file = NULL;

  if (path == NULL)
    {
      show_error (self, _("Not Downloaded Yet"),
                  _("This document is not on this computer yet. It is downloaded with the next sync; connect to the network and refresh."));
      return;
    }

  file = g_file_new_for_path (path);
  g_free (self->path);
  self->path = g_strdup (path);
  self->cancellable = g_cancellable_new ();
  docket_document_view_set_state (self, DOCKET_DOCUMENT_VIEW_LOADING);
  /* The zoom the official reads this document at, and where, unless a page is asked. */
  if (self->memory != NULL && self->cached_document != NULL)
    {
      self->lookup_pending = TRUE;
      docket_reader_memory_lookup_async (self->memory, docket_document_get_id (self->cached_document),
                                         self->cancellable, on_lookup_done, g_object_ref (self));
    }
  docket_pdf_document_load_async (file, self->cancellable, on_document_loaded, g_object_ref (self));
}

void
docket_document_view_open (DocketDocumentView *self,
                           const char         *path)
{
  g_return_if_fail (DOCKET_IS_DOCUMENT_VIEW (self));

  docket_document_view_close (self);
  load_path (self, path);
}

void
docket_document_view_open_document (DocketDocumentView *self,
                                    DocketDocument     *document,
                                    int                 page,
                                    const char         *find_text)
{
  g_return_if_fail (DOCKET_IS_DOCUMENT_VIEW (self));
  g_return_if_fail (DOCKET_IS_DOCUMENT (document));

  /* Reopening the document being read only moves within it. */
  if (self->cached_document == document && self->state == DOCKET_DOCUMENT_VIEW_READY)
    {
      if (page >= 0)
        docket_document_view_go_to_page (self, (guint) page);
      if (find_text != NULL)
        show_find (self, find_text, page);
      return;
    }

  docket_document_view_close (self);
  self->cached_document = g_object_ref (document);
  self->open_page = MAX (page, -1);
  self->open_find_text = g_strdup (find_text);
  load_path (self, docket_document_get_path (document));
}

DocketDocument *
docket_document_view_get_document (DocketDocumentView *self)
{
  g_return_val_if_fail (DOCKET_IS_DOCUMENT_VIEW (self), NULL);
  return self->cached_document;
}

void
docket_document_view_set_reader_memory (DocketDocumentView *self,
                                        DocketReaderMemory *memory)
{
  g_return_if_fail (DOCKET_IS_DOCUMENT_VIEW (self));
  g_return_if_fail (memory == NULL || DOCKET_IS_READER_MEMORY (memory));

  g_set_object (&self->memory, memory);
}

DocketReaderMemory *
docket_document_view_get_reader_memory (DocketDocumentView *self)
{
  g_return_val_if_fail (DOCKET_IS_DOCUMENT_VIEW (self), NULL);
  return self->memory;
}

static void
docket_document_view_dispose (GObject *object)
{
  DocketDocumentView *self = DOCKET_DOCUMENT_VIEW (object);

  save_view_state (self);
  g_clear_handle_id (&self->save_id, g_source_remove);
  g_clear_handle_id (&self->spinner_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->extras_cancellable);
  g_clear_object (&self->extras_cancellable);
  if (self->find != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->find, self);
      docket_pdf_find_cancel (self->find);
      g_clear_object (&self->find);
    }
  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self->page_view), self->tick_id);
      self->tick_id = 0;
    }
  /* AdwBin unparents its child itself: drop it before the template's children go. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), DOCKET_TYPE_DOCUMENT_VIEW);
  g_clear_object (&self->annotator);
  g_clear_object (&self->document);
  g_clear_object (&self->loaded);
  g_clear_object (&self->cached_document);
  g_clear_object (&self->memory);
  g_clear_pointer (&self->open_find_text, g_free);
  g_clear_pointer (&self->path, g_free);
  g_clear_object (&self->thumbnail_selection);
  g_clear_object (&self->thumbnailer);
  g_clear_object (&self->page_texts);
  g_clear_object (&self->signatures);
  g_clear_object (&self->settings);

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
    case PROP_CURRENT_PAGE:
      g_value_set_uint (value, self->current_page);
      break;
    case PROP_ZOOM_MODE:
      g_value_set_int (value, self->zoom_mode);
      break;
    case PROP_ZOOM_SCALE:
      g_value_set_double (value, docket_document_view_get_zoom_scale (self));
      break;
    case PROP_ZOOM_CHOICE:
      g_value_take_string (value, get_zoom_choice (self));
      break;
    case PROP_NIGHT_MODE:
      g_value_set_boolean (value, self->night_mode);
      break;
    case PROP_SIDEBAR_VISIBLE:
      g_value_set_boolean (value, self->sidebar_visible);
      break;
    case PROP_ANNOTATING:
      g_value_set_boolean (value, self->annotating);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_document_view_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  DocketDocumentView *self = DOCKET_DOCUMENT_VIEW (object);

  switch (prop_id)
    {
    case PROP_ZOOM_CHOICE:
      set_zoom_choice (self, g_value_get_string (value));
      break;
    case PROP_NIGHT_MODE:
      set_night_mode (self, g_value_get_boolean (value));
      break;
    case PROP_SIDEBAR_VISIBLE:
      set_sidebar_visible (self, g_value_get_boolean (value));
      break;
    case PROP_ANNOTATING:
      set_annotating (self, g_value_get_boolean (value));
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
  object_class->set_property = docket_document_view_set_property;

  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL,
                      DOCKET_DOCUMENT_VIEW_EMPTY, DOCKET_DOCUMENT_VIEW_FAILED,
                      DOCKET_DOCUMENT_VIEW_EMPTY,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CURRENT_PAGE] =
    g_param_spec_uint ("current-page", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ZOOM_MODE] =
    g_param_spec_int ("zoom-mode", NULL, NULL, DOCKET_ZOOM_FIT_WIDTH, DOCKET_ZOOM_AUTOMATIC,
                      DEFAULT_ZOOM_MODE,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ZOOM_SCALE] =
    g_param_spec_double ("zoom-scale", NULL, NULL, 0, G_MAXDOUBLE, 1.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The zoom menu's checked item (get_zoom_choice); view.set-zoom sets it. */
  properties[PROP_ZOOM_CHOICE] =
    g_param_spec_string ("zoom-choice", NULL, NULL, "automatic",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Pages inverted, for reading in the dark (remembered in GSettings). */
  properties[PROP_NIGHT_MODE] =
    g_param_spec_boolean ("night-mode", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SIDEBAR_VISIBLE] =
    g_param_spec_boolean ("sidebar-visible", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The annotation tools are shown (view.annotate, Ctrl+E). */
  properties[PROP_ANNOTATING] =
    g_param_spec_boolean ("annotating", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (DOCKET_TYPE_ANNOTATION_TOOLBAR);
  docket_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, DOCKET_RESOURCE_PREFIX "/ui/docket-document-view.ui");
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentView, stack);
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentView, spinner);
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentView, error_page);
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentView, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentView, page_view);
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentView, zoom_button);
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentView, page_button);
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentView, go_to_popover);
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentView, page_entry);
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentView, page_error);
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentView, flap);
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentView, annotation_revealer);
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentView, sidebar_stack);
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentView, thumbnail_view);
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentView, outline_page);
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentView, outline_view);
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentView, annotations_page);
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentView, annotations_slot);
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentView, find_bar);
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentView, find_entry);
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentView, find_count);
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentView, signature_revealer);
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentView, signature_icon);
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentView, signature_label);
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentView, signature_list);
  gtk_widget_class_bind_template_callback (widget_class, on_thumbnail_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_outline_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_find_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_find_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_find_next_match);
  gtk_widget_class_bind_template_callback (widget_class, on_find_previous_match);
  gtk_widget_class_bind_template_callback (widget_class, on_find_stop);
  gtk_widget_class_bind_template_callback (widget_class, on_page_entry_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_page_entry_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_go_to_popover_closed);

  gtk_widget_class_install_action (widget_class, "view.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "view.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "view.zoom-automatic", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "view.zoom-fit-width", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "view.zoom-fit-page", NULL, zoom_action);
  gtk_widget_class_install_property_action (widget_class, "view.set-zoom", "zoom-choice");
  gtk_widget_class_install_action (widget_class, "view.go-to-page", NULL, go_to_page_action);
  gtk_widget_class_install_action (widget_class, "view.next-page", NULL, page_action);
  gtk_widget_class_install_action (widget_class, "view.previous-page", NULL, page_action);
  gtk_widget_class_install_action (widget_class, "view.first-page", NULL, page_action);
  gtk_widget_class_install_action (widget_class, "view.last-page", NULL, page_action);
  /* Internal links, the outline, the annotations panel: a page, from 0. */
  gtk_widget_class_install_action (widget_class, "view.show-page", "u", show_page_action);
  gtk_widget_class_install_action (widget_class, "view.find", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "view.find-next", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "view.find-previous", NULL, find_action);
  gtk_widget_class_install_property_action (widget_class, "view.night-mode", "night-mode");
  gtk_widget_class_install_property_action (widget_class, "view.toggle-sidebar", "sidebar-visible");
  gtk_widget_class_install_property_action (widget_class, "view.annotate", "annotating");

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "view.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "view.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, GDK_CONTROL_MASK, "view.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "view.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, GDK_CONTROL_MASK, "view.zoom-out", NULL);
  /* Ctrl+0, as in GNOME's other applications: back to the zoom documents open at. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "view.zoom-automatic", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0, GDK_CONTROL_MASK, "view.zoom-automatic", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_g, GDK_CONTROL_MASK, "view.go-to-page", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "view.find", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F3, 0, "view.find-next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F3, GDK_SHIFT_MASK, "view.find-previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "view.toggle-sidebar", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "view.annotate", NULL);
  /* With the focus on the toolbar, the page keys still go by pages. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, 0, "view.next-page", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, 0, "view.previous-page", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Home, 0, "view.first-page", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_End, 0, "view.last-page", NULL);
}

static void
docket_document_view_init (DocketDocumentView *self)
{
  GtkListItemFactory *factory;
  GtkEventController *scroll;
  GtkGesture *pinch;
  GtkEventController *find_keys;
  GSettingsSchemaSource *schemas;
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GMenuModel) zoom_menu = NULL;
  GtkAdjustment *vadjustment;

  self->zoom_mode = DEFAULT_ZOOM_MODE;
  self->zoom_scale = 1.0;
  self->open_page = -1;
  self->open_zoom_mode = DEFAULT_ZOOM_MODE;
  self->open_zoom_scale = 1.0;

  gtk_widget_init_template (GTK_WIDGET (self));
  /* Laid out by the style sheet, in the window or alone (tests, bench/reader). */
  docket_ensure_style ();

  /* Annotating (docket-annotator.h): its actions, its shortcuts and its panel. */
  self->annotator = docket_annotator_new ();
  docket_annotator_attach (self->annotator, GTK_WIDGET (self));
  g_signal_connect_object (self->annotator, "notify::tool", G_CALLBACK (on_tool_chosen), self,
                           G_CONNECT_SWAPPED);
  {
    GtkWidget *panel = docket_annotations_panel_new ();
    docket_annotations_panel_set_annotator (DOCKET_ANNOTATIONS_PANEL (panel), self->annotator);
    docket_document_view_set_annotations_panel (self, panel);
  }

  zoom_menu = build_zoom_menu ();
  gtk_menu_button_set_menu_model (self->zoom_button, zoom_menu);
  add_page_keys (self);

  /* Ctrl+scroll zooms; caught before the scrolled window scrolls. */
  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  gtk_event_controller_set_propagation_phase (scroll, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (scroll, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (GTK_WIDGET (self->scrolled_window), scroll);

  /* Two fingers on a touchpad or a touch screen. */
  pinch = gtk_gesture_zoom_new ();
  g_signal_connect_swapped (pinch, "begin", G_CALLBACK (on_pinch_begin), self);
  g_signal_connect_swapped (pinch, "scale-changed", G_CALLBACK (on_pinch_scale_changed), self);
  gtk_widget_add_controller (GTK_WIDGET (self->scrolled_window), GTK_EVENT_CONTROLLER (pinch));

  vadjustment = gtk_scrolled_window_get_vadjustment (self->scrolled_window);
  g_signal_connect_object (vadjustment, "value-changed", G_CALLBACK (on_scrolled), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (vadjustment, "notify::page-size", G_CALLBACK (on_view_resized), self, G_CONNECT_SWAPPED);
  docket_document_view_update_labels (self);
  docket_document_view_update_actions (self);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_page), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_page), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_page), self);
  gtk_grid_view_set_factory (self->page_view, factory);
  g_object_unref (factory);

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

  /* The sidebar shows what the property says, and the property what the flap does (a
   * folded flap closes itself when the pages are clicked). */
  g_object_bind_property (self, "sidebar-visible", self->flap, "reveal-flap",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (self, "annotating", self->annotation_revealer, "reveal-child",
                          G_BINDING_SYNC_CREATE);

  /* Find: Escape in the entry closes the bar; Shift+Enter goes back. */
  gtk_search_bar_connect_entry (self->find_bar, GTK_EDITABLE (self->find_entry));
  g_signal_connect_object (self->find_bar, "notify::search-mode-enabled",
                           G_CALLBACK (on_find_bar_toggled), self, G_CONNECT_SWAPPED);
  find_keys = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (find_keys),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Return, GDK_SHIFT_MASK),
                                                          gtk_named_action_new ("view.find-previous")));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (find_keys),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_KP_Enter, GDK_SHIFT_MASK),
                                                          gtk_named_action_new ("view.find-previous")));
  gtk_widget_add_controller (GTK_WIDGET (self->find_entry), find_keys);
  self->find_current = -1;
  update_find_count (self);

  /* Night mode is the official's taste, not the document's: one setting for all. */
  if ((schemas = g_settings_schema_source_get_default ()) != NULL &&
      (schema = g_settings_schema_source_lookup (schemas, APP_ID, TRUE)) != NULL &&
      g_settings_schema_has_key (schema, "night-mode"))
    {
      self->settings = g_settings_new (APP_ID);
      g_settings_bind (self->settings, "night-mode", self, "night-mode", G_SETTINGS_BIND_DEFAULT);
    }
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

void
docket_document_view_go_to_page (DocketDocumentView *self,
                                 guint               index)
{
  g_return_if_fail (DOCKET_IS_DOCUMENT_VIEW (self));

  if (self->document == NULL || index >= docket_pdf_document_get_n_pages (self->document))
    return;
  scroll_to_page (self, index, 0);
}

guint
docket_document_view_get_current_page (DocketDocumentView *self)
{
  g_return_val_if_fail (DOCKET_IS_DOCUMENT_VIEW (self), 0);
  return self->current_page;
}

DocketZoomMode
docket_document_view_get_zoom_mode (DocketDocumentView *self)
{
  g_return_val_if_fail (DOCKET_IS_DOCUMENT_VIEW (self), DEFAULT_ZOOM_MODE);
  return self->zoom_mode;
}

double
docket_document_view_get_zoom_scale (DocketDocumentView *self)
{
  g_return_val_if_fail (DOCKET_IS_DOCUMENT_VIEW (self), 1.0);
  return effective_scale (self);
}

const char *
docket_document_view_get_zoom_label (DocketDocumentView *self)
{
  g_return_val_if_fail (DOCKET_IS_DOCUMENT_VIEW (self), NULL);
  return gtk_menu_button_get_label (self->zoom_button);
}

const char *
docket_document_view_get_page_label (DocketDocumentView *self)
{
  g_return_val_if_fail (DOCKET_IS_DOCUMENT_VIEW (self), NULL);
  return gtk_menu_button_get_label (self->page_button);
}

GtkWidget *
docket_document_view_get_page_entry (DocketDocumentView *self)
{
  g_return_val_if_fail (DOCKET_IS_DOCUMENT_VIEW (self), NULL);
  return GTK_WIDGET (self->page_entry);
}

const char *
docket_document_view_get_page_error (DocketDocumentView *self)
{
  g_return_val_if_fail (DOCKET_IS_DOCUMENT_VIEW (self), NULL);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->page_error)))
    return NULL;
  return gtk_label_get_label (self->page_error);
}

void
docket_document_view_set_annotations_panel (DocketDocumentView *self,
                                            GtkWidget          *panel)
{
  g_return_if_fail (DOCKET_IS_DOCUMENT_VIEW (self));
  g_return_if_fail (panel == NULL || GTK_IS_WIDGET (panel));

  adw_bin_set_child (self->annotations_slot, panel);
  gtk_stack_page_set_visible (self->annotations_page, panel != NULL);
}

GtkStack *
docket_document_view_get_sidebar (DocketDocumentView *self)
{
  g_return_val_if_fail (DOCKET_IS_DOCUMENT_VIEW (self), NULL);
  return self->sidebar_stack;
}

GtkWidget *
docket_document_view_get_page_view (DocketDocumentView *self)
{
  g_return_val_if_fail (DOCKET_IS_DOCUMENT_VIEW (self), NULL);
  return GTK_WIDGET (self->page_view);
}

GtkListView *
docket_document_view_get_thumbnail_view (DocketDocumentView *self)
{
  g_return_val_if_fail (DOCKET_IS_DOCUMENT_VIEW (self), NULL);
  return self->thumbnail_view;
}

GtkListView *
docket_document_view_get_outline_view (DocketDocumentView *self)
{
  g_return_val_if_fail (DOCKET_IS_DOCUMENT_VIEW (self), NULL);
  return self->outline_view;
}

GtkWidget *
docket_document_view_get_find_entry (DocketDocumentView *self)
{
  g_return_val_if_fail (DOCKET_IS_DOCUMENT_VIEW (self), NULL);
  return GTK_WIDGET (self->find_entry);
}

gboolean
docket_document_view_get_find_visible (DocketDocumentView *self)
{
  g_return_val_if_fail (DOCKET_IS_DOCUMENT_VIEW (self), FALSE);
  return gtk_search_bar_get_search_mode (self->find_bar);
}

const char *
docket_document_view_get_find_label (DocketDocumentView *self)
{
  g_return_val_if_fail (DOCKET_IS_DOCUMENT_VIEW (self), NULL);
  return gtk_label_get_label (self->find_count);
}

DocketPdfFind *
docket_document_view_get_find (DocketDocumentView *self)
{
  g_return_val_if_fail (DOCKET_IS_DOCUMENT_VIEW (self), NULL);
  return self->find;
}

int
docket_document_view_get_find_current (DocketDocumentView *self)
{
  g_return_val_if_fail (DOCKET_IS_DOCUMENT_VIEW (self), -1);
  return self->find_current;
}

GListModel *
docket_document_view_get_signatures (DocketDocumentView *self)
{
  g_return_val_if_fail (DOCKET_IS_DOCUMENT_VIEW (self), NULL);
  return self->signatures;
}

const char *
docket_document_view_get_signature_summary (DocketDocumentView *self)
{
  g_return_val_if_fail (DOCKET_IS_DOCUMENT_VIEW (self), NULL);
  if (!gtk_revealer_get_reveal_child (self->signature_revealer))
    return NULL;
  return gtk_label_get_label (self->signature_label);
}

DocketAnnotator *
docket_document_view_get_annotator (DocketDocumentView *self)
{
  g_return_val_if_fail (DOCKET_IS_DOCUMENT_VIEW (self), NULL);
  return self->annotator;
}
