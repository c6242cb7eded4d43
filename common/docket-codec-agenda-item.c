/* docket-codec-agenda-item.c: an agenda item to JSON and from JSON
 *
 * The reader reads the JSON's types with the strict readers (docket-json-reader.c), then
 * runs the record's validation (docket-records.c): what comes out is safe to store.
 */
#include "config.h"

#include "docket-json-reader.h"
#include "docket-json-writer.h"
#include "docket-records.h"
#include "docket-records-private.h"

JsonNode *
docket_agenda_item_record_to_json (const DocketAgendaItemRecord *record)
{
  JsonObject *object;

  g_return_val_if_fail (record != NULL, NULL);

  object = json_object_new ();
  docket_json_set_string (object, "id", record->id);
  docket_json_set_string (object, "meeting_id", record->meeting_id);
  if (record->parent_id != NULL)
    json_object_set_string_member (object, "parent_id", record->parent_id);
  else
    json_object_set_null_member (object, "parent_id");
  json_object_set_int_member (object, "position", record->position);
  docket_json_set_string (object, "number", record->number);
  docket_json_set_string (object, "title", record->title);
  docket_json_set_string (object, "presenter", record->presenter);
  docket_json_set_string (object, "description", record->description);
  json_object_set_int_member (object, "version", record->version);

  return docket_json_object_to_node (object);
}

DocketAgendaItemRecord *
docket_agenda_item_record_from_json_at (JsonNode    *node,
                                        const char  *prefix,
                                        GError     **error)
{
  g_autoptr(DocketAgendaItemRecord) record = docket_agenda_item_record_new ();
  JsonObject *object;

  if (!(object = docket_json_expect_object (node, prefix, error)))
    return NULL;

  if (!docket_json_read_string (object, prefix, "id", &record->id, error) ||
      !docket_json_read_string (object, prefix, "meeting_id", &record->meeting_id, error) ||
      !docket_json_read_optional_string (object, prefix, "parent_id", &record->parent_id, error) ||
      !docket_json_read_c_int (object, prefix, "position", &record->position, error) ||
      !docket_json_read_string (object, prefix, "number", &record->number, error) ||
      !docket_json_read_string (object, prefix, "title", &record->title, error) ||
      !docket_json_read_string (object, prefix, "presenter", &record->presenter, error) ||
      !docket_json_read_string (object, prefix, "description", &record->description, error) ||
      !docket_json_read_gint64 (object, prefix, "version", &record->version, error) ||
      !docket_agenda_item_record_validate_at (record, prefix, error))
    return NULL;

  return g_steal_pointer (&record);
}

DocketAgendaItemRecord *
docket_agenda_item_record_from_json (JsonNode  *node,
                                     GError   **error)
{
  return docket_agenda_item_record_from_json_at (node, "agenda_item", error);
}
