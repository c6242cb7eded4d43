/* docket-server.c: the HTTP API of Docket (docs/protocol.md) over a SoupServer
 *
 * One handler takes every path and routes it by its segments, so that unknown paths and
 * methods get the protocol's JSON errors. Bodies over their limit are refused from their
 * headers, before libsoup reads them. Sign-in verifies passwords in a worker thread,
 * pausing the message, so that the server keeps serving meanwhile.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "docket-protocol.h"
#include "docket-server-auth.h"
#include "docket-server-private.h"
#include "docket-server-rate-limiter.h"

struct _DocketServer
{
  GObject                  parent_instance;

  /* owned */
  SoupServer              *soup;
  DocketServerDb          *db;
  DocketServerBlobs       *blobs;
  DocketServerRateLimiter *limiter;
  gint64                   max_upload_bytes;
  gint64                   token_ttl;

  /* garbage collection, once started */
  DocketServerGcPolicy     gc_policy;
  guint                    gc_source;
  GCancellable            *gc_cancellable;
  gboolean                 gc_running;
};

G_DEFINE_TYPE (DocketServer, docket_server, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DB,
  PROP_BLOBS,
  PROP_MAX_UPLOAD_BYTES,
  PROP_TOKEN_TTL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GQuark started_quark;

/* Replies */

void
docket_server_reply_json (SoupServerMessage *msg,
                          guint              status,
                          JsonNode          *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  char *text;
  gsize length;

  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, &length);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text, length);
}

void
docket_server_reply_error (SoupServerMessage *msg,
                           guint              status,
                           const char        *code,
                           const char        *message)
{
  g_autoptr(JsonNode) node = docket_protocol_error_to_json (code, message);

  docket_server_reply_json (msg, status, node);
}

void
docket_server_reply_gerror (SoupServerMessage *msg,
                            const GError      *error)
{
  static const struct {
    guint       status;
    const char *code;
  } map[] = {
    [DOCKET_SERVER_ERROR_BAD_REQUEST] = { 400, DOCKET_ERR_BAD_REQUEST },
    [DOCKET_SERVER_ERROR_INVALID_FIELD] = { 400, DOCKET_ERR_INVALID_FIELD },
    [DOCKET_SERVER_ERROR_INVALID_CURSOR] = { 400, DOCKET_ERR_INVALID_CURSOR },
    [DOCKET_SERVER_ERROR_UNAUTHORIZED] = { 401, DOCKET_ERR_UNAUTHORIZED },
    [DOCKET_SERVER_ERROR_FORBIDDEN] = { 403, DOCKET_ERR_FORBIDDEN },
    [DOCKET_SERVER_ERROR_NOT_FOUND] = { 404, DOCKET_ERR_NOT_FOUND },
    [DOCKET_SERVER_ERROR_CONFLICT] = { 409, DOCKET_ERR_CONFLICT },
    [DOCKET_SERVER_ERROR_TOO_LARGE] = { 413, DOCKET_ERR_TOO_LARGE },
    [DOCKET_SERVER_ERROR_UNSUPPORTED_MEDIA] = { 415, DOCKET_ERR_UNSUPPORTED_MEDIA },
    [DOCKET_SERVER_ERROR_EXISTS] = { 409, DOCKET_ERR_CONFLICT },
    [DOCKET_SERVER_ERROR_INTERNAL] = { 500, DOCKET_ERR_INTERNAL },
    [DOCKET_SERVER_ERROR_GONE] = { 410, DOCKET_ERR_GONE },
  };

  if (error->domain == DOCKET_SERVER_ERROR && error->code >= 0 &&
      (gsize) error->code < G_N_ELEMENTS (map) &&
      error->code != DOCKET_SERVER_ERROR_INTERNAL)
    {
      docket_server_reply_error (msg, map[error->code].status, map[error->code].code,
                                 error->message);
      return;
    }
  /* Details of a fault go to the log, not to the client. */
  g_printerr ("error %s\n", error->message);
  docket_server_reply_error (msg, 500, DOCKET_ERR_INTERNAL,
                             _("The server failed; nothing was changed"));
}

