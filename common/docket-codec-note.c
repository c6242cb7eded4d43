/* docket-codec-note.c: a personal note to JSON and from JSON
 *
 * Like an annotation, a note is checked member by member as it is read.
 */
#include "config.h"

#include "docket-checks.h"
#include "docket-json-reader.h"
#include "docket-json-writer.h"
#include "docket-records.h"
#include "docket-records-private.h"

JsonNode *
docket_note_record_to_json (const DocketNoteRecord *record)
{
  JsonObject *object;

  g_return_val_if_fail (record != NULL, NULL);

  object = json_object_new ();
  docket_json_set_string (object, "target", docket_note_target_to_string (record->target));
  docket_json_set_string (object, "target_id", record->target_id);
  docket_json_set_string (object, "text", record->text);
  json_object_set_int_member (object, "updated_at", record->updated_at);
  json_object_set_int_member (object, "revision", record->revision);

  return docket_json_object_to_node (object);
}

DocketNoteRecord *
docket_note_record_from_json_at (JsonNode    *node,
                                 const char  *prefix,
                                 GError     **error)
{
  g_autoptr(DocketNoteRecord) record = docket_note_record_new ();
  JsonObject *object;
  JsonNode *member;
  const char *target;

  if (!(object = docket_json_expect_object (node, prefix, error)))
    return NULL;

  if (!(member = docket_json_get_member (object, prefix, "target", error)) ||
      !docket_json_read_string_node (member, prefix, "target", &target, error))
    return NULL;
  if (!docket_note_target_from_string (target, &record->target))
    {
      docket_field_error (error, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE, prefix, "target",
                          "not one of agenda_item, document");
      return NULL;
    }

  if (!docket_json_read_id (object, prefix, "target_id", &record->target_id, error) ||
      !docket_json_read_text (object, prefix, "text", DOCKET_MAX_NOTE_BYTES, TRUE, &record->text, error) ||
      !docket_json_read_integer (object, prefix, "updated_at", 0, DOCKET_MAX_TIME_MS,
                                 &record->updated_at, error) ||
      !docket_json_read_integer (object, prefix, "revision", 0, DOCKET_MAX_VERSION, &record->revision, error))
    return NULL;

  return g_steal_pointer (&record);
}

DocketNoteRecord *
docket_note_record_from_json (JsonNode  *node,
                              GError   **error)
{
  return docket_note_record_from_json_at (node, "note", error);
}
