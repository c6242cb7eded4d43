/* docket-document-view.c: a PDF's pages, rendered in worker threads, scrollable
 *
 * The view itself: opening a document (with the reader memory), the pages' rows and
 * where the reader is in them, going to a page, the signature bar, night mode, and the
 * commands with their shortcuts. The zoom is docket-document-view-zoom.c; the find bar
 * and the sidebar are widgets of their own (docket-find-bar.c, docket-document-sidebar.c)
 * that this file only feeds and listens to.
 */

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "docket-document-view-private.h"
#include "docket-accessible.h"
#include "docket-resources.h"
#include "docket-annotation-toolbar.h"
#include "docket-annotations-panel.h"
#include "docket-pdf-signature.h"
#include "docket-render-queue.h"

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

/* How many frames a "go to page" may take to settle before it gives up. */
#define MAX_SCROLL_ATTEMPTS 10

/* How long a document may take to load before the spinner shows. */
#define SPINNER_DELAY_MS 300

static void docket_document_view_queue_tick     (DocketDocumentView *self);
static void update_page_highlights              (DocketDocumentView *self,
                                                 DocketPageWidget   *widget);
static void sync_sidebar_page                   (DocketDocumentView *self);
static void scroll_to_current_hit               (DocketDocumentView *self);
static void show_document                       (DocketDocumentView *self);

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
  /* What the annotator follows: the document, once its pages are shown. */
  if (self->reader_state != NULL)
    docket_reader_state_set_document (self->reader_state,
                                      state == DOCKET_DOCUMENT_VIEW_READY ? self->cached_document : NULL,
                                      state == DOCKET_DOCUMENT_VIEW_READY ? self->document : NULL);

  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  _docket_document_view_update_actions (self);
}

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
  sync_sidebar_page (self);
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


/* The zoom's three faces (its mode, its scale, the menu's choice) change together. */
void
_docket_document_view_notify_zoom (DocketDocumentView *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM_MODE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM_SCALE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM_CHOICE]);
}











/* Labels and actions */

void
_docket_document_view_update_labels (DocketDocumentView *self)
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

void
_docket_document_view_update_actions (DocketDocumentView *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean ready = self->state == DOCKET_DOCUMENT_VIEW_READY && self->document != NULL;
  guint n_pages = ready ? docket_pdf_document_get_n_pages (self->document) : 0;
  double scale = ready ? _docket_document_view_effective_scale (self) : 1.0;
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

/* Find in document: the find bar searches, the pages show its hits */

/* F3 and Shift+F3 (and the bar's buttons) have somewhere to go. */
static void
update_find_actions (DocketDocumentView *self)
{
  gboolean has_hits = docket_find_bar_get_n_hits (self->find_bar) > 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "view.find-next", has_hits);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "view.find-previous", has_hits);
}

/* Marks the find hits on a page widget, the current one stronger. */
static void
update_page_highlights (DocketDocumentView *self,
                        DocketPageWidget   *widget)
{
  DocketPdfPage *page = docket_page_widget_get_page (widget);
  GArray *boxes;
  int current = -1;

  if (page == NULL)
    {
      docket_page_widget_set_highlights (widget, NULL, -1);
      return;
    }
  boxes = docket_find_bar_get_highlights (self->find_bar, docket_pdf_page_get_index (page), &current);
  docket_page_widget_set_highlights (widget, boxes, current);
}

static void
update_all_highlights (DocketDocumentView *self)
{
  g_autoptr(GPtrArray) widgets = _docket_document_view_list_page_widgets (self);

  for (guint i = 0; i < widgets->len; i++)
    update_page_highlights (self, g_ptr_array_index (widgets, i));
}

/* Brings the current hit into view, unless it is in view already. */
static void
scroll_to_current_hit (DocketDocumentView *self)
{
  guint page = 0;
  graphene_rect_t hit;
  const graphene_rect_t *box = &hit;
  DocketPageWidget *widget;
  double width_pt = 0, height_pt = 0, top, fraction;
  int view = gtk_widget_get_height (GTK_WIDGET (self->scrolled_window));

  if (self->document == NULL || !docket_find_bar_get_current_hit (self->find_bar, &page, &hit) ||
      !docket_pdf_document_get_page_size (self->document, page, &width_pt, &height_pt) || height_pt <= 0)
    return;

  widget = self->target_pending ? NULL : _docket_document_view_find_page_widget (self, page);
  if (widget != NULL && _docket_document_view_page_widget_top (self, widget, &top))
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

  _docket_document_view_scroll_to_page (self, page, MAX (fraction, 0.0));
  /* Where the hit is sideways is known once its page is laid out there. */
  self->reveal_hit_pending = TRUE;
}

static void
on_find_highlights_changed (DocketDocumentView *self,
                            int                 page,
                            DocketFindBar      *find_bar)
{
  DocketPageWidget *widget;

  /* No search, no hit to bring into view once a scroll is done. */
  if (docket_find_bar_get_find (find_bar) == NULL)
    self->reveal_hit_pending = FALSE;
  if (page < 0)
    update_all_highlights (self);
  else if ((widget = _docket_document_view_find_page_widget (self, (guint) page)) != NULL)
    update_page_highlights (self, widget);
}

