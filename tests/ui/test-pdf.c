/* test-pdf.c: app/pdf against real PDF files written with cairo
 *
 * No display needed: loading, page sizes, rendering in workers, cancellation, the
 * bounded texture cache, and damaged files.
 */
#include "config.h"

#include <string.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <glib/gstdio.h>

#include "docket-test-util.h"
#include "docket-pdf-document.h"
#include "docket-pdf-page.h"
#include "docket-texture-cache.h"

#define A4_WIDTH  595.0
#define A4_HEIGHT 842.0

typedef struct {
  char *dir;
  char *path;      /* n_pages pages, page 1 in landscape */
  guint n_pages;
} Fixture;

/* A real PDF: A4 pages with a black bar and a title, page 1 turned to landscape. */
static void
write_pdf (const char *path,
           guint       n_pages)
{
  cairo_surface_t *surface = cairo_pdf_surface_create (path, A4_WIDTH, A4_HEIGHT);
  cairo_t *cr = cairo_create (surface);

  for (guint i = 0; i < n_pages; i++)
    {
      g_autofree char *text = g_strdup_printf ("Trang %u – Kỳ họp thứ 12", i + 1);

      if (i == 1)
        cairo_pdf_surface_set_size (surface, A4_HEIGHT, A4_WIDTH);
      else if (i == 2)
        cairo_pdf_surface_set_size (surface, A4_WIDTH, A4_HEIGHT);

      cairo_set_source_rgb (cr, 0, 0, 0);
      cairo_rectangle (cr, 50, 50, 300, 40);
      cairo_fill (cr);
      cairo_move_to (cr, 50, 150);
      cairo_set_font_size (cr, 24);
      cairo_show_text (cr, text);
      cairo_show_page (cr);
    }

  cairo_destroy (cr);
  cairo_surface_finish (surface);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->n_pages = GPOINTER_TO_UINT (data);
  fixture->dir = docket_test_make_tmpdir ("docket-pdf");
  fixture->path = g_build_filename (fixture->dir, "doc.pdf", NULL);
  write_pdf (fixture->path, fixture->n_pages);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  docket_test_rmtree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static void
on_result (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (*slot == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  return *slot;
}

static DocketPdfDocument *
load (const char  *path,
      GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GAsyncResult) result = NULL;

  docket_pdf_document_load_async (file, NULL, on_result, &result);
  return docket_pdf_document_load_finish (wait_result (&result), error);
}

static GdkTexture *
render (DocketPdfDocument  *document,
        guint               index,
        int                 width_px,
        GCancellable       *cancellable,
        GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  docket_pdf_document_render_page_async (document, index, width_px, cancellable, on_result, &result);
  return docket_pdf_document_render_page_finish (document, wait_result (&result), error);
}

static void
test_load_sizes (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketPdfDocument) document = load (fixture->path, &error);
  GListModel *pages;
  double width, height;

  g_assert_no_error (error);
  g_assert_cmpuint (docket_pdf_document_get_n_pages (document), ==, fixture->n_pages);

  pages = docket_pdf_document_get_pages (document);
  g_assert_cmpuint (g_list_model_get_n_items (pages), ==, fixture->n_pages);
  g_assert_true (g_list_model_get_item_type (pages) == DOCKET_TYPE_PDF_PAGE);

  g_assert_true (docket_pdf_document_get_page_size (document, 0, &width, &height));
  g_assert_cmpfloat_with_epsilon (width, A4_WIDTH, 0.5);
  g_assert_cmpfloat_with_epsilon (height, A4_HEIGHT, 0.5);
  g_assert_true (docket_pdf_document_get_page_size (document, 1, &width, &height));
  g_assert_cmpfloat_with_epsilon (width, A4_HEIGHT, 0.5);
  g_assert_cmpfloat_with_epsilon (height, A4_WIDTH, 0.5);
  g_assert_false (docket_pdf_document_get_page_size (document, fixture->n_pages, NULL, NULL));

  /* Loading reads sizes only: nothing is rendered yet. */
  g_assert_cmpuint (docket_pdf_document_get_render_count (document), ==, 0);
}

