/* docket-bench-reader.c: the measurements behind bench/reader (a tool, never a test)
 *
 *   docket-bench-reader render [--repeat N] FILE...
 *       Renders a sample of pages of each FILE through Docket's renderer (a fresh
 *       DocketPdfDocument and docket_pdf_document_render_page_async, as the reader does)
 *       and through pdftoppm, at 96 and 192 dpi (100 % and 200 % in the reader), and
 *       ends with `render ratio: X`.
 *   docket-bench-reader index-search PROFILE
 *       Indexes every content of the profile that is not indexed yet with the indexer's
 *       own docket_indexer_index_file (), timing it against pdftotext on the same files,
 *       then times the store's search (docket_store_search, as the search page calls it)
 *       for queries typed a key at a time; ends with `index ratio: X` and
 *       `search p95 ms: X`.
 *   docket-bench-reader view [--no-scroll] FILE
 *       Needs a display. Opens FILE in the real DocketDocumentView in a 1280 x 900
 *       window, measures the time to its first page on screen, then scrolls through every
 *       page a screen at a time, waiting for the pages shown to be rendered, and ends
 *       with `first page ms: X` and `peak rss mb: X`.
 *   docket-bench-reader scroll FILE
 *       Needs a display. Opens FILE in the same view and window, then moves it on every
 *       frame of the frame clock (a tick callback sets the scroll position the frame's
 *       time calls for): a steady scroll from the first page at 5 screens a second for
 *       30 s, then a drag of the scrollbar from the first page to the last in one second.
 *       After each frame it notes the time since the previous frame on the frame clock
 *       (the time each frame was made for: 16.7 ms at 60 frames a second, 33.3 ms when
 *       a frame was missed), the wall-clock time since the previous frame's paint ended
 *       (for context: under Xvfb the frame clock runs on a timer, so that a paint ends a
 *       few milliseconds early or late around its slot even when no frame is missed),
 *       and whether a page on screen showed no rendering of itself; ends with
 *       `scroll frame p95 ms: X` (on the frame clock, both motions) and
 *       `blank frames %: X` (the steady scroll).
 *
 * Both sides of a comparison do the same work: for each block of consecutive pages,
 * pdftoppm is one process (it opens the file, then renders the block; the time to start
 * a process, `pdftoppm -v`, is taken off) and Docket opens a new document, then renders
 * the block; each block is timed a few times, alternately, and the fastest run of each
 * side counts, so that a busy machine hurts both alike.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include <adwaita.h>

#include "docket-indexer.h"
#include "docket-store.h"
#include "docket-pdf-document.h"
#include "docket-document-view.h"
#include "docket-page-widget.h"
#include "docket-resources.h"
#include "docket-window.h"

/* The reader's pixels per point at 100 %: 96 dpi over 72 points per inch. */
static const int resolutions[] = { 96, 192 };

/* Pages per block, blocks per file: 4 blocks of 2 pages, at 1/5, 2/5, 3/5 and 4/5 of
 * each file: 8 pages of each of the five long manuals, 40 in all. */
#define BLOCK_PAGES 2
#define BLOCKS_PER_FILE 4

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static G_GNUC_NORETURN void
die (const char *format,
     ...)
{
  va_list args;

  va_start (args, format);
  fputs ("docket-bench-reader: ", stderr);
  vfprintf (stderr, format, args);
  fputc ('\n', stderr);
  va_end (args);
  exit (1);
}

/* /proc/self/status's field (VmRSS, VmHWM) in MiB. */
static double
status_mib (const char *field)
{
  g_autofree char *status = NULL;
  g_auto(GStrv) lines = NULL;
  gsize field_len = strlen (field);

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  lines = g_strsplit (status, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (strncmp (lines[i], field, field_len) == 0 && lines[i][field_len] == ':')
      return g_ascii_strtod (lines[i] + field_len + 1, NULL) / 1024.0;
  return -1;
}

/* ---- render ---------------------------------------------------------------------- */

typedef struct {
  GdkTexture *texture;
  GError     *error;
  gboolean    done;
} RenderWait;

static void
on_rendered (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  RenderWait *wait = user_data;

  wait->texture = docket_pdf_document_render_page_finish (DOCKET_PDF_DOCUMENT (source), result, &wait->error);
  wait->done = TRUE;
}

/* The reader's path: a page widget asks for its page at its width in pixels, a worker
 * renders it, the texture comes back to the main context. */
static GdkTexture *
render_with_docket (DocketPdfDocument *document,
                    guint              index,
                    int                width_px)
{
  RenderWait wait = { 0 };

  docket_pdf_document_render_page_async (document, index, width_px, NULL, on_rendered, &wait);
  while (!wait.done)
    g_main_context_iteration (NULL, TRUE);
  if (wait.texture == NULL)
    die ("page %u: %s", index + 1, wait.error->message);
  return wait.texture;
}

/* Pixels wide at dpi, as pdftoppm counts them (a pixel partly covered counts). */
static int
width_at (DocketPdfDocument *document,
          guint              index,
          int                dpi)
{
  double width_pt = 0;

  docket_pdf_document_get_page_size (document, index, &width_pt, NULL);
  return (int) ceil (width_pt * dpi / 72.0 - 1e-6);
}

typedef struct {
  GAsyncResult *result;
} LoadWait;

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  ((LoadWait *) user_data)->result = g_object_ref (result);
}

/* As the reader opens a document: in a worker, the sizes of its first pages read, the
 * others read in the background. */
