/* docket-server-routes.c: the route table and its dispatcher
 *
 * Every endpoint of docs/protocol.md is one row below. The dispatcher answers what no
 * handler should have to: 404 for a path that no row has, 401 for a missing or dead
 * token, 405 (with Allow) for a method the path does not take, 403 or 404 for a caller
 * without the right; a handler runs only for a caller that may call it. Uploads use the
 * same table from their headers (docket_server_routes_handle_early), before libsoup reads
 * their body.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "docket-protocol.h"
#include "docket-server-auth.h"
#include "docket-server-routes.h"

#define ANYONE      DOCKET_SERVER_CALLER_ANYONE
#define SIGNED_IN   DOCKET_SERVER_CALLER_SIGNED_IN
#define SECRETARY   DOCKET_SERVER_CALLER_SECRETARY
#define PARTICIPANT DOCKET_SERVER_CALLER_PARTICIPANT
#define MANAGER     DOCKET_SERVER_CALLER_MANAGER

/* The rows of one path are together, in the order Allow lists their methods. */
static const DocketServerRoute routes[] = {
  { "GET",    "/info",                                     ANYONE,      docket_server_handle_info },
  { "HEAD",   "/info",                                     ANYONE,      docket_server_handle_info },

  { "GET",    "/session",                                  SIGNED_IN,   docket_server_handle_session },
  { "POST",   "/session",                                  ANYONE,      docket_server_handle_sign_in },
  { "DELETE", "/session",                                  SIGNED_IN,   docket_server_handle_sign_out },
  { "GET",    "/users",                                    SECRETARY,   docket_server_handle_list_users },

  { "GET",    "/changes",                                  SIGNED_IN,   docket_server_handle_changes },
  { "GET",    "/live",                                     SIGNED_IN,   docket_server_handle_live },

  { "POST",   "/meetings",                                 SECRETARY,   docket_server_handle_create_meeting },
  { "PATCH",  "/meetings/{meeting}",                       MANAGER,     docket_server_handle_update_meeting },
  { "DELETE", "/meetings/{meeting}",                       MANAGER,     docket_server_handle_delete_meeting },
  { "PUT",    "/meetings/{meeting}/participants/{username}", MANAGER,   docket_server_handle_add_participant },
  { "DELETE", "/meetings/{meeting}/participants/{username}", MANAGER,   docket_server_handle_remove_participant },
  { "POST",   "/meetings/{meeting}/items",                 MANAGER,     docket_server_handle_create_item },
  { "PATCH",  "/items/{item}",                             MANAGER,     docket_server_handle_update_item },
  { "DELETE", "/items/{item}",                             MANAGER,     docket_server_handle_delete_item },
  { "POST",   "/items/{item}/documents",                   MANAGER,     docket_server_handle_upload,
    docket_server_begin_upload },
  { "PATCH",  "/documents/{document}",                     MANAGER,     docket_server_handle_update_document },
  { "DELETE", "/documents/{document}",                     MANAGER,     docket_server_handle_delete_document },
  { "GET",    "/documents/{document}/content",             PARTICIPANT, docket_server_handle_content },
  { "HEAD",   "/documents/{document}/content",             PARTICIPANT, docket_server_handle_content },

  /* The live meeting: who sees the meeting reaches the handler, which checks their right
   * in it (its chair or secretary, the participant themself) (docket-server-routes-live.c). */
  { "PATCH",  "/meetings/{meeting}/state",                 PARTICIPANT, docket_server_handle_update_meeting_state },
  { "GET",    "/meetings/{meeting}/attendance",            PARTICIPANT, docket_server_handle_attendance_log },
  { "PUT",    "/meetings/{meeting}/attendance/{username}", PARTICIPANT, docket_server_handle_set_attendance },
  { "POST",   "/meetings/{meeting}/speeches",              PARTICIPANT, docket_server_handle_request_floor },
  { "PATCH",  "/speeches/{speech}",                        PARTICIPANT, docket_server_handle_update_speech },

  /* Signed in only: what the annotation or note is on is checked by the handler, after
   * its op_id, so that an operation sent again gets its first answer whatever changed
   * meanwhile (docket-server-routes-annotations.c). */
  { "PUT",    "/annotations/{annotation}",                 SIGNED_IN,   docket_server_handle_put_annotation },
  { "DELETE", "/annotations/{annotation}",                 SIGNED_IN,   docket_server_handle_delete_annotation },
  { "PUT",    "/notes/{target}/{target_id}",               SIGNED_IN,   docket_server_handle_put_note },
};

/* Path parameters */

/* Whether the name in a pattern (length bytes at name, not NUL-terminated) is wanted. */
static gboolean
name_is (const char *name,
         gsize       length,
         const char *wanted)
{
  return length == strlen (wanted) && strncmp (name, wanted, length) == 0;
}

const char *
docket_server_request_param (const DocketServerRequest *request,
                             const char                *name)
{
  for (guint i = 0; i < request->n_params; i++)
    if (name_is (request->params[i].name, request->params[i].name_length, name))
      return request->params[i].value;
  g_return_val_if_reached (NULL);
}

