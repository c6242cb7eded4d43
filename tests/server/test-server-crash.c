/* test-server-crash.c: docket-server killed with SIGKILL while clients write
 *
 * Issue 9, "Harden the base": the server is killed during writes; every answer a client
 * received is still true after the restart.
 *
 * Writer threads play clients over HTTP, several requests at once: the secretary
 * creates meetings and agenda items, renames them and uploads documents; an official
 * puts, changes and deletes annotations and puts notes, each with an op_id. Every answer
 * received is remembered. The test kills the server at random moments
 * (g_test_rand_int_range: the seed GTest prints replays them as far as timing allows),
 * and, with the writers held, checks:
 *
 *   - PRAGMA integrity_check of the database as the kill left it (opened read-only);
 *   - after the restart (same data folder, same port), operations that got no answer are
 *     sent again with their op_id, as a client does, and the operations answered since
 *     the last restart (and a sample of older ones) are sent again too: the server
 *     answers what it answered the first time, and applies nothing twice;
 *   - every acknowledged write reads back through the change feed, as it was answered
 *     (the whole entity: version, revision, times), read on from the cursor each account
 *     had before the kill (an answered cursor stays valid), and each uploaded document's
 *     bytes still have their SHA-256;
 *   - the numbers the server hands out keep growing: an answer after a restart never
 *     repeats a version or revision answered before it.
 *
 * What makes it fail: an answer sent before its transaction is committed, e.g. commits
 * batched on a timer (tried by breaking the server on purpose: the first kill loses
 * answered writes and their stored answers, and an operation sent again is applied
 * again, with a new revision); a sequence number kept outside the database (an answer
 * after the restart would repeat a number). Also, only when a kill lands in the window,
 * which 12 kills may miss: a write and the record of its operation in two transactions,
 * a document answered before its blob is in place.
 * What it cannot see: a missing fsync. SIGKILL ends the process, not the machine: what it
 * wrote is in the kernel's page cache whether it flushed or not.
 */
#include "config.h"

#include <string.h>

#include <sqlite3.h>
#include <json-glib/json-glib.h>

#include "docket-test-util.h"

#define SECRETARY "thuky"
#define OFFICIAL  "daibieu1"

#define N_KILLS                12
#define N_SECRETARY_WRITERS    2
#define N_OFFICIAL_WRITERS     2
#define N_WRITERS              (N_SECRETARY_WRITERS + N_OFFICIAL_WRITERS)
/* How long the writers run between two kills, in microseconds. */
#define MIN_KILL_DELAY_US      10000
#define MAX_KILL_DELAY_US      400000
/* Operations answered before the last check, sent again at each (about). */
#define N_OLD_OPS_AGAIN        40
/* Uploads are small: many of them land around a kill. */
#define MAX_UPLOAD_BYTES       (48 * 1024)

/* ---- what the clients were told ----------------------------------------------------- */

/* The last answered state of one entity, keyed "TYPE:ID" as in the change feed. */
typedef struct {
  JsonNode *data;         /* the entity as answered; NULL: answered deleted */
  gboolean  uncertain;    /* a later write of it got no answer: the feed will say */
} Expected;

/* An operation with an op_id, and its answer once there is one. */
typedef struct {
  char     *method;
  char     *path;
  char     *body;         /* NULL for DELETE */
  char     *key;          /* the entity it writes */
  guint     status;       /* 0 until answered */
  JsonNode *answer;
} Op;

