/* docket-codec-user.c: who is signed in, the "user" of the session's answers, to JSON and from JSON
 *
 * The reader reads the JSON's types with the strict readers (docket-json-reader.c), then
 * runs the record's validation (docket-records.c). A global role this client does not
 * know is kept as unknown (docs/protocol.md, "Values a client does not know").
 */
#include "config.h"

#include "docket-checks.h"
#include "docket-json-reader.h"
#include "docket-json-writer.h"
#include "docket-records.h"
#include "docket-records-private.h"

JsonNode *
docket_user_record_to_json (const DocketUserRecord *record)
{
  JsonObject *object;

  g_return_val_if_fail (record != NULL, NULL);

  object = json_object_new ();
  docket_json_set_string (object, "username", record->username);
  docket_json_set_string (object, "display_name", record->display_name);
  docket_json_set_string (object, "role", docket_role_to_string (record->role));
  docket_json_set_string (object, "organ", record->organ);

  return docket_json_object_to_node (object);
}

DocketUserRecord *
docket_user_record_from_json (JsonNode  *node,
                              GError   **error)
{
  g_autoptr(DocketUserRecord) record = docket_user_record_new ();
  JsonObject *object;
  const char *role;

  if (!(object = docket_json_expect_object (node, "user", error)))
    return NULL;

  if (!docket_json_read_string (object, "user", "username", &record->username, error) ||
      !docket_json_read_string (object, "user", "display_name", &record->display_name, error) ||
      !docket_json_read_name (object, "user", "role", &role, error) ||
      !docket_check_name (docket_role_from_string (role, &record->role), "user", "role", error) ||
      /* "" for a user of no organ (an administrator may have none) */
      !docket_json_read_string (object, "user", "organ", &record->organ, error) ||
      !docket_user_record_validate (record, error))
    return NULL;

  return g_steal_pointer (&record);
}
