/* docket-test-util.h: what every test uses to start the real parts
 *
 * No mocks: a test starts the real docket-server binary on a random loopback port with
 * a fresh data folder, and uses real SQLite files in a temporary profile. The Secret
 * Service is the real gnome-keyring-daemon that ./run-tests starts in the test run's
 * private D-Bus session.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct _DocketTestServer DocketTestServer;

/* A fresh temporary directory, removed with docket_test_rmtree (). */
char             *docket_test_make_tmpdir      (const char *template_name);
void              docket_test_rmtree           (const char *path);

/* Starts DOCKET_SERVER_BINARY (meson passes its path in the environment variable
 * DOCKET_SERVER) with --data TMPDIR --listen 127.0.0.1:0, waits for its "listening on
 * URL" line, and returns. If seed_demo, runs "seed-demo" first and remembers the demo
 * accounts. Aborts the test on failure. Call it from the test's main thread: the server is
 * tied to the thread that started it and killed when that thread ends, so that no server
 * outlives a crashed test. stop () fails the test when the server exits with a non-zero
 * status (under AddressSanitizer: when it leaked or misbehaved) and shows its log. */
DocketTestServer *docket_test_server_start     (gboolean seed_demo);
void              docket_test_server_stop      (DocketTestServer *server);
/* Like start (), with more options for the serving process (e.g. "--trusted-proxy",
 * "127.0.0.1"; NULL-terminated), given again at every restart. */
DocketTestServer *docket_test_server_start_with_args (gboolean            seed_demo,
                                                      const char * const *extra_args);
/* Kills the server with SIGKILL (a crash: nothing flushed, no clean-up) and waits for it to
 * die; its data folder stays. restart () starts it again on the same data folder and the
 * same port, so that clients keep their URL. stop () works after either. */
void              docket_test_server_kill      (DocketTestServer *server);
void              docket_test_server_restart   (DocketTestServer *server);
/* The process id of the running server (for /proc/PID/status, signals). */
GPid              docket_test_server_get_pid   (DocketTestServer *server);
const char       *docket_test_server_get_url   (DocketTestServer *server);   /* "http://127.0.0.1:PORT" */
const char       *docket_test_server_get_data_dir (DocketTestServer *server);
/* The demo password of a seeded account, or NULL. */
const char       *docket_test_server_get_password (DocketTestServer *server,
                                                   const char       *username);
/* Runs "docket-server --data DIR ARGV..." with stdin_text on standard input; returns its
 * exit status and its standard output. */
int               docket_test_server_admin     (DocketTestServer *server,
                                                const char       *stdin_text,
                                                char            **out_stdout,
                                                const char       *first_arg,
                                                ...) G_GNUC_NULL_TERMINATED;
/* Lines of the server's request log (one per HTTP request) since the server started. */
guint             docket_test_server_count_requests (DocketTestServer *server,
                                                     const char       *method,
                                                     const char       *path_prefix);

/* Like count_requests, but first waits (up to 10 s) until at least `at_least` such lines
 * are in the log, for a server that writes its log line just after sending the answer.
 * Returns the final count (which the test should assert on). */
guint             docket_test_server_wait_for_requests (DocketTestServer *server,
                                                        const char       *method,
                                                        const char       *path_prefix,
                                                        guint             at_least);
/* Stops (SIGSTOP) or resumes (SIGCONT) the server: a stalled server, to see what the
 * client shows meanwhile. Resume it before stop (). */
void              docket_test_server_pause     (DocketTestServer *server,
                                                gboolean          paused);
/* The file the server's standard error (its request log) goes to. */
const char       *docket_test_server_get_log_path (DocketTestServer *server);
/* The role of a seeded demo account ("official", "secretary", "admin"), or NULL. */
const char       *docket_test_server_get_role  (DocketTestServer *server,
                                                const char       *username);
/* The demo user names, in the order seed-demo printed them (NULL-terminated, owned by the
 * server object). */
const char * const *docket_test_server_get_usernames (DocketTestServer *server);

/* A blocking HTTP call for tests: METHOD url with an optional bearer token and body.
 * Returns the status; out_body gets the response body (NUL-terminated). When the call
 * fails before any answer (connection refused, timeout), returns 0 and out_body gets the
 * error message. */
guint             docket_test_http             (const char  *method,
                                                const char  *url,
                                                const char  *token,
                                                const char  *content_type,
                                                GBytes      *body,
                                                GBytes     **out_body);
/* Signs in over HTTP and returns the token (asserts success). */
char             *docket_test_sign_in          (DocketTestServer *server,
                                                const char       *username,
                                                const char       *password);

/* For the few tests that play a hostile server of their own: makes server listen on a
 * random loopback port (IPv4, asserts success) and returns its URL, "http://127.0.0.1:PORT". */
char             *docket_test_soup_server_listen (SoupServer *server);

/* A valid one-page PDF of at least min_bytes, different at every call. */
GBytes           *docket_test_make_pdf         (gsize min_bytes);

/* The secretary's view of every meeting: the whole change feed (up to 1,000 changes),
 * as JSON; asserts the server answers. */
JsonNode *docket_test_secretary_feed (DocketTestServer *server,
                                      const char       *secretary_token);
/* The first agenda item in the feed (top_level_only: one without a parent) of a
 * published meeting that username takes part in, or NULL; out_meeting_id (may be NULL)
 * gets its meeting. */
char     *docket_test_find_item_of   (DocketTestServer  *server,
                                      const char        *secretary_token,
                                      const char        *username,
                                      gboolean           top_level_only,
                                      char             **out_meeting_id);

/* Runs the built `docket` (DOCKET_CLIENT, set by meson test) with the arguments (NULL
 * ends them), stdin_text (may be NULL) on its standard input, in the C.UTF-8 locale and
 * without a display: its exit status (-1 when it did not exit), and what it wrote. */
int       docket_test_run_client     (const char  *stdin_text,
                                      char       **out_stdout,
                                      char       **out_stderr,
                                      const char  *first_arg,
                                      ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
