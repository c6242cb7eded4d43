/* docket-store-annotations.c: the official's annotations and notes, and the outbox
 *
 * The official's own data is written here first, durably, and sent to the server later:
 * every save commits the new state and, in the same transaction, queues an operation with
 * a fresh op_id in the outbox. The sync engine (app/sync/docket-outbox.c) sends the
 * operations in order and reports each answer back, which is applied in one transaction
 * with the operation's removal. What the feed brings of this data is applied by
 * docket_store_apply_own_change_locked (), where a pending operation wins: the local state
 * reaches the server and comes back.
 *
 * In the outbox, entity_id is the annotation's id, or "TARGET/ID" for a note (a '/'
 * is never in an id, so the two never meet).
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "docket-store.h"
#include "docket-record-rows.h"
#include "docket-store-private.h"

static const char * const outbox_kind_names[] = {
  "put_annotation",
  "delete_annotation",
  "put_note",
};

static gint64
now_ms (void)
{
  return g_get_real_time () / 1000;
}

static gboolean
outbox_kind_from_string (const char       *text,
                         DocketOutboxKind *out_kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (outbox_kind_names); i++)
    {
      if (g_strcmp0 (outbox_kind_names[i], text) == 0)
        {
          *out_kind = (DocketOutboxKind) i;
          return TRUE;
        }
    }

  return FALSE;
}

static char *
note_key (DocketNoteTarget  target,
          const char       *target_id)
{
  return g_strconcat (docket_note_target_to_string (target), "/", target_id, NULL);
}

/* Windows and old Mac line ends, from a paste, become "\n": the protocol's texts allow
 * no other control characters. */
static char *
normalize_newlines (const char *text)
{
  GString *out = g_string_sized_new (text != NULL ? strlen (text) : 0);

  for (const char *p = text; p != NULL && *p != '\0'; p++)
    {
      if (*p == '\r')
        {
          g_string_append_c (out, '\n');
          if (p[1] == '\n')
            p++;
        }
      else
        g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

void
docket_outbox_op_free (DocketOutboxOp *op)
{
  if (op == NULL)
    return;

  g_free (op->op_id);
  g_free (op->entity_id);
  g_free (op->body);
  g_free (op->last_error);
  g_free (op);
}

/* ---- transactions ----------------------------------------------------------------- */

static gboolean
begin_locked (DocketStore  *self,
              GError      **error)
{
  return docket_store_begin_locked (self, error);
}

static gboolean
commit_locked (DocketStore  *self,
               GError      **error)
{
  if (docket_store_commit_locked (self, error))
    return TRUE;

  docket_store_rollback_locked (self);
  return FALSE;
}

static void
rollback_locked (DocketStore *self)
{
  if (!sqlite3_get_autocommit (docket_store_get_db (self)))
    docket_store_rollback_locked (self);
}

/* A step of a transaction: what it writes, under the lock, inside the transaction. */
typedef gboolean (*LockedStep) (DocketStore  *self,
                                gpointer      data,
                                GError      **error);

/* Runs step in one transaction under the lock: all of it is committed, or none. */
static gboolean
run_transaction (DocketStore  *self,
                 LockedStep    step,
                 gpointer      data,
                 GError      **error)
{
  gboolean ok;

  docket_store_lock (self);
  ok = begin_locked (self, error);
  if (ok && !step (self, data, error))
    {
      rollback_locked (self);
      ok = FALSE;
    }
  else if (ok)
    ok = commit_locked (self, error);
  docket_store_unlock (self);

  return ok;
}

/* After the commit of an edit of the official's: the models reload, and the sync
 * engine sends the operation it queued. */
static void
queue_edited (DocketStore *self)
{
  docket_store_queue_changed (self);
  docket_store_queue_outbox_changed (self);
}

/* When in doubt (the question cannot be asked), keep the local state: it is the
 * official's. */
static gboolean
has_pending_locked (DocketStore *self,
                    const char  *entity_id)
{
  return docket_store_collect_exists_locked (self,
                                             docket_store_prepare_with (self,
                                                                        "SELECT 1 FROM outbox WHERE entity_id = ?1 LIMIT 1",
                                                                        NULL,
                                                                        DOCKET_SQLITE_TEXT (entity_id)));
}

/* Queues an operation on entity_id. The last operation waiting for the same entity is
 * folded into it when it is a put (a later put or a delete supersedes it): it keeps its
 * place in the queue and takes the new op_id, so that an answer to the old op_id, sent
 * before the fold, does not remove the new state. */
static gboolean
queue_op_locked (DocketStore       *self,
                 DocketOutboxKind   kind,
                 const char        *entity_id,
                 const char        *body,
                 GError           **error)
{
  g_autofree char *op_id = g_uuid_string_random ();
  sqlite3_stmt *stmt;
  gint64 last_seq = -1;
  DocketOutboxKind last_kind = kind;

  stmt = docket_store_prepare (self,
                               "SELECT seq, kind FROM outbox WHERE entity_id = ?1"
                               " ORDER BY seq DESC LIMIT 1",
                               error);
  if (stmt == NULL)
    return FALSE;
  docket_sqlite_bind_text (stmt, 1, entity_id);
  if (sqlite3_step (stmt) == SQLITE_ROW &&
      outbox_kind_from_string ((const char *) sqlite3_column_text (stmt, 1), &last_kind))
    last_seq = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  if (last_seq >= 0 &&
      (last_kind == DOCKET_OUTBOX_PUT_ANNOTATION || last_kind == DOCKET_OUTBOX_PUT_NOTE))
    {
      stmt = docket_store_prepare (self,
                                   "UPDATE outbox SET op_id = ?1, kind = ?2, body = ?3, created_at = ?4,"
                                   " attempts = 0, last_error = NULL WHERE seq = ?5",
                                   error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 5, last_seq);
    }
  else
    {
      stmt = docket_store_prepare (self,
                                   "INSERT INTO outbox (op_id, kind, body, created_at, entity_id)"
                                   " VALUES (?1, ?2, ?3, ?4, ?5)",
                                   error);
      if (stmt == NULL)
        return FALSE;
      docket_sqlite_bind_text (stmt, 5, entity_id);
    }

  docket_sqlite_bind_text (stmt, 1, op_id);
  docket_sqlite_bind_text (stmt, 2, outbox_kind_names[kind]);
  docket_sqlite_bind_text (stmt, 3, body);
  sqlite3_bind_int64 (stmt, 4, now_ms ());

  return docket_store_step_done (self, stmt, error);
}

/* ---- annotations: reads ---------------------------------------------------------- */

#define ANNOTATION_COLUMNS DOCKET_ANNOTATION_ROW_COLUMNS ", deleted"

/* The annotation of ANNOTATION_COLUMNS; out_deleted (may be NULL) gets whether it is a
 * tombstone. */
static DocketAnnotationRecord *
annotation_from_row (sqlite3_stmt *stmt,
                     gboolean     *out_deleted)
{
  if (out_deleted != NULL)
    *out_deleted = sqlite3_column_int (stmt, DOCKET_ANNOTATION_ROW_N_COLUMNS) != 0;

  return docket_annotation_record_from_row (stmt);
}

/* A DocketStoreRowReader; out_deleted (a gboolean *) may be NULL. */
static gpointer
read_annotation (DocketStore   *self,
                 sqlite3_stmt  *stmt,
                 gpointer       out_deleted,
                 GError       **error)
{
  return annotation_from_row (stmt, out_deleted);
}

/* NULL without error when there is none. */
static DocketAnnotationRecord *
load_annotation_locked (DocketStore  *self,
                        const char   *annotation_id,
                        gboolean     *out_deleted,
                        GError      **error)
{
  sqlite3_stmt *stmt = docket_store_prepare_with (self,
                                                  "SELECT " ANNOTATION_COLUMNS " FROM annotations WHERE id = ?1",
                                                  error, DOCKET_SQLITE_TEXT (annotation_id));

  return docket_store_collect_row_locked (self, stmt, read_annotation, out_deleted,
                                          "annotations", error);
}

DocketAnnotationRecord *
docket_store_get_annotation (DocketStore  *self,
                             const char   *annotation_id,
                             gboolean     *out_deleted,
                             GError      **error)
{
  DocketAnnotationRecord *record;

  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);
  g_return_val_if_fail (annotation_id != NULL, NULL);

  docket_store_lock (self);
  record = load_annotation_locked (self, annotation_id, out_deleted, error);
  docket_store_unlock (self);

  return record;
}

GPtrArray *
docket_store_list_annotations (DocketStore  *self,
                               const char   *document_id,
                               GError      **error)
{
  sqlite3_stmt *stmt;
  GPtrArray *records;

  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);
  g_return_val_if_fail (document_id != NULL, NULL);

  docket_store_lock (self);
  stmt = docket_store_prepare_with (self,
                                    "SELECT " ANNOTATION_COLUMNS " FROM annotations"
                                    " WHERE document_id = ?1 AND deleted = 0"
                                    " ORDER BY page, created_at, id",
                                    error, DOCKET_SQLITE_TEXT (document_id));
  records = docket_store_collect_rows_locked (self, stmt, read_annotation, NULL,
                                              (GDestroyNotify) docket_annotation_record_free,
                                              "annotations", error);
  docket_store_unlock (self);

  return records;
}

