/* docket-sync-feed.c: the change feed's pages, the last stage of a pull
 *
 * Apart from the pull (docket-sync-pull.c), which sends the outbox first: this file asks
 * for the pages of GET /changes, parses each in a worker, applies each in its own
 * transaction, asks for the next before the one before is applied, and restarts from
 * the beginning when the server no longer knows our cursor. Its state is the pull's
 * (DocketSyncPull, docket-sync-private.h).
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "docket-api.h"
#include "docket-sync-private.h"

#define CHANGES_PAGE_LIMIT 1000

/* Pages of changes
 *
 * The feed is a pipeline: page N+1 is requested as soon as page N's cursor is known (read
 * from the head of its body, peek_next_cursor, or else once page N is parsed, in a
 * worker), while page N is parsed and applied (in another). Pages are parsed and applied
 * one at a time, in the feed's order, each applied in its own transaction with its
 * cursor: page N+1 waits for page N's commit, and when page N fails, page N+1
 * (requested, received or parsed) is thrown away and the pull ends with the cursor of
 * page N-1. At most one page at each stage: the network stays ahead of the store, and a
 * slow store does not fill the memory with pages. */

struct _DocketSyncPage {
  DocketSyncPull    *pull;          /* borrowed: the pull holds its pages */
  GBytes            *body;
  char              *since;         /* the cursor it was asked from; NULL: the beginning */
  char              *peeked_cursor; /* read ahead from its body (peek_next_cursor) */
  DocketChangesPage *page;
};

static void
feed_page_free (DocketSyncPage *work)
{
  g_clear_pointer (&work->body, g_bytes_unref);
  g_clear_pointer (&work->since, g_free);
  g_clear_pointer (&work->peeked_cursor, g_free);
  g_clear_pointer (&work->page, docket_changes_page_free);
  g_free (work);
}

static void feed_pump (DocketSyncPull *pull);

/* What page N's failure means for the pages after it: nothing of them is applied, and
 * the pull ends once what is under way came back (it holds the pull). */
static void
feed_fail (DocketSyncPull *pull,
           GError        *error)
{
  _docket_sync_pull_take_error (pull, error);
  pull->feed_failed = TRUE;
  pull->fetch_more = FALSE;
  pull->restart_wanted = FALSE;
  g_queue_clear_full (&pull->parsed, (GDestroyNotify) docket_changes_page_free);
  g_clear_pointer (&pull->received, feed_page_free);
  g_cancellable_cancel (pull->feed_cancellable);
  feed_pump (pull);
}

/* A request failed (the network, the server's answer): the pages before it are good and
 * are still applied; nothing more is asked for, and the pull ends after them, as it would
 * have if the pages had been fetched one after the other. */
static void
feed_stop (DocketSyncPull *pull,
           GError        *error)
{
  _docket_sync_pull_take_error (pull, error);
  pull->feed_stopped = TRUE;
  pull->fetch_more = FALSE;
  pull->restart_wanted = FALSE;
  feed_pump (pull);
}

/* The strict reader runs here, off the main thread, while the page before is applied. */
static void
parse_page_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  DocketSyncPage *work = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(DocketChangesPage) page = NULL;

  root = docket_api_parse_json (work->body, DOCKET_MAX_JSON_RESPONSE_BYTES, &error);
  if (root == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  page = docket_changes_page_from_json (root, &error);
  if (page == NULL)
    {
      g_task_return_error (task, docket_api_protocol_error (error->message));
      return;
    }

  if (page->cursor == NULL || page->changes == NULL ||
      page->changes->len > DOCKET_MAX_CHANGES_PER_PAGE)
    {
      g_task_return_error (task,
                           docket_api_protocol_error (_("a page of changes out of the protocol's limits")));
      return;
    }

  work->page = g_steal_pointer (&page);
  g_task_return_boolean (task, TRUE);
}

