/* test-crash.c: the client killed with SIGKILL in the middle of its work
 *
 * Issue 9, "Harden the base": the client is killed at 50 random moments during a sync of
 * real PDFs while annotations are being saved; after each, PRAGMA integrity_check is ok,
 * no saved annotation is lost, and the next sync completes and verifies every file.
 *
 * The work is done by docket-crash-child (a process of its own, so that it can be
 * killed): one sync run of the profile while it keeps saving annotations, printing
 * "saved ID" after each save the store acknowledged. The delays are drawn with
 * g_test_rand_int_range (), so a failing seed (printed by GTest) replays the same kills as
 * far as the machine's timing allows.
 *
 * Documents: the demo organisation's Vietnamese PDFs, and larger ones uploaded by the
 * secretary (real manuals of the corpus when DOCKET_REAL_PDFS names it, otherwise PDFs
 * that poppler opens, docket_test_make_pdf, padded with random bytes), so that a run
 * spends most of its time downloading and most kills land in a download. Before every
 * round the contents are forgotten (as after a reboot that damaged them), so that every
 * run downloads again; the partial files of the killed run are resumed. After each whole
 * sync the cache is cleared instead, so that the next run applies the whole feed again.
 *
 * What makes this test fail: an acknowledgement given before the annotation and its
 * operation are committed (tried by breaking the store on purpose: a save written
 * behind fails it at once, "acknowledged and is not in the store"); a download resumed
 * wrongly from what a killed run left, or state a run cannot start again from (most kills
 * land in a download; the whole sync must complete and every file match its SHA-256).
 * Only when a kill lands in its window, microseconds wide, which 50 kills may miss: a page
 * of the feed applied in pieces, an annotation and its operation in two transactions
 * (assert_none_stranded; a trial with two commits went unnoticed: test-store is where such
 * a rule is pinned down deterministically).
 * What it cannot see: a missing fsync. SIGKILL ends the process, not the machine, and
 * what a process wrote is in the kernel's page cache whatever it flushed; the boot-id
 * check of docs/architecture.md ("Durability") covers that, and
 * tests/client/test-downloads.c plays it.
 */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "docket-store.h"
#include "docket-sync.h"
#include "docket-test-client.h"

#define OFFICIAL "daibieu1"

/* Kills, and a whole sync with checks every CHECK_EVERY of them. */
#define N_ROUNDS     50
#define CHECK_EVERY  10
/* The larger documents: enough for a run to last a few tenths of a second on loopback. */
#define N_LARGE      6
#define LARGE_BYTES  (3 * 1024 * 1024)
/* The earliest kill: the child has not even opened its profile yet. */
#define MIN_DELAY_US 2000
/* The latest: where a whole run takes longer (the sanitizer build on a loaded machine),
 * kills land in its first seconds, and the test keeps to its time. */
#define MAX_DELAY_US (4 * G_USEC_PER_SEC)

typedef struct {
  DocketTestClient  client;
  char             *child_path;
  char             *official_token;
  GStrv             document_ids;      /* every document the official sees */
  GHashTable       *acknowledged;      /* annotation id -> its last acknowledged "lần N" */
  guint             n_sync_failures;   /* runs the child reported as failed */
} Fixture;

/* This test's executable, next to which meson builds the child. */
static char *self_dir;

/* ---- the child ------------------------------------------------------------------------ */

/* The edit number in an annotation's contents ("Ý kiến, lần N"), as the child writes it. */
static guint
edit_number (const char *contents)
{
  const char *n = strrchr (contents, ' ');

  g_assert_nonnull (n);
  return (guint) g_ascii_strtoull (n + 1, NULL, 10);
}

