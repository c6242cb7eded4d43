/* docket-server-feed.c: the change feed of one user (docs/protocol.md, "How the
 * reference server computes it")
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>

#include "docket-server-db.h"

typedef struct {
  gint64        seq;
  guint         order;      /* insertion order, to keep a stable sort */
  DocketChange *change;
} FeedEntry;

typedef struct {
  DocketServerDb *db;
  GArray         *entries;  /* FeedEntry */
  guint           counter;
  gint64          since;
} Feed;

static void
feed_entry_clear (gpointer data)
{
  FeedEntry *entry = data;

  g_clear_pointer (&entry->change, docket_change_free);
}

static void
feed_add (Feed             *feed,
          gint64            seq,
          DocketChangeType  type,
          const char       *id,
          gpointer          record)
{
  FeedEntry entry = { seq, feed->counter++, NULL };

  entry.change = docket_change_new (type, id, record == NULL, record);
  g_array_append_val (feed->entries, entry);
}

static int
feed_entry_compare (gconstpointer a,
                    gconstpointer b)
{
  const FeedEntry *ea = a, *eb = b;

  if (ea->seq != eb->seq)
    return ea->seq < eb->seq ? -1 : 1;
  return ea->order < eb->order ? -1 : ea->order > eb->order ? 1 : 0;
}

/* A cursor is "EPOCH-SEQ": the epoch of the database's history (docket_server_db_get_epoch,
 * new after a restore) and the last sequence number the client has. A cursor of another
 * epoch, one ahead of the sequence, or a plain number (the servers before epochs) was
 * not issued by this history: the client must start again (docs/protocol.md). */
static char *
format_cursor (const char *epoch,
               gint64      seq)
{
  return g_strdup_printf ("%s-%" G_GINT64_FORMAT, epoch, seq);
}

static gboolean
parse_cursor (const char  *epoch,
              const char  *text,
              gint64       top,
              gint64      *out_value,
              GError     **error)
{
  gsize epoch_len = strlen (epoch);
  const char *number;
  char *end = NULL;
  gint64 value;

  if (text == NULL || *text == '\0')
    {
      *out_value = 0;
      return TRUE;
    }
  if (strncmp (text, epoch, epoch_len) != 0 || text[epoch_len] != '-')
    goto invalid;
  number = text + epoch_len + 1;
  errno = 0;
  value = g_ascii_strtoll (number, &end, 10);
  if (errno != 0 || end == number || *end != '\0' || value < 0 || value > top ||
      !g_ascii_isdigit (*number))
    goto invalid;
  *out_value = value;
  return TRUE;

invalid:
  g_set_error_literal (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_INVALID_CURSOR,
                       _("This server did not issue that cursor; sync from the beginning"));
  return FALSE;
}

