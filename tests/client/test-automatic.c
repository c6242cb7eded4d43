/* test-automatic.c: automatic mode against the real docket-server going down and up
 *
 * The engine is signed in to a real docket-server, which then stops. Started in automatic
 * mode, the engine must say why it cannot sync (state ERROR or OFFLINE, with a message);
 * when the server comes back on the same port, it must sync by itself within its
 * back-off ("backoff-initial-ms", short here), without anyone asking.
 *
 * tests/lib starts servers on a random port only, so this test runs the real server
 * binary (DOCKET_SERVER) itself, on a port it chooses, with a data folder it keeps.
 */
#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>

#include "docket-store.h"
#include "docket-sync.h"
#include "docket-test-client.h"

#define WAIT_TIMEOUT_SECONDS 30
#define BACKOFF_MS           100
#define USERNAME             "daibieu9"
#define PASSWORD             "mat-khau-thu-nghiem-9"

typedef struct {
  char        *tmpdir;
  char        *data_dir;
  char        *log_path;
  char        *url;
  guint16      port;
  GSubprocess *server;
  DocketStore *store;
  DocketSync  *sync;
} Fixture;

static gboolean
timeout_cb (gpointer user_data)
{
  g_error ("timed out waiting for %s", (const char *) user_data);
  return G_SOURCE_REMOVE;
}

static const char *
get_server_binary (void)
{
  const char *binary = g_getenv ("DOCKET_SERVER");

  if (binary == NULL)
    g_error ("DOCKET_SERVER is not set: run this test through meson test");
  return binary;
}

/* A loopback port nobody listens on: bind one, note it, close it. */
static guint16
pick_free_port (void)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, address, TRUE, &error));
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);

  return port;
}

/* Starts docket-server on the fixture's port and data, and returns once it has said
 * "listening on" (it says so when it accepts connections). */
static void
server_start (Fixture *fixture)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%u", fixture->port);
  g_autofree char *line = NULL;

  g_assert_null (fixture->server);

  /* Append: the log of both lives of the server. */
  g_subprocess_launcher_set_stderr_file_path (launcher, NULL);
  {
    int fd = g_open (fixture->log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    g_assert_cmpint (fd, >=, 0);
    g_subprocess_launcher_take_stderr_fd (launcher, fd);
  }

  fixture->server = g_subprocess_launcher_spawn (launcher, &error, get_server_binary (),
                                                 "--data", fixture->data_dir,
                                                 "--listen", listen, NULL);
  g_assert_no_error (error);

  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (fixture->server));
  while ((line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error)) != NULL)
    {
      if (g_str_has_prefix (line, "listening on "))
        break;
      g_clear_pointer (&line, g_free);
    }
  g_assert_no_error (error);
  if (line == NULL)
    g_error ("docket-server did not start on %s; see %s", listen, fixture->log_path);
}

static void
server_stop (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  if (fixture->server == NULL)
    return;

  g_subprocess_send_signal (fixture->server, SIGTERM);
  g_assert_true (g_subprocess_wait (fixture->server, NULL, &error));
  g_assert_no_error (error);

  /* A clean exit: under AddressSanitizer, a non-zero status reports the server's leaks. */
  if (g_subprocess_get_if_exited (fixture->server))
    g_assert_cmpint (g_subprocess_get_exit_status (fixture->server), ==, 0);
  else
    g_assert_cmpint (g_subprocess_get_term_sig (fixture->server), ==, SIGTERM);

  g_clear_object (&fixture->server);
}

