/* docket-pdf-document.c: a PDF opened with poppler, its pages rendered in worker threads */

#include "config.h"

#include <glib/gi18n.h>
#include <poppler.h>
#include <cairo.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "docket-main-context.h"
#include "docket-pdf-document.h"
#include "docket-pdf-document-private.h"
#include "docket-pdf-page.h"
#include "docket-texture-cache.h"

/* About 25 pages of A4 at 1000 px wide: enough for the pages on screen and around them. */
#define TEXTURE_CACHE_BYTES (96u * 1024u * 1024u)

/* Reading a page's size makes poppler parse the page's dictionary, and the page tree up
 * to it: about 0.1 ms a page, 150 ms for a 1,000-page manual. An opening reader reads the
 * first EAGER_SIZES pages' sizes before it shows anything, and the others in a worker,
 * SIZES_CHUNK pages per hold of the lock (docket_pdf_document_load_async). */
#define EAGER_SIZES 64
#define SIZES_CHUNK 32

/* The first page on screen comes first: until it is drawn (the view says so, with
 * docket_pdf_document_note_shown), for at most FIRST_RENDER_GRACE_MS after loading, the
 * other users of the poppler lock (outline, signatures, links, find, thumbnails, the
 * sizes above) wait. Opening a long manual otherwise starts with a few hundred
 * milliseconds of outline and signature reading, on the cores that render the page and
 * draw the window. */
#define FIRST_RENDER_GRACE_MS 300

struct _DocketPdfDocument
{
  GObject             parent_instance;

  /* Owned; every use of poppler_document goes under lock, from any thread. */
  GMutex              lock;
  PopplerDocument    *poppler_document;

  /* The gate in front of the lock for everything but rendering (see
   * FIRST_RENDER_GRACE_MS); the fields below are under gate_lock. */
  GMutex              gate_lock;
  GCond               gate_cond;
  gboolean            shown;
  gint64              loaded_at;       /* monotonic time, in µs */

  /* Owned, main thread only (written by the loading thread before the document is
   * handed over): the width and height in points of page i at [2 i] and [2 i + 1], as
   * the pages model says them. Workers ask poppler for the size of the page they render. */
  double             *sizes;
  guint               n_sizes_read;    /* pages from n_sizes_read on have guessed sizes */

  /* Owned, main thread only. */
  GListStore         *pages;
  DocketTextureCache *cache;
  guint               render_count;

  /* Main thread only: the rendering docket_pdf_document_prefetch_page() started, and
   * the renderings of the same page and width asked meanwhile (GTask*, owned), which
   * it answers. */
  gboolean            prefetching;
  guint               prefetch_index;
  int                 prefetch_width;
  GPtrArray          *prefetch_waiters;
  gboolean            shown_noted;     /* docket_pdf_document_note_shown() was called */
};

G_DEFINE_FINAL_TYPE (DocketPdfDocument, docket_pdf_document, G_TYPE_OBJECT)

G_DEFINE_QUARK (docket-pdf-error-quark, docket_pdf_error)

typedef struct {
  guint    index;
  int      width_px;
  gboolean joined;     /* answered by the prefetch of the same page and width */
} RenderJob;

static void
docket_pdf_document_finalize (GObject *object)
{
  DocketPdfDocument *self = DOCKET_PDF_DOCUMENT (object);

  g_clear_object (&self->pages);
  g_clear_pointer (&self->sizes, g_free);
  g_clear_object (&self->cache);
  /* Empty: each waiting task holds a reference to the document. */
  g_clear_pointer (&self->prefetch_waiters, g_ptr_array_unref);
  g_clear_object (&self->poppler_document);
  g_mutex_clear (&self->lock);
  g_mutex_clear (&self->gate_lock);
  g_cond_clear (&self->gate_cond);

  G_OBJECT_CLASS (docket_pdf_document_parent_class)->finalize (object);
}

static void
docket_pdf_document_class_init (DocketPdfDocumentClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = docket_pdf_document_finalize;
}

