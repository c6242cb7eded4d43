/* docket-bench-live: bench/live's measuring tool — a thousand officials on the live channel
 *
 *   docket-bench-live URL CLIENTS CHAIR_TOKEN MEETING_ID ITEMS SERVER_PID ROUNDS
 *
 * CLIENTS is a file of "username TAB token" lines (one simulated official each), ITEMS a
 * file of the meeting's agenda item ids (at least two), CHAIR_TOKEN the token of the
 * meeting's chair, SERVER_PID the docket-server process (its memory is read from /proc,
 * and it is sent SIGTERM for the restart).
 *
 * Every official is simulated as the real client behaves (docs/protocol.md, "The live
 * channel"): GET /api/v1/info then a WebSocket to /api/v1/live with its token (each attempt,
 * as app/sync/docket-live.c makes it), a pull of GET /api/v1/changes from
 * its cursor on "hello" and on each "changed" (one pull at a time, one more after it when
 * a "changed" came during it; a 503 is tried again after Retry-After), and after a close,
 * a reconnect after a delay that doubles from 1 s up to 60 s with a jitter of up to half
 * of it. All of them run in this one process, on one main loop, eight to a SoupSession
 * whose pool has room for connections of each of them.
 *
 * Then:
 *   1. all connect; the tool waits for every "hello" and every client caught up;
 *   2. the chair sets the current item ROUNDS times, one PATCH at a time: each round
 *      begins when the previous one's event reached every client and their pulls were
 *      answered; notify = from sending the PATCH to the last client holding "changed",
 *      pull = to the last client's pull (begun after that event) answered with more:false;
 *   3. the server's memory (VmHWM and VmRSS) with every connection open;
 *   4. SIGTERM to the server, "restart" on stdout: the caller starts it again on the same
 *      port and data; reconnect = from the SIGTERM to every client connected again, its
 *      "hello" received and its pull from its cursor answered with more:false.
 * Progress goes to stderr; the results are the last lines on stdout:
 *   notify p99 ms: X / notify median ms: X / pull p99 ms: X / pull median ms: X /
 *   server hwm mb: X / server rss mb: X / reconnect all s: X
 *
 * A simulated client's pull is started from an idle of the main loop rather than inside
 * the "changed" handler: the one thread reads every socket that holds a message before it
 * spends time sending pulls, so that notify measures the server's fan-out and not the
 * thousand clients sharing one CPU (the pulls still all happen, so the server's load is
 * the real one).
 */
#include <errno.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <unistd.h>

#define BACKOFF_FIRST_MS      1000
#define BACKOFF_MAX_MS        (60 * 1000)
#define ROUND_TIMEOUT_S       60
/* Officials that share a SoupSession. Each real official has one of their own; a
 * session's queue and pool are walked whole as its messages move, so one session for a
 * thousand made the reconnect wait on this tool (15 ms of its CPU an official) rather
 * than on the server. */
#define CLIENTS_PER_SESSION   8
#define PHASE_TIMEOUT_S       600

typedef struct _Bench Bench;

typedef struct {
  Bench                   *bench;
  guint                    index;
  char                    *username;
  char                    *token;
  char                    *cursor;         /* NULL before the first pull */
  SoupSession             *session;        /* shared with a few others */
  SoupWebsocketConnection *ws;
  gboolean                 connecting;
  guint                    backoff_ms;
  guint                    retry_source;
  gboolean                 pulling;
  gboolean                 pull_again;      /* a "changed" came during the pull */
  gboolean                 pull_queued;     /* waits in bench->pull_queue */
  guint                    pull_for_event;  /* the bench's event count when the pull began */
  guint                    events;          /* "changed" received, in all */
  gboolean                 hello;           /* since the last (re)connect */
  gboolean                 caught_up;       /* a pull after that hello ended with more:false */
  gboolean                 round_event;     /* this round's "changed" received */
  gboolean                 round_pulled;    /* a pull begun after it answered */
  guint                    round_event_no;  /* its number in events */
} Client;

typedef enum {
  PHASE_CONNECT,
  PHASE_ROUNDS,
  PHASE_RESTART,
  PHASE_DONE,
} Phase;

