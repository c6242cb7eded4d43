/* test-live-official.c: what an official sees and does during a live meeting
 *
 * The real window under Xvfb, signed in as daibieu1, against the real docket-server,
 * while the test plays the meeting's chair over HTTP: checking in from the live bar's
 * menu reaches the server; the item the chair makes current is marked in the agenda and
 * named in the live bar; asking for the floor turns the button into "Withdraw Request"
 * with the official's place in the queue; with Follow Presentation on, the reader opens
 * the document the chair presents at the page presented, and follows the next page too
 * after the official turned pages themself. Screenshots of the live bar and the
 * participants popover go to $DOCKET_TEST_ARTIFACTS (build/test-artifacts/live-*.png).
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "docket-test-util.h"
#include "docket-ui-test-util.h"
#include "docket-ui-test-client.h"
#include "docket-agenda.h"
#include "docket-agenda-row.h"
#include "docket-document-view.h"
#include "docket-live-bar.h"
#include "docket-meeting-list-page.h"
#include "docket-meeting-page.h"
#include "docket-window.h"

#define N_PAGES 5

typedef struct {
  DocketTestServer  *server;
  char              *tmpdir;
  char              *profile;
  char              *secretary_token;
  char              *chair;            /* the meeting's chair, played by the test */
  char              *chair_token;
  char              *meeting_id;
  char              *item_id;          /* a top-level item of the meeting */
  char              *document_id;      /* a document of N_PAGES pages under it */

  DocketUiTestClient client;
} Fixture;

/* The server's side, as the secretary and the chair */

static JsonNode *
parse_json (GBytes *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), -1, NULL));
  return json_node_copy (json_parser_get_root (parser));
}

static guint
call (Fixture     *fixture,
      const char  *method,
      const char  *token,
      const char  *body,
      GBytes     **out_body,
      const char  *path_format,
      ...) G_GNUC_PRINTF (6, 7);

static guint
call (Fixture     *fixture,
      const char  *method,
      const char  *token,
      const char  *body,
      GBytes     **out_body,
      const char  *path_format,
      ...)
{
  g_autofree char *path = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GBytes) request = body != NULL ? g_bytes_new (body, strlen (body)) : NULL;
  g_autoptr(GBytes) answer = NULL;
  va_list args;
  guint status;

  va_start (args, path_format);
  path = g_strdup_vprintf (path_format, args);
  va_end (args);
  url = g_strconcat (docket_test_server_get_url (fixture->server), path, NULL);
  status = docket_test_http (method, url, token, body != NULL ? "application/json" : NULL, request, &answer);
  if (out_body != NULL)
    *out_body = g_steal_pointer (&answer);
  return status;
}

/* The meeting's participants as the secretary's feed shows them (a JSON array). */
static JsonArray *
meeting_participants (Fixture  *fixture,
                      JsonNode *feed)
{
  JsonArray *changes = json_object_get_array_member (json_node_get_object (feed), "changes");

  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);
      JsonObject *data;

      if (g_strcmp0 (json_object_get_string_member (change, "type"), "meeting") != 0 ||
          json_object_get_boolean_member (change, "deleted"))
        continue;
      data = json_object_get_object_member (change, "data");
      if (g_strcmp0 (json_object_get_string_member (data, "id"), fixture->meeting_id) == 0)
        return json_object_get_array_member (data, "participants");
    }
  g_error ("the meeting %s is not in the secretary's feed", fixture->meeting_id);
  return NULL;
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

/* A published meeting of daibieu1's (only those are run) and its first top-level item:
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
          has_participant (data, "daibieu1"))
        g_hash_table_add (meetings, (gpointer) json_object_get_string_member (data, "id"));
      else if (g_str_equal (type, "agenda_item") && json_object_get_null_member (data, "parent_id") &&
               g_hash_table_contains (meetings, json_object_get_string_member (data, "meeting_id")))
        {
          fixture->meeting_id = g_strdup (json_object_get_string_member (data, "meeting_id"));
          fixture->item_id = g_strdup (json_object_get_string_member (data, "id"));
        }
    }
  if (fixture->item_id == NULL)
    g_error ("daibieu1 has no published meeting with an agenda");
}

static void
set_meeting_role (Fixture    *fixture,
                  const char *username,
                  const char *role)
{
  g_autofree char *body = g_strdup_printf ("{\"meeting_role\": \"%s\"}", role);

  g_assert_cmpuint (call (fixture, "PUT", fixture->secretary_token, body, NULL,
                          "/api/v1/meetings/%s/participants/%s", fixture->meeting_id, username), ==, 204);
}

/* The demo's chair of the meeting, or one made through the management API (daibieu2)
 * when it has none; daibieu1, the official in the window, is a member. */
