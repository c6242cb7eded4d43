/* docket-credentials.h: bearer tokens in the Secret Service (libsecret), never on disk
 *
 * A token is stored under the schema "io.github.docket.Docket.Token" with the
 * attributes "server" (the server URL), "username" and "profile" (the absolute path of
 * the profile directory), so that two profiles of one official stay apart.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void      docket_credentials_store_async   (const char          *profile_dir,
                                            const char          *server_url,
                                            const char          *username,
                                            const char          *token,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean  docket_credentials_store_finish  (GAsyncResult  *result,
                                            GError       **error);

/* Returns NULL with no error when there is no token. */
void      docket_credentials_lookup_async  (const char          *profile_dir,
                                            const char          *server_url,
                                            const char          *username,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
char     *docket_credentials_lookup_finish (GAsyncResult  *result,
                                            GError       **error);

void      docket_credentials_clear_async   (const char          *profile_dir,
                                            const char          *server_url,
                                            const char          *username,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean  docket_credentials_clear_finish  (GAsyncResult  *result,
                                            GError       **error);

G_END_DECLS
