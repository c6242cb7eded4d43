/* docket-store-annotations.c: the official's annotations
 *
 * The official's own data is written here first, durably, and sent to the server later:
 * every save commits the new state and, in the same transaction, queues an operation
 * with a fresh op_id in the outbox (docket-store-outbox.c). What the feed brings of an
 * annotation is applied by docket_store_apply_annotation_change_locked (), where a
 * pending operation wins: the local state reaches the server and comes back. A deleted
 * annotation stays as a tombstone until the server has its deletion.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "docket-store.h"
#include "docket-record-rows.h"
#include "docket-store-private.h"

/* Windows and old Mac line ends, from a paste, become "\n": the protocol's texts allow
 * no other control characters. */
char *
docket_store_normalize_newlines (const char *text)
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

  docket_sqlite_bind_values (stmt, DOCKET_SQLITE_VALUES (DOCKET_SQLITE_TEXT (record->id),
                                                         DOCKET_SQLITE_TEXT (record->document_id),
                                                         DOCKET_SQLITE_INT (record->page),
                                                         DOCKET_SQLITE_TEXT (docket_annotation_kind_to_string (record->kind)),
                                                         DOCKET_SQLITE_TEXT (record->color),
                                                         DOCKET_SQLITE_TEXT (record->geometry),
                                                         DOCKET_SQLITE_TEXT (record->contents != NULL ? record->contents : ""),
                                                         DOCKET_SQLITE_INT (record->created_at),
                                                         DOCKET_SQLITE_INT (record->updated_at),
                                                         DOCKET_SQLITE_INT (record->revision)));

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
  gint64 now = docket_store_now_ms ();

  g_free (copy->contents);
  copy->contents = docket_store_normalize_newlines (record->contents);
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

/* A DocketStoreLockedStep; data is the DocketAnnotationRecord. */
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
         docket_store_outbox_queue_locked (self, DOCKET_OUTBOX_PUT_ANNOTATION, checked->id, body, error);
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

  if (!docket_store_run_transaction (self, save_annotation_locked, (gpointer) record, error))
    return FALSE;

  docket_store_queue_edited (self);
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

/* A DocketStoreLockedStep; data is an AnnotationDelete. */
static gboolean
delete_annotation_locked (DocketStore  *self,
                          gpointer      data,
                          GError      **error)
{
  AnnotationDelete *delete = data;
  const char *annotation_id = delete->annotation_id;
  g_autoptr(DocketAnnotationRecord) existing = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *updated_at = g_strdup_printf ("%" G_GINT64_FORMAT, docket_store_now_ms ());
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
      !docket_store_outbox_queue_locked (self, DOCKET_OUTBOX_DELETE_ANNOTATION, annotation_id, "", error))
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

  if (!docket_store_run_transaction (self, delete_annotation_locked, &delete, error))
    return FALSE;

  if (delete.queued)
    docket_store_queue_edited (self);
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

/* ---- the feed --------------------------------------------------------------------- */

gboolean
docket_store_apply_annotation_change_locked (DocketStore   *self,
                                             DocketChange  *change,
                                             GError       **error)
{
  DocketAnnotationRecord *record = change->record;
  g_autoptr(DocketAnnotationRecord) existing = NULL;
  g_autoptr(GError) local_error = NULL;

  /* Operations of it still to go: the local state wins until the server has it. */
  if (docket_store_outbox_has_pending_locked (self, change->id))
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


/* ---- full syncs (docket-store-feed.c) --------------------------------------------- */

/* The annotations the server had answered (revision > 0) that a full sync did not bring
 * back, or brought back older, with nothing of them waiting: the server lost them
 * (restored from an older backup). */
#define LOST_ANNOTATIONS_SQL \
  "SELECT " ANNOTATION_COLUMNS " FROM annotations a WHERE NOT deleted AND revision > 0" \
  " AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.entity_id = a.id)" \
  " AND NOT EXISTS (SELECT 1 FROM full_sync_seen s WHERE s.type = 'annotation'" \
  "  AND s.id = a.id AND s.revision >= a.revision)"
gboolean
docket_store_annotations_requeue_lost_locked (DocketStore  *self,
                                              guint        *out_queued,
                                              GError      **error)
{
  g_autoptr(GPtrArray) annotations = NULL;

  annotations = docket_store_collect_rows_locked (self, docket_store_prepare (self, LOST_ANNOTATIONS_SQL, error),
                                                  read_annotation, NULL,
                                                  (GDestroyNotify) docket_annotation_record_free,
                                                  "annotations", error);
  if (annotations == NULL)
    return FALSE;

  for (guint i = 0; i < annotations->len; i++)
    {
      const DocketAnnotationRecord *record = g_ptr_array_index (annotations, i);
      g_autoptr(JsonNode) node = docket_annotation_record_to_json (record);
      g_autofree char *body = json_to_string (node, FALSE);

      if (!docket_store_outbox_queue_locked (self, DOCKET_OUTBOX_PUT_ANNOTATION, record->id, body, error))
        return FALSE;
    }
  *out_queued = annotations->len;
  return TRUE;
}
