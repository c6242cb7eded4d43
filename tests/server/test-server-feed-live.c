/* test-server-feed-live.c: a meeting's live records in the real docket-server's change feed
 * (docs/protocol.md: "Roles in a meeting", "A meeting's live records", "How the reference
 * server computes it")
 *
 * The writes go through the live endpoints, as a chair's and the officials' clients make
 * them; every page is read with the client's strict reader (get_changes). What the tests
 * hold the feed to: meeting roles and the quorum rule in the meetings; the meeting state,
 * attendance and speeches to every participant and nobody else; the whole live history
 * to a participant added later, and a deletion of the meeting to one taken off; every
 * record exactly once and after its meeting however small the pages; an unchanged sync
 * after live writes as cheap as before them.
 */
#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "docket-codec.h"
#include "docket-records.h"
#include "test-server-common.h"

/* The demo's council session of today, and the standing committee's meeting of next week
 * that daibieu5 does not take part in (HIDDEN_MEETING). */

typedef struct {
  DocketTestServer *server;
  char             *secretary;   /* thuky: the organ's secretary, the meetings' secretary */
  char             *chair;       /* chutich: the chair of every demo meeting */
  char             *official;    /* daibieu1: a member of every demo meeting */
  char             *outsider;    /* daibieu5: not in the standing committee */
  char             *today_id;
  char             *hidden_id;
} Council;

static void
council_clear (Council *council)
{
  g_clear_pointer (&council->server, docket_test_server_stop);
  g_clear_pointer (&council->secretary, g_free);
  g_clear_pointer (&council->chair, g_free);
  g_clear_pointer (&council->official, g_free);
  g_clear_pointer (&council->outsider, g_free);
  g_clear_pointer (&council->today_id, g_free);
  g_clear_pointer (&council->hidden_id, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Council, council_clear)

static void
council_start (Council *council)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_change_free);
  g_autofree char *cursor = NULL;

  council->server = docket_test_server_start (TRUE);
  council->secretary = docket_test_sign_in (council->server, "thuky", NULL);
  council->chair = docket_test_sign_in (council->server, "chutich", NULL);
  council->official = docket_test_sign_in (council->server, "daibieu1", NULL);
  council->outsider = docket_test_sign_in (council->server, "daibieu5", NULL);
  cursor = sync_all (council->server, council->secretary, NULL, 0, all);
  council->today_id = meeting_id_by_title (all, TODAY_MEETING);
  council->hidden_id = meeting_id_by_title (all, HIDDEN_MEETING);
}

/* The live endpoints: each asserts its status and returns the record it answered (the
 * codec checks it as a client would). */

static JsonNode *
answer_member (JsonNode   *root,
               const char *name)
{
  g_assert_nonnull (root);
  g_assert_true (json_object_has_member (json_node_get_object (root), name));
  return json_object_get_member (json_node_get_object (root), name);
}

static DocketMeetingStateRecord *
patch_state (Council    *council,
             const char *token,
             const char *meeting_id,
             const char *body)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/meetings/%s/state", meeting_id);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  DocketMeetingStateRecord *state;

  g_assert_cmpuint (call_json (council->server, "PATCH", path, token, body, &root), ==, 200);
  state = docket_meeting_state_record_from_json (answer_member (root, "meeting_state"), &error);
  g_assert_no_error (error);
  return state;
}

static DocketAttendanceRecord *
put_presence (Council    *council,
              const char *token,
              const char *meeting_id,
              const char *username,
              const char *presence)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/meetings/%s/attendance/%s", meeting_id, username);
  g_autofree char *body = g_strdup_printf ("{\"presence\": \"%s\"}", presence);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  DocketAttendanceRecord *attendance;

  g_assert_cmpuint (call_json (council->server, "PUT", path, token, body, &root), ==, 200);
  attendance = docket_attendance_record_from_json (answer_member (root, "attendance"), &error);
  g_assert_no_error (error);
  return attendance;
}

static DocketSpeechRecord *
speech_answer (JsonNode *root)
{
  g_autoptr(GError) error = NULL;
  DocketSpeechRecord *speech = docket_speech_record_from_json (answer_member (root, "speech"), &error);

  g_assert_no_error (error);
  return speech;
}

static DocketSpeechRecord *
request_floor (Council    *council,
               const char *token,
               const char *meeting_id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/meetings/%s/speeches", meeting_id);
  g_autoptr(JsonNode) root = NULL;

  g_assert_cmpuint (call_json (council->server, "POST", path, token, "{}", &root), ==, 201);
  return speech_answer (root);
}

