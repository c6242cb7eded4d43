/* docket-pdf-export.c: "Save a copy with my annotations" */

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <poppler.h>
#include <qpdf/qpdf-c.h>

#include "docket-annotation-geometry.h"
#include "docket-pdf-document.h"
#include "docket-pdf-export.h"

/* An annotation poppler-glib cannot write as drawn (ink, which it cannot make; a
 * rectangle, whose line width it cannot set), left for qpdf, with what it needs of its
 * page: poppler's coordinates are the crop box's, qpdf's the page's user space. */
typedef struct {
  const DocketAnnotationRecord *record;
  DocketAnnotationGeometry     *geometry;
  double                        origin_x, origin_y;  /* the crop box's lower left corner */
  double                        crop_width;          /* the crop box's size, unrotated */
  double                        crop_height;
  double                        height;              /* the page's height as shown */
  int                           rotation;            /* the page's /Rotate: 0, 90, 180, 270 */
} QpdfJob;

static void
qpdf_job_free (QpdfJob *job)
{
  docket_annotation_geometry_free (job->geometry);
  g_free (job);
}

static void
parse_color (const char *text,
             double     *r,
             double     *g,
             double     *b)
{
  guint64 value = 0;

  *r = *g = *b = 0;
  if (text == NULL || text[0] != '#' || strlen (text) != 7 ||
      !g_ascii_string_to_unsigned (text + 1, 16, 0, 0xffffff, &value, NULL))
    return;
  *r = ((value >> 16) & 0xff) / 255.0;
  *g = ((value >> 8) & 0xff) / 255.0;
  *b = (value & 0xff) / 255.0;
}

static void
set_common (PopplerAnnot                 *annot,
            const DocketAnnotationRecord *record)
{
  double r, g, b;
  PopplerColor color;

  parse_color (record->color, &r, &g, &b);
  color.red = (guint16) (r * 65535 + 0.5);
  color.green = (guint16) (g * 65535 + 0.5);
  color.blue = (guint16) (b * 65535 + 0.5);
  poppler_annot_set_color (annot, &color);
  poppler_annot_set_flags (annot, POPPLER_ANNOT_FLAG_PRINT);
  if (record->contents != NULL && record->contents[0] != '\0')
    poppler_annot_set_contents (annot, record->contents);
}

/* Our boxes have their origin at the top left; poppler's at the bottom left of the crop
 * box. */
static PopplerRectangle
to_poppler_rect (const DocketGeometryRect *box,
                 double                    height)
{
  PopplerRectangle rect = { box->x0, height - box->y1, box->x1, height - box->y0 };
  return rect;
}

static PopplerAnnot *
make_markup (PopplerDocument                *document,
             const DocketAnnotationRecord   *record,
             const DocketAnnotationGeometry *geometry,
             double                          height)
{
  g_autoptr(GArray) quads = g_array_new (FALSE, FALSE, sizeof (PopplerQuadrilateral));
  DocketGeometryRect bounds;
  PopplerRectangle rect;

  if (geometry->rects->len == 0 || !docket_annotation_geometry_get_bounds (geometry, &bounds))
    return NULL;

  for (guint i = 0; i < geometry->rects->len; i++)
    {
      const DocketGeometryRect *box = &g_array_index (geometry->rects, DocketGeometryRect, i);
      PopplerQuadrilateral quad;

      /* Upper left, upper right, lower left, lower right, as viewers expect them. */
      quad.p1 = (PopplerPoint) { box->x0, height - box->y0 };
      quad.p2 = (PopplerPoint) { box->x1, height - box->y0 };
      quad.p3 = (PopplerPoint) { box->x0, height - box->y1 };
      quad.p4 = (PopplerPoint) { box->x1, height - box->y1 };
      g_array_append_val (quads, quad);
    }
  rect = to_poppler_rect (&bounds, height);

  switch (record->kind)
    {
    case DOCKET_ANNOTATION_HIGHLIGHT:
      return poppler_annot_text_markup_new_highlight (document, &rect, quads);
    case DOCKET_ANNOTATION_UNDERLINE:
      return poppler_annot_text_markup_new_underline (document, &rect, quads);
    case DOCKET_ANNOTATION_STRIKEOUT:
      return poppler_annot_text_markup_new_strikeout (document, &rect, quads);
    default:
      return NULL;
    }
}

