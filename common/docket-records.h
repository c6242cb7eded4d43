/* docket-records.h: the protocol's entities as plain C records, and their JSON codec
 *
 * The server builds records from its database and writes them with *_to_json ();
 * the client reads them with *_from_json (), which checks every field against the
 * limits of docket-protocol.h and refuses anything else with a DOCKET_PROTOCOL_ERROR
 * that names the field. A record that came out of *_from_json () is safe to store.
 *
 * This header declares the records (docket-records.c: new, copy, free, validate) and
 * includes the codec's, docket-codec.h (docket-codec-ENTITY.c: to and from JSON), so that
 * one include gives both.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "docket-protocol.h"

G_BEGIN_DECLS

/* The names on the wire of the enums a later server may extend (these and the live
 * meeting's of docket-protocol.h): *_from_string () of a name it knows gives its value; of
 * any other word ([a-z0-9_]{1,64}) the *_UNKNOWN value, and still TRUE, so that a reader
 * keeps the record as unknown instead of refusing the page; FALSE only for what is not a
 * word at all. *_to_string () of UNKNOWN is "unknown". A server never stores an UNKNOWN:
 * its parsers of requests refuse it. */
typedef enum {
  DOCKET_MEETING_STATUS_DRAFT,
  DOCKET_MEETING_STATUS_PUBLISHED,
  DOCKET_MEETING_STATUS_CLOSED,
  DOCKET_MEETING_STATUS_UNKNOWN,
} DocketMeetingStatus;

const char *docket_meeting_status_to_string   (DocketMeetingStatus status);
gboolean    docket_meeting_status_from_string (const char          *text,
                                               DocketMeetingStatus *out_status);

typedef enum {
  DOCKET_ROLE_OFFICIAL,
  DOCKET_ROLE_SECRETARY,
  DOCKET_ROLE_ADMIN,
  DOCKET_ROLE_UNKNOWN,
} DocketRole;

const char *docket_role_to_string   (DocketRole  role);
gboolean    docket_role_from_string (const char *text,
                                     DocketRole *out_role);

const char *docket_meeting_role_to_string    (DocketMeetingRole   role);
gboolean    docket_meeting_role_from_string  (const char         *text,
                                              DocketMeetingRole  *out_role);
const char *docket_quorum_rule_to_string     (DocketQuorumRule    rule);
gboolean    docket_quorum_rule_from_string   (const char         *text,
                                              DocketQuorumRule   *out_rule);
const char *docket_meeting_phase_to_string   (DocketMeetingPhase  phase);
gboolean    docket_meeting_phase_from_string (const char         *text,
                                              DocketMeetingPhase *out_phase);
const char *docket_presence_to_string        (DocketPresence      presence);
gboolean    docket_presence_from_string      (const char         *text,
                                              DocketPresence     *out_presence);
const char *docket_speech_state_to_string    (DocketSpeechState   state);
gboolean    docket_speech_state_from_string  (const char         *text,
                                              DocketSpeechState  *out_state);

