/* docket-sync.h: the sync engine, from a Docket server into a DocketStore
 *
 * Knows nothing of widgets. Runs on the main context of the thread that created it,
 * with libsoup's async API; heavy work (applying a page to the store, hashing a
 * downloaded file) runs in worker threads. The UI binds to its properties:
 *   "state"          DocketSyncState
 *   "bytes-done"     guint64, document bytes downloaded in this run
 *   "bytes-total"    guint64, document bytes this run has to download
 *   "error-message"  char*, a sentence for the user when state is ERROR, else NULL
 *   "signed-in"      gboolean
 *   "username"       char*, "server-url" char*
 *   "last-synced"    GDateTime*, the end of the last successful run (NULL before)
 *   "live-state"     DocketLiveState, the live channel's: in automatic mode, the engine
 *                    keeps a WebSocket to the server open, which says when to pull
 *   "backoff-initial-ms" guint, read-write: the first retry delay of automatic mode
 *                    after a network error (default 5000; it doubles up to five
 *                    minutes). The environment variable DOCKET_SYNC_BACKOFF_MS sets
 *                    the default, for tests of the whole application.
 *
 * Downloads, per document content (documents with the same bytes share one):
 * docket_sync_get_download () says whether the engine is downloading it, has it waiting
 * in its queue, or failed to (and why); "download-changed" (sha256, meeting ids) is
 * emitted when that changes and, at most ten times a second, as bytes arrive. What the
 * engine does not mention is either in the profile (the store says so) or missing.
 */
#pragma once

#include <gio/gio.h>

#include "docket-store.h"

G_BEGIN_DECLS

#define DOCKET_SYNC_ERROR (docket_sync_error_quark ())

/* The longest retry delay, of automatic mode after a network error and of a content
 * that failed: five minutes (and the largest "backoff-initial-ms"). */
#define DOCKET_SYNC_BACKOFF_MAX_MS (5 * 60 * 1000)

/* The retry delay after one more failure: initial_ms after the first (current_ms 0),
 * then doubled each time, up to DOCKET_SYNC_BACKOFF_MAX_MS (or initial_ms when that is
 * longer). The rule of both the engine's runs and each content's downloads. */
guint docket_sync_next_backoff_ms (guint current_ms,
                                   guint initial_ms);

typedef enum {
  DOCKET_SYNC_ERROR_UNREACHABLE,          /* DNS, connection refused, timeout */
  DOCKET_SYNC_ERROR_TLS,                  /* the certificate could not be verified */
  DOCKET_SYNC_ERROR_INVALID_CREDENTIALS,  /* wrong user name or password */
  DOCKET_SYNC_ERROR_TOO_MANY_ATTEMPTS,    /* the server slows sign-in down */
  DOCKET_SYNC_ERROR_SIGNED_OUT,           /* no token, or the server refused it */
  DOCKET_SYNC_ERROR_PROTOCOL,             /* a broken or hostile answer */
  DOCKET_SYNC_ERROR_CHECKSUM,             /* a document did not match its SHA-256 */
  DOCKET_SYNC_ERROR_SERVER,               /* a 5xx answer */
  DOCKET_SYNC_ERROR_OFFLINE,              /* the network monitor says there is no network */
  DOCKET_SYNC_ERROR_STORE,                /* the cache could not be written (disk full...) */
  DOCKET_SYNC_ERROR_SECRETS,              /* the Secret Service is missing or locked */
  DOCKET_SYNC_ERROR_UNSENT,               /* refused: the official's changes are not sent yet */
  DOCKET_SYNC_ERROR_REFUSED,              /* the server said no to an action (403, 404, 409...):
                                           * the message says why, for the person who tried */
} DocketSyncError;

GQuark docket_sync_error_quark (void);

typedef enum {
  DOCKET_SYNC_STATE_SIGNED_OUT,
  DOCKET_SYNC_STATE_IDLE,
  DOCKET_SYNC_STATE_SYNCING,
  DOCKET_SYNC_STATE_OFFLINE,
  DOCKET_SYNC_STATE_ERROR,
} DocketSyncState;

