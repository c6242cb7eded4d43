/* test-annotations-hostile.c: the official's annotations against servers that answer
 * badly
 *
 * The real docket-server cannot answer badly on purpose: these cases play a small
 * SoupServer of their own (tests/lib's docket-test-fake-server.h) that answers the
 * outbox's puts with canned broken answers, or fails for ever on one annotation, and
 * check that the profile keeps what the official drew and that one failing operation
 * does not hold back the others. The cases with the real server are in
 * test-annotations.c.
 */
#include "config.h"

#include <string.h>

#include <libsoup/soup.h>
#include <sqlite3.h>

#include "docket-store.h"
#include "docket-sync.h"
#include "docket-test-client.h"
#include "docket-test-fake-server.h"
#include "test-annotations-common.h"

/* ---- a hostile server ------------------------------------------------------------------ */

typedef struct {
  guint       status;
  const char *body;
} Canned;

typedef struct {
  Canned canned;
  guint  n_puts;
  guint  n_pulls;
} Hostile;

static void
hostile_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  Hostile *hostile = user_data;

  if (g_str_equal (path, "/api/v1/session"))
    {
      docket_test_fake_reply_session (msg);
      return;
    }
  if (g_str_has_prefix (path, "/api/v1/annotations/") || g_str_has_prefix (path, "/api/v1/notes/"))
    {
      hostile->n_puts++;
      docket_test_fake_reply_json (msg, hostile->canned.status, hostile->canned.body);
      return;
    }
  if (g_str_equal (path, "/api/v1/changes"))
    {
      hostile->n_pulls++;
      docket_test_fake_reply_json (msg, 200, DOCKET_TEST_FAKE_EMPTY_PAGE);
      return;
    }
  soup_server_message_set_status (msg, 404, NULL);
}

/* What the official has: annotations, notes, and the operations waiting (their
 * failure counts aside). */
static char *
dump_own_data (const char *profile_dir)
{
  static const char * const queries[] = {
    "SELECT * FROM annotations ORDER BY id",
    "SELECT * FROM notes ORDER BY target_kind, target_id",
    "SELECT seq, op_id, kind, entity_id, body FROM outbox ORDER BY seq",
    "SELECT * FROM outbox_refused ORDER BY op_id",
  };
  g_autofree char *db_path = g_build_filename (profile_dir, "docket.db", NULL);
  GString *out = g_string_new (NULL);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      g_string_append_printf (out, "[%u]\n", q);
      docket_test_append_rows (db, queries[q], out);
    }
  sqlite3_close (db);
  return g_string_free (out, FALSE);
}

