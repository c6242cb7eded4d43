/* docket-test-server.c: the real docket-server, started for a test
 *
 * The server is the binary meson built (its path comes in DOCKET_SERVER). Its contract
 * with us: it prints "listening on URL" on standard output once it accepts connections,
 * and writes one line "request METHOD PATH STATUS BYTES MSms" per HTTP request on
 * standard error, which we send to a log file that the tests can count lines in.
 * Apart from docket-test-util.c (what tests do with it: HTTP calls, folders, documents,
 * waiting) because the process and its life are a subject of their own.
 */
#include "config.h"

#include "docket-test-server.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "docket-test-util.h"

#define LISTEN_TIMEOUT_SECONDS 20
#define STOP_TIMEOUT_SECONDS   20
#define REQUESTS_TIMEOUT_SECONDS 10
#define LOG_TAIL_LINES         120

struct _DocketTestServer
{
  char        *root;         /* temporary folder, removed by stop () */
  char        *data_dir;     /* root/data, given to --data */
  char        *log_path;     /* root/server.log, the server's standard error */
  char        *stdout_path;  /* root/server.out, copy of its standard output */
  char        *url;

  GSubprocess *process;      /* NULL between kill () and restart () */
  GStrv        extra_args;   /* given after --listen, every time the server starts */
  char        *listen;       /* "127.0.0.1:0" at first, then the port it got */

  /* The server's standard output is drained by a thread of ours until it closes, so that
   * the server never blocks on a full pipe. The thread hands the URL over under lock. */
  GThread     *reader;
  GMutex       lock;
  GCond        cond;
  char        *listening_url;
  gboolean     reader_done;

  /* Demo accounts printed by seed-demo. */
  GHashTable  *passwords;    /* username -> password */
  GHashTable  *roles;        /* username -> role */
  GPtrArray   *usernames;    /* in the printed order, NULL-terminated */
};

static const char *
get_server_binary (void)
{
  const char *path = g_getenv ("DOCKET_SERVER");

  if (path == NULL || *path == '\0')
    g_error ("DOCKET_SERVER is not set: run the tests through meson test, which sets it "
             "to the docket-server it built");
  if (!g_file_test (path, G_FILE_TEST_IS_EXECUTABLE))
    g_error ("DOCKET_SERVER is %s, which is not an executable: build docket-server first", path);
  return path;
}

/* The last lines of the server's log that are not request lines: what to show when the
 * server failed (start-up errors, crashes, sanitizer reports). */
static char *
log_tail (DocketTestServer *server)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) tail = g_string_new (NULL);
  guint n_lines;
  guint first = 0;
  guint kept = 0;

  if (!g_file_get_contents (server->log_path, &contents, NULL, NULL))
    return g_strdup_printf ("(no log at %s)", server->log_path);

  lines = g_strsplit (contents, "\n", -1);
  n_lines = g_strv_length (lines);

  /* Walk back to find where the last LOG_TAIL_LINES interesting lines begin. */
  for (guint i = n_lines; i > 0; i--)
    {
      if (g_str_has_prefix (lines[i - 1], "request "))
        continue;
      first = i - 1;
      if (++kept >= LOG_TAIL_LINES)
        break;
    }

  for (guint i = first; i < n_lines; i++)
    {
      if (g_str_has_prefix (lines[i], "request ") || lines[i][0] == '\0')
        continue;
      g_string_append_printf (tail, "  | %s\n", lines[i]);
    }

  if (tail->len == 0)
    g_string_append (tail, "  (the log has nothing but request lines)\n");
  return g_string_free (g_steal_pointer (&tail), FALSE);
}

/* Runs in the forked child before exec: the server dies with the test process, even
 * when the test aborts, so no server outlives its test. */
static void
child_setup_die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static GSubprocessLauncher *
make_launcher (GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_set_child_setup (launcher, child_setup_die_with_parent, NULL, NULL);
  return launcher;
}

