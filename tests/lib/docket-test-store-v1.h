/* docket-test-store-v1.h: the client store's tables as Docket 0.1 wrote them (schema 1)
 *
 * For the tests that upgrade an old profile: they write this SQL by hand into docket.db,
 * followed by their own rows, later tables and "PRAGMA user_version = N;", so that the
 * upgrade runs on the file an old version left, not on one the current code made.
 */
#pragma once

/* The account table with its row (daibieu1 on http://127.0.0.1:9, cursor "42"), and the
 * empty meetings, participants, agenda_items and documents tables. */
#define DOCKET_TEST_STORE_V1_TABLES \
  "CREATE TABLE account (id INTEGER PRIMARY KEY CHECK (id = 1), server_url TEXT," \
  "  username TEXT, cursor TEXT);" \
  "INSERT INTO account (id, server_url, username, cursor)" \
  "  VALUES (1, 'http://127.0.0.1:9', 'daibieu1', '42');" \
  "CREATE TABLE meetings (id TEXT PRIMARY KEY NOT NULL, title TEXT NOT NULL," \
  "  organ TEXT NOT NULL, starts_at TEXT NOT NULL, starts_at_unix INTEGER NOT NULL," \
  "  ends_at TEXT NOT NULL, time_zone TEXT NOT NULL, location TEXT NOT NULL," \
  "  status TEXT NOT NULL, version INTEGER NOT NULL);" \
  "CREATE TABLE participants (meeting_id TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE," \
  "  position INTEGER NOT NULL, username TEXT NOT NULL, display_name TEXT NOT NULL," \
  "  role TEXT NOT NULL, PRIMARY KEY (meeting_id, position));" \
  "CREATE TABLE agenda_items (id TEXT PRIMARY KEY NOT NULL," \
  "  meeting_id TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE," \
  "  parent_id TEXT CHECK (parent_id IS NULL OR parent_id <> id), position INTEGER NOT NULL," \
  "  number TEXT NOT NULL, title TEXT NOT NULL, presenter TEXT NOT NULL," \
  "  description TEXT NOT NULL, version INTEGER NOT NULL, UNIQUE (id, meeting_id)," \
  "  FOREIGN KEY (parent_id, meeting_id) REFERENCES agenda_items (id, meeting_id) ON DELETE CASCADE);" \
  "CREATE TABLE documents (id TEXT PRIMARY KEY NOT NULL," \
  "  meeting_id TEXT NOT NULL REFERENCES meetings (id) ON DELETE CASCADE," \
  "  item_id TEXT NOT NULL, position INTEGER NOT NULL, title TEXT NOT NULL," \
  "  media_type TEXT NOT NULL, sha256 TEXT NOT NULL, size INTEGER NOT NULL," \
  "  pages INTEGER NOT NULL, version INTEGER NOT NULL," \
  "  FOREIGN KEY (item_id, meeting_id) REFERENCES agenda_items (id, meeting_id) ON DELETE CASCADE);"