static gboolean
param_is_valid (const char *name,
                gsize       name_length,
                const char *value)
{
  if (name_is (name, name_length, "username"))
    return docket_protocol_username_is_valid (value);
  if (name_is (name, name_length, "target"))
    return docket_note_target_from_string (value, NULL);
  return docket_protocol_id_is_valid (value);
}

/* Whether segments (the path after the API prefix, split at '/') match pattern; fills
 * the request's parameters when they do. */
static gboolean
match_pattern (const char           *pattern,
               char                **segments,
               DocketServerRequest  *request)
{
  const char *p = pattern + 1;
  guint i = 0;

  request->n_params = 0;
  for (;;)
    {
      const char *slash = strchr (p, '/');
      gsize length = slash != NULL ? (gsize) (slash - p) : strlen (p);

      if (segments[i] == NULL)
        return FALSE;
      if (p[0] == '{')
        {
          DocketServerPathParam *param;

          g_assert (request->n_params < DOCKET_SERVER_MAX_PATH_PARAMS);
          if (!param_is_valid (p + 1, length - 2, segments[i]))
            return FALSE;
          param = &request->params[request->n_params++];
          param->name = p + 1;
          param->name_length = length - 2;
          param->value = segments[i];
        }
      else if (strlen (segments[i]) != length || strncmp (segments[i], p, length) != 0)
        return FALSE;
      i++;
      if (slash == NULL)
        return segments[i] == NULL;
      p = slash + 1;
    }
}

/* The path after the API prefix, split at '/'; NULL for a path outside the API. */
static char **
split_path (const char *path)
{
  if (!g_str_has_prefix (path, DOCKET_API_PREFIX "/"))
    return NULL;
  return g_strsplit (path + strlen (DOCKET_API_PREFIX "/"), "/", -1);
}

/* What the table says of a request: the row for its method, and whether any row has its
 * path (allow: their methods, for 405; any_anonymous: whether one needs no token). */
typedef struct {
  const DocketServerRoute *route;
  gboolean                 path_found;
  gboolean                 any_anonymous;
  GString                 *allow;
} RouteMatch;

static void
route_match_clear (RouteMatch *match)
{
  if (match->allow != NULL)
    g_string_free (match->allow, TRUE);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RouteMatch, route_match_clear)

static void
find_route (char                **segments,
            const char           *method,
            DocketServerRequest  *request,
            RouteMatch           *match)
{
  DocketServerRequest scratch = { 0 };

  match->allow = g_string_new (NULL);
  if (segments == NULL)
    return;
  for (gsize i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      const DocketServerRoute *route = &routes[i];
      /* The first row of the method takes the request's parameters; the others are only
       * tried, so that they do not overwrite them. */
      gboolean same_method = g_str_equal (route->method, method) && match->route == NULL;

      if (!match_pattern (route->pattern, segments, same_method ? request : &scratch))
        continue;
      match->path_found = TRUE;
      match->any_anonymous |= route->caller == DOCKET_SERVER_CALLER_ANYONE;
      if (match->allow->len > 0)
        g_string_append (match->allow, ", ");
      g_string_append (match->allow, route->method);
      if (same_method)
        match->route = route;
    }
}

/* The caller */

char *
docket_server_request_token_hash (SoupServerMessage *msg)
{
  const char *header;

  header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                         "Authorization");
  if (header == NULL || g_ascii_strncasecmp (header, "Bearer ", 7) != 0 || header[7] == '\0')
    return NULL;
  return docket_server_auth_hash_token (header + 7);
}

static DocketServerUser *
authenticate (DocketServer       *self,
              SoupServerMessage  *msg,
              GError            **error)
{
  g_autofree char *hash = docket_server_request_token_hash (msg);

  if (hash == NULL)
    {
      g_set_error_literal (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_UNAUTHORIZED,
                           _("Sign in first: this needs an Authorization: Bearer token"));
      return NULL;
    }
  return docket_server_db_user_for_token (docket_server_get_db (self), hash,
                                          g_get_real_time () / G_USEC_PER_SEC, error);
}

/* The meeting of the path's {meeting}, {item}, {document} or {speech}, or NULL with
 * NOT_FOUND. */
static char *
meeting_of_path (DocketServerRequest  *request,
                 GError              **error)
{
  DocketServerDb *db = docket_server_get_db (request->server);

  for (guint i = 0; i < request->n_params; i++)
    {
      const DocketServerPathParam *param = &request->params[i];

      if (name_is (param->name, param->name_length, "meeting"))
        return g_strdup (param->value);
      if (name_is (param->name, param->name_length, "item"))
        return docket_server_db_item_meeting (db, param->value, error);
      if (name_is (param->name, param->name_length, "document"))
        return docket_server_db_document_meeting (db, param->value, error);
      if (name_is (param->name, param->name_length, "speech"))
        return docket_server_db_speech_meeting (db, param->value, error);
    }
  g_return_val_if_reached (NULL);
}

