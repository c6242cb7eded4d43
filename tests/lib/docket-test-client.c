/* docket-test-client.c: a real client profile for the client tests
 *
 * Every wait runs the default main context, where the engine delivers its results, and
 * arms a timeout that fails the test: a test that hangs says nothing, one that fails
 * says what it waited for.
 */
#include "config.h"

#include "docket-test-client.h"

#include <signal.h>
#include <sys/resource.h>

void
docket_test_wait_for_result (DocketTestResult *result,
                             guint             timeout_seconds,
                             const char       *what)
{
  guint id = docket_test_watchdog_add (timeout_seconds, what);

  while (!result->done)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (id);
}

void
docket_test_sign_in_cb (GObject      *object,
                        GAsyncResult *res,
                        gpointer      user_data)
{
  DocketTestResult *result = user_data;

  docket_sync_sign_in_finish (DOCKET_SYNC (object), res, &result->error);
  result->done = TRUE;
}

void
docket_test_run_cb (GObject      *object,
                    GAsyncResult *res,
                    gpointer      user_data)
{
  DocketTestResult *result = user_data;

  docket_sync_run_finish (DOCKET_SYNC (object), res, &result->error);
  result->done = TRUE;
}

GError *
docket_test_sync_sign_in (DocketSync *sync,
                          const char *url,
                          const char *username,
                          const char *password)
{
  DocketTestResult result = { 0 };

  docket_sync_sign_in_async (sync, url, username, password, NULL, docket_test_sign_in_cb, &result);
  docket_test_wait_for_result (&result, DOCKET_TEST_WAIT_SECONDS, "the sign-in");

  return result.error;
}

static void
sign_out_cb (GObject      *object,
             GAsyncResult *res,
             gpointer      user_data)
{
  DocketTestResult *result = user_data;

  docket_sync_sign_out_finish (DOCKET_SYNC (object), res, &result->error);
  result->done = TRUE;
}

GError *
docket_test_sync_sign_out (DocketSync         *sync,
                           DocketSignOutFlags  flags)
{
  DocketTestResult result = { 0 };

  docket_sync_sign_out_full_async (sync, flags, NULL, sign_out_cb, &result);
  docket_test_wait_for_result (&result, DOCKET_TEST_WAIT_SECONDS, "the sign-out");

  return result.error;
}

GError *
docket_test_sync_run (DocketSync *sync)
{
  DocketTestResult result = { 0 };

  docket_sync_run_async (sync, NULL, docket_test_run_cb, &result);
  docket_test_wait_for_result (&result, DOCKET_TEST_WAIT_SECONDS, "a sync run");

  return result.error;
}

GError *
docket_test_sync_run_with_file_size_limit (DocketSync *sync,
                                           guint64     max_bytes)
{
  struct rlimit saved, tight;
  void (*saved_handler) (int);
  GError *error;

  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  tight = saved;
  tight.rlim_cur = max_bytes;
  /* Without this, the first write past the limit kills the test with SIGXFSZ. */
  saved_handler = signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &tight), ==, 0);

  error = docket_test_sync_run (sync);

  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  signal (SIGXFSZ, saved_handler);
  return error;
}

void
docket_test_profile_open (const char   *path,
                          DocketStore **out_store,
                          DocketSync  **out_sync)
{
  g_autoptr(GError) error = NULL;

  *out_store = docket_store_open (path, &error);
  g_assert_no_error (error);
  *out_sync = docket_sync_new (*out_store);
}

static gboolean
weak_refs_cleared (gpointer data)
{
  GWeakRef *refs = data;
  g_autoptr(GObject) store = g_weak_ref_get (&refs[0]);
  g_autoptr(GObject) sync = g_weak_ref_get (&refs[1]);

  return store == NULL && sync == NULL;
}

