/* test-server-durability.c: nothing acknowledged is lost, and backups and restores
 * that clients notice
 *
 * The database's migrations (a database of the servers before them upgraded in place, a
 * newer one refused untouched), synchronous = FULL, a backup taken while the server
 * writes, and a restore (with the command, or by copying the files back) that gives the
 * change feed a new epoch, so that every cursor of the lost history is refused.
 */
#include "config.h"

#include <string.h>
#include <sqlite3.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "docket-records.h"
#include "docket-server-auth.h"
#include "docket-server-db.h"
#include "docket-test-util.h"
#include "test-server-frozen-schema.h"

/* The schema of the servers before migrations, frozen (test-server-frozen-schema.h). */
static const char today_schema_sql[] = DOCKET_TEST_SERVER_SCHEMA_BEFORE_MIGRATIONS_SQL;

static const char today_password[] = "mat-khau-truoc-nang-cap";

/* Helpers */

static guint
call_json (DocketTestServer  *server,
           const char        *method,
           const char        *path,
           const char        *token,
           const char        *json,
           JsonNode         **out_json)
{
  g_autofree char *url = g_strconcat (docket_test_server_get_url (server), path, NULL);
  g_autoptr(GBytes) body = json != NULL ? g_bytes_new (json, strlen (json)) : NULL;
  g_autoptr(GBytes) answer = NULL;
  guint status;
  gsize size;
  const char *data;

  status = docket_test_http (method, url, token, "application/json", body, &answer);
  data = g_bytes_get_data (answer, &size);
  if (out_json != NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      *out_json = NULL;
      if (size > 0 && json_parser_load_from_data (parser, data, (gssize) size, NULL))
        *out_json = json_parser_steal_root (parser);
    }
  return status;
}

static const char *
member_string (JsonNode   *root,
               const char *name)
{
  return json_object_get_string_member (json_node_get_object (root), name);
}

/* GET /changes since since (NULL: from the beginning), following "more"; the last
 * cursor. Asserts 200. */
static char *
sync_to_end (DocketTestServer *server,
             const char       *token,
             const char       *since)
{
  g_autofree char *cursor = g_strdup (since);

  for (;;)
    {
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(DocketChangesPage) page = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *path = NULL;
      g_autofree char *escaped = cursor != NULL ? g_uri_escape_string (cursor, NULL, FALSE) : NULL;

      path = cursor != NULL ? g_strdup_printf ("/api/v1/changes?since=%s", escaped)
                            : g_strdup ("/api/v1/changes");
      g_assert_cmpuint (call_json (server, "GET", path, token, NULL, &root), ==, 200);
      page = docket_changes_page_from_json (root, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (strlen (page->cursor), <=, DOCKET_MAX_CURSOR_BYTES);
      g_free (cursor);
      cursor = g_strdup (page->cursor);
      if (!page->more)
        return g_steal_pointer (&cursor);
    }
}

static void
expect_invalid_cursor (DocketTestServer *server,
                       const char       *token,
                       const char       *cursor)
{
  g_autofree char *escaped = g_uri_escape_string (cursor, NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/api/v1/changes?since=%s", escaped);
  g_autoptr(JsonNode) root = NULL;

  g_test_message ("since=%s", cursor);
  g_assert_cmpuint (call_json (server, "GET", path, token, NULL, &root), ==, 400);
  g_assert_nonnull (root);
  g_assert_cmpstr (member_string (root, "error"), ==, "invalid_cursor");
}

/* The epoch part of a cursor "EPOCH-SEQ". */
static char *
cursor_epoch (const char *cursor)
{
  const char *dash = strrchr (cursor, '-');

  g_assert_nonnull (dash);
  return g_strndup (cursor, (gsize) (dash - cursor));
}

static void
remove_database_files (const char *db_path)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (db_path, suffixes[i], NULL);

      g_unlink (path);
    }
}

