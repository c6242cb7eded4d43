/* docket-server-db-annotations.c: the officials' own data in the database — annotations,
 * notes, and the operations already answered (docs/protocol.md, "Annotations and notes")
 *
 * Every row belongs to one user and is never shown to anyone else. Each write takes the
 * next number of the global sequence as the row's revision, in one transaction with the
 * record of its operation: the same op_id from the same user gets the stored answer again
 * and changes nothing. Rows keep the meeting of what they are on, so that the feed can
 * hide them (as deletions) while the user does not see the meeting, and bring them back.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "docket-record-rows.h"
#include "docket-server-db-private.h"

#define TEXT(s) DOCKET_SERVER_DB_TEXT (s)
#define INT(n)  DOCKET_SERVER_DB_INT (n)

static gint64
now_ms (void)
{
  return g_get_real_time () / 1000;
}

static gboolean
set_error (GError     **error,
           int          code,
           const char  *message)
{
  g_set_error_literal (error, DOCKET_SERVER_ERROR, code, message);
  return FALSE;
}

/* ---- answered operations ---------------------------------------------------------- */

typedef struct {
  char  *request;
  guint  status;
  char  *answer;
} StoredOp;

static void
stored_op_free (StoredOp *op)
{
  g_free (op->request);
  g_free (op->answer);
  g_free (op);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StoredOp, stored_op_free)

static gboolean
read_stored_op (sqlite3_stmt  *stmt,
                gpointer       user_data,
                GError       **error)
{
  StoredOp **out = user_data;

  *out = g_new0 (StoredOp, 1);
  (*out)->request = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  (*out)->status = (guint) sqlite3_column_int (stmt, 1);
  (*out)->answer = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  return TRUE;
}

gboolean
docket_server_db_find_op (DocketServerDb          *self,
                          const DocketServerUser  *user,
                          const char              *op_id,
                          const char              *request,
                          guint                   *out_status,
                          char                   **out_answer,
                          GError                 **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(StoredOp) op = NULL;

  *out_answer = NULL;
  stmt = docket_server_db_prepare_with (self,
                                        "SELECT request, status, answer FROM ops"
                                        " WHERE user_id = ?1 AND op_id = ?2", error,
                                        INT (user->id), TEXT (op_id));
  if (!docket_server_db_each_row (self, stmt, read_stored_op, &op, error))
    return FALSE;
  if (op == NULL)
    return FALSE;

  if (!g_str_equal (op->request, request))
    return set_error (error, DOCKET_SERVER_ERROR_CONFLICT,
                      _("op_id: already used for another operation"));

  *out_status = op->status;
  *out_answer = g_steal_pointer (&op->answer);
  return TRUE;
}

static gboolean
store_op (DocketServerDb          *self,
          const DocketServerUser  *user,
          const char              *op_id,
          const char              *request,
          guint                    status,
          const char              *answer,
          GError                 **error)
{
  return docket_server_db_run (self,
                               "INSERT INTO ops (user_id, op_id, request, status, answer, created_at)"
                               " VALUES (?, ?, ?, ?, ?, ?)", error,
                               INT (user->id), TEXT (op_id), TEXT (request), INT (status),
                               TEXT (answer), INT (now_ms ()));
}

static char *
node_to_text (JsonNode *node)
{
  return json_to_string (node, FALSE);
}

/* ---- annotations ----------------------------------------------------------------- */

/* The record's columns, read as the client reads them, then the server's own. */
#define ANNOTATION_COLUMNS DOCKET_ANNOTATION_ROW_COLUMNS ", deleted, owner_id, meeting_id"

typedef struct {
  DocketAnnotationRecord *record;
  gboolean                deleted;
  gint64                  owner_id;
  char                   *meeting_id;
} AnnotationRow;

static void
annotation_row_free (AnnotationRow *row)
{
  g_clear_pointer (&row->record, docket_annotation_record_free);
  g_free (row->meeting_id);
  g_free (row);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AnnotationRow, annotation_row_free)

