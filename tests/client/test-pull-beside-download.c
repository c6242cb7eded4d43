/* test-pull-beside-download.c: a pull never waits behind a document download
 *
 * Against the real docket-server with the demo organisation, reached through a small
 * TCP relay of the test's own that can hold the answers to content requests: the
 * engine's downloads fill every connection a download may use and receive nothing,
 * while a change made on the server arrives in the store with docket_sync_pull_async ().
 * With one session for the API and the downloads, or a pull that joins the run, the
 * pull would wait for the downloads and this test would time out.
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "docket-downloader.h"
#include "docket-store.h"
#include "docket-sync.h"
#include "docket-test-client.h"

typedef DocketTestClient Fixture;

/* Waiting */

typedef gboolean (*Condition) (gpointer data);

static gboolean
tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static void
wait_until (Condition   condition,
            gpointer    data,
            const char *what)
{
  guint id = docket_test_watchdog_add (DOCKET_TEST_WAIT_SECONDS, what);
  /* The relay's counters change in its threads: the loop must wake up to look. */
  guint tick = g_timeout_add (10, tick_cb, NULL);

  while (!condition (data))
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (tick);
  g_source_remove (id);
}

/* The relay
 *
 * Every connection of the client goes to the server through here, byte for byte. A
 * connection that carried a request for a document's content is marked; while the relay
 * holds, what the server answers on a marked connection waits in the relay. One thread
 * per direction and connection, with blocking I/O: the test's main context stays the
 * client's alone. */

typedef struct {
  GMutex             lock;
  GCond              cond;
  GSocketService    *service;
  guint16            server_port;
  char              *url;
  gboolean           holding;
  guint              n_held;        /* marked connections with an answer waiting */
  guint              n_connections; /* open, for the tear-down */
  GPtrArray         *connections;   /* RelayConnection*: open */
} Relay;

typedef struct {
  Relay             *relay;
  GSocketConnection *client;
  GSocketConnection *server;
  gboolean           content;       /* a content request went this way */
} RelayConnection;

static void
relay_shutdown (RelayConnection *conn)
{
  /* Wakes the other direction's blocking read. */
  g_socket_shutdown (g_socket_connection_get_socket (conn->client), TRUE, TRUE, NULL);
  g_socket_shutdown (g_socket_connection_get_socket (conn->server), TRUE, TRUE, NULL);
}

/* Server to client, holding the answers of a marked connection. */
static gpointer
relay_answers_thread (gpointer data)
{
  RelayConnection *conn = data;
  Relay *relay = conn->relay;
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (conn->server));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (conn->client));
  char buffer[16384];

  for (;;)
    {
      gssize n = g_input_stream_read (in, buffer, sizeof buffer, NULL, NULL);
      gboolean counted = FALSE;

      if (n <= 0)
        break;

      g_mutex_lock (&relay->lock);
      while (relay->holding && conn->content)
        {
          if (!counted)
            {
              relay->n_held++;
              counted = TRUE;
            }
          g_cond_wait (&relay->cond, &relay->lock);
        }
      if (counted)
        relay->n_held--;
      g_mutex_unlock (&relay->lock);

      if (!g_output_stream_write_all (out, buffer, (gsize) n, NULL, NULL, NULL))
        break;
    }

  relay_shutdown (conn);
  return NULL;
}

/* Client to server, marking content requests; runs in the service's thread. */
static gboolean
relay_run_cb (GThreadedSocketService *service,
              GSocketConnection      *client,
              GObject                *source,
              gpointer                user_data)
{
  Relay *relay = user_data;
  g_autoptr(GSocketClient) connector = g_socket_client_new ();
  g_autoptr(GSocketConnection) server = NULL;
  g_autoptr(GThread) answers = NULL;
  RelayConnection conn = { relay, client, NULL, FALSE };
  GInputStream *in;
  GOutputStream *out;
  char buffer[16384];

  server = g_socket_client_connect_to_host (connector, "127.0.0.1", relay->server_port, NULL, NULL);
  if (server == NULL)
    return TRUE;
  conn.server = server;

  g_mutex_lock (&relay->lock);
  relay->n_connections++;
  g_ptr_array_add (relay->connections, &conn);
  g_mutex_unlock (&relay->lock);

  in = g_io_stream_get_input_stream (G_IO_STREAM (client));
  out = g_io_stream_get_output_stream (G_IO_STREAM (server));
  answers = g_thread_new ("relay-answers", relay_answers_thread, &conn);

  for (;;)
    {
      gssize n = g_input_stream_read (in, buffer, sizeof buffer, NULL, NULL);

      if (n <= 0)
        break;
      if (g_strstr_len (buffer, n, "/content ") != NULL)
        {
          g_mutex_lock (&relay->lock);
          conn.content = TRUE;
          g_mutex_unlock (&relay->lock);
        }
      if (!g_output_stream_write_all (out, buffer, (gsize) n, NULL, NULL, NULL))
        break;
    }

  relay_shutdown (&conn);
  g_thread_join (g_steal_pointer (&answers));
  g_io_stream_close (G_IO_STREAM (server), NULL, NULL);
  g_io_stream_close (G_IO_STREAM (client), NULL, NULL);

  g_mutex_lock (&relay->lock);
  relay->n_connections--;
  g_ptr_array_remove_fast (relay->connections, &conn);
  g_cond_broadcast (&relay->cond);
  g_mutex_unlock (&relay->lock);

  return TRUE;
}

