/* test-redirects.c: the client follows no redirect, from the API or from downloads
 *
 * The real docket-server never redirects, so, as in test-hostile.c, a small SoupServer
 * inside the test plays a *hostile* server: it answers 301, 302, 307 and 308 to sign-in,
 * to the change feed, to a document's content and to an annotation sent from the outbox,
 * each pointing at a second listener that would answer well and counts every request it
 * gets. Following a redirect would hand the bearer token (and the official's work) to an
 * address nobody chose: the client must report a clear error, the second listener must
 * get nothing, and the cache must stay as it was.
 */
#include "config.h"

#include <string.h>

#include <libsoup/soup.h>
#include <sqlite3.h>

#include "docket-store.h"
#include "docket-sync.h"
#include "docket-test-client.h"
#include "docket-test-fake-server.h"

#define DOC_BYTES "%PDF-1.4\n% a tiny document for the redirect test\n%%EOF\n"

static const guint redirect_statuses[] = { 301, 302, 307, 308 };

typedef struct {
  SoupServer  *server;        /* the hostile one */
  char        *url;
  SoupServer  *elsewhere;     /* where its redirects point */
  char        *elsewhere_url;
  guint        elsewhere_requests;
  char        *tmpdir;
  char        *profile;
  DocketStore *store;
  DocketSync  *sync;

  /* What the hostile server redirects, with which status (0: answers well). */
  guint        session_redirect;
  guint        changes_redirect;
  guint        annotation_redirect;
  char        *changes_page;   /* its answer to /api/v1/changes when not redirecting */
} Fixture;

/* Documents "d301", "d302"... are redirected with the status of their name. */
static guint
document_redirect_status (const char *path)
{
  guint64 status = 0;
  char digits[4] = { 0 };

  if (!g_str_has_prefix (path, "/api/v1/documents/d") || !g_str_has_suffix (path, "/content"))
    return 0;
  memcpy (digits, path + strlen ("/api/v1/documents/d"), 3);
  if (!g_ascii_string_to_unsigned (digits, 10, 300, 399, &status, NULL))
    return 0;
  return (guint) status;
}

/* The bytes of document id: each its own, so that each is a download of its own. */
static char *
document_text (const char *id)
{
  return g_strdup_printf ("%s%% %s\n", DOC_BYTES, id);
}

static void
redirect (SoupServerMessage *msg,
          Fixture           *fixture,
          guint              status,
          const char        *path)
{
  g_autofree char *location = g_strconcat (fixture->elsewhere_url, path, NULL);

  soup_server_message_set_redirect (msg, status, location);
}

static void
hostile_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  Fixture *fixture = user_data;
  guint document_status = document_redirect_status (path);

  if (g_str_equal (path, "/api/v1/session"))
    {
      if (fixture->session_redirect != 0)
        redirect (msg, fixture, fixture->session_redirect, path);
      else if (g_str_equal (soup_server_message_get_method (msg), "DELETE"))
        soup_server_message_set_status (msg, 204, NULL);
      else
        docket_test_fake_reply_session (msg);
      return;
    }

  if (g_str_equal (path, "/api/v1/changes"))
    {
      if (fixture->changes_redirect != 0)
        redirect (msg, fixture, fixture->changes_redirect, path);
      else
        docket_test_fake_reply_json (msg, 200, fixture->changes_page);
      return;
    }

  if (g_str_has_prefix (path, "/api/v1/annotations/") && fixture->annotation_redirect != 0)
    {
      redirect (msg, fixture, fixture->annotation_redirect, path);
      return;
    }

  if (document_status != 0)
    {
      redirect (msg, fixture, document_status, path);
      return;
    }

  if (g_str_equal (path, "/api/v1/documents/d1/content"))
    {
      g_autofree char *text = document_text ("d1");

      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/pdf", SOUP_MEMORY_COPY, text, strlen (text));
      return;
    }

  soup_server_message_set_status (msg, 404, NULL);
}

/* The second listener answers as a good server would, so that a client that followed a
 * redirect would look successful: only the count tells. */
