/* test-server-live-schema.c: migration 4 (the live meeting) upgrades a database of
 * version 3 in place
 *
 * The database is made as a server of schema 3 left it: its three steps, frozen here
 * verbatim (a database of theirs is on disk; the steps in the server may never change),
 * with a secretary, an official, a published meeting with both as participants, an
 * agenda item and a document. The real server opens it, upgrades it, and serves what it
 * held; every participant has the meeting role "member", every meeting the quorum rule
 * "majority", and the live tables are there, empty.
 */
#include "config.h"

#include <string.h>
#include <sqlite3.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "docket-records.h"
#include "docket-server-auth.h"
#include "docket-server-db.h"
#include "test-server-common.h"
#include "test-server-frozen-schema.h"

/* Step 1 of schema 3: the tables of the servers before versioned migrations. */
static const char v3_step1_sql[] =
  DOCKET_TEST_SERVER_SCHEMA_BEFORE_MIGRATIONS_SQL
  "PRAGMA user_version = 1;";

/* Step 2: the epoch of the change feed. */
static const char v3_step2_sql[] =
  "INSERT OR IGNORE INTO meta (key, value) VALUES ('epoch', lower (hex (randomblob (8))));"
  "PRAGMA user_version = 2;";

/* Step 3: the change feed's indexes. */
static const char v3_step3_sql[] =
  "CREATE INDEX IF NOT EXISTS meetings_version ON meetings (version);"
  "CREATE INDEX IF NOT EXISTS items_version ON items (version);"
  "CREATE INDEX IF NOT EXISTS documents_version ON documents (version);"
  "CREATE INDEX IF NOT EXISTS items_parent ON items (parent_id);"
  "PRAGMA user_version = 3;";

static const char v3_password[] = "mat-khau-phien-ban-3";

/* What the servers of schema 3 had written: users 1 (secretary) and 2 (official), a
 * published meeting (version 3) with both as participants, an item (4) and a document
 * (5) of it; the sequence at 5. */
static const char v3_rows_sql[] =
  "INSERT INTO users (id, username, display_name, role, organ, password_hash) VALUES"
  "  (1, 'thuky', 'Thư ký', 'secretary', 'HĐND tỉnh', '%1$s'),"
  "  (2, 'daibieu', 'Đại biểu', 'official', 'HĐND tỉnh', '%1$s');"
  "INSERT INTO meetings (id, title, organ, starts_at, ends_at, time_zone, location, status, version)"
  "  VALUES ('m-v3', 'Kỳ họp phiên bản 3', 'HĐND tỉnh', '2026-12-08T08:00:00+07:00',"
  "          '2026-12-08T11:00:00+07:00', 'Asia/Ho_Chi_Minh', 'Hội trường', 'published', 3);"
  "INSERT INTO participants (meeting_id, user_id) VALUES ('m-v3', 1), ('m-v3', 2);"
  "INSERT INTO access (seq, user_id, meeting_id, visible) VALUES (3, 2, 'm-v3', 1);"
  "INSERT INTO items (id, meeting_id, parent_id, position, number, title, version)"
  "  VALUES ('i-v3', 'm-v3', NULL, 0, '1', 'Báo cáo', 4);"
  "INSERT INTO documents (id, meeting_id, item_id, position, title, media_type, sha256, size, pages, version)"
  "  VALUES ('d-v3', 'm-v3', 'i-v3', 0, 'Tờ trình', 'application/pdf',"
  "          '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', 4, 1, 5);"
  "UPDATE sequence SET value = 5 WHERE id = 1;";

