/* test-sync-once-index.c: `docket --sync-once` indexes each document as it lands
 *
 * Against the real docket-server with the demo organisation and more documents of our
 * own, the real `docket` binary: the indexing of a cron job's sync runs beside its
 * downloads, not after them. Observed through the order of what `--verbose` says, never
 * through timing: indexing starts at the commit of the first content on disk, which the
 * sync engine announces before that download is even over, so before the last one is.
 */
#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include "docket-test-util.h"

/* More contents than the engine downloads at once, so that some start only after
 * others are on disk. */
#define EXTRA_DOCUMENTS 6

/* The secretary adds count documents of their own to an item of a published meeting
 * daibieu1 takes part in. */
static void
upload_documents (DocketTestServer *server,
                  guint             count)
{
  g_autofree char *token = docket_test_sign_in (server, "thuky",
                                                docket_test_server_get_password (server, "thuky"));
  g_autofree char *item_id = docket_test_find_item_of (server, token, "daibieu1", FALSE, NULL);

  g_assert_nonnull (item_id);
  for (guint i = 0; i < count; i++)
    {
      g_autofree char *url = g_strdup_printf ("%s/api/v1/items/%s/documents?title=Extra%u",
                                              docket_test_server_get_url (server), item_id, i);
      g_autoptr(GBytes) pdf = docket_test_make_pdf (256 * 1024);
      g_autoptr(GBytes) answer = NULL;

      g_assert_cmpuint (docket_test_http ("POST", url, token, "application/pdf", pdf, &answer), ==, 201);
    }
}

/* The index of the line that ends with what (after its "[N ms] " prefix), or -1. */
static int
find_line (GStrv       lines,
           const char *what)
{
  for (int i = 0; lines[i] != NULL; i++)
    {
      const char *text = strstr (lines[i], "] ");

      if (g_str_has_prefix (lines[i], "[") && text != NULL && g_str_equal (text + 2, what))
        return i;
    }
  return -1;
}

/* Every line of --verbose starts with the milliseconds since the command started. */
static void
assert_verbose_lines (GStrv lines)
{
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (lines[i][0] == '\0' || g_str_has_prefix (lines[i], "Indexed "))
        continue;
      g_assert_true (g_str_has_prefix (lines[i], "["));
      g_assert_nonnull (strstr (lines[i], " ms] "));
    }
}

static void
test_indexes_while_downloading (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *root = docket_test_make_tmpdir ("sync-once-index");
  g_autofree char *profile = g_build_filename (root, "profile", NULL);
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *indexed = NULL;
  g_auto(GStrv) lines = NULL;
  int feed, started, on_disk, done, n_contents;
  int status;

  upload_documents (server, EXTRA_DOCUMENTS);

  docket_test_run_client_sign_in (server, profile, "daibieu1");

  status = docket_test_run_client (NULL, &out, &err, "--profile", profile, "--sync-once", "--verbose", NULL);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpint (status, ==, 0);

  /* Everything downloaded was indexed by the end. */
  n_contents = docket_test_count_rows (profile, "SELECT count(*) FROM blobs");
  g_assert_cmpint (n_contents, >, EXTRA_DOCUMENTS);
  g_assert_cmpint (docket_test_count_rows (profile, "SELECT count(*) FROM search_contents"), ==, n_contents);
  g_assert_cmpint (docket_test_count_rows (profile, "SELECT count(*) FROM search_pages"), >, 0);

  /* In this order: the meetings up to date, indexing started, every document on disk,
   * indexing done, and the count. Indexing started before the last download ended. */
  lines = g_strsplit (out, "\n", -1);
  assert_verbose_lines (lines);
  feed = -1;
  for (int i = 0; lines[i] != NULL && feed < 0; i++)
    if (strstr (lines[i], "] The meetings are up to date; downloading ") != NULL)
      feed = i;
  started = find_line (lines, "Indexing for search started.");
  on_disk = find_line (lines, "Every document is on disk and verified.");
  done = find_line (lines, "Indexing for search done.");
  g_assert_cmpint (feed, >=, 0);
  g_assert_cmpint (started, >, feed);
  g_assert_cmpint (on_disk, >, started);
  g_assert_cmpint (done, >, on_disk);
  indexed = g_strdup_printf ("Indexed %d documents for search.", n_contents);
  g_assert_cmpstr (lines[done + 1], ==, indexed);
  g_clear_pointer (&out, g_free); g_clear_pointer (&err, g_free);
  g_clear_pointer (&lines, g_strfreev);

  /* Nothing new: no indexer, nothing to download; only the two sync lines. */
  status = docket_test_run_client (NULL, &out, &err, "--profile", profile, "--sync-once", "--verbose", NULL);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpint (status, ==, 0);
  lines = g_strsplit (out, "\n", -1);
  assert_verbose_lines (lines);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_cmpint (find_line (lines, "The meetings are up to date; nothing to download."), ==, 0);
  g_assert_cmpint (find_line (lines, "Every document is on disk and verified."), ==, 1);
  g_assert_cmpstr (lines[2], ==, "");

  docket_test_server_stop (server);
  docket_test_rmtree (root);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync-once/indexes-while-downloading", test_indexes_while_downloading);

  return g_test_run ();
}