typedef enum {
  DOCKET_DOWNLOAD_STATE_NONE,          /* nothing under way: in the profile, or missing */
  DOCKET_DOWNLOAD_STATE_WAITING,       /* in the queue of the run under way */
  DOCKET_DOWNLOAD_STATE_DOWNLOADING,   /* bytes arriving */
  DOCKET_DOWNLOAD_STATE_FAILED,        /* see reason and message; Retry is possible */
} DocketDownloadState;

/* The live channel (docs/protocol.md, "The live channel"): whether changes arrive as
 * they happen. */
typedef enum {
  DOCKET_LIVE_STATE_OFFLINE,       /* not signed in, not started, or no network */
  DOCKET_LIVE_STATE_CONNECTING,    /* the first connection since it started */
  DOCKET_LIVE_STATE_LIVE,          /* connected: the server says when something changes */
  DOCKET_LIVE_STATE_RECONNECTING,  /* the connection dropped; trying again, with back-off */
  DOCKET_LIVE_STATE_UNAVAILABLE,   /* the server has no "live" capability */
} DocketLiveState;

/* DOCKET_TYPE_SYNC_STATE, DOCKET_TYPE_DOWNLOAD_STATE and DOCKET_TYPE_LIVE_STATE come from
 * the generated "docket-sync-enums.h". */

/* What the engine knows of one content's download. */
typedef struct {
  DocketDownloadState  state;
  guint64              bytes_done;
  guint64              bytes_total;
  DocketSyncError      reason;       /* FAILED: CHECKSUM, SERVER, STORE (disk full...),
                                      * OFFLINE or UNREACHABLE, PROTOCOL */
  const char          *message;      /* FAILED: a sentence for the official; owned by the
                                      * engine, valid until the next change */
} DocketDownloadInfo;

/* The downloads of one meeting's documents, summed. */
typedef struct {
  guint    n_waiting;
  guint    n_downloading;
  guint    n_failed;
  guint64  bytes_done;                /* of the contents waiting or downloading */
  guint64  bytes_total;
} DocketMeetingDownloads;

#define DOCKET_TYPE_SYNC (docket_sync_get_type ())
G_DECLARE_FINAL_TYPE (DocketSync, docket_sync, DOCKET, SYNC, GObject)

/* What the person typed as the server ("host:port", "host" or a URL) as the URL the
 * engine uses: "https://host[:port][/path]", or "http://" for the local machine only.
 * Anything else (another scheme, plain http to another machine) is refused with a
 * DOCKET_SYNC_ERROR_UNREACHABLE and a sentence saying why. */
char            *docket_sync_normalize_server_url (const char  *text,
                                                   GError     **error);

/* Reads the account from the store and its token from the Secret Service lazily,
 * on the first run. */
DocketSync      *docket_sync_new               (DocketStore *store);

DocketSyncState  docket_sync_get_state         (DocketSync  *self);
guint64          docket_sync_get_bytes_done    (DocketSync  *self);
guint64          docket_sync_get_bytes_total   (DocketSync  *self);
const char      *docket_sync_get_error_message (DocketSync  *self);
gboolean         docket_sync_get_signed_in     (DocketSync  *self);
const char      *docket_sync_get_username      (DocketSync  *self);
const char      *docket_sync_get_server_url    (DocketSync  *self);
GDateTime       *docket_sync_get_last_synced   (DocketSync  *self);
DocketLiveState  docket_sync_get_live_state    (DocketSync  *self);
/* HTTP requests this engine has sent since it was created (tests, benchmarks). */
guint            docket_sync_get_request_count (DocketSync  *self);

/* Signs in with POST /api/v1/session, keeps the token in the Secret Service, records
 * the account in the store. A different account than the store's clears the cache, but
 * is refused (DOCKET_SYNC_ERROR_UNSENT, the new session revoked) while changes of the
 * previous account wait in the outbox: they would be lost. */
