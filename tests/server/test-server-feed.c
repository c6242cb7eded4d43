/* test-server-feed.c: the change feed of the real docket-server on big changes
 *
 * A test plays a client: it follows the feed page by page with the client's strict
 * reader (docket_changes_page_from_json), applies each page to a replica that checks,
 * as the client's store does at each page's commit, that every item and document it
 * holds has its meeting and its parent, and compares the end with the server's own
 * database, read directly. Pages must keep to the request's limit and to the byte budget
 * (DOCKET_SERVER_FEED_PAGE_BYTES makes it small here, so that a few thousand documents
 * cross it many times).
 */
#include "config.h"

#include <string.h>
#include <sqlite3.h>
#include <json-glib/json-glib.h>

#include "docket-protocol.h"
#include "docket-records.h"
#include "docket-test-util.h"

#define PAGE_BYTES 262144

/* Accounts of seed-archive */

typedef struct {
  DocketTestServer *server;
  char             *secretary;      /* tokens */
  char             *official;
} Archive;

static void
archive_clear (Archive *archive)
{
  g_clear_pointer (&archive->server, docket_test_server_stop);
  g_clear_pointer (&archive->secretary, g_free);
  g_clear_pointer (&archive->official, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Archive, archive_clear)

/* Starts a server, seeds an archive and signs its secretary and first official in. */
static void
archive_start (Archive    *archive,
               const char *meetings,
               const char *items,
               const char *documents,
               const char *officials)
{
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;

  archive->server = docket_test_server_start (FALSE);
  g_assert_cmpint (docket_test_server_admin (archive->server, NULL, &out, "seed-archive",
                                             "--meetings", meetings, "--items", items,
                                             "--documents", documents,
                                             "--officials", officials, NULL), ==, 0);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL && *lines[i] != '\0'; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], "\t", -1);

      g_assert_cmpuint (g_strv_length (fields), ==, 3);
      if (g_str_equal (fields[1], "secretary"))
        archive->secretary = docket_test_sign_in (archive->server, fields[0], fields[2]);
      else if (archive->official == NULL)
        {
          g_assert_cmpstr (fields[1], ==, "official");
          archive->official = docket_test_sign_in (archive->server, fields[0], fields[2]);
        }
    }
  g_assert_nonnull (archive->secretary);
  g_assert_nonnull (archive->official);
}

/* HTTP */

static guint
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
  guint status;

  status = docket_test_http (method, url, token, "application/json", body, &answer);
  if (out_json != NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      gsize size;
      const char *data = g_bytes_get_data (answer, &size);

      *out_json = NULL;
      if (json_parser_load_from_data (parser, data, (gssize) size, NULL))
        *out_json = json_parser_steal_root (parser);
    }
  return status;
}

static char *
member_dup (JsonNode   *root,
            const char *name)
{
  return g_strdup (json_object_get_string_member (json_node_get_object (root), name));
}

/* A page of the feed, checked as a client checks it, and against the limits. */
static DocketChangesPage *
get_page (DocketTestServer *server,
          const char       *token,
          const char       *since,
          guint             limit)
{
  g_autofree char *escaped = since ? g_uri_escape_string (since, NULL, TRUE) : NULL;
  g_autofree char *url = g_strdup_printf ("%s/api/v1/changes?limit=%u%s%s",
                                          docket_test_server_get_url (server), limit,
                                          escaped ? "&since=" : "", escaped ? escaped : "");
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  DocketChangesPage *page;
  gsize size;
  const char *data;

  g_assert_cmpuint (docket_test_http ("GET", url, token, NULL, NULL, &answer), ==, 200);
  data = g_bytes_get_data (answer, &size);
  g_assert_cmpuint (size, <=, DOCKET_MAX_JSON_RESPONSE_BYTES);
  g_assert_cmpuint (size, <=, PAGE_BYTES + 1024);
  g_assert_true (json_parser_load_from_data (parser, data, (gssize) size, NULL));
  page = docket_changes_page_from_json (json_parser_get_root (parser), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->changes->len, <=, limit);
  g_assert_cmpuint (page->changes->len, <=, DOCKET_MAX_CHANGES_PER_PAGE);
  g_assert_cmpuint (strlen (page->cursor), <=, DOCKET_MAX_CURSOR_BYTES);
  return page;
}

