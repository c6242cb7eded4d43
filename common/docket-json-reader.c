/* docket-json-reader.c: the strict readers of one JSON member, shared by every codec
 *
 * Reading is strict on purpose: a record that comes out of *_from_json () goes straight
 * into the client's cache. These helpers check a member's presence and JSON type (and,
 * for the few that say so, its length or range); the record's validation then checks the
 * rest against the limits of docket-protocol.h. Errors name the member by its path
 * ("changes[3].data.title") so that a bad server can be diagnosed from the client's log.
 * Apart from the codecs so that every entity is read by the same rules.
 */
#include "config.h"

#include <math.h>

#include "docket-checks.h"
#include "docket-json-reader.h"

JsonObject *
docket_json_expect_object (JsonNode    *node,
                           const char  *path,
                           GError     **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      docket_field_error (error, DOCKET_PROTOCOL_ERROR_MALFORMED, path, NULL, "not an object");
      return NULL;
    }

  return json_node_get_object (node);
}

/* The member, or NULL with MISSING_FIELD. A JSON null counts as missing: no required
 * field of the protocol may be null. */
JsonNode *
docket_json_get_member (JsonObject  *object,
                        const char  *prefix,
                        const char  *field,
                        GError     **error)
{
  JsonNode *node = json_object_get_member (object, field);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      g_set_error (error, DOCKET_PROTOCOL_ERROR, DOCKET_PROTOCOL_ERROR_MISSING_FIELD,
                   "%s.%s: missing", prefix, field);
      return NULL;
    }

  return node;
}

