/* test-search.c: the search index and the indexer, on real PDFs in a real profile
 *
 * The PDFs are written with cairo and Pango (real fonts, real text that poppler
 * extracts), put in the profile as documents of meetings, and indexed by the real
 * DocketIndexer in its worker thread.
 */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include <cairo-pdf.h>
#include <glib/gstdio.h>
#include <pango/pangocairo.h>
#include <sqlite3.h>

#include "docket-indexer.h"
#include "docket-search-results.h"
#include "docket-store.h"
#include "docket-store-private.h"
#include "docket-test-store-v1.h"
#include "docket-test-util.h"

#define WAIT_TIMEOUT_SECONDS 60

/* ---- PDFs --------------------------------------------------------------------------- */

static cairo_status_t
append_to_array (void                *closure,
                 const unsigned char *data,
                 unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* A PDF with one page per string (A4, DejaVu Sans, wrapped). */
static GBytes *
make_pdf (const char *first_page,
          ...)
{
  GByteArray *array = g_byte_array_new ();
  cairo_surface_t *surface = cairo_pdf_surface_create_for_stream (append_to_array, array, 595, 842);
  cairo_t *cr = cairo_create (surface);
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string ("DejaVu Sans 11");
  const char *text = first_page;
  va_list args;

  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, 480 * PANGO_SCALE);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);

  va_start (args, first_page);
  while (text != NULL)
    {
      cairo_move_to (cr, 56, 56);
      pango_layout_set_text (layout, text, -1);
      pango_cairo_show_layout (cr, layout);
      cairo_show_page (cr);
      text = va_arg (args, const char *);
    }
  va_end (args);

  pango_font_description_free (font);
  g_object_unref (layout);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);

  return g_byte_array_free_to_bytes (array);
}

static char *
sha256_of (GBytes *bytes)
{
  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
}

/* ---- The cache ---------------------------------------------------------------------- */

static DocketChange *
meeting_change (const char *id,
                const char *title,
                const char *starts_at)
{
  DocketMeetingRecord *m = docket_meeting_record_new ();

  m->id = g_strdup (id);
  m->title = g_strdup (title);
  m->organ = g_strdup ("HĐND tỉnh");
  m->starts_at = docket_protocol_parse_time (starts_at, NULL);
  m->ends_at = docket_protocol_parse_time (starts_at, NULL);
  m->time_zone = g_strdup ("Asia/Ho_Chi_Minh");
  m->location = g_strdup ("Hội trường");
  m->status = DOCKET_MEETING_STATUS_PUBLISHED;
  m->version = 1;
  g_assert_nonnull (m->starts_at);

  return docket_change_new (DOCKET_CHANGE_MEETING, id, FALSE, m);
}

static DocketChange *
item_change (const char *id,
             const char *meeting_id)
{
  DocketAgendaItemRecord *i = docket_agenda_item_record_new ();

  i->id = g_strdup (id);
  i->meeting_id = g_strdup (meeting_id);
  i->position = 0;
  i->number = g_strdup ("1");
  i->title = g_strdup ("Mục 1");
  i->presenter = g_strdup ("");
  i->description = g_strdup ("");
  i->version = 2;

  return docket_change_new (DOCKET_CHANGE_AGENDA_ITEM, id, FALSE, i);
}

static DocketChange *
document_change (const char *id,
                 const char *meeting_id,
                 const char *item_id,
                 int         position,
                 const char *title,
                 const char *sha)
{
  DocketDocumentRecord *d = docket_document_record_new ();

  d->id = g_strdup (id);
  d->meeting_id = g_strdup (meeting_id);
  d->item_id = g_strdup (item_id);
  d->position = position;
  d->title = g_strdup (title);
  d->media_type = g_strdup ("application/pdf");
  d->sha256 = g_strdup (sha);
  d->size = 1000;
  d->pages = 1;
  d->version = 3;

  return docket_change_new (DOCKET_CHANGE_DOCUMENT, id, FALSE, d);
}