void      docket_sync_sign_in_async    (DocketSync          *self,
                                        const char          *server_url,
                                        const char          *username,
                                        const char          *password,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean  docket_sync_sign_in_finish   (DocketSync    *self,
                                        GAsyncResult  *result,
                                        GError       **error);

/* How a sign-out treats the official's changes not yet sent (the store's outbox). */
typedef enum {
  /* Sends them first; if some are still not sent, refuses with DOCKET_SYNC_ERROR_UNSENT
   * (saying how many and why), still signed in, nothing removed. */
  DOCKET_SIGN_OUT_KEEP_UNSENT    = 0,
  /* The official chose to lose them: nothing is sent, the cache goes with them. */
  DOCKET_SIGN_OUT_DISCARD_UNSENT = 1 << 0,
} DocketSignOutFlags;

/* DELETE /api/v1/session (best effort when offline), forgets the token and the cache;
 * never the official's unsent changes without DOCKET_SIGN_OUT_DISCARD_UNSENT. */
void      docket_sync_sign_out_full_async (DocketSync          *self,
                                           DocketSignOutFlags   flags,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
/* docket_sync_sign_out_full_async () with DOCKET_SIGN_OUT_KEEP_UNSENT. */
void      docket_sync_sign_out_async   (DocketSync          *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean  docket_sync_sign_out_finish  (DocketSync    *self,
                                        GAsyncResult  *result,
                                        GError       **error);

/* One full run: a pull (below), then every missing document (several at once, resumed
 * with Range, verified). A run asked for while another is under way joins it. */
void      docket_sync_run_async        (DocketSync          *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean  docket_sync_run_finish       (DocketSync    *self,
                                        GAsyncResult  *result,
                                        GError       **error);

/* Sends the outbox and pulls the change feed now (pages of /changes until "more" is
 * false), on the API's own connections: never waits for a document download (a pull
 * asked for during one runs beside it; one asked for during another pull runs once
 * more after it, shared by everyone who asked meanwhile). New documents it finds are
 * handed to the downloader: the run under way lists them, or a run starts to download
 * them. The live channel asks for one whenever the server says something changed. */
void      docket_sync_pull_async       (DocketSync          *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean  docket_sync_pull_finish      (DocketSync    *self,
                                        GAsyncResult  *result,
                                        GError       **error);

/* Re-hashes, in a worker thread, the contents written under an earlier boot (without an
 * fdatasync: docs/architecture.md, "Durability of document contents"). Needs neither
 * the network nor a sign-in: the application calls it at start-up, so that a content
 * the crash damaged is forgotten (and downloaded again by the next run) and an intact
 * one becomes available at once. Until a content is checked, the store does not count
 * it as available to the reader nor to the indexer. Every run checks too, first.
 * out_n_forgotten: the contents found damaged or missing. */
void      docket_sync_verify_contents_async  (DocketSync          *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean  docket_sync_verify_contents_finish (DocketSync    *self,
                                              GAsyncResult  *result,
                                              guint         *out_n_forgotten,
                                              GError       **error);

/* Runs now, then every few minutes, retrying with back-off after network errors,
 * and again as soon as GNetworkMonitor says the network is back; and keeps the live
 * channel open (once the token is read), pulling whenever it says something changed. */
void      docket_sync_start_automatic  (DocketSync  *self);
/* Downloads (see the top of this file). Returns FALSE, with info->state NONE, when the
 * engine has nothing to say about this content. */
gboolean  docket_sync_get_download     (DocketSync          *self,
                                        const char          *sha256,
                                        DocketDownloadInfo  *info);
void      docket_sync_get_meeting_downloads (DocketSync             *self,
                                             const char             *meeting_id,
                                             DocketMeetingDownloads *summary);
/* "Make this meeting available offline first": its missing documents go to the head of
 * the download queue (of the run under way, or of a run started now), and those that
 * failed are tried again without waiting for their back-off. */
void      docket_sync_make_available_first (DocketSync *self,
                                            const char *meeting_id);
/* Tries a failed content again now, first in the queue. A content that failed for
 * itself (damaged, refused by the server) otherwise waits its back-off (the
 * "backoff-initial-ms" delay, doubling) before a run tries it again; a network failure
 * backs the whole run off, as always. */
void      docket_sync_retry_download   (DocketSync *self,
                                        const char *sha256);
void      docket_sync_stop_automatic   (DocketSync  *self);
/* An annotation or a note waits in the store's outbox: in automatic mode, runs soon
 * (or once more after the run under way, or at the retry already planned). The engine
 * calls it itself on the store's "outbox-changed"; every run sends the outbox first. */
void      docket_sync_queue_push       (DocketSync  *self);

guint     docket_sync_get_backoff_initial_ms (DocketSync *self);
void      docket_sync_set_backoff_initial_ms (DocketSync *self,
                                              guint       milliseconds);

/* ---- Who is signed in, and what the server can do (docket-sync-account.c) ----------
 *
 * The sign-in answer's user goes into the store (docket_store_dup_account_user), and the
 * capabilities the live channel reads (GET /api/v1/info, at each of its connections) do
 * too (docket_store_has_capability): a run with nothing new stays one request. An engine
 * that syncs by itself asks GET /api/v1/session after a run when the profile (of an
 * older Docket) knows the user's name alone. This asks for both now, and keeps them. */
void      docket_sync_refresh_account_async  (DocketSync          *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean  docket_sync_refresh_account_finish (DocketSync    *self,
                                              GAsyncResult  *result,
                                              GError       **error);

/* ---- The live meeting (docket-sync-live.c) ------------------------------------------
 *
 * What an official does in a meeting that is held (docs/protocol.md, "The live
 * meeting"). Each sends its request at once (never queued behind a download nor behind
 * a run) and answers through docket_sync_live_action_finish (): TRUE when the server
 * accepted it, else a GError whose message is for the person who tried: the server's
 * reason (DOCKET_SYNC_ERROR_REFUSED, in their language when this version knows it), or
 * why it could not be sent (OFFLINE, UNREACHABLE, SIGNED_OUT, SERVER). Nothing is
 * written to the store here: on success the engine pulls the change feed, which brings
 * the new state as it brings it to every other client. */

/* in_session starts the meeting, ended ends it (the chair or the meeting's secretary). */
void      docket_sync_set_meeting_phase_async (DocketSync          *self,
                                               const char          *meeting_id,
                                               DocketMeetingPhase   phase,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
/* item_id NULL: no current item. */
void      docket_sync_set_current_item_async  (DocketSync          *self,
                                               const char          *meeting_id,
                                               const char          *item_id,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
/* document_id NULL: the presentation stops; page counts from 0. */
void      docket_sync_present_async           (DocketSync          *self,
                                               const char          *meeting_id,
                                               const char          *document_id,
                                               int                  page,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
/* 0 to DOCKET_MAX_SPEECH_LIMIT_SECONDS; 0: no limit. */
void      docket_sync_set_speech_limit_async  (DocketSync          *self,
                                               const char          *meeting_id,
                                               int                  seconds,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
/* Checks username in (present, remote) or out (absent); NULL: the signed-in official.
 * Another participant: the chair's or the meeting's secretary's roll call. */
void      docket_sync_set_presence_async      (DocketSync          *self,
                                               const char          *meeting_id,
                                               const char          *username,
                                               DocketPresence       presence,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
/* The same, saying in which meeting role (UNKNOWN: not said): the server refuses it
 * when it is not the participant's (a guest checking in as a member). */
void      docket_sync_set_presence_full_async (DocketSync          *self,
                                               const char          *meeting_id,
                                               const char          *username,
                                               DocketPresence       presence,
                                               DocketMeetingRole    as_role,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
/* The signed-in official asks for the floor. */
void      docket_sync_request_floor_async     (DocketSync          *self,
                                               const char          *meeting_id,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
/* speaking gives the floor, done ends the speech, withdrawn withdraws the request. */
void      docket_sync_set_speech_state_async  (DocketSync          *self,
                                               const char          *speech_id,
                                               DocketSpeechState    state,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
/* The end of every action above. */
gboolean  docket_sync_live_action_finish      (DocketSync          *self,
                                               GAsyncResult        *result,
                                               GError             **error);

G_END_DECLS
