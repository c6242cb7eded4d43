/* test-reader-shell.c: what the reader has around the pages, in the real window
 *
 * Under Xvfb, against the real docket-server and its demo documents: the page and zoom
 * of each document remembered in the profile across a new window; night mode, remembered
 * in GSettings; the sidebar's thumbnails and a PDF's outline going to their page; pinch
 * zoom and "view.show-page"; a damaged and a password-protected PDF each showing a clear
 * page; a signed PDF (signed here with openssl) showing who signed and whether the
 * signature holds; and a 1,000-page document read from end to end with a bounded number
 * of page textures alive. Find in a document is in test-reader-shell-find.c; what both
 * use, in test-reader-shell-common.c. Screenshots go to $DOCKET_TEST_ARTIFACTS.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <adwaita.h>
#include <cairo.h>
#include <cairo-pdf.h>
#include <json-glib/json-glib.h>

#include "docket-test-util.h"
#include "docket-ui-test-util.h"
#include "docket-ui-test-client.h"
#include "test-reader-shell-common.h"
#include "docket-store.h"
#include "docket-sync.h"
#include "docket-text-fold.h"
#include "docket-window.h"
#include "docket-agenda.h"
#include "docket-document.h"
#include "docket-document-view.h"
#include "docket-meeting-list.h"
#include "docket-meeting-list-page.h"
#include "docket-meeting-page.h"
#include "docket-sign-in-page.h"
#include "docket-page-widget.h"
#include "docket-pdf-find.h"
#include "docket-pdf-outline.h"
#include "docket-pdf-signature.h"
#include "docket-thumbnail.h"

/* Where each document was left */

typedef struct {
  DocketStore *store;
  const char  *document_id;
  guint        page;
  double       scale;
} StoredWait;

static gboolean
view_state_stored (gpointer data)
{
  StoredWait *wait = data;
  guint page = 0;
  int mode = -1;
  double scale = 0;

  return docket_store_get_view_state (wait->store, wait->document_id, &page, &mode, &scale, NULL) &&
         page == wait->page && mode == DOCKET_ZOOM_FIXED && fabs (scale - wait->scale) < 1e-6;
}

static gboolean
reader_memory_idle (gpointer data)
{
  return docket_reader_memory_get_n_pending (DOCKET_READER_MEMORY (data)) == 0;
}

static void
test_remembered_page_and_zoom (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *root = docket_test_make_tmpdir ("docket-reader-shell");
  g_autofree char *profile = g_build_filename (root, "profile", NULL);
  DocketUiTestClient client = { 0 };
  DocketDocumentView *view;
  g_autofree char *first_id = NULL;
  DocketDocument *document;
  StoredWait wait;

  docket_ui_test_client_sign_in_and_sync (&client, server, profile);
  document = docket_ui_test_open_document_with_pages (client.window, 3, NULL);
  first_id = g_strdup (docket_document_get_id (document));
  view = DOCKET_DOCUMENT_VIEW (docket_ui_test_window_part (client.window, DOCKET_TYPE_DOCUMENT_VIEW));
  docket_ui_test_wait_for (docket_ui_test_view_settled, view, "the document to open");

  /* Never opened: its first page, at the automatic zoom. */
  g_assert_cmpuint (docket_document_view_get_current_page (view), ==, 0);
  g_assert_cmpint (docket_document_view_get_zoom_mode (view), ==, DOCKET_ZOOM_AUTOMATIC);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "view.set-zoom", "s", "1.5"));
  docket_document_view_go_to_page (view, 2);
  assert_on_page (view, 2);
  /* Written to the profile soon after, without waiting for the document to close (an
   * app killed now still opens there). */
  wait = (StoredWait) { client.store, first_id, 2, 1.5 };
  docket_ui_test_wait_for (view_state_stored, &wait, "the reading position in the profile");

  /* Another document opens at its own first page, at the automatic zoom. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (client.window), "win.back", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (client.window), "win.back", NULL));
  docket_ui_test_open_document_with_pages (client.window, 1, first_id);
  docket_ui_test_wait_for (docket_ui_test_view_settled, view, "the other document to open");
  g_assert_cmpuint (docket_document_view_get_current_page (view), ==, 0);
  g_assert_cmpint (docket_document_view_get_zoom_mode (view), ==, DOCKET_ZOOM_AUTOMATIC);

  /* A new window on the same profile: the first document opens where it was left. */
  gtk_window_destroy (GTK_WINDOW (client.window));
  g_clear_object (&client.window);
  docket_ui_test_client_new_window (&client);
  docket_ui_test_wait_for (docket_ui_test_client_synced, &client, "the meetings in the new window");
  document = docket_ui_test_open_document_with_pages (client.window, 3, NULL);
  g_assert_cmpstr (docket_document_get_id (document), ==, first_id);
  view = DOCKET_DOCUMENT_VIEW (docket_ui_test_window_part (client.window, DOCKET_TYPE_DOCUMENT_VIEW));
  docket_ui_test_wait_for (docket_ui_test_view_settled, view, "the document to open again");
  assert_on_page (view, 2);
  g_assert_cmpint (docket_document_view_get_zoom_mode (view), ==, DOCKET_ZOOM_FIXED);
  g_assert_cmpfloat (docket_document_view_get_zoom_scale (view), ==, 1.5);
  g_assert_cmpstr (docket_ui_test_get_label (GTK_WIDGET (view), "zoom-button"), ==, "150%");
  save_screenshot (GTK_WIDGET (client.window), "reader-remembered.png");

  /* A position the document cannot have (a newer version is shorter) is its last page. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (client.window), "win.back", NULL));
  /* (Leaving saved the position again: let that write land before ours. The stored
   * value already matches, so wait for the write itself.) */
  docket_ui_test_wait_for (reader_memory_idle, docket_document_view_get_reader_memory (view),
                           "the reading position saved on leaving");
  g_assert_true (docket_store_set_view_state (client.store, first_id, 9999, 42, NAN, NULL));
  g_assert_true (docket_window_open_document (client.window, first_id));
  docket_ui_test_wait_for (docket_ui_test_view_settled, view, "the document to open at a bad position");
  {
    guint last = docket_pdf_document_get_n_pages (docket_document_view_get_pdf_document (view)) - 1;
    PageWait page_wait = { view, last };

    docket_ui_test_wait_for (current_page_is, &page_wait, "the last page");
    /* An unknown zoom (42) is the default one. */
    g_assert_cmpint (docket_document_view_get_zoom_mode (view), ==, DOCKET_ZOOM_AUTOMATIC);
  }

  docket_ui_test_client_close (&client);
  docket_test_server_stop (server);
  docket_test_rmtree (root);
}

