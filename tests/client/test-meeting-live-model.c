/* test-meeting-live-model.c: DocketMeetingLive follows a real store through a meeting
 *
 * Pages of the feed are applied to a store on real files, one after the other as a
 * meeting goes on, and the model is read after each: check-ins move the quorum (a guest
 * never counts), a speech given the floor leaves the queue and becomes the current one
 * as the same object, and the participants keep their objects from the first page to the
 * last. Each step waits for the model to show what its page brought: no sleeps.
 */
#include "config.h"

#include <string.h>

#include "docket-live-labels.h"
#include "docket-meeting-live.h"
#include "docket-store.h"
#include "docket-test-util.h"

#define MEETING "m1"
#define WAIT_SECONDS 30

typedef struct {
  char              *dir;
  DocketStore       *store;
  DocketMeetingLive *live;
  GHashTable        *notified;   /* property name -> count */
} Fixture;

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           Fixture    *fixture)
{
  const char *name = g_param_spec_get_name (pspec);
  guint count = GPOINTER_TO_UINT (g_hash_table_lookup (fixture->notified, name));

  g_hash_table_insert (fixture->notified, (gpointer) g_intern_string (name), GUINT_TO_POINTER (count + 1));
}

static guint
notified (Fixture    *fixture,
          const char *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (fixture->notified, g_intern_string (name)));
}