static GSubprocess *
spawn_child (Fixture  *fixture,
             gboolean  exit_after_sync)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GSubprocess *child;

  g_ptr_array_add (argv, fixture->child_path);
  if (exit_after_sync)
    g_ptr_array_add (argv, (gpointer) "--exit-after-sync");
  g_ptr_array_add (argv, fixture->client.profile);
  for (guint i = 0; fixture->document_ids[i] != NULL; i++)
    g_ptr_array_add (argv, fixture->document_ids[i]);
  g_ptr_array_add (argv, NULL);

  child = g_subprocess_newv ((const char * const *) argv->pdata,
                             G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  return child;
}

/* Reads what the child printed until it is gone: every "saved ID" goes into
 * fixture->acknowledged with the edit number the child gave it. Returns whether it
 * reported a finished run. */
static gboolean
collect_child (Fixture     *fixture,
               GSubprocess *child,
               gboolean     killed)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GHashTable) edits = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean synced = FALSE;

  g_assert_true (g_subprocess_communicate_utf8 (child, NULL, NULL, &out, &err, &error));
  g_assert_no_error (error);
  if (killed)
    {
      if (!g_subprocess_get_if_signaled (child) || g_subprocess_get_term_sig (child) != SIGKILL)
        g_error ("the child ended before it was killed; it said:\n%s", err);
    }
  else if (!g_subprocess_get_if_exited (child) || g_subprocess_get_exit_status (child) != 0)
    g_error ("the child failed; it said:\n%s", err);

  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];

      if (g_str_has_prefix (line, "saved "))
        {
          const char *id = line + strlen ("saved ");
          /* Each "saved" line of an id is one more edit by this child ("lần 1", 2...);
           * ids are new in every child, so counting them gives the edit number. */
          guint n = GPOINTER_TO_UINT (g_hash_table_lookup (edits, id)) + 1;

          g_assert_true (g_uuid_string_is_valid (id));
          g_hash_table_insert (edits, (gpointer) id, GUINT_TO_POINTER (n));
          g_hash_table_insert (fixture->acknowledged, g_strdup (id), GUINT_TO_POINTER (n));
        }
      else if (g_str_equal (line, "synced"))
        synced = TRUE;
      else if (g_str_has_prefix (line, "sync-failed "))
        {
          /* A killed run leaves nothing the next one cannot cope with: no run fails. */
          g_test_message ("the child's run failed: %s", line + strlen ("sync-failed "));
          fixture->n_sync_failures++;
        }
      else if (line[0] != '\0')
        g_error ("the child printed an unexpected line: %s", line);
    }

  return synced;
}

/* ---- the profile after a kill ------------------------------------------------------- */

static void
assert_database_intact (Fixture *fixture)
{
  g_autofree char *path = g_build_filename (fixture->client.profile, "docket.db", NULL);
  g_autoptr(GString) integrity = g_string_new (NULL);
  g_autoptr(GString) foreign_keys = g_string_new (NULL);
  sqlite3 *db = NULL;

  /* Opened by itself, as the next start of the app opens it: the WAL the killed process
   * left is recovered here. */
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  docket_test_append_rows (db, "PRAGMA integrity_check", integrity);
  docket_test_append_rows (db, "PRAGMA foreign_key_check", foreign_keys);
  sqlite3_close (db);

  g_assert_cmpstr (integrity->str, ==, "ok|\n");
  g_assert_cmpstr (foreign_keys->str, ==, "");
}

/* The annotation ids with an operation waiting in the outbox. */
static GHashTable *
waiting_ids (DocketStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ops = docket_store_list_outbox (store, G_MAXUINT, &error);
  GHashTable *ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < ops->len; i++)
    {
      DocketOutboxOp *op = g_ptr_array_index (ops, i);

      if (op->kind == DOCKET_OUTBOX_PUT_ANNOTATION)
        g_hash_table_add (ids, g_strdup (op->entity_id));
    }
  return ids;
}

/* Every annotation a child acknowledged is in the store, at its last acknowledged edit
 * or a later one (a save under way when the child died may have committed), and is either
 * waiting in the outbox or has come back from the server. */