typedef struct {
  DocketTestServer *server;
  char             *secretary_token;
  char             *official_token;
  char             *official_item_id;       /* notes and annotations go there */
  char             *official_document_id;

  GMutex            lock;
  GCond             cond;
  gboolean          running;
  gboolean          paused;                 /* the server is down: writers wait */
  guint             generation;             /* restarts so far */
  guint             n_parked;
  GHashTable       *expected;               /* "TYPE:ID" -> Expected* */
  GHashTable       *documents;              /* document id -> its answered SHA-256 */
  GPtrArray        *answered_ops;           /* Op*, answered */
  GPtrArray        *unanswered_ops;         /* Op*, sent, no answer: sent again at restart */
  guint             n_ops_checked;          /* answered_ops sent again at the last check */
  guint             n_written_unanswered;   /* ops the server wrote, its answer lost */
  gint64            restart_top;            /* the top of the sequence at the restart */
  gint64            top_answered;           /* the highest version or revision answered */
  gint64            floor;                  /* top_answered when the server was killed */
  guint             n_answers;
  guint             n_unanswered;

  /* Each account's view through the feed, as a client keeps it. */
  GHashTable       *secretary_view;         /* "TYPE:ID" -> data */
  GHashTable       *official_view;
  char             *secretary_cursor;
  char             *official_cursor;
} Crash;

static void
expected_free (Expected *expected)
{
  g_clear_pointer (&expected->data, json_node_unref);
  g_free (expected);
}

static void
op_free (Op *op)
{
  g_free (op->method);
  g_free (op->path);
  g_free (op->body);
  g_free (op->key);
  g_clear_pointer (&op->answer, json_node_unref);
  g_free (op);
}

/* ---- HTTP --------------------------------------------------------------------------- */

static JsonNode *
parse_json (GBytes *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);

  if (size == 0 || !json_parser_load_from_data (parser, data, (gssize) size, NULL))
    return NULL;
  return json_parser_steal_root (parser);
}

/* One request; out_json gets the answer's JSON (NULL when none). 0: no answer at all. */
static guint
call (Crash       *crash,
      const char  *method,
      const char  *path,
      const char  *token,
      const char  *content_type,
      GBytes      *body,
      JsonNode   **out_json)
{
  g_autofree char *url = g_strconcat (docket_test_server_get_url (crash->server), path, NULL);
  g_autoptr(GBytes) answer = NULL;
  guint status = docket_test_http (method, url, token, content_type, body, &answer);

  *out_json = status != 0 ? parse_json (answer) : NULL;
  return status;
}

static guint
call_text (Crash       *crash,
           const char  *method,
           const char  *path,
           const char  *token,
           const char  *text,
           JsonNode   **out_json)
{
  g_autoptr(GBytes) body = text != NULL ? g_bytes_new (text, strlen (text)) : NULL;

  return call (crash, method, path, token, "application/json", body, out_json);
}

static JsonObject *
object_of (JsonNode *node)
{
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_node_get_object (node);
}

static char *
node_to_text (JsonNode *node)
{
  return node != NULL ? json_to_string (node, FALSE) : g_strdup ("(nothing)");
}

/* ---- remembering answers (the lock held) --------------------------------------------- */

/* Records what an answer says of the entity key: data (NULL: deleted) and its number. */
static void
remember_locked (Crash      *crash,
                 const char *key,
                 JsonNode   *data,
                 gint64      number,
                 gboolean    new_write)
{
  Expected *expected = g_new0 (Expected, 1);

  expected->data = data != NULL ? json_node_copy (data) : NULL;
  g_hash_table_replace (crash->expected, g_strdup (key), expected);

  /* The sequence goes on after a restart: a new write never gets a number answered before
   * the kill (a client's cursor would skip it). Stored answers repeat old numbers. */
  if (new_write && number <= crash->floor)
    g_error ("%s was answered number %" G_GINT64_FORMAT " after a restart, not above %" G_GINT64_FORMAT
             " answered before it", key, number, crash->floor);
  crash->top_answered = MAX (crash->top_answered, number);
  crash->n_answers++;
}

static void
mark_uncertain_locked (Crash      *crash,
                       const char *key)
{
  Expected *expected = g_hash_table_lookup (crash->expected, key);

  if (expected != NULL)
    expected->uncertain = TRUE;
}

/* ---- the writers ------------------------------------------------------------------------ */

