/* docket-sign-in-page.h: server address, user name and password, errors in place
 *
 * Signs in through the sync engine ("sign-in.submit" action) and emits "signed-in" when
 * it succeeded. The sync engine's errors are sentences and are shown as they are, in a
 * label a screen reader hears as an alert. "busy" says whether a sign-in is under way.
 */
#pragma once

#include <adwaita.h>

#include "docket-sync.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_SIGN_IN_PAGE (docket_sign_in_page_get_type ())
G_DECLARE_FINAL_TYPE (DocketSignInPage, docket_sign_in_page, DOCKET, SIGN_IN_PAGE, AdwBin)

DocketSync  *docket_sign_in_page_get_sync         (DocketSignInPage *self);
void         docket_sign_in_page_set_sync         (DocketSignInPage *self,
                                                   DocketSync       *sync);
/* Pre-fills the fields (after a sign-out, or a refused token) and clears the password. */
void         docket_sign_in_page_reset            (DocketSignInPage *self,
                                                   const char       *server_url,
                                                   const char       *username,
                                                   const char       *message);

G_END_DECLS
