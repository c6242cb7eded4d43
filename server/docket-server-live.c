/* docket-server-live.c: DocketServerLive, the live channel's connections and their
 * fan-out (docs/protocol.md, "The live channel")
 *
 * Connections are kept by user. A batch of the fan-out reads, on a read-only connection
 * of its own, what was committed since the last batch (docket-server-db-channel.c): the
 * meetings that changed, whose audience it computes once each with the server's rule of
 * who sees what (docket_server_user_sees) and intersects with the connected users, and
 * the connected users whose own rows changed. Each connection of those users gets one
 * "changed" per batch, however many commits the batch took in. No statement runs per
 * connection: a thousand officials cost one read of the window, one per changed meeting,
 * and a loop in memory.
 *
 * Batches run after every commit of the server's own connection (SQLite's commit hook,
 * deferred to the main loop: the hook runs inside the commit) and when PRAGMA
 * data_version says another connection committed (polled every
 * DOCKET_SERVER_LIVE_POLL_MS: the command line, garbage collection). Tokens are checked
 * again, for every connection in one statement, at each heartbeat, after a commit of this
 * process that touched tokens or users, and after any commit of another connection (it
 * may have disabled a user, or changed a password); a connection whose token is dead is
 * closed with 4401.
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <string.h>
#include <sys/resource.h>

#include "docket-server-live.h"
#include "docket-server-live-input.h"

/* A user with live connections (or a place held for one). */
typedef struct {
  DocketServerUser *user;
  GPtrArray        *connections;   /* LiveConnection*, oldest first */
  guint             reserved;      /* admitted, not yet upgraded */
} LiveUser;

typedef struct {
  DocketServerLive        *live;         /* borrowed: it outlives its connections */
  LiveUser                *owner;        /* borrowed */
  SoupWebsocketConnection *connection;
  char                    *token_hash;
  gint64                   last_heard;   /* monotonic microseconds */
} LiveConnection;

/* The place an admitted message holds until its connection is accepted. */
typedef struct {
  DocketServerLive *live;
  gint64            user_id;
  char             *token_hash;
  gboolean          taken;
} Admission;

struct _DocketServerLive
{
  GObject          parent_instance;

  /* owned */
  DocketServerDb  *db;              /* the server's: its commits are watched */
  DocketServerDb  *reader;          /* our own, opened with the first connection */
  GHashTable      *users;           /* gint64* user id -> LiveUser* */

  guint            max_connections;
  guint            heartbeat_seconds;
  guint            n_connections;
  guint            n_reserved;

  /* the fan-out */
  gint64           last_seq;        /* the batches have told of everything up to it */
  gint64           data_version;    /* of reader, at the last poll */
  gboolean         watching;        /* there are connections: last_seq means something */
  gboolean         tokens_dirty;    /* a commit of ours touched tokens or users */
  gboolean         retry;           /* the last batch failed: run one at the next poll */
  gboolean         stats;           /* DOCKET_SERVER_LIVE_STATS: a log line per batch */
  guint            batch_source;
  guint            poll_source;
  guint            heartbeat_source;
};

G_DEFINE_TYPE (DocketServerLive, docket_server_live, G_TYPE_OBJECT)

#define CHANGED_MESSAGE "{\"type\":\"changed\"}"
#define ADMISSION_KEY   "docket-server-live-admission"
/* How long stopping the server waits for its clients to answer the close. */
#define CLOSE_ALL_WAIT_MS 1000

static void start_watching (DocketServerLive *self);
static void stop_watching  (DocketServerLive *self);

/* Users and connections */

static void
live_user_free (LiveUser *owner)
{
  g_clear_pointer (&owner->user, docket_server_user_free);
  g_clear_pointer (&owner->connections, g_ptr_array_unref);
  g_free (owner);
}

static LiveUser *
ensure_user (DocketServerLive       *self,
             const DocketServerUser *user)
{
  LiveUser *owner = g_hash_table_lookup (self->users, &user->id);

  if (owner == NULL)
    {
      gint64 *key = g_new (gint64, 1);

      owner = g_new0 (LiveUser, 1);
      owner->user = docket_server_user_copy (user);
      /* Never needed here, and best not kept in memory. */
      g_clear_pointer (&owner->user->password_hash, g_free);
      owner->connections = g_ptr_array_new ();
      *key = user->id;
      g_hash_table_insert (self->users, key, owner);
    }
  return owner;
}

