/* docket-server-db.h: the server's SQLite database (WAL), its schema and its queries
 *
 * The server's DocketServerDb is used from the main thread only; workers read with
 * connections of their own (docket_server_db_open_reader). Every write takes the
 * next number of one global sequence (docs/protocol.md, "How the reference server
 * computes it") and runs in one transaction: an error leaves nothing written.
 *
 * Its files, by what they hold: docket-server-db.c (the connection and the helpers every
 * unit uses, on common/docket-sqlite.c), -db-schema.c (the schema, its migrations, the
 * check of a file before it is opened), -db-auth.c (users and tokens), -db-records.c
 * (who sees what, and reading records), -db-meetings.c (the secretaries' writes),
 * -db-annotations.c (the officials' own data), -db-live.c (the live meeting: its state,
 * attendance and speeches), -db-feed.c (the change feed), -db-channel.c (what the live
 * channel's fan-out reads of a window of the sequence). A failure
 * of SQLite itself is a DOCKET_SQLITE_ERROR (a 500 for a client); what the request did
 * wrong is a DOCKET_SERVER_ERROR.
 */
#pragma once

#include <glib-object.h>
#include <sqlite3.h>

#include "docket-records.h"
#include "docket-server-error.h"
#include "docket-sqlite.h"

G_BEGIN_DECLS

typedef struct {
  gint64      id;
  char       *username;
  char       *display_name;
  DocketRole  role;
  char       *organ;
  char       *password_hash;
  gboolean    disabled;
} DocketServerUser;

void              docket_server_user_free (DocketServerUser *user);
DocketServerUser *docket_server_user_copy (const DocketServerUser *user);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketServerUser, docket_server_user_free)

/* Fields of a meeting given by a POST or PATCH: NULL (or has_* FALSE) when absent. */
typedef struct {
  char                *title;
  char                *organ;
  GDateTime           *starts_at;
  GDateTime           *ends_at;
  char                *time_zone;
  char                *location;
  gboolean             has_status;
  DocketMeetingStatus  status;
  gboolean             has_quorum;
  DocketQuorumRule     quorum;
} DocketServerMeetingFields;

typedef struct {
  char     *title;
  char     *number;
  char     *presenter;
  char     *description;
  gboolean  has_parent;
  char     *parent_id;                 /* NULL with has_parent: top level */
  gboolean  has_position;
  int       position;
} DocketServerItemFields;

typedef struct {
  char     *title;
  gboolean  has_position;
  int       position;
} DocketServerDocumentFields;

void docket_server_meeting_fields_clear  (DocketServerMeetingFields  *fields);
void docket_server_item_fields_clear     (DocketServerItemFields     *fields);
void docket_server_document_fields_clear (DocketServerDocumentFields *fields);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DocketServerMeetingFields, docket_server_meeting_fields_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DocketServerItemFields, docket_server_item_fields_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DocketServerDocumentFields, docket_server_document_fields_clear)

#define DOCKET_SERVER_TYPE_DB (docket_server_db_get_type ())
G_DECLARE_FINAL_TYPE (DocketServerDb, docket_server_db, DOCKET_SERVER, DB, GObject)

/* The schema version this build writes (PRAGMA user_version; the steps are in
 * docket-server-db-schema.c). */
#define DOCKET_SERVER_DB_SCHEMA_VERSION 4

/* The meta key a backup's copy of the database carries (docket-server-backup.c): the
 * time it was made. Opening a database with it gives its feed a new epoch. */
#define DOCKET_SERVER_DB_BACKUP_MARK "backup_made_at"

/* Opens (creating if needed) DATA_DIR/docket-server.db: checks it first (a newer schema,
 * or a file not ours, is refused untouched), upgrades an older schema step by step,
 * and gives a restored backup a new epoch. */
DocketServerDb   *docket_server_db_open            (const char      *path,
                                                    GError         **error);
/* Whether path (absent: a new database, version 0) is a database this build can open,
 * without writing to it; its schema version. */
gboolean          docket_server_db_check_file      (const char      *path,
                                                    int             *out_version,
                                                    GError         **error);
/* The epoch of the change feed's history: a random text that every cursor carries, new
 * whenever a backup of the database is restored (docs/protocol.md, "Change feed"). */
