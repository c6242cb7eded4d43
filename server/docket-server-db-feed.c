/* docket-server-db-feed.c: the change feed of one user (docs/protocol.md, "How the
 * reference server computes it")
 *
 * A request reads what changed after its cursor, not what the user sees: the access
 * rows, versions, tombstones and revisions above the cursor (each through an index on
 * its sequence column), testing the visibility of those rows' meetings only. Changes
 * are ordered by (sequence number, type, id), and a page may end after any of them,
 * inside one sequence number too, so that no page breaks the limits every client
 * enforces (the request's limit, DOCKET_MAX_CHANGES_PER_PAGE, DOCKET_MAX_JSON_RESPONSE_BYTES);
 * the cursor then says where inside that number to resume.
 *
 * Keeps no state between calls: any connection, from any one thread at a time.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "docket-protocol.h"
#include "docket-server-db-feed-private.h"

/* What surrounds the changes in a page: {"cursor": at most 128 bytes, "more": ...}. */
#define PAGE_ENVELOPE_BYTES 1024

/* Testing knobs (docs/architecture.md, "The server"): a smaller byte budget for pages,
 * and a line on standard error per request with the SQLite steps the feed took. */
#define PAGE_BYTES_ENV   "DOCKET_SERVER_FEED_PAGE_BYTES"
#define FEED_STATS_ENV   "DOCKET_SERVER_FEED_STATS"

/* Where a client stands: after every change numbered up to seq, or, when inside, after
 * the change (type, id) of number seq and before the rest of that number. */
struct FeedCursor {
  gint64            seq;
  gboolean          inside;
  DocketChangeType  type;
  char             *id;
};

/* What the user sees now, per meeting, found out once per request. */
enum {
  MEETING_HIDDEN = 1,
  MEETING_VISIBLE = 2,
};

