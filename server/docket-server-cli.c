/* docket-server-cli.c: the command line of docket-server
 *
 *   docket-server --data DIR [--listen ADDR:PORT] [--tls-cert FILE --tls-key FILE]
 *                 [--max-live-connections N]
 *   docket-server --data DIR user add NAME --role ROLE [--display-name TEXT] [--organ TEXT]
 *   docket-server --data DIR user list | passwd NAME | disable NAME
 *   docket-server --data DIR seed-demo
 *   docket-server --data DIR seed-archive [--meetings N] [--items N] [--documents N] [--officials N]
 *   docket-server --data DIR gc [--grace-seconds N] [--op-retention-seconds N]
 *   docket-server --data DIR backup DEST | restore SRC
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <stdio.h>
#include <string.h>
#include <signal.h>

#include "docket-protocol.h"
#include "docket-server.h"
#include "docket-server-auth.h"
#include "docket-server-backup.h"
#include "docket-server-cli.h"
#include "docket-server-demo.h"
#include "docket-server-gc.h"
#include "docket-server-live.h"

/* An option of seconds not given on the command line. */
#define UNSET_SECONDS G_MININT64
/* A size option of seed-archive not given. */
#define UNSET_COUNT G_MININT

typedef struct {
  char   *data_dir;
  char   *listen;
  char   *tls_cert;
  char   *tls_key;
  char   *role;
  char   *display_name;
  char   *organ;
  char  **trusted_proxies;
  gint64  max_upload_bytes;
  gint64  upload_timeout;
  gint64  max_live_connections;
  gint64  grace_seconds;
  gint64  op_retention_seconds;
  int     meetings;          /* seed-archive; UNSET_COUNT when not given */
  int     items;
  int     documents;
  int     officials;
} Options;

static void
options_clear (Options *options)
{
  g_free (options->data_dir);
  g_free (options->listen);
  g_free (options->tls_cert);
  g_free (options->tls_key);
  g_free (options->role);
  g_free (options->display_name);
  g_free (options->organ);
  g_strfreev (options->trusted_proxies);
}

static int
fail (const GError *error)
{
  g_printerr ("docket-server: %s\n", error->message);
  return 1;
}

static int
usage_error (const char *message)
{
  g_printerr ("docket-server: %s\n%s\n", message,
              _("Run “docket-server --help” to see the commands and options."));
  return 2;
}

static gboolean
open_data (const Options       *options,
           DocketServerDb     **out_db,
           DocketServerBlobs  **out_blobs,
           GError             **error)
{
  g_autofree char *db_path = NULL;
  g_autofree char *blobs_path = NULL;

  if (g_mkdir_with_parents (options->data_dir, 0700) != 0)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                   _("Cannot create the data folder %s"), options->data_dir);
      return FALSE;
    }
  db_path = g_build_filename (options->data_dir, "docket-server.db", NULL);
  blobs_path = g_build_filename (options->data_dir, "blobs", NULL);
  *out_db = docket_server_db_open (db_path, error);
  if (*out_db == NULL)
    return FALSE;
  *out_blobs = docket_server_blobs_new (blobs_path, error);
  if (*out_blobs == NULL)
    {
      g_clear_object (out_db);
      return FALSE;
    }
  return TRUE;
}

/* A password on standard input: the first line, without its line end. It must be one
 * that sign-in accepts (DOCKET_MAX_PASSWORD_BYTES of text), or the user could never sign
 * in with it. */
static char *
read_password (GError **error)
{
  /* Room for one byte too many, "\r\n" and the NUL. */
  char buffer[DOCKET_MAX_PASSWORD_BYTES + 4];
  gsize len;

  if (fgets (buffer, sizeof buffer, stdin) == NULL)
    buffer[0] = '\0';
  len = strlen (buffer);
  while (len > 0 && (buffer[len - 1] == '\n' || buffer[len - 1] == '\r'))
    buffer[--len] = '\0';
  if (len == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("Give the password on standard input (one line, not empty)"));
      return NULL;
    }
  if (len > DOCKET_MAX_PASSWORD_BYTES)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The password is longer than %d bytes"), DOCKET_MAX_PASSWORD_BYTES);
      return NULL;
    }
  if (!docket_protocol_text_is_valid (buffer, DOCKET_MAX_PASSWORD_BYTES))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The password is not valid UTF-8, or has control characters"));
      return NULL;
    }
  return g_strdup (buffer);
}

