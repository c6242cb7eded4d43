/* docket-pdf-thumbnailer.c: small renderings of a document's pages, for the sidebar */

#include "config.h"

#include <glib/gi18n.h>
#include <cairo.h>

#include "docket-pdf-thumbnailer.h"
#include "docket-pdf-document-private.h"
#include "docket-texture-cache.h"

/* About 200 thumbnails 160 px wide: a long document's sidebar scrolls back without
 * rendering again, and costs little next to the pages. */
#define CACHE_BYTES (16u * 1024u * 1024u)

struct _DocketPdfThumbnailer
{
  GObject             parent_instance;

  DocketPdfDocument  *document;
  DocketTextureCache *cache;          /* main thread only */
  guint               render_count;
};

G_DEFINE_FINAL_TYPE (DocketPdfThumbnailer, docket_pdf_thumbnailer, G_TYPE_OBJECT)

typedef struct {
  GTask  *task;
  guint   index;
  int     width_px;
  int     height_px;
  double  scale;
  guint64 sequence;   /* newer jobs run first */
} Job;

static void
docket_pdf_thumbnailer_finalize (GObject *object)
{
  DocketPdfThumbnailer *self = DOCKET_PDF_THUMBNAILER (object);

  g_clear_object (&self->cache);
  g_clear_object (&self->document);

  G_OBJECT_CLASS (docket_pdf_thumbnailer_parent_class)->finalize (object);
}

static void
docket_pdf_thumbnailer_class_init (DocketPdfThumbnailerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = docket_pdf_thumbnailer_finalize;
}

static void
docket_pdf_thumbnailer_init (DocketPdfThumbnailer *self)
{
  self->cache = docket_texture_cache_new (CACHE_BYTES);
}

DocketPdfThumbnailer *
docket_pdf_thumbnailer_new (DocketPdfDocument *document)
{
  DocketPdfThumbnailer *self;

  g_return_val_if_fail (DOCKET_IS_PDF_DOCUMENT (document), NULL);

  self = g_object_new (DOCKET_TYPE_PDF_THUMBNAILER, NULL);
  self->document = g_object_ref (document);
  return self;
}

DocketPdfDocument *
docket_pdf_thumbnailer_get_document (DocketPdfThumbnailer *self)
{
  g_return_val_if_fail (DOCKET_IS_PDF_THUMBNAILER (self), NULL);
  return self->document;
}

GdkTexture *
docket_pdf_thumbnailer_lookup (DocketPdfThumbnailer *self,
                               guint                 index,
                               int                   width_px)
{
  g_return_val_if_fail (DOCKET_IS_PDF_THUMBNAILER (self), NULL);
  return docket_texture_cache_lookup (self->cache, index, width_px);
}

/* Runs in the thumbnail thread. */
static GdkTexture *
render (DocketPdfThumbnailer  *self,
        const Job             *job,
        GError               **error)
{
  PopplerDocument *document;
  PopplerPage *page;
  cairo_surface_t *surface;
  cairo_t *cr;
  g_autoptr(GBytes) bytes = NULL;
  int stride;

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, job->width_px, job->height_px);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      g_set_error (error, DOCKET_PDF_ERROR, DOCKET_PDF_ERROR_RENDER,
                   _("There is not enough memory to show this page."));
      return NULL;
    }

  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, job->scale, job->scale);

  document = docket_pdf_document_lock_poppler (self->document);
  page = poppler_document_get_page (document, (int) job->index);
  if (page != NULL)
    {
      poppler_page_render (page, cr);
      g_object_unref (page);
    }
  docket_pdf_document_unlock_poppler (self->document);

  cairo_destroy (cr);
  cairo_surface_flush (surface);

  stride = cairo_image_surface_get_stride (surface);
  bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (surface),
                                      (gsize) stride * (gsize) job->height_px,
                                      (GDestroyNotify) cairo_surface_destroy, surface);
  return gdk_memory_texture_new (job->width_px, job->height_px, GDK_MEMORY_DEFAULT, bytes, stride);
}

static void
run_job (gpointer data,
         gpointer user_data)
{
  Job *job = data;
  GTask *task = job->task;
  GError *error = NULL;
  GdkTexture *texture;

  /* Scrolled past before its turn came: dropped. */
  if (!g_task_return_error_if_cancelled (task))
    {
      texture = render (g_task_get_source_object (task), job, &error);
      if (texture == NULL)
        g_task_return_error (task, error);
      else
        g_task_return_pointer (task, texture, g_object_unref);
    }
  g_free (job);
  g_object_unref (task);
}

static gint
newest_first (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  const Job *job_a = a, *job_b = b;

  return job_a->sequence < job_b->sequence ? 1 : job_a->sequence > job_b->sequence ? -1 : 0;
}

/* One thread for the thumbnails of every document, for the life of the process. */
static GThreadPool *
thumbnail_pool (void)
{
  static GThreadPool *pool;

  if (g_once_init_enter (&pool))
    {
      GThreadPool *new_pool = g_thread_pool_new (run_job, NULL, 1, FALSE, NULL);

      g_thread_pool_set_sort_function (new_pool, newest_first, NULL);
      g_once_init_leave (&pool, new_pool);
    }
  return pool;
}

void
docket_pdf_thumbnailer_render_async (DocketPdfThumbnailer *self,
                                     guint                 index,
                                     int                   width_px,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data)
{
  static guint64 sequence;
  g_autoptr(GTask) task = NULL;
  double width_pt = 0, height_pt = 0;
  Job *job;

  g_return_if_fail (DOCKET_IS_PDF_THUMBNAILER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, docket_pdf_thumbnailer_render_async);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_set_check_cancellable (task, TRUE);
  g_task_set_task_data (task, GUINT_TO_POINTER (index), NULL);

  if (!docket_pdf_document_get_page_size (self->document, index, &width_pt, &height_pt))
    {
      g_task_return_new_error (task, DOCKET_PDF_ERROR, DOCKET_PDF_ERROR_NO_SUCH_PAGE,
                               _("This document has no page %u."), index + 1);
      return;
    }

  job = g_new0 (Job, 1);
  job->task = g_steal_pointer (&task);
  job->index = index;
  job->width_px = CLAMP (width_px, 1, 1024);
  job->scale = job->width_px / MAX (width_pt, 1.0);
  job->height_px = CLAMP ((int) (MAX (height_pt, 1.0) * job->scale + 0.5), 1, 4096);
  job->sequence = ++sequence;
  g_thread_pool_push (thumbnail_pool (), job, NULL);
}

GdkTexture *
docket_pdf_thumbnailer_render_finish (DocketPdfThumbnailer  *self,
                                      GAsyncResult          *result,
                                      GError               **error)
{
  GdkTexture *texture;

  g_return_val_if_fail (DOCKET_IS_PDF_THUMBNAILER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  texture = g_task_propagate_pointer (G_TASK (result), error);
  if (texture == NULL)
    return NULL;

  docket_texture_cache_insert (self->cache, GPOINTER_TO_UINT (g_task_get_task_data (G_TASK (result))), texture);
  self->render_count++;
  return texture;
}

guint
docket_pdf_thumbnailer_get_render_count (DocketPdfThumbnailer *self)
{
  g_return_val_if_fail (DOCKET_IS_PDF_THUMBNAILER (self), 0);
  return self->render_count;
}
