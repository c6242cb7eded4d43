/* test-unverified.c: contents of an earlier boot are not used before they are re-hashed,
 * and a content forgotten takes its search index with it
 *
 * Contents are written without an fdatasync (docs/architecture.md, "Durability of
 * document contents"): after a crash of the machine, a file may hold other bytes than
 * its name says. Until the engine has hashed it again, the store must not give it to the
 * reader (a document row's path, a meeting's count of documents available) nor to the
 * indexer; the check needs no network. And whatever forgets a content (a damaged file,
 * a file gone, a document deleted, a sign-out) removes its rows of the search index in
 * the same transaction. Against the real docket-server with the demo organisation, and
 * the real indexer.
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "docket-indexer.h"
#include "docket-store.h"
#include "docket-sync.h"
#include "docket-test-client.h"

#define OTHER_BOOT_ID "00000000-0000-4000-8000-000000000000"

typedef DocketTestClient Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  docket_test_client_set_up (fixture, "client-unverified");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  docket_test_client_tear_down (fixture);
}

static void
sign_in_and_sync (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  docket_test_client_sign_in_as (fixture, "daibieu1");
  error = docket_test_sync_run (fixture->sync);
  g_assert_no_error (error);
}

/* One number from the profile's database, read behind the store's back. */
static gint64
query_count (Fixture    *fixture,
             const char *sql,
             const char *sha)
{
  g_autofree char *path = g_build_filename (fixture->profile, "docket.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sha != NULL)
    sqlite3_bind_text (stmt, 1, sha, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return n;
}

/* The rows of sha in the search index: its content row and its pages. */
static gint64
index_rows (Fixture    *fixture,
            const char *sha)
{
  return query_count (fixture, "SELECT count(*) FROM search_contents WHERE sha256 = ?1", sha) +
         query_count (fixture, "SELECT count(*) FROM search_pages WHERE sha256 = ?1", sha);
}

static void
index_all (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (docket_indexer_index_all (fixture->store, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* The machine crashed: every content of the profile was written under another boot;
 * the file of damaged got other bytes. The profile is closed meanwhile, as after a
 * reboot. */
static void
crash_machine (Fixture                *fixture,
               DocketStoreDocumentRow *damaged)
{
  g_autofree char *path = g_build_filename (fixture->profile, "docket.db", NULL);
  g_autofree char *contents = NULL;
  gsize len = 0;
  sqlite3 *db = NULL;

  docket_test_client_close_profile (fixture);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE blobs SET boot_id = '" OTHER_BOOT_ID "'", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (db);

  g_assert_true (g_file_get_contents (damaged->path, &contents, &len, NULL));
  contents[len / 3] ^= 0x20;
  g_assert_true (g_file_set_contents (damaged->path, contents, (gssize) len, NULL));
  docket_test_client_open_profile (fixture);
}

static void
verified_cb (GObject      *object,
             GAsyncResult *res,
             gpointer      user_data)
{
  DocketTestResult *result = user_data;
  guint forgotten = 0;

  if (docket_sync_verify_contents_finish (DOCKET_SYNC (object), res, &forgotten, &result->error))
    g_assert_cmpuint (forgotten, ==, 1);
  result->done = TRUE;
}

/* What start-up does: the re-hash, without any sync. */
static void
verify_contents (Fixture *fixture)
{
  DocketTestResult result = { 0 };

  docket_sync_verify_contents_async (fixture->sync, NULL, verified_cb, &result);
  docket_test_wait_for_result (&result, DOCKET_TEST_WAIT_SECONDS, "the re-hash");
  g_assert_no_error (result.error);
}

static gboolean
is_available (Fixture    *fixture,
              const char *document_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketStoreDocumentRow) row = docket_store_get_document (fixture->store, document_id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (row);
  return row->path != NULL;
}

/* The documents the meeting list counts as available, over every meeting. */
static guint
meetings_available (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) meetings = docket_store_list_meetings (fixture->store, &error);
  guint n = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < meetings->len; i++)
    n += ((DocketStoreMeetingRow *) g_ptr_array_index (meetings, i))->n_documents_offline;
  return n;
}

static gboolean
listed_for_indexing (Fixture    *fixture,
                     const char *sha)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) contents = docket_store_list_unindexed_contents (fixture->store, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < contents->len; i++)
    if (g_str_equal (((DocketStoreContent *) g_ptr_array_index (contents, i))->sha256, sha))
      return TRUE;
  return FALSE;
}

/* 1. After the crash, nothing of the earlier boot is available nor indexed until the
 *    re-hash; the re-hash needs no server; then the intact content is available and
 *    indexed, and the damaged one is downloaded again. */
static void
test_not_used_until_verified (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GPtrArray) docs = NULL;
  g_autoptr(GError) error = NULL;
  DocketStoreDocumentRow *damaged, *intact;
  g_autofree char *damaged_path = NULL;
  g_autofree char *bytes = NULL;
  g_autofree char *check = NULL;
  g_autofree char *content_path = NULL;
  gsize len = 0;

  /* This test is about machines with a boot id (Linux). */
  g_assert_nonnull (docket_store_get_boot_id ());

  sign_in_and_sync (fixture);
  docs = docket_test_list_unshared_documents (fixture->store);
  g_assert_cmpuint (docs->len, >=, 2);
  damaged = g_ptr_array_index (docs, 0);
  intact = g_ptr_array_index (docs, 1);
  damaged_path = g_strdup (damaged->path);
  g_assert_cmpuint (meetings_available (fixture), >, 0);

  /* Crashed before the indexer came to them. */
  crash_machine (fixture, damaged);

  g_assert_false (is_available (fixture, damaged->document->id));
  g_assert_false (is_available (fixture, intact->document->id));
  g_assert_cmpuint (meetings_available (fixture), ==, 0);
  g_assert_false (listed_for_indexing (fixture, damaged->document->sha256));
  g_assert_false (listed_for_indexing (fixture, intact->document->sha256));
  index_all (fixture);
  g_assert_cmpint (index_rows (fixture, damaged->document->sha256), ==, 0);
  g_assert_cmpint (index_rows (fixture, intact->document->sha256), ==, 0);

  /* The re-hash of start-up, with the server down. */
  docket_test_server_kill (fixture->server);
  verify_contents (fixture);
  g_assert_false (is_available (fixture, damaged->document->id));
  g_assert_false (g_file_test (damaged_path, G_FILE_TEST_EXISTS));
  g_assert_true (is_available (fixture, intact->document->id));
  g_assert_cmpuint (meetings_available (fixture), >, 0);
  index_all (fixture);
  g_assert_cmpint (index_rows (fixture, damaged->document->sha256), ==, 0);
  g_assert_cmpint (index_rows (fixture, intact->document->sha256), >, 0);

  /* The server back, the damaged one comes again, whole. */
  docket_test_server_restart (fixture->server);
  error = docket_test_sync_run (fixture->sync);
  g_assert_no_error (error);
  g_assert_true (is_available (fixture, damaged->document->id));
  {
    g_autoptr(DocketStoreDocumentRow) row = docket_store_get_document (fixture->store, damaged->document->id, &error);

    g_assert_no_error (error);
    content_path = g_strdup (row->path);
  }
  g_assert_true (g_file_get_contents (content_path, &bytes, &len, NULL));
  check = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) bytes, len);
  g_assert_cmpstr (check, ==, damaged->document->sha256);
}

