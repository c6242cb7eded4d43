/* docket-test-client.h: a real client profile (store + sync engine) for the client tests
 *
 * What tests/client kept writing for itself: waiting on an asynchronous call of the
 * engine with a timeout that fails the test instead of hanging, opening and closing a
 * profile, and the usual fixture of a seeded docket-server, one profile and the
 * secretary's token. Built only when the sync engine is (it links docket-sync).
 */
#pragma once

#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "docket-store.h"
#include "docket-sync.h"
#include "docket-test-util.h"

G_BEGIN_DECLS

/* How long the client tests wait on one asynchronous call before they fail. */
#define DOCKET_TEST_WAIT_SECONDS 60

/* The outcome of one asynchronous call: the callbacks below fill it in. */
typedef struct {
  gboolean  done;
  GError   *error;
} DocketTestResult;

/* Runs the default main context until result->done; after timeout_seconds, fails the
 * test with "timed out waiting for WHAT". */
void     docket_test_wait_for_result      (DocketTestResult *result,
                                           guint             timeout_seconds,
                                           const char       *what);

/* Ready callbacks for docket_sync_sign_in_async () and docket_sync_run_async (): user_data
 * is a DocketTestResult. */
void     docket_test_sign_in_cb           (GObject          *object,
                                           GAsyncResult     *res,
                                           gpointer          user_data);
void     docket_test_run_cb               (GObject          *object,
                                           GAsyncResult     *res,
                                           gpointer          user_data);

/* Signs sync in and waits (DOCKET_TEST_WAIT_SECONDS); returns the error, NULL on success. */
GError  *docket_test_sync_sign_in         (DocketSync       *sync,
                                           const char       *url,
                                           const char       *username,
                                           const char       *password);
/* Signs sync out (docket_sync_sign_out_full_async () with flags) and waits
 * (DOCKET_TEST_WAIT_SECONDS); returns the error, NULL on success. */
GError  *docket_test_sync_sign_out        (DocketSync         *sync,
                                           DocketSignOutFlags  flags);
/* One sync run, waited for (DOCKET_TEST_WAIT_SECONDS); returns the error, NULL on success. */
GError  *docket_test_sync_run             (DocketSync       *sync);

/* One sync run while this process may not write files larger than max_bytes: writes past
 * it fail as on a full disk (EFBIG instead of ENOSPC), without needing a mount. */
GError  *docket_test_sync_run_with_file_size_limit (DocketSync *sync,
                                                    guint64     max_bytes);

/* Opens (or creates) the profile folder path: its store, and an engine over it. */
void     docket_test_profile_open         (const char       *path,
                                           DocketStore     **out_store,
                                           DocketSync      **out_sync);
/* Drops the engine, then the store, and lets their queued idles run and drop their
 * references, so that nothing of the profile outlives the close. */
void     docket_test_profile_close        (DocketStore     **store,
                                           DocketSync      **sync);

/* Appends every row sql returns, one line each with "|" after every value: a profile's
 * data as text, to compare before and after something that must not change it. */
void     docket_test_append_rows          (sqlite3          *db,
                                           const char       *sql,
                                           GString          *out);
/* The documents of the cache whose content no other document shares (one download
 * each), GPtrArray of DocketStoreDocumentRow*, in meeting order. */
GPtrArray *docket_test_list_unshared_documents (DocketStore *store);

/* The profile at path as text: for each entry of queries (NULL-terminated), "[NAME]" and
 * the rows of "SELECT * FROM NAME ORDER BY rowid", or of the SELECT after "NAME|" when the
 * entry has one; then the path of every file under documents/, sorted. */
char    *docket_test_dump_profile         (const char         *path,
                                           const char * const *queries);

/* The usual fixture: a seeded docket-server, one profile (tmpdir/profile) opened but not
 * signed in, and the secretary's token for the server's API. */
typedef struct {
  DocketTestServer *server;
  char             *tmpdir;
  char             *profile;
  DocketStore      *store;
  DocketSync       *sync;
  char             *secretary_token;
} DocketTestClient;

/* Starts the server, makes a temporary folder named after tmpdir_name, signs the
 * secretary ("thuky") in over HTTP and opens the profile. */
void     docket_test_client_set_up        (DocketTestClient *client,
                                           const char       *tmpdir_name);
void     docket_test_client_tear_down     (DocketTestClient *client);
/* Opens and closes the client's profile: closing and opening again is a restart. */
void     docket_test_client_open_profile  (DocketTestClient *client);
void     docket_test_client_close_profile (DocketTestClient *client);
/* Signs the profile in as a demo account with its demo password (asserts success). */
void     docket_test_client_sign_in_as    (DocketTestClient *client,
                                           const char       *username);
/* The secretary's view of every meeting: the whole change feed, as JSON. */
JsonNode *docket_test_client_secretary_feed (DocketTestClient *client);
/* An agenda item of a published meeting that username takes part in (the first in the
 * feed), or NULL; out_meeting_id (may be NULL) gets its meeting. */
char    *docket_test_client_find_item_of  (DocketTestClient *client,
                                           const char       *username,
                                           char            **out_meeting_id);

G_END_DECLS
