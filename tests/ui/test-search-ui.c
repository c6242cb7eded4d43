/* test-search-ui.c: search across every document, in the real window
 *
 * Under Xvfb, against the real docket-server with the demo organisation: sign in through
 * the real sign-in page, let the real sync engine fetch the documents and the real
 * indexer extract their text, then open the search page (win.search), type in its real
 * entry, check the grouped results, and choose one: the document must open at the hit's
 * page with the words highlighted by find in document. Then with the server gone:
 * search works offline. Screenshots go to $DOCKET_TEST_ARTIFACTS.
 */
#include "config.h"

#include <string.h>


#include "docket-test-util.h"
#include "docket-ui-test-util.h"
#include "docket-ui-test-client.h"
#include "docket-document.h"
#include "docket-document-view.h"
#include "docket-indexer.h"
#include "docket-search-page.h"
#include "docket-search-results.h"
#include "docket-store.h"
#include "docket-sync.h"
#include "docket-window.h"

/* Waiting on real events */

typedef struct {
  DocketSearchPage *page;
  const char       *query;
  const char       *state;
} SearchWait;

/* The page shows the answer to query, in the state wanted. */
static gboolean
search_shown (gpointer data)
{
  SearchWait *wait = data;
  DocketSearchResults *results = docket_search_page_get_results (wait->page);

  return !docket_search_results_get_loading (results) &&
         g_strcmp0 (docket_search_results_get_shown_query (results), wait->query) == 0 &&
         g_strcmp0 (docket_ui_test_visible_page (GTK_WIDGET (wait->page)), wait->state) == 0;
}

static void
type_query (DocketWindow *window,
            const char   *query,
            const char   *state)
{
  DocketSearchPage *page = DOCKET_SEARCH_PAGE (docket_ui_test_window_part (window, DOCKET_TYPE_SEARCH_PAGE));
  SearchWait wait = { page, query, state };
  g_autofree char *what = g_strdup_printf ("the results of “%s” (%s)", query, state);

  /* Into the real entry: its search-changed (after its delay) runs the search. */
  gtk_editable_set_text (GTK_EDITABLE (docket_ui_test_find_descendant (GTK_WIDGET (page), GTK_TYPE_SEARCH_ENTRY)), query);
  docket_ui_test_wait_for (search_shown, &wait, what);
  docket_ui_test_wait_for_paint (GTK_WIDGET (window));
}

typedef struct {
  DocketDocumentView *view;
  guint               page;
} HitWait;

/* The document is open, scrolled to the hit's page (on the view's next frames), and
 * find in document has found the words. */
static gboolean
view_open_at_hit (gpointer data)
{
  HitWait *wait = data;
  DocketPdfFind *find = docket_find_bar_get_find (docket_ui_test_find_bar (GTK_WIDGET (wait->view)));

  return docket_document_view_get_state (wait->view) == DOCKET_DOCUMENT_VIEW_READY &&
         find != NULL && docket_pdf_find_get_finished (find) &&
         docket_ui_test_find_current (GTK_WIDGET (wait->view)) >= 0 &&
         docket_document_view_get_current_page (wait->view) == wait->page;
}

static gboolean
page_is_document (gpointer window)
{
  return g_strcmp0 (docket_window_get_page_name (window), "document") == 0;
}

/* The group headings the list shows, in order, as read: each header's labels joined by
 * " — " ("Meeting — Document" where a new meeting starts, "Document" where only the
 * document changes). */
static GStrv
dup_headers (DocketSearchPage *page)
{
  GtkListBox *list = GTK_LIST_BOX (docket_ui_test_find_descendant (GTK_WIDGET (page), GTK_TYPE_LIST_BOX));
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (list, i)) != NULL; i++)
    {
      GtkWidget *header = gtk_list_box_row_get_header (row);
      g_autoptr(GString) text = g_string_new (NULL);

      if (header == NULL)
        continue;
      for (GtkWidget *child = gtk_widget_get_first_child (header); child != NULL;
           child = gtk_widget_get_next_sibling (child))
        {
          if (!GTK_IS_LABEL (child))
            continue;
          if (text->len > 0)
            g_string_append (text, " — ");
          g_string_append (text, gtk_label_get_label (GTK_LABEL (child)));
        }
      g_strv_builder_add (builder, text->str);
    }
  return g_strv_builder_end (builder);
}