/* The client, reduced to what the feed must get right */

typedef struct {
  GHashTable *meetings;   /* id → DocketMeetingRecord* */
  GHashTable *items;      /* id → DocketAgendaItemRecord* */
  GHashTable *documents;  /* id → DocketDocumentRecord* */
  char       *cursor;
  guint       pages;
  guint       changes;
} Replica;

static void
replica_init (Replica *replica)
{
  replica->meetings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) docket_meeting_record_free);
  replica->items = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) docket_agenda_item_record_free);
  replica->documents = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) docket_document_record_free);
  replica->cursor = NULL;
  replica->pages = 0;
  replica->changes = 0;
}

static void
replica_clear (Replica *replica)
{
  g_clear_pointer (&replica->meetings, g_hash_table_unref);
  g_clear_pointer (&replica->items, g_hash_table_unref);
  g_clear_pointer (&replica->documents, g_hash_table_unref);
  g_clear_pointer (&replica->cursor, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Replica, replica_clear)

/* The client's cascades: a meeting takes its items and documents, an item its sub-items
 * and their documents. */
static void
remove_item_tree (Replica    *replica,
                  const char *item_id)
{
  g_autoptr(GPtrArray) children = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, replica->items);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_strcmp0 (((DocketAgendaItemRecord *) value)->parent_id, item_id) == 0)
      g_ptr_array_add (children, g_strdup (key));
  for (guint i = 0; i < children->len; i++)
    remove_item_tree (replica, g_ptr_array_index (children, i));

  g_hash_table_iter_init (&iter, replica->documents);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_str_equal (((DocketDocumentRecord *) value)->item_id, item_id))
      g_hash_table_iter_remove (&iter);
  g_hash_table_remove (replica->items, item_id);
}

static void
remove_meeting (Replica    *replica,
                const char *meeting_id)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, replica->documents);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (g_str_equal (((DocketDocumentRecord *) value)->meeting_id, meeting_id))
      g_hash_table_iter_remove (&iter);
  g_hash_table_iter_init (&iter, replica->items);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (g_str_equal (((DocketAgendaItemRecord *) value)->meeting_id, meeting_id))
      g_hash_table_iter_remove (&iter);
  g_hash_table_remove (replica->meetings, meeting_id);
}

static void
replica_apply_change (Replica      *replica,
                      DocketChange *change)
{
  GHashTable *table = NULL;

  switch (change->type)
    {
    case DOCKET_CHANGE_MEETING:
      if (change->deleted)
        {
          remove_meeting (replica, change->id);
          return;
        }
      table = replica->meetings;
      break;
    case DOCKET_CHANGE_AGENDA_ITEM:
      if (change->deleted)
        {
          remove_item_tree (replica, change->id);
          return;
        }
      table = replica->items;
      break;
    case DOCKET_CHANGE_DOCUMENT:
      if (change->deleted)
        {
          g_hash_table_remove (replica->documents, change->id);
          return;
        }
      table = replica->documents;
      break;
    default:
      return;
    }
  g_hash_table_insert (table, g_strdup (change->id), g_steal_pointer (&change->record));
}

/* What the client's store checks at the commit of each page. */
static void
replica_assert_whole (Replica *replica)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, replica->items);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      DocketAgendaItemRecord *item = value;

      g_assert_true (g_hash_table_contains (replica->meetings, item->meeting_id));
      if (item->parent_id != NULL)
        {
          DocketAgendaItemRecord *parent = g_hash_table_lookup (replica->items, item->parent_id);

          g_assert_nonnull (parent);
          g_assert_cmpstr (parent->meeting_id, ==, item->meeting_id);
        }
    }
  g_hash_table_iter_init (&iter, replica->documents);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      DocketDocumentRecord *document = value;
      DocketAgendaItemRecord *item = g_hash_table_lookup (replica->items, document->item_id);

      g_assert_true (g_hash_table_contains (replica->meetings, document->meeting_id));
      g_assert_nonnull (item);
      g_assert_cmpstr (item->meeting_id, ==, document->meeting_id);
    }
}

