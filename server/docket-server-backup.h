/* docket-server-backup.h: a consistent copy of a data folder while the server runs,
 * and putting one back (docs/architecture.md, "Backups and restores")
 *
 * The database is copied first, with SQLite's online backup (one read transaction: one
 * state of it, while the server goes on writing), then the blobs that copy refers to:
 * they are named by their content and never change, so the files present when the copy
 * is read are the right ones. A blob is hard-linked when both folders are on one file
 * system, else copied to a temporary file renamed into place. The copy of the database
 * is put in place last, so that a folder with a database is a complete backup. It
 * carries DOCKET_SERVER_DB_BACKUP_MARK: whoever opens it as a data folder's database
 * gives its change feed a new epoch (docket-server-db-schema.c).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  guint n_blobs;     /* the blobs the copied database refers to */
  guint n_linked;    /* of them, hard-linked */
  guint n_copied;    /* of them, copied */
} DocketServerBackupResult;

typedef enum {
  DOCKET_SERVER_BACKUP_DEFAULT   = 0,
  DOCKET_SERVER_BACKUP_COPY_ONLY = 1 << 0,   /* never hard-link blobs (for tests) */
} DocketServerBackupFlags;

/* Copies the data folder data_dir (its docket-server.db and blobs/) to dest_dir, a new
 * or empty folder. Safe while the server runs. */
gboolean docket_server_backup  (const char                *data_dir,
                                const char                *dest_dir,
                                DocketServerBackupFlags    flags,
                                DocketServerBackupResult  *out_result,
                                GError                   **error);

/* Puts the backup in backup_dir into data_dir, in the place of its database: the blobs
 * first (those already there stay), then the database, whose feed gets a new epoch at
 * once. The server must be stopped. */
gboolean docket_server_restore (const char                *backup_dir,
                                const char                *data_dir,
                                DocketServerBackupResult  *out_result,
                                GError                   **error);

G_END_DECLS
