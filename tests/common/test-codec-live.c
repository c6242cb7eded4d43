/* test-codec-live.c: the live meeting's records, rules and values (common/docket-codec-
 * meeting-state.c, -attendance.c, -speech.c; their records and enums in docket-records.c;
 * the rules in docket-protocol.c), and how meeting roles and quorum ride on a meeting
 *
 * Hostile input goes the way a real one does (codec-test-util.c): raw text through
 * docket_protocol_parse_json (), then the record's reader, alone and inside a change page,
 * and must fail with an error that names the field. Values a later server may add (a
 * phase, a role, a change type) are kept as unknown, never a reason to refuse a page.
 */
#include "config.h"

#include <string.h>

#include "codec-test-util.h"

/* ---- enums and rules ---------------------------------------------------------------- */

static void
test_enum_names (void)
{
  DocketMeetingRole role;
  DocketQuorumRule rule;
  DocketMeetingPhase phase;
  DocketPresence presence;
  DocketSpeechState state;
  DocketMeetingStatus status;

  g_assert_true (docket_meeting_role_from_string ("secretary", &role));
  g_assert_cmpint (role, ==, DOCKET_MEETING_ROLE_SECRETARY);
  g_assert_cmpstr (docket_meeting_role_to_string (DOCKET_MEETING_ROLE_CHAIR), ==, "chair");
  g_assert_cmpstr (docket_meeting_role_to_string (DOCKET_MEETING_ROLE_GUEST), ==, "guest");
  g_assert_cmpstr (docket_meeting_role_to_string (DOCKET_MEETING_ROLE_MEMBER), ==, "member");

  g_assert_true (docket_quorum_rule_from_string ("two_thirds", &rule));
  g_assert_cmpint (rule, ==, DOCKET_QUORUM_TWO_THIRDS);
  g_assert_cmpstr (docket_quorum_rule_to_string (DOCKET_QUORUM_MAJORITY), ==, "majority");

  g_assert_true (docket_meeting_phase_from_string ("in_session", &phase));
  g_assert_cmpint (phase, ==, DOCKET_MEETING_PHASE_IN_SESSION);
  g_assert_cmpstr (docket_meeting_phase_to_string (DOCKET_MEETING_PHASE_NOT_STARTED), ==, "not_started");
  g_assert_cmpstr (docket_meeting_phase_to_string (DOCKET_MEETING_PHASE_ENDED), ==, "ended");

  g_assert_true (docket_presence_from_string ("remote", &presence));
  g_assert_cmpint (presence, ==, DOCKET_PRESENCE_REMOTE);
  g_assert_cmpstr (docket_presence_to_string (DOCKET_PRESENCE_ABSENT), ==, "absent");
  g_assert_cmpstr (docket_presence_to_string (DOCKET_PRESENCE_PRESENT), ==, "present");

  g_assert_true (docket_speech_state_from_string ("withdrawn", &state));
  g_assert_cmpint (state, ==, DOCKET_SPEECH_WITHDRAWN);
  g_assert_cmpstr (docket_speech_state_to_string (DOCKET_SPEECH_WAITING), ==, "waiting");
  g_assert_cmpstr (docket_speech_state_to_string (DOCKET_SPEECH_SPEAKING), ==, "speaking");
  g_assert_cmpstr (docket_speech_state_to_string (DOCKET_SPEECH_DONE), ==, "done");

  /* A word of a later version: kept as unknown, written back as "unknown". */
  g_assert_true (docket_meeting_role_from_string ("vice_chair", &role));
  g_assert_cmpint (role, ==, DOCKET_MEETING_ROLE_UNKNOWN);
  g_assert_true (docket_quorum_rule_from_string ("three_quarters", &rule));
  g_assert_cmpint (rule, ==, DOCKET_QUORUM_UNKNOWN);
  g_assert_true (docket_meeting_phase_from_string ("adjourned", &phase));
  g_assert_cmpint (phase, ==, DOCKET_MEETING_PHASE_UNKNOWN);
  g_assert_true (docket_presence_from_string ("excused", &presence));
  g_assert_cmpint (presence, ==, DOCKET_PRESENCE_UNKNOWN);
  g_assert_true (docket_speech_state_from_string ("muted2", &state));
  g_assert_cmpint (state, ==, DOCKET_SPEECH_UNKNOWN);
  g_assert_true (docket_meeting_status_from_string ("archived", &status));
  g_assert_cmpint (status, ==, DOCKET_MEETING_STATUS_UNKNOWN);
  g_assert_true (docket_meeting_status_from_string ("unknown", &status));
  g_assert_cmpint (status, ==, DOCKET_MEETING_STATUS_UNKNOWN);
  g_assert_cmpstr (docket_meeting_role_to_string (DOCKET_MEETING_ROLE_UNKNOWN), ==, "unknown");
  g_assert_cmpstr (docket_quorum_rule_to_string (DOCKET_QUORUM_UNKNOWN), ==, "unknown");
  g_assert_cmpstr (docket_meeting_phase_to_string (DOCKET_MEETING_PHASE_UNKNOWN), ==, "unknown");
  g_assert_cmpstr (docket_presence_to_string (DOCKET_PRESENCE_UNKNOWN), ==, "unknown");
  g_assert_cmpstr (docket_speech_state_to_string (DOCKET_SPEECH_UNKNOWN), ==, "unknown");
  g_assert_cmpstr (docket_meeting_status_to_string (DOCKET_MEETING_STATUS_UNKNOWN), ==, "unknown");
  g_assert_cmpstr (docket_role_to_string (DOCKET_ROLE_UNKNOWN), ==, "unknown");
  /* Without a place for the value: only the answer. */
  g_assert_true (docket_presence_from_string ("present", NULL));

  /* Not a word at all: refused, the value untouched. */
  role = DOCKET_MEETING_ROLE_GUEST;
  g_assert_false (docket_meeting_role_from_string ("Chair", &role));
  g_assert_false (docket_meeting_role_from_string ("vice chair", &role));
  g_assert_false (docket_meeting_role_from_string ("vice-chair", &role));
  g_assert_false (docket_meeting_role_from_string ("", &role));
  g_assert_false (docket_meeting_role_from_string (NULL, &role));
  g_assert_false (docket_meeting_role_from_string ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", &role));
  g_assert_cmpint (role, ==, DOCKET_MEETING_ROLE_GUEST);
  g_assert_true (docket_meeting_role_from_string ("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", &role));
  g_assert_false (docket_speech_state_from_string ("done\n", &state));
  g_assert_false (docket_quorum_rule_from_string ("2/3", &rule));
}

static void
test_change_type_codes (void)
{
  /* The codes of the reference server's cursors ("EPOCH-N.T.ID"), fixed by the protocol. */
  g_assert_cmpint (DOCKET_CHANGE_NOTE, ==, 4);
  g_assert_cmpint (DOCKET_CHANGE_MEETING_STATE, ==, 5);
  g_assert_cmpint (DOCKET_CHANGE_ATTENDANCE, ==, 6);
  g_assert_cmpint (DOCKET_CHANGE_SPEECH, ==, 7);
  g_assert_cmpstr (docket_change_type_to_string (DOCKET_CHANGE_MEETING_STATE), ==, "meeting_state");
  g_assert_cmpstr (docket_change_type_to_string (DOCKET_CHANGE_ATTENDANCE), ==, "attendance");
  g_assert_cmpstr (docket_change_type_to_string (DOCKET_CHANGE_SPEECH), ==, "speech");
}

static void
test_quorum_needed (void)
{
  static const struct {
    guint members;
    guint majority;
    guint two_thirds;
  } cases[] = {
    /* Nobody checked in is never quorum, whatever the rule. */
    { 0, 1, 1 },
    { 1, 1, 1 },
    { 2, 2, 2 },
    { 3, 2, 2 },
    { 12, 7, 8 },
    { 13, 7, 9 },
    { 500, 251, 334 },
    { G_MAXUINT, G_MAXUINT / 2 + 1, 2863311530u },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%u members", cases[i].members);
      g_assert_cmpuint (docket_quorum_needed (DOCKET_QUORUM_MAJORITY, cases[i].members), ==, cases[i].majority);
      g_assert_cmpuint (docket_quorum_needed (DOCKET_QUORUM_TWO_THIRDS, cases[i].members), ==, cases[i].two_thirds);
      /* A rule of a later version: no quorum can be told. */
      g_assert_cmpuint (docket_quorum_needed (DOCKET_QUORUM_UNKNOWN, cases[i].members), ==, 0);
    }
}

static void
test_role_and_presence_rules (void)
{
  g_assert_true (docket_meeting_role_counts_for_quorum (DOCKET_MEETING_ROLE_CHAIR));
  g_assert_true (docket_meeting_role_counts_for_quorum (DOCKET_MEETING_ROLE_MEMBER));
  g_assert_false (docket_meeting_role_counts_for_quorum (DOCKET_MEETING_ROLE_GUEST));
  g_assert_false (docket_meeting_role_counts_for_quorum (DOCKET_MEETING_ROLE_SECRETARY));
  g_assert_false (docket_meeting_role_counts_for_quorum (DOCKET_MEETING_ROLE_UNKNOWN));

  g_assert_true (docket_meeting_role_runs_meeting (DOCKET_MEETING_ROLE_CHAIR));
  g_assert_true (docket_meeting_role_runs_meeting (DOCKET_MEETING_ROLE_SECRETARY));
  g_assert_false (docket_meeting_role_runs_meeting (DOCKET_MEETING_ROLE_MEMBER));
  g_assert_false (docket_meeting_role_runs_meeting (DOCKET_MEETING_ROLE_GUEST));
  g_assert_false (docket_meeting_role_runs_meeting (DOCKET_MEETING_ROLE_UNKNOWN));

  g_assert_true (docket_presence_is_checked_in (DOCKET_PRESENCE_PRESENT));
  g_assert_true (docket_presence_is_checked_in (DOCKET_PRESENCE_REMOTE));
  g_assert_false (docket_presence_is_checked_in (DOCKET_PRESENCE_ABSENT));
  g_assert_false (docket_presence_is_checked_in (DOCKET_PRESENCE_UNKNOWN));
}

/* ---- meeting roles and quorum on a meeting ------------------------------------------ */

/* A meeting of the JSON of servers before meeting roles: no "quorum", no "meeting_role". */
static void
test_meeting_without_roles (void)
{
  g_autofree char *without_quorum = mutate (MEETING_JSON, "quorum", NULL);
  g_autofree char *text = mutate (without_quorum, "participants",
                                  "[{\"username\": \"a\", \"display_name\": \"A\", \"role\": \"official\"},"
                                  " {\"username\": \"b\", \"display_name\": \"B\", \"role\": \"official\","
                                  "  \"meeting_role\": null}]");
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketMeetingRecord) record = read_record (KIND_MEETING, text, &error);
  g_autoptr(JsonNode) written = NULL;
  JsonObject *object;
  JsonObject *participant;

  g_assert_no_error (error);
  g_assert_cmpint (record->quorum, ==, DOCKET_QUORUM_MAJORITY);
  g_assert_cmpuint (record->participants->len, ==, 2);
  for (guint i = 0; i < record->participants->len; i++)
    g_assert_cmpint (((DocketParticipant *) g_ptr_array_index (record->participants, i))->meeting_role, ==,
                     DOCKET_MEETING_ROLE_MEMBER);

  /* The writer always writes both. */
  written = docket_meeting_record_to_json (record);
  object = json_node_get_object (written);
  g_assert_cmpstr (json_object_get_string_member (object, "quorum"), ==, "majority");
  participant = json_array_get_object_element (json_object_get_array_member (object, "participants"), 0);
  g_assert_cmpstr (json_object_get_string_member (participant, "meeting_role"), ==, "member");
}