static DocketPdfDocument *
load_like_the_reader (GFile *file)
{
  LoadWait wait = { NULL };
  g_autoptr(GError) error = NULL;
  DocketPdfDocument *document;

  docket_pdf_document_load_async (file, NULL, on_loaded, &wait);
  while (wait.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  document = docket_pdf_document_load_finish (wait.result, &error);
  g_object_unref (wait.result);
  if (document == NULL)
    die ("%s", error->message);
  return document;
}

/* Opens the file as the reader does and renders pages first..last; returns the
 * milliseconds it took. */
static double
time_docket_block (GFile *file,
                   guint  first,
                   guint  last,
                   int    dpi,
                   int   *out_width,
                   int   *out_height)
{
  g_autoptr(DocketPdfDocument) document = NULL;
  double start = now_ms (), elapsed;

  document = load_like_the_reader (file);
  for (guint index = first; index <= last; index++)
    {
      g_autoptr(GdkTexture) texture = render_with_docket (document, index, width_at (document, index, dpi));

      if (index == first)
        {
          *out_width = gdk_texture_get_width (texture);
          *out_height = gdk_texture_get_height (texture);
        }
    }
  elapsed = now_ms () - start;

  /* The sizes still being read in the background are not pdftoppm's to pay for. */
  while (!docket_pdf_document_get_sizes_known (document))
    g_main_context_iteration (NULL, TRUE);
  return elapsed;
}

static GSubprocess *
spawn_pdftoppm (GFile            *file,
                guint             first,
                guint             last,
                int               dpi,
                GSubprocessFlags  flags)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_file_get_path (file);
  char r[16], f[16], l[16];
  GSubprocess *process;

  g_snprintf (r, sizeof r, "%d", dpi);
  g_snprintf (f, sizeof f, "%u", first + 1);
  g_snprintf (l, sizeof l, "%u", last + 1);
  /* No output root: PPM to standard output, the cheapest output it has, no file. */
  process = g_subprocess_new (flags, &error, "pdftoppm", "-r", r, "-f", f, "-l", l, path, NULL);
  if (process == NULL)
    die ("pdftoppm: %s", error->message);
  return process;
}

static double
time_pdftoppm_block (GFile *file,
                     guint  first,
                     guint  last,
                     int    dpi)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  double start = now_ms ();

  process = spawn_pdftoppm (file, first, last, dpi, G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  if (!g_subprocess_wait_check (process, NULL, &error))
    die ("pdftoppm: %s", error->message);
  return now_ms () - start;
}

/* The size of pdftoppm's picture of one page, from its PPM header ("P6\nW H\n255\n"). */
static void
pdftoppm_size (GFile *file,
               guint  index,
               int    dpi,
               int   *out_width,
               int   *out_height)
{
  g_autoptr(GSubprocess) process = spawn_pdftoppm (file, index, index, dpi, G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *header = NULL;

  if (!g_subprocess_communicate (process, NULL, NULL, &out, NULL, &error))
    die ("pdftoppm: %s", error->message);
  if (out == NULL || g_bytes_get_size (out) == 0)
    die ("pdftoppm wrote nothing for page %u", index + 1);
  header = g_strndup (g_bytes_get_data (out, NULL), MIN (g_bytes_get_size (out), 32));
  if (sscanf (header, "P6 %d %d", out_width, out_height) != 2)
    die ("pdftoppm did not write a PPM picture");
}

/* What a pdftoppm run costs before it opens the file (starting the process, linking
 * poppler): a run of `pdftoppm -v`. Docket renders in a process already running, so the
 * fastest of these, timed along with each block, is taken off that block's pdftoppm time. */
static double
time_pdftoppm_start_up (void)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  double start = now_ms ();

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                              &error, "pdftoppm", "-v", NULL);
  if (process == NULL || !g_subprocess_wait (process, NULL, &error))
    die ("pdftoppm -v: %s", error->message);
  return now_ms () - start;
}

