/* test-downloads-ui.c: what the official sees of downloads, and personal notes
 *
 * The real window under Xvfb against the real docket-server: while a large document is
 * stalled half-way (the server process is stopped), the meeting list and the meeting
 * page show a progress bar; a document that arrives damaged shows why and a Retry
 * button, which fetches it once the server's copy is repaired. A note written on an
 * agenda item is there again after the window is closed and opened anew.
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "docket-test-util.h"
#include "docket-ui-test-util.h"
#include "docket-ui-test-client.h"
#include "docket-store.h"
#include "docket-sync.h"
#include "docket-window.h"
#include "docket-agenda.h"
#include "docket-agenda-row.h"
#include "docket-meeting-list.h"
#include "docket-meeting-list-page.h"
#include "docket-meeting-page.h"
#include "docket-meeting-row.h"
#include "docket-personal-note-button.h"
#include "docket-sign-in-page.h"

#define NOTE_TEXT "Hỏi thêm về dự toán ngân sách — đề nghị đại biểu góp ý"

typedef struct {
  DocketTestServer *server;
  char             *tmpdir;
  char             *profile;
  char             *secretary_token;
  char             *meeting_id;
  char             *item_id;
  char             *large_id;
  char             *large_sha;
  char             *damaged_id;
  char             *damaged_sha;

  DocketUiTestClient client;

  gboolean          paused;
  gint64            paused_at;
} Fixture;

/* Waiting */

static gboolean
tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* docket_ui_test_wait_for, for conditions on time too (the loop wakes up now and then). */
static void
wait_for (DocketUiTestCondition  condition,
          gpointer               data,
          const char            *what)
{
  guint tick = g_timeout_add (20, tick_cb, NULL);

  docket_ui_test_wait_for (condition, data, what);
  g_source_remove (tick);
}

/* The server's side */

/* The first top-level agenda item of a published meeting of daibieu1's. */
static void
find_item_of_daibieu1 (Fixture *fixture)
{
  fixture->item_id = docket_test_find_item_of (fixture->server, fixture->secretary_token, "daibieu1", TRUE,
                                               &fixture->meeting_id);
  if (fixture->item_id == NULL)
    g_error ("daibieu1 has no agenda item");
}

static void
upload_document (Fixture     *fixture,
                 const char  *title,
                 gsize        size,
                 char       **out_id,
                 char       **out_sha256)
{
  g_autofree char *url = g_strdup_printf ("%s/api/v1/items/%s/documents?title=%s",
                                          docket_test_server_get_url (fixture->server),
                                          fixture->item_id, title);
  g_autoptr(GBytes) pdf = docket_test_make_pdf (size);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_cmpuint (docket_test_http ("POST", url, fixture->secretary_token, "application/pdf",
                                      pdf, &answer), ==, 201);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL), -1, NULL));
  *out_id = g_strdup (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), "id"));
  *out_sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, pdf);
}

/* Flips one byte of the server's copy (a second call puts it back). */
static void
flip_server_blob (Fixture    *fixture,
                  const char *sha)
{
  g_autofree char *path = g_strdup_printf ("%s/blobs/%c%c/%s.pdf",
                                           docket_test_server_get_data_dir (fixture->server),
                                           sha[0], sha[1], sha);
  g_autofree char *contents = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  contents[len / 2] ^= 0x55;
  g_assert_true (g_file_set_contents (path, contents, (gssize) len, NULL));
}

/* The window */

static void
window_open (Fixture *fixture)
{
  fixture->client.width = 1100;
  fixture->client.height = 860;
  docket_ui_test_client_open_store (&fixture->client, fixture->profile);
  /* A damaged document waits this long before a run tries it again by itself. */
  docket_sync_set_backoff_initial_ms (fixture->client.sync, 5 * 60 * 1000);
  docket_ui_test_client_new_window (&fixture->client);
}