static gboolean
add_meeting_id (sqlite3_stmt  *stmt,
                gpointer       ids,
                GError       **error)
{
  g_hash_table_add (ids, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  return TRUE;
}

/* The meetings this user sees now. */
static GHashTable *
visible_meetings (DocketServerDb          *db,
                  const DocketServerUser  *user,
                  GError                 **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  stmt = docket_server_db_prepare_with (db,
                                        "SELECT m.id FROM meetings m WHERE ?2 = 'admin'"
                                        " OR (?2 = 'secretary' AND m.organ = ?3)"
                                        " OR (m.status != 'draft' AND EXISTS (SELECT 1 FROM"
                                        "  participants p WHERE p.meeting_id = m.id AND p.user_id = ?1))",
                                        error,
                                        DOCKET_SERVER_DB_INT (user->id),
                                        DOCKET_SERVER_DB_TEXT (docket_role_to_string (user->role)),
                                        DOCKET_SERVER_DB_TEXT (user->organ));
  if (!docket_server_db_each_row (db, stmt, add_meeting_id, ids, error))
    return NULL;
  return g_steal_pointer (&ids);
}

/* The whole meeting: the meeting at seq, its items (parents first) and its documents
 * each at seq or at its own version if later, so that a page cut after seq does not send
 * them again. */
static gboolean
add_whole_meeting (Feed        *feed,
                   const char  *meeting_id,
                   gint64       seq,
                   GError     **error)
{
  DocketMeetingRecord *meeting;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) documents = NULL;

  meeting = docket_server_db_load_meeting (feed->db, meeting_id, error);
  if (meeting == NULL)
    return FALSE;
  feed_add (feed, seq, DOCKET_CHANGE_MEETING, meeting->id, meeting);

  items = docket_server_db_load_items (feed->db, meeting_id, error);
  if (items == NULL)
    return FALSE;
  for (guint i = 0; i < items->len; i++)
    {
      DocketAgendaItemRecord *item = g_ptr_array_index (items, i);

      g_ptr_array_index (items, i) = NULL;
      feed_add (feed, MAX (seq, item->version), DOCKET_CHANGE_AGENDA_ITEM, item->id, item);
    }

  documents = docket_server_db_load_documents (feed->db, meeting_id, error);
  if (documents == NULL)
    return FALSE;
  for (guint i = 0; i < documents->len; i++)
    {
      DocketDocumentRecord *document = g_ptr_array_index (documents, i);

      g_ptr_array_index (documents, i) = NULL;
      feed_add (feed, MAX (seq, document->version), DOCKET_CHANGE_DOCUMENT, document->id, document);
    }
  return TRUE;
}

/* The user's own annotations and notes (docket-server-annotations.c) of a meeting whose
 * visibility changed at seq: all of them (but those deleted) when it became visible,
 * each at seq or at its own revision if later; when it became invisible, each as a
 * deletion at seq. The server keeps them: they come back with the meeting. */
typedef struct {
  Feed     *feed;
  gint64    seq;
  gboolean  visible;
} OwnOfMeeting;

static gboolean
add_own_of_meeting (gint64             revision,
                    DocketChangeType   type,
                    const char        *id,
                    gpointer           record,
                    const char        *meeting_id,
                    gpointer           user_data,
                    GError           **error)
{
  OwnOfMeeting *own = user_data;

  if (own->visible)
    feed_add (own->feed, MAX (own->seq, revision), type, id, record);
  else
    {
      /* A deletion carries no data (id may be the record's: freed after). */
      feed_add (own->feed, own->seq, type, id, NULL);
      if (type == DOCKET_CHANGE_ANNOTATION)
        docket_annotation_record_free (record);
      else
        docket_note_record_free (record);
    }
  return TRUE;
}

static gboolean
add_own_data_of_meeting (Feed                    *feed,
                         const DocketServerUser  *user,
                         const char              *meeting_id,
                         gint64                   seq,
                         gboolean                 visible,
                         gint64                   top,
                         GError                 **error)
{
  OwnOfMeeting own = { feed, seq, visible };

  return docket_server_db_each_own_change (feed->db, user->id, meeting_id, -1, top, FALSE,
                                           add_own_of_meeting, &own, error);
}

typedef struct {
  Feed                   *feed;
  GHashTable             *visible;
  GHashTable             *changed;
  const DocketServerUser *user;
  gint64                  top;
} AccessChanges;

/* One row of the access query: the user's last change of view of one meeting. */
static gboolean
add_access_change (sqlite3_stmt  *stmt,
                   gpointer       user_data,
                   GError       **error)
{
  AccessChanges *changes = user_data;
  const char *meeting_id = (const char *) sqlite3_column_text (stmt, 0);
  gint64 seq = sqlite3_column_int64 (stmt, 1);

  if (g_hash_table_contains (changes->changed, meeting_id))
    return TRUE;
  g_hash_table_add (changes->changed, g_strdup (meeting_id));
  /* The access rows say it, but what the user sees now decides. */
  if (sqlite3_column_int (stmt, 2) && g_hash_table_contains (changes->visible, meeting_id))
    return add_whole_meeting (changes->feed, meeting_id, seq, error) &&
           add_own_data_of_meeting (changes->feed, changes->user, meeting_id, seq, TRUE,
                                    changes->top, error);
  feed_add (changes->feed, seq, DOCKET_CHANGE_MEETING, meeting_id, NULL);
  return add_own_data_of_meeting (changes->feed, changes->user, meeting_id, seq, FALSE,
                                  changes->top, error);
}