static void
assert_acknowledged_kept (Fixture     *fixture,
                          DocketStore *store)
{
  g_autoptr(GHashTable) waiting = waiting_ids (store);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, fixture->acknowledged);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(DocketAnnotationRecord) record = NULL;
      gboolean deleted = TRUE;

      record = docket_store_get_annotation (store, key, &deleted, &error);
      g_assert_no_error (error);
      if (record == NULL)
        g_error ("annotation %s was acknowledged and is not in the store", (const char *) key);
      g_assert_false (deleted);
      g_assert_cmpuint (edit_number (record->contents), >=, GPOINTER_TO_UINT (value));
      if (!g_hash_table_contains (waiting, key) && record->revision <= 0)
        g_error ("annotation %s is neither waiting in the outbox nor sent", (const char *) key);
    }
}

/* No annotation of the profile is stranded, acknowledged or not (a save under way when
 * the process died is all there or not at all): each is waiting in the outbox or has
 * come back from the server. An annotation written without its operation would stay on
 * this computer forever. */
static void
assert_none_stranded (Fixture     *fixture,
                      DocketStore *store)
{
  g_autoptr(GHashTable) waiting = waiting_ids (store);

  for (guint i = 0; fixture->document_ids[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) annotations = docket_store_list_annotations (store, fixture->document_ids[i], &error);

      g_assert_no_error (error);
      for (guint j = 0; j < annotations->len; j++)
        {
          DocketAnnotationRecord *record = g_ptr_array_index (annotations, j);

          if (!g_hash_table_contains (waiting, record->id) && record->revision <= 0)
            g_error ("annotation %s is in the store, neither waiting in the outbox nor sent", record->id);
        }
    }
}

/* Forgets every complete content (its row and its file), as the re-hash after a reboot
 * does with damaged ones, so that the next run downloads them all again. */
static void
forget_contents (DocketStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) meetings = docket_store_list_meetings (store, &error);
  g_autoptr(GHashTable) forgotten = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < meetings->len; i++)
    {
      DocketStoreMeetingRow *meeting = g_ptr_array_index (meetings, i);
      g_autoptr(GPtrArray) documents = docket_store_list_documents (store, meeting->meeting->id, &error);

      g_assert_no_error (error);
      for (guint j = 0; j < documents->len; j++)
        {
          DocketStoreDocumentRow *row = g_ptr_array_index (documents, j);
          const char *sha = row->document->sha256;

          if (row->path == NULL || g_hash_table_contains (forgotten, sha))
            continue;
          g_assert_true (docket_store_forget_blob (store, sha, &error));
          g_assert_no_error (error);
          g_hash_table_add (forgotten, g_strdup (sha));
        }
    }
}

/* ---- a whole sync, and what the server has -------------------------------------------- */

/* The documents folder holds the contents in_use and nothing else: no partial file of
 * a killed download, no content nobody refers to. */
static void
assert_nothing_left_behind (DocketStore *store,
                            GHashTable  *in_use)
{
  g_autofree char *root = g_build_filename (docket_store_get_profile_dir (store), "documents", NULL);
  g_autoptr(GDir) dir = g_dir_open (root, 0, NULL);
  const char *name;
  guint n_files = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autoptr(GDir) sub = NULL;
      const char *file;

      /* Contents are in documents/ab/, downloads in documents/partial/. */
      if (!g_str_equal (name, "partial") &&
          !(strlen (name) == 2 && g_ascii_isxdigit (name[0]) && g_ascii_isxdigit (name[1])))
        continue;
      path = g_build_filename (root, name, NULL);
      sub = g_dir_open (path, 0, NULL);
      g_assert_nonnull (sub);
      while ((file = g_dir_read_name (sub)) != NULL)
        {
          g_autofree char *sha = g_strndup (file, strcspn (file, "."));

          if (g_str_equal (name, "partial") || !g_hash_table_contains (in_use, sha) ||
              !g_str_has_suffix (file, ".pdf"))
            g_error ("%s/%s is left behind after a whole sync", name, file);
          n_files++;
        }
    }
  g_assert_cmpuint (n_files, ==, g_hash_table_size (in_use));
}