static void
relay_start (Relay      *relay,
             const char *server_url)
{
  g_autoptr(GUri) uri = g_uri_parse (server_url, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  g_mutex_init (&relay->lock);
  g_cond_init (&relay->cond);
  relay->server_port = (guint16) g_uri_get_port (uri);
  relay->connections = g_ptr_array_new ();
  relay->service = g_threaded_socket_service_new (16);
  g_assert_true (g_socket_listener_add_address (G_SOCKET_LISTENER (relay->service), address,
                                                G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                                NULL, &bound, &error));
  g_assert_no_error (error);
  relay->url = g_strdup_printf ("http://127.0.0.1:%u",
                                g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_signal_connect (relay->service, "run", G_CALLBACK (relay_run_cb), relay);
  g_socket_service_start (relay->service);
}

static void
relay_set_holding (Relay    *relay,
                   gboolean  holding)
{
  g_mutex_lock (&relay->lock);
  relay->holding = holding;
  g_cond_broadcast (&relay->cond);
  g_mutex_unlock (&relay->lock);
}

static guint
relay_count_held (Relay *relay)
{
  guint n;

  g_mutex_lock (&relay->lock);
  n = relay->n_held;
  g_mutex_unlock (&relay->lock);

  return n;
}

static gboolean
relay_idle (gpointer data)
{
  Relay *relay = data;
  guint n;

  g_mutex_lock (&relay->lock);
  n = relay->n_connections;
  g_mutex_unlock (&relay->lock);

  return n == 0;
}

/* Once the client has closed its connections: each relay thread then sees the end. The
 * main context runs meanwhile: what closes the client's last sockets (a download's
 * stream let go of, libsoup's clean-up) may be queued there. */
static void
relay_stop (Relay *relay)
{
  relay_set_holding (relay, FALSE);
  g_socket_service_stop (relay->service);
  g_socket_listener_close (G_SOCKET_LISTENER (relay->service));

  /* The client's engine is gone, but libsoup may keep a connection that went back to
   * its pool after the session was aborted until the session itself goes: the relay
   * ends what is left. */
  g_mutex_lock (&relay->lock);
  if (relay->connections->len > 0)
    g_test_message ("%u relay connections still open after the client closed",
                    relay->connections->len);
  for (guint i = 0; i < relay->connections->len; i++)
    relay_shutdown (g_ptr_array_index (relay->connections, i));
  g_mutex_unlock (&relay->lock);

  wait_until (relay_idle, relay, "the relay's connections to end");
  g_clear_pointer (&relay->connections, g_ptr_array_unref);

  g_clear_object (&relay->service);
  g_clear_pointer (&relay->url, g_free);
  g_mutex_clear (&relay->lock);
  g_cond_clear (&relay->cond);
}

static gboolean
downloads_all_held (gpointer data)
{
  return relay_count_held (data) >= DOCKET_DOWNLOADER_MAX_RECEIVING;
}

/* The test */

/* Returns the new document's id. */
static char *
upload_document (Fixture    *fixture,
                 const char *item_id,
                 char      **out_sha256)
{
  g_autofree char *url = g_strdup_printf ("%s/api/v1/items/%s/documents?title=Held",
                                          docket_test_server_get_url (fixture->server), item_id);
  g_autoptr(GBytes) pdf = docket_test_make_pdf (256 * 1024);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_cmpuint (docket_test_http ("POST", url, fixture->secretary_token, "application/pdf",
                                      pdf, &answer), ==, 201);
  *out_sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, pdf);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL), -1, NULL));

  return g_strdup (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), "id"));
}

static void
rename_meeting (Fixture    *fixture,
                const char *meeting_id,
                const char *title)
{
  g_autofree char *url = g_strdup_printf ("%s/api/v1/meetings/%s",
                                          docket_test_server_get_url (fixture->server), meeting_id);
  g_autofree char *json = g_strdup_printf ("{\"title\": \"%s\"}", title);
  g_autoptr(GBytes) body = g_bytes_new (json, strlen (json));
  g_autoptr(GBytes) answer = NULL;

  g_assert_cmpuint (docket_test_http ("PATCH", url, fixture->secretary_token, "application/json",
                                      body, &answer), ==, 200);
}

