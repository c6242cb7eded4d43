/* docket-pdf-selection.c: the text an official selects on a page, its boxes and its text */

#include "config.h"

#include <glib/gi18n.h>
#include <poppler.h>

#include "docket-pdf-selection.h"
#include "docket-pdf-document-private.h"

/* Cairo regions are in whole units: asked at this scale, the boxes are exact to a
 * quarter of a point. */
#define REGION_SCALE 4.0

typedef struct {
  guint    index;
  double   x0, y0, x1, y1;
  gboolean words;
} SelectJob;

void
docket_pdf_selection_free (DocketPdfSelection *selection)
{
  if (selection == NULL)
    return;
  g_clear_pointer (&selection->rects, g_array_unref);
  g_free (selection->text);
  g_free (selection);
}

/* Cairo gives a region as bands: a line whose glyphs differ in height comes as several
 * boxes. Boxes that share most of their height are one line. */
static GArray *
region_to_lines (cairo_region_t *region)
{
  GArray *lines = g_array_new (FALSE, FALSE, sizeof (graphene_rect_t));
  int n = cairo_region_num_rectangles (region);

  for (int i = 0; i < n; i++)
    {
      cairo_rectangle_int_t r;
      graphene_rect_t box;
      gboolean merged = FALSE;

      cairo_region_get_rectangle (region, i, &r);
      graphene_rect_init (&box, r.x / REGION_SCALE, r.y / REGION_SCALE,
                          r.width / REGION_SCALE, r.height / REGION_SCALE);

      for (guint j = 0; j < lines->len && !merged; j++)
        {
          graphene_rect_t *line = &g_array_index (lines, graphene_rect_t, j);
          double top = MAX (line->origin.y, box.origin.y);
          double bottom = MIN (line->origin.y + line->size.height, box.origin.y + box.size.height);

          if (bottom - top >= 0.5 * MIN (line->size.height, box.size.height))
            {
              graphene_rect_union (line, &box, line);
              merged = TRUE;
            }
        }
      if (!merged)
        g_array_append_val (lines, box);
    }
  return lines;
}

DocketPdfSelection *
docket_pdf_document_select_text (DocketPdfDocument  *self,
                                 guint               index,
                                 double              x0,
                                 double              y0,
                                 double              x1,
                                 double              y1,
                                 gboolean            words,
                                 GError            **error)
{
  PopplerSelectionStyle style = words ? POPPLER_SELECTION_WORD : POPPLER_SELECTION_GLYPH;
  PopplerRectangle points = { x0, y0, x1, y1 };
  g_autoptr(DocketPdfSelection) selection = NULL;
  PopplerDocument *document;
  PopplerPage *page;
  cairo_region_t *region = NULL;
  char *text = NULL;

  g_return_val_if_fail (DOCKET_IS_PDF_DOCUMENT (self), NULL);

  if (index >= docket_pdf_document_get_n_pages (self))
    {
      g_set_error (error, DOCKET_PDF_ERROR, DOCKET_PDF_ERROR_NO_SUCH_PAGE,
                   _("This document has no page %u."), index + 1);
      return NULL;
    }

  document = docket_pdf_document_lock_poppler (self);
  page = poppler_document_get_page (document, (int) index);
  if (page != NULL)
    {
      /* Brought back to points, like the rest of our geometry, in region_to_lines (). */
      region = poppler_page_get_selected_region (page, REGION_SCALE, style, &points);
      text = poppler_page_get_selected_text (page, style, &points);
      g_object_unref (page);
    }
  docket_pdf_document_unlock_poppler (self);

  selection = g_new0 (DocketPdfSelection, 1);
  selection->page = index;
  selection->text = text != NULL ? text : g_strdup ("");
  if (region != NULL)
    {
      selection->rects = region_to_lines (region);
      cairo_region_destroy (region);
    }
  else
    selection->rects = g_array_new (FALSE, FALSE, sizeof (graphene_rect_t));

  return g_steal_pointer (&selection);
}

static void
select_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  SelectJob *job = task_data;
  GError *error = NULL;
  DocketPdfSelection *selection;

  if (g_task_return_error_if_cancelled (task))
    return;
  selection = docket_pdf_document_select_text (source_object, job->index, job->x0, job->y0,
                                               job->x1, job->y1, job->words, &error);
  if (selection == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, selection, (GDestroyNotify) docket_pdf_selection_free);
}

void
docket_pdf_document_select_text_async (DocketPdfDocument   *self,
                                       guint                index,
                                       double               x0,
                                       double               y0,
                                       double               x1,
                                       double               y1,
                                       gboolean             words,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SelectJob *job;

  g_return_if_fail (DOCKET_IS_PDF_DOCUMENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, docket_pdf_document_select_text_async);
  /* A drag moves on faster than poppler answers: an old answer is dropped. */
  g_task_set_check_cancellable (task, TRUE);

  job = g_new0 (SelectJob, 1);
  *job = (SelectJob) { index, x0, y0, x1, y1, words };
  g_task_set_task_data (task, job, g_free);
  g_task_run_in_thread (task, select_thread);
}

DocketPdfSelection *
docket_pdf_document_select_text_finish (DocketPdfDocument  *self,
                                        GAsyncResult       *result,
                                        GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
