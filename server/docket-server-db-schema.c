/* docket-server-db-schema.c: the server's schema, its migrations, and the check of a
 * database file before anything opens it for writing
 *
 * Apart from the connection (docket-server-db.c) so that the whole history of the
 * schema reads in one place: to change it, append a step here.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "docket-server-db-private.h"

/* Migration 1: the schema of the servers before versioned migrations (up to December
 * 2026), which set no user_version. IF NOT EXISTS everywhere, so that running it on a
 * database of those servers changes nothing: that is how such a database is recognised
 * as version 1. */
static const char schema_v1_sql[] =
  "CREATE TABLE IF NOT EXISTS meta ("
  "  key TEXT PRIMARY KEY, value TEXT NOT NULL);"
  "CREATE TABLE IF NOT EXISTS sequence ("
  "  id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL);"
  "INSERT OR IGNORE INTO sequence (id, value) VALUES (1, 0);"
  "CREATE TABLE IF NOT EXISTS users ("
  "  id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE,"
  "  display_name TEXT NOT NULL, role TEXT NOT NULL, organ TEXT NOT NULL DEFAULT '',"
  "  password_hash TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0);"
  "CREATE TABLE IF NOT EXISTS tokens ("
  "  hash TEXT PRIMARY KEY,"
  "  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
  "  expires_at INTEGER NOT NULL);"
  "CREATE TABLE IF NOT EXISTS meetings ("
  "  id TEXT PRIMARY KEY, title TEXT NOT NULL, organ TEXT NOT NULL,"
  "  starts_at TEXT NOT NULL, ends_at TEXT NOT NULL, time_zone TEXT NOT NULL,"
  "  location TEXT NOT NULL DEFAULT '', status TEXT NOT NULL, version INTEGER NOT NULL);"
  "CREATE TABLE IF NOT EXISTS participants ("
  "  meeting_id TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,"
  "  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
  "  PRIMARY KEY (meeting_id, user_id));"
  "CREATE TABLE IF NOT EXISTS items ("
  "  id TEXT PRIMARY KEY,"
  "  meeting_id TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,"
  "  parent_id TEXT REFERENCES items (id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL, number TEXT NOT NULL DEFAULT '', title TEXT NOT NULL,"
  "  presenter TEXT NOT NULL DEFAULT '', description TEXT NOT NULL DEFAULT '',"
  "  version INTEGER NOT NULL);"
  "CREATE INDEX IF NOT EXISTS items_meeting ON items (meeting_id);"
  "CREATE TABLE IF NOT EXISTS documents ("
  "  id TEXT PRIMARY KEY,"
  "  meeting_id TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,"
  "  item_id TEXT NOT NULL REFERENCES items (id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL, title TEXT NOT NULL, media_type TEXT NOT NULL,"
  "  sha256 TEXT NOT NULL, size INTEGER NOT NULL, pages INTEGER NOT NULL,"
  "  version INTEGER NOT NULL);"
  "CREATE INDEX IF NOT EXISTS documents_meeting ON documents (meeting_id);"
  /* Garbage collection asks, for each blob, whether a document still refers to it. */
  "CREATE INDEX IF NOT EXISTS documents_sha256 ON documents (sha256);"
  /* Deletions of items and documents, for the feed. */
  "CREATE TABLE IF NOT EXISTS tombstones ("
  "  seq INTEGER NOT NULL, type TEXT NOT NULL, id TEXT NOT NULL,"
  "  meeting_id TEXT NOT NULL);"
  "CREATE INDEX IF NOT EXISTS tombstones_seq ON tombstones (seq);"
  /* Changes of who sees a meeting, for the feed. */
  "CREATE TABLE IF NOT EXISTS access ("
  "  seq INTEGER NOT NULL, user_id INTEGER NOT NULL, meeting_id TEXT NOT NULL,"
  "  visible INTEGER NOT NULL);"
  "CREATE INDEX IF NOT EXISTS access_user ON access (user_id, seq);"
  /* The officials' own data (docket-server-db-annotations.c). */
  "CREATE TABLE IF NOT EXISTS annotations ("
  "  id TEXT PRIMARY KEY,"
  "  owner_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
  "  meeting_id TEXT NOT NULL, document_id TEXT NOT NULL,"
  "  page INTEGER NOT NULL, kind TEXT NOT NULL, color TEXT NOT NULL,"
  "  geometry TEXT NOT NULL, contents TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
  "  revision INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0);"
  "CREATE INDEX IF NOT EXISTS annotations_owner ON annotations (owner_id, revision);"
  "CREATE INDEX IF NOT EXISTS annotations_owner_meeting ON annotations (owner_id, meeting_id);"
  "CREATE TABLE IF NOT EXISTS notes ("
  "  owner_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
  "  target TEXT NOT NULL, target_id TEXT NOT NULL, meeting_id TEXT NOT NULL,"
  "  text TEXT NOT NULL, updated_at INTEGER NOT NULL, revision INTEGER NOT NULL,"
  "  PRIMARY KEY (owner_id, target, target_id));"
  "CREATE INDEX IF NOT EXISTS notes_owner ON notes (owner_id, revision);"
  "CREATE INDEX IF NOT EXISTS notes_owner_meeting ON notes (owner_id, meeting_id);"
  /* Answers already given, by operation: request is "METHOD PATH", so that an op_id
   * used again for something else is told apart. */
  "CREATE TABLE IF NOT EXISTS ops ("
  "  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
  "  op_id TEXT NOT NULL, request TEXT NOT NULL,"
  "  status INTEGER NOT NULL, answer TEXT NOT NULL, created_at INTEGER NOT NULL,"
  "  PRIMARY KEY (user_id, op_id));"
  /* Garbage collection forgets the answers older than its retention window. */
  "CREATE INDEX IF NOT EXISTS ops_created ON ops (created_at);";

