/* docket-store.h: the client's offline cache, one SQLite database per profile
 *
 * Knows nothing of GTK or HTTP. Every function is thread-safe (one connection,
 * serialized by the store); the *_async variants run the query in a worker thread so
 * that the UI thread never waits on the disk. "changed" is emitted on the main context
 * of the thread that opened the store, after every write that commits.
 *
 * Layout of a profile directory:
 *   PROFILE/docket.db              the cache (WAL, foreign keys, PRAGMA user_version)
 *   PROFILE/documents/ab/abcd….pdf  document contents, named by their SHA-256
 *   PROFILE/documents/partial/     downloads in progress, "<sha256>.part"
 */
#pragma once

#include <gio/gio.h>

#include "docket-records.h"

G_BEGIN_DECLS

#define DOCKET_STORE_ERROR (docket_store_error_quark ())

typedef enum {
  DOCKET_STORE_ERROR_NEWER_SCHEMA,   /* the database was written by a newer Docket */
  DOCKET_STORE_ERROR_CORRUPT,        /* not a Docket database, or damaged */
  DOCKET_STORE_ERROR_IO,             /* disk full, permission denied, ... */
  DOCKET_STORE_ERROR_INVALID,        /* a change that does not fit the cache (unknown parent...) */
  DOCKET_STORE_ERROR_NO_SPACE,       /* the disk or the user's quota is full: free space, retry */
  DOCKET_STORE_ERROR_READ_ONLY,      /* the profile cannot be written: its permissions */
  DOCKET_STORE_ERROR_BUSY,           /* another program holds the database: retry later */
} DocketStoreError;

GQuark docket_store_error_quark (void);

/* The schema version this build writes. */
#define DOCKET_STORE_SCHEMA_VERSION 6

/* A meeting as the meeting list shows it. */
typedef struct {
  DocketMeetingRecord *meeting;
  guint                n_documents;
  guint                n_documents_offline;   /* whose content is in the profile, verified */
} DocketStoreMeetingRow;

/* A document as the meeting page shows it. */
typedef struct {
  DocketDocumentRecord *document;
  char                 *path;                 /* the verified local file, or NULL if not offline */
} DocketStoreDocumentRow;

void docket_store_meeting_row_free  (DocketStoreMeetingRow *row);
void docket_store_document_row_free (DocketStoreDocumentRow *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketStoreMeetingRow, docket_store_meeting_row_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketStoreDocumentRow, docket_store_document_row_free)

#define DOCKET_TYPE_STORE (docket_store_get_type ())
G_DECLARE_FINAL_TYPE (DocketStore, docket_store, DOCKET, STORE, GObject)

/* Creates the profile directory if needed, opens the database, upgrades an older
 * schema in place (in one transaction), refuses a newer one with
 * DOCKET_STORE_ERROR_NEWER_SCHEMA without touching it, and removes stale partial
 * files of documents no longer listed. */
DocketStore *docket_store_open               (const char    *profile_dir,
                                              GError       **error);
const char  *docket_store_get_profile_dir    (DocketStore   *self);
int          docket_store_get_schema_version (DocketStore   *self);

/* The account this profile is signed in to; NULL/NULL when none. */
gboolean     docket_store_get_account        (DocketStore   *self,
                                              char         **out_server_url,
                                              char         **out_username,
                                              GError       **error);
gboolean     docket_store_set_account        (DocketStore   *self,
                                              const char    *server_url,
                                              const char    *username,
                                              GError       **error);
/* Forgets the account and everything cached for it (database rows and files). */
gboolean     docket_store_clear              (DocketStore   *self,
                                              GError       **error);
/* Forgets everything cached (rows, files and the cursor) but keeps the account and the
 * official's own data: the next sync starts from the beginning, with an empty cache. */
gboolean     docket_store_clear_cache        (DocketStore   *self,
                                              GError       **error);

/* Forgets the cursor, and nothing else: the next page applied is the first of a full
 * sync (after 400 invalid_cursor, e.g. the server was restored from a backup). The
 * cache stays as it is meanwhile; see docket_store_apply_changes. At its end, the
 * official's annotations and notes the server had answered but no longer has (or has
 * older) are queued to be sent again. */
