/* docket-server-db-live.c: the live meeting in the database — a meeting's state, its
 * attendance (and the log of it, for the minutes) and its speeches (docs/protocol.md,
 * "The live meeting")
 *
 * Each write is one change: one transaction, one sequence number stamped as the version
 * of every record it touched, so that the change feed (docket-server-db-feed.c) carries
 * it and the live channel tells the clients. The meeting's status and phase are read in
 * the same transaction as the write they allow. Who may do what in the meeting (its
 * chair, its secretary, the participant themself) is the routes' to check
 * (docket-server-routes-live.c), before they call in here.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "docket-server-db-private.h"

#define TEXT(s) DOCKET_SERVER_DB_TEXT (s)
#define INT(n)  DOCKET_SERVER_DB_INT (n)

void
docket_server_meeting_state_fields_clear (DocketServerMeetingStateFields *fields)
{
  g_clear_pointer (&fields->current_item_id, g_free);
  g_clear_pointer (&fields->presented_document_id, g_free);
}

void
docket_server_attendance_entry_free (DocketServerAttendanceEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->username);
  g_free (entry->at);
  g_free (entry);
}

static gboolean
conflict (GError     **error,
          const char  *message)
{
  g_set_error_literal (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_CONFLICT, message);
  return FALSE;
}

static gboolean
invalid_field (GError     **error,
               const char  *field,
               const char  *why)
{
  g_set_error (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_INVALID_FIELD,
               "%s: %s", field, why);
  return FALSE;
}

/* What is about to be stored must pass the clients' own checks (as every write of
 * docket-server-db-meetings.c): a record a client refuses would stop its sync. The
 * server made these records itself, so a refusal is its own fault. */
static gboolean
refuse_unreadable (GError  *reader_error,
                   GError **error)
{
  g_autoptr(GError) owned = reader_error;

  g_set_error (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_INTERNAL,
               "a live record the clients would refuse: %s", owned->message);
  return FALSE;
}

/* The time of a change, as the records keep it. */
static char *
now_text (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return docket_protocol_format_time (now);
}

/* Rows */

/* A time column: NULL stays NULL; anything else must parse. */
static gboolean
column_time (sqlite3_stmt  *stmt,
             int            index,
             GDateTime    **out,
             GError       **error)
{
  const char *text = (const char *) sqlite3_column_text (stmt, index);

  *out = NULL;
  if (text == NULL)
    return TRUE;
  *out = docket_protocol_parse_time (text, error);
  return *out != NULL;
}

DocketMeetingStateRecord *
docket_server_db_meeting_state_from_row (sqlite3_stmt  *stmt,
                                         GError       **error)
{
  g_autoptr(DocketMeetingStateRecord) record = docket_meeting_state_record_new ();

  record->meeting_id = docket_sqlite_column_dup (stmt, 0);
  docket_meeting_phase_from_string ((const char *) sqlite3_column_text (stmt, 1), &record->phase);
  if (!column_time (stmt, 2, &record->started_at, error) ||
      !column_time (stmt, 3, &record->ended_at, error))
    return NULL;
  record->current_item_id = docket_sqlite_column_dup (stmt, 4);
  record->presented_document_id = docket_sqlite_column_dup (stmt, 5);
  record->presented_page = sqlite3_column_int (stmt, 6);
  record->speech_limit_seconds = sqlite3_column_int (stmt, 7);
  record->version = sqlite3_column_int64 (stmt, 8);
  return g_steal_pointer (&record);
}

DocketAttendanceRecord *
docket_server_db_attendance_from_row (sqlite3_stmt  *stmt,
                                      GError       **error)
{
  g_autoptr(DocketAttendanceRecord) record = docket_attendance_record_new ();

  record->id = docket_sqlite_column_dup (stmt, 0);
  record->meeting_id = docket_sqlite_column_dup (stmt, 1);
  record->username = docket_sqlite_column_dup (stmt, 2);
  docket_presence_from_string ((const char *) sqlite3_column_text (stmt, 3), &record->presence);
  if (!column_time (stmt, 4, &record->since, error))
    return NULL;
  record->version = sqlite3_column_int64 (stmt, 5);
  return g_steal_pointer (&record);
}

