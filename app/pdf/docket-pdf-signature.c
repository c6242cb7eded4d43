/* docket-pdf-signature.c: the digital signatures a PDF carries, validated in a worker */

#include "config.h"

#include "docket-pdf-signature.h"
#include "docket-pdf-document-private.h"

/* A PDF with thousands of signature fields is not worth validating them all. */
#define MAX_SIGNATURES 64

struct _DocketPdfSignature
{
  GObject                     parent_instance;

  char                       *signer;
  GDateTime                  *time;
  DocketPdfSignatureStatus    status;
  DocketPdfCertificateStatus  certificate_status;
};

G_DEFINE_FINAL_TYPE (DocketPdfSignature, docket_pdf_signature, G_TYPE_OBJECT)

static void
docket_pdf_signature_finalize (GObject *object)
{
  DocketPdfSignature *self = DOCKET_PDF_SIGNATURE (object);

  g_clear_pointer (&self->signer, g_free);
  g_clear_pointer (&self->time, g_date_time_unref);

  G_OBJECT_CLASS (docket_pdf_signature_parent_class)->finalize (object);
}

static void
docket_pdf_signature_class_init (DocketPdfSignatureClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = docket_pdf_signature_finalize;
}

static void
docket_pdf_signature_init (DocketPdfSignature *self)
{
}

static DocketPdfSignature *
signature_from_info (const PopplerSignatureInfo *info)
{
  DocketPdfSignature *self = g_object_new (DOCKET_TYPE_PDF_SIGNATURE, NULL);
  const char *signer = poppler_signature_info_get_signer_name (info);
  GDateTime *time = poppler_signature_info_get_local_signing_time (info);

  self->signer = g_strdup (signer != NULL && g_utf8_validate (signer, -1, NULL) ? signer : "");
  self->time = time != NULL ? g_date_time_ref (time) : NULL;

  switch (poppler_signature_info_get_signature_status (info))
    {
    case POPPLER_SIGNATURE_VALID:
      self->status = DOCKET_PDF_SIGNATURE_VALID;
      break;
    case POPPLER_SIGNATURE_DIGEST_MISMATCH:
      self->status = DOCKET_PDF_SIGNATURE_MODIFIED;
      break;
    default:
      self->status = DOCKET_PDF_SIGNATURE_INVALID;
      break;
    }

  switch (poppler_signature_info_get_certificate_status (info))
    {
    case POPPLER_CERTIFICATE_TRUSTED:
      self->certificate_status = DOCKET_PDF_CERTIFICATE_TRUSTED;
      break;
    case POPPLER_CERTIFICATE_UNTRUSTED_ISSUER:
    case POPPLER_CERTIFICATE_UNKNOWN_ISSUER:
      self->certificate_status = DOCKET_PDF_CERTIFICATE_UNTRUSTED;
      break;
    case POPPLER_CERTIFICATE_EXPIRED:
      self->certificate_status = DOCKET_PDF_CERTIFICATE_EXPIRED;
      break;
    case POPPLER_CERTIFICATE_REVOKED:
      self->certificate_status = DOCKET_PDF_CERTIFICATE_REVOKED;
      break;
    default:
      self->certificate_status = DOCKET_PDF_CERTIFICATE_UNKNOWN;
      break;
    }
  return self;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  DocketPdfDocument *self = source_object;
  GListStore *signatures = g_list_store_new (DOCKET_TYPE_PDF_SIGNATURE);
  PopplerDocument *document;
  GList *fields;
  guint n = 0;

  document = docket_pdf_document_lock_poppler (self);
  /* Most documents have none: counting is cheap, walking the fields is not. */
  fields = poppler_document_get_n_signatures (document) > 0 ? poppler_document_get_signature_fields (document) : NULL;
  for (GList *l = fields; l != NULL && n < MAX_SIGNATURES && !g_cancellable_is_cancelled (cancellable); l = l->next, n++)
    {
      g_autoptr(GError) error = NULL;
      PopplerSignatureInfo *info;

      info = poppler_form_field_signature_validate_sync (l->data, POPPLER_SIGNATURE_VALIDATION_FLAG_VALIDATE_CERTIFICATE,
                                                         cancellable, &error);
      if (info == NULL)
        {
          /* Said as an invalid signature of nobody known, rather than hidden. */
          DocketPdfSignature *unreadable = g_object_new (DOCKET_TYPE_PDF_SIGNATURE, NULL);

          g_debug ("Could not validate a signature: %s", error != NULL ? error->message : "?");
          unreadable->signer = g_strdup ("");
          unreadable->status = DOCKET_PDF_SIGNATURE_INVALID;
          unreadable->certificate_status = DOCKET_PDF_CERTIFICATE_UNKNOWN;
          g_list_store_append (signatures, unreadable);
          g_object_unref (unreadable);
          continue;
        }
      {
        DocketPdfSignature *signature = signature_from_info (info);

        g_list_store_append (signatures, signature);
        g_object_unref (signature);
      }
      poppler_signature_info_free (info);
    }
  g_list_free_full (fields, g_object_unref);
  docket_pdf_document_unlock_poppler (self);

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (signatures);
      return;
    }
  g_task_return_pointer (task, signatures, g_object_unref);
}

void
docket_pdf_signature_load_async (DocketPdfDocument   *document,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DOCKET_IS_PDF_DOCUMENT (document));

  task = g_task_new (document, cancellable, callback, user_data);
  g_task_set_source_tag (task, docket_pdf_signature_load_async);
  g_task_run_in_thread (task, load_thread);
}

GListModel *
docket_pdf_signature_load_finish (DocketPdfDocument  *document,
                                  GAsyncResult       *result,
                                  GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, document), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
docket_pdf_signature_get_signer (DocketPdfSignature *self)
{
  g_return_val_if_fail (DOCKET_IS_PDF_SIGNATURE (self), NULL);
  return self->signer;
}

GDateTime *
docket_pdf_signature_get_time (DocketPdfSignature *self)
{
  g_return_val_if_fail (DOCKET_IS_PDF_SIGNATURE (self), NULL);
  return self->time;
}

DocketPdfSignatureStatus
docket_pdf_signature_get_status (DocketPdfSignature *self)
{
  g_return_val_if_fail (DOCKET_IS_PDF_SIGNATURE (self), DOCKET_PDF_SIGNATURE_INVALID);
  return self->status;
}

DocketPdfCertificateStatus
docket_pdf_signature_get_certificate_status (DocketPdfSignature *self)
{
  g_return_val_if_fail (DOCKET_IS_PDF_SIGNATURE (self), DOCKET_PDF_CERTIFICATE_UNKNOWN);
  return self->certificate_status;
}