gboolean     docket_store_restart_feed       (DocketStore   *self,
                                              GError       **error);

/* The sync cursor; NULL before the first sync. */
char        *docket_store_dup_cursor         (DocketStore   *self);

/* Applies one page of the change feed and the new cursor in a single transaction:
 * either all of it is in the cache afterwards, or none of it (and error is set).
 * Deleting a meeting removes its items and documents; deleting an item removes its
 * children and documents. Document files no longer referenced are deleted after the
 * commit.
 *
 * A page applied while the cache has no cursor begins a full sync, which lasts (across
 * restarts) until a page without "more": that page's transaction also removes the
 * meetings, items and documents no page of the full sync brought. The official's
 * annotations, notes and outbox are never removed by it. Emits "outbox-changed" when it
 * queued operations (docket_store_restart_feed). */
gboolean     docket_store_apply_changes      (DocketStore        *self,
                                              DocketChangesPage  *page,
                                              GError            **error);

/* Document contents. */
char        *docket_store_dup_blob_path      (DocketStore   *self,
                                              const char    *sha256);   /* final place */
char        *docket_store_dup_partial_path   (DocketStore   *self,
                                              const char    *sha256);   /* download in progress */
/* Records that the file at docket_store_dup_blob_path () is complete and verified. */
gboolean     docket_store_mark_blob_complete (DocketStore   *self,
                                              const char    *sha256,
                                              GError       **error);
/* Documents whose content is not yet in the profile: GPtrArray of DocketDocumentRecord*. */
GPtrArray   *docket_store_list_missing_documents (DocketStore *self,
                                                  GError     **error);

/* ---- Contents after a reboot, and what each missing content is for
 *      (docket-store-blobs.c) -----------------------------------------------------------
 *
 * Contents are written without an fdatasync each: a completed content records the boot
 * (/proc/sys/kernel/random/boot_id) it was written under, and after a reboot it is
 * re-hashed once before it counts again (docs/architecture.md, "Durability"). */

/* This machine's boot id, read once; NULL where the system has none (then contents are
 * flushed to the disk before they count, as before). */
const char  *docket_store_get_boot_id        (void);
/* Complete contents written under another boot and not verified since: GPtrArray of
 * char* (their SHA-256). */
GPtrArray   *docket_store_list_blobs_to_verify (DocketStore *self,
                                                GError     **error);
/* The content re-hashed right: it is on the disk, nothing more to check. */
gboolean     docket_store_mark_blob_verified (DocketStore   *self,
                                              const char    *sha256,
                                              GError       **error);
/* The content is damaged or gone: forgets it and removes its file, so that the next
 * sync downloads it again. Emits "changed". */
gboolean     docket_store_forget_blob        (DocketStore   *self,
                                              const char    *sha256,
                                              GError       **error);

/* A content not yet in the profile and the documents that show it. */
typedef struct {
  DocketDocumentRecord *document;        /* one of them, for the download */
  GStrv                 meeting_ids;     /* every meeting with a document of these bytes */
  GStrv                 document_ids;
} DocketStoreMissingContent;

void         docket_store_missing_content_free (DocketStoreMissingContent *content);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketStoreMissingContent, docket_store_missing_content_free)

/* Like docket_store_list_missing_documents (), with the meetings and documents of each
 * content: GPtrArray of DocketStoreMissingContent*, in the order of the meetings' start
 * and the documents' position. */
GPtrArray   *docket_store_list_missing_contents (DocketStore *self,
                                                 GError     **error);

/* Reads for the models. GPtrArray of DocketStoreMeetingRow*, ordered by start time. */
GPtrArray   *docket_store_list_meetings      (DocketStore   *self,
                                              GError       **error);
