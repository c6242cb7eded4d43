/* docket-live-indicator.h: the header bar's view of the live channel
 *
 * "Live" while the server says at once when something changes, "Reconnecting…" while the
 * connection is being made again, "Offline" without one; hidden while signed out and
 * when the server has no live channel (the sync indicator says the rest). What it
 * shows, a screen reader hears in a sentence ("Live: changes arrive as they happen").
 */
#pragma once

#include <gtk/gtk.h>

#include "docket-sync.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_LIVE_INDICATOR (docket_live_indicator_get_type ())
G_DECLARE_FINAL_TYPE (DocketLiveIndicator, docket_live_indicator, DOCKET, LIVE_INDICATOR, GtkWidget)

DocketSync *docket_live_indicator_get_sync (DocketLiveIndicator *self);
void        docket_live_indicator_set_sync (DocketLiveIndicator *self,
                                            DocketSync          *sync);

G_END_DECLS
