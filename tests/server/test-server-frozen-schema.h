/* test-server-frozen-schema.h: the server's schema before versioned migrations
 * (main, December 2026), verbatim: those servers set no user_version. Frozen here, once,
 * as a database of theirs is on disk; the tests of migrations build older databases
 * from it (server-durability, server-live-schema). Never edit it. */
#pragma once

#define DOCKET_TEST_SERVER_SCHEMA_BEFORE_MIGRATIONS_SQL \
  "CREATE TABLE IF NOT EXISTS meta (" \
  "  key TEXT PRIMARY KEY, value TEXT NOT NULL);" \
  "CREATE TABLE IF NOT EXISTS sequence (" \
  "  id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL);" \
  "INSERT OR IGNORE INTO sequence (id, value) VALUES (1, 0);" \
  "CREATE TABLE IF NOT EXISTS users (" \
  "  id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE," \
  "  display_name TEXT NOT NULL, role TEXT NOT NULL, organ TEXT NOT NULL DEFAULT ''," \
  "  password_hash TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0);" \
  "CREATE TABLE IF NOT EXISTS tokens (" \
  "  hash TEXT PRIMARY KEY," \
  "  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE," \
  "  expires_at INTEGER NOT NULL);" \
  "CREATE TABLE IF NOT EXISTS meetings (" \
  "  id TEXT PRIMARY KEY, title TEXT NOT NULL, organ TEXT NOT NULL," \
  "  starts_at TEXT NOT NULL, ends_at TEXT NOT NULL, time_zone TEXT NOT NULL," \
  "  location TEXT NOT NULL DEFAULT '', status TEXT NOT NULL, version INTEGER NOT NULL);" \
  "CREATE TABLE IF NOT EXISTS participants (" \
  "  meeting_id TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE," \
  "  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE," \
  "  PRIMARY KEY (meeting_id, user_id));" \
  "CREATE TABLE IF NOT EXISTS items (" \
  "  id TEXT PRIMARY KEY," \
  "  meeting_id TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE," \
  "  parent_id TEXT REFERENCES items (id) ON DELETE CASCADE," \
  "  position INTEGER NOT NULL, number TEXT NOT NULL DEFAULT '', title TEXT NOT NULL," \
  "  presenter TEXT NOT NULL DEFAULT '', description TEXT NOT NULL DEFAULT ''," \
  "  version INTEGER NOT NULL);" \
  "CREATE INDEX IF NOT EXISTS items_meeting ON items (meeting_id);" \
  "CREATE TABLE IF NOT EXISTS documents (" \
  "  id TEXT PRIMARY KEY," \
  "  meeting_id TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE," \
  "  item_id TEXT NOT NULL REFERENCES items (id) ON DELETE CASCADE," \
  "  position INTEGER NOT NULL, title TEXT NOT NULL, media_type TEXT NOT NULL," \
  "  sha256 TEXT NOT NULL, size INTEGER NOT NULL, pages INTEGER NOT NULL," \
  "  version INTEGER NOT NULL);" \
  "CREATE INDEX IF NOT EXISTS documents_meeting ON documents (meeting_id);" \
  "CREATE INDEX IF NOT EXISTS documents_sha256 ON documents (sha256);" \
  "CREATE TABLE IF NOT EXISTS tombstones (" \
  "  seq INTEGER NOT NULL, type TEXT NOT NULL, id TEXT NOT NULL," \
  "  meeting_id TEXT NOT NULL);" \
  "CREATE INDEX IF NOT EXISTS tombstones_seq ON tombstones (seq);" \
  "CREATE TABLE IF NOT EXISTS access (" \
  "  seq INTEGER NOT NULL, user_id INTEGER NOT NULL, meeting_id TEXT NOT NULL," \
  "  visible INTEGER NOT NULL);" \
  "CREATE INDEX IF NOT EXISTS access_user ON access (user_id, seq);" \
  "CREATE TABLE IF NOT EXISTS annotations (" \
  "  id TEXT PRIMARY KEY," \
  "  owner_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE," \
  "  meeting_id TEXT NOT NULL, document_id TEXT NOT NULL," \
  "  page INTEGER NOT NULL, kind TEXT NOT NULL, color TEXT NOT NULL," \
  "  geometry TEXT NOT NULL, contents TEXT NOT NULL," \
  "  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL," \
  "  revision INTEGER NOT NULL, deleted INTEGER NOT NULL DEFAULT 0);" \
  "CREATE INDEX IF NOT EXISTS annotations_owner ON annotations (owner_id, revision);" \
  "CREATE INDEX IF NOT EXISTS annotations_owner_meeting ON annotations (owner_id, meeting_id);" \
  "CREATE TABLE IF NOT EXISTS notes (" \
  "  owner_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE," \
  "  target TEXT NOT NULL, target_id TEXT NOT NULL, meeting_id TEXT NOT NULL," \
  "  text TEXT NOT NULL, updated_at INTEGER NOT NULL, revision INTEGER NOT NULL," \
  "  PRIMARY KEY (owner_id, target, target_id));" \
  "CREATE INDEX IF NOT EXISTS notes_owner ON notes (owner_id, revision);" \
  "CREATE INDEX IF NOT EXISTS notes_owner_meeting ON notes (owner_id, meeting_id);" \
  "CREATE TABLE IF NOT EXISTS ops (" \
  "  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE," \
  "  op_id TEXT NOT NULL, request TEXT NOT NULL," \
  "  status INTEGER NOT NULL, answer TEXT NOT NULL, created_at INTEGER NOT NULL," \
  "  PRIMARY KEY (user_id, op_id));" \
  "CREATE INDEX IF NOT EXISTS ops_created ON ops (created_at);"
