/* docket-server-db-private.h: what the units of DocketServerDb share and nothing else
 * needs (docket-server-db.h lists the units)
 */
#pragma once

#include "docket-server-db.h"

G_BEGIN_DECLS

/* Sets the usual NOT_FOUND ("No such thing, or you may not see it"); returns FALSE. */
gboolean   docket_server_db_set_not_found (GError               **error);

/* The first row of stmt made by read; no row is an error of not_found_code with
 * not_found_message, or the usual NOT_FOUND when that is NULL. stmt may be NULL (the
 * prepare failed and set error). */
gpointer   docket_server_db_read_row_or   (sqlite3_stmt          *stmt,
                                           DocketSqliteRowReader  read,
                                           int                    not_found_code,
                                           const char            *not_found_message,
                                           GError               **error);
/* The same, with the usual NOT_FOUND. */
gpointer   docket_server_db_read_row      (sqlite3_stmt          *stmt,
                                           DocketSqliteRowReader  read,
                                           GError               **error);

/* One write: opens its transaction (BEGIN IMMEDIATE) and takes its sequence number;
 * FALSE, rolled back, when either fails. */
gboolean   docket_server_db_begin_change  (DocketServerDb        *self,
                                           gint64                *out_seq,
                                           GError               **error);
/* Commits the write when ok, else undoes all of it; TRUE when it is committed. */
gboolean   docket_server_db_end_change    (DocketServerDb        *self,
                                           gboolean               ok,
                                           GError               **error);

/* The schema (docket-server-db-schema.c): brings the database of the connection from
 * version up to DOCKET_SERVER_DB_SCHEMA_VERSION, a step per transaction; then gives a
 * restored backup (path) an epoch of its own. */
gboolean   docket_server_db_migrate                  (DocketServerDb  *self,
                                                      int              version,
                                                      GError         **error);
gboolean   docket_server_db_rotate_epoch_if_restored (DocketServerDb  *self,
                                                      const char      *path,
                                                      GError         **error);

G_END_DECLS
