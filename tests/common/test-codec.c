/* test-codec.c: the shared JSON codec of common/, against good and hostile input
 *
 * Every hostile input goes the way a real one does: raw text through
 * docket_protocol_parse_json (), then the record's *_from_json (), and must fail with a
 * DOCKET_PROTOCOL_ERROR. When the record reader is the one that refuses it, the message
 * must name the field. Each record mutation is also tried inside a change page, where
 * the message must name the field by its path in the page.
 */
#include "config.h"

#include <string.h>

#include "docket-protocol.h"
#include "docket-records.h"

#define MEETING_JSON \
  "{\"id\": \"m7Q2-x_1\", \"title\": \"Kỳ họp thứ 12, HĐND tỉnh khóa X\"," \
  " \"organ\": \"HĐND tỉnh\", \"starts_at\": \"2026-11-22T08:00:00+07:00\"," \
  " \"ends_at\": \"2026-11-22T11:30:00+07:00\", \"time_zone\": \"Asia/Ho_Chi_Minh\"," \
  " \"location\": \"Hội trường UBND tỉnh,\\ttầng 3\\nphòng A\", \"status\": \"published\"," \
  " \"version\": 42, \"participants\": [" \
  "  {\"username\": \"nguyenvana\", \"display_name\": \"Nguyễn Văn A\", \"role\": \"official\"}," \
  "  {\"username\": \"thu.ky-1\", \"display_name\": \"\", \"role\": \"secretary\"}]}"

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

typedef enum {
  KIND_MEETING,
  KIND_ITEM,
  KIND_DOCUMENT,
  KIND_ANNOTATION,
  KIND_NOTE,
} Kind;

static const char *kind_base[] = { MEETING_JSON, ITEM_JSON, DOCUMENT_JSON, ANNOTATION_JSON, NOTE_JSON };
static const char *kind_type[] = { "meeting", "agenda_item", "document", "annotation", "note" };
static const char *kind_prefix[] = { "meeting", "agenda_item", "document", "annotation", "note" };
static const char *kind_id[] = { "m7Q2-x_1", "i9x", "d3k", "3f2b8c1e-5a7d-4e2b-9c1f-0a1b2c3d4e5f", "i9x" };

static JsonNode *
parse (const char  *text,
       GError     **error)
{
  return docket_protocol_parse_json (text, -1, DOCKET_MAX_JSON_RESPONSE_BYTES, error);
}

static JsonNode *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = parse (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

/* Parses and reads text as a record of kind; returns the record (to free with
 * free_record) or NULL with error set. */
static gpointer
read_record (Kind         kind,
             const char  *text,
             GError     **error)
{
  g_autoptr(JsonNode) node = parse (text, error);

  if (node == NULL)
    return NULL;

  switch (kind)
    {
    case KIND_MEETING:
      return docket_meeting_record_from_json (node, error);
    case KIND_ITEM:
      return docket_agenda_item_record_from_json (node, error);
    case KIND_DOCUMENT:
      return docket_document_record_from_json (node, error);
    case KIND_ANNOTATION:
      return docket_annotation_record_from_json (node, error);
    case KIND_NOTE:
      return docket_note_record_from_json (node, error);
    default:
      g_assert_not_reached ();
    }
}

static void
free_record (Kind     kind,
             gpointer record)
{
  switch (kind)
    {
    case KIND_MEETING:
      docket_meeting_record_free (record);
      break;
    case KIND_ITEM:
      docket_agenda_item_record_free (record);
      break;
    case KIND_DOCUMENT:
      docket_document_record_free (record);
      break;
    case KIND_ANNOTATION:
      docket_annotation_record_free (record);
      break;
    case KIND_NOTE:
      docket_note_record_free (record);
      break;
    default:
      g_assert_not_reached ();
    }
}

static DocketChangesPage *
read_page (const char  *text,
           GError     **error)
{
  g_autoptr(JsonNode) node = parse (text, error);

  if (node == NULL)
    return NULL;

  return docket_changes_page_from_json (node, error);
}

/* base with member field replaced by the raw JSON text raw (removed when raw is NULL). */
static char *
mutate (const char *base,
        const char *field,
        const char *raw)
{
  g_autoptr(JsonNode) node = parse_ok (base);
  JsonObject *object = json_node_get_object (node);
  g_autofree char *text = NULL;
  g_auto(GStrv) parts = NULL;

  if (raw == NULL)
    {
      json_object_remove_member (object, field);
      return json_to_string (node, FALSE);
    }

  json_object_set_string_member (object, field, "@@MARK@@");
  text = json_to_string (node, FALSE);
  parts = g_strsplit (text, "\"@@MARK@@\"", 2);
  g_assert_cmpuint (g_strv_length (parts), ==, 2);

  return g_strconcat (parts[0], raw, parts[1], NULL);
}

static char *
page_with_change (const char *type,
                  const char *id,
                  const char *data)
{
  return g_strdup_printf ("{\"cursor\": \"17\", \"more\": false, \"changes\": ["
                          "{\"type\": \"%s\", \"id\": \"%s\", \"deleted\": false, \"data\": %s}]}",
                          type, id, data);
}

static char *
quoted_repeat (const char *unit,
               guint       count)
{
  GString *s = g_string_new ("\"");
  guint i;

  for (i = 0; i < count; i++)
    g_string_append (s, unit);
  g_string_append_c (s, '"');

  return g_string_free (s, FALSE);
}

/* ---- validators --------------------------------------------------------------------- */

static void
test_validators (void)
{
  g_autofree char *id64 = g_strnfill (64, 'a');
  g_autofree char *id65 = g_strnfill (65, 'a');
  g_autofree char *text10 = g_strnfill (10, 'x');

  g_assert_true (docket_protocol_id_is_valid ("a"));
  g_assert_true (docket_protocol_id_is_valid ("Az09_-"));
  g_assert_true (docket_protocol_id_is_valid (id64));
  g_assert_false (docket_protocol_id_is_valid (id65));
  g_assert_false (docket_protocol_id_is_valid (NULL));
  g_assert_false (docket_protocol_id_is_valid (""));
  g_assert_false (docket_protocol_id_is_valid ("."));
  g_assert_false (docket_protocol_id_is_valid (".."));
  g_assert_false (docket_protocol_id_is_valid ("../etc"));
  g_assert_false (docket_protocol_id_is_valid ("a/b"));
  g_assert_false (docket_protocol_id_is_valid ("a\\b"));
  g_assert_false (docket_protocol_id_is_valid ("é"));
  g_assert_false (docket_protocol_id_is_valid ("a b"));

  g_assert_true (docket_protocol_sha256_is_valid ("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"));
  g_assert_false (docket_protocol_sha256_is_valid ("9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08"));
  g_assert_false (docket_protocol_sha256_is_valid ("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0"));
  g_assert_false (docket_protocol_sha256_is_valid ("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a088"));
  g_assert_false (docket_protocol_sha256_is_valid ("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0g"));
  g_assert_false (docket_protocol_sha256_is_valid (""));
  g_assert_false (docket_protocol_sha256_is_valid (NULL));

  g_assert_true (docket_protocol_text_is_valid ("", 0));
  g_assert_true (docket_protocol_text_is_valid (text10, 10));
  g_assert_false (docket_protocol_text_is_valid (text10, 9));
  g_assert_true (docket_protocol_text_is_valid ("Hội trường\ttầng 3\nphòng A", 100));
  /* Limits are in bytes, not characters: "ộ" is 3 bytes. */
  g_assert_false (docket_protocol_text_is_valid ("ộ", 2));
  g_assert_false (docket_protocol_text_is_valid ("a\rb", 100));
  g_assert_false (docket_protocol_text_is_valid ("a\033[31mb", 100));
  g_assert_false (docket_protocol_text_is_valid ("a\x7f", 100));
  g_assert_false (docket_protocol_text_is_valid ("a\xc2\x85", 100));   /* U+0085, C1 */
  g_assert_false (docket_protocol_text_is_valid ("a\xff", 100));
  g_assert_false (docket_protocol_text_is_valid ("\xc3\x28", 100));
  g_assert_false (docket_protocol_text_is_valid ("\xed\xa0\x80", 100)); /* a surrogate */
  g_assert_false (docket_protocol_text_is_valid (NULL, 100));

  g_assert_true (docket_protocol_username_is_valid ("nguyenvana"));
  g_assert_true (docket_protocol_username_is_valid ("thu.ky-1_2"));
  g_assert_true (docket_protocol_username_is_valid ("1a"));
  g_assert_false (docket_protocol_username_is_valid (""));
  g_assert_false (docket_protocol_username_is_valid (".hidden"));
  g_assert_false (docket_protocol_username_is_valid ("-x"));
  g_assert_false (docket_protocol_username_is_valid ("NguyenVanA"));
  g_assert_false (docket_protocol_username_is_valid ("a/b"));
  g_assert_false (docket_protocol_username_is_valid (id65));
  g_assert_true (docket_protocol_username_is_valid (id64));
  g_assert_false (docket_protocol_username_is_valid (NULL));
}

static void
test_time (void)
{
  static const struct {
    const char *in;
    const char *out;
  } good[] = {
    { "2026-11-22T08:00:00+07:00", "2026-11-22T08:00:00+07:00" },
    { "2026-11-22t08:00:00z", "2026-11-22T08:00:00+00:00" },
    { "2026-11-22T08:00:00Z", "2026-11-22T08:00:00+00:00" },
    { "2026-11-22T08:00:00.75-03:30", "2026-11-22T08:00:00-03:30" },
    { "2024-02-29T23:59:59+14:00", "2024-02-29T23:59:59+14:00" },
  };
  static const char *bad[] = {
    "2026-11-22T08:00:00",           /* no offset: never read as local time */
    "2026-11-22 08:00:00+07:00",
    "2026-11-22T08:00+07:00",
    "2026-11-22T08:00:00+0700",
    "2026-11-22T08:00:00+07",
    "20261122T080000Z",
    "2026-W47-7T08:00:00Z",
    "2026-326T08:00:00Z",
    "2026-13-22T08:00:00Z",
    "2026-02-30T08:00:00Z",
    "2026-11-22T25:00:00Z",
    "2026-11-22T08:00:00.Z",
    "2026-11-22T08:00:00Z ",
    " 2026-11-22T08:00:00Z",
    "2026-11-22T08:00:00+07:00x",
    "tomorrow",
    "",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GDateTime) time = docket_protocol_parse_time (good[i].in, &error);
      g_autofree char *text = NULL;

      g_assert_no_error (error);
      g_assert_nonnull (time);
      text = docket_protocol_format_time (time);
      /* UTC may be written as Z or +00:00; both are RFC 3339. */
      if (g_str_has_suffix (good[i].out, "+00:00") && g_str_has_suffix (text, "Z"))
        g_assert_true (strncmp (text, good[i].out, 19) == 0);
      else
        g_assert_cmpstr (text, ==, good[i].out);
    }

  for (i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GDateTime) time = docket_protocol_parse_time (bad[i], &error);

      if (time != NULL)
        g_error ("accepted the time \"%s\"", bad[i]);
      g_assert_error (error, DOCKET_PROTOCOL_ERROR, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE);
    }
}