static void
docket_pdf_document_init (DocketPdfDocument *self)
{
  g_mutex_init (&self->lock);
  g_mutex_init (&self->gate_lock);
  g_cond_init (&self->gate_cond);
  self->loaded_at = g_get_monotonic_time ();
  self->pages = g_list_store_new (DOCKET_TYPE_PDF_PAGE);
  self->cache = docket_texture_cache_new (TEXTURE_CACHE_BYTES);
  self->prefetch_waiters = g_ptr_array_new_with_free_func (g_object_unref);
}

/* Waits until a page was shown (see FIRST_RENDER_GRACE_MS). Never on the UI
 * thread: it must not wait, and it renders nothing itself. */
static void
wait_until_shown (DocketPdfDocument *self)
{
  gint64 grace_end;

  if (g_main_context_is_owner (g_main_context_default ()))
    return;

  g_mutex_lock (&self->gate_lock);
  grace_end = self->loaded_at + FIRST_RENDER_GRACE_MS * G_TIME_SPAN_MILLISECOND;
  while (!self->shown && g_get_monotonic_time () < grace_end)
    g_cond_wait_until (&self->gate_cond, &self->gate_lock, grace_end);
  g_mutex_unlock (&self->gate_lock);
}

static gboolean
open_gate (gpointer data)
{
  DocketPdfDocument *self = data;

  g_mutex_lock (&self->gate_lock);
  self->shown = TRUE;
  g_cond_broadcast (&self->gate_cond);
  g_mutex_unlock (&self->gate_lock);
  return G_SOURCE_REMOVE;
}

void
docket_pdf_document_note_shown (DocketPdfDocument *self)
{
  g_return_if_fail (DOCKET_IS_PDF_DOCUMENT (self));

  if (self->shown_noted)
    return;
  self->shown_noted = TRUE;
  /* Called while the frame is drawn: the gate opens once it is done. */
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, open_gate, g_object_ref (self), g_object_unref);
}

/* Our own worker threads. GIO's shared pool drops its reference to a task in the worker,
 * after the task returned: when that is the last one, the document (the task's source
 * object) is finalized there, even while the process exits. Ours hand the task back to
 * its main context with its result, and drop it there. */
typedef struct {
  GTask          *task;        /* owned */
  gpointer        result;      /* owned, freed with result_free */
  GDestroyNotify  result_free;
  GError         *error;       /* owned */
} Delivery;

static gboolean
deliver (gpointer data)
{
  Delivery *delivery = data;

  if (delivery->error != NULL)
    g_task_return_error (delivery->task, delivery->error);
  else
    g_task_return_pointer (delivery->task, delivery->result, delivery->result_free);
  g_object_unref (delivery->task);
  g_free (delivery);
  return G_SOURCE_REMOVE;
}

/* From a worker: takes its reference to task, and returns result (or error) in the
 * task's context. */
static void
return_in_context (GTask          *task,
                   gpointer        result,
                   GDestroyNotify  result_free,
                   GError         *error)
{
  Delivery *delivery = g_new0 (Delivery, 1);

  delivery->task = task;
  delivery->result = result;
  delivery->result_free = result_free;
  delivery->error = error;
  /* Queued, always, so that the task returns in its context's thread, never in this
   * worker (docket-main-context.h). */
  docket_main_context_post (g_task_get_context (task), G_PRIORITY_DEFAULT, "[docket] pdf task result",
                            deliver, delivery, NULL);
}

static GThreadPool *
new_pool (GFunc func,
          int   max_threads)
{
  g_autoptr(GError) error = NULL;
  /* Not exclusive: threads come when there is work, and go when idle. */
  GThreadPool *pool = g_thread_pool_new (func, NULL, max_threads, FALSE, &error);

  g_assert_no_error (error);
  return pool;
}

/* For the other files of app/pdf (docket-pdf-document-private.h) */

PopplerDocument *
docket_pdf_document_lock_poppler (DocketPdfDocument *self)
{
  wait_until_shown (self);
  g_mutex_lock (&self->lock);
  return self->poppler_document;
}

void
docket_pdf_document_unlock_poppler (DocketPdfDocument *self)
{
  g_mutex_unlock (&self->lock);
}

/* Opens file and reads the sizes of its first n_eager pages; the others get the last size
 * read, until read_sizes_job reads them. */
