/* docket-annotation-toolbar.h: the annotation tools over the pages
 *
 * Tools (select, highlight, underline, strike-out, draw, note, rectangle), colours, undo,
 * redo, delete and "Save a copy with my annotations": buttons for the "annot" actions
 * that DocketAnnotator inserts on the document view, so the toolbar needs nothing but to
 * be inside the view.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define DOCKET_TYPE_ANNOTATION_TOOLBAR (docket_annotation_toolbar_get_type ())
G_DECLARE_FINAL_TYPE (DocketAnnotationToolbar, docket_annotation_toolbar, DOCKET, ANNOTATION_TOOLBAR, GtkWidget)

GtkWidget *docket_annotation_toolbar_new (void);

G_END_DECLS
