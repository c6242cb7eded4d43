/* docket-records.c: the protocol's entities as plain C records, and their JSON codec
 *
 * Reading is strict on purpose: a record that comes out of *_from_json () goes straight
 * into the client's cache, so every field is checked here, once, against the limits of
 * docket-protocol.h. Errors name the field by its path ("changes[3].data.title") so that
 * a bad server can be diagnosed from the client's log.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "docket-records.h"

/* ---- enums ---------------------------------------------------------------------- */

static const char * const meeting_status_names[] = { "draft", "published", "closed" };
static const char * const role_names[] = { "official", "secretary", "admin" };
static const char * const change_type_names[] = {
  "meeting", "agenda_item", "document", "annotation", "note",
};

static gboolean
lookup_name (const char * const *names,
             guint               n_names,
             const char         *text,
             guint              *out_index)
{
  guint i;

  if (text == NULL)
    return FALSE;

  for (i = 0; i < n_names; i++)
    {
      if (g_str_equal (names[i], text))
        {
          *out_index = i;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
docket_meeting_status_to_string (DocketMeetingStatus status)
{
  g_return_val_if_fail ((guint) status < G_N_ELEMENTS (meeting_status_names), NULL);

  return meeting_status_names[status];
}

gboolean
docket_meeting_status_from_string (const char          *text,
                                   DocketMeetingStatus *out_status)
{
  guint index;

  if (!lookup_name (meeting_status_names, G_N_ELEMENTS (meeting_status_names), text, &index))
    return FALSE;
  if (out_status != NULL)
    *out_status = (DocketMeetingStatus) index;

  return TRUE;
}

const char *
docket_role_to_string (DocketRole role)
{
  g_return_val_if_fail ((guint) role < G_N_ELEMENTS (role_names), NULL);

  return role_names[role];
}

gboolean
docket_role_from_string (const char *text,
                         DocketRole *out_role)
{
  guint index;

  if (!lookup_name (role_names, G_N_ELEMENTS (role_names), text, &index))
    return FALSE;
  if (out_role != NULL)
    *out_role = (DocketRole) index;

  return TRUE;
}

static const char * const annotation_kind_names[] = {
  "highlight",
  "underline",
  "strikeout",
  "ink",
  "note",
  "rectangle",
};

static const char * const note_target_names[] = {
  "agenda_item",
  "document",
};

const char *
docket_annotation_kind_to_string (DocketAnnotationKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (annotation_kind_names), NULL);

  return annotation_kind_names[kind];
}

gboolean
docket_annotation_kind_from_string (const char           *text,
                                    DocketAnnotationKind *out_kind)
{
  guint index;

  if (!lookup_name (annotation_kind_names, G_N_ELEMENTS (annotation_kind_names), text, &index))
    return FALSE;
  if (out_kind != NULL)
    *out_kind = (DocketAnnotationKind) index;

  return TRUE;
}

const char *
docket_note_target_to_string (DocketNoteTarget target)
{
  g_return_val_if_fail ((guint) target < G_N_ELEMENTS (note_target_names), NULL);

  return note_target_names[target];
}

gboolean
docket_note_target_from_string (const char       *text,
                                DocketNoteTarget *out_target)
{
  guint index;

  if (!lookup_name (note_target_names, G_N_ELEMENTS (note_target_names), text, &index))
    return FALSE;
  if (out_target != NULL)
    *out_target = (DocketNoteTarget) index;

  return TRUE;
}

const char *
docket_change_type_to_string (DocketChangeType type)
{
  g_return_val_if_fail ((guint) type < G_N_ELEMENTS (change_type_names), NULL);

  return change_type_names[type];
}

static gboolean
change_type_from_string (const char       *text,
                         DocketChangeType *out_type)
{
  guint index;

  if (!lookup_name (change_type_names, G_N_ELEMENTS (change_type_names), text, &index))
    return FALSE;
  *out_type = (DocketChangeType) index;

  return TRUE;
}

/* ---- strict readers --------------------------------------------------------------- */

/* Sets "path.field: message" (or "path: message" without a field); returns FALSE. */
static gboolean G_GNUC_PRINTF (5, 6)
field_error (GError     **error,
             int          code,
             const char  *path,
             const char  *field,
             const char  *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, DOCKET_PROTOCOL_ERROR, code, "%s%s%s: %s",
               path, field ? "." : "", field ? field : "", message);

  return FALSE;
}

static JsonObject *
expect_object (JsonNode    *node,
               const char  *path,
               GError     **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      field_error (error, DOCKET_PROTOCOL_ERROR_MALFORMED, path, NULL, "not an object");
      return NULL;
    }

  return json_node_get_object (node);
}

/* The member, or NULL with MISSING_FIELD. A JSON null counts as missing: no required
 * field of the protocol may be null. */