static void
feed_cursor_clear (FeedCursor *cursor)
{
  g_clear_pointer (&cursor->id, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FeedCursor, feed_cursor_clear)

/* Cursors: the only place that knows their text, "EPOCH-SEQ" or "EPOCH-SEQ.TYPE.ID". The
 * epoch is that of the database's history (docket_server_db_get_epoch: new after a
 * restore); SEQ the last number the client has, and inside a number, TYPE.ID the last
 * change of it the client has. A cursor of another epoch, one ahead of the sequence, or a
 * plain number (the servers before epochs) was not issued by this history: the client
 * must start again (docs/protocol.md). */

static gboolean
invalid_cursor (GError **error)
{
  g_set_error_literal (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_INVALID_CURSOR,
                       _("This server did not issue that cursor; sync from the beginning"));
  return FALSE;
}

static gboolean
parse_cursor (const char  *epoch,
              const char  *text,
              gint64       top,
              FeedCursor  *out,
              GError     **error)
{
  g_auto(GStrv) parts = NULL;
  gsize epoch_len = strlen (epoch);
  guint64 seq;
  guint64 type;
  guint n;

  out->seq = 0;
  out->inside = FALSE;
  out->id = NULL;
  if (text == NULL || *text == '\0')
    return TRUE;

  if (strncmp (text, epoch, epoch_len) != 0 || text[epoch_len] != '-')
    return invalid_cursor (error);
  parts = g_strsplit (text + epoch_len + 1, ".", 3);
  n = g_strv_length (parts);
  if ((n != 1 && n != 3) ||
      !g_ascii_isdigit (parts[0][0]) ||
      !g_ascii_string_to_unsigned (parts[0], 10, 0, (guint64) top, &seq, NULL))
    return invalid_cursor (error);
  if (n == 3 &&
      (seq == 0 || !g_ascii_isdigit (parts[1][0]) ||
       !g_ascii_string_to_unsigned (parts[1], 10, DOCKET_CHANGE_MEETING, DOCKET_CHANGE_SPEECH,
                                    &type, NULL) ||
       !docket_protocol_id_is_valid (parts[2])))
    return invalid_cursor (error);

  out->seq = (gint64) seq;
  if (n == 3)
    {
      out->inside = TRUE;
      out->type = (DocketChangeType) type;
      out->id = g_strdup (parts[2]);
    }
  return TRUE;
}

static char *
format_cursor (const char       *epoch,
               const FeedCursor *cursor)
{
  if (!cursor->inside)
    return g_strdup_printf ("%s-%" G_GINT64_FORMAT, epoch, cursor->seq);
  return g_strdup_printf ("%s-%" G_GINT64_FORMAT ".%d.%s", epoch, cursor->seq,
                          (int) cursor->type, cursor->id);
}

/* The feed's order: by number, then type (meetings, items, documents, annotations,
 * notes, meeting states, attendance, speeches: the order of DocketChangeType, whose
 * values the cursor's type codes are), then id. */
static int
compare_position (gint64            seq_a,
                  DocketChangeType  type_a,
                  const char       *id_a,
                  gint64            seq_b,
                  DocketChangeType  type_b,
                  const char       *id_b)
{
  if (seq_a != seq_b)
    return seq_a < seq_b ? -1 : 1;
  if (type_a != type_b)
    return type_a < type_b ? -1 : 1;
  return strcmp (id_a, id_b);
}

static int
feed_entry_compare (gconstpointer a,
                    gconstpointer b)
{
  const FeedEntry *ea = a, *eb = b;

  return compare_position (ea->seq, ea->change->type, ea->change->id,
                           eb->seq, eb->change->type, eb->change->id);
}

static gboolean
entry_is_after (const FeedEntry  *entry,
                const FeedCursor *cursor)
{
  if (!cursor->inside)
    return entry->seq > cursor->seq;
  return compare_position (entry->seq, entry->change->type, entry->change->id,
                           cursor->seq, cursor->type, cursor->id) > 0;
}

static void
feed_entry_clear (gpointer data)
{
  FeedEntry *entry = data;

  g_clear_pointer (&entry->change, docket_change_free);
}

void
docket_server_db_feed_add (Feed             *feed,
          gint64            seq,
          DocketChangeType  type,
          const char       *id,
          gpointer          record)
{
  FeedEntry entry = { seq, NULL };

  entry.change = docket_change_new (type, id, record == NULL, record);
  g_array_append_val (feed->entries, entry);
}

static void
free_own_record (DocketChangeType type,
                 gpointer         record)
{
  if (type == DOCKET_CHANGE_ANNOTATION)
    docket_annotation_record_free (record);
  else
    docket_note_record_free (record);
}

/* Whether the user sees the meeting now (a meeting deleted since is not seen). */
static gboolean
feed_sees (Feed        *feed,
           const char  *meeting_id,
           gboolean    *out_visible,
           GError     **error)
{
  gpointer known = g_hash_table_lookup (feed->seen, meeting_id);

  if (known == NULL)
    {
      g_autoptr(GError) local_error = NULL;
      gboolean visible = docket_server_db_user_sees_meeting (feed->db, feed->user, meeting_id,
                                                             &local_error);

      if (!visible && !g_error_matches (local_error, DOCKET_SERVER_ERROR,
                                        DOCKET_SERVER_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      known = GINT_TO_POINTER (visible ? MEETING_VISIBLE : MEETING_HIDDEN);
      g_hash_table_insert (feed->seen, g_strdup (meeting_id), known);
    }
  *out_visible = GPOINTER_TO_INT (known) == MEETING_VISIBLE;
  return TRUE;
}

/* Whether a row of the meeting that changed in the window goes to the user by itself:
 * they see the meeting, and its visibility did not change (step 1 sends those whole). */
gboolean
docket_server_db_feed_follows (Feed        *feed,
              const char  *meeting_id,
              gboolean    *out_follows,
              GError     **error)
{
  if (g_hash_table_contains (feed->access, meeting_id))
    {
      *out_follows = FALSE;
      return TRUE;
    }
  return feed_sees (feed, meeting_id, out_follows, error);
}

/* Step 1: the meetings whose visibility changed in the window. */

/* The whole meeting: the meeting at seq, its items, its documents and its live records
 * (docket-server-db-feed-live.c) each at seq or at its own version if later, so that a
 * later page does not send them again. */
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
  docket_server_db_feed_add (feed, seq, DOCKET_CHANGE_MEETING, meeting->id, meeting);

  items = docket_server_db_load_items (feed->db, meeting_id, error);
  if (items == NULL)
    return FALSE;
  for (guint i = 0; i < items->len; i++)
    {
      DocketAgendaItemRecord *item = g_ptr_array_index (items, i);

      g_ptr_array_index (items, i) = NULL;
      docket_server_db_feed_add (feed, MAX (seq, item->version), DOCKET_CHANGE_AGENDA_ITEM, item->id, item);
    }

  documents = docket_server_db_load_documents (feed->db, meeting_id, error);
  if (documents == NULL)
    return FALSE;
  for (guint i = 0; i < documents->len; i++)
    {
      DocketDocumentRecord *document = g_ptr_array_index (documents, i);

      g_ptr_array_index (documents, i) = NULL;
      docket_server_db_feed_add (feed, MAX (seq, document->version), DOCKET_CHANGE_DOCUMENT, document->id, document);
    }
  return docket_server_db_feed_add_whole_live (feed, meeting_id, seq, error);
}

/* The user's own annotations and notes (docket-server-db-annotations.c) of a meeting whose
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
    docket_server_db_feed_add (own->feed, MAX (own->seq, revision), type, id, record);
  else
    {
      /* A deletion carries no data (id may be the record's: freed after). */
      docket_server_db_feed_add (own->feed, own->seq, type, id, NULL);
      free_own_record (type, record);
    }
  return TRUE;
}

