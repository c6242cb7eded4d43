/* docket-indexer.c: extracts the text of downloaded documents into the search index
 *
 * One run at a time, in a thread of its own, which reads and writes the store; each
 * content's text is extracted in a thread of its own again, which lowers its own
 * scheduling priority (not GTask's pool: an unprivileged thread cannot raise it again,
 * so it must not go back to a pool that renders pages) and never takes the store's
 * lock (extract_text_at_low_priority ()). A run indexes every unindexed content,
 * lists again (downloads may have completed meanwhile), and ends when nothing is left;
 * a store commit during a run asks for one more run afterwards. The run reports back
 * to the main context through an idle; it holds the store and a weak reference to the
 * indexer, so that the indexer can be disposed (which cancels and joins) at any time.
 *
 * docket_indexer_index_all () is the same run without the object, waited for (the
 * module exports it too). `docket --sync-once` creates the object itself through this
 * folder's module (docket-index-module.h), to index as its downloads complete.
 */
#include "config.h"

#include <errno.h>
#include <sys/resource.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <poppler.h>

#include "docket-main-context.h"
#include "docket-indexer.h"
#include "docket-index-module.h"

/* Nice value of the indexing thread: reading text is for later; pages on screen and
 * the sync come first. Not the lowest: on a busy machine it must still get done. */
#define INDEXER_NICE 10

G_DEFINE_QUARK (docket-indexer-error-quark, docket_indexer_error)

typedef struct {
  DocketStore  *store;
  GCancellable *cancellable;
  GWeakRef      indexer;
  GMainContext *context;
  guint         n_indexed;    /* written by the thread, read after it posted its end */
  PopplerDocument *poppler_state;  /* hold_poppler_state (), lent by the indexer */
} IndexRun;

struct _DocketIndexer
{
  GObject       parent_instance;

  /* Owned */
  DocketStore  *store;
  GCancellable *cancellable;   /* of every run; cancelled on dispose */
  GThread      *thread;        /* the run in flight, or NULL */
  IndexRun     *run;           /* borrowed: the run's end frees it */
  gulong        changed_id;
  PopplerDocument *poppler_state;  /* between runs: hold_poppler_state (), kept */

  guint         n_indexed;
  gboolean      again;         /* the store changed during the run */
  gboolean      busy;
};

G_DEFINE_FINAL_TYPE (DocketIndexer, docket_indexer, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_BUSY,
  PROP_N_INDEXED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- Extraction (any thread) -------------------------------------------------------- */

GPtrArray *
docket_indexer_extract_text (const char    *path,
                             GCancellable  *cancellable,
                             GError       **error)
{
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) texts = NULL;
  PopplerDocument *document;
  int n_pages;

  g_return_val_if_fail (path != NULL, NULL);

  /* Mapped, not read: a 600-page board pack costs no copy, and the file may be
   * replaced or removed meanwhile without harm. */
  mapped = g_mapped_file_new (path, FALSE, error);
  if (mapped == NULL)
    return NULL;

  bytes = g_mapped_file_get_bytes (mapped);
  if (g_bytes_get_size (bytes) == 0)
    {
      g_set_error_literal (error, DOCKET_INDEXER_ERROR, DOCKET_INDEXER_ERROR_UNREADABLE,
                           _("The file is empty."));
      return NULL;
    }

  document = poppler_document_new_from_bytes (bytes, NULL, &local_error);
  if (document == NULL)
    {
      g_set_error_literal (error, DOCKET_INDEXER_ERROR, DOCKET_INDEXER_ERROR_UNREADABLE,
                           local_error != NULL ? local_error->message : _("Not a PDF."));
      return NULL;
    }

  n_pages = poppler_document_get_n_pages (document);
  texts = g_ptr_array_new_full (n_pages > 0 ? (guint) n_pages : 0, g_free);

  for (int i = 0; i < n_pages; i++)
    {
      PopplerPage *page;
      char *text = NULL;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          g_object_unref (document);
          return NULL;
        }

      page = poppler_document_get_page (document, i);
      if (page != NULL)
        {
          text = poppler_page_get_text (page);
          g_object_unref (page);
        }
      g_ptr_array_add (texts, text != NULL ? text : g_strdup (""));
    }

  g_object_unref (document);

  return g_steal_pointer (&texts);
}

static void lower_thread_priority (void);