static int
run_render (int    argc,
            char **argv)
{
  int repeat = 3;
  double total_docket = 0, total_pdftoppm = 0;
  double by_dpi_docket[G_N_ELEMENTS (resolutions)] = { 0 };
  double by_dpi_pdftoppm[G_N_ELEMENTS (resolutions)] = { 0 };
  guint n_pages = 0;
  double total_start_up = 0;
  int i = 0;

  if (argc > 1 && g_str_equal (argv[0], "--repeat"))
    {
      repeat = MAX (1, atoi (argv[1]));
      argc -= 2;
      argv += 2;
    }
  if (argc < 1)
    die ("render: no files");

  printf ("%-24s %4s %5s %10s %10s %12s %6s\n", "file", "dpi", "pages", "pixels", "docket ms", "pdftoppm ms", "ratio");
  for (i = 0; i < argc; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (argv[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(DocketPdfDocument) probe = docket_pdf_document_load (file, NULL, &error);
      g_autofree char *name = g_file_get_basename (file);
      guint n;

      if (probe == NULL)
        die ("%s: %s", argv[i], error->message);
      n = docket_pdf_document_get_n_pages (probe);
      if (n < BLOCKS_PER_FILE * BLOCK_PAGES * 2)
        die ("%s: only %u pages", argv[i], n);

      for (guint r = 0; r < G_N_ELEMENTS (resolutions); r++)
        {
          int dpi = resolutions[r];
          double file_docket = 0, file_pdftoppm = 0;
          int docket_w = 0, docket_h = 0, ppm_w = 0, ppm_h = 0;
          char pixels[32];

          for (guint b = 1; b <= BLOCKS_PER_FILE; b++)
            {
              guint first = n * b / (BLOCKS_PER_FILE + 1);
              guint last = first + BLOCK_PAGES - 1;
              double best_docket = G_MAXDOUBLE, best_pdftoppm = G_MAXDOUBLE, best_start_up = G_MAXDOUBLE;

              /* Same pixels on both sides, or the comparison means nothing. */
              pdftoppm_size (file, first, dpi, &ppm_w, &ppm_h);
              for (int k = 0; k < repeat; k++)
                {
                  best_docket = MIN (best_docket, time_docket_block (file, first, last, dpi, &docket_w, &docket_h));
                  best_pdftoppm = MIN (best_pdftoppm, time_pdftoppm_block (file, first, last, dpi));
                  best_start_up = MIN (best_start_up, time_pdftoppm_start_up ());
                }
              /* Never below a tenth of the run: the start-up is measured, not known. */
              best_start_up = MIN (best_start_up, 0.9 * best_pdftoppm);
              best_pdftoppm -= best_start_up;
              total_start_up += best_start_up;
              if (ABS (docket_w - ppm_w) > 1 || ABS (docket_h - ppm_h) > 1)
                die ("%s page %u at %d dpi: docket renders %dx%d, pdftoppm %dx%d",
                     name, first + 1, dpi, docket_w, docket_h, ppm_w, ppm_h);
              file_docket += best_docket;
              file_pdftoppm += best_pdftoppm;
              n_pages += BLOCK_PAGES;
            }

          g_snprintf (pixels, sizeof pixels, "%dx%d", docket_w, docket_h);
          printf ("%-24s %4d %5d %10s %10.1f %12.1f %6.2f\n", name, dpi, BLOCKS_PER_FILE * BLOCK_PAGES,
                  pixels, file_docket, file_pdftoppm, file_docket / file_pdftoppm);
          by_dpi_docket[r] += file_docket;
          by_dpi_pdftoppm[r] += file_pdftoppm;
          total_docket += file_docket;
          total_pdftoppm += file_pdftoppm;
        }
      fflush (stdout);
    }

  for (guint r = 0; r < G_N_ELEMENTS (resolutions); r++)
    printf ("render at %d dpi: docket %.1f ms, pdftoppm %.1f ms, ratio %.2f\n", resolutions[r],
            by_dpi_docket[r], by_dpi_pdftoppm[r], by_dpi_docket[r] / by_dpi_pdftoppm[r]);
  printf ("render: %u pages at two resolutions, best of %d runs each; docket %.1f ms, pdftoppm %.1f ms"
          " (%.1f ms of process start-up taken off)\n", n_pages / 2, repeat, total_docket, total_pdftoppm,
          total_start_up);
  printf ("render ratio: %.2f\n", total_docket / total_pdftoppm);
  return 0;
}

/* ---- index and search ------------------------------------------------------------ */

/* As the search page asks (MAX_RESULTS in app/model/docket-search-results.c). */
#define SEARCH_LIMIT 200
#define SEARCH_ROUNDS 3
/* The search page searches as the official types (GtkSearchEntry's search-changed):
 * every prefix of a query from this many characters on is a search of its own. */
#define TYPED_FROM 3

/* What officials look for in a stack of manuals: words, phrases, rare and common words,
 * and Vietnamese that is not there (folded, nothing found). */
static const char *const queries[] = {
  "function", "matrix", "linear model", "regression", "\"return value\"", "eigenvalues",
  "plot", "data frame", "integer overflow", "memory", "polynomial", "note duration",
  "staff", "template class", "pointer", "exception handling", "random number", "string",
  "default value", "error", "file", "vector", "the", "interpolation", "fourier transform",
  "complex number", "prime", "elliptic curve", "dynamic", "lyrics", "chord", "octave",
  "axis label", "legend", "colour", "histogram", "constructor", "virtual function",
  "inheritance", "namespace", "lambda", "thread", "modulo", "derivative", "integral",
  "convergence", "tempo", "\"standard deviation\"", "dai bieu", "ngân sách",
};

static double
time_pdftotext (const char *path)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  double start = now_ms ();

  /* Text to standard output, thrown away: the same extraction, no file written. */
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                              "pdftotext", path, "-", NULL);
  if (process == NULL || !g_subprocess_wait_check (process, NULL, &error))
    die ("pdftotext %s: %s", path, error->message);
  return now_ms () - start;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
percentile (GArray *times,
            double  p)
{
  guint index;

  g_array_sort (times, compare_doubles);
  index = (guint) ceil (p * times->len) - 1;
  return g_array_index (times, double, MIN (index, times->len - 1));
}

static int
run_index_search (int    argc,
                  char **argv)
{
  g_autoptr(DocketStore) store = NULL;
  g_autoptr(GPtrArray) contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) whole = g_array_new (FALSE, FALSE, sizeof (double));
  double total_docket = 0, total_pdftotext = 0;
  guint total_pages = 0, n_empty = 0;

  if (argc != 1)
    die ("index-search: PROFILE");

  store = docket_store_open (argv[0], &error);
  if (store == NULL)
    die ("%s: %s", argv[0], error->message);
  /* `docket --sync-once` indexed what it downloaded: from nothing again, as it did. */
  if (!docket_store_clear_search_index (store, &error))
    die ("%s: %s", argv[0], error->message);
  contents = docket_store_list_unindexed_contents (store, &error);
  if (contents == NULL)
    die ("%s", error->message);
  if (contents->len == 0)
    die ("%s: no content to index (sync the profile first)", argv[0]);

  /* Indexing: each content with the indexer, then pdftotext on the same file. */
  printf ("%-14s %6s %10s %13s %6s\n", "content", "pages", "docket ms", "pdftotext ms", "ratio");
  for (guint i = 0; i < contents->len; i++)
    {
      DocketStoreContent *content = g_ptr_array_index (contents, i);
      double start = now_ms (), docket_ms, pdftotext_ms;
      int pages;

      if (!docket_indexer_index_file (store, content->sha256, content->path, NULL, &error))
        die ("indexing %s: %s", content->path, error->message);
      docket_ms = now_ms () - start;
      pdftotext_ms = time_pdftotext (content->path);
      pages = docket_store_get_indexed_pages (store, content->sha256, &error);
      if (pages < 0)
        die ("%s is not indexed after indexing", content->sha256);
      printf ("%-14.12s %6d %10.1f %13.1f %6.2f\n", content->sha256, pages, docket_ms, pdftotext_ms,
              docket_ms / pdftotext_ms);
      fflush (stdout);
      total_pages += (guint) pages;
      total_docket += docket_ms;
      total_pdftotext += pdftotext_ms;
    }
  printf ("index: %u contents, %u pages; docket %.0f ms, pdftotext %.0f ms\n",
          contents->len, total_pages, total_docket, total_pdftotext);
  if (total_pages < 10000)
    die ("only %u pages indexed: the search needs 10,000", total_pages);

  /* Searching: once to warm SQLite's cache (the app's store is open all day), then
   * SEARCH_ROUNDS rounds, each query typed a key at a time. */
  for (int round = -1; round < SEARCH_ROUNDS; round++)
    for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
      {
        glong length = g_utf8_strlen (queries[q], -1);

        for (glong typed = MIN (TYPED_FROM, length); typed <= length; typed++)
          {
            g_autofree char *text = g_utf8_substring (queries[q], 0, typed);
            g_autoptr(GPtrArray) hits = NULL;
            double start = now_ms (), elapsed;

            hits = docket_store_search (store, text, SEARCH_LIMIT, &error);
            elapsed = now_ms () - start;
            if (hits == NULL)
              die ("searching %s: %s", text, error->message);
            if (round < 0)
              {
                if (typed == length && hits->len == 0)
                  n_empty++;
                continue;
              }
            g_array_append_val (all, elapsed);
            if (typed == length)
              g_array_append_val (whole, elapsed);
          }
      }

  printf ("search: %u queries (%u find nothing), typed from %d characters on: %u searches of at most %d hits,"
          " %d rounds\n", (guint) G_N_ELEMENTS (queries), n_empty, TYPED_FROM, all->len / SEARCH_ROUNDS,
          SEARCH_LIMIT, SEARCH_ROUNDS);
  printf ("search: whole queries: median %.2f ms, p95 %.2f ms, max %.2f ms\n",
          percentile (whole, 0.5), percentile (whole, 0.95), percentile (whole, 1.0));
  printf ("search: every search: median %.2f ms, p95 %.2f ms, max %.2f ms\n",
          percentile (all, 0.5), percentile (all, 0.95), percentile (all, 1.0));
  printf ("index ratio: %.2f\n", total_docket / total_pdftotext);
  printf ("search p95 ms: %.1f\n", percentile (all, 0.95));
  return 0;
}

