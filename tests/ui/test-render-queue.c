/* test-render-queue.c: app/pdf's DocketRenderQueue against a real PDF written with cairo
 *
 * No display needed: the order the queue renders in (a low-resolution pass first while
 * the view moves, the pages ahead in the scroll's direction), and work for pages that
 * left the screen dropped before it is rendered.
 */
#include "config.h"

#include <cairo.h>
#include <cairo-pdf.h>

#include "docket-test-util.h"
#include "docket-pdf-document.h"
#include "docket-render-queue.h"

#define N_PAGES 60
/* As a page widget at 100 % asks for an A4 page: 595 points at 96 dpi. */
#define WIDTH_PX 793

typedef struct {
  char              *dir;
  DocketPdfDocument *document;
  DocketRenderQueue *queue;     /* the document's */
  GArray            *rendered;  /* Rendered, in the order "rendered" said them */
} Fixture;

typedef struct {
  guint index;
  int   width_px;
} Rendered;

static void
write_pdf (const char *path)
{
  cairo_surface_t *surface = cairo_pdf_surface_create (path, 595, 842);
  cairo_t *cr = cairo_create (surface);

  for (guint i = 0; i < N_PAGES; i++)
    {
      g_autofree char *text = g_strdup_printf ("Trang %u", i + 1);

      cairo_move_to (cr, 50, 100);
      cairo_set_font_size (cr, 40);
      cairo_show_text (cr, text);
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
}

static void
on_rendered (DocketRenderQueue *queue,
             guint              index,
             GdkTexture        *texture,
             const GError      *error,
             Fixture           *fixture)
{
  Rendered rendered = { index, texture != NULL ? gdk_texture_get_width (texture) : -1 };

  g_assert_no_error (error);
  g_array_append_val (fixture->rendered, rendered);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  fixture->dir = docket_test_make_tmpdir ("docket-render-queue");
  path = g_build_filename (fixture->dir, "long.pdf", NULL);
  write_pdf (path);
  file = g_file_new_for_path (path);
  fixture->document = docket_pdf_document_load (file, NULL, &error);
  g_assert_no_error (error);
  fixture->queue = docket_render_queue_for_document (fixture->document);
  g_assert_true (docket_render_queue_for_document (fixture->document) == fixture->queue);
  fixture->rendered = g_array_new (FALSE, FALSE, sizeof (Rendered));
  g_signal_connect (fixture->queue, "rendered", G_CALLBACK (on_rendered), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_signal_handlers_disconnect_by_data (fixture->queue, fixture);
  g_clear_object (&fixture->document);
  g_clear_pointer (&fixture->rendered, g_array_unref);
  docket_test_rmtree (fixture->dir);
  g_free (fixture->dir);
}

static gboolean
was_rendered (Fixture *fixture,
              guint    index,
              int      width_px)
{
  for (guint i = 0; i < fixture->rendered->len; i++)
    {
      Rendered *rendered = &g_array_index (fixture->rendered, Rendered, i);

      if (rendered->index == index && rendered->width_px == width_px)
        return TRUE;
    }
  return FALSE;
}

/* Where the rendering of page index width_px wide came among those said, or -1. */
static int
order_of (Fixture *fixture,
          guint    index,
          int      width_px)
{
  for (guint i = 0; i < fixture->rendered->len; i++)
    {
      Rendered *rendered = &g_array_index (fixture->rendered, Rendered, i);

      if (rendered->index == index && rendered->width_px == width_px)
        return (int) i;
    }
  return -1;
}

static gboolean
on_timeout (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main context until page index came width_px wide; fails after 30 s. */
static void
wait_rendered (Fixture *fixture,
               guint    index,
               int      width_px)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (30, on_timeout, &timed_out);

  while (!was_rendered (fixture, index, width_px) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("page %u was not rendered %d px wide within 30 s", index + 1, width_px);
  g_source_remove (id);
}

/* Wanted, rendered once, then handed out from the document's cache. */
static void
test_want (Fixture       *fixture,
           gconstpointer  data)
{
  GdkTexture *texture;

  g_assert_null (docket_render_queue_want (fixture->queue, 0, WIDTH_PX));
  wait_rendered (fixture, 0, WIDTH_PX);
  g_assert_cmpuint (docket_pdf_document_get_render_count (fixture->document), ==, 1);
  /* At rest: no low-resolution pass, nothing ahead. */
  g_assert_cmpuint (fixture->rendered->len, ==, 1);
  g_assert_null (docket_render_queue_lookup_preview (fixture->queue, 0));

  texture = docket_render_queue_want (fixture->queue, 0, WIDTH_PX);
  g_assert_nonnull (texture);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, WIDTH_PX);
  g_assert_cmpuint (docket_pdf_document_get_render_count (fixture->document), ==, 1);
  docket_render_queue_release (fixture->queue, 0, WIDTH_PX);
  docket_render_queue_release (fixture->queue, 0, WIDTH_PX);
}

/* Moving down, the two pages after the last one on screen render before anything asks
 * for them, small first; no further. */
static void
test_ahead (Fixture       *fixture,
            gconstpointer  data)
{
  g_assert_null (docket_render_queue_want (fixture->queue, 10, WIDTH_PX));
  g_assert_null (docket_render_queue_want (fixture->queue, 11, WIDTH_PX));
  docket_render_queue_scrolled (fixture->queue, 1);
  docket_render_queue_scrolled (fixture->queue, 1);

  wait_rendered (fixture, 13, WIDTH_PX);
  g_assert_true (was_rendered (fixture, 10, WIDTH_PX));
  g_assert_true (was_rendered (fixture, 11, WIDTH_PX));
  g_assert_true (was_rendered (fixture, 12, WIDTH_PX));
  g_assert_nonnull (docket_pdf_document_lookup_page (fixture->document, 12, WIDTH_PX));
  g_assert_nonnull (docket_pdf_document_lookup_page (fixture->document, 13, WIDTH_PX));
  g_assert_null (docket_pdf_document_lookup_page (fixture->document, 14, WIDTH_PX));
  g_assert_null (docket_pdf_document_lookup_page (fixture->document, 9, WIDTH_PX));
  /* Each page ahead got its small rendering first, the pages on screen none (they were
   * wanted at rest): 10, 11, then 12 and 13 small, then 12 and 13 sharp. */
  g_assert_nonnull (docket_render_queue_lookup_preview (fixture->queue, 12));
  g_assert_nonnull (docket_render_queue_lookup_preview (fixture->queue, 13));
  g_assert_null (docket_render_queue_lookup_preview (fixture->queue, 11));
  g_assert_null (docket_render_queue_lookup_preview (fixture->queue, 14));
  g_assert_cmpint (order_of (fixture, 12, WIDTH_PX / 4), <, order_of (fixture, 12, WIDTH_PX));
  g_assert_cmpint (order_of (fixture, 13, WIDTH_PX / 4), <, order_of (fixture, 12, WIDTH_PX));
  g_assert_cmpuint (docket_pdf_document_get_render_count (fixture->document), ==, 6);

  /* Up now: ahead is above the screen. */
  docket_render_queue_scrolled (fixture->queue, -1);
  docket_render_queue_scrolled (fixture->queue, -1);
  wait_rendered (fixture, 8, WIDTH_PX);
  g_assert_true (was_rendered (fixture, 9, WIDTH_PX));
  docket_render_queue_release (fixture->queue, 10, WIDTH_PX);
  docket_render_queue_release (fixture->queue, 11, WIDTH_PX);
}

/* While the view moves, a page that comes into view with nothing to show gets a small
 * rendering first, kept for when it comes back. */
static void
test_preview_first (Fixture       *fixture,
                    gconstpointer  data)
{
  Rendered *first = NULL;
  GdkTexture *preview;

  docket_render_queue_scrolled (fixture->queue, 1);
  docket_render_queue_scrolled (fixture->queue, 1);
  g_assert_null (docket_render_queue_want (fixture->queue, 20, WIDTH_PX));
  wait_rendered (fixture, 20, WIDTH_PX);

  for (guint i = 0; i < fixture->rendered->len && first == NULL; i++)
    if (g_array_index (fixture->rendered, Rendered, i).index == 20)
      first = &g_array_index (fixture->rendered, Rendered, i);
  g_assert_nonnull (first);
  g_assert_cmpint (first->width_px, >, 0);
  g_assert_cmpint (first->width_px, <, WIDTH_PX / 2);
  preview = docket_render_queue_lookup_preview (fixture->queue, 20);
  g_assert_nonnull (preview);
  g_assert_cmpint (gdk_texture_get_width (preview), ==, first->width_px);
  docket_render_queue_release (fixture->queue, 20, WIDTH_PX);
}

/* Pages that left the screen before their turn are never rendered: neither those still
 * in the queue nor the one already handed to the render thread. */
static void
test_release_drops (Fixture       *fixture,
                    gconstpointer  data)
{
  g_assert_null (docket_render_queue_want (fixture->queue, 30, WIDTH_PX));
  g_assert_null (docket_render_queue_want (fixture->queue, 31, WIDTH_PX));
  g_assert_null (docket_render_queue_want (fixture->queue, 32, WIDTH_PX));
  g_assert_null (docket_render_queue_want (fixture->queue, 33, WIDTH_PX));
  docket_render_queue_release (fixture->queue, 31, WIDTH_PX);
  docket_render_queue_release (fixture->queue, 32, WIDTH_PX);
  docket_render_queue_release (fixture->queue, 33, WIDTH_PX);
  /* Asked last: had the others stayed queued, they would have come before it. */
  g_assert_null (docket_render_queue_want (fixture->queue, 40, WIDTH_PX));
  wait_rendered (fixture, 40, WIDTH_PX);

  g_assert_true (was_rendered (fixture, 30, WIDTH_PX));
  for (guint index = 31; index <= 33; index++)
    {
      g_assert_false (was_rendered (fixture, index, WIDTH_PX));
      g_assert_null (docket_pdf_document_lookup_page (fixture->document, index, WIDTH_PX));
    }
  g_assert_cmpuint (docket_pdf_document_get_render_count (fixture->document), ==, 2);
  docket_render_queue_release (fixture->queue, 30, WIDTH_PX);
  docket_render_queue_release (fixture->queue, 40, WIDTH_PX);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/render-queue/want", Fixture, NULL, fixture_set_up, test_want, fixture_tear_down);
  g_test_add ("/render-queue/ahead", Fixture, NULL, fixture_set_up, test_ahead, fixture_tear_down);
  g_test_add ("/render-queue/preview-first", Fixture, NULL, fixture_set_up, test_preview_first,
              fixture_tear_down);
  g_test_add ("/render-queue/release-drops", Fixture, NULL, fixture_set_up, test_release_drops,
              fixture_tear_down);
  return g_test_run ();
}