/* Checks the right the route asks of the signed-in user. */
static gboolean
check_caller (const DocketServerRoute  *route,
              DocketServerRequest      *request,
              GError                  **error)
{
  DocketServerDb *db = docket_server_get_db (request->server);
  const DocketServerUser *user = request->user;
  g_autofree char *meeting_id = NULL;

  switch (route->caller)
    {
    case DOCKET_SERVER_CALLER_ANYONE:
    case DOCKET_SERVER_CALLER_SIGNED_IN:
      return TRUE;
    case DOCKET_SERVER_CALLER_SECRETARY:
      if (user->role == DOCKET_ROLE_SECRETARY || user->role == DOCKET_ROLE_ADMIN)
        return TRUE;
      g_set_error_literal (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_FORBIDDEN,
                           _("Only secretaries and administrators may do this"));
      return FALSE;
    case DOCKET_SERVER_CALLER_PARTICIPANT:
      return (meeting_id = meeting_of_path (request, error)) != NULL &&
             docket_server_db_user_sees_meeting (db, user, meeting_id, error);
    case DOCKET_SERVER_CALLER_MANAGER:
      return (meeting_id = meeting_of_path (request, error)) != NULL &&
             docket_server_db_check_manage_meeting (db, user, meeting_id, error);
    default:
      g_assert_not_reached ();
    }
}

/* The token, then the right; the user in out_user (NULL for a route open to anyone). */
static gboolean
check_request (const DocketServerRoute  *route,
               DocketServerRequest      *request,
               DocketServerUser        **out_user,
               GError                  **error)
{
  if (route->caller == DOCKET_SERVER_CALLER_ANYONE)
    return TRUE;
  if ((*out_user = authenticate (request->server, request->msg, error)) == NULL)
    return FALSE;
  request->user = *out_user;
  return check_caller (route, request, error);
}

void
docket_server_routes_handle (SoupServer        *soup,
                             SoupServerMessage *msg,
                             const char        *path,
                             GHashTable        *query,
                             gpointer           server)
{
  DocketServerRequest request = { .server = server, .msg = msg, .query = query };
  g_auto(GStrv) segments = split_path (path);
  g_auto(RouteMatch) match = { 0 };
  g_autoptr(DocketServerUser) user = NULL;
  g_autoptr(GError) error = NULL;

  find_route (segments, soup_server_message_get_method (msg), &request, &match);
  if (!match.path_found)
    {
      docket_server_reply_error (msg, 404, DOCKET_ERR_NOT_FOUND, _("No such path"));
      return;
    }
  if (match.route == NULL)
    {
      /* A path only for the signed-in tells no stranger which methods it takes. */
      if (!match.any_anonymous && (user = authenticate (server, msg, &error)) == NULL)
        docket_server_reply_gerror (msg, error);
      else
        docket_server_reply_method_not_allowed (msg, match.allow->str);
      return;
    }
  if (!check_request (match.route, &request, &user, &error))
    {
      docket_server_reply_gerror (msg, error);
      return;
    }
  match.route->handle (&request);
}

/* From the headers of a request with a body: refuses a body for no path or over its
 * limit before it is read, and starts an upload (a route with begin), or refuses it,
 * from its headers too. */
void
docket_server_routes_handle_early (SoupServer        *soup,
                                   SoupServerMessage *msg,
                                   const char        *path,
                                   GHashTable        *query,
                                   gpointer           server)
{
  DocketServerRequest request = { .server = server, .msg = msg, .query = query };
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupEncoding encoding = soup_message_headers_get_encoding (headers);
  g_auto(GStrv) segments = NULL;
  g_auto(RouteMatch) match = { 0 };
  g_autoptr(DocketServerUser) user = NULL;
  g_autoptr(GError) error = NULL;
  gboolean streamed;
  gint64 limit;

  if (encoding == SOUP_ENCODING_NONE)
    return;
  segments = split_path (path);
  find_route (segments, soup_server_message_get_method (msg), &request, &match);
  if (!match.path_found)
    {
      /* A body for a path that no route has is never read. */
      docket_server_refuse_early (msg, 404, DOCKET_ERR_NOT_FOUND, _("No such path"));
      return;
    }
  streamed = match.route != NULL && match.route->begin != NULL;
  limit = streamed ? docket_server_get_max_upload_bytes (server) : DOCKET_MAX_JSON_REQUEST_BYTES;

  if (encoding != SOUP_ENCODING_CONTENT_LENGTH)
    {
      /* A body of unknown length (chunked) could grow without bound: refuse it too. */
      docket_server_refuse_early (msg, 413, DOCKET_ERR_TOO_LARGE,
                                  _("A body needs a Content-Length"));
      return;
    }
  if (soup_message_headers_get_content_length (headers) > limit)
    {
      docket_server_refuse_early (msg, 413, DOCKET_ERR_TOO_LARGE,
                                  _("The body is larger than this server accepts"));
      return;
    }
  if (!streamed)
    return;

  /* Who sends it and whether they may, so that an upload nobody may make is refused
   * before its body is read; the whole request is checked again once it is read. */
  if (!check_request (match.route, &request, &user, &error))
    {
      docket_server_refuse_early_gerror (msg, error);
      return;
    }
  if (!match.route->begin (&request, &error))
    docket_server_refuse_early_gerror (msg, error);
}
