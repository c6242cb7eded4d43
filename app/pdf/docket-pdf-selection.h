/* docket-pdf-selection.h: the text an official selects on a page, its boxes and its text
 *
 * Poppler works out which glyphs lie between two points (the start and end of a drag)
 * and gives their boxes line by line, and the text they spell. That runs in a worker
 * thread under the document's lock (docket-pdf-document-private.h), never on the UI
 * thread. Coordinates are PDF points from the page's top left.
 */
#pragma once

#include <gio/gio.h>
#include <gdk/gdk.h>
#include <graphene.h>

#include "docket-pdf-document.h"

G_BEGIN_DECLS

typedef struct {
  guint   page;
  GArray *rects;   /* graphene_rect_t, one per line of selected text, top to bottom */
  char   *text;    /* the selected text ("" when none) */
} DocketPdfSelection;

void                docket_pdf_selection_free (DocketPdfSelection *selection);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketPdfSelection, docket_pdf_selection_free)

/* Selects from (x0, y0) to (x1, y1) on page index, by glyphs, or by whole words when
 * words is TRUE (a double click). */
DocketPdfSelection *docket_pdf_document_select_text        (DocketPdfDocument   *self,
                                                            guint                index,
                                                            double               x0,
                                                            double               y0,
                                                            double               x1,
                                                            double               y1,
                                                            gboolean             words,
                                                            GError             **error);
void                docket_pdf_document_select_text_async  (DocketPdfDocument   *self,
                                                            guint                index,
                                                            double               x0,
                                                            double               y0,
                                                            double               x1,
                                                            double               y1,
                                                            gboolean             words,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
DocketPdfSelection *docket_pdf_document_select_text_finish (DocketPdfDocument   *self,
                                                            GAsyncResult        *result,
                                                            GError             **error);

G_END_DECLS