static void
test_format_time_odd_offset (void)
{
  /* Asia/Ho_Chi_Minh was +07:06:40 before 1906: not expressible in RFC 3339, so the time
   * is written in UTC, and still means the same instant. */
  g_autoptr(GTimeZone) zone = g_time_zone_new_offset (7 * 3600 + 6 * 60 + 40);
  g_autoptr(GDateTime) time = g_date_time_new (zone, 1900, 1, 1, 12, 0, 0);
  g_autofree char *text = docket_protocol_format_time (time);
  g_autoptr(GDateTime) back = docket_protocol_parse_time (text, NULL);

  g_assert_nonnull (back);
  g_assert_true (g_date_time_equal (time, back));
}

static void
test_error_to_json (void)
{
  g_autoptr(JsonNode) node = docket_protocol_error_to_json (DOCKET_ERR_INVALID_FIELD,
                                                            "starts_at: not an RFC 3339 time with an offset");
  g_autofree char *text = json_to_string (node, FALSE);

  g_assert_cmpstr (text, ==,
                   "{\"error\":\"invalid_field\",\"message\":\"starts_at: not an RFC 3339 time with an offset\"}");
}

static void
test_enums (void)
{
  DocketMeetingStatus status;
  DocketRole role;

  g_assert_true (docket_meeting_status_from_string ("closed", &status));
  g_assert_cmpint (status, ==, DOCKET_MEETING_STATUS_CLOSED);
  g_assert_cmpstr (docket_meeting_status_to_string (DOCKET_MEETING_STATUS_PUBLISHED), ==, "published");
  g_assert_false (docket_meeting_status_from_string ("Draft", &status));
  g_assert_false (docket_meeting_status_from_string (NULL, &status));

  g_assert_true (docket_role_from_string ("admin", &role));
  g_assert_cmpint (role, ==, DOCKET_ROLE_ADMIN);
  g_assert_cmpstr (docket_role_to_string (DOCKET_ROLE_SECRETARY), ==, "secretary");
  g_assert_false (docket_role_from_string ("root", &role));

  g_assert_cmpstr (docket_change_type_to_string (DOCKET_CHANGE_AGENDA_ITEM), ==, "agenda_item");
}

/* ---- parse_json --------------------------------------------------------------------- */

static void
test_parse_json (void)
{
  static const char *bad[] = {
    "",
    "   ",
    "{",
    "{\"a\": 1,}",
    "<html><body>502 Bad Gateway</body></html>",
    "{\"a\": \"ab\\u0000../x\"}",
    "{\"a\": \"\\u0000\"}",
    "{\"a\": 18446744073709551658}",
    "{\"a\": -18446744073709551574}",    /* json-glib alone reads 42 */
    "{\"a\": 99999999999999999999999}",
    "{\"a\": \"\xff\"}",
    "{\"a\": \"\xc3\x28\"}",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  GString *deep;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(JsonNode) bad_node = parse (bad[i], &local_error);

      if (bad_node != NULL)
        g_error ("accepted the JSON text \"%s\"", bad[i]);
      g_assert_nonnull (local_error);
      g_assert_true (local_error->domain == DOCKET_PROTOCOL_ERROR);
    }

  /* An embedded NUL byte: json-glib would parse only what comes before it. */
  node = docket_protocol_parse_json ("{\"a\": 1}\0garbage", 16, 1024, &error);
  g_assert_error (error, DOCKET_PROTOCOL_ERROR, DOCKET_PROTOCOL_ERROR_MALFORMED);
  g_assert_null (node);
  g_clear_error (&error);

  /* Over the size limit. */
  node = docket_protocol_parse_json ("{\"a\": 1}", -1, 7, &error);
  g_assert_error (error, DOCKET_PROTOCOL_ERROR, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE);
  g_assert_null (node);
  g_clear_error (&error);

  /* Deep nesting: json-glib alone overflows the stack on this. */
  deep = g_string_new (NULL);
  for (i = 0; i < 200000; i++)
    g_string_append_c (deep, '[');
  for (i = 0; i < 200000; i++)
    g_string_append_c (deep, ']');
  node = parse (deep->str, &error);
  g_string_free (deep, TRUE);
  g_assert_error (error, DOCKET_PROTOCOL_ERROR, DOCKET_PROTOCOL_ERROR_MALFORMED);
  g_assert_null (node);
  g_clear_error (&error);

  /* What must still pass: escapes, brackets, digits and "\u0000" look-alikes in strings,
   * large but in-range numbers, moderate nesting. */
  node = parse ("{\"a\": \"[[[{{\\\\u0000 \\u00e9 \\\" 123456789012345678901234\","
                " \"b\": [[[[1]]]], \"c\": -9007199254740991, \"d\": 1.5e300, \"e\": null}",
                &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "a"), ==,
                   "[[[{{\\u0000 é \" 123456789012345678901234");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "c"), ==,
                   -G_GINT64_CONSTANT (9007199254740991));
}

/* ---- round trips -------------------------------------------------------------------- */

static JsonNode *
record_to_json (Kind     kind,
                gpointer record)
{
  switch (kind)
    {
    case KIND_MEETING:
      return docket_meeting_record_to_json (record);
    case KIND_ITEM:
      return docket_agenda_item_record_to_json (record);
    case KIND_DOCUMENT:
      return docket_document_record_to_json (record);
    case KIND_ANNOTATION:
      return docket_annotation_record_to_json (record);
    case KIND_NOTE:
      return docket_note_record_to_json (record);
    default:
      g_assert_not_reached ();
    }
}

static gpointer
record_copy (Kind     kind,
             gpointer record)
{
  switch (kind)
    {
    case KIND_MEETING:
      return docket_meeting_record_copy (record);
    case KIND_ITEM:
      return docket_agenda_item_record_copy (record);
    case KIND_DOCUMENT:
      return docket_document_record_copy (record);
    case KIND_ANNOTATION:
      return docket_annotation_record_copy (record);
    case KIND_NOTE:
      return docket_note_record_copy (record);
    default:
      g_assert_not_reached ();
    }
}

static void
assert_json_equal (JsonNode *a,
                   JsonNode *b)
{
  if (!json_node_equal (a, b))
    {
      g_autofree char *ta = json_to_string (a, TRUE);
      g_autofree char *tb = json_to_string (b, TRUE);

      g_error ("JSON differs:\n%s\n---\n%s", ta, tb);
    }
}

/* text -> record -> JSON gives back the same JSON as text, and so does a copy. */
static void
test_round_trip (gconstpointer data)
{
  Kind kind = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) original = parse_ok (kind_base[kind]);
  g_autoptr(JsonNode) written = NULL;
  g_autoptr(JsonNode) copy_written = NULL;
  g_autoptr(JsonNode) reread_written = NULL;
  g_autofree char *text = NULL;
  gpointer record, copy, reread;

  record = read_record (kind, kind_base[kind], &error);
  g_assert_no_error (error);
  g_assert_nonnull (record);

  written = record_to_json (kind, record);
  assert_json_equal (original, written);

  copy = record_copy (kind, record);
  free_record (kind, record);
  copy_written = record_to_json (kind, copy);
  assert_json_equal (original, copy_written);

  text = json_to_string (copy_written, FALSE);
  reread = read_record (kind, text, &error);
  g_assert_no_error (error);
  reread_written = record_to_json (kind, reread);
  assert_json_equal (original, reread_written);

  free_record (kind, copy);
  free_record (kind, reread);
}