const char       *docket_server_db_get_epoch       (DocketServerDb  *self);
/* Another connection to the database at path, which docket_server_db_open made, for
 * reading alone (writes fail), for a worker thread: a DocketServerDb keeps no state
 * between calls but its connection, so one thread at a time may use it. */
DocketServerDb   *docket_server_db_open_reader     (const char      *path,
                                                    GError         **error);
sqlite3          *docket_server_db_get_handle      (DocketServerDb  *self);

/* Low-level helpers shared by the db's units: the common layer (docket-sqlite.h) on the
 * connection of self, with its meaning (the caller finalizes a statement it was given;
 * failures are DOCKET_SQLITE_ERRORs). */
gboolean          docket_server_db_exec            (DocketServerDb  *self,
                                                    const char      *sql,
                                                    GError         **error);
sqlite3_stmt     *docket_server_db_prepare         (DocketServerDb  *self,
                                                    const char      *sql,
                                                    GError         **error);
gboolean          docket_server_db_step_done       (DocketServerDb  *self,
                                                    sqlite3_stmt    *stmt,
                                                    GError         **error);
gboolean          docket_server_db_begin           (DocketServerDb  *self,
                                                    GError         **error);
gboolean          docket_server_db_commit          (DocketServerDb  *self,
                                                    GError         **error);
void              docket_server_db_rollback        (DocketServerDb  *self);
/* Inside a transaction: takes the next sequence number. */
gint64            docket_server_db_next_seq        (DocketServerDb  *self,
                                                    GError         **error);
gint64            docket_server_db_get_top_seq     (DocketServerDb  *self,
                                                    GError         **error);

/* A value bound to a statement's parameter: text (NULL binds SQL NULL) or a number, as
 * in the common layer. */
typedef DocketSqliteValue DocketServerDbValue;

#define DOCKET_SERVER_DB_TEXT(s) DOCKET_SQLITE_TEXT (s)
#define DOCKET_SERVER_DB_INT(n)  DOCKET_SQLITE_INT (n)

/* Prepares sql and binds values to its parameters 1, 2, 3... in order. */
sqlite3_stmt     *docket_server_db_prepare_bound   (DocketServerDb             *self,
                                                    const char                 *sql,
                                                    const DocketServerDbValue  *values,
                                                    guint                       n_values,
                                                    GError                    **error);
/* Prepares, binds and runs one statement that returns no rows worth reading. */
gboolean          docket_server_db_run_bound       (DocketServerDb             *self,
                                                    const char                 *sql,
                                                    const DocketServerDbValue  *values,
                                                    guint                       n_values,
                                                    GError                    **error);

/* The values as the arguments of a call: a compound-literal array and its length. */
#define DOCKET_SERVER_DB_VALUES(...) DOCKET_SQLITE_VALUES (__VA_ARGS__)

/* docket_server_db_run (db, sql, error, DOCKET_SERVER_DB_TEXT (id), DOCKET_SERVER_DB_INT (seq)) */
#define docket_server_db_run(self, sql, error, ...) \
  docket_server_db_run_bound ((self), (sql), DOCKET_SERVER_DB_VALUES (__VA_ARGS__), (error))
#define docket_server_db_prepare_with(self, sql, error, ...) \
  docket_server_db_prepare_bound ((self), (sql), DOCKET_SERVER_DB_VALUES (__VA_ARGS__), (error))

/* Called for each row of a statement; FALSE (with error) stops the walk. */
typedef DocketSqliteRowFunc DocketServerDbRowFunc;

/* Steps stmt to its end, calling func on each row. stmt may be NULL (a failed prepare
 * that set error): then it returns FALSE. */
gboolean          docket_server_db_each_row        (DocketServerDb             *self,
                                                    sqlite3_stmt               *stmt,
                                                    DocketServerDbRowFunc       func,
                                                    gpointer                    user_data,
                                                    GError                    **error);

char             *docket_server_db_new_id          (char             prefix);

/* meta key/value (e.g. "demo_seeded") */
char             *docket_server_db_get_meta        (DocketServerDb  *self,
                                                    const char      *key);