typedef struct {
  char              *username;
  char              *display_name;
  DocketRole         role;          /* on the server */
  DocketMeetingRole  meeting_role;  /* in this meeting; "member" when the JSON has none */
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
  DocketQuorumRule     quorum;        /* "majority" when the JSON has none */
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

/* The official's own data: annotations on a document's pages and personal notes. Only
 * their owner ever receives them. */
typedef enum {
  DOCKET_ANNOTATION_HIGHLIGHT,
  DOCKET_ANNOTATION_UNDERLINE,
  DOCKET_ANNOTATION_STRIKEOUT,
  DOCKET_ANNOTATION_INK,
  DOCKET_ANNOTATION_NOTE,
  DOCKET_ANNOTATION_RECTANGLE,
} DocketAnnotationKind;

const char *docket_annotation_kind_to_string   (DocketAnnotationKind  kind);
gboolean    docket_annotation_kind_from_string (const char           *text,
                                                DocketAnnotationKind *out_kind);

/* geometry is JSON text (an object on the wire), in PDF points with the origin at the
 * top left of the page, as poppler's text layout gives them:
 *   highlight, underline, strikeout: {"rects": [[x0, y0, x1, y1], ...]}, a box per line
 *   ink:        {"width": W, "strokes": [[x, y, x, y, ...], ...]}
 *   note:       {"x": X, "y": Y}, where the note's icon is
 *   rectangle:  {"width": W, "rect": [x0, y0, x1, y1]}
 * with x0 <= x1 and y0 <= y1, every coordinate within +-14,400 (DOCKET_MAX_PAGE_COORDINATE),
 * widths in (0, 100]; docs/protocol.md gives the limits. */
typedef struct {
  char                 *id;             /* a UUID made by the computer that drew it */
  char                 *document_id;
  int                   page;           /* from 0 */
  DocketAnnotationKind  kind;
  char                 *color;          /* "#rrggbb" */
  char                 *geometry;
  char                 *contents;       /* a note's text, a comment on the others; may be "" */
  gint64                created_at;     /* Unix time in milliseconds */
  gint64                updated_at;
  gint64                revision;       /* the server's; 0 until the server has it */
} DocketAnnotationRecord;

typedef enum {
  DOCKET_NOTE_TARGET_AGENDA_ITEM,
  DOCKET_NOTE_TARGET_DOCUMENT,
} DocketNoteTarget;

const char *docket_note_target_to_string   (DocketNoteTarget  target);
gboolean    docket_note_target_from_string (const char       *text,
                                            DocketNoteTarget *out_target);

typedef struct {
  DocketNoteTarget  target;
  char             *target_id;
  char             *text;               /* plain text; "" is no note */
  gint64            updated_at;         /* Unix time in milliseconds */
  gint64            revision;           /* the server's; 0 until the server has it */
} DocketNoteRecord;

/* The live meeting (docs/protocol.md, "Meeting state", "Attendance", "Speech"): where a
 * meeting stands while it is held, who is there, who asked for the floor. Times are the
 * server's clock, RFC 3339 on the wire. */
typedef struct {
  char               *meeting_id;           /* its id: one state per meeting */
  DocketMeetingPhase  phase;
  GDateTime          *started_at;           /* NULL until started */
  GDateTime          *ended_at;             /* NULL until ended */
  char               *current_item_id;      /* NULL: none */
  char               *presented_document_id;/* NULL: no presentation */
  int                 presented_page;       /* from 0; 0 without a presentation */
  int                 speech_limit_seconds; /* 0 to DOCKET_MAX_SPEECH_LIMIT_SECONDS; 0: none */
  gint64              version;
} DocketMeetingStateRecord;

typedef struct {
  char           *id;
  char           *meeting_id;
  char           *username;
  DocketPresence  presence;
  GDateTime      *since;                    /* when the presence last changed */
  gint64          version;
} DocketAttendanceRecord;

typedef struct {
  char              *id;
  char              *meeting_id;
  char              *username;
  DocketSpeechState  state;
  gint64             number;                /* the queue's order: 0 to 2^53 - 1 */
  GDateTime         *requested_at;
  GDateTime         *started_at;            /* NULL until given the floor */
  GDateTime         *ended_at;              /* NULL until ended */
  int                limit_seconds;         /* 0 to DOCKET_MAX_SPEECH_LIMIT_SECONDS; 0: none */
  gint64             version;
} DocketSpeechRecord;

/* Who is signed in: the "user" of POST and GET /api/v1/session. */
typedef struct {
  char       *username;
  char       *display_name;
  DocketRole  role;
  char       *organ;                        /* "" for none */
} DocketUserRecord;

/* In the order of the feed inside one sequence number; the value is the type's code in
 * the reference server's cursors ("EPOCH-N.T.ID", docs/protocol.md). */
typedef enum {
  DOCKET_CHANGE_MEETING,
  DOCKET_CHANGE_AGENDA_ITEM,
  DOCKET_CHANGE_DOCUMENT,
  DOCKET_CHANGE_ANNOTATION,
  DOCKET_CHANGE_NOTE,
  DOCKET_CHANGE_MEETING_STATE,
  DOCKET_CHANGE_ATTENDANCE,
  DOCKET_CHANGE_SPEECH,
} DocketChangeType;

const char *docket_change_type_to_string (DocketChangeType type);

typedef struct {
  DocketChangeType  type;
  char             *id;
  gboolean          deleted;
  /* NULL when deleted, else a DocketMeetingRecord*, DocketAgendaItemRecord*,
   * DocketDocumentRecord*, DocketAnnotationRecord*, DocketNoteRecord*,
   * DocketMeetingStateRecord*, DocketAttendanceRecord* or DocketSpeechRecord* according
   * to type, owned. A note's change has the note's target_id as its id, a meeting
   * state's the meeting's id. */
  gpointer          record;
} DocketChange;

typedef struct {
  char      *cursor;
  gboolean   more;
  GPtrArray *changes;                   /* DocketChange*, owned, in the server's order */
} DocketChangesPage;

/* A member of the meeting: set meeting_role afterwards for another role. */
DocketParticipant      *docket_participant_new            (const char *username,
                                                           const char *display_name,
                                                           DocketRole  role);
void                    docket_participant_free           (DocketParticipant *participant);

/* A draft, quorum by majority, without participants. */
DocketMeetingRecord    *docket_meeting_record_new         (void);
DocketMeetingRecord    *docket_meeting_record_copy        (const DocketMeetingRecord *record);
void                    docket_meeting_record_free        (DocketMeetingRecord *record);
/* The limits the reader checks, on a record built otherwise: a server runs it on what it
 * is about to store, so that it never keeps what clients refuse to read. FALSE with a
 * DOCKET_PROTOCOL_ERROR that names the field ("meeting.title: ..."). */
gboolean                docket_meeting_record_validate    (const DocketMeetingRecord  *record,
                                                           GError                    **error);

DocketAgendaItemRecord *docket_agenda_item_record_new       (void);
DocketAgendaItemRecord *docket_agenda_item_record_copy      (const DocketAgendaItemRecord *record);
void                    docket_agenda_item_record_free      (DocketAgendaItemRecord *record);
gboolean                docket_agenda_item_record_validate  (const DocketAgendaItemRecord  *record,
                                                             GError                       **error);

DocketDocumentRecord   *docket_document_record_new        (void);
DocketDocumentRecord   *docket_document_record_copy       (const DocketDocumentRecord *record);
void                    docket_document_record_free       (DocketDocumentRecord *record);
gboolean                docket_document_record_validate   (const DocketDocumentRecord  *record,
                                                           GError                     **error);

DocketAnnotationRecord *docket_annotation_record_new       (void);
DocketAnnotationRecord *docket_annotation_record_copy      (const DocketAnnotationRecord *record);
void                    docket_annotation_record_free      (DocketAnnotationRecord *record);

DocketNoteRecord       *docket_note_record_new            (void);
DocketNoteRecord       *docket_note_record_copy           (const DocketNoteRecord *record);
void                    docket_note_record_free           (DocketNoteRecord *record);

/* A not_started state of no meeting yet: set meeting_id. */
DocketMeetingStateRecord *docket_meeting_state_record_new      (void);
DocketMeetingStateRecord *docket_meeting_state_record_copy     (const DocketMeetingStateRecord *record);
void                      docket_meeting_state_record_free     (DocketMeetingStateRecord *record);
/* FALSE with a DOCKET_PROTOCOL_ERROR that names the field as it is on the wire
 * ("meeting_state.presentation.page: ..."). */
gboolean                  docket_meeting_state_record_validate (const DocketMeetingStateRecord  *record,
                                                                GError                         **error);

DocketAttendanceRecord *docket_attendance_record_new       (void);
DocketAttendanceRecord *docket_attendance_record_copy      (const DocketAttendanceRecord *record);
void                    docket_attendance_record_free      (DocketAttendanceRecord *record);
gboolean                docket_attendance_record_validate  (const DocketAttendanceRecord  *record,
                                                            GError                       **error);

DocketSpeechRecord     *docket_speech_record_new           (void);
DocketSpeechRecord     *docket_speech_record_copy          (const DocketSpeechRecord *record);
void                    docket_speech_record_free          (DocketSpeechRecord *record);
gboolean                docket_speech_record_validate      (const DocketSpeechRecord  *record,
                                                            GError                   **error);

DocketUserRecord       *docket_user_record_new             (void);
DocketUserRecord       *docket_user_record_copy            (const DocketUserRecord *record);
void                    docket_user_record_free            (DocketUserRecord *record);
gboolean                docket_user_record_validate        (const DocketUserRecord  *record,
                                                            GError                 **error);

/* Takes ownership of record (may be NULL when deleted). */
DocketChange           *docket_change_new                 (DocketChangeType  type,
                                                           const char       *id,
                                                           gboolean          deleted,
                                                           gpointer          record);
void                    docket_change_free                (DocketChange *change);

DocketChangesPage      *docket_changes_page_new           (void);
void                    docket_changes_page_free          (DocketChangesPage *page);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketParticipant, docket_participant_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketMeetingRecord, docket_meeting_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketAgendaItemRecord, docket_agenda_item_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketDocumentRecord, docket_document_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketAnnotationRecord, docket_annotation_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketNoteRecord, docket_note_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketMeetingStateRecord, docket_meeting_state_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketAttendanceRecord, docket_attendance_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketSpeechRecord, docket_speech_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketUserRecord, docket_user_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketChange, docket_change_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (DocketChangesPage, docket_changes_page_free)

G_END_DECLS

/* Last: the codec's declarations use the types above. */
#include "docket-codec.h"
