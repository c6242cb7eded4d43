/* docket-ui-module.c: the entry point of the window's module */

#include "config.h"

#include "docket-application.h"
#include "docket-ui-module.h"

int
docket_ui_module_run (int    argc,
                      char **argv)
{
  g_autoptr(DocketApplication) application = docket_application_new ();

  return g_application_run (G_APPLICATION (application), argc, argv);
}
