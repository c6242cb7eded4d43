/* test-annotate-export.c: an annotated document exported, and read back
 *
 * Bad input never crashes the export: a geometry that does not parse, an annotation on a
 * page the document lacks (left out). The export puts each annotation where it was drawn,
 * on a plain page and on a page turned by /Rotate 90, as poppler renders the copy and as
 * poppler and `qpdf --json` read it. Annotating in the window, and its export read back,
 * is in test-annotate.c; the readers both use, in test-annotate-common.c.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <json-glib/json-glib.h>
#include <poppler.h>

#include "docket-test-util.h"
#include "docket-ui-test-util.h"
#include "docket-ui-test-client.h"
#include "test-annotate-common.h"
#include "docket-store.h"
#include "docket-window.h"
#include "docket-document.h"
#include "docket-document-view.h"
#include "docket-page-widget.h"
#include "docket-annotator.h"
#include "docket-annotations-panel.h"
#include "docket-annotation-toolbar.h"
#include "docket-annotation-list.h"
#include "docket-note-popover.h"
#include "docket-pdf-export.h"
#include "docket-pdf-link.h"

/* Bad input never crashes: a geometry that does not parse, an annotation on a page the
 * document does not have (the export leaves it out). */
static void
test_bad_input (void)
{
  g_autofree char *root = docket_test_make_tmpdir ("docket-annotate-bad");
  g_autofree char *source = g_build_filename (root, "source.pdf", NULL);
  g_autofree char *copy = g_build_filename (root, "copy.pdf", NULL);
  g_autofree char *missing = g_build_filename (root, "missing.pdf", NULL);
  g_autoptr(GBytes) pdf = docket_test_make_pdf (1000);
  g_autoptr(DocketAnnotationRecord) bad = docket_annotation_record_new ();
  g_autoptr(DocketAnnotationRecord) far = NULL;
  g_autoptr(DocketAnnotation) annotation = NULL;
  g_autoptr(GPtrArray) records = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  ExportedAnnots exported;

  g_assert_true (g_file_set_contents (source, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), &error));
  g_assert_no_error (error);

  bad->id = g_uuid_string_random ();
  bad->document_id = g_strdup ("d");
  bad->kind = DOCKET_ANNOTATION_INK;
  bad->color = g_strdup ("#112233");
  bad->geometry = g_strdup ("{\"width\": \"wide\", \"strokes\": [[1e999, 2]]}");
  bad->contents = g_strdup ("");
  g_test_expect_message (NULL, G_LOG_LEVEL_WARNING, "*cannot be read*");
  annotation = docket_annotation_new (bad);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (docket_annotation_get_geometry (annotation)->strokes->len, ==, 0);

  far = docket_annotation_record_copy (bad);
  g_free (far->geometry);
  far->kind = DOCKET_ANNOTATION_NOTE;
  far->geometry = g_strdup ("{\"x\": 10, \"y\": 10}");
  far->page = 40;
  g_ptr_array_add (records, far);
  g_assert_true (docket_pdf_export_annotations (source, copy, records, NULL, &error));
  g_assert_no_error (error);
  read_back_with_poppler (copy, &exported);
  g_assert_cmpuint (exported.text, ==, 0);

  /* A destination that cannot be written: an error, nothing left behind. */
  {
    g_autofree char *nowhere = g_build_filename (root, "no-such-folder", "copy.pdf", NULL);
    g_autoptr(GDir) dir = NULL;
    guint n_files = 0;

    g_assert_false (docket_pdf_export_annotations (source, nowhere, records, NULL, &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
    dir = g_dir_open (root, 0, &error);
    g_assert_no_error (error);
    while (g_dir_read_name (dir) != NULL)
      n_files++;
    g_assert_cmpuint (n_files, ==, 2);   /* source.pdf and copy.pdf */
  }

  /* A source that is not there: an error, and no file at the destination. */
  g_assert_false (docket_pdf_export_annotations (missing, copy, records, NULL, &error));
  g_assert_error (error, DOCKET_PDF_ERROR, DOCKET_PDF_ERROR_DAMAGED);
  g_clear_error (&error);

  docket_test_rmtree (root);
}

/* The colour of a pixel of page 0 of path rendered with poppler, at a point given in
 * points from the top left of the page as shown. */
static void
pixel_at (const char *path,
          double      x,
          double      y,
          guint8     *out_r,
          guint8     *out_g,
          guint8     *out_b)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  PopplerDocument *document = poppler_document_new_from_gfile (file, NULL, NULL, &error);
  PopplerPage *page;
  cairo_surface_t *surface;
  cairo_t *cr;
  double width, height;
  guint32 pixel;

  g_assert_no_error (error);
  page = poppler_document_get_page (document, 0);
  poppler_page_get_size (page, &width, &height);
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) width, (int) height);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  poppler_page_render (page, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  pixel = *(guint32 *) (cairo_image_surface_get_data (surface) +
                        (int) y * cairo_image_surface_get_stride (surface) + 4 * (int) x);
  *out_r = (pixel >> 16) & 0xff;
  *out_g = (pixel >> 8) & 0xff;
  *out_b = pixel & 0xff;
  cairo_surface_destroy (surface);
  g_object_unref (page);
  g_object_unref (document);
}