static void
forget_user_if_idle (DocketServerLive *self,
                     LiveUser         *owner)
{
  if (owner->connections->len == 0 && owner->reserved == 0)
    g_hash_table_remove (self->users, &owner->user->id);
}

static void
live_connection_free (LiveConnection *connection)
{
  g_signal_handlers_disconnect_by_data (connection->connection, connection);
  g_clear_object (&connection->connection);
  g_free (connection->token_hash);
  g_free (connection);
}

static gboolean
is_open (LiveConnection *connection)
{
  return soup_websocket_connection_get_state (connection->connection) == SOUP_WEBSOCKET_STATE_OPEN;
}

/* A close frame holds 123 bytes of reason: a longer one (a translation) is cut by libsoup
 * anywhere, maybe inside a character, and a client refuses a reason that is not UTF-8. */
#define MAX_CLOSE_REASON_BYTES 123

static void
close_connection (LiveConnection *connection,
                  gushort         code,
                  const char     *reason)
{
  g_autofree char *cut = NULL;
  gsize length = strlen (reason);

  /* One close per connection: libsoup refuses a second. */
  if (!is_open (connection))
    return;
  if (length > MAX_CLOSE_REASON_BYTES)
    length = (gsize) (g_utf8_find_prev_char (reason, reason + MAX_CLOSE_REASON_BYTES + 1) - reason);
  cut = g_strndup (reason, length);
  soup_websocket_connection_close (connection->connection, code, cut);
}

static gboolean
backed_up (LiveConnection *connection)
{
  return docket_server_live_output_backed_up (soup_websocket_connection_get_io_stream (connection->connection));
}

/* A client that reads nothing: closed rather than told more, which libsoup would keep
 * in memory without a bound (its close frame waits too, until libsoup's close timeout
 * drops the connection). */
static void
close_backed_up (LiveConnection *connection)
{
  close_connection (connection, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION,
                    _("You read nothing of what the server sends"));
}

static void
send_changed (LiveConnection *connection)
{
  if (!is_open (connection))
    return;
  if (backed_up (connection))
    close_backed_up (connection);
  else
    soup_websocket_connection_send_text (connection->connection, CHANGED_MESSAGE);
}

static void
on_closed (SoupWebsocketConnection *socket,
           gpointer                 user_data)
{
  LiveConnection *connection = user_data;
  DocketServerLive *self = connection->live;
  LiveUser *owner = connection->owner;

  g_ptr_array_remove (owner->connections, connection);
  self->n_connections--;
  /* The request log's line for the channel, which libsoup does not log once upgraded. */
  g_printerr ("live close %s %u (%u open)\n", owner->user->username,
              soup_websocket_connection_get_close_code (socket), self->n_connections);
  live_connection_free (connection);
  forget_user_if_idle (self, owner);
  if (self->n_connections == 0)
    stop_watching (self);
}

static void
on_heard (LiveConnection *connection)
{
  connection->last_heard = g_get_monotonic_time ();
}

/* What a client sends is ignored (docs/protocol.md): it only shows that it is there.
 * One over DOCKET_SERVER_LIVE_MAX_MESSAGE_BYTES never gets here: DocketServerLiveInput
 * fails the read (libsoup's per-frame bound would too), and libsoup drops the
 * connection. */
static void
on_message (SoupWebsocketConnection *socket,
            gint                     type,
            GBytes                  *message,
            gpointer                 user_data)
{
  on_heard (user_data);
}

static void
on_pong (SoupWebsocketConnection *socket,
         GBytes                  *message,
         gpointer                 user_data)
{
  on_heard (user_data);
}

/* Admission: a place held from the handler to the upgrade */

static void
admission_free (gpointer data)
{
  Admission *admission = data;
  DocketServerLive *self = admission->live;

  if (!admission->taken)
    {
      /* The handshake failed or the client went away before the upgrade. */
      LiveUser *owner = g_hash_table_lookup (self->users, &admission->user_id);

      self->n_reserved--;
      if (owner != NULL)
        {
          owner->reserved--;
          forget_user_if_idle (self, owner);
        }
    }
  g_object_unref (admission->live);
  g_free (admission->token_hash);
  g_free (admission);
}

