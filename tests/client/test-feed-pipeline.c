/* test-feed-pipeline.c: the change feed's pipeline keeps the pages in order
 *
 * The sync engine asks for page N+1 (with page N's cursor) while page N is applied. These
 * tests make that overlap certain rather than likely: a small SoupServer inside the test
 * (as in test-hostile.c: the real docket-server cannot be made to answer what these
 * cases need) takes the profile's SQLite write lock on its own connection when page N is
 * asked for, so that page N cannot be applied, and gives it back only when page N+1 is
 * asked for. A client that waited for page N's commit before asking for page N+1 never
 * gets there (its apply gives up after the store's busy timeout) and fails the tests.
 * Then: page N+1 applies only after page N committed, and when page N fails, page N+1
 * is not applied and the cursor stays where it was.
 */
#include "config.h"

#include <string.h>

#include <libsoup/soup.h>
#include <sqlite3.h>

#include "docket-store.h"
#include "docket-sync.h"
#include "docket-test-client.h"
#include "docket-test-fake-server.h"

typedef struct {
  SoupServer  *server;
  char        *url;
  char        *tmpdir;
  char        *profile;
  DocketStore *store;
  DocketSync  *sync;

  /* The pages the fake serves: since nothing, since "1", since "2" */
  const char  *first_page;
  const char  *page_n;
  const char  *page_n1;
  guint        page_n1_status;

  /* Page N's lock on the profile's database, from its request to page N+1's */
  gboolean     hold_store;
  sqlite3     *lock_db;
  gboolean     page_n1_asked;
  gboolean     page_n1_asked_under_lock;
} Fixture;

/* The first sync: meeting m1, cursor "1". */
static const char first_page[] =
  "{\"cursor\": \"1\", \"more\": false, \"changes\": ["
  " {\"type\": \"meeting\", \"id\": \"m1\", \"deleted\": false, \"data\": {"
  "   \"id\": \"m1\", \"title\": \"Kỳ họp thứ nhất\", \"organ\": \"HĐND\","
  "   \"starts_at\": \"2026-11-22T08:00:00+07:00\", \"ends_at\": \"2026-11-22T11:00:00+07:00\","
  "   \"time_zone\": \"Asia/Ho_Chi_Minh\", \"location\": \"\", \"status\": \"published\","
  "   \"version\": 1, \"participants\": []}}"
  "]}";

/* Page N, valid: meeting m2, more to come. */
static const char page_n_valid[] =
  "{\"cursor\": \"2\", \"more\": true, \"changes\": ["
  " {\"type\": \"meeting\", \"id\": \"m2\", \"deleted\": false, \"data\": {"
  "   \"id\": \"m2\", \"title\": \"Kỳ họp thứ hai\", \"organ\": \"HĐND\","
  "   \"starts_at\": \"2026-11-23T08:00:00+07:00\", \"ends_at\": \"2026-11-23T11:00:00+07:00\","
  "   \"time_zone\": \"Asia/Ho_Chi_Minh\", \"location\": \"\", \"status\": \"published\","
  "   \"version\": 1, \"participants\": []}}"
  "]}";

/* Page N, which parses (the reader cannot know the meetings) but cannot be applied: an
 * item of a meeting nobody has. "more" before "cursor": the engine cannot read the cursor
 * ahead (it asks for page N+1 once page N is parsed). */
static const char page_n_unappliable[] =
  "{\"more\": true, \"cursor\": \"2\", \"changes\": ["
  " {\"type\": \"agenda_item\", \"id\": \"i9\", \"deleted\": false, \"data\": {"
  "   \"id\": \"i9\", \"meeting_id\": \"nowhere\", \"parent_id\": null, \"position\": 0,"
  "   \"number\": \"1\", \"title\": \"X\", \"presenter\": \"\", \"description\": \"\","
  "   \"version\": 1}}"
  "]}";

/* Page N with two cursors: the engine asks for page N+1 from the first, which it reads
 * ahead, and the strict reader (json-glib) keeps the last. */
static const char page_n_two_cursors[] =
  "{\"cursor\": \"2\", \"more\": true, \"cursor\": \"5\", \"changes\": ["
  " {\"type\": \"meeting\", \"id\": \"m2\", \"deleted\": false, \"data\": {"
  "   \"id\": \"m2\", \"title\": \"Kỳ họp thứ hai\", \"organ\": \"HĐND\","
  "   \"starts_at\": \"2026-11-23T08:00:00+07:00\", \"ends_at\": \"2026-11-23T11:00:00+07:00\","
  "   \"time_zone\": \"Asia/Ho_Chi_Minh\", \"location\": \"\", \"status\": \"published\","
  "   \"version\": 1, \"participants\": []}}"
  "]}";

