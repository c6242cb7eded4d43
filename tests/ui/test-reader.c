/* test-reader.c: the reader's zoom and page navigation, in the real window
 *
 * Under Xvfb, against the real docket-server: sign in through the real sign-in page, let
 * the real sync engine fetch the demo documents, open one of four pages, then zoom (the
 * view's keyboard shortcuts and actions) and check that the page widgets take the new
 * size and that a rendering as sharp as the new size arrives; go to page 3 with Ctrl+G
 * and with Page Down, check the "Page N of M" indicator, including when the list is
 * scrolled by hand. Screenshots go to $DOCKET_TEST_ARTIFACTS.
 *
 * Keys are pressed through the widgets' own shortcut controllers: the shortcut whose
 * trigger is the key is looked up and activated, as GTK does when the key arrives.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "docket-test-util.h"
#include "docket-ui-test-util.h"
#include "docket-ui-test-client.h"
#include "docket-store.h"
#include "docket-sync.h"
#include "docket-window.h"
#include "docket-agenda.h"
#include "docket-document.h"
#include "docket-document-view.h"
#include "docket-meeting-list.h"
#include "docket-meeting-list-page.h"
#include "docket-meeting-page.h"
#include "docket-sign-in-page.h"
#include "docket-page-widget.h"

/* Run with --hidpi: at a scale factor of 2. */
static gboolean hidpi;

/* Screenshots go to $DOCKET_TEST_ARTIFACTS. */
static void
save_screenshot (GtkWidget  *window,
                 const char *name)
{
  docket_ui_test_save_screenshot (window, hidpi ? "hidpi-" : NULL, name);
}

/* The document view */

static gboolean
view_settled (gpointer data)
{
  DocketDocumentViewState state = docket_document_view_get_state (data);
  return state == DOCKET_DOCUMENT_VIEW_READY || state == DOCKET_DOCUMENT_VIEW_FAILED;
}

static DocketPageWidget *
find_page_widget (DocketDocumentView *view,
                  guint               index)
{
  GtkWidget *list = docket_ui_test_find_named (GTK_WIDGET (view), "page-view");

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *child = gtk_widget_get_first_child (row);

      if (child != NULL && DOCKET_IS_PAGE_WIDGET (child) &&
          docket_page_widget_get_page (DOCKET_PAGE_WIDGET (child)) != NULL &&
          docket_pdf_page_get_index (docket_page_widget_get_page (DOCKET_PAGE_WIDGET (child))) == index &&
          gtk_widget_get_mapped (child))
        return DOCKET_PAGE_WIDGET (child);
    }
  return NULL;
}

static GtkAdjustment *
view_vadjustment (DocketDocumentView *view)
{
  return gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (docket_ui_test_find_named (GTK_WIDGET (view), "page-view")));
}

typedef struct {
  DocketDocumentView *view;
  guint               index;
  int                 display_width;  /* the page's width on screen, or 0: any */
} SharpWait;

/* Page `index` is shown display_width wide, with a rendering of exactly that width
 * times the scale factor: sharp, not a stretched older one. */
static gboolean
page_sharp (gpointer data)
{
  SharpWait *wait = data;
  DocketPageWidget *widget = find_page_widget (wait->view, wait->index);
  GdkTexture *texture;
  int display_width;

  if (widget == NULL || (texture = docket_page_widget_get_texture (widget)) == NULL)
    return FALSE;
  display_width = docket_page_widget_get_display_width (widget);
  if (wait->display_width != 0 && display_width != wait->display_width)
    return FALSE;
  /* Exactly as many pixels as the page has on screen, unless that is beyond the largest
   * texture the document renders (400 % at HiDPI): then the largest it renders. */
  return gdk_texture_get_width (texture) ==
         docket_pdf_document_get_render_width (docket_document_view_get_pdf_document (wait->view), wait->index,
                                               display_width * gtk_widget_get_scale_factor (GTK_WIDGET (widget)));
}

