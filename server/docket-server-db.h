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
 * -db-annotations.c (the officials' own data), -db-feed.c (the change feed). A failure
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
#define DOCKET_SERVER_DB_SCHEMA_VERSION 3

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
/* A sign-in's writes, in one transaction: the new token of user and, when
 * new_password_hash is not NULL (the password re-hashed with today's parameters), that
 * hash in place of user->password_hash, if the stored one is still that. */
gboolean          docket_server_db_open_session    (DocketServerDb         *self,
                                                    const char             *token_hash,
                                                    const DocketServerUser *user,
                                                    gint64                  expires_at,
                                                    const char             *new_password_hash,
                                                    GError                **error);
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
gboolean                docket_server_db_set_participant (DocketServerDb  *self,
                                                          const char      *meeting_id,
                                                          const char      *username,
                                                          gboolean         present,
                                                          GError         **error);
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

G_END_DECLS
