/* test-sync.c: the sync engine against the real docket-server
 *
 * Each test starts docket-server with the demo organisation on a random loopback port,
 * uses a fresh profile folder and the real Secret Service of the test session, and drives
 * changes through the secretary's HTTP API.
 */
#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "docket-credentials.h"
#include "docket-store.h"
#include "docket-sync.h"
#include "docket-test-client.h"

typedef DocketTestClient Fixture;

/* The engine's token as the Secret Service keeps it. */

typedef struct {
  DocketTestResult  result;
  char             *string;
} LookupResult;

static void
lookup_cb (GObject      *object,
           GAsyncResult *res,
           gpointer      user_data)
{
  LookupResult *lookup = user_data;

  lookup->string = docket_credentials_lookup_finish (res, &lookup->result.error);
  lookup->result.done = TRUE;
}

static char *
lookup_token (Fixture *fixture)
{
  LookupResult lookup = { 0 };

  docket_credentials_lookup_async (docket_store_get_profile_dir (fixture->store),
                                   docket_sync_get_server_url (fixture->sync),
                                   docket_sync_get_username (fixture->sync),
                                   NULL, lookup_cb, &lookup);
  docket_test_wait_for_result (&lookup.result, DOCKET_TEST_WAIT_SECONDS, "the token lookup");
  g_assert_no_error (lookup.result.error);

  return lookup.string;
}

/* Fixture */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  docket_test_client_set_up (fixture, "client-sync");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  docket_test_client_tear_down (fixture);
}

static void
sign_in_as (Fixture    *fixture,
            const char *username)
{
  docket_test_client_sign_in_as (fixture, username);
  g_assert_true (docket_sync_get_signed_in (fixture->sync));
}

/* Signs in as username and runs a first sync, which must succeed. */
static void
sign_in_and_sync (Fixture    *fixture,
                  const char *username)
{
  g_autoptr(GError) error = NULL;

  sign_in_as (fixture, username);
  error = docket_test_sync_run (fixture->sync);
  g_assert_no_error (error);
}

/* The secretary's API */

static guint
secretary_call (Fixture    *fixture,
                const char *method,
                const char *path,
                const char *json)
{
  g_autofree char *url = g_strconcat (docket_test_server_get_url (fixture->server), path, NULL);
  g_autoptr(GBytes) body = json != NULL ? g_bytes_new (json, strlen (json)) : NULL;
  g_autoptr(GBytes) answer = NULL;

  return docket_test_http (method, url, fixture->secretary_token,
                           json != NULL ? "application/json" : NULL, body, &answer);
}

/* A published meeting of the demo that `username` does not take part in. */
static char *
find_meeting_without (Fixture    *fixture,
                      const char *username,
                      guint      *out_n_documents)
{
  g_autoptr(JsonNode) feed = docket_test_client_secretary_feed (fixture);
  JsonArray *changes = json_object_get_array_member (json_node_get_object (feed), "changes");
  char *found = NULL;

  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);
      const char *type = json_object_get_string_member (change, "type");
      JsonObject *data;
      JsonArray *participants;
      gboolean member = FALSE;

      if (json_object_get_boolean_member (change, "deleted"))
        continue;
      data = json_object_get_object_member (change, "data");

      if (found != NULL && g_str_equal (type, "document") &&
          g_str_equal (json_object_get_string_member (data, "meeting_id"), found))
        (*out_n_documents)++;

      if (found != NULL || !g_str_equal (type, "meeting") ||
          g_str_equal (json_object_get_string_member (data, "status"), "draft"))
        continue;

      participants = json_object_get_array_member (data, "participants");
      for (guint j = 0; j < json_array_get_length (participants); j++)
        {
          JsonObject *p = json_array_get_object_element (participants, j);
          if (g_str_equal (json_object_get_string_member (p, "username"), username))
            member = TRUE;
        }

      if (!member)
        {
          found = g_strdup (json_object_get_string_member (data, "id"));
          *out_n_documents = 0;
        }
    }

  return found;
}