static void
pulled_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  DocketTestResult *pulled = user_data;

  docket_sync_pull_finish (DOCKET_SYNC (object), result, &pulled->error);
  pulled->done = TRUE;
}

static void
test_pull_beside_downloads (Fixture       *fixture,
                            gconstpointer  data)
{
  const char *title = "Kỳ họp, đổi tên trong lúc tải";
  g_autofree char *meeting_id = NULL;
  g_autofree char *item_id = docket_test_client_find_item_of (fixture, "daibieu1", &meeting_id);
  g_autoptr(GPtrArray) shas = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(DocketMeetingRecord) meeting = NULL;
  g_autoptr(GError) error = NULL;
  DocketTestResult run = { 0 };
  DocketTestResult pulled = { 0 };
  Relay relay = { 0 };

  g_assert_nonnull (item_id);
  /* More documents than downloads at once: every download connection is taken. */
  for (guint i = 0; i < DOCKET_DOWNLOADER_MAX_RECEIVING + 1; i++)
    {
      char *sha = NULL;
      g_autofree char *id = upload_document (fixture, item_id, &sha);

      g_ptr_array_add (shas, sha);
    }

  relay_start (&relay, docket_test_server_get_url (fixture->server));
  error = docket_test_sync_sign_in (fixture->sync, relay.url, "daibieu1",
                                    docket_test_server_get_password (fixture->server, "daibieu1"));
  g_assert_no_error (error);

  relay_set_holding (&relay, TRUE);
  docket_sync_run_async (fixture->sync, NULL, docket_test_run_cb, &run);
  wait_until (downloads_all_held, &relay, "every download to be held");

  /* The downloads are stuck; a secretary renames the meeting meanwhile. */
  rename_meeting (fixture, meeting_id, title);
  docket_sync_pull_async (fixture->sync, NULL, pulled_cb, &pulled);
  docket_test_wait_for_result (&pulled, DOCKET_TEST_WAIT_SECONDS, "a pull beside the downloads");
  g_assert_no_error (pulled.error);

  /* The change is in the store, and the run still waits for its downloads. */
  meeting = docket_store_get_meeting (fixture->store, meeting_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (meeting);
  g_assert_cmpstr (meeting->title, ==, title);
  g_assert_false (run.done);
  g_assert_cmpuint (relay_count_held (&relay), >=, DOCKET_DOWNLOADER_MAX_RECEIVING);
  g_assert_cmpint (docket_sync_get_state (fixture->sync), ==, DOCKET_SYNC_STATE_SYNCING);

  /* Let the bytes go: the run ends, every document downloaded. */
  relay_set_holding (&relay, FALSE);
  docket_test_wait_for_result (&run, DOCKET_TEST_WAIT_SECONDS, "the run");
  g_assert_no_error (run.error);
  for (guint i = 0; i < shas->len; i++)
    {
      DocketDownloadInfo info;

      g_assert_false (docket_sync_get_download (fixture->sync, g_ptr_array_index (shas, i), &info));
    }

  docket_test_client_close_profile (fixture);
  relay_stop (&relay);
}

/* A pull that finds new documents hands them to the downloader: to the run under way,
 * which lists what is missing again, or, without one, to a run that only downloads. */

typedef struct {
  Fixture    *fixture;
  const char *sha;
  const char *doc_id;
} DocumentWait;

static gboolean
document_waiting (gpointer data)
{
  DocumentWait *wait = data;
  DocketDownloadInfo info;

  return docket_sync_get_download (wait->fixture->sync, wait->sha, &info) &&
         info.state == DOCKET_DOWNLOAD_STATE_WAITING;
}

static gboolean
document_on_disk (gpointer data)
{
  DocumentWait *wait = data;
  g_autoptr(DocketStoreDocumentRow) row = docket_store_get_document (wait->fixture->store,
                                                                     wait->doc_id, NULL);

  return row != NULL && row->path != NULL &&
         docket_sync_get_state (wait->fixture->sync) == DOCKET_SYNC_STATE_IDLE;
}

static void
test_pull_finds_documents (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *meeting_id = NULL;
  g_autofree char *item_id = docket_test_client_find_item_of (fixture, "daibieu1", &meeting_id);
  g_autofree char *new_sha = NULL;
  g_autofree char *new_id = NULL;
  g_autofree char *later_sha = NULL;
  g_autofree char *later_id = NULL;
  g_autoptr(GError) error = NULL;
  DocketTestResult run = { 0 };
  DocketTestResult pulled = { 0 };
  DocketTestResult pulled_again = { 0 };
  DocumentWait wait = { fixture, NULL, NULL };
  Relay relay = { 0 };

  g_assert_nonnull (item_id);
  for (guint i = 0; i < DOCKET_DOWNLOADER_MAX_RECEIVING; i++)
    {
      g_autofree char *sha = NULL;
      g_autofree char *id = upload_document (fixture, item_id, &sha);
    }

  relay_start (&relay, docket_test_server_get_url (fixture->server));
  error = docket_test_sync_sign_in (fixture->sync, relay.url, "daibieu1",
                                    docket_test_server_get_password (fixture->server, "daibieu1"));
  g_assert_no_error (error);
  relay_set_holding (&relay, TRUE);
  docket_sync_run_async (fixture->sync, NULL, docket_test_run_cb, &run);
  wait_until (downloads_all_held, &relay, "every download to be held");

  /* During the run's downloads: the pull's new document joins the run's queue. */
  new_id = upload_document (fixture, item_id, &new_sha);
  docket_sync_pull_async (fixture->sync, NULL, pulled_cb, &pulled);
  docket_test_wait_for_result (&pulled, DOCKET_TEST_WAIT_SECONDS, "a pull beside the downloads");
  g_assert_no_error (pulled.error);
  wait.sha = new_sha;
  wait.doc_id = new_id;
  wait_until (document_waiting, &wait, "the new document in the run's queue");
  g_assert_false (run.done);

  relay_set_holding (&relay, FALSE);
  docket_test_wait_for_result (&run, DOCKET_TEST_WAIT_SECONDS, "the run");
  g_assert_no_error (run.error);
  g_assert_true (document_on_disk (&wait));

  /* With no run under way: the pull starts one that downloads it. */
  later_id = upload_document (fixture, item_id, &later_sha);
  docket_sync_pull_async (fixture->sync, NULL, pulled_cb, &pulled_again);
  docket_test_wait_for_result (&pulled_again, DOCKET_TEST_WAIT_SECONDS, "a pull with no run");
  g_assert_no_error (pulled_again.error);
  wait.sha = later_sha;
  wait.doc_id = later_id;
  wait_until (document_on_disk, &wait, "the document the pull found, downloaded");

  docket_test_client_close_profile (fixture);
  relay_stop (&relay);
}

/* Two pulls asked for during a third share one more pull after it, and each sees the
 * change made before it asked. */
static void
test_pulls_coalesce (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *meeting_id = NULL;
  g_autofree char *item_id = docket_test_client_find_item_of (fixture, "daibieu1", &meeting_id);
  g_autoptr(DocketMeetingRecord) meeting = NULL;
  g_autoptr(GError) error = NULL;
  DocketTestResult first = { 0 };
  DocketTestResult second = { 0 };
  DocketTestResult third = { 0 };
  guint changes_before;

  g_assert_nonnull (item_id);
  docket_test_client_sign_in_as (fixture, "daibieu1");
  error = docket_test_sync_run (fixture->sync);
  g_assert_no_error (error);
  changes_before = docket_test_server_count_requests (fixture->server, "GET", "/api/v1/changes");

  docket_sync_pull_async (fixture->sync, NULL, pulled_cb, &first);
  rename_meeting (fixture, meeting_id, "Sau lần kéo đầu");
  docket_sync_pull_async (fixture->sync, NULL, pulled_cb, &second);
  docket_sync_pull_async (fixture->sync, NULL, pulled_cb, &third);

  docket_test_wait_for_result (&second, DOCKET_TEST_WAIT_SECONDS, "the second pull");
  docket_test_wait_for_result (&third, DOCKET_TEST_WAIT_SECONDS, "the third pull");
  docket_test_wait_for_result (&first, DOCKET_TEST_WAIT_SECONDS, "the first pull");
  g_assert_no_error (first.error);
  g_assert_no_error (second.error);
  g_assert_no_error (third.error);

  meeting = docket_store_get_meeting (fixture->store, meeting_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (meeting->title, ==, "Sau lần kéo đầu");
  /* Two pulls, one page each: not three. */
  g_assert_cmpuint (docket_test_server_wait_for_requests (fixture->server, "GET", "/api/v1/changes",
                                                          changes_before + 2),
                    ==, changes_before + 2);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  docket_test_client_set_up (fixture, "client-pull-beside");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  docket_test_client_tear_down (fixture);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/pull/beside-downloads", Fixture, NULL, fixture_set_up,
              test_pull_beside_downloads, fixture_tear_down);
  g_test_add ("/pull/finds-documents", Fixture, NULL, fixture_set_up,
              test_pull_finds_documents, fixture_tear_down);
  g_test_add ("/pull/coalesce", Fixture, NULL, fixture_set_up,
              test_pulls_coalesce, fixture_tear_down);

  return g_test_run ();
}
