/* test-search-common.c: what test-search and test-search-indexer share
 *
 * Real PDFs written with cairo and Pango, the cache changes that put them in a profile as
 * documents of meetings, waiting for the real indexer, and searching. Apart so that the
 * two test programs (searching a prepared index; the indexer on hard cases) have one
 * copy.
 */
#include "config.h"

#include "test-search-common.h"

#include <stdarg.h>

#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "docket-test-util.h"

/* ---- PDFs --------------------------------------------------------------------------- */

static cairo_status_t
append_to_array (void                *closure,
                 const unsigned char *data,
                 unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* A PDF with one page per string (A4, DejaVu Sans, wrapped). */
GBytes *
make_pdf (const char *first_page,
          ...)
{
  GByteArray *array = g_byte_array_new ();
  cairo_surface_t *surface = cairo_pdf_surface_create_for_stream (append_to_array, array, 595, 842);
  cairo_t *cr = cairo_create (surface);
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string ("DejaVu Sans 11");
  const char *text = first_page;
  va_list args;

  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, 480 * PANGO_SCALE);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);

  va_start (args, first_page);
  while (text != NULL)
    {
      cairo_move_to (cr, 56, 56);
      pango_layout_set_text (layout, text, -1);
      pango_cairo_show_layout (cr, layout);
      cairo_show_page (cr);
      text = va_arg (args, const char *);
    }
  va_end (args);

  pango_font_description_free (font);
  g_object_unref (layout);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);

  return g_byte_array_free_to_bytes (array);
}

char *
sha256_of (GBytes *bytes)
{
  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
}

/* ---- The cache ---------------------------------------------------------------------- */

DocketChange *
meeting_change (const char *id,
                const char *title,
                const char *starts_at)
{
  DocketMeetingRecord *m = docket_meeting_record_new ();

  m->id = g_strdup (id);
  m->title = g_strdup (title);
  m->organ = g_strdup ("HĐND tỉnh");
  m->starts_at = docket_protocol_parse_time (starts_at, NULL);
  m->ends_at = docket_protocol_parse_time (starts_at, NULL);
  m->time_zone = g_strdup ("Asia/Ho_Chi_Minh");
  m->location = g_strdup ("Hội trường");
  m->status = DOCKET_MEETING_STATUS_PUBLISHED;
  m->version = 1;
  g_assert_nonnull (m->starts_at);

  return docket_change_new (DOCKET_CHANGE_MEETING, id, FALSE, m);
}

DocketChange *
item_change (const char *id,
             const char *meeting_id)
{
  DocketAgendaItemRecord *i = docket_agenda_item_record_new ();

  i->id = g_strdup (id);
  i->meeting_id = g_strdup (meeting_id);
  i->position = 0;
  i->number = g_strdup ("1");
  i->title = g_strdup ("Mục 1");
  i->presenter = g_strdup ("");
  i->description = g_strdup ("");
  i->version = 2;

  return docket_change_new (DOCKET_CHANGE_AGENDA_ITEM, id, FALSE, i);
}

DocketChange *
document_change (const char *id,
                 const char *meeting_id,
                 const char *item_id,
                 int         position,
                 const char *title,
                 const char *sha)
{
  DocketDocumentRecord *d = docket_document_record_new ();

  d->id = g_strdup (id);
  d->meeting_id = g_strdup (meeting_id);
  d->item_id = g_strdup (item_id);
  d->position = position;
  d->title = g_strdup (title);
  d->media_type = g_strdup ("application/pdf");
  d->sha256 = g_strdup (sha);
  d->size = 1000;
  d->pages = 1;
  d->version = 3;

  return docket_change_new (DOCKET_CHANGE_DOCUMENT, id, FALSE, d);
}

void
apply (DocketStore *store,
       const char  *cursor,
       ...)
{
  g_autoptr(DocketChangesPage) page = docket_changes_page_new ();
  g_autoptr(GError) error = NULL;
  DocketChange *change;
  va_list args;

  page->cursor = g_strdup (cursor);
  va_start (args, cursor);
  while ((change = va_arg (args, DocketChange *)) != NULL)
    g_ptr_array_add (page->changes, change);
  va_end (args);

  g_assert_true (docket_store_apply_changes (store, page, &error));
  g_assert_no_error (error);
}

/* Puts bytes in the profile as the complete content sha. */
void
put_content (DocketStore *store,
             const char  *sha,
             GBytes      *bytes)
{
  g_autofree char *path = docket_store_dup_blob_path (store, sha);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (bytes, NULL),
                                      (gssize) g_bytes_get_size (bytes), &error));
  g_assert_true (docket_store_mark_blob_complete (store, sha, &error));
  g_assert_no_error (error);
}

/* ---- Waiting for the indexer -------------------------------------------------------- */

/* Until the indexer is idle and nothing is left to index: the store's "changed" of the
 * last download may still be on its way when the indexer looks idle. */
void
wait_for_indexer (DocketIndexer *indexer,
                  DocketStore   *store)
{
  guint id = docket_test_watchdog_add (WAIT_TIMEOUT_SECONDS, "the indexer");

  for (;;)
    {
      g_autoptr(GPtrArray) left = NULL;

      while (g_main_context_pending (NULL) || docket_indexer_get_busy (indexer))
        g_main_context_iteration (NULL, TRUE);

      left = docket_store_list_unindexed_contents (store, NULL);
      g_assert_nonnull (left);
      if (left->len == 0)
        break;
      g_main_context_iteration (NULL, TRUE);
    }

  g_source_remove (id);
}

/* ---- Searching ---------------------------------------------------------------------- */

GPtrArray *
search (DocketStore *store,
        const char  *query)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *hits = docket_store_search (store, query, 50, &error);

  g_assert_no_error (error);
  g_assert_nonnull (hits);

  return hits;
}

/* Whether a search for query gives a hit in document_id at page. */
gboolean
finds (DocketStore *store,
       const char  *query,
       const char  *document_id,
       guint        page)
{
  g_autoptr(GPtrArray) hits = search (store, query);

  for (guint i = 0; i < hits->len; i++)
    {
      DocketSearchHit *hit = g_ptr_array_index (hits, i);

      if (g_strcmp0 (hit->document_id, document_id) == 0 && hit->page == page)
        return TRUE;
    }

  return FALSE;
}

guint
n_hits (DocketStore *store,
        const char  *query)
{
  g_autoptr(GPtrArray) hits = search (store, query);

  return hits->len;
}
