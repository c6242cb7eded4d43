/* docket-server-routes-live.c: running a meeting — its state, attendance and speeches
 * (docs/protocol.md, "The live meeting"), over docket-server-db-live.c
 *
 * The dispatcher has checked that the caller sees the meeting (404 otherwise). Each
 * handler reads the whole body first (400), then checks the caller's right in the
 * meeting (403): its chair and its secretary run it, a participant checks themself in
 * and asks for the floor, the one who asked withdraws. What the meeting's status and
 * phase allow (409) is checked by the database layer in the transaction of the write.
 * Every refusal says why in words the person who tried understands.
 */
#include "config.h"

#include <glib/gi18n.h>

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

static gboolean
forbidden (GError     **error,
           const char  *message)
{
  g_set_error_literal (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_FORBIDDEN, message);
  return FALSE;
}

/* Bodies */

/* A node of a new empty object, which it owns. */
static JsonNode *
new_object_node (void)
{
  JsonNode *node = json_node_init_object (json_node_alloc (), NULL);

  json_node_take_object (node, json_object_new ());
  return node;
}

/* The body as an object; an empty body reads as {} where allow_empty. */
static JsonObject *
parse_body (SoupServerMessage  *msg,
            gboolean            allow_empty,
            JsonNode          **out_root,
            GError            **error)
{
  if (allow_empty && soup_server_message_get_request_body (msg)->length == 0)
    *out_root = new_object_node ();
  else
    *out_root = docket_server_parse_json_object (msg, error);
  return *out_root != NULL ? json_node_get_object (*out_root) : NULL;
}

static gboolean
node_is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

/* A member that names a value of an enumeration the server knows: a word it does not
 * know is refused, never stored as unknown. parse is one of the *_from_string ()
 * functions; *out_has FALSE when the member is absent. */
typedef gboolean (*ParseWord) (const char *text,
                               int        *out_value);

static gboolean
read_word (JsonObject  *object,
           const char  *name,
           ParseWord    parse,
           int          unknown,
           const char  *why,
           gboolean    *out_has,
           int         *out_value,
           GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  *out_has = FALSE;
  if (node == NULL)
    return TRUE;
  if (!node_is_string (node) || !parse (json_node_get_string (node), out_value) ||
      *out_value == unknown)
    return field_error (error, name, why);
  *out_has = TRUE;
  return TRUE;
}

/* The enumerations' readers have typed pointers; ParseWord takes an int. */
static gboolean
parse_phase (const char *text,
             int        *out)
{
  DocketMeetingPhase value;

  if (!docket_meeting_phase_from_string (text, &value))
    return FALSE;
  *out = (int) value;
  return TRUE;
}

static gboolean
parse_presence (const char *text,
                int        *out)
{
  DocketPresence value;

  if (!docket_presence_from_string (text, &value))
    return FALSE;
  *out = (int) value;
  return TRUE;
}

static gboolean
parse_meeting_role (const char *text,
                    int        *out)
{
  DocketMeetingRole value;

  if (!docket_meeting_role_from_string (text, &value))
    return FALSE;
  *out = (int) value;
  return TRUE;
}

static gboolean
parse_speech_state (const char *text,
                    int        *out)
{
  DocketSpeechState value;

  if (!docket_speech_state_from_string (text, &value))
    return FALSE;
  *out = (int) value;
  return TRUE;
}

static gboolean
read_required_word (JsonObject  *object,
                    const char  *name,
                    ParseWord    parse,
                    int          unknown,
                    const char  *why,
                    int         *out_value,
                    GError     **error)
{
  gboolean has = FALSE;

  if (!read_word (object, name, parse, unknown, why, &has, out_value, error))
    return FALSE;
  if (!has)
    return field_error (error, name, _("missing"));
  return TRUE;
}

