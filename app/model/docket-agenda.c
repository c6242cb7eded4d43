/* docket-agenda.c: the agenda of one meeting, as a tree of items and their documents */

#include "config.h"

#include "docket-agenda.h"
#include "docket-model-error.h"
#include "docket-list-diff.h"
#include "docket-store-loader.h"

struct _DocketAgenda
{
  GObject            parent_instance;

  /* Owned */
  DocketStoreLoader  loader;       /* the store, and the load in flight */
  char              *meeting_id;
  GListStore        *root;         /* GObject: top-level DocketAgendaItem (and orphan documents) */
  GHashTable        *items;        /* id -> DocketAgendaItem*, owned */
  GHashTable        *documents;    /* id -> DocketDocument*, owned */
  GHashTable        *notes;        /* "kind:id" -> DocketNote*, owned */
  DocketSync        *sync;         /* for the documents' downloads, or NULL */
  gulong             download_changed_id;
  GError            *error;
  char              *fingerprint;  /* of what the tree shows, to skip reloads that change nothing */

  /* The two halves of a load, until both have arrived. */
  GPtrArray         *pending_items;
  GPtrArray         *pending_documents;
  guint              n_pending;

  guint              n_items;
  gboolean           loaded;
  gboolean           reload_pending;  /* the store committed while a load was in flight */
};

G_DEFINE_FINAL_TYPE (DocketAgenda, docket_agenda, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LOADED,
  PROP_N_ITEMS,
  PROP_N_DOCUMENTS,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
compute_fingerprint (GPtrArray *items,
                     GPtrArray *documents)
{
  GString *string = g_string_new (NULL);

  for (guint i = 0; i < items->len; i++)
    {
      DocketAgendaItemRecord *item = g_ptr_array_index (items, i);
      g_string_append_printf (string, "i%s:%" G_GINT64_FORMAT ";", item->id, item->version);
    }
  for (guint i = 0; i < documents->len; i++)
    {
      DocketStoreDocumentRow *row = g_ptr_array_index (documents, i);
      g_string_append_printf (string, "d%s:%" G_GINT64_FORMAT ":%s;", row->document->id,
                              row->document->version, row->path != NULL ? row->path : "");
    }
  return g_string_free (string, FALSE);
}

static void
docket_agenda_show_download (DocketAgenda   *self,
                             DocketDocument *document)
{
  DocketDownloadInfo info;

  if (self->sync == NULL)
    return;
  docket_sync_get_download (self->sync, docket_document_get_sha256 (document), &info);
  docket_document_set_download (document, &info);
}

/* The object for an item record: the one shown already, updated in place, when it is
 * at the same depth; else a new one. */
static DocketAgendaItem *
docket_agenda_take_item (GHashTable                   *old_items,
                         const DocketAgendaItemRecord *record,
                         guint                         depth)
{
  DocketAgendaItem *item = g_hash_table_lookup (old_items, record->id);

  if (item != NULL && docket_agenda_item_get_depth (item) == depth)
    {
      docket_agenda_item_update (item, record);
      return g_object_ref (item);
    }
  return docket_agenda_item_new (record, depth);
}

static DocketDocument *
docket_agenda_take_document (DocketAgenda                 *self,
                             GHashTable                   *old_documents,
                             const DocketStoreDocumentRow *row)
{
  DocketDocument *document = g_hash_table_lookup (old_documents, row->document->id);

  if (document != NULL)
    {
      if (docket_document_update (document, row))
        docket_agenda_show_download (self, document);
      return g_object_ref (document);
    }

  document = docket_document_new (row);
  docket_agenda_show_download (self, document);
  return document;
}

/* Makes the tree show items and documents with the fewest changes (docket-list-diff.h):
 * an item or a document still there keeps its object, updated in place, and its place
 * unless it moved; each list (the root, each item's children) changes only where
 * something came, went or moved. Items come parents first, so a parent is always known
 * when its child arrives. */
static void
docket_agenda_rebuild (DocketAgenda *self,
                       GPtrArray    *items,
                       GPtrArray    *documents)
{
  g_autoptr(GHashTable) old_items = g_steal_pointer (&self->items);
  g_autoptr(GHashTable) old_documents = g_steal_pointer (&self->documents);
  /* What each list must hold, in order: id of the item -> GPtrArray of objects. */
  g_autoptr(GHashTable) targets = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                         (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GPtrArray) top = g_ptr_array_new_with_free_func (g_object_unref);
  guint old_n_documents = g_hash_table_size (old_documents);
  guint old_n_items = self->n_items;
  GHashTableIter iter;
  gpointer key, value;

  self->items = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->documents = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);

  for (guint i = 0; i < items->len; i++)
    {
      DocketAgendaItemRecord *record = g_ptr_array_index (items, i);
      DocketAgendaItem *parent = NULL;
      DocketAgendaItem *item;

      if (record->parent_id != NULL)
        parent = g_hash_table_lookup (self->items, record->parent_id);
      item = docket_agenda_take_item (old_items, record,
                                      parent != NULL ? docket_agenda_item_get_depth (parent) + 1 : 0);
      g_hash_table_insert (self->items, g_strdup (docket_agenda_item_get_id (item)), item);
      g_hash_table_insert (targets, (gpointer) docket_agenda_item_get_id (item),
                           g_ptr_array_new_with_free_func (g_object_unref));
    }

  /* Documents go before the sub-items of their item: what is read for an item comes
   * with it. */
  for (guint i = 0; i < documents->len; i++)
    {
      DocketStoreDocumentRow *row = g_ptr_array_index (documents, i);
      DocketDocument *document = docket_agenda_take_document (self, old_documents, row);
      GPtrArray *target = g_hash_table_lookup (targets, row->document->item_id);

      g_hash_table_insert (self->documents, g_strdup (docket_document_get_id (document)), document);
      g_ptr_array_add (target != NULL ? target : top, g_object_ref (document));
    }

  for (guint i = 0; i < items->len; i++)
    {
      DocketAgendaItemRecord *record = g_ptr_array_index (items, i);
      DocketAgendaItem *item = g_hash_table_lookup (self->items, record->id);
      GPtrArray *target = NULL;

      if (record->parent_id != NULL && g_hash_table_contains (self->items, record->parent_id))
        target = g_hash_table_lookup (targets, record->parent_id);
      g_ptr_array_add (target != NULL ? target : top, g_object_ref (item));
    }

  self->n_items = items->len;

  g_hash_table_iter_init (&iter, self->items);
  while (g_hash_table_iter_next (&iter, &key, &value))
    docket_list_store_update (docket_agenda_item_get_children (value),
                              g_hash_table_lookup (targets, key));
  docket_list_store_update (self->root, top);

  if (old_n_items != self->n_items)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  if (old_n_documents != g_hash_table_size (self->documents))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_DOCUMENTS]);
}