static void
exec_sql (sqlite3    *db,
          const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static char *
query_text (sqlite3    *db,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return text;
}

static gint64
query_int (sqlite3    *db,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static char *
data_db_path (DocketTestServer *server)
{
  return g_build_filename (docket_test_server_get_data_dir (server), "docket-server.db", NULL);
}

/* Migrations */

/* A database as the servers before migrations left it: their schema, WAL, a secretary
 * and a sequence at 7. */
static void
make_today_database (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  char *insert;
  sqlite3 *db = NULL;

  g_assert_true (docket_server_auth_init (&error));
  hash = docket_server_auth_hash_password (today_password, &error);
  g_assert_no_error (error);
  insert = sqlite3_mprintf ("INSERT INTO users (username, display_name, role, organ, password_hash)"
                            " VALUES ('thuky', 'Thư ký', 'secretary', 'HĐND tỉnh', %Q);"
                            "UPDATE sequence SET value = 7 WHERE id = 1;"
                            "INSERT INTO meta (key, value) VALUES ('demo_seeded', '1');", hash);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  exec_sql (db, "PRAGMA journal_mode = WAL");
  exec_sql (db, today_schema_sql);
  exec_sql (db, insert);
  g_assert_cmpint (query_int (db, "PRAGMA user_version"), ==, 0);
  sqlite3_free (insert);
  sqlite3_close (db);
}

static void
test_today_database_upgraded (void)
{
  DocketTestServer *server = docket_test_server_start (FALSE);
  g_autofree char *db_path = data_db_path (server);
  g_autofree char *token = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *epoch = NULL;
  g_autoptr(JsonNode) meeting = NULL;
  g_autoptr(DocketServerDb) db = NULL;
  g_autoptr(GError) error = NULL;

  /* The server finds a database of the servers before migrations in its place. */
  docket_test_server_kill (server);
  remove_database_files (db_path);
  make_today_database (db_path);
  docket_test_server_restart (server);

  /* What it held is there: the user signs in, the sequence goes on from 7. */
  token = docket_test_sign_in (server, "thuky", today_password);
  g_assert_cmpuint (call_json (server, "POST", "/api/v1/meetings", token,
                               "{\"title\": \"Sau nâng cấp\", \"starts_at\": \"2026-12-08T08:00:00+07:00\","
                               " \"ends_at\": \"2026-12-08T11:00:00+07:00\", \"time_zone\": \"Asia/Ho_Chi_Minh\"}",
                               &meeting), ==, 201);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (meeting), "version"), ==, 8);
  cursor = sync_to_end (server, token, NULL);
  g_assert_true (g_str_has_suffix (cursor, "-8"));
  epoch = cursor_epoch (cursor);
  docket_test_server_kill (server);

  /* Upgraded in place to the last version, with the epoch its cursors carry. */
  db = docket_server_db_open (db_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (query_int (docket_server_db_get_handle (db), "PRAGMA user_version"), ==,
                   DOCKET_SERVER_DB_SCHEMA_VERSION);
  g_assert_cmpstr (docket_server_db_get_epoch (db), ==, epoch);
  g_assert_cmpint (query_int (docket_server_db_get_handle (db),
                              "SELECT count(*) FROM users WHERE username = 'thuky'"), ==, 1);
  g_clear_object (&db);
  docket_test_server_stop (server);
}

static void
test_newer_database_refused (void)
{
  g_autofree char *tmpdir = docket_test_make_tmpdir ("docket-newer-XXXXXX");
  g_autofree char *db_path = g_build_filename (tmpdir, "docket-server.db", NULL);
  g_autofree char *wal_path = g_strconcat (db_path, "-wal", NULL);
  g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %d",
                                                  DOCKET_SERVER_DB_SCHEMA_VERSION + 1);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  gsize before_len, after_len;
  DocketServerDb *db;
  sqlite3 *handle = NULL;

  /* A database of this server, then of a newer one: one step more, one table more. */
  db = docket_server_db_open (db_path, &error);
  g_assert_no_error (error);
  g_object_unref (db);
  g_assert_cmpint (sqlite3_open (db_path, &handle), ==, SQLITE_OK);
  exec_sql (handle, "PRAGMA journal_mode = DELETE");
  exec_sql (handle, "CREATE TABLE ballots (id TEXT PRIMARY KEY)");
  exec_sql (handle, set_version);
  sqlite3_close (handle);
  g_assert_true (g_file_get_contents (db_path, &before, &before_len, NULL));

  db = docket_server_db_open (db_path, &error);
  g_assert_null (db);
  g_assert_error (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_INTERNAL);
  g_assert_nonnull (strstr (error->message, "newer"));
  g_test_message ("%s", error->message);

  /* Not a byte changed, no log of writes beside it. */
  g_assert_true (g_file_get_contents (db_path, &after, &after_len, NULL));
  g_assert_cmpmem (before, before_len, after, after_len);
  g_assert_false (g_file_test (wal_path, G_FILE_TEST_EXISTS));

  docket_test_rmtree (tmpdir);
}

