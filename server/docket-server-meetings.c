/* docket-server-meetings.c: the writes of secretaries — meetings, participants, agenda
 * items and documents — each in one transaction under one new sequence number, leaving
 * the tombstones and access rows the change feed needs (docs/protocol.md)
 */
#include "config.h"

#include <glib/gi18n.h>

#include "docket-server-db.h"

static gboolean
invalid_field (GError     **error,
               const char  *field,
               const char  *why)
{
  g_set_error (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_INVALID_FIELD,
               "%s: %s", field, why);
  return FALSE;
}

#define TEXT(s) DOCKET_SERVER_DB_TEXT (s)
#define INT(n)  DOCKET_SERVER_DB_INT (n)

/* Opens the transaction of one write and takes its sequence number. */
static gboolean
begin_change (DocketServerDb  *self,
              gint64          *out_seq,
              GError         **error)
{
  if (!docket_server_db_begin (self, error))
    return FALSE;
  if ((*out_seq = docket_server_db_next_seq (self, error)) < 0)
    {
      docket_server_db_rollback (self);
      return FALSE;
    }
  return TRUE;
}

/* Commits the write when ok, else undoes all of it; TRUE when it is committed. */
static gboolean
end_change (DocketServerDb  *self,
            gboolean         ok,
            GError         **error)
{
  if (ok && docket_server_db_commit (self, error))
    return TRUE;
  docket_server_db_rollback (self);
  return FALSE;
}

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

DocketMeetingRecord *
docket_server_db_create_meeting (DocketServerDb                  *self,
                                 const DocketServerUser          *user,
                                 const DocketServerMeetingFields *fields,
                                 GError                         **error)
{
  g_autoptr(GHashTable) before = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autofree char *id = docket_server_db_new_id ('m');
  g_autofree char *starts_at = NULL;
  g_autofree char *ends_at = NULL;
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

  starts_at = docket_protocol_format_time (fields->starts_at);
  ends_at = docket_protocol_format_time (fields->ends_at);

  if (!begin_change (self, &seq, error) ||
      !end_change (self,
                   docket_server_db_run (self,
                                         "INSERT INTO meetings (id, title, organ, starts_at,"
                                         " ends_at, time_zone, location, status, version)"
                                         " VALUES (?, ?, ?, ?, ?, ?, ?, 'draft', ?)", error,
                                         TEXT (id), TEXT (fields->title), TEXT (organ),
                                         TEXT (starts_at), TEXT (ends_at),
                                         TEXT (fields->time_zone),
                                         TEXT (fields->location ? fields->location : ""),
                                         INT (seq)) &&
                   record_viewer_changes (self, seq, id, before, error),
                   error))
    return NULL;
  return docket_server_db_load_meeting (self, id, error);
}

DocketMeetingRecord *
docket_server_db_update_meeting (DocketServerDb                  *self,
                                 const char                      *meeting_id,
                                 const DocketServerMeetingFields *fields,
                                 GError                         **error)
{
  g_autoptr(DocketMeetingRecord) old = NULL;
  g_autoptr(GHashTable) before = NULL;
  g_autofree char *starts_at = NULL;
  g_autofree char *ends_at = NULL;
  DocketMeetingStatus status;
  gint64 seq;

  old = docket_server_db_load_meeting (self, meeting_id, error);
  if (old == NULL)
    return NULL;
  if (!check_times (fields->starts_at ? fields->starts_at : old->starts_at,
                    fields->ends_at ? fields->ends_at : old->ends_at, error))
    return NULL;
  starts_at = docket_protocol_format_time (fields->starts_at ? fields->starts_at : old->starts_at);
  ends_at = docket_protocol_format_time (fields->ends_at ? fields->ends_at : old->ends_at);
  status = fields->has_status ? fields->status : old->status;

  if (!begin_change (self, &seq, error) ||
      !end_change (self,
                   (before = meeting_viewers (self, meeting_id, error)) != NULL &&
                   docket_server_db_run (self,
                                         "UPDATE meetings SET title = ?, starts_at = ?,"
                                         " ends_at = ?, time_zone = ?, location = ?, status = ?,"
                                         " version = ? WHERE id = ?", error,
                                         TEXT (fields->title ? fields->title : old->title),
                                         TEXT (starts_at), TEXT (ends_at),
                                         TEXT (fields->time_zone ? fields->time_zone : old->time_zone),
                                         TEXT (fields->location ? fields->location : old->location),
                                         TEXT (docket_meeting_status_to_string (status)),
                                         INT (seq), TEXT (meeting_id)) &&
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
  return begin_change (self, &seq, error) &&
         end_change (self,
                     (before = meeting_viewers (self, meeting_id, error)) != NULL &&
                     docket_server_db_run (self, "DELETE FROM meetings WHERE id = ?", error,
                                           TEXT (meeting_id)) &&
                     record_access_changes (self, seq, meeting_id, before, after, error),
                     error);
}

gboolean
docket_server_db_set_participant (DocketServerDb  *self,
                                  const char      *meeting_id,
                                  const char      *username,
                                  gboolean         present,
                                  GError         **error)
{
  g_autoptr(DocketServerUser) user = NULL;
  g_autoptr(GHashTable) before = NULL;
  gint64 seq;

  user = docket_server_db_find_user (self, username, error);
  if (user == NULL)
    return FALSE;

  if (!docket_server_db_begin (self, error))
    return FALSE;
  if ((before = meeting_viewers (self, meeting_id, error)) == NULL ||
      !docket_server_db_run (self,
                             present
                             ? "INSERT OR IGNORE INTO participants (meeting_id, user_id) VALUES (?, ?)"
                             : "DELETE FROM participants WHERE meeting_id = ? AND user_id = ?",
                             error, TEXT (meeting_id), INT (user->id)))
    return end_change (self, FALSE, error);

  /* Idempotent: nothing changed, nothing to tell anyone. */
  if (sqlite3_changes (docket_server_db_get_handle (self)) == 0)
    {
      docket_server_db_rollback (self);
      return TRUE;
    }

  /* The participant list is part of the meeting: its version moves. */
  return end_change (self,
                     (seq = docket_server_db_next_seq (self, error)) >= 0 &&
                     docket_server_db_run (self, "UPDATE meetings SET version = ?2 WHERE id = ?1",
                                           error, TEXT (meeting_id), INT (seq)) &&
                     record_viewer_changes (self, seq, meeting_id, before, error),
                     error);
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
                   meeting_id, parent_id, moved_id, target, seq, error);
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
                   item_id, NULL, moved_id, target, seq, error);
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
  int rc;

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
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      g_set_error_literal (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_CONFLICT,
                           _("An agenda item cannot become its own sub-item"));
      return FALSE;
    }
  return docket_server_db_step_done (self, stmt, error);
}

