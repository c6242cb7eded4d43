/* docket-store-meetings.c: reading the feed's entities back: meetings, agenda items,
 * documents
 *
 * What the models show (app/model) is read here, synchronously or in a worker thread;
 * the writes that fill these tables are in docket-store-feed.c. A document's content is
 * offered only when it is in the profile and may be read (the view verified_blobs of
 * docket-store-blobs.c).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "docket-store.h"
#include "docket-record-rows.h"
#include "docket-store-private.h"

/* Column 9, the quorum rule, is read by read_meeting () too; the queries' own come after. */
static const char meeting_columns[] =
  "m.id, m.title, m.organ, m.starts_at, m.ends_at, m.time_zone, m.location, m.status, m.version,"
  " m.quorum";
#define MEETING_N_COLUMNS 10

/* A DocketStoreRowReader: the participant of DOCKET_PARTICIPANT_ROW_COLUMNS, then its
 * meeting role (a word of a later protocol was kept as "unknown"). */
static gpointer
read_participant (DocketStore   *self,
                  sqlite3_stmt  *stmt,
                  gpointer       unused,
                  GError       **error)
{
  DocketParticipant *participant = docket_participant_from_row (stmt);

  if (!docket_meeting_role_from_string ((const char *) sqlite3_column_text (stmt, DOCKET_PARTICIPANT_ROW_N_COLUMNS),
                                        &participant->meeting_role))
    participant->meeting_role = DOCKET_MEETING_ROLE_UNKNOWN;
  return participant;
}

/* A DocketStoreRowReader: the meeting of meeting_columns, with its participants. */
static gpointer
read_meeting (DocketStore   *self,
              sqlite3_stmt  *stmt,
              gpointer       unused,
              GError       **error)
{
  g_autoptr(DocketMeetingRecord) meeting = docket_meeting_record_new ();
  g_autofree char *starts_at = docket_sqlite_column_dup (stmt, 3);
  g_autofree char *ends_at = docket_sqlite_column_dup (stmt, 4);
  g_autofree char *status = docket_sqlite_column_dup (stmt, 7);
  g_autoptr(GPtrArray) participants = NULL;

  meeting->id = docket_sqlite_column_dup (stmt, 0);
  meeting->title = docket_sqlite_column_dup (stmt, 1);
  meeting->organ = docket_sqlite_column_dup (stmt, 2);
  meeting->time_zone = docket_sqlite_column_dup (stmt, 5);
  meeting->location = docket_sqlite_column_dup (stmt, 6);
  meeting->version = sqlite3_column_int64 (stmt, 8);
  if (!docket_quorum_rule_from_string ((const char *) sqlite3_column_text (stmt, 9), &meeting->quorum))
    meeting->quorum = DOCKET_QUORUM_UNKNOWN;

  if (starts_at == NULL || ends_at == NULL ||
      !(meeting->starts_at = docket_protocol_parse_time (starts_at, NULL)) ||
      !(meeting->ends_at = docket_protocol_parse_time (ends_at, NULL)) ||
      !docket_meeting_status_from_string (status, &meeting->status))
    {
      g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_CORRUPT,
                   _("The offline cache holds a damaged meeting."));
      return NULL;
    }

  participants = docket_store_collect_rows_locked (self,
                                                  docket_store_prepare_with (self,
                                                                             "SELECT " DOCKET_PARTICIPANT_ROW_COLUMNS ", meeting_role"
                                                                             " FROM participants"
                                                                             " WHERE meeting_id = ?1 ORDER BY position",
                                                                             error, DOCKET_SQLITE_TEXT (meeting->id)),
                                                  read_participant, NULL,
                                                  (GDestroyNotify) docket_participant_free,
                                                  "participants", error);
  if (participants == NULL)
    return NULL;
  if (meeting->participants == NULL)
    meeting->participants = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_participant_free);
  /* The participants move into the record, which frees them from now on. */
  g_ptr_array_extend_and_steal (meeting->participants, g_steal_pointer (&participants));

  return g_steal_pointer (&meeting);
}

/* A DocketStoreRowReader: the meeting, then its two counts of documents. */
static gpointer
read_meeting_row (DocketStore   *self,
                  sqlite3_stmt  *stmt,
                  gpointer       unused,
                  GError       **error)
{
  g_autoptr(DocketStoreMeetingRow) row = g_new0 (DocketStoreMeetingRow, 1);

  row->meeting = read_meeting (self, stmt, NULL, error);
  if (row->meeting == NULL)
    return NULL;
  row->n_documents = (guint) sqlite3_column_int (stmt, MEETING_N_COLUMNS);
  row->n_documents_offline = (guint) sqlite3_column_int (stmt, MEETING_N_COLUMNS + 1);

  return g_steal_pointer (&row);
}

/* A DocketStoreRowReader: the item of DOCKET_AGENDA_ITEM_ROW_COLUMNS. */
static gpointer
read_agenda_item (DocketStore   *self,
                  sqlite3_stmt  *stmt,
                  gpointer       unused,
                  GError       **error)
{
  return docket_agenda_item_record_from_row (stmt);
}

