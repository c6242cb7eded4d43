/* docket-codec-changes.c: a page of the change feed (and each change in it) to JSON and from JSON
 *
 * A page is read whole or not at all: the client applies a page in one transaction, so
 * one bad change refuses the page, with an error that names the change by its place
 * ("changes[3].data.title"). Each change's data is read by its entity's codec.
 */
#include "config.h"

#include "docket-checks.h"
#include "docket-json-reader.h"
#include "docket-json-writer.h"
#include "docket-records.h"
#include "docket-records-private.h"

JsonNode *
docket_change_to_json (const DocketChange *change)
{
  JsonObject *object;

  g_return_val_if_fail (change != NULL, NULL);

  object = json_object_new ();
  json_object_set_string_member (object, "type", docket_change_type_to_string (change->type));
  docket_json_set_string (object, "id", change->id);
  json_object_set_boolean_member (object, "deleted", change->deleted);

  if (!change->deleted && change->record != NULL)
    {
      JsonNode *data = NULL;

      switch (change->type)
        {
        case DOCKET_CHANGE_MEETING:
          data = docket_meeting_record_to_json (change->record);
          break;
        case DOCKET_CHANGE_AGENDA_ITEM:
          data = docket_agenda_item_record_to_json (change->record);
          break;
        case DOCKET_CHANGE_DOCUMENT:
          data = docket_document_record_to_json (change->record);
          break;
        case DOCKET_CHANGE_ANNOTATION:
          data = docket_annotation_record_to_json (change->record);
          break;
        case DOCKET_CHANGE_NOTE:
          data = docket_note_record_to_json (change->record);
          break;
        case DOCKET_CHANGE_MEETING_STATE:
          data = docket_meeting_state_record_to_json (change->record);
          break;
        case DOCKET_CHANGE_ATTENDANCE:
          data = docket_attendance_record_to_json (change->record);
          break;
        case DOCKET_CHANGE_SPEECH:
          data = docket_speech_record_to_json (change->record);
          break;
        default:
          g_warn_if_reached ();
        }
      if (data != NULL)
        json_object_set_member (object, "data", data);
    }

  return docket_json_object_to_node (object);
}

static const char *
record_id (DocketChangeType type,
           gpointer         record)
{
  switch (type)
    {
    case DOCKET_CHANGE_MEETING:
      return ((DocketMeetingRecord *) record)->id;
    case DOCKET_CHANGE_AGENDA_ITEM:
      return ((DocketAgendaItemRecord *) record)->id;
    case DOCKET_CHANGE_DOCUMENT:
      return ((DocketDocumentRecord *) record)->id;
    case DOCKET_CHANGE_ANNOTATION:
      return ((DocketAnnotationRecord *) record)->id;
    case DOCKET_CHANGE_NOTE:
      /* A note has no id of its own: its change carries the id of what it is on. */
      return ((DocketNoteRecord *) record)->target_id;
    case DOCKET_CHANGE_MEETING_STATE:
      /* One state per meeting: it goes by the meeting's id. */
      return ((DocketMeetingStateRecord *) record)->meeting_id;
    case DOCKET_CHANGE_ATTENDANCE:
      return ((DocketAttendanceRecord *) record)->id;
    case DOCKET_CHANGE_SPEECH:
      return ((DocketSpeechRecord *) record)->id;
    default:
      g_return_val_if_reached (NULL);
    }
}

/* The member of the data that holds the change's id, to name it in an error. */
static const char *
record_id_field (DocketChangeType type)
{
  switch (type)
    {
    case DOCKET_CHANGE_NOTE:
      return "target_id";
    case DOCKET_CHANGE_MEETING_STATE:
      return "meeting_id";
    case DOCKET_CHANGE_MEETING:
    case DOCKET_CHANGE_AGENDA_ITEM:
    case DOCKET_CHANGE_DOCUMENT:
    case DOCKET_CHANGE_ANNOTATION:
    case DOCKET_CHANGE_ATTENDANCE:
    case DOCKET_CHANGE_SPEECH:
    default:
      return "id";
    }
}

static gpointer
record_from_json (DocketChangeType   type,
                  JsonNode          *node,
                  const char        *path,
                  GError           **error)
{
  switch (type)
    {
    case DOCKET_CHANGE_MEETING:
      return docket_meeting_record_from_json_at (node, path, error);
    case DOCKET_CHANGE_AGENDA_ITEM:
      return docket_agenda_item_record_from_json_at (node, path, error);
    case DOCKET_CHANGE_DOCUMENT:
      return docket_document_record_from_json_at (node, path, error);
    case DOCKET_CHANGE_ANNOTATION:
      return docket_annotation_record_from_json_at (node, path, error);
    case DOCKET_CHANGE_NOTE:
      return docket_note_record_from_json_at (node, path, error);
    case DOCKET_CHANGE_MEETING_STATE:
      return docket_meeting_state_record_from_json_at (node, path, error);
    case DOCKET_CHANGE_ATTENDANCE:
      return docket_attendance_record_from_json_at (node, path, error);
    case DOCKET_CHANGE_SPEECH:
      return docket_speech_record_from_json_at (node, path, error);
    default:
      g_return_val_if_reached (NULL);
    }
}

