/* docket-store-blobs.c: document contents after a reboot, and what each missing
 * content is for
 *
 * Contents are server data, named and checked by their SHA-256 and downloadable again,
 * so the sync engine writes them without an fdatasync each (that cost a third of a
 * sync's time). What makes a crash of the machine harmless instead: each completed
 * content records the boot it was written under. A crash means a reboot, so a content
 * of the running boot has been read back from the page cache at worst, and one of an
 * earlier boot is re-hashed once (by the sync engine, in a worker thread) before it is
 * trusted again: after that it is known to be on the disk and its boot id is cleared.
 * Until then it is not available: every read that gives a content to the reader, the
 * indexer or the search goes through the view verified_blobs, never blobs itself.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "docket-store.h"
#include "docket-record-rows.h"
#include "docket-store-private.h"

#define BOOT_ID_PATH "/proc/sys/kernel/random/boot_id"

const char *
docket_store_get_boot_id (void)
{
  static char *boot_id;
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      g_autofree char *contents = NULL;

      if (g_file_get_contents (BOOT_ID_PATH, &contents, NULL, NULL))
        {
          g_strstrip (contents);
          /* A UUID; anything else is not a boot id we can trust to change. */
          if (g_uuid_string_is_valid (contents))
            boot_id = g_steal_pointer (&contents);
        }

      g_once_init_leave (&initialized, 1);
    }

  return boot_id;
}

/* docket_boot_id (): this machine's boot id, or NULL, for the view below. */
static void
boot_id_function (sqlite3_context  *context,
                  int               argc,
                  sqlite3_value   **argv)
{
  const char *boot_id = docket_store_get_boot_id ();

  if (boot_id == NULL)
    sqlite3_result_null (context);
  else
    sqlite3_result_text (context, boot_id, -1, SQLITE_STATIC);
}

gboolean
docket_store_blobs_register_trust (DocketStore  *self,
                                   GError      **error)
{
  sqlite3 *db = docket_store_get_db (self);
  int rc;

  /* Deterministic within a process: the boot id is read once and never changes. */
  rc = sqlite3_create_function_v2 (db, "docket_boot_id", 0, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                   NULL, boot_id_function, NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      docket_store_set_sqlite_error (error, db, rc, "docket_boot_id");
      return FALSE;
    }

  /* A temporary view, made again at every open: nothing of it is in the file. A content
   * written under this boot was read back from the page cache at worst; one of another
   * boot waits for its re-hash (docket_store_list_blobs_to_verify). */
  return docket_store_exec (self,
                            "CREATE TEMP VIEW verified_blobs AS"
                            " SELECT sha256 FROM main.blobs"
                            " WHERE boot_id IS NULL OR boot_id = docket_boot_id ()",
                            error);
}

GPtrArray *
docket_store_list_blobs_to_verify (DocketStore  *self,
                                   GError      **error)
{
  sqlite3_stmt *stmt;
  GPtrArray *shas;

  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);

  /* Without a boot id (NULL, which leaves ?1 NULL), every content written under one
   * is checked. */
  docket_store_lock (self);
  stmt = docket_store_prepare_with (self,
                                    "SELECT sha256 FROM blobs"
                                    " WHERE boot_id IS NOT NULL AND boot_id IS NOT ?1",
                                    error, DOCKET_SQLITE_TEXT (docket_store_get_boot_id ()));
  shas = docket_store_collect_rows_locked (self, stmt, docket_store_read_text, NULL, g_free,
                                           "blobs", error);
  docket_store_unlock (self);

  return shas;
}

gboolean
docket_store_mark_blob_verified (DocketStore  *self,
                                 const char   *sha256,
                                 GError      **error)
{
  gboolean ret;

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);
  g_return_val_if_fail (sha256 != NULL, FALSE);

  docket_store_lock (self);
  ret = docket_store_run (self,
                          "UPDATE blobs SET boot_id = NULL WHERE sha256 = ?1",
                          error, DOCKET_SQLITE_TEXT (sha256));
  docket_store_unlock (self);

  /* Available again: the models show it, the indexer may read it. */
  if (ret)
    docket_store_queue_changed (self);

  return ret;
}

