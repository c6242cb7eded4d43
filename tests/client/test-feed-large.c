/* test-feed-large.c: the real client (DocketSync) follows a big publish to the end
 *
 * A meeting of 3,000 documents under 2,500 nested agenda items, with 600 participants
 * (docket-server seed-archive), is taken back to draft and published again over the
 * API: more changes at one sequence number than a page may hold. Two participants and
 * the secretary sync it with the real engine and end with every item and document, as
 * the server's database has them.
 */
#include "config.h"

#include <string.h>
#include <sqlite3.h>

#include "docket-test-client.h"

#define ITEMS      "2500"
#define DOCUMENTS  "3000"
#define OFFICIALS  "600"

#define SYNC_WAIT_SECONDS 240

typedef struct {
  DocketTestServer *server;
  char             *tmpdir;
  char             *meeting_id;
  GHashTable       *passwords;   /* username → password */
  char             *secretary;   /* username */
} Fixture;

/* "type id version" lines of the meeting's items and documents in the SQLite file path,
 * sorted; the server's tables are items/documents, the client's agenda_items/documents. */
static char *
meeting_rows (const char *path,
              const char *items_table,
              const char *meeting_id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT 'item ' || id || ' ' || version FROM %s"
                                          " WHERE meeting_id = ?1"
                                          " UNION ALL SELECT 'document ' || id || ' ' || version"
                                          " FROM documents WHERE meeting_id = ?1 ORDER BY 1",
                                          items_table);
  g_autoptr(GString) out = g_string_new (NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  /* The server writes on (and a connection that closes checkpoints its WAL, holding a
   * lock for a moment): wait for a lock as every connection of ours does, rather than
   * fail with SQLITE_BUSY (seen once under AddressSanitizer). */
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, meeting_id, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (out, "%s\n", sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
server_rows (Fixture *fixture)
{
  g_autofree char *path = g_build_filename (docket_test_server_get_data_dir (fixture->server),
                                            "docket-server.db", NULL);

  return meeting_rows (path, "items", fixture->meeting_id);
}

static guint
count_lines (const char *text,
             const char *prefix)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], prefix))
      n++;
  return n;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autofree char *token = NULL;
  g_autoptr(GBytes) draft = g_bytes_new_static ("{\"status\": \"draft\"}", 19);
  g_autoptr(GBytes) published = g_bytes_new_static ("{\"status\": \"published\"}", 23);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  fixture->server = docket_test_server_start (FALSE);
  fixture->tmpdir = docket_test_make_tmpdir ("test-feed-large-XXXXXX");
  fixture->passwords = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_assert_cmpint (docket_test_server_admin (fixture->server, NULL, &out, "seed-archive",
                                             "--meetings", "1", "--items", ITEMS,
                                             "--documents", DOCUMENTS,
                                             "--officials", OFFICIALS, NULL), ==, 0);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL && *lines[i] != '\0'; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], "\t", -1);

      g_assert_cmpuint (g_strv_length (fields), ==, 3);
      if (g_str_equal (fields[1], "secretary"))
        fixture->secretary = g_strdup (fields[0]);
      g_hash_table_insert (fixture->passwords, g_strdup (fields[0]), g_strdup (fields[2]));
    }
  g_assert_nonnull (fixture->secretary);
  g_assert_cmpuint (g_hash_table_size (fixture->passwords), ==, 601);

  path = g_build_filename (docket_test_server_get_data_dir (fixture->server), "docket-server.db", NULL);
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT id FROM meetings", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  fixture->meeting_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  /* Taken back and published again over the API: the whole meeting becomes visible to
   * its 600 officials at one sequence number. */
  token = docket_test_sign_in (fixture->server, fixture->secretary,
                               g_hash_table_lookup (fixture->passwords, fixture->secretary));
  g_free (path);
  path = g_strdup_printf ("%s/api/v1/meetings/%s", docket_test_server_get_url (fixture->server),
                          fixture->meeting_id);
  g_assert_cmpuint (docket_test_http ("PATCH", path, token, "application/json", draft, &answer), ==, 200);
  g_clear_pointer (&answer, g_bytes_unref);
  g_assert_cmpuint (docket_test_http ("PATCH", path, token, "application/json", published, &answer), ==, 200);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  docket_test_server_stop (fixture->server);
  docket_test_rmtree (fixture->tmpdir);
  g_free (fixture->tmpdir);
  g_free (fixture->meeting_id);
  g_free (fixture->secretary);
  g_hash_table_unref (fixture->passwords);
}

/* A profile of its own for username: signed in, synced once, checked against the server,
 * closed. */
static void
sync_and_check (Fixture    *fixture,
                const char *username)
{
  g_autofree char *profile = g_build_filename (fixture->tmpdir, username, NULL);
  g_autofree char *store_path = g_build_filename (profile, "docket.db", NULL);
  g_autofree char *expected = server_rows (fixture);
  g_autofree char *actual = NULL;
  g_autoptr(DocketStore) store = NULL;
  g_autoptr(DocketSync) sync = NULL;
  g_autoptr(GError) error = NULL;
  guint pages;

  g_test_message ("syncing as %s", username);
  pages = docket_test_server_count_requests (fixture->server, "GET", "/api/v1/changes");
  docket_test_profile_open (profile, &store, &sync);
  error = docket_test_sync_sign_in (sync, docket_test_server_get_url (fixture->server), username,
                                    g_hash_table_lookup (fixture->passwords, username));
  g_assert_no_error (error);
  {
    DocketTestResult result = { 0 };

    /* One run takes all the pages: 5,500 changes, a few seconds here, but much longer
     * under AddressSanitizer on a busy machine than the usual wait. */
    docket_sync_run_async (sync, NULL, docket_test_run_cb, &result);
    docket_test_wait_for_result (&result, SYNC_WAIT_SECONDS, "a sync run of the big publish");
    g_assert_no_error (result.error);
  }
  docket_test_profile_close (&store, &sync);

  /* More than one page: the publish did not fit in one. */
  g_assert_cmpuint (docket_test_server_count_requests (fixture->server, "GET", "/api/v1/changes") - pages,
                    >=, 2);
  actual = meeting_rows (store_path, "agenda_items", fixture->meeting_id);
  g_assert_cmpuint (count_lines (actual, "item "), ==, atoi (ITEMS));
  g_assert_cmpuint (count_lines (actual, "document "), ==, atoi (DOCUMENTS));
  g_assert_cmpstr (actual, ==, expected);
}

static void
test_big_publish (Fixture       *fixture,
                  gconstpointer  data)
{
  /* The first and the last of the 600, and the secretary who published it. */
  sync_and_check (fixture, "luutru-daibieu1");
  sync_and_check (fixture, "luutru-daibieu" OFFICIALS);
  sync_and_check (fixture, fixture->secretary);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/feed-large/big-publish", Fixture, NULL, fixture_set_up, test_big_publish,
              fixture_tear_down);
  return g_test_run ();
}
