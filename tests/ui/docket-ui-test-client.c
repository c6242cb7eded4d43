/* docket-ui-test-client.c: an official's Docket, signed in to a real demo server */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "docket-ui-test-client.h"
#include "docket-ui-test-util.h"
#include "docket-agenda.h"
#include "docket-meeting-list-page.h"
#include "docket-meeting-page.h"
#include "docket-sign-in-page.h"

GPtrArray *
docket_ui_test_server_meetings (DocketTestServer *server,
                                const char       *username)
{
  g_autofree char *token = docket_test_sign_in (server, username,
                                                docket_test_server_get_password (server, username));
  g_autofree char *url = g_strconcat (docket_test_server_get_url (server), "/api/v1/changes?limit=1000", NULL);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  GPtrArray *meetings = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  JsonArray *changes;

  g_assert_cmpuint (docket_test_http ("GET", url, token, NULL, NULL, &body), ==, 200);
  json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), -1, &error);
  g_assert_no_error (error);
  changes = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "changes");
  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);

      if (g_str_equal (json_object_get_string_member (change, "type"), "meeting") &&
          !json_object_get_boolean_member (change, "deleted"))
        g_ptr_array_add (meetings, json_object_ref (json_object_get_object_member (change, "data")));
    }
  return meetings;
}

guint
docket_ui_test_server_meeting_count (DocketTestServer *server,
                                     const char       *username)
{
  g_autoptr(GPtrArray) meetings = docket_ui_test_server_meetings (server, username);
  return meetings->len;
}

DocketMeetingList *
docket_ui_test_window_meetings (DocketWindow *window)
{
  return docket_meeting_list_page_get_meetings (
      DOCKET_MEETING_LIST_PAGE (docket_ui_test_window_part (window, DOCKET_TYPE_MEETING_LIST_PAGE)));
}

/* Starting and stopping */

void
docket_ui_test_client_open_store (DocketUiTestClient *client,
                                  const char         *profile)
{
  g_autoptr(GError) error = NULL;

  client->store = docket_store_open (profile, &error);
  g_assert_no_error (error);
  client->sync = docket_sync_new (client->store);
}

void
docket_ui_test_client_new_window (DocketUiTestClient *client)
{
  client->window = g_object_ref_sink (docket_window_new (NULL, client->store, client->sync));
  gtk_window_set_default_size (GTK_WINDOW (client->window),
                               client->width > 0 ? client->width : 1280,
                               client->height > 0 ? client->height : 800);
  gtk_window_present (GTK_WINDOW (client->window));
}

void
docket_ui_test_client_open (DocketUiTestClient *client,
                            const char         *profile)
{
  docket_ui_test_client_open_store (client, profile);
  docket_ui_test_client_new_window (client);
}

gboolean
docket_ui_test_client_not_syncing (gpointer data)
{
  DocketUiTestClient *client = data;
  return docket_sync_get_state (client->sync) != DOCKET_SYNC_STATE_SYNCING;
}

static void
client_close (DocketUiTestClient *client,
              gboolean            as_user)
{
  docket_sync_stop_automatic (client->sync);
  /* Let a cancelled run unwind before the objects go. */
  docket_ui_test_wait_for (docket_ui_test_client_not_syncing, client, "the sync to stop");
  if (as_user)
    gtk_window_close (GTK_WINDOW (client->window));
  else
    gtk_window_destroy (GTK_WINDOW (client->window));
  g_clear_object (&client->window);
  g_clear_object (&client->sync);
  g_clear_object (&client->store);
  if (as_user)
    while (g_main_context_iteration (NULL, FALSE))
      ;
}

void
docket_ui_test_client_close (DocketUiTestClient *client)
{
  client_close (client, FALSE);
}

void
docket_ui_test_client_close_as_user (DocketUiTestClient *client)
{
  client_close (client, TRUE);
}

/* Signing in */

static gboolean
sign_in_settled (gpointer data)
{
  DocketSignInPage *page = DOCKET_SIGN_IN_PAGE (docket_ui_test_window_part (data, DOCKET_TYPE_SIGN_IN_PAGE));
  gboolean busy = TRUE;

  g_object_get (page, "busy", &busy, NULL);
  return !busy &&
         (docket_ui_test_shown_alert (GTK_WIDGET (page)) != NULL ||
          g_strcmp0 (docket_window_get_page_name (data), "meetings") == 0);
}

