/* docket-server-workers.h: a fixed number of worker threads with a bounded queue
 *
 * For the server's slow work (password hashes, change feeds): unlike GLib's shared pool,
 * which grows, it never runs more than n_threads at once, and it refuses work beyond
 * max_waiting, so that a burst of requests cannot make the server use unbounded memory
 * or time: the request gets 503 instead.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define DOCKET_SERVER_TYPE_WORKERS (docket_server_workers_get_type ())
G_DECLARE_FINAL_TYPE (DocketServerWorkers, docket_server_workers, DOCKET_SERVER, WORKERS, GObject)

DocketServerWorkers *docket_server_workers_new      (guint             n_threads,
                                                     guint             max_waiting);
/* Runs func in one of the threads, like g_task_run_in_thread (): the task returns to its
 * own main context. FALSE, and nothing is run, when n_threads tasks run and max_waiting
 * wait already. */
gboolean             docket_server_workers_run      (DocketServerWorkers *self,
                                                     GTask               *task,
                                                     GTaskThreadFunc      func);
/* Tasks given and not finished yet (running or waiting). */
guint                docket_server_workers_get_busy (DocketServerWorkers *self);
/* Refuses every task from now on (run answers FALSE), and waits for every task given
 * (waiting ones too) to finish: for stopping. */
void                 docket_server_workers_close    (DocketServerWorkers *self);
gboolean             docket_server_workers_is_closed (DocketServerWorkers *self);

G_END_DECLS
