/* test-chair-console.c: the chair runs a live meeting from the chair's console
 *
 * The real window under Xvfb, signed in as the demo's chair (chutich), against the real
 * docket-server, while the test plays an official (daibieu1) over HTTP. The console is
 * opened by its accessible name from the meeting page; every control is found by what a
 * screen reader calls it ("Give the floor to Nguyễn Văn Hùng"), and every action is
 * checked on the server: Start Meeting, Make Current, the official checking in and asking
 * for the floor (shown in the roll call and the queue), marking another participant
 * present, Give Floor, End Meeting after its confirmation. Presenting: Present opens the
 * document in the reader with the Presenting toggle on, the pages the chair turns to
 * reach the server (the last of a fast run of turns too), and the toggle stops it. A
 * refused action (the meeting ended meanwhile on another laptop) is a toast with the
 * server's reason.
 * Screenshots: $DOCKET_TEST_ARTIFACTS/console-*.png (build/test-artifacts/).
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "docket-test-util.h"
#include "docket-ui-test-util.h"
#include "docket-ui-test-client.h"
#include "docket-chair-console.h"
#include "docket-document-view.h"
#include "docket-meeting-list-page.h"
#include "docket-meeting-page.h"
#include "docket-window.h"

#define CHAIR           "chutich"
#define OFFICIAL        "daibieu1"
#define OFFICIAL_NAME   "Nguyễn Văn Hùng"
#define OTHER           "daibieu2"
#define OTHER_NAME      "Lê Thị Hồng Nhung"
#define N_PAGES         6

/* What the console shows comes back through a pull of the feed, which the server built
 * with the sanitizers, on a machine busy with other tests, has been seen to answer after
 * almost 30 s: a bound of its own, well above that. */
#define CONSOLE_WAIT_SECONDS 120

static void
console_wait (DocketTestCondition  condition,
              gpointer             data,
              const char          *what)
{
  docket_test_wait_until (condition, data, CONSOLE_WAIT_SECONDS, what);
}

typedef struct {
  DocketTestServer  *server;
  char              *tmpdir;
  char              *profile;
  char              *secretary_token;
  char              *official_token;
  char              *meeting_id;
  char              *item_id;          /* a top-level item of the meeting */
  char              *item_heading;     /* "1. Title", as the console shows it */
  char              *document_id;      /* a document of N_PAGES pages under it */

  DocketUiTestClient client;
} Fixture;

/* The server's side */

static void
set_meeting_role (Fixture    *fixture,
                  const char *username,
                  const char *role)
{
  g_autofree char *body = g_strdup_printf ("{\"meeting_role\": \"%s\"}", role);

  g_assert_cmpuint (docket_ui_test_call (fixture->server, "PUT", fixture->secretary_token, body, NULL,
                                         "/api/v1/meetings/%s/participants/%s", fixture->meeting_id, username), ==, 204);
}

static gboolean
has_participant (JsonObject *meeting,
                 const char *username)
{
  JsonArray *participants = json_object_get_array_member (meeting, "participants");

  for (guint i = 0; i < json_array_get_length (participants); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (participants, i), "username"),
                   username) == 0)
      return TRUE;
  return FALSE;
}

/* A published meeting of the chair's (only those are run) and its first top-level item:
 * a meeting comes before its items in the feed. */