/* Commands */

static int
user_add (DocketServerDb *db,
          const Options  *options,
          const char     *username)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  g_autofree char *hash = NULL;
  DocketRole role;

  if (!docket_protocol_username_is_valid (username))
    return usage_error (_("A user name is 1 to 64 characters of a-z, 0-9, “.”, “_” and “-”"));
  /* The reader keeps a word it does not know as UNKNOWN; a server stores none. */
  if (options->role == NULL || !docket_role_from_string (options->role, &role) || role == DOCKET_ROLE_UNKNOWN)
    return usage_error (_("Give --role official, secretary or admin"));
  if (options->display_name != NULL &&
      !docket_protocol_text_is_valid (options->display_name, DOCKET_MAX_SHORT_TEXT_BYTES))
    return usage_error (_("The display name is too long or not valid text"));
  if (options->organ != NULL &&
      !docket_protocol_text_is_valid (options->organ, DOCKET_MAX_SHORT_TEXT_BYTES))
    return usage_error (_("The organ is too long or not valid text"));
  if (role == DOCKET_ROLE_SECRETARY && (options->organ == NULL || *options->organ == '\0'))
    return usage_error (_("A secretary needs --organ"));

  if ((password = read_password (&error)) == NULL ||
      (hash = docket_server_auth_hash_password (password, &error)) == NULL ||
      !docket_server_db_add_user (db, username,
                                  options->display_name ? options->display_name : username,
                                  role, options->organ, hash, &error))
    return fail (error);
  g_print (_("Added the user %s (%s)\n"), username, docket_role_to_string (role));
  return 0;
}

static int
user_list (DocketServerDb *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = docket_server_db_list_users (db, &error);

  if (users == NULL)
    return fail (error);
  /* One user a line, tab-separated, for scripts: NAME ROLE ORGAN STATE DISPLAY-NAME */
  for (guint i = 0; i < users->len; i++)
    {
      DocketServerUser *user = g_ptr_array_index (users, i);

      g_print ("%s\t%s\t%s\t%s\t%s\n", user->username, docket_role_to_string (user->role),
               user->organ, user->disabled ? "disabled" : "enabled", user->display_name);
    }
  return 0;
}

static int
user_passwd (DocketServerDb *db,
             const char     *username)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketServerUser) user = NULL;
  g_autofree char *password = NULL;
  g_autofree char *hash = NULL;

  if ((user = docket_server_db_find_user (db, username, &error)) == NULL ||
      (password = read_password (&error)) == NULL ||
      (hash = docket_server_auth_hash_password (password, &error)) == NULL ||
      !docket_server_db_set_password (db, username, hash, &error))
    return fail (error);
  g_print (_("Changed the password of %s; their sessions have ended\n"), username);
  return 0;
}

static int
user_disable (DocketServerDb *db,
              const char     *username)
{
  g_autoptr(GError) error = NULL;

  if (!docket_server_db_disable_user (db, username, &error))
    return fail (error);
  g_print (_("Disabled the user %s; their sessions have ended\n"), username);
  return 0;
}

static int
run_user_command (const Options  *options,
                  int             argc,
                  char          **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketServerDb) db = NULL;
  g_autoptr(DocketServerBlobs) blobs = NULL;
  const char *command = argc > 2 ? argv[2] : NULL;
  gboolean needs_name;

  if (command == NULL)
    return usage_error (_("“user” needs a command: add, list, passwd or disable"));
  needs_name = g_str_equal (command, "add") || g_str_equal (command, "passwd") ||
               g_str_equal (command, "disable");
  if (!needs_name && !g_str_equal (command, "list"))
    return usage_error (_("Unknown user command"));
  if (needs_name && argc != 4)
    return usage_error (_("Give one user name"));
  if (!needs_name && argc != 3)
    return usage_error (_("Too many arguments"));

  if (!open_data (options, &db, &blobs, &error))
    return fail (error);

  if (g_str_equal (command, "add"))
    return user_add (db, options, argv[3]);
  if (g_str_equal (command, "passwd"))
    return user_passwd (db, argv[3]);
  if (g_str_equal (command, "disable"))
    return user_disable (db, argv[3]);
  return user_list (db);
}