/* Night mode */

static void
test_night_mode (void)
{
  g_autofree char *root = docket_test_make_tmpdir ("docket-reader-shell");
  g_autofree char *path = g_build_filename (root, "night.pdf", NULL);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GtkWidget *window, *second_window;
  DocketDocumentView *view, *second;
  PageWait wait;

  docket_ui_test_write_numbered_pdf (path, 3, FALSE);
  g_settings_set_boolean (settings, "night-mode", FALSE);
  view = open_in_window (path, &window);
  wait = (PageWait) { view, 0 };
  docket_ui_test_wait_for (docket_ui_test_page_rendered, &wait, "the first page");
  g_assert_false (gtk_widget_has_css_class (page_list (view), "docket-night"));

  /* The toolbar's toggle (its action): pages inverted, and remembered. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "view.night-mode", NULL));
  g_assert_true (gtk_widget_has_css_class (page_list (view), "docket-night"));
  g_assert_true (g_settings_get_boolean (settings, "night-mode"));
  docket_ui_test_wait_for_paint (window);
  save_screenshot (window, "reader-night-mode.png");

  /* Another reader opens in night mode too. */
  second = open_in_window (path, &second_window);
  g_assert_true (gtk_widget_has_css_class (page_list (second), "docket-night"));
  gtk_window_destroy (GTK_WINDOW (second_window));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "view.night-mode", NULL));
  g_assert_false (gtk_widget_has_css_class (page_list (view), "docket-night"));
  g_assert_false (g_settings_get_boolean (settings, "night-mode"));

  gtk_window_destroy (GTK_WINDOW (window));
  docket_test_rmtree (root);
}

/* The sidebar */

/* The thumbnail on screen (mapped) of page index (from 0), or NULL: the one above the
 * page number its row shows, as the official reads it. */
static DocketThumbnail *
find_thumbnail (DocketDocumentView *view,
                guint               index)
{
  GtkWidget *list = GTK_WIDGET (GTK_LIST_VIEW (docket_ui_test_find_named (GTK_WIDGET (view), "thumbnails")));
  g_autofree char *number = g_strdup_printf ("%u", index + 1);

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *box = gtk_widget_get_first_child (row);
      GtkWidget *thumbnail = box != NULL ? gtk_widget_get_first_child (box) : NULL;
      GtkWidget *label = box != NULL ? gtk_widget_get_last_child (box) : NULL;

      if (thumbnail != NULL && DOCKET_IS_THUMBNAIL (thumbnail) && gtk_widget_get_mapped (thumbnail) &&
          GTK_IS_LABEL (label) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (label)), number) == 0)
        return DOCKET_THUMBNAIL (thumbnail);
    }
  return NULL;
}

/* The texture a render node draws, or NULL when it draws none. */
static GdkTexture *
find_texture_node (GskRenderNode *node)
{
  switch (gsk_render_node_get_node_type (node))
    {
    case GSK_TEXTURE_NODE:
      return gsk_texture_node_get_texture (node);
    case GSK_CONTAINER_NODE:
      for (guint i = 0; i < gsk_container_node_get_n_children (node); i++)
        {
          GdkTexture *found = find_texture_node (gsk_container_node_get_child (node, i));
          if (found != NULL)
            return found;
        }
      return NULL;
    case GSK_TRANSFORM_NODE:
      return find_texture_node (gsk_transform_node_get_child (node));
    case GSK_CLIP_NODE:
      return find_texture_node (gsk_clip_node_get_child (node));
    case GSK_ROUNDED_CLIP_NODE:
      return find_texture_node (gsk_rounded_clip_node_get_child (node));
    case GSK_OPACITY_NODE:
      return find_texture_node (gsk_opacity_node_get_child (node));
    case GSK_DEBUG_NODE:
      return find_texture_node (gsk_debug_node_get_child (node));
    default:
      return NULL;
    }
}

