/* test-server.c: the real docket-server, over HTTP, against docs/protocol.md
 *
 * Every test starts the real binary on a random loopback port with a fresh data folder
 * (tests/lib). Bad requests are checked for their status and JSON error, and for leaving
 * everything as it was: the change feed's cursor does not move.
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
#include "docket-test-util.h"

/* HTTP helpers */

static guint
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

static guint
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

static void
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
static void
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

static const char *
member_string (JsonNode   *root,
               const char *name)
{
  return json_object_get_string_member (json_node_get_object (root), name);
}

/* The change feed */

static DocketChangesPage *
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
static char *
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
static GPtrArray *
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
static void
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
static void
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

static DocketChange *
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

static guint
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
static char *
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

/* The demo's meeting that daibieu5 may not see. */
#define HIDDEN_MEETING "Phiên họp Thường trực"
#define TODAY_MEETING  "Kỳ họp thứ 12"

static char *
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

/* Tests */

static void
test_info (void)
{
  DocketTestServer *server = docket_test_server_start (FALSE);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;

  g_assert_cmpuint (call_json (server, "GET", "/api/v1/info", NULL, NULL, &root), ==, 200);
  object = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (object, "server"), ==, "docket-server");
  g_assert_cmpint (json_object_get_int_member (object, "api"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (object, "max_upload_bytes"), ==, 104857600);
  {
    JsonArray *capabilities = json_object_get_array_member (object, "capabilities");
    static const char * const expected[] = { "changes", "documents.range", "manage", "annotations", "notes" };

    g_assert_cmpuint (json_array_get_length (capabilities), ==, G_N_ELEMENTS (expected));
    for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
      g_assert_cmpstr (json_array_get_string_element (capabilities, i), ==, expected[i]);
  }

  /* Unknown paths and methods: JSON errors. */
  expect_error (server, "GET", "/nothing", NULL, NULL, 404, "not_found");
  expect_error (server, "GET", "/api/v1/nothing", NULL, NULL, 404, "not_found");
  expect_error (server, "GET", "/api/v1/documents/a.b/content", NULL, NULL, 404, "not_found");
  expect_error (server, "DELETE", "/api/v1/info", NULL, NULL, 405, "method_not_allowed");
  g_assert_cmpuint (docket_test_server_wait_for_requests (server, "GET", "/api/v1/info", 1), ==, 1);

  docket_test_server_stop (server);
}

static void
test_sign_in (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autoptr(JsonNode) wrong = NULL;
  g_autoptr(JsonNode) unknown = NULL;
  g_autoptr(JsonNode) me = NULL;
  g_autofree char *wrong_text = NULL;
  g_autofree char *unknown_text = NULL;
  g_autofree char *token = NULL;
  g_autofree char *token2 = NULL;
  g_autofree char *out = NULL;
  guint wrong_status, unknown_status;

  /* A wrong password and an unknown user: the same answer. */
  wrong_status = call_json (server, "POST", "/api/v1/session", NULL,
                            "{\"username\": \"daibieu1\", \"password\": \"sai-mat-khau\"}", &wrong);
  unknown_status = call_json (server, "POST", "/api/v1/session", NULL,
                              "{\"username\": \"khongco\", \"password\": \"sai-mat-khau\"}", &unknown);
  assert_error (wrong_status, wrong, 401, "invalid_credentials");
  g_assert_cmpuint (unknown_status, ==, wrong_status);
  wrong_text = json_to_string (wrong, FALSE);
  unknown_text = json_to_string (unknown, FALSE);
  g_assert_cmpstr (wrong_text, ==, unknown_text);

  /* Malformed sign-ins */
  expect_error (server, "POST", "/api/v1/session", NULL, "{\"username\": ", 400, "bad_request");
  expect_error (server, "POST", "/api/v1/session", NULL, "[1, 2]", 400, "bad_request");
  expect_error (server, "POST", "/api/v1/session", NULL,
                "{\"username\": 12, \"password\": \"x\"}", 400, "invalid_field");

  /* Success, and the token works. */
  token = docket_test_sign_in (server, "daibieu1", NULL);
  g_assert_cmpuint (strlen (token), ==, 43);   /* 256 bits, base64url, unpadded */
  g_assert_cmpuint (call_json (server, "GET", "/api/v1/session", token, NULL, &me), ==, 200);
  g_assert_cmpstr (member_string (me, "username"), ==, "daibieu1");
  g_assert_cmpstr (member_string (me, "role"), ==, "official");
  g_assert_cmpstr (member_string (me, "organ"), ==, "HĐND tỉnh");
  g_assert_cmpstr (member_string (me, "display_name"), ==, "Nguyễn Văn Hùng");

  /* Missing and bad tokens */
  expect_error (server, "GET", "/api/v1/session", NULL, NULL, 401, "unauthorized");
  expect_error (server, "GET", "/api/v1/changes", NULL, NULL, 401, "unauthorized");
  expect_error (server, "GET", "/api/v1/changes", "not-a-token", NULL, 401, "unauthorized");

  /* Sign-out revokes the token. */
  g_assert_cmpuint (call_json (server, "DELETE", "/api/v1/session", token, NULL, NULL), ==, 204);
  expect_error (server, "GET", "/api/v1/session", token, NULL, 401, "unauthorized");
  expect_error (server, "GET", "/api/v1/changes", token, NULL, 401, "unauthorized");

  /* An expired token */
  token2 = docket_test_sign_in (server, "daibieu2", NULL);
  g_assert_cmpuint (call_json (server, "GET", "/api/v1/changes", token2, NULL, NULL), ==, 200);
  g_free (run_sql_text (server, "UPDATE tokens SET expires_at = 1"));
  expect_error (server, "GET", "/api/v1/changes", token2, NULL, 401, "unauthorized");

  /* A disabled user: tokens stop working, and sign-in fails. */
  g_clear_pointer (&token2, g_free);
  token2 = docket_test_sign_in (server, "daibieu3", NULL);
  g_assert_cmpint (docket_test_server_admin (server, NULL, &out, "user", "disable", "daibieu3", NULL), ==, 0);
  expect_error (server, "GET", "/api/v1/session", token2, NULL, 401, "unauthorized");
  {
    g_autofree char *json = g_strdup_printf ("{\"username\": \"daibieu3\", \"password\": \"%s\"}",
                                             docket_test_server_get_password (server, "daibieu3"));

    expect_error (server, "POST", "/api/v1/session", NULL, json, 401, "invalid_credentials");
  }

  docket_test_server_stop (server);
}

static void
test_rate_limit (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *good = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *url = g_strconcat (docket_test_server_get_url (server), "/api/v1/session", NULL);
  guint status;

  for (int i = 0; i < 5; i++)
    expect_error (server, "POST", "/api/v1/session", NULL,
                  "{\"username\": \"daibieu4\", \"password\": \"sai\"}", 401, "invalid_credentials");

  /* Now even the right password is refused, with Retry-After. */
  good = g_strdup_printf ("{\"username\": \"daibieu4\", \"password\": \"%s\"}",
                          docket_test_server_get_password (server, "daibieu4"));
  status = call_json (server, "POST", "/api/v1/session", NULL, good, &root);
  assert_error (status, root, 429, "too_many_attempts");

  /* The header, read with libsoup directly. */
  {
    g_autoptr(SoupSession) session = soup_session_new ();
    g_autoptr(SoupMessage) message = soup_message_new ("POST", url);
    g_autoptr(GBytes) body = g_bytes_new (good, strlen (good));
    const char *retry_after;
    guint64 seconds = 0;

    soup_message_set_request_body_from_bytes (message, "application/json", body);
    answer = soup_session_send_and_read (session, message, NULL, NULL);
    g_assert_cmpuint (soup_message_get_status (message), ==, 429);
    retry_after = soup_message_headers_get_one (soup_message_get_response_headers (message),
                                                "Retry-After");
    g_assert_nonnull (retry_after);
    g_assert_true (g_ascii_string_to_unsigned (retry_after, 10, 1, 3600, &seconds, NULL));
  }

  docket_test_server_stop (server);
}

