/* test-live-store.c: the live meeting in the client's cache, on real files
 *
 * Pages of the feed with meeting roles, quorum, meeting states, attendance and speeches
 * applied to a real store and read back (docket_store_load_meeting_live); values of a
 * later protocol kept as unknown without refusing the page; the live records going with
 * their meeting and with a full sync; a cache of an older Docket upgraded; who is signed
 * in and the server's capabilities kept across a restart and forgotten at sign-out.
 */
#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include "docket-store.h"
#include "docket-test-store-v1.h"
#include "docket-test-util.h"

#define MEETING "m1"

typedef struct {
  char        *dir;
  DocketStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = docket_test_make_tmpdir ("live-store");
  fixture->store = docket_store_open (fixture->dir, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  docket_test_rmtree (fixture->dir);
  g_free (fixture->dir);
}

/* A page of the feed as a server writes it, read by the client's own reader. */
static DocketChangesPage *
page_from_json (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = docket_protocol_parse_json (json, -1, DOCKET_MAX_JSON_RESPONSE_BYTES, &error);
  DocketChangesPage *page;

  g_assert_no_error (error);
  page = docket_changes_page_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_nonnull (page);
  return page;
}

static void
apply_json (DocketStore *store,
            const char  *json)
{
  g_autoptr(DocketChangesPage) page = page_from_json (json);
  g_autoptr(GError) error = NULL;

  g_assert_true (docket_store_apply_changes (store, page, &error));
  g_assert_no_error (error);
}

#define MEETING_JSON(QUORUM, CHAIR_ROLE)                                                      \
  "{\"type\": \"meeting\", \"id\": \"" MEETING "\", \"deleted\": false, \"data\": {"          \
  "\"id\": \"" MEETING "\", \"title\": \"Kỳ họp thứ 12\", \"organ\": \"HĐND tỉnh\","          \
  "\"starts_at\": \"2026-11-22T08:00:00+07:00\", \"ends_at\": \"2026-11-22T11:30:00+07:00\"," \
  "\"time_zone\": \"Asia/Ho_Chi_Minh\", \"location\": \"Hội trường\", \"status\": \"published\"," \
  "\"quorum\": \"" QUORUM "\", \"version\": 10, \"participants\": ["                          \
  "{\"username\": \"chutich\", \"display_name\": \"Trần Văn Chủ\", \"role\": \"official\","   \
  " \"meeting_role\": \"" CHAIR_ROLE "\"},"                                                   \
  "{\"username\": \"daibieu1\", \"display_name\": \"Nguyễn Văn A\", \"role\": \"official\","  \
  " \"meeting_role\": \"member\"},"                                                           \
  "{\"username\": \"daibieu2\", \"display_name\": \"Lê Thị Bình\", \"role\": \"official\"},"  \
  "{\"username\": \"khach\", \"display_name\": \"Phạm Khách\", \"role\": \"official\","       \
  " \"meeting_role\": \"guest\"},"                                                            \
  "{\"username\": \"thuky\", \"display_name\": \"Đỗ Thư Ký\", \"role\": \"secretary\","       \
  " \"meeting_role\": \"secretary\"}]}}"

#define ITEM_JSON                                                                             \
  "{\"type\": \"agenda_item\", \"id\": \"i1\", \"deleted\": false, \"data\": {"               \
  "\"id\": \"i1\", \"meeting_id\": \"" MEETING "\", \"parent_id\": null, \"position\": 0,"    \
  "\"number\": \"1\", \"title\": \"Báo cáo\", \"presenter\": \"\", \"description\": \"\","    \
  "\"version\": 11}}"

#define STATE_JSON(PHASE, VERSION)                                                            \
  "{\"type\": \"meeting_state\", \"id\": \"" MEETING "\", \"deleted\": false, \"data\": {"    \
  "\"meeting_id\": \"" MEETING "\", \"phase\": \"" PHASE "\","                                \
  "\"started_at\": \"2026-11-22T08:03:12+07:00\", \"ended_at\": null,"                        \
  "\"current_item_id\": \"i1\", \"presentation\": {\"document_id\": \"d1\", \"page\": 4},"    \
  "\"speech_limit_seconds\": 300, \"version\": " VERSION "}}"

#define ATTENDANCE_JSON(ID, USER, PRESENCE, VERSION)                                          \
  "{\"type\": \"attendance\", \"id\": \"" ID "\", \"deleted\": false, \"data\": {"            \
  "\"id\": \"" ID "\", \"meeting_id\": \"" MEETING "\", \"username\": \"" USER "\","          \
  "\"presence\": \"" PRESENCE "\", \"since\": \"2026-11-22T07:58:40+07:00\","                 \
  "\"version\": " VERSION "}}"

#define SPEECH_JSON(ID, USER, STATE, NUMBER)                                                  \
  "{\"type\": \"speech\", \"id\": \"" ID "\", \"deleted\": false, \"data\": {"                \
  "\"id\": \"" ID "\", \"meeting_id\": \"" MEETING "\", \"username\": \"" USER "\","          \
  "\"state\": \"" STATE "\", \"number\": " NUMBER ","                                         \
  "\"requested_at\": \"2026-11-22T08:40:02+07:00\", \"started_at\": null, \"ended_at\": null," \
  "\"limit_seconds\": 0, \"version\": " NUMBER "}}"

#define PAGE(CURSOR, MORE, CHANGES) \
  "{\"cursor\": \"" CURSOR "\", \"more\": " MORE ", \"changes\": [" CHANGES "]}"

static DocketStoreMeetingLive *
load_live (DocketStore *store)
{
  g_autoptr(GError) error = NULL;
  DocketStoreMeetingLive *live = docket_store_load_meeting_live (store, MEETING, &error);

  g_assert_no_error (error);
  return live;
}

static const DocketParticipant *
find_participant (DocketStoreMeetingLive *live,
                  const char             *username)
{
  for (guint i = 0; i < live->participants->len; i++)
    {
      const DocketParticipant *p = g_ptr_array_index (live->participants, i);

      if (g_strcmp0 (p->username, username) == 0)
        return p;
    }
  g_assert_not_reached ();
}

/* Everything the feed brings of a live meeting is read back as it came. */
static void
test_live_records_read_back (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(DocketStoreMeetingLive) live = NULL;
  g_autoptr(DocketMeetingRecord) meeting = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *started_at = NULL;
  DocketAttendanceRecord *attendance;
  DocketSpeechRecord *speech;

  apply_json (fixture->store,
              PAGE ("e-20", "false",
                    MEETING_JSON ("two_thirds", "chair") "," ITEM_JSON ","
                    STATE_JSON ("in_session", "12") ","
                    ATTENDANCE_JSON ("a1", "daibieu1", "present", "13") ","
                    ATTENDANCE_JSON ("a2", "chutich", "remote", "14") ","
                    SPEECH_JSON ("s2", "daibieu2", "waiting", "16") ","
                    SPEECH_JSON ("s1", "daibieu1", "speaking", "15")));

  live = load_live (fixture->store);
  g_assert_nonnull (live);
  g_assert_cmpstr (live->meeting_id, ==, MEETING);
  g_assert_cmpint (live->quorum, ==, DOCKET_QUORUM_TWO_THIRDS);

  g_assert_cmpstr (live->state->meeting_id, ==, MEETING);
  g_assert_cmpint (live->state->phase, ==, DOCKET_MEETING_PHASE_IN_SESSION);
  started_at = docket_protocol_format_time (live->state->started_at);
  g_assert_cmpstr (started_at, ==, "2026-11-22T08:03:12+07:00");
  g_assert_null (live->state->ended_at);
  g_assert_cmpstr (live->state->current_item_id, ==, "i1");
  g_assert_cmpstr (live->state->presented_document_id, ==, "d1");
  g_assert_cmpint (live->state->presented_page, ==, 4);
  g_assert_cmpint (live->state->speech_limit_seconds, ==, 300);
  g_assert_cmpint (live->state->version, ==, 12);

  /* By display name, as the user's language sorts them. */
  g_assert_cmpuint (live->participants->len, ==, 5);
  g_assert_cmpint (find_participant (live, "chutich")->meeting_role, ==, DOCKET_MEETING_ROLE_CHAIR);
  g_assert_cmpint (find_participant (live, "daibieu1")->meeting_role, ==, DOCKET_MEETING_ROLE_MEMBER);
  /* Without meeting_role: a member (docs/protocol.md, "Meeting"). */
  g_assert_cmpint (find_participant (live, "daibieu2")->meeting_role, ==, DOCKET_MEETING_ROLE_MEMBER);
  g_assert_cmpint (find_participant (live, "khach")->meeting_role, ==, DOCKET_MEETING_ROLE_GUEST);
  g_assert_cmpint (find_participant (live, "thuky")->meeting_role, ==, DOCKET_MEETING_ROLE_SECRETARY);
  for (guint i = 1; i < live->participants->len; i++)
    {
      const DocketParticipant *a = g_ptr_array_index (live->participants, i - 1);
      const DocketParticipant *b = g_ptr_array_index (live->participants, i);

      g_assert_cmpint (g_utf8_collate (a->display_name, b->display_name), <=, 0);
    }

  g_assert_cmpuint (live->attendance->len, ==, 2);
  attendance = g_ptr_array_index (live->attendance, 0);
  g_assert_cmpstr (attendance->username, ==, "chutich");
  g_assert_cmpint (attendance->presence, ==, DOCKET_PRESENCE_REMOTE);
  g_assert_cmpint (attendance->version, ==, 14);
  attendance = g_ptr_array_index (live->attendance, 1);
  g_assert_cmpstr (attendance->id, ==, "a1");
  g_assert_cmpint (attendance->presence, ==, DOCKET_PRESENCE_PRESENT);
  g_assert_nonnull (attendance->since);

  /* By number, whatever the order they came in. */
  g_assert_cmpuint (live->speeches->len, ==, 2);
  speech = g_ptr_array_index (live->speeches, 0);
  g_assert_cmpstr (speech->id, ==, "s1");
  g_assert_cmpint (speech->state, ==, DOCKET_SPEECH_SPEAKING);
  g_assert_cmpint (speech->number, ==, 15);
  speech = g_ptr_array_index (live->speeches, 1);
  g_assert_cmpstr (speech->id, ==, "s2");
  g_assert_cmpstr (speech->username, ==, "daibieu2");
  g_assert_cmpint (speech->state, ==, DOCKET_SPEECH_WAITING);
  g_assert_nonnull (speech->requested_at);
  g_assert_null (speech->started_at);

  /* The meeting itself carries its quorum and its participants' roles too. */
  meeting = docket_store_get_meeting (fixture->store, MEETING, &error);
  g_assert_no_error (error);
  g_assert_cmpint (meeting->quorum, ==, DOCKET_QUORUM_TWO_THIRDS);
  g_assert_cmpuint (meeting->participants->len, ==, 5);
  for (guint i = 0; i < meeting->participants->len; i++)
    {
      DocketParticipant *p = g_ptr_array_index (meeting->participants, i);

      if (g_strcmp0 (p->username, "khach") == 0)
        g_assert_cmpint (p->meeting_role, ==, DOCKET_MEETING_ROLE_GUEST);
    }

  /* A later page changes a record in place: the state ends, a speech is done. */
  apply_json (fixture->store,
              PAGE ("e-21", "false",
                    STATE_JSON ("ended", "21") "," SPEECH_JSON ("s1", "daibieu1", "done", "15")));
  g_clear_pointer (&live, docket_store_meeting_live_free);
  live = load_live (fixture->store);
  g_assert_cmpint (live->state->phase, ==, DOCKET_MEETING_PHASE_ENDED);
  g_assert_cmpint (live->state->version, ==, 21);
  g_assert_cmpuint (live->speeches->len, ==, 2);
  speech = g_ptr_array_index (live->speeches, 0);
  g_assert_cmpint (speech->state, ==, DOCKET_SPEECH_DONE);
}

/* A meeting whose state never changed has none in the feed: not started. */
static void
test_no_state_is_not_started (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(DocketStoreMeetingLive) live = NULL;
  g_autoptr(GError) error = NULL;

  apply_json (fixture->store, PAGE ("e-10", "false", MEETING_JSON ("majority", "chair")));

  live = load_live (fixture->store);
  g_assert_nonnull (live->state);
  g_assert_cmpstr (live->state->meeting_id, ==, MEETING);
  g_assert_cmpint (live->state->phase, ==, DOCKET_MEETING_PHASE_NOT_STARTED);
  g_assert_null (live->state->started_at);
  g_assert_null (live->state->current_item_id);
  g_assert_null (live->state->presented_document_id);
  g_assert_cmpint (live->state->presented_page, ==, 0);
  g_assert_cmpint (live->quorum, ==, DOCKET_QUORUM_MAJORITY);
  g_assert_cmpuint (live->attendance->len, ==, 0);
  g_assert_cmpuint (live->speeches->len, ==, 0);

  /* A meeting the cache does not hold: nothing, and no error. */
  g_assert_null (docket_store_load_meeting_live (fixture->store, "other", &error));
  g_assert_no_error (error);
}

/* A role, a rule, a phase, a presence and a speech state of a later protocol, and a
 * change type it does not know: the page is applied, the values kept as unknown. */
static void
test_unknown_values_kept (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(DocketStoreMeetingLive) live = NULL;
  g_autofree char *cursor = NULL;

  apply_json (fixture->store,
              PAGE ("e-30", "false",
                    MEETING_JSON ("three_quarters", "vice_chair") "," ITEM_JSON ","
                    STATE_JSON ("adjourned", "12") ","
                    ATTENDANCE_JSON ("a1", "daibieu1", "in_the_hallway", "13") ","
                    ATTENDANCE_JSON ("a2", "daibieu2", "present", "14") ","
                    "{\"type\": \"vote\", \"id\": \"v1\", \"deleted\": false,"
                    " \"data\": {\"id\": \"v1\", \"question\": \"?\"}},"
                    SPEECH_JSON ("s1", "daibieu1", "interrupted", "15")));

  cursor = docket_store_dup_cursor (fixture->store);
  g_assert_cmpstr (cursor, ==, "e-30");

  live = load_live (fixture->store);
  g_assert_cmpint (live->quorum, ==, DOCKET_QUORUM_UNKNOWN);
  g_assert_cmpint (live->state->phase, ==, DOCKET_MEETING_PHASE_UNKNOWN);
  /* The rest of the state is as it came. */
  g_assert_cmpstr (live->state->current_item_id, ==, "i1");
  g_assert_cmpint (find_participant (live, "chutich")->meeting_role, ==, DOCKET_MEETING_ROLE_UNKNOWN);
  g_assert_cmpint (find_participant (live, "daibieu1")->meeting_role, ==, DOCKET_MEETING_ROLE_MEMBER);
  g_assert_cmpuint (live->attendance->len, ==, 2);
  g_assert_cmpint (((DocketAttendanceRecord *) g_ptr_array_index (live->attendance, 0))->presence, ==,
                   DOCKET_PRESENCE_UNKNOWN);
  g_assert_cmpint (((DocketAttendanceRecord *) g_ptr_array_index (live->attendance, 1))->presence, ==,
                   DOCKET_PRESENCE_PRESENT);
  g_assert_cmpuint (live->speeches->len, ==, 1);
  g_assert_cmpint (((DocketSpeechRecord *) g_ptr_array_index (live->speeches, 0))->state, ==,
                   DOCKET_SPEECH_UNKNOWN);

  /* Kept as the word "unknown", not as something this version would misread. */
  g_assert_cmpint (docket_test_count_rows (fixture->dir,
                                           "SELECT count(*) FROM meeting_states WHERE phase = 'unknown'"),
                   ==, 1);
  g_assert_cmpint (docket_test_count_rows (fixture->dir,
                                           "SELECT count(*) FROM participants WHERE meeting_role = 'unknown'"),
                   ==, 1);
}

/* Deleting the meeting takes its live records with it; a deleted record goes alone. */
static void
test_deleted_with_meeting (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(DocketStoreMeetingLive) live = NULL;
  g_autoptr(GError) error = NULL;

  apply_json (fixture->store,
              PAGE ("e-20", "false",
                    MEETING_JSON ("majority", "chair") "," ITEM_JSON ","
                    STATE_JSON ("in_session", "12") ","
                    ATTENDANCE_JSON ("a1", "daibieu1", "present", "13") ","
                    ATTENDANCE_JSON ("a2", "chutich", "remote", "14") ","
                    SPEECH_JSON ("s1", "daibieu1", "waiting", "15")));

  apply_json (fixture->store,
              PAGE ("e-22", "false", "{\"type\": \"attendance\", \"id\": \"a2\", \"deleted\": true}"));
  live = load_live (fixture->store);
  g_assert_cmpuint (live->attendance->len, ==, 1);
  g_assert_cmpuint (live->speeches->len, ==, 1);

  apply_json (fixture->store,
              PAGE ("e-23", "false", "{\"type\": \"meeting\", \"id\": \"" MEETING "\", \"deleted\": true}"));
  g_assert_null (docket_store_load_meeting_live (fixture->store, MEETING, &error));
  g_assert_no_error (error);
  g_assert_cmpint (docket_test_count_rows (fixture->dir, "SELECT count(*) FROM meeting_states"), ==, 0);
  g_assert_cmpint (docket_test_count_rows (fixture->dir, "SELECT count(*) FROM attendance"), ==, 0);
  g_assert_cmpint (docket_test_count_rows (fixture->dir, "SELECT count(*) FROM speeches"), ==, 0);
  g_assert_cmpint (docket_test_count_rows (fixture->dir, "SELECT count(*) FROM participants"), ==, 0);
}

/* A live record of a meeting the cache does not hold breaks the page's order: the
 * page is refused whole, as for an item without its meeting. */
static void
test_record_without_meeting_refused (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autoptr(DocketChangesPage) page = page_from_json (PAGE ("e-5", "false",
                                                            ATTENDANCE_JSON ("a1", "daibieu1", "present", "13")));
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;

  g_assert_false (docket_store_apply_changes (fixture->store, page, &error));
  g_assert_nonnull (error);
  cursor = docket_store_dup_cursor (fixture->store);
  g_assert_null (cursor);
  g_assert_cmpint (docket_test_count_rows (fixture->dir, "SELECT count(*) FROM attendance"), ==, 0);
}

/* A full sync (after the server's history changed) removes the live records it did not
 * bring, and keeps those it did. */
static void
test_full_sync_sweeps (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(DocketStoreMeetingLive) live = NULL;
  g_autoptr(GError) error = NULL;

  apply_json (fixture->store,
              PAGE ("e-20", "false",
                    MEETING_JSON ("majority", "chair") "," ITEM_JSON ","
                    STATE_JSON ("in_session", "12") ","
                    ATTENDANCE_JSON ("a1", "daibieu1", "present", "13") ","
                    ATTENDANCE_JSON ("a2", "chutich", "remote", "14") ","
                    SPEECH_JSON ("s1", "daibieu1", "done", "15") ","
                    SPEECH_JSON ("s2", "daibieu2", "waiting", "16")));

  g_assert_true (docket_store_restart_feed (fixture->store, &error));
  g_assert_no_error (error);

  /* Over two pages: the first keeps everything meanwhile. */
  apply_json (fixture->store,
              PAGE ("f-1", "true",
                    MEETING_JSON ("majority", "chair") "," ITEM_JSON ","
                    ATTENDANCE_JSON ("a1", "daibieu1", "present", "13")));
  live = load_live (fixture->store);
  g_assert_cmpuint (live->attendance->len, ==, 2);
  g_assert_cmpuint (live->speeches->len, ==, 2);
  g_assert_cmpint (live->state->phase, ==, DOCKET_MEETING_PHASE_IN_SESSION);
  g_clear_pointer (&live, docket_store_meeting_live_free);

  apply_json (fixture->store, PAGE ("f-2", "false", SPEECH_JSON ("s2", "daibieu2", "waiting", "16")));
  live = load_live (fixture->store);
  g_assert_cmpuint (live->attendance->len, ==, 1);
  g_assert_cmpstr (((DocketAttendanceRecord *) g_ptr_array_index (live->attendance, 0))->id, ==, "a1");
  g_assert_cmpuint (live->speeches->len, ==, 1);
  g_assert_cmpstr (((DocketSpeechRecord *) g_ptr_array_index (live->speeches, 0))->id, ==, "s2");
  /* The state did not come: the meeting has none, so it reads as not started. */
  g_assert_cmpint (live->state->phase, ==, DOCKET_MEETING_PHASE_NOT_STARTED);
  g_assert_cmpint (docket_test_count_rows (fixture->dir, "SELECT count(*) FROM meeting_states"), ==, 0);
}

static void
load_live_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  DocketStoreMeetingLive **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = docket_store_load_meeting_live_finish (DOCKET_STORE (source), result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (*out);
}

static gboolean
is_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

/* The read the models use runs in a worker and gives the same. */
static void
test_load_async (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(DocketStoreMeetingLive) live = NULL;

  apply_json (fixture->store,
              PAGE ("e-20", "false",
                    MEETING_JSON ("majority", "chair") "," ITEM_JSON ","
                    STATE_JSON ("in_session", "12") ","
                    SPEECH_JSON ("s1", "daibieu1", "waiting", "15")));

  docket_store_load_meeting_live_async (fixture->store, MEETING, NULL, load_live_cb, &live);
  docket_test_wait_until (is_set, &live, 30, "the live meeting read in a worker");
  g_assert_cmpint (live->state->phase, ==, DOCKET_MEETING_PHASE_IN_SESSION);
  g_assert_cmpuint (live->participants->len, ==, 5);
  g_assert_cmpuint (live->speeches->len, ==, 1);
}

/* Who signed in, and what the server can do: kept across a restart, read without the
 * disk, forgotten with the account, and with another account. */
static void
test_account_user_and_capabilities (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(DocketUserRecord) user = docket_user_record_new ();
  g_autoptr(DocketUserRecord) read = NULL;
  g_autoptr(GError) error = NULL;
  const char * const capabilities[] = { "changes", "meeting_state", "attendance", "Not A Word", "", NULL };

  g_assert_null (docket_store_dup_account_user (fixture->store));
  g_assert_false (docket_store_has_capability (fixture->store, "changes"));
  g_assert_cmpint (docket_store_get_server_info_time (fixture->store), ==, 0);

  g_assert_true (docket_store_set_account (fixture->store, "http://127.0.0.1:9", "daibieu1", &error));
  g_assert_no_error (error);
  /* Signed in, before the server was asked who they are: the name only. */
  read = docket_store_dup_account_user (fixture->store);
  g_assert_nonnull (read);
  g_assert_cmpstr (read->username, ==, "daibieu1");
  g_assert_cmpint (read->role, ==, DOCKET_ROLE_UNKNOWN);
  g_clear_pointer (&read, docket_user_record_free);

  user->username = g_strdup ("daibieu1");
  user->display_name = g_strdup ("Nguyễn Văn A");
  user->role = DOCKET_ROLE_OFFICIAL;
  user->organ = g_strdup ("HĐND tỉnh");
  g_assert_true (docket_store_set_account_user (fixture->store, user, &error));
  g_assert_no_error (error);
  g_assert_true (docket_store_set_capabilities (fixture->store, capabilities, &error));
  g_assert_no_error (error);
  g_assert_cmpint (docket_store_get_server_info_time (fixture->store), >, 0);

  /* A restart reads them back. */
  g_clear_object (&fixture->store);
  fixture->store = docket_store_open (fixture->dir, &error);
  g_assert_no_error (error);

  read = docket_store_dup_account_user (fixture->store);
  g_assert_nonnull (read);
  g_assert_cmpstr (read->username, ==, "daibieu1");
  g_assert_cmpstr (read->display_name, ==, "Nguyễn Văn A");
  g_assert_cmpint (read->role, ==, DOCKET_ROLE_OFFICIAL);
  g_assert_cmpstr (read->organ, ==, "HĐND tỉnh");
  g_clear_pointer (&read, docket_user_record_free);
  g_assert_true (docket_store_has_capability (fixture->store, "meeting_state"));
  g_assert_true (docket_store_has_capability (fixture->store, "attendance"));
  g_assert_false (docket_store_has_capability (fixture->store, "speeches"));
  /* What is not a word of the protocol was not kept. */
  g_assert_false (docket_store_has_capability (fixture->store, "Not A Word"));
  g_assert_false (docket_store_has_capability (fixture->store, ""));
  g_assert_cmpint (docket_store_get_server_info_time (fixture->store), >, 0);

  /* Another account on the same server: another user, and its capabilities stay until
   * read again (they are the server's); the time says they are to be read again. */
  g_assert_true (docket_store_set_account (fixture->store, "http://127.0.0.1:9", "daibieu2", &error));
  read = docket_store_dup_account_user (fixture->store);
  g_assert_cmpstr (read->username, ==, "daibieu2");
  g_assert_cmpint (read->role, ==, DOCKET_ROLE_UNKNOWN);
  g_clear_pointer (&read, docket_user_record_free);
  g_assert_true (docket_store_has_capability (fixture->store, "meeting_state"));
  g_assert_cmpint (docket_store_get_server_info_time (fixture->store), ==, 0);

  /* Signing out forgets them all. */
  g_assert_true (docket_store_clear (fixture->store, &error));
  g_assert_no_error (error);
  g_assert_null (docket_store_dup_account_user (fixture->store));
  g_assert_false (docket_store_has_capability (fixture->store, "meeting_state"));
  g_clear_object (&fixture->store);
  fixture->store = docket_store_open (fixture->dir, &error);
  g_assert_no_error (error);
  g_assert_null (docket_store_dup_account_user (fixture->store));
  g_assert_false (docket_store_has_capability (fixture->store, "changes"));
}

/* A cache of an older Docket (written by hand as version 1, with a meeting) upgrades:
 * its participants are members, its meeting's quorum the majority, and the live tables
 * take the feed's records. */
static const char v1_schema[] =
  DOCKET_TEST_STORE_V1_TABLES
  "INSERT INTO meetings VALUES ('" MEETING "', 'Kỳ họp thứ 12', 'HĐND tỉnh', '2026-11-22T08:00:00+07:00',"
  "  1795309200, '2026-11-22T11:30:00+07:00', 'Asia/Ho_Chi_Minh', 'Hội trường', 'published', 5);"
  "INSERT INTO participants VALUES ('" MEETING "', 0, 'daibieu1', 'Nguyễn Văn A', 'official');"
  "INSERT INTO participants VALUES ('" MEETING "', 1, 'daibieu2', 'Lê Thị Bình', 'official');"
  "INSERT INTO agenda_items VALUES ('i1', '" MEETING "', NULL, 0, '1', 'Báo cáo', '', '', 6);"
  "PRAGMA user_version = 1;";

static void
test_upgrade_older_cache (void)
{
  g_autofree char *dir = docket_test_make_tmpdir ("live-store-v1");
  g_autofree char *db_path = g_build_filename (dir, "docket.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketStore) store = NULL;
  g_autoptr(DocketStoreMeetingLive) live = NULL;
  g_autoptr(DocketUserRecord) user = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, v1_schema, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = docket_store_open (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpint (docket_store_get_schema_version (store), ==, DOCKET_STORE_SCHEMA_VERSION);
  g_assert_cmpint (DOCKET_STORE_SCHEMA_VERSION, >=, 6);

  live = load_live (store);
  g_assert_nonnull (live);
  g_assert_cmpint (live->quorum, ==, DOCKET_QUORUM_MAJORITY);
  g_assert_cmpint (live->state->phase, ==, DOCKET_MEETING_PHASE_NOT_STARTED);
  g_assert_cmpuint (live->participants->len, ==, 2);
  g_assert_cmpint (find_participant (live, "daibieu1")->meeting_role, ==, DOCKET_MEETING_ROLE_MEMBER);
  g_assert_cmpint (find_participant (live, "daibieu2")->meeting_role, ==, DOCKET_MEETING_ROLE_MEMBER);
  g_clear_pointer (&live, docket_store_meeting_live_free);

  /* The account of version 1 is there, its user known by name only until asked. */
  user = docket_store_dup_account_user (store);
  g_assert_nonnull (user);
  g_assert_cmpstr (user->username, ==, "daibieu1");
  g_assert_cmpint (docket_store_get_server_info_time (store), ==, 0);

  /* The feed's live records go into the upgraded file. */
  apply_json (store,
              PAGE ("e-50", "false",
                    STATE_JSON ("in_session", "43") ","
                    ATTENDANCE_JSON ("a1", "daibieu1", "present", "44")));
  live = load_live (store);
  g_assert_cmpint (live->state->phase, ==, DOCKET_MEETING_PHASE_IN_SESSION);
  g_assert_cmpuint (live->attendance->len, ==, 1);

  g_clear_object (&store);
  docket_test_rmtree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/live-store/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("read-back", test_live_records_read_back);
  ADD ("no-state-is-not-started", test_no_state_is_not_started);
  ADD ("unknown-values-kept", test_unknown_values_kept);
  ADD ("deleted-with-meeting", test_deleted_with_meeting);
  ADD ("record-without-meeting-refused", test_record_without_meeting_refused);
  ADD ("full-sync-sweeps", test_full_sync_sweeps);
  ADD ("load-async", test_load_async);
  ADD ("account-user-and-capabilities", test_account_user_and_capabilities);
  g_test_add_func ("/live-store/upgrade-older-cache", test_upgrade_older_cache);

#undef ADD

  return g_test_run ();
}