static void
elsewhere_cb (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  Fixture *fixture = user_data;

  fixture->elsewhere_requests++;
  g_test_message ("the second listener got %s %s", soup_server_message_get_method (msg), path);

  if (g_str_equal (path, "/api/v1/session"))
    docket_test_fake_reply_session (msg);
  else if (g_str_equal (path, "/api/v1/changes"))
    docket_test_fake_reply_json (msg, 200, "{\"cursor\": \"9\", \"more\": false, \"changes\": []}");
  else if (g_str_has_prefix (path, "/api/v1/documents/d"))
    {
      g_autofree char *id = g_strndup (path + strlen ("/api/v1/documents/"), 4);
      g_autofree char *text = document_text (id);

      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/pdf", SOUP_MEMORY_COPY, text, strlen (text));
    }
  else
    soup_server_message_set_status (msg, 404, NULL);
}

/* Pages of the feed */

static char *
document_json (const char *id,
               int         position)
{
  g_autofree char *text = document_text (id);
  g_autofree char *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);

  return g_strdup_printf (
    " {\"type\": \"document\", \"id\": \"%s\", \"deleted\": false, \"data\": {"
    "   \"id\": \"%s\", \"meeting_id\": \"m1\", \"item_id\": \"i1\", \"position\": %d,"
    "   \"title\": \"Tài liệu %s\", \"media_type\": \"application/pdf\", \"sha256\": \"%s\","
    "   \"size\": %" G_GSIZE_FORMAT ", \"pages\": 1, \"version\": 1}}",
    id, id, position, id, sha, strlen (text));
}

static char *
first_page (void)
{
  g_autofree char *d1 = document_json ("d1", 0);

  return g_strdup_printf (
    "{\"cursor\": \"1\", \"more\": false, \"changes\": ["
    DOCKET_TEST_FAKE_MEETING_M1_CHANGES
    "%s]}", d1);
}



/* The error says what happened and what to check. */
static void
assert_redirect_error (const GError *error)
{
  g_assert_error (error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "redirect"));
}

/* Fixture */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->server = docket_test_fake_server_new (hostile_cb, fixture, &fixture->url);
  fixture->elsewhere = docket_test_fake_server_new (elsewhere_cb, fixture, &fixture->elsewhere_url);

  fixture->changes_page = first_page ();
  fixture->tmpdir = docket_test_make_tmpdir ("client-redirects");
  fixture->profile = g_build_filename (fixture->tmpdir, "profile", NULL);
  docket_test_profile_open (fixture->profile, &fixture->store, &fixture->sync);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  docket_test_profile_close (&fixture->store, &fixture->sync);
  soup_server_disconnect (fixture->server);
  g_clear_object (&fixture->server);
  soup_server_disconnect (fixture->elsewhere);
  g_clear_object (&fixture->elsewhere);
  docket_test_rmtree (fixture->tmpdir);
  g_free (fixture->tmpdir);
  g_free (fixture->profile);
  g_free (fixture->url);
  g_free (fixture->elsewhere_url);
  g_free (fixture->changes_page);
}

/* Signed in, with a first valid sync: a meeting, an item and d1 in the cache. */
static void
sign_in_and_sync (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  error = docket_test_sync_sign_in (fixture->sync, fixture->url, "daibieu1", "password");
  g_assert_no_error (error);
  error = docket_test_sync_run (fixture->sync);
  g_assert_no_error (error);
}

/* Tests */

/* Sign-in redirected: not signed in, nothing recorded, nothing sent elsewhere. */
/* The cache as text: every row that matters and every file. */
static char *
dump_cache (Fixture *fixture)
{
  static const char * const queries[] = {
    "account", "meetings", "agenda_items", "documents", "blobs", "annotations",
    /* The outbox counts failures as it goes: what matters is which operations wait. */
    "outbox|SELECT op_id, kind, entity_id FROM outbox ORDER BY seq", NULL
  };

  return docket_test_dump_profile (fixture->profile, queries);
}

static void
test_sign_in (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *before = dump_cache (fixture);

  for (guint i = 0; i < G_N_ELEMENTS (redirect_statuses); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *after = NULL;

      g_test_message ("sign-in answered with %u", redirect_statuses[i]);
      fixture->session_redirect = redirect_statuses[i];
      error = docket_test_sync_sign_in (fixture->sync, fixture->url, "daibieu1", "password");
      assert_redirect_error (error);
      /* Where it pointed, so that the official can tell their administrator. */
      g_assert_nonnull (strstr (error->message, fixture->elsewhere_url));
      g_assert_false (docket_sync_get_signed_in (fixture->sync));
      g_assert_cmpuint (fixture->elsewhere_requests, ==, 0);

      after = dump_cache (fixture);
      g_assert_cmpstr (before, ==, after);
    }
}

