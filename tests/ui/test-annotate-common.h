/* test-annotate-common.h: what test-annotate and test-annotate-export share
 *
 * Both read an exported copy back with two independent readers (poppler, and
 * `qpdf --json`), and both make annotation records by hand.
 */
#pragma once

#include <glib.h>

#include "docket-records.h"

G_BEGIN_DECLS

/* What poppler reads back from an export: each kind of annotation counted, the sticky
 * note's text, and the highlight's colour. */
typedef struct {
  guint highlight, underline, strikeout, text, square, ink;
  char *note_contents;
  guint16 highlight_red, highlight_green, highlight_blue;
} ExportedAnnots;

/* Reads the annotations of every page of path with poppler into out (the caller frees
 * out->note_contents). */
void read_back_with_poppler (const char     *path,
                             ExportedAnnots *out);

/* Counts the /Subtype of every object in `qpdf --json` of path. */
GHashTable *read_back_with_qpdf (const char *path);

/* The line width (/BS /W) of the Square annotation in `qpdf --json` of path, or -1. */
double qpdf_square_border_width (const char *path);

/* How many objects read_back_with_qpdf found of subtype ("/Ink"). */
guint subtype_count (GHashTable *subtypes,
                     const char *subtype);

/* A new record of document "d", with an id of its own, empty contents. */
DocketAnnotationRecord *make_record (DocketAnnotationKind  kind,
                                     const char           *color,
                                     const char           *geometry);

G_END_DECLS
