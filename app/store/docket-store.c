/* docket-store.c: the client's offline cache, one SQLite database per profile
 *
 * One connection, opened with SQLITE_OPEN_FULLMUTEX, and a mutex of our own around every
 * multi-statement operation so that a transaction of one thread never interleaves with
 * statements of another. The schema is an ordered list of migrations, each applied in
 * one transaction together with its PRAGMA user_version.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "docket-store.h"
#include "docket-record-rows.h"
#include "docket-store-private.h"

struct _DocketStore
{
  GObject       parent_instance;

  /* Owned references */
  GMutex        mutex;          /* serialises use of db across threads */
  sqlite3      *db;
  char         *profile_dir;
  char         *db_path;
  char         *documents_dir;
  char         *partial_dir;
  GMainContext *main_context;   /* where "changed" is emitted */
  DocketSqliteStatements *statements;   /* of db, under mutex */

  int           schema_version;
};

G_DEFINE_TYPE (DocketStore, docket_store, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_QUARK (docket-store-error-quark, docket_store_error)

/* The schema, one step per version. Step N brings a database from version N-1 to N.
 * Never edit a step that has shipped: add a new one. */
static const char * const migrations[] = {
  /* 1: the entities of the change feed and the account */
  "CREATE TABLE account ("
  "  id INTEGER PRIMARY KEY CHECK (id = 1),"
  "  server_url TEXT,"
  "  username TEXT,"
  "  cursor TEXT"
  ");"
  "INSERT INTO account (id) VALUES (1);"
  "CREATE TABLE meetings ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  title TEXT NOT NULL,"
  "  organ TEXT NOT NULL,"
  "  starts_at TEXT NOT NULL,"
  "  starts_at_unix INTEGER NOT NULL,"
  "  ends_at TEXT NOT NULL,"
  "  time_zone TEXT NOT NULL,"
  "  location TEXT NOT NULL,"
  "  status TEXT NOT NULL,"
  "  version INTEGER NOT NULL"
  ");"
  "CREATE TABLE participants ("
  "  meeting_id TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL,"
  "  username TEXT NOT NULL,"
  "  display_name TEXT NOT NULL,"
  "  role TEXT NOT NULL,"
  "  PRIMARY KEY (meeting_id, position)"
  ");"
  "CREATE TABLE agenda_items ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  meeting_id TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,"
  "  parent_id TEXT CHECK (parent_id IS NULL OR parent_id <> id),"
  "  position INTEGER NOT NULL,"
  "  number TEXT NOT NULL,"
  "  title TEXT NOT NULL,"
  "  presenter TEXT NOT NULL,"
  "  description TEXT NOT NULL,"
  "  version INTEGER NOT NULL,"
  "  UNIQUE (id, meeting_id),"
  "  FOREIGN KEY (parent_id, meeting_id) REFERENCES agenda_items (id, meeting_id)"
  "    ON DELETE CASCADE"
  ");"
  "CREATE TABLE documents ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  meeting_id TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,"
  "  item_id TEXT NOT NULL,"
  "  position INTEGER NOT NULL,"
  "  title TEXT NOT NULL,"
  "  media_type TEXT NOT NULL,"
  "  sha256 TEXT NOT NULL,"
  "  size INTEGER NOT NULL,"
  "  pages INTEGER NOT NULL,"
  "  version INTEGER NOT NULL,"
  "  FOREIGN KEY (item_id, meeting_id) REFERENCES agenda_items (id, meeting_id)"
  "    ON DELETE CASCADE"
  ");",

  /* 2: which document contents are in the profile, and the indexes the reads and the
   * cascades need */
  "CREATE TABLE blobs ("
  "  sha256 TEXT PRIMARY KEY NOT NULL,"
  "  completed_at INTEGER NOT NULL"
  ");"
  "CREATE INDEX meetings_by_start ON meetings (starts_at_unix, id);"
  "CREATE INDEX agenda_items_by_meeting ON agenda_items (meeting_id, parent_id, position);"
  "CREATE INDEX agenda_items_by_parent ON agenda_items (parent_id, meeting_id);"
  "CREATE INDEX documents_by_meeting ON documents (meeting_id, position);"
  "CREATE INDEX documents_by_item ON documents (item_id, meeting_id);"
  "CREATE INDEX documents_by_sha256 ON documents (sha256);",

  /* 3: the official's own data: where each document was left, annotations, notes, and
   * the operations waiting to go to the server. None of it has a foreign key to the
   * feed's entities: a document taken away from the cache must not take an official's
   * annotations with it (they come back with the document, and live on the server). */
  /* The boot under which a content was written: without an fdatasync per document, a
   * content of an earlier boot is re-hashed once (docket-store-blobs.c); NULL when it
   * is known to be on the disk. */
  "ALTER TABLE blobs ADD COLUMN boot_id TEXT;"
  "CREATE TABLE view_states ("
  "  document_id TEXT PRIMARY KEY NOT NULL,"
  "  page INTEGER NOT NULL CHECK (page >= 0),"
  "  zoom_mode INTEGER NOT NULL,"
  "  zoom_scale REAL NOT NULL,"
  "  updated_at INTEGER NOT NULL"
  ");"
  "CREATE TABLE annotations ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  document_id TEXT NOT NULL,"
  "  page INTEGER NOT NULL CHECK (page >= 0),"
  "  kind TEXT NOT NULL,"
  "  color TEXT NOT NULL,"
  "  geometry TEXT NOT NULL,"
  "  contents TEXT NOT NULL DEFAULT '',"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL,"
  "  revision INTEGER NOT NULL DEFAULT 0,"
  "  deleted INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE INDEX annotations_by_document ON annotations (document_id, page, created_at);"
  "CREATE TABLE notes ("
  "  target_kind TEXT NOT NULL CHECK (target_kind IN ('agenda_item', 'document')),"
  "  target_id TEXT NOT NULL,"
  "  text TEXT NOT NULL,"
  "  updated_at INTEGER NOT NULL,"
  "  revision INTEGER NOT NULL DEFAULT 0,"
  "  PRIMARY KEY (target_kind, target_id)"
  ");"
  "CREATE TABLE outbox ("
  "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  op_id TEXT NOT NULL UNIQUE,"
  "  kind TEXT NOT NULL,"
  "  entity_id TEXT NOT NULL,"
  "  body TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  last_error TEXT"
  ");"
  "CREATE INDEX outbox_by_entity ON outbox (entity_id, seq);"
  /* Operations the server refused for good, kept with its reason rather than lost: the
   * body holds what the official saved (docket-store-annotations.c). */
  "CREATE TABLE outbox_refused ("
  "  op_id TEXT PRIMARY KEY NOT NULL,"
  "  kind TEXT NOT NULL,"
  "  entity_id TEXT NOT NULL,"
  "  body TEXT NOT NULL,"
  "  reason TEXT NOT NULL,"
  "  refused_at INTEGER NOT NULL"
  ");",

  /* 4: the search index (docket-store-search.c): per content, whether its text was
   * extracted, the text of each page, and an FTS5 index over it with our folding
   * tokenizer (registered on the connection before the migrations run). The contents
   * already in the profile are indexed by the indexer after the upgrade. */
  "CREATE TABLE search_contents ("
  "  sha256 TEXT PRIMARY KEY NOT NULL,"
  "  n_pages INTEGER NOT NULL,"
  "  indexed_at INTEGER NOT NULL"
  ");"
  "CREATE TABLE search_pages ("
  "  id INTEGER PRIMARY KEY,"
  "  sha256 TEXT NOT NULL REFERENCES search_contents (sha256) ON DELETE CASCADE,"
  "  page INTEGER NOT NULL CHECK (page >= 0),"
  "  text TEXT NOT NULL,"
  "  UNIQUE (sha256, page)"
  ");"
  "CREATE VIRTUAL TABLE search_fts USING fts5 ("
  "  text, content = 'search_pages', content_rowid = 'id', tokenize = 'docket', prefix = '2 3'"
  ");"
  "CREATE TRIGGER search_pages_insert AFTER INSERT ON search_pages BEGIN"
  "  INSERT INTO search_fts (rowid, text) VALUES (new.id, new.text);"
  " END;"
  "CREATE TRIGGER search_pages_delete AFTER DELETE ON search_pages BEGIN"
  "  INSERT INTO search_fts (search_fts, rowid, text) VALUES ('delete', old.id, old.text);"
  " END;"
  "CREATE TRIGGER search_pages_update AFTER UPDATE ON search_pages BEGIN"
  "  INSERT INTO search_fts (search_fts, rowid, text) VALUES ('delete', old.id, old.text);"
  "  INSERT INTO search_fts (rowid, text) VALUES (new.id, new.text);"
  " END;",

  /* 5: a feed from the beginning (a first sync, or after 400 invalid_cursor) is a full
   * sync: full_sync says one is under way (it outlives a killed process; 2: after
   * invalid_cursor, the server's history changed), and
   * full_sync_seen holds the meetings, items and documents its pages brought; when its
   * last page is applied, what it did not bring leaves the cache, in that transaction. */
  /* The official's annotations and notes it brought are there too, with the revision
   * the server has: those the server lost are sent to it again. */
  "ALTER TABLE account ADD COLUMN full_sync INTEGER NOT NULL DEFAULT 0;"
  "CREATE TABLE full_sync_seen ("
  "  type TEXT NOT NULL,"
  "  id TEXT NOT NULL,"
  "  revision INTEGER NOT NULL DEFAULT 0,"
  "  PRIMARY KEY (type, id)"
  ") WITHOUT ROWID;",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == DOCKET_STORE_SCHEMA_VERSION);

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

/* Opening and migrations */

static gboolean
read_int_pragma (DocketStore  *self,
                 const char   *sql,
                 int          *out_value,
                 GError      **error)
{
  sqlite3_stmt *stmt = docket_store_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      docket_store_set_sqlite_error (error, self->db, rc, sql);
      sqlite3_finalize (stmt);
      return FALSE;
    }

  *out_value = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  return TRUE;
}

