/* docket-application.c: start-up, the command line, app-wide actions */

#include "config.h"

#include <glib/gi18n.h>

#include "docket-application.h"
#include "docket-commands.h"
#include "docket-indexer.h"
#include "docket-live-notifier.h"
#include "docket-store.h"
#include "docket-sync.h"
#include "docket-resources.h"
#include "docket-window.h"

struct _DocketApplication
{
  AdwApplication  parent_instance;

  /* Owned */
  char           *profile_dir;
  DocketStore    *store;
  DocketSync     *sync;
  DocketIndexer  *indexer;        /* the search index, filled in the background */
  DocketLiveNotifier *notifier;   /* desktop notifications of live meetings */
};

G_DEFINE_FINAL_TYPE (DocketApplication, docket_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "profile", 'p', 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Keep all data (meetings, documents) in DIR instead of the default folder"), N_("DIR") },
  { "sign-in", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Sign in to the server at URL as USER without a window, reading the password from standard input, then exit"),
    N_("URL USER") },
  { "sync-once", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Sync once without a window, index the new documents for search, and exit: 0 on success, else non-zero with the reason on standard error"),
    NULL },
  { "verbose", 'v', 0, G_OPTION_ARG_NONE, NULL,
    N_("With --sync-once: say when the meetings are up to date, when every document is on disk and verified, and when indexing starts and ends, each with the milliseconds since the start"),
    NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Show the version and exit"), NULL },
  { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, NULL, NULL, N_("[USER]") },
  { NULL }
};

static void
contents_verified_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  guint forgotten = 0;

  if (!docket_sync_verify_contents_finish (DOCKET_SYNC (object), result, &forgotten, &error))
    g_warning ("Could not check the documents kept after a restart: %s", error->message);
  else if (forgotten > 0)
    g_message ("%u documents were damaged by the last shutdown; they will be downloaded again",
               forgotten);
}

static gboolean
docket_application_open_profile (DocketApplication  *self,
                                 GError            **error)
{
  if (self->store != NULL)
    return TRUE;

  self->store = docket_store_open (self->profile_dir, error);
  if (self->store == NULL)
    return FALSE;
  self->sync = docket_sync_new (self->store);
  /* Contents of an earlier boot are not shown nor indexed until re-hashed: do it now,
   * whatever the network, rather than at the first sync. */
  docket_sync_verify_contents_async (self->sync, NULL, contents_verified_cb, NULL);
  self->indexer = docket_indexer_new (self->store);
  return TRUE;
}

static int
docket_application_handle_local_options (GApplication *application,
                                         GVariantDict *options)
{
  DocketApplication *self = DOCKET_APPLICATION (application);
  g_autofree char *profile = NULL;
  g_autofree char *sign_in_url = NULL;
  g_autofree const char **rest = NULL;
  gboolean sync_once = FALSE;
  gboolean verbose = FALSE;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("docket %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  g_variant_dict_lookup (options, "profile", "^ay", &profile);
  g_variant_dict_lookup (options, "sign-in", "s", &sign_in_url);
  g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&s", &rest);
  sync_once = g_variant_dict_contains (options, "sync-once");
  verbose = g_variant_dict_contains (options, "verbose");

  if (profile != NULL && profile[0] != '\0')
    {
      g_free (self->profile_dir);
      /* Absolute: the token in the Secret Service is keyed by this path. */
      self->profile_dir = g_canonicalize_filename (profile, NULL);
      /* Several officials' profiles may be open at once. */
      g_application_set_flags (application,
                               g_application_get_flags (application) | G_APPLICATION_NON_UNIQUE);
    }

  if (sign_in_url != NULL)
    {
      if (rest == NULL || rest[0] == NULL || rest[1] != NULL)
        {
          g_printerr (_("Usage: docket [--profile DIR] --sign-in URL USER (the password on standard input)\n"));
          return DOCKET_EXIT_USAGE;
        }
      return docket_commands_run (self->profile_dir, sign_in_url, rest[0], sync_once, verbose);
    }

  if (rest != NULL && rest[0] != NULL)
    {
      g_printerr (_("Unexpected argument: %s (see docket --help)\n"), rest[0]);
      return DOCKET_EXIT_USAGE;
    }

  if (sync_once)
    return docket_commands_run (self->profile_dir, NULL, NULL, TRUE, verbose);

  /* Go on: register, start up GTK, activate. */
  return -1;
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  GApplication *application = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (application));

  /* Closing the windows lets them save their size. */
  while (windows != NULL)
    {
      GList *next = windows->next;
      gtk_window_close (windows->data);
      windows = next;
    }
  g_application_quit (application);
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  GtkApplication *application = user_data;
  GtkWidget *about;
  const char *developers[] = { _("The Docket developers"), NULL };

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (application),
                        "application-name", _("Docket"),
                        "application-icon", APP_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", _("The Docket developers"),
                        "developers", developers,
                        "comments", _("Read the agendas and documents of your meetings, online or offline."),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "website", "https://github.com/docket/docket",
                        "issue-url", "https://github.com/docket/docket/issues",
                        /* Translators: your names, one per line. */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static const GActionEntry app_entries[] = {
  { "quit", quit_activated, NULL, NULL, NULL },
  { "about", about_activated, NULL, NULL, NULL },
};

static void
docket_application_startup (GApplication *application)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *refresh_accels[] = { "<Control>r", "F5", NULL };
  static const char *back_accels[] = { "<Alt>Left", NULL };

  G_APPLICATION_CLASS (docket_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (application), app_entries,
                                   G_N_ELEMENTS (app_entries), application);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "win.refresh", refresh_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "win.back", back_accels);
}

