/* docket-annotation-list.c: the official's annotations on one document, and their edits */

#include "config.h"

#include <glib/gi18n.h>

#include "docket-annotation-list.h"
#include "docket-model-error.h"
#include "docket-store-loader.h"

/* Enough for a long evening of marking up; the oldest steps go first. */
#define MAX_HISTORY 200

/* One step of the history: the annotation before and after it (NULL: not there). */
typedef struct {
  DocketAnnotationRecord *before;
  DocketAnnotationRecord *after;
} Step;

struct _DocketAnnotationList
{
  GObject            parent_instance;

  /* Owned */
  DocketStoreLoader  loader;
  char              *document_id;
  GPtrArray         *items;          /* DocketAnnotation*, by page then creation */
  GQueue             undo;           /* Step*, newest at the head */
  GQueue             redo;           /* Step*, newest at the head */
  GHashTable        *deleted_ids;    /* ids this list deleted: never saved again */
  GError            *error;
  char              *touched_id;     /* what undo/redo returns */

  GQueue             writes;         /* Write*, in the order they were made */
  gboolean           writing;        /* the head of writes is with the store */
  guint              n_writes;       /* writes queued or with the store */
  gboolean           reload_wanted;  /* a load came back during writes and was dropped */
  gboolean           held;           /* a write failed: it and the ones after it wait for a retry */
  gboolean           loaded;
};

static void docket_annotation_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DocketAnnotationList, docket_annotation_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, docket_annotation_list_model_init))