/* Cache checks */

/* Every document of every cached meeting is offline, in a file whose bytes match. */
static guint
assert_all_documents_verified (DocketStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) meetings = docket_store_list_meetings (store, &error);
  guint n = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < meetings->len; i++)
    {
      DocketStoreMeetingRow *mrow = g_ptr_array_index (meetings, i);
      g_autoptr(GPtrArray) docs = docket_store_list_documents (store, mrow->meeting->id, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (mrow->n_documents_offline, ==, mrow->n_documents);
      for (guint j = 0; j < docs->len; j++)
        {
          DocketStoreDocumentRow *row = g_ptr_array_index (docs, j);
          g_autofree char *sha = NULL;

          g_assert_nonnull (row->path);
          sha = docket_test_file_sha256 (row->path);
          g_assert_cmpstr (sha, ==, row->document->sha256);
          n++;
        }
    }

  return n;
}

static gboolean
cache_has_meeting (DocketStore *store,
                   const char  *meeting_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketMeetingRecord) meeting = docket_store_get_meeting (store, meeting_id, &error);

  g_assert_no_error (error);
  return meeting != NULL;
}

/* Files of the profile's documents folder (complete and partial). */
static void
collect_files (const char *dir,
               GPtrArray  *out)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;

  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        collect_files (path, out);
      else
        g_ptr_array_add (out, g_steal_pointer (&path));
    }
}

static guint
count_document_files (Fixture *fixture)
{
  g_autofree char *dir = g_build_filename (fixture->profile, "documents", NULL);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);

  collect_files (dir, files);
  return files->len;
}

static gboolean
log_has (Fixture    *fixture,
         const char *needle)
{
  g_autofree char *log = NULL;

  g_assert_true (g_file_get_contents (docket_test_server_get_log_path (fixture->server),
                                      &log, NULL, NULL));
  return strstr (log, needle) != NULL;
}

/* The server logs a request just after answering it, so a client that has its answer may
 * look before the line is written: wait for it (10 s at most). */
static gboolean
wait_for_log (Fixture    *fixture,
              const char *needle)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

  while (!log_has (fixture, needle))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_usleep (10 * G_TIME_SPAN_MILLISECOND);
    }
  return TRUE;
}

/* Tests */

static void
test_sign_in_wrong_password (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = docket_test_sync_sign_in (fixture->sync, docket_test_server_get_url (fixture->server),
                                     "daibieu1", "not the password");

  g_assert_error (error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_INVALID_CREDENTIALS);
  g_assert_false (docket_sync_get_signed_in (fixture->sync));
  g_assert_cmpint (docket_sync_get_state (fixture->sync), ==, DOCKET_SYNC_STATE_SIGNED_OUT);
}

static void
test_sign_in_unreachable (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  /* A port that is surely closed: bind one, note it, close it. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, address, TRUE, &error));
  bound = g_socket_get_local_address (socket, &error);
  url = g_strdup_printf ("127.0.0.1:%u",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (socket, NULL);

  error = docket_test_sync_sign_in (fixture->sync, url, "daibieu1", "whatever");
  g_assert_error (error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
}

static void
test_sign_in_plain_http_refused (Fixture       *fixture,
                                 gconstpointer  data)
{
  static const char * const refused[] = {
    "http://docket.example.org",
    "http://10.0.0.1:8080",
    "ftp://127.0.0.1/",
    "http://user@127.0.0.1:1/",
  };
  g_autofree char *normalized = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = docket_test_sync_sign_in (fixture->sync, refused[i], "daibieu1", "x");

      g_assert_error (error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_UNREACHABLE);
    }

  /* Refused before anything was sent. */
  g_assert_cmpuint (docket_sync_get_request_count (fixture->sync), ==, 0);

  normalized = docket_sync_normalize_server_url ("127.0.0.1:8080", NULL);
  g_assert_cmpstr (normalized, ==, "http://127.0.0.1:8080");
  g_clear_pointer (&normalized, g_free);
  normalized = docket_sync_normalize_server_url ("docket.example.org", NULL);
  g_assert_cmpstr (normalized, ==, "https://docket.example.org");
  g_clear_pointer (&normalized, g_free);
  normalized = docket_sync_normalize_server_url ("http://[::1]:9/", NULL);
  g_assert_cmpstr (normalized, ==, "http://[::1]:9");
}