static void
apply_page_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  DocketSync *self = source_object;
  DocketChangesPage *page = task_data;
  g_autoptr(GError) error = NULL;

  if (!docket_store_apply_changes (self->store, page, &error))
    {
      if (g_error_matches (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_INVALID))
        g_task_return_error (task, docket_api_protocol_error (error->message));
      else
        g_task_return_new_error (task, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_STORE,
                                 _("The offline copy could not be saved: %s"), error->message);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/* A document added or replaced: its content may be missing, for the downloader. */
static gboolean
page_has_documents (DocketChangesPage *page)
{
  for (guint i = 0; i < page->changes->len; i++)
    {
      DocketChange *change = g_ptr_array_index (page->changes, i);

      if (change->type == DOCKET_CHANGE_DOCUMENT && !change->deleted)
        return TRUE;
    }

  return FALSE;
}

static void
page_applied_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  DocketSyncPull *pull = user_data;
  DocketChangesPage *page = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  pull->applying = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      feed_fail (pull, error);
      return;
    }

  g_free (pull->cursor);
  pull->cursor = g_strdup (page->cursor);
  if (page_has_documents (page))
    pull->found_documents = TRUE;
  _docket_sync_pull_debug (pull, "page of changes applied");

  if (!page->more)
    pull->feed_done = TRUE;
  feed_pump (pull);
}

static void
feed_apply_next (DocketSyncPull *pull)
{
  g_autoptr(GTask) task = g_task_new (pull->self, pull->cancellable, page_applied_cb, pull);

  pull->applying = TRUE;
  g_task_set_source_tag (task, feed_apply_next);
  g_task_set_task_data (task, g_queue_pop_head (&pull->parsed),
                        (GDestroyNotify) docket_changes_page_free);
  g_task_run_in_thread (task, apply_page_thread);
}

static void
page_parsed_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  DocketSyncPull *pull = user_data;
  DocketSyncPage *work = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  pull->parsing = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      feed_fail (pull, error);
      return;
    }
  _docket_sync_pull_debug (pull, "page of changes parsed");

  /* The page before it failed meanwhile: this one must not be applied. */
  if (pull->feed_failed)
    {
      feed_pump (pull);
      return;
    }

  /* A server that says "more" without moving on would keep us here forever. */
  if (work->page->more && g_strcmp0 (work->page->cursor, work->since) == 0)
    {
      feed_fail (pull, docket_api_protocol_error (_("the change feed does not advance")));
      return;
    }

  /* The next page was asked for with what the head of the body said: the page as the
   * strict reader sees it must say the same (only a body with two cursors would not). */
  if (work->peeked_cursor != NULL)
    {
      if (!work->page->more || g_strcmp0 (work->page->cursor, work->peeked_cursor) != 0)
        {
          feed_fail (pull, docket_api_protocol_error (_("a page of changes with two cursors")));
          return;
        }
    }
  else
    {
      g_free (pull->fetch_cursor);
      pull->fetch_cursor = g_strdup (work->page->cursor);
      pull->fetch_more = work->page->more;
    }

  g_queue_push_tail (&pull->parsed, g_steal_pointer (&work->page));
  feed_pump (pull);
}

static void
feed_restarted_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  DocketSync *self = source_object;
  GError *error = NULL;

  if (!docket_store_restart_feed (self->store, &error))
    g_task_return_new_error (task, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_STORE,
                             _("The offline copy could not be saved: %s"), error->message);
  else
    g_task_return_boolean (task, TRUE);

  g_clear_error (&error);
}

static void
feed_restarted_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  DocketSyncPull *pull = user_data;
  GError *error = NULL;

  pull->requesting = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      feed_fail (pull, error);
      return;
    }

  g_clear_pointer (&pull->cursor, g_free);
  g_clear_pointer (&pull->fetch_cursor, g_free);
  pull->fetch_more = TRUE;
  feed_pump (pull);
}

