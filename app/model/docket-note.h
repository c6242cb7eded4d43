/* docket-note.h: the official's personal note on an agenda item or a document
 *
 * Plain text, the official's own data. Loads from the store in a worker thread; every
 * change is kept in memory at once and saved after a short pause (and at once by
 * docket_note_save_now (), when the editor closes), through the store's async save,
 * which also queues it for the server. Reloads when the store changes (a note synced
 * from another computer), unless an edit of its own is not saved yet.
 */
#pragma once

#include <gio/gio.h>

#include "docket-store.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_NOTE (docket_note_get_type ())
G_DECLARE_FINAL_TYPE (DocketNote, docket_note, DOCKET, NOTE, GObject)

/* Starts loading at once. */
DocketNote       *docket_note_new           (DocketStore      *store,
                                             DocketNoteTarget  target,
                                             const char       *target_id);
DocketNoteTarget  docket_note_get_target    (DocketNote *self);
const char       *docket_note_get_target_id (DocketNote *self);
/* "" until loaded, and when there is no note. */
const char       *docket_note_get_text      (DocketNote *self);
gboolean          docket_note_get_loaded    (DocketNote *self);
/* TRUE when the note holds more than white space: the rows show an icon. */
gboolean          docket_note_get_has_text  (DocketNote *self);
/* TRUE while an edit is not yet committed to the store. */
gboolean          docket_note_get_dirty     (DocketNote *self);
/* The text as the official typed it; saved after a short pause. */
void              docket_note_set_text      (DocketNote *self,
                                             const char *text);
/* Saves a pending edit now (the editor closed). */
void              docket_note_save_now      (DocketNote *self);
/* The error of the last load or save, or NULL. */
const GError     *docket_note_get_error     (DocketNote *self);

G_END_DECLS
