/* docket-server-routes-meetings.c: the secretaries' endpoints — meetings, participants,
 * agenda items, documents (docs/protocol.md, "Managing meetings"), over
 * docket-server-db-meetings.c
 *
 * The dispatcher has checked who calls (a secretary, or one who may change the meeting)
 * before a handler runs; each handler checks the whole body (JSON shape, every field's
 * type and limits) before it writes anything, and the write itself is one transaction.
 * Uploads of documents are in docket-server-routes-content.c.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "docket-protocol.h"
#include "docket-server-routes.h"

static gboolean
field_error (GError     **error,
             const char  *field,
             const char  *why)
{
  g_set_error (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_INVALID_FIELD,
               "%s: %s", field, why);
  return FALSE;
}

static JsonObject *
parse_object (SoupServerMessage  *msg,
              JsonNode          **out_root,
              GError            **error)
{
  *out_root = docket_server_parse_json_object (msg, error);
  return *out_root ? json_node_get_object (*out_root) : NULL;
}

/* Reads an optional text member: *out stays NULL when absent. */
static gboolean
read_text (JsonObject  *object,
           const char  *name,
           gsize        max_bytes,
           gboolean     may_be_empty,
           char       **out,
           GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);
  const char *text;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return field_error (error, name, _("not a string"));
  text = json_node_get_string (node);
  if (!docket_protocol_text_is_valid (text, max_bytes))
    {
      /* The words of the clients' reader (common/docket-checks.c), which say the limit. */
      g_autofree char *why = g_strdup_printf (_("not valid text of at most %u bytes without control characters"),
                                              (guint) max_bytes);

      return field_error (error, name, why);
    }
  if (!may_be_empty && *text == '\0')
    return field_error (error, name, _("empty"));
  *out = g_strdup (text);
  return TRUE;
}

static gboolean
read_int (JsonObject  *object,
          const char  *name,
          gint64       min,
          gint64       max,
          gboolean    *out_has,
          int         *out,
          GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);
  gint64 value;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return field_error (error, name, _("not an integer"));
  value = json_node_get_int (node);
  if (value < min || value > max)
    return field_error (error, name, _("out of range"));
  *out_has = TRUE;
  *out = (int) value;
  return TRUE;
}

static gboolean
read_time (JsonObject  *object,
           const char  *name,
           GDateTime  **out,
           GError     **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!read_text (object, name, DOCKET_MAX_TIME_TEXT_BYTES, FALSE, &text, error))
    return FALSE;
  if (text == NULL)
    return TRUE;
  *out = docket_protocol_parse_time (text, &local_error);
  if (*out == NULL)
    return field_error (error, name, _("not an RFC 3339 time with an offset"));
  return TRUE;
}

static gboolean
read_meeting_fields (JsonObject                 *object,
                     DocketServerMeetingFields  *fields,
                     GError                    **error)
{
  g_autofree char *status = NULL;
  g_autofree char *quorum = NULL;

  if (!read_text (object, "title", DOCKET_MAX_TITLE_BYTES, FALSE, &fields->title, error) ||
      !read_text (object, "organ", DOCKET_MAX_SHORT_TEXT_BYTES, FALSE, &fields->organ, error) ||
      !read_text (object, "location", DOCKET_MAX_SHORT_TEXT_BYTES, TRUE, &fields->location, error) ||
      !read_text (object, "time_zone", DOCKET_MAX_SHORT_TEXT_BYTES, FALSE, &fields->time_zone, error) ||
      !read_time (object, "starts_at", &fields->starts_at, error) ||
      !read_time (object, "ends_at", &fields->ends_at, error) ||
      !read_text (object, "status", DOCKET_MAX_SHORT_TEXT_BYTES, FALSE, &status, error) ||
      !read_text (object, "quorum", DOCKET_MAX_SHORT_TEXT_BYTES, FALSE, &quorum, error))
    return FALSE;

  if (fields->time_zone != NULL)
    {
      GTimeZone *zone = NULL;

      /* The name's shape first: GLib would also open a file by its path. */
      if (!docket_protocol_time_zone_is_valid (fields->time_zone) ||
          (zone = g_time_zone_new_identifier (fields->time_zone)) == NULL)
        return field_error (error, "time_zone", _("not an IANA time zone name"));
      g_time_zone_unref (zone);
    }
  if (status != NULL)
    {
      /* The reader keeps a word it does not know as UNKNOWN; a server stores none. */
      if (!docket_meeting_status_from_string (status, &fields->status) ||
          fields->status == DOCKET_MEETING_STATUS_UNKNOWN)
        return field_error (error, "status", _("not draft, published or closed"));
      fields->has_status = TRUE;
    }
  if (quorum != NULL)
    {
      /* The server stores only the rules it knows (docs/protocol.md, "Quorum"). */
      if (!docket_quorum_rule_from_string (quorum, &fields->quorum) ||
          fields->quorum == DOCKET_QUORUM_UNKNOWN)
        return field_error (error, "quorum", _("not majority or two_thirds"));
      fields->has_quorum = TRUE;
    }
  return TRUE;
}

