/* docket-store-outbox.c: the outbox, the official's operations waiting for the server
 *
 * Every save or delete of the official's data queues an operation here in the
 * transaction that commits it. The sync engine (app/sync/docket-outbox.c) sends the
 * operations in order and reports each answer back, which is applied in one transaction
 * with the operation's removal; an operation the server refuses for good moves to
 * outbox_refused, and the official is told. The rules that tie the official's data to
 * the feed (a pending operation wins; a full sync that finds data the server lost queues
 * it again) are here too, on top of docket-store-annotations.c and docket-store-notes.c.
 *
 * In the outbox, entity_id is the annotation's id, or "TARGET/ID" for a note.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "docket-store.h"
#include "docket-store-private.h"

static const char * const outbox_kind_names[] = {
  "put_annotation",
  "delete_annotation",
  "put_note",
};

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

/* ---- queueing ---------------------------------------------------------------------- */

/* After the commit of an edit of the official's: the models reload, and the sync
 * engine sends the operation it queued. */
void
docket_store_queue_edited (DocketStore *self)
{
  docket_store_queue_changed (self);
  docket_store_queue_outbox_changed (self);
}

/* When in doubt (the question cannot be asked), keep the local state: it is the
 * official's. */
gboolean
docket_store_outbox_has_pending_locked (DocketStore *self,
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
gboolean
docket_store_outbox_queue_locked (DocketStore       *self,
                                  DocketOutboxKind   kind,
                                  const char        *entity_id,
                                  const char        *body,
                                  GError           **error)
{
  g_autofree char *op_id = g_uuid_string_random ();
  sqlite3_stmt *stmt;
  gint64 last_seq = -1;
  DocketOutboxKind last_kind = kind;
  gboolean found = FALSE;

  stmt = docket_store_prepare_with (self,
                                    "SELECT seq, kind FROM outbox WHERE entity_id = ?1"
                                    " ORDER BY seq DESC LIMIT 1",
                                    error, DOCKET_SQLITE_TEXT (entity_id));
  if (stmt == NULL)
    return FALSE;
  /* When the last operation cannot be read, a new one is queued: nothing is folded into
   * what may not be a put. */
  if (docket_store_step_row (self, stmt, &found, NULL) && found &&
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

  docket_sqlite_bind_values (stmt, DOCKET_SQLITE_VALUES (DOCKET_SQLITE_TEXT (op_id),
                                                         DOCKET_SQLITE_TEXT (outbox_kind_names[kind]),
                                                         DOCKET_SQLITE_TEXT (body),
                                                         DOCKET_SQLITE_INT (docket_store_now_ms ())));

  return docket_store_step_done (self, stmt, error);
}

/* ---- the feed --------------------------------------------------------------------- */

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
      return docket_store_apply_annotation_change_locked (self, change, error);
    case DOCKET_CHANGE_NOTE:
      return docket_store_apply_note_change_locked (self, change, error);
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
      key = docket_store_note_key (note->target, note->target_id);
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

gboolean
docket_store_requeue_lost_own_data_locked (DocketStore  *self,
                                           guint        *out_queued,
                                           GError      **error)
{
  guint n_annotations = 0;
  guint n_notes = 0;

  /* Annotations first, then notes, as they were edited before the server lost them: an
   * annotation's operation never waits on a note's. */
  if (!docket_store_annotations_requeue_lost_locked (self, &n_annotations, error) ||
      !docket_store_notes_requeue_lost_locked (self, &n_notes, error))
    return FALSE;
  *out_queued = n_annotations + n_notes;
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

/* A DocketStoreRowReader: the operation of the row, or NULL (skipped, not sent) for a
 * row this code never wrote. */
static gpointer
read_op (DocketStore   *self,
         sqlite3_stmt  *stmt,
         gpointer       unused,
         GError       **error)
{
  DocketOutboxOp *op = op_from_row (stmt);

  if (op == NULL)
    g_message ("outbox: an operation that cannot be read was skipped");
  return op;
}

static GPtrArray *
list_ops_locked (DocketStore  *self,
                 const char   *sql,
                 guint         max_ops,
                 GError      **error)
{
  return docket_store_collect_rows_locked (self,
                                          docket_store_prepare_with (self, sql, error, DOCKET_SQLITE_INT (max_ops)),
                                          read_op, NULL, (GDestroyNotify) docket_outbox_op_free,
                                          "outbox", error);
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

gboolean
docket_store_outbox_last_seq (DocketStore  *self,
                              guint         within,
                              gint64       *out_seq,
                              GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean ok;

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);
  g_return_val_if_fail (out_seq != NULL, FALSE);

  docket_store_lock (self);
  /* max () of no rows is NULL, read as 0: seqs start at 1, so 0 sends nothing. */
  stmt = docket_store_prepare_with (self,
                                    "SELECT max (seq) FROM (SELECT seq FROM outbox ORDER BY seq LIMIT ?1)",
                                    error, DOCKET_SQLITE_INT (within));
  ok = stmt != NULL && docket_store_step_one_row (self, stmt, error);
  if (ok)
    *out_seq = sqlite3_column_int64 (stmt, 0);
  g_clear_pointer (&stmt, sqlite3_finalize);
  docket_store_unlock (self);

  return ok;
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
                DocketStoreLockedStep     step,
                gconstpointer  data,
                GError       **error)
{
  if (!docket_store_run_transaction (self, step, (gpointer) data, error))
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
  docket_sqlite_bind_values (stmt, DOCKET_SQLITE_VALUES (DOCKET_SQLITE_TEXT (answer->id),
                                                         DOCKET_SQLITE_INT (answer->revision),
                                                         DOCKET_SQLITE_INT (answer->updated_at)));

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
  g_autofree char *key = docket_store_note_key (answer->target, answer->target_id);
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
  docket_sqlite_bind_values (stmt, DOCKET_SQLITE_VALUES (DOCKET_SQLITE_TEXT (docket_note_target_to_string (answer->target)),
                                                         DOCKET_SQLITE_TEXT (answer->target_id),
                                                         DOCKET_SQLITE_INT (answer->revision),
                                                         DOCKET_SQLITE_TEXT (key),
                                                         DOCKET_SQLITE_INT (answer->updated_at)));

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
  g_autofree char *refused_at = g_strdup_printf ("%" G_GINT64_FORMAT, docket_store_now_ms ());

  entity_id = op->kind == DOCKET_OUTBOX_PUT_NOTE ? docket_store_note_key (op->note_target, op->entity_id)
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
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean ok;

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);
  g_return_val_if_fail (out_waiting != NULL, FALSE);

  docket_store_lock (self);

  stmt = docket_store_prepare (self,
                               "SELECT (SELECT count(*) FROM outbox), (SELECT count(*) FROM outbox_refused)",
                               error);
  ok = stmt != NULL && docket_store_step_one_row (self, stmt, error);
  if (ok)
    {
      *out_waiting = (guint) sqlite3_column_int64 (stmt, 0);
      if (out_refused != NULL)
        *out_refused = (guint) sqlite3_column_int64 (stmt, 1);
    }

  g_clear_pointer (&stmt, sqlite3_finalize);
  docket_store_unlock (self);

  return ok;
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