static gboolean
apply_migration (DocketStore  *self,
                 int           version,
                 GError      **error)
{
  g_autofree char *set_version = NULL;

  if (!docket_store_begin_locked (self, error))
    return FALSE;

  set_version = g_strdup_printf ("PRAGMA user_version = %d", version);

  if (!docket_store_exec (self, migrations[version - 1], error) ||
                          !docket_store_exec (self, set_version, error) ||
                          !docket_store_commit_locked (self, error))
    {
      docket_store_rollback_locked (self);
      g_prefix_error (error, _("Cannot upgrade the offline cache to version %d: "), version);
      return FALSE;
    }

  return TRUE;
}

/* Checks the database before anything writes to it: a newer schema, or a file that is
 * not ours, must be left exactly as it is. */
static gboolean
check_schema (DocketStore  *self,
              int          *out_version,
              GError      **error)
{
  int version = 0;
  int n_objects = 0;

  if (!read_int_pragma (self, "PRAGMA user_version", &version, error))
    {
      g_clear_error (error);
      g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_CORRUPT,
                   _("The file %s is not a Docket cache, or it is damaged."),
                   self->db_path);
      return FALSE;
    }

  if (version > DOCKET_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_NEWER_SCHEMA,
                   _("The offline cache in %s was written by a newer version of Docket "
                     "(schema %d, this version knows up to %d). Update Docket, or use "
                     "another profile folder."),
                   self->profile_dir, version, DOCKET_STORE_SCHEMA_VERSION);
      return FALSE;
    }

  if (version == 0)
    {
      if (!read_int_pragma (self, "SELECT count(*) FROM sqlite_master", &n_objects, error))
        return FALSE;

      if (n_objects > 0)
        {
          g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_CORRUPT,
                       _("The file %s is not a Docket cache."), self->db_path);
          return FALSE;
        }
    }

  *out_version = version;

  return TRUE;
}

static gboolean
migrate (DocketStore  *self,
         GError      **error)
{
  int version = 0;

  if (!check_schema (self, &version, error))
    return FALSE;

  /* Only now that we know the file is ours and not newer may we change it. */
  if (!docket_store_exec (self, "PRAGMA journal_mode = WAL", error) ||
                          !docket_store_exec (self, "PRAGMA synchronous = NORMAL", error))
    return FALSE;

  for (int v = version + 1; v <= DOCKET_STORE_SCHEMA_VERSION; v++)
    {
      if (!apply_migration (self, v, error))
        return FALSE;
    }

  self->schema_version = DOCKET_STORE_SCHEMA_VERSION;

  return TRUE;
}

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