struct _Bench {
  GMainLoop   *loop;
  SoupSession *session;            /* the chair's */
  GPtrArray   *sessions;           /* the officials': one for CLIENTS_PER_SESSION */
  char        *url;
  char        *chair_token;
  char        *meeting_id;
  GPtrArray   *items;
  GPtrArray   *clients;
  pid_t        server_pid;
  guint        rounds;

  Phase        phase;
  GQueue       pull_queue;
  guint        pull_idle;
  gint64       phase_started;
  guint        caught_up;          /* clients caught up in this phase */

  guint        round;              /* 1-based, 0 before */
  gint64       round_sent;
  gboolean     round_patched;
  guint        round_events;
  guint        round_pulls;
  gint64       round_first_event;
  gint64       round_last_event;
  gint64       round_last_pull;
  guint        round_timeout;
  GArray      *notify_ms;          /* double */
  GArray      *pull_ms;            /* double */
  gint64       pulls_503;
  gint64       pulls_done;
  gint64       connects_refused;
  guint        open;               /* WebSockets open */
  gint64       all_closed_at;      /* the restart's milestones, monotonic */
  gint64       first_open_at;
  gint64       all_open_at;

  double       hwm_mb;
  double       rss_mb;
  double       reconnect_s;
  int          status;
};

static void client_connect (Client *client);
static void client_pull    (Client *client);
static void start_round    (Bench *bench);
static gboolean start_queued_pulls (gpointer data);

static G_GNUC_PRINTF (2, 3) void
fail (Bench      *bench,
      const char *format,
      ...)
{
  va_list args;
  g_autofree char *text = NULL;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("docket-bench-live: %s\n", text);
  bench->status = 1;
  g_main_loop_quit (bench->loop);
}

static double
ms_since (gint64 from,
          gint64 to)
{
  return (double) (to - from) / 1000.0;
}

/* ---- the channel ------------------------------------------------------------------ */

static void
on_retry (gpointer data)
{
  Client *client = data;

  client->retry_source = 0;
  client_connect (client);
}

/* The protocol's back-off: 1 s doubling up to 60 s, plus up to half of it at random; a
 * connection that lasted starts again from 1 s. at_least_ms: a 503's Retry-After. */
static void
schedule_reconnect (Client *client,
                    guint   at_least_ms)
{
  guint delay_ms;

  client->backoff_ms = client->backoff_ms == 0 ? BACKOFF_FIRST_MS
                                               : MIN (client->backoff_ms * 2, BACKOFF_MAX_MS);
  delay_ms = client->backoff_ms + (guint) g_random_int_range (0, (gint32) (client->backoff_ms / 2) + 1);
  g_clear_handle_id (&client->retry_source, g_source_remove);
  client->retry_source = g_timeout_add_once (MAX (delay_ms, at_least_ms), on_retry, client);
}

static guint
retry_after_ms (SoupMessage *message)
{
  const char *text = soup_message_headers_get_one (soup_message_get_response_headers (message),
                                                   "Retry-After");
  guint64 seconds = 1;

  if (text != NULL)
    g_ascii_string_to_unsigned (text, 10, 0, BACKOFF_MAX_MS / 1000, &seconds, NULL);
  return (guint) seconds * 1000;
}

static void
client_caught_up (Client *client)
{
  Bench *bench = client->bench;

  if (client->caught_up)
    return;
  client->caught_up = TRUE;
  bench->caught_up++;
  if (bench->caught_up == bench->clients->len && bench->phase != PHASE_ROUNDS)
    g_main_loop_quit (bench->loop);
}

static void
queue_pull (Client *client)
{
  Bench *bench = client->bench;

  if (client->pulling)
    {
      client->pull_again = TRUE;
      return;
    }
  if (client->pull_queued)
    return;
  client->pull_queued = TRUE;
  g_queue_push_tail (&bench->pull_queue, client);
  if (bench->pull_idle == 0)
    bench->pull_idle = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, start_queued_pulls, bench, NULL);
}