typedef struct {
  Crash      *crash;
  GRand      *rand;
  guint       index;
  gboolean    official;
  GPtrArray  *meetings;       /* ids this writer created and was told about */
  GPtrArray  *items;
  GPtrArray  *annotations;    /* ids not deleted */
  guint       n_writes;
} Writer;

/* After a request without an answer, and whenever the test holds the writers: waits until
 * the server runs again. */
static void
writer_wait (Writer *writer,
             guint   failed_generation,
             gboolean failed)
{
  Crash *crash = writer->crash;

  g_mutex_lock (&crash->lock);
  crash->n_parked++;
  g_cond_broadcast (&crash->cond);
  while (crash->running && (crash->paused || (failed && crash->generation == failed_generation)))
    g_cond_wait (&crash->cond, &crash->lock);
  crash->n_parked--;
  g_mutex_unlock (&crash->lock);
}

static const char *
random_of (Writer    *writer,
           GPtrArray *ids)
{
  return g_ptr_array_index (ids, g_rand_int_range (writer->rand, 0, (gint32) ids->len));
}

static gint64
member_int (JsonNode   *node,
            const char *name)
{
  return json_object_get_int_member (object_of (node), name);
}

/* A management write of the secretary; returns FALSE when it got no answer. */
static gboolean
secretary_write (Writer *writer)
{
  Crash *crash = writer->crash;
  g_autoptr(JsonNode) answer = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autofree char *key = NULL;
  g_autofree char *document_sha = NULL;
  g_autoptr(GBytes) pdf = NULL;
  const char *prefix = NULL;
  guint expected_status;
  guint status;
  guint n = writer->n_writes;
  gint32 choice = g_rand_int_range (writer->rand, 0, 100);

  if (writer->meetings->len == 0 || choice < 10)
    {
      path = g_strdup ("/api/v1/meetings");
      text = g_strdup_printf ("{\"title\": \"Phiên họp %u-%u\", \"starts_at\": \"2026-12-20T08:00:00+07:00\","
                              " \"ends_at\": \"2026-12-20T11:00:00+07:00\", \"time_zone\": \"Asia/Ho_Chi_Minh\"}",
                              writer->index, n);
      prefix = "meeting";
      expected_status = 201;
    }
  else if (writer->items->len == 0 || choice < 30)
    {
      path = g_strdup_printf ("/api/v1/meetings/%s/items", random_of (writer, writer->meetings));
      text = g_strdup_printf ("{\"title\": \"Nội dung %u-%u\"}", writer->index, n);
      prefix = "agenda_item";
      expected_status = 201;
    }
  else if (choice < 45)
    {
      const char *id = random_of (writer, writer->meetings);

      path = g_strdup_printf ("/api/v1/meetings/%s", id);
      text = g_strdup_printf ("{\"title\": \"Phiên họp %u-%u (sửa)\"}", writer->index, n);
      key = g_strconcat ("meeting:", id, NULL);
      expected_status = 200;
    }
  else if (choice < 60)
    {
      const char *id = random_of (writer, writer->items);

      path = g_strdup_printf ("/api/v1/items/%s", id);
      text = g_strdup_printf ("{\"title\": \"Nội dung %u-%u (sửa)\"}", writer->index, n);
      key = g_strconcat ("agenda_item:", id, NULL);
      expected_status = 200;
    }
  else
    {
      path = g_strdup_printf ("/api/v1/items/%s/documents?title=T%%E1%%BB%%9D%%20tr%%C3%%ACnh%%20%u-%u",
                              random_of (writer, writer->items), writer->index, n);
      pdf = docket_test_make_pdf ((gsize) g_rand_int_range (writer->rand, 2048, MAX_UPLOAD_BYTES));
      document_sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, pdf);
      prefix = "document";
      expected_status = 201;
    }

  writer->n_writes++;
  if (pdf != NULL)
    status = call (crash, "POST", path, crash->secretary_token, "application/pdf", pdf, &answer);
  else
    status = call_text (crash, key != NULL ? "PATCH" : "POST", path, crash->secretary_token, text, &answer);

  g_mutex_lock (&crash->lock);
  if (status == 0)
    {
      /* Perhaps written, perhaps not: a creation we know nothing of, or a change the
       * feed will tell. */
      if (key != NULL)
        mark_uncertain_locked (crash, key);
      crash->n_unanswered++;
      g_mutex_unlock (&crash->lock);
      return FALSE;
    }
  if (status != expected_status)
    g_error ("%s answered %u: %s", path, status, node_to_text (answer));

  {
    const char *id = json_object_get_string_member (object_of (answer), "id");

    if (key == NULL)
      key = g_strconcat (prefix, ":", id, NULL);
    if (g_str_equal (prefix ? prefix : "", "meeting"))
      g_ptr_array_add (writer->meetings, g_strdup (id));
    else if (g_str_equal (prefix ? prefix : "", "agenda_item"))
      g_ptr_array_add (writer->items, g_strdup (id));
    else if (document_sha != NULL)
      {
        g_assert_cmpstr (json_object_get_string_member (object_of (answer), "sha256"), ==, document_sha);
        g_hash_table_insert (crash->documents, g_strdup (id), g_steal_pointer (&document_sha));
      }
    remember_locked (crash, key, answer, member_int (answer, "version"), TRUE);
  }
  g_mutex_unlock (&crash->lock);
  return TRUE;
}

