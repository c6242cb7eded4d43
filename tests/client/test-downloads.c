/* test-downloads.c: the downloads an official can see, and contents after a reboot
 *
 * Against the real docket-server with the demo organisation: the engine's state per
 * document (waiting, downloading with its bytes, failed with a reason, retried), the
 * order of "available offline first", and the re-hash of contents written under another
 * boot (no fdatasync per document: a crash of the machine must cost a download, never a
 * damaged document).
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "docket-store.h"
#include "docket-sync.h"
#include "docket-test-client.h"

#define OTHER_BOOT_ID "00000000-0000-4000-8000-000000000000"

typedef DocketTestClient Fixture;

typedef gboolean (*Condition) (Fixture *fixture, gpointer data);

static gboolean
tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static void
wait_until (Fixture    *fixture,
            Condition   condition,
            gpointer    data,
            const char *what)
{
  guint id = docket_test_watchdog_add (DOCKET_TEST_WAIT_SECONDS, what);
  /* Conditions on time (a stall) need the loop to wake up now and then. */
  guint tick = g_timeout_add (20, tick_cb, NULL);

  while (!condition (fixture, data))
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (tick);
  g_source_remove (id);
}

/* Fixture */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  docket_test_client_set_up (fixture, "client-downloads");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  docket_test_client_tear_down (fixture);
}

/* Signs in as username and runs a first sync, which must succeed. */
static void
sign_in_and_sync (Fixture    *fixture,
                  const char *username)
{
  g_autoptr(GError) error = NULL;

  docket_test_client_sign_in_as (fixture, username);
  error = docket_test_sync_run (fixture->sync);
  g_assert_no_error (error);
}

/* The server's side */

/* An agenda item of a published meeting daibieu1 takes part in; out_meeting_id gets the
 * meeting. */
static char *
find_item_of_daibieu1 (Fixture  *fixture,
                       char    **out_meeting_id)
{
  char *item_id = docket_test_client_find_item_of (fixture, "daibieu1", out_meeting_id);

  if (item_id == NULL)
    g_error ("daibieu1 has no agenda item");
  return item_id;
}

/* The secretary adds a document of size bytes to item; returns its id and checksum. */
static void
upload_document (Fixture     *fixture,
                 const char  *item_id,
                 gsize        size,
                 char       **out_id,
                 char       **out_sha256,
                 guint64     *out_size)
{
  g_autofree char *url = g_strdup_printf ("%s/api/v1/items/%s/documents?title=Large",
                                          docket_test_server_get_url (fixture->server), item_id);
  g_autoptr(GBytes) pdf = docket_test_make_pdf (size);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;

  g_assert_cmpuint (docket_test_http ("POST", url, fixture->secretary_token, "application/pdf",
                                      pdf, &answer), ==, 201);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL), -1, NULL));
  object = json_node_get_object (json_parser_get_root (parser));
  *out_id = g_strdup (json_object_get_string_member (object, "id"));
  *out_sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, pdf);
  if (out_size != NULL)
    *out_size = g_bytes_get_size (pdf);
}

static char *
server_blob_path (Fixture    *fixture,
                  const char *sha)
{
  return g_strdup_printf ("%s/blobs/%c%c/%s.pdf", docket_test_server_get_data_dir (fixture->server),
                          sha[0], sha[1], sha);
}

static guint
content_requests (Fixture    *fixture,
                  const char *document_id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/documents/%s/content", document_id);

  return docket_test_server_count_requests (fixture->server, "GET", path);
}

/* The cache's side */

static char *
db_path (Fixture *fixture)
{
  return g_build_filename (fixture->profile, "docket.db", NULL);
}

