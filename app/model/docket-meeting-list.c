/* docket-meeting-list.c: the meetings of the cache, a GListModel of DocketMeeting */

#include "config.h"

#include "docket-meeting-list.h"

struct _DocketMeetingList
{
  GObject       parent_instance;

  /* Owned */
  DocketStore  *store;
  GPtrArray    *meetings;      /* DocketMeeting* */
  GCancellable *cancellable;   /* of the load in flight */
  GError       *error;

  gulong        changed_id;
  gboolean      loaded;
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
        g_ptr_array_add (middle, docket_meeting_new (row));
    }

  /* old_by_id borrows ids from the objects about to go: drop it first. */
  g_clear_pointer (&old_by_id, g_hash_table_unref);
  g_ptr_array_remove_range (self->meetings, prefix, removed);
  for (guint i = 0; i < middle->len; i++)
    g_ptr_array_insert (self->meetings, prefix + i, g_object_ref (g_ptr_array_index (middle, i)));

  g_list_model_items_changed (G_LIST_MODEL (self), prefix, removed, added);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/* What the query callback needs: the list, and the cancellable of its load, so that
 * the answer of a load that was superseded is dropped even if it finished anyway. */
typedef struct {
  DocketMeetingList *self;
  GCancellable      *cancellable;
} LoadRequest;

static void
load_request_free (LoadRequest *request)
{
  g_object_unref (request->self);
  g_object_unref (request->cancellable);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoadRequest, load_request_free)

static void
on_meetings_listed (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(LoadRequest) request = user_data;
  DocketMeetingList *self = request->self;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  rows = docket_store_list_meetings_finish (DOCKET_STORE (source), result, &error);
  if (g_cancellable_is_cancelled (request->cancellable))
    return;

  g_clear_object (&self->cancellable);
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
  LoadRequest *request;

  g_return_if_fail (DOCKET_IS_MEETING_LIST (self));

  /* A newer commit makes the load in flight stale: start over. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  request = g_new0 (LoadRequest, 1);
  request->self = g_object_ref (self);
  request->cancellable = g_object_ref (self->cancellable);
  docket_store_list_meetings_async (self->store, self->cancellable,
                                    on_meetings_listed, request);
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

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_signal_handler (&self->changed_id, self->store);
  g_clear_object (&self->store);

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
  self->store = g_object_ref (store);
  self->changed_id = g_signal_connect_swapped (store, "changed",
                                               G_CALLBACK (on_store_changed), self);
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