/* The feed redirected: the run fails with the error, the cache stays as it was. */
static void
test_feed (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *before = NULL;

  sign_in_and_sync (fixture);
  before = dump_cache (fixture);

  for (guint i = 0; i < G_N_ELEMENTS (redirect_statuses); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *after = NULL;

      g_test_message ("the feed answered with %u", redirect_statuses[i]);
      fixture->changes_redirect = redirect_statuses[i];
      error = docket_test_sync_run (fixture->sync);
      assert_redirect_error (error);
      g_assert_cmpint (docket_sync_get_state (fixture->sync), ==, DOCKET_SYNC_STATE_ERROR);
      g_assert_nonnull (strstr (docket_sync_get_error_message (fixture->sync), "redirect"));
      g_assert_cmpuint (fixture->elsewhere_requests, ==, 0);

      after = dump_cache (fixture);
      g_assert_cmpstr (before, ==, after);
    }
}

/* Downloads redirected: each document says why it failed, none is in the cache. */
static void
test_downloads (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GString) page = g_string_new ("{\"cursor\": \"2\", \"more\": false, \"changes\": [");
  g_autoptr(GError) error = NULL;

  sign_in_and_sync (fixture);

  for (guint i = 0; i < G_N_ELEMENTS (redirect_statuses); i++)
    {
      g_autofree char *id = g_strdup_printf ("d%u", redirect_statuses[i]);
      g_autofree char *json = document_json (id, (int) i + 1);

      g_string_append_printf (page, "%s%s", i > 0 ? "," : "", json);
    }
  g_string_append (page, "]}");
  g_free (fixture->changes_page);
  fixture->changes_page = g_strdup (page->str);

  error = docket_test_sync_run (fixture->sync);
  assert_redirect_error (error);
  g_clear_error (&error);

  for (guint i = 0; i < G_N_ELEMENTS (redirect_statuses); i++)
    {
      g_autofree char *id = g_strdup_printf ("d%u", redirect_statuses[i]);
      g_autoptr(DocketStoreDocumentRow) row = docket_store_get_document (fixture->store, id, &error);
      DocketDownloadInfo info;

      g_test_message ("the content of %s answered with %u", id, redirect_statuses[i]);
      g_assert_no_error (error);
      g_assert_nonnull (row);
      g_assert_null (row->path);
      g_assert_true (docket_sync_get_download (fixture->sync, row->document->sha256, &info));
      g_assert_cmpint (info.state, ==, DOCKET_DOWNLOAD_STATE_FAILED);
      g_assert_cmpint (info.reason, ==, DOCKET_SYNC_ERROR_PROTOCOL);
      g_assert_nonnull (strstr (info.message, "redirect"));
    }
  g_assert_cmpuint (fixture->elsewhere_requests, ==, 0);
}

/* An annotation sent and redirected stays in the outbox, and goes nowhere else. */
static void
test_outbox (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(DocketAnnotationRecord) record = docket_annotation_record_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;

  sign_in_and_sync (fixture);

  record->id = g_uuid_string_random ();
  record->document_id = g_strdup ("d1");
  record->page = 0;
  record->kind = DOCKET_ANNOTATION_HIGHLIGHT;
  record->color = g_strdup ("#ffd700");
  record->geometry = g_strdup ("{\"rects\": [[72, 100, 300.5, 112]]}");
  record->contents = g_strdup ("Cần hỏi lại");
  g_assert_true (docket_store_save_annotation (fixture->store, record, &error));
  g_assert_no_error (error);
  before = dump_cache (fixture);

  for (guint i = 0; i < G_N_ELEMENTS (redirect_statuses); i++)
    {
      g_autoptr(GPtrArray) ops = NULL;
      g_autofree char *after = NULL;

      g_test_message ("the annotation answered with %u", redirect_statuses[i]);
      fixture->annotation_redirect = redirect_statuses[i];
      g_clear_error (&error);
      error = docket_test_sync_run (fixture->sync);
      assert_redirect_error (error);
      g_assert_cmpuint (fixture->elsewhere_requests, ==, 0);
      g_clear_error (&error);

      ops = docket_store_list_outbox (fixture->store, 10, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (ops->len, ==, 1);
      after = dump_cache (fixture);
      g_assert_cmpstr (before, ==, after);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/redirects/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("sign-in", test_sign_in);
  ADD ("feed", test_feed);
  ADD ("downloads", test_downloads);
  ADD ("outbox", test_outbox);

#undef ADD

  return g_test_run ();
}
