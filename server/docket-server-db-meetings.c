/* docket-server-db-meetings.c: the writes of secretaries — meetings, participants, agenda
 * items and documents — each in one transaction under one new sequence number, leaving
 * the tombstones and access rows the change feed needs (docs/protocol.md)
 */
#include "config.h"

#include <glib/gi18n.h>

#include "docket-server-db-private.h"

static gboolean
invalid_field (GError     **error,
               const char  *field,
               const char  *why)
{
  g_set_error (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_INVALID_FIELD,
               "%s: %s", field, why);
  return FALSE;
}

static gboolean
too_large (GError     **error,
           const char  *message)
{
  g_set_error_literal (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_TOO_LARGE, message);
  return FALSE;
}

/* What the server is about to store must pass the checks of the clients' readers
 * (docket_*_record_validate ()): a client that refuses a change stops its sync there, so
 * the write is refused instead, with the reader's words, which name the field. */
static gboolean
refuse_unreadable (GError  *reader_error,
                   GError **error)
{
  g_autoptr(GError) owned = reader_error;

  g_set_error_literal (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_INVALID_FIELD,
                       owned->message);
  return FALSE;
}

static gboolean
meeting_is_readable (const DocketMeetingRecord  *record,
                     GError                    **error)
{
  GError *reader_error = NULL;

  return docket_meeting_record_validate (record, &reader_error) ||
         refuse_unreadable (reader_error, error);
}

static gboolean
item_is_readable (const DocketAgendaItemRecord  *record,
                  GError                       **error)
{
  GError *reader_error = NULL;

  return docket_agenda_item_record_validate (record, &reader_error) ||
         refuse_unreadable (reader_error, error);
}

static gboolean
document_is_readable (const DocketDocumentRecord  *record,
                      GError                     **error)
{
  GError *reader_error = NULL;

  return docket_document_record_validate (record, &reader_error) ||
         refuse_unreadable (reader_error, error);
}

#define TEXT(s) DOCKET_SERVER_DB_TEXT (s)
#define INT(n)  DOCKET_SERVER_DB_INT (n)

static gboolean
add_viewer (sqlite3_stmt  *stmt,
            gpointer       viewers,
            GError       **error)
{
  g_hash_table_add (viewers, GSIZE_TO_POINTER ((gsize) sqlite3_column_int64 (stmt, 0)));
  return TRUE;
}

/* The ids of the users who see a meeting now (none if it does not exist). Disabled users
 * see nothing. */
static GHashTable *
meeting_viewers (DocketServerDb  *self,
                 const char      *meeting_id,
                 GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GHashTable) viewers = g_hash_table_new (g_direct_hash, g_direct_equal);

  stmt = docket_server_db_prepare_with (self,
                                        "SELECT u.id FROM users u, meetings m WHERE m.id = ?1"
                                        " AND u.disabled = 0 AND (u.role = 'admin'"
                                        "  OR (u.role = 'secretary' AND u.organ = m.organ)"
                                        "  OR (m.status != 'draft' AND EXISTS (SELECT 1 FROM"
                                        "   participants p WHERE p.meeting_id = m.id"
                                        "   AND p.user_id = u.id)))", error,
                                        TEXT (meeting_id));
  if (!docket_server_db_each_row (self, stmt, add_viewer, viewers, error))
    return NULL;
  return g_steal_pointer (&viewers);
}

static gboolean
insert_access (DocketServerDb  *self,
               gint64           seq,
               gsize            user_id,
               const char      *meeting_id,
               gboolean         visible,
               GError         **error)
{
  return docket_server_db_run (self,
                               "INSERT INTO access (seq, user_id, meeting_id, visible)"
                               " VALUES (?, ?, ?, ?)", error,
                               INT (seq), INT ((gint64) user_id), TEXT (meeting_id),
                               INT (visible));
}

/* One access row for each user whose view of the meeting changed between before and
 * after. */
static gboolean
record_access_changes (DocketServerDb  *self,
                       gint64           seq,
                       const char      *meeting_id,
                       GHashTable      *before,
                       GHashTable      *after,
                       GError         **error)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, before);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (after, key) &&
        !insert_access (self, seq, GPOINTER_TO_SIZE (key), meeting_id, FALSE, error))
      return FALSE;

  g_hash_table_iter_init (&iter, after);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (before, key) &&
        !insert_access (self, seq, GPOINTER_TO_SIZE (key), meeting_id, TRUE, error))
      return FALSE;

  return TRUE;
}

