/* docket-protocol.c: constants and checks of the Docket sync protocol (docs/protocol.md)
 *
 * Everything here is pure: no I/O, no global state beyond the error quark. Client and
 * server both run every piece of JSON they receive through these checks.
 */
#include "config.h"

#include <string.h>

#include "docket-protocol.h"

/* json-glib (1.6) parses nested arrays and objects recursively and has no depth limit:
 * a few hundred thousand '[' overflow the stack. Nothing in the protocol nests deeper
 * than a handful of levels. */
#define DOCKET_MAX_JSON_DEPTH 64

/* Integers of more digits than this cannot be in any range of the protocol (2^53 - 1 has
 * 16 digits), and json-glib silently wraps integers beyond 64 bits (-18446744073709551574
 * parses as 42), so longer ones are refused before json-glib sees them. */
#define DOCKET_MAX_INTEGER_DIGITS 18

G_DEFINE_QUARK (docket-protocol-error-quark, docket_protocol_error)

gboolean
docket_protocol_id_is_valid (const char *id)
{
  gsize i;

  if (id == NULL || id[0] == '\0')
    return FALSE;

  /* The character set alone rules out "/", "." and ".." and anything that could be read
   * as a path. */
  for (i = 0; id[i] != '\0'; i++)
    {
      char c = id[i];

      if (i >= DOCKET_MAX_ID_LENGTH)
        return FALSE;
      if (!g_ascii_isalnum (c) && c != '_' && c != '-')
        return FALSE;
    }

  return TRUE;
}

gboolean
docket_protocol_sha256_is_valid (const char *hex)
{
  gsize i;

  if (hex == NULL)
    return FALSE;

  for (i = 0; i < 64; i++)
    {
      char c = hex[i];

      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
        return FALSE;
    }

  return hex[64] == '\0';
}

gboolean
docket_protocol_text_is_valid (const char *text,
                               gsize       max_bytes)
{
  const char *p;
  gsize len;

  if (text == NULL)
    return FALSE;

  len = strlen (text);
  if (len > max_bytes)
    return FALSE;
  if (!g_utf8_validate (text, len, NULL))
    return FALSE;

  for (p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\n' || c == '\t')
        continue;
      /* C0 controls, DEL and the C1 controls: invisible, and some of them (escape,
       * bidi-less terminal codes) are dangerous in logs and terminals. */
      if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
        return FALSE;
    }

  return TRUE;
}

gboolean
docket_protocol_username_is_valid (const char *username)
{
  gsize i;

  if (username == NULL || !g_ascii_isalnum (username[0]))
    return FALSE;

  for (i = 0; username[i] != '\0'; i++)
    {
      char c = username[i];

      if (i >= DOCKET_MAX_ID_LENGTH)
        return FALSE;
      if (!(g_ascii_islower (c) || g_ascii_isdigit (c) || c == '.' || c == '_' || c == '-'))
        return FALSE;
    }

  return TRUE;
}

gboolean
docket_protocol_time_zone_is_valid (const char *name)
{
  const char *part;

  if (name == NULL || !docket_protocol_text_is_valid (name, DOCKET_MAX_SHORT_TEXT_BYTES))
    return FALSE;

  /* GLib would also take an absolute path to a zone file, or a POSIX TZ rule: neither is
   * a name that other computers can look up. */
  for (part = name; ; part++)
    {
      const char *end = part;

      while (g_ascii_isalnum (*end) || *end == '_' || *end == '+' || *end == '-')
        end++;
      if (end == part || (*end != '/' && *end != '\0'))
        return FALSE;
      if (*end == '\0')
        return TRUE;
      part = end;
    }
}

guint
docket_quorum_needed (DocketQuorumRule rule,
                      guint            n_members)
{
  /* In 64 bits: two thirds of G_MAXUINT members must not wrap. */
  guint64 n = n_members;

  switch (rule)
    {
    case DOCKET_QUORUM_MAJORITY:
      return (guint) (n / 2 + 1);
    case DOCKET_QUORUM_TWO_THIRDS:
      return (guint) MAX ((2 * n + 2) / 3, 1);
    case DOCKET_QUORUM_UNKNOWN:
    default:
      return 0;
    }
}

gboolean
docket_meeting_role_counts_for_quorum (DocketMeetingRole role)
{
  return role == DOCKET_MEETING_ROLE_CHAIR || role == DOCKET_MEETING_ROLE_MEMBER;
}

gboolean
docket_meeting_role_runs_meeting (DocketMeetingRole role)
{
  return role == DOCKET_MEETING_ROLE_CHAIR || role == DOCKET_MEETING_ROLE_SECRETARY;
}