gboolean
docket_json_node_is_type (JsonNode *node,
                          GType     type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

gboolean
docket_json_read_string_node (JsonNode    *node,
                              const char  *prefix,
                              const char  *field,
                              const char **out,
                              GError     **error)
{
  if (!docket_json_node_is_type (node, G_TYPE_STRING))
    {
      g_set_error (error, DOCKET_PROTOCOL_ERROR, DOCKET_PROTOCOL_ERROR_WRONG_TYPE,
                   "%s.%s: not a string", prefix, field);
      return FALSE;
    }

  *out = json_node_get_string (node);
  return TRUE;
}

gboolean
docket_json_read_text (JsonObject  *object,
                       const char  *prefix,
                       const char  *field,
                       gsize        max_bytes,
                       gboolean     allow_empty,
                       char       **out,
                       GError     **error)
{
  JsonNode *node;
  const char *text;

  if (!(node = docket_json_get_member (object, prefix, field, error)))
    return FALSE;
  if (!docket_json_read_string_node (node, prefix, field, &text, error))
    return FALSE;

  if (!allow_empty && text[0] == '\0')
    {
      g_set_error (error, DOCKET_PROTOCOL_ERROR, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE,
                   "%s.%s: empty", prefix, field);
      return FALSE;
    }
  if (!docket_protocol_text_is_valid (text, max_bytes))
    {
      g_set_error (error, DOCKET_PROTOCOL_ERROR, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE,
                   "%s.%s: not valid text of at most %" G_GSIZE_FORMAT " bytes without control characters",
                   prefix, field, max_bytes);
      return FALSE;
    }

  *out = g_strdup (text);
  return TRUE;
}

static gboolean
check_id_node (JsonNode    *node,
               const char  *prefix,
               const char  *field,
               char       **out,
               GError     **error)
{
  const char *text;

  if (!docket_json_read_string_node (node, prefix, field, &text, error))
    return FALSE;

  if (!docket_protocol_id_is_valid (text))
    {
      g_set_error (error, DOCKET_PROTOCOL_ERROR, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE,
                   "%s.%s: not a valid id", prefix, field);
      return FALSE;
    }

  *out = g_strdup (text);
  return TRUE;
}

gboolean
docket_json_read_id (JsonObject  *object,
                     const char  *prefix,
                     const char  *field,
                     char       **out,
                     GError     **error)
{
  JsonNode *node;

  if (!(node = docket_json_get_member (object, prefix, field, error)))
    return FALSE;

  return check_id_node (node, prefix, field, out, error);
}

/* JSON has one number type; json-glib tells integers from doubles by their spelling.
 * An integral double ("3.0") is accepted, a fraction, an infinity or anything outside
 * [min, max] is not. The caller has used docket_protocol_parse_json () so that no
 * integer here has wrapped around. */
gboolean
docket_json_read_integer (JsonObject  *object,
                          const char  *prefix,
                          const char  *field,
                          gint64       min,
                          gint64       max,
                          gint64      *out,
                          GError     **error)
{
  JsonNode *node;
  gint64 value;

  if (!(node = docket_json_get_member (object, prefix, field, error)))
    return FALSE;

  if (docket_json_node_is_type (node, G_TYPE_INT64))
    {
      value = json_node_get_int (node);
    }
  else if (docket_json_node_is_type (node, G_TYPE_DOUBLE))
    {
      double d = json_node_get_double (node);

      if (!isfinite (d) || d != floor (d))
        {
          g_set_error (error, DOCKET_PROTOCOL_ERROR, DOCKET_PROTOCOL_ERROR_WRONG_TYPE,
                       "%s.%s: not an integer", prefix, field);
          return FALSE;
        }
      if (d < (double) min || d > (double) max)
        goto out_of_range;
      value = (gint64) d;
    }
  else
    {
      g_set_error (error, DOCKET_PROTOCOL_ERROR, DOCKET_PROTOCOL_ERROR_WRONG_TYPE,
                   "%s.%s: not an integer", prefix, field);
      return FALSE;
    }

  if (value < min || value > max)
    goto out_of_range;

  *out = value;
  return TRUE;

out_of_range:
  g_set_error (error, DOCKET_PROTOCOL_ERROR, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE,
               "%s.%s: not between %" G_GINT64_FORMAT " and %" G_GINT64_FORMAT,
               prefix, field, min, max);
  return FALSE;
}

gboolean
docket_json_read_int (JsonObject  *object,
                      const char  *prefix,
                      const char  *field,
                      int          max,
                      int         *out,
                      GError     **error)
{
  gint64 value;

  if (!docket_json_read_integer (object, prefix, field, 0, max, &value, error))
    return FALSE;

  *out = (int) value;
  return TRUE;
}

gboolean
docket_json_read_boolean (JsonObject  *object,
                          const char  *prefix,
                          const char  *field,
                          gboolean    *out,
                          GError     **error)
{
  JsonNode *node;

  if (!(node = docket_json_get_member (object, prefix, field, error)))
    return FALSE;

  if (!docket_json_node_is_type (node, G_TYPE_BOOLEAN))
    {
      g_set_error (error, DOCKET_PROTOCOL_ERROR, DOCKET_PROTOCOL_ERROR_WRONG_TYPE,
                   "%s.%s: not a boolean", prefix, field);
      return FALSE;
    }

  *out = json_node_get_boolean (node);
  return TRUE;
}

gboolean
docket_json_read_time (JsonObject  *object,
                       const char  *prefix,
                       const char  *field,
                       GDateTime  **out,
                       GError     **error)
{
  JsonNode *node;
  const char *text;
  g_autoptr(GError) local_error = NULL;

  if (!(node = docket_json_get_member (object, prefix, field, error)))
    return FALSE;
  if (!docket_json_read_string_node (node, prefix, field, &text, error))
    return FALSE;

  *out = docket_protocol_parse_time (text, &local_error);
  if (*out == NULL)
    {
      g_set_error (error, DOCKET_PROTOCOL_ERROR, local_error->code,
                   "%s.%s: %s", prefix, field, local_error->message);
      return FALSE;
    }

  return TRUE;
}

gboolean
docket_json_read_optional_time (JsonObject  *object,
                                const char  *prefix,
                                const char  *field,
                                GDateTime  **out,
                                GError     **error)
{
  JsonNode *node = json_object_get_member (object, field);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  return docket_json_read_time (object, prefix, field, out, error);
}

/* A string member, its type checked only: the record's validation checks its limits. */
gboolean
docket_json_read_string (JsonObject  *object,
                         const char  *prefix,
                         const char  *field,
                         char       **out,
                         GError     **error)
{
  JsonNode *node;
  const char *text;

  if (!(node = docket_json_get_member (object, prefix, field, error)) ||
      !docket_json_read_string_node (node, prefix, field, &text, error))
    return FALSE;

  *out = g_strdup (text);
  return TRUE;
}

/* A string member that may be null or absent (parent_id), its type checked only. */
gboolean
docket_json_read_optional_string (JsonObject  *object,
                                  const char  *prefix,
                                  const char  *field,
                                  char       **out,
                                  GError     **error)
{
  JsonNode *node = json_object_get_member (object, field);
  const char *text;

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!docket_json_read_string_node (node, prefix, field, &text, error))
    return FALSE;

  *out = g_strdup (text);
  return TRUE;
}

