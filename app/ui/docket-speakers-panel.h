/* docket-speakers-panel.h: the chair's console's speakers
 *
 * Who has the floor and for how long (a warning colour past their limit) with End Speech
 * (console.end-speech), the queue of requests with Give Floor and Withdraw on each
 * (console.give-floor, console.withdraw: the speech's id), and the speaking-time limit
 * in minutes, raised as console.set-speech-limit ("i": seconds) once the chair stops
 * changing it. All shown from the live model (DocketMeetingLive); the console says when
 * these may not be used, and why (the controls then carry that tooltip).
 *
 * Named widgets: "console-speaker", "console-elapsed".
 */
#pragma once

#include <adwaita.h>

#include "docket-meeting-live.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_SPEAKERS_PANEL (docket_speakers_panel_get_type ())
G_DECLARE_FINAL_TYPE (DocketSpeakersPanel, docket_speakers_panel, DOCKET, SPEAKERS_PANEL, AdwBin)

/* The meeting whose speakers are shown; NULL: none. */
void docket_speakers_panel_set_live    (DocketSpeakersPanel *self,
                                        DocketMeetingLive   *live);

/* Why the floor cannot be given or taken now (why_floor), and why the limit cannot be
 * changed (why_limit); NULL when they can. */
void docket_speakers_panel_set_blocked (DocketSpeakersPanel *self,
                                        const char          *why_floor,
                                        const char          *why_limit);

G_END_DECLS