/* The results are grouped: a meeting's hits together, and within it a document's. */
static void
assert_grouped (GListModel *results)
{
  g_autoptr(GHashTable) meetings_done = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) documents_done = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *meeting = NULL;
  g_autofree char *document = NULL;
  guint last_page = 0;

  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(DocketSearchResult) result = g_list_model_get_item (results, i);
      const char *m = docket_search_result_get_meeting_id (result);
      g_autofree char *d = g_strconcat (m, "/", docket_search_result_get_document_id (result), NULL);

      if (g_strcmp0 (m, meeting) != 0)
        {
          g_assert_false (g_hash_table_contains (meetings_done, m));
          if (meeting != NULL)
            g_hash_table_add (meetings_done, g_steal_pointer (&meeting));
          meeting = g_strdup (m);
        }
      if (g_strcmp0 (d, document) != 0)
        {
          g_assert_false (g_hash_table_contains (documents_done, d));
          if (document != NULL)
            g_hash_table_add (documents_done, g_steal_pointer (&document));
          document = g_strdup (d);
        }
      else
        g_assert_cmpuint (docket_search_result_get_page (result), >, last_page);   /* pages in order */
      last_page = docket_search_result_get_page (result);

      /* The words found are in bold in valid markup. */
      g_assert_true (pango_parse_markup (docket_search_result_get_snippet (result), -1, 0, NULL, NULL, NULL, NULL));
      g_assert_nonnull (strstr (docket_search_result_get_snippet (result), "<b>"));
    }
}

