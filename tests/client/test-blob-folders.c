/* test-blob-folders.c: the folders contents go in are made once, with the profile
 *
 * A content lives at PROFILE/documents/XX/SHA.pdf. A new profile gets its 256 folders
 * when it is made, so that no download makes one (bench/sync); a profile made before
 * that, without them, still gets every content in place, its folders made as needed.
 * Against the real docket-server with the demo organisation, the real `docket` binary.
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "docket-test-util.h"

static char *
folder_path (const char *profile,
             guint       i)
{
  g_autofree char *name = g_strdup_printf ("%02x", i);

  return g_build_filename (profile, "documents", name, NULL);
}

/* The checksums of the contents the profile holds complete. */
static GPtrArray *
complete_contents (const char *profile)
{
  g_autofree char *path = g_build_filename (profile, "docket.db", NULL);
  GPtrArray *shas = g_ptr_array_new_with_free_func (g_free);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT sha256 FROM blobs", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (shas, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return shas;
}

static void
sync_once (const char *profile)
{
  g_autofree char *out = NULL, *err = NULL;
  int status = docket_test_run_client (NULL, &out, &err, "--profile", profile, "--sync-once", NULL);

  g_assert_cmpstr (err, ==, "");
  g_assert_cmpint (status, ==, 0);
}

/* Every content complete is in its place, with the bytes its name says. */
static void
assert_contents_in_place (const char *profile)
{
  g_autoptr(GPtrArray) shas = complete_contents (profile);

  g_assert_cmpuint (shas->len, >, 0);
  for (guint i = 0; i < shas->len; i++)
    {
      const char *sha = g_ptr_array_index (shas, i);
      g_autofree char *subdir = g_strndup (sha, 2);
      g_autofree char *name = g_strconcat (sha, ".pdf", NULL);
      g_autofree char *path = g_build_filename (profile, "documents", subdir, name, NULL);
      g_autofree char *actual = docket_test_file_sha256 (path);

      g_assert_cmpstr (actual, ==, sha);
    }
}

static void
test_new_profile_has_folders (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *root = docket_test_make_tmpdir ("blob-folders");
  g_autofree char *profile = g_build_filename (root, "profile", NULL);

  docket_test_run_client_sign_in (server, profile, "daibieu1");
  for (guint i = 0; i < 256; i++)
    {
      g_autofree char *path = folder_path (profile, i);

      g_assert_true (g_file_test (path, G_FILE_TEST_IS_DIR));
    }

  sync_once (profile);
  assert_contents_in_place (profile);

  docket_test_server_stop (server);
  docket_test_rmtree (root);
}

static void
test_older_profile_gets_folders (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *root = docket_test_make_tmpdir ("blob-folders");
  g_autofree char *profile = g_build_filename (root, "profile", NULL);

  docket_test_run_client_sign_in (server, profile, "daibieu1");
  /* As a profile made before the folders came with it. */
  for (guint i = 0; i < 256; i++)
    {
      g_autofree char *path = folder_path (profile, i);

      g_assert_cmpint (g_rmdir (path), ==, 0);
    }

  sync_once (profile);
  assert_contents_in_place (profile);

  docket_test_server_stop (server);
  docket_test_rmtree (root);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/blob-folders/new-profile", test_new_profile_has_folders);
  g_test_add_func ("/blob-folders/older-profile", test_older_profile_gets_folders);

  return g_test_run ();
}
