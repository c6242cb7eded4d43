/* docket-reader-memory.c: where the official left each document, for the reader */

#include "config.h"

#include "docket-reader-memory.h"

typedef struct {
  char   *document_id;
  guint   page;
  int     zoom_mode;
  double  zoom_scale;
} ViewState;

struct _DocketReaderMemory
{
  GObject      parent_instance;

  DocketStore *store;
  /* Saves waiting for the one in flight: written one at a time, in order, so that an
   * older position never overwrites a newer one. */
  GQueue       queue;           /* of ViewState* */
  gboolean     saving;
  GError      *error;           /* of the last save, NULL once one succeeds */
};

G_DEFINE_FINAL_TYPE (DocketReaderMemory, docket_reader_memory, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
view_state_free (ViewState *state)
{
  g_free (state->document_id);
  g_free (state);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ViewState, view_state_free)

static void
docket_reader_memory_finalize (GObject *object)
{
  DocketReaderMemory *self = DOCKET_READER_MEMORY (object);

  /* Saves still queued here were never started: each task holds a reference, so we are
   * finalized only when the queue is idle. */
  g_queue_clear_full (&self->queue, (GDestroyNotify) view_state_free);
  g_clear_object (&self->store);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (docket_reader_memory_parent_class)->finalize (object);
}

static void
docket_reader_memory_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  DocketReaderMemory *self = DOCKET_READER_MEMORY (object);

  switch (prop_id)
    {
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_reader_memory_class_init (DocketReaderMemoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = docket_reader_memory_finalize;
  object_class->get_property = docket_reader_memory_get_property;

  /* Why the last save failed (a GError, in the official's words), NULL once one
   * succeeds. */
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
docket_reader_memory_init (DocketReaderMemory *self)
{
  g_queue_init (&self->queue);
}

DocketReaderMemory *
docket_reader_memory_new (DocketStore *store)
{
  DocketReaderMemory *self;

  g_return_val_if_fail (DOCKET_IS_STORE (store), NULL);

  self = g_object_new (DOCKET_TYPE_READER_MEMORY, NULL);
  self->store = g_object_ref (store);
  return self;
}

/* Lookup */

static void
lookup_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  DocketReaderMemory *self = source_object;
  g_autoptr(ViewState) state = g_new0 (ViewState, 1);
  GError *error = NULL;

  if (docket_store_get_view_state (self->store, task_data, &state->page, &state->zoom_mode,
                                   &state->zoom_scale, &error))
    g_task_return_pointer (task, g_steal_pointer (&state), (GDestroyNotify) view_state_free);
  else if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, NULL, NULL);
}

void
docket_reader_memory_lookup_async (DocketReaderMemory  *self,
                                   const char          *document_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DOCKET_IS_READER_MEMORY (self));
  g_return_if_fail (document_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, docket_reader_memory_lookup_async);
  g_task_set_task_data (task, g_strdup (document_id), g_free);
  g_task_run_in_thread (task, lookup_thread);
}

gboolean
docket_reader_memory_lookup_finish (DocketReaderMemory  *self,
                                    GAsyncResult        *result,
                                    guint               *out_page,
                                    int                 *out_zoom_mode,
                                    double              *out_zoom_scale,
                                    GError             **error)
{
  g_autoptr(ViewState) state = NULL;

  g_return_val_if_fail (DOCKET_IS_READER_MEMORY (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  state = g_task_propagate_pointer (G_TASK (result), error);
  if (state == NULL)
    return FALSE;
  if (out_page != NULL)
    *out_page = state->page;
  if (out_zoom_mode != NULL)
    *out_zoom_mode = state->zoom_mode;
  if (out_zoom_scale != NULL)
    *out_zoom_scale = state->zoom_scale;
  return TRUE;
}

/* Saves */

static void save_next (DocketReaderMemory *self);

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  DocketReaderMemory *self = source_object;
  ViewState *state = task_data;
  GError *error = NULL;

  if (docket_store_set_view_state (self->store, state->document_id, state->page,
                                   state->zoom_mode, state->zoom_scale, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_saved (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  DocketReaderMemory *self = DOCKET_READER_MEMORY (source);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_warning ("Could not remember where the document was left: %s", error->message);
  if (self->error != NULL || error != NULL)
    {
      g_clear_error (&self->error);
      self->error = g_steal_pointer (&error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
    }

  self->saving = FALSE;
  save_next (self);
}

static void
save_next (DocketReaderMemory *self)
{
  g_autoptr(GTask) task = NULL;
  ViewState *state;

  if (self->saving || (state = g_queue_pop_head (&self->queue)) == NULL)
    return;

  self->saving = TRUE;
  /* The task keeps us alive until the write is done. */
  task = g_task_new (self, NULL, on_saved, NULL);
  g_task_set_source_tag (task, docket_reader_memory_save);
  g_task_set_task_data (task, state, (GDestroyNotify) view_state_free);
  g_task_run_in_thread (task, save_thread);
}

void
docket_reader_memory_save (DocketReaderMemory *self,
                           const char         *document_id,
                           guint               page,
                           int                 zoom_mode,
                           double              zoom_scale)
{
  ViewState *state;

  g_return_if_fail (DOCKET_IS_READER_MEMORY (self));
  g_return_if_fail (document_id != NULL);

  /* A save of the same document still waiting is superseded by this one. */
  for (GList *l = self->queue.head; l != NULL; l = l->next)
    {
      ViewState *queued = l->data;

      if (g_str_equal (queued->document_id, document_id))
        {
          queued->page = page;
          queued->zoom_mode = zoom_mode;
          queued->zoom_scale = zoom_scale;
          return;
        }
    }

  state = g_new0 (ViewState, 1);
  state->document_id = g_strdup (document_id);
  state->page = page;
  state->zoom_mode = zoom_mode;
  state->zoom_scale = zoom_scale;
  g_queue_push_tail (&self->queue, state);
  save_next (self);
}

const GError *
docket_reader_memory_get_error (DocketReaderMemory *self)
{
  g_return_val_if_fail (DOCKET_IS_READER_MEMORY (self), NULL);
  return self->error;
}

guint
docket_reader_memory_get_n_pending (DocketReaderMemory *self)
{
  g_return_val_if_fail (DOCKET_IS_READER_MEMORY (self), 0);
  return g_queue_get_length (&self->queue) + (self->saving ? 1 : 0);
}
