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
} DocketStoreError;

GQuark docket_store_error_quark (void);

/* The schema version this build writes. */
#define DOCKET_STORE_SCHEMA_VERSION 3

/* A meeting as the meeting list shows it. */
typedef struct {
  DocketMeetingRecord *meeting;
  guint                n_documents;
  guint                n_documents_offline;   /* whose content is in the profile */
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
/* Forgets everything cached (rows, files and the cursor) but keeps the account: the
 * next sync starts from the beginning (after 400 invalid_cursor). */
gboolean     docket_store_clear_cache        (DocketStore   *self,
                                              GError       **error);

/* The sync cursor; NULL before the first sync. */
char        *docket_store_dup_cursor         (DocketStore   *self);

/* Applies one page of the change feed and the new cursor in a single transaction:
 * either all of it is in the cache afterwards, or none of it (and error is set).
 * Deleting a meeting removes its items and documents; deleting an item removes its
 * children and documents. Document files no longer referenced are deleted after the
 * commit. */
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
 * twice changes nothing. Saves and deletes emit "changed". */

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
  char   *snippet;              /* Pango markup, the hits in <b></b>, the rest escaped */
  double  rank;                 /* lower is better (FTS5 bm25) */
} DocketSearchHit;

void docket_search_hit_free (DocketSearchHit *hit);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketSearchHit, docket_search_hit_free)

G_END_DECLS
