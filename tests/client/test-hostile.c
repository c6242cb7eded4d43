/* test-hostile.c: broken and hostile server answers leave the cache as it was
 *
 * This is the one place where the tests do not use the real docket-server: a small
 * SoupServer inside the test plays a *hostile* server, which the real server cannot be.
 * It answers sign-in and a first valid page so that the cache holds something, then canned
 * bad answers; after each, every row of the cache and the list of its files must be exactly
 * what they were.
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <sqlite3.h>

#include "docket-store.h"
#include "docket-sync.h"
#include "docket-test-client.h"
#include "docket-test-fake-server.h"

#define DOC_BYTES "%PDF-1.4\n% a tiny document for the hostile server test\n%%EOF\n"

typedef struct {
  SoupServer  *server;
  char        *url;
  char        *tmpdir;
  char        *profile;
  DocketStore *store;
  DocketSync  *sync;

  /* What the fake answers to POST /api/v1/session; NULL: a valid answer */
  const char  *session_body;

  /* What the fake answers to /api/v1/changes */
  guint        changes_status;
  const char  *changes_content_type;
  GBytes      *changes_body;
  gboolean     changes_chunked;

  /* What it answers to /api/v1/documents/.../content */
  GBytes      *document_body;
  gboolean     document_chunked;
} Fixture;

static void
handle_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  Fixture *fixture = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SoupMessageBody *body = soup_server_message_get_response_body (msg);

  if (g_str_equal (path, "/api/v1/session"))
    {
      if (fixture->session_body != NULL)
        docket_test_fake_reply_json (msg, 201, fixture->session_body);
      else
        docket_test_fake_reply_session (msg);
      return;
    }

  if (g_str_equal (path, "/api/v1/changes"))
    {
      soup_server_message_set_status (msg, fixture->changes_status, NULL);
      soup_message_headers_replace (headers, "Content-Type", fixture->changes_content_type);
      if (fixture->changes_chunked)
        soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
      if (g_bytes_get_size (fixture->changes_body) > 0)
        soup_message_body_append_bytes (body, fixture->changes_body);
      soup_message_body_complete (body);
      return;
    }

  if (g_str_has_prefix (path, "/api/v1/documents/"))
    {
      soup_server_message_set_status (msg, 200, NULL);
      soup_message_headers_replace (headers, "Content-Type", "application/pdf");
      if (fixture->document_chunked)
        soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
      soup_message_body_append_bytes (body, fixture->document_body);
      soup_message_body_complete (body);
      return;
    }

  soup_server_message_set_status (msg, 404, NULL);
}

static void
set_changes (Fixture    *fixture,
             guint       status,
             const char *content_type,
             const char *body)
{
  g_clear_pointer (&fixture->changes_body, g_bytes_unref);
  fixture->changes_body = g_bytes_new (body, strlen (body));
  fixture->changes_status = status;
  fixture->changes_content_type = content_type;
  fixture->changes_chunked = FALSE;
}

/* The state of the cache: every row of every table, and every file. */




/* Fixture */

static char *
doc_sha (void)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, DOC_BYTES, -1);
}

static char *
valid_page (void)
{
  g_autofree char *sha = doc_sha ();

  return g_strdup_printf (
    "{\"cursor\": \"1\", \"more\": false, \"changes\": ["
    DOCKET_TEST_FAKE_MEETING_M1_CHANGES
    " {\"type\": \"document\", \"id\": \"d1\", \"deleted\": false, \"data\": {"
    "   \"id\": \"d1\", \"meeting_id\": \"m1\", \"item_id\": \"i1\", \"position\": 0,"
    "   \"title\": \"Tờ trình\", \"media_type\": \"application/pdf\", \"sha256\": \"%s\","
    "   \"size\": %" G_GSIZE_FORMAT ", \"pages\": 1, \"version\": 1}}"
    "]}", sha, strlen (DOC_BYTES));
}

