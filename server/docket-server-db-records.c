/* docket-server-db-records.c: who sees what (docs/protocol.md, "Roles and who may see
 * what"), and reading meetings, agenda items and documents as the protocol shows them
 *
 * The reading side that the routes' rights, the writes (docket-server-db-meetings.c) and
 * the change feed (docket-server-db-feed.c) share.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "docket-record-rows.h"
#include "docket-server-db-private.h"

/* Visibility */

typedef struct {
  char     *organ;
  gboolean  draft;
  gboolean  participant;
} AccessFacts;

static void
access_facts_free (AccessFacts *facts)
{
  g_free (facts->organ);
  g_free (facts);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AccessFacts, access_facts_free)

static gpointer
access_facts_from_row (sqlite3_stmt  *stmt,
                       gpointer       unused,
                       GError       **error)
{
  AccessFacts *facts = g_new0 (AccessFacts, 1);

  facts->organ = docket_sqlite_column_dup (stmt, 0);
  facts->draft = sqlite3_column_int (stmt, 1) != 0;
  facts->participant = sqlite3_column_int (stmt, 2) != 0;
  return facts;
}

/* Reads a meeting's organ and status, and whether user takes part in it. */
static AccessFacts *
meeting_access_facts (DocketServerDb          *self,
                      const DocketServerUser  *user,
                      const char              *meeting_id,
                      GError                 **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = docket_server_db_prepare_with (self,
                                        "SELECT organ, status = 'draft', EXISTS (SELECT 1 FROM"
                                        " participants p WHERE p.meeting_id = m.id AND p.user_id = ?2)"
                                        " FROM meetings m WHERE m.id = ?1", error,
                                        DOCKET_SERVER_DB_TEXT (meeting_id),
                                        DOCKET_SERVER_DB_INT (user->id));
  return docket_server_db_read_row (stmt, access_facts_from_row, error);
}

gboolean
docket_server_user_sees (const DocketServerUser *user,
                         const char             *organ,
                         gboolean                draft,
                         gboolean                participant)
{
  return user->role == DOCKET_ROLE_ADMIN ||
         (user->role == DOCKET_ROLE_SECRETARY && g_strcmp0 (organ, user->organ) == 0) ||
         (participant && !draft);
}

gboolean
docket_server_db_user_sees_meeting (DocketServerDb          *self,
                                    const DocketServerUser  *user,
                                    const char              *meeting_id,
                                    GError                 **error)
{
  g_autoptr(AccessFacts) facts = meeting_access_facts (self, user, meeting_id, error);

  if (facts == NULL)
    return FALSE;
  if (docket_server_user_sees (user, facts->organ, facts->draft, facts->participant))
    return TRUE;
  return docket_server_db_set_not_found (error);
}

gboolean
docket_server_db_check_manage_meeting (DocketServerDb          *self,
                                       const DocketServerUser  *user,
                                       const char              *meeting_id,
                                       GError                 **error)
{
  if (!docket_server_db_user_sees_meeting (self, user, meeting_id, error))
    return FALSE;
  if (user->role == DOCKET_ROLE_ADMIN)
    return TRUE;
  if (user->role == DOCKET_ROLE_SECRETARY)
    {
      g_autoptr(AccessFacts) facts = meeting_access_facts (self, user, meeting_id, error);

      if (facts == NULL)
        return FALSE;
      if (g_strcmp0 (facts->organ, user->organ) == 0)
        return TRUE;
    }
  g_set_error_literal (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_FORBIDDEN,
                       _("Only a secretary of the meeting's organ or an administrator may change it"));
  return FALSE;
}

/* The text sql (with id as its parameter) selects, or NULL with NOT_FOUND. */
static char *
lookup_text (DocketServerDb  *self,
             const char      *sql,
             const char      *id,
             GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = docket_server_db_prepare_with (self, sql, error, DOCKET_SERVER_DB_TEXT (id));
  return docket_server_db_read_row (stmt, docket_sqlite_read_text, error);
}

char *
docket_server_db_item_meeting (DocketServerDb  *self,
                               const char      *item_id,
                               GError         **error)
{
  return lookup_text (self, "SELECT meeting_id FROM items WHERE id = ?", item_id, error);
}

char *
docket_server_db_document_meeting (DocketServerDb  *self,
                                   const char      *document_id,
                                   GError         **error)
{
  return lookup_text (self, "SELECT meeting_id FROM documents WHERE id = ?", document_id, error);
}

char *
docket_server_db_document_sha256 (DocketServerDb  *self,
                                  const char      *document_id,
                                  GError         **error)
{
  return lookup_text (self, "SELECT sha256 FROM documents WHERE id = ?", document_id, error);
}

/* Records */

static gpointer
meeting_from_row (sqlite3_stmt  *stmt,
                  gpointer       unused,
                  GError       **error)
{
  g_autoptr(DocketMeetingRecord) record = docket_meeting_record_new ();

  record->id = docket_sqlite_column_dup (stmt, 0);
  record->title = docket_sqlite_column_dup (stmt, 1);
  record->organ = docket_sqlite_column_dup (stmt, 2);
  record->starts_at = docket_protocol_parse_time ((const char *) sqlite3_column_text (stmt, 3), error);
  if (record->starts_at == NULL)
    return NULL;
  record->ends_at = docket_protocol_parse_time ((const char *) sqlite3_column_text (stmt, 4), error);
  if (record->ends_at == NULL)
    return NULL;
  record->time_zone = docket_sqlite_column_dup (stmt, 5);
  record->location = docket_sqlite_column_dup (stmt, 6);
  if (!docket_meeting_status_from_string ((const char *) sqlite3_column_text (stmt, 7),
                                          &record->status))
    record->status = DOCKET_MEETING_STATUS_DRAFT;
  record->version = sqlite3_column_int64 (stmt, 8);
  /* The server stores only rules it knows; an unknown word reads as the default. */
  if (!docket_quorum_rule_from_string ((const char *) sqlite3_column_text (stmt, 9),
                                       &record->quorum) ||
      record->quorum == DOCKET_QUORUM_UNKNOWN)
    record->quorum = DOCKET_QUORUM_MAJORITY;
  return g_steal_pointer (&record);
}