static void
apply (DocketStore *store,
       const char  *cursor,
       ...)
{
  g_autoptr(DocketChangesPage) page = docket_changes_page_new ();
  g_autoptr(GError) error = NULL;
  DocketChange *change;
  va_list args;

  page->cursor = g_strdup (cursor);
  va_start (args, cursor);
  while ((change = va_arg (args, DocketChange *)) != NULL)
    g_ptr_array_add (page->changes, change);
  va_end (args);

  g_assert_true (docket_store_apply_changes (store, page, &error));
  g_assert_no_error (error);
}

/* Puts bytes in the profile as the complete content sha. */
static void
put_content (DocketStore *store,
             const char  *sha,
             GBytes      *bytes)
{
  g_autofree char *path = docket_store_dup_blob_path (store, sha);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (bytes, NULL),
                                      (gssize) g_bytes_get_size (bytes), &error));
  g_assert_true (docket_store_mark_blob_complete (store, sha, &error));
  g_assert_no_error (error);
}

static int
count_rows (DocketStore *store,
            const char  *sql)
{
  g_autofree char *db_path = g_build_filename (docket_store_get_profile_dir (store), "docket.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int n;

  /* A connection of our own: plain tables only (FTS5 would need the tokenizer). */
  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return n;
}

/* ---- Waiting for the indexer -------------------------------------------------------- */

static gboolean
timeout_cb (gpointer user_data)
{
  g_error ("timed out waiting for %s", (const char *) user_data);
  return G_SOURCE_REMOVE;
}

/* Until the indexer is idle and nothing is left to index: the store's "changed" of the
 * last download may still be on its way when the indexer looks idle. */
static void
wait_for_indexer (DocketIndexer *indexer,
                  DocketStore   *store)
{
  guint id = g_timeout_add_seconds (WAIT_TIMEOUT_SECONDS, timeout_cb, (gpointer) "the indexer");

  for (;;)
    {
      g_autoptr(GPtrArray) left = NULL;

      while (g_main_context_pending (NULL) || docket_indexer_get_busy (indexer))
        g_main_context_iteration (NULL, TRUE);

      left = docket_store_list_unindexed_contents (store, NULL);
      g_assert_nonnull (left);
      if (left->len == 0)
        break;
      g_main_context_iteration (NULL, TRUE);
    }

  g_source_remove (id);
}

/* ---- Searching ---------------------------------------------------------------------- */

static GPtrArray *
search (DocketStore *store,
        const char  *query)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *hits = docket_store_search (store, query, 50, &error);

  g_assert_no_error (error);
  g_assert_nonnull (hits);

  return hits;
}

/* Whether a search for query gives a hit in document_id at page. */
static gboolean
finds (DocketStore *store,
       const char  *query,
       const char  *document_id,
       guint        page)
{
  g_autoptr(GPtrArray) hits = search (store, query);

  for (guint i = 0; i < hits->len; i++)
    {
      DocketSearchHit *hit = g_ptr_array_index (hits, i);

      if (g_strcmp0 (hit->document_id, document_id) == 0 && hit->page == page)
        return TRUE;
    }

  return FALSE;
}

static guint
n_hits (DocketStore *store,
        const char  *query)
{
  g_autoptr(GPtrArray) hits = search (store, query);

  return hits->len;
}

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
  guint id = g_timeout_add_seconds (WAIT_TIMEOUT_SECONDS, timeout_cb, (gpointer) "a search");

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
  guint id = g_timeout_add_seconds (WAIT_TIMEOUT_SECONDS, timeout_cb, (gpointer) "the search results");

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
    id = g_timeout_add_seconds (WAIT_TIMEOUT_SECONDS, timeout_cb, (gpointer) "the count of documents to index");
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

  g_assert_cmpint (count_rows (store, pages_of_budget), ==, 2);

  /* One of the two documents with the budget's content goes: the other still finds. */
  apply (store, "c2", docket_change_new (DOCKET_CHANGE_DOCUMENT, "d-budget", TRUE, NULL), NULL);
  g_assert_false (finds (store, "ngan sach", "d-budget", 0));
  g_assert_true (finds (store, "ngan sach", "d-budget-2", 0));
  g_assert_cmpint (count_rows (store, pages_of_budget), ==, 2);

  /* The second goes: the content leaves the cache, and its text the index. */
  apply (store, "c3", docket_change_new (DOCKET_CHANGE_DOCUMENT, "d-budget-2", TRUE, NULL), NULL);
  g_assert_cmpuint (n_hits (store, "ngan sach"), ==, 0);
  g_assert_cmpint (count_rows (store, pages_of_budget), ==, 0);
  g_assert_cmpint (docket_store_get_indexed_pages (store, fixture->sha_budget, &error), ==, -1);
  g_assert_no_error (error);

  /* A whole meeting goes. */
  apply (store, "c4", docket_change_new (DOCKET_CHANGE_MEETING, "m1", TRUE, NULL), NULL);
  g_assert_cmpuint (n_hits (store, "dai bieu"), ==, 0);
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM search_contents"), ==, 1);

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
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM search_contents"), ==, 0);
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM search_pages"), ==, 0);
  g_assert_cmpuint (n_hits (store, "ghi chu"), ==, 0);
}

