/* docket-search-results.c: the hits of a search across every cached document */

#include "config.h"

#include "docket-search-results.h"
#include "docket-model-error.h"
#include "docket-store-loader.h"

/* Enough to read through; a search that finds more wants more words. */
#define MAX_RESULTS 200

struct _DocketSearchResults
{
  GObject            parent_instance;

  /* Owned */
  DocketStoreLoader  loader;
  GPtrArray         *items;        /* DocketSearchResult* */
  char              *query;        /* being run, or shown */
  char              *shown_query;  /* whose results are in items */
  GError            *error;
  guint              n_unindexed;
  gboolean           loading;
};

static void docket_search_results_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (DocketSearchResults, docket_search_results, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      docket_search_results_list_model_init))

enum {
  PROP_0,
  PROP_QUERY,
  PROP_LOADING,
  PROP_N_UNINDEXED,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* GListModel */

static GType
docket_search_results_get_item_type (GListModel *model)
{
  return DOCKET_TYPE_SEARCH_RESULT;
}

static guint
docket_search_results_get_n_items (GListModel *model)
{
  return DOCKET_SEARCH_RESULTS (model)->items->len;
}

static gpointer
docket_search_results_get_item (GListModel *model,
                                guint       position)
{
  DocketSearchResults *self = DOCKET_SEARCH_RESULTS (model);

  if (position >= self->items->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
docket_search_results_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = docket_search_results_get_item_type;
  iface->get_n_items = docket_search_results_get_n_items;
  iface->get_item = docket_search_results_get_item;
}

/* Grouping */

typedef struct {
  char      *id;
  GPtrArray *hits;    /* DocketSearchHit*, borrowed */
} Group;

static void
group_free (Group *group)
{
  g_ptr_array_unref (group->hits);
  g_free (group);
}

static gint
compare_by_page (gconstpointer a,
                 gconstpointer b)
{
  const DocketSearchHit *x = *(const DocketSearchHit * const *) a;
  const DocketSearchHit *y = *(const DocketSearchHit * const *) b;

  return (x->page > y->page) - (x->page < y->page);
}

/* Groups hits (best first) by key, keeping the order in which each key first comes:
 * the group with the best hit first. GPtrArray of Group*. */
static GPtrArray *
group_hits (GPtrArray *hits,
            gboolean   by_meeting)
{
  g_autoptr(GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *groups = g_ptr_array_new_with_free_func ((GDestroyNotify) group_free);

  for (guint i = 0; i < hits->len; i++)
    {
      DocketSearchHit *hit = g_ptr_array_index (hits, i);
      const char *key = by_meeting ? hit->meeting_id : hit->document_id;
      Group *group = g_hash_table_lookup (index, key);

      if (group == NULL)
        {
          group = g_new0 (Group, 1);
          group->id = (char *) key;
          group->hits = g_ptr_array_new ();
          g_hash_table_insert (index, group->id, group);
          g_ptr_array_add (groups, group);
        }
      g_ptr_array_add (group->hits, hit);
    }

  return groups;
}

static GPtrArray *
arrange (GPtrArray *hits)
{
  g_autoptr(GPtrArray) meetings = group_hits (hits, TRUE);
  GPtrArray *results = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint m = 0; m < meetings->len; m++)
    {
      Group *meeting = g_ptr_array_index (meetings, m);
      g_autoptr(GPtrArray) documents = group_hits (meeting->hits, FALSE);

      for (guint d = 0; d < documents->len; d++)
        {
          Group *document = g_ptr_array_index (documents, d);

          /* Within a document, pages in reading order. */
          g_ptr_array_sort (document->hits, compare_by_page);
          for (guint i = 0; i < document->hits->len; i++)
            g_ptr_array_add (results, docket_search_result_new (g_ptr_array_index (document->hits, i)));
        }
    }

  return results;
}

/* Loading */

static void
docket_search_results_set_loading (DocketSearchResults *self,
                                   gboolean             loading)
{
  if (self->loading == loading)
    return;

  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
docket_search_results_replace (DocketSearchResults *self,
                               GPtrArray           *results,
                               const char          *query)
{
  guint removed = self->items->len;

  g_ptr_array_set_size (self->items, 0);
  for (guint i = 0; results != NULL && i < results->len; i++)
    g_ptr_array_add (self->items, g_object_ref (g_ptr_array_index (results, i)));

  g_free (self->shown_query);
  self->shown_query = g_strdup (query);

  if (removed > 0 || self->items->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->items->len);
}

/* Takes error (NULL: the last search succeeded, or there is none); notifies only a
 * change. */
static void
docket_search_results_set_error (DocketSearchResults *self,
                                 GError              *error)
{
  if (docket_model_take_error (&self->error, error))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
on_searched (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(DocketStoreLoad) load = user_data;
  DocketSearchResults *self = load->model;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hits = docket_store_search_finish (DOCKET_STORE (source), result, &error);
  g_autoptr(GPtrArray) results = NULL;

  if (docket_store_load_is_superseded (load))
    return;

  g_clear_object (&self->loader.cancellable);

  if (hits == NULL)
    {
      g_warning ("Search for “%s” failed: %s", self->query, error->message);
      docket_search_results_set_error (self, g_steal_pointer (&error));
    }
  else
    {
      results = arrange (hits);
      docket_search_results_set_error (self, NULL);
    }

  docket_search_results_replace (self, results, self->query);
  docket_search_results_set_loading (self, FALSE);
}

static void
on_counted (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(DocketStoreLoad) load = user_data;
  DocketSearchResults *self = load->model;
  g_autoptr(GError) error = NULL;
  guint count = 0;

  if (!docket_store_count_unindexed_contents_finish (DOCKET_STORE (source), result, &count, &error))
    {
      /* Only a hint for the page: the search itself says what went wrong. */
      g_debug ("Search: cannot count the documents left to index: %s", error->message);
      return;
    }
  if (docket_store_load_is_superseded (load) || count == self->n_unindexed)
    return;

  self->n_unindexed = count;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_UNINDEXED]);
}

static void
docket_search_results_run (DocketSearchResults *self)
{
  GCancellable *cancellable = docket_store_loader_restart (&self->loader);

  if (self->query == NULL || self->query[0] == '\0')
    {
      g_clear_object (&self->loader.cancellable);
      docket_search_results_set_error (self, NULL);
      docket_search_results_replace (self, NULL, NULL);
      docket_search_results_set_loading (self, FALSE);
      return;
    }

  docket_search_results_set_loading (self, TRUE);
  docket_store_search_async (self->loader.store, self->query, MAX_RESULTS, cancellable,
                             on_searched, docket_store_load_new (self, &self->loader));
  docket_store_count_unindexed_contents_async (self->loader.store, cancellable, on_counted,
                                               docket_store_load_new (self, &self->loader));
}

/* A document indexed or removed: the same search, again. */
static void
on_store_changed (DocketSearchResults *self)
{
  if (self->query != NULL && self->query[0] != '\0')
    docket_search_results_run (self);
}

/* Object */

static void
docket_search_results_dispose (GObject *object)
{
  DocketSearchResults *self = DOCKET_SEARCH_RESULTS (object);

  docket_store_loader_clear (&self->loader);

  G_OBJECT_CLASS (docket_search_results_parent_class)->dispose (object);
}

static void
docket_search_results_finalize (GObject *object)
{
  DocketSearchResults *self = DOCKET_SEARCH_RESULTS (object);

  g_ptr_array_unref (self->items);
  g_free (self->query);
  g_free (self->shown_query);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (docket_search_results_parent_class)->finalize (object);
}

static void
docket_search_results_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  DocketSearchResults *self = DOCKET_SEARCH_RESULTS (object);

  switch (prop_id)
    {
    case PROP_QUERY:
      g_value_set_string (value, self->query);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_N_UNINDEXED:
      g_value_set_uint (value, self->n_unindexed);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_search_results_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  DocketSearchResults *self = DOCKET_SEARCH_RESULTS (object);

  switch (prop_id)
    {
    case PROP_QUERY:
      docket_search_results_set_query (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_search_results_class_init (DocketSearchResultsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = docket_search_results_dispose;
  object_class->finalize = docket_search_results_finalize;
  object_class->get_property = docket_search_results_get_property;
  object_class->set_property = docket_search_results_set_property;

  properties[PROP_QUERY] =
    g_param_spec_string ("query", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_UNINDEXED] =
    g_param_spec_uint ("n-unindexed", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Why the last search failed (a GError, in the official's words), NULL once one
   * succeeds; the search page says it where the results would be. */
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
docket_search_results_init (DocketSearchResults *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}

DocketSearchResults *
docket_search_results_new (DocketStore *store)
{
  DocketSearchResults *self;

  g_return_val_if_fail (DOCKET_IS_STORE (store), NULL);

  self = g_object_new (DOCKET_TYPE_SEARCH_RESULTS, NULL);
  docket_store_loader_init (&self->loader, store, G_CALLBACK (on_store_changed), self);

  return self;
}

void
docket_search_results_set_query (DocketSearchResults *self,
                                 const char          *query)
{
  g_return_if_fail (DOCKET_IS_SEARCH_RESULTS (self));

  if (g_strcmp0 (self->query, query) == 0)
    return;

  g_free (self->query);
  self->query = g_strdup (query);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUERY]);

  docket_search_results_run (self);
}

const char *
docket_search_results_get_query (DocketSearchResults *self)
{
  g_return_val_if_fail (DOCKET_IS_SEARCH_RESULTS (self), NULL);
  return self->query;
}

gboolean
docket_search_results_get_loading (DocketSearchResults *self)
{
  g_return_val_if_fail (DOCKET_IS_SEARCH_RESULTS (self), FALSE);
  return self->loading;
}

const char *
docket_search_results_get_shown_query (DocketSearchResults *self)
{
  g_return_val_if_fail (DOCKET_IS_SEARCH_RESULTS (self), NULL);
  return self->shown_query;
}

const GError *
docket_search_results_get_error (DocketSearchResults *self)
{
  g_return_val_if_fail (DOCKET_IS_SEARCH_RESULTS (self), NULL);
  return self->error;
}

guint
docket_search_results_get_n_unindexed (DocketSearchResults *self)
{
  g_return_val_if_fail (DOCKET_IS_SEARCH_RESULTS (self), 0);
  return self->n_unindexed;
}
