/* docket-agenda-item.h: an item of a meeting's agenda, a node of the agenda tree
 *
 * Its children, in the order the meeting page shows them, are its documents
 * (DocketDocument) and then its sub-items (DocketAgendaItem): the model a
 * GtkTreeListModel asks for when the item is expanded.
 */
#pragma once

#include <gio/gio.h>

#include "docket-records.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_AGENDA_ITEM (docket_agenda_item_get_type ())
G_DECLARE_FINAL_TYPE (DocketAgendaItem, docket_agenda_item, DOCKET, AGENDA_ITEM, GObject)

DocketAgendaItem *docket_agenda_item_new             (const DocketAgendaItemRecord *record,
                                                      guint                         depth);
/* Takes the record's fields (of the same id; the depth stays), notifying only those
 * that changed: the agenda updates its items in place. */
void              docket_agenda_item_update          (DocketAgendaItem             *self,
                                                      const DocketAgendaItemRecord *record);
const char       *docket_agenda_item_get_id          (DocketAgendaItem *self);
const char       *docket_agenda_item_get_parent_id   (DocketAgendaItem *self);
const char       *docket_agenda_item_get_number      (DocketAgendaItem *self);
const char       *docket_agenda_item_get_title       (DocketAgendaItem *self);
const char       *docket_agenda_item_get_presenter   (DocketAgendaItem *self);
const char       *docket_agenda_item_get_description (DocketAgendaItem *self);
/* 0 for a top-level item. */
guint             docket_agenda_item_get_depth       (DocketAgendaItem *self);
/* GObject items: DocketDocument, then DocketAgendaItem. Owned by the item. */
GListStore       *docket_agenda_item_get_children    (DocketAgendaItem *self);

G_END_DECLS
