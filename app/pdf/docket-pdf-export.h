/* docket-pdf-export.h: "Save a copy with my annotations"
 *
 * Writes a copy of a PDF whose pages carry the official's annotations as standard PDF
 * annotations, which every viewer shows: Highlight, Underline and StrikeOut with their
 * QuadPoints, Text (a sticky note) with its contents, Square, and Ink. Poppler (on a
 * document opened for the export only) makes all but Ink, which poppler-glib 22.12
 * cannot create; Ink is added afterwards with qpdf's C API, with an appearance stream so
 * that viewers which do not draw ink themselves show it too. Our coordinates are those
 * of the page as shown; both paths turn them into the page's own space (crop box,
 * /Rotate). The original file is never touched; the copy appears at its destination
 * whole or not at all.
 *
 * Knows nothing of widgets or of the store: takes the records themselves.
 */
#pragma once

#include <gio/gio.h>

#include "docket-records.h"

G_BEGIN_DECLS

/* annotations: DocketAnnotationRecord*. Annotations on a page the document does not
 * have are left out (the document changed since they were made). */
gboolean docket_pdf_export_annotations        (const char          *source_path,
                                               const char          *destination_path,
                                               GPtrArray           *annotations,
                                               GCancellable        *cancellable,
                                               GError             **error);
/* The same in a worker thread; the records are copied. */
void     docket_pdf_export_annotations_async  (const char          *source_path,
                                               const char          *destination_path,
                                               GPtrArray           *annotations,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean docket_pdf_export_annotations_finish (GAsyncResult        *result,
                                               GError             **error);

G_END_DECLS