static void
find_published_meeting (Fixture *fixture)
{
  g_autoptr(JsonNode) feed = docket_test_secretary_feed (fixture->server, fixture->secretary_token);
  JsonArray *changes = json_object_get_array_member (json_node_get_object (feed), "changes");
  g_autoptr(GHashTable) meetings = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < json_array_get_length (changes) && fixture->item_id == NULL; i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);
      const char *type = json_object_get_string_member (change, "type");
      JsonObject *data;

      if (json_object_get_boolean_member (change, "deleted"))
        continue;
      data = json_object_get_object_member (change, "data");
      if (g_str_equal (type, "meeting") && g_strcmp0 (json_object_get_string_member (data, "status"), "published") == 0 &&
          has_participant (data, CHAIR) && has_participant (data, OFFICIAL) && has_participant (data, OTHER))
        g_hash_table_add (meetings, (gpointer) json_object_get_string_member (data, "id"));
      else if (g_str_equal (type, "agenda_item") && json_object_get_null_member (data, "parent_id") &&
               g_hash_table_contains (meetings, json_object_get_string_member (data, "meeting_id")))
        {
          fixture->meeting_id = g_strdup (json_object_get_string_member (data, "meeting_id"));
          fixture->item_id = g_strdup (json_object_get_string_member (data, "id"));
        }
    }
  if (fixture->item_id == NULL)
    g_error ("the demo's chair has no published meeting with an agenda");
}

/* The item's heading, from the secretary's feed. */
static void
find_item_heading (Fixture *fixture)
{
  g_autoptr(JsonNode) feed = docket_test_secretary_feed (fixture->server, fixture->secretary_token);
  JsonArray *changes = json_object_get_array_member (json_node_get_object (feed), "changes");

  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);
      JsonObject *data;
      const char *number;

      if (g_strcmp0 (json_object_get_string_member (change, "type"), "agenda_item") != 0 ||
          g_strcmp0 (json_object_get_string_member (change, "id"), fixture->item_id) != 0 ||
          json_object_get_boolean_member (change, "deleted"))
        continue;
      data = json_object_get_object_member (change, "data");
      number = json_object_get_string_member_with_default (data, "number", "");
      g_free (fixture->item_heading);
      fixture->item_heading = number[0] != '\0'
                              ? g_strdup_printf ("%s. %s", number, json_object_get_string_member (data, "title"))
                              : g_strdup (json_object_get_string_member (data, "title"));
    }
  g_assert_nonnull (fixture->item_heading);
}

static void
upload_numbered_document (Fixture *fixture)
{
  g_autofree char *path = g_build_filename (fixture->tmpdir, "numbered.pdf", NULL);
  g_autofree char *url = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) pdf = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonNode) root = NULL;
  gsize len = 0;

  docket_ui_test_write_numbered_pdf (path, N_PAGES, FALSE);
  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  pdf = g_bytes_new_take (g_steal_pointer (&contents), len);
  url = g_strdup_printf ("%s/api/v1/items/%s/documents?title=Presented", docket_test_server_get_url (fixture->server),
                         fixture->item_id);
  g_assert_cmpuint (docket_test_http ("POST", url, fixture->secretary_token, "application/pdf", pdf, &answer), ==, 201);
  root = docket_ui_test_parse_json (answer);
  fixture->document_id = g_strdup (json_object_get_string_member (json_node_get_object (root), "id"));
}

/* The meeting's state as the server has it: an empty PATCH by the secretary (also a
 * runner of the meeting) answers it and writes nothing. */
static JsonObject *
server_state (Fixture *fixture)
{
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonNode) root = NULL;
  guint status = docket_ui_test_call (fixture->server, "PATCH", fixture->secretary_token, "{}", &answer,
                                      "/api/v1/meetings/%s/state", fixture->meeting_id);

  g_assert_cmpuint (status, ==, 200);
  root = docket_ui_test_parse_json (answer);
  return json_object_ref (json_object_get_object_member (json_node_get_object (root), "meeting_state"));
}

static char *
server_phase (Fixture *fixture)
{
  g_autoptr(JsonObject) state = server_state (fixture);

  return g_strdup (json_object_get_string_member (state, "phase"));
}

/* The presented page, or -1 without a presentation (of the test's document). */
static int
server_presented_page (Fixture *fixture)
{
  g_autoptr(JsonObject) state = server_state (fixture);
  JsonObject *presentation;

  if (json_object_get_null_member (state, "presentation"))
    return -1;
  presentation = json_object_get_object_member (state, "presentation");
  if (g_strcmp0 (json_object_get_string_member (presentation, "document_id"), fixture->document_id) != 0)
    return -1;
  return (int) json_object_get_int_member (presentation, "page");
}

