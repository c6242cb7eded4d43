/* docket-meeting-list.c: the meetings of the cache, a GListModel of DocketMeeting */

#include "config.h"

#include "docket-meeting-list.h"
#include "docket-store-loader.h"

struct _DocketMeetingList
{
  GObject            parent_instance;

  /* Owned */
  DocketStoreLoader  loader;         /* the store, and the load in flight */
  GPtrArray         *meetings;       /* DocketMeeting* */
  GError            *error;
  DocketSync        *sync;           /* for the meetings' downloads, or NULL */
  gulong             download_changed_id;

  gboolean           loaded;
};

static void docket_meeting_list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DocketMeetingList, docket_meeting_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      docket_meeting_list_model_iface_init))

enum {
  PROP_0,
  PROP_LOADED,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType
docket_meeting_list_get_item_type (GListModel *model)
{
  return DOCKET_TYPE_MEETING;
}

static guint
docket_meeting_list_get_n_items (GListModel *model)
{
  return DOCKET_MEETING_LIST (model)->meetings->len;
}

static gpointer
docket_meeting_list_get_item (GListModel *model,
                              guint       position)
{
  DocketMeetingList *self = DOCKET_MEETING_LIST (model);

  if (position >= self->meetings->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->meetings, position));
}

static void
docket_meeting_list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = docket_meeting_list_get_item_type;
  iface->get_n_items = docket_meeting_list_get_n_items;
  iface->get_item = docket_meeting_list_get_item;
}

static const char *
row_id (GPtrArray *rows,
        guint      i)
{
  return ((DocketStoreMeetingRow *) g_ptr_array_index (rows, i))->meeting->id;
}

static const char *
meeting_id (GPtrArray *meetings,
            guint      i)
{
  return docket_meeting_get_id (g_ptr_array_index (meetings, i));
}

/* Makes the list equal to rows with the fewest signals: a common prefix and suffix of
 * meetings keep their place (updated in place), the middle is spliced once, reusing the
 * objects of meetings that moved so their rows keep their state. */
static void
docket_meeting_list_apply (DocketMeetingList *self,
                           GPtrArray         *rows)
{
  g_autoptr(GHashTable) old_by_id = NULL;
  g_autoptr(GPtrArray) middle = NULL;
  guint old_len = self->meetings->len;
  guint new_len = rows->len;
  guint prefix = 0, suffix = 0;
  guint removed, added;

  while (prefix < old_len && prefix < new_len &&
         g_str_equal (meeting_id (self->meetings, prefix), row_id (rows, prefix)))
    {
      docket_meeting_update (g_ptr_array_index (self->meetings, prefix),
                             g_ptr_array_index (rows, prefix));
      prefix++;
    }
  while (suffix < old_len - prefix && suffix < new_len - prefix &&
         g_str_equal (meeting_id (self->meetings, old_len - 1 - suffix),
                      row_id (rows, new_len - 1 - suffix)))
    {
      docket_meeting_update (g_ptr_array_index (self->meetings, old_len - 1 - suffix),
                             g_ptr_array_index (rows, new_len - 1 - suffix));
      suffix++;
    }

  removed = old_len - prefix - suffix;
  added = new_len - prefix - suffix;
  if (removed == 0 && added == 0)
    return;

  old_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = prefix; i < prefix + removed; i++)
    g_hash_table_insert (old_by_id, (gpointer) meeting_id (self->meetings, i),
                         g_ptr_array_index (self->meetings, i));

  middle = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = prefix; i < prefix + added; i++)
    {
      DocketStoreMeetingRow *row = g_ptr_array_index (rows, i);
      DocketMeeting *meeting = g_hash_table_lookup (old_by_id, row->meeting->id);

      if (meeting != NULL)
        {
          docket_meeting_update (meeting, row);
          g_ptr_array_add (middle, g_object_ref (meeting));
        }
      else
        {
          DocketMeeting *fresh = docket_meeting_new (row);

          if (self->sync != NULL)
            {
              DocketMeetingDownloads downloads;

              docket_sync_get_meeting_downloads (self->sync, row->meeting->id, &downloads);
              docket_meeting_set_downloads (fresh, &downloads);
            }
          g_ptr_array_add (middle, fresh);
        }
    }

  /* old_by_id borrows ids from the objects about to go: drop it first. */
  g_clear_pointer (&old_by_id, g_hash_table_unref);
  g_ptr_array_remove_range (self->meetings, prefix, removed);
  for (guint i = 0; i < middle->len; i++)
    g_ptr_array_insert (self->meetings, prefix + i, g_object_ref (g_ptr_array_index (middle, i)));

  g_list_model_items_changed (G_LIST_MODEL (self), prefix, removed, added);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