/* Adds the annotations poppler can make to their pages; leaves the ink and rectangle
 * ones in qpdf_jobs. Returns how many were added. Under no lock: this document is the
 * export's own. */
static guint
add_poppler_annotations (PopplerDocument *document,
                         GPtrArray       *annotations,
                         GPtrArray       *qpdf_jobs)
{
  int n_pages = poppler_document_get_n_pages (document);
  guint added = 0;

  for (guint i = 0; i < annotations->len; i++)
    {
      const DocketAnnotationRecord *record = g_ptr_array_index (annotations, i);
      g_autoptr(DocketAnnotationGeometry) geometry = NULL;
      g_autoptr(GError) error = NULL;
      PopplerPage *page;
      PopplerAnnot *annot = NULL;
      double width = 0, height = 0;

      if (record->page < 0 || record->page >= n_pages)
        {
          g_message ("Annotation %s is on page %d, which this document does not have: left out",
                     record->id, record->page + 1);
          continue;
        }
      geometry = docket_annotation_geometry_parse (record->kind, record->geometry, &error);
      if (geometry == NULL)
        {
          g_warning ("Annotation %s cannot be exported: %s", record->id, error->message);
          continue;
        }

      page = poppler_document_get_page (document, record->page);
      if (page == NULL)
        continue;
      poppler_page_get_size (page, &width, &height);

      switch (record->kind)
        {
        case DOCKET_ANNOTATION_HIGHLIGHT:
        case DOCKET_ANNOTATION_UNDERLINE:
        case DOCKET_ANNOTATION_STRIKEOUT:
          annot = make_markup (document, record, geometry, height);
          break;

        case DOCKET_ANNOTATION_NOTE:
          {
            DocketGeometryRect box = { geometry->x, geometry->y,
                                       geometry->x + DOCKET_ANNOTATION_NOTE_SIZE, geometry->y + DOCKET_ANNOTATION_NOTE_SIZE };
            PopplerRectangle rect = to_poppler_rect (&box, height);

            annot = poppler_annot_text_new (document, &rect);
            poppler_annot_text_set_icon (POPPLER_ANNOT_TEXT (annot), POPPLER_ANNOT_TEXT_ICON_NOTE);
          }
          break;

        case DOCKET_ANNOTATION_RECTANGLE:
        case DOCKET_ANNOTATION_INK:
          {
            QpdfJob *job;
            PopplerRectangle crop;
            DocketGeometryRect bounds;

            /* Strokes without a point (the wire allows them) draw nothing to export. */
            if (!docket_annotation_geometry_get_bounds (geometry, &bounds))
              break;
            job = g_new0 (QpdfJob, 1);
            poppler_page_get_crop_box (page, &crop);
            job->record = record;
            job->geometry = g_steal_pointer (&geometry);
            job->origin_x = MIN (crop.x1, crop.x2);
            job->origin_y = MIN (crop.y1, crop.y2);
            job->crop_width = fabs (crop.x2 - crop.x1);
            job->crop_height = fabs (crop.y2 - crop.y1);
            job->height = height;
            g_ptr_array_add (qpdf_jobs, job);
          }
          break;

        default:
          break;
        }

      if (annot != NULL)
        {
          set_common (annot, record);
          poppler_page_add_annot (page, annot);
          g_object_unref (annot);
          added++;
        }
      g_object_unref (page);
    }
  return added;
}

/* qpdf: ink and rectangles */

static qpdf_oh
new_number (qpdf_data qpdf,
            double    value)
{
  return qpdf_oh_new_real_from_double (qpdf, value, 3);
}

static qpdf_oh
new_rect_array (qpdf_data qpdf,
                double    x0,
                double    y0,
                double    x1,
                double    y1)
{
  qpdf_oh array = qpdf_oh_new_array (qpdf);

  qpdf_oh_append_item (qpdf, array, new_number (qpdf, x0));
  qpdf_oh_append_item (qpdf, array, new_number (qpdf, y0));
  qpdf_oh_append_item (qpdf, array, new_number (qpdf, x1));
  qpdf_oh_append_item (qpdf, array, new_number (qpdf, y1));
  return array;
}

