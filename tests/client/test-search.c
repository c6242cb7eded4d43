/* test-search.c: the search index and the indexer, on real PDFs in a real profile
 *
 * The PDFs are written with cairo and Pango (real fonts, real text that poppler
 * extracts), put in the profile as documents of meetings, and indexed by the real
 * DocketIndexer in its worker thread. Here: searching a prepared index (folding,
 * phrases, hostile queries, ranking, snippets, the results model, a document removed);
 * the indexer on hard cases is test-search-indexer.c's, and what both share is in
 * test-search-common.c.
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <pango/pango.h>
#include <sqlite3.h>

#include "docket-indexer.h"
#include "docket-search-results.h"
#include "docket-store.h"
#include "docket-store-private.h"
#include "docket-test-util.h"
#include "test-search-common.h"

/* ---- Fixture: a profile with two meetings and indexed documents --------------------- */

typedef struct {
  char          *tmpdir;
  DocketStore   *store;
  DocketIndexer *indexer;
  char          *sha_report;
  char          *sha_budget;
  char          *sha_markup;
} Fixture;

#define PAGE_REPORT_0 "BÁO CÁO kết quả kỳ họp. Hội đồng nhân dân tỉnh đã thảo luận."
#define PAGE_REPORT_1 "Đại biểu Hội đồng nhân dân tỉnh giám sát việc thực hiện Nghị quyết. " \
                      "Các đại biểu thống nhất. Ý kiến của đại biểu được tiếp thu."
#define PAGE_BUDGET_0 "Dự toán thu ngân sách nhà nước năm 2027 là 12.450 tỷ đồng."
#define PAGE_BUDGET_1 "Sách giáo khoa được cấp miễn phí; nguồn vốn từ ngân hàng chính sách."
#define PAGE_MARKUP_0 "Ghi chú kỹ thuật: <b>& <i>không</i> phải markup</b> &amp; tiêu đề."

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) report = make_pdf (PAGE_REPORT_0, PAGE_REPORT_1, NULL);
  g_autoptr(GBytes) budget = make_pdf (PAGE_BUDGET_0, PAGE_BUDGET_1, NULL);
  g_autoptr(GBytes) markup = make_pdf (PAGE_MARKUP_0, NULL);

  fixture->tmpdir = docket_test_make_tmpdir ("search");
  fixture->store = docket_store_open (fixture->tmpdir, &error);
  g_assert_no_error (error);

  fixture->sha_report = sha256_of (report);
  fixture->sha_budget = sha256_of (budget);
  fixture->sha_markup = sha256_of (markup);

  /* The budget is a document of both meetings (the same content). */
  apply (fixture->store, "c1",
         meeting_change ("m1", "Kỳ họp thứ 12", "2026-12-01T08:00:00+07:00"),
         meeting_change ("m2", "Phiên họp Ban Kinh tế", "2026-12-08T08:00:00+07:00"),
         item_change ("i1", "m1"),
         item_change ("i2", "m2"),
         document_change ("d-report", "m1", "i1", 0, "Báo cáo kết quả", fixture->sha_report),
         document_change ("d-budget", "m1", "i1", 1, "Tờ trình dự toán", fixture->sha_budget),
         document_change ("d-budget-2", "m2", "i2", 0, "Dự toán (bản thẩm tra)", fixture->sha_budget),
         document_change ("d-markup", "m2", "i2", 1, "Ghi chú <kỹ thuật> & mẫu", fixture->sha_markup),
         NULL);

  put_content (fixture->store, fixture->sha_report, report);
  put_content (fixture->store, fixture->sha_budget, budget);
  put_content (fixture->store, fixture->sha_markup, markup);

  fixture->indexer = docket_indexer_new (fixture->store);
  wait_for_indexer (fixture->indexer, fixture->store);
  g_assert_cmpuint (docket_indexer_get_n_indexed (fixture->indexer), ==, 3);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->indexer);
  g_clear_object (&fixture->store);
  docket_test_rmtree (fixture->tmpdir);
  g_free (fixture->tmpdir);
  g_free (fixture->sha_report);
  g_free (fixture->sha_budget);
  g_free (fixture->sha_markup);
}

