/* test-store.c: the client's SQLite cache on real files in a temporary profile */
#include "config.h"

#include <stdarg.h>
#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "docket-store.h"
#include "docket-test-store-v1.h"
#include "docket-test-util.h"

#define SHA_A "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
#define SHA_B "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752"

/* Page builders */

static DocketChange *
meeting_change (const char *id,
                const char *title,
                const char *starts_at,
                gint64      version)
{
  DocketMeetingRecord *m = docket_meeting_record_new ();

  m->id = g_strdup (id);
  m->title = g_strdup (title);
  m->organ = g_strdup ("HĐND tỉnh");
  m->starts_at = docket_protocol_parse_time (starts_at, NULL);
  m->ends_at = docket_protocol_parse_time (starts_at, NULL);
  m->time_zone = g_strdup ("Asia/Ho_Chi_Minh");
  m->location = g_strdup ("Hội trường");
  m->status = DOCKET_MEETING_STATUS_PUBLISHED;
  m->version = version;
  g_ptr_array_add (m->participants,
                   docket_participant_new ("daibieu1", "Nguyễn Văn A", DOCKET_ROLE_OFFICIAL));
  g_assert_nonnull (m->starts_at);

  return docket_change_new (DOCKET_CHANGE_MEETING, id, FALSE, m);
}

static DocketChange *
item_change (const char *id,
             const char *meeting_id,
             const char *parent_id,
             int         position,
             const char *number)
{
  DocketAgendaItemRecord *i = docket_agenda_item_record_new ();

  i->id = g_strdup (id);
  i->meeting_id = g_strdup (meeting_id);
  i->parent_id = g_strdup (parent_id);
  i->position = position;
  i->number = g_strdup (number);
  i->title = g_strdup_printf ("Mục %s", number);
  i->presenter = g_strdup ("");
  i->description = g_strdup ("");
  i->version = 10;

  return docket_change_new (DOCKET_CHANGE_AGENDA_ITEM, id, FALSE, i);
}

static DocketChange *
document_change (const char *id,
                 const char *meeting_id,
                 const char *item_id,
                 const char *sha)
{
  DocketDocumentRecord *d = docket_document_record_new ();

  d->id = g_strdup (id);
  d->meeting_id = g_strdup (meeting_id);
  d->item_id = g_strdup (item_id);
  d->position = 0;
  d->title = g_strdup ("Tờ trình");
  d->media_type = g_strdup ("application/pdf");
  d->sha256 = g_strdup (sha);
  d->size = 4;
  d->pages = 1;
  d->version = 11;

  return docket_change_new (DOCKET_CHANGE_DOCUMENT, id, FALSE, d);
}

static DocketChange *
deletion (DocketChangeType  type,
          const char       *id)
{
  return docket_change_new (type, id, TRUE, NULL);
}

static DocketChangesPage *
page_new (const char *cursor,
          ...)
{
  DocketChangesPage *page = docket_changes_page_new ();
  DocketChange *change;
  va_list args;

  page->cursor = g_strdup (cursor);
  va_start (args, cursor);
  while ((change = va_arg (args, DocketChange *)) != NULL)
    g_ptr_array_add (page->changes, change);
  va_end (args);

  return page;
}

static char *
read_file_bytes (const char *path,
                 gsize      *out_len)
{
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, out_len, NULL));
  return contents;
}

static void
write_blob (DocketStore *store,
            const char  *sha)
{
  g_autofree char *path = docket_store_dup_blob_path (store, sha);
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, "test", 4, NULL));
  g_assert_true (docket_store_mark_blob_complete (store, sha, NULL));
}

/* Tests */

