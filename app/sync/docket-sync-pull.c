/* docket-sync-pull.c: a pull, the outbox and the change feed, beside the downloads
 *
 * A pull reads the token if it is not read yet, sends the official's waiting operations
 * (docket-outbox.c), then pulls the change feed (docket-sync-feed.c). It is a run's first
 * stage (docket-sync.c), and it also runs alone (docket_sync_pull_async): when the live
 * channel says something changed, after a live action, during a run's downloads. It
 * uses the API's own session, so it never waits for a connection a download holds.
 *
 * One pull at a time: the feed's pages must be applied in order, from one cursor. A
 * pull asked for while one is under way does not join it (that one may have asked for
 * its page already, and the change the caller knows of may be after it): it waits for
 * one more pull after it, which every caller asking meanwhile shares.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "docket-api.h"
#include "docket-credentials.h"
#include "docket-outbox.h"
#include "docket-sync-private.h"

/* Someone waiting for a pull, with their cancellable watched while the pull runs. */
typedef struct {
  GTask        *task;
  GCancellable *cancellable;    /* the task's, borrowed */
  gulong        cancelled_id;
} PullWaiter;

static void
pull_waiter_free (PullWaiter *waiter)
{
  if (waiter->cancelled_id != 0)
    g_cancellable_disconnect (waiter->cancellable, waiter->cancelled_id);
  g_clear_object (&waiter->task);
  g_free (waiter);
}

static void
pull_free (DocketSyncPull *pull)
{
  g_clear_pointer (&pull->waiters, g_ptr_array_unref);
  g_clear_object (&pull->cancellable);
  g_clear_pointer (&pull->cursor, g_free);
  _docket_sync_feed_clear (pull);
  g_clear_error (&pull->error);
  g_clear_object (&pull->self);
  g_free (pull);
}

void
_docket_sync_pull_debug (DocketSyncPull *pull,
                         const char     *stage)
{
  g_debug ("sync: %s after %.1f ms (pull)", stage,
           (double) (g_get_monotonic_time () - pull->started_at) / 1000.0);
}

void
_docket_sync_pull_take_error (DocketSyncPull *pull,
                              GError         *error)
{
  if (pull->error == NULL)
    pull->error = error;
  else
    g_error_free (error);
}

static void pull_start (DocketSync *self,
                        GPtrArray  *tasks);

void
_docket_sync_pull_finish (DocketSyncPull *pull)
{
  g_autoptr(DocketSync) self = g_object_ref (pull->self);
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&pull->waiters);
  g_autoptr(GPtrArray) next = g_steal_pointer (&self->pull_next);
  gboolean feed_complete = pull->feed_complete;
  gboolean cancelled = g_error_matches (pull->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  gboolean found_documents = pull->found_documents && !cancelled;

  g_assert (self->pull == pull);
  self->pull = NULL;
  _docket_sync_pull_debug (pull, pull->error == NULL ? "pull done" : "pull failed");

  /* The token is dead (a 401 of the outbox or the feed): whoever waits learns it, and
   * the engine is signed out before they do. */
  if (g_error_matches (pull->error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_SIGNED_OUT))
    _docket_sync_token_refused (self, pull->error->message);

  /* The next pull starts before the waiters hear of this one: one of them asking for
   * another (the live channel, on the next "changed") then joins it, or waits after it. */
  if (next != NULL && next->len > 0)
    pull_start (self, g_steal_pointer (&next));

  if (found_documents)
    _docket_sync_downloads_wanted (self);

  for (guint i = 0; i < waiters->len; i++)
    {
      PullWaiter *waiter = g_ptr_array_index (waiters, i);

      /* The run goes on with its downloads once the feed is applied, even when the
       * outbox reported a failure (docket-sync.c). */
      g_task_set_task_data (waiter->task, GINT_TO_POINTER (feed_complete), NULL);
      if (pull->error != NULL)
        g_task_return_error (waiter->task, g_error_copy (pull->error));
      else
        g_task_return_boolean (waiter->task, TRUE);
    }

  pull_free (pull);
}