static gboolean
on_meetings_page (gpointer data)
{
  Fixture *fixture = data;
  DocketSignInPage *page = DOCKET_SIGN_IN_PAGE (docket_ui_test_window_part (fixture->client.window, DOCKET_TYPE_SIGN_IN_PAGE));

  if (docket_ui_test_shown_alert (GTK_WIDGET (page)) != NULL)
    g_error ("sign-in failed: %s", docket_ui_test_shown_alert (GTK_WIDGET (page)));
  return g_strcmp0 (docket_window_get_page_name (fixture->client.window), "meetings") == 0;
}

static DocketMeeting *
find_meeting (Fixture *fixture)
{
  DocketMeetingList *meetings = docket_ui_test_window_meetings (fixture->client.window);

  return meetings != NULL ? docket_meeting_list_find (meetings, fixture->meeting_id) : NULL;
}

/* The meeting page's download summary: the box that holds "Make Available Offline First",
 * and the sentence in it (its first label, before the progress bar). */
static GtkWidget *
download_box (DocketMeetingPage *page)
{
  return gtk_widget_get_parent (GTK_WIDGET (docket_ui_test_find_button (GTK_WIDGET (page),
                                                                        "Make Available Offline First")));
}

static GtkLabel *
download_label (DocketMeetingPage *page)
{
  return GTK_LABEL (docket_ui_test_find_descendant (download_box (page), GTK_TYPE_LABEL));
}

/* What a document row's status shows: the page of the stack that holds its progress bar
 * ("icon": offline, waiting or missing; "progress"; "failed", with Retry). */
static const char *
agenda_row_status (DocketAgendaRow *row)
{
  GtkWidget *bar = docket_ui_test_find_descendant (GTK_WIDGET (row), GTK_TYPE_PROGRESS_BAR);

  g_assert_nonnull (bar);
  return gtk_stack_get_visible_child_name (GTK_STACK (gtk_widget_get_parent (bar)));
}

/* The agenda row (on screen) showing item, or NULL: the row inside the tree expander
 * whose list row holds item (the expander's item is the toolkit's public answer). */
static DocketAgendaRow *
find_agenda_row (GtkWidget *widget,
                 GObject   *item)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      DocketAgendaRow *found;

      if (GTK_IS_TREE_EXPANDER (child) && DOCKET_IS_AGENDA_ROW (gtk_tree_expander_get_child (GTK_TREE_EXPANDER (child))))
        {
          g_autoptr(GObject) shown = gtk_tree_expander_get_item (GTK_TREE_EXPANDER (child));

          if (shown == item)
            return DOCKET_AGENDA_ROW (gtk_tree_expander_get_child (GTK_TREE_EXPANDER (child)));
        }
      if ((found = find_agenda_row (child, item)) != NULL)
        return found;
    }

  return NULL;
}

static DocketMeetingPage *
meeting_page (Fixture *fixture)
{
  return DOCKET_MEETING_PAGE (docket_ui_test_window_part (fixture->client.window, DOCKET_TYPE_MEETING_PAGE));
}

static gboolean
meeting_listed (gpointer data)
{
  Fixture *fixture = data;
  DocketMeetingListPage *page = DOCKET_MEETING_LIST_PAGE (docket_ui_test_window_part (fixture->client.window, DOCKET_TYPE_MEETING_LIST_PAGE));

  return docket_meeting_list_page_find_row (page, fixture->meeting_id) != NULL;
}

static void
open_meeting (Fixture *fixture)
{
  DocketMeetingListPage *page = DOCKET_MEETING_LIST_PAGE (docket_ui_test_window_part (fixture->client.window, DOCKET_TYPE_MEETING_LIST_PAGE));
  GtkWidget *row;

  docket_ui_test_wait_for (meeting_listed, fixture, "the meeting in the list");
  row = docket_meeting_list_page_find_row (page, fixture->meeting_id);
  g_assert_true (gtk_widget_activate (row));
  g_assert_cmpstr (docket_window_get_page_name (fixture->client.window), ==, "meeting");
  docket_ui_test_wait_for (docket_ui_test_agenda_loaded, meeting_page (fixture), "the agenda");
  docket_ui_test_wait_for_paint (GTK_WIDGET (fixture->client.window));
}