static gboolean
read_int_member (JsonNode    *node,
                 const char  *name,
                 gint64       max,
                 int         *out,
                 GError     **error)
{
  g_autofree char *why = NULL;
  gint64 value;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return field_error (error, name, _("not an integer"));
  value = json_node_get_int (node);
  if (value < 0 || value > max)
    {
      /* max is a page count or a number of seconds, well within an int; a format macro
       * inside _() would not be found by xgettext. */
      why = g_strdup_printf (_("not from 0 to %d"), (int) max);
      return field_error (error, name, why);
    }
  *out = (int) value;
  return TRUE;
}

/* An id or null: *out NULL for null. */
static gboolean
read_id_or_null (JsonNode    *node,
                 const char  *name,
                 char       **out,
                 GError     **error)
{
  if (JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!node_is_string (node) || !docket_protocol_id_is_valid (json_node_get_string (node)))
    return field_error (error, name, _("not an id or null"));
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

/* "presentation": null, or {"document_id": ID, "page": N}. */
static gboolean
read_presentation (JsonNode                        *node,
                   DocketServerMeetingStateFields  *fields,
                   GError                         **error)
{
  JsonObject *object;
  JsonNode *document_id;
  JsonNode *page;

  fields->has_presentation = TRUE;
  if (JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return field_error (error, "presentation", _("not an object or null"));
  object = json_node_get_object (node);
  document_id = json_object_get_member (object, "document_id");
  page = json_object_get_member (object, "page");
  if (document_id == NULL || JSON_NODE_HOLDS_NULL (document_id))
    return field_error (error, "presentation.document_id", _("missing"));
  if (page == NULL)
    return field_error (error, "presentation.page", _("missing"));
  return read_id_or_null (document_id, "presentation.document_id",
                          &fields->presented_document_id, error) &&
         read_int_member (page, "presentation.page", DOCKET_MAX_PAGES - 1,
                          &fields->presented_page, error);
}

static gboolean
read_state_fields (JsonObject                      *object,
                   DocketServerMeetingStateFields  *fields,
                   GError                         **error)
{
  JsonNode *node;
  int phase = DOCKET_MEETING_PHASE_UNKNOWN;

  if (!read_word (object, "phase", parse_phase, DOCKET_MEETING_PHASE_UNKNOWN,
                  _("not not_started, in_session or ended"), &fields->has_phase, &phase, error))
    return FALSE;
  fields->phase = (DocketMeetingPhase) phase;

  if ((node = json_object_get_member (object, "current_item_id")) != NULL)
    {
      fields->has_current_item = TRUE;
      if (!read_id_or_null (node, "current_item_id", &fields->current_item_id, error))
        return FALSE;
    }
  if ((node = json_object_get_member (object, "presentation")) != NULL &&
      !read_presentation (node, fields, error))
    return FALSE;
  if ((node = json_object_get_member (object, "speech_limit_seconds")) != NULL)
    {
      fields->has_speech_limit = TRUE;
      if (!read_int_member (node, "speech_limit_seconds", DOCKET_MAX_SPEECH_LIMIT_SECONDS,
                            &fields->speech_limit_seconds, error))
        return FALSE;
    }
  return TRUE;
}

/* Rights in the meeting */

typedef struct {
  gboolean          participant;
  DocketMeetingRole role;
} MeetingPart;

static gboolean
find_part (DocketServerRequest  *request,
           const char           *meeting_id,
           gint64                user_id,
           MeetingPart          *out,
           GError              **error)
{
  return docket_server_db_find_meeting_role (docket_server_get_db (request->server), meeting_id,
                                             user_id, &out->participant, &out->role, error);
}

static gboolean
part_runs_meeting (const MeetingPart *part)
{
  return part->participant && docket_meeting_role_runs_meeting (part->role);
}

/* FORBIDDEN unless the caller is the meeting's chair or secretary. */
static gboolean
check_runs_meeting (DocketServerRequest  *request,
                    const char           *meeting_id,
                    GError              **error)
{
  MeetingPart part;

  if (!find_part (request, meeting_id, request->user->id, &part, error))
    return FALSE;
  if (!part_runs_meeting (&part))
    return forbidden (error, _("Only the chair or the meeting's secretary runs the meeting"));
  return TRUE;
}

/* "a guest", "its chair": what a meeting role is called in "... takes part in this
 * meeting as %s". */
static const char *
role_phrase (DocketMeetingRole role)
{
  switch (role)
    {
    case DOCKET_MEETING_ROLE_CHAIR:
      /* Translators: "You take part in this meeting as %s" */
      return _("its chair");
    case DOCKET_MEETING_ROLE_MEMBER:
      /* Translators: "You take part in this meeting as %s" */
      return _("a member");
    case DOCKET_MEETING_ROLE_GUEST:
      /* Translators: "You take part in this meeting as %s" */
      return _("a guest");
    case DOCKET_MEETING_ROLE_SECRETARY:
      /* Translators: "You take part in this meeting as %s" */
      return _("its secretary");
    case DOCKET_MEETING_ROLE_UNKNOWN:
    default:
      /* Translators: "You take part in this meeting as %s" */
      return _("a participant");
    }
}

static void
reply_record (SoupServerMessage *msg,
              guint              status,
              const char        *name,
              JsonNode          *record)
{
  g_autoptr(JsonNode) root = new_object_node ();

  json_object_set_member (json_node_get_object (root), name, record);
  docket_server_reply_json (msg, status, root);
}

/* PATCH /meetings/{meeting}/state */

void
docket_server_handle_update_meeting_state (DocketServerRequest *request)
{
  DocketServerDb *db = docket_server_get_db (request->server);
  const char *meeting_id = docket_server_request_param (request, "meeting");
  g_auto(DocketServerMeetingStateFields) fields = { 0 };
  g_autoptr(DocketMeetingStateRecord) state = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  if ((object = parse_body (request->msg, FALSE, &root, &error)) == NULL ||
      !read_state_fields (object, &fields, &error) ||
      !check_runs_meeting (request, meeting_id, &error) ||
      (state = docket_server_db_update_meeting_state (db, meeting_id, &fields, &error)) == NULL)
    {
      docket_server_reply_gerror (request->msg, error);
      return;
    }
  reply_record (request->msg, 200, "meeting_state", docket_meeting_state_record_to_json (state));
}

/* PUT /meetings/{meeting}/attendance/{username} */

/* The participant the attendance is of, and whether the caller may set it: themself,
 * or anyone for the chair and the secretary (a roll call). *out_user_id gets theirs. */
static gboolean
check_attendance_right (DocketServerRequest  *request,
                        const char           *meeting_id,
                        const char           *username,
                        gboolean              has_role,
                        DocketMeetingRole     claimed_role,
                        gint64               *out_user_id,
                        GError              **error)
{
  DocketServerDb *db = docket_server_get_db (request->server);
  gboolean self = g_str_equal (username, request->user->username);
  g_autoptr(DocketServerUser) target = NULL;
  g_autoptr(GError) local_error = NULL;
  MeetingPart part = { FALSE, DOCKET_MEETING_ROLE_UNKNOWN };

  if (!self)
    {
      MeetingPart caller;

      if (!find_part (request, meeting_id, request->user->id, &caller, error))
        return FALSE;
      if (!part_runs_meeting (&caller))
        return forbidden (error, _("Only the chair or the meeting's secretary checks others in or out"));
    }
  target = self ? docket_server_user_copy (request->user)
                : docket_server_db_find_user (db, username, &local_error);
  /* A user name nobody has is no participant; a failure of the database is its own. */
  if (target == NULL && !g_error_matches (local_error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (target != NULL && !find_part (request, meeting_id, target->id, &part, error))
    return FALSE;
  if (!part.participant)
    {
      if (self)
        g_set_error_literal (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_NOT_FOUND,
                             _("You do not take part in this meeting"));
      else
        g_set_error (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_NOT_FOUND,
                     _("%s does not take part in this meeting"), username);
      return FALSE;
    }
  /* A guest may not check in as a member, who would count for quorum. */
  if (has_role && claimed_role != part.role)
    {
      if (self)
        g_set_error (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_FORBIDDEN,
                     _("You take part in this meeting as %s"), role_phrase (part.role));
      else
        g_set_error (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_FORBIDDEN,
                     _("%s takes part in this meeting as %s"), username, role_phrase (part.role));
      return FALSE;
    }
  *out_user_id = target->id;
  return TRUE;
}

void
docket_server_handle_set_attendance (DocketServerRequest *request)
{
  DocketServerDb *db = docket_server_get_db (request->server);
  const char *meeting_id = docket_server_request_param (request, "meeting");
  const char *username = docket_server_request_param (request, "username");
  g_autoptr(DocketAttendanceRecord) attendance = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  int presence = DOCKET_PRESENCE_UNKNOWN;
  int role = DOCKET_MEETING_ROLE_UNKNOWN;
  gboolean has_role = FALSE;
  gint64 user_id = 0;

  if ((object = parse_body (request->msg, FALSE, &root, &error)) == NULL ||
      !read_required_word (object, "presence", parse_presence, DOCKET_PRESENCE_UNKNOWN,
                           _("not present, remote or absent"), &presence, &error) ||
      !read_word (object, "meeting_role", parse_meeting_role, DOCKET_MEETING_ROLE_UNKNOWN,
                  _("not chair, member, guest or secretary"), &has_role, &role, &error) ||
      !check_attendance_right (request, meeting_id, username, has_role,
                               (DocketMeetingRole) role, &user_id, &error) ||
      (attendance = docket_server_db_set_attendance (db, meeting_id, user_id,
                                                     (DocketPresence) presence, &error)) == NULL)
    {
      docket_server_reply_gerror (request->msg, error);
      return;
    }
  reply_record (request->msg, 200, "attendance", docket_attendance_record_to_json (attendance));
}

/* GET /meetings/{meeting}/attendance */

static JsonNode *
attendance_log_to_json (GPtrArray *log)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "log");
  json_builder_begin_array (builder);
  for (guint i = 0; i < log->len; i++)
    {
      const DocketServerAttendanceEntry *entry = g_ptr_array_index (log, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "username");
      json_builder_add_string_value (builder, entry->username);
      json_builder_set_member_name (builder, "presence");
      json_builder_add_string_value (builder, docket_presence_to_string (entry->presence));
      json_builder_set_member_name (builder, "at");
      json_builder_add_string_value (builder, entry->at);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* The chair and the secretary of the meeting read the log, and so does who manages the
 * meeting (a secretary of its organ, an administrator), for the minutes. */
static gboolean
check_reads_attendance (DocketServerRequest  *request,
                        const char           *meeting_id,
                        GError              **error)
{
  DocketServerDb *db = docket_server_get_db (request->server);
  g_autoptr(GError) local_error = NULL;
  MeetingPart part;

  if (!find_part (request, meeting_id, request->user->id, &part, error))
    return FALSE;
  if (part_runs_meeting (&part) ||
      docket_server_db_check_manage_meeting (db, request->user, meeting_id, &local_error))
    return TRUE;
  if (!g_error_matches (local_error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_FORBIDDEN))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return forbidden (error, _("Only the chair, the meeting's secretary and who manages the "
                             "meeting read its attendance"));
}

void
docket_server_handle_attendance_log (DocketServerRequest *request)
{
  const char *meeting_id = docket_server_request_param (request, "meeting");
  g_autoptr(GPtrArray) log = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  if (!check_reads_attendance (request, meeting_id, &error) ||
      (log = docket_server_db_load_attendance_log (docket_server_get_db (request->server),
                                                   meeting_id, &error)) == NULL)
    {
      docket_server_reply_gerror (request->msg, error);
      return;
    }
  root = attendance_log_to_json (log);
  docket_server_reply_json (request->msg, 200, root);
}

/* POST /meetings/{meeting}/speeches */

/* FORBIDDEN unless the caller takes part in the meeting (a secretary of its organ sees
 * it without taking part). */
static gboolean
check_takes_part (DocketServerRequest  *request,
                  const char           *meeting_id,
                  GError              **error)
{
  MeetingPart part;

  if (!find_part (request, meeting_id, request->user->id, &part, error))
    return FALSE;
  if (!part.participant)
    return forbidden (error, _("Only the meeting's participants ask for the floor"));
  return TRUE;
}

void
docket_server_handle_request_floor (DocketServerRequest *request)
{
  DocketServerDb *db = docket_server_get_db (request->server);
  const char *meeting_id = docket_server_request_param (request, "meeting");
  g_autoptr(DocketSpeechRecord) speech = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  /* The body is {} (an empty one too): nothing in it is read. */
  if (parse_body (request->msg, TRUE, &root, &error) == NULL ||
      !check_takes_part (request, meeting_id, &error) ||
      (speech = docket_server_db_request_floor (db, meeting_id, request->user->id, &error)) == NULL)
    {
      docket_server_reply_gerror (request->msg, error);
      return;
    }
  reply_record (request->msg, 201, "speech", docket_speech_record_to_json (speech));
}

/* PATCH /speeches/{speech} */

/* Who may move a speech to state: the chair and the secretary give the floor; they and
 * the speaker end a speech; they and the one who asked withdraw a request. */
static gboolean
check_speech_right (DocketServerRequest       *request,
                    const DocketSpeechRecord  *speech,
                    DocketSpeechState          state,
                    GError                   **error)
{
  gboolean own = g_str_equal (speech->username, request->user->username);
  MeetingPart part;

  if (!find_part (request, speech->meeting_id, request->user->id, &part, error))
    return FALSE;
  if (part_runs_meeting (&part))
    return TRUE;
  switch (state)
    {
    case DOCKET_SPEECH_DONE:
      return own || forbidden (error, _("Only the chair, the meeting's secretary or the "
                                        "speaker ends a speech"));
    case DOCKET_SPEECH_WITHDRAWN:
      return own || forbidden (error, _("Only the one who asked for the floor, the chair or "
                                        "the meeting's secretary withdraws a request"));
    case DOCKET_SPEECH_SPEAKING:
    case DOCKET_SPEECH_WAITING:
    case DOCKET_SPEECH_UNKNOWN:
    default:
      return forbidden (error, _("Only the chair or the meeting's secretary gives the floor"));
    }
}

void
docket_server_handle_update_speech (DocketServerRequest *request)
{
  DocketServerDb *db = docket_server_get_db (request->server);
  const char *speech_id = docket_server_request_param (request, "speech");
  g_autoptr(DocketSpeechRecord) speech = NULL;
  g_autoptr(DocketSpeechRecord) moved = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  int state = DOCKET_SPEECH_UNKNOWN;

  if ((object = parse_body (request->msg, FALSE, &root, &error)) == NULL ||
      !read_required_word (object, "state", parse_speech_state, DOCKET_SPEECH_UNKNOWN,
                           _("not waiting, speaking, done or withdrawn"), &state, &error) ||
      (speech = docket_server_db_load_speech (db, speech_id, &error)) == NULL ||
      !check_speech_right (request, speech, (DocketSpeechState) state, &error) ||
      (moved = docket_server_db_set_speech_state (db, speech_id, (DocketSpeechState) state,
                                                  &error)) == NULL)
    {
      docket_server_reply_gerror (request->msg, error);
      return;
    }
  reply_record (request->msg, 200, "speech", docket_speech_record_to_json (moved));
}