/* ---- view ------------------------------------------------------------------------ */

typedef struct {
  GtkWidget          *window;
  DocketDocumentView *view;
  GtkScrolledWindow  *scrolled;
  double              start_ms;
  double              loaded_ms;
  double              first_page_ms;
  double              peak_rss;
  guint               frames;
} Viewer;

/* Calls func on every page widget under widget. */
static void
foreach_page_widget (GtkWidget *widget,
                     void     (*func) (DocketPageWidget *page, gpointer data),
                     gpointer   data)
{
  if (DOCKET_IS_PAGE_WIDGET (widget))
    {
      func (DOCKET_PAGE_WIDGET (widget), data);
      return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    foreach_page_widget (child, func, data);
}

typedef struct {
  GtkWidget *scrolled;
  guint      index;       /* for find_page */
  DocketPageWidget *found;
  guint      n_visible;   /* for all_visible_sharp */
  guint      n_missing;
  guint      n_blank;
} PageQuery;

static void
match_page (DocketPageWidget *page,
            gpointer          data)
{
  PageQuery *query = data;

  if (docket_page_widget_get_page (page) != NULL &&
      docket_pdf_page_get_index (docket_page_widget_get_page (page)) == query->index &&
      gtk_widget_get_mapped (GTK_WIDGET (page)))
    query->found = page;
}

/* Counts the page widgets that show part of a page in the view, those of them still
 * without their sharp rendering, and those without a rendering at any resolution. */
static void
check_visible (DocketPageWidget *page,
               gpointer          data)
{
  PageQuery *query = data;
  graphene_rect_t bounds;
  int height = gtk_widget_get_height (query->scrolled);

  if (docket_page_widget_get_page (page) == NULL || !gtk_widget_get_mapped (GTK_WIDGET (page)) ||
      !gtk_widget_compute_bounds (GTK_WIDGET (page), query->scrolled, &bounds))
    return;
  if (bounds.origin.y + bounds.size.height <= DOCKET_PAGE_WIDGET_MARGIN ||
      bounds.origin.y >= height - DOCKET_PAGE_WIDGET_MARGIN)
    return;
  query->n_visible++;
  if (docket_page_widget_get_texture (page) == NULL)
    query->n_missing++;
  if (!docket_page_widget_shows_rendering (page))
    query->n_blank++;
}

static gboolean
visible_pages_rendered (Viewer *viewer)
{
  PageQuery query = { GTK_WIDGET (viewer->scrolled), 0, NULL, 0, 0, 0 };

  foreach_page_widget (GTK_WIDGET (viewer->scrolled), check_visible, &query);
  return query.n_visible > 0 && query.n_missing == 0;
}

/* DOCKET_BENCH_TRACE=1: when each frame of the opening was drawn (on standard error). */
static gboolean trace;

/* After each frame: the first one that showed page 1's rendering ends the clock. The
 * texture, if there is one now, was there when this frame was drawn: nothing runs
 * between a frame's paint and its after-paint. */
static void
on_after_paint (GdkFrameClock *clock,
                Viewer        *viewer)
{
  PageQuery query = { NULL, 0, NULL, 0, 0, 0 };

  viewer->frames++;
  if (viewer->first_page_ms > 0 || viewer->start_ms <= 0)
    return;
  if (trace)
    g_printerr ("TRACE frame at %.1f ms, state %d\n", now_ms () - viewer->start_ms,
                docket_document_view_get_state (viewer->view));
  if (viewer->loaded_ms <= 0 && docket_document_view_get_state (viewer->view) == DOCKET_DOCUMENT_VIEW_READY)
    viewer->loaded_ms = now_ms () - viewer->start_ms;
  foreach_page_widget (GTK_WIDGET (viewer->scrolled), match_page, &query);
  if (query.found != NULL && docket_page_widget_get_texture (query.found) != NULL)
    viewer->first_page_ms = now_ms () - viewer->start_ms;
}

static gboolean
on_timeout (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main context until condition holds; gives up after seconds. */
static void
wait_for (gboolean  (*condition) (Viewer *viewer),
          Viewer     *viewer,
          guint       seconds,
          const char *what)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (seconds, on_timeout, &timed_out);

  while (!condition (viewer) && !timed_out)
    {
      g_main_context_iteration (NULL, TRUE);
      viewer->peak_rss = MAX (viewer->peak_rss, status_mib ("VmRSS"));
    }
  if (timed_out)
    die ("timed out after %u s waiting for %s", seconds, what);
  g_source_remove (id);
}

/* What the view's status page says, as the official reads it. */
static const char *
status_page_description (GtkWidget *widget)
{
  if (ADW_IS_STATUS_PAGE (widget))
    return adw_status_page_get_description (ADW_STATUS_PAGE (widget));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *description = status_page_description (child);

      if (description != NULL)
        return description;
    }
  return NULL;
}

