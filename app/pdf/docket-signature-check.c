/* docket-signature-check.c: validates a PDF's signatures, in a process of its own
 *
 *   docket-signature-check FILE
 *
 * prints one line per signature: STATUS TAB CERTIFICATE TAB UNIX-TIME TAB SIGNER, with
 * STATUS one of valid, modified, invalid; CERTIFICATE one of trusted, untrusted, expired,
 * revoked, unknown; UNIX-TIME -1 when the signature has none; SIGNER without tabs or line
 * breaks. Exits 0, or 2 when the file does not open.
 *
 * Why a process: poppler 22.12 validates through NSS, and validating a second signature
 * by a certificate it has seen before reads memory its first validation freed (NSS's
 * temporary certificate of the first, AddressSanitizer shows it). In a process of its
 * own, per document, that cannot reach the reader; and a PDF that crashes the validation
 * costs a "could not be checked", not the window.
 */
#include "config.h"

#include <locale.h>
#include <poppler.h>

/* A PDF with thousands of signature fields is not worth validating them all. */
#define MAX_SIGNATURES 64
#define MAX_SIGNER_CHARS 256

static const char *
status_word (PopplerSignatureStatus status)
{
  switch (status)
    {
    case POPPLER_SIGNATURE_VALID:
      return "valid";
    case POPPLER_SIGNATURE_DIGEST_MISMATCH:
      return "modified";
    default:
      return "invalid";
    }
}

static const char *
certificate_word (PopplerCertificateStatus status)
{
  switch (status)
    {
    case POPPLER_CERTIFICATE_TRUSTED:
      return "trusted";
    case POPPLER_CERTIFICATE_UNTRUSTED_ISSUER:
    case POPPLER_CERTIFICATE_UNKNOWN_ISSUER:
      return "untrusted";
    case POPPLER_CERTIFICATE_EXPIRED:
      return "expired";
    case POPPLER_CERTIFICATE_REVOKED:
      return "revoked";
    default:
      return "unknown";
    }
}

/* The signer's name on one line, valid UTF-8, bounded. */
static char *
clean_signer (const char *signer)
{
  GString *clean = g_string_new (NULL);
  guint n = 0;

  if (signer == NULL || !g_utf8_validate (signer, -1, NULL))
    return g_string_free (clean, FALSE);
  for (const char *p = signer; *p != '\0' && n < MAX_SIGNER_CHARS; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c))
        c = ' ';
      g_string_append_unichar (clean, c);
    }
  return g_string_free (clean, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  PopplerDocument *document;
  GList *fields;
  guint n = 0;

  setlocale (LC_ALL, "");
  if (argc != 2)
    {
      g_printerr ("Usage: %s FILE\n", argv[0]);
      return 1;
    }

  file = g_file_new_for_commandline_arg (argv[1]);
  document = poppler_document_new_from_gfile (file, NULL, NULL, &error);
  if (document == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  fields = poppler_document_get_signature_fields (document);
  for (GList *l = fields; l != NULL && n < MAX_SIGNATURES; l = l->next, n++)
    {
      g_autoptr(GError) validation_error = NULL;
      PopplerSignatureInfo *info;
      g_autofree char *signer = NULL;
      GDateTime *time;

      /* Offline first: no OCSP request to a server the official may not reach. */
      info = poppler_form_field_signature_validate_sync (l->data,
                                                         POPPLER_SIGNATURE_VALIDATION_FLAG_VALIDATE_CERTIFICATE |
                                                         POPPLER_SIGNATURE_VALIDATION_FLAG_WITHOUT_OCSP_REVOCATION_CHECK,
                                                         NULL, &validation_error);
      if (info == NULL)
        {
          g_print ("invalid\tunknown\t-1\t\n");
          continue;
        }
      signer = clean_signer (poppler_signature_info_get_signer_name (info));
      time = poppler_signature_info_get_local_signing_time (info);
      g_print ("%s\t%s\t%" G_GINT64_FORMAT "\t%s\n",
               status_word (poppler_signature_info_get_signature_status (info)),
               certificate_word (poppler_signature_info_get_certificate_status (info)),
               time != NULL ? g_date_time_to_unix (time) : (gint64) -1,
               signer);
      poppler_signature_info_free (info);
    }
  g_list_free_full (fields, g_object_unref);
  g_object_unref (document);
  return 0;
}