static void accept_connection (DocketServerLive        *self,
                               SoupServerMessage       *msg,
                               SoupWebsocketConnection *socket);

/* The 101 is written: the connection is ours, read through the watch on the size of
 * messages (libsoup's own bound is per frame, see docket-server-live-input.h). */
static void
on_upgraded (SoupServerMessage *msg,
             gpointer           user_data)
{
  DocketServerLive *self = user_data;
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(GIOStream) watched = NULL;
  g_autoptr(SoupWebsocketConnection) socket = NULL;
  const char *origin;

  /* Stealing the connection may drop libsoup's last reference to msg. */
  g_object_ref (msg);
  origin = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Origin");
  stream = soup_server_message_steal_connection (msg);
  if (stream != NULL)
    {
      watched = docket_server_live_input_wrap (stream, DOCKET_SERVER_LIVE_MAX_MESSAGE_BYTES);
      socket = soup_websocket_connection_new (watched, soup_server_message_get_uri (msg),
                                              SOUP_WEBSOCKET_CONNECTION_SERVER, origin, NULL,
                                              NULL);
      accept_connection (self, msg, socket);
    }
  g_object_unref (msg);
}

gboolean
docket_server_live_admit (DocketServerLive        *self,
                          SoupServerMessage       *msg,
                          const DocketServerUser  *user,
                          const char              *token_hash,
                          GError                 **error)
{
  g_autoptr(GError) handshake_error = NULL;
  LiveUser *owner;
  Admission *admission;

  g_return_val_if_fail (DOCKET_SERVER_IS_LIVE (self), FALSE);

  /* Checked here, not only by libsoup after the handler, so that the client gets the
   * protocol's JSON error and no place is held for a request that will not upgrade.
   * No extension is offered (permessage-deflate would cost each connection its own
   * compressor for messages of a few bytes). */
  if (!soup_websocket_server_check_handshake (msg, NULL, NULL, NULL, &handshake_error))
    {
      g_set_error (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_BAD_REQUEST,
                   _("The live channel is a WebSocket: %s"), handshake_error->message);
      return FALSE;
    }
  if (self->n_connections + self->n_reserved >= self->max_connections)
    {
      g_set_error_literal (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_BUSY,
                           _("The server holds as many live connections as it takes; try again later"));
      return FALSE;
    }
  owner = ensure_user (self, user);
  if (owner->connections->len + owner->reserved >= DOCKET_SERVER_LIVE_MAX_PER_USER)
    {
      forget_user_if_idle (self, owner);
      g_set_error (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_BUSY,
                   _("You have %d live connections open already; close one, or try again later"),
                   DOCKET_SERVER_LIVE_MAX_PER_USER);
      return FALSE;
    }

  owner->reserved++;
  self->n_reserved++;
  admission = g_new0 (Admission, 1);
  admission->live = g_object_ref (self);
  admission->user_id = user->id;
  admission->token_hash = g_strdup (token_hash);
  g_object_set_data_full (G_OBJECT (msg), ADMISSION_KEY, admission, admission_free);

  /* The answer: 101 with the handshake's headers (checked above, so it succeeds). */
  if (!soup_websocket_server_process_handshake (msg, NULL, NULL, NULL, NULL))
    g_return_val_if_reached (TRUE);
  g_signal_connect_object (msg, "wrote-informational", G_CALLBACK (on_upgraded), self, 0);
  return TRUE;
}

