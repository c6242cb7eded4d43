/* docket-window.h: Docket's main window
 *
 * A header bar (back, search, title, sync indicator, refresh, primary menu) over a
 * stack of pages: sign-in, meeting list, meeting, document, search. Navigation is a
 * small path down that stack; every command is an action with a shortcut (win.refresh:
 * Ctrl+R, F5; win.back: Alt+Left, Escape; win.search: Ctrl+Shift+F; win.sign-out). Everything shown comes from the store,
 * so all of it works without a network once synced. While a meeting is held, the window
 * keeps its DocketMeetingLive (the meeting page shows it); "win.follow-presentation"
 * (the "following" property, per window, off at first) opens the document the chair
 * presents at the page presented, each time the presentation changes.
 */
#pragma once

#include <adwaita.h>

#include "docket-store.h"
#include "docket-sync.h"
#include "docket-search-result.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_WINDOW (docket_window_get_type ())
G_DECLARE_FINAL_TYPE (DocketWindow, docket_window, DOCKET, WINDOW, AdwApplicationWindow)

/* application may be NULL (tests). */
DocketWindow *docket_window_new                (GtkApplication *application,
                                                DocketStore    *store,
                                                DocketSync     *sync);
DocketStore  *docket_window_get_store          (DocketWindow   *self);
DocketSync   *docket_window_get_sync           (DocketWindow   *self);
/* "sign-in", "meetings", "meeting", "document" or "search". */
const char   *docket_window_get_page_name      (DocketWindow   *self);
/* Opens a meeting (by id) or a document of the open meeting, as a click would. */
gboolean      docket_window_open_meeting       (DocketWindow   *self,
                                                const char     *meeting_id);
gboolean      docket_window_open_document      (DocketWindow   *self,
                                                const char     *document_id);

/* The meeting list page (bench/docket-bench-feed.c times it). Tests find the window's
 * parts by their type, as any widget (tests/ui/docket-ui-test-client.h). */
GtkWidget    *docket_window_get_meeting_list_page (DocketWindow *self);

/* Opens a search hit as choosing it does: its meeting, then (once the agenda is loaded)
 * its document at its page, the words found highlighted. FALSE when the meeting is no
 * longer in the cache. */
gboolean      docket_window_open_search_result    (DocketWindow       *self,
                                                   DocketSearchResult *result);

G_END_DECLS