static gboolean
add_own_data_of_meeting (Feed        *feed,
                         const char  *meeting_id,
                         gint64       seq,
                         gboolean     visible,
                         GError     **error)
{
  OwnOfMeeting own = { feed, seq, visible };

  return docket_server_db_each_own_change (feed->db, feed->user->id, meeting_id, -1, feed->top,
                                           FALSE, add_own_of_meeting, &own, error);
}

static gboolean
add_access_row (sqlite3_stmt  *stmt,
                gpointer       user_data,
                GError       **error)
{
  Feed *feed = user_data;
  gint64 *seq = g_new (gint64, 1);

  *seq = sqlite3_column_int64 (stmt, 1);
  g_hash_table_insert (feed->access, g_strdup ((const char *) sqlite3_column_text (stmt, 0)), seq);
  return TRUE;
}

static gboolean
read_access_rows (Feed    *feed,
                  GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  /* The access rows in the window only (index access_user): the last one of each
   * meeting. */
  stmt = docket_server_db_prepare_with (feed->db,
                                        "SELECT meeting_id, MAX (seq) FROM access"
                                        " WHERE user_id = ?1 AND seq > ?2 AND seq <= ?3"
                                        " GROUP BY meeting_id", error,
                                        DOCKET_SERVER_DB_INT (feed->user->id),
                                        DOCKET_SERVER_DB_INT (feed->since),
                                        DOCKET_SERVER_DB_INT (feed->top));
  return docket_server_db_each_row (feed->db, stmt, add_access_row, feed, error);
}

typedef struct {
  const char *meeting_id;
  gint64      seq;
} AccessChange;

static int
access_change_compare (gconstpointer a,
                       gconstpointer b)
{
  const AccessChange *ca = a, *cb = b;

  if (ca->seq != cb->seq)
    return ca->seq < cb->seq ? -1 : 1;
  return strcmp (ca->meeting_id, cb->meeting_id);
}

/* The entries after the cursor numbered below seq. */
static guint
count_entries_before (Feed   *feed,
                      gint64  seq)
{
  guint n = 0;

  for (guint i = 0; i < feed->entries->len; i++)
    {
      const FeedEntry *entry = &g_array_index (feed->entries, FeedEntry, i);

      if (entry->seq < seq && entry_is_after (entry, feed->cursor))
        n++;
    }
  return n;
}

/* Step 1, after the others: the meetings whose visibility changed, whole or deleted, by
 * number. Everything of such a meeting comes at its access row's number or later: once
 * the window holds a full page before that number, this meeting and those after it
 * cannot reach this page, and are not read (feed->horizon); a first sync of a big archive
 * reads about a page of meetings per page, not the archive. */
