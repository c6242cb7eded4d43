/* docket-codec-document.c: a document's record (not its contents) to JSON and from JSON
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
docket_document_record_to_json (const DocketDocumentRecord *record)
{
  JsonObject *object;

  g_return_val_if_fail (record != NULL, NULL);

  object = json_object_new ();
  docket_json_set_string (object, "id", record->id);
  docket_json_set_string (object, "meeting_id", record->meeting_id);
  docket_json_set_string (object, "item_id", record->item_id);
  json_object_set_int_member (object, "position", record->position);
  docket_json_set_string (object, "title", record->title);
  json_object_set_string_member (object, "media_type",
                                 record->media_type ? record->media_type : "application/pdf");
  docket_json_set_string (object, "sha256", record->sha256);
  json_object_set_int_member (object, "size", record->size);
  json_object_set_int_member (object, "pages", record->pages);
  json_object_set_int_member (object, "version", record->version);

  return docket_json_object_to_node (object);
}

DocketDocumentRecord *
docket_document_record_from_json_at (JsonNode    *node,
                                     const char  *prefix,
                                     GError     **error)
{
  g_autoptr(DocketDocumentRecord) record = docket_document_record_new ();
  JsonObject *object;

  if (!(object = docket_json_expect_object (node, prefix, error)))
    return NULL;

  if (!docket_json_read_string (object, prefix, "id", &record->id, error) ||
      !docket_json_read_string (object, prefix, "meeting_id", &record->meeting_id, error) ||
      !docket_json_read_string (object, prefix, "item_id", &record->item_id, error) ||
      !docket_json_read_c_int (object, prefix, "position", &record->position, error) ||
      !docket_json_read_string (object, prefix, "title", &record->title, error) ||
      !docket_json_read_string (object, prefix, "media_type", &record->media_type, error) ||
      !docket_json_read_string (object, prefix, "sha256", &record->sha256, error) ||
      !docket_json_read_gint64 (object, prefix, "size", &record->size, error) ||
      !docket_json_read_c_int (object, prefix, "pages", &record->pages, error) ||
      !docket_json_read_gint64 (object, prefix, "version", &record->version, error) ||
      !docket_document_record_validate_at (record, prefix, error))
    return NULL;

  return g_steal_pointer (&record);
}

DocketDocumentRecord *
docket_document_record_from_json (JsonNode  *node,
                                  GError   **error)
{
  return docket_document_record_from_json_at (node, "document", error);
}
