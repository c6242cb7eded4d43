/* docket-store-search-index.c: building the full-text index (docket-store-search.c)
 *
 * The indexer (app/index) asks for the contents not yet indexed and saves the text of
 * each, page by page, in one transaction; a content that leaves the cache takes its text
 * out of the index in the transaction that removes it. Apart from the queries, which only
 * read what is built here.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <sqlite3.h>

#include "docket-store.h"
#include "docket-store-private.h"

/* ---- Keeping the index in step with the cache --------------------------------------- */

gboolean
docket_store_search_forget_uncached_locked (DocketStore  *self,
                                            GError      **error)
{
  g_autoptr(GPtrArray) shas = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  /* search_contents has a row per content (few), search_pages one per page (many):
   * find the contents that left, then delete their pages through the index on sha256. */
  stmt = docket_store_prepare (self,
                               "DELETE FROM search_contents"
                               " WHERE sha256 NOT IN (SELECT sha256 FROM blobs) RETURNING sha256",
                               error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (shas, docket_sqlite_column_dup (stmt, 0));
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      docket_store_set_sqlite_error (error, docket_store_get_db (self), rc, "search_contents");
      return FALSE;
    }

  for (guint i = 0; i < shas->len; i++)
    {
      stmt = docket_store_prepare (self, "DELETE FROM search_pages WHERE sha256 = ?1", error);
      if (stmt == NULL)
        return FALSE;
      docket_sqlite_bind_text (stmt, 1, g_ptr_array_index (shas, i));
      if (!docket_store_step_done (self, stmt, error))
        return FALSE;
    }

  return TRUE;
}

/* ---- Contents to index -------------------------------------------------------------- */

void
docket_store_content_free (DocketStoreContent *content)
{
  if (content == NULL)
    return;

  g_free (content->sha256);
  g_free (content->path);
  g_free (content);
}

/* A DocketStoreRowReader: the content of the checksum in column 0, with its file;
 * skipped (NULL) when the checksum cannot name a file. */
static gpointer
read_content (DocketStore   *self,
              sqlite3_stmt  *stmt,
              gpointer       unused,
              GError       **error)
{
  DocketStoreContent *content = g_new0 (DocketStoreContent, 1);

  content->sha256 = docket_sqlite_column_dup (stmt, 0);
  content->path = docket_store_dup_blob_path (self, content->sha256);
  if (content->path == NULL)
    g_clear_pointer (&content, docket_store_content_free);

  return content;
}

GPtrArray *
docket_store_list_unindexed_contents (DocketStore  *self,
                                      GError      **error)
{
  sqlite3_stmt *stmt;
  GPtrArray *contents;

  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);

  docket_store_lock (self);
  /* The contents of the meetings that come first are indexed first. */
  stmt = docket_store_prepare (self,
                               "SELECT b.sha256 FROM verified_blobs b"
                               " WHERE NOT EXISTS (SELECT 1 FROM search_contents c WHERE c.sha256 = b.sha256)"
                               " ORDER BY (SELECT min (m.starts_at_unix) FROM documents d"
                               "           JOIN meetings m ON m.id = d.meeting_id"
                               "           WHERE d.sha256 = b.sha256), b.sha256",
                               error);
  contents = docket_store_collect_rows_locked (self, stmt, read_content, NULL,
                                               (GDestroyNotify) docket_store_content_free,
                                               "blobs", error);
  docket_store_unlock (self);

  return contents;
}

static gboolean
clear_search_index_locked (DocketStore  *self,
                           GError      **error)
{
  if (!docket_store_begin_locked (self, error))
    return FALSE;
  /* The pages go with their contents (ON DELETE CASCADE), and out of the FTS index by its
   * triggers; 'rebuild' then leaves the index as a new profile has it, without the
   * deletions' traces that would slow the indexing that follows. */
  if (!docket_store_exec (self, "DELETE FROM search_contents", error) ||
      !docket_store_exec (self, "INSERT INTO search_fts (search_fts) VALUES ('rebuild')", error) ||
      !docket_store_commit_locked (self, error))
    {
      docket_store_rollback_locked (self);
      return FALSE;
    }
  return TRUE;
}