/* Waits for the page to be shown sharp at the given scale; returns its texture's width. */
static int
wait_for_sharp_page (DocketDocumentView *view,
                     guint               index,
                     double              scale)
{
  double width_pt = 0;
  SharpWait wait = { view, index, 0 };
  DocketPageWidget *widget;

  g_assert_true (docket_pdf_document_get_page_size (docket_document_view_get_pdf_document (view), index,
                                                    &width_pt, NULL));
  if (scale > 0)
    wait.display_width = (int) (width_pt * scale * DOCKET_PAGE_WIDGET_PIXELS_PER_POINT + 0.5);
  docket_ui_test_wait_for (page_sharp, &wait, "the page's sharp rendering");
  widget = find_page_widget (view, index);
  /* The row is as big as the page plus its margin: the list lays out the new size. */
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (widget)), >=,
                   docket_page_widget_get_display_width (widget) + 2 * DOCKET_PAGE_WIDGET_MARGIN);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (widget)), ==,
                   docket_page_widget_get_display_height (widget) + 2 * DOCKET_PAGE_WIDGET_MARGIN);
  return gdk_texture_get_width (docket_page_widget_get_texture (widget));
}

/* Whether the toolbar's button for the action can be pressed: the action's enabled
 * state, as the person sees it. */
static gboolean
action_enabled (DocketDocumentView *view,
                const char         *action)
{
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();

  g_ptr_array_add (stack, view);
  while (stack->len > 0)
    {
      GtkWidget *current = g_ptr_array_steal_index (stack, stack->len - 1);

      if (GTK_IS_ACTIONABLE (current) &&
          g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (current)), action) == 0)
        return gtk_widget_get_sensitive (current);
      for (GtkWidget *child = gtk_widget_get_first_child (current); child != NULL;
           child = gtk_widget_get_next_sibling (child))
        g_ptr_array_add (stack, child);
    }
  g_error ("No button for %s", action);
  return FALSE;
}

typedef struct {
  DocketDocumentView *view;
  guint               index;
} PageWait;

static gboolean
current_page_is (gpointer data)
{
  PageWait *wait = data;
  return docket_document_view_get_current_page (wait->view) == wait->index;
}

/* The page's top is at the top of the view (give or take its row's padding). */
static gboolean
page_at_top (gpointer data)
{
  PageWait *wait = data;
  DocketPageWidget *widget = find_page_widget (wait->view, wait->index);
  GtkWidget *list = docket_ui_test_find_named (GTK_WIDGET (wait->view), "page-view");
  graphene_rect_t bounds;

  return widget != NULL && gtk_widget_compute_bounds (GTK_WIDGET (widget), list, &bounds) &&
         fabs (bounds.origin.y) <= 16;
}

/* The page is the current one, the indicator says so, and the page is in view. */
static void
assert_on_page (DocketDocumentView *view,
                guint               index,
                gboolean            at_top)
{
  PageWait wait = { view, index };
  guint n_pages = docket_pdf_document_get_n_pages (docket_document_view_get_pdf_document (view));
  g_autofree char *label = g_strdup_printf ("Page %u of %u", index + 1, n_pages);
  GtkWidget *list = docket_ui_test_find_named (GTK_WIDGET (view), "page-view");
  DocketPageWidget *widget;
  graphene_rect_t bounds;

  g_test_message ("expecting page %u (now %u)", index + 1, docket_document_view_get_current_page (view) + 1);
  docket_ui_test_wait_for (current_page_is, &wait, "the current page");
  if (at_top)
    docket_ui_test_wait_for (page_at_top, &wait, "the page at the top of the view");
  g_assert_cmpstr (docket_ui_test_get_label (GTK_WIDGET (view), "page-button"), ==, label);
  docket_ui_test_wait_for_paint (GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (view))));
  widget = find_page_widget (view, index);
  g_assert_nonnull (widget);
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (widget), list, &bounds));
  /* On screen... */
  g_assert_cmpfloat (bounds.origin.y, <, gtk_widget_get_height (list));
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, >, 0);
  /* ...and, when it could get there, at the top (its row's padding above it). */
  if (at_top)
    g_assert_cmpfloat (fabs (bounds.origin.y), <=, 16);
}

/* The zoom menu's checked item is choice (view.set-zoom's state, from "zoom-choice"). */
static void
assert_zoom_choice (DocketDocumentView *view,
                    const char         *choice)
{
  g_autofree char *value = NULL;

  g_object_get (view, "zoom-choice", &value, NULL);
  g_assert_cmpstr (value, ==, choice);
}

