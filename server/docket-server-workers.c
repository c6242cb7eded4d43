/* docket-server-workers.c: a fixed number of worker threads with a bounded queue */
#include "config.h"

#include "docket-server-workers.h"

typedef struct {
  GTask           *task;
  GTaskThreadFunc  func;
} Job;

struct _DocketServerWorkers
{
  GObject      parent_instance;

  GThreadPool *pool;
  guint        capacity;   /* running plus waiting */

  /* Counted under lock: the main thread reads it, workers lower it. */
  GMutex       lock;
  GCond        idle;
  guint        busy;
  gboolean     closed;
};

G_DEFINE_TYPE (DocketServerWorkers, docket_server_workers, G_TYPE_OBJECT)

static void
run_job (gpointer data,
         gpointer user_data)
{
  Job *job = data;
  DocketServerWorkers *self = user_data;

  job->func (job->task, g_task_get_source_object (job->task),
             g_task_get_task_data (job->task), g_task_get_cancellable (job->task));
  /* The task may end here if its callback ran already: its data must not care which
   * thread frees it. */
  g_object_unref (job->task);
  g_free (job);

  g_mutex_lock (&self->lock);
  if (--self->busy == 0)
    g_cond_broadcast (&self->idle);
  g_mutex_unlock (&self->lock);
}

static void
docket_server_workers_finalize (GObject *object)
{
  DocketServerWorkers *self = DOCKET_SERVER_WORKERS (object);

  /* Lets the waiting tasks run and waits for all of them: none is dropped. */
  if (self->pool != NULL)
    g_thread_pool_free (g_steal_pointer (&self->pool), FALSE, TRUE);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->idle);

  G_OBJECT_CLASS (docket_server_workers_parent_class)->finalize (object);
}

static void
docket_server_workers_class_init (DocketServerWorkersClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = docket_server_workers_finalize;
}

static void
docket_server_workers_init (DocketServerWorkers *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->idle);
}

DocketServerWorkers *
docket_server_workers_new (guint n_threads,
                           guint max_waiting)
{
  g_autoptr(DocketServerWorkers) self = g_object_new (DOCKET_SERVER_TYPE_WORKERS, NULL);
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (n_threads > 0, NULL);

  self->capacity = n_threads + max_waiting;
  /* Not exclusive: idle threads go back to GLib's spare threads, but never more than
   * n_threads run this pool's work at once. */
  self->pool = g_thread_pool_new (run_job, self, (int) n_threads, FALSE, &error);
  if (self->pool == NULL)
    g_error ("Cannot make a thread pool: %s", error->message);
  return g_steal_pointer (&self);
}

gboolean
docket_server_workers_run (DocketServerWorkers *self,
                           GTask               *task,
                           GTaskThreadFunc      func)
{
  Job *job;

  g_return_val_if_fail (DOCKET_SERVER_IS_WORKERS (self), FALSE);
  g_return_val_if_fail (G_IS_TASK (task), FALSE);

  g_mutex_lock (&self->lock);
  if (self->closed || self->busy >= self->capacity)
    {
      g_mutex_unlock (&self->lock);
      return FALSE;
    }
  self->busy++;
  g_mutex_unlock (&self->lock);

  job = g_new0 (Job, 1);
  job->task = g_object_ref (task);
  job->func = func;
  /* Only fails for an exclusive pool that cannot start its threads. */
  g_thread_pool_push (self->pool, job, NULL);
  return TRUE;
}

guint
docket_server_workers_get_busy (DocketServerWorkers *self)
{
  guint busy;

  g_return_val_if_fail (DOCKET_SERVER_IS_WORKERS (self), 0);

  g_mutex_lock (&self->lock);
  busy = self->busy;
  g_mutex_unlock (&self->lock);
  return busy;
}

gboolean
docket_server_workers_is_closed (DocketServerWorkers *self)
{
  gboolean closed;

  g_return_val_if_fail (DOCKET_SERVER_IS_WORKERS (self), TRUE);

  g_mutex_lock (&self->lock);
  closed = self->closed;
  g_mutex_unlock (&self->lock);
  return closed;
}

void
docket_server_workers_close (DocketServerWorkers *self)
{
  g_return_if_fail (DOCKET_SERVER_IS_WORKERS (self));

  g_mutex_lock (&self->lock);
  self->closed = TRUE;
  while (self->busy > 0)
    g_cond_wait (&self->idle, &self->lock);
  g_mutex_unlock (&self->lock);
}
