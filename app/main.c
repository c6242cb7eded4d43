/* main.c: docket, the Docket desktop client */

#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "docket-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(DocketApplication) application = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Docket"));

  application = docket_application_new ();
  return g_application_run (G_APPLICATION (application), argc, argv);
}