/* ---- Tests -------------------------------------------------------------------------- */

/* Why we have a tokenizer of our own: unicode61 with remove_diacritics does not fold đ. */
static void
test_unicode61_does_not_fold_d (void)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open (":memory:", &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "CREATE VIRTUAL TABLE t USING fts5 (x, tokenize = 'unicode61 remove_diacritics 2');"
                                 "INSERT INTO t VALUES ('Đại biểu Hội đồng');",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM t WHERE t MATCH ?1", -1, &stmt, NULL), ==, SQLITE_OK);

  sqlite3_bind_text (stmt, 1, "bieu", -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);     /* ê is folded... */
  sqlite3_reset (stmt);

  sqlite3_bind_text (stmt, 1, "dai", -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 0);     /* ...but Đ is not */

  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static void
test_folding (Fixture       *fixture,
              gconstpointer  data)
{
  DocketStore *store = fixture->store;

  g_assert_true (finds (store, "dai bieu", "d-report", 1));
  g_assert_true (finds (store, "ngan sach", "d-budget", 0));
  g_assert_true (finds (store, "hoi dong", "d-report", 0));
  g_assert_true (finds (store, "hoi dong", "d-report", 1));
  /* Case, and the query's own diacritics, do not matter either. */
  g_assert_true (finds (store, "ĐẠI BIỂU", "d-report", 1));
  g_assert_true (finds (store, "Đại Biểu", "d-report", 1));
  g_assert_true (finds (store, "bao cao", "d-report", 0));
  g_assert_true (finds (store, "NGÂN sách", "d-budget", 0));
  /* A query typed with combining marks (NFD: e, U+0302, U+0309) is folded the same. */
  g_assert_true (finds (store, "dai bie\xcc\x82\xcc\x89u", "d-report", 1));
  /* Words are words: "dai" does not find "đại biểu" inside other words. */
  g_assert_cmpuint (n_hits (store, "xyzzy"), ==, 0);
  g_assert_false (finds (store, "bieu", "d-budget", 0));
}

/* The query text builds exactly the FTS5 query expected. */
static void
assert_query (const char *text,
              const char *expected)
{
  g_autofree char *q = docket_store_search_build_query (text);

  g_assert_cmpstr (q, ==, expected);
}

static void
test_phrases_and_prefixes (Fixture       *fixture,
                           gconstpointer  data)
{
  DocketStore *store = fixture->store;

  /* Both pages of the budget have "ngân" and "sách"; only page 0 has them side by side. */
  g_assert_true (finds (store, "ngan sach", "d-budget", 0));
  g_assert_true (finds (store, "ngan sach", "d-budget", 1));
  g_assert_true (finds (store, "\"ngan sach\"", "d-budget", 0));
  g_assert_false (finds (store, "\"ngan sach\"", "d-budget", 1));
  g_assert_true (finds (store, "\"ngân sách nhà nước\"", "d-budget", 0));

  /* The last word is a prefix while it is being typed... */
  g_assert_true (finds (store, "ngan sa", "d-budget", 0));
  g_assert_true (finds (store, "dai bi", "d-report", 1));
  g_assert_true (finds (store, "\"ngan sa", "d-budget", 0));   /* an unbalanced quote */
  g_assert_false (finds (store, "\"ngan sa", "d-budget", 1));
  /* ...not once it is followed by a space, or inside a finished phrase. */
  g_assert_false (finds (store, "ngan sa ", "d-budget", 0));
  g_assert_false (finds (store, "\"ngan sa\"", "d-budget", 0));
  /* Only the last word. */
  g_assert_false (finds (store, "nga sach", "d-budget", 0));

  /* The queries as FTS5 sees them. */
  assert_query ("Đại  biểu", "\"dai\" \"bieu\"*");
  assert_query ("\"Hội đồng\" tỉnh ", "\"hoi dong\" \"tinh\"");
  assert_query ("COVID-19", "\"covid 19\"*");
  /* One letter is not a prefix (every word that starts with it is half the index); a
   * lone letter being typed after other words waits for its second one. */
  assert_query ("s", "\"s\"");
  assert_query ("ngan s", "\"ngan\"");
  assert_query ("ngan s ", "\"ngan\" \"s\"");
  g_assert_true (finds (store, "ngan s", "d-budget", 0));
}

static void
test_hostile_queries (Fixture       *fixture,
                      gconstpointer  data)
{
  DocketStore *store = fixture->store;
  g_autoptr(GString) long_query = g_string_new (NULL);
  const char *queries[] = {
    "\"", "\"\"", "\"\"\"", "*", "**", "-", "--", "^", ":", "(", ")", "()", "+", "'", "\\",
    "NEAR(", "NEAR(dai bieu", "NEAR(dai bieu, 2)", "dai AND", "OR", "AND bieu", "NOT",
    "dai OR NOT bieu", "text:dai", "{text}: dai", "^dai", "dai*", "-dai", "dai -bieu",
    "'; DROP TABLE search_pages; --", "\x01\x02", "\xff\xfe dai", "dai \xc3", "\t\n",
    "\"dai\" \"", "ngan\"sach", "a\"b\"c\"d", "%", "_", "dai%",
  };

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) hits = docket_store_search (store, queries[i], 50, &error);

      g_assert_no_error (error);
      g_assert_nonnull (hits);
    }

  /* Operators are text: the words around them are searched for. */
  g_assert_true (finds (store, "dai*", "d-report", 1));
  g_assert_true (finds (store, "-dai", "d-report", 1));
  g_assert_true (finds (store, "(dai bieu)", "d-report", 1));
  g_assert_true (finds (store, "dai AND bieu OR", "d-report", 1) == finds (store, "dai and bieu or", "d-report", 1));
  g_assert_true (finds (store, "text:dai", "d-report", 1) == finds (store, "text dai", "d-report", 1));
  g_assert_cmpuint (n_hits (store, "*"), ==, 0);
  g_assert_cmpuint (n_hits (store, ""), ==, 0);
  g_assert_cmpuint (n_hits (store, "   "), ==, 0);
  g_assert_cmpuint (n_hits (store, NULL), ==, 0);

  /* Very long: cut, never an error. */
  for (guint i = 0; i < 5000; i++)
    g_string_append (long_query, "đại biểu ");
  g_assert_true (finds (store, long_query->str, "d-report", 1));
  g_string_truncate (long_query, 0);
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (long_query, 'a');
  g_assert_cmpuint (n_hits (store, long_query->str), ==, 0);
}