static void
test_search_and_open (void)
{
  DocketUiTestClient client = { .width = 1100 };
  DocketUiTestIndexing indexing = { 0 };
  DocketTestServer *server;
  g_autofree char *root = docket_test_make_tmpdir ("docket-search-ui");
  g_autofree char *profile = g_build_filename (root, "profile", NULL);
  g_auto(GStrv) headers = NULL;
  g_autoptr(DocketSearchResult) chosen = NULL;
  DocketSearchPage *page;
  DocketDocumentView *view;
  GListModel *results;
  GtkWidget *list;
  GtkWidget *focus;
  guint hit_page = 0;
  int row_index = -1;

  server = docket_test_server_start (TRUE);
  client.n_meetings = docket_ui_test_server_meeting_count (server, "daibieu1");
  g_assert_cmpuint (client.n_meetings, >, 0);

  docket_ui_test_client_open_store (&client, profile);
  indexing.indexer = docket_indexer_new (client.store);
  indexing.store = client.store;
  docket_ui_test_client_new_window (&client);

  /* Searching needs someone signed in. */
  gtk_widget_activate_action (GTK_WIDGET (client.window), "win.search", NULL);
  g_assert_cmpstr (docket_window_get_page_name (client.window), ==, "sign-in");

  docket_ui_test_client_sign_in (&client, server);
  docket_ui_test_wait_for (docket_ui_test_client_synced, &client, "the demo meetings and their documents");
  docket_ui_test_wait_for (docket_ui_test_index_complete, &indexing, "the indexer to extract every document's text");
  g_assert_cmpuint (docket_indexer_get_n_indexed (indexing.indexer), >, 0);

  docket_ui_test_wait_for_paint (GTK_WIDGET (client.window));
  docket_ui_test_save_screenshot (GTK_WIDGET (client.window), NULL, "search-button.png");

  /* Ctrl+Shift+F's action: the search page, the keyboard in its entry. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (client.window), "win.search", NULL));
  g_assert_cmpstr (docket_window_get_page_name (client.window), ==, "search");
  page = DOCKET_SEARCH_PAGE (docket_ui_test_window_part (client.window, DOCKET_TYPE_SEARCH_PAGE));
  docket_ui_test_wait_for_paint (GTK_WIDGET (client.window));
  focus = gtk_root_get_focus (GTK_ROOT (client.window));
  g_assert_nonnull (focus);
  g_assert_true (focus == docket_ui_test_find_descendant (GTK_WIDGET (page), GTK_TYPE_SEARCH_ENTRY) ||
                 gtk_widget_is_ancestor (focus, docket_ui_test_find_descendant (GTK_WIDGET (page), GTK_TYPE_SEARCH_ENTRY)));
  g_assert_cmpstr (docket_ui_test_visible_page (GTK_WIDGET (page)), ==, "start");
  docket_ui_test_save_screenshot (GTK_WIDGET (client.window), NULL, "search-start.png");

  /* Without diacritics, "dai bieu" finds "đại biểu" in the demo documents. */
  type_query (client.window, "dai bieu", "results");
  results = G_LIST_MODEL (docket_search_page_get_results (page));
  g_assert_cmpuint (g_list_model_get_n_items (results), >, 1);
  assert_grouped (results);
  headers = dup_headers (page);
  g_assert_nonnull (headers);
  g_assert_nonnull (headers[0]);
  g_assert_nonnull (strstr (headers[0], " — "));   /* the first group names its meeting */
  docket_ui_test_save_screenshot (GTK_WIDGET (client.window), NULL, "search-results.png");

  /* Down in the entry takes the keyboard to the first hit (the entry's key controller,
   * as GTK calls it when the key arrives). */
  {
    g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (docket_ui_test_find_descendant (GTK_WIDGET (page), GTK_TYPE_SEARCH_ENTRY));
    gboolean handled = FALSE;

    for (guint i = 0; i < g_list_model_get_n_items (controllers) && !handled; i++)
      {
        g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

        if (GTK_IS_EVENT_CONTROLLER_KEY (controller))
          g_signal_emit_by_name (controller, "key-pressed", GDK_KEY_Down, 0, 0, &handled);
      }
    g_assert_true (handled);
    g_assert_true (gtk_root_get_focus (GTK_ROOT (client.window)) ==
                   GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (docket_ui_test_find_descendant (GTK_WIDGET (page), GTK_TYPE_LIST_BOX)), 0)));
    docket_search_page_focus_entry (page);
  }

  /* Nothing found: the page says so. */
  type_query (client.window, "xyzzyquux", "no-results");
  docket_ui_test_save_screenshot (GTK_WIDGET (client.window), NULL, "search-no-results.png");
  /* What would be FTS5 syntax is only text. */
  type_query (client.window, "\"dai -bieu*", "results");
  type_query (client.window, "NEAR(\"", "no-results");

  /* "ngan sach" is on several pages: choose a hit on a page after the first. */
  type_query (client.window, "ngan sach", "results");
  results = G_LIST_MODEL (docket_search_page_get_results (page));
  for (guint i = 0; i < g_list_model_get_n_items (results) && row_index < 0; i++)
    {
      g_autoptr(DocketSearchResult) result = g_list_model_get_item (results, i);

      if (docket_search_result_get_page (result) > 0)
        {
          row_index = (int) i;
          hit_page = docket_search_result_get_page (result);
          chosen = g_object_ref (result);
        }
    }
  g_assert_cmpint (row_index, >=, 0);
  g_assert_nonnull (strstr (docket_search_result_get_match_text (chosen), "gân sách"));   /* N/n */

  /* Chosen as a click or Enter on the row does. */
  list = docket_ui_test_find_descendant (GTK_WIDGET (page), GTK_TYPE_LIST_BOX);
  g_assert_true (gtk_widget_activate (GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), row_index))));
  docket_ui_test_wait_for (page_is_document, client.window, "the document page");
  view = DOCKET_DOCUMENT_VIEW (docket_ui_test_window_part (client.window, DOCKET_TYPE_DOCUMENT_VIEW));
  {
    HitWait wait = { view, hit_page };
    docket_ui_test_wait_for (view_open_at_hit, &wait, "the document open at the hit's page");
  }
  g_assert_cmpstr (docket_document_get_id (docket_document_view_get_document (view)), ==,
                   docket_search_result_get_document_id (chosen));
  g_assert_cmpuint (docket_document_view_get_current_page (view), ==, hit_page);
  g_assert_true (docket_find_bar_get_open (docket_ui_test_find_bar (GTK_WIDGET (view))));
  {
    DocketPdfFind *find = docket_find_bar_get_find (docket_ui_test_find_bar (GTK_WIDGET (view)));
    GArray *boxes;   /* borrowed from the find */

    /* The words found, as the page writes them, are highlighted on the hit's page. */
    g_assert_cmpstr (docket_pdf_find_get_text (find), ==, docket_search_result_get_match_text (chosen));
    boxes = docket_pdf_find_get_page_boxes (find, hit_page);
    g_assert_nonnull (boxes);
    g_assert_cmpuint (boxes->len, >, 0);
    /* The current hit (the one the bar's arrows start from) is the first on that page. */
    {
      guint current_hit_page = G_MAXUINT;

      g_assert_true (docket_pdf_find_get_hit (find, (guint) docket_ui_test_find_current (GTK_WIDGET (view)),
                                              &current_hit_page, NULL, NULL));
      g_assert_cmpuint (current_hit_page, ==, hit_page);
    }
  }
  docket_ui_test_wait_for_paint (GTK_WIDGET (client.window));
  docket_ui_test_save_screenshot (GTK_WIDGET (client.window), NULL, "search-opened-at-hit.png");

  /* Back to the search, which kept its query and results; Escape in the entry leaves it
   * for the page it was opened from. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (client.window), "win.search", NULL));
  g_assert_cmpstr (docket_window_get_page_name (client.window), ==, "search");
  g_assert_cmpstr (docket_ui_test_visible_page (GTK_WIDGET (page)), ==, "results");
  g_signal_emit_by_name (docket_ui_test_find_descendant (GTK_WIDGET (page), GTK_TYPE_SEARCH_ENTRY), "stop-search");
  g_assert_cmpstr (docket_window_get_page_name (client.window), ==, "document");

  /* Offline: the server is gone, search works the same, and Enter opens the best hit. */
  docket_sync_stop_automatic (client.sync);
  docket_ui_test_wait_for (docket_ui_test_client_not_syncing, &client, "the sync to stop");
  docket_test_server_stop (server);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (client.window), "win.back", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (client.window), "win.back", NULL));
  g_assert_cmpstr (docket_window_get_page_name (client.window), ==, "meetings");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (client.window), "win.search", NULL));
  /* Typed and Enter at once, before the entry's typing delay is over. */
  gtk_editable_set_text (GTK_EDITABLE (docket_ui_test_find_descendant (GTK_WIDGET (page), GTK_TYPE_SEARCH_ENTRY)), "HỘI ĐỒNG NHÂN DÂN");
  g_signal_emit_by_name (docket_ui_test_find_descendant (GTK_WIDGET (page), GTK_TYPE_SEARCH_ENTRY), "activate");
  docket_ui_test_wait_for (page_is_document, client.window, "the document page");
  g_assert_cmpstr (docket_search_results_get_shown_query (docket_search_page_get_results (page)), ==,
                   "HỘI ĐỒNG NHÂN DÂN");
  g_clear_object (&chosen);
  chosen = g_list_model_get_item (G_LIST_MODEL (docket_search_page_get_results (page)), 0);
  {
    HitWait wait = { view, docket_search_result_get_page (chosen) };
    docket_ui_test_wait_for (view_open_at_hit, &wait, "the document open at the best hit's page");
  }
  g_assert_cmpstr (docket_document_get_id (docket_document_view_get_document (view)), ==,
                   docket_search_result_get_document_id (chosen));
  g_assert_cmpuint (docket_document_view_get_current_page (view), ==, docket_search_result_get_page (chosen));

  docket_ui_test_client_close (&client);
  g_clear_object (&indexing.indexer);
  docket_test_rmtree (root);
}

int
main (int   argc,
      char *argv[])
{
  docket_ui_test_init (&argc, &argv);

  g_test_add_func ("/search-ui/search-and-open", test_search_and_open);

  return g_test_run ();
}
