/* docket-server-routes-auth.c: sessions and users — sign-in, the signed-in user,
 * sign-out, the list of users (docs/protocol.md, "Authentication"), over
 * docket-server-db-auth.c
 *
 * A password is checked in a pool of worker threads (Argon2id takes 46 MiB and ~25 ms
 * each), the message paused meanwhile; failed sign-ins are limited per user name and
 * address, and per address, before any check. A password whose hash has older
 * parameters is hashed again in the pool, and stored with the new token.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "docket-protocol.h"
#include "docket-server-auth.h"
#include "docket-server-routes.h"

/* {"username", "display_name", "role", "organ"} and, with with_disabled, "disabled". */
static JsonNode *
user_to_json (const DocketServerUser *user,
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

/* POST /session */

typedef struct {
  DocketServer      *self;
  SoupServerMessage *msg;
  DocketServerUser  *user;       /* NULL for an unknown user name */
  char              *pair_key;   /* "ADDRESS\nUSERNAME" */
  char              *address;
} SignIn;

static void
sign_in_free (SignIn *sign_in)
{
  g_object_unref (sign_in->self);
  g_object_unref (sign_in->msg);
  g_clear_pointer (&sign_in->user, docket_server_user_free);
  g_free (sign_in->pair_key);
  g_free (sign_in->address);
  g_free (sign_in);
}

static void
reply_token (DocketServer      *self,
             SoupServerMessage *msg,
             DocketServerUser  *user,
             const char        *new_password_hash)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GDateTime) expires = NULL;
  g_autofree char *token_hash = NULL;
  g_autofree char *token = docket_server_auth_new_token (&token_hash);
  g_autofree char *expires_text = NULL;
  gint64 expires_at = g_get_real_time () / G_USEC_PER_SEC + docket_server_get_token_ttl (self);

  if (!docket_server_db_open_session (docket_server_get_db (self), token_hash, user,
                                      expires_at, new_password_hash, &error))
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
  json_builder_add_value (builder, user_to_json (user, FALSE));
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
  DocketServerRateLimiter *pair_limiter = docket_server_get_pair_limiter (self);
  DocketServerRateLimiter *address_limiter = docket_server_get_address_limiter (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *new_password_hash = NULL;
  gboolean matches;

  if (!docket_server_auth_verify_finish (result, &matches, &new_password_hash, &error))
    {
      /* Never checked: it was no attempt. */
      docket_server_rate_limiter_give_back (pair_limiter, sign_in->pair_key);
      docket_server_rate_limiter_give_back (address_limiter, sign_in->address);
      docket_server_reply_gerror (sign_in->msg, error);
    }
  else if (matches && sign_in->user != NULL && !sign_in->user->disabled)
    {
      /* The address keeps its failures: an account of one's own must not reset the
       * count of a password tried on the others. */
      docket_server_rate_limiter_give_back (pair_limiter, sign_in->pair_key);
      docket_server_rate_limiter_forget (pair_limiter, sign_in->pair_key);
      docket_server_rate_limiter_give_back (address_limiter, sign_in->address);
      reply_token (self, sign_in->msg, sign_in->user, new_password_hash);
    }
  else
    {
      gint64 now = g_get_monotonic_time () / G_USEC_PER_SEC;

      docket_server_rate_limiter_add_failure (pair_limiter, sign_in->pair_key, now);
      docket_server_rate_limiter_add_failure (address_limiter, sign_in->address, now);
      docket_server_reply_error (sign_in->msg, 401, DOCKET_ERR_INVALID_CREDENTIALS,
                                 _("Wrong user name or password"));
    }
  soup_server_message_unpause (sign_in->msg);
  sign_in_free (sign_in);
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

/* An IPv4 address written as IPv6 (::ffff:a.b.c.d, from a dual-stack socket) as the
 * IPv4 address it is, so that ranges and limits see one address one way. */
static GInetAddress *
unmapped_address (GInetAddress *address)
{
  static const guint8 mapped_prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
  const guint8 *bytes = g_inet_address_to_bytes (address);

  /* (g_inet_address_get_is_ipv4_mapped () is GLib 2.76.) */
  if (g_inet_address_get_family (address) != G_SOCKET_FAMILY_IPV6 ||
      memcmp (bytes, mapped_prefix, sizeof mapped_prefix) != 0)
    return g_object_ref (address);
  return g_inet_address_new_from_bytes (bytes + 12, G_SOCKET_FAMILY_IPV4);
}

/* What the sign-in limits count an address as: an IPv4 address itself; an IPv6 address
 * by its /64, written "PREFIX::/64", because a single client (an attacker too) is given a
 * whole /64 and may take a new address of it for every attempt. */
static char *
limit_key (GInetAddress *address)
{
  g_autoptr(GInetAddress) plain = unmapped_address (address);
  g_autoptr(GInetAddress) prefix = NULL;
  g_autofree char *text = NULL;
  guint8 bytes[16];

  if (g_inet_address_get_family (plain) != G_SOCKET_FAMILY_IPV6)
    return g_inet_address_to_string (plain);
  memcpy (bytes, g_inet_address_to_bytes (plain), sizeof bytes);
  memset (bytes + 8, 0, 8);
  prefix = g_inet_address_new_from_bytes (bytes, G_SOCKET_FAMILY_IPV6);
  text = g_inet_address_to_string (prefix);
  return g_strconcat (text, "/64", NULL);
}

/* The client's address: the peer's, unless the peer is a trusted proxy; then the
 * right-most address of X-Forwarded-For that is not a trusted proxy itself (what the
 * nearest proxy saw; what is left of it, the client may have written). */
static gboolean
is_trusted_proxy (GPtrArray    *trusted_proxies,
                  GInetAddress *address)
{
  g_autoptr(GInetAddress) plain = unmapped_address (address);

  for (guint i = 0; i < trusted_proxies->len; i++)
    if (g_inet_address_mask_matches (g_ptr_array_index (trusted_proxies, i), plain))
      return TRUE;
  return FALSE;
}

static GInetAddress *
client_inet_address (DocketServer      *self,
                     SoupServerMessage *msg)
{
  GPtrArray *trusted_proxies = docket_server_get_trusted_proxies (self);
  GSocketAddress *peer = soup_server_message_get_remote_address (msg);
  GInetAddress *peer_address;
  const char *forwarded;
  g_auto(GStrv) hops = NULL;
  g_autoptr(GInetAddress) leftmost = NULL;

  if (!G_IS_INET_SOCKET_ADDRESS (peer))
    return NULL;
  peer_address = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (peer));
  if (trusted_proxies->len == 0 || !is_trusted_proxy (trusted_proxies, peer_address))
    return g_object_ref (peer_address);

  forwarded = soup_message_headers_get_list (soup_server_message_get_request_headers (msg),
                                             "X-Forwarded-For");
  if (forwarded == NULL)
    return g_object_ref (peer_address);
  hops = g_strsplit (forwarded, ",", -1);
  for (guint i = g_strv_length (hops); i > 0; i--)
    {
      g_autoptr(GInetAddress) hop = g_inet_address_new_from_string (g_strstrip (hops[i - 1]));

      /* Not an address where a trusted proxy writes: the proxy does not append what it
       * saw, and nothing in the header can be believed. */
      if (hop == NULL)
        return g_object_ref (peer_address);
      g_set_object (&leftmost, hop);
      if (!is_trusted_proxy (trusted_proxies, hop))
        return g_steal_pointer (&leftmost);
    }
  /* Only trusted proxies: the first of them is the client. */
  return leftmost ? g_steal_pointer (&leftmost) : g_object_ref (peer_address);
}