static DocketPdfDocument *
load (GFile         *file,
      guint          n_eager,
      GCancellable  *cancellable,
      GError       **error)
{
  g_autoptr(DocketPdfDocument) self = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) pages = NULL;
  PopplerDocument *document;
  double width = 0, height = 0;
  guint n_read;
  int n_pages;

  document = poppler_document_new_from_gfile (file, NULL, cancellable, &local_error);
  if (document == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else if (g_error_matches (local_error, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED))
        g_set_error (error, DOCKET_PDF_ERROR, DOCKET_PDF_ERROR_ENCRYPTED,
                     _("This document is protected by a password and cannot be shown."));
      else
        g_set_error (error, DOCKET_PDF_ERROR, DOCKET_PDF_ERROR_DAMAGED,
                     _("This document is damaged or is not a PDF file (%s)."),
                     local_error != NULL ? local_error->message : _("unknown error"));
      return NULL;
    }

  n_pages = poppler_document_get_n_pages (document);
  if (n_pages <= 0)
    {
      g_object_unref (document);
      g_set_error (error, DOCKET_PDF_ERROR, DOCKET_PDF_ERROR_DAMAGED,
                   _("This document has no pages."));
      return NULL;
    }

  /* Read page sizes here in the loading thread, so that laying out the pages later never
   * calls into poppler; past n_eager, a long document's pages are most likely the size
   * of the pages before them. */
  n_read = MIN ((guint) n_pages, MAX (n_eager, 1));
  pages = g_ptr_array_new_full (n_pages, g_object_unref);
  for (guint i = 0; i < (guint) n_pages; i++)
    {
      if (i < n_read)
        {
          PopplerPage *page = poppler_document_get_page (document, (int) i);

          width = height = 0;
          if (page != NULL)
            {
              poppler_page_get_size (page, &width, &height);
              g_object_unref (page);
            }
        }
      g_ptr_array_add (pages, docket_pdf_page_new (i, width, height));
    }

  self = g_object_new (DOCKET_TYPE_PDF_DOCUMENT, NULL);
  self->poppler_document = document;
  self->n_sizes_read = n_read;
  /* A document that is not shown at once waits for nobody. */
  self->shown = n_eager == G_MAXUINT;
  self->sizes = g_new (double, 2 * (gsize) n_pages);
  for (guint i = 0; i < pages->len; i++)
    {
      self->sizes[2 * i] = docket_pdf_page_get_width (g_ptr_array_index (pages, i));
      self->sizes[2 * i + 1] = docket_pdf_page_get_height (g_ptr_array_index (pages, i));
    }
  g_list_store_splice (self->pages, 0, 0, pages->pdata, pages->len);
  self->loaded_at = g_get_monotonic_time ();

  return g_steal_pointer (&self);
}

DocketPdfDocument *
docket_pdf_document_load (GFile         *file,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  /* Tools and workers want every size at once. */
  return load (file, G_MAXUINT, cancellable, error);
}

/* The sizes of the pages the loading thread did not read, SIZES_CHUNK pages per hold of
 * the lock, after the first rendering (a job of sizes_pool). */
static void
read_sizes_job (gpointer data,
                gpointer user_data)
{
  GTask *task = data;
  DocketPdfDocument *self = g_task_get_source_object (task);
  const guint *range = g_task_get_task_data (task);
  guint first = range[0], n_pages = range[1];
  double *sizes = g_new0 (double, 2 * (gsize) (n_pages - first));

  for (guint i = first; i < n_pages;)
    {
      guint end = MIN (n_pages, i + SIZES_CHUNK);
      PopplerDocument *document = docket_pdf_document_lock_poppler (self);

      /* Per chunk, so that renderings get the lock in between. */
      for (; i < end; i++)
        {
          PopplerPage *page = poppler_document_get_page (document, (int) i);

          if (page != NULL)
            {
              poppler_page_get_size (page, &sizes[2 * (i - first)], &sizes[2 * (i - first) + 1]);
              g_object_unref (page);
            }
        }
      docket_pdf_document_unlock_poppler (self);
    }

  return_in_context (task, sizes, g_free, NULL);
}

