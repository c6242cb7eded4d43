/* test-automatic.c: automatic mode against the real docket-server going down and up
 *
 * The engine is signed in to a real docket-server, which then stops. Started in automatic
 * mode, the engine must say why it cannot sync (state ERROR or OFFLINE, with a message);
 * when the server comes back on the same port, it must sync by itself within its
 * back-off ("backoff-initial-ms", short here), without anyone asking.
 *
 * The server is tests/lib's, shut down and started again on the same port and data
 * folder (docket_test_server_shut_down, docket_test_server_restart).
 */
#include "config.h"

#include <string.h>

#include "docket-store.h"
#include "docket-sync.h"
#include "docket-test-client.h"

#define WAIT_TIMEOUT_SECONDS 30
#define BACKOFF_MS           100
#define USERNAME             "daibieu9"
#define PASSWORD             "mat-khau-thu-nghiem-9"

typedef struct {
  DocketTestServer *server;
  char             *tmpdir;
  DocketStore      *store;
  DocketSync       *sync;
} Fixture;

/* An official of our own on the server, with a password we know. */
static void
add_user (Fixture *fixture)
{
  int status = docket_test_server_admin (fixture->server, PASSWORD, NULL,
                                         "user", "add", USERNAME, "--role", "official",
                                         "--organ", "HĐND tỉnh", "--display-name", "Đại biểu 9", NULL);

  g_assert_cmpint (status, ==, 0);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *profile = NULL;
  DocketTestResult result = { 0 };

  fixture->tmpdir = docket_test_make_tmpdir ("client-automatic");
  fixture->server = docket_test_server_start (FALSE);
  add_user (fixture);

  profile = g_build_filename (fixture->tmpdir, "profile", NULL);
  docket_test_profile_open (profile, &fixture->store, &fixture->sync);

  /* This test's own, shorter timeout. */
  docket_sync_sign_in_async (fixture->sync, docket_test_server_get_url (fixture->server), USERNAME, PASSWORD, NULL,
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
  docket_test_server_stop (fixture->server);
  docket_test_rmtree (fixture->tmpdir);
  g_free (fixture->tmpdir);
}

/* Waits, on the engine's own notifications, until its state is one of two. */
static void
wait_for_state (DocketSync      *sync,
                DocketSyncState  state_a,
                DocketSyncState  state_b,
                const char      *what)
{
  guint timeout_id = docket_test_watchdog_add (WAIT_TIMEOUT_SECONDS, what);

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
  docket_test_server_shut_down (fixture->server);
  docket_sync_start_automatic (fixture->sync);
  wait_for_state (fixture->sync, DOCKET_SYNC_STATE_OFFLINE, DOCKET_SYNC_STATE_OFFLINE,
                  "the engine to notice that the server is down");
  g_assert_nonnull (docket_sync_get_error_message (fixture->sync));
  g_assert_nonnull (strstr (docket_sync_get_error_message (fixture->sync),
                           docket_test_server_get_url (fixture->server)));
  g_assert_null (docket_sync_get_last_synced (fixture->sync));
  requests_down = docket_sync_get_request_count (fixture->sync);

  /* The server comes back on the same port: nobody asks, the engine syncs by itself. */
  docket_test_server_restart (fixture->server);
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
