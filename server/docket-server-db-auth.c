/* docket-server-db-auth.c: users and their tokens in the database, for
 * docket-server-routes-auth.c and the command line (docket-server-cli.c)
 *
 * Only the SHA-256 of a token is stored; a password only as its Argon2id hash.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "docket-server-db-private.h"

void
docket_server_user_free (DocketServerUser *user)
{
  if (user == NULL)
    return;
  g_free (user->username);
  g_free (user->display_name);
  g_free (user->organ);
  g_free (user->password_hash);
  g_free (user);
}

DocketServerUser *
docket_server_user_copy (const DocketServerUser *user)
{
  DocketServerUser *copy = g_new0 (DocketServerUser, 1);

  copy->id = user->id;
  copy->username = g_strdup (user->username);
  copy->display_name = g_strdup (user->display_name);
  copy->role = user->role;
  copy->organ = g_strdup (user->organ);
  copy->password_hash = g_strdup (user->password_hash);
  copy->disabled = user->disabled;
  return copy;
}

/* Users */

#define USER_COLUMNS "id, username, display_name, role, organ, password_hash, disabled"

static gpointer
user_from_row (sqlite3_stmt  *stmt,
               gpointer       unused,
               GError       **error)
{
  DocketServerUser *user = g_new0 (DocketServerUser, 1);

  user->id = sqlite3_column_int64 (stmt, 0);
  user->username = docket_sqlite_column_dup (stmt, 1);
  user->display_name = docket_sqlite_column_dup (stmt, 2);
  if (!docket_role_from_string ((const char *) sqlite3_column_text (stmt, 3), &user->role))
    user->role = DOCKET_ROLE_OFFICIAL;
  user->organ = docket_sqlite_column_dup (stmt, 4);
  user->password_hash = docket_sqlite_column_dup (stmt, 5);
  user->disabled = sqlite3_column_int (stmt, 6) != 0;
  return user;
}

static void
set_no_such_user (const char  *username,
                  GError     **error)
{
  g_set_error (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_NOT_FOUND,
               _("No user is named %s"), username);
}

gboolean
docket_server_db_add_user (DocketServerDb  *self,
                           const char      *username,
                           const char      *display_name,
                           DocketRole       role,
                           const char      *organ,
                           const char      *password_hash,
                           GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  stmt = docket_server_db_prepare_with (self,
                                        "INSERT INTO users (username, display_name, role, organ,"
                                        " password_hash) VALUES (?, ?, ?, ?, ?)", error,
                                        DOCKET_SERVER_DB_TEXT (username),
                                        DOCKET_SERVER_DB_TEXT (display_name),
                                        DOCKET_SERVER_DB_TEXT (docket_role_to_string (role)),
                                        DOCKET_SERVER_DB_TEXT (organ ? organ : ""),
                                        DOCKET_SERVER_DB_TEXT (password_hash));
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_CONSTRAINT)
    {
      g_set_error (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_EXISTS,
                   _("The user %s already exists"), username);
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    return docket_sqlite_set_error (error, docket_server_db_get_handle (self), rc,
                                    "INSERT INTO users");
  return TRUE;
}

DocketServerUser *
docket_server_db_find_user (DocketServerDb  *self,
                            const char      *username,
                            GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) local_error = NULL;
  DocketServerUser *user;

  stmt = docket_server_db_prepare_with (self,
                                        "SELECT " USER_COLUMNS " FROM users WHERE username = ?",
                                        error, DOCKET_SERVER_DB_TEXT (username));
  if (stmt == NULL)
    return NULL;
  user = docket_server_db_read_row (stmt, user_from_row, &local_error);
  if (g_error_matches (local_error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_NOT_FOUND))
    set_no_such_user (username, error);
  else if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return user;
}

GPtrArray *
docket_server_db_list_users (DocketServerDb  *self,
                             GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = docket_server_db_prepare (self,
                                   "SELECT " USER_COLUMNS " FROM users ORDER BY username",
                                   error);
  return docket_sqlite_collect_rows (stmt, user_from_row, NULL,
                                     (GDestroyNotify) docket_server_user_free, error);
}

/* Runs sql with username as ?1 (and value, if not NULL, as ?2); no row changed is
 * NOT_FOUND. */
static gboolean
update_user (DocketServerDb  *self,
             const char      *sql,
             const char      *username,
             const char      *value,
             GError         **error)
{
  gboolean ok;

  if (value != NULL)
    ok = docket_server_db_run (self, sql, error, DOCKET_SERVER_DB_TEXT (username),
                               DOCKET_SERVER_DB_TEXT (value));
  else
    ok = docket_server_db_run (self, sql, error, DOCKET_SERVER_DB_TEXT (username));
  if (!ok)
    return FALSE;
  if (sqlite3_changes (docket_server_db_get_handle (self)) == 0)
    {
      set_no_such_user (username, error);
      return FALSE;
    }
  return TRUE;
}

