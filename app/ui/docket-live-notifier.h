/* docket-live-notifier.h: desktop notifications of a live meeting, for the official
 *
 * "The meeting has started", "You have the floor", "The chair presents a document" (with
 * the document's title), as GNotifications through the GApplication: each once per
 * event, only for changes seen while Docket runs (never for the state found at start-up
 * or when a meeting is first read), and not for what the official did themself (a
 * chair or secretary is not told that the meeting started or that a document is
 * presented: they run it). It watches the meetings of the cache held around now (a
 * DocketMeetingLive each), not every meeting ever synced. Its "n-ready" property counts
 * the meetings watched whose first read is in: from then on, what changes is told.
 */
#pragma once

#include <gio/gio.h>

#include "docket-store.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_LIVE_NOTIFIER (docket_live_notifier_get_type ())
G_DECLARE_FINAL_TYPE (DocketLiveNotifier, docket_live_notifier, DOCKET, LIVE_NOTIFIER, GObject)

DocketLiveNotifier *docket_live_notifier_new (GApplication *application,
                                              DocketStore  *store);

G_END_DECLS
