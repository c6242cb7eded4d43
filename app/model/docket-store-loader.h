/* docket-store-loader.h: what the models that mirror the cache share — reloading when
 * the store changes, and dropping the answer of a load that a newer one superseded
 *
 * Header-only (static inline): the model's sources are listed in app/meson.build.
 */
#pragma once

#include "docket-store.h"

G_BEGIN_DECLS

/* Embedded in a model: the store it mirrors, its "changed" handler, and the cancellable
 * of the load in flight (NULL when none). */
typedef struct {
  DocketStore  *store;
  GCancellable *cancellable;
  gulong        changed_id;
} DocketStoreLoader;

/* Calls on_changed (model) on every commit of store. */
static inline void
docket_store_loader_init (DocketStoreLoader *loader,
                          DocketStore       *store,
                          GCallback          on_changed,
                          gpointer           model)
{
  loader->store = g_object_ref (store);
  loader->changed_id = g_signal_connect_swapped (store, "changed", on_changed, model);
}

/* Cancels the load in flight, if any, and returns the cancellable of a new one
 * (borrowed). */
static inline GCancellable *
docket_store_loader_restart (DocketStoreLoader *loader)
{
  if (loader->cancellable != NULL)
    g_cancellable_cancel (loader->cancellable);
  g_clear_object (&loader->cancellable);
  loader->cancellable = g_cancellable_new ();
  return loader->cancellable;
}

/* For dispose: cancels the load in flight and lets go of the store. */
static inline void
docket_store_loader_clear (DocketStoreLoader *loader)
{
  if (loader->cancellable != NULL)
    g_cancellable_cancel (loader->cancellable);
  g_clear_object (&loader->cancellable);
  g_clear_signal_handler (&loader->changed_id, loader->store);
  g_clear_object (&loader->store);
}

/* What a query callback needs: the model, and the cancellable of its load, so that the
 * answer of a load that was superseded is dropped even if it finished anyway. */
typedef struct {
  gpointer      model;
  GCancellable *cancellable;
} DocketStoreLoad;

/* A load of model under the cancellable loader has now. */
static inline DocketStoreLoad *
docket_store_load_new (gpointer           model,
                       DocketStoreLoader *loader)
{
  DocketStoreLoad *load = g_new0 (DocketStoreLoad, 1);

  load->model = g_object_ref (model);
  load->cancellable = g_object_ref (loader->cancellable);
  return load;
}

static inline gboolean
docket_store_load_is_superseded (DocketStoreLoad *load)
{
  return g_cancellable_is_cancelled (load->cancellable);
}

static inline void
docket_store_load_free (DocketStoreLoad *load)
{
  g_object_unref (load->model);
  g_object_unref (load->cancellable);
  g_free (load);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketStoreLoad, docket_store_load_free)

G_END_DECLS