static void
test_meeting_fields (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketMeetingRecord) record = read_record (KIND_MEETING, MEETING_JSON, &error);
  g_autoptr(GDateTime) expected = g_date_time_new_from_iso8601 ("2026-11-22T01:00:00Z", NULL);
  DocketParticipant *p;

  g_assert_no_error (error);
  g_assert_cmpstr (record->id, ==, "m7Q2-x_1");
  g_assert_cmpstr (record->title, ==, "Kỳ họp thứ 12, HĐND tỉnh khóa X");
  g_assert_cmpstr (record->organ, ==, "HĐND tỉnh");
  g_assert_true (g_date_time_equal (record->starts_at, expected));
  g_assert_cmpint (g_date_time_get_utc_offset (record->starts_at), ==, 7 * G_TIME_SPAN_HOUR);
  g_assert_cmpstr (record->time_zone, ==, "Asia/Ho_Chi_Minh");
  g_assert_cmpstr (record->location, ==, "Hội trường UBND tỉnh,\ttầng 3\nphòng A");
  g_assert_cmpint (record->status, ==, DOCKET_MEETING_STATUS_PUBLISHED);
  g_assert_cmpint (record->version, ==, 42);
  g_assert_cmpuint (record->participants->len, ==, 2);
  p = g_ptr_array_index (record->participants, 0);
  g_assert_cmpstr (p->username, ==, "nguyenvana");
  g_assert_cmpstr (p->display_name, ==, "Nguyễn Văn A");
  g_assert_cmpint (p->role, ==, DOCKET_ROLE_OFFICIAL);
  p = g_ptr_array_index (record->participants, 1);
  g_assert_cmpint (p->role, ==, DOCKET_ROLE_SECRETARY);
}

static void
test_built_records (void)
{
  g_autoptr(DocketMeetingRecord) meeting = docket_meeting_record_new ();
  g_autoptr(DocketMeetingRecord) meeting_back = NULL;
  g_autoptr(DocketAgendaItemRecord) item = docket_agenda_item_record_new ();
  g_autoptr(DocketAgendaItemRecord) item_back = NULL;
  g_autoptr(DocketDocumentRecord) document = docket_document_record_new ();
  g_autoptr(DocketDocumentRecord) document_back = NULL;
  g_autoptr(GTimeZone) zone = g_time_zone_new_offset (7 * 3600);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  meeting->id = g_strdup ("m1");
  meeting->title = g_strdup ("Họp");
  meeting->organ = g_strdup ("UBND");
  meeting->starts_at = g_date_time_new (zone, 2026, 11, 22, 8, 0, 0);
  meeting->ends_at = g_date_time_new (zone, 2026, 11, 22, 11, 30, 0);
  meeting->time_zone = g_strdup ("Asia/Ho_Chi_Minh");
  meeting->location = g_strdup ("");
  meeting->status = DOCKET_MEETING_STATUS_CLOSED;
  meeting->version = DOCKET_MAX_VERSION;

  node = docket_meeting_record_to_json (meeting);
  object = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (object, "starts_at"), ==, "2026-11-22T08:00:00+07:00");
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "closed");
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "participants")));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "participants")), ==, 0);
  meeting_back = docket_meeting_record_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpint (meeting_back->version, ==, DOCKET_MAX_VERSION);
  g_assert_true (g_date_time_equal (meeting_back->ends_at, meeting->ends_at));
  g_clear_pointer (&node, json_node_unref);

  item->id = g_strdup ("i1");
  item->meeting_id = g_strdup ("m1");
  item->position = DOCKET_MAX_POSITION;
  item->number = g_strdup ("1");
  item->title = g_strdup ("Mục");
  item->presenter = g_strdup ("");
  item->description = g_strdup ("");
  node = docket_agenda_item_record_to_json (item);
  /* A top-level item has "parent_id": null, not a missing member. */
  object = json_node_get_object (node);
  g_assert_true (json_object_has_member (object, "parent_id"));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (object, "parent_id")));
  item_back = docket_agenda_item_record_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_null (item_back->parent_id);
  g_assert_cmpint (item_back->position, ==, DOCKET_MAX_POSITION);
  g_clear_pointer (&node, json_node_unref);

  document->id = g_strdup ("d1");
  document->meeting_id = g_strdup ("m1");
  document->item_id = g_strdup ("i1");
  document->title = g_strdup ("Tờ trình");
  document->media_type = g_strdup ("application/pdf");
  document->sha256 = g_strdup ("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  document->size = DOCKET_MAX_DOCUMENT_BYTES;
  document->pages = DOCKET_MAX_PAGES;
  node = docket_document_record_to_json (document);
  document_back = docket_document_record_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpint (document_back->size, ==, DOCKET_MAX_DOCUMENT_BYTES);
  g_assert_cmpint (document_back->pages, ==, DOCKET_MAX_PAGES);
  g_assert_cmpstr (document_back->sha256, ==, document->sha256);
}

static void
test_optional_and_lenient (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *no_parent = mutate (ITEM_JSON, "parent_id", NULL);
  g_autofree char *null_parent = mutate (ITEM_JSON, "parent_id", "null");
  g_autofree char *integral = mutate (DOCUMENT_JSON, "size", "183422.0");
  g_autofree char *unknown = mutate (DOCUMENT_JSON, "color", "{\"x\": [1, 2]}");
  g_autoptr(DocketAgendaItemRecord) a = read_record (KIND_ITEM, no_parent, &error);
  g_autoptr(DocketAgendaItemRecord) b = NULL;
  g_autoptr(DocketDocumentRecord) c = NULL;
  g_autoptr(DocketDocumentRecord) d = NULL;

  g_assert_no_error (error);
  g_assert_null (a->parent_id);
  b = read_record (KIND_ITEM, null_parent, &error);
  g_assert_no_error (error);
  g_assert_null (b->parent_id);
  /* JSON has one number type: 183422.0 is the integer 183422. */
  c = read_record (KIND_DOCUMENT, integral, &error);
  g_assert_no_error (error);
  g_assert_cmpint (c->size, ==, 183422);
  /* Unknown fields are ignored. */
  d = read_record (KIND_DOCUMENT, unknown, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (d->id, ==, "d3k");
}

/* ---- hostile records ---------------------------------------------------------------- */

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
} FieldClass;

static const struct {
  Kind        kind;
  const char *field;
  FieldClass  klass;
} fields[] = {
  { KIND_MEETING, "id", CLASS_ID },
  { KIND_MEETING, "title", CLASS_TITLE },
  { KIND_MEETING, "organ", CLASS_SHORT },
  { KIND_MEETING, "starts_at", CLASS_TIME },
  { KIND_MEETING, "ends_at", CLASS_TIME },
  { KIND_MEETING, "time_zone", CLASS_SHORT_REQUIRED },
  { KIND_MEETING, "location", CLASS_SHORT },
  { KIND_MEETING, "status", CLASS_STATUS },
  { KIND_MEETING, "version", CLASS_VERSION },
  { KIND_MEETING, "participants", CLASS_PARTICIPANTS },
  { KIND_ITEM, "id", CLASS_ID },
  { KIND_ITEM, "meeting_id", CLASS_ID },
  { KIND_ITEM, "parent_id", CLASS_OPTIONAL_ID },
  { KIND_ITEM, "position", CLASS_POSITION },
  { KIND_ITEM, "number", CLASS_NUMBER },
  { KIND_ITEM, "title", CLASS_TITLE },
  { KIND_ITEM, "presenter", CLASS_SHORT },
  { KIND_ITEM, "description", CLASS_DESCRIPTION },
  { KIND_ITEM, "version", CLASS_VERSION },
  { KIND_DOCUMENT, "id", CLASS_ID },
  { KIND_DOCUMENT, "meeting_id", CLASS_ID },
  { KIND_DOCUMENT, "item_id", CLASS_ID },
  { KIND_DOCUMENT, "position", CLASS_POSITION },
  { KIND_DOCUMENT, "title", CLASS_TITLE },
  { KIND_DOCUMENT, "media_type", CLASS_MEDIA_TYPE },
  { KIND_DOCUMENT, "sha256", CLASS_SHA256 },
  { KIND_DOCUMENT, "size", CLASS_SIZE },
  { KIND_DOCUMENT, "pages", CLASS_PAGES },
  { KIND_DOCUMENT, "version", CLASS_VERSION },
  { KIND_ANNOTATION, "id", CLASS_ID },
  { KIND_ANNOTATION, "document_id", CLASS_ID },
  { KIND_ANNOTATION, "page", CLASS_PAGES },
  { KIND_ANNOTATION, "kind", CLASS_ANNOTATION_KIND },
  { KIND_ANNOTATION, "color", CLASS_COLOR },
  { KIND_ANNOTATION, "geometry", CLASS_GEOMETRY },
  { KIND_ANNOTATION, "contents", CLASS_CONTENTS },
  { KIND_ANNOTATION, "created_at", CLASS_VERSION },
  { KIND_ANNOTATION, "updated_at", CLASS_VERSION },
  { KIND_ANNOTATION, "revision", CLASS_VERSION },
  { KIND_NOTE, "target", CLASS_NOTE_TARGET },
  { KIND_NOTE, "target_id", CLASS_ID },
  { KIND_NOTE, "text", CLASS_NOTE_TEXT },
  { KIND_NOTE, "updated_at", CLASS_VERSION },
  { KIND_NOTE, "revision", CLASS_VERSION },
};