static void
on_find_bar_open_changed (DocketDocumentView *self)
{
  if (docket_find_bar_get_open (self->find_bar))
    return;
  /* Closed: reading goes on with the keyboard. */
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
    docket_find_bar_open (self->find_bar);
  else
    docket_find_bar_step (self->find_bar, g_str_equal (action_name, "view.find-next") ? +1 : -1);
}

/* The sidebar (docket-document-sidebar.c) */

/* Its selected thumbnail is the page being read, or the page a "go to" is going to. */
static void
sync_sidebar_page (DocketDocumentView *self)
{
  docket_document_sidebar_set_current_page (self->sidebar,
                                            self->target_pending ? self->target_page : self->current_page);
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

static void
set_sidebar_visible (DocketDocumentView *self,
                     gboolean            visible)
{
  visible = !!visible;
  if (self->sidebar_visible == visible)
    return;
  self->sidebar_visible = visible;
  if (visible)
    sync_sidebar_page (self);
  docket_document_sidebar_set_revealed (self->sidebar, visible);
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
  if (!annotating && self->reader_state != NULL)
    docket_reader_state_set_tool (self->reader_state, DOCKET_ANNOTATION_TOOL_SELECT);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ANNOTATING]);
}

/* A drawing tool chosen (annot.tool, from anywhere) shows the tools it belongs to. */
static void
on_tool_chosen (DocketDocumentView *self)
{
  if (docket_reader_state_get_tool (self->reader_state) != DOCKET_ANNOTATION_TOOL_SELECT)
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

  _docket_document_view_apply_zoom (DOCKET_PAGE_WIDGET (widget), self);
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
  _docket_document_view_apply_zoom (widget, self);
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
  int row_width = _docket_document_view_predicted_row_width (self);
  double width_pt, height_pt;
  int width;

  /* Nothing laid out at all yet: the row will say. */
  if (row_width <= 2 * DOCKET_PAGE_WIDGET_MARGIN ||
      !docket_pdf_document_get_page_size (self->document, index, &width_pt, &height_pt))
    return;
  width = docket_page_widget_compute_display_width (self->zoom_mode, self->zoom_scale, width_pt, height_pt,
                                                    row_width, _docket_document_view_view_height (self));
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
  _docket_document_view_update_labels (self);
  docket_document_view_set_state (self, DOCKET_DOCUMENT_VIEW_READY);
  _docket_document_view_notify_zoom (self);
  if (self->open_page > 0)
    _docket_document_view_scroll_to_page (self, MIN ((guint) self->open_page, n_pages - 1), 0);

  /* The sidebar's thumbnails render only when shown; the outline and the signatures
   * are read in workers, and appear when they are there. */
  sync_sidebar_page (self);
  docket_document_sidebar_set_document (self->sidebar, self->document);
  self->extras_cancellable = g_cancellable_new ();
  docket_pdf_signature_load_async (self->document, self->path, self->extras_cancellable,
                                   on_signatures_loaded, g_object_ref (self));

  docket_find_bar_set_document (self->find_bar, self->document);
  if (self->open_find_text != NULL)
    docket_find_bar_find (self->find_bar, self->open_find_text,
                          self->open_page >= 0 ? (int) MIN ((guint) self->open_page, n_pages - 1) : -1);
  else
    /* The find bar was left open: the same text in this document. */
    docket_find_bar_find_again (self->find_bar);
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
  if (self->find_bar != NULL)
    docket_find_bar_set_document (self->find_bar, NULL);
  self->reveal_hit_pending = FALSE;
  if (self->page_view != NULL)
    {
      /* Back to the top while the rows are there: scrolled later, an empty page view
       * (or one with the next document's rows) looks for a row it does not have. */
      gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scrolled_window), 0);
      gtk_adjustment_set_value (gtk_scrolled_window_get_hadjustment (self->scrolled_window), 0);
      gtk_grid_view_set_model (self->page_view, NULL);
      docket_document_sidebar_set_document (self->sidebar, NULL);
      gtk_revealer_set_reveal_child (self->signature_revealer, FALSE);
    }
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
  if (self->find_bar != NULL)
    docket_find_bar_set_current_page (self->find_bar, 0);
  self->zoom_mode = DEFAULT_ZOOM_MODE;
  _docket_document_view_notify_zoom (self);
  if (self->zoom_button != NULL)
    _docket_document_view_update_labels (self);
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
        docket_find_bar_find (self->find_bar, find_text, page);
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
  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self->page_view), self->tick_id);
      self->tick_id = 0;
    }
  /* AdwBin unparents its child itself: drop it before the template's children go. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), DOCKET_TYPE_DOCUMENT_VIEW);
  g_clear_object (&self->annotator);
  g_clear_object (&self->reader_state);
  g_clear_object (&self->document);
  g_clear_object (&self->loaded);
  g_clear_object (&self->cached_document);
  g_clear_object (&self->memory);
  g_clear_pointer (&self->open_find_text, g_free);
  g_clear_pointer (&self->path, g_free);
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
      g_value_take_string (value, _docket_document_view_get_zoom_choice (self));
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
      _docket_document_view_set_zoom_choice (self, g_value_get_string (value));
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
  /* The zoom menu's checked item (_docket_document_view_get_zoom_choice); view.set-zoom sets it. */
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
  g_type_ensure (DOCKET_TYPE_FIND_BAR);
  g_type_ensure (DOCKET_TYPE_DOCUMENT_SIDEBAR);
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
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentView, sidebar);
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentView, find_bar);
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentView, signature_revealer);
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentView, signature_icon);
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentView, signature_label);
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentView, signature_list);
  gtk_widget_class_bind_template_callback (widget_class, on_page_entry_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_page_entry_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_go_to_popover_closed);

  gtk_widget_class_install_action (widget_class, "view.zoom-in", NULL, _docket_document_view_zoom_action);
  gtk_widget_class_install_action (widget_class, "view.zoom-out", NULL, _docket_document_view_zoom_action);
  gtk_widget_class_install_action (widget_class, "view.zoom-automatic", NULL, _docket_document_view_zoom_action);
  gtk_widget_class_install_action (widget_class, "view.zoom-fit-width", NULL, _docket_document_view_zoom_action);
  gtk_widget_class_install_action (widget_class, "view.zoom-fit-page", NULL, _docket_document_view_zoom_action);
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
  GSettingsSchemaSource *schemas;
  g_autoptr(GSettingsSchema) schema = NULL;

  self->zoom_mode = DEFAULT_ZOOM_MODE;
  self->zoom_scale = 1.0;
  self->open_page = -1;
  self->open_zoom_mode = DEFAULT_ZOOM_MODE;
  self->open_zoom_scale = 1.0;

  gtk_widget_init_template (GTK_WIDGET (self));
  /* Laid out by the style sheet, in the window or alone (tests, bench/reader). */
  docket_ensure_style ();

  /* Annotating (docket-annotator.h): its actions, its shortcuts and its panel. */
  self->reader_state = docket_reader_state_new ();
  self->annotator = docket_annotator_new (self->reader_state);
  docket_annotator_attach (self->annotator, GTK_WIDGET (self));
  g_signal_connect_object (self->reader_state, "notify::tool", G_CALLBACK (on_tool_chosen), self,
                           G_CONNECT_SWAPPED);
  {
    GtkWidget *panel = docket_annotations_panel_new ();
    docket_annotations_panel_set_annotator (DOCKET_ANNOTATIONS_PANEL (panel), self->annotator);
    docket_document_sidebar_set_annotations_panel (self->sidebar, panel);
  }

  /* The zoom menu, Ctrl+scroll and pinch (docket-document-view-zoom.c). */
  _docket_document_view_init_zoom (self);
  add_page_keys (self);
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->scrolled_window), "value-changed",
                           G_CALLBACK (on_scrolled), self, G_CONNECT_SWAPPED);
  _docket_document_view_update_labels (self);
  _docket_document_view_update_actions (self);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_page), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_page), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_page), self);
  gtk_grid_view_set_factory (self->page_view, factory);
  g_object_unref (factory);

  /* The sidebar shows what the property says, and the property what the flap does (a
   * folded flap closes itself when the pages are clicked). */
  g_object_bind_property (self, "sidebar-visible", self->flap, "reveal-flap",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (self, "annotating", self->annotation_revealer, "reveal-child",
                          G_BINDING_SYNC_CREATE);

  /* Find: the bar searches; the view marks the hits and brings them into view. */
  g_signal_connect_object (self->find_bar, "highlights-changed",
                           G_CALLBACK (on_find_highlights_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->find_bar, "current-changed",
                           G_CALLBACK (scroll_to_current_hit), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->find_bar, "notify::open",
                           G_CALLBACK (on_find_bar_open_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->find_bar, "notify::n-hits",
                           G_CALLBACK (update_find_actions), self, G_CONNECT_SWAPPED);
  update_find_actions (self);

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

void
docket_document_view_go_to_page (DocketDocumentView *self,
                                 guint               index)
{
  g_return_if_fail (DOCKET_IS_DOCUMENT_VIEW (self));

  if (self->document == NULL || index >= docket_pdf_document_get_n_pages (self->document))
    return;
  _docket_document_view_scroll_to_page (self, index, 0);
}

guint
docket_document_view_get_current_page (DocketDocumentView *self)
{
  g_return_val_if_fail (DOCKET_IS_DOCUMENT_VIEW (self), 0);
  return self->current_page;
}




GListModel *
docket_document_view_get_signatures (DocketDocumentView *self)
{
  g_return_val_if_fail (DOCKET_IS_DOCUMENT_VIEW (self), NULL);
  return self->signatures;
}

DocketAnnotator *
docket_document_view_get_annotator (DocketDocumentView *self)
{
  g_return_val_if_fail (DOCKET_IS_DOCUMENT_VIEW (self), NULL);
  return self->annotator;
}