/* A later server's values in a meeting: kept as unknown, and the page that brings them
 * is read whole. */
static void
test_meeting_with_unknown_values (void)
{
  g_autofree char *with_status = mutate (MEETING_JSON, "status", "\"archived\"");
  g_autofree char *with_quorum = mutate (with_status, "quorum", "\"three_quarters\"");
  g_autofree char *text = mutate (with_quorum, "participants",
                                  "[{\"username\": \"a\", \"display_name\": \"A\", \"role\": \"auditor\","
                                  "  \"meeting_role\": \"observer\"},"
                                  " {\"username\": \"b\", \"display_name\": \"B\", \"role\": \"official\","
                                  "  \"meeting_role\": \"guest\"}]");
  g_autofree char *page_text = g_strdup_printf (
    "{\"cursor\": \"9\", \"more\": false, \"changes\": ["
    " {\"type\": \"meeting\", \"id\": \"m7Q2-x_1\", \"deleted\": false, \"data\": %s},"
    " {\"type\": \"vote\", \"id\": \"v1\", \"deleted\": false, \"data\": {\"ballot\": [1]}},"
    " {\"type\": \"agenda_item\", \"id\": \"i9x\", \"deleted\": false, \"data\": %s}]}",
    text, ITEM_JSON);
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketChangesPage) page = read_page (page_text, &error);
  g_autoptr(DocketMeetingRecord) copy = NULL;
  DocketMeetingRecord *record;
  DocketParticipant *a, *b;

  g_assert_no_error (error);
  g_assert_cmpuint (page->changes->len, ==, 2);   /* the vote is skipped */
  record = ((DocketChange *) g_ptr_array_index (page->changes, 0))->record;
  g_assert_cmpint (record->status, ==, DOCKET_MEETING_STATUS_UNKNOWN);
  g_assert_cmpint (record->quorum, ==, DOCKET_QUORUM_UNKNOWN);
  a = g_ptr_array_index (record->participants, 0);
  b = g_ptr_array_index (record->participants, 1);
  g_assert_cmpint (a->role, ==, DOCKET_ROLE_UNKNOWN);
  g_assert_cmpint (a->meeting_role, ==, DOCKET_MEETING_ROLE_UNKNOWN);
  g_assert_cmpint (b->meeting_role, ==, DOCKET_MEETING_ROLE_GUEST);
  g_assert_cmpint (((DocketChange *) g_ptr_array_index (page->changes, 1))->type, ==, DOCKET_CHANGE_AGENDA_ITEM);

  /* A copy keeps them; the record is valid as it is (a client stores it). */
  copy = docket_meeting_record_copy (record);
  g_assert_cmpint (copy->quorum, ==, DOCKET_QUORUM_UNKNOWN);
  g_assert_cmpint (((DocketParticipant *) g_ptr_array_index (copy->participants, 0))->meeting_role, ==,
                   DOCKET_MEETING_ROLE_UNKNOWN);
  g_assert_cmpint (((DocketParticipant *) g_ptr_array_index (copy->participants, 1))->meeting_role, ==,
                   DOCKET_MEETING_ROLE_GUEST);
  g_assert_true (docket_meeting_record_validate (copy, &error));
  g_assert_no_error (error);
}

