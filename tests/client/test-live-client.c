/* test-live-client.c: the client's live channel against the real docket-server
 *
 * A client in automatic mode (whose poll comes every five minutes, far beyond these
 * waits) keeps a WebSocket to /api/v1/live and pulls when the server says something
 * changed: a secretary's change reaches its store within the test's wait; through a
 * server restart the channel says RECONNECTING, then LIVE again, and what changed
 * meanwhile arrives; a revoked token closes the channel with 4401, the engine asks for
 * a sign-in, and nothing reconnects; a server that stops answering without closing is
 * given up after three silent heartbeats, and connected to again.
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "docket-credentials.h"
#include "docket-store.h"
#include "docket-sync.h"
#include "docket-sync-enums.h"
#include "docket-test-client.h"

typedef DocketTestClient Fixture;

/* The live states the engine went through, in order. */
typedef struct {
  DocketSync *sync;
  GArray     *states;   /* DocketLiveState */
} StateLog;

static void
live_state_cb (DocketSync *sync,
               GParamSpec *pspec,
               StateLog   *log)
{
  DocketLiveState state = docket_sync_get_live_state (sync);

  g_array_append_val (log->states, state);
}

static void
state_log_start (StateLog   *log,
                 DocketSync *sync)
{
  log->sync = sync;
  log->states = g_array_new (FALSE, FALSE, sizeof (DocketLiveState));
  g_signal_connect (sync, "notify::live-state", G_CALLBACK (live_state_cb), log);
}

static void
state_log_stop (StateLog *log)
{
  g_signal_handlers_disconnect_by_func (log->sync, live_state_cb, log);
  g_clear_pointer (&log->states, g_array_unref);
}

/* Whether state comes in the log, and then after it. */
static gboolean
state_log_has_sequence (StateLog        *log,
                        DocketLiveState  first,
                        DocketLiveState  then)
{
  gboolean seen_first = FALSE;

  for (guint i = 0; i < log->states->len; i++)
    {
      DocketLiveState state = g_array_index (log->states, DocketLiveState, i);

      if (state == first)
        seen_first = TRUE;
      else if (seen_first && state == then)
        return TRUE;
    }

  return FALSE;
}

/* Conditions */

static gboolean
is_live (gpointer data)
{
  Fixture *fixture = data;

  return docket_sync_get_live_state (fixture->sync) == DOCKET_LIVE_STATE_LIVE &&
         docket_sync_get_state (fixture->sync) == DOCKET_SYNC_STATE_IDLE;
}

static gboolean
is_reconnecting (gpointer data)
{
  Fixture *fixture = data;

  return docket_sync_get_live_state (fixture->sync) == DOCKET_LIVE_STATE_RECONNECTING;
}

static gboolean
is_signed_out (gpointer data)
{
  Fixture *fixture = data;

  return docket_sync_get_state (fixture->sync) == DOCKET_SYNC_STATE_SIGNED_OUT;
}

/* The store's title of a meeting, waited for on its "changed" signal. */
typedef struct {
  DocketStore *store;
  const char  *meeting_id;
  const char  *title;
  gboolean     arrived;
} TitleWait;

static void
store_changed_cb (DocketStore *store,
                  TitleWait   *wait)
{
  g_autoptr(DocketMeetingRecord) meeting = docket_store_get_meeting (store, wait->meeting_id, NULL);

  if (meeting != NULL && g_strcmp0 (meeting->title, wait->title) == 0)
    wait->arrived = TRUE;
}

static gboolean
title_arrived (gpointer data)
{
  return ((TitleWait *) data)->arrived;
}

static void
wait_for_title (Fixture    *fixture,
                const char *meeting_id,
                const char *title,
                const char *what)
{
  TitleWait wait = { fixture->store, meeting_id, title, FALSE };
  gulong handler = g_signal_connect (fixture->store, "changed", G_CALLBACK (store_changed_cb), &wait);

  store_changed_cb (fixture->store, &wait);
  docket_test_wait_until (title_arrived, &wait, DOCKET_TEST_WAIT_SECONDS, what);
  g_signal_handler_disconnect (fixture->store, handler);
}