static GThreadPool *
sizes_pool (void)
{
  static GThreadPool *pool;

  if (g_once_init_enter (&pool))
    g_once_init_leave (&pool, new_pool (read_sizes_job, 2));
  return pool;
}

/* Whether page index's real size, read from `first` on into sizes, is not the guess. */
static gboolean
guessed_wrong (DocketPdfDocument *self,
               const double      *sizes,
               guint              first,
               guint              index)
{
  return !G_APPROX_VALUE (sizes[2 * (index - first)], self->sizes[2 * index], 0.01) ||
         !G_APPROX_VALUE (sizes[2 * (index - first) + 1], self->sizes[2 * index + 1], 0.01);
}

/* Back on the main thread with the real sizes: the pages whose guess was wrong are
 * replaced in the pages model, so that views lay them out again. */
static void
on_sizes_read (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  DocketPdfDocument *self = DOCKET_PDF_DOCUMENT (source);
  g_autofree double *sizes = g_task_propagate_pointer (G_TASK (result), NULL);
  guint first = self->n_sizes_read;
  guint n_pages = docket_pdf_document_get_n_pages (self);
  guint i = first;

  while (i < n_pages)
    {
      g_autoptr(GPtrArray) replacements = NULL;
      guint start = i;

      if (!guessed_wrong (self, sizes, first, i))
        {
          i++;
          continue;
        }

      /* A run of wrongly guessed pages, replaced at once. */
      replacements = g_ptr_array_new_with_free_func (g_object_unref);
      for (; i < n_pages && guessed_wrong (self, sizes, first, i); i++)
        {
          self->sizes[2 * i] = sizes[2 * (i - first)];
          self->sizes[2 * i + 1] = sizes[2 * (i - first) + 1];
          g_ptr_array_add (replacements, docket_pdf_page_new (i, self->sizes[2 * i], self->sizes[2 * i + 1]));
        }
      g_list_store_splice (self->pages, start, replacements->len, replacements->pdata, replacements->len);
    }
  self->n_sizes_read = n_pages;
}

static void
read_sizes_async (DocketPdfDocument *self)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, on_sizes_read, NULL);
  guint *range = g_new (guint, 2);

  range[0] = self->n_sizes_read;
  range[1] = docket_pdf_document_get_n_pages (self);
  g_task_set_source_tag (task, read_sizes_async);
  g_task_set_task_data (task, range, g_free);
  g_thread_pool_push (sizes_pool (), g_steal_pointer (&task), NULL);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  DocketPdfDocument *document = load (task_data, EAGER_SIZES, cancellable, &error);

  if (document == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, document, g_object_unref);
}

void
docket_pdf_document_load_async (GFile               *file,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, docket_pdf_document_load_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, load_thread);
}

DocketPdfDocument *
docket_pdf_document_load_finish (GAsyncResult  *result,
                                 GError       **error)
{
  DocketPdfDocument *self;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  self = g_task_propagate_pointer (G_TASK (result), error);
  if (self == NULL)
    return NULL;

  /* The sizes not read yet come in a worker; their replacements go to this thread. */
  if (self->n_sizes_read < docket_pdf_document_get_n_pages (self))
    read_sizes_async (self);
  return self;
}

gboolean
docket_pdf_document_get_sizes_known (DocketPdfDocument *self)
{
  g_return_val_if_fail (DOCKET_IS_PDF_DOCUMENT (self), FALSE);
  return self->n_sizes_read == docket_pdf_document_get_n_pages (self);
}

guint
docket_pdf_document_get_n_pages (DocketPdfDocument *self)
{
  g_return_val_if_fail (DOCKET_IS_PDF_DOCUMENT (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->pages));
}

GListModel *
docket_pdf_document_get_pages (DocketPdfDocument *self)
{
  g_return_val_if_fail (DOCKET_IS_PDF_DOCUMENT (self), NULL);
  return G_LIST_MODEL (self->pages);
}

gboolean
docket_pdf_document_get_page_size (DocketPdfDocument *self,
                                   guint              index,
                                   double            *out_width,
                                   double            *out_height)
{
  g_autoptr(DocketPdfPage) page = NULL;

  g_return_val_if_fail (DOCKET_IS_PDF_DOCUMENT (self), FALSE);

  page = g_list_model_get_item (G_LIST_MODEL (self->pages), index);
  if (page == NULL)
    return FALSE;
  if (out_width != NULL)
    *out_width = docket_pdf_page_get_width (page);
  if (out_height != NULL)
    *out_height = docket_pdf_page_get_height (page);
  return TRUE;
}