static gboolean
read_item_fields (JsonObject              *object,
                  DocketServerItemFields  *fields,
                  GError                 **error)
{
  JsonNode *parent;

  if (!read_text (object, "title", DOCKET_MAX_TITLE_BYTES, FALSE, &fields->title, error) ||
      !read_text (object, "number", DOCKET_MAX_NUMBER_BYTES, TRUE, &fields->number, error) ||
      !read_text (object, "presenter", DOCKET_MAX_SHORT_TEXT_BYTES, TRUE, &fields->presenter, error) ||
      !read_text (object, "description", DOCKET_MAX_DESCRIPTION_BYTES, TRUE, &fields->description, error) ||
      !read_int (object, "position", 0, DOCKET_MAX_POSITION, &fields->has_position,
                 &fields->position, error))
    return FALSE;

  parent = json_object_get_member (object, "parent_id");
  if (parent != NULL)
    {
      fields->has_parent = TRUE;
      if (!JSON_NODE_HOLDS_NULL (parent))
        {
          if (!read_text (object, "parent_id", DOCKET_MAX_ID_LENGTH, FALSE, &fields->parent_id, error))
            return FALSE;
          if (!docket_protocol_id_is_valid (fields->parent_id))
            return field_error (error, "parent_id", _("not an id"));
        }
    }
  return TRUE;
}

/* Reads the fields of a PATCH, writes them and returns the record as JSON, or NULL with
 * error. */
typedef JsonNode *(*UpdateFunc) (DocketServerDb  *db,
                                 const char      *id,
                                 JsonObject      *object,
                                 GError         **error);

static JsonNode *
update_meeting (DocketServerDb  *db,
                const char      *id,
                JsonObject      *object,
                GError         **error)
{
  g_auto(DocketServerMeetingFields) fields = { 0 };
  g_autoptr(DocketMeetingRecord) record = NULL;

  if (!read_meeting_fields (object, &fields, error) ||
      (record = docket_server_db_update_meeting (db, id, &fields, error)) == NULL)
    return NULL;
  return docket_meeting_record_to_json (record);
}

static JsonNode *
update_item (DocketServerDb  *db,
             const char      *id,
             JsonObject      *object,
             GError         **error)
{
  g_auto(DocketServerItemFields) fields = { 0 };
  g_autoptr(DocketAgendaItemRecord) record = NULL;

  if (!read_item_fields (object, &fields, error) ||
      (record = docket_server_db_update_item (db, id, &fields, error)) == NULL)
    return NULL;
  return docket_agenda_item_record_to_json (record);
}

static JsonNode *
update_document (DocketServerDb  *db,
                 const char      *id,
                 JsonObject      *object,
                 GError         **error)
{
  g_auto(DocketServerDocumentFields) fields = { 0 };
  g_autoptr(DocketDocumentRecord) record = NULL;

  if (!read_text (object, "title", DOCKET_MAX_TITLE_BYTES, FALSE, &fields.title, error) ||
      !read_int (object, "position", 0, DOCKET_MAX_POSITION, &fields.has_position,
                 &fields.position, error) ||
      (record = docket_server_db_update_document (db, id, &fields, error)) == NULL)
    return NULL;
  return docket_document_record_to_json (record);
}

/* Answers a write: the record it returned (node: transfer full), or its error. */
static void
reply_written (SoupServerMessage *msg,
               guint              status,
               JsonNode          *node,
               const GError      *error)
{
  g_autoptr(JsonNode) owned = node;

  if (owned == NULL)
    docket_server_reply_gerror (msg, error);
  else
    docket_server_reply_json (msg, status, owned);
}

/* PATCH of one meeting, item or document: the path's parameter param. */
static void
handle_update (DocketServerRequest *request,
               const char          *param,
               UpdateFunc           update)
{
  DocketServerDb *db = docket_server_get_db (request->server);
  const char *id = docket_server_request_param (request, param);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonNode *node = NULL;

  if ((object = parse_object (request->msg, &root, &error)) != NULL)
    node = update (db, id, object, &error);
  reply_written (request->msg, 200, node, error);
}

typedef gboolean (*DeleteFunc) (DocketServerDb  *db,
                                const char      *id,
                                GError         **error);

/* DELETE of one meeting, item or document: the path's parameter param. */
static void
handle_delete (DocketServerRequest *request,
               const char          *param,
               DeleteFunc           delete)
{
  g_autoptr(GError) error = NULL;

  if (!delete (docket_server_get_db (request->server),
               docket_server_request_param (request, param), &error))
    docket_server_reply_gerror (request->msg, error);
  else
    soup_server_message_set_status (request->msg, 204, NULL);
}

/* PATCH /meetings/{meeting} */
void
docket_server_handle_update_meeting (DocketServerRequest *request)
{
  handle_update (request, "meeting", update_meeting);
}