/* One page: fetched, applied, checked; FALSE when it was the last. */
static gboolean
replica_pull_page (Replica          *replica,
                   DocketTestServer *server,
                   const char       *token,
                   guint             limit)
{
  g_autoptr(DocketChangesPage) page = get_page (server, token, replica->cursor, limit);

  /* A page that says "more" moves the cursor on, or the client would loop. */
  if (page->more)
    g_assert_cmpstr (page->cursor, !=, replica->cursor);
  for (guint i = 0; i < page->changes->len; i++)
    replica_apply_change (replica, g_ptr_array_index (page->changes, i));
  replica_assert_whole (replica);
  g_free (replica->cursor);
  replica->cursor = g_strdup (page->cursor);
  replica->pages++;
  replica->changes += page->changes->len;
  return page->more;
}

static void
replica_sync (Replica          *replica,
              DocketTestServer *server,
              const char       *token,
              guint             limit)
{
  for (guint round = 0; round < 100000; round++)
    if (!replica_pull_page (replica, server, token, limit))
      return;
  g_assert_not_reached ();
}

static int
compare_lines (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The server's state, from its database: what username sees, as "type id version
 * parent" lines, sorted. */
static char *
server_state (DocketTestServer *server,
              const char       *username)
{
  g_autofree char *path = g_build_filename (docket_test_server_get_data_dir (server),
                                            "docket-server.db", NULL);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) out = g_string_new (NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  const char *sql =
    "WITH u AS (SELECT * FROM users WHERE username = ?1),"
    " seen AS (SELECT m.id FROM meetings m, u WHERE u.role = 'admin'"
    "  OR (u.role = 'secretary' AND m.organ = u.organ)"
    "  OR (m.status != 'draft' AND EXISTS (SELECT 1 FROM participants p"
    "   WHERE p.meeting_id = m.id AND p.user_id = u.id)))"
    " SELECT 'meeting', id, version, '' FROM meetings WHERE id IN seen"
    " UNION ALL SELECT 'item', id, version, COALESCE (parent_id, meeting_id) FROM items"
    "  WHERE meeting_id IN seen"
    " UNION ALL SELECT 'document', id, version, item_id FROM documents WHERE meeting_id IN seen";

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, username, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (lines, g_strdup_printf ("%s %s %" G_GINT64_FORMAT " %s",
                                             sqlite3_column_text (stmt, 0),
                                             sqlite3_column_text (stmt, 1),
                                             (gint64) sqlite3_column_int64 (stmt, 2),
                                             sqlite3_column_text (stmt, 3)));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  g_ptr_array_sort (lines, compare_lines);
  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (out, "%s\n", (char *) g_ptr_array_index (lines, i));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
replica_state (Replica *replica)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) out = g_string_new (NULL);
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, replica->meetings);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (lines, g_strdup_printf ("meeting %s %" G_GINT64_FORMAT " ",
                                             ((DocketMeetingRecord *) value)->id,
                                             ((DocketMeetingRecord *) value)->version));
  g_hash_table_iter_init (&iter, replica->items);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      DocketAgendaItemRecord *item = value;

      g_ptr_array_add (lines, g_strdup_printf ("item %s %" G_GINT64_FORMAT " %s", item->id,
                                               item->version,
                                               item->parent_id ? item->parent_id : item->meeting_id));
    }
  g_hash_table_iter_init (&iter, replica->documents);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      DocketDocumentRecord *document = value;

      g_ptr_array_add (lines, g_strdup_printf ("document %s %" G_GINT64_FORMAT " %s", document->id,
                                               document->version, document->item_id));
    }
  g_ptr_array_sort (lines, compare_lines);
  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (out, "%s\n", (char *) g_ptr_array_index (lines, i));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
