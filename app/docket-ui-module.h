/* docket-ui-module.h: the entry point of the window's module
 *
 * Everything that needs GTK (DocketApplication, the window, the PDF views) is built
 * into a shared module, libdocket-ui.so, that `docket` loads only when a window is
 * wanted; the window-less commands (docket-commands.h) never pay for loading GTK.
 * The module takes the store, sync and protocol code from the `docket` executable,
 * which exports it, so that each GType exists once.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DOCKET_UI_MODULE_ENTRY "docket_ui_module_run"

typedef int (*DocketUiModuleRun) (int    argc,
                                  char **argv);

/* Runs DocketApplication on the command line: the exit status. */
int docket_ui_module_run (int    argc,
                          char **argv);

G_END_DECLS
