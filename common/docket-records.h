/* docket-records.h: the protocol's entities as plain C records, and their JSON codec
 *
 * The server builds records from its database and writes them with *_to_json ();
 * the client reads them with *_from_json (), which checks every field against the
 * limits of docket-protocol.h and refuses anything else with a DOCKET_PROTOCOL_ERROR
 * that names the field. A record that came out of *_from_json () is safe to store.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "docket-protocol.h"

G_BEGIN_DECLS

typedef enum {
  DOCKET_MEETING_STATUS_DRAFT,
  DOCKET_MEETING_STATUS_PUBLISHED,
  DOCKET_MEETING_STATUS_CLOSED,
} DocketMeetingStatus;

const char *docket_meeting_status_to_string   (DocketMeetingStatus status);
gboolean    docket_meeting_status_from_string (const char          *text,
                                               DocketMeetingStatus *out_status);

typedef enum {
  DOCKET_ROLE_OFFICIAL,
  DOCKET_ROLE_SECRETARY,
  DOCKET_ROLE_ADMIN,
} DocketRole;

const char *docket_role_to_string   (DocketRole  role);
gboolean    docket_role_from_string (const char *text,
                                     DocketRole *out_role);

typedef struct {
  char       *username;
  char       *display_name;
  DocketRole  role;
} DocketParticipant;

typedef struct {
  char                *id;
  char                *title;
  char                *organ;
  GDateTime           *starts_at;
  GDateTime           *ends_at;
  char                *time_zone;     /* IANA name, "Asia/Ho_Chi_Minh" */
  char                *location;
  DocketMeetingStatus  status;
  gint64               version;
  GPtrArray           *participants;  /* DocketParticipant*, owned */
} DocketMeetingRecord;

typedef struct {
  char   *id;
  char   *meeting_id;
  char   *parent_id;                    /* NULL for a top-level item */
  int     position;                     /* order among siblings, from 0 */
  char   *number;                       /* "1", "2.a" */
  char   *title;
  char   *presenter;                    /* may be "" */
  char   *description;                  /* may be "" */
  gint64  version;
} DocketAgendaItemRecord;

typedef struct {
  char   *id;
  char   *meeting_id;
  char   *item_id;
  int     position;                     /* order among the item's documents */
  char   *title;
  char   *media_type;                   /* "application/pdf" */
  char   *sha256;                       /* lowercase hex */
  gint64  size;                         /* bytes */
  int     pages;
  gint64  version;
} DocketDocumentRecord;

typedef enum {
  DOCKET_CHANGE_MEETING,
  DOCKET_CHANGE_AGENDA_ITEM,
  DOCKET_CHANGE_DOCUMENT,
} DocketChangeType;

const char *docket_change_type_to_string (DocketChangeType type);

typedef struct {
  DocketChangeType  type;
  char             *id;
  gboolean          deleted;
  /* NULL when deleted, else a DocketMeetingRecord*, DocketAgendaItemRecord* or
   * DocketDocumentRecord* according to type, owned. */
  gpointer          record;
} DocketChange;

typedef struct {
  char      *cursor;
  gboolean   more;
  GPtrArray *changes;                   /* DocketChange*, owned, in the server's order */
} DocketChangesPage;

DocketParticipant      *docket_participant_new            (const char *username,
                                                           const char *display_name,
                                                           DocketRole  role);
void                    docket_participant_free           (DocketParticipant *participant);

DocketMeetingRecord    *docket_meeting_record_new         (void);
DocketMeetingRecord    *docket_meeting_record_copy        (const DocketMeetingRecord *record);
void                    docket_meeting_record_free        (DocketMeetingRecord *record);
JsonNode               *docket_meeting_record_to_json     (const DocketMeetingRecord *record);
DocketMeetingRecord    *docket_meeting_record_from_json   (JsonNode  *node,
                                                           GError   **error);

DocketAgendaItemRecord *docket_agenda_item_record_new       (void);
DocketAgendaItemRecord *docket_agenda_item_record_copy      (const DocketAgendaItemRecord *record);
void                    docket_agenda_item_record_free      (DocketAgendaItemRecord *record);
JsonNode               *docket_agenda_item_record_to_json   (const DocketAgendaItemRecord *record);
DocketAgendaItemRecord *docket_agenda_item_record_from_json (JsonNode  *node,
                                                             GError   **error);

DocketDocumentRecord   *docket_document_record_new        (void);
DocketDocumentRecord   *docket_document_record_copy       (const DocketDocumentRecord *record);
void                    docket_document_record_free       (DocketDocumentRecord *record);
JsonNode               *docket_document_record_to_json    (const DocketDocumentRecord *record);
DocketDocumentRecord   *docket_document_record_from_json  (JsonNode  *node,
                                                           GError   **error);

/* Takes ownership of record (may be NULL when deleted). */
DocketChange           *docket_change_new                 (DocketChangeType  type,
                                                           const char       *id,
                                                           gboolean          deleted,
                                                           gpointer          record);
void                    docket_change_free                (DocketChange *change);
JsonNode               *docket_change_to_json             (const DocketChange *change);

DocketChangesPage      *docket_changes_page_new           (void);
void                    docket_changes_page_free          (DocketChangesPage *page);
JsonNode               *docket_changes_page_to_json       (const DocketChangesPage *page);
/* Checks the whole page: any invalid change fails the page. Changes of a type this
 * client does not know are skipped (later protocol versions add types). A change's
 * "id" must equal its data's "id". */
DocketChangesPage      *docket_changes_page_from_json     (JsonNode  *node,
                                                           GError   **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketParticipant, docket_participant_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketMeetingRecord, docket_meeting_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketAgendaItemRecord, docket_agenda_item_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketDocumentRecord, docket_document_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketChange, docket_change_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketChangesPage, docket_changes_page_free)

G_END_DECLS