/* A docket-server of our own with a self-signed certificate. */
static void
test_sign_in_bad_certificate (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *dir = g_build_filename (fixture->tmpdir, "tls", NULL);
  g_autofree char *cert = g_build_filename (dir, "cert.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "key.pem", NULL);
  g_autofree char *data_dir = g_build_filename (dir, "data", NULL);
  g_autoptr(GSubprocess) openssl = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  char *line;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  openssl = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                              &error, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                              "-keyout", key, "-out", cert, "-days", "2",
                              "-subj", "/CN=127.0.0.1", NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (openssl, NULL, &error));

  server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                             &error, g_getenv ("DOCKET_SERVER"), "--data", data_dir,
                             "--listen", "127.0.0.1:0", "--tls-cert", cert, "--tls-key", key, NULL);
  g_assert_no_error (error);

  /* The server's first line says where it listens (or its stdout closes: a failure). */
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  while ((line = g_data_input_stream_read_line (out, NULL, NULL, &error)) != NULL)
    {
      const char *at = strstr (line, "listening on ");

      if (at != NULL)
        {
          url = g_strdup (at + strlen ("listening on "));
          g_free (line);
          break;
        }
      g_free (line);
    }
  g_assert_nonnull (url);
  g_assert_true (g_str_has_prefix (url, "https://"));

  error = docket_test_sync_sign_in (fixture->sync, url, "daibieu1", "whatever");
  g_assert_error (error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_TLS);
  g_assert_false (docket_sync_get_signed_in (fixture->sync));

  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, NULL);
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, NULL))
    return FALSE;

  return memmem (contents, len, needle, strlen (needle)) != NULL;
}

static void
test_token_in_secret_service (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  sign_in_and_sync (fixture, "daibieu1");

  token = lookup_token (fixture);
  g_assert_nonnull (token);
  g_assert_cmpuint (strlen (token), >=, 32);

  docket_test_client_close_profile (fixture);   /* flush the WAL into the file too */
  collect_files (fixture->profile, files);
  g_assert_cmpuint (files->len, >, 0);
  for (guint i = 0; i < files->len; i++)
    g_assert_false (file_contains (g_ptr_array_index (files, i), token));
  docket_test_client_open_profile (fixture);
}

static void
test_full_then_unchanged (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) meetings = NULL;
  guint requests, changes_before, n_docs;

  sign_in_as (fixture, "daibieu1");

  error = docket_test_sync_run (fixture->sync);
  g_assert_no_error (error);
  g_assert_cmpint (docket_sync_get_state (fixture->sync), ==, DOCKET_SYNC_STATE_IDLE);
  g_assert_nonnull (docket_sync_get_last_synced (fixture->sync));
  g_assert_null (docket_sync_get_error_message (fixture->sync));

  meetings = docket_store_list_meetings (fixture->store, &error);
  g_assert_cmpuint (meetings->len, >=, 2);
  n_docs = assert_all_documents_verified (fixture->store);
  g_assert_cmpuint (n_docs, >, 0);
  g_assert_cmpuint (docket_sync_get_bytes_done (fixture->sync), ==,
                    docket_sync_get_bytes_total (fixture->sync));
  g_assert_cmpuint (docket_sync_get_bytes_total (fixture->sync), >, 0);

  /* Nothing new: exactly one request, and the server saw exactly one. */
  requests = docket_sync_get_request_count (fixture->sync);
  changes_before = docket_test_server_wait_for_requests (fixture->server, "GET", "/api/v1/changes", 1);
  error = docket_test_sync_run (fixture->sync);
  g_assert_no_error (error);
  g_assert_cmpuint (docket_sync_get_request_count (fixture->sync), ==, requests + 1);
  g_assert_cmpuint (docket_test_server_wait_for_requests (fixture->server, "GET", "/api/v1/changes",
                                                          changes_before + 1),
                    ==, changes_before + 1);

  /* A new engine on the same profile (the next start of the app) also costs one
   * request: the token comes from the Secret Service, no /session or /info. */
  docket_test_client_close_profile (fixture);
  docket_test_client_open_profile (fixture);
  g_assert_true (docket_sync_get_signed_in (fixture->sync));
  error = docket_test_sync_run (fixture->sync);
  g_assert_no_error (error);
  g_assert_cmpuint (docket_sync_get_request_count (fixture->sync), ==, 1);
  g_assert_cmpuint (docket_test_server_count_requests (fixture->server, "GET", "/api/v1/session"), ==, 0);
  g_assert_cmpuint (docket_test_server_count_requests (fixture->server, "GET", "/api/v1/info"), ==, 0);
}