static void
test_feed (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *official = docket_test_sign_in (server, "daibieu1", NULL);
  g_autofree char *outsider = docket_test_sign_in (server, "daibieu5", NULL);
  g_autofree char *secretary = docket_test_sign_in (server, "thuky", NULL);
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_change_free);
  g_autoptr(GPtrArray) paged = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_change_free);
  g_autoptr(GPtrArray) secretary_all = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_change_free);
  g_autoptr(GPtrArray) outsider_all = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_change_free);
  g_autofree char *cursor = NULL;
  g_autofree char *paged_cursor = NULL;
  g_autofree char *secretary_cursor = NULL;
  g_autofree char *outsider_cursor = NULL;
  g_autofree char *hidden = NULL;

  /* Full feed of an official: 3 meetings, their items and documents. */
  cursor = sync_all (server, official, NULL, 0, all);
  g_assert_cmpuint (count_changes (all, DOCKET_CHANGE_MEETING, FALSE), ==, 3);
  g_assert_cmpuint (count_changes (all, DOCKET_CHANGE_AGENDA_ITEM, FALSE), >=, 8);
  g_assert_cmpuint (count_changes (all, DOCKET_CHANGE_DOCUMENT, FALSE), >=, 10);
  assert_unchanged (server, official, cursor);

  /* Parents come before their children. */
  {
    g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

    for (guint i = 0; i < all->len; i++)
      {
        DocketChange *change = g_ptr_array_index (all, i);

        if (change->type == DOCKET_CHANGE_AGENDA_ITEM)
          {
            DocketAgendaItemRecord *item = change->record;

            g_assert_true (g_hash_table_contains (seen, item->meeting_id));
            g_assert_true (item->parent_id == NULL || g_hash_table_contains (seen, item->parent_id));
          }
        else if (change->type == DOCKET_CHANGE_DOCUMENT)
          g_assert_true (g_hash_table_contains (seen, ((DocketDocumentRecord *) change->record)->item_id));
        g_hash_table_add (seen, change->id);
      }
  }

  /* Paging: small pages give the same changes and the same final cursor. */
  paged_cursor = sync_all (server, official, NULL, 3, paged);
  g_assert_cmpstr (paged_cursor, ==, cursor);
  {
    g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
    g_autoptr(GHashTable) paged_ids = g_hash_table_new (g_str_hash, g_str_equal);

    for (guint i = 0; i < all->len; i++)
      g_hash_table_add (ids, ((DocketChange *) g_ptr_array_index (all, i))->id);
    for (guint i = 0; i < paged->len; i++)
      {
        const char *id = ((DocketChange *) g_ptr_array_index (paged, i))->id;

        g_assert_true (g_hash_table_contains (ids, id));
        g_hash_table_add (paged_ids, (gpointer) id);
      }
    g_assert_cmpuint (g_hash_table_size (paged_ids), ==, g_hash_table_size (ids));
    /* Pages do not send again what an earlier page sent. */
    g_assert_cmpuint (paged->len, ==, all->len);
  }
  {
    g_autoptr(DocketChangesPage) first = get_changes (server, official, NULL, 1);

    g_assert_true (first->more);
    g_assert_cmpuint (first->changes->len, ==, 1);
  }

  /* The secretary sees all four... and daibieu5 never sees the hidden meeting. */
  secretary_cursor = sync_all (server, secretary, NULL, 0, secretary_all);
  g_assert_cmpuint (count_changes (secretary_all, DOCKET_CHANGE_MEETING, FALSE), ==, 3);
  hidden = meeting_id_by_title (secretary_all, HIDDEN_MEETING);
  outsider_cursor = sync_all (server, outsider, NULL, 0, outsider_all);
  g_assert_cmpuint (count_changes (outsider_all, DOCKET_CHANGE_MEETING, FALSE), ==, 2);
  g_assert_null (find_change (outsider_all, DOCKET_CHANGE_MEETING, hidden));
  for (guint i = 0; i < outsider_all->len; i++)
    {
      DocketChange *change = g_ptr_array_index (outsider_all, i);

      if (change->type == DOCKET_CHANGE_AGENDA_ITEM)
        g_assert_cmpstr (((DocketAgendaItemRecord *) change->record)->meeting_id, !=, hidden);
      else if (change->type == DOCKET_CHANGE_DOCUMENT)
        g_assert_cmpstr (((DocketDocumentRecord *) change->record)->meeting_id, !=, hidden);
    }
  {
    g_autofree char *path = NULL;
    DocketChange *doc = NULL;

    /* ...nor its documents' content. */
    for (guint i = 0; i < secretary_all->len && doc == NULL; i++)
      {
        DocketChange *change = g_ptr_array_index (secretary_all, i);

        if (change->type == DOCKET_CHANGE_DOCUMENT &&
            g_str_equal (((DocketDocumentRecord *) change->record)->meeting_id, hidden))
          doc = change;
      }
    g_assert_nonnull (doc);
    path = g_strdup_printf ("/api/v1/documents/%s/content", doc->id);
    expect_error (server, "GET", path, outsider, NULL, 404, "not_found");
  }

  /* Changes of a meeting daibieu5 does not see leave their cursor where it is... */
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/meetings/%s", hidden);
    g_autoptr(GPtrArray) changes = NULL;

    g_assert_cmpuint (call_json (server, "PATCH", path, secretary,
                                 "{\"location\": \"Phòng họp số 3\"}", NULL), ==, 200);
    changes = sync_since (server, outsider, &outsider_cursor);
    g_assert_cmpuint (changes->len, ==, 0);
  }

  /* ...until they are added: then the whole meeting comes, old items and documents too. */
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/meetings/%s/participants/daibieu5", hidden);
    g_autoptr(GPtrArray) changes = NULL;
    DocketChange *meeting;

    g_assert_cmpuint (call_json (server, "PUT", path, secretary, NULL, NULL), ==, 204);
    /* Idempotent */
    g_assert_cmpuint (call_json (server, "PUT", path, secretary, NULL, NULL), ==, 204);
    {
      g_autoptr(DocketChangesPage) page = get_changes (server, outsider, outsider_cursor, 1);

      /* A meeting that becomes visible comes whole, but never past limit: over as many
       * pages as it takes, the meeting first (test-server-feed.c goes further). */
      g_assert_cmpuint (page->changes->len, ==, 1);
      g_assert_cmpint (((DocketChange *) g_ptr_array_index (page->changes, 0))->type, ==,
                       DOCKET_CHANGE_MEETING);
      g_assert_true (page->more);
    }
    changes = sync_since (server, outsider, &outsider_cursor);
    meeting = find_change (changes, DOCKET_CHANGE_MEETING, hidden);
    g_assert_nonnull (meeting);
    g_assert_false (meeting->deleted);
    g_assert_cmpuint (count_changes (changes, DOCKET_CHANGE_AGENDA_ITEM, FALSE), ==, 2);
    g_assert_cmpuint (count_changes (changes, DOCKET_CHANGE_DOCUMENT, FALSE), ==, 2);

    /* Taken off again: the meeting comes as deleted. */
    g_clear_pointer (&changes, g_ptr_array_unref);
    g_assert_cmpuint (call_json (server, "DELETE", path, secretary, NULL, NULL), ==, 204);
    changes = sync_since (server, outsider, &outsider_cursor);
    g_assert_cmpuint (changes->len, ==, 1);
    meeting = g_ptr_array_index (changes, 0);
    g_assert_cmpint (meeting->type, ==, DOCKET_CHANGE_MEETING);
    g_assert_cmpstr (meeting->id, ==, hidden);
    g_assert_true (meeting->deleted);
  }

  /* Back to draft: the officials lose it; published again: it comes whole. */
  {
    g_autofree char *today = meeting_id_by_title (secretary_all, TODAY_MEETING);
    g_autofree char *path = g_strdup_printf ("/api/v1/meetings/%s", today);
    g_autoptr(GPtrArray) changes = NULL;
    g_autoptr(JsonNode) root = NULL;
    DocketChange *meeting;

    g_assert_cmpuint (call_json (server, "PATCH", path, secretary, "{\"status\": \"draft\"}", &root), ==, 200);
    g_assert_cmpstr (member_string (root, "status"), ==, "draft");
    changes = sync_since (server, official, &cursor);
    meeting = find_change (changes, DOCKET_CHANGE_MEETING, today);
    g_assert_nonnull (meeting);
    g_assert_true (meeting->deleted);

    /* The secretary still sees the draft, as an update. */
    g_clear_pointer (&changes, g_ptr_array_unref);
    changes = sync_since (server, secretary, &secretary_cursor);
    meeting = find_change (changes, DOCKET_CHANGE_MEETING, today);
    g_assert_nonnull (meeting);
    g_assert_false (meeting->deleted);

    g_clear_pointer (&changes, g_ptr_array_unref);
    g_assert_cmpuint (call_json (server, "PATCH", path, secretary, "{\"status\": \"published\"}", NULL), ==, 200);
    changes = sync_since (server, official, &cursor);
    meeting = find_change (changes, DOCKET_CHANGE_MEETING, today);
    g_assert_nonnull (meeting);
    g_assert_false (meeting->deleted);
    g_assert_cmpuint (count_changes (changes, DOCKET_CHANGE_AGENDA_ITEM, FALSE), >=, 7);
    g_assert_cmpuint (count_changes (changes, DOCKET_CHANGE_DOCUMENT, FALSE), >=, 7);
  }

  /* Cursors the server did not issue */
  expect_error (server, "GET", "/api/v1/changes?since=abc", official, NULL, 400, "invalid_cursor");
  expect_error (server, "GET", "/api/v1/changes?since=-1", official, NULL, 400, "invalid_cursor");
  expect_error (server, "GET", "/api/v1/changes?since=999999999", official, NULL, 400, "invalid_cursor");
  expect_error (server, "GET", "/api/v1/changes?limit=0", official, NULL, 400, "bad_request");
  expect_error (server, "GET", "/api/v1/changes?limit=zz", official, NULL, 400, "bad_request");
  expect_error (server, "POST", "/api/v1/changes", official, "{}", 405, "method_not_allowed");
  assert_unchanged (server, official, cursor);

  docket_test_server_stop (server);
}