static void
test_hostile_answers (void)
{
  Hostile hostile = { { 200, "" }, 0, 0 };
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketAnnotationRecord) record = new_highlight ("d1", 0, "#ff0000");
  g_autofree char *url = NULL;
  g_autofree char *tmpdir = docket_test_make_tmpdir ("client-annotations-hostile");
  g_autofree char *before = NULL;
  g_autofree char *long_id = g_strnfill (200, 'x');
  g_autofree char *other_id = NULL;
  Profile profile = { 0 };
  const Canned answers[] = {
    { 200, "" },
    { 200, "not json" },
    { 200, "[]" },
    { 200, "{}" },
    { 200, "{\"annotation\": null}" },
    { 200, "{\"annotation\": {\"id\": \"x\"}}" },
    /* The answer is about another annotation. */
    { 200, "{\"annotation\": {\"id\": \"another\", \"document_id\": \"d1\", \"page\": 0, \"kind\": \"highlight\","
           " \"color\": \"#ff0000\", \"geometry\": {\"rects\": [[1, 2, 3, 4]]}, \"contents\": \"\","
           " \"created_at\": 1, \"updated_at\": 2, \"revision\": 9}}" },
    /* A revision the server cannot have given, a geometry out of the page. */
    { 200, "{\"annotation\": {\"id\": \"@ID@\", \"document_id\": \"d1\", \"page\": 0, \"kind\": \"highlight\","
           " \"color\": \"#ff0000\", \"geometry\": {\"rects\": [[1, 2, 3, 4]]}, \"contents\": \"\","
           " \"created_at\": 1, \"updated_at\": 2, \"revision\": 0}}" },
    { 200, "{\"annotation\": {\"id\": \"@ID@\", \"document_id\": \"d1\", \"page\": 0, \"kind\": \"highlight\","
           " \"color\": \"#ff0000\", \"geometry\": {\"rects\": [[1, 2, 3, 1e300]]}, \"contents\": \"\","
           " \"created_at\": 1, \"updated_at\": 2, \"revision\": 5}}" },
    { 200, "{\"annotation\": {\"id\": \"@ID@\", \"document_id\": \"d1\", \"page\": 0, \"kind\": \"highlight\","
           " \"color\": \"#ff0000\", \"geometry\": {\"rects\": [[1, 2, 3, 4]]}, \"contents\": \"\","
           " \"created_at\": 1, \"updated_at\": 2, \"revision\": 18446744073709551617}}" },
    { 202, "{}" },
    { 302, "" },
    { 500, "{\"error\": \"internal\", \"message\": \"x\"}" },
    { 503, "" },
    { 429, "" },
    { 408, "" },
  };

  server = docket_test_fake_server_new (hostile_cb, &hostile, &url);

  profile_sign_in (&profile, NULL, url, tmpdir, "p", OFFICIAL);
  save (&profile, record);
  other_id = g_strdup (record->id);
  before = dump_own_data (profile.path);

  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      g_autoptr(GError) run_error = NULL;
      g_autofree char *after = NULL;
      g_auto(GStrv) parts = g_strsplit (answers[i].body, "@ID@", -1);
      g_autofree char *body = g_strjoinv (record->id, parts);
      guint puts = hostile.n_puts;
      guint pulls = hostile.n_pulls;
      gboolean may_pass = answers[i].status >= 500 || answers[i].status == 429 || answers[i].status == 408;
      /* Failed on every answer before this one: from the third time in a row, a 5xx
       * holds the operation (docket-outbox.c), and the run goes on to the feed. */
      gboolean held = answers[i].status >= 500 && i + 1 >= 3;

      g_test_message ("hostile answer %u: %u %s", i, answers[i].status, answers[i].body);
      hostile.canned.status = answers[i].status;
      hostile.canned.body = body;
      run_error = docket_test_sync_run (profile.sync);
      g_assert_nonnull (run_error);
      g_assert_cmpuint (hostile.n_puts, ==, puts + 1);
      /* A failure that may pass ends the run, to be retried (unless it held the
       * operation); a broken answer does not keep the official from the feed (the run
       * still reports it). */
      g_assert_cmpuint (hostile.n_pulls, ==, may_pass && !held ? pulls : pulls + 1);
      after = dump_own_data (profile.path);
      g_assert_cmpstr (after, ==, before);
    }

  /* The operation is still first, with its failures counted. */
  {
    g_autoptr(GPtrArray) ops = docket_store_list_outbox (profile.store, 10, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (ops->len, ==, 1);
    g_assert_cmpuint (((DocketOutboxOp *) g_ptr_array_index (ops, 0))->attempts, >=, 10);
  }

  profile_clear (&profile);
  soup_server_disconnect (server);
  docket_test_rmtree (tmpdir);
}

/* ---- an operation the server keeps failing on ------------------------------------------ */

/* A server with a bug on one annotation: every put of poison_id gets a 500, the others
 * are saved (their record sent back with a revision), and the change feed is empty.
 * (A fake: the real docket-server has no such bug to show.) With down set, it answers
 * every put with a 503, as a server in trouble does. */
typedef struct {
  const char *poison_id;
  gboolean    down;
  guint       n_puts;
  guint       n_pulls;
  gint64      revision;
} Poisoned;

static void
poisoned_cb (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  Poisoned *poisoned = user_data;

  if (g_str_has_prefix (path, "/api/v1/annotations/") || g_str_has_prefix (path, "/api/v1/notes/"))
    {
      SoupMessageBody *request = soup_server_message_get_request_body (msg);
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(JsonNode) answer = NULL;
      g_autofree char *text = NULL;
      JsonObject *object;
      const char *member = g_str_has_prefix (path, "/api/v1/notes/") ? "note" : "annotation";

      poisoned->n_puts++;
      if (poisoned->down || g_str_has_suffix (path, poisoned->poison_id))
        {
          docket_test_fake_reply_json (msg, poisoned->down ? 503 : 500,
                                       "{\"error\": \"internal\", \"message\": \"bug\"}");
          return;
        }
      g_assert_true (json_parser_load_from_data (parser, request->data, request->length, NULL));
      object = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), member);
      json_object_set_int_member (object, "revision", ++poisoned->revision);
      answer = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (answer, json_object_new ());
      json_object_set_object_member (json_node_get_object (answer), member, json_object_ref (object));
      text = json_to_string (answer, FALSE);
      docket_test_fake_reply_json (msg, 200, text);
      return;
    }
  if (g_str_equal (path, "/api/v1/changes"))
    {
      poisoned->n_pulls++;
      docket_test_fake_reply_json (msg, 200, DOCKET_TEST_FAKE_EMPTY_PAGE);
      return;
    }
  if (g_str_equal (path, "/api/v1/session"))
    {
      docket_test_fake_reply_session (msg);
      return;
    }
  soup_server_message_set_status (msg, 404, NULL);
}

/* One annotation the server fails on does not hold back the others, nor the pull, for
 * ever: it is held from its third failure in a row, the others go, and it is tried again
 * at every run. A server that is down gets no more than a request or two per run. */
