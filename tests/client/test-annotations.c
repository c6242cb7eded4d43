/* test-annotations.c: the official's annotations and notes, from the store through the
 * outbox to the real docket-server and back to other profiles
 *
 * Each test starts docket-server with the demo organisation on a random loopback port and
 * signs real profiles in (the Secret Service of the test session keeps their tokens): two
 * computers of the same official, another official, the secretary. The cases that play
 * a hostile server of their own, which the real server cannot be, are in
 * test-annotations-hostile.c; what both share, in test-annotations-common.c.
 */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "docket-store.h"
#include "docket-sync.h"
#include "docket-test-client.h"
#include "test-annotations-common.h"

#define COLLEAGUE "daibieu2"
#define SECRETARY "thuky"

/* This test's own executable, which a test runs as a process to kill. */
static char *self_path;

typedef struct {
  DocketTestServer *server;
  char             *tmpdir;
  Profile           a;          /* the official's first computer */
  Profile           b;          /* the official's second computer */
  char             *document_id;
  char             *item_id;
} Fixture;

/* ---- syncing ------------------------------------------------------------------------ */

static void
sync_ok (Profile *profile)
{
  g_autoptr(GError) error = docket_test_sync_run (profile->sync);

  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) meetings = NULL;
  g_autoptr(GPtrArray) documents = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  DocketStoreMeetingRow *meeting;

  fixture->server = docket_test_server_start (TRUE);
  fixture->tmpdir = docket_test_make_tmpdir ("client-annotations");
  profile_sign_in (&fixture->a, fixture->server, docket_test_server_get_url (fixture->server),
                   fixture->tmpdir, "a", OFFICIAL);
  profile_sign_in (&fixture->b, fixture->server, docket_test_server_get_url (fixture->server),
                   fixture->tmpdir, "b", OFFICIAL);
  sync_ok (&fixture->a);
  sync_ok (&fixture->b);

  meetings = docket_store_list_meetings (fixture->a.store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (meetings->len, >, 0);
  meeting = g_ptr_array_index (meetings, 0);
  documents = docket_store_list_documents (fixture->a.store, meeting->meeting->id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (documents->len, >, 0);
  fixture->document_id = g_strdup (((DocketStoreDocumentRow *) g_ptr_array_index (documents, 0))->document->id);
  items = docket_store_list_agenda_items (fixture->a.store, meeting->meeting->id, &error);
  g_assert_no_error (error);
  fixture->item_id = g_strdup (((DocketAgendaItemRecord *) g_ptr_array_index (items, 0))->id);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  profile_clear (&fixture->a);
  profile_clear (&fixture->b);
  docket_test_server_stop (fixture->server);
  docket_test_rmtree (fixture->tmpdir);
  g_free (fixture->tmpdir);
  g_free (fixture->document_id);
  g_free (fixture->item_id);
}

/* ---- a process killed just after it saved ------------------------------------------- */

/* Run as "test-annotations --save-and-die PROFILE DOCUMENT_ID": saves an annotation and a
 * note, prints the annotation's id, and kills itself before anything else can happen. */
static int
save_and_die (const char *profile_dir,
              const char *document_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketStore) store = docket_store_open (profile_dir, &error);
  g_autoptr(DocketAnnotationRecord) record = NULL;

  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  record = new_ink (document_id);
  if (!docket_store_save_annotation (store, record, &error) ||
      !docket_store_save_note (store, DOCKET_NOTE_TARGET_DOCUMENT, document_id, "Ghi chú\r\nkhẩn", &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  g_print ("%s\n", record->id);
  fflush (stdout);
  raise (SIGKILL);
  return 1;
}

static void
test_saved_survives_kill (Fixture       *fixture,
                          gconstpointer  data)
{
  const char *argv[] = { self_path, "--save-and-die", fixture->a.path, fixture->document_id, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketAnnotationRecord) found = NULL;
  g_autoptr(DocketAnnotationRecord) on_b = NULL;
  int status = 0;

  /* The other process writes to the same profile: this one lets go of it meanwhile. */
  profile_close (&fixture->a);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL);
  g_strstrip (out);
  g_assert_true (g_uuid_string_is_valid (out));

  /* Reopened as after a crash: the annotation, the note and their operations are there. */
  profile_open (&fixture->a, NULL);
  found = get_annotation (&fixture->a, out, NULL);
  g_assert_nonnull (found);
  g_assert_cmpint (found->kind, ==, DOCKET_ANNOTATION_INK);
  g_assert_cmpint (found->revision, ==, 0);
  text = note_of (&fixture->a, DOCKET_NOTE_TARGET_DOCUMENT, fixture->document_id);
  g_assert_cmpstr (text, ==, "Ghi chú\nkhẩn");
  g_assert_cmpuint (outbox_length (&fixture->a), ==, 2);

  /* ... and they go to the server and to the second computer. */
  sync_ok (&fixture->a);
  g_assert_cmpuint (outbox_length (&fixture->a), ==, 0);
  g_clear_pointer (&found, docket_annotation_record_free);
  found = get_annotation (&fixture->a, out, NULL);
  g_assert_cmpint (found->revision, >, 0);
  sync_ok (&fixture->b);
  on_b = get_annotation (&fixture->b, out, NULL);
  g_assert_nonnull (on_b);
  g_assert_cmpint (on_b->revision, ==, found->revision);
  g_assert_cmpstr (on_b->geometry, ==, found->geometry);
  g_free (text);
  text = note_of (&fixture->b, DOCKET_NOTE_TARGET_DOCUMENT, fixture->document_id);
  g_assert_cmpstr (text, ==, "Ghi chú\nkhẩn");
}

/* Saved offline on A, it reaches B; never another official nor the secretary. */
static void
test_second_computer_only (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(DocketAnnotationRecord) highlight = new_highlight (fixture->document_id, 1, "#F6D32D");
  g_autoptr(DocketAnnotationRecord) ink = new_ink (fixture->document_id);
  g_autoptr(DocketAnnotationRecord) on_b = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) on_b_list = NULL;
  g_autofree char *text = NULL;
  Profile colleague = { 0 };
  Profile secretary = { 0 };

  save (&fixture->a, highlight);
  save (&fixture->a, ink);
  g_assert_true (docket_store_save_note (fixture->a.store, DOCKET_NOTE_TARGET_AGENDA_ITEM,
                                         fixture->item_id, "Hỏi về ngân sách", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_annotations (&fixture->a, fixture->document_id), ==, 2);
  g_assert_cmpuint (outbox_length (&fixture->a), ==, 3);

  sync_ok (&fixture->a);
  g_assert_cmpuint (outbox_length (&fixture->a), ==, 0);
  sync_ok (&fixture->b);

  on_b_list = docket_store_list_annotations (fixture->b.store, fixture->document_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (on_b_list->len, ==, 2);
  on_b = get_annotation (&fixture->b, highlight->id, NULL);
  g_assert_nonnull (on_b);
  g_assert_cmpstr (on_b->color, ==, "#f6d32d");
  g_assert_cmpint (on_b->page, ==, 1);
  g_assert_cmpstr (on_b->contents, ==, "Số liệu cần kiểm tra");
  g_assert_cmpint (on_b->revision, >, 0);
  text = note_of (&fixture->b, DOCKET_NOTE_TARGET_AGENDA_ITEM, fixture->item_id);
  g_assert_cmpstr (text, ==, "Hỏi về ngân sách");

  /* Another official and the secretary see the same meeting, and none of it. */
  profile_sign_in (&colleague, fixture->server, docket_test_server_get_url (fixture->server),
                   fixture->tmpdir, "colleague", COLLEAGUE);
  profile_sign_in (&secretary, fixture->server, docket_test_server_get_url (fixture->server),
                   fixture->tmpdir, "secretary", SECRETARY);
  sync_ok (&colleague);
  sync_ok (&secretary);
  {
    g_autoptr(DocketStoreDocumentRow) row = docket_store_get_document (colleague.store, fixture->document_id, NULL);

    g_assert_nonnull (row);
  }
  g_assert_cmpuint (count_annotations (&colleague, fixture->document_id), ==, 0);
  g_assert_cmpuint (count_annotations (&secretary, fixture->document_id), ==, 0);
  g_assert_null (get_annotation (&colleague, highlight->id, NULL));
  g_assert_null (get_annotation (&secretary, ink->id, NULL));
  g_free (text);
  text = note_of (&colleague, DOCKET_NOTE_TARGET_AGENDA_ITEM, fixture->item_id);
  g_assert_cmpstr (text, ==, "");
  g_free (text);
  text = note_of (&secretary, DOCKET_NOTE_TARGET_AGENDA_ITEM, fixture->item_id);
  g_assert_cmpstr (text, ==, "");

  profile_clear (&colleague);
  profile_clear (&secretary);
}

/* An operation sent again (its answer lost) changes nothing: one annotation, one
 * revision; and a sync after a push sends nothing again. */
static void
test_idempotent (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(DocketAnnotationRecord) record = new_highlight (fixture->document_id, 0, "#ff0000");
  g_autoptr(DocketAnnotationRecord) pushed = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autofree char *token = docket_test_sign_in (fixture->server, OFFICIAL, NULL);
  g_autofree char *url = NULL;
  g_autofree char *body = NULL;
  g_autofree char *rows = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *top = NULL;
  g_autofree char *top_after = NULL;
  g_autofree char *revision = NULL;
  g_autoptr(GBytes) request = NULL;
  DocketOutboxOp *op;
  guint puts;

  save (&fixture->a, record);
  ops = docket_store_list_outbox (fixture->a.store, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ops->len, ==, 1);
  op = g_ptr_array_index (ops, 0);
  g_assert_cmpint (op->kind, ==, DOCKET_OUTBOX_PUT_ANNOTATION);
  g_assert_cmpstr (op->entity_id, ==, record->id);

  sync_ok (&fixture->a);
  pushed = get_annotation (&fixture->a, record->id, NULL);
  g_assert_cmpint (pushed->revision, >, 0);
  puts = docket_test_server_count_requests (fixture->server, "PUT", "/api/v1/annotations/");
  g_assert_cmpuint (puts, ==, 1);

  /* The same operation again, as a client whose answer was lost would send it. */
  top = docket_test_server_sql_text (fixture->server, "SELECT value FROM sequence");
  url = g_strconcat (docket_test_server_get_url (fixture->server), "/api/v1/annotations/", record->id, NULL);
  body = g_strdup_printf ("{\"op_id\": \"%s\", \"annotation\": %s}", op->op_id, op->body);
  request = g_bytes_new (body, strlen (body));
  g_assert_cmpuint (docket_test_http ("PUT", url, token, "application/json", request, &answer), ==, 201);
  revision = g_strdup_printf ("\"revision\":%" G_GINT64_FORMAT, pushed->revision);
  g_assert_nonnull (strstr (g_bytes_get_data (answer, NULL), revision));
  expected = g_strdup_printf ("1/%" G_GINT64_FORMAT, pushed->revision);
  rows = docket_test_server_sql_text (fixture->server, "SELECT count(*) || '/' || max (revision) FROM annotations");
  g_assert_cmpstr (rows, ==, expected);
  top_after = docket_test_server_sql_text (fixture->server, "SELECT value FROM sequence");
  g_assert_cmpstr (top_after, ==, top);

  /* Nothing is sent twice: the next sync sends no operation. */
  sync_ok (&fixture->a);
  g_assert_cmpuint (docket_test_server_count_requests (fixture->server, "PUT", "/api/v1/annotations/"), ==, puts + 1);
  g_assert_cmpuint (outbox_length (&fixture->a), ==, 0);
  sync_ok (&fixture->b);
  g_assert_cmpuint (count_annotations (&fixture->b, fixture->document_id), ==, 1);
}

/* Saves while an operation waits fold into it; an answer to the old op_id does not lose
 * the newer state. */
static void
test_folding (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(DocketAnnotationRecord) record = new_highlight (fixture->document_id, 0, "#ff0000");
  g_autoptr(DocketAnnotationRecord) answer = NULL;
  g_autoptr(DocketAnnotationRecord) on_b = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GError) error = NULL;
  DocketOutboxOp *old_op, *new_op;

  save (&fixture->a, record);
  before = docket_store_list_outbox (fixture->a.store, 10, &error);
  g_assert_no_error (error);
  old_op = g_ptr_array_index (before, 0);

  g_free (record->color);
  record->color = g_strdup ("#00ff00");
  save (&fixture->a, record);
  after = docket_store_list_outbox (fixture->a.store, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (after->len, ==, 1);
  new_op = g_ptr_array_index (after, 0);
  g_assert_cmpint (new_op->seq, ==, old_op->seq);
  g_assert_cmpstr (new_op->op_id, !=, old_op->op_id);
  g_assert_nonnull (strstr (new_op->body, "#00ff00"));

  /* The answer to the old op_id (it was under way when the second save came). */
  answer = docket_annotation_record_copy (record);
  answer->revision = 7;
  answer->updated_at = 1;
  g_assert_true (docket_store_outbox_done_put_annotation (fixture->a.store, old_op->op_id, answer, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (outbox_length (&fixture->a), ==, 1);

  /* The newer state goes, and wins. */
  sync_ok (&fixture->a);
  g_assert_cmpuint (outbox_length (&fixture->a), ==, 0);
  sync_ok (&fixture->b);
  on_b = get_annotation (&fixture->b, record->id, NULL);
  g_assert_cmpstr (on_b->color, ==, "#00ff00");

  /* A delete folds into a waiting put. */
  g_free (record->color);
  record->color = g_strdup ("#0000ff");
  save (&fixture->a, record);
  g_assert_true (docket_store_delete_annotation (fixture->a.store, record->id, &error));
  g_assert_no_error (error);
  g_clear_pointer (&after, g_ptr_array_unref);
  after = docket_store_list_outbox (fixture->a.store, 10, &error);
  g_assert_cmpuint (after->len, ==, 1);
  g_assert_cmpint (((DocketOutboxOp *) g_ptr_array_index (after, 0))->kind, ==, DOCKET_OUTBOX_DELETE_ANNOTATION);
  g_assert_cmpuint (count_annotations (&fixture->a, fixture->document_id), ==, 0);
  sync_ok (&fixture->a);
  g_assert_null (get_annotation (&fixture->a, record->id, NULL));
  sync_ok (&fixture->b);
  g_assert_null (get_annotation (&fixture->b, record->id, NULL));
}

/* Applies a page of one change of the official's data, at the profile's own cursor. */
static void
apply_own_change (Profile          *profile,
                  DocketChangeType  type,
                  const char       *id,
                  gpointer          record)
{
  g_autoptr(DocketChangesPage) page = docket_changes_page_new ();
  g_autoptr(GError) error = NULL;

  page->cursor = docket_store_dup_cursor (profile->store);
  g_ptr_array_add (page->changes, docket_change_new (type, id, record == NULL, record));
  g_assert_true (docket_store_apply_changes (profile->store, page, &error));
  g_assert_no_error (error);
}

/* What the feed brings does not overwrite a change still waiting to go, nor a newer
 * revision; once nothing waits, it applies. */
static void
test_feed_keeps_waiting_changes (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(DocketAnnotationRecord) record = new_highlight (fixture->document_id, 0, "#ff0000");
  g_autoptr(DocketAnnotationRecord) pushed = NULL;
  g_autoptr(DocketAnnotationRecord) now = NULL;
  DocketAnnotationRecord *incoming;
  g_autoptr(DocketNoteRecord) note = docket_note_record_new ();
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  save (&fixture->a, record);
  sync_ok (&fixture->a);
  pushed = get_annotation (&fixture->a, record->id, NULL);

  /* Waiting: an edit on this computer. The feed brings another state, newer. */
  g_free (record->color);
  record->color = g_strdup ("#00aa00");
  save (&fixture->a, record);
  incoming = docket_annotation_record_copy (pushed);
  g_free (incoming->color);
  incoming->color = g_strdup ("#0000ff");
  incoming->revision = pushed->revision + 100;
  apply_own_change (&fixture->a, DOCKET_CHANGE_ANNOTATION, record->id, incoming);
  now = get_annotation (&fixture->a, record->id, NULL);
  g_assert_cmpstr (now->color, ==, "#00aa00");
  /* A deletion from the feed waits too. */
  apply_own_change (&fixture->a, DOCKET_CHANGE_ANNOTATION, record->id, NULL);
  g_clear_pointer (&now, docket_annotation_record_free);
  now = get_annotation (&fixture->a, record->id, NULL);
  g_assert_nonnull (now);

  /* Sent: the server's state comes back, and an older one changes nothing. */
  sync_ok (&fixture->a);
  g_clear_pointer (&now, docket_annotation_record_free);
  now = get_annotation (&fixture->a, record->id, NULL);
  g_assert_cmpstr (now->color, ==, "#00aa00");
  g_assert_cmpint (now->revision, >, pushed->revision);
  incoming = docket_annotation_record_copy (pushed);
  g_free (incoming->color);
  incoming->color = g_strdup ("#000000");
  apply_own_change (&fixture->a, DOCKET_CHANGE_ANNOTATION, record->id, incoming);
  g_clear_pointer (&now, docket_annotation_record_free);
  now = get_annotation (&fixture->a, record->id, NULL);
  g_assert_cmpstr (now->color, ==, "#00aa00");

  /* Notes likewise. */
  g_assert_true (docket_store_save_note (fixture->a.store, DOCKET_NOTE_TARGET_DOCUMENT,
                                         fixture->document_id, "của máy này", &error));
  g_assert_no_error (error);
  note->target = DOCKET_NOTE_TARGET_DOCUMENT;
  note->target_id = g_strdup (fixture->document_id);
  note->text = g_strdup ("từ máy khác");
  note->revision = G_GINT64_CONSTANT (1000000);
  apply_own_change (&fixture->a, DOCKET_CHANGE_NOTE, fixture->document_id, docket_note_record_copy (note));
  text = note_of (&fixture->a, DOCKET_NOTE_TARGET_DOCUMENT, fixture->document_id);
  g_assert_cmpstr (text, ==, "của máy này");
  sync_ok (&fixture->a);
  apply_own_change (&fixture->a, DOCKET_CHANGE_NOTE, fixture->document_id, docket_note_record_copy (note));
  g_free (text);
  text = note_of (&fixture->a, DOCKET_NOTE_TARGET_DOCUMENT, fixture->document_id);
  g_assert_cmpstr (text, ==, "từ máy khác");

  /* Nothing waiting: a deletion from the feed (the meeting taken away) applies. */
  apply_own_change (&fixture->a, DOCKET_CHANGE_ANNOTATION, record->id, NULL);
  g_assert_null (get_annotation (&fixture->a, record->id, NULL));
  apply_own_change (&fixture->a, DOCKET_CHANGE_NOTE, fixture->document_id, NULL);
  g_free (text);
  text = note_of (&fixture->a, DOCKET_NOTE_TARGET_DOCUMENT, fixture->document_id);
  g_assert_cmpstr (text, ==, "");
}

/* Two computers change the same annotation offline: the server takes them in the order
 * they arrive, the last one wins everywhere. A computer's waiting change is not
 * overwritten by the feed before it went. */
static void
test_conflict_last_writer_wins (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(DocketAnnotationRecord) record = new_highlight (fixture->document_id, 0, "#ff0000");
  g_autoptr(DocketAnnotationRecord) on_a = NULL;
  g_autoptr(DocketAnnotationRecord) on_b = NULL;
  g_autoptr(DocketAnnotationRecord) edit_a = NULL;
  g_autoptr(DocketAnnotationRecord) edit_b = NULL;

  save (&fixture->a, record);
  sync_ok (&fixture->a);
  sync_ok (&fixture->b);

  /* Both edit, offline. */
  edit_a = get_annotation (&fixture->a, record->id, NULL);
  g_free (edit_a->color);
  edit_a->color = g_strdup ("#aa0000");
  save (&fixture->a, edit_a);
  edit_b = get_annotation (&fixture->b, record->id, NULL);
  g_assert_nonnull (edit_b);
  g_free (edit_b->contents);
  edit_b->contents = g_strdup ("Sửa trên máy B");
  g_free (edit_b->color);
  edit_b->color = g_strdup ("#0000bb");
  save (&fixture->b, edit_b);

  /* A reaches the server first, B second: B's version wins. */
  sync_ok (&fixture->a);
  on_a = get_annotation (&fixture->a, record->id, NULL);
  g_assert_cmpstr (on_a->color, ==, "#aa0000");
  sync_ok (&fixture->b);
  on_b = get_annotation (&fixture->b, record->id, NULL);
  g_assert_cmpstr (on_b->color, ==, "#0000bb");
  sync_ok (&fixture->a);
  g_clear_pointer (&on_a, docket_annotation_record_free);
  on_a = get_annotation (&fixture->a, record->id, NULL);
  g_assert_cmpstr (on_a->color, ==, "#0000bb");
  g_assert_cmpstr (on_a->contents, ==, "Sửa trên máy B");
  g_assert_cmpint (on_a->revision, ==, on_b->revision);
}

/* The "outbox-refused" signals a store emitted: kind, reason and gone of each. */
typedef struct {
  GArray    *kinds;     /* int */
  GArray    *statuses;  /* guint */
  GPtrArray *reasons;   /* char* */
  guint      n_gone;
} Refusals;

static void
on_outbox_refused (DocketStore *store,
                   int          kind,
                   guint        status,
                   const char  *reason,
                   gboolean     gone,
                   Refusals    *refusals)
{
  g_array_append_val (refusals->kinds, kind);
  g_array_append_val (refusals->statuses, status);
  g_ptr_array_add (refusals->reasons, g_strdup (reason));
  refusals->n_gone += gone ? 1 : 0;
}

static void
refusals_init (Refusals    *refusals,
               DocketStore *store)
{
  refusals->kinds = g_array_new (FALSE, FALSE, sizeof (int));
  refusals->statuses = g_array_new (FALSE, FALSE, sizeof (guint));
  refusals->reasons = g_ptr_array_new_with_free_func (g_free);
  refusals->n_gone = 0;
  g_signal_connect (store, "outbox-refused", G_CALLBACK (on_outbox_refused), refusals);
}

/* Runs what the store queued (its signals come through idles), then stops listening. */
static void
refusals_finish (Refusals    *refusals,
                 DocketStore *store)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_signal_handlers_disconnect_by_func (store, on_outbox_refused, refusals);
}

static void
refusals_clear (Refusals *refusals)
{
  g_clear_pointer (&refusals->kinds, g_array_unref);
  g_clear_pointer (&refusals->statuses, g_array_unref);
  g_clear_pointer (&refusals->reasons, g_ptr_array_unref);
}

/* Deleted on B: gone on A. A's waiting edit of it is refused as gone, and A drops it. */
static void
test_delete_reaches_other_computer (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(DocketAnnotationRecord) kept = new_highlight (fixture->document_id, 0, "#ff0000");
  g_autoptr(DocketAnnotationRecord) edited = new_ink (fixture->document_id);
  g_autoptr(DocketAnnotationRecord) edit_a = NULL;
  g_autoptr(GPtrArray) refused = NULL;
  g_autoptr(GError) error = NULL;
  gboolean deleted = FALSE;
  Refusals refusals;

  save (&fixture->a, kept);
  save (&fixture->a, edited);
  sync_ok (&fixture->a);
  sync_ok (&fixture->b);
  g_assert_cmpuint (count_annotations (&fixture->b, fixture->document_id), ==, 2);

  /* B deletes both; A edits one of them meanwhile. */
  g_assert_true (docket_store_delete_annotation (fixture->b.store, kept->id, &error));
  g_assert_true (docket_store_delete_annotation (fixture->b.store, edited->id, &error));
  g_assert_no_error (error);
  {
    g_autoptr(DocketAnnotationRecord) tombstone = get_annotation (&fixture->b, kept->id, &deleted);

    g_assert_nonnull (tombstone);
    g_assert_true (deleted);
  }
  g_assert_cmpuint (count_annotations (&fixture->b, fixture->document_id), ==, 0);
  /* A delete is final: while its tombstone waits, the annotation cannot be saved again. */
  g_assert_false (docket_store_save_annotation (fixture->b.store, kept, &error));
  g_assert_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (outbox_length (&fixture->b), ==, 2);
  edit_a = get_annotation (&fixture->a, edited->id, NULL);
  g_free (edit_a->contents);
  edit_a->contents = g_strdup ("Sửa muộn");
  save (&fixture->a, edit_a);

  sync_ok (&fixture->b);
  g_assert_null (get_annotation (&fixture->b, kept->id, NULL));
  g_assert_cmpuint (outbox_length (&fixture->b), ==, 0);

  /* A: the untouched one goes with the feed, the edited one with the 410 of its put;
   * the official is told (the store's "outbox-refused", gone). */
  refusals_init (&refusals, fixture->a.store);
  sync_ok (&fixture->a);
  refusals_finish (&refusals, fixture->a.store);
  g_assert_cmpuint (refusals.kinds->len, ==, 1);
  g_assert_cmpint (g_array_index (refusals.kinds, int, 0), ==, DOCKET_OUTBOX_PUT_ANNOTATION);
  g_assert_cmpuint (g_array_index (refusals.statuses, guint, 0), ==, 410);
  g_assert_cmpuint (refusals.n_gone, ==, 1);
  refusals_clear (&refusals);
  g_assert_null (get_annotation (&fixture->a, kept->id, NULL));
  g_assert_null (get_annotation (&fixture->a, edited->id, NULL));
  g_assert_cmpuint (count_annotations (&fixture->a, fixture->document_id), ==, 0);
  g_assert_cmpuint (outbox_length (&fixture->a), ==, 0);
  refused = docket_store_list_outbox_refused (fixture->a.store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (refused->len, ==, 1);
  g_assert_nonnull (strstr (((DocketOutboxOp *) g_ptr_array_index (refused, 0))->last_error, "410"));
}

/* An operation the server refuses for good is recorded and dropped; the ones after it
 * still go, and the sync succeeds. */
static void
test_refused_does_not_block (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(DocketAnnotationRecord) orphan = new_highlight ("khong-co-tai-lieu", 0, "#ff0000");
  g_autoptr(DocketAnnotationRecord) good = new_ink (fixture->document_id);
  g_autoptr(DocketAnnotationRecord) pushed = NULL;
  g_autoptr(DocketAnnotationRecord) kept = NULL;
  g_autoptr(GPtrArray) refused = NULL;
  g_autoptr(GError) error = NULL;
  DocketOutboxOp *op;
  Refusals refusals;

  save (&fixture->a, orphan);
  save (&fixture->a, good);
  g_assert_true (docket_store_save_note (fixture->a.store, DOCKET_NOTE_TARGET_DOCUMENT,
                                         "khong-co-tai-lieu", "x", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (outbox_length (&fixture->a), ==, 3);

  refusals_init (&refusals, fixture->a.store);
  sync_ok (&fixture->a);
  refusals_finish (&refusals, fixture->a.store);
  g_assert_cmpuint (outbox_length (&fixture->a), ==, 0);
  /* Each refusal is told once, with the server's reason (the window shows it). */
  g_assert_cmpuint (refusals.kinds->len, ==, 2);
  g_assert_cmpint (g_array_index (refusals.kinds, int, 0), ==, DOCKET_OUTBOX_PUT_ANNOTATION);
  g_assert_cmpint (g_array_index (refusals.kinds, int, 1), ==, DOCKET_OUTBOX_PUT_NOTE);
  for (guint i = 0; i < refusals.reasons->len; i++)
    g_assert_nonnull (strstr (g_ptr_array_index (refusals.reasons, i), "404"));
  g_assert_cmpuint (refusals.n_gone, ==, 0);
  refusals_clear (&refusals);
  pushed = get_annotation (&fixture->a, good->id, NULL);
  g_assert_cmpint (pushed->revision, >, 0);

  refused = docket_store_list_outbox_refused (fixture->a.store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (refused->len, ==, 2);
  for (guint i = 0; i < refused->len; i++)
    {
      op = g_ptr_array_index (refused, i);
      g_assert_nonnull (strstr (op->last_error, "404"));
      g_assert_cmpstr (op->entity_id, !=, good->id);
      /* What the official saved is kept with the refusal. */
      g_assert_cmpstr (op->body, !=, "");
    }
  /* ... and stays on this computer. */
  kept = get_annotation (&fixture->a, orphan->id, NULL);
  g_assert_nonnull (kept);
  g_assert_cmpint (kept->revision, ==, 0);

  sync_ok (&fixture->b);
  {
    g_autoptr(DocketAnnotationRecord) on_b = get_annotation (&fixture->b, good->id, NULL);

    g_assert_nonnull (on_b);
  }
  g_assert_null (get_annotation (&fixture->b, orphan->id, NULL));
}

/* Notes on an agenda item and a document go both ways; "" clears one. */
static void
test_notes_round_trip (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_assert_true (docket_store_save_note (fixture->a.store, DOCKET_NOTE_TARGET_AGENDA_ITEM,
                                         fixture->item_id, "Đề nghị làm rõ\ttiến độ", &error));
  g_assert_true (docket_store_save_note (fixture->a.store, DOCKET_NOTE_TARGET_DOCUMENT,
                                         fixture->document_id, "Trang 3 sai số", &error));
  g_assert_no_error (error);
  /* Two saves of one note fold into one operation. */
  g_assert_true (docket_store_save_note (fixture->a.store, DOCKET_NOTE_TARGET_DOCUMENT,
                                         fixture->document_id, "Trang 3 sai số liệu", &error));
  g_assert_cmpuint (outbox_length (&fixture->a), ==, 2);
  sync_ok (&fixture->a);
  sync_ok (&fixture->b);

  text = note_of (&fixture->b, DOCKET_NOTE_TARGET_AGENDA_ITEM, fixture->item_id);
  g_assert_cmpstr (text, ==, "Đề nghị làm rõ\ttiến độ");
  g_free (text);
  text = note_of (&fixture->b, DOCKET_NOTE_TARGET_DOCUMENT, fixture->document_id);
  g_assert_cmpstr (text, ==, "Trang 3 sai số liệu");

  /* B changes one, clears the other; A gets both. */
  g_assert_true (docket_store_save_note (fixture->b.store, DOCKET_NOTE_TARGET_AGENDA_ITEM,
                                         fixture->item_id, "Đã rõ", &error));
  g_assert_true (docket_store_save_note (fixture->b.store, DOCKET_NOTE_TARGET_DOCUMENT,
                                         fixture->document_id, "", &error));
  g_assert_no_error (error);
  sync_ok (&fixture->b);
  sync_ok (&fixture->a);
  g_free (text);
  text = note_of (&fixture->a, DOCKET_NOTE_TARGET_AGENDA_ITEM, fixture->item_id);
  g_assert_cmpstr (text, ==, "Đã rõ");
  g_free (text);
  text = note_of (&fixture->a, DOCKET_NOTE_TARGET_DOCUMENT, fixture->document_id);
  g_assert_cmpstr (text, ==, "");

  /* Bad input is refused before anything is written. */
  g_assert_false (docket_store_save_note (fixture->a.store, DOCKET_NOTE_TARGET_DOCUMENT,
                                          "../x", "y", &error));
  g_assert_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (docket_store_save_note (fixture->a.store, DOCKET_NOTE_TARGET_DOCUMENT,
                                          fixture->document_id, "a\001b", &error));
  g_assert_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (outbox_length (&fixture->a), ==, 0);
}

/* The store refuses what the server would, and writes nothing then; signing out forgets
 * the official's data. */
static void
test_store_checks_and_sign_out (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(DocketAnnotationRecord) record = new_highlight (fixture->document_id, 0, "#ff0000");
  g_autoptr(GError) error = NULL;
  static const char * const bad_geometries[] = {
    "{\"rects\": []}", "{\"rects\": [[3, 2, 1, 4]]}", "not json", "{\"width\": 1, \"strokes\": [[1, 2]]}",
    "{\"rects\": [[1, 2, 3, 1e999]]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad_geometries); i++)
    {
      g_free (record->geometry);
      record->geometry = g_strdup (bad_geometries[i]);
      g_assert_false (docket_store_save_annotation (fixture->a.store, record, &error));
      g_assert_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_INVALID);
      g_clear_error (&error);
    }
  g_free (record->geometry);
  record->geometry = g_strdup ("{\"rects\": [[1, 2, 3, 4]]}");
  g_free (record->color);
  record->color = g_strdup ("yellow");
  g_assert_false (docket_store_save_annotation (fixture->a.store, record, &error));
  g_assert_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_free (record->color);
  record->color = g_strdup ("#123456");
  g_free (record->id);
  record->id = g_strdup ("a/b");
  g_assert_false (docket_store_save_annotation (fixture->a.store, record, &error));
  g_assert_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpuint (outbox_length (&fixture->a), ==, 0);
  g_assert_cmpuint (count_annotations (&fixture->a, fixture->document_id), ==, 0);

  /* A valid one; an unknown one deleted is nothing to do. */
  g_free (record->id);
  record->id = g_uuid_string_random ();
  save (&fixture->a, record);
  g_assert_true (docket_store_delete_annotation (fixture->a.store, "khong-co", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (outbox_length (&fixture->a), ==, 1);

  /* Moving it to another document is refused. */
  g_free (record->document_id);
  record->document_id = g_strdup ("another-document");
  g_assert_false (docket_store_save_annotation (fixture->a.store, record, &error));
  g_assert_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* Signing out forgets everything of the official's. */
  g_assert_true (docket_store_clear (fixture->a.store, &error));
  g_assert_no_error (error);
  g_assert_null (get_annotation (&fixture->a, record->id, NULL));
  g_assert_cmpuint (outbox_length (&fixture->a), ==, 0);
}

/* Taken off the meeting, the official's annotations and notes of it leave the profile;
 * back on it, they come back from the server. */
static void
test_access_lost_and_back (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(DocketAnnotationRecord) record = new_highlight (fixture->document_id, 0, "#ff0000");
  g_autoptr(DocketAnnotationRecord) back = NULL;
  g_autoptr(DocketStoreDocumentRow) row = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secretary = docket_test_sign_in (fixture->server, SECRETARY, NULL);
  g_autofree char *url = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GBytes) answer = NULL;

  row = docket_store_get_document (fixture->a.store, fixture->document_id, &error);
  g_assert_no_error (error);
  url = g_strdup_printf ("%s/api/v1/meetings/%s/participants/%s",
                         docket_test_server_get_url (fixture->server), row->document->meeting_id,
                         OFFICIAL);
  save (&fixture->a, record);
  g_assert_true (docket_store_save_note (fixture->a.store, DOCKET_NOTE_TARGET_AGENDA_ITEM,
                                         fixture->item_id, "Riêng tư", &error));
  g_assert_no_error (error);
  sync_ok (&fixture->a);

  g_assert_cmpuint (docket_test_http ("DELETE", url, secretary, NULL, NULL, &answer), ==, 204);
  sync_ok (&fixture->a);
  g_assert_null (get_annotation (&fixture->a, record->id, NULL));
  text = note_of (&fixture->a, DOCKET_NOTE_TARGET_AGENDA_ITEM, fixture->item_id);
  g_assert_cmpstr (text, ==, "");

  g_clear_pointer (&answer, g_bytes_unref);
  g_assert_cmpuint (docket_test_http ("PUT", url, secretary, NULL, NULL, &answer), ==, 204);
  sync_ok (&fixture->a);
  back = get_annotation (&fixture->a, record->id, NULL);
  g_assert_nonnull (back);
  g_assert_cmpstr (back->geometry, ==, "{\"rects\":[[72.0,100.0,300.5,112.0],[72.0,114.0,180.0,126.0]]}");
  g_free (text);
  text = note_of (&fixture->a, DOCKET_NOTE_TARGET_AGENDA_ITEM, fixture->item_id);
  g_assert_cmpstr (text, ==, "Riêng tư");
}

/* Signing out sends what waits before it forgets it with the cache. */
static void
test_sign_out_sends_first (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(DocketAnnotationRecord) record = new_ink (fixture->document_id);
  g_autoptr(DocketAnnotationRecord) on_b = NULL;
  g_autoptr(GError) error = NULL;

  save (&fixture->a, record);
  error = docket_test_sync_sign_out (fixture->a.sync, DOCKET_SIGN_OUT_KEEP_UNSENT);
  g_assert_no_error (error);
  g_assert_false (docket_sync_get_signed_in (fixture->a.sync));
  g_assert_null (get_annotation (&fixture->a, record->id, NULL));
  g_assert_cmpuint (outbox_length (&fixture->a), ==, 0);

  sync_ok (&fixture->b);
  on_b = get_annotation (&fixture->b, record->id, NULL);
  g_assert_nonnull (on_b);
  g_assert_cmpint (on_b->revision, >, 0);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 4 && g_str_equal (argv[1], "--save-and-die"))
    return save_and_die (argv[2], argv[3]);
  self_path = g_canonicalize_filename (argv[0], NULL);

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/annotations/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("saved-survives-kill", test_saved_survives_kill);
  ADD ("second-computer-only", test_second_computer_only);
  ADD ("idempotent", test_idempotent);
  ADD ("folding", test_folding);
  ADD ("conflict-last-writer-wins", test_conflict_last_writer_wins);
  ADD ("feed-keeps-waiting-changes", test_feed_keeps_waiting_changes);
  ADD ("delete-reaches-other-computer", test_delete_reaches_other_computer);
  ADD ("refused-does-not-block", test_refused_does_not_block);
  ADD ("notes-round-trip", test_notes_round_trip);
  ADD ("store-checks-and-sign-out", test_store_checks_and_sign_out);
  ADD ("sign-out-sends-first", test_sign_out_sends_first);
  ADD ("access-lost-and-back", test_access_lost_and_back);

#undef ADD

  return g_test_run ();
}