static guint
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

/* A request whose headers promise a body over the limit gets 413 at once: the test sends
 * the headers only, and the answer comes without the body ever being sent. */
static void
assert_refused_from_headers (DocketTestServer *server,
                             const char       *path,
                             const char       *token,
                             const char       *length)
{
  g_autoptr(GUri) uri = g_uri_parse (docket_test_server_get_url (server), G_URI_FLAGS_NONE, NULL);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *request = NULL;
  g_autoptr(GString) response = g_string_new (NULL);
  char buffer[4096];
  gssize n;

  g_socket_client_set_timeout (client, 10);
  connection = g_socket_client_connect_to_host (client, g_uri_get_host (uri),
                                                (guint16) g_uri_get_port (uri), NULL, &error);
  g_assert_no_error (error);
  request = g_strdup_printf ("POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                             "Authorization: Bearer %s\r\n"
                             "Content-Type: application/json\r\n"
                             "Content-Length: %s\r\n\r\n", path, token, length);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                             request, strlen (request), NULL, NULL, &error);
  g_assert_no_error (error);
  while ((n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                                   buffer, sizeof buffer, NULL, &error)) > 0)
    g_string_append_len (response, buffer, n);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (response->str, "HTTP/1.1 413"));
  g_assert_nonnull (strstr (response->str, "\"error\":\"too_large\""));
}

static void
test_bad_requests (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *secretary = docket_test_sign_in (server, "thuky", NULL);
  g_autofree char *official = docket_test_sign_in (server, "daibieu1", NULL);
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_change_free);
  g_autofree char *cursor = NULL;
  g_autofree char *official_cursor = NULL;
  g_autofree char *other = NULL;
  g_autofree char *out = NULL;
  g_autofree char *meeting_path = NULL;
  g_autofree char *items_path = NULL;
  g_autofree char *item_path = NULL;
  g_autofree char *upload_path = NULL;
  g_autofree char *today = NULL;
  g_autofree char *big = NULL;
  DocketAgendaItemRecord *item = NULL;
  DocketAgendaItemRecord *child = NULL;
  guint blobs;

  cursor = sync_all (server, secretary, NULL, 0, all);
  official_cursor = sync_all (server, official, NULL, 0, NULL);
  today = meeting_id_by_title (all, TODAY_MEETING);
  for (guint i = 0; i < all->len; i++)
    {
      DocketChange *change = g_ptr_array_index (all, i);
      DocketAgendaItemRecord *record = change->record;

      if (change->type != DOCKET_CHANGE_AGENDA_ITEM || !g_str_equal (record->meeting_id, today))
        continue;
      if (item == NULL && record->parent_id == NULL && g_str_equal (record->number, "2"))
        item = record;
    }
  g_assert_nonnull (item);
  for (guint i = 0; i < all->len; i++)
    {
      DocketChange *change = g_ptr_array_index (all, i);

      if (change->type == DOCKET_CHANGE_AGENDA_ITEM &&
          g_strcmp0 (((DocketAgendaItemRecord *) change->record)->parent_id, item->id) == 0)
        child = change->record;
    }
  g_assert_nonnull (child);

  meeting_path = g_strdup_printf ("/api/v1/meetings/%s", today);
  items_path = g_strdup_printf ("/api/v1/meetings/%s/items", today);
  item_path = g_strdup_printf ("/api/v1/items/%s", item->id);
  upload_path = g_strdup_printf ("/api/v1/items/%s/documents?title=T%%E1%%BB%%9D", item->id);
  blobs = count_blobs (server);

  /* Malformed JSON, not an object, wrong types, limits */
  expect_error (server, "POST", "/api/v1/meetings", secretary, "{\"title\": ", 400, "bad_request");
  expect_error (server, "POST", "/api/v1/meetings", secretary, "\"a string\"", 400, "bad_request");
  expect_error (server, "POST", "/api/v1/meetings", secretary, "", 400, "bad_request");
  /* Bodies that json-glib alone mishandles: deep nesting (a stack overflow that took the
   * server down), a NUL inside a string, an integer beyond 64 bits. */
  {
    g_autofree char *deep = g_strnfill (400000, '[');

    expect_error (server, "POST", "/api/v1/meetings", secretary, deep, 400, "bad_request");
    expect_error (server, "POST", "/api/v1/session", NULL, deep, 400, "bad_request");
  }
  expect_error (server, "POST", "/api/v1/meetings", secretary,
                "{\"title\": \"a\\u0000b\"}", 400, "bad_request");
  expect_error (server, "PATCH", item_path, secretary,
                "{\"position\": 18446744073709551617}", 400, "bad_request");
  expect_error (server, "POST", "/api/v1/meetings", secretary,
                "{\"title\": 5, \"starts_at\": \"2026-12-01T08:00:00+07:00\","
                " \"ends_at\": \"2026-12-01T11:00:00+07:00\", \"time_zone\": \"Asia/Ho_Chi_Minh\"}",
                400, "invalid_field");
  expect_error (server, "POST", "/api/v1/meetings", secretary,
                "{\"title\": \"Họp\", \"starts_at\": \"2026-12-01 08:00\","
                " \"ends_at\": \"2026-12-01T11:00:00+07:00\", \"time_zone\": \"Asia/Ho_Chi_Minh\"}",
                400, "invalid_field");
  expect_error (server, "POST", "/api/v1/meetings", secretary,
                "{\"title\": \"Họp\", \"starts_at\": \"2026-12-01T08:00:00+07:00\","
                " \"ends_at\": \"2026-12-01T07:00:00+07:00\", \"time_zone\": \"Asia/Ho_Chi_Minh\"}",
                400, "invalid_field");
  expect_error (server, "POST", "/api/v1/meetings", secretary,
                "{\"title\": \"Họp\", \"starts_at\": \"2026-12-01T08:00:00+07:00\","
                " \"ends_at\": \"2026-12-01T11:00:00+07:00\", \"time_zone\": \"Mars/Olympus\"}",
                400, "invalid_field");
  expect_error (server, "POST", "/api/v1/meetings", secretary, "{\"title\": \"Họp\"}",
                400, "invalid_field");
  expect_error (server, "PATCH", meeting_path, secretary, "{\"status\": \"cancelled\"}",
                400, "invalid_field");
  expect_error (server, "PATCH", meeting_path, secretary, "{\"title\": \"\"}", 400, "invalid_field");
  expect_error (server, "PATCH", meeting_path, secretary, "{\"title\": \"a\\u0001b\"}", 400, "invalid_field");
  expect_error (server, "PATCH", item_path, secretary, "{\"position\": \"1\"}", 400, "invalid_field");
  expect_error (server, "PATCH", item_path, secretary, "{\"position\": -1}", 400, "invalid_field");
  expect_error (server, "PATCH", item_path, secretary, "{\"parent_id\": 3}", 400, "invalid_field");
  expect_error (server, "POST", items_path, secretary, "{\"number\": \"5\"}", 400, "invalid_field");
  expect_error (server, "POST", items_path, secretary,
                "{\"title\": \"Mục\", \"parent_id\": \"khong-co\"}", 400, "invalid_field");
  big = g_strnfill (DOCKET_MAX_TITLE_BYTES + 1, 'a');
  {
    g_autofree char *json = g_strdup_printf ("{\"title\": \"%s\"}", big);

    expect_error (server, "PATCH", meeting_path, secretary, json, 400, "invalid_field");
  }

  /* An item cannot become its own descendant. */
  {
    g_autofree char *json = g_strdup_printf ("{\"parent_id\": \"%s\"}", child->id);

    expect_error (server, "PATCH", item_path, secretary, json, 409, "conflict");
  }
  {
    g_autofree char *json = g_strdup_printf ("{\"parent_id\": \"%s\"}", item->id);

    expect_error (server, "PATCH", item_path, secretary, json, 409, "conflict");
  }

  /* Unknown ids */
  expect_error (server, "PATCH", "/api/v1/meetings/khong-co", secretary, "{}", 404, "not_found");
  expect_error (server, "DELETE", "/api/v1/items/khong-co", secretary, NULL, 404, "not_found");
  expect_error (server, "PATCH", "/api/v1/documents/khong-co", secretary, "{}", 404, "not_found");
  expect_error (server, "GET", "/api/v1/documents/khong-co/content", secretary, NULL, 404, "not_found");
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/meetings/%s/participants/khongco", today);

    expect_error (server, "PUT", path, secretary, NULL, 404, "not_found");
  }

  /* Over 1 MiB of JSON, and a body that only says it is huge */
  {
    gsize size = DOCKET_MAX_JSON_REQUEST_BYTES + 10;
    g_autofree char *huge = g_malloc (size + 1);

    memset (huge, ' ', size);
    huge[0] = '{';
    huge[size - 1] = '}';
    huge[size] = '\0';
    expect_error (server, "PATCH", meeting_path, secretary, huge, 413, "too_large");
  }
  assert_refused_from_headers (server, meeting_path, secretary, "1000000000000");
  assert_refused_from_headers (server, upload_path, secretary, "1000000000000");

  /* A non-PDF upload */
  {
    g_autoptr(GBytes) text = g_bytes_new_static ("hello, not a PDF", 16);
    g_autoptr(GBytes) fake = g_bytes_new_static ("%PDF-1.7\nbroken", 15);
    g_autoptr(JsonNode) root = NULL;
    guint status;

    status = call (server, "POST", upload_path, secretary, "application/pdf", text, &root);
    assert_error (status, root, 415, "unsupported_media_type");
    g_clear_pointer (&root, json_node_unref);
    status = call (server, "POST", upload_path, secretary, "application/pdf", fake, &root);
    assert_error (status, root, 415, "unsupported_media_type");
  }

  /* An official on secretary endpoints */
  expect_error (server, "PATCH", meeting_path, official, "{\"title\": \"Của tôi\"}", 403, "forbidden");
  expect_error (server, "DELETE", item_path, official, NULL, 403, "forbidden");
  expect_error (server, "POST", "/api/v1/meetings", official,
                "{\"title\": \"Họp\", \"starts_at\": \"2026-12-01T08:00:00+07:00\","
                " \"ends_at\": \"2026-12-01T11:00:00+07:00\", \"time_zone\": \"Asia/Ho_Chi_Minh\"}",
                403, "forbidden");
  expect_error (server, "GET", "/api/v1/users", official, NULL, 403, "forbidden");

  /* A secretary of another organ: does not see our meetings, may not create them. */
  g_assert_cmpint (docket_test_server_admin (server, "mat-khau-khac\n", &out, "user", "add", "thuky2",
                                             "--role", "secretary", "--organ", "UBND tỉnh",
                                             "--display-name", "Võ Văn Kiệt", NULL), ==, 0);
  other = docket_test_sign_in (server, "thuky2", "mat-khau-khac");
  expect_error (server, "PATCH", meeting_path, other, "{\"title\": \"Của tôi\"}", 404, "not_found");
  expect_error (server, "DELETE", item_path, other, NULL, 404, "not_found");
  expect_error (server, "POST", "/api/v1/meetings", other,
                "{\"title\": \"Họp\", \"organ\": \"HĐND tỉnh\", \"starts_at\": \"2026-12-01T08:00:00+07:00\","
                " \"ends_at\": \"2026-12-01T11:00:00+07:00\", \"time_zone\": \"Asia/Ho_Chi_Minh\"}",
                403, "forbidden");
  {
    g_autoptr(DocketChangesPage) page = get_changes (server, other, NULL, 0);

    g_assert_cmpuint (page->changes->len, ==, 0);
  }

  /* None of it changed anything. */
  assert_unchanged (server, secretary, cursor);
  assert_unchanged (server, official, official_cursor);
  g_assert_cmpuint (count_blobs (server), ==, blobs);

  /* The server still serves. */
  g_assert_cmpuint (call_json (server, "GET", "/api/v1/info", NULL, NULL, NULL), ==, 200);

  docket_test_server_stop (server);
}