/* The last state of speech_id in the official's whole change feed. */
static char *
server_speech_state (Fixture    *fixture,
                     const char *speech_id)
{
  g_autofree char *cursor = NULL;
  char *state = NULL;
  gboolean more = TRUE;

  while (more)
    {
      g_autoptr(GBytes) answer = NULL;
      g_autoptr(JsonNode) root = NULL;
      JsonObject *page;
      JsonArray *changes;

      if (cursor == NULL)
        g_assert_cmpuint (docket_ui_test_call (fixture->server, "GET", fixture->official_token, NULL, &answer, "/api/v1/changes?limit=1000"),
                          ==, 200);
      else
        g_assert_cmpuint (docket_ui_test_call (fixture->server, "GET", fixture->official_token, NULL, &answer,
                                               "/api/v1/changes?limit=1000&since=%s", cursor), ==, 200);
      root = docket_ui_test_parse_json (answer);
      page = json_node_get_object (root);
      changes = json_object_get_array_member (page, "changes");
      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          JsonObject *change = json_array_get_object_element (changes, i);

          if (g_strcmp0 (json_object_get_string_member (change, "type"), "speech") != 0 ||
              g_strcmp0 (json_object_get_string_member (change, "id"), speech_id) != 0 ||
              json_object_get_boolean_member (change, "deleted"))
            continue;
          g_free (state);
          state = g_strdup (json_object_get_string_member (json_object_get_object_member (change, "data"), "state"));
        }
      g_free (cursor);
      cursor = g_strdup (json_object_get_string_member (page, "cursor"));
      more = json_object_get_boolean_member (page, "more");
    }
  return state;
}

/* username's last presence in the attendance log, read by the secretary, or NULL. */
static char *
server_presence_of (Fixture    *fixture,
                    const char *username)
{
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *log;
  char *presence = NULL;

  g_assert_cmpuint (docket_ui_test_call (fixture->server, "GET", fixture->secretary_token, NULL, &answer,
                                         "/api/v1/meetings/%s/attendance", fixture->meeting_id), ==, 200);
  root = docket_ui_test_parse_json (answer);
  log = json_object_get_array_member (json_node_get_object (root), "log");
  for (guint i = 0; i < json_array_get_length (log); i++)
    {
      JsonObject *entry = json_array_get_object_element (log, i);

      if (g_strcmp0 (json_object_get_string_member (entry, "username"), username) == 0)
        {
          g_free (presence);
          presence = g_strdup (json_object_get_string_member (entry, "presence"));
        }
    }
  return presence;
}

/* The window */

/* The same in the window's content: the window's own decorations have no accessible
 * context to ask in GTK 4.8. */
static GtkWidget *
find_in_window (Fixture    *fixture,
                const char *name)
{
  return docket_ui_test_find_by_accessible_name (adw_application_window_get_content (ADW_APPLICATION_WINDOW (fixture->client.window)),
                                  name);
}

static GtkWidget *
console (Fixture *fixture)
{
  return docket_ui_test_window_part (fixture->client.window, DOCKET_TYPE_CHAIR_CONSOLE);
}

static DocketDocumentView *
document_view (Fixture *fixture)
{
  return DOCKET_DOCUMENT_VIEW (docket_ui_test_window_part (fixture->client.window, DOCKET_TYPE_DOCUMENT_VIEW));
}

/* Asks for the feed now (win.refresh, Ctrl+R): the test does not wait for the live
 * channel, which tests of its own cover. */
static void
refresh (Fixture *fixture)
{
  gtk_widget_activate_action (GTK_WIDGET (fixture->client.window), "win.refresh", NULL);
}

