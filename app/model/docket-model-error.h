/* docket-model-error.h: the `error` property of the models that read or write the store
 *
 * Every such model keeps the error of its last load or write (NULL once one succeeds) and
 * notifies `error` when it changes; the window shows it (a status page, a toast).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Puts error (taken; NULL: the last load or write succeeded) in *slot, freeing what was
 * there. TRUE when the property must be notified: unless both are NULL. A failure again is
 * news (a toast shown again after Retry failed once more). */
gboolean docket_model_take_error  (GError       **slot,
                                   GError        *error);

/* TRUE when a and b say the same: both NULL, or the same domain, code and message. For a
 * model whose error is a state (a list that could not be read), the same error again is
 * no change, so that a page showing it is not rebuilt at every failed reload. */
gboolean docket_model_error_equal (const GError  *a,
                                   const GError  *b);

G_END_DECLS