/* After a write to a meeting: access rows for everyone who gained or lost it since before
 * (the viewers read before the write). */
static gboolean
record_viewer_changes (DocketServerDb  *self,
                       gint64           seq,
                       const char      *meeting_id,
                       GHashTable      *before,
                       GError         **error)
{
  g_autoptr(GHashTable) after = meeting_viewers (self, meeting_id, error);

  return after != NULL && record_access_changes (self, seq, meeting_id, before, after, error);
}

/* Meetings */

static gboolean
check_times (GDateTime  *starts_at,
             GDateTime  *ends_at,
             GError    **error)
{
  if (g_date_time_compare (ends_at, starts_at) < 0)
    return invalid_field (error, "ends_at", _("before starts_at"));
  return TRUE;
}

/* Writes record's fields into its row (new, or replaced), at version seq. */
static gboolean
store_meeting (DocketServerDb             *self,
               const DocketMeetingRecord  *record,
               gboolean                    is_new,
               gint64                      seq,
               GError                    **error)
{
  g_autofree char *starts_at = docket_protocol_format_time (record->starts_at);
  g_autofree char *ends_at = docket_protocol_format_time (record->ends_at);

  if (is_new)
    return docket_server_db_run (self,
                                 "INSERT INTO meetings (id, title, organ, starts_at,"
                                 " ends_at, time_zone, location, status, quorum, version)"
                                 " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error,
                                 TEXT (record->id), TEXT (record->title), TEXT (record->organ),
                                 TEXT (starts_at), TEXT (ends_at), TEXT (record->time_zone),
                                 TEXT (record->location),
                                 TEXT (docket_meeting_status_to_string (record->status)),
                                 TEXT (docket_quorum_rule_to_string (record->quorum)),
                                 INT (seq));
  return docket_server_db_run (self,
                               "UPDATE meetings SET title = ?, starts_at = ?,"
                               " ends_at = ?, time_zone = ?, location = ?, status = ?,"
                               " quorum = ?, version = ? WHERE id = ?", error,
                               TEXT (record->title), TEXT (starts_at), TEXT (ends_at),
                               TEXT (record->time_zone), TEXT (record->location),
                               TEXT (docket_meeting_status_to_string (record->status)),
                               TEXT (docket_quorum_rule_to_string (record->quorum)),
                               INT (seq), TEXT (record->id));
}

static void
replace_text (char       **text,
              const char  *value)
{
  g_free (*text);
  *text = g_strdup (value);
}

/* Puts the fields given onto record. */
static void
apply_meeting_fields (DocketMeetingRecord             *record,
                      const DocketServerMeetingFields *fields)
{
  if (fields->title != NULL)
    replace_text (&record->title, fields->title);
  if (fields->starts_at != NULL)
    {
      g_clear_pointer (&record->starts_at, g_date_time_unref);
      record->starts_at = g_date_time_ref (fields->starts_at);
    }
  if (fields->ends_at != NULL)
    {
      g_clear_pointer (&record->ends_at, g_date_time_unref);
      record->ends_at = g_date_time_ref (fields->ends_at);
    }
  if (fields->time_zone != NULL)
    replace_text (&record->time_zone, fields->time_zone);
  if (fields->location != NULL)
    replace_text (&record->location, fields->location);
  if (fields->has_status)
    record->status = fields->status;
  if (fields->has_quorum)
    record->quorum = fields->quorum;
}