static JsonNode *
get_member (JsonObject  *object,
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

static gboolean
node_is_type (JsonNode *node,
              GType     type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

static gboolean
read_string_node (JsonNode    *node,
                  const char  *prefix,
                  const char  *field,
                  const char **out,
                  GError     **error)
{
  if (!node_is_type (node, G_TYPE_STRING))
    {
      g_set_error (error, DOCKET_PROTOCOL_ERROR, DOCKET_PROTOCOL_ERROR_WRONG_TYPE,
                   "%s.%s: not a string", prefix, field);
      return FALSE;
    }

  *out = json_node_get_string (node);
  return TRUE;
}

static gboolean
read_text (JsonObject  *object,
           const char  *prefix,
           const char  *field,
           gsize        max_bytes,
           gboolean     allow_empty,
           char       **out,
           GError     **error)
{
  JsonNode *node;
  const char *text;

  if (!(node = get_member (object, prefix, field, error)))
    return FALSE;
  if (!read_string_node (node, prefix, field, &text, error))
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

  if (!read_string_node (node, prefix, field, &text, error))
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

static gboolean
read_id (JsonObject  *object,
         const char  *prefix,
         const char  *field,
         char       **out,
         GError     **error)
{
  JsonNode *node;

  if (!(node = get_member (object, prefix, field, error)))
    return FALSE;

  return check_id_node (node, prefix, field, out, error);
}

/* JSON has one number type; json-glib tells integers from doubles by their spelling.
 * An integral double ("3.0") is accepted, a fraction, an infinity or anything outside
 * [min, max] is not. The caller has used docket_protocol_parse_json () so that no
 * integer here has wrapped around. */
static gboolean
read_integer (JsonObject  *object,
              const char  *prefix,
              const char  *field,
              gint64       min,
              gint64       max,
              gint64      *out,
              GError     **error)
{
  JsonNode *node;
  gint64 value;

  if (!(node = get_member (object, prefix, field, error)))
    return FALSE;

  if (node_is_type (node, G_TYPE_INT64))
    {
      value = json_node_get_int (node);
    }
  else if (node_is_type (node, G_TYPE_DOUBLE))
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

static gboolean
read_int (JsonObject  *object,
          const char  *prefix,
          const char  *field,
          int          max,
          int         *out,
          GError     **error)
{
  gint64 value;

  if (!read_integer (object, prefix, field, 0, max, &value, error))
    return FALSE;

  *out = (int) value;
  return TRUE;
}

static gboolean
read_boolean (JsonObject  *object,
              const char  *prefix,
              const char  *field,
              gboolean    *out,
              GError     **error)
{
  JsonNode *node;

  if (!(node = get_member (object, prefix, field, error)))
    return FALSE;

  if (!node_is_type (node, G_TYPE_BOOLEAN))
    {
      g_set_error (error, DOCKET_PROTOCOL_ERROR, DOCKET_PROTOCOL_ERROR_WRONG_TYPE,
                   "%s.%s: not a boolean", prefix, field);
      return FALSE;
    }

  *out = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
read_time (JsonObject  *object,
           const char  *prefix,
           const char  *field,
           GDateTime  **out,
           GError     **error)
{
  JsonNode *node;
  const char *text;
  g_autoptr(GError) local_error = NULL;

  if (!(node = get_member (object, prefix, field, error)))
    return FALSE;
  if (!read_string_node (node, prefix, field, &text, error))
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

/* A string member, its type checked only: the record's validation checks its limits. */
static gboolean
read_string (JsonObject  *object,
             const char  *prefix,
             const char  *field,
             char       **out,
             GError     **error)
{
  JsonNode *node;
  const char *text;

  if (!(node = get_member (object, prefix, field, error)) ||
      !read_string_node (node, prefix, field, &text, error))
    return FALSE;

  *out = g_strdup (text);
  return TRUE;
}

/* A string member that may be null or absent (parent_id), its type checked only. */
static gboolean
read_optional_string (JsonObject  *object,
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
  if (!read_string_node (node, prefix, field, &text, error))
    return FALSE;

  *out = g_strdup (text);
  return TRUE;
}

/* An integer member that fits a C int, its range left to the record's validation. */
static gboolean
read_c_int (JsonObject  *object,
            const char  *prefix,
            const char  *field,
            int         *out,
            GError     **error)
{
  gint64 value;

  if (!read_integer (object, prefix, field, G_MININT, G_MAXINT, &value, error))
    return FALSE;

  *out = (int) value;
  return TRUE;
}

/* An integer member of any size JSON carries exactly (2^53 - 1 either way: beyond that a
 * double cannot tell integers apart), its range left to the record's validation. */
static gboolean
read_gint64 (JsonObject  *object,
             const char  *prefix,
             const char  *field,
             gint64      *out,
             GError     **error)
{
  return read_integer (object, prefix, field, -DOCKET_MAX_VERSION, DOCKET_MAX_VERSION, out, error);
}

/* ---- limits ------------------------------------------------------------------------ */

/* What a reader accepts of a record, and so all a server may store and send: the readers
 * below read the JSON's types, then run these checks on the record; the server runs the
 * same checks on a record before it writes it (docket_*_record_validate ()). */

static gboolean
check_text (const char  *text,
            const char  *prefix,
            const char  *field,
            gsize        max_bytes,
            gboolean     allow_empty,
            GError     **error)
{
  if (text == NULL)
    return field_error (error, DOCKET_PROTOCOL_ERROR_MISSING_FIELD, prefix, field, _("missing"));
  if (!allow_empty && text[0] == '\0')
    return field_error (error, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE, prefix, field, _("empty"));
  if (!docket_protocol_text_is_valid (text, max_bytes))
    return field_error (error, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE, prefix, field,
                        _("not valid text of at most %u bytes without control characters"),
                        (guint) max_bytes);
  return TRUE;
}

static gboolean
check_id (const char  *id,
          const char  *prefix,
          const char  *field,
          GError     **error)
{
  if (id == NULL)
    return field_error (error, DOCKET_PROTOCOL_ERROR_MISSING_FIELD, prefix, field, _("missing"));
  if (!docket_protocol_id_is_valid (id))
    return field_error (error, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE, prefix, field, _("not a valid id"));
  return TRUE;
}

static gboolean
check_integer (gint64       value,
               const char  *prefix,
               const char  *field,
               gint64       min,
               gint64       max,
               GError     **error)
{
  if (value < min || value > max)
    return field_error (error, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE, prefix, field,
                        _("not between %lld and %lld"), (long long) min, (long long) max);
  return TRUE;
}

static gboolean
check_time (GDateTime   *time,
            const char  *prefix,
            const char  *field,
            GError     **error)
{
  if (time == NULL)
    return field_error (error, DOCKET_PROTOCOL_ERROR_MISSING_FIELD, prefix, field, _("missing"));
  return TRUE;
}

/* A list of n elements: refused before its elements are read, when the reader calls it. */
static gboolean
check_count (guint        n,
             guint        max,
             const char  *prefix,
             const char  *field,
             GError     **error)
{
  if (n > max)
    return field_error (error, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE, prefix, field,
                        _("more than %u"), max);
  return TRUE;
}

/* json_node_init_object () takes its own reference. */
static JsonNode *
object_to_node (JsonObject *object)
{
  JsonNode *node = json_node_init_object (json_node_alloc (), object);

  json_object_unref (object);
  return node;
}

/* ---- participants ----------------------------------------------------------------- */

DocketParticipant *
docket_participant_new (const char *username,
                        const char *display_name,
                        DocketRole  role)
{
  DocketParticipant *participant = g_new0 (DocketParticipant, 1);

  participant->username = g_strdup (username);
  participant->display_name = g_strdup (display_name);
  participant->role = role;

  return participant;
}

void
docket_participant_free (DocketParticipant *participant)
{
  if (participant == NULL)
    return;

  g_free (participant->username);
  g_free (participant->display_name);
  g_free (participant);
}

static DocketParticipant *
participant_from_json (JsonNode    *node,
                       const char  *path,
                       GError     **error)
{
  g_autoptr(DocketParticipant) participant = g_new0 (DocketParticipant, 1);
  JsonObject *object;
  JsonNode *member;
  const char *text;

  if (!(object = expect_object (node, path, error)))
    return NULL;

  if (!read_string (object, path, "username", &participant->username, error) ||
      !read_string (object, path, "display_name", &participant->display_name, error))
    return NULL;

  if (!(member = get_member (object, path, "role", error)) ||
      !read_string_node (member, path, "role", &text, error))
    return NULL;
  if (!docket_role_from_string (text, &participant->role))
    {
      field_error (error, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE, path,
                   "role", _("not one of official, secretary, admin"));
      return NULL;
    }

  return g_steal_pointer (&participant);
}

static gboolean
validate_participant (const DocketParticipant  *participant,
                      const char               *path,
                      GError                  **error)
{
  if (!docket_protocol_username_is_valid (participant->username))
    return field_error (error, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE, path,
                        "username", _("not a valid user name"));
  if ((guint) participant->role > DOCKET_ROLE_ADMIN)
    return field_error (error, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE, path,
                        "role", _("not one of official, secretary, admin"));
  return check_text (participant->display_name, path, "display_name",
                     DOCKET_MAX_SHORT_TEXT_BYTES, TRUE, error);
}

static gboolean
validate_participants (GPtrArray   *participants,
                       const char  *prefix,
                       GError     **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  if (participants == NULL)
    return TRUE;
  if (!check_count (participants->len, DOCKET_MAX_PARTICIPANTS, prefix, "participants", error))
    return FALSE;

  for (guint i = 0; i < participants->len; i++)
    {
      g_autofree char *path = g_strdup_printf ("%s.participants[%u]", prefix, i);
      DocketParticipant *participant = g_ptr_array_index (participants, i);

      if (!validate_participant (participant, path, error))
        return FALSE;
      /* A participant twice would be two rows with one key in the client's cache. */
      if (!g_hash_table_add (seen, participant->username))
        return field_error (error, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE, path,
                            "username", _("listed twice"));
    }

  return TRUE;
}

static gboolean
read_participants (JsonObject  *object,
                   const char  *prefix,
                   GPtrArray   *participants,
                   GError     **error)
{
  JsonNode *node;
  JsonArray *array;
  guint i, n;

  if (!(node = get_member (object, prefix, "participants", error)))
    return FALSE;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return field_error (error, DOCKET_PROTOCOL_ERROR_WRONG_TYPE, prefix,
                        "participants", "not an array");

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  /* Before reading them: a hostile list of millions is not worth reading. */
  if (!check_count (n, DOCKET_MAX_PARTICIPANTS, prefix, "participants", error))
    return FALSE;

  for (i = 0; i < n; i++)
    {
      g_autofree char *path = g_strdup_printf ("%s.participants[%u]", prefix, i);
      DocketParticipant *participant;

      participant = participant_from_json (json_array_get_element (array, i), path, error);
      if (participant == NULL)
        return FALSE;
      g_ptr_array_add (participants, participant);
    }

  return TRUE;
}

static JsonNode *
participant_to_json (const DocketParticipant *participant)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "username",
                                 participant->username ? participant->username : "");
  json_object_set_string_member (object, "display_name",
                                 participant->display_name ? participant->display_name : "");
  json_object_set_string_member (object, "role", docket_role_to_string (participant->role));

  return object_to_node (object);
}

/* ---- writers ----------------------------------------------------------------------- */

static void
set_string (JsonObject *object,
            const char *field,
            const char *value)
{
  json_object_set_string_member (object, field, value != NULL ? value : "");
}

static void
set_time (JsonObject *object,
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

/* ---- meetings ---------------------------------------------------------------------- */

DocketMeetingRecord *
docket_meeting_record_new (void)
{
  DocketMeetingRecord *record = g_new0 (DocketMeetingRecord, 1);

  record->status = DOCKET_MEETING_STATUS_DRAFT;
  record->participants = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_participant_free);

  return record;
}

DocketMeetingRecord *
docket_meeting_record_copy (const DocketMeetingRecord *record)
{
  DocketMeetingRecord *copy;
  guint i;

  if (record == NULL)
    return NULL;

  copy = docket_meeting_record_new ();
  copy->id = g_strdup (record->id);
  copy->title = g_strdup (record->title);
  copy->organ = g_strdup (record->organ);
  copy->starts_at = record->starts_at ? g_date_time_ref (record->starts_at) : NULL;
  copy->ends_at = record->ends_at ? g_date_time_ref (record->ends_at) : NULL;
  copy->time_zone = g_strdup (record->time_zone);
  copy->location = g_strdup (record->location);
  copy->status = record->status;
  copy->version = record->version;

  for (i = 0; record->participants != NULL && i < record->participants->len; i++)
    {
      const DocketParticipant *p = g_ptr_array_index (record->participants, i);

      g_ptr_array_add (copy->participants,
                       docket_participant_new (p->username, p->display_name, p->role));
    }

  return copy;
}

void
docket_meeting_record_free (DocketMeetingRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->id);
  g_free (record->title);
  g_free (record->organ);
  g_clear_pointer (&record->starts_at, g_date_time_unref);
  g_clear_pointer (&record->ends_at, g_date_time_unref);
  g_free (record->time_zone);
  g_free (record->location);
  g_clear_pointer (&record->participants, g_ptr_array_unref);
  g_free (record);
}

JsonNode *
docket_meeting_record_to_json (const DocketMeetingRecord *record)
{
  JsonObject *object;
  JsonArray *participants;
  guint i;

  g_return_val_if_fail (record != NULL, NULL);

  object = json_object_new ();
  set_string (object, "id", record->id);
  set_string (object, "title", record->title);
  set_string (object, "organ", record->organ);
  set_time (object, "starts_at", record->starts_at);
  set_time (object, "ends_at", record->ends_at);
  set_string (object, "time_zone", record->time_zone);
  set_string (object, "location", record->location);
  set_string (object, "status", docket_meeting_status_to_string (record->status));
  json_object_set_int_member (object, "version", record->version);

  participants = json_array_new ();
  for (i = 0; record->participants != NULL && i < record->participants->len; i++)
    json_array_add_element (participants,
                            participant_to_json (g_ptr_array_index (record->participants, i)));
  json_object_set_array_member (object, "participants", participants);

  return object_to_node (object);
}

static gboolean
validate_meeting (const DocketMeetingRecord  *record,
                  const char                 *prefix,
                  GError                    **error)
{
  return check_id (record->id, prefix, "id", error) &&
         check_text (record->title, prefix, "title", DOCKET_MAX_TITLE_BYTES, FALSE, error) &&
         check_text (record->organ, prefix, "organ", DOCKET_MAX_SHORT_TEXT_BYTES, TRUE, error) &&
         check_time (record->starts_at, prefix, "starts_at", error) &&
         check_time (record->ends_at, prefix, "ends_at", error) &&
         check_text (record->time_zone, prefix, "time_zone", DOCKET_MAX_SHORT_TEXT_BYTES, FALSE, error) &&
         check_text (record->location, prefix, "location", DOCKET_MAX_SHORT_TEXT_BYTES, TRUE, error) &&
         ((guint) record->status <= DOCKET_MEETING_STATUS_CLOSED ||
          field_error (error, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE, prefix,
                       "status", _("not one of draft, published, closed"))) &&
         check_integer (record->version, prefix, "version", 0, DOCKET_MAX_VERSION, error) &&
         validate_participants (record->participants, prefix, error);
}

gboolean
docket_meeting_record_validate (const DocketMeetingRecord  *record,
                                GError                    **error)
{
  g_return_val_if_fail (record != NULL, FALSE);

  return validate_meeting (record, "meeting", error);
}

static DocketMeetingRecord *
meeting_from_json (JsonNode    *node,
                   const char  *prefix,
                   GError     **error)
{
  g_autoptr(DocketMeetingRecord) record = docket_meeting_record_new ();
  JsonObject *object;
  JsonNode *member;
  const char *status;

  if (!(object = expect_object (node, prefix, error)))
    return NULL;

  if (!read_string (object, prefix, "id", &record->id, error) ||
      !read_string (object, prefix, "title", &record->title, error) ||
      !read_string (object, prefix, "organ", &record->organ, error) ||
      !read_time (object, prefix, "starts_at", &record->starts_at, error) ||
      !read_time (object, prefix, "ends_at", &record->ends_at, error) ||
      !read_string (object, prefix, "time_zone", &record->time_zone, error) ||
      !read_string (object, prefix, "location", &record->location, error))
    return NULL;

  if (!(member = get_member (object, prefix, "status", error)) ||
      !read_string_node (member, prefix, "status", &status, error))
    return NULL;
  if (!docket_meeting_status_from_string (status, &record->status))
    {
      field_error (error, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE, prefix,
                   "status", _("not one of draft, published, closed"));
      return NULL;
    }

  if (!read_gint64 (object, prefix, "version", &record->version, error) ||
      !read_participants (object, prefix, record->participants, error) ||
      !validate_meeting (record, prefix, error))
    return NULL;

  return g_steal_pointer (&record);
}

DocketMeetingRecord *
docket_meeting_record_from_json (JsonNode  *node,
                                 GError   **error)
{
  return meeting_from_json (node, "meeting", error);
}

/* ---- agenda items ------------------------------------------------------------------ */

DocketAgendaItemRecord *
docket_agenda_item_record_new (void)
{
  return g_new0 (DocketAgendaItemRecord, 1);
}

DocketAgendaItemRecord *
docket_agenda_item_record_copy (const DocketAgendaItemRecord *record)
{
  DocketAgendaItemRecord *copy;

  if (record == NULL)
    return NULL;

  copy = docket_agenda_item_record_new ();
  copy->id = g_strdup (record->id);
  copy->meeting_id = g_strdup (record->meeting_id);
  copy->parent_id = g_strdup (record->parent_id);
  copy->position = record->position;
  copy->number = g_strdup (record->number);
  copy->title = g_strdup (record->title);
  copy->presenter = g_strdup (record->presenter);
  copy->description = g_strdup (record->description);
  copy->version = record->version;

  return copy;
}

void
docket_agenda_item_record_free (DocketAgendaItemRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->id);
  g_free (record->meeting_id);
  g_free (record->parent_id);
  g_free (record->number);
  g_free (record->title);
  g_free (record->presenter);
  g_free (record->description);
  g_free (record);
}

JsonNode *
docket_agenda_item_record_to_json (const DocketAgendaItemRecord *record)
{
  JsonObject *object;

  g_return_val_if_fail (record != NULL, NULL);

  object = json_object_new ();
  set_string (object, "id", record->id);
  set_string (object, "meeting_id", record->meeting_id);
  if (record->parent_id != NULL)
    json_object_set_string_member (object, "parent_id", record->parent_id);
  else
    json_object_set_null_member (object, "parent_id");
  json_object_set_int_member (object, "position", record->position);
  set_string (object, "number", record->number);
  set_string (object, "title", record->title);
  set_string (object, "presenter", record->presenter);
  set_string (object, "description", record->description);
  json_object_set_int_member (object, "version", record->version);

  return object_to_node (object);
}

static gboolean
validate_agenda_item (const DocketAgendaItemRecord  *record,
                      const char                    *prefix,
                      GError                       **error)
{
  if (!check_id (record->id, prefix, "id", error) ||
      !check_id (record->meeting_id, prefix, "meeting_id", error) ||
      (record->parent_id != NULL && !check_id (record->parent_id, prefix, "parent_id", error)) ||
      !check_integer (record->position, prefix, "position", 0, DOCKET_MAX_POSITION, error) ||
      !check_text (record->number, prefix, "number", DOCKET_MAX_NUMBER_BYTES, TRUE, error) ||
      !check_text (record->title, prefix, "title", DOCKET_MAX_TITLE_BYTES, FALSE, error) ||
      !check_text (record->presenter, prefix, "presenter", DOCKET_MAX_SHORT_TEXT_BYTES, TRUE, error) ||
      !check_text (record->description, prefix, "description", DOCKET_MAX_DESCRIPTION_BYTES, TRUE, error) ||
      !check_integer (record->version, prefix, "version", 0, DOCKET_MAX_VERSION, error))
    return FALSE;

  /* An item that is its own parent would make the agenda tree a loop. */
  if (record->parent_id != NULL && g_str_equal (record->parent_id, record->id))
    return field_error (error, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE, prefix,
                        "parent_id", _("the item itself"));

  return TRUE;
}

gboolean
docket_agenda_item_record_validate (const DocketAgendaItemRecord  *record,
                                    GError                       **error)
{
  g_return_val_if_fail (record != NULL, FALSE);

  return validate_agenda_item (record, "agenda_item", error);
}

static DocketAgendaItemRecord *
agenda_item_from_json (JsonNode    *node,
                       const char  *prefix,
                       GError     **error)
{
  g_autoptr(DocketAgendaItemRecord) record = docket_agenda_item_record_new ();
  JsonObject *object;

  if (!(object = expect_object (node, prefix, error)))
    return NULL;

  if (!read_string (object, prefix, "id", &record->id, error) ||
      !read_string (object, prefix, "meeting_id", &record->meeting_id, error) ||
      !read_optional_string (object, prefix, "parent_id", &record->parent_id, error) ||
      !read_c_int (object, prefix, "position", &record->position, error) ||
      !read_string (object, prefix, "number", &record->number, error) ||
      !read_string (object, prefix, "title", &record->title, error) ||
      !read_string (object, prefix, "presenter", &record->presenter, error) ||
      !read_string (object, prefix, "description", &record->description, error) ||
      !read_gint64 (object, prefix, "version", &record->version, error) ||
      !validate_agenda_item (record, prefix, error))
    return NULL;

  return g_steal_pointer (&record);
}

DocketAgendaItemRecord *
docket_agenda_item_record_from_json (JsonNode  *node,
                                     GError   **error)
{
  return agenda_item_from_json (node, "agenda_item", error);
}

/* ---- documents --------------------------------------------------------------------- */

DocketDocumentRecord *
docket_document_record_new (void)
{
  return g_new0 (DocketDocumentRecord, 1);
}

DocketDocumentRecord *
docket_document_record_copy (const DocketDocumentRecord *record)
{
  DocketDocumentRecord *copy;

  if (record == NULL)
    return NULL;

  copy = docket_document_record_new ();
  copy->id = g_strdup (record->id);
  copy->meeting_id = g_strdup (record->meeting_id);
  copy->item_id = g_strdup (record->item_id);
  copy->position = record->position;
  copy->title = g_strdup (record->title);
  copy->media_type = g_strdup (record->media_type);
  copy->sha256 = g_strdup (record->sha256);
  copy->size = record->size;
  copy->pages = record->pages;
  copy->version = record->version;

  return copy;
}

void
docket_document_record_free (DocketDocumentRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->id);
  g_free (record->meeting_id);
  g_free (record->item_id);
  g_free (record->title);
  g_free (record->media_type);
  g_free (record->sha256);
  g_free (record);
}

DocketAnnotationRecord *
docket_annotation_record_new (void)
{
  return g_new0 (DocketAnnotationRecord, 1);
}

DocketAnnotationRecord *
docket_annotation_record_copy (const DocketAnnotationRecord *record)
{
  DocketAnnotationRecord *copy;

  if (record == NULL)
    return NULL;

  copy = docket_annotation_record_new ();
  copy->id = g_strdup (record->id);
  copy->document_id = g_strdup (record->document_id);
  copy->page = record->page;
  copy->kind = record->kind;
  copy->color = g_strdup (record->color);
  copy->geometry = g_strdup (record->geometry);
  copy->contents = g_strdup (record->contents);
  copy->created_at = record->created_at;
  copy->updated_at = record->updated_at;
  copy->revision = record->revision;

  return copy;
}

void
docket_annotation_record_free (DocketAnnotationRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->id);
  g_free (record->document_id);
  g_free (record->color);
  g_free (record->geometry);
  g_free (record->contents);
  g_free (record);
}