/* The columns of DOCKET_DOCUMENT_ROW_COLUMNS (docket_document_record_from_row ()), then whether the content is
 * in the profile and may be read (verified_blobs: not one of an earlier boot waiting for
 * its re-hash). */
static const char document_columns[] =
  "d.id, d.meeting_id, d.item_id, d.position, d.title, d.media_type, d.sha256, d.size,"
  " d.pages, d.version, (SELECT 1 FROM verified_blobs b WHERE b.sha256 = d.sha256)";

static gpointer
read_document (DocketStore   *self,
               sqlite3_stmt  *stmt,
               gpointer       unused,
               GError       **error)
{
  return docket_document_record_from_row (stmt);
}

/* A DocketStoreRowReader: the document of document_columns, with its file's path when
 * the content is in the profile. */
static gpointer
read_document_row (DocketStore   *self,
                   sqlite3_stmt  *stmt,
                   gpointer       unused,
                   GError       **error)
{
  DocketStoreDocumentRow *row = g_new0 (DocketStoreDocumentRow, 1);

  row->document = docket_document_record_from_row (stmt);
  if (sqlite3_column_type (stmt, 10) != SQLITE_NULL)
    row->path = docket_store_dup_blob_path (self, row->document->sha256);

  return row;
}

void
docket_store_meeting_row_free (DocketStoreMeetingRow *row)
{
  if (row == NULL)
    return;

  g_clear_pointer (&row->meeting, docket_meeting_record_free);
  g_free (row);
}

void
docket_store_document_row_free (DocketStoreDocumentRow *row)
{
  if (row == NULL)
    return;

  g_clear_pointer (&row->document, docket_document_record_free);
  g_clear_pointer (&row->path, g_free);
  g_free (row);
}

/* The rows of sql (its ?1 bound to param, when not NULL), each made by read; under the
 * lock. */
static GPtrArray *
read_rows (DocketStore           *self,
           const char            *sql,
           const char            *param,
           DocketStoreRowReader   read,
           GDestroyNotify         free_row,
           const char            *what,
           GError               **error)
{
  GPtrArray *rows;

  docket_store_lock (self);
  rows = docket_store_collect_rows_locked (self, docket_store_prepare_with (self,
                                                                            sql,
                                                                            error,
                                                                            DOCKET_SQLITE_TEXT (param)),
                                           read, NULL, free_row, what, error);
  docket_store_unlock (self);

  return rows;
}

/* The first row of sql likewise, or NULL without error when there is none. */
static gpointer
read_row (DocketStore           *self,
          const char            *sql,
          const char            *param,
          DocketStoreRowReader   read,
          const char            *what,
          GError               **error)
{
  gpointer row;

  docket_store_lock (self);
  row = docket_store_collect_row_locked (self, docket_store_prepare_with (self,
                                                                          sql,
                                                                          error,
                                                                          DOCKET_SQLITE_TEXT (param)),
                                         read, NULL, what, error);
  docket_store_unlock (self);

  return row;
}

GPtrArray *
docket_store_list_missing_documents (DocketStore  *self,
                                     GError      **error)
{
  g_autofree char *sql = NULL;

  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);

  /* One document per content: two documents with the same bytes need one download. */
  sql = g_strdup_printf ("SELECT %s FROM documents d"
                         " WHERE d.sha256 NOT IN (SELECT sha256 FROM blobs)"
                         " GROUP BY d.sha256 ORDER BY d.meeting_id, d.position",
                         document_columns);

  return read_rows (self, sql, NULL, read_document,
                    (GDestroyNotify) docket_document_record_free, "documents", error);
}

GPtrArray *
docket_store_list_meetings (DocketStore  *self,
                            GError      **error)
{
  g_autofree char *sql = NULL;

  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);

  sql = g_strdup_printf ("SELECT %s,"
                         " (SELECT count(*) FROM documents d WHERE d.meeting_id = m.id),"
                         " (SELECT count(*) FROM documents d JOIN verified_blobs b ON b.sha256 = d.sha256"
                         "   WHERE d.meeting_id = m.id)"
                         " FROM meetings m ORDER BY m.starts_at_unix, m.id",
                         meeting_columns);

  return read_rows (self, sql, NULL, read_meeting_row,
                    (GDestroyNotify) docket_store_meeting_row_free, "meetings", error);
}

