/* docket-pdf-outline.c: a PDF's outline, read in a worker thread */

#include "config.h"

#include "docket-pdf-outline.h"
#include "docket-pdf-document-private.h"

/* Bounds on what a PDF may make us build. */
#define MAX_DEPTH   16
#define MAX_ENTRIES 10000

struct _DocketPdfOutline
{
  GObject     parent_instance;

  char       *title;
  int         page;
  GListStore *children;   /* NULL when none */
};

G_DEFINE_FINAL_TYPE (DocketPdfOutline, docket_pdf_outline, G_TYPE_OBJECT)

static void
docket_pdf_outline_finalize (GObject *object)
{
  DocketPdfOutline *self = DOCKET_PDF_OUTLINE (object);

  g_clear_pointer (&self->title, g_free);
  g_clear_object (&self->children);

  G_OBJECT_CLASS (docket_pdf_outline_parent_class)->finalize (object);
}

static void
docket_pdf_outline_class_init (DocketPdfOutlineClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = docket_pdf_outline_finalize;
}

static void
docket_pdf_outline_init (DocketPdfOutline *self)
{
  self->page = -1;
}

/* The page an entry's action goes to, from 0, or -1. Under the lock. */
static int
action_page (PopplerDocument *document,
             PopplerAction   *action)
{
  PopplerDest *dest;
  int page = -1;

  if (action == NULL || action->type != POPPLER_ACTION_GOTO_DEST || action->goto_dest.dest == NULL)
    return -1;

  dest = action->goto_dest.dest;
  if (dest->type == POPPLER_DEST_NAMED)
    {
      PopplerDest *named = dest->named_dest != NULL ? poppler_document_find_dest (document, dest->named_dest) : NULL;

      if (named != NULL)
        {
          page = named->page_num - 1;
          poppler_dest_free (named);
        }
    }
  else
    page = dest->page_num - 1;

  if (page < 0 || page >= poppler_document_get_n_pages (document))
    return -1;
  return page;
}

/* The entries at iter and after it, and their children. Under the lock. */
static GListStore *
read_level (PopplerDocument  *document,
            PopplerIndexIter *iter,
            guint             depth,
            guint            *n_entries)
{
  GListStore *store = g_list_store_new (DOCKET_TYPE_PDF_OUTLINE);

  do
    {
      PopplerAction *action = poppler_index_iter_get_action (iter);
      g_autoptr(DocketPdfOutline) entry = g_object_new (DOCKET_TYPE_PDF_OUTLINE, NULL);
      PopplerIndexIter *child;

      if (++*n_entries > MAX_ENTRIES)
        {
          poppler_action_free (action);
          break;
        }

      if (action != NULL && action->any.title != NULL && g_utf8_validate (action->any.title, -1, NULL))
        entry->title = g_strstrip (g_strdup (action->any.title));
      else
        entry->title = g_strdup ("");
      entry->page = action_page (document, action);
      poppler_action_free (action);

      child = depth + 1 < MAX_DEPTH ? poppler_index_iter_get_child (iter) : NULL;
      if (child != NULL)
        {
          GListStore *children = read_level (document, child, depth + 1, n_entries);

          if (g_list_model_get_n_items (G_LIST_MODEL (children)) > 0)
            entry->children = children;
          else
            g_object_unref (children);
          poppler_index_iter_free (child);
        }
      g_list_store_append (store, entry);
    }
  while (poppler_index_iter_next (iter));

  return store;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  DocketPdfDocument *self = source_object;
  PopplerDocument *document;
  PopplerIndexIter *iter;
  GListStore *store = NULL;
  guint n_entries = 0;

  if (g_task_return_error_if_cancelled (task))
    return;

  document = docket_pdf_document_lock_poppler (self);
  iter = poppler_index_iter_new (document);
  if (iter != NULL)
    {
      store = read_level (document, iter, 0, &n_entries);
      poppler_index_iter_free (iter);
    }
  docket_pdf_document_unlock_poppler (self);

  if (store == NULL)
    store = g_list_store_new (DOCKET_TYPE_PDF_OUTLINE);
  g_task_return_pointer (task, store, g_object_unref);
}

void
docket_pdf_outline_load_async (DocketPdfDocument   *document,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DOCKET_IS_PDF_DOCUMENT (document));

  task = g_task_new (document, cancellable, callback, user_data);
  g_task_set_source_tag (task, docket_pdf_outline_load_async);
  g_task_run_in_thread (task, load_thread);
}

GListModel *
docket_pdf_outline_load_finish (DocketPdfDocument  *document,
                                GAsyncResult       *result,
                                GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, document), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
docket_pdf_outline_get_title (DocketPdfOutline *self)
{
  g_return_val_if_fail (DOCKET_IS_PDF_OUTLINE (self), NULL);
  return self->title;
}

int
docket_pdf_outline_get_page (DocketPdfOutline *self)
{
  g_return_val_if_fail (DOCKET_IS_PDF_OUTLINE (self), -1);
  return self->page;
}

GListModel *
docket_pdf_outline_get_children (DocketPdfOutline *self)
{
  g_return_val_if_fail (DOCKET_IS_PDF_OUTLINE (self), NULL);
  return self->children != NULL ? G_LIST_MODEL (self->children) : NULL;
}
