/* test-live-action-refused-token.c: a live action that the server answers with 401
 *
 * The official's token died (here: the administrator disabled the user) and the first
 * thing they do is a live action. The engine must sign out then and there, as it does
 * when the feed or the live channel is refused, so that the window offers the sign-in at
 * once instead of saying "signed in" until some later pull finds out.
 */
#include "config.h"

#include "docket-test-client.h"

#define OFFICIAL "daibieu1"

static void
action_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  DocketTestResult *outcome = user_data;

  docket_sync_live_action_finish (DOCKET_SYNC (object), result, &outcome->error);
  outcome->done = TRUE;
}

static void
test_refused_token_signs_out (void)
{
  DocketTestClient client = { 0 };
  DocketTestResult outcome = { 0 };
  g_autofree char *meeting_id = NULL;
  g_autofree char *item_id = NULL;

  docket_test_client_set_up (&client, "live-action-refused-token");
  docket_test_client_sign_in_as (&client, OFFICIAL);
  item_id = docket_test_client_find_item_of (&client, OFFICIAL, &meeting_id);
  g_assert_nonnull (meeting_id);
  g_assert_true (docket_sync_get_signed_in (client.sync));

  g_assert_cmpint (docket_test_server_admin (client.server, NULL, NULL,
                                             "user", "disable", OFFICIAL, NULL), ==, 0);

  docket_sync_request_floor_async (client.sync, meeting_id, NULL, action_cb, &outcome);
  docket_test_wait_for_result (&outcome, DOCKET_TEST_WAIT_SECONDS, "a request for the floor");
  g_assert_error (outcome.error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_SIGNED_OUT);
  g_clear_error (&outcome.error);

  /* Signed out by the time the official hears of it, the account kept for the sign-in
   * page to offer again. */
  g_assert_false (docket_sync_get_signed_in (client.sync));
  g_assert_cmpint (docket_sync_get_state (client.sync), ==, DOCKET_SYNC_STATE_SIGNED_OUT);
  g_assert_cmpstr (docket_sync_get_username (client.sync), ==, OFFICIAL);

  /* Signed out, the next action is refused at once, without a request. */
  outcome = (DocketTestResult) { 0 };
  docket_sync_request_floor_async (client.sync, meeting_id, NULL, action_cb, &outcome);
  docket_test_wait_for_result (&outcome, DOCKET_TEST_WAIT_SECONDS, "a request for the floor, signed out");
  g_assert_error (outcome.error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_SIGNED_OUT);
  g_clear_error (&outcome.error);

  docket_test_client_tear_down (&client);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/live-actions/refused-token-signs-out", test_refused_token_signs_out);

  return g_test_run ();
}