static gboolean
add_access_changes (Feed    *feed,
                    GError **error)
{
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (AccessChange));
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, feed->access);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      AccessChange change = { key, *(gint64 *) value };

      g_array_append_val (changes, change);
    }
  g_array_sort (changes, access_change_compare);

  for (guint i = 0; i < changes->len; i++)
    {
      const AccessChange *change = &g_array_index (changes, AccessChange, i);
      gboolean visible;

      if (count_entries_before (feed, change->seq) >= feed->page_limit)
        {
          feed->horizon = change->seq;
          return TRUE;
        }

      /* The access rows say it changed; what the user sees now decides how. */
      if (!feed_sees (feed, change->meeting_id, &visible, error))
        return FALSE;
      if (visible)
        {
          if (!add_whole_meeting (feed, change->meeting_id, change->seq, error))
            return FALSE;
        }
      else
        docket_server_db_feed_add (feed, change->seq, DOCKET_CHANGE_MEETING, change->meeting_id, NULL);
      if (!add_own_data_of_meeting (feed, change->meeting_id, change->seq, visible, error))
        return FALSE;
    }
  return TRUE;
}

/* Step 2: meetings, items and documents whose version is in the window, of the meetings
 * the user follows (their live records: docket_server_db_feed_add_live_changes). */

static gboolean
add_changed_row (sqlite3_stmt  *stmt,
                 DocketChangeType type,
                 Feed          *feed,
                 GError       **error)
{
  const char *id = (const char *) sqlite3_column_text (stmt, 0);
  const char *meeting_id = (const char *) sqlite3_column_text (stmt, 1);
  gint64 version = sqlite3_column_int64 (stmt, 2);
  gpointer record = NULL;
  gboolean follows;

  if (!docket_server_db_feed_follows (feed, meeting_id, &follows, error))
    return FALSE;
  if (!follows)
    return TRUE;

  switch (type)
    {
    case DOCKET_CHANGE_MEETING:
      record = docket_server_db_load_meeting (feed->db, id, error);
      break;
    case DOCKET_CHANGE_AGENDA_ITEM:
      record = docket_server_db_load_item (feed->db, id, error);
      break;
    case DOCKET_CHANGE_DOCUMENT:
      record = docket_server_db_load_document (feed->db, id, error);
      break;
    default:
      g_assert_not_reached ();
    }
  if (record == NULL)
    return FALSE;
  docket_server_db_feed_add (feed, version, type, id, record);
  return TRUE;
}

static gboolean
add_changed_meeting (sqlite3_stmt  *stmt,
                     gpointer       feed,
                     GError       **error)
{
  return add_changed_row (stmt, DOCKET_CHANGE_MEETING, feed, error);
}

static gboolean
add_changed_item (sqlite3_stmt  *stmt,
                  gpointer       feed,
                  GError       **error)
{
  return add_changed_row (stmt, DOCKET_CHANGE_AGENDA_ITEM, feed, error);
}

static gboolean
add_changed_document (sqlite3_stmt  *stmt,
                      gpointer       feed,
                      GError       **error)
{
  return add_changed_row (stmt, DOCKET_CHANGE_DOCUMENT, feed, error);
}

static gboolean
add_changed_rows (Feed                   *feed,
                  const char             *sql,
                  DocketServerDbRowFunc   func,
                  GError                **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = docket_server_db_prepare_with (feed->db, sql, error,
                                        DOCKET_SERVER_DB_INT (feed->since),
                                        DOCKET_SERVER_DB_INT (feed->top));
  return docket_server_db_each_row (feed->db, stmt, func, feed, error);
}

static gboolean
add_entity_changes (Feed    *feed,
                    GError **error)
{
  /* Each through its index on version (docket-server-db-schema.c, feed_indexes_sql). */
  return add_changed_rows (feed,
                           "SELECT id, id, version FROM meetings"
                           " WHERE version > ?1 AND version <= ?2",
                           add_changed_meeting, error) &&
         add_changed_rows (feed,
                           "SELECT id, meeting_id, version FROM items"
                           " WHERE version > ?1 AND version <= ?2",
                           add_changed_item, error) &&
         add_changed_rows (feed,
                           "SELECT id, meeting_id, version FROM documents"
                           " WHERE version > ?1 AND version <= ?2",
                           add_changed_document, error);
}

/* Step 3: deletions of items and documents of the meetings the user sees (those whose
 * visibility changed too: the client may hold them from before a loss and a regain). */

