/* docket-signature-bar.h: the bar over a signed document's pages
 *
 * Says in one sentence whether the document's signatures hold and whether their signers
 * are vouched for, with a popover that describes each signature. It is given the
 * signatures (docket-pdf-signature.h) the view has read; it reads nothing itself.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define DOCKET_TYPE_SIGNATURE_BAR (docket_signature_bar_get_type ())
G_DECLARE_FINAL_TYPE (DocketSignatureBar, docket_signature_bar, DOCKET, SIGNATURE_BAR, AdwBin)

GtkWidget  *docket_signature_bar_new            (void);

/* The document's signatures (DocketPdfSignature): described and shown when there are
 * some; NULL or none hides the bar. */
void        docket_signature_bar_set_signatures (DocketSignatureBar *self,
                                                 GListModel         *signatures);
GListModel *docket_signature_bar_get_signatures (DocketSignatureBar *self);

G_END_DECLS