static gpointer
list_annotations_job (DocketStore  *self,
                      gpointer      data,
                      GError      **error)
{
  return docket_store_list_annotations (self, data, error);
}

void
docket_store_list_annotations_async (DocketStore         *self,
                                     const char          *document_id,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (DOCKET_IS_STORE (self));
  g_return_if_fail (document_id != NULL);

  docket_store_run_in_thread (self, list_annotations_job, g_strdup (document_id), g_free,
                              (GDestroyNotify) g_ptr_array_unref,
                              docket_store_list_annotations_async,
                              cancellable, callback, user_data);
}

GPtrArray *
docket_store_list_annotations_finish (DocketStore   *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  return docket_store_run_finish (self, result, docket_store_list_annotations_async, error);
}

/* ---- annotations: writes ---------------------------------------------------------- */

static gboolean
upsert_annotation_locked (DocketStore                  *self,
                          const DocketAnnotationRecord *record,
                          GError                      **error)
{
  sqlite3_stmt *stmt = docket_store_prepare (self,
                                             "INSERT INTO annotations (id, document_id, page, kind, color, geometry,"
                                             "                         contents, created_at, updated_at, revision, deleted)"
                                             " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 0)"
                                             " ON CONFLICT (id) DO UPDATE SET"
                                             "  document_id = excluded.document_id, page = excluded.page,"
                                             "  kind = excluded.kind, color = excluded.color,"
                                             "  geometry = excluded.geometry, contents = excluded.contents,"
                                             "  created_at = excluded.created_at, updated_at = excluded.updated_at,"
                                             "  revision = excluded.revision, deleted = 0",
                                             error);

  if (stmt == NULL)
    return FALSE;

  docket_sqlite_bind_text (stmt, 1, record->id);
  docket_sqlite_bind_text (stmt, 2, record->document_id);
  sqlite3_bind_int (stmt, 3, record->page);
  docket_sqlite_bind_text (stmt, 4, docket_annotation_kind_to_string (record->kind));
  docket_sqlite_bind_text (stmt, 5, record->color);
  docket_sqlite_bind_text (stmt, 6, record->geometry);
  docket_sqlite_bind_text (stmt, 7, record->contents != NULL ? record->contents : "");
  sqlite3_bind_int64 (stmt, 8, record->created_at);
  sqlite3_bind_int64 (stmt, 9, record->updated_at);
  sqlite3_bind_int64 (stmt, 10, record->revision);

  return docket_store_step_done (self, stmt, error);
}

