/* test-server-meetings.c: the real docket-server's change feed as each role sees it, and
 * what secretaries manage: meetings, participants, agenda items, documents and their
 * contents (docs/protocol.md)
 *
 * Split from test-server.c (same cases); the helpers are in test-server-common.c.
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
#include "test-server-common.h"

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
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (users), "users")), ==, DEMO_ACCOUNTS);

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

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/feed", test_feed);
  g_test_add_func ("/server/manage-and-content", test_manage_and_content);

  return g_test_run ();
}