gboolean
docket_presence_is_checked_in (DocketPresence presence)
{
  return presence == DOCKET_PRESENCE_PRESENT || presence == DOCKET_PRESENCE_REMOTE;
}

static gboolean
all_digits (const char *p,
            gsize       n)
{
  gsize i;

  for (i = 0; i < n; i++)
    if (!g_ascii_isdigit (p[i]))
      return FALSE;

  return TRUE;
}

/* RFC 3339 section 5.6, date-time: YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM).
 * g_date_time_new_from_iso8601 () alone accepts much more of ISO 8601 (week dates,
 * ordinal dates, no separators, no seconds), so the shape is checked first. */
static gboolean
has_rfc3339_shape (const char *text)
{
  gsize len = strlen (text);
  const char *p;

  if (len < 20 || len > DOCKET_MAX_TIME_TEXT_BYTES)
    return FALSE;

  if (!all_digits (text, 4) || text[4] != '-' ||
      !all_digits (text + 5, 2) || text[7] != '-' ||
      !all_digits (text + 8, 2) || (text[10] != 'T' && text[10] != 't') ||
      !all_digits (text + 11, 2) || text[13] != ':' ||
      !all_digits (text + 14, 2) || text[16] != ':' ||
      !all_digits (text + 17, 2))
    return FALSE;

  p = text + 19;
  if (*p == '.')
    {
      p++;
      if (!g_ascii_isdigit (*p))
        return FALSE;
      while (g_ascii_isdigit (*p))
        p++;
    }

  if ((*p == 'Z' || *p == 'z') && p[1] == '\0')
    return TRUE;

  return (*p == '+' || *p == '-') &&
         all_digits (p + 1, 2) && p[3] == ':' && all_digits (p + 4, 2) && p[6] == '\0';
}

GDateTime *
docket_protocol_parse_time (const char  *text,
                            GError     **error)
{
  g_autofree char *upper = NULL;
  GDateTime *time;

  if (text == NULL || !has_rfc3339_shape (text))
    goto invalid;

  /* RFC 3339 allows "t" and "z"; GLib wants them uppercase. */
  upper = g_ascii_strup (text, -1);
  /* No default zone: a time without an offset is refused rather than read as local. */
  time = g_date_time_new_from_iso8601 (upper, NULL);
  if (time == NULL)
    goto invalid;

  return time;

invalid:
  g_set_error_literal (error, DOCKET_PROTOCOL_ERROR, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE,
                       "not an RFC 3339 time with an offset");
  return NULL;
}

char *
docket_protocol_format_time (GDateTime *time)
{
  g_autoptr(GDateTime) utc = NULL;
  GTimeSpan offset;
  gint64 offset_minutes;

  g_return_val_if_fail (time != NULL, NULL);

  offset = g_date_time_get_utc_offset (time);

  /* RFC 3339 offsets are whole minutes; old local mean times (Asia/Ho_Chi_Minh was
   * +07:06:40 before 1906) are written in UTC instead. */
  if (offset == 0 || offset % G_TIME_SPAN_MINUTE != 0)
    {
      utc = g_date_time_to_utc (time);
      return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02dZ",
                              g_date_time_get_year (utc),
                              g_date_time_get_month (utc),
                              g_date_time_get_day_of_month (utc),
                              g_date_time_get_hour (utc),
                              g_date_time_get_minute (utc),
                              g_date_time_get_second (utc));
    }

  offset_minutes = ABS (offset) / G_TIME_SPAN_MINUTE;

  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d",
                          g_date_time_get_year (time),
                          g_date_time_get_month (time),
                          g_date_time_get_day_of_month (time),
                          g_date_time_get_hour (time),
                          g_date_time_get_minute (time),
                          g_date_time_get_second (time),
                          offset < 0 ? '-' : '+',
                          (int) (offset_minutes / 60),
                          (int) (offset_minutes % 60));
}

JsonNode *
docket_protocol_error_to_json (const char *code,
                               const char *message)
{
  g_autofree char *cut = NULL;
  JsonObject *object;
  JsonNode *node;

  g_return_val_if_fail (code != NULL, NULL);

  /* A client ignores a message over the limit; one that quotes what it refuses (a field's
   * path, a server's answer) could grow past it, so it is cut, at a character's start. */
  if (message != NULL && strlen (message) > DOCKET_MAX_ERROR_MESSAGE_BYTES)
    {
      const char *end = g_utf8_find_prev_char (message, message + DOCKET_MAX_ERROR_MESSAGE_BYTES + 1);

      cut = g_strndup (message, end != NULL ? (gsize) (end - message) : 0);
      message = cut;
    }

  object = json_object_new ();
  node = json_node_new (JSON_NODE_OBJECT);
  json_object_set_string_member (object, "error", code);
  json_object_set_string_member (object, "message", message != NULL ? message : "");
  json_node_take_object (node, object);

  return node;
}