/* Takes error (NULL: the last load succeeded); notifies only a real change. */
static void
docket_agenda_set_error (DocketAgenda *self,
                         GError       *error)
{
  if (error != NULL && docket_model_error_equal (self->error, error))
    g_error_free (error);
  else if (docket_model_take_error (&self->error, error))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
docket_agenda_finish_load (DocketAgenda *self,
                           GError       *error)
{
  if (error != NULL)
    {
      g_warning ("Could not read the agenda of meeting %s: %s", self->meeting_id, error->message);
      docket_agenda_set_error (self, error);
    }
  else
    {
      g_autofree char *fingerprint = compute_fingerprint (self->pending_items,
                                                          self->pending_documents);

      if (g_strcmp0 (fingerprint, self->fingerprint) != 0)
        {
          docket_agenda_rebuild (self, self->pending_items, self->pending_documents);
          g_free (self->fingerprint);
          self->fingerprint = g_steal_pointer (&fingerprint);
        }
      docket_agenda_set_error (self, NULL);
    }

  g_clear_pointer (&self->pending_items, g_ptr_array_unref);
  g_clear_pointer (&self->pending_documents, g_ptr_array_unref);
  g_clear_object (&self->loader.cancellable);

  if (!self->loaded)
    {
      self->loaded = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }

  if (self->reload_pending)
    docket_agenda_reload (self);
}

static void
on_half_loaded (DocketStoreLoad  *load,
                GPtrArray        *rows,
                GPtrArray       **slot,
                GError           *error)
{
  DocketAgenda *self = load->model;

  if (docket_store_load_is_superseded (load))
    {
      g_clear_error (&error);
      g_clear_pointer (&rows, g_ptr_array_unref);
      return;
    }

  if (rows == NULL)
    {
      /* The first failure ends the load; the other half, if still running, is cancelled
       * and ignored. */
      g_cancellable_cancel (self->loader.cancellable);
      docket_agenda_finish_load (self, error);
      return;
    }

  *slot = rows;
  if (--self->n_pending == 0)
    docket_agenda_finish_load (self, NULL);
}

static void
on_items_listed (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(DocketStoreLoad) load = user_data;
  GError *error = NULL;
  GPtrArray *rows = docket_store_list_agenda_items_finish (DOCKET_STORE (source), result, &error);

  on_half_loaded (load, rows, &DOCKET_AGENDA (load->model)->pending_items, error);
}

static void
on_documents_listed (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(DocketStoreLoad) load = user_data;
  GError *error = NULL;
  GPtrArray *rows = docket_store_list_documents_finish (DOCKET_STORE (source), result, &error);

  on_half_loaded (load, rows, &DOCKET_AGENDA (load->model)->pending_documents, error);
}

void
docket_agenda_reload (DocketAgenda *self)
{
  GCancellable *cancellable = docket_store_loader_restart (&self->loader);

  self->reload_pending = FALSE;
  g_clear_pointer (&self->pending_items, g_ptr_array_unref);
  g_clear_pointer (&self->pending_documents, g_ptr_array_unref);

  self->n_pending = 2;
  docket_store_list_agenda_items_async (self->loader.store, self->meeting_id, cancellable,
                                        on_items_listed, docket_store_load_new (self, &self->loader));
  docket_store_list_documents_async (self->loader.store, self->meeting_id, cancellable,
                                     on_documents_listed, docket_store_load_new (self, &self->loader));
}

/* One more load after the one in flight, rather than cancelling it (as the meeting list
 * does): a first sync commits faster than a load ends. */
static void
on_store_changed (DocketAgenda *self)
{
  if (self->loader.cancellable != NULL)
    self->reload_pending = TRUE;
  else
    docket_agenda_reload (self);
}

static void
on_download_changed (DocketAgenda *self,
                     const char   *sha256,
                     GStrv         meeting_ids)
{
  GHashTableIter iter;
  gpointer value;
  DocketDownloadInfo info;

  if (!g_strv_contains ((const char * const *) meeting_ids, self->meeting_id))
    return;

  docket_sync_get_download (self->sync, sha256, &info);
  g_hash_table_iter_init (&iter, self->documents);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      if (g_strcmp0 (docket_document_get_sha256 (value), sha256) == 0)
        docket_document_set_download (value, &info);
    }
}

