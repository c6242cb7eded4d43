/* docket-document-view.c: a PDF's pages, rendered in worker threads, scrollable */

#include "config.h"

#include <math.h>

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
  GtkMenuButton           *zoom_button;
  GtkMenuButton           *page_button;
  GtkPopover              *go_to_popover;
  GtkEntry                *page_entry;
  GtkLabel                *page_error;

  /* Owned */
  DocketPdfDocument       *document;
  GCancellable            *cancellable;   /* of the load in flight */
  DocketDocumentViewState  state;

  /* Zoom */
  DocketZoomMode           zoom_mode;
  double                   zoom_scale;    /* of DOCKET_ZOOM_FIXED */
  double                   scroll_zoom;   /* Ctrl+scroll not yet turned into a step */

  /* Where the reader is */
  guint                    current_page;
  guint                    tick_id;       /* the layout_tick callback, while one is due */
  gboolean                 target_pending;
  guint                    target_page;   /* a page being brought into view... */
  double                   target_fraction; /* ...with this fraction of it above the top */
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
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The fixed zoom steps, from 50 % to 400 %. */
static const double zoom_levels[] = { 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0 };
#define ZOOM_MIN (zoom_levels[0])
#define ZOOM_MAX (zoom_levels[G_N_ELEMENTS (zoom_levels) - 1])

/* How many frames a "go to page" may take to settle before it gives up. */
#define MAX_SCROLL_ATTEMPTS 10

static void docket_document_view_update_actions (DocketDocumentView *self);
static void docket_document_view_update_labels  (DocketDocumentView *self);
static void docket_document_view_queue_tick     (DocketDocumentView *self);

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
  docket_document_view_update_actions (self);
}

/* Page widgets and where they are */

/* The height a page and its margin may take to be seen whole: the view's, less what its
 * row adds around it (the style sheet's padding, measured on a row laid out). */
static int
view_height (DocketDocumentView *self)
{
  int height = gtk_widget_get_height (GTK_WIDGET (self->scrolled_window));

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->page_view)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *child = gtk_widget_get_first_child (row);

      if (child != NULL && DOCKET_IS_PAGE_WIDGET (child) && gtk_widget_get_height (child) > 0)
        return height - MAX (0, gtk_widget_get_height (row) - gtk_widget_get_height (child));
    }
  return height;
}

/* The page widgets of the rows the list view has made, in no particular order. */
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

/* The top of a page widget in the list view's coordinates (which scroll with it);
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

static void
set_current_page (DocketDocumentView *self,
                  guint               index)
{
  if (self->current_page == index)
    return;
  self->current_page = index;
  docket_document_view_update_labels (self);
  docket_document_view_update_actions (self);
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

/* One step of bringing the target page to the top: the list view lays rows out lazily
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
      /* Not made yet: let the list view scroll to it (it makes its row on the way). */
      gtk_widget_activate_action (GTK_WIDGET (self->page_view), "list.scroll-to-item", "u",
                                  self->target_page);
      return FALSE;
    }

  /* The page widget's top, not its row's: the widget's own margin keeps the page's
   * shadow in view, the row's padding goes above. */
  wanted = value + top + self->target_fraction * gtk_widget_get_height (GTK_WIDGET (widget));
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
  self->target_attempts = 0;
  docket_document_view_queue_tick (self);
  docket_document_view_update_actions (self);
}

static void
on_scrolled (DocketDocumentView *self,
             GtkAdjustment      *adjustment)
{
  /* Our own scrolling, and the list view's adjustments while it lays out, are not the
   * reader moving. */
  if (self->document == NULL || self->target_pending ||
      fabs (gtk_adjustment_get_value (adjustment) - self->settled_value) < 1)
    return;
  self->follow_scroll = 2;
  docket_document_view_queue_tick (self);
}

/* Zoom */

/* The scale the current page is shown at, whatever the mode. */
static double
effective_scale (DocketDocumentView *self)
{
  DocketPageWidget *widget;
  double width_pt = 0;

  if (self->zoom_mode == DOCKET_ZOOM_FIXED || self->document == NULL)
    return self->zoom_scale;

  widget = find_page_widget (self, self->current_page);
  if (!docket_pdf_document_get_page_size (self->document, self->current_page, &width_pt, NULL) ||
      width_pt <= 0)
    return 1.0;
  if (widget != NULL && gtk_widget_get_width (GTK_WIDGET (widget)) > 0)
    return docket_page_widget_get_display_width (widget) / (width_pt * DOCKET_PAGE_WIDGET_PIXELS_PER_POINT);
  /* Not laid out yet: as wide as the view. */
  return MAX (1, gtk_widget_get_width (GTK_WIDGET (self->scrolled_window)) - 2 * DOCKET_PAGE_WIDGET_MARGIN) /
         (width_pt * DOCKET_PAGE_WIDGET_PIXELS_PER_POINT);
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

  self->zoom_mode = mode;
  if (mode == DOCKET_ZOOM_FIXED)
    self->zoom_scale = scale;
  apply_zoom_to_all (self);
  if (self->document != NULL)
    scroll_to_page (self, anchor, fraction);

  docket_document_view_update_labels (self);
  docket_document_view_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM_MODE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM_SCALE]);
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
  /* "Fit page" follows the view's height. */
  if (self->zoom_mode == DOCKET_ZOOM_FIT_PAGE)
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

/* Labels and actions */