/* 2. Every way of forgetting a content forgets its text in the search index. */
static void
test_forgetting_forgets_index (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GPtrArray) docs = NULL;
  g_autoptr(GError) error = NULL;
  DocketStoreDocumentRow *damaged, *removed, *deleted;
  g_autofree char *url = NULL;
  g_autoptr(GBytes) answer = NULL;

  sign_in_and_sync (fixture);
  docs = docket_test_list_unshared_documents (fixture->store);
  g_assert_cmpuint (docs->len, >=, 3);
  damaged = g_ptr_array_index (docs, 0);
  removed = g_ptr_array_index (docs, 1);
  deleted = g_ptr_array_index (docs, 2);
  index_all (fixture);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (index_rows (fixture, ((DocketStoreDocumentRow *) g_ptr_array_index (docs, i))->document->sha256),
                     >, 0);

  /* Damaged by a crash: the re-hash forgets it, and its text. */
  crash_machine (fixture, damaged);
  verify_contents (fixture);
  g_assert_cmpint (query_count (fixture, "SELECT count(*) FROM blobs WHERE sha256 = ?1", damaged->document->sha256),
                   ==, 0);
  g_assert_cmpint (index_rows (fixture, damaged->document->sha256), ==, 0);
  g_assert_cmpint (index_rows (fixture, removed->document->sha256), >, 0);

  /* A file removed by hand: the next start forgets it, and its text. */
  docket_test_client_close_profile (fixture);
  g_assert_cmpint (g_unlink (removed->path), ==, 0);
  docket_test_client_open_profile (fixture);
  g_assert_cmpint (query_count (fixture, "SELECT count(*) FROM blobs WHERE sha256 = ?1", removed->document->sha256),
                   ==, 0);
  g_assert_cmpint (index_rows (fixture, removed->document->sha256), ==, 0);
  g_assert_cmpint (index_rows (fixture, deleted->document->sha256), >, 0);

  /* A document deleted on the server: the sync forgets its content, and its text. */
  url = g_strdup_printf ("%s/api/v1/documents/%s", docket_test_server_get_url (fixture->server),
                         deleted->document->id);
  g_assert_cmpuint (docket_test_http ("DELETE", url, fixture->secretary_token, NULL, NULL, &answer), ==, 204);
  error = docket_test_sync_run (fixture->sync);
  g_assert_no_error (error);
  g_assert_cmpint (query_count (fixture, "SELECT count(*) FROM blobs WHERE sha256 = ?1", deleted->document->sha256),
                   ==, 0);
  g_assert_cmpint (index_rows (fixture, deleted->document->sha256), ==, 0);

  /* Clearing the cache (a sign-out) forgets every text. */
  g_assert_cmpint (query_count (fixture, "SELECT count(*) FROM search_contents", NULL), >, 0);
  g_assert_true (docket_store_clear (fixture->store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_count (fixture, "SELECT count(*) FROM search_contents", NULL), ==, 0);
  g_assert_cmpint (query_count (fixture, "SELECT count(*) FROM search_pages", NULL), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/unverified/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("not-used-until-verified", test_not_used_until_verified);
  ADD ("forgetting-forgets-index", test_forgetting_forgets_index);

#undef ADD

  return g_test_run ();
}
