/* docket-render-queue.c: which page of a document renders next, and at what resolution
 *
 * Apart from the page widget (which draws and takes input) and from the document (which
 * renders what it is given, first come first served): the choice of what to render next
 * lives here alone. See the header for the order.
 */

#include "config.h"

#include "docket-render-queue.h"
#include "docket-texture-cache.h"

/* Jobs handed to the render thread at once: one rendering, one waiting behind it so the
 * thread never idles while the main thread picks the next. More would be decided early,
 * by what was on screen frames ago. */
#define MAX_IN_FLIGHT 2
/* Pages rendered ahead of the last page on screen, in the scroll's direction: at 5
 * screens a second, about half a second of reading. */
#define PAGES_AHEAD 2
/* Two scrolls this close together, the same way, make a motion (a frame is 16 ms; a
 * wheel's clicks come some 50 ms apart). */
#define MOTION_US (250 * G_TIME_SPAN_MILLISECOND)
/* A low-resolution pass is this much narrower than the sharp one: a page of text costs
 * poppler about a third of the time at a quarter of the width (pdftoppm, octave.pdf). */
#define PREVIEW_DIVISOR 4
/* The low-resolution renderings kept: about 75 Letter pages at 100 %. */
#define PREVIEW_CACHE_BYTES (16u * 1024u * 1024u)

typedef struct {
  DocketRenderQueue *queue;       /* owned while the job is with the render thread */
  guint              index;
  int                width_px;
  gboolean           preview;
  guint              wants;       /* how many on screen wait for it */
  gboolean           ahead;       /* asked because the page is about to come into view */
  guint              distance;    /* for a job ahead: pages from the screen's edge */
  GCancellable      *cancellable; /* owned; set once it went to the render thread */
  gboolean           dropped;     /* taken out of the queue while the thread had it */
} Job;

struct _DocketRenderQueue
{
  GObject             parent_instance;

  DocketPdfDocument  *document;   /* borrowed: the document owns us */
  GPtrArray          *jobs;       /* Job*, waiting or with the render thread */
  guint               n_in_flight;
  GHashTable         *on_screen;  /* page index -> how many want it */
  int                 last_width; /* the width last wanted: the pages ahead get it too */
  DocketTextureCache *previews;

  /* The view's motion */
  int                 direction;
  gint64              last_scroll_us;
  gboolean            moving;
};

G_DEFINE_FINAL_TYPE (DocketRenderQueue, docket_render_queue, G_TYPE_OBJECT)

enum {
  SIGNAL_RENDERED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void submit_jobs (DocketRenderQueue *self);

static void
job_free (Job *job)
{
  g_clear_object (&job->cancellable);
  g_free (job);
}

static void
docket_render_queue_finalize (GObject *object)
{
  DocketRenderQueue *self = DOCKET_RENDER_QUEUE (object);

  /* Jobs with the render thread hold a reference to us: what is left only waited. */
  g_clear_pointer (&self->jobs, g_ptr_array_unref);
  g_clear_pointer (&self->on_screen, g_hash_table_unref);
  g_clear_object (&self->previews);

  G_OBJECT_CLASS (docket_render_queue_parent_class)->finalize (object);
}

static void
docket_render_queue_class_init (DocketRenderQueueClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = docket_render_queue_finalize;

  signals[SIGNAL_RENDERED] =
    g_signal_new ("rendered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_UINT, GDK_TYPE_TEXTURE, G_TYPE_ERROR);
}

static void
docket_render_queue_init (DocketRenderQueue *self)
{
  self->jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) job_free);
  self->on_screen = g_hash_table_new (NULL, NULL);
  self->previews = docket_texture_cache_new (PREVIEW_CACHE_BYTES);
}

#define QUEUE_KEY "docket-render-queue"

DocketRenderQueue *
docket_render_queue_for_document (DocketPdfDocument *document)
{
  DocketRenderQueue *self;

  g_return_val_if_fail (DOCKET_IS_PDF_DOCUMENT (document), NULL);

  self = g_object_get_data (G_OBJECT (document), QUEUE_KEY);
  if (self == NULL)
    {
      self = g_object_new (DOCKET_TYPE_RENDER_QUEUE, NULL);
      self->document = document;
      g_object_set_data_full (G_OBJECT (document), QUEUE_KEY, self, g_object_unref);
    }
  return self;
}