static void
docket_document_view_update_labels (DocketDocumentView *self)
{
  g_autofree char *zoom = NULL;
  g_autofree char *page = NULL;

  if (self->zoom_mode == DOCKET_ZOOM_FIT_WIDTH)
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
    page = g_strdup ("");
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
  else if (g_str_equal (action_name, "view.zoom-fit-width"))
    docket_document_view_set_zoom (self, DOCKET_ZOOM_FIT_WIDTH, self->zoom_scale);
  else if (g_str_equal (action_name, "view.zoom-fit-page"))
    docket_document_view_set_zoom (self, DOCKET_ZOOM_FIT_PAGE, self->zoom_scale);
}

/* "view.set-zoom" with "fit-width", "fit-page" or a scale ("1.5"), from the zoom menu. */
static void
set_zoom_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  DocketDocumentView *self = DOCKET_DOCUMENT_VIEW (widget);
  const char *value = g_variant_get_string (parameter, NULL);
  double scale;
  char *end = NULL;

  if (g_str_equal (value, "fit-width"))
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

/* Page Up/Down, Home/End go by pages. They are caught before the list view, which
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
  adw_status_page_set_title (self->error_page, title);
  adw_status_page_set_description (self->error_page, description);
  docket_document_view_set_state (self, DOCKET_DOCUMENT_VIEW_FAILED);
}

static void
setup_page (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            gpointer                  user_data)
{
  DocketDocumentView *self = user_data;
  GtkWidget *widget = docket_page_widget_new ();

  apply_zoom (DOCKET_PAGE_WIDGET (widget), self);
  gtk_list_item_set_child (list_item, widget);
  gtk_list_item_set_activatable (list_item, FALSE);
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
  self->settled_value = 0;
  docket_document_view_update_labels (self);
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
  self->target_pending = FALSE;
  self->follow_scroll = 0;
  self->scroll_zoom = 0;
  /* Each document opens at its first page, as wide as the view (remembering the last
   * page and zoom of each document needs the store: the next step of the reader). */
  self->current_page = 0;
  self->zoom_mode = DOCKET_ZOOM_FIT_WIDTH;
  if (self->zoom_button != NULL)
    docket_document_view_update_labels (self);
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
  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self->page_view), self->tick_id);
      self->tick_id = 0;
    }
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
    case PROP_CURRENT_PAGE:
      g_value_set_uint (value, self->current_page);
      break;
    case PROP_ZOOM_MODE:
      g_value_set_int (value, self->zoom_mode);
      break;
    case PROP_ZOOM_SCALE:
      g_value_set_double (value, docket_document_view_get_zoom_scale (self));
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
  properties[PROP_CURRENT_PAGE] =
    g_param_spec_uint ("current-page", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ZOOM_MODE] =
    g_param_spec_int ("zoom-mode", NULL, NULL, DOCKET_ZOOM_FIT_WIDTH, DOCKET_ZOOM_FIXED,
                      DOCKET_ZOOM_FIT_WIDTH,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ZOOM_SCALE] =
    g_param_spec_double ("zoom-scale", NULL, NULL, 0, G_MAXDOUBLE, 1.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

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
  gtk_widget_class_bind_template_callback (widget_class, on_page_entry_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_page_entry_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_go_to_popover_closed);

  gtk_widget_class_install_action (widget_class, "view.zoom-in", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "view.zoom-out", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "view.zoom-fit-width", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "view.zoom-fit-page", NULL, zoom_action);
  gtk_widget_class_install_action (widget_class, "view.set-zoom", "s", set_zoom_action);
  gtk_widget_class_install_action (widget_class, "view.go-to-page", NULL, go_to_page_action);
  gtk_widget_class_install_action (widget_class, "view.next-page", NULL, page_action);
  gtk_widget_class_install_action (widget_class, "view.previous-page", NULL, page_action);
  gtk_widget_class_install_action (widget_class, "view.first-page", NULL, page_action);
  gtk_widget_class_install_action (widget_class, "view.last-page", NULL, page_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "view.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "view.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, GDK_CONTROL_MASK, "view.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "view.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, GDK_CONTROL_MASK, "view.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "view.zoom-fit-width", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0, GDK_CONTROL_MASK, "view.zoom-fit-width", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_g, GDK_CONTROL_MASK, "view.go-to-page", NULL);
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
  g_autoptr(GMenuModel) zoom_menu = NULL;
  GtkAdjustment *vadjustment;

  self->zoom_mode = DOCKET_ZOOM_FIT_WIDTH;
  self->zoom_scale = 1.0;

  gtk_widget_init_template (GTK_WIDGET (self));

  zoom_menu = build_zoom_menu ();
  gtk_menu_button_set_menu_model (self->zoom_button, zoom_menu);
  add_page_keys (self);

  /* Ctrl+scroll zooms; caught before the scrolled window scrolls. */
  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  gtk_event_controller_set_propagation_phase (scroll, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (scroll, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (GTK_WIDGET (self->scrolled_window), scroll);

  vadjustment = gtk_scrolled_window_get_vadjustment (self->scrolled_window);
  g_signal_connect_object (vadjustment, "value-changed", G_CALLBACK (on_scrolled), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (vadjustment, "notify::page-size", G_CALLBACK (on_view_resized), self, G_CONNECT_SWAPPED);
  docket_document_view_update_labels (self);
  docket_document_view_update_actions (self);

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
  g_return_val_if_fail (DOCKET_IS_DOCUMENT_VIEW (self), DOCKET_ZOOM_FIT_WIDTH);
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
