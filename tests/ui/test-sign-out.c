/* test-sign-out.c: signing out never deletes the official's unsent work without asking
 *
 * In the real window under Xvfb, against the real docket-server: with the server down,
 * an annotation and a personal note are saved; signing out then asks ("2 Changes Not Yet
 * Sent") with Cancel, Sign Out Anyway and Send Them First. Cancel keeps everything; Send
 * Them First with the server still down says what failed and keeps everything; with the
 * server back it sends them (the server has them) and signs out; Sign Out Anyway is the
 * only path that deletes them.
 */
#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "docket-ui-test-client.h"
#include "docket-ui-test-util.h"

typedef struct {
  DocketTestServer   *server;
  DocketUiTestClient  client;
  char               *root;
  char               *document_id;
  char               *item_id;
  gboolean            outbox_changed;
} Fixture;

/* The dialog */

static void
close_dialog (AdwMessageDialog *dialog,
              const char       *response)
{
  adw_message_dialog_response (dialog, response);
  /* Answered, it closes itself; at once here, so that the next one is the only one. */
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* Signing out as the official would; the dialog that asks about unsent changes once the
 * window knows of them (it counts them in the background after each change: until then
 * it asks the plain question, which is cancelled and asked again). */
static gboolean
unsent_dialog_shown (gpointer data)
{
  Fixture *fixture = data;
  AdwMessageDialog *dialog;

  dialog = docket_ui_test_ask_to_sign_out (fixture->client.window);
  if (adw_message_dialog_has_response (dialog, "send"))
    return TRUE;

  close_dialog (dialog, "cancel");
  return FALSE;
}

static void
collect_buttons (GtkWidget *widget,
                 GPtrArray *buttons)
{
  /* The dialog has a row and a column of buttons, one of them shown (mapped). */
  if (GTK_IS_BUTTON (widget) && gtk_widget_get_mapped (widget))
    g_ptr_array_add (buttons, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_buttons (child, buttons);
}

static AdwMessageDialog *
ask_to_sign_out (Fixture *fixture)
{
  AdwMessageDialog *dialog;
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  docket_ui_test_wait_for (unsent_dialog_shown, fixture, "the dialog about changes not sent");
  dialog = docket_ui_test_find_message_dialog (GTK_WINDOW (fixture->client.window));

  /* What it says, and what it offers. */
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "2 Changes Not Yet Sent");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "server does not have them"));
  g_assert_true (adw_message_dialog_has_response (dialog, "cancel"));
  g_assert_true (adw_message_dialog_has_response (dialog, "discard"));
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "discard"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "send"), ==,
                   ADW_RESPONSE_SUGGESTED);
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "send");
  g_assert_cmpstr (adw_message_dialog_get_close_response (dialog), ==, "cancel");
  g_assert_cmpstr (adw_message_dialog_get_response_label (dialog, "send"), ==, "_Send Them First");
  g_assert_cmpstr (adw_message_dialog_get_response_label (dialog, "discard"), ==, "Sign Out _Anyway");

  /* Three buttons, each named by its label (its accessible name), with a mnemonic, and
   * reachable with the keyboard. */
  docket_ui_test_wait_for_paint (GTK_WIDGET (dialog));
  collect_buttons (GTK_WIDGET (dialog), buttons);
  g_assert_cmpuint (buttons->len, ==, 3);
  for (guint i = 0; i < buttons->len; i++)
    {
      GtkButton *button = g_ptr_array_index (buttons, i);
      const char *label = gtk_button_get_label (button);

      g_assert_nonnull (label);
      g_assert_cmpuint (strlen (label), >, 1);
      g_assert_nonnull (strchr (label, '_'));
      g_assert_true (gtk_button_get_use_underline (button));
      g_assert_true (gtk_widget_get_focusable (GTK_WIDGET (button)));
      g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (button)));
    }

  return dialog;
}

/* The profile and the server */

static guint
outbox_length (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  guint n = 0;

  g_assert_true (docket_store_count_outbox (fixture->client.store, &n, NULL, &error));
  g_assert_no_error (error);
  return n;
}

static void
on_outbox_changed (Fixture *fixture)
{
  fixture->outbox_changed = TRUE;
}

static gboolean
outbox_changed (gpointer data)
{
  return ((Fixture *) data)->outbox_changed;
}

