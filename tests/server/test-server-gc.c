/* test-server-gc.c: the real docket-server's garbage collection — unreferenced blobs,
 * old answered operations, the command line, and the running server's own schedule
 *
 * Split from test-server.c (same cases); the helpers are in test-server-common.c.
 */
#include "config.h"

#include <string.h>
#include <sqlite3.h>
#include <utime.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "docket-records.h"
#include "docket-server-demo.h"
#include "test-server-common.h"

/* ---- garbage collection ----------------------------------------------------------------- */

/* Where the server keeps a blob: DATA/blobs/ab/abcdef....pdf */
static char *
blob_file (DocketTestServer *server,
           const char       *sha256)
{
  char prefix[3] = { sha256[0], sha256[1], '\0' };
  g_autofree char *name = g_strconcat (sha256, ".pdf", NULL);

  return g_build_filename (docket_test_server_get_data_dir (server), "blobs", prefix, name, NULL);
}

/* Makes a file look as if it was last written seconds ago. */
static void
age_file (const char *path,
          gint64      seconds)
{
  struct utimbuf times;

  times.actime = times.modtime = (time_t) (g_get_real_time () / G_USEC_PER_SEC - seconds);
  g_assert_cmpint (g_utime (path, &times), ==, 0);
}

static gint64
file_age (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return g_get_real_time () / G_USEC_PER_SEC - (gint64) st.st_mtime;
}

/* Uploads pdf under item_id and returns the new document's id. */
static char *
upload_pdf (DocketTestServer *server,
            const char       *token,
            const char       *item_id,
            GBytes           *pdf)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/items/%s/documents?title=GC", item_id);
  g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, pdf);
  g_autoptr(JsonNode) document = NULL;

  g_assert_cmpuint (call (server, "POST", path, token, "application/pdf", pdf, &document), ==, 201);
  g_assert_cmpstr (member_string (document, "sha256"), ==, sha256);
  return g_strdup (member_string (document, "id"));
}

static void
delete_document (DocketTestServer *server,
                 const char       *token,
                 const char       *document_id)
{
  g_autofree char *path = g_strconcat ("/api/v1/documents/", document_id, NULL);

  g_assert_cmpuint (call_json (server, "DELETE", path, token, NULL, NULL), ==, 204);
}

/* The document downloads whole, with exactly pdf's bytes and SHA-256. */
static void
assert_downloads (DocketTestServer *server,
                  const char       *token,
                  const char       *document_id,
                  GBytes           *pdf)
{
  g_autofree char *url = g_strdup_printf ("%s/api/v1/documents/%s/content",
                                          docket_test_server_get_url (server), document_id);
  g_autofree char *expected = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, pdf);
  g_autofree char *got = NULL;
  g_autoptr(GBytes) body = NULL;

  g_assert_cmpuint (docket_test_http ("GET", url, token, NULL, NULL, &body), ==, 200);
  got = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, body);
  g_assert_cmpstr (got, ==, expected);
  g_assert_true (g_bytes_equal (body, pdf));
}

/* The agenda item of the demo's meeting of today, as its secretary sees it. */
static char *
today_item (DocketTestServer *server,
            const char       *secretary)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_change_free);
  g_autofree char *cursor = sync_all (server, secretary, NULL, 0, all);
  g_autofree char *today = meeting_id_by_title (all, TODAY_MEETING);

  return g_strdup (item_of_meeting (all, today)->id);
}

/* "docket-server gc ARGS...": its exit status, its output in *out. */
#define run_gc(server, out, ...) \
  docket_test_server_admin ((server), NULL, (out), "gc", __VA_ARGS__)

/* A deleted document's blob, and the blob of a document replaced by a new version
 * (deleted after the upload of the new one), go once past the grace period, and not
 * before; referenced blobs stay and still download right; content stored again gets a
 * new grace period. */
