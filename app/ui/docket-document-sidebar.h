/* docket-document-sidebar.h: the reader's sidebar, beside the pages
 *
 * A stack of "thumbnails" (every page, small, rendered by a DocketPdfThumbnailer in a
 * thread of its own, the page being read selected), "outline" (the PDF's table of
 * contents, read in a worker; shown only when the PDF has one) and "annotations", a
 * slot for the annotations panel. Activating a thumbnail or an outline entry activates
 * "view.show-page" with the page: the view it is in goes there.
 */
#pragma once

#include <adwaita.h>

#include "docket-pdf-document.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_DOCUMENT_SIDEBAR (docket_document_sidebar_get_type ())
G_DECLARE_FINAL_TYPE (DocketDocumentSidebar, docket_document_sidebar, DOCKET, DOCUMENT_SIDEBAR, AdwBin)

GtkWidget *docket_document_sidebar_new                 (void);

/* The document shown (NULL: none): its thumbnails, and its outline once read. */
void       docket_document_sidebar_set_document        (DocketDocumentSidebar *self,
                                                        DocketPdfDocument     *document);
/* Whether the official sees the sidebar: the thumbnails' rows are made only then. */
void       docket_document_sidebar_set_revealed        (DocketDocumentSidebar *self,
                                                        gboolean               revealed);
/* The page being read (or going to be): its thumbnail is the selected one, in view. */
void       docket_document_sidebar_set_current_page    (DocketDocumentSidebar *self,
                                                        guint                  page);
/* The annotations panel, the third page of the stack (NULL: none, and no page). */
void       docket_document_sidebar_set_annotations_panel (DocketDocumentSidebar *self,
                                                          GtkWidget             *panel);

G_END_DECLS
