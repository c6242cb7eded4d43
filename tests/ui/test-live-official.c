/* test-live-official.c: what an official sees and does during a live meeting
 *
 * The real window under Xvfb, signed in as daibieu1, against the real docket-server,
 * while the test plays the meeting's chair over HTTP: checking in from the live bar's
 * menu reaches the server; the item the chair makes current is marked in the agenda and
 * named in the live bar; asking for the floor turns the button into "Withdraw Request"
 * with the official's place in the queue; with Follow Presentation on, the reader opens
 * the document the chair presents at the page presented, and follows the next page too
 * after the official turned pages themself. The desktop notifications reach the
 * desktop's notification service (org.gtk.Notifications, which the test plays on its
 * private session bus), each once, never for the state found at start-up. Screenshots of the live bar and the
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
#include "docket-live-notifier.h"
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
  char              *official_token;   /* daibieu1's, for what the test does as them */
  char              *meeting_id;
  char              *item_id;          /* a top-level item of the meeting */
  char              *document_id;      /* a document of N_PAGES pages under it */
  guint              n_documents;      /* of the meeting, as the window first shows it */

  DocketUiTestClient client;
} Fixture;

/* The server's side, as the secretary and the chair */

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

  g_assert_cmpuint (docket_ui_test_call (fixture->server, "PUT", fixture->secretary_token, body, NULL,
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

static char *
upload_numbered_document (Fixture    *fixture,
                          const char *title)
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
  url = g_strdup_printf ("%s/api/v1/items/%s/documents?title=%s", docket_test_server_get_url (fixture->server),
                         fixture->item_id, title);
  g_assert_cmpuint (docket_test_http ("POST", url, fixture->secretary_token, "application/pdf", pdf, &answer), ==, 201);
  root = docket_ui_test_parse_json (answer);
  return g_strdup (json_object_get_string_member (json_node_get_object (root), "id"));
}

/* What the chair does, over HTTP. */
static void
chair_patches_state (Fixture    *fixture,
                     const char *body)
{
  g_autoptr(GBytes) answer = NULL;
  guint status = docket_ui_test_call (fixture->server, "PATCH", fixture->chair_token, body, &answer,
                                      "/api/v1/meetings/%s/state", fixture->meeting_id);

  if (status != 200)
    g_error ("PATCH state %s: %u %s", body, status, (const char *) g_bytes_get_data (answer, NULL));
}

static void
chair_presents_document (Fixture    *fixture,
                         const char *document_id,
                         int         page)
{
  g_autofree char *body = g_strdup_printf ("{\"presentation\": {\"document_id\": \"%s\", \"page\": %d}}",
                                           document_id, page);

  chair_patches_state (fixture, body);
}

static void
chair_presents (Fixture *fixture,
                int      page)
{
  chair_presents_document (fixture, fixture->document_id, page);
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

  g_assert_cmpuint (docket_ui_test_call (fixture->server, "GET", fixture->chair_token, NULL, &answer,
                                         "/api/v1/meetings/%s/attendance", fixture->meeting_id), ==, 200);
  root = docket_ui_test_parse_json (answer);
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

/* The official asks for the feed now (win.refresh, Ctrl+R), after a change the test made
 * on the server: the test does not wait for the live channel, which tests of its own
 * cover. */
static void
refresh (Fixture *fixture)
{
  /* A refresh asked for during a run joins it, and that run may have read the feed
   * before the change: a new one, once the engine is idle. */
  docket_ui_test_wait_for (docket_ui_test_client_not_syncing, &fixture->client, "the sync engine idle");
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

/* text without its mnemonic underscores: what is shown and heard. */
static char *
without_mnemonic (const char *text)
{
  GString *shown = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    if (*p != '_')
      g_string_append_c (shown, *p);
  return g_string_free (shown, FALSE);
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
      /* "In the _Room" is heard "In the Room". */
      shown = without_mnemonic (item_label);
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
  g_autofree char *shown = text != NULL ? without_mnemonic (text) : NULL;

  return shown != NULL && strstr (shown, wait->text) != NULL;
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
  fixture->official_token = docket_test_sign_in (fixture->server, "daibieu1",
                                                 docket_test_server_get_password (fixture->server, "daibieu1"));
  fixture->document_id = upload_numbered_document (fixture, "Presented");

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
  g_free (fixture->official_token);
  g_free (fixture->meeting_id);
  g_free (fixture->item_id);
  g_free (fixture->document_id);
}

static gboolean
popover_closed (gpointer menu_button)
{
  GtkPopover *popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (menu_button));

  return popover == NULL || !gtk_widget_get_mapped (GTK_WIDGET (popover));
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
  /* The popover is a surface of its own. */
  docket_ui_test_save_screenshot (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (participants))),
                                  "live-", "participants.png");
  gtk_menu_button_popdown (GTK_MENU_BUTTON (participants));
  /* Its surface gone before the window's. */
  docket_ui_test_wait_for (popover_closed, participants, "the participants popover to close");
  docket_ui_test_wait_for_paint (window);
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

/* 3. Desktop notifications */

/* The desktop's side of GNotification (what GNOME Shell serves): the test owns
 * org.gtk.Notifications on its private session bus and keeps the title and body of every
 * notification sent to it, in order. */
typedef struct {
  GPtrArray *titles;
  GPtrArray *bodies;
  guint      owner_id;
  guint      object_id;
  gboolean   owned;
} Desktop;

static const char desktop_xml[] =
  "<node>"
  "  <interface name='org.gtk.Notifications'>"
  "    <method name='AddNotification'>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='a{sv}' direction='in'/>"
  "    </method>"
  "    <method name='RemoveNotification'>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "    </method>"
  "  </interface>"
  "</node>";

static void
desktop_method_call (GDBusConnection       *connection,
                     const char            *sender,
                     const char            *object_path,
                     const char            *interface_name,
                     const char            *method_name,
                     GVariant              *parameters,
                     GDBusMethodInvocation *invocation,
                     gpointer               user_data)
{
  Desktop *desktop = user_data;

  if (g_str_equal (method_name, "AddNotification"))
    {
      g_autoptr(GVariant) notification = g_variant_get_child_value (parameters, 2);
      const char *title = NULL;
      const char *body = NULL;

      g_variant_lookup (notification, "title", "&s", &title);
      g_variant_lookup (notification, "body", "&s", &body);
      g_ptr_array_add (desktop->titles, g_strdup (title != NULL ? title : ""));
      g_ptr_array_add (desktop->bodies, g_strdup (body != NULL ? body : ""));
    }
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static const GDBusInterfaceVTable desktop_vtable = { desktop_method_call, NULL, NULL, { NULL } };

static void
on_desktop_name_acquired (GDBusConnection *connection,
                          const char      *name,
                          gpointer         user_data)
{
  ((Desktop *) user_data)->owned = TRUE;
}

static gboolean
desktop_owned (gpointer data)
{
  return ((Desktop *) data)->owned;
}

static void
desktop_start (Desktop *desktop)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (desktop_xml, NULL);

  g_assert_nonnull (bus);
  desktop->titles = g_ptr_array_new_with_free_func (g_free);
  desktop->bodies = g_ptr_array_new_with_free_func (g_free);
  desktop->object_id = g_dbus_connection_register_object (bus, "/org/gtk/Notifications", info->interfaces[0],
                                                          &desktop_vtable, desktop, NULL, NULL);
  g_assert_cmpuint (desktop->object_id, !=, 0);
  desktop->owner_id = g_bus_own_name_on_connection (bus, "org.gtk.Notifications", G_BUS_NAME_OWNER_FLAGS_NONE,
                                                    on_desktop_name_acquired, NULL, desktop, NULL);
  docket_ui_test_wait_for (desktop_owned, desktop, "org.gtk.Notifications on the session bus");
}

static void
desktop_stop (Desktop *desktop)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);

  g_bus_unown_name (desktop->owner_id);
  g_dbus_connection_unregister_object (bus, desktop->object_id);
  g_clear_pointer (&desktop->titles, g_ptr_array_unref);
  g_clear_pointer (&desktop->bodies, g_ptr_array_unref);
}