static void
test_access_control (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hidden = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GPtrArray) docs = NULL;
  guint n_hidden_docs = 0;
  guint files_before;
  const char *who = "daibieu5";

  hidden = find_meeting_without (fixture, who, &n_hidden_docs);
  g_assert_nonnull (hidden);
  g_assert_cmpuint (n_hidden_docs, >, 0);

  sign_in_and_sync (fixture, who);
  g_assert_false (cache_has_meeting (fixture->store, hidden));
  files_before = count_document_files (fixture);

  /* Added later: all of it arrives, old items and documents included. */
  path = g_strdup_printf ("/api/v1/meetings/%s/participants/%s", hidden, who);
  g_assert_cmpuint (secretary_call (fixture, "PUT", path, NULL), ==, 204);
  error = docket_test_sync_run (fixture->sync);
  g_assert_no_error (error);
  g_assert_true (cache_has_meeting (fixture->store, hidden));
  docs = docket_store_list_documents (fixture->store, hidden, &error);
  g_assert_cmpuint (docs->len, ==, n_hidden_docs);
  assert_all_documents_verified (fixture->store);
  g_assert_cmpuint (count_document_files (fixture), >, files_before);
  g_clear_pointer (&docs, g_ptr_array_unref);

  /* Removed: all of it goes, files included. */
  g_assert_cmpuint (secretary_call (fixture, "DELETE", path, NULL), ==, 204);
  error = docket_test_sync_run (fixture->sync);
  g_assert_no_error (error);
  g_assert_false (cache_has_meeting (fixture->store, hidden));
  docs = docket_store_list_documents (fixture->store, hidden, &error);
  g_assert_cmpuint (docs->len, ==, 0);
  g_assert_cmpuint (count_document_files (fixture), ==, files_before);
}

static void
test_back_to_draft (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) meetings = NULL;
  g_autoptr(GPtrArray) docs = NULL;
  g_autofree char *meeting_id = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);

  sign_in_and_sync (fixture, "daibieu1");

  meetings = docket_store_list_meetings (fixture->store, &error);
  for (guint i = 0; i < meetings->len && meeting_id == NULL; i++)
    {
      DocketStoreMeetingRow *row = g_ptr_array_index (meetings, i);
      if (row->meeting->status == DOCKET_MEETING_STATUS_PUBLISHED && row->n_documents > 0)
        meeting_id = g_strdup (row->meeting->id);
    }
  g_assert_nonnull (meeting_id);

  docs = docket_store_list_documents (fixture->store, meeting_id, &error);
  for (guint i = 0; i < docs->len; i++)
    {
      DocketStoreDocumentRow *row = g_ptr_array_index (docs, i);
      g_assert_nonnull (row->path);
      g_assert_true (g_file_test (row->path, G_FILE_TEST_EXISTS));
      g_ptr_array_add (paths, g_strdup (row->path));
    }

  path = g_strdup_printf ("/api/v1/meetings/%s", meeting_id);
  g_assert_cmpuint (secretary_call (fixture, "PATCH", path, "{\"status\": \"draft\"}"), ==, 200);
  error = docket_test_sync_run (fixture->sync);
  g_assert_no_error (error);

  g_assert_false (cache_has_meeting (fixture->store, meeting_id));
  for (guint i = 0; i < paths->len; i++)
    g_assert_false (g_file_test (g_ptr_array_index (paths, i), G_FILE_TEST_EXISTS));
}