/* A page adding document d2 to the cached meeting. */
static char *
page_with_document (const char *id,
                    const char *sha,
                    const char *size)
{
  return g_strdup_printf (
    "{\"cursor\": \"2\", \"more\": false, \"changes\": ["
    " {\"type\": \"document\", \"id\": \"%s\", \"deleted\": false, \"data\": {"
    "   \"id\": \"%s\", \"meeting_id\": \"m1\", \"item_id\": \"i1\", \"position\": 1,"
    "   \"title\": \"Phụ lục\", \"media_type\": \"application/pdf\", \"sha256\": \"%s\","
    "   \"size\": %s, \"pages\": 1, \"version\": 2}}"
    "]}", id, id, sha, size);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *page = valid_page ();

  fixture->server = docket_test_fake_server_new (handle_cb, fixture, &fixture->url);

  fixture->document_body = g_bytes_new_static (DOC_BYTES, strlen (DOC_BYTES));
  set_changes (fixture, 200, "application/json", page);

  fixture->tmpdir = docket_test_make_tmpdir ("client-hostile");
  fixture->profile = g_build_filename (fixture->tmpdir, "profile", NULL);
  docket_test_profile_open (fixture->profile, &fixture->store, &fixture->sync);

  error = docket_test_sync_sign_in (fixture->sync, fixture->url, "daibieu1", "password");
  g_assert_no_error (error);

  /* A first, valid sync, so that there is something to keep. */
  error = docket_test_sync_run (fixture->sync);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  docket_test_profile_close (&fixture->store, &fixture->sync);
  soup_server_disconnect (fixture->server);
  g_clear_object (&fixture->server);
  g_clear_pointer (&fixture->changes_body, g_bytes_unref);
  g_clear_pointer (&fixture->document_body, g_bytes_unref);
  docket_test_rmtree (fixture->tmpdir);
  g_free (fixture->tmpdir);
  g_free (fixture->profile);
  g_free (fixture->url);
}

/* Tests */

typedef struct {
  const char *name;
  guint       status;
  const char *content_type;
  const char *body;
  int         expected;   /* DocketSyncError */
} HostileCase;

#define MEETING_WITH(field_json) \
  "{\"cursor\": \"2\", \"more\": false, \"changes\": [" \
  " {\"type\": \"meeting\", \"id\": \"m2\", \"deleted\": false, \"data\": {" \
  "   \"id\": \"m2\", \"title\": \"T\", \"organ\": \"O\"," \
  "   \"starts_at\": \"2026-11-22T08:00:00+07:00\", \"ends_at\": \"2026-11-22T11:00:00+07:00\"," \
  "   \"time_zone\": \"Asia/Ho_Chi_Minh\", \"location\": \"\", \"status\": \"published\"," \
  "   \"participants\": [], " field_json "}}]}"
/* The cache as text: every row that matters and every file. */
static char *
dump_cache (Fixture *fixture)
{
  static const char * const queries[] = {
    "account", "meetings", "participants", "agenda_items", "documents", "blobs", NULL
  };

  return docket_test_dump_profile (fixture->profile, queries);
}

