/* test-ui.c: the real window, driven in-process, against the real docket-server
 *
 * Under Xvfb, with the real Secret Service of the test run's private D-Bus session: sign
 * in through the sign-in page, see the demo meetings, open one, open a document, wait for
 * a rendered page, take screenshots; then stop the server and check that everything still
 * shows from the cache; a damaged PDF shows a status page. The window-less command line
 * (--sign-in, --sync-once) runs the built binary.
 */
#include "config.h"

#include <string.h>


#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "docket-test-util.h"
#include "docket-ui-test-util.h"
#include "docket-ui-test-client.h"
#include "docket-store.h"
#include "docket-sync.h"
#include "docket-window.h"
#include "docket-agenda.h"
#include "docket-document-view.h"
#include "docket-meeting-list.h"
#include "docket-meeting-list-page.h"
#include "docket-meeting-page.h"
#include "docket-sign-in-page.h"
#include "docket-page-widget.h"
#include "docket-sync-indicator.h"

/* Screenshots go to $DOCKET_TEST_ARTIFACTS. */
static void
save_screenshot (GtkWidget  *window,
                 const char *name)
{
  docket_ui_test_save_screenshot (window, NULL, name);
}

/* What the server says the user sees */

/* The titles of the meetings daibieu1 sees, straight from the server's change feed. */
static GPtrArray *
server_meeting_titles (DocketTestServer *server,
                       const char       *username)
{
  g_autoptr(GPtrArray) meetings = docket_ui_test_server_meetings (server, username);
  GPtrArray *titles = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < meetings->len; i++)
    g_ptr_array_add (titles, g_strdup (json_object_get_string_member (g_ptr_array_index (meetings, i), "title")));
  return titles;
}

/* Building and driving the window */

static gboolean
sync_settled_offline (gpointer data)
{
  DocketUiTestClient *client = data;
  DocketSyncState state = docket_sync_get_state (client->sync);

  return state == DOCKET_SYNC_STATE_OFFLINE;
}

static gboolean
on_page (DocketWindow *window,
         const char   *name)
{
  return g_strcmp0 (docket_window_get_page_name (window), name) == 0;
}

/* Signs in through the sign-in page, which must be the one shown; waits until it
 * settles, signed in or with an error. */
static void
fill_sign_in (DocketWindow *window,
              const char   *url,
              const char   *username,
              const char   *password)
{
  g_assert_cmpstr (docket_window_get_page_name (window), ==, "sign-in");
  docket_ui_test_sign_in_as (window, url, username, password);
}

/* The meetings are loaded from the cache, as many as the server lists. */
static gboolean
meetings_loaded (gpointer data)
{
  DocketUiTestClient *client = data;
  DocketMeetingList *meetings = docket_ui_test_window_meetings (client->window);

  return meetings != NULL && docket_meeting_list_get_loaded (meetings) &&
         g_list_model_get_n_items (G_LIST_MODEL (meetings)) == client->n_meetings;
}

static void
assert_meetings_shown (DocketWindow *window,
                       GPtrArray    *titles)
{
  DocketMeetingList *meetings = docket_ui_test_window_meetings (window);
  DocketMeetingListPage *page = DOCKET_MEETING_LIST_PAGE (docket_window_get_meeting_list_page (window));
  g_auto(GStrv) days = docket_meeting_list_page_dup_day_titles (page);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (meetings)), ==, titles->len);
  g_assert_cmpuint (g_strv_length (days), >, 0);

  for (guint i = 0; i < titles->len; i++)
    {
      const char *title = g_ptr_array_index (titles, i);
      gboolean found = FALSE;

      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (meetings)) && !found; j++)
        {
          g_autoptr(DocketMeeting) meeting = g_list_model_get_item (G_LIST_MODEL (meetings), j);

          if (g_strcmp0 (docket_meeting_get_title (meeting), title) == 0)
            {
              GtkWidget *row = docket_meeting_list_page_find_row (page, docket_meeting_get_id (meeting));

              /* Shown, as a row with that very title. */
              g_assert_nonnull (row);
              g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, title);
              found = TRUE;
            }
        }
      if (!found)
        g_error ("The meeting “%s” is not in the list", title);
    }
}