/* Extraction at low priority: poppler's work, in a thread of its own that lowers its
 * scheduling priority, while the caller keeps its own for the store. A thread that
 * lowered its priority must never take the store's lock: preempted while holding it,
 * it made every thread that writes the store wait (the sync's writers, each at the
 * end of a download, up to 60 ms at a time in bench/sync on a busy machine). */
typedef struct {
  const char   *path;
  GCancellable *cancellable;
  GPtrArray    *texts;
  GError       *error;
} Extraction;

static gpointer
extraction_thread (gpointer data)
{
  Extraction *extraction = data;

  lower_thread_priority ();
  extraction->texts = docket_indexer_extract_text (extraction->path, extraction->cancellable,
                                                   &extraction->error);
  return NULL;
}

static GPtrArray *
extract_text_at_low_priority (const char    *path,
                              GCancellable  *cancellable,
                              GError       **error)
{
  Extraction extraction = { path, cancellable, NULL, NULL };
  GThread *thread = g_thread_try_new ("docket-indexer", extraction_thread, &extraction, NULL);

  /* No thread to be had: extract here, at the caller's priority, rather than not at all. */
  if (thread == NULL)
    return docket_indexer_extract_text (path, cancellable, error);

  g_thread_join (thread);
  if (extraction.texts == NULL)
    g_propagate_error (error, extraction.error);

  return extraction.texts;
}

static gboolean
index_file (DocketStore   *store,
            const char    *sha256,
            const char    *path,
            gboolean       low_priority,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(GPtrArray) texts = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (DOCKET_IS_STORE (store), FALSE);
  g_return_val_if_fail (sha256 != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (low_priority)
    texts = extract_text_at_low_priority (path, cancellable, &local_error);
  else
    texts = docket_indexer_extract_text (path, cancellable, &local_error);
  if (texts == NULL)
    {
      if (!g_error_matches (local_error, DOCKET_INDEXER_ERROR, DOCKET_INDEXER_ERROR_UNREADABLE))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }

      /* It will not read better next time: remember it as a content without text. The
       * reader says what is wrong with it when it is opened. */
      g_message ("Search: the text of document %s cannot be read (%s); it is left out of search",
                 sha256, local_error->message);
      texts = g_ptr_array_new ();
    }

  return docket_store_save_content_text (store, sha256, texts, error);
}

gboolean
docket_indexer_index_file (DocketStore   *store,
                           const char    *sha256,
                           const char    *path,
                           GCancellable  *cancellable,
                           GError       **error)
{
  return index_file (store, sha256, path, FALSE, cancellable, error);
}

/* ---- Runs --------------------------------------------------------------------------- */

/* poppler builds its global state (GlobalParams: encoding and font tables, read from
 * /usr/share/poppler) with the first PopplerDocument and frees it with the last one.
 * A run opens one document at a time, so it was built and freed again for every
 * content: two thirds of the indexer's CPU in bench/sync (100 one-page PDFs), on cores
 * the downloads share. A document of one empty page, held while the indexer lives,
 * keeps it. */
static const char poppler_state_holder_pdf[] =
  "%PDF-1.4\n"
  "1 0 obj<</Type/Catalog/Pages 2 0 R>> endobj\n"
  "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>> endobj\n"
  "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 1 1]>> endobj\n"
  "xref\n"
  "0 4\n"
  "0000000000 65535 f \n"
  "0000000009 00000 n \n"
  "0000000053 00000 n \n"
  "0000000103 00000 n \n"
  "trailer<</Size 4/Root 1 0 R>>\n"
  "startxref\n"
  "163\n"
  "%%EOF\n";

static PopplerDocument *
hold_poppler_state (void)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (poppler_state_holder_pdf,
                                                sizeof poppler_state_holder_pdf - 1);
  g_autoptr(GError) error = NULL;
  PopplerDocument *holder = poppler_document_new_from_bytes (bytes, NULL, &error);

  /* Only slower without it. */
  if (holder == NULL)
    g_debug ("Search: poppler's state is rebuilt for each document: %s", error->message);

  return holder;
}

static void
index_run_free (IndexRun *run)
{
  g_clear_object (&run->store);
  g_clear_object (&run->cancellable);
  g_weak_ref_clear (&run->indexer);
  g_clear_pointer (&run->context, g_main_context_unref);
  g_clear_object (&run->poppler_state);
  g_free (run);
}

static void
lower_thread_priority (void)
{
#ifdef __linux__
  /* On Linux, PRIO_PROCESS with a thread id sets the nice value of that thread only. */
  if (setpriority (PRIO_PROCESS, (id_t) gettid (), INDEXER_NICE) != 0)
    g_debug ("Search: cannot lower the indexer's priority: %s", g_strerror (errno));
#endif
}