static void
parse_demo_accounts (DocketTestServer *server,
                     const char       *output)
{
  g_auto(GStrv) lines = g_strsplit (output, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;

      g_strchomp (lines[i]);
      fields = g_strsplit (lines[i], "\t", 3);
      if (g_strv_length (fields) != 3 || fields[0][0] == '\0' || fields[2][0] == '\0')
        continue;   /* not an account line */

      if (!g_hash_table_contains (server->passwords, fields[0]))
        g_ptr_array_insert (server->usernames, server->usernames->len - 1, g_strdup (fields[0]));
      g_hash_table_replace (server->passwords, g_strdup (fields[0]), g_strdup (fields[2]));
      g_hash_table_replace (server->roles, g_strdup (fields[0]), g_strdup (fields[1]));
    }
}

static void
seed_demo (DocketTestServer *server)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  launcher = make_launcher (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  process = g_subprocess_launcher_spawn (launcher, &error, get_server_binary (),
                                         "--data", server->data_dir, "seed-demo", NULL);
  if (process == NULL)
    g_error ("Cannot run %s seed-demo: %s", get_server_binary (), error->message);

  if (!g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error))
    g_error ("Cannot read the output of seed-demo: %s", error->message);

  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
    g_error ("docket-server seed-demo failed (%s %d):\n%s",
             g_subprocess_get_if_exited (process) ? "exit status" : "signal",
             g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process)
                                                  : g_subprocess_get_term_sig (process),
             err);

  parse_demo_accounts (server, out);
  if (g_hash_table_size (server->passwords) == 0)
    g_error ("docket-server seed-demo printed no account (NAME<TAB>ROLE<TAB>PASSWORD):\n%s", out);
}

static char *
url_from_listening_line (const char *line)
{
  g_autofree char *url = g_strstrip (g_strdup (line + strlen ("listening on ")));
  gsize len = strlen (url);

  /* Tests append "/api/v1/..." to it. */
  while (len > 0 && url[len - 1] == '/')
    url[--len] = '\0';
  return g_steal_pointer (&url);
}

static gpointer
reader_thread (gpointer data)
{
  DocketTestServer *server = data;
  g_autoptr(GDataInputStream) in = NULL;
  FILE *copy;

  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  copy = fopen (server->stdout_path, "a");

  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, NULL);

      if (line == NULL)
        break;   /* end of file (the server is gone) or an unreadable line */

      if (copy != NULL)
        {
          fprintf (copy, "%s\n", line);
          fflush (copy);
        }

      if (g_str_has_prefix (line, "listening on "))
        {
          g_mutex_lock (&server->lock);
          if (server->listening_url == NULL)
            server->listening_url = url_from_listening_line (line);
          g_cond_broadcast (&server->cond);
          g_mutex_unlock (&server->lock);
        }
    }

  if (copy != NULL)
    fclose (copy);

  g_mutex_lock (&server->lock);
  server->reader_done = TRUE;
  g_cond_broadcast (&server->cond);
  g_mutex_unlock (&server->lock);

  return NULL;
}

/* Waits for the listening line; returns the URL, or NULL when the server exited or the
 * time ran out. */
static char *
wait_for_url (DocketTestServer *server)
{
  gint64 deadline = g_get_monotonic_time () + LISTEN_TIMEOUT_SECONDS * G_TIME_SPAN_SECOND;
  char *url;

  g_mutex_lock (&server->lock);
  while (server->listening_url == NULL && !server->reader_done)
    {
      if (!g_cond_wait_until (&server->cond, &server->lock, deadline))
        break;
    }
  url = g_strdup (server->listening_url);
  g_mutex_unlock (&server->lock);

  return url;
}

static void
wait_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  gboolean *done = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  *done = TRUE;
}

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Waits for the process to exit, at most `seconds`, in a private main context so that
 * the test's own main loop (if any) is not run behind its back. */
