/* docket-store-blobs.c: document contents: their files, their rows, their trust after
 * a reboot, and what each missing content is for
 *
 * A content is a file PROFILE/documents/XX/SHA.pdf, named by its SHA-256, with a row in
 * blobs once it is complete; a partial download is PROFILE/documents/partial/SHA.part.
 * Every file's life is here: where it goes, when it is complete, when it is removed
 * (after the commit that removed its row), and how the folder and the table are made to
 * agree again after a crash.
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

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "docket-store.h"
#include "docket-record-rows.h"
#include "docket-store-private.h"

#define BOOT_ID_PATH "/proc/sys/kernel/random/boot_id"

/* Files */

/* When in doubt (the question cannot be asked), keep the file. */
static gboolean
sha_is_referenced_locked (DocketStore *self,
                          const char  *sha256)
{
  return docket_store_collect_exists_locked (self,
                                             docket_store_prepare_with (self,
                                                                        "SELECT 1 FROM documents WHERE sha256 = ?1 LIMIT 1",
                                                                        NULL,
                                                                        DOCKET_SQLITE_TEXT (sha256)));
}

static gboolean
blob_is_complete_locked (DocketStore *self,
                         const char  *sha256)
{
  return docket_store_collect_exists_locked (self,
                                             docket_store_prepare_with (self,
                                                                        "SELECT 1 FROM blobs WHERE sha256 = ?1",
                                                                        NULL,
                                                                        DOCKET_SQLITE_TEXT (sha256)));
}

char *
docket_store_dup_blob_path (DocketStore *self,
                            const char  *sha256)
{
  char subdir[3];
  g_autofree char *name = NULL;

  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);

  /* The hash is the only server-supplied text that becomes a file name, so it must be
   * exactly 64 hex digits. */
  if (sha256 == NULL || !docket_protocol_sha256_is_valid (sha256))
    return NULL;

  subdir[0] = sha256[0];
  subdir[1] = sha256[1];
  subdir[2] = '\0';
  name = g_strconcat (sha256, ".pdf", NULL);

  return g_build_filename (docket_store_get_documents_dir (self), subdir, name, NULL);
}

gboolean
docket_store_blobs_make_folders (DocketStore  *self,
                                 GError      **error)
{
  for (guint i = 0; i < 256; i++)
    {
      char subdir[3];
      g_autofree char *path = NULL;

      g_snprintf (subdir, sizeof subdir, "%02x", i);
      path = g_build_filename (docket_store_get_documents_dir (self), subdir, NULL);
      if (g_mkdir (path, 0700) != 0 && errno != EEXIST)
        {
          int saved_errno = errno;

          g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_IO,
                       _("Cannot create the folder %s: %s"), path, g_strerror (saved_errno));
          return FALSE;
        }
    }
  return TRUE;
}

char *
docket_store_dup_valid_blob_path (DocketStore  *self,
                                  const char   *sha256,
                                  GError      **error)
{
  char *path = docket_store_dup_blob_path (self, sha256);

  if (path == NULL)
    g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_INVALID,
                 _("Not a valid document checksum."));

  return path;
}

char *
docket_store_dup_partial_path (DocketStore *self,
                               const char  *sha256)
{
  g_autofree char *name = NULL;

  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);

  if (sha256 == NULL || !docket_protocol_sha256_is_valid (sha256))
    return NULL;

  name = g_strconcat (sha256, ".part", NULL);

  return g_build_filename (docket_store_get_partial_dir (self), name, NULL);
}

void
docket_store_blobs_unlink_files (DocketStore *self,
                                 GPtrArray   *shas)
{
  for (guint i = 0; i < shas->len; i++)
    {
      const char *sha = g_ptr_array_index (shas, i);
      g_autofree char *path = docket_store_dup_blob_path (self, sha);
      g_autofree char *partial = docket_store_dup_partial_path (self, sha);

      if (path != NULL)
        g_unlink (path);
      if (partial != NULL)
        g_unlink (partial);
    }
}

