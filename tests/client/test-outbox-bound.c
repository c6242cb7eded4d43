/* test-outbox-bound.c: a push sends what waited when it began, not what came after
 *
 * Against the real docket-server with the demo organisation and a real profile. An
 * official who keeps annotating while a push is under way must not keep that push going
 * forever: the operations saved after it began wait for the next push (which the store's
 * "outbox-changed" schedules in automatic mode; here, the next run).
 */
#include "config.h"

#include "docket-store.h"
#include "docket-sync.h"
#include "docket-test-client.h"

#define N_BEFORE 3

typedef struct {
  DocketTestClient  client;
  char             *document_id;
  char             *late_id;        /* the annotation saved while the push is under way */
  guint             changes_seen;   /* the store's "changed" during the run */
  guint             waiting_then;   /* the outbox's length when late_id was saved */
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  docket_test_client_set_up (&fixture->client, "client-outbox-bound");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_free (fixture->document_id);
  g_free (fixture->late_id);
  docket_test_client_tear_down (&fixture->client);
}

static guint
outbox_length (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  guint n = 0;

  g_assert_true (docket_store_count_outbox (fixture->client.store, &n, NULL, &error));
  g_assert_no_error (error);
  return n;
}

/* A highlight on the first page of the fixture's document, saved (and queued) now. */
static char *
save_highlight (Fixture    *fixture,
                const char *contents)
{
  g_autoptr(DocketAnnotationRecord) record = docket_annotation_record_new ();
  g_autoptr(GError) error = NULL;

  record->id = g_uuid_string_random ();
  record->document_id = g_strdup (fixture->document_id);
  record->page = 0;
  record->kind = DOCKET_ANNOTATION_HIGHLIGHT;
  record->color = g_strdup ("#ffd700");
  record->geometry = g_strdup ("{\"rects\": [[72, 100, 300.5, 112]]}");
  record->contents = g_strdup (contents);
  g_assert_true (docket_store_save_annotation (fixture->client.store, record, &error));
  g_assert_no_error (error);

  return g_strdup (record->id);
}

static guint
puts_of (Fixture    *fixture,
         const char *annotation_id,
         guint       at_least)
{
  g_autofree char *path = g_strconcat ("/api/v1/annotations/", annotation_id, NULL);

  return docket_test_server_wait_for_requests (fixture->client.server, "PUT", path, at_least);
}

/* The first commit of the run is the push's first operation done: the push is under
 * way, with operations still to send. The official annotates once more, now. */
static void
store_changed_cb (DocketStore *store,
                  Fixture     *fixture)
{
  if (fixture->changes_seen++ > 0)
    return;

  g_assert_cmpint (docket_sync_get_state (fixture->client.sync), ==, DOCKET_SYNC_STATE_SYNCING);
  fixture->waiting_then = outbox_length (fixture);
  fixture->late_id = save_highlight (fixture, "Thêm sau");
}

static void
test_late_operations_wait (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GPtrArray) documents = NULL;
  g_autoptr(GPtrArray) waiting = NULL;
  g_autoptr(GError) error = NULL;
  char *before[N_BEFORE];
  gulong handler;

  docket_test_client_sign_in_as (&fixture->client, "daibieu1");
  error = docket_test_sync_run (fixture->client.sync);
  g_assert_no_error (error);

  documents = docket_test_list_unshared_documents (fixture->client.store);
  g_assert_cmpuint (documents->len, >, 0);
  fixture->document_id = g_strdup (((DocketStoreDocumentRow *) g_ptr_array_index (documents, 0))->document->id);

  for (guint i = 0; i < N_BEFORE; i++)
    before[i] = save_highlight (fixture, "Trước khi gửi");
  g_assert_cmpuint (outbox_length (fixture), ==, N_BEFORE);

  /* The saves' own "changed" go before the run starts: only the run's count below. */
  while (g_main_context_iteration (NULL, FALSE))
    ;

  handler = g_signal_connect (fixture->client.store, "changed", G_CALLBACK (store_changed_cb), fixture);
  error = docket_test_sync_run (fixture->client.sync);
  g_signal_handler_disconnect (fixture->client.store, handler);
  g_assert_no_error (error);

  /* Saved while the push was under way, with operations of it still waiting ... */
  g_assert_nonnull (fixture->late_id);
  g_assert_cmpuint (fixture->waiting_then, >=, 1);
  g_assert_cmpuint (fixture->waiting_then, <=, N_BEFORE);

  /* ... every operation that waited when it began went, the late one did not. */
  for (guint i = 0; i < N_BEFORE; i++)
    g_assert_cmpuint (puts_of (fixture, before[i], 1), ==, 1);
  g_assert_cmpuint (outbox_length (fixture), ==, 1);
  waiting = docket_store_list_outbox (fixture->client.store, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (waiting->len, ==, 1);
  g_assert_cmpstr (((DocketOutboxOp *) g_ptr_array_index (waiting, 0))->entity_id, ==, fixture->late_id);
  g_assert_cmpuint (puts_of (fixture, fixture->late_id, 0), ==, 0);

  /* The next push sends it. */
  error = docket_test_sync_run (fixture->client.sync);
  g_assert_no_error (error);
  g_assert_cmpuint (outbox_length (fixture), ==, 0);
  g_assert_cmpuint (puts_of (fixture, fixture->late_id, 1), ==, 1);
  for (guint i = 0; i < N_BEFORE; i++)
    {
      g_assert_cmpuint (puts_of (fixture, before[i], 1), ==, 1);
      g_free (before[i]);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/outbox-bound/late-operations-wait", Fixture, NULL,
              fixture_set_up, test_late_operations_wait, fixture_tear_down);

  return g_test_run ();
}
