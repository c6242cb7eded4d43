/* docket-server-db-feed-live.c: a meeting's live records in the change feed (docs/protocol.md,
 * "A meeting's live records" under the change feed, and "How the reference server computes
 * it")
 *
 * The meeting state, the attendance and the speeches of a meeting go to everyone who sees
 * the meeting, as its agenda items do: whole when the meeting becomes visible (step 1),
 * each when it changes (step 2, read through the version index of each table so that an
 * unchanged sync reads none of them). They carry no deletions of their own: they go with
 * their meeting, which a client removes with everything in it.
 */
#include "config.h"

#include "docket-server-db-feed-private.h"

/* Reading the rows: the readers and columns docket-server-db-live.c writes them with
 * (docket-server-db-private.h), as the feed calls them. */

typedef gpointer (*LiveRowReader) (sqlite3_stmt  *stmt,
                                   GError       **error);

static gpointer
read_state (sqlite3_stmt  *stmt,
            GError       **error)
{
  return docket_server_db_meeting_state_from_row (stmt, error);
}

static gpointer
read_attendance (sqlite3_stmt  *stmt,
                 GError       **error)
{
  return docket_server_db_attendance_from_row (stmt, error);
}

static gpointer
read_speech (sqlite3_stmt  *stmt,
             GError       **error)
{
  return docket_server_db_speech_from_row (stmt, error);
}

/* What the feed needs of a live record, whatever its type. */
typedef struct {
  DocketChangeType  type;
  LiveRowReader     read;
} LiveTable;

static const LiveTable state_table = { DOCKET_CHANGE_MEETING_STATE, read_state };
static const LiveTable attendance_table = { DOCKET_CHANGE_ATTENDANCE, read_attendance };
static const LiveTable speech_table = { DOCKET_CHANGE_SPEECH, read_speech };

const char *
docket_server_db_feed_live_meeting_id (const DocketChange *change)
{
  if (change->deleted || change->record == NULL)
    return NULL;
  switch ((int) change->type)
    {
    case DOCKET_CHANGE_MEETING_STATE:
      return ((const DocketMeetingStateRecord *) change->record)->meeting_id;
    case DOCKET_CHANGE_ATTENDANCE:
      return ((const DocketAttendanceRecord *) change->record)->meeting_id;
    case DOCKET_CHANGE_SPEECH:
      return ((const DocketSpeechRecord *) change->record)->meeting_id;
    default:
      return NULL;
    }
}

/* The id and version of a live record, as the feed files it (a meeting state has its
 * meeting's id). */
