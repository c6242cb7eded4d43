/* docket-store-schema.c: the cache's schema, one migration per version
 *
 * Apart from the code that uses the tables so that the whole history of the file's
 * shape reads in one place. The schema is an ordered list of migrations, each applied
 * in one transaction together with its PRAGMA user_version; a file of a newer schema,
 * or one that is not ours, is refused before anything writes to it.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "docket-store.h"
#include "docket-store-private.h"

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

  /* 6: the live meeting (docs/protocol.md, "The live meeting"): each participant's role in
   * the meeting and the meeting's quorum rule, kept as the protocol's words ("unknown"
   * for a word of a later protocol); the meeting's state, its attendance and its speeches,
   * each going with its meeting. No foreign key to the agenda or to the participants:
   * what the server says of them is kept as it said it. The account keeps who is signed
   * in (the sign-in answer's user) and what the server said it can do (GET
   * /api/v1/info), with the time it was asked (Unix seconds; 0: never). */
  "ALTER TABLE participants ADD COLUMN meeting_role TEXT NOT NULL DEFAULT 'member';"
  "ALTER TABLE meetings ADD COLUMN quorum TEXT NOT NULL DEFAULT 'majority';"
  "ALTER TABLE account ADD COLUMN user_display_name TEXT;"
  "ALTER TABLE account ADD COLUMN user_role TEXT;"
  "ALTER TABLE account ADD COLUMN user_organ TEXT;"
  "ALTER TABLE account ADD COLUMN capabilities TEXT;"
  "ALTER TABLE account ADD COLUMN server_info_at INTEGER NOT NULL DEFAULT 0;"
  "CREATE TABLE meeting_states ("
  "  meeting_id TEXT PRIMARY KEY NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,"
  "  phase TEXT NOT NULL,"
  "  started_at TEXT,"
  "  ended_at TEXT,"
  "  current_item_id TEXT,"
  "  presented_document_id TEXT,"
  "  presented_page INTEGER NOT NULL DEFAULT 0,"
  "  speech_limit_seconds INTEGER NOT NULL DEFAULT 0,"
  "  version INTEGER NOT NULL"
  ");"
  "CREATE TABLE attendance ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  meeting_id TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,"
  "  username TEXT NOT NULL,"
  "  presence TEXT NOT NULL,"
  "  since TEXT NOT NULL,"
  "  version INTEGER NOT NULL"
  ");"
  "CREATE INDEX attendance_by_meeting ON attendance (meeting_id);"
  "CREATE TABLE speeches ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  meeting_id TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,"
  "  username TEXT NOT NULL,"
  "  state TEXT NOT NULL,"
  "  number INTEGER NOT NULL,"
  "  requested_at TEXT NOT NULL,"
  "  started_at TEXT,"
  "  ended_at TEXT,"
  "  limit_seconds INTEGER NOT NULL DEFAULT 0,"
  "  version INTEGER NOT NULL"
  ");"
  "CREATE INDEX speeches_by_meeting ON speeches (meeting_id, number);",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == DOCKET_STORE_SCHEMA_VERSION);

static gboolean
read_int_pragma (DocketStore  *self,
                 const char   *sql,
                 int          *out_value,
                 GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = docket_store_prepare (self, sql, error);

  if (stmt == NULL || !docket_store_step_one_row (self, stmt, error))
    return FALSE;

  *out_value = sqlite3_column_int (stmt, 0);
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
              const char   *db_path,
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
                   db_path);
      return FALSE;
    }

  if (version > DOCKET_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_NEWER_SCHEMA,
                   _("The offline cache in %s was written by a newer version of Docket "
                     "(schema %d, this version knows up to %d). Update Docket, or use "
                     "another profile folder."),
                   docket_store_get_profile_dir (self), version, DOCKET_STORE_SCHEMA_VERSION);
      return FALSE;
    }

  if (version == 0)
    {
      if (!read_int_pragma (self, "SELECT count(*) FROM sqlite_master", &n_objects, error))
        return FALSE;

      if (n_objects > 0)
        {
          g_set_error (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_CORRUPT,
                       _("The file %s is not a Docket cache."), db_path);
          return FALSE;
        }
    }

  *out_version = version;

  return TRUE;
}

gboolean
docket_store_schema_migrate (DocketStore  *self,
                             const char   *db_path,
                             GError      **error)
{
  int version = 0;

  if (!check_schema (self, db_path, &version, error))
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

  /* The migrations' pages go into the database file now, rather than wait in the WAL
   * for the first checkpoint: a new or upgraded profile starts with an empty WAL, the
   * room its first sync needs (a nearly full disk holds the same as before). */
  if (version < DOCKET_STORE_SCHEMA_VERSION &&
      !docket_store_exec (self, "PRAGMA wal_checkpoint(TRUNCATE)", error))
    return FALSE;

  return TRUE;
}

