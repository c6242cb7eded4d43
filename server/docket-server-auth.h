/* docket-server-auth.h: passwords (Argon2id) and bearer tokens */
#pragma once

#include <gio/gio.h>

#include "docket-server-workers.h"

G_BEGIN_DECLS

/* Argon2id with the server's parameters (46 MiB, t = 1; ~25 ms; why: in the .c): call
 * from a worker thread when serving. check verifies a hash of any parameters. */
char     *docket_server_auth_hash_password   (const char  *password,
                                              GError     **error);
gboolean  docket_server_auth_check_password  (const char  *password_hash,
                                              const char  *password);
/* Whether password_hash was made with the server's parameters of today. */
gboolean  docket_server_auth_hash_is_current (const char  *password_hash);

/* Verifies in one of workers' threads (their number bounds the memory Argon2id takes).
 * With password_hash NULL (an unknown user), verifies against a dummy hash, so that the
 * answer takes as long, and fails. */
void      docket_server_auth_verify_async    (DocketServerWorkers *workers,
                                              const char          *password_hash,
                                              const char          *password,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
/* TRUE with out_matches once the password was checked; FALSE with
 * DOCKET_SERVER_ERROR_BUSY when the workers had no room for it (it was not checked).
 * When it matched a hash made with older parameters, out_new_hash gets the password
 * hashed again (in the pool) with today's, for the caller to store; else NULL. */
gboolean  docket_server_auth_verify_finish   (GAsyncResult        *result,
                                              gboolean            *out_matches,
                                              char               **out_new_hash,
                                              GError             **error);

/* Computes the dummy hash now (~25 ms), so that the first sign-in of an unknown user
 * takes no longer than any other. */
void      docket_server_auth_prepare         (void);

/* A new token (256 random bits, unpadded base64url) and the SHA-256 hex kept of it. */
char     *docket_server_auth_new_token       (char       **out_token_hash);
char     *docket_server_auth_hash_token      (const char  *token);

/* Makes sure libsodium is initialised; FALSE with an error if it cannot be. */
gboolean  docket_server_auth_init            (GError     **error);

G_END_DECLS