static void
test_tombstone (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) meetings = NULL;
  g_autoptr(GPtrArray) docs = NULL;
  g_autoptr(DocketStoreDocumentRow) gone = NULL;
  g_autofree char *doc_id = NULL;
  g_autofree char *doc_path = NULL;
  g_autofree char *path = NULL;

  sign_in_and_sync (fixture, "daibieu1");

  meetings = docket_store_list_meetings (fixture->store, &error);
  for (guint i = 0; i < meetings->len && doc_id == NULL; i++)
    {
      DocketStoreMeetingRow *row = g_ptr_array_index (meetings, i);
      g_clear_pointer (&docs, g_ptr_array_unref);
      docs = docket_store_list_documents (fixture->store, row->meeting->id, &error);
      if (docs->len > 0)
        {
          DocketStoreDocumentRow *drow = g_ptr_array_index (docs, 0);
          doc_id = g_strdup (drow->document->id);
          doc_path = g_strdup (drow->path);
        }
    }
  g_assert_nonnull (doc_id);
  g_assert_true (g_file_test (doc_path, G_FILE_TEST_EXISTS));

  path = g_strdup_printf ("/api/v1/documents/%s", doc_id);
  g_assert_cmpuint (secretary_call (fixture, "DELETE", path, NULL), ==, 204);
  error = docket_test_sync_run (fixture->sync);
  g_assert_no_error (error);

  gone = docket_store_get_document (fixture->store, doc_id, &error);
  g_assert_no_error (error);
  g_assert_null (gone);
  g_assert_false (g_file_test (doc_path, G_FILE_TEST_EXISTS));
}

