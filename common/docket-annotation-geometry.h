/* docket-annotation-geometry.h: an annotation's geometry as numbers, not JSON text
 *
 * DocketAnnotationRecord keeps its geometry as JSON text (docket-records.h gives the
 * shape of each kind). What draws, moves or exports an annotation needs the numbers:
 * this parses that text into a DocketAnnotationGeometry and writes it back. All
 * coordinates are PDF points from the page's top left.
 */
#pragma once

#include <glib.h>

#include "docket-records.h"

G_BEGIN_DECLS

/* A sticky note is drawn (and exported) as an icon this many points wide and high, its
 * top left corner at the note's point. */
#define DOCKET_ANNOTATION_NOTE_SIZE 20.0

typedef struct {
  double x0, y0, x1, y1;      /* x0 <= x1, y0 <= y1 */
} DocketGeometryRect;

typedef struct {
  DocketAnnotationKind  kind;
  /* highlight, underline, strikeout: a box per line; rectangle: one box */
  GArray               *rects;      /* DocketGeometryRect */
  /* ink: each stroke a GArray of double, x and y in turn */
  GPtrArray            *strokes;
  double                width;      /* line width of ink and rectangle */
  double                x, y;       /* note: where its icon is */
} DocketAnnotationGeometry;

DocketAnnotationGeometry *docket_annotation_geometry_new     (DocketAnnotationKind kind);
void                      docket_annotation_geometry_free    (DocketAnnotationGeometry *geometry);
/* Reads json as the geometry of kind: every number finite, boxes ordered; anything else
 * is a DOCKET_PROTOCOL_ERROR. */
DocketAnnotationGeometry *docket_annotation_geometry_parse   (DocketAnnotationKind  kind,
                                                              const char           *json,
                                                              GError              **error);
char                     *docket_annotation_geometry_to_json (const DocketAnnotationGeometry *geometry);
/* Moves every point by (dx, dy). */
void                      docket_annotation_geometry_translate (DocketAnnotationGeometry *geometry,
                                                                double                    dx,
                                                                double                    dy);
/* The box around everything drawn (a note: its point, as an empty box); FALSE when
 * there is nothing (no rects, no strokes). */
gboolean                  docket_annotation_geometry_get_bounds (const DocketAnnotationGeometry *geometry,
                                                                 DocketGeometryRect             *out_bounds);
/* Adds a stroke (takes the array) to an ink geometry. */
void                      docket_annotation_geometry_add_stroke (DocketAnnotationGeometry *geometry,
                                                                 GArray                   *points);
void                      docket_annotation_geometry_add_rect   (DocketAnnotationGeometry *geometry,
                                                                 double                    x0,
                                                                 double                    y0,
                                                                 double                    x1,
                                                                 double                    y1);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketAnnotationGeometry, docket_annotation_geometry_free)

G_END_DECLS