static const char *bad_annotation_kinds[] = {
  "\"Highlight\"", "\"squiggly\"", "\"\"", "\"ink \"", "\"note\\u0000\"",
};

static const char *bad_colors[] = {
  "\"\"", "\"ffd700\"", "\"#ffd70\"", "\"#ffd7000\"", "\"#ggd700\"", "\"yellow\"",
  "\"rgb(1,2,3)\"", "\"#ffd700\\u0000\"", "\"#ff d70\"",
};

/* Geometries that are wrong for a highlight (the base kind): another kind's shape,
 * boxes of the wrong length or order, numbers that are not finite or out of the page. */
static const char *bad_highlight_geometries[] = {
  "{}", "[]", "\"{\\\"rects\\\": []}\"",
  "{\"rects\": []}", "{\"rects\": {}}", "{\"rects\": [[1, 2, 3]]}",
  "{\"rects\": [[1, 2, 3, 4, 5]]}", "{\"rects\": [[3, 2, 1, 4]]}", "{\"rects\": [[1, 4, 3, 2]]}",
  "{\"rects\": [[1, 2, 3, \"4\"]]}", "{\"rects\": [[1, 2, 3, null]]}",
  "{\"rects\": [[1, 2, 3, 1e400]]}", "{\"rects\": [[1, 2, 3, 14400.5]]}",
  "{\"rects\": [[-1e300, 2, 3, 4]]}", "{\"rects\": [1, 2, 3, 4]}",
  "{\"x\": 1, \"y\": 2}", "{\"width\": 1, \"rect\": [1, 2, 3, 4]}",
};

static const char *bad_note_targets[] = {
  "\"meeting\"", "\"Document\"", "\"\"", "\"agenda item\"",
};

/* Wrong JSON types, for every field; strings are added for non-string fields. */
static const char *wrong_types[] = { "true", "{}", "{\"id\": \"x\"}" };
static const char *wrong_types_arrays[] = { "[]", "[\"x\"]" };
static const char *wrong_types_for_strings[] = { "1", "0", "1.5", "false" };

static const char *bad_ids[] = {
  "\"\"", "\".\"", "\"..\"", "\"../x\"", "\"/\"", "\"a/b\"", "\"/etc/passwd\"", "\"a\\\\b\"",
  "\"a b\"", "\"é\"", "\"ab\\u0000cd\"", "\"\\u0000\"", "\"a\\nb\"", "\"a%2Fb\"",
  "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"",   /* 65 */
};

static const char *bad_texts[] = {
  "\"a\\u0001b\"", "\"\\u001b[31mred\"", "\"a\\rb\"", "\"a\\u007fb\"", "\"a\\u0085b\"",
  "\"ab\\u0000cd\"", "\"\xff\xfe\"", "\"\xc3\x28\"", "\"\xed\xa0\x80\"",
};

static const char *bad_times[] = {
  "\"2026-11-22T08:00:00\"", "\"2026-11-22\"", "\"2026-11-22 08:00:00+07:00\"",
  "\"20261122T080000Z\"", "\"2026-W47-7T08:00:00Z\"", "\"2026-02-30T08:00:00Z\"",
  "\"\"", "\"now\"", "1795568400", "\"2026-11-22T08:00:00+07:00\\u0000\"",
};

static const char *bad_statuses[] = { "\"open\"", "\"Published\"", "\"\"", "\"draft \"" };

static const char *bad_media_types[] = {
  "\"text/html\"", "\"application/pdf; charset=x\"", "\"APPLICATION/PDF\"", "\"\"",
};

static const char *bad_sha256s[] = {
  "\"\"",
  "\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0\"",     /* 63 */
  "\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a088\"",   /* 65 */
  "\"9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08\"",    /* upper */
  "\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0g\"",    /* non-hex */
  "\"../6d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\"",
};

/* Numbers out of every range of the protocol, or not integers. */
static const char *bad_numbers[] = {
  "-1", "-0.5", "0.5", "1.5", "1e300", "-1e300", "1e400", "9223372036854775807",
  "9223372036854775808", "18446744073709551616", "-18446744073709551574",
  "-9223372036854775809", "9007199254740992", "\"1\"",
};

static const char *bad_participants[] = {
  "{}", "\"nguyenvana\"",
  "[1]", "[null]", "[[]]",
  "[{\"display_name\": \"A\", \"role\": \"official\"}]",
  "[{\"username\": \"a\", \"role\": \"official\"}]",
  "[{\"username\": \"a\", \"display_name\": \"A\"}]",
  "[{\"username\": \"A\", \"display_name\": \"A\", \"role\": \"official\"}]",
  "[{\"username\": \"../a\", \"display_name\": \"A\", \"role\": \"official\"}]",
  "[{\"username\": \"\", \"display_name\": \"A\", \"role\": \"official\"}]",
  "[{\"username\": 7, \"display_name\": \"A\", \"role\": \"official\"}]",
  "[{\"username\": \"a\", \"display_name\": \"\\u0007\", \"role\": \"official\"}]",
  "[{\"username\": \"a\", \"display_name\": \"A\", \"role\": \"root\"}]",
  "[{\"username\": \"a\", \"display_name\": \"A\", \"role\": 0}]",
  "[{\"username\": \"a\", \"display_name\": \"A\", \"role\": \"official\"},"
  " {\"username\": \"a\", \"display_name\": \"B\", \"role\": \"admin\"}]",
};

/* Tries one hostile value for one field, alone and inside a page. */
static void
assert_refused (Kind        kind,
                const char *field,
                const char *raw)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = mutate (kind_base[kind], field, raw);
  g_autofree char *page_text = page_with_change (kind_type[kind], kind_id[kind], text);
  g_autofree char *name = g_strdup_printf ("%s.%s", kind_prefix[kind], field);
  g_autofree char *page_name = g_strdup_printf ("changes[0].data.%s", field);
  g_autoptr(JsonNode) node = NULL;
  gpointer record;
  DocketChangesPage *page;

  record = read_record (kind, text, &error);
  if (record != NULL)
    g_error ("%s accepted %s", name, raw ? raw : "(missing)");
  g_assert_nonnull (error);
  if (error->domain != DOCKET_PROTOCOL_ERROR)
    g_error ("%s: %s is refused in the wrong domain: %s", name, raw, error->message);

  /* Refused by the record reader rather than by the JSON parser: the message names
   * the field. */
  node = parse (text, NULL);
  if (node != NULL && strstr (error->message, name) == NULL)
    g_error ("the error for %s = %s does not name the field: %s", name, raw, error->message);
  g_clear_error (&error);

  page = read_page (page_text, &error);
  if (page != NULL)
    g_error ("a page accepted %s = %s", name, raw ? raw : "(missing)");
  g_assert_nonnull (error);
  g_assert_true (error->domain == DOCKET_PROTOCOL_ERROR);
  if (node != NULL && strstr (error->message, page_name) == NULL)
    g_error ("the page error for %s = %s does not name the field: %s", name, raw, error->message);
}

static void
assert_all_refused (Kind         kind,
                    const char  *field,
                    const char **raws,
                    gsize        n_raws)
{
  gsize i;

  for (i = 0; i < n_raws; i++)
    assert_refused (kind, field, raws[i]);
}

#define REFUSE_ALL(kind, field, array) \
  assert_all_refused (kind, field, array, G_N_ELEMENTS (array))

static void
refuse_too_long (Kind        kind,
                 const char *field,
                 guint       max_bytes)
{
  g_autofree char *ascii = quoted_repeat ("a", max_bytes + 1);
  /* Within the limit in characters, over it in bytes. */
  g_autofree char *multibyte = quoted_repeat ("ộ", max_bytes / 3 + 1);

  assert_refused (kind, field, ascii);
  assert_refused (kind, field, multibyte);
}

static void
accept_at_limit (Kind        kind,
                 const char *field,
                 guint       max_bytes)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *value = quoted_repeat ("a", max_bytes);
  g_autofree char *text = mutate (kind_base[kind], field, value);
  gpointer record = read_record (kind, text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (record);
  free_record (kind, record);
}

