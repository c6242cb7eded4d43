/* docket-sync-private.h: what the files of the sync engine share, and nothing else sees
 *
 * DocketSync is one type in four files: docket-sync.c (the object, its properties, a
 * run and its schedule), docket-sync-account.c (sign-in, sign-out, the server's
 * address), docket-sync-feed.c (the change feed's pull, a stage of a run) and
 * docket-sync-downloads.c (its API on downloads). The downloads are a type of their
 * own, DocketDownloader, which the engine owns.
 */
#pragma once

#include <libsoup/soup.h>

#include "docket-downloader.h"
#include "docket-sync.h"

G_BEGIN_DECLS

typedef struct _DocketSyncRun DocketSyncRun;
typedef struct _DocketSyncPage DocketSyncPage;   /* docket-sync-feed.c */

struct _DocketSync
{
  GObject           parent_instance;

  /* Owned references */
  DocketStore      *store;
  SoupSession      *session;
  DocketDownloader *downloader;
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

  DocketSyncState   state;
  guint64           bytes_done;
  guint64           bytes_total;
  guint             request_count;   /* the engine's own; the downloader counts its own */

  guint             automatic : 1;
  guint             signed_in : 1;
  guint             automatic_source_id;
  guint             backoff_ms;      /* the last delay, 0 after a success */
  guint             backoff_initial_ms;
  gint64            account_refreshed_at;  /* monotonic: the last refresh asked, 0: none */
};

/* One run: the outbox, then the change feed (docket-sync-feed.c), then the downloads
 * (the downloader). */
struct _DocketSyncRun
{
  DocketSync     *self;            /* owned */
  GPtrArray      *tasks;           /* GTask*: everyone waiting for this run */
  GCancellable   *cancellable;
  char           *cursor;          /* of the last page applied */
  GError         *error;           /* the first failure */
  gulong          cancelled_id;
  gint64          started_at;      /* monotonic, for the timings in debug output */
  guint           restarted_feed : 1;   /* after 400 invalid_cursor, once */

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
/* Where a run's time goes: G_MESSAGES_DEBUG=all docket --sync-once */
void      _docket_sync_run_debug          (DocketSyncRun *run,
                                           const char    *stage);
/* The first failure is the one reported; the others are consequences or repeats. */
void      _docket_sync_run_take_error     (DocketSyncRun *run,
                                           GError        *error);
/* Ends the run: its state, its schedule, its callers; frees it. */
void      _docket_sync_run_finish         (DocketSyncRun *run);
/* The feed is applied: the downloads, then the end of the run. */
void      _docket_sync_run_start_downloads (DocketSyncRun *run);
/* A run nobody waits for (automatic mode, a request of the official): its outcome is in
 * the properties. */
void      _docket_sync_run_in_background  (DocketSync    *self);

/* docket-sync-account.c */
gboolean  _docket_sync_server_url_is_loopback (const char *server_url);
/* Reads the user and the capabilities again when they are an hour old or were never
 * read, in the background (docket_sync_refresh_account_async ()). */
void      _docket_sync_refresh_account_if_stale (DocketSync *self);

/* docket-sync-feed.c */
/* Pulls the feed from the run's cursor; then _docket_sync_run_start_downloads (), or
 * _docket_sync_run_finish () when it failed. */
void      _docket_sync_feed_start         (DocketSyncRun *run);
/* Frees what the feed holds of a run that ended. */
void      _docket_sync_feed_clear         (DocketSyncRun *run);

G_END_DECLS