static void
pull_fail (DocketSyncPull *pull,
           GError         *error)
{
  _docket_sync_pull_take_error (pull, error);
  _docket_sync_pull_finish (pull);
}

/* The official's waiting annotations and notes go first, so that the feed that follows
 * brings the server's state with them in it (docket-outbox.c). */
static void
outbox_pushed_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  DocketSyncPull *pull = user_data;
  GError *error = NULL;
  GError *held = NULL;
  guint n_requests = 0;
  gboolean ok = docket_outbox_push_finish (result, &n_requests, &held, &error);

  pull->self->request_count += n_requests;
  if (!ok && !g_error_matches (error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_PROTOCOL))
    {
      /* What stopped the push (the network, a server in trouble) says more than an
       * operation it held on the way. */
      g_clear_error (&held);
      pull_fail (pull, error);
      return;
    }
  /* A server that answers an operation wrongly must not also keep the official from
   * what changed: the pull goes on and reports it. The operation stays queued, and the
   * feed does not overwrite what it holds. Likewise for operations the server keeps
   * failing on, held while the others went (their failure is reported, and the
   * engine's back-off tries them again). */
  if (!ok)
    _docket_sync_pull_take_error (pull, error);
  if (held != NULL)
    _docket_sync_pull_take_error (pull, held);
  _docket_sync_feed_start (pull);
}

static void
pull_push_outbox (DocketSyncPull *pull)
{
  DocketSync *self = pull->self;

  docket_outbox_push_async (self->store, self->session, self->server_url, self->token,
                            pull->cancellable, outbox_pushed_cb, pull);
}

static void
token_found_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  DocketSyncPull *pull = user_data;
  DocketSync *self = pull->self;
  GError *error = NULL;
  char *token;

  token = docket_credentials_lookup_finish (result, &error);
  if (error != NULL)
    {
      pull_fail (pull, error);
      return;
    }

  if (token == NULL)
    {
      pull_fail (pull, g_error_new_literal (DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_SIGNED_OUT,
                                            _("Docket has no sign-in for this account any more. "
                                              "Sign in again.")));
      return;
    }

  _docket_sync_forget_token (self);
  self->token = token;
  _docket_sync_pull_debug (pull, "token read from the Secret Service");
  _docket_sync_live_update (self);

  pull_push_outbox (pull);
}

static void
preconnected_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  /* Only a head start: a failure here comes again, reported, with the first request. */
  soup_session_preconnect_finish (SOUP_SESSION (object), result, NULL);
}

static void
preconnect (DocketSync   *self,
            GCancellable *cancellable)
{
  g_autofree char *url = g_strconcat (self->server_url, DOCKET_API_PREFIX "/changes", NULL);
  g_autoptr(SoupMessage) message = docket_api_new_message ("GET", url, NULL);

  if (message != NULL)
    soup_session_preconnect_async (self->session, message, G_PRIORITY_DEFAULT, cancellable,
                                   preconnected_cb, NULL);
}

static void
pull_cancelled_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  /* On the main context: from a waiter's cancellable or the engine's. The feed's
   * requests watch a cancellable of their own, which a failed page cancels too. */
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

/* Why nobody can pull now, or NULL. */
static GError *
pull_impossible (DocketSync *self)
{
  /* Not signed in, or the server refused the token: only a sign-in helps. */
  if (self->server_url == NULL || self->username == NULL || !self->signed_in)
    return g_error_new_literal (DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_SIGNED_OUT,
                                _("Docket is not signed in. Sign in first."));

  if (!_docket_sync_server_url_is_loopback (self->server_url) &&
      !g_network_monitor_get_network_available (self->monitor))
    return g_error_new_literal (DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_OFFLINE,
                                _("This computer is offline. Docket will "
                                  "sync when the network is back."));

  return NULL;
}