static void
on_ws_message (SoupWebsocketConnection *ws,
               int                      type,
               GBytes                  *message,
               gpointer                 data)
{
  Client *client = data;
  Bench *bench = client->bench;
  gint64 now = g_get_monotonic_time ();
  gsize size;
  const char *text = g_bytes_get_data (message, &size);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  const char *kind;

  if (type != SOUP_WEBSOCKET_DATA_TEXT ||
      !json_parser_load_from_data (parser, text, (gssize) size, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      (kind = json_object_get_string_member_with_default (json_node_get_object (root),
                                                          "type", NULL)) == NULL)
    {
      fail (bench, "%s: a message that is not the protocol's: %.*s", client->username,
            (int) MIN (size, 200), text);
      return;
    }

  if (g_str_equal (kind, "hello"))
    {
      client->hello = TRUE;
      client->backoff_ms = 0;
      queue_pull (client);
    }
  else if (g_str_equal (kind, "changed"))
    {
      client->events++;
      if (bench->phase == PHASE_ROUNDS && bench->round > 0 && !client->round_event)
        {
          client->round_event = TRUE;
          client->round_event_no = client->events;
          bench->round_events++;
          if (bench->round_first_event == 0)
            bench->round_first_event = now;
          bench->round_last_event = MAX (bench->round_last_event, now);
        }
      queue_pull (client);
    }
}

static void
on_ws_closed (SoupWebsocketConnection *ws,
              gpointer                 data)
{
  Client *client = data;
  Bench *bench = client->bench;

  guint code = soup_websocket_connection_get_close_code (ws);

  g_signal_handlers_disconnect_by_data (ws, client);
  g_clear_object (&client->ws);
  client->hello = FALSE;
  if (--bench->open == 0 && bench->phase == PHASE_RESTART)
    bench->all_closed_at = g_get_monotonic_time ();
  if (client->caught_up)
    {
      client->caught_up = FALSE;
      bench->caught_up--;
    }
  if (bench->phase == PHASE_ROUNDS)
    {
      fail (bench, "%s: the live channel closed during the rounds (%u)", client->username, code);
      return;
    }
  if (bench->phase != PHASE_DONE)
    schedule_reconnect (client, 0);
}

static void
on_ws_connected (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  Client *client = data;
  Bench *bench = client->bench;
  SoupMessage *message = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *ws;

  client->connecting = FALSE;
  ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  if (ws == NULL)
    {
      guint status = message != NULL ? soup_message_get_status (message) : 0;

      if (status == SOUP_STATUS_UNAUTHORIZED)
        {
          fail (bench, "%s: the live channel refused the token (401)", client->username);
          return;
        }
      bench->connects_refused++;
      if (bench->phase != PHASE_DONE)
        schedule_reconnect (client, status == SOUP_STATUS_SERVICE_UNAVAILABLE
                                      ? retry_after_ms (message) : 0);
      return;
    }
  client->ws = ws;
  bench->open++;
  if (bench->phase == PHASE_RESTART && bench->all_closed_at != 0)
    {
      if (bench->first_open_at == 0)
        bench->first_open_at = g_get_monotonic_time ();
      if (bench->open == bench->clients->len)
        bench->all_open_at = g_get_monotonic_time ();
    }
  /* No pings of our own: the real client pings every heartbeat (to notice a server
   * that vanished), but the server hears it by its pongs to the server's pings, which
   * libsoup answers; a thousand timers on this one main loop would cost the tool what
   * a thousand laptops pay one each. */
  g_signal_connect (ws, "message", G_CALLBACK (on_ws_message), client);
  g_signal_connect (ws, "closed", G_CALLBACK (on_ws_closed), client);
}

static void
upgrade (Client *client)
{
  Bench *bench = client->bench;
  g_autofree char *uri = g_strconcat (bench->url, "/api/v1/live", NULL);
  g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_GET, uri);
  g_autofree char *authorization = g_strconcat ("Bearer ", client->token, NULL);

  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization",
                                authorization);
  soup_session_websocket_connect_async (client->session, message, NULL, NULL, G_PRIORITY_DEFAULT,
                                        NULL, on_ws_connected, client);
}