/* The change feed's indexes (docket-server-db-feed.c), kept apart from the tables: a
 * request reads only the rows numbered after its cursor, so that an unchanged sync costs
 * the same whatever the archive holds. (tombstones_seq, access_user, annotations_owner
 * and notes_owner serve it too.) */
static const char feed_indexes_sql[] =
  "CREATE INDEX IF NOT EXISTS meetings_version ON meetings (version);"
  "CREATE INDEX IF NOT EXISTS items_version ON items (version);"
  "CREATE INDEX IF NOT EXISTS documents_version ON documents (version);"
  /* A meeting that becomes visible comes whole: docket_server_db_load_items walks its
   * tree from parents to sub-items. */
  "CREATE INDEX IF NOT EXISTS items_parent ON items (parent_id);";

/* Migration 4: the live meeting (issue 11; docs/protocol.md, "The live meeting"). Each
 * participant's role in the meeting and the meeting's quorum rule; where a meeting
 * stands while it is held; who is present (and every change of it with its time, for
 * the minutes); the requests for the floor. The live records carry a version, the
 * sequence number of their last change, for the change feed; speeches are read by
 * meeting, state and number for the queue. */
static const char live_meeting_sql[] =
  "ALTER TABLE participants ADD COLUMN meeting_role TEXT NOT NULL DEFAULT 'member';"
  "ALTER TABLE meetings ADD COLUMN quorum TEXT NOT NULL DEFAULT 'majority';"
  "CREATE TABLE meeting_states ("
  "  meeting_id TEXT PRIMARY KEY REFERENCES meetings (id) ON DELETE CASCADE,"
  "  phase TEXT NOT NULL, started_at TEXT, ended_at TEXT,"
  "  current_item_id TEXT, presented_document_id TEXT, presented_page INTEGER NOT NULL DEFAULT 0,"
  "  speech_limit_seconds INTEGER NOT NULL DEFAULT 0, version INTEGER NOT NULL);"
  "CREATE INDEX meeting_states_version ON meeting_states (version);"
  "CREATE TABLE attendance ("
  "  id TEXT PRIMARY KEY,"
  "  meeting_id TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,"
  "  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
  "  presence TEXT NOT NULL, since TEXT NOT NULL, version INTEGER NOT NULL,"
  "  UNIQUE (meeting_id, user_id));"
  "CREATE INDEX attendance_version ON attendance (version);"
  "CREATE TABLE attendance_log ("
  "  meeting_id TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,"
  "  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
  "  presence TEXT NOT NULL, at TEXT NOT NULL, seq INTEGER NOT NULL);"
  "CREATE INDEX attendance_log_meeting ON attendance_log (meeting_id, seq);"
  "CREATE TABLE speeches ("
  "  id TEXT PRIMARY KEY,"
  "  meeting_id TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,"
  "  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,"
  "  state TEXT NOT NULL, number INTEGER NOT NULL, requested_at TEXT NOT NULL,"
  "  started_at TEXT, ended_at TEXT, limit_seconds INTEGER NOT NULL DEFAULT 0,"
  "  version INTEGER NOT NULL);"
  "CREATE INDEX speeches_version ON speeches (version);"
  "CREATE INDEX speeches_meeting ON speeches (meeting_id, state, number);";