static void
live_record_key (DocketChangeType   type,
                 gconstpointer      record,
                 const char       **out_id,
                 gint64            *out_version)
{
  switch ((int) type)
    {
    case DOCKET_CHANGE_MEETING_STATE:
      *out_id = ((const DocketMeetingStateRecord *) record)->meeting_id;
      *out_version = ((const DocketMeetingStateRecord *) record)->version;
      break;
    case DOCKET_CHANGE_ATTENDANCE:
      *out_id = ((const DocketAttendanceRecord *) record)->id;
      *out_version = ((const DocketAttendanceRecord *) record)->version;
      break;
    case DOCKET_CHANGE_SPEECH:
      *out_id = ((const DocketSpeechRecord *) record)->id;
      *out_version = ((const DocketSpeechRecord *) record)->version;
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Step 1: a meeting that became visible at seq comes whole. */

typedef struct {
  Feed            *feed;
  const LiveTable *table;
  gint64           seq;       /* step 1: the access row's number; step 2: 0 */
} LiveWalk;

/* Step 1's rows: each at the access row's number, or at its own version if later, so that
 * a later page does not send it again. */
static gboolean
add_row_of_visible_meeting (sqlite3_stmt  *stmt,
                            gpointer       user_data,
                            GError       **error)
{
  LiveWalk *walk = user_data;
  gpointer record = walk->table->read (stmt, error);
  const char *id;
  gint64 version;

  if (record == NULL)
    return FALSE;
  live_record_key (walk->table->type, record, &id, &version);
  docket_server_db_feed_add (walk->feed, MAX (walk->seq, version), walk->table->type, id, record);
  return TRUE;
}

static gboolean
add_rows_of_meeting (Feed             *feed,
                     const LiveTable  *table,
                     const char       *sql,
                     const char       *meeting_id,
                     gint64            seq,
                     GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  LiveWalk walk = { feed, table, seq };

  stmt = docket_server_db_prepare_with (feed->db, sql, error, DOCKET_SERVER_DB_TEXT (meeting_id));
  return docket_server_db_each_row (feed->db, stmt, add_row_of_visible_meeting, &walk, error);
}

gboolean
docket_server_db_feed_add_whole_live (Feed        *feed,
                                      const char  *meeting_id,
                                      gint64       seq,
                                      GError     **error)
{
  /* By meeting: the primary key of meeting_states, and the indexes that begin with
   * meeting_id (attendance's UNIQUE, speeches_meeting). */
  return add_rows_of_meeting (feed, &state_table,
                              "SELECT " DOCKET_SERVER_MEETING_STATE_COLUMNS " FROM meeting_states s"
                              " WHERE s.meeting_id = ?",
                              meeting_id, seq, error) &&
         add_rows_of_meeting (feed, &attendance_table,
                              "SELECT " DOCKET_SERVER_ATTENDANCE_COLUMNS " FROM attendance a"
                              " JOIN users u ON u.id = a.user_id WHERE a.meeting_id = ?",
                              meeting_id, seq, error) &&
         add_rows_of_meeting (feed, &speech_table,
                              "SELECT " DOCKET_SERVER_SPEECH_COLUMNS " FROM speeches sp"
                              " JOIN users u ON u.id = sp.user_id WHERE sp.meeting_id = ?",
                              meeting_id, seq, error);
}

/* Step 2: the live records whose version is in the window, of the meetings the user
 * follows, each at its version. */

static gboolean
add_changed_live_row (sqlite3_stmt  *stmt,
                      gpointer       user_data,
                      GError       **error)
{
  LiveWalk *walk = user_data;
  g_autoptr(DocketChange) change = NULL;
  gpointer record;
  const char *id;
  gint64 version;
  gboolean follows;

  record = walk->table->read (stmt, error);
  if (record == NULL)
    return FALSE;
  /* Owned by a change from here on, which frees it whatever happens. */
  live_record_key (walk->table->type, record, &id, &version);
  change = docket_change_new (walk->table->type, id, FALSE, record);

  if (!docket_server_db_feed_follows (walk->feed, docket_server_db_feed_live_meeting_id (change),
                                      &follows, error))
    return FALSE;
  if (follows)
    {
      FeedEntry entry = { version, g_steal_pointer (&change) };

      g_array_append_val (walk->feed->entries, entry);
    }
  return TRUE;
}

static gboolean
add_changed_rows (Feed             *feed,
                  const LiveTable  *table,
                  const char       *sql,
                  GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  LiveWalk walk = { feed, table, 0 };

  stmt = docket_server_db_prepare_with (feed->db, sql, error,
                                        DOCKET_SERVER_DB_INT (feed->since),
                                        DOCKET_SERVER_DB_INT (feed->top));
  return docket_server_db_each_row (feed->db, stmt, add_changed_live_row, &walk, error);
}

gboolean
docket_server_db_feed_add_live_changes (Feed    *feed,
                                        GError **error)
{
  /* Each through its index on version (meeting_states_version, attendance_version,
   * speeches_version: migration 4 of docket-server-db-schema.c). */
  return add_changed_rows (feed, &state_table,
                           "SELECT " DOCKET_SERVER_MEETING_STATE_COLUMNS " FROM meeting_states s"
                           " WHERE s.version > ?1 AND s.version <= ?2", error) &&
         add_changed_rows (feed, &attendance_table,
                           "SELECT " DOCKET_SERVER_ATTENDANCE_COLUMNS " FROM attendance a"
                           " JOIN users u ON u.id = a.user_id"
                           " WHERE a.version > ?1 AND a.version <= ?2", error) &&
         add_changed_rows (feed, &speech_table,
                           "SELECT " DOCKET_SERVER_SPEECH_COLUMNS " FROM speeches sp"
                           " JOIN users u ON u.id = sp.user_id"
                           " WHERE sp.version > ?1 AND sp.version <= ?2", error);
}