static gboolean
wait_with_timeout (GSubprocess *process,
                   guint        seconds)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GSource) timeout = NULL;
  gboolean done = FALSE;
  gboolean timed_out = FALSE;

  g_main_context_push_thread_default (context);

  g_subprocess_wait_async (process, NULL, wait_done_cb, &done);
  timeout = g_timeout_source_new_seconds (seconds);
  g_source_set_callback (timeout, timeout_cb, &timed_out, NULL);
  g_source_attach (timeout, context);

  while (!done && !timed_out)
    g_main_context_iteration (context, TRUE);

  g_source_destroy (timeout);
  /* Let the cancelled or finished wait run its callback before the context goes. */
  if (!done)
    {
      g_subprocess_force_exit (process);
      while (!done)
        g_main_context_iteration (context, TRUE);
    }

  g_main_context_pop_thread_default (context);
  return !timed_out;
}

static void
server_free (DocketTestServer *server)
{
  g_clear_object (&server->process);
  g_mutex_clear (&server->lock);
  g_cond_clear (&server->cond);
  g_free (server->listening_url);
  g_free (server->url);
  g_free (server->stdout_path);
  g_free (server->log_path);
  g_free (server->data_dir);
  g_free (server->root);
  g_strfreev (server->extra_args);
  g_free (server->listen);
  g_hash_table_unref (server->passwords);
  g_hash_table_unref (server->roles);
  g_ptr_array_unref (server->usernames);
  g_free (server);
}

/* Starts the serving process on server->data_dir and server->listen and waits for its
 * "listening on URL" line; aborts the test when it does not come. */