void
docket_ui_test_sign_in_as (DocketWindow *window,
                           const char   *url,
                           const char   *username,
                           const char   *password)
{
  DocketSignInPage *page = DOCKET_SIGN_IN_PAGE (docket_ui_test_window_part (window, DOCKET_TYPE_SIGN_IN_PAGE));

  gtk_editable_set_text (GTK_EDITABLE (docket_ui_test_find_row (GTK_WIDGET (page), "Server Address")), url);
  gtk_editable_set_text (GTK_EDITABLE (docket_ui_test_find_row (GTK_WIDGET (page), "User Name")), username);
  gtk_editable_set_text (GTK_EDITABLE (docket_ui_test_find_row (GTK_WIDGET (page), "Password")), password);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "sign-in.submit", NULL));
  docket_ui_test_wait_for (sign_in_settled, window, "the sign-in to finish");
}

void
docket_ui_test_client_sign_in (DocketUiTestClient *client,
                               DocketTestServer   *server)
{
  docket_ui_test_sign_in_as (client->window, docket_test_server_get_url (server), "daibieu1",
                             docket_test_server_get_password (server, "daibieu1"));
  g_assert_null (docket_ui_test_shown_alert (docket_ui_test_window_part (client->window, DOCKET_TYPE_SIGN_IN_PAGE)));
}

void
docket_ui_test_client_sign_in_and_sync (DocketUiTestClient *client,
                                        DocketTestServer   *server,
                                        const char         *profile)
{
  client->n_meetings = docket_ui_test_server_meeting_count (server, "daibieu1");
  g_assert_cmpuint (client->n_meetings, >, 0);

  docket_ui_test_client_open (client, profile);
  docket_ui_test_client_sign_in (client, server);
  docket_ui_test_wait_for (docket_ui_test_client_synced, client, "the demo meetings and their documents");
}

/* Waiting for the meetings */

gboolean
docket_ui_test_client_synced (gpointer data)
{
  DocketUiTestClient *client = data;
  DocketMeetingList *meetings = docket_ui_test_window_meetings (client->window);

  if (meetings == NULL || docket_sync_get_state (client->sync) == DOCKET_SYNC_STATE_SYNCING ||
      g_list_model_get_n_items (G_LIST_MODEL (meetings)) != client->n_meetings)
    return FALSE;
  for (guint i = 0; i < client->n_meetings; i++)
    {
      g_autoptr(DocketMeeting) meeting = g_list_model_get_item (G_LIST_MODEL (meetings), i);
      if (!docket_meeting_get_all_offline (meeting))
        return FALSE;
    }
  return TRUE;
}

gboolean
docket_ui_test_client_some_meeting_offline (gpointer data)
{
  DocketUiTestClient *client = data;
  DocketMeetingList *meetings = docket_ui_test_window_meetings (client->window);

  if (meetings == NULL || docket_sync_get_state (client->sync) == DOCKET_SYNC_STATE_SYNCING)
    return FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (meetings)); i++)
    {
      g_autoptr(DocketMeeting) meeting = g_list_model_get_item (G_LIST_MODEL (meetings), i);
      if (docket_meeting_get_n_documents (meeting) > 0 && docket_meeting_get_all_offline (meeting))
        return TRUE;
    }
  return FALSE;
}

/* Opening a document */

gboolean
docket_ui_test_agenda_loaded (gpointer data)
{
  DocketAgenda *agenda = docket_meeting_page_get_agenda (data);
  return agenda != NULL && docket_agenda_get_loaded (agenda);
}

/* The first document of at least min_pages pages whose id is not skip, and when
 * offline_only, on this computer in a meeting that has all its documents here. */
