/* docket-store.c: the client's offline cache, one SQLite database per profile: its core
 *
 * One connection, opened with SQLITE_OPEN_FULLMUTEX, and a mutex of our own around every
 * multi-statement operation so that a transaction of one thread never interleaves with
 * statements of another. This file holds what every part of the store shares: opening
 * and closing, the lock, the signals (always emitted through an idle on the opening
 * thread's context), the worker threads of the *_async calls, and the account. The work
 * itself is in files named for what they hold (docket-store-private.h lists them).
 */
#include "config.h"

#include <errno.h>

#include <glib/gi18n.h>
#include <sqlite3.h>

#include "docket-store.h"
#include "docket-store-private.h"

struct _DocketStore
{
  GObject       parent_instance;

  /* Owned references */
  GMutex                  mutex;          /* serialises use of db across threads */
  sqlite3                *db;
  DocketSqliteStatements *statements;     /* of db, under mutex */
  char                   *profile_dir;
  char                   *db_path;
  char                   *documents_dir;
  char                   *partial_dir;
  GMainContext           *main_context;   /* where "changed" is emitted */

  int                     schema_version;
};

G_DEFINE_TYPE (DocketStore, docket_store, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_QUARK (docket-store-error-quark, docket_store_error)

static gboolean
ensure_directory (const char  *path,
                  GError     **error)
{
  if (g_mkdir_with_parents (path, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_IO,
                   _("Cannot create the folder %s: %s"),
                   path, g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

/* "changed" */

static gboolean
emit_changed_idle (gpointer user_data)
{
  DocketStore *self = user_data;

  g_signal_emit (self, signals[CHANGED], 0);

  return G_SOURCE_REMOVE;
}

/* Always through an idle on the opening thread's context: the caller may be a worker
 * thread, and even on the main thread a handler must not run inside our transaction. */
void
docket_store_queue_changed (DocketStore *self)
{
  g_autoptr(GSource) source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, emit_changed_idle, g_object_ref (self), g_object_unref);
  g_source_set_static_name (source, "[docket] store changed");
  g_source_attach (source, self->main_context);
}

static gboolean
emit_outbox_changed_idle (gpointer user_data)
{
  g_signal_emit_by_name (user_data, "outbox-changed");

  return G_SOURCE_REMOVE;
}

void
docket_store_queue_outbox_changed (DocketStore *self)
{
  g_autoptr(GSource) source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, emit_outbox_changed_idle, g_object_ref (self), g_object_unref);
  g_source_set_static_name (source, "[docket] store outbox changed");
  g_source_attach (source, self->main_context);
}

typedef struct {
  DocketStore      *store;   /* owned */
  DocketOutboxKind  kind;
  guint             status;
  char             *reason;  /* owned */
  gboolean          gone;
} Refusal;

static void
refusal_free (gpointer data)
{
  Refusal *refusal = data;

  g_object_unref (refusal->store);
  g_free (refusal->reason);
  g_free (refusal);
}

static gboolean
emit_outbox_refused_idle (gpointer user_data)
{
  Refusal *refusal = user_data;

  g_signal_emit_by_name (refusal->store, "outbox-refused", (int) refusal->kind, refusal->status, refusal->reason,
                         refusal->gone);

  return G_SOURCE_REMOVE;
}

void
docket_store_queue_outbox_refused (DocketStore      *self,
                                   DocketOutboxKind  kind,
                                   guint             status,
                                   const char       *reason,
                                   gboolean          gone)
{
  g_autoptr(GSource) source = g_idle_source_new ();
  Refusal *refusal = g_new0 (Refusal, 1);

  refusal->store = g_object_ref (self);
  refusal->kind = kind;
  refusal->status = status;
  refusal->reason = g_strdup (reason);
  refusal->gone = gone;
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, emit_outbox_refused_idle, refusal, refusal_free);
  g_source_set_static_name (source, "[docket] store outbox refused");
  g_source_attach (source, self->main_context);
}

/* For the other files of the store (docket-store-private.h) */

void
docket_store_lock (DocketStore *self)
{
  g_mutex_lock (&self->mutex);
}

void
docket_store_unlock (DocketStore *self)
{
  g_mutex_unlock (&self->mutex);
}

sqlite3 *
docket_store_get_db (DocketStore *self)
{
  return self->db;
}

DocketSqliteStatements *
docket_store_get_statements (DocketStore *self)
{
  return self->statements;
}

const char *
docket_store_get_documents_dir (DocketStore *self)
{
  return self->documents_dir;
}

const char *
docket_store_get_partial_dir (DocketStore *self)
{
  return self->partial_dir;
}

typedef struct {
  DocketStoreJob  job;
  gpointer        data;
  GDestroyNotify  data_free;
  GDestroyNotify  result_free;
} StoreJob;

static void
store_job_free (StoreJob *job)
{
  if (job->data_free != NULL)
    job->data_free (job->data);
  g_free (job);
}

static void
store_job_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  StoreJob *job = task_data;
  GError *error = NULL;
  gpointer result = job->job (source_object, job->data, &error);

  if (error != NULL)
    {
      if (result != NULL && job->result_free != NULL)
        job->result_free (result);
      g_task_return_error (task, error);
    }
  else
    g_task_return_pointer (task, result, job->result_free);
}

