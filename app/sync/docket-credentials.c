/* docket-credentials.c: bearer tokens in the Secret Service (libsecret), never on disk */
#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "docket-credentials.h"
#include "docket-sync.h"

static const SecretSchema *
get_token_schema (void)
{
  static const SecretSchema schema = {
    "io.github.docket.Docket.Token", SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "username", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "profile", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL
  };

  return &schema;
}

/* What names the token of one account in one profile, for every call below. */
static GHashTable *
token_attributes (const char *profile_dir,
                  const char *server_url,
                  const char *username)
{
  return secret_attributes_build (get_token_schema (),
                                  "server", server_url,
                                  "username", username,
                                  "profile", profile_dir,
                                  NULL);
}

/* The task of a call whose callback (store_cb, lookup_cb, clear_cb) answers it. */
static GTask *
credentials_task_new (gpointer             source_tag,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  return task;
}

static gboolean
credentials_task_propagate_boolean (GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* libsecret's own errors (no service on the bus, a locked collection, a dismissed
 * prompt) become one DOCKET_SYNC_ERROR_SECRETS that tells the person what to do. */
static void
return_secrets_error (GTask  *task,
                      GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_new_error (task, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_SECRETS,
                           _("The sign-in could not be kept in the keyring (%s). Make sure "
                             "the desktop's keyring (Secret Service) is running and unlocked."),
                           error->message);
  g_error_free (error);
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    return_secrets_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
docket_credentials_store_async (const char          *profile_dir,
                                const char          *server_url,
                                const char          *username,
                                const char          *token,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (profile_dir != NULL);
  g_return_if_fail (server_url != NULL);
  g_return_if_fail (username != NULL);
  g_return_if_fail (token != NULL);

  attributes = token_attributes (profile_dir, server_url, username);
  /* Translators: the label of the keyring entry; %s are the user name and server */
  label = g_strdup_printf (_("Docket sign-in of %s at %s"), username, server_url);

  secret_password_storev (get_token_schema (), attributes, SECRET_COLLECTION_DEFAULT, label, token,
                          cancellable, store_cb,
                          credentials_task_new (docket_credentials_store_async,
                                                cancellable, callback, user_data));
}

gboolean
docket_credentials_store_finish (GAsyncResult  *result,
                                 GError       **error)
{
  return credentials_task_propagate_boolean (result, error);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *token = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    return_secrets_error (task, error);
  else
    g_task_return_pointer (task, token, (GDestroyNotify) secret_password_free);
}

void
docket_credentials_lookup_async (const char          *profile_dir,
                                 const char          *server_url,
                                 const char          *username,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GHashTable) attributes = NULL;

  g_return_if_fail (profile_dir != NULL);
  g_return_if_fail (server_url != NULL);
  g_return_if_fail (username != NULL);

  attributes = token_attributes (profile_dir, server_url, username);
  secret_password_lookupv (get_token_schema (), attributes, cancellable, lookup_cb,
                           credentials_task_new (docket_credentials_lookup_async,
                                                 cancellable, callback, user_data));
}

/* The token is returned in memory that g_free () may release (copied out of libsecret's
 * non-pageable memory). */
char *
docket_credentials_lookup_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  char *secret;
  char *token;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  secret = g_task_propagate_pointer (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (secret == NULL)
    return NULL;

  token = g_strdup (secret);
  secret_password_free (secret);

  return token;
}

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  /* FALSE without an error only means there was nothing to remove. */
  secret_password_clear_finish (result, &error);
  if (error != NULL)
    return_secrets_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
docket_credentials_clear_async (const char          *profile_dir,
                                const char          *server_url,
                                const char          *username,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GHashTable) attributes = NULL;

  g_return_if_fail (profile_dir != NULL);
  g_return_if_fail (server_url != NULL);
  g_return_if_fail (username != NULL);

  attributes = token_attributes (profile_dir, server_url, username);
  secret_password_clearv (get_token_schema (), attributes, cancellable, clear_cb,
                          credentials_task_new (docket_credentials_clear_async,
                                                cancellable, callback, user_data));
}

gboolean
docket_credentials_clear_finish (GAsyncResult  *result,
                                 GError       **error)
{
  return credentials_task_propagate_boolean (result, error);
}