void
docket_server_reply_method_not_allowed (SoupServerMessage *msg,
                                        const char        *allow)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", allow);
  docket_server_reply_error (msg, 405, DOCKET_ERR_METHOD_NOT_ALLOWED,
                             _("This path does not take this method"));
}

JsonNode *
docket_server_user_to_json (const DocketServerUser *user,
                            gboolean                with_disabled)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "username");
  json_builder_add_string_value (builder, user->username);
  json_builder_set_member_name (builder, "display_name");
  json_builder_add_string_value (builder, user->display_name);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, docket_role_to_string (user->role));
  json_builder_set_member_name (builder, "organ");
  json_builder_add_string_value (builder, user->organ);
  if (with_disabled)
    {
      json_builder_set_member_name (builder, "disabled");
      json_builder_add_boolean_value (builder, user->disabled);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Accessors for the handlers */

DocketServerDb *
docket_server_get_db (DocketServer *self)
{
  return self->db;
}

DocketServerBlobs *
docket_server_get_blobs (DocketServer *self)
{
  return self->blobs;
}

gint64
docket_server_get_max_upload_bytes (DocketServer *self)
{
  return self->max_upload_bytes;
}

/* Authentication */

static char *
bearer_token_hash (SoupServerMessage *msg)
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
  g_autofree char *hash = bearer_token_hash (msg);

  if (hash == NULL)
    {
      g_set_error_literal (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_UNAUTHORIZED,
                           _("Sign in first: this needs an Authorization: Bearer token"));
      return NULL;
    }
  return docket_server_db_user_for_token (self->db, hash,
                                          g_get_real_time () / G_USEC_PER_SEC, error);
}

/* GET /info */

static void
handle_info (DocketServer      *self,
             SoupServerMessage *msg)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "server");
  json_builder_add_string_value (builder, "docket-server");
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, PACKAGE_VERSION);
  json_builder_set_member_name (builder, "api");
  json_builder_add_int_value (builder, DOCKET_API_VERSION);
  json_builder_set_member_name (builder, "capabilities");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "changes");
  json_builder_add_string_value (builder, "documents.range");
  json_builder_add_string_value (builder, "manage");
  json_builder_add_string_value (builder, "annotations");
  json_builder_add_string_value (builder, "notes");
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "max_upload_bytes");
  json_builder_add_int_value (builder, self->max_upload_bytes);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  docket_server_reply_json (msg, 200, root);
}

/* POST /session */

typedef struct {
  DocketServer      *self;
  SoupServerMessage *msg;
  DocketServerUser  *user;       /* NULL for an unknown user name */
  char              *username;
  char              *address;
} SignIn;

static void
sign_in_free (SignIn *sign_in)
{
  g_object_unref (sign_in->self);
  g_object_unref (sign_in->msg);
  g_clear_pointer (&sign_in->user, docket_server_user_free);
  g_free (sign_in->username);
  g_free (sign_in->address);
  g_free (sign_in);
}

static void
reply_token (DocketServer      *self,
             SoupServerMessage *msg,
             DocketServerUser  *user)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GDateTime) expires = NULL;
  g_autofree char *token_hash = NULL;
  g_autofree char *token = docket_server_auth_new_token (&token_hash);
  g_autofree char *expires_text = NULL;
  gint64 expires_at = g_get_real_time () / G_USEC_PER_SEC + self->token_ttl;

  if (!docket_server_db_add_token (self->db, token_hash, user->id, expires_at, &error))
    {
      docket_server_reply_gerror (msg, error);
      return;
    }
  expires = g_date_time_new_from_unix_utc (expires_at);
  expires_text = g_date_time_format (expires, "%Y-%m-%dT%H:%M:%SZ");

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "token");
  json_builder_add_string_value (builder, token);
  json_builder_set_member_name (builder, "expires_at");
  json_builder_add_string_value (builder, expires_text);
  json_builder_set_member_name (builder, "user");
  json_builder_add_value (builder, docket_server_user_to_json (user, FALSE));
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  docket_server_reply_json (msg, 201, root);
}

