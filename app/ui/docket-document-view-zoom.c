/* docket-document-view-zoom.c: the document view's zoom, and the gestures that change it
 *
 * Fit width, fit page, automatic, the steps from 50 % to 400 % (the menu, Ctrl+plus and
 * minus), Ctrl+scroll and the pinch, keeping the point under the pointer or the fingers
 * where it is. Apart from docket-document-view.c because it is a whole of its own that
 * only asks the view where its pages are and to scroll to one.
 */

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "docket-document-view-private.h"

/* The fixed zoom steps, from ZOOM_MIN to ZOOM_MAX. */
static const double zoom_levels[] = { ZOOM_MIN, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0, ZOOM_MAX };

static void change_zoom (DocketDocumentView *self,
                         DocketZoomMode      mode,
                         double              scale,
                         guint               anchor,
                         double              fraction,
                         double              offset);

/* How wide the pages' rows will be. While a document loads the stack shows the spinner
 * and the list keeps its last width (none, the first time): the stack's, less the
 * sidebar when it sits beside the pages. */
int
_docket_document_view_predicted_row_width (DocketDocumentView *self)
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

/* The scale the current page is shown at, whatever the mode. */
double
_docket_document_view_effective_scale (DocketDocumentView *self)
{
  DocketPageWidget *widget;
  double width_pt = 0, height_pt = 0;
  int display_width;

  if (self->zoom_mode == DOCKET_ZOOM_FIXED || self->document == NULL)
    return self->zoom_scale;

  widget = _docket_document_view_find_page_widget (self, self->current_page);
  if (!docket_pdf_document_get_page_size (self->document, self->current_page, &width_pt, &height_pt) ||
      width_pt <= 0)
    return 1.0;
  if (widget != NULL && gtk_widget_get_width (GTK_WIDGET (widget)) > 0)
    display_width = docket_page_widget_get_display_width (widget);
  else
    /* Not laid out yet (the document has just opened): as its row will show it. */
    display_width = docket_page_widget_compute_display_width (self->zoom_mode, self->zoom_scale, width_pt, height_pt,
                                                              _docket_document_view_predicted_row_width (self), _docket_document_view_view_height (self));
  return display_width / (width_pt * DOCKET_PAGE_WIDGET_PIXELS_PER_POINT);
}

void
_docket_document_view_apply_zoom (DocketPageWidget   *widget,
            DocketDocumentView *self)
{
  docket_page_widget_set_zoom (widget, self->zoom_mode, self->zoom_scale, _docket_document_view_view_height (self));
}

static void
apply_zoom_to_all (DocketDocumentView *self)
{
  g_autoptr(GPtrArray) widgets = _docket_document_view_list_page_widgets (self);

  g_ptr_array_foreach (widgets, (GFunc) _docket_document_view_apply_zoom, self);
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
      widget = self->document != NULL ? _docket_document_view_find_page_widget (self, anchor) : NULL;
      if (widget != NULL && _docket_document_view_page_widget_top (self, widget, &top) && top < 0)
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
      _docket_document_view_scroll_to_page (self, anchor, fraction);
      self->target_offset = offset;
    }

  _docket_document_view_update_labels (self);
  _docket_document_view_update_actions (self);
  _docket_document_view_queue_save_view_state (self);
  _docket_document_view_notify_zoom (self);
}

static void
zoom_step (DocketDocumentView *self,
           int                 direction)
{
  double current = _docket_document_view_effective_scale (self);

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
  self->pinch_start_scale = _docket_document_view_effective_scale (self);
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
  widgets = _docket_document_view_list_page_widgets (self);
  for (guint i = 0; i < widgets->len; i++)
    {
      DocketPageWidget *widget = g_ptr_array_index (widgets, i);
      double top;
      int height = gtk_widget_get_height (GTK_WIDGET (widget));

      if (height > 0 && _docket_document_view_page_widget_top (self, widget, &top) && top <= y && y < top + height)
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

void
_docket_document_view_zoom_action (GtkWidget  *widget,
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
char *
_docket_document_view_get_zoom_choice (DocketDocumentView *self)
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

void
_docket_document_view_set_zoom_choice (DocketDocumentView *self,
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
  return _docket_document_view_effective_scale (self);
}

void
_docket_document_view_init_zoom (DocketDocumentView *self)
{
  g_autoptr(GMenuModel) zoom_menu = build_zoom_menu ();
  GtkEventController *scroll;
  GtkGesture *pinch;

  gtk_menu_button_set_menu_model (self->zoom_button, zoom_menu);

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

  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->scrolled_window), "notify::page-size",
                           G_CALLBACK (on_view_resized), self, G_CONNECT_SWAPPED);
}
