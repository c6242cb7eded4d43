/* docket-pdf-find.c: find a text in a document (see the header) */

#include "config.h"

#include <math.h>
#include <string.h>

#include <graphene.h>

#include "docket-main-context.h"
#include "docket-pdf-find.h"
#include "docket-pdf-document-private.h"
#include "docket-text-fold.h"

/* The hits of one page, as the worker sends them. */
typedef struct {
  guint   page;
  GArray *boxes;   /* graphene_rect_t */
  GArray *hits;    /* guint pairs: first box, number of boxes */
} PageHits;

/* One hit, in the sorted list. */
typedef struct {
  guint page;
  guint first_box;
  guint n_boxes;
} Hit;

struct _DocketPdfFind
{
  GObject            parent_instance;

  DocketPdfDocument *document;
  char              *text;
  char              *folded;        /* what is matched; "" finds nothing */
  guint              start_page;
  GCancellable      *cancellable;
  GMainContext      *context;       /* where results go */
  DocketPdfPageTexts *texts;        /* the pages' text kept, or NULL */

  /* Main thread only */
  GHashTable        *pages;         /* page → PageHits */
  GArray            *hits;          /* Hit, in document order */
  gboolean           finished;
};

G_DEFINE_FINAL_TYPE (DocketPdfFind, docket_pdf_find, G_TYPE_OBJECT)

