/* docket-test-server.h: the real docket-server, started for a test
 *
 * No mocks: a test starts the real docket-server binary on a random loopback port with
 * a fresh data folder. Included by docket-test-util.h, which every test includes.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _DocketTestServer DocketTestServer;

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

/* Stops the server as stop () does (SIGTERM; the test fails unless it exits cleanly) but
 * keeps its data folder and port: restart () starts it again there, as after kill (). */
void              docket_test_server_shut_down (DocketTestServer *server);
/* The first column of the first row sql gives on the server's own database, as text (NULL
 * when there is no row, or the value is NULL); asserts that the statement is valid. */
char             *docket_test_server_sql_text (DocketTestServer *server,
                                               const char       *sql);

G_END_DECLS
