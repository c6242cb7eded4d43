/* docket-api.h: requests to a Docket server and the errors their answers map to
 *
 * Internal to app/sync. Every error returned here is in DOCKET_SYNC_ERROR, with a
 * message written for the person (it reaches the window as it is).
 */
#pragma once

#include <libsoup/soup.h>

#include "docket-protocol.h"

G_BEGIN_DECLS

/* The limit for sign-in answers and error bodies. */
#define DOCKET_API_SMALL_JSON_BYTES (1024 * 1024)

/* A failure before any HTTP answer: cancellation is passed on as it is. */
GError      *docket_api_transport_error      (const char    *server_url,
                                              GError        *error);
GError      *docket_api_protocol_error       (const char    *detail);
/* An HTTP answer other than the one expected. */
GError      *docket_api_status_error         (guint          status);
/* A 3xx answer to @message: the client follows no redirect (every message has
 * SOUP_MESSAGE_NO_REDIRECT), so this says where it pointed and what to check. */
GError      *docket_api_redirect_error       (SoupMessage   *message);
char        *docket_api_error_code_from_body (GBytes        *body);
/* The "message" of a JSON error body when it is valid text within the protocol's limit
 * (DOCKET_MAX_ERROR_MESSAGE_BYTES), or NULL. */
char        *docket_api_error_message_from_body (GBytes     *body);
JsonNode    *docket_api_parse_json           (GBytes        *body,
                                              gsize          max_bytes,
                                              GError       **error);

/* A request with the bearer token when @token is not NULL, that never follows a
 * redirect (SOUP_MESSAGE_NO_REDIRECT); NULL if @url is not usable. */
SoupMessage *docket_api_new_message          (const char    *method,
                                              const char    *url,
                                              const char    *token);

/* Sends @method @path to @server_url and reads the answer whole, up to @max_bytes. */
void         docket_api_call_async           (SoupSession         *session,
                                              gpointer             source_object,
                                              const char          *server_url,
                                              const char          *method,
                                              const char          *path,
                                              GBytes              *json_body,
                                              const char          *token,
                                              gsize                max_bytes,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
/* Returns: (transfer none): the message, owned by @result, when an answer came,
 * whatever its status; NULL with @error set otherwise. */
SoupMessage *docket_api_call_finish          (GAsyncResult  *result,
                                              guint         *out_status,
                                              GBytes       **out_body,
                                              GError       **error);

G_END_DECLS