static void
test_store_fresh (void)
{
  g_autofree char *dir = docket_test_make_tmpdir ("store-fresh");
  g_autofree char *profile = g_build_filename (dir, "profile", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketStore) store = NULL;
  g_autofree char *server = NULL;
  g_autofree char *user = NULL;
  g_autofree char *db_path = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  store = docket_store_open (profile, &error);
  g_assert_no_error (error);
  g_assert_cmpint (docket_store_get_schema_version (store), ==, DOCKET_STORE_SCHEMA_VERSION);
  g_assert_cmpint (DOCKET_STORE_SCHEMA_VERSION, >=, 2);
  g_assert_null (docket_store_dup_cursor (store));

  g_assert_true (docket_store_get_account (store, &server, &user, &error));
  g_assert_null (server);
  g_assert_null (user);
  g_assert_true (docket_store_set_account (store, "http://127.0.0.1:1", "daibieu1", &error));
  g_assert_true (docket_store_get_account (store, &server, &user, &error));
  g_assert_cmpstr (server, ==, "http://127.0.0.1:1");
  g_assert_cmpstr (user, ==, "daibieu1");

  /* WAL and the schema version are really in the file. */
  db_path = g_build_filename (profile, "docket.db", NULL);
  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA journal_mode", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, DOCKET_STORE_SCHEMA_VERSION);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  g_clear_object (&store);
  docket_test_rmtree (dir);
}

/* The schema of version 1 as Docket 0.1 wrote it, by hand, with a row in each table. */
static const char v1_schema[] =
  DOCKET_TEST_STORE_V1_TABLES
  "INSERT INTO meetings VALUES ('m1', 'Kỳ họp thứ 12', 'HĐND tỉnh', '2026-11-22T08:00:00+07:00',"
  "  1795309200, '2026-11-22T11:30:00+07:00', 'Asia/Ho_Chi_Minh', 'Hội trường', 'published', 5);"
  "INSERT INTO participants VALUES ('m1', 0, 'daibieu1', 'Nguyễn Văn A', 'official');"
  "INSERT INTO agenda_items VALUES ('i1', 'm1', NULL, 0, '1', 'Báo cáo', '', '', 6);"
  "INSERT INTO documents VALUES ('d1', 'm1', 'i1', 0, 'Tờ trình', 'application/pdf',"
  "  '" SHA_A "', 4, 1, 7);"
  "PRAGMA user_version = 1;";