/* The reader's zoom steps, 50 % to 400 %: the one after `scale`, up or down. */
static double
next_level (double scale,
            int    direction)
{
  static const double levels[] = { 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0 };

  if (direction > 0)
    {
      for (guint i = 0; i < G_N_ELEMENTS (levels); i++)
        if (levels[i] > scale + 0.005)
          return levels[i];
      return levels[G_N_ELEMENTS (levels) - 1];
    }
  for (guint i = G_N_ELEMENTS (levels); i > 0; i--)
    if (levels[i - 1] < scale - 0.005)
      return levels[i - 1];
  return levels[0];
}

static void
test_zoom_and_pages (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *root = docket_test_make_tmpdir ("docket-reader");
  g_autofree char *profile = g_build_filename (root, "profile", NULL);
  DocketUiTestClient client = { 0 };
  DocketDocumentView *view;
  DocketDocument *document;
  GtkWidget *scrolled, *entry;
  GtkAdjustment *adjustment;
  guint n_pages;
  int automatic_texture, fit_width_texture, texture;
  double fit_scale, step;
  g_autofree char *label = NULL;

  docket_ui_test_client_sign_in_and_sync (&client, server, profile);
  document = docket_ui_test_open_document_with_pages (client.window, 4, NULL);
  view = DOCKET_DOCUMENT_VIEW (docket_window_get_document_view (client.window));
  /* The pages' scrolled window (the status page has one of its own). */
  scrolled = gtk_widget_get_parent (docket_ui_test_find_named (GTK_WIDGET (view), "page-view"));
  g_assert_true (GTK_IS_SCROLLED_WINDOW (scrolled));
  docket_ui_test_wait_for (view_settled, view, "the document to open");
  g_assert_cmpint (docket_document_view_get_state (view), ==, DOCKET_DOCUMENT_VIEW_READY);
  n_pages = docket_pdf_document_get_n_pages (docket_document_view_get_pdf_document (view));
  g_assert_cmpuint (n_pages, ==, docket_document_get_pages (document));
  g_assert_cmpuint (n_pages, >=, 4);

  /* It opens at the first page, at the automatic zoom: a page of text at its printed
   * size (100 %), or as wide as the view where the view is narrower (at a scale factor
   * of 2 on the tests' 1280 by 900 screen). */
  g_assert_cmpint (docket_document_view_get_zoom_mode (view), ==, DOCKET_ZOOM_AUTOMATIC);
  g_assert_cmpstr (docket_ui_test_get_label (GTK_WIDGET (view), "zoom-button"), ==, "Automatic");
  automatic_texture = wait_for_sharp_page (view, 0, 0);
  assert_on_page (view, 0, TRUE);
  g_assert_cmpint (gtk_widget_get_scale_factor (GTK_WIDGET (view)), ==, hidpi ? 2 : 1);
  {
    DocketPageWidget *widget = find_page_widget (view, 0);
    int room = gtk_widget_get_width (GTK_WIDGET (widget)) - 2 * DOCKET_PAGE_WIDGET_MARGIN;
    double width_pt = 0;
    int printed;

    g_assert_true (docket_pdf_document_get_page_size (docket_document_view_get_pdf_document (view), 0,
                                                      &width_pt, NULL));
    printed = (int) (width_pt * DOCKET_PAGE_WIDGET_PIXELS_PER_POINT + 0.5);
    g_test_message ("automatic: %d px of room, printed size %d px", room, printed);
    g_assert_cmpint (docket_page_widget_get_display_width (widget), ==, MIN (room, printed));
    if (!hidpi)
      {
        g_assert_cmpint (room, >, printed);
        g_assert_cmpfloat_with_epsilon (docket_document_view_get_zoom_scale (view), 1.0, 0.01);
      }
  }
  /* Both ways of zooming can be pressed from the start; the zoom menu has Automatic
   * checked. */
  g_assert_true (action_enabled (view, "view.zoom-in"));
  g_assert_true (action_enabled (view, "view.zoom-out"));
  assert_zoom_choice (view, "automatic");
  save_screenshot (GTK_WIDGET (client.window), "reader-automatic.png");

  /* Fit width, from the zoom menu: as wide as the view, so bigger and sharper here. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "view.set-zoom", "s", "fit-width"));
  g_assert_cmpint (docket_document_view_get_zoom_mode (view), ==, DOCKET_ZOOM_FIT_WIDTH);
  g_assert_cmpstr (docket_ui_test_get_label (GTK_WIDGET (view), "zoom-button"), ==, "Fit Width");
  assert_zoom_choice (view, "fit-width");
  fit_width_texture = wait_for_sharp_page (view, 0, 0);
  assert_on_page (view, 0, TRUE);
  {
    DocketPageWidget *widget = find_page_widget (view, 0);

    g_assert_cmpint (docket_page_widget_get_display_width (widget), ==,
                     gtk_widget_get_width (GTK_WIDGET (widget)) - 2 * DOCKET_PAGE_WIDGET_MARGIN);
  }
  fit_scale = docket_document_view_get_zoom_scale (view);
  g_test_message ("fit width: scale %.3f, texture %d px wide", fit_scale, fit_width_texture);
  g_assert_cmpfloat (fit_scale, >, 0.5);
  g_assert_cmpfloat (fit_scale, <, 3.0);
  /* Where the view is wider than the printed page, bigger than the automatic zoom. */
  if (!hidpi)
    g_assert_cmpint (fit_width_texture, >, automatic_texture);
  save_screenshot (GTK_WIDGET (client.window), "reader-fit-width.png");

  /* Ctrl+plus: the next step above the fitted scale, bigger and sharper. */
  docket_ui_test_press (GTK_WIDGET (view), "<Control>plus");
  step = next_level (fit_scale, +1);
  label = g_strdup_printf ("%d%%", (int) (step * 100 + 0.5));
  g_assert_cmpint (docket_document_view_get_zoom_mode (view), ==, DOCKET_ZOOM_FIXED);
  g_assert_cmpfloat (docket_document_view_get_zoom_scale (view), ==, step);
  g_assert_cmpstr (docket_ui_test_get_label (GTK_WIDGET (view), "zoom-button"), ==, label);
  {
    char choice[G_ASCII_DTOSTR_BUF_SIZE];

    assert_zoom_choice (view, g_ascii_dtostr (choice, sizeof choice, step));
  }
  texture = wait_for_sharp_page (view, 0, step);
  g_assert_cmpint (texture, >, fit_width_texture);
  assert_on_page (view, 0, TRUE);
  {
    /* Wider than the view: it scrolls sideways. */
    GtkAdjustment *hadjustment = gtk_scrollable_get_hadjustment (
        GTK_SCROLLABLE (docket_ui_test_find_named (GTK_WIDGET (view), "page-view")));

    g_assert_cmpfloat (gtk_adjustment_get_upper (hadjustment), >,
                       gtk_adjustment_get_page_size (hadjustment) + 100);
  }
  save_screenshot (GTK_WIDGET (client.window), "reader-zoom-in.png");

  /* Ctrl+minus twice: a step down each time, each re-rendered at its size. */
  for (guint i = 0; i < 2; i++)
    {
      int smaller;

      docket_ui_test_press (GTK_WIDGET (view), "<Control>minus");
      step = next_level (step, -1);
      g_assert_cmpfloat (docket_document_view_get_zoom_scale (view), ==, step);
      smaller = wait_for_sharp_page (view, 0, step);
      g_assert_cmpint (smaller, <, texture);
      texture = smaller;
    }

  /* The menu's steps, down to the smallest; zooming out stops there. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "view.set-zoom", "s", "0.5"));
  g_assert_cmpstr (docket_ui_test_get_label (GTK_WIDGET (view), "zoom-button"), ==, "50%");
  wait_for_sharp_page (view, 0, 0.5);
  g_assert_false (action_enabled (view, "view.zoom-out"));
  g_assert_true (action_enabled (view, "view.zoom-in"));
  gtk_widget_activate_action (GTK_WIDGET (view), "view.zoom-out", NULL);
  g_assert_cmpfloat (docket_document_view_get_zoom_scale (view), ==, 0.5);
  save_screenshot (GTK_WIDGET (client.window), "reader-zoom-50.png");

  /* Up to the largest; zooming in stops there. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "view.set-zoom", "s", "4"));
  wait_for_sharp_page (view, 0, 4.0);
  g_assert_false (action_enabled (view, "view.zoom-in"));
  gtk_widget_activate_action (GTK_WIDGET (view), "view.zoom-in", NULL);
  g_assert_cmpfloat (docket_document_view_get_zoom_scale (view), ==, 4.0);

  /* Fit page: the whole page in the view. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "view.zoom-fit-page", NULL));
  g_assert_cmpstr (docket_ui_test_get_label (GTK_WIDGET (view), "zoom-button"), ==, "Fit Page");
  assert_zoom_choice (view, "fit-page");
  wait_for_sharp_page (view, 0, 0);
  {
    GtkWidget *row = gtk_widget_get_parent (GTK_WIDGET (find_page_widget (view, 0)));

    /* The whole row, page, margin and padding, fits the view's height. */
    g_assert_cmpint (gtk_widget_get_height (row), <=, gtk_widget_get_height (scrolled));
    g_assert_cmpint (gtk_widget_get_height (row), >=, gtk_widget_get_height (scrolled) - 2);
  }
  save_screenshot (GTK_WIDGET (client.window), "reader-fit-page.png");

  /* Ctrl+0: back to the zoom it opened at, as sharp as at first. */
  docket_ui_test_press (GTK_WIDGET (view), "<Control>0");
  g_assert_cmpint (docket_document_view_get_zoom_mode (view), ==, DOCKET_ZOOM_AUTOMATIC);
  g_assert_cmpint (wait_for_sharp_page (view, 0, 0), ==, automatic_texture);

  /* Ctrl+G: a wrong number is said in place; page 3 is then shown at the top. */
  docket_ui_test_press (GTK_WIDGET (view), "<Control>g");
  entry = docket_ui_test_find_named (GTK_WIDGET (view), "page-entry");
  g_assert_true (gtk_widget_get_mapped (entry));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "1");
  for (guint i = 0; i < 3; i++)
    {
      const char *wrong[] = { "0", "99", "ba" };

      gtk_editable_set_text (GTK_EDITABLE (entry), wrong[i]);
      g_signal_emit_by_name (entry, "activate");
      g_assert_true (gtk_widget_has_css_class (entry, "error"));
      g_assert_nonnull (docket_ui_test_get_shown_label (GTK_WIDGET (view), "page-error"));
      g_assert_true (gtk_widget_get_mapped (entry));
      g_assert_cmpuint (docket_document_view_get_current_page (view), ==, 0);
    }
  /* The popover is a surface of its own. */
  save_screenshot (gtk_widget_get_ancestor (entry, GTK_TYPE_POPOVER), "reader-go-to-error.png");
  gtk_editable_set_text (GTK_EDITABLE (entry), "3");
  /* Typing again clears the error. */
  g_assert_false (gtk_widget_has_css_class (entry, "error"));
  g_signal_emit_by_name (entry, "activate");
  g_assert_null (docket_ui_test_get_shown_label (GTK_WIDGET (view), "page-error"));
  assert_on_page (view, 2, TRUE);
  g_assert_false (gtk_widget_get_mapped (entry));
  wait_for_sharp_page (view, 2, 0);
  save_screenshot (GTK_WIDGET (client.window), "reader-page-3.png");

  /* Home, then Page Down twice: page 3 again; Page Up goes back one. */
  docket_ui_test_press (scrolled, "Home");
  assert_on_page (view, 0, TRUE);
  docket_ui_test_press (scrolled, "Page_Down");
  assert_on_page (view, 1, TRUE);
  docket_ui_test_press (scrolled, "Page_Down");
  assert_on_page (view, 2, TRUE);
  docket_ui_test_press (scrolled, "Page_Up");
  assert_on_page (view, 1, TRUE);
  /* End: the last page, which cannot reach the top of the view. */
  docket_ui_test_press (scrolled, "End");
  assert_on_page (view, n_pages - 1, FALSE);
  wait_for_sharp_page (view, n_pages - 1, 0);
  save_screenshot (GTK_WIDGET (client.window), "reader-last-page.png");

  /* Zooming keeps the page being read in view. */
  docket_ui_test_press (scrolled, "Home");
  docket_ui_test_press (scrolled, "Page_Down");
  assert_on_page (view, 1, TRUE);
  docket_ui_test_press (GTK_WIDGET (view), "<Control>minus");
  g_assert_cmpint (docket_document_view_get_zoom_mode (view), ==, DOCKET_ZOOM_FIXED);
  wait_for_sharp_page (view, 1, docket_document_view_get_zoom_scale (view));
  assert_on_page (view, 1, TRUE);
  docket_ui_test_press (GTK_WIDGET (view), "<Control>0");
  wait_for_sharp_page (view, 1, 0);
  assert_on_page (view, 1, TRUE);

  /* Scrolling by hand: the indicator follows. */
  adjustment = view_vadjustment (view);
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment));
  assert_on_page (view, n_pages - 1, FALSE);
  gtk_adjustment_set_value (adjustment, 0);
  assert_on_page (view, 0, TRUE);
  {
    GtkWidget *first_row = gtk_widget_get_parent (GTK_WIDGET (find_page_widget (view, 0)));

    /* Just past the first page: the second page is read. */
    gtk_adjustment_set_value (adjustment, gtk_widget_get_height (first_row) + 40);
    assert_on_page (view, 1, FALSE);
    save_screenshot (GTK_WIDGET (client.window), "reader-scrolled.png");
  }

  /* Another document opens at its first page, at the automatic zoom. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (client.window), "win.back", NULL));
  g_assert_false (action_enabled (view, "view.zoom-in"));
  g_assert_cmpint (docket_document_view_get_zoom_mode (view), ==, DOCKET_ZOOM_AUTOMATIC);

  docket_ui_test_client_close (&client);
  docket_test_server_stop (server);
  docket_test_rmtree (root);
}

/* The automatic zoom, as wide as each kind of page is shown in a row `available` pixels
 * wide of a view 700 pixels high: text at its printed size unless the row is narrower,
 * slides whole in the view. */