/* Opens the first meeting (in list order) that has a document, by activating its row. */
static void
open_meeting_with_documents (DocketWindow *window)
{
  DocketMeetingList *meetings = docket_ui_test_window_meetings (window);
  DocketMeetingListPage *list_page = DOCKET_MEETING_LIST_PAGE (docket_window_get_meeting_list_page (window));
  DocketMeetingPage *meeting_page = DOCKET_MEETING_PAGE (docket_window_get_meeting_page (window));

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (meetings)); i++)
    {
      g_autoptr(DocketMeeting) meeting = g_list_model_get_item (G_LIST_MODEL (meetings), i);
      GtkWidget *row;

      if (docket_meeting_get_n_documents (meeting) == 0)
        continue;

      row = docket_meeting_list_page_find_row (list_page, docket_meeting_get_id (meeting));
      g_assert_nonnull (row);
      /* As a click or Enter would. */
      g_assert_true (gtk_widget_activate (row));
      g_assert_cmpstr (docket_window_get_page_name (window), ==, "meeting");
      g_assert_true (docket_meeting_page_get_meeting (meeting_page) == meeting);
      docket_ui_test_wait_for (docket_ui_test_agenda_loaded, meeting_page, "the agenda to load");
      g_assert_cmpuint (docket_agenda_get_n_documents (docket_meeting_page_get_agenda (meeting_page)),
                        ==, docket_meeting_get_n_documents (meeting));
      g_assert_cmpuint (docket_agenda_get_n_items (docket_meeting_page_get_agenda (meeting_page)), >, 0);
      return;
    }
  g_error ("No meeting with documents in the demo");
}

/* Activates the agenda row of the first document; returns the document. */
static DocketDocument *
open_first_document (DocketWindow *window)
{
  DocketMeetingPage *page = DOCKET_MEETING_PAGE (docket_window_get_meeting_page (window));
  GListModel *rows = docket_meeting_page_get_rows (page);
  gboolean nested_seen = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(GtkTreeListRow) row = g_list_model_get_item (rows, i);
      g_autoptr(GObject) item = gtk_tree_list_row_get_item (row);

      /* The tree is really a tree: documents hang under their item. */
      nested_seen |= gtk_tree_list_row_get_depth (row) > 0;
      if (DOCKET_IS_DOCUMENT (item))
        {
          g_assert_true (nested_seen);
          g_assert_true (gtk_widget_activate_action (GTK_WIDGET (docket_meeting_page_get_agenda_view (page)),
                                                     "list.activate-item", "u", i));
          g_assert_cmpstr (docket_window_get_page_name (window), ==, "document");
          return DOCKET_DOCUMENT (item);
        }
    }
  g_error ("No document in the agenda");
  return NULL;
}

static gboolean
view_settled (gpointer data)
{
  DocketDocumentViewState state = docket_document_view_get_state (data);
  return state == DOCKET_DOCUMENT_VIEW_READY || state == DOCKET_DOCUMENT_VIEW_FAILED;
}

/* A page widget of the view shows a rendering (a rendering made ahead of its row, at
 * a width the row turns out not to have, is not one). */
static gboolean
page_rendered (gpointer data)
{
  GtkWidget *pages = docket_ui_test_find_named (GTK_WIDGET (data), "page-view");

  for (GtkWidget *row = gtk_widget_get_first_child (pages); row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *child = gtk_widget_get_first_child (row);

      if (child != NULL && DOCKET_IS_PAGE_WIDGET (child) &&
          docket_page_widget_get_texture (DOCKET_PAGE_WIDGET (child)) != NULL)
        return TRUE;
    }
  return FALSE;
}