assert_replica_equals_server (Replica          *replica,
                              DocketTestServer *server,
                              const char       *username)
{
  g_autofree char *expected = server_state (server, username);
  g_autofree char *actual = replica_state (replica);

  g_assert_cmpstr (actual, ==, expected);
}

/* An unchanged sync: no changes, the same cursor. */
static void
assert_unchanged (DocketTestServer *server,
                  const char       *token,
                  const char       *cursor)
{
  g_autoptr(DocketChangesPage) page = get_page (server, token, cursor, 1000);

  g_assert_cmpstr (page->cursor, ==, cursor);
  g_assert_false (page->more);
  g_assert_cmpuint (page->changes->len, ==, 0);
}

/* The feed's tables, read directly */

static char *
first_text (DocketTestServer *server,
            const char       *sql)
{
  g_autofree char *path = g_build_filename (docket_test_server_get_data_dir (server),
                                            "docket-server.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *text = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_assert_nonnull (text);
  return text;
}

static const char *
official_name (void)
{
  return "luutru-daibieu1";
}

static void
patch_status (Archive    *archive,
              const char *meeting_id,
              const char *status)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/meetings/%s", meeting_id);
  g_autofree char *body = g_strdup_printf ("{\"status\": \"%s\"}", status);

  g_assert_cmpuint (call_json (archive->server, "PATCH", path, archive->secretary, body, NULL), ==, 200);
}

/* A meeting of 2,000 documents under 600 nested items, published at once: it comes in
 * pages within the limits, each leaving the client whole, and so again when it is taken
 * back and published again while the secretary keeps changing it between the pages. */