enum {
  PAGE_FOUND,
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
page_hits_free (PageHits *hits)
{
  g_clear_pointer (&hits->boxes, g_array_unref);
  g_clear_pointer (&hits->hits, g_array_unref);
  g_free (hits);
}

/* Matching */

char *
docket_pdf_find_fold_query (const char *text)
{
  g_autofree char *folded = NULL;
  GString *collapsed;
  gboolean space = FALSE;

  g_return_val_if_fail (text != NULL, NULL);

  folded = docket_text_fold (text, -1, NULL);
  collapsed = g_string_new (NULL);
  for (const char *p = folded; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        {
          space = collapsed->len > 0;
          continue;
        }
      if (space)
        g_string_append_c (collapsed, ' ');
      space = FALSE;
      g_string_append_unichar (collapsed, c);
    }
  return g_string_free (collapsed, FALSE);
}

/* Whether two character boxes are on one line: they overlap by most of the smaller
 * one's height, and the second does not start left of where the first started. */
static gboolean
same_line (const graphene_rect_t *box,
           const double          *next)
{
  double top = MAX (box->origin.y, next[1]);
  double bottom = MIN (box->origin.y + box->size.height, next[3]);
  double height = MIN (box->size.height, next[3] - next[1]);

  return bottom - top >= 0.5 * height && next[0] >= box->origin.x - 1;
}

/* Adds the boxes of original characters [first, last] to boxes, one per line. */
static guint
add_hit_boxes (const gunichar *chars,
               const double   *char_boxes,
               guint           n_char_boxes,
               guint           first,
               guint           last,
               GArray         *boxes)
{
  guint n = 0;
  graphene_rect_t box = GRAPHENE_RECT_INIT (0, 0, 0, 0);
  gboolean open = FALSE;

  for (guint i = first; i <= last && i < n_char_boxes; i++)
    {
      const double *r = char_boxes + 4 * (gsize) i;

      /* Spaces and line breaks have boxes of their own that are not text. */
      if (g_unichar_isspace (chars[i]) || r[2] < r[0] || r[3] < r[1] ||
          !isfinite (r[0]) || !isfinite (r[1]) || !isfinite (r[2]) || !isfinite (r[3]))
        continue;

      if (open && same_line (&box, r))
        {
          double x2 = MAX (box.origin.x + box.size.width, r[2]);
          double y1 = MIN (box.origin.y, r[1]);
          double y2 = MAX (box.origin.y + box.size.height, r[3]);

          box.origin.x = MIN (box.origin.x, r[0]);
          box.size.width = x2 - box.origin.x;
          box.origin.y = y1;
          box.size.height = y2 - y1;
          continue;
        }
      if (open)
        {
          g_array_append_val (boxes, box);
          n++;
        }
      box = GRAPHENE_RECT_INIT (r[0], r[1], r[2] - r[0], r[3] - r[1]);
      open = TRUE;
    }
  if (open)
    {
      g_array_append_val (boxes, box);
      n++;
    }
  return n;
}

guint
docket_pdf_find_match (const char    *page_text,
                       const double  *char_boxes,
                       guint          n_char_boxes,
                       const char    *folded_query,
                       GArray       **out_boxes,
                       GArray       **out_hits)
{
  g_autofree gunichar *chars = NULL;
  g_autofree gunichar *query = NULL;
  g_autofree gunichar *seq = NULL;   /* the folded text, spaces collapsed */
  g_autofree guint *seq_map = NULL;  /* for each of seq, its original character */
  g_autofree char *folded = NULL;
  g_autoptr(GArray) char_map = NULL;
  g_autoptr(GArray) boxes = g_array_new (FALSE, FALSE, sizeof (graphene_rect_t));
  g_autoptr(GArray) hits = g_array_new (FALSE, FALSE, sizeof (guint));
  glong n_chars = 0, n_query = 0, n_folded = 0;
  gsize n_seq = 0;
  guint n_hits = 0;

  g_return_val_if_fail (page_text != NULL && folded_query != NULL, 0);

  query = g_utf8_to_ucs4_fast (folded_query, -1, &n_query);
  if (n_query == 0)
    goto out;

  /* poppler's text is UTF-8 but a damaged PDF may give anything: fold what is valid. */
  chars = g_utf8_to_ucs4_fast (page_text, -1, &n_chars);
  folded = docket_text_fold (page_text, -1, &char_map);
  {
    g_autofree gunichar *folded_chars = g_utf8_to_ucs4_fast (folded, -1, &n_folded);
    gboolean space = FALSE;

    seq = g_new (gunichar, n_folded + 1);
    seq_map = g_new (guint, n_folded + 1);
    for (glong i = 0; i < n_folded && (guint) i < char_map->len; i++)
      {
        if (g_unichar_isspace (folded_chars[i]))
          {
            if (!space && n_seq > 0)
              {
                seq[n_seq] = ' ';
                seq_map[n_seq++] = g_array_index (char_map, guint, i);
              }
            space = TRUE;
            continue;
          }
        space = FALSE;
        seq[n_seq] = folded_chars[i];
        seq_map[n_seq++] = g_array_index (char_map, guint, i);
      }
  }

  for (gsize s = 0; s + (gsize) n_query <= n_seq; s++)
    {
      guint first, last, first_box;

      if (memcmp (seq + s, query, sizeof (gunichar) * (gsize) n_query) != 0)
        continue;

      first = seq_map[s];
      last = seq_map[s + n_query - 1];
      /* Marks that follow the last letter (text in decomposed form) are part of it. */
      while ((glong) last + 1 < n_chars && docket_text_fold_char (chars[last + 1]) == 0)
        last++;

      first_box = boxes->len;
      g_array_append_val (hits, first_box);
      {
        guint n = add_hit_boxes (chars, char_boxes, n_char_boxes, first, last, boxes);
        g_array_append_val (hits, n);
      }
      n_hits++;
      /* Hits do not overlap: "aa" in "aaaa" is two. */
      s += n_query - 1;
    }

out:
  if (out_boxes != NULL)
    *out_boxes = g_steal_pointer (&boxes);
  if (out_hits != NULL)
    *out_hits = g_steal_pointer (&hits);
  return n_hits;
}

/* The worker */

typedef struct {
  DocketPdfFind *find;
  PageHits      *hits;
} Delivery;

static void
delivery_free (Delivery *delivery)
{
  g_object_unref (delivery->find);
  if (delivery->hits != NULL)
    page_hits_free (delivery->hits);
  g_free (delivery);
}

static void
insert_page_hits (DocketPdfFind *self,
                  PageHits      *page_hits)
{
  guint n = page_hits->hits->len / 2;
  guint position = self->hits->len;

  /* Pages come from start_page to the end, then from 0: find where this one goes. */
  for (guint i = 0; i < self->hits->len; i++)
    if (g_array_index (self->hits, Hit, i).page > page_hits->page)
      {
        position = i;
        break;
      }
  for (guint i = 0; i < n; i++)
    {
      Hit hit = {
        page_hits->page,
        g_array_index (page_hits->hits, guint, 2 * i),
        g_array_index (page_hits->hits, guint, 2 * i + 1),
      };
      g_array_insert_val (self->hits, position + i, hit);
    }
}

static gboolean
deliver_page (gpointer user_data)
{
  Delivery *delivery = user_data;
  DocketPdfFind *self = delivery->find;
  PageHits *page_hits = g_steal_pointer (&delivery->hits);
  guint page = page_hits->page;
  guint n = page_hits->hits->len / 2;

  if (g_cancellable_is_cancelled (self->cancellable))
    {
      page_hits_free (page_hits);
      return G_SOURCE_REMOVE;
    }

  insert_page_hits (self, page_hits);
  g_hash_table_insert (self->pages, GUINT_TO_POINTER (page), page_hits);
  g_signal_emit (self, signals[PAGE_FOUND], 0, page, n);
  return G_SOURCE_REMOVE;
}

static gboolean
deliver_finished (gpointer user_data)
{
  Delivery *delivery = user_data;
  DocketPdfFind *self = delivery->find;

  if (g_cancellable_is_cancelled (self->cancellable))
    return G_SOURCE_REMOVE;
  self->finished = TRUE;
  g_signal_emit (self, signals[FINISHED], 0);
  return G_SOURCE_REMOVE;
}

static void
send (DocketPdfFind *self,
      GSourceFunc    func,
      PageHits      *hits)
{
  Delivery *delivery = g_new0 (Delivery, 1);

  delivery->find = g_object_ref (self);
  delivery->hits = hits;
  /* Queued, always: the pages' hits and then "finished", in that order, in the main
   * context's thread (docket-main-context.h says why not g_main_context_invoke). */
  docket_main_context_post (self->context, G_PRIORITY_DEFAULT_IDLE, "[docket] find delivery",
                            func, delivery, (GDestroyNotify) delivery_free);
}

/* One page's text, kept or from poppler (under the document's lock). */
static char *
read_text (DocketPdfFind *self,
           guint          index)
{
  PopplerDocument *document;
  PopplerPage *page;
  char *text;

  if (self->texts != NULL && (text = docket_pdf_page_texts_dup (self->texts, index)) != NULL)
    return text;

  document = docket_pdf_document_lock_poppler (self->document);
  page = poppler_document_get_page (document, (int) index);
  text = page != NULL ? poppler_page_get_text (page) : NULL;
  /* Unreferenced under the lock: a page's last unref touches the document. */
  g_clear_object (&page);
  docket_pdf_document_unlock_poppler (self->document);

  if (text != NULL && self->texts != NULL)
    docket_pdf_page_texts_store (self->texts, index, text);
  return text;
}

/* One page's character boxes (x1, y1, x2, y2 each), under the document's lock: only for
 * pages with hits. */
static double *
read_boxes (DocketPdfFind *self,
            guint          index,
            guint         *out_n_boxes)
{
  PopplerDocument *document = docket_pdf_document_lock_poppler (self->document);
  PopplerPage *page = poppler_document_get_page (document, (int) index);
  PopplerRectangle *rects = NULL;
  guint n_rects = 0;
  double *boxes;

  if (page != NULL && !poppler_page_get_text_layout (page, &rects, &n_rects))
    {
      rects = NULL;
      n_rects = 0;
    }
  g_clear_object (&page);
  docket_pdf_document_unlock_poppler (self->document);

  boxes = g_new (double, 4 * (gsize) n_rects + 1);
  for (guint i = 0; i < n_rects; i++)
    {
      boxes[4 * i] = rects[i].x1;
      boxes[4 * i + 1] = rects[i].y1;
      boxes[4 * i + 2] = rects[i].x2;
      boxes[4 * i + 3] = rects[i].y2;
    }
  *out_n_boxes = n_rects;
  g_free (rects);
  return boxes;
}

static void
find_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  DocketPdfFind *self = source_object;
  guint n_pages = docket_pdf_document_get_n_pages (self->document);