static DocketSpeechRecord *
set_speech_state (Council    *council,
                  const char *token,
                  const char *speech_id,
                  const char *state)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/speeches/%s", speech_id);
  g_autofree char *body = g_strdup_printf ("{\"state\": \"%s\"}", state);
  g_autoptr(JsonNode) root = NULL;

  g_assert_cmpuint (call_json (council->server, "PATCH", path, token, body, &root), ==, 200);
  return speech_answer (root);
}

static void
set_participant (Council    *council,
                 const char *meeting_id,
                 const char *username,
                 gboolean    present)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/meetings/%s/participants/%s", meeting_id, username);

  g_assert_cmpuint (call_json (council->server, present ? "PUT" : "DELETE", path,
                               council->secretary, NULL, NULL), ==, 204);
}

/* What the feed brought */

static DocketMeetingRecord *
meeting_in (GPtrArray  *changes,
            const char *meeting_id)
{
  DocketMeetingRecord *last = NULL;

  /* The last one: a meeting may come as a copy before what needs it, then again. */
  for (guint i = 0; i < changes->len; i++)
    {
      DocketChange *change = g_ptr_array_index (changes, i);

      if (change->type == DOCKET_CHANGE_MEETING && !change->deleted &&
          g_str_equal (change->id, meeting_id))
        last = change->record;
    }
  g_assert_nonnull (last);
  return last;
}

static const DocketParticipant *
participant_in (const DocketMeetingRecord *meeting,
                const char                *username)
{
  for (guint i = 0; i < meeting->participants->len; i++)
    {
      const DocketParticipant *participant = g_ptr_array_index (meeting->participants, i);

      if (g_str_equal (participant->username, username))
        return participant;
    }
  return NULL;
}

static const char *
live_meeting_id (const DocketChange *change)
{
  switch ((int) change->type)
    {
    case DOCKET_CHANGE_MEETING_STATE:
      return ((const DocketMeetingStateRecord *) change->record)->meeting_id;
    case DOCKET_CHANGE_ATTENDANCE:
      return ((const DocketAttendanceRecord *) change->record)->meeting_id;
    case DOCKET_CHANGE_SPEECH:
      return ((const DocketSpeechRecord *) change->record)->meeting_id;
    default:
      return NULL;
    }
}

static gint64
live_version (const DocketChange *change)
{
  switch ((int) change->type)
    {
    case DOCKET_CHANGE_MEETING_STATE:
      return ((const DocketMeetingStateRecord *) change->record)->version;
    case DOCKET_CHANGE_ATTENDANCE:
      return ((const DocketAttendanceRecord *) change->record)->version;
    case DOCKET_CHANGE_SPEECH:
      return ((const DocketSpeechRecord *) change->record)->version;
    default:
      g_assert_not_reached ();
    }
}

static gboolean
is_live (const DocketChange *change)
{
  return change->type == DOCKET_CHANGE_MEETING_STATE || change->type == DOCKET_CHANGE_ATTENDANCE ||
         change->type == DOCKET_CHANGE_SPEECH;
}

static int
compare_lines (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The live records of meeting_id in changes: "TYPE ID VERSION" lines, sorted, each once. */
static char *
live_summary (GPtrArray  *changes,
              const char *meeting_id)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < changes->len; i++)
    {
      DocketChange *change = g_ptr_array_index (changes, i);

      if (is_live (change) && !change->deleted && g_str_equal (live_meeting_id (change), meeting_id))
        g_ptr_array_add (lines, g_strdup_printf ("%s %s %" G_GINT64_FORMAT,
                                                 docket_change_type_to_string (change->type),
                                                 change->id, live_version (change)));
    }
  g_ptr_array_sort (lines, compare_lines);
  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (out, "%s\n", (char *) g_ptr_array_index (lines, i));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Every live record comes after its meeting, in the order of a feed that brings the
 * meeting anew (the client's store holds the meeting when it applies the record), and
 * none of a deleted meeting. */
static void
assert_parents_first (GPtrArray *changes)
{
  g_autoptr(GHashTable) held = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < changes->len; i++)
    {
      DocketChange *change = g_ptr_array_index (changes, i);

      if (change->type == DOCKET_CHANGE_MEETING)
        {
          if (change->deleted)
            g_hash_table_remove (held, change->id);
          else
            g_hash_table_add (held, change->id);
        }
      else if (is_live (change))
        {
          g_assert_false (change->deleted);
          g_assert_true (g_hash_table_contains (held, live_meeting_id (change)));
        }
    }
}

/* The meeting has no live record in changes. */
static void
assert_no_live_records (GPtrArray  *changes,
                        const char *meeting_id)
{
  for (guint i = 0; i < changes->len; i++)
    {
      DocketChange *change = g_ptr_array_index (changes, i);

      if (is_live (change))
        g_assert_cmpstr (live_meeting_id (change), !=, meeting_id);
    }
}