/* Schema and migrations
 *
 * As in the client's cache (app/store/docket-store.c): the schema is an ordered list of
 * steps, and step N brings a database from PRAGMA user_version N-1 to N, in one
 * transaction together with the new user_version. To change the schema, append a step
 * to migrations[] and raise DOCKET_SERVER_DB_SCHEMA_VERSION; never edit a step that has
 * shipped (docs/architecture.md, "The server's database"). A database of a newer server
 * is refused before anything is written to it. */

typedef gboolean (*MigrationFunc) (DocketServerDb  *self,
                                   GError         **error);

typedef struct {
  const char    *sql;
  MigrationFunc  func;      /* for what SQL alone cannot say; after sql */
} Migration;

static const Migration migrations[] = {
  /* 1: users, tokens, meetings, items, documents, the feed's bookkeeping, and the
   * officials' annotations, notes and answered operations */
  { schema_v1_sql, NULL },
  /* 2: the epoch of the change feed's history, in every cursor (docket-server-db-feed.c):
   * replaced by a new one when a backup is restored, so that no cursor of the history
   * that went on after the backup is taken for one of the restored history. */
  { "INSERT OR IGNORE INTO meta (key, value) VALUES ('epoch', lower (hex (randomblob (8))));", NULL },
  /* 3: the change feed's indexes (docket-server-db-feed.c) */
  { feed_indexes_sql, NULL },
  /* 4: the live meeting: meeting roles, quorum, meeting states, attendance (and its
   * log), speeches */
  { live_meeting_sql, NULL },
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == DOCKET_SERVER_DB_SCHEMA_VERSION);