static void
find_or_make_chair (Fixture *fixture)
{
  g_autoptr(JsonNode) feed = docket_test_secretary_feed (fixture->server, fixture->secretary_token);
  JsonArray *participants = meeting_participants (fixture, feed);

  for (guint i = 0; i < json_array_get_length (participants); i++)
    {
      JsonObject *participant = json_array_get_object_element (participants, i);
      const char *username = json_object_get_string_member (participant, "username");

      if (g_strcmp0 (json_object_get_string_member_with_default (participant, "meeting_role", "member"),
                     "chair") != 0)
        continue;
      if (g_strcmp0 (username, "daibieu1") == 0)
        set_meeting_role (fixture, "daibieu1", "member");
      else
        fixture->chair = g_strdup (username);
    }
  if (fixture->chair == NULL)
    {
      fixture->chair = g_strdup ("daibieu2");
      set_meeting_role (fixture, fixture->chair, "chair");
    }
  fixture->chair_token = docket_test_sign_in (fixture->server, fixture->chair,
                                              docket_test_server_get_password (fixture->server, fixture->chair));
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
  root = parse_json (answer);
  fixture->document_id = g_strdup (json_object_get_string_member (json_node_get_object (root), "id"));
}

/* What the chair does, over HTTP. */
static void
chair_patches_state (Fixture    *fixture,
                     const char *body)
{
  g_autoptr(GBytes) answer = NULL;
  guint status = call (fixture, "PATCH", fixture->chair_token, body, &answer,
                       "/api/v1/meetings/%s/state", fixture->meeting_id);

  if (status != 200)
    g_error ("PATCH state %s: %u %s", body, status, (const char *) g_bytes_get_data (answer, NULL));
}

static void
chair_presents (Fixture *fixture,
                int      page)
{
  g_autofree char *body = g_strdup_printf ("{\"presentation\": {\"document_id\": \"%s\", \"page\": %d}}",
                                           fixture->document_id, page);

  chair_patches_state (fixture, body);
}

/* The official's last presence in the server's attendance log, read by the chair, or
 * NULL. */
static char *
server_presence_of_daibieu1 (Fixture *fixture)
{
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *log;
  char *presence = NULL;

  g_assert_cmpuint (call (fixture, "GET", fixture->chair_token, NULL, &answer,
                          "/api/v1/meetings/%s/attendance", fixture->meeting_id), ==, 200);
  root = parse_json (answer);
  log = json_object_get_array_member (json_node_get_object (root), "log");
  for (guint i = 0; i < json_array_get_length (log); i++)
    {
      JsonObject *entry = json_array_get_object_element (log, i);

      if (g_strcmp0 (json_object_get_string_member (entry, "username"), "daibieu1") == 0)
        {
          g_free (presence);
          presence = g_strdup (json_object_get_string_member (entry, "presence"));
        }
    }
  return presence;
}

/* The window */

static DocketMeetingPage *
meeting_page (Fixture *fixture)
{
  return DOCKET_MEETING_PAGE (docket_ui_test_window_part (fixture->client.window, DOCKET_TYPE_MEETING_PAGE));
}

static DocketLiveBar *
live_bar (Fixture *fixture)
{
  return DOCKET_LIVE_BAR (docket_ui_test_window_part (fixture->client.window, DOCKET_TYPE_LIVE_BAR));
}

static DocketDocumentView *
document_view (Fixture *fixture)
{
  return DOCKET_DOCUMENT_VIEW (docket_ui_test_window_part (fixture->client.window, DOCKET_TYPE_DOCUMENT_VIEW));
}

/* The official asks for the feed now (win.refresh, Ctrl+R): the test does not wait for
 * the live channel, which tests of its own cover. */
static void
refresh (Fixture *fixture)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->client.window), "win.refresh", NULL));
}

