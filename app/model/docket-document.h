/* docket-document.h: a document of a meeting, as the agenda shows it
 *
 * Wraps a DocketStoreDocumentRow: its record and the path of its verified local file,
 * NULL while the content is not yet in the profile. Its download, as the sync engine
 * sees it, is in "download-state", "download-fraction" (0 to 1), "download-reason" (a
 * DocketSyncError, when failed) and "download-error" (a sentence, when failed); the
 * agenda keeps them up to date (docket_agenda_set_sync ()).
 */
#pragma once

#include <glib-object.h>

#include "docket-store.h"
#include "docket-sync.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_DOCUMENT (docket_document_get_type ())
G_DECLARE_FINAL_TYPE (DocketDocument, docket_document, DOCKET, DOCUMENT, GObject)

DocketDocument *docket_document_new          (const DocketStoreDocumentRow *row);
/* Takes the row of the same document, notifying only what changed (the agenda updates
 * its documents in place); TRUE when its content (sha256) changed. */
gboolean        docket_document_update       (DocketDocument               *self,
                                              const DocketStoreDocumentRow *row);
const char     *docket_document_get_id       (DocketDocument *self);
const char     *docket_document_get_item_id  (DocketDocument *self);
const char     *docket_document_get_title    (DocketDocument *self);
guint           docket_document_get_pages    (DocketDocument *self);
gint64          docket_document_get_size     (DocketDocument *self);
/* The local file, or NULL when not offline. */
const char     *docket_document_get_path     (DocketDocument *self);
gboolean        docket_document_get_offline  (DocketDocument *self);
const char     *docket_document_get_sha256   (DocketDocument *self);
DocketDownloadState docket_document_get_download_state (DocketDocument *self);
double          docket_document_get_download_fraction (DocketDocument *self);
DocketSyncError docket_document_get_download_reason (DocketDocument *self);
const char     *docket_document_get_download_error (DocketDocument *self);
/* Takes what the sync engine says (NULL: nothing); notifies what changed. */
void            docket_document_set_download (DocketDocument           *self,
                                              const DocketDownloadInfo *info);
/* "12 pages · 180 kB" */
char           *docket_document_format_details (DocketDocument *self);

G_END_DECLS