static const HostileCase hostile_cases[] = {
  { "cursor of the wrong type", 200, "application/json",
    "{\"cursor\": 5, \"more\": false, \"changes\": []}", DOCKET_SYNC_ERROR_PROTOCOL },
  { "changes missing", 200, "application/json",
    "{\"cursor\": \"2\", \"more\": false}", DOCKET_SYNC_ERROR_PROTOCOL },
  { "changes not an array", 200, "application/json",
    "{\"cursor\": \"2\", \"more\": false, \"changes\": {}}", DOCKET_SYNC_ERROR_PROTOCOL },
  { "version missing", 200, "application/json",
    MEETING_WITH ("\"x\": 1"), DOCKET_SYNC_ERROR_PROTOCOL },
  { "enormous version", 200, "application/json",
    MEETING_WITH ("\"version\": 1e300"), DOCKET_SYNC_ERROR_PROTOCOL },
  { "version of the wrong type", 200, "application/json",
    MEETING_WITH ("\"version\": \"1\""), DOCKET_SYNC_ERROR_PROTOCOL },
  { "negative version", 200, "application/json",
    MEETING_WITH ("\"version\": -4"), DOCKET_SYNC_ERROR_PROTOCOL },
  { "id with ../", 200, "application/json",
    "{\"cursor\": \"2\", \"more\": false, \"changes\": ["
    " {\"type\": \"document\", \"id\": \"../../x\", \"deleted\": true}]}",
    DOCKET_SYNC_ERROR_PROTOCOL },
  { "item of an unknown meeting", 200, "application/json",
    "{\"cursor\": \"2\", \"more\": false, \"changes\": ["
    " {\"type\": \"agenda_item\", \"id\": \"i9\", \"deleted\": false, \"data\": {"
    "   \"id\": \"i9\", \"meeting_id\": \"nowhere\", \"parent_id\": null, \"position\": 0,"
    "   \"number\": \"1\", \"title\": \"X\", \"presenter\": \"\", \"description\": \"\","
    "   \"version\": 2}}]}", DOCKET_SYNC_ERROR_PROTOCOL },
  { "not JSON", 200, "application/json", "hello, world", DOCKET_SYNC_ERROR_PROTOCOL },
  { "HTML page", 200, "text/html",
    "<!DOCTYPE html><html><body><h1>Welcome to nginx!</h1></body></html>",
    DOCKET_SYNC_ERROR_PROTOCOL },
  { "HTML error page", 502, "text/html",
    "<html><body><h1>502 Bad Gateway</h1></body></html>", DOCKET_SYNC_ERROR_SERVER },
  { "500", 500, "application/json",
    "{\"error\": \"internal\", \"message\": \"boom\"}", DOCKET_SYNC_ERROR_SERVER },
  { "an array", 200, "application/json", "[1, 2, 3]", DOCKET_SYNC_ERROR_PROTOCOL },
  { "empty body", 200, "application/json", "", DOCKET_SYNC_ERROR_PROTOCOL },
  { "more without moving on", 200, "application/json",
    "{\"cursor\": \"1\", \"more\": true, \"changes\": []}", DOCKET_SYNC_ERROR_PROTOCOL },
  { "418", 418, "text/plain", "teapot", DOCKET_SYNC_ERROR_PROTOCOL },
  /* json-glib alone would read the id below as "d1" and delete the cached document. */
  { "\\u0000 inside an id", 200, "application/json",
    "{\"cursor\": \"2\", \"more\": false, \"changes\": ["
    " {\"type\": \"document\", \"id\": \"d1\\u0000../x\", \"deleted\": true}]}",
    DOCKET_SYNC_ERROR_PROTOCOL },
  /* ... and the same inside the id of an entity's data, next to a valid change id. */
  { "\\u0000 inside a data id", 200, "application/json",
    "{\"cursor\": \"2\", \"more\": false, \"changes\": ["
    " {\"type\": \"meeting\", \"id\": \"m2\", \"deleted\": false, \"data\": {"
    "   \"id\": \"m2\\u0000/../../etc\", \"title\": \"T\", \"organ\": \"O\","
    "   \"starts_at\": \"2026-11-22T08:00:00+07:00\", \"ends_at\": \"2026-11-22T11:00:00+07:00\","
    "   \"time_zone\": \"Asia/Ho_Chi_Minh\", \"location\": \"\", \"status\": \"published\","
    "   \"participants\": [], \"version\": 2}}]}",
    DOCKET_SYNC_ERROR_PROTOCOL },
  /* 2^64 + 42: json-glib alone wraps it to the valid version 42. */
  { "version of 2^64 + 42", 200, "application/json",
    MEETING_WITH ("\"version\": 18446744073709551658"), DOCKET_SYNC_ERROR_PROTOCOL },
  { "version of -(2^64) + 42", 200, "application/json",
    MEETING_WITH ("\"version\": -18446744073709551574"), DOCKET_SYNC_ERROR_PROTOCOL },
  /* An error body is read too: json-glib alone reads this code as "invalid_cursor", and
   * the client would throw its whole cache away. */
  { "invalid_cursor\\u0000 error code", 400, "application/json",
    "{\"error\": \"invalid_cursor\\u0000x\", \"message\": \"\"}", DOCKET_SYNC_ERROR_PROTOCOL },
  { "cursor as a NUL-cut string", 200, "application/json",
    "{\"cursor\": \"3\\u0000\", \"more\": false, \"changes\": []}", DOCKET_SYNC_ERROR_PROTOCOL },
};