static gboolean
add_tombstone (sqlite3_stmt  *stmt,
               gpointer       user_data,
               GError       **error)
{
  Feed *feed = user_data;
  const char *type = (const char *) sqlite3_column_text (stmt, 1);
  gboolean visible;

  if (!feed_sees (feed, (const char *) sqlite3_column_text (stmt, 3), &visible, error))
    return FALSE;
  if (visible)
    docket_server_db_feed_add (feed, sqlite3_column_int64 (stmt, 0),
              g_str_equal (type, "document") ? DOCKET_CHANGE_DOCUMENT : DOCKET_CHANGE_AGENDA_ITEM,
              (const char *) sqlite3_column_text (stmt, 2), NULL);
  return TRUE;
}

static gboolean
add_tombstones (Feed    *feed,
                GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = docket_server_db_prepare_with (feed->db,
                                        "SELECT seq, type, id, meeting_id FROM tombstones"
                                        " WHERE seq > ? AND seq <= ?", error,
                                        DOCKET_SERVER_DB_INT (feed->since),
                                        DOCKET_SERVER_DB_INT (feed->top));
  return docket_server_db_each_row (feed->db, stmt, add_tombstone, feed, error);
}

/* Step 4: the user's own annotations and notes changed in the window, in the meetings
 * they follow. Nobody else's. */

static gboolean
add_own_change (gint64             revision,
                DocketChangeType   type,
                const char        *id,
                gpointer           record,
                const char        *meeting_id,
                gpointer           user_data,
                GError           **error)
{
  Feed *feed = user_data;
  gboolean follows;

  if (!docket_server_db_feed_follows (feed, meeting_id, &follows, error))
    {
      free_own_record (type, record);
      return FALSE;
    }
  if (follows)
    docket_server_db_feed_add (feed, revision, type, id, record);
  else
    free_own_record (type, record);
  return TRUE;
}

static gboolean
add_own_changes (Feed    *feed,
                 GError **error)
{
  return docket_server_db_each_own_change (feed->db, feed->user->id, NULL, feed->since,
                                           feed->top, TRUE, add_own_change, feed, error);
}

/* Building the page. A client applies each page in one transaction whose foreign keys
 * must hold at its end: every item and document it keeps needs its meeting and its
 * parent item, every live record its meeting. Those the client does not hold yet come
 * later in the window (a parent changed after its sub-item, a meeting changed after its
 * items); a copy of each is put just before the change that needs it, in the same page. */

typedef struct {
  DocketChangesPage *page;
  guint              limit;
  gsize              budget;       /* bytes of changes */
  gsize              bytes;
  GHashTable        *pending_meetings;  /* id → DocketMeetingRecord*, in the window */
  GHashTable        *pending_items;     /* id → DocketAgendaItemRecord*, in the window */
  GHashTable        *sent_meetings;     /* ids in this page */
  GHashTable        *sent_items;
} PageBuilder;

static gsize
change_json_bytes (const DocketChange *change)
{
  g_autoptr(JsonNode) node = docket_change_to_json (change);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;
  gsize length = 0;

  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, &length);
  return length + 1;   /* and the comma after it */
}

static void
note_pending (PageBuilder *builder,
              GArray      *entries,
              guint        from)
{
  for (guint i = from; i < entries->len; i++)
    {
      DocketChange *change = g_array_index (entries, FeedEntry, i).change;

      if (change->deleted)
        continue;
      if (change->type == DOCKET_CHANGE_MEETING)
        g_hash_table_insert (builder->pending_meetings, change->id, change->record);
      else if (change->type == DOCKET_CHANGE_AGENDA_ITEM)
        g_hash_table_insert (builder->pending_items, change->id, change->record);
    }
}

/* The copies a change needs before it (its meeting, then its ancestors from the top),
 * of what comes later in the window and is not in the page yet. */