  for (guint k = 0; k < n_pages && !g_cancellable_is_cancelled (cancellable); k++)
    {
      guint index = (self->start_page + k) % n_pages;
      g_autofree char *text = NULL;
      g_autofree double *boxes = NULL;
      guint n_boxes = 0;
      PageHits *hits;

      text = read_text (self, index);
      /* Most pages have no hit: their boxes are never asked for. */
      if (text == NULL || docket_pdf_find_match (text, NULL, 0, self->folded, NULL, NULL) == 0)
        continue;

      boxes = read_boxes (self, index, &n_boxes);
      hits = g_new0 (PageHits, 1);
      hits->page = index;
      if (docket_pdf_find_match (text, boxes, n_boxes, self->folded, &hits->boxes, &hits->hits) == 0)
        {
          page_hits_free (hits);
          continue;
        }
      send (self, deliver_page, hits);
    }

  if (!g_cancellable_is_cancelled (cancellable))
    send (self, deliver_finished, NULL);
  g_task_return_boolean (task, TRUE);
}

/* Object */

static void
docket_pdf_find_finalize (GObject *object)
{
  DocketPdfFind *self = DOCKET_PDF_FIND (object);

  g_clear_object (&self->document);
  g_clear_object (&self->texts);
  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->folded, g_free);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->pages, g_hash_table_unref);
  g_clear_pointer (&self->hits, g_array_unref);

  G_OBJECT_CLASS (docket_pdf_find_parent_class)->finalize (object);
}

