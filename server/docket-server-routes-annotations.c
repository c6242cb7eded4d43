/* docket-server-routes-annotations.c: the officials' endpoints for their own data —
 * annotations and notes (docs/protocol.md, "Annotations and notes"), over
 * docket-server-db-annotations.c
 *
 * Every request carries an op_id. A repeated op_id gets the first answer again and
 * changes nothing, so that a client that lost an answer may simply send again. Each
 * handler checks the whole request (shape, every field, that the user sees what it is
 * on) before anything is written; the write and the stored answer are one transaction.
 * The route table asks only for a signed-in user: what the data is on is checked here,
 * after the op_id, so that an operation sent again is answered as the first time.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "docket-protocol.h"
#include "docket-server-routes.h"

static void
reply_text (SoupServerMessage *msg,
            guint              status,
            char              *answer)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    answer, strlen (answer));
}

static void
reply_invalid (SoupServerMessage *msg,
               const char        *message)
{
  docket_server_reply_error (msg, 400, DOCKET_ERR_INVALID_FIELD, message);
}

static gboolean
op_id_is_valid (const char *op_id)
{
  return op_id != NULL && docket_protocol_id_is_valid (op_id);
}

/* The body's "op_id", or NULL (the reply is sent). */
static const char *
body_op_id (SoupServerMessage *msg,
            JsonObject        *object)
{
  JsonNode *node = json_object_get_member (object, "op_id");

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING ||
      !op_id_is_valid (json_node_get_string (node)))
    {
      reply_invalid (msg, _("op_id: missing, or not an id of 1 to 64 characters A-Z, a-z, 0-9, _ and -"));
      return NULL;
    }
  return json_node_get_string (node);
}

/* Answers the stored reply of an op_id already seen: TRUE when msg is answered (with it,
 * or with an error). */
static gboolean
replay (DocketServer           *self,
        SoupServerMessage      *msg,
        const DocketServerUser *user,
        const char             *op_id,
        const char             *request)
{
  g_autoptr(GError) error = NULL;
  char *answer = NULL;
  guint status = 0;

  if (docket_server_db_find_op (docket_server_get_db (self), user, op_id, request,
                                &status, &answer, &error))
    {
      reply_text (msg, status, answer);
      return TRUE;
    }
  if (error != NULL)
    {
      docket_server_reply_gerror (msg, error);
      return TRUE;
    }
  return FALSE;
}

/* The meeting of what a note or an annotation is on, if the user sees it; NULL with the
 * reply sent otherwise (404, as for anything of a meeting the user does not see). */