static void
test_store_migrate_v1 (void)
{
  g_autofree char *dir = docket_test_make_tmpdir ("store-v1");
  g_autofree char *db_path = g_build_filename (dir, "docket.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketStore) store = NULL;
  g_autoptr(GPtrArray) meetings = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) documents = NULL;
  g_autoptr(GPtrArray) missing = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *user = NULL;
  DocketStoreMeetingRow *row;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, v1_schema, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = docket_store_open (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpint (docket_store_get_schema_version (store), ==, DOCKET_STORE_SCHEMA_VERSION);

  /* The data of version 1 is all there. */
  cursor = docket_store_dup_cursor (store);
  g_assert_cmpstr (cursor, ==, "42");
  g_assert_true (docket_store_get_account (store, NULL, &user, &error));
  g_assert_cmpstr (user, ==, "daibieu1");

  meetings = docket_store_list_meetings (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (meetings->len, ==, 1);
  row = g_ptr_array_index (meetings, 0);
  g_assert_cmpstr (row->meeting->id, ==, "m1");
  g_assert_cmpstr (row->meeting->title, ==, "Kỳ họp thứ 12");
  g_assert_cmpuint (row->meeting->participants->len, ==, 1);
  g_assert_cmpuint (row->n_documents, ==, 1);
  g_assert_cmpuint (row->n_documents_offline, ==, 0);

  items = docket_store_list_agenda_items (store, "m1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 1);
  documents = docket_store_list_documents (store, "m1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (documents->len, ==, 1);

  /* Version 2's table works on the upgraded data. */
  missing = docket_store_list_missing_documents (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (missing->len, ==, 1);
  write_blob (store, SHA_A);
  g_clear_pointer (&missing, g_ptr_array_unref);
  missing = docket_store_list_missing_documents (store, &error);
  g_assert_cmpuint (missing->len, ==, 0);

  g_clear_object (&store);
  g_assert_cmpint (docket_test_count_rows (dir, "SELECT count(*) FROM blobs"), ==, 1);
  docket_test_rmtree (dir);
}

static void
test_store_newer_schema (void)
{
  g_autofree char *dir = docket_test_make_tmpdir ("store-newer");
  g_autofree char *db_path = g_build_filename (dir, "docket.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketStore) store = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *wal_path = NULL;
  gsize before_len = 0, after_len = 0;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "CREATE TABLE future (x TEXT); INSERT INTO future VALUES ('x');"
                                 "PRAGMA user_version = 99;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  before = read_file_bytes (db_path, &before_len);

  store = docket_store_open (dir, &error);
  g_assert_null (store);
  g_assert_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_NEWER_SCHEMA);
  g_assert_nonnull (strstr (error->message, "newer"));

  after = read_file_bytes (db_path, &after_len);
  g_assert_cmpmem (before, before_len, after, after_len);
  wal_path = g_build_filename (dir, "docket.db-wal", NULL);
  g_assert_false (g_file_test (wal_path, G_FILE_TEST_EXISTS));

  docket_test_rmtree (dir);
}

static void
test_store_not_docket (void)
{
  g_autofree char *dir = docket_test_make_tmpdir ("store-junk");
  g_autofree char *db_path = g_build_filename (dir, "docket.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketStore) store = NULL;
  g_autofree char *after = NULL;
  gsize after_len = 0;
  const char junk[] = "this is not a database, it is a text file that is long enough to matter";

  g_assert_true (g_file_set_contents (db_path, junk, sizeof junk, NULL));
  store = docket_store_open (dir, &error);
  g_assert_null (store);
  g_assert_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_CORRUPT);
  after = read_file_bytes (db_path, &after_len);
  g_assert_cmpmem (junk, sizeof junk, after, after_len);

  docket_test_rmtree (dir);
}

static void
changed_cb (DocketStore *store,
            guint       *count)
{
  (*count)++;
}

/* A sync with nothing new writes nothing, and says nothing; a new cursor alone is
 * stored. */
static void
test_store_empty_page (void)
{
  g_autofree char *dir = docket_test_make_tmpdir ("store-empty-page");
  g_autofree char *wal = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketStore) store = NULL;
  g_autoptr(DocketChangesPage) first = NULL;
  g_autoptr(DocketChangesPage) same = NULL;
  g_autoptr(DocketChangesPage) moved = NULL;
  g_autofree char *cursor = NULL;
  GStatBuf before, after;
  guint changed = 0;

  store = docket_store_open (dir, &error);
  g_assert_no_error (error);
  g_signal_connect (store, "changed", G_CALLBACK (changed_cb), &changed);

  first = page_new ("7", meeting_change ("m1", "One", "2026-11-22T08:00:00+07:00", 1), NULL);
  g_assert_true (docket_store_apply_changes (store, first, &error));
  g_assert_no_error (error);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  changed = 0;

  wal = g_build_filename (dir, "docket.db-wal", NULL);
  g_assert_cmpint (g_stat (wal, &before), ==, 0);

  same = page_new ("7", NULL);
  g_assert_true (docket_store_apply_changes (store, same, &error));
  g_assert_no_error (error);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (changed, ==, 0);
  g_assert_cmpint (g_stat (wal, &after), ==, 0);
  g_assert_cmpint (after.st_size, ==, before.st_size);   /* no transaction was written */

  moved = page_new ("8", NULL);
  g_assert_true (docket_store_apply_changes (store, moved, &error));
  g_assert_no_error (error);
  cursor = docket_store_dup_cursor (store);
  g_assert_cmpstr (cursor, ==, "8");

  g_clear_object (&store);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  docket_test_rmtree (dir);
}

static void
test_store_apply_and_cascade (void)
{
  g_autofree char *dir = docket_test_make_tmpdir ("store-apply");
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketStore) store = NULL;
  g_autoptr(DocketChangesPage) page1 = NULL;
  g_autoptr(DocketChangesPage) page2 = NULL;
  g_autoptr(DocketChangesPage) page3 = NULL;
  g_autoptr(GPtrArray) meetings = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) docs = NULL;
  g_autoptr(DocketStoreDocumentRow) row = NULL;
  g_autofree char *blob_a = NULL;
  g_autofree char *blob_b = NULL;
  g_autofree char *cursor = NULL;
  guint changed = 0;

  store = docket_store_open (dir, &error);
  g_assert_no_error (error);
  g_signal_connect (store, "changed", G_CALLBACK (changed_cb), &changed);

  /* Later meeting first, items out of order, a nested item. */
  page1 = page_new ("10",
                    meeting_change ("m2", "Later", "2026-12-01T08:00:00+07:00", 1),
                    meeting_change ("m1", "Earlier", "2026-11-22T08:00:00+07:00", 2),
                    item_change ("i2", "m1", NULL, 1, "2"),
                    item_change ("i1", "m1", NULL, 0, "1"),
                    item_change ("i1a", "m1", "i1", 0, "1.a"),
                    document_change ("d1", "m1", "i1a", SHA_A),
                    document_change ("d2", "m1", "i2", SHA_B),
                    document_change ("d3", "m2", "i3", SHA_B),   /* i3 comes later in the page */
                    item_change ("i3", "m2", NULL, 0, "1"),
                    NULL);
  g_assert_true (docket_store_apply_changes (store, page1, &error));
  g_assert_no_error (error);

  meetings = docket_store_list_meetings (store, &error);
  g_assert_cmpuint (meetings->len, ==, 2);
  g_assert_cmpstr (((DocketStoreMeetingRow *) g_ptr_array_index (meetings, 0))->meeting->id, ==, "m1");
  g_assert_cmpstr (((DocketStoreMeetingRow *) g_ptr_array_index (meetings, 1))->meeting->id, ==, "m2");

  items = docket_store_list_agenda_items (store, "m1", &error);
  g_assert_cmpuint (items->len, ==, 3);
  g_assert_cmpstr (((DocketAgendaItemRecord *) g_ptr_array_index (items, 0))->id, ==, "i1");
  g_assert_cmpstr (((DocketAgendaItemRecord *) g_ptr_array_index (items, 1))->id, ==, "i1a");
  g_assert_cmpstr (((DocketAgendaItemRecord *) g_ptr_array_index (items, 2))->id, ==, "i2");

  write_blob (store, SHA_A);
  write_blob (store, SHA_B);
  blob_a = docket_store_dup_blob_path (store, SHA_A);
  blob_b = docket_store_dup_blob_path (store, SHA_B);
  row = docket_store_get_document (store, "d1", &error);
  g_assert_cmpstr (row->path, ==, blob_a);

  /* An update of an item keeps its children (an upsert, not a replace). */
  page2 = page_new ("11", item_change ("i1", "m1", NULL, 0, "I"), NULL);
  g_assert_true (docket_store_apply_changes (store, page2, &error));
  docs = docket_store_list_documents (store, "m1", &error);
  g_assert_cmpuint (docs->len, ==, 2);
  g_clear_pointer (&docs, g_ptr_array_unref);

  /* Deleting item i1 takes i1a and d1 with it, and d1's file, which nothing else uses. */
  page3 = page_new ("12", deletion (DOCKET_CHANGE_AGENDA_ITEM, "i1"), NULL);
  g_assert_true (docket_store_apply_changes (store, page3, &error));
  docs = docket_store_list_documents (store, "m1", &error);
  g_assert_cmpuint (docs->len, ==, 1);
  g_assert_false (g_file_test (blob_a, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (blob_b, G_FILE_TEST_EXISTS));
  g_clear_pointer (&docs, g_ptr_array_unref);

  /* Deleting m1 leaves SHA_B, which d3 of m2 shares; deleting m2 removes it. */
  {
    g_autoptr(DocketChangesPage) p = page_new ("13", deletion (DOCKET_CHANGE_MEETING, "m1"), NULL);
    g_assert_true (docket_store_apply_changes (store, p, &error));
    g_assert_true (g_file_test (blob_b, G_FILE_TEST_EXISTS));
  }
  {
    g_autoptr(DocketChangesPage) p = page_new ("14", deletion (DOCKET_CHANGE_MEETING, "m2"), NULL);
    g_assert_true (docket_store_apply_changes (store, p, &error));
    g_assert_false (g_file_test (blob_b, G_FILE_TEST_EXISTS));
  }

  g_clear_pointer (&meetings, g_ptr_array_unref);
  meetings = docket_store_list_meetings (store, &error);
  g_assert_cmpuint (meetings->len, ==, 0);
  cursor = docket_store_dup_cursor (store);
  g_assert_cmpstr (cursor, ==, "14");

  /* "changed" comes on the main context, after the commits. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (changed, >=, 1);

  g_clear_object (&store);
  docket_test_rmtree (dir);
}

static void
test_store_invalid_page_rolls_back (void)
{
  g_autofree char *dir = docket_test_make_tmpdir ("store-rollback");
  g_autofree char *db_path = g_build_filename (dir, "docket.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketStore) store = NULL;
  g_autoptr(DocketChangesPage) good = NULL;
  g_autoptr(DocketChangesPage) bad = NULL;
  g_autoptr(DocketChangesPage) cross = NULL;
  g_autofree char *cursor = NULL;
  g_autoptr(GPtrArray) meetings = NULL;

  store = docket_store_open (dir, &error);
  good = page_new ("5",
                   meeting_change ("m1", "One", "2026-11-22T08:00:00+07:00", 1),
                   item_change ("i1", "m1", NULL, 0, "1"),
                   NULL);
  g_assert_true (docket_store_apply_changes (store, good, &error));

  /* A valid new meeting, then a document of an item nobody sent: all of it refused. */
  bad = page_new ("6",
                  meeting_change ("m9", "Nine", "2026-11-23T08:00:00+07:00", 2),
                  deletion (DOCKET_CHANGE_MEETING, "m1"),
                  document_change ("d9", "m9", "nowhere", SHA_A),
                  NULL);
  g_assert_false (docket_store_apply_changes (store, bad, &error));
  g_assert_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* A document whose item belongs to another meeting. */
  cross = page_new ("7",
                    meeting_change ("m9", "Nine", "2026-11-23T08:00:00+07:00", 2),
                    document_change ("d9", "m9", "i1", SHA_A),
                    NULL);
  g_assert_false (docket_store_apply_changes (store, cross, &error));
  g_assert_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_INVALID);
  g_clear_error (&error);

  cursor = docket_store_dup_cursor (store);
  g_assert_cmpstr (cursor, ==, "5");
  meetings = docket_store_list_meetings (store, &error);
  g_assert_cmpuint (meetings->len, ==, 1);
  g_assert_cmpint (docket_test_count_rows (dir, "SELECT count(*) FROM documents"), ==, 0);
  g_assert_cmpint (docket_test_count_rows (dir, "SELECT count(*) FROM agenda_items"), ==, 1);

  g_clear_object (&store);
  docket_test_rmtree (dir);
}

static void
test_store_clear_and_stale_files (void)
{
  g_autofree char *dir = docket_test_make_tmpdir ("store-clear");
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketStore) store = NULL;
  g_autoptr(DocketChangesPage) page = NULL;
  g_autofree char *blob = NULL;
  g_autofree char *partial = NULL;
  g_autofree char *stale_partial = NULL;
  g_autofree char *server = NULL;
  g_autofree char *cursor = NULL;

  store = docket_store_open (dir, &error);
  g_assert_true (docket_store_set_account (store, "http://127.0.0.1:2", "daibieu2", &error));
  page = page_new ("3",
                   meeting_change ("m1", "One", "2026-11-22T08:00:00+07:00", 1),
                   item_change ("i1", "m1", NULL, 0, "1"),
                   document_change ("d1", "m1", "i1", SHA_A),
                   document_change ("d2", "m1", "i1", SHA_B),
                   NULL);
  g_assert_true (docket_store_apply_changes (store, page, &error));
  write_blob (store, SHA_A);
  blob = docket_store_dup_blob_path (store, SHA_A);
  partial = docket_store_dup_partial_path (store, SHA_B);
  g_assert_true (g_file_set_contents (partial, "te", 2, NULL));

  /* A partial file of a document no longer listed goes at the next open; a listed one stays. */
  stale_partial = g_build_filename (dir, "documents", "partial",
                                    "0000000000000000000000000000000000000000000000000000000000000000.part",
                                    NULL);
  g_assert_true (g_file_set_contents (stale_partial, "x", 1, NULL));
  g_clear_object (&store);
  store = docket_store_open (dir, &error);
  g_assert_no_error (error);
  g_assert_false (g_file_test (stale_partial, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (partial, G_FILE_TEST_EXISTS));

  /* clear_cache keeps the account, forgets rows, cursor and files. */
  g_assert_true (docket_store_clear_cache (store, &error));
  g_assert_false (g_file_test (blob, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (partial, G_FILE_TEST_EXISTS));
  g_assert_null (docket_store_dup_cursor (store));
  g_assert_true (docket_store_get_account (store, &server, NULL, &error));
  g_assert_cmpstr (server, ==, "http://127.0.0.1:2");
  g_clear_pointer (&server, g_free);

  g_assert_true (docket_store_clear (store, &error));
  g_assert_true (docket_store_get_account (store, &server, NULL, &error));
  g_assert_null (server);
  cursor = docket_store_dup_cursor (store);
  g_assert_null (cursor);

  g_clear_object (&store);
  docket_test_rmtree (dir);
}

static void
list_meetings_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GPtrArray **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = docket_store_list_meetings_finish (DOCKET_STORE (object), result, &error);
  g_assert_no_error (error);
}

static void
test_store_async_reads (void)
{
  g_autofree char *dir = docket_test_make_tmpdir ("store-async");
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketStore) store = NULL;
  g_autoptr(DocketChangesPage) page = NULL;
  g_autoptr(GPtrArray) meetings = NULL;

  store = docket_store_open (dir, &error);
  page = page_new ("1", meeting_change ("m1", "Một", "2026-11-22T08:00:00+07:00", 1), NULL);
  g_assert_true (docket_store_apply_changes (store, page, &error));

  docket_store_list_meetings_async (store, NULL, list_meetings_cb, &meetings);
  while (meetings == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (meetings->len, ==, 1);
  g_assert_cmpstr (((DocketStoreMeetingRow *) g_ptr_array_index (meetings, 0))->meeting->title, ==, "Một");

  g_clear_object (&store);
  docket_test_rmtree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/fresh", test_store_fresh);
  g_test_add_func ("/store/migrate-v1", test_store_migrate_v1);
  g_test_add_func ("/store/newer-schema", test_store_newer_schema);
  g_test_add_func ("/store/not-docket", test_store_not_docket);
  g_test_add_func ("/store/apply-and-cascade", test_store_apply_and_cascade);
  g_test_add_func ("/store/empty-page", test_store_empty_page);
  g_test_add_func ("/store/invalid-page-rolls-back", test_store_invalid_page_rolls_back);
  g_test_add_func ("/store/clear-and-stale-files", test_store_clear_and_stale_files);
  g_test_add_func ("/store/async-reads", test_store_async_reads);

  return g_test_run ();
}