static GBytes *
encrypt_with_qpdf (GBytes     *plain,
                   const char *tmpdir)
{
  g_autofree char *in = g_build_filename (tmpdir, "plain.pdf", NULL);
  g_autofree char *out = g_build_filename (tmpdir, "encrypted.pdf", NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;
  int status = 0;
  const char *argv[] = { "qpdf", "--encrypt", "secret-user", "secret-owner", "256", "--",
                         in, out, NULL };

  g_assert_true (g_file_set_contents (in, g_bytes_get_data (plain, NULL), (gssize) g_bytes_get_size (plain), NULL));
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, &error));
  g_assert_true (g_file_get_contents (out, &contents, &length, &error));
  g_unlink (in);
  g_unlink (out);

  return g_bytes_new_take (contents, length);
}

static void
test_damaged_documents (void)
{
  g_autofree char *dir = docket_test_make_tmpdir ("search-damaged");
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketStore) store = NULL;
  g_autoptr(DocketIndexer) indexer = NULL;
  g_autoptr(GBytes) good = make_pdf ("Nghị quyết về đầu tư công trung hạn.", NULL);
  g_autoptr(GBytes) secret = make_pdf ("Tài liệu mật: đầu tư công.", NULL);
  g_autoptr(GBytes) encrypted = NULL;
  g_autoptr(GBytes) damaged = NULL;
  g_autoptr(GBytes) not_pdf = g_bytes_new_static ("\x00\x01 not a PDF at all", 19);
  static const char garbage_text[] = "%PDF-1.7\n1 0 obj << /Type /Catalog >>\n%%EOF";
  g_autoptr(GBytes) garbage = g_bytes_new_static (garbage_text, sizeof garbage_text - 1);
  g_autofree char *sha_garbage = sha256_of (garbage);
  g_autoptr(GPtrArray) left = NULL;
  g_autofree char *sha_good = sha256_of (good);
  g_autofree char *sha_encrypted = NULL;
  g_autofree char *sha_damaged = NULL;
  g_autofree char *sha_not_pdf = sha256_of (not_pdf);
  gsize size;
  const char *data = g_bytes_get_data (good, &size);

  /* A PDF cut in the middle of its body. */
  damaged = g_bytes_new (data, size / 3);
  sha_damaged = sha256_of (damaged);
  encrypted = encrypt_with_qpdf (secret, dir);
  sha_encrypted = sha256_of (encrypted);

  store = docket_store_open (dir, &error);
  g_assert_no_error (error);
  apply (store, "c1",
         meeting_change ("m1", "Kỳ họp", "2026-12-01T08:00:00+07:00"),
         item_change ("i1", "m1"),
         document_change ("d-damaged", "m1", "i1", 0, "Hỏng", sha_damaged),
         document_change ("d-encrypted", "m1", "i1", 1, "Mật", sha_encrypted),
         document_change ("d-not-pdf", "m1", "i1", 2, "Không phải PDF", sha_not_pdf),
         document_change ("d-good", "m1", "i1", 3, "Tốt", sha_good),
         document_change ("d-garbage", "m1", "i1", 4, "Rác", sha_garbage),
         NULL);
  put_content (store, sha_garbage, garbage);
  put_content (store, sha_damaged, damaged);
  put_content (store, sha_encrypted, encrypted);
  put_content (store, sha_not_pdf, not_pdf);
  put_content (store, sha_good, good);

  indexer = docket_indexer_new (store);
  wait_for_indexer (indexer, store);

  /* The good one is searchable, whatever order they came in. */
  g_assert_true (finds (store, "dau tu cong", "d-good", 0));
  g_assert_false (finds (store, "tai lieu mat", "d-encrypted", 0));
  g_assert_cmpint (docket_store_get_indexed_pages (store, sha_good, NULL), ==, 1);
  /* The others are remembered as read, without text (poppler may rebuild a cut PDF's
   * pages, not its text). */
  g_assert_cmpint (docket_store_get_indexed_pages (store, sha_damaged, NULL), >=, 0);
  g_assert_cmpint (docket_store_get_indexed_pages (store, sha_garbage, NULL), ==, 0);
  g_assert_cmpint (docket_store_get_indexed_pages (store, sha_encrypted, NULL), ==, 0);
  g_assert_cmpint (docket_store_get_indexed_pages (store, sha_not_pdf, NULL), ==, 0);
  g_assert_cmpuint (docket_indexer_get_n_indexed (indexer), ==, 5);

  /* The next start does not try them again. */
  g_clear_object (&indexer);
  g_clear_object (&store);
  store = docket_store_open (dir, &error);
  g_assert_no_error (error);
  left = docket_store_list_unindexed_contents (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (left->len, ==, 0);
  indexer = docket_indexer_new (store);
  wait_for_indexer (indexer, store);
  g_assert_cmpuint (docket_indexer_get_n_indexed (indexer), ==, 0);
  g_assert_true (finds (store, "dau tu", "d-good", 0));

  /* A file that cannot be read now is an error of index_file, and nothing is saved. */
  g_assert_false (docket_indexer_index_file (store, sha_good, "/nonexistent/x.pdf", NULL, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);

  g_clear_object (&indexer);
  g_clear_object (&store);
  docket_test_rmtree (dir);
}

/* Disposing the indexer in the middle of its work stops it and loses nothing. */
static void
test_dispose_while_busy (void)
{
  g_autofree char *dir = docket_test_make_tmpdir ("search-dispose");
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketStore) store = NULL;
  g_autoptr(DocketIndexer) indexer = NULL;
  g_autoptr(GPtrArray) shas = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) left = NULL;
  g_autoptr(GPtrArray) pdfs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(DocketChangesPage) page = docket_changes_page_new ();

  store = docket_store_open (dir, &error);
  g_assert_no_error (error);

  page->cursor = g_strdup ("c1");
  g_ptr_array_add (page->changes, meeting_change ("m1", "Kỳ họp", "2026-12-01T08:00:00+07:00"));
  g_ptr_array_add (page->changes, item_change ("i1", "m1"));
  for (guint i = 0; i < 8; i++)
    {
      g_autofree char *text = g_strdup_printf ("Tài liệu số %u về ngân sách.", i);
      g_autoptr(GBytes) pdf = make_pdf (text, text, text, text, NULL);
      g_autofree char *id = g_strdup_printf ("d%u", i);

      g_ptr_array_add (shas, sha256_of (pdf));
      g_ptr_array_add (page->changes, document_change (id, "m1", "i1", (int) i, id, g_ptr_array_index (shas, i)));
      g_ptr_array_add (pdfs, g_steal_pointer (&pdf));
    }
  g_assert_true (docket_store_apply_changes (store, page, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < shas->len; i++)
    {
      g_autofree char *path = docket_store_dup_blob_path (store, g_ptr_array_index (shas, i));
      g_autofree char *sub = g_path_get_dirname (path);
      GBytes *pdf = g_ptr_array_index (pdfs, i);

      g_assert_cmpint (g_mkdir_with_parents (sub, 0700), ==, 0);
      g_assert_true (g_file_set_contents (path, g_bytes_get_data (pdf, NULL), (gssize) g_bytes_get_size (pdf), NULL));
      g_assert_true (docket_store_mark_blob_complete (store, g_ptr_array_index (shas, i), &error));
    }

  indexer = docket_indexer_new (store);
  g_assert_true (docket_indexer_get_busy (indexer));
  g_clear_object (&indexer);   /* at once: cancels and waits for the page being read */

  /* What was saved is whole; the rest is indexed by the next indexer. */
  left = docket_store_list_unindexed_contents (store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < shas->len; i++)
    {
      int n = docket_store_get_indexed_pages (store, g_ptr_array_index (shas, i), NULL);
      g_assert_true (n == -1 || n == 4);
    }
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);

  indexer = docket_indexer_new (store);
  wait_for_indexer (indexer, store);
  g_assert_cmpuint (docket_indexer_get_n_indexed (indexer), ==, left->len);
  for (guint i = 0; i < shas->len; i++)
    g_assert_cmpint (docket_store_get_indexed_pages (store, g_ptr_array_index (shas, i), NULL), ==, 4);
  g_assert_cmpuint (n_hits (store, "tai lieu so ngan sach"), ==, 8 * 4);

  g_clear_object (&indexer);
  g_clear_object (&store);
  docket_test_rmtree (dir);
}

