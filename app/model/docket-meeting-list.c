/* docket-meeting-list.c: the meetings of the cache, a GListModel of DocketMeeting */

#include "config.h"

#include "docket-meeting-list.h"
#include "docket-model-error.h"
#include "docket-list-diff.h"
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
  gboolean           reload_pending;  /* the store committed while a load was in flight */
};

static void docket_meeting_list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DocketMeetingList, docket_meeting_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      docket_meeting_list_model_iface_init))

enum {
  PROP_0,
  PROP_LOADED,
  PROP_N_ITEMS,
  PROP_ERROR,
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

static DocketMeeting *
docket_meeting_list_new_meeting (DocketMeetingList           *self,
                                 const DocketStoreMeetingRow *row)
{
  DocketMeeting *meeting = docket_meeting_new (row);

  if (self->sync != NULL)
    {
      DocketMeetingDownloads downloads;

      docket_sync_get_meeting_downloads (self->sync, row->meeting->id, &downloads);
      docket_meeting_set_downloads (meeting, &downloads);
    }
  return meeting;
}

/* Makes the list equal to rows with the fewest signals (docket-list-diff.h): a meeting
 * that is still there keeps its object, updated in place (it notifies only what really
 * changed); only meetings that came, went, moved, or changed their times are in an
 * "items-changed", each run of them in one. A sync that changes one meeting of a
 * thousand signals that one meeting only, if anything. */
static void
docket_meeting_list_apply (DocketMeetingList *self,
                           GPtrArray         *rows)
{
  g_autoptr(GHashTable) old_index = g_hash_table_new (g_str_hash, g_str_equal);
  /* The objects as they were, held while the list changes: a moved meeting leaves the
   * list before it comes back. */
  g_autoptr(GPtrArray) old = g_ptr_array_new_full (self->meetings->len, g_object_unref);
  g_autofree gint *new_to_old = g_new (gint, rows->len + 1);
  g_autofree gboolean *kept = NULL;
  g_autofree gboolean *old_kept = NULL;
  g_autoptr(GPtrArray) target = g_ptr_array_new_full (rows->len, g_object_unref);
  g_autofree gboolean *moved_in_time = g_new0 (gboolean, rows->len + 1);
  guint old_len = self->meetings->len;

  for (guint i = 0; i < self->meetings->len; i++)
    g_ptr_array_add (old, g_object_ref (g_ptr_array_index (self->meetings, i)));
  for (guint i = 0; i < old_len; i++)
    g_hash_table_insert (old_index, (gpointer) docket_meeting_get_id (g_ptr_array_index (old, i)),
                         GUINT_TO_POINTER (i + 1));
  for (guint j = 0; j < rows->len; j++)
    {
      DocketStoreMeetingRow *row = g_ptr_array_index (rows, j);

      new_to_old[j] = (gint) GPOINTER_TO_UINT (g_hash_table_lookup (old_index, row->meeting->id)) - 1;
    }
  kept = docket_list_diff_kept (new_to_old, rows->len, old_len, &old_kept);

  /* The objects of the meetings still listed (kept or moved), in the new order, updated
   * in place; fresh objects for the new meetings. */
  for (guint j = 0; j < rows->len; j++)
    {
      DocketStoreMeetingRow *row = g_ptr_array_index (rows, j);

      if (new_to_old[j] >= 0)
        {
          DocketMeeting *meeting = g_ptr_array_index (old, new_to_old[j]);

          moved_in_time[j] = docket_meeting_update (meeting, row);
          g_ptr_array_add (target, g_object_ref (meeting));
        }
      else
        g_ptr_array_add (target, docket_meeting_list_new_meeting (self, row));
    }
  /* Removals first, from the end, so that the positions before them hold. */
  for (guint end = old_len; end > 0;)
    {
      guint begin = end;

      while (begin > 0 && !old_kept[begin - 1])
        begin--;
      if (begin < end)
        {
          g_ptr_array_remove_range (self->meetings, begin, end - begin);
          g_list_model_items_changed (G_LIST_MODEL (self), begin, end - begin, 0);
        }
      while (begin > 0 && old_kept[begin - 1])
        begin--;
      end = begin;
    }

  /* Then insertions, from the start: the kept meetings are already in place. */
  for (guint j = 0; j < target->len;)
    {
      guint end = j;

      while (end < target->len && !kept[end])
        end++;
      for (guint k = j; k < end; k++)
        g_ptr_array_insert (self->meetings, (gint) k, g_object_ref (g_ptr_array_index (target, k)));
      if (end > j)
        g_list_model_items_changed (G_LIST_MODEL (self), j, 0, end - j);
      j = end + 1;
    }

  /* A meeting whose start or end changed without moving in the list stays the same
   * object, but is announced again, alone: views that group meetings by day filter it
   * again. Any other change (a new title, documents arriving) only notifies, so that a
   * row bound to the meeting stays the same row. */
  for (guint j = 0; j < target->len;)
    {
      guint end = j;

      while (end < target->len && kept[end] && moved_in_time[end])
        end++;
      if (end > j)
        g_list_model_items_changed (G_LIST_MODEL (self), j, end - j, end - j);
      j = end + 1;
    }

  if (self->meetings->len != old_len)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/* Takes error (NULL: the last load succeeded); notifies only a real change, so that a
 * page showing the error is not rebuilt at every failed reload. */
static void
docket_meeting_list_set_error (DocketMeetingList *self,
                               GError            *error)
{
  if (error != NULL && docket_model_error_equal (self->error, error))
    g_error_free (error);
  else if (docket_model_take_error (&self->error, error))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
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

  if (rows == NULL)
    {
      /* The meetings listed before stay: the page says the list could not be read. */
      g_warning ("Could not list the meetings of the cache: %s", error->message);
      docket_meeting_list_set_error (self, g_steal_pointer (&error));
    }
  else
    {
      docket_meeting_list_apply (self, rows);
      docket_meeting_list_set_error (self, NULL);
    }

  if (!self->loaded)
    {
      self->loaded = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }

  if (self->reload_pending)
    docket_meeting_list_reload (self);
}

void
docket_meeting_list_reload (DocketMeetingList *self)
{
  GCancellable *cancellable;

  g_return_if_fail (DOCKET_IS_MEETING_LIST (self));

  /* Asked for: whatever is in flight is stale, start over. */
  self->reload_pending = FALSE;
  cancellable = docket_store_loader_restart (&self->loader);
  docket_store_list_meetings_async (self->loader.store, cancellable, on_meetings_listed,
                                    docket_store_load_new (self, &self->loader));
}

/* A commit while a load is in flight asks for one more load after it, rather than
 * cancelling it: during a first sync the store commits every few milliseconds (pages,
 * downloads, the indexer), and restarting at each commit would never let the list of a
 * thousand meetings finish loading. */
static void
on_store_changed (DocketMeetingList *self)
{
  if (self->loader.cancellable != NULL)
    self->reload_pending = TRUE;
  else
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
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
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
  /* Why the last load failed (a GError, in the official's words), NULL once one succeeds. */
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR,
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
    if (g_strcmp0 (docket_meeting_get_id (g_ptr_array_index (self->meetings, i)), id) == 0)
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