static void
assert_hostile_answer_refused (Fixture    *fixture,
                               const char *name,
                               int         expected)
{
  g_autofree char *before = dump_cache (fixture);
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;

  g_test_message ("hostile answer: %s", name);
  error = docket_test_sync_run (fixture->sync);
  g_assert_error (error, DOCKET_SYNC_ERROR, expected);
  g_assert_cmpint (docket_sync_get_state (fixture->sync), ==, DOCKET_SYNC_STATE_ERROR);
  g_assert_nonnull (docket_sync_get_error_message (fixture->sync));

  after = dump_cache (fixture);
  g_assert_cmpstr (before, ==, after);
}

static void
test_hostile_table (Fixture       *fixture,
                    gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (hostile_cases); i++)
    {
      const HostileCase *c = &hostile_cases[i];

      set_changes (fixture, c->status, c->content_type, c->body);
      assert_hostile_answer_refused (fixture, c->name, c->expected);
    }
}

static void
test_hostile_big_values (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *long_title = g_strnfill (5000, 'a');
  g_autofree char *field = g_strdup_printf ("\"version\": 2, \"title\": \"%s\"", long_title);
  g_autofree char *page = NULL;
  g_autofree char *nested = NULL;
  g_autofree char *sha = doc_sha ();
  GString *deep;

  /* A title five times over the limit (a second "title" member overrides the first). */
  page = g_strdup_printf (MEETING_WITH ("%s"), field);
  set_changes (fixture, 200, "application/json", page);
  assert_hostile_answer_refused (fixture, "enormous title", DOCKET_SYNC_ERROR_PROTOCOL);
  g_clear_pointer (&page, g_free);

  /* A document of 10^20 bytes. */
  page = page_with_document ("d2", sha, "100000000000000000000");
  set_changes (fixture, 200, "application/json", page);
  assert_hostile_answer_refused (fixture, "enormous size", DOCKET_SYNC_ERROR_PROTOCOL);
  g_clear_pointer (&page, g_free);

  /* A checksum that is a path. */
  page = page_with_document ("d2", "../../../../etc/passwd", "10");
  set_changes (fixture, 200, "application/json", page);
  assert_hostile_answer_refused (fixture, "checksum with ../", DOCKET_SYNC_ERROR_PROTOCOL);

  /* 100,000 nested arrays: json-glib alone recurses once per level and overflows the
   * worker thread's stack. */
  deep = g_string_new ("{\"cursor\": \"2\", \"more\": false, \"changes\": ");
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, ']');
  g_string_append_c (deep, '}');
  nested = g_string_free (deep, FALSE);
  set_changes (fixture, 200, "application/json", nested);
  assert_hostile_answer_refused (fixture, "100,000 nested arrays", DOCKET_SYNC_ERROR_PROTOCOL);
  g_clear_pointer (&nested, g_free);

  /* A million nested arrays, never closed. */
  deep = g_string_new ("{\"cursor\": \"2\", \"more\": false, \"changes\": ");
  for (guint i = 0; i < 1000000; i++)
    g_string_append_c (deep, '[');
  nested = g_string_free (deep, FALSE);
  set_changes (fixture, 200, "application/json", nested);
  assert_hostile_answer_refused (fixture, "deep nesting", DOCKET_SYNC_ERROR_PROTOCOL);
}