static void
set_me (DocketStore *store,
        const char  *username)
{
  g_autoptr(DocketUserRecord) user = docket_user_record_new ();
  g_autoptr(GError) error = NULL;

  user->username = g_strdup (username);
  user->display_name = g_strdup (username);
  user->role = DOCKET_ROLE_OFFICIAL;
  user->organ = g_strdup ("HĐND tỉnh");
  g_assert_true (docket_store_set_account (store, "http://127.0.0.1:9", username, &error));
  g_assert_true (docket_store_set_account_user (store, user, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = docket_test_make_tmpdir ("meeting-live-model");
  fixture->store = docket_store_open (fixture->dir, &error);
  g_assert_no_error (error);
  fixture->notified = g_hash_table_new (NULL, NULL);
  set_me (fixture->store, "daibieu1");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->live);
  g_clear_object (&fixture->store);
  /* The store's queued "changed" idles hold it until they run. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_hash_table_unref (fixture->notified);
  docket_test_rmtree (fixture->dir);
  g_free (fixture->dir);
}

static void
apply_json (DocketStore *store,
            const char  *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = docket_protocol_parse_json (json, -1, DOCKET_MAX_JSON_RESPONSE_BYTES, &error);
  g_autoptr(DocketChangesPage) page = NULL;

  g_assert_no_error (error);
  page = docket_changes_page_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_true (docket_store_apply_changes (store, page, &error));
  g_assert_no_error (error);
}

#define PARTICIPANT(USER, NAME, ROLE) \
  "{\"username\": \"" USER "\", \"display_name\": \"" NAME "\", \"role\": \"official\", \"meeting_role\": \"" ROLE "\"}"

#define MEETING_JSON                                                                          \
  "{\"type\": \"meeting\", \"id\": \"" MEETING "\", \"deleted\": false, \"data\": {"          \
  "\"id\": \"" MEETING "\", \"title\": \"Kỳ họp thứ 12\", \"organ\": \"HĐND tỉnh\","          \
  "\"starts_at\": \"2026-11-22T08:00:00+07:00\", \"ends_at\": \"2026-11-22T11:30:00+07:00\"," \
  "\"time_zone\": \"Asia/Ho_Chi_Minh\", \"location\": \"Hội trường\", \"status\": \"published\"," \
  "\"quorum\": \"majority\", \"version\": 10, \"participants\": ["                            \
  PARTICIPANT ("chutich", "Trần Văn Chủ", "chair") ","                                        \
  PARTICIPANT ("daibieu1", "Nguyễn Văn A", "member") ","                                      \
  PARTICIPANT ("daibieu2", "Lê Thị Bình", "member") ","                                       \
  PARTICIPANT ("khach", "Phạm Khách", "guest") ","                                            \
  PARTICIPANT ("thuky", "Đỗ Thư Ký", "secretary") "]}}"

#define STATE_JSON(PHASE, VERSION)                                                            \
  "{\"type\": \"meeting_state\", \"id\": \"" MEETING "\", \"deleted\": false, \"data\": {"    \
  "\"meeting_id\": \"" MEETING "\", \"phase\": \"" PHASE "\","                                \
  "\"started_at\": \"2026-11-22T08:03:12+07:00\", \"ended_at\": null,"                        \
  "\"current_item_id\": null, \"presentation\": null,"                                        \
  "\"speech_limit_seconds\": 120, \"version\": " VERSION "}}"

#define ATTENDANCE_JSON(ID, USER, PRESENCE, VERSION)                                          \
  "{\"type\": \"attendance\", \"id\": \"" ID "\", \"deleted\": false, \"data\": {"            \
  "\"id\": \"" ID "\", \"meeting_id\": \"" MEETING "\", \"username\": \"" USER "\","          \
  "\"presence\": \"" PRESENCE "\", \"since\": \"2026-11-22T07:58:40+07:00\","                 \
  "\"version\": " VERSION "}}"

#define SPEECH_JSON(ID, USER, STATE, NUMBER, VERSION)                                         \
  "{\"type\": \"speech\", \"id\": \"" ID "\", \"deleted\": false, \"data\": {"                \
  "\"id\": \"" ID "\", \"meeting_id\": \"" MEETING "\", \"username\": \"" USER "\","          \
  "\"state\": \"" STATE "\", \"number\": " NUMBER ","                                         \
  "\"requested_at\": \"2026-11-22T08:40:02+07:00\", \"started_at\": null, \"ended_at\": null," \
  "\"limit_seconds\": 0, \"version\": " VERSION "}}"

#define PAGE(CURSOR, CHANGES) \
  "{\"cursor\": \"" CURSOR "\", \"more\": false, \"changes\": [" CHANGES "]}"

/* Conditions to wait for */

static gboolean
is_loaded (gpointer data)
{
  return docket_meeting_live_get_loaded (data);
}

typedef struct {
  DocketMeetingLive *live;
  const char        *username;
  DocketPresence     presence;
} PresenceWait;

static DocketLiveParticipant *
find_participant (DocketMeetingLive *live,
                  const char        *username)
{
  GListModel *participants = docket_meeting_live_get_participants (live);

  for (guint i = 0; i < g_list_model_get_n_items (participants); i++)
    {
      g_autoptr(DocketLiveParticipant) p = g_list_model_get_item (participants, i);

      if (g_strcmp0 (docket_live_participant_get_username (p), username) == 0)
        return p;   /* the list holds it */
    }
  return NULL;
}

static gboolean
has_presence (gpointer data)
{
  PresenceWait *wait = data;
  DocketLiveParticipant *p = find_participant (wait->live, wait->username);

  return p != NULL && docket_live_participant_get_presence (p) == wait->presence;
}

static void
wait_for_presence (Fixture        *fixture,
                   const char     *username,
                   DocketPresence  presence)
{
  PresenceWait wait = { fixture->live, username, presence };

  docket_test_wait_until (has_presence, &wait, WAIT_SECONDS, "a participant's presence in the model");
}

static gboolean
queue_has (gpointer data)
{
  DocketMeetingLive *live = data;

  return g_list_model_get_n_items (docket_meeting_live_get_queue (live)) == 2;
}

static gboolean
has_current_speech (gpointer data)
{
  return docket_meeting_live_get_current_speech (data) != NULL;
}

static gboolean
has_no_participants (gpointer data)
{
  return g_list_model_get_n_items (docket_meeting_live_get_participants (data)) == 0;
}

static gboolean
is_chair (gpointer data)
{
  return docket_meeting_live_get_my_meeting_role (data) == DOCKET_MEETING_ROLE_CHAIR;
}

static void
test_follows_a_meeting (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) objects = g_ptr_array_new_with_free_func (g_object_unref);
  GListModel *participants;
  GListModel *queue;
  DocketLiveParticipant *me;
  g_autoptr(DocketLiveSpeech) first = NULL;
  guint before;

  apply_json (fixture->store, PAGE ("e-10", MEETING_JSON));

  fixture->live = docket_meeting_live_new (fixture->store, MEETING);
  g_signal_connect (fixture->live, "notify", G_CALLBACK (on_notify), fixture);
  docket_test_wait_until (is_loaded, fixture->live, WAIT_SECONDS, "the live meeting's first read");

  participants = docket_meeting_live_get_participants (fixture->live);
  queue = docket_meeting_live_get_queue (fixture->live);
  g_assert_cmpuint (g_list_model_get_n_items (participants), ==, 5);
  for (guint i = 0; i < 5; i++)
    g_ptr_array_add (objects, g_list_model_get_item (participants, i));

  g_assert_cmpstr (docket_meeting_live_get_meeting_id (fixture->live), ==, MEETING);
  g_assert_null (docket_meeting_live_get_error (fixture->live));
  g_assert_cmpint (docket_meeting_live_get_phase (fixture->live), ==, DOCKET_MEETING_PHASE_NOT_STARTED);
  g_assert_cmpint (docket_meeting_live_get_quorum_rule (fixture->live), ==, DOCKET_QUORUM_MAJORITY);
  /* The chair and the two members; neither the guest nor the secretary. */
  g_assert_cmpuint (docket_meeting_live_get_n_members (fixture->live), ==, 3);
  g_assert_cmpuint (docket_meeting_live_get_n_members_checked_in (fixture->live), ==, 0);
  g_assert_cmpuint (docket_meeting_live_get_quorum_needed (fixture->live), ==, 2);
  g_assert_false (docket_meeting_live_get_has_quorum (fixture->live));
  g_assert_cmpint (docket_meeting_live_get_my_meeting_role (fixture->live), ==, DOCKET_MEETING_ROLE_MEMBER);
  g_assert_cmpint (docket_meeting_live_get_my_presence (fixture->live), ==, DOCKET_PRESENCE_ABSENT);
  g_assert_false (docket_meeting_live_get_can_run (fixture->live));
  g_assert_null (docket_meeting_live_get_current_speech (fixture->live));
  g_assert_null (docket_meeting_live_get_my_speech (fixture->live));
  g_assert_cmpuint (g_list_model_get_n_items (queue), ==, 0);

  me = find_participant (fixture->live, "daibieu1");
  g_assert_true (docket_live_participant_get_is_me (me));
  g_assert_false (docket_live_participant_get_is_me (find_participant (fixture->live, "chutich")));
  g_assert_cmpint (docket_live_participant_get_meeting_role (find_participant (fixture->live, "khach")), ==,
                   DOCKET_MEETING_ROLE_GUEST);
  g_assert_cmpstr (docket_live_participant_get_display_name (find_participant (fixture->live, "thuky")), ==,
                   "Đỗ Thư Ký");
  g_assert_null (docket_live_participant_get_since (me));
  g_assert_cmpstr (docket_meeting_role_get_label (DOCKET_MEETING_ROLE_UNKNOWN), ==, "Unknown role");

  /* I check in: one member of three, no quorum yet. */
  g_hash_table_remove_all (fixture->notified);
  apply_json (fixture->store, PAGE ("e-11", ATTENDANCE_JSON ("a1", "daibieu1", "present", "11")));
  wait_for_presence (fixture, "daibieu1", DOCKET_PRESENCE_PRESENT);
  g_assert_cmpuint (docket_meeting_live_get_n_members_checked_in (fixture->live), ==, 1);
  g_assert_false (docket_meeting_live_get_has_quorum (fixture->live));
  g_assert_cmpint (docket_meeting_live_get_my_presence (fixture->live), ==, DOCKET_PRESENCE_PRESENT);
  g_assert_nonnull (docket_live_participant_get_since (me));
  g_assert_cmpuint (notified (fixture, "n-members-checked-in"), ==, 1);
  g_assert_cmpuint (notified (fixture, "my-presence"), ==, 1);
  /* Only what changed is notified. */
  g_assert_cmpuint (notified (fixture, "n-members"), ==, 0);
  g_assert_cmpuint (notified (fixture, "has-quorum"), ==, 0);
  g_assert_cmpuint (notified (fixture, "phase"), ==, 0);
  g_assert_cmpuint (notified (fixture, "quorum-needed"), ==, 0);

  /* The guest checks in: present, but never counted. */
  g_hash_table_remove_all (fixture->notified);
  apply_json (fixture->store, PAGE ("e-12", ATTENDANCE_JSON ("a2", "khach", "present", "12")));
  wait_for_presence (fixture, "khach", DOCKET_PRESENCE_PRESENT);
  g_assert_cmpuint (docket_meeting_live_get_n_members_checked_in (fixture->live), ==, 1);
  g_assert_false (docket_meeting_live_get_has_quorum (fixture->live));
  g_assert_cmpuint (notified (fixture, "n-members-checked-in"), ==, 0);

  /* The chair, remote: two of three, quorum. */
  apply_json (fixture->store, PAGE ("e-13", ATTENDANCE_JSON ("a3", "chutich", "remote", "13")));
  wait_for_presence (fixture, "chutich", DOCKET_PRESENCE_REMOTE);
  g_assert_cmpuint (docket_meeting_live_get_n_members_checked_in (fixture->live), ==, 2);
  g_assert_true (docket_meeting_live_get_has_quorum (fixture->live));
  g_assert_cmpuint (notified (fixture, "has-quorum"), ==, 1);

  /* The meeting starts; two ask for the floor, me first. */
  apply_json (fixture->store,
              PAGE ("e-16",
                    STATE_JSON ("in_session", "14") ","
                    SPEECH_JSON ("s2", "daibieu2", "waiting", "16", "16") ","
                    SPEECH_JSON ("s1", "daibieu1", "waiting", "15", "15")));
  docket_test_wait_until (queue_has, fixture->live, WAIT_SECONDS, "two requests for the floor in the queue");
  g_assert_cmpint (docket_meeting_live_get_phase (fixture->live), ==, DOCKET_MEETING_PHASE_IN_SESSION);
  g_assert_nonnull (docket_meeting_live_get_started_at (fixture->live));
  g_assert_cmpint (docket_meeting_live_get_speech_limit_seconds (fixture->live), ==, 120);
  first = g_list_model_get_item (queue, 0);
  {
    g_autoptr(DocketLiveSpeech) second = g_list_model_get_item (queue, 1);

    /* By number, not by the order they came in. */
    g_assert_cmpstr (docket_live_speech_get_id (first), ==, "s1");
    g_assert_cmpstr (docket_live_speech_get_id (second), ==, "s2");
    g_assert_cmpstr (docket_live_speech_get_display_name (second), ==, "Lê Thị Bình");
    g_assert_false (docket_live_speech_get_is_me (second));
  }
  g_assert_true (docket_live_speech_get_is_me (first));
  g_assert_true (docket_meeting_live_get_my_speech (fixture->live) == first);
  g_assert_null (docket_meeting_live_get_current_speech (fixture->live));

  /* The chair gives me the floor: my request leaves the queue, and is the current speech,
   * the same object. */
  before = notified (fixture, "current-speech");
  apply_json (fixture->store,
              PAGE ("e-17", SPEECH_JSON ("s1", "daibieu1", "speaking", "15", "17")));
  docket_test_wait_until (has_current_speech, fixture->live, WAIT_SECONDS, "the speech under way");
  g_assert_true (docket_meeting_live_get_current_speech (fixture->live) == first);
  g_assert_true (docket_meeting_live_get_my_speech (fixture->live) == first);
  g_assert_cmpint (docket_live_speech_get_state (first), ==, DOCKET_SPEECH_SPEAKING);
  g_assert_cmpuint (notified (fixture, "current-speech"), ==, before + 1);
  g_assert_cmpuint (g_list_model_get_n_items (queue), ==, 1);
  {
    g_autoptr(DocketLiveSpeech) next = g_list_model_get_item (queue, 0);

    g_assert_cmpstr (docket_live_speech_get_id (next), ==, "s2");
  }

  /* Through all of it, every participant kept its object, in its place. */
  g_assert_cmpuint (g_list_model_get_n_items (participants), ==, 5);
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (participants, i);

      g_assert_true (item == g_ptr_array_index (objects, i));
    }

  /* The meeting leaves the cache: the model shows nothing of it. */
  apply_json (fixture->store, PAGE ("e-18", "{\"type\": \"meeting\", \"id\": \"" MEETING "\", \"deleted\": true}"));
  docket_test_wait_until (has_no_participants, fixture->live, WAIT_SECONDS, "the meeting gone from the model");
  g_assert_cmpuint (g_list_model_get_n_items (queue), ==, 0);
  g_assert_null (docket_meeting_live_get_current_speech (fixture->live));
  g_assert_null (docket_meeting_live_get_my_speech (fixture->live));
  g_assert_cmpuint (docket_meeting_live_get_n_members (fixture->live), ==, 0);
  g_assert_false (docket_meeting_live_get_has_quorum (fixture->live));
  g_assert_cmpint (docket_meeting_live_get_my_meeting_role (fixture->live), ==, DOCKET_MEETING_ROLE_UNKNOWN);
}

/* Who I am decides my role: the chair may run the meeting. A role of a later protocol
 * counts for nothing, and offers nothing. */
static void
test_my_role (Fixture       *fixture,
              gconstpointer  data)
{
  apply_json (fixture->store, PAGE ("e-10", MEETING_JSON));
  set_me (fixture->store, "chutich");

  fixture->live = docket_meeting_live_new (fixture->store, MEETING);
  docket_test_wait_until (is_chair, fixture->live, WAIT_SECONDS, "the chair's role in the model");
  g_assert_true (docket_meeting_live_get_can_run (fixture->live));
  g_assert_true (docket_live_participant_get_is_me (find_participant (fixture->live, "chutich")));
  g_assert_false (docket_live_participant_get_is_me (find_participant (fixture->live, "daibieu1")));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/meeting-live-model/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("follows-a-meeting", test_follows_a_meeting);
  ADD ("my-role", test_my_role);

#undef ADD

  return g_test_run ();
}