static DocketDocument *
agenda_document (Fixture    *fixture,
                 const char *document_id)
{
  DocketAgenda *agenda = docket_meeting_page_get_agenda (meeting_page (fixture));

  return agenda != NULL ? docket_agenda_find_document (agenda, document_id) : NULL;
}

static DocketAgendaRow *
document_row (Fixture    *fixture,
              const char *document_id)
{
  DocketDocument *document = agenda_document (fixture, document_id);

  g_assert_nonnull (document);
  return find_agenda_row (GTK_WIDGET (docket_ui_test_agenda_view (meeting_page (fixture))),
                          G_OBJECT (document));
}

/* Fixture */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->server = docket_test_server_start (TRUE);
  fixture->tmpdir = docket_test_make_tmpdir ("ui-downloads");
  fixture->profile = g_build_filename (fixture->tmpdir, "profile", NULL);
  fixture->secretary_token = docket_test_sign_in (fixture->server, "thuky",
                                                  docket_test_server_get_password (fixture->server, "thuky"));
  find_item_of_daibieu1 (fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->paused)
    docket_test_server_pause (fixture->server, FALSE);
  if (fixture->client.window != NULL)
    docket_ui_test_client_close_as_user (&fixture->client);
  docket_test_server_stop (fixture->server);
  docket_test_rmtree (fixture->tmpdir);
  g_free (fixture->tmpdir);
  g_free (fixture->profile);
  g_free (fixture->secretary_token);
  g_free (fixture->meeting_id);
  g_free (fixture->item_id);
  g_free (fixture->large_id);
  g_free (fixture->large_sha);
  g_free (fixture->damaged_id);
  g_free (fixture->damaged_sha);
}

/* 1. Progress, failure and Retry */