/* The rendering a thumbnail draws (what the official sees), or NULL while it draws blank
 * paper: read from a snapshot of the widget, as the toolkit would draw it. Full transfer. */
static GdkTexture *
thumbnail_texture (DocketThumbnail *thumbnail)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (GTK_WIDGET (thumbnail));
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  GdkTexture *texture;

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot),
                          gtk_widget_get_width (GTK_WIDGET (thumbnail)),
                          gtk_widget_get_height (GTK_WIDGET (thumbnail)));
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL || (texture = find_texture_node (node)) == NULL)
    return NULL;
  return g_object_ref (texture);
}

static gboolean
thumbnail_rendered (gpointer data)
{
  PageWait *wait = data;
  DocketThumbnail *thumbnail = find_thumbnail (wait->view, wait->index);
  g_autoptr(GdkTexture) texture = thumbnail != NULL ? thumbnail_texture (thumbnail) : NULL;

  return texture != NULL;
}

static gboolean
outline_shown (gpointer data)
{
  GtkStack *sidebar = GTK_STACK (docket_ui_test_find_named (GTK_WIDGET (data), "sidebar-stack"));
  return gtk_stack_page_get_visible (gtk_stack_get_page (sidebar, gtk_stack_get_child_by_name (sidebar, "outline")));
}

static void
test_sidebar (void)
{
  g_autofree char *root = docket_test_make_tmpdir ("docket-reader-shell");
  g_autofree char *path = g_build_filename (root, "outline.pdf", NULL);
  g_autofree char *plain = g_build_filename (root, "plain.pdf", NULL);
  GtkWidget *window;
  DocketDocumentView *view;
  GtkSelectionModel *thumbnails;
  GListModel *outline;
  GtkStack *sidebar;
  PageWait wait;
  GdkTexture *texture;
  int scale;

  docket_ui_test_write_numbered_pdf (path, 6, TRUE);
  docket_ui_test_write_numbered_pdf (plain, 2, FALSE);
  view = open_in_window (path, &window);
  sidebar = GTK_STACK (docket_ui_test_find_named (GTK_WIDGET (view), "sidebar-stack"));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (sidebar)));

  /* F9 shows it, at its thumbnails; they render, the current page's selected. */
  docket_ui_test_press (GTK_WIDGET (view), "F9");
  g_assert_true (adw_flap_get_reveal_flap (ADW_FLAP (docket_ui_test_find_descendant (GTK_WIDGET (view), ADW_TYPE_FLAP))));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (sidebar), ==, "thumbnails");
  wait = (PageWait) { view, 0 };
  docket_ui_test_wait_for (thumbnail_rendered, &wait, "the first thumbnail");
  wait.index = 1;
  docket_ui_test_wait_for (thumbnail_rendered, &wait, "the second thumbnail");
  scale = gtk_widget_get_scale_factor (GTK_WIDGET (view));
  texture = thumbnail_texture (find_thumbnail (view, 0));
  g_assert_nonnull (texture);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, DOCKET_THUMBNAIL_WIDTH * scale);
  g_clear_object (&texture);
  thumbnails = gtk_list_view_get_model (GTK_LIST_VIEW (docket_ui_test_find_named (GTK_WIDGET (view), "thumbnails")));
  g_assert_true (gtk_selection_model_is_selected (thumbnails, 0));

  /* Clicking the third goes to page 3, which becomes the selected one. */
  g_signal_emit_by_name (GTK_LIST_VIEW (docket_ui_test_find_named (GTK_WIDGET (view), "thumbnails")), "activate", 2);
  assert_on_page (view, 2);
  g_assert_true (gtk_selection_model_is_selected (thumbnails, 2));
  g_assert_false (gtk_selection_model_is_selected (thumbnails, 0));
  docket_ui_test_wait_for_paint (window);
  save_screenshot (window, "reader-thumbnails.png");

  /* Turning the page moves the selection. */
  docket_document_view_go_to_page (view, 4);
  assert_on_page (view, 4);
  g_assert_true (gtk_selection_model_is_selected (thumbnails, 4));

  /* The outline: its entries, nested, going to their pages. */
  docket_ui_test_wait_for (outline_shown, view, "the outline");
  gtk_stack_set_visible_child_name (sidebar, "outline");
  outline = G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (docket_ui_test_find_named (GTK_WIDGET (view), "outline"))));
  /* "Chương 1" is open: it, "Mục 1.1", "Chương 2". */
  g_assert_cmpuint (g_list_model_get_n_items (outline), ==, 3);
  {
    g_autoptr(GtkTreeListRow) row = g_list_model_get_item (outline, 1);
    g_autoptr(DocketPdfOutline) entry = gtk_tree_list_row_get_item (row);

    g_assert_cmpstr (docket_pdf_outline_get_title (entry), ==, "Mục 1.1");
    g_assert_cmpuint (gtk_tree_list_row_get_depth (row), ==, 1);
  }
  g_signal_emit_by_name (GTK_LIST_VIEW (docket_ui_test_find_named (GTK_WIDGET (view), "outline")), "activate", 2);
  assert_on_page (view, 3);
  g_signal_emit_by_name (GTK_LIST_VIEW (docket_ui_test_find_named (GTK_WIDGET (view), "outline")), "activate", 1);
  assert_on_page (view, 1);
  docket_ui_test_wait_for_paint (window);
  save_screenshot (window, "reader-outline.png");

  /* A PDF without an outline has no outline page; F9 hides the sidebar. */
  docket_document_view_open (view, plain);
  docket_ui_test_wait_for (docket_ui_test_view_settled, view, "the plain document to open");
  wait = (PageWait) { view, 1 };
  docket_ui_test_wait_for (thumbnail_rendered, &wait, "the plain document's thumbnails");
  g_assert_false (outline_shown (view));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (sidebar), ==, "thumbnails");
  docket_ui_test_press (GTK_WIDGET (view), "F9");
  g_assert_false (adw_flap_get_reveal_flap (ADW_FLAP (docket_ui_test_find_descendant (GTK_WIDGET (view), ADW_TYPE_FLAP))));

  gtk_window_destroy (GTK_WINDOW (window));
  docket_test_rmtree (root);
}