static void
add_user (Fixture *fixture)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GBytes) input = g_bytes_new_static (PASSWORD, strlen (PASSWORD));
  g_autoptr(GError) error = NULL;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE,
                              &error, get_server_binary (), "--data", fixture->data_dir,
                              "user", "add", USERNAME, "--role", "official",
                              "--organ", "HĐND tỉnh", "--display-name", "Đại biểu 9", NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate (process, input, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (process));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *profile = NULL;
  DocketTestResult result = { 0 };

  fixture->tmpdir = docket_test_make_tmpdir ("client-automatic");
  fixture->data_dir = g_build_filename (fixture->tmpdir, "data", NULL);
  fixture->log_path = g_build_filename (fixture->tmpdir, "server.log", NULL);
  g_assert_cmpint (g_mkdir (fixture->data_dir, 0700), ==, 0);
  fixture->port = pick_free_port ();
  fixture->url = g_strdup_printf ("http://127.0.0.1:%u", fixture->port);

  add_user (fixture);
  server_start (fixture);

  profile = g_build_filename (fixture->tmpdir, "profile", NULL);
  docket_test_profile_open (profile, &fixture->store, &fixture->sync);

  /* This test's own, shorter timeout. */
  docket_sync_sign_in_async (fixture->sync, fixture->url, USERNAME, PASSWORD, NULL,
                             docket_test_sign_in_cb, &result);
  docket_test_wait_for_result (&result, WAIT_TIMEOUT_SECONDS, "the sign-in");
  g_assert_no_error (result.error);
  g_assert_true (docket_sync_get_signed_in (fixture->sync));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->sync != NULL)
    docket_sync_stop_automatic (fixture->sync);
  docket_test_profile_close (&fixture->store, &fixture->sync);
  server_stop (fixture);
  docket_test_rmtree (fixture->tmpdir);
  g_free (fixture->tmpdir);
  g_free (fixture->data_dir);
  g_free (fixture->log_path);
  g_free (fixture->url);
}

/* Waits, on the engine's own notifications, until its state is one of two. */
static void
wait_for_state (DocketSync      *sync,
                DocketSyncState  state_a,
                DocketSyncState  state_b,
                const char      *what)
{
  guint timeout_id = g_timeout_add_seconds (WAIT_TIMEOUT_SECONDS, timeout_cb, (gpointer) what);

  while (docket_sync_get_state (sync) != state_a && docket_sync_get_state (sync) != state_b)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (timeout_id);
}

static void
test_property (Fixture       *fixture,
               gconstpointer  data)
{
  guint value = 0;

  /* The default is a few seconds; the knob is a real property. */
  g_assert_cmpuint (docket_sync_get_backoff_initial_ms (fixture->sync), >=, 1000);
  g_object_set (fixture->sync, "backoff-initial-ms", 250, NULL);
  g_object_get (fixture->sync, "backoff-initial-ms", &value, NULL);
  g_assert_cmpuint (value, ==, 250);
}

static void
test_server_down_then_up (Fixture       *fixture,
                          gconstpointer  data)
{
  gint64 back_at;
  gint64 synced_after_ms;
  guint requests_down;

  docket_sync_set_backoff_initial_ms (fixture->sync, BACKOFF_MS);
  g_assert_cmpuint (docket_sync_get_request_count (fixture->sync), ==, 1);   /* the sign-in */
  g_assert_null (docket_sync_get_last_synced (fixture->sync));

  /* The server goes away; automatic mode starts: a run fails, and says why. */
  server_stop (fixture);
  docket_sync_start_automatic (fixture->sync);
  wait_for_state (fixture->sync, DOCKET_SYNC_STATE_OFFLINE, DOCKET_SYNC_STATE_OFFLINE,
                  "the engine to notice that the server is down");
  g_assert_nonnull (docket_sync_get_error_message (fixture->sync));
  g_assert_nonnull (strstr (docket_sync_get_error_message (fixture->sync), fixture->url));
  g_assert_null (docket_sync_get_last_synced (fixture->sync));
  requests_down = docket_sync_get_request_count (fixture->sync);

  /* The server comes back on the same port: nobody asks, the engine syncs by itself. */
  server_start (fixture);
  back_at = g_get_monotonic_time ();
  wait_for_state (fixture->sync, DOCKET_SYNC_STATE_IDLE, DOCKET_SYNC_STATE_IDLE,
                  "the engine to sync by itself once the server is back");
  synced_after_ms = (g_get_monotonic_time () - back_at) / 1000;

  g_assert_nonnull (docket_sync_get_last_synced (fixture->sync));
  g_assert_null (docket_sync_get_error_message (fixture->sync));
  g_assert_true (docket_sync_get_signed_in (fixture->sync));
  g_test_message ("synced %" G_GINT64_FORMAT " ms after the server came back", synced_after_ms);

  /* Within the back-off: the few doublings of 100 ms that fit in the server's start-up,
   * far below the default's 5 s. */
  g_assert_cmpint (synced_after_ms, <, 4000);

  /* It was a new run (a request after those that failed), and it reached the real
   * server: only a 200 answer to GET /changes ends a run without an error. */
  g_assert_cmpuint (docket_sync_get_request_count (fixture->sync), >, requests_down);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/automatic/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("backoff-property", test_property);
  ADD ("server-down-then-up", test_server_down_then_up);

#undef ADD

  return g_test_run ();
}