/* The export puts each annotation where it was drawn, on a plain page and on a page
 * turned by /Rotate 90 (where the page's own coordinates are not the shown ones): the
 * exported file, rendered by poppler, has the ink and the highlight at those points. */
static void
test_export_placement (void)
{
  g_autofree char *root = docket_test_make_tmpdir ("docket-annotate-placement");
  g_autofree char *plain = g_build_filename (root, "plain.pdf", NULL);
  g_autofree char *rotated = g_build_filename (root, "rotated.pdf", NULL);
  g_autoptr(GBytes) pdf = docket_test_make_pdf (1000);
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_annotation_record_free);
  g_autoptr(GError) error = NULL;
  const char *sources[] = { plain, rotated };

  g_assert_true (g_file_set_contents (plain, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf), &error));
  g_assert_no_error (error);
  {
    const char *argv[] = { "qpdf", "--rotate=+90:1", plain, rotated, NULL };
    int status = 0;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                                 &status, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, &error));
    g_assert_no_error (error);
  }

  /* A red stroke along y = 50, from x = 20 to 200; a yellow highlight over (100, 100) to
   * (200, 130): as shown, from the top left. */
  g_ptr_array_add (records, make_record (DOCKET_ANNOTATION_INK, "#ff0000",
                                         "{\"width\": 6, \"strokes\": [[20, 50, 110, 50, 200, 50]]}"));
  g_ptr_array_add (records, make_record (DOCKET_ANNOTATION_HIGHLIGHT, "#ffff00",
                                         "{\"rects\": [[100, 100, 200, 130]]}"));
  /* A blue rectangle 6 points wide, its left edge along x = 40, from y = 200 to 300. */
  g_ptr_array_add (records, make_record (DOCKET_ANNOTATION_RECTANGLE, "#0000ff",
                                         "{\"width\": 6, \"rect\": [40, 200, 240, 300]}"));
  /* Ink without a point: nothing to draw, left out without harm. */
  g_ptr_array_add (records, make_record (DOCKET_ANNOTATION_INK, "#ff0000", "{\"width\": 2, \"strokes\": [[]]}"));

  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    {
      g_autofree char *copy = g_strdup_printf ("%s-annotated.pdf", sources[i]);
      guint8 r, g, b;

      g_assert_true (docket_pdf_export_annotations (sources[i], copy, records, NULL, &error));
      g_assert_no_error (error);

      pixel_at (copy, 150, 50, &r, &g, &b);
      g_test_message ("%s: ink pixel %u %u %u", sources[i], r, g, b);
      g_assert_cmpuint (r, >, 200);
      g_assert_cmpuint (g, <, 80);
      g_assert_cmpuint (b, <, 80);
      /* ...and not where the page's own, unturned, coordinates would have put it. */
      pixel_at (copy, 150, 80, &r, &g, &b);
      g_assert_cmpuint (g, >, 200);

      pixel_at (copy, 150, 115, &r, &g, &b);
      g_test_message ("%s: highlight pixel %u %u %u", sources[i], r, g, b);
      g_assert_cmpuint (r, >, 200);
      g_assert_cmpuint (g, >, 200);
      g_assert_cmpuint (b, <, 120);

      /* The rectangle's line as wide as it was drawn: blue 2 points inside its left edge
       * (a 1-point border would be 1.5 points away), and not inside the rectangle. */
      pixel_at (copy, 42, 250, &r, &g, &b);
      g_test_message ("%s: rectangle line pixel %u %u %u", sources[i], r, g, b);
      g_assert_cmpuint (r, <, 80);
      g_assert_cmpuint (g, <, 80);
      g_assert_cmpuint (b, >, 200);
      pixel_at (copy, 140, 250, &r, &g, &b);
      g_assert_false (r < 80 && g < 80 && b > 200);

      /* A standard Square annotation, 6 points wide, as poppler and qpdf read it. */
      {
        ExportedAnnots exported;
        g_autoptr(GHashTable) subtypes = read_back_with_qpdf (copy);

        read_back_with_poppler (copy, &exported);
        g_free (exported.note_contents);
        g_assert_cmpuint (exported.square, ==, 1);
        g_assert_cmpuint (exported.ink, ==, 1);
        g_assert_cmpuint (subtype_count (subtypes, "/Square"), ==, 1);
        g_assert_cmpuint (subtype_count (subtypes, "/Ink"), ==, 1);
        g_assert_cmpfloat_with_epsilon (qpdf_square_border_width (copy), 6.0, 0.01);
      }
    }

  docket_test_rmtree (root);
}

int
main (int   argc,
      char *argv[])
{
  docket_ui_test_init (&argc, &argv);

  g_test_add_func ("/annotate/bad-input", test_bad_input);
  g_test_add_func ("/annotate/export-placement", test_export_placement);

  return g_test_run ();
}