static void
collect_copies (PageBuilder        *builder,
                const DocketChange *change,
                GPtrArray          *unit)
{
  g_autoptr(GPtrArray) chain = g_ptr_array_new ();
  const char *meeting_id = NULL;
  const char *parent_id = NULL;
  DocketMeetingRecord *meeting;

  if (change->deleted)
    return;
  if (change->type == DOCKET_CHANGE_AGENDA_ITEM)
    {
      meeting_id = ((DocketAgendaItemRecord *) change->record)->meeting_id;
      parent_id = ((DocketAgendaItemRecord *) change->record)->parent_id;
    }
  else if (change->type == DOCKET_CHANGE_DOCUMENT)
    {
      meeting_id = ((DocketDocumentRecord *) change->record)->meeting_id;
      parent_id = ((DocketDocumentRecord *) change->record)->item_id;
    }
  else if ((meeting_id = docket_server_db_feed_live_meeting_id (change)) == NULL)
    return;

  meeting = g_hash_table_lookup (builder->pending_meetings, meeting_id);
  if (meeting != NULL && !g_hash_table_contains (builder->sent_meetings, meeting_id))
    g_ptr_array_add (unit, docket_change_new (DOCKET_CHANGE_MEETING, meeting->id, FALSE,
                                              docket_meeting_record_copy (meeting)));

  /* Ancestors still to come, nearest first. */
  while (parent_id != NULL && !g_hash_table_contains (builder->sent_items, parent_id))
    {
      DocketAgendaItemRecord *parent = g_hash_table_lookup (builder->pending_items, parent_id);

      if (parent == NULL || chain->len > DOCKET_MAX_POSITION)
        break;
      g_ptr_array_add (chain, parent);
      parent_id = parent->parent_id;
    }
  for (guint j = chain->len; j > 0; j--)
    {
      DocketAgendaItemRecord *parent = g_ptr_array_index (chain, j - 1);

      g_ptr_array_add (unit, docket_change_new (DOCKET_CHANGE_AGENDA_ITEM, parent->id, FALSE,
                                                docket_agenda_item_record_copy (parent)));
    }
}

/* Whether the change was sent in this page already, as a copy before another. */
static gboolean
was_sent (PageBuilder        *builder,
          const DocketChange *change)
{
  if (change->deleted)
    return FALSE;
  if (change->type == DOCKET_CHANGE_MEETING)
    return g_hash_table_contains (builder->sent_meetings, change->id);
  if (change->type == DOCKET_CHANGE_AGENDA_ITEM)
    return g_hash_table_contains (builder->sent_items, change->id);
  return FALSE;
}

static void
mark_sent (PageBuilder        *builder,
           const DocketChange *change)
{
  if (change->deleted)
    return;
  if (change->type == DOCKET_CHANGE_MEETING)
    g_hash_table_add (builder->sent_meetings, change->id);
  else if (change->type == DOCKET_CHANGE_AGENDA_ITEM)
    g_hash_table_add (builder->sent_items, change->id);
}

/* Adds the entry (with the copies it needs) to the page if it fits; FALSE when the page
 * is full. The first entry of a page always goes. */
static gboolean
take_entry (PageBuilder *builder,
            FeedEntry   *entry)
{
  g_autoptr(GPtrArray) unit = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_change_free);
  gsize unit_bytes = 0;

  collect_copies (builder, entry->change, unit);
  if (!was_sent (builder, entry->change))
    g_ptr_array_add (unit, g_steal_pointer (&entry->change));

  for (guint i = 0; i < unit->len; i++)
    unit_bytes += change_json_bytes (g_ptr_array_index (unit, i));
  if (builder->page->changes->len > 0 &&
      (builder->page->changes->len + unit->len > builder->limit ||
       builder->bytes + unit_bytes > builder->budget))
    {
      /* Not taken: the entry keeps its change. */
      if (entry->change == NULL)
        entry->change = g_ptr_array_steal_index (unit, unit->len - 1);
      return FALSE;
    }

  for (guint i = 0; i < unit->len; i++)
    mark_sent (builder, g_ptr_array_index (unit, i));
  builder->bytes += unit_bytes;
  g_ptr_array_extend_and_steal (builder->page->changes, g_steal_pointer (&unit));
  return TRUE;
}

/* The byte budget of a page's changes: the client's limit, or a smaller one for tests. */
static gsize
page_byte_budget (void)
{
  const char *text = g_getenv (PAGE_BYTES_ENV);
  gsize budget = DOCKET_MAX_JSON_RESPONSE_BYTES - PAGE_ENVELOPE_BYTES;
  guint64 value;

  if (text != NULL && g_ascii_string_to_unsigned (text, 10, 1, budget, &value, NULL))
    budget = (gsize) value;
  return budget;
}

/* Fills page with the entries after cursor (sorted) and numbered below horizon, and sets
 * its cursor and more. */