static void
test_operation_the_server_fails_on (void)
{
  Poisoned poisoned = { NULL, FALSE, 0, 0, 0 };
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(DocketAnnotationRecord) poison = new_highlight ("d1", 0, "#ff0000");
  g_autoptr(DocketAnnotationRecord) first = new_highlight ("d1", 1, "#00ff00");
  g_autoptr(DocketAnnotationRecord) second = new_highlight ("d1", 2, "#0000ff");
  g_autoptr(DocketAnnotationRecord) later = new_highlight ("d1", 3, "#ffff00");
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *tmpdir = docket_test_make_tmpdir ("client-annotations-poisoned");
  Profile profile = { 0 };

  poisoned.poison_id = poison->id;
  server = docket_test_fake_server_new (poisoned_cb, &poisoned, &url);
  profile_sign_in (&profile, NULL, url, tmpdir, "p", OFFICIAL);
  save (&profile, poison);
  save (&profile, first);
  save (&profile, second);
  g_assert_true (docket_store_save_note (profile.store, DOCKET_NOTE_TARGET_DOCUMENT, "d1", "Ghi chú", &error));
  g_assert_no_error (error);

  /* Twice: it might be the server's passing trouble. The run stops there, nothing else
   * is sent, the feed is not asked. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GError) run_error = docket_test_sync_run (profile.sync);

      g_assert_error (run_error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_SERVER);
      g_assert_cmpuint (poisoned.n_puts, ==, i + 1);
      g_assert_cmpuint (poisoned.n_pulls, ==, 0);
      g_assert_cmpuint (outbox_length (&profile), ==, 4);
    }

  /* The third time: held. The two annotations and the note behind it are sent, in
   * order, the feed is pulled, and the run says what failed. */
  {
    g_autoptr(GError) run_error = docket_test_sync_run (profile.sync);
    g_autoptr(GPtrArray) ops = NULL;
    g_autoptr(DocketAnnotationRecord) sent = NULL;

    g_assert_error (run_error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_SERVER);
    g_assert_cmpuint (poisoned.n_puts, ==, 3 + 3);
    g_assert_cmpuint (poisoned.n_pulls, ==, 1);
    ops = docket_store_list_outbox (profile.store, 10, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (ops->len, ==, 1);
    g_assert_cmpstr (((DocketOutboxOp *) g_ptr_array_index (ops, 0))->entity_id, ==, poison->id);
    g_assert_cmpuint (((DocketOutboxOp *) g_ptr_array_index (ops, 0))->attempts, ==, 3);
    sent = get_annotation (&profile, first->id, NULL);
    g_assert_cmpint (sent->revision, ==, 1);
    g_clear_pointer (&sent, docket_annotation_record_free);
    sent = get_annotation (&profile, second->id, NULL);
    g_assert_cmpint (sent->revision, ==, 2);
    /* ...and the one that failed is still the official's, as drawn. */
    g_clear_pointer (&sent, docket_annotation_record_free);
    sent = get_annotation (&profile, poison->id, NULL);
    g_assert_nonnull (sent);
    g_assert_cmpint (sent->revision, ==, 0);
  }

  /* Drawn later: it goes too, the failing one tried first each time. */
  save (&profile, later);
  {
    g_autoptr(GError) run_error = docket_test_sync_run (profile.sync);

    g_assert_error (run_error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_SERVER);
    g_assert_cmpuint (poisoned.n_puts, ==, 6 + 2);
    g_assert_cmpuint (poisoned.n_pulls, ==, 2);
    g_assert_cmpuint (outbox_length (&profile), ==, 1);
  }

  /* The server down: the held one, then the next, which has not failed before, and the
   * run stops: two requests, no pull. */
  g_free (later->color);
  later->color = g_strdup ("#ff00ff");
  save (&profile, later);
  poisoned.down = TRUE;
  {
    g_autoptr(GError) run_error = docket_test_sync_run (profile.sync);

    g_assert_error (run_error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_SERVER);
    g_assert_cmpuint (poisoned.n_puts, ==, 8 + 2);
    g_assert_cmpuint (poisoned.n_pulls, ==, 2);
    g_assert_cmpuint (outbox_length (&profile), ==, 2);
  }

  /* Fixed: everything goes. */
  poisoned.down = FALSE;
  poisoned.poison_id = "nothing-any-more";
  {
    g_autoptr(GError) run_error = docket_test_sync_run (profile.sync);

    g_assert_no_error (run_error);
    g_assert_cmpuint (outbox_length (&profile), ==, 0);
  }

  profile_clear (&profile);
  soup_server_disconnect (server);
  docket_test_rmtree (tmpdir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/annotations/hostile-answers", test_hostile_answers);
  g_test_add_func ("/annotations/operation-the-server-fails-on", test_operation_the_server_fails_on);

  return g_test_run ();
}
