/* docket-annotator.h: what the pages of a document view share to annotate it
 *
 * One per document view: the document's annotations (a DocketAnnotationList), the tool
 * and colour in use, the annotation selected, the text selected, and the commands on
 * them as actions of the group "annot", inserted on the view with their shortcuts:
 *
 *   annot.tool (s)      "select", "highlight", "underline", "strikeout", "ink", "note",
 *                       "rectangle"; a markup tool chosen while text is selected marks it
 *   annot.color (s)     "#rrggbb"; recolours the selected annotation too
 *   annot.undo          Ctrl+Z          annot.redo     Ctrl+Shift+Z, Ctrl+Y
 *   annot.delete        Delete          annot.copy     Ctrl+C (the selected text)
 *   annot.edit          Enter: edit the text of the selected annotation
 *   annot.deselect      Escape
 *   annot.export        "Save a copy with my annotations…"
 *
 * Page widgets draw from it and report gestures to it; the toolbar and the panel bind to
 * its actions and its list. It follows a DocketReaderState (the view owns both): the
 * document shown is the one it annotates, and the tool and colour in use are kept there.
 */
#pragma once

#include <gtk/gtk.h>

#include "docket-store.h"
#include "docket-annotation-list.h"
#include "docket-pdf-document.h"
#include "docket-pdf-selection.h"
#include "docket-reader-state.h"

G_BEGIN_DECLS

/* The kind of annotation a markup tool makes (highlight, underline, strike-out); FALSE
 * for the other tools. */
gboolean docket_annotation_tool_get_markup_kind (DocketAnnotationTool  tool,
                                                 DocketAnnotationKind *out_kind);

/* The colours offered: yellow (the default), green, blue, red, purple. */
extern const char * const docket_annotator_colors[];

#define DOCKET_TYPE_ANNOTATOR (docket_annotator_get_type ())
G_DECLARE_FINAL_TYPE (DocketAnnotator, docket_annotator, DOCKET, ANNOTATOR, GObject)

/* Follows state: its document, its tool and colour (which the annotator sets there). */
DocketAnnotator      *docket_annotator_new               (DocketReaderState  *state);
/* Inserts the "annot" actions and their shortcuts on widget (the document view; not
 * referenced: it owns the annotator), whose window shows the annotator's dialogs and
 * toasts, and whose clipboard gets the text copied. */
void                  docket_annotator_attach            (DocketAnnotator    *self,
                                                          GtkWidget          *widget);
/* Where annotations are kept; without a store, documents show none. */
void                  docket_annotator_set_store         (DocketAnnotator    *self,
                                                          DocketStore        *store);
/* The document shown (what the reader state gives; tests may call it). NULL: none. */
void                  docket_annotator_set_document      (DocketAnnotator    *self,
                                                          const char         *document_id,
                                                          const char         *title,
                                                          const char         *path,
                                                          DocketPdfDocument  *pdf_document);

/* NULL when no document is open (or no store). */
DocketAnnotationList *docket_annotator_get_list          (DocketAnnotator    *self);
DocketPdfDocument    *docket_annotator_get_pdf_document  (DocketAnnotator    *self);

/* The reader state's tool and colour; set_tool also marks the text selected with a
 * markup tool. */
DocketAnnotationTool  docket_annotator_get_tool          (DocketAnnotator    *self);
void                  docket_annotator_set_tool          (DocketAnnotator    *self,
                                                          DocketAnnotationTool tool);
const char           *docket_annotator_get_color         (DocketAnnotator    *self);

/* The annotation selected (by id, as objects are replaced when edited), or NULL. */
const char           *docket_annotator_get_selected_id   (DocketAnnotator    *self);
void                  docket_annotator_select            (DocketAnnotator    *self,
                                                          const char         *id);

/* The text selected, or NULL; set_text_selection takes it. */
DocketPdfSelection   *docket_annotator_get_text_selection (DocketAnnotator   *self);
void                  docket_annotator_set_text_selection (DocketAnnotator   *self,
                                                           DocketPdfSelection *selection);
/* Marks the selected text with a highlight, underline or strike-out in the current
 * colour, and clears the selection; returns the new annotation (borrowed) or NULL. */
DocketAnnotation     *docket_annotator_mark_selection    (DocketAnnotator    *self,
                                                          DocketAnnotationKind kind);

/* Writes a copy of the document with its annotations (the export's own worker). */
void                  docket_annotator_export_async      (DocketAnnotator    *self,
                                                          GFile              *destination,
                                                          GCancellable       *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer            user_data);
gboolean              docket_annotator_export_finish     (DocketAnnotator    *self,
                                                          GAsyncResult       *result,
                                                          GError            **error);

G_END_DECLS
