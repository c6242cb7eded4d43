/* test-live-backoff.c: the client's live channel does not hammer a server that is down
 * when the system keeps saying that the network changed
 *
 * The channel reconnects after a delay that doubles (docs/protocol.md, "The live
 * channel"), and at once when the network comes back. A "network-changed" while the
 * network stays up (a route, an interface: some systems tell of one every few seconds,
 * and every laptop in the room hears it) must not start the back-off again: with the
 * server killed, each change is followed by the next attempt's delay, which keeps
 * doubling; the server started again, the channel comes back.
 */
#include "config.h"

#include <string.h>

#include "docket-sync.h"
#include "docket-test-client.h"

typedef DocketTestClient Fixture;

#define NEXT_ATTEMPT "live: next attempt in "

/* The delays the channel announced (its debug messages), in order. */
static GArray *delays;

static GLogWriterOutput
record_delays (GLogLevelFlags   level,
               const GLogField *fields,
               gsize            n_fields,
               gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0 &&
        g_str_has_prefix (fields[i].value, NEXT_ATTEMPT))
      {
        guint delay = (guint) g_ascii_strtoull ((const char *) fields[i].value + strlen (NEXT_ATTEMPT),
                                                NULL, 10);

        g_array_append_val (delays, delay);
      }
  return g_log_writer_default (level, fields, n_fields, user_data);
}

static gboolean
is_live (gpointer data)
{
  Fixture *fixture = data;

  return docket_sync_get_live_state (fixture->sync) == DOCKET_LIVE_STATE_LIVE &&
         docket_sync_get_state (fixture->sync) == DOCKET_SYNC_STATE_IDLE;
}

static gboolean
has_more_delays (gpointer data)
{
  return delays->len > GPOINTER_TO_UINT (data);
}

/* Waits for the next attempt to be scheduled; returns its delay. */
static guint
wait_next_delay (const char *what)
{
  guint seen = delays->len;

  docket_test_wait_until (has_more_delays, GUINT_TO_POINTER (seen), DOCKET_TEST_WAIT_SECONDS, what);
  return g_array_index (delays, guint, delays->len - 1);
}

static void
test_network_changes_keep_backoff (Fixture       *fixture,
                                   gconstpointer  data)
{
  GNetworkMonitor *monitor = g_network_monitor_get_default ();
  guint delay;

  g_assert_true (g_network_monitor_get_network_available (monitor));
  docket_test_client_sign_in_as (fixture, "daibieu1");
  docket_sync_start_automatic (fixture->sync);
  docket_test_wait_until (is_live, fixture, DOCKET_TEST_WAIT_SECONDS, "the live channel");

  docket_test_server_kill (fixture->server);
  delay = wait_next_delay ("the first attempt after the server died");
  /* 1 s and up to half of it again. */
  g_assert_cmpuint (delay, <, 2000);

  /* A change of the network while it stays up, three times: each attempt that follows
   * fails and doubles the delay (2 s, 4 s, 8 s, each with its jitter). Without the fix,
   * each change connected at once and started again from 1 s. */
  for (guint round = 0; round < 3; round++)
    {
      g_signal_emit_by_name (monitor, "network-changed", TRUE);
      delay = wait_next_delay ("the next attempt after a change of the network");
    }
  g_assert_cmpuint (delay, >=, 8000);

  /* The server back: the channel comes back at the next attempt. */
  docket_test_server_restart (fixture->server);
  docket_test_wait_until (is_live, fixture, DOCKET_TEST_WAIT_SECONDS, "the channel live again");

  docket_sync_stop_automatic (fixture->sync);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  docket_test_client_set_up (fixture, "client-live-backoff");
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
  g_autoptr(GArray) recorded = g_array_new (FALSE, FALSE, sizeof (guint));

  delays = recorded;
  /* Before anything logs: a writer can be set only once. */
  g_log_set_writer_func (record_delays, NULL, NULL);
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/live-backoff/network-changes-keep-backoff", Fixture, NULL, fixture_set_up,
              test_network_changes_keep_backoff, fixture_tear_down);

  return g_test_run ();
}
