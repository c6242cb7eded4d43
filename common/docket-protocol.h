/* docket-protocol.h: constants and checks of the Docket sync protocol (docs/protocol.md)
 *
 * Shared by docket-server and the docket client. Knows nothing of GTK, HTTP or SQLite.
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define DOCKET_API_VERSION 1
#define DOCKET_API_PREFIX "/api/v1"

/* Limits every client enforces on what a server sends, and the server on what it accepts:
 * the one place both take them from (docs/protocol.md, "Limits"). A server must never
 * store what a client's reader would refuse, or every client stops at that change. */
#define DOCKET_MAX_ID_LENGTH            64
#define DOCKET_MAX_TITLE_BYTES          1000
#define DOCKET_MAX_SHORT_TEXT_BYTES     500      /* organ, location, presenter, names, time zone */
#define DOCKET_MAX_NUMBER_BYTES         32       /* an agenda item's number, "1.2.a" */
#define DOCKET_MAX_DESCRIPTION_BYTES    20000
#define DOCKET_MAX_TIME_TEXT_BYTES      64       /* an RFC 3339 time as text */
#define DOCKET_MAX_PARTICIPANTS         2000     /* of one meeting */
#define DOCKET_MAX_POSITION             100000   /* so at most 100,001 siblings */
/* Levels below a top-level item: a client lists items down to this depth (a top-level
 * item is at depth 0) and no further. A plain number: SQL text is built from it. */
#define DOCKET_MAX_AGENDA_DEPTH         64
#define DOCKET_MAX_PAGES                100000
#define DOCKET_MAX_DOCUMENT_BYTES       G_GINT64_CONSTANT (2147483648)   /* 2 GiB */
#define DOCKET_MAX_VERSION              G_GINT64_CONSTANT (9007199254740991) /* 2^53 - 1 */
#define DOCKET_MAX_CHANGES_PER_PAGE     5000
#define DOCKET_MAX_JSON_RESPONSE_BYTES  (64 * 1024 * 1024)
#define DOCKET_MAX_JSON_REQUEST_BYTES   (1024 * 1024)
#define DOCKET_MAX_CURSOR_BYTES         128
#define DOCKET_MAX_PASSWORD_BYTES       4096
/* An error answer's "error" code and "message": a client drops longer ones. */
#define DOCKET_MAX_ERROR_CODE_BYTES     64
#define DOCKET_MAX_ERROR_MESSAGE_BYTES  1000

/* The official's own data: annotations and notes (docs/protocol.md, "Annotations and
 * notes"). Coordinates are PDF points; the largest page PDF allows is 14,400 points. */
#define DOCKET_MAX_ANNOTATION_CONTENTS_BYTES 65536
#define DOCKET_MAX_NOTE_BYTES           65536
#define DOCKET_MAX_ANNOTATION_RECTS     1000     /* boxes of a highlight, underline, strikeout */
#define DOCKET_MAX_INK_STROKES          1000
#define DOCKET_MAX_INK_POINTS           20000    /* points of all strokes of one ink */
#define DOCKET_MAX_PAGE_COORDINATE      14400.0  /* |x| and |y| at most this */
#define DOCKET_MAX_LINE_WIDTH           100.0    /* ink and rectangle: 0 < width <= this */
#define DOCKET_MAX_TIME_MS              DOCKET_MAX_VERSION  /* created_at, updated_at */

/* The live meeting (docs/protocol.md, "The live meeting"): the speaking time a chair may
 * give, in seconds (0: no limit). */
#define DOCKET_MAX_SPEECH_LIMIT_SECONDS 86400

/* The live meeting's values. Each has an UNKNOWN, last, for a word a later server may
 * send: a client keeps such a record as unknown rather than refuse the page (docs/
 * protocol.md, "Values a client does not know"). Their names on the wire are in
 * docket-records.h. */
typedef enum {
  DOCKET_MEETING_ROLE_MEMBER,
  DOCKET_MEETING_ROLE_CHAIR,
  DOCKET_MEETING_ROLE_GUEST,
  DOCKET_MEETING_ROLE_SECRETARY,
  DOCKET_MEETING_ROLE_UNKNOWN,
} DocketMeetingRole;

typedef enum {
  DOCKET_QUORUM_MAJORITY,
  DOCKET_QUORUM_TWO_THIRDS,
  DOCKET_QUORUM_UNKNOWN,
} DocketQuorumRule;

typedef enum {
  DOCKET_MEETING_PHASE_NOT_STARTED,
  DOCKET_MEETING_PHASE_IN_SESSION,
  DOCKET_MEETING_PHASE_ENDED,
  DOCKET_MEETING_PHASE_UNKNOWN,
} DocketMeetingPhase;

typedef enum {
  DOCKET_PRESENCE_ABSENT,
  DOCKET_PRESENCE_PRESENT,
  DOCKET_PRESENCE_REMOTE,
  DOCKET_PRESENCE_UNKNOWN,
} DocketPresence;

typedef enum {
  DOCKET_SPEECH_WAITING,
  DOCKET_SPEECH_SPEAKING,
  DOCKET_SPEECH_DONE,
  DOCKET_SPEECH_WITHDRAWN,
  DOCKET_SPEECH_UNKNOWN,
} DocketSpeechState;