DocketNoteRecord *
docket_note_record_new (void)
{
  return g_new0 (DocketNoteRecord, 1);
}

DocketNoteRecord *
docket_note_record_copy (const DocketNoteRecord *record)
{
  DocketNoteRecord *copy;

  if (record == NULL)
    return NULL;

  copy = docket_note_record_new ();
  copy->target = record->target;
  copy->target_id = g_strdup (record->target_id);
  copy->text = g_strdup (record->text);
  copy->updated_at = record->updated_at;
  copy->revision = record->revision;

  return copy;
}

void
docket_note_record_free (DocketNoteRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->target_id);
  g_free (record->text);
  g_free (record);
}

JsonNode *
docket_document_record_to_json (const DocketDocumentRecord *record)
{
  JsonObject *object;

  g_return_val_if_fail (record != NULL, NULL);

  object = json_object_new ();
  set_string (object, "id", record->id);
  set_string (object, "meeting_id", record->meeting_id);
  set_string (object, "item_id", record->item_id);
  json_object_set_int_member (object, "position", record->position);
  set_string (object, "title", record->title);
  json_object_set_string_member (object, "media_type",
                                 record->media_type ? record->media_type : "application/pdf");
  set_string (object, "sha256", record->sha256);
  json_object_set_int_member (object, "size", record->size);
  json_object_set_int_member (object, "pages", record->pages);
  json_object_set_int_member (object, "version", record->version);

  return object_to_node (object);
}

