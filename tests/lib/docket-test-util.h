/* docket-test-util.h: what every test uses around the real parts
 *
 * No mocks: a test starts the real docket-server binary on a random loopback port with
 * a fresh data folder (docket-test-server.h, included here), and uses real SQLite files
 * in a temporary profile. The Secret Service is the real gnome-keyring-daemon that
 * ./run-tests starts in the test run's private D-Bus session.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "docket-test-server.h"

G_BEGIN_DECLS

/* A fresh temporary directory, removed with docket_test_rmtree (). */
char             *docket_test_make_tmpdir      (const char *template_name);
void              docket_test_rmtree           (const char *path);

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

/* Waiting on the default main context, where the engine and GTK deliver their results. */

/* Fails the test with "timed out waiting for WHAT" unless removed (g_source_remove ())
 * within seconds: the guard of a wait that iterates the default main context. what must
 * outlive it. */
guint     docket_test_watchdog_add   (guint       seconds,
                                      const char *what);
typedef gboolean (*DocketTestCondition) (gpointer data);
/* Iterates the default main context until condition (data) holds; fails the test with
 * "timed out waiting for WHAT" after seconds. */
void      docket_test_wait_until     (DocketTestCondition  condition,
                                      gpointer             data,
                                      guint                seconds,
                                      const char          *what);

/* The first column of the first row sql gives (an int: "SELECT count(*) ..."), read
 * through a read-only connection of our own on the docket.db of profile_dir. */
int       docket_test_count_rows     (const char *profile_dir,
                                      const char *sql);

/* The SHA-256 of the file at path, in hex; NULL when it cannot be read. */
char     *docket_test_file_sha256    (const char *path);

/* Runs `docket --profile PROFILE --sign-in URL USERNAME` with the demo password of
 * username on its standard input; asserts that it succeeds and says nothing on standard
 * error. */
void      docket_test_run_client_sign_in (DocketTestServer *server,
                                          const char       *profile,
                                          const char       *username);

G_END_DECLS