static gint
compare_by_rank (gconstpointer a,
                 gconstpointer b)
{
  const DocketSearchHit *x = *(const DocketSearchHit * const *) a;
  const DocketSearchHit *y = *(const DocketSearchHit * const *) b;

  return (x->rank > y->rank) - (x->rank < y->rank);
}

static void
test_ranking_and_sharing (Fixture       *fixture,
                          gconstpointer  data)
{
  DocketStore *store = fixture->store;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GPtrArray) sorted = NULL;
  g_autoptr(GError) error = NULL;
  DocketSearchHit *hit;
  gboolean in_m1 = FALSE, in_m2 = FALSE;

  /* "đại biểu" three times on page 1 of the report, not at all on page 0: page 1 first. */
  hits = search (store, "dai bieu");
  g_assert_cmpuint (hits->len, ==, 1);
  g_clear_pointer (&hits, g_ptr_array_unref);

  hits = search (store, "hoi dong");
  g_assert_cmpuint (hits->len, ==, 2);
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* "sách" twice on page 1 of the budget, once on page 0: page 1 first, in both of the
   * budget's documents. */
  hits = search (store, "sach ");
  g_assert_cmpuint (hits->len, ==, 4);
  for (guint i = 0; i < 2; i++)
    {
      hit = g_ptr_array_index (hits, i);
      g_assert_cmpuint (hit->page, ==, 1);
    }
  for (guint i = 2; i < 4; i++)
    {
      hit = g_ptr_array_index (hits, i);
      g_assert_cmpuint (hit->page, ==, 0);
    }
  g_clear_pointer (&hits, g_ptr_array_unref);

  hits = search (store, "dai bieu hoi dong");
  g_assert_cmpuint (hits->len, ==, 1);
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* "đại biểu": 3 times in page 1; "nhân dân": in both pages of the report. */
  hits = search (store, "tinh");
  g_assert_cmpuint (hits->len, >=, 2);
  /* Best first. */
  /* (g_ptr_array_copy () would take the free function too) */
  sorted = g_ptr_array_new ();
  for (guint i = 0; i < hits->len; i++)
    g_ptr_array_add (sorted, g_ptr_array_index (hits, i));
  g_ptr_array_sort (sorted, compare_by_rank);
  for (guint i = 0; i < hits->len; i++)
    g_assert_true (g_ptr_array_index (hits, i) == g_ptr_array_index (sorted, i));
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* The budget is in both meetings: a hit in each, with the right titles. */
  hits = search (store, "\"ngan sach nha nuoc\"");
  g_assert_cmpuint (hits->len, ==, 2);
  for (guint i = 0; i < hits->len; i++)
    {
      hit = g_ptr_array_index (hits, i);
      g_assert_cmpuint (hit->page, ==, 0);
      if (g_strcmp0 (hit->meeting_id, "m1") == 0)
        {
          in_m1 = TRUE;
          g_assert_cmpstr (hit->document_id, ==, "d-budget");
          g_assert_cmpstr (hit->meeting_title, ==, "Kỳ họp thứ 12");
          g_assert_cmpstr (hit->document_title, ==, "Tờ trình dự toán");
        }
      else
        {
          in_m2 = TRUE;
          g_assert_cmpstr (hit->meeting_id, ==, "m2");
          g_assert_cmpstr (hit->document_id, ==, "d-budget-2");
          g_assert_cmpstr (hit->meeting_title, ==, "Phiên họp Ban Kinh tế");
        }
      g_assert_cmpstr (hit->match_text, ==, "ngân sách nhà nước");
    }
  g_assert_true (in_m1 && in_m2);
  g_clear_pointer (&hits, g_ptr_array_unref);

  /* The limit holds. */
  hits = docket_store_search (store, "ngan sach", 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
}