gboolean          docket_server_db_set_meta        (DocketServerDb  *self,
                                                    const char      *key,
                                                    const char      *value,
                                                    GError         **error);

/* Users (docket-server-db-auth.c) */
gboolean          docket_server_db_add_user        (DocketServerDb  *self,
                                                    const char      *username,
                                                    const char      *display_name,
                                                    DocketRole       role,
                                                    const char      *organ,
                                                    const char      *password_hash,
                                                    GError         **error);
DocketServerUser *docket_server_db_find_user       (DocketServerDb  *self,
                                                    const char      *username,
                                                    GError         **error);
GPtrArray        *docket_server_db_list_users      (DocketServerDb  *self,
                                                    GError         **error);
/* Sets the password's hash and revokes the user's tokens. */
gboolean          docket_server_db_set_password    (DocketServerDb  *self,
                                                    const char      *username,
                                                    const char      *password_hash,
                                                    GError         **error);
/* Disables the user and revokes their tokens. */
gboolean          docket_server_db_disable_user    (DocketServerDb  *self,
                                                    const char      *username,
                                                    GError         **error);

/* Tokens (docket-server-db-auth.c): only the SHA-256 of a token is stored. */
gboolean          docket_server_db_add_token       (DocketServerDb  *self,
                                                    const char      *token_hash,
                                                    gint64           user_id,
                                                    gint64           expires_at,
                                                    GError         **error);
/* The enabled user of an unexpired token, or NULL with UNAUTHORIZED. */
DocketServerUser *docket_server_db_user_for_token  (DocketServerDb  *self,
                                                    const char      *token_hash,
                                                    gint64           now,
                                                    GError         **error);
gboolean          docket_server_db_revoke_token    (DocketServerDb  *self,
                                                    const char      *token_hash,
                                                    GError         **error);
/* Deletes the tokens expired at now (seconds since 1970); out_pruned: how many. */
gboolean          docket_server_db_prune_expired_tokens (DocketServerDb  *self,
                                                         gint64           now,
                                                         guint           *out_pruned,
                                                         GError         **error);

/* Visibility (docket-server-db-records.c; docs/protocol.md, "Roles and who may see
 * what"). */
/* The rule itself, on what is known of a meeting (its organ, whether it is a draft,
 * whether user takes part in it): what docket_server_db_user_sees_meeting reads for one
 * user, the live channel's fan-out for every connected user at once. */
gboolean          docket_server_user_sees              (const DocketServerUser  *user,
                                                        const char              *organ,
                                                        gboolean                 draft,
                                                        gboolean                 participant);
gboolean          docket_server_db_user_sees_meeting   (DocketServerDb          *self,
                                                        const DocketServerUser  *user,
                                                        const char              *meeting_id,
                                                        GError                 **error);
/* NOT_FOUND when the user does not see the meeting, FORBIDDEN when they may not manage
 * it. */
gboolean          docket_server_db_check_manage_meeting (DocketServerDb          *self,
                                                         const DocketServerUser  *user,
                                                         const char              *meeting_id,
                                                         GError                 **error);
/* The meeting an item or a document belongs to, or NULL with NOT_FOUND. */
char             *docket_server_db_item_meeting        (DocketServerDb  *self,
                                                        const char      *item_id,
                                                        GError         **error);
char             *docket_server_db_document_meeting    (DocketServerDb  *self,
                                                        const char      *document_id,
                                                        GError         **error);

/* Records, as the protocol shows them (docket-server-db-records.c). */
DocketMeetingRecord    *docket_server_db_load_meeting   (DocketServerDb  *self,
                                                         const char      *meeting_id,
                                                         GError         **error);
DocketAgendaItemRecord *docket_server_db_load_item      (DocketServerDb  *self,
                                                         const char      *item_id,
                                                         GError         **error);
DocketDocumentRecord   *docket_server_db_load_document  (DocketServerDb  *self,
                                                         const char      *document_id,
                                                         GError         **error);
/* Items of a meeting, parents before their sub-items, siblings by position. */
GPtrArray              *docket_server_db_load_items     (DocketServerDb  *self,
                                                         const char      *meeting_id,
                                                         GError         **error);
