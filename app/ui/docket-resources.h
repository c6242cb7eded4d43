/* docket-resources.h: Docket's GResource and style sheet, wherever a widget of ours lives
 *
 * The application, its window and the widgets that tests and benchmarks put in windows
 * of their own all need the templates, icons and style sheet of data/docket.gresource.xml:
 * a document view looks and lays out the same in each.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Registers the GResource once (safe before gtk_init and from many places). */
void docket_ensure_resources (void);
/* Adds the style sheet and the icons to the default display, once there is one. */
void docket_ensure_style     (void);

G_END_DECLS