static gboolean
meeting_listed (gpointer data)
{
  Fixture *fixture = data;
  DocketMeetingListPage *page = DOCKET_MEETING_LIST_PAGE (docket_ui_test_window_part (fixture->client.window,
                                                                                      DOCKET_TYPE_MEETING_LIST_PAGE));

  return docket_meeting_list_page_find_row (page, fixture->meeting_id) != NULL;
}

static gboolean
live_bar_shown (gpointer data)
{
  Fixture *fixture = data;
  const char *phase = docket_ui_test_get_shown_label (GTK_WIDGET (meeting_page (fixture)), "live-phase");

  return phase != NULL && gtk_widget_is_drawable (GTK_WIDGET (live_bar (fixture)));
}

static void
open_meeting (Fixture *fixture)
{
  DocketMeetingListPage *page = DOCKET_MEETING_LIST_PAGE (docket_ui_test_window_part (fixture->client.window,
                                                                                      DOCKET_TYPE_MEETING_LIST_PAGE));

  docket_ui_test_wait_for (meeting_listed, fixture, "the meeting in the list");
  g_assert_true (gtk_widget_activate (docket_meeting_list_page_find_row (page, fixture->meeting_id)));
  g_assert_cmpstr (docket_window_get_page_name (fixture->client.window), ==, "meeting");
  docket_ui_test_wait_for (docket_ui_test_agenda_loaded, meeting_page (fixture), "the agenda");
  docket_ui_test_wait_for (live_bar_shown, fixture, "the live bar");
}

/* The agenda row (on screen) showing the agenda item of id, or NULL: the row inside the
 * tree expander whose item it is. */
static DocketAgendaRow *
find_item_row (GtkWidget  *widget,
               const char *item_id)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      DocketAgendaRow *found;

      if (GTK_IS_TREE_EXPANDER (child) && DOCKET_IS_AGENDA_ROW (gtk_tree_expander_get_child (GTK_TREE_EXPANDER (child))))
        {
          g_autoptr(GObject) shown = gtk_tree_expander_get_item (GTK_TREE_EXPANDER (child));

          if (DOCKET_IS_AGENDA_ITEM (shown) &&
              g_strcmp0 (docket_agenda_item_get_id (DOCKET_AGENDA_ITEM (shown)), item_id) == 0)
            return DOCKET_AGENDA_ROW (gtk_tree_expander_get_child (GTK_TREE_EXPANDER (child)));
        }
      if ((found = find_item_row (child, item_id)) != NULL)
        return found;
    }
  return NULL;
}

/* The number of agenda rows marked current. */
static guint
count_current_rows (GtkWidget *widget)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      gboolean current = FALSE;

      if (DOCKET_IS_AGENDA_ROW (child))
        {
          g_object_get (child, "current", &current, NULL);
          n += current ? 1 : 0;
        }
      n += count_current_rows (child);
    }
  return n;
}

/* The menu item of model (and its sections) whose label, without its mnemonic, is
 * label: its action and target. */
static gboolean
find_menu_item (GMenuModel  *model,
                const char  *label,
                char       **out_action,
                GVariant   **out_target)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autofree char *item_label = NULL;
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (model, i, G_MENU_LINK_SECTION);
      g_autofree char *shown = NULL;

      if (section != NULL && find_menu_item (section, label, out_action, out_target))
        return TRUE;
      if (!g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_LABEL, "s", &item_label))
        continue;
      shown = g_strdup (item_label);
      /* "In the _Room" is heard "In the Room". */
      for (char *p = strchr (shown, '_'); p != NULL; p = strchr (p, '_'))
        memmove (p, p + 1, strlen (p));
      if (g_strcmp0 (shown, label) != 0)
        continue;
      g_assert_true (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", out_action));
      *out_target = g_menu_model_get_item_attribute_value (model, i, G_MENU_ATTRIBUTE_TARGET, NULL);
      return TRUE;
    }
  return FALSE;
}

/* Chooses the item labelled label in the menu of the menu button named name, as a click
 * on it would: its action, with its target, from the button. */