/* Starts a pull for tasks (taken): those already cancelled are told so, the others
 * wait for it. */
static void
pull_start (DocketSync *self,
            GPtrArray  *tasks)
{
  g_autoptr(GPtrArray) owned = tasks;
  g_autoptr(GError) impossible = pull_impossible (self);
  DocketSyncPull *pull;

  g_assert (self->pull == NULL);

  pull = g_new0 (DocketSyncPull, 1);
  pull->self = g_object_ref (self);
  pull->started_at = g_get_monotonic_time ();
  pull->waiters = g_ptr_array_new_with_free_func ((GDestroyNotify) pull_waiter_free);
  pull->cancellable = g_cancellable_new ();
  pull->feed_cancellable = g_cancellable_new ();
  g_queue_init (&pull->parsed);

  for (guint i = 0; i < owned->len; i++)
    {
      GTask *task = g_ptr_array_index (owned, i);
      PullWaiter *waiter;

      if (impossible != NULL)
        {
          g_task_set_task_data (task, GINT_TO_POINTER (FALSE), NULL);
          g_task_return_error (task, g_error_copy (impossible));
          continue;
        }
      if (g_task_return_error_if_cancelled (task))
        continue;

      waiter = g_new0 (PullWaiter, 1);
      waiter->task = g_object_ref (task);
      waiter->cancellable = g_task_get_cancellable (task);
      if (waiter->cancellable != NULL)
        waiter->cancelled_id = g_cancellable_connect (waiter->cancellable,
                                                      G_CALLBACK (pull_cancelled_cb),
                                                      g_object_ref (pull->cancellable),
                                                      g_object_unref);
      g_ptr_array_add (pull->waiters, waiter);
    }

  if (pull->waiters->len == 0)
    {
      pull_free (pull);
      return;
    }

  self->pull = pull;
  g_signal_connect_object (pull->cancellable, "cancelled", G_CALLBACK (pull_cancelled_cb),
                           pull->feed_cancellable, 0);
  pull->cursor = docket_store_dup_cursor (self->store);

  if (self->token == NULL)
    {
      /* Reading the token from the Secret Service takes a few D-Bus round trips: open
       * the connection to the server (proxy look-up, TCP, TLS) meanwhile. */
      preconnect (self, pull->cancellable);
      docket_credentials_lookup_async (docket_store_get_profile_dir (self->store),
                                       self->server_url, self->username, pull->cancellable,
                                       token_found_cb, pull);
    }
  else
    pull_push_outbox (pull);
}

void
docket_sync_pull_async (DocketSync          *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) tasks = NULL;

  g_return_if_fail (DOCKET_IS_SYNC (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, docket_sync_pull_async);

  if (self->pull != NULL)
    {
      if (self->pull_next == NULL)
        self->pull_next = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_add (self->pull_next, g_steal_pointer (&task));
      return;
    }

  tasks = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (tasks, g_steal_pointer (&task));
  pull_start (self, g_steal_pointer (&tasks));
}

gboolean
docket_sync_pull_finish (DocketSync    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == docket_sync_pull_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
_docket_sync_pull_finish_full (DocketSync    *self,
                               GAsyncResult  *result,
                               gboolean      *out_feed_complete,
                               GError       **error)
{
  *out_feed_complete = GPOINTER_TO_INT (g_task_get_task_data (G_TASK (result)));

  return docket_sync_pull_finish (self, result, error);
}

void
_docket_sync_pull_cancel_all (DocketSync *self)
{
  g_autoptr(GPtrArray) next = g_steal_pointer (&self->pull_next);

  if (self->pull != NULL)
    g_cancellable_cancel (self->pull->cancellable);

  for (guint i = 0; next != NULL && i < next->len; i++)
    {
      GTask *task = g_ptr_array_index (next, i);

      g_task_set_task_data (task, GINT_TO_POINTER (FALSE), NULL);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The sync was cancelled."));
    }
}