static void
test_automatic_zoom_sizes (void)
{
  const double a4_width = 595.28, a4_height = 841.89;
  const int margins = 2 * DOCKET_PAGE_WIDGET_MARGIN;
  int printed = (int) (a4_width * DOCKET_PAGE_WIDGET_PIXELS_PER_POINT + 0.5);

  g_assert_cmpint (printed, ==, 794);
  /* Portrait, wide screen: printed size, not the row's width. */
  g_assert_cmpint (docket_page_widget_compute_display_width (DOCKET_ZOOM_AUTOMATIC, 1, a4_width, a4_height,
                                                             1900, 700), ==, printed);
  g_assert_cmpint (docket_page_widget_compute_display_width (DOCKET_ZOOM_FIT_WIDTH, 1, a4_width, a4_height,
                                                             1900, 700), ==, 1900 - margins);
  /* Portrait, narrow window: the row's width. */
  g_assert_cmpint (docket_page_widget_compute_display_width (DOCKET_ZOOM_AUTOMATIC, 1, a4_width, a4_height,
                                                             600, 700), ==, 600 - margins);
  /* Landscape: the whole page in the view's height... */
  g_assert_cmpint (docket_page_widget_compute_display_width (DOCKET_ZOOM_AUTOMATIC, 1, a4_height, a4_width,
                                                             1900, 700), ==,
                   (int) ((700 - margins) * a4_height / a4_width));
  /* ...or in its width, where that is narrower. */
  g_assert_cmpint (docket_page_widget_compute_display_width (DOCKET_ZOOM_AUTOMATIC, 1, a4_height, a4_width,
                                                             800, 700), ==, 800 - margins);
}