DocketSpeechRecord *
docket_server_db_speech_from_row (sqlite3_stmt  *stmt,
                                  GError       **error)
{
  g_autoptr(DocketSpeechRecord) record = docket_speech_record_new ();

  record->id = docket_sqlite_column_dup (stmt, 0);
  record->meeting_id = docket_sqlite_column_dup (stmt, 1);
  record->username = docket_sqlite_column_dup (stmt, 2);
  docket_speech_state_from_string ((const char *) sqlite3_column_text (stmt, 3), &record->state);
  record->number = sqlite3_column_int64 (stmt, 4);
  if (!column_time (stmt, 5, &record->requested_at, error) ||
      !column_time (stmt, 6, &record->started_at, error) ||
      !column_time (stmt, 7, &record->ended_at, error))
    return NULL;
  record->limit_seconds = sqlite3_column_int (stmt, 8);
  record->version = sqlite3_column_int64 (stmt, 9);
  return g_steal_pointer (&record);
}

static gpointer
read_meeting_state (sqlite3_stmt  *stmt,
                    gpointer       unused,
                    GError       **error)
{
  return docket_server_db_meeting_state_from_row (stmt, error);
}

static gpointer
read_attendance (sqlite3_stmt  *stmt,
                 gpointer       unused,
                 GError       **error)
{
  return docket_server_db_attendance_from_row (stmt, error);
}

static gpointer
read_speech (sqlite3_stmt  *stmt,
             gpointer       unused,
             GError       **error)
{
  return docket_server_db_speech_from_row (stmt, error);
}

/* Who takes part, and as what */

typedef struct {
  gboolean          found;
  DocketMeetingRole role;
} RoleRow;

static gboolean
read_role (sqlite3_stmt  *stmt,
           gpointer       user_data,
           GError       **error)
{
  RoleRow *row = user_data;

  row->found = TRUE;
  docket_meeting_role_from_string ((const char *) sqlite3_column_text (stmt, 0), &row->role);
  return TRUE;
}

gboolean
docket_server_db_find_meeting_role (DocketServerDb      *self,
                                    const char          *meeting_id,
                                    gint64               user_id,
                                    gboolean            *out_is_participant,
                                    DocketMeetingRole   *out_role,
                                    GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  RoleRow row = { FALSE, DOCKET_MEETING_ROLE_UNKNOWN };

  stmt = docket_server_db_prepare_with (self,
                                        "SELECT meeting_role FROM participants"
                                        " WHERE meeting_id = ? AND user_id = ?", error,
                                        TEXT (meeting_id), INT (user_id));
  if (!docket_server_db_each_row (self, stmt, read_role, &row, error))
    return FALSE;
  *out_is_participant = row.found;
  *out_role = row.found ? row.role : DOCKET_MEETING_ROLE_UNKNOWN;
  return TRUE;
}

/* The meeting's state */

static DocketMeetingStateRecord *
not_started_state (const char *meeting_id)
{
  DocketMeetingStateRecord *record = docket_meeting_state_record_new ();

  record->meeting_id = g_strdup (meeting_id);
  record->phase = DOCKET_MEETING_PHASE_NOT_STARTED;
  return record;
}

