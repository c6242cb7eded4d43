/* test-server-common.c: the helpers the tests of test-server*.c share (see
 * test-server-common.h)
 */
#include "config.h"

#include <string.h>
#include <sqlite3.h>
#include <libsoup/soup.h>

#include "test-server-common.h"

/* HTTP helpers */

guint
call (DocketTestServer  *server,
      const char        *method,
      const char        *path,
      const char        *token,
      const char        *content_type,
      GBytes            *body,
      JsonNode         **out_json)
{
  g_autofree char *url = g_strconcat (docket_test_server_get_url (server), path, NULL);
  g_autoptr(GBytes) answer = NULL;
  guint status;
  gsize size;
  const char *data;

  status = docket_test_http (method, url, token, content_type, body, &answer);
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

guint
call_json (DocketTestServer  *server,
           const char        *method,
           const char        *path,
           const char        *token,
           const char        *json,
           JsonNode         **out_json)
{
  g_autoptr(GBytes) body = json ? g_bytes_new (json, strlen (json)) : NULL;

  return call (server, method, path, token, "application/json", body, out_json);
}

void
assert_error (guint       status,
              JsonNode   *root,
              guint       expected_status,
              const char *expected_code)
{
  JsonObject *object;

  g_assert_cmpuint (status, ==, expected_status);
  g_assert_nonnull (root);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  object = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member_with_default (object, "error", NULL), ==,
                   expected_code);
  g_assert_nonnull (json_object_get_string_member_with_default (object, "message", NULL));
}

/* Calls and asserts the error; frees the answer. */
void
expect_error (DocketTestServer *server,
              const char       *method,
              const char       *path,
              const char       *token,
              const char       *json,
              guint             expected_status,
              const char       *expected_code)
{
  g_autoptr(JsonNode) root = NULL;
  guint status = call_json (server, method, path, token, json, &root);

  g_test_message ("%s %s -> %u", method, path, status);
  assert_error (status, root, expected_status, expected_code);
}

const char *
member_string (JsonNode   *root,
               const char *name)
{
  return json_object_get_string_member (json_node_get_object (root), name);
}

/* The change feed */

DocketChangesPage *
get_changes (DocketTestServer *server,
             const char       *token,
             const char       *since,
             guint             limit)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) path = g_string_new ("/api/v1/changes?");
  DocketChangesPage *page;

  if (since != NULL)
    g_string_append_printf (path, "since=%s&", since);
  if (limit > 0)
    g_string_append_printf (path, "limit=%u", limit);
  g_assert_cmpuint (call_json (server, "GET", path->str, token, NULL, &root), ==, 200);
  /* The client's strict codec must accept every page. */
  page = docket_changes_page_from_json (root, &error);
  g_assert_no_error (error);
  return page;
}

/* Syncs from since to the end, following "more"; returns the last cursor and appends
 * every change to all (if not NULL). */
char *
sync_all (DocketTestServer *server,
          const char       *token,
          const char       *since,
          guint             limit,
          GPtrArray        *all)
{
  g_autofree char *cursor = g_strdup (since);

  for (guint round = 0; round < 1000; round++)
    {
      g_autoptr(DocketChangesPage) page = get_changes (server, token, cursor, limit);

      g_free (cursor);
      cursor = g_strdup (page->cursor);
      if (all != NULL)
        while (page->changes->len > 0)
          g_ptr_array_add (all, g_ptr_array_steal_index (page->changes, 0));
      if (!page->more)
        return g_steal_pointer (&cursor);
    }
  g_assert_not_reached ();
}

/* Everything token's user sees that changed since *cursor, which moves past it. */
GPtrArray *
sync_since (DocketTestServer  *server,
            const char        *token,
            char             **cursor)
{
  GPtrArray *changes = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_change_free);
  char *next = sync_all (server, token, *cursor, 0, changes);

  g_free (*cursor);
  *cursor = next;
  return changes;
}

/* Nothing changed since cursor, for this user: same cursor, no changes. */
void
assert_unchanged (DocketTestServer *server,
                  const char       *token,
                  const char       *cursor)
{
  g_autoptr(DocketChangesPage) page = get_changes (server, token, cursor, 0);

  g_assert_cmpstr (page->cursor, ==, cursor);
  g_assert_false (page->more);
  g_assert_cmpuint (page->changes->len, ==, 0);
}

/* Other things changed, but nothing this user sees: no changes, a new cursor. */
void
assert_nothing_new (DocketTestServer  *server,
                    const char        *token,
                    char             **cursor)
{
  g_autoptr(DocketChangesPage) page = get_changes (server, token, *cursor, 0);

  g_assert_false (page->more);
  g_assert_cmpuint (page->changes->len, ==, 0);
  g_free (*cursor);
  *cursor = g_strdup (page->cursor);
}

DocketChange *
find_change (GPtrArray        *changes,
             DocketChangeType  type,
             const char       *id)
{
  for (guint i = 0; i < changes->len; i++)
    {
      DocketChange *change = g_ptr_array_index (changes, i);

      if (change->type == type && g_str_equal (change->id, id))
        return change;
    }
  return NULL;
}

guint
count_changes (GPtrArray        *changes,
               DocketChangeType  type,
               gboolean          deleted)
{
  guint n = 0;

  for (guint i = 0; i < changes->len; i++)
    {
      DocketChange *change = g_ptr_array_index (changes, i);

      n += change->type == type && change->deleted == deleted;
    }
  return n;
}