static guint
desktop_count (Desktop    *desktop,
               const char *title)
{
  guint n = 0;

  for (guint i = 0; i < desktop->titles->len; i++)
    n += g_str_equal (g_ptr_array_index (desktop->titles, i), title) ? 1 : 0;
  return n;
}

typedef struct {
  Desktop    *desktop;
  const char *title;
  guint       count;
} DesktopWait;

static gboolean
desktop_has (gpointer data)
{
  DesktopWait *wait = data;

  return desktop_count (wait->desktop, wait->title) >= wait->count;
}

static void
wait_for_notification (Desktop    *desktop,
                       const char *title,
                       guint       count)
{
  DesktopWait wait = { desktop, title, count };
  g_autofree char *what = g_strdup_printf ("the notification “%s” (%u)", title, count);

  docket_ui_test_wait_for (desktop_has, &wait, what);
}

static gboolean
notifier_ready (gpointer notifier)
{
  guint n_ready = 0;

  g_object_get (notifier, "n-ready", &n_ready, NULL);
  return n_ready > 0;
}

/* The official's speech, as the feed gives it to the chair: its id. */
static char *
speech_of_daibieu1 (Fixture *fixture)
{
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonNode) root = NULL;

  g_assert_cmpuint (docket_ui_test_call (fixture->server, "POST", fixture->official_token, "{}", &answer,
                                         "/api/v1/meetings/%s/speeches", fixture->meeting_id), ==, 201);
  root = docket_ui_test_parse_json (answer);
  return g_strdup (json_object_get_string_member (json_object_get_object_member (json_node_get_object (root), "speech"),
                                                  "id"));
}

