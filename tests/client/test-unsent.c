/* test-unsent.c: the sync engine never deletes the official's unsent changes unasked
 *
 * Against the real docket-server with the demo organisation. With the server down and
 * an annotation waiting in the outbox: a sign-out refuses (still signed in, nothing
 * removed) and says how many changes were not sent and why; only
 * DOCKET_SIGN_OUT_DISCARD_UNSENT deletes them. Signing in as another account, with the
 * engine or the window-less `docket --sign-in`, is refused likewise; with nothing
 * unsent, it goes through and clears the profile.
 */
#include "config.h"

#include <string.h>

#include "docket-store.h"
#include "docket-sync.h"
#include "docket-test-client.h"

typedef DocketTestClient Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  docket_test_client_set_up (fixture, "client-unsent");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  docket_test_client_tear_down (fixture);
}

static guint
outbox_length (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  guint n = 0;

  g_assert_true (docket_store_count_outbox (fixture->store, &n, NULL, &error));
  g_assert_no_error (error);
  return n;
}

static guint
meeting_count (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) meetings = docket_store_list_meetings (fixture->store, &error);

  g_assert_no_error (error);
  return meetings->len;
}

/* Signed in as daibieu1 and synced; then the server goes down and the official
 * highlights something: one change waits. Returns the annotation's id. */
static char *
one_change_waiting (Fixture *fixture)
{
  g_autoptr(DocketAnnotationRecord) record = docket_annotation_record_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) meetings = NULL;
  g_autoptr(GPtrArray) docs = NULL;

  docket_test_client_sign_in_as (fixture, "daibieu1");
  error = docket_test_sync_run (fixture->sync);
  g_assert_no_error (error);

  meetings = docket_store_list_meetings (fixture->store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < meetings->len && (docs == NULL || docs->len == 0); i++)
    {
      g_clear_pointer (&docs, g_ptr_array_unref);
      docs = docket_store_list_documents (fixture->store,
                                          ((DocketStoreMeetingRow *) g_ptr_array_index (meetings, i))->meeting->id,
                                          &error);
      g_assert_no_error (error);
    }
  g_assert_nonnull (docs);
  g_assert_cmpuint (docs->len, >, 0);

  docket_test_server_kill (fixture->server);

  record->id = g_uuid_string_random ();
  record->document_id = g_strdup (((DocketStoreDocumentRow *) g_ptr_array_index (docs, 0))->document->id);
  record->page = 0;
  record->kind = DOCKET_ANNOTATION_HIGHLIGHT;
  record->color = g_strdup ("#ffd700");
  record->geometry = g_strdup ("{\"rects\": [[72, 100, 300.5, 112]]}");
  record->contents = g_strdup ("Chưa gửi");
  g_assert_true (docket_store_save_annotation (fixture->store, record, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (outbox_length (fixture), ==, 1);

  return g_strdup (record->id);
}

static gboolean
has_annotation (Fixture    *fixture,
                const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketAnnotationRecord) record = docket_store_get_annotation (fixture->store, id, NULL, &error);

  g_assert_no_error (error);
  return record != NULL;
}

/* 1. The server down: signing out refuses, says why, and removes nothing; the plain
 *    sign-out as well as after the engine was restarted (the token not read yet). */
static void
test_sign_out_keeps_unsent (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *id = one_change_waiting (fixture);
  guint meetings = meeting_count (fixture);
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (meetings, >, 0);
  error = docket_test_sync_sign_out (fixture->sync, DOCKET_SIGN_OUT_KEEP_UNSENT);
  g_assert_error (error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_UNSENT);
  g_assert_nonnull (strstr (error->message, "1 change"));
  /* ... and why: the server cannot be reached. */
  g_assert_nonnull (strstr (error->message, docket_test_server_get_url (fixture->server)));
  g_assert_true (docket_sync_get_signed_in (fixture->sync));
  g_assert_cmpuint (outbox_length (fixture), ==, 1);
  g_assert_true (has_annotation (fixture, id));
  g_assert_cmpuint (meeting_count (fixture), ==, meetings);
  g_clear_error (&error);

  /* A fresh start, offline since: the token was never read, the change still waits. */
  docket_test_client_close_profile (fixture);
  docket_test_client_open_profile (fixture);
  error = docket_test_sync_sign_out (fixture->sync, DOCKET_SIGN_OUT_KEEP_UNSENT);
  g_assert_error (error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_UNSENT);
  g_assert_cmpuint (outbox_length (fixture), ==, 1);
  g_assert_true (has_annotation (fixture, id));
  g_clear_error (&error);

  /* The server back: the same sign-out sends it, then signs out. */
  docket_test_server_restart (fixture->server);
  error = docket_test_sync_sign_out (fixture->sync, DOCKET_SIGN_OUT_KEEP_UNSENT);
  g_assert_no_error (error);
  g_assert_false (docket_sync_get_signed_in (fixture->sync));
  g_assert_cmpuint (outbox_length (fixture), ==, 0);
  g_assert_cmpuint (docket_test_server_wait_for_requests (fixture->server, "PUT", "/api/v1/annotations/", 1), >=, 1);
}

/* 2. Asked for: the changes go, with the cache, without a request. */
static void
test_sign_out_discards_when_asked (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autofree char *id = one_change_waiting (fixture);
  g_autoptr(GError) error = NULL;

  error = docket_test_sync_sign_out (fixture->sync, DOCKET_SIGN_OUT_DISCARD_UNSENT);
  g_assert_no_error (error);
  g_assert_false (docket_sync_get_signed_in (fixture->sync));
  g_assert_cmpuint (outbox_length (fixture), ==, 0);
  g_assert_false (has_annotation (fixture, id));
  g_assert_cmpuint (meeting_count (fixture), ==, 0);
}

