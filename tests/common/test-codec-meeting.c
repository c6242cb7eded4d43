/* test-codec-meeting.c: a meeting and its participants to JSON and back (common/docket-codec-meeting.c)
 *
 * Every hostile input goes the way a real one does: raw text through
 * docket_protocol_parse_json (), then the record's *_from_json (), and must fail with a
 * DOCKET_PROTOCOL_ERROR. When the record reader is the one that refuses it, the message
 * must name the field. Each record mutation is also tried inside a change page, where
 * the message must name the field by its path in the page (codec-test-util.c).
 */
#include "config.h"

#include "codec-test-util.h"

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
  g_assert_cmpint (record->quorum, ==, DOCKET_QUORUM_TWO_THIRDS);
  g_assert_cmpint (record->version, ==, 42);
  g_assert_cmpuint (record->participants->len, ==, 2);
  p = g_ptr_array_index (record->participants, 0);
  g_assert_cmpstr (p->username, ==, "nguyenvana");
  g_assert_cmpstr (p->display_name, ==, "Nguyễn Văn A");
  g_assert_cmpint (p->role, ==, DOCKET_ROLE_OFFICIAL);
  g_assert_cmpint (p->meeting_role, ==, DOCKET_MEETING_ROLE_CHAIR);
  p = g_ptr_array_index (record->participants, 1);
  g_assert_cmpint (p->role, ==, DOCKET_ROLE_SECRETARY);
  g_assert_cmpint (p->meeting_role, ==, DOCKET_MEETING_ROLE_SECRETARY);
}

static void
test_built_records (void)
{
  g_autoptr(DocketMeetingRecord) meeting = docket_meeting_record_new ();
  g_autoptr(DocketMeetingRecord) meeting_back = NULL;
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
}

/* ---- hostile records ---------------------------------------------------------------- */

/* Every field of the record and the class of values it takes. */
static const struct {
  const char *field;
  FieldClass  klass;
} fields[] = {
  { "id",           CLASS_ID },
  { "title",        CLASS_TITLE },
  { "organ",        CLASS_SHORT },
  { "starts_at",    CLASS_TIME },
  { "ends_at",      CLASS_TIME },
  { "time_zone",    CLASS_SHORT_REQUIRED },
  { "location",     CLASS_SHORT },
  { "status",       CLASS_STATUS },
  { "quorum",       CLASS_OPTIONAL_NAME },
  { "version",      CLASS_VERSION },
  { "participants", CLASS_PARTICIPANTS },
};

static void
test_hostile_fields (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    refuse_field (KIND_MEETING, fields[i].field, fields[i].klass);
}

static void
test_not_objects (void)
{
  assert_not_objects (KIND_MEETING);
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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/codec/round-trip/meeting", GINT_TO_POINTER (KIND_MEETING), test_round_trip);
  g_test_add_func ("/codec/meeting/fields", test_meeting_fields);
  g_test_add_func ("/codec/built-records/meeting", test_built_records);
  g_test_add_func ("/codec/hostile/fields/meeting", test_hostile_fields);
  g_test_add_func ("/codec/hostile/participant-limit", test_participant_limit);
  g_test_add_func ("/codec/hostile/not-objects/meeting", test_not_objects);

  return g_test_run ();
}