gboolean
docket_store_forget_blob (DocketStore  *self,
                          const char   *sha256,
                          GError      **error)
{
  g_autofree char *path = NULL;
  gboolean ret;

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);

  path = docket_store_dup_valid_blob_path (self, sha256, error);
  if (path == NULL)
    return FALSE;

  docket_store_lock (self);

  /* The content's text leaves the search index with its row, in one transaction: a hit
   * must never lead to a document that is not there. */
  ret = docket_store_begin_locked (self, error);
  if (ret)
    {
      ret = docket_store_run (self,
                              "DELETE FROM blobs WHERE sha256 = ?1",
                              error, DOCKET_SQLITE_TEXT (sha256)) &&
            docket_store_search_forget_uncached_locked (self, error) &&
            docket_store_commit_locked (self, error);
      if (!ret)
        docket_store_rollback_locked (self);
    }

  /* The row first: a file without a row is removed at the next start, a row without
   * its file would make a document look offline. */
  if (ret)
    g_unlink (path);

  docket_store_unlock (self);

  if (ret)
    docket_store_queue_changed (self);

  return ret;
}

/* Missing contents */

void
docket_store_missing_content_free (DocketStoreMissingContent *content)
{
  if (content == NULL)
    return;

  g_clear_pointer (&content->document, docket_document_record_free);
  g_clear_pointer (&content->meeting_ids, g_strfreev);
  g_clear_pointer (&content->document_ids, g_strfreev);
  g_free (content);
}

typedef struct {
  DocketDocumentRecord *document;
  GPtrArray            *meeting_ids;   /* char*, without repeats */
  GPtrArray            *document_ids;  /* char* */
} Building;

static void
building_free (Building *building)
{
  g_clear_pointer (&building->document, docket_document_record_free);
  g_clear_pointer (&building->meeting_ids, g_ptr_array_unref);
  g_clear_pointer (&building->document_ids, g_ptr_array_unref);
  g_free (building);
}

static GStrv
strv_from_array (GPtrArray *array)
{
  GStrv strv = g_new0 (char *, array->len + 1);

  for (guint i = 0; i < array->len; i++)
    strv[i] = g_strdup (g_ptr_array_index (array, i));

  return strv;
}

GPtrArray *
docket_store_list_missing_contents (DocketStore  *self,
                                    GError      **error)
{
  g_autoptr(GPtrArray) order = g_ptr_array_new_with_free_func ((GDestroyNotify) building_free);
  g_autoptr(GHashTable) by_sha = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *contents;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);

  docket_store_lock (self);

  stmt = docket_store_prepare (self,
                               "SELECT d.id, d.meeting_id, d.item_id, d.position, d.title, d.media_type,"
                               "  d.sha256, d.size, d.pages, d.version"
                               " FROM documents d JOIN meetings m ON m.id = d.meeting_id"
                               " WHERE d.sha256 NOT IN (SELECT sha256 FROM blobs)"
                               " ORDER BY m.starts_at_unix, m.id, d.position, d.id",
                               error);
  if (stmt == NULL)
    {
      docket_store_unlock (self);
      return NULL;
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(DocketDocumentRecord) document = docket_document_record_from_row (stmt);
      Building *building = g_hash_table_lookup (by_sha, document->sha256);

      if (building == NULL)
        {
          building = g_new0 (Building, 1);
          building->meeting_ids = g_ptr_array_new_with_free_func (g_free);
          building->document_ids = g_ptr_array_new_with_free_func (g_free);
          building->document = g_steal_pointer (&document);
          g_ptr_array_add (order, building);
          g_hash_table_insert (by_sha, building->document->sha256, building);
          g_ptr_array_add (building->meeting_ids, g_strdup (building->document->meeting_id));
          g_ptr_array_add (building->document_ids, g_strdup (building->document->id));
          continue;
        }

      if (!g_ptr_array_find_with_equal_func (building->meeting_ids, document->meeting_id,
                                             g_str_equal, NULL))
        g_ptr_array_add (building->meeting_ids, g_strdup (document->meeting_id));
      g_ptr_array_add (building->document_ids, g_strdup (document->id));
    }

  if (rc != SQLITE_DONE)
    {
      docket_store_set_sqlite_error (error, docket_store_get_db (self), rc, "documents");
      sqlite3_finalize (stmt);
      docket_store_unlock (self);
      return NULL;
    }

  sqlite3_finalize (stmt);
  docket_store_unlock (self);

  contents = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_store_missing_content_free);
  for (guint i = 0; i < order->len; i++)
    {
      Building *building = g_ptr_array_index (order, i);
      DocketStoreMissingContent *content = g_new0 (DocketStoreMissingContent, 1);

      content->document = g_steal_pointer (&building->document);
      content->meeting_ids = strv_from_array (building->meeting_ids);
      content->document_ids = strv_from_array (building->document_ids);
      g_ptr_array_add (contents, content);
    }

  return contents;
}
