/* test-annotations-common.h: what test-annotations and test-annotations-hostile share */
#pragma once

#include "docket-store.h"
#include "docket-sync.h"
#include "docket-test-client.h"

G_BEGIN_DECLS

#define OFFICIAL  "daibieu1"

/* One computer of an official: a profile folder, its store and its sync engine. */
typedef struct {
  char        *path;
  DocketStore *store;
  DocketSync  *sync;
} Profile;

/* Opens the profile at path (remembered the first time): its store and sync engine. Closed
 * and opened again, it is a restart of Docket. */
void profile_open (Profile    *profile,
                   const char *path);

void profile_close (Profile *profile);

/* Closes the profile and forgets its path. */
void profile_clear (Profile *profile);

/* A profile of username in tmpdir/name, signed in to url and synced once. */
void profile_sign_in (Profile          *profile,
                      DocketTestServer *server,
                      const char       *url,
                      const char       *tmpdir,
                      const char       *name,
                      const char       *username);

/* New annotations, not saved yet (an id of their own each). */
DocketAnnotationRecord *new_highlight (const char *document_id,
                                       int         page,
                                       const char *color);

DocketAnnotationRecord *new_ink (const char *document_id);

/* Saves the record in the profile's store, asserting success. */
void save (Profile                *profile,
           DocketAnnotationRecord *record);

/* The annotation as the profile has it (deleted or not: NULL when none). */
DocketAnnotationRecord *get_annotation (Profile    *profile,
                                        const char *id,
                                        gboolean   *out_deleted);

guint count_annotations (Profile    *profile,
                         const char *document_id);

/* The operations waiting to be sent. */
guint outbox_length (Profile *profile);

/* The official's note on target (NULL when none). */
char *note_of (Profile          *profile,
               DocketNoteTarget  target,
               const char       *target_id);

G_END_DECLS
