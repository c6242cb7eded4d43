/* docket-store-feed.c: applying the server's change feed to the cache
 *
 * A page of changes is applied in one transaction, together with the cursor that
 * follows it: meetings, agenda items and documents are upserted or deleted here, a
 * meeting's live records by docket-store-live.c, the
 * official's own annotations and notes are handed to docket-store-annotations.c, and
 * contents no document needs any more leave with their rows (docket-store-blobs.c).
 * A feed read from the beginning is a full sync, whose last page removes what no page
 * of it mentioned. Clearing the cache (signing out, or a fresh start) is here too: it
 * is the feed's undoing.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "docket-store.h"
#include "docket-store-private.h"

static gboolean
insert_participant (DocketStore        *self,
                    const char         *meeting_id,
                    guint               position,
                    DocketParticipant  *p,
                    GError            **error)
{
  g_autoptr(DocketSqliteCachedStmt) stmt =
    docket_store_prepare_cached (self,
                                 "INSERT INTO participants (meeting_id, position, username, display_name, role,"
                                 "                          meeting_role)"
                                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                                 error);

  if (stmt == NULL)
    return FALSE;

  docket_sqlite_bind_values (stmt, DOCKET_SQLITE_VALUES (DOCKET_SQLITE_TEXT (meeting_id),
                                                         DOCKET_SQLITE_INT ((int) position),
                                                         DOCKET_SQLITE_TEXT (p->username),
                                                         DOCKET_SQLITE_TEXT (p->display_name != NULL ? p->display_name : ""),
                                                         DOCKET_SQLITE_TEXT (docket_role_to_string (p->role)),
                                                         DOCKET_SQLITE_TEXT (docket_meeting_role_to_string (p->meeting_role))));

  return docket_store_step (self, stmt, error);
}

static gboolean
upsert_meeting (DocketStore          *self,
                DocketMeetingRecord  *meeting,
                GError              **error)
{
  g_autofree char *starts_at = NULL;
  g_autofree char *ends_at = NULL;
  g_autoptr(DocketSqliteCachedStmt) stmt = NULL;

  if (meeting->starts_at == NULL || meeting->ends_at == NULL)
    {
      g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_INVALID,
                   _("A meeting without start or end time."));
      return FALSE;
    }

  starts_at = docket_protocol_format_time (meeting->starts_at);
  ends_at = docket_protocol_format_time (meeting->ends_at);

  stmt = docket_store_prepare_cached (self,
                                      "INSERT INTO meetings (id, title, organ, starts_at, starts_at_unix, ends_at,"
                                      "                      time_zone, location, status, version, quorum)"
                                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
                                      " ON CONFLICT (id) DO UPDATE SET"
                                      "  title = excluded.title, organ = excluded.organ,"
                                      "  starts_at = excluded.starts_at, starts_at_unix = excluded.starts_at_unix,"
                                      "  ends_at = excluded.ends_at, time_zone = excluded.time_zone,"
                                      "  location = excluded.location, status = excluded.status,"
                                      "  version = excluded.version, quorum = excluded.quorum",
                                      error);
  if (stmt == NULL)
    return FALSE;

  docket_sqlite_bind_values (stmt, DOCKET_SQLITE_VALUES (DOCKET_SQLITE_TEXT (meeting->id),
                                                         DOCKET_SQLITE_TEXT (meeting->title),
                                                         DOCKET_SQLITE_TEXT (meeting->organ != NULL ? meeting->organ : ""),
                                                         DOCKET_SQLITE_TEXT (starts_at),
                                                         DOCKET_SQLITE_INT (g_date_time_to_unix (meeting->starts_at)),
                                                         DOCKET_SQLITE_TEXT (ends_at),
                                                         DOCKET_SQLITE_TEXT (meeting->time_zone != NULL ? meeting->time_zone : ""),
                                                         DOCKET_SQLITE_TEXT (meeting->location != NULL ? meeting->location : ""),
                                                         DOCKET_SQLITE_TEXT (docket_meeting_status_to_string (meeting->status)),
                                                         DOCKET_SQLITE_INT (meeting->version),
                                                         DOCKET_SQLITE_TEXT (docket_quorum_rule_to_string (meeting->quorum))));

  if (!docket_store_step (self, stmt, error))
    return FALSE;

  if (!docket_store_run_cached (self,
                                "DELETE FROM participants WHERE meeting_id = ?1",
                                error, DOCKET_SQLITE_TEXT (meeting->id)))
    return FALSE;

  for (guint i = 0; meeting->participants != NULL && i < meeting->participants->len; i++)
    {
      if (!insert_participant (self, meeting->id, i, g_ptr_array_index (meeting->participants, i), error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
upsert_agenda_item (DocketStore             *self,
                    DocketAgendaItemRecord  *item,
                    GError                 **error)
{
  /* An upsert, never INSERT OR REPLACE: a replace deletes the row first, and the
   * cascade would take the item's children and documents with it. */
  g_autoptr(DocketSqliteCachedStmt) stmt =
    docket_store_prepare_cached (self,
                                 "INSERT INTO agenda_items (id, meeting_id, parent_id, position, number,"
                                 "                          title, presenter, description, version)"
                                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
                                 " ON CONFLICT (id) DO UPDATE SET"
                                 "  meeting_id = excluded.meeting_id, parent_id = excluded.parent_id,"
                                 "  position = excluded.position, number = excluded.number,"
                                 "  title = excluded.title, presenter = excluded.presenter,"
                                 "  description = excluded.description, version = excluded.version",
                                 error);
  if (stmt == NULL)
    return FALSE;

  docket_sqlite_bind_values (stmt, DOCKET_SQLITE_VALUES (DOCKET_SQLITE_TEXT (item->id),
                                                         DOCKET_SQLITE_TEXT (item->meeting_id),
                                                         DOCKET_SQLITE_TEXT (item->parent_id),
                                                         DOCKET_SQLITE_INT (item->position),
                                                         DOCKET_SQLITE_TEXT (item->number != NULL ? item->number : ""),
                                                         DOCKET_SQLITE_TEXT (item->title),
                                                         DOCKET_SQLITE_TEXT (item->presenter != NULL ? item->presenter : ""),
                                                         DOCKET_SQLITE_TEXT (item->description != NULL ? item->description : ""),
                                                         DOCKET_SQLITE_INT (item->version)));

  return docket_store_step (self, stmt, error);
}