/* The secretary's side */

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

/* Signs daibieu1 in, starts automatic mode, waits until the first run is done and the
 * channel is live. Returns a meeting of daibieu1. */
static char *
start_live_client (Fixture *fixture)
{
  char *meeting_id = NULL;
  g_autofree char *item_id = docket_test_client_find_item_of (fixture, "daibieu1", &meeting_id);

  g_assert_nonnull (meeting_id);
  docket_test_client_sign_in_as (fixture, "daibieu1");
  g_assert_cmpint (docket_sync_get_live_state (fixture->sync), ==, DOCKET_LIVE_STATE_OFFLINE);

  docket_sync_start_automatic (fixture->sync);
  docket_test_wait_until (is_live, fixture, DOCKET_TEST_WAIT_SECONDS, "the live channel");

  return meeting_id;
}

/* 1. A change reaches the store through the channel, long before the next poll. */
static void
test_change_arrives (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *meeting_id = start_live_client (fixture);
  guint runs_before = docket_test_server_count_requests (fixture->server, "GET", "/api/v1/changes");

  rename_meeting (fixture, meeting_id, "Kỳ họp trực tiếp");
  wait_for_title (fixture, meeting_id, "Kỳ họp trực tiếp", "the change through the live channel");

  /* One connection (each attempt reads the server's info first; the upgrade itself is
   * not in the server's request log), and a pull for the change. */
  g_assert_cmpuint (docket_test_server_count_requests (fixture->server, "GET", "/api/v1/info"), ==, 1);
  g_assert_cmpuint (docket_test_server_count_requests (fixture->server, "GET", "/api/v1/changes"),
                    >, runs_before);
  g_assert_cmpint (docket_sync_get_live_state (fixture->sync), ==, DOCKET_LIVE_STATE_LIVE);

  docket_sync_stop_automatic (fixture->sync);
  g_assert_cmpint (docket_sync_get_live_state (fixture->sync), ==, DOCKET_LIVE_STATE_OFFLINE);
}

/* 2. The server dies and comes back: the channel reconnects, and catches up. */
static void
test_server_restart (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *meeting_id = start_live_client (fixture);
  StateLog log = { 0 };

  state_log_start (&log, fixture->sync);

  docket_test_server_kill (fixture->server);
  docket_test_wait_until (is_reconnecting, fixture, DOCKET_TEST_WAIT_SECONDS,
                          "the channel to see the server gone");
  docket_test_server_restart (fixture->server);
  /* Before the client's loop runs again, so before it can reconnect: a change it can
   * only learn of by catching up. */
  rename_meeting (fixture, meeting_id, "Kỳ họp sau khi khởi động lại");

  wait_for_title (fixture, meeting_id, "Kỳ họp sau khi khởi động lại",
                  "the change made while the channel was down");
  docket_test_wait_until (is_live, fixture, DOCKET_TEST_WAIT_SECONDS, "the channel live again");
  g_assert_true (state_log_has_sequence (&log, DOCKET_LIVE_STATE_RECONNECTING, DOCKET_LIVE_STATE_LIVE));

  state_log_stop (&log);
  docket_sync_stop_automatic (fixture->sync);
}

/* 3. The token revoked: the server closes with 4401, the engine is signed out, and
 * the channel does not come back. */

static void
token_found_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  char **token = user_data;
  g_autoptr(GError) error = NULL;

  *token = docket_credentials_lookup_finish (result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (*token);
}

static gboolean
pointer_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static gboolean
deadline_passed (gpointer data)
{
  return g_get_monotonic_time () >= *(gint64 *) data;
}