gboolean
docket_json_read_name (JsonObject   *object,
                       const char   *prefix,
                       const char   *field,
                       const char  **out,
                       GError      **error)
{
  JsonNode *node;

  return (node = docket_json_get_member (object, prefix, field, error)) != NULL &&
         docket_json_read_string_node (node, prefix, field, out, error);
}

gboolean
docket_json_read_optional_name (JsonObject   *object,
                                const char   *prefix,
                                const char   *field,
                                const char  **out,
                                GError      **error)
{
  JsonNode *node = json_object_get_member (object, field);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  return docket_json_read_string_node (node, prefix, field, out, error);
}

/* An integer member that fits a C int, its range left to the record's validation. */
gboolean
docket_json_read_c_int (JsonObject  *object,
                        const char  *prefix,
                        const char  *field,
                        int         *out,
                        GError     **error)
{
  gint64 value;

  if (!docket_json_read_integer (object, prefix, field, G_MININT, G_MAXINT, &value, error))
    return FALSE;

  *out = (int) value;
  return TRUE;
}

/* An integer member of any size JSON carries exactly (2^53 - 1 either way: beyond that a
 * double cannot tell integers apart), its range left to the record's validation. */
gboolean
docket_json_read_gint64 (JsonObject  *object,
                         const char  *prefix,
                         const char  *field,
                         gint64      *out,
                         GError     **error)
{
  return docket_json_read_integer (object, prefix, field, -DOCKET_MAX_VERSION, DOCKET_MAX_VERSION, out, error);
}

JsonArray *
docket_json_expect_array (JsonNode    *node,
                          const char  *path,
                          guint        min_length,
                          guint        max_length,
                          GError     **error)
{
  JsonArray *array;
  guint n;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      docket_field_error (error, DOCKET_PROTOCOL_ERROR_WRONG_TYPE, path, NULL, "not an array");
      return NULL;
    }

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n < min_length || n > max_length)
    {
      docket_field_error (error, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE, path, NULL,
                          "not an array of %u to %u elements", min_length, max_length);
      return NULL;
    }

  return array;
}

/* A finite number in [min, max] (min excluded when min_exclusive). */
gboolean
docket_json_check_number_node (JsonNode    *node,
                               const char  *path,
                               double       min,
                               gboolean     min_exclusive,
                               double       max,
                               double      *out,
                               GError     **error)
{
  double value;

  if (docket_json_node_is_type (node, G_TYPE_INT64))
    value = (double) json_node_get_int (node);
  else if (docket_json_node_is_type (node, G_TYPE_DOUBLE))
    value = json_node_get_double (node);
  else
    return docket_field_error (error, DOCKET_PROTOCOL_ERROR_WRONG_TYPE, path, NULL, "not a number");

  if (!isfinite (value) || value > max || value < min || (min_exclusive && value == min))
    return docket_field_error (error, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE, path, NULL,
                               "not a number %s %g and at most %g",
                               min_exclusive ? "above" : "from", min, max);

  *out = value;
  return TRUE;
}