static void
on_info (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  Client *client = data;
  Bench *bench = client->bench;
  SoupMessage *message = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);
  guint status = body != NULL ? soup_message_get_status (message) : 0;

  if (status == SOUP_STATUS_OK && bench->phase != PHASE_DONE)
    {
      upgrade (client);
      return;
    }
  client->connecting = FALSE;
  bench->connects_refused++;
  if (bench->phase != PHASE_DONE)
    schedule_reconnect (client, status == SOUP_STATUS_SERVICE_UNAVAILABLE
                                  ? retry_after_ms (message) : 0);
}

/* As the real client (app/sync/docket-live.c) makes each attempt: GET /api/v1/info (does
 * the server have the live channel?), then the upgrade. */
static void
client_connect (Client *client)
{
  Bench *bench = client->bench;
  g_autofree char *uri = g_strconcat (bench->url, "/api/v1/info", NULL);
  g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_GET, uri);

  if (client->ws != NULL || client->connecting)
    return;
  client->connecting = TRUE;
  soup_session_send_and_read_async (client->session, message, G_PRIORITY_DEFAULT, NULL,
                                    on_info, client);
}

/* ---- the pulls -------------------------------------------------------------------- */

static void
on_pull_retry (gpointer data)
{
  Client *client = data;

  client->pulling = FALSE;
  queue_pull (client);
}

/* A page's cursor and more; FALSE when the body is no page. */
static gboolean
read_page (GBytes    *body,
           char     **cursor,
           gboolean  *more)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize size;
  const char *data = g_bytes_get_data (body, &size);
  JsonObject *page;

  if (!json_parser_load_from_data (parser, data, (gssize) size, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return FALSE;
  page = json_node_get_object (json_parser_get_root (parser));
  if (!json_object_has_member (page, "cursor") || !json_object_has_member (page, "more"))
    return FALSE;
  *cursor = g_strdup (json_object_get_string_member (page, "cursor"));
  *more = json_object_get_boolean_member (page, "more");
  return *cursor != NULL;
}

static void
pull_answered (Client *client)
{
  Bench *bench = client->bench;

  bench->pulls_done++;
  if (client->hello)
    client_caught_up (client);
  if (bench->phase == PHASE_ROUNDS && client->round_event && !client->round_pulled &&
      client->pull_for_event >= client->round_event_no)
    {
      client->round_pulled = TRUE;
      bench->round_pulls++;
      bench->round_last_pull = MAX (bench->round_last_pull, g_get_monotonic_time ());
    }
}

static void
check_round_done (Bench *bench);

static void
on_pull_done (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  Client *client = data;
  Bench *bench = client->bench;
  SoupMessage *message = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  guint status = message != NULL ? soup_message_get_status (message) : 0;
  g_autofree char *cursor = NULL;
  gboolean more = FALSE;

  if (body == NULL)
    {
      /* The server went away (the restart): the next hello pulls again. */
      client->pulling = FALSE;
      client->pull_again = FALSE;
      if (bench->phase == PHASE_ROUNDS)
        fail (bench, "%s: a pull failed: %s", client->username, error->message);
      return;
    }
  if (status == SOUP_STATUS_SERVICE_UNAVAILABLE)
    {
      /* As the client after any 5xx, but no sooner than the server asked. */
      guint delay = retry_after_ms (message);

      bench->pulls_503++;
      g_timeout_add_once (delay + (guint) g_random_int_range (0, (gint32) delay / 2 + 1),
                          on_pull_retry, client);
      return;
    }
  if (status != SOUP_STATUS_OK || !read_page (body, &cursor, &more))
    {
      fail (bench, "%s: GET /changes answered %u", client->username, status);
      return;
    }
  g_free (client->cursor);
  client->cursor = g_steal_pointer (&cursor);
  client->pulling = FALSE;
  if (more || client->pull_again)
    {
      client->pull_again = FALSE;
      queue_pull (client);
      return;
    }
  pull_answered (client);
  check_round_done (bench);
}

static void
client_pull (Client *client)
{
  Bench *bench = client->bench;
  g_autofree char *escaped = client->cursor != NULL
                               ? g_uri_escape_string (client->cursor, NULL, FALSE) : NULL;
  g_autofree char *uri = escaped != NULL
                           ? g_strdup_printf ("%s/api/v1/changes?since=%s", bench->url, escaped)
                           : g_strdup_printf ("%s/api/v1/changes", bench->url);
  g_autoptr(SoupMessage) message = soup_message_new (SOUP_METHOD_GET, uri);
  g_autofree char *authorization = g_strconcat ("Bearer ", client->token, NULL);

  client->pulling = TRUE;
  client->pull_again = FALSE;
  client->pull_for_event = client->events;
  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization",
                                authorization);
  soup_session_send_and_read_async (client->session, message, G_PRIORITY_DEFAULT, NULL,
                                    on_pull_done, client);
}