/* The client's address as the limits count it (limit_key), "" without one. */
static char *
client_address (DocketServer      *self,
                SoupServerMessage *msg)
{
  g_autoptr(GInetAddress) address = client_inet_address (self, msg);

  return address != NULL ? limit_key (address) : g_strdup ("");
}

/* POST /session */
void
docket_server_handle_sign_in (DocketServerRequest *request)
{
  DocketServer *self = request->server;
  SoupServerMessage *msg = request->msg;
  DocketServerRateLimiter *pair_limiter = docket_server_get_pair_limiter (self);
  DocketServerRateLimiter *address_limiter = docket_server_get_address_limiter (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(DocketServerUser) user = NULL;
  g_autofree char *address = NULL;
  g_autofree char *pair_key = NULL;
  const char *username, *password;
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
      !docket_protocol_text_is_valid (password, DOCKET_MAX_PASSWORD_BYTES))
    {
      docket_server_reply_error (msg, 400, DOCKET_ERR_INVALID_FIELD,
                                 _("username or password: too long or not valid text"));
      return;
    }

  /* Locked per user name and address together: nobody elsewhere can lock an official
   * out, and the users behind one address do not lock each other out. */
  address = client_address (self, msg);
  pair_key = g_strconcat (address, "\n", username, NULL);
  wait = MAX (docket_server_rate_limiter_check (pair_limiter, pair_key, now),
              docket_server_rate_limiter_check (address_limiter, address, now));
  if (wait > 0)
    {
      g_autofree char *seconds = g_strdup_printf ("%" G_GINT64_FORMAT, wait);

      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", seconds);
      docket_server_reply_error (msg, 429, DOCKET_ERR_TOO_MANY_ATTEMPTS,
                                 _("Too many failed sign-ins; try again later"));
      return;
    }

  user = docket_server_db_find_user (docket_server_get_db (self), username, &error);
  if (user == NULL &&
      !g_error_matches (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_NOT_FOUND))
    {
      docket_server_reply_gerror (msg, error);
      return;
    }

  /* Counted now, before the check: parallel attempts see each other. */
  docket_server_rate_limiter_reserve (pair_limiter, pair_key);
  docket_server_rate_limiter_reserve (address_limiter, address);

  sign_in = g_new0 (SignIn, 1);
  sign_in->self = g_object_ref (self);
  sign_in->msg = g_object_ref (msg);
  sign_in->user = g_steal_pointer (&user);
  sign_in->pair_key = g_steal_pointer (&pair_key);
  sign_in->address = g_steal_pointer (&address);

  /* An unknown user costs a hash too, so that the answer does not tell. */
  soup_server_message_pause (msg);
  docket_server_auth_verify_async (docket_server_get_password_workers (self),
                                   sign_in->user ? sign_in->user->password_hash : NULL,
                                   password, NULL, sign_in_verified, sign_in);
}

/* GET /session */
void
docket_server_handle_session (DocketServerRequest *request)
{
  g_autoptr(JsonNode) node = user_to_json (request->user, FALSE);

  docket_server_reply_json (request->msg, 200, node);
}

/* DELETE /session: the token of this request stops working. */
void
docket_server_handle_sign_out (DocketServerRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = docket_server_request_token_hash (request->msg);

  if (!docket_server_db_revoke_token (docket_server_get_db (request->server), hash, &error))
    docket_server_reply_gerror (request->msg, error);
  else
    soup_server_message_set_status (request->msg, 204, NULL);
}

/* GET /users: for secretaries, who may be made a participant */
void
docket_server_handle_list_users (DocketServerRequest *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  users = docket_server_db_list_users (docket_server_get_db (request->server), &error);
  if (users == NULL)
    {
      docket_server_reply_gerror (request->msg, error);
      return;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "users");
  json_builder_begin_array (builder);
  for (guint i = 0; i < users->len; i++)
    json_builder_add_value (builder, user_to_json (g_ptr_array_index (users, i), TRUE));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  docket_server_reply_json (request->msg, 200, root);
}
