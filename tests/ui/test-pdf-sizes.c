/* test-pdf-sizes.c: a long document opens before all its page sizes are read
 *
 * No display needed. docket_pdf_document_load_async reads the sizes of the first pages
 * only and guesses the others (the size of the pages before them) until a worker has
 * read them; then the pages whose guess was wrong are replaced in the pages model. These
 * tests write real PDFs with cairo whose odd pages lie past the pages read at once, and
 * check that every size ends right, that renderings have the real shape even before,
 * that the blocking load reads everything, and that a document dropped while its
 * workers run is finalized in the main thread, never in a worker.
 */
#include "config.h"

#include <cairo.h>
#include <cairo-pdf.h>

#include "docket-test-util.h"
#include "docket-pdf-document.h"
#include "docket-pdf-page.h"

#define A4_WIDTH  595.0
#define A4_HEIGHT 842.0
#define A3_WIDTH  842.0
#define A3_HEIGHT 1191.0
#define N_PAGES   400

/* Pages whose size is not A4 portrait: a landscape page, a run of A3 pages, the last
 * page in A5; all far past the first pages read at load. */
#define LANDSCAPE_PAGE 200
#define A3_FIRST       250
#define A3_LAST        259

static void
page_size (guint   index,
           double *width,
           double *height)
{
  if (index == LANDSCAPE_PAGE)
    *width = A4_HEIGHT, *height = A4_WIDTH;
  else if (index >= A3_FIRST && index <= A3_LAST)
    *width = A3_WIDTH, *height = A3_HEIGHT;
  else if (index == N_PAGES - 1)
    *width = 420, *height = A4_WIDTH;
  else
    *width = A4_WIDTH, *height = A4_HEIGHT;
}

static char *
write_pdf (const char *dir)
{
  char *path = g_build_filename (dir, "long.pdf", NULL);
  cairo_surface_t *surface = cairo_pdf_surface_create (path, A4_WIDTH, A4_HEIGHT);
  cairo_t *cr = cairo_create (surface);

  for (guint i = 0; i < N_PAGES; i++)
    {
      g_autofree char *text = g_strdup_printf ("Trang %u", i + 1);
      double width, height;

      page_size (i, &width, &height);
      cairo_pdf_surface_set_size (surface, width, height);
      cairo_set_source_rgb (cr, 0, 0, 0);
      cairo_rectangle (cr, 40, 40, 200, 30);
      cairo_fill (cr);
      cairo_move_to (cr, 40, 120);
      cairo_set_font_size (cr, 20);
      cairo_show_text (cr, text);
      cairo_show_page (cr);
    }

  cairo_destroy (cr);
  cairo_surface_finish (surface);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
  return path;
}

static void
on_result (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

typedef gboolean (*Condition) (gpointer data);

static void
wait_for (Condition   condition,
          gpointer    data,
          const char *what)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for %s", what);
      g_main_context_iteration (NULL, TRUE);
    }
}

static gboolean
has_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static DocketPdfDocument *
load_async (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  DocketPdfDocument *document;

  docket_pdf_document_load_async (file, NULL, on_result, &result);
  wait_for (has_result, &result, "the document to load");
  document = docket_pdf_document_load_finish (result, &error);
  g_assert_no_error (error);
  return document;
}

static gboolean
sizes_known (gpointer data)
{
  return docket_pdf_document_get_sizes_known (data);
}

static void
assert_page_size (DocketPdfDocument *document,
                  guint              index)
{
  g_autoptr(DocketPdfPage) page = g_list_model_get_item (docket_pdf_document_get_pages (document), index);
  double width, height;

  page_size (index, &width, &height);
  g_assert_nonnull (page);
  g_assert_cmpuint (docket_pdf_page_get_index (page), ==, index);
  g_assert_cmpfloat_with_epsilon (docket_pdf_page_get_width (page), width, 0.5);
  g_assert_cmpfloat_with_epsilon (docket_pdf_page_get_height (page), height, 0.5);
}

typedef struct {
  guint changes;       /* items-changed emissions */
  guint replaced;      /* items replaced in all */
} Changes;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Changes    *changes)
{
  /* Replaced, never more or fewer: the document keeps its pages. */
  g_assert_cmpuint (removed, ==, added);
  changes->changes++;
  changes->replaced += added;
}