static void
test_hostile_fields (void)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      Kind kind = fields[i].kind;
      const char *field = fields[i].field;
      FieldClass klass = fields[i].klass;

      g_test_message ("field %s.%s", kind_prefix[kind], field);

      /* Every field but parent_id is required, and null is not a value for any. */
      if (klass != CLASS_OPTIONAL_ID)
        {
          assert_refused (kind, field, NULL);
          assert_refused (kind, field, "null");
        }

      REFUSE_ALL (kind, field, wrong_types);
      if (klass != CLASS_PARTICIPANTS)
        REFUSE_ALL (kind, field, wrong_types_arrays);

      switch (klass)
        {
        case CLASS_ID:
        case CLASS_OPTIONAL_ID:
          REFUSE_ALL (kind, field, wrong_types_for_strings);
          REFUSE_ALL (kind, field, bad_ids);
          break;
        case CLASS_TITLE:
          REFUSE_ALL (kind, field, wrong_types_for_strings);
          REFUSE_ALL (kind, field, bad_texts);
          assert_refused (kind, field, "\"\"");
          refuse_too_long (kind, field, DOCKET_MAX_TITLE_BYTES);
          accept_at_limit (kind, field, DOCKET_MAX_TITLE_BYTES);
          break;
        case CLASS_SHORT:
        case CLASS_SHORT_REQUIRED:
          REFUSE_ALL (kind, field, wrong_types_for_strings);
          REFUSE_ALL (kind, field, bad_texts);
          if (klass == CLASS_SHORT_REQUIRED)
            assert_refused (kind, field, "\"\"");
          refuse_too_long (kind, field, DOCKET_MAX_SHORT_TEXT_BYTES);
          accept_at_limit (kind, field, DOCKET_MAX_SHORT_TEXT_BYTES);
          break;
        case CLASS_NUMBER:
          REFUSE_ALL (kind, field, wrong_types_for_strings);
          REFUSE_ALL (kind, field, bad_texts);
          refuse_too_long (kind, field, DOCKET_MAX_NUMBER_BYTES);
          accept_at_limit (kind, field, DOCKET_MAX_NUMBER_BYTES);
          break;
        case CLASS_DESCRIPTION:
          REFUSE_ALL (kind, field, wrong_types_for_strings);
          REFUSE_ALL (kind, field, bad_texts);
          refuse_too_long (kind, field, DOCKET_MAX_DESCRIPTION_BYTES);
          accept_at_limit (kind, field, DOCKET_MAX_DESCRIPTION_BYTES);
          break;
        case CLASS_TIME:
          REFUSE_ALL (kind, field, wrong_types_for_strings);
          REFUSE_ALL (kind, field, bad_times);
          break;
        case CLASS_STATUS:
          REFUSE_ALL (kind, field, wrong_types_for_strings);
          REFUSE_ALL (kind, field, bad_statuses);
          break;
        case CLASS_MEDIA_TYPE:
          REFUSE_ALL (kind, field, wrong_types_for_strings);
          REFUSE_ALL (kind, field, bad_media_types);
          break;
        case CLASS_SHA256:
          REFUSE_ALL (kind, field, wrong_types_for_strings);
          REFUSE_ALL (kind, field, bad_sha256s);
          break;
        case CLASS_VERSION:
        case CLASS_POSITION:
        case CLASS_PAGES:
        case CLASS_SIZE:
          REFUSE_ALL (kind, field, bad_numbers);
          break;
        case CLASS_PARTICIPANTS:
          REFUSE_ALL (kind, field, wrong_types_for_strings);
          REFUSE_ALL (kind, field, bad_participants);
          break;
        case CLASS_ANNOTATION_KIND:
          REFUSE_ALL (kind, field, wrong_types_for_strings);
          REFUSE_ALL (kind, field, bad_annotation_kinds);
          break;
        case CLASS_COLOR:
          REFUSE_ALL (kind, field, wrong_types_for_strings);
          REFUSE_ALL (kind, field, bad_colors);
          break;
        case CLASS_GEOMETRY:
          REFUSE_ALL (kind, field, wrong_types_for_strings);
          REFUSE_ALL (kind, field, bad_highlight_geometries);
          break;
        case CLASS_CONTENTS:
        case CLASS_NOTE_TEXT:
          REFUSE_ALL (kind, field, wrong_types_for_strings);
          REFUSE_ALL (kind, field, bad_texts);
          refuse_too_long (kind, field, DOCKET_MAX_ANNOTATION_CONTENTS_BYTES);
          accept_at_limit (kind, field, DOCKET_MAX_ANNOTATION_CONTENTS_BYTES);
          break;
        case CLASS_NOTE_TARGET:
          REFUSE_ALL (kind, field, wrong_types_for_strings);
          REFUSE_ALL (kind, field, bad_note_targets);
          break;
        default:
          g_assert_not_reached ();
        }

      /* One past each numeric limit. */
      if (klass == CLASS_POSITION)
        assert_refused (kind, field, "100001");
      if (klass == CLASS_PAGES)
        assert_refused (kind, field, "100001");
      if (klass == CLASS_SIZE)
        assert_refused (kind, field, "2147483649");
    }
}

static void
test_participant_limit (void)
{
  GString *list = g_string_new ("[");
  g_autoptr(GError) error = NULL;
  g_autofree char *at_limit = NULL;
  g_autofree char *over_limit = NULL;
  g_autofree char *text = NULL;
  g_autoptr(DocketMeetingRecord) record = NULL;
  guint i;

  for (i = 0; i < DOCKET_MAX_PARTICIPANTS; i++)
    g_string_append_printf (list, "%s{\"username\": \"u%u\", \"display_name\": \"U\", \"role\": \"official\"}",
                            i > 0 ? "," : "", i);
  at_limit = g_strconcat (list->str, "]", NULL);
  g_string_append (list, ",{\"username\": \"extra\", \"display_name\": \"U\", \"role\": \"official\"}]");
  over_limit = g_string_free (list, FALSE);

  text = mutate (MEETING_JSON, "participants", at_limit);
  record = read_record (KIND_MEETING, text, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (record->participants->len, ==, DOCKET_MAX_PARTICIPANTS);

  assert_refused (KIND_MEETING, "participants", over_limit);
}

static void
test_item_own_parent (void)
{
  assert_refused (KIND_ITEM, "parent_id", "\"i9x\"");
}

static void
test_not_objects (void)
{
  static const char *bad[] = { "[]", "[" MEETING_JSON "]", "null", "1", "\"x\"", "true" };
  guint i, k;

  for (k = KIND_MEETING; k <= KIND_NOTE; k++)
    for (i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(GError) error = NULL;
        gpointer record = read_record (k, bad[i], &error);

        g_assert_null (record);
        g_assert_error (error, DOCKET_PROTOCOL_ERROR, DOCKET_PROTOCOL_ERROR_MALFORMED);
      }
}

/* ---- annotations and notes ------------------------------------------------------------ */

static DocketAnnotationRecord *
read_annotation_with (const char  *kind,
                      const char  *geometry,
                      GError     **error)
{
  g_autofree char *quoted = g_strdup_printf ("\"%s\"", kind);
  g_autofree char *with_kind = mutate (ANNOTATION_JSON, "kind", quoted);
  g_autofree char *text = mutate (with_kind, "geometry", geometry);

  return read_record (KIND_ANNOTATION, text, error);
}

static void
assert_geometry_ok (const char *kind,
                    const char *geometry,
                    const char *canonical)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketAnnotationRecord) record = read_annotation_with (kind, geometry, &error);
  g_autoptr(JsonNode) expected = parse_ok (canonical);
  g_autoptr(JsonNode) got = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (record);
  got = parse_ok (record->geometry);
  assert_json_equal (expected, got);
}

static void
assert_geometry_refused (const char *kind,
                         const char *geometry)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketAnnotationRecord) record = read_annotation_with (kind, geometry, &error);

  if (record != NULL)
    g_error ("%s accepted the geometry %s", kind, geometry);
  g_assert_true (error->domain == DOCKET_PROTOCOL_ERROR);
  g_assert_nonnull (strstr (error->message, "annotation.geometry"));
}

/* Every kind's shape is accepted, written back canonically (numbers as doubles, members
 * that are not part of the shape dropped); each kind refuses the others' shapes. */
