/* docket-commands.c: the window-less commands (--sign-in, --sync-once, --version) */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <gmodule.h>
#include <glib/gi18n.h>

#include "docket-commands.h"
#include "docket-store.h"
#include "docket-sync.h"
#include "index/docket-index-module.h"
#include "index/docket-index-module-dir.h"

/* What the command line asks for. */
typedef struct {
  char      *profile;
  char      *sign_in_url;
  char     **rest;
  gboolean   sync_once;
  gboolean   version;
} Options;

static void
options_clear (Options *options)
{
  g_clear_pointer (&options->profile, g_free);
  g_clear_pointer (&options->sign_in_url, g_free);
  g_clear_pointer (&options->rest, g_strfreev);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

/* The same options as DocketApplication's, so that both parse a command line alike. */
static GOptionContext *
options_context_new (Options *options)
{
  const GOptionEntry entries[] = {
    { "profile", 'p', 0, G_OPTION_ARG_FILENAME, &options->profile,
      N_("Keep all data (meetings, documents) in DIR instead of the default folder"), N_("DIR") },
    { "sign-in", 0, 0, G_OPTION_ARG_STRING, &options->sign_in_url,
      N_("Sign in to the server at URL as USER without a window, reading the password from standard input, then exit"),
      N_("URL USER") },
    { "sync-once", 0, 0, G_OPTION_ARG_NONE, &options->sync_once,
      N_("Sync once without a window, index the new documents for search, and exit: 0 on success, else non-zero with the reason on standard error"),
      NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &options->version,
      N_("Show the version and exit"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &options->rest, NULL, N_("[USER]") },
    { NULL }
  };
  GOptionContext *context = g_option_context_new (NULL);

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Read the agendas and documents of your meetings, online or offline."));
  g_option_context_set_description (context,
                                    _("Examples:\n"
                                      "  docket --profile ~/docket-a\n"
                                      "  echo PASSWORD | docket --profile ~/docket-a --sign-in https://docket.example.vn daibieu1\n"
                                      "  docket --profile ~/docket-a --sync-once"));
  return context;
}

char *
docket_commands_default_profile_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "docket", NULL);
}

gboolean
docket_commands_wanted (int    argc,
                        char **argv)
{
  g_auto(Options) options = { 0 };
  g_autoptr(GOptionContext) context = options_context_new (&options);
  /* Parsing takes the arguments it knows out of the array (without freeing them):
   * parse a shallow copy, leave argv whole for the real parse. */
  g_autofree char **copy = g_new0 (char *, argc + 1);
  char **args = copy;
  int n_args = argc;

  for (int i = 0; i < argc; i++)
    copy[i] = argv[i];

  /* Anything this parser does not know (GTK's options, a mistake) goes to the
   * application, which knows all options and reports errors. */
  g_option_context_set_help_enabled (context, FALSE);
  g_option_context_set_ignore_unknown_options (context, TRUE);
  if (!g_option_context_parse (context, &n_args, &args, NULL))
    return FALSE;

  return options.version || options.sync_once || options.sign_in_url != NULL;
}