static void
test_meeting_role_in_built_records (void)
{
  g_autoptr(DocketMeetingRecord) meeting = docket_meeting_record_new ();
  g_autoptr(DocketParticipant) plain = docket_participant_new ("a", "A", DOCKET_ROLE_OFFICIAL);
  g_autoptr(GError) error = NULL;
  DocketParticipant *chair;

  g_assert_cmpint (meeting->quorum, ==, DOCKET_QUORUM_MAJORITY);
  g_assert_cmpint (plain->meeting_role, ==, DOCKET_MEETING_ROLE_MEMBER);

  meeting->id = g_strdup ("m1");
  meeting->title = g_strdup ("Họp");
  meeting->organ = g_strdup ("");
  meeting->starts_at = g_date_time_new_utc (2026, 11, 22, 1, 0, 0);
  meeting->ends_at = g_date_time_new_utc (2026, 11, 22, 4, 0, 0);
  meeting->time_zone = g_strdup ("UTC");
  meeting->location = g_strdup ("");
  chair = docket_participant_new ("chu.tich", "Chủ tịch", DOCKET_ROLE_OFFICIAL);
  chair->meeting_role = DOCKET_MEETING_ROLE_CHAIR;
  g_ptr_array_add (meeting->participants, chair);
  g_assert_true (docket_meeting_record_validate (meeting, &error));

  /* Values that are no value of the enums: a bug of the caller, refused by name. */
  meeting->quorum = DOCKET_QUORUM_UNKNOWN + 1;
  g_assert_false (docket_meeting_record_validate (meeting, &error));
  g_assert_error (error, DOCKET_PROTOCOL_ERROR, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE);
  g_assert_nonnull (strstr (error->message, "meeting.quorum"));
  g_clear_error (&error);
  meeting->quorum = DOCKET_QUORUM_TWO_THIRDS;
  chair->meeting_role = DOCKET_MEETING_ROLE_UNKNOWN + 1;
  g_assert_false (docket_meeting_record_validate (meeting, &error));
  g_assert_nonnull (strstr (error->message, "meeting.participants[0].meeting_role"));
}