typedef struct {
  Fixture    *fixture;
  const char *name;     /* accessible name */
} ControlWait;

/* The control named so is shown and may be used. */
static gboolean
control_ready (gpointer data)
{
  ControlWait *wait = data;
  GtkWidget *found = find_in_window (wait->fixture, wait->name);

  return found != NULL && gtk_widget_is_drawable (found) && gtk_widget_is_sensitive (found);
}

/* Presses the control a screen reader calls name, once it is there and usable. */
static void
press (Fixture    *fixture,
       const char *name)
{
  ControlWait wait = { fixture, name };
  g_autofree char *what = g_strdup_printf ("“%s” to be usable", name);
  GtkWidget *control;

  console_wait (control_ready, &wait, what);
  control = find_in_window (fixture, name);
  g_assert_true (gtk_widget_activate (control));
}

/* The same, for a button inside a popover (a row's presence menu), which is drawn only
 * while the popover is open: its menu is opened first. */
typedef struct {
  GtkWidget  *menu;
  const char *name;
} MenuWait;

static gboolean
menu_item_ready (gpointer data)
{
  MenuWait *wait = data;
  GtkWidget *found = docket_ui_test_find_by_accessible_name (wait->menu, wait->name);

  return found != NULL && gtk_widget_is_drawable (found) && gtk_widget_is_sensitive (found);
}

static void
press_in_menu (Fixture    *fixture,
               const char *menu_name,
               const char *name)
{
  MenuWait wait = { NULL, name };
  g_autofree char *what = g_strdup_printf ("“%s” in the open menu", name);

  press (fixture, menu_name);
  wait.menu = find_in_window (fixture, menu_name);
  while (!GTK_IS_MENU_BUTTON (wait.menu))
    wait.menu = gtk_widget_get_parent (wait.menu);
  console_wait (menu_item_ready, &wait, what);
  g_assert_true (gtk_widget_activate (docket_ui_test_find_by_accessible_name (wait.menu, name)));
}

typedef struct {
  Fixture    *fixture;
  const char *name;     /* of a label */
  const char *text;     /* a part of what it says */
} LabelWait;

static gboolean
label_says (gpointer data)
{
  LabelWait *wait = data;
  const char *text = docket_ui_test_get_shown_label (console (wait->fixture), wait->name);

  return text != NULL && strstr (text, wait->text) != NULL;
}

static void
wait_for_label (Fixture    *fixture,
                const char *name,
                const char *text)
{
  LabelWait wait = { fixture, name, text };
  g_autofree char *what = g_strdup_printf ("“%s” to say “%s”", name, text);

  console_wait (label_says, &wait, what);
}

/* A row of the console titled title, whose subtitle contains text (NULL: any row). */
typedef struct {
  Fixture    *fixture;
  const char *title;
  const char *text;
} RowWait;

static gboolean
find_row_in (GtkWidget  *widget,
             const char *title,
             const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (ADW_IS_ACTION_ROW (child) &&
          g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child)), title) == 0 &&
          (text == NULL || (adw_action_row_get_subtitle (ADW_ACTION_ROW (child)) != NULL &&
                            strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (child)), text) != NULL)))
        return TRUE;
      if (find_row_in (child, title, text))
        return TRUE;
    }
  return FALSE;
}

static gboolean
row_shown (gpointer data)
{
  RowWait *wait = data;

  return find_row_in (console (wait->fixture), wait->title, wait->text);
}

static void
wait_for_row (Fixture    *fixture,
              const char *title,
              const char *text)
{
  RowWait wait = { fixture, title, text };
  g_autofree char *what = g_strdup_printf ("a row “%s” saying “%s”", title, text != NULL ? text : "");

  console_wait (row_shown, &wait, what);
}

typedef struct {
  Fixture    *fixture;
  const char *phase;
} PhaseWait;

