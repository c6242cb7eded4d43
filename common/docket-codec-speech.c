/* docket-codec-speech.c: a request for the floor (and the speech after it) to JSON and from JSON
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

JsonNode *
docket_speech_record_to_json (const DocketSpeechRecord *record)
{
  JsonObject *object;

  g_return_val_if_fail (record != NULL, NULL);

  object = json_object_new ();
  docket_json_set_string (object, "id", record->id);
  docket_json_set_string (object, "meeting_id", record->meeting_id);
  docket_json_set_string (object, "username", record->username);
  docket_json_set_string (object, "state", docket_speech_state_to_string (record->state));
  json_object_set_int_member (object, "number", record->number);
  docket_json_set_time (object, "requested_at", record->requested_at);
  docket_json_set_time (object, "started_at", record->started_at);
  docket_json_set_time (object, "ended_at", record->ended_at);
  json_object_set_int_member (object, "limit_seconds", record->limit_seconds);
  json_object_set_int_member (object, "version", record->version);

  return docket_json_object_to_node (object);
}

DocketSpeechRecord *
docket_speech_record_from_json_at (JsonNode    *node,
                                   const char  *prefix,
                                   GError     **error)
{
  g_autoptr(DocketSpeechRecord) record = docket_speech_record_new ();
  JsonObject *object;
  const char *state;

  if (!(object = docket_json_expect_object (node, prefix, error)))
    return NULL;

  if (!docket_json_read_string (object, prefix, "id", &record->id, error) ||
      !docket_json_read_string (object, prefix, "meeting_id", &record->meeting_id, error) ||
      !docket_json_read_string (object, prefix, "username", &record->username, error) ||
      !docket_json_read_name (object, prefix, "state", &state, error) ||
      !docket_check_name (docket_speech_state_from_string (state, &record->state), prefix, "state", error) ||
      !docket_json_read_gint64 (object, prefix, "number", &record->number, error) ||
      !docket_json_read_time (object, prefix, "requested_at", &record->requested_at, error) ||
      !docket_json_read_optional_time (object, prefix, "started_at", &record->started_at, error) ||
      !docket_json_read_optional_time (object, prefix, "ended_at", &record->ended_at, error) ||
      !docket_json_read_c_int (object, prefix, "limit_seconds", &record->limit_seconds, error) ||
      !docket_json_read_gint64 (object, prefix, "version", &record->version, error) ||
      !docket_speech_record_validate_at (record, prefix, error))
    return NULL;

  return g_steal_pointer (&record);
}

DocketSpeechRecord *
docket_speech_record_from_json (JsonNode  *node,
                                GError   **error)
{
  return docket_speech_record_from_json_at (node, "speech", error);
}
