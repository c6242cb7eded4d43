/* docket-participant-row.h: one participant of a live meeting, as the participants
 * popover lists them: name, meeting role, presence and since when, read by a screen
 * reader as one sentence ("Nguyễn Văn A, Chair, in the room since 08:01"). */
#pragma once

#include <gtk/gtk.h>

#include "docket-live-participant.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_PARTICIPANT_ROW (docket_participant_row_get_type ())
G_DECLARE_FINAL_TYPE (DocketParticipantRow, docket_participant_row, DOCKET, PARTICIPANT_ROW, GtkListBoxRow)

/* Follows participant as it changes. */
GtkWidget *docket_participant_row_new (DocketLiveParticipant *participant);

G_END_DECLS