static gboolean
validate_document (const DocketDocumentRecord  *record,
                   const char                  *prefix,
                   GError                     **error)
{
  if (!check_id (record->id, prefix, "id", error) ||
      !check_id (record->meeting_id, prefix, "meeting_id", error) ||
      !check_id (record->item_id, prefix, "item_id", error) ||
      !check_integer (record->position, prefix, "position", 0, DOCKET_MAX_POSITION, error) ||
      !check_text (record->title, prefix, "title", DOCKET_MAX_TITLE_BYTES, FALSE, error))
    return FALSE;

  if (g_strcmp0 (record->media_type, "application/pdf") != 0)
    return field_error (error, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE, prefix,
                        "media_type", _("not application/pdf"));
  if (!docket_protocol_sha256_is_valid (record->sha256))
    return field_error (error, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE, prefix,
                        "sha256", _("not 64 lowercase hexadecimal digits"));

  return check_integer (record->size, prefix, "size", 0, DOCKET_MAX_DOCUMENT_BYTES, error) &&
         check_integer (record->pages, prefix, "pages", 0, DOCKET_MAX_PAGES, error) &&
         check_integer (record->version, prefix, "version", 0, DOCKET_MAX_VERSION, error);
}

gboolean
docket_document_record_validate (const DocketDocumentRecord  *record,
                                 GError                     **error)
{
  g_return_val_if_fail (record != NULL, FALSE);

  return validate_document (record, "document", error);
}