/* The server cannot continue from our cursor (restored from a backup, another epoch of
 * its history): sync again from the beginning, once the pages before are applied (the
 * store forgets the cursor they write). The cache stays meanwhile (its document files
 * too: most are the same); the full sync's last page removes what the server no longer
 * has (docket_store_apply_changes). */
static void
feed_restart (DocketSyncPull *pull)
{
  g_autoptr(GTask) task = g_task_new (pull->self, pull->cancellable, feed_restarted_cb, pull);

  pull->restart_wanted = FALSE;
  pull->requesting = TRUE;
  g_task_set_source_tag (task, feed_restart);
  g_task_run_in_thread (task, feed_restarted_thread);
}

/* The cursor of a page, read from the head of its body before the strict reader has
 * seen the page, so that the next page can be asked for at once: the server writes
 * {"cursor": "...", "more": true, first. Only that, with a plain string (no escapes),
 * gives a cursor; anything else gives none, and the next page waits for the parse as
 * before. Nothing of the page is applied on the strength of it: page_parsed_cb checks
 * that the parsed page says the same, and fails it otherwise. */
static const char *
peek_skip_space (const char *p,
                 const char *end)
{
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
    p++;
  return p;
}

static gboolean
peek_literal (const char **p,
              const char  *end,
              const char  *literal)
{
  gsize len = strlen (literal);

  *p = peek_skip_space (*p, end);
  if ((gsize) (end - *p) < len || memcmp (*p, literal, len) != 0)
    return FALSE;
  *p += len;
  return TRUE;
}

static char *
peek_next_cursor (GBytes *body)
{
  gsize len = 0;
  const char *p = g_bytes_get_data (body, &len);
  const char *end = p + len;
  const char *start;
  g_autofree char *cursor = NULL;

  if (p == NULL ||
      !peek_literal (&p, end, "{") || !peek_literal (&p, end, "\"cursor\"") ||
      !peek_literal (&p, end, ":") || !peek_literal (&p, end, "\""))
    return NULL;

  for (start = p; p < end && *p != '"'; p++)
    {
      if (*p == '\\' || (guchar) *p < 0x20 || p - start >= DOCKET_MAX_CURSOR_BYTES)
        return NULL;
    }
  if (p == end)
    return NULL;
  cursor = g_strndup (start, p - start);
  p++;

  if (!peek_literal (&p, end, ",") || !peek_literal (&p, end, "\"more\"") ||
      !peek_literal (&p, end, ":") || !peek_literal (&p, end, "true") ||
      !docket_protocol_text_is_valid (cursor, DOCKET_MAX_CURSOR_BYTES))
    return NULL;

  return g_steal_pointer (&cursor);
}

static void
feed_parse_next (DocketSyncPull *pull)
{
  g_autoptr(GTask) task = g_task_new (pull->self, pull->cancellable, page_parsed_cb, pull);

  pull->parsing = TRUE;
  g_task_set_source_tag (task, feed_parse_next);
  g_task_set_task_data (task, g_steal_pointer (&pull->received), (GDestroyNotify) feed_page_free);
  g_task_run_in_thread (task, parse_page_thread);
}

static void
changes_answered_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  DocketSyncPage *work = user_data;
  DocketSyncPull *pull = work->pull;
  g_autoptr(GBytes) body = NULL;
  GError *error = NULL;
  guint status = 0;

  pull->requesting = FALSE;
  if (docket_api_call_finish (result, &status, &body, &error) == NULL)
    {
      feed_page_free (work);
      feed_stop (pull, error);
      return;
    }
  _docket_sync_pull_debug (pull, "page of changes received");

  if (pull->feed_failed)
    {
      feed_page_free (work);
      feed_pump (pull);
      return;
    }

  if (status == SOUP_STATUS_BAD_REQUEST && !pull->restarted_feed)
    {
      g_autofree char *code = docket_api_error_code_from_body (body);

      if (g_strcmp0 (code, DOCKET_ERR_INVALID_CURSOR) == 0)
        {
          feed_page_free (work);
          pull->restarted_feed = TRUE;
          pull->restart_wanted = TRUE;
          feed_pump (pull);
          return;
        }
    }

  if (status != SOUP_STATUS_OK)
    {
      feed_page_free (work);
      feed_stop (pull, docket_api_status_error (status));
      return;
    }

  work->body = g_steal_pointer (&body);
  work->peeked_cursor = peek_next_cursor (work->body);
  if (work->peeked_cursor != NULL && g_strcmp0 (work->peeked_cursor, work->since) != 0)
    {
      g_free (pull->fetch_cursor);
      pull->fetch_cursor = g_strdup (work->peeked_cursor);
      pull->fetch_more = TRUE;
    }
  else
    g_clear_pointer (&work->peeked_cursor, g_free);   /* the parse says what comes next */

  g_assert (pull->received == NULL);
  pull->received = work;
  feed_pump (pull);
}

