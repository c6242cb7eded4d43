/* docket-server-private.h: what the route handlers of DocketServer share */
#pragma once

#include <json-glib/json-glib.h>

#include "docket-server.h"

G_BEGIN_DECLS

DocketServerDb    *docket_server_get_db               (DocketServer *self);
DocketServerBlobs *docket_server_get_blobs            (DocketServer *self);
gint64             docket_server_get_max_upload_bytes (DocketServer *self);

/* One of the DOCKET_SERVER_MAX_CONCURRENT_UPLOADS slots, or DOCKET_SERVER_ERROR_BUSY when
 * all are taken; released when that upload's message is finished. */
gboolean           docket_server_take_upload_slot     (DocketServer  *self,
                                                       GError       **error);
void               docket_server_release_upload_slot  (DocketServer  *self);
guint              docket_server_get_upload_timeout   (DocketServer  *self);

/* The request body as a JSON object, through the strict shared parser; a
 * DOCKET_SERVER_ERROR_BAD_REQUEST otherwise. */
JsonNode *docket_server_parse_json_object (SoupServerMessage  *msg,
                                           GError            **error);

void docket_server_reply_json   (SoupServerMessage *msg,
                                 guint              status,
                                 JsonNode          *node);
void docket_server_reply_error  (SoupServerMessage *msg,
                                 guint              status,
                                 const char        *code,
                                 const char        *message);
/* Answers the status and code that fit a DOCKET_SERVER_ERROR (500 for anything else). */
void docket_server_reply_gerror (SoupServerMessage *msg,
                                 const GError      *error);
void docket_server_reply_method_not_allowed (SoupServerMessage *msg,
                                             const char        *allow);

/* Secretary endpoints (docket-server-manage.c). segments are the path after /api/v1/;
 * user is signed in. Answers msg in every case. */
void docket_server_manage_route (DocketServer           *self,
                                 SoupServerMessage      *msg,
                                 const DocketServerUser *user,
                                 char                  **segments,
                                 GHashTable             *query);

/* From the headers of POST /items/{item_id}/documents (the early handler): checks that
 * user may manage the item's meeting and the title, takes an upload slot, and has the
 * body written to an intake of the blob store as it arrives rather than kept in memory;
 * the route's handler finishes the upload once the body is read. FALSE with the error
 * to answer at once, before the body is read. */
gboolean docket_server_manage_begin_upload (DocketServer           *self,
                                            SoupServerMessage      *msg,
                                            const DocketServerUser *user,
                                            const char             *item_id,
                                            GHashTable             *query,
                                            GError                **error);

/* The officials' own data (docket-server-annotate.c): whether segments are one of its
 * paths (annotations/{id}, notes/{target}/{id}), and its handler, which answers msg in
 * every case. */
gboolean docket_server_annotate_handles (char                  **segments);
void     docket_server_annotate_route   (DocketServer           *self,
                                         SoupServerMessage      *msg,
                                         const DocketServerUser *user,
                                         char                  **segments,
                                         GHashTable             *query);

G_END_DECLS

G_BEGIN_DECLS
/* {"username", "display_name", "role", "organ"} and, with with_disabled, "disabled". */
JsonNode *docket_server_user_to_json (const DocketServerUser *user,
                                      gboolean                with_disabled);
G_END_DECLS