static gboolean
upsert_document (DocketStore           *self,
                 DocketDocumentRecord  *document,
                 GError               **error)
{
  g_autoptr(DocketSqliteCachedStmt) stmt = NULL;

  if (!docket_protocol_sha256_is_valid (document->sha256))
    {
      g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_INVALID,
                   _("A document with an invalid checksum."));
      return FALSE;
    }

  stmt = docket_store_prepare_cached (self,
                                      "INSERT INTO documents (id, meeting_id, item_id, position, title, media_type,"
                                      "                       sha256, size, pages, version)"
                                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
                                      " ON CONFLICT (id) DO UPDATE SET"
                                      "  meeting_id = excluded.meeting_id, item_id = excluded.item_id,"
                                      "  position = excluded.position, title = excluded.title,"
                                      "  media_type = excluded.media_type, sha256 = excluded.sha256,"
                                      "  size = excluded.size, pages = excluded.pages, version = excluded.version",
                                      error);
  if (stmt == NULL)
    return FALSE;

  docket_sqlite_bind_values (stmt, DOCKET_SQLITE_VALUES (DOCKET_SQLITE_TEXT (document->id),
                                                         DOCKET_SQLITE_TEXT (document->meeting_id),
                                                         DOCKET_SQLITE_TEXT (document->item_id),
                                                         DOCKET_SQLITE_INT (document->position),
                                                         DOCKET_SQLITE_TEXT (document->title),
                                                         DOCKET_SQLITE_TEXT (document->media_type != NULL ? document->media_type : "application/pdf"),
                                                         DOCKET_SQLITE_TEXT (document->sha256),
                                                         DOCKET_SQLITE_INT (document->size),
                                                         DOCKET_SQLITE_INT (document->pages),
                                                         DOCKET_SQLITE_INT (document->version)));

  return docket_store_step (self, stmt, error);
}