/* Partial downloads of documents no longer listed are deleted. */
static void
sweep_partial_files_locked (DocketStore *self)
{
  g_autoptr(GDir) dir = g_dir_open (self->partial_dir, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *sha = NULL;
      g_autofree char *path = g_build_filename (self->partial_dir, name, NULL);

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
  GHashTable *complete = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt *stmt = docket_store_prepare (self, "SELECT sha256 FROM blobs", NULL);

  if (stmt == NULL)
    return NULL;

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      char *sha = docket_sqlite_column_dup (stmt, 0);

      if (sha != NULL)
        g_hash_table_add (complete, sha);
    }
  sqlite3_finalize (stmt);

  return complete;
}

/* After a crash between a commit and the unlink of a file, or a file removed by hand,
 * the folder and the blobs table may disagree: the table wins for files it does not
 * list, the disk wins for files that are gone. */
static void
reconcile_blobs_locked (DocketStore *self)
{
  g_autoptr(GDir) top = g_dir_open (self->documents_dir, 0, NULL);
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

          subdir_path = g_build_filename (self->documents_dir, subdir_name, NULL);
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
                          !migrate (self, error) ||
                          !docket_store_blobs_register_trust (self, error))
    return NULL;

  if (!ensure_directory (self->partial_dir, error))
    return NULL;

  g_mutex_lock (&self->mutex);
  reconcile_blobs_locked (self);
  sweep_partial_files_locked (self);
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
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);

  g_mutex_lock (&self->mutex);

  stmt = docket_store_prepare (self, "SELECT server_url, username FROM account WHERE id = 1", error);
  if (stmt == NULL)
    {
      g_mutex_unlock (&self->mutex);
      return FALSE;
    }

  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      docket_store_set_sqlite_error (error, self->db, rc, "account");
      sqlite3_finalize (stmt);
      g_mutex_unlock (&self->mutex);
      return FALSE;
    }

  if (out_server_url != NULL)
    *out_server_url = docket_sqlite_column_dup (stmt, 0);
  if (out_username != NULL)
    *out_username = docket_sqlite_column_dup (stmt, 1);

  sqlite3_finalize (stmt);
  g_mutex_unlock (&self->mutex);

  return TRUE;
}

gboolean
docket_store_set_account (DocketStore  *self,
                          const char   *server_url,
                          const char   *username,
                          GError      **error)
{
  sqlite3_stmt *stmt;
  gboolean ret;

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);

  g_mutex_lock (&self->mutex);

  /* Bound one by one: either may be NULL, which would end a list of texts. */
  stmt = docket_store_prepare (self, "UPDATE account SET server_url = ?1, username = ?2 WHERE id = 1", error);
  if (stmt != NULL)
    {
      docket_sqlite_bind_text (stmt, 1, server_url);
      docket_sqlite_bind_text (stmt, 2, username);
    }
  ret = stmt != NULL && docket_store_step_done (self, stmt, error);

  g_mutex_unlock (&self->mutex);

  if (ret)
    docket_store_queue_changed (self);

  return ret;
}

char *
docket_store_dup_cursor (DocketStore *self)
{
  sqlite3_stmt *stmt;
  char *cursor = NULL;

  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);

  g_mutex_lock (&self->mutex);

  stmt = docket_store_prepare (self, "SELECT cursor FROM account WHERE id = 1", NULL);
  if (stmt != NULL)
    {
      if (sqlite3_step (stmt) == SQLITE_ROW)
        cursor = docket_sqlite_column_dup (stmt, 0);
      sqlite3_finalize (stmt);
    }

  g_mutex_unlock (&self->mutex);

  return cursor;
}

/* Files */

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

  return g_build_filename (self->documents_dir, subdir, name, NULL);
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

  return g_build_filename (self->partial_dir, name, NULL);
}

static void
unlink_blob_files (DocketStore *self,
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

  g_mutex_lock (&self->mutex);

  /* The document may have been taken away while its content was downloading: then
   * the file has no reason to stay. */
  referenced = sha_is_referenced_locked (self, sha256);
  if (!referenced)
    {
      g_unlink (path);
      g_mutex_unlock (&self->mutex);
      return TRUE;
    }

  stmt = docket_store_prepare (self,
                               "INSERT INTO blobs (sha256, completed_at, boot_id) VALUES (?1, ?2, ?3) "
                               "ON CONFLICT (sha256) DO NOTHING",
                               error);
  if (stmt == NULL)
    {
      g_mutex_unlock (&self->mutex);
      return FALSE;
    }

  docket_sqlite_bind_text (stmt, 1, sha256);
  sqlite3_bind_int64 (stmt, 2, g_get_real_time () / G_USEC_PER_SEC);
  docket_sqlite_bind_text (stmt, 3, docket_store_get_boot_id ());
  ret = docket_store_step_done (self, stmt, error);

  g_mutex_unlock (&self->mutex);

  if (ret)
    docket_store_queue_changed (self);

  return ret;
}

/* Applying a page of changes */

static gboolean
insert_participant (DocketStore        *self,
                    const char         *meeting_id,
                    guint               position,
                    DocketParticipant  *p,
                    GError            **error)
{
  g_autoptr(DocketSqliteCachedStmt) stmt =
    docket_store_prepare_cached (self,
                                 "INSERT INTO participants (meeting_id, position, username, display_name, role)"
                                 " VALUES (?1, ?2, ?3, ?4, ?5)",
                                 error);

  if (stmt == NULL)
    return FALSE;

  docket_sqlite_bind_text (stmt, 1, meeting_id);
  sqlite3_bind_int (stmt, 2, (int) position);
  docket_sqlite_bind_text (stmt, 3, p->username);
  docket_sqlite_bind_text (stmt, 4, p->display_name != NULL ? p->display_name : "");
  docket_sqlite_bind_text (stmt, 5, docket_role_to_string (p->role));

  return docket_store_step (self, stmt, error);
}

