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
  gboolean   verbose;
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
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &options->verbose,
      N_("With --sync-once: say when the meetings are up to date, when every document is on disk and verified, and when indexing starts and ends, each with the milliseconds since the start"),
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
      return docket_commands_run (profile_dir, options.sign_in_url, options.rest[0],
                                  options.sync_once, options.verbose);
    }

  if (options.rest != NULL && options.rest[0] != NULL)
    {
      g_printerr (_("Unexpected argument: %s (see docket --help)\n"), options.rest[0]);
      return DOCKET_EXIT_USAGE;
    }

  return docket_commands_run (profile_dir, NULL, NULL, options.sync_once, options.verbose);
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

/* ---- Indexing as documents land ------------------------------------------------------ */

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

/* The module's indexer constructor; the module stays loaded (its GTypes and poppler's
 * state live as long as the process). */
static DocketIndexModuleNewIndexer
load_index_module (GError **error)
{
  g_autofree char *path = find_index_module ();
  DocketIndexModuleNewIndexer new_indexer = NULL;
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

  if (!g_module_symbol (module, DOCKET_INDEX_MODULE_NEW_INDEXER, (gpointer *) &new_indexer) ||
      new_indexer == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", g_module_error ());
      return NULL;
    }

  return new_indexer;
}

/* One `--sync-once`: the sync run and, beside it, the indexer. Each content is indexed
 * as soon as it is on disk and verified (the store commits its row and emits "changed",
 * which the indexer follows), in the indexer's own low-priority thread, while the next
 * contents download; the command ends when both are done. */
typedef struct {
  DocketStore *store;          /* borrowed */
  DocketSync  *sync;           /* borrowed */
  GMainLoop   *loop;           /* borrowed */
  gboolean     verbose;
  gint64       started_at;     /* monotonic, for --verbose */

  GObject     *indexer;        /* a DocketIndexer of the module, once there is something to index */
  gboolean     index_failed;   /* the module or the store failed: said once, not retried */
  gboolean     feed_said;      /* --verbose said the meetings are up to date */

  gboolean     synced;
  GError      *sync_error;
} SyncOnce;

static void
sync_once_clear (SyncOnce *once)
{
  /* Disposing the indexer cancels its run and waits for the page being read. */
  g_clear_object (&once->indexer);
  g_clear_error (&once->sync_error);
}

/* --verbose: one line, with the milliseconds since the command started, flushed at once
 * so that a benchmark reading the pipe sees when it happened. */
static void G_GNUC_PRINTF (2, 3)
sync_once_say (SyncOnce   *once,
               const char *format,
               ...)
{
  g_autofree char *text = NULL;
  va_list args;

  if (!once->verbose)
    return;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  /* Translators: --verbose output: milliseconds since the start, then what happened. */
  g_print (_("[%.1f ms] %s\n"), (double) (g_get_monotonic_time () - once->started_at) / 1000.0, text);
  fflush (stdout);
}

/* Starts the indexer when the store holds contents to index and none runs yet. With
 * nothing to index, the module (and poppler) is not even loaded: a sync with nothing new
 * stays fast. A failure is said once; indexing never changes the exit status. */
static void
sync_once_maybe_start_indexing (SyncOnce *once)
{
  g_autoptr(GError) error = NULL;
  DocketIndexModuleNewIndexer new_indexer;
  guint n_unindexed = 0;

  if (once->indexer != NULL || once->index_failed)
    return;

  /* Counted here, on the main thread, at the very commit that completed a content: so
   * the indexer starts before the download of the next content is even finished. */
  if (!docket_store_count_unindexed_contents (once->store, &n_unindexed, &error))
    {
      once->index_failed = TRUE;
      g_printerr (_("Cannot index the documents for search: %s\n"), error->message);
      return;
    }
  if (n_unindexed == 0)
    return;

  new_indexer = load_index_module (&error);
  if (new_indexer == NULL)
    {
      once->index_failed = TRUE;
      g_printerr (_("Cannot index the documents for search: %s\n"), error->message);
      return;
    }

  /* It indexes what is there at once, then again at every commit of the store. */
  once->indexer = G_OBJECT (new_indexer (once->store));
  sync_once_say (once, _("Indexing for search started."));
}