/* ---- the live records: round trips and what they hold ------------------------------- */

static void
test_meeting_state_fields (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketMeetingStateRecord) record = read_record (KIND_MEETING_STATE, MEETING_STATE_JSON, &error);
  g_autoptr(GDateTime) started = g_date_time_new_from_iso8601 ("2026-11-22T01:03:12Z", NULL);

  g_assert_no_error (error);
  g_assert_cmpstr (record->meeting_id, ==, "m7Q2-x_1");
  g_assert_cmpint (record->phase, ==, DOCKET_MEETING_PHASE_IN_SESSION);
  g_assert_true (g_date_time_equal (record->started_at, started));
  g_assert_null (record->ended_at);
  g_assert_cmpstr (record->current_item_id, ==, "i9x");
  g_assert_cmpstr (record->presented_document_id, ==, "d3k");
  g_assert_cmpint (record->presented_page, ==, 4);
  g_assert_cmpint (record->speech_limit_seconds, ==, 300);
  g_assert_cmpint (record->version, ==, 57);
}

/* A state as a meeting that never started has it: nulls, no presentation, absent
 * optional members read as null. */
static void
test_meeting_state_empty (void)
{
  static const char *text =
    "{\"meeting_id\": \"m1\", \"phase\": \"not_started\", \"started_at\": null,"
    " \"current_item_id\": null, \"presentation\": null, \"speech_limit_seconds\": 0, \"version\": 0}";
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketMeetingStateRecord) record = read_record (KIND_MEETING_STATE, text, &error);
  g_autoptr(DocketMeetingStateRecord) built = docket_meeting_state_record_new ();
  g_autoptr(JsonNode) written = NULL;
  JsonObject *object;

  g_assert_no_error (error);
  g_assert_cmpint (record->phase, ==, DOCKET_MEETING_PHASE_NOT_STARTED);
  g_assert_null (record->started_at);
  g_assert_null (record->ended_at);
  g_assert_null (record->current_item_id);
  g_assert_null (record->presented_document_id);
  g_assert_cmpint (record->presented_page, ==, 0);

  /* A new record is such a state; it writes every member, nulls as null. */
  g_assert_cmpint (built->phase, ==, DOCKET_MEETING_PHASE_NOT_STARTED);
  built->meeting_id = g_strdup ("m1");
  written = docket_meeting_state_record_to_json (built);
  object = json_node_get_object (written);
  g_assert_cmpstr (json_object_get_string_member (object, "phase"), ==, "not_started");
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (object, "started_at")));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (object, "ended_at")));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (object, "current_item_id")));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (object, "presentation")));
  g_assert_cmpint (json_object_get_int_member (object, "speech_limit_seconds"), ==, 0);
  g_assert_true (docket_meeting_state_record_validate (built, &error));
  g_assert_no_error (error);
}

