/* docket-server-pdf.c: checking that an upload is a PDF, by its content */
#include "config.h"

#include <glib/gi18n.h>
#include <poppler.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "docket-protocol.h"
#include "docket-server-blobs.h"
#include "docket-server-error.h"

static gboolean
has_pdf_header (const char *data,
                gsize       size,
                GError    **error)
{
  if (size < 5 || memcmp (data, "%PDF-", 5) != 0)
    {
      g_set_error_literal (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_UNSUPPORTED_MEDIA,
                           _("Only PDF documents can be uploaded; this is not a PDF"));
      return FALSE;
    }
  return TRUE;
}

/* The page count of a document poppler opened (NULL: local_error says why), or -1. Every
 * client refuses a document of more than DOCKET_MAX_PAGES pages: it is refused here. */
static int
count_pages (PopplerDocument  *document,
             const GError     *local_error,
             GError          **error)
{
  int pages;

  if (document == NULL)
    {
      g_set_error (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_UNSUPPORTED_MEDIA,
                   _("This PDF does not open: %s"), local_error->message);
      return -1;
    }
  pages = poppler_document_get_n_pages (document);
  if (pages > DOCKET_MAX_PAGES)
    {
      g_set_error (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_TOO_LARGE,
                   _("This PDF has %d pages; documents may have at most %d"),
                   pages, DOCKET_MAX_PAGES);
      return -1;
    }
  return pages;
}

int
docket_server_pdf_check (GBytes  *bytes,
                         GError **error)
{
  g_autoptr(GObject) document = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  if (!has_pdf_header (data, size, error))
    return -1;
  /* poppler 22.12 declares no autoptr for its types: hold it as a GObject. */
  document = G_OBJECT (poppler_document_new_from_bytes (bytes, NULL, &local_error));
  return count_pages (POPPLER_DOCUMENT (document), local_error, error);
}

/* The first bytes of the file at path, for the header check. */
static gsize
read_head (const char  *path,
           char        *buffer,
           gsize        size,
           GError     **error)
{
  FILE *file = fopen (path, "rb");
  gsize n;

  if (file == NULL)
    {
      int saved_errno = errno;

      g_set_error (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_INTERNAL,
                   "Cannot open %s: %s", path, g_strerror (saved_errno));
      return 0;
    }
  n = fread (buffer, 1, size, file);
  fclose (file);
  return n;
}

int
docket_server_pdf_check_file (const char  *path,
                              GError     **error)
{
  g_autoptr(GObject) document = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *absolute = NULL;
  g_autofree char *uri = NULL;
  char head[5];
  gsize n;

  n = read_head (path, head, sizeof head, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return -1;
    }
  if (!has_pdf_header (head, n, error))
    return -1;
  /* A URI names an absolute path; the data folder may be given relative. */
  absolute = g_canonicalize_filename (path, NULL);
  uri = g_filename_to_uri (absolute, NULL, error);
  if (uri == NULL)
    return -1;
  /* From the file, which poppler reads as it needs: never the whole PDF in memory. */
  document = G_OBJECT (poppler_document_new_from_file (uri, NULL, &local_error));
  return count_pages (POPPLER_DOCUMENT (document), local_error, error);
}