/* Step 1: meetings whose visibility changed in the window; returns their ids. */
static GHashTable *
add_access_changes (Feed                    *feed,
                    const DocketServerUser  *user,
                    gint64                   top,
                    GHashTable              *visible,
                    GError                 **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GHashTable) changed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  AccessChanges changes = { feed, visible, changed, user, top };

  stmt = docket_server_db_prepare_with (feed->db,
                                        "SELECT a.meeting_id, a.seq, a.visible FROM access a"
                                        " WHERE a.user_id = ?1 AND a.seq > ?2 AND a.seq <= ?3"
                                        " AND a.seq = (SELECT MAX (b.seq) FROM access b"
                                        "  WHERE b.user_id = a.user_id AND b.meeting_id = a.meeting_id"
                                        "  AND b.seq <= ?3)", error,
                                        DOCKET_SERVER_DB_INT (user->id),
                                        DOCKET_SERVER_DB_INT (feed->since),
                                        DOCKET_SERVER_DB_INT (top));
  if (!docket_server_db_each_row (feed->db, stmt, add_access_change, &changes, error))
    return NULL;
  return g_steal_pointer (&changed);
}

/* Step 2: for the other meetings the user sees, what changed in the window. */
static gboolean
add_entity_changes (Feed        *feed,
                    const char  *meeting_id,
                    gint64       top,
                    GError     **error)
{
  g_autoptr(DocketMeetingRecord) meeting = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) documents = NULL;

  meeting = docket_server_db_load_meeting (feed->db, meeting_id, error);
  if (meeting == NULL)
    return FALSE;
  if (meeting->version > feed->since && meeting->version <= top)
    {
      DocketMeetingRecord *record = g_steal_pointer (&meeting);

      feed_add (feed, record->version, DOCKET_CHANGE_MEETING, record->id, record);
    }

  items = docket_server_db_load_items (feed->db, meeting_id, error);
  if (items == NULL)
    return FALSE;
  for (guint i = 0; i < items->len; i++)
    {
      DocketAgendaItemRecord *item = g_ptr_array_index (items, i);

      if (item->version <= feed->since || item->version > top)
        continue;
      g_ptr_array_index (items, i) = NULL;
      feed_add (feed, item->version, DOCKET_CHANGE_AGENDA_ITEM, item->id, item);
    }

  documents = docket_server_db_load_documents (feed->db, meeting_id, error);
  if (documents == NULL)
    return FALSE;
  for (guint i = 0; i < documents->len; i++)
    {
      DocketDocumentRecord *document = g_ptr_array_index (documents, i);

      if (document->version <= feed->since || document->version > top)
        continue;
      g_ptr_array_index (documents, i) = NULL;
      feed_add (feed, document->version, DOCKET_CHANGE_DOCUMENT, document->id, document);
    }
  return TRUE;
}

typedef struct {
  Feed       *feed;
  GHashTable *visible;
} Tombstones;

static gboolean
add_tombstone (sqlite3_stmt  *stmt,
               gpointer       user_data,
               GError       **error)
{
  Tombstones *tombstones = user_data;
  const char *type = (const char *) sqlite3_column_text (stmt, 1);

  if (g_hash_table_contains (tombstones->visible, sqlite3_column_text (stmt, 3)))
    feed_add (tombstones->feed, sqlite3_column_int64 (stmt, 0),
              g_str_equal (type, "document") ? DOCKET_CHANGE_DOCUMENT : DOCKET_CHANGE_AGENDA_ITEM,
              (const char *) sqlite3_column_text (stmt, 2), NULL);
  return TRUE;
}