static int
run_seed_demo (const Options *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketServerDb) db = NULL;
  g_autoptr(DocketServerBlobs) blobs = NULL;
  g_autoptr(GString) accounts = g_string_new (NULL);

  if (!open_data (options, &db, &blobs, &error) ||
      !docket_server_demo_seed (db, blobs, accounts, &error))
    return fail (error);
  fputs (accounts->str, stdout);
  fflush (stdout);
  return 0;
}

/* A size option of seed-archive: its value, or fallback when not given. */
static gboolean
archive_count (int          value,
               const char  *option_name,
               guint        fallback,
               guint        max,
               guint       *out_count,
               GError     **error)
{
  if (value == UNSET_COUNT)
    {
      *out_count = fallback;
      return TRUE;
    }
  if (value < 0 || (guint) value > max)
    {
      /* Translators: "--items wants a number from 0 to 100000" */
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("%s wants a number from 0 to %u"), option_name, max);
      return FALSE;
    }
  *out_count = (guint) value;
  return TRUE;
}

static int
run_seed_archive (const Options *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketServerDb) db = NULL;
  g_autoptr(DocketServerBlobs) blobs = NULL;
  g_autoptr(GString) accounts = g_string_new (NULL);
  DocketServerArchiveSize size;

  /* Positions of items and documents go up to DOCKET_MAX_POSITION; a meeting's
   * participants up to DOCKET_MAX_PARTICIPANTS. */
  if (!archive_count (options->meetings, "--meetings", DOCKET_SERVER_ARCHIVE_DEFAULT_MEETINGS,
                      1000000, &size.meetings, &error) ||
      !archive_count (options->items, "--items", DOCKET_SERVER_ARCHIVE_DEFAULT_ITEMS,
                      DOCKET_MAX_POSITION, &size.items, &error) ||
      !archive_count (options->documents, "--documents", DOCKET_SERVER_ARCHIVE_DEFAULT_DOCUMENTS,
                      DOCKET_MAX_POSITION, &size.documents, &error) ||
      !archive_count (options->officials, "--officials", DOCKET_SERVER_ARCHIVE_DEFAULT_OFFICIALS,
                      DOCKET_MAX_PARTICIPANTS, &size.officials, &error))
    return usage_error (error->message);
  if (size.documents > 0 && size.items == 0)
    return usage_error (_("Documents hang under agenda items: give --items 1 or more"));

  if (!open_data (options, &db, &blobs, &error) ||
      !docket_server_demo_seed_archive (db, blobs, &size, accounts, &error))
    return fail (error);
  fputs (accounts->str, stdout);
  fflush (stdout);
  return 0;
}

/* The environment's testing knobs: a number from min to max, or fallback. */
static gint64
env_number_in (const char *name,
               gint64      min,
               gint64      max,
               gint64      fallback)
{
  const char *text = g_getenv (name);
  guint64 value;

  if (text == NULL ||
      !g_ascii_string_to_unsigned (text, 10, (guint64) min, (guint64) max, &value, NULL))
    return fallback;
  return (gint64) value;
}

static gint64
env_number (const char *name,
            gint64      fallback)
{
  return env_number_in (name, 1, G_MAXINT64, fallback);
}

/* A number of seconds of garbage collection: the option's value, else the environment
 * variable's, else the default. */
static gboolean
gc_seconds (gint64       option_value,
            const char  *option_name,
            const char  *env_name,
            gint64       fallback,
            gint64      *out_seconds,
            GError     **error)
{
  if (option_value == UNSET_SECONDS)
    {
      *out_seconds = env_number_in (env_name, 0, DOCKET_SERVER_GC_MAX_SECONDS, fallback);
      return TRUE;
    }
  if (option_value < 0 || option_value > DOCKET_SERVER_GC_MAX_SECONDS)
    {
      /* The numbers as text: a format macro in a message would hide it from gettext. */
      g_autofree char *max_text = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) DOCKET_SERVER_GC_MAX_SECONDS);
      g_autofree char *value_text = g_strdup_printf ("%" G_GINT64_FORMAT, option_value);

      /* Translators: "--grace-seconds wants a number of seconds from 0 to 3155760000, not -5" */
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("%s wants a number of seconds from 0 to %s, not %s"),
                   option_name, max_text, value_text);
      return FALSE;
    }
  *out_seconds = option_value;
  return TRUE;
}

