/* test-errors.c: what goes wrong with the profile reaches the official, in words
 *
 * In the real window under Xvfb, against the real docket-server, on the real SQLite
 * file of the profile:
 * - a read that fails (the cache file damaged after the window loaded it) shows a status
 *   page saying so, not "No Meetings Yet", and its Retry shows the list again once the
 *   file is whole;
 * - a save that fails (no room left to write the profile) keeps the annotation on the
 *   page, says in a toast that it was NOT saved and what to do, and its Retry saves it;
 * - a personal note that cannot be saved keeps its text, says so in a toast until the
 *   note saves itself again.
 * Screenshots of both go to DOCKET_TEST_ARTIFACTS (errors-*.png).
 */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/resource.h>

#include <adwaita.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "docket-annotator.h"
#include "docket-document-view.h"
#include "docket-meeting-list-page.h"
#include "docket-personal-note-button.h"
#include "docket-ui-test-client.h"
#include "docket-ui-test-util.h"

/* Widgets, found as the official sees them: shown, by what they say */

static gboolean
contains (const char *text,
          const char *part)
{
  return text != NULL && strstr (text, part) != NULL;
}

/* The status page titled title that is on screen under widget, or NULL. */
static AdwStatusPage *
find_shown_status_page (GtkWidget  *widget,
                        const char *title)
{
  if (!gtk_widget_get_mapped (widget))
    return NULL;
  if (ADW_IS_STATUS_PAGE (widget) &&
      g_strcmp0 (adw_status_page_get_title (ADW_STATUS_PAGE (widget)), title) == 0)
    return ADW_STATUS_PAGE (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AdwStatusPage *found = find_shown_status_page (child, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The label on screen under widget whose text contains part, or NULL. */
static GtkLabel *
find_shown_label (GtkWidget  *widget,
                  const char *part)
{
  if (!gtk_widget_get_mapped (widget))
    return NULL;
  if (GTK_IS_LABEL (widget) && contains (gtk_label_get_label (GTK_LABEL (widget)), part))
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

/* The button on screen under widget labelled label, or NULL. */
static GtkWidget *
find_shown_button (GtkWidget  *widget,
                   const char *label)
{
  if (!gtk_widget_get_mapped (widget))
    return NULL;
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_shown_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A second connection to the profile's database, as another program would have */

static sqlite3 *
open_other_connection (const char *profile)
{
  g_autofree char *path = g_build_filename (profile, "docket.db", NULL);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  return db;
}

/* Moves everything of the write-ahead log into the database file and empties the log.
 * Resetting the log is also what makes every other connection drop the pages it has
 * cached, as a write by any program does: they read the file again. */
static void
checkpoint_and_truncate (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA wal_checkpoint(TRUNCATE)", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 0);   /* not busy: it did all of it */
  g_assert_cmpint (sqlite3_finalize (stmt), ==, SQLITE_OK);
}

/* No room left to write the profile. Making the profile read-only would be the obvious
 * way, but CI runs the tests as root, whom permissions stop not, and a full file system
 * or quota needs a mount, that is, privileges. What works for anyone is the kernel's own
 * limit on the size of the files this process writes (RLIMIT_FSIZE): set to 0, every
 * write that would grow a file fails (EFBIG, with SIGXFSZ ignored, as a full disk's
 * ENOSPC or a quota's EDQUOT would), for the real SQLite of the real store. The
 * write-ahead log is emptied first, so that a save must grow it. The test logs nothing
 * while the limit holds; whatever else of the app fails to write meanwhile (the reader
 * remembering the page) may warn, so warnings are fatal again only once it is lifted. */
typedef struct {
  struct rlimit  saved;
  GLogLevelFlags fatal_mask;
} DiskFull;

static void
disk_full_begin (DiskFull   *full,
                 const char *profile)
{
  g_autofree char *wal_path = g_build_filename (profile, "docket.db-wal", NULL);
  struct rlimit none;
  sqlite3 *other = open_other_connection (profile);
  GStatBuf wal;

  checkpoint_and_truncate (other);
  g_assert_cmpint (sqlite3_close (other), ==, SQLITE_OK);
  g_assert_cmpint (g_stat (wal_path, &wal), ==, 0);
  g_assert_cmpint (wal.st_size, ==, 0);
  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &full->saved), ==, 0);
  none = full->saved;
  none.rlim_cur = 0;
  signal (SIGXFSZ, SIG_IGN);
  full->fatal_mask = g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &none), ==, 0);
}

static void
disk_full_end (DiskFull *full)
{
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &full->saved), ==, 0);
  g_log_set_always_fatal (full->fatal_mask);
}