static void
accept_connection (DocketServerLive        *self,
                   SoupServerMessage       *msg,
                   SoupWebsocketConnection *socket)
{
  Admission *admission = g_object_get_data (G_OBJECT (msg), ADMISSION_KEY);
  g_autofree char *hello = NULL;
  LiveConnection *connection;
  LiveUser *owner;

  /* Only an admitted request is upgraded. */
  g_return_if_fail (admission != NULL && !admission->taken);
  owner = g_hash_table_lookup (self->users, &admission->user_id);
  g_return_if_fail (owner != NULL);

  admission->taken = TRUE;
  owner->reserved--;
  self->n_reserved--;

  connection = g_new0 (LiveConnection, 1);
  connection->live = self;
  connection->owner = owner;
  connection->connection = g_object_ref (socket);
  connection->token_hash = g_steal_pointer (&admission->token_hash);
  connection->last_heard = g_get_monotonic_time ();
  g_ptr_array_add (owner->connections, connection);
  if (self->n_connections++ == 0)
    start_watching (self);

  soup_websocket_connection_set_max_incoming_payload_size (socket,
                                                           DOCKET_SERVER_LIVE_MAX_MESSAGE_BYTES);
  soup_websocket_connection_set_keepalive_interval (socket, self->heartbeat_seconds);
  g_signal_connect (socket, "message", G_CALLBACK (on_message), connection);
  g_signal_connect (socket, "pong", G_CALLBACK (on_pong), connection);
  g_signal_connect (socket, "closed", G_CALLBACK (on_closed), connection);
  g_printerr ("live open %s (%u open)\n", owner->user->username, self->n_connections);

  /* After start_watching: whatever is committed from now on is told to it; what was
   * committed before, the client pulls on hello. */
  hello = g_strdup_printf ("{\"type\":\"hello\",\"heartbeat_seconds\":%u}",
                           self->heartbeat_seconds);
  soup_websocket_connection_send_text (socket, hello);
}

/* The fan-out */

/* Calls func on every connection. Safe when func closes them: a close is told later,
 * from the main loop. */
static void
each_connection (DocketServerLive *self,
                 void            (*func) (LiveConnection *connection, gpointer data),
                 gpointer          data)
{
  GHashTableIter iter;
  LiveUser *owner;

  g_hash_table_iter_init (&iter, self->users);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &owner))
    for (guint i = 0; i < owner->connections->len; i++)
      func (g_ptr_array_index (owner->connections, i), data);
}

static char *
connected_user_ids_json (DocketServerLive *self)
{
  GString *json = g_string_new ("[");
  GHashTableIter iter;
  LiveUser *owner;

  g_hash_table_iter_init (&iter, self->users);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &owner))
    if (owner->connections->len > 0)
      g_string_append_printf (json, "%s%" G_GINT64_FORMAT, json->len > 1 ? "," : "",
                              owner->user->id);
  g_string_append_c (json, ']');
  return g_string_free (json, FALSE);
}

static void
append_token_hash (LiveConnection *connection,
                   gpointer        json)
{
  /* SHA-256 in hex: nothing to escape. */
  g_string_append_printf (json, "%s\"%s\"", ((GString *) json)->len > 1 ? "," : "",
                          connection->token_hash);
}

static char *
connected_tokens_json (DocketServerLive *self)
{
  GString *json = g_string_new ("[");

  each_connection (self, append_token_hash, json);
  g_string_append_c (json, ']');
  return g_string_free (json, FALSE);
}

/* Adds to notify the connected users (their LiveUser) who see meeting_id now. */
static gboolean
add_audience (DocketServerLive  *self,
              const char        *meeting_id,
              GHashTable        *notify,
              GError           **error)
{
  g_autoptr(DocketServerMeetingAudience) audience = NULL;
  g_autoptr(GError) local_error = NULL;
  GHashTableIter iter;
  LiveUser *owner;

  audience = docket_server_db_meeting_audience (self->reader, meeting_id, &local_error);
  if (audience == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      return local_error == NULL;
    }
  g_hash_table_iter_init (&iter, self->users);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &owner))
    if (owner->connections->len > 0 &&
        docket_server_user_sees (owner->user, audience->organ, audience->draft,
                                 g_hash_table_contains (audience->participants, &owner->user->id)))
      g_hash_table_add (notify, owner);
  return TRUE;
}

/* Reads, in one read transaction, the window (last_seq, top] with check_window and the
 * dead tokens with check_tokens; fills notify (LiveUser*) and dead (token hashes). */