static DocketDocumentRecord *
document_from_json (JsonNode    *node,
                    const char  *prefix,
                    GError     **error)
{
  g_autoptr(DocketDocumentRecord) record = docket_document_record_new ();
  JsonObject *object;

  if (!(object = expect_object (node, prefix, error)))
    return NULL;

  if (!read_string (object, prefix, "id", &record->id, error) ||
      !read_string (object, prefix, "meeting_id", &record->meeting_id, error) ||
      !read_string (object, prefix, "item_id", &record->item_id, error) ||
      !read_c_int (object, prefix, "position", &record->position, error) ||
      !read_string (object, prefix, "title", &record->title, error) ||
      !read_string (object, prefix, "media_type", &record->media_type, error) ||
      !read_string (object, prefix, "sha256", &record->sha256, error) ||
      !read_gint64 (object, prefix, "size", &record->size, error) ||
      !read_c_int (object, prefix, "pages", &record->pages, error) ||
      !read_gint64 (object, prefix, "version", &record->version, error) ||
      !validate_document (record, prefix, error))
    return NULL;

  return g_steal_pointer (&record);
}

DocketDocumentRecord *
docket_document_record_from_json (JsonNode  *node,
                                  GError   **error)
{
  return document_from_json (node, "document", error);
}

/* ---- annotations ------------------------------------------------------------------- */

