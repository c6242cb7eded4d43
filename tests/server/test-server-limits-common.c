/* test-server-limits-common.c: the helpers the tests of test-server-limits*.c share (see
 * test-server-limits-common.h)
 */
#include "config.h"

#include <string.h>
#include <sqlite3.h>

#include "test-server-limits-common.h"

/* ---- HTTP ------------------------------------------------------------------------- */

/* METHOD path with a JSON body (may be NULL); *out_json gets the answer (NULL if none). */
guint
call_json (DocketTestServer  *server,
           const char        *method,
           const char        *path,
           const char        *token,
           const char        *json,
           JsonNode         **out_json)
{
  g_autofree char *url = g_strconcat (docket_test_server_get_url (server), path, NULL);
  g_autoptr(GBytes) body = json ? g_bytes_new (json, strlen (json)) : NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize size;
  const char *data;
  guint status;

  status = docket_test_http (method, url, token, "application/json", body, &answer);
  data = g_bytes_get_data (answer, &size);
  *out_json = NULL;
  if (size > 0 && json_parser_load_from_data (parser, data, (gssize) size, NULL))
    *out_json = json_parser_steal_root (parser);
  return status;
}

/* Calls and asserts a 2xx answer; returns it. */
JsonNode *
call_ok (DocketTestServer *server,
         const char       *method,
         const char       *path,
         const char       *token,
         const char       *json)
{
  JsonNode *root = NULL;
  guint status = call_json (server, method, path, token, json, &root);

  if (status < 200 || status > 299)
    g_error ("%s %s: %u %s", method, path, status,
             root ? json_to_string (root, FALSE) : "(no JSON)");
  return root;
}

char *
created_id (DocketTestServer *server,
            const char       *path,
            const char       *token,
            const char       *json)
{
  g_autoptr(JsonNode) root = call_ok (server, "POST", path, token, json);

  return g_strdup (json_object_get_string_member (json_node_get_object (root), "id"));
}

/* A JSON string of n times unit (a UTF-8 character). */
char *
quoted_repeat (const char *unit,
               gsize       n)
{
  GString *text = g_string_new ("\"");

  for (gsize i = 0; i < n; i++)
    g_string_append (text, unit);
  g_string_append_c (text, '"');
  return g_string_free (text, FALSE);
}

char *
repeat (char  c,
        gsize n)
{
  return g_strnfill (n, c);
}

/* ---- the feed, as a client reads it ----------------------------------------------- */

/* One page since cursor, through the client's strict reader (which must accept it). */
DocketChangesPage *
get_page (DocketTestServer *server,
          const char       *token,
          const char       *since)
{
  g_autofree char *path = since ? g_strdup_printf ("/api/v1/changes?since=%s&limit=1000", since)
                                : g_strdup ("/api/v1/changes?limit=1000");
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  DocketChangesPage *page;

  g_assert_cmpuint (call_json (server, "GET", path, token, NULL, &root), ==, 200);
  page = docket_changes_page_from_json (root, &error);
  g_assert_no_error (error);
  return page;
}

/* Every change since *cursor (NULL: from the start), which moves to the end. */
GPtrArray *
sync_since (DocketTestServer  *server,
            const char        *token,
            char             **cursor)
{
  GPtrArray *changes = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_change_free);

  for (guint round = 0; round < 10000; round++)
    {
      g_autoptr(DocketChangesPage) page = get_page (server, token, *cursor);

      g_free (*cursor);
      *cursor = g_strdup (page->cursor);
      while (page->changes->len > 0)
        g_ptr_array_add (changes, g_ptr_array_steal_index (page->changes, 0));
      if (!page->more)
        return changes;
    }
  g_assert_not_reached ();
}

char *
cursor_now (DocketTestServer *server,
            const char       *token)
{
  char *cursor = NULL;
  g_autoptr(GPtrArray) changes = sync_since (server, token, &cursor);

  return cursor;
}

/* The record of the change of id since *cursor (asserted there), read as a client reads
 * it; *cursor moves on. Free it with the changes, which the caller gets. */
gpointer
synced_record (DocketTestServer  *server,
               const char        *token,
               char             **cursor,
               DocketChangeType   type,
               const char        *id,
               GPtrArray        **out_changes)
{
  GPtrArray *changes = sync_since (server, token, cursor);

  *out_changes = changes;
  for (guint i = 0; i < changes->len; i++)
    {
      DocketChange *change = g_ptr_array_index (changes, i);

      if (change->type == type && g_str_equal (change->id, id) && !change->deleted)
        return change->record;
    }
  g_error ("no change of %s in the feed", id);
}