static void
test_big_publish (void)
{
  g_auto(Archive) archive = { 0 };
  g_auto(Replica) replica = { 0 };
  g_auto(Replica) small = { 0 };
  g_autofree char *meeting_id = NULL;
  g_autofree char *section_id = NULL;
  g_autofree char *sub_id = NULL;
  g_autofree char *document_id = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) created = NULL;

  replica_init (&replica);
  replica_init (&small);
  archive_start (&archive, "1", "600", "2000", "2");
  meeting_id = first_text (archive.server, "SELECT id FROM meetings");

  /* The first sync: the whole meeting at one sequence number. */
  replica_sync (&replica, archive.server, archive.official, 1000);
  g_assert_cmpuint (replica.pages, >=, 3);
  g_assert_cmpuint (g_hash_table_size (replica.documents), ==, 2000);
  g_assert_cmpuint (g_hash_table_size (replica.items), ==, 600);
  assert_replica_equals_server (&replica, archive.server, official_name ());
  assert_unchanged (archive.server, archive.official, replica.cursor);

  /* The same with a small limit: every cursor inside the number resumes exactly. */
  replica_sync (&small, archive.server, archive.official, 331);
  g_assert_cmpuint (small.pages, >=, 2601 / 331);
  assert_replica_equals_server (&small, archive.server, official_name ());

  /* Taken back to draft: gone, in one small page. */
  patch_status (&archive, meeting_id, "draft");
  replica_sync (&replica, archive.server, archive.official, 1000);
  g_assert_cmpuint (g_hash_table_size (replica.meetings), ==, 0);
  g_assert_cmpuint (g_hash_table_size (replica.documents), ==, 0);
  assert_replica_equals_server (&replica, archive.server, official_name ());

  /* Changed while a draft: a new section with a sub-item, which takes the first place,
   * so that the section's siblings move after the publish's number... */
  path = g_strdup_printf ("/api/v1/meetings/%s/items", meeting_id);
  g_assert_cmpuint (call_json (archive.server, "POST", path, archive.secretary,
                               "{\"title\": \"Mở đầu\", \"position\": 0}", &created), ==, 201);
  section_id = member_dup (created, "id");
  g_clear_pointer (&created, json_node_unref);
  {
    g_autofree char *body = g_strdup_printf ("{\"title\": \"Chi tiết\", \"parent_id\": \"%s\"}",
                                             section_id);

    g_assert_cmpuint (call_json (archive.server, "POST", path, archive.secretary, body, &created), ==, 201);
    sub_id = member_dup (created, "id");
    g_clear_pointer (&created, json_node_unref);
  }

  /* ...then published again: the whole meeting comes again. */
  patch_status (&archive, meeting_id, "published");
  g_assert_true (replica_pull_page (&replica, archive.server, archive.official, 1000));

  /* Between two pages of it, the secretary moves the new section under the last one of
   * the seed, renames a document, deletes another, and the client still ends equal. */
  {
    g_autofree char *last_section = first_text (archive.server,
                                                "SELECT id FROM items WHERE parent_id IS NULL"
                                                " ORDER BY position DESC LIMIT 1");
    g_autofree char *body = g_strdup_printf ("{\"parent_id\": \"%s\"}", last_section);
    g_autofree char *item_path = g_strdup_printf ("/api/v1/items/%s", section_id);

    g_assert_cmpuint (call_json (archive.server, "PATCH", item_path, archive.secretary, body, NULL), ==, 200);
  }
  document_id = first_text (archive.server, "SELECT id FROM documents ORDER BY id DESC LIMIT 1");
  {
    g_autofree char *doc_path = g_strdup_printf ("/api/v1/documents/%s", document_id);

    g_assert_cmpuint (call_json (archive.server, "PATCH", doc_path, archive.secretary,
                                 "{\"title\": \"Tài liệu đổi tên\"}", NULL), ==, 200);
  }
  {
    g_autofree char *other = first_text (archive.server, "SELECT id FROM documents ORDER BY id LIMIT 1");
    g_autofree char *doc_path = g_strdup_printf ("/api/v1/documents/%s", other);

    g_assert_cmpuint (call_json (archive.server, "DELETE", doc_path, archive.secretary, NULL, NULL), ==, 204);
  }
  replica_sync (&replica, archive.server, archive.official, 1000);
  g_assert_cmpuint (g_hash_table_size (replica.documents), ==, 1999);
  g_assert_true (g_hash_table_contains (replica.items, sub_id));
  assert_replica_equals_server (&replica, archive.server, official_name ());
  assert_unchanged (archive.server, archive.official, replica.cursor);

  /* The secretary, who made every change, follows them all the same. */
  {
    g_auto(Replica) secretary = { 0 };

    replica_init (&secretary);
    replica_sync (&secretary, archive.server, archive.secretary, 1000);
    assert_replica_equals_server (&secretary, archive.server, "luutru-thuky");
  }
}

/* Participants added to many big meetings at once, then taken off half of them: pages
 * within the limits, the client whole after each. */