/* A page widget on screen holds a texture as wide as it is drawn, times the scale. */
static void
assert_page_widget_textured (GtkWidget *widget)
{
  gboolean found = FALSE;
  GtkWidget *child;

  if (DOCKET_IS_PAGE_WIDGET (widget) && docket_page_widget_get_texture (DOCKET_PAGE_WIDGET (widget)) != NULL)
    {
      GdkTexture *texture = docket_page_widget_get_texture (DOCKET_PAGE_WIDGET (widget));
      g_assert_cmpint (gdk_texture_get_width (texture), >=, 100);
      g_assert_cmpint (gdk_texture_get_height (texture), >=, 100);
      return;
    }
  for (child = gtk_widget_get_first_child (widget); child != NULL && !found;
       child = gtk_widget_get_next_sibling (child))
    {
      if (DOCKET_IS_PAGE_WIDGET (child) && docket_page_widget_get_texture (DOCKET_PAGE_WIDGET (child)) != NULL)
        found = TRUE;
      else if (!DOCKET_IS_PAGE_WIDGET (child))
        {
          /* Look one level down (list rows hold the page widgets). */
          for (GtkWidget *grandchild = gtk_widget_get_first_child (child); grandchild != NULL;
               grandchild = gtk_widget_get_next_sibling (grandchild))
            if (DOCKET_IS_PAGE_WIDGET (grandchild) &&
                docket_page_widget_get_texture (DOCKET_PAGE_WIDGET (grandchild)) != NULL)
              found = TRUE;
        }
    }
  g_assert_true (found);
}

static void
open_document_and_wait_for_page (DocketWindow *window,
                                 const char   *screenshot)
{
  DocketDocumentView *view = DOCKET_DOCUMENT_VIEW (docket_window_get_document_view (window));
  DocketDocument *document = open_first_document (window);

  g_assert_true (docket_document_get_offline (document));
  docket_ui_test_wait_for (view_settled, view, "the document to open");
  g_assert_cmpint (docket_document_view_get_state (view), ==, DOCKET_DOCUMENT_VIEW_READY);
  g_assert_cmpuint (docket_pdf_document_get_n_pages (docket_document_view_get_pdf_document (view)), ==,
                    docket_document_get_pages (document));
  docket_ui_test_wait_for (page_rendered, view, "a page to be rendered");
  docket_ui_test_wait_for_paint (GTK_WIDGET (window));
  assert_page_widget_textured (docket_ui_test_find_named (GTK_WIDGET (view), "page-view"));
  save_screenshot (GTK_WIDGET (window), screenshot);
}

/* Tests */

typedef struct {
  GtkWidget  *row;
  const char *title;
} RowTitleWait;

static gboolean
row_has_title (gpointer data)
{
  RowTitleWait *wait = data;
  return g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (wait->row)), wait->title) == 0;
}

static void
assert_rename_updates_row_in_place (DocketTestServer   *server,
                                    DocketUiTestClient *client)
{
  DocketMeetingList *meetings = docket_ui_test_window_meetings (client->window);
  DocketMeetingListPage *page = DOCKET_MEETING_LIST_PAGE (docket_window_get_meeting_list_page (client->window));
  g_autoptr(DocketMeeting) meeting = g_list_model_get_item (G_LIST_MODEL (meetings), 0);
  g_autofree char *token = docket_test_sign_in (server, "thuky", docket_test_server_get_password (server, "thuky"));
  g_autofree char *url = g_strconcat (docket_test_server_get_url (server), "/api/v1/meetings/",
                                      docket_meeting_get_id (meeting), NULL);
  const char *new_title = "Kỳ họp bất thường – đổi tên";
  g_autofree char *json = g_strdup_printf ("{\"title\": \"%s\"}", new_title);
  g_autoptr(GBytes) body = g_bytes_new (json, strlen (json));
  g_autoptr(GBytes) answer = NULL;
  GtkWidget *row = docket_meeting_list_page_find_row (page, docket_meeting_get_id (meeting));
  RowTitleWait wait = { row, new_title };
  guint n_before = g_list_model_get_n_items (G_LIST_MODEL (meetings));

  g_assert_nonnull (row);
  g_assert_cmpuint (docket_test_http ("PATCH", url, token, "application/json", body, &answer), ==, 200);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (client->window), "win.refresh", NULL));
  docket_ui_test_wait_for (row_has_title, &wait, "the renamed meeting's row");
  /* Updated, not rebuilt: the very same objects and row. */
  g_assert_true (docket_meeting_list_page_find_row (page, docket_meeting_get_id (meeting)) == row);
  g_assert_cmpstr (docket_meeting_get_title (meeting), ==, new_title);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (meetings)), ==, n_before);
  docket_ui_test_wait_for (docket_ui_test_client_not_syncing, client, "the refresh to finish");
}