/* A profile of schema 3 (as the previous version wrote it) with a document already
 * downloaded: the upgrade keeps everything, and the indexer then indexes it. */
static const char v3_schema[] =
  DOCKET_TEST_STORE_V1_TABLES
  /* 2 */
  "CREATE TABLE blobs (sha256 TEXT PRIMARY KEY NOT NULL, completed_at INTEGER NOT NULL);"
  "CREATE INDEX meetings_by_start ON meetings (starts_at_unix, id);"
  "CREATE INDEX agenda_items_by_meeting ON agenda_items (meeting_id, parent_id, position);"
  "CREATE INDEX agenda_items_by_parent ON agenda_items (parent_id, meeting_id);"
  "CREATE INDEX documents_by_meeting ON documents (meeting_id, position);"
  "CREATE INDEX documents_by_item ON documents (item_id, meeting_id);"
  "CREATE INDEX documents_by_sha256 ON documents (sha256);"
  /* 3 */
  "ALTER TABLE blobs ADD COLUMN boot_id TEXT;"
  "CREATE TABLE view_states (document_id TEXT PRIMARY KEY NOT NULL,"
  "  page INTEGER NOT NULL CHECK (page >= 0), zoom_mode INTEGER NOT NULL,"
  "  zoom_scale REAL NOT NULL, updated_at INTEGER NOT NULL);"
  "CREATE TABLE annotations (id TEXT PRIMARY KEY NOT NULL, document_id TEXT NOT NULL,"
  "  page INTEGER NOT NULL CHECK (page >= 0), kind TEXT NOT NULL, color TEXT NOT NULL,"
  "  geometry TEXT NOT NULL, contents TEXT NOT NULL DEFAULT '', created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL, revision INTEGER NOT NULL DEFAULT 0,"
  "  deleted INTEGER NOT NULL DEFAULT 0);"
  "CREATE INDEX annotations_by_document ON annotations (document_id, page, created_at);"
  "CREATE TABLE notes (target_kind TEXT NOT NULL CHECK (target_kind IN ('agenda_item', 'document')),"
  "  target_id TEXT NOT NULL, text TEXT NOT NULL, updated_at INTEGER NOT NULL,"
  "  revision INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (target_kind, target_id));"
  "CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, op_id TEXT NOT NULL UNIQUE,"
  "  kind TEXT NOT NULL, entity_id TEXT NOT NULL, body TEXT NOT NULL, created_at INTEGER NOT NULL,"
  "  attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT);"
  "INSERT INTO meetings VALUES ('m1', 'Kỳ họp thứ 12', 'HĐND tỉnh', '2026-11-22T08:00:00+07:00',"
  "  1795309200, '2026-11-22T11:30:00+07:00', 'Asia/Ho_Chi_Minh', 'Hội trường', 'published', 5);"
  "INSERT INTO agenda_items VALUES ('i1', 'm1', NULL, 0, '1', 'Báo cáo', '', '', 6);"
  "PRAGMA user_version = 3;";