/* ---- annotations and notes ------------------------------------------------------------ */

/* A document and an agenda item of the meeting titled prefix, from a feed. */
static DocketDocumentRecord *
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

static DocketAgendaItemRecord *
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
static char *
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

static char *
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

static char *
put_annotation_body (const char *op_id,
                     const char *annotation)
{
  return g_strdup_printf ("{\"op_id\": \"%s\", \"annotation\": %s}", op_id, annotation);
}

static char *
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
static DocketAnnotationRecord *
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
static void
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

static char *
count_rows (DocketTestServer *server,
            const char       *sql)
{
  return run_sql_text (server, sql);
}

/* The owner gets their annotations and notes, once, through the feed; another official,
 * an official who does not see the meeting, and the secretary never do. The same op_id
 * answers the same result and writes nothing; a later put of the same annotation wins
 * (last writer), a delete is final, losing the meeting hides them and getting it back
 * brings them back. */
static void
test_annotations (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *official = docket_test_sign_in (server, "daibieu1", NULL);
  g_autofree char *colleague = docket_test_sign_in (server, "daibieu2", NULL);
  g_autofree char *outsider = docket_test_sign_in (server, "daibieu5", NULL);
  g_autofree char *secretary = docket_test_sign_in (server, "thuky", NULL);
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_change_free);
  g_autofree char *cursor = NULL;
  g_autofree char *colleague_cursor = NULL;
  g_autofree char *outsider_cursor = NULL;
  g_autofree char *secretary_cursor = NULL;
  g_autofree char *today = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json2 = NULL;
  g_autofree char *rows = NULL;
  g_autofree char *participant_path = NULL;
  g_autoptr(DocketAnnotationRecord) first = NULL;
  g_autoptr(DocketAnnotationRecord) again = NULL;
  g_autoptr(DocketAnnotationRecord) second = NULL;
  DocketDocumentRecord *document;
  DocketAgendaItemRecord *item;
  const char *id = "5b0c6f3e-2f59-4c3a-9d7e-6a1f0b2c3d4e";
  gint64 before_ms = g_get_real_time () / 1000;

  cursor = sync_all (server, official, NULL, 0, all);
  colleague_cursor = sync_all (server, colleague, NULL, 0, NULL);
  outsider_cursor = sync_all (server, outsider, NULL, 0, NULL);
  secretary_cursor = sync_all (server, secretary, NULL, 0, NULL);
  today = meeting_id_by_title (all, TODAY_MEETING);
  document = document_of_meeting (all, today);
  item = item_of_meeting (all, today);

  /* Created: 201, the server's revision and time. */
  json = annotation_json (id, document->id, 0, "#FF0000");
  first = put_annotation (server, official, id, "op-1", json, 201);
  g_assert_cmpstr (first->id, ==, id);
  g_assert_cmpint (first->revision, >, 0);
  g_assert_cmpint (first->updated_at, >=, before_ms);
  g_assert_cmpint (first->created_at, ==, G_GINT64_CONSTANT (1700000000000));
  g_assert_cmpstr (first->color, ==, "#ff0000");
  g_assert_cmpint (first->kind, ==, DOCKET_ANNOTATION_INK);

  /* The same op_id again: the same answer, nothing written (one row, one revision, the
   * sequence did not move). */
  {
    g_autofree char *top = count_rows (server, "SELECT value FROM sequence");
    g_autofree char *expected = g_strdup_printf ("1/%" G_GINT64_FORMAT, first->revision);

    again = put_annotation (server, official, id, "op-1", json, 201);
    g_assert_cmpint (again->revision, ==, first->revision);
    g_assert_cmpint (again->updated_at, ==, first->updated_at);
    rows = count_rows (server, "SELECT count(*) || '/' || max (revision) FROM annotations");
    g_assert_cmpstr (rows, ==, expected);
    g_free (rows);
    rows = count_rows (server, "SELECT value FROM sequence");
    g_assert_cmpstr (rows, ==, top);
    g_clear_pointer (&rows, g_free);
  }

  /* The owner's feed has it, whole; nobody else's has anything. */
  {
    g_autoptr(GPtrArray) changes = sync_since (server, official, &cursor);
    DocketChange *change;

    g_assert_cmpuint (changes->len, ==, 1);
    change = find_change (changes, DOCKET_CHANGE_ANNOTATION, id);
    g_assert_nonnull (change);
    g_assert_false (change->deleted);
    g_assert_cmpint (((DocketAnnotationRecord *) change->record)->revision, ==, first->revision);
    g_assert_cmpstr (((DocketAnnotationRecord *) change->record)->geometry, ==, first->geometry);
  }
  assert_nothing_new (server, colleague, &colleague_cursor);
  assert_nothing_new (server, outsider, &outsider_cursor);
  assert_nothing_new (server, secretary, &secretary_cursor);

  /* Another put of the same annotation: the last writer wins, a new revision. */
  json2 = annotation_json (id, document->id, 1, "#00ff00");
  second = put_annotation (server, official, id, "op-2", json2, 200);
  g_assert_cmpint (second->revision, >, first->revision);
  g_assert_cmpint (second->page, ==, 1);
  g_assert_cmpint (second->created_at, ==, first->created_at);

  /* Another official can neither take its id nor delete it. */
  {
    g_autofree char *path = g_strconcat ("/api/v1/annotations/", id, NULL);
    g_autofree char *body = put_annotation_body ("op-x", json);
    g_autofree char *delete_path = g_strconcat (path, "?op_id=op-y", NULL);

    expect_error (server, "PUT", path, colleague, body, 409, "conflict");
    expect_error (server, "DELETE", delete_path, colleague, NULL, 404, "not_found");
    expect_error (server, "DELETE", delete_path, secretary, NULL, 404, "not_found");
    rows = count_rows (server, "SELECT color || page || deleted FROM annotations");
    g_assert_cmpstr (rows, ==, "#00ff0010");
    g_clear_pointer (&rows, g_free);
  }

  /* Notes on an agenda item and on a document. */
  {
    g_autofree char *item_path = g_strconcat ("/api/v1/notes/agenda_item/", item->id, NULL);
    g_autofree char *document_path = g_strconcat ("/api/v1/notes/document/", document->id, NULL);
    g_autofree char *item_note = note_body ("op-3", "agenda_item", item->id, "Hỏi về ngân sách\\nđiểm 2");
    g_autofree char *document_note = note_body ("op-4", "document", document->id, "Đọc kỹ");
    g_autoptr(JsonNode) root = NULL;
    g_autoptr(GPtrArray) changes = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(DocketNoteRecord) answer = NULL;
    DocketChange *change;

    g_assert_cmpuint (call_json (server, "PUT", item_path, official, item_note, &root), ==, 200);
    answer = docket_note_record_from_json (json_object_get_member (json_node_get_object (root), "note"), &error);
    g_assert_no_error (error);
    g_assert_cmpstr (answer->text, ==, "Hỏi về ngân sách\nđiểm 2");
    g_assert_cmpint (answer->revision, >, second->revision);
    g_assert_cmpuint (call_json (server, "PUT", document_path, official, document_note, NULL), ==, 200);

    changes = sync_since (server, official, &cursor);
    g_assert_cmpuint (changes->len, ==, 3);
    change = find_change (changes, DOCKET_CHANGE_NOTE, item->id);
    g_assert_nonnull (change);
    g_assert_cmpint (((DocketNoteRecord *) change->record)->target, ==, DOCKET_NOTE_TARGET_AGENDA_ITEM);
    change = find_change (changes, DOCKET_CHANGE_NOTE, document->id);
    g_assert_nonnull (change);
    g_assert_cmpstr (((DocketNoteRecord *) change->record)->text, ==, "Đọc kỹ");
    change = find_change (changes, DOCKET_CHANGE_ANNOTATION, id);
    g_assert_cmpint (((DocketAnnotationRecord *) change->record)->revision, ==, second->revision);
  }
  assert_nothing_new (server, colleague, &colleague_cursor);
  assert_nothing_new (server, outsider, &outsider_cursor);
  assert_nothing_new (server, secretary, &secretary_cursor);

  /* Losing the meeting hides them (deletions in the feed); the server keeps them. */
  participant_path = g_strdup_printf ("/api/v1/meetings/%s/participants/daibieu1", today);
  g_assert_cmpuint (call_json (server, "DELETE", participant_path, secretary, NULL, NULL), ==, 204);
  {
    g_autoptr(GPtrArray) changes = sync_since (server, official, &cursor);
    DocketChange *change;

    change = find_change (changes, DOCKET_CHANGE_MEETING, today);
    g_assert_true (change != NULL && change->deleted);
    change = find_change (changes, DOCKET_CHANGE_ANNOTATION, id);
    g_assert_true (change != NULL && change->deleted);
    change = find_change (changes, DOCKET_CHANGE_NOTE, item->id);
    g_assert_true (change != NULL && change->deleted);
    change = find_change (changes, DOCKET_CHANGE_NOTE, document->id);
    g_assert_true (change != NULL && change->deleted);
  }
  rows = count_rows (server, "SELECT count(*) FROM annotations WHERE deleted = 0");
  g_assert_cmpstr (rows, ==, "1");
  g_clear_pointer (&rows, g_free);
  /* ... and refuses to change them meanwhile. */
  {
    g_autofree char *path = g_strconcat ("/api/v1/annotations/", id, NULL);
    g_autofree char *body = put_annotation_body ("op-5", json);
    g_autofree char *delete_path = g_strconcat (path, "?op_id=op-6", NULL);

    expect_error (server, "PUT", path, official, body, 404, "not_found");
    expect_error (server, "DELETE", delete_path, official, NULL, 404, "not_found");
  }

  /* Back in the meeting: they come back, whole. */
  g_assert_cmpuint (call_json (server, "PUT", participant_path, secretary, NULL, NULL), ==, 204);
  {
    g_autoptr(GPtrArray) changes = sync_since (server, official, &cursor);
    DocketChange *change;

    change = find_change (changes, DOCKET_CHANGE_ANNOTATION, id);
    g_assert_true (change != NULL && !change->deleted);
    g_assert_cmpint (((DocketAnnotationRecord *) change->record)->page, ==, 1);
    change = find_change (changes, DOCKET_CHANGE_NOTE, item->id);
    g_assert_true (change != NULL && !change->deleted);
    g_assert_cmpstr (((DocketNoteRecord *) change->record)->text, ==, "Hỏi về ngân sách\nđiểm 2");
  }
  assert_no_own_data (server, colleague, &colleague_cursor);
  assert_no_own_data (server, secretary, &secretary_cursor);

  /* A delete is final: 200 (again for the same op_id, and for one not there), a deletion
   * in the feed, and a later put of the id is gone. */
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/annotations/%s?op_id=op-7", id);
    g_autofree char *body = put_annotation_body ("op-8", json);
    g_autofree char *put_path = g_strconcat ("/api/v1/annotations/", id, NULL);
    g_autoptr(JsonNode) root = NULL;
    g_autoptr(JsonNode) replayed = NULL;
    g_autoptr(GPtrArray) changes = NULL;
    DocketChange *change;

    g_assert_cmpuint (call_json (server, "DELETE", path, official, NULL, &root), ==, 200);
    g_assert_true (json_object_get_boolean_member (json_node_get_object (root), "deleted"));
    g_assert_cmpstr (member_string (root, "id"), ==, id);
    g_assert_cmpuint (call_json (server, "DELETE", path, official, NULL, &replayed), ==, 200);
    g_assert_true (json_node_equal (root, replayed));
    g_assert_cmpuint (call_json (server, "DELETE", "/api/v1/annotations/never-sent?op_id=op-9",
                                 official, NULL, NULL), ==, 200);

    changes = sync_since (server, official, &cursor);
    g_assert_cmpuint (changes->len, ==, 1);
    change = find_change (changes, DOCKET_CHANGE_ANNOTATION, id);
    g_assert_true (change != NULL && change->deleted);

    expect_error (server, "PUT", put_path, official, body, 410, "gone");
    rows = count_rows (server, "SELECT contents || deleted FROM annotations");
    g_assert_cmpstr (rows, ==, "1");
    g_clear_pointer (&rows, g_free);
    assert_unchanged (server, official, cursor);
  }

  docket_test_server_stop (server);
}

