/* docket-live-speech.h: a request for the floor in a live meeting, and the speech after it
 *
 * One object per speech, kept by DocketMeetingLive while the meeting is shown and
 * updated in place: the same object moves from the queue to "current-speech" when the
 * chair gives the floor. Properties (read-only):
 *   "id", "username", "display-name"     char* (the speaker's name as the meeting lists
 *                                        them; their user name when they are not listed)
 *   "state"                              DocketSpeechState as guint
 *   "number"                             gint64, the queue's order
 *   "requested-at", "started-at", "ended-at"  GDateTime* (NULL until then)
 *   "limit-seconds"                      int, the speaking time given (0: none)
 *   "is-me"                              gboolean, the signed-in official's
 */
#pragma once

#include <glib-object.h>

#include "docket-records.h"

G_BEGIN_DECLS

#define DOCKET_TYPE_LIVE_SPEECH (docket_live_speech_get_type ())
G_DECLARE_FINAL_TYPE (DocketLiveSpeech, docket_live_speech, DOCKET, LIVE_SPEECH, GObject)

DocketLiveSpeech  *docket_live_speech_new    (const DocketSpeechRecord *record,
                                              const char               *display_name,
                                              gboolean                  is_me);
/* Takes the values given (same id); notifies only what changed. */
void               docket_live_speech_update (DocketLiveSpeech         *self,
                                              const DocketSpeechRecord *record,
                                              const char               *display_name,
                                              gboolean                  is_me);

const char        *docket_live_speech_get_id            (DocketLiveSpeech *self);
const char        *docket_live_speech_get_username      (DocketLiveSpeech *self);
const char        *docket_live_speech_get_display_name  (DocketLiveSpeech *self);
DocketSpeechState  docket_live_speech_get_state         (DocketLiveSpeech *self);
gint64             docket_live_speech_get_number        (DocketLiveSpeech *self);
GDateTime         *docket_live_speech_get_requested_at  (DocketLiveSpeech *self);
GDateTime         *docket_live_speech_get_started_at    (DocketLiveSpeech *self);
GDateTime         *docket_live_speech_get_ended_at      (DocketLiveSpeech *self);
int                docket_live_speech_get_limit_seconds (DocketLiveSpeech *self);
gboolean           docket_live_speech_get_is_me         (DocketLiveSpeech *self);

G_END_DECLS