static AnnotationRow *
annotation_row_from_stmt (sqlite3_stmt *stmt)
{
  AnnotationRow *row = g_new0 (AnnotationRow, 1);

  /* Columns 0-9 are DOCKET_ANNOTATION_ROW_COLUMNS; the server's own follow. */
  row->record = docket_annotation_record_from_row (stmt);
  row->deleted = sqlite3_column_int (stmt, 10) != 0;
  row->owner_id = sqlite3_column_int64 (stmt, 11);
  row->meeting_id = g_strdup ((const char *) sqlite3_column_text (stmt, 12));
  return row;
}

static gboolean
read_annotation_row (sqlite3_stmt  *stmt,
                     gpointer       user_data,
                     GError       **error)
{
  AnnotationRow **out = user_data;

  *out = annotation_row_from_stmt (stmt);
  return TRUE;
}

/* The row of an id, whoever owns it; NULL without error when there is none. */
static AnnotationRow *
load_annotation (DocketServerDb  *self,
                 const char      *id,
                 GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  AnnotationRow *row = NULL;

  stmt = docket_server_db_prepare_with (self,
                                        "SELECT " ANNOTATION_COLUMNS " FROM annotations WHERE id = ?",
                                        error, TEXT (id));
  if (!docket_server_db_each_row (self, stmt, read_annotation_row, &row, error))
    {
      g_clear_pointer (&row, annotation_row_free);
      return NULL;
    }
  return row;
}

static char *
annotation_answer (const DocketAnnotationRecord *record)
{
  g_autoptr(JsonNode) root = json_node_init_object (json_node_alloc (), NULL);
  JsonObject *object = json_object_new ();

  json_object_set_member (object, "annotation", docket_annotation_record_to_json (record));
  json_node_take_object (root, object);
  return node_to_text (root);
}

gboolean
docket_server_db_put_annotation (DocketServerDb                *self,
                                 const DocketServerUser        *user,
                                 const char                    *meeting_id,
                                 const DocketAnnotationRecord  *record,
                                 const char                    *op_id,
                                 const char                    *request,
                                 guint                         *out_status,
                                 char                         **out_answer,
                                 GError                       **error)
{
  g_autoptr(AnnotationRow) existing = NULL;
  g_autoptr(DocketAnnotationRecord) saved = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *answer = NULL;
  gint64 seq;
  guint status;
  gboolean ok;

  existing = load_annotation (self, record->id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (existing != NULL && existing->owner_id != user->id)
    return set_error (error, DOCKET_SERVER_ERROR_CONFLICT,
                      _("id: another annotation has this id; make a new one"));
  /* A delete is final: a later put of the id, from a computer that had not heard of the
   * delete yet, is refused as gone. */
  if (existing != NULL && existing->deleted)
    return set_error (error, DOCKET_SERVER_ERROR_GONE, _("This annotation was deleted"));
  if (existing != NULL && !g_str_equal (existing->record->document_id, record->document_id))
    return set_error (error, DOCKET_SERVER_ERROR_CONFLICT,
                      _("document_id: an annotation cannot move to another document"));

  saved = docket_annotation_record_copy (record);
  saved->updated_at = now_ms ();
  saved->created_at = existing != NULL ? existing->record->created_at : MIN (record->created_at, saved->updated_at);
  status = existing != NULL ? 200 : 201;

  if (!docket_server_db_begin_change (self, &seq, error))
    return FALSE;
  saved->revision = seq;
  answer = annotation_answer (saved);

  ok = docket_server_db_run (self,
                             "INSERT INTO annotations (id, owner_id, meeting_id, document_id, page, kind,"
                             " color, geometry, contents, created_at, updated_at, revision, deleted)"
                             " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 0)"
                             " ON CONFLICT (id) DO UPDATE SET page = excluded.page,"
                             " kind = excluded.kind, color = excluded.color, geometry = excluded.geometry,"
                             " contents = excluded.contents, updated_at = excluded.updated_at,"
                             " revision = excluded.revision", error,
                             TEXT (saved->id), INT (user->id), TEXT (meeting_id),
                             TEXT (saved->document_id), INT (saved->page),
                             TEXT (docket_annotation_kind_to_string (saved->kind)),
                             TEXT (saved->color), TEXT (saved->geometry), TEXT (saved->contents),
                             INT (saved->created_at), INT (saved->updated_at), INT (saved->revision)) &&
       store_op (self, user, op_id, request, status, answer, error);
  if (!docket_server_db_end_change (self, ok, error))
    return FALSE;

  *out_status = status;
  *out_answer = g_steal_pointer (&answer);
  return TRUE;
}

static char *
delete_answer (const char *id,
               gint64      revision)
{
  g_autoptr(JsonNode) root = json_node_init_object (json_node_alloc (), NULL);
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "id", id);
  json_object_set_boolean_member (object, "deleted", TRUE);
  json_object_set_int_member (object, "revision", revision);
  json_node_take_object (root, object);
  return node_to_text (root);
}