typedef struct {
  DocketTestServer *server;
  guint             before;
} RequestWait;

static gboolean
changes_requested (gpointer data)
{
  RequestWait *wait = data;
  return docket_test_server_count_requests (wait->server, "GET", "/api/v1/changes") > wait->before;
}

static void
test_window_online_then_offline (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *root = docket_test_make_tmpdir ("docket-ui");
  g_autofree char *profile = g_build_filename (root, "profile", NULL);
  g_autoptr(GPtrArray) titles = server_meeting_titles (server, "daibieu1");
  DocketUiTestClient client = { .n_meetings = titles->len };
  DocketDocumentView *view;
  DocketDocument *document;
  g_autofree char *damaged_path = NULL;

  g_assert_cmpuint (titles->len, >, 0);

  /* Online: sign in through the page, the meetings arrive with their documents. */
  docket_ui_test_client_open (&client, profile);
  save_screenshot (GTK_WIDGET (client.window), "ui-sign-in.png");
  fill_sign_in (client.window, docket_test_server_get_url (server), "daibieu1",
                docket_test_server_get_password (server, "daibieu1"));
  g_assert_null (docket_sign_in_page_get_error (DOCKET_SIGN_IN_PAGE (docket_window_get_sign_in_page (client.window))));
  g_assert_cmpstr (docket_window_get_page_name (client.window), ==, "meetings");
  docket_ui_test_wait_for (docket_ui_test_client_synced, &client, "the demo meetings and their documents");
  assert_meetings_shown (client.window, titles);
  save_screenshot (GTK_WIDGET (client.window), "ui-meetings.png");

  open_meeting_with_documents (client.window);
  save_screenshot (GTK_WIDGET (client.window), "ui-meeting.png");
  open_document_and_wait_for_page (client.window, "ui-document.png");

  /* Back goes up the path. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (client.window), "win.back", NULL));
  g_assert_cmpstr (docket_window_get_page_name (client.window), ==, "meeting");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (client.window), "win.back", NULL));
  g_assert_cmpstr (docket_window_get_page_name (client.window), ==, "meetings");

  /* Refresh asks the server again. */
  {
    RequestWait request_wait = { server, docket_test_server_count_requests (server, "GET", "/api/v1/changes") };

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (client.window), "win.refresh", NULL));
    /* Our main loop must turn for the request to go out: wait here, not in the helper. */
    docket_ui_test_wait_for (changes_requested, &request_wait, "the refresh to ask the server");
    docket_ui_test_wait_for (docket_ui_test_client_not_syncing, &client, "the refresh to finish");
  }

  /* A secretary renames a meeting: after a refresh the same row shows the new title. */
  assert_rename_updates_row_in_place (server, &client);
  g_clear_pointer (&titles, g_ptr_array_unref);
  titles = server_meeting_titles (server, "daibieu1");
  client.n_meetings = titles->len;
  docket_ui_test_client_close_as_user (&client);

  /* The window's size is remembered. */
  {
    g_autoptr(GSettings) settings = g_settings_new (APP_ID);
    g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1280);
    g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 800);
    g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
  }

  /* Offline: no server at all; the same profile shows everything from the cache. */
  docket_test_server_stop (server);
  client.width = 800;
  client.height = 600;
  docket_ui_test_client_open (&client, profile);
  g_assert_cmpstr (docket_window_get_page_name (client.window), ==, "meetings");
  docket_ui_test_wait_for (meetings_loaded, &client, "the cached meetings");
  assert_meetings_shown (client.window, titles);
  /* The indicator does not pretend to be online. */
  docket_ui_test_wait_for (sync_settled_offline, &client, "the sync to give up on the missing server");
  g_assert_cmpstr (docket_sync_indicator_get_text (DOCKET_SYNC_INDICATOR (docket_window_get_sync_indicator (client.window))),
                   !=, "Online");
  g_assert_true (gtk_widget_get_visible (docket_window_get_sync_indicator (client.window)));
  save_screenshot (GTK_WIDGET (client.window), "ui-meetings-offline-800x600.png");
  open_meeting_with_documents (client.window);
  save_screenshot (GTK_WIDGET (client.window), "ui-meeting-offline-800x600.png");
  open_document_and_wait_for_page (client.window, "ui-document-offline-800x600.png");

  /* A damaged file: the status page says so, nothing crashes. */
  view = DOCKET_DOCUMENT_VIEW (docket_window_get_document_view (client.window));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (client.window), "win.back", NULL));
  document = open_first_document (client.window);
  damaged_path = g_strdup (docket_document_get_path (document));
  g_assert_nonnull (damaged_path);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (client.window), "win.back", NULL));
  {
    g_autoptr(GError) error = NULL;
    g_assert_true (g_file_set_contents (damaged_path, "%PDF-1.7\nthis is not a real PDF\n", -1, &error));
    g_assert_no_error (error);
  }
  open_first_document (client.window);
  docket_ui_test_wait_for (view_settled, view, "the damaged document to settle");
  g_assert_cmpint (docket_document_view_get_state (view), ==, DOCKET_DOCUMENT_VIEW_FAILED);
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (docket_ui_test_find_named (GTK_WIDGET (view), "error-page"))), ==, "This Document Cannot Be Shown");
  g_assert_nonnull (adw_status_page_get_description (ADW_STATUS_PAGE (docket_ui_test_find_named (GTK_WIDGET (view), "error-page"))));
  save_screenshot (GTK_WIDGET (client.window), "ui-document-damaged.png");

  docket_ui_test_client_close_as_user (&client);
  docket_test_rmtree (root);
}