/* A point of ours (points from the top left of the page as it is shown) in the page's
 * user space (from the crop box's corner, y upwards, before the page's /Rotate turns it
 * clockwise for showing). Poppler does the same for the annotations it adds. */
static void
to_user_space (const QpdfJob *job,
               double         x,
               double         y,
               double        *out_x,
               double        *out_y)
{
  double u = x, v = job->height - y;   /* as shown, y upwards */
  double px, py;

  switch (job->rotation)
    {
    case 90:
      px = job->crop_width - v;
      py = u;
      break;
    case 180:
      px = job->crop_width - u;
      py = job->crop_height - v;
      break;
    case 270:
      px = v;
      py = job->crop_height - u;
      break;
    default:
      px = u;
      py = v;
      break;
    }
  *out_x = job->origin_x + px;
  *out_y = job->origin_y + py;
}

/* The page's /Rotate, looked for up its /Parent chain (it is inheritable), as 0, 90,
 * 180 or 270. */
static int
page_rotation (qpdf_data qpdf,
               qpdf_oh   page)
{
  qpdf_oh node = page;

  /* A bounded walk: a broken file may loop. */
  for (int depth = 0; depth < 32 && qpdf_oh_is_dictionary (qpdf, node); depth++)
    {
      qpdf_oh rotate = qpdf_oh_get_key (qpdf, node, "/Rotate");

      if (qpdf_oh_is_integer (qpdf, rotate))
        {
          long long value = qpdf_oh_get_int_value (qpdf, rotate) % 360;
          return (int) ((value + 360) % 360 / 90 * 90);
        }
      node = qpdf_oh_get_key (qpdf, node, "/Parent");
    }
  return 0;
}

/* The box (x0, y0, x1, y1), from the top left as shown, in the page's user space, grown
 * by margin on every side. */
static void
user_space_box (const QpdfJob            *job,
                const DocketGeometryRect *box,
                double                    margin,
                double                   *x0,
                double                   *y0,
                double                   *x1,
                double                   *y1)
{
  double ax, ay, bx, by;

  to_user_space (job, box->x0, box->y0, &ax, &ay);
  to_user_space (job, box->x1, box->y1, &bx, &by);
  *x0 = MIN (ax, bx) - margin;
  *x1 = MAX (ax, bx) + margin;
  *y0 = MIN (ay, by) - margin;
  *y1 = MAX (ay, by) + margin;
}

/* An annotation's dictionary of the given subtype over the box (x0, y0, x1, y1) of the
 * page's user space, in the record's colour and line width, with an appearance stream
 * whose content is `appearance` (so that it shows the same in every viewer). */
