/* test-record-rows.c: records read from rows of a real database (common/docket-record-rows.c)
 *
 * Client and server keep documents, agenda items, annotations and participants in
 * columns of the same names; one mapping reads them. What it must do: read every column
 * of DOCKET_*_ROW_COLUMNS into its field (columns after them are the query's own), keep
 * SQL NULL as NULL, and read a name this version does not know as the protocol's
 * default rather than fail.
 */
#include <glib/gstdio.h>

#include "docket-record-rows.h"
#include "docket-sqlite.h"

#define SHA256 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

typedef struct {
  char    *dir;
  char    *path;
  sqlite3 *db;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("docket-record-rows-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "test.db", NULL);
  g_assert_cmpint (sqlite3_open_v2 (fixture->path, &fixture->db,
                                    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL), ==, SQLITE_OK);
  /* The columns both sides have, in another order than the mapping's: it must follow
   * the query's columns, not the table's. */
  g_assert_true (docket_sqlite_exec (fixture->db,
                                     "CREATE TABLE documents (version INTEGER, id TEXT, pages INTEGER,"
                                     " meeting_id TEXT, item_id TEXT, position INTEGER, title TEXT,"
                                     " media_type TEXT, sha256 TEXT, size INTEGER);"
                                     "CREATE TABLE items (id TEXT, meeting_id TEXT, parent_id TEXT,"
                                     " position INTEGER, number TEXT, title TEXT, presenter TEXT,"
                                     " description TEXT, version INTEGER);"
                                     "CREATE TABLE annotations (id TEXT, document_id TEXT, page INTEGER,"
                                     " kind TEXT, color TEXT, geometry TEXT, contents TEXT,"
                                     " created_at INTEGER, updated_at INTEGER, revision INTEGER,"
                                     " deleted INTEGER);"
                                     "CREATE TABLE participants (username TEXT, display_name TEXT, role TEXT);",
                                     &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *journal = g_strconcat (fixture->path, "-journal", NULL);

  sqlite3_close (fixture->db);
  g_remove (fixture->path);
  g_remove (journal);
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

/* The statement of sql, stepped to its first row. */
static sqlite3_stmt *
first_row (sqlite3    *db,
           const char *sql)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = docket_sqlite_prepare (db, sql, &error);

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  return stmt;
}

static void
run (sqlite3    *db,
     const char *sql)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (docket_sqlite_exec (db, sql, &error));
  g_assert_no_error (error);
}

static void
test_document (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(DocketDocumentRecord) document = NULL;

  run (fixture->db,
       "INSERT INTO documents VALUES (7, 'doc-1', 12, 'meeting-1', 'item-1', 3, 'Báo cáo',"
       " 'application/pdf', '" SHA256 "', 123456789012)");
  stmt = first_row (fixture->db, "SELECT " DOCKET_DOCUMENT_ROW_COLUMNS ", 'extra' FROM documents");
  document = docket_document_record_from_row (stmt);

  g_assert_cmpstr (document->id, ==, "doc-1");
  g_assert_cmpstr (document->meeting_id, ==, "meeting-1");
  g_assert_cmpstr (document->item_id, ==, "item-1");
  g_assert_cmpint (document->position, ==, 3);
  g_assert_cmpstr (document->title, ==, "Báo cáo");
  g_assert_cmpstr (document->media_type, ==, "application/pdf");
  g_assert_cmpstr (document->sha256, ==, SHA256);
  g_assert_cmpint (document->size, ==, G_GINT64_CONSTANT (123456789012));
  g_assert_cmpint (document->pages, ==, 12);
  g_assert_cmpint (document->version, ==, 7);
  /* The query's own columns follow the mapping's. */
  g_assert_cmpint (sqlite3_column_count (stmt), ==, DOCKET_DOCUMENT_ROW_N_COLUMNS + 1);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, DOCKET_DOCUMENT_ROW_N_COLUMNS), ==, "extra");
}

