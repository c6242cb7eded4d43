/* docket-json-reader.h: the strict readers of one JSON member (internal to common/)
 *
 * What every codec (docket-codec-*.c) reads a record's members with. Each reader takes
 * the object, the path of the object in the message ("meeting", "changes[3].data") and the
 * member's name, and fails with a DOCKET_PROTOCOL_ERROR "path.member: what is wrong":
 * MISSING_FIELD when the member is absent or null, WRONG_TYPE when it has another JSON
 * type, OUT_OF_RANGE when it breaks the limit the reader checks. Strings come out newly
 * allocated.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "docket-protocol.h"

G_BEGIN_DECLS

/* The node's object, or NULL with MALFORMED. */
JsonObject *docket_json_expect_object        (JsonNode     *node,
                                              const char   *path,
                                              GError      **error);
/* An array of min_length to max_length elements, or NULL. */
JsonArray  *docket_json_expect_array         (JsonNode     *node,
                                              const char   *path,
                                              guint         min_length,
                                              guint         max_length,
                                              GError      **error);
/* The member, or NULL with MISSING_FIELD (a JSON null counts as missing). */
JsonNode   *docket_json_get_member           (JsonObject   *object,
                                              const char   *prefix,
                                              const char   *field,
                                              GError      **error);
gboolean    docket_json_node_is_type         (JsonNode     *node,
                                              GType         type);
/* The node's string, borrowed from the node. */
gboolean    docket_json_read_string_node     (JsonNode     *node,
                                              const char   *prefix,
                                              const char   *field,
                                              const char  **out,
                                              GError      **error);
/* A finite number in [min, max] (min excluded when min_exclusive); errors name path. */
gboolean    docket_json_check_number_node    (JsonNode     *node,
                                              const char   *path,
                                              double        min,
                                              gboolean      min_exclusive,
                                              double        max,
                                              double       *out,
                                              GError      **error);

/* Members whose limits the reader checks itself. */
gboolean    docket_json_read_text            (JsonObject   *object,
                                              const char   *prefix,
                                              const char   *field,
                                              gsize         max_bytes,
                                              gboolean      allow_empty,
                                              char        **out,
                                              GError      **error);
gboolean    docket_json_read_id              (JsonObject   *object,
                                              const char   *prefix,
                                              const char   *field,
                                              char        **out,
                                              GError      **error);
gboolean    docket_json_read_integer         (JsonObject   *object,
                                              const char   *prefix,
                                              const char   *field,
                                              gint64        min,
                                              gint64        max,
                                              gint64       *out,
                                              GError      **error);
/* An integer from 0 to max. */
gboolean    docket_json_read_int             (JsonObject   *object,
                                              const char   *prefix,
                                              const char   *field,
                                              int           max,
                                              int          *out,
                                              GError      **error);
gboolean    docket_json_read_boolean         (JsonObject   *object,
                                              const char   *prefix,
                                              const char   *field,
                                              gboolean     *out,
                                              GError      **error);
/* An RFC 3339 time with an offset (docket_protocol_parse_time ()). */
gboolean    docket_json_read_time            (JsonObject   *object,
                                              const char   *prefix,
                                              const char   *field,
                                              GDateTime   **out,
                                              GError      **error);

/* An RFC 3339 time that may be null or absent (NULL then): a meeting's started_at. */
gboolean    docket_json_read_optional_time   (JsonObject   *object,
                                              const char   *prefix,
                                              const char   *field,
                                              GDateTime   **out,
                                              GError      **error);

/* Members whose type only is checked here: the record's validation checks their limits. */
gboolean    docket_json_read_string          (JsonObject   *object,
                                              const char   *prefix,
                                              const char   *field,
                                              char        **out,
                                              GError      **error);
/* NULL when the member is absent or null. */
gboolean    docket_json_read_optional_string (JsonObject   *object,
                                              const char   *prefix,
                                              const char   *field,
                                              char        **out,
                                              GError      **error);
/* An enum's name, borrowed from the node: the caller turns it into its value with the
 * enum's *_from_string () and docket_check_name (). The optional form gives NULL when the
 * member is absent or null. */
gboolean    docket_json_read_name            (JsonObject   *object,
                                              const char   *prefix,
                                              const char   *field,
                                              const char  **out,
                                              GError      **error);
gboolean    docket_json_read_optional_name   (JsonObject   *object,
                                              const char   *prefix,
                                              const char   *field,
                                              const char  **out,
                                              GError      **error);
gboolean    docket_json_read_c_int           (JsonObject   *object,
                                              const char   *prefix,
                                              const char   *field,
                                              int          *out,
                                              GError      **error);
/* Any integer JSON carries exactly (up to 2^53 - 1 either way). */
gboolean    docket_json_read_gint64          (JsonObject   *object,
                                              const char   *prefix,
                                              const char   *field,
                                              gint64       *out,
                                              GError      **error);

G_END_DECLS
