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
/* A name it knows gives its index; another word gives the last index, the enum's
 * UNKNOWN (names[n_names - 1] is "unknown"); what is not a word gives FALSE. */
gboolean                docket_records_lookup_name_or_unknown  (const char * const *names,
                                                                guint               n_names,
                                                                const char         *text,
                                                                guint              *out_index);

/* The to_string and from_string of an enum that has an UNKNOWN, over its names: the
 * enums of docket-records.c and docket-records-live.c are defined the same way. */
#define DOCKET_DEFINE_TOLERANT_NAMES(Type, prefix, names)                               \
  const char *                                                                          \
  prefix##_to_string (Type value)                                                       \
  {                                                                                     \
    g_return_val_if_fail ((guint) value < G_N_ELEMENTS (names), NULL);                  \
                                                                                        \
    return names[value];                                                                \
  }                                                                                     \
                                                                                        \
  gboolean                                                                              \
  prefix##_from_string (const char *text,                                               \
                        Type       *out_value)                                          \
  {                                                                                     \
    guint index;                                                                        \
                                                                                        \
    if (!docket_records_lookup_name_or_unknown (names, G_N_ELEMENTS (names), text,      \
                                                &index))                                \
      return FALSE;                                                                     \
    if (out_value != NULL)                                                              \
      *out_value = (Type) index;                                                        \
                                                                                        \
    return TRUE;                                                                        \
  }

gboolean                docket_meeting_record_validate_at      (const DocketMeetingRecord     *record,
                                                                const char                    *prefix,
                                                                GError                       **error);
gboolean                docket_agenda_item_record_validate_at  (const DocketAgendaItemRecord  *record,
                                                                const char                    *prefix,
                                                                GError                       **error);
gboolean                docket_document_record_validate_at     (const DocketDocumentRecord    *record,
                                                                const char                    *prefix,
                                                                GError                       **error);
/* docket-records-live.c */
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