static gboolean
upsert_meeting (DocketStore          *self,
                DocketMeetingRecord  *meeting,
                GError              **error)
{
  g_autofree char *starts_at = NULL;
  g_autofree char *ends_at = NULL;
  g_autoptr(DocketSqliteCachedStmt) stmt = NULL;

  if (meeting->starts_at == NULL || meeting->ends_at == NULL)
    {
      g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_INVALID,
                   _("A meeting without start or end time."));
      return FALSE;
    }

  starts_at = docket_protocol_format_time (meeting->starts_at);
  ends_at = docket_protocol_format_time (meeting->ends_at);

  stmt = docket_store_prepare_cached (self,
                               "INSERT INTO meetings (id, title, organ, starts_at, starts_at_unix, ends_at,"
                               "                      time_zone, location, status, version)"
                               " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
                               " ON CONFLICT (id) DO UPDATE SET"
                               "  title = excluded.title, organ = excluded.organ,"
                               "  starts_at = excluded.starts_at, starts_at_unix = excluded.starts_at_unix,"
                               "  ends_at = excluded.ends_at, time_zone = excluded.time_zone,"
                               "  location = excluded.location, status = excluded.status,"
                               "  version = excluded.version",
                               error);
  if (stmt == NULL)
    return FALSE;

  docket_sqlite_bind_text (stmt, 1, meeting->id);
  docket_sqlite_bind_text (stmt, 2, meeting->title);
  docket_sqlite_bind_text (stmt, 3, meeting->organ != NULL ? meeting->organ : "");
  docket_sqlite_bind_text (stmt, 4, starts_at);
  sqlite3_bind_int64 (stmt, 5, g_date_time_to_unix (meeting->starts_at));
  docket_sqlite_bind_text (stmt, 6, ends_at);
  docket_sqlite_bind_text (stmt, 7, meeting->time_zone != NULL ? meeting->time_zone : "");
  docket_sqlite_bind_text (stmt, 8, meeting->location != NULL ? meeting->location : "");
  docket_sqlite_bind_text (stmt, 9, docket_meeting_status_to_string (meeting->status));
  sqlite3_bind_int64 (stmt, 10, meeting->version);

  if (!docket_store_step (self, stmt, error))
    return FALSE;

  if (!docket_store_run_cached (self,
                                "DELETE FROM participants WHERE meeting_id = ?1",
                                error, DOCKET_SQLITE_TEXT (meeting->id)))
    return FALSE;

  for (guint i = 0; meeting->participants != NULL && i < meeting->participants->len; i++)
    {
      if (!insert_participant (self, meeting->id, i, g_ptr_array_index (meeting->participants, i), error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
upsert_agenda_item (DocketStore             *self,
                    DocketAgendaItemRecord  *item,
                    GError                 **error)
{
  /* An upsert, never INSERT OR REPLACE: a replace deletes the row first, and the
   * cascade would take the item's children and documents with it. */
  g_autoptr(DocketSqliteCachedStmt) stmt =
    docket_store_prepare_cached (self,
                                             "INSERT INTO agenda_items (id, meeting_id, parent_id, position, number,"
                                             "                          title, presenter, description, version)"
                                             " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
                                             " ON CONFLICT (id) DO UPDATE SET"
                                             "  meeting_id = excluded.meeting_id, parent_id = excluded.parent_id,"
                                             "  position = excluded.position, number = excluded.number,"
                                             "  title = excluded.title, presenter = excluded.presenter,"
                                             "  description = excluded.description, version = excluded.version",
                                             error);
  if (stmt == NULL)
    return FALSE;

  docket_sqlite_bind_text (stmt, 1, item->id);
  docket_sqlite_bind_text (stmt, 2, item->meeting_id);
  docket_sqlite_bind_text (stmt, 3, item->parent_id);
  sqlite3_bind_int (stmt, 4, item->position);
  docket_sqlite_bind_text (stmt, 5, item->number != NULL ? item->number : "");
  docket_sqlite_bind_text (stmt, 6, item->title);
  docket_sqlite_bind_text (stmt, 7, item->presenter != NULL ? item->presenter : "");
  docket_sqlite_bind_text (stmt, 8, item->description != NULL ? item->description : "");
  sqlite3_bind_int64 (stmt, 9, item->version);

  return docket_store_step (self, stmt, error);
}

static gboolean
upsert_document (DocketStore           *self,
                 DocketDocumentRecord  *document,
                 GError               **error)
{
  g_autoptr(DocketSqliteCachedStmt) stmt = NULL;

  if (!docket_protocol_sha256_is_valid (document->sha256))
    {
      g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_INVALID,
                   _("A document with an invalid checksum."));
      return FALSE;
    }

  stmt = docket_store_prepare_cached (self,
                               "INSERT INTO documents (id, meeting_id, item_id, position, title, media_type,"
                               "                       sha256, size, pages, version)"
                               " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
                               " ON CONFLICT (id) DO UPDATE SET"
                               "  meeting_id = excluded.meeting_id, item_id = excluded.item_id,"
                               "  position = excluded.position, title = excluded.title,"
                               "  media_type = excluded.media_type, sha256 = excluded.sha256,"
                               "  size = excluded.size, pages = excluded.pages, version = excluded.version",
                               error);
  if (stmt == NULL)
    return FALSE;

  docket_sqlite_bind_text (stmt, 1, document->id);
  docket_sqlite_bind_text (stmt, 2, document->meeting_id);
  docket_sqlite_bind_text (stmt, 3, document->item_id);
  sqlite3_bind_int (stmt, 4, document->position);
  docket_sqlite_bind_text (stmt, 5, document->title);
  docket_sqlite_bind_text (stmt, 6, document->media_type != NULL ? document->media_type : "application/pdf");
  docket_sqlite_bind_text (stmt, 7, document->sha256);
  sqlite3_bind_int64 (stmt, 8, document->size);
  sqlite3_bind_int (stmt, 9, document->pages);
  sqlite3_bind_int64 (stmt, 10, document->version);

  return docket_store_step (self, stmt, error);
}

static gboolean
delete_entity (DocketStore       *self,
               DocketChangeType   type,
               const char        *id,
               GError           **error)
{
  const char *sql;

  switch (type)
    {
    case DOCKET_CHANGE_MEETING:
      sql = "DELETE FROM meetings WHERE id = ?1";
      break;
    case DOCKET_CHANGE_AGENDA_ITEM:
      sql = "DELETE FROM agenda_items WHERE id = ?1";
      break;
    case DOCKET_CHANGE_DOCUMENT:
      sql = "DELETE FROM documents WHERE id = ?1";
      break;
    default:
      return TRUE;
    }

  return docket_store_run_cached (self, sql, error, DOCKET_SQLITE_TEXT (id));
}

/* Full syncs: a feed from the beginning mentions everything the user sees, so what it
 * did not mention is what the server no longer has (or no longer shows them), e.g.
 * after the server was restored from a backup. */

static const char *
full_sync_type (DocketChangeType type)
{
  switch (type)
    {
    case DOCKET_CHANGE_MEETING:
      return "meeting";
    case DOCKET_CHANGE_AGENDA_ITEM:
      return "agenda_item";
    case DOCKET_CHANGE_DOCUMENT:
      return "document";
    default:
      return NULL;    /* the official's own data is never swept: it is theirs */
    }
}

static gboolean
note_seen_in_full_sync (DocketStore   *self,
                        DocketChange  *change,
                        GError       **error)
{
  const char *type = full_sync_type (change->type);

  return type == NULL ||
         docket_store_run_cached (self,
                                  "INSERT OR IGNORE INTO full_sync_seen (type, id) VALUES (?1, ?2)",
                                  error, DOCKET_SQLITE_TEXT (type), DOCKET_SQLITE_TEXT (change->id));
}

/* account.full_sync: none under way, a full sync (a page applied on no cursor begins
 * one), or one after the server's history changed (docket_store_restart_feed), whose end
 * also sends again what the server lost of the official's data. */
typedef enum {
  FULL_SYNC_NONE = 0,
  FULL_SYNC_FROM_BEGINNING = 1,
  FULL_SYNC_AFTER_RESTART = 2,
} FullSync;

static gboolean
begin_or_continue_full_sync_locked (DocketStore  *self,
                                    FullSync     *out_full_sync,
                                    GError      **error)
{
  sqlite3_stmt *stmt = docket_store_prepare (self, "SELECT cursor IS NULL, full_sync FROM account WHERE id = 1",
                                             error);
  gboolean from_beginning;
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      docket_store_set_sqlite_error (error, self->db, rc, "account");
      sqlite3_finalize (stmt);
      return FALSE;
    }
  from_beginning = sqlite3_column_int (stmt, 0) != 0;
  *out_full_sync = CLAMP (sqlite3_column_int (stmt, 1), FULL_SYNC_NONE, FULL_SYNC_AFTER_RESTART);
  sqlite3_finalize (stmt);

  if (!from_beginning)
    return TRUE;
  *out_full_sync = MAX (*out_full_sync, FULL_SYNC_FROM_BEGINNING);
  return docket_store_exec (self, "DELETE FROM full_sync_seen", error) &&
         docket_store_exec (self, "UPDATE account SET full_sync = MAX (full_sync, 1) WHERE id = 1", error);
}

/* The last page of a full sync: what no page of it brought goes. Documents first, then
 * items (their sub-items go with them), then meetings. The official's annotations and
 * notes stay; after a restart, those the server lost go back to it (out_requeued: how
 * many). A first sync does not look for them: the client has nothing the server should
 * have had but its outbox. */
static gboolean
end_full_sync_locked (DocketStore  *self,
                      FullSync      full_sync,
                      guint        *out_requeued,
                      GError      **error)
{
  return (full_sync != FULL_SYNC_AFTER_RESTART ||
          docket_store_requeue_lost_own_data_locked (self, out_requeued, error)) &&
         docket_store_exec (self,
                            "DELETE FROM documents WHERE id NOT IN"
                            " (SELECT id FROM full_sync_seen WHERE type = 'document')", error) &&
         docket_store_exec (self,
                            "DELETE FROM agenda_items WHERE id NOT IN"
                            " (SELECT id FROM full_sync_seen WHERE type = 'agenda_item')", error) &&
         docket_store_exec (self,
                            "DELETE FROM meetings WHERE id NOT IN"
                            " (SELECT id FROM full_sync_seen WHERE type = 'meeting')", error) &&
         docket_store_exec (self, "DELETE FROM full_sync_seen", error) &&
         docket_store_exec (self, "UPDATE account SET full_sync = 0 WHERE id = 1", error);
}

static gboolean
apply_change (DocketStore   *self,
              DocketChange  *change,
              gboolean       full_sync,
              GError       **error)
{
  if (change->id == NULL || !docket_protocol_id_is_valid (change->id))
    {
      g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_INVALID,
                   _("A change with an invalid id."));
      return FALSE;
    }

  /* The official's own data has rules of its own (pending operations win). */
  if (change->type == DOCKET_CHANGE_ANNOTATION || change->type == DOCKET_CHANGE_NOTE)
    return (!full_sync || docket_store_own_change_seen_locked (self, change, error)) &&
           docket_store_apply_own_change_locked (self, change, error);

  if (change->deleted)
    return delete_entity (self, change->type, change->id, error);

  if (full_sync && !note_seen_in_full_sync (self, change, error))
    return FALSE;

  if (change->record == NULL)
    {
      g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_INVALID,
                   _("A change without its data."));
      return FALSE;
    }

  switch (change->type)
    {
    case DOCKET_CHANGE_MEETING:
      return upsert_meeting (self, change->record, error);
    case DOCKET_CHANGE_AGENDA_ITEM:
      return upsert_agenda_item (self, change->record, error);
    case DOCKET_CHANGE_DOCUMENT:
      return upsert_document (self, change->record, error);
    default:
      return TRUE;   /* a type of a later protocol: skipped */
    }
}