/* Sends op (again); records its answer. Returns FALSE when it got no answer. */
static gboolean
send_op (Crash    *crash,
         Op       *op,
         gboolean  new_write)
{
  g_autoptr(JsonNode) answer = NULL;
  JsonNode *data = NULL;
  gint64 number;
  guint status = call_text (crash, op->method, op->path, crash->official_token, op->body, &answer);

  if (status == 0)
    return FALSE;
  if (status != 200 && status != 201)
    g_error ("%s %s (op sent %s) answered %u: %s", op->method, op->path,
             new_write ? "once" : "again", status, node_to_text (answer));

  if (g_str_equal (op->method, "DELETE"))
    {
      g_assert_true (json_object_get_boolean_member (object_of (answer), "deleted"));
      number = member_int (answer, "revision");
    }
  else
    {
      JsonObject *object = object_of (answer);

      data = json_object_get_member (object, json_object_has_member (object, "note") ? "note" : "annotation");
      number = member_int (data, "revision");
    }

  g_mutex_lock (&crash->lock);
  /* Sent again after a restart and answered with a number from before it: the server
   * had written it, and its answer was lost with the process. */
  if (!new_write && number <= crash->restart_top)
    crash->n_written_unanswered++;
  op->status = status;
  op->answer = json_node_ref (answer);
  remember_locked (crash, op->key, data, number, new_write);
  g_ptr_array_add (crash->answered_ops, op);
  g_mutex_unlock (&crash->lock);
  return TRUE;
}

static char *
new_annotation_body (Writer     *writer,
                     const char *op_id,
                     const char *id)
{
  gint64 now = g_get_real_time () / 1000;

  return g_strdup_printf ("{\"op_id\": \"%s\", \"annotation\": {\"id\": \"%s\", \"document_id\": \"%s\","
                          " \"page\": 0, \"kind\": \"highlight\", \"color\": \"#f6d32d\","
                          " \"geometry\": {\"rects\": [[72, %u, 300, %u]]}, \"contents\": \"Ý kiến %u-%u\","
                          " \"created_at\": %" G_GINT64_FORMAT ", \"updated_at\": %" G_GINT64_FORMAT
                          ", \"revision\": 0}}",
                          op_id, id, writer->crash->official_document_id,
                          100 + writer->n_writes % 500, 112 + writer->n_writes % 500,
                          writer->index, writer->n_writes, now, now);
}

/* An annotation or note write of the official, with a new op_id; returns FALSE when it
 * got no answer (the op is then kept to be sent again). */