GdkTexture *
docket_pdf_document_lookup_page (DocketPdfDocument *self,
                                 guint              index,
                                 int                width_px)
{
  g_return_val_if_fail (DOCKET_IS_PDF_DOCUMENT (self), NULL);
  return docket_texture_cache_lookup (self->cache, index, width_px);
}

/* The size in pixels of a rendering asked width_px wide, and its scale from points:
 * the page's shape is kept, and a very tall page gets a lower resolution so that no
 * side goes over DOCKET_PDF_MAX_TEXTURE_SIDE. Pure arithmetic, for any thread. */
static void
render_size (double  width_pt,
             double  height_pt,
             int     width_px,
             int    *out_width_px,
             int    *out_height_px,
             double *out_scale)
{
  double scale;
  int height_px;

  width_pt = MAX (width_pt, 1.0);
  height_pt = MAX (height_pt, 1.0);
  width_px = CLAMP (width_px, 1, DOCKET_PDF_MAX_TEXTURE_SIDE);
  scale = width_px / width_pt;
  height_px = (int) (height_pt * scale + 0.5);
  if (height_px > DOCKET_PDF_MAX_TEXTURE_SIDE)
    {
      scale = (double) DOCKET_PDF_MAX_TEXTURE_SIDE / height_pt;
      height_px = DOCKET_PDF_MAX_TEXTURE_SIDE;
      width_px = MAX (1, (int) (width_pt * scale + 0.5));
    }

  *out_width_px = width_px;
  *out_height_px = MAX (height_px, 1);
  *out_scale = scale;
}

int
docket_pdf_document_get_render_width (DocketPdfDocument *self,
                                      guint              index,
                                      int                width_px)
{
  int width, height;
  double scale;

  g_return_val_if_fail (DOCKET_IS_PDF_DOCUMENT (self), 0);
  g_return_val_if_fail (index < docket_pdf_document_get_n_pages (self), 0);

  render_size (self->sizes[2 * index], self->sizes[2 * index + 1], width_px, &width, &height, &scale);
  return width;
}

/* Renderings at least this big get memory in huge pages, where the kernel has them. */
#define HUGE_PAGE_BYTES (2u * 1024u * 1024u)

static cairo_user_data_key_t huge_buffer_key;

/* A blank image surface for a rendering. A page as wide as a laptop's screen is some
 * 8 MB: in 4 kB pages the kernel maps that memory in on 2,000 page faults as poppler
 * first writes it (measured: 20 ms on a virtual machine, as long as poppler takes to
 * draw many a page); in 2 MB pages, on 4. The memory is only advised (MADV_HUGEPAGE),
 * so where the kernel has no huge pages to give it is ordinary memory. */
static cairo_surface_t *
new_rendering_surface (int width_px,
                       int height_px)
{
#ifdef MADV_HUGEPAGE
  int stride = cairo_format_stride_for_width (CAIRO_FORMAT_ARGB32, width_px);
  gsize size = (gsize) stride * (gsize) height_px;
  void *buffer = NULL;
  cairo_surface_t *surface;

  if (stride <= 0 || size < 2 * HUGE_PAGE_BYTES)
    return cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width_px, height_px);
  /* Whole huge pages: the last one is not shared with other allocations. */
  size = (size + HUGE_PAGE_BYTES - 1) / HUGE_PAGE_BYTES * HUGE_PAGE_BYTES;
  if (posix_memalign (&buffer, HUGE_PAGE_BYTES, size) != 0)
    return cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width_px, height_px);
  if (madvise (buffer, size, MADV_HUGEPAGE) != 0)
    g_debug ("No huge pages for a rendering: %s", g_strerror (errno));
  surface = cairo_image_surface_create_for_data (buffer, CAIRO_FORMAT_ARGB32, width_px, height_px, stride);
  if (cairo_surface_set_user_data (surface, &huge_buffer_key, buffer, free) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      free (buffer);
      return cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width_px, height_px);
    }
  return surface;