static gboolean
window_painted (Viewer *viewer)
{
  return viewer->frames >= 2;
}

static gboolean
first_page_shown (Viewer *viewer)
{
  return viewer->first_page_ms > 0 ||
         docket_document_view_get_state (viewer->view) == DOCKET_DOCUMENT_VIEW_FAILED;
}

static gboolean
frame_after (Viewer *viewer)
{
  return viewer->frames > 0;
}

static gboolean
on_last_page (Viewer *viewer)
{
  DocketPdfDocument *document = docket_document_view_get_pdf_document (viewer->view);

  return docket_document_view_get_current_page (viewer->view) + 1 == docket_pdf_document_get_n_pages (document);
}

/* Scrolled to value: wait for the frame that lays the rows out there, then for the pages
 * shown to be rendered, as a reader who reads each screen would. */
static void
scroll_and_wait (Viewer        *viewer,
                 GtkAdjustment *adjustment,
                 double         value)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (viewer->window);

  gtk_adjustment_set_value (adjustment, value);
  viewer->frames = 0;
  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_PAINT);
  wait_for (frame_after, viewer, 30, "a frame after scrolling");
  wait_for (visible_pages_rendered, viewer, 60, "the pages on screen to be rendered");
}

static int
run_view (int    argc,
          char **argv)
{
  Viewer viewer = { 0 };
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autofree char *zoom = NULL;
  GdkFrameClock *clock;
  GtkAdjustment *adjustment;
  DocketPdfDocument *document;
  double rss_before, scroll_start, value, upper, step;
  guint steps = 0, n_pages;
  gboolean scroll = TRUE;

  if (argc == 2 && g_str_equal (argv[0], "--no-scroll"))
    {
      scroll = FALSE;
      argc--;
      argv++;
    }
  if (argc != 1)
    die ("view: [--no-scroll] FILE");
  file = g_file_new_for_commandline_arg (argv[0]);
  path = g_file_get_path (file);

  adw_init ();
  docket_ensure_resources ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  viewer.window = gtk_window_new ();
  viewer.view = g_object_new (DOCKET_TYPE_DOCUMENT_VIEW, NULL);
  gtk_window_set_default_size (GTK_WINDOW (viewer.window), 1280, 900);
  gtk_window_set_child (GTK_WINDOW (viewer.window), GTK_WIDGET (viewer.view));
  gtk_window_present (GTK_WINDOW (viewer.window));
  /* The pages' scrolled window (the sidebar has others). */
  viewer.scrolled = GTK_SCROLLED_WINDOW (gtk_widget_get_template_child (GTK_WIDGET (viewer.view),
                                                                        DOCKET_TYPE_DOCUMENT_VIEW,
                                                                        "scrolled_window"));
  if (viewer.scrolled == NULL || !GTK_IS_SCROLLED_WINDOW (viewer.scrolled))
    die ("the document view has no scrolled window named scrolled_window");

  /* The empty window on screen first: the clock starts when the reader opens the file. */
  clock = gtk_widget_get_frame_clock (viewer.window);
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &viewer);
  gtk_widget_queue_draw (viewer.window);
  wait_for (window_painted, &viewer, 30, "the window to paint");
  rss_before = status_mib ("VmRSS");

  trace = g_getenv ("DOCKET_BENCH_TRACE") != NULL;
  viewer.start_ms = now_ms ();
  if (trace)
    g_printerr ("TRACE open at %.1f (monotonic ms)\n", viewer.start_ms);
  docket_document_view_open (viewer.view, path);
  wait_for (first_page_shown, &viewer, 60, "the first page");
  if (docket_document_view_get_state (viewer.view) == DOCKET_DOCUMENT_VIEW_FAILED)
    die ("%s: %s", path, status_page_description (GTK_WIDGET (viewer.view)));

  document = docket_document_view_get_pdf_document (viewer.view);
  n_pages = docket_pdf_document_get_n_pages (document);
  g_object_get (viewer.view, "zoom-choice", &zoom, NULL);
  printf ("view: %s, %u pages, window 1280x900, zoom %s (%.0f %%), scale factor %d\n",
          g_file_peek_path (file), n_pages, zoom,
          100 * docket_document_view_get_zoom_scale (viewer.view), gtk_widget_get_scale_factor (viewer.window));
  printf ("view: document loaded (pages and sizes read) after %.1f ms, first page on screen after %.1f ms\n",
          viewer.loaded_ms, viewer.first_page_ms);

  /* Through the whole document a screen at a time, every screen rendered. */
  if (!scroll)
    {
      printf ("first page ms: %.0f\n", viewer.first_page_ms);
      gtk_window_destroy (GTK_WINDOW (viewer.window));
      return 0;
    }
  adjustment = gtk_scrolled_window_get_vadjustment (viewer.scrolled);
  scroll_start = now_ms ();
  value = 0;
  for (;;)
    {
      upper = gtk_adjustment_get_upper (adjustment);
      step = gtk_adjustment_get_page_size (adjustment);
      if (value + step >= upper - 0.5 || step <= 0)
        break;
      value = MIN (value + step, upper - step);
      scroll_and_wait (&viewer, adjustment, value);
      steps++;
      if (steps % 200 == 0)
        {
          printf ("view: %u screens, at page %u, rss %.1f MiB\n", steps,
                  docket_document_view_get_current_page (viewer.view) + 1, status_mib ("VmRSS"));
          fflush (stdout);
        }
    }
  /* The view finds the page being read a frame or two after the scroll. */
  wait_for (on_last_page, &viewer, 10, "the view to say it is on the last page");

  printf ("view: scrolled through %u pages in %u screens, %.1f s; rss before opening %.1f MiB, after %.1f MiB\n",
          n_pages, steps, (now_ms () - scroll_start) / 1000.0, rss_before, status_mib ("VmRSS"));
  printf ("view: peak rss (VmHWM) %.1f MiB\n", status_mib ("VmHWM"));
  printf ("first page ms: %.0f\n", viewer.first_page_ms);
  printf ("peak rss mb: %.0f\n", MAX (viewer.peak_rss, status_mib ("VmHWM")) * 1048576.0 / 1e6);

  g_signal_handlers_disconnect_by_func (clock, on_after_paint, &viewer);
  gtk_window_destroy (GTK_WINDOW (viewer.window));
  return 0;
}