void         docket_store_list_meetings_async  (DocketStore         *self,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
GPtrArray   *docket_store_list_meetings_finish (DocketStore   *self,
                                                GAsyncResult  *result,
                                                GError       **error);

/* A meeting's agenda, GPtrArray of DocketAgendaItemRecord*: depth first, each
 * parent before its children, siblings by position. */
GPtrArray   *docket_store_list_agenda_items  (DocketStore   *self,
                                              const char    *meeting_id,
                                              GError       **error);
void         docket_store_list_agenda_items_async  (DocketStore         *self,
                                                    const char          *meeting_id,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
GPtrArray   *docket_store_list_agenda_items_finish (DocketStore   *self,
                                                    GAsyncResult  *result,
                                                    GError       **error);

/* A meeting's documents, GPtrArray of DocketStoreDocumentRow*, by item then position. */
GPtrArray   *docket_store_list_documents     (DocketStore   *self,
                                              const char    *meeting_id,
                                              GError       **error);
void         docket_store_list_documents_async  (DocketStore         *self,
                                                 const char          *meeting_id,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
GPtrArray   *docket_store_list_documents_finish (DocketStore   *self,
                                                 GAsyncResult  *result,
                                                 GError       **error);

/* One meeting, or NULL with no error when it is not in the cache. */
DocketMeetingRecord  *docket_store_get_meeting  (DocketStore *self,
                                                 const char  *meeting_id,
                                                 GError     **error);
DocketStoreDocumentRow *docket_store_get_document (DocketStore *self,
                                                   const char  *document_id,
                                                   GError     **error);

/* ---- The live meeting (docket-store-live.c) ----------------------------------------
 *
 * A meeting's live records, as the feed brought them (docs/protocol.md, "The live
 * meeting"), and everything a live view of it needs, in one read. A value of a later
 * protocol (a phase, a role, a presence) is kept as UNKNOWN. */

typedef struct {
  char                     *meeting_id;
  DocketQuorumRule          quorum;
  DocketMeetingStateRecord *state;        /* never NULL: a not_started one when the feed brought none */
  GPtrArray                *participants; /* DocketParticipant*, with meeting_role, by display name */
  GPtrArray                *attendance;   /* DocketAttendanceRecord* */
  GPtrArray                *speeches;     /* DocketSpeechRecord*, by number */
} DocketStoreMeetingLive;

void         docket_store_meeting_live_free  (DocketStoreMeetingLive *live);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketStoreMeetingLive, docket_store_meeting_live_free)

/* NULL without error when the meeting is not in the cache (any more). */
DocketStoreMeetingLive *docket_store_load_meeting_live  (DocketStore  *self,
                                                         const char   *meeting_id,
                                                         GError      **error);
void         docket_store_load_meeting_live_async  (DocketStore         *self,
                                                    const char          *meeting_id,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
DocketStoreMeetingLive *docket_store_load_meeting_live_finish (DocketStore   *self,
                                                               GAsyncResult  *result,
                                                               GError       **error);

/* ---- Who is signed in, and what the server can do (docket-store.c) ------------------
 *
 * Kept in the account's row and in memory: the getters never wait on the disk, so the
 * UI thread may call them. Forgotten with the account (docket_store_clear). */

/* Who is signed in, as the sign-in answer (or GET /api/v1/session) said; NULL when
 * nobody, or when a profile of an older Docket has not been told yet. A copy. */
DocketUserRecord *docket_store_dup_account_user (DocketStore            *self);
gboolean     docket_store_set_account_user   (DocketStore            *self,
                                              const DocketUserRecord *user,
                                              GError                **error);
/* The server's capabilities as last read from GET /api/v1/info ("live", "attendance"...):
 * FALSE for any while they were never read. */
gboolean     docket_store_has_capability     (DocketStore   *self,
                                              const char    *capability);
/* A copy of them, NULL-terminated (empty while never read). */
GStrv        docket_store_dup_capabilities   (DocketStore   *self);
/* Whether the server runs live meetings: it lists meeting_state, attendance and speeches
 * (docs/protocol.md, GET /api/v1/info), what the client checks before offering them. */
gboolean     docket_store_runs_live_meetings (DocketStore   *self);
/* Keeps capabilities (NULL-terminated) and the time they were read (now). */
gboolean     docket_store_set_capabilities   (DocketStore         *self,
                                              const char * const  *capabilities,
                                              GError             **error);
/* When the capabilities were last read from the server, in Unix seconds; 0: never (or
 * for another account). */
gint64       docket_store_get_server_info_time (DocketStore *self);

/* ---- The reader's memory (docket-store-reader.c) --------------------------------- */

/* Where the official left a document: its page (from 0) and zoom (zoom_mode is a
 * DocketZoomMode of the UI, stored as a number). FALSE without error when none. */
gboolean     docket_store_get_view_state     (DocketStore   *self,
                                              const char    *document_id,
                                              guint         *out_page,
                                              int           *out_zoom_mode,
                                              double        *out_zoom_scale,
                                              GError       **error);
gboolean     docket_store_set_view_state     (DocketStore   *self,
                                              const char    *document_id,
                                              guint          page,
                                              int            zoom_mode,
                                              double         zoom_scale,
                                              GError       **error);

/* ---- The official's annotations and notes, and the outbox
 *      (docket-store-annotations.c) ---------------------------------------------------
 *
 * The official's own data. Every save commits at once (it survives the app being
 * killed) and, in the same transaction, queues an operation in the outbox that the sync
 * engine sends to the server. Operations carry a unique op_id, so that sending one
 * twice changes nothing. Saves and deletes emit "changed" and "outbox-changed" (the
 * sync engine listens to the latter and sends the operation soon). */

/* Inserts or updates record (by id), sets its updated_at to now, and queues
 * "put_annotation". record->id must be a UUID (g_uuid_string_random ()). */
gboolean     docket_store_save_annotation    (DocketStore                  *self,
                                              const DocketAnnotationRecord *record,
                                              GError                      **error);
void         docket_store_save_annotation_async  (DocketStore                  *self,
                                                  const DocketAnnotationRecord *record,
                                                  GCancellable                 *cancellable,
                                                  GAsyncReadyCallback           callback,
                                                  gpointer                      user_data);
gboolean     docket_store_save_annotation_finish (DocketStore   *self,
                                                  GAsyncResult  *result,
                                                  GError       **error);
/* Marks it deleted (kept as a tombstone until the server has it) and queues
 * "delete_annotation". */
gboolean     docket_store_delete_annotation  (DocketStore   *self,
                                              const char    *annotation_id,
                                              GError       **error);
void         docket_store_delete_annotation_async  (DocketStore         *self,
                                                    const char          *annotation_id,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean     docket_store_delete_annotation_finish (DocketStore   *self,
                                                    GAsyncResult  *result,
                                                    GError       **error);
/* A document's annotations, not deleted, GPtrArray of DocketAnnotationRecord*, by
 * page then creation time. */
GPtrArray   *docket_store_list_annotations   (DocketStore   *self,
                                              const char    *document_id,
                                              GError       **error);
void         docket_store_list_annotations_async  (DocketStore         *self,
                                                   const char          *document_id,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
GPtrArray   *docket_store_list_annotations_finish (DocketStore   *self,
                                                   GAsyncResult  *result,
                                                   GError       **error);

/* The note on an agenda item or a document: its text, "" when none. */
char        *docket_store_dup_note           (DocketStore       *self,
                                              DocketNoteTarget   target,
                                              const char        *target_id,
                                              GError           **error);
/* Saves text ("" removes the note) and queues "put_note". */
gboolean     docket_store_save_note          (DocketStore       *self,
                                              DocketNoteTarget   target,
                                              const char        *target_id,
                                              const char        *text,
                                              GError           **error);
void         docket_store_save_note_async    (DocketStore         *self,
                                              DocketNoteTarget     target,
                                              const char          *target_id,
                                              const char          *text,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean     docket_store_save_note_finish   (DocketStore   *self,
                                              GAsyncResult  *result,
                                              GError       **error);

/* The official's own data is theirs alone: signing out (docket_store_clear) forgets
 * it with the cache, operations not yet sent included. */

/* ---- The outbox, for the sync engine (docket-store-annotations.c) -----------------
 *
 * Operations go to the server in the order of seq. Consecutive saves of one annotation
 * or note while its operation waits are folded into that operation, which takes a new
 * op_id: an answer to the old op_id (sent before the fold) then applies the server's
 * revision but leaves the operation, with the newer state, to be sent. While an
 * annotation or a note has operations waiting, changes of it from the feed are skipped:
 * the local state wins until the server has it (docs/protocol.md, "Conflicts"). */

typedef enum {
  DOCKET_OUTBOX_PUT_ANNOTATION,
  DOCKET_OUTBOX_DELETE_ANNOTATION,
  DOCKET_OUTBOX_PUT_NOTE,
} DocketOutboxKind;

typedef struct {
  gint64            seq;
  char             *op_id;
  DocketOutboxKind  kind;
  char             *entity_id;      /* the annotation's id, or the note's target id */
  DocketNoteTarget  note_target;    /* PUT_NOTE */
  char             *body;           /* PUT_*: the record's JSON as saved; DELETE: "" */
  guint             attempts;       /* failures so far (network, server) */
  char             *last_error;     /* the last failure, or the reason of a refusal */
} DocketOutboxOp;

void         docket_outbox_op_free           (DocketOutboxOp *op);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketOutboxOp, docket_outbox_op_free)

/* The first max_ops operations waiting, GPtrArray of DocketOutboxOp*, in order. */
GPtrArray   *docket_store_list_outbox        (DocketStore   *self,
                                              guint          max_ops,
                                              GError       **error);
/* The seq of the last of the first within operations waiting (0 when none): what a
 * push that begins now may send, so that what is saved while it runs waits for the next. */
gboolean     docket_store_outbox_last_seq    (DocketStore   *self,
                                              guint          within,
                                              gint64        *out_seq,
                                              GError       **error);
/* The server has op_id: in one transaction, the operation leaves the outbox and the
 * server's answer (its revision and time) goes into the annotation or note. */
gboolean     docket_store_outbox_done_put_annotation (DocketStore                  *self,
                                                      const char                   *op_id,
                                                      const DocketAnnotationRecord *answer,
                                                      GError                      **error);
/* ... and a deleted annotation is forgotten once no operation of it waits any more. */
gboolean     docket_store_outbox_done_delete_annotation (DocketStore   *self,
                                                         const char    *op_id,
                                                         const char    *annotation_id,
                                                         GError       **error);
gboolean     docket_store_outbox_done_put_note (DocketStore            *self,
                                                const char             *op_id,
                                                const DocketNoteRecord *answer,
                                                GError                **error);
/* The server refused op (as it was sent) for good (a 4xx other than 401, 408 and 429): it leaves the
 * queue, so that the queue does not jam, and is kept with reason among the refused
 * operations (status: the HTTP status of the refusal, reason: what the server said). With
 * gone (410: the annotation was deleted on another computer), the
 * annotation and every operation of it go too. Emits "changed" and "outbox-refused". */
gboolean     docket_store_outbox_refused     (DocketStore           *self,
                                              const DocketOutboxOp  *op,
                                              guint                  status,
                                              const char            *reason,
                                              gboolean               gone,
                                              GError               **error);
/* A failure to be retried (network, server fault): counted, reason kept. */
gboolean     docket_store_outbox_failed      (DocketStore   *self,
                                              const char    *op_id,
                                              const char    *reason,
                                              GError       **error);
/* The refused operations, GPtrArray of DocketOutboxOp* (last_error: the reason), the
 * latest first. */
GPtrArray   *docket_store_list_outbox_refused (DocketStore  *self,
                                               GError      **error);
/* The official's changes the server does not have, which clearing the profile (a
 * sign-out, another account) would lose: out_waiting, the operations waiting in the
 * outbox; out_refused (may be NULL), those the server refused for good, whose changes
 * are kept on this computer only. */
gboolean     docket_store_count_outbox       (DocketStore   *self,
                                              guint         *out_waiting,
                                              guint         *out_refused,
                                              GError       **error);
void         docket_store_count_outbox_async  (DocketStore         *self,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean     docket_store_count_outbox_finish (DocketStore   *self,
                                               GAsyncResult  *result,
                                               guint         *out_waiting,
                                               guint         *out_refused,
                                               GError       **error);
/* The annotation by id, deleted or not (NULL without error when unknown); for the
 * sync engine and the tests. out_deleted may be NULL. */
DocketAnnotationRecord *docket_store_get_annotation (DocketStore   *self,
                                                     const char    *annotation_id,
                                                     gboolean      *out_deleted,
                                                     GError       **error);

/* ---- Search (docket-store-search.c) ---------------------------------------------------
 *
 * A full-text index of the pages of every document content in the profile, folded so
 * that "dai bieu" finds "Đại biểu" (docket-text-fold.h). */

typedef struct {
  char   *meeting_id;
  char   *meeting_title;
  char   *document_id;
  char   *document_title;
  guint   page;                 /* from 0 */
  char   *snippet;              /* Pango markup, what matched in <b></b> (a phrase's
                                 * words together, as one), the rest escaped */
  double  rank;                 /* lower is better (FTS5 bm25) */
  char   *match_text;           /* the first hit's words as the page writes them ("Đại
                                 * biểu"), for find in document */
} DocketSearchHit;

void docket_search_hit_free (DocketSearchHit *hit);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketSearchHit, docket_search_hit_free)

/* A complete document content (they are shared by the documents with the same bytes). */
typedef struct {
  char *sha256;
  char *path;                   /* the verified local file */
} DocketStoreContent;

void docket_store_content_free (DocketStoreContent *content);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketStoreContent, docket_store_content_free)

/* Complete contents whose text is not in the index yet, GPtrArray of
 * DocketStoreContent*, those of the earliest meetings first. */
GPtrArray   *docket_store_list_unindexed_contents (DocketStore  *self,
                                                   GError      **error);
/* Saves the text of each page of a content (page_texts: GPtrArray of char*, page 0
 * first; NULL or "" for a page without text) in one transaction, replacing what was
 * there, and emits "changed". An empty array marks a content whose text could not be
 * read (a damaged or encrypted PDF): it is not tried again. Does nothing, successfully,
 * when the content left the cache meanwhile. */
gboolean     docket_store_save_content_text      (DocketStore  *self,
                                                  const char   *sha256,
                                                  GPtrArray    *page_texts,
                                                  GError      **error);
/* The number of pages saved for a content, or -1 when it is not indexed. */
int          docket_store_get_indexed_pages      (DocketStore  *self,
                                                  const char   *sha256,
                                                  GError      **error);
/* Forgets the text of every content, so that the indexer reads them all again (after a
 * change to how text is folded, say; bench/reader, to time indexing from nothing). The
 * index is rebuilt empty, as in a new profile. Emits "changed". */
gboolean     docket_store_clear_search_index     (DocketStore  *self,
                                                  GError      **error);
/* How many complete contents wait for the indexer (a search may miss their words). */
gboolean     docket_store_count_unindexed_contents (DocketStore  *self,
                                                    guint        *out_count,
                                                    GError      **error);
void         docket_store_count_unindexed_contents_async  (DocketStore         *self,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
gboolean     docket_store_count_unindexed_contents_finish (DocketStore   *self,
                                                           GAsyncResult  *result,
                                                           guint         *out_count,
                                                           GError       **error);

/* Searches the pages of every cached document for what the official typed (never
 * FTS5 syntax: words, "a phrase", the last word a prefix while it is being typed;
 * folded, so case and diacritics do not matter). GPtrArray of DocketSearchHit*, at
 * most limit, best first; a page of a content shared by several cached documents gives
 * a hit in each. No words to search for: an empty array. */
GPtrArray   *docket_store_search                 (DocketStore  *self,
                                                  const char   *text,
                                                  guint         limit,
                                                  GError      **error);
void         docket_store_search_async           (DocketStore         *self,
                                                  const char          *text,
                                                  guint                limit,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
GPtrArray   *docket_store_search_finish          (DocketStore   *self,
                                                  GAsyncResult  *result,
                                                  GError       **error);

G_END_DECLS