static gboolean
server_in_phase (gpointer data)
{
  PhaseWait *wait = data;
  g_autofree char *phase = server_phase (wait->fixture);

  return g_strcmp0 (phase, wait->phase) == 0;
}

static void
wait_for_server_phase (Fixture    *fixture,
                       const char *phase)
{
  PhaseWait wait = { fixture, phase };
  g_autofree char *what = g_strdup_printf ("the server to have the meeting %s", phase);

  console_wait (server_in_phase, &wait, what);
}

/* The current item is another than the test's (the next one). */
static gboolean
server_moved_on (gpointer data)
{
  Fixture *fixture = data;
  g_autoptr(JsonObject) state = server_state (fixture);

  return !json_object_get_null_member (state, "current_item_id") &&
         g_strcmp0 (json_object_get_string_member (state, "current_item_id"), fixture->item_id) != 0;
}

/* The console's one spin button, the speaking-time limit, or NULL. */
static GtkWidget *
find_spin_button (GtkWidget *widget)
{
  if (GTK_IS_SPIN_BUTTON (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_spin_button (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The server gives each speaker three minutes. */
static gboolean
server_limit_is_three_minutes (gpointer data)
{
  Fixture *fixture = data;
  g_autoptr(JsonObject) state = server_state (fixture);

  return json_object_get_int_member (state, "speech_limit_seconds") == 180;
}

typedef struct {
  Fixture *fixture;
  int      page;
} PageWait;

static gboolean
server_presents_page (gpointer data)
{
  PageWait *wait = data;

  return server_presented_page (wait->fixture) == wait->page;
}

static void
wait_for_server_page (Fixture *fixture,
                      int      page)
{
  PageWait wait = { fixture, page };
  g_autofree char *what = g_strdup_printf ("the server to present page %d", page);

  console_wait (server_presents_page, &wait, what);
}

static gboolean
reader_ready (gpointer data)
{
  Fixture *fixture = data;

  return docket_document_view_get_state (document_view (fixture)) == DOCKET_DOCUMENT_VIEW_READY;
}

static gboolean
meeting_listed (gpointer data)
{
  Fixture *fixture = data;
  DocketMeetingListPage *page = DOCKET_MEETING_LIST_PAGE (docket_ui_test_window_part (fixture->client.window,
                                                                                      DOCKET_TYPE_MEETING_LIST_PAGE));

  return docket_meeting_list_page_find_row (page, fixture->meeting_id) != NULL;
}

typedef struct {
  Fixture    *fixture;
  const char *page;
} WindowPageWait;

static gboolean
window_shows (gpointer data)
{
  WindowPageWait *wait = data;

  return g_strcmp0 (docket_window_get_page_name (wait->fixture->client.window), wait->page) == 0;
}

/* A button's click comes after its pressed look (GtkButton's activate). */
static void
wait_for_page (Fixture    *fixture,
               const char *page)
{
  WindowPageWait wait = { fixture, page };
  g_autofree char *what = g_strdup_printf ("the window to show its page “%s”", page);

  console_wait (window_shows, &wait, what);
}

static gboolean
dialog_shown (gpointer data)
{
  Fixture *fixture = data;

  return docket_ui_test_find_message_dialog (GTK_WINDOW (fixture->client.window)) != NULL;
}

static AdwMessageDialog *
wait_for_dialog (Fixture *fixture)
{
  console_wait (dialog_shown, fixture, "the confirmation");
  return docket_ui_test_find_message_dialog (GTK_WINDOW (fixture->client.window));
}

/* From the meeting list to the console, as the chair gets there. */
static void
open_console (Fixture *fixture)
{
  DocketMeetingListPage *page = DOCKET_MEETING_LIST_PAGE (docket_ui_test_window_part (fixture->client.window,
                                                                                      DOCKET_TYPE_MEETING_LIST_PAGE));
  DocketMeetingPage *meeting_page = DOCKET_MEETING_PAGE (docket_ui_test_window_part (fixture->client.window,
                                                                                    DOCKET_TYPE_MEETING_PAGE));

  console_wait (meeting_listed, fixture, "the meeting in the list");
  g_assert_true (gtk_widget_activate (docket_meeting_list_page_find_row (page, fixture->meeting_id)));
  g_assert_cmpstr (docket_window_get_page_name (fixture->client.window), ==, "meeting");
  console_wait (docket_ui_test_agenda_loaded, meeting_page, "the agenda");
  press (fixture, "Chair’s Console");
  wait_for_page (fixture, "console");
  wait_for_label (fixture, "console-phase", "The meeting has not started");
}

/* Fixture */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->server = docket_test_server_start (TRUE);
  fixture->tmpdir = docket_test_make_tmpdir ("ui-chair-console");
  fixture->profile = g_build_filename (fixture->tmpdir, "profile", NULL);
  fixture->secretary_token = docket_test_sign_in (fixture->server, "thuky",
                                                  docket_test_server_get_password (fixture->server, "thuky"));
  fixture->official_token = docket_test_sign_in (fixture->server, OFFICIAL,
                                                 docket_test_server_get_password (fixture->server, OFFICIAL));
  find_published_meeting (fixture);
  /* The demo's chair chairs the council's sessions; said again, so that the test does
   * not hang on the demo's choice. The official and the other take part as members. */
  set_meeting_role (fixture, CHAIR, "chair");
  set_meeting_role (fixture, OFFICIAL, "member");
  set_meeting_role (fixture, OTHER, "member");
  find_item_heading (fixture);
  upload_numbered_document (fixture);

  fixture->client.width = 1100;
  fixture->client.height = 1000;
  fixture->client.n_meetings = docket_ui_test_server_meeting_count (fixture->server, CHAIR);
  docket_ui_test_client_open (&fixture->client, fixture->profile);
  docket_ui_test_sign_in_as (fixture->client.window, docket_test_server_get_url (fixture->server), CHAIR,
                             docket_test_server_get_password (fixture->server, CHAIR));
  console_wait (docket_ui_test_client_synced, &fixture->client, "the chair's meetings and documents");
  open_console (fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->client.window != NULL)
    docket_ui_test_client_close (&fixture->client);
  docket_test_server_stop (fixture->server);
  docket_test_rmtree (fixture->tmpdir);
  g_free (fixture->tmpdir);
  g_free (fixture->profile);
  g_free (fixture->secretary_token);
  g_free (fixture->official_token);
  g_free (fixture->meeting_id);
  g_free (fixture->item_id);
  g_free (fixture->item_heading);
  g_free (fixture->document_id);
}

/* 1. Running a meeting: start, the current item, the roll call, the floor, the end */

static void
test_run_meeting (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *make_current = g_strdup_printf ("Make “%s” the current item", fixture->item_heading);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonNode) speech = NULL;
  g_autofree char *speech_id = NULL;
  g_autofree char *state = NULL;
  g_autofree char *presence = NULL;
  g_autofree char *phase = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *limit;

  /* Before the start, the floor cannot be given: the row controls say why. */
  g_assert_false (gtk_widget_is_sensitive (docket_ui_test_find_by_accessible_name (console (fixture), make_current)));

  press (fixture, "Start Meeting");
  wait_for_server_phase (fixture, "in_session");
  wait_for_label (fixture, "console-phase", "In session since");

  press (fixture, make_current);
  wait_for_row (fixture, fixture->item_heading, "Current item");
  {
    g_autoptr(JsonObject) server = server_state (fixture);

    g_assert_cmpstr (json_object_get_string_member (server, "current_item_id"), ==, fixture->item_id);
  }

  /* Next Item (Ctrl+→) moves on to the following item, and back with Make Current. */
  docket_ui_test_press (console (fixture), "<Control>Right");
  console_wait (server_moved_on, fixture, "the server to have the next item current");
  press (fixture, make_current);
  wait_for_row (fixture, fixture->item_heading, "Current item");

  /* The official checks in and asks for the floor, over HTTP: the console's roll call
   * and queue show them. */
  g_assert_cmpuint (docket_ui_test_call (fixture->server, "PUT", fixture->official_token, "{\"presence\": \"present\"}", NULL,
                                         "/api/v1/meetings/%s/attendance/%s", fixture->meeting_id, OFFICIAL), ==, 200);
  g_assert_cmpuint (docket_ui_test_call (fixture->server, "POST", fixture->official_token, "{}", &answer,
                                         "/api/v1/meetings/%s/speeches", fixture->meeting_id), ==, 201);
  speech = docket_ui_test_parse_json (answer);
  if (json_object_has_member (json_node_get_object (speech), "speech"))
    speech_id = g_strdup (json_object_get_string_member (json_object_get_object_member (json_node_get_object (speech),
                                                                                      "speech"), "id"));
  else
    speech_id = g_strdup (json_object_get_string_member (json_node_get_object (speech), "id"));
  refresh (fixture);
  wait_for_row (fixture, OFFICIAL_NAME, "Present since");
  wait_for_row (fixture, OFFICIAL_NAME, "Asked at");
  wait_for_label (fixture, "console-quorum", "members checked in");

  /* The roll call: the chair marks another participant present, from their row's menu. */
  press_in_menu (fixture, "Presence of " OTHER_NAME, "Mark " OTHER_NAME " present");
  wait_for_row (fixture, OTHER_NAME, "Present since");
  presence = server_presence_of (fixture, OTHER);
  g_assert_cmpstr (presence, ==, "present");

  /* Give Floor: the server says speaking, and the console shows who speaks. */
  press (fixture, "Give the floor to " OFFICIAL_NAME);
  wait_for_label (fixture, "console-speaker", "Speaking: " OFFICIAL_NAME);
  state = server_speech_state (fixture, speech_id);
  g_assert_cmpstr (state, ==, "speaking");

  /* The speaking-time limit, in minutes, reaches the server once left alone. */
  limit = find_spin_button (console (fixture));
  g_assert_nonnull (limit);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (limit), 3);
  console_wait (server_limit_is_three_minutes, fixture, "the server to give each speaker three minutes");

  docket_ui_test_wait_for_paint (GTK_WIDGET (fixture->client.window));
  docket_ui_test_save_screenshot (GTK_WIDGET (fixture->client.window), "console-", "running.png");

  /* End Meeting asks first; Cancel changes nothing. */
  press (fixture, "End Meeting");
  dialog = wait_for_dialog (fixture);
  docket_ui_test_wait_for_paint (GTK_WIDGET (dialog));
  adw_message_dialog_response (dialog, "cancel");
  phase = server_phase (fixture);
  g_assert_cmpstr (phase, ==, "in_session");

  press (fixture, "End Meeting");
  dialog = wait_for_dialog (fixture);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "withdrawn"));
  adw_message_dialog_response (dialog, "end");
  wait_for_server_phase (fixture, "ended");
  wait_for_label (fixture, "console-phase", "Ended at");
  g_free (state);
  state = server_speech_state (fixture, speech_id);
  g_assert_cmpstr (state, ==, "done");
  /* Nothing more can be done: the controls say why. */
  g_assert_false (gtk_widget_is_sensitive (docket_ui_test_find_by_accessible_name (console (fixture), "Start Meeting")));
  g_assert_false (gtk_widget_is_sensitive (docket_ui_test_find_by_accessible_name (console (fixture), "End Meeting")));

  docket_ui_test_wait_for_paint (GTK_WIDGET (fixture->client.window));
  docket_ui_test_save_screenshot (GTK_WIDGET (fixture->client.window), "console-", "ended.png");
}