static void
test_annotation_geometry (void)
{
  g_autofree char *upper = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketAnnotationRecord) record = NULL;

  assert_geometry_ok ("underline", "{\"rects\": [[0, 0, 10, 2]], \"extra\": [1, {\"deep\": 2}]}",
                      "{\"rects\": [[0.0, 0.0, 10.0, 2.0]]}");
  assert_geometry_ok ("strikeout", "{\"rects\": [[5.5, 7, 5.5, 7]]}",
                      "{\"rects\": [[5.5, 7.0, 5.5, 7.0]]}");
  assert_geometry_ok ("ink", "{\"width\": 1.5, \"strokes\": [[1, 2, 3, 4.5], [7, 8]]}",
                      "{\"width\": 1.5, \"strokes\": [[1.0, 2.0, 3.0, 4.5], [7.0, 8.0]]}");
  assert_geometry_ok ("note", "{\"x\": 100, \"y\": -3.25}", "{\"x\": 100.0, \"y\": -3.25}");
  assert_geometry_ok ("rectangle", "{\"width\": 100, \"rect\": [-14400, -14400, 14400, 14400]}",
                      "{\"width\": 100.0, \"rect\": [-14400.0, -14400.0, 14400.0, 14400.0]}");

  /* Each kind wants its own shape. */
  assert_geometry_refused ("ink", "{\"rects\": [[0, 0, 10, 2]]}");
  assert_geometry_refused ("ink", "{\"strokes\": [[1, 2]]}");
  assert_geometry_refused ("ink", "{\"width\": 1, \"strokes\": []}");
  assert_geometry_refused ("ink", "{\"width\": 1, \"strokes\": [[]]}");
  assert_geometry_refused ("ink", "{\"width\": 1, \"strokes\": [[1, 2, 3]]}");
  assert_geometry_refused ("ink", "{\"width\": 1, \"strokes\": [[1, 2], 3]}");
  assert_geometry_refused ("ink", "{\"width\": 1, \"strokes\": [[1, 2, true, 4]]}");
  assert_geometry_refused ("ink", "{\"width\": 0, \"strokes\": [[1, 2]]}");
  assert_geometry_refused ("ink", "{\"width\": -1, \"strokes\": [[1, 2]]}");
  assert_geometry_refused ("ink", "{\"width\": 100.5, \"strokes\": [[1, 2]]}");
  assert_geometry_refused ("ink", "{\"width\": \"2\", \"strokes\": [[1, 2]]}");
  assert_geometry_refused ("note", "{\"x\": 1}");
  assert_geometry_refused ("note", "{\"x\": 1, \"y\": 14401}");
  assert_geometry_refused ("note", "{\"x\": [1], \"y\": 2}");
  assert_geometry_refused ("note", "{\"rects\": [[0, 0, 10, 2]]}");
  assert_geometry_refused ("rectangle", "{\"rect\": [0, 0, 1, 1]}");
  assert_geometry_refused ("rectangle", "{\"width\": 1, \"rect\": [2, 0, 1, 1]}");
  assert_geometry_refused ("rectangle", "{\"width\": 1, \"rect\": [0, 0, 1]}");
  assert_geometry_refused ("rectangle", "{\"width\": 1, \"rects\": [[0, 0, 1, 1]]}");
  assert_geometry_refused ("highlight", "{\"width\": 1, \"strokes\": [[1, 2]]}");

  /* Colours come back in lowercase. */
  upper = mutate (ANNOTATION_JSON, "color", "\"#FFd7A0\"");
  record = read_record (KIND_ANNOTATION, upper, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (record->color, ==, "#ffd7a0");
}

/* The limits on counts: at the limit accepted, one over refused. */
static void
test_annotation_geometry_limits (void)
{
  GString *rects = g_string_new ("{\"rects\": [");
  GString *strokes = g_string_new ("{\"width\": 2, \"strokes\": [");
  GString *points = g_string_new ("{\"width\": 2, \"strokes\": [[");
  g_autofree char *rects_ok = NULL, *rects_over = NULL;
  g_autofree char *strokes_ok = NULL, *strokes_over = NULL;
  g_autofree char *points_ok = NULL, *points_over = NULL;
  g_autoptr(GError) error = NULL;
  DocketAnnotationRecord *record;

  for (guint i = 0; i < DOCKET_MAX_ANNOTATION_RECTS; i++)
    g_string_append_printf (rects, "%s[1, 2, 3, 4]", i ? "," : "");
  rects_ok = g_strconcat (rects->str, "]}", NULL);
  rects_over = g_strconcat (rects->str, ", [1, 2, 3, 4]]}", NULL);

  for (guint i = 0; i < DOCKET_MAX_INK_STROKES; i++)
    g_string_append_printf (strokes, "%s[1, 2]", i ? "," : "");
  strokes_ok = g_strconcat (strokes->str, "]}", NULL);
  strokes_over = g_strconcat (strokes->str, ", [1, 2]]}", NULL);

  for (guint i = 0; i < DOCKET_MAX_INK_POINTS; i++)
    g_string_append_printf (points, "%s%u.5, 7", i ? "," : "", i % 500);
  points_ok = g_strconcat (points->str, "]]}", NULL);
  /* One more point in a second stroke: the limit is on all strokes together. */
  points_over = g_strconcat (points->str, "], [1, 1]]}", NULL);

  record = read_annotation_with ("highlight", rects_ok, &error);
  g_assert_no_error (error);
  docket_annotation_record_free (record);
  record = read_annotation_with ("ink", strokes_ok, &error);
  g_assert_no_error (error);
  docket_annotation_record_free (record);
  record = read_annotation_with ("ink", points_ok, &error);
  g_assert_no_error (error);
  docket_annotation_record_free (record);

  assert_geometry_refused ("highlight", rects_over);
  assert_geometry_refused ("ink", strokes_over);
  assert_geometry_refused ("ink", points_over);

  g_string_free (rects, TRUE);
  g_string_free (strokes, TRUE);
  g_string_free (points, TRUE);
}

/* A record whose geometry text is not JSON (it never should be) goes out as an empty
 * object, which every reader refuses: never as something else. */
static void
test_annotation_broken_geometry_text (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketAnnotationRecord) record = read_record (KIND_ANNOTATION, ANNOTATION_JSON, &error);
  g_autoptr(JsonNode) written = NULL;
  g_autoptr(DocketAnnotationRecord) reread = NULL;
  JsonObject *geometry;

  g_assert_no_error (error);
  g_free (record->geometry);
  record->geometry = g_strdup ("{\"rects\": [[1, 2, 3, 4]");
  written = docket_annotation_record_to_json (record);
  geometry = json_object_get_object_member (json_node_get_object (written), "geometry");
  g_assert_nonnull (geometry);
  g_assert_cmpuint (json_object_get_size (geometry), ==, 0);
  reread = docket_annotation_record_from_json (written, &error);
  g_assert_null (reread);
  g_assert_error (error, DOCKET_PROTOCOL_ERROR, DOCKET_PROTOCOL_ERROR_MISSING_FIELD);
}

static void
test_page_annotations_and_notes (void)
{
  g_autofree char *text = g_strdup_printf (
    "{\"cursor\": \"88\", \"more\": false, \"changes\": ["
    " {\"type\": \"annotation\", \"id\": \"3f2b8c1e-5a7d-4e2b-9c1f-0a1b2c3d4e5f\", \"deleted\": false, \"data\": %s},"
    " {\"type\": \"note\", \"id\": \"i9x\", \"deleted\": false, \"data\": %s},"
    " {\"type\": \"annotation\", \"id\": \"a-gone\", \"deleted\": true},"
    " {\"type\": \"note\", \"id\": \"d3k\", \"deleted\": true}]}",
    ANNOTATION_JSON, NOTE_JSON);
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketChangesPage) page = read_page (text, &error);
  g_autoptr(JsonNode) original = parse_ok (text);
  g_autoptr(JsonNode) written = NULL;
  g_autofree char *wrong_note_id = NULL;
  g_autofree char *wrong_annotation_id = NULL;
  DocketAnnotationRecord *annotation;
  DocketNoteRecord *note;
  DocketChangesPage *bad;

  g_assert_no_error (error);
  g_assert_cmpuint (page->changes->len, ==, 4);

  annotation = ((DocketChange *) g_ptr_array_index (page->changes, 0))->record;
  g_assert_cmpint (((DocketChange *) g_ptr_array_index (page->changes, 0))->type, ==, DOCKET_CHANGE_ANNOTATION);
  g_assert_cmpstr (annotation->document_id, ==, "d3k");
  g_assert_cmpint (annotation->page, ==, 4);
  g_assert_cmpint (annotation->kind, ==, DOCKET_ANNOTATION_HIGHLIGHT);
  g_assert_cmpstr (annotation->contents, ==, "Xem lại số liệu\nđoạn 2");
  g_assert_cmpint (annotation->created_at, ==, G_GINT64_CONSTANT (1795400000000));
  g_assert_cmpint (annotation->revision, ==, 57);

  note = ((DocketChange *) g_ptr_array_index (page->changes, 1))->record;
  g_assert_cmpint (((DocketChange *) g_ptr_array_index (page->changes, 1))->type, ==, DOCKET_CHANGE_NOTE);
  g_assert_cmpint (note->target, ==, DOCKET_NOTE_TARGET_AGENDA_ITEM);
  g_assert_cmpstr (note->target_id, ==, "i9x");
  g_assert_cmpstr (note->text, ==, "Hỏi về ngân sách\n- điểm 2");

  g_assert_true (((DocketChange *) g_ptr_array_index (page->changes, 2))->deleted);
  g_assert_cmpint (((DocketChange *) g_ptr_array_index (page->changes, 3))->type, ==, DOCKET_CHANGE_NOTE);
  g_assert_true (((DocketChange *) g_ptr_array_index (page->changes, 3))->deleted);

  written = docket_changes_page_to_json (page);
  assert_json_equal (original, written);

  /* A note's change carries its target's id; an annotation's, its own. */
  wrong_note_id = page_with_change ("note", "d3k", NOTE_JSON);
  bad = read_page (wrong_note_id, &error);
  g_assert_null (bad);
  g_assert_error (error, DOCKET_PROTOCOL_ERROR, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE);
  g_clear_error (&error);
  wrong_annotation_id = page_with_change ("annotation", "d3k", ANNOTATION_JSON);
  bad = read_page (wrong_annotation_id, &error);
  g_assert_null (bad);
  g_assert_error (error, DOCKET_PROTOCOL_ERROR, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE);
}