/* Step 3: deletions of items and documents of the meetings the user sees. */
static gboolean
add_tombstones (Feed        *feed,
                GHashTable  *visible,
                gint64       top,
                GError     **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  Tombstones tombstones = { feed, visible };

  stmt = docket_server_db_prepare_with (feed->db,
                                        "SELECT seq, type, id, meeting_id FROM tombstones"
                                        " WHERE seq > ? AND seq <= ? ORDER BY seq", error,
                                        DOCKET_SERVER_DB_INT (feed->since), DOCKET_SERVER_DB_INT (top));
  return docket_server_db_each_row (feed->db, stmt, add_tombstone, &tombstones, error);
}

/* Step 4: the user's own annotations and notes changed in the window, in the meetings
 * they see whose visibility did not change (step 1 sent those whole). Nobody else's. */
typedef struct {
  Feed       *feed;
  GHashTable *visible;
  GHashTable *changed;
} OwnChanges;

static gboolean
add_own_change (gint64             revision,
                DocketChangeType   type,
                const char        *id,
                gpointer           record,
                const char        *meeting_id,
                gpointer           user_data,
                GError           **error)
{
  OwnChanges *own = user_data;

  if (g_hash_table_contains (own->visible, meeting_id) &&
      !g_hash_table_contains (own->changed, meeting_id))
    feed_add (own->feed, revision, type, id, record);
  else if (type == DOCKET_CHANGE_ANNOTATION)
    docket_annotation_record_free (record);
  else
    docket_note_record_free (record);
  return TRUE;
}

static gboolean
add_own_changes (Feed                    *feed,
                 const DocketServerUser  *user,
                 GHashTable              *visible,
                 GHashTable              *changed,
                 gint64                   top,
                 GError                 **error)
{
  OwnChanges own = { feed, visible, changed };

  return docket_server_db_each_own_change (feed->db, user->id, NULL, feed->since, top, TRUE,
                                           add_own_change, &own, error);
}

/* An item changed in the window may come, by sequence number, before its parent when
 * the parent was changed after it. A client that does not have the parent yet needs it
 * first: put a copy of each such ancestor just before, at the same number. */
static GArray *
order_parents_first (Feed *feed)
{
  g_autoptr(GHashTable) pending = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) emitted = g_hash_table_new (g_str_hash, g_str_equal);
  GArray *out = g_array_new (FALSE, FALSE, sizeof (FeedEntry));

  for (guint i = 0; i < feed->entries->len; i++)
    {
      FeedEntry *entry = &g_array_index (feed->entries, FeedEntry, i);

      if (entry->change->type == DOCKET_CHANGE_AGENDA_ITEM && !entry->change->deleted)
        g_hash_table_insert (pending, entry->change->id, entry->change->record);
    }

  for (guint i = 0; i < feed->entries->len; i++)
    {
      FeedEntry entry = g_array_index (feed->entries, FeedEntry, i);
      const char *parent_id = NULL;
      g_autoptr(GPtrArray) chain = g_ptr_array_new ();

      if (entry.change->deleted)
        ;
      else if (entry.change->type == DOCKET_CHANGE_AGENDA_ITEM)
        parent_id = ((DocketAgendaItemRecord *) entry.change->record)->parent_id;
      else if (entry.change->type == DOCKET_CHANGE_DOCUMENT)
        parent_id = ((DocketDocumentRecord *) entry.change->record)->item_id;

      /* Ancestors still to come, nearest first. */
      while (parent_id != NULL && !g_hash_table_contains (emitted, parent_id))
        {
          DocketAgendaItemRecord *parent = g_hash_table_lookup (pending, parent_id);

          if (parent == NULL)
            break;
          g_ptr_array_add (chain, parent);
          parent_id = parent->parent_id;
        }
      for (guint j = chain->len; j > 0; j--)
        {
          DocketAgendaItemRecord *parent = g_ptr_array_index (chain, j - 1);
          FeedEntry copy = { entry.seq, 0, NULL };

          copy.change = docket_change_new (DOCKET_CHANGE_AGENDA_ITEM, parent->id, FALSE,
                                           docket_agenda_item_record_copy (parent));
          g_array_append_val (out, copy);
          g_hash_table_add (emitted, copy.change->id);
        }

      if (entry.change->type == DOCKET_CHANGE_AGENDA_ITEM && !entry.change->deleted &&
          g_hash_table_contains (emitted, entry.change->id))
        {
          /* Already sent, just before a sub-item of it: the same data. */
          docket_change_free (entry.change);
          continue;
        }
      if (entry.change->type == DOCKET_CHANGE_AGENDA_ITEM && !entry.change->deleted)
        g_hash_table_add (emitted, entry.change->id);
      g_array_append_val (out, entry);
    }

  /* The entries moved to out: nothing left to free in feed->entries. */
  g_array_set_clear_func (feed->entries, NULL);
  return out;
}