static qpdf_oh
new_drawn_annotation (qpdf_data      qpdf,
                      const QpdfJob *job,
                      const char    *subtype,
                      double         x0,
                      double         y0,
                      double         x1,
                      double         y1,
                      const GString *appearance)
{
  double r, g, b;
  qpdf_oh annot, color, border, ap, stream, stream_dict;

  parse_color (job->record->color, &r, &g, &b);
  annot = qpdf_oh_new_dictionary (qpdf);
  qpdf_oh_replace_key (qpdf, annot, "/Type", qpdf_oh_new_name (qpdf, "/Annot"));
  qpdf_oh_replace_key (qpdf, annot, "/Subtype", qpdf_oh_new_name (qpdf, subtype));
  qpdf_oh_replace_key (qpdf, annot, "/Rect", new_rect_array (qpdf, x0, y0, x1, y1));
  qpdf_oh_replace_key (qpdf, annot, "/F", qpdf_oh_new_integer (qpdf, 4));   /* print */
  qpdf_oh_replace_key (qpdf, annot, "/NM", qpdf_oh_new_unicode_string (qpdf, job->record->id));
  if (job->record->contents != NULL && job->record->contents[0] != '\0')
    qpdf_oh_replace_key (qpdf, annot, "/Contents", qpdf_oh_new_unicode_string (qpdf, job->record->contents));

  color = qpdf_oh_new_array (qpdf);
  qpdf_oh_append_item (qpdf, color, new_number (qpdf, r));
  qpdf_oh_append_item (qpdf, color, new_number (qpdf, g));
  qpdf_oh_append_item (qpdf, color, new_number (qpdf, b));
  qpdf_oh_replace_key (qpdf, annot, "/C", color);

  border = qpdf_oh_new_dictionary (qpdf);
  qpdf_oh_replace_key (qpdf, border, "/W", new_number (qpdf, job->geometry->width));
  qpdf_oh_replace_key (qpdf, border, "/S", qpdf_oh_new_name (qpdf, "/S"));
  qpdf_oh_replace_key (qpdf, annot, "/BS", border);

  /* Written in the form's own space, which is the page's (its BBox is the annotation's
   * Rect, no Matrix). */
  stream = qpdf_oh_new_stream (qpdf);
  qpdf_oh_replace_stream_data (qpdf, stream, (const unsigned char *) appearance->str, appearance->len,
                               qpdf_oh_new_null (qpdf), qpdf_oh_new_null (qpdf));
  stream_dict = qpdf_oh_get_dict (qpdf, stream);
  qpdf_oh_replace_key (qpdf, stream_dict, "/Type", qpdf_oh_new_name (qpdf, "/XObject"));
  qpdf_oh_replace_key (qpdf, stream_dict, "/Subtype", qpdf_oh_new_name (qpdf, "/Form"));
  qpdf_oh_replace_key (qpdf, stream_dict, "/BBox", new_rect_array (qpdf, x0, y0, x1, y1));
  ap = qpdf_oh_new_dictionary (qpdf);
  qpdf_oh_replace_key (qpdf, ap, "/N", stream);
  qpdf_oh_replace_key (qpdf, annot, "/AP", ap);

  return annot;
}

/* "r g b RG w w": the stroking colour and line width of the record, to start an
 * appearance. */
static void
append_pen (GString       *content,
            const QpdfJob *job)
{
  char buffer[4][G_ASCII_DTOSTR_BUF_SIZE];
  double r, g, b;

  parse_color (job->record->color, &r, &g, &b);
  g_string_append_printf (content, "%s %s %s RG %s w",
                          g_ascii_formatd (buffer[0], sizeof buffer[0], "%.3f", r),
                          g_ascii_formatd (buffer[1], sizeof buffer[1], "%.3f", g),
                          g_ascii_formatd (buffer[2], sizeof buffer[2], "%.3f", b),
                          g_ascii_formatd (buffer[3], sizeof buffer[3], "%.3f", job->geometry->width));
}

/* The ink annotation: its paths, stroked with round joins and caps, as the pen drew it. */
static qpdf_oh
make_ink (qpdf_data      qpdf,
          const QpdfJob *job)
{
  const DocketAnnotationGeometry *geometry = job->geometry;
  DocketGeometryRect bounds;
  double x0, y0, x1, y1;
  qpdf_oh annot, ink_list;
  g_autoptr(GString) content = g_string_new (NULL);
  char buffer[2][G_ASCII_DTOSTR_BUF_SIZE];

  docket_annotation_geometry_get_bounds (geometry, &bounds);
  user_space_box (job, &bounds, geometry->width / 2 + 1, &x0, &y0, &x1, &y1);
  append_pen (content, job);
  g_string_append (content, " 1 J 1 j\n");

  ink_list = qpdf_oh_new_array (qpdf);
  for (guint i = 0; i < geometry->strokes->len; i++)
    {
      GArray *stroke = g_ptr_array_index (geometry->strokes, i);
      qpdf_oh path = qpdf_oh_new_array (qpdf);

      for (guint j = 0; j + 1 < stroke->len; j += 2)
        {
          double x, y;

          to_user_space (job, g_array_index (stroke, double, j), g_array_index (stroke, double, j + 1), &x, &y);
          qpdf_oh_append_item (qpdf, path, new_number (qpdf, x));
          qpdf_oh_append_item (qpdf, path, new_number (qpdf, y));
          g_string_append_printf (content, "%s %s %s\n",
                                  g_ascii_formatd (buffer[0], sizeof buffer[0], "%.3f", x),
                                  g_ascii_formatd (buffer[1], sizeof buffer[1], "%.3f", y),
                                  j == 0 ? "m" : "l");
        }
      /* A single point is a dot: a zero-length line with round caps draws it. */
      if (stroke->len == 2)
        {
          double x, y;

          to_user_space (job, g_array_index (stroke, double, 0), g_array_index (stroke, double, 1), &x, &y);
          g_string_append_printf (content, "%s %s l\n",
                                  g_ascii_formatd (buffer[0], sizeof buffer[0], "%.3f", x),
                                  g_ascii_formatd (buffer[1], sizeof buffer[1], "%.3f", y));
        }
      qpdf_oh_append_item (qpdf, ink_list, path);
    }
  g_string_append (content, "S\n");

  annot = new_drawn_annotation (qpdf, job, "/Ink", x0, y0, x1, y1, content);
  qpdf_oh_replace_key (qpdf, annot, "/InkList", ink_list);
  return qpdf_make_indirect_object (qpdf, annot);
}

