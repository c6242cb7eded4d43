/* test-meeting-list-days.c: the meeting list follows the meetings day by day
 *
 * In the real window, signed in to a real demo server with more meetings of our own on
 * many days (more than the page makes before its first frame): every day is shown in
 * the end; then a sync that brings a meeting on a new day adds that day's group and row
 * and leaves every other row the very same widget: the page is never rebuilt as a whole.
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "docket-test-util.h"
#include "docket-ui-test-util.h"
#include "docket-ui-test-client.h"
#include "docket-meeting-list.h"
#include "docket-meeting-list-page.h"
#include "docket-window.h"

/* More days than the page makes at once (GROUPS_PER_BATCH). */
#define EXTRA_DAYS 30

typedef struct {
  DocketTestServer   *server;
  DocketUiTestClient  client;
  char               *tmpdir;
  char               *token;       /* the secretary's */
} Fixture;

/* A published meeting for daibieu1 on day (of January 2027); returns its id. */
static char *
add_meeting (Fixture *fixture,
             guint    day)
{
  g_autofree char *base = g_strconcat (docket_test_server_get_url (fixture->server), "/api/v1", NULL);
  g_autofree char *json = g_strdup_printf ("{\"title\": \"Phiên họp ngày %u\", "
                                           "\"starts_at\": \"2027-01-%02uT08:00:00+07:00\", "
                                           "\"ends_at\": \"2027-01-%02uT11:00:00+07:00\", "
                                           "\"time_zone\": \"Asia/Ho_Chi_Minh\"}", day, day, day);
  g_autoptr(GBytes) body = g_bytes_new (json, strlen (json));
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GBytes) ignored = NULL;
  g_autoptr(GBytes) ignored2 = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *url = g_strconcat (base, "/meetings", NULL);
  g_autofree char *participant = NULL;
  g_autofree char *meeting = NULL;
  g_autoptr(GBytes) publish = g_bytes_new_static ("{\"status\": \"published\"}", strlen ("{\"status\": \"published\"}"));
  char *id;
  guint status;

  g_assert_cmpuint (docket_test_http ("POST", url, fixture->token, "application/json", body, &answer), ==, 201);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL), -1, NULL));
  id = g_strdup (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), "id"));

  participant = g_strdup_printf ("%s/meetings/%s/participants/daibieu1", base, id);
  status = docket_test_http ("PUT", participant, fixture->token, NULL, NULL, &ignored);
  g_assert_cmpuint (status, >=, 200);
  g_assert_cmpuint (status, <, 300);
  meeting = g_strdup_printf ("%s/meetings/%s", base, id);
  g_assert_cmpuint (docket_test_http ("PATCH", meeting, fixture->token, "application/json", publish, &ignored2), ==, 200);

  return id;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->server = docket_test_server_start (TRUE);
  fixture->tmpdir = docket_test_make_tmpdir ("docket-ui-days");
  fixture->token = docket_test_sign_in (fixture->server, "thuky",
                                        docket_test_server_get_password (fixture->server, "thuky"));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  docket_ui_test_client_close (&fixture->client);
  docket_test_server_stop (fixture->server);
  docket_test_rmtree (fixture->tmpdir);
  g_free (fixture->tmpdir);
  g_free (fixture->token);
}

static DocketMeetingListPage *
list_page (Fixture *fixture)
{
  return DOCKET_MEETING_LIST_PAGE (docket_ui_test_window_part (fixture->client.window, DOCKET_TYPE_MEETING_LIST_PAGE));
}

/* Every meeting of the list has its row on the page. */
static gboolean
every_row_made (gpointer data)
{
  Fixture *fixture = data;
  DocketMeetingList *meetings = docket_ui_test_window_meetings (fixture->client.window);
  guint n = meetings != NULL ? g_list_model_get_n_items (G_LIST_MODEL (meetings)) : 0;

  if (n < fixture->client.n_meetings)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DocketMeeting) meeting = g_list_model_get_item (G_LIST_MODEL (meetings), i);

      if (docket_meeting_list_page_find_row (list_page (fixture), docket_meeting_get_id (meeting)) == NULL)
        return FALSE;
    }
  return TRUE;
}

static void
test_days_follow_the_meetings (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autofree char *profile = g_build_filename (fixture->tmpdir, "profile", NULL);
  g_autoptr(GHashTable) rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  g_auto(GStrv) titles_before = NULL;
  g_auto(GStrv) titles_after = NULL;
  g_autofree char *new_id = NULL;
  DocketMeetingList *meetings;
  GHashTableIter iter;
  gpointer key, value;

  /* Every day of January but the 16th, which comes later. */
  for (guint day = 1; day <= EXTRA_DAYS; day++)
    if (day != 16)
      g_free (add_meeting (fixture, day));

  fixture->client.n_meetings = docket_ui_test_server_meeting_count (fixture->server, "daibieu1");
  docket_ui_test_client_sign_in_and_sync (&fixture->client, fixture->server, profile);

  /* More days than the page makes before its first frame: all of them in the end. */
  docket_ui_test_wait_for (every_row_made, fixture, "a row for every meeting");
  titles_before = docket_ui_test_dup_group_titles (GTK_WIDGET (list_page (fixture)));
  g_assert_cmpuint (g_strv_length (titles_before), >=, EXTRA_DAYS - 1);

  meetings = docket_ui_test_window_meetings (fixture->client.window);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (meetings)); i++)
    {
      g_autoptr(DocketMeeting) meeting = g_list_model_get_item (G_LIST_MODEL (meetings), i);
      GtkWidget *row = docket_meeting_list_page_find_row (list_page (fixture), docket_meeting_get_id (meeting));

      g_hash_table_insert (rows, g_strdup (docket_meeting_get_id (meeting)), g_object_ref (row));
    }

  /* A meeting on a day not shown yet. */
  new_id = add_meeting (fixture, 16);
  fixture->client.n_meetings++;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->client.window), "win.refresh", NULL));
  docket_ui_test_wait_for (every_row_made, fixture, "the new meeting's row");
  docket_ui_test_wait_for (docket_ui_test_client_not_syncing, &fixture->client, "the refresh to finish");

  /* One day more; every other row is the very same widget, still on the page. */
  titles_after = docket_ui_test_dup_group_titles (GTK_WIDGET (list_page (fixture)));
  g_assert_cmpuint (g_strv_length (titles_after), ==, g_strv_length (titles_before) + 1);
  g_hash_table_iter_init (&iter, rows);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_assert_true (docket_meeting_list_page_find_row (list_page (fixture), key) == value);
      g_assert_true (gtk_widget_get_root (value) == GTK_ROOT (fixture->client.window));
    }
  g_assert_nonnull (docket_meeting_list_page_find_row (list_page (fixture), new_id));
}

int
main (int   argc,
      char *argv[])
{
  docket_ui_test_init (&argc, &argv);

  g_test_add ("/meeting-list/days-follow-the-meetings", Fixture, NULL,
              fixture_set_up, test_days_follow_the_meetings, fixture_tear_down);

  return g_test_run ();
}
