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
#include <string.h>

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

  /* Who is signed in and what the server can do, copies of the account's row so that
   * the UI thread reads them without waiting on the disk (nor on mutex, which a page
   * of the feed holds for its whole transaction). Under info_mutex. */
  GMutex                  info_mutex;
  DocketUserRecord       *account_user;   /* NULL: nobody signed in */
  GStrv                   capabilities;   /* never NULL */
  gint64                  server_info_at; /* Unix seconds; 0: never read */

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

/* Who is signed in, and what the server can do: read once at opening, then kept in
 * memory beside every write of them. */

/* The words of capabilities that may be kept: a capability is a word of the protocol
 * ("documents.range"); anything else a server says is dropped, never stored. */
static gboolean
capability_is_valid (const char *capability)
{
  gsize len = capability != NULL ? strlen (capability) : 0;

  if (len == 0 || len > 64)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_islower (capability[i]) && !g_ascii_isdigit (capability[i]) &&
        capability[i] != '_' && capability[i] != '.' && capability[i] != '-')
      return FALSE;
  return TRUE;
}

/* The capabilities kept as words separated by spaces (NULL: none), the valid ones. */
static GStrv
capabilities_from_words (const char *words)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) split = g_strsplit (words != NULL ? words : "", " ", -1);

  for (guint i = 0; split[i] != NULL; i++)
    if (capability_is_valid (split[i]))
      g_strv_builder_add (builder, split[i]);
  return g_strv_builder_end (builder);
}

/* The user of the account's row: username, user_display_name, user_role, user_organ.
 * A profile of an older Docket knows only the user name: the rest stays unknown until
 * the server is asked (docket_sync_refresh_account_async). */
static DocketUserRecord *
user_from_account_row (sqlite3_stmt *stmt)
{
  g_autoptr(DocketUserRecord) user = NULL;
  const char *role = (const char *) sqlite3_column_text (stmt, 2);

  if (sqlite3_column_type (stmt, 0) == SQLITE_NULL)
    return NULL;

  user = docket_user_record_new ();
  user->username = docket_sqlite_column_dup (stmt, 0);
  user->display_name = sqlite3_column_type (stmt, 1) != SQLITE_NULL
                       ? docket_sqlite_column_dup (stmt, 1)
                       : g_strdup (user->username);
  user->organ = sqlite3_column_type (stmt, 3) != SQLITE_NULL ? docket_sqlite_column_dup (stmt, 3) : g_strdup ("");
  if (role == NULL || !docket_role_from_string (role, &user->role))
    user->role = DOCKET_ROLE_UNKNOWN;
  return g_steal_pointer (&user);
}

static void
set_account_info (DocketStore      *self,
                  DocketUserRecord *user,
                  GStrv             capabilities,
                  gint64            server_info_at)
{
  g_mutex_lock (&self->info_mutex);
  g_clear_pointer (&self->account_user, docket_user_record_free);
  self->account_user = user;
  if (capabilities != NULL)
    {
      g_strfreev (self->capabilities);
      self->capabilities = capabilities;
    }
  self->server_info_at = server_info_at;
  g_mutex_unlock (&self->info_mutex);
}

static gboolean
load_account_info (DocketStore  *self,
                   GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const char *words;

  g_mutex_lock (&self->mutex);
  stmt = docket_store_prepare (self,
                               "SELECT username, user_display_name, user_role, user_organ,"
                               " capabilities, server_info_at FROM account WHERE id = 1",
                               error);
  if (stmt == NULL || !docket_store_step_one_row (self, stmt, error))
    {
      g_mutex_unlock (&self->mutex);
      return FALSE;
    }

  words = (const char *) sqlite3_column_text (stmt, 4);
  set_account_info (self, user_from_account_row (stmt), capabilities_from_words (words),
                    sqlite3_column_int64 (stmt, 5));
  g_clear_pointer (&stmt, sqlite3_finalize);
  g_mutex_unlock (&self->mutex);

  return TRUE;
}

void
docket_store_forget_account_info (DocketStore *self)
{
  set_account_info (self, NULL, g_new0 (char *, 1), 0);
}

DocketUserRecord *
docket_store_dup_account_user (DocketStore *self)
{
  DocketUserRecord *user;

  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);

  g_mutex_lock (&self->info_mutex);
  user = self->account_user != NULL ? docket_user_record_copy (self->account_user) : NULL;
  g_mutex_unlock (&self->info_mutex);

  return user;
}