/* The boot id recorded for a content, "NULL" for none. */
static char *
recorded_boot_id (Fixture    *fixture,
                  const char *sha)
{
  g_autofree char *path = db_path (fixture);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *boot_id = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT boot_id FROM blobs WHERE sha256 = ?1", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, sha, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  boot_id = g_strdup (sqlite3_column_type (stmt, 0) == SQLITE_NULL
                      ? "NULL" : (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return boot_id;
}

/* 1. A download in progress shows its bytes, and the meeting sums them. */

typedef struct {
  const char *sha;
  gboolean    seen_waiting;
  gboolean    seen_partial;    /* a "download-changed" with 0 < done < total */
  gboolean    paused;
  gint64      paused_at;
  guint       emissions;
} ProgressWatch;

static void
progress_changed_cb (DocketSync *sync,
                     const char *sha256,
                     GStrv       meeting_ids,
                     gpointer    user_data)
{
  ProgressWatch *watch = user_data;
  DocketDownloadInfo info;

  if (!g_str_equal (sha256, watch->sha))
    return;

  watch->emissions++;
  docket_sync_get_download (sync, sha256, &info);
  if (info.state == DOCKET_DOWNLOAD_STATE_WAITING)
    watch->seen_waiting = TRUE;
  if (info.state == DOCKET_DOWNLOAD_STATE_DOWNLOADING && info.bytes_done > 0 &&
      info.bytes_done < info.bytes_total)
    watch->seen_partial = TRUE;
}

typedef struct {
  Fixture       *fixture;
  ProgressWatch *watch;
} PauseWhenFlowing;

/* Stalls the server as soon as bytes of the large document arrive. */
static gboolean
pause_when_flowing_cb (gpointer user_data)
{
  PauseWhenFlowing *pause = user_data;
  DocketDownloadInfo info;

  if (docket_sync_get_download (pause->fixture->sync, pause->watch->sha, &info) &&
      info.state == DOCKET_DOWNLOAD_STATE_DOWNLOADING && info.bytes_done > 0)
    {
      docket_test_server_pause (pause->fixture->server, TRUE);
      pause->watch->paused = TRUE;
      pause->watch->paused_at = g_get_monotonic_time ();
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

static gboolean
stalled_long_enough (Fixture  *fixture,
                     gpointer  data)
{
  ProgressWatch *watch = data;

  /* Long enough for the client to drain what the sockets hold, and to emit what it held
   * back. */
  return watch->paused && g_get_monotonic_time () - watch->paused_at > 800 * 1000;
}

static void
test_progress (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *meeting_id = NULL;
  g_autofree char *item_id = find_item_of_daibieu1 (fixture, &meeting_id);
  g_autofree char *doc_id = NULL;
  g_autofree char *sha = NULL;
  g_autoptr(DocketStoreDocumentRow) row = NULL;
  g_autofree char *check = NULL;
  g_autoptr(GError) error = NULL;
  ProgressWatch watch = { 0 };
  PauseWhenFlowing pause = { fixture, &watch };
  DocketDownloadInfo info;
  DocketMeetingDownloads summary;
  DocketTestResult result = { 0 };
  guint64 size = 0;
  gulong handler;

  /* Larger than what loopback sockets and the engine's queue hold together. */
  upload_document (fixture, item_id, 48 * 1024 * 1024, &doc_id, &sha, &size);
  watch.sha = sha;
  docket_test_client_sign_in_as (fixture, "daibieu1");
  g_assert_false (docket_sync_get_download (fixture->sync, sha, &info));
  g_assert_cmpint (info.state, ==, DOCKET_DOWNLOAD_STATE_NONE);

  handler = g_signal_connect (fixture->sync, "download-changed", G_CALLBACK (progress_changed_cb), &watch);
  g_timeout_add (1, pause_when_flowing_cb, &pause);
  docket_sync_run_async (fixture->sync, NULL, docket_test_run_cb, &result);
  wait_until (fixture, stalled_long_enough, &watch, "the download to stall");

  /* Stalled half-way: the engine says how far it got, and said it. */
  g_assert_true (docket_sync_get_download (fixture->sync, sha, &info));
  g_assert_cmpint (info.state, ==, DOCKET_DOWNLOAD_STATE_DOWNLOADING);
  g_assert_cmpuint (info.bytes_total, ==, size);
  g_assert_cmpuint (info.bytes_done, >, 0);
  g_assert_cmpuint (info.bytes_done, <, info.bytes_total);
  g_assert_null (info.message);
  g_assert_true (watch.seen_waiting);
  g_assert_true (watch.seen_partial);

  docket_sync_get_meeting_downloads (fixture->sync, meeting_id, &summary);
  g_assert_cmpuint (summary.n_downloading, >=, 1);
  g_assert_cmpuint (summary.n_failed, ==, 0);
  g_assert_cmpuint (summary.bytes_total, >=, info.bytes_total);
  g_assert_cmpuint (summary.bytes_done, >=, info.bytes_done);

  docket_test_server_pause (fixture->server, FALSE);
  docket_test_wait_for_result (&result, DOCKET_TEST_WAIT_SECONDS, "a run");
  g_assert_no_error (result.error);
  g_signal_handler_disconnect (fixture->sync, handler);

  /* Done: the engine has nothing more to say, the store has the verified file. */
  g_assert_false (docket_sync_get_download (fixture->sync, sha, &info));
  docket_sync_get_meeting_downloads (fixture->sync, meeting_id, &summary);
  g_assert_cmpuint (summary.n_downloading + summary.n_waiting + summary.n_failed, ==, 0);
  row = docket_store_get_document (fixture->store, doc_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (row->path);
  check = docket_test_file_sha256 (row->path);
  g_assert_cmpstr (check, ==, sha);
}

/* 2. A damaged download says why, waits its back-off, and Retry fetches it. */

typedef struct {
  const char *doc_id;
} OfflineWait;

static gboolean
document_offline (Fixture  *fixture,
                  gpointer  data)
{
  OfflineWait *wait = data;
  g_autoptr(DocketStoreDocumentRow) row = NULL;

  if (docket_sync_get_state (fixture->sync) == DOCKET_SYNC_STATE_SYNCING)
    return FALSE;
  row = docket_store_get_document (fixture->store, wait->doc_id, NULL);
  return row != NULL && row->path != NULL;
}

static void
test_checksum_then_retry (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *meeting_id = NULL;
  g_autofree char *item_id = find_item_of_daibieu1 (fixture, &meeting_id);
  g_autofree char *doc_id = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *blob = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *check = NULL;
  g_autoptr(DocketStoreDocumentRow) row = NULL;
  g_autoptr(GError) error = NULL;
  DocketDownloadInfo info;
  DocketMeetingDownloads summary;
  OfflineWait wait;
  gsize len = 0;

  upload_document (fixture, item_id, 300 * 1024, &doc_id, &sha, NULL);
  blob = server_blob_path (fixture, sha);
  g_assert_true (g_file_get_contents (blob, &contents, &len, NULL));
  contents[len / 2] ^= 0x55;   /* same size, other bytes */
  g_assert_true (g_file_set_contents (blob, contents, (gssize) len, NULL));

  /* A back-off long enough not to run out during the test. */
  docket_sync_set_backoff_initial_ms (fixture->sync, 5 * 60 * 1000);
  docket_test_client_sign_in_as (fixture, "daibieu1");
  error = docket_test_sync_run (fixture->sync);
  g_assert_error (error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_CHECKSUM);
  g_clear_error (&error);

  g_assert_true (docket_sync_get_download (fixture->sync, sha, &info));
  g_assert_cmpint (info.state, ==, DOCKET_DOWNLOAD_STATE_FAILED);
  g_assert_cmpint (info.reason, ==, DOCKET_SYNC_ERROR_CHECKSUM);
  g_assert_nonnull (info.message);
  g_assert_nonnull (strstr (info.message, "Large"));
  docket_sync_get_meeting_downloads (fixture->sync, meeting_id, &summary);
  g_assert_cmpuint (summary.n_failed, ==, 1);
  docket_test_server_wait_for_requests (fixture->server, "GET", "/api/v1/documents/", 1);
  g_assert_cmpuint (content_requests (fixture, doc_id), ==, 1);

  /* The next run leaves it alone (it failed for itself, and waits its back-off); the
   * rest syncs, and the failure stays in sight. */
  error = docket_test_sync_run (fixture->sync);
  g_assert_no_error (error);
  g_assert_true (docket_sync_get_download (fixture->sync, sha, &info));
  g_assert_cmpint (info.state, ==, DOCKET_DOWNLOAD_STATE_FAILED);
  g_assert_cmpint (info.reason, ==, DOCKET_SYNC_ERROR_CHECKSUM);
  g_assert_cmpuint (content_requests (fixture, doc_id), ==, 1);

  /* The server's copy is repaired; Retry does not wait. */
  contents[len / 2] ^= 0x55;
  g_assert_true (g_file_set_contents (blob, contents, (gssize) len, NULL));
  docket_sync_retry_download (fixture->sync, sha);
  g_assert_cmpint (docket_sync_get_state (fixture->sync), ==, DOCKET_SYNC_STATE_SYNCING);
  wait.doc_id = doc_id;
  wait_until (fixture, document_offline, &wait, "the retried document");

  g_assert_cmpint (docket_sync_get_state (fixture->sync), ==, DOCKET_SYNC_STATE_IDLE);
  g_assert_false (docket_sync_get_download (fixture->sync, sha, &info));
  row = docket_store_get_document (fixture->store, doc_id, &error);
  g_assert_no_error (error);
  check = docket_test_file_sha256 (row->path);
  g_assert_cmpstr (check, ==, sha);
  docket_test_server_wait_for_requests (fixture->server, "GET", "/api/v1/documents/", 2);
  g_assert_cmpuint (content_requests (fixture, doc_id), ==, 2);
}

/* 3. "Available offline first" puts a meeting's documents at the head of the queue. */

static void
started_cb (DocketSync *sync,
            const char *sha256,
            GStrv       meeting_ids,
            gpointer    user_data)
{
  GPtrArray *started = user_data;
  DocketDownloadInfo info;

  if (docket_sync_get_download (sync, sha256, &info) &&
      info.state == DOCKET_DOWNLOAD_STATE_DOWNLOADING &&
      !g_ptr_array_find_with_equal_func (started, sha256, g_str_equal, NULL))
    g_ptr_array_add (started, g_strdup (sha256));
}

static void
test_priority (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) meetings = NULL;
  g_autoptr(GPtrArray) started = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) first_shas = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) all_shas = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *first_meeting = NULL;
  guint n_first;
  gulong handler;

  sign_in_and_sync (fixture, "daibieu1");

  /* The meeting that comes last in the usual order (the latest) goes first. */
  meetings = docket_store_list_meetings (fixture->store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < meetings->len; i++)
    {
      DocketStoreMeetingRow *mrow = g_ptr_array_index (meetings, i);
      g_autoptr(GPtrArray) docs = docket_store_list_documents (fixture->store, mrow->meeting->id, &error);

      g_assert_no_error (error);
      if (docs->len > 0)
        first_meeting = mrow->meeting->id;
      for (guint j = 0; j < docs->len; j++)
        {
          DocketStoreDocumentRow *row = g_ptr_array_index (docs, j);
          g_hash_table_add (all_shas, g_strdup (row->document->sha256));
        }
    }
  g_assert_nonnull (first_meeting);
  {
    g_autoptr(GPtrArray) docs = docket_store_list_documents (fixture->store, first_meeting, &error);

    for (guint j = 0; j < docs->len; j++)
      {
        DocketStoreDocumentRow *row = g_ptr_array_index (docs, j);
        g_hash_table_add (first_shas, g_strdup (row->document->sha256));
      }
  }
  n_first = g_hash_table_size (first_shas);
  /* Otherwise there is nothing to put first. */
  g_assert_cmpuint (g_hash_table_size (all_shas), >, n_first);

  /* Every content gone from the profile, as for a new laptop. */
  {
    GHashTableIter iter;
    gpointer key;

    g_hash_table_iter_init (&iter, all_shas);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      {
        g_assert_true (docket_store_forget_blob (fixture->store, key, &error));
        g_assert_no_error (error);
      }
  }

  handler = g_signal_connect (fixture->sync, "download-changed", G_CALLBACK (started_cb), started);
  docket_sync_make_available_first (fixture->sync, first_meeting);
  g_assert_cmpint (docket_sync_get_state (fixture->sync), ==, DOCKET_SYNC_STATE_SYNCING);
  error = docket_test_sync_run (fixture->sync);   /* joins the run it started */
  g_assert_no_error (error);
  g_signal_handler_disconnect (fixture->sync, handler);

  g_assert_cmpuint (started->len, ==, g_hash_table_size (all_shas));
  for (guint i = 0; i < started->len; i++)
    g_assert_true (g_hash_table_contains (first_shas, g_ptr_array_index (started, i)) == (i < n_first));
}

/* 3b. Asked for while the queue is being worked through: the meeting's documents are
 *     the next to start. */

typedef struct {
  Fixture    *fixture;
  GPtrArray  *started;
  const char *meeting_id;
  guint       started_when_asked;
  gboolean    asked;
} LateRequest;

static gboolean
ask_first_cb (gpointer user_data)
{
  LateRequest *late = user_data;

  late->started_when_asked = late->started->len;
  docket_sync_make_available_first (late->fixture->sync, late->meeting_id);
  return G_SOURCE_REMOVE;
}

static void
late_started_cb (DocketSync *sync,
                 const char *sha256,
                 GStrv       meeting_ids,
                 gpointer    user_data)
{
  LateRequest *late = user_data;

  started_cb (sync, sha256, meeting_ids, late->started);
  /* As a click would come: from the main loop, once the first downloads are under way,
   * at the priority of input events. (An idle, below them, waited behind the downloads'
   * own I/O callbacks: on a slow run, until the latest meeting's downloads had all
   * started, leaving nothing to put first.) */
  if (!late->asked && late->started->len > 0)
    {
      late->asked = TRUE;
      g_idle_add_full (G_PRIORITY_DEFAULT, ask_first_cb, late, NULL);
    }
}

static void
forget_every_content (Fixture    *fixture,
                      GHashTable *shas)
{
  GHashTableIter iter;
  gpointer key;
  g_autoptr(GError) error = NULL;

  g_hash_table_iter_init (&iter, shas);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_assert_true (docket_store_forget_blob (fixture->store, key, &error));
      g_assert_no_error (error);
    }
}

