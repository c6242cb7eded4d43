/* docket-texture-cache.c: a small cache of rendered pages, bounded by bytes */

#include "config.h"

#include "docket-texture-cache.h"

typedef struct {
  guint       index;
  GdkTexture *texture;
  gsize       n_bytes;
  GList      *link;      /* in lru, for O(1) moves */
} CacheEntry;

struct _DocketTextureCache
{
  GObject     parent_instance;

  gsize       max_bytes;
  gsize       n_bytes;
  GHashTable *entries;   /* GUINT_TO_POINTER (index) -> CacheEntry* */
  GQueue      lru;       /* CacheEntry*, most recently used first */
};

G_DEFINE_FINAL_TYPE (DocketTextureCache, docket_texture_cache, G_TYPE_OBJECT)

static void
cache_entry_free (gpointer data)
{
  CacheEntry *entry = data;

  g_clear_object (&entry->texture);
  g_free (entry);
}

static gsize
texture_n_bytes (GdkTexture *texture)
{
  return (gsize) gdk_texture_get_width (texture) * (gsize) gdk_texture_get_height (texture) * 4;
}

static void
docket_texture_cache_remove_entry (DocketTextureCache *self,
                                   CacheEntry         *entry)
{
  self->n_bytes -= entry->n_bytes;
  g_queue_delete_link (&self->lru, entry->link);
  g_hash_table_remove (self->entries, GUINT_TO_POINTER (entry->index));
}

static void
docket_texture_cache_finalize (GObject *object)
{
  DocketTextureCache *self = DOCKET_TEXTURE_CACHE (object);

  g_queue_clear (&self->lru);
  g_clear_pointer (&self->entries, g_hash_table_unref);

  G_OBJECT_CLASS (docket_texture_cache_parent_class)->finalize (object);
}

static void
docket_texture_cache_class_init (DocketTextureCacheClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = docket_texture_cache_finalize;
}

static void
docket_texture_cache_init (DocketTextureCache *self)
{
  self->entries = g_hash_table_new_full (NULL, NULL, NULL, cache_entry_free);
  g_queue_init (&self->lru);
}

DocketTextureCache *
docket_texture_cache_new (gsize max_bytes)
{
  DocketTextureCache *self = g_object_new (DOCKET_TYPE_TEXTURE_CACHE, NULL);

  self->max_bytes = max_bytes;
  return self;
}

/* Entry's texture, now the most recently used. */
static GdkTexture *
docket_texture_cache_use (DocketTextureCache *self,
                          CacheEntry         *entry)
{
  g_queue_unlink (&self->lru, entry->link);
  g_queue_push_head_link (&self->lru, entry->link);
  return entry->texture;
}

GdkTexture *
docket_texture_cache_lookup (DocketTextureCache *self,
                             guint               index,
                             int                 width_px)
{
  CacheEntry *entry;

  g_return_val_if_fail (DOCKET_IS_TEXTURE_CACHE (self), NULL);

  entry = g_hash_table_lookup (self->entries, GUINT_TO_POINTER (index));
  if (entry == NULL || gdk_texture_get_width (entry->texture) != width_px)
    return NULL;
  return docket_texture_cache_use (self, entry);
}

GdkTexture *
docket_texture_cache_lookup_any (DocketTextureCache *self,
                                 guint               index)
{
  CacheEntry *entry;

  g_return_val_if_fail (DOCKET_IS_TEXTURE_CACHE (self), NULL);

  entry = g_hash_table_lookup (self->entries, GUINT_TO_POINTER (index));
  return entry != NULL ? docket_texture_cache_use (self, entry) : NULL;
}

void
docket_texture_cache_insert (DocketTextureCache *self,
                             guint               index,
                             GdkTexture         *texture)
{
  CacheEntry *entry;

  g_return_if_fail (DOCKET_IS_TEXTURE_CACHE (self));
  g_return_if_fail (GDK_IS_TEXTURE (texture));

  entry = g_hash_table_lookup (self->entries, GUINT_TO_POINTER (index));
  if (entry != NULL)
    docket_texture_cache_remove_entry (self, entry);

  entry = g_new0 (CacheEntry, 1);
  entry->index = index;
  entry->texture = g_object_ref (texture);
  entry->n_bytes = texture_n_bytes (texture);
  g_queue_push_head (&self->lru, entry);
  entry->link = self->lru.head;
  g_hash_table_insert (self->entries, GUINT_TO_POINTER (index), entry);
  self->n_bytes += entry->n_bytes;

  /* Evict from the tail, but always keep the texture just inserted. */
  while (self->n_bytes > self->max_bytes && self->lru.length > 1)
    docket_texture_cache_remove_entry (self, g_queue_peek_tail (&self->lru));
}

gsize
docket_texture_cache_get_n_bytes (DocketTextureCache *self)
{
  g_return_val_if_fail (DOCKET_IS_TEXTURE_CACHE (self), 0);
  return self->n_bytes;
}

guint
docket_texture_cache_get_n_textures (DocketTextureCache *self)
{
  g_return_val_if_fail (DOCKET_IS_TEXTURE_CACHE (self), 0);
  return self->lru.length;
}
