/* docket-codec-meeting.c: a meeting (and its participants) to JSON and from JSON
 *
 * The reader reads the JSON's types with the strict readers (docket-json-reader.c), then
 * runs the record's validation (docket-records.c): what comes out is safe to store.
 */
#include "config.h"

#include "docket-checks.h"
#include "docket-json-reader.h"
#include "docket-json-writer.h"
#include "docket-records.h"
#include "docket-records-private.h"

static DocketParticipant *
participant_from_json (JsonNode    *node,
                       const char  *path,
                       GError     **error)
{
  g_autoptr(DocketParticipant) participant = docket_participant_new (NULL, NULL, DOCKET_ROLE_OFFICIAL);
  JsonObject *object;
  const char *role;
  const char *meeting_role;

  if (!(object = docket_json_expect_object (node, path, error)))
    return NULL;

  if (!docket_json_read_string (object, path, "username", &participant->username, error) ||
      !docket_json_read_string (object, path, "display_name", &participant->display_name, error) ||
      !docket_json_read_name (object, path, "role", &role, error) ||
      !docket_check_name (docket_role_from_string (role, &participant->role), path, "role", error) ||
      /* Absent from servers before meeting roles: every participant was a member. */
      !docket_json_read_optional_name (object, path, "meeting_role", &meeting_role, error) ||
      (meeting_role != NULL &&
       !docket_check_name (docket_meeting_role_from_string (meeting_role, &participant->meeting_role),
                           path, "meeting_role", error)))
    return NULL;

  return g_steal_pointer (&participant);
}

static gboolean
read_participants (JsonObject  *object,
                   const char  *prefix,
                   GPtrArray   *participants,
                   GError     **error)
{
  JsonNode *node;
  JsonArray *array;
  guint i, n;

  if (!(node = docket_json_get_member (object, prefix, "participants", error)))
    return FALSE;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return docket_field_error (error, DOCKET_PROTOCOL_ERROR_WRONG_TYPE, prefix,
                               "participants", "not an array");

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  /* Before reading them: a hostile list of millions is not worth reading. */
  if (!docket_check_count (n, DOCKET_MAX_PARTICIPANTS, prefix, "participants", error))
    return FALSE;

  for (i = 0; i < n; i++)
    {
      g_autofree char *path = g_strdup_printf ("%s.participants[%u]", prefix, i);
      DocketParticipant *participant;

      participant = participant_from_json (json_array_get_element (array, i), path, error);
      if (participant == NULL)
        return FALSE;
      g_ptr_array_add (participants, participant);
    }

  return TRUE;
}

static JsonNode *
participant_to_json (const DocketParticipant *participant)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "username",
                                 participant->username ? participant->username : "");
  json_object_set_string_member (object, "display_name",
                                 participant->display_name ? participant->display_name : "");
  json_object_set_string_member (object, "role", docket_role_to_string (participant->role));
  json_object_set_string_member (object, "meeting_role",
                                 docket_meeting_role_to_string (participant->meeting_role));

  return docket_json_object_to_node (object);
}

JsonNode *
docket_meeting_record_to_json (const DocketMeetingRecord *record)
{
  JsonObject *object;
  JsonArray *participants;
  guint i;

  g_return_val_if_fail (record != NULL, NULL);

  object = json_object_new ();
  docket_json_set_string (object, "id", record->id);
  docket_json_set_string (object, "title", record->title);
  docket_json_set_string (object, "organ", record->organ);
  docket_json_set_time (object, "starts_at", record->starts_at);
  docket_json_set_time (object, "ends_at", record->ends_at);
  docket_json_set_string (object, "time_zone", record->time_zone);
  docket_json_set_string (object, "location", record->location);
  docket_json_set_string (object, "status", docket_meeting_status_to_string (record->status));
  docket_json_set_string (object, "quorum", docket_quorum_rule_to_string (record->quorum));
  json_object_set_int_member (object, "version", record->version);

  participants = json_array_new ();
  for (i = 0; record->participants != NULL && i < record->participants->len; i++)
    json_array_add_element (participants,
                            participant_to_json (g_ptr_array_index (record->participants, i)));
  json_object_set_array_member (object, "participants", participants);

  return docket_json_object_to_node (object);
}

DocketMeetingRecord *
docket_meeting_record_from_json_at (JsonNode    *node,
                                    const char  *prefix,
                                    GError     **error)
{
  g_autoptr(DocketMeetingRecord) record = docket_meeting_record_new ();
  JsonObject *object;
  const char *status;
  const char *quorum;

  if (!(object = docket_json_expect_object (node, prefix, error)))
    return NULL;

  if (!docket_json_read_string (object, prefix, "id", &record->id, error) ||
      !docket_json_read_string (object, prefix, "title", &record->title, error) ||
      !docket_json_read_string (object, prefix, "organ", &record->organ, error) ||
      !docket_json_read_time (object, prefix, "starts_at", &record->starts_at, error) ||
      !docket_json_read_time (object, prefix, "ends_at", &record->ends_at, error) ||
      !docket_json_read_string (object, prefix, "time_zone", &record->time_zone, error) ||
      !docket_json_read_string (object, prefix, "location", &record->location, error))
    return NULL;

  if (!docket_json_read_name (object, prefix, "status", &status, error) ||
      !docket_check_name (docket_meeting_status_from_string (status, &record->status),
                          prefix, "status", error) ||
      /* Absent from servers before quorum rules: a majority was the only rule. */
      !docket_json_read_optional_name (object, prefix, "quorum", &quorum, error) ||
      (quorum != NULL &&
       !docket_check_name (docket_quorum_rule_from_string (quorum, &record->quorum),
                           prefix, "quorum", error)))
    return NULL;

  if (!docket_json_read_gint64 (object, prefix, "version", &record->version, error) ||
      !read_participants (object, prefix, record->participants, error) ||
      !docket_meeting_record_validate_at (record, prefix, error))
    return NULL;

  return g_steal_pointer (&record);
}

DocketMeetingRecord *
docket_meeting_record_from_json (JsonNode  *node,
                                 GError   **error)
{
  return docket_meeting_record_from_json_at (node, "meeting", error);
}