static GHashTable *
meeting_shas (Fixture    *fixture,
              const char *meeting_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) docs = docket_store_list_documents (fixture->store, meeting_id, &error);
  GHashTable *shas = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_assert_no_error (error);
  for (guint j = 0; j < docs->len; j++)
    g_hash_table_add (shas, g_strdup (((DocketStoreDocumentRow *) g_ptr_array_index (docs, j))->document->sha256));
  return shas;
}

static void
test_priority_during_run (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) meetings = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) started = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) all_shas = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) last_shas = NULL;
  DocketStoreMeetingRow *first, *last = NULL;
  LateRequest late = { 0 };
  guint n_last_pending;
  gulong handler;

  sign_in_and_sync (fixture, "daibieu1");

  /* The earliest meeting gets many more documents than downloads run at once, so that
   * its queue is long when the latest meeting is asked for. */
  meetings = docket_store_list_meetings (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (meetings->len, >=, 2);
  first = g_ptr_array_index (meetings, 0);
  for (guint i = meetings->len; i > 1 && last == NULL; i--)
    {
      DocketStoreMeetingRow *mrow = g_ptr_array_index (meetings, i - 1);

      if (mrow->n_documents > 0)
        last = mrow;
    }
  g_assert_nonnull (last);
  items = docket_store_list_agenda_items (fixture->store, first->meeting->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, >, 0);
  for (guint i = 0; i < 8; i++)
    {
      g_autofree char *id = NULL;
      g_autofree char *sha = NULL;

      upload_document (fixture, ((DocketAgendaItemRecord *) g_ptr_array_index (items, 0))->id,
                       64 * 1024, &id, &sha, NULL);
    }
  error = docket_test_sync_run (fixture->sync);
  g_assert_no_error (error);

  for (guint i = 0; i < meetings->len; i++)
    {
      g_autoptr(GHashTable) shas = meeting_shas (fixture, ((DocketStoreMeetingRow *) g_ptr_array_index (meetings, i))->meeting->id);
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, shas);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_hash_table_add (all_shas, g_strdup (key));
    }
  last_shas = meeting_shas (fixture, last->meeting->id);
  forget_every_content (fixture, all_shas);

  late.fixture = fixture;
  late.started = started;
  late.meeting_id = last->meeting->id;
  handler = g_signal_connect (fixture->sync, "download-changed", G_CALLBACK (late_started_cb), &late);
  error = docket_test_sync_run (fixture->sync);
  g_assert_no_error (error);
  g_signal_handler_disconnect (fixture->sync, handler);

  g_assert_true (late.asked);
  g_assert_cmpuint (started->len, ==, g_hash_table_size (all_shas));
  g_test_message ("%u downloads, %u started when the latest meeting was asked for first",
                  started->len, late.started_when_asked);
  /* Those of the latest meeting not started when it was asked for start right after. */
  n_last_pending = 0;
  for (guint i = late.started_when_asked; i < started->len; i++)
    if (g_hash_table_contains (last_shas, g_ptr_array_index (started, i)))
      n_last_pending++;
  g_assert_cmpuint (n_last_pending, >, 0);
  for (guint i = late.started_when_asked; i < late.started_when_asked + n_last_pending; i++)
    g_assert_true (g_hash_table_contains (last_shas, g_ptr_array_index (started, i)));
}