/* The one-number answer of sql (a PRAGMA, a count). */
static gboolean
query_int (sqlite3     *handle,
           const char  *sql,
           int         *out_value,
           GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = docket_sqlite_prepare (handle, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  if ((rc = sqlite3_step (stmt)) != SQLITE_ROW)
    return docket_sqlite_set_error (error, handle, rc, sql);
  *out_value = sqlite3_column_int (stmt, 0);
  return TRUE;
}

gboolean
docket_server_db_check_file (const char  *path,
                             int         *out_version,
                             GError     **error)
{
  sqlite3 *handle = NULL;
  int version = 0;
  int n_objects = 0;
  int has_sequence = 0;
  gboolean ok;

  *out_version = 0;
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;

  /* Read-only, and closed before anything else opens it: closing the last read-write
   * connection of a WAL database would checkpoint it, which is a write. */
  if (sqlite3_open_v2 (path, &handle, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      g_set_error (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_INTERNAL,
                   _("Cannot open the database %s: %s"), path,
                   handle ? sqlite3_errmsg (handle) : "out of memory");
      sqlite3_close (handle);
      return FALSE;
    }
  sqlite3_busy_timeout (handle, 5000);
  /* Whatever SQLite says of a file it cannot read, the reader is told the same. */
  ok = query_int (handle, "PRAGMA user_version", &version, NULL) &&
       query_int (handle, "SELECT count(*) FROM sqlite_master", &n_objects, NULL) &&
       query_int (handle, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                          " AND name = 'sequence'", &has_sequence, NULL);
  sqlite3_close (handle);

  if (!ok)
    {
      g_set_error (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_INTERNAL,
                   _("The file %s is not a Docket server database, or it is damaged"), path);
      return FALSE;
    }
  if (version > DOCKET_SERVER_DB_SCHEMA_VERSION)
    {
      g_set_error (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_INTERNAL,
                   _("The database %s was written by a newer docket-server (schema %d; this "
                     "one knows up to %d). It was left as it is: run the newer server, or "
                     "restore a backup made by this version."),
                   path, version, DOCKET_SERVER_DB_SCHEMA_VERSION);
      return FALSE;
    }
  /* Before user_version, our databases always had the sequence table. */
  if (version == 0 && n_objects > 0 && !has_sequence)
    {
      g_set_error (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_INTERNAL,
                   _("The file %s is not a Docket server database"), path);
      return FALSE;
    }
  *out_version = version;
  return TRUE;
}

static gboolean
apply_migration (DocketServerDb  *self,
                 int              version,
                 GError         **error)
{
  const Migration *step = &migrations[version - 1];
  g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %d", version);
  int current = 0;

  if (!docket_server_db_begin (self, error))
    goto fail;
  /* The server and the command line may open the database at the same time: the
   * first one does the step, the other finds it done. */
  if (!query_int (docket_server_db_get_handle (self), "PRAGMA user_version", &current, error))
    goto fail;
  if (current >= version)
    {
      docket_server_db_rollback (self);
      return TRUE;
    }
  if ((step->sql != NULL && !docket_server_db_exec (self, step->sql, error)) ||
      (step->func != NULL && !step->func (self, error)) ||
      !docket_server_db_exec (self, set_version, error) ||
      !docket_server_db_commit (self, error))
    goto fail;
  return TRUE;

fail:
  docket_server_db_rollback (self);
  g_prefix_error (error, _("Cannot upgrade the database to version %d: "), version);
  return FALSE;
}

gboolean
docket_server_db_migrate (DocketServerDb  *self,
                          int              version,
                          GError         **error)
{
  for (int v = MAX (version, 0) + 1; v <= DOCKET_SERVER_DB_SCHEMA_VERSION; v++)
    if (!apply_migration (self, v, error))
      return FALSE;
  return TRUE;
}

/* A database copied by docket_server_backup () carries the meta key "backup_made_at".
 * Opening it means that it was restored (or is being served in the place of the
 * database it was copied from): its history forks from the one clients may hold
 * cursors of, so it gets an epoch of its own, once. */
gboolean
docket_server_db_rotate_epoch_if_restored (DocketServerDb  *self,
                                           const char      *path,
                                           GError         **error)
{
  g_autofree char *made_at = NULL;
  g_autofree char *epoch = NULL;

  if (!docket_server_db_begin (self, error))
    return FALSE;
  made_at = docket_server_db_get_meta (self, DOCKET_SERVER_DB_BACKUP_MARK);
  if (made_at == NULL)
    {
      docket_server_db_rollback (self);
      return TRUE;
    }
  if (!docket_server_db_exec (self,
                              "UPDATE meta SET value = lower (hex (randomblob (8))) WHERE key = 'epoch';"
                              "DELETE FROM meta WHERE key = '" DOCKET_SERVER_DB_BACKUP_MARK "';", error) ||
      !docket_server_db_commit (self, error))
    {
      docket_server_db_rollback (self);
      return FALSE;
    }
  epoch = docket_server_db_get_meta (self, "epoch");
  /* Translators: a line of the server's log */
  g_printerr (_("%s is a backup made at %s: its change feed now has the epoch %s, and "
                "every client syncs again from the beginning\n"),
              path, made_at, epoch);
  return TRUE;
}