DocketMeetingRecord *
docket_server_db_create_meeting (DocketServerDb                  *self,
                                 const DocketServerUser          *user,
                                 const DocketServerMeetingFields *fields,
                                 GError                         **error)
{
  g_autoptr(GHashTable) before = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr(DocketMeetingRecord) record = docket_meeting_record_new ();
  const char *organ;
  gint64 seq;

  if (fields->title == NULL)
    return invalid_field (error, "title", _("missing")), NULL;
  if (fields->starts_at == NULL)
    return invalid_field (error, "starts_at", _("missing")), NULL;
  if (fields->ends_at == NULL)
    return invalid_field (error, "ends_at", _("missing")), NULL;
  if (fields->time_zone == NULL)
    return invalid_field (error, "time_zone", _("missing")), NULL;
  if (!check_times (fields->starts_at, fields->ends_at, error))
    return NULL;

  organ = fields->organ ? fields->organ : user->organ;
  if (user->role != DOCKET_ROLE_ADMIN && g_strcmp0 (organ, user->organ) != 0)
    {
      g_set_error_literal (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_FORBIDDEN,
                           _("A secretary may create meetings of their own organ only"));
      return NULL;
    }
  if (organ == NULL || *organ == '\0')
    return invalid_field (error, "organ", _("missing")), NULL;

  record->id = docket_server_db_new_id ('m');
  record->organ = g_strdup (organ);
  record->location = g_strdup ("");
  record->status = DOCKET_MEETING_STATUS_DRAFT;
  apply_meeting_fields (record, fields);
  if (!meeting_is_readable (record, error))
    return NULL;

  if (!docket_server_db_begin_change (self, &seq, error) ||
      !docket_server_db_end_change (self,
                   store_meeting (self, record, TRUE, seq, error) &&
                   record_viewer_changes (self, seq, record->id, before, error),
                   error))
    return NULL;
  return docket_server_db_load_meeting (self, record->id, error);
}

DocketMeetingRecord *
docket_server_db_update_meeting (DocketServerDb                  *self,
                                 const char                      *meeting_id,
                                 const DocketServerMeetingFields *fields,
                                 GError                         **error)
{
  g_autoptr(DocketMeetingRecord) record = NULL;
  g_autoptr(GHashTable) before = NULL;
  gint64 seq;

  record = docket_server_db_load_meeting (self, meeting_id, error);
  if (record == NULL)
    return NULL;
  apply_meeting_fields (record, fields);
  if (!check_times (record->starts_at, record->ends_at, error) ||
      !meeting_is_readable (record, error))
    return NULL;

  if (!docket_server_db_begin_change (self, &seq, error) ||
      !docket_server_db_end_change (self,
                   (before = meeting_viewers (self, meeting_id, error)) != NULL &&
                   store_meeting (self, record, FALSE, seq, error) &&
                   record_viewer_changes (self, seq, meeting_id, before, error),
                   error))
    return NULL;
  return docket_server_db_load_meeting (self, meeting_id, error);
}

gboolean
docket_server_db_delete_meeting (DocketServerDb  *self,
                                 const char      *meeting_id,
                                 GError         **error)
{
  g_autoptr(GHashTable) before = NULL;
  g_autoptr(GHashTable) after = g_hash_table_new (g_direct_hash, g_direct_equal);
  gint64 seq;

  /* Everyone who saw it loses it: the feed tells them through access rows. */
  return docket_server_db_begin_change (self, &seq, error) &&
         docket_server_db_end_change (self,
                     (before = meeting_viewers (self, meeting_id, error)) != NULL &&
                     docket_server_db_run (self, "DELETE FROM meetings WHERE id = ?", error,
                                           TEXT (meeting_id)) &&
                     record_access_changes (self, seq, meeting_id, before, after, error),
                     error);
}

/* Whether user may join the participants of meeting_id: the meeting as clients would
 * then read it keeps to the limits (DOCKET_MAX_PARTICIPANTS, the user's display name). */
static gboolean
participant_fits (DocketServerDb          *self,
                  const char              *meeting_id,
                  const DocketServerUser  *user,
                  DocketMeetingRole        meeting_role,
                  GError                 **error)
{
  g_autoptr(DocketMeetingRecord) record = docket_server_db_load_meeting (self, meeting_id, error);
  g_autofree char *message = NULL;
  DocketParticipant *participant;

  if (record == NULL)
    return FALSE;

  for (guint i = 0; i < record->participants->len; i++)
    {
      participant = g_ptr_array_index (record->participants, i);

      /* Already there: at most their meeting role changes. */
      if (g_str_equal (participant->username, user->username))
        return TRUE;
    }

  if (record->participants->len >= DOCKET_MAX_PARTICIPANTS)
    {
      message = g_strdup_printf (_("participants: a meeting has at most %d participants"),
                                 DOCKET_MAX_PARTICIPANTS);
      return too_large (error, message);
    }

  participant = docket_participant_new (user->username, user->display_name, user->role);
  participant->meeting_role = meeting_role;
  g_ptr_array_add (record->participants, participant);
  return meeting_is_readable (record, error);
}

/* CONFLICT when another participant than user_id chairs the meeting: a meeting has one
 * chair, whom the others follow. */