static void
test_resume_with_range (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) meetings = NULL;
  g_autoptr(GPtrArray) docs = NULL;
  g_autoptr(DocketStoreDocumentRow) row = NULL;
  g_autofree char *doc_id = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *blob = NULL;
  g_autofree char *partial = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *needle = NULL;
  g_autofree char *check = NULL;
  gsize len = 0;

  sign_in_and_sync (fixture, "daibieu1");

  meetings = docket_store_list_meetings (fixture->store, &error);
  docs = docket_store_list_documents (fixture->store,
                                      ((DocketStoreMeetingRow *) g_ptr_array_index (meetings, 0))->meeting->id,
                                      &error);
  g_assert_cmpuint (docs->len, >, 0);
  doc_id = g_strdup (((DocketStoreDocumentRow *) g_ptr_array_index (docs, 0))->document->id);
  sha = g_strdup (((DocketStoreDocumentRow *) g_ptr_array_index (docs, 0))->document->sha256);
  blob = docket_store_dup_blob_path (fixture->store, sha);
  partial = docket_store_dup_partial_path (fixture->store, sha);

  /* As if the download had been cut off half way: the first half of the real bytes in
   * the partial file, no complete file. */
  g_assert_true (g_file_get_contents (blob, &contents, &len, NULL));
  g_assert_cmpuint (len, >, 1000);
  docket_test_client_close_profile (fixture);
  g_assert_cmpint (g_unlink (blob), ==, 0);
  g_assert_true (g_file_set_contents (partial, contents, (gssize) (len / 2), NULL));

  docket_test_client_open_profile (fixture);
  error = docket_test_sync_run (fixture->sync);
  g_assert_no_error (error);

  /* Not wait_for_requests (..., 1): the first sync's lines satisfy it at once. */
  needle = g_strdup_printf ("GET /api/v1/documents/%s/content 206", doc_id);
  g_assert_true (wait_for_log (fixture, needle));

  row = docket_store_get_document (fixture->store, doc_id, &error);
  g_assert_nonnull (row->path);
  check = docket_test_file_sha256 (row->path);
  g_assert_cmpstr (check, ==, sha);
  g_assert_false (g_file_test (partial, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (docket_sync_get_bytes_total (fixture->sync), ==, len);
  g_assert_cmpuint (docket_sync_get_bytes_done (fixture->sync), ==, len);
}

static void
test_corrupt_document (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) feed = docket_test_client_secretary_feed (fixture);
  JsonArray *changes = json_object_get_array_member (json_node_get_object (feed), "changes");
  g_autofree char *server_blob = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *client_blob = NULL;
  g_autofree char *client_partial = NULL;
  g_autofree char *contents = NULL;
  gsize len = 0;
  char subdir[3] = { 0 };

  /* The first document of the feed that daibieu1 sees (every demo official sees the
   * first meeting). */
  for (guint i = 0; i < json_array_get_length (changes) && sha == NULL; i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);
      if (g_str_equal (json_object_get_string_member (change, "type"), "document"))
        sha = g_strdup (json_object_get_string_member (json_object_get_object_member (change, "data"),
                                                       "sha256"));
    }
  g_assert_nonnull (sha);

  subdir[0] = sha[0];
  subdir[1] = sha[1];
  server_blob = g_strdup_printf ("%s/blobs/%s/%s.pdf",
                                 docket_test_server_get_data_dir (fixture->server), subdir, sha);
  g_assert_true (g_file_get_contents (server_blob, &contents, &len, NULL));
  contents[len / 2] ^= 0x55;   /* same size, different bytes */
  g_assert_true (g_file_set_contents (server_blob, contents, (gssize) len, NULL));

  sign_in_as (fixture, "daibieu1");
  error = docket_test_sync_run (fixture->sync);
  g_assert_error (error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_CHECKSUM);
  g_assert_cmpint (docket_sync_get_state (fixture->sync), ==, DOCKET_SYNC_STATE_ERROR);
  g_assert_nonnull (docket_sync_get_error_message (fixture->sync));

  client_blob = docket_store_dup_blob_path (fixture->store, sha);
  client_partial = docket_store_dup_partial_path (fixture->store, sha);
  g_assert_false (g_file_test (client_blob, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (client_partial, G_FILE_TEST_EXISTS));
}

static void
test_invalid_cursor (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db_path = g_build_filename (fixture->profile, "docket.db", NULL);
  g_autofree char *cursor = NULL;
  sqlite3 *db = NULL;
  guint n_docs;

  sign_in_and_sync (fixture, "daibieu1");
  n_docs = assert_all_documents_verified (fixture->store);

  /* A cursor from the future, as after the server was restored from a backup. */
  docket_test_client_close_profile (fixture);
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE account SET cursor = '999999999'", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  docket_test_client_open_profile (fixture);

  error = docket_test_sync_run (fixture->sync);
  g_assert_no_error (error);
  cursor = docket_store_dup_cursor (fixture->store);
  g_assert_cmpstr (cursor, !=, "999999999");
  g_assert_cmpuint (assert_all_documents_verified (fixture->store), ==, n_docs);
}

static void
test_revoked_token (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GBytes) answer = NULL;

  sign_in_as (fixture, "daibieu1");
  token = lookup_token (fixture);
  url = g_strconcat (docket_test_server_get_url (fixture->server), "/api/v1/session", NULL);
  g_assert_cmpuint (docket_test_http ("DELETE", url, token, NULL, NULL, &answer), ==, 204);

  error = docket_test_sync_run (fixture->sync);
  g_assert_error (error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_SIGNED_OUT);
  g_assert_cmpint (docket_sync_get_state (fixture->sync), ==, DOCKET_SYNC_STATE_SIGNED_OUT);
  g_assert_false (docket_sync_get_signed_in (fixture->sync));
  g_assert_nonnull (docket_sync_get_error_message (fixture->sync));
}

/* A full disk: the sync fails with a clear error, keeps no file that is not complete and
 * verified, keeps the cache usable, and the next sync with room again completes. */