static gboolean
tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static void
test_token_revoked (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *meeting_id = start_live_client (fixture);
  g_autofree char *token = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GBytes) answer = NULL;
  guint infos;
  gint64 deadline;
  guint tick;

  docket_credentials_lookup_async (docket_store_get_profile_dir (fixture->store),
                                   docket_sync_get_server_url (fixture->sync), "daibieu1", NULL,
                                   token_found_cb, &token);
  docket_test_wait_until (pointer_set, &token, DOCKET_TEST_WAIT_SECONDS, "the client's token");

  url = g_strdup_printf ("%s/api/v1/session", docket_test_server_get_url (fixture->server));
  g_assert_cmpuint (docket_test_http ("DELETE", url, token, NULL, NULL, &answer), ==, 204);

  docket_test_wait_until (is_signed_out, fixture, DOCKET_TEST_WAIT_SECONDS, "the engine signed out");
  g_assert_false (docket_sync_get_signed_in (fixture->sync));
  g_assert_nonnull (docket_sync_get_error_message (fixture->sync));
  g_assert_cmpint (docket_sync_get_live_state (fixture->sync), ==, DOCKET_LIVE_STATE_OFFLINE);
  /* Each attempt to connect reads the server's info first (the upgrade itself is not in
   * the server's request log): one attempt so far. */
  infos = docket_test_server_count_requests (fixture->server, "GET", "/api/v1/info");
  g_assert_cmpuint (infos, ==, 1);

  /* A reconnection would come within the first back-off (at most 1.5 s): none does,
   * for twice that. Only the absence of something can be waited for by time. */
  deadline = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
  tick = g_timeout_add (50, tick_cb, NULL);
  docket_test_wait_until (deadline_passed, &deadline, DOCKET_TEST_WAIT_SECONDS, "three seconds");
  g_source_remove (tick);
  g_assert_cmpuint (docket_test_server_count_requests (fixture->server, "GET", "/api/v1/info"), ==, infos);
  g_assert_cmpint (docket_sync_get_state (fixture->sync), ==, DOCKET_SYNC_STATE_SIGNED_OUT);
}

/* 4. A server that stops answering, with its sockets open (SIGSTOP: a hung process, a
 * NAT that dropped the flow): nothing arrives for three heartbeats (one second each
 * here), and the client closes the connection and connects again once the server is
 * back. */
static void
test_silent_server (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *meeting_id = start_live_client (fixture);
  guint infos = docket_test_server_count_requests (fixture->server, "GET", "/api/v1/info");
  StateLog log = { 0 };

  state_log_start (&log, fixture->sync);
  docket_test_server_pause (fixture->server, TRUE);
  docket_test_wait_until (is_reconnecting, fixture, DOCKET_TEST_WAIT_SECONDS,
                          "the channel to give up on a silent server");
  docket_test_server_pause (fixture->server, FALSE);

  docket_test_wait_until (is_live, fixture, DOCKET_TEST_WAIT_SECONDS, "the channel live again");
  g_assert_true (state_log_has_sequence (&log, DOCKET_LIVE_STATE_RECONNECTING, DOCKET_LIVE_STATE_LIVE));
  g_assert_cmpuint (docket_test_server_wait_for_requests (fixture->server, "GET", "/api/v1/info", infos + 1),
                    >, infos);

  rename_meeting (fixture, meeting_id, "Kỳ họp sau khi máy chủ im lặng");
  wait_for_title (fixture, meeting_id, "Kỳ họp sau khi máy chủ im lặng", "a change on the new connection");

  state_log_stop (&log);
  docket_sync_stop_automatic (fixture->sync);
}

/* data: the server's heartbeat in seconds as text, or NULL for its default. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  if (data != NULL)
    g_setenv ("DOCKET_SERVER_TEST_LIVE_HEARTBEAT_SECONDS", data, TRUE);
  docket_test_client_set_up (fixture, "client-live");
  g_unsetenv ("DOCKET_SERVER_TEST_LIVE_HEARTBEAT_SECONDS");
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

  g_test_add ("/live/change-arrives", Fixture, NULL, fixture_set_up,
              test_change_arrives, fixture_tear_down);
  g_test_add ("/live/server-restart", Fixture, NULL, fixture_set_up,
              test_server_restart, fixture_tear_down);
  g_test_add ("/live/token-revoked", Fixture, NULL, fixture_set_up,
              test_token_revoked, fixture_tear_down);
  g_test_add ("/live/silent-server", Fixture, "1", fixture_set_up,
              test_silent_server, fixture_tear_down);

  return g_test_run ();
}
