/* docket-main-context.c: handing work from a worker thread back to a main context
 *
 * See the header for why this is not g_main_context_invoke ().
 */
#include "docket-main-context.h"

void
docket_main_context_post (GMainContext   *context,
                          int             priority,
                          const char     *name,
                          GSourceFunc     func,
                          gpointer        data,
                          GDestroyNotify  notify)
{
  GSource *source = g_idle_source_new ();

  g_source_set_priority (source, priority);
  g_source_set_callback (source, func, data, notify);
  g_source_set_static_name (source, name);
  g_source_attach (source, context);
  g_source_unref (source);
}