static void
test_attendance_fields (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketAttendanceRecord) record = read_record (KIND_ATTENDANCE, ATTENDANCE_JSON, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (record->id, ==, "a5c");
  g_assert_cmpstr (record->meeting_id, ==, "m7Q2-x_1");
  g_assert_cmpstr (record->username, ==, "nguyenvana");
  g_assert_cmpint (record->presence, ==, DOCKET_PRESENCE_REMOTE);
  g_assert_cmpint (g_date_time_get_utc_offset (record->since), ==, 7 * G_TIME_SPAN_HOUR);
  g_assert_cmpint (record->version, ==, 60);
}

static void
test_speech_fields (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketSpeechRecord) record = read_record (KIND_SPEECH, SPEECH_JSON, &error);
  g_autofree char *waiting_text = NULL;
  g_autofree char *waiting_no_start = NULL;
  g_autoptr(DocketSpeechRecord) waiting = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (record->id, ==, "s2f");
  g_assert_cmpstr (record->username, ==, "tranthib");
  g_assert_cmpint (record->state, ==, DOCKET_SPEECH_SPEAKING);
  g_assert_cmpint (record->number, ==, 61);
  g_assert_nonnull (record->requested_at);
  g_assert_nonnull (record->started_at);
  g_assert_null (record->ended_at);
  g_assert_cmpint (record->limit_seconds, ==, 300);
  g_assert_cmpint (record->version, ==, 64);

  /* A waiting speech: no start, no end (null or absent). */
  waiting_text = mutate (SPEECH_JSON, "state", "\"waiting\"");
  waiting_no_start = mutate (waiting_text, "started_at", "null");
  waiting = read_record (KIND_SPEECH, waiting_no_start, &error);
  g_assert_no_error (error);
  g_assert_null (waiting->started_at);
  g_clear_pointer (&waiting, docket_speech_record_free);
  g_free (waiting_no_start);
  waiting_no_start = mutate (waiting_text, "started_at", NULL);
  waiting = read_record (KIND_SPEECH, waiting_no_start, &error);
  g_assert_no_error (error);
  g_assert_null (waiting->started_at);
  g_assert_cmpint (waiting->state, ==, DOCKET_SPEECH_WAITING);
}

/* Values a later server may send in live records: kept as unknown, written as "unknown". */
static void
test_live_unknown_values (void)
{
  g_autofree char *state_text = mutate (MEETING_STATE_JSON, "phase", "\"suspended\"");
  g_autofree char *attendance_text = mutate (ATTENDANCE_JSON, "presence", "\"excused\"");
  g_autofree char *speech_text = mutate (SPEECH_JSON, "state", "\"interrupted\"");
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketMeetingStateRecord) state = read_record (KIND_MEETING_STATE, state_text, &error);
  g_autoptr(DocketAttendanceRecord) attendance = NULL;
  g_autoptr(DocketSpeechRecord) speech = NULL;
  g_autoptr(JsonNode) written = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (state->phase, ==, DOCKET_MEETING_PHASE_UNKNOWN);
  attendance = read_record (KIND_ATTENDANCE, attendance_text, &error);
  g_assert_no_error (error);
  g_assert_cmpint (attendance->presence, ==, DOCKET_PRESENCE_UNKNOWN);
  speech = read_record (KIND_SPEECH, speech_text, &error);
  g_assert_no_error (error);
  g_assert_cmpint (speech->state, ==, DOCKET_SPEECH_UNKNOWN);

  written = docket_speech_record_to_json (speech);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (written), "state"), ==, "unknown");
}

