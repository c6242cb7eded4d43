/* docket-json-writer.h: the helpers every codec writes a record's members with (internal to common/) */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "docket-protocol.h"

G_BEGIN_DECLS

/* A NULL value is written as "". */
void      docket_json_set_string     (JsonObject *object,
                                      const char *field,
                                      const char *value);
/* RFC 3339 with the time's own offset; a NULL time is written as null. */
void      docket_json_set_time       (JsonObject *object,
                                      const char *field,
                                      GDateTime  *value);
/* A node holding object; takes the caller's reference to object. */
JsonNode *docket_json_object_to_node (JsonObject *object);

G_END_DECLS