/* Every document of the profile has its content, and the file is exactly its bytes. */
static void
assert_every_file_verified (DocketStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) meetings = docket_store_list_meetings (store, &error);
  g_autoptr(GHashTable) in_use = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint n_documents = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < meetings->len; i++)
    {
      DocketStoreMeetingRow *meeting = g_ptr_array_index (meetings, i);
      g_autoptr(GPtrArray) documents = docket_store_list_documents (store, meeting->meeting->id, &error);

      g_assert_no_error (error);
      for (guint j = 0; j < documents->len; j++)
        {
          DocketStoreDocumentRow *row = g_ptr_array_index (documents, j);
          g_autofree char *sha = NULL;

          if (row->path == NULL)
            g_error ("document %s has no content after a whole sync", row->document->id);
          sha = docket_test_file_sha256 (row->path);
          g_assert_cmpstr (sha, ==, row->document->sha256);
          g_hash_table_add (in_use, g_steal_pointer (&sha));
          n_documents++;
        }
    }
  /* The demo's documents, and the larger ones. */
  g_assert_cmpuint (n_documents, >, N_LARGE);
  assert_nothing_left_behind (store, in_use);
}

/* The official's annotations as the server has them: id -> contents, from the whole
 * change feed. */
static GHashTable *
server_annotations (Fixture *fixture)
{
  GHashTable *annotations = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *cursor = NULL;
  gboolean more = TRUE;

  while (more)
    {
      g_autofree char *url = NULL;
      g_autoptr(GBytes) body = NULL;
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      JsonObject *page;
      JsonArray *changes;

      url = g_strdup_printf ("%s/api/v1/changes?limit=1000%s%s",
                             docket_test_server_get_url (fixture->client.server),
                             cursor != NULL ? "&since=" : "", cursor != NULL ? cursor : "");
      g_assert_cmpuint (docket_test_http ("GET", url, fixture->official_token, NULL, NULL, &body), ==, 200);
      json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), -1, &error);
      g_assert_no_error (error);
      page = json_node_get_object (json_parser_get_root (parser));
      changes = json_object_get_array_member (page, "changes");
      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          JsonObject *change = json_array_get_object_element (changes, i);
          const char *id = json_object_get_string_member (change, "id");

          if (!g_str_equal (json_object_get_string_member (change, "type"), "annotation"))
            continue;
          if (json_object_get_boolean_member (change, "deleted"))
            g_hash_table_remove (annotations, id);
          else
            g_hash_table_insert (annotations, g_strdup (id),
                                 g_strdup (json_object_get_string_member (json_object_get_object_member (change, "data"),
                                                                          "contents")));
        }
      g_free (cursor);
      cursor = g_strdup (json_object_get_string_member (page, "cursor"));
      more = json_object_get_boolean_member (page, "more");
    }

  return annotations;
}

/* A normal run on the profile as the killed process left it: it completes, sends every
 * operation, verifies every file; the server then has every acknowledged annotation as
 * the profile has it. */
static void
assert_whole_sync (Fixture     *fixture,
                   DocketStore *store,
                   DocketSync  *sync)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(GPtrArray) refused = NULL;
  g_autoptr(GHashTable) on_server = NULL;
  GHashTableIter iter;
  gpointer key;

  error = docket_test_sync_run (sync);
  g_assert_no_error (error);

  outbox = docket_store_list_outbox (store, G_MAXUINT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outbox->len, ==, 0);
  refused = docket_store_list_outbox_refused (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (refused->len, ==, 0);

  assert_every_file_verified (store);

  on_server = server_annotations (fixture);
  g_hash_table_iter_init (&iter, fixture->acknowledged);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_autoptr(DocketAnnotationRecord) record = docket_store_get_annotation (store, key, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (record);
      g_assert_cmpint (record->revision, >, 0);
      if (!g_hash_table_contains (on_server, key))
        g_error ("annotation %s was acknowledged and never reached the server", (const char *) key);
      g_assert_cmpstr (g_hash_table_lookup (on_server, key), ==, record->contents);
    }
}