/* An annotation and a note, saved as the official would, while the server is down. */
static char *
save_two_changes (Fixture    *fixture,
                  const char *note_text)
{
  g_autoptr(DocketAnnotationRecord) record = docket_annotation_record_new ();
  g_autoptr(GError) error = NULL;

  record->id = g_uuid_string_random ();
  record->document_id = g_strdup (fixture->document_id);
  record->page = 0;
  record->kind = DOCKET_ANNOTATION_HIGHLIGHT;
  record->color = g_strdup ("#ffd700");
  record->geometry = g_strdup ("{\"rects\": [[72, 100, 300.5, 112]]}");
  record->contents = g_strdup ("Cần hỏi lại số liệu");

  fixture->outbox_changed = FALSE;
  g_assert_true (docket_store_save_annotation (fixture->client.store, record, &error));
  g_assert_no_error (error);
  g_assert_true (docket_store_save_note (fixture->client.store, DOCKET_NOTE_TARGET_AGENDA_ITEM,
                                         fixture->item_id, note_text, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (outbox_length (fixture), ==, 2);
  docket_ui_test_wait_for (outbox_changed, fixture, "the store to tell of the changes");

  return g_strdup (record->id);
}

/* Whether the server has what daibieu1 saved: the annotation and the note in their feed. */
static gboolean
server_has (Fixture    *fixture,
            const char *annotation_id,
            const char *note_text)
{
  g_autofree char *token = docket_test_sign_in (fixture->server, "daibieu1", NULL);
  g_autofree char *url = g_strdup_printf ("%s/api/v1/changes", docket_test_server_get_url (fixture->server));
  g_autoptr(GBytes) answer = NULL;
  g_autofree char *text = NULL;
  gboolean has_annotation, has_note;

  g_assert_cmpuint (docket_test_http ("GET", url, token, NULL, NULL, &answer), ==, 200);
  text = g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));
  has_annotation = strstr (text, annotation_id) != NULL;
  has_note = strstr (text, note_text) != NULL;
  g_assert_true (has_annotation == has_note);
  return has_annotation;
}

static gboolean
sign_in_shown (gpointer data)
{
  Fixture *fixture = data;

  return g_strcmp0 (docket_window_get_page_name (fixture->client.window), "sign-in") == 0;
}

static gboolean
not_sent_shown (gpointer data)
{
  Fixture *fixture = data;
  AdwMessageDialog *dialog = docket_ui_test_find_message_dialog (GTK_WINDOW (fixture->client.window));

  return dialog != NULL && g_strcmp0 (adw_message_dialog_get_heading (dialog), "Changes Not Sent") == 0;
}

/* A document and an agenda item of the profile, for the changes. */
static void
pick_targets (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) meetings = docket_store_list_meetings (fixture->client.store, &error);

  g_assert_no_error (error);
  for (guint i = 0; i < meetings->len && fixture->document_id == NULL; i++)
    {
      DocketStoreMeetingRow *mrow = g_ptr_array_index (meetings, i);
      g_autoptr(GPtrArray) docs = docket_store_list_documents (fixture->client.store, mrow->meeting->id, &error);

      g_assert_no_error (error);
      if (docs->len > 0)
        {
          DocketStoreDocumentRow *row = g_ptr_array_index (docs, 0);

          fixture->document_id = g_strdup (row->document->id);
          fixture->item_id = g_strdup (row->document->item_id);
        }
    }
  g_assert_nonnull (fixture->document_id);
  g_assert_nonnull (fixture->item_id);
}