static void
on_fatal_response (AdwMessageDialog *dialog,
                   const char       *response,
                   GApplication     *application)
{
  g_application_quit (application);
}

static void
docket_application_activate (GApplication *application)
{
  DocketApplication *self = DOCKET_APPLICATION (application);
  g_autoptr(GError) error = NULL;
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (application));
  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }

  if (!docket_application_open_profile (self, &error))
    {
      g_autofree char *body = g_strdup_printf (_("The folder %s could not be used: %s"),
                                               self->profile_dir, error->message);
      GtkWidget *dialog = adw_message_dialog_new (NULL, _("Cannot Open Your Data"), body);

      g_printerr ("%s\n", body);
      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (application));
      g_signal_connect_object (dialog, "response", G_CALLBACK (on_fatal_response), application, 0);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  /* One for the application, whatever the number of windows: each event told once. */
  if (self->notifier == NULL)
    self->notifier = docket_live_notifier_new (application, self->store);
  window = GTK_WINDOW (docket_window_new (GTK_APPLICATION (application), self->store, self->sync));
  gtk_window_present (window);
}

static void
docket_application_shutdown (GApplication *application)
{
  DocketApplication *self = DOCKET_APPLICATION (application);

  if (self->sync != NULL)
    docket_sync_stop_automatic (self->sync);
  /* Stops indexing (waits for the page being read at most). */
  g_clear_object (&self->indexer);
  g_clear_object (&self->notifier);

  G_APPLICATION_CLASS (docket_application_parent_class)->shutdown (application);
}

static void
docket_application_finalize (GObject *object)
{
  DocketApplication *self = DOCKET_APPLICATION (object);

  g_clear_object (&self->indexer);
  g_clear_object (&self->notifier);
  g_clear_object (&self->sync);
  g_clear_object (&self->store);
  g_clear_pointer (&self->profile_dir, g_free);

  G_OBJECT_CLASS (docket_application_parent_class)->finalize (object);
}

static void
docket_application_class_init (DocketApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = docket_application_finalize;
  app_class->handle_local_options = docket_application_handle_local_options;
  app_class->startup = docket_application_startup;
  app_class->activate = docket_application_activate;
  app_class->shutdown = docket_application_shutdown;
}

static void
docket_application_init (DocketApplication *self)
{
  self->profile_dir = docket_commands_default_profile_dir ();

  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), NULL);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Read the agendas and documents of your meetings, online or offline."));
  g_application_set_option_context_description (G_APPLICATION (self),
                                                _("Examples:\n"
                                                  "  docket --profile ~/docket-a\n"
                                                  "  echo PASSWORD | docket --profile ~/docket-a --sign-in https://docket.example.vn daibieu1\n"
                                                  "  docket --profile ~/docket-a --sync-once"));
}

DocketApplication *
docket_application_new (void)
{
  docket_ensure_resources ();

  return g_object_new (DOCKET_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", DOCKET_RESOURCE_PREFIX,
                       NULL);
}

const char *
docket_application_get_profile_dir (DocketApplication *self)
{
  g_return_val_if_fail (DOCKET_IS_APPLICATION (self), NULL);
  return self->profile_dir;
}
