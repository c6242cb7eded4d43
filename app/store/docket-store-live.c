/* docket-store-live.c: a meeting's live records in the cache: its state, its attendance
 * and its speeches
 *
 * The feed brings them (docket-store-feed.c hands each change here, inside the page's
 * transaction) and the live meeting's model reads them back, all at once, in a worker
 * (docket_store_load_meeting_live_async). A value of a later protocol (a phase, a
 * presence, a speech state this version does not know) arrives as UNKNOWN and is kept
 * as the word "unknown": it is shown as unknown and counts for nothing, but never
 * refuses a page (docs/protocol.md, "Values a client does not know").
 */
#include "config.h"

#include <glib/gi18n.h>

#include "docket-store.h"
#include "docket-record-rows.h"
#include "docket-store-private.h"

/* Writing what the feed brought */

/* NULL for no time: the column is SQL NULL. */
static char *
format_optional_time (GDateTime *time)
{
  return time != NULL ? docket_protocol_format_time (time) : NULL;
}

gboolean
docket_store_upsert_meeting_state_locked (DocketStore                     *self,
                                          const DocketMeetingStateRecord  *state,
                                          GError                         **error)
{
  g_autofree char *started_at = format_optional_time (state->started_at);
  g_autofree char *ended_at = format_optional_time (state->ended_at);
  g_autoptr(DocketSqliteCachedStmt) stmt =
    docket_store_prepare_cached (self,
                                 "INSERT INTO meeting_states (meeting_id, phase, started_at, ended_at,"
                                 "  current_item_id, presented_document_id, presented_page,"
                                 "  speech_limit_seconds, version)"
                                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
                                 " ON CONFLICT (meeting_id) DO UPDATE SET"
                                 "  phase = excluded.phase, started_at = excluded.started_at,"
                                 "  ended_at = excluded.ended_at, current_item_id = excluded.current_item_id,"
                                 "  presented_document_id = excluded.presented_document_id,"
                                 "  presented_page = excluded.presented_page,"
                                 "  speech_limit_seconds = excluded.speech_limit_seconds,"
                                 "  version = excluded.version",
                                 error);

  if (stmt == NULL)
    return FALSE;

  docket_sqlite_bind_values (stmt, DOCKET_SQLITE_VALUES (DOCKET_SQLITE_TEXT (state->meeting_id),
                                                         DOCKET_SQLITE_TEXT (docket_meeting_phase_to_string (state->phase)),
                                                         DOCKET_SQLITE_TEXT (started_at),
                                                         DOCKET_SQLITE_TEXT (ended_at),
                                                         DOCKET_SQLITE_TEXT (state->current_item_id),
                                                         DOCKET_SQLITE_TEXT (state->presented_document_id),
                                                         DOCKET_SQLITE_INT (state->presented_page),
                                                         DOCKET_SQLITE_INT (state->speech_limit_seconds),
                                                         DOCKET_SQLITE_INT (state->version)));

  return docket_store_step (self, stmt, error);
}

gboolean
docket_store_upsert_attendance_locked (DocketStore                   *self,
                                       const DocketAttendanceRecord  *attendance,
                                       GError                       **error)
{
  g_autofree char *since = NULL;
  g_autoptr(DocketSqliteCachedStmt) stmt = NULL;

  if (attendance->since == NULL)
    {
      g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_INVALID,
                   _("An attendance without its time."));
      return FALSE;
    }
  since = docket_protocol_format_time (attendance->since);

  stmt = docket_store_prepare_cached (self,
                                      "INSERT INTO attendance (id, meeting_id, username, presence, since, version)"
                                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
                                      " ON CONFLICT (id) DO UPDATE SET"
                                      "  meeting_id = excluded.meeting_id, username = excluded.username,"
                                      "  presence = excluded.presence, since = excluded.since,"
                                      "  version = excluded.version",
                                      error);
  if (stmt == NULL)
    return FALSE;

  docket_sqlite_bind_values (stmt, DOCKET_SQLITE_VALUES (DOCKET_SQLITE_TEXT (attendance->id),
                                                         DOCKET_SQLITE_TEXT (attendance->meeting_id),
                                                         DOCKET_SQLITE_TEXT (attendance->username),
                                                         DOCKET_SQLITE_TEXT (docket_presence_to_string (attendance->presence)),
                                                         DOCKET_SQLITE_TEXT (since),
                                                         DOCKET_SQLITE_INT (attendance->version)));

  return docket_store_step (self, stmt, error);
}

