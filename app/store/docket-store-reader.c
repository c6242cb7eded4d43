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
  sqlite3_stmt *stmt;
  gboolean found = FALSE;
  int rc;

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);
  g_return_val_if_fail (document_id != NULL, FALSE);

  docket_store_lock (self);

  stmt = docket_store_prepare (self,
                               "SELECT page, zoom_mode, zoom_scale FROM view_states"
                               " WHERE document_id = ?1",
                               error);
  if (stmt == NULL)
    {
      docket_store_unlock (self);
      return FALSE;
    }

  docket_sqlite_bind_text (stmt, 1, document_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      sqlite3_int64 page = sqlite3_column_int64 (stmt, 0);

      found = TRUE;
      if (out_page != NULL)
        *out_page = (guint) CLAMP (page, 0, G_MAXUINT);
      if (out_zoom_mode != NULL)
        *out_zoom_mode = sqlite3_column_int (stmt, 1);
      if (out_zoom_scale != NULL)
        *out_zoom_scale = sqlite3_column_double (stmt, 2);
    }
  else if (rc != SQLITE_DONE)
    docket_store_set_sqlite_error (error, docket_store_get_db (self), rc, "view_states");

  sqlite3_finalize (stmt);
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
  sqlite3_bind_double (stmt, 4, zoom_scale);
  sqlite3_bind_int64 (stmt, 5, g_get_real_time () / G_USEC_PER_SEC);
  ok = docket_store_step_done (self, stmt, error);

  docket_store_unlock (self);

  /* No "changed": nothing the models show depends on where a document was left, and a
   * reload of every list at each page turn would be waste. */
  return ok;
}