/* A finite number in [min, max] (min excluded when min_exclusive). */
static gboolean
check_number_node (JsonNode    *node,
                   const char  *path,
                   double       min,
                   gboolean     min_exclusive,
                   double       max,
                   double      *out,
                   GError     **error)
{
  double value;

  if (node_is_type (node, G_TYPE_INT64))
    value = (double) json_node_get_int (node);
  else if (node_is_type (node, G_TYPE_DOUBLE))
    value = json_node_get_double (node);
  else
    return field_error (error, DOCKET_PROTOCOL_ERROR_WRONG_TYPE, path, NULL, "not a number");

  if (!isfinite (value) || value > max || value < min || (min_exclusive && value == min))
    return field_error (error, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE, path, NULL,
                        "not a number %s %g and at most %g",
                        min_exclusive ? "above" : "from", min, max);

  *out = value;
  return TRUE;
}

static gboolean
check_coordinate_node (JsonNode    *node,
                       const char  *path,
                       double      *out,
                       GError     **error)
{
  return check_number_node (node, path, -DOCKET_MAX_PAGE_COORDINATE, FALSE,
                            DOCKET_MAX_PAGE_COORDINATE, out, error);
}

static JsonArray *
expect_array (JsonNode    *node,
              const char  *path,
              guint        min_length,
              guint        max_length,
              GError     **error)
{
  JsonArray *array;
  guint n;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      field_error (error, DOCKET_PROTOCOL_ERROR_WRONG_TYPE, path, NULL, "not an array");
      return NULL;
    }

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n < min_length || n > max_length)
    {
      field_error (error, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE, path, NULL,
                   "not an array of %u to %u elements", min_length, max_length);
      return NULL;
    }

  return array;
}

/* [x0, y0, x1, y1] with x0 <= x1 and y0 <= y1, copied into out. */
static gboolean
read_box (JsonNode    *node,
          const char  *path,
          JsonArray   *out,
          GError     **error)
{
  JsonArray *array = expect_array (node, path, 4, 4, error);
  double v[4];

  if (array == NULL)
    return FALSE;

  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *item_path = g_strdup_printf ("%s[%u]", path, i);

      if (!check_coordinate_node (json_array_get_element (array, i), item_path, &v[i], error))
        return FALSE;
    }

  if (v[0] > v[2] || v[1] > v[3])
    return field_error (error, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE, path, NULL,
                        "not a box [x0, y0, x1, y1] with x0 <= x1 and y0 <= y1");

  for (guint i = 0; i < 4; i++)
    json_array_add_double_element (out, v[i]);

  return TRUE;
}

static gboolean
read_line_width (JsonObject  *object,
                 const char  *path,
                 JsonObject  *out,
                 GError     **error)
{
  g_autofree char *width_path = g_strconcat (path, ".width", NULL);
  JsonNode *node;
  double width;

  if (!(node = get_member (object, path, "width", error)) ||
      !check_number_node (node, width_path, 0, TRUE, DOCKET_MAX_LINE_WIDTH, &width, error))
    return FALSE;

  json_object_set_double_member (out, "width", width);
  return TRUE;
}

