/* docket-reader-state.h: what the reader shows, and the annotation tool it is used with
 *
 * A plain object with properties and notify, owned by the document view and handed to
 * those who follow it (the annotator), so that they need not know the view: the
 * document shown whole (its entry in the cache and its PDF, set together once its pages
 * are shown, NULL when none), the annotation tool in use and its colour. Whoever changes
 * them sets them here; whoever shows them listens to "notify".
 */
#pragma once

#include <glib-object.h>

#include "docket-document.h"
#include "docket-pdf-document.h"

G_BEGIN_DECLS

typedef enum {
  DOCKET_ANNOTATION_TOOL_SELECT,
  DOCKET_ANNOTATION_TOOL_HIGHLIGHT,
  DOCKET_ANNOTATION_TOOL_UNDERLINE,
  DOCKET_ANNOTATION_TOOL_STRIKEOUT,
  DOCKET_ANNOTATION_TOOL_INK,
  DOCKET_ANNOTATION_TOOL_NOTE,
  DOCKET_ANNOTATION_TOOL_RECTANGLE,
} DocketAnnotationTool;

#define DOCKET_TYPE_READER_STATE (docket_reader_state_get_type ())
G_DECLARE_FINAL_TYPE (DocketReaderState, docket_reader_state, DOCKET, READER_STATE, GObject)

DocketReaderState    *docket_reader_state_new              (void);

/* The document shown (NULL, NULL: none); "document" and "pdf-document" are notified
 * together, after both are set. */
void                  docket_reader_state_set_document     (DocketReaderState    *self,
                                                            DocketDocument       *document,
                                                            DocketPdfDocument    *pdf_document);
DocketDocument       *docket_reader_state_get_document     (DocketReaderState    *self);
DocketPdfDocument    *docket_reader_state_get_pdf_document (DocketReaderState    *self);

/* The annotation tool in use ("tool"); DOCKET_ANNOTATION_TOOL_SELECT at first. */
DocketAnnotationTool  docket_reader_state_get_tool         (DocketReaderState    *self);
void                  docket_reader_state_set_tool         (DocketReaderState    *self,
                                                            DocketAnnotationTool  tool);
/* The colour new annotations get ("color", "#rrggbb"). */
const char           *docket_reader_state_get_color        (DocketReaderState    *self);
void                  docket_reader_state_set_color        (DocketReaderState    *self,
                                                            const char           *color);

G_END_DECLS
