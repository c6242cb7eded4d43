/* docket-personal-note-button.h: a button that opens the official's personal note on an
 * agenda item or a document, in a popover with a plain-text editor
 *
 * Shows whether there is a note (its icon and accessible label change). What is typed
 * goes to the DocketNote at once, which saves it after a short pause; closing the
 * popover saves what is pending.
 */
#pragma once

#include <gtk/gtk.h>

#include "docket-note.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_PERSONAL_NOTE_BUTTON (docket_personal_note_button_get_type ())
G_DECLARE_FINAL_TYPE (DocketPersonalNoteButton, docket_personal_note_button,
                      DOCKET, PERSONAL_NOTE_BUTTON, GtkWidget)

GtkWidget  *docket_personal_note_button_new      (void);
/* The note, and what it is about ("2. Báo cáo tình hình..."), for the heading and the
 * accessible labels; NULL to show nothing. */
void        docket_personal_note_button_set_note (DocketPersonalNoteButton *self,
                                                  DocketNote               *note,
                                                  const char               *subject);
DocketNote *docket_personal_note_button_get_note (DocketPersonalNoteButton *self);

G_END_DECLS