static gboolean
read_batch (DocketServerLive  *self,
            gboolean           check_window,
            gboolean           check_tokens,
            gint64            *out_top,
            GHashTable        *notify,
            GHashTable        *dead,
            GError           **error)
{
  g_autoptr(GHashTable) meetings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) users = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  gboolean ok;

  if (!docket_server_db_exec (self->reader, "BEGIN", error))
    return FALSE;
  *out_top = self->last_seq;
  ok = !check_window || (*out_top = docket_server_db_get_top_seq (self->reader, error)) >= 0;
  if (ok && *out_top > self->last_seq)
    {
      g_autofree char *user_ids = connected_user_ids_json (self);
      GHashTableIter iter;
      const char *meeting_id;
      gint64 *user_id;

      ok = docket_server_db_live_window (self->reader, self->last_seq, *out_top, user_ids,
                                         meetings, users, error);
      g_hash_table_iter_init (&iter, meetings);
      while (ok && g_hash_table_iter_next (&iter, (gpointer *) &meeting_id, NULL))
        ok = add_audience (self, meeting_id, notify, error);
      g_hash_table_iter_init (&iter, users);
      while (ok && g_hash_table_iter_next (&iter, (gpointer *) &user_id, NULL))
        {
          LiveUser *owner = g_hash_table_lookup (self->users, user_id);

          if (owner != NULL)
            g_hash_table_add (notify, owner);
        }
    }
  if (ok && check_tokens)
    {
      g_autofree char *hashes = connected_tokens_json (self);

      ok = docket_server_db_dead_tokens (self->reader, hashes,
                                         g_get_real_time () / G_USEC_PER_SEC, dead, error);
    }
  docket_server_db_rollback (self->reader);
  return ok;
}

static void
close_if_dead (LiveConnection *connection,
               gpointer        dead)
{
  if (g_hash_table_contains (dead, connection->token_hash))
    close_connection (connection, DOCKET_SERVER_LIVE_CLOSE_UNAUTHORIZED,
                      _("Your session has ended; sign in again"));
}

static void
run_batch (DocketServerLive *self,
           gboolean          check_window,
           gboolean          check_tokens)
{
  g_autoptr(GHashTable) notify = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) dead = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  LiveUser *owner;
  gint64 top = 0;
  gint64 started = g_get_monotonic_time ();
  gint64 since = self->last_seq;
  guint n_told = 0;

  if (!self->watching)
    return;
  check_tokens = check_tokens || self->tokens_dirty;
  self->tokens_dirty = FALSE;
  if (!read_batch (self, check_window, check_tokens, &top, notify, dead, &error))
    {
      /* Nothing is lost: the window stays where it was, and the next poll reads it. */
      g_printerr ("live: cannot read the committed changes: %s\n", error->message);
      self->retry |= check_window;
      self->tokens_dirty |= check_tokens;
      return;
    }
  if (check_window)
    self->retry = FALSE;
  self->last_seq = MAX (self->last_seq, top);

  /* The dead first: they are told nothing more. */
  if (g_hash_table_size (dead) > 0)
    each_connection (self, close_if_dead, dead);
  g_hash_table_iter_init (&iter, notify);
  while (g_hash_table_iter_next (&iter, (gpointer *) &owner, NULL))
    for (guint i = 0; i < owner->connections->len; i++, n_told++)
      send_changed (g_ptr_array_index (owner->connections, i));

  if (self->stats && (top > since || check_tokens))
    {
      gint64 us = g_get_monotonic_time () - started;

      g_printerr ("live batch (%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT "]: %u users, %u of %u"
                  " connections told, %u closed, tokens %s, %" G_GINT64_FORMAT ".%03dms\n",
                  since, top, g_hash_table_size (notify), n_told, self->n_connections,
                  g_hash_table_size (dead), check_tokens ? "checked" : "not checked",
                  us / 1000, (int) (us % 1000));
    }
}

static gboolean
batch_now (gpointer user_data)
{
  DocketServerLive *self = user_data;

  self->batch_source = 0;
  run_batch (self, TRUE, FALSE);
  return G_SOURCE_REMOVE;
}

/* Inside the commit of the server's connection: nothing may touch it here, so the batch
 * runs from the main loop, once for all the commits before it runs. */
static int
on_commit (void *user_data)
{
  DocketServerLive *self = user_data;

  /* The hook runs on the thread of the server's connection, the main thread. */
  if (self->watching && self->batch_source == 0)
    self->batch_source = g_idle_add_full (G_PRIORITY_DEFAULT, batch_now, self, NULL);
  return 0;
}