static gboolean
official_write (Writer *writer)
{
  Crash *crash = writer->crash;
  g_autofree char *op_id = g_uuid_string_random ();
  gint32 choice = g_rand_int_range (writer->rand, 0, 100);
  Op *op = g_new0 (Op, 1);

  if (writer->annotations->len == 0 || choice < 35)
    {
      char *id = g_uuid_string_random ();

      op->method = g_strdup ("PUT");
      op->path = g_strdup_printf ("/api/v1/annotations/%s", id);
      op->body = new_annotation_body (writer, op_id, id);
      op->key = g_strconcat ("annotation:", id, NULL);
      g_ptr_array_add (writer->annotations, id);
    }
  else if (choice < 70)
    {
      const char *id = random_of (writer, writer->annotations);

      op->method = g_strdup ("PUT");
      op->path = g_strdup_printf ("/api/v1/annotations/%s", id);
      op->body = new_annotation_body (writer, op_id, id);
      op->key = g_strconcat ("annotation:", id, NULL);
    }
  else if (choice < 80)
    {
      guint i = (guint) g_rand_int_range (writer->rand, 0, (gint32) writer->annotations->len);
      g_autofree char *id = g_ptr_array_steal_index (writer->annotations, i);

      op->method = g_strdup ("DELETE");
      op->path = g_strdup_printf ("/api/v1/annotations/%s?op_id=%s", id, op_id);
      op->key = g_strconcat ("annotation:", id, NULL);
    }
  else
    {
      /* Each official writer keeps its own note: two would race for one. */
      const char *target = writer->index % 2 == 0 ? "agenda_item" : "document";
      const char *target_id = writer->index % 2 == 0 ? crash->official_item_id : crash->official_document_id;

      op->method = g_strdup ("PUT");
      op->path = g_strdup_printf ("/api/v1/notes/%s/%s", target, target_id);
      op->body = g_strdup_printf ("{\"op_id\": \"%s\", \"note\": {\"target\": \"%s\", \"target_id\": \"%s\","
                                  " \"text\": \"Ghi chú %u-%u\\nhỏi lại\", \"updated_at\": 0, \"revision\": 0}}",
                                  op_id, target, target_id, writer->index, writer->n_writes);
      op->key = g_strconcat ("note:", target_id, NULL);
    }

  writer->n_writes++;
  if (send_op (crash, op, TRUE))
    return TRUE;

  g_mutex_lock (&crash->lock);
  mark_uncertain_locked (crash, op->key);
  g_ptr_array_add (crash->unanswered_ops, op);
  crash->n_unanswered++;
  g_mutex_unlock (&crash->lock);
  return FALSE;
}

static gpointer
writer_thread (gpointer data)
{
  Writer *writer = data;
  Crash *crash = writer->crash;

  for (;;)
    {
      guint generation;
      gboolean answered;

      g_mutex_lock (&crash->lock);
      if (!crash->running)
        {
          g_mutex_unlock (&crash->lock);
          break;
        }
      if (crash->paused)
        {
          g_mutex_unlock (&crash->lock);
          writer_wait (writer, 0, FALSE);
          continue;
        }
      generation = crash->generation;
      g_mutex_unlock (&crash->lock);

      answered = writer->official ? official_write (writer) : secretary_write (writer);
      if (!answered)
        writer_wait (writer, generation, TRUE);
    }

  return NULL;
}

/* ---- checking after a restart (the writers held) --------------------------------------- */

