/* docket-pdf-outline.h: a PDF's outline (its bookmarks), read in a worker thread
 *
 * Each entry is a DocketPdfOutline: a title, the page it goes to (or none), and its
 * children. Read once from poppler's index under the document's lock, then plain
 * objects the UI thread reads freely. Knows nothing of widgets.
 */
#pragma once

#include <gio/gio.h>

#include "docket-pdf-document.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_PDF_OUTLINE (docket_pdf_outline_get_type ())
G_DECLARE_FINAL_TYPE (DocketPdfOutline, docket_pdf_outline, DOCKET, PDF_OUTLINE, GObject)

/* The outline's top entries: a GListModel of DocketPdfOutline, empty when the PDF has
 * none. An outline too deep or too long is cut (a hostile PDF cannot make us build
 * millions of objects). */
void        docket_pdf_outline_load_async  (DocketPdfDocument   *document,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
GListModel *docket_pdf_outline_load_finish (DocketPdfDocument   *document,
                                            GAsyncResult        *result,
                                            GError             **error);

const char *docket_pdf_outline_get_title    (DocketPdfOutline *self);
/* The page (from 0), or -1 when the entry goes nowhere in this document. */
int         docket_pdf_outline_get_page     (DocketPdfOutline *self);
/* Its children, or NULL when it has none. */
GListModel *docket_pdf_outline_get_children (DocketPdfOutline *self);

G_END_DECLS