static void
build_page (GArray            *entries,
            const char        *epoch,
            const FeedCursor  *cursor,
            gint64             top,
            gint64             horizon,
            guint              limit,
            DocketChangesPage *page)
{
  g_autoptr(GHashTable) pending_meetings = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) pending_items = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) sent_meetings = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) sent_items = g_hash_table_new (g_str_hash, g_str_equal);
  PageBuilder builder = { page, limit, page_byte_budget (), 0,
                          pending_meetings, pending_items, sent_meetings, sent_items };
  g_auto(FeedCursor) next = { top, FALSE, DOCKET_CHANGE_MEETING, NULL };
  gboolean cut = FALSE;
  guint i = 0;

  while (i < entries->len && !entry_is_after (&g_array_index (entries, FeedEntry, i), cursor))
    i++;
  note_pending (&builder, entries, i);

  for (; i < entries->len; i++)
    {
      FeedEntry *entry = &g_array_index (entries, FeedEntry, i);
      /* Its change may move into the page: keep its place in the feed's order first. */
      DocketChangeType type = entry->change->type;
      g_autofree char *id = g_strdup (entry->change->id);

      if (entry->seq >= horizon || !take_entry (&builder, entry))
        {
          cut = TRUE;
          break;
        }
      next.seq = entry->seq;
      next.type = type;
      g_free (next.id);
      next.id = g_steal_pointer (&id);
    }

  /* Past the horizon, the window was not read: there is more. */
  page->more = cut || horizon <= top;
  if (!page->more)
    {
      next.seq = top;
      next.inside = FALSE;
    }
  else
    {
      /* The horizon is set only after a page's worth of changes below it. */
      g_assert (next.id != NULL);
      /* Inside a number only when the page ends inside it (every change numbered below
       * the horizon was read). */
      next.inside = i < entries->len && g_array_index (entries, FeedEntry, i).seq == next.seq;
    }
  page->cursor = format_cursor (epoch, &next);
}

static int
count_step (void *counter)
{
  (*(guint64 *) counter)++;
  return 0;
}

DocketChangesPage *
docket_server_db_changes (DocketServerDb          *self,
                          const DocketServerUser  *user,
                          const char              *since,
                          guint                    limit,
                          GError                 **error)
{
  g_autoptr(DocketChangesPage) page = docket_changes_page_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) access = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GArray) entries = g_array_new (FALSE, FALSE, sizeof (FeedEntry));
  g_auto(FeedCursor) cursor = { 0 };
  Feed feed = { self, user, 0, 0, seen, access, entries, &cursor,
                MIN (limit, DOCKET_MAX_CHANGES_PER_PAGE), G_MAXINT64 };
  gboolean stats = g_getenv (FEED_STATS_ENV) != NULL;
  guint64 steps = 0;
  gboolean ok;

  g_array_set_clear_func (entries, feed_entry_clear);
  if (stats)
    sqlite3_progress_handler (docket_server_db_get_handle (self), 1, count_step, &steps);

  /* One read transaction: the whole page sees one state of the database. */
  ok = docket_server_db_exec (self, "BEGIN", error);
  if (ok)
    {
      ok = (feed.top = docket_server_db_get_top_seq (self, error)) >= 0 &&
           parse_cursor (docket_server_db_get_epoch (self), since, feed.top, &cursor, error);
      /* Inside a number, that number's changes are computed again, and those up to the
       * cursor's dropped. */
      feed.since = cursor.inside ? cursor.seq - 1 : cursor.seq;
      /* Steps 2 to 4 need to know the meetings of step 1, which comes last: it knows
       * then how much of it a page can take. */
      ok = ok &&
           read_access_rows (&feed, error) &&
           add_entity_changes (&feed, error) &&
           docket_server_db_feed_add_live_changes (&feed, error) &&
           add_tombstones (&feed, error) &&
           add_own_changes (&feed, error) &&
           add_access_changes (&feed, error);
      docket_server_db_rollback (self);
    }

  if (stats)
    {
      sqlite3_progress_handler (docket_server_db_get_handle (self), 0, NULL, NULL);
      g_printerr ("feed: user %s since %s: %u rows, %" G_GUINT64_FORMAT " steps\n",
                  user->username, since ? since : "0", entries->len, steps);
    }
  if (!ok)
    return NULL;

  g_array_sort (entries, feed_entry_compare);
  build_page (entries, docket_server_db_get_epoch (self), &cursor, feed.top, feed.horizon, feed.page_limit, page);
  return g_steal_pointer (&page);
}