int
docket_commands_main (int    argc,
                      char **argv)
{
  g_auto(Options) options = { 0 };
  g_autoptr(GOptionContext) context = options_context_new (&options);
  g_autoptr(GError) error = NULL;
  g_autofree char *profile_dir = NULL;

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr (_("%s (see docket --help)\n"), error->message);
      return DOCKET_EXIT_USAGE;
    }

  if (options.version)
    {
      g_print ("docket %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  /* Absolute: the token in the Secret Service is keyed by this path. */
  if (options.profile != NULL && options.profile[0] != '\0')
    profile_dir = g_canonicalize_filename (options.profile, NULL);
  else
    profile_dir = docket_commands_default_profile_dir ();

  if (options.sign_in_url != NULL)
    {
      if (options.rest == NULL || options.rest[0] == NULL || options.rest[1] != NULL)
        {
          g_printerr (_("Usage: docket [--profile DIR] --sign-in URL USER (the password on standard input)\n"));
          return DOCKET_EXIT_USAGE;
        }
      return docket_commands_run (profile_dir, options.sign_in_url, options.rest[0], options.sync_once);
    }

  if (options.rest != NULL && options.rest[0] != NULL)
    {
      g_printerr (_("Unexpected argument: %s (see docket --help)\n"), options.rest[0]);
      return DOCKET_EXIT_USAGE;
    }

  return docket_commands_run (profile_dir, NULL, NULL, options.sync_once);
}

/* The result of one command, filled by its callback. */
typedef struct {
  GMainLoop *loop;
  GError    *error;
} CommandResult;

static void
on_command_signed_in (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  CommandResult *command = user_data;

  docket_sync_sign_in_finish (DOCKET_SYNC (source), result, &command->error);
  g_main_loop_quit (command->loop);
}

static void
on_command_synced (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  CommandResult *command = user_data;

  docket_sync_run_finish (DOCKET_SYNC (source), result, &command->error);
  g_main_loop_quit (command->loop);
}

/* ---- Indexing after a sync ---------------------------------------------------------- */

/* Where the indexer's module is: in index/ beside the running program in the build
 * folder, else where it is installed. */
static char *
find_index_module (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);

  if (exe != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (exe);
      g_autofree char *built = g_build_filename (dir, "index", DOCKET_INDEX_MODULE_NAME, NULL);

      if (g_file_test (built, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&built);
    }

  return g_build_filename (DOCKET_INDEX_MODULE_DIR, DOCKET_INDEX_MODULE_NAME, NULL);
}

/* The module's entry; the module stays loaded (its GTypes and poppler's state live as
 * long as the process). */
static DocketIndexModuleIndexAll
load_index_module (GError **error)
{
  g_autofree char *path = find_index_module ();
  DocketIndexModuleIndexAll index_all = NULL;
  GModule *module;

  /* Local: poppler's symbols stay out of the global scope; the module's references to
   * the store resolve to this executable's exported copies. */
  module = g_module_open (path, G_MODULE_BIND_LOCAL);
  if (module == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", g_module_error ());
      return NULL;
    }
  g_module_make_resident (module);

  if (!g_module_symbol (module, DOCKET_INDEX_MODULE_ENTRY, (gpointer *) &index_all) || index_all == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", g_module_error ());
      return NULL;
    }

  return index_all;
}

/* After a successful sync: extracts the text of the contents that are not in the
 * search index yet, so that a cron job's sync leaves them searchable. A content that
 * cannot be indexed is logged and left for the next run (as the window's indexer does);
 * nothing here fails the command, whose sync did succeed. With nothing to index, the
 * module (and poppler) is not even loaded: such a sync stays fast. */
static void
index_after_sync (DocketStore *store)
{
  g_autoptr(GError) error = NULL;
  DocketIndexModuleIndexAll index_all;
  guint n_unindexed = 0;
  guint n_indexed = 0;

  if (!docket_store_count_unindexed_contents (store, &n_unindexed, &error))
    {
      g_printerr (_("Cannot index the documents for search: %s\n"), error->message);
      return;
    }
  if (n_unindexed == 0)
    return;

  index_all = load_index_module (&error);
  if (index_all == NULL || !index_all (store, NULL, &n_indexed, &error))
    g_printerr (_("Cannot index the documents for search: %s\n"), error->message);

  if (n_indexed > 0)
    g_print (g_dngettext (GETTEXT_PACKAGE, "Indexed %u document for search.\n",
                          "Indexed %u documents for search.\n", n_indexed),
             n_indexed);
}

/* The whole of standard input, without the line ending a shell's echo adds. */
static char *
read_password (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  char buffer[256];
  size_t n;

  while ((n = fread (buffer, 1, sizeof buffer, stdin)) > 0)
    g_string_append_len (text, buffer, (gssize) n);

  if (text->len > 0 && text->str[text->len - 1] == '\n')
    g_string_truncate (text, text->len - 1);
  if (text->len > 0 && text->str[text->len - 1] == '\r')
    g_string_truncate (text, text->len - 1);

  return g_string_free (g_steal_pointer (&text), FALSE);
}

int
docket_commands_run (const char *profile_dir,
                     const char *sign_in_url,
                     const char *sign_in_user,
                     gboolean    sync_once)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketStore) store = NULL;
  g_autoptr(DocketSync) sync = NULL;
  g_autoptr(GMainLoop) loop = NULL;

  g_return_val_if_fail (profile_dir != NULL, DOCKET_EXIT_USAGE);
  g_return_val_if_fail (sign_in_url == NULL || sign_in_user != NULL, DOCKET_EXIT_USAGE);

  store = docket_store_open (profile_dir, &error);
  if (store == NULL)
    {
      g_printerr (_("Cannot open the profile %s: %s\n"), profile_dir, error->message);
      return DOCKET_EXIT_FAILURE;
    }
  sync = docket_sync_new (store);
  loop = g_main_loop_new (NULL, FALSE);

  if (sign_in_url != NULL)
    {
      g_autofree char *password = read_password ();
      CommandResult command = { loop, NULL };

      if (password[0] == '\0')
        {
          g_printerr (_("No password: give it on standard input.\n"));
          return DOCKET_EXIT_USAGE;
        }

      docket_sync_sign_in_async (sync, sign_in_url, sign_in_user, password, NULL,
                                 on_command_signed_in, &command);
      g_main_loop_run (loop);
      if (command.error != NULL)
        {
          g_printerr (_("Sign-in failed: %s\n"), command.error->message);
          g_error_free (command.error);
          return DOCKET_EXIT_FAILURE;
        }
      g_print (_("Signed in to %s as %s.\n"), docket_sync_get_server_url (sync), sign_in_user);
    }

  if (sync_once)
    {
      CommandResult command = { loop, NULL };

      docket_sync_run_async (sync, NULL, on_command_synced, &command);
      g_main_loop_run (loop);
      if (command.error != NULL)
        {
          g_printerr (_("Sync failed: %s\n"), command.error->message);
          g_error_free (command.error);
          return DOCKET_EXIT_FAILURE;
        }
      index_after_sync (store);
    }

  return EXIT_SUCCESS;
}