static gboolean
delete_entity (DocketStore       *self,
               DocketChangeType   type,
               const char        *id,
               GError           **error)
{
  const char *sql;

  switch (type)
    {
    case DOCKET_CHANGE_MEETING:
      sql = "DELETE FROM meetings WHERE id = ?1";
      break;
    case DOCKET_CHANGE_AGENDA_ITEM:
      sql = "DELETE FROM agenda_items WHERE id = ?1";
      break;
    case DOCKET_CHANGE_DOCUMENT:
      sql = "DELETE FROM documents WHERE id = ?1";
      break;
    case DOCKET_CHANGE_MEETING_STATE:
      sql = "DELETE FROM meeting_states WHERE meeting_id = ?1";
      break;
    case DOCKET_CHANGE_ATTENDANCE:
      sql = "DELETE FROM attendance WHERE id = ?1";
      break;
    case DOCKET_CHANGE_SPEECH:
      sql = "DELETE FROM speeches WHERE id = ?1";
      break;
    default:
      return TRUE;
    }

  return docket_store_run_cached (self, sql, error, DOCKET_SQLITE_TEXT (id));
}

/* Full syncs: a feed from the beginning mentions everything the user sees, so what it
 * did not mention is what the server no longer has (or no longer shows them), e.g.
 * after the server was restored from a backup. */

static const char *
full_sync_type (DocketChangeType type)
{
  switch (type)
    {
    case DOCKET_CHANGE_MEETING:
      return "meeting";
    case DOCKET_CHANGE_AGENDA_ITEM:
      return "agenda_item";
    case DOCKET_CHANGE_DOCUMENT:
      return "document";
    case DOCKET_CHANGE_MEETING_STATE:
      return "meeting_state";
    case DOCKET_CHANGE_ATTENDANCE:
      return "attendance";
    case DOCKET_CHANGE_SPEECH:
      return "speech";
    default:
      return NULL;    /* the official's own data is never swept: it is theirs */
    }
}

static gboolean
note_seen_in_full_sync (DocketStore   *self,
                        DocketChange  *change,
                        GError       **error)
{
  const char *type = full_sync_type (change->type);

  return type == NULL ||
         docket_store_run_cached (self,
                                  "INSERT OR IGNORE INTO full_sync_seen (type, id) VALUES (?1, ?2)",
                                  error, DOCKET_SQLITE_TEXT (type), DOCKET_SQLITE_TEXT (change->id));
}

/* account.full_sync: none under way, a full sync (a page applied on no cursor begins
 * one), or one after the server's history changed (docket_store_restart_feed), whose end
 * also sends again what the server lost of the official's data. */
typedef enum {
  FULL_SYNC_NONE = 0,
  FULL_SYNC_FROM_BEGINNING = 1,
  FULL_SYNC_AFTER_RESTART = 2,
} FullSync;

static gboolean
begin_or_continue_full_sync_locked (DocketStore  *self,
                                    FullSync     *out_full_sync,
                                    GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = docket_store_prepare (self, "SELECT cursor IS NULL, full_sync FROM account WHERE id = 1",
                                                        error);
  gboolean from_beginning;

  if (stmt == NULL || !docket_store_step_one_row (self, stmt, error))
    return FALSE;
  from_beginning = sqlite3_column_int (stmt, 0) != 0;
  *out_full_sync = CLAMP (sqlite3_column_int (stmt, 1), FULL_SYNC_NONE, FULL_SYNC_AFTER_RESTART);
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (!from_beginning)
    return TRUE;
  *out_full_sync = MAX (*out_full_sync, FULL_SYNC_FROM_BEGINNING);
  return docket_store_exec (self, "DELETE FROM full_sync_seen", error) &&
         docket_store_exec (self, "UPDATE account SET full_sync = MAX (full_sync, 1) WHERE id = 1", error);
}

/* The last page of a full sync: what no page of it brought goes. The live records and
 * documents first, then items (their sub-items go with them), then meetings. The
 * official's annotations and
 * notes stay; after a restart, those the server lost go back to it (out_requeued: how
 * many). A first sync does not look for them: the client has nothing the server should
 * have had but its outbox. */
