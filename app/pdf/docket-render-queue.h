/* docket-render-queue.h: which page of a document renders next, and at what resolution
 *
 * The scheduler between the pages on screen and the document's one render thread, kept
 * apart from the page widget as Papers keeps its job scheduler apart from its view. Page
 * widgets say which page they want and how wide; the view says when it scrolls and which
 * way. The queue hands the render thread at most two jobs at a time, so that what it
 * renders next is decided late, by what is on screen then. While the view moves: first
 * small, fast renderings (a quarter of the width, shown scaled up) of the pages on
 * screen that have nothing, then of the pages just ahead in the scroll's direction;
 * then the sharp renderings on screen, then those of the pages ahead. At rest, only the
 * sharp ones on screen. Work for a page that scrolled away is dropped before it starts
 * (poppler cannot stop a page midway). Main thread only; nothing here waits on
 * rendering.
 */
#pragma once

#include "docket-pdf-document.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_RENDER_QUEUE (docket_render_queue_get_type ())
G_DECLARE_FINAL_TYPE (DocketRenderQueue, docket_render_queue, DOCKET, RENDER_QUEUE, GObject)

/* Signal "rendered" (guint index, GdkTexture *texture, GError *error): a rendering of
 * page index came, sharp (as wide as wanted) or low-resolution (narrower), or the page
 * could not be rendered (texture NULL, error set; low-resolution failures are not said,
 * the sharp rendering's will be). */

/* The queue of document's pages, made on first use and kept with the document: every
 * view of a document shares it, as they share its render thread and its cache. */
DocketRenderQueue *docket_render_queue_for_document (DocketPdfDocument *document);

/* Something on screen wants page index width_px wide (as the document will render it,
 * docket_pdf_document_get_render_width ()). Returns that rendering when the document's
 * cache has it (transfer none); else queues it and returns NULL, and "rendered" says when
 * it (or first a low-resolution one, while the view moves) is there. */
GdkTexture *docket_render_queue_want    (DocketRenderQueue *self,
                                         guint              index,
                                         int                width_px);
/* What docket_render_queue_want () asked is not wanted any more (the page left the
 * screen, or is wanted at another width): dropped unless it is about to be shown. */
void        docket_render_queue_release (DocketRenderQueue *self,
                                         guint              index,
                                         int                width_px);
/* The low-resolution rendering of page index, if one was made and kept (transfer none). */
GdkTexture *docket_render_queue_lookup_preview (DocketRenderQueue *self,
                                                guint              index);
/* The view moved: direction > 0 down (towards the last page), < 0 up. Moved twice in a
 * row the same way, the view is moving: the pages ahead are rendered before they come
 * into view, and pages on screen with nothing to show get a low-resolution pass first. */
void        docket_render_queue_scrolled (DocketRenderQueue *self,
                                          int                direction);

G_END_DECLS