/* Pinch and view.show-page */

static GtkGesture *
find_pinch (DocketDocumentView *view)
{
  GtkWidget *scrolled = gtk_widget_get_parent (page_list (view));

  return GTK_GESTURE (docket_ui_test_find_controller (scrolled, GTK_TYPE_GESTURE_ZOOM));
}

static gboolean
middle_in_middle (gpointer data)
{
  GtkAdjustment *h = gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (page_list (data)));

  return gtk_adjustment_get_upper (h) > 2 * gtk_adjustment_get_page_size (h) &&
         fabs (gtk_adjustment_get_value (h) + gtk_adjustment_get_page_size (h) / 2 -
               gtk_adjustment_get_upper (h) / 2) < gtk_adjustment_get_page_size (h) / 10;
}

static void
test_pinch_and_show_page (void)
{
  g_autofree char *root = docket_test_make_tmpdir ("docket-reader-shell");
  g_autofree char *path = g_build_filename (root, "pinch.pdf", NULL);
  GtkWidget *window;
  DocketDocumentView *view;
  GtkGesture *pinch;
  double start;

  docket_ui_test_write_numbered_pdf (path, 8, FALSE);
  view = open_in_window (path, &window);

  /* view.show-page, as internal links and the annotations panel use it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "view.show-page", "u", 5));
  assert_on_page (view, 5);

  /* Fingers apart: the zoom follows them, continuously, up to 400 %; the page under
   * them stays the one read. The gesture's signals are what GTK emits for two touches. */
  pinch = find_pinch (view);
  start = docket_document_view_get_zoom_scale (view);
  g_signal_emit_by_name (pinch, "begin", NULL);
  g_signal_emit_by_name (pinch, "scale-changed", 1.3);
  g_assert_cmpint (docket_document_view_get_zoom_mode (view), ==, DOCKET_ZOOM_FIXED);
  g_assert_cmpfloat (fabs (docket_document_view_get_zoom_scale (view) - start * 1.3), <, 1e-6);
  {
    /* Between the zoom menu's steps: none of its items is checked. */
    g_autofree char *choice = NULL;

    g_object_get (view, "zoom-choice", &choice, NULL);
    g_assert_cmpstr (choice, ==, "");
  }
  g_signal_emit_by_name (pinch, "scale-changed", 50.0);
  g_assert_cmpfloat (docket_document_view_get_zoom_scale (view), ==, 4.0);
  {
    PageWait wait = { view, 5 };

    GtkAdjustment *h = gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (page_list (view)));

    docket_ui_test_wait_for (docket_ui_test_page_rendered, &wait, "the page after the pinch");
    /* Between the fingers (the middle of the view) was the middle of the page: it still
     * is, once the page, now much wider than the view, is laid out. */
    docket_ui_test_wait_for (middle_in_middle, view, "the middle of the page under the fingers");
    docket_ui_test_wait_for (current_page_is, &wait, "the page under the fingers to stay the current one");
    g_assert_cmpfloat (gtk_adjustment_get_upper (h), >, 2 * gtk_adjustment_get_page_size (h));
  }
  /* Fingers together: down to 50 %, no further. */
  g_signal_emit_by_name (pinch, "begin", NULL);
  g_signal_emit_by_name (pinch, "scale-changed", 0.01);
  g_assert_cmpfloat (docket_document_view_get_zoom_scale (view), ==, 0.5);
  docket_ui_test_wait_for_paint (window);
  save_screenshot (window, "reader-pinch-50.png");

  gtk_window_destroy (GTK_WINDOW (window));
  docket_test_rmtree (root);
}

/* Broken documents */