/* ---- scroll ---------------------------------------------------------------------- */

/* CPU time the calling thread has used, in ms: what the UI thread spends on the frames,
 * which other work on a shared machine does not change (the wall time between frames
 * it does). */
static double
thread_cpu_ms (void)
{
  struct rusage usage;

  if (getrusage (RUSAGE_THREAD, &usage) != 0)
    return 0;
  return usage.ru_utime.tv_sec * 1000.0 + usage.ru_utime.tv_usec / 1000.0 +
         usage.ru_stime.tv_sec * 1000.0 + usage.ru_stime.tv_usec / 1000.0;
}

/* The steady scroll: 5 screens a second (a flick, Page Down held) for SCROLL_SECONDS;
 * then a drag of the scrollbar from the first page to the last in DRAG_SECONDS. */
#define SCREENS_PER_SECOND 5.0
#define SCROLL_SECONDS 30.0
#define DRAG_SECONDS 1.0

typedef struct {
  Viewer        *viewer;
  GtkAdjustment *adjustment;
  gint64         start_us;      /* frame time of the motion's first frame, or 0 */
  double         start_cpu_ms;  /* the UI thread's CPU time then */
  double         last_cpu_ms;   /* ...and after the last frame */
  GArray        *frame_cpu;     /* double: the UI thread's CPU ms from frame to frame */
  double         from, to;      /* adjustment values */
  double         seconds;
  gboolean       moving;
  /* What the frames of the motion showed, counted in after-paint */
  double         last_paint_ms;
  GArray        *paint_intervals; /* double: wall-clock ms between consecutive paints' ends */
  gint64         last_frame_us;
  GArray        *intervals;     /* double: ms between consecutive frames on the frame clock */
  guint          frames;
  guint          blank_frames;
} Motion;

