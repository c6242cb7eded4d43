/* test-reader-shell-find.c: find in a document, in the real window
 *
 * Under Xvfb, against the real docket-server and its demo documents (Vietnamese text
 * drawn by the server with Pango): find in document with and without diacritics, its
 * count and next/previous, checked against pdftotext's text of the same file; find across
 * a line break and in text whose marks are separate characters; opening a document at a
 * page with a text to find (what the search page does). The rest of what the reader has
 * around the pages is in test-reader-shell.c; what both use, in test-reader-shell-common.c.
 * Screenshots go to $DOCKET_TEST_ARTIFACTS.
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

/* Find */

static gboolean
find_finished (gpointer data)
{
  DocketPdfFind *find = docket_find_bar_get_find (docket_ui_test_find_bar (GTK_WIDGET (data)));
  return find != NULL && docket_pdf_find_get_finished (find);
}

/* Types text in the find bar as a person would, and waits for every page to be searched. */
static guint
find_text (DocketDocumentView *view,
           const char         *text)
{
  GtkWidget *entry = docket_ui_test_find_named (GTK_WIDGET (view), "find-entry");
  DocketPdfFind *find;

  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  /* The entry says "search-changed" after a pause; a person waits as long. */
  docket_ui_test_wait_for (find_finished, view, "the find to finish");
  find = docket_find_bar_get_find (docket_ui_test_find_bar (GTK_WIDGET (view)));
  g_assert_cmpstr (docket_pdf_find_get_text (find), ==, text);
  return docket_pdf_find_get_n_hits (find);
}

/* The occurrences of `folded_query` in pdftotext's text of the file, folded alike: an
 * independent count of what find should find. */
static guint
count_with_pdftotext (const char *path,
                      const char *query)
{
  const char *argv[] = { "pdftotext", "-enc", "UTF-8", path, "-", NULL };
  g_autofree char *out = NULL;
  g_autofree char *folded_query = docket_pdf_find_fold_query (query);
  g_autofree char *folded = NULL;
  g_autoptr(GString) collapsed = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  int status = 0;
  guint n = 0;
  const char *p;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  folded = docket_text_fold (out, -1, NULL);
  for (p = folded; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        {
          if (collapsed->len > 0 && collapsed->str[collapsed->len - 1] != ' ')
            g_string_append_c (collapsed, ' ');
        }
      else
        g_string_append_unichar (collapsed, c);
    }
  for (p = strstr (collapsed->str, folded_query); p != NULL; p = strstr (p + strlen (folded_query), folded_query))
    n++;
  return n;
}

/* The current hit's first box is on screen, on the page the hit is on. */
static gboolean
current_hit_in_view (gpointer data)
{
  DocketDocumentView *view = data;
  DocketPdfFind *find = docket_find_bar_get_find (docket_ui_test_find_bar (GTK_WIDGET (view)));
  int current = docket_ui_test_find_current (GTK_WIDGET (view));
  guint page = 0, first_box = 0;
  GArray *boxes;
  DocketPageWidget *widget;
  graphene_rect_t bounds;
  const graphene_rect_t *box;
  double height_pt = 0, x, y, scale;

  if (find == NULL || current < 0 ||
      !docket_pdf_find_get_hit (find, (guint) current, &page, &first_box, NULL) ||
      (boxes = docket_pdf_find_get_page_boxes (find, page)) == NULL ||
      (widget = docket_ui_test_find_page_widget (view, page)) == NULL ||
      !gtk_widget_compute_bounds (GTK_WIDGET (widget), page_list (view), &bounds) ||
      !docket_pdf_document_get_page_size (docket_document_view_get_pdf_document (view), page, NULL, &height_pt))
    return FALSE;
  scale = docket_page_widget_get_display_height (widget) / height_pt;
  box = &g_array_index (boxes, graphene_rect_t, first_box);
  y = bounds.origin.y + DOCKET_PAGE_WIDGET_MARGIN + box->origin.y * scale;
  /* The page is centred in its row, or the row is the page and its margin. */
  x = bounds.origin.x + MAX (0, (bounds.size.width - docket_page_widget_get_display_width (widget)) / 2) +
      box->origin.x * scale;
  return y >= 0 && y < gtk_widget_get_height (page_list (view)) &&
         x >= 0 && x + box->size.width * scale <= gtk_widget_get_width (page_list (view));
}