static void
assert_database_intact (Crash *crash)
{
  g_autofree char *path = g_build_filename (docket_test_server_get_data_dir (crash->server),
                                            "docket-server.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GString) rows = g_string_new (NULL);

  /* Read-only, as the kill left it: the WAL is read, nothing is written. */
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (rows, "%s\n", (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  g_assert_cmpstr (rows->str, ==, "ok\n");
}

/* Reads the feed of token on from *cursor into view ("TYPE:ID" -> data), as a client
 * does; the cursor must still be one the server knows. */
static void
read_feed (Crash       *crash,
           const char  *token,
           char       **cursor,
           GHashTable  *view)
{
  gboolean more = TRUE;

  while (more)
    {
      g_autofree char *path = NULL;
      g_autoptr(JsonNode) page = NULL;
      JsonArray *changes;
      guint status;

      path = g_strdup_printf ("/api/v1/changes?limit=1000%s%s", *cursor != NULL ? "&since=" : "",
                              *cursor != NULL ? *cursor : "");
      status = call (crash, "GET", path, token, NULL, NULL, &page);
      if (status != 200)
        g_error ("the feed from %s answered %u: %s", *cursor ? *cursor : "the start", status,
                 node_to_text (page));

      changes = json_object_get_array_member (object_of (page), "changes");
      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          JsonObject *change = json_array_get_object_element (changes, i);
          g_autofree char *key = g_strconcat (json_object_get_string_member (change, "type"), ":",
                                              json_object_get_string_member (change, "id"), NULL);

          if (json_object_get_boolean_member (change, "deleted"))
            g_hash_table_remove (view, key);
          else
            g_hash_table_replace (view, g_steal_pointer (&key),
                                  json_node_copy (json_object_get_member (change, "data")));
        }
      g_free (*cursor);
      *cursor = g_strdup (json_object_get_string_member (object_of (page), "cursor"));
      more = json_object_get_boolean_member (object_of (page), "more");
    }
}

/* Sends every operation again: those without an answer get one (applied now, or answered
 * from before the kill), those with one get the same again. */
static void
send_ops_again (Crash *crash)
{
  g_autoptr(GPtrArray) unanswered = g_steal_pointer (&crash->unanswered_ops);

  /* Each goes to answered_ops once answered. */
  g_ptr_array_set_free_func (unanswered, NULL);
  crash->unanswered_ops = g_ptr_array_new_with_free_func ((GDestroyNotify) op_free);

  /* Without an answer: sent again as they were, op_id and all. Whether the server had
   * written them before the kill is for it to know. */
  for (guint i = 0; i < unanswered->len; i++)
    {
      Op *op = g_ptr_array_index (unanswered, i);

      if (!send_op (crash, op, FALSE))
        g_error ("%s %s got no answer from the restarted server", op->method, op->path);
    }

  /* With an answer: the same answer, and nothing written (the feed below would show an
   * older state of an annotation or a note, at a new revision). All those answered since
   * the last check, and a sample of the older ones. */
  for (guint i = 0; i < crash->answered_ops->len; i++)
    {
      Op *op = g_ptr_array_index (crash->answered_ops, i);
      g_autoptr(JsonNode) again = NULL;
      guint status;

      if (i < crash->n_ops_checked && g_test_rand_int_range (0, (gint32) crash->n_ops_checked) >= N_OLD_OPS_AGAIN)
        continue;
      status = call_text (crash, op->method, op->path, crash->official_token, op->body, &again);

      if (status != op->status || again == NULL || !json_node_equal (again, op->answer))
        {
          g_autofree char *first = node_to_text (op->answer);
          g_autofree char *second = node_to_text (again);

          g_error ("%s %s sent again answered %u %s, first %u %s", op->method, op->path,
                   status, second, op->status, first);
        }
    }
  crash->n_ops_checked = crash->answered_ops->len;
}

/* Every answered entity is in the view of the account that wrote it, as answered; one
 * whose last write got no answer is as the feed says now (that is an answer too). */
static void
assert_views_hold_answers (Crash *crash)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, crash->expected);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Expected *expected = value;
      GHashTable *view = g_str_has_prefix (key, "annotation:") || g_str_has_prefix (key, "note:")
                         ? crash->official_view : crash->secretary_view;
      JsonNode *seen = g_hash_table_lookup (view, key);

      if (expected->uncertain)
        {
          g_assert_nonnull (seen);   /* only changes are uncertain, never deletions */
          g_clear_pointer (&expected->data, json_node_unref);
          expected->data = json_node_copy (seen);
          expected->uncertain = FALSE;
          continue;
        }
      if (expected->data == NULL)
        {
          if (seen != NULL)
            g_error ("%s was answered deleted and is back", (const char *) key);
          continue;
        }
      if (seen == NULL || !json_node_equal (seen, expected->data))
        {
          g_autofree char *answered = node_to_text (expected->data);
          g_autofree char *now = node_to_text (seen);

          g_error ("%s was answered %s and the feed now says %s", (const char *) key, answered, now);
        }
    }
}

