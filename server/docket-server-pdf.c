/* docket-server-pdf.c: checking that an upload is a PDF, by its content */
#include "config.h"

#include <glib/gi18n.h>
#include <poppler.h>
#include <string.h>

#include "docket-server-blobs.h"
#include "docket-server-error.h"

int
docket_server_pdf_check (GBytes  *bytes,
                         GError **error)
{
  g_autoptr(GObject) document = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);
  int pages;

  if (size < 5 || memcmp (data, "%PDF-", 5) != 0)
    {
      g_set_error_literal (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_UNSUPPORTED_MEDIA,
                           _("Only PDF documents can be uploaded; this is not a PDF"));
      return -1;
    }
  /* poppler 22.12 declares no autoptr for its types: hold it as a GObject. */
  document = G_OBJECT (poppler_document_new_from_bytes (bytes, NULL, &local_error));
  if (document == NULL)
    {
      g_set_error (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_UNSUPPORTED_MEDIA,
                   _("This PDF does not open: %s"), local_error->message);
      return -1;
    }
  pages = poppler_document_get_n_pages (POPPLER_DOCUMENT (document));
  return pages;
}
