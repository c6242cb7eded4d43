/* docket-checks.c: one field of a record against one limit, and the error that names it
 *
 * What a reader accepts of a record, and so all a server may store and send: the codecs
 * read the JSON's types, then run the records' validation (docket-records.c), which is
 * made of these checks; the server runs the same validation on a record before it writes
 * it (docket_*_record_validate ()). Apart from both because both use it: the JSON readers
 * name a bad field with docket_field_error () too, so that every error of a record says
 * "path.field: what is wrong" the same way.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "docket-checks.h"

/* Sets "path.field: message" (or "path: message" without a field); returns FALSE. */
gboolean
docket_field_error (GError     **error,
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

gboolean
docket_check_text (const char  *text,
                   const char  *prefix,
                   const char  *field,
                   gsize        max_bytes,
                   gboolean     allow_empty,
                   GError     **error)
{
  if (text == NULL)
    return docket_field_error (error, DOCKET_PROTOCOL_ERROR_MISSING_FIELD, prefix, field, _("missing"));
  if (!allow_empty && text[0] == '\0')
    return docket_field_error (error, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE, prefix, field, _("empty"));
  if (!docket_protocol_text_is_valid (text, max_bytes))
    return docket_field_error (error, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE, prefix, field,
                               _("not valid text of at most %u bytes without control characters"),
                               (guint) max_bytes);
  return TRUE;
}

gboolean
docket_check_id (const char  *id,
                 const char  *prefix,
                 const char  *field,
                 GError     **error)
{
  if (id == NULL)
    return docket_field_error (error, DOCKET_PROTOCOL_ERROR_MISSING_FIELD, prefix, field, _("missing"));
  if (!docket_protocol_id_is_valid (id))
    return docket_field_error (error, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE, prefix, field, _("not a valid id"));
  return TRUE;
}

gboolean
docket_check_integer (gint64       value,
                      const char  *prefix,
                      const char  *field,
                      gint64       min,
                      gint64       max,
                      GError     **error)
{
  if (value < min || value > max)
    return docket_field_error (error, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE, prefix, field,
                               _("not between %lld and %lld"), (long long) min, (long long) max);
  return TRUE;
}

gboolean
docket_check_time (GDateTime   *time,
                   const char  *prefix,
                   const char  *field,
                   GError     **error)
{
  if (time == NULL)
    return docket_field_error (error, DOCKET_PROTOCOL_ERROR_MISSING_FIELD, prefix, field, _("missing"));
  return TRUE;
}

gboolean
docket_check_name (gboolean     read,
                   const char  *prefix,
                   const char  *field,
                   GError     **error)
{
  if (!read)
    return docket_field_error (error, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE, prefix, field,
                               _("not a word of a-z, 0-9 and _"));
  return TRUE;
}

/* A list of n elements: refused before its elements are read, when the reader calls it. */
gboolean
docket_check_count (guint        n,
                    guint        max,
                    const char  *prefix,
                    const char  *field,
                    GError     **error)
{
  if (n > max)
    return docket_field_error (error, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE, prefix, field,
                               _("more than %u"), max);
  return TRUE;
}
