/* docket-server-gc.c: removing unreferenced blobs, old answered operations and expired
 * sign-in tokens
 *
 * What refers to a blob: the documents table, and nothing else. A document's content
 * never changes (a new version is a new upload, a new document), a deleted document
 * leaves only a tombstone with its id, which the feed sends as a deletion and nothing
 * ever serves again, and a meeting taken back to draft keeps its documents' rows. So a
 * blob that no row of documents names is garbage, once it is past its grace period.
 *
 * The race with an upload: its worker thread writes (or touches) the blob, then the main
 * thread commits the document. A blob is removed only under the database's write lock
 * (BEGIN IMMEDIATE, which that commit takes too, in this process or another), after
 * checking again that no document names it and that it was not stored again since the
 * scan. The grace period makes the remaining window (an upload touching the file between
 * that check and the unlink) a matter of microseconds on content a year old; for it, the
 * upload writes its blob again after its commit if it is gone
 * (docket_server_blobs_restore).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "docket-server-gc.h"

#define TEXT(s) DOCKET_SERVER_DB_TEXT (s)
#define INT(n)  DOCKET_SERVER_DB_INT (n)

/* Answered operations are deleted this many at a time, each batch a transaction of its
 * own: requests wait for the write lock one batch at most. */
#define OPS_BATCH 500

void
docket_server_gc_policy_init (DocketServerGcPolicy *policy)
{
  policy->grace_seconds = DOCKET_SERVER_GC_DEFAULT_GRACE_SECONDS;
  policy->op_retention_seconds = DOCKET_SERVER_GC_DEFAULT_OP_RETENTION_SECONDS;
}

/* Answered operations */

static gboolean
prune_ops_batch (DocketServerDb  *db,
                 gint64           before_ms,
                 int             *out_deleted,
                 GError         **error)
{
  if (!docket_server_db_begin (db, error))
    return FALSE;
  if (!docket_server_db_run (db,
                             "DELETE FROM ops WHERE rowid IN"
                             " (SELECT rowid FROM ops WHERE created_at < ? LIMIT ?)", error,
                             INT (before_ms), INT (OPS_BATCH)))
    {
      docket_server_db_rollback (db);
      return FALSE;
    }
  *out_deleted = sqlite3_changes (docket_server_db_get_handle (db));
  if (!docket_server_db_commit (db, error))
    {
      docket_server_db_rollback (db);
      return FALSE;
    }
  return TRUE;
}

static gboolean
prune_ops (DocketServerDb              *db,
           const DocketServerGcPolicy  *policy,
           GCancellable                *cancellable,
           DocketServerGcResult        *result,
           GError                     **error)
{
  gint64 before_ms = g_get_real_time () / 1000 - policy->op_retention_seconds * 1000;
  int deleted;

  do
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
          !prune_ops_batch (db, before_ms, &deleted, error))
        return FALSE;
      result->ops_pruned += (guint) deleted;
    }
  while (deleted == OPS_BATCH);
  return TRUE;
}

/* Sign-in tokens: one a sign-in, kept until signed out, disabled or expired; those
 * that expire (the laptop that never signed out) would stay for ever. */

static gboolean
prune_tokens (DocketServerDb        *db,
              DocketServerGcResult  *result,
              GError               **error)
{
  return docket_server_db_prune_expired_tokens (db, g_get_real_time () / G_USEC_PER_SEC,
                                                &result->tokens_pruned, error);
}

/* Blobs */