static void
sign_in_verified (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  SignIn *sign_in = user_data;
  DocketServer *self = sign_in->self;
  gboolean ok = docket_server_auth_verify_finish (result);

  if (ok && sign_in->user != NULL && !sign_in->user->disabled)
    {
      g_autofree char *user_key = g_strconcat ("user:", sign_in->username, NULL);

      docket_server_rate_limiter_forget (self->limiter, user_key);
      reply_token (self, sign_in->msg, sign_in->user);
    }
  else
    {
      g_autofree char *user_key = g_strconcat ("user:", sign_in->username, NULL);
      g_autofree char *address_key = g_strconcat ("address:", sign_in->address, NULL);
      gint64 now = g_get_monotonic_time () / G_USEC_PER_SEC;

      docket_server_rate_limiter_add_failure (self->limiter, user_key, now);
      docket_server_rate_limiter_add_failure (self->limiter, address_key, now);
      docket_server_reply_error (sign_in->msg, 401, DOCKET_ERR_INVALID_CREDENTIALS,
                                 _("Wrong user name or password"));
    }
  soup_server_message_unpause (sign_in->msg);
  sign_in_free (sign_in);
}

JsonNode *
docket_server_parse_json_object (SoupServerMessage  *msg,
                                 GError            **error)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;

  /* Not JsonParser alone: it wraps huge integers, cuts strings at \u0000 and overflows
   * the stack on deep nesting; the shared parser refuses all three. */
  if (body->length > 0)
    root = docket_protocol_parse_json (body->data, body->length,
                                       DOCKET_MAX_JSON_REQUEST_BYTES, &local_error);
  if (root == NULL)
    {
      g_set_error (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_BAD_REQUEST,
                   _("The body is not JSON: %s"),
                   local_error ? local_error->message : _("empty"));
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_BAD_REQUEST,
                           _("The body is not a JSON object"));
      return NULL;
    }
  return g_steal_pointer (&root);
}

static const char *
string_member (JsonObject  *object,
               const char  *name,
               GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_INVALID_FIELD,
                   _("%s: missing or not a string"), name);
      return NULL;
    }
  return json_node_get_string (node);
}

static void
handle_sign_in (DocketServer      *self,
                SoupServerMessage *msg)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *user_key = NULL;
  g_autofree char *address_key = NULL;
  const char *username, *password, *address;
  gint64 now = g_get_monotonic_time () / G_USEC_PER_SEC;
  gint64 wait;
  SignIn *sign_in;

  root = docket_server_parse_json_object (msg, &error);
  if (root == NULL ||
      (username = string_member (json_node_get_object (root), "username", &error)) == NULL ||
      (password = string_member (json_node_get_object (root), "password", &error)) == NULL)
    {
      docket_server_reply_gerror (msg, error);
      return;
    }
  if (!docket_protocol_text_is_valid (username, DOCKET_MAX_SHORT_TEXT_BYTES) ||
      !docket_protocol_text_is_valid (password, 4096))
    {
      docket_server_reply_error (msg, 400, DOCKET_ERR_INVALID_FIELD,
                                 _("username or password: too long or not valid text"));
      return;
    }

  address = soup_server_message_get_remote_host (msg);
  user_key = g_strconcat ("user:", username, NULL);
  address_key = g_strconcat ("address:", address ? address : "", NULL);
  wait = MAX (docket_server_rate_limiter_check (self->limiter, user_key, now),
              docket_server_rate_limiter_check (self->limiter, address_key, now));
  if (wait > 0)
    {
      g_autofree char *seconds = g_strdup_printf ("%" G_GINT64_FORMAT, wait);

      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", seconds);
      docket_server_reply_error (msg, 429, DOCKET_ERR_TOO_MANY_ATTEMPTS,
                                 _("Too many failed sign-ins; try again later"));
      return;
    }

  sign_in = g_new0 (SignIn, 1);
  sign_in->self = g_object_ref (self);
  sign_in->msg = g_object_ref (msg);
  sign_in->username = g_strdup (username);
  sign_in->address = g_strdup (address ? address : "");
  sign_in->user = docket_server_db_find_user (self->db, username, &error);
  if (sign_in->user == NULL &&
      !g_error_matches (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_NOT_FOUND))
    {
      docket_server_reply_gerror (msg, error);
      sign_in_free (sign_in);
      return;
    }

  /* An unknown user costs a hash too, so that the answer does not tell. */
  soup_server_message_pause (msg);
  docket_server_auth_verify_async (sign_in->user ? sign_in->user->password_hash : NULL,
                                   password, NULL, sign_in_verified, sign_in);
}