/* 1. A read that fails */

typedef struct {
  DocketUiTestClient  client;
  DocketMeetingList  *meetings;
} ReadFixture;

static gboolean
read_error_shown (gpointer data)
{
  ReadFixture *fixture = data;

  return find_shown_status_page (GTK_WIDGET (fixture->client.window), "Your Meetings Could Not Be Read") != NULL;
}

static gboolean
list_shown_again (gpointer data)
{
  ReadFixture *fixture = data;
  DocketMeetingListPage *page = DOCKET_MEETING_LIST_PAGE (docket_ui_test_window_part (fixture->client.window, DOCKET_TYPE_MEETING_LIST_PAGE));
  g_autoptr(GPtrArray) meetings = g_ptr_array_new ();

  if (docket_meeting_list_get_error (fixture->meetings) != NULL || read_error_shown (fixture))
    return FALSE;
  /* Every meeting has its row back on the page. */
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (fixture->meetings)); i++)
    {
      g_autoptr(DocketMeeting) meeting = g_list_model_get_item (G_LIST_MODEL (fixture->meetings), i);
      GtkWidget *row = docket_meeting_list_page_find_row (page, docket_meeting_get_id (meeting));

      if (row == NULL || !gtk_widget_get_mapped (gtk_widget_get_parent (row)))
        return FALSE;
    }
  return g_list_model_get_n_items (G_LIST_MODEL (fixture->meetings)) == fixture->client.n_meetings;
}

static void
on_error_notified (guint *n_notifies)
{
  (*n_notifies)++;
}

static void
test_read_failure (void)
{
  ReadFixture fixture = { 0 };
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *root = docket_test_make_tmpdir ("docket-ui-errors-read");
  g_autofree char *profile = g_build_filename (root, "profile", NULL);
  g_autofree char *db_path = g_build_filename (profile, "docket.db", NULL);
  g_autofree char *damage = NULL;
  g_autofree char *first_page = NULL;
  AdwStatusPage *status_page;
  GtkWidget *retry;
  sqlite3 *other;
  guint n_notifies = 0;
  FILE *file;

  docket_ui_test_client_sign_in_and_sync (&fixture.client, server, profile);
  docket_ui_test_wait_for (docket_ui_test_client_not_syncing, &fixture.client, "the sync to rest");
  fixture.meetings = docket_ui_test_window_meetings (fixture.client.window);
  g_assert_null (docket_meeting_list_get_error (fixture.meetings));
  g_signal_connect_swapped (fixture.meetings, "notify::error", G_CALLBACK (on_error_notified), &n_notifies);

  /* The cache file is damaged under the window: its first page (the header that says
   * "SQLite format 3") overwritten, as a failing disk or a stray program would. The
   * database is checkpointed first so that the file holds all of it. */
  other = open_other_connection (profile);
  checkpoint_and_truncate (other);
  file = fopen (db_path, "r+b");
  g_assert_nonnull (file);
  first_page = g_malloc (4096);
  g_assert_cmpuint (fread (first_page, 1, 4096, file), ==, 4096);
  damage = g_malloc (4096);
  memset (damage, 0x5a, 4096);
  g_assert_cmpint (fseek (file, 0, SEEK_SET), ==, 0);
  g_assert_cmpuint (fwrite (damage, 1, 4096, file), ==, 4096);
  g_assert_cmpint (fflush (file), ==, 0);

  /* The list is read again, as after any commit of the store: the app warns in its log. */
  g_test_expect_message (NULL, G_LOG_LEVEL_WARNING, "Could not list the meetings of the cache: *damaged*");
  docket_meeting_list_reload (fixture.meetings);
  docket_ui_test_wait_for (read_error_shown, &fixture, "the status page of a list that could not be read");
  g_test_assert_expected_messages ();

  /* The page says what happened and what to do, with the store's sentence, and offers
   * Retry; the empty state ("No Meetings Yet") is not what is shown. */
  g_assert_error (docket_meeting_list_get_error (fixture.meetings), DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_CORRUPT);
  g_assert_cmpuint (n_notifies, ==, 1);
  status_page = find_shown_status_page (GTK_WIDGET (fixture.client.window), "Your Meetings Could Not Be Read");
  g_assert_true (contains (adw_status_page_get_description (status_page), "is damaged"));
  g_assert_true (contains (adw_status_page_get_description (status_page), "Sign out and sign in again"));
  g_assert_null (find_shown_status_page (GTK_WIDGET (fixture.client.window), "No Meetings Yet"));
  retry = find_shown_button (GTK_WIDGET (status_page), "_Retry");
  g_assert_nonnull (retry);
  g_assert_true (gtk_widget_is_sensitive (retry));
  docket_ui_test_wait_for_paint (GTK_WIDGET (fixture.client.window));
  docket_ui_test_save_screenshot (GTK_WIDGET (fixture.client.window), "errors-", "read-failure.png");

  /* The file made whole again by the program that holds it (its write of the log makes
   * every connection read the file afresh); Retry shows the list again. */
  g_assert_cmpint (fseek (file, 0, SEEK_SET), ==, 0);
  g_assert_cmpuint (fwrite (first_page, 1, 4096, file), ==, 4096);
  g_assert_cmpint (fclose (file), ==, 0);
  checkpoint_and_truncate (other);
  g_assert_cmpint (sqlite3_close (other), ==, SQLITE_OK);
  retry = find_shown_button (GTK_WIDGET (fixture.client.window), "_Retry");
  g_assert_nonnull (retry);
  gtk_widget_activate (retry);
  docket_ui_test_wait_for (list_shown_again, &fixture, "the meetings listed again after Retry");
  g_assert_null (docket_meeting_list_get_error (fixture.meetings));
  g_assert_cmpuint (n_notifies, ==, 2);

  g_signal_handlers_disconnect_by_data (fixture.meetings, &n_notifies);
  docket_ui_test_client_close (&fixture.client);
  docket_test_server_stop (server);
  docket_test_rmtree (root);
}