/* 2. Presenting: the pages the chair turns to, coalesced, and stopping */

static void
test_present (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *make_current = g_strdup_printf ("Make “%s” the current item", fixture->item_heading);
  GtkWidget *window = GTK_WIDGET (fixture->client.window);
  GtkWidget *toggle;

  press (fixture, "Start Meeting");
  wait_for_label (fixture, "console-phase", "In session since");
  press (fixture, make_current);
  wait_for_row (fixture, fixture->item_heading, "Current item");

  /* Present: the reader opens it, presenting; the server presents its first page. */
  press (fixture, "Present “Presented” to everyone");
  wait_for_page (fixture, "document");
  console_wait (reader_ready, fixture, "the presented document open");
  wait_for_server_page (fixture, 0);
  toggle = docket_ui_test_find_named (window, "presenting-button");
  g_assert_true (gtk_widget_get_visible (toggle));
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (toggle)));
  docket_ui_test_wait_for_paint (window);
  docket_ui_test_save_screenshot (window, "console-", "presenting.png");

  /* A page turned to reaches the server; so does the last of a fast run of turns. */
  docket_document_view_go_to_page (document_view (fixture), 2);
  wait_for_server_page (fixture, 2);
  docket_document_view_go_to_page (document_view (fixture), 3);
  docket_document_view_go_to_page (document_view (fixture), 4);
  docket_document_view_go_to_page (document_view (fixture), 5);
  wait_for_server_page (fixture, 5);

  /* The toggle stops the presentation. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle), FALSE);
  wait_for_server_page (fixture, -1);

  /* Back goes to the console, where Stop Presenting is insensitive now. */
  g_assert_true (gtk_widget_activate_action (window, "win.back", NULL));
  g_assert_cmpstr (docket_window_get_page_name (fixture->client.window), ==, "console");
}