/* The rectangle: a Square annotation whose border is the line drawn, as wide as drawn
 * (its Rect holds the whole line: half of it lies outside the rectangle's edges). */
static qpdf_oh
make_square (qpdf_data      qpdf,
             const QpdfJob *job)
{
  const DocketAnnotationGeometry *geometry = job->geometry;
  double half = geometry->width / 2;
  double x0, y0, x1, y1;
  g_autoptr(GString) content = g_string_new (NULL);
  char buffer[4][G_ASCII_DTOSTR_BUF_SIZE];

  user_space_box (job, &g_array_index (geometry->rects, DocketGeometryRect, 0), half, &x0, &y0, &x1, &y1);
  append_pen (content, job);
  g_string_append_printf (content, " 0 j\n%s %s %s %s re S\n",
                          g_ascii_formatd (buffer[0], sizeof buffer[0], "%.3f", x0 + half),
                          g_ascii_formatd (buffer[1], sizeof buffer[1], "%.3f", y0 + half),
                          g_ascii_formatd (buffer[2], sizeof buffer[2], "%.3f", x1 - x0 - 2 * half),
                          g_ascii_formatd (buffer[3], sizeof buffer[3], "%.3f", y1 - y0 - 2 * half));
  return qpdf_make_indirect_object (qpdf, new_drawn_annotation (qpdf, job, "/Square", x0, y0, x1, y1, content));
}

static gboolean
qpdf_failed (qpdf_data    qpdf,
             const char  *what,
             GError     **error)
{
  qpdf_error qerror;

  if (!qpdf_has_error (qpdf))
    return FALSE;
  qerror = qpdf_get_error (qpdf);
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
               _("The drawings could not be added to the copy (%s: %s)."),
               what, qpdf_get_error_full_text (qpdf, qerror));
  return TRUE;
}

/* Reads input, adds the ink and rectangle annotations to their pages and writes output. */
static gboolean
add_qpdf_annotations (const char  *input,
                      const char  *output,
                      GPtrArray   *qpdf_jobs,
                      GError     **error)
{
  qpdf_data qpdf = qpdf_init ();
  gboolean ok = FALSE;

  qpdf_silence_errors (qpdf);
  qpdf_set_suppress_warnings (qpdf, QPDF_TRUE);

  if ((qpdf_read (qpdf, input, NULL) & QPDF_ERRORS) != 0 || qpdf_failed (qpdf, "read", error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("The drawings could not be added to the copy."));
      goto out;
    }

  for (guint i = 0; i < qpdf_jobs->len; i++)
    {
      QpdfJob *job = g_ptr_array_index (qpdf_jobs, i);
      qpdf_oh page = qpdf_get_page_n (qpdf, (size_t) job->record->page);
      qpdf_oh annots, annot;

      if (qpdf_failed (qpdf, "page", error))
        goto out;
      annots = qpdf_oh_get_key (qpdf, page, "/Annots");
      if (!qpdf_oh_is_array (qpdf, annots))
        {
          annots = qpdf_oh_new_array (qpdf);
          qpdf_oh_replace_key (qpdf, page, "/Annots", annots);
        }
      job->rotation = page_rotation (qpdf, page);
      annot = job->record->kind == DOCKET_ANNOTATION_INK ? make_ink (qpdf, job) : make_square (qpdf, job);
      qpdf_oh_replace_key (qpdf, annot, "/P", page);
      qpdf_oh_append_item (qpdf, annots, annot);
      if (qpdf_failed (qpdf, "annotation", error))
        goto out;
    }

  if ((qpdf_init_write (qpdf, output) & QPDF_ERRORS) != 0 || qpdf_failed (qpdf, "write", error) ||
      (qpdf_write (qpdf) & QPDF_ERRORS) != 0 || qpdf_failed (qpdf, "write", error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("The drawings could not be added to the copy."));
      goto out;
    }
  ok = TRUE;

out:
  qpdf_cleanup (&qpdf);
  return ok;
}

