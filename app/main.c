/* main.c: docket, the Docket desktop client
 *
 * The window-less commands run here directly; for a window, main () loads the UI
 * module (see docket-ui-module.h) and hands it the command line.
 */

#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <gmodule.h>
#include <glib/gi18n.h>

#include "docket-commands.h"
#include "docket-ui-module.h"

#define UI_MODULE_NAME "libdocket-ui.so"

/* Next to the executable when it runs from the build folder, else where it is
 * installed. */
static char *
find_ui_module (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);

  if (exe != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (exe);
      g_autofree char *path = g_build_filename (dir, UI_MODULE_NAME, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&path);
    }

  return g_build_filename (DOCKET_UI_MODULE_DIR, UI_MODULE_NAME, NULL);
}

static int
run_ui_module (int    argc,
               char **argv)
{
  g_autofree char *path = find_ui_module ();
  DocketUiModuleRun run = NULL;
  GModule *module;

  /* Local: the module's GTK symbols stay out of the global scope; its own references
   * to the store and sync code resolve to this executable's exported copies. */
  module = g_module_open (path, G_MODULE_BIND_LOCAL);
  if (module == NULL)
    {
      g_printerr (_("Cannot load the window's module: %s\n"), g_module_error ());
      return EXIT_FAILURE;
    }
  /* Its types and classes live as long as the process. */
  g_module_make_resident (module);

  if (!g_module_symbol (module, DOCKET_UI_MODULE_ENTRY, (gpointer *) &run) || run == NULL)
    {
      g_printerr (_("Cannot load the window's module: %s\n"), g_module_error ());
      return EXIT_FAILURE;
    }

  return run (argc, argv);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Docket"));

  if (docket_commands_wanted (argc, argv))
    return docket_commands_main (argc, argv);

  return run_ui_module (argc, argv);
}
