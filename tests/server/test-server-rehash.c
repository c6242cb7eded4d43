/* test-server-rehash.c: password hashes made with older Argon2id parameters are
 * upgraded at sign-in (docs/protocol.md, "Authentication")
 *
 * The real docket-server with the demo accounts. A user's stored hash is replaced, with
 * SQL on the server's database, by one made as earlier servers made them (libsodium's
 * INTERACTIVE limits: 64 MiB, t = 2); then the user signs in over HTTP, and the test reads
 * what the server stored.
 */
#include "config.h"

#include <string.h>
#include <sodium.h>
#include <json-glib/json-glib.h>

#include "docket-test-util.h"

/* What every hash the server makes today begins with: Argon2id v1.3, 46 MiB, t = 1,
 * p = 1 (server/docket-server-auth.c). */
#define CURRENT_PREFIX "$argon2id$v=19$m=47104,t=1,p=1$"
/* What hashes of earlier servers begin with (libsodium's INTERACTIVE limits). */
#define OLD_PREFIX     "$argon2id$v=19$m=65536,t=2,p=1$"

/* The first official of the demo, and their password. */
static const char *
demo_official (DocketTestServer *server,
               const char      **out_password)
{
  const char * const *usernames = docket_test_server_get_usernames (server);

  for (guint i = 0; usernames[i] != NULL; i++)
    if (g_strcmp0 (docket_test_server_get_role (server, usernames[i]), "official") == 0)
      {
        *out_password = docket_test_server_get_password (server, usernames[i]);
        g_assert_nonnull (*out_password);
        return usernames[i];
      }
  g_assert_not_reached ();
}

static char *
stored_hash (DocketTestServer *server,
             const char       *username)
{
  g_autofree char *sql = g_strdup_printf ("SELECT password_hash FROM users WHERE username = '%s'",
                                          username);
  char *hash = docket_test_server_sql_text (server, sql);

  g_assert_nonnull (hash);
  return hash;
}

/* Stores, for username, password hashed as servers before this one did, and returns
 * that hash. */
static char *
store_old_hash (DocketTestServer *server,
                const char       *username,
                const char       *password)
{
  char hash[crypto_pwhash_STRBYTES];
  g_autofree char *sql = NULL;
  g_autofree char *written = NULL;

  g_assert_cmpint (sodium_init (), >=, 0);
  g_assert_cmpint (crypto_pwhash_str (hash, password, strlen (password),
                                      crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                      crypto_pwhash_MEMLIMIT_INTERACTIVE), ==, 0);
  g_assert_true (g_str_has_prefix (hash, OLD_PREFIX));
  /* The hash's alphabet (base64, '$', ',', '=') needs no quoting in SQL. */
  g_assert_null (strchr (hash, '\''));
  sql = g_strdup_printf ("UPDATE users SET password_hash = '%s' WHERE username = '%s'"
                         " RETURNING password_hash", hash, username);
  written = docket_test_server_sql_text (server, sql);
  g_assert_cmpstr (written, ==, hash);
  return g_strdup (hash);
}

/* POST /session; the status. */
static guint
sign_in_status (DocketTestServer *server,
                const char       *username,
                const char       *password)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autofree char *url = g_strconcat (docket_test_server_get_url (server), "/api/v1/session", NULL);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) answer = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "username");
  json_builder_add_string_value (builder, username);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);
  body = g_bytes_new (text, strlen (text));
  return docket_test_http ("POST", url, NULL, "application/json", body, &answer);
}

/* The accounts the server makes (seed-demo, user add) get today's parameters. */
static void
test_new_hashes_current (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  const char *password = NULL;
  const char *username = demo_official (server, &password);
  g_autofree char *hash = stored_hash (server, username);

  g_assert_true (g_str_has_prefix (hash, CURRENT_PREFIX));
  g_assert_cmpint (crypto_pwhash_str_verify (hash, password, strlen (password)), ==, 0);
  docket_test_server_stop (server);
}

/* A successful sign-in over an old hash stores a new one, which the password still
 * opens; the next sign-in keeps it. */
static void
test_old_hash_upgraded (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  const char *password = NULL;
  const char *username = demo_official (server, &password);
  g_autofree char *old_hash = store_old_hash (server, username, password);
  g_autofree char *new_hash = NULL;
  g_autofree char *after_second = NULL;
  g_autofree char *token = NULL;

  g_assert_cmpuint (sign_in_status (server, username, password), ==, 201);

  /* Stored before the answer was sent: in the same transaction as the token. */
  new_hash = stored_hash (server, username);
  g_test_message ("old %s, new %s", old_hash, new_hash);
  g_assert_cmpstr (new_hash, !=, old_hash);
  g_assert_true (g_str_has_prefix (new_hash, CURRENT_PREFIX));
  g_assert_cmpint (crypto_pwhash_str_verify (new_hash, password, strlen (password)), ==, 0);

  /* The server opens it too, and has nothing more to upgrade. */
  token = docket_test_sign_in (server, username, password);
  after_second = stored_hash (server, username);
  g_assert_cmpstr (after_second, ==, new_hash);
  docket_test_server_stop (server);
}

/* A wrong password over an old hash is refused and changes nothing stored; the right
 * one still upgrades it afterwards. */
static void
test_wrong_password_keeps_hash (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  const char *password = NULL;
  const char *username = demo_official (server, &password);
  g_autofree char *old_hash = store_old_hash (server, username, password);
  g_autofree char *wrong = g_strconcat (password, "x", NULL);
  g_autofree char *after_wrong = NULL;
  g_autofree char *after_right = NULL;

  g_assert_cmpuint (sign_in_status (server, username, wrong), ==, 401);
  after_wrong = stored_hash (server, username);
  g_assert_cmpstr (after_wrong, ==, old_hash);

  g_assert_cmpuint (sign_in_status (server, username, password), ==, 201);
  after_right = stored_hash (server, username);
  g_assert_true (g_str_has_prefix (after_right, CURRENT_PREFIX));
  docket_test_server_stop (server);
}

/* A disabled user's right password is refused and does not upgrade their hash: only a
 * sign-in that opens a session writes. */
static void
test_disabled_user_keeps_hash (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  const char *password = NULL;
  const char *username = demo_official (server, &password);
  g_autofree char *old_hash = NULL;
  g_autofree char *after = NULL;

  g_assert_cmpint (docket_test_server_admin (server, NULL, NULL, "user", "disable",
                                             username, NULL), ==, 0);
  old_hash = store_old_hash (server, username, password);
  g_assert_cmpuint (sign_in_status (server, username, password), ==, 401);
  after = stored_hash (server, username);
  g_assert_cmpstr (after, ==, old_hash);
  docket_test_server_stop (server);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server-rehash/new-hashes-current", test_new_hashes_current);
  g_test_add_func ("/server-rehash/old-hash-upgraded", test_old_hash_upgraded);
  g_test_add_func ("/server-rehash/wrong-password-keeps-hash", test_wrong_password_keeps_hash);
  g_test_add_func ("/server-rehash/disabled-user-keeps-hash", test_disabled_user_keeps_hash);

  return g_test_run ();
}