static gboolean
gc_policy_from_options (const Options         *options,
                        DocketServerGcPolicy  *policy,
                        GError               **error)
{
  docket_server_gc_policy_init (policy);
  return gc_seconds (options->grace_seconds, "--grace-seconds",
                     "DOCKET_SERVER_GC_GRACE_SECONDS", policy->grace_seconds,
                     &policy->grace_seconds, error) &&
         gc_seconds (options->op_retention_seconds, "--op-retention-seconds",
                     "DOCKET_SERVER_OP_RETENTION_SECONDS", policy->op_retention_seconds,
                     &policy->op_retention_seconds, error);
}

static int
run_gc (const Options *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketServerDb) db = NULL;
  g_autoptr(DocketServerBlobs) blobs = NULL;
  g_autofree char *line = NULL;
  DocketServerGcPolicy policy;
  DocketServerGcResult result;

  if (!gc_policy_from_options (options, &policy, &error))
    return usage_error (error->message);
  /* Safe while the server runs: every removal takes the database's write lock. */
  if (!open_data (options, &db, &blobs, &error) ||
      !docket_server_gc_run (db, blobs, &policy, NULL, &result, &error))
    return fail (error);
  line = docket_server_gc_result_describe (&result);
  g_print ("%s\n", line);
  return 0;
}

static int
run_backup (const Options *options,
            const char    *dest_dir)
{
  g_autoptr(GError) error = NULL;
  DocketServerBackupResult result;

  /* Safe while the server runs: one read transaction, then immutable files. */
  if (!docket_server_backup (options->data_dir, dest_dir,
                             g_getenv ("DOCKET_SERVER_BACKUP_COPY") != NULL
                             ? DOCKET_SERVER_BACKUP_COPY_ONLY : DOCKET_SERVER_BACKUP_DEFAULT,
                             &result, &error))
    return fail (error);
  g_print (_("Backed up the database and %u document contents (%u linked, %u copied) to %s\n"),
           result.n_blobs, result.n_linked, result.n_copied, dest_dir);
  return 0;
}

static int
run_restore (const Options *options,
             const char    *backup_dir)
{
  g_autoptr(GError) error = NULL;
  DocketServerBackupResult result;

  if (!docket_server_restore (backup_dir, options->data_dir, &result, &error))
    return fail (error);
  g_print (_("Restored the database and %u document contents from %s; clients will sync "
             "again from the beginning\n"), result.n_blobs, backup_dir);
  return 0;
}

/* Serving */

/* Files the server opens besides its live connections: the database and its readers,
 * uploads, downloads and other requests under way, with room to spare. */
#define FILES_BESIDES_LIVE 1024
#define MAX_LIVE_CONNECTIONS_MAX 1000000

static gboolean
on_signal (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

static gboolean
parse_listen (const char  *text,
              char       **out_host,
              guint       *out_port,
              GError     **error)
{
  const char *colon = strrchr (text, ':');
  guint64 port;

  if (colon == NULL || colon == text ||
      !g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &port, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("--listen wants ADDRESS:PORT, e.g. 127.0.0.1:8080, not “%s”"), text);
      return FALSE;
    }
  if (text[0] == '[' && colon[-1] == ']')
    *out_host = g_strndup (text + 1, (gsize) (colon - text - 2));
  else
    *out_host = g_strndup (text, (gsize) (colon - text));
  *out_port = (guint) port;
  return TRUE;
}