/* Rows of blobs no document refers to any more; their files go after the commit. */
static gboolean
collect_unreferenced_blobs (DocketStore  *self,
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

static gboolean
apply_changes_locked (DocketStore        *self,
                      DocketChangesPage  *page,
                      GPtrArray          *removed_shas,
                      guint              *out_requeued,
                      GError            **error)
{
  FullSync full_sync = FULL_SYNC_NONE;

  if (!docket_store_begin_locked (self, error))
    return FALSE;

  /* Foreign keys are checked at the commit, so that the page is judged as a whole. */
  if (!docket_store_exec (self, "PRAGMA defer_foreign_keys = ON", error))
    goto fail;

  if (!begin_or_continue_full_sync_locked (self, &full_sync, error))
    goto fail;

  for (guint i = 0; page->changes != NULL && i < page->changes->len; i++)
    {
      if (!apply_change (self, g_ptr_array_index (page->changes, i), full_sync != FULL_SYNC_NONE, error))
        goto fail;
    }

  if (full_sync != FULL_SYNC_NONE && !page->more &&
      !end_full_sync_locked (self, full_sync, out_requeued, error))
    goto fail;

  if (!docket_store_run (self,
                         "UPDATE account SET cursor = ?1 WHERE id = 1",
                         error, DOCKET_SQLITE_TEXT (page->cursor)))
    goto fail;

  if (!collect_unreferenced_blobs (self, removed_shas, error))
    goto fail;

  if (!docket_store_commit_locked (self, error))
    goto fail;

  return TRUE;

fail:
  docket_store_rollback_locked (self);
  g_ptr_array_set_size (removed_shas, 0);
  *out_requeued = 0;
  return FALSE;
}

/* When in doubt (the question cannot be asked), a full sync is under way. */
static gboolean
full_sync_is_pending (DocketStore *self)
{
  gboolean pending;

  g_mutex_lock (&self->mutex);
  pending = docket_store_collect_exists_locked (self,
                                                docket_store_prepare (self,
                                                                      "SELECT 1 FROM account WHERE id = 1 AND full_sync",
                                                                      NULL));
  g_mutex_unlock (&self->mutex);
  return pending;
}

gboolean
docket_store_apply_changes (DocketStore        *self,
                            DocketChangesPage  *page,
                            GError            **error)
{
  g_autoptr(GPtrArray) removed_shas = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) local_error = NULL;
  guint requeued = 0;
  gboolean ret;

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);
  g_return_val_if_fail (page != NULL, FALSE);

  if (page->cursor == NULL || !docket_protocol_text_is_valid (page->cursor, DOCKET_MAX_CURSOR_BYTES))
    {
      g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_INVALID,
                   _("The server sent an invalid sync cursor."));
      return FALSE;
    }

  /* A sync with nothing new (the common case) writes nothing: no transaction, no
   * "changed". Not the end of a full sync, which still has to sweep. */
  if (page->changes != NULL && page->changes->len == 0 && !full_sync_is_pending (self))
    {
      g_autofree char *cursor = docket_store_dup_cursor (self);

      if (g_strcmp0 (cursor, page->cursor) == 0)
        return TRUE;
    }

  g_mutex_lock (&self->mutex);
  ret = apply_changes_locked (self, page, removed_shas, &requeued, &local_error);
  if (ret)
    {
      unlink_blob_files (self, removed_shas);
      sweep_partial_files_locked (self);
    }
  g_mutex_unlock (&self->mutex);

  if (!ret)
    {
      if (g_error_matches (local_error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_INVALID))
        {
          g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_INVALID,
                       _("The changes do not fit the offline cache (%s)."),
                       local_error->message);
          return FALSE;
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  docket_store_queue_changed (self);
  if (requeued > 0)
    docket_store_queue_outbox_changed (self);

  return TRUE;
}

