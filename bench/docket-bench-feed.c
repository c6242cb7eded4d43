/* docket-bench-feed.c: the window's cold start behind bench/feed (a tool, never a test)
 *
 *   docket-bench-feed cold-start PROFILE
 *       Needs a display. Opens PROFILE (a signed-in profile whose cache holds an
 *       archive) as the application does: the store, the sync engine, the real
 *       DocketWindow at its default size; then waits for the first frame that shows
 *       the meeting list with its rows, and prints `cold start ms: X` (from the start of
 *       main ()) and `meetings: N` as soon as that frame is drawn. bench/feed times the
 *       line's arrival from the start of the process, which adds the loading of GTK,
 *       libadwaita and poppler to the number printed here.
 *
 * The window starts its sync engine as the application's does; bench/feed stops the
 * server first, so that the sync fails at once (connection refused) instead of
 * downloading documents meanwhile.
 */
#include "config.h"

#include <stdio.h>

#include <adwaita.h>

#include "docket-meeting-list-page.h"
#include "docket-resources.h"
#include "docket-store.h"
#include "docket-sync.h"
#include "docket-window.h"

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
  fputs ("docket-bench-feed: ", stderr);
  vfprintf (stderr, format, args);
  fputc ('\n', stderr);
  va_end (args);
  exit (1);
}

/* DOCKET_BENCH_TRACE=1: when each step and frame of the start happened (standard error). */
static gboolean trace;
static double   trace_origin;

static void
trace_step (const char *what)
{
  if (trace)
    g_printerr ("TRACE %s at %.1f ms\n", what, now_ms () - trace_origin);
}

typedef struct {
  DocketWindow *window;
  double        drawn_ms;    /* the frame that showed the rows, from the start; 0 before */
  guint         n_meetings;
} ColdStart;

/* The meeting list page shows rows: one of the latest meetings (at the top of the page,
 * upcoming or the most recent past ones) has its row on screen. */
static gboolean
rows_shown (ColdStart *cold)
{
  DocketMeetingListPage *page = DOCKET_MEETING_LIST_PAGE (docket_window_get_meeting_list_page (cold->window));
  DocketMeetingList *meetings = docket_meeting_list_page_get_meetings (page);
  guint n;

  if (meetings == NULL || !docket_meeting_list_get_loaded (meetings))
    return FALSE;
  if (g_strcmp0 (docket_window_get_page_name (cold->window), "meetings") != 0)
    return FALSE;

  n = g_list_model_get_n_items (G_LIST_MODEL (meetings));
  for (guint i = n; i > 0 && i + 20 > n; i--)
    {
      g_autoptr(DocketMeeting) meeting = g_list_model_get_item (G_LIST_MODEL (meetings), i - 1);
      GtkWidget *row = docket_meeting_list_page_find_row (page, docket_meeting_get_id (meeting));

      if (row != NULL && gtk_widget_get_mapped (row))
        {
          cold->n_meetings = n;
          return TRUE;
        }
    }
  return FALSE;
}

/* Nothing runs between a frame's paint and its after-paint: what is mapped now was
 * drawn in this frame. */
static void
on_after_paint (GdkFrameClock *clock,
                ColdStart     *cold)
{
  if (cold->drawn_ms > 0)
    return;
  trace_step ("frame");
  if (rows_shown (cold))
    cold->drawn_ms = now_ms ();
}

static gboolean
on_timeout (gpointer data)
{
  die ("timed out after 60 s waiting for the meeting list's rows");
  return G_SOURCE_REMOVE;
}

static int
run_cold_start (const char *profile,
                double      started_ms)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketStore) store = NULL;
  g_autoptr(DocketSync) sync = NULL;
  ColdStart cold = { 0 };

  trace = g_getenv ("DOCKET_BENCH_TRACE") != NULL;
  trace_origin = started_ms;
  adw_init ();
  docket_ensure_resources ();
  trace_step ("libadwaita ready");

  store = docket_store_open (profile, &error);
  if (store == NULL)
    die ("%s: %s", profile, error->message);
  sync = docket_sync_new (store);
  trace_step ("store open");

  cold.window = docket_window_new (NULL, store, sync);
  trace_step ("window made");
  gtk_window_present (GTK_WINDOW (cold.window));
  trace_step ("window presented");
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (cold.window)), "after-paint",
                    G_CALLBACK (on_after_paint), &cold);
  g_timeout_add_seconds (60, on_timeout, NULL);

  while (cold.drawn_ms <= 0)
    g_main_context_iteration (NULL, TRUE);

  printf ("meetings: %u\n", cold.n_meetings);
  printf ("cold start ms: %.1f\n", cold.drawn_ms - started_ms);
  fflush (stdout);

  docket_sync_stop_automatic (sync);
  gtk_window_destroy (GTK_WINDOW (cold.window));
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  double started_ms = now_ms ();

  if (argc == 3 && g_str_equal (argv[1], "cold-start"))
    return run_cold_start (argv[2], started_ms);

  fprintf (stderr, "usage: docket-bench-feed cold-start PROFILE\n");
  return 2;
}