/* Documents of a meeting, by item and position. */
GPtrArray              *docket_server_db_load_documents (DocketServerDb  *self,
                                                         const char      *meeting_id,
                                                         GError         **error);

/* Writes (docket-server-db-meetings.c). Each returns the new record or FALSE/NULL with
 * a DOCKET_SERVER_ERROR, and writes nothing on error. */
DocketMeetingRecord    *docket_server_db_create_meeting (DocketServerDb                  *self,
                                                         const DocketServerUser          *user,
                                                         const DocketServerMeetingFields *fields,
                                                         GError                         **error);
DocketMeetingRecord    *docket_server_db_update_meeting (DocketServerDb                  *self,
                                                         const char                      *meeting_id,
                                                         const DocketServerMeetingFields *fields,
                                                         GError                         **error);
gboolean                docket_server_db_delete_meeting (DocketServerDb  *self,
                                                         const char      *meeting_id,
                                                         GError         **error);
/* Adds (present) or removes a participant; one added has the meeting role member, one
 * already there keeps theirs. */
gboolean                docket_server_db_set_participant (DocketServerDb  *self,
                                                          const char      *meeting_id,
                                                          const char      *username,
                                                          gboolean         present,
                                                          GError         **error);
/* Adds a participant, or changes the meeting role of one already there: meeting_role
 * NULL keeps theirs (member for a new one). CONFLICT for a second chair. */
gboolean                docket_server_db_put_participant (DocketServerDb           *self,
                                                          const char               *meeting_id,
                                                          const char               *username,
                                                          const DocketMeetingRole  *meeting_role,
                                                          GError                  **error);
DocketAgendaItemRecord *docket_server_db_create_item    (DocketServerDb               *self,
                                                         const char                   *meeting_id,
                                                         const DocketServerItemFields *fields,
                                                         GError                      **error);
DocketAgendaItemRecord *docket_server_db_update_item    (DocketServerDb               *self,
                                                         const char                   *item_id,
                                                         const DocketServerItemFields *fields,
                                                         GError                      **error);
gboolean                docket_server_db_delete_item    (DocketServerDb  *self,
                                                         const char      *item_id,
                                                         GError         **error);
DocketDocumentRecord   *docket_server_db_create_document (DocketServerDb  *self,
                                                          const char      *item_id,
                                                          const char      *title,
                                                          const char      *sha256,
                                                          gint64           size,
                                                          int              pages,
                                                          GError         **error);
DocketDocumentRecord   *docket_server_db_update_document (DocketServerDb                   *self,
                                                          const char                       *document_id,
                                                          const DocketServerDocumentFields *fields,
                                                          GError                          **error);
gboolean                docket_server_db_delete_document (DocketServerDb  *self,
                                                          const char      *document_id,
                                                          GError         **error);
/* The SHA-256 of a document's content, or NULL with NOT_FOUND. */
char                   *docket_server_db_document_sha256 (DocketServerDb  *self,
                                                          const char      *document_id,
                                                          GError         **error);

/* The change feed (docket-server-db-feed.c). since may be NULL (from the beginning). */
DocketChangesPage      *docket_server_db_changes        (DocketServerDb          *self,
                                                         const DocketServerUser  *user,
                                                         const char              *since,
                                                         guint                    limit,
                                                         GError                 **error);

/* The officials' own data (docket-server-db-annotations.c; their tables are in the
 * migrations of docket-server-db-schema.c): annotations and notes, each user's alone. Every
 * write stores its answer under (user, op_id) in the same transaction. */
/* The answer already given to op_id of user: TRUE with the status and JSON answer;
 * FALSE without error when op_id is new; CONFLICT when op_id was used for another
 * request ("METHOD PATH"). */
gboolean                docket_server_db_find_op        (DocketServerDb          *self,
                                                         const DocketServerUser  *user,
                                                         const char              *op_id,
                                                         const char              *request,
                                                         guint                   *out_status,
                                                         char                   **out_answer,
                                                         GError                 **error);
/* Creates (201) or replaces (200) the user's annotation record (checked by the codec;
 * its document in meeting_id, which the user sees), stamping the revision and the
 * server's time. CONFLICT for another user's id or another document, GONE for a deleted
 * annotation. */