/* What is saved: the record with the store's times and revision, checked by the same
 * codec the server uses, so that nothing the server would refuse enters the outbox.
 * The geometry comes back canonical and the colour in lowercase. */
static DocketAnnotationRecord *
checked_annotation (const DocketAnnotationRecord *record,
                    const DocketAnnotationRecord *existing,
                    GError                      **error)
{
  g_autoptr(DocketAnnotationRecord) copy = docket_annotation_record_copy (record);
  g_autoptr(DocketAnnotationRecord) checked = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 now = now_ms ();

  g_free (copy->contents);
  copy->contents = normalize_newlines (record->contents);
  copy->updated_at = now;
  if (existing != NULL)
    {
      copy->created_at = existing->created_at;
      copy->revision = existing->revision;
    }
  else
    {
      copy->created_at = record->created_at > 0 ? record->created_at : now;
      copy->revision = 0;
    }

  node = docket_annotation_record_to_json (copy);
  checked = docket_annotation_record_from_json (node, &local_error);
  if (checked == NULL)
    {
      g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_INVALID,
                   /* Translators: %s says which field, in English, for the developers */
                   _("This annotation cannot be saved (%s)."), local_error->message);
      return NULL;
    }

  return g_steal_pointer (&checked);
}

/* A LockedStep; data is the DocketAnnotationRecord. */
static gboolean
save_annotation_locked (DocketStore  *self,
                        gpointer      data,
                        GError      **error)
{
  const DocketAnnotationRecord *record = data;
  g_autoptr(DocketAnnotationRecord) existing = NULL;
  g_autoptr(DocketAnnotationRecord) checked = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean deleted = FALSE;

  existing = load_annotation_locked (self, record->id, &deleted, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  /* A delete is final (docs/protocol.md, "Conflicts"). */
  if (existing != NULL && deleted)
    {
      g_set_error_literal (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_INVALID,
                           _("This annotation was deleted and cannot be changed any more."));
      return FALSE;
    }
  if (existing != NULL && g_strcmp0 (existing->document_id, record->document_id) != 0)
    {
      g_set_error_literal (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_INVALID,
                           _("An annotation cannot move to another document."));
      return FALSE;
    }

  if (!(checked = checked_annotation (record, existing, error)))
    return FALSE;

  node = docket_annotation_record_to_json (checked);
  body = json_to_string (node, FALSE);

  return upsert_annotation_locked (self, checked, error) &&
         queue_op_locked (self, DOCKET_OUTBOX_PUT_ANNOTATION, checked->id, body, error);
}

gboolean
docket_store_save_annotation (DocketStore                   *self,
                              const DocketAnnotationRecord  *record,
                              GError                       **error)
{
  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);
  g_return_val_if_fail (record != NULL, FALSE);

  if (!docket_protocol_id_is_valid (record->id) || !docket_protocol_id_is_valid (record->document_id))
    {
      g_set_error_literal (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_INVALID,
                           _("This annotation cannot be saved (its id or its document's is not valid)."));
      return FALSE;
    }

  if (!run_transaction (self, save_annotation_locked, (gpointer) record, error))
    return FALSE;

  queue_edited (self);
  return TRUE;
}

