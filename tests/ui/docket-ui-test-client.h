/* docket-ui-test-client.h: an official's Docket, signed in to a real demo server
 *
 * The store, the sync engine and the window of one profile, signed in through the real
 * sign-in page and synced until every meeting of the demo is in the list with its
 * documents on this computer; and the clicks that open a document. Shared by the window
 * tests so that each tests its own feature, not its own copy of the set-up.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "docket-document.h"
#include "docket-indexer.h"
#include "docket-meeting-list.h"
#include "docket-meeting-list-page.h"
#include "docket-meeting-page.h"
#include "docket-search-page.h"
#include "docket-sign-in-page.h"
#include "docket-sync-indicator.h"
#include "docket-store.h"
#include "docket-sync.h"
#include "docket-test-util.h"
#include "docket-window.h"

G_BEGIN_DECLS

typedef struct {
  DocketStore  *store;
  DocketSync   *sync;
  DocketWindow *window;
  guint         n_meetings;   /* the meetings the server shows this official */
  int           width;        /* the window's size, set before it opens; 0 for 1280×800 */
  int           height;
} DocketUiTestClient;

/* The meetings (their "data" objects) the server's change feed gives username, not
 * deleted, in the feed's order. */
GPtrArray         *docket_ui_test_server_meetings      (DocketTestServer   *server,
                                                        const char         *username);
/* How many of them there are. */
guint              docket_ui_test_server_meeting_count (DocketTestServer   *server,
                                                        const char         *username);
DocketMeetingList *docket_ui_test_window_meetings      (DocketWindow       *window);
/* The window's page (or other part) of type (DOCKET_TYPE_SIGN_IN_PAGE,
 * DOCKET_TYPE_DOCUMENT_VIEW...), found in its widget tree as a test finds any widget: the
 * window keeps its template children to itself. Fails the test when there is none. */
GtkWidget         *docket_ui_test_window_part          (DocketWindow       *window,
                                                        GType               type);

/* Opens the store of profile and a sync engine on it, without a window. */
void               docket_ui_test_client_open_store    (DocketUiTestClient *client,
                                                        const char         *profile);
/* A window on the client's store and sync engine, presented (replaces client->window). */
void               docket_ui_test_client_new_window    (DocketUiTestClient *client);
/* Both: the store of profile, its sync engine and a window, as Docket starts. */
void               docket_ui_test_client_open          (DocketUiTestClient *client,
                                                        const char         *profile);

/* Fills window's sign-in page, submits it, and waits until it settles: signed in, or an
 * error shown on the page (checking which is the caller's). */
void               docket_ui_test_sign_in_as           (DocketWindow       *window,
                                                        const char         *url,
                                                        const char         *username,
                                                        const char         *password);
/* Signs the client's window in as daibieu1; fails the test unless it gets through. */
void               docket_ui_test_client_sign_in       (DocketUiTestClient *client,
                                                        DocketTestServer   *server);
/* Opens profile, signs in as daibieu1 through the sign-in page, and waits until every
 * meeting and its documents are synced. */
void               docket_ui_test_client_sign_in_and_sync (DocketUiTestClient *client,
                                                           DocketTestServer   *server,
                                                           const char         *profile);

/* Stops the sync engine, waits for it, destroys the window and frees everything. */
void               docket_ui_test_client_close         (DocketUiTestClient *client);
/* The same, but the window is closed as the official would (it saves its size), and
 * what the close queued runs before this returns. */
void               docket_ui_test_client_close_as_user (DocketUiTestClient *client);

/* Conditions on a DocketUiTestClient, for docket_ui_test_wait_for. */
/* Every meeting (client->n_meetings) is listed, with its documents on this computer. */
gboolean           docket_ui_test_client_synced        (gpointer            client);
/* Some meeting with documents is listed and has them all on this computer. */
gboolean           docket_ui_test_client_some_meeting_offline (gpointer     client);
/* The sync engine is not in the middle of a run. */
gboolean           docket_ui_test_client_not_syncing   (gpointer            client);
/* Signs out as the official does (win.sign-out, no dialog open before) and returns the
 * dialog that asks first; fails the test when none comes. */
AdwMessageDialog  *docket_ui_test_ask_to_sign_out      (DocketWindow       *window);
/* The meeting page's agenda list, and the flattened tree it shows (GtkTreeListRow
 * items): its only list view, and the list view's model. */
GtkListView       *docket_ui_test_agenda_view          (DocketMeetingPage  *page);
GListModel        *docket_ui_test_agenda_rows          (DocketMeetingPage  *page);
/* Condition on a DocketMeetingPage: its agenda has loaded. */
gboolean           docket_ui_test_agenda_loaded        (gpointer            meeting_page);

/* The indexer Docket runs beside the window, and the store it fills. */
typedef struct {
  DocketIndexer *indexer;
  DocketStore   *store;
} DocketUiTestIndexing;
/* Condition on a DocketUiTestIndexing: the indexer is idle and nothing is left to index
 * (the store's "changed" of the last download may still be on its way when the indexer
 * looks idle). */
gboolean           docket_ui_test_index_complete       (gpointer            indexing);

/* Opens, as clicks would, the first document of at least min_pages pages whose id is
 * not skip (may be NULL); returns it (owned by the agenda). */
DocketDocument    *docket_ui_test_open_document_with_pages (DocketWindow   *window,
                                                            guint           min_pages,
                                                            const char     *skip);
/* Opens, as clicks would, the first document on this computer, in a meeting that has
 * all its documents here; returns its id. */
char              *docket_ui_test_open_offline_document (DocketWindow      *window);

/* The whole JSON of an answer's body; fails the test when it is not JSON. */
JsonNode          *docket_ui_test_parse_json (GBytes           *bytes);
/* A request to server at the path path_format makes, as token (NULL: none), with body
 * as JSON (NULL: none); its status, and its body in *out_body (may be NULL). What the
 * tests do as the chair, the secretary or another official over HTTP. */
guint              docket_ui_test_call       (DocketTestServer *server,
                                              const char       *method,
                                              const char       *token,
                                              const char       *body,
                                              GBytes          **out_body,
                                              const char       *path_format,
                                              ...) G_GNUC_PRINTF (6, 7);

G_END_DECLS