#else
  return cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width_px, height_px);
#endif
}

/* Where a rendering keeps the cairo surface that holds its pixels. */
#define RENDERING_SURFACE_KEY "docket-pdf-rendering-surface"

/* Runs in a worker; the only place that renders. The page's size is poppler's (the
 * pages model may still hold a guess for it), read under the lock with the rendering. */
static GdkTexture *
render_page (DocketPdfDocument *self,
             guint              index,
             int                asked_width_px,
             GError           **error)
{
  PopplerPage *page;
  cairo_surface_t *surface = NULL;
  cairo_t *cr;
  g_autoptr(GBytes) bytes = NULL;
  GdkTexture *texture;
  double width_pt = 0, height_pt = 0, scale = 1;
  int width_px = 1, height_px = 1, stride;

  g_mutex_lock (&self->lock);
  page = poppler_document_get_page (self->poppler_document, (int) index);
  if (page != NULL)
    {
      poppler_page_get_size (page, &width_pt, &height_pt);
      render_size (width_pt, height_pt, asked_width_px, &width_px, &height_px, &scale);
      surface = new_rendering_surface (width_px, height_px);
      if (cairo_surface_status (surface) == CAIRO_STATUS_SUCCESS)
        {
          cr = cairo_create (surface);
          /* Paper is white, whatever the PDF draws or leaves transparent. */
          cairo_set_source_rgb (cr, 1, 1, 1);
          cairo_paint (cr);
          cairo_scale (cr, scale, scale);
          poppler_page_render (page, cr);
          cairo_destroy (cr);
        }
      /* Unreferenced under the lock too: a page's last unref touches the document. */
      g_object_unref (page);
    }
  g_mutex_unlock (&self->lock);

  if (page == NULL)
    {
      g_set_error (error, DOCKET_PDF_ERROR, DOCKET_PDF_ERROR_DAMAGED,
                   _("Page %u of this document is damaged."), index + 1);
      return NULL;
    }
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      g_set_error (error, DOCKET_PDF_ERROR, DOCKET_PDF_ERROR_RENDER,
                   _("There is not enough memory to show this page."));
      return NULL;
    }

  cairo_surface_flush (surface);
  stride = cairo_image_surface_get_stride (surface);
  /* No copy: the texture's bytes are the surface's, freed with it. */
  bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (surface),
                                      (gsize) stride * (gsize) height_px,
                                      (GDestroyNotify) cairo_surface_destroy,
                                      surface);
  /* Cairo's ARGB32 is premultiplied, in native endianness: GDK_MEMORY_DEFAULT. */
  texture = gdk_memory_texture_new (width_px, height_px, GDK_MEMORY_DEFAULT, bytes, stride);
  g_object_set_data_full (G_OBJECT (texture), RENDERING_SURFACE_KEY,
                          cairo_surface_reference (surface), (GDestroyNotify) cairo_surface_destroy);
  return texture;
}

cairo_surface_t *
docket_pdf_document_get_rendering_surface (GdkTexture *texture)
{
  g_return_val_if_fail (GDK_IS_TEXTURE (texture), NULL);
  return g_object_get_data (G_OBJECT (texture), RENDERING_SURFACE_KEY);
}

/* The one thread that renders pages, for every document: renderings of one document
 * take turns on its lock anyway, and on a thread of their own they never queue behind
 * the other work of GIO's shared pool (store queries, outline, links...). First come,
 * first served: the first page asked for is the first shown. */
static void
render_job (gpointer data,
            gpointer user_data)
{
  GTask *task = data;
  DocketPdfDocument *self = g_task_get_source_object (task);
  RenderJob *job = g_task_get_task_data (task);
  GError *error = NULL;
  GdkTexture *texture = NULL;

  /* A job whose page scrolled away before its turn is dropped here. */
  if (!g_cancellable_set_error_if_cancelled (g_task_get_cancellable (task), &error))
    {
      texture = render_page (self, job->index, job->width_px, &error);
    }
  return_in_context (task, texture, g_object_unref, error);
}