/* Every uploaded document's bytes are served, with the SHA-256 answered. */
static void
assert_documents_served (Crash *crash)
{
  GHashTableIter iter;
  gpointer id, sha;

  g_hash_table_iter_init (&iter, crash->documents);
  while (g_hash_table_iter_next (&iter, &id, &sha))
    {
      g_autofree char *url = g_strdup_printf ("%s/api/v1/documents/%s/content",
                                              docket_test_server_get_url (crash->server), (const char *) id);
      g_autoptr(GBytes) bytes = NULL;
      g_autofree char *served = NULL;

      g_assert_cmpuint (docket_test_http ("GET", url, crash->secretary_token, NULL, NULL, &bytes), ==, 200);
      served = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
      g_assert_cmpstr (served, ==, sha);
    }
}

static void
check_after_restart (Crash *crash)
{
  /* Read first, as a client that starts again pulls first: the cursor it ends with is the
   * top of the sequence as the restarted server found it. */
  read_feed (crash, crash->official_token, &crash->official_cursor, crash->official_view);
  crash->restart_top = g_ascii_strtoll (crash->official_cursor, NULL, 10);
  send_ops_again (crash);
  read_feed (crash, crash->secretary_token, &crash->secretary_cursor, crash->secretary_view);
  read_feed (crash, crash->official_token, &crash->official_cursor, crash->official_view);
  assert_views_hold_answers (crash);
  assert_documents_served (crash);
}

/* ---- the test ---------------------------------------------------------------------------- */

/* The official's first agenda item and first document, from their own feed. */
static void
find_official_targets (Crash *crash)
{
  g_autoptr(GHashTable) view = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                      (GDestroyNotify) json_node_unref);
  g_autofree char *cursor = NULL;
  GHashTableIter iter;
  gpointer key;

  read_feed (crash, crash->official_token, &cursor, view);
  g_hash_table_iter_init (&iter, view);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      const char *id = strchr (key, ':') + 1;

      if (crash->official_item_id == NULL && g_str_has_prefix (key, "agenda_item:"))
        crash->official_item_id = g_strdup (id);
      if (crash->official_document_id == NULL && g_str_has_prefix (key, "document:"))
        crash->official_document_id = g_strdup (id);
    }
  g_assert_nonnull (crash->official_item_id);
  g_assert_nonnull (crash->official_document_id);
}

static void
hold_writers (Crash *crash)
{
  g_mutex_lock (&crash->lock);
  crash->paused = TRUE;
  while (crash->n_parked < N_WRITERS)
    g_cond_wait (&crash->cond, &crash->lock);
  crash->floor = crash->top_answered;
  g_mutex_unlock (&crash->lock);
}

static void
release_writers (Crash *crash)
{
  g_mutex_lock (&crash->lock);
  crash->paused = FALSE;
  crash->generation++;
  g_cond_broadcast (&crash->cond);
  g_mutex_unlock (&crash->lock);
}

