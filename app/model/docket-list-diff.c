/* docket-list-diff.c: what a model needs to follow a new listing with the fewest changes */

#include "config.h"

#include "docket-list-diff.h"

/* A longest strictly increasing subsequence of the old indices, in O(n log n): those
 * items keep their place; every other one moves, comes or goes. */
gboolean *
docket_list_diff_kept (const gint  *new_to_old,
                       guint        n_new,
                       guint        n_old,
                       gboolean   **out_old_kept)
{
  g_autofree guint *tails = g_new (guint, n_new + 1);   /* new index ending a run of each length */
  g_autofree gint *previous = g_new (gint, n_new + 1);   /* the new index before it in its run */
  gboolean *kept = g_new0 (gboolean, n_new + 1);
  gboolean *old_kept = g_new0 (gboolean, n_old + 1);
  guint length = 0;

  for (guint j = 0; j < n_new; j++)
    {
      guint low = 0, high = length;

      if (new_to_old[j] < 0)
        continue;

      /* The first run whose tail is not below this item. */
      while (low < high)
        {
          guint middle = (low + high) / 2;

          if (new_to_old[tails[middle]] < new_to_old[j])
            low = middle + 1;
          else
            high = middle;
        }
      previous[j] = low > 0 ? (gint) tails[low - 1] : -1;
      tails[low] = j;
      if (low == length)
        length++;
    }

  if (length > 0)
    for (gint j = (gint) tails[length - 1]; j >= 0; j = previous[j])
      {
        kept[j] = TRUE;
        old_kept[new_to_old[j]] = TRUE;
      }

  *out_old_kept = old_kept;
  return kept;
}

void
docket_list_store_update (GListStore *store,
                          GPtrArray  *target)
{
  GListModel *model = G_LIST_MODEL (store);
  guint n_old = g_list_model_get_n_items (model);
  g_autoptr(GHashTable) old_index = g_hash_table_new (NULL, NULL);
  g_autoptr(GPtrArray) old = g_ptr_array_new_full (n_old, g_object_unref);
  g_autofree gint *new_to_old = g_new (gint, target->len + 1);
  g_autofree gboolean *kept = NULL;
  g_autofree gboolean *old_kept = NULL;

  for (guint i = 0; i < n_old; i++)
    {
      GObject *item = g_list_model_get_item (model, i);

      g_ptr_array_add (old, item);
      g_hash_table_insert (old_index, item, GUINT_TO_POINTER (i + 1));
    }
  for (guint j = 0; j < target->len; j++)
    new_to_old[j] = (gint) GPOINTER_TO_UINT (g_hash_table_lookup (old_index, target->pdata[j])) - 1;

  kept = docket_list_diff_kept (new_to_old, target->len, n_old, &old_kept);

  /* Removals first, from the end, so that the positions before them hold. */
  for (guint end = n_old; end > 0;)
    {
      guint start = end;

      while (start > 0 && !old_kept[start - 1])
        start--;
      if (start < end)
        g_list_store_splice (store, start, end - start, NULL, 0);
      while (start > 0 && old_kept[start - 1])
        start--;
      end = start;
    }

  /* Then insertions, from the start: the kept items are already where they belong. */
  for (guint j = 0; j < target->len;)
    {
      guint end = j;

      while (end < target->len && !kept[end])
        end++;
      if (end > j)
        g_list_store_splice (store, j, 0, target->pdata + j, end - j);
      j = end + 1;
    }
}
