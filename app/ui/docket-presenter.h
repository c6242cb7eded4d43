/* docket-presenter.h: the chair's presentation, following the pages the chair turns
 *
 * While "presenting", every page the reader turns to in the presented document is sent
 * to the server (docket_sync_present_async), so that every official who follows sees
 * it. Fast page turns are coalesced: a page is sent after 300 ms without another turn,
 * never more than one request in flight and never more than about three a second, and
 * always the last page turned to. Stopping sends "no presentation". A refused request
 * is told through "failed" (the server's reason, for a toast).
 *
 * Properties: "presenting" gboolean (writable, for the reader's "Presenting" toggle:
 * TRUE presents the document the reader shows, from its current page; FALSE stops),
 * "document-id" char* (NULL while not presenting). Signal "failed" (const GError *).
 */
#pragma once

#include <gtk/gtk.h>

#include "docket-document-view.h"
#include "docket-sync.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_PRESENTER (docket_presenter_get_type ())
G_DECLARE_FINAL_TYPE (DocketPresenter, docket_presenter, DOCKET, PRESENTER, GObject)

/* The reader whose pages are presented. */
DocketPresenter *docket_presenter_new             (DocketDocumentView *view);
/* The engine the requests go through (the window's; may come after the presenter). */
void             docket_presenter_set_sync        (DocketPresenter    *self,
                                                   DocketSync         *sync);

/* The meeting presented in (the open one; NULL: none, which forgets the presentation). */
void             docket_presenter_set_meeting     (DocketPresenter    *self,
                                                   const char         *meeting_id);
/* Presents document_id from page (from 0) now, and then the pages the reader turns to
 * while it shows that document. */
void             docket_presenter_start           (DocketPresenter    *self,
                                                   const char         *document_id,
                                                   int                 page);
/* Asks the server to stop any presentation of the meeting (this one or another
 * laptop's), and stops following the reader. */
void             docket_presenter_stop            (DocketPresenter    *self);
/* Stops following the reader without a request (the meeting ended, the presentation
 * is another's now). */
void             docket_presenter_forget          (DocketPresenter    *self);

gboolean         docket_presenter_get_presenting  (DocketPresenter    *self);
const char      *docket_presenter_get_document_id (DocketPresenter    *self);
/* Whether a request is on its way or waits for calm (the state may be behind). */
gboolean         docket_presenter_get_busy        (DocketPresenter    *self);

G_END_DECLS