static void
docket_pdf_find_class_init (DocketPdfFindClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = docket_pdf_find_finalize;

  /**
   * DocketPdfFind::page-found:
   * @page: the page, from 0
   * @n_hits: its hits
   *
   * A page's hits arrived; they are in the hit list and the page's boxes.
   */
  signals[PAGE_FOUND] =
    g_signal_new ("page-found", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
  /**
   * DocketPdfFind::finished:
   *
   * Every page was searched.
   */
  signals[FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
docket_pdf_find_init (DocketPdfFind *self)
{
  self->cancellable = g_cancellable_new ();
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) page_hits_free);
  self->hits = g_array_new (FALSE, FALSE, sizeof (Hit));
}

DocketPdfFind *
docket_pdf_find_new (DocketPdfDocument  *document,
                     const char         *text,
                     guint               start_page,
                     DocketPdfPageTexts *texts)
{
  DocketPdfFind *self;
  g_autoptr(GTask) task = NULL;

  g_return_val_if_fail (DOCKET_IS_PDF_DOCUMENT (document), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  self = g_object_new (DOCKET_TYPE_PDF_FIND, NULL);
  self->document = g_object_ref (document);
  self->text = g_strdup (text);
  self->folded = docket_pdf_find_fold_query (text);
  self->start_page = start_page < docket_pdf_document_get_n_pages (document) ? start_page : 0;
  self->context = g_main_context_ref_thread_default ();
  self->texts = texts != NULL ? g_object_ref (texts) : NULL;

  if (self->folded[0] == '\0')
    {
      /* Nothing to look for: finished, said on the next iteration as for any search. */
      send (self, deliver_finished, NULL);
      return self;
    }

  task = g_task_new (self, self->cancellable, NULL, NULL);
  g_task_set_source_tag (task, docket_pdf_find_new);
  g_task_run_in_thread (task, find_thread);
  return self;
}

void
docket_pdf_find_cancel (DocketPdfFind *self)
{
  g_return_if_fail (DOCKET_IS_PDF_FIND (self));
  g_cancellable_cancel (self->cancellable);
}

const char *
docket_pdf_find_get_text (DocketPdfFind *self)
{
  g_return_val_if_fail (DOCKET_IS_PDF_FIND (self), NULL);
  return self->text;
}

gboolean
docket_pdf_find_get_finished (DocketPdfFind *self)
{
  g_return_val_if_fail (DOCKET_IS_PDF_FIND (self), FALSE);
  return self->finished;
}

guint
docket_pdf_find_get_n_hits (DocketPdfFind *self)
{
  g_return_val_if_fail (DOCKET_IS_PDF_FIND (self), 0);
  return self->hits->len;
}

gboolean
docket_pdf_find_get_hit (DocketPdfFind *self,
                         guint          index,
                         guint         *out_page,
                         guint         *out_first_box,
                         guint         *out_n_boxes)
{
  const Hit *hit;

  g_return_val_if_fail (DOCKET_IS_PDF_FIND (self), FALSE);

  if (index >= self->hits->len)
    return FALSE;
  hit = &g_array_index (self->hits, Hit, index);
  if (out_page != NULL)
    *out_page = hit->page;
  if (out_first_box != NULL)
    *out_first_box = hit->first_box;
  if (out_n_boxes != NULL)
    *out_n_boxes = hit->n_boxes;
  return TRUE;
}

GArray *
docket_pdf_find_get_page_boxes (DocketPdfFind *self,
                                guint          page)
{
  PageHits *hits;

  g_return_val_if_fail (DOCKET_IS_PDF_FIND (self), NULL);

  hits = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page));
  return hits != NULL ? hits->boxes : NULL;
}

int
docket_pdf_find_get_hit_from (DocketPdfFind *self,
                              guint          page)
{
  g_return_val_if_fail (DOCKET_IS_PDF_FIND (self), -1);

  if (self->hits->len == 0)
    return -1;
  for (guint i = 0; i < self->hits->len; i++)
    if (g_array_index (self->hits, Hit, i).page >= page)
      return (int) i;
  return 0;
}
