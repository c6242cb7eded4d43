/* docket-record-rows.c: the protocol's records read from a row of SQLite, for client and
 * server
 *
 * See docket-record-rows.h. Apart from docket-records.c, which knows JSON and not SQL,
 * and from docket-sqlite.c, which knows SQL and no record.
 */
#include "docket-record-rows.h"

#include "docket-sqlite.h"

DocketDocumentRecord *
docket_document_record_from_row (sqlite3_stmt *stmt)
{
  DocketDocumentRecord *document = docket_document_record_new ();

  document->id = docket_sqlite_column_dup (stmt, 0);
  document->meeting_id = docket_sqlite_column_dup (stmt, 1);
  document->item_id = docket_sqlite_column_dup (stmt, 2);
  document->position = sqlite3_column_int (stmt, 3);
  document->title = docket_sqlite_column_dup (stmt, 4);
  document->media_type = docket_sqlite_column_dup (stmt, 5);
  document->sha256 = docket_sqlite_column_dup (stmt, 6);
  document->size = sqlite3_column_int64 (stmt, 7);
  document->pages = sqlite3_column_int (stmt, 8);
  document->version = sqlite3_column_int64 (stmt, 9);

  return document;
}

DocketAgendaItemRecord *
docket_agenda_item_record_from_row (sqlite3_stmt *stmt)
{
  DocketAgendaItemRecord *item = docket_agenda_item_record_new ();

  item->id = docket_sqlite_column_dup (stmt, 0);
  item->meeting_id = docket_sqlite_column_dup (stmt, 1);
  item->parent_id = docket_sqlite_column_dup (stmt, 2);
  item->position = sqlite3_column_int (stmt, 3);
  item->number = docket_sqlite_column_dup (stmt, 4);
  item->title = docket_sqlite_column_dup (stmt, 5);
  item->presenter = docket_sqlite_column_dup (stmt, 6);
  item->description = docket_sqlite_column_dup (stmt, 7);
  item->version = sqlite3_column_int64 (stmt, 8);

  return item;
}

DocketAnnotationRecord *
docket_annotation_record_from_row (sqlite3_stmt *stmt)
{
  DocketAnnotationRecord *record = docket_annotation_record_new ();

  record->id = docket_sqlite_column_dup (stmt, 0);
  record->document_id = docket_sqlite_column_dup (stmt, 1);
  record->page = sqlite3_column_int (stmt, 2);
  if (!docket_annotation_kind_from_string ((const char *) sqlite3_column_text (stmt, 3), &record->kind))
    record->kind = DOCKET_ANNOTATION_HIGHLIGHT;
  record->color = docket_sqlite_column_dup (stmt, 4);
  record->geometry = docket_sqlite_column_dup (stmt, 5);
  record->contents = docket_sqlite_column_dup (stmt, 6);
  record->created_at = sqlite3_column_int64 (stmt, 7);
  record->updated_at = sqlite3_column_int64 (stmt, 8);
  record->revision = sqlite3_column_int64 (stmt, 9);

  return record;
}

DocketParticipant *
docket_participant_from_row (sqlite3_stmt *stmt)
{
  DocketRole role;

  if (!docket_role_from_string ((const char *) sqlite3_column_text (stmt, 2), &role))
    role = DOCKET_ROLE_OFFICIAL;

  return docket_participant_new ((const char *) sqlite3_column_text (stmt, 0),
                                 (const char *) sqlite3_column_text (stmt, 1),
                                 role);
}