static gboolean
start_queued_pulls (gpointer data)
{
  Bench *bench = data;
  Client *client;

  bench->pull_idle = 0;
  while ((client = g_queue_pop_head (&bench->pull_queue)) != NULL)
    {
      client->pull_queued = FALSE;
      if (!client->pulling)
        client_pull (client);
    }
  return G_SOURCE_REMOVE;
}

/* ---- the chair's rounds ----------------------------------------------------------- */

static void
check_round_done (Bench *bench)
{
  if (bench->phase != PHASE_ROUNDS || bench->round == 0 || !bench->round_patched ||
      bench->round_events < bench->clients->len || bench->round_pulls < bench->clients->len)
    return;

  g_clear_handle_id (&bench->round_timeout, g_source_remove);
  {
    double notify = ms_since (bench->round_sent, bench->round_last_event);
    double pull = ms_since (bench->round_sent, bench->round_last_pull);

    g_array_append_val (bench->notify_ms, notify);
    g_array_append_val (bench->pull_ms, pull);
    g_printerr ("  round %2u: first event %.1f ms, last event %.1f ms, last pull answered %.1f ms\n",
                bench->round, ms_since (bench->round_sent, bench->round_first_event), notify, pull);
  }
  if (bench->round == bench->rounds)
    g_main_loop_quit (bench->loop);
  else
    g_idle_add_once ((GSourceOnceFunc) start_round, bench);
}

static void
on_round_timeout (gpointer data)
{
  Bench *bench = data;

  bench->round_timeout = 0;
  fail (bench, "round %u: after %d s, %u clients of %u hold its event and %u pulled",
        bench->round, ROUND_TIMEOUT_S, bench->round_events, bench->clients->len,
        bench->round_pulls);
}

static void
on_patch_done (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  Bench *bench = data;
  SoupMessage *message = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);

  if (body == NULL || soup_message_get_status (message) != SOUP_STATUS_OK)
    {
      fail (bench, "the chair's PATCH of the state failed: %s",
            body == NULL ? error->message : (const char *) g_bytes_get_data (body, NULL));
      return;
    }
  bench->round_patched = TRUE;
  check_round_done (bench);
}

static SoupMessage *
chair_patch_message (Bench      *bench,
                     const char *json)
{
  g_autofree char *uri = g_strdup_printf ("%s/api/v1/meetings/%s/state", bench->url,
                                          bench->meeting_id);
  g_autofree char *authorization = g_strconcat ("Bearer ", bench->chair_token, NULL);
  SoupMessage *message = soup_message_new ("PATCH", uri);
  g_autoptr(GBytes) body = g_bytes_new (json, strlen (json));

  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization",
                                authorization);
  soup_message_set_request_body_from_bytes (message, "application/json", body);
  return message;
}

static void
start_round (Bench *bench)
{
  /* Two items at least, taken in turn: every round changes the current item. */
  const char *item = g_ptr_array_index (bench->items, bench->round % bench->items->len);
  g_autofree char *json = g_strdup_printf ("{\"current_item_id\": \"%s\"}", item);
  g_autoptr(SoupMessage) message = chair_patch_message (bench, json);

  bench->round++;
  bench->round_patched = FALSE;
  bench->round_events = bench->round_pulls = 0;
  bench->round_first_event = bench->round_last_event = bench->round_last_pull = 0;
  for (guint i = 0; i < bench->clients->len; i++)
    {
      Client *client = g_ptr_array_index (bench->clients, i);

      client->round_event = client->round_pulled = FALSE;
    }
  bench->round_timeout = g_timeout_add_once (ROUND_TIMEOUT_S * 1000, on_round_timeout, bench);
  bench->round_sent = g_get_monotonic_time ();
  soup_session_send_and_read_async (bench->session, message, G_PRIORITY_DEFAULT, NULL,
                                    on_patch_done, bench);
}