static void
test_hostile_huge_body (Fixture       *fixture,
                        gconstpointer  data)
{
  gsize size = DOCKET_MAX_JSON_RESPONSE_BYTES + 1024;
  char *huge = g_malloc (size);

  /* Spaces are valid JSON padding: only the size is wrong. Chunked, so that the client
   * cannot refuse it from its Content-Length and must count while reading. */
  memset (huge, ' ', size);
  g_clear_pointer (&fixture->changes_body, g_bytes_unref);
  fixture->changes_body = g_bytes_new_take (huge, size);
  fixture->changes_status = 200;
  fixture->changes_content_type = "application/json";
  fixture->changes_chunked = TRUE;
  assert_hostile_answer_refused (fixture, "body over 64 MiB (chunked)", DOCKET_SYNC_ERROR_PROTOCOL);

  /* The same with a Content-Length: refused before reading. */
  fixture->changes_chunked = FALSE;
  assert_hostile_answer_refused (fixture, "body over 64 MiB", DOCKET_SYNC_ERROR_PROTOCOL);
}

static void
check_oversized_document (Fixture  *fixture,
                          gboolean  chunked)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) content = g_string_new (NULL);
  g_autofree char *sha = NULL;
  g_autofree char *size = NULL;
  g_autofree char *page = NULL;
  g_autofree char *blob = NULL;
  g_autofree char *partial = NULL;
  g_autoptr(DocketStoreDocumentRow) row = NULL;

  /* The announced document is 300 KiB; the server sends 100 KiB more. */
  for (guint i = 0; content->len < 300 * 1024; i++)
    g_string_append_printf (content, "%%line %u of the document\n", i);
  g_string_truncate (content, 300 * 1024);
  sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) content->str, content->len);
  size = g_strdup_printf ("%" G_GSIZE_FORMAT, content->len);
  for (guint i = 0; i < 100 * 1024; i++)
    g_string_append_c (content, 'X');

  page = page_with_document (chunked ? "d3" : "d2", sha, size);
  set_changes (fixture, 200, "application/json", page);
  g_clear_pointer (&fixture->document_body, g_bytes_unref);
  fixture->document_body = g_bytes_new (content->str, content->len);
  fixture->document_chunked = chunked;

  error = docket_test_sync_run (fixture->sync);
  g_assert_error (error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_PROTOCOL);

  /* The document is listed (the page was valid), but no byte of it was kept. */
  row = docket_store_get_document (fixture->store, chunked ? "d3" : "d2", NULL);
  g_assert_nonnull (row);
  g_assert_null (row->path);
  blob = docket_store_dup_blob_path (fixture->store, sha);
  partial = docket_store_dup_partial_path (fixture->store, sha);
  g_assert_false (g_file_test (blob, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (partial, G_FILE_TEST_EXISTS));
}

static void
test_document_larger_than_announced (Fixture       *fixture,
                                     gconstpointer  data)
{
  check_oversized_document (fixture, FALSE);
}

static void
test_document_larger_than_announced_chunked (Fixture       *fixture,
                                             gconstpointer  data)
{
  check_oversized_document (fixture, TRUE);
}

/* The sign-in answer goes through the strict parser too. */
static void
test_hostile_session_answer (Fixture       *fixture,
                             gconstpointer  data)
{
  static const char * const answers[] = {
    /* json-glib alone reads the token as "hostileToken", a sane one. */
    "{\"token\": \"hostileToken\\u0000\\r\\nX-Injected: 1\", \"expires_at\": \"2030-01-01T00:00:00Z\","
    " \"user\": {\"username\": \"daibieu1\"}}",
    "{\"token\": \"hostileTokenBBBB\", \"expires_at\": 18446744073709551658,"
    " \"user\": {\"username\": \"daibieu1\"}}",
    "{\"token\": \"hostileTokenBBBB\", \"user\": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      g_autoptr(GError) error = NULL;

      fixture->session_body = answers[i];
      error = docket_test_sync_sign_in (fixture->sync, fixture->url, "daibieu1", "password");
      g_assert_error (error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_PROTOCOL);
      g_clear_error (&error);
    }

  fixture->session_body = NULL;
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/hostile/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("table", test_hostile_table);
  ADD ("big-values", test_hostile_big_values);
  ADD ("huge-body", test_hostile_huge_body);
  ADD ("session-answer", test_hostile_session_answer);
  ADD ("document-larger-than-announced", test_document_larger_than_announced);
  ADD ("document-larger-than-announced-chunked", test_document_larger_than_announced_chunked);

#undef ADD

  return g_test_run ();
}