static void
test_snippet_markup (Fixture       *fixture,
                     gconstpointer  data)
{
  DocketStore *store = fixture->store;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *plain = NULL;
  DocketSearchHit *hit;

  hits = search (store, "markup");
  g_assert_cmpuint (hits->len, ==, 1);
  hit = g_ptr_array_index (hits, 0);
  g_assert_cmpstr (hit->document_id, ==, "d-markup");
  g_assert_cmpstr (hit->document_title, ==, "Ghi chú <kỹ thuật> & mẫu");

  /* Valid Pango markup, the PDF's own "<b>&" shown as text, the hit in bold. */
  g_assert_true (pango_parse_markup (hit->snippet, -1, 0, NULL, &plain, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (hit->snippet, "&lt;b&gt;&amp; &lt;i&gt;"));
  g_assert_nonnull (strstr (hit->snippet, "<b>markup</b>"));
  g_assert_nonnull (strstr (plain, "<b>& <i>"));
  g_assert_nonnull (strstr (plain, "&amp;"));
  g_assert_cmpstr (hit->match_text, ==, "markup");

  /* Hits side by side are one match, as the page writes it. */
  g_clear_pointer (&hits, g_ptr_array_unref);
  hits = search (store, "dai bieu hoi");
  g_assert_cmpuint (hits->len, ==, 1);
  hit = g_ptr_array_index (hits, 0);
  g_assert_cmpstr (hit->match_text, ==, "Đại biểu Hội");
  g_assert_nonnull (strstr (hit->snippet, "<b>Đại</b> <b>biểu</b> <b>Hội</b>"));
}

static void
search_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GAsyncResult **out_result = user_data;

  *out_result = g_object_ref (result);
}

