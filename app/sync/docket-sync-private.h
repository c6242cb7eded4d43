/* docket-sync-private.h: what the files of the sync engine share, and nothing else sees
 *
 * DocketSync is one type in several files: docket-sync.c (the object, its properties, a
 * run), docket-sync-schedule.c (automatic mode: when runs start by themselves),
 * docket-sync-account.c (sign-in, sign-out, the server's address), docket-sync-user.c
 * (who is signed in and the server's capabilities), docket-sync-pull.c (a pull: the
 * outbox and the change feed, a run's first stage or alone, beside the downloads),
 * docket-sync-feed.c (the change feed's pages, a stage of a pull),
 * docket-sync-downloads.c (its API on downloads), docket-sync-live-channel.c (starting
 * and stopping the live channel, DocketLive, and what it says) and docket-sync-live.c
 * (the live meeting's actions). The downloads are a type of their
 * own, DocketDownloader, and so is the live channel, DocketLive; the engine owns both.
 */
#pragma once

#include <libsoup/soup.h>

#include "docket-downloader.h"
#include "docket-live.h"
#include "docket-sync.h"

G_BEGIN_DECLS

typedef struct _DocketSyncRun DocketSyncRun;
typedef struct _DocketSyncPull DocketSyncPull;
typedef struct _DocketSyncPage DocketSyncPage;   /* docket-sync-feed.c */

struct _DocketSync
{
  GObject           parent_instance;

  /* Owned references */
  DocketStore      *store;
  /* Two sessions, so that an API call never waits for a connection that a download
   * holds: the API's (sign-in, the outbox, the feed, the live channel and its actions)
   * and the downloads' (as many connections as downloads at once). */
  SoupSession      *session;
  SoupSession      *download_session;
  DocketDownloader *downloader;
  DocketLive       *live;
  char             *server_url;
  char             *username;
  char             *token;           /* read from the Secret Service once */
  char             *error_message;
  GDateTime        *last_synced;

  /* Borrowed references */
  GNetworkMonitor  *monitor;
  gulong            network_changed_id;

  DocketSyncRun    *run;             /* the run under way, or NULL */
  guint             rerun : 1;       /* one more run when this one ends (an outbox push) */
  DocketSyncPull   *pull;            /* the pull under way, or NULL */
  GPtrArray        *pull_next;       /* GTask*: asked for during it, one more pull after it */

  DocketSyncState   state;
  guint64           bytes_done;
  guint64           bytes_total;
  guint             request_count;   /* the engine's own; the downloader counts its own */

  guint             automatic : 1;
  guint             signed_in : 1;
  guint             automatic_source_id;
  guint             backoff_ms;      /* the last delay, 0 after a success */
  guint             backoff_initial_ms;
  gint64            user_refreshed_at;  /* monotonic: the last GET /session asked, 0: none */
};

/* One run: a pull (the outbox, then the change feed: docket-sync-pull.c), then the
 * downloads (the downloader). */
struct _DocketSyncRun
{
  DocketSync     *self;            /* owned */
  GPtrArray      *tasks;           /* GTask*: everyone waiting for this run */
  GCancellable   *cancellable;
  GError         *error;           /* the first failure */
  gulong          cancelled_id;
  gint64          started_at;      /* monotonic, for the timings in debug output */
  guint           downloading : 1; /* past its pull: the downloads are under way */
};

/* One pull: the token if not read yet, the outbox, the change feed. The run's first
 * stage, or alone (docket_sync_pull_async), beside a run's downloads. */
struct _DocketSyncPull
{
  DocketSync     *self;            /* owned */
  GPtrArray      *waiters;         /* PullWaiter* (docket-sync-pull.c): who waits for it */
  GCancellable   *cancellable;
  char           *cursor;          /* of the last page applied */
  GError         *error;           /* the first failure */
  gint64          started_at;      /* monotonic, for the timings in debug output */
  guint           restarted_feed : 1;   /* after 400 invalid_cursor, once */
  guint           found_documents : 1;  /* a page applied had a document: the downloader's */

  /* The change feed's pipeline (docket-sync-feed.c) */
  GCancellable   *feed_cancellable;  /* its requests; cancelled when a page fails */
  GQueue          parsed;            /* DocketChangesPage*: parsed, waiting to be applied */
  char           *fetch_cursor;      /* what the next request asks from; NULL: the beginning */
  DocketSyncPage *received;          /* a page's body waiting for the page before's parse */
  guint           requesting : 1;    /* a page asked for, or the restart under way */
  guint           parsing : 1;       /* a page being parsed */
  guint           applying : 1;      /* a page being applied */
  guint           fetch_more : 1;    /* the last page parsed said more: request the next */
  guint           restart_wanted : 1;  /* 400 invalid_cursor: restart once the rest is applied */
  guint           feed_done : 1;     /* the last page is applied */
  guint           feed_failed : 1;   /* a page failed: the ones after it are thrown away */
  guint           feed_stopped : 1;  /* a request failed: the pages before it still apply */
  guint           feed_complete : 1; /* every page applied, up to "more": false */
};