/* ---- the fixture ---------------------------------------------------------------------- */

/* Real manuals of the corpus (../shared/corpus/fetch-real-pdfs), when it was fetched and
 * DOCKET_REAL_PDFS names its folder: tests never download. */
static const char * const real_pdf_names[] = {
  "gnuplot.pdf", "cplusplus.pdf", "octave.pdf", "lilypond-essay.pdf", "form-english.pdf",
};

static GPtrArray *
load_real_pdfs (void)
{
  const char *folder = g_getenv ("DOCKET_REAL_PDFS");
  GPtrArray *pdfs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  for (guint i = 0; folder != NULL && i < G_N_ELEMENTS (real_pdf_names); i++)
    {
      g_autofree char *path = g_build_filename (folder, real_pdf_names[i], NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (g_file_get_contents (path, &contents, &length, NULL))
        g_ptr_array_add (pdfs, g_bytes_new_take (g_steal_pointer (&contents), length));
    }
  return pdfs;
}

/* The secretary adds the larger documents to the official's first agenda item: real
 * manuals when there are, generated PDFs of LARGE_BYTES to make up N_LARGE. */
static void
upload_large_documents (Fixture *fixture)
{
  g_autofree char *meeting_id = NULL;
  g_autofree char *item_id = docket_test_client_find_item_of (&fixture->client, OFFICIAL, &meeting_id);
  g_autofree char *url = NULL;
  g_autoptr(GPtrArray) pdfs = load_real_pdfs ();

  if (pdfs->len == 0)
    g_test_message ("no real PDFs (DOCKET_REAL_PDFS): the larger documents are generated");
  while (pdfs->len < N_LARGE)
    g_ptr_array_add (pdfs, docket_test_make_pdf (LARGE_BYTES));

  g_assert_nonnull (item_id);
  url = g_strdup_printf ("%s/api/v1/items/%s/documents?title=Large",
                         docket_test_server_get_url (fixture->client.server), item_id);
  for (guint i = 0; i < pdfs->len; i++)
    g_assert_cmpuint (docket_test_http ("POST", url, fixture->client.secretary_token, "application/pdf",
                                        g_ptr_array_index (pdfs, i), NULL), ==, 201);
}

static GStrv
list_document_ids (DocketStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) meetings = docket_store_list_meetings (store, &error);
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();

  g_assert_no_error (error);
  for (guint i = 0; i < meetings->len; i++)
    {
      DocketStoreMeetingRow *meeting = g_ptr_array_index (meetings, i);
      g_autoptr(GPtrArray) documents = docket_store_list_documents (store, meeting->meeting->id, &error);

      g_assert_no_error (error);
      for (guint j = 0; j < documents->len; j++)
        g_strv_builder_add (ids, ((DocketStoreDocumentRow *) g_ptr_array_index (documents, j))->document->id);
    }
  return g_strv_builder_end (ids);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  docket_test_client_set_up (&fixture->client, "client-crash");
  fixture->child_path = g_build_filename (self_dir, "docket-crash-child", NULL);
  fixture->official_token = docket_test_sign_in (fixture->client.server, OFFICIAL, NULL);
  fixture->acknowledged = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  upload_large_documents (fixture);

  /* Signed in once here: the child finds the token in the Secret Service. */
  docket_test_client_sign_in_as (&fixture->client, OFFICIAL);
  error = docket_test_sync_run (fixture->client.sync);
  g_assert_no_error (error);
  fixture->document_ids = list_document_ids (fixture->client.store);
  g_assert_cmpuint (g_strv_length (fixture->document_ids), >, N_LARGE);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  docket_test_client_tear_down (&fixture->client);
  g_free (fixture->child_path);
  g_free (fixture->official_token);
  g_strfreev (fixture->document_ids);
  g_hash_table_unref (fixture->acknowledged);
}