gboolean
docket_store_upsert_speech_locked (DocketStore               *self,
                                   const DocketSpeechRecord  *speech,
                                   GError                   **error)
{
  g_autofree char *requested_at = NULL;
  g_autofree char *started_at = format_optional_time (speech->started_at);
  g_autofree char *ended_at = format_optional_time (speech->ended_at);
  g_autoptr(DocketSqliteCachedStmt) stmt = NULL;

  if (speech->requested_at == NULL)
    {
      g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_INVALID,
                   _("A request for the floor without its time."));
      return FALSE;
    }
  requested_at = docket_protocol_format_time (speech->requested_at);

  stmt = docket_store_prepare_cached (self,
                                      "INSERT INTO speeches (id, meeting_id, username, state, number,"
                                      "  requested_at, started_at, ended_at, limit_seconds, version)"
                                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
                                      " ON CONFLICT (id) DO UPDATE SET"
                                      "  meeting_id = excluded.meeting_id, username = excluded.username,"
                                      "  state = excluded.state, number = excluded.number,"
                                      "  requested_at = excluded.requested_at, started_at = excluded.started_at,"
                                      "  ended_at = excluded.ended_at, limit_seconds = excluded.limit_seconds,"
                                      "  version = excluded.version",
                                      error);
  if (stmt == NULL)
    return FALSE;

  docket_sqlite_bind_values (stmt, DOCKET_SQLITE_VALUES (DOCKET_SQLITE_TEXT (speech->id),
                                                         DOCKET_SQLITE_TEXT (speech->meeting_id),
                                                         DOCKET_SQLITE_TEXT (speech->username),
                                                         DOCKET_SQLITE_TEXT (docket_speech_state_to_string (speech->state)),
                                                         DOCKET_SQLITE_INT (speech->number),
                                                         DOCKET_SQLITE_TEXT (requested_at),
                                                         DOCKET_SQLITE_TEXT (started_at),
                                                         DOCKET_SQLITE_TEXT (ended_at),
                                                         DOCKET_SQLITE_INT (speech->limit_seconds),
                                                         DOCKET_SQLITE_INT (speech->version)));

  return docket_store_step (self, stmt, error);
}

/* Reading them back */

/* A time column: NULL for SQL NULL; FALSE when it holds something that is not a time
 * (a damaged cache: every time was checked when it was written). */
static gboolean
read_optional_time (sqlite3_stmt  *stmt,
                    int            column,
                    GDateTime    **out_time)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  *out_time = NULL;
  if (text == NULL)
    return TRUE;
  *out_time = docket_protocol_parse_time (text, NULL);
  return *out_time != NULL;
}

static void
set_damaged_error (GError     **error,
                   const char  *sentence)
{
  g_set_error_literal (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_CORRUPT, sentence);
}

/* The words of a later protocol were stored as "unknown", which reads back as UNKNOWN;
 * anything else that is not a word of ours reads the same way. */
static DocketMeetingPhase
read_phase (sqlite3_stmt *stmt,
            int           column)
{
  DocketMeetingPhase phase;

  if (!docket_meeting_phase_from_string ((const char *) sqlite3_column_text (stmt, column), &phase))
    phase = DOCKET_MEETING_PHASE_UNKNOWN;
  return phase;
}

static DocketPresence
read_presence (sqlite3_stmt *stmt,
               int           column)
{
  DocketPresence presence;

  if (!docket_presence_from_string ((const char *) sqlite3_column_text (stmt, column), &presence))
    presence = DOCKET_PRESENCE_UNKNOWN;
  return presence;
}

static DocketSpeechState
read_speech_state (sqlite3_stmt *stmt,
                   int           column)
{
  DocketSpeechState state;

  if (!docket_speech_state_from_string ((const char *) sqlite3_column_text (stmt, column), &state))
    state = DOCKET_SPEECH_UNKNOWN;
  return state;
}

/* A DocketStoreRowReader: the state of "meeting_id, phase, started_at, ended_at,
 * current_item_id, presented_document_id, presented_page, speech_limit_seconds, version". */
static gpointer
read_meeting_state (DocketStore   *self,
                    sqlite3_stmt  *stmt,
                    gpointer       unused,
                    GError       **error)
{
  g_autoptr(DocketMeetingStateRecord) state = docket_meeting_state_record_new ();

  state->meeting_id = docket_sqlite_column_dup (stmt, 0);
  state->phase = read_phase (stmt, 1);
  state->current_item_id = docket_sqlite_column_dup (stmt, 4);
  state->presented_document_id = docket_sqlite_column_dup (stmt, 5);
  state->presented_page = sqlite3_column_int (stmt, 6);
  state->speech_limit_seconds = sqlite3_column_int (stmt, 7);
  state->version = sqlite3_column_int64 (stmt, 8);
  if (!read_optional_time (stmt, 2, &state->started_at) ||
      !read_optional_time (stmt, 3, &state->ended_at))
    {
      set_damaged_error (error, _("The offline cache holds a damaged meeting state."));
      return NULL;
    }

  return g_steal_pointer (&state);
}