static gpointer
save_annotation_job (DocketStore  *self,
                     gpointer      data,
                     GError      **error)
{
  return docket_store_save_annotation (self, data, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

void
docket_store_save_annotation_async (DocketStore                  *self,
                                    const DocketAnnotationRecord *record,
                                    GCancellable                 *cancellable,
                                    GAsyncReadyCallback           callback,
                                    gpointer                      user_data)
{
  g_return_if_fail (DOCKET_IS_STORE (self));
  g_return_if_fail (record != NULL);

  /* Not cancellable once started: a save that began must end. */
  docket_store_run_in_thread (self, save_annotation_job, docket_annotation_record_copy (record),
                              (GDestroyNotify) docket_annotation_record_free, NULL,
                              docket_store_save_annotation_async, cancellable, callback, user_data);
}

gboolean
docket_store_save_annotation_finish (DocketStore   *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  return docket_store_run_finish (self, result, docket_store_save_annotation_async, error) != NULL;
}

typedef struct {
  const char *annotation_id;
  gboolean    queued;      /* FALSE when there was nothing to delete */
} AnnotationDelete;

/* A LockedStep; data is an AnnotationDelete. */
static gboolean
delete_annotation_locked (DocketStore  *self,
                          gpointer      data,
                          GError      **error)
{
  AnnotationDelete *delete = data;
  const char *annotation_id = delete->annotation_id;
  g_autoptr(DocketAnnotationRecord) existing = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *updated_at = g_strdup_printf ("%" G_GINT64_FORMAT, now_ms ());
  gboolean deleted = FALSE;

  delete->queued = FALSE;

  existing = load_annotation_locked (self, annotation_id, &deleted, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (existing == NULL || deleted)
    return TRUE;

  /* The row stays as a tombstone until the server has the delete: until then the feed
   * must not bring the annotation back. */
  if (!docket_store_run (self,
                         "UPDATE annotations SET deleted = 1, updated_at = CAST (?2 AS INTEGER) WHERE id = ?1",
                         error, DOCKET_SQLITE_TEXT (annotation_id), DOCKET_SQLITE_TEXT (updated_at)) ||
      !queue_op_locked (self, DOCKET_OUTBOX_DELETE_ANNOTATION, annotation_id, "", error))
    return FALSE;

  delete->queued = TRUE;
  return TRUE;
}

gboolean
docket_store_delete_annotation (DocketStore  *self,
                                const char   *annotation_id,
                                GError      **error)
{
  AnnotationDelete delete = { .annotation_id = annotation_id };

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);
  g_return_val_if_fail (annotation_id != NULL, FALSE);

  if (!run_transaction (self, delete_annotation_locked, &delete, error))
    return FALSE;

  if (delete.queued)
    queue_edited (self);
  return TRUE;
}

static gpointer
delete_annotation_job (DocketStore  *self,
                       gpointer      data,
                       GError      **error)
{
  return docket_store_delete_annotation (self, data, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

void
docket_store_delete_annotation_async (DocketStore         *self,
                                      const char          *annotation_id,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (DOCKET_IS_STORE (self));
  g_return_if_fail (annotation_id != NULL);

  docket_store_run_in_thread (self, delete_annotation_job, g_strdup (annotation_id), g_free, NULL,
                              docket_store_delete_annotation_async, cancellable, callback, user_data);
}

gboolean
docket_store_delete_annotation_finish (DocketStore   *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return docket_store_run_finish (self, result, docket_store_delete_annotation_async, error) != NULL;
}

/* ---- notes ------------------------------------------------------------------------ */

char *
docket_store_dup_note (DocketStore       *self,
                       DocketNoteTarget   target,
                       const char        *target_id,
                       GError           **error)
{
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;
  char *text;

  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);
  g_return_val_if_fail (target_id != NULL, NULL);

  docket_store_lock (self);
  stmt = docket_store_prepare (self,
                               "SELECT text FROM notes WHERE target_kind = ?1 AND target_id = ?2",
                               &local_error);
  if (stmt != NULL)
    {
      /* Bound one by one: an unknown target is NULL, which would end a list of texts. */
      docket_sqlite_bind_text (stmt, 1, docket_note_target_to_string (target));
      docket_sqlite_bind_text (stmt, 2, target_id);
    }
  text = docket_store_collect_row_locked (self, stmt, docket_store_read_text, NULL,
                                          "notes", &local_error);
  docket_store_unlock (self);

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  /* No note yet is an empty one. */
  return text != NULL ? text : g_strdup ("");
}

static gboolean
upsert_note_locked (DocketStore             *self,
                    const DocketNoteRecord  *note,
                    GError                 **error)
{
  sqlite3_stmt *stmt = docket_store_prepare (self,
                                             "INSERT INTO notes (target_kind, target_id, text, updated_at, revision)"
                                             " VALUES (?1, ?2, ?3, ?4, ?5)"
                                             " ON CONFLICT (target_kind, target_id) DO UPDATE SET"
                                             "  text = excluded.text, updated_at = excluded.updated_at,"
                                             "  revision = excluded.revision",
                                             error);

  if (stmt == NULL)
    return FALSE;

  docket_sqlite_bind_text (stmt, 1, docket_note_target_to_string (note->target));
  docket_sqlite_bind_text (stmt, 2, note->target_id);
  docket_sqlite_bind_text (stmt, 3, note->text != NULL ? note->text : "");
  sqlite3_bind_int64 (stmt, 4, note->updated_at);
  sqlite3_bind_int64 (stmt, 5, note->revision);

  return docket_store_step_done (self, stmt, error);
}

/* The revision the store has of a note, 0 when none. */
static gint64
note_revision_locked (DocketStore      *self,
                      DocketNoteTarget  target,
                      const char       *target_id)
{
  sqlite3_stmt *stmt = docket_store_prepare (self,
                                             "SELECT revision FROM notes WHERE target_kind = ?1 AND target_id = ?2",
                                             NULL);
  gint64 revision = 0;

  if (stmt == NULL)
    return 0;

  docket_sqlite_bind_text (stmt, 1, docket_note_target_to_string (target));
  docket_sqlite_bind_text (stmt, 2, target_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    revision = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return revision;
}

typedef struct {
  DocketNoteTarget  target;
  const char       *target_id;
  const char       *text;
} NoteEdit;

/* A LockedStep; data is a NoteEdit. */
static gboolean
save_note_locked (DocketStore  *self,
                  gpointer      data,
                  GError      **error)
{
  const NoteEdit *edit = data;
  DocketNoteTarget target = edit->target;
  const char *target_id = edit->target_id;
  g_autoptr(DocketNoteRecord) note = docket_note_record_new ();
  g_autoptr(DocketNoteRecord) checked = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *body = NULL;
  g_autofree char *key = note_key (target, target_id);

  note->target = target;
  note->target_id = g_strdup (target_id);
  note->text = normalize_newlines (edit->text);
  note->updated_at = now_ms ();
  note->revision = note_revision_locked (self, target, target_id);

  node = docket_note_record_to_json (note);
  checked = docket_note_record_from_json (node, &local_error);
  if (checked == NULL)
    {
      g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_INVALID,
                   /* Translators: %s says which field, in English, for the developers */
                   _("This note cannot be saved (%s)."), local_error->message);
      return FALSE;
    }
  body = json_to_string (node, FALSE);

  return upsert_note_locked (self, checked, error) &&
         queue_op_locked (self, DOCKET_OUTBOX_PUT_NOTE, key, body, error);
}

gboolean
docket_store_save_note (DocketStore       *self,
                        DocketNoteTarget   target,
                        const char        *target_id,
                        const char        *text,
                        GError           **error)
{
  NoteEdit edit = { .target = target, .target_id = target_id, .text = text };

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  if (!docket_protocol_id_is_valid (target_id) ||
      docket_note_target_to_string (target) == NULL)
    {
      g_set_error_literal (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_INVALID,
                           _("This note cannot be saved (what it is on is not valid)."));
      return FALSE;
    }

  if (!run_transaction (self, save_note_locked, &edit, error))
    return FALSE;

  queue_edited (self);
  return TRUE;
}

typedef struct {
  DocketNoteTarget  target;
  char             *target_id;
  char             *text;
} NoteSave;

static void
note_save_free (NoteSave *save)
{
  g_free (save->target_id);
  g_free (save->text);
  g_free (save);
}

static gpointer
save_note_job (DocketStore  *self,
               gpointer      data,
               GError      **error)
{
  NoteSave *save = data;

  return docket_store_save_note (self, save->target, save->target_id, save->text, error)
         ? GINT_TO_POINTER (TRUE) : NULL;
}

void
docket_store_save_note_async (DocketStore         *self,
                              DocketNoteTarget     target,
                              const char          *target_id,
                              const char          *text,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  NoteSave *save;

  g_return_if_fail (DOCKET_IS_STORE (self));
  g_return_if_fail (target_id != NULL);
  g_return_if_fail (text != NULL);

  save = g_new0 (NoteSave, 1);
  save->target = target;
  save->target_id = g_strdup (target_id);
  save->text = g_strdup (text);
  docket_store_run_in_thread (self, save_note_job, save, (GDestroyNotify) note_save_free, NULL,
                              docket_store_save_note_async, cancellable, callback, user_data);
}

gboolean
docket_store_save_note_finish (DocketStore   *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return docket_store_run_finish (self, result, docket_store_save_note_async, error) != NULL;
}

/* ---- the feed --------------------------------------------------------------------- */

static gboolean
apply_annotation_change_locked (DocketStore   *self,
                                DocketChange  *change,
                                GError       **error)
{
  DocketAnnotationRecord *record = change->record;
  g_autoptr(DocketAnnotationRecord) existing = NULL;
  g_autoptr(GError) local_error = NULL;

  /* Operations of it still to go: the local state wins until the server has it. */
  if (has_pending_locked (self, change->id))
    return TRUE;

  if (change->deleted)
    return docket_store_run (self,
                             "DELETE FROM annotations WHERE id = ?1",
                             error, DOCKET_SQLITE_TEXT (change->id));

  existing = load_annotation_locked (self, change->id, NULL, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  /* An older state than what the store has (it answered a push of ours) changes nothing. */
  if (existing != NULL && existing->revision > record->revision)
    return TRUE;

  return upsert_annotation_locked (self, record, error);
}

static gboolean
apply_note_change_locked (DocketStore   *self,
                          DocketChange  *change,
                          GError       **error)
{
  DocketNoteRecord *note = change->record;
  g_autofree char *key = NULL;

  if (change->deleted)
    {
      /* A deletion names only what the note was on: both kinds of target go (the ids of
       * agenda items and documents do not meet on a server that follows the protocol). */
      for (guint t = DOCKET_NOTE_TARGET_AGENDA_ITEM; t <= DOCKET_NOTE_TARGET_DOCUMENT; t++)
        {
          g_autofree char *target_key = note_key (t, change->id);

          if (has_pending_locked (self, target_key))
            continue;
          if (!docket_store_run (self,
                                 "DELETE FROM notes WHERE target_kind = ?1 AND target_id = ?2",
                                 error,
                                 DOCKET_SQLITE_TEXT (docket_note_target_to_string (t)),
                                 DOCKET_SQLITE_TEXT (change->id)))
            return FALSE;
        }
      return TRUE;
    }

  key = note_key (note->target, note->target_id);
  if (has_pending_locked (self, key))
    return TRUE;
  if (note_revision_locked (self, note->target, note->target_id) > note->revision)
    return TRUE;

  return upsert_note_locked (self, note, error);
}

gboolean
docket_store_apply_own_change_locked (DocketStore   *self,
                                      DocketChange  *change,
                                      GError       **error)
{
  if (!change->deleted && change->record == NULL)
    {
      g_set_error_literal (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_INVALID,
                           _("A change without its data."));
      return FALSE;
    }

  switch (change->type)
    {
    case DOCKET_CHANGE_ANNOTATION:
      return apply_annotation_change_locked (self, change, error);
    case DOCKET_CHANGE_NOTE:
      return apply_note_change_locked (self, change, error);
    default:
      g_return_val_if_reached (TRUE);
    }
}

/* ---- full syncs (docket-store-feed.c) --------------------------------------------- */

gboolean
docket_store_own_change_seen_locked (DocketStore   *self,
                                     DocketChange  *change,
                                     GError       **error)
{
  g_autofree char *key = NULL;
  g_autofree char *revision = NULL;
  const char *type;

  if (change->deleted || change->record == NULL)
    return TRUE;
  if (change->type == DOCKET_CHANGE_ANNOTATION)
    {
      const DocketAnnotationRecord *record = change->record;

      type = "annotation";
      key = g_strdup (change->id);
      revision = g_strdup_printf ("%" G_GINT64_FORMAT, record->revision);
    }
  else
    {
      const DocketNoteRecord *note = change->record;

      type = "note";
      key = note_key (note->target, note->target_id);
      revision = g_strdup_printf ("%" G_GINT64_FORMAT, note->revision);
    }
  /* The highest revision the server sent of it. */
  return docket_store_run (self,
                           "INSERT INTO full_sync_seen (type, id, revision) VALUES (?1, ?2, ?3)"
                           " ON CONFLICT (type, id) DO UPDATE SET"
                           " revision = MAX (revision, excluded.revision)",
                           error,
                           DOCKET_SQLITE_TEXT (type),
                           DOCKET_SQLITE_TEXT (key),
                           DOCKET_SQLITE_TEXT (revision));
}

/* The annotations and notes the server had answered (revision > 0) that a full sync did
 * not bring back, or brought back older, with nothing of them waiting: the server lost
 * them (restored from an older backup). */
#define LOST_ANNOTATIONS_SQL \
  "SELECT " ANNOTATION_COLUMNS " FROM annotations a WHERE NOT deleted AND revision > 0" \
  " AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.entity_id = a.id)" \
  " AND NOT EXISTS (SELECT 1 FROM full_sync_seen s WHERE s.type = 'annotation'" \
  "  AND s.id = a.id AND s.revision >= a.revision)"
#define LOST_NOTES_SQL \
  "SELECT target_kind, target_id, text, updated_at, revision FROM notes n WHERE revision > 0" \
  " AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.entity_id = n.target_kind || '/' || n.target_id)" \
  " AND NOT EXISTS (SELECT 1 FROM full_sync_seen s WHERE s.type = 'note'" \
  "  AND s.id = n.target_kind || '/' || n.target_id AND s.revision >= n.revision)"

static gpointer
read_note (DocketStore   *self,
           sqlite3_stmt  *stmt,
           gpointer       user_data,
           GError       **error)
{
  g_autoptr(DocketNoteRecord) note = docket_note_record_new ();

  /* A row this code did not write is skipped, not sent. */
  if (!docket_note_target_from_string ((const char *) sqlite3_column_text (stmt, 0), &note->target))
    return NULL;
  note->target_id = docket_sqlite_column_dup (stmt, 1);
  note->text = docket_sqlite_column_dup (stmt, 2);
  note->updated_at = sqlite3_column_int64 (stmt, 3);
  note->revision = sqlite3_column_int64 (stmt, 4);
  return g_steal_pointer (&note);
}

gboolean
docket_store_requeue_lost_own_data_locked (DocketStore  *self,
                                           guint        *out_queued,
                                           GError      **error)
{
  g_autoptr(GPtrArray) annotations = NULL;
  g_autoptr(GPtrArray) notes = NULL;

  annotations = docket_store_collect_rows_locked (self, docket_store_prepare (self, LOST_ANNOTATIONS_SQL, error),
                                                  read_annotation, NULL,
                                                  (GDestroyNotify) docket_annotation_record_free,
                                                  "annotations", error);
  if (annotations == NULL)
    return FALSE;
  notes = docket_store_collect_rows_locked (self, docket_store_prepare (self, LOST_NOTES_SQL, error),
                                            read_note, NULL, (GDestroyNotify) docket_note_record_free,
                                            "notes", error);
  if (notes == NULL)
    return FALSE;

  for (guint i = 0; i < annotations->len; i++)
    {
      const DocketAnnotationRecord *record = g_ptr_array_index (annotations, i);
      g_autoptr(JsonNode) node = docket_annotation_record_to_json (record);
      g_autofree char *body = json_to_string (node, FALSE);

      if (!queue_op_locked (self, DOCKET_OUTBOX_PUT_ANNOTATION, record->id, body, error))
        return FALSE;
    }
  for (guint i = 0; i < notes->len; i++)
    {
      const DocketNoteRecord *note = g_ptr_array_index (notes, i);
      g_autoptr(JsonNode) node = docket_note_record_to_json (note);
      g_autofree char *body = json_to_string (node, FALSE);
      g_autofree char *key = note_key (note->target, note->target_id);

      if (!queue_op_locked (self, DOCKET_OUTBOX_PUT_NOTE, key, body, error))
        return FALSE;
    }
  *out_queued = annotations->len + notes->len;
  return TRUE;
}

gboolean
docket_store_clear_own_data_locked (DocketStore  *self,
                                    GError      **error)
{
  return docket_store_exec (self, "DELETE FROM annotations", error) &&
         docket_store_exec (self, "DELETE FROM notes", error) &&
         docket_store_exec (self, "DELETE FROM outbox", error) &&
         docket_store_exec (self, "DELETE FROM outbox_refused", error);
}

/* ---- the outbox ------------------------------------------------------------------- */

static DocketOutboxOp *
op_from_row (sqlite3_stmt *stmt)
{
  g_autoptr(DocketOutboxOp) op = g_new0 (DocketOutboxOp, 1);
  g_autofree char *entity_id = docket_sqlite_column_dup (stmt, 3);
  const char *slash;

  op->seq = sqlite3_column_int64 (stmt, 0);
  op->op_id = docket_sqlite_column_dup (stmt, 1);
  if (!outbox_kind_from_string ((const char *) sqlite3_column_text (stmt, 2), &op->kind) ||
      entity_id == NULL)
    return NULL;
  op->body = docket_sqlite_column_dup (stmt, 4);
  op->attempts = (guint) sqlite3_column_int (stmt, 5);
  op->last_error = docket_sqlite_column_dup (stmt, 6);

  if (op->kind == DOCKET_OUTBOX_PUT_NOTE)
    {
      g_autofree char *target = NULL;

      slash = strchr (entity_id, '/');
      if (slash == NULL)
        return NULL;
      target = g_strndup (entity_id, slash - entity_id);
      if (!docket_note_target_from_string (target, &op->note_target))
        return NULL;
      op->entity_id = g_strdup (slash + 1);
    }
  else
    op->entity_id = g_steal_pointer (&entity_id);

  return g_steal_pointer (&op);
}

/* Rows that cannot be read (never written by this code) are skipped, not sent. */
static GPtrArray *
list_ops_locked (DocketStore  *self,
                 const char   *sql,
                 guint         max_ops,
                 GError      **error)
{
  g_autoptr(GPtrArray) ops = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_outbox_op_free);
  sqlite3_stmt *stmt = docket_store_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, max_ops);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      DocketOutboxOp *op = op_from_row (stmt);

      if (op != NULL)
        g_ptr_array_add (ops, op);
      else
        g_message ("outbox: an operation that cannot be read was skipped");
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      docket_store_set_sqlite_error (error, docket_store_get_db (self), rc, "outbox");
      return NULL;
    }

  return g_steal_pointer (&ops);
}

GPtrArray *
docket_store_list_outbox (DocketStore  *self,
                          guint         max_ops,
                          GError      **error)
{
  GPtrArray *ops;

  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);

  docket_store_lock (self);
  ops = list_ops_locked (self,
                         "SELECT seq, op_id, kind, entity_id, body, attempts, last_error"
                         " FROM outbox ORDER BY seq LIMIT ?1",
                         max_ops, error);
  docket_store_unlock (self);

  return ops;
}