static void
handle_session (DocketServer      *self,
                SoupServerMessage *msg,
                const char        *method)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketServerUser) user = NULL;

  if (g_str_equal (method, "POST"))
    {
      handle_sign_in (self, msg);
      return;
    }
  if (!g_str_equal (method, "GET") && !g_str_equal (method, "DELETE"))
    {
      docket_server_reply_method_not_allowed (msg, "GET, POST, DELETE");
      return;
    }

  user = authenticate (self, msg, &error);
  if (user == NULL)
    {
      docket_server_reply_gerror (msg, error);
      return;
    }
  if (g_str_equal (method, "GET"))
    {
      g_autoptr(JsonNode) node = docket_server_user_to_json (user, FALSE);

      docket_server_reply_json (msg, 200, node);
    }
  else
    {
      g_autofree char *hash = bearer_token_hash (msg);

      if (!docket_server_db_revoke_token (self->db, hash, &error))
        docket_server_reply_gerror (msg, error);
      else
        soup_server_message_set_status (msg, 204, NULL);
    }
}

/* GET /changes */

static void
handle_changes (DocketServer           *self,
                SoupServerMessage      *msg,
                const DocketServerUser *user,
                GHashTable             *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketChangesPage) page = NULL;
  g_autoptr(JsonNode) node = NULL;
  const char *since = query ? g_hash_table_lookup (query, "since") : NULL;
  const char *limit_text = query ? g_hash_table_lookup (query, "limit") : NULL;
  guint64 limit = 500;

  if (limit_text != NULL &&
      (!g_ascii_string_to_unsigned (limit_text, 10, 1, 1000, &limit, NULL)))
    {
      docket_server_reply_error (msg, 400, DOCKET_ERR_BAD_REQUEST,
                                 _("limit: a number from 1 to 1000"));
      return;
    }
  page = docket_server_db_changes (self->db, user, since, (guint) limit, &error);
  if (page == NULL)
    {
      docket_server_reply_gerror (msg, error);
      return;
    }
  node = docket_changes_page_to_json (page);
  docket_server_reply_json (msg, 200, node);
}

/* GET /documents/{id}/content */

static void
handle_content (DocketServer           *self,
                SoupServerMessage      *msg,
                const DocketServerUser *user,
                const char             *document_id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *meeting_id = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *etag = NULL;
  g_autoptr(GBytes) bytes = NULL;
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  const char *if_none_match;

  if ((meeting_id = docket_server_db_document_meeting (self->db, document_id, &error)) == NULL ||
      !docket_server_db_user_sees_meeting (self->db, user, meeting_id, &error) ||
      (sha256 = docket_server_db_document_sha256 (self->db, document_id, &error)) == NULL ||
      (bytes = docket_server_blobs_open (self->blobs, sha256, &error)) == NULL)
    {
      docket_server_reply_gerror (msg, error);
      return;
    }

  etag = g_strdup_printf ("\"%s\"", sha256);
  soup_message_headers_replace (headers, "ETag", etag);
  soup_message_headers_replace (headers, "Accept-Ranges", "bytes");
  if_none_match = soup_message_headers_get_one (request_headers, "If-None-Match");
  if (if_none_match != NULL && g_str_equal (if_none_match, etag))
    {
      soup_server_message_set_status (msg, 304, NULL);
      return;
    }

  if (soup_message_headers_get_one (request_headers, "Range") != NULL)
    {
      SoupRange *ranges = NULL;
      int n_ranges = 0;
      goffset size = (goffset) g_bytes_get_size (bytes);

      gboolean satisfiable = FALSE;

      /* libsoup answers 416 without saying the size; the protocol wants it said. */
      if (soup_message_headers_get_ranges (request_headers, size, &ranges, &n_ranges))
        {
          for (int i = 0; i < n_ranges; i++)
            if (ranges[i].start < size && ranges[i].start <= ranges[i].end)
              satisfiable = TRUE;
          soup_message_headers_free_ranges (request_headers, ranges);
        }
      else
        {
          /* RFC 9110: a Range that does not parse is ignored, the whole is sent. */
          soup_message_headers_remove (request_headers, "Range");
          satisfiable = TRUE;
        }
      if (!satisfiable)
        {
          g_autofree char *content_range = g_strdup_printf ("bytes */%" G_GOFFSET_FORMAT, size);

          soup_message_headers_replace (headers, "Content-Range", content_range);
          soup_server_message_set_status (msg, 416, NULL);
          return;
        }
    }

  /* The whole body at once, mapped from disk: libsoup answers Range requests (206, 416)
   * from it without a copy. */
  soup_message_headers_set_content_type (headers, "application/pdf", NULL);
  soup_message_body_append_bytes (soup_server_message_get_response_body (msg), bytes);
  soup_server_message_set_status (msg, 200, NULL);
}

