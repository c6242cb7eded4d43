/* docket-sync-indicator.h: the header bar's view of the sync engine
 *
 * Online (with when it last synced), offline, syncing with progress, or the error in a
 * sentence; hidden while signed out.
 */
#pragma once

#include <gtk/gtk.h>

#include "docket-sync.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_SYNC_INDICATOR (docket_sync_indicator_get_type ())
G_DECLARE_FINAL_TYPE (DocketSyncIndicator, docket_sync_indicator, DOCKET, SYNC_INDICATOR, GtkWidget)

DocketSync *docket_sync_indicator_get_sync (DocketSyncIndicator *self);
void        docket_sync_indicator_set_sync (DocketSyncIndicator *self,
                                            DocketSync          *sync);

G_END_DECLS