/* 2. A save that fails */

typedef struct {
  DocketUiTestClient    client;
  DocketAnnotationList *list;
  char                 *document_id;
} SaveFixture;

static gboolean
annotations_loaded (gpointer data)
{
  SaveFixture *fixture = data;
  DocketDocumentView *view = DOCKET_DOCUMENT_VIEW (docket_ui_test_window_part (fixture->client.window, DOCKET_TYPE_DOCUMENT_VIEW));
  DocketAnnotationList *list = docket_annotator_get_list (docket_document_view_get_annotator (view));

  return list != NULL && docket_annotation_list_get_loaded (list) && !docket_annotation_list_get_busy (list);
}

static gboolean
annotation_held (gpointer data)
{
  return docket_annotation_list_get_unsaved (data);
}

static gboolean
unsaved_toast_shown (gpointer data)
{
  SaveFixture *fixture = data;

  return find_shown_label (GTK_WIDGET (fixture->client.window), "Your annotation was not saved") != NULL;
}

static gboolean
annotation_saved (gpointer data)
{
  SaveFixture *fixture = data;

  return !docket_annotation_list_get_unsaved (fixture->list) && !docket_annotation_list_get_busy (fixture->list) &&
         !unsaved_toast_shown (fixture);
}

static guint
stored_annotations (SaveFixture *fixture,
                    const char  *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = docket_store_list_annotations (fixture->client.store, fixture->document_id, &error);
  guint n = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < records->len; i++)
    n += g_strcmp0 (((DocketAnnotationRecord *) g_ptr_array_index (records, i))->id, id) == 0;
  return n;
}