/* Every token of username stops working at once. */
static gboolean
revoke_tokens_of (DocketServerDb  *self,
                  const char      *username,
                  GError         **error)
{
  return docket_server_db_run (self,
                               "DELETE FROM tokens WHERE user_id ="
                               " (SELECT id FROM users WHERE username = ?)", error,
                               DOCKET_SERVER_DB_TEXT (username));
}

gboolean
docket_server_db_set_password (DocketServerDb  *self,
                               const char      *username,
                               const char      *password_hash,
                               GError         **error)
{
  if (!docket_server_db_begin (self, error))
    return FALSE;
  /* A new password ends the sessions opened with the old one: it may have leaked. */
  if (!update_user (self, "UPDATE users SET password_hash = ?2 WHERE username = ?1",
                    username, password_hash, error) ||
      !revoke_tokens_of (self, username, error))
    {
      docket_server_db_rollback (self);
      return FALSE;
    }
  return docket_server_db_commit (self, error);
}

gboolean
docket_server_db_disable_user (DocketServerDb  *self,
                               const char      *username,
                               GError         **error)
{
  if (!docket_server_db_begin (self, error))
    return FALSE;
  if (!update_user (self, "UPDATE users SET disabled = 1 WHERE username = ?1",
                    username, NULL, error) ||
      !revoke_tokens_of (self, username, error))
    {
      docket_server_db_rollback (self);
      return FALSE;
    }
  return docket_server_db_commit (self, error);
}

/* Tokens */

gboolean
docket_server_db_add_token (DocketServerDb  *self,
                            const char      *token_hash,
                            gint64           user_id,
                            gint64           expires_at,
                            GError         **error)
{
  return docket_server_db_run (self,
                               "INSERT INTO tokens (hash, user_id, expires_at) VALUES (?, ?, ?)",
                               error, DOCKET_SERVER_DB_TEXT (token_hash),
                               DOCKET_SERVER_DB_INT (user_id), DOCKET_SERVER_DB_INT (expires_at));
}

gboolean
docket_server_db_open_session (DocketServerDb  *self,
                               const char      *token_hash,
                               const DocketServerUser *user,
                               gint64           expires_at,
                               const char      *new_password_hash,
                               GError         **error)
{
  if (!docket_server_db_begin (self, error))
    return FALSE;
  /* Only over the hash the password was checked against: a password changed meanwhile
   * (user passwd) is the administrator's, and stays. */
  if ((new_password_hash != NULL &&
       !docket_server_db_run (self,
                              "UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?",
                              error, DOCKET_SERVER_DB_TEXT (new_password_hash),
                              DOCKET_SERVER_DB_INT (user->id),
                              DOCKET_SERVER_DB_TEXT (user->password_hash))) ||
      !docket_server_db_add_token (self, token_hash, user->id, expires_at, error))
    {
      docket_server_db_rollback (self);
      return FALSE;
    }
  return docket_server_db_commit (self, error);
}

DocketServerUser *
docket_server_db_user_for_token (DocketServerDb  *self,
                                 const char      *token_hash,
                                 gint64           now,
                                 GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = docket_server_db_prepare_with (self,
                                        "SELECT u.id, u.username, u.display_name, u.role, u.organ,"
                                        " u.password_hash, u.disabled FROM tokens t"
                                        " JOIN users u ON u.id = t.user_id"
                                        " WHERE t.hash = ? AND t.expires_at > ? AND u.disabled = 0",
                                        error, DOCKET_SERVER_DB_TEXT (token_hash),
                                        DOCKET_SERVER_DB_INT (now));
  return docket_server_db_read_row_or (stmt, user_from_row, DOCKET_SERVER_ERROR_UNAUTHORIZED,
                      _("The token is unknown, expired or revoked; sign in again"), error);
}

gboolean
docket_server_db_revoke_token (DocketServerDb  *self,
                               const char      *token_hash,
                               GError         **error)
{
  return docket_server_db_run (self, "DELETE FROM tokens WHERE hash = ?", error,
                               DOCKET_SERVER_DB_TEXT (token_hash));
}

gboolean
docket_server_db_prune_expired_tokens (DocketServerDb  *self,
                                       gint64           now,
                                       guint           *out_pruned,
                                       GError         **error)
{
  *out_pruned = 0;
  /* The same test as docket_server_db_user_for_token: what it refuses goes. */
  if (!docket_server_db_run (self, "DELETE FROM tokens WHERE expires_at <= ?", error,
                             DOCKET_SERVER_DB_INT (now)))
    return FALSE;
  *out_pruned = (guint) sqlite3_changes (docket_server_db_get_handle (self));
  return TRUE;
}