/* Routing */

static gboolean
segment_is_id (const char *segment)
{
  return segment != NULL && docket_protocol_id_is_valid (segment);
}

static void
handle_request (SoupServer        *soup,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  DocketServer *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketServerUser) user = NULL;
  g_auto(GStrv) segments = NULL;
  const char *method = soup_server_message_get_method (msg);
  guint n;

  if (!g_str_has_prefix (path, DOCKET_API_PREFIX "/"))
    goto not_found;
  segments = g_strsplit (path + strlen (DOCKET_API_PREFIX "/"), "/", -1);
  n = g_strv_length (segments);

  if (n == 1 && g_str_equal (segments[0], "info"))
    {
      if (g_str_equal (method, "GET") || g_str_equal (method, "HEAD"))
        handle_info (self, msg);
      else
        docket_server_reply_method_not_allowed (msg, "GET");
      return;
    }
  if (n == 1 && g_str_equal (segments[0], "session"))
    {
      handle_session (self, msg, method);
      return;
    }

  /* Everything else needs a signed-in user; an unknown path still answers 404 first. */
  if (!(n == 1 && (g_str_equal (segments[0], "changes") ||
                   g_str_equal (segments[0], "users") ||
                   g_str_equal (segments[0], "meetings"))) &&
      !(n >= 2 && n <= 4 && segment_is_id (segments[1]) &&
        (g_str_equal (segments[0], "meetings") ||
         g_str_equal (segments[0], "items") ||
         g_str_equal (segments[0], "documents"))) &&
      !docket_server_annotate_handles (segments))
    goto not_found;

  user = authenticate (self, msg, &error);
  if (user == NULL)
    {
      docket_server_reply_gerror (msg, error);
      return;
    }

  if (n == 1 && g_str_equal (segments[0], "changes"))
    {
      if (g_str_equal (method, "GET"))
        handle_changes (self, msg, user, query);
      else
        docket_server_reply_method_not_allowed (msg, "GET");
      return;
    }
  if (n == 3 && g_str_equal (segments[0], "documents") && g_str_equal (segments[2], "content"))
    {
      if (g_str_equal (method, "GET") || g_str_equal (method, "HEAD"))
        handle_content (self, msg, user, segments[1]);
      else
        docket_server_reply_method_not_allowed (msg, "GET");
      return;
    }

  if (docket_server_annotate_handles (segments))
    {
      docket_server_annotate_route (self, msg, user, segments, query);
      return;
    }

  docket_server_manage_route (self, msg, user, segments, query);
  return;

not_found:
  docket_server_reply_error (msg, 404, DOCKET_ERR_NOT_FOUND, _("No such path"));
}

/* A refused body: the response is written on the connection taken from libsoup, which
 * would otherwise read the whole body into memory first. The rest of what the client
 * sends is read and dropped (up to a bound) before closing, so that it gets the answer
 * rather than a connection reset. */
typedef struct {
  GIOStream *stream;
  guint8     buffer[16384];
  gsize      drained;
  guint      timeout_id;
} Refusal;