enum {
  PROP_0,
  PROP_LOADED,
  PROP_BUSY,
  PROP_CAN_UNDO,
  PROP_CAN_REDO,
  PROP_ERROR,
  PROP_UNSAVED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void docket_annotation_list_reload (DocketAnnotationList *self);

/* Steps */

static void
step_free (gpointer data)
{
  Step *step = data;

  g_clear_pointer (&step->before, docket_annotation_record_free);
  g_clear_pointer (&step->after, docket_annotation_record_free);
  g_free (step);
}

static void
clear_history (GQueue *queue)
{
  g_queue_clear_full (queue, step_free);
}

/* GListModel */

static GType
docket_annotation_list_get_item_type (GListModel *model)
{
  return DOCKET_TYPE_ANNOTATION;
}

static guint
docket_annotation_list_get_n_items (GListModel *model)
{
  return DOCKET_ANNOTATION_LIST (model)->items->len;
}

static gpointer
docket_annotation_list_get_item (GListModel *model,
                                 guint       position)
{
  DocketAnnotationList *self = DOCKET_ANNOTATION_LIST (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
docket_annotation_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = docket_annotation_list_get_item_type;
  iface->get_n_items = docket_annotation_list_get_n_items;
  iface->get_item = docket_annotation_list_get_item;
}

/* The order of the store's list: page, then creation, then id (for equal times). */
static int
compare_records (const DocketAnnotationRecord *a,
                 const DocketAnnotationRecord *b)
{
  if (a->page != b->page)
    return a->page < b->page ? -1 : 1;
  if (a->created_at != b->created_at)
    return a->created_at < b->created_at ? -1 : 1;
  return g_strcmp0 (a->id, b->id);
}

static int
index_of (DocketAnnotationList *self,
          const char           *id)
{
  for (guint i = 0; i < self->items->len; i++)
    if (g_strcmp0 (docket_annotation_get_id (g_ptr_array_index (self->items, i)), id) == 0)
      return (int) i;
  return -1;
}

/* Puts record in the list at once (replacing the annotation with its id), so that the
 * page shows it before the store has written it. */
static DocketAnnotation *
put_local (DocketAnnotationList         *self,
           const DocketAnnotationRecord *record)
{
  int old = index_of (self, record->id);
  DocketAnnotation *annotation = docket_annotation_new (record);
  guint position = 0;

  if (old >= 0)
    {
      g_ptr_array_remove_index (self->items, (guint) old);
      g_list_model_items_changed (G_LIST_MODEL (self), (guint) old, 1, 0);
    }
  while (position < self->items->len &&
         compare_records (docket_annotation_get_record (g_ptr_array_index (self->items, position)), record) < 0)
    position++;
  g_ptr_array_insert (self->items, (int) position, annotation);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
  return annotation;
}

static void
remove_local (DocketAnnotationList *self,
              const char           *id)
{
  int old = index_of (self, id);

  if (old < 0)
    return;
  g_ptr_array_remove_index (self->items, (guint) old);
  g_list_model_items_changed (G_LIST_MODEL (self), (guint) old, 1, 0);
}

/* Writes: one at a time, in order. The store's async calls run in a pool of threads,
 * so two in flight could land in any order: a delete overtaking the save before it
 * would leave that save refused (the annotation is gone), and an edit then its undo
 * could land the wrong way round. */

typedef struct {
  DocketAnnotationRecord *record;   /* to save, or NULL... */
  char                   *delete_id; /* ...to delete */
} Write;

static void
write_free (gpointer data)
{
  Write *write = data;

  g_clear_pointer (&write->record, docket_annotation_record_free);
  g_free (write->delete_id);
  g_free (write);
}

static void pump_writes (DocketAnnotationList *self);

/* Takes error (NULL: the last load or write succeeded); notifies only a change. */
static void
set_error (DocketAnnotationList *self,
           GError               *error)
{
  if (docket_model_take_error (&self->error, error))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static gboolean
is_busy (DocketAnnotationList *self)
{
  return self->n_writes > 0 && !self->held;
}

static void
set_held (DocketAnnotationList *self,
          gboolean              held)
{
  gboolean was_busy = is_busy (self);

  if (self->held == held)
    return;
  self->held = held;
  if (was_busy != is_busy (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNSAVED]);
}

static void
write_started (DocketAnnotationList *self)
{
  gboolean was_busy = is_busy (self);

  self->n_writes++;
  if (was_busy != is_busy (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
write_finished (DocketAnnotationList *self,
                gboolean              ok,
                GError               *error)
{
  self->writing = FALSE;
  if (!ok)
    {
      g_warning ("Could not save an annotation: %s", error->message);
      if (!g_error_matches (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_INVALID))
        {
          /* A full disk, a read-only or busy profile: the edit stays on screen and at
           * the head of the queue, the ones after it wait behind it (their order
           * matters), and the error says why; docket_annotation_list_retry () writes
           * them once the official has made room. Reloading would make it vanish. */
          set_held (self, TRUE);
          set_error (self, error);
          return;
        }
      /* The store will never take this one (its document is gone): the official sees
       * the list as the store has it, and the error says why. */
      set_error (self, error);
      self->reload_wanted = TRUE;
    }
  else
    {
      g_clear_error (&error);
      set_error (self, NULL);
    }

  write_free (g_queue_pop_head (&self->writes));
  if (--self->n_writes == 0)
    {
      if (self->reload_wanted)
        docket_annotation_list_reload (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }
  else
    pump_writes (self);
}

static void
on_saved (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(DocketAnnotationList) self = user_data;
  GError *error = NULL;
  gboolean ok = docket_store_save_annotation_finish (DOCKET_STORE (source), result, &error);

  write_finished (self, ok, error);
}

static void
on_deleted (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(DocketAnnotationList) self = user_data;
  GError *error = NULL;
  gboolean ok = docket_store_delete_annotation_finish (DOCKET_STORE (source), result, &error);

  write_finished (self, ok, error);
}

static void
pump_writes (DocketAnnotationList *self)
{
  Write *write = g_queue_peek_head (&self->writes);

  if (self->writing || self->held || write == NULL)
    return;
  self->writing = TRUE;
  /* Not cancellable: an edit the official made is written even if the view closes. */
  if (write->record != NULL)
    docket_store_save_annotation_async (self->loader.store, write->record, NULL, on_saved, g_object_ref (self));
  else
    docket_store_delete_annotation_async (self->loader.store, write->delete_id, NULL, on_deleted,
                                          g_object_ref (self));
}

static void
queue_write (DocketAnnotationList *self,
             Write                *write)
{
  g_queue_push_tail (&self->writes, write);
  write_started (self);
  pump_writes (self);
}

static DocketAnnotation *
save (DocketAnnotationList         *self,
      const DocketAnnotationRecord *record)
{
  DocketAnnotation *annotation = put_local (self, record);
  Write *write = g_new0 (Write, 1);

  write->record = docket_annotation_record_copy (record);
  queue_write (self, write);
  return annotation;
}

static void
delete (DocketAnnotationList *self,
        const char           *id)
{
  Write *write = g_new0 (Write, 1);

  /* Copied first: id may belong to the annotation that remove_local () lets go. */
  write->delete_id = g_strdup (id);
  g_hash_table_add (self->deleted_ids, g_strdup (id));
  remove_local (self, write->delete_id);
  queue_write (self, write);
}

/* History */

static void
remap_queue (GQueue     *queue,
             const char *old_id,
             const char *new_id)
{
  for (GList *l = queue->head; l != NULL; l = l->next)
    {
      Step *step = l->data;
      DocketAnnotationRecord *records[] = { step->before, step->after };

      for (guint i = 0; i < G_N_ELEMENTS (records); i++)
        if (records[i] != NULL && g_strcmp0 (records[i]->id, old_id) == 0)
          {
            g_free (records[i]->id);
            records[i]->id = g_strdup (new_id);
          }
    }
}

/* Makes the annotation go from `from` to `to` (either may be NULL: not there). */
static void
transition (DocketAnnotationList   *self,
            DocketAnnotationRecord *from,
            DocketAnnotationRecord *to)
{
  g_clear_pointer (&self->touched_id, g_free);

  if (to == NULL)
    {
      if (from != NULL)
        delete (self, from->id);
      return;
    }

  if (g_hash_table_contains (self->deleted_ids, to->id))
    {
      /* Brought back: under a new id, which every step of the history now uses. */
      g_autofree char *old_id = g_strdup (to->id);
      g_autofree char *new_id = g_uuid_string_random ();

      remap_queue (&self->undo, old_id, new_id);
      remap_queue (&self->redo, old_id, new_id);
      to->revision = 0;
    }
  else
    {
      DocketAnnotation *current = docket_annotation_list_find (self, to->id);

      /* The server's revision is the one the store has now, not the one of the past. */
      if (current != NULL)
        to->revision = docket_annotation_get_record (current)->revision;
    }

  save (self, to);
  self->touched_id = g_strdup (to->id);
}

static void
notify_history (DocketAnnotationList *self,
                gboolean              could_undo,
                gboolean              could_redo)
{
  if (could_undo != docket_annotation_list_can_undo (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
  if (could_redo != docket_annotation_list_can_redo (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_REDO]);
}

/* A new edit: the redo history is gone. Takes before and after. */
static void
push_step (DocketAnnotationList   *self,
           DocketAnnotationRecord *before,
           DocketAnnotationRecord *after)
{
  gboolean could_undo = docket_annotation_list_can_undo (self);
  gboolean could_redo = docket_annotation_list_can_redo (self);
  Step *step = g_new0 (Step, 1);

  step->before = before;
  step->after = after;
  clear_history (&self->redo);
  g_queue_push_head (&self->undo, step);
  while (g_queue_get_length (&self->undo) > MAX_HISTORY)
    step_free (g_queue_pop_tail (&self->undo));
  notify_history (self, could_undo, could_redo);
}

/* Loading */

static char *
record_key (const DocketAnnotationRecord *record)
{
  /* The revision too: the next edit of an annotation starts from what the server has. */
  return g_strdup_printf ("%s|%d|%d|%s|%s|%s|%" G_GINT64_FORMAT, record->id, record->page, record->kind,
                          record->color, record->geometry, record->contents, record->revision);
}

static gboolean
same_as_shown (DocketAnnotationList *self,
               GPtrArray            *records)
{
  if (records->len != self->items->len)
    return FALSE;
  for (guint i = 0; i < records->len; i++)
    {
      g_autofree char *a = record_key (g_ptr_array_index (records, i));
      g_autofree char *b = record_key (docket_annotation_get_record (g_ptr_array_index (self->items, i)));

      if (!g_str_equal (a, b))
        return FALSE;
    }
  return TRUE;
}

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(DocketStoreLoad) load = user_data;
  DocketAnnotationList *self = load->model;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  guint old_len;

  records = docket_store_list_annotations_finish (DOCKET_STORE (source), result, &error);
  if (docket_store_load_is_superseded (load))
    return;
  g_clear_object (&self->loader.cancellable);

  if (records == NULL)
    {
      g_warning ("Could not read the annotations of document %s: %s", self->document_id, error->message);
      set_error (self, g_steal_pointer (&error));
    }
  else if (self->n_writes > 0)
    {
      /* It may have been read before our own write: what is shown is newer. The load
       * that follows the last write brings the store's state. */
      self->reload_wanted = TRUE;
    }
  else
    {
      set_error (self, NULL);
      if (!same_as_shown (self, records))
        {
          old_len = self->items->len;
          g_ptr_array_set_size (self->items, 0);
          for (guint i = 0; i < records->len; i++)
            g_ptr_array_add (self->items, docket_annotation_new (g_ptr_array_index (records, i)));
          g_list_model_items_changed (G_LIST_MODEL (self), 0, old_len, self->items->len);
        }
    }

  if (!self->loaded)
    {
      self->loaded = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }
}

static void
docket_annotation_list_reload (DocketAnnotationList *self)
{
  GCancellable *cancellable = docket_store_loader_restart (&self->loader);

  self->reload_wanted = FALSE;
  docket_store_list_annotations_async (self->loader.store, self->document_id, cancellable, on_loaded,
                                       docket_store_load_new (self, &self->loader));
}

/* GObject */

/* Edits still held after a failed write when the list goes (the document closed): one
 * last try each, in order, on this thread, as a note does when its window closes; losing
 * the official's work is worse than a short write while a view closes. What still fails
 * is named in the log: nobody is left to show it. */
static void
write_held_now (DocketAnnotationList *self)
{
  Write *write;

  while (self->held && (write = g_queue_pop_head (&self->writes)) != NULL)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok = write->record != NULL
                    ? docket_store_save_annotation (self->loader.store, write->record, &error)
                    : docket_store_delete_annotation (self->loader.store, write->delete_id, &error);

      if (!ok)
        g_warning ("An annotation of document %s could not be saved and is lost: %s",
                   self->document_id, error->message);
      write_free (write);
      self->n_writes--;
    }
}

static void
docket_annotation_list_dispose (GObject *object)
{
  DocketAnnotationList *self = DOCKET_ANNOTATION_LIST (object);

  if (self->loader.store != NULL)
    write_held_now (self);
  docket_store_loader_clear (&self->loader);

  G_OBJECT_CLASS (docket_annotation_list_parent_class)->dispose (object);
}

static void
docket_annotation_list_finalize (GObject *object)
{
  DocketAnnotationList *self = DOCKET_ANNOTATION_LIST (object);

  g_clear_pointer (&self->document_id, g_free);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  clear_history (&self->undo);
  clear_history (&self->redo);
  g_queue_clear_full (&self->writes, write_free);
  g_clear_pointer (&self->deleted_ids, g_hash_table_unref);
  g_clear_error (&self->error);
  g_clear_pointer (&self->touched_id, g_free);

  G_OBJECT_CLASS (docket_annotation_list_parent_class)->finalize (object);
}

static void
docket_annotation_list_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  DocketAnnotationList *self = DOCKET_ANNOTATION_LIST (object);

  switch (prop_id)
    {
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, is_busy (self));
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    case PROP_UNSAVED:
      g_value_set_boolean (value, self->held);
      break;
    case PROP_CAN_UNDO:
      g_value_set_boolean (value, docket_annotation_list_can_undo (self));
      break;
    case PROP_CAN_REDO:
      g_value_set_boolean (value, docket_annotation_list_can_redo (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_annotation_list_class_init (DocketAnnotationListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = docket_annotation_list_dispose;
  object_class->finalize = docket_annotation_list_finalize;
  object_class->get_property = docket_annotation_list_get_property;

  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_UNDO] =
    g_param_spec_boolean ("can-undo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_REDO] =
    g_param_spec_boolean ("can-redo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Why the last load or write failed (a GError, in the official's words), NULL once
   * one succeeds. */
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Edits shown but not written: a write failed, they wait for a retry. */
  properties[PROP_UNSAVED] =
    g_param_spec_boolean ("unsaved", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
docket_annotation_list_init (DocketAnnotationList *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->deleted_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_queue_init (&self->undo);
  g_queue_init (&self->redo);
  g_queue_init (&self->writes);
}

DocketAnnotationList *
docket_annotation_list_new (DocketStore *store,
                            const char  *document_id)
{
  DocketAnnotationList *self;

  g_return_val_if_fail (DOCKET_IS_STORE (store), NULL);
  g_return_val_if_fail (document_id != NULL, NULL);

  self = g_object_new (DOCKET_TYPE_ANNOTATION_LIST, NULL);
  self->document_id = g_strdup (document_id);
  docket_store_loader_init (&self->loader, store, G_CALLBACK (docket_annotation_list_reload), self);
  docket_annotation_list_reload (self);
  return self;
}

const char *
docket_annotation_list_get_document_id (DocketAnnotationList *self)
{
  g_return_val_if_fail (DOCKET_IS_ANNOTATION_LIST (self), NULL);
  return self->document_id;
}

gboolean
docket_annotation_list_get_loaded (DocketAnnotationList *self)
{
  g_return_val_if_fail (DOCKET_IS_ANNOTATION_LIST (self), FALSE);
  return self->loaded;
}

gboolean
docket_annotation_list_get_busy (DocketAnnotationList *self)
{
  g_return_val_if_fail (DOCKET_IS_ANNOTATION_LIST (self), FALSE);
  return is_busy (self);
}

gboolean
docket_annotation_list_get_unsaved (DocketAnnotationList *self)
{
  g_return_val_if_fail (DOCKET_IS_ANNOTATION_LIST (self), FALSE);
  return self->held;
}

void
docket_annotation_list_retry (DocketAnnotationList *self)
{
  g_return_if_fail (DOCKET_IS_ANNOTATION_LIST (self));

  if (self->held)
    {
      set_held (self, FALSE);
      pump_writes (self);
    }
  else
    docket_annotation_list_reload (self);
}

const GError *
docket_annotation_list_get_error (DocketAnnotationList *self)
{
  g_return_val_if_fail (DOCKET_IS_ANNOTATION_LIST (self), NULL);
  return self->error;
}

DocketAnnotation *
docket_annotation_list_find (DocketAnnotationList *self,
                             const char           *id)
{
  int index;

  g_return_val_if_fail (DOCKET_IS_ANNOTATION_LIST (self), NULL);

  index = id != NULL ? index_of (self, id) : -1;
  return index >= 0 ? g_ptr_array_index (self->items, (guint) index) : NULL;
}

DocketAnnotation *
docket_annotation_list_create (DocketAnnotationList           *self,
                               guint                           page,
                               DocketAnnotationKind            kind,
                               const char                     *color,
                               const DocketAnnotationGeometry *geometry,
                               const char                     *contents)
{
  g_autoptr(DocketAnnotationRecord) record = docket_annotation_record_new ();
  DocketAnnotation *annotation;

  g_return_val_if_fail (DOCKET_IS_ANNOTATION_LIST (self), NULL);
  g_return_val_if_fail (color != NULL && geometry != NULL && geometry->kind == kind, NULL);

  record->id = g_uuid_string_random ();
  record->document_id = g_strdup (self->document_id);
  record->page = (int) page;
  record->kind = kind;
  record->color = g_strdup (color);
  record->geometry = docket_annotation_geometry_to_json (geometry);
  record->contents = g_strdup (contents != NULL ? contents : "");
  record->created_at = record->updated_at = g_get_real_time () / 1000;
  record->revision = 0;

  annotation = save (self, record);
  push_step (self, NULL, g_steal_pointer (&record));
  return annotation;
}

DocketAnnotation *
docket_annotation_list_update (DocketAnnotationList           *self,
                               const char                     *id,
                               const char                     *color,
                               const DocketAnnotationGeometry *geometry,
                               const char                     *contents)
{
  DocketAnnotation *current;
  DocketAnnotationRecord *before, *after;
  DocketAnnotation *annotation;

  g_return_val_if_fail (DOCKET_IS_ANNOTATION_LIST (self), NULL);

  current = docket_annotation_list_find (self, id);
  if (current == NULL)
    return NULL;

  before = docket_annotation_record_copy (docket_annotation_get_record (current));
  after = docket_annotation_record_copy (before);
  if (color != NULL)
    {
      g_free (after->color);
      after->color = g_strdup (color);
    }
  if (geometry != NULL)
    {
      g_return_val_if_fail (geometry->kind == after->kind, NULL);
      g_free (after->geometry);
      after->geometry = docket_annotation_geometry_to_json (geometry);
    }
  if (contents != NULL)
    {
      g_free (after->contents);
      after->contents = g_strdup (contents);
    }
  after->updated_at = g_get_real_time () / 1000;

  annotation = save (self, after);
  push_step (self, before, after);
  return annotation;
}

gboolean
docket_annotation_list_remove (DocketAnnotationList *self,
                               const char           *id)
{
  DocketAnnotation *current;
  DocketAnnotationRecord *before;

  g_return_val_if_fail (DOCKET_IS_ANNOTATION_LIST (self), FALSE);

  current = docket_annotation_list_find (self, id);
  if (current == NULL)
    return FALSE;

  before = docket_annotation_record_copy (docket_annotation_get_record (current));
  delete (self, before->id);
  push_step (self, before, NULL);
  return TRUE;
}

gboolean
docket_annotation_list_discard (DocketAnnotationList *self,
                                const char           *id)
{
  gboolean could_undo, could_redo;
  Step *step;

  g_return_val_if_fail (DOCKET_IS_ANNOTATION_LIST (self), FALSE);

  step = g_queue_peek_head (&self->undo);
  if (step == NULL || step->before != NULL || step->after == NULL || g_strcmp0 (step->after->id, id) != 0)
    return docket_annotation_list_remove (self, id);

  could_undo = docket_annotation_list_can_undo (self);
  could_redo = docket_annotation_list_can_redo (self);
  step_free (g_queue_pop_head (&self->undo));
  delete (self, id);
  notify_history (self, could_undo, could_redo);
  return TRUE;
}

gboolean
docket_annotation_list_can_undo (DocketAnnotationList *self)
{
  g_return_val_if_fail (DOCKET_IS_ANNOTATION_LIST (self), FALSE);
  return !g_queue_is_empty (&self->undo);
}

gboolean
docket_annotation_list_can_redo (DocketAnnotationList *self)
{
  g_return_val_if_fail (DOCKET_IS_ANNOTATION_LIST (self), FALSE);
  return !g_queue_is_empty (&self->redo);
}

const char *
docket_annotation_list_undo (DocketAnnotationList *self)
{
  gboolean could_undo, could_redo;
  Step *step;

  g_return_val_if_fail (DOCKET_IS_ANNOTATION_LIST (self), NULL);

  if (g_queue_is_empty (&self->undo))
    return NULL;
  could_undo = docket_annotation_list_can_undo (self);
  could_redo = docket_annotation_list_can_redo (self);

  step = g_queue_pop_head (&self->undo);
  /* On the redo side first, so that a new id given on the way reaches it too. */
  g_queue_push_head (&self->redo, step);
  transition (self, step->after, step->before);
  notify_history (self, could_undo, could_redo);
  return self->touched_id;
}

const char *
docket_annotation_list_redo (DocketAnnotationList *self)
{
  gboolean could_undo, could_redo;
  Step *step;

  g_return_val_if_fail (DOCKET_IS_ANNOTATION_LIST (self), NULL);

  if (g_queue_is_empty (&self->redo))
    return NULL;
  could_undo = docket_annotation_list_can_undo (self);
  could_redo = docket_annotation_list_can_redo (self);

  step = g_queue_pop_head (&self->redo);
  g_queue_push_head (&self->undo, step);
  transition (self, step->before, step->after);
  notify_history (self, could_undo, could_redo);
  return self->touched_id;
}
