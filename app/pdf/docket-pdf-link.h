/* docket-pdf-link.h: the links on a page: where they are and where they go
 *
 * Read from poppler's link mapping in a worker thread under the document's lock. A link
 * inside the document is resolved to a page index (named destinations too); a link out
 * of it keeps its URI. Areas are PDF points from the page's top left.
 */
#pragma once

#include <gio/gio.h>
#include <gdk/gdk.h>
#include <graphene.h>

#include "docket-pdf-document.h"

G_BEGIN_DECLS

typedef struct {
  graphene_rect_t area;
  int             page;   /* the page it goes to, from 0, or -1 */
  char           *uri;    /* where it goes outside the document, or NULL */
} DocketPdfLink;

void        docket_pdf_link_free (DocketPdfLink *link);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketPdfLink, docket_pdf_link_free)

/* GPtrArray of DocketPdfLink*; links that go nowhere we can follow are left out. */
GPtrArray  *docket_pdf_document_get_links        (DocketPdfDocument   *self,
                                                  guint                index,
                                                  GError             **error);
void        docket_pdf_document_get_links_async  (DocketPdfDocument   *self,
                                                  guint                index,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
GPtrArray  *docket_pdf_document_get_links_finish (DocketPdfDocument   *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

G_END_DECLS