static void
spawn_server (DocketTestServer *server)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  int log_fd;

  g_ptr_array_add (argv, (gpointer) get_server_binary ());
  g_ptr_array_add (argv, (gpointer) "--data");
  g_ptr_array_add (argv, server->data_dir);
  g_ptr_array_add (argv, (gpointer) "--listen");
  g_ptr_array_add (argv, server->listen);
  for (guint i = 0; server->extra_args != NULL && server->extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, server->extra_args[i]);
  g_ptr_array_add (argv, NULL);

  g_mutex_lock (&server->lock);
  g_clear_pointer (&server->listening_url, g_free);
  server->reader_done = FALSE;
  g_mutex_unlock (&server->lock);

  /* Appended to, so that the log of a server started again keeps what came before. */
  log_fd = g_open (server->log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (log_fd < 0)
    g_error ("Cannot open %s: %s", server->log_path, g_strerror (errno));
  launcher = make_launcher (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_take_stderr_fd (launcher, log_fd);
  server->process = g_subprocess_launcher_spawnv (launcher,
                                                  (const char * const *) argv->pdata, &error);
  if (server->process == NULL)
    g_error ("Cannot start %s: %s", get_server_binary (), error->message);

  server->reader = g_thread_new ("docket-test-server-stdout", reader_thread, server);

  g_clear_pointer (&server->url, g_free);
  server->url = wait_for_url (server);
  if (server->url == NULL)
    {
      g_autofree char *tail = NULL;
      gboolean exited;

      g_mutex_lock (&server->lock);
      exited = server->reader_done;
      g_mutex_unlock (&server->lock);

      g_subprocess_force_exit (server->process);
      wait_with_timeout (server->process, STOP_TIMEOUT_SECONDS);
      g_thread_join (g_steal_pointer (&server->reader));
      tail = log_tail (server);
      docket_test_rmtree (server->root);
      g_error ("docket-server %s without printing \"listening on URL\"; its log ends with:\n%s",
               exited ? "closed its standard output (it exited?)"
                      : "ran for " G_STRINGIFY (LISTEN_TIMEOUT_SECONDS) " s",
               tail);
    }

  /* Started again, it listens where it did before: clients keep their server URL. */
  if (g_str_has_suffix (server->listen, ":0"))
    {
      const char *port = strrchr (server->url, ':');

      g_free (server->listen);
      server->listen = g_strconcat ("127.0.0.1", port, NULL);
    }
}

DocketTestServer *
docket_test_server_start_with_args (gboolean            seed,
                                    const char * const *extra_args)
{
  DocketTestServer *server;

  server = g_new0 (DocketTestServer, 1);
  g_mutex_init (&server->lock);
  g_cond_init (&server->cond);
  server->passwords = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  server->roles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  server->usernames = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (server->usernames, NULL);
  server->extra_args = g_strdupv ((char **) extra_args);
  server->listen = g_strdup ("127.0.0.1:0");

  server->root = docket_test_make_tmpdir ("docket-server-XXXXXX");
  server->data_dir = g_build_filename (server->root, "data", NULL);
  server->log_path = g_build_filename (server->root, "server.log", NULL);
  server->stdout_path = g_build_filename (server->root, "server.out", NULL);
  if (g_mkdir (server->data_dir, 0700) != 0)
    g_error ("Cannot make %s: %s", server->data_dir, g_strerror (errno));

  if (seed)
    seed_demo (server);

  spawn_server (server);
  g_test_message ("docket-server listening on %s, data in %s", server->url, server->data_dir);
  return server;
}

DocketTestServer *
docket_test_server_start (gboolean seed)
{
  return docket_test_server_start_with_args (seed, NULL);
}

/* Stops the serving process with SIGTERM and waits for it; fails the test (showing the
 * end of the log) when it does not exit cleanly. The data folder stays. */
static void
terminate_and_check (DocketTestServer *server)
{
  gboolean clean = TRUE;
  g_autofree char *why = NULL;

  g_subprocess_send_signal (server->process, SIGTERM);
  if (!wait_with_timeout (server->process, STOP_TIMEOUT_SECONDS))
    {
      clean = FALSE;
      why = g_strdup_printf ("did not exit within %d s of SIGTERM", STOP_TIMEOUT_SECONDS);
    }
  else if (g_subprocess_get_if_exited (server->process))
    {
      /* A non-zero status is a failure: under AddressSanitizer this is how the server's
       * own leaks and errors reach the test. */
      int status = g_subprocess_get_exit_status (server->process);

      if (status != 0)
        {
          clean = FALSE;
          why = g_strdup_printf ("exited with status %d", status);
        }
    }
  else if (g_subprocess_get_if_signaled (server->process) &&
           g_subprocess_get_term_sig (server->process) != SIGTERM)
    {
      clean = FALSE;
      why = g_strdup_printf ("was killed by signal %d (%s)",
                             g_subprocess_get_term_sig (server->process),
                             g_strsignal (g_subprocess_get_term_sig (server->process)));
    }

  g_thread_join (g_steal_pointer (&server->reader));

  if (!clean)
    {
      g_autofree char *tail = log_tail (server);

      g_test_message ("docket-server %s; its log ends with:\n%s", why, tail);
      g_printerr ("docket-server %s; its log ends with:\n%s", why, tail);
      g_test_fail_printf ("docket-server %s when stopped", why);
    }
}

void
docket_test_server_stop (DocketTestServer *server)
{
  if (server == NULL)
    return;
  /* process is NULL when the test killed or shut the server down and did not start it
   * again: nothing left to stop. */
  if (server->process != NULL)
    terminate_and_check (server);

  docket_test_rmtree (server->root);
  server_free (server);
}

const char *
docket_test_server_get_url (DocketTestServer *server)
{
  return server->url;
}

const char *
docket_test_server_get_data_dir (DocketTestServer *server)
{
  return server->data_dir;
}

const char *
docket_test_server_get_log_path (DocketTestServer *server)
{
  return server->log_path;
}

void
docket_test_server_pause (DocketTestServer *server,
                          gboolean          paused)
{
  g_assert_nonnull (server->process);
  g_subprocess_send_signal (server->process, paused ? SIGSTOP : SIGCONT);
}

const char *
docket_test_server_get_password (DocketTestServer *server,
                                 const char       *username)
{
  return g_hash_table_lookup (server->passwords, username);
}

const char *
docket_test_server_get_role (DocketTestServer *server,
                             const char       *username)
{
  return g_hash_table_lookup (server->roles, username);
}

const char * const *
docket_test_server_get_usernames (DocketTestServer *server)
{
  return (const char * const *) server->usernames->pdata;
}

int
docket_test_server_admin (DocketTestServer *server,
                          const char       *stdin_text,
                          char            **out_stdout,
                          const char       *first_arg,
                          ...)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  GSubprocessFlags flags = G_SUBPROCESS_FLAGS_STDOUT_PIPE;
  va_list args;

  g_ptr_array_add (argv, (gpointer) get_server_binary ());
  g_ptr_array_add (argv, (gpointer) "--data");
  g_ptr_array_add (argv, server->data_dir);

  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  if (stdin_text != NULL)
    flags |= G_SUBPROCESS_FLAGS_STDIN_PIPE;

  /* Its standard error goes to the test's, where meson shows it on failure. */
  launcher = make_launcher (flags);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  if (process == NULL)
    g_error ("Cannot run %s: %s", get_server_binary (), error->message);

  if (!g_subprocess_communicate_utf8 (process, stdin_text, NULL, &out, NULL, &error))
    g_error ("Cannot talk to %s %s: %s", get_server_binary (), first_arg, error->message);

  if (out_stdout != NULL)
    *out_stdout = g_steal_pointer (&out);

  if (g_subprocess_get_if_exited (process))
    return g_subprocess_get_exit_status (process);
  /* Killed by a signal: report it as a shell would. */
  return 128 + g_subprocess_get_term_sig (process);
}