static void
test_disk_full (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) meetings = NULL;

  sign_in_as (fixture, "daibieu1");

  /* Tight: even the cache's own database cannot grow. The page is not applied, and the
   * cache stays as it was: empty. */
  error = docket_test_sync_run_with_file_size_limit (fixture->sync, 8 * 1024);
  g_assert_error (error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_STORE);
  g_assert_cmpint (docket_sync_get_state (fixture->sync), ==, DOCKET_SYNC_STATE_ERROR);
  g_assert_nonnull (docket_sync_get_error_message (fixture->sync));
  g_clear_error (&error);
  meetings = docket_store_list_meetings (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (meetings->len, ==, 0);
  g_clear_pointer (&meetings, g_ptr_array_unref);
  g_assert_null (docket_store_dup_cursor (fixture->store));

  /* Room for the database and the demo documents, not for a large document the
   * secretary adds: the agenda is there, and no document file is kept that is not whole
   * and verified. */
  {
    g_autofree char *item = docket_test_client_find_item_of (fixture, "daibieu1", NULL);
    g_autofree char *url = NULL;
    g_autoptr(GBytes) pdf = docket_test_make_pdf (600 * 1024);
    g_autoptr(GBytes) answer = NULL;

    g_assert_nonnull (item);
    url = g_strdup_printf ("%s/api/v1/items/%s/documents?title=Large",
                           docket_test_server_get_url (fixture->server), item);
    g_assert_cmpuint (docket_test_http ("POST", url, fixture->secretary_token, "application/pdf",
                                        pdf, &answer), ==, 201);
  }
  error = docket_test_sync_run_with_file_size_limit (fixture->sync, 400 * 1024);
  g_assert_error (error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_STORE);
  g_clear_error (&error);
  meetings = docket_store_list_meetings (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (meetings->len, >=, 2);
  {
    guint offline = 0, total = 0;

    for (guint i = 0; i < meetings->len; i++)
      {
        DocketStoreMeetingRow *mrow = g_ptr_array_index (meetings, i);
        g_autoptr(GPtrArray) docs = docket_store_list_documents (fixture->store, mrow->meeting->id, &error);

        g_assert_no_error (error);
        offline += mrow->n_documents_offline;
        total += mrow->n_documents;
        for (guint j = 0; j < docs->len; j++)
          {
            DocketStoreDocumentRow *row = g_ptr_array_index (docs, j);
            g_autofree char *sha = row->path != NULL ? docket_test_file_sha256 (row->path) : NULL;

            if (row->path != NULL)
              g_assert_cmpstr (sha, ==, row->document->sha256);
          }
      }
    g_assert_cmpuint (offline, >, 0);
    g_assert_cmpuint (offline, ==, total - 1);   /* all but the large one */
  }

  /* Room again: the same profile, reopened as after a restart, completes. */
  docket_test_client_close_profile (fixture);
  docket_test_client_open_profile (fixture);
  error = docket_test_sync_run (fixture->sync);
  g_assert_no_error (error);
  g_assert_cmpuint (assert_all_documents_verified (fixture->store), >, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/sync/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("sign-in/wrong-password", test_sign_in_wrong_password);
  ADD ("sign-in/unreachable", test_sign_in_unreachable);
  ADD ("sign-in/plain-http-refused", test_sign_in_plain_http_refused);
  ADD ("sign-in/bad-certificate", test_sign_in_bad_certificate);
  ADD ("token-in-secret-service", test_token_in_secret_service);
  ADD ("full-then-unchanged", test_full_then_unchanged);
  ADD ("access-control", test_access_control);
  ADD ("back-to-draft", test_back_to_draft);
  ADD ("tombstone", test_tombstone);
  ADD ("resume-with-range", test_resume_with_range);
  ADD ("corrupt-document", test_corrupt_document);
  ADD ("invalid-cursor", test_invalid_cursor);
  ADD ("revoked-token", test_revoked_token);
  ADD ("disk-full", test_disk_full);

#undef ADD

  return g_test_run ();
}