static void
choose_menu_item (GtkWidget  *widget,
                  const char *name,
                  const char *label)
{
  GtkWidget *button = docket_ui_test_find_named (widget, name);
  g_autofree char *action = NULL;
  g_autoptr(GVariant) target = NULL;

  g_assert_true (GTK_IS_MENU_BUTTON (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_true (find_menu_item (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (button)), label,
                                 &action, &target));
  g_assert_true (gtk_widget_activate_action_variant (button, action, target));
}

/* Conditions */

typedef struct {
  Fixture    *fixture;
  const char *name;       /* of a label, or a button */
  const char *text;       /* what it says, or (contains) a part of it */
} LabelWait;

static const char *
shown_text (GtkWidget  *widget,
            const char *name)
{
  GtkWidget *found = docket_ui_test_find_named (widget, name);

  if (found == NULL || !gtk_widget_is_drawable (found))
    return NULL;
  if (GTK_IS_BUTTON (found))
    return gtk_button_get_label (GTK_BUTTON (found));
  if (GTK_IS_MENU_BUTTON (found))
    return gtk_menu_button_get_label (GTK_MENU_BUTTON (found));
  return gtk_label_get_label (GTK_LABEL (found));
}

static gboolean
label_says (gpointer data)
{
  LabelWait *wait = data;
  const char *text = shown_text (GTK_WIDGET (wait->fixture->client.window), wait->name);
  DocketMeetingLive *dbg = docket_meeting_page_get_live (meeting_page (wait->fixture));
  static gint64 last;
  if (g_get_monotonic_time () - last > G_USEC_PER_SEC) { last = g_get_monotonic_time ();
  g_message ("DBG %s=%s presence=%u phase=%u role=%u state=%d", wait->name, text, docket_meeting_live_get_my_presence (dbg), docket_meeting_live_get_phase (dbg), docket_meeting_live_get_my_meeting_role (dbg), docket_sync_get_state (wait->fixture->client.sync)); }

  return text != NULL && strstr (text, wait->text) != NULL;
}

static void
wait_for_label (Fixture    *fixture,
                const char *name,
                const char *text)
{
  LabelWait wait = { fixture, name, text };
  g_autofree char *what = g_strdup_printf ("“%s” to say “%s”", name, text);

  docket_ui_test_wait_for (label_says, &wait, what);
}

static gboolean
server_has_daibieu1_present (gpointer data)
{
  g_autofree char *presence = server_presence_of_daibieu1 (data);

  return g_strcmp0 (presence, "present") == 0;
}

static gboolean
item_row_current (gpointer data)
{
  Fixture *fixture = data;
  DocketAgendaRow *row = find_item_row (GTK_WIDGET (docket_ui_test_agenda_view (meeting_page (fixture))),
                                        fixture->item_id);
  gboolean current = FALSE;

  if (row == NULL)
    return FALSE;
  g_object_get (row, "current", &current, NULL);
  return current;
}

typedef struct {
  Fixture *fixture;
  guint    page;
} PageWait;

static gboolean
reader_at_presented_page (gpointer data)
{
  PageWait *wait = data;
  DocketDocumentView *view = document_view (wait->fixture);
  DocketDocument *document = docket_document_view_get_document (view);

  return g_strcmp0 (docket_window_get_page_name (wait->fixture->client.window), "document") == 0 &&
         document != NULL && g_strcmp0 (docket_document_get_id (document), wait->fixture->document_id) == 0 &&
         docket_document_view_get_state (view) == DOCKET_DOCUMENT_VIEW_READY &&
         docket_document_view_get_current_page (view) == wait->page;
}

static void
wait_for_reader_at (Fixture *fixture,
                    guint    page)
{
  PageWait wait = { fixture, page };
  g_autofree char *what = g_strdup_printf ("the reader at the presented page %u", page + 1);

  docket_ui_test_wait_for (reader_at_presented_page, &wait, what);
}

/* Fixture */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->server = docket_test_server_start (TRUE);
  fixture->tmpdir = docket_test_make_tmpdir ("ui-live-official");
  fixture->profile = g_build_filename (fixture->tmpdir, "profile", NULL);
  fixture->secretary_token = docket_test_sign_in (fixture->server, "thuky",
                                                  docket_test_server_get_password (fixture->server, "thuky"));
  find_published_meeting (fixture);
  find_or_make_chair (fixture);
  upload_numbered_document (fixture);

  fixture->client.width = 1100;
  fixture->client.height = 860;
  docket_ui_test_client_sign_in_and_sync (&fixture->client, fixture->server, fixture->profile);
  open_meeting (fixture);
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
  g_free (fixture->chair);
  g_free (fixture->chair_token);
  g_free (fixture->meeting_id);
  g_free (fixture->item_id);
  g_free (fixture->document_id);
}

