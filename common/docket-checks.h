/* docket-checks.h: one field of a record against one limit (internal to common/)
 *
 * The checks the records' validation is made of (docket-records.c), and the error that
 * names a bad field, which the JSON readers use too. Every check sets a
 * DOCKET_PROTOCOL_ERROR "prefix.field: what is wrong" and returns FALSE when the value is
 * refused, TRUE otherwise.
 */
#pragma once

#include <glib.h>

#include "docket-protocol.h"

G_BEGIN_DECLS

/* Sets "path.field: message" (or "path: message" when field is NULL); returns FALSE, so
 * that a check can end with "return docket_field_error (...)". */
gboolean docket_field_error   (GError     **error,
                               int          code,
                               const char  *path,
                               const char  *field,
                               const char  *format,
                               ...) G_GNUC_PRINTF (5, 6);

/* Present, not empty unless allow_empty, valid text of at most max_bytes. */
gboolean docket_check_text    (const char  *text,
                               const char  *prefix,
                               const char  *field,
                               gsize        max_bytes,
                               gboolean     allow_empty,
                               GError     **error);
/* Present and a valid id (docket_protocol_id_is_valid ()). */
gboolean docket_check_id      (const char  *id,
                               const char  *prefix,
                               const char  *field,
                               GError     **error);
gboolean docket_check_integer (gint64       value,
                               const char  *prefix,
                               const char  *field,
                               gint64       min,
                               gint64       max,
                               GError     **error);
gboolean docket_check_time    (GDateTime   *time,
                               const char  *prefix,
                               const char  *field,
                               GError     **error);
/* An enum's name as its *_from_string () read it (read: what that answered): a word it
 * does not know is kept as UNKNOWN, so only a text that is not a word at all
 * ([a-z0-9_]{1,64}) is refused. */
gboolean docket_check_name    (gboolean     read,
                               const char  *prefix,
                               const char  *field,
                               GError     **error);
/* At most max elements in a list of n: a reader calls it before it reads the elements. */
gboolean docket_check_count   (guint        n,
                               guint        max,
                               const char  *prefix,
                               const char  *field,
                               GError     **error);

G_END_DECLS