static void
docket_agenda_dispose (GObject *object)
{
  DocketAgenda *self = DOCKET_AGENDA (object);

  docket_store_loader_clear (&self->loader);
  if (self->sync != NULL)
    g_clear_signal_handler (&self->download_changed_id, self->sync);
  g_clear_object (&self->sync);
  /* Notes save a pending edit as they go. */
  g_clear_pointer (&self->notes, g_hash_table_unref);

  G_OBJECT_CLASS (docket_agenda_parent_class)->dispose (object);
}

static void
docket_agenda_finalize (GObject *object)
{
  DocketAgenda *self = DOCKET_AGENDA (object);

  g_clear_pointer (&self->meeting_id, g_free);
  g_clear_pointer (&self->fingerprint, g_free);
  g_clear_pointer (&self->items, g_hash_table_unref);
  g_clear_pointer (&self->documents, g_hash_table_unref);
  g_clear_pointer (&self->pending_items, g_ptr_array_unref);
  g_clear_pointer (&self->pending_documents, g_ptr_array_unref);
  g_clear_object (&self->root);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (docket_agenda_parent_class)->finalize (object);
}

static void
docket_agenda_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  DocketAgenda *self = DOCKET_AGENDA (object);

  switch (prop_id)
    {
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->n_items);
      break;
    case PROP_N_DOCUMENTS:
      g_value_set_uint (value, g_hash_table_size (self->documents));
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_agenda_class_init (DocketAgendaClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = docket_agenda_dispose;
  object_class->finalize = docket_agenda_finalize;
  object_class->get_property = docket_agenda_get_property;

  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_DOCUMENTS] =
    g_param_spec_uint ("n-documents", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Why the last load failed (a GError, in the official's words), NULL once one succeeds. */
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
docket_agenda_init (DocketAgenda *self)
{
  self->root = g_list_store_new (G_TYPE_OBJECT);
  self->items = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->documents = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->notes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

DocketAgenda *
docket_agenda_new (DocketStore *store,
                   const char  *meeting_id)
{
  DocketAgenda *self;

  g_return_val_if_fail (DOCKET_IS_STORE (store), NULL);
  g_return_val_if_fail (meeting_id != NULL, NULL);

  self = g_object_new (DOCKET_TYPE_AGENDA, NULL);
  self->meeting_id = g_strdup (meeting_id);
  docket_store_loader_init (&self->loader, store, G_CALLBACK (on_store_changed), self);
  docket_agenda_reload (self);

  return self;
}

const char *
docket_agenda_get_meeting_id (DocketAgenda *self)
{
  g_return_val_if_fail (DOCKET_IS_AGENDA (self), NULL);
  return self->meeting_id;
}

GListModel *
docket_agenda_get_root (DocketAgenda *self)
{
  g_return_val_if_fail (DOCKET_IS_AGENDA (self), NULL);
  return G_LIST_MODEL (self->root);
}

gboolean
docket_agenda_get_loaded (DocketAgenda *self)
{
  g_return_val_if_fail (DOCKET_IS_AGENDA (self), FALSE);
  return self->loaded;
}

const GError *
docket_agenda_get_error (DocketAgenda *self)
{
  g_return_val_if_fail (DOCKET_IS_AGENDA (self), NULL);
  return self->error;
}

guint
docket_agenda_get_n_items (DocketAgenda *self)
{
  g_return_val_if_fail (DOCKET_IS_AGENDA (self), 0);
  return self->n_items;
}

guint
docket_agenda_get_n_documents (DocketAgenda *self)
{
  g_return_val_if_fail (DOCKET_IS_AGENDA (self), 0);
  return g_hash_table_size (self->documents);
}

DocketDocument *
docket_agenda_find_document (DocketAgenda *self,
                             const char   *document_id)
{
  g_return_val_if_fail (DOCKET_IS_AGENDA (self), NULL);
  return g_hash_table_lookup (self->documents, document_id);
}

void
docket_agenda_set_sync (DocketAgenda *self,
                        DocketSync   *sync)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (DOCKET_IS_AGENDA (self));
  g_return_if_fail (sync == NULL || DOCKET_IS_SYNC (sync));

  if (self->sync == sync)
    return;

  if (self->sync != NULL)
    g_clear_signal_handler (&self->download_changed_id, self->sync);
  g_set_object (&self->sync, sync);
  if (sync != NULL)
    self->download_changed_id = g_signal_connect_swapped (sync, "download-changed",
                                                          G_CALLBACK (on_download_changed), self);

  g_hash_table_iter_init (&iter, self->documents);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      DocketDownloadInfo info;

      if (sync != NULL)
        docket_sync_get_download (sync, docket_document_get_sha256 (value), &info);
      docket_document_set_download (value, sync != NULL ? &info : NULL);
    }
}

DocketNote *
docket_agenda_get_note (DocketAgenda     *self,
                        DocketNoteTarget  target,
                        const char       *target_id)
{
  g_autofree char *key = NULL;
  DocketNote *note;

  g_return_val_if_fail (DOCKET_IS_AGENDA (self), NULL);
  g_return_val_if_fail (target_id != NULL, NULL);
  g_return_val_if_fail (self->notes != NULL, NULL);

  key = g_strdup_printf ("%s:%s", docket_note_target_to_string (target), target_id);
  note = g_hash_table_lookup (self->notes, key);
  if (note == NULL)
    {
      note = docket_note_new (self->loader.store, target, target_id);
      g_hash_table_insert (self->notes, g_steal_pointer (&key), note);
    }

  return note;
}
