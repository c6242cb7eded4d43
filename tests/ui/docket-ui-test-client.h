/* docket-ui-test-client.h: an official's Docket, signed in to a real demo server
 *
 * The store, the sync engine and the window of one profile, signed in through the real
 * sign-in page and synced until every meeting of the demo is in the list with its
 * documents on this computer; and the clicks that open a document. Shared by the window
 * tests so that each tests its own feature, not its own copy of the set-up.
 */
#pragma once

#include "docket-document.h"
#include "docket-meeting-list.h"
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
} DocketUiTestClient;

/* The meetings the server's change feed gives username (not deleted). */
guint              docket_ui_test_server_meeting_count (DocketTestServer   *server,
                                                        const char         *username);
DocketMeetingList *docket_ui_test_window_meetings      (DocketWindow       *window);

/* Opens profile, signs in as daibieu1 through the sign-in page, and waits until every
 * meeting and its documents are synced. The window is 1280×800. */
void               docket_ui_test_client_sign_in_and_sync (DocketUiTestClient *client,
                                                           DocketTestServer   *server,
                                                           const char         *profile);
/* Another window on the client's store and sync engine. */
void               docket_ui_test_client_new_window    (DocketUiTestClient *client);
/* Stops the sync engine, waits for it, and frees everything. */
void               docket_ui_test_client_close         (DocketUiTestClient *client);

/* Conditions for docket_ui_test_wait_for. */
gboolean           docket_ui_test_client_synced        (gpointer            client);
gboolean           docket_ui_test_agenda_loaded        (gpointer            meeting_page);

/* Opens, as clicks would, the first document of at least min_pages pages whose id is
 * not skip (may be NULL); returns it (owned by the agenda). */
DocketDocument    *docket_ui_test_open_document_with_pages (DocketWindow   *window,
                                                            guint           min_pages,
                                                            const char     *skip);

G_END_DECLS