static void
test_killed_during_writes (void)
{
  Crash crash = { 0 };
  Writer writers[N_WRITERS];
  GThread *threads[N_WRITERS];

  crash.server = docket_test_server_start (TRUE);
  crash.secretary_token = docket_test_sign_in (crash.server, SECRETARY, NULL);
  crash.official_token = docket_test_sign_in (crash.server, OFFICIAL, NULL);
  g_mutex_init (&crash.lock);
  g_cond_init (&crash.cond);
  crash.expected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) expected_free);
  crash.documents = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  crash.answered_ops = g_ptr_array_new_with_free_func ((GDestroyNotify) op_free);
  crash.unanswered_ops = g_ptr_array_new_with_free_func ((GDestroyNotify) op_free);
  crash.secretary_view = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_node_unref);
  crash.official_view = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_node_unref);
  find_official_targets (&crash);
  read_feed (&crash, crash.secretary_token, &crash.secretary_cursor, crash.secretary_view);
  read_feed (&crash, crash.official_token, &crash.official_cursor, crash.official_view);

  crash.running = TRUE;
  for (guint i = 0; i < N_WRITERS; i++)
    {
      writers[i] = (Writer) {
        .crash = &crash,
        /* Seeded from the test's seed: the same choices again with the same seed. */
        .rand = g_rand_new_with_seed ((guint32) g_test_rand_int ()),
        .index = i,
        .official = i >= N_SECRETARY_WRITERS,
        .meetings = g_ptr_array_new_with_free_func (g_free),
        .items = g_ptr_array_new_with_free_func (g_free),
        .annotations = g_ptr_array_new_with_free_func (g_free),
      };
      threads[i] = g_thread_new ("writer", writer_thread, &writers[i]);
    }

  for (guint kill = 0; kill < N_KILLS; kill++)
    {
      /* The kill's moment is the one sleep of this test: what it waits for is chance. */
      g_usleep (g_test_rand_int_range (MIN_KILL_DELAY_US, MAX_KILL_DELAY_US));
      docket_test_server_kill (crash.server);
      hold_writers (&crash);

      assert_database_intact (&crash);
      docket_test_server_restart (crash.server);
      check_after_restart (&crash);
      g_test_message ("kill %u: %u answers so far, %u requests without one, %u operations written "
                      "whose answer was lost", kill + 1, crash.n_answers, crash.n_unanswered,
                      crash.n_written_unanswered);

      release_writers (&crash);
    }

  /* Stopped without a kill: the last writes are checked too, and a client that starts
   * from nothing sees the same as the ones that read on across the restarts. */
  hold_writers (&crash);
  g_mutex_lock (&crash.lock);
  crash.running = FALSE;
  g_cond_broadcast (&crash.cond);
  g_mutex_unlock (&crash.lock);
  for (guint i = 0; i < N_WRITERS; i++)
    g_thread_join (threads[i]);
  check_after_restart (&crash);
  {
    g_autoptr(GHashTable) fresh = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         (GDestroyNotify) json_node_unref);
    g_autofree char *cursor = NULL;

    read_feed (&crash, crash.official_token, &cursor, fresh);
    g_hash_table_unref (crash.official_view);
    crash.official_view = g_steal_pointer (&fresh);
    assert_views_hold_answers (&crash);
  }
  g_assert_cmpuint (crash.answered_ops->len, >, 0);

  for (guint i = 0; i < N_WRITERS; i++)
    {
      g_rand_free (writers[i].rand);
      g_ptr_array_unref (writers[i].meetings);
      g_ptr_array_unref (writers[i].items);
      g_ptr_array_unref (writers[i].annotations);
    }
  docket_test_server_stop (crash.server);
  g_hash_table_unref (crash.expected);
  g_hash_table_unref (crash.documents);
  g_ptr_array_unref (crash.answered_ops);
  g_ptr_array_unref (crash.unanswered_ops);
  g_hash_table_unref (crash.secretary_view);
  g_hash_table_unref (crash.official_view);
  g_free (crash.secretary_cursor);
  g_free (crash.official_cursor);
  g_free (crash.secretary_token);
  g_free (crash.official_token);
  g_free (crash.official_item_id);
  g_free (crash.official_document_id);
  g_mutex_clear (&crash.lock);
  g_cond_clear (&crash.cond);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server-crash/killed-during-writes", test_killed_during_writes);

  return g_test_run ();
}