/* docket-sync.c: properties, notified only on a real change */
void      _docket_sync_set_state          (DocketSync      *self,
                                           DocketSyncState  state);
void      _docket_sync_set_error_message  (DocketSync *self,
                                           const char *message);
void      _docket_sync_set_bytes          (DocketSync *self,
                                           guint64     done,
                                           guint64     total);
void      _docket_sync_set_account        (DocketSync *self,
                                           const char *server_url,
                                           const char *username,
                                           gboolean    signed_in);
/* Overwrites the token in memory before it is freed. */
void      _docket_sync_forget_token       (DocketSync      *self);

/* docket-sync.c: requests and results */
/* Every request of the engine goes through here, to count in "request-count". */
void      _docket_sync_http_call_async    (DocketSync          *self,
                                           const char          *server_url,
                                           const char          *method,
                                           const char          *path,
                                           GBytes              *json_body,
                                           gboolean             with_token,
                                           gsize                max_bytes,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
/* The end of every operation that answers TRUE or an error (sign-in, sign-out, run). */
gboolean  _docket_sync_task_propagate_boolean (DocketSync    *self,
                                               GAsyncResult  *result,
                                               GError       **error);

/* docket-sync.c: the run */
/* The pull is done: the downloads, then the end of the run. */
void      _docket_sync_run_start_downloads (DocketSyncRun *run);
/* The live channel's state changed: notifies the engine's "live-state". */
void      _docket_sync_notify_live_state  (DocketSync    *self);
/* A pull found new documents: the downloader takes them (the run under way lists them
 * again; without one, a run that only downloads starts). */
void      _docket_sync_downloads_wanted   (DocketSync    *self);
/* The server refused the token (a 401, the live channel's 4401): forget it everywhere,
 * keep the account so that the sign-in page can offer it again, state SIGNED_OUT. */
void      _docket_sync_token_refused      (DocketSync    *self,
                                           const char    *message);

/* docket-sync-schedule.c */
/* A run nobody waits for (automatic mode, a request of the official): its outcome is in
 * the properties. */
void      _docket_sync_run_in_background  (DocketSync    *self);
/* A pull nobody waits for (the live channel's, one beside a run's downloads): a failure
 * is the next run's to report. */
void      _docket_sync_pull_in_background (DocketSync    *self);
/* The next automatic run in this many milliseconds, instead of the one planned. */
void      _docket_sync_schedule_automatic (DocketSync    *self,
                                           guint          milliseconds);

/* docket-sync-live-channel.c */
/* The live channel open when it should be (automatic mode, signed in, the token read),
 * closed otherwise. */
void      _docket_sync_live_update        (DocketSync    *self);
/* The engine's DocketLive, its signals connected (constructed); disconnected and
 * stopped (dispose). */
void      _docket_sync_live_channel_create  (DocketSync  *self);
void      _docket_sync_live_channel_dispose (DocketSync  *self);

/* docket-sync-account.c */
gboolean  _docket_sync_server_url_is_loopback (const char *server_url);

/* docket-sync-user.c */
/* Reads who is signed in (GET /api/v1/session) when the store does not know it (a
 * profile of an older Docket), at most once an hour, in the background. */
void      _docket_sync_refresh_user_if_unknown (DocketSync *self);
/* The live channel read the server's capabilities: the store keeps them. */
void      _docket_sync_capabilities_read  (DocketSync  *self,
                                           GStrv        capabilities);

/* docket-sync-pull.c */
/* Where a pull's time goes: G_MESSAGES_DEBUG=all docket --sync-once */
void      _docket_sync_pull_debug         (DocketSyncPull *pull,
                                           const char     *stage);
/* The first failure is the one reported; the others are consequences or repeats. */
void      _docket_sync_pull_take_error    (DocketSyncPull *pull,
                                           GError         *error);
/* Ends the pull: its waiters, the downloads it found, the next pull; frees it. */
void      _docket_sync_pull_finish        (DocketSyncPull *pull);
/* docket_sync_pull_finish (), and whether the feed was applied to its end (a run goes
 * on with its downloads then, even when the outbox reported a failure). */
gboolean  _docket_sync_pull_finish_full   (DocketSync     *self,
                                           GAsyncResult   *result,
                                           gboolean       *out_feed_complete,
                                           GError        **error);
/* The pull under way stops, and those waiting for the next one are told (a sign-in,
 * a sign-out, docket_sync_stop_automatic ()). */
void      _docket_sync_pull_cancel_all    (DocketSync     *self);

/* docket-sync-feed.c */
/* Pulls the feed from the pull's cursor; then _docket_sync_pull_finish (). */
void      _docket_sync_feed_start         (DocketSyncPull *pull);
/* Frees what the feed holds of a pull that ended. */
void      _docket_sync_feed_clear         (DocketSyncPull *pull);

G_END_DECLS