static gboolean
pause_when_flowing_cb (gpointer user_data)
{
  Fixture *fixture = user_data;
  DocketDownloadInfo info;

  if (fixture->client.sync == NULL)
    return G_SOURCE_REMOVE;
  if (docket_sync_get_download (fixture->client.sync, fixture->large_sha, &info) &&
      info.state == DOCKET_DOWNLOAD_STATE_DOWNLOADING && info.bytes_done > 0)
    {
      docket_test_server_pause (fixture->server, TRUE);
      fixture->paused = TRUE;
      fixture->paused_at = g_get_monotonic_time ();
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

static gboolean
stalled_and_shown (gpointer data)
{
  Fixture *fixture = data;
  DocketMeeting *meeting = find_meeting (fixture);

  return fixture->paused && g_get_monotonic_time () - fixture->paused_at > 800 * 1000 &&
         meeting != NULL && docket_meeting_get_n_downloading (meeting) > 0 &&
         docket_meeting_get_download_fraction (meeting) > 0.0;
}

static gboolean
large_row_progressing (gpointer data)
{
  Fixture *fixture = data;
  DocketAgendaRow *row = document_row (fixture, fixture->large_id);

  return row != NULL && g_strcmp0 (agenda_row_status (row), "progress") == 0 &&
         gtk_progress_bar_get_fraction (GTK_PROGRESS_BAR (docket_ui_test_find_descendant (GTK_WIDGET (row), GTK_TYPE_PROGRESS_BAR))) > 0.0;
}

static gboolean
damaged_failed_large_offline (gpointer data)
{
  Fixture *fixture = data;
  DocketDocument *large = agenda_document (fixture, fixture->large_id);
  DocketDocument *damaged = agenda_document (fixture, fixture->damaged_id);

  return docket_sync_get_state (fixture->client.sync) != DOCKET_SYNC_STATE_SYNCING &&
         large != NULL && docket_document_get_offline (large) &&
         damaged != NULL && docket_document_get_download_state (damaged) == DOCKET_DOWNLOAD_STATE_FAILED;
}

static gboolean
damaged_offline (gpointer data)
{
  Fixture *fixture = data;
  DocketDocument *damaged = agenda_document (fixture, fixture->damaged_id);
  DocketAgendaRow *row = damaged != NULL ? document_row (fixture, fixture->damaged_id) : NULL;

  return damaged != NULL && docket_document_get_offline (damaged) &&
         docket_document_get_download_state (damaged) == DOCKET_DOWNLOAD_STATE_NONE &&
         row != NULL && g_strcmp0 (agenda_row_status (row), "icon") == 0;
}

static void
test_progress_failure_retry (Fixture       *fixture,
                             gconstpointer  data)
{
  DocketMeetingListPage *list_page;
  DocketMeetingRow *meeting_row;
  DocketMeeting *meeting;
  DocketAgendaRow *row;
  GtkButton *retry;
  const char *accessible_name;

  /* Larger than loopback sockets and the engine's queue hold together: it stalls
   * half-way when the server stops. */
  upload_document (fixture, "Large", 48 * 1024 * 1024, &fixture->large_id, &fixture->large_sha);
  upload_document (fixture, "Damaged", 200 * 1024, &fixture->damaged_id, &fixture->damaged_sha);
  flip_server_blob (fixture, fixture->damaged_sha);

  window_open (fixture);
  g_timeout_add (1, pause_when_flowing_cb, fixture);
  docket_ui_test_client_sign_in (&fixture->client, fixture->server);
  wait_for (stalled_and_shown, fixture, "the large download to stall, shown in the meeting list");

  /* The meeting list: a progress bar on the meeting's row. */
  list_page = DOCKET_MEETING_LIST_PAGE (docket_ui_test_window_part (fixture->client.window, DOCKET_TYPE_MEETING_LIST_PAGE));
  meeting_row = DOCKET_MEETING_ROW (docket_meeting_list_page_find_row (list_page, fixture->meeting_id));
  g_assert_nonnull (meeting_row);
  docket_ui_test_wait_for_paint (GTK_WIDGET (fixture->client.window));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (GTK_PROGRESS_BAR (docket_ui_test_find_descendant (GTK_WIDGET (meeting_row), GTK_TYPE_PROGRESS_BAR)))));
  g_assert_cmpfloat (gtk_progress_bar_get_fraction (GTK_PROGRESS_BAR (docket_ui_test_find_descendant (GTK_WIDGET (meeting_row), GTK_TYPE_PROGRESS_BAR))), >, 0.0);
  g_assert_cmpfloat (gtk_progress_bar_get_fraction (GTK_PROGRESS_BAR (docket_ui_test_find_descendant (GTK_WIDGET (meeting_row), GTK_TYPE_PROGRESS_BAR))), <, 1.0);
  g_assert_true (gtk_widget_is_drawable (GTK_WIDGET (GTK_PROGRESS_BAR (docket_ui_test_find_descendant (GTK_WIDGET (meeting_row), GTK_TYPE_PROGRESS_BAR)))));
  docket_ui_test_save_screenshot (GTK_WIDGET (fixture->client.window), "downloads-", "list-progress.png");

  /* The meeting page: the large document's row shows its progress, the page a summary
   * and "Make Available Offline First". */
  open_meeting (fixture);
  wait_for (large_row_progressing, fixture, "the large document's progress bar");
  g_assert_true (gtk_widget_get_visible (download_box (meeting_page (fixture))));
  g_assert_true (gtk_widget_is_drawable (GTK_WIDGET (GTK_PROGRESS_BAR (docket_ui_test_find_descendant (GTK_WIDGET (document_row (fixture, fixture->large_id)), GTK_TYPE_PROGRESS_BAR)))));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (meeting_page (fixture)), "meeting.offline-first", NULL));
  docket_ui_test_wait_for_paint (GTK_WIDGET (fixture->client.window));
  docket_ui_test_save_screenshot (GTK_WIDGET (fixture->client.window), "downloads-", "meeting-progress.png");

  /* The server goes on: the large one arrives; the damaged one fails, says why, and
   * offers Retry. */
  docket_test_server_pause (fixture->server, FALSE);
  fixture->paused = FALSE;
  wait_for (damaged_failed_large_offline, fixture, "the damaged document to fail");
  docket_ui_test_wait_for_paint (GTK_WIDGET (fixture->client.window));
  row = document_row (fixture, fixture->damaged_id);
  g_assert_nonnull (row);
  g_assert_cmpstr (agenda_row_status (row), ==, "failed");
  g_assert_cmpint (docket_document_get_download_reason (agenda_document (fixture, fixture->damaged_id)),
                   ==, DOCKET_SYNC_ERROR_CHECKSUM);
  g_assert_nonnull (strstr (docket_document_get_download_error (agenda_document (fixture, fixture->damaged_id)),
                            "Damaged"));
  retry = docket_ui_test_find_button (GTK_WIDGET (row), "Retry");
  g_assert_true (gtk_widget_is_drawable (GTK_WIDGET (retry)));
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (retry)));
  g_assert_true (gtk_widget_get_focusable (GTK_WIDGET (retry)));
  accessible_name = gtk_button_get_label (retry);
  g_assert_nonnull (accessible_name);
  meeting = find_meeting (fixture);
  g_assert_cmpuint (docket_meeting_get_n_failed (meeting), ==, 1);
  g_assert_nonnull (strstr (gtk_label_get_label (download_label (meeting_page (fixture))),
                            "1"));
  docket_ui_test_save_screenshot (GTK_WIDGET (fixture->client.window), "downloads-", "meeting-failed.png");

  /* The server's copy is repaired; Retry, as a click would. */
  flip_server_blob (fixture, fixture->damaged_sha);
  g_assert_true (gtk_widget_activate (GTK_WIDGET (retry)));
  wait_for (damaged_offline, fixture, "the retried document");
  g_assert_cmpuint (docket_meeting_get_n_failed (find_meeting (fixture)), ==, 0);
  docket_ui_test_wait_for_paint (GTK_WIDGET (fixture->client.window));
  g_assert_false (gtk_widget_get_visible (download_box (meeting_page (fixture))));
  docket_ui_test_save_screenshot (GTK_WIDGET (fixture->client.window), "downloads-", "meeting-retried.png");
}

