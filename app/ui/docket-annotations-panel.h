/* docket-annotations-panel.h: the document's annotations, page by page, in the sidebar
 *
 * Lists what DocketAnnotator's list holds, under a heading for each page; choosing one
 * selects it and brings its page into view ("view.show-page").
 */
#pragma once

#include <gtk/gtk.h>

#include "docket-annotator.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_ANNOTATIONS_PANEL (docket_annotations_panel_get_type ())
G_DECLARE_FINAL_TYPE (DocketAnnotationsPanel, docket_annotations_panel, DOCKET, ANNOTATIONS_PANEL, GtkWidget)

GtkWidget   *docket_annotations_panel_new           (void);
void         docket_annotations_panel_set_annotator (DocketAnnotationsPanel *self,
                                                     DocketAnnotator        *annotator);

G_END_DECLS