gboolean                docket_server_db_put_annotation (DocketServerDb                *self,
                                                         const DocketServerUser        *user,
                                                         const char                    *meeting_id,
                                                         const DocketAnnotationRecord  *record,
                                                         const char                    *op_id,
                                                         const char                    *request,
                                                         guint                         *out_status,
                                                         char                         **out_answer,
                                                         GError                       **error);
/* Deletes it for good (200); an id not there, or deleted already, answers 200 too.
 * NOT_FOUND for another user's annotation or one of a meeting the user does not see. */
gboolean                docket_server_db_delete_annotation (DocketServerDb          *self,
                                                            const DocketServerUser  *user,
                                                            const char              *id,
                                                            const char              *op_id,
                                                            const char              *request,
                                                            char                   **out_answer,
                                                            GError                 **error);
/* Sets the user's note on an agenda item or a document of meeting_id (200). */
gboolean                docket_server_db_put_note       (DocketServerDb          *self,
                                                         const DocketServerUser  *user,
                                                         const char              *meeting_id,
                                                         const DocketNoteRecord  *note,
                                                         const char              *op_id,
                                                         const char              *request,
                                                         char                   **out_answer,
                                                         GError                 **error);

/* Called for each of a user's annotations and notes; takes record (a
 * DocketAnnotationRecord* or DocketNoteRecord*, NULL for a deleted annotation). */
typedef gboolean (*DocketServerOwnFunc) (gint64             revision,
                                         DocketChangeType   type,
                                         const char        *id,
                                         gpointer           record,
                                         const char        *meeting_id,
                                         gpointer           user_data,
                                         GError           **error);
/* The user's annotations and notes whose revision is in (since, top], of meeting_id
 * (NULL: of every meeting), deleted annotations with include_deleted. */
gboolean                docket_server_db_each_own_change (DocketServerDb          *self,
                                                          gint64                   user_id,
                                                          const char              *meeting_id,
                                                          gint64                   since,
                                                          gint64                   top,
                                                          gboolean                 include_deleted,
                                                          DocketServerOwnFunc      func,
                                                          gpointer                 user_data,
                                                          GError                 **error);

/* The live meeting (docket-server-db-live.c; docs/protocol.md, "The live meeting").
 * Who may do what in the meeting is for the caller to check (the routes); these check
 * what the meeting's status and phase allow, and write each change in one transaction
 * under one sequence number, stamped on every record it changed. A meeting that is not
 * published gets CONFLICT; so does a move the phase or a speech's state does not allow. */

/* Fields of a PATCH of a meeting's state: has_* FALSE when absent. */
typedef struct {
  gboolean            has_phase;
  DocketMeetingPhase  phase;
  gboolean            has_current_item;
  char               *current_item_id;        /* NULL with has_current_item: none */
  gboolean            has_presentation;
  char               *presented_document_id;  /* NULL with has_presentation: none */
  int                 presented_page;
  gboolean            has_speech_limit;
  int                 speech_limit_seconds;
} DocketServerMeetingStateFields;

void docket_server_meeting_state_fields_clear (DocketServerMeetingStateFields *fields);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DocketServerMeetingStateFields, docket_server_meeting_state_fields_clear)

/* One line of a meeting's attendance log: who, which presence, when (RFC 3339). */
typedef struct {
  char           *username;
  DocketPresence  presence;
  char           *at;
} DocketServerAttendanceEntry;

void docket_server_attendance_entry_free (DocketServerAttendanceEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketServerAttendanceEntry, docket_server_attendance_entry_free)

/* user_id's meeting role in meeting_id; *out_is_participant FALSE (and the role
 * DOCKET_MEETING_ROLE_UNKNOWN) when they do not take part in it. */
gboolean                  docket_server_db_find_meeting_role    (DocketServerDb      *self,
                                                                 const char          *meeting_id,
                                                                 gint64               user_id,
                                                                 gboolean            *out_is_participant,
                                                                 DocketMeetingRole   *out_role,
                                                                 GError             **error);
/* The meeting's state; a not_started one (version 0) when it never changed. */
DocketMeetingStateRecord *docket_server_db_load_meeting_state   (DocketServerDb      *self,
                                                                 const char          *meeting_id,
                                                                 GError             **error);