/* 2. A personal note survives closing the window */

static DocketAgendaRow *
first_item_row (Fixture *fixture)
{
  DocketAgenda *agenda = docket_meeting_page_get_agenda (meeting_page (fixture));
  GListModel *root = docket_agenda_get_root (agenda);

  for (guint i = 0; i < g_list_model_get_n_items (root); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (root, i);

      if (DOCKET_IS_AGENDA_ITEM (item) &&
          g_strcmp0 (docket_agenda_item_get_id (DOCKET_AGENDA_ITEM (item)), fixture->item_id) == 0)
        return find_agenda_row (GTK_WIDGET (docket_ui_test_agenda_view (meeting_page (fixture))), item);
    }

  return NULL;
}

static gboolean
note_loaded (gpointer data)
{
  DocketNote *note = data;
  return docket_note_get_loaded (note);
}

static gboolean
note_saved (gpointer data)
{
  DocketNote *note = data;
  return !docket_note_get_dirty (note);
}

static gboolean
meeting_offline (gpointer data)
{
  Fixture *fixture = data;
  DocketMeeting *meeting = find_meeting (fixture);

  return meeting != NULL && docket_meeting_get_all_offline (meeting) &&
         docket_sync_get_state (fixture->client.sync) != DOCKET_SYNC_STATE_SYNCING;
}