/* Every bad request to the annotation and note endpoints gets its JSON error and
 * changes nothing. */
static void
test_annotations_bad_requests (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *official = docket_test_sign_in (server, "daibieu1", NULL);
  g_autofree char *outsider = docket_test_sign_in (server, "daibieu5", NULL);
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_change_free);
  g_autofree char *cursor = NULL;
  g_autofree char *outsider_cursor = NULL;
  g_autofree char *hidden = NULL;
  g_autofree char *today = NULL;
  g_autofree char *good = NULL;
  g_autofree char *path = NULL;
  g_autofree char *item_note_path = NULL;
  g_autofree char *hidden_note_path = NULL;
  DocketDocumentRecord *document;
  DocketDocumentRecord *hidden_document;
  DocketAgendaItemRecord *item;
  DocketAgendaItemRecord *hidden_item;
  const char *id = "0d9c8b7a-6f5e-4d3c-2b1a-0f9e8d7c6b5a";
  static const struct {
    const char *field;
    const char *value;
  } bad_fields[] = {
    { "kind", "\"squiggly\"" },
    { "kind", "3" },
    { "color", "\"red\"" },
    { "color", "\"#12345\"" },
    { "page", "-1" },
    { "page", "\"1\"" },
    { "page", "1.5" },
    { "geometry", "{\"rects\": [[1, 2, 3, 4]]}" },
    { "geometry", "{\"width\": 1, \"strokes\": [[1, 2, 3]]}" },
    { "geometry", "{\"width\": 1, \"strokes\": [[1, 2, 1e400]]}" },
    { "geometry", "\"{}\"" },
    { "contents", "7" },
    { "contents", "\"a\\u0001b\"" },
    { "created_at", "-5" },
    { "document_id", "\"../etc\"" },
    { "id", "null" },
  };

  cursor = sync_all (server, official, NULL, 0, all);
  outsider_cursor = sync_all (server, outsider, NULL, 0, NULL);
  today = meeting_id_by_title (all, TODAY_MEETING);
  hidden = meeting_id_by_title (all, HIDDEN_MEETING);
  document = document_of_meeting (all, today);
  item = item_of_meeting (all, today);
  hidden_document = document_of_meeting (all, hidden);
  hidden_item = item_of_meeting (all, hidden);
  path = g_strconcat ("/api/v1/annotations/", id, NULL);
  item_note_path = g_strconcat ("/api/v1/notes/agenda_item/", item->id, NULL);
  hidden_note_path = g_strconcat ("/api/v1/notes/agenda_item/", hidden_item->id, NULL);
  {
    g_autofree char *annotation = annotation_json (id, document->id, 0, "#ff0000");

    good = put_annotation_body ("op-good", annotation);
  }

  /* No token, a bad token. */
  expect_error (server, "PUT", path, NULL, good, 401, "unauthorized");
  expect_error (server, "PUT", path, "not-a-token", good, 401, "unauthorized");
  expect_error (server, "DELETE", "/api/v1/annotations/x?op_id=y", "not-a-token", NULL, 401, "unauthorized");
  expect_error (server, "PUT", item_note_path, NULL, "{}", 401, "unauthorized");

  /* Not JSON, not an object, nested too deep. */
  expect_error (server, "PUT", path, official, "{\"op_id\": ", 400, "bad_request");
  expect_error (server, "PUT", path, official, "[]", 400, "bad_request");
  expect_error (server, "PUT", path, official, "", 400, "bad_request");
  {
    g_autofree char *deep = g_strnfill (400000, '[');

    expect_error (server, "PUT", path, official, deep, 400, "bad_request");
  }

  /* op_id missing, of the wrong type, not an id. */
  {
    g_autofree char *annotation = annotation_json (id, document->id, 0, "#ff0000");
    g_autofree char *no_op = g_strdup_printf ("{\"annotation\": %s}", annotation);
    g_autofree char *number_op = g_strdup_printf ("{\"op_id\": 7, \"annotation\": %s}", annotation);
    g_autofree char *path_op = put_annotation_body ("../op", annotation);

    expect_error (server, "PUT", path, official, no_op, 400, "invalid_field");
    expect_error (server, "PUT", path, official, number_op, 400, "invalid_field");
    expect_error (server, "PUT", path, official, path_op, 400, "invalid_field");
    expect_error (server, "PUT", path, official, "{\"op_id\": \"op-1\"}", 400, "invalid_field");
    expect_error (server, "PUT", path, official, "{\"op_id\": \"op-1\", \"annotation\": []}", 400, "invalid_field");
  }

  /* Every field of the annotation: wrong type or out of its limits. */
  for (guint i = 0; i < G_N_ELEMENTS (bad_fields); i++)
    {
      g_autofree char *annotation = annotation_json (id, document->id, 0, "#ff0000");
      g_autofree char *bad = mutate_json (annotation, bad_fields[i].field, bad_fields[i].value);
      g_autofree char *body = put_annotation_body ("op-bad", bad);

      expect_error (server, "PUT", path, official, body, 400, "invalid_field");
    }
  {
    g_autofree char *long_text = g_strnfill (DOCKET_MAX_ANNOTATION_CONTENTS_BYTES + 1, 'a');
    g_autofree char *value = g_strdup_printf ("\"%s\"", long_text);
    g_autofree char *annotation = annotation_json (id, document->id, 0, "#ff0000");
    g_autofree char *bad = mutate_json (annotation, "contents", value);
    g_autofree char *body = put_annotation_body ("op-long", bad);

    expect_error (server, "PUT", path, official, body, 400, "invalid_field");
  }

  /* The id in the body is not the path's; the path's is not an id. */
  {
    g_autofree char *annotation = annotation_json ("another-id", document->id, 0, "#ff0000");
    g_autofree char *body = put_annotation_body ("op-10", annotation);

    expect_error (server, "PUT", path, official, body, 400, "invalid_field");
    expect_error (server, "PUT", "/api/v1/annotations/a.b", official, good, 404, "not_found");
    expect_error (server, "PUT", "/api/v1/annotations", official, good, 404, "not_found");
  }

  /* Past the document's last page. */
  {
    g_autofree char *annotation = annotation_json (id, document->id, document->pages, "#ff0000");
    g_autofree char *body = put_annotation_body ("op-11", annotation);

    g_assert_cmpint (document->pages, >, 0);
    expect_error (server, "PUT", path, official, body, 400, "invalid_field");
  }

  /* Unknown documents and items; those of a meeting the official does not see. */
  {
    g_autofree char *unknown = annotation_json (id, "khong-co", 0, "#ff0000");
    g_autofree char *unknown_body = put_annotation_body ("op-12", unknown);
    g_autofree char *invisible = annotation_json (id, hidden_document->id, 0, "#ff0000");
    g_autofree char *invisible_body = put_annotation_body ("op-13", invisible);
    g_autofree char *unknown_note = note_body ("op-14", "agenda_item", "khong-co", "x");
    g_autofree char *hidden_note = note_body ("op-15", "agenda_item", hidden_item->id, "x");

    expect_error (server, "PUT", path, official, unknown_body, 404, "not_found");
    expect_error (server, "PUT", path, outsider, invisible_body, 404, "not_found");
    expect_error (server, "PUT", "/api/v1/notes/agenda_item/khong-co", official, unknown_note, 404, "not_found");
    expect_error (server, "PUT", hidden_note_path, outsider, hidden_note, 404, "not_found");
  }

  /* Notes: a target that is not one, a body about another target, wrong types, too long. */
  {
    g_autofree char *wrong_target = note_body ("op-16", "document", item->id, "x");
    g_autofree char *wrong_id = note_body ("op-17", "agenda_item", document->id, "x");
    g_autofree char *long_text = g_strnfill (DOCKET_MAX_NOTE_BYTES + 1, 'a');
    g_autofree char *too_long = note_body ("op-18", "agenda_item", item->id, long_text);
    g_autofree char *meeting_path = g_strconcat ("/api/v1/notes/meeting/", today, NULL);
    g_autofree char *wrong_type = g_strdup_printf ("{\"op_id\": \"op-19\", \"note\": {\"target\": \"agenda_item\","
                                                   " \"target_id\": \"%s\", \"text\": 5, \"updated_at\": 0,"
                                                   " \"revision\": 0}}", item->id);

    expect_error (server, "PUT", meeting_path, official, wrong_target, 404, "not_found");
    expect_error (server, "PUT", item_note_path, official, wrong_target, 400, "invalid_field");
    expect_error (server, "PUT", item_note_path, official, wrong_id, 400, "invalid_field");
    expect_error (server, "PUT", item_note_path, official, too_long, 400, "invalid_field");
    expect_error (server, "PUT", item_note_path, official, wrong_type, 400, "invalid_field");
    expect_error (server, "PUT", item_note_path, official, "{\"op_id\": \"op-20\"}", 400, "invalid_field");
    expect_error (server, "PUT", item_note_path, official, "{\"note\": {}}", 400, "invalid_field");
    expect_error (server, "GET", item_note_path, official, NULL, 405, "method_not_allowed");
  }

  /* Deletes: op_id missing or not an id; other methods. */
  expect_error (server, "DELETE", path, official, NULL, 400, "bad_request");
  {
    g_autofree char *bad_op = g_strconcat (path, "?op_id=a%2Fb", NULL);

    expect_error (server, "DELETE", bad_op, official, NULL, 400, "bad_request");
  }
  expect_error (server, "GET", path, official, NULL, 405, "method_not_allowed");
  expect_error (server, "POST", path, official, good, 405, "method_not_allowed");

  /* Over 1 MiB: refused from the headers. */
  {
    gsize size = DOCKET_MAX_JSON_REQUEST_BYTES + 10;
    g_autofree char *huge = g_malloc (size + 1);

    memset (huge, ' ', size);
    huge[0] = '{';
    huge[size - 1] = '}';
    huge[size] = '\0';
    expect_error (server, "PUT", path, official, huge, 413, "too_large");
    expect_error (server, "PUT", item_note_path, official, huge, 413, "too_large");
  }

  /* None of it wrote anything. */
  assert_unchanged (server, official, cursor);
  assert_unchanged (server, outsider, outsider_cursor);
  {
    g_autofree char *rows = run_sql_text (server, "SELECT (SELECT count(*) FROM annotations)"
                                                  " + (SELECT count(*) FROM notes) + (SELECT count(*) FROM ops)");

    g_assert_cmpstr (rows, ==, "0");
  }

  /* An op_id is used once: the same op_id for another request is a conflict. */
  g_assert_cmpuint (call_json (server, "PUT", path, official, good, NULL), ==, 201);
  {
    g_autofree char *note = note_body ("op-good", "agenda_item", item->id, "x");

    expect_error (server, "PUT", item_note_path, official, note, 409, "conflict");
  }

  docket_test_server_stop (server);
}

