/* docket-note-popover.h: writing the text of a sticky note (or of any annotation)
 *
 * A popover with a text view, opened by the page widget over the annotation. The text
 * is saved when it closes ("done"), so that a note is never lost to a forgotten button.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define DOCKET_TYPE_NOTE_POPOVER (docket_note_popover_get_type ())
G_DECLARE_FINAL_TYPE (DocketNotePopover, docket_note_popover, DOCKET, NOTE_POPOVER, GtkPopover)

GtkWidget  *docket_note_popover_new            (void);
/* Which annotation it edits, and its text now. */
void        docket_note_popover_set_annotation (DocketNotePopover *self,
                                                const char        *annotation_id,
                                                const char        *text);
const char *docket_note_popover_get_annotation_id (DocketNotePopover *self);
/* The text as written; free it. */
char       *docket_note_popover_dup_text       (DocketNotePopover *self);
GtkTextView *docket_note_popover_get_text_view (DocketNotePopover *self);

G_END_DECLS