static Job *
find_job (DocketRenderQueue *self,
          guint              index,
          int                width_px,
          gboolean           preview)
{
  for (guint i = 0; i < self->jobs->len; i++)
    {
      Job *job = g_ptr_array_index (self->jobs, i);

      if (job->index == index && job->preview == preview && (preview || job->width_px == width_px))
        return job;
    }
  return NULL;
}

static Job *
add_job (DocketRenderQueue *self,
         guint              index,
         int                width_px,
         gboolean           preview)
{
  Job *job = g_new0 (Job, 1);

  job->index = index;
  job->width_px = width_px;
  job->preview = preview;
  g_ptr_array_add (self->jobs, job);
  return job;
}

/* Out of the array, not freed. */
static void
unlink_job (DocketRenderQueue *self,
            Job               *job)
{
  guint position;

  if (g_ptr_array_find (self->jobs, job, &position))
    g_ptr_array_steal_index (self->jobs, position);
}

/* Out of the queue: cancelled if the render thread has it (dropped there if it has not
 * started; its result dropped if it has), freed now otherwise. */
static void
drop_job (DocketRenderQueue *self,
          Job               *job)
{
  if (job->cancellable != NULL)
    {
      g_cancellable_cancel (job->cancellable);
      job->dropped = TRUE;
      unlink_job (self, job);
      /* on_job_done frees it. */
      return;
    }
  g_ptr_array_remove (self->jobs, job);
}

static gboolean
is_moving (DocketRenderQueue *self)
{
  return self->moving && g_get_monotonic_time () - self->last_scroll_us < MOTION_US;
}

/* Lower goes first: the small renderings (on screen, then ahead, nearest first), then
 * the sharp ones on screen, then the sharp ones ahead, nearest first. A small rendering
 * costs a third of a sharp one and spares a blank page. */
static guint
job_rank (Job *job)
{
  guint distance = job->wants > 0 ? 0 : 1 + job->distance;

  return job->preview ? distance : 2 + PAGES_AHEAD + distance;
}

static void
on_job_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Job *job = user_data;
  g_autoptr(DocketRenderQueue) self = g_steal_pointer (&job->queue);
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = docket_pdf_document_render_page_finish (DOCKET_PDF_DOCUMENT (source), result, &error);
  self->n_in_flight--;

  if (job->dropped)
    job_free (job);
  else
    {
      unlink_job (self, job);
      if (job->preview && texture != NULL)
        docket_texture_cache_insert (self->previews, job->index, texture);
      if (texture != NULL || !job->preview)
        g_signal_emit (self, signals[SIGNAL_RENDERED], 0, job->index, texture, error);
      job_free (job);
    }
  submit_jobs (self);
}

/* Hands the render thread the best waiting jobs, up to MAX_IN_FLIGHT. */
static void
submit_jobs (DocketRenderQueue *self)
{
  while (self->n_in_flight < MAX_IN_FLIGHT)
    {
      Job *best = NULL;

      for (guint i = 0; i < self->jobs->len; i++)
        {
          Job *job = g_ptr_array_index (self->jobs, i);

          if (job->cancellable == NULL && (best == NULL || job_rank (job) < job_rank (best)))
            best = job;
        }
      if (best == NULL)
        return;

      best->cancellable = g_cancellable_new ();
      best->queue = g_object_ref (self);
      self->n_in_flight++;
      docket_pdf_document_render_page_async (self->document, best->index, best->width_px, best->cancellable,
                                             on_job_done, best);
    }
}

/* Adds change to how many on screen want page index; returns how many do now. */
static guint
count_on_screen (DocketRenderQueue *self,
                 guint              index,
                 int                change)
{
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (self->on_screen, GUINT_TO_POINTER (index)));

  count = change < 0 && count == 0 ? 0 : count + change;
  if (count == 0)
    g_hash_table_remove (self->on_screen, GUINT_TO_POINTER (index));
  else
    g_hash_table_insert (self->on_screen, GUINT_TO_POINTER (index), GUINT_TO_POINTER (count));
  return count;
}

GdkTexture *
docket_render_queue_want (DocketRenderQueue *self,
                          guint              index,
                          int                width_px)
{
  GdkTexture *cached;
  Job *job;

  g_return_val_if_fail (DOCKET_IS_RENDER_QUEUE (self), NULL);

  count_on_screen (self, index, +1);
  self->last_width = width_px;

  cached = docket_pdf_document_lookup_page (self->document, index, width_px);
  if (cached != NULL)
    return cached;

  job = find_job (self, index, width_px, FALSE);
  if (job == NULL)
    job = add_job (self, index, width_px, FALSE);
  job->wants++;

  /* While the view moves, a page that comes into view with nothing to show gets a small
   * rendering first: blurred for a moment rather than blank. */
  if (is_moving (self) && docket_texture_cache_lookup_any (self->previews, index) == NULL)
    {
      Job *preview = find_job (self, index, 0, TRUE);

      if (preview == NULL)
        preview = add_job (self, index, MAX (1, width_px / PREVIEW_DIVISOR), TRUE);
      preview->wants++;
    }

  submit_jobs (self);
  return NULL;
}

