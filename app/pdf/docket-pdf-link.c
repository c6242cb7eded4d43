/* docket-pdf-link.c: the links on a page: where they are and where they go */

#include "config.h"

#include <glib/gi18n.h>
#include <poppler.h>

#include "docket-pdf-link.h"
#include "docket-pdf-document-private.h"

void
docket_pdf_link_free (DocketPdfLink *link)
{
  if (link == NULL)
    return;
  g_free (link->uri);
  g_free (link);
}

/* The page a destination goes to, from 0, or -1. Under the document's lock. */
static int
dest_page (PopplerDocument *document,
           PopplerDest     *dest)
{
  PopplerDest *named;
  int page;

  if (dest == NULL)
    return -1;
  if (dest->type != POPPLER_DEST_NAMED)
    return dest->page_num - 1;

  named = poppler_document_find_dest (document, dest->named_dest);
  if (named == NULL)
    return -1;
  page = named->page_num - 1;
  poppler_dest_free (named);
  return page;
}

GPtrArray *
docket_pdf_document_get_links (DocketPdfDocument  *self,
                               guint               index,
                               GError            **error)
{
  GPtrArray *links = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_pdf_link_free);
  guint n_pages = docket_pdf_document_get_n_pages (self);
  PopplerDocument *document;
  PopplerPage *page;
  double height = 0;

  if (index >= n_pages)
    {
      g_ptr_array_unref (links);
      g_set_error (error, DOCKET_PDF_ERROR, DOCKET_PDF_ERROR_NO_SUCH_PAGE,
                   _("This document has no page %u."), index + 1);
      return NULL;
    }

  document = docket_pdf_document_lock_poppler (self);
  page = poppler_document_get_page (document, (int) index);
  if (page != NULL)
    {
      GList *mapping = poppler_page_get_link_mapping (page);

      poppler_page_get_size (page, NULL, &height);
      for (GList *l = mapping; l != NULL; l = l->next)
        {
          PopplerLinkMapping *map = l->data;
          PopplerAction *action = map->action;
          DocketPdfLink *link;
          int target = -1;
          const char *uri = NULL;

          if (action == NULL)
            continue;
          if (action->type == POPPLER_ACTION_GOTO_DEST)
            target = dest_page (document, action->goto_dest.dest);
          else if (action->type == POPPLER_ACTION_URI)
            uri = action->uri.uri;
          /* A page beyond the document is a broken link: nothing to follow. */
          if ((target < 0 || (guint) target >= n_pages) && uri == NULL)
            continue;

          link = g_new0 (DocketPdfLink, 1);
          /* Poppler's link areas have their origin at the bottom left. */
          graphene_rect_init (&link->area, map->area.x1, height - map->area.y2,
                              map->area.x2 - map->area.x1, map->area.y2 - map->area.y1);
          link->page = uri == NULL ? target : -1;
          link->uri = g_strdup (uri);
          g_ptr_array_add (links, link);
        }
      poppler_page_free_link_mapping (mapping);
      g_object_unref (page);
    }
  docket_pdf_document_unlock_poppler (self);

  return links;
}

static void
links_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *links;

  if (g_task_return_error_if_cancelled (task))
    return;
  links = docket_pdf_document_get_links (source_object, GPOINTER_TO_UINT (task_data), &error);
  if (links == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, links, (GDestroyNotify) g_ptr_array_unref);
}

void
docket_pdf_document_get_links_async (DocketPdfDocument   *self,
                                     guint                index,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DOCKET_IS_PDF_DOCUMENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, docket_pdf_document_get_links_async);
  g_task_set_check_cancellable (task, TRUE);
  g_task_set_task_data (task, GUINT_TO_POINTER (index), NULL);
  g_task_run_in_thread (task, links_thread);
}

GPtrArray *
docket_pdf_document_get_links_finish (DocketPdfDocument  *self,
                                      GAsyncResult       *result,
                                      GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