static gboolean
add_referenced (sqlite3_stmt  *stmt,
                gpointer       user_data,
                GError       **error)
{
  g_hash_table_add (user_data, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  return TRUE;
}

/* The hashes documents refer to, as a set. */
static GHashTable *
referenced_blobs (DocketServerDb  *db,
                  GError         **error)
{
  g_autoptr(GHashTable) referenced = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = docket_server_db_prepare (db, "SELECT DISTINCT sha256 FROM documents", error);
  if (!docket_server_db_each_row (db, stmt, add_referenced, referenced, error))
    return NULL;
  return g_steal_pointer (&referenced);
}

static gboolean
read_exists (sqlite3_stmt  *stmt,
             gpointer       user_data,
             GError       **error)
{
  *(gboolean *) user_data = sqlite3_column_int (stmt, 0) != 0;
  return TRUE;
}

static gboolean
is_referenced (DocketServerDb  *db,
               const char      *sha256,
               gboolean        *out_referenced,
               GError         **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  *out_referenced = TRUE;
  stmt = docket_server_db_prepare_with (db,
                                        "SELECT EXISTS (SELECT 1 FROM documents WHERE sha256 = ?)",
                                        error, TEXT (sha256));
  return docket_server_db_each_row (db, stmt, read_exists, out_referenced, error);
}

typedef struct {
  gboolean exists;
  gint64   size;
  gint64   mtime;
} BlobState;

/* A blob's file. One that is gone meanwhile (another run removed it) is not an error;
 * one that is not a regular file (a symbolic link put there by hand) is not this
 * server's, and is left alone. */
static gboolean
blob_state (DocketServerBlobs  *blobs,
            const char         *sha256,
            BlobState          *out_state,
            GError            **error)
{
  g_autoptr(GError) local_error = NULL;

  out_state->exists = docket_server_blobs_stat (blobs, sha256, &out_state->size,
                                                &out_state->mtime, &local_error);
  if (out_state->exists || g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    return TRUE;
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_REGULAR_FILE))
    {
      g_printerr ("gc: left alone: %s\n", local_error->message);
      return TRUE;
    }
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/* Under the write lock: removes the blob if no document refers to it and it was not
 * stored again since before cutoff. */
static gboolean
remove_if_still_garbage (DocketServerDb     *db,
                         DocketServerBlobs  *blobs,
                         const char         *sha256,
                         gint64              cutoff,
                         BlobState          *out_removed,
                         GError            **error)
{
  gboolean referenced;

  out_removed->exists = FALSE;
  if (!is_referenced (db, sha256, &referenced, error) ||
      !blob_state (blobs, sha256, out_removed, error))
    return FALSE;
  if (referenced || !out_removed->exists || out_removed->mtime > cutoff)
    {
      out_removed->exists = FALSE;
      return TRUE;
    }
  return docket_server_blobs_remove (blobs, sha256, error);
}

static gboolean
collect_blob (DocketServerDb        *db,
              DocketServerBlobs     *blobs,
              const char            *sha256,
              gint64                 cutoff,
              DocketServerGcResult  *result,
              GError               **error)
{
  BlobState state;

  /* Young ones are told apart without the lock: most runs take it for nothing else. */
  if (!blob_state (blobs, sha256, &state, error))
    return FALSE;
  if (!state.exists)
    return TRUE;
  if (state.mtime > cutoff)
    {
      result->blobs_kept++;
      return TRUE;
    }

  if (!docket_server_db_begin (db, error))
    return FALSE;
  if (!remove_if_still_garbage (db, blobs, sha256, cutoff, &state, error))
    {
      docket_server_db_rollback (db);
      return FALSE;
    }
  /* Nothing was written: the commit only lets go of the lock. */
  if (!docket_server_db_commit (db, error))
    {
      docket_server_db_rollback (db);
      return FALSE;
    }
  if (state.exists)
    {
      result->blobs_removed++;
      result->bytes_freed += state.size;
    }
  return TRUE;
}

static gboolean
collect_blobs (DocketServerDb              *db,
               DocketServerBlobs           *blobs,
               const DocketServerGcPolicy  *policy,
               GCancellable                *cancellable,
               DocketServerGcResult        *result,
               GError                     **error)
{
  g_autoptr(GHashTable) referenced = NULL;
  g_autoptr(GPtrArray) hashes = NULL;
  gint64 cutoff = g_get_real_time () / G_USEC_PER_SEC - policy->grace_seconds;

  /* The files first, then the references: a blob stored between the two is referenced
   * or young, never mistaken for garbage by this first pass (and checked again under
   * the lock anyway). */
  if ((hashes = docket_server_blobs_list (blobs, error)) == NULL ||
      (referenced = referenced_blobs (db, error)) == NULL)
    return FALSE;

  for (guint i = 0; i < hashes->len; i++)
    {
      const char *sha256 = g_ptr_array_index (hashes, i);

      if (g_hash_table_contains (referenced, sha256))
        continue;
      if (g_cancellable_set_error_if_cancelled (cancellable, error) ||
          !collect_blob (db, blobs, sha256, cutoff, result, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
docket_server_gc_run (DocketServerDb              *db,
                      DocketServerBlobs           *blobs,
                      const DocketServerGcPolicy  *policy,
                      GCancellable                *cancellable,
                      DocketServerGcResult        *out_result,
                      GError                     **error)
{
  g_return_val_if_fail (policy->grace_seconds >= 0 &&
                        policy->grace_seconds <= DOCKET_SERVER_GC_MAX_SECONDS, FALSE);
  g_return_val_if_fail (policy->op_retention_seconds >= 0 &&
                        policy->op_retention_seconds <= DOCKET_SERVER_GC_MAX_SECONDS, FALSE);

  *out_result = (DocketServerGcResult) { 0 };
  /* A write cut short (the server killed while it wrote a blob) leaves its temporary
   * file: past the grace period, no write is still under way there. */
  return prune_tokens (db, out_result, error) &&
         prune_ops (db, policy, cancellable, out_result, error) &&
         collect_blobs (db, blobs, policy, cancellable, out_result, error) &&
         docket_server_blobs_remove_leftovers (blobs, g_get_real_time () / G_USEC_PER_SEC - policy->grace_seconds,
                                               &out_result->leftovers_removed, &out_result->leftover_bytes,
                                               error);
}

/* In a worker thread */

typedef struct {
  char                  *db_path;
  DocketServerBlobs     *blobs;
  DocketServerGcPolicy   policy;
  DocketServerGcResult   result;
} GcJob;

static void
gc_job_free (GcJob *job)
{
  g_free (job->db_path);
  g_object_unref (job->blobs);
  g_free (job);
}

static void
gc_thread (GTask        *task,
           gpointer      source_object,
           gpointer      task_data,
           GCancellable *cancellable)
{
  GcJob *job = task_data;
  g_autoptr(DocketServerDb) db = NULL;
  GError *error = NULL;

  if ((db = docket_server_db_open (job->db_path, &error)) == NULL ||
      !docket_server_gc_run (db, job->blobs, &job->policy, cancellable, &job->result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
docket_server_gc_run_async (DocketServerDb              *db,
                            DocketServerBlobs           *blobs,
                            const DocketServerGcPolicy  *policy,
                            GCancellable                *cancellable,
                            GAsyncReadyCallback          callback,
                            gpointer                     user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  GcJob *job = g_new0 (GcJob, 1);

  job->db_path = g_strdup (sqlite3_db_filename (docket_server_db_get_handle (db), "main"));
  job->blobs = g_object_ref (blobs);
  job->policy = *policy;
  g_task_set_source_tag (task, docket_server_gc_run_async);
  g_task_set_task_data (task, job, (GDestroyNotify) gc_job_free);
  g_task_run_in_thread (task, gc_thread);
}

gboolean
docket_server_gc_run_finish (GAsyncResult          *result,
                             DocketServerGcResult  *out_result,
                             GError               **error)
{
  GcJob *job = g_task_get_task_data (G_TASK (result));

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  *out_result = job->result;
  return g_task_propagate_boolean (G_TASK (result), error);
}

char *
docket_server_gc_result_describe (const DocketServerGcResult *result)
{
  g_autoptr(GString) line = g_string_new (NULL);

  if (result->blobs_removed == 0 && result->ops_pruned == 0 && result->leftovers_removed == 0 &&
      result->tokens_pruned == 0)
    g_string_append (line, _("Nothing to remove: no unreferenced blob past its grace period,"
                             " no answered operation past its retention (0 bytes freed)"));
  else
    {
      g_autofree char *bytes = g_strdup_printf ("%" G_GINT64_FORMAT, result->bytes_freed);

      g_string_append_printf (line, ngettext ("Removed %u unreferenced blob",
                                              "Removed %u unreferenced blobs",
                                              result->blobs_removed),
                              result->blobs_removed);
      /* The number of bytes as digits, for scripts and tests. */
      g_string_append_printf (line, _(" (%s bytes freed)"), bytes);
      g_string_append_printf (line, ngettext (" and %u answered operation",
                                              " and %u answered operations",
                                              result->ops_pruned),
                              result->ops_pruned);
    }
  if (result->tokens_pruned > 0)
    g_string_append_printf (line, ngettext ("; pruned %u expired sign-in token",
                                            "; pruned %u expired sign-in tokens",
                                            result->tokens_pruned),
                            result->tokens_pruned);
  if (result->leftovers_removed > 0)
    {
      g_autofree char *bytes = g_strdup_printf ("%" G_GINT64_FORMAT, result->leftover_bytes);

      g_string_append_printf (line, ngettext ("; removed %u unfinished blob write",
                                              "; removed %u unfinished blob writes",
                                              result->leftovers_removed),
                              result->leftovers_removed);
      g_string_append_printf (line, _(" (%s bytes)"), bytes);
    }
  if (result->blobs_kept > 0)
    g_string_append_printf (line, ngettext ("; kept %u unreferenced blob still in its grace period",
                                            "; kept %u unreferenced blobs still in their grace period",
                                            result->blobs_kept),
                            result->blobs_kept);
  return g_string_free (g_steal_pointer (&line), FALSE);
}