static guint
count_live (GPtrArray        *changes,
            DocketChangeType  type,
            const char       *meeting_id)
{
  guint n = 0;

  for (guint i = 0; i < changes->len; i++)
    {
      DocketChange *change = g_ptr_array_index (changes, i);

      n += change->type == type && !change->deleted &&
           g_str_equal (live_meeting_id (change), meeting_id);
    }
  return n;
}

static DocketChange *
find_live (GPtrArray        *changes,
           DocketChangeType  type,
           const char       *id)
{
  DocketChange *change = find_change (changes, type, id);

  g_assert_nonnull (change);
  g_assert_false (change->deleted);
  return change;
}

/* A session of the standing committee (HIDDEN_MEETING): the chair starts it and takes up
 * its first item, daibieu1 checks in and asks for the floor, the chair checks the
 * vice-chair in as remote and gives daibieu1 the floor. Returns daibieu1's speech. */
static DocketSpeechRecord *
hold_session (Council *council)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_change_free);
  g_autofree char *cursor = sync_all (council->server, council->secretary, NULL, 0, all);
  g_autofree char *body = g_strdup_printf ("{\"current_item_id\": \"%s\"}",
                                           item_of_meeting (all, council->hidden_id)->id);
  g_autoptr(DocketMeetingStateRecord) started = NULL;
  g_autoptr(DocketMeetingStateRecord) item = NULL;
  g_autoptr(DocketAttendanceRecord) present = NULL;
  g_autoptr(DocketAttendanceRecord) remote = NULL;
  g_autoptr(DocketSpeechRecord) waiting = NULL;

  started = patch_state (council, council->chair, council->hidden_id, "{\"phase\": \"in_session\"}");
  g_assert_cmpint (started->phase, ==, DOCKET_MEETING_PHASE_IN_SESSION);
  item = patch_state (council, council->chair, council->hidden_id, body);
  present = put_presence (council, council->official, council->hidden_id, "daibieu1", "present");
  remote = put_presence (council, council->chair, council->hidden_id, "phochutich", "remote");
  waiting = request_floor (council, council->official, council->hidden_id);
  return set_speech_state (council, council->chair, waiting->id, "speaking");
}

/* The demo's meetings carry their participants' roles and their quorum rule; a change of
 * either is a change of the meeting in everyone's feed. The past session comes as it was
 * held: ended, with its attendance and its speeches. */
