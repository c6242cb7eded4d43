/* docket-server-auth.c: passwords (Argon2id) and bearer tokens */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#include <sodium.h>

#include "docket-server-auth.h"
#include "docket-server-error.h"

/* Argon2id's cost for every new hash, here and nowhere else: the parameters OWASP's
 * Password Storage Cheat Sheet lists first for Argon2id, m = 46 MiB (47104 KiB), t = 1,
 * p = 1 (libsodium's Argon2id always runs one lane). OWASP rates its listed settings
 * equal in strength; this one takes about a third of the time of libsodium's
 * INTERACTIVE limits (64 MiB, t = 2), which alone cost ~65 ms per sign-in and kept a
 * sign-in under load from answering in 50 ms (issue 9, bench/feed). A hash made with
 * other parameters still verifies (they are written in it) and is re-hashed with these
 * at its user's next successful sign-in (docket_server_auth_verify_finish). */
#define PASSWORD_OPSLIMIT 1
#define PASSWORD_MEMLIMIT ((size_t) 47104 * 1024)

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

  if (crypto_pwhash_str_alg (hash, password, strlen (password),
                             PASSWORD_OPSLIMIT, PASSWORD_MEMLIMIT,
                             crypto_pwhash_ALG_ARGON2ID13) != 0)
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

gboolean
docket_server_auth_hash_is_current (const char *password_hash)
{
  /* -1 (not a hash libsodium reads) counts as not current too. */
  return crypto_pwhash_str_needs_rehash (password_hash, PASSWORD_OPSLIMIT,
                                         PASSWORD_MEMLIMIT) == 0;
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
  char *new_hash;       /* out: the password hashed again with today's parameters */
} VerifyData;

static void
verify_data_free (VerifyData *data)
{
  g_free (data->password_hash);
  g_free (data->new_hash);
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
    {
      ok = docket_server_auth_check_password (data->password_hash, data->password);
      /* Here, in the pool, not on the main loop: a hash is the slow part of a sign-in.
       * Only after a match: a wrong password must not cost a second hash, nor change
       * what is stored. A failed re-hash (out of memory) leaves the old one, which
       * still verifies. */
      if (ok && !docket_server_auth_hash_is_current (data->password_hash))
        data->new_hash = docket_server_auth_hash_password (data->password, NULL);
    }
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
                                  char         **out_new_hash,
                                  GError       **error)
{
  GError *local_error = NULL;
  gboolean matches = g_task_propagate_boolean (G_TASK (result), &local_error);
  VerifyData *data = g_task_get_task_data (G_TASK (result));

  *out_matches = FALSE;
  *out_new_hash = NULL;
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  *out_matches = matches;
  if (matches)
    *out_new_hash = g_steal_pointer (&data->new_hash);
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