/* return_on_cancel: whether a cancelled task returns at once, leaving its job to end
 * unwatched (for reads only: a write that began must end before its answer). */
static void
run_job_in_thread (DocketStore         *self,
                   DocketStoreJob       job,
                   gpointer             data,
                   GDestroyNotify       data_free,
                   GDestroyNotify       result_free,
                   gboolean             return_on_cancel,
                   gpointer             source_tag,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  StoreJob *store_job = g_new0 (StoreJob, 1);

  store_job->job = job;
  store_job->data = data;
  store_job->data_free = data_free;
  store_job->result_free = result_free;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, store_job, (GDestroyNotify) store_job_free);
  if (return_on_cancel)
    g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, store_job_thread);
}

void
docket_store_run_in_thread (DocketStore         *self,
                            DocketStoreJob       job,
                            gpointer             data,
                            GDestroyNotify       data_free,
                            GDestroyNotify       result_free,
                            gpointer             source_tag,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  run_job_in_thread (self, job, data, data_free, result_free, FALSE, source_tag,
                     cancellable, callback, user_data);
}

void
docket_store_run_read_in_thread (DocketStore         *self,
                                 DocketStoreJob       job,
                                 gpointer             data,
                                 GDestroyNotify       data_free,
                                 GDestroyNotify       result_free,
                                 gpointer             source_tag,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  run_job_in_thread (self, job, data, data_free, result_free, TRUE, source_tag,
                     cancellable, callback, user_data);
}