static gboolean
is_hex4_zero (const char *p,
              const char *end)
{
  return end - p >= 4 && p[0] == '0' && p[1] == '0' && p[2] == '0' && p[3] == '0';
}

/* Walks the raw text once for what json-glib gets wrong: see the two constants above,
 * and "\u0000" inside a string, which json-glib turns into an early end of the string
 * ("ab\u0000../x" would be read as the valid id "ab"). The scan does not need to be a
 * full JSON parser: json-glib checks the grammar afterwards. */
static gboolean
scan_json_text (const char  *data,
                gsize        length,
                GError     **error)
{
  const char *p = data;
  const char *end = data + length;
  guint depth = 0;

  while (p < end)
    {
      char c = *p;

      if (c == '"')
        {
          for (p++; p < end && *p != '"'; p++)
            {
              if (*p != '\\')
                continue;
              p++;
              if (p < end && *p == 'u' && is_hex4_zero (p + 1, end))
                {
                  g_set_error_literal (error, DOCKET_PROTOCOL_ERROR,
                                       DOCKET_PROTOCOL_ERROR_MALFORMED,
                                       "a string contains a NUL character");
                  return FALSE;
                }
            }
          p++;
        }
      else if (c == '[' || c == '{')
        {
          if (++depth > DOCKET_MAX_JSON_DEPTH)
            {
              g_set_error_literal (error, DOCKET_PROTOCOL_ERROR,
                                   DOCKET_PROTOCOL_ERROR_MALFORMED,
                                   "JSON nested too deeply");
              return FALSE;
            }
          p++;
        }
      else if (c == ']' || c == '}')
        {
          if (depth > 0)
            depth--;
          p++;
        }
      else if (c == '-' || g_ascii_isdigit (c))
        {
          const char *start;
          gboolean integer = TRUE;

          if (c == '-')
            p++;
          start = p;
          while (p < end && g_ascii_isdigit (*p))
            p++;
          if (p < end && (*p == '.' || *p == 'e' || *p == 'E'))
            integer = FALSE;
          if (integer && p - start > DOCKET_MAX_INTEGER_DIGITS)
            {
              g_set_error_literal (error, DOCKET_PROTOCOL_ERROR,
                                   DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE,
                                   "an integer is out of range");
              return FALSE;
            }
          while (p < end && (g_ascii_isalnum (*p) || *p == '.' || *p == '+' || *p == '-'))
            p++;
        }
      else
        p++;
    }

  return TRUE;
}

JsonNode *
docket_protocol_parse_json (const char  *data,
                            gssize       length,
                            gsize        max_bytes,
                            GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize len;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  len = length < 0 ? strlen (data) : (gsize) length;

  if (len > max_bytes)
    {
      g_set_error (error, DOCKET_PROTOCOL_ERROR, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE,
                   "JSON body of %" G_GSIZE_FORMAT " bytes is over the limit of %" G_GSIZE_FORMAT,
                   len, max_bytes);
      return NULL;
    }

  /* json-glib would stop at an embedded NUL and parse only the text before it. */
  if (memchr (data, '\0', len) != NULL)
    {
      g_set_error_literal (error, DOCKET_PROTOCOL_ERROR, DOCKET_PROTOCOL_ERROR_MALFORMED,
                           "JSON body contains a NUL byte");
      return NULL;
    }

  if (!g_utf8_validate (data, len, NULL))
    {
      g_set_error_literal (error, DOCKET_PROTOCOL_ERROR, DOCKET_PROTOCOL_ERROR_MALFORMED,
                           "JSON body is not valid UTF-8");
      return NULL;
    }

  if (!scan_json_text (data, len, error))
    return NULL;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize) len, &local_error))
    {
      g_set_error (error, DOCKET_PROTOCOL_ERROR, DOCKET_PROTOCOL_ERROR_MALFORMED,
                   "not JSON: %s", local_error->message);
      return NULL;
    }

  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error_literal (error, DOCKET_PROTOCOL_ERROR, DOCKET_PROTOCOL_ERROR_MALFORMED,
                           "empty JSON body");
      return NULL;
    }

  return json_parser_steal_root (parser);
}