static void
on_update (void          *user_data,
           int            operation,
           const char    *database,
           const char    *table,
           sqlite3_int64  rowid)
{
  DocketServerLive *self = user_data;

  /* A token revoked, a user disabled or given a new password; a new token harms no one. */
  if (operation != SQLITE_INSERT &&
      (g_str_equal (table, "tokens") || g_str_equal (table, "users")))
    self->tokens_dirty = TRUE;
}

static gboolean
poll_tick (gpointer user_data)
{
  DocketServerLive *self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 version = docket_server_db_data_version (self->reader, &error);

  if (version < 0)
    {
      g_printerr ("live: cannot poll the database: %s\n", error->message);
      return G_SOURCE_CONTINUE;
    }
  /* Another connection committed: perhaps another process, which may have ended a
   * user's sessions; its tokens are checked too. */
  if (version != self->data_version || self->retry)
    {
      self->data_version = version;
      run_batch (self, TRUE, TRUE);
    }
  return G_SOURCE_CONTINUE;
}

static void
close_if_silent (LiveConnection *connection,
                 gpointer        data)
{
  gint64 now = *(gint64 *) data;
  gint64 silence = (gint64) DOCKET_SERVER_LIVE_SILENT_HEARTBEATS *
                   connection->live->heartbeat_seconds * G_USEC_PER_SEC;

  if (now - connection->last_heard > silence)
    close_connection (connection, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, _("Nothing heard from you"));
  else if (is_open (connection) && backed_up (connection))
    close_backed_up (connection);
}

/* Each heartbeat: the silent connections are closed, and those that read nothing of
 * what they are sent (libsoup's pings would pile up), and every token checked (one may
 * have expired). Commits are the polls' and the commit hook's to find. */
static gboolean
heartbeat_tick (gpointer user_data)
{
  DocketServerLive *self = user_data;
  gint64 now = g_get_monotonic_time ();

  each_connection (self, close_if_silent, &now);
  run_batch (self, FALSE, TRUE);
  return G_SOURCE_CONTINUE;
}

static gboolean
open_reader (DocketServerLive  *self,
             GError           **error)
{
  const char *path;

  if (self->reader != NULL)
    return TRUE;
  path = sqlite3_db_filename (docket_server_db_get_handle (self->db), "main");
  self->reader = docket_server_db_open_reader (path, error);
  return self->reader != NULL;
}

/* With the first connection: from now on, every commit is told to someone. */
static void
start_watching (DocketServerLive *self)
{
  g_autoptr(GError) error = NULL;

  if (!open_reader (self, &error) ||
      (self->data_version = docket_server_db_data_version (self->reader, &error)) < 0 ||
      (self->last_seq = docket_server_db_get_top_seq (self->reader, &error)) < 0)
    {
      /* The connection stays; the polls try again, from the start of the sequence's
       * window that nobody has been told of. */
      g_printerr ("live: cannot read the database: %s\n", error->message);
      self->last_seq = MAX (self->last_seq, 0);
      self->retry = TRUE;
    }
  self->watching = TRUE;
  self->poll_source = g_timeout_add (DOCKET_SERVER_LIVE_POLL_MS, poll_tick, self);
  self->heartbeat_source = g_timeout_add_seconds (self->heartbeat_seconds, heartbeat_tick, self);
}

/* With the last connection gone: an idle server does not poll. */
static void
stop_watching (DocketServerLive *self)
{
  self->watching = FALSE;
  self->retry = FALSE;
  self->tokens_dirty = FALSE;
  g_clear_handle_id (&self->batch_source, g_source_remove);
  g_clear_handle_id (&self->poll_source, g_source_remove);
  g_clear_handle_id (&self->heartbeat_source, g_source_remove);
}

/* Stopping */

static void
close_going_away (LiveConnection *connection,
                  gpointer        data)
{
  close_connection (connection, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, _("The server is stopping"));
}

static gboolean
on_close_all_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