/* A name next to destination for a file being written, so that the rename is atomic. */
static char *
temporary_path (const char *destination,
                const char *suffix)
{
  g_autofree char *random = g_uuid_string_random ();
  return g_strdup_printf ("%s.%.8s%s", destination, random, suffix);
}

gboolean
docket_pdf_export_annotations (const char    *source_path,
                               const char    *destination_path,
                               GPtrArray     *annotations,
                               GCancellable  *cancellable,
                               GError       **error)
{
  g_autoptr(GFile) source = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) qpdf_jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) qpdf_job_free);
  g_autofree char *poppler_path = temporary_path (destination_path, ".part");
  g_autofree char *poppler_uri = NULL;
  g_autofree char *final_path = NULL;
  PopplerDocument *document;
  gboolean saved;

  g_return_val_if_fail (source_path != NULL && destination_path != NULL, FALSE);
  g_return_val_if_fail (annotations != NULL, FALSE);

  source = g_file_new_for_path (source_path);
  document = poppler_document_new_from_gfile (source, NULL, cancellable, &local_error);
  if (document == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, DOCKET_PDF_ERROR, DOCKET_PDF_ERROR_DAMAGED,
                     _("The document could not be read (%s)."), local_error->message);
      return FALSE;
    }

  add_poppler_annotations (document, annotations, qpdf_jobs);

  poppler_uri = g_filename_to_uri (poppler_path, NULL, error);
  saved = poppler_uri != NULL && poppler_document_save (document, poppler_uri, &local_error);
  g_object_unref (document);
  if (!saved)
    {
      g_unlink (poppler_path);
      if (local_error != NULL)
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                     _("The copy could not be written (%s)."), local_error->message);
      return FALSE;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      g_unlink (poppler_path);
      return FALSE;
    }

  if (qpdf_jobs->len > 0)
    {
      final_path = temporary_path (destination_path, ".part");
      if (!add_qpdf_annotations (poppler_path, final_path, qpdf_jobs, error))
        {
          g_unlink (poppler_path);
          g_unlink (final_path);
          return FALSE;
        }
      g_unlink (poppler_path);
    }
  else
    final_path = g_steal_pointer (&poppler_path);

  if (g_rename (final_path, destination_path) != 0)
    {
      int saved_errno = errno;

      g_unlink (final_path);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("The copy could not be written (%s)."), g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

typedef struct {
  char      *source;
  char      *destination;
  GPtrArray *annotations;
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  g_free (job->source);
  g_free (job->destination);
  g_ptr_array_unref (job->annotations);
  g_free (job);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportJob *job = task_data;
  GError *error = NULL;

  if (docket_pdf_export_annotations (job->source, job->destination, job->annotations, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
docket_pdf_export_annotations_async (const char          *source_path,
                                     const char          *destination_path,
                                     GPtrArray           *annotations,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ExportJob *job;

  g_return_if_fail (source_path != NULL && destination_path != NULL && annotations != NULL);

  job = g_new0 (ExportJob, 1);
  job->source = g_strdup (source_path);
  job->destination = g_strdup (destination_path);
  job->annotations = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_annotation_record_free);
  for (guint i = 0; i < annotations->len; i++)
    g_ptr_array_add (job->annotations, docket_annotation_record_copy (g_ptr_array_index (annotations, i)));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, docket_pdf_export_annotations_async);
  g_task_set_task_data (task, job, (GDestroyNotify) export_job_free);
  g_task_run_in_thread (task, export_thread);
}

gboolean
docket_pdf_export_annotations_finish (GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