/* The rules of the live meeting, in one place for server and client ("Roles in a
 * meeting"). How many of n_members (participants who count for quorum) must be checked
 * in for quorum: majority, more than half (7 of 12, 7 of 13); two thirds, at least two
 * thirds rounded up (8 of 12, 9 of 13). Never less than 1 for a known rule, so that a
 * meeting without members never has quorum; 0 for UNKNOWN (no quorum can be told). */
guint     docket_quorum_needed                  (DocketQuorumRule  rule,
                                                 guint             n_members);
/* The chair and the members: they count for quorum (and will vote). */
gboolean  docket_meeting_role_counts_for_quorum (DocketMeetingRole role);
/* The chair and the meeting's secretary: they run the meeting. */
gboolean  docket_meeting_role_runs_meeting      (DocketMeetingRole role);
/* Present in the room or remote. */
gboolean  docket_presence_is_checked_in         (DocketPresence    presence);

#define DOCKET_PROTOCOL_ERROR (docket_protocol_error_quark ())

typedef enum {
  DOCKET_PROTOCOL_ERROR_MALFORMED,     /* not JSON, or not the expected shape */
  DOCKET_PROTOCOL_ERROR_MISSING_FIELD,
  DOCKET_PROTOCOL_ERROR_WRONG_TYPE,
  DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE,  /* too long, too large, negative, bad id or hash */
} DocketProtocolError;

GQuark    docket_protocol_error_quark     (void);

/* An id is 1..64 characters of [A-Za-z0-9_-]: never a path, never "." or "..". */
gboolean  docket_protocol_id_is_valid     (const char *id);
/* 64 lowercase hexadecimal digits. */
gboolean  docket_protocol_sha256_is_valid (const char *hex);
/* Valid UTF-8, at most max_bytes bytes, no NUL and no C0 control other than \n and \t. */
gboolean  docket_protocol_text_is_valid   (const char *text,
                                           gsize       max_bytes);
/* A user name: 1..64 characters of [a-z0-9._-], starting with a letter or digit. */
gboolean  docket_protocol_username_is_valid (const char *username);
/* The shape of an IANA time zone name ("Asia/Ho_Chi_Minh", "Etc/GMT-7", "UTC"): parts of
 * [A-Za-z0-9_+-] between single "/", none "." or "..", no leading "/": never a path. It
 * does not say that the zone exists; the server asks GLib for that. */
gboolean  docket_protocol_time_zone_is_valid (const char *name);

/* RFC 3339 with an explicit offset, e.g. "2026-11-22T08:00:00+07:00". */
GDateTime *docket_protocol_parse_time     (const char *text,
                                           GError    **error);
char      *docket_protocol_format_time    (GDateTime  *time);

/* {"error": code, "message": message} */
JsonNode  *docket_protocol_error_to_json  (const char *code,
                                           const char *message);

/* Added by the codec: parses a JSON body received from the other side. Use it instead of
 * JsonParser for anything that comes off the network: json-glib 1.6 silently wraps
 * integers beyond 64 bits (-18446744073709551574 reads as 42), cuts strings at "\u0000"
 * ("ab\u0000../x" reads as the id "ab"), and crashes on deeply nested input (stack
 * overflow). This refuses those, bodies over max_bytes (DOCKET_MAX_JSON_RESPONSE_BYTES
 * or DOCKET_MAX_JSON_REQUEST_BYTES), invalid UTF-8 and non-JSON with a
 * DOCKET_PROTOCOL_ERROR. length may be -1 for a NUL-terminated string. */
JsonNode  *docket_protocol_parse_json     (const char *data,
                                           gssize      length,
                                           gsize       max_bytes,
                                           GError    **error);

/* Error codes of docs/protocol.md, section "Errors". */
#define DOCKET_ERR_BAD_REQUEST          "bad_request"
#define DOCKET_ERR_INVALID_FIELD        "invalid_field"
#define DOCKET_ERR_UNAUTHORIZED         "unauthorized"
#define DOCKET_ERR_INVALID_CREDENTIALS  "invalid_credentials"
#define DOCKET_ERR_FORBIDDEN            "forbidden"
#define DOCKET_ERR_NOT_FOUND            "not_found"
#define DOCKET_ERR_METHOD_NOT_ALLOWED   "method_not_allowed"
#define DOCKET_ERR_CONFLICT             "conflict"
#define DOCKET_ERR_INVALID_CURSOR       "invalid_cursor"
#define DOCKET_ERR_TOO_LARGE            "too_large"
#define DOCKET_ERR_UNSUPPORTED_MEDIA    "unsupported_media_type"
#define DOCKET_ERR_TOO_MANY_ATTEMPTS    "too_many_attempts"
#define DOCKET_ERR_INTERNAL             "internal"
#define DOCKET_ERR_BUSY                 "busy"           /* 503: no room for the work now; see Retry-After */
#define DOCKET_ERR_GONE                 "gone"           /* 410: an annotation deleted for good */

G_END_DECLS