gboolean
docket_store_mark_blob_complete (DocketStore  *self,
                                 const char   *sha256,
                                 GError      **error)
{
  g_autofree char *path = NULL;
  sqlite3_stmt *stmt;
  gboolean referenced;
  gboolean ret;

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);

  path = docket_store_dup_valid_blob_path (self, sha256, error);
  if (path == NULL)
    return FALSE;

  docket_store_lock (self);

  /* The document may have been taken away while its content was downloading: then
   * the file has no reason to stay. */
  referenced = sha_is_referenced_locked (self, sha256);
  if (!referenced)
    {
      g_unlink (path);
      docket_store_unlock (self);
      return TRUE;
    }

  stmt = docket_store_prepare (self,
                               "INSERT INTO blobs (sha256, completed_at, boot_id) VALUES (?1, ?2, ?3) "
                               "ON CONFLICT (sha256) DO NOTHING",
                               error);
  if (stmt == NULL)
    {
      docket_store_unlock (self);
      return FALSE;
    }

  docket_sqlite_bind_values (stmt, DOCKET_SQLITE_VALUES (DOCKET_SQLITE_TEXT (sha256),
                                                         DOCKET_SQLITE_INT (g_get_real_time () / G_USEC_PER_SEC),
                                                         DOCKET_SQLITE_TEXT (docket_store_get_boot_id ())));
  ret = docket_store_step_done (self, stmt, error);

  docket_store_unlock (self);

  if (ret)
    docket_store_queue_changed (self);

  return ret;
}

/* Partial downloads of documents no longer listed are deleted. */
void
docket_store_blobs_sweep_partial_locked (DocketStore *self)
{
  g_autoptr(GDir) dir = g_dir_open (docket_store_get_partial_dir (self), 0, NULL);
  const char *name;

  if (dir == NULL)
    return;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *sha = NULL;
      g_autofree char *path = g_build_filename (docket_store_get_partial_dir (self), name, NULL);

      if (g_str_has_suffix (name, ".part"))
        sha = g_strndup (name, strlen (name) - strlen (".part"));

      if (sha == NULL || !docket_protocol_sha256_is_valid (sha) ||
          !sha_is_referenced_locked (self, sha) || blob_is_complete_locked (self, sha))
        g_unlink (path);
    }
}

/* The checksums of the blobs table, in one query: at every start-up, the folder walk
 * below checks each file against it (one query per file cost milliseconds per hundred
 * documents, before the first sync could start). */
static GHashTable *
load_complete_blobs_locked (DocketStore *self)
{
  g_autoptr(GPtrArray) shas = NULL;
  GHashTable *complete;

  /* All of the table or nothing: a part of it would have files removed that it lists. */
  shas = docket_store_collect_rows_locked (self, docket_store_prepare (self, "SELECT sha256 FROM blobs", NULL),
                                           docket_store_read_text, NULL, g_free, "blobs", NULL);
  if (shas == NULL)
    return NULL;

  complete = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  /* The texts move into the table, which frees them from now on. */
  g_ptr_array_set_free_func (shas, NULL);
  for (guint i = 0; i < shas->len; i++)
    g_hash_table_add (complete, g_ptr_array_index (shas, i));

  return complete;
}

/* After a crash between a commit and the unlink of a file, or a file removed by hand,
 * the folder and the blobs table may disagree: the table wins for files it does not
 * list, the disk wins for files that are gone. */
void
docket_store_blobs_reconcile_locked (DocketStore *self)
{
  g_autoptr(GDir) top = g_dir_open (docket_store_get_documents_dir (self), 0, NULL);
  g_autoptr(GHashTable) complete = load_complete_blobs_locked (self);
  g_autoptr(GHashTable) present = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer key;
  const char *subdir_name;

  /* When in doubt (the table cannot be read), keep every file. */
  if (complete == NULL)
    return;

  if (top != NULL)
    {
      while ((subdir_name = g_dir_read_name (top)) != NULL)
        {
          g_autofree char *subdir_path = NULL;
          g_autoptr(GDir) sub = NULL;
          const char *name;

          if (strlen (subdir_name) != 2 || !g_ascii_isxdigit (subdir_name[0]))
            continue;

          subdir_path = g_build_filename (docket_store_get_documents_dir (self), subdir_name, NULL);
          sub = g_dir_open (subdir_path, 0, NULL);
          if (sub == NULL)
            continue;

          while ((name = g_dir_read_name (sub)) != NULL)
            {
              g_autofree char *sha = NULL;
              g_autofree char *path = g_build_filename (subdir_path, name, NULL);

              if (g_str_has_suffix (name, ".pdf"))
                sha = g_strndup (name, strlen (name) - strlen (".pdf"));

              if (sha == NULL || !g_hash_table_contains (complete, sha))
                g_unlink (path);
              else
                g_hash_table_add (present, g_steal_pointer (&sha));
            }
        }
    }

  /* Rows of files that are gone, usually none; their text leaves the search index in
   * the same transaction (and so does any left by an older version that forgot it). */
  if (!docket_store_begin_locked (self, NULL))
    return;
  g_hash_table_iter_init (&iter, complete);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_autofree char *path = NULL;

      if (g_hash_table_contains (present, key))
        continue;

      /* Only files at their exact place count (not a stray name in another folder). */
      path = docket_store_dup_blob_path (self, key);
      if (path != NULL && g_file_test (path, G_FILE_TEST_IS_REGULAR))
        continue;

      docket_store_run (self, "DELETE FROM blobs WHERE sha256 = ?1", NULL, DOCKET_SQLITE_TEXT (key));
    }
  if (!docket_store_search_forget_uncached_locked (self, NULL) ||
      !docket_store_commit_locked (self, NULL))
    docket_store_rollback_locked (self);
}

