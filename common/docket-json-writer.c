/* docket-json-writer.c: the small helpers every codec writes a record's members with
 *
 * Apart from the readers because writing is lenient where reading is strict: a server
 * writes what it has (a NULL string as "", a NULL time as null) and the other side's
 * reader decides.
 */
#include "config.h"

#include "docket-json-writer.h"

void
docket_json_set_string (JsonObject *object,
                        const char *field,
                        const char *value)
{
  json_object_set_string_member (object, field, value != NULL ? value : "");
}

void
docket_json_set_time (JsonObject *object,
                      const char *field,
                      GDateTime  *value)
{
  g_autofree char *text = NULL;

  if (value == NULL)
    {
      json_object_set_null_member (object, field);
      return;
    }

  text = docket_protocol_format_time (value);
  json_object_set_string_member (object, field, text);
}

/* json_node_init_object () takes its own reference. */
JsonNode *
docket_json_object_to_node (JsonObject *object)
{
  JsonNode *node = json_node_init_object (json_node_alloc (), object);

  json_object_unref (object);
  return node;
}
