/* docket-main-context.h: handing work from a worker thread back to a main context
 *
 * g_main_context_invoke () looks like the way to do it, but when the context is free at
 * that instant (its thread between two iterations) it acquires it and calls the function
 * right there, in the worker thread: a "finished" could then overtake the "page found"
 * still queued before it, and GTK or a GTask's callback would run off its thread (the
 * reader's find counted 0 of 2 hits that way, once in seven runs). Posting always queues
 * an idle source: the function runs in the context's own thread, after what was posted
 * before it at the same priority.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Runs func (data) once in context's thread at priority, then notify (data); name names
 * the source for profilers and debuggers. Safe from any thread. */
void docket_main_context_post (GMainContext   *context,
                               int             priority,
                               const char     *name,
                               GSourceFunc     func,
                               gpointer        data,
                               GDestroyNotify  notify);

G_END_DECLS