gboolean
docket_store_set_account_user (DocketStore             *self,
                               const DocketUserRecord  *user,
                               GError                 **error)
{
  gboolean ret;

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);
  g_return_val_if_fail (user != NULL && user->username != NULL, FALSE);

  g_mutex_lock (&self->mutex);
  ret = docket_store_run (self,
                          "UPDATE account SET username = ?1, user_display_name = ?2, user_role = ?3,"
                          " user_organ = ?4 WHERE id = 1",
                          error,
                          DOCKET_SQLITE_TEXT (user->username),
                          DOCKET_SQLITE_TEXT (user->display_name != NULL ? user->display_name : ""),
                          DOCKET_SQLITE_TEXT (docket_role_to_string (user->role)),
                          DOCKET_SQLITE_TEXT (user->organ != NULL ? user->organ : ""));
  if (ret)
    {
      g_mutex_lock (&self->info_mutex);
      g_clear_pointer (&self->account_user, docket_user_record_free);
      self->account_user = docket_user_record_copy (user);
      g_mutex_unlock (&self->info_mutex);
    }
  g_mutex_unlock (&self->mutex);

  if (ret)
    docket_store_queue_changed (self);

  return ret;
}

gboolean
docket_store_runs_live_meetings (DocketStore *self)
{
  return docket_store_has_capability (self, "meeting_state") &&
         docket_store_has_capability (self, "attendance") &&
         docket_store_has_capability (self, "speeches");
}

gboolean
docket_store_has_capability (DocketStore *self,
                             const char  *capability)
{
  gboolean found;

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);
  g_return_val_if_fail (capability != NULL, FALSE);

  g_mutex_lock (&self->info_mutex);
  found = g_strv_contains ((const char * const *) self->capabilities, capability);
  g_mutex_unlock (&self->info_mutex);

  return found;
}

GStrv
docket_store_dup_capabilities (DocketStore *self)
{
  GStrv copy;

  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);

  g_mutex_lock (&self->info_mutex);
  copy = g_strdupv (self->capabilities);
  g_mutex_unlock (&self->info_mutex);

  return copy;
}

gboolean
docket_store_set_capabilities (DocketStore         *self,
                               const char * const  *capabilities,
                               GError             **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) kept = NULL;
  g_autofree char *words = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gboolean ret;

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);
  g_return_val_if_fail (capabilities != NULL, FALSE);

  for (guint i = 0; capabilities[i] != NULL; i++)
    if (capability_is_valid (capabilities[i]))
      g_strv_builder_add (builder, capabilities[i]);
  kept = g_strv_builder_end (builder);
  words = g_strjoinv (" ", kept);

  g_mutex_lock (&self->mutex);
  ret = docket_store_run (self, "UPDATE account SET capabilities = ?1, server_info_at = ?2 WHERE id = 1",
                          error, DOCKET_SQLITE_TEXT (words), DOCKET_SQLITE_INT (now));
  if (ret)
    {
      g_mutex_lock (&self->info_mutex);
      g_strfreev (self->capabilities);
      self->capabilities = g_steal_pointer (&kept);
      self->server_info_at = now;
      g_mutex_unlock (&self->info_mutex);
    }
  g_mutex_unlock (&self->mutex);

  if (ret)
    docket_store_queue_changed (self);

  return ret;
}

gint64
docket_store_get_server_info_time (DocketStore *self)
{
  gint64 at;

  g_return_val_if_fail (DOCKET_IS_STORE (self), 0);

  g_mutex_lock (&self->info_mutex);
  at = self->server_info_at;
  g_mutex_unlock (&self->info_mutex);

  return at;
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
  g_clear_pointer (&self->account_user, docket_user_record_free);
  g_clear_pointer (&self->capabilities, g_strfreev);
  g_mutex_clear (&self->info_mutex);
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
  g_mutex_init (&self->info_mutex);
  self->capabilities = g_new0 (char *, 1);
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
  if (!load_account_info (self, error))
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
  /* Another user's name, role and organ, or another server's capabilities, are not this
   * account's: forgotten until they are read again. */
  ret = docket_store_run (self,
                          "UPDATE account SET"
                          " user_display_name = CASE WHEN username IS ?2 AND server_url IS ?1"
                          "   THEN user_display_name END,"
                          " user_role = CASE WHEN username IS ?2 AND server_url IS ?1 THEN user_role END,"
                          " user_organ = CASE WHEN username IS ?2 AND server_url IS ?1 THEN user_organ END,"
                          " capabilities = CASE WHEN server_url IS ?1 THEN capabilities END,"
                          " server_info_at = CASE WHEN username IS ?2 AND server_url IS ?1"
                          "   THEN server_info_at ELSE 0 END,"
                          " server_url = ?1, username = ?2"
                          " WHERE id = 1", error,
                          DOCKET_SQLITE_TEXT (server_url), DOCKET_SQLITE_TEXT (username));
  g_mutex_unlock (&self->mutex);

  if (ret)
    ret = load_account_info (self, error);

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