static int
run_serve (const Options *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketServerDb) db = NULL;
  g_autoptr(DocketServerBlobs) blobs = NULL;
  g_autoptr(DocketServer) server = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *host = NULL;
  g_autofree char *url = NULL;
  g_autofree char *file_limit_warning = NULL;
  gint64 max_upload;
  guint max_live;
  DocketServerGcPolicy gc_policy;
  guint port;
  guint sigint, sigterm;

  if ((options->tls_cert == NULL) != (options->tls_key == NULL))
    return usage_error (_("Give both --tls-cert and --tls-key, or neither"));
  if (!parse_listen (options->listen ? options->listen : "127.0.0.1:8080", &host, &port, &error))
    return fail (error);
  if (options->tls_cert != NULL)
    {
      certificate = g_tls_certificate_new_from_files (options->tls_cert, options->tls_key, &error);
      if (certificate == NULL)
        return fail (error);
    }
  max_upload = options->max_upload_bytes > 0
               ? options->max_upload_bytes
               : env_number ("DOCKET_SERVER_MAX_UPLOAD_BYTES", DOCKET_SERVER_DEFAULT_MAX_UPLOAD_BYTES);
  if (max_upload > DOCKET_MAX_DOCUMENT_BYTES)
    return usage_error (_("--max-upload-bytes is at most 2 GiB"));
  if (options->upload_timeout != UNSET_SECONDS &&
      (options->upload_timeout < 1 || options->upload_timeout > 24 * 3600))
    return usage_error (_("--upload-timeout is from 1 to 86400 seconds"));
  if (!gc_policy_from_options (options, &gc_policy, &error))
    return usage_error (error->message);
  if (options->max_live_connections != UNSET_COUNT &&
      (options->max_live_connections < 1 || options->max_live_connections > MAX_LIVE_CONNECTIONS_MAX))
    return usage_error (_("--max-live-connections is from 1 to 1000000"));
  max_live = options->max_live_connections != UNSET_COUNT
             ? (guint) options->max_live_connections : DOCKET_SERVER_DEFAULT_MAX_LIVE_CONNECTIONS;
  /* Every live connection is a socket held open for hours: the usual soft limit of 1024
   * files would end the server's room long before --max-live-connections. */
  if (!docket_server_live_raise_file_limit (max_live + FILES_BESIDES_LIVE, &file_limit_warning))
    g_printerr ("docket-server: %s\n", file_limit_warning);

  if (!open_data (options, &db, &blobs, &error))
    return fail (error);
  docket_server_auth_prepare ();

  server = docket_server_new (db, blobs, max_upload,
                              env_number ("DOCKET_SERVER_TOKEN_TTL", DOCKET_SERVER_DEFAULT_TOKEN_TTL));
  docket_server_set_feed_delay_for_tests (server,
                                          (guint) env_number_in ("DOCKET_SERVER_TEST_FEED_DELAY_MS", 0,
                                                                 600000, 0));
  docket_server_set_content_delay_for_tests (server,
                                             (guint) env_number_in ("DOCKET_SERVER_TEST_CONTENT_DELAY_MS",
                                                                    0, 600000, 0));
  if (!docket_server_set_trusted_proxies (server, (const char * const *) options->trusted_proxies,
                                          &error))
    return usage_error (error->message);
  if (options->upload_timeout != UNSET_SECONDS)
    docket_server_set_upload_timeout (server, (guint) options->upload_timeout);
  docket_server_set_max_live_connections (server, max_live);
  docket_server_set_live_heartbeat_for_tests (server,
                                              (guint) env_number_in ("DOCKET_SERVER_TEST_LIVE_HEARTBEAT_SECONDS",
                                                                     1, 3600,
                                                                     DOCKET_SERVER_LIVE_HEARTBEAT_SECONDS));
  url = docket_server_listen (server, host, port, certificate, &error);
  if (url == NULL)
    return fail (error);

  docket_server_start_gc (server, &gc_policy,
                          (guint) env_number_in ("DOCKET_SERVER_GC_INTERVAL_SECONDS", 1, G_MAXUINT32 / 1000,
                                                 DOCKET_SERVER_GC_DEFAULT_INTERVAL_SECONDS));

  loop = g_main_loop_new (NULL, FALSE);
  sigint = g_unix_signal_add (SIGINT, on_signal, loop);
  sigterm = g_unix_signal_add (SIGTERM, on_signal, loop);

  /* Tests and scripts wait for exactly this line. */
  g_print ("listening on %s\n", url);
  fflush (stdout);

  g_main_loop_run (loop);

  g_source_remove (sigint);
  g_source_remove (sigterm);
  /* Clients reconnect at once to the next server, not after three missed heartbeats. */
  docket_server_close_live (server);
  docket_server_stop_gc (server);
  docket_server_stop_workers (server);
  return 0;
}