/* Page N+1, valid: an item of m2 (which only page N brings) and meeting m3, the end. */
static const char page_n1_valid[] =
  "{\"cursor\": \"3\", \"more\": false, \"changes\": ["
  " {\"type\": \"agenda_item\", \"id\": \"i2\", \"deleted\": false, \"data\": {"
  "   \"id\": \"i2\", \"meeting_id\": \"m2\", \"parent_id\": null, \"position\": 0,"
  "   \"number\": \"1\", \"title\": \"Mục 1\", \"presenter\": \"\", \"description\": \"\","
  "   \"version\": 1}},"
  " {\"type\": \"meeting\", \"id\": \"m3\", \"deleted\": false, \"data\": {"
  "   \"id\": \"m3\", \"title\": \"Kỳ họp thứ ba\", \"organ\": \"HĐND\","
  "   \"starts_at\": \"2026-11-24T08:00:00+07:00\", \"ends_at\": \"2026-11-24T11:00:00+07:00\","
  "   \"time_zone\": \"Asia/Ho_Chi_Minh\", \"location\": \"\", \"status\": \"published\","
  "   \"version\": 1, \"participants\": []}}"
  "]}";

/* Page N+1, valid on its own: meeting m3 only. */
static const char page_n1_alone[] =
  "{\"cursor\": \"3\", \"more\": false, \"changes\": ["
  " {\"type\": \"meeting\", \"id\": \"m3\", \"deleted\": false, \"data\": {"
  "   \"id\": \"m3\", \"title\": \"Kỳ họp thứ ba\", \"organ\": \"HĐND\","
  "   \"starts_at\": \"2026-11-24T08:00:00+07:00\", \"ends_at\": \"2026-11-24T11:00:00+07:00\","
  "   \"time_zone\": \"Asia/Ho_Chi_Minh\", \"location\": \"\", \"status\": \"published\","
  "   \"version\": 1, \"participants\": []}}"
  "]}";