static void
assert_find_label (DocketDocumentView *view,
                   int                 current,
                   guint               n)
{
  g_autofree char *label = g_strdup_printf ("%d of %u", current + 1, n);

  g_assert_cmpint (docket_ui_test_find_current (GTK_WIDGET (view)), ==, current);
  g_assert_cmpstr (docket_ui_test_get_label (GTK_WIDGET (view), "find-count"), ==, label);
  docket_ui_test_wait_for (current_hit_in_view, view, "the current hit in view");
}

static void
test_find (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *root = docket_test_make_tmpdir ("docket-reader-shell");
  g_autofree char *profile = g_build_filename (root, "profile", NULL);
  DocketUiTestClient client = { 0 };
  DocketDocumentView *view;
  DocketDocument *document;
  guint n, n_accented, n_upper, expected;
  GArray *boxes;
  guint page = 0, first_box = 0, n_boxes = 0;
  double width_pt = 0, height_pt = 0;

  docket_ui_test_client_sign_in_and_sync (&client, server, profile);
  document = docket_ui_test_open_document_with_pages (client.window, 2, NULL);
  view = DOCKET_DOCUMENT_VIEW (docket_ui_test_window_part (client.window, DOCKET_TYPE_DOCUMENT_VIEW));
  docket_ui_test_wait_for (docket_ui_test_view_settled, view, "the document to open");
  g_assert_cmpint (docket_document_view_get_state (view), ==, DOCKET_DOCUMENT_VIEW_READY);

  /* Ctrl+F opens the find bar, the entry ready for typing. */
  g_assert_false (docket_find_bar_get_open (docket_ui_test_find_bar (GTK_WIDGET (view))));
  docket_ui_test_press (GTK_WIDGET (view), "<Control>f");
  g_assert_true (docket_find_bar_get_open (docket_ui_test_find_bar (GTK_WIDGET (view))));
  g_assert_true (gtk_widget_has_focus (docket_ui_test_find_named (GTK_WIDGET (view), "find-entry")) ||
                 gtk_widget_is_ancestor (gtk_root_get_focus (gtk_widget_get_root (GTK_WIDGET (view))),
                                         docket_ui_test_find_named (GTK_WIDGET (view), "find-entry")));

  /* Without diacritics, "hoi dong" finds "Hội đồng", as many times as pdftotext's text
   * of the same file holds it. */
  expected = count_with_pdftotext (docket_document_get_path (document), "Hội đồng");
  g_test_message ("pdftotext: %u × Hội đồng", expected);
  g_assert_cmpuint (expected, >, 1);
  n = find_text (view, "hoi dong");
  g_assert_cmpuint (n, ==, expected);
  assert_find_label (view, 0, n);
  n_accented = find_text (view, "Hội đồng");
  g_assert_cmpuint (n_accented, ==, n);
  n_upper = find_text (view, "HỘI   ĐỒNG");
  g_assert_cmpuint (n_upper, ==, n);

  /* The hit's boxes are on its page, and a word wide. */
  g_assert_true (docket_pdf_find_get_hit (docket_find_bar_get_find (docket_ui_test_find_bar (GTK_WIDGET (view))), 0, &page, &first_box, &n_boxes));
  g_assert_cmpuint (n_boxes, >=, 1);
  boxes = docket_pdf_find_get_page_boxes (docket_find_bar_get_find (docket_ui_test_find_bar (GTK_WIDGET (view))), page);
  g_assert_nonnull (boxes);
  g_assert_true (docket_pdf_document_get_page_size (docket_document_view_get_pdf_document (view), page,
                                                    &width_pt, &height_pt));
  for (guint i = first_box; i < first_box + n_boxes; i++)
    {
      const graphene_rect_t *box = &g_array_index (boxes, graphene_rect_t, i);

      g_assert_cmpfloat (box->origin.x, >=, 0);
      g_assert_cmpfloat (box->origin.y, >=, 0);
      g_assert_cmpfloat (box->origin.x + box->size.width, <=, width_pt);
      g_assert_cmpfloat (box->origin.y + box->size.height, <=, height_pt);
      g_assert_cmpfloat (box->size.height, >, 3);
      g_assert_cmpfloat (box->size.height, <, 40);
    }
  save_screenshot (GTK_WIDGET (client.window), "reader-find-hoi-dong.png");

  /* "đ" folds to "d": "dai bieu" finds "Đại biểu" and "đại biểu". */
  expected = count_with_pdftotext (docket_document_get_path (document), "đại biểu");
  n = find_text (view, "dai bieu");
  g_test_message ("dai bieu: %u hits, pdftotext %u", n, expected);
  g_assert_cmpuint (n, ==, expected);
  g_assert_cmpuint (n, >, 0);
  g_assert_cmpuint (find_text (view, "Đại Biểu"), ==, n);

  /* Next and previous: F3, Shift+F3, Enter, Shift+Enter; they wrap. A search starts
   * from the page being read: from the first page, the first hit is current. */
  docket_document_view_go_to_page (view, 0);
  assert_on_page (view, 0);
  n = find_text (view, "hoi dong");
  assert_find_label (view, 0, n);
  docket_ui_test_press (GTK_WIDGET (view), "F3");
  assert_find_label (view, 1, n);
  g_signal_emit_by_name (docket_ui_test_find_named (GTK_WIDGET (view), "find-entry"), "activate");
  assert_find_label (view, 2 % n, n);
  docket_ui_test_press (GTK_WIDGET (view), "<Shift>F3");
  assert_find_label (view, 1, n);
  docket_ui_test_press (docket_ui_test_find_named (GTK_WIDGET (view), "find-entry"), "<Shift>Return");
  assert_find_label (view, 0, n);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "view.find-previous", NULL));
  assert_find_label (view, (int) n - 1, n);
  save_screenshot (GTK_WIDGET (client.window), "reader-find-last.png");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "view.find-next", NULL));
  assert_find_label (view, 0, n);

  /* At 400 % the page is much wider than the view: next brings the hit in sideways too. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "view.set-zoom", "s", "4"));
  docket_ui_test_press (GTK_WIDGET (view), "F3");
  assert_find_label (view, 1, n);
  docket_ui_test_press (GTK_WIDGET (view), "F3");
  assert_find_label (view, 2 % n, n);
  {
    PageWait wait = { view, 0 };

    g_assert_true (docket_pdf_find_get_hit (docket_find_bar_get_find (docket_ui_test_find_bar (GTK_WIDGET (view))), 2 % n, &wait.index, NULL, NULL));
    docket_ui_test_wait_for (docket_ui_test_page_rendered, &wait, "the hit's page at 400 %");
    docket_ui_test_wait_for_paint (GTK_WIDGET (client.window));
  }
  save_screenshot (GTK_WIDGET (client.window), "reader-find-400.png");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "view.zoom-fit-width", NULL));

  /* Nothing found says so; next and previous can then not be pressed. */
  g_assert_cmpuint (find_text (view, "xyzzy quorum"), ==, 0);
  g_assert_cmpstr (docket_ui_test_get_label (GTK_WIDGET (view), "find-count"), ==, "No matches");
  gtk_widget_activate_action (GTK_WIDGET (view), "view.find-next", NULL);
  g_assert_cmpint (docket_ui_test_find_current (GTK_WIDGET (view)), ==, -1);

  /* Escape closes the bar and the search with it. */
  g_signal_emit_by_name (docket_ui_test_find_named (GTK_WIDGET (view), "find-entry"), "stop-search");
  g_assert_false (docket_find_bar_get_open (docket_ui_test_find_bar (GTK_WIDGET (view))));
  g_assert_null (docket_find_bar_get_find (docket_ui_test_find_bar (GTK_WIDGET (view))));

  docket_ui_test_client_close (&client);
  docket_test_server_stop (server);
  docket_test_rmtree (root);
}

