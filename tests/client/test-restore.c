/* test-restore.c: the client after its server was restored from an older backup
 *
 * The real client syncs, the server gets writes, then the server is stopped, an older
 * backup is put back into its data folder (docket-server restore) and the server starts
 * again and gets writes until its sequence passes the number in the client's cursor. The
 * client's next sync must end with exactly what a fresh client gets from the server,
 * keep the official's unsent work, and not download again the documents it still has;
 * a client killed in the middle of that full sync finishes it at its next run.
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "docket-store.h"
#include "docket-sync.h"
#include "docket-test-client.h"

typedef DocketTestClient Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  docket_test_client_set_up (fixture, "client-restore-XXXXXX");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  docket_test_client_tear_down (fixture);
}

/* The secretary's API: the status, and the answer's JSON in out_json (may be NULL). */
static guint
secretary_call (Fixture     *fixture,
                const char  *method,
                const char  *path,
                const char  *content_type,
                GBytes      *body,
                JsonNode   **out_json)
{
  g_autofree char *url = g_strconcat (docket_test_server_get_url (fixture->server), path, NULL);
  g_autoptr(GBytes) answer = NULL;
  guint status = docket_test_http (method, url, fixture->secretary_token, content_type, body, &answer);

  if (out_json != NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      gsize size;
      const char *text = g_bytes_get_data (answer, &size);

      *out_json = NULL;
      if (size > 0 && json_parser_load_from_data (parser, text, (gssize) size, NULL))
        *out_json = json_parser_steal_root (parser);
    }
  return status;
}

static guint
secretary_json (Fixture     *fixture,
                const char  *method,
                const char  *path,
                const char  *json,
                JsonNode   **out_json)
{
  g_autoptr(GBytes) body = json != NULL ? g_bytes_new (json, strlen (json)) : NULL;

  return secretary_call (fixture, method, path, json != NULL ? "application/json" : NULL, body, out_json);
}

static char *
member_dup (JsonNode   *root,
            const char *name)
{
  return g_strdup (json_object_get_string_member (json_node_get_object (root), name));
}

/* A new agenda item of meeting_id, and a new document under it; their ids. */
static void
add_item_with_document (Fixture     *fixture,
                        const char  *meeting_id,
                        char       **out_item_id,
                        char       **out_document_id)
{
  g_autofree char *items_path = g_strdup_printf ("/api/v1/meetings/%s/items", meeting_id);
  g_autofree char *upload_path = NULL;
  g_autoptr(JsonNode) item = NULL;
  g_autoptr(JsonNode) document = NULL;
  g_autoptr(GBytes) pdf = docket_test_make_pdf (3000);

  g_assert_cmpuint (secretary_json (fixture, "POST", items_path,
                                    "{\"title\": \"Mục thêm sau khi sao lưu\"}", &item), ==, 201);
  *out_item_id = member_dup (item, "id");
  upload_path = g_strdup_printf ("/api/v1/items/%s/documents?title=Moi", *out_item_id);
  g_assert_cmpuint (secretary_call (fixture, "POST", upload_path, "application/pdf", pdf, &document), ==, 201);
  *out_document_id = member_dup (document, "id");
}

/* Renames item_id until the server's sequence is past seq, so that a cursor number of
 * the history lost in the restore is one the restored history has reached. */
static void
write_past (Fixture     *fixture,
            const char  *item_id,
            gint64       seq)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/items/%s", item_id);
  gint64 version = 0;

  for (guint round = 0; version <= seq; round++)
    {
      g_autofree char *json = g_strdup_printf ("{\"title\": \"Sau khi khôi phục %u\"}", round);
      g_autoptr(JsonNode) item = NULL;

      g_assert_cmpuint (secretary_json (fixture, "PATCH", path, json, &item), ==, 200);
      version = json_object_get_int_member (json_node_get_object (item), "version");
    }
}

/* The number a cursor ends with ("EPOCH-SEQ", or a plain number). */
static gint64
cursor_seq (const char *cursor)
{
  const char *dash = strrchr (cursor, '-');

  return g_ascii_strtoll (dash != NULL ? dash + 1 : cursor, NULL, 10);
}