static void
test_manage_and_content (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *secretary = docket_test_sign_in (server, "thuky", NULL);
  g_autofree char *official = docket_test_sign_in (server, "daibieu2", NULL);
  g_autofree char *official_cursor = sync_all (server, official, NULL, 0, NULL);
  g_autoptr(JsonNode) meeting = NULL;
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) second = NULL;
  g_autoptr(JsonNode) sub = NULL;
  g_autoptr(JsonNode) document = NULL;
  g_autoptr(JsonNode) users = NULL;
  g_autoptr(GBytes) pdf = docket_server_demo_make_pdf ("ỦY BAN NHÂN DÂN", "1/TTr-UBND", "Tờ trình thử", 2);
  g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, pdf);
  g_autofree char *path = NULL;
  g_autofree char *content_url = NULL;
  g_autofree char *etag = NULL;
  g_autofree char *document_id = NULL;
  const char *meeting_id, *first_id, *second_id;

  g_assert_cmpuint (call_json (server, "GET", "/api/v1/users", secretary, NULL, &users), ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (users), "users")), ==, 6);

  /* A new meeting, a draft, with items */
  g_assert_cmpuint (call_json (server, "POST", "/api/v1/meetings", secretary,
                               "{\"title\": \"Phiên họp bất thường\", \"starts_at\": \"2026-12-05T14:00:00+07:00\","
                               " \"ends_at\": \"2026-12-05T17:00:00+07:00\", \"time_zone\": \"Asia/Ho_Chi_Minh\","
                               " \"location\": \"Phòng 201\", \"ignored\": true}", &meeting), ==, 201);
  meeting_id = member_string (meeting, "id");
  g_assert_true (docket_protocol_id_is_valid (meeting_id));
  g_assert_cmpstr (member_string (meeting, "status"), ==, "draft");
  g_assert_cmpstr (member_string (meeting, "organ"), ==, "HĐND tỉnh");

  path = g_strdup_printf ("/api/v1/meetings/%s/items", meeting_id);
  g_assert_cmpuint (call_json (server, "POST", path, secretary, "{\"title\": \"Thứ nhất\", \"number\": \"1\"}", &first), ==, 201);
  g_assert_cmpuint (call_json (server, "POST", path, secretary, "{\"title\": \"Thứ hai\", \"number\": \"2\"}", &second), ==, 201);
  first_id = member_string (first, "id");
  second_id = member_string (second, "id");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (second), "position"), ==, 1);
  {
    g_autofree char *json = g_strdup_printf ("{\"title\": \"Con\", \"parent_id\": \"%s\"}", first_id);

    g_assert_cmpuint (call_json (server, "POST", path, secretary, json, &sub), ==, 201);
    g_assert_cmpstr (member_string (sub, "parent_id"), ==, first_id);
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (sub), "position"), ==, 0);
  }

  /* Reorder: the second item first; the siblings are renumbered. */
  {
    g_autofree char *item_path = g_strdup_printf ("/api/v1/items/%s", second_id);
    g_autofree char *first_path = g_strdup_printf ("/api/v1/items/%s", first_id);
    g_autoptr(JsonNode) moved = NULL;
    g_autoptr(JsonNode) other = NULL;

    g_assert_cmpuint (call_json (server, "PATCH", item_path, secretary, "{\"position\": 0}", &moved), ==, 200);
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (moved), "position"), ==, 0);
    /* PATCH with nothing but an unknown field: a no-op change that answers the item. */
    g_assert_cmpuint (call_json (server, "PATCH", first_path, secretary, "{\"x\": 1}", &other), ==, 200);
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (other), "position"), ==, 1);
  }

  /* A draft is not the officials' business. */
  assert_nothing_new (server, official, &official_cursor);

  /* Upload a PDF */
  {
    g_autofree char *upload = g_strdup_printf ("/api/v1/items/%s/documents?title=T%%E1%%BB%%9D%%20tr%%C3%%ACnh", first_id);

    g_assert_cmpuint (call (server, "POST", upload, secretary, "application/pdf", pdf, &document), ==, 201);
    g_assert_cmpstr (member_string (document, "sha256"), ==, sha256);
    g_assert_cmpstr (member_string (document, "title"), ==, "Tờ trình");
    g_assert_cmpstr (member_string (document, "media_type"), ==, "application/pdf");
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (document), "size"), ==, (gint64) g_bytes_get_size (pdf));
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (document), "pages"), ==, 2);
    document_id = g_strdup (member_string (document, "id"));
  }

  /* Participants, then publish: the official gets it all. */
  {
    g_autofree char *people = g_strdup_printf ("/api/v1/meetings/%s/participants/daibieu2", meeting_id);
    g_autofree char *meeting_path = g_strdup_printf ("/api/v1/meetings/%s", meeting_id);
    g_autoptr(GPtrArray) changes = NULL;

    g_assert_cmpuint (call_json (server, "PUT", people, secretary, NULL, NULL), ==, 204);
    assert_nothing_new (server, official, &official_cursor);
    g_assert_cmpuint (call_json (server, "PATCH", meeting_path, secretary, "{\"status\": \"published\"}", NULL), ==, 200);
    changes = sync_since (server, official, &official_cursor);
    g_assert_nonnull (find_change (changes, DOCKET_CHANGE_MEETING, meeting_id));
    g_assert_cmpuint (count_changes (changes, DOCKET_CHANGE_AGENDA_ITEM, FALSE), ==, 3);
    g_assert_nonnull (find_change (changes, DOCKET_CHANGE_DOCUMENT, document_id));
  }

  /* Content: ETag, whole, Range 206, 416, If-None-Match */
  content_url = g_strdup_printf ("%s/api/v1/documents/%s/content", docket_test_server_get_url (server), document_id);
  etag = g_strdup_printf ("\"%s\"", sha256);
  {
    g_autoptr(SoupSession) session = soup_session_new ();
    g_autofree char *bearer = g_strconcat ("Bearer ", official, NULL);
    gsize size = g_bytes_get_size (pdf);
    struct {
      const char *range;
      const char *if_none_match;
      guint       status;
      gsize       length;
    } cases[] = {
      { NULL, NULL, 200, size },
      { "bytes=100-", NULL, 206, size - 100 },
      { "bytes=0-9", NULL, 206, 10 },
      { "bytes=-20", NULL, 206, 20 },
      { "bytes=99999999-", NULL, 416, 0 },
      { "lines=1-2", NULL, 200, size },
      { NULL, etag, 304, 0 },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        g_autoptr(SoupMessage) message = soup_message_new ("GET", content_url);
        g_autoptr(GBytes) body = NULL;
        SoupMessageHeaders *request = soup_message_get_request_headers (message);
        SoupMessageHeaders *response = soup_message_get_response_headers (message);

        soup_message_headers_replace (request, "Authorization", bearer);
        if (cases[i].range)
          soup_message_headers_replace (request, "Range", cases[i].range);
        if (cases[i].if_none_match)
          soup_message_headers_replace (request, "If-None-Match", cases[i].if_none_match);
        body = soup_session_send_and_read (session, message, NULL, NULL);
        g_assert_nonnull (body);
        g_test_message ("range %s -> %u", cases[i].range, soup_message_get_status (message));
        g_assert_cmpuint (soup_message_get_status (message), ==, cases[i].status);
        g_assert_cmpuint (g_bytes_get_size (body), ==, cases[i].length);
        g_assert_cmpstr (soup_message_headers_get_one (response, "ETag"), ==, etag);
        if (cases[i].status == 200)
          {
            g_autofree char *got = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, body);

            g_assert_cmpstr (got, ==, sha256);
            g_assert_cmpstr (soup_message_headers_get_content_type (response, NULL), ==, "application/pdf");
            g_assert_cmpstr (soup_message_headers_get_one (response, "Accept-Ranges"), ==, "bytes");
          }
        else if (cases[i].status == 206)
          {
            gsize offset = cases[i].range[6] == '-' ? size - cases[i].length
                           : (gsize) g_ascii_strtoull (cases[i].range + 6, NULL, 10);

            g_assert_cmpmem (g_bytes_get_data (body, NULL), cases[i].length,
                             (const guint8 *) g_bytes_get_data (pdf, NULL) + offset, cases[i].length);
            g_assert_nonnull (soup_message_headers_get_one (response, "Content-Range"));
          }
        else if (cases[i].status == 416)
          {
            g_autofree char *expected = g_strdup_printf ("bytes */%" G_GSIZE_FORMAT, size);

            g_assert_cmpstr (soup_message_headers_get_one (response, "Content-Range"), ==, expected);
          }
      }
  }

  /* Deletions come as tombstones; a sub-item goes with its parent. */
  {
    g_autofree char *doc_path = g_strdup_printf ("/api/v1/documents/%s", document_id);
    g_autofree char *first_path = g_strdup_printf ("/api/v1/items/%s", first_id);
    g_autoptr(GPtrArray) changes = NULL;
    g_autoptr(JsonNode) renamed = NULL;
    DocketChange *change;

    g_assert_cmpuint (call_json (server, "PATCH", doc_path, secretary, "{\"title\": \"Tờ trình (sửa)\"}", &renamed), ==, 200);
    g_assert_cmpstr (member_string (renamed, "title"), ==, "Tờ trình (sửa)");
    g_assert_cmpuint (call_json (server, "DELETE", first_path, secretary, NULL, NULL), ==, 204);
    changes = sync_since (server, official, &official_cursor);
    change = find_change (changes, DOCKET_CHANGE_AGENDA_ITEM, first_id);
    g_assert_nonnull (change);
    g_assert_true (change->deleted);
    change = find_change (changes, DOCKET_CHANGE_AGENDA_ITEM, member_string (sub, "id"));
    g_assert_nonnull (change);
    g_assert_true (change->deleted);
    g_assert_cmpuint (count_changes (changes, DOCKET_CHANGE_DOCUMENT, TRUE), ==, 1);
    expect_error (server, "GET", "/api/v1/documents/x/content", official, NULL, 404, "not_found");
    {
      g_autofree char *gone = g_strdup_printf ("/api/v1/documents/%s/content", document_id);

      expect_error (server, "GET", gone, official, NULL, 404, "not_found");
    }
  }

  /* Deleting the meeting takes it from the officials. */
  {
    g_autofree char *meeting_path = g_strdup_printf ("/api/v1/meetings/%s", meeting_id);
    g_autoptr(GPtrArray) changes = NULL;
    DocketChange *change;

    g_assert_cmpuint (call_json (server, "DELETE", meeting_path, secretary, NULL, NULL), ==, 204);
    changes = sync_since (server, official, &official_cursor);
    change = find_change (changes, DOCKET_CHANGE_MEETING, meeting_id);
    g_assert_nonnull (change);
    g_assert_true (change->deleted);
  }

  docket_test_server_stop (server);
}

