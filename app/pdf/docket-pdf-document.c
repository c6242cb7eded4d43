/* docket-pdf-document.c: a PDF opened with poppler, its pages rendered in worker threads */

#include "config.h"

#include <glib/gi18n.h>
#include <poppler.h>
#include <cairo.h>

#include "docket-pdf-document.h"
#include "docket-pdf-document-private.h"
#include "docket-pdf-page.h"
#include "docket-texture-cache.h"

/* About 25 pages of A4 at 1000 px wide: enough for the pages on screen and around them. */
#define TEXTURE_CACHE_BYTES (96u * 1024u * 1024u)

struct _DocketPdfDocument
{
  GObject             parent_instance;

  /* Owned; every use of poppler_document goes under lock, from any thread. */
  GMutex              lock;
  PopplerDocument    *poppler_document;

  /* Owned; written once at load, read-only afterwards, so workers read it freely:
   * the width and height in points of page i at [2 i] and [2 i + 1]. */
  double             *sizes;

  /* Owned, main thread only. */
  GListStore         *pages;
  DocketTextureCache *cache;
  guint               render_count;
};

G_DEFINE_FINAL_TYPE (DocketPdfDocument, docket_pdf_document, G_TYPE_OBJECT)

G_DEFINE_QUARK (docket-pdf-error-quark, docket_pdf_error)

typedef struct {
  guint index;
  int   width_px;
} RenderJob;

static void
docket_pdf_document_finalize (GObject *object)
{
  DocketPdfDocument *self = DOCKET_PDF_DOCUMENT (object);

  g_clear_object (&self->pages);
  g_clear_pointer (&self->sizes, g_free);
  g_clear_object (&self->cache);
  g_clear_object (&self->poppler_document);
  g_mutex_clear (&self->lock);

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
  self->pages = g_list_store_new (DOCKET_TYPE_PDF_PAGE);
  self->cache = docket_texture_cache_new (TEXTURE_CACHE_BYTES);
}

/* For the other files of app/pdf (docket-pdf-document-private.h) */

PopplerDocument *
docket_pdf_document_lock_poppler (DocketPdfDocument *self)
{
  g_mutex_lock (&self->lock);
  return self->poppler_document;
}

void
docket_pdf_document_unlock_poppler (DocketPdfDocument *self)
{
  g_mutex_unlock (&self->lock);
}

DocketPdfDocument *
docket_pdf_document_load (GFile         *file,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autoptr(DocketPdfDocument) self = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) pages = NULL;
  PopplerDocument *document;
  int n_pages;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

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

  /* Read every page's size once, here in the loading thread, so that laying out the
   * pages later never calls into poppler. */
  pages = g_ptr_array_new_full (n_pages, g_object_unref);
  for (int i = 0; i < n_pages; i++)
    {
      PopplerPage *page = poppler_document_get_page (document, i);
      double width = 0, height = 0;

      if (page != NULL)
        {
          poppler_page_get_size (page, &width, &height);
          g_object_unref (page);
        }
      g_ptr_array_add (pages, docket_pdf_page_new (i, width, height));
    }

  self = g_object_new (DOCKET_TYPE_PDF_DOCUMENT, NULL);
  self->poppler_document = document;
  self->sizes = g_new (double, 2 * (gsize) n_pages);
  for (guint i = 0; i < pages->len; i++)
    {
      self->sizes[2 * i] = docket_pdf_page_get_width (g_ptr_array_index (pages, i));
      self->sizes[2 * i + 1] = docket_pdf_page_get_height (g_ptr_array_index (pages, i));
    }
  g_list_store_splice (self->pages, 0, 0, pages->pdata, pages->len);

  return g_steal_pointer (&self);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  DocketPdfDocument *document = docket_pdf_document_load (task_data, cancellable, &error);

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
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
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

/* Runs in a worker; the only place that renders. */
static GdkTexture *
render_page (DocketPdfDocument *self,
             guint              index,
             int                width_px,
             int                height_px,
             double             scale,
             GError           **error)
{
  PopplerPage *page;
  cairo_surface_t *surface;
  cairo_t *cr;
  g_autoptr(GBytes) bytes = NULL;
  int stride;

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width_px, height_px);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      cairo_surface_destroy (surface);
      g_set_error (error, DOCKET_PDF_ERROR, DOCKET_PDF_ERROR_RENDER,
                   _("There is not enough memory to show this page."));
      return NULL;
    }

  cr = cairo_create (surface);
  /* Paper is white, whatever the PDF draws or leaves transparent. */
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_scale (cr, scale, scale);

  g_mutex_lock (&self->lock);
  page = poppler_document_get_page (self->poppler_document, index);
  if (page != NULL)
    {
      poppler_page_render (page, cr);
      /* Unreferenced under the lock too: a page's last unref touches the document. */
      g_object_unref (page);
    }
  g_mutex_unlock (&self->lock);

  cairo_destroy (cr);
  cairo_surface_flush (surface);

  stride = cairo_image_surface_get_stride (surface);
  bytes = g_bytes_new_with_free_func (cairo_image_surface_get_data (surface),
                                      (gsize) stride * (gsize) height_px,
                                      (GDestroyNotify) cairo_surface_destroy,
                                      surface);
  /* Cairo's ARGB32 is premultiplied, in native endianness: GDK_MEMORY_DEFAULT. */
  return gdk_memory_texture_new (width_px, height_px, GDK_MEMORY_DEFAULT, bytes, stride);
}

static void
render_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  DocketPdfDocument *self = source_object;
  RenderJob *job = task_data;
  GError *error = NULL;
  GdkTexture *texture;
  double width_pt = 0, height_pt = 0, scale;
  int width_px, height_px;

  /* A job whose page scrolled away before a worker took it is dropped here. */
  if (g_task_return_error_if_cancelled (task))
    return;

  /* Sizes were read at load and never change: no lock needed. */
  width_pt = self->sizes[2 * job->index];
  height_pt = self->sizes[2 * job->index + 1];
  render_size (width_pt, height_pt, job->width_px, &width_px, &height_px, &scale);

  texture = render_page (self, job->index, width_px, height_px, scale, &error);
  if (texture == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, texture, g_object_unref);
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
  g_task_run_in_thread (task, render_thread);
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

  /* Back on the main thread: the cache is ours to touch. */
  job = g_task_get_task_data (G_TASK (result));
  docket_texture_cache_insert (self->cache, job->index, texture);
  self->render_count++;

  return texture;
}

guint
docket_pdf_document_get_render_count (DocketPdfDocument *self)
{
  g_return_val_if_fail (DOCKET_IS_PDF_DOCUMENT (self), 0);
  return self->render_count;
}
