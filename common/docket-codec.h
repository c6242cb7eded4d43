/* docket-codec.h: the records to JSON and from JSON, one file per entity
 *
 * *_to_json () writes what the record holds; *_from_json () reads strictly: every member's
 * JSON type, then every limit of docket-protocol.h (the record's validation, or for
 * annotations and notes the reader's own checks). A refusal is a DOCKET_PROTOCOL_ERROR
 * that names the field ("meeting.title: empty"). Include docket-records.h, which includes
 * this header.
 */
#pragma once

#include "docket-records.h"

G_BEGIN_DECLS

/* docket-codec-meeting.c */
JsonNode               *docket_meeting_record_to_json       (const DocketMeetingRecord *record);
DocketMeetingRecord    *docket_meeting_record_from_json     (JsonNode  *node,
                                                             GError   **error);

/* docket-codec-agenda-item.c */
JsonNode               *docket_agenda_item_record_to_json   (const DocketAgendaItemRecord *record);
DocketAgendaItemRecord *docket_agenda_item_record_from_json (JsonNode  *node,
                                                             GError   **error);

/* docket-codec-document.c */
JsonNode               *docket_document_record_to_json      (const DocketDocumentRecord *record);
DocketDocumentRecord   *docket_document_record_from_json    (JsonNode  *node,
                                                             GError   **error);

/* docket-codec-annotation.c */
JsonNode               *docket_annotation_record_to_json    (const DocketAnnotationRecord *record);
DocketAnnotationRecord *docket_annotation_record_from_json  (JsonNode  *node,
                                                             GError   **error);

/* docket-codec-note.c */
JsonNode               *docket_note_record_to_json          (const DocketNoteRecord *record);
DocketNoteRecord       *docket_note_record_from_json        (JsonNode  *node,
                                                             GError   **error);

/* docket-codec-meeting-state.c: "presentation" is null or {"document_id", "page"} */
JsonNode                 *docket_meeting_state_record_to_json   (const DocketMeetingStateRecord *record);
DocketMeetingStateRecord *docket_meeting_state_record_from_json (JsonNode  *node,
                                                                 GError   **error);

/* docket-codec-attendance.c */
JsonNode               *docket_attendance_record_to_json    (const DocketAttendanceRecord *record);
DocketAttendanceRecord *docket_attendance_record_from_json  (JsonNode  *node,
                                                             GError   **error);

/* docket-codec-speech.c */
JsonNode               *docket_speech_record_to_json        (const DocketSpeechRecord *record);
DocketSpeechRecord     *docket_speech_record_from_json      (JsonNode  *node,
                                                             GError   **error);

/* docket-codec-user.c: the "user" of the session's answers (never in a change page) */
JsonNode               *docket_user_record_to_json          (const DocketUserRecord *record);
DocketUserRecord       *docket_user_record_from_json        (JsonNode  *node,
                                                             GError   **error);

/* docket-codec-changes.c */
JsonNode               *docket_change_to_json               (const DocketChange *change);
JsonNode               *docket_changes_page_to_json         (const DocketChangesPage *page);
/* Checks the whole page: any invalid change fails the page. Changes of a type this
 * client does not know are skipped (later protocol versions add types). A change's
 * "id" must equal its data's "id". */
DocketChangesPage      *docket_changes_page_from_json       (JsonNode  *node,
                                                             GError   **error);

G_END_DECLS