/* Indexes the contents of one listing; FALSE, with the error, when the run must stop
 * (cancelled, or the store cannot be read). *out_found says whether there was anything
 * to do. */
static gboolean
index_listed_contents (IndexRun    *run,
                       GHashTable  *failed,
                       gboolean    *out_found,
                       GError     **run_error)
{
  g_autoptr(GPtrArray) contents = NULL;
  g_autoptr(GError) error = NULL;

  *out_found = FALSE;

  contents = docket_store_list_unindexed_contents (run->store, run_error);
  if (contents == NULL)
    return FALSE;

  for (guint i = 0; i < contents->len; i++)
    {
      DocketStoreContent *content = g_ptr_array_index (contents, i);

      if (g_cancellable_set_error_if_cancelled (run->cancellable, run_error))
        return FALSE;
      if (g_hash_table_contains (failed, content->sha256))
        continue;

      *out_found = TRUE;
      if (!index_file (run->store, content->sha256, content->path, TRUE,
                       run->cancellable, &error))
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              g_propagate_error (run_error, g_steal_pointer (&error));
              return FALSE;
            }
          /* A file that cannot be read now (removed meanwhile, out of memory...) is
           * tried again at the next run, not in this one. */
          g_message ("Search: cannot index document %s: %s", content->sha256, error->message);
          g_clear_error (&error);
          g_hash_table_add (failed, g_strdup (content->sha256));
          continue;
        }
      run->n_indexed++;
    }

  return TRUE;
}

/* In the run's thread: indexes until nothing is left (listing again after each pass,
 * for the downloads that completed meanwhile). A content that fails is logged and left
 * for the next run; FALSE only when the run stopped (cancelled, store unreadable). */
static gboolean
index_until_done (IndexRun  *run,
                  GError   **error)
{
  g_autoptr(GHashTable) failed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gboolean found = TRUE;

  if (run->poppler_state == NULL)
    run->poppler_state = hold_poppler_state ();

  while (found)
    {
      if (!index_listed_contents (run, failed, &found, error))
        return FALSE;
    }

  return TRUE;
}

static gboolean on_run_done (gpointer data);