/* The ids of the demo meetings, as the secretary sees them, by title prefix. */
char *
meeting_id_by_title (GPtrArray  *changes,
                     const char *prefix)
{
  for (guint i = 0; i < changes->len; i++)
    {
      DocketChange *change = g_ptr_array_index (changes, i);

      if (change->type == DOCKET_CHANGE_MEETING && !change->deleted &&
          g_str_has_prefix (((DocketMeetingRecord *) change->record)->title, prefix))
        return g_strdup (change->id);
    }
  g_assert_not_reached ();
}


char *
run_sql_text (DocketTestServer *server,
              const char       *sql)
{
  g_autofree char *path = g_build_filename (docket_test_server_get_data_dir (server),
                                            "docket-server.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *result = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    result = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return result;
}

guint
count_blobs (DocketTestServer *server)
{
  g_autofree char *root = g_build_filename (docket_test_server_get_data_dir (server), "blobs", NULL);
  g_autoptr(GDir) dir = g_dir_open (root, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *sub = g_build_filename (root, name, NULL);
      g_autoptr(GDir) inner = g_dir_open (sub, 0, NULL);

      while (inner != NULL && g_dir_read_name (inner) != NULL)
        n++;
    }
  return n;
}

/* ---- annotations and notes ------------------------------------------------------------ */

/* A document and an agenda item of the meeting titled prefix, from a feed. */
DocketDocumentRecord *
document_of_meeting (GPtrArray  *changes,
                     const char *meeting_id)
{
  for (guint i = 0; i < changes->len; i++)
    {
      DocketChange *change = g_ptr_array_index (changes, i);

      if (change->type == DOCKET_CHANGE_DOCUMENT && !change->deleted &&
          g_str_equal (((DocketDocumentRecord *) change->record)->meeting_id, meeting_id))
        return change->record;
    }
  g_assert_not_reached ();
}

DocketAgendaItemRecord *
item_of_meeting (GPtrArray  *changes,
                 const char *meeting_id)
{
  for (guint i = 0; i < changes->len; i++)
    {
      DocketChange *change = g_ptr_array_index (changes, i);

      if (change->type == DOCKET_CHANGE_AGENDA_ITEM && !change->deleted &&
          g_str_equal (((DocketAgendaItemRecord *) change->record)->meeting_id, meeting_id))
        return change->record;
    }
  g_assert_not_reached ();
}

/* json with member field's value replaced by the raw JSON text raw. */
char *
mutate_json (const char *json,
             const char *field,
             const char *raw)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *text = NULL;
  g_auto(GStrv) parts = NULL;

  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  json_object_set_string_member (json_node_get_object (json_parser_get_root (parser)), field, "@@MARK@@");
  text = json_to_string (json_parser_get_root (parser), FALSE);
  parts = g_strsplit (text, "\"@@MARK@@\"", 2);
  g_assert_cmpuint (g_strv_length (parts), ==, 2);
  return g_strconcat (parts[0], raw, parts[1], NULL);
}

char *
annotation_json (const char *id,
                 const char *document_id,
                 int         page,
                 const char *color)
{
  return g_strdup_printf ("{\"id\": \"%s\", \"document_id\": \"%s\", \"page\": %d,"
                          " \"kind\": \"ink\", \"color\": \"%s\","
                          " \"geometry\": {\"width\": 2.5, \"strokes\": [[10, 20, 30.5, 40], [50, 60]]},"
                          " \"contents\": \"Xem lại\", \"created_at\": 1700000000000,"
                          " \"updated_at\": 0, \"revision\": 0}",
                          id, document_id, page, color);
}

char *
put_annotation_body (const char *op_id,
                     const char *annotation)
{
  return g_strdup_printf ("{\"op_id\": \"%s\", \"annotation\": %s}", op_id, annotation);
}

char *
note_body (const char *op_id,
           const char *target,
           const char *target_id,
           const char *text)
{
  return g_strdup_printf ("{\"op_id\": \"%s\", \"note\": {\"target\": \"%s\", \"target_id\": \"%s\","
                          " \"text\": \"%s\", \"updated_at\": 0, \"revision\": 0}}",
                          op_id, target, target_id, text);
}

/* PUTs an annotation and returns the record the server answered. */
DocketAnnotationRecord *
put_annotation (DocketTestServer *server,
                const char       *token,
                const char       *id,
                const char       *op_id,
                const char       *json,
                guint             expected_status)
{
  g_autofree char *path = g_strconcat ("/api/v1/annotations/", id, NULL);
  g_autofree char *body = put_annotation_body (op_id, json);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  DocketAnnotationRecord *record;

  g_assert_cmpuint (call_json (server, "PUT", path, token, body, &root), ==, expected_status);
  record = docket_annotation_record_from_json (json_object_get_member (json_node_get_object (root),
                                                                       "annotation"), &error);
  g_assert_no_error (error);
  return record;
}

/* Whatever else changed for token's user, none of it is an annotation or a note. */
void
assert_no_own_data (DocketTestServer  *server,
                    const char        *token,
                    char             **cursor)
{
  g_autoptr(GPtrArray) changes = sync_since (server, token, cursor);

  g_assert_cmpuint (count_changes (changes, DOCKET_CHANGE_ANNOTATION, FALSE) +
                    count_changes (changes, DOCKET_CHANGE_ANNOTATION, TRUE) +
                    count_changes (changes, DOCKET_CHANGE_NOTE, FALSE) +
                    count_changes (changes, DOCKET_CHANGE_NOTE, TRUE), ==, 0);
}

char *
count_rows (DocketTestServer *server,
            const char       *sql)
{
  return run_sql_text (server, sql);
}