static void
test_annotation_built_record (void)
{
  g_autoptr(DocketAnnotationRecord) record = docket_annotation_record_new ();
  g_autoptr(DocketAnnotationRecord) reread = NULL;
  g_autoptr(DocketNoteRecord) note = docket_note_record_new ();
  g_autoptr(DocketNoteRecord) note_reread = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) note_node = NULL;
  g_autoptr(GError) error = NULL;

  record->id = g_uuid_string_random ();
  record->document_id = g_strdup ("d1");
  record->page = 99999;
  record->kind = DOCKET_ANNOTATION_INK;
  record->color = g_strdup ("#112233");
  record->geometry = g_strdup ("{\"width\":2.0,\"strokes\":[[1.0,2.0,3.5,4.25]]}");
  record->contents = g_strdup ("");
  record->created_at = 1;
  record->updated_at = 2;
  node = docket_annotation_record_to_json (record);
  reread = docket_annotation_record_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (reread->id, ==, record->id);
  g_assert_cmpint (reread->page, ==, 99999);
  g_assert_cmpint (reread->kind, ==, DOCKET_ANNOTATION_INK);
  g_assert_cmpstr (reread->geometry, ==, record->geometry);
  g_assert_cmpint (reread->revision, ==, 0);

  note->target = DOCKET_NOTE_TARGET_DOCUMENT;
  note->target_id = g_strdup ("d1");
  note->text = g_strdup ("");
  note_node = docket_note_record_to_json (note);
  note_reread = docket_note_record_from_json (note_node, &error);
  g_assert_no_error (error);
  g_assert_cmpint (note_reread->target, ==, DOCKET_NOTE_TARGET_DOCUMENT);
  g_assert_cmpstr (note_reread->text, ==, "");
}

/* ---- change pages ------------------------------------------------------------------- */

static void
test_page_round_trip (void)
{
  g_autofree char *text = g_strdup_printf (
    "{\"cursor\": \"1289\", \"more\": true, \"changes\": ["
    " {\"type\": \"meeting\", \"id\": \"m7Q2-x_1\", \"deleted\": false, \"data\": %s},"
    " {\"type\": \"agenda_item\", \"id\": \"i9x\", \"deleted\": false, \"data\": %s},"
    " {\"type\": \"document\", \"id\": \"d3k\", \"deleted\": false, \"data\": %s},"
    " {\"type\": \"document\", \"id\": \"d0a\", \"deleted\": true},"
    " {\"type\": \"agenda_item\", \"id\": \"i0\", \"deleted\": true, \"data\": null}]}",
    MEETING_JSON, ITEM_JSON, DOCUMENT_JSON);
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketChangesPage) page = read_page (text, &error);
  g_autoptr(JsonNode) original = parse_ok (text);
  g_autoptr(JsonNode) written = NULL;
  JsonArray *changes;
  DocketChange *change;

  g_assert_no_error (error);
  g_assert_cmpstr (page->cursor, ==, "1289");
  g_assert_true (page->more);
  g_assert_cmpuint (page->changes->len, ==, 5);

  change = g_ptr_array_index (page->changes, 0);
  g_assert_cmpint (change->type, ==, DOCKET_CHANGE_MEETING);
  g_assert_false (change->deleted);
  g_assert_cmpstr (((DocketMeetingRecord *) change->record)->title, ==, "Kỳ họp thứ 12, HĐND tỉnh khóa X");
  change = g_ptr_array_index (page->changes, 1);
  g_assert_cmpint (change->type, ==, DOCKET_CHANGE_AGENDA_ITEM);
  g_assert_cmpstr (((DocketAgendaItemRecord *) change->record)->parent_id, ==, "i1");
  change = g_ptr_array_index (page->changes, 2);
  g_assert_cmpint (change->type, ==, DOCKET_CHANGE_DOCUMENT);
  g_assert_cmpint (((DocketDocumentRecord *) change->record)->size, ==, 183422);
  change = g_ptr_array_index (page->changes, 3);
  g_assert_true (change->deleted);
  g_assert_cmpstr (change->id, ==, "d0a");
  g_assert_null (change->record);

  /* Written back, it is the same page, except that a deletion has no "data" at all. */
  changes = json_object_get_array_member (json_node_get_object (original), "changes");
  json_object_remove_member (json_array_get_object_element (changes, 4), "data");
  written = docket_changes_page_to_json (page);
  assert_json_equal (original, written);
}

static void
test_page_unknown_types_skipped (void)
{
  g_autofree char *text = g_strdup_printf (
    "{\"cursor\": \"9\", \"more\": false, \"changes\": ["
    " {\"type\": \"vote\", \"id\": \"v1\", \"deleted\": false, \"data\": {\"anything\": [1]}},"
    " {\"type\": \"document\", \"id\": \"d3k\", \"deleted\": false, \"data\": %s},"
    " {\"type\": \"speaker_request\", \"id\": \"not/checked\", \"whatever\": 1},"
    " {\"type\": \"document\", \"id\": \"d0a\", \"deleted\": true}]}",
    DOCUMENT_JSON);
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketChangesPage) page = read_page (text, &error);
  DocketChange *change;

  g_assert_no_error (error);
  g_assert_cmpstr (page->cursor, ==, "9");
  g_assert_false (page->more);
  g_assert_cmpuint (page->changes->len, ==, 2);
  change = g_ptr_array_index (page->changes, 0);
  g_assert_cmpstr (change->id, ==, "d3k");
  g_assert_nonnull (change->record);
  change = g_ptr_array_index (page->changes, 1);
  g_assert_cmpstr (change->id, ==, "d0a");
  g_assert_true (change->deleted);
}

static void
test_page_empty (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketChangesPage) page = read_page ("{\"cursor\": \"1289\", \"more\": false, \"changes\": []}", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (page->cursor, ==, "1289");
  g_assert_cmpuint (page->changes->len, ==, 0);
}

static char *
page_of_deletions (guint n)
{
  GString *s = g_string_new ("{\"cursor\": \"5\", \"more\": true, \"changes\": [");
  guint i;

  for (i = 0; i < n; i++)
    g_string_append_printf (s, "%s{\"type\": \"document\", \"id\": \"d%u\", \"deleted\": true}",
                            i > 0 ? "," : "", i);
  g_string_append (s, "]}");

  return g_string_free (s, FALSE);
}

static void
test_page_limits (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *at_limit = page_of_deletions (DOCKET_MAX_CHANGES_PER_PAGE);
  g_autofree char *over_limit = page_of_deletions (DOCKET_MAX_CHANGES_PER_PAGE + 1);
  g_autoptr(DocketChangesPage) page = read_page (at_limit, &error);
  DocketChangesPage *bad;

  g_assert_no_error (error);
  g_assert_cmpuint (page->changes->len, ==, DOCKET_MAX_CHANGES_PER_PAGE);

  bad = read_page (over_limit, &error);
  g_assert_null (bad);
  g_assert_error (error, DOCKET_PROTOCOL_ERROR, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE);
  g_assert_nonnull (strstr (error->message, "changes"));
}