static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;
  guint id = docket_test_watchdog_add (WAIT_TIMEOUT_SECONDS, "a search");

  docket_store_search_async (fixture->store, "dai bieu", 10, NULL, search_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);

  hits = docket_store_search_finish (fixture->store, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpstr (((DocketSearchHit *) g_ptr_array_index (hits, 0))->document_id, ==, "d-report");
  g_assert_cmpuint (((DocketSearchHit *) g_ptr_array_index (hits, 0))->page, ==, 1);
}

static gboolean
results_settled (DocketSearchResults *results,
                 const char          *query,
                 guint                n_items)
{
  return !docket_search_results_get_loading (results) &&
         g_strcmp0 (docket_search_results_get_shown_query (results), query) == 0 &&
         g_list_model_get_n_items (G_LIST_MODEL (results)) == n_items;
}

static void
wait_for_results (DocketSearchResults *results,
                  const char          *query,
                  guint                n_items)
{
  guint id = docket_test_watchdog_add (WAIT_TIMEOUT_SECONDS, "the search results");

  while (!results_settled (results, query, n_items))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
}

/* The model the search page shows: hits grouped by meeting, then by document (the group
 * with the best hit first), pages in order within a document; it follows the store. */
static void
test_results_model (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(DocketSearchResults) results = docket_search_results_new (fixture->store);
  GListModel *model = G_LIST_MODEL (results);
  g_autoptr(DocketSearchResult) first = NULL;
  const char *first_meeting;

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);

  /* "sách": pages 0 and 1 of the budget, which both meetings have. */
  docket_search_results_set_query (results, "sach ");
  g_assert_true (docket_search_results_get_loading (results));
  wait_for_results (results, "sach ", 4);
  first = g_list_model_get_item (model, 0);
  first_meeting = docket_search_result_get_meeting_id (first);
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(DocketSearchResult) result = g_list_model_get_item (model, i);

      /* Two of one meeting, then two of the other; page 0 before page 1 in each. */
      g_assert_true ((g_strcmp0 (docket_search_result_get_meeting_id (result), first_meeting) == 0) == (i < 2));
      g_assert_cmpuint (docket_search_result_get_page (result), ==, i % 2);
      g_assert_nonnull (strstr (docket_search_result_get_snippet (result), "<b>"));
    }

  /* A document leaves: the same search runs again. */
  apply (fixture->store, "c2", docket_change_new (DOCKET_CHANGE_DOCUMENT, "d-budget-2", TRUE, NULL), NULL);
  wait_for_results (results, "sach ", 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(DocketSearchResult) result = g_list_model_get_item (model, i);
      g_assert_cmpstr (docket_search_result_get_document_id (result), ==, "d-budget");
    }

  g_assert_cmpuint (docket_search_results_get_n_unindexed (results), ==, 0);

  /* A document the indexer has not read yet: its words are not found, and the results
   * say that one document is still to be read. */
  g_clear_object (&fixture->indexer);
  {
    g_autoptr(GBytes) pdf = make_pdf ("Phụ lục mới về ngân sách.", NULL);
    g_autofree char *sha = sha256_of (pdf);
    guint id;

    apply (fixture->store, "c3",
           document_change ("d-new", "m1", "i1", 5, "Phụ lục", sha), NULL);
    put_content (fixture->store, sha, pdf);
    docket_search_results_set_query (results, "phu luc");
    wait_for_results (results, "phu luc", 0);
    id = docket_test_watchdog_add (WAIT_TIMEOUT_SECONDS, "the count of documents to index");
    while (docket_search_results_get_n_unindexed (results) != 1)
      g_main_context_iteration (NULL, TRUE);
    g_source_remove (id);
  }

  /* Nothing to search for: empty. */
  docket_search_results_set_query (results, "");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_false (docket_search_results_get_loading (results));
}