static void
test_migrate_from_v3 (void)
{
  g_autofree char *dir = docket_test_make_tmpdir ("search-v3");
  g_autofree char *db_path = g_build_filename (dir, "docket.db", NULL);
  g_autoptr(GBytes) pdf = make_pdf ("Nghị quyết về ngân sách địa phương.", NULL);
  g_autofree char *sha = sha256_of (pdf);
  g_autofree char *path = NULL;
  g_autofree char *sub = NULL;
  g_autofree char *insert = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketStore) store = NULL;
  g_autoptr(DocketIndexer) indexer = NULL;
  g_autoptr(GPtrArray) left = NULL;
  g_autoptr(GPtrArray) documents = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, v3_schema, NULL, NULL, NULL), ==, SQLITE_OK);
  insert = g_strdup_printf ("INSERT INTO documents VALUES ('d1', 'm1', 'i1', 0, 'Nghị quyết',"
                            " 'application/pdf', '%s', 10, 1, 7);"
                            "INSERT INTO blobs VALUES ('%s', 1, NULL);", sha, sha);
  g_assert_cmpint (sqlite3_exec (db, insert, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  path = g_build_filename (dir, "documents", (char[]) { sha[0], sha[1], '\0' }, NULL);
  g_assert_cmpint (g_mkdir_with_parents (path, 0700), ==, 0);
  g_free (path);
  sub = g_strconcat (sha, ".pdf", NULL);
  path = g_build_filename (dir, "documents", (char[]) { sha[0], sha[1], '\0' }, sub, NULL);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (pdf, NULL), (gssize) g_bytes_get_size (pdf), NULL));

  store = docket_store_open (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpint (docket_store_get_schema_version (store), ==, DOCKET_STORE_SCHEMA_VERSION);
  g_assert_cmpint (DOCKET_STORE_SCHEMA_VERSION, >=, 4);

  /* Everything of version 3 is there, and the downloaded content waits for the indexer. */
  documents = docket_store_list_documents (store, "m1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (documents->len, ==, 1);
  g_assert_nonnull (((DocketStoreDocumentRow *) g_ptr_array_index (documents, 0))->path);
  left = docket_store_list_unindexed_contents (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (left->len, ==, 1);
  g_assert_cmpstr (((DocketStoreContent *) g_ptr_array_index (left, 0))->sha256, ==, sha);
  g_assert_cmpstr (((DocketStoreContent *) g_ptr_array_index (left, 0))->path, ==, path);

  indexer = docket_indexer_new (store);
  wait_for_indexer (indexer, store);
  g_assert_true (finds (store, "ngan sach dia phuong", "d1", 0));

  g_clear_object (&indexer);
  g_clear_object (&store);
  docket_test_rmtree (dir);
}

/* ---- What the snippets mark --------------------------------------------------------- */

/* Each page has the words of a phrase together once, and apart elsewhere. */
#define PAGE_MARKS_PHRASE "Nhà nước và nhân dân. Ngân sách nhà nước năm 2027 do nhà nước giao; sách, ngân hàng."
#define PAGE_MARKS_FOLDED "Đại biểu dự họp. Các đại biểu Hội đồng nhân dân tỉnh; hội đồng thi đua."
#define PAGE_MARKS_PREFIX "Sách giáo khoa; ngân hàng chính sách và ngân sách địa phương, sáng kiến."

/* The snippet of the hit of query at page of document_id (asserted to exist), checked
 * to be valid markup that shows the page's words; out_match_text (may be NULL) gets the
 * hit's match text. */
static char *
snippet_at (DocketStore  *store,
            const char   *query,
            const char   *document_id,
            guint         page,
            char        **out_match_text)
{
  g_autoptr(GPtrArray) hits = search (store, query);

  for (guint i = 0; i < hits->len; i++)
    {
      DocketSearchHit *hit = g_ptr_array_index (hits, i);

      if (g_strcmp0 (hit->document_id, document_id) == 0 && hit->page == page)
        {
          g_autoptr(GError) error = NULL;

          g_assert_true (pango_parse_markup (hit->snippet, -1, 0, NULL, NULL, NULL, &error));
          g_assert_no_error (error);
          if (out_match_text != NULL)
            *out_match_text = g_strdup (hit->match_text);
          return g_strdup (hit->snippet);
        }
    }

  g_error ("no hit for %s at page %u of %s", query, page, document_id);
  return NULL;
}

/* The snippet of query at page, and what it must be exactly (whitespace as the page
 * has it: one space between words). */
static void
assert_snippet (DocketStore *store,
                const char  *query,
                guint        page,
                const char  *expected_snippet,
                const char  *expected_match)
{
  g_autofree char *match = NULL;
  g_autofree char *snippet = snippet_at (store, query, "d-marks", page, &match);

  g_assert_cmpstr (snippet, ==, expected_snippet);
  if (expected_match != NULL)
    g_assert_cmpstr (match, ==, expected_match);
}

static void
test_snippet_marks_what_matched (void)
{
  g_autofree char *dir = docket_test_make_tmpdir ("search-marks");
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketStore) store = NULL;
  g_autoptr(DocketIndexer) indexer = NULL;
  g_autoptr(GBytes) pdf = make_pdf (PAGE_MARKS_PHRASE, PAGE_MARKS_FOLDED, PAGE_MARKS_PREFIX, NULL);
  g_autofree char *sha = sha256_of (pdf);

  store = docket_store_open (dir, &error);
  g_assert_no_error (error);
  apply (store, "c1",
         meeting_change ("m1", "Kỳ họp", "2026-12-01T08:00:00+07:00"),
         item_change ("i1", "m1"),
         document_change ("d-marks", "m1", "i1", 0, "Dự toán", sha),
         NULL);
  put_content (store, sha, pdf);
  indexer = docket_indexer_new (store);
  wait_for_indexer (indexer, store);

  /* A phrase: only where its words follow each other, as one mark; not the "nhà
   * nước", "sách" and "ngân" elsewhere. The find bar gets the phrase, not the page's
   * first "Nhà". */
  assert_snippet (store, "\"ngân sách nhà nước\"", 0,
                  "Nhà nước và nhân dân. <b>Ngân sách nhà nước</b> năm 2027 do nhà nước giao; sách, ngân hàng.",
                  "Ngân sách nhà nước");
  /* Folded: the same without diacritics, in capitals, or split by punctuation. */
  assert_snippet (store, "\"ngan sach nha nuoc\"", 0,
                  "Nhà nước và nhân dân. <b>Ngân sách nhà nước</b> năm 2027 do nhà nước giao; sách, ngân hàng.",
                  "Ngân sách nhà nước");
  assert_snippet (store, "\"SÁCH, NGÂN\"", 0,
                  "…năm 2027 do nhà nước giao; <b>sách, ngân</b> hàng.",
                  "sách, ngân");
  assert_snippet (store, "\"dai bieu hoi dong\"", 1,
                  "Đại biểu dự họp. Các <b>đại biểu Hội đồng</b> nhân dân tỉnh; hội đồng thi đua.",
                  "đại biểu Hội đồng");
  /* A phrase and a finished word: the phrase where it is, the word wherever it is
   * (but not in "nhân": it is not being typed). */
  assert_snippet (store, "\"ngân sách\" nhà ", 0,
                  "<b>Nhà</b> nước và nhân dân. <b>Ngân sách</b> <b>nhà</b> nước năm 2027 do <b>nhà</b> nước giao; sách, ngân hàng.",
                  NULL);
  /* Words (AND): each of them, everywhere, folded ("dai" marks "Đại" and "đại"). */
  assert_snippet (store, "dai bieu ", 1,
                  "<b>Đại</b> <b>biểu</b> dự họp. Các <b>đại</b> <b>biểu</b> Hội đồng nhân dân tỉnh; hội đồng thi đua.",
                  "Đại biểu");

  /* A phrase being typed (an unbalanced quote): its last word a prefix, its words
   * together; not "Sách", "sáng" or the "ngân" of "ngân hàng". */
  assert_snippet (store, "\"ngan sa", 2,
                  "…khoa; ngân hàng chính sách và <b>ngân sách</b> địa phương, sáng kiến.",
                  "ngân sách");
  /* A word being typed: every word that starts with it, and only those. */
  assert_snippet (store, "dia sa", 2,
                  "<b>Sách</b> giáo khoa; ngân hàng chính <b>sách</b> và ngân <b>sách</b> <b>địa</b> phương, <b>sáng</b> kiến.",
                  "Sách");
  /* A phrase, then a word being typed: "ngân" is a word of its own there. */
  assert_snippet (store, "\"chinh sach\" nga", 2,
                  "Sách giáo khoa; <b>ngân</b> hàng <b>chính sách</b> và <b>ngân</b> sách địa phương, sáng kiến.",
                  "ngân");

  g_clear_object (&indexer);
  g_clear_object (&store);
  docket_test_rmtree (dir);
}

/* ---- docket --sync-once ------------------------------------------------------------- */


/* A cron job's `docket --sync-once` leaves what it downloaded searchable, and says how
 * many documents it indexed; the next one, with nothing new, indexes nothing. */
static void
test_sync_once_indexes (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *root = docket_test_make_tmpdir ("search-sync-once");
  g_autofree char *profile = g_build_filename (root, "profile", NULL);
  g_autofree char *password_line = g_strconcat (docket_test_server_get_password (server, "daibieu1"), "\n", NULL);
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(DocketStore) store = NULL;
  g_autoptr(GError) error = NULL;
  guint n_unindexed = G_MAXUINT;
  int n_contents;
  int status;

  status = docket_test_run_client (password_line, &out, &err, "--profile", profile,
                                   "--sign-in", docket_test_server_get_url (server), "daibieu1", NULL);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&out, g_free); g_clear_pointer (&err, g_free);

  status = docket_test_run_client (NULL, &out, &err, "--profile", profile, "--sync-once", NULL);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpint (status, ==, 0);

  /* The process is gone: its profile, read here, has every content indexed. */
  store = docket_store_open (profile, &error);
  g_assert_no_error (error);
  n_contents = count_rows (store, "SELECT count(*) FROM blobs");
  g_assert_cmpint (n_contents, >, 0);
  g_assert_true (docket_store_count_unindexed_contents (store, &n_unindexed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_unindexed, ==, 0);
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM search_contents"), ==, n_contents);
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM search_pages"), >, 0);
  expected = g_strdup_printf (n_contents == 1 ? "Indexed %d document for search.\n"
                                              : "Indexed %d documents for search.\n", n_contents);
  g_assert_cmpstr (out, ==, expected);
  g_clear_pointer (&out, g_free); g_clear_pointer (&err, g_free);

  /* Words of the demo documents (their second pages' heading, folded), found. */
  g_assert_cmpuint (n_hits (store, "ket qua thuc hien"), >, 0);
  g_assert_cmpuint (n_hits (store, "\"Kết quả thực hiện\""), >, 0);
  g_clear_object (&store);

  /* Nothing new: nothing indexed, nothing said. */
  status = docket_test_run_client (NULL, &out, &err, "--profile", profile, "--sync-once", NULL);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (out, ==, "");

  store = docket_store_open (profile, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM search_contents"), ==, n_contents);
  g_assert_cmpuint (n_hits (store, "ket qua thuc hien"), >, 0);

  /* The index cleared (as after a change to the folding): every content waits for the
   * indexer again, nothing is found, and the next sync indexes them all once more. */
  g_assert_true (docket_store_clear_search_index (store, &error));
  g_assert_no_error (error);
  g_assert_true (docket_store_count_unindexed_contents (store, &n_unindexed, &error));
  g_assert_cmpuint (n_unindexed, ==, (guint) n_contents);
  g_assert_cmpint (count_rows (store, "SELECT count(*) FROM search_pages"), ==, 0);
  g_assert_cmpuint (n_hits (store, "ket qua thuc hien"), ==, 0);
  g_clear_object (&store);

  g_clear_pointer (&out, g_free); g_clear_pointer (&err, g_free);
  status = docket_test_run_client (NULL, &out, &err, "--profile", profile, "--sync-once", NULL);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (out, ==, expected);
  store = docket_store_open (profile, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_hits (store, "ket qua thuc hien"), >, 0);
  g_clear_object (&store);

  docket_test_server_stop (server);
  docket_test_rmtree (root);
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
  g_test_add_func ("/search/damaged-documents", test_damaged_documents);
  g_test_add_func ("/search/dispose-while-busy", test_dispose_while_busy);
  g_test_add_func ("/search/migrate-from-v3", test_migrate_from_v3);
  g_test_add_func ("/search/snippet-marks-what-matched", test_snippet_marks_what_matched);
  g_test_add_func ("/search/sync-once-indexes", test_sync_once_indexes);

  return g_test_run ();
}