/* Frames made later than the next slot: more than one and a half refresh intervals (at
 * 60 Hz, 25 ms) after the previous frame. */
static guint
count_missed (GArray *intervals)
{
  guint missed = 0;

  for (guint i = 0; i < intervals->len; i++)
    if (g_array_index (intervals, double, i) > 1.5 * 1000.0 / 60.0)
      missed++;
  return missed;
}

/* Moves the view one frame further: where it should be at this frame's time. */
static gboolean
motion_tick (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       data)
{
  Motion *motion = data;
  gint64 frame_time = gdk_frame_clock_get_frame_time (clock);
  double t;

  if (motion->start_us == 0)
    {
      motion->start_us = frame_time;
      motion->start_cpu_ms = motion->last_cpu_ms = thread_cpu_ms ();
    }
  t = MIN (1.0, (frame_time - motion->start_us) / (motion->seconds * G_USEC_PER_SEC));
  gtk_adjustment_set_value (motion->adjustment, motion->from + t * (motion->to - motion->from));
  if (t >= 1.0)
    {
      motion->moving = FALSE;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

/* After each frame of the motion: how long since the last one, and whether a page on
 * screen showed nothing of itself. */
static void
on_motion_painted (GdkFrameClock *clock,
                   Motion        *motion)
{
  PageQuery query = { GTK_WIDGET (motion->viewer->scrolled), 0, NULL, 0, 0, 0 };
  double now = now_ms (), cpu = thread_cpu_ms (), frame_cpu;

  if (motion->start_us == 0)
    return;
  frame_cpu = cpu - motion->last_cpu_ms;
  g_array_append_val (motion->frame_cpu, frame_cpu);
  motion->last_cpu_ms = cpu;
  if (motion->last_paint_ms > 0)
    {
      double interval = now - motion->last_paint_ms;

      g_array_append_val (motion->paint_intervals, interval);
    }
  motion->last_paint_ms = now;
  /* The frame's own time: what it was made for, on the frame clock's timeline. A frame
   * that missed its slot is one refresh interval (or more) after the previous one. */
  if (motion->last_frame_us > 0)
    {
      double interval = (gdk_frame_clock_get_frame_time (clock) - motion->last_frame_us) / 1000.0;

      g_array_append_val (motion->intervals, interval);
    }
  motion->last_frame_us = gdk_frame_clock_get_frame_time (clock);
  motion->frames++;
  foreach_page_widget (GTK_WIDGET (motion->viewer->scrolled), check_visible, &query);
  if (query.n_blank > 0)
    motion->blank_frames++;
  motion->viewer->peak_rss = MAX (motion->viewer->peak_rss, status_mib ("VmRSS"));
}

static gboolean
motion_done (Viewer *viewer)
{
  return !((Motion *) g_object_get_data (G_OBJECT (viewer->window), "motion"))->moving;
}

/* Runs one motion from `from` to `to` over seconds, frame by frame, and adds its
 * intervals between frames, its frames and its blank frames to the totals. */
static void
run_motion (Viewer        *viewer,
            GtkAdjustment *adjustment,
            const char    *name,
            double         from,
            double         to,
            double         seconds,
            GArray        *all_intervals,
            guint         *all_frames,
            guint         *all_blank)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (viewer->window);
  Motion motion = { .viewer = viewer, .adjustment = adjustment, .from = from, .to = to, .seconds = seconds,
                    .moving = TRUE };
  double cpu_ms;
  g_autoptr(GArray) intervals = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) paint_intervals = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) frame_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  gulong handler;

  /* Still at `from`, every page there rendered: the motion starts from a quiet view. */
  scroll_and_wait (viewer, adjustment, from);
  motion.intervals = intervals;
  motion.paint_intervals = paint_intervals;
  motion.frame_cpu = frame_cpu;
  g_object_set_data (G_OBJECT (viewer->window), "motion", &motion);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_motion_painted), &motion);
  gtk_widget_add_tick_callback (GTK_WIDGET (viewer->scrolled), motion_tick, &motion, NULL);
  wait_for (motion_done, viewer, (guint) seconds + 60, name);
  cpu_ms = thread_cpu_ms () - motion.start_cpu_ms;
  g_signal_handler_disconnect (clock, handler);
  g_object_set_data (G_OBJECT (viewer->window), "motion", NULL);

  printf ("%s: %.0f px in %.1f s, %u frames; between frames median %.1f ms, p95 %.1f ms, max %.1f ms;"
          " blank frames %u (%.1f %%)\n", name, fabs (to - from), seconds, motion.frames,
          intervals->len ? percentile (intervals, 0.5) : 0, intervals->len ? percentile (intervals, 0.95) : 0,
          intervals->len ? percentile (intervals, 1.0) : 0, motion.blank_frames,
          motion.frames ? 100.0 * motion.blank_frames / motion.frames : 0);
  printf ("%s: missed frames %u (%.1f %%); wall-clock time between paints' ends median %.1f ms,"
          " p95 %.1f ms, max %.1f ms\n", name, count_missed (intervals),
          intervals->len ? 100.0 * count_missed (intervals) / intervals->len : 0,
          paint_intervals->len ? percentile (paint_intervals, 0.5) : 0,
          paint_intervals->len ? percentile (paint_intervals, 0.95) : 0,
          paint_intervals->len ? percentile (paint_intervals, 1.0) : 0);
  printf ("%s: UI thread's CPU time %.1f ms a frame on average; from frame to frame median %.1f ms,"
          " p95 %.1f ms, max %.1f ms\n", name, motion.frames ? cpu_ms / motion.frames : 0,
          frame_cpu->len ? percentile (frame_cpu, 0.5) : 0, frame_cpu->len ? percentile (frame_cpu, 0.95) : 0,
          frame_cpu->len ? percentile (frame_cpu, 1.0) : 0);
  fflush (stdout);
  g_array_append_vals (all_intervals, intervals->data, intervals->len);
  *all_frames += motion.frames;
  *all_blank += motion.blank_frames;
}