static gboolean
read_geometry_rects (JsonObject  *object,
                     const char  *path,
                     JsonObject  *out,
                     GError     **error)
{
  g_autofree char *rects_path = g_strconcat (path, ".rects", NULL);
  JsonArray *rects;
  JsonArray *out_rects;
  JsonNode *node;
  guint n;

  if (!(node = get_member (object, path, "rects", error)) ||
      !(rects = expect_array (node, rects_path, 1, DOCKET_MAX_ANNOTATION_RECTS, error)))
    return FALSE;

  out_rects = json_array_new ();
  json_object_set_array_member (out, "rects", out_rects);
  n = json_array_get_length (rects);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *box_path = g_strdup_printf ("%s[%u]", rects_path, i);
      JsonArray *box = json_array_new ();

      json_array_add_array_element (out_rects, box);
      if (!read_box (json_array_get_element (rects, i), box_path, box, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
read_geometry_ink (JsonObject  *object,
                   const char  *path,
                   JsonObject  *out,
                   GError     **error)
{
  g_autofree char *strokes_path = g_strconcat (path, ".strokes", NULL);
  JsonArray *strokes;
  JsonArray *out_strokes;
  JsonNode *node;
  guint n, n_points = 0;

  if (!read_line_width (object, path, out, error))
    return FALSE;

  if (!(node = get_member (object, path, "strokes", error)) ||
      !(strokes = expect_array (node, strokes_path, 1, DOCKET_MAX_INK_STROKES, error)))
    return FALSE;

  out_strokes = json_array_new ();
  json_object_set_array_member (out, "strokes", out_strokes);
  n = json_array_get_length (strokes);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *stroke_path = g_strdup_printf ("%s[%u]", strokes_path, i);
      JsonArray *stroke = expect_array (json_array_get_element (strokes, i), stroke_path,
                                        2, 2 * DOCKET_MAX_INK_POINTS, error);
      JsonArray *out_stroke;
      guint m;

      if (stroke == NULL)
        return FALSE;

      /* A stroke is x, y pairs: one point (a dot) at least. */
      m = json_array_get_length (stroke);
      if (m % 2 != 0)
        return field_error (error, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE, stroke_path, NULL,
                            "not x, y pairs (an odd count of numbers)");
      n_points += m / 2;
      if (n_points > DOCKET_MAX_INK_POINTS)
        return field_error (error, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE, strokes_path, NULL,
                            "more than %d points", DOCKET_MAX_INK_POINTS);

      out_stroke = json_array_new ();
      json_array_add_array_element (out_strokes, out_stroke);
      for (guint j = 0; j < m; j++)
        {
          g_autofree char *number_path = g_strdup_printf ("%s[%u]", stroke_path, j);
          double v;

          if (!check_coordinate_node (json_array_get_element (stroke, j), number_path, &v, error))
            return FALSE;
          json_array_add_double_element (out_stroke, v);
        }
    }

  return TRUE;
}

static gboolean
read_geometry_note (JsonObject  *object,
                    const char  *path,
                    JsonObject  *out,
                    GError     **error)
{
  static const char * const names[] = { "x", "y" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *number_path = g_strconcat (path, ".", names[i], NULL);
      JsonNode *node;
      double v;

      if (!(node = get_member (object, path, names[i], error)) ||
          !check_coordinate_node (node, number_path, &v, error))
        return FALSE;
      json_object_set_double_member (out, names[i], v);
    }

  return TRUE;
}

static gboolean
read_geometry_rectangle (JsonObject  *object,
                         const char  *path,
                         JsonObject  *out,
                         GError     **error)
{
  g_autofree char *rect_path = g_strconcat (path, ".rect", NULL);
  JsonArray *box;
  JsonNode *node;

  if (!read_line_width (object, path, out, error))
    return FALSE;
  if (!(node = get_member (object, path, "rect", error)))
    return FALSE;

  box = json_array_new ();
  json_object_set_array_member (out, "rect", box);
  return read_box (node, rect_path, box, error);
}

/* Checks the geometry object of kind and returns it as canonical JSON text: only the
 * members of its shape, numbers as doubles. */
static char *
read_geometry (JsonObject            *object,
               const char            *prefix,
               DocketAnnotationKind   kind,
               GError               **error)
{
  g_autofree char *path = g_strconcat (prefix, ".geometry", NULL);
  g_autoptr(JsonNode) out_node = NULL;
  JsonObject *geometry;
  JsonObject *out;
  JsonNode *node;
  gboolean ok = FALSE;

  if (!(node = get_member (object, prefix, "geometry", error)))
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      field_error (error, DOCKET_PROTOCOL_ERROR_WRONG_TYPE, prefix, "geometry", "not an object");
      return NULL;
    }
  geometry = json_node_get_object (node);

  out = json_object_new ();
  out_node = object_to_node (out);

  switch (kind)
    {
    case DOCKET_ANNOTATION_HIGHLIGHT:
    case DOCKET_ANNOTATION_UNDERLINE:
    case DOCKET_ANNOTATION_STRIKEOUT:
      ok = read_geometry_rects (geometry, path, out, error);
      break;
    case DOCKET_ANNOTATION_INK:
      ok = read_geometry_ink (geometry, path, out, error);
      break;
    case DOCKET_ANNOTATION_NOTE:
      ok = read_geometry_note (geometry, path, out, error);
      break;
    case DOCKET_ANNOTATION_RECTANGLE:
      ok = read_geometry_rectangle (geometry, path, out, error);
      break;
    default:
      g_return_val_if_reached (NULL);
    }

  if (!ok)
    return NULL;

  return json_to_string (out_node, FALSE);
}

/* "#rrggbb"; returned in lowercase. */
static gboolean
read_color (JsonObject  *object,
            const char  *prefix,
            char       **out,
            GError     **error)
{
  JsonNode *node;
  const char *text;

  if (!(node = get_member (object, prefix, "color", error)) ||
      !read_string_node (node, prefix, "color", &text, error))
    return FALSE;

  if (strlen (text) != 7 || text[0] != '#')
    goto invalid;
  for (guint i = 1; i < 7; i++)
    if (!g_ascii_isxdigit (text[i]))
      goto invalid;

  *out = g_ascii_strdown (text, -1);
  return TRUE;

invalid:
  return field_error (error, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE, prefix, "color",
                      "not a colour #rrggbb");
}

JsonNode *
docket_annotation_record_to_json (const DocketAnnotationRecord *record)
{
  JsonObject *object;
  JsonNode *geometry = NULL;

  g_return_val_if_fail (record != NULL, NULL);

  object = json_object_new ();
  set_string (object, "id", record->id);
  set_string (object, "document_id", record->document_id);
  json_object_set_int_member (object, "page", record->page);
  set_string (object, "kind", docket_annotation_kind_to_string (record->kind));
  set_string (object, "color", record->color);

  /* The geometry is kept as JSON text and goes on the wire as an object. Text that does
   * not parse (it never should: every way in checks it) goes as an empty object, which
   * the other side refuses, rather than as something else. */
  if (record->geometry != NULL)
    geometry = docket_protocol_parse_json (record->geometry, -1, DOCKET_MAX_JSON_REQUEST_BYTES, NULL);
  if (geometry == NULL || !JSON_NODE_HOLDS_OBJECT (geometry))
    {
      g_clear_pointer (&geometry, json_node_unref);
      geometry = object_to_node (json_object_new ());
    }
  json_object_set_member (object, "geometry", geometry);

  set_string (object, "contents", record->contents);
  json_object_set_int_member (object, "created_at", record->created_at);
  json_object_set_int_member (object, "updated_at", record->updated_at);
  json_object_set_int_member (object, "revision", record->revision);

  return object_to_node (object);
}

static DocketAnnotationRecord *
annotation_from_json (JsonNode    *node,
                      const char  *prefix,
                      GError     **error)
{
  g_autoptr(DocketAnnotationRecord) record = docket_annotation_record_new ();
  JsonObject *object;
  JsonNode *member;
  const char *kind;

  if (!(object = expect_object (node, prefix, error)))
    return NULL;

  if (!read_id (object, prefix, "id", &record->id, error) ||
      !read_id (object, prefix, "document_id", &record->document_id, error) ||
      !read_int (object, prefix, "page", DOCKET_MAX_PAGES - 1, &record->page, error))
    return NULL;

  if (!(member = get_member (object, prefix, "kind", error)) ||
      !read_string_node (member, prefix, "kind", &kind, error))
    return NULL;
  if (!docket_annotation_kind_from_string (kind, &record->kind))
    {
      field_error (error, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE, prefix, "kind",
                   "not one of highlight, underline, strikeout, ink, note, rectangle");
      return NULL;
    }

  if (!read_color (object, prefix, &record->color, error) ||
      !(record->geometry = read_geometry (object, prefix, record->kind, error)) ||
      !read_text (object, prefix, "contents", DOCKET_MAX_ANNOTATION_CONTENTS_BYTES, TRUE,
                  &record->contents, error) ||
      !read_integer (object, prefix, "created_at", 0, DOCKET_MAX_TIME_MS, &record->created_at, error) ||
      !read_integer (object, prefix, "updated_at", 0, DOCKET_MAX_TIME_MS, &record->updated_at, error) ||
      !read_integer (object, prefix, "revision", 0, DOCKET_MAX_VERSION, &record->revision, error))
    return NULL;

  return g_steal_pointer (&record);
}

DocketAnnotationRecord *
docket_annotation_record_from_json (JsonNode  *node,
                                    GError   **error)
{
  return annotation_from_json (node, "annotation", error);
}

/* ---- notes ------------------------------------------------------------------------- */

JsonNode *
docket_note_record_to_json (const DocketNoteRecord *record)
{
  JsonObject *object;

  g_return_val_if_fail (record != NULL, NULL);

  object = json_object_new ();
  set_string (object, "target", docket_note_target_to_string (record->target));
  set_string (object, "target_id", record->target_id);
  set_string (object, "text", record->text);
  json_object_set_int_member (object, "updated_at", record->updated_at);
  json_object_set_int_member (object, "revision", record->revision);

  return object_to_node (object);
}

static DocketNoteRecord *
note_from_json (JsonNode    *node,
                const char  *prefix,
                GError     **error)
{
  g_autoptr(DocketNoteRecord) record = docket_note_record_new ();
  JsonObject *object;
  JsonNode *member;
  const char *target;

  if (!(object = expect_object (node, prefix, error)))
    return NULL;

  if (!(member = get_member (object, prefix, "target", error)) ||
      !read_string_node (member, prefix, "target", &target, error))
    return NULL;
  if (!docket_note_target_from_string (target, &record->target))
    {
      field_error (error, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE, prefix, "target",
                   "not one of agenda_item, document");
      return NULL;
    }

  if (!read_id (object, prefix, "target_id", &record->target_id, error) ||
      !read_text (object, prefix, "text", DOCKET_MAX_NOTE_BYTES, TRUE, &record->text, error) ||
      !read_integer (object, prefix, "updated_at", 0, DOCKET_MAX_TIME_MS, &record->updated_at, error) ||
      !read_integer (object, prefix, "revision", 0, DOCKET_MAX_VERSION, &record->revision, error))
    return NULL;

  return g_steal_pointer (&record);
}

DocketNoteRecord *
docket_note_record_from_json (JsonNode  *node,
                              GError   **error)
{
  return note_from_json (node, "note", error);
}

/* ---- changes ----------------------------------------------------------------------- */

static void
record_free (DocketChangeType type,
             gpointer         record)
{
  if (record == NULL)
    return;

  switch (type)
    {
    case DOCKET_CHANGE_MEETING:
      docket_meeting_record_free (record);
      break;
    case DOCKET_CHANGE_AGENDA_ITEM:
      docket_agenda_item_record_free (record);
      break;
    case DOCKET_CHANGE_DOCUMENT:
      docket_document_record_free (record);
      break;
    case DOCKET_CHANGE_ANNOTATION:
      docket_annotation_record_free (record);
      break;
    case DOCKET_CHANGE_NOTE:
      docket_note_record_free (record);
      break;
    default:
      g_return_if_reached ();
    }
}

DocketChange *
docket_change_new (DocketChangeType  type,
                   const char       *id,
                   gboolean          deleted,
                   gpointer          record)
{
  DocketChange *change = g_new0 (DocketChange, 1);

  change->type = type;
  change->id = g_strdup (id);
  change->deleted = deleted;
  change->record = record;

  return change;
}

void
docket_change_free (DocketChange *change)
{
  if (change == NULL)
    return;

  record_free (change->type, change->record);
  g_free (change->id);
  g_free (change);
}

JsonNode *
docket_change_to_json (const DocketChange *change)
{
  JsonObject *object;

  g_return_val_if_fail (change != NULL, NULL);

  object = json_object_new ();
  json_object_set_string_member (object, "type", docket_change_type_to_string (change->type));
  set_string (object, "id", change->id);
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
        default:
          g_warn_if_reached ();
        }
      if (data != NULL)
        json_object_set_member (object, "data", data);
    }

  return object_to_node (object);
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
    default:
      g_return_val_if_reached (NULL);
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
      return meeting_from_json (node, path, error);
    case DOCKET_CHANGE_AGENDA_ITEM:
      return agenda_item_from_json (node, path, error);
    case DOCKET_CHANGE_DOCUMENT:
      return document_from_json (node, path, error);
    case DOCKET_CHANGE_ANNOTATION:
      return annotation_from_json (node, path, error);
    case DOCKET_CHANGE_NOTE:
      return note_from_json (node, path, error);
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

  if (!(object = expect_object (node, path, error)))
    return FALSE;

  if (!(member = get_member (object, path, "type", error)) ||
      !read_string_node (member, path, "type", &type, error))
    return FALSE;

  if (!change_type_from_string (type, &change->type))
    {
      /* A later protocol version's type: skipped, but it must still look like a change. */
      if (!(member = get_member (object, path, "id", error)) ||
          !read_string_node (member, path, "id", &unknown_id, error))
        return FALSE;
      return TRUE;
    }

  if (!read_id (object, path, "id", &change->id, error) ||
      !read_boolean (object, path, "deleted", &change->deleted, error))
    return FALSE;

  data = json_object_get_member (object, "data");
  if (change->deleted)
    {
      if (data != NULL && !JSON_NODE_HOLDS_NULL (data))
        return field_error (error, DOCKET_PROTOCOL_ERROR_MALFORMED, path,
                            "data", "present in a deletion");
    }
  else
    {
      if (data == NULL || JSON_NODE_HOLDS_NULL (data))
        return field_error (error, DOCKET_PROTOCOL_ERROR_MISSING_FIELD, path, "data", "missing");

      data_path = g_strconcat (path, ".data", NULL);
      change->record = record_from_json (change->type, data, data_path, error);
      if (change->record == NULL)
        return FALSE;

      if (!g_str_equal (record_id (change->type, change->record), change->id))
        return field_error (error, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE, data_path,
                            "id", "differs from the change's id");
    }

  *out_change = g_steal_pointer (&change);
  return TRUE;
}