/* A DocketStoreRowReader: "id, meeting_id, username, presence, since, version". */
static gpointer
read_attendance (DocketStore   *self,
                 sqlite3_stmt  *stmt,
                 gpointer       unused,
                 GError       **error)
{
  g_autoptr(DocketAttendanceRecord) attendance = docket_attendance_record_new ();

  attendance->id = docket_sqlite_column_dup (stmt, 0);
  attendance->meeting_id = docket_sqlite_column_dup (stmt, 1);
  attendance->username = docket_sqlite_column_dup (stmt, 2);
  attendance->presence = read_presence (stmt, 3);
  attendance->version = sqlite3_column_int64 (stmt, 5);
  if (!read_optional_time (stmt, 4, &attendance->since) || attendance->since == NULL)
    {
      set_damaged_error (error, _("The offline cache holds a damaged attendance."));
      return NULL;
    }

  return g_steal_pointer (&attendance);
}

/* A DocketStoreRowReader: "id, meeting_id, username, state, number, requested_at,
 * started_at, ended_at, limit_seconds, version". */
static gpointer
read_speech (DocketStore   *self,
             sqlite3_stmt  *stmt,
             gpointer       unused,
             GError       **error)
{
  g_autoptr(DocketSpeechRecord) speech = docket_speech_record_new ();

  speech->id = docket_sqlite_column_dup (stmt, 0);
  speech->meeting_id = docket_sqlite_column_dup (stmt, 1);
  speech->username = docket_sqlite_column_dup (stmt, 2);
  speech->state = read_speech_state (stmt, 3);
  speech->number = sqlite3_column_int64 (stmt, 4);
  speech->limit_seconds = sqlite3_column_int (stmt, 8);
  speech->version = sqlite3_column_int64 (stmt, 9);
  if (!read_optional_time (stmt, 5, &speech->requested_at) || speech->requested_at == NULL ||
      !read_optional_time (stmt, 6, &speech->started_at) ||
      !read_optional_time (stmt, 7, &speech->ended_at))
    {
      set_damaged_error (error, _("The offline cache holds a damaged request for the floor."));
      return NULL;
    }

  return g_steal_pointer (&speech);
}

/* A DocketStoreRowReader: a participant of DOCKET_PARTICIPANT_ROW_COLUMNS, then its
 * meeting_role (read here, whatever the shared columns hold). */
static gpointer
read_participant (DocketStore   *self,
                  sqlite3_stmt  *stmt,
                  gpointer       unused,
                  GError       **error)
{
  DocketParticipant *participant = docket_participant_from_row (stmt);

  if (!docket_meeting_role_from_string ((const char *) sqlite3_column_text (stmt, DOCKET_PARTICIPANT_ROW_N_COLUMNS),
                                        &participant->meeting_role))
    participant->meeting_role = DOCKET_MEETING_ROLE_UNKNOWN;
  return participant;
}

/* By display name as the user's language sorts it, then by user name. */
static int
compare_participants (gconstpointer a,
                      gconstpointer b)
{
  const DocketParticipant *pa = *(DocketParticipant * const *) a;
  const DocketParticipant *pb = *(DocketParticipant * const *) b;
  int order = g_utf8_collate (pa->display_name != NULL ? pa->display_name : "",
                              pb->display_name != NULL ? pb->display_name : "");

  return order != 0 ? order : g_strcmp0 (pa->username, pb->username);
}

void
docket_store_meeting_live_free (DocketStoreMeetingLive *live)
{
  if (live == NULL)
    return;

  g_free (live->meeting_id);
  g_clear_pointer (&live->state, docket_meeting_state_record_free);
  g_clear_pointer (&live->participants, g_ptr_array_unref);
  g_clear_pointer (&live->attendance, g_ptr_array_unref);
  g_clear_pointer (&live->speeches, g_ptr_array_unref);
  g_free (live);
}