void
docket_server_live_close_all (DocketServerLive *self)
{
  gboolean timed_out = FALSE;
  guint timeout;

  g_return_if_fail (DOCKET_SERVER_IS_LIVE (self));

  if (self->n_connections == 0)
    return;
  each_connection (self, close_going_away, NULL);
  /* Until the clients answered the close (libsoup then closes the socket), so that the
   * close frame reaches them before the process ends. */
  timeout = g_timeout_add (CLOSE_ALL_WAIT_MS, on_close_all_timeout, &timed_out);
  while (self->n_connections > 0 && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout);
}

/* The limit of open files */

gboolean
docket_server_live_raise_file_limit (guint   needed,
                                     char  **out_warning)
{
  struct rlimit limit;

  *out_warning = NULL;
  if (getrlimit (RLIMIT_NOFILE, &limit) != 0)
    {
      *out_warning = g_strdup_printf (_("Cannot read the limit of open files: %s"),
                                      g_strerror (errno));
      return FALSE;
    }
  if (limit.rlim_cur < limit.rlim_max)
    {
      limit.rlim_cur = limit.rlim_max;
      if (setrlimit (RLIMIT_NOFILE, &limit) != 0)
        getrlimit (RLIMIT_NOFILE, &limit);
    }
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < (rlim_t) needed)
    {
      *out_warning = g_strdup_printf (_("The limit of open files is %lu, below the %u that "
                                        "--max-live-connections needs with the rest; raise "
                                        "it (ulimit -n, LimitNOFILE=) or lower the option"),
                                      (unsigned long) limit.rlim_cur, needed);
      return FALSE;
    }
  return TRUE;
}

/* GObject */

static void
drop_connection (LiveConnection *connection,
                 gpointer        data)
{
  live_connection_free (connection);
}

static void
docket_server_live_dispose (GObject *object)
{
  DocketServerLive *self = DOCKET_SERVER_LIVE (object);

  stop_watching (self);
  if (self->db != NULL)
    {
      sqlite3 *handle = docket_server_db_get_handle (self->db);

      sqlite3_commit_hook (handle, NULL, NULL);
      sqlite3_update_hook (handle, NULL, NULL);
    }
  /* Connections still open now are dropped without a close (close_all sends one). */
  if (self->users != NULL)
    each_connection (self, drop_connection, NULL);
  g_clear_pointer (&self->users, g_hash_table_unref);
  self->n_connections = 0;
  g_clear_object (&self->reader);
  g_clear_object (&self->db);

  G_OBJECT_CLASS (docket_server_live_parent_class)->dispose (object);
}

static void
docket_server_live_class_init (DocketServerLiveClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = docket_server_live_dispose;
}

static void
docket_server_live_init (DocketServerLive *self)
{
  self->users = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                       (GDestroyNotify) live_user_free);
  self->max_connections = DOCKET_SERVER_DEFAULT_MAX_LIVE_CONNECTIONS;
  self->heartbeat_seconds = DOCKET_SERVER_LIVE_HEARTBEAT_SECONDS;
  self->stats = g_getenv ("DOCKET_SERVER_LIVE_STATS") != NULL;
}

DocketServerLive *
docket_server_live_new (DocketServerDb *db)
{
  DocketServerLive *self = g_object_new (DOCKET_SERVER_TYPE_LIVE, NULL);
  sqlite3 *handle = docket_server_db_get_handle (db);

  self->db = g_object_ref (db);
  /* Nothing else of the server hooks its connection. */
  sqlite3_commit_hook (handle, on_commit, self);
  sqlite3_update_hook (handle, on_update, self);
  return self;
}

void
docket_server_live_set_max_connections (DocketServerLive *self,
                                        guint             max_connections)
{
  g_return_if_fail (DOCKET_SERVER_IS_LIVE (self));
  g_return_if_fail (max_connections > 0);

  self->max_connections = max_connections;
}

void
docket_server_live_set_heartbeat_for_tests (DocketServerLive *self,
                                            guint             seconds)
{
  g_return_if_fail (DOCKET_SERVER_IS_LIVE (self));
  g_return_if_fail (seconds > 0);

  self->heartbeat_seconds = seconds;
}

guint
docket_server_live_get_n_connections (DocketServerLive *self)
{
  g_return_val_if_fail (DOCKET_SERVER_IS_LIVE (self), 0);

  return self->n_connections;
}