static void
test_roles_and_quorum (void)
{
  g_auto(Council) council = { 0 };
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_change_free);
  g_autofree char *cursor = NULL;
  g_autofree char *past_id = NULL;
  DocketMeetingRecord *today;
  DocketMeetingRecord *hidden;
  guint members = 0;
  gint64 version;

  council_start (&council);
  cursor = sync_all (council.server, council.official, NULL, 0, all);
  assert_parents_first (all);

  today = meeting_in (all, council.today_id);
  g_assert_cmpint (today->quorum, ==, DOCKET_QUORUM_MAJORITY);
  g_assert_cmpint (participant_in (today, "chutich")->meeting_role, ==, DOCKET_MEETING_ROLE_CHAIR);
  g_assert_cmpint (participant_in (today, "thuky")->meeting_role, ==, DOCKET_MEETING_ROLE_SECRETARY);
  g_assert_cmpint (participant_in (today, "giamdocstc")->meeting_role, ==, DOCKET_MEETING_ROLE_GUEST);
  g_assert_cmpint (participant_in (today, "phochutich")->meeting_role, ==, DOCKET_MEETING_ROLE_MEMBER);
  g_assert_nonnull (strstr (participant_in (today, "phochutich")->display_name, "Phó Chủ tịch"));
  g_assert_cmpint (participant_in (today, "daibieu1")->meeting_role, ==, DOCKET_MEETING_ROLE_MEMBER);
  for (guint i = 0; i < today->participants->len; i++)
    members += docket_meeting_role_counts_for_quorum (
                 ((DocketParticipant *) g_ptr_array_index (today->participants, i))->meeting_role);
  g_assert_cmpuint (members, >=, 12);
  /* Today's session has not started: no state yet. */
  g_assert_null (find_change (all, DOCKET_CHANGE_MEETING_STATE, council.today_id));
  g_assert_cmpuint (count_live (all, DOCKET_CHANGE_ATTENDANCE, council.today_id), ==, 0);

  hidden = meeting_in (all, council.hidden_id);
  g_assert_cmpint (hidden->quorum, ==, DOCKET_QUORUM_TWO_THIRDS);
  g_assert_cmpint (participant_in (hidden, "chutich")->meeting_role, ==, DOCKET_MEETING_ROLE_CHAIR);

  /* Last month's session, held and ended. */
  past_id = meeting_id_by_title (all, "Kỳ họp thứ 11");
  {
    DocketMeetingStateRecord *state = find_live (all, DOCKET_CHANGE_MEETING_STATE, past_id)->record;

    g_assert_cmpint (state->phase, ==, DOCKET_MEETING_PHASE_ENDED);
    g_assert_nonnull (state->started_at);
    g_assert_nonnull (state->ended_at);
    g_assert_cmpint (g_date_time_compare (state->started_at, state->ended_at), <, 0);
    g_assert_null (state->current_item_id);
    g_assert_cmpuint (count_live (all, DOCKET_CHANGE_ATTENDANCE, past_id), >=, 10);
    g_assert_cmpuint (count_live (all, DOCKET_CHANGE_SPEECH, past_id), >=, 3);
    for (guint i = 0; i < all->len; i++)
      {
        DocketChange *change = g_ptr_array_index (all, i);

        /* Nobody waits for the floor in an ended meeting. */
        if (change->type == DOCKET_CHANGE_SPEECH)
          g_assert_true (((DocketSpeechRecord *) change->record)->state == DOCKET_SPEECH_DONE ||
                         ((DocketSpeechRecord *) change->record)->state == DOCKET_SPEECH_WITHDRAWN);
      }
  }

  /* The secretary makes daibieu2 a guest of today's session, and its quorum two thirds. */
  version = today->version;
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/meetings/%s/participants/daibieu2",
                                             council.today_id);
    g_autofree char *meeting_path = g_strdup_printf ("/api/v1/meetings/%s", council.today_id);

    g_assert_cmpuint (call_json (council.server, "PUT", path, council.secretary,
                                 "{\"meeting_role\": \"guest\"}", NULL), ==, 204);
    g_assert_cmpuint (call_json (council.server, "PATCH", meeting_path, council.secretary,
                                 "{\"quorum\": \"two_thirds\"}", NULL), ==, 200);
  }
  {
    g_autoptr(GPtrArray) changes = sync_since (council.server, council.official, &cursor);
    DocketMeetingRecord *changed = meeting_in (changes, council.today_id);

    g_assert_cmpint (changed->version, >, version);
    g_assert_cmpint (changed->quorum, ==, DOCKET_QUORUM_TWO_THIRDS);
    g_assert_cmpint (participant_in (changed, "daibieu2")->meeting_role, ==, DOCKET_MEETING_ROLE_GUEST);
    g_assert_cmpint (participant_in (changed, "chutich")->meeting_role, ==, DOCKET_MEETING_ROLE_CHAIR);
  }
  assert_unchanged (council.server, council.official, cursor);
}

/* The live records reach every participant, as the endpoints answered them, and nobody
 * else: not an official of the organ who does not take part, not a secretary of another
 * organ. */