gpointer
docket_store_run_finish (DocketStore   *self,
                         GAsyncResult  *result,
                         gpointer       source_tag,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Object */

static void
docket_store_finalize (GObject *object)
{
  DocketStore *self = (DocketStore *)object;

  /* Before the connection: a statement left unfinalized would keep it open. */
  g_clear_pointer (&self->statements, docket_sqlite_statements_free);
  g_clear_pointer (&self->db, sqlite3_close_v2);
  g_clear_pointer (&self->profile_dir, g_free);
  g_clear_pointer (&self->db_path, g_free);
  g_clear_pointer (&self->documents_dir, g_free);
  g_clear_pointer (&self->partial_dir, g_free);
  g_clear_pointer (&self->main_context, g_main_context_unref);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (docket_store_parent_class)->finalize (object);
}

static void
docket_store_class_init (DocketStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = docket_store_finalize;

  /**
   * DocketStore::changed:
   *
   * Emitted on the opening thread's main context after a write committed.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /**
   * DocketStore::outbox-changed:
   *
   * Emitted on the opening thread's main context after a save or a delete of the
   * official's data queued an operation for the server (docket-store-annotations.c):
   * the sync engine sends it soon.
   */
  g_signal_new ("outbox-changed",
                G_TYPE_FROM_CLASS (klass),
                G_SIGNAL_RUN_LAST,
                0, NULL, NULL, NULL,
                G_TYPE_NONE, 0);

  /**
   * DocketStore::outbox-refused:
   * @kind: the DocketOutboxKind of the operation
   * @status: the HTTP status of the refusal (403, 404, 410, 413...)
   * @reason: the server's reason, as recorded (technical: for the log and the details)
   * @gone: the annotation had been deleted on another computer (410), and went here too
   *
   * Emitted on the opening thread's main context after the server refused one of the
   * official's operations for good (docket_store_outbox_refused): what they did stays
   * on this computer only, and they should be told.
   */
  g_signal_new ("outbox-refused",
                G_TYPE_FROM_CLASS (klass),
                G_SIGNAL_RUN_LAST,
                0, NULL, NULL, NULL,
                G_TYPE_NONE, 4, G_TYPE_INT, G_TYPE_UINT, G_TYPE_STRING, G_TYPE_BOOLEAN);
}

static void
docket_store_init (DocketStore *self)
{
  g_mutex_init (&self->mutex);
}

DocketStore *
docket_store_open (const char  *profile_dir,
                   GError     **error)
{
  g_autoptr(DocketStore) self = NULL;
  int rc;

  g_return_val_if_fail (profile_dir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (DOCKET_TYPE_STORE, NULL);

  /* The profile is keyed by its absolute path (the Secret Service attribute too). */
  if (g_path_is_absolute (profile_dir))
    self->profile_dir = g_canonicalize_filename (profile_dir, NULL);
  else
    {
      g_autofree char *cwd = g_get_current_dir ();
      self->profile_dir = g_canonicalize_filename (profile_dir, cwd);
    }

  self->db_path = g_build_filename (self->profile_dir, "docket.db", NULL);
  self->documents_dir = g_build_filename (self->profile_dir, "documents", NULL);
  self->partial_dir = g_build_filename (self->documents_dir, "partial", NULL);
  self->main_context = g_main_context_ref_thread_default ();

  if (!ensure_directory (self->profile_dir, error))
    return NULL;

  rc = sqlite3_open_v2 (self->db_path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      docket_store_set_sqlite_error (error, self->db, rc, self->db_path);
      return NULL;
    }

  sqlite3_extended_result_codes (self->db, 1);
  self->statements = docket_sqlite_statements_new (self->db);
  sqlite3_busy_timeout (self->db, 5000);

  /* The search index's tokenizer, which migration 4 and every query of it need. */
  if (!docket_store_search_register_tokenizer (self->db, error))
    return NULL;

  /* A page of the feed dirties more pages of the database than SQLite's default cache
   * (2 MiB) holds: it then spilled them to the WAL in the middle of the transaction, and
   * wrote them again at the commit. 16 MiB holds a province's archive; SQLite takes the
   * memory only as pages are used. */
  if (!docket_store_exec (self, "PRAGMA foreign_keys = ON", error) ||
      !docket_store_exec (self, "PRAGMA cache_size = -16384", error) ||
      !docket_store_schema_migrate (self, self->db_path, error) ||
      !docket_store_blobs_register_trust (self, error))
    return NULL;
  self->schema_version = DOCKET_STORE_SCHEMA_VERSION;

  if (!g_file_test (self->documents_dir, G_FILE_TEST_IS_DIR))
    {
      if (!ensure_directory (self->partial_dir, error) ||
          !docket_store_blobs_make_folders (self, error))
        return NULL;
    }
  else if (!ensure_directory (self->partial_dir, error))
    return NULL;

  g_mutex_lock (&self->mutex);
  docket_store_blobs_reconcile_locked (self);
  docket_store_blobs_sweep_partial_locked (self);
  g_mutex_unlock (&self->mutex);

  return g_steal_pointer (&self);
}

const char *
docket_store_get_profile_dir (DocketStore *self)
{
  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);

  return self->profile_dir;
}

int
docket_store_get_schema_version (DocketStore *self)
{
  g_return_val_if_fail (DOCKET_IS_STORE (self), 0);

  return self->schema_version;
}

/* Account and cursor */

gboolean
docket_store_get_account (DocketStore  *self,
                          char        **out_server_url,
                          char        **out_username,
                          GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean ok;

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);

  g_mutex_lock (&self->mutex);

  stmt = docket_store_prepare (self, "SELECT server_url, username FROM account WHERE id = 1", error);
  ok = stmt != NULL && docket_store_step_one_row (self, stmt, error);
  if (ok && out_server_url != NULL)
    *out_server_url = docket_sqlite_column_dup (stmt, 0);
  if (ok && out_username != NULL)
    *out_username = docket_sqlite_column_dup (stmt, 1);

  g_clear_pointer (&stmt, sqlite3_finalize);
  g_mutex_unlock (&self->mutex);

  return ok;
}

gboolean
docket_store_set_account (DocketStore  *self,
                          const char   *server_url,
                          const char   *username,
                          GError      **error)
{
  gboolean ret;

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);

  g_mutex_lock (&self->mutex);
  ret = docket_store_run (self, "UPDATE account SET server_url = ?1, username = ?2 WHERE id = 1", error,
                          DOCKET_SQLITE_TEXT (server_url), DOCKET_SQLITE_TEXT (username));
  g_mutex_unlock (&self->mutex);

  if (ret)
    docket_store_queue_changed (self);

  return ret;
}

char *
docket_store_dup_cursor (DocketStore *self)
{
  char *cursor;

  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);

  g_mutex_lock (&self->mutex);
  cursor = docket_store_collect_row_locked (self, docket_store_prepare (self, "SELECT cursor FROM account WHERE id = 1", NULL),
                                            docket_store_read_text, NULL, "account", NULL);
  g_mutex_unlock (&self->mutex);

  return cursor;
}