static void
test_access_changes (void)
{
  g_auto(Archive) archive = { 0 };
  g_auto(Replica) replica = { 0 };
  g_autofree char *newcomer = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GPtrArray) meetings = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *path = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  replica_init (&replica);
  /* Each meeting alone is more changes than a page of 100. */
  archive_start (&archive, "40", "25", "120", "1");
  g_assert_cmpint (docket_test_server_admin (archive.server, "mat-khau-moi\n", &out, "user", "add",
                                             "nguoimoi", "--role", "official", NULL), ==, 0);
  newcomer = docket_test_sign_in (archive.server, "nguoimoi", "mat-khau-moi");
  replica_sync (&replica, archive.server, newcomer, 1000);
  g_assert_cmpuint (replica.changes, ==, 0);

  path = g_build_filename (docket_test_server_get_data_dir (archive.server), "docket-server.db", NULL);
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT id FROM meetings ORDER BY id", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (meetings, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_assert_cmpuint (meetings->len, ==, 40);

  for (guint i = 0; i < meetings->len; i++)
    {
      g_autofree char *put = g_strdup_printf ("/api/v1/meetings/%s/participants/nguoimoi",
                                              (char *) g_ptr_array_index (meetings, i));

      g_assert_cmpuint (call_json (archive.server, "PUT", put, archive.secretary, NULL, NULL), ==, 204);
    }
  replica_sync (&replica, archive.server, newcomer, 100);
  g_assert_cmpuint (replica.pages, >=, 40 * 146 / 100);
  g_assert_cmpuint (g_hash_table_size (replica.meetings), ==, 40);
  g_assert_cmpuint (g_hash_table_size (replica.documents), ==, 40 * 120);
  assert_replica_equals_server (&replica, archive.server, "nguoimoi");

  for (guint i = 0; i < meetings->len; i += 2)
    {
      g_autofree char *del = g_strdup_printf ("/api/v1/meetings/%s/participants/nguoimoi",
                                              (char *) g_ptr_array_index (meetings, i));

      g_assert_cmpuint (call_json (archive.server, "DELETE", del, archive.secretary, NULL, NULL), ==, 204);
    }
  replica_sync (&replica, archive.server, newcomer, 7);
  g_assert_cmpuint (g_hash_table_size (replica.meetings), ==, 20);
  assert_replica_equals_server (&replica, archive.server, "nguoimoi");
  assert_unchanged (archive.server, newcomer, replica.cursor);
}

/* Page bytes: items whose descriptions fill the page budget many times over. */
static void
test_page_bytes (void)
{
  g_auto(Archive) archive = { 0 };
  g_auto(Replica) replica = { 0 };
  g_autofree char *meeting_id = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GString) body = g_string_new ("{\"title\": \"Dài\", \"description\": \"");

  replica_init (&replica);
  archive_start (&archive, "1", "1", "0", "1");
  meeting_id = first_text (archive.server, "SELECT id FROM meetings");
  patch_status (&archive, meeting_id, "draft");
  while (body->len < DOCKET_MAX_DESCRIPTION_BYTES - 100)
    g_string_append (body, "Đất đai ");
  g_string_append (body, "\"}");
  path = g_strdup_printf ("/api/v1/meetings/%s/items", meeting_id);
  for (guint i = 0; i < 40; i++)
    g_assert_cmpuint (call_json (archive.server, "POST", path, archive.secretary, body->str, NULL), ==, 201);
  patch_status (&archive, meeting_id, "published");

  /* 40 items of 20 kB at one number: at least 4 pages of 256 kB (get_page checks each). */
  replica_sync (&replica, archive.server, archive.official, 1000);
  g_assert_cmpuint (replica.pages, >=, 4);
  g_assert_cmpuint (g_hash_table_size (replica.items), ==, 41);
  assert_replica_equals_server (&replica, archive.server, official_name ());
}

/* The steps the feed took for the last request, from the server's log
 * (DOCKET_SERVER_FEED_STATS). */
static guint64
last_feed_steps (DocketTestServer *server)
{
  g_autofree char *log = NULL;
  g_auto(GStrv) lines = NULL;
  guint64 steps = 0;
  gboolean found = FALSE;

  g_assert_true (g_file_get_contents (docket_test_server_get_log_path (server), &log, NULL, NULL));
  lines = g_strsplit (log, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *at = g_str_has_prefix (lines[i], "feed: ") ? strstr (lines[i], " rows, ") : NULL;

      if (at != NULL)
        {
          steps = g_ascii_strtoull (at + strlen (" rows, "), NULL, 10);
          found = TRUE;
        }
    }
  g_assert_true (found);
  return steps;
}

/* The cost of an unchanged sync after a full one, for an official of every meeting of
 * an archive of n meetings. */
static guint64
unchanged_sync_steps (const char *meetings)
{
  g_auto(Archive) archive = { 0 };
  g_auto(Replica) replica = { 0 };

  replica_init (&replica);
  archive_start (&archive, meetings, "8", "3", "1");
  replica_sync (&replica, archive.server, archive.official, 1000);
  assert_unchanged (archive.server, archive.official, replica.cursor);
  return last_feed_steps (archive.server);
}