static void
test_cli (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *out = NULL;
  g_autofree char *token = NULL;
  g_auto(GStrv) lines = NULL;
  guint accounts = 0;

  /* seed-demo printed NAME<TAB>ROLE<TAB>PASSWORD (tests/lib parsed it). */
  for (const char * const *name = docket_test_server_get_usernames (server); *name; name++)
    {
      const char *role = docket_test_server_get_role (server, *name);

      g_assert_true (g_str_equal (role, "official") || g_str_equal (role, "secretary"));
      g_assert_cmpuint (strlen (docket_test_server_get_password (server, *name)), >=, 12);
      accounts++;
    }
  g_assert_cmpuint (accounts, ==, 6);
  g_assert_cmpstr (docket_test_server_get_role (server, "thuky"), ==, "secretary");
  g_assert_cmpstr (docket_test_server_get_role (server, "daibieu5"), ==, "official");

  /* Seeding twice is refused. */
  g_assert_cmpint (docket_test_server_admin (server, NULL, &out, "seed-demo", NULL), !=, 0);
  g_assert_cmpstr (out, ==, "");
  g_clear_pointer (&out, g_free);

  /* user add / list / passwd / disable */
  g_assert_cmpint (docket_test_server_admin (server, "bi-mat-1\n", &out, "user", "add", "quantri",
                                             "--role", "admin", "--display-name", "Quản trị viên", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (docket_test_server_admin (server, "x\n", &out, "user", "add", "quantri",
                                             "--role", "admin", NULL), !=, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (docket_test_server_admin (server, "x\n", &out, "user", "add", "Bad Name",
                                             "--role", "admin", NULL), !=, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (docket_test_server_admin (server, "x\n", &out, "user", "add", "khac",
                                             "--role", "king", NULL), !=, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (docket_test_server_admin (server, "", &out, "user", "add", "khac",
                                             "--role", "official", NULL), !=, 0);
  g_clear_pointer (&out, g_free);

  g_assert_cmpint (docket_test_server_admin (server, NULL, &out, "user", "list", NULL), ==, 0);
  lines = g_strsplit (out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 8);   /* 7 users and the empty end */
  g_assert_nonnull (strstr (out, "quantri\tadmin\t\tenabled\tQuản trị viên\n"));
  g_assert_nonnull (strstr (out, "daibieu5\tofficial\tHĐND tỉnh\tenabled\tĐặng Đức Thắng\n"));
  g_clear_pointer (&out, g_free);

  token = docket_test_sign_in (server, "quantri", "bi-mat-1");
  g_clear_pointer (&token, g_free);
  g_assert_cmpint (docket_test_server_admin (server, "bi-mat-2\n", &out, "user", "passwd", "quantri", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  expect_error (server, "POST", "/api/v1/session", NULL,
                "{\"username\": \"quantri\", \"password\": \"bi-mat-1\"}", 401, "invalid_credentials");
  token = docket_test_sign_in (server, "quantri", "bi-mat-2");
  /* An admin sees every meeting, and the drafts. */
  {
    g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_change_free);
    g_autofree char *cursor = sync_all (server, token, NULL, 0, all);

    g_assert_cmpuint (count_changes (all, DOCKET_CHANGE_MEETING, FALSE), ==, 3);
  }

  g_assert_cmpint (docket_test_server_admin (server, NULL, &out, "user", "disable", "quantri", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  expect_error (server, "GET", "/api/v1/session", token, NULL, 401, "unauthorized");
  g_assert_cmpint (docket_test_server_admin (server, NULL, &out, "user", "list", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "quantri\tadmin\t\tdisabled\t"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (docket_test_server_admin (server, NULL, &out, "user", "disable", "khongco", NULL), !=, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (docket_test_server_admin (server, NULL, &out, "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "--tls-cert"));
  g_assert_nonnull (strstr (out, "DOCKET_SERVER_TOKEN_TTL"));

  docket_test_server_stop (server);
}

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

  g_test_add_func ("/server/info", test_info);
  g_test_add_func ("/server/sign-in", test_sign_in);
  g_test_add_func ("/server/rate-limit", test_rate_limit);
  g_test_add_func ("/server/feed", test_feed);
  g_test_add_func ("/server/bad-requests", test_bad_requests);
  g_test_add_func ("/server/manage-and-content", test_manage_and_content);
  g_test_add_func ("/server/annotations", test_annotations);
  g_test_add_func ("/server/annotations/bad-requests", test_annotations_bad_requests);
  g_test_add_func ("/server/cli", test_cli);
  g_test_add_func ("/server/gc/blobs", test_gc_blobs);
  g_test_add_func ("/server/gc/ops", test_gc_ops);
  g_test_add_func ("/server/gc/cli", test_gc_cli);
  g_test_add_func ("/server/gc/periodic", test_gc_periodic);

  return g_test_run ();
}