/* Far pages of a long document: the list view only estimates where rows it has not made
 * are, and "go to" still lands on the page, also after a zoom. */
/* A flick: the view scrolled half a screen down at every frame, frames_left times; the
 * page indicator read at each frame. */
typedef struct {
  DocketDocumentView *view;
  GtkAdjustment      *adjustment;
  guint               frames_left;
  GArray             *seen;        /* guint: the current page at each frame */
} Flick;

static gboolean
flick_tick (GtkWidget     *widget,
            GdkFrameClock *clock,
            gpointer       data)
{
  Flick *flick = data;
  guint page = docket_document_view_get_current_page (flick->view);

  /* Until the test removes it. */
  if (flick->frames_left == 0)
    return G_SOURCE_CONTINUE;
  g_array_append_val (flick->seen, page);
  flick->frames_left--;
  gtk_adjustment_set_value (flick->adjustment, gtk_adjustment_get_value (flick->adjustment) +
                                               gtk_adjustment_get_page_size (flick->adjustment) / 2);
  return G_SOURCE_CONTINUE;
}

static gboolean
flick_done (gpointer data)
{
  return ((Flick *) data)->frames_left == 0;
}

static void
test_long_document (void)
{
  g_autofree char *root = docket_test_make_tmpdir ("docket-reader");
  g_autofree char *path = g_build_filename (root, "long.pdf", NULL);
  GtkWidget *window = gtk_window_new ();
  DocketDocumentView *view = g_object_new (DOCKET_TYPE_DOCUMENT_VIEW, NULL);
  const guint targets[] = { 499, 998, 3, 750 };

  docket_ui_test_write_numbered_pdf (path, 1000, FALSE);
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 700);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (window));

  docket_document_view_open (view, path);
  docket_ui_test_wait_for (view_settled, view, "the long document to open");
  g_assert_cmpint (docket_document_view_get_state (view), ==, DOCKET_DOCUMENT_VIEW_READY);
  wait_for_sharp_page (view, 0, 0);
  assert_on_page (view, 0, TRUE);

  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      docket_document_view_go_to_page (view, targets[i]);
      assert_on_page (view, targets[i], TRUE);
      wait_for_sharp_page (view, targets[i], 0);
    }
  save_screenshot (window, "reader-long-page-751.png");

  /* Scrolled at every frame, as a flick or a held key does: the page indicator follows
   * all the way (a frame or two behind), not only once the scrolling stops. */
  {
    Flick flick = { view, view_vadjustment (view), 60, g_array_new (FALSE, FALSE, sizeof (guint)) };
    guint changes = 0;
    guint tick = gtk_widget_add_tick_callback (window, flick_tick, &flick, NULL);

    docket_ui_test_wait_for (flick_done, &flick, "the flick");
    gtk_widget_remove_tick_callback (window, tick);
    for (guint i = 1; i < flick.seen->len; i++)
      {
        guint before = g_array_index (flick.seen, guint, i - 1), after = g_array_index (flick.seen, guint, i);

        g_assert_cmpuint (after, >=, before);
        changes += after != before;
      }
    g_test_message ("flick: %u frames, the indicator moved %u times, from page %u to %u", flick.seen->len,
                    changes, g_array_index (flick.seen, guint, 0) + 1,
                    g_array_index (flick.seen, guint, flick.seen->len - 1) + 1);
    g_assert_cmpuint (changes, >=, 10);
    g_array_unref (flick.seen);
  }
  docket_document_view_go_to_page (view, 750);
  assert_on_page (view, 750, TRUE);

  /* Zoomed out, then in: still on the same page. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "view.set-zoom", "s", "0.5"));
  wait_for_sharp_page (view, 750, 0.5);
  assert_on_page (view, 750, TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "view.set-zoom", "s", "3"));
  wait_for_sharp_page (view, 750, 3.0);
  assert_on_page (view, 750, TRUE);
  save_screenshot (window, "reader-long-page-751-300.png");

  gtk_window_destroy (GTK_WINDOW (window));
  docket_test_rmtree (root);
}

int
main (int   argc,
      char *argv[])
{
  /* --hidpi: the same test at a scale factor of 2, where renderings must be twice as
   * many pixels as the page is wide. */
  if (argc > 1 && g_str_equal (argv[argc - 1], "--hidpi"))
    {
      g_setenv ("GDK_SCALE", "2", TRUE);
      hidpi = TRUE;
      argv[--argc] = NULL;
    }

  docket_ui_test_init (&argc, &argv);

  g_test_add_func ("/reader/automatic-zoom-sizes", test_automatic_zoom_sizes);
  g_test_add_func ("/reader/zoom-and-pages", test_zoom_and_pages);
  g_test_add_func ("/reader/long-document", test_long_document);

  return g_test_run ();
}
