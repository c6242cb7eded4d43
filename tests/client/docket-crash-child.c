/* docket-crash-child.c: the client at work, for test-crash to kill
 *
 *   docket-crash-child [--exit-after-sync] PROFILE DOCUMENT_ID...
 *
 * Opens the profile (signed in by the test: the token is in the Secret Service of the test
 * session), starts one sync run, and meanwhile, on the same main loop, keeps saving
 * annotations on the documents through the store's async calls, one after the other, as
 * DocketAnnotationList does for the official. After each save whose callback reported
 * success it prints "saved ID" and flushes: that line is the acknowledgement the official
 * would see, and what the test holds the profile to after it kills this process.
 *
 * Most saves change an annotation saved before instead of making a new one, so that the
 * outbox folds operations too. The contents say how many times this process
 * saved the annotation ("lần N"): after a kill, the store must have at least the last N
 * acknowledged.
 *
 * It saves MAX_SAVES times at most. When the run ends it prints "synced" (or "sync-failed
 * MESSAGE") and goes on saving until it is killed or done; with --exit-after-sync it waits
 * for the save under way and exits 0 instead
 * (the test times a whole run that way, to spread its kills over one).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docket-store.h"
#include "docket-sync.h"

/* Between two saves. An official saves a few times a second at most; this is many times
 * faster, so that kills land inside saves too. */
#define SAVE_INTERVAL_MS 10
/* Saves per process. The run sends the outbox first, an operation at a time, and goes on
 * sending what is saved meanwhile (up to DOCKET_OUTBOX_MAX_PER_PUSH): saves without end,
 * faster than a slow build sends them, would keep the run from its downloads. */
#define MAX_SAVES 30
/* One save in NEW_EVERY makes a new annotation; the others change one this process saved
 * before (its waiting operation takes the change: the outbox folds it). */
#define NEW_EVERY 3

typedef struct {
  DocketStore  *store;
  DocketSync   *sync;
  GMainLoop    *loop;
  GStrv         document_ids;
  GPtrArray    *saved;            /* DocketAnnotationRecord*, as last saved */
  guint         n_saves;
  gboolean      saving;
  gboolean      exit_after_sync;
  gboolean      stopping;
} Child;

static void save_next (Child *child);

static gboolean
save_next_cb (gpointer user_data)
{
  save_next (user_data);
  return G_SOURCE_REMOVE;
}

static void
on_saved (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Child *child = user_data;
  g_autoptr(GError) error = NULL;
  DocketAnnotationRecord *record = g_ptr_array_index (child->saved, child->saved->len - 1);

  child->saving = FALSE;
  if (!docket_store_save_annotation_finish (DOCKET_STORE (object), result, &error))
    {
      /* Not an acknowledgement: the test sees the exit status and this message. */
      g_printerr ("saving annotation %s failed: %s\n", record->id, error->message);
      exit (2);
    }

  /* The record saved last is at the end of the list (moved there before the save). */
  printf ("saved %s\n", record->id);
  fflush (stdout);

  if (child->stopping)
    g_main_loop_quit (child->loop);
  else
    g_timeout_add (SAVE_INTERVAL_MS, save_next_cb, child);
}

static DocketAnnotationRecord *
new_annotation (Child *child)
{
  static const char * const colors[] = { "#f6d32d", "#1a5fb4", "#e01b24", "#2ec27e" };
  DocketAnnotationRecord *record = docket_annotation_record_new ();
  guint n = child->n_saves;

  record->id = g_uuid_string_random ();
  record->document_id = g_strdup (child->document_ids[g_random_int_range (0, (gint32) g_strv_length (child->document_ids))]);
  record->page = 0;
  record->color = g_strdup (colors[n % G_N_ELEMENTS (colors)]);
  switch (n % 3)
    {
    case 0:
      record->kind = DOCKET_ANNOTATION_HIGHLIGHT;
      record->geometry = g_strdup_printf ("{\"rects\": [[72, %u, 300, %u]]}", 100 + n % 500, 112 + n % 500);
      break;
    case 1:
      record->kind = DOCKET_ANNOTATION_INK;
      record->geometry = g_strdup ("{\"width\": 2, \"strokes\": [[10, 10, 20, 25, 30, 20]]}");
      break;
    default:
      record->kind = DOCKET_ANNOTATION_NOTE;
      record->geometry = g_strdup_printf ("{\"x\": %u, \"y\": 40}", 20 + n % 500);
      break;
    }
  record->contents = g_strdup ("Ý kiến, lần 1");
  return record;
}

/* The edit number in a record's contents ("Ý kiến, lần N"). */
static guint
edit_number (const DocketAnnotationRecord *record)
{
  const char *n = strrchr (record->contents, ' ');

  return n != NULL ? (guint) g_ascii_strtoull (n + 1, NULL, 10) : 0;
}

static void
save_next (Child *child)
{
  DocketAnnotationRecord *record;

  if (child->stopping)
    {
      g_main_loop_quit (child->loop);
      return;
    }
  /* Done saving: the run goes on until it ends (on_run_done) or the process is killed. */
  if (child->n_saves == MAX_SAVES)
    return;

  if (child->saved->len > 0 && child->n_saves % NEW_EVERY != 0)
    {
      /* An earlier one, edited again: it moves to the end, where on_saved () looks. */
      guint i = (guint) g_random_int_range (0, (gint32) child->saved->len);
      guint n;

      record = g_ptr_array_steal_index (child->saved, i);
      n = edit_number (record) + 1;
      g_free (record->contents);
      record->contents = g_strdup_printf ("Ý kiến, lần %u", n);
    }
  else
    record = new_annotation (child);

  g_ptr_array_add (child->saved, record);
  child->n_saves++;
  child->saving = TRUE;
  /* Not cancellable, as in DocketAnnotationList: an edit made is written. */
  docket_store_save_annotation_async (child->store, record, NULL, on_saved, child);
}

static void
on_run_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Child *child = user_data;
  g_autoptr(GError) error = NULL;

  if (docket_sync_run_finish (DOCKET_SYNC (object), result, &error))
    printf ("synced\n");
  else
    printf ("sync-failed %s\n", error->message);
  fflush (stdout);

  if (child->exit_after_sync)
    {
      child->stopping = TRUE;
      if (!child->saving)
        g_main_loop_quit (child->loop);
    }
}

int
main (int   argc,
      char *argv[])
{
  Child child = { 0 };
  g_autoptr(GError) error = NULL;
  int first = 1;

  if (argc > 1 && g_str_equal (argv[1], "--exit-after-sync"))
    {
      child.exit_after_sync = TRUE;
      first = 2;
    }
  if (argc < first + 2)
    {
      g_printerr ("usage: %s [--exit-after-sync] PROFILE DOCUMENT_ID...\n", argv[0]);
      return 1;
    }

  child.store = docket_store_open (argv[first], &error);
  if (child.store == NULL)
    {
      g_printerr ("cannot open the profile %s: %s\n", argv[first], error->message);
      return 1;
    }
  child.sync = docket_sync_new (child.store);
  child.loop = g_main_loop_new (NULL, FALSE);
  child.document_ids = g_strdupv (argv + first + 1);
  child.saved = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_annotation_record_free);

  docket_sync_run_async (child.sync, NULL, on_run_done, &child);
  save_next (&child);
  g_main_loop_run (child.loop);

  /* Only with --exit-after-sync: let the engine's and the store's idles drop their
   * references before the objects go. */
  g_clear_object (&child.sync);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&child.store);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_main_loop_unref (child.loop);
  g_ptr_array_unref (child.saved);
  g_strfreev (child.document_ids);
  return 0;
}