/* Before the clients connect: the meeting in session and on no item, so that the first
 * round changes something whatever an earlier run left. */
static gboolean
chair_prepare (Bench   *bench,
               GError **error)
{
  const char *steps[] = { "{\"phase\": \"in_session\"}", "{\"current_item_id\": null}" };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autoptr(SoupMessage) message = chair_patch_message (bench, steps[i]);
      g_autoptr(GBytes) body = soup_session_send_and_read (bench->session, message, NULL, error);

      if (body == NULL)
        return FALSE;
      if (soup_message_get_status (message) != SOUP_STATUS_OK)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "PATCH %s answered %u: %.*s",
                       steps[i], soup_message_get_status (message),
                       (int) MIN (g_bytes_get_size (body), 300),
                       (const char *) g_bytes_get_data (body, NULL));
          return FALSE;
        }
    }
  return TRUE;
}

/* ---- the phases ------------------------------------------------------------------- */

static void
on_phase_timeout (gpointer data)
{
  Bench *bench = data;

  fail (bench, "after %d s, %u clients of %u are connected and caught up (%" G_GINT64_FORMAT
        " refused connects so far)", PHASE_TIMEOUT_S, bench->caught_up, bench->clients->len,
        bench->connects_refused);
}

static gboolean
run_phase (Bench *bench)
{
  guint timeout = g_timeout_add_once (PHASE_TIMEOUT_S * 1000, on_phase_timeout, bench);

  g_main_loop_run (bench->loop);
  if (bench->status == 0)
    g_source_remove (timeout);
  return bench->status == 0;
}

/* CPU seconds: this process's, and the server's from /proc (utime + stime). */
static double
own_cpu_s (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return (double) (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         (double) (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

static double
server_cpu_s (Bench *bench)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) bench->server_pid);
  g_autofree char *text = NULL;
  const char *after_name;
  unsigned long utime = 0, stime = 0;

  /* Fields 14 and 15, counted after the command's closing parenthesis. */
  if (!g_file_get_contents (path, &text, NULL, NULL) ||
      (after_name = strrchr (text, ')')) == NULL ||
      sscanf (after_name + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
              &utime, &stime) != 2)
    return 0;
  return (double) (utime + stime) / (double) sysconf (_SC_CLK_TCK);
}

static gboolean
read_memory (Bench   *bench,
             GError **error)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", (int) bench->server_pid);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &text, NULL, error))
    return FALSE;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      guint64 kb;

      if (sscanf (lines[i], "VmHWM: %" G_GUINT64_FORMAT " kB", &kb) == 1)
        bench->hwm_mb = (double) kb / 1024.0;
      else if (sscanf (lines[i], "VmRSS: %" G_GUINT64_FORMAT " kB", &kb) == 1)
        bench->rss_mb = (double) kb / 1024.0;
    }
  if (bench->hwm_mb == 0 || bench->rss_mb == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "no VmHWM or VmRSS in %s", path);
      return FALSE;
    }
  return TRUE;
}

/* Two open files a client (its WebSocket, its pull's connection), and some room. */
static gboolean
raise_open_files (guint    clients,
                  GError **error)
{
  struct rlimit limit;
  rlim_t needed = (rlim_t) clients * 2 + 256;

  if (getrlimit (RLIMIT_NOFILE, &limit) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "getrlimit: %s",
                   g_strerror (errno));
      return FALSE;
    }
  if (limit.rlim_cur >= needed)
    return TRUE;
  if (limit.rlim_max != RLIM_INFINITY && limit.rlim_max < needed)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "%u clients need %lu open files; the hard limit is %lu (ulimit -Hn)",
                   clients, (unsigned long) needed, (unsigned long) limit.rlim_max);
      return FALSE;
    }
  limit.rlim_cur = needed;
  if (setrlimit (RLIMIT_NOFILE, &limit) != 0)
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno), "setrlimit: %s",
                   g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