static gboolean
end_full_sync_locked (DocketStore  *self,
                      FullSync      full_sync,
                      guint        *out_requeued,
                      GError      **error)
{
  return (full_sync != FULL_SYNC_AFTER_RESTART ||
          docket_store_requeue_lost_own_data_locked (self, out_requeued, error)) &&
         docket_store_exec (self,
                            "DELETE FROM meeting_states WHERE meeting_id NOT IN"
                            " (SELECT id FROM full_sync_seen WHERE type = 'meeting_state')", error) &&
         docket_store_exec (self,
                            "DELETE FROM attendance WHERE id NOT IN"
                            " (SELECT id FROM full_sync_seen WHERE type = 'attendance')", error) &&
         docket_store_exec (self,
                            "DELETE FROM speeches WHERE id NOT IN"
                            " (SELECT id FROM full_sync_seen WHERE type = 'speech')", error) &&
         docket_store_exec (self,
                            "DELETE FROM documents WHERE id NOT IN"
                            " (SELECT id FROM full_sync_seen WHERE type = 'document')", error) &&
         docket_store_exec (self,
                            "DELETE FROM agenda_items WHERE id NOT IN"
                            " (SELECT id FROM full_sync_seen WHERE type = 'agenda_item')", error) &&
         docket_store_exec (self,
                            "DELETE FROM meetings WHERE id NOT IN"
                            " (SELECT id FROM full_sync_seen WHERE type = 'meeting')", error) &&
         docket_store_exec (self, "DELETE FROM full_sync_seen", error) &&
         docket_store_exec (self, "UPDATE account SET full_sync = 0 WHERE id = 1", error);
}

static gboolean
apply_change (DocketStore   *self,
              DocketChange  *change,
              gboolean       full_sync,
              GError       **error)
{
  if (change->id == NULL || !docket_protocol_id_is_valid (change->id))
    {
      g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_INVALID,
                   _("A change with an invalid id."));
      return FALSE;
    }

  /* The official's own data has rules of its own (pending operations win). */
  if (change->type == DOCKET_CHANGE_ANNOTATION || change->type == DOCKET_CHANGE_NOTE)
    return (!full_sync || docket_store_own_change_seen_locked (self, change, error)) &&
           docket_store_apply_own_change_locked (self, change, error);

  if (change->deleted)
    return delete_entity (self, change->type, change->id, error);

  if (full_sync && !note_seen_in_full_sync (self, change, error))
    return FALSE;

  if (change->record == NULL)
    {
      g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_INVALID,
                   _("A change without its data."));
      return FALSE;
    }

  switch (change->type)
    {
    case DOCKET_CHANGE_MEETING:
      return upsert_meeting (self, change->record, error);
    case DOCKET_CHANGE_AGENDA_ITEM:
      return upsert_agenda_item (self, change->record, error);
    case DOCKET_CHANGE_DOCUMENT:
      return upsert_document (self, change->record, error);
    case DOCKET_CHANGE_MEETING_STATE:
      return docket_store_upsert_meeting_state_locked (self, change->record, error);
    case DOCKET_CHANGE_ATTENDANCE:
      return docket_store_upsert_attendance_locked (self, change->record, error);
    case DOCKET_CHANGE_SPEECH:
      return docket_store_upsert_speech_locked (self, change->record, error);
    default:
      return TRUE;   /* a type of a later protocol: skipped */
    }
}

static gboolean
apply_changes_locked (DocketStore        *self,
                      DocketChangesPage  *page,
                      GPtrArray          *removed_shas,
                      guint              *out_requeued,
                      GError            **error)
{
  FullSync full_sync = FULL_SYNC_NONE;

  if (!docket_store_begin_locked (self, error))
    return FALSE;

  /* Foreign keys are checked at the commit, so that the page is judged as a whole. */
  if (!docket_store_exec (self, "PRAGMA defer_foreign_keys = ON", error))
    goto fail;

  if (!begin_or_continue_full_sync_locked (self, &full_sync, error))
    goto fail;

  for (guint i = 0; page->changes != NULL && i < page->changes->len; i++)
    {
      if (!apply_change (self, g_ptr_array_index (page->changes, i), full_sync != FULL_SYNC_NONE, error))
        goto fail;
    }

  if (full_sync != FULL_SYNC_NONE && !page->more &&
      !end_full_sync_locked (self, full_sync, out_requeued, error))
    goto fail;

  if (!docket_store_run (self,
                         "UPDATE account SET cursor = ?1 WHERE id = 1",
                         error, DOCKET_SQLITE_TEXT (page->cursor)))
    goto fail;

  if (!docket_store_blobs_collect_unreferenced_locked (self, removed_shas, error))
    goto fail;

  if (!docket_store_commit_locked (self, error))
    goto fail;

  return TRUE;

fail:
  docket_store_rollback_locked (self);
  g_ptr_array_set_size (removed_shas, 0);
  *out_requeued = 0;
  return FALSE;
}