gboolean
docket_store_clear_search_index (DocketStore  *self,
                                 GError      **error)
{
  gboolean ok;

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);

  docket_store_lock (self);
  ok = clear_search_index_locked (self, error);
  docket_store_unlock (self);
  if (ok)
    docket_store_queue_changed (self);
  return ok;
}

gboolean
docket_store_count_unindexed_contents (DocketStore  *self,
                                       guint        *out_count,
                                       GError      **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);
  g_return_val_if_fail (out_count != NULL, FALSE);

  docket_store_lock (self);

  stmt = docket_store_prepare (self,
                               "SELECT count(*) FROM verified_blobs b"
                               " WHERE NOT EXISTS (SELECT 1 FROM search_contents c WHERE c.sha256 = b.sha256)",
                               error);
  if (stmt == NULL)
    {
      docket_store_unlock (self);
      return FALSE;
    }

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_count = (guint) sqlite3_column_int (stmt, 0);
  else
    docket_store_set_sqlite_error (error, docket_store_get_db (self), rc, "blobs");

  sqlite3_finalize (stmt);
  docket_store_unlock (self);

  return rc == SQLITE_ROW;
}

static gpointer
count_unindexed_job (DocketStore  *self,
                     gpointer      data,
                     GError      **error)
{
  guint *count = g_new0 (guint, 1);

  if (!docket_store_count_unindexed_contents (self, count, error))
    {
      g_free (count);
      return NULL;
    }

  return count;
}

void
docket_store_count_unindexed_contents_async (DocketStore         *self,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  g_return_if_fail (DOCKET_IS_STORE (self));

  docket_store_run_in_thread (self, count_unindexed_job, NULL, NULL, g_free,
                              docket_store_count_unindexed_contents_async,
                              cancellable, callback, user_data);
}

gboolean
docket_store_count_unindexed_contents_finish (DocketStore   *self,
                                              GAsyncResult  *result,
                                              guint         *out_count,
                                              GError       **error)
{
  g_autofree guint *count = docket_store_run_finish (self, result,
                                                     docket_store_count_unindexed_contents_async,
                                                     error);

  if (count == NULL)
    return FALSE;

  if (out_count != NULL)
    *out_count = *count;
  return TRUE;
}

/* What goes into the index: valid UTF-8, and no control characters but new lines (the
 * snippets mark hits with \1 and \2, which must not come from a PDF). */
static char *
sanitize_page_text (const char *text)
{
  char *valid = g_utf8_make_valid (text != NULL ? text : "", -1);

  for (char *p = valid; *p != '\0'; p++)
    {
      if ((guchar) *p < 0x20 && *p != '\n')
        *p = ' ';
    }

  return valid;
}

static gboolean
blob_is_complete_locked (DocketStore *self,
                         const char  *sha256,
                         gboolean    *out_complete,
                         GError     **error)
{
  sqlite3_stmt *stmt = docket_store_prepare (self, "SELECT 1 FROM verified_blobs WHERE sha256 = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  docket_sqlite_bind_text (stmt, 1, sha256);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      docket_store_set_sqlite_error (error, docket_store_get_db (self), rc, "blobs");
      return FALSE;
    }

  *out_complete = rc == SQLITE_ROW;
  return TRUE;
}