static gboolean
keep_waking (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

void
docket_test_profile_close (DocketStore **store,
                           DocketSync  **sync)
{
  GWeakRef refs[2];
  guint tick;

  g_weak_ref_init (&refs[0], *store);
  g_weak_ref_init (&refs[1], *sync);
  g_clear_object (sync);
  g_clear_object (store);
  /* The profile is closed when the store is finalized and its connection with it, not
   * when our references go: a task of the engine or the store may still hold one, in a
   * worker or in a result waiting for the main loop (test-unverified then found the file
   * locked, SQLITE_BUSY). The tick wakes the loop when the last reference goes in a
   * worker, which posts nothing to it. */
  tick = g_timeout_add (5, keep_waking, NULL);
  docket_test_wait_until (weak_refs_cleared, refs, 30, "the profile's store and engine to be finalized");
  g_source_remove (tick);
  g_weak_ref_clear (&refs[0]);
  g_weak_ref_clear (&refs[1]);
  /* Let the store's queued "changed" idles run and drop their references. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

void
docket_test_append_rows (sqlite3    *db,
                         const char *sql,
                         GString    *out)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        g_string_append_printf (out, "%s|", (const char *) sqlite3_column_text (stmt, i));
      g_string_append_c (out, '\n');
    }
  sqlite3_finalize (stmt);
}

/* The usual fixture */

void
docket_test_client_set_up (DocketTestClient *client,
                           const char       *tmpdir_name)
{
  client->server = docket_test_server_start (TRUE);
  client->tmpdir = docket_test_make_tmpdir (tmpdir_name);
  client->profile = g_build_filename (client->tmpdir, "profile", NULL);
  client->secretary_token = docket_test_sign_in (client->server, "thuky",
                                                 docket_test_server_get_password (client->server, "thuky"));
  docket_test_client_open_profile (client);
}

void
docket_test_client_tear_down (DocketTestClient *client)
{
  docket_test_client_close_profile (client);
  docket_test_server_stop (client->server);
  docket_test_rmtree (client->tmpdir);
  g_free (client->tmpdir);
  g_free (client->profile);
  g_free (client->secretary_token);
}

void
docket_test_client_open_profile (DocketTestClient *client)
{
  docket_test_profile_open (client->profile, &client->store, &client->sync);
}

void
docket_test_client_close_profile (DocketTestClient *client)
{
  docket_test_profile_close (&client->store, &client->sync);
}

void
docket_test_client_sign_in_as (DocketTestClient *client,
                               const char       *username)
{
  g_autoptr(GError) error = docket_test_sync_sign_in (client->sync,
                                                      docket_test_server_get_url (client->server),
                                                      username,
                                                      docket_test_server_get_password (client->server, username));

  g_assert_no_error (error);
}

JsonNode *
docket_test_client_secretary_feed (DocketTestClient *client)
{
  return docket_test_secretary_feed (client->server, client->secretary_token);
}

char *
docket_test_client_find_item_of (DocketTestClient  *client,
                                 const char        *username,
                                 char             **out_meeting_id)
{
  return docket_test_find_item_of (client->server, client->secretary_token, username, FALSE, out_meeting_id);
}

static void
append_files (const char *dir,
              GString    *out)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *file = g_build_filename (dir, g_ptr_array_index (names, i), NULL);

      if (g_file_test (file, G_FILE_TEST_IS_DIR))
        append_files (file, out);
      else
        g_string_append_printf (out, "%s\n", file);
    }
}

char *
docket_test_dump_profile (const char         *path,
                          const char * const *queries)
{
  g_autofree char *db_path = g_build_filename (path, "docket.db", NULL);
  g_autofree char *documents = g_build_filename (path, "documents", NULL);
  GString *out = g_string_new (NULL);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  for (guint i = 0; queries[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (queries[i], "|", 2);
      g_autofree char *sql = parts[1] != NULL
                             ? g_strdup (parts[1])
                             : g_strdup_printf ("SELECT * FROM %s ORDER BY rowid", parts[0]);

      g_string_append_printf (out, "[%s]\n", parts[0]);
      docket_test_append_rows (db, sql, out);
    }
  sqlite3_close (db);

  append_files (documents, out);
  return g_string_free (out, FALSE);
}

/* Documents of the cache whose content no other document shares (one download each),
 * GPtrArray of DocketStoreDocumentRow*, in meeting order. */
GPtrArray *
docket_test_list_unshared_documents (DocketStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) meetings = docket_store_list_meetings (store, &error);
  g_autoptr(GHashTable) count = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_store_document_row_free);
  GPtrArray *unshared = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_store_document_row_free);

  g_assert_no_error (error);
  for (guint i = 0; i < meetings->len; i++)
    {
      DocketStoreMeetingRow *mrow = g_ptr_array_index (meetings, i);
      g_autoptr(GPtrArray) docs = docket_store_list_documents (store, mrow->meeting->id, &error);

      g_assert_no_error (error);
      while (docs->len > 0)
        {
          DocketStoreDocumentRow *row = g_ptr_array_steal_index (docs, 0);
          const char *sha = row->document->sha256;

          g_hash_table_insert (count, g_strdup (sha),
                               GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (count, sha)) + 1));
          g_ptr_array_add (all, row);
        }
    }

  for (guint i = 0; i < all->len; i++)
    {
      DocketStoreDocumentRow *row = g_ptr_array_index (all, i);

      if (GPOINTER_TO_UINT (g_hash_table_lookup (count, row->document->sha256)) == 1)
        g_ptr_array_add (unshared, docket_store_get_document (store, row->document->id, NULL));
    }

  return unshared;
}
