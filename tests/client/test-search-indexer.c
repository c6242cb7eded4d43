/* test-search-indexer.c: the indexer on hard cases, in a real profile
 *
 * Damaged, encrypted and non-PDF documents (the indexer skips them and goes on), an
 * indexer dropped while it works, a profile of schema version 3 migrated and indexed,
 * what the snippets mark, and `docket --sync-once` leaving what it downloaded
 * searchable. The PDFs are real (cairo and Pango, see test-search-common.c); searching a
 * prepared index is test-search.c's.
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
#include "docket-test-store-v1.h"
#include "docket-test-util.h"
#include "test-search-common.h"

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
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(DocketStore) store = NULL;
  g_autoptr(GError) error = NULL;
  guint n_unindexed = G_MAXUINT;
  int n_contents;
  int status;

  docket_test_run_client_sign_in (server, profile, "daibieu1");

  status = docket_test_run_client (NULL, &out, &err, "--profile", profile, "--sync-once", NULL);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpint (status, ==, 0);

  /* The process is gone: its profile, read here, has every content indexed. */
  store = docket_store_open (profile, &error);
  g_assert_no_error (error);
  n_contents = docket_test_count_rows (docket_store_get_profile_dir (store), "SELECT count(*) FROM blobs");
  g_assert_cmpint (n_contents, >, 0);
  g_assert_true (docket_store_count_unindexed_contents (store, &n_unindexed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_unindexed, ==, 0);
  g_assert_cmpint (docket_test_count_rows (docket_store_get_profile_dir (store), "SELECT count(*) FROM search_contents"), ==, n_contents);
  g_assert_cmpint (docket_test_count_rows (docket_store_get_profile_dir (store), "SELECT count(*) FROM search_pages"), >, 0);
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
  g_assert_cmpint (docket_test_count_rows (docket_store_get_profile_dir (store), "SELECT count(*) FROM search_contents"), ==, n_contents);
  g_assert_cmpuint (n_hits (store, "ket qua thuc hien"), >, 0);

  /* The index cleared (as after a change to the folding): every content waits for the
   * indexer again, nothing is found, and the next sync indexes them all once more. */
  g_assert_true (docket_store_clear_search_index (store, &error));
  g_assert_no_error (error);
  g_assert_true (docket_store_count_unindexed_contents (store, &n_unindexed, &error));
  g_assert_cmpuint (n_unindexed, ==, (guint) n_contents);
  g_assert_cmpint (docket_test_count_rows (docket_store_get_profile_dir (store), "SELECT count(*) FROM search_pages"), ==, 0);
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

  g_test_add_func ("/search/damaged-documents", test_damaged_documents);
  g_test_add_func ("/search/dispose-while-busy", test_dispose_while_busy);
  g_test_add_func ("/search/migrate-from-v3", test_migrate_from_v3);
  g_test_add_func ("/search/snippet-marks-what-matched", test_snippet_marks_what_matched);
  g_test_add_func ("/search/sync-once-indexes", test_sync_once_indexes);

  return g_test_run ();
}