static gboolean
texture_has_dark_pixels (GdkTexture *texture)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  gsize stride = (gsize) width * 4;
  g_autofree guchar *pixels = g_malloc (stride * height);
  guint dark = 0, light = 0;

  gdk_texture_download (texture, pixels, stride);
  for (gsize i = 0; i < stride * height; i += 4)
    {
      if (pixels[i] < 64 && pixels[i + 1] < 64 && pixels[i + 2] < 64)
        dark++;
      else if (pixels[i] > 240 && pixels[i + 1] > 240 && pixels[i + 2] > 240)
        light++;
    }
  /* White paper with the black bar and text on it. */
  return dark > 100 && light > dark;
}

static void
test_render (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketPdfDocument) document = load (fixture->path, &error);
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GdkTexture) landscape = NULL;
  g_autoptr(GdkTexture) large = NULL;

  g_assert_no_error (error);

  texture = render (document, 0, 400, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 400);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, (int) (A4_HEIGHT * 400 / A4_WIDTH + 0.5));
  g_assert_true (texture_has_dark_pixels (texture));
  g_assert_cmpuint (docket_pdf_document_get_render_count (document), ==, 1);

  /* The cache answers the same width, not another one. */
  g_assert_true (docket_pdf_document_lookup_page (document, 0, 400) == texture);
  g_assert_null (docket_pdf_document_lookup_page (document, 0, 800));
  g_assert_null (docket_pdf_document_lookup_page (document, 2, 400));

  /* A landscape page keeps its shape. */
  landscape = render (document, 1, 400, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_height (landscape), ==, (int) (A4_WIDTH * 400 / A4_HEIGHT + 0.5));

  /* A rendering as wide as a big screen (11 MB, in memory of its own, in huge pages
   * where the kernel has them) is the same white page with its text. */
  large = render (document, 0, 1400, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (large), ==, 1400);
  g_assert_cmpint (gdk_texture_get_height (large), ==, (int) (A4_HEIGHT * 1400 / A4_WIDTH + 0.5));
  g_assert_true (texture_has_dark_pixels (large));

  /* No such page: an error, not a crash. */
  g_assert_null (render (document, fixture->n_pages + 5, 400, NULL, &error));
  g_assert_error (error, DOCKET_PDF_ERROR, DOCKET_PDF_ERROR_NO_SUCH_PAGE);
}

/* A rendering so tall it would pass the largest texture side is made smaller, keeping
 * the page's shape, and the document says beforehand how wide it will be, so that a view
 * does not ask for it again and again. */
static void
test_render_width_capped (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketPdfDocument) document = load (fixture->path, &error);
  g_autoptr(GdkTexture) texture = NULL;
  int capped = (int) (A4_WIDTH * DOCKET_PDF_MAX_TEXTURE_SIDE / A4_HEIGHT + 0.5);

  g_assert_no_error (error);
  g_assert_cmpint (docket_pdf_document_get_render_width (document, 0, 400), ==, 400);
  /* The landscape page is wide, not tall: not capped at that width. */
  g_assert_cmpint (docket_pdf_document_get_render_width (document, 1, 6000), ==, 6000);
  g_assert_cmpint (docket_pdf_document_get_render_width (document, 0, 6000), ==, capped);
  g_assert_cmpint (capped, <, 6000);

  texture = render (document, 0, 6000, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, capped);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, DOCKET_PDF_MAX_TEXTURE_SIDE);
  g_assert_true (docket_pdf_document_lookup_page (document, 0, capped) == texture);
}

static void
test_render_cancelled (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketPdfDocument) document = load (fixture->path, &error);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  g_assert_no_error (error);
  g_cancellable_cancel (cancellable);
  g_assert_null (render (document, 0, 400, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (docket_pdf_document_get_render_count (document), ==, 0);
  g_assert_null (docket_pdf_document_lookup_page (document, 0, 400));
}

/* Many renders of one document at once from several workers: the lock keeps poppler
 * safe, and every one comes back. */
static void
test_render_concurrent (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketPdfDocument) document = load (fixture->path, &error);
  GAsyncResult *results[24] = { NULL };

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    docket_pdf_document_render_page_async (document, i % fixture->n_pages, 200 + 10 * i, NULL,
                                           on_result, &results[i]);
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      g_autoptr(GdkTexture) texture = NULL;

      texture = docket_pdf_document_render_page_finish (document, wait_result (&results[i]), &error);
      g_assert_no_error (error);
      g_assert_cmpint (gdk_texture_get_width (texture), ==, 200 + 10 * (int) i);
      g_clear_object (&results[i]);
    }
  g_assert_cmpuint (docket_pdf_document_get_render_count (document), ==, G_N_ELEMENTS (results));
}