static gboolean
second_listed (gpointer data)
{
  Fixture *fixture = data;
  DocketAgenda *agenda = docket_meeting_page_get_agenda (meeting_page (fixture));
  guint n = agenda != NULL ? docket_agenda_get_n_documents (agenda) : 0;

  /* The demo's documents of the meeting, "Presented" and "Second". */
  return fixture->n_documents > 0 && n == fixture->n_documents + 1;
}

static void
test_notifications (Fixture       *fixture,
                    gconstpointer  data)
{
  Desktop desktop = { 0 };
  g_autoptr(GApplication) application = g_application_new ("io.github.docket.Docket.TestLiveOfficial",
                                                           G_APPLICATION_NON_UNIQUE);
  g_autoptr(DocketLiveNotifier) notifier = NULL;
  g_autoptr(DocketLiveNotifier) late = NULL;
  g_autofree char *speech_id = NULL;
  g_autofree char *second_id = NULL;
  g_autoptr(GError) error = NULL;

  desktop_start (&desktop);
  g_assert_true (g_application_register (application, NULL, &error));
  g_assert_no_error (error);
  notifier = docket_live_notifier_new (application, fixture->client.store);
  docket_ui_test_wait_for (notifier_ready, notifier, "the notifier's first read of the meeting");
  fixture->n_documents = docket_agenda_get_n_documents (docket_meeting_page_get_agenda (meeting_page (fixture)));

  /* The meeting starts; the chair gives the official the floor; the chair presents. */
  chair_patches_state (fixture, "{\"phase\": \"in_session\"}");
  refresh (fixture);
  wait_for_notification (&desktop, "The meeting has started", 1);
  speech_id = speech_of_daibieu1 (fixture);
  g_assert_cmpuint (docket_ui_test_call (fixture->server, "PATCH", fixture->chair_token, "{\"state\": \"speaking\"}", NULL,
                                         "/api/v1/speeches/%s", speech_id), ==, 200);
  refresh (fixture);
  wait_for_notification (&desktop, "You have the floor", 1);
  chair_presents (fixture, 1);
  refresh (fixture);
  wait_for_notification (&desktop, "The chair presents a document", 1);
  g_assert_cmpstr (g_ptr_array_index (desktop.bodies, desktop.titles->len - 1), ==, "Presented");

  /* Another page of the same document is no news. A notifier started now finds all
   * that as it is, and tells none of it; the next document presented is told by both. */
  second_id = upload_numbered_document (fixture, "Second");
  chair_presents (fixture, 2);
  refresh (fixture);
  docket_ui_test_wait_for (second_listed, fixture, "the second document in the agenda");
  late = docket_live_notifier_new (application, fixture->client.store);
  docket_ui_test_wait_for (notifier_ready, late, "the late notifier's first read of the meeting");
  chair_presents_document (fixture, second_id, 0);
  refresh (fixture);
  wait_for_notification (&desktop, "The chair presents a document", 3);
  g_assert_cmpstr (g_ptr_array_index (desktop.bodies, desktop.titles->len - 1), ==, "Second");
  g_assert_cmpuint (desktop_count (&desktop, "The meeting has started"), ==, 1);
  g_assert_cmpuint (desktop_count (&desktop, "You have the floor"), ==, 1);

  g_clear_object (&late);
  g_clear_object (&notifier);
  desktop_stop (&desktop);
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
  g_test_add ("/live-official/notifications", Fixture, NULL, fixture_set_up,
              test_notifications, fixture_tear_down);

  return g_test_run ();
}