GPtrArray *
docket_store_list_outbox_refused (DocketStore  *self,
                                  GError      **error)
{
  GPtrArray *ops;

  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);

  docket_store_lock (self);
  ops = list_ops_locked (self,
                         "SELECT refused_at, op_id, kind, entity_id, body, 0, reason"
                         " FROM outbox_refused ORDER BY refused_at DESC, rowid DESC LIMIT ?1",
                         G_MAXINT, error);
  docket_store_unlock (self);

  return ops;
}

/* Runs step in one transaction under the lock; emits "changed" after the commit. */
static gboolean
in_transaction (DocketStore   *self,
                LockedStep     step,
                gconstpointer  data,
                GError       **error)
{
  if (!run_transaction (self, step, (gpointer) data, error))
    return FALSE;

  docket_store_queue_changed (self);
  return TRUE;
}

typedef struct {
  const char *op_id;
  const char *entity_id;
  gconstpointer answer;
  const DocketOutboxOp *op;
  const char *reason;
  gboolean gone;
} OutboxStep;

static gboolean
remove_op_locked (DocketStore  *self,
                  const char   *op_id,
                  GError      **error)
{
  return docket_store_run (self,
                           "DELETE FROM outbox WHERE op_id = ?1",
                           error, DOCKET_SQLITE_TEXT (op_id));
}

