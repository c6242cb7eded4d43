/* docket-codec-meeting-state.c: a meeting's live state to JSON and from JSON
 *
 * The reader reads the JSON's types with the strict readers (docket-json-reader.c), then
 * runs the record's validation (docket-records.c): what comes out is safe to store. The
 * record holds the presentation as two fields; on the wire it is one member, null or
 * {"document_id", "page"}.
 */
#include "config.h"

#include "docket-checks.h"
#include "docket-json-reader.h"
#include "docket-json-writer.h"
#include "docket-records.h"
#include "docket-records-private.h"

static void
set_optional_string (JsonObject *object,
                     const char *field,
                     const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, field, value);
  else
    json_object_set_null_member (object, field);
}

static void
set_presentation (JsonObject                     *object,
                  const DocketMeetingStateRecord *record)
{
  JsonObject *presentation;

  if (record->presented_document_id == NULL)
    {
      json_object_set_null_member (object, "presentation");
      return;
    }

  presentation = json_object_new ();
  json_object_set_string_member (presentation, "document_id", record->presented_document_id);
  json_object_set_int_member (presentation, "page", record->presented_page);
  json_object_set_object_member (object, "presentation", presentation);
}

JsonNode *
docket_meeting_state_record_to_json (const DocketMeetingStateRecord *record)
{
  JsonObject *object;

  g_return_val_if_fail (record != NULL, NULL);

  object = json_object_new ();
  docket_json_set_string (object, "meeting_id", record->meeting_id);
  docket_json_set_string (object, "phase", docket_meeting_phase_to_string (record->phase));
  docket_json_set_time (object, "started_at", record->started_at);
  docket_json_set_time (object, "ended_at", record->ended_at);
  set_optional_string (object, "current_item_id", record->current_item_id);
  set_presentation (object, record);
  json_object_set_int_member (object, "speech_limit_seconds", record->speech_limit_seconds);
  json_object_set_int_member (object, "version", record->version);

  return docket_json_object_to_node (object);
}

/* null or absent: no presentation; else an object of both members. */
static gboolean
read_presentation (JsonObject                *object,
                   const char                *prefix,
                   DocketMeetingStateRecord  *record,
                   GError                   **error)
{
  g_autofree char *path = g_strconcat (prefix, ".presentation", NULL);
  JsonNode *node = json_object_get_member (object, "presentation");
  JsonObject *presentation;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return docket_field_error (error, DOCKET_PROTOCOL_ERROR_WRONG_TYPE, prefix, "presentation",
                               "not an object or null");

  presentation = json_node_get_object (node);
  return docket_json_read_string (presentation, path, "document_id", &record->presented_document_id, error) &&
         docket_json_read_c_int (presentation, path, "page", &record->presented_page, error);
}

DocketMeetingStateRecord *
docket_meeting_state_record_from_json_at (JsonNode    *node,
                                          const char  *prefix,
                                          GError     **error)
{
  g_autoptr(DocketMeetingStateRecord) record = docket_meeting_state_record_new ();
  JsonObject *object;
  const char *phase;

  if (!(object = docket_json_expect_object (node, prefix, error)))
    return NULL;

  if (!docket_json_read_string (object, prefix, "meeting_id", &record->meeting_id, error) ||
      !docket_json_read_name (object, prefix, "phase", &phase, error) ||
      !docket_check_name (docket_meeting_phase_from_string (phase, &record->phase), prefix, "phase", error) ||
      !docket_json_read_optional_time (object, prefix, "started_at", &record->started_at, error) ||
      !docket_json_read_optional_time (object, prefix, "ended_at", &record->ended_at, error) ||
      !docket_json_read_optional_string (object, prefix, "current_item_id", &record->current_item_id, error) ||
      !read_presentation (object, prefix, record, error) ||
      !docket_json_read_c_int (object, prefix, "speech_limit_seconds", &record->speech_limit_seconds, error) ||
      !docket_json_read_gint64 (object, prefix, "version", &record->version, error) ||
      !docket_meeting_state_record_validate_at (record, prefix, error))
    return NULL;

  return g_steal_pointer (&record);
}

DocketMeetingStateRecord *
docket_meeting_state_record_from_json (JsonNode  *node,
                                       GError   **error)
{
  return docket_meeting_state_record_from_json_at (node, "meeting_state", error);
}