static void
assert_damaged (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketPdfDocument) document = load (path, &error);

  g_assert_null (document);
  g_assert_error (error, DOCKET_PDF_ERROR, DOCKET_PDF_ERROR_DAMAGED);
  g_assert_cmpstr (error->message, !=, "");
}

static void
test_damaged (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *garbage = g_build_filename (fixture->dir, "garbage.pdf", NULL);
  g_autofree char *empty = g_build_filename (fixture->dir, "empty.pdf", NULL);
  g_autofree char *truncated = g_build_filename (fixture->dir, "truncated.pdf", NULL);
  g_autofree char *missing = g_build_filename (fixture->dir, "missing.pdf", NULL);
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_set_contents (garbage, "%PDF-1.7\nnot really\n", -1, NULL));
  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  g_assert_true (g_file_get_contents (fixture->path, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (truncated, contents, (gssize) (length / 3), NULL));

  assert_damaged (garbage);
  assert_damaged (empty);
  assert_damaged (truncated);
  assert_damaged (missing);
}

static GdkTexture *
blank_texture (int width,
               int height)
{
  gsize stride = (gsize) width * 4;
  g_autoptr(GBytes) bytes = g_bytes_new_take (g_malloc0 (stride * height), stride * height);

  return gdk_memory_texture_new (width, height, GDK_MEMORY_DEFAULT, bytes, stride);
}

static void
test_cache_bounded (void)
{
  /* Room for two 100x100 textures (40 kB each). */
  g_autoptr(DocketTextureCache) cache = docket_texture_cache_new (80000);

  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(GdkTexture) texture = blank_texture (100, 100);
      docket_texture_cache_insert (cache, i, texture);
      g_assert_cmpuint (docket_texture_cache_get_n_bytes (cache), <=, 80000);
    }
  g_assert_cmpuint (docket_texture_cache_get_n_textures (cache), ==, 2);
  /* The most recent ones stay. */
  g_assert_nonnull (docket_texture_cache_lookup (cache, 9, 100));
  g_assert_nonnull (docket_texture_cache_lookup (cache, 8, 100));
  g_assert_null (docket_texture_cache_lookup (cache, 0, 100));

  /* Using 8 makes 9 the oldest: it goes first. */
  g_assert_nonnull (docket_texture_cache_lookup (cache, 8, 100));
  {
    g_autoptr(GdkTexture) texture = blank_texture (100, 100);
    docket_texture_cache_insert (cache, 20, texture);
  }
  g_assert_nonnull (docket_texture_cache_lookup (cache, 8, 100));
  g_assert_null (docket_texture_cache_lookup (cache, 9, 100));

  /* A page re-rendered at another width replaces its old texture. */
  {
    g_autoptr(GdkTexture) texture = blank_texture (50, 50);
    docket_texture_cache_insert (cache, 8, texture);
  }
  g_assert_null (docket_texture_cache_lookup (cache, 8, 100));
  g_assert_nonnull (docket_texture_cache_lookup (cache, 8, 50));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/pdf/load-sizes", Fixture, GUINT_TO_POINTER (1000),
              fixture_set_up, test_load_sizes, fixture_tear_down);
  g_test_add ("/pdf/render", Fixture, GUINT_TO_POINTER (3),
              fixture_set_up, test_render, fixture_tear_down);
  g_test_add ("/pdf/render-width-capped", Fixture, GUINT_TO_POINTER (3),
              fixture_set_up, test_render_width_capped, fixture_tear_down);
  g_test_add ("/pdf/render-cancelled", Fixture, GUINT_TO_POINTER (3),
              fixture_set_up, test_render_cancelled, fixture_tear_down);
  g_test_add ("/pdf/render-concurrent", Fixture, GUINT_TO_POINTER (5),
              fixture_set_up, test_render_concurrent, fixture_tear_down);
  g_test_add ("/pdf/damaged", Fixture, GUINT_TO_POINTER (3),
              fixture_set_up, test_damaged, fixture_tear_down);
  g_test_add_func ("/pdf/cache-bounded", test_cache_bounded);

  return g_test_run ();
}
