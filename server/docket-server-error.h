/* docket-server-error.h: the server's error domain
 *
 * Each code maps to one HTTP status and one protocol error code (docs/protocol.md,
 * "Errors"); docket_server_reply_gerror () in docket-server-reply.c does the mapping.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DOCKET_SERVER_ERROR (docket_server_error_quark ())

typedef enum {
  DOCKET_SERVER_ERROR_BAD_REQUEST,        /* 400 bad_request */
  DOCKET_SERVER_ERROR_INVALID_FIELD,      /* 400 invalid_field */
  DOCKET_SERVER_ERROR_INVALID_CURSOR,     /* 400 invalid_cursor */
  DOCKET_SERVER_ERROR_UNAUTHORIZED,       /* 401 unauthorized */
  DOCKET_SERVER_ERROR_FORBIDDEN,          /* 403 forbidden */
  DOCKET_SERVER_ERROR_NOT_FOUND,          /* 404 not_found */
  DOCKET_SERVER_ERROR_CONFLICT,           /* 409 conflict */
  DOCKET_SERVER_ERROR_TOO_LARGE,          /* 413 too_large */
  DOCKET_SERVER_ERROR_UNSUPPORTED_MEDIA,  /* 415 unsupported_media_type */
  DOCKET_SERVER_ERROR_EXISTS,             /* command line: the user already exists */
  DOCKET_SERVER_ERROR_INTERNAL,           /* 500 internal */
  DOCKET_SERVER_ERROR_GONE,               /* 410 gone: an annotation deleted for good */
  DOCKET_SERVER_ERROR_BUSY,               /* 503 busy: no room (a pool, the upload slots); Retry-After */
} DocketServerError;

GQuark docket_server_error_quark (void);

G_END_DECLS