static void
test_save_failure (void)
{
  SaveFixture fixture = { 0 };
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *root = docket_test_make_tmpdir ("docket-ui-errors-save");
  g_autofree char *profile = g_build_filename (root, "profile", NULL);
  g_autofree char *id = NULL;
  DocketAnnotationGeometry geometry = { 0 };
  DocketGeometryRect line = { 72, 100, 300, 112 };
  DocketAnnotation *annotation;
  DiskFull full;
  GtkLabel *toast_label;
  GtkWidget *retry;

  docket_ui_test_client_sign_in_and_sync (&fixture.client, server, profile);
  docket_ui_test_wait_for (docket_ui_test_client_not_syncing, &fixture.client, "the sync to rest");
  fixture.document_id = docket_ui_test_open_offline_document (fixture.client.window);
  docket_ui_test_wait_for (annotations_loaded, &fixture, "the document's annotations");
  fixture.list = g_object_ref (docket_annotator_get_list (docket_document_view_get_annotator (
      DOCKET_DOCUMENT_VIEW (docket_ui_test_window_part (fixture.client.window, DOCKET_TYPE_DOCUMENT_VIEW)))));

  disk_full_begin (&full, profile);

  /* The official highlights a line: it shows at once, the store cannot write it. */
  geometry.kind = DOCKET_ANNOTATION_HIGHLIGHT;
  geometry.rects = g_array_new (FALSE, FALSE, sizeof (DocketGeometryRect));
  g_array_append_val (geometry.rects, line);
  annotation = docket_annotation_list_create (fixture.list, 0, DOCKET_ANNOTATION_HIGHLIGHT, "#f8e45c", &geometry,
                                              "Xem lại số liệu");
  id = g_strdup (docket_annotation_get_id (annotation));
  docket_ui_test_wait_for (annotation_held, fixture.list, "the failed save");
  disk_full_end (&full);

  /* Not silently lost: it is still on the page, the list says it is not saved and why,
   * and a toast says so with what to do, and Retry. */
  g_assert_nonnull (docket_annotation_list_find (fixture.list, id));
  g_assert_error (docket_annotation_list_get_error (fixture.list), DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_NO_SPACE);
  g_assert_cmpuint (stored_annotations (&fixture, id), ==, 0);
  docket_ui_test_wait_for (unsaved_toast_shown, &fixture, "the toast saying the annotation was not saved");
  toast_label = find_shown_label (GTK_WIDGET (fixture.client.window), "Your annotation was not saved");
  g_assert_true (contains (gtk_label_get_label (toast_label), "is full"));
  g_assert_true (contains (gtk_label_get_label (toast_label), "Free some space"));
  retry = find_shown_button (GTK_WIDGET (fixture.client.window), "_Retry");
  g_assert_nonnull (retry);
  docket_ui_test_wait_for_paint (GTK_WIDGET (fixture.client.window));
  docket_ui_test_save_screenshot (GTK_WIDGET (fixture.client.window), "errors-", "save-failure.png");

  /* Room made: Retry saves it, the toast goes, the error is cleared. */
  gtk_widget_activate (retry);
  docket_ui_test_wait_for (annotation_saved, &fixture, "the annotation saved by Retry");
  g_assert_null (docket_annotation_list_get_error (fixture.list));
  g_assert_cmpuint (stored_annotations (&fixture, id), ==, 1);
  g_assert_nonnull (docket_annotation_list_find (fixture.list, id));

  /* Another one that fails, and the document closed without Retry once there is room
   * again: closing writes what was held, rather than dropping it. */
  disk_full_begin (&full, profile);
  annotation = docket_annotation_list_create (fixture.list, 1, DOCKET_ANNOTATION_HIGHLIGHT, "#f8e45c", &geometry,
                                              NULL);
  g_free (id);
  id = g_strdup (docket_annotation_get_id (annotation));
  docket_ui_test_wait_for (annotation_held, fixture.list, "the second failed save");
  disk_full_end (&full);
  g_assert_cmpuint (stored_annotations (&fixture, id), ==, 0);
  g_clear_object (&fixture.list);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture.client.window), "win.back", NULL));
  g_assert_cmpstr (docket_window_get_page_name (fixture.client.window), ==, "meeting");
  g_assert_null (docket_annotator_get_list (docket_document_view_get_annotator (
      DOCKET_DOCUMENT_VIEW (docket_ui_test_window_part (fixture.client.window, DOCKET_TYPE_DOCUMENT_VIEW)))));
  g_assert_cmpuint (stored_annotations (&fixture, id), ==, 1);

  g_array_unref (geometry.rects);
  g_free (fixture.document_id);
  docket_ui_test_client_close (&fixture.client);
  docket_test_server_stop (server);
  docket_test_rmtree (root);
}

/* 3. A note that cannot be saved */