static void
test_reach (void)
{
  g_auto(Council) council = { 0 };
  g_autofree char *official_cursor = NULL;
  g_autofree char *chair_cursor = NULL;
  g_autofree char *secretary_cursor = NULL;
  g_autofree char *outsider_cursor = NULL;
  g_autofree char *stranger_cursor = NULL;
  g_autofree char *stranger = NULL;
  g_autofree char *out = NULL;
  g_autoptr(DocketSpeechRecord) speech = NULL;
  g_autoptr(GPtrArray) official = NULL;
  g_autoptr(GPtrArray) chair = NULL;
  g_autoptr(GPtrArray) secretary = NULL;
  g_autofree char *official_live = NULL;
  g_autofree char *chair_live = NULL;
  g_autofree char *secretary_live = NULL;

  council_start (&council);
  g_assert_cmpint (docket_test_server_admin (council.server, "mat-khau-khac\n", &out, "user", "add",
                                             "thuky2", "--role", "secretary", "--organ", "UBND tỉnh",
                                             NULL), ==, 0);
  stranger = docket_test_sign_in (council.server, "thuky2", "mat-khau-khac");
  official_cursor = sync_all (council.server, council.official, NULL, 0, NULL);
  chair_cursor = sync_all (council.server, council.chair, NULL, 0, NULL);
  secretary_cursor = sync_all (council.server, council.secretary, NULL, 0, NULL);
  outsider_cursor = sync_all (council.server, council.outsider, NULL, 0, NULL);
  stranger_cursor = sync_all (council.server, stranger, NULL, 0, NULL);

  speech = hold_session (&council);

  official = sync_since (council.server, council.official, &official_cursor);
  chair = sync_since (council.server, council.chair, &chair_cursor);
  secretary = sync_since (council.server, council.secretary, &secretary_cursor);

  /* Only the live records changed: the state, two attendances and a speech. */
  g_assert_cmpuint (official->len, ==, 4);
  {
    DocketMeetingStateRecord *state = find_live (official, DOCKET_CHANGE_MEETING_STATE,
                                                 council.hidden_id)->record;
    DocketSpeechRecord *fed = find_live (official, DOCKET_CHANGE_SPEECH, speech->id)->record;

    g_assert_cmpint (state->phase, ==, DOCKET_MEETING_PHASE_IN_SESSION);
    g_assert_nonnull (state->started_at);
    g_assert_nonnull (state->current_item_id);
    g_assert_cmpint (count_live (official, DOCKET_CHANGE_ATTENDANCE, council.hidden_id), ==, 2);
    g_assert_cmpint (fed->state, ==, DOCKET_SPEECH_SPEAKING);
    g_assert_cmpstr (fed->username, ==, "daibieu1");
    g_assert_cmpint (fed->number, ==, speech->number);
    g_assert_cmpint (fed->version, ==, speech->version);
  }
  for (guint i = 0; i < official->len; i++)
    {
      DocketChange *change = g_ptr_array_index (official, i);

      if (change->type == DOCKET_CHANGE_ATTENDANCE)
        {
          DocketAttendanceRecord *attendance = change->record;

          g_assert_cmpint (attendance->presence, ==,
                           g_str_equal (attendance->username, "daibieu1") ? DOCKET_PRESENCE_PRESENT
                                                                          : DOCKET_PRESENCE_REMOTE);
        }
    }

  /* The same records for the chair and the secretary. */
  official_live = live_summary (official, council.hidden_id);
  chair_live = live_summary (chair, council.hidden_id);
  secretary_live = live_summary (secretary, council.hidden_id);
  g_assert_cmpstr (chair_live, ==, official_live);
  g_assert_cmpstr (secretary_live, ==, official_live);

  /* Nothing for those who do not see the meeting. */
  assert_nothing_new (council.server, council.outsider, &outsider_cursor);
  assert_nothing_new (council.server, stranger, &stranger_cursor);
  {
    g_autoptr(GPtrArray) outsider_all = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_change_free);
    g_autofree char *from_start = sync_all (council.server, council.outsider, NULL, 0, outsider_all);

    assert_no_live_records (outsider_all, council.hidden_id);
  }

  /* Those who do are unchanged after they have synced. */
  assert_unchanged (council.server, council.official, official_cursor);
  assert_unchanged (council.server, council.chair, chair_cursor);
}

/* A participant added after the session began gets all of it: the meeting, then its state,
 * attendance and speeches as they stand; one taken off gets the meeting's deletion, and
 * nothing of it after. */
static void
test_added_later (void)
{
  g_auto(Council) council = { 0 };
  g_autofree char *cursor = NULL;
  g_autofree char *official_live = NULL;
  g_autoptr(DocketSpeechRecord) speech = NULL;

  council_start (&council);
  cursor = sync_all (council.server, council.outsider, NULL, 0, NULL);
  speech = hold_session (&council);
  {
    g_autoptr(GPtrArray) official = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_change_free);
    g_autofree char *official_cursor = sync_all (council.server, council.official, NULL, 0, official);

    official_live = live_summary (official, council.hidden_id);
    g_assert_cmpuint (count_live (official, DOCKET_CHANGE_MEETING_STATE, council.hidden_id), ==, 1);
    g_assert_cmpuint (count_live (official, DOCKET_CHANGE_ATTENDANCE, council.hidden_id), ==, 2);
    g_assert_cmpuint (count_live (official, DOCKET_CHANGE_SPEECH, council.hidden_id), ==, 1);
  }

  set_participant (&council, council.hidden_id, "daibieu5", TRUE);
  {
    g_autoptr(GPtrArray) changes = sync_since (council.server, council.outsider, &cursor);
    g_autofree char *live = live_summary (changes, council.hidden_id);

    g_assert_nonnull (meeting_in (changes, council.hidden_id));
    assert_parents_first (changes);
    g_assert_cmpstr (live, ==, official_live);
  }
  assert_unchanged (council.server, council.outsider, cursor);

  /* Now a participant: their own check-in, and the speech ended, come to them. */
  {
    g_autoptr(DocketAttendanceRecord) mine = put_presence (&council, council.outsider, council.hidden_id,
                                                           "daibieu5", "present");
    g_autoptr(DocketSpeechRecord) done = set_speech_state (&council, council.chair, speech->id, "done");
    g_autoptr(GPtrArray) changes = sync_since (council.server, council.outsider, &cursor);

    g_assert_cmpuint (changes->len, ==, 2);
    g_assert_cmpint (((DocketAttendanceRecord *) find_live (changes, DOCKET_CHANGE_ATTENDANCE,
                                                            mine->id)->record)->version, ==, mine->version);
    g_assert_cmpint (((DocketSpeechRecord *) find_live (changes, DOCKET_CHANGE_SPEECH,
                                                        speech->id)->record)->state, ==, DOCKET_SPEECH_DONE);
  }

  /* Taken off: the meeting goes, with all of it. */
  set_participant (&council, council.hidden_id, "daibieu5", FALSE);
  {
    g_autoptr(GPtrArray) changes = sync_since (council.server, council.outsider, &cursor);

    g_assert_cmpuint (changes->len, ==, 1);
    g_assert_true (((DocketChange *) g_ptr_array_index (changes, 0))->deleted);
    g_assert_cmpstr (((DocketChange *) g_ptr_array_index (changes, 0))->id, ==, council.hidden_id);
  }
  {
    g_autoptr(DocketSpeechRecord) again = request_floor (&council, council.official, council.hidden_id);
    g_autoptr(DocketAttendanceRecord) absent = put_presence (&council, council.chair, council.hidden_id,
                                                             "daibieu1", "absent");
  }
  assert_nothing_new (council.server, council.outsider, &cursor);
}