static void
test_gc_blobs (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *secretary = docket_test_sign_in (server, "thuky", NULL);
  g_autofree char *item_id = today_item (server, secretary);
  g_autoptr(GBytes) kept_pdf = docket_test_make_pdf (20000);
  g_autoptr(GBytes) old_pdf = docket_test_make_pdf (30000);
  g_autoptr(GBytes) new_pdf = docket_test_make_pdf (30000);
  g_autoptr(GBytes) deleted_pdf = docket_test_make_pdf (10000);
  g_autofree char *kept_sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, kept_pdf);
  g_autofree char *old_sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, old_pdf);
  g_autofree char *new_sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, new_pdf);
  g_autofree char *deleted_sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, deleted_pdf);
  g_autofree char *kept_file = blob_file (server, kept_sha);
  g_autofree char *old_file = blob_file (server, old_sha);
  g_autofree char *new_file = blob_file (server, new_sha);
  g_autofree char *deleted_file = blob_file (server, deleted_sha);
  g_autofree char *kept_id = upload_pdf (server, secretary, item_id, kept_pdf);
  g_autofree char *old_id = upload_pdf (server, secretary, item_id, old_pdf);
  g_autofree char *deleted_id = upload_pdf (server, secretary, item_id, deleted_pdf);
  g_autofree char *new_id = NULL;
  g_autofree char *out = NULL;
  g_autofree char *expected = NULL;
  guint blobs_before;

  /* A new version replaces the old one; another document is deleted. */
  new_id = upload_pdf (server, secretary, item_id, new_pdf);
  delete_document (server, secretary, old_id);
  delete_document (server, secretary, deleted_id);
  blobs_before = count_blobs (server);

  /* Within the grace period (the default hour), unreferenced blobs stay. */
  g_assert_cmpint (run_gc (server, &out, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Nothing to remove"));
  g_assert_nonnull (strstr (out, "kept 2 unreferenced blobs still in their grace period"));
  g_clear_pointer (&out, g_free);
  g_assert_true (g_file_test (old_file, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (deleted_file, G_FILE_TEST_IS_REGULAR));

  /* Past it (the old version unreferenced for two hours): the old version goes, the
   * deleted document, younger, stays. */
  age_file (old_file, 2 * 3600);
  age_file (kept_file, 2 * 3600);
  g_assert_cmpint (run_gc (server, &out, NULL), ==, 0);
  expected = g_strdup_printf ("Removed 1 unreferenced blob (%" G_GSIZE_FORMAT " bytes freed)"
                              " and 0 answered operations; kept 1 unreferenced blob",
                              g_bytes_get_size (old_pdf));
  g_assert_nonnull (strstr (out, expected));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&expected, g_free);
  g_assert_false (g_file_test (old_file, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (deleted_file, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (count_blobs (server), ==, blobs_before - 1);

  /* A grace period of 0 (for tests): the deleted one goes too. */
  g_assert_cmpint (run_gc (server, &out, "--grace-seconds", "0", NULL), ==, 0);
  expected = g_strdup_printf ("Removed 1 unreferenced blob (%" G_GSIZE_FORMAT " bytes freed)"
                              " and 0 answered operations\n", g_bytes_get_size (deleted_pdf));
  g_assert_cmpstr (out, ==, expected);
  g_clear_pointer (&out, g_free);
  g_assert_false (g_file_test (deleted_file, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_blobs (server), ==, blobs_before - 2);

  /* What documents refer to stays, old as it may be, and downloads right. */
  g_assert_true (g_file_test (kept_file, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (new_file, G_FILE_TEST_IS_REGULAR));
  assert_downloads (server, secretary, kept_id, kept_pdf);
  assert_downloads (server, secretary, new_id, new_pdf);
  {
    g_autofree char *gone = g_strdup_printf ("/api/v1/documents/%s/content", old_id);

    expect_error (server, "GET", gone, secretary, NULL, 404, "not_found");
  }
  /* Every demo document too. */
  g_assert_cmpint (run_gc (server, &out, "--grace-seconds", "0", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Nothing to remove"));
  g_clear_pointer (&out, g_free);
  {
    g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_change_free);
    g_autofree char *cursor = sync_all (server, secretary, NULL, 0, all);
    guint documents = 0;

    for (guint i = 0; i < all->len; i++)
      {
        DocketChange *change = g_ptr_array_index (all, i);
        g_autofree char *file = NULL;

        if (change->type != DOCKET_CHANGE_DOCUMENT || change->deleted)
          continue;
        file = blob_file (server, ((DocketDocumentRecord *) change->record)->sha256);
        g_assert_true (g_file_test (file, G_FILE_TEST_IS_REGULAR));
        documents++;
      }
    g_assert_cmpuint (documents, >, 2);
  }

  /* The same bytes uploaded again restart their grace period: an old blob is touched,
   * not left looking old while its new document is being committed. */
  age_file (kept_file, 2 * 3600);
  g_free (upload_pdf (server, secretary, item_id, kept_pdf));
  g_assert_cmpint (file_age (kept_file), <, 60);

  /* A write cut short (the server killed while it wrote a blob) leaves its temporary
   * file: an old one goes, with its bytes counted; a young one (a write under way) and
   * a file of another name stay. */
  {
    g_autofree char *old_leftover = g_strconcat (kept_file, ".Ab12Cd", NULL);
    g_autofree char *young_leftover = g_strconcat (new_file, ".Zz9yX8", NULL);
    g_autofree char *folder = g_path_get_dirname (kept_file);
    g_autofree char *stranger = g_build_filename (folder, "README", NULL);
    g_autoptr(GError) error = NULL;

    g_assert_true (g_file_set_contents (old_leftover, "half a PDF", -1, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_set_contents (young_leftover, "a PDF being written", -1, &error));
    g_assert_no_error (error);
    g_assert_true (g_file_set_contents (stranger, "not ours", -1, &error));
    g_assert_no_error (error);
    age_file (old_leftover, 2 * 3600);
    age_file (stranger, 2 * 3600);

    g_assert_cmpint (run_gc (server, &out, NULL), ==, 0);
    g_assert_nonnull (strstr (out, "removed 1 unfinished blob write (10 bytes)"));
    g_clear_pointer (&out, g_free);
    g_assert_false (g_file_test (old_leftover, G_FILE_TEST_EXISTS));
    g_assert_true (g_file_test (young_leftover, G_FILE_TEST_IS_REGULAR));
    g_assert_true (g_file_test (stranger, G_FILE_TEST_IS_REGULAR));
    g_assert_true (g_file_test (kept_file, G_FILE_TEST_IS_REGULAR));
    assert_downloads (server, secretary, kept_id, kept_pdf);
  }

  docket_test_server_stop (server);
}

/* Answered operations older than the retention window are forgotten, recent ones kept:
 * a recent op sent again gets its first answer, a forgotten one is applied again. */
static void
test_gc_ops (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *official = docket_test_sign_in (server, "daibieu1", NULL);
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_change_free);
  g_autofree char *cursor = sync_all (server, official, NULL, 0, all);
  g_autofree char *today = meeting_id_by_title (all, TODAY_MEETING);
  DocketDocumentRecord *document = document_of_meeting (all, today);
  DocketAgendaItemRecord *item = item_of_meeting (all, today);
  const char *old_id = "0e5e0c4e-1111-4c3a-9d7e-6a1f0b2c3d4e";
  const char *new_id = "0e5e0c4e-2222-4c3a-9d7e-6a1f0b2c3d4e";
  g_autofree char *old_json = annotation_json (old_id, document->id, 0, "#ff0000");
  g_autofree char *new_json = annotation_json (new_id, document->id, 0, "#00ff00");
  g_autofree char *note = note_body ("op-old-note", "agenda_item", item->id, "Ghi chú");
  g_autofree char *note_path = g_strconcat ("/api/v1/notes/agenda_item/", item->id, NULL);
  g_autoptr(DocketAnnotationRecord) old_first = NULL;
  g_autoptr(DocketAnnotationRecord) new_first = NULL;
  g_autofree char *out = NULL;
  g_autofree char *rows = NULL;

  old_first = put_annotation (server, official, old_id, "op-old", old_json, 201);
  new_first = put_annotation (server, official, new_id, "op-new", new_json, 201);
  g_assert_cmpuint (call_json (server, "PUT", note_path, official, note, NULL), ==, 200);

  /* Two of them answered 31 days ago. */
  g_free (run_sql_text (server, "UPDATE ops SET created_at = created_at - 31 * 86400000"
                                " WHERE op_id IN ('op-old', 'op-old-note')"));

  g_assert_cmpint (run_gc (server, &out, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Removed 0 unreferenced blobs (0 bytes freed) and 2 answered operations"));
  g_clear_pointer (&out, g_free);
  rows = count_rows (server, "SELECT group_concat (op_id) FROM ops");
  g_assert_cmpstr (rows, ==, "op-new");
  g_clear_pointer (&rows, g_free);

  /* The recent one, sent again: its first answer, nothing written. */
  {
    g_autoptr(DocketAnnotationRecord) again = put_annotation (server, official, new_id, "op-new",
                                                              new_json, 201);

    g_assert_cmpint (again->revision, ==, new_first->revision);
    g_assert_cmpint (again->updated_at, ==, new_first->updated_at);
  }
  /* The forgotten one, sent again: a new write (docs/protocol.md says why that is safe
   * enough), the annotation replaced by the same contents at a new revision. */
  {
    g_autoptr(DocketAnnotationRecord) again = put_annotation (server, official, old_id, "op-old",
                                                              old_json, 200);

    g_assert_cmpint (again->revision, >, old_first->revision);
  }

  /* The window is a knob: an hour, and an answer of two hours ago goes. */
  g_free (run_sql_text (server, "UPDATE ops SET created_at = created_at - 2 * 3600000"
                                " WHERE op_id = 'op-new'"));
  g_assert_cmpint (run_gc (server, &out, "--op-retention-seconds", "3600", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "and 1 answered operation\n"));
  g_clear_pointer (&out, g_free);
  rows = count_rows (server, "SELECT group_concat (op_id) FROM ops");
  g_assert_cmpstr (rows, ==, "op-old");

  docket_test_server_stop (server);
}

/* Runs docket-server ARGV... (NULL-terminated) and returns its exit status, with its
 * standard output and error. */
static int
run_server_command (char       **out_stdout,
                    char       **out_stderr,
                    const char  *first_arg,
                    ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("DOCKET_SERVER"));
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_assert_nonnull (g_ptr_array_index (argv, 0));
  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, out_stdout, out_stderr, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

/* gc on an empty data folder removes nothing and says so; bad options are refused. */
static void
test_gc_cli (void)
{
  g_autofree char *data = docket_test_make_tmpdir ("docket-gc-XXXXXX");
  g_autofree char *empty = g_build_filename (data, "new", NULL);
  struct {
    const char *args[4];
    const char *message;
  } bad[] = {
    { { "--grace-seconds", "-1", NULL }, "--grace-seconds wants a number of seconds" },
    { { "--grace-seconds", "soon", NULL }, "--grace-seconds" },
    { { "--op-retention-seconds", "99999999999999", NULL }, "--op-retention-seconds wants" },
    { { "now", NULL }, "“gc” takes no arguments" },
  };

  /* A folder that does not exist yet: created, and nothing in it to remove. */
  for (guint round = 0; round < 2; round++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_assert_cmpint (run_server_command (&out, &err, "--data", empty, "gc", NULL), ==, 0);
      g_assert_cmpstr (out, ==, "Nothing to remove: no unreferenced blob past its grace period,"
                                " no answered operation past its retention (0 bytes freed)\n");
      g_assert_cmpstr (err, ==, "");
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;

      g_test_message ("gc %s %s", bad[i].args[0], bad[i].args[1] ? bad[i].args[1] : "");
      g_assert_cmpint (run_server_command (&out, &err, "--data", empty, "gc", bad[i].args[0],
                                           bad[i].args[1], NULL), ==, 2);
      g_assert_cmpstr (out, ==, "");
      g_assert_nonnull (strstr (err, bad[i].message));
      g_assert_nonnull (strstr (err, "docket-server --help"));
    }

  /* --help tells of the command and its knobs. */
  {
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;

    g_assert_cmpint (run_server_command (&out, &err, "--help", NULL), ==, 0);
    g_assert_nonnull (strstr (out, "  gc [--grace-seconds N] [--op-retention-seconds N]"));
    g_assert_nonnull (strstr (out, "--grace-seconds=SECONDS"));
    g_assert_nonnull (strstr (out, "--op-retention-seconds=SECONDS"));
    g_assert_nonnull (strstr (out, "DOCKET_SERVER_GC_INTERVAL_SECONDS"));
  }

  docket_test_rmtree (data);
}

/* The running server collects by itself, at start-up and then periodically (here every
 * second, without a grace period), while it serves. */
static void
test_gc_periodic (void)
{
  DocketTestServer *server = NULL;
  g_autofree char *secretary = NULL;
  g_autofree char *item_id = NULL;
  g_autofree char *kept_id = NULL;
  g_autofree char *gone_id = NULL;
  g_autofree char *gone_file = NULL;
  g_autofree char *log = NULL;
  g_autoptr(GBytes) kept_pdf = docket_test_make_pdf (20000);
  g_autoptr(GBytes) gone_pdf = docket_test_make_pdf (20000);
  g_autofree char *gone_sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, gone_pdf);

  /* The server inherits them; nothing else of this process reads them. */
  g_setenv ("DOCKET_SERVER_GC_GRACE_SECONDS", "0", TRUE);
  g_setenv ("DOCKET_SERVER_GC_INTERVAL_SECONDS", "1", TRUE);
  server = docket_test_server_start (TRUE);
  g_unsetenv ("DOCKET_SERVER_GC_GRACE_SECONDS");
  g_unsetenv ("DOCKET_SERVER_GC_INTERVAL_SECONDS");

  secretary = docket_test_sign_in (server, "thuky", NULL);
  item_id = today_item (server, secretary);
  gone_file = blob_file (server, gone_sha);
  /* Uploads go on while runs come every second: never a document without its blob. */
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GBytes) pdf = docket_test_make_pdf (20000);
      g_autofree char *id = upload_pdf (server, secretary, item_id, pdf);

      assert_downloads (server, secretary, id, pdf);
    }
  kept_id = upload_pdf (server, secretary, item_id, kept_pdf);
  gone_id = upload_pdf (server, secretary, item_id, gone_pdf);
  g_assert_true (g_file_test (gone_file, G_FILE_TEST_EXISTS));
  delete_document (server, secretary, gone_id);

  for (guint tries = 0; tries < 200 && g_file_test (gone_file, G_FILE_TEST_EXISTS); tries++)
    g_usleep (100 * 1000);
  g_assert_false (g_file_test (gone_file, G_FILE_TEST_EXISTS));
  assert_downloads (server, secretary, kept_id, kept_pdf);

  /* The collection's line is written on the main loop once its worker is done, a moment
   * after the file went: wait for it. */
  for (guint tries = 0; tries < 200; tries++)
    {
      g_clear_pointer (&log, g_free);
      g_assert_true (g_file_get_contents (docket_test_server_get_log_path (server), &log, NULL, NULL));
      if (strstr (log, "gc Removed 1 unreferenced blob") != NULL)
        break;
      g_usleep (100 * 1000);
    }
  g_assert_nonnull (strstr (log, "gc Nothing to remove"));
  g_assert_nonnull (strstr (log, "gc Removed 1 unreferenced blob"));

  docket_test_server_stop (server);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/gc/blobs", test_gc_blobs);
  g_test_add_func ("/server/gc/ops", test_gc_ops);
  g_test_add_func ("/server/gc/cli", test_gc_cli);
  g_test_add_func ("/server/gc/periodic", test_gc_periodic);

  return g_test_run ();
}
