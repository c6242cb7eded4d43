/* docket-server-routes-feed.c: GET /changes, the change feed (docs/protocol.md,
 * "GET /api/v1/changes"), over docket-server-db-feed.c
 *
 * A page is computed and written as JSON in a worker, with a read-only connection of
 * its own, so that a long feed (a whole archive) never holds up the main loop; the
 * answer is set on the main thread.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "docket-protocol.h"
#include "docket-server-routes.h"

typedef struct {
  GAsyncQueue      *readers;     /* idle read connections (DocketServerDb), shared */
  char             *db_path;
  DocketServerUser *user;
  char             *since;
  guint             limit;
  guint             delay_ms;
} FeedJob;

static void
feed_job_free (FeedJob *job)
{
  g_async_queue_unref (job->readers);
  g_free (job->db_path);
  docket_server_user_free (job->user);
  g_free (job->since);
  g_free (job);
}

/* The testing knob DOCKET_SERVER_TEST_FEED_DELAY_MS: a page with changes takes that much
 * longer, as a huge archive would, and says so on standard error first, so that a test
 * knows the feed is under way. */
static void
feed_test_delay (const FeedJob     *job,
                 DocketChangesPage *page)
{
  if (job->delay_ms == 0 || page->changes->len == 0)
    return;
  g_printerr ("test: a feed page waits %u ms\n", job->delay_ms);
  g_usleep ((gulong) job->delay_ms * 1000);
}

static void
feed_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  FeedJob *job = task_data;
  g_autoptr(DocketServerDb) db = g_async_queue_try_pop (job->readers);
  g_autoptr(DocketChangesPage) page = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  GError *error = NULL;
  char *text;
  gsize length;

  /* At most one connection per worker thread is ever opened: they are given back. */
  if (db == NULL && (db = docket_server_db_open_reader (job->db_path, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  page = docket_server_db_changes (db, job->user, job->since, job->limit, &error);
  g_async_queue_push (job->readers, g_steal_pointer (&db));
  if (page == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  feed_test_delay (job, page);

  node = docket_changes_page_to_json (page);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, &length);
  g_task_return_pointer (task, g_bytes_new_take (text, length), (GDestroyNotify) g_bytes_unref);
}

typedef struct {
  DocketServer      *self;
  SoupServerMessage *msg;
} FeedReply;

static void
feed_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  FeedReply *reply = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) json = g_task_propagate_pointer (G_TASK (result), &error);

  if (json == NULL)
    docket_server_reply_gerror (reply->msg, error);
  else
    {
      soup_server_message_set_status (reply->msg, 200, NULL);
      soup_message_headers_set_content_type (soup_server_message_get_response_headers (reply->msg),
                                             "application/json", NULL);
      soup_message_body_append_bytes (soup_server_message_get_response_body (reply->msg), json);
    }
  soup_server_message_unpause (reply->msg);
  g_object_unref (reply->self);
  g_object_unref (reply->msg);
  g_free (reply);
}

void
docket_server_handle_changes (DocketServerRequest *request)
{
  DocketServer *self = request->server;
  SoupServerMessage *msg = request->msg;
  GHashTable *query = request->query;
  DocketServerDb *db = docket_server_get_db (self);
  g_autoptr(GTask) task = NULL;
  const char *since = query ? g_hash_table_lookup (query, "since") : NULL;
  const char *limit_text = query ? g_hash_table_lookup (query, "limit") : NULL;
  guint64 limit = 500;
  FeedJob *job;
  FeedReply *reply;

  if (limit_text != NULL &&
      (!g_ascii_string_to_unsigned (limit_text, 10, 1, 1000, &limit, NULL)))
    {
      docket_server_reply_error (msg, 400, DOCKET_ERR_BAD_REQUEST,
                                 _("limit: a number from 1 to 1000"));
      return;
    }

  job = g_new0 (FeedJob, 1);
  job->readers = g_async_queue_ref (docket_server_get_feed_readers (self));
  job->db_path = g_strdup (sqlite3_db_filename (docket_server_db_get_handle (db), "main"));
  job->user = docket_server_user_copy (request->user);
  job->since = g_strdup (since);
  job->limit = (guint) limit;
  job->delay_ms = docket_server_get_feed_delay (self);

  reply = g_new0 (FeedReply, 1);
  reply->self = g_object_ref (self);
  reply->msg = g_object_ref (msg);

  task = g_task_new (NULL, NULL, feed_done, reply);
  g_task_set_source_tag (task, docket_server_handle_changes);
  g_task_set_task_data (task, job, (GDestroyNotify) feed_job_free);
  soup_server_message_pause (msg);
  if (!docket_server_workers_run (docket_server_get_feed_workers (self), task, feed_thread))
    g_task_return_new_error (task, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_BUSY,
                             _("The server is busy with other change feeds; try again in a moment"));
}