DocketAgendaItemRecord *
docket_server_db_create_item (DocketServerDb               *self,
                              const char                   *meeting_id,
                              const DocketServerItemFields *fields,
                              GError                      **error)
{
  g_autofree char *id = docket_server_db_new_id ('i');
  const char *parent_id = fields->has_parent ? fields->parent_id : NULL;
  gint64 seq;

  if (fields->title == NULL)
    return invalid_field (error, "title", _("missing")), NULL;
  if (parent_id != NULL && !check_parent (self, meeting_id, parent_id, NULL, error))
    return NULL;

  if (!begin_change (self, &seq, error) ||
      !end_change (self,
                   docket_server_db_run (self,
                                         "INSERT INTO items (id, meeting_id, parent_id, position,"
                                         " number, title, presenter, description, version)"
                                         " VALUES (?, ?, ?, -1, ?, ?, ?, ?, ?)", error,
                                         TEXT (id), TEXT (meeting_id), TEXT (parent_id),
                                         TEXT (fields->number ? fields->number : ""),
                                         TEXT (fields->title),
                                         TEXT (fields->presenter ? fields->presenter : ""),
                                         TEXT (fields->description ? fields->description : ""),
                                         INT (seq)) &&
                   renumber_items (self, meeting_id, parent_id, id,
                                   fields->has_position ? fields->position : G_MAXINT, seq, error),
                   error))
    return NULL;
  return docket_server_db_load_item (self, id, error);
}

DocketAgendaItemRecord *
docket_server_db_update_item (DocketServerDb               *self,
                              const char                   *item_id,
                              const DocketServerItemFields *fields,
                              GError                      **error)
{
  g_autoptr(DocketAgendaItemRecord) old = NULL;
  const char *new_parent;
  gboolean parent_changed;
  int target;
  gint64 seq;

  old = docket_server_db_load_item (self, item_id, error);
  if (old == NULL)
    return NULL;
  new_parent = fields->has_parent ? fields->parent_id : old->parent_id;
  parent_changed = g_strcmp0 (new_parent, old->parent_id) != 0;
  if (parent_changed && new_parent != NULL &&
      !check_parent (self, old->meeting_id, new_parent, item_id, error))
    return NULL;
  target = fields->has_position ? fields->position : parent_changed ? G_MAXINT : old->position;

  if (!begin_change (self, &seq, error) ||
      !end_change (self,
                   docket_server_db_run (self,
                                         "UPDATE items SET parent_id = ?, number = ?, title = ?,"
                                         " presenter = ?, description = ?, version = ?"
                                         " WHERE id = ?", error,
                                         TEXT (new_parent),
                                         TEXT (fields->number ? fields->number : old->number),
                                         TEXT (fields->title ? fields->title : old->title),
                                         TEXT (fields->presenter ? fields->presenter : old->presenter),
                                         TEXT (fields->description ? fields->description : old->description),
                                         INT (seq), TEXT (item_id)) &&
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
  return begin_change (self, &seq, error) &&
         end_change (self,
                     bury_item_tree (self, item_id, old->meeting_id, seq, error) &&
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
  g_autofree char *id = docket_server_db_new_id ('d');
  gint64 seq;

  item = docket_server_db_load_item (self, item_id, error);
  if (item == NULL)
    return NULL;

  if (!begin_change (self, &seq, error) ||
      !end_change (self,
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
  gint64 seq;

  old = docket_server_db_load_document (self, document_id, error);
  if (old == NULL)
    return NULL;

  if (!begin_change (self, &seq, error) ||
      !end_change (self,
                   docket_server_db_run (self,
                                         "UPDATE documents SET title = ?, version = ? WHERE id = ?",
                                         error,
                                         TEXT (fields->title ? fields->title : old->title),
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

  return begin_change (self, &seq, error) &&
         end_change (self,
                     docket_server_db_run (self,
                                           "INSERT INTO tombstones (seq, type, id, meeting_id)"
                                           " VALUES (?, 'document', ?, ?)", error,
                                           INT (seq), TEXT (document_id),
                                           TEXT (old->meeting_id)) &&
                     docket_server_db_run (self, "DELETE FROM documents WHERE id = ?", error,
                                           TEXT (document_id)) &&
                     renumber_documents (self, old->item_id, NULL, 0, seq, error),
                     error);
}
