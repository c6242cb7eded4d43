/* docket-agenda.h: the agenda of one meeting, as a tree of items and their documents
 *
 * "root" is a GListModel of the top-level DocketAgendaItems; each item's children are its
 * documents and sub-items (docket_agenda_item_get_children ()), ready for a
 * GtkTreeListModel. Loads with the store's async queries and reloads when the store
 * commits; when nothing of this meeting changed the tree is left as it is, and when
 * something did, in place: items and documents keep their objects (their properties
 * notify what changed) and each list changes only where something came, went or moved
 * (an expanded item stays expanded). With a sync engine (docket_agenda_set_sync ()),
 * its documents follow their downloads.
 */
#pragma once

#include <gio/gio.h>

#include "docket-store.h"
#include "docket-sync.h"
#include "docket-document.h"
#include "docket-agenda-item.h"
#include "docket-note.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_AGENDA (docket_agenda_get_type ())
G_DECLARE_FINAL_TYPE (DocketAgenda, docket_agenda, DOCKET, AGENDA, GObject)

/* Starts loading at once. */
DocketAgenda   *docket_agenda_new             (DocketStore  *store,
                                               const char   *meeting_id);
const char     *docket_agenda_get_meeting_id  (DocketAgenda *self);
GListModel     *docket_agenda_get_root        (DocketAgenda *self);
gboolean        docket_agenda_get_loaded      (DocketAgenda *self);
/* Why the last load failed, or NULL (the "error" property: cleared by the next load
 * that succeeds). */
const GError   *docket_agenda_get_error       (DocketAgenda *self);
/* Reads the agenda again now (Retry after a failed load). */
void            docket_agenda_reload          (DocketAgenda *self);
guint           docket_agenda_get_n_items     (DocketAgenda *self);
guint           docket_agenda_get_n_documents (DocketAgenda *self);
DocketDocument *docket_agenda_find_document   (DocketAgenda *self,
                                               const char   *document_id);
/* The engine whose download states the documents carry; NULL for none. */
void            docket_agenda_set_sync        (DocketAgenda *self,
                                               DocketSync   *sync);
/* The official's note on an item or a document of this agenda, loaded on first use and
 * kept while the agenda lives (borrowed). */
DocketNote     *docket_agenda_get_note        (DocketAgenda     *self,
                                               DocketNoteTarget  target,
                                               const char       *target_id);

G_END_DECLS
