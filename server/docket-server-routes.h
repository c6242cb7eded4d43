/* docket-server-routes.h: the HTTP API as one table of routes (docs/protocol.md)
 *
 * A route is a method, a path pattern under /api/v1 with its parameters in braces
 * ("/meetings/{meeting}/items"), who may call it, and its handler. The dispatcher
 * (docket-server-routes.c) matches the path, checks the caller (the bearer token, then
 * the right) and only then runs the handler, with the path's parameters and the user.
 * Adding an endpoint means one row in the table and one handler in the route file of its
 * area (docket-server-routes-AREA.c, next to docket-server-db-AREA.c).
 */
#pragma once

#include "docket-server-private.h"

G_BEGIN_DECLS

/* Who may call a route. The rights on a meeting are checked on the meeting of the path's
 * {meeting}, {item}, {document} or {speech} parameter. */
typedef enum {
  DOCKET_SERVER_CALLER_ANYONE,       /* no token needed */
  DOCKET_SERVER_CALLER_SIGNED_IN,    /* any valid token */
  DOCKET_SERVER_CALLER_SECRETARY,    /* a secretary or an administrator */
  DOCKET_SERVER_CALLER_PARTICIPANT,  /* sees the meeting */
  DOCKET_SERVER_CALLER_MANAGER,      /* may change the meeting */
} DocketServerCaller;

#define DOCKET_SERVER_MAX_PATH_PARAMS 4

typedef struct {
  const char *name;      /* in the pattern, not NUL-terminated: name_length bytes */
  gsize       name_length;
  const char *value;
} DocketServerPathParam;

/* What a handler is given: it answers msg in every case. */
typedef struct {
  DocketServer           *server;
  SoupServerMessage      *msg;
  const DocketServerUser *user;        /* NULL for a route of DOCKET_SERVER_CALLER_ANYONE */
  GHashTable             *query;       /* may be NULL */
  guint                   n_params;
  DocketServerPathParam   params[DOCKET_SERVER_MAX_PATH_PARAMS];
} DocketServerRequest;

/* The value of the path parameter name ("item" for {item}); every parameter of the
 * route's pattern is there, checked: {username} is a user name, {target} a note target,
 * any other an id (docket_protocol_id_is_valid). */
const char *docket_server_request_param (const DocketServerRequest *request,
                                         const char                *name);
/* The SHA-256 of the request's bearer token, or NULL when it has none. */
char       *docket_server_request_token_hash (SoupServerMessage *msg);

typedef void     (*DocketServerHandler)   (DocketServerRequest  *request);
/* For a body streamed as it arrives (an upload): called from the request's headers,
 * after the caller was checked; FALSE with the error to answer at once, before the body
 * is read. */
typedef gboolean (*DocketServerBeginFunc) (DocketServerRequest  *request,
                                           GError              **error);

typedef struct {
  const char            *method;
  const char            *pattern;
  DocketServerCaller     caller;
  DocketServerHandler    handle;
  DocketServerBeginFunc  begin;   /* NULL: the body (a small JSON) is read whole first */
} DocketServerRoute;

/* The two libsoup handlers of DocketServer: the early one (from the headers: a body over
 * its limit, an upload refused or begun) and the one for the whole request. */
void docket_server_routes_handle_early (SoupServer        *soup,
                                        SoupServerMessage *msg,
                                        const char        *path,
                                        GHashTable        *query,
                                        gpointer           server);
void docket_server_routes_handle       (SoupServer        *soup,
                                        SoupServerMessage *msg,
                                        const char        *path,
                                        GHashTable        *query,
                                        gpointer           server);

/* The handlers, by area. */

/* docket-server-routes-info.c */
void     docket_server_handle_info               (DocketServerRequest *request);

/* docket-server-routes-auth.c: sessions and users */
void     docket_server_handle_sign_in            (DocketServerRequest *request);
void     docket_server_handle_session            (DocketServerRequest *request);
void     docket_server_handle_sign_out           (DocketServerRequest *request);
void     docket_server_handle_list_users         (DocketServerRequest *request);

/* docket-server-routes-feed.c */
void     docket_server_handle_changes            (DocketServerRequest *request);

/* docket-server-routes-channel.c: the live channel's WebSocket */
void     docket_server_handle_live               (DocketServerRequest *request);

/* docket-server-routes-meetings.c: what secretaries manage */
void     docket_server_handle_create_meeting     (DocketServerRequest *request);
void     docket_server_handle_update_meeting     (DocketServerRequest *request);
void     docket_server_handle_delete_meeting     (DocketServerRequest *request);
void     docket_server_handle_add_participant    (DocketServerRequest *request);
void     docket_server_handle_remove_participant (DocketServerRequest *request);
void     docket_server_handle_create_item        (DocketServerRequest *request);
void     docket_server_handle_update_item        (DocketServerRequest *request);
void     docket_server_handle_delete_item        (DocketServerRequest *request);
void     docket_server_handle_update_document    (DocketServerRequest *request);
void     docket_server_handle_delete_document    (DocketServerRequest *request);

/* docket-server-routes-live.c: running a meeting */
void     docket_server_handle_update_meeting_state (DocketServerRequest *request);
void     docket_server_handle_set_attendance     (DocketServerRequest *request);
void     docket_server_handle_attendance_log     (DocketServerRequest *request);
void     docket_server_handle_request_floor      (DocketServerRequest *request);
void     docket_server_handle_update_speech      (DocketServerRequest *request);

/* docket-server-routes-content.c: documents' bytes, out and in */
void     docket_server_handle_content            (DocketServerRequest *request);
gboolean docket_server_begin_upload              (DocketServerRequest  *request,
                                                  GError              **error);
void     docket_server_handle_upload             (DocketServerRequest *request);

/* docket-server-routes-annotations.c: the officials' own data */
void     docket_server_handle_put_annotation     (DocketServerRequest *request);
void     docket_server_handle_delete_annotation  (DocketServerRequest *request);
void     docket_server_handle_put_note           (DocketServerRequest *request);

G_END_DECLS
