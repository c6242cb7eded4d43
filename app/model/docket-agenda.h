/* docket-agenda.h: the agenda of one meeting, as a tree of items and their documents
 *
 * "root" is a GListModel of the top-level DocketAgendaItems; each item's children are its
 * documents and sub-items (docket_agenda_item_get_children ()), ready for a
 * GtkTreeListModel. Loads with the store's async queries and reloads when the store
 * commits; when nothing of this meeting changed the tree is left as it is.
 */
#pragma once

#include <gio/gio.h>

#include "docket-store.h"
#include "docket-document.h"
#include "docket-agenda-item.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_AGENDA (docket_agenda_get_type ())
G_DECLARE_FINAL_TYPE (DocketAgenda, docket_agenda, DOCKET, AGENDA, GObject)

/* Starts loading at once. */
DocketAgenda   *docket_agenda_new             (DocketStore  *store,
                                               const char   *meeting_id);
const char     *docket_agenda_get_meeting_id  (DocketAgenda *self);
GListModel     *docket_agenda_get_root        (DocketAgenda *self);
gboolean        docket_agenda_get_loaded      (DocketAgenda *self);
const GError   *docket_agenda_get_error       (DocketAgenda *self);
guint           docket_agenda_get_n_items     (DocketAgenda *self);
guint           docket_agenda_get_n_documents (DocketAgenda *self);
DocketDocument *docket_agenda_find_document   (DocketAgenda *self,
                                               const char   *document_id);

G_END_DECLS
