/* docket-server-db-channel.c: what the live channel's fan-out reads (docs/protocol.md, "The
 * live channel"; docket-server-live.c sends it)
 *
 * The fan-out is fed by the sequence of committed changes, not by the requests that
 * made them: it reads the rows numbered in a window (since, top] as the change feed
 * does (docket-server-db-feed.c), through the same indexes on the sequence columns, so
 * that a write of another process reaches connected clients too. It asks only two
 * questions of a window: which meetings changed (their audience is computed once per
 * meeting, with the one rule of who sees what, docket_server_user_sees ()), and which
 * of the connected users had rows of their own changed (their access to a meeting,
 * their annotations and notes). Every statement here runs once per window, whatever the
 * number of connections: the connected users and tokens go in as one JSON array.
 */
#include "config.h"

#include "docket-server-db-private.h"

void
docket_server_meeting_audience_free (DocketServerMeetingAudience *audience)
{
  if (audience == NULL)
    return;
  g_free (audience->organ);
  g_clear_pointer (&audience->participants, g_hash_table_unref);
  g_free (audience);
}

/* The meetings with a row numbered in the window: the meeting itself, its agenda items
 * and documents, the tombstones of those, and its live records. */
static const char changed_meetings_sql[] =
  "SELECT id FROM meetings WHERE version > ?1 AND version <= ?2"
  " UNION SELECT meeting_id FROM items WHERE version > ?1 AND version <= ?2"
  " UNION SELECT meeting_id FROM documents WHERE version > ?1 AND version <= ?2"
  " UNION SELECT meeting_id FROM tombstones WHERE seq > ?1 AND seq <= ?2"
  " UNION SELECT meeting_id FROM meeting_states WHERE version > ?1 AND version <= ?2"
  " UNION SELECT meeting_id FROM attendance WHERE version > ?1 AND version <= ?2"
  " UNION SELECT meeting_id FROM speeches WHERE version > ?1 AND version <= ?2";

/* Of the users in ?3 (a JSON array of ids), those with a row of their own in the
 * window: a change of what they see (access), their annotations and notes. Each is an
 * index lookup per user ((user, sequence) indexes), not a scan of the table. */
static const char changed_users_sql[] =
  "SELECT j.value FROM json_each (?3) j WHERE"
  " EXISTS (SELECT 1 FROM access a WHERE a.user_id = j.value AND a.seq > ?1 AND a.seq <= ?2)"
  " OR EXISTS (SELECT 1 FROM annotations n WHERE n.owner_id = j.value"
  "            AND n.revision > ?1 AND n.revision <= ?2)"
  " OR EXISTS (SELECT 1 FROM notes n WHERE n.owner_id = j.value"
  "            AND n.revision > ?1 AND n.revision <= ?2)";

static gboolean
add_text_to_set (sqlite3_stmt  *stmt,
                 gpointer       set,
                 GError       **error)
{
  const char *text = (const char *) sqlite3_column_text (stmt, 0);

  if (text != NULL)
    g_hash_table_add (set, g_strdup (text));
  return TRUE;
}

static gboolean
add_int_to_set (sqlite3_stmt  *stmt,
                gpointer       set,
                GError       **error)
{
  gint64 *id = g_new (gint64, 1);

  *id = sqlite3_column_int64 (stmt, 0);
  g_hash_table_add (set, id);
  return TRUE;
}

gboolean
docket_server_db_live_window (DocketServerDb  *self,
                              gint64           since,
                              gint64           top,
                              const char      *user_ids_json,
                              GHashTable      *out_meetings,
                              GHashTable      *out_users,
                              GError         **error)
{
  g_autoptr(sqlite3_stmt) meetings = NULL;
  g_autoptr(sqlite3_stmt) users = NULL;

  meetings = docket_server_db_prepare_with (self, changed_meetings_sql, error,
                                            DOCKET_SERVER_DB_INT (since),
                                            DOCKET_SERVER_DB_INT (top));
  if (!docket_server_db_each_row (self, meetings, add_text_to_set, out_meetings, error))
    return FALSE;
  users = docket_server_db_prepare_with (self, changed_users_sql, error,
                                         DOCKET_SERVER_DB_INT (since),
                                         DOCKET_SERVER_DB_INT (top),
                                         DOCKET_SERVER_DB_TEXT (user_ids_json));
  return docket_server_db_each_row (self, users, add_int_to_set, out_users, error);
}

static gpointer
audience_from_row (sqlite3_stmt  *stmt,
                   gpointer       unused,
                   GError       **error)
{
  DocketServerMeetingAudience *audience = g_new0 (DocketServerMeetingAudience, 1);

  audience->organ = docket_sqlite_column_dup (stmt, 0);
  audience->draft = sqlite3_column_int (stmt, 1) != 0;
  audience->participants = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  return audience;
}

DocketServerMeetingAudience *
docket_server_db_meeting_audience (DocketServerDb  *self,
                                   const char      *meeting_id,
                                   GError         **error)
{
  g_autoptr(sqlite3_stmt) meeting = NULL;
  g_autoptr(sqlite3_stmt) participants = NULL;
  g_autoptr(DocketServerMeetingAudience) audience = NULL;
  g_autoptr(GError) local_error = NULL;

  meeting = docket_server_db_prepare_with (self,
                                           "SELECT organ, status = 'draft' FROM meetings"
                                           " WHERE id = ?", error,
                                           DOCKET_SERVER_DB_TEXT (meeting_id));
  if (meeting == NULL)
    return NULL;
  audience = docket_server_db_read_row (meeting, audience_from_row, &local_error);
  if (audience == NULL)
    {
      /* Deleted since: who saw it learns so from their access rows. */
      if (!g_error_matches (local_error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_NOT_FOUND))
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  participants = docket_server_db_prepare_with (self,
                                                "SELECT user_id FROM participants"
                                                " WHERE meeting_id = ?", error,
                                                DOCKET_SERVER_DB_TEXT (meeting_id));
  if (!docket_server_db_each_row (self, participants, add_int_to_set, audience->participants,
                                  error))
    return NULL;
  return g_steal_pointer (&audience);
}

gboolean
docket_server_db_dead_tokens (DocketServerDb  *self,
                              const char      *token_hashes_json,
                              gint64           now,
                              GHashTable      *out_dead,
                              GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  /* The same test as docket_server_db_user_for_token: what it refuses is dead. */
  stmt = docket_server_db_prepare_with (self,
                                        "SELECT j.value FROM json_each (?1) j WHERE NOT EXISTS"
                                        " (SELECT 1 FROM tokens t JOIN users u ON u.id = t.user_id"
                                        "  WHERE t.hash = j.value AND t.expires_at > ?2"
                                        "  AND u.disabled = 0)", error,
                                        DOCKET_SERVER_DB_TEXT (token_hashes_json),
                                        DOCKET_SERVER_DB_INT (now));
  return docket_server_db_each_row (self, stmt, add_text_to_set, out_dead, error);
}

gint64
docket_server_db_data_version (DocketServerDb  *self,
                               GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = docket_server_db_prepare (self, "PRAGMA data_version", error);
  int rc;

  if (stmt == NULL)
    return -1;
  if ((rc = sqlite3_step (stmt)) != SQLITE_ROW)
    {
      docket_sqlite_set_error (error, docket_server_db_get_handle (self), rc,
                               "PRAGMA data_version");
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}