/* The meeting's quorum rule; FALSE without error when the meeting is not in the cache. */
static gboolean
read_quorum_locked (DocketStore       *self,
                    const char        *meeting_id,
                    DocketQuorumRule  *out_quorum,
                    GError           **error)
{
  g_autofree char *quorum = NULL;
  g_autoptr(GError) local_error = NULL;

  quorum = docket_store_collect_row_locked (self,
                                            docket_store_prepare_with (self,
                                                                       "SELECT quorum FROM meetings WHERE id = ?1",
                                                                       &local_error, DOCKET_SQLITE_TEXT (meeting_id)),
                                            docket_store_read_text, NULL, "meetings", &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (quorum == NULL)
    return FALSE;

  if (!docket_quorum_rule_from_string (quorum, out_quorum))
    *out_quorum = DOCKET_QUORUM_UNKNOWN;
  return TRUE;
}

/* The rows of sql, its ?1 bound to meeting_id; under the lock. */
static GPtrArray *
read_meeting_rows_locked (DocketStore           *self,
                          const char            *sql,
                          const char            *meeting_id,
                          DocketStoreRowReader   read,
                          GDestroyNotify         free_row,
                          const char            *what,
                          GError               **error)
{
  return docket_store_collect_rows_locked (self,
                                           docket_store_prepare_with (self, sql, error,
                                                                      DOCKET_SQLITE_TEXT (meeting_id)),
                                           read, NULL, free_row, what, error);
}

/* One read under the lock, so that the state, the attendance and the speeches are of
 * the same commit. */
static DocketStoreMeetingLive *
load_meeting_live_locked (DocketStore  *self,
                          const char   *meeting_id,
                          GError      **error)
{
  g_autoptr(DocketStoreMeetingLive) live = g_new0 (DocketStoreMeetingLive, 1);
  g_autoptr(GError) local_error = NULL;

  live->meeting_id = g_strdup (meeting_id);
  if (!read_quorum_locked (self, meeting_id, &live->quorum, &local_error))
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  live->state = docket_store_collect_row_locked (self,
                                                 docket_store_prepare_with (self,
                                                                            "SELECT meeting_id, phase, started_at, ended_at,"
                                                                            " current_item_id, presented_document_id, presented_page,"
                                                                            " speech_limit_seconds, version"
                                                                            " FROM meeting_states WHERE meeting_id = ?1",
                                                                            &local_error, DOCKET_SQLITE_TEXT (meeting_id)),
                                                 read_meeting_state, NULL, "meeting_states", &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  /* A meeting whose state never changed has none in the feed: it has not started. */
  if (live->state == NULL)
    {
      live->state = docket_meeting_state_record_new ();
      live->state->meeting_id = g_strdup (meeting_id);
      live->state->phase = DOCKET_MEETING_PHASE_NOT_STARTED;
    }

  live->participants = read_meeting_rows_locked (self,
                                                 "SELECT " DOCKET_PARTICIPANT_ROW_COLUMNS ", meeting_role"
                                                 " FROM participants WHERE meeting_id = ?1",
                                                 meeting_id, read_participant,
                                                 (GDestroyNotify) docket_participant_free,
                                                 "participants", error);
  if (live->participants == NULL)
    return NULL;
  g_ptr_array_sort (live->participants, compare_participants);

  live->attendance = read_meeting_rows_locked (self,
                                               "SELECT id, meeting_id, username, presence, since, version"
                                               " FROM attendance WHERE meeting_id = ?1 ORDER BY username, id",
                                               meeting_id, read_attendance,
                                               (GDestroyNotify) docket_attendance_record_free,
                                               "attendance", error);
  if (live->attendance == NULL)
    return NULL;

  live->speeches = read_meeting_rows_locked (self,
                                             "SELECT id, meeting_id, username, state, number, requested_at,"
                                             " started_at, ended_at, limit_seconds, version"
                                             " FROM speeches WHERE meeting_id = ?1 ORDER BY number, id",
                                             meeting_id, read_speech,
                                             (GDestroyNotify) docket_speech_record_free,
                                             "speeches", error);
  if (live->speeches == NULL)
    return NULL;

  return g_steal_pointer (&live);
}

DocketStoreMeetingLive *
docket_store_load_meeting_live (DocketStore  *self,
                                const char   *meeting_id,
                                GError      **error)
{
  DocketStoreMeetingLive *live;

  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);
  g_return_val_if_fail (meeting_id != NULL, NULL);

  docket_store_lock (self);
  live = load_meeting_live_locked (self, meeting_id, error);
  docket_store_unlock (self);

  return live;
}

static gpointer
load_meeting_live_job (DocketStore  *self,
                       gpointer      data,
                       GError      **error)
{
  return docket_store_load_meeting_live (self, data, error);
}

void
docket_store_load_meeting_live_async (DocketStore         *self,
                                      const char          *meeting_id,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (DOCKET_IS_STORE (self));
  g_return_if_fail (meeting_id != NULL);

  docket_store_run_read_in_thread (self, load_meeting_live_job, g_strdup (meeting_id), g_free,
                                   (GDestroyNotify) docket_store_meeting_live_free,
                                   docket_store_load_meeting_live_async,
                                   cancellable, callback, user_data);
}

DocketStoreMeetingLive *
docket_store_load_meeting_live_finish (DocketStore   *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return docket_store_run_finish (self, result, docket_store_load_meeting_live_async, error);
}