/* Returns FALSE on error; TRUE with *out_change NULL for a change of an unknown type,
 * which the caller skips. */
static gboolean
change_from_json (JsonNode      *node,
                  const char    *path,
                  DocketChange **out_change,
                  GError       **error)
{
  g_autoptr(DocketChange) change = g_new0 (DocketChange, 1);
  g_autofree char *data_path = NULL;
  JsonObject *object;
  JsonNode *member;
  JsonNode *data;
  const char *type;
  const char *unknown_id;

  *out_change = NULL;

  if (!(object = docket_json_expect_object (node, path, error)))
    return FALSE;

  if (!(member = docket_json_get_member (object, path, "type", error)) ||
      !docket_json_read_string_node (member, path, "type", &type, error))
    return FALSE;

  if (!docket_change_type_from_string (type, &change->type))
    {
      /* A later protocol version's type: skipped, but it must still look like a change. */
      if (!(member = docket_json_get_member (object, path, "id", error)) ||
          !docket_json_read_string_node (member, path, "id", &unknown_id, error))
        return FALSE;
      return TRUE;
    }

  if (!docket_json_read_id (object, path, "id", &change->id, error) ||
      !docket_json_read_boolean (object, path, "deleted", &change->deleted, error))
    return FALSE;

  data = json_object_get_member (object, "data");
  if (change->deleted)
    {
      if (data != NULL && !JSON_NODE_HOLDS_NULL (data))
        return docket_field_error (error, DOCKET_PROTOCOL_ERROR_MALFORMED, path,
                                   "data", "present in a deletion");
    }
  else
    {
      if (data == NULL || JSON_NODE_HOLDS_NULL (data))
        return docket_field_error (error, DOCKET_PROTOCOL_ERROR_MISSING_FIELD, path, "data", "missing");

      data_path = g_strconcat (path, ".data", NULL);
      change->record = record_from_json (change->type, data, data_path, error);
      if (change->record == NULL)
        return FALSE;

      if (!g_str_equal (record_id (change->type, change->record), change->id))
        return docket_field_error (error, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE, data_path,
                                   record_id_field (change->type), "differs from the change's id");
    }

  *out_change = g_steal_pointer (&change);
  return TRUE;
}

JsonNode *
docket_changes_page_to_json (const DocketChangesPage *page)
{
  JsonObject *object;
  JsonArray *changes;
  guint i;

  g_return_val_if_fail (page != NULL, NULL);

  object = json_object_new ();
  docket_json_set_string (object, "cursor", page->cursor);
  json_object_set_boolean_member (object, "more", page->more);

  changes = json_array_new ();
  for (i = 0; page->changes != NULL && i < page->changes->len; i++)
    json_array_add_element (changes, docket_change_to_json (g_ptr_array_index (page->changes, i)));
  json_object_set_array_member (object, "changes", changes);

  return docket_json_object_to_node (object);
}

DocketChangesPage *
docket_changes_page_from_json (JsonNode  *node,
                               GError   **error)
{
  g_autoptr(DocketChangesPage) page = docket_changes_page_new ();
  JsonObject *object;
  JsonNode *member;
  JsonArray *changes;
  guint i, n;

  if (!(object = docket_json_expect_object (node, "page", error)))
    return NULL;

  if (!docket_json_read_text (object, "page", "cursor", DOCKET_MAX_CURSOR_BYTES, FALSE, &page->cursor, error) ||
      !docket_json_read_boolean (object, "page", "more", &page->more, error))
    return NULL;

  if (!(member = docket_json_get_member (object, "page", "changes", error)))
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (member))
    {
      docket_field_error (error, DOCKET_PROTOCOL_ERROR_WRONG_TYPE, "page", "changes", "not an array");
      return NULL;
    }

  changes = json_node_get_array (member);
  n = json_array_get_length (changes);
  if (n > DOCKET_MAX_CHANGES_PER_PAGE)
    {
      docket_field_error (error, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE, "page",
                          "changes", "more than %d", DOCKET_MAX_CHANGES_PER_PAGE);
      return NULL;
    }

  for (i = 0; i < n; i++)
    {
      g_autofree char *path = g_strdup_printf ("changes[%u]", i);
      DocketChange *change;

      if (!change_from_json (json_array_get_element (changes, i), path, &change, error))
        return NULL;
      if (change != NULL)
        g_ptr_array_add (page->changes, change);
    }

  return g_steal_pointer (&page);
}