static gboolean
check_one_chair (DocketServerDb  *self,
                 const char      *meeting_id,
                 gint64           user_id,
                 GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean found = FALSE;

  stmt = docket_server_db_prepare_with (self,
                                        "SELECT 1 FROM participants WHERE meeting_id = ?"
                                        " AND meeting_role = 'chair' AND user_id != ?", error,
                                        TEXT (meeting_id), INT (user_id));
  if (!docket_sqlite_has_row (stmt, &found, error))
    return FALSE;
  if (found)
    {
      g_set_error_literal (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_CONFLICT,
                           _("meeting_role: the meeting has a chair already; make them a "
                             "member first"));
      return FALSE;
    }
  return TRUE;
}

/* Inside the transaction: adds user (meeting_role NULL: as a member), or changes the
 * meeting role of a participant already there (NULL: keeps it). */
static gboolean
write_participant (DocketServerDb           *self,
                   const char               *meeting_id,
                   gint64                    user_id,
                   const DocketMeetingRole  *meeting_role,
                   GError                  **error)
{
  const char *role = meeting_role != NULL ? docket_meeting_role_to_string (*meeting_role) : NULL;

  if (meeting_role != NULL && *meeting_role == DOCKET_MEETING_ROLE_CHAIR &&
      !check_one_chair (self, meeting_id, user_id, error))
    return FALSE;
  return docket_server_db_run (self,
                               "INSERT INTO participants (meeting_id, user_id, meeting_role)"
                               " VALUES (?1, ?2, coalesce (?3, 'member'))"
                               " ON CONFLICT (meeting_id, user_id) DO UPDATE SET"
                               " meeting_role = ?3 WHERE ?3 IS NOT NULL AND meeting_role != ?3",
                               error, TEXT (meeting_id), INT (user_id), TEXT (role));
}

/* Adds, changes or removes (present FALSE) a participant, as one change of the meeting. */
static gboolean
change_participant (DocketServerDb           *self,
                    const char               *meeting_id,
                    const char               *username,
                    gboolean                  present,
                    const DocketMeetingRole  *meeting_role,
                    GError                  **error)
{
  g_autoptr(DocketServerUser) user = NULL;
  g_autoptr(GHashTable) before = NULL;
  gint64 seq;

  user = docket_server_db_find_user (self, username, error);
  if (user == NULL)
    return FALSE;
  if (present &&
      !participant_fits (self, meeting_id, user,
                         meeting_role != NULL ? *meeting_role : DOCKET_MEETING_ROLE_MEMBER, error))
    return FALSE;

  if (!docket_server_db_begin (self, error))
    return FALSE;
  if ((before = meeting_viewers (self, meeting_id, error)) == NULL ||
      !(present
        ? write_participant (self, meeting_id, user->id, meeting_role, error)
        : docket_server_db_run (self, "DELETE FROM participants WHERE meeting_id = ? AND user_id = ?",
                                error, TEXT (meeting_id), INT (user->id))))
    return docket_server_db_end_change (self, FALSE, error);

  /* Idempotent: nothing changed, nothing to tell anyone. */
  if (sqlite3_changes (docket_server_db_get_handle (self)) == 0)
    {
      docket_server_db_rollback (self);
      return TRUE;
    }

  /* The participant list, with their roles, is part of the meeting: its version moves.
   * One who leaves it leaves the floor too: no queue waits for who is not there. */
  return docket_server_db_end_change (self,
                     (seq = docket_server_db_next_seq (self, error)) >= 0 &&
                     docket_server_db_run (self, "UPDATE meetings SET version = ?2 WHERE id = ?1",
                                           error, TEXT (meeting_id), INT (seq)) &&
                     (present ||
                      docket_server_db_close_speeches (self, meeting_id, user->id, NULL, seq, error)) &&
                     record_viewer_changes (self, seq, meeting_id, before, error),
                     error);
}

gboolean
docket_server_db_set_participant (DocketServerDb  *self,
                                  const char      *meeting_id,
                                  const char      *username,
                                  gboolean         present,
                                  GError         **error)
{
  return change_participant (self, meeting_id, username, present, NULL, error);
}

gboolean
docket_server_db_put_participant (DocketServerDb           *self,
                                  const char               *meeting_id,
                                  const char               *username,
                                  const DocketMeetingRole  *meeting_role,
                                  GError                  **error)
{
  return change_participant (self, meeting_id, username, TRUE, meeting_role, error);
}