static gboolean
sign_in_shown (gpointer data)
{
  return on_page (data, "sign-in");
}

static AdwMessageDialog *
find_message_dialog (GtkWindow *parent)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_window_get_transient_for (window) == parent)
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static void
sign_out_and_answer (DocketWindow *window,
                     const char   *response)
{
  AdwMessageDialog *dialog;

  g_assert_null (find_message_dialog (GTK_WINDOW (window)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-out", NULL));
  dialog = find_message_dialog (GTK_WINDOW (window));
  g_assert_nonnull (dialog);
  g_assert_true (adw_message_dialog_has_response (dialog, "sign-out"));
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "sign-out"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);
  save_screenshot (GTK_WIDGET (dialog), "ui-sign-out-dialog.png");
  adw_message_dialog_response (dialog, response);
  /* The dialog closes itself once answered. */
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_sign_in_errors (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *root = docket_test_make_tmpdir ("docket-ui");
  g_autofree char *profile = g_build_filename (root, "profile", NULL);
  DocketUiTestClient client = { 0 };
  DocketSignInPage *page;
  const char *error;

  docket_ui_test_client_open (&client, profile);
  page = DOCKET_SIGN_IN_PAGE (docket_window_get_sign_in_page (client.window));

  /* A wrong password: said in place, still on the sign-in page. */
  fill_sign_in (client.window, docket_test_server_get_url (server), "daibieu1", "not-the-password");
  error = docket_sign_in_page_get_error (page);
  g_assert_nonnull (error);
  g_assert_cmpuint (strlen (error), >, 10);
  g_assert_cmpstr (docket_window_get_page_name (client.window), ==, "sign-in");
  save_screenshot (GTK_WIDGET (client.window), "ui-sign-in-error.png");

  /* Nobody listening: another sentence, still on the page. */
  fill_sign_in (client.window, "http://127.0.0.1:1", "daibieu1", "whatever");
  g_assert_nonnull (docket_sign_in_page_get_error (page));
  g_assert_cmpstr (docket_sign_in_page_get_error (page), !=, "");
  g_assert_cmpstr (docket_window_get_page_name (client.window), ==, "sign-in");

  /* Then the right one gets through. */
  fill_sign_in (client.window, docket_test_server_get_url (server), "daibieu1",
                docket_test_server_get_password (server, "daibieu1"));
  g_assert_cmpstr (docket_window_get_page_name (client.window), ==, "meetings");
  g_assert_true (docket_sync_get_signed_in (client.sync));

  /* Sign out asks first; cancelling keeps everything. */
  sign_out_and_answer (client.window, "cancel");
  g_assert_cmpstr (docket_window_get_page_name (client.window), ==, "meetings");
  g_assert_true (docket_sync_get_signed_in (client.sync));
  sign_out_and_answer (client.window, "sign-out");
  docket_ui_test_wait_for (sign_in_shown, client.window, "the sign-in page after signing out");
  g_assert_false (docket_sync_get_signed_in (client.sync));
  /* The page is ready for the same account again. */
  g_assert_cmpstr (gtk_editable_get_text (docket_sign_in_page_get_username_entry (page)), ==, "daibieu1");
  g_assert_cmpstr (gtk_editable_get_text (docket_sign_in_page_get_password_entry (page)), ==, "");

  docket_ui_test_client_close_as_user (&client);
  docket_test_server_stop (server);
  docket_test_rmtree (root);
}

/* The command line */

static void
assert_one_line (const char *text)
{
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  g_assert_cmpstr (stripped, !=, "");
  g_assert_null (strchr (stripped, '\n'));
}

static void
test_command_line (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *root = docket_test_make_tmpdir ("docket-ui");
  g_autofree char *profile = g_build_filename (root, "profile", NULL);
  g_autofree char *password_line = g_strconcat (docket_test_server_get_password (server, "daibieu1"), "\n", NULL);
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *db = g_build_filename (profile, "docket.db", NULL);
  g_autoptr(DocketStore) store = NULL;
  g_autoptr(GPtrArray) meetings = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  status = docket_test_run_client (NULL, &out, &err, "--version", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (g_str_has_prefix (out, "docket " PACKAGE_VERSION));
  g_clear_pointer (&out, g_free); g_clear_pointer (&err, g_free);

  status = docket_test_run_client (NULL, &out, &err, "--help", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "--profile"));
  g_assert_nonnull (strstr (out, "--sign-in"));
  g_assert_nonnull (strstr (out, "--sync-once"));
  g_clear_pointer (&out, g_free); g_clear_pointer (&err, g_free);

  /* Not signed in yet: sync-once fails with a reason. */
  status = docket_test_run_client (NULL, &out, &err, "--profile", profile, "--sync-once", NULL);
  g_assert_cmpint (status, !=, 0);
  assert_one_line (err);
  g_clear_pointer (&out, g_free); g_clear_pointer (&err, g_free);

  /* A user but no URL's partner: usage error. */
  status = docket_test_run_client ("x\n", &out, &err, "--profile", profile, "--sign-in", docket_test_server_get_url (server), NULL);
  g_assert_cmpint (status, ==, 2);
  g_clear_pointer (&out, g_free); g_clear_pointer (&err, g_free);

  /* Wrong password. */
  status = docket_test_run_client ("wrong\n", &out, &err, "--profile", profile,
                                   "--sign-in", docket_test_server_get_url (server), "daibieu1", NULL);
  g_assert_cmpint (status, ==, 1);
  assert_one_line (err);
  g_clear_pointer (&out, g_free); g_clear_pointer (&err, g_free);

  /* Right password, then a sync that fills the profile. */
  status = docket_test_run_client (password_line, &out, &err, "--profile", profile,
                                   "--sign-in", docket_test_server_get_url (server), "daibieu1", NULL);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&out, g_free); g_clear_pointer (&err, g_free);

  status = docket_test_run_client (NULL, &out, &err, "--profile", profile, "--sync-once", NULL);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&out, g_free); g_clear_pointer (&err, g_free);

  g_assert_true (g_file_test (db, G_FILE_TEST_IS_REGULAR));
  store = docket_store_open (profile, &error);
  g_assert_no_error (error);
  meetings = docket_store_list_meetings (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (meetings->len, >, 0);
  for (guint i = 0; i < meetings->len; i++)
    {
      DocketStoreMeetingRow *row = g_ptr_array_index (meetings, i);
      g_assert_cmpuint (row->n_documents_offline, ==, row->n_documents);
    }
  g_clear_object (&store);

  /* The server gone: sync-once fails, in one line. */
  docket_test_server_stop (server);
  status = docket_test_run_client (NULL, &out, &err, "--profile", profile, "--sync-once", NULL);
  g_assert_cmpint (status, ==, 1);
  assert_one_line (err);

  docket_test_rmtree (root);
}

/* A long document: only the pages near the view are bound and rendered. */

static void
collect_page_widgets (GtkWidget *widget,
                      GPtrArray *out)
{
  if (DOCKET_IS_PAGE_WIDGET (widget))
    {
      g_ptr_array_add (out, widget);
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_page_widgets (child, out);
}

static guint
count_textured (GPtrArray *widgets)
{
  guint n = 0;

  for (guint i = 0; i < widgets->len; i++)
    n += docket_page_widget_get_texture (g_ptr_array_index (widgets, i)) != NULL;
  return n;
}

typedef struct {
  DocketDocumentView *view;
  guint               index;
} PageWait;

static gboolean
page_textured (gpointer data)
{
  PageWait *wait = data;
  g_autoptr(GPtrArray) widgets = g_ptr_array_new ();

  collect_page_widgets (GTK_WIDGET (wait->view), widgets);
  for (guint i = 0; i < widgets->len; i++)
    {
      DocketPageWidget *page = g_ptr_array_index (widgets, i);

      if (docket_page_widget_get_page (page) != NULL &&
          docket_pdf_page_get_index (docket_page_widget_get_page (page)) == wait->index &&
          docket_page_widget_get_texture (page) != NULL)
        return TRUE;
    }
  return FALSE;
}

static void
test_thousand_pages (void)
{
  g_autofree char *root = docket_test_make_tmpdir ("docket-ui");
  g_autofree char *path = g_build_filename (root, "long.pdf", NULL);
  GtkWidget *window = gtk_window_new ();
  DocketDocumentView *view = g_object_new (DOCKET_TYPE_DOCUMENT_VIEW, NULL);
  g_autoptr(GPtrArray) widgets = g_ptr_array_new ();
  DocketPdfDocument *pdf;
  GtkAdjustment *adjustment;
  PageWait wait = { view, 0 };
  guint rendered;

  docket_ui_test_write_numbered_pdf (path, 1000, FALSE);
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 700);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (window));

  docket_document_view_open (view, path);
  docket_ui_test_wait_for (view_settled, view, "the long document to open");
  g_assert_cmpint (docket_document_view_get_state (view), ==, DOCKET_DOCUMENT_VIEW_READY);
  pdf = docket_document_view_get_pdf_document (view);
  g_assert_cmpuint (docket_pdf_document_get_n_pages (pdf), ==, 1000);
  docket_ui_test_wait_for (page_textured, &wait, "the first page");
  docket_ui_test_wait_for_paint (window);

  /* A few dozen rows at most exist (the page view is a one-column GtkGridView, which
   * keeps about 30), and only the pages on screen were rendered and hold a texture. */
  collect_page_widgets (GTK_WIDGET (view), widgets);
  rendered = docket_pdf_document_get_render_count (pdf);
  g_test_message ("%u page widgets, %u pages rendered", widgets->len, rendered);
  g_assert_cmpuint (widgets->len, <, 64);
  g_assert_cmpuint (rendered, >=, 1);
  g_assert_cmpuint (rendered, <=, 4);
  g_assert_cmpuint (count_textured (widgets), <=, 4);

  /* The last page is reachable and renders; the first ones let their textures go. */
  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (docket_ui_test_find_named (GTK_WIDGET (view), "page-view")));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  wait.index = 999;
  docket_ui_test_wait_for (page_textured, &wait, "the last page");
  save_screenshot (window, "ui-document-last-page.png");
  g_assert_cmpuint (docket_pdf_document_get_render_count (pdf), <=, rendered + 4);
  g_ptr_array_set_size (widgets, 0);
  collect_page_widgets (GTK_WIDGET (view), widgets);
  g_assert_cmpuint (count_textured (widgets), <=, 4);

  gtk_window_destroy (GTK_WINDOW (window));
  docket_test_rmtree (root);
}