/* The readers of the rows client and server share (common/docket-record-rows.c), as
 * the collect functions of docket-sqlite call them. */
static gpointer
participant_from_row (sqlite3_stmt  *stmt,
                      gpointer       unused,
                      GError       **error)
{
  DocketParticipant *participant = docket_participant_from_row (stmt);

  /* The meeting role follows the shared columns: the server's own. */
  if (!docket_meeting_role_from_string ((const char *) sqlite3_column_text (stmt, DOCKET_PARTICIPANT_ROW_N_COLUMNS),
                                        &participant->meeting_role) ||
      participant->meeting_role == DOCKET_MEETING_ROLE_UNKNOWN)
    participant->meeting_role = DOCKET_MEETING_ROLE_MEMBER;
  return participant;
}

DocketMeetingRecord *
docket_server_db_load_meeting (DocketServerDb  *self,
                               const char      *meeting_id,
                               GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) people = NULL;
  g_autoptr(DocketMeetingRecord) record = NULL;
  g_autoptr(GPtrArray) participants = NULL;

  stmt = docket_server_db_prepare_with (self,
                                        "SELECT id, title, organ, starts_at, ends_at, time_zone,"
                                        " location, status, version, quorum FROM meetings WHERE id = ?",
                                        error, DOCKET_SERVER_DB_TEXT (meeting_id));
  record = docket_server_db_read_row (stmt, meeting_from_row, error);
  if (record == NULL)
    return NULL;

  people = docket_server_db_prepare_with (self,
                                          "SELECT u.username, u.display_name, u.role, p.meeting_role"
                                          " FROM participants p JOIN users u ON u.id = p.user_id"
                                          " WHERE p.meeting_id = ? ORDER BY u.username", error,
                                          DOCKET_SERVER_DB_TEXT (meeting_id));
  participants = docket_sqlite_collect_rows (people, participant_from_row, NULL,
                            (GDestroyNotify) docket_participant_free, error);
  if (participants == NULL)
    return NULL;
  /* The participants move into the record, which frees them from now on. */
  g_ptr_array_extend_and_steal (record->participants, g_steal_pointer (&participants));
  return g_steal_pointer (&record);
}


static gpointer
item_from_row (sqlite3_stmt  *stmt,
               gpointer       unused,
               GError       **error)
{
  return docket_agenda_item_record_from_row (stmt);
}

DocketAgendaItemRecord *
docket_server_db_load_item (DocketServerDb  *self,
                            const char      *item_id,
                            GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = docket_server_db_prepare_with (self, "SELECT " DOCKET_AGENDA_ITEM_ROW_COLUMNS " FROM items WHERE id = ?",
                                        error, DOCKET_SERVER_DB_TEXT (item_id));
  return docket_server_db_read_row (stmt, item_from_row, error);
}

GPtrArray *
docket_server_db_load_items (DocketServerDb  *self,
                             const char      *meeting_id,
                             GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  /* Depth first through the tree, siblings by position: a parent always comes before
   * its sub-items. */
  stmt = docket_server_db_prepare_with (self,
                                        "WITH RECURSIVE tree (id, path) AS ("
                                        "  SELECT id, printf ('%06d', position) FROM items"
                                        "   WHERE meeting_id = ?1 AND parent_id IS NULL"
                                        "  UNION ALL"
                                        "  SELECT i.id, tree.path || '.' || printf ('%06d', i.position)"
                                        "   FROM items i JOIN tree ON i.parent_id = tree.id)"
                                        " SELECT i.id, i.meeting_id, i.parent_id, i.position, i.number,"
                                        " i.title, i.presenter, i.description, i.version"
                                        " FROM tree JOIN items i ON i.id = tree.id ORDER BY tree.path",
                                        error, DOCKET_SERVER_DB_TEXT (meeting_id));
  return docket_sqlite_collect_rows (stmt, item_from_row, NULL,
                    (GDestroyNotify) docket_agenda_item_record_free, error);
}


static gpointer
document_from_row (sqlite3_stmt  *stmt,
                   gpointer       unused,
                   GError       **error)
{
  return docket_document_record_from_row (stmt);
}

DocketDocumentRecord *
docket_server_db_load_document (DocketServerDb  *self,
                                const char      *document_id,
                                GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = docket_server_db_prepare_with (self,
                                        "SELECT " DOCKET_DOCUMENT_ROW_COLUMNS " FROM documents WHERE id = ?",
                                        error, DOCKET_SERVER_DB_TEXT (document_id));
  return docket_server_db_read_row (stmt, document_from_row, error);
}

GPtrArray *
docket_server_db_load_documents (DocketServerDb  *self,
                                 const char      *meeting_id,
                                 GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = docket_server_db_prepare_with (self,
                                        "SELECT " DOCKET_DOCUMENT_ROW_COLUMNS " FROM documents"
                                        " WHERE meeting_id = ? ORDER BY item_id, position", error,
                                        DOCKET_SERVER_DB_TEXT (meeting_id));
  return docket_sqlite_collect_rows (stmt, document_from_row, NULL,
                    (GDestroyNotify) docket_document_record_free, error);
}

