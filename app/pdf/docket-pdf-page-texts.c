/* docket-pdf-page-texts.c: the text of a document's pages, kept once read */

#include "config.h"

#include <string.h>

#include "docket-pdf-page-texts.h"

struct _DocketPdfPageTexts
{
  GObject    parent_instance;

  GMutex     lock;
  GPtrArray *texts;       /* char*, NULL when not kept; under lock */
  gsize      n_bytes;     /* under lock */
  gsize      max_bytes;
};

G_DEFINE_FINAL_TYPE (DocketPdfPageTexts, docket_pdf_page_texts, G_TYPE_OBJECT)

static void
docket_pdf_page_texts_finalize (GObject *object)
{
  DocketPdfPageTexts *self = DOCKET_PDF_PAGE_TEXTS (object);

  g_clear_pointer (&self->texts, g_ptr_array_unref);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (docket_pdf_page_texts_parent_class)->finalize (object);
}

static void
docket_pdf_page_texts_class_init (DocketPdfPageTextsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = docket_pdf_page_texts_finalize;
}

static void
docket_pdf_page_texts_init (DocketPdfPageTexts *self)
{
  g_mutex_init (&self->lock);
}

DocketPdfPageTexts *
docket_pdf_page_texts_new (guint n_pages,
                           gsize max_bytes)
{
  DocketPdfPageTexts *self = g_object_new (DOCKET_TYPE_PDF_PAGE_TEXTS, NULL);

  self->texts = g_ptr_array_new_full (n_pages, g_free);
  g_ptr_array_set_size (self->texts, n_pages);
  self->max_bytes = max_bytes;
  return self;
}

char *
docket_pdf_page_texts_dup (DocketPdfPageTexts *self,
                           guint               page)
{
  char *text = NULL;

  g_return_val_if_fail (DOCKET_IS_PDF_PAGE_TEXTS (self), NULL);

  g_mutex_lock (&self->lock);
  if (page < self->texts->len)
    text = g_strdup (g_ptr_array_index (self->texts, page));
  g_mutex_unlock (&self->lock);
  return text;
}

void
docket_pdf_page_texts_store (DocketPdfPageTexts *self,
                             guint               page,
                             const char         *text)
{
  gsize size;

  g_return_if_fail (DOCKET_IS_PDF_PAGE_TEXTS (self));
  g_return_if_fail (text != NULL);

  size = strlen (text) + 1;
  g_mutex_lock (&self->lock);
  if (page < self->texts->len && g_ptr_array_index (self->texts, page) == NULL &&
      self->n_bytes + size <= self->max_bytes)
    {
      g_ptr_array_index (self->texts, page) = g_strdup (text);
      self->n_bytes += size;
    }
  g_mutex_unlock (&self->lock);
}

gsize
docket_pdf_page_texts_get_n_bytes (DocketPdfPageTexts *self)
{
  gsize n;

  g_return_val_if_fail (DOCKET_IS_PDF_PAGE_TEXTS (self), 0);

  g_mutex_lock (&self->lock);
  n = self->n_bytes;
  g_mutex_unlock (&self->lock);
  return n;
}