/* Applies the fields given (the phase first, the others in the phase it leads to);
 * INVALID_FIELD for an item or a document not of the meeting, or a page not of the
 * document. Nothing that changes answers the state as it is, unwritten. */
DocketMeetingStateRecord *docket_server_db_update_meeting_state (DocketServerDb                        *self,
                                                                 const char                            *meeting_id,
                                                                 const DocketServerMeetingStateFields  *fields,
                                                                 GError                               **error);
/* Sets user_id's presence in meeting_id (a participant: the caller checked), and logs
 * it; the same presence again writes nothing. */
DocketAttendanceRecord   *docket_server_db_set_attendance       (DocketServerDb      *self,
                                                                 const char          *meeting_id,
                                                                 gint64               user_id,
                                                                 DocketPresence       presence,
                                                                 GError             **error);
/* The meeting's attendance log, in the order of the changes
 * (DocketServerAttendanceEntry*). */
GPtrArray                *docket_server_db_load_attendance_log  (DocketServerDb      *self,
                                                                 const char          *meeting_id,
                                                                 GError             **error);
/* A new waiting speech of user_id (a participant: the caller checked), numbered with
 * the change's sequence number. CONFLICT when they have one waiting or speaking. */
DocketSpeechRecord       *docket_server_db_request_floor        (DocketServerDb      *self,
                                                                 const char          *meeting_id,
                                                                 gint64               user_id,
                                                                 GError             **error);
DocketSpeechRecord       *docket_server_db_load_speech          (DocketServerDb      *self,
                                                                 const char          *speech_id,
                                                                 GError             **error);
/* Moves a speech to state (speaking, done or withdrawn); giving the floor ends the
 * speech under way. The state it has already writes nothing. */
DocketSpeechRecord       *docket_server_db_set_speech_state     (DocketServerDb      *self,
                                                                 const char          *speech_id,
                                                                 DocketSpeechState    state,
                                                                 GError             **error);
/* The meeting a speech belongs to, or NULL with NOT_FOUND. */
char                     *docket_server_db_speech_meeting       (DocketServerDb      *self,
                                                                 const char          *speech_id,
                                                                 GError             **error);

/* The live channel's fan-out (docket-server-db-channel.c), on a connection of its own. */

/* What decides who sees a meeting: its organ, whether it is a draft, and its
 * participants (a set of gint64 user ids). */
typedef struct {
  char       *organ;
  gboolean    draft;
  GHashTable *participants;
} DocketServerMeetingAudience;

void docket_server_meeting_audience_free (DocketServerMeetingAudience *audience);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketServerMeetingAudience, docket_server_meeting_audience_free)

/* What changed in the window (since, top] of the sequence: adds to out_meetings (a set
 * of ids) the meetings with a change of their own, their items, documents or live
 * records; to out_users (a set of gint64) those of user_ids_json (a JSON array of user
 * ids) whose own rows changed (access, annotations, notes). One statement each. */
gboolean                     docket_server_db_live_window      (DocketServerDb  *self,
                                                                gint64           since,
                                                                gint64           top,
                                                                const char      *user_ids_json,
                                                                GHashTable      *out_meetings,
                                                                GHashTable      *out_users,
                                                                GError         **error);
/* Who may see meeting_id now; NULL without error when it no longer exists. */
DocketServerMeetingAudience *docket_server_db_meeting_audience (DocketServerDb  *self,
                                                                const char      *meeting_id,
                                                                GError         **error);
/* Adds to out_dead (a set of texts) those of token_hashes_json (a JSON array of token
 * hashes) that no longer sign anyone in at now: expired, revoked, their user disabled. */
gboolean                     docket_server_db_dead_tokens      (DocketServerDb  *self,
                                                                const char      *token_hashes_json,
                                                                gint64           now,
                                                                GHashTable      *out_dead,
                                                                GError         **error);
/* PRAGMA data_version of the connection: it changes when another connection (of this
 * process or another) committed. */
gint64                       docket_server_db_data_version     (DocketServerDb  *self,
                                                                GError         **error);

G_END_DECLS