static void
test_lazy_sizes (void)
{
  g_autofree char *dir = docket_test_make_tmpdir ("docket-pdf-sizes");
  g_autofree char *path = write_pdf (dir);
  g_autoptr(DocketPdfDocument) document = load_async (path);
  GListModel *pages = docket_pdf_document_get_pages (document);
  Changes changes = { 0, 0 };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  gulong id;

  g_assert_cmpuint (docket_pdf_document_get_n_pages (document), ==, N_PAGES);
  g_assert_cmpuint (g_list_model_get_n_items (pages), ==, N_PAGES);
  /* The first pages are known at once; the others only after a worker read them, and
   * nothing could have been delivered before the main loop ran. */
  g_assert_false (docket_pdf_document_get_sizes_known (document));
  assert_page_size (document, 0);
  assert_page_size (document, 1);
  id = g_signal_connect (pages, "items-changed", G_CALLBACK (on_items_changed), &changes);

  /* Rendered now, the landscape page has its real shape, guess or no guess. */
  docket_pdf_document_render_page_async (document, LANDSCAPE_PAGE, 400, NULL, on_result, &result);
  wait_for (has_result, &result, "the landscape page to render");
  texture = docket_pdf_document_render_page_finish (document, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 400);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, (int) (A4_WIDTH * 400 / A4_HEIGHT + 0.5));

  wait_for (sizes_known, document, "every page size");
  g_signal_handler_disconnect (pages, id);

  for (guint i = 0; i < N_PAGES; i++)
    assert_page_size (document, i);
  /* Three runs of wrong guesses, twelve pages, each run replaced at once. */
  g_assert_cmpuint (changes.changes, ==, 3);
  g_assert_cmpuint (changes.replaced, ==, 1 + (A3_LAST - A3_FIRST + 1) + 1);
  /* And what a view asks the width of is what the page now is. */
  g_assert_cmpint (docket_pdf_document_get_render_width (document, A3_FIRST, 842), ==, 842);

  docket_test_rmtree (dir);
}

/* Tools want every size at once. */
static void
test_blocking_load (void)
{
  g_autofree char *dir = docket_test_make_tmpdir ("docket-pdf-sizes");
  g_autofree char *path = write_pdf (dir);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketPdfDocument) document = docket_pdf_document_load (file, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (docket_pdf_document_get_sizes_known (document));
  for (guint i = 0; i < N_PAGES; i++)
    assert_page_size (document, i);

  docket_test_rmtree (dir);
}

typedef struct {
  GThread  *thread;
  gboolean  finalized;
} Finalized;

static void
on_finalized (gpointer  data,
              GObject  *where_the_object_was)
{
  Finalized *finalized = data;

  finalized->thread = g_thread_self ();
  finalized->finalized = TRUE;
}

static gboolean
is_finalized (gpointer data)
{
  return ((Finalized *) data)->finalized;
}

static void
on_dropped_render (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = docket_pdf_document_render_page_finish (DOCKET_PDF_DOCUMENT (source),
                                                                          result, &error);

  /* Rendered or cancelled, the job ended without the caller holding the document. */
  g_assert_true (texture != NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
  (*(guint *) user_data)++;
}

/* A document dropped while its sizes are being read and its pages rendered goes when
 * the last of them is done, in the main thread: a worker never finalizes it (poppler's
 * global state is not for two threads to tear down). */
static void
test_dropped_while_busy (void)
{
  g_autofree char *dir = docket_test_make_tmpdir ("docket-pdf-sizes");
  g_autofree char *path = write_pdf (dir);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  DocketPdfDocument *document = load_async (path);
  Finalized finalized = { NULL, FALSE };
  guint ended = 0;

  g_object_weak_ref (G_OBJECT (document), on_finalized, &finalized);
  for (guint i = 0; i < 6; i++)
    docket_pdf_document_render_page_async (document, i * 60, 300, i % 2 ? cancellable : NULL,
                                           on_dropped_render, &ended);
  g_cancellable_cancel (cancellable);
  g_object_unref (document);

  wait_for (is_finalized, &finalized, "the document to be finalized");
  g_assert_cmpuint (ended, ==, 6);
  g_assert_true (finalized.thread == g_thread_self ());

  docket_test_rmtree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pdf-sizes/lazy", test_lazy_sizes);
  g_test_add_func ("/pdf-sizes/blocking-load", test_blocking_load);
  g_test_add_func ("/pdf-sizes/dropped-while-busy", test_dropped_while_busy);

  return g_test_run ();
}