static gboolean
clear_locked (DocketStore  *self,
              gboolean      forget_account,
              GPtrArray    *removed_shas,
              GError      **error)
{
  if (!docket_store_begin_locked (self, error))
    return FALSE;

  if (!docket_store_exec (self, "DELETE FROM meetings", error) ||
                          !docket_store_exec (self, "UPDATE account SET cursor = NULL, full_sync = 0 WHERE id = 1", error) ||
                          !docket_store_exec (self, "DELETE FROM full_sync_seen", error) ||
                          (forget_account &&
                          !docket_store_exec (self, "UPDATE account SET server_url = NULL, username = NULL WHERE id = 1", error)) ||
                          (forget_account && !docket_store_clear_own_data_locked (self, error)) ||
                          !collect_unreferenced_blobs (self, removed_shas, error) ||
                          !docket_store_commit_locked (self, error))
    {
      docket_store_rollback_locked (self);
      g_ptr_array_set_size (removed_shas, 0);
      return FALSE;
    }

  return TRUE;
}

static gboolean
clear_internal (DocketStore  *self,
                gboolean      forget_account,
                GError      **error)
{
  g_autoptr(GPtrArray) removed_shas = g_ptr_array_new_with_free_func (g_free);
  gboolean ret;

  g_mutex_lock (&self->mutex);
  ret = clear_locked (self, forget_account, removed_shas, error);
  if (ret)
    {
      unlink_blob_files (self, removed_shas);
      reconcile_blobs_locked (self);
      sweep_partial_files_locked (self);
    }
  g_mutex_unlock (&self->mutex);

  if (ret)
    docket_store_queue_changed (self);

  return ret;
}

gboolean
docket_store_clear (DocketStore  *self,
                    GError      **error)
{
  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);

  return clear_internal (self, TRUE, error);
}

gboolean
docket_store_clear_cache (DocketStore  *self,
                          GError      **error)
{
  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);

  return clear_internal (self, FALSE, error);
}

gboolean
docket_store_restart_feed (DocketStore  *self,
                           GError      **error)
{
  gboolean ret;

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);

  g_mutex_lock (&self->mutex);
  ret = docket_store_exec (self, "UPDATE account SET cursor = NULL, full_sync = 2 WHERE id = 1", error);
  g_mutex_unlock (&self->mutex);

  return ret;
}

/* Reads */

static const char meeting_columns[] =
  "m.id, m.title, m.organ, m.starts_at, m.ends_at, m.time_zone, m.location, m.status, m.version";

/* A DocketStoreRowReader: the participant of DOCKET_PARTICIPANT_ROW_COLUMNS. */
static gpointer
read_participant (DocketStore   *self,
                  sqlite3_stmt  *stmt,
                  gpointer       unused,
                  GError       **error)
{
  return docket_participant_from_row (stmt);
}

