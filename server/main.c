/* main.c: docket-server, the reference server of Docket */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "docket-server-cli.h"

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  return docket_server_cli_run (argc, argv);
}
