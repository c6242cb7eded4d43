/* test-annotations-common.c: what test-annotations and test-annotations-hostile share
 *
 * A profile (one computer of an official: its folder, store and sync engine), signed in
 * to the real docket-server or to a fake one, and the annotations the tests draw and
 * read back in it. Apart so that the two test programs (the real server's cases, the
 * fake servers' cases) have one copy.
 */
#include "config.h"

#include "test-annotations-common.h"

/* ---- profiles ------------------------------------------------------------------------ */

void
profile_open (Profile    *profile,
              const char *path)
{
  if (profile->path == NULL)
    profile->path = g_strdup (path);
  docket_test_profile_open (profile->path, &profile->store, &profile->sync);
}

void
profile_close (Profile *profile)
{
  docket_test_profile_close (&profile->store, &profile->sync);
}

void
profile_clear (Profile *profile)
{
  profile_close (profile);
  g_clear_pointer (&profile->path, g_free);
}

/* A profile of username in tmpdir/name, signed in to url and synced once. */
void
profile_sign_in (Profile          *profile,
                 DocketTestServer *server,
                 const char       *url,
                 const char       *tmpdir,
                 const char       *name,
                 const char       *username)
{
  g_autofree char *path = g_build_filename (tmpdir, name, NULL);
  g_autoptr(GError) error = NULL;

  profile_open (profile, path);
  error = docket_test_sync_sign_in (profile->sync, url, username,
                                    server != NULL ? docket_test_server_get_password (server, username) : "pw");
  g_assert_no_error (error);
}

/* ---- annotations ---------------------------------------------------------------------- */

DocketAnnotationRecord *
new_highlight (const char *document_id,
               int         page,
               const char *color)
{
  DocketAnnotationRecord *record = docket_annotation_record_new ();

  record->id = g_uuid_string_random ();
  record->document_id = g_strdup (document_id);
  record->page = page;
  record->kind = DOCKET_ANNOTATION_HIGHLIGHT;
  record->color = g_strdup (color);
  record->geometry = g_strdup ("{\"rects\": [[72, 100, 300.5, 112], [72, 114, 180, 126]]}");
  record->contents = g_strdup ("Số liệu cần kiểm tra");

  return record;
}

DocketAnnotationRecord *
new_ink (const char *document_id)
{
  DocketAnnotationRecord *record = docket_annotation_record_new ();

  record->id = g_uuid_string_random ();
  record->document_id = g_strdup (document_id);
  record->page = 0;
  record->kind = DOCKET_ANNOTATION_INK;
  record->color = g_strdup ("#1a5fb4");
  record->geometry = g_strdup ("{\"width\": 2, \"strokes\": [[10, 10, 20, 25, 30, 20], [50, 50]]}");
  record->contents = g_strdup ("");

  return record;
}

void
save (Profile                *profile,
      DocketAnnotationRecord *record)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (docket_store_save_annotation (profile->store, record, &error));
  g_assert_no_error (error);
}

/* The annotation as the profile has it (deleted or not: NULL when none). */
DocketAnnotationRecord *
get_annotation (Profile    *profile,
                const char *id,
                gboolean   *out_deleted)
{
  g_autoptr(GError) error = NULL;
  DocketAnnotationRecord *record = docket_store_get_annotation (profile->store, id, out_deleted, &error);

  g_assert_no_error (error);
  return record;
}

guint
count_annotations (Profile    *profile,
                   const char *document_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = docket_store_list_annotations (profile->store, document_id, &error);

  g_assert_no_error (error);
  return list->len;
}

guint
outbox_length (Profile *profile)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) ops = docket_store_list_outbox (profile->store, 1000, &error);

  g_assert_no_error (error);
  return ops->len;
}

char *
note_of (Profile          *profile,
         DocketNoteTarget  target,
         const char       *target_id)
{
  g_autoptr(GError) error = NULL;
  char *text = docket_store_dup_note (profile->store, target, target_id, &error);

  g_assert_no_error (error);
  return text;
}