static void
feed_fetch (DocketSyncPull *pull)
{
  g_autofree char *path = NULL;
  DocketSyncPage *work = g_new0 (DocketSyncPage, 1);

  pull->requesting = TRUE;
  pull->fetch_more = FALSE;
  work->pull = pull;
  work->since = g_strdup (pull->fetch_cursor);

  if (pull->fetch_cursor != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (pull->fetch_cursor, NULL, FALSE);
      path = g_strdup_printf (DOCKET_API_PREFIX "/changes?since=%s&limit=%d",
                              escaped, CHANGES_PAGE_LIMIT);
    }
  else
    path = g_strdup_printf (DOCKET_API_PREFIX "/changes?limit=%d", CHANGES_PAGE_LIMIT);

  _docket_sync_http_call_async (pull->self, pull->self->server_url, "GET", path, NULL, TRUE,
                                DOCKET_MAX_JSON_RESPONSE_BYTES, pull->feed_cancellable,
                                changes_answered_cb, work);
}

/* The one place that decides the feed's next step, after every event of it. At most
 * one page of each stage: asked for, received (waiting for the parse before it: pages
 * are parsed in order), parsed (waiting for the apply before it), applied. */
static void
feed_pump (DocketSyncPull *pull)
{
  gboolean idle;

  if (pull->feed_failed)
    {
      if (!pull->requesting && !pull->parsing && !pull->applying)
        _docket_sync_pull_finish (pull);
      return;
    }

  if (!pull->applying && !g_queue_is_empty (&pull->parsed))
    feed_apply_next (pull);

  if (!pull->parsing && pull->received != NULL && g_queue_is_empty (&pull->parsed))
    feed_parse_next (pull);

  if (pull->fetch_more && !pull->feed_stopped && !pull->requesting && pull->received == NULL &&
      g_queue_is_empty (&pull->parsed))
    feed_fetch (pull);

  idle = !pull->requesting && !pull->parsing && !pull->applying &&
         pull->received == NULL && g_queue_is_empty (&pull->parsed);

  if (pull->feed_stopped)
    {
      if (idle)
        _docket_sync_pull_finish (pull);
    }
  else if (pull->restart_wanted && idle)
    feed_restart (pull);
  else if (pull->feed_done && idle)
    {
      pull->feed_done = FALSE;
      pull->feed_complete = TRUE;
      _docket_sync_pull_finish (pull);
    }
}

/* From the pull's cursor; the pull ends once the last page is applied, or when the
 * feed fails. */
void
_docket_sync_feed_start (DocketSyncPull *pull)
{
  g_clear_pointer (&pull->fetch_cursor, g_free);
  pull->fetch_cursor = g_strdup (pull->cursor);
  pull->fetch_more = TRUE;
  feed_pump (pull);
}

void
_docket_sync_feed_clear (DocketSyncPull *pull)
{
  g_clear_object (&pull->feed_cancellable);
  g_clear_pointer (&pull->received, feed_page_free);
  g_queue_clear_full (&pull->parsed, (GDestroyNotify) docket_changes_page_free);
  g_clear_pointer (&pull->fetch_cursor, g_free);
}