static gpointer
index_thread (gpointer data)
{
  IndexRun *run = data;
  g_autoptr(GError) error = NULL;

  if (!index_until_done (run, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_message ("Search: cannot list the documents to index: %s", error->message);

  /* The last thing this thread does with run: the main context owns it from now.
   * Posted, never g_main_context_invoke (), which would call on_run_done in this very
   * thread when the context is free, and join this thread from itself. */
  docket_main_context_post (run->context, G_PRIORITY_DEFAULT_IDLE, "[docket] indexer run done",
                            on_run_done, run, NULL);

  return NULL;
}

static void
docket_indexer_set_busy (DocketIndexer *self,
                         gboolean       busy)
{
  if (self->busy == busy)
    return;

  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
docket_indexer_start_run (DocketIndexer *self)
{
  IndexRun *run;

  g_assert (self->thread == NULL);

  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  run = g_new0 (IndexRun, 1);
  run->store = g_object_ref (self->store);
  run->cancellable = g_object_ref (self->cancellable);
  g_weak_ref_init (&run->indexer, self);
  run->context = g_main_context_ref_thread_default ();
  run->poppler_state = g_steal_pointer (&self->poppler_state);

  self->run = run;
  self->again = FALSE;
  self->thread = g_thread_new ("docket-indexer", index_thread, run);
  docket_indexer_set_busy (self, TRUE);
}

static gboolean
on_run_done (gpointer data)
{
  IndexRun *run = data;
  g_autoptr(DocketIndexer) self = g_weak_ref_get (&run->indexer);

  /* After a dispose, the indexer has joined the thread and forgotten the run. */
  if (self != NULL && self->run == run)
    {
      g_thread_join (g_steal_pointer (&self->thread));
      self->run = NULL;
      /* Kept for the next run: a sync completes contents one by one, each a run. */
      g_set_object (&self->poppler_state, run->poppler_state);

      if (run->n_indexed > 0)
        {
          self->n_indexed += run->n_indexed;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_INDEXED]);
        }

      if (self->again && !g_cancellable_is_cancelled (self->cancellable))
        docket_indexer_start_run (self);
      else
        docket_indexer_set_busy (self, FALSE);
    }

  index_run_free (run);

  return G_SOURCE_REMOVE;
}

static void
on_store_changed (DocketIndexer *self)
{
  if (self->thread != NULL)
    self->again = TRUE;
  else
    docket_indexer_start_run (self);
}

/* ---- Object ------------------------------------------------------------------------- */

static void
docket_indexer_constructed (GObject *object)
{
  DocketIndexer *self = DOCKET_INDEXER (object);

  G_OBJECT_CLASS (docket_indexer_parent_class)->constructed (object);

  g_assert (DOCKET_IS_STORE (self->store));

  self->changed_id = g_signal_connect_swapped (self->store, "changed",
                                               G_CALLBACK (on_store_changed), self);
  docket_indexer_start_run (self);
}

static void
docket_indexer_dispose (GObject *object)
{
  DocketIndexer *self = DOCKET_INDEXER (object);

  g_cancellable_cancel (self->cancellable);

  /* The thread checks the cancellable between pages: this waits for one page's text
   * at most. Its end, already queued or still to come, finds the run forgotten. */
  if (self->thread != NULL)
    {
      g_thread_join (g_steal_pointer (&self->thread));
      self->run = NULL;
    }

  if (self->store != NULL)
    g_clear_signal_handler (&self->changed_id, self->store);
  g_clear_object (&self->store);
  g_clear_object (&self->poppler_state);

  G_OBJECT_CLASS (docket_indexer_parent_class)->dispose (object);
}

static void
docket_indexer_finalize (GObject *object)
{
  DocketIndexer *self = DOCKET_INDEXER (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (docket_indexer_parent_class)->finalize (object);
}

static void
docket_indexer_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  DocketIndexer *self = DOCKET_INDEXER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    case PROP_N_INDEXED:
      g_value_set_uint (value, self->n_indexed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_indexer_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  DocketIndexer *self = DOCKET_INDEXER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_indexer_class_init (DocketIndexerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = docket_indexer_constructed;
  object_class->dispose = docket_indexer_dispose;
  object_class->finalize = docket_indexer_finalize;
  object_class->get_property = docket_indexer_get_property;
  object_class->set_property = docket_indexer_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, DOCKET_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_INDEXED] =
    g_param_spec_uint ("n-indexed", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
docket_indexer_init (DocketIndexer *self)
{
  self->cancellable = g_cancellable_new ();
}

DocketIndexer *
docket_indexer_new (DocketStore *store)
{
  g_return_val_if_fail (DOCKET_IS_STORE (store), NULL);

  return g_object_new (DOCKET_TYPE_INDEXER, "store", store, NULL);
}

gboolean
docket_indexer_get_busy (DocketIndexer *self)
{
  g_return_val_if_fail (DOCKET_IS_INDEXER (self), FALSE);
  return self->busy;
}

guint
docket_indexer_get_n_indexed (DocketIndexer *self)
{
  g_return_val_if_fail (DOCKET_IS_INDEXER (self), 0);
  return self->n_indexed;
}

/* ---- Without the object, waited for ------------------------------------------------- */

/* The thread of docket_indexer_index_all (): the same run as the indexer's, with its
 * extractions at the same low priority; the calling thread keeps its own. */
static gpointer
index_all_thread (gpointer data)
{
  IndexRun *run = data;
  GError *error = NULL;

  if (!index_until_done (run, &error))
    return error;

  return NULL;
}

gboolean
docket_indexer_index_all (DocketStore   *store,
                          GCancellable  *cancellable,
                          guint         *out_n_indexed,
                          GError       **error)
{
  IndexRun run = { 0 };
  GError *run_error;

  g_return_val_if_fail (DOCKET_IS_STORE (store), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);

  /* Borrowed: this call outlives its thread. */
  run.store = store;
  run.cancellable = cancellable;
  run_error = g_thread_join (g_thread_new ("docket-indexer", index_all_thread, &run));
  g_clear_object (&run.poppler_state);

  if (out_n_indexed != NULL)
    *out_n_indexed = run.n_indexed;
  if (run_error != NULL)
    {
      g_propagate_error (error, run_error);
      return FALSE;
    }

  return TRUE;
}

/* The module's entry (docket-index-module.h) is this function: the compiler checks that
 * its type is the one `docket` calls it through. */
static const DocketIndexModuleIndexAll module_entry G_GNUC_UNUSED = docket_indexer_index_all;
static const DocketIndexModuleNewIndexer module_new_indexer G_GNUC_UNUSED = docket_indexer_new;