/* DELETE /meetings/{meeting} */
void
docket_server_handle_delete_meeting (DocketServerRequest *request)
{
  handle_delete (request, "meeting", docket_server_db_delete_meeting);
}

/* PATCH /items/{item} */
void
docket_server_handle_update_item (DocketServerRequest *request)
{
  handle_update (request, "item", update_item);
}

/* DELETE /items/{item} */
void
docket_server_handle_delete_item (DocketServerRequest *request)
{
  handle_delete (request, "item", docket_server_db_delete_item);
}

/* PATCH /documents/{document} */
void
docket_server_handle_update_document (DocketServerRequest *request)
{
  handle_update (request, "document", update_document);
}

/* DELETE /documents/{document} */
void
docket_server_handle_delete_document (DocketServerRequest *request)
{
  handle_delete (request, "document", docket_server_db_delete_document);
}

/* POST /meetings */
static JsonNode *
create_meeting (DocketServerDb          *db,
                const DocketServerUser  *user,
                JsonObject              *object,
                GError                 **error)
{
  g_auto(DocketServerMeetingFields) fields = { 0 };
  g_autoptr(DocketMeetingRecord) record = NULL;

  if (!read_meeting_fields (object, &fields, error) ||
      (record = docket_server_db_create_meeting (db, user, &fields, error)) == NULL)
    return NULL;
  return docket_meeting_record_to_json (record);
}

/* POST /meetings/{id}/items */
static JsonNode *
create_item (DocketServerDb  *db,
             const char      *meeting_id,
             JsonObject      *object,
             GError         **error)
{
  g_auto(DocketServerItemFields) fields = { 0 };
  g_autoptr(DocketAgendaItemRecord) record = NULL;

  if (!read_item_fields (object, &fields, error) ||
      (record = docket_server_db_create_item (db, meeting_id, &fields, error)) == NULL)
    return NULL;
  return docket_agenda_item_record_to_json (record);
}

/* POST /meetings */
void
docket_server_handle_create_meeting (DocketServerRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonNode *node = NULL;

  if ((object = parse_object (request->msg, &root, &error)) != NULL)
    node = create_meeting (docket_server_get_db (request->server), request->user, object,
                           &error);
  reply_written (request->msg, 201, node, error);
}

/* POST /meetings/{meeting}/items */
void
docket_server_handle_create_item (DocketServerRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonNode *node = NULL;

  if ((object = parse_object (request->msg, &root, &error)) != NULL)
    node = create_item (docket_server_get_db (request->server),
                        docket_server_request_param (request, "meeting"), object, &error);
  reply_written (request->msg, 201, node, error);
}

/* The optional body of PUT /meetings/{meeting}/participants/{username}: none, or an
 * object with an optional "meeting_role". FALSE with the error to answer. */
static gboolean
read_participant_body (SoupServerMessage  *msg,
                       gboolean           *out_has_role,
                       DocketMeetingRole  *out_role,
                       GError            **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *role = NULL;
  JsonObject *object;

  *out_has_role = FALSE;
  /* Without a body, as before meeting roles: a new participant is a member. */
  if (soup_server_message_get_request_body (msg)->length == 0)
    return TRUE;
  if ((object = parse_object (msg, &root, error)) == NULL ||
      !read_text (object, "meeting_role", DOCKET_MAX_SHORT_TEXT_BYTES, FALSE, &role, error))
    return FALSE;
  if (role == NULL)
    return TRUE;
  /* The server stores only the roles it knows (docs/protocol.md, "Roles in a meeting"). */
  if (!docket_meeting_role_from_string (role, out_role) || *out_role == DOCKET_MEETING_ROLE_UNKNOWN)
    return field_error (error, "meeting_role", _("not chair, member, guest or secretary"));
  *out_has_role = TRUE;
  return TRUE;
}

/* PUT /meetings/{meeting}/participants/{username} */
void
docket_server_handle_add_participant (DocketServerRequest *request)
{
  g_autoptr(GError) error = NULL;
  DocketMeetingRole role = DOCKET_MEETING_ROLE_MEMBER;
  gboolean has_role = FALSE;

  if (!read_participant_body (request->msg, &has_role, &role, &error) ||
      !docket_server_db_put_participant (docket_server_get_db (request->server),
                                         docket_server_request_param (request, "meeting"),
                                         docket_server_request_param (request, "username"),
                                         has_role ? &role : NULL, &error))
    docket_server_reply_gerror (request->msg, error);
  else
    soup_server_message_set_status (request->msg, 204, NULL);
}

/* DELETE /meetings/{meeting}/participants/{username} */
void
docket_server_handle_remove_participant (DocketServerRequest *request)
{
  g_autoptr(GError) error = NULL;

  if (!docket_server_db_set_participant (docket_server_get_db (request->server),
                                         docket_server_request_param (request, "meeting"),
                                         docket_server_request_param (request, "username"),
                                         FALSE, &error))
    docket_server_reply_gerror (request->msg, error);
  else
    soup_server_message_set_status (request->msg, 204, NULL);
}