/* An acknowledged write survives a power cut: the server's connections are FULL (2). */
static void
test_synchronous_full (void)
{
  g_autofree char *tmpdir = docket_test_make_tmpdir ("docket-sync-full-XXXXXX");
  g_autofree char *db_path = g_build_filename (tmpdir, "docket-server.db", NULL);
  g_autofree char *journal_mode = NULL;
  g_autoptr(DocketServerDb) db = NULL;
  g_autoptr(GError) error = NULL;

  db = docket_server_db_open (db_path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (query_int (docket_server_db_get_handle (db), "PRAGMA synchronous"), ==, 2);
  journal_mode = query_text (docket_server_db_get_handle (db), "PRAGMA journal_mode");
  g_assert_cmpstr (journal_mode, ==, "wal");
  g_clear_object (&db);
  docket_test_rmtree (tmpdir);
}

/* Backups */

/* Writes through the API in a thread of its own until told to stop: each round uploads
 * a new document (a new blob) and renames the item. */
typedef struct {
  DocketTestServer *server;
  const char       *token;
  const char       *item_id;
  GMutex            mutex;
  GCond             cond;
  guint             writes;
  gboolean          stop;
} Writer;

static gpointer
writer_thread (gpointer data)
{
  Writer *writer = data;
  const char *url = docket_test_server_get_url (writer->server);
  g_autofree char *upload = g_strdup_printf ("%s/api/v1/items/%s/documents?title=Ghi", url, writer->item_id);
  g_autofree char *item = g_strdup_printf ("%s/api/v1/items/%s", url, writer->item_id);

  for (guint round = 0;; round++)
    {
      g_autoptr(GBytes) pdf = NULL;
      g_autoptr(GBytes) rename = NULL;
      g_autofree char *json = g_strdup_printf ("{\"title\": \"Lần ghi %u\"}", round);
      gboolean stop;

      g_mutex_lock (&writer->mutex);
      stop = writer->stop;
      g_mutex_unlock (&writer->mutex);
      if (stop)
        break;

      pdf = docket_test_make_pdf (4096);
      rename = g_bytes_new (json, strlen (json));
      g_assert_cmpuint (docket_test_http ("POST", upload, writer->token, "application/pdf", pdf, NULL), ==, 201);
      g_assert_cmpuint (docket_test_http ("PATCH", item, writer->token, "application/json", rename, NULL), ==, 200);

      g_mutex_lock (&writer->mutex);
      writer->writes++;
      g_cond_broadcast (&writer->cond);
      g_mutex_unlock (&writer->mutex);
    }
  return NULL;
}

/* Waits until the writer has done at least n rounds. */
static void
wait_for_writes (Writer *writer,
                 guint   n)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_TIME_SPAN_SECOND;

  g_mutex_lock (&writer->mutex);
  while (writer->writes < n)
    if (!g_cond_wait_until (&writer->cond, &writer->mutex, deadline))
      g_error ("timed out waiting for %u writes", n);
  g_mutex_unlock (&writer->mutex);
}

/* A backup is one state of the database, whole, and every blob it refers to is there,
 * complete. Returns its number of documents. */
