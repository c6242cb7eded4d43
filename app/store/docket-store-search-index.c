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
  g_autoptr(GPtrArray) shas = NULL;

  /* search_contents has a row per content (few), search_pages one per page (many):
   * find the contents that left, then delete their pages through the index on sha256. */
  shas = docket_store_collect_rows_locked (self,
                                           docket_store_prepare (self,
                                                                 "DELETE FROM search_contents"
                                                                 " WHERE sha256 NOT IN (SELECT sha256 FROM blobs)"
                                                                 " RETURNING sha256",
                                                                 error),
                                           docket_store_read_text, NULL, g_free, "search_contents", error);
  if (shas == NULL)
    return FALSE;

  for (guint i = 0; i < shas->len; i++)
    {
      if (!docket_store_run (self, "DELETE FROM search_pages WHERE sha256 = ?1", error,
                             DOCKET_SQLITE_TEXT (g_ptr_array_index (shas, i))))
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
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean ok;

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);
  g_return_val_if_fail (out_count != NULL, FALSE);

  docket_store_lock (self);

  stmt = docket_store_prepare (self,
                               "SELECT count(*) FROM verified_blobs b"
                               " WHERE NOT EXISTS (SELECT 1 FROM search_contents c WHERE c.sha256 = b.sha256)",
                               error);
  ok = stmt != NULL && docket_store_step_one_row (self, stmt, error);
  if (ok)
    *out_count = (guint) sqlite3_column_int (stmt, 0);

  g_clear_pointer (&stmt, sqlite3_finalize);
  docket_store_unlock (self);

  return ok;
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
  g_autoptr(sqlite3_stmt) stmt = docket_store_prepare_with (self, "SELECT 1 FROM verified_blobs WHERE sha256 = ?1",
                                                             error, DOCKET_SQLITE_TEXT (sha256));

  return stmt != NULL && docket_store_step_row (self, stmt, out_complete, error);
}

static gboolean
save_content_text_locked (DocketStore  *self,
                          const char   *sha256,
                          GPtrArray    *page_texts,
                          gboolean     *out_saved,
                          GError      **error)
{
  g_autoptr(sqlite3_stmt) insert = NULL;
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

  if (!docket_store_run (self, "DELETE FROM search_pages WHERE sha256 = ?1", error, DOCKET_SQLITE_TEXT (sha256)) ||
      !docket_store_run (self,
                         "INSERT INTO search_contents (sha256, n_pages, indexed_at) VALUES (?1, ?2, ?3)"
                         " ON CONFLICT (sha256) DO UPDATE SET"
                         "  n_pages = excluded.n_pages, indexed_at = excluded.indexed_at",
                         error,
                         DOCKET_SQLITE_TEXT (sha256),
                         DOCKET_SQLITE_INT (page_texts->len),
                         DOCKET_SQLITE_INT (g_get_real_time () / G_USEC_PER_SEC)))
    goto fail;

  /* One statement for every page of the content. */
  insert = docket_store_prepare (self, "INSERT INTO search_pages (sha256, page, text) VALUES (?1, ?2, ?3)", error);
  if (insert == NULL)
    goto fail;

  for (guint i = 0; i < page_texts->len; i++)
    {
      g_autofree char *text = sanitize_page_text (g_ptr_array_index (page_texts, i));

      /* A page without words (a scan, a blank page) needs no row. */
      if (g_strstrip (text)[0] == '\0')
        continue;

      docket_sqlite_release (insert);
      docket_sqlite_bind_values (insert, DOCKET_SQLITE_VALUES (DOCKET_SQLITE_TEXT (sha256),
                                                               DOCKET_SQLITE_INT (i),
                                                               DOCKET_SQLITE_TEXT (text)));
      if (!docket_store_step (self, insert, error))
        goto fail;
    }

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
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean found = FALSE;
  int n_pages = -1;

  g_return_val_if_fail (DOCKET_IS_STORE (self), -1);

  docket_store_lock (self);

  stmt = docket_store_prepare_with (self, "SELECT n_pages FROM search_contents WHERE sha256 = ?1", error,
                                    DOCKET_SQLITE_TEXT (sha256));
  if (stmt != NULL && docket_store_step_row (self, stmt, &found, error) && found)
    n_pages = sqlite3_column_int (stmt, 0);

  g_clear_pointer (&stmt, sqlite3_finalize);
  docket_store_unlock (self);

  return n_pages;
}