/* Each limit, at it and one past it. */
static void
test_live_limits (void)
{
  static const struct {
    Kind        kind;
    const char *field;
    const char *value;
    gboolean    accepted;
  } cases[] = {
    { KIND_MEETING_STATE, "speech_limit_seconds", "86400", TRUE },
    { KIND_MEETING_STATE, "speech_limit_seconds", "86401", FALSE },
    { KIND_MEETING_STATE, "speech_limit_seconds", "-1", FALSE },
    { KIND_MEETING_STATE, "presentation", "{\"document_id\": \"d3k\", \"page\": 99999}", TRUE },
    { KIND_MEETING_STATE, "presentation", "{\"document_id\": \"d3k\", \"page\": 100000}", FALSE },
    { KIND_MEETING_STATE, "presentation", "{\"document_id\": \"d3k\", \"page\": 0}", TRUE },
    { KIND_MEETING_STATE, "version", "9007199254740991", TRUE },
    { KIND_MEETING_STATE, "version", "9007199254740992", FALSE },
    { KIND_SPEECH, "limit_seconds", "86400", TRUE },
    { KIND_SPEECH, "limit_seconds", "86401", FALSE },
    { KIND_SPEECH, "number", "9007199254740991", TRUE },
    { KIND_SPEECH, "number", "0", TRUE },
    { KIND_SPEECH, "number", "-1", FALSE },
    { KIND_ATTENDANCE, "username", "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"", TRUE },
    { KIND_ATTENDANCE, "since", "\"2026-11-22T00:58:40Z\"", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;
      gpointer record;

      g_test_message ("%s = %s", cases[i].field, cases[i].value);
      text = mutate (cases[i].kind == KIND_MEETING_STATE ? MEETING_STATE_JSON :
                     cases[i].kind == KIND_SPEECH ? SPEECH_JSON : ATTENDANCE_JSON,
                     cases[i].field, cases[i].value);
      if (!cases[i].accepted)
        {
          assert_refused (cases[i].kind, cases[i].field, cases[i].value);
          continue;
        }
      record = read_record (cases[i].kind, text, &error);
      g_assert_no_error (error);
      g_assert_nonnull (record);
      free_record (cases[i].kind, record);
    }
}

/* What the server runs before it stores: every limit, named as on the wire. */
static void
test_live_validation (void)
{
  g_autoptr(DocketMeetingStateRecord) state = docket_meeting_state_record_new ();
  g_autoptr(DocketAttendanceRecord) attendance = docket_attendance_record_new ();
  g_autoptr(DocketSpeechRecord) speech = docket_speech_record_new ();
  g_autoptr(GError) error = NULL;

  /* A new record misses its ids. */
  g_assert_false (docket_meeting_state_record_validate (state, &error));
  g_assert_error (error, DOCKET_PROTOCOL_ERROR, DOCKET_PROTOCOL_ERROR_MISSING_FIELD);
  g_assert_nonnull (strstr (error->message, "meeting_state.meeting_id"));
  g_clear_error (&error);

  state->meeting_id = g_strdup ("m1");
  g_assert_true (docket_meeting_state_record_validate (state, &error));

  /* A page without a document to show it from. */
  state->presented_page = 3;
  g_assert_false (docket_meeting_state_record_validate (state, &error));
  g_assert_nonnull (strstr (error->message, "meeting_state.presentation.page"));
  g_clear_error (&error);
  state->presented_document_id = g_strdup ("d1");
  g_assert_true (docket_meeting_state_record_validate (state, &error));
  state->presented_page = DOCKET_MAX_PAGES;
  g_assert_false (docket_meeting_state_record_validate (state, &error));
  g_assert_nonnull (strstr (error->message, "meeting_state.presentation.page"));
  g_clear_error (&error);
  state->presented_page = 0;
  state->current_item_id = g_strdup ("../x");
  g_assert_false (docket_meeting_state_record_validate (state, &error));
  g_assert_nonnull (strstr (error->message, "meeting_state.current_item_id"));
  g_clear_error (&error);
  g_clear_pointer (&state->current_item_id, g_free);
  state->speech_limit_seconds = DOCKET_MAX_SPEECH_LIMIT_SECONDS + 1;
  g_assert_false (docket_meeting_state_record_validate (state, &error));
  g_assert_nonnull (strstr (error->message, "meeting_state.speech_limit_seconds"));
  g_clear_error (&error);
  state->speech_limit_seconds = 0;
  state->phase = DOCKET_MEETING_PHASE_UNKNOWN + 1;
  g_assert_false (docket_meeting_state_record_validate (state, &error));
  g_assert_nonnull (strstr (error->message, "meeting_state.phase"));
  g_clear_error (&error);

  attendance->id = g_strdup ("a1");
  attendance->meeting_id = g_strdup ("m1");
  attendance->username = g_strdup ("daibieu1");
  g_assert_false (docket_attendance_record_validate (attendance, &error));
  g_assert_nonnull (strstr (error->message, "attendance.since"));
  g_clear_error (&error);
  attendance->since = g_date_time_new_now_utc ();
  g_assert_true (docket_attendance_record_validate (attendance, &error));
  g_free (attendance->username);
  attendance->username = g_strdup ("Dai Bieu");
  g_assert_false (docket_attendance_record_validate (attendance, &error));
  g_assert_nonnull (strstr (error->message, "attendance.username"));
  g_clear_error (&error);

  speech->id = g_strdup ("s1");
  speech->meeting_id = g_strdup ("m1");
  speech->username = g_strdup ("daibieu1");
  speech->requested_at = g_date_time_new_now_utc ();
  g_assert_true (docket_speech_record_validate (speech, &error));
  speech->number = DOCKET_MAX_VERSION + 1;
  g_assert_false (docket_speech_record_validate (speech, &error));
  g_assert_nonnull (strstr (error->message, "speech.number"));
  g_clear_error (&error);
  speech->number = 1;
  speech->limit_seconds = -1;
  g_assert_false (docket_speech_record_validate (speech, &error));
  g_assert_nonnull (strstr (error->message, "speech.limit_seconds"));
}

/* ---- hostile live records ----------------------------------------------------------- */

static const struct {
  Kind        kind;
  const char *field;
  FieldClass  klass;
} fields[] = {
  { KIND_MEETING_STATE, "meeting_id",           CLASS_ID },
  { KIND_MEETING_STATE, "phase",                CLASS_NAME },
  { KIND_MEETING_STATE, "started_at",           CLASS_OPTIONAL_TIME },
  { KIND_MEETING_STATE, "ended_at",             CLASS_OPTIONAL_TIME },
  { KIND_MEETING_STATE, "current_item_id",      CLASS_OPTIONAL_ID },
  { KIND_MEETING_STATE, "presentation",         CLASS_PRESENTATION },
  { KIND_MEETING_STATE, "speech_limit_seconds", CLASS_SECONDS },
  { KIND_MEETING_STATE, "version",              CLASS_VERSION },
  { KIND_ATTENDANCE,    "id",                   CLASS_ID },
  { KIND_ATTENDANCE,    "meeting_id",           CLASS_ID },
  { KIND_ATTENDANCE,    "username",             CLASS_USERNAME },
  { KIND_ATTENDANCE,    "presence",             CLASS_NAME },
  { KIND_ATTENDANCE,    "since",                CLASS_TIME },
  { KIND_ATTENDANCE,    "version",              CLASS_VERSION },
  { KIND_SPEECH,        "id",                   CLASS_ID },
  { KIND_SPEECH,        "meeting_id",           CLASS_ID },
  { KIND_SPEECH,        "username",             CLASS_USERNAME },
  { KIND_SPEECH,        "state",                CLASS_NAME },
  { KIND_SPEECH,        "number",               CLASS_VERSION },
  { KIND_SPEECH,        "requested_at",         CLASS_TIME },
  { KIND_SPEECH,        "started_at",           CLASS_OPTIONAL_TIME },
  { KIND_SPEECH,        "ended_at",             CLASS_OPTIONAL_TIME },
  { KIND_SPEECH,        "limit_seconds",        CLASS_SECONDS },
  { KIND_SPEECH,        "version",              CLASS_VERSION },
};

static void
test_hostile_fields (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    refuse_field (fields[i].kind, fields[i].field, fields[i].klass);
}

static void
test_not_objects (void)
{
  assert_not_objects (KIND_MEETING_STATE);
  assert_not_objects (KIND_ATTENDANCE);
  assert_not_objects (KIND_SPEECH);
}

/* ---- in the change feed --------------------------------------------------------------- */

static void
test_page_of_live_changes (void)
{
  g_autofree char *text = g_strdup_printf (
    "{\"cursor\": \"64\", \"more\": false, \"changes\": ["
    " {\"type\": \"meeting_state\", \"id\": \"m7Q2-x_1\", \"deleted\": false, \"data\": %s},"
    " {\"type\": \"attendance\", \"id\": \"a5c\", \"deleted\": false, \"data\": %s},"
    " {\"type\": \"speech\", \"id\": \"s2f\", \"deleted\": false, \"data\": %s},"
    " {\"type\": \"poll\", \"id\": \"p1\", \"deleted\": false, \"data\": {\"question\": \"?\"}},"
    " {\"type\": \"speech\", \"id\": \"s-old\", \"deleted\": true},"
    " {\"type\": \"attendance\", \"id\": \"a-old\", \"deleted\": true},"
    " {\"type\": \"meeting_state\", \"id\": \"m-old\", \"deleted\": true}]}",
    MEETING_STATE_JSON, ATTENDANCE_JSON, SPEECH_JSON);
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketChangesPage) page = read_page (text, &error);
  g_autoptr(JsonNode) original = NULL;
  g_autoptr(JsonNode) written = NULL;
  g_autoptr(DocketChangesPage) expected_page = NULL;
  DocketChange *change;

  g_assert_no_error (error);
  g_assert_cmpuint (page->changes->len, ==, 6);   /* the poll is skipped */

  change = g_ptr_array_index (page->changes, 0);
  g_assert_cmpint (change->type, ==, DOCKET_CHANGE_MEETING_STATE);
  g_assert_cmpstr (change->id, ==, "m7Q2-x_1");
  g_assert_cmpint (((DocketMeetingStateRecord *) change->record)->presented_page, ==, 4);
  change = g_ptr_array_index (page->changes, 1);
  g_assert_cmpint (change->type, ==, DOCKET_CHANGE_ATTENDANCE);
  g_assert_cmpstr (((DocketAttendanceRecord *) change->record)->username, ==, "nguyenvana");
  change = g_ptr_array_index (page->changes, 2);
  g_assert_cmpint (change->type, ==, DOCKET_CHANGE_SPEECH);
  g_assert_cmpint (((DocketSpeechRecord *) change->record)->number, ==, 61);
  for (guint i = 3; i < 6; i++)
    {
      change = g_ptr_array_index (page->changes, i);
      g_assert_true (change->deleted);
      g_assert_null (change->record);
    }
  g_assert_cmpint (((DocketChange *) g_ptr_array_index (page->changes, 3))->type, ==, DOCKET_CHANGE_SPEECH);
  g_assert_cmpint (((DocketChange *) g_ptr_array_index (page->changes, 4))->type, ==, DOCKET_CHANGE_ATTENDANCE);
  g_assert_cmpint (((DocketChange *) g_ptr_array_index (page->changes, 5))->type, ==, DOCKET_CHANGE_MEETING_STATE);

  /* Written back, it is the page without the poll. */
  g_clear_pointer (&text, g_free);
  text = g_strdup_printf (
    "{\"cursor\": \"64\", \"more\": false, \"changes\": ["
    " {\"type\": \"meeting_state\", \"id\": \"m7Q2-x_1\", \"deleted\": false, \"data\": %s},"
    " {\"type\": \"attendance\", \"id\": \"a5c\", \"deleted\": false, \"data\": %s},"
    " {\"type\": \"speech\", \"id\": \"s2f\", \"deleted\": false, \"data\": %s},"
    " {\"type\": \"speech\", \"id\": \"s-old\", \"deleted\": true},"
    " {\"type\": \"attendance\", \"id\": \"a-old\", \"deleted\": true},"
    " {\"type\": \"meeting_state\", \"id\": \"m-old\", \"deleted\": true}]}",
    MEETING_STATE_JSON, ATTENDANCE_JSON, SPEECH_JSON);
  original = parse_ok (text);
  written = docket_changes_page_to_json (page);
  assert_json_equal (original, written);
}

/* A change's id is its record's: for a meeting state, the meeting's. */
static void
test_live_change_ids (void)
{
  static const struct {
    const char *type;
    const char *id;
    const char *data;
    const char *field;
  } cases[] = {
    { "meeting_state", "m-other", MEETING_STATE_JSON, "changes[0].data.meeting_id" },
    { "attendance", "a-other", ATTENDANCE_JSON, "changes[0].data.id" },
    { "speech", "s-other", SPEECH_JSON, "changes[0].data.id" },
    /* The data of another type than the change's. */
    { "speech", "a5c", ATTENDANCE_JSON, "changes[0].data" },
    { "attendance", "m7Q2-x_1", MEETING_STATE_JSON, "changes[0].data" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = page_with_change (cases[i].type, cases[i].id, cases[i].data);
      g_autoptr(GError) error = NULL;
      DocketChangesPage *page = read_page (text, &error);

      g_test_message ("%s %s", cases[i].type, cases[i].id);
      g_assert_null (page);
      g_assert_nonnull (error);
      g_assert_true (error->domain == DOCKET_PROTOCOL_ERROR);
      if (strstr (error->message, cases[i].field) == NULL)
        g_error ("the error does not name %s: %s", cases[i].field, error->message);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/codec-live/enum-names", test_enum_names);
  g_test_add_func ("/codec-live/change-type-codes", test_change_type_codes);
  g_test_add_func ("/codec-live/quorum-needed", test_quorum_needed);
  g_test_add_func ("/codec-live/role-and-presence-rules", test_role_and_presence_rules);
  g_test_add_func ("/codec-live/meeting-without-roles", test_meeting_without_roles);
  g_test_add_func ("/codec-live/meeting-with-unknown-values", test_meeting_with_unknown_values);
  g_test_add_func ("/codec-live/meeting-role-in-built-records", test_meeting_role_in_built_records);
  g_test_add_data_func ("/codec-live/meeting-state/round-trip", GINT_TO_POINTER (KIND_MEETING_STATE),
                        test_round_trip);
  g_test_add_data_func ("/codec-live/attendance/round-trip", GINT_TO_POINTER (KIND_ATTENDANCE),
                        test_round_trip);
  g_test_add_data_func ("/codec-live/speech/round-trip", GINT_TO_POINTER (KIND_SPEECH), test_round_trip);
  g_test_add_func ("/codec-live/meeting-state/fields", test_meeting_state_fields);
  g_test_add_func ("/codec-live/meeting-state/empty", test_meeting_state_empty);
  g_test_add_func ("/codec-live/attendance/fields", test_attendance_fields);
  g_test_add_func ("/codec-live/speech/fields", test_speech_fields);
  g_test_add_func ("/codec-live/unknown-values", test_live_unknown_values);
  g_test_add_func ("/codec-live/limits", test_live_limits);
  g_test_add_func ("/codec-live/validation", test_live_validation);
  g_test_add_func ("/codec-live/hostile-fields", test_hostile_fields);
  g_test_add_func ("/codec-live/not-objects", test_not_objects);
  g_test_add_func ("/codec-live/page", test_page_of_live_changes);
  g_test_add_func ("/codec-live/change-ids", test_live_change_ids);

  return g_test_run ();
}