on_meetings_listed (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(DocketStoreLoad) load = user_data;
  DocketMeetingList *self = load->model;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  rows = docket_store_list_meetings_finish (DOCKET_STORE (source), result, &error);
  if (docket_store_load_is_superseded (load))
    return;

  g_clear_object (&self->loader.cancellable);
  g_clear_error (&self->error);

  if (rows == NULL)
    {
      g_warning ("Could not list the meetings of the cache: %s", error->message);
      self->error = g_steal_pointer (&error);
    }
  else
    docket_meeting_list_apply (self, rows);

  if (!self->loaded)
    {
      self->loaded = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }
}

void
docket_meeting_list_reload (DocketMeetingList *self)
{
  GCancellable *cancellable;

  g_return_if_fail (DOCKET_IS_MEETING_LIST (self));

  /* A newer commit makes the load in flight stale: start over. */
  cancellable = docket_store_loader_restart (&self->loader);
  docket_store_list_meetings_async (self->loader.store, cancellable, on_meetings_listed,
                                    docket_store_load_new (self, &self->loader));
}

static void
on_store_changed (DocketMeetingList *self)
{
  docket_meeting_list_reload (self);
}

static void
docket_meeting_list_dispose (GObject *object)
{
  DocketMeetingList *self = DOCKET_MEETING_LIST (object);

  docket_store_loader_clear (&self->loader);
  if (self->sync != NULL)
    g_clear_signal_handler (&self->download_changed_id, self->sync);
  g_clear_object (&self->sync);

  G_OBJECT_CLASS (docket_meeting_list_parent_class)->dispose (object);
}

static void
docket_meeting_list_finalize (GObject *object)
{
  DocketMeetingList *self = DOCKET_MEETING_LIST (object);

  g_clear_pointer (&self->meetings, g_ptr_array_unref);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (docket_meeting_list_parent_class)->finalize (object);
}

static void
docket_meeting_list_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  DocketMeetingList *self = DOCKET_MEETING_LIST (object);

  switch (prop_id)
    {
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->meetings->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_meeting_list_class_init (DocketMeetingListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = docket_meeting_list_dispose;
  object_class->finalize = docket_meeting_list_finalize;
  object_class->get_property = docket_meeting_list_get_property;

  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
docket_meeting_list_init (DocketMeetingList *self)
{
  self->meetings = g_ptr_array_new_with_free_func (g_object_unref);
}

DocketMeetingList *
docket_meeting_list_new (DocketStore *store)
{
  DocketMeetingList *self;

  g_return_val_if_fail (DOCKET_IS_STORE (store), NULL);

  self = g_object_new (DOCKET_TYPE_MEETING_LIST, NULL);
  docket_store_loader_init (&self->loader, store, G_CALLBACK (on_store_changed), self);
  docket_meeting_list_reload (self);

  return self;
}

gboolean
docket_meeting_list_get_loaded (DocketMeetingList *self)
{
  g_return_val_if_fail (DOCKET_IS_MEETING_LIST (self), FALSE);
  return self->loaded;
}

const GError *
docket_meeting_list_get_error (DocketMeetingList *self)
{
  g_return_val_if_fail (DOCKET_IS_MEETING_LIST (self), NULL);
  return self->error;
}

DocketMeeting *
docket_meeting_list_find (DocketMeetingList *self,
                          const char        *id)
{
  g_return_val_if_fail (DOCKET_IS_MEETING_LIST (self), NULL);

  for (guint i = 0; i < self->meetings->len; i++)
    if (g_strcmp0 (meeting_id (self->meetings, i), id) == 0)
      return g_ptr_array_index (self->meetings, i);
  return NULL;
}

static void
on_download_changed (DocketMeetingList *self,
                     const char        *sha256,
                     GStrv              meeting_ids)
{
  for (guint i = 0; meeting_ids != NULL && meeting_ids[i] != NULL; i++)
    {
      DocketMeeting *meeting = docket_meeting_list_find (self, meeting_ids[i]);
      DocketMeetingDownloads downloads;

      if (meeting == NULL)
        continue;
      docket_sync_get_meeting_downloads (self->sync, meeting_ids[i], &downloads);
      docket_meeting_set_downloads (meeting, &downloads);
    }
}

void
docket_meeting_list_set_sync (DocketMeetingList *self,
                              DocketSync        *sync)
{
  g_return_if_fail (DOCKET_IS_MEETING_LIST (self));
  g_return_if_fail (sync == NULL || DOCKET_IS_SYNC (sync));

  if (self->sync == sync)
    return;

  if (self->sync != NULL)
    g_clear_signal_handler (&self->download_changed_id, self->sync);
  g_set_object (&self->sync, sync);
  if (sync != NULL)
    self->download_changed_id = g_signal_connect_swapped (sync, "download-changed",
                                                          G_CALLBACK (on_download_changed), self);

  for (guint i = 0; i < self->meetings->len; i++)
    {
      DocketMeeting *meeting = g_ptr_array_index (self->meetings, i);
      DocketMeetingDownloads downloads;

      if (sync != NULL)
        docket_sync_get_meeting_downloads (sync, docket_meeting_get_id (meeting), &downloads);
      docket_meeting_set_downloads (meeting, sync != NULL ? &downloads : NULL);
    }
}
