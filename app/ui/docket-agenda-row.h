/* docket-agenda-row.h: one row of the agenda tree, an agenda item or one of its documents */
#pragma once

#include <gtk/gtk.h>

#include "docket-note.h"
#include "docket-personal-note-button.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_AGENDA_ROW (docket_agenda_row_get_type ())
G_DECLARE_FINAL_TYPE (DocketAgendaRow, docket_agenda_row, DOCKET, AGENDA_ROW, GtkWidget)

GtkWidget *docket_agenda_row_new      (void);
/* A DocketAgendaItem or a DocketDocument, or NULL. */
void       docket_agenda_row_set_item (DocketAgendaRow *self,
                                       GObject         *item);
/* The official's note on the item or document shown (set after the item); NULL for none. */
void       docket_agenda_row_set_note (DocketAgendaRow *self,
                                       DocketNote      *note);

/* "current": the agenda item the chair has made current in a live meeting (an icon, the
 * accent colour, and "Current item" for a screen reader). */
void       docket_agenda_row_set_current (DocketAgendaRow *self,
                                          gboolean         current);

G_END_DECLS