int
docket_server_cli_run (int    argc,
                       char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) args = NULL;
  Options options = { .grace_seconds = UNSET_SECONDS, .op_retention_seconds = UNSET_SECONDS,
                      .upload_timeout = UNSET_SECONDS, .max_live_connections = UNSET_COUNT,
                      .meetings = UNSET_COUNT, .items = UNSET_COUNT, .documents = UNSET_COUNT,
                      .officials = UNSET_COUNT };
  int status;
  int n_args;
  GOptionEntry entries[] = {
    { "data", 'd', 0, G_OPTION_ARG_FILENAME, &options.data_dir,
      N_("The data folder: the database and the documents (required)"), N_("DIR") },
    { "listen", 'l', 0, G_OPTION_ARG_STRING, &options.listen,
      N_("Serve on ADDRESS:PORT (default 127.0.0.1:8080; port 0 picks a free one)"), N_("ADDR:PORT") },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &options.tls_cert,
      N_("Serve HTTPS with this PEM certificate (chain)"), N_("FILE") },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &options.tls_key,
      N_("The PEM private key of --tls-cert"), N_("FILE") },
    { "max-upload-bytes", 0, 0, G_OPTION_ARG_INT64, &options.max_upload_bytes,
      N_("The largest document upload accepted (default 104857600)"), N_("BYTES") },
    { "trusted-proxy", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options.trusted_proxies,
      N_("A reverse proxy in front of the server (repeatable): for its requests, the client's"
         " address is taken from X-Forwarded-For"), N_("ADDR") },
    { "upload-timeout", 0, 0, G_OPTION_ARG_INT64, &options.upload_timeout,
      N_("Drop an upload whose client sends nothing for this long (default 60)"), N_("SECONDS") },
    { "max-live-connections", 0, 0, G_OPTION_ARG_INT64, &options.max_live_connections,
      N_("Live channel connections held at most (default 5000; a user has at most 10);"
         " one more gets 503 busy"), N_("N") },
    { "role", 0, 0, G_OPTION_ARG_STRING, &options.role,
      N_("user add: official, secretary or admin"), N_("ROLE") },
    { "display-name", 0, 0, G_OPTION_ARG_STRING, &options.display_name,
      N_("user add: the name shown to people, e.g. “Nguyễn Văn A”"), N_("TEXT") },
    { "organ", 0, 0, G_OPTION_ARG_STRING, &options.organ,
      N_("user add: the user's organ, e.g. “HĐND tỉnh” (required for a secretary)"), N_("TEXT") },
    { "grace-seconds", 0, 0, G_OPTION_ARG_INT64, &options.grace_seconds,
      N_("gc and serving: remove an unreferenced document content only once it was last"
         " stored this long ago (default 3600; 0 for tests)"), N_("SECONDS") },
    { "op-retention-seconds", 0, 0, G_OPTION_ARG_INT64, &options.op_retention_seconds,
      N_("gc and serving: forget the answers of annotation and note operations this old"
         " (default 2592000, 30 days)"), N_("SECONDS") },
    { "meetings", 0, 0, G_OPTION_ARG_INT, &options.meetings,
      N_("seed-archive: how many meetings (default 1000)"), N_("N") },
    { "items", 0, 0, G_OPTION_ARG_INT, &options.items,
      N_("seed-archive: agenda items per meeting (default 20)"), N_("N") },
    { "documents", 0, 0, G_OPTION_ARG_INT, &options.documents,
      N_("seed-archive: documents per meeting (default 5)"), N_("N") },
    { "officials", 0, 0, G_OPTION_ARG_INT, &options.officials,
      N_("seed-archive: officials taking part in every meeting (default 3)"), N_("N") },
    { NULL }
  };

  context = g_option_context_new (_("[COMMAND] — the Docket reference server"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    _("Without a command, serves the Docket API (docs/protocol.md) until SIGINT or SIGTERM.\n"
      "\n"
      "Commands:\n"
      "  user add NAME --role ROLE [--display-name TEXT] [--organ TEXT]\n"
      "                       add a user; the password is read from standard input\n"
      "  user list            list the users: NAME, ROLE, ORGAN, STATE, DISPLAY NAME\n"
      "  user passwd NAME     set a new password, read from standard input, and end\n"
      "                       the user's sessions\n"
      "  user disable NAME    disable a user and end their sessions\n"
      "  seed-demo            add a demo provincial council and print its accounts,\n"
      "                       one a line: NAME<TAB>ROLE<TAB>PASSWORD\n"
      "  seed-archive [--meetings N] [--items N] [--documents N] [--officials N]\n"
      "                       add an archive to measure the change feed on: an organ\n"
      "                       (UBND tỉnh) with a secretary and officials (3) who take\n"
      "                       part in every meeting, and N published meetings (1000),\n"
      "                       each with N nested agenda items (20) and N documents (5)\n"
      "                       sharing one small PDF; prints the accounts like seed-demo\n"
      "                       (the officials share one password)\n"
      "  gc [--grace-seconds N] [--op-retention-seconds N]\n"
      "                       remove the document contents no document refers to any\n"
      "                       more and the temporary files of writes cut short (once\n"
      "                       past their grace period), the answers of operations\n"
      "                       past their retention and the expired sign-in tokens,\n"
      "                       and print what was removed and how many bytes were\n"
      "                       freed; safe while the server runs, which does the same\n"
      "                       at start-up and every 6 hours\n"
      "  backup DEST          copy the database and the documents to the new folder DEST,\n"
      "                       consistently, while the server runs (hard links when on\n"
      "                       the same file system)\n"
      "  restore SRC          put the backup in SRC back into the data folder; stop the\n"
      "                       server first (it refuses while the server runs). Clients\n"
      "                       notice and sync again from the beginning (so they do\n"
      "                       after any restored copy of a backup)"));
  g_option_context_set_description (context,
    _("Environment (testing knobs):\n"
      "  DOCKET_SERVER_TOKEN_TTL         lifetime of sign-in tokens in seconds (default 30 days)\n"
      "  DOCKET_SERVER_MAX_UPLOAD_BYTES  like --max-upload-bytes\n"
      "  DOCKET_SERVER_GC_GRACE_SECONDS  like --grace-seconds\n"
      "  DOCKET_SERVER_OP_RETENTION_SECONDS  like --op-retention-seconds\n"
      "  DOCKET_SERVER_GC_INTERVAL_SECONDS   seconds between the server's collections (default 6 hours)\n"
      "  DOCKET_SERVER_TEST_FEED_DELAY_MS    every change feed page with changes takes this many\n"
      "                                      milliseconds longer, in its worker thread (default 0)\n"
      "  DOCKET_SERVER_TEST_CONTENT_DELAY_MS the first chunk of every document download takes\n"
      "                                      this many milliseconds longer to read (default 0)\n"
      "  DOCKET_SERVER_TEST_LIVE_HEARTBEAT_SECONDS  the live channel's heartbeat (default 20)\n"
      "  DOCKET_SERVER_BACKUP_COPY           set: backup copies the documents, never hard-links them\n"
      "  DOCKET_SERVER_FEED_PAGE_BYTES       the most bytes of changes in a page of the change feed\n"
      "                                      (default and most: 64 MiB less 1 KiB)\n"
      "  DOCKET_SERVER_FEED_STATS            if set, one line per change feed request on standard\n"
      "                                      error with the SQLite steps it took\n"
      "  DOCKET_SERVER_LIVE_STATS            if set, one line per batch of the live channel's\n"
      "                                      fan-out on standard error: whom it told, how long it took\n"));

  args = g_strdupv (argv);
  if (!g_option_context_parse_strv (context, &args, &error))
    {
      status = usage_error (error->message);
      goto out;
    }
  n_args = (int) g_strv_length (args);

  if (options.data_dir == NULL)
    {
      status = usage_error (_("Give the data folder with --data DIR"));
      goto out;
    }
  if (!docket_server_auth_init (&error))
    {
      status = fail (error);
      goto out;
    }

  if (n_args == 1)
    status = run_serve (&options);
  else if (g_str_equal (args[1], "user"))
    status = run_user_command (&options, n_args, args);
  else if (g_str_equal (args[1], "seed-demo") && n_args == 2)
    status = run_seed_demo (&options);
  else if (g_str_equal (args[1], "seed-archive"))
    status = n_args == 2 ? run_seed_archive (&options)
                         : usage_error (_("“seed-archive” takes no arguments but its options"));
  else if (g_str_equal (args[1], "gc"))
    status = n_args == 2 ? run_gc (&options) : usage_error (_("“gc” takes no arguments"));
  else if (g_str_equal (args[1], "backup") || g_str_equal (args[1], "restore"))
    {
      if (n_args != 3)
        status = usage_error (_("Give one folder"));
      else if (g_str_equal (args[1], "backup"))
        status = run_backup (&options, args[2]);
      else
        status = run_restore (&options, args[2]);
    }
  else
    status = usage_error (_("Unknown command"));

out:
  options_clear (&options);
  return status;
}