static guint
count_in_log (DocketTestServer *server,
              const char       *method,
              const char       *path_prefix)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  guint count = 0;

  if (!g_file_get_contents (server->log_path, &contents, NULL, &error))
    g_error ("Cannot read the server's log: %s", error->message);

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;

      if (!g_str_has_prefix (lines[i], "request "))
        continue;

      /* request METHOD PATH STATUS BYTES MSms */
      fields = g_strsplit (lines[i], " ", 0);
      if (g_strv_length (fields) < 4)
        continue;
      if (method != NULL && g_strcmp0 (fields[1], method) != 0)
        continue;
      if (path_prefix != NULL && !g_str_has_prefix (fields[2], path_prefix))
        continue;
      count++;
    }

  return count;
}

guint
docket_test_server_count_requests (DocketTestServer *server,
                                   const char       *method,
                                   const char       *path_prefix)
{
  return count_in_log (server, method, path_prefix);
}

guint
docket_test_server_wait_for_requests (DocketTestServer *server,
                                      const char       *method,
                                      const char       *path_prefix,
                                      guint             at_least)
{
  gint64 deadline = g_get_monotonic_time () + REQUESTS_TIMEOUT_SECONDS * G_TIME_SPAN_SECOND;
  guint count;

  /* The log file is the only channel the server offers, so we look at it again every few
   * milliseconds until the lines are there or the deadline passes. */
  while ((count = count_in_log (server, method, path_prefix)) < at_least &&
         g_get_monotonic_time () < deadline)
    g_usleep (5 * G_TIME_SPAN_MILLISECOND);

  return count;
}

void
docket_test_server_kill (DocketTestServer *server)
{
  g_assert_nonnull (server->process);
  g_subprocess_send_signal (server->process, SIGKILL);
  if (!wait_with_timeout (server->process, STOP_TIMEOUT_SECONDS))
    g_error ("docket-server did not die of SIGKILL within %d s", STOP_TIMEOUT_SECONDS);
  g_thread_join (g_steal_pointer (&server->reader));
  g_clear_object (&server->process);
}

void
docket_test_server_restart (DocketTestServer *server)
{
  g_assert_null (server->process);
  spawn_server (server);
  g_test_message ("docket-server listening again on %s", server->url);
}

GPid
docket_test_server_get_pid (DocketTestServer *server)
{
  const char *id;

  g_assert_nonnull (server->process);
  id = g_subprocess_get_identifier (server->process);
  g_assert_nonnull (id);
  return (GPid) g_ascii_strtoll (id, NULL, 10);
}

void
docket_test_server_shut_down (DocketTestServer *server)
{
  g_assert_nonnull (server->process);
  terminate_and_check (server);
  g_clear_object (&server->process);
}

char *
docket_test_server_sql_text (DocketTestServer *server,
                             const char       *sql)
{
  g_autofree char *path = g_build_filename (server->data_dir, "docket-server.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *result = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  /* The running server may be writing: wait for it rather than fail. */
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    result = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return result;
}