static void
test_page_hostile (void)
{
  g_autofree char *cursor128 = quoted_repeat ("7", DOCKET_MAX_CURSOR_BYTES);
  g_autofree char *cursor129 = quoted_repeat ("7", DOCKET_MAX_CURSOR_BYTES + 1);
  g_autofree char *ok_page = NULL;
  g_autoptr(DocketChangesPage) ok = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *other_item = mutate (ITEM_JSON, "id", "\"i8\"");
  const char *bad_pages[] = {
    /* The top level. */
    "[]",
    "[{\"cursor\": \"1\", \"more\": false, \"changes\": []}]",
    "null",
    "\"cursor\"",
    /* cursor */
    "{\"more\": false, \"changes\": []}",
    "{\"cursor\": null, \"more\": false, \"changes\": []}",
    "{\"cursor\": 12, \"more\": false, \"changes\": []}",
    "{\"cursor\": \"\", \"more\": false, \"changes\": []}",
    "{\"cursor\": \"1\\u0000\", \"more\": false, \"changes\": []}",
    "{\"cursor\": \"1\\u001b\", \"more\": false, \"changes\": []}",
    /* more */
    "{\"cursor\": \"1\", \"changes\": []}",
    "{\"cursor\": \"1\", \"more\": \"true\", \"changes\": []}",
    "{\"cursor\": \"1\", \"more\": \"false\", \"changes\": []}",
    "{\"cursor\": \"1\", \"more\": 0, \"changes\": []}",
    "{\"cursor\": \"1\", \"more\": null, \"changes\": []}",
    /* changes */
    "{\"cursor\": \"1\", \"more\": false}",
    "{\"cursor\": \"1\", \"more\": false, \"changes\": {}}",
    "{\"cursor\": \"1\", \"more\": false, \"changes\": null}",
    "{\"cursor\": \"1\", \"more\": false, \"changes\": [1]}",
    "{\"cursor\": \"1\", \"more\": false, \"changes\": [null]}",
    "{\"cursor\": \"1\", \"more\": false, \"changes\": [[]]}",
    /* one change */
    "{\"cursor\": \"1\", \"more\": false, \"changes\": [{\"id\": \"d1\", \"deleted\": true}]}",
    "{\"cursor\": \"1\", \"more\": false, \"changes\": [{\"type\": 1, \"id\": \"d1\", \"deleted\": true}]}",
    "{\"cursor\": \"1\", \"more\": false, \"changes\": [{\"type\": null, \"id\": \"d1\", \"deleted\": true}]}",
    "{\"cursor\": \"1\", \"more\": false, \"changes\": [{\"type\": \"vote\", \"id\": 5}]}",
    "{\"cursor\": \"1\", \"more\": false, \"changes\": [{\"type\": \"vote\"}]}",
    "{\"cursor\": \"1\", \"more\": false, \"changes\": [{\"type\": \"document\", \"deleted\": true}]}",
    "{\"cursor\": \"1\", \"more\": false, \"changes\": [{\"type\": \"document\", \"id\": \"../d\", \"deleted\": true}]}",
    "{\"cursor\": \"1\", \"more\": false, \"changes\": [{\"type\": \"document\", \"id\": \"\", \"deleted\": true}]}",
    "{\"cursor\": \"1\", \"more\": false, \"changes\": [{\"type\": \"document\", \"id\": 1, \"deleted\": true}]}",
    "{\"cursor\": \"1\", \"more\": false, \"changes\": [{\"type\": \"document\", \"id\": \"d1\"}]}",
    "{\"cursor\": \"1\", \"more\": false, \"changes\": [{\"type\": \"document\", \"id\": \"d1\", \"deleted\": \"true\"}]}",
    "{\"cursor\": \"1\", \"more\": false, \"changes\": [{\"type\": \"document\", \"id\": \"d1\", \"deleted\": 1}]}",
    "{\"cursor\": \"1\", \"more\": false, \"changes\": [{\"type\": \"document\", \"id\": \"d1\", \"deleted\": false}]}",
    "{\"cursor\": \"1\", \"more\": false, \"changes\": [{\"type\": \"document\", \"id\": \"d1\", \"deleted\": false, \"data\": null}]}",
    "{\"cursor\": \"1\", \"more\": false, \"changes\": [{\"type\": \"document\", \"id\": \"d1\", \"deleted\": false, \"data\": []}]}",
    "{\"cursor\": \"1\", \"more\": false, \"changes\": [{\"type\": \"document\", \"id\": \"d1\", \"deleted\": false, \"data\": \"x\"}]}",
    "{\"cursor\": \"1\", \"more\": false, \"changes\": [{\"type\": \"document\", \"id\": \"d1\", \"deleted\": true, \"data\": {}}]}",
  };
  g_autofree char *long_cursor_page = g_strdup_printf ("{\"cursor\": %s, \"more\": false, \"changes\": []}", cursor129);
  /* The data's id differs from the change's id. */
  g_autofree char *other_id = page_with_change ("document", "d999", DOCUMENT_JSON);
  /* The data of the wrong type for the change's type. */
  g_autofree char *wrong_data = page_with_change ("document", "i9x", ITEM_JSON);
  g_autofree char *item_as_meeting = page_with_change ("meeting", "i9x", ITEM_JSON);
  /* A good change and then a bad one: the whole page fails. */
  g_autofree char *good_then_bad = g_strdup_printf (
    "{\"cursor\": \"3\", \"more\": false, \"changes\": ["
    " {\"type\": \"agenda_item\", \"id\": \"i9x\", \"deleted\": false, \"data\": %s},"
    " {\"type\": \"agenda_item\", \"id\": \"i7\", \"deleted\": false, \"data\": %s}]}",
    ITEM_JSON, other_item);
  const char *more_bad[] = { long_cursor_page, other_id, wrong_data, item_as_meeting, good_then_bad };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad_pages); i++)
    {
      g_autoptr(GError) local_error = NULL;
      DocketChangesPage *page = read_page (bad_pages[i], &local_error);

      if (page != NULL)
        g_error ("accepted the page %s", bad_pages[i]);
      g_assert_nonnull (local_error);
      g_assert_true (local_error->domain == DOCKET_PROTOCOL_ERROR);
    }

  for (i = 0; i < G_N_ELEMENTS (more_bad); i++)
    {
      g_autoptr(GError) local_error = NULL;
      DocketChangesPage *page = read_page (more_bad[i], &local_error);

      if (page != NULL)
        g_error ("accepted the page %s", more_bad[i]);
      g_assert_nonnull (local_error);
      g_assert_true (local_error->domain == DOCKET_PROTOCOL_ERROR);
    }

  /* The error of a change names where it is. */
  {
    g_autoptr(GError) local_error = NULL;
    DocketChangesPage *page = read_page (other_id, &local_error);

    g_assert_null (page);
    g_assert_nonnull (strstr (local_error->message, "changes[0].data.id"));
    g_clear_error (&local_error);
    page = read_page (good_then_bad, &local_error);
    g_assert_null (page);
    g_assert_nonnull (strstr (local_error->message, "changes[1].data.id"));
    g_clear_error (&local_error);
    page = read_page (long_cursor_page, &local_error);
    g_assert_null (page);
    g_assert_error (local_error, DOCKET_PROTOCOL_ERROR, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE);
    g_assert_nonnull (strstr (local_error->message, "cursor"));
  }

  /* And a cursor of exactly 128 bytes is fine. */
  ok_page = g_strdup_printf ("{\"cursor\": %s, \"more\": false, \"changes\": []}", cursor128);
  ok = read_page (ok_page, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (ok->cursor), ==, DOCKET_MAX_CURSOR_BYTES);
}

static void
test_change_new_free (void)
{
  DocketDocumentRecord *record = docket_document_record_new ();
  g_autoptr(DocketChange) change = NULL;
  g_autoptr(DocketChangesPage) page = docket_changes_page_new ();
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;

  record->id = g_strdup ("d1");
  change = docket_change_new (DOCKET_CHANGE_DOCUMENT, "d1", FALSE, record);
  node = docket_change_to_json (change);
  object = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (object, "type"), ==, "document");
  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, "d1");
  g_assert_false (json_object_get_boolean_member (object, "deleted"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "data"), "id"), ==, "d1");

  g_ptr_array_add (page->changes, docket_change_new (DOCKET_CHANGE_MEETING, "m1", TRUE, NULL));
  g_clear_pointer (&node, json_node_unref);
  node = docket_changes_page_to_json (page);
  object = json_array_get_object_element (json_object_get_array_member (json_node_get_object (node), "changes"), 0);
  g_assert_true (json_object_get_boolean_member (object, "deleted"));
  g_assert_false (json_object_has_member (object, "data"));

  /* Every free function takes NULL. */
  docket_participant_free (NULL);
  docket_meeting_record_free (NULL);
  docket_agenda_item_record_free (NULL);
  docket_document_record_free (NULL);
  docket_change_free (NULL);
  docket_changes_page_free (NULL);
  g_assert_null (docket_meeting_record_copy (NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/codec/validators", test_validators);
  g_test_add_func ("/codec/time", test_time);
  g_test_add_func ("/codec/time/odd-offset", test_format_time_odd_offset);
  g_test_add_func ("/codec/error-to-json", test_error_to_json);
  g_test_add_func ("/codec/enums", test_enums);
  g_test_add_func ("/codec/parse-json", test_parse_json);
  g_test_add_data_func ("/codec/round-trip/meeting", GINT_TO_POINTER (KIND_MEETING), test_round_trip);
  g_test_add_data_func ("/codec/round-trip/agenda-item", GINT_TO_POINTER (KIND_ITEM), test_round_trip);
  g_test_add_data_func ("/codec/round-trip/document", GINT_TO_POINTER (KIND_DOCUMENT), test_round_trip);
  g_test_add_data_func ("/codec/round-trip/annotation", GINT_TO_POINTER (KIND_ANNOTATION), test_round_trip);
  g_test_add_data_func ("/codec/round-trip/note", GINT_TO_POINTER (KIND_NOTE), test_round_trip);
  g_test_add_func ("/codec/annotation/geometry", test_annotation_geometry);
  g_test_add_func ("/codec/annotation/geometry-limits", test_annotation_geometry_limits);
  g_test_add_func ("/codec/annotation/broken-geometry-text", test_annotation_broken_geometry_text);
  g_test_add_func ("/codec/annotation/built-records", test_annotation_built_record);
  g_test_add_func ("/codec/page/annotations-and-notes", test_page_annotations_and_notes);
  g_test_add_func ("/codec/meeting/fields", test_meeting_fields);
  g_test_add_func ("/codec/built-records", test_built_records);
  g_test_add_func ("/codec/optional-and-lenient", test_optional_and_lenient);
  g_test_add_func ("/codec/hostile/fields", test_hostile_fields);
  g_test_add_func ("/codec/hostile/participant-limit", test_participant_limit);
  g_test_add_func ("/codec/hostile/own-parent", test_item_own_parent);
  g_test_add_func ("/codec/hostile/not-objects", test_not_objects);
  g_test_add_func ("/codec/page/round-trip", test_page_round_trip);
  g_test_add_func ("/codec/page/unknown-types-skipped", test_page_unknown_types_skipped);
  g_test_add_func ("/codec/page/empty", test_page_empty);
  g_test_add_func ("/codec/page/limits", test_page_limits);
  g_test_add_func ("/codec/page/hostile", test_page_hostile);
  g_test_add_func ("/codec/change-new-free", test_change_new_free);

  return g_test_run ();
}