static gboolean
done_put_annotation_locked (DocketStore   *self,
                            gpointer       data,
                            GError       **error)
{
  const OutboxStep *step = data;
  const DocketAnnotationRecord *answer = step->answer;
  sqlite3_stmt *stmt;

  if (!remove_op_locked (self, step->op_id, error))
    return FALSE;

  /* The server's revision always; its time only when nothing newer waits to go. */
  stmt = docket_store_prepare (self,
                               "UPDATE annotations SET revision = max (revision, ?2),"
                               " updated_at = CASE WHEN EXISTS (SELECT 1 FROM outbox WHERE entity_id = ?1)"
                               "  THEN updated_at ELSE ?3 END"
                               " WHERE id = ?1",
                               error);
  if (stmt == NULL)
    return FALSE;
  docket_sqlite_bind_text (stmt, 1, answer->id);
  sqlite3_bind_int64 (stmt, 2, answer->revision);
  sqlite3_bind_int64 (stmt, 3, answer->updated_at);

  return docket_store_step_done (self, stmt, error);
}

gboolean
docket_store_outbox_done_put_annotation (DocketStore                   *self,
                                         const char                    *op_id,
                                         const DocketAnnotationRecord  *answer,
                                         GError                       **error)
{
  OutboxStep step = { .op_id = op_id, .answer = answer };

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);
  g_return_val_if_fail (op_id != NULL && answer != NULL && answer->id != NULL, FALSE);

  return in_transaction (self, done_put_annotation_locked, &step, error);
}

