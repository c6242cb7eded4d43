/* docket-annotation-list.h: the official's annotations on one document, and their edits
 *
 * A GListModel of DocketAnnotation, by page then creation time, loaded with the store's
 * async list and reloaded on every "changed" of the store (a sync that brought edits
 * from another computer shows at once).
 *
 * Edits (create, update, remove) show at once in the model and are saved at once through
 * the store's async functions, which queue them for the server; each is one step of an
 * undo/redo history. The store keeps deleted annotations as tombstones for the server,
 * which refuses to bring a deleted id back: undoing a delete (or redoing a create)
 * therefore saves the annotation under a new id, and the history follows it.
 */
#pragma once

#include <gio/gio.h>

#include "docket-store.h"
#include "docket-annotation.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_ANNOTATION_LIST (docket_annotation_list_get_type ())
G_DECLARE_FINAL_TYPE (DocketAnnotationList, docket_annotation_list, DOCKET, ANNOTATION_LIST, GObject)

DocketAnnotationList *docket_annotation_list_new            (DocketStore *store,
                                                              const char  *document_id);
const char           *docket_annotation_list_get_document_id (DocketAnnotationList *self);
/* TRUE once the first load has come back. */
gboolean              docket_annotation_list_get_loaded      (DocketAnnotationList *self);
/* TRUE while writes to the store are on their way (tests wait for FALSE); FALSE while
 * they are held after a failure ("unsaved"). */
gboolean              docket_annotation_list_get_busy        (DocketAnnotationList *self);
/* Why the last load or write failed, with a message for the official, or NULL (the
 * "error" property: cleared by the next success). */
const GError         *docket_annotation_list_get_error       (DocketAnnotationList *self);
/* TRUE when a write failed (a full disk, a read-only or busy profile): the edits stay
 * shown and queued, in order, but are not in the store until a retry succeeds. */
gboolean              docket_annotation_list_get_unsaved     (DocketAnnotationList *self);
/* Writes the held edits again, in order; with none held, reads the list again. */
void                  docket_annotation_list_retry           (DocketAnnotationList *self);
/* Borrowed, or NULL. */
DocketAnnotation     *docket_annotation_list_find            (DocketAnnotationList *self,
                                                              const char           *id);

/* Adds an annotation (a new id, created now) and returns it (borrowed). contents may be
 * NULL for "". */
DocketAnnotation     *docket_annotation_list_create          (DocketAnnotationList           *self,
                                                              guint                           page,
                                                              DocketAnnotationKind            kind,
                                                              const char                     *color,
                                                              const DocketAnnotationGeometry *geometry,
                                                              const char                     *contents);
/* Changes what is not NULL of color, geometry and contents: recolour, move, edit the
 * text. Returns the new object (borrowed), or NULL when id is not in the list. */
DocketAnnotation     *docket_annotation_list_update          (DocketAnnotationList           *self,
                                                              const char                     *id,
                                                              const char                     *color,
                                                              const DocketAnnotationGeometry *geometry,
                                                              const char                     *contents);
gboolean              docket_annotation_list_remove          (DocketAnnotationList *self,
                                                              const char           *id);

/* Takes back an annotation that was just made and left empty (a note closed without a
 * word): removed, and its creation leaves the history as if it never was. */
gboolean              docket_annotation_list_discard         (DocketAnnotationList *self,
                                                              const char           *id);

gboolean              docket_annotation_list_can_undo        (DocketAnnotationList *self);
gboolean              docket_annotation_list_can_redo        (DocketAnnotationList *self);
/* The id of the annotation the step touched (owned by the list until the next edit),
 * or NULL when there was nothing to undo/redo or the step removed it. */
const char           *docket_annotation_list_undo            (DocketAnnotationList *self);
const char           *docket_annotation_list_redo            (DocketAnnotationList *self);

G_END_DECLS