static int
run_scroll (int    argc,
            char **argv)
{
  Viewer viewer = { 0 };
  g_autoptr(GFile) file = NULL;
  g_autoptr(GArray) intervals = g_array_new (FALSE, FALSE, sizeof (double));
  GdkFrameClock *clock;
  GtkAdjustment *adjustment;
  double screen, upper;
  guint frames = 0, blank = 0, scroll_frames, scroll_blank;

  if (argc != 1)
    die ("scroll: FILE");
  file = g_file_new_for_commandline_arg (argv[0]);

  adw_init ();
  docket_ensure_resources ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  viewer.window = gtk_window_new ();
  viewer.view = g_object_new (DOCKET_TYPE_DOCUMENT_VIEW, NULL);
  gtk_window_set_default_size (GTK_WINDOW (viewer.window), 1280, 900);
  gtk_window_set_child (GTK_WINDOW (viewer.window), GTK_WIDGET (viewer.view));
  gtk_window_present (GTK_WINDOW (viewer.window));
  viewer.scrolled = GTK_SCROLLED_WINDOW (gtk_widget_get_template_child (GTK_WIDGET (viewer.view),
                                                                        DOCKET_TYPE_DOCUMENT_VIEW,
                                                                        "scrolled_window"));
  if (viewer.scrolled == NULL || !GTK_IS_SCROLLED_WINDOW (viewer.scrolled))
    die ("the document view has no scrolled window named scrolled_window");
  clock = gtk_widget_get_frame_clock (viewer.window);
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &viewer);
  gtk_widget_queue_draw (viewer.window);
  wait_for (window_painted, &viewer, 30, "the window to paint");

  viewer.start_ms = now_ms ();
  docket_document_view_open (viewer.view, g_file_peek_path (file));
  wait_for (first_page_shown, &viewer, 60, "the first page");
  if (docket_document_view_get_state (viewer.view) == DOCKET_DOCUMENT_VIEW_FAILED)
    die ("%s: %s", g_file_peek_path (file), status_page_description (GTK_WIDGET (viewer.view)));
  /* Every page's size read: the scrollbar's length no longer changes under the drag. */
  while (!docket_pdf_document_get_sizes_known (docket_document_view_get_pdf_document (viewer.view)))
    g_main_context_iteration (NULL, TRUE);

  adjustment = gtk_scrolled_window_get_vadjustment (viewer.scrolled);
  screen = gtk_adjustment_get_page_size (adjustment);
  upper = gtk_adjustment_get_upper (adjustment);
  printf ("scroll: %s, %u pages, window 1280x900, a screen is %.0f px, the document %.0f px\n",
          g_file_peek_path (file), docket_pdf_document_get_n_pages (docket_document_view_get_pdf_document (viewer.view)),
          screen, upper);
  run_motion (&viewer, adjustment, "steady scroll", 0, MIN (upper - screen, SCREENS_PER_SECOND * SCROLL_SECONDS * screen),
              SCROLL_SECONDS, intervals, &frames, &blank);
  scroll_frames = frames;
  scroll_blank = blank;
  run_motion (&viewer, adjustment, "scrollbar drag", 0, upper - screen, DRAG_SECONDS, intervals, &frames, &blank);

  printf ("scroll: both motions, %u frames: between frames median %.1f ms, p95 %.1f ms; peak rss %.0f MiB\n",
          frames, percentile (intervals, 0.5), percentile (intervals, 0.95),
          MAX (viewer.peak_rss, status_mib ("VmHWM")));
  printf ("scroll frame p95 ms: %.1f\n", percentile (intervals, 0.95));
  /* The steady scroll's: a drag shows each page for one frame, too short for anything
   * to be rendered for it (its share is on its own line above). */
  printf ("blank frames %%: %.1f\n", scroll_frames ? 100.0 * scroll_blank / scroll_frames : 100.0);

  g_signal_handlers_disconnect_by_func (clock, on_after_paint, &viewer);
  gtk_window_destroy (GTK_WINDOW (viewer.window));
  return 0;
}

int
main (int    argc,
      char **argv)
{
  if (argc < 2)
    die ("usage: docket-bench-reader render [--repeat N] FILE... | index-search PROFILE | view [--no-scroll] FILE"
         " | scroll FILE");

  /* As the UI tests do: no software GL under Xvfb. */
  g_setenv ("GDK_DEBUG", "gl-disable", FALSE);

  if (g_str_equal (argv[1], "render"))
    return run_render (argc - 2, argv + 2);
  if (g_str_equal (argv[1], "index-search"))
    return run_index_search (argc - 2, argv + 2);
  if (g_str_equal (argv[1], "view"))
    {
      gtk_init ();
      return run_view (argc - 2, argv + 2);
    }
  if (g_str_equal (argv[1], "scroll"))
    {
      gtk_init ();
      return run_scroll (argc - 2, argv + 2);
    }
  die ("unknown command %s", argv[1]);
}