static DocketPersonalNoteButton *
find_shown_note_button (GtkWidget *widget)
{
  if (!gtk_widget_get_mapped (widget))
    return NULL;
  if (DOCKET_IS_PERSONAL_NOTE_BUTTON (widget) && docket_personal_note_button_get_note (DOCKET_PERSONAL_NOTE_BUTTON (widget)) != NULL)
    return DOCKET_PERSONAL_NOTE_BUTTON (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      DocketPersonalNoteButton *found = find_shown_note_button (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
note_loaded (gpointer data)
{
  return docket_note_get_loaded (data);
}

static gboolean
note_failed (gpointer data)
{
  return docket_note_get_error (data) != NULL;
}

typedef struct {
  DocketWindow *window;
  DocketNote   *note;
} NoteWait;

static gboolean
note_toast_shown (gpointer data)
{
  NoteWait *wait = data;

  return find_shown_label (GTK_WIDGET (wait->window), "Your note is not saved yet") != NULL;
}

static gboolean
note_saved_and_told (gpointer data)
{
  NoteWait *wait = data;

  return !docket_note_get_dirty (wait->note) && docket_note_get_error (wait->note) == NULL &&
         !note_toast_shown (wait);
}

static void
test_note_save_failure (void)
{
  DocketUiTestClient client = { 0 };
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *root = docket_test_make_tmpdir ("docket-ui-errors-note");
  g_autofree char *profile = g_build_filename (root, "profile", NULL);
  g_autofree char *document_id = NULL;
  g_autofree char *stored = NULL;
  g_autoptr(GError) error = NULL;
  DocketPersonalNoteButton *button;
  GtkTextBuffer *buffer;
  DocketNote *note;
  NoteWait wait;
  DiskFull full;

  docket_ui_test_client_sign_in_and_sync (&client, server, profile);
  docket_ui_test_wait_for (docket_ui_test_client_not_syncing, &client, "the sync to rest");
  /* The meeting page of a meeting with documents: opened through one, then back. */
  document_id = docket_ui_test_open_offline_document (client.window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (client.window), "win.back", NULL));
  g_assert_cmpstr (docket_window_get_page_name (client.window), ==, "meeting");
  docket_ui_test_wait_for_paint (GTK_WIDGET (client.window));
  button = find_shown_note_button (docket_ui_test_window_part (client.window, DOCKET_TYPE_MEETING_PAGE));
  g_assert_nonnull (button);
  note = g_object_ref (docket_personal_note_button_get_note (button));
  docket_ui_test_wait_for (note_loaded, note, "the note to load");

  /* The official types a note with no room left to save it. */
  gtk_menu_button_popup (GTK_MENU_BUTTON (docket_ui_test_find_descendant (GTK_WIDGET (button), GTK_TYPE_MENU_BUTTON)));
  docket_ui_test_wait_for_paint (GTK_WIDGET (client.window));
  disk_full_begin (&full, profile);
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (docket_ui_test_find_descendant (GTK_WIDGET (button), GTK_TYPE_TEXT_VIEW)));
  gtk_text_buffer_insert_at_cursor (buffer, "Hỏi lại về kinh phí", -1);
  docket_ui_test_wait_for (note_failed, note, "the note's failed save");

  /* Its text is kept, and the window says it is not saved, why and what to do (over
   * the window, which stays when the editor is closed; the editor says it too). */
  wait.window = client.window;
  wait.note = note;
  docket_ui_test_wait_for (note_toast_shown, &wait, "the toast saying the note is not saved");
  disk_full_end (&full);
  g_assert_error (docket_note_get_error (note), DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_NO_SPACE);
  g_assert_true (docket_note_get_dirty (note));
  g_assert_cmpstr (docket_note_get_text (note), ==, "Hỏi lại về kinh phí");
  g_assert_true (contains (gtk_label_get_label (find_shown_label (GTK_WIDGET (client.window), "Your note is not saved yet")),
                           "Free some space"));
  docket_ui_test_wait_for_paint (GTK_WIDGET (client.window));
  docket_ui_test_save_screenshot (GTK_WIDGET (client.window), "errors-", "note-failure.png");

  /* Room made: the note saves itself again, and the toast goes. */
  docket_ui_test_wait_for (note_saved_and_told, &wait, "the note saved again");
  gtk_menu_button_popdown (GTK_MENU_BUTTON (docket_ui_test_find_descendant (GTK_WIDGET (button), GTK_TYPE_MENU_BUTTON)));
  stored = docket_store_dup_note (client.store, docket_note_get_target (note),
                                  docket_note_get_target_id (note), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored, ==, "Hỏi lại về kinh phí");

  g_object_unref (note);
  docket_ui_test_client_close (&client);
  docket_test_server_stop (server);
  docket_test_rmtree (root);
}

int
main (int    argc,
      char **argv)
{
  docket_ui_test_init (&argc, &argv);

  g_test_add_func ("/errors/read-failure", test_read_failure);
  g_test_add_func ("/errors/save-failure", test_save_failure);
  g_test_add_func ("/errors/note-save-failure", test_note_save_failure);

  return g_test_run ();
}