static gint64
check_backup (const char *backup_dir)
{
  g_autofree char *db_path = g_build_filename (backup_dir, "docket-server.db", NULL);
  g_autofree char *partial = g_strconcat (db_path, ".partial", NULL);
  g_autofree char *integrity = NULL;
  g_autofree char *mark = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n_documents = 0;

  g_assert_false (g_file_test (partial, G_FILE_TEST_EXISTS));
  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  integrity = query_text (db, "PRAGMA integrity_check");
  g_assert_cmpstr (integrity, ==, "ok");
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA foreign_key_check", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  mark = query_text (db, "SELECT value FROM meta WHERE key = '" DOCKET_SERVER_DB_BACKUP_MARK "'");
  g_assert_nonnull (mark);

  /* One state: nothing in it is newer than its sequence. */
  g_assert_cmpint (query_int (db, "SELECT max (v) FROM ("
                                  " SELECT max (version) AS v FROM meetings UNION ALL"
                                  " SELECT max (version) FROM items UNION ALL"
                                  " SELECT max (version) FROM documents UNION ALL"
                                  " SELECT max (seq) FROM tombstones UNION ALL"
                                  " SELECT max (seq) FROM access UNION ALL"
                                  " SELECT max (revision) FROM annotations)"), <=,
                   query_int (db, "SELECT value FROM sequence WHERE id = 1"));

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT DISTINCT sha256 FROM documents", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *sha = (const char *) sqlite3_column_text (stmt, 0);
      char prefix[3] = { sha[0], sha[1], '\0' };
      g_autofree char *name = g_strconcat (sha, ".pdf", NULL);
      g_autofree char *path = g_build_filename (backup_dir, "blobs", prefix, name, NULL);
      g_autofree char *contents = NULL;
      g_autofree char *checksum = NULL;
      gsize len;

      g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
      checksum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, len);
      g_assert_cmpstr (checksum, ==, sha);
    }
  sqlite3_finalize (stmt);
  n_documents = query_int (db, "SELECT count(*) FROM documents");
  sqlite3_close (db);
  return n_documents;
}

static void
test_backup_while_writing (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *tmpdir = docket_test_make_tmpdir ("docket-backups-XXXXXX");
  g_autofree char *token = docket_test_sign_in (server, "thuky", docket_test_server_get_password (server, "thuky"));
  g_autofree char *item_id = docket_test_find_item_of (server, token, "daibieu1", TRUE, NULL);
  Writer writer = { server, token, item_id };
  GThread *thread;
  gint64 last_documents = 0;
  guint target = 1;

  g_assert_nonnull (item_id);
  g_mutex_init (&writer.mutex);
  g_cond_init (&writer.cond);
  thread = g_thread_new ("writer", writer_thread, &writer);

  /* Backups with the command while the writer goes on: each one taken after at least
   * one more upload than the one before holds. When a backup ends, `writes` rounds are
   * done and the next one's upload may already be in that backup; the round after it
   * begins only later, so waiting for two more rounds is what makes the next backup
   * hold one more document whatever the speeds (under the sanitizers the backup can be
   * faster than a round, and then a wait for "i + 1 rounds" in all was no wait at all). */
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *dest = g_strdup_printf ("%s/backup-%u", tmpdir, i);
      g_autofree char *out = NULL;
      gint64 n_documents;

      wait_for_writes (&writer, target);
      g_assert_cmpint (docket_test_server_admin (server, NULL, &out, "backup", dest, NULL), ==, 0);
      g_test_message ("%s", out);
      n_documents = check_backup (dest);
      g_assert_cmpint (n_documents, >, last_documents);
      last_documents = n_documents;

      g_mutex_lock (&writer.mutex);
      target = writer.writes + 2;
      g_mutex_unlock (&writer.mutex);
    }

  g_mutex_lock (&writer.mutex);
  writer.stop = TRUE;
  g_mutex_unlock (&writer.mutex);
  g_thread_join (thread);
  g_mutex_clear (&writer.mutex);
  g_cond_clear (&writer.cond);

  /* A folder that holds a backup already is not written over. */
  {
    g_autofree char *dest = g_strdup_printf ("%s/backup-0", tmpdir);

    g_assert_cmpint (docket_test_server_admin (server, NULL, NULL, "backup", dest, NULL), !=, 0);
    check_backup (dest);
  }

  /* Blobs copied (as onto another file system) rather than linked: the same backup. */
  {
    g_autofree char *dest = g_strdup_printf ("%s/backup-copied", tmpdir);
    g_autofree char *out = NULL;

    g_setenv ("DOCKET_SERVER_BACKUP_COPY", "1", TRUE);
    g_assert_cmpint (docket_test_server_admin (server, NULL, &out, "backup", dest, NULL), ==, 0);
    g_unsetenv ("DOCKET_SERVER_BACKUP_COPY");
    g_assert_nonnull (strstr (out, "0 linked"));
    g_assert_cmpint (check_backup (dest), >=, last_documents);
  }

  docket_test_server_stop (server);
  docket_test_rmtree (tmpdir);
}