/* A deleted annotation's tombstone goes once no operation of it waits. */
static gboolean
forget_tombstone_locked (DocketStore  *self,
                         const char   *annotation_id,
                         GError      **error)
{
  return docket_store_run (self,
                           "DELETE FROM annotations WHERE id = ?1 AND deleted = 1"
                           " AND NOT EXISTS (SELECT 1 FROM outbox WHERE entity_id = ?1)",
                           error, DOCKET_SQLITE_TEXT (annotation_id));
}

static gboolean
done_delete_annotation_locked (DocketStore   *self,
                               gpointer       data,
                               GError       **error)
{
  const OutboxStep *step = data;

  return remove_op_locked (self, step->op_id, error) &&
         forget_tombstone_locked (self, step->entity_id, error);
}

gboolean
docket_store_outbox_done_delete_annotation (DocketStore  *self,
                                            const char   *op_id,
                                            const char   *annotation_id,
                                            GError      **error)
{
  OutboxStep step = { .op_id = op_id, .entity_id = annotation_id };

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);
  g_return_val_if_fail (op_id != NULL && annotation_id != NULL, FALSE);

  return in_transaction (self, done_delete_annotation_locked, &step, error);
}

static gboolean
done_put_note_locked (DocketStore   *self,
                      gpointer       data,
                      GError       **error)
{
  const OutboxStep *step = data;
  const DocketNoteRecord *answer = step->answer;
  g_autofree char *key = note_key (answer->target, answer->target_id);
  sqlite3_stmt *stmt;

  if (!remove_op_locked (self, step->op_id, error))
    return FALSE;

  stmt = docket_store_prepare (self,
                               "UPDATE notes SET revision = max (revision, ?3),"
                               " updated_at = CASE WHEN EXISTS (SELECT 1 FROM outbox WHERE entity_id = ?4)"
                               "  THEN updated_at ELSE ?5 END"
                               " WHERE target_kind = ?1 AND target_id = ?2",
                               error);
  if (stmt == NULL)
    return FALSE;
  docket_sqlite_bind_text (stmt, 1, docket_note_target_to_string (answer->target));
  docket_sqlite_bind_text (stmt, 2, answer->target_id);
  sqlite3_bind_int64 (stmt, 3, answer->revision);
  docket_sqlite_bind_text (stmt, 4, key);
  sqlite3_bind_int64 (stmt, 5, answer->updated_at);

  return docket_store_step_done (self, stmt, error);
}

gboolean
docket_store_outbox_done_put_note (DocketStore             *self,
                                   const char              *op_id,
                                   const DocketNoteRecord  *answer,
                                   GError                 **error)
{
  OutboxStep step = { .op_id = op_id, .answer = answer };

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);
  g_return_val_if_fail (op_id != NULL && answer != NULL && answer->target_id != NULL, FALSE);

  return in_transaction (self, done_put_note_locked, &step, error);
}