/* An unchanged sync reads what changed after the cursor (nothing), not what the user
 * sees: its cost does not grow with the archive. */
static void
test_unchanged_cost (void)
{
  guint64 small = unchanged_sync_steps ("3");
  guint64 big = unchanged_sync_steps ("150");

  g_test_message ("unchanged sync: %" G_GUINT64_FORMAT " steps with 3 meetings, %"
                  G_GUINT64_FORMAT " with 150", small, big);
  g_assert_cmpuint (small, >, 0);
  g_assert_cmpuint (big, ==, small);
}

/* A cursor inside a number resumes there; ones the server did not issue are refused. */
static void
test_cursors (void)
{
  g_auto(Archive) archive = { 0 };
  g_autofree char *meeting_id = NULL;
  g_autofree char *inside = NULL;
  g_autofree char *epoch = NULL;
  g_autofree char *without_epoch = NULL;
  const char *bad[] = { "1.9.abc", "0.1.abc", "1.1.", "1.1.a/b", "1.x.abc", "1.1", "1..abc",
                        "99999.1.abc", "+1", " 1" };

  archive_start (&archive, "1", "1", "1", "1");
  meeting_id = first_text (archive.server, "SELECT id FROM meetings");
  epoch = first_text (archive.server, "SELECT value FROM meta WHERE key = 'epoch'");

  /* After the meeting (number 1, type 0), before its item and document; cursors begin
   * with the database's epoch (docs/protocol.md). */
  inside = g_strdup_printf ("%s-1.0.%s", epoch, meeting_id);
  {
    g_autoptr(DocketChangesPage) page = get_page (archive.server, archive.official, inside, 1000);

    g_assert_cmpuint (page->changes->len, ==, 2);
    g_assert_cmpint (((DocketChange *) g_ptr_array_index (page->changes, 0))->type, ==,
                     DOCKET_CHANGE_AGENDA_ITEM);
    g_assert_cmpint (((DocketChange *) g_ptr_array_index (page->changes, 1))->type, ==,
                     DOCKET_CHANGE_DOCUMENT);
    g_assert_false (page->more);
  }
  {
    g_autoptr(DocketChangesPage) page = get_page (archive.server, archive.official, NULL, 1);

    g_assert_cmpstr (page->cursor, ==, inside);
    g_assert_true (page->more);
  }

  /* Each forged one with this epoch before it, and the good one without an epoch. */
  without_epoch = g_strdup_printf ("1.0.%s", meeting_id);
  for (guint i = 0; i <= G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *since = i < G_N_ELEMENTS (bad) ? g_strdup_printf ("%s-%s", epoch, bad[i])
                                                     : g_strdup (without_epoch);
      g_autofree char *escaped = g_uri_escape_string (since, NULL, TRUE);
      g_autofree char *path = g_strdup_printf ("/api/v1/changes?since=%s", escaped);
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *code = NULL;

      g_test_message ("since=%s", since);
      g_assert_cmpuint (call_json (archive.server, "GET", path, archive.official, NULL, &root), ==, 400);
      code = member_dup (root, "error");
      g_assert_cmpstr (code, ==, "invalid_cursor");
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* Given to every server these tests start. */
  g_setenv ("DOCKET_SERVER_FEED_PAGE_BYTES", G_STRINGIFY (PAGE_BYTES), TRUE);
  g_setenv ("DOCKET_SERVER_FEED_STATS", "1", TRUE);

  g_test_add_func ("/feed/big-publish", test_big_publish);
  g_test_add_func ("/feed/access-changes", test_access_changes);
  g_test_add_func ("/feed/page-bytes", test_page_bytes);
  g_test_add_func ("/feed/unchanged-cost", test_unchanged_cost);
  g_test_add_func ("/feed/cursors", test_cursors);
  return g_test_run ();
}