static void
test_sign_out_with_unsent_changes (void)
{
  Fixture fixture = { 0 };
  g_autofree char *profile = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  AdwMessageDialog *dialog;

  fixture.server = docket_test_server_start (TRUE);
  fixture.root = docket_test_make_tmpdir ("docket-ui-sign-out");
  profile = g_build_filename (fixture.root, "profile", NULL);
  docket_ui_test_client_sign_in_and_sync (&fixture.client, fixture.server, profile);
  pick_targets (&fixture);
  g_signal_connect_swapped (fixture.client.store, "outbox-changed", G_CALLBACK (on_outbox_changed), &fixture);

  /* The server goes down; the official annotates and writes a note. */
  docket_test_server_kill (fixture.server);
  first = save_two_changes (&fixture, "Ghi chú chưa gửi");

  /* Cancel keeps everything. */
  dialog = ask_to_sign_out (&fixture);
  docket_ui_test_wait_for_paint (GTK_WIDGET (dialog));
  docket_ui_test_save_screenshot (GTK_WIDGET (dialog), "sign-out-", "unsent-dialog.png");
  close_dialog (dialog, "cancel");
  g_assert_true (docket_sync_get_signed_in (fixture.client.sync));
  g_assert_cmpstr (docket_window_get_page_name (fixture.client.window), ==, "meetings");
  g_assert_cmpuint (outbox_length (&fixture), ==, 2);

  /* Send Them First, the server still down: it says what failed, and keeps them. */
  dialog = ask_to_sign_out (&fixture);
  close_dialog (dialog, "send");
  docket_ui_test_wait_for (not_sent_shown, &fixture, "the dialog saying the changes were not sent");
  dialog = docket_ui_test_find_message_dialog (GTK_WINDOW (fixture.client.window));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "did not sign out"));
  docket_ui_test_wait_for_paint (GTK_WIDGET (dialog));
  docket_ui_test_save_screenshot (GTK_WIDGET (dialog), "sign-out-", "not-sent.png");
  close_dialog (dialog, "close");
  g_assert_true (docket_sync_get_signed_in (fixture.client.sync));
  g_assert_cmpstr (docket_window_get_page_name (fixture.client.window), ==, "meetings");
  g_assert_cmpuint (outbox_length (&fixture), ==, 2);

  /* The server back: Send Them First sends them, then signs out. */
  docket_test_server_restart (fixture.server);
  dialog = ask_to_sign_out (&fixture);
  close_dialog (dialog, "send");
  docket_ui_test_wait_for (sign_in_shown, &fixture, "the sign-in page after sending");
  g_assert_false (docket_sync_get_signed_in (fixture.client.sync));
  g_assert_cmpuint (outbox_length (&fixture), ==, 0);
  g_assert_true (server_has (&fixture, first, "Ghi chú chưa gửi"));

  /* Signed in again, two more changes with the server down: Sign Out Anyway deletes
   * them, and only then. */
  docket_ui_test_client_sign_in (&fixture.client, fixture.server);
  docket_ui_test_wait_for (docket_ui_test_client_synced, &fixture.client, "the second sync");
  docket_test_server_kill (fixture.server);
  second = save_two_changes (&fixture, "Ghi chú sẽ bỏ");
  dialog = ask_to_sign_out (&fixture);
  close_dialog (dialog, "discard");
  docket_ui_test_wait_for (sign_in_shown, &fixture, "the sign-in page after Sign Out Anyway");
  g_assert_false (docket_sync_get_signed_in (fixture.client.sync));
  g_assert_cmpuint (outbox_length (&fixture), ==, 0);
  docket_test_server_restart (fixture.server);
  g_assert_false (server_has (&fixture, second, "Ghi chú sẽ bỏ"));

  docket_ui_test_client_close_as_user (&fixture.client);
  docket_test_server_stop (fixture.server);
  docket_test_rmtree (fixture.root);
  g_free (fixture.root);
  g_free (fixture.document_id);
  g_free (fixture.item_id);
}

/* Signing out names the changes the server refused (kept on this computer only) before
 * it removes them with the rest. */
static gboolean
kept_named (gpointer data)
{
  Fixture *fixture = data;
  AdwMessageDialog *dialog;

  dialog = docket_ui_test_ask_to_sign_out (fixture->client.window);
  /* (Until the sync has sent it and the server refused it, it waits to be sent.) */
  if (!adw_message_dialog_has_response (dialog, "send") &&
      strstr (adw_message_dialog_get_body (dialog), "1 change of yours that the server did not accept") != NULL)
    return TRUE;

  close_dialog (dialog, "cancel");
  return FALSE;
}

static void
test_sign_out_names_refused_changes (void)
{
  Fixture fixture = { 0 };
  g_autoptr(DocketAnnotationRecord) record = docket_annotation_record_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *profile = NULL;
  AdwMessageDialog *dialog;

  fixture.server = docket_test_server_start (TRUE);
  fixture.root = docket_test_make_tmpdir ("docket-ui-sign-out");
  profile = g_build_filename (fixture.root, "profile", NULL);
  docket_ui_test_client_sign_in_and_sync (&fixture.client, fixture.server, profile);

  /* On a document the server does not know: the next sync has it refused. */
  record->id = g_uuid_string_random ();
  record->document_id = g_strdup ("khong-co-tai-lieu");
  record->page = 0;
  record->kind = DOCKET_ANNOTATION_HIGHLIGHT;
  record->color = g_strdup ("#ffd700");
  record->geometry = g_strdup ("{\"rects\": [[72, 100, 300.5, 112]]}");
  g_assert_true (docket_store_save_annotation (fixture.client.store, record, &error));
  g_assert_no_error (error);

  docket_ui_test_wait_for (kept_named, &fixture, "the sign-out dialog naming the refused change");
  dialog = docket_ui_test_find_message_dialog (GTK_WINDOW (fixture.client.window));
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "sign-out"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);
  docket_ui_test_wait_for_paint (GTK_WIDGET (dialog));
  docket_ui_test_save_screenshot (GTK_WIDGET (dialog), "sign-out-", "refused-named.png");
  close_dialog (dialog, "cancel");
  g_assert_true (docket_sync_get_signed_in (fixture.client.sync));

  docket_ui_test_client_close_as_user (&fixture.client);
  docket_test_server_stop (fixture.server);
  docket_test_rmtree (fixture.root);
  g_free (fixture.root);
}

int
main (int   argc,
      char *argv[])
{
  docket_ui_test_init (&argc, &argv);

  g_test_add_func ("/sign-out/unsent-changes", test_sign_out_with_unsent_changes);
  g_test_add_func ("/sign-out/refused-changes-named", test_sign_out_names_refused_changes);

  return g_test_run ();
}