GPtrArray *
docket_store_list_agenda_items (DocketStore  *self,
                                const char   *meeting_id,
                                GError      **error)
{
  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);
  g_return_val_if_fail (meeting_id != NULL, NULL);

  /* Depth first: each item's sort key is the path of zero-padded positions (and ids,
   * to break ties) from its root. Items caught in a cycle are never reached. */
  return read_rows (self,
                    "WITH RECURSIVE tree (id, depth, sort_key) AS ("
                    "  SELECT id, 0, printf ('%06d:%s', position, id) FROM agenda_items"
                    "   WHERE meeting_id = ?1 AND parent_id IS NULL"
                    "  UNION ALL"
                    "  SELECT a.id, t.depth + 1, t.sort_key || '/' || printf ('%06d:%s', a.position, a.id)"
                    "   FROM agenda_items a JOIN tree t ON a.parent_id = t.id"
                    "   WHERE a.meeting_id = ?1 AND t.depth < " G_STRINGIFY (DOCKET_MAX_AGENDA_DEPTH)
                    ")"
                    " SELECT a.id, a.meeting_id, a.parent_id, a.position, a.number, a.title,"
                    "  a.presenter, a.description, a.version"
                    " FROM tree t JOIN agenda_items a ON a.id = t.id ORDER BY t.sort_key",
                    meeting_id, read_agenda_item,
                    (GDestroyNotify) docket_agenda_item_record_free, "agenda_items", error);
}

GPtrArray *
docket_store_list_documents (DocketStore  *self,
                             const char   *meeting_id,
                             GError      **error)
{
  g_autofree char *sql = NULL;

  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);
  g_return_val_if_fail (meeting_id != NULL, NULL);

  sql = g_strdup_printf ("SELECT %s FROM documents d WHERE d.meeting_id = ?1"
                         " ORDER BY d.item_id, d.position, d.id",
                         document_columns);

  return read_rows (self, sql, meeting_id, read_document_row,
                    (GDestroyNotify) docket_store_document_row_free, "documents", error);
}

DocketMeetingRecord *
docket_store_get_meeting (DocketStore  *self,
                          const char   *meeting_id,
                          GError      **error)
{
  g_autofree char *sql = NULL;

  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);
  g_return_val_if_fail (meeting_id != NULL, NULL);

  sql = g_strdup_printf ("SELECT %s FROM meetings m WHERE m.id = ?1", meeting_columns);

  return read_row (self, sql, meeting_id, read_meeting, "meetings", error);
}

DocketStoreDocumentRow *
docket_store_get_document (DocketStore  *self,
                           const char   *document_id,
                           GError      **error)
{
  g_autofree char *sql = NULL;

  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);
  g_return_val_if_fail (document_id != NULL, NULL);

  sql = g_strdup_printf ("SELECT %s FROM documents d WHERE d.id = ?1", document_columns);

  return read_row (self, sql, document_id, read_document_row, "documents", error);
}

/* Async reads: the same queries in a worker thread. */

typedef GPtrArray *(*ListFunc) (DocketStore  *self,
                                const char   *meeting_id,
                                GError      **error);

typedef struct {
  ListFunc  func;
  char     *meeting_id;
} ListQuery;

static void
list_query_free (ListQuery *query)
{
  g_free (query->meeting_id);
  g_free (query);
}

static gpointer
list_job (DocketStore  *self,
          gpointer      data,
          GError      **error)
{
  ListQuery *query = data;

  return query->func (self, query->meeting_id, error);
}

/* A list that is no longer wanted returns at once: a reload superseded it. */
static void
list_async (DocketStore         *self,
            ListFunc             func,
            const char          *meeting_id,
            gpointer             source_tag,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  ListQuery *query = g_new0 (ListQuery, 1);

  query->func = func;
  query->meeting_id = g_strdup (meeting_id);
  docket_store_run_read_in_thread (self, list_job, query, (GDestroyNotify) list_query_free,
                                   (GDestroyNotify) g_ptr_array_unref, source_tag,
                                   cancellable, callback, user_data);
}

static GPtrArray *
list_all_meetings (DocketStore  *self,
                   const char   *unused,
                   GError      **error)
{
  return docket_store_list_meetings (self, error);
}

void
docket_store_list_meetings_async (DocketStore         *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (DOCKET_IS_STORE (self));

  list_async (self, list_all_meetings, NULL, docket_store_list_meetings_async,
              cancellable, callback, user_data);
}

GPtrArray *
docket_store_list_meetings_finish (DocketStore   *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return docket_store_run_finish (self, result, docket_store_list_meetings_async, error);
}

void
docket_store_list_agenda_items_async (DocketStore         *self,
                                      const char          *meeting_id,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (DOCKET_IS_STORE (self));
  g_return_if_fail (meeting_id != NULL);

  list_async (self, docket_store_list_agenda_items, meeting_id,
              docket_store_list_agenda_items_async, cancellable, callback, user_data);
}

GPtrArray *
docket_store_list_agenda_items_finish (DocketStore   *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return docket_store_run_finish (self, result, docket_store_list_agenda_items_async, error);
}

void
docket_store_list_documents_async (DocketStore         *self,
                                   const char          *meeting_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (DOCKET_IS_STORE (self));
  g_return_if_fail (meeting_id != NULL);

  list_async (self, docket_store_list_documents, meeting_id,
              docket_store_list_documents_async, cancellable, callback, user_data);
}

GPtrArray *
docket_store_list_documents_finish (DocketStore   *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return docket_store_run_finish (self, result, docket_store_list_documents_async, error);
}