/* The current item deleted: the client gets the item's deletion and the state without it,
 * at one number, the deletion first (docs/protocol.md, "Meeting state"). */
static void
test_current_item_deleted (void)
{
  g_auto(Council) council = { 0 };
  g_autofree char *cursor = NULL;
  g_autoptr(DocketSpeechRecord) speech = NULL;
  g_autoptr(DocketMeetingStateRecord) before = NULL;

  council_start (&council);
  speech = hold_session (&council);
  cursor = sync_all (council.server, council.official, NULL, 0, NULL);
  before = patch_state (&council, council.chair, council.hidden_id, "{}");
  g_assert_nonnull (before->current_item_id);
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/items/%s", before->current_item_id);

    g_assert_cmpuint (call_json (council.server, "DELETE", path, council.secretary, NULL, NULL), ==, 204);
  }
  {
    g_autoptr(GPtrArray) changes = sync_since (council.server, council.official, &cursor);
    DocketChange *deletion = find_change (changes, DOCKET_CHANGE_AGENDA_ITEM, before->current_item_id);
    DocketChange *last = g_ptr_array_index (changes, changes->len - 1);
    DocketMeetingStateRecord *state;
    guint deletion_index = 0;

    /* The item's deletion (and its siblings renumbered), then the state, last. */
    g_assert_nonnull (deletion);
    g_assert_true (deletion->deleted);
    g_assert_true (g_ptr_array_find (changes, deletion, &deletion_index));
    g_assert_cmpuint (deletion_index, <, changes->len - 1);
    g_assert_cmpint (last->type, ==, DOCKET_CHANGE_MEETING_STATE);
    g_assert_cmpuint (count_live (changes, DOCKET_CHANGE_MEETING_STATE, council.hidden_id), ==, 1);
    state = last->record;
    g_assert_null (state->current_item_id);
    g_assert_cmpint (state->phase, ==, DOCKET_MEETING_PHASE_IN_SESSION);
    g_assert_cmpint (state->version, >, before->version);
  }
  assert_unchanged (council.server, council.official, cursor);
}

/* Paging */

/* No live record twice in changes. */
static void
assert_each_once (GPtrArray *changes)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < changes->len; i++)
    {
      DocketChange *change = g_ptr_array_index (changes, i);

      if (is_live (change))
        g_assert_true (g_hash_table_add (seen, g_strdup_printf ("%d %s", (int) change->type, change->id)));
    }
}

/* Syncs from since with pages of limit, as sync_all () does, keeping every cursor. */
static char *
sync_pages (DocketTestServer *server,
            const char       *token,
            const char       *since,
            guint             limit,
            GPtrArray        *all,
            GPtrArray        *cursors)
{
  g_autofree char *cursor = g_strdup (since);

  for (guint round = 0; round < 10000; round++)
    {
      g_autoptr(DocketChangesPage) page = get_changes (server, token, cursor, limit);

      /* A page keeps to its limit but for the copies of a meeting before its first change. */
      g_assert_cmpuint (page->changes->len, >=, 1);
      if (page->more)
        g_assert_cmpstr (page->cursor, !=, cursor);
      g_free (cursor);
      cursor = g_strdup (page->cursor);
      g_ptr_array_add (cursors, g_strdup (page->cursor));
      while (page->changes->len > 0)
        g_ptr_array_add (all, g_ptr_array_steal_index (page->changes, 0));
      if (!page->more)
        return g_steal_pointer (&cursor);
    }
  g_assert_not_reached ();
}