static void
refusal_finish (Refusal *refusal)
{
  g_clear_handle_id (&refusal->timeout_id, g_source_remove);
  g_io_stream_close (refusal->stream, NULL, NULL);
  g_object_unref (refusal->stream);
  g_free (refusal);
}

static void refusal_read (Refusal *refusal);

static void
refusal_read_done (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Refusal *refusal = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (n <= 0 || refusal->timeout_id == 0 || (refusal->drained += (gsize) n) > 8 * 1024 * 1024)
    refusal_finish (refusal);
  else
    refusal_read (refusal);
}

static void
refusal_read (Refusal *refusal)
{
  g_input_stream_read_async (g_io_stream_get_input_stream (refusal->stream),
                             refusal->buffer, sizeof refusal->buffer, G_PRIORITY_LOW,
                             NULL, refusal_read_done, refusal);
}

static gboolean
refusal_timeout (gpointer user_data)
{
  Refusal *refusal = user_data;

  /* The pending read ends when the stream closes, and frees the refusal then. */
  refusal->timeout_id = 0;
  g_io_stream_close (refusal->stream, NULL, NULL);
  return G_SOURCE_REMOVE;
}

static void
refuse_on_connection (SoupServerMessage *msg,
                      const char        *message)
{
  g_autoptr(JsonNode) node = docket_protocol_error_to_json (DOCKET_ERR_TOO_LARGE, message);
  g_autofree char *json = json_to_string (node, FALSE);
  g_autofree char *response = NULL;
  GUri *uri = soup_server_message_get_uri (msg);
  Refusal *refusal;
  GSocket *socket;

  response = g_strdup_printf ("HTTP/1.1 413 Payload Too Large\r\n"
                              "Content-Type: application/json\r\n"
                              "Content-Length: %zu\r\n"
                              "Connection: close\r\n\r\n%s", strlen (json), json);
  g_printerr ("request %s %s 413 %zu 0ms\n", soup_server_message_get_method (msg),
              uri ? g_uri_get_path (uri) : "-", strlen (json));

  refusal = g_new0 (Refusal, 1);
  refusal->stream = soup_server_message_steal_connection (msg);
  if (!g_output_stream_write_all (g_io_stream_get_output_stream (refusal->stream),
                                  response, strlen (response), NULL, NULL, NULL))
    {
      refusal_finish (refusal);
      return;
    }
  socket = G_IS_SOCKET_CONNECTION (refusal->stream)
           ? g_socket_connection_get_socket (G_SOCKET_CONNECTION (refusal->stream)) : NULL;
  if (socket != NULL)
    g_socket_shutdown (socket, FALSE, TRUE, NULL);
  refusal->timeout_id = g_timeout_add_seconds (2, refusal_timeout, refusal);
  refusal_read (refusal);
}

/* Refuses a body over its limit from the request's headers, before it is read. */
static void
handle_request_early (SoupServer        *soup,
                      SoupServerMessage *msg,
                      const char        *path,
                      GHashTable        *query,
                      gpointer           user_data)
{
  DocketServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  gboolean upload = g_str_equal (soup_server_message_get_method (msg), "POST") &&
                    g_str_has_prefix (path, DOCKET_API_PREFIX "/items/") &&
                    g_str_has_suffix (path, "/documents");
  gint64 limit = upload ? self->max_upload_bytes : DOCKET_MAX_JSON_REQUEST_BYTES;
  SoupEncoding encoding = soup_message_headers_get_encoding (headers);
  const char *message;

  if (encoding == SOUP_ENCODING_NONE ||
      (encoding == SOUP_ENCODING_CONTENT_LENGTH &&
       soup_message_headers_get_content_length (headers) <= limit))
    return;

  /* A body of unknown length (chunked) could grow without bound: refuse it too. */
  message = encoding == SOUP_ENCODING_CONTENT_LENGTH
            ? _("The body is larger than this server accepts")
            : _("A body needs a Content-Length");

  if (soup_message_headers_get_expectations (headers) & SOUP_EXPECTATION_CONTINUE)
    {
      /* The client waits for "100 Continue": answering now, it never sends the body. */
      docket_server_reply_error (msg, 413, DOCKET_ERR_TOO_LARGE, message);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Connection", "close");
      return;
    }
  refuse_on_connection (msg, message);
}

