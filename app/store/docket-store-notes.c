/* docket-store-notes.c: the official's notes, one per agenda item or document
 *
 * Saved like annotations (docket-store-annotations.c): the new text is committed with
 * an operation queued in the outbox, in one transaction; what the feed brings of a note
 * is applied only when no operation of it waits and the store has nothing newer. In the
 * outbox a note is "TARGET/ID" (docket_store_note_key): a '/' is never in an id, so a
 * note and an annotation never meet.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "docket-store.h"
#include "docket-store-private.h"

char *
docket_store_note_key (DocketNoteTarget  target,
                       const char       *target_id)
{
  return g_strconcat (docket_note_target_to_string (target), "/", target_id, NULL);
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
      docket_sqlite_bind_values (stmt, DOCKET_SQLITE_VALUES (DOCKET_SQLITE_TEXT (docket_note_target_to_string (target)),
                                                             DOCKET_SQLITE_TEXT (target_id)));
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

  docket_sqlite_bind_values (stmt, DOCKET_SQLITE_VALUES (DOCKET_SQLITE_TEXT (docket_note_target_to_string (note->target)),
                                                         DOCKET_SQLITE_TEXT (note->target_id),
                                                         DOCKET_SQLITE_TEXT (note->text != NULL ? note->text : ""),
                                                         DOCKET_SQLITE_INT (note->updated_at),
                                                         DOCKET_SQLITE_INT (note->revision)));

  return docket_store_step_done (self, stmt, error);
}

/* The revision the store has of a note, 0 when none. */
static gint64
note_revision_locked (DocketStore      *self,
                      DocketNoteTarget  target,
                      const char       *target_id)
{
  g_autoptr(sqlite3_stmt) stmt = docket_store_prepare_with (self,
                                                             "SELECT revision FROM notes WHERE target_kind = ?1 AND target_id = ?2",
                                                             NULL,
                                                             DOCKET_SQLITE_TEXT (docket_note_target_to_string (target)),
                                                             DOCKET_SQLITE_TEXT (target_id));
  gboolean found = FALSE;

  /* A revision that cannot be read is 0, as when there is no note: the feed's wins. */
  if (stmt == NULL || !docket_store_step_row (self, stmt, &found, NULL) || !found)
    return 0;
  return sqlite3_column_int64 (stmt, 0);
}

typedef struct {
  DocketNoteTarget  target;
  const char       *target_id;
  const char       *text;
} NoteEdit;

/* A DocketStoreLockedStep; data is a NoteEdit. */
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
  g_autofree char *key = docket_store_note_key (target, target_id);

  note->target = target;
  note->target_id = g_strdup (target_id);
  note->text = docket_store_normalize_newlines (edit->text);
  note->updated_at = docket_store_now_ms ();
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
         docket_store_outbox_queue_locked (self, DOCKET_OUTBOX_PUT_NOTE, key, body, error);
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

  if (!docket_store_run_transaction (self, save_note_locked, &edit, error))
    return FALSE;

  docket_store_queue_edited (self);
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

gboolean
docket_store_apply_note_change_locked (DocketStore   *self,
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
          g_autofree char *target_key = docket_store_note_key (t, change->id);

          if (docket_store_outbox_has_pending_locked (self, target_key))
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

  key = docket_store_note_key (note->target, note->target_id);
  if (docket_store_outbox_has_pending_locked (self, key))
    return TRUE;
  if (note_revision_locked (self, note->target, note->target_id) > note->revision)
    return TRUE;

  return upsert_note_locked (self, note, error);
}


/* ---- full syncs (docket-store-feed.c) --------------------------------------------- */

/* The notes the server had answered that a full sync did not bring back, or brought
 * back older, with nothing of them waiting, likewise. */
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
docket_store_notes_requeue_lost_locked (DocketStore  *self,
                                        guint        *out_queued,
                                        GError      **error)
{
  g_autoptr(GPtrArray) notes = NULL;

  notes = docket_store_collect_rows_locked (self, docket_store_prepare (self, LOST_NOTES_SQL, error),
                                            read_note, NULL, (GDestroyNotify) docket_note_record_free,
                                            "notes", error);
  if (notes == NULL)
    return FALSE;

  for (guint i = 0; i < notes->len; i++)
    {
      const DocketNoteRecord *note = g_ptr_array_index (notes, i);
      g_autoptr(JsonNode) node = docket_note_record_to_json (note);
      g_autofree char *body = json_to_string (node, FALSE);
      g_autofree char *key = docket_store_note_key (note->target, note->target_id);

      if (!docket_store_outbox_queue_locked (self, DOCKET_OUTBOX_PUT_NOTE, key, body, error))
        return FALSE;
    }
  *out_queued = notes->len;
  return TRUE;
}