static DocketDocument *
open_document (DocketWindow *window,
               guint         min_pages,
               const char   *skip,
               gboolean      offline_only)
{
  DocketMeetingList *meetings = docket_ui_test_window_meetings (window);
  DocketMeetingListPage *list_page = DOCKET_MEETING_LIST_PAGE (docket_ui_test_window_part (window, DOCKET_TYPE_MEETING_LIST_PAGE));
  DocketMeetingPage *meeting_page = DOCKET_MEETING_PAGE (docket_ui_test_window_part (window, DOCKET_TYPE_MEETING_PAGE));

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (meetings)); i++)
    {
      g_autoptr(DocketMeeting) meeting = g_list_model_get_item (G_LIST_MODEL (meetings), i);
      GListModel *rows;

      if (docket_meeting_get_n_documents (meeting) == 0 ||
          (offline_only && !docket_meeting_get_all_offline (meeting)))
        continue;
      g_assert_true (gtk_widget_activate (docket_meeting_list_page_find_row (list_page, docket_meeting_get_id (meeting))));
      g_assert_cmpstr (docket_window_get_page_name (window), ==, "meeting");
      docket_ui_test_wait_for (docket_ui_test_agenda_loaded, meeting_page, "the agenda to load");

      rows = docket_ui_test_agenda_rows (meeting_page);
      for (guint j = 0; j < g_list_model_get_n_items (rows); j++)
        {
          g_autoptr(GtkTreeListRow) row = g_list_model_get_item (rows, j);
          g_autoptr(GObject) item = gtk_tree_list_row_get_item (row);

          if (DOCKET_IS_DOCUMENT (item) && docket_document_get_pages (DOCKET_DOCUMENT (item)) >= min_pages &&
              g_strcmp0 (docket_document_get_id (DOCKET_DOCUMENT (item)), skip) != 0 &&
              (!offline_only || docket_document_get_offline (DOCKET_DOCUMENT (item))))
            {
              g_assert_true (gtk_widget_activate_action (GTK_WIDGET (docket_ui_test_agenda_view (meeting_page)),
                                                         "list.activate-item", "u", j));
              g_assert_cmpstr (docket_window_get_page_name (window), ==, "document");
              return DOCKET_DOCUMENT (item);
            }
        }
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.back", NULL));
    }
  g_error ("No %sdocument of %u pages in the demo", offline_only ? "offline " : "", min_pages);
  return NULL;
}

DocketDocument *
docket_ui_test_open_document_with_pages (DocketWindow *window,
                                         guint         min_pages,
                                         const char   *skip)
{
  return open_document (window, min_pages, skip, FALSE);
}

char *
docket_ui_test_open_offline_document (DocketWindow *window)
{
  return g_strdup (docket_document_get_id (open_document (window, 0, NULL, TRUE)));
}

gboolean
docket_ui_test_index_complete (gpointer data)
{
  DocketUiTestIndexing *indexing = data;
  g_autoptr(GPtrArray) left = NULL;

  if (docket_indexer_get_busy (indexing->indexer))
    return FALSE;
  left = docket_store_list_unindexed_contents (indexing->store, NULL);
  return left != NULL && left->len == 0;
}

GtkWidget *
docket_ui_test_window_part (DocketWindow *window,
                            GType         type)
{
  GtkWidget *part = docket_ui_test_find_descendant (GTK_WIDGET (window), type);

  if (part == NULL)
    g_error ("No %s in the window", g_type_name (type));
  return part;
}

GtkListView *
docket_ui_test_agenda_view (DocketMeetingPage *page)
{
  GtkWidget *view = docket_ui_test_find_descendant (GTK_WIDGET (page), GTK_TYPE_LIST_VIEW);

  g_assert_nonnull (view);
  return GTK_LIST_VIEW (view);
}

GListModel *
docket_ui_test_agenda_rows (DocketMeetingPage *page)
{
  /* The selection model passes the tree's rows through as they are. */
  return G_LIST_MODEL (gtk_list_view_get_model (docket_ui_test_agenda_view (page)));
}

AdwMessageDialog *
docket_ui_test_ask_to_sign_out (DocketWindow *window)
{
  AdwMessageDialog *dialog;

  g_assert_null (docket_ui_test_find_message_dialog (GTK_WINDOW (window)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-out", NULL));
  dialog = docket_ui_test_find_message_dialog (GTK_WINDOW (window));
  g_assert_nonnull (dialog);
  return dialog;
}

JsonNode *
docket_ui_test_parse_json (GBytes *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), -1, NULL));
  return json_node_copy (json_parser_get_root (parser));
}

guint
docket_ui_test_call (DocketTestServer  *server,
                     const char        *method,
                     const char        *token,
                     const char        *body,
                     GBytes           **out_body,
                     const char        *path_format,
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
  url = g_strconcat (docket_test_server_get_url (server), path, NULL);
  status = docket_test_http (method, url, token, body != NULL ? "application/json" : NULL, request, &answer);
  if (out_body != NULL)
    *out_body = g_steal_pointer (&answer);
  return status;
}