/* Find across a line break, and in text whose marks are separate characters */

static gboolean
pdf_find_finished (gpointer data)
{
  return docket_pdf_find_get_finished (data);
}

static DocketPdfFind *
find_and_wait (DocketPdfDocument  *document,
               const char         *text,
               DocketPdfPageTexts *texts)
{
  DocketPdfFind *find = docket_pdf_find_new (document, text, 0, texts);

  docket_ui_test_wait_for (pdf_find_finished, find, "the find to finish");
  return find;
}

static void
test_find_across_lines (void)
{
  g_autofree char *root = docket_test_make_tmpdir ("docket-reader-shell");
  g_autofree char *path = g_build_filename (root, "lines.pdf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(DocketPdfDocument) document = NULL;
  g_autoptr(DocketPdfFind) across = NULL;
  g_autoptr(DocketPdfPageTexts) texts = docket_pdf_page_texts_new (1, 4096);
  g_autoptr(DocketPdfFind) none = NULL;
  g_autoptr(GError) error = NULL;
  cairo_surface_t *surface = cairo_pdf_surface_create (path, 595, 842);
  cairo_t *cr = cairo_create (surface);
  guint first_box = 0, n_boxes = 0, page = 0;
  GArray *boxes;
  const graphene_rect_t *line1, *line2;

  /* "Hội" ends a line, "đồng" begins the next; "Đại biểu" written decomposed (NFD), as
   * some PDF producers leave it. */
  cairo_select_font_face (cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, 18);
  cairo_move_to (cr, 72, 100);
  cairo_show_text (cr, "Kính gửi: Thường trực Hội");
  cairo_move_to (cr, 72, 130);
  cairo_show_text (cr, "đồng nhân dân tỉnh");
  cairo_move_to (cr, 72, 200);
  cairo_show_text (cr, "Tổ D\xcc\x9b" /* a stray mark */ " và \xc4\x90" "a\xcc\xa3" "i bie\xcc\x82\xcc\x89" "u");
  cairo_show_page (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);

  document = docket_pdf_document_load (file, NULL, &error);
  g_assert_no_error (error);

  across = find_and_wait (document, "hoi dong", NULL);
  g_assert_cmpuint (docket_pdf_find_get_n_hits (across), ==, 1);
  g_assert_true (docket_pdf_find_get_hit (across, 0, &page, &first_box, &n_boxes));
  g_assert_cmpuint (page, ==, 0);
  /* One box per line: the end of the first, the start of the second. */
  g_assert_cmpuint (n_boxes, ==, 2);
  boxes = docket_pdf_find_get_page_boxes (across, 0);
  line1 = &g_array_index (boxes, graphene_rect_t, first_box);
  line2 = &g_array_index (boxes, graphene_rect_t, first_box + 1);
  g_test_message ("boxes: %.0f,%.0f %.0fx%.0f and %.0f,%.0f %.0fx%.0f",
                  line1->origin.x, line1->origin.y, line1->size.width, line1->size.height,
                  line2->origin.x, line2->origin.y, line2->size.width, line2->size.height);
  g_assert_cmpfloat (line2->origin.y, >, line1->origin.y + line1->size.height / 2);
  g_assert_cmpfloat (line2->origin.x, <, line1->origin.x);
  g_assert_cmpfloat (fabs (line2->origin.x - 72), <, 3);
  /* "Hội" is three letters, "đồng" four: neither box is a whole line. */
  g_assert_cmpfloat (line1->size.width, <, 60);
  g_assert_cmpfloat (line2->size.width, <, 70);

  /* Twice, the second time from the text the first kept: the same hit, the same box. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(DocketPdfFind) decomposed = find_and_wait (document, "dai bieu", texts);
      GArray *decomposed_boxes;

      g_assert_cmpuint (docket_pdf_find_get_n_hits (decomposed), ==, 1);
      g_assert_true (docket_pdf_find_get_hit (decomposed, 0, NULL, &first_box, &n_boxes));
      g_assert_cmpuint (n_boxes, ==, 1);
      g_assert_cmpuint (docket_pdf_page_texts_get_n_bytes (texts), >, 20);
      decomposed_boxes = docket_pdf_find_get_page_boxes (decomposed, 0);
      g_assert_cmpfloat (fabs (g_array_index (decomposed_boxes, graphene_rect_t, first_box).origin.y - 183), <, 10);
    }

  none = find_and_wait (document, "  \xcc\x82 ", texts);
  g_assert_cmpuint (docket_pdf_find_get_n_hits (none), ==, 0);

  docket_test_rmtree (root);
}

/* What the search page does: a document opened at a page, with the words to find. */
static void
test_open_at_page_with_find (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *root = docket_test_make_tmpdir ("docket-reader-shell");
  g_autofree char *profile = g_build_filename (root, "profile", NULL);
  DocketUiTestClient client = { 0 };
  DocketDocumentView *view;
  DocketDocument *document;
  DocketPdfFind *find;
  guint n_pages, hit_page = 0;
  int first_from_page = -1;

  GtkWidget *window = gtk_window_new ();
  g_autoptr(DocketReaderMemory) memory = NULL;
  g_autoptr(DocketStoreDocumentRow) row = NULL;
  g_autoptr(GError) error = NULL;

  docket_ui_test_client_sign_in_and_sync (&client, server, profile);
  row = docket_store_get_document (client.store,
                                   docket_document_get_id (docket_ui_test_open_document_with_pages (client.window, 3, NULL)),
                                   &error);
  g_assert_no_error (error);
  g_assert_nonnull (row);
  document = docket_document_new (row);
  n_pages = docket_document_get_pages (document);
  g_assert_cmpuint (n_pages, >=, 3);

  /* A reader of its own, as the search page has the window's: a fresh open, as from a
   * search result on the second last page. */
  view = g_object_new (DOCKET_TYPE_DOCUMENT_VIEW, NULL);
  memory = docket_reader_memory_new (client.store);
  docket_document_view_set_reader_memory (view, memory);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 750);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (window));
  docket_document_view_open_document (view, document, (int) n_pages - 2, "ngan sach");
  g_assert_true (docket_document_view_get_document (view) == document);
  docket_ui_test_wait_for (docket_ui_test_view_settled, view, "the document to open at its page");
  g_assert_true (docket_find_bar_get_open (docket_ui_test_find_bar (GTK_WIDGET (view))));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (docket_ui_test_find_named (GTK_WIDGET (view), "find-entry"))), ==, "ngan sach");
  docket_ui_test_wait_for (find_finished, view, "the find to finish");
  find = docket_find_bar_get_find (docket_ui_test_find_bar (GTK_WIDGET (view)));
  g_assert_cmpuint (docket_pdf_find_get_n_hits (find), >, 0);
  /* The current hit is the first one on that page or after it. */
  first_from_page = docket_pdf_find_get_hit_from (find, n_pages - 2);
  g_assert_cmpint (docket_ui_test_find_current (GTK_WIDGET (view)), ==, first_from_page);
  g_assert_true (docket_pdf_find_get_hit (find, (guint) first_from_page, &hit_page, NULL, NULL));
  g_test_message ("ngan sach: %u hits, current on page %u", docket_pdf_find_get_n_hits (find), hit_page + 1);
  /* The demo's text has it on every page: the current hit is on the page asked for,
   * and the reader there, with the hit in view. */
  g_assert_cmpuint (hit_page, ==, n_pages - 2);
  docket_ui_test_wait_for (current_hit_in_view, view, "the current hit in view");
  {
    PageWait wait = { view, n_pages - 2 };
    docket_ui_test_wait_for (current_page_is, &wait, "the page asked for");
  }
  save_screenshot (window, "reader-open-at-page-find.png");

  /* The same document again at another page: it moves there, no reload. */
  {
    DocketPdfDocument *pdf = docket_document_view_get_pdf_document (view);

    docket_document_view_open_document (view, document, 0, NULL);
    assert_on_page (view, 0);
    g_assert_true (docket_document_view_get_pdf_document (view) == pdf);
  }

  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (document);
  docket_ui_test_client_close (&client);
  docket_test_server_stop (server);
  docket_test_rmtree (root);
}

int
main (int   argc,
      char *argv[])
{
  reader_shell_test_init (&argc, &argv);

  g_test_add_func ("/reader-shell/find", test_find);
  g_test_add_func ("/reader-shell/find-across-lines", test_find_across_lines);
  g_test_add_func ("/reader-shell/open-at-page-with-find", test_open_at_page_with_find);

  return g_test_run ();
}