DocketChangesPage *
docket_changes_page_new (void)
{
  DocketChangesPage *page = g_new0 (DocketChangesPage, 1);

  page->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_change_free);

  return page;
}

void
docket_changes_page_free (DocketChangesPage *page)
{
  if (page == NULL)
    return;

  g_free (page->cursor);
  g_clear_pointer (&page->changes, g_ptr_array_unref);
  g_free (page);
}

JsonNode *
docket_changes_page_to_json (const DocketChangesPage *page)
{
  JsonObject *object;
  JsonArray *changes;
  guint i;

  g_return_val_if_fail (page != NULL, NULL);

  object = json_object_new ();
  set_string (object, "cursor", page->cursor);
  json_object_set_boolean_member (object, "more", page->more);

  changes = json_array_new ();
  for (i = 0; page->changes != NULL && i < page->changes->len; i++)
    json_array_add_element (changes, docket_change_to_json (g_ptr_array_index (page->changes, i)));
  json_object_set_array_member (object, "changes", changes);

  return object_to_node (object);
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

  if (!(object = expect_object (node, "page", error)))
    return NULL;

  if (!read_text (object, "page", "cursor", DOCKET_MAX_CURSOR_BYTES, FALSE, &page->cursor, error) ||
      !read_boolean (object, "page", "more", &page->more, error))
    return NULL;

  if (!(member = get_member (object, "page", "changes", error)))
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (member))
    {
      field_error (error, DOCKET_PROTOCOL_ERROR_WRONG_TYPE, "page", "changes", "not an array");
      return NULL;
    }

  changes = json_node_get_array (member);
  n = json_array_get_length (changes);
  if (n > DOCKET_MAX_CHANGES_PER_PAGE)
    {
      field_error (error, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE, "page",
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