/* Nothing changed since cursor: same cursor, no changes. */
void
assert_unchanged (DocketTestServer *server,
                  const char       *token,
                  const char       *cursor)
{
  g_autoptr(DocketChangesPage) page = get_page (server, token, cursor);

  g_assert_cmpstr (page->cursor, ==, cursor);
  g_assert_false (page->more);
  g_assert_cmpuint (page->changes->len, ==, 0);
}

/* The write is refused with status and code, a message that names field, and nothing
 * changes. */
void
expect_refused (DocketTestServer *server,
                const char       *token,
                const char       *cursor,
                const char       *method,
                const char       *path,
                const char       *json,
                guint             expected_status,
                const char       *expected_code,
                const char       *field)
{
  g_autoptr(JsonNode) root = NULL;
  guint status = call_json (server, method, path, token, json, &root);
  JsonObject *object;
  const char *message;

  g_test_message ("%s %s (%s) -> %u", method, path, field, status);
  g_assert_cmpuint (status, ==, expected_status);
  g_assert_nonnull (root);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  object = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member_with_default (object, "error", NULL), ==,
                   expected_code);
  message = json_object_get_string_member_with_default (object, "message", NULL);
  g_assert_nonnull (message);
  if (field != NULL && strstr (message, field) == NULL)
    g_error ("the message does not name %s: %s", field, message);
  g_assert_cmpuint (strlen (message), <=, DOCKET_MAX_ERROR_MESSAGE_BYTES);

  assert_unchanged (server, token, cursor);
}

/* ---- the server's database, for set-ups too large to make over HTTP --------------- */

/* Runs sql on the running server's database (WAL: the server keeps serving). Only for
 * set-ups that would take minutes through the API (thousands of users, each with an
 * Argon2 hash; a hundred thousand agenda items); the writes under test go through HTTP. */
void
run_sql (DocketTestServer *server,
         const char       *sql,
         const char       *text_1)
{
  g_autofree char *path = g_build_filename (docket_test_server_get_data_dir (server),
                                            "docket-server.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (text_1 != NULL)
    sqlite3_bind_text (stmt, 1, text_1, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

/* One number from the running server's database. */
gint64
sql_number (DocketTestServer *server,
            const char       *sql,
            const char       *text_1)
{
  g_autofree char *path = g_build_filename (docket_test_server_get_data_dir (server),
                                            "docket-server.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (text_1 != NULL)
    sqlite3_bind_text (stmt, 1, text_1, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

/* A refusal when the feed of a hundred thousand items is too slow to ask for (its pages
 * are computed from every item of a meeting): the status and error as expect_refused (),
 * and nothing written: the sequence, which every write takes a number of, and the items
 * of the meeting stay as they were. */
void
expect_refused_in_database (DocketTestServer *server,
                            const char       *token,
                            const char       *meeting_id,
                            const char       *method,
                            const char       *path,
                            const char       *json,
                            guint             expected_status,
                            const char       *expected_code,
                            const char       *field)
{
  const char *seq_sql = "SELECT value FROM sequence";
  const char *items_sql = "SELECT COUNT (*) FROM items WHERE meeting_id = ?1";
  gint64 seq = sql_number (server, seq_sql, NULL);
  gint64 items = sql_number (server, items_sql, meeting_id);
  g_autoptr(JsonNode) root = NULL;
  guint status = call_json (server, method, path, token, json, &root);
  const char *message;

  g_test_message ("%s %s (%s) -> %u", method, path, field, status);
  g_assert_cmpuint (status, ==, expected_status);
  g_assert_nonnull (root);
  g_assert_cmpstr (json_object_get_string_member_with_default (json_node_get_object (root), "error", NULL),
                   ==, expected_code);
  message = json_object_get_string_member_with_default (json_node_get_object (root), "message", "");
  if (strstr (message, field) == NULL)
    g_error ("the message does not name %s: %s", field, message);

  g_assert_cmpint (sql_number (server, seq_sql, NULL), ==, seq);
  g_assert_cmpint (sql_number (server, items_sql, meeting_id), ==, items);
}

char *
create_meeting (DocketTestServer *server,
                const char       *token)
{
  return created_id (server, "/api/v1/meetings", token,
                     "{\"title\": \"Phiên họp\", " MEETING_TIMES ","
                     " \"time_zone\": \"Asia/Ho_Chi_Minh\"}");
}

/* The id of the first document the secretary sees in the demo. */
char *
first_document (DocketTestServer *server,
                const char       *token)
{
  char *cursor = NULL;
  g_autoptr(GPtrArray) changes = sync_since (server, token, &cursor);

  g_free (cursor);
  for (guint i = 0; i < changes->len; i++)
    {
      DocketChange *change = g_ptr_array_index (changes, i);

      if (change->type == DOCKET_CHANGE_DOCUMENT && !change->deleted)
        return g_strdup (change->id);
    }
  g_assert_not_reached ();
}