static GThreadPool *
render_pool (void)
{
  static GThreadPool *pool;

  if (g_once_init_enter (&pool))
    g_once_init_leave (&pool, new_pool (render_job, 1));
  return pool;
}

/* Back on the main thread with the prefetched page: into the cache, and to each
 * rendering of it asked meanwhile. */
static void
on_prefetched (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  DocketPdfDocument *self = DOCKET_PDF_DOCUMENT (source);
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->prefetch_waiters);
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  self->prefetch_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->prefetching = FALSE;
  texture = g_task_propagate_pointer (G_TASK (result), &error);
  if (texture != NULL)
    {
      docket_texture_cache_insert (self->cache, self->prefetch_index, texture);
      self->render_count++;
    }

  /* A waiter cancelled meanwhile returns its cancellation (g_task_set_check_cancellable). */
  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *waiter = g_ptr_array_index (waiters, i);

      if (texture != NULL)
        g_task_return_pointer (waiter, g_object_ref (texture), g_object_unref);
      else
        g_task_return_error (waiter, g_error_copy (error));
    }
}

void
docket_pdf_document_prefetch_page (DocketPdfDocument *self,
                                   guint              index,
                                   int                width_px)
{
  GTask *task;
  RenderJob *job;

  g_return_if_fail (DOCKET_IS_PDF_DOCUMENT (self));

  if (self->prefetching || index >= docket_pdf_document_get_n_pages (self))
    return;
  width_px = docket_pdf_document_get_render_width (self, index, width_px);
  if (docket_texture_cache_lookup (self->cache, index, width_px) != NULL)
    return;

  self->prefetching = TRUE;
  self->prefetch_index = index;
  self->prefetch_width = width_px;
  task = g_task_new (self, NULL, on_prefetched, NULL);
  g_task_set_source_tag (task, docket_pdf_document_prefetch_page);
  job = g_new0 (RenderJob, 1);
  job->index = index;
  job->width_px = width_px;
  g_task_set_task_data (task, job, g_free);
  g_thread_pool_push (render_pool (), task, NULL);
}

void
docket_pdf_document_render_page_async (DocketPdfDocument   *self,
                                       guint                index,
                                       int                  width_px,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RenderJob *job;

  g_return_if_fail (DOCKET_IS_PDF_DOCUMENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, docket_pdf_document_render_page_async);
  /* A result that arrives after cancellation is dropped, not shown. */
  g_task_set_return_on_cancel (task, FALSE);
  g_task_set_check_cancellable (task, TRUE);

  if (index >= docket_pdf_document_get_n_pages (self))
    {
      g_task_return_new_error (task, DOCKET_PDF_ERROR, DOCKET_PDF_ERROR_NO_SUCH_PAGE,
                               _("This document has no page %u."), index + 1);
      return;
    }

  job = g_new0 (RenderJob, 1);
  job->index = index;
  job->width_px = width_px;
  g_task_set_task_data (task, job, g_free);

  /* Already on its way: waits for it rather than rendering it twice. */
  if (self->prefetching && self->prefetch_index == index && self->prefetch_width == width_px)
    {
      job->joined = TRUE;
      g_ptr_array_add (self->prefetch_waiters, g_steal_pointer (&task));
      return;
    }
  g_thread_pool_push (render_pool (), g_steal_pointer (&task), NULL);
}

GdkTexture *
docket_pdf_document_render_page_finish (DocketPdfDocument  *self,
                                        GAsyncResult       *result,
                                        GError            **error)
{
  GdkTexture *texture;
  RenderJob *job;

  g_return_val_if_fail (DOCKET_IS_PDF_DOCUMENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  texture = g_task_propagate_pointer (G_TASK (result), error);
  if (texture == NULL)
    return NULL;

  /* Back on the main thread: the cache is ours to touch (a joined rendering is there
   * already, and was counted). */
  job = g_task_get_task_data (G_TASK (result));
  if (!job->joined)
    {
      docket_texture_cache_insert (self->cache, job->index, texture);
      self->render_count++;
    }

  return texture;
}

guint
docket_pdf_document_get_render_count (DocketPdfDocument *self)
{
  g_return_val_if_fail (DOCKET_IS_PDF_DOCUMENT (self), 0);
  return self->render_count;
}