/* A DocketStoreRowReader: the meeting of meeting_columns, with its participants. */
static gpointer
read_meeting (DocketStore   *self,
              sqlite3_stmt  *stmt,
              gpointer       unused,
              GError       **error)
{
  g_autoptr(DocketMeetingRecord) meeting = docket_meeting_record_new ();
  g_autofree char *starts_at = docket_sqlite_column_dup (stmt, 3);
  g_autofree char *ends_at = docket_sqlite_column_dup (stmt, 4);
  g_autofree char *status = docket_sqlite_column_dup (stmt, 7);
  g_autoptr(GPtrArray) participants = NULL;

  meeting->id = docket_sqlite_column_dup (stmt, 0);
  meeting->title = docket_sqlite_column_dup (stmt, 1);
  meeting->organ = docket_sqlite_column_dup (stmt, 2);
  meeting->time_zone = docket_sqlite_column_dup (stmt, 5);
  meeting->location = docket_sqlite_column_dup (stmt, 6);
  meeting->version = sqlite3_column_int64 (stmt, 8);

  if (starts_at == NULL || ends_at == NULL ||
      !(meeting->starts_at = docket_protocol_parse_time (starts_at, NULL)) ||
      !(meeting->ends_at = docket_protocol_parse_time (ends_at, NULL)) ||
      !docket_meeting_status_from_string (status, &meeting->status))
    {
      g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_CORRUPT,
                   _("The offline cache holds a damaged meeting."));
      return NULL;
    }

  participants = docket_store_collect_rows_locked (self,
                                                  docket_store_prepare_with (self,
                                                                             "SELECT " DOCKET_PARTICIPANT_ROW_COLUMNS
                                                                             " FROM participants"
                                                                             " WHERE meeting_id = ?1 ORDER BY position",
                                                                             error, DOCKET_SQLITE_TEXT (meeting->id)),
                                                  read_participant, NULL,
                                                  (GDestroyNotify) docket_participant_free,
                                                  "participants", error);
  if (participants == NULL)
    return NULL;
  if (meeting->participants == NULL)
    meeting->participants = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_participant_free);
  /* The participants move into the record, which frees them from now on. */
  g_ptr_array_extend_and_steal (meeting->participants, g_steal_pointer (&participants));

  return g_steal_pointer (&meeting);
}

/* A DocketStoreRowReader: the meeting, then its two counts of documents. */
static gpointer
read_meeting_row (DocketStore   *self,
                  sqlite3_stmt  *stmt,
                  gpointer       unused,
                  GError       **error)
{
  g_autoptr(DocketStoreMeetingRow) row = g_new0 (DocketStoreMeetingRow, 1);

  row->meeting = read_meeting (self, stmt, NULL, error);
  if (row->meeting == NULL)
    return NULL;
  row->n_documents = (guint) sqlite3_column_int (stmt, 9);
  row->n_documents_offline = (guint) sqlite3_column_int (stmt, 10);

  return g_steal_pointer (&row);
}

/* A DocketStoreRowReader: the item of DOCKET_AGENDA_ITEM_ROW_COLUMNS. */
static gpointer
read_agenda_item (DocketStore   *self,
                  sqlite3_stmt  *stmt,
                  gpointer       unused,
                  GError       **error)
{
  return docket_agenda_item_record_from_row (stmt);
}

/* The columns of DOCKET_DOCUMENT_ROW_COLUMNS (docket_document_record_from_row ()), then whether the content is
 * in the profile and may be read (verified_blobs: not one of an earlier boot waiting for
 * its re-hash). */
static const char document_columns[] =
  "d.id, d.meeting_id, d.item_id, d.position, d.title, d.media_type, d.sha256, d.size,"
  " d.pages, d.version, (SELECT 1 FROM verified_blobs b WHERE b.sha256 = d.sha256)";

static gpointer
read_document (DocketStore   *self,
               sqlite3_stmt  *stmt,
               gpointer       unused,
               GError       **error)
{
  return docket_document_record_from_row (stmt);
}

/* A DocketStoreRowReader: the document of document_columns, with its file's path when
 * the content is in the profile. */
static gpointer
read_document_row (DocketStore   *self,
                   sqlite3_stmt  *stmt,
                   gpointer       unused,
                   GError       **error)
{
  DocketStoreDocumentRow *row = g_new0 (DocketStoreDocumentRow, 1);

  row->document = docket_document_record_from_row (stmt);
  if (sqlite3_column_type (stmt, 10) != SQLITE_NULL)
    row->path = docket_store_dup_blob_path (self, row->document->sha256);

  return row;
}

gpointer
docket_store_read_text (DocketStore   *self,
                        sqlite3_stmt  *stmt,
                        gpointer       unused,
                        GError       **error)
{
  return docket_sqlite_column_dup (stmt, 0);
}

void
docket_store_meeting_row_free (DocketStoreMeetingRow *row)
{
  if (row == NULL)
    return;

  g_clear_pointer (&row->meeting, docket_meeting_record_free);
  g_free (row);
}

void
docket_store_document_row_free (DocketStoreDocumentRow *row)
{
  if (row == NULL)
    return;

  g_clear_pointer (&row->document, docket_document_record_free);
  g_clear_pointer (&row->path, g_free);
  g_free (row);
}

/* The rows of sql (its ?1 bound to param, when not NULL), each made by read; under the
 * lock. */
static GPtrArray *
read_rows (DocketStore           *self,
           const char            *sql,
           const char            *param,
           DocketStoreRowReader   read,
           GDestroyNotify         free_row,
           const char            *what,
           GError               **error)
{
  GPtrArray *rows;

  g_mutex_lock (&self->mutex);
  rows = docket_store_collect_rows_locked (self, docket_store_prepare_with (self,
                                                                            sql,
                                                                            error,
                                                                            DOCKET_SQLITE_TEXT (param)),
                                           read, NULL, free_row, what, error);
  g_mutex_unlock (&self->mutex);

  return rows;
}

/* The first row of sql likewise, or NULL without error when there is none. */
static gpointer
read_row (DocketStore           *self,
          const char            *sql,
          const char            *param,
          DocketStoreRowReader   read,
          const char            *what,
          GError               **error)
{
  gpointer row;

  g_mutex_lock (&self->mutex);
  row = docket_store_collect_row_locked (self, docket_store_prepare_with (self,
                                                                          sql,
                                                                          error,
                                                                          DOCKET_SQLITE_TEXT (param)),
                                         read, NULL, what, error);
  g_mutex_unlock (&self->mutex);

  return row;
}

GPtrArray *
docket_store_list_missing_documents (DocketStore  *self,
                                     GError      **error)
{
  g_autofree char *sql = NULL;

  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);

  /* One document per content: two documents with the same bytes need one download. */
  sql = g_strdup_printf ("SELECT %s FROM documents d"
                         " WHERE d.sha256 NOT IN (SELECT sha256 FROM blobs)"
                         " GROUP BY d.sha256 ORDER BY d.meeting_id, d.position",
                         document_columns);

  return read_rows (self, sql, NULL, read_document,
                    (GDestroyNotify) docket_document_record_free, "documents", error);
}