/* Restores */

/* The title of item_id in the secretary's feed. */
static char *
item_title (DocketTestServer *server,
            const char       *token,
            const char       *item_id)
{
  g_autoptr(JsonNode) feed = docket_test_secretary_feed (server, token);
  JsonArray *changes = json_object_get_array_member (json_node_get_object (feed), "changes");

  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);

      if (g_strcmp0 (json_object_get_string_member (change, "id"), item_id) == 0 &&
          json_object_has_member (change, "data"))
        return g_strdup (json_object_get_string_member (json_object_get_object_member (change, "data"), "title"));
    }
  return NULL;
}

static gboolean
log_mentions (DocketTestServer *server,
              const char       *text)
{
  g_autofree char *log = NULL;

  g_assert_true (g_file_get_contents (docket_test_server_get_log_path (server), &log, NULL, NULL));
  return strstr (log, text) != NULL;
}

static void
test_restore_rotates_epoch (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *tmpdir = docket_test_make_tmpdir ("docket-restore-XXXXXX");
  g_autofree char *backup_dir = g_build_filename (tmpdir, "backup", NULL);
  g_autofree char *backup_db = g_build_filename (backup_dir, "docket-server.db", NULL);
  g_autofree char *db_path = data_db_path (server);
  g_autofree char *official = docket_test_sign_in (server, "daibieu1", docket_test_server_get_password (server, "daibieu1"));
  g_autofree char *secretary = docket_test_sign_in (server, "thuky", docket_test_server_get_password (server, "thuky"));
  g_autofree char *item_id = docket_test_find_item_of (server, secretary, "daibieu1", TRUE, NULL);
  g_autofree char *old_title = item_title (server, secretary, item_id);
  g_autofree char *before_backup = NULL;
  g_autofree char *after_backup = NULL;
  g_autofree char *restored = NULL;
  g_autofree char *copied = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *title = NULL;
  g_autofree char *epoch_before = NULL;
  g_autofree char *epoch_restored = NULL;
  g_autofree char *epoch_copied = NULL;
  g_autofree char *same = NULL;
  g_autoptr(JsonNode) renamed = NULL;
  g_autoptr(GFile) from = NULL;
  g_autoptr(GFile) to = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *item_path = g_strdup_printf ("/api/v1/items/%s", item_id);

  /* The official synced; the backup; a change after it, which the official synced too. */
  before_backup = sync_to_end (server, official, NULL);
  g_assert_cmpint (docket_test_server_admin (server, NULL, NULL, "backup", backup_dir, NULL), ==, 0);
  g_assert_cmpuint (call_json (server, "PATCH", item_path, secretary,
                               "{\"title\": \"Sửa sau khi sao lưu\"}", &renamed), ==, 200);
  after_backup = sync_to_end (server, official, before_backup);
  g_assert_cmpstr (after_backup, !=, before_backup);
  epoch_before = cursor_epoch (before_backup);

  /* The server stopped, the backup restored with the command, the server started. */
  docket_test_server_kill (server);
  g_assert_cmpint (docket_test_server_admin (server, NULL, NULL, "restore", backup_dir, NULL), ==, 0);
  docket_test_server_restart (server);

  /* Every cursor of the old history is refused, even one whose number the restored
   * history has reached, and so are the plain numbers of the servers before epochs. */
  expect_invalid_cursor (server, official, after_backup);
  expect_invalid_cursor (server, official, before_backup);
  plain = g_strdup (strrchr (before_backup, '-') + 1);
  expect_invalid_cursor (server, official, plain);

  /* From the beginning: the restored state, in a new epoch, whose cursors work. */
  restored = sync_to_end (server, official, NULL);
  epoch_restored = cursor_epoch (restored);
  g_assert_cmpstr (epoch_restored, !=, epoch_before);
  same = sync_to_end (server, official, restored);
  g_assert_cmpstr (same, ==, restored);
  title = item_title (server, secretary, item_id);
  g_assert_cmpstr (title, ==, old_title);

  /* Any restore: the backup's database copied back by hand (the old log removed, as
   * for any SQLite database) gets a new epoch too when the server opens it. */
  docket_test_server_kill (server);
  remove_database_files (db_path);
  from = g_file_new_for_path (backup_db);
  to = g_file_new_for_path (db_path);
  g_assert_true (g_file_copy (from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  docket_test_server_restart (server);

  expect_invalid_cursor (server, official, restored);
  expect_invalid_cursor (server, official, after_backup);
  copied = sync_to_end (server, official, NULL);
  epoch_copied = cursor_epoch (copied);
  g_assert_cmpstr (epoch_copied, !=, epoch_restored);
  g_assert_cmpstr (epoch_copied, !=, epoch_before);
  /* The server said so in its log. */
  g_assert_true (log_mentions (server, epoch_copied));

  docket_test_server_stop (server);
  docket_test_rmtree (tmpdir);
}

/* The commands' mistakes: a restore of a folder without a backup, or under a running
 * server (which goes on as before), missing or extra folders. */
static void
test_backup_cli_errors (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *tmpdir = docket_test_make_tmpdir ("docket-backup-cli-XXXXXX");
  g_autofree char *empty = g_build_filename (tmpdir, "empty", NULL);
  g_autofree char *backup_dir = g_build_filename (tmpdir, "backup", NULL);
  g_autofree char *token = docket_test_sign_in (server, "daibieu1", docket_test_server_get_password (server, "daibieu1"));
  g_autofree char *cursor = sync_to_end (server, token, NULL);
  g_autofree char *again = NULL;

  g_assert_cmpint (docket_test_server_admin (server, NULL, NULL, "restore", empty, NULL), !=, 0);
  g_assert_cmpint (docket_test_server_admin (server, NULL, NULL, "backup", NULL), ==, 2);
  g_assert_cmpint (docket_test_server_admin (server, NULL, NULL, "restore", "a", "b", NULL), ==, 2);

  g_assert_cmpint (docket_test_server_admin (server, NULL, NULL, "backup", backup_dir, NULL), ==, 0);
  g_assert_cmpint (docket_test_server_admin (server, NULL, NULL, "restore", backup_dir, NULL), ==, 1);
  again = sync_to_end (server, token, cursor);
  g_assert_cmpstr (again, ==, cursor);

  docket_test_server_stop (server);
  docket_test_rmtree (tmpdir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/durability/migrations/today-upgraded", test_today_database_upgraded);
  g_test_add_func ("/durability/migrations/newer-refused", test_newer_database_refused);
  g_test_add_func ("/durability/synchronous-full", test_synchronous_full);
  g_test_add_func ("/durability/backup-while-writing", test_backup_while_writing);
  g_test_add_func ("/durability/restore-rotates-epoch", test_restore_rotates_epoch);
  g_test_add_func ("/durability/backup-cli-errors", test_backup_cli_errors);

  return g_test_run ();
}