static void
assert_status_page (const char *path,
                    const char *title,
                    const char *expected,
                    const char *screenshot)
{
  GtkWidget *window;
  DocketDocumentView *view = open_in_window (path, &window);

  g_assert_cmpint (docket_document_view_get_state (view), ==, DOCKET_DOCUMENT_VIEW_FAILED);
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (docket_ui_test_find_named (GTK_WIDGET (view), "error-page"))), ==, title);
  /* It says what happened and what to do. */
  g_assert_nonnull (strstr (adw_status_page_get_description (ADW_STATUS_PAGE (docket_ui_test_find_named (GTK_WIDGET (view), "error-page"))), "secretary"));
  g_assert_nonnull (strstr (adw_status_page_get_description (ADW_STATUS_PAGE (docket_ui_test_find_named (GTK_WIDGET (view), "error-page"))), expected));
  g_assert_null (docket_document_view_get_pdf_document (view));
  /* Nothing to zoom, find or turn, and trying is harmless. */
  gtk_widget_activate_action (GTK_WIDGET (view), "view.zoom-in", NULL);
  gtk_widget_activate_action (GTK_WIDGET (view), "view.find-next", NULL);
  gtk_widget_activate_action (GTK_WIDGET (view), "view.next-page", NULL);
  g_assert_cmpint (docket_document_view_get_state (view), ==, DOCKET_DOCUMENT_VIEW_FAILED);
  docket_ui_test_wait_for_paint (window);
  save_screenshot (window, screenshot);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_broken_documents (void)
{
  g_autofree char *root = docket_test_make_tmpdir ("docket-reader-shell");
  g_autofree char *good = g_build_filename (root, "good.pdf", NULL);
  g_autofree char *truncated = g_build_filename (root, "truncated.pdf", NULL);
  g_autofree char *garbage = g_build_filename (root, "garbage.pdf", NULL);
  g_autofree char *encrypted = g_build_filename (root, "encrypted.pdf", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  int status = 0;
  const char *qpdf[] = { "qpdf", "--encrypt", "mat-khau", "chu-so-huu", "256", "--", good, encrypted, NULL };

  docket_ui_test_write_numbered_pdf (good, 2, FALSE);
  g_assert_true (g_file_get_contents (good, &contents, &length, NULL));

  /* Cut in the middle, as an interrupted copy would leave it. */
  g_assert_true (g_file_set_contents (truncated, contents, (gssize) length / 3, NULL));
  assert_status_page (truncated, "This Document Cannot Be Shown", "damaged", "reader-damaged.png");

  /* Not a PDF at all. */
  g_assert_true (g_file_set_contents (garbage, "%PDF-1.7\n\x01\x02\x03 this is not a PDF \xff\xfe", -1, NULL));
  assert_status_page (garbage, "This Document Cannot Be Shown", "damaged", "reader-garbage.png");

  /* Protected by a password (qpdf, AES-256), which Docket does not ask for. */
  g_assert_true (g_spawn_sync (NULL, (char **) qpdf, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  assert_status_page (encrypted, "This Document Is Protected by a Password", "password", "reader-encrypted.png");

  /* A real one, from ../shared/corpus/fetch-real-pdfs (gofpdf's SetProtection sample,
   * RC4 with a user password), when the corpus was fetched: tests do not download. */
  if (g_getenv ("DOCKET_REAL_PDFS") != NULL)
    {
      g_autofree char *real = g_build_filename (g_getenv ("DOCKET_REAL_PDFS"), "encrypted.pdf", NULL);

      g_assert_true (g_file_test (real, G_FILE_TEST_IS_REGULAR));
      assert_status_page (real, "This Document Is Protected by a Password", "password", "reader-encrypted-real.png");
    }

  docket_test_rmtree (root);
}

/* Signatures */

/* Runs argv; fails the test if it does not succeed. */
static void
run_tool (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                               NULL, NULL, NULL, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s", argv[0], err);
}

#define SIGNATURE_HEX_LENGTH 16384

/* A one-page PDF signed the way signing tools do (adbe.pkcs7.detached): a signature
 * field whose value's /Contents is a CMS signature, made here by openssl with a
 * self-signed certificate of `signer`, of every byte of the file but the /Contents
 * string itself (its /ByteRange). */
static void
write_signed_pdf (const char *dir,
                  const char *path,
                  const char *signer)
{
  g_autofree char *key = g_build_filename (dir, "key.pem", NULL);
  g_autofree char *cert = g_build_filename (dir, "cert.pem", NULL);
  g_autofree char *data = g_build_filename (dir, "signed-bytes.bin", NULL);
  g_autofree char *der = g_build_filename (dir, "signature.der", NULL);
  g_autofree char *subject = g_strdup_printf ("/CN=%s/O=Hội đồng nhân dân tỉnh", signer);
  const char *req[] = { "openssl", "req", "-x509", "-utf8", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                        "-out", cert, "-days", "3650", "-subj", subject, NULL };
  const char *cms[] = { "openssl", "cms", "-sign", "-binary", "-in", data, "-signer", cert, "-inkey", key,
                        "-outform", "DER", "-out", der, "-md", "sha256", "-nosmimecap", NULL };
  const char *content = "BT /F1 24 Tf 72 700 Td (Nghi quyet da ky so) Tj ET";
  g_autoptr(GString) pdf = g_string_new ("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n");
  g_autofree char *signature = NULL;
  gsize offsets[8], signature_length = 0, xref, contents_start, contents_end;
  char *byte_range, *hex;
  g_autofree char *numbers = NULL;

  run_tool (req);

#define OBJECT(n, ...) (offsets[n] = pdf->len, g_string_append_printf (pdf, __VA_ARGS__))
  OBJECT (1, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] /SigFlags 3 >> >>\nendobj\n");
  OBJECT (2, "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n");
  OBJECT (3, "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots [4 0 R]"
             " /Contents 6 0 R /Resources << /Font << /F1 7 0 R >> >> >>\nendobj\n");
  OBJECT (4, "4 0 obj\n<< /Type /Annot /Subtype /Widget /FT /Sig /T (Chu ky 1) /Rect [0 0 0 0] /F 132"
             " /P 3 0 R /V 5 0 R >>\nendobj\n");
  OBJECT (5, "5 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached"
             " /M (D:20261130080000Z) /ByteRange [0 ########## ########## ##########] /Contents <");
  contents_start = pdf->len - 1;
  for (guint i = 0; i < SIGNATURE_HEX_LENGTH; i++)
    g_string_append_c (pdf, '0');
  g_string_append (pdf, ">");
  contents_end = pdf->len;
  g_string_append (pdf, " >>\nendobj\n");
  OBJECT (6, "6 0 obj\n<< /Length %zu >>\nstream\n%s\nendstream\nendobj\n", strlen (content) + 1, content);
  OBJECT (7, "7 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>\nendobj\n");
#undef OBJECT
  xref = pdf->len;
  g_string_append (pdf, "xref\n0 8\n0000000000 65535 f \n");
  for (guint i = 1; i < 8; i++)
    g_string_append_printf (pdf, "%010zu 00000 n \n", offsets[i]);
  g_string_append_printf (pdf, "trailer\n<< /Size 8 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n", xref);

  /* The byte range: everything but the <...> of /Contents. */
  numbers = g_strdup_printf ("%-10zu %-10zu %-10zu", contents_start, contents_end, pdf->len - contents_end);
  byte_range = strstr (pdf->str, "########## ########## ##########");
  g_assert_nonnull (byte_range);
  memcpy (byte_range, numbers, strlen (numbers));

  {
    g_autoptr(GByteArray) signed_bytes = g_byte_array_new ();

    g_byte_array_append (signed_bytes, (const guint8 *) pdf->str, contents_start);
    g_byte_array_append (signed_bytes, (const guint8 *) pdf->str + contents_end, pdf->len - contents_end);
    g_assert_true (g_file_set_contents (data, (const char *) signed_bytes->data, signed_bytes->len, NULL));
  }
  run_tool (cms);
  g_assert_true (g_file_get_contents (der, &signature, &signature_length, NULL));
  g_assert_cmpuint (2 * signature_length, <=, SIGNATURE_HEX_LENGTH);
  hex = pdf->str + contents_start + 1;
  for (gsize i = 0; i < signature_length; i++)
    {
      char pair[3];

      g_snprintf (pair, sizeof pair, "%02X", (guint8) signature[i]);
      hex[2 * i] = pair[0];
      hex[2 * i + 1] = pair[1];
    }
  g_assert_true (g_file_set_contents (path, pdf->str, (gssize) pdf->len, NULL));
}

/* The first label at or under widget (popovers included) whose text starts with prefix. */
static GtkLabel *
find_label_starting_with (GtkWidget  *widget,
                          const char *prefix)
{
  if (GTK_IS_LABEL (widget) && g_str_has_prefix (gtk_label_get_label (GTK_LABEL (widget)), prefix))
    return GTK_LABEL (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *label = find_label_starting_with (child, prefix);

      if (label != NULL)
        return label;
    }
  return NULL;
}

static gboolean
signatures_shown (gpointer data)
{
  return docket_ui_test_get_shown_label (GTK_WIDGET (data), "signature-summary") != NULL;
}

static void
test_signatures (void)
{
  g_autofree char *root = docket_test_make_tmpdir ("docket-reader-shell");
  g_autofree char *path = g_build_filename (root, "signed.pdf", NULL);
  g_autofree char *changed = g_build_filename (root, "changed.pdf", NULL);
  g_autofree char *plain = g_build_filename (root, "plain.pdf", NULL);
  g_autofree char *contents = NULL;
  gsize length = 0;
  GtkWidget *window;
  DocketDocumentView *view;
  g_autoptr(DocketPdfSignature) signature = NULL;
  char *text;

  write_signed_pdf (root, path, "Nguyễn Văn Hùng");
  view = open_in_window (path, &window);
  g_assert_cmpint (docket_document_view_get_state (view), ==, DOCKET_DOCUMENT_VIEW_READY);
  docket_ui_test_wait_for (signatures_shown, view, "the signature bar");
  g_assert_cmpuint (g_list_model_get_n_items (docket_document_view_get_signatures (view)), ==, 1);
  signature = g_list_model_get_item (docket_document_view_get_signatures (view), 0);
  g_assert_cmpstr (docket_pdf_signature_get_signer (signature), ==, "Nguyễn Văn Hùng");
  g_assert_cmpint (docket_pdf_signature_get_status (signature), ==, DOCKET_PDF_SIGNATURE_VALID);
  /* Self-signed: not from an authority this computer trusts. */
  g_assert_cmpint (docket_pdf_signature_get_certificate_status (signature), !=, DOCKET_PDF_CERTIFICATE_TRUSTED);
  /* Valid, and the bar says too that no authority vouches for the signer. */
  g_assert_cmpstr (docket_ui_test_get_shown_label (GTK_WIDGET (view), "signature-summary"), ==,
                   "Signed by Nguyễn Văn Hùng. The signature is valid. "
                   "The signer's certificate is not from an authority this computer trusts.");
  /* The popover's date and time as the locale writes them (seconds included). */
  {
    g_autofree char *when = g_date_time_format (docket_pdf_signature_get_time (signature), "%x %X");
    GtkLabel *details = find_label_starting_with (GTK_WIDGET (view), "Nguyễn Văn Hùng\n");

    g_assert_nonnull (details);
    g_assert_nonnull (strstr (gtk_label_get_label (details), when));
  }
  docket_ui_test_wait_for_paint (window);
  save_screenshot (window, "reader-signed.png");
  g_clear_object (&signature);

  /* One signed byte changed (the page's text, same length): the bar says so. */
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  text = strstr (contents, "da ky so");
  g_assert_nonnull (text);
  text[3] = 'x';
  g_assert_true (g_file_set_contents (changed, contents, (gssize) length, NULL));
  docket_document_view_open (view, changed);
  docket_ui_test_wait_for (docket_ui_test_view_settled, view, "the changed document to open");
  docket_ui_test_wait_for (signatures_shown, view, "the signature bar");
  signature = g_list_model_get_item (docket_document_view_get_signatures (view), 0);
  g_assert_cmpint (docket_pdf_signature_get_status (signature), ==, DOCKET_PDF_SIGNATURE_MODIFIED);
  g_assert_cmpstr (docket_ui_test_get_shown_label (GTK_WIDGET (view), "signature-summary"), ==,
                   "This document was changed after it was signed.");
  docket_ui_test_wait_for_paint (window);
  save_screenshot (window, "reader-signed-changed.png");

  /* A checker that crashed halfway, or said something else: those it did not check are
   * said to be unchecked, not valid, not hidden. */
  {
    g_autoptr(GListModel) parsed = docket_pdf_signature_parse ("valid\ttrusted\t1764489600\tLê Thị Hồng Nhung\n"
                                                               "valid\ttrusted\tsoon\tX\n", 3);
    g_autoptr(DocketPdfSignature) first = g_list_model_get_item (parsed, 0);
    g_autoptr(DocketPdfSignature) second = g_list_model_get_item (parsed, 1);
    g_autoptr(DocketPdfSignature) third = g_list_model_get_item (parsed, 2);

    g_assert_cmpuint (g_list_model_get_n_items (parsed), ==, 3);
    g_assert_cmpstr (docket_pdf_signature_get_signer (first), ==, "Lê Thị Hồng Nhung");
    g_assert_cmpint (docket_pdf_signature_get_status (first), ==, DOCKET_PDF_SIGNATURE_VALID);
    g_assert_cmpint (g_date_time_to_unix (docket_pdf_signature_get_time (first)), ==, 1764489600);
    g_assert_cmpint (docket_pdf_signature_get_status (second), ==, DOCKET_PDF_SIGNATURE_UNCHECKED);
    g_assert_cmpint (docket_pdf_signature_get_status (third), ==, DOCKET_PDF_SIGNATURE_UNCHECKED);
  }
  {
    /* A checker that is not there: unchecked, said in the bar. */
    g_autofree char *checker = g_strdup (g_getenv ("DOCKET_SIGNATURE_CHECK"));

    g_setenv ("DOCKET_SIGNATURE_CHECK", "/nonexistent/docket-signature-check", TRUE);
    g_test_expect_message (NULL, G_LOG_LEVEL_WARNING, "Cannot check the signatures of *");
    docket_document_view_open (view, path);
    docket_ui_test_wait_for (docket_ui_test_view_settled, view, "the signed document to open again");
    docket_ui_test_wait_for (signatures_shown, view, "the signature bar");
    g_test_assert_expected_messages ();
    g_assert_cmpstr (docket_ui_test_get_shown_label (GTK_WIDGET (view), "signature-summary"), ==,
                     "This document is signed, but its signatures could not be checked.");
    g_setenv ("DOCKET_SIGNATURE_CHECK", checker, TRUE);
  }

  /* A document without signatures has no bar. */
  docket_ui_test_write_numbered_pdf (plain, 1, FALSE);
  docket_document_view_open (view, plain);
  docket_ui_test_wait_for (docket_ui_test_view_settled, view, "the plain document to open");
  {
    PageWait wait = { view, 0 };
    docket_ui_test_wait_for (docket_ui_test_page_rendered, &wait, "the plain page");
  }
  g_assert_null (docket_ui_test_get_shown_label (GTK_WIDGET (view), "signature-summary"));
  g_assert_null (docket_document_view_get_signatures (view));

  gtk_window_destroy (GTK_WINDOW (window));
  docket_test_rmtree (root);
}

/* A long document: the first page at once, memory bounded to the end */

static guint textures_alive;

static void
on_texture_finalized (gpointer  data,
                      GObject  *where_the_object_was)
{
  textures_alive--;
}

static void
track_textures (DocketDocumentView *view,
                GHashTable         *seen)
{
  GtkWidget *list = page_list (view);

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *child = gtk_widget_get_first_child (row);
      GdkTexture *texture;

      if (child == NULL || !DOCKET_IS_PAGE_WIDGET (child) ||
          (texture = docket_page_widget_get_texture (DOCKET_PAGE_WIDGET (child))) == NULL ||
          g_hash_table_contains (seen, texture))
        continue;
      /* Weak: it counts the textures alive anywhere, the document's cache included. */
      g_hash_table_add (seen, texture);
      g_object_weak_ref (G_OBJECT (texture), on_texture_finalized, NULL);
      textures_alive++;
    }
}

static gboolean
no_texture_alive (gpointer data)
{
  return textures_alive == 0;
}

static void
test_long_document_memory (void)
{
  g_autofree char *root = docket_test_make_tmpdir ("docket-reader-shell");
  g_autofree char *path = g_build_filename (root, "long.pdf", NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  GtkWidget *window;
  DocketDocumentView *view;
  DocketPdfDocument *document;
  GtkAdjustment *adjustment;
  PageWait wait;
  guint rendered_at_open, max_alive = 0, n_seen;
  gsize texture_bytes;

  docket_ui_test_write_numbered_pdf (path, 1000, FALSE);
  view = open_in_window (path, &window);
  document = docket_document_view_get_pdf_document (view);
  g_assert_cmpuint (docket_pdf_document_get_n_pages (document), ==, 1000);

  /* The first page comes without the others being rendered first. */
  wait = (PageWait) { view, 0 };
  docket_ui_test_wait_for (docket_ui_test_page_rendered, &wait, "the first page");
  rendered_at_open = docket_pdf_document_get_render_count (document);
  g_test_message ("pages rendered when the first was shown: %u", rendered_at_open);
  g_assert_cmpuint (rendered_at_open, <=, 6);
  texture_bytes = (gsize) gdk_texture_get_width (docket_page_widget_get_texture (docket_ui_test_find_page_widget (view, 0))) *
                  (gsize) gdk_texture_get_height (docket_page_widget_get_texture (docket_ui_test_find_page_widget (view, 0))) * 4;

  /* Scroll through all of it, a screenful at a time, letting each render. */
  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (page_list (view)));
  while (gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment) <
         gtk_adjustment_get_upper (adjustment) - 1)
    {
      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) +
                                            4 * gtk_adjustment_get_page_size (adjustment));
      wait.index = docket_document_view_get_current_page (view);
      docket_ui_test_wait_for_paint (window);
      wait.index = docket_document_view_get_current_page (view);
      docket_ui_test_wait_for (docket_ui_test_page_rendered, &wait, "the page scrolled to");
      track_textures (view, seen);
      max_alive = MAX (max_alive, textures_alive);
    }
  n_seen = g_hash_table_size (seen);
  g_test_message ("textures seen %u, alive at most %u (%" G_GSIZE_FORMAT " bytes each), at the end %u",
                  n_seen, max_alive, texture_bytes, textures_alive);
  g_assert_cmpuint (docket_document_view_get_current_page (view), ==, 999);
  /* Many pages were shown... */
  g_assert_cmpuint (n_seen, >, 50);
  /* ...and no more textures stayed alive than the document's cache holds (96 MB) plus
   * the pages on screen. */
  g_assert_cmpuint (max_alive, <=, (96u * 1024 * 1024) / texture_bytes + 8);

  gtk_window_destroy (GTK_WINDOW (window));
  /* The pages go with the window (renderings in flight come back first). */
  docket_ui_test_wait_for (no_texture_alive, NULL, "every page texture to be freed");
  docket_test_rmtree (root);
}

int
main (int   argc,
      char *argv[])
{
  reader_shell_test_init (&argc, &argv);

  g_test_add_func ("/reader-shell/remembered-page-and-zoom", test_remembered_page_and_zoom);
  g_test_add_func ("/reader-shell/night-mode", test_night_mode);
  g_test_add_func ("/reader-shell/sidebar", test_sidebar);
  g_test_add_func ("/reader-shell/pinch-and-show-page", test_pinch_and_show_page);
  g_test_add_func ("/reader-shell/broken-documents", test_broken_documents);
  g_test_add_func ("/reader-shell/signatures", test_signatures);
  g_test_add_func ("/reader-shell/long-document-memory", test_long_document_memory);

  return g_test_run ();
}