/* Rows of blobs no document refers to any more; their files go after the commit. */
gboolean
docket_store_blobs_collect_unreferenced_locked (DocketStore  *self,
                                                GPtrArray    *out_shas,
                                                GError      **error)
{
  sqlite3_stmt *stmt = docket_store_prepare (self,
                                             "DELETE FROM blobs WHERE sha256 NOT IN (SELECT sha256 FROM documents)"
                                             " RETURNING sha256",
                                             error);
  g_autoptr(GPtrArray) shas = docket_store_collect_rows_locked (self, stmt, docket_store_read_text,
                                                                NULL, g_free, "blobs", error);

  if (shas == NULL)
    return FALSE;
  g_ptr_array_extend_and_steal (out_shas, g_steal_pointer (&shas));

  /* Their text leaves the search index in the same transaction. */
  return docket_store_search_forget_uncached_locked (self, error);
}

/* The boot a content was written under */

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

/* Trust after a reboot */

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

typedef struct {
  GPtrArray  *order;    /* Building*, in the order of their first document */
  GHashTable *by_sha;   /* sha256 → its Building, in order */
} Grouping;

/* A DocketStoreRowReader that adds the document of the row to the content it needs, in
 * user_data (a Grouping); it keeps no row of its own (NULL, without error). */
static gpointer
group_document (DocketStore   *self,
                sqlite3_stmt  *stmt,
                gpointer       user_data,
                GError       **error)
{
  Grouping *grouping = user_data;
  g_autoptr(DocketDocumentRecord) document = docket_document_record_from_row (stmt);
  Building *building = g_hash_table_lookup (grouping->by_sha, document->sha256);

  if (building == NULL)
    {
      building = g_new0 (Building, 1);
      building->meeting_ids = g_ptr_array_new_with_free_func (g_free);
      building->document_ids = g_ptr_array_new_with_free_func (g_free);
      building->document = g_steal_pointer (&document);
      g_ptr_array_add (grouping->order, building);
      g_hash_table_insert (grouping->by_sha, building->document->sha256, building);
      g_ptr_array_add (building->meeting_ids, g_strdup (building->document->meeting_id));
      g_ptr_array_add (building->document_ids, g_strdup (building->document->id));
      return NULL;
    }

  if (!g_ptr_array_find_with_equal_func (building->meeting_ids, document->meeting_id,
                                         g_str_equal, NULL))
    g_ptr_array_add (building->meeting_ids, g_strdup (document->meeting_id));
  g_ptr_array_add (building->document_ids, g_strdup (document->id));
  return NULL;
}

GPtrArray *
docket_store_list_missing_contents (DocketStore  *self,
                                    GError      **error)
{
  g_autoptr(GPtrArray) order = g_ptr_array_new_with_free_func ((GDestroyNotify) building_free);
  g_autoptr(GHashTable) by_sha = g_hash_table_new (g_str_hash, g_str_equal);
  Grouping grouping = { order, by_sha };
  g_autoptr(GPtrArray) none = NULL;
  GPtrArray *contents;

  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);

  docket_store_lock (self);
  none = docket_store_collect_rows_locked (self,
                                           docket_store_prepare (self,
                                                                 "SELECT d.id, d.meeting_id, d.item_id, d.position, d.title,"
                                                                 "  d.media_type, d.sha256, d.size, d.pages, d.version"
                                                                 " FROM documents d JOIN meetings m ON m.id = d.meeting_id"
                                                                 " WHERE d.sha256 NOT IN (SELECT sha256 FROM blobs)"
                                                                 " ORDER BY m.starts_at_unix, m.id, d.position, d.id",
                                                                 error),
                                           group_document, &grouping, NULL, "documents", error);
  docket_store_unlock (self);
  if (none == NULL)
    return NULL;

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
