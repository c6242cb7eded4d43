/* codec-test-util.h: what the tests of common/'s records and codecs share
 *
 * The same JSON of each entity (good, and used as the base of every hostile mutation),
 * the helpers that read it the way a real message is read (raw text through
 * docket_protocol_parse_json (), then the record's *_from_json ()), and the machinery that
 * tries every hostile value of a field alone and inside a change page. Each
 * tests/common/test-codec-ENTITY.c tests one codec of common/docket-codec-ENTITY.c with it.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "docket-protocol.h"
#include "docket-records.h"

G_BEGIN_DECLS

#define MEETING_JSON \
  "{\"id\": \"m7Q2-x_1\", \"title\": \"Kỳ họp thứ 12, HĐND tỉnh khóa X\"," \
  " \"organ\": \"HĐND tỉnh\", \"starts_at\": \"2026-11-22T08:00:00+07:00\"," \
  " \"ends_at\": \"2026-11-22T11:30:00+07:00\", \"time_zone\": \"Asia/Ho_Chi_Minh\"," \
  " \"location\": \"Hội trường UBND tỉnh,\\ttầng 3\\nphòng A\", \"status\": \"published\"," \
  " \"quorum\": \"two_thirds\", \"version\": 42, \"participants\": [" \
  "  {\"username\": \"nguyenvana\", \"display_name\": \"Nguyễn Văn A\", \"role\": \"official\"," \
  "   \"meeting_role\": \"chair\"}," \
  "  {\"username\": \"thu.ky-1\", \"display_name\": \"\", \"role\": \"secretary\"," \
  "   \"meeting_role\": \"secretary\"}]}"

#define ITEM_JSON \
  "{\"id\": \"i9x\", \"meeting_id\": \"m7Q2-x_1\", \"parent_id\": \"i1\", \"position\": 3," \
  " \"number\": \"2.a\", \"title\": \"Báo cáo tình hình kinh tế - xã hội năm 2026\"," \
  " \"presenter\": \"Sở Kế hoạch và Đầu tư\", \"description\": \"\", \"version\": 43}"

#define DOCUMENT_JSON \
  "{\"id\": \"d3k\", \"meeting_id\": \"m7Q2-x_1\", \"item_id\": \"i9x\", \"position\": 0," \
  " \"title\": \"Tờ trình số 123/TTr-UBND\", \"media_type\": \"application/pdf\"," \
  " \"sha256\": \"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\"," \
  " \"size\": 183422, \"pages\": 12, \"version\": 44}"

/* Numbers of a geometry are written as doubles: that is how the codec writes them back. */
#define ANNOTATION_JSON \
  "{\"id\": \"3f2b8c1e-5a7d-4e2b-9c1f-0a1b2c3d4e5f\", \"document_id\": \"d3k\", \"page\": 4," \
  " \"kind\": \"highlight\", \"color\": \"#ffd700\"," \
  " \"geometry\": {\"rects\": [[72.5, 100.25, 300.5, 112.75], [72.5, 114.5, 180.5, 127.5]]}," \
  " \"contents\": \"Xem lại số liệu\\nđoạn 2\", \"created_at\": 1795400000000," \
  " \"updated_at\": 1795400005000, \"revision\": 57}"

#define NOTE_JSON \
  "{\"target\": \"agenda_item\", \"target_id\": \"i9x\"," \
  " \"text\": \"Hỏi về ngân sách\\n- điểm 2\", \"updated_at\": 1795400000000, \"revision\": 58}"

/* The live meeting's records, as in docs/protocol.md. */
#define MEETING_STATE_JSON \
  "{\"meeting_id\": \"m7Q2-x_1\", \"phase\": \"in_session\"," \
  " \"started_at\": \"2026-11-22T08:03:12+07:00\", \"ended_at\": null," \
  " \"current_item_id\": \"i9x\", \"presentation\": {\"document_id\": \"d3k\", \"page\": 4}," \
  " \"speech_limit_seconds\": 300, \"version\": 57}"

#define ATTENDANCE_JSON \
  "{\"id\": \"a5c\", \"meeting_id\": \"m7Q2-x_1\", \"username\": \"nguyenvana\"," \
  " \"presence\": \"remote\", \"since\": \"2026-11-22T07:58:40+07:00\", \"version\": 60}"

