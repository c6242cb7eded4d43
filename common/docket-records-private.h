/* docket-records-private.h: what common/'s record and codec files share, and nobody else
 *
 * A record inside a change page is read and validated under its path in the page
 * ("changes[3].data"), so that the error names the field where it is: the *_at ()
 * variants take that path as prefix; the public functions are these with the record's
 * own name ("meeting").
 */
#pragma once

#include "docket-records.h"

G_BEGIN_DECLS

/* docket-records.c */
gboolean                docket_change_type_from_string         (const char        *text,
                                                                DocketChangeType  *out_type);
gboolean                docket_meeting_record_validate_at      (const DocketMeetingRecord     *record,
                                                                const char                    *prefix,
                                                                GError                       **error);
gboolean                docket_agenda_item_record_validate_at  (const DocketAgendaItemRecord  *record,
                                                                const char                    *prefix,
                                                                GError                       **error);
gboolean                docket_document_record_validate_at     (const DocketDocumentRecord    *record,
                                                                const char                    *prefix,
                                                                GError                       **error);
gboolean                docket_meeting_state_record_validate_at (const DocketMeetingStateRecord  *record,
                                                                 const char                      *prefix,
                                                                 GError                         **error);
gboolean                docket_attendance_record_validate_at   (const DocketAttendanceRecord  *record,
                                                                const char                    *prefix,
                                                                GError                       **error);
gboolean                docket_speech_record_validate_at       (const DocketSpeechRecord    *record,
                                                                const char                  *prefix,
                                                                GError                     **error);

/* docket-codec-ENTITY.c */
DocketMeetingRecord    *docket_meeting_record_from_json_at     (JsonNode    *node,
                                                                const char  *prefix,
                                                                GError     **error);
DocketAgendaItemRecord *docket_agenda_item_record_from_json_at (JsonNode    *node,
                                                                const char  *prefix,
                                                                GError     **error);
DocketDocumentRecord   *docket_document_record_from_json_at    (JsonNode    *node,
                                                                const char  *prefix,
                                                                GError     **error);
DocketAnnotationRecord *docket_annotation_record_from_json_at  (JsonNode    *node,
                                                                const char  *prefix,
                                                                GError     **error);
DocketNoteRecord       *docket_note_record_from_json_at        (JsonNode    *node,
                                                                const char  *prefix,
                                                                GError     **error);
DocketMeetingStateRecord *docket_meeting_state_record_from_json_at (JsonNode    *node,
                                                                    const char  *prefix,
                                                                    GError     **error);
DocketAttendanceRecord *docket_attendance_record_from_json_at  (JsonNode    *node,
                                                                const char  *prefix,
                                                                GError     **error);
DocketSpeechRecord     *docket_speech_record_from_json_at      (JsonNode    *node,
                                                                const char  *prefix,
                                                                GError     **error);

G_END_DECLS