/* ---- the test ------------------------------------------------------------------------- */

/* After a child: the database as it left it, then, through the store, every acknowledged
 * annotation; with whole_sync, a normal run and what the server has, and the cache
 * cleared for the next child; otherwise the contents forgotten for it. The profile is
 * closed again when it returns. */
static void
check_profile (Fixture  *fixture,
               gboolean  whole_sync)
{
  assert_database_intact (fixture);

  docket_test_client_open_profile (&fixture->client);
  assert_acknowledged_kept (fixture, fixture->client.store);
  assert_none_stranded (fixture, fixture->client.store);
  if (whole_sync)
    {
      g_autoptr(GError) error = NULL;

      assert_whole_sync (fixture, fixture->client.store, fixture->client.sync);
      /* As after 400 invalid_cursor: the next run pulls the whole feed again (the
       * official's annotations with it) and applies it while it is killed. */
      g_assert_true (docket_store_clear_cache (fixture->client.store, &error));
      g_assert_no_error (error);
    }
  else
    forget_contents (fixture->client.store);
  docket_test_client_close_profile (&fixture->client);
}

/* Whether the killed process left a download under way (documents/partial/SHA.part). */
static gboolean
has_partial_files (Fixture *fixture)
{
  g_autofree char *path = g_build_filename (fixture->client.profile, "documents", "partial", NULL);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);

  return dir != NULL && g_dir_read_name (dir) != NULL;
}

/* How long a whole run of the child takes, contents to download and annotations being
 * saved: the kills are spread over that. */
static gint64
time_whole_run (Fixture *fixture)
{
  g_autoptr(GSubprocess) child = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed;

  child = spawn_child (fixture, TRUE);
  g_assert_true (collect_child (fixture, child, FALSE));
  elapsed = g_get_monotonic_time () - start;
  g_test_message ("a whole run of the child took %" G_GINT64_FORMAT " ms", elapsed / 1000);
  return elapsed;
}

static void
test_killed_during_sync (Fixture       *fixture,
                         gconstpointer  data)
{
  gint64 whole_run;
  guint n_killed_before_done = 0;
  guint n_killed_in_download = 0;

  /* The contents of the set-up's sync are forgotten: the child has them to download. */
  forget_contents (fixture->client.store);
  docket_test_client_close_profile (&fixture->client);

  whole_run = time_whole_run (fixture);
  check_profile (fixture, FALSE);

  for (guint round = 1; round <= N_ROUNDS; round++)
    {
      g_autoptr(GSubprocess) child = spawn_child (fixture, FALSE);
      gint32 delay = g_test_rand_int_range (MIN_DELAY_US, (gint32) CLAMP (whole_run, MIN_DELAY_US + 1, MAX_DELAY_US));

      /* The kill's moment is the one sleep of this test: what it waits for is chance. */
      g_usleep (delay);
      g_subprocess_send_signal (child, SIGKILL);
      if (!collect_child (fixture, child, TRUE))
        n_killed_before_done++;
      if (has_partial_files (fixture))
        n_killed_in_download++;

      check_profile (fixture, round % CHECK_EVERY == 0);
    }

  /* Where the kills landed depends on the machine's speed: said, not asserted. */
  g_test_message ("%u of %u runs were killed before they finished, %u with a download under way; "
                  "%u annotations acknowledged",
                  n_killed_before_done, N_ROUNDS, n_killed_in_download,
                  g_hash_table_size (fixture->acknowledged));
  g_assert_cmpuint (fixture->n_sync_failures, ==, 0);
  g_assert_cmpuint (g_hash_table_size (fixture->acknowledged), >, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *self = g_canonicalize_filename (argv[0], NULL);
  int status;

  self_dir = g_path_get_dirname (self);
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/crash/killed-during-sync", Fixture, NULL, fixture_set_up, test_killed_during_sync,
              fixture_tear_down);

  status = g_test_run ();
  g_free (self_dir);
  return status;
}
