/* docket-list-diff.h: what a model needs to follow a new listing with the fewest changes
 *
 * The models mirror the store's listings. When the store commits, a model lists again
 * and must turn its old items into the new ones without replacing the rows that did
 * not change: the widgets bound to them keep their state (expanded, focused, scrolled
 * to) and nothing is made or laid out again. The items that keep their place are a
 * longest run of old items still in the same order; the others are removed, then the
 * new and moved ones inserted, each run of them in one "items-changed". An item object
 * is never in the list twice, even for a moment.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* new_to_old[j] is the old index of the new item j, or -1 for an item that is new.
 * Returns, for each new item, whether it keeps its place (g_free it); *out_old_kept
 * (n_old entries, g_free it) the same for the old items. */
gboolean *docket_list_diff_kept     (const gint  *new_to_old,
                                     guint        n_new,
                                     guint        n_old,
                                     gboolean   **out_old_kept);

/* Makes store hold the objects of target, in that order, with the fewest splices:
 * objects already in store (the same pointers) that keep their order stay. */
void      docket_list_store_update  (GListStore  *store,
                                     GPtrArray   *target);

G_END_DECLS