static void
test_note_survives_restart (Fixture       *fixture,
                            gconstpointer  data)
{
  DocketAgendaRow *row;
  DocketPersonalNoteButton *button;
  DocketNote *note;
  GtkTextBuffer *buffer;
  g_autofree char *stored = NULL;
  g_autoptr(GError) error = NULL;

  window_open (fixture);
  docket_ui_test_client_sign_in (&fixture->client, fixture->server);
  docket_ui_test_wait_for (meeting_offline, fixture, "the meeting's documents");
  open_meeting (fixture);

  row = first_item_row (fixture);
  g_assert_nonnull (row);
  button = DOCKET_PERSONAL_NOTE_BUTTON (docket_ui_test_find_descendant (GTK_WIDGET (row), DOCKET_TYPE_PERSONAL_NOTE_BUTTON));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (button)));
  note = docket_personal_note_button_get_note (button);
  g_assert_nonnull (note);
  docket_ui_test_wait_for (note_loaded, note, "the note to load");
  g_assert_false (docket_note_get_has_text (note));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (GTK_MENU_BUTTON (docket_ui_test_find_descendant (GTK_WIDGET (button), GTK_TYPE_MENU_BUTTON))),
                                            "docket-has-note"));

  /* Typed into the editor, as the official would. */
  gtk_menu_button_popup (GTK_MENU_BUTTON (docket_ui_test_find_descendant (GTK_WIDGET (button), GTK_TYPE_MENU_BUTTON)));
  docket_ui_test_wait_for_paint (GTK_WIDGET (fixture->client.window));
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (docket_ui_test_find_descendant (GTK_WIDGET (button), GTK_TYPE_TEXT_VIEW)));
  gtk_text_buffer_insert_at_cursor (buffer, NOTE_TEXT, -1);
  g_assert_true (docket_note_get_dirty (note));
  g_assert_cmpstr (docket_note_get_text (note), ==, NOTE_TEXT);
  docket_ui_test_wait_for_paint (GTK_WIDGET (fixture->client.window));
  docket_ui_test_save_screenshot (GTK_WIDGET (fixture->client.window), "notes-", "editor.png");
  docket_ui_test_save_screenshot (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (docket_ui_test_find_descendant (GTK_WIDGET (button), GTK_TYPE_MENU_BUTTON)))),
                                  "notes-", "editor-popover.png");

  /* Saved after a short pause, without closing the editor. */
  docket_ui_test_wait_for (note_saved, note, "the note to be saved");
  stored = docket_store_dup_note (fixture->client.store, DOCKET_NOTE_TARGET_AGENDA_ITEM, fixture->item_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored, ==, NOTE_TEXT);
  gtk_menu_button_popdown (GTK_MENU_BUTTON (docket_ui_test_find_descendant (GTK_WIDGET (button), GTK_TYPE_MENU_BUTTON)));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (GTK_MENU_BUTTON (docket_ui_test_find_descendant (GTK_WIDGET (button), GTK_TYPE_MENU_BUTTON))),
                                           "docket-has-note"));

  /* A second edit, closed at once: closing saves it. */
  gtk_menu_button_popup (GTK_MENU_BUTTON (docket_ui_test_find_descendant (GTK_WIDGET (button), GTK_TYPE_MENU_BUTTON)));
  gtk_text_buffer_insert_at_cursor (buffer, ".", -1);
  gtk_menu_button_popdown (GTK_MENU_BUTTON (docket_ui_test_find_descendant (GTK_WIDGET (button), GTK_TYPE_MENU_BUTTON)));
  docket_ui_test_wait_for (note_saved, note, "the note to be saved on close");

  /* Closed and opened anew (the same profile): the note is there, and shown. */
  docket_ui_test_client_close_as_user (&fixture->client);
  window_open (fixture);
  docket_ui_test_wait_for (on_meetings_page, fixture, "the meeting list after the restart");
  open_meeting (fixture);
  row = first_item_row (fixture);
  g_assert_nonnull (row);
  button = DOCKET_PERSONAL_NOTE_BUTTON (docket_ui_test_find_descendant (GTK_WIDGET (row), DOCKET_TYPE_PERSONAL_NOTE_BUTTON));
  note = docket_personal_note_button_get_note (button);
  docket_ui_test_wait_for (note_loaded, note, "the note to load after the restart");
  g_assert_cmpstr (docket_note_get_text (note), ==, NOTE_TEXT ".");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (GTK_MENU_BUTTON (docket_ui_test_find_descendant (GTK_WIDGET (button), GTK_TYPE_MENU_BUTTON))),
                                           "docket-has-note"));
  gtk_menu_button_popup (GTK_MENU_BUTTON (docket_ui_test_find_descendant (GTK_WIDGET (button), GTK_TYPE_MENU_BUTTON)));
  docket_ui_test_wait_for_paint (GTK_WIDGET (fixture->client.window));
  {
    GtkTextIter start, end;
    g_autofree char *shown = NULL;

    gtk_text_buffer_get_bounds (gtk_text_view_get_buffer (GTK_TEXT_VIEW (docket_ui_test_find_descendant (GTK_WIDGET (button), GTK_TYPE_TEXT_VIEW))),
                                &start, &end);
    shown = gtk_text_iter_get_text (&start, &end);
    g_assert_cmpstr (shown, ==, NOTE_TEXT ".");
  }
  docket_ui_test_save_screenshot (GTK_WIDGET (fixture->client.window), "notes-", "after-restart.png");
  gtk_menu_button_popdown (GTK_MENU_BUTTON (docket_ui_test_find_descendant (GTK_WIDGET (button), GTK_TYPE_MENU_BUTTON)));

  /* Every document row has its note button too. */
  {
    DocketAgenda *agenda = docket_meeting_page_get_agenda (meeting_page (fixture));
    GListModel *rows = docket_ui_test_agenda_rows (meeting_page (fixture));
    gboolean seen = FALSE;

    for (guint i = 0; i < g_list_model_get_n_items (rows) && !seen; i++)
      {
        g_autoptr(GtkTreeListRow) tree_row = g_list_model_get_item (rows, i);
        g_autoptr(GObject) item = gtk_tree_list_row_get_item (tree_row);
        DocketAgendaRow *doc_row;

        if (!DOCKET_IS_DOCUMENT (item))
          continue;
        doc_row = find_agenda_row (GTK_WIDGET (docket_ui_test_agenda_view (meeting_page (fixture))), item);
        if (doc_row == NULL)
          continue;
        g_assert_true (gtk_widget_get_visible (GTK_WIDGET (DOCKET_PERSONAL_NOTE_BUTTON (docket_ui_test_find_descendant (GTK_WIDGET (doc_row), DOCKET_TYPE_PERSONAL_NOTE_BUTTON)))));
        g_assert_true (docket_personal_note_button_get_note (DOCKET_PERSONAL_NOTE_BUTTON (docket_ui_test_find_descendant (GTK_WIDGET (doc_row), DOCKET_TYPE_PERSONAL_NOTE_BUTTON))) ==
                       docket_agenda_get_note (agenda, DOCKET_NOTE_TARGET_DOCUMENT,
                                               docket_document_get_id (DOCKET_DOCUMENT (item))));
        seen = TRUE;
      }
    g_assert_true (seen);
  }
}

int
main (int   argc,
      char *argv[])
{
  docket_ui_test_init (&argc, &argv);

  g_test_add ("/ui/downloads/progress-failure-retry", Fixture, NULL, fixture_set_up,
              test_progress_failure_retry, fixture_tear_down);
  g_test_add ("/ui/notes/survive-restart", Fixture, NULL, fixture_set_up,
              test_note_survives_restart, fixture_tear_down);

  return g_test_run ();
}