DocketChangesPage *
docket_server_db_changes (DocketServerDb          *self,
                          const DocketServerUser  *user,
                          const char              *since,
                          guint                    limit,
                          GError                 **error)
{
  g_autoptr(DocketChangesPage) page = docket_changes_page_new ();
  g_autoptr(GHashTable) visible = NULL;
  g_autoptr(GHashTable) changed = NULL;
  g_autoptr(GArray) entries = g_array_new (FALSE, FALSE, sizeof (FeedEntry));
  g_autoptr(GArray) ordered = NULL;
  Feed feed = { self, entries, 0, 0 };
  GHashTableIter iter;
  gpointer key;
  gint64 top;
  gint64 cursor;
  guint kept = 0;

  g_array_set_clear_func (entries, feed_entry_clear);

  /* One read transaction: the whole page sees one state of the database. */
  if (!docket_server_db_exec (self, "BEGIN", error))
    return NULL;
  if ((top = docket_server_db_get_top_seq (self, error)) < 0 ||
      !parse_cursor (docket_server_db_get_epoch (self), since, top, &feed.since, error) ||
      (visible = visible_meetings (self, user, error)) == NULL ||
      (changed = add_access_changes (&feed, user, top, visible, error)) == NULL)
    goto fail;

  g_hash_table_iter_init (&iter, visible);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (changed, key) &&
        !add_entity_changes (&feed, key, top, error))
      goto fail;
  if (!add_tombstones (&feed, visible, top, error) ||
      !add_own_changes (&feed, user, visible, changed, top, error))
    goto fail;
  docket_server_db_rollback (self);

  g_array_sort (entries, feed_entry_compare);
  ordered = order_parents_first (&feed);
  g_array_set_clear_func (ordered, feed_entry_clear);

  /* Cut after limit changes, never inside one sequence number; a first number with more
   * changes than limit still goes whole. */
  cursor = top;
  page->more = FALSE;
  while (kept < ordered->len)
    {
      gint64 seq = g_array_index (ordered, FeedEntry, kept).seq;
      guint end = kept;

      while (end < ordered->len && g_array_index (ordered, FeedEntry, end).seq == seq)
        end++;
      if (kept > 0 && end > limit)
        {
          page->more = TRUE;
          cursor = g_array_index (ordered, FeedEntry, kept - 1).seq;
          break;
        }
      kept = end;
    }
  for (guint i = 0; i < kept; i++)
    {
      FeedEntry *entry = &g_array_index (ordered, FeedEntry, i);

      g_ptr_array_add (page->changes, g_steal_pointer (&entry->change));
    }
  page->cursor = format_cursor (docket_server_db_get_epoch (self), cursor);
  return g_steal_pointer (&page);

fail:
  docket_server_db_rollback (self);
  return NULL;
}