static gboolean
refused_locked (DocketStore   *self,
                gpointer       data,
                GError       **error)
{
  const OutboxStep *step = data;
  const DocketOutboxOp *op = step->op;
  g_autofree char *entity_id = NULL;
  g_autofree char *refused_at = g_strdup_printf ("%" G_GINT64_FORMAT, now_ms ());

  entity_id = op->kind == DOCKET_OUTBOX_PUT_NOTE ? note_key (op->note_target, op->entity_id)
                                                 : g_strdup (op->entity_id);

  if (!remove_op_locked (self, op->op_id, error) ||
      !docket_store_run (self,
                         "INSERT OR REPLACE INTO outbox_refused (op_id, kind, entity_id, body, reason, refused_at)"
                         " VALUES (?1, ?2, ?3, ?4, ?5, CAST (?6 AS INTEGER))",
                         error,
                         DOCKET_SQLITE_TEXT (op->op_id),
                         DOCKET_SQLITE_TEXT (outbox_kind_names[op->kind]),
                         DOCKET_SQLITE_TEXT (entity_id),
                         DOCKET_SQLITE_TEXT (op->body != NULL ? op->body : ""),
                         DOCKET_SQLITE_TEXT (step->reason),
                         DOCKET_SQLITE_TEXT (refused_at)))
    return FALSE;

  if (op->kind == DOCKET_OUTBOX_PUT_NOTE)
    return TRUE;

  /* Deleted on another computer: a delete is final, the annotation goes here too, with
   * whatever else of it waited. */
  if (step->gone)
    return docket_store_run (self,
                             "DELETE FROM outbox WHERE entity_id = ?1",
                             error, DOCKET_SQLITE_TEXT (entity_id)) &&
           docket_store_run (self,
                             "DELETE FROM annotations WHERE id = ?1",
                             error, DOCKET_SQLITE_TEXT (entity_id));

  /* A refused delete leaves nothing to keep: the annotation is gone from the screen. */
  if (op->kind == DOCKET_OUTBOX_DELETE_ANNOTATION)
    return forget_tombstone_locked (self, entity_id, error);

  return TRUE;
}

gboolean
docket_store_outbox_refused (DocketStore           *self,
                             const DocketOutboxOp  *op,
                             guint                  status,
                             const char            *reason,
                             gboolean               gone,
                             GError               **error)
{
  OutboxStep step = { .op = op, .reason = reason, .gone = gone };

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);
  g_return_val_if_fail (op != NULL && op->op_id != NULL && op->entity_id != NULL, FALSE);
  g_return_val_if_fail (reason != NULL, FALSE);

  g_message ("outbox: the server refused %s of %s for good: %s",
             outbox_kind_names[op->kind], op->entity_id, reason);

  if (!in_transaction (self, refused_locked, &step, error))
    return FALSE;
  docket_store_queue_outbox_refused (self, op->kind, status, reason, gone);
  return TRUE;
}

gboolean
docket_store_outbox_failed (DocketStore  *self,
                            const char   *op_id,
                            const char   *reason,
                            GError      **error)
{
  gboolean ok;

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);
  g_return_val_if_fail (op_id != NULL && reason != NULL, FALSE);

  docket_store_lock (self);
  ok = docket_store_run (self,
                         "UPDATE outbox SET attempts = attempts + 1, last_error = ?2 WHERE op_id = ?1",
                         error, DOCKET_SQLITE_TEXT (op_id), DOCKET_SQLITE_TEXT (reason));
  docket_store_unlock (self);

  return ok;
}

/* ---- what signing out would lose ----------------------------------------------------- */

gboolean
docket_store_count_outbox (DocketStore  *self,
                           guint        *out_waiting,
                           guint        *out_refused,
                           GError      **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);
  g_return_val_if_fail (out_waiting != NULL, FALSE);

  docket_store_lock (self);

  stmt = docket_store_prepare (self,
                               "SELECT (SELECT count(*) FROM outbox), (SELECT count(*) FROM outbox_refused)",
                               error);
  if (stmt == NULL)
    {
      docket_store_unlock (self);
      return FALSE;
    }

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out_waiting = (guint) sqlite3_column_int64 (stmt, 0);
      if (out_refused != NULL)
        *out_refused = (guint) sqlite3_column_int64 (stmt, 1);
    }
  else
    docket_store_set_sqlite_error (error, docket_store_get_db (self), rc, "outbox");

  sqlite3_finalize (stmt);
  docket_store_unlock (self);

  return rc == SQLITE_ROW;
}

static gpointer
count_outbox_job (DocketStore  *self,
                  gpointer      data,
                  GError      **error)
{
  guint *count = g_new0 (guint, 2);   /* waiting, refused */

  if (!docket_store_count_outbox (self, &count[0], &count[1], error))
    {
      g_free (count);
      return NULL;
    }

  return count;
}

void
docket_store_count_outbox_async (DocketStore         *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (DOCKET_IS_STORE (self));

  docket_store_run_in_thread (self, count_outbox_job, NULL, NULL, g_free,
                              docket_store_count_outbox_async, cancellable, callback, user_data);
}

gboolean
docket_store_count_outbox_finish (DocketStore   *self,
                                  GAsyncResult  *result,
                                  guint         *out_waiting,
                                  guint         *out_refused,
                                  GError       **error)
{
  g_autofree guint *count = docket_store_run_finish (self, result, docket_store_count_outbox_async,
                                                     error);

  if (count == NULL)
    return FALSE;

  if (out_waiting != NULL)
    *out_waiting = count[0];
  if (out_refused != NULL)
    *out_refused = count[1];
  return TRUE;
}