#define SPEECH_JSON \
  "{\"id\": \"s2f\", \"meeting_id\": \"m7Q2-x_1\", \"username\": \"tranthib\"," \
  " \"state\": \"speaking\", \"number\": 61, \"requested_at\": \"2026-11-22T08:40:02+07:00\"," \
  " \"started_at\": \"2026-11-22T08:41:10+07:00\", \"ended_at\": null, \"limit_seconds\": 300," \
  " \"version\": 64}"

/* The "user" of the session's answers: never in a change page. */
#define USER_JSON \
  "{\"username\": \"nguyenvana\", \"display_name\": \"Nguyễn Văn A\", \"role\": \"official\"," \
  " \"organ\": \"HĐND tỉnh\"}"

typedef enum {
  KIND_MEETING,
  KIND_ITEM,
  KIND_DOCUMENT,
  KIND_ANNOTATION,
  KIND_NOTE,
  KIND_MEETING_STATE,
  KIND_ATTENDANCE,
  KIND_SPEECH,
  KIND_USER,
} Kind;

typedef enum {
  CLASS_ID,
  CLASS_OPTIONAL_ID,
  CLASS_TITLE,            /* required, 1..1000 bytes */
  CLASS_SHORT,            /* 0..500 bytes */
  CLASS_SHORT_REQUIRED,   /* 1..500 bytes */
  CLASS_NUMBER,           /* 0..32 bytes */
  CLASS_DESCRIPTION,      /* 0..20000 bytes */
  CLASS_TIME,
  CLASS_VERSION,
  CLASS_POSITION,
  CLASS_PAGES,
  CLASS_SIZE,
  CLASS_STATUS,
  CLASS_MEDIA_TYPE,
  CLASS_SHA256,
  CLASS_PARTICIPANTS,
  CLASS_ANNOTATION_KIND,
  CLASS_COLOR,
  CLASS_GEOMETRY,
  CLASS_CONTENTS,
  CLASS_NOTE_TARGET,
  CLASS_NOTE_TEXT,
  CLASS_NAME,             /* an enum's name: a word it does not know is kept, a non-word refused */
  CLASS_OPTIONAL_NAME,    /* the same, absent or null for its default */
  CLASS_OPTIONAL_TIME,    /* a time, or null */
  CLASS_USERNAME,
  CLASS_SECONDS,          /* 0..DOCKET_MAX_SPEECH_LIMIT_SECONDS */
  CLASS_PRESENTATION,     /* null or {"document_id", "page"} */
} FieldClass;

JsonNode          *parse             (const char  *text,
                                      GError     **error);
JsonNode          *parse_ok          (const char  *text);
/* Parses and reads text as a record of kind; returns the record (to free with
 * free_record) or NULL with error set. */
gpointer           read_record       (Kind         kind,
                                      const char  *text,
                                      GError     **error);
void               free_record       (Kind         kind,
                                      gpointer     record);
JsonNode          *record_to_json    (Kind         kind,
                                      gpointer     record);
gpointer           record_copy       (Kind         kind,
                                      gpointer     record);
DocketChangesPage *read_page         (const char  *text,
                                      GError     **error);
/* base with member field replaced by the raw JSON text raw (removed when raw is NULL). */
char              *mutate            (const char  *base,
                                      const char  *field,
                                      const char  *raw);
char              *page_with_change  (const char  *type,
                                      const char  *id,
                                      const char  *data);
char              *quoted_repeat     (const char  *unit,
                                      guint        count);
void               assert_json_equal (JsonNode    *a,
                                      JsonNode    *b);

/* text -> record -> JSON gives back the same JSON as text, and so does a copy; data is
 * the Kind (GINT_TO_POINTER). */
void               test_round_trip   (gconstpointer data);

/* Tries one hostile value for one field, alone and inside a page. */
void               assert_refused    (Kind         kind,
                                      const char  *field,
                                      const char  *raw);
/* Every hostile value of the field's class: missing, null, wrong JSON types, the class's
 * bad values, too long, one past each numeric limit; and a text at its limit is accepted. */
void               refuse_field      (Kind         kind,
                                      const char  *field,
                                      FieldClass   klass);
/* JSON that is not an object, refused as MALFORMED. */
void               assert_not_objects (Kind        kind);

G_END_DECLS