static void
test_removed_document (Fixture       *fixture,
                       gconstpointer  data)
{
  DocketStore *store = fixture->store;
  g_autoptr(GError) error = NULL;
  g_autofree char *pages_of_budget = g_strdup_printf ("SELECT count(*) FROM search_pages WHERE sha256 = '%s'",
                                                      fixture->sha_budget);

  g_assert_cmpint (docket_test_count_rows (docket_store_get_profile_dir (store), pages_of_budget), ==, 2);

  /* One of the two documents with the budget's content goes: the other still finds. */
  apply (store, "c2", docket_change_new (DOCKET_CHANGE_DOCUMENT, "d-budget", TRUE, NULL), NULL);
  g_assert_false (finds (store, "ngan sach", "d-budget", 0));
  g_assert_true (finds (store, "ngan sach", "d-budget-2", 0));
  g_assert_cmpint (docket_test_count_rows (docket_store_get_profile_dir (store), pages_of_budget), ==, 2);

  /* The second goes: the content leaves the cache, and its text the index. */
  apply (store, "c3", docket_change_new (DOCKET_CHANGE_DOCUMENT, "d-budget-2", TRUE, NULL), NULL);
  g_assert_cmpuint (n_hits (store, "ngan sach"), ==, 0);
  g_assert_cmpint (docket_test_count_rows (docket_store_get_profile_dir (store), pages_of_budget), ==, 0);
  g_assert_cmpint (docket_store_get_indexed_pages (store, fixture->sha_budget, &error), ==, -1);
  g_assert_no_error (error);

  /* A whole meeting goes. */
  apply (store, "c4", docket_change_new (DOCKET_CHANGE_MEETING, "m1", TRUE, NULL), NULL);
  g_assert_cmpuint (n_hits (store, "dai bieu"), ==, 0);
  g_assert_cmpint (docket_test_count_rows (docket_store_get_profile_dir (store), "SELECT count(*) FROM search_contents"), ==, 1);

  /* Text saved for a content that left while it was being read goes nowhere. */
  {
    g_autoptr(GPtrArray) texts = g_ptr_array_new ();

    g_ptr_array_add (texts, (gpointer) "đại biểu");
    g_assert_true (docket_store_save_content_text (store, fixture->sha_report, texts, &error));
    g_assert_no_error (error);
    g_assert_cmpint (docket_store_get_indexed_pages (store, fixture->sha_report, &error), ==, -1);
    g_assert_cmpuint (n_hits (store, "dai bieu"), ==, 0);
  }

  /* Signing out empties the index. */
  g_assert_true (docket_store_clear (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (docket_test_count_rows (docket_store_get_profile_dir (store), "SELECT count(*) FROM search_contents"), ==, 0);
  g_assert_cmpint (docket_test_count_rows (docket_store_get_profile_dir (store), "SELECT count(*) FROM search_pages"), ==, 0);
  g_assert_cmpuint (n_hits (store, "ghi chu"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/search/unicode61-does-not-fold-d", test_unicode61_does_not_fold_d);
  g_test_add ("/search/folding", Fixture, NULL, fixture_set_up, test_folding, fixture_tear_down);
  g_test_add ("/search/phrases-and-prefixes", Fixture, NULL, fixture_set_up, test_phrases_and_prefixes, fixture_tear_down);
  g_test_add ("/search/hostile-queries", Fixture, NULL, fixture_set_up, test_hostile_queries, fixture_tear_down);
  g_test_add ("/search/ranking-and-sharing", Fixture, NULL, fixture_set_up, test_ranking_and_sharing, fixture_tear_down);
  g_test_add ("/search/snippet-markup", Fixture, NULL, fixture_set_up, test_snippet_markup, fixture_tear_down);
  g_test_add ("/search/async", Fixture, NULL, fixture_set_up, test_async, fixture_tear_down);
  g_test_add ("/search/results-model", Fixture, NULL, fixture_set_up, test_results_model, fixture_tear_down);
  g_test_add ("/search/removed-document", Fixture, NULL, fixture_set_up, test_removed_document, fixture_tear_down);

  return g_test_run ();
}
