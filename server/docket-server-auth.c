/* docket-server-auth.c: passwords (Argon2id) and bearer tokens */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#include <sodium.h>

#include "docket-server-auth.h"
#include "docket-server-error.h"

gboolean
docket_server_auth_init (GError **error)
{
  if (sodium_init () < 0)
    {
      g_set_error_literal (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_INTERNAL,
                           _("Cannot initialise libsodium"));
      return FALSE;
    }
  return TRUE;
}

char *
docket_server_auth_hash_password (const char  *password,
                                  GError     **error)
{
  char hash[crypto_pwhash_STRBYTES];

  if (crypto_pwhash_str (hash, password, strlen (password),
                         crypto_pwhash_OPSLIMIT_INTERACTIVE,
                         crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    {
      g_set_error_literal (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_INTERNAL,
                           _("Out of memory while hashing the password"));
      return NULL;
    }
  return g_strdup (hash);
}

gboolean
docket_server_auth_check_password (const char *password_hash,
                                   const char *password)
{
  return crypto_pwhash_str_verify (password_hash, password, strlen (password)) == 0;
}

/* A hash of a password nobody knows, to spend the same time on unknown users. */
static const char *
dummy_hash (void)
{
  static char *hash = NULL;
  static gsize initialised = 0;

  if (g_once_init_enter (&initialised))
    {
      guint8 random[32];
      g_autofree char *password = NULL;
      char *value;

      randombytes_buf (random, sizeof random);
      password = g_base64_encode (random, sizeof random);
      value = docket_server_auth_hash_password (password, NULL);
      hash = value ? value : g_strdup ("-");
      g_once_init_leave (&initialised, 1);
    }
  return hash;
}

void
docket_server_auth_prepare (void)
{
  dummy_hash ();
}

typedef struct {
  char *password_hash;
  char *password;
} VerifyData;

static void
verify_data_free (VerifyData *data)
{
  g_free (data->password_hash);
  if (data->password != NULL)
    sodium_memzero (data->password, strlen (data->password));
  g_free (data->password);
  g_free (data);
}

static void
verify_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  VerifyData *data = task_data;
  gboolean ok;

  if (data->password_hash != NULL)
    ok = docket_server_auth_check_password (data->password_hash, data->password);
  else
    {
      docket_server_auth_check_password (dummy_hash (), data->password);
      ok = FALSE;
    }
  g_task_return_boolean (task, ok);
}

void
docket_server_auth_verify_async (DocketServerWorkers *workers,
                                 const char          *password_hash,
                                 const char          *password,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  VerifyData *data = g_new0 (VerifyData, 1);

  data->password_hash = g_strdup (password_hash);
  data->password = g_strdup (password);
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, docket_server_auth_verify_async);
  g_task_set_task_data (task, data, (GDestroyNotify) verify_data_free);
  if (!docket_server_workers_run (workers, task, verify_thread))
    g_task_return_new_error (task, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_BUSY,
                             _("The server is busy checking other passwords; try again in a moment"));
}

gboolean
docket_server_auth_verify_finish (GAsyncResult  *result,
                                  gboolean      *out_matches,
                                  GError       **error)
{
  GError *local_error = NULL;
  gboolean matches = g_task_propagate_boolean (G_TASK (result), &local_error);

  *out_matches = FALSE;
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  *out_matches = matches;
  return TRUE;
}

char *
docket_server_auth_hash_token (const char *token)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}

char *
docket_server_auth_new_token (char **out_token_hash)
{
  guint8 random[32];
  char *token;
  gsize len;

  randombytes_buf (random, sizeof random);
  token = g_base64_encode (random, sizeof random);
  sodium_memzero (random, sizeof random);

  /* base64url without padding */
  len = strlen (token);
  while (len > 0 && token[len - 1] == '=')
    token[--len] = '\0';
  for (char *p = token; *p; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
    }

  *out_token_hash = docket_server_auth_hash_token (token);
  return token;
}
