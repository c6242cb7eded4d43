/* docket-texture-cache.h: a small cache of rendered pages, bounded by bytes
 *
 * Main thread only. Keeps one texture per page (the last width asked for) and drops the
 * least recently used ones when the total goes over its budget, as Papers' pixbuf cache
 * does, so that scrolling back and forth does not re-render and memory stays bounded.
 */
#pragma once

#include <gdk/gdk.h>

G_BEGIN_DECLS

#define DOCKET_TYPE_TEXTURE_CACHE (docket_texture_cache_get_type ())
G_DECLARE_FINAL_TYPE (DocketTextureCache, docket_texture_cache, DOCKET, TEXTURE_CACHE, GObject)

DocketTextureCache *docket_texture_cache_new          (gsize               max_bytes);
/* A texture of page index exactly width_px wide, or NULL. */
GdkTexture         *docket_texture_cache_lookup       (DocketTextureCache *self,
                                                       guint               index,
                                                       int                 width_px);
/* The texture of page index whatever its width, or NULL. */
GdkTexture         *docket_texture_cache_lookup_any   (DocketTextureCache *self,
                                                       guint               index);
void                docket_texture_cache_insert       (DocketTextureCache *self,
                                                       guint               index,
                                                       GdkTexture         *texture);
gsize               docket_texture_cache_get_n_bytes  (DocketTextureCache *self);
guint               docket_texture_cache_get_n_textures (DocketTextureCache *self);

G_END_DECLS
