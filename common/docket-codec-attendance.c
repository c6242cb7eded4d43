/* docket-codec-attendance.c: a participant's presence in a meeting to JSON and from JSON
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
docket_attendance_record_to_json (const DocketAttendanceRecord *record)
{
  JsonObject *object;

  g_return_val_if_fail (record != NULL, NULL);

  object = json_object_new ();
  docket_json_set_string (object, "id", record->id);
  docket_json_set_string (object, "meeting_id", record->meeting_id);
  docket_json_set_string (object, "username", record->username);
  docket_json_set_string (object, "presence", docket_presence_to_string (record->presence));
  docket_json_set_time (object, "since", record->since);
  json_object_set_int_member (object, "version", record->version);

  return docket_json_object_to_node (object);
}

DocketAttendanceRecord *
docket_attendance_record_from_json_at (JsonNode    *node,
                                       const char  *prefix,
                                       GError     **error)
{
  g_autoptr(DocketAttendanceRecord) record = docket_attendance_record_new ();
  JsonObject *object;
  const char *presence;

  if (!(object = docket_json_expect_object (node, prefix, error)))
    return NULL;

  if (!docket_json_read_string (object, prefix, "id", &record->id, error) ||
      !docket_json_read_string (object, prefix, "meeting_id", &record->meeting_id, error) ||
      !docket_json_read_string (object, prefix, "username", &record->username, error) ||
      !docket_json_read_name (object, prefix, "presence", &presence, error) ||
      !docket_check_name (docket_presence_from_string (presence, &record->presence), prefix, "presence", error) ||
      !docket_json_read_time (object, prefix, "since", &record->since, error) ||
      !docket_json_read_gint64 (object, prefix, "version", &record->version, error) ||
      !docket_attendance_record_validate_at (record, prefix, error))
    return NULL;

  return g_steal_pointer (&record);
}

DocketAttendanceRecord *
docket_attendance_record_from_json (JsonNode  *node,
                                    GError   **error)
{
  return docket_attendance_record_from_json_at (node, "attendance", error);
}