static gboolean
some_cursor_inside_type (GPtrArray        *cursors,
                         DocketChangeType  type)
{
  g_autofree char *infix = g_strdup_printf (".%d.", (int) type);

  for (guint i = 0; i < cursors->len; i++)
    if (strstr (g_ptr_array_index (cursors, i), infix) != NULL)
      return TRUE;
  return FALSE;
}

/* Today's session with many live records: a roll call of everyone, some leaving, twelve
 * speeches. */
static void
hold_long_session (Council *council)
{
  g_autofree char *vice = docket_test_sign_in (council->server, "phochutich", NULL);
  const char * const *usernames = docket_test_server_get_usernames (council->server);
  const char *leaving[] = { "daibieu2", "daibieu7", "giamdocstc" };
  const char *id = council->today_id;
  g_autoptr(DocketMeetingStateRecord) started = NULL;

  started = patch_state (council, council->chair, id,
                         "{\"phase\": \"in_session\", \"speech_limit_seconds\": 180}");
  g_assert_cmpint (started->speech_limit_seconds, ==, 180);
  for (guint i = 0; usernames[i] != NULL; i++)
    {
      g_autoptr(DocketAttendanceRecord) attendance =
        put_presence (council, council->chair, id, usernames[i], i % 4 == 3 ? "remote" : "present");
    }
  for (guint i = 0; i < G_N_ELEMENTS (leaving); i++)
    {
      g_autoptr(DocketAttendanceRecord) attendance = put_presence (council, council->chair, id,
                                                                   leaving[i], "absent");
    }
  for (guint round = 0; round < 6; round++)
    {
      g_autoptr(DocketSpeechRecord) first = request_floor (council, council->official, id);
      g_autoptr(DocketSpeechRecord) second = request_floor (council, vice, id);
      g_autoptr(DocketSpeechRecord) speaking = set_speech_state (council, council->chair, first->id, "speaking");
      /* Giving the floor to the next one ends the speech under way. */
      g_autoptr(DocketSpeechRecord) next = set_speech_state (council, council->chair, second->id, "speaking");
      g_autoptr(DocketSpeechRecord) done = set_speech_state (council, council->chair, second->id, "done");
    }
}

/* Many live records at one number (a participant added after a long session), and many
 * at numbers of their own (a member who follows it), in pages of 1 to 3: every record
 * exactly once, after its meeting, and pages that end inside a number resume there. */
static void
test_pages (void)
{
  g_auto(Council) council = { 0 };
  g_autoptr(GPtrArray) reference = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_change_free);
  g_autofree char *reference_live = NULL;
  g_autofree char *reference_cursor = NULL;
  g_autofree char *before = NULL;
  g_autofree char *newcomer = NULL;
  g_autofree char *out = NULL;

  council_start (&council);
  before = sync_all (council.server, council.official, NULL, 0, NULL);
  hold_long_session (&council);
  g_assert_cmpint (docket_test_server_admin (council.server, "mat-khau-moi\n", &out, "user", "add",
                                             "daibieumoi", "--role", "official", "--organ", "HĐND tỉnh",
                                             "--display-name", "Mai Văn Tới", NULL), ==, 0);
  set_participant (&council, council.today_id, "daibieumoi", TRUE);
  newcomer = docket_test_sign_in (council.server, "daibieumoi", "mat-khau-moi");

  reference_cursor = sync_all (council.server, council.official, NULL, 1000, reference);
  assert_each_once (reference);
  assert_parents_first (reference);
  reference_live = live_summary (reference, council.today_id);
  g_assert_cmpuint (count_live (reference, DOCKET_CHANGE_SPEECH, council.today_id), ==, 12);
  g_assert_cmpuint (count_live (reference, DOCKET_CHANGE_ATTENDANCE, council.today_id), ==, DEMO_ACCOUNTS);

  for (guint limit = 1; limit <= 3; limit++)
    {
      g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_change_free);
      g_autoptr(GPtrArray) added_cursors = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GPtrArray) followed = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_change_free);
      g_autoptr(GPtrArray) followed_cursors = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *added_end = NULL;
      g_autofree char *followed_end = NULL;
      g_autofree char *added_live = NULL;
      g_autofree char *followed_live = NULL;

      g_test_message ("pages of %u", limit);
      added_end = sync_pages (council.server, newcomer, NULL, limit, added, added_cursors);
      assert_each_once (added);
      assert_parents_first (added);
      added_live = live_summary (added, council.today_id);
      g_assert_cmpstr (added_live, ==, reference_live);
      /* The whole session came at the number that added the newcomer, cut inside it
       * among each kind of live record (after the one state, in pages of one). */
      if (limit == 1)
        g_assert_true (some_cursor_inside_type (added_cursors, DOCKET_CHANGE_MEETING_STATE));
      g_assert_true (some_cursor_inside_type (added_cursors, DOCKET_CHANGE_ATTENDANCE));
      g_assert_true (some_cursor_inside_type (added_cursors, DOCKET_CHANGE_SPEECH));
      assert_unchanged (council.server, newcomer, added_end);

      followed_end = sync_pages (council.server, council.official, before, limit, followed, followed_cursors);
      assert_each_once (followed);
      followed_live = live_summary (followed, council.today_id);
      g_assert_cmpstr (followed_live, ==, reference_live);
      g_assert_cmpstr (followed_end, ==, reference_cursor);
    }

  /* A cursor inside a number names a type the feed has; 8 is none. */
  {
    g_autofree char *epoch = run_sql_text (council.server, "SELECT value FROM meta WHERE key = 'epoch'");
    g_autofree char *path = g_strdup_printf ("/api/v1/changes?since=%s-1.8.abc", epoch);

    expect_error (council.server, "GET", path, council.official, NULL, 400, "invalid_cursor");
  }
}