static gboolean
widget_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (widget);
}

/* Whether menu (or a section of it) has an item for action. */
static gboolean
menu_has_action (GMenuModel *menu,
                 const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *name = NULL;
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &name) &&
          g_str_equal (name, action))
        return TRUE;
      if (section != NULL && menu_has_action (section, action))
        return TRUE;
    }
  return FALSE;
}

/* Whether a menu button under widget has an item for action. */
static gboolean
window_menu_has_action (GtkWidget  *widget,
                        const char *action)
{
  if (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (widget)) != NULL &&
      menu_has_action (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (widget)), action))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (window_menu_has_action (child, action))
      return TRUE;
  return FALSE;
}

/* The Keyboard Shortcuts window, as a GNOME application has it: Ctrl+? and the main
 * menu open it, in a window of the real application (GtkApplication finds it among
 * Docket's resources, as it does when `docket` starts). */
static void
test_keyboard_shortcuts (void)
{
  g_autofree char *root = docket_test_make_tmpdir ("docket-ui");
  g_autofree char *profile = g_build_filename (root, "profile", NULL);
  g_autoptr(GtkApplication) application = gtk_application_new ("io.github.docket.Docket",
                                                               G_APPLICATION_NON_UNIQUE);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) accels = NULL;
  DocketUiTestClient client = { 0 };
  GtkShortcutsWindow *overlay;

  g_assert_true (g_application_register (G_APPLICATION (application), NULL, &error));
  g_assert_no_error (error);
  docket_ui_test_client_open_store (&client, profile);
  client.window = g_object_ref_sink (docket_window_new (application, client.store, client.sync));
  gtk_window_present (GTK_WINDOW (client.window));

  overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (client.window));
  g_assert_nonnull (overlay);
  accels = gtk_application_get_accels_for_action (application, "win.show-help-overlay");
  g_assert_true (g_strv_contains ((const char * const *) accels, "<Control>question"));
  g_assert_true (window_menu_has_action (GTK_WIDGET (client.window), "win.show-help-overlay"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (client.window), "win.show-help-overlay", NULL));
  docket_ui_test_wait_for (widget_mapped, overlay, "the shortcuts window");
  docket_ui_test_wait_for_paint (GTK_WIDGET (overlay));
  save_screenshot (GTK_WIDGET (overlay), "ui-keyboard-shortcuts.png");
  gtk_window_destroy (GTK_WINDOW (overlay));

  docket_ui_test_client_close (&client);
  docket_test_rmtree (root);
}

int
main (int   argc,
      char *argv[])
{
  docket_ui_test_init (&argc, &argv);

  g_test_add_func ("/ui/command-line", test_command_line);
  g_test_add_func ("/ui/sign-in-errors", test_sign_in_errors);
  g_test_add_func ("/ui/window/online-then-offline", test_window_online_then_offline);
  g_test_add_func ("/ui/document-view/thousand-pages", test_thousand_pages);
  g_test_add_func ("/ui/window/keyboard-shortcuts", test_keyboard_shortcuts);

  return g_test_run ();
}