/* When in doubt (the question cannot be asked), a full sync is under way. */
static gboolean
full_sync_is_pending (DocketStore *self)
{
  gboolean pending;

  docket_store_lock (self);
  pending = docket_store_collect_exists_locked (self,
                                                docket_store_prepare (self,
                                                                      "SELECT 1 FROM account WHERE id = 1 AND full_sync",
                                                                      NULL));
  docket_store_unlock (self);
  return pending;
}

gboolean
docket_store_apply_changes (DocketStore        *self,
                            DocketChangesPage  *page,
                            GError            **error)
{
  g_autoptr(GPtrArray) removed_shas = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) local_error = NULL;
  guint requeued = 0;
  gboolean ret;

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);
  g_return_val_if_fail (page != NULL, FALSE);

  if (page->cursor == NULL || !docket_protocol_text_is_valid (page->cursor, DOCKET_MAX_CURSOR_BYTES))
    {
      g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_INVALID,
                   _("The server sent an invalid sync cursor."));
      return FALSE;
    }

  /* A sync with nothing new (the common case) writes nothing: no transaction, no
   * "changed". Not the end of a full sync, which still has to sweep. */
  if (page->changes != NULL && page->changes->len == 0 && !full_sync_is_pending (self))
    {
      g_autofree char *cursor = docket_store_dup_cursor (self);

      if (g_strcmp0 (cursor, page->cursor) == 0)
        return TRUE;
    }

  docket_store_lock (self);
  ret = apply_changes_locked (self, page, removed_shas, &requeued, &local_error);
  if (ret)
    {
      docket_store_blobs_unlink_files (self, removed_shas);
      docket_store_blobs_sweep_partial_locked (self);
    }
  docket_store_unlock (self);

  if (!ret)
    {
      if (g_error_matches (local_error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_INVALID))
        {
          g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_INVALID,
                       _("The changes do not fit the offline cache (%s)."),
                       local_error->message);
          return FALSE;
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  docket_store_queue_changed (self);
  if (requeued > 0)
    docket_store_queue_outbox_changed (self);

  return TRUE;
}

static gboolean
clear_locked (DocketStore  *self,
              gboolean      forget_account,
              GPtrArray    *removed_shas,
              GError      **error)
{
  if (!docket_store_begin_locked (self, error))
    return FALSE;

  if (!docket_store_exec (self, "DELETE FROM meetings", error) ||
      !docket_store_exec (self, "UPDATE account SET cursor = NULL, full_sync = 0 WHERE id = 1", error) ||
      !docket_store_exec (self, "DELETE FROM full_sync_seen", error) ||
      (forget_account &&
       !docket_store_exec (self,
                           "UPDATE account SET server_url = NULL, username = NULL, user_display_name = NULL,"
                           " user_role = NULL, user_organ = NULL, capabilities = NULL, server_info_at = 0"
                           " WHERE id = 1", error)) ||
      (forget_account && !docket_store_clear_own_data_locked (self, error)) ||
      !docket_store_blobs_collect_unreferenced_locked (self, removed_shas, error) ||
      !docket_store_commit_locked (self, error))
    {
      docket_store_rollback_locked (self);
      g_ptr_array_set_size (removed_shas, 0);
      return FALSE;
    }

  return TRUE;
}

static gboolean
clear_internal (DocketStore  *self,
                gboolean      forget_account,
                GError      **error)
{
  g_autoptr(GPtrArray) removed_shas = g_ptr_array_new_with_free_func (g_free);
  gboolean ret;

  docket_store_lock (self);
  ret = clear_locked (self, forget_account, removed_shas, error);
  if (ret)
    {
      docket_store_blobs_unlink_files (self, removed_shas);
      docket_store_blobs_reconcile_locked (self);
      docket_store_blobs_sweep_partial_locked (self);
    }
  docket_store_unlock (self);

  if (ret && forget_account)
    docket_store_forget_account_info (self);
  if (ret)
    docket_store_queue_changed (self);

  return ret;
}

gboolean
docket_store_clear (DocketStore  *self,
                    GError      **error)
{
  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);

  return clear_internal (self, TRUE, error);
}

gboolean
docket_store_clear_cache (DocketStore  *self,
                          GError      **error)
{
  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);

  return clear_internal (self, FALSE, error);
}

gboolean
docket_store_restart_feed (DocketStore  *self,
                           GError      **error)
{
  gboolean ret;

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);

  docket_store_lock (self);
  ret = docket_store_exec (self, "UPDATE account SET cursor = NULL, full_sync = 2 WHERE id = 1", error);
  docket_store_unlock (self);

  return ret;
}