gboolean
docket_server_db_delete_annotation (DocketServerDb          *self,
                                    const DocketServerUser  *user,
                                    const char              *id,
                                    const char              *op_id,
                                    const char              *request,
                                    char                   **out_answer,
                                    GError                 **error)
{
  g_autoptr(AnnotationRow) existing = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *answer = NULL;
  gint64 seq;
  gboolean ok;

  existing = load_annotation (self, id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  /* Another user's annotation is as if it did not exist; so is one of a meeting the
   * user does not see any more. */
  if (existing != NULL &&
      (existing->owner_id != user->id ||
       !docket_server_db_user_sees_meeting (self, user, existing->meeting_id, error)))
    {
      g_clear_error (error);
      return set_error (error, DOCKET_SERVER_ERROR_NOT_FOUND, _("No such annotation"));
    }

  /* Deleting what is not there (never sent, or deleted already) is done: nothing to do
   * but to remember the answer. */
  if (existing == NULL || existing->deleted)
    {
      if (!docket_server_db_begin (self, error))
        return FALSE;
      answer = delete_answer (id, existing != NULL ? existing->record->revision : 0);
      ok = store_op (self, user, op_id, request, 200, answer, error);
    }
  else
    {
      if (!docket_server_db_begin_change (self, &seq, error))
        return FALSE;
      answer = delete_answer (id, seq);
      /* What the official wrote goes; the row stays as the tombstone of the feed. */
      ok = docket_server_db_run (self,
                                 "UPDATE annotations SET deleted = 1, contents = '', geometry = '{}',"
                                 " revision = ?2, updated_at = ?3 WHERE id = ?1", error,
                                 TEXT (id), INT (seq), INT (now_ms ())) &&
           store_op (self, user, op_id, request, 200, answer, error);
    }
  if (!docket_server_db_end_change (self, ok, error))
    return FALSE;

  *out_answer = g_steal_pointer (&answer);
  return TRUE;
}

/* ---- notes ------------------------------------------------------------------------ */

static char *
note_answer (const DocketNoteRecord *note)
{
  g_autoptr(JsonNode) root = json_node_init_object (json_node_alloc (), NULL);
  JsonObject *object = json_object_new ();

  json_object_set_member (object, "note", docket_note_record_to_json (note));
  json_node_take_object (root, object);
  return node_to_text (root);
}

gboolean
docket_server_db_put_note (DocketServerDb          *self,
                           const DocketServerUser  *user,
                           const char              *meeting_id,
                           const DocketNoteRecord  *note,
                           const char              *op_id,
                           const char              *request,
                           char                   **out_answer,
                           GError                 **error)
{
  g_autoptr(DocketNoteRecord) saved = docket_note_record_copy (note);
  g_autofree char *answer = NULL;
  gint64 seq;
  gboolean ok;

  if (!docket_server_db_begin_change (self, &seq, error))
    return FALSE;
  saved->revision = seq;
  saved->updated_at = now_ms ();
  answer = note_answer (saved);

  ok = docket_server_db_run (self,
                             "INSERT INTO notes (owner_id, target, target_id, meeting_id, text,"
                             " updated_at, revision) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
                             " ON CONFLICT (owner_id, target, target_id) DO UPDATE SET"
                             " text = excluded.text, updated_at = excluded.updated_at,"
                             " revision = excluded.revision", error,
                             INT (user->id), TEXT (docket_note_target_to_string (saved->target)),
                             TEXT (saved->target_id), TEXT (meeting_id), TEXT (saved->text),
                             INT (saved->updated_at), INT (saved->revision)) &&
       store_op (self, user, op_id, request, 200, answer, error);
  if (!docket_server_db_end_change (self, ok, error))
    return FALSE;

  *out_answer = g_steal_pointer (&answer);
  return TRUE;
}

/* ---- the feed --------------------------------------------------------------------- */

typedef struct {
  DocketServerOwnFunc  func;
  gpointer             user_data;
  gboolean             include_deleted;
} OwnWalk;

static gboolean
walk_annotation (sqlite3_stmt  *stmt,
                 gpointer       user_data,
                 GError       **error)
{
  OwnWalk *walk = user_data;
  g_autoptr(AnnotationRow) row = annotation_row_from_stmt (stmt);
  DocketAnnotationRecord *record;
  gint64 revision = row->record->revision;
  g_autofree char *id = g_strdup (row->record->id);

  if (row->deleted && !walk->include_deleted)
    return TRUE;
  record = row->deleted ? NULL : g_steal_pointer (&row->record);
  return walk->func (revision, DOCKET_CHANGE_ANNOTATION, id, record, row->meeting_id,
                     walk->user_data, error);
}

static gboolean
walk_note (sqlite3_stmt  *stmt,
           gpointer       user_data,
           GError       **error)
{
  OwnWalk *walk = user_data;
  DocketNoteRecord *note = docket_note_record_new ();

  if (!docket_note_target_from_string ((const char *) sqlite3_column_text (stmt, 0), &note->target))
    note->target = DOCKET_NOTE_TARGET_DOCUMENT;
  note->target_id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  note->text = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  note->updated_at = sqlite3_column_int64 (stmt, 3);
  note->revision = sqlite3_column_int64 (stmt, 4);
  return walk->func (note->revision, DOCKET_CHANGE_NOTE, note->target_id, note,
                     (const char *) sqlite3_column_text (stmt, 5), walk->user_data, error);
}

gboolean
docket_server_db_each_own_change (DocketServerDb          *self,
                                  gint64                   user_id,
                                  const char              *meeting_id,
                                  gint64                   since,
                                  gint64                   top,
                                  gboolean                 include_deleted,
                                  DocketServerOwnFunc      func,
                                  gpointer                 user_data,
                                  GError                 **error)
{
  g_autoptr(sqlite3_stmt) annotations = NULL;
  g_autoptr(sqlite3_stmt) notes = NULL;
  OwnWalk walk = { func, user_data, include_deleted };

  /* ?4 NULL: every meeting. */
  annotations = docket_server_db_prepare_with (self,
                                               "SELECT " ANNOTATION_COLUMNS " FROM annotations"
                                               " WHERE owner_id = ?1 AND revision > ?2 AND revision <= ?3"
                                               " AND (?4 IS NULL OR meeting_id = ?4) ORDER BY revision",
                                               error, INT (user_id), INT (since), INT (top),
                                               TEXT (meeting_id));
  if (!docket_server_db_each_row (self, annotations, walk_annotation, &walk, error))
    return FALSE;

  notes = docket_server_db_prepare_with (self,
                                         "SELECT target, target_id, text, updated_at, revision, meeting_id"
                                         " FROM notes WHERE owner_id = ?1 AND revision > ?2 AND revision <= ?3"
                                         " AND (?4 IS NULL OR meeting_id = ?4) ORDER BY revision",
                                         error, INT (user_id), INT (since), INT (top),
                                         TEXT (meeting_id));
  return docket_server_db_each_row (self, notes, walk_note, &walk, error);
}