/* 1. Checking in, the current item, asking for the floor */

static void
test_check_in_current_item_floor (Fixture       *fixture,
                                  gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (fixture->client.window);
  g_autofree char *body = NULL;
  GtkWidget *participants;

  g_assert_cmpstr (shown_text (window, "live-phase"), ==, "Not started");
  g_assert_cmpuint (count_current_rows (GTK_WIDGET (meeting_page (fixture))), ==, 0);

  /* Check In → In the Room, from the live bar's menu: the server has it, and the
   * button says so once the feed brought it back. */
  choose_menu_item (window, "check-in-button", "In the Room");
  docket_ui_test_wait_for (server_has_daibieu1_present, fixture, "the server to have daibieu1 present");
  wait_for_label (fixture, "check-in-button", "In the Room");

  /* The chair starts the meeting and makes an item current: marked in the agenda (one
   * row), named in the live bar. */
  chair_patches_state (fixture, "{\"phase\": \"in_session\"}");
  body = g_strdup_printf ("{\"current_item_id\": \"%s\"}", fixture->item_id);
  chair_patches_state (fixture, body);
  refresh (fixture);
  docket_ui_test_wait_for (item_row_current, fixture, "the current item marked in the agenda");
  g_assert_cmpuint (count_current_rows (GTK_WIDGET (meeting_page (fixture))), ==, 1);
  wait_for_label (fixture, "live-phase", "In session since");
  wait_for_label (fixture, "live-current-item-label", "Now: ");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (meeting_page (fixture)), "meeting.show-current-item", NULL));

  /* Request to Speak: the button becomes Withdraw Request, with the place in the
   * queue. */
  wait_for_label (fixture, "floor-button", "Request to Speak");
  g_assert_true (gtk_widget_activate (docket_ui_test_find_named (window, "floor-button")));
  wait_for_label (fixture, "floor-button", "Withdraw Request");
  wait_for_label (fixture, "live-queue-place", "You are 1st");
  wait_for_label (fixture, "live-next", "Next: ");

  docket_ui_test_wait_for_paint (window);
  docket_ui_test_save_screenshot (window, "live-", "bar.png");

  /* The participants, with the quorum line. */
  participants = docket_ui_test_find_named (window, "participants-button");
  g_assert_nonnull (participants);
  gtk_menu_button_popup (GTK_MENU_BUTTON (participants));
  wait_for_label (fixture, "quorum-label", "checked in — quorum");
  docket_ui_test_wait_for_paint (window);
  docket_ui_test_save_screenshot (window, "live-", "participants.png");
  gtk_menu_button_popdown (GTK_MENU_BUTTON (participants));
}

/* 2. Following the chair's presentation */

static void
test_follow_presentation (Fixture       *fixture,
                          gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (fixture->client.window);
  gboolean following = TRUE;

  g_object_get (window, "following", &following, NULL);
  g_assert_false (following);

  chair_patches_state (fixture, "{\"phase\": \"in_session\"}");
  g_assert_true (gtk_widget_activate_action (window, "win.follow-presentation", NULL));
  g_object_get (window, "following", &following, NULL);
  g_assert_true (following);

  /* Page 3 (2 from 0): the reader opens the document there. */
  chair_presents (fixture, 2);
  refresh (fixture);
  wait_for_reader_at (fixture, 2);
  g_assert_true (gtk_widget_get_visible (docket_ui_test_find_named (window, "following-button")));
  docket_ui_test_wait_for_paint (window);
  docket_ui_test_save_screenshot (window, "live-", "following.png");

  /* The official turns to the first page: theirs until the chair turns the next one. */
  docket_document_view_go_to_page (document_view (fixture), 0);
  wait_for_reader_at (fixture, 0);
  chair_presents (fixture, 3);
  refresh (fixture);
  wait_for_reader_at (fixture, 3);
  g_object_get (window, "following", &following, NULL);
  g_assert_true (following);
}

int
main (int    argc,
      char **argv)
{
  docket_ui_test_init (&argc, &argv);

  g_test_add ("/live-official/check-in-current-item-floor", Fixture, NULL, fixture_set_up,
              test_check_in_current_item_floor, fixture_tear_down);
  g_test_add ("/live-official/follow-presentation", Fixture, NULL, fixture_set_up,
              test_follow_presentation, fixture_tear_down);

  return g_test_run ();
}