static void
take_store_lock (Fixture *fixture)
{
  g_autofree char *db_path = g_build_filename (fixture->profile, "docket.db", NULL);

  g_assert_null (fixture->lock_db);
  g_assert_cmpint (sqlite3_open_v2 (db_path, &fixture->lock_db, SQLITE_OPEN_READWRITE, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (fixture->lock_db, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
}

static void
release_store_lock (Fixture *fixture)
{
  if (fixture->lock_db == NULL)
    return;
  g_assert_cmpint (sqlite3_exec (fixture->lock_db, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  g_clear_pointer (&fixture->lock_db, sqlite3_close);
}

static void
handle_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  Fixture *fixture = user_data;
  const char *since = query != NULL ? g_hash_table_lookup (query, "since") : NULL;

  if (g_str_equal (path, "/api/v1/session"))
    {
      docket_test_fake_reply_session (msg);
      return;
    }

  if (!g_str_equal (path, "/api/v1/changes"))
    {
      docket_test_fake_reply_json (msg, 404, "{\"error\": \"not_found\", \"message\": \"no\"}");
      return;
    }

  if (since == NULL)
    docket_test_fake_reply_json (msg, 200, fixture->first_page);
  else if (g_str_equal (since, "1"))
    {
      /* Held before the page leaves: the client cannot apply it before page N+1 is asked. */
      if (fixture->hold_store)
        take_store_lock (fixture);
      docket_test_fake_reply_json (msg, 200, fixture->page_n);
    }
  else if (g_str_equal (since, "2"))
    {
      fixture->page_n1_asked = TRUE;
      fixture->page_n1_asked_under_lock = fixture->lock_db != NULL;
      release_store_lock (fixture);
      docket_test_fake_reply_json (msg, fixture->page_n1_status, fixture->page_n1);
    }
  else
    docket_test_fake_reply_json (msg, 400, "{\"error\": \"invalid_cursor\", \"message\": \"unknown cursor\"}");
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->first_page = first_page;
  fixture->page_n = page_n_valid;
  fixture->page_n1 = page_n1_valid;
  fixture->page_n1_status = 200;

  fixture->server = docket_test_fake_server_new (handle_cb, fixture, &fixture->url);

  fixture->tmpdir = docket_test_make_tmpdir ("client-feed-pipeline");
  fixture->profile = g_build_filename (fixture->tmpdir, "profile", NULL);
  docket_test_profile_open (fixture->profile, &fixture->store, &fixture->sync);

  error = docket_test_sync_sign_in (fixture->sync, fixture->url, "daibieu1", "password");
  g_assert_no_error (error);

  /* A first sync, so that there is a cursor and a meeting to keep. */
  error = docket_test_sync_run (fixture->sync);
  g_assert_no_error (error);
  fixture->hold_store = TRUE;
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  release_store_lock (fixture);
  docket_test_profile_close (&fixture->store, &fixture->sync);
  soup_server_disconnect (fixture->server);
  g_clear_object (&fixture->server);
  docket_test_rmtree (fixture->tmpdir);
  g_free (fixture->tmpdir);
  g_free (fixture->profile);
  g_free (fixture->url);
}

/* The feed's entities of the cache, and its cursor, as text. */
static char *
dump_feed (Fixture *fixture)
{
  g_autofree char *db_path = g_build_filename (fixture->profile, "docket.db", NULL);
  GString *out = g_string_new (NULL);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  docket_test_append_rows (db, "SELECT cursor, full_sync FROM account", out);
  docket_test_append_rows (db, "SELECT id, title FROM meetings ORDER BY id", out);
  docket_test_append_rows (db, "SELECT id, meeting_id FROM agenda_items ORDER BY id", out);
  sqlite3_close (db);

  return g_string_free (out, FALSE);
}

/* Both pages valid: page N+1 was asked for while page N could not be applied yet, and it
 * was applied after page N (its item belongs to page N's meeting). */
static void
test_pages_applied_in_order (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *feed = NULL;

  error = docket_test_sync_run (fixture->sync);
  g_assert_no_error (error);

  g_assert_true (fixture->page_n1_asked_under_lock);
  cursor = docket_store_dup_cursor (fixture->store);
  g_assert_cmpstr (cursor, ==, "3");
  feed = dump_feed (fixture);
  g_assert_cmpstr (feed, ==,
                   "3|0|\n"
                   "m1|Kỳ họp thứ nhất|\n"
                   "m2|Kỳ họp thứ hai|\n"
                   "m3|Kỳ họp thứ ba|\n"
                   "i2|m2|\n");
}

/* Page N cannot be applied while page N+1 is already fetched: page N+1 is thrown away,
 * and the cache and its cursor are what they were before the run. */
static void
test_failed_page_discards_the_next (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = dump_feed (fixture);
  g_autofree char *after = NULL;
  g_autofree char *cursor = NULL;

  fixture->page_n = page_n_unappliable;
  fixture->page_n1 = page_n1_alone;

  error = docket_test_sync_run (fixture->sync);
  g_assert_error (error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_PROTOCOL);

  g_assert_true (fixture->page_n1_asked_under_lock);
  cursor = docket_store_dup_cursor (fixture->store);
  g_assert_cmpstr (cursor, ==, "1");
  after = dump_feed (fixture);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpstr (before, ==, "1|0|\nm1|Kỳ họp thứ nhất|\n");
}

/* Page N+1 was asked for with the cursor read ahead from page N's body, but page N says
 * another: neither page is applied. */
static void
test_two_cursors_discard_both (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = dump_feed (fixture);
  g_autofree char *after = NULL;

  fixture->page_n = page_n_two_cursors;
  fixture->page_n1 = page_n1_alone;

  error = docket_test_sync_run (fixture->sync);
  g_assert_error (error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_PROTOCOL);

  g_assert_true (fixture->page_n1_asked_under_lock);
  after = dump_feed (fixture);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpstr (before, ==, "1|0|\nm1|Kỳ họp thứ nhất|\n");
}

/* Page N+1's request fails while page N is applied: page N stays applied, with its
 * cursor, and the run reports the failure. */
static void
test_failed_fetch_keeps_the_page_before (Fixture       *fixture,
                                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *feed = NULL;

  fixture->page_n1 = "{\"error\": \"internal\", \"message\": \"boom\"}";
  fixture->page_n1_status = 500;

  error = docket_test_sync_run (fixture->sync);
  g_assert_error (error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_SERVER);

  g_assert_true (fixture->page_n1_asked_under_lock);
  cursor = docket_store_dup_cursor (fixture->store);
  g_assert_cmpstr (cursor, ==, "2");
  feed = dump_feed (fixture);
  g_assert_cmpstr (feed, ==,
                   "2|0|\n"
                   "m1|Kỳ họp thứ nhất|\n"
                   "m2|Kỳ họp thứ hai|\n");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/client/feed-pipeline/pages-applied-in-order", Fixture, NULL,
              fixture_set_up, test_pages_applied_in_order, fixture_tear_down);
  g_test_add ("/client/feed-pipeline/failed-page-discards-the-next", Fixture, NULL,
              fixture_set_up, test_failed_page_discards_the_next, fixture_tear_down);
  g_test_add ("/client/feed-pipeline/failed-fetch-keeps-the-page-before", Fixture, NULL,
              fixture_set_up, test_failed_fetch_keeps_the_page_before, fixture_tear_down);
  g_test_add ("/client/feed-pipeline/two-cursors-discard-both", Fixture, NULL,
              fixture_set_up, test_two_cursors_discard_both, fixture_tear_down);

  return g_test_run ();
}