/* The SQLite steps of the server's last feed request (DOCKET_SERVER_FEED_STATS). */
static guint64
last_feed_steps (DocketTestServer *server)
{
  g_autofree char *log = NULL;
  g_auto(GStrv) lines = NULL;
  guint64 steps = 0;
  gboolean found = FALSE;

  g_assert_true (g_file_get_contents (docket_test_server_get_log_path (server), &log, NULL, NULL));
  lines = g_strsplit (log, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *at = g_str_has_prefix (lines[i], "feed: ") ? strstr (lines[i], " rows, ") : NULL;

      if (at != NULL)
        {
          steps = g_ascii_strtoull (at + strlen (" rows, "), NULL, 10);
          found = TRUE;
        }
    }
  g_assert_true (found);
  return steps;
}

/* An unchanged sync reads none of the live records, however many there are: it costs the
 * same before and after a long session, for a member and for an official outside it. */
static void
test_unchanged (void)
{
  g_auto(Council) council = { 0 };
  g_autofree char *official = NULL;
  g_autofree char *outsider = NULL;
  g_autoptr(DocketSpeechRecord) other_session = NULL;
  guint64 official_steps, outsider_steps;

  council_start (&council);
  official = sync_all (council.server, council.official, NULL, 0, NULL);
  assert_unchanged (council.server, council.official, official);
  official_steps = last_feed_steps (council.server);
  outsider = sync_all (council.server, council.outsider, NULL, 0, NULL);
  assert_unchanged (council.server, council.outsider, outsider);
  outsider_steps = last_feed_steps (council.server);

  hold_long_session (&council);
  other_session = hold_session (&council);

  {
    g_autoptr(GPtrArray) changes = sync_since (council.server, council.official, &official);

    g_assert_cmpuint (count_live (changes, DOCKET_CHANGE_SPEECH, council.today_id), ==, 12);
  }
  assert_unchanged (council.server, council.official, official);
  g_assert_cmpuint (last_feed_steps (council.server), ==, official_steps);

  {
    g_autoptr(GPtrArray) changes = sync_since (council.server, council.outsider, &outsider);

    /* daibieu5 takes part in today's session, not in the standing committee's. */
    assert_no_live_records (changes, council.hidden_id);
    g_assert_cmpuint (count_live (changes, DOCKET_CHANGE_SPEECH, council.today_id), ==, 12);
  }
  assert_unchanged (council.server, council.outsider, outsider);
  g_assert_cmpuint (last_feed_steps (council.server), ==, outsider_steps);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* Given to every server these tests start: a line per feed request with its steps. */
  g_setenv ("DOCKET_SERVER_FEED_STATS", "1", TRUE);

  g_test_add_func ("/feed-live/roles-and-quorum", test_roles_and_quorum);
  g_test_add_func ("/feed-live/reach", test_reach);
  g_test_add_func ("/feed-live/added-later", test_added_later);
  g_test_add_func ("/feed-live/current-item-deleted", test_current_item_deleted);
  g_test_add_func ("/feed-live/pages", test_pages);
  g_test_add_func ("/feed-live/unchanged", test_unchanged);
  return g_test_run ();
}