static void
on_sync_once_store_changed (SyncOnce *once)
{
  sync_once_maybe_start_indexing (once);
}

/* The feed is applied and the documents to download are listed when the run first
 * knows how many bytes it has to download. */
static void
on_sync_once_bytes_total (SyncOnce *once)
{
  g_autofree char *size = NULL;

  if (once->feed_said || docket_sync_get_bytes_total (once->sync) == 0)
    return;

  once->feed_said = TRUE;
  size = g_format_size (docket_sync_get_bytes_total (once->sync));
  sync_once_say (once, _("The meetings are up to date; downloading %s of documents."), size);
}

static void
on_sync_once_synced (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  SyncOnce *once = user_data;

  docket_sync_run_finish (DOCKET_SYNC (source), result, &once->sync_error);
  once->synced = TRUE;
  g_main_loop_quit (once->loop);
}

static void
on_sync_once_indexer_busy (SyncOnce *once)
{
  g_main_loop_quit (once->loop);
}

static gboolean
sync_once_indexer_busy (SyncOnce *once)
{
  gboolean busy = FALSE;

  g_object_get (once->indexer, "busy", &busy, NULL);
  return busy;
}

/* Waits for the indexer to have indexed every content the store holds, and says how
 * many it indexed. */
static void
sync_once_finish_indexing (SyncOnce *once)
{
  guint n_indexed = 0;
  gulong busy_id;

  /* Every content of the run was committed (and announced) before the run ended, so
   * the indexer has seen them all; contents left by an earlier run are indexed too. */
  sync_once_maybe_start_indexing (once);
  if (once->indexer == NULL)
    return;

  busy_id = g_signal_connect_swapped (once->indexer, "notify::busy",
                                      G_CALLBACK (on_sync_once_indexer_busy), once);
  while (sync_once_indexer_busy (once))
    g_main_loop_run (once->loop);
  g_signal_handler_disconnect (once->indexer, busy_id);

  g_object_get (once->indexer, "n-indexed", &n_indexed, NULL);
  sync_once_say (once, _("Indexing for search done."));
  if (n_indexed > 0)
    g_print (g_dngettext (GETTEXT_PACKAGE, "Indexed %u document for search.\n",
                          "Indexed %u documents for search.\n", n_indexed),
             n_indexed);
}

/* The sync, with the indexing of what it downloads: the exit status. */
static int
sync_once_run (DocketStore *store,
               DocketSync  *sync,
               GMainLoop   *loop,
               gboolean     verbose,
               gint64       started_at)
{
  SyncOnce once = { store, sync, loop, verbose, started_at, NULL, FALSE, FALSE, FALSE, NULL };
  gulong changed_id, bytes_id;
  int status = EXIT_SUCCESS;

  changed_id = g_signal_connect_swapped (store, "changed",
                                         G_CALLBACK (on_sync_once_store_changed), &once);
  bytes_id = g_signal_connect_swapped (sync, "notify::bytes-total",
                                       G_CALLBACK (on_sync_once_bytes_total), &once);

  docket_sync_run_async (sync, NULL, on_sync_once_synced, &once);
  while (!once.synced)
    g_main_loop_run (loop);
  g_signal_handler_disconnect (sync, bytes_id);

  if (once.sync_error != NULL)
    {
      /* What was indexed is kept; the rest waits for the next run or the window. */
      g_printerr (_("Sync failed: %s\n"), once.sync_error->message);
      status = DOCKET_EXIT_FAILURE;
    }
  else
    {
      if (!once.feed_said)
        sync_once_say (&once, _("The meetings are up to date; nothing to download."));
      sync_once_say (&once, _("Every document is on disk and verified."));
      sync_once_finish_indexing (&once);
    }

  g_signal_handler_disconnect (store, changed_id);
  sync_once_clear (&once);
  return status;
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
                     gboolean    sync_once,
                     gboolean    verbose)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketStore) store = NULL;
  g_autoptr(DocketSync) sync = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  gint64 started_at = g_get_monotonic_time ();

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
    return sync_once_run (store, sync, loop, verbose, started_at);

  return EXIT_SUCCESS;
}