DocketMeetingStateRecord *
docket_server_db_load_meeting_state (DocketServerDb  *self,
                                     const char      *meeting_id,
                                     GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GError *local_error = NULL;
  DocketMeetingStateRecord *record;

  stmt = docket_server_db_prepare_with (self,
                                        "SELECT " DOCKET_SERVER_MEETING_STATE_COLUMNS
                                        " FROM meeting_states s WHERE s.meeting_id = ?", error,
                                        TEXT (meeting_id));
  if (stmt == NULL)
    return NULL;
  record = docket_sqlite_collect_row (stmt, read_meeting_state, NULL, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  /* A meeting whose state never changed has no row: it has not started. */
  return record != NULL ? record : not_started_state (meeting_id);
}

static gpointer
read_status (sqlite3_stmt  *stmt,
             gpointer       unused,
             GError       **error)
{
  DocketMeetingStatus *status = g_new (DocketMeetingStatus, 1);

  if (!docket_meeting_status_from_string ((const char *) sqlite3_column_text (stmt, 0), status))
    *status = DOCKET_MEETING_STATUS_UNKNOWN;
  return status;
}

/* The state of a meeting that may be run: a published one (CONFLICT for a draft or a
 * closed one, NOT_FOUND for none). */
static DocketMeetingStateRecord *
load_runnable_state (DocketServerDb  *self,
                     const char      *meeting_id,
                     GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree DocketMeetingStatus *status = NULL;

  stmt = docket_server_db_prepare_with (self, "SELECT status FROM meetings WHERE id = ?",
                                        error, TEXT (meeting_id));
  status = docket_server_db_read_row (stmt, read_status, error);
  if (status == NULL)
    return NULL;
  switch (*status)
    {
    case DOCKET_MEETING_STATUS_PUBLISHED:
      return docket_server_db_load_meeting_state (self, meeting_id, error);
    case DOCKET_MEETING_STATUS_CLOSED:
      conflict (error, _("The meeting is closed"));
      return NULL;
    case DOCKET_MEETING_STATUS_DRAFT:
    case DOCKET_MEETING_STATUS_UNKNOWN:
    default:
      conflict (error, _("The meeting is not published"));
      return NULL;
    }
}

/* CONFLICT unless the meeting is in session, with the reason a person understands. */
static gboolean
check_in_session (const DocketMeetingStateRecord  *state,
                  GError                         **error)
{
  switch (state->phase)
    {
    case DOCKET_MEETING_PHASE_IN_SESSION:
      return TRUE;
    case DOCKET_MEETING_PHASE_NOT_STARTED:
      return conflict (error, _("The meeting has not started"));
    case DOCKET_MEETING_PHASE_ENDED:
    case DOCKET_MEETING_PHASE_UNKNOWN:
    default:
      return conflict (error, _("The meeting has ended"));
    }
}

static gboolean
check_not_ended (const DocketMeetingStateRecord  *state,
                 GError                         **error)
{
  if (state->phase == DOCKET_MEETING_PHASE_NOT_STARTED ||
      state->phase == DOCKET_MEETING_PHASE_IN_SESSION)
    return TRUE;
  return conflict (error, _("The meeting has ended"));
}

static void
replace_text (char       **text,
              const char  *value)
{
  g_free (*text);
  *text = g_strdup (value);
}

static void
set_time (GDateTime **time,
          GDateTime  *value)
{
  g_clear_pointer (time, g_date_time_unref);
  *time = value != NULL ? g_date_time_ref (value) : NULL;
}

/* The phase only moves forward: not_started, in_session, ended. */
static gboolean
apply_phase (DocketMeetingStateRecord  *record,
             DocketMeetingPhase         phase,
             GDateTime                 *now,
             GError                   **error)
{
  if (phase == record->phase)
    return TRUE;
  if (record->phase == DOCKET_MEETING_PHASE_ENDED)
    return conflict (error, _("The meeting has ended"));
  switch (phase)
    {
    case DOCKET_MEETING_PHASE_IN_SESSION:
      set_time (&record->started_at, now);
      break;
    case DOCKET_MEETING_PHASE_ENDED:
      /* What was under way ends with the meeting. */
      set_time (&record->ended_at, now);
      g_clear_pointer (&record->current_item_id, g_free);
      g_clear_pointer (&record->presented_document_id, g_free);
      record->presented_page = 0;
      break;
    case DOCKET_MEETING_PHASE_NOT_STARTED:
    case DOCKET_MEETING_PHASE_UNKNOWN:
    default:
      return conflict (error, _("The meeting has started already: it cannot go back"));
    }
  record->phase = phase;
  return TRUE;
}

static gboolean
check_item_of_meeting (DocketServerDb  *self,
                       const char      *meeting_id,
                       const char      *item_id,
                       GError         **error)
{
  g_autoptr(DocketAgendaItemRecord) item = docket_server_db_load_item (self, item_id, NULL);

  if (item == NULL || g_strcmp0 (item->meeting_id, meeting_id) != 0)
    return invalid_field (error, "current_item_id", _("not an agenda item of this meeting"));
  return TRUE;
}

static gboolean
check_page_of_document (DocketServerDb  *self,
                        const char      *meeting_id,
                        const char      *document_id,
                        int              page,
                        GError         **error)
{
  g_autoptr(DocketDocumentRecord) document = docket_server_db_load_document (self, document_id, NULL);

  if (document == NULL || g_strcmp0 (document->meeting_id, meeting_id) != 0)
    return invalid_field (error, "presentation.document_id", _("not a document of this meeting"));
  if (page >= document->pages)
    {
      g_autofree char *why = g_strdup_printf (ngettext ("not a page of the document, which has %d page",
                                                        "not a page of the document, which has %d pages",
                                                        document->pages),
                                              document->pages);

      return invalid_field (error, "presentation.page", why);
    }
  return TRUE;
}

/* The state fields would make of old, or NULL with the error that refuses them. */
static DocketMeetingStateRecord *
apply_state_fields (DocketServerDb                        *self,
                    const DocketMeetingStateRecord        *old,
                    const DocketServerMeetingStateFields  *fields,
                    GDateTime                             *now,
                    GError                               **error)
{
  g_autoptr(DocketMeetingStateRecord) record = docket_meeting_state_record_copy (old);

  if (fields->has_phase && !apply_phase (record, fields->phase, now, error))
    return NULL;

  /* What the meeting shows, in the phase it is now in. */
  if (fields->has_current_item)
    {
      if (!check_in_session (record, error) ||
          (fields->current_item_id != NULL &&
           !check_item_of_meeting (self, record->meeting_id, fields->current_item_id, error)))
        return NULL;
      replace_text (&record->current_item_id, fields->current_item_id);
    }
  if (fields->has_presentation)
    {
      if (!check_in_session (record, error) ||
          (fields->presented_document_id != NULL &&
           !check_page_of_document (self, record->meeting_id, fields->presented_document_id,
                                    fields->presented_page, error)))
        return NULL;
      replace_text (&record->presented_document_id, fields->presented_document_id);
      record->presented_page = fields->presented_document_id != NULL ? fields->presented_page : 0;
    }
  if (fields->has_speech_limit)
    {
      if (!check_not_ended (record, error))
        return NULL;
      record->speech_limit_seconds = fields->speech_limit_seconds;
    }
  return g_steal_pointer (&record);
}

static gboolean
same_time (GDateTime *a,
           GDateTime *b)
{
  return (a == NULL && b == NULL) ||
         (a != NULL && b != NULL && g_date_time_equal (a, b));
}

static gboolean
same_state (const DocketMeetingStateRecord *a,
            const DocketMeetingStateRecord *b)
{
  return a->phase == b->phase &&
         same_time (a->started_at, b->started_at) &&
         same_time (a->ended_at, b->ended_at) &&
         g_strcmp0 (a->current_item_id, b->current_item_id) == 0 &&
         g_strcmp0 (a->presented_document_id, b->presented_document_id) == 0 &&
         a->presented_page == b->presented_page &&
         a->speech_limit_seconds == b->speech_limit_seconds;
}

static gboolean
store_meeting_state (DocketServerDb                  *self,
                     const DocketMeetingStateRecord  *record,
                     GError                         **error)
{
  g_autofree char *started_at = record->started_at ? docket_protocol_format_time (record->started_at) : NULL;
  g_autofree char *ended_at = record->ended_at ? docket_protocol_format_time (record->ended_at) : NULL;
  GError *reader_error = NULL;

  if (!docket_meeting_state_record_validate (record, &reader_error))
    return refuse_unreadable (reader_error, error);
  return docket_server_db_run (self,
                               "INSERT OR REPLACE INTO meeting_states (meeting_id, phase,"
                               " started_at, ended_at, current_item_id, presented_document_id,"
                               " presented_page, speech_limit_seconds, version)"
                               " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", error,
                               TEXT (record->meeting_id),
                               TEXT (docket_meeting_phase_to_string (record->phase)),
                               TEXT (started_at), TEXT (ended_at),
                               TEXT (record->current_item_id),
                               TEXT (record->presented_document_id),
                               INT (record->presented_page),
                               INT (record->speech_limit_seconds),
                               INT (record->version));
}

gboolean
docket_server_db_close_speeches (DocketServerDb  *self,
                                 const char      *meeting_id,
                                 gint64           user_id,
                                 GDateTime       *at,
                                 gint64           seq,
                                 GError         **error)
{
  g_autofree char *ended_at = at != NULL ? docket_protocol_format_time (at) : now_text ();

  return docket_server_db_run (self,
                               "UPDATE speeches SET state = CASE state WHEN 'speaking'"
                               " THEN 'done' ELSE 'withdrawn' END, ended_at = ?2, version = ?3"
                               " WHERE meeting_id = ?1 AND state IN ('speaking', 'waiting')"
                               " AND (?4 < 0 OR user_id = ?4)",
                               error, TEXT (meeting_id), TEXT (ended_at), INT (seq), INT (user_id));
}

DocketMeetingStateRecord *
docket_server_db_update_meeting_state (DocketServerDb                        *self,
                                       const char                            *meeting_id,
                                       const DocketServerMeetingStateFields  *fields,
                                       GError                               **error)
{
  g_autoptr(DocketMeetingStateRecord) old = NULL;
  g_autoptr(DocketMeetingStateRecord) record = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  gboolean ok;
  gint64 seq;

  if (!docket_server_db_begin_change (self, &seq, error))
    return NULL;
  ok = (old = load_runnable_state (self, meeting_id, error)) != NULL &&
       (record = apply_state_fields (self, old, fields, now, error)) != NULL;
  if (ok && same_state (old, record))
    {
      /* Nothing changes: no change to tell anyone of. */
      docket_server_db_rollback (self);
      return g_steal_pointer (&old);
    }
  if (ok)
    {
      record->version = seq;
      /* The speech under way is done, the waiting ones withdrawn, with the meeting. */
      ok = store_meeting_state (self, record, error) &&
           (record->phase != DOCKET_MEETING_PHASE_ENDED ||
            docket_server_db_close_speeches (self, meeting_id, -1, now, seq, error));
    }
  if (!docket_server_db_end_change (self, ok, error))
    return NULL;
  return g_steal_pointer (&record);
}

gboolean
docket_server_db_clear_deleted_from_state (DocketServerDb  *self,
                                           const char      *meeting_id,
                                           gint64           seq,
                                           GError         **error)
{
  return docket_server_db_run (self,
                               "WITH gone (type, id) AS (SELECT type, id FROM tombstones"
                               "  WHERE seq = ?2 AND meeting_id = ?1)"
                               " UPDATE meeting_states SET"
                               "  current_item_id = CASE WHEN current_item_id IN"
                               "   (SELECT id FROM gone WHERE type = 'agenda_item')"
                               "   THEN NULL ELSE current_item_id END,"
                               "  presented_page = CASE WHEN presented_document_id IN"
                               "   (SELECT id FROM gone WHERE type = 'document')"
                               "   THEN 0 ELSE presented_page END,"
                               "  presented_document_id = CASE WHEN presented_document_id IN"
                               "   (SELECT id FROM gone WHERE type = 'document')"
                               "   THEN NULL ELSE presented_document_id END,"
                               "  version = ?2"
                               " WHERE meeting_id = ?1 AND (current_item_id IN"
                               "  (SELECT id FROM gone WHERE type = 'agenda_item')"
                               "  OR presented_document_id IN (SELECT id FROM gone WHERE type = 'document'))",
                               error, TEXT (meeting_id), INT (seq));
}

/* Attendance */

static DocketAttendanceRecord *
load_attendance_where (DocketServerDb  *self,
                       const char      *where,
                       const char      *meeting_id,
                       gint64           user_id,
                       gboolean         must_exist,
                       GError         **error)
{
  g_autofree char *sql = g_strconcat ("SELECT " DOCKET_SERVER_ATTENDANCE_COLUMNS
                                      " FROM attendance a JOIN users u ON u.id = a.user_id"
                                      " WHERE ", where, NULL);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GError *local_error = NULL;
  DocketAttendanceRecord *record;

  stmt = docket_server_db_prepare_with (self, sql, error, TEXT (meeting_id), INT (user_id));
  if (stmt == NULL)
    return NULL;
  record = docket_sqlite_collect_row (stmt, read_attendance, NULL, &local_error);
  if (local_error != NULL)
    g_propagate_error (error, local_error);
  else if (record == NULL && must_exist)
    docket_server_db_set_not_found (error);
  return record;
}

/* The attendance of user_id in meeting_id: NULL without error when there is none. */
static DocketAttendanceRecord *
find_attendance (DocketServerDb  *self,
                 const char      *meeting_id,
                 gint64           user_id,
                 GError         **error)
{
  return load_attendance_where (self, "a.meeting_id = ?1 AND a.user_id = ?2",
                                meeting_id, user_id, FALSE, error);
}

static gboolean
store_attendance (DocketServerDb  *self,
                  const char      *id,
                  gboolean         is_new,
                  const char      *meeting_id,
                  gint64           user_id,
                  DocketPresence   presence,
                  const char      *since,
                  gint64           seq,
                  GError         **error)
{
  const char *presence_text = docket_presence_to_string (presence);

  return (is_new
          ? docket_server_db_run (self,
                                  "INSERT INTO attendance (id, meeting_id, user_id, presence,"
                                  " since, version) VALUES (?, ?, ?, ?, ?, ?)", error,
                                  TEXT (id), TEXT (meeting_id), INT (user_id),
                                  TEXT (presence_text), TEXT (since), INT (seq))
          : docket_server_db_run (self,
                                  "UPDATE attendance SET presence = ?, since = ?, version = ?"
                                  " WHERE id = ?", error,
                                  TEXT (presence_text), TEXT (since), INT (seq), TEXT (id))) &&
         /* Every change, with its time, for the minutes. */
         docket_server_db_run (self,
                               "INSERT INTO attendance_log (meeting_id, user_id, presence, at, seq)"
                               " VALUES (?, ?, ?, ?, ?)", error,
                               TEXT (meeting_id), INT (user_id), TEXT (presence_text),
                               TEXT (since), INT (seq));
}

static gboolean
attendance_is_readable (DocketServerDb  *self,
                        const char      *meeting_id,
                        gint64           user_id,
                        GError         **error)
{
  g_autoptr(DocketAttendanceRecord) record = find_attendance (self, meeting_id, user_id, error);
  GError *reader_error = NULL;

  if (record == NULL)
    return docket_server_db_set_not_found (error);
  return docket_attendance_record_validate (record, &reader_error) ||
         refuse_unreadable (reader_error, error);
}

DocketAttendanceRecord *
docket_server_db_set_attendance (DocketServerDb  *self,
                                 const char      *meeting_id,
                                 gint64           user_id,
                                 DocketPresence   presence,
                                 GError         **error)
{
  g_autoptr(DocketMeetingStateRecord) state = NULL;
  g_autoptr(DocketAttendanceRecord) old = NULL;
  g_autofree char *id = NULL;
  g_autofree char *since = now_text ();
  GError *local_error = NULL;
  gboolean ok;
  gint64 seq;

  if (!docket_server_db_begin_change (self, &seq, error))
    return NULL;
  ok = (state = load_runnable_state (self, meeting_id, error)) != NULL &&
       check_not_ended (state, error);
  if (ok)
    {
      old = find_attendance (self, meeting_id, user_id, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          ok = FALSE;
        }
    }
  if (ok && old != NULL && old->presence == presence)
    {
      docket_server_db_rollback (self);
      return g_steal_pointer (&old);
    }
  if (ok)
    {
      /* A first check-out (absent without an attendance yet) is written too: the roll
       * call records who was found absent, and when. */
      id = old != NULL ? g_strdup (old->id) : docket_server_db_new_id ('a');
      ok = store_attendance (self, id, old == NULL, meeting_id, user_id, presence, since,
                             seq, error) &&
           attendance_is_readable (self, meeting_id, user_id, error);
    }
  if (!docket_server_db_end_change (self, ok, error))
    return NULL;
  return load_attendance_where (self, "a.meeting_id = ?1 AND a.user_id = ?2",
                                meeting_id, user_id, TRUE, error);
}

static gpointer
read_log_entry (sqlite3_stmt  *stmt,
                gpointer       unused,
                GError       **error)
{
  DocketServerAttendanceEntry *entry = g_new0 (DocketServerAttendanceEntry, 1);

  entry->username = docket_sqlite_column_dup (stmt, 0);
  docket_presence_from_string ((const char *) sqlite3_column_text (stmt, 1), &entry->presence);
  entry->at = docket_sqlite_column_dup (stmt, 2);
  return entry;
}

GPtrArray *
docket_server_db_load_attendance_log (DocketServerDb  *self,
                                      const char      *meeting_id,
                                      GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = docket_server_db_prepare_with (self,
                                        "SELECT u.username, l.presence, l.at FROM attendance_log l"
                                        " JOIN users u ON u.id = l.user_id"
                                        " WHERE l.meeting_id = ? ORDER BY l.seq", error,
                                        TEXT (meeting_id));
  return docket_sqlite_collect_rows (stmt, read_log_entry, NULL,
                                     (GDestroyNotify) docket_server_attendance_entry_free, error);
}

/* Speeches */

DocketSpeechRecord *
docket_server_db_load_speech (DocketServerDb  *self,
                              const char      *speech_id,
                              GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = docket_server_db_prepare_with (self,
                                        "SELECT " DOCKET_SERVER_SPEECH_COLUMNS
                                        " FROM speeches sp JOIN users u ON u.id = sp.user_id"
                                        " WHERE sp.id = ?", error, TEXT (speech_id));
  return docket_server_db_read_row (stmt, read_speech, error);
}

char *
docket_server_db_speech_meeting (DocketServerDb  *self,
                                 const char      *speech_id,
                                 GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = docket_server_db_prepare_with (self, "SELECT meeting_id FROM speeches WHERE id = ?",
                                        error, TEXT (speech_id));
  return docket_server_db_read_row (stmt, docket_sqlite_read_text, error);
}

static gboolean
speech_is_readable (DocketServerDb  *self,
                    const char      *speech_id,
                    GError         **error)
{
  g_autoptr(DocketSpeechRecord) record = docket_server_db_load_speech (self, speech_id, error);
  GError *reader_error = NULL;

  return record != NULL &&
         (docket_speech_record_validate (record, &reader_error) ||
          refuse_unreadable (reader_error, error));
}

/* CONFLICT when user_id has a speech waiting or speaking in the meeting. */
static gboolean
check_no_open_speech (DocketServerDb  *self,
                      const char      *meeting_id,
                      gint64           user_id,
                      GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean found = FALSE;

  stmt = docket_server_db_prepare_with (self,
                                        "SELECT 1 FROM speeches WHERE meeting_id = ? AND user_id = ?"
                                        " AND state IN ('waiting', 'speaking')", error,
                                        TEXT (meeting_id), INT (user_id));
  if (!docket_sqlite_has_row (stmt, &found, error))
    return FALSE;
  if (found)
    return conflict (error, _("You have asked for the floor already"));
  return TRUE;
}

DocketSpeechRecord *
docket_server_db_request_floor (DocketServerDb  *self,
                                const char      *meeting_id,
                                gint64           user_id,
                                GError         **error)
{
  g_autoptr(DocketMeetingStateRecord) state = NULL;
  g_autofree char *id = docket_server_db_new_id ('s');
  g_autofree char *requested_at = now_text ();
  gint64 seq;

  /* Its number is the change's own: the queue is in the order the floor was asked. */
  if (!docket_server_db_begin_change (self, &seq, error) ||
      !docket_server_db_end_change (self,
                   (state = load_runnable_state (self, meeting_id, error)) != NULL &&
                   check_in_session (state, error) &&
                   check_no_open_speech (self, meeting_id, user_id, error) &&
                   docket_server_db_run (self,
                                         "INSERT INTO speeches (id, meeting_id, user_id, state,"
                                         " number, requested_at, limit_seconds, version)"
                                         " VALUES (?1, ?2, ?3, 'waiting', ?4, ?5, 0, ?4)", error,
                                         TEXT (id), TEXT (meeting_id), INT (user_id), INT (seq),
                                         TEXT (requested_at)) &&
                   speech_is_readable (self, id, error),
                   error))
    return NULL;
  return docket_server_db_load_speech (self, id, error);
}

/* CONFLICT unless a speech may move from its state to state. */
static gboolean
check_speech_move (DocketSpeechState   from,
                   DocketSpeechState   to,
                   GError            **error)
{
  if (from == DOCKET_SPEECH_DONE || from == DOCKET_SPEECH_WITHDRAWN)
    return conflict (error, _("This speech is over"));
  switch (to)
    {
    case DOCKET_SPEECH_SPEAKING:
    case DOCKET_SPEECH_WITHDRAWN:
      if (from == DOCKET_SPEECH_WAITING)
        return TRUE;
      return conflict (error, to == DOCKET_SPEECH_SPEAKING
                              ? _("This speech is under way already")
                              : _("This speech is under way: it can only be ended"));
    case DOCKET_SPEECH_DONE:
      if (from == DOCKET_SPEECH_SPEAKING)
        return TRUE;
      return conflict (error, _("This speech has not begun: give the floor or withdraw it"));
    case DOCKET_SPEECH_WAITING:
    case DOCKET_SPEECH_UNKNOWN:
    default:
      return conflict (error, _("A speech cannot go back to waiting"));
    }
}

/* Writes the move of speech to state at seq: giving the floor ends the speech under way
 * and takes the meeting's speaking time; ending or withdrawing sets ended_at. */
static gboolean
store_speech_move (DocketServerDb                  *self,
                   const DocketSpeechRecord        *speech,
                   const DocketMeetingStateRecord  *state,
                   DocketSpeechState                to,
                   const char                      *now,
                   gint64                           seq,
                   GError                         **error)
{
  if (to == DOCKET_SPEECH_SPEAKING)
    return docket_server_db_run (self,
                                 "UPDATE speeches SET state = 'done', ended_at = ?2, version = ?3"
                                 " WHERE meeting_id = ?1 AND state = 'speaking'", error,
                                 TEXT (speech->meeting_id), TEXT (now), INT (seq)) &&
           docket_server_db_run (self,
                                 "UPDATE speeches SET state = 'speaking', started_at = ?2,"
                                 " limit_seconds = ?3, version = ?4 WHERE id = ?1", error,
                                 TEXT (speech->id), TEXT (now),
                                 INT (state->speech_limit_seconds), INT (seq));
  return docket_server_db_run (self,
                               "UPDATE speeches SET state = ?2, ended_at = ?3, version = ?4"
                               " WHERE id = ?1", error,
                               TEXT (speech->id), TEXT (docket_speech_state_to_string (to)),
                               TEXT (now), INT (seq));
}

DocketSpeechRecord *
docket_server_db_set_speech_state (DocketServerDb     *self,
                                   const char         *speech_id,
                                   DocketSpeechState   state,
                                   GError            **error)
{
  g_autoptr(DocketSpeechRecord) speech = NULL;
  g_autoptr(DocketMeetingStateRecord) meeting_state = NULL;
  g_autofree char *now = now_text ();
  gboolean ok;
  gint64 seq;

  if (!docket_server_db_begin_change (self, &seq, error))
    return NULL;
  ok = (speech = docket_server_db_load_speech (self, speech_id, error)) != NULL &&
       (meeting_state = load_runnable_state (self, speech->meeting_id, error)) != NULL;
  if (ok && speech->state == state)
    {
      /* The state it has: nothing changes. */
      docket_server_db_rollback (self);
      return g_steal_pointer (&speech);
    }
  ok = ok &&
       check_in_session (meeting_state, error) &&
       check_speech_move (speech->state, state, error) &&
       store_speech_move (self, speech, meeting_state, state, now, seq, error) &&
       speech_is_readable (self, speech_id, error);
  if (!docket_server_db_end_change (self, ok, error))
    return NULL;
  return docket_server_db_load_speech (self, speech_id, error);
}