/* 3. Another account on this profile would clear it: refused while a change waits, with
 *    the engine and with `docket --sign-in`, which says how many. */
static void
test_switch_account_refused (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *id = one_change_waiting (fixture);
  g_autofree char *password_line = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *server = NULL;
  g_autofree char *username = NULL;
  g_autoptr(GError) error = NULL;
  const char *url;
  int status;

  docket_test_server_restart (fixture->server);
  /* (Its URL is the same, in a new string: read it after the restart.) */
  url = docket_test_server_get_url (fixture->server);

  error = docket_test_sync_sign_in (fixture->sync, url, "daibieu2",
                                    docket_test_server_get_password (fixture->server, "daibieu2"));
  g_assert_error (error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_UNSENT);
  g_assert_nonnull (strstr (error->message, "daibieu1"));
  g_assert_cmpuint (outbox_length (fixture), ==, 1);
  g_assert_true (has_annotation (fixture, id));
  g_clear_error (&error);

  /* The window-less command, on the same profile. */
  docket_test_client_close_profile (fixture);
  password_line = g_strdup_printf ("%s\n", docket_test_server_get_password (fixture->server, "daibieu2"));
  status = docket_test_run_client (password_line, &out, &err, "--profile", fixture->profile,
                                   "--sign-in", url, "daibieu2", NULL);
  g_assert_cmpint (status, !=, 0);
  g_assert_nonnull (strstr (err, "1 change"));
  g_assert_nonnull (strstr (err, "not yet sent"));
  docket_test_client_open_profile (fixture);
  g_assert_true (docket_store_get_account (fixture->store, &server, &username, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (username, ==, "daibieu1");
  g_assert_cmpuint (outbox_length (fixture), ==, 1);
  g_assert_true (has_annotation (fixture, id));
  g_assert_cmpuint (meeting_count (fixture), >, 0);

  /* The same account again is no switch: it goes through, and keeps the change. */
  error = docket_test_sync_sign_in (fixture->sync, url, "daibieu1",
                                    docket_test_server_get_password (fixture->server, "daibieu1"));
  g_assert_no_error (error);
  g_assert_cmpuint (outbox_length (fixture), ==, 1);
}

/* 4. A change the server refused for good is kept on this computer only: another
 *    account would delete it as well, so the switch is refused for it too. */
static void
test_switch_account_refused_for_kept (Fixture       *fixture,
                                      gconstpointer  data)
{
  g_autoptr(DocketAnnotationRecord) record = docket_annotation_record_new ();
  g_autoptr(GError) error = NULL;
  guint waiting = 0, refused = 0;

  docket_test_client_sign_in_as (fixture, "daibieu1");
  error = docket_test_sync_run (fixture->sync);
  g_assert_no_error (error);

  /* On a document the server does not know: refused with a 404. */
  record->id = g_uuid_string_random ();
  record->document_id = g_strdup ("khong-co-tai-lieu");
  record->page = 0;
  record->kind = DOCKET_ANNOTATION_HIGHLIGHT;
  record->color = g_strdup ("#ffd700");
  record->geometry = g_strdup ("{\"rects\": [[72, 100, 300.5, 112]]}");
  g_assert_true (docket_store_save_annotation (fixture->store, record, &error));
  g_assert_no_error (error);
  error = docket_test_sync_run (fixture->sync);
  g_assert_no_error (error);
  g_assert_true (docket_store_count_outbox (fixture->store, &waiting, &refused, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (waiting, ==, 0);
  g_assert_cmpuint (refused, ==, 1);

  error = docket_test_sync_sign_in (fixture->sync, docket_test_server_get_url (fixture->server), "daibieu2",
                                    docket_test_server_get_password (fixture->server, "daibieu2"));
  g_assert_error (error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_UNSENT);
  g_assert_true (has_annotation (fixture, record->id));
}

/* 5. Nothing unsent: another account goes through and clears the profile (its reads
 *    and writes of the store run in a worker, docket-sync-account.c). */
static void
test_switch_account_clears (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *server = NULL;
  g_autofree char *username = NULL;
  g_autoptr(GError) error = NULL;

  docket_test_client_sign_in_as (fixture, "daibieu1");
  error = docket_test_sync_run (fixture->sync);
  g_assert_no_error (error);
  g_assert_cmpuint (meeting_count (fixture), >, 0);
  g_assert_cmpuint (outbox_length (fixture), ==, 0);

  docket_test_client_sign_in_as (fixture, "daibieu2");
  g_assert_true (docket_sync_get_signed_in (fixture->sync));
  g_assert_cmpstr (docket_sync_get_username (fixture->sync), ==, "daibieu2");
  g_assert_true (docket_store_get_account (fixture->store, &server, &username, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (username, ==, "daibieu2");
  g_assert_cmpuint (meeting_count (fixture), ==, 0);

  /* The next run brings the new account's meetings. */
  error = docket_test_sync_run (fixture->sync);
  g_assert_no_error (error);
  g_assert_cmpuint (meeting_count (fixture), >, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/unsent/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("sign-out-keeps-unsent", test_sign_out_keeps_unsent);
  ADD ("sign-out-discards-when-asked", test_sign_out_discards_when_asked);
  ADD ("switch-account-refused", test_switch_account_refused);
  ADD ("switch-account-refused-for-kept", test_switch_account_refused_for_kept);
  ADD ("switch-account-clears", test_switch_account_clears);

#undef ADD

  return g_test_run ();
}