/* The request log: one line per request on standard error. */

static void
on_request_started (SoupServer        *soup,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  g_object_set_qdata (G_OBJECT (msg), started_quark,
                      GSIZE_TO_POINTER ((gsize) g_get_monotonic_time ()));
}

static void
on_request_done (SoupServer        *soup,
                 SoupServerMessage *msg,
                 gpointer           user_data)
{
  gint64 started = (gint64) GPOINTER_TO_SIZE (g_object_get_qdata (G_OBJECT (msg), started_quark));
  GUri *uri = soup_server_message_get_uri (msg);
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  gint64 us = g_get_monotonic_time () - started;

  /* Milliseconds with three decimals (an unchanged feed answers in well under one),
   * whatever the locale's decimal sign. */
  g_printerr ("request %s %s %u %" G_GINT64_FORMAT " %" G_GINT64_FORMAT ".%03dms\n",
              soup_server_message_get_method (msg),
              uri ? g_uri_get_path (uri) : "-",
              soup_server_message_get_status (msg),
              body ? body->length : 0,
              us / 1000, (int) (us % 1000));
}

/* Garbage collection: off the request path, in a worker with its own connection. */

static void
on_gc_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(DocketServer) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  DocketServerGcResult gc;

  self->gc_running = FALSE;
  if (!docket_server_gc_run_finish (result, &gc, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_printerr ("gc failed: %s\n", error->message);
      return;
    }
  line = docket_server_gc_result_describe (&gc);
  g_printerr ("gc %s\n", line);
}

static gboolean
gc_tick (gpointer user_data)
{
  DocketServer *self = user_data;

  /* A run still at work (a huge folder, a slow disk) is not doubled. */
  if (!self->gc_running)
    {
      self->gc_running = TRUE;
      docket_server_gc_run_async (self->db, self->blobs, &self->gc_policy,
                                  self->gc_cancellable, on_gc_done, g_object_ref (self));
    }
  return G_SOURCE_CONTINUE;
}

void
docket_server_start_gc (DocketServer               *self,
                        const DocketServerGcPolicy *policy,
                        guint                       interval_seconds)
{
  g_return_if_fail (DOCKET_IS_SERVER (self));
  g_return_if_fail (self->gc_source == 0);
  g_return_if_fail (interval_seconds > 0);

  self->gc_policy = *policy;
  g_clear_object (&self->gc_cancellable);
  self->gc_cancellable = g_cancellable_new ();
  gc_tick (self);
  self->gc_source = g_timeout_add_seconds (interval_seconds, gc_tick, self);
}

void
docket_server_stop_gc (DocketServer *self)
{
  g_return_if_fail (DOCKET_IS_SERVER (self));

  g_clear_handle_id (&self->gc_source, g_source_remove);
  if (self->gc_cancellable != NULL)
    g_cancellable_cancel (self->gc_cancellable);
  while (self->gc_running)
    g_main_context_iteration (NULL, TRUE);
  g_clear_object (&self->gc_cancellable);
}

/* GObject */

static void
docket_server_constructed (GObject *object)
{
  DocketServer *self = DOCKET_SERVER (object);

  G_OBJECT_CLASS (docket_server_parent_class)->constructed (object);

  self->soup = soup_server_new ("server-header", "docket-server/" PACKAGE_VERSION " ", NULL);
  soup_server_add_handler (self->soup, NULL, handle_request, self, NULL);
  soup_server_add_early_handler (self->soup, NULL, handle_request_early, self, NULL);
  g_signal_connect (self->soup, "request-started", G_CALLBACK (on_request_started), self);
  g_signal_connect (self->soup, "request-finished", G_CALLBACK (on_request_done), self);
  g_signal_connect (self->soup, "request-aborted", G_CALLBACK (on_request_done), self);
}

