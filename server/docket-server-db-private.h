/* docket-server-db-private.h: what the units of DocketServerDb share and nothing else
 * needs (docket-server-db.h lists the units)
 */
#pragma once

#include "docket-server-db.h"

G_BEGIN_DECLS

/* Sets the usual NOT_FOUND ("No such thing, or you may not see it"); returns FALSE. */
gboolean   docket_server_db_set_not_found (GError               **error);

/* The first row of stmt made by read; no row is an error of not_found_code with
 * not_found_message, or the usual NOT_FOUND when that is NULL. stmt may be NULL (the
 * prepare failed and set error). */
gpointer   docket_server_db_read_row_or   (sqlite3_stmt          *stmt,
                                           DocketSqliteRowReader  read,
                                           int                    not_found_code,
                                           const char            *not_found_message,
                                           GError               **error);
/* The same, with the usual NOT_FOUND. */
gpointer   docket_server_db_read_row      (sqlite3_stmt          *stmt,
                                           DocketSqliteRowReader  read,
                                           GError               **error);

/* One write: opens its transaction (BEGIN IMMEDIATE) and takes its sequence number;
 * FALSE, rolled back, when either fails. */
gboolean   docket_server_db_begin_change  (DocketServerDb        *self,
                                           gint64                *out_seq,
                                           GError               **error);
/* Commits the write when ok, else undoes all of it; TRUE when it is committed. */
gboolean   docket_server_db_end_change    (DocketServerDb        *self,
                                           gboolean               ok,
                                           GError               **error);

/* The schema (docket-server-db-schema.c): brings the database of the connection from
 * version up to DOCKET_SERVER_DB_SCHEMA_VERSION, a step per transaction; then gives a
 * restored backup (path) an epoch of its own. */
gboolean   docket_server_db_migrate                  (DocketServerDb  *self,
                                                      int              version,
                                                      GError         **error);
gboolean   docket_server_db_rotate_epoch_if_restored (DocketServerDb  *self,
                                                      const char      *path,
                                                      GError         **error);

/* The live records as rows (docket-server-db-live.c), for the live writes and the change
 * feed: a query selects the columns of DOCKET_SERVER_*_COLUMNS under the aliases they
 * name (meeting_states s, attendance a, speeches sp, the last two joined to users u for
 * the user name), and reads the current row with the reader. */
#define DOCKET_SERVER_MEETING_STATE_COLUMNS \
  "s.meeting_id, s.phase, s.started_at, s.ended_at, s.current_item_id," \
  " s.presented_document_id, s.presented_page, s.speech_limit_seconds, s.version"
#define DOCKET_SERVER_ATTENDANCE_COLUMNS \
  "a.id, a.meeting_id, u.username, a.presence, a.since, a.version"
#define DOCKET_SERVER_SPEECH_COLUMNS \
  "sp.id, sp.meeting_id, u.username, sp.state, sp.number, sp.requested_at, sp.started_at," \
  " sp.ended_at, sp.limit_seconds, sp.version"
/* NULL with error for a time that does not parse (the server wrote the row). */
DocketMeetingStateRecord *docket_server_db_meeting_state_from_row (sqlite3_stmt  *stmt,
                                                                   GError       **error);
DocketAttendanceRecord   *docket_server_db_attendance_from_row    (sqlite3_stmt  *stmt,
                                                                   GError       **error);
DocketSpeechRecord       *docket_server_db_speech_from_row        (sqlite3_stmt  *stmt,
                                                                   GError       **error);

/* Inside the change seq: the speech under way in meeting_id becomes done and the waiting
 * ones withdrawn, ended at at (NULL: now) and stamped with seq; only user_id's, unless it
 * is -1. */
gboolean   docket_server_db_close_speeches (DocketServerDb  *self,
                                            const char      *meeting_id,
                                            gint64           user_id,
                                            GDateTime       *at,
                                            gint64           seq,
                                            GError         **error);

/* Inside the change seq that deleted agenda items or documents of meeting_id (their
 * tombstones written at seq): clears them from the meeting's state where they were the
 * current item or the presentation, stamping it with seq. */
gboolean   docket_server_db_clear_deleted_from_state (DocketServerDb  *self,
                                                      const char      *meeting_id,
                                                      gint64           seq,
                                                      GError         **error);

G_END_DECLS