static char *
visible_meeting_of (DocketServer           *self,
                    SoupServerMessage      *msg,
                    const DocketServerUser *user,
                    DocketNoteTarget        target,
                    const char             *target_id)
{
  DocketServerDb *db = docket_server_get_db (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *meeting_id = NULL;

  meeting_id = target == DOCKET_NOTE_TARGET_AGENDA_ITEM
               ? docket_server_db_item_meeting (db, target_id, &error)
               : docket_server_db_document_meeting (db, target_id, &error);
  if (meeting_id == NULL || !docket_server_db_user_sees_meeting (db, user, meeting_id, &error))
    {
      docket_server_reply_gerror (msg, error);
      return NULL;
    }
  return g_steal_pointer (&meeting_id);
}

/* PUT /annotations/{annotation} {"op_id": ..., "annotation": {...}} */
void
docket_server_handle_put_annotation (DocketServerRequest *request)
{
  DocketServer *self = request->server;
  SoupServerMessage *msg = request->msg;
  const DocketServerUser *user = request->user;
  const char *id = docket_server_request_param (request, "annotation");
  DocketServerDb *db = docket_server_get_db (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(DocketAnnotationRecord) record = NULL;
  g_autoptr(DocketDocumentRecord) document = NULL;
  g_autofree char *op_request = g_strconcat ("PUT annotations/", id, NULL);
  g_autofree char *meeting_id = NULL;
  char *answer = NULL;
  const char *op_id;
  guint status = 0;

  if ((root = docket_server_parse_json_object (msg, &error)) == NULL)
    {
      docket_server_reply_gerror (msg, error);
      return;
    }
  if ((op_id = body_op_id (msg, json_node_get_object (root))) == NULL ||
      replay (self, msg, user, op_id, op_request))
    return;

  record = docket_annotation_record_from_json (json_object_get_member (json_node_get_object (root),
                                                                       "annotation"), &error);
  if (record == NULL)
    {
      reply_invalid (msg, error->message);
      return;
    }
  if (!g_str_equal (record->id, id))
    {
      reply_invalid (msg, _("annotation.id: differs from the id in the path"));
      return;
    }

  if ((meeting_id = visible_meeting_of (self, msg, user, DOCKET_NOTE_TARGET_DOCUMENT,
                                        record->document_id)) == NULL)
    return;
  document = docket_server_db_load_document (db, record->document_id, &error);
  if (document == NULL)
    {
      docket_server_reply_gerror (msg, error);
      return;
    }
  if (document->pages > 0 && record->page >= document->pages)
    {
      reply_invalid (msg, _("annotation.page: past the document's last page"));
      return;
    }

  if (!docket_server_db_put_annotation (db, user, meeting_id, record, op_id, op_request,
                                        &status, &answer, &error))
    {
      docket_server_reply_gerror (msg, error);
      return;
    }
  reply_text (msg, status, answer);
}

/* DELETE /annotations/{annotation}?op_id=... */
void
docket_server_handle_delete_annotation (DocketServerRequest *request)
{
  DocketServer *self = request->server;
  SoupServerMessage *msg = request->msg;
  const DocketServerUser *user = request->user;
  GHashTable *query = request->query;
  const char *id = docket_server_request_param (request, "annotation");
  g_autoptr(GError) error = NULL;
  g_autofree char *op_request = g_strconcat ("DELETE annotations/", id, NULL);
  const char *op_id = query != NULL ? g_hash_table_lookup (query, "op_id") : NULL;
  char *answer = NULL;

  if (!op_id_is_valid (op_id))
    {
      docket_server_reply_error (msg, 400, DOCKET_ERR_BAD_REQUEST,
                                 _("op_id: missing from the query, or not a valid id"));
      return;
    }
  if (replay (self, msg, user, op_id, op_request))
    return;

  if (!docket_server_db_delete_annotation (docket_server_get_db (self), user, id, op_id,
                                           op_request, &answer, &error))
    {
      docket_server_reply_gerror (msg, error);
      return;
    }
  reply_text (msg, 200, answer);
}

/* PUT /notes/{target}/{target_id} {"op_id": ..., "note": {...}} */
void
docket_server_handle_put_note (DocketServerRequest *request)
{
  DocketServer *self = request->server;
  SoupServerMessage *msg = request->msg;
  const DocketServerUser *user = request->user;
  const char *target_id = docket_server_request_param (request, "target_id");
  DocketNoteTarget target = DOCKET_NOTE_TARGET_DOCUMENT;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(DocketNoteRecord) note = NULL;
  g_autofree char *op_request = NULL;
  g_autofree char *meeting_id = NULL;
  char *answer = NULL;
  const char *op_id;

  docket_note_target_from_string (docket_server_request_param (request, "target"), &target);
  op_request = g_strdup_printf ("PUT notes/%s/%s", docket_note_target_to_string (target),
                                target_id);

  if ((root = docket_server_parse_json_object (msg, &error)) == NULL)
    {
      docket_server_reply_gerror (msg, error);
      return;
    }
  if ((op_id = body_op_id (msg, json_node_get_object (root))) == NULL ||
      replay (self, msg, user, op_id, op_request))
    return;

  note = docket_note_record_from_json (json_object_get_member (json_node_get_object (root), "note"),
                                       &error);
  if (note == NULL)
    {
      reply_invalid (msg, error->message);
      return;
    }
  if (note->target != target || !g_str_equal (note->target_id, target_id))
    {
      reply_invalid (msg, _("note.target, note.target_id: differ from the path"));
      return;
    }

  if ((meeting_id = visible_meeting_of (self, msg, user, target, target_id)) == NULL)
    return;

  if (!docket_server_db_put_note (docket_server_get_db (self), user, meeting_id, note, op_id,
                                  op_request, &answer, &error))
    {
      docket_server_reply_gerror (msg, error);
      return;
    }
  reply_text (msg, 200, answer);
}
