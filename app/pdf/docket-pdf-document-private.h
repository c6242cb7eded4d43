/* docket-pdf-document-private.h: the poppler document, for the other files of app/pdf
 *
 * Poppler is not thread-safe per document: every call on the PopplerDocument, or on a
 * PopplerPage of it, happens between lock_poppler and unlock_poppler, in whatever thread.
 * Hold the lock for one short piece of work (a page's text, the outline), never across
 * a return to the main loop, and take it in a worker: right after the document is
 * opened, lock_poppler first waits (at most 0.3 s) for the first page to be rendered,
 * so that the reader sees it at once.
 */
#pragma once

#include <poppler.h>

#include "docket-pdf-document.h"

G_BEGIN_DECLS

PopplerDocument *docket_pdf_document_lock_poppler   (DocketPdfDocument *self);
void             docket_pdf_document_unlock_poppler (DocketPdfDocument *self);

G_END_DECLS