/* Agenda items */

typedef struct {
  GPtrArray *ids;
  GArray    *positions;
} Siblings;

static gboolean
add_sibling (sqlite3_stmt  *stmt,
             gpointer       user_data,
             GError       **error)
{
  Siblings *siblings = user_data;
  int position = sqlite3_column_int (stmt, 1);

  g_ptr_array_add (siblings->ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  g_array_append_val (siblings->positions, position);
  return TRUE;
}

/* Gives the siblings under parent_id (NULL: top level) positions 0, 1, 2... in their
 * order, with moved_id (if not NULL) put at target; rows whose position changes take
 * version seq. */
static gboolean
renumber (DocketServerDb  *self,
          const char      *select_sql,
          const char      *update_sql,
          const char      *scope_a,
          const char      *scope_b,
          const char      *moved_id,
          int              target,
          gint64           seq,
          const char      *too_many,
          GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) positions = g_array_new (FALSE, FALSE, sizeof (int));
  Siblings siblings = { ids, positions };

  stmt = docket_server_db_prepare_with (self, select_sql, error, TEXT (scope_a), TEXT (scope_b),
                                        TEXT (moved_id ? moved_id : ""));
  if (!docket_server_db_each_row (self, stmt, add_sibling, &siblings, error))
    return FALSE;

  if (moved_id != NULL)
    {
      int minus_one = -1;
      guint at = (guint) CLAMP (target, 0, (int) ids->len);

      g_ptr_array_insert (ids, (int) at, g_strdup (moved_id));
      g_array_insert_val (positions, at, minus_one);
    }

  /* Positions run from 0 to DOCKET_MAX_POSITION: one sibling more has no position a
   * client accepts. */
  if (ids->len > DOCKET_MAX_POSITION + 1)
    return too_large (error, too_many);

  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (positions, int, i) != (int) i &&
        !docket_server_db_run (self, update_sql, error, INT (i), INT (seq),
                               TEXT (g_ptr_array_index (ids, i))))
      return FALSE;
  return TRUE;
}

static gboolean
renumber_items (DocketServerDb  *self,
                const char      *meeting_id,
                const char      *parent_id,
                const char      *moved_id,
                int              target,
                gint64           seq,
                GError         **error)
{
  return renumber (self,
                   "SELECT id, position FROM items WHERE meeting_id = ?1 AND parent_id IS ?2"
                   " AND id != ?3 ORDER BY position, id",
                   "UPDATE items SET position = ?1, version = ?2 WHERE id = ?3",
                   meeting_id, parent_id, moved_id, target, seq,
                   _("position: the meeting or the agenda item has as many sub-items as it may"),
                   error);
}

static gboolean
renumber_documents (DocketServerDb  *self,
                    const char      *item_id,
                    const char      *moved_id,
                    int              target,
                    gint64           seq,
                    GError         **error)
{
  return renumber (self,
                   "SELECT id, position FROM documents WHERE item_id = ?1 AND ?2 IS NULL"
                   " AND id != ?3 ORDER BY position, id",
                   "UPDATE documents SET position = ?1, version = ?2 WHERE id = ?3",
                   item_id, NULL, moved_id, target, seq,
                   _("position: the agenda item has as many documents as it may"),
                   error);
}

/* Checks that parent_id is an item of meeting_id and, when item_id is given, not item_id
 * itself nor one of its descendants. */