static GPtrArray *
read_lines (const char  *path,
            GError     **error)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *out;

  if (!g_file_get_contents (path, &text, NULL, error))
    return NULL;
  lines = g_strsplit (g_strstrip (text), "\n", -1);
  out = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      g_ptr_array_add (out, g_strdup (lines[i]));
  return out;
}

static void
client_free (Client *client)
{
  g_clear_handle_id (&client->retry_source, g_source_remove);
  if (client->ws != NULL)
    g_signal_handlers_disconnect_by_data (client->ws, client);
  g_clear_object (&client->ws);
  g_free (client->username);
  g_free (client->token);
  g_free (client->cursor);
  g_free (client);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Nearest rank: with 20 rounds, the p99 is the slowest of them. */
static double
percentile (GArray *values,
            double  p)
{
  guint rank;

  g_array_sort (values, compare_doubles);
  rank = (guint) (p * values->len / 100.0);
  if (rank * 100.0 < p * values->len)
    rank++;
  return g_array_index (values, double, MAX (rank, 1) - 1);
}

static gboolean
load_clients (Bench       *bench,
              const char  *path,
              GError     **error)
{
  g_autoptr(GPtrArray) lines = read_lines (path, error);

  if (lines == NULL)
    return FALSE;
  for (guint i = 0; i < lines->len; i++)
    {
      g_auto(GStrv) fields = g_strsplit (g_ptr_array_index (lines, i), "\t", 3);
      Client *client;

      if (g_strv_length (fields) != 2)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s:%u: not “username TAB token”", path, i + 1);
          return FALSE;
        }
      client = g_new0 (Client, 1);
      client->bench = bench;
      client->index = i;
      client->username = g_strdup (fields[0]);
      client->token = g_strdup (fields[1]);
      g_ptr_array_add (bench->clients, client);
    }
  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  Bench bench = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GPtrArray) clients = g_ptr_array_new_with_free_func ((GDestroyNotify) client_free);
  g_autoptr(GArray) notify_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) pull_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GPtrArray) sessions = NULL;
  guint64 pid, rounds;
  double restart_cpu;

  if (argc != 8 ||
      !g_ascii_string_to_unsigned (argv[6], 10, 1, G_MAXINT, &pid, NULL) ||
      !g_ascii_string_to_unsigned (argv[7], 10, 1, 1000, &rounds, NULL))
    {
      g_printerr ("usage: docket-bench-live URL CLIENTS CHAIR_TOKEN MEETING_ID ITEMS SERVER_PID ROUNDS\n");
      return 2;
    }
  bench.loop = loop;
  bench.url = argv[1];
  bench.chair_token = argv[3];
  bench.meeting_id = argv[4];
  bench.server_pid = (pid_t) pid;
  bench.rounds = (guint) rounds;
  bench.clients = clients;
  bench.notify_ms = notify_ms;
  bench.pull_ms = pull_ms;
  g_queue_init (&bench.pull_queue);

  if (!load_clients (&bench, argv[2], &error) ||
      (items = read_lines (argv[5], &error)) == NULL ||
      !raise_open_files (clients->len, &error))
    {
      g_printerr ("docket-bench-live: %s\n", error->message);
      return 1;
    }
  if (items->len < 2 || clients->len == 0)
    {
      g_printerr ("docket-bench-live: needs two items at least and one client\n");
      return 1;
    }
  bench.items = items;

  /* The chair's session, and the officials' few to a session, as on their own laptops:
   * the room of a session's pool counts idle keep-alive connections too (an official's
   * /info, their pulls, those the restart killed until libsoup notices), so it is far
   * above two an official. */
  session = soup_session_new_with_options ("timeout", 120, NULL);
  bench.session = session;
  sessions = g_ptr_array_new_with_free_func (g_object_unref);
  bench.sessions = sessions;
  for (guint i = 0; i < clients->len; i++)
    {
      Client *client = g_ptr_array_index (clients, i);

      if (i % CLIENTS_PER_SESSION == 0)
        g_ptr_array_add (sessions,
                         soup_session_new_with_options ("max-conns", CLIENTS_PER_SESSION * 8,
                                                        "max-conns-per-host", CLIENTS_PER_SESSION * 8,
                                                        "timeout", 120, NULL));
      client->session = g_ptr_array_index (sessions, sessions->len - 1);
    }
  if (!chair_prepare (&bench, &error))
    {
      g_printerr ("docket-bench-live: the chair could not prepare the meeting: %s\n", error->message);
      return 1;
    }

  /* 1. everyone connects and catches up */
  g_printerr ("connecting %u officials\n", clients->len);
  bench.phase = PHASE_CONNECT;
  bench.phase_started = g_get_monotonic_time ();
  for (guint i = 0; i < clients->len; i++)
    client_connect (g_ptr_array_index (clients, i));
  if (!run_phase (&bench))
    return bench.status;
  g_printerr ("  all %u connected and caught up in %.1f s (%" G_GINT64_FORMAT " connects "
              "refused, %" G_GINT64_FORMAT " pulls answered 503)\n", clients->len,
              ms_since (bench.phase_started, g_get_monotonic_time ()) / 1000.0,
              bench.connects_refused, bench.pulls_503);

  /* 2. the chair's rounds */
  g_printerr ("the chair sets the current item %u times\n", bench.rounds);
  bench.phase = PHASE_ROUNDS;
  bench.pulls_503 = 0;
  {
    gint64 wall = g_get_monotonic_time ();
    double own = own_cpu_s (), server = server_cpu_s (&bench);

    start_round (&bench);
    g_main_loop_run (loop);
    if (bench.status != 0)
      return bench.status;
    g_printerr ("  pulls answered 503 during the rounds: %" G_GINT64_FORMAT "; CPU time over"
                " their %.1f s: the server %.1f s, this tool %.1f s\n", bench.pulls_503,
                ms_since (wall, g_get_monotonic_time ()) / 1000.0, server_cpu_s (&bench) - server,
                own_cpu_s () - own);
  }

  /* 3. the server's memory with every connection open */
  if (!read_memory (&bench, &error))
    {
      g_printerr ("docket-bench-live: %s\n", error->message);
      return 1;
    }

  /* 4. the restart */
  g_printerr ("restarting the server\n");
  bench.phase = PHASE_RESTART;
  bench.connects_refused = bench.pulls_503 = 0;
  bench.phase_started = g_get_monotonic_time ();
  restart_cpu = own_cpu_s ();
  if (kill (bench.server_pid, SIGTERM) != 0)
    {
      g_printerr ("docket-bench-live: kill %d: %s\n", (int) bench.server_pid, g_strerror (errno));
      return 1;
    }
  g_print ("restart\n");
  fflush (stdout);
  if (!run_phase (&bench))
    return bench.status;
  bench.reconnect_s = ms_since (bench.phase_started, g_get_monotonic_time ()) / 1000.0;
  g_printerr ("  %" G_GINT64_FORMAT " connects refused while it restarted, %" G_GINT64_FORMAT
              " pulls answered 503; every channel closed at %.2f s, the first open again at"
              " %.2f s, all at %.2f s, all caught up at %.2f s; this tool's CPU meanwhile %.1f s\n",
              bench.connects_refused, bench.pulls_503,
              ms_since (bench.phase_started, bench.all_closed_at) / 1000.0,
              ms_since (bench.phase_started, bench.first_open_at) / 1000.0,
              ms_since (bench.phase_started, bench.all_open_at) / 1000.0, bench.reconnect_s,
              own_cpu_s () - restart_cpu);
  bench.phase = PHASE_DONE;

  g_print ("notify p99 ms: %.1f\n", percentile (notify_ms, 99));
  g_print ("notify median ms: %.1f\n", percentile (notify_ms, 50));
  g_print ("pull p99 ms: %.1f\n", percentile (pull_ms, 99));
  g_print ("pull median ms: %.1f\n", percentile (pull_ms, 50));
  g_print ("server hwm mb: %.1f\n", bench.hwm_mb);
  g_print ("server rss mb: %.1f\n", bench.rss_mb);
  g_print ("reconnect all s: %.2f\n", bench.reconnect_s);
  g_clear_handle_id (&bench.pull_idle, g_source_remove);
  g_queue_clear (&bench.pull_queue);
  return 0;
}