/* 4. After a reboot, contents of the earlier boot are re-hashed once: a damaged or
 *    truncated one is downloaded again, an intact one is kept and marked verified. */

static void
test_reboot_verify (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) docs = NULL;
  g_autoptr(GPtrArray) to_verify = NULL;
  g_autofree char *path = db_path (fixture);
  DocketStoreDocumentRow *damaged, *truncated, *intact;
  g_autofree char *contents = NULL;
  gsize len = 0;
  sqlite3 *db = NULL;
  const char *boot_id = docket_store_get_boot_id ();

  /* This test is about machines with a boot id (Linux). */
  g_assert_nonnull (boot_id);

  sign_in_and_sync (fixture, "daibieu1");

  docs = docket_test_list_unshared_documents (fixture->store);
  g_assert_cmpuint (docs->len, >=, 3);
  damaged = g_ptr_array_index (docs, 0);
  truncated = g_ptr_array_index (docs, 1);
  intact = g_ptr_array_index (docs, 2);
  for (guint i = 0; i < docs->len; i++)
    {
      DocketStoreDocumentRow *row = g_ptr_array_index (docs, i);
      g_autofree char *recorded = recorded_boot_id (fixture, row->document->sha256);

      /* Written without an fdatasync, under this boot. */
      g_assert_cmpstr (recorded, ==, boot_id);
    }

  /* The machine crashed: another boot, one file with other bytes, one cut short. */
  docket_test_client_close_profile (fixture);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE blobs SET boot_id = '" OTHER_BOOT_ID "'", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_true (g_file_get_contents (damaged->path, &contents, &len, NULL));
  contents[len / 3] ^= 0x20;
  g_assert_true (g_file_set_contents (damaged->path, contents, (gssize) len, NULL));
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (truncated->path, &contents, &len, NULL));
  g_assert_true (g_file_set_contents (truncated->path, contents, (gssize) (len / 2), NULL));

  docket_test_client_open_profile (fixture);
  to_verify = docket_store_list_blobs_to_verify (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (to_verify->len, >=, docs->len);

  error = docket_test_sync_run (fixture->sync);
  g_assert_no_error (error);

  /* The bad ones came again, whole; the intact one stayed, verified. */
  for (guint i = 0; i < 2; i++)
    {
      DocketStoreDocumentRow *row = i == 0 ? damaged : truncated;
      g_autoptr(DocketStoreDocumentRow) now = docket_store_get_document (fixture->store, row->document->id, &error);
      g_autofree char *check = NULL;
      g_autofree char *recorded = NULL;

      g_assert_no_error (error);
      g_assert_nonnull (now->path);
      check = docket_test_file_sha256 (now->path);
      g_assert_cmpstr (check, ==, row->document->sha256);
      recorded = recorded_boot_id (fixture, row->document->sha256);
      g_assert_cmpstr (recorded, ==, boot_id);
      docket_test_server_wait_for_requests (fixture->server, "GET", "/api/v1/documents/", docs->len + 2);
      g_assert_cmpuint (content_requests (fixture, row->document->id), ==, 2);
    }
  {
    g_autoptr(DocketStoreDocumentRow) now = docket_store_get_document (fixture->store, intact->document->id, &error);
    g_autofree char *check = NULL;
    g_autofree char *recorded = recorded_boot_id (fixture, intact->document->sha256);

    g_assert_no_error (error);
    g_assert_nonnull (now->path);
    check = docket_test_file_sha256 (now->path);
    g_assert_cmpstr (check, ==, intact->document->sha256);
    g_assert_cmpstr (recorded, ==, "NULL");
    g_assert_cmpuint (content_requests (fixture, intact->document->id), ==, 1);
  }

  /* Verified once: the next start has nothing to check. */
  g_clear_pointer (&to_verify, g_ptr_array_unref);
  to_verify = docket_store_list_blobs_to_verify (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (to_verify->len, ==, 0);
}

/* 5. A full disk: the document says so, and the next run (with room) takes it again at
 *    once (not the content's fault: no back-off). */

static void
test_disk_full (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *meeting_id = NULL;
  g_autofree char *item_id = find_item_of_daibieu1 (fixture, &meeting_id);
  g_autofree char *doc_id = NULL;
  g_autofree char *sha = NULL;
  g_autoptr(DocketStoreDocumentRow) row = NULL;
  g_autoptr(GError) error = NULL;
  DocketDownloadInfo info;

  upload_document (fixture, item_id, 600 * 1024, &doc_id, &sha, NULL);
  docket_sync_set_backoff_initial_ms (fixture->sync, 5 * 60 * 1000);
  docket_test_client_sign_in_as (fixture, "daibieu1");

  error = docket_test_sync_run_with_file_size_limit (fixture->sync, 400 * 1024);
  g_assert_error (error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_STORE);
  g_clear_error (&error);
  g_assert_true (docket_sync_get_download (fixture->sync, sha, &info));
  g_assert_cmpint (info.state, ==, DOCKET_DOWNLOAD_STATE_FAILED);
  g_assert_cmpint (info.reason, ==, DOCKET_SYNC_ERROR_STORE);
  g_assert_nonnull (info.message);

  error = docket_test_sync_run (fixture->sync);
  g_assert_no_error (error);
  g_assert_false (docket_sync_get_download (fixture->sync, sha, &info));
  row = docket_store_get_document (fixture->store, doc_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (row->path);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/downloads/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("progress", test_progress);
  ADD ("checksum-then-retry", test_checksum_then_retry);
  ADD ("priority", test_priority);
  ADD ("priority-during-run", test_priority_during_run);
  ADD ("reboot-verify", test_reboot_verify);
  ADD ("disk-full", test_disk_full);

#undef ADD

  return g_test_run ();
}