GPtrArray *
docket_store_list_meetings (DocketStore  *self,
                            GError      **error)
{
  g_autofree char *sql = NULL;

  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);

  sql = g_strdup_printf ("SELECT %s,"
                         " (SELECT count(*) FROM documents d WHERE d.meeting_id = m.id),"
                         " (SELECT count(*) FROM documents d JOIN verified_blobs b ON b.sha256 = d.sha256"
                         "   WHERE d.meeting_id = m.id)"
                         " FROM meetings m ORDER BY m.starts_at_unix, m.id",
                         meeting_columns);

  return read_rows (self, sql, NULL, read_meeting_row,
                    (GDestroyNotify) docket_store_meeting_row_free, "meetings", error);
}

GPtrArray *
docket_store_list_agenda_items (DocketStore  *self,
                                const char   *meeting_id,
                                GError      **error)
{
  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);
  g_return_val_if_fail (meeting_id != NULL, NULL);

  /* Depth first: each item's sort key is the path of zero-padded positions (and ids,
   * to break ties) from its root. Items caught in a cycle are never reached. */
  return read_rows (self,
                    "WITH RECURSIVE tree (id, depth, sort_key) AS ("
                    "  SELECT id, 0, printf ('%06d:%s', position, id) FROM agenda_items"
                    "   WHERE meeting_id = ?1 AND parent_id IS NULL"
                    "  UNION ALL"
                    "  SELECT a.id, t.depth + 1, t.sort_key || '/' || printf ('%06d:%s', a.position, a.id)"
                    "   FROM agenda_items a JOIN tree t ON a.parent_id = t.id"
                    "   WHERE a.meeting_id = ?1 AND t.depth < " G_STRINGIFY (DOCKET_MAX_AGENDA_DEPTH)
                    ")"
                    " SELECT a.id, a.meeting_id, a.parent_id, a.position, a.number, a.title,"
                    "  a.presenter, a.description, a.version"
                    " FROM tree t JOIN agenda_items a ON a.id = t.id ORDER BY t.sort_key",
                    meeting_id, read_agenda_item,
                    (GDestroyNotify) docket_agenda_item_record_free, "agenda_items", error);
}

GPtrArray *
docket_store_list_documents (DocketStore  *self,
                             const char   *meeting_id,
                             GError      **error)
{
  g_autofree char *sql = NULL;

  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);
  g_return_val_if_fail (meeting_id != NULL, NULL);

  sql = g_strdup_printf ("SELECT %s FROM documents d WHERE d.meeting_id = ?1"
                         " ORDER BY d.item_id, d.position, d.id",
                         document_columns);

  return read_rows (self, sql, meeting_id, read_document_row,
                    (GDestroyNotify) docket_store_document_row_free, "documents", error);
}

DocketMeetingRecord *
docket_store_get_meeting (DocketStore  *self,
                          const char   *meeting_id,
                          GError      **error)
{
  g_autofree char *sql = NULL;

  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);
  g_return_val_if_fail (meeting_id != NULL, NULL);

  sql = g_strdup_printf ("SELECT %s FROM meetings m WHERE m.id = ?1", meeting_columns);

  return read_row (self, sql, meeting_id, read_meeting, "meetings", error);
}

DocketStoreDocumentRow *
docket_store_get_document (DocketStore  *self,
                           const char   *document_id,
                           GError      **error)
{
  g_autofree char *sql = NULL;

  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);
  g_return_val_if_fail (document_id != NULL, NULL);

  sql = g_strdup_printf ("SELECT %s FROM documents d WHERE d.id = ?1", document_columns);

  return read_row (self, sql, document_id, read_document_row, "documents", error);
}

/* Async reads: the same queries in a worker thread. */

typedef GPtrArray *(*ListFunc) (DocketStore  *self,
                                const char   *meeting_id,
                                GError      **error);

typedef struct {
  ListFunc  func;
  char     *meeting_id;
} ListQuery;

static void
list_query_free (ListQuery *query)
{
  g_free (query->meeting_id);
  g_free (query);
}

static gpointer
list_job (DocketStore  *self,
          gpointer      data,
          GError      **error)
{
  ListQuery *query = data;

  return query->func (self, query->meeting_id, error);
}

/* A list that is no longer wanted returns at once: a reload superseded it. */
static void
list_async (DocketStore         *self,
            ListFunc             func,
            const char          *meeting_id,
            gpointer             source_tag,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  ListQuery *query = g_new0 (ListQuery, 1);

  query->func = func;
  query->meeting_id = g_strdup (meeting_id);
  run_job_in_thread (self, list_job, query, (GDestroyNotify) list_query_free,
                     (GDestroyNotify) g_ptr_array_unref, TRUE, source_tag,
                     cancellable, callback, user_data);
}

static GPtrArray *
list_all_meetings (DocketStore  *self,
                   const char   *unused,
                   GError      **error)
{
  return docket_store_list_meetings (self, error);
}

void
docket_store_list_meetings_async (DocketStore         *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (DOCKET_IS_STORE (self));

  list_async (self, list_all_meetings, NULL, docket_store_list_meetings_async,
              cancellable, callback, user_data);
}

GPtrArray *
docket_store_list_meetings_finish (DocketStore   *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return docket_store_run_finish (self, result, docket_store_list_meetings_async, error);
}

void
docket_store_list_agenda_items_async (DocketStore         *self,
                                      const char          *meeting_id,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (DOCKET_IS_STORE (self));
  g_return_if_fail (meeting_id != NULL);

  list_async (self, docket_store_list_agenda_items, meeting_id,
              docket_store_list_agenda_items_async, cancellable, callback, user_data);
}

GPtrArray *
docket_store_list_agenda_items_finish (DocketStore   *self,
                                       GAsyncResult  *result,
                                       GError       **error)
{
  return docket_store_run_finish (self, result, docket_store_list_agenda_items_async, error);
}

void
docket_store_list_documents_async (DocketStore         *self,
                                   const char          *meeting_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (DOCKET_IS_STORE (self));
  g_return_if_fail (meeting_id != NULL);

  list_async (self, docket_store_list_documents, meeting_id,
              docket_store_list_documents_async, cancellable, callback, user_data);
}

GPtrArray *
docket_store_list_documents_finish (DocketStore   *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return docket_store_run_finish (self, result, docket_store_list_documents_async, error);
}
