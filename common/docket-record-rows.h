/* docket-record-rows.h: the protocol's records read from a row of SQLite, for client and
 * server
 *
 * The client's cache and the server's database keep the same entities in columns of the
 * same names and meaning: a record is read from a row the same way on both sides, here.
 * Each function reads the current row of a statement whose columns are, from column 0,
 * those of its DOCKET_*_ROW_COLUMNS, in that order; more columns may follow (a query's
 * own), and a query may name them with its table's alias ("d.id, d.meeting_id, ...").
 * A text column read as SQL NULL gives a NULL field; a name this version does not know
 * (a kind, a role) gives the protocol's default, as the JSON codec would not: a row was
 * checked when it was written.
 */
#pragma once

#include <sqlite3.h>

#include "docket-records.h"

G_BEGIN_DECLS

#define DOCKET_DOCUMENT_ROW_COLUMNS \
  "id, meeting_id, item_id, position, title, media_type, sha256, size, pages, version"
#define DOCKET_DOCUMENT_ROW_N_COLUMNS 10

#define DOCKET_AGENDA_ITEM_ROW_COLUMNS \
  "id, meeting_id, parent_id, position, number, title, presenter, description, version"
#define DOCKET_AGENDA_ITEM_ROW_N_COLUMNS 9

#define DOCKET_ANNOTATION_ROW_COLUMNS \
  "id, document_id, page, kind, color, geometry, contents, created_at, updated_at, revision"
#define DOCKET_ANNOTATION_ROW_N_COLUMNS 10

#define DOCKET_PARTICIPANT_ROW_COLUMNS "username, display_name, role"
#define DOCKET_PARTICIPANT_ROW_N_COLUMNS 3

DocketDocumentRecord   *docket_document_record_from_row    (sqlite3_stmt *stmt);
DocketAgendaItemRecord *docket_agenda_item_record_from_row (sqlite3_stmt *stmt);
/* An unknown kind reads as a highlight. */
DocketAnnotationRecord *docket_annotation_record_from_row  (sqlite3_stmt *stmt);
/* An unknown role reads as an official's (the least a participant may do). */
DocketParticipant      *docket_participant_from_row        (sqlite3_stmt *stmt);

G_END_DECLS