static void
docket_server_dispose (GObject *object)
{
  DocketServer *self = DOCKET_SERVER (object);

  /* A run holds a reference to self until it ends: none is under way here. */
  g_clear_handle_id (&self->gc_source, g_source_remove);
  g_clear_object (&self->gc_cancellable);
  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);
  g_clear_object (&self->db);
  g_clear_object (&self->blobs);
  g_clear_object (&self->limiter);

  G_OBJECT_CLASS (docket_server_parent_class)->dispose (object);
}

static void
docket_server_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  DocketServer *self = DOCKET_SERVER (object);

  switch (prop_id)
    {
    case PROP_DB:
      g_value_set_object (value, self->db);
      break;
    case PROP_BLOBS:
      g_value_set_object (value, self->blobs);
      break;
    case PROP_MAX_UPLOAD_BYTES:
      g_value_set_int64 (value, self->max_upload_bytes);
      break;
    case PROP_TOKEN_TTL:
      g_value_set_int64 (value, self->token_ttl);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_server_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  DocketServer *self = DOCKET_SERVER (object);

  switch (prop_id)
    {
    case PROP_DB:
      self->db = g_value_dup_object (value);
      break;
    case PROP_BLOBS:
      self->blobs = g_value_dup_object (value);
      break;
    case PROP_MAX_UPLOAD_BYTES:
      self->max_upload_bytes = g_value_get_int64 (value);
      break;
    case PROP_TOKEN_TTL:
      self->token_ttl = g_value_get_int64 (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_server_class_init (DocketServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = docket_server_constructed;
  object_class->dispose = docket_server_dispose;
  object_class->get_property = docket_server_get_property;
  object_class->set_property = docket_server_set_property;

  properties[PROP_DB] =
    g_param_spec_object ("db", NULL, NULL, DOCKET_SERVER_TYPE_DB,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BLOBS] =
    g_param_spec_object ("blobs", NULL, NULL, DOCKET_SERVER_TYPE_BLOBS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_UPLOAD_BYTES] =
    g_param_spec_int64 ("max-upload-bytes", NULL, NULL, 1, DOCKET_MAX_DOCUMENT_BYTES,
                        DOCKET_SERVER_DEFAULT_MAX_UPLOAD_BYTES,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOKEN_TTL] =
    g_param_spec_int64 ("token-ttl", NULL, NULL, 1, G_MAXINT32,
                        DOCKET_SERVER_DEFAULT_TOKEN_TTL,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  started_quark = g_quark_from_static_string ("docket-server-request-started");
}

static void
docket_server_init (DocketServer *self)
{
  self->limiter = docket_server_rate_limiter_new ();
}

DocketServer *
docket_server_new (DocketServerDb    *db,
                   DocketServerBlobs *blobs,
                   gint64             max_upload_bytes,
                   gint64             token_ttl)
{
  return g_object_new (DOCKET_TYPE_SERVER,
                       "db", db,
                       "blobs", blobs,
                       "max-upload-bytes", max_upload_bytes,
                       "token-ttl", token_ttl,
                       NULL);
}

char *
docket_server_listen (DocketServer     *self,
                      const char       *host,
                      guint             port,
                      GTlsCertificate  *tls_certificate,
                      GError          **error)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoslist(GUri) uris = NULL;
  SoupServerListenOptions options = 0;

  address = g_inet_address_new_from_string (g_str_equal (host, "localhost") ? "127.0.0.1" : host);
  if (address == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Not an IP address: %s"), host);
      return NULL;
    }
  if (tls_certificate != NULL)
    {
      g_object_set (self->soup, "tls-certificate", tls_certificate, NULL);
      options |= SOUP_SERVER_LISTEN_HTTPS;
    }
  socket_address = g_inet_socket_address_new (address, (guint16) port);
  if (!soup_server_listen (self->soup, socket_address, options, error))
    return NULL;

  uris = soup_server_get_uris (self->soup);
  if (uris == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Not listening"));
      return NULL;
    }
  return g_strdup_printf ("%s://%s%s%s:%d", g_uri_get_scheme (uris->data),
                          g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6 ? "[" : "",
                          host,
                          g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6 ? "]" : "",
                          g_uri_get_port (uris->data));
}
