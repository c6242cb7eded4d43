/* docket-store-reader.c: the reader's memory, where the official left each document
 *
 * One row per document in view_states (schema step 3): the page and the zoom. It is the
 * official's own convenience, not server data: it is never synced, and a bad value read
 * back (a page beyond the document's end, an unknown zoom) is the reader's to clamp.
 */
#include "config.h"

#include <math.h>

#include "docket-store-private.h"

gboolean
docket_store_get_view_state (DocketStore  *self,
                             const char   *document_id,
                             guint        *out_page,
                             int          *out_zoom_mode,
                             double       *out_zoom_scale,
                             GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean found = FALSE;

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);
  g_return_val_if_fail (document_id != NULL, FALSE);

  docket_store_lock (self);

  stmt = docket_store_prepare_with (self,
                                    "SELECT page, zoom_mode, zoom_scale FROM view_states"
                                    " WHERE document_id = ?1",
                                    error, DOCKET_SQLITE_TEXT (document_id));
  if (stmt != NULL && docket_store_step_row (self, stmt, &found, error) && found)
    {
      sqlite3_int64 page = sqlite3_column_int64 (stmt, 0);

      if (out_page != NULL)
        *out_page = (guint) CLAMP (page, 0, G_MAXUINT);
      if (out_zoom_mode != NULL)
        *out_zoom_mode = sqlite3_column_int (stmt, 1);
      if (out_zoom_scale != NULL)
        *out_zoom_scale = sqlite3_column_double (stmt, 2);
    }

  g_clear_pointer (&stmt, sqlite3_finalize);
  docket_store_unlock (self);

  return found;
}

gboolean
docket_store_set_view_state (DocketStore  *self,
                             const char   *document_id,
                             guint         page,
                             int           zoom_mode,
                             double        zoom_scale,
                             GError      **error)
{
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);
  g_return_val_if_fail (document_id != NULL, FALSE);

  /* A NaN or infinite scale would come back as one; store a sane number instead. */
  if (!isfinite (zoom_scale) || zoom_scale <= 0)
    zoom_scale = 1.0;

  docket_store_lock (self);

  stmt = docket_store_prepare (self,
                               "INSERT INTO view_states (document_id, page, zoom_mode, zoom_scale, updated_at)"
                               " VALUES (?1, ?2, ?3, ?4, ?5)"
                               " ON CONFLICT (document_id) DO UPDATE SET page = excluded.page,"
                               "  zoom_mode = excluded.zoom_mode, zoom_scale = excluded.zoom_scale,"
                               "  updated_at = excluded.updated_at",
                               error);
  if (stmt == NULL)
    {
      docket_store_unlock (self);
      return FALSE;
    }

  docket_sqlite_bind_text (stmt, 1, document_id);
  sqlite3_bind_int64 (stmt, 2, page);
  sqlite3_bind_int (stmt, 3, zoom_mode);
  /* By hand: docket-sqlite binds texts and integers only, and the scale is a double. */
  sqlite3_bind_double (stmt, 4, zoom_scale);
  sqlite3_bind_int64 (stmt, 5, g_get_real_time () / G_USEC_PER_SEC);
  ok = docket_store_step_done (self, stmt, error);

  docket_store_unlock (self);

  /* No "changed": nothing the models show depends on where a document was left, and a
   * reload of every list at each page turn would be waste. */
  return ok;
}
