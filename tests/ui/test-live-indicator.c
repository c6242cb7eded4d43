/* test-live-indicator.c: the window says whether it is live, through a server restart
 *
 * In the real window under Xvfb, against the real docket-server: once signed in and
 * synced, the header bar's live indicator says "Live" (and a screen reader hears "Live:
 * changes arrive as they happen"); the server killed, it says "Reconnecting…"; the
 * server back on the same port, "Live" again. Screenshots of each under
 * build/test-artifacts/ (live-indicator-*.png).
 */
#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "docket-ui-test-client.h"
#include "docket-ui-test-util.h"

#define LIVE_SENTENCE          "Live: changes arrive as they happen"
#define RECONNECTING_SENTENCE  "Reconnecting: changes arrive at the next sync until the connection is back"

typedef struct {
  DocketUiTestClient *client;
  const char         *sentence;
} IndicatorWait;

/* The indicator says sentence, and is shown. */
static gboolean
indicator_says (gpointer data)
{
  IndicatorWait *wait = data;
  GtkWidget *indicator = docket_ui_test_find_by_accessible_name (GTK_WIDGET (wait->client->window), wait->sentence);

  return indicator != NULL && gtk_widget_is_visible (indicator);
}

static void
wait_for_indicator (DocketUiTestClient *client,
                    const char         *sentence,
                    const char         *label,
                    const char         *screenshot)
{
  IndicatorWait wait = { client, sentence };
  GtkWidget *indicator;

  docket_ui_test_wait_for (indicator_says, &wait, sentence);
  indicator = docket_ui_test_find_by_accessible_name (GTK_WIDGET (client->window), sentence);

  /* What is shown, and the tooltip that says the same as the screen reader. */
  g_assert_cmpstr (docket_ui_test_get_shown_label (GTK_WIDGET (client->window), "live-label"), ==, label);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (indicator), ==, sentence);

  docket_ui_test_wait_for_paint (GTK_WIDGET (client->window));
  docket_ui_test_save_screenshot (GTK_WIDGET (client->window), NULL, screenshot);
}

static gboolean
indicator_hidden (gpointer data)
{
  DocketUiTestClient *client = data;
  GtkWidget *label = docket_ui_test_find_named (GTK_WIDGET (client->window), "live-label");

  return label == NULL || !gtk_widget_is_visible (label);
}

static void
test_live_through_restart (void)
{
  g_autofree char *root = docket_test_make_tmpdir ("docket-ui-live");
  g_autofree char *profile = g_build_filename (root, "profile", NULL);
  DocketTestServer *server = docket_test_server_start (TRUE);
  DocketUiTestClient client = { 0 };

  docket_ui_test_client_sign_in_and_sync (&client, server, profile);
  wait_for_indicator (&client, LIVE_SENTENCE, "Live", "live-indicator-live.png");

  docket_test_server_kill (server);
  wait_for_indicator (&client, RECONNECTING_SENTENCE, "Reconnecting…",
                      "live-indicator-reconnecting.png");

  docket_test_server_restart (server);
  wait_for_indicator (&client, LIVE_SENTENCE, "Live", "live-indicator-live-again.png");

  /* Without automatic sync (the engine stopped), nothing claims to be live. */
  docket_sync_stop_automatic (client.sync);
  g_assert_null (docket_ui_test_find_by_accessible_name (GTK_WIDGET (client.window), LIVE_SENTENCE));
  g_assert_false (indicator_hidden (&client));
  g_assert_cmpstr (docket_ui_test_get_shown_label (GTK_WIDGET (client.window), "live-label"), ==, "Offline");

  docket_ui_test_client_close (&client);
  docket_test_server_stop (server);
  docket_test_rmtree (root);
}

int
main (int   argc,
      char *argv[])
{
  /* The accessible names are read from GTK's test context (GTK_A11Y=none gives some
   * widgets none at all); the AT-SPI bus is test-accessible's. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  docket_ui_test_init (&argc, &argv);

  g_test_add_func ("/live-indicator/through-restart", test_live_through_restart);

  return g_test_run ();
}