static gboolean
check_parent (DocketServerDb  *self,
              const char      *meeting_id,
              const char      *parent_id,
              const char      *item_id,
              GError         **error)
{
  g_autoptr(DocketAgendaItemRecord) parent = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean found;

  parent = docket_server_db_load_item (self, parent_id, &local_error);
  if (parent == NULL || g_strcmp0 (parent->meeting_id, meeting_id) != 0)
    return invalid_field (error, "parent_id", _("not an agenda item of this meeting"));
  if (item_id == NULL)
    return TRUE;

  stmt = docket_server_db_prepare_with (self,
                                        "WITH RECURSIVE sub (id) AS (SELECT ?1 UNION ALL"
                                        " SELECT i.id FROM items i JOIN sub ON i.parent_id = sub.id)"
                                        " SELECT 1 FROM sub WHERE id = ?2", error,
                                        TEXT (item_id), TEXT (parent_id));
  if (!docket_sqlite_has_row (stmt, &found, error))
    return FALSE;
  if (found)
    {
      g_set_error_literal (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_CONFLICT,
                           _("An agenda item cannot become its own sub-item"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_count (sqlite3_stmt  *stmt,
            gpointer       user_data,
            GError       **error)
{
  *(gint64 *) user_data = sqlite3_column_int64 (stmt, 0);
  return TRUE;
}

/* One number that sql computes from id; the recursion of sql stops below depth ?2. */
static gboolean
count_levels (DocketServerDb  *self,
              const char      *sql,
              const char      *id,
              gint64          *out,
              GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  *out = 0;
  stmt = docket_server_db_prepare_with (self, sql, error, TEXT (id),
                                        INT (DOCKET_MAX_AGENDA_DEPTH + 1));
  return docket_server_db_each_row (self, stmt, read_count, out, error);
}

/* Checks that an item (item_id with its sub-items, or a new one when NULL) put under
 * parent_id stays within DOCKET_MAX_AGENDA_DEPTH: clients list the agenda down to that
 * depth only, and the items below it would be lost to them. */
static gboolean
check_depth (DocketServerDb  *self,
             const char      *parent_id,
             const char      *item_id,
             GError         **error)
{
  g_autofree char *message = NULL;
  gint64 ancestors = 0;
  gint64 height = 0;

  if (!count_levels (self,
                     "WITH RECURSIVE up (id, depth) AS ("
                     "  SELECT parent_id, 0 FROM items WHERE id = ?1"
                     "  UNION ALL SELECT i.parent_id, up.depth + 1 FROM items i JOIN up"
                     "   ON i.id = up.id WHERE up.depth < ?2)"
                     " SELECT COUNT (*) FROM up WHERE id IS NOT NULL", parent_id, &ancestors, error) ||
      (item_id != NULL &&
       !count_levels (self,
                      "WITH RECURSIVE down (id, depth) AS (SELECT ?1, 0"
                      "  UNION ALL SELECT i.id, down.depth + 1 FROM items i JOIN down"
                      "   ON i.parent_id = down.id WHERE down.depth < ?2)"
                      " SELECT MAX (depth) FROM down", item_id, &height, error)))
    return FALSE;

  /* The parent is at depth `ancestors`; the item one below it, its deepest sub-item
   * `height` below that. */
  if (ancestors + 1 + height > DOCKET_MAX_AGENDA_DEPTH)
    {
      message = g_strdup_printf (_("agenda items nest at most %d levels below the top level"),
                                 DOCKET_MAX_AGENDA_DEPTH);
      return invalid_field (error, "parent_id", message);
    }
  return TRUE;
}

/* Puts the text fields given onto record. */
static void
apply_item_texts (DocketAgendaItemRecord       *record,
                  const DocketServerItemFields *fields)
{
  if (fields->number != NULL)
    replace_text (&record->number, fields->number);
  if (fields->title != NULL)
    replace_text (&record->title, fields->title);
  if (fields->presenter != NULL)
    replace_text (&record->presenter, fields->presenter);
  if (fields->description != NULL)
    replace_text (&record->description, fields->description);
}

DocketAgendaItemRecord *
docket_server_db_create_item (DocketServerDb               *self,
                              const char                   *meeting_id,
                              const DocketServerItemFields *fields,
                              GError                      **error)
{
  g_autoptr(DocketAgendaItemRecord) record = docket_agenda_item_record_new ();
  const char *parent_id = fields->has_parent ? fields->parent_id : NULL;
  gint64 seq;

  if (fields->title == NULL)
    return invalid_field (error, "title", _("missing")), NULL;

  /* Its position comes from renumbering, which keeps it within the limit. */
  record->id = docket_server_db_new_id ('i');
  record->meeting_id = g_strdup (meeting_id);
  record->parent_id = g_strdup (parent_id);
  record->number = g_strdup ("");
  record->presenter = g_strdup ("");
  record->description = g_strdup ("");
  apply_item_texts (record, fields);
  if (!item_is_readable (record, error))
    return NULL;
  if (parent_id != NULL &&
      (!check_parent (self, meeting_id, parent_id, NULL, error) ||
       !check_depth (self, parent_id, NULL, error)))
    return NULL;

  if (!docket_server_db_begin_change (self, &seq, error) ||
      !docket_server_db_end_change (self,
                   docket_server_db_run (self,
                                         "INSERT INTO items (id, meeting_id, parent_id, position,"
                                         " number, title, presenter, description, version)"
                                         " VALUES (?, ?, ?, -1, ?, ?, ?, ?, ?)", error,
                                         TEXT (record->id), TEXT (meeting_id), TEXT (parent_id),
                                         TEXT (record->number), TEXT (record->title),
                                         TEXT (record->presenter), TEXT (record->description),
                                         INT (seq)) &&
                   renumber_items (self, meeting_id, parent_id, record->id,
                                   fields->has_position ? fields->position : G_MAXINT, seq, error),
                   error))
    return NULL;
  return docket_server_db_load_item (self, record->id, error);
}

DocketAgendaItemRecord *
docket_server_db_update_item (DocketServerDb               *self,
                              const char                   *item_id,
                              const DocketServerItemFields *fields,
                              GError                      **error)
{
  g_autoptr(DocketAgendaItemRecord) old = NULL;
  g_autoptr(DocketAgendaItemRecord) record = NULL;
  const char *new_parent;
  gboolean parent_changed;
  int target;
  gint64 seq;

  old = docket_server_db_load_item (self, item_id, error);
  if (old == NULL)
    return NULL;
  new_parent = fields->has_parent ? fields->parent_id : old->parent_id;
  parent_changed = g_strcmp0 (new_parent, old->parent_id) != 0;

  /* The tree first: an item under itself is a conflict of the tree (409). */
  if (parent_changed && new_parent != NULL &&
      (!check_parent (self, old->meeting_id, new_parent, item_id, error) ||
       !check_depth (self, new_parent, item_id, error)))
    return NULL;
  record = docket_agenda_item_record_copy (old);
  replace_text (&record->parent_id, new_parent);
  apply_item_texts (record, fields);
  if (!item_is_readable (record, error))
    return NULL;
  target = fields->has_position ? fields->position : parent_changed ? G_MAXINT : old->position;

  if (!docket_server_db_begin_change (self, &seq, error) ||
      !docket_server_db_end_change (self,
                   docket_server_db_run (self,
                                         "UPDATE items SET parent_id = ?, number = ?, title = ?,"
                                         " presenter = ?, description = ?, version = ?"
                                         " WHERE id = ?", error,
                                         TEXT (record->parent_id), TEXT (record->number),
                                         TEXT (record->title), TEXT (record->presenter),
                                         TEXT (record->description), INT (seq), TEXT (item_id)) &&
                   /* The old siblings close the gap it leaves. */
                   (!parent_changed ||
                    renumber_items (self, old->meeting_id, old->parent_id, NULL, 0, seq, error)) &&
                   renumber_items (self, old->meeting_id, new_parent, item_id, target, seq, error),
                   error))
    return NULL;
  return docket_server_db_load_item (self, item_id, error);
}

/* Tombstones for item_id, its sub-items and all their documents. */
static gboolean
bury_item_tree (DocketServerDb  *self,
                const char      *item_id,
                const char      *meeting_id,
                gint64           seq,
                GError         **error)
{
  return docket_server_db_run (self,
                               "INSERT INTO tombstones (seq, type, id, meeting_id)"
                               " WITH RECURSIVE sub (id) AS (SELECT ?1 UNION ALL"
                               "  SELECT i.id FROM items i JOIN sub ON i.parent_id = sub.id)"
                               " SELECT ?2, 'document', d.id, ?3 FROM documents d"
                               "  WHERE d.item_id IN sub"
                               " UNION ALL SELECT ?2, 'agenda_item', id, ?3 FROM sub",
                               error, TEXT (item_id), INT (seq), TEXT (meeting_id));
}

gboolean
docket_server_db_delete_item (DocketServerDb  *self,
                              const char      *item_id,
                              GError         **error)
{
  g_autoptr(DocketAgendaItemRecord) old = NULL;
  gint64 seq;

  old = docket_server_db_load_item (self, item_id, error);
  if (old == NULL)
    return FALSE;

  /* Sub-items and documents go with it (ON DELETE CASCADE). */
  return docket_server_db_begin_change (self, &seq, error) &&
         docket_server_db_end_change (self,
                     bury_item_tree (self, item_id, old->meeting_id, seq, error) &&
                     /* Live, it was the current item, or held the presented document. */
                     docket_server_db_clear_deleted_from_state (self, old->meeting_id, seq, error) &&
                     docket_server_db_run (self, "DELETE FROM items WHERE id = ?", error,
                                           TEXT (item_id)) &&
                     renumber_items (self, old->meeting_id, old->parent_id, NULL, 0, seq, error),
                     error);
}

/* Documents */

DocketDocumentRecord *
docket_server_db_create_document (DocketServerDb  *self,
                                  const char      *item_id,
                                  const char      *title,
                                  const char      *sha256,
                                  gint64           size,
                                  int              pages,
                                  GError         **error)
{
  g_autoptr(DocketAgendaItemRecord) item = NULL;
  g_autoptr(DocketDocumentRecord) record = NULL;
  g_autofree char *id = docket_server_db_new_id ('d');
  gint64 seq;

  item = docket_server_db_load_item (self, item_id, error);
  if (item == NULL)
    return NULL;

  record = docket_document_record_new ();
  record->id = g_strdup (id);
  record->meeting_id = g_strdup (item->meeting_id);
  record->item_id = g_strdup (item_id);
  record->title = g_strdup (title);
  record->media_type = g_strdup ("application/pdf");
  record->sha256 = g_strdup (sha256);
  record->size = size;
  record->pages = pages;
  if (!document_is_readable (record, error))
    return NULL;

  if (!docket_server_db_begin_change (self, &seq, error) ||
      !docket_server_db_end_change (self,
                   docket_server_db_run (self,
                                         "INSERT INTO documents (id, meeting_id, item_id, position,"
                                         " title, media_type, sha256, size, pages, version)"
                                         " VALUES (?, ?, ?, -1, ?, 'application/pdf', ?, ?, ?, ?)",
                                         error, TEXT (id), TEXT (item->meeting_id), TEXT (item_id),
                                         TEXT (title), TEXT (sha256), INT (size), INT (pages),
                                         INT (seq)) &&
                   renumber_documents (self, item_id, id, G_MAXINT, seq, error),
                   error))
    return NULL;
  return docket_server_db_load_document (self, id, error);
}

DocketDocumentRecord *
docket_server_db_update_document (DocketServerDb                   *self,
                                  const char                       *document_id,
                                  const DocketServerDocumentFields *fields,
                                  GError                          **error)
{
  g_autoptr(DocketDocumentRecord) old = NULL;
  g_autoptr(DocketDocumentRecord) record = NULL;
  gint64 seq;

  old = docket_server_db_load_document (self, document_id, error);
  if (old == NULL)
    return NULL;
  record = docket_document_record_copy (old);
  if (fields->title != NULL)
    replace_text (&record->title, fields->title);
  if (!document_is_readable (record, error))
    return NULL;

  if (!docket_server_db_begin_change (self, &seq, error) ||
      !docket_server_db_end_change (self,
                   docket_server_db_run (self,
                                         "UPDATE documents SET title = ?, version = ? WHERE id = ?",
                                         error,
                                         TEXT (record->title),
                                         INT (seq), TEXT (document_id)) &&
                   (!fields->has_position ||
                    renumber_documents (self, old->item_id, document_id, fields->position,
                                        seq, error)),
                   error))
    return NULL;
  return docket_server_db_load_document (self, document_id, error);
}

gboolean
docket_server_db_delete_document (DocketServerDb  *self,
                                  const char      *document_id,
                                  GError         **error)
{
  g_autoptr(DocketDocumentRecord) old = NULL;
  gint64 seq;

  old = docket_server_db_load_document (self, document_id, error);
  if (old == NULL)
    return FALSE;

  return docket_server_db_begin_change (self, &seq, error) &&
         docket_server_db_end_change (self,
                     docket_server_db_run (self,
                                           "INSERT INTO tombstones (seq, type, id, meeting_id)"
                                           " VALUES (?, 'document', ?, ?)", error,
                                           INT (seq), TEXT (document_id),
                                           TEXT (old->meeting_id)) &&
                     docket_server_db_clear_deleted_from_state (self, old->meeting_id, seq, error) &&
                     docket_server_db_run (self, "DELETE FROM documents WHERE id = ?", error,
                                           TEXT (document_id)) &&
                     renumber_documents (self, old->item_id, NULL, 0, seq, error),
                     error);
}
