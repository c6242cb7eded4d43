/* docket-pdf-signature.h: the digital signatures a PDF carries, validated apart
 *
 * poppler validates each signature field (the signed bytes against the signature, and
 * the signer's certificate against the system's trust store, through NSS, without asking
 * an OCSP server: Docket works offline) in docket-signature-check, a process of its own
 * (see there why), started from a worker thread; what comes back is plain data the UI
 * thread reads freely. Knows nothing of widgets.
 */
#pragma once

#include <gio/gio.h>

#include "docket-pdf-document.h"

G_BEGIN_DECLS

typedef enum {
  DOCKET_PDF_SIGNATURE_VALID,      /* the signed bytes are unchanged and the signature checks */
  DOCKET_PDF_SIGNATURE_MODIFIED,   /* the document was changed after it was signed */
  DOCKET_PDF_SIGNATURE_INVALID,    /* the signature does not check, or cannot be read */
  DOCKET_PDF_SIGNATURE_UNCHECKED,  /* the check itself failed (its process crashed...) */
} DocketPdfSignatureStatus;

typedef enum {
  DOCKET_PDF_CERTIFICATE_TRUSTED,
  DOCKET_PDF_CERTIFICATE_UNTRUSTED,  /* unknown or untrusted issuer (self-signed...) */
  DOCKET_PDF_CERTIFICATE_EXPIRED,
  DOCKET_PDF_CERTIFICATE_REVOKED,
  DOCKET_PDF_CERTIFICATE_UNKNOWN,    /* could not be checked */
} DocketPdfCertificateStatus;

#define DOCKET_TYPE_PDF_SIGNATURE (docket_pdf_signature_get_type ())
G_DECLARE_FINAL_TYPE (DocketPdfSignature, docket_pdf_signature, DOCKET, PDF_SIGNATURE, GObject)

/* The signatures of document, read from path (its file), a GListModel of
 * DocketPdfSignature, empty when none. */
void                       docket_pdf_signature_load_async  (DocketPdfDocument   *document,
                                                             const char          *path,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
GListModel                *docket_pdf_signature_load_finish (DocketPdfDocument   *document,
                                                             GAsyncResult        *result,
                                                             GError             **error);

/* The signer's name as the certificate gives it ("" when it gives none). */
const char                *docket_pdf_signature_get_signer             (DocketPdfSignature *self);
/* When it was signed (local time), or NULL. */
GDateTime                 *docket_pdf_signature_get_time               (DocketPdfSignature *self);
DocketPdfSignatureStatus   docket_pdf_signature_get_status             (DocketPdfSignature *self);
DocketPdfCertificateStatus docket_pdf_signature_get_certificate_status (DocketPdfSignature *self);

/* Parses what docket-signature-check printed (for tests): a GListModel of
 * DocketPdfSignature; a line that does not parse is a signature that was not checked. */
GListModel                *docket_pdf_signature_parse      (const char          *output,
                                                             guint                n_expected);

G_END_DECLS
