/* docket-annotation.h: one of the official's annotations, as the page and the panel show it
 *
 * An immutable snapshot of a DocketAnnotationRecord with its geometry read into numbers.
 * Editing makes a new record through DocketAnnotationList, which replaces the object:
 * hold on to an annotation by its id, not by the object.
 */
#pragma once

#include <glib-object.h>

#include "docket-records.h"
#include "docket-annotation-geometry.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_ANNOTATION (docket_annotation_get_type ())
G_DECLARE_FINAL_TYPE (DocketAnnotation, docket_annotation, DOCKET, ANNOTATION, GObject)

/* Copies record. A geometry that does not parse gives an annotation that draws nothing
 * (and a warning), never a crash. */
DocketAnnotation               *docket_annotation_new          (const DocketAnnotationRecord *record);
const DocketAnnotationRecord   *docket_annotation_get_record   (DocketAnnotation *self);
const DocketAnnotationGeometry *docket_annotation_get_geometry (DocketAnnotation *self);
const char                     *docket_annotation_get_id       (DocketAnnotation *self);
guint                           docket_annotation_get_page     (DocketAnnotation *self);
DocketAnnotationKind            docket_annotation_get_kind     (DocketAnnotation *self);
const char                     *docket_annotation_get_color    (DocketAnnotation *self);
const char                     *docket_annotation_get_contents (DocketAnnotation *self);
/* What the panel says the annotation is: "Highlight", "Ink"... (translated). */
const char                     *docket_annotation_kind_get_label (DocketAnnotationKind kind);

G_END_DECLS