/* 3. A refusal: the server's reason in a toast */

/* The label on screen under widget whose text contains part, or NULL. */
static GtkLabel *
find_shown_label (GtkWidget  *widget,
                  const char *part)
{
  if (!gtk_widget_get_mapped (widget))
    return NULL;
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_label (GTK_LABEL (widget)), part) != NULL)
    return GTK_LABEL (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkLabel *found = find_shown_label (child, part);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
refusal_shown (gpointer data)
{
  Fixture *fixture = data;

  return find_shown_label (GTK_WIDGET (fixture->client.window), "The meeting has ended.") != NULL;
}

static void
test_refusal (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *body = g_strdup_printf ("{\"phase\": \"ended\"}");

  press (fixture, "Start Meeting");
  wait_for_label (fixture, "console-phase", "In session since");

  /* The secretary ends the meeting from another laptop; the chair makes an item current
   * before the console has heard of it (no main loop turn between the two): the server
   * refuses, and the chair reads why. */
  g_assert_cmpuint (docket_ui_test_call (fixture->server, "PATCH", fixture->secretary_token, body, NULL,
                                         "/api/v1/meetings/%s/state", fixture->meeting_id), ==, 200);
  g_assert_true (gtk_widget_activate_action (console (fixture), "console.make-current", "s", fixture->item_id));
  console_wait (refusal_shown, fixture, "the toast with the server's reason");
  /* And once the feed brought the end, the console says so. */
  wait_for_label (fixture, "console-phase", "Ended at");
}

int
main (int    argc,
      char **argv)
{
  /* The accessible names are read from GTK's test context (GTK_A11Y=none gives some
   * widgets none at all). */
  g_setenv ("GTK_A11Y", "test", TRUE);
  docket_ui_test_init (&argc, &argv);

  g_test_add ("/chair-console/run-meeting", Fixture, NULL, fixture_set_up, test_run_meeting, fixture_tear_down);
  g_test_add ("/chair-console/present", Fixture, NULL, fixture_set_up, test_present, fixture_tear_down);
  g_test_add ("/chair-console/refusal", Fixture, NULL, fixture_set_up, test_refusal, fixture_tear_down);

  return g_test_run ();
}