static gboolean
save_content_text_locked (DocketStore  *self,
                          const char   *sha256,
                          GPtrArray    *page_texts,
                          gboolean     *out_saved,
                          GError      **error)
{
  sqlite3 *db = docket_store_get_db (self);
  sqlite3_stmt *stmt;
  gboolean complete = FALSE;

  *out_saved = FALSE;

  if (!docket_store_begin_locked (self, error))
    return FALSE;

  /* The document may have left the cache while its text was being extracted: then its
   * text has no place in the index. */
  if (!blob_is_complete_locked (self, sha256, &complete, error))
    goto fail;
  if (!complete)
    return docket_store_commit_locked (self, error);

  stmt = docket_store_prepare (self, "DELETE FROM search_pages WHERE sha256 = ?1", error);
  if (stmt == NULL)
    goto fail;
  docket_sqlite_bind_text (stmt, 1, sha256);
  if (!docket_store_step_done (self, stmt, error))
    goto fail;

  stmt = docket_store_prepare (self,
                               "INSERT INTO search_contents (sha256, n_pages, indexed_at) VALUES (?1, ?2, ?3)"
                               " ON CONFLICT (sha256) DO UPDATE SET"
                               "  n_pages = excluded.n_pages, indexed_at = excluded.indexed_at",
                               error);
  if (stmt == NULL)
    goto fail;
  docket_sqlite_bind_text (stmt, 1, sha256);
  sqlite3_bind_int (stmt, 2, (int) page_texts->len);
  sqlite3_bind_int64 (stmt, 3, g_get_real_time () / G_USEC_PER_SEC);
  if (!docket_store_step_done (self, stmt, error))
    goto fail;

  stmt = docket_store_prepare (self, "INSERT INTO search_pages (sha256, page, text) VALUES (?1, ?2, ?3)", error);
  if (stmt == NULL)
    goto fail;

  for (guint i = 0; i < page_texts->len; i++)
    {
      g_autofree char *text = sanitize_page_text (g_ptr_array_index (page_texts, i));
      int rc;

      /* A page without words (a scan, a blank page) needs no row. */
      if (g_strstrip (text)[0] == '\0')
        continue;

      sqlite3_reset (stmt);
      docket_sqlite_bind_text (stmt, 1, sha256);
      sqlite3_bind_int (stmt, 2, (int) i);
      sqlite3_bind_text (stmt, 3, text, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_DONE)
        {
          docket_store_set_sqlite_error (error, db, rc, "search_pages");
          sqlite3_finalize (stmt);
          goto fail;
        }
    }
  sqlite3_finalize (stmt);

  if (!docket_store_commit_locked (self, error))
    goto fail;

  *out_saved = TRUE;
  return TRUE;

fail:
  docket_store_rollback_locked (self);
  return FALSE;
}

gboolean
docket_store_save_content_text (DocketStore  *self,
                                const char   *sha256,
                                GPtrArray    *page_texts,
                                GError      **error)
{
  gboolean saved = FALSE;
  gboolean ret;

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);
  g_return_val_if_fail (page_texts != NULL, FALSE);

  if (sha256 == NULL || !docket_protocol_sha256_is_valid (sha256))
    {
      g_set_error_literal (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_INVALID,
                           _("Not a valid document checksum."));
      return FALSE;
    }

  docket_store_lock (self);
  ret = save_content_text_locked (self, sha256, page_texts, &saved, error);
  docket_store_unlock (self);

  if (saved)
    docket_store_queue_changed (self);

  return ret;
}

int
docket_store_get_indexed_pages (DocketStore  *self,
                                const char   *sha256,
                                GError      **error)
{
  sqlite3_stmt *stmt;
  int n_pages = -1;
  int rc;

  g_return_val_if_fail (DOCKET_IS_STORE (self), -1);

  docket_store_lock (self);

  stmt = docket_store_prepare (self, "SELECT n_pages FROM search_contents WHERE sha256 = ?1", error);
  if (stmt == NULL)
    {
      docket_store_unlock (self);
      return -1;
    }

  docket_sqlite_bind_text (stmt, 1, sha256);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    n_pages = sqlite3_column_int (stmt, 0);
  else if (rc != SQLITE_DONE)
    docket_store_set_sqlite_error (error, docket_store_get_db (self), rc, "search_contents");

  sqlite3_finalize (stmt);
  docket_store_unlock (self);

  return n_pages;
}

