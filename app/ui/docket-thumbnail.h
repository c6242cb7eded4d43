/* docket-thumbnail.h: a small rendering of one page, for the reader's sidebar
 *
 * DOCKET_THUMBNAIL_WIDTH wide, as tall as the page's shape says, so that the sidebar
 * lays out without rendering; the rendering is asked of a DocketPdfThumbnailer (one
 * worker thread, low priority) when the thumbnail is shown, and dropped when it is not.
 */
#pragma once

#include <gtk/gtk.h>

#include "docket-pdf-page.h"
#include "docket-pdf-thumbnailer.h"

G_BEGIN_DECLS

#define DOCKET_THUMBNAIL_WIDTH 120

#define DOCKET_TYPE_THUMBNAIL (docket_thumbnail_get_type ())
G_DECLARE_FINAL_TYPE (DocketThumbnail, docket_thumbnail, DOCKET, THUMBNAIL, GtkWidget)

GtkWidget     *docket_thumbnail_new         (void);
void           docket_thumbnail_set_page    (DocketThumbnail      *self,
                                             DocketPdfThumbnailer *thumbnailer,
                                             DocketPdfPage        *page);

G_END_DECLS
