/* docket-pdf-page-texts.h: the text of a document's pages, kept once read
 *
 * Find in document reads every page's text from poppler; a person typing a word finds
 * again at every key. This keeps each page's text (a few kB) for the next search, up to
 * a byte budget, so that the second search of a long document does not ask poppler
 * again. Thread-safe: the find worker reads and fills it.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define DOCKET_TYPE_PDF_PAGE_TEXTS (docket_pdf_page_texts_get_type ())
G_DECLARE_FINAL_TYPE (DocketPdfPageTexts, docket_pdf_page_texts, DOCKET, PDF_PAGE_TEXTS, GObject)

DocketPdfPageTexts *docket_pdf_page_texts_new    (guint               n_pages,
                                                  gsize               max_bytes);
/* A copy of page's text, or NULL when it was not kept. */
char               *docket_pdf_page_texts_dup    (DocketPdfPageTexts *self,
                                                  guint               page);
/* Keeps a copy of text for page, unless the budget is spent. */
void                docket_pdf_page_texts_store  (DocketPdfPageTexts *self,
                                                  guint               page,
                                                  const char         *text);
gsize               docket_pdf_page_texts_get_n_bytes (DocketPdfPageTexts *self);

G_END_DECLS