static void
test_agenda_item (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(DocketAgendaItemRecord) item = NULL;

  /* A top-level item: no parent (SQL NULL stays NULL, not ""). */
  run (fixture->db,
       "INSERT INTO items VALUES ('item-1', 'meeting-1', NULL, 2, '2.a', 'Ngân sách', 'Chủ tịch', '', 4)");
  stmt = first_row (fixture->db, "SELECT " DOCKET_AGENDA_ITEM_ROW_COLUMNS " FROM items");
  item = docket_agenda_item_record_from_row (stmt);

  g_assert_cmpstr (item->id, ==, "item-1");
  g_assert_cmpstr (item->meeting_id, ==, "meeting-1");
  g_assert_null (item->parent_id);
  g_assert_cmpint (item->position, ==, 2);
  g_assert_cmpstr (item->number, ==, "2.a");
  g_assert_cmpstr (item->title, ==, "Ngân sách");
  g_assert_cmpstr (item->presenter, ==, "Chủ tịch");
  g_assert_cmpstr (item->description, ==, "");
  g_assert_cmpint (item->version, ==, 4);
}

static void
test_annotation (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(DocketAnnotationRecord) ink = NULL;
  g_autoptr(DocketAnnotationRecord) unknown = NULL;

  run (fixture->db,
       "INSERT INTO annotations VALUES"
       " ('a-1', 'doc-1', 5, 'ink', '#ff0000', '{\"width\": 2, \"strokes\": [[1, 2, 3, 4]]}', 'xem lại',"
       "  1700000000000, 1700000000500, 9, 0),"
       " ('a-2', 'doc-1', 0, 'hologram', '#00ff00', '{}', '', 1, 2, 0, 1)");
  stmt = first_row (fixture->db, "SELECT " DOCKET_ANNOTATION_ROW_COLUMNS ", deleted FROM annotations ORDER BY id");
  ink = docket_annotation_record_from_row (stmt);

  g_assert_cmpstr (ink->id, ==, "a-1");
  g_assert_cmpstr (ink->document_id, ==, "doc-1");
  g_assert_cmpint (ink->page, ==, 5);
  g_assert_cmpint (ink->kind, ==, DOCKET_ANNOTATION_INK);
  g_assert_cmpstr (ink->color, ==, "#ff0000");
  g_assert_cmpstr (ink->geometry, ==, "{\"width\": 2, \"strokes\": [[1, 2, 3, 4]]}");
  g_assert_cmpstr (ink->contents, ==, "xem lại");
  g_assert_cmpint (ink->created_at, ==, G_GINT64_CONSTANT (1700000000000));
  g_assert_cmpint (ink->updated_at, ==, G_GINT64_CONSTANT (1700000000500));
  g_assert_cmpint (ink->revision, ==, 9);
  g_assert_cmpint (sqlite3_column_int (stmt, DOCKET_ANNOTATION_ROW_N_COLUMNS), ==, 0);

  /* A kind of a later version reads as a highlight, the protocol's default. */
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  unknown = docket_annotation_record_from_row (stmt);
  g_assert_cmpstr (unknown->id, ==, "a-2");
  g_assert_cmpint (unknown->kind, ==, DOCKET_ANNOTATION_HIGHLIGHT);
  g_assert_cmpint (sqlite3_column_int (stmt, DOCKET_ANNOTATION_ROW_N_COLUMNS), ==, 1);
}

static void
test_participant (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  DocketParticipant *admin;
  DocketParticipant *unknown;

  run (fixture->db,
       "INSERT INTO participants VALUES ('an', 'Nguyễn Văn An', 'admin'), ('binh', 'Trần Bình', 'mayor')");
  stmt = first_row (fixture->db, "SELECT " DOCKET_PARTICIPANT_ROW_COLUMNS " FROM participants ORDER BY username");

  admin = docket_participant_from_row (stmt);
  g_assert_cmpstr (admin->username, ==, "an");
  g_assert_cmpstr (admin->display_name, ==, "Nguyễn Văn An");
  g_assert_cmpint (admin->role, ==, DOCKET_ROLE_ADMIN);
  docket_participant_free (admin);

  /* A role this version does not know is kept as unknown, which may do the least
   * (docs/protocol.md, "Values a client does not know"). */
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  unknown = docket_participant_from_row (stmt);
  g_assert_cmpstr (unknown->username, ==, "binh");
  g_assert_cmpint (unknown->role, ==, DOCKET_ROLE_UNKNOWN);
  docket_participant_free (unknown);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/record-rows/document", Fixture, NULL, fixture_set_up, test_document, fixture_tear_down);
  g_test_add ("/record-rows/agenda-item", Fixture, NULL, fixture_set_up, test_agenda_item, fixture_tear_down);
  g_test_add ("/record-rows/annotation", Fixture, NULL, fixture_set_up, test_annotation, fixture_tear_down);
  g_test_add ("/record-rows/participant", Fixture, NULL, fixture_set_up, test_participant, fixture_tear_down);

  return g_test_run ();
}