/* Stops the server, puts the backup in backup_dir back, and starts it again. */
static void
restore_backup (Fixture    *fixture,
                const char *backup_dir)
{
  docket_test_server_kill (fixture->server);
  g_assert_cmpint (docket_test_server_admin (fixture->server, NULL, NULL, "restore", backup_dir, NULL), ==, 0);
  docket_test_server_restart (fixture->server);
}

/* What a profile's cache holds of the server's data, and of the official's annotations,
 * as text: two profiles equal in this are equal for the official. */
static char *
cache_snapshot (const char *profile)
{
  g_autofree char *db_path = g_build_filename (profile, "docket.db", NULL);
  GString *out = g_string_new (NULL);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_string_append (out, "meetings\n");
  docket_test_append_rows (db, "SELECT id, title, organ, starts_at, ends_at, location, status, version"
                               " FROM meetings ORDER BY id", out);
  g_string_append (out, "participants\n");
  docket_test_append_rows (db, "SELECT meeting_id, position, username, display_name, role"
                               " FROM participants ORDER BY meeting_id, position", out);
  g_string_append (out, "agenda items\n");
  docket_test_append_rows (db, "SELECT id, meeting_id, parent_id, position, number, title, presenter,"
                               " description, version FROM agenda_items ORDER BY id", out);
  g_string_append (out, "documents\n");
  docket_test_append_rows (db, "SELECT id, meeting_id, item_id, position, title, sha256, size, pages,"
                               " version FROM documents ORDER BY id", out);
  g_string_append (out, "annotations\n");
  docket_test_append_rows (db, "SELECT id, document_id, page, kind, color, geometry, contents"
                               " FROM annotations WHERE NOT deleted ORDER BY id", out);
  sqlite3_close (db);
  return g_string_free (out, FALSE);
}

/* What a new profile signed in as username has after one sync. */
static char *
fresh_snapshot (Fixture    *fixture,
                const char *username)
{
  g_autofree char *profile = g_build_filename (fixture->tmpdir, "fresh", NULL);
  g_autoptr(GError) error = NULL;
  DocketStore *store = NULL;
  DocketSync *sync = NULL;
  char *snapshot;

  docket_test_profile_open (profile, &store, &sync);
  error = docket_test_sync_sign_in (sync, docket_test_server_get_url (fixture->server), username,
                                    docket_test_server_get_password (fixture->server, username));
  g_assert_no_error (error);
  error = docket_test_sync_run (sync);
  g_assert_no_error (error);
  snapshot = cache_snapshot (profile);
  docket_test_profile_close (&store, &sync);
  docket_test_rmtree (profile);
  return snapshot;
}

static void
sync_once (Fixture *fixture)
{
  g_autoptr(GError) error = docket_test_sync_run (fixture->sync);

  g_assert_no_error (error);
}

/* The documents of meeting_id in the cache. */
static GPtrArray *
cached_documents (Fixture    *fixture,
                  const char *meeting_id)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *documents = docket_store_list_documents (fixture->store, meeting_id, &error);

  g_assert_no_error (error);
  return documents;
}

/* A highlight of the official's on the first page of document_id. */
static DocketAnnotationRecord *
new_annotation (const char *document_id,
                const char *contents)
{
  DocketAnnotationRecord *record = docket_annotation_record_new ();

  record->id = g_uuid_string_random ();
  record->document_id = g_strdup (document_id);
  record->page = 0;
  record->kind = DOCKET_ANNOTATION_HIGHLIGHT;
  record->color = g_strdup ("#f6d32d");
  record->geometry = g_strdup ("{\"rects\": [[72, 100, 300, 112]]}");
  record->contents = g_strdup (contents);
  return record;
}

static guint
count_content_requests (Fixture    *fixture,
                        const char *document_id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/documents/%s/content", document_id);

  return docket_test_server_count_requests (fixture->server, "GET", path);
}