static void
exec_sql (sqlite3    *db,
          const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
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
make_v3_database (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *rows = NULL;
  sqlite3 *db = NULL;

  g_assert_true (docket_server_auth_init (&error));
  hash = docket_server_auth_hash_password (v3_password, &error);
  g_assert_no_error (error);
  /* An Argon2id hash is "$argon2id$v=19$...": no quote in it. */
  g_assert_null (strchr (hash, '\''));
  rows = g_strdup_printf (v3_rows_sql, hash);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  exec_sql (db, "PRAGMA journal_mode = WAL");
  exec_sql (db, v3_step1_sql);
  exec_sql (db, v3_step2_sql);
  exec_sql (db, v3_step3_sql);
  exec_sql (db, rows);
  sqlite3_close (db);
}

static char *
sql_text (DocketTestServer *server,
          const char       *sql)
{
  return docket_test_server_sql_text (server, sql);
}

static void
assert_sql (DocketTestServer *server,
            const char       *sql,
            const char       *expected)
{
  g_autofree char *value = sql_text (server, sql);

  g_test_message ("%s -> %s", sql, value);
  g_assert_cmpstr (value, ==, expected);
}

static void
test_v3_database_upgraded (void)
{
  DocketTestServer *server = docket_test_server_start (FALSE);
  g_autofree char *db_path = g_build_filename (docket_test_server_get_data_dir (server),
                                               "docket-server.db", NULL);
  g_autofree char *token = NULL;
  g_autofree char *cursor = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  DocketChange *change;
  DocketMeetingRecord *meeting;

  docket_test_server_kill (server);
  remove_database_files (db_path);
  make_v3_database (db_path);
  docket_test_server_restart (server);

  /* Upgraded to the last version, in place. */
  {
    g_autofree char *expected = g_strdup_printf ("%d", DOCKET_SERVER_DB_SCHEMA_VERSION);

    assert_sql (server, "PRAGMA user_version", expected);
  }
  g_assert_cmpint (DOCKET_SERVER_DB_SCHEMA_VERSION, >=, 4);

  /* Every row kept, the participants members, the meeting's rule a majority. */
  assert_sql (server, "SELECT count(*) FROM users", "2");
  assert_sql (server, "SELECT group_concat (meeting_role, ',') FROM"
                      " (SELECT meeting_role FROM participants ORDER BY user_id)", "member,member");
  assert_sql (server, "SELECT quorum || ' ' || version || ' ' || title FROM meetings",
              "majority 3 Kỳ họp phiên bản 3");
  assert_sql (server, "SELECT count(*) FROM items WHERE id = 'i-v3' AND version = 4", "1");
  assert_sql (server, "SELECT count(*) FROM documents WHERE id = 'd-v3' AND version = 5", "1");
  assert_sql (server, "SELECT value FROM sequence", "5");

  /* The live tables and their indexes are there, empty. */
  assert_sql (server, "SELECT (SELECT count(*) FROM meeting_states) + (SELECT count(*) FROM attendance)"
                      " + (SELECT count(*) FROM attendance_log) + (SELECT count(*) FROM speeches)", "0");
  assert_sql (server, "SELECT group_concat (name, ',') FROM (SELECT name FROM sqlite_master"
                      " WHERE type = 'index' AND name IN ('meeting_states_version', 'attendance_version',"
                      " 'attendance_log_meeting', 'speeches_version', 'speeches_meeting') ORDER BY name)",
              "attendance_log_meeting,attendance_version,meeting_states_version,speeches_meeting,"
              "speeches_version");

  /* The official signs in and gets the meeting, as before. */
  token = docket_test_sign_in (server, "daibieu", v3_password);
  changes = sync_since (server, token, &cursor);
  change = find_change (changes, DOCKET_CHANGE_MEETING, "m-v3");
  g_assert_nonnull (change);
  meeting = change->record;
  g_assert_cmpuint (meeting->participants->len, ==, 2);
  g_assert_cmpint (meeting->quorum, ==, DOCKET_QUORUM_MAJORITY);
  for (guint i = 0; i < meeting->participants->len; i++)
    g_assert_cmpint (((DocketParticipant *) g_ptr_array_index (meeting->participants, i))->meeting_role,
                     ==, DOCKET_MEETING_ROLE_MEMBER);
  g_assert_nonnull (find_change (changes, DOCKET_CHANGE_AGENDA_ITEM, "i-v3"));
  g_assert_nonnull (find_change (changes, DOCKET_CHANGE_DOCUMENT, "d-v3"));
  g_assert_true (g_str_has_suffix (cursor, "-5"));

  docket_test_server_stop (server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/server/live-schema/v3-upgraded", test_v3_database_upgraded);
  return g_test_run ();
}