static void
release_job (DocketRenderQueue *self,
             Job               *job)
{
  if (job == NULL || job->wants == 0)
    return;
  /* A page ahead stays queued: it is still about to come into view. */
  if (--job->wants == 0 && !job->ahead)
    drop_job (self, job);
}

void
docket_render_queue_release (DocketRenderQueue *self,
                             guint              index,
                             int                width_px)
{
  guint count;

  g_return_if_fail (DOCKET_IS_RENDER_QUEUE (self));

  count = count_on_screen (self, index, -1);

  release_job (self, find_job (self, index, width_px, FALSE));
  if (count == 0)
    release_job (self, find_job (self, index, 0, TRUE));
}

GdkTexture *
docket_render_queue_lookup_preview (DocketRenderQueue *self,
                                    guint              index)
{
  g_return_val_if_fail (DOCKET_IS_RENDER_QUEUE (self), NULL);
  return docket_texture_cache_lookup_any (self->previews, index);
}

/* The first and last pages on screen; FALSE when none is. */
static gboolean
screen_range (DocketRenderQueue *self,
              guint             *out_first,
              guint             *out_last)
{
  GHashTableIter iter;
  gpointer key;
  guint first = G_MAXUINT, last = 0;

  g_hash_table_iter_init (&iter, self->on_screen);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      first = MIN (first, GPOINTER_TO_UINT (key));
      last = MAX (last, GPOINTER_TO_UINT (key));
    }
  *out_first = first;
  *out_last = last;
  return first != G_MAXUINT;
}

/* The pages just beyond the screen in the scroll's direction are queued; those ahead of
 * an earlier position, not on screen now, are dropped. */
static void
update_ahead (DocketRenderQueue *self)
{
  guint first, last, n_pages = docket_pdf_document_get_n_pages (self->document);
  gboolean moving = is_moving (self) && self->last_width > 0 && screen_range (self, &first, &last);
  Job *ahead[2 * PAGES_AHEAD] = { NULL };
  guint n_ahead = 0;

  for (guint d = 1; moving && d <= PAGES_AHEAD; d++)
    {
      gint64 index = self->direction > 0 ? (gint64) last + d : (gint64) first - d;
      int width_px;
      Job *job;

      if (index < 0 || index >= n_pages)
        break;
      width_px = docket_pdf_document_get_render_width (self->document, (guint) index, self->last_width);
      if (docket_pdf_document_lookup_page (self->document, (guint) index, width_px) != NULL)
        continue;
      job = find_job (self, (guint) index, width_px, FALSE);
      if (job == NULL)
        job = add_job (self, (guint) index, width_px, FALSE);
      job->distance = d;
      ahead[n_ahead++] = job;

      /* Its small rendering too, first: were the sharp one late, the page comes into
       * view blurred rather than blank. */
      if (docket_texture_cache_lookup_any (self->previews, (guint) index) != NULL)
        continue;
      job = find_job (self, (guint) index, 0, TRUE);
      if (job == NULL)
        job = add_job (self, (guint) index, MAX (1, width_px / PREVIEW_DIVISOR), TRUE);
      job->distance = d;
      ahead[n_ahead++] = job;
    }

  for (guint i = self->jobs->len; i > 0; i--)
    {
      Job *job = g_ptr_array_index (self->jobs, i - 1);
      gboolean still_ahead = FALSE;

      for (guint k = 0; k < n_ahead; k++)
        still_ahead |= job == ahead[k];
      job->ahead = still_ahead;
      if (!still_ahead && job->wants == 0)
        drop_job (self, job);
    }
  submit_jobs (self);
}

void
docket_render_queue_scrolled (DocketRenderQueue *self,
                              int                direction)
{
  gint64 now = g_get_monotonic_time ();

  g_return_if_fail (DOCKET_IS_RENDER_QUEUE (self));

  direction = direction > 0 ? 1 : -1;
  self->moving = direction == self->direction && now - self->last_scroll_us < MOTION_US;
  self->direction = direction;
  self->last_scroll_us = now;
  update_ahead (self);
}