static void
test_restore_client_equals_server (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autofree char *backup_dir = g_build_filename (fixture->tmpdir, "backup", NULL);
  g_autofree char *meeting_id = NULL;
  g_autofree char *item_id = NULL;
  g_autofree char *new_item_id = NULL;
  g_autofree char *new_document_id = NULL;
  g_autofree char *new_blob = NULL;
  g_autofree char *deleted_path = NULL;
  g_autofree char *kept_id = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *snapshot = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *deleted_id = NULL;
  g_autoptr(GPtrArray) documents = NULL;
  g_autoptr(DocketAnnotationRecord) acknowledged = NULL;
  g_autoptr(DocketAnnotationRecord) annotation = NULL;
  g_autoptr(DocketAnnotationRecord) kept = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(GError) error = NULL;
  gboolean deleted = TRUE;
  guint kept_downloads;

  docket_test_client_sign_in_as (fixture, "daibieu1");
  sync_once (fixture);
  item_id = docket_test_client_find_item_of (fixture, "daibieu1", &meeting_id);
  g_assert_nonnull (item_id);
  documents = cached_documents (fixture, meeting_id);
  g_assert_cmpuint (documents->len, >=, 2);
  deleted_id = g_strdup (((DocketStoreDocumentRow *) g_ptr_array_index (documents, 0))->document->id);
  kept_id = g_strdup (((DocketStoreDocumentRow *) g_ptr_array_index (documents, 1))->document->id);

  /* The backup, then what the restore will take away: a new item with a document, a
   * renamed item, a deleted document. The client syncs all of it. */
  g_assert_cmpint (docket_test_server_admin (fixture->server, NULL, NULL, "backup", backup_dir, NULL), ==, 0);
  add_item_with_document (fixture, meeting_id, &new_item_id, &new_document_id);
  write_past (fixture, item_id, 0);
  deleted_path = g_strdup_printf ("/api/v1/documents/%s", deleted_id);
  g_assert_cmpuint (secretary_json (fixture, "DELETE", deleted_path, NULL, NULL), ==, 204);
  sync_once (fixture);
  snapshot = cache_snapshot (fixture->profile);
  g_assert_nonnull (strstr (snapshot, new_item_id));
  g_assert_nonnull (strstr (snapshot, new_document_id));
  g_assert_null (strstr (snapshot, deleted_id));
  {
    g_autoptr(GPtrArray) rows = cached_documents (fixture, meeting_id);

    for (guint i = 0; i < rows->len; i++)
      {
        DocketStoreDocumentRow *row = g_ptr_array_index (rows, i);

        if (g_str_equal (row->document->id, new_document_id))
          new_blob = g_strdup (row->path);
      }
    g_assert_nonnull (new_blob);
    g_assert_true (g_file_test (new_blob, G_FILE_TEST_IS_REGULAR));
  }
  g_clear_pointer (&snapshot, g_free);

  /* The official annotates a document and the server acknowledges it: the restore
   * will take it away from the server. */
  acknowledged = new_annotation (kept_id, "Đã gửi trước khi máy chủ được khôi phục");
  g_assert_true (docket_store_save_annotation (fixture->store, acknowledged, &error));
  g_assert_no_error (error);
  sync_once (fixture);
  outbox = docket_store_list_outbox (fixture->store, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outbox->len, ==, 0);
  g_clear_pointer (&outbox, g_ptr_array_unref);

  /* And another one, not sent yet. */
  annotation = new_annotation (kept_id, "Chưa gửi khi máy chủ được khôi phục");
  g_assert_true (docket_store_save_annotation (fixture->store, annotation, &error));
  g_assert_no_error (error);

  /* The server restored to the backup, and written to until its numbers pass the
   * client's: only the epoch tells the client's cursor from a cursor of today. */
  cursor = docket_store_dup_cursor (fixture->store);
  restore_backup (fixture, backup_dir);
  write_past (fixture, item_id, cursor_seq (cursor));
  kept_downloads = count_content_requests (fixture, kept_id);

  sync_once (fixture);
  /* The full sync queued the acknowledged annotation the server lost: the run after it
   * (joined here) sends it. */
  sync_once (fixture);

  /* The contents the client still had were not downloaded again. */
  g_assert_cmpuint (count_content_requests (fixture, kept_id), ==, kept_downloads);

  /* The client holds what the server holds: what the restore took away is gone (the
   * document's file too), what it brought back is back. */
  snapshot = cache_snapshot (fixture->profile);
  expected = fresh_snapshot (fixture, "daibieu1");
  g_assert_cmpstr (snapshot, ==, expected);
  g_assert_null (strstr (snapshot, new_item_id));
  g_assert_null (strstr (snapshot, new_document_id));
  g_assert_nonnull (strstr (snapshot, deleted_id));
  g_assert_false (g_file_test (new_blob, G_FILE_TEST_EXISTS));

  /* The official's annotations survived, and are on the server (the fresh profile has
   * them too, through the equal snapshots). */
  g_assert_nonnull (strstr (snapshot, acknowledged->id));
  g_assert_nonnull (strstr (snapshot, annotation->id));
  kept = docket_store_get_annotation (fixture->store, annotation->id, &deleted, &error);
  g_assert_no_error (error);
  g_assert_nonnull (kept);
  g_assert_false (deleted);
  g_assert_cmpstr (kept->contents, ==, annotation->contents);
  outbox = docket_store_list_outbox (fixture->store, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (outbox->len, ==, 0);

}

static void
test_restore_killed_during_full_sync (Fixture       *fixture,
                                      gconstpointer  data)
{
  g_autofree char *backup_dir = g_build_filename (fixture->tmpdir, "backup", NULL);
  g_autofree char *meeting_id = NULL;
  g_autofree char *item_id = NULL;
  g_autofree char *new_item_id = NULL;
  g_autofree char *new_document_id = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *official = NULL;
  g_autofree char *url = NULL;
  g_autofree char *snapshot = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(DocketChangesPage) page = NULL;
  g_autoptr(GError) error = NULL;
  const char *text;
  gsize size;

  docket_test_client_sign_in_as (fixture, "daibieu1");
  sync_once (fixture);
  item_id = docket_test_client_find_item_of (fixture, "daibieu1", &meeting_id);
  g_assert_cmpint (docket_test_server_admin (fixture->server, NULL, NULL, "backup", backup_dir, NULL), ==, 0);
  add_item_with_document (fixture, meeting_id, &new_item_id, &new_document_id);
  sync_once (fixture);
  cursor = docket_store_dup_cursor (fixture->store);
  restore_backup (fixture, backup_dir);
  write_past (fixture, item_id, cursor_seq (cursor));

  /* The client begins its full sync (as after 400 invalid_cursor) and applies its first
   * page, then is killed. */
  g_assert_true (docket_store_restart_feed (fixture->store, &error));
  g_assert_no_error (error);
  official = docket_test_sign_in (fixture->server, "daibieu1",
                                  docket_test_server_get_password (fixture->server, "daibieu1"));
  url = g_strconcat (docket_test_server_get_url (fixture->server), "/api/v1/changes?limit=1", NULL);
  g_assert_cmpuint (docket_test_http ("GET", url, official, NULL, NULL, &answer), ==, 200);
  text = g_bytes_get_data (answer, &size);
  g_assert_true (json_parser_load_from_data (parser, text, (gssize) size, NULL));
  page = docket_changes_page_from_json (json_parser_get_root (parser), &error);
  g_assert_no_error (error);
  g_assert_true (page->more);
  g_assert_true (docket_store_apply_changes (fixture->store, page, &error));
  g_assert_no_error (error);

  /* Half a full sync: what the restore took away is still there, and must not stay. */
  snapshot = cache_snapshot (fixture->profile);
  g_assert_nonnull (strstr (snapshot, new_item_id));
  g_clear_pointer (&snapshot, g_free);
  docket_test_client_close_profile (fixture);
  docket_test_client_open_profile (fixture);

  /* The next run goes on from the first page's cursor and ends the full sync. */
  sync_once (fixture);
  snapshot = cache_snapshot (fixture->profile);
  expected = fresh_snapshot (fixture, "daibieu1");
  g_assert_cmpstr (snapshot, ==, expected);
  g_assert_null (strstr (snapshot, new_item_id));
  g_assert_null (strstr (snapshot, new_document_id));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/restore/client-equals-server", Fixture, NULL,
              fixture_set_up, test_restore_client_equals_server, fixture_tear_down);
  g_test_add ("/restore/killed-during-full-sync", Fixture, NULL,
              fixture_set_up, test_restore_killed_during_full_sync, fixture_tear_down);

  return g_test_run ();
}
