/* test-live-meeting.c: the live meeting end to end, on several real laptops at once
 *
 * The real docket-server with the demo council, and one real profile (store, sync engine
 * in automatic mode, DocketMeetingLive over the store) for each of several demo officials:
 * the chair, the meetings' secretary, two members and the guest. Automatic mode polls
 * every five minutes, far beyond every wait here: only the live channel can bring what
 * the others did in time. Each step waits until every laptop's model shows the same
 * thing, never for a time:
 *
 *   check-in-and-quorum  members check in one by one; every laptop counts them and finds
 *                        quorum at the 7th of 12; the guest's check-in counts for nothing
 *   present-and-join     the chair starts, sets the item, presents page 2; a laptop signed
 *                        in afterwards shows the same after its first sync
 *   speaker-queue        three ask for the floor; the chair gives it to the second; a
 *                        withdrawal and the end of the speech, on every laptop
 *   reconnect            the server killed and started again; the chair changes the item
 *                        before any laptop is back: every one reconnects and catches up
 *   command-line         `docket-server user disable` (another process) ends that
 *                        official's session on their laptop at once; the others go on
 */
#include "config.h"

#include <string.h>

#include "docket-meeting-live.h"
#include "docket-live-participant.h"
#include "docket-live-speech.h"
#include "docket-sync-enums.h"
#include "docket-test-client.h"

/* The demo's session of today (README, "The demo council"). */
#define TODAY_TITLE  "Kỳ họp thứ 12"
#define N_MEMBERS    12
#define QUORUM       7   /* majority of 12 */

/* One official's Docket. */
typedef struct {
  char              *username;
  char              *dir;
  DocketStore       *store;
  DocketSync        *sync;
  DocketMeetingLive *live;
} Laptop;

typedef struct {
  DocketTestClient  client;       /* the server, the temporary folder, the secretary's token */
  GPtrArray        *laptops;      /* Laptop*, the first one the chair's */
  char             *meeting_id;
  char             *first_item_id;
  char             *second_item_id;
  char             *document_id;  /* a document of the meeting with at least two pages */
} Fixture;

/* The laptops every case starts with. */
static const char * const officials[] = { "chutich", "thuky", "daibieu1", "daibieu2", "giamdocstc" };

/* Finding the meeting */

/* Today's session from the secretary's feed: its id, two of its agenda items (first and
 * second in the feed) and a document of two pages or more. */
static void
find_today (Fixture *fixture)
{
  g_autoptr(JsonNode) feed = docket_test_client_secretary_feed (&fixture->client);
  JsonArray *changes = json_object_get_array_member (json_node_get_object (feed), "changes");

  for (guint i = 0; i < json_array_get_length (changes) && fixture->meeting_id == NULL; i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);
      JsonObject *data;

      if (!g_str_equal (json_object_get_string_member (change, "type"), "meeting") ||
          json_object_get_boolean_member (change, "deleted"))
        continue;
      data = json_object_get_object_member (change, "data");
      if (g_str_has_prefix (json_object_get_string_member (data, "title"), TODAY_TITLE))
        fixture->meeting_id = g_strdup (json_object_get_string_member (data, "id"));
    }
  g_assert_nonnull (fixture->meeting_id);

  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);
      const char *type = json_object_get_string_member (change, "type");
      JsonObject *data;

      if (json_object_get_boolean_member (change, "deleted"))
        continue;
      data = json_object_get_object_member (change, "data");
      if (g_strcmp0 (json_object_get_string_member_with_default (data, "meeting_id", NULL),
                     fixture->meeting_id) != 0)
        continue;
      if (g_str_equal (type, "agenda_item"))
        {
          if (fixture->first_item_id == NULL)
            fixture->first_item_id = g_strdup (json_object_get_string_member (data, "id"));
          else if (fixture->second_item_id == NULL)
            fixture->second_item_id = g_strdup (json_object_get_string_member (data, "id"));
        }
      else if (g_str_equal (type, "document") && fixture->document_id == NULL &&
               json_object_get_int_member (data, "pages") >= 2)
        fixture->document_id = g_strdup (json_object_get_string_member (data, "id"));
    }
  g_assert_nonnull (fixture->first_item_id);
  g_assert_nonnull (fixture->second_item_id);
  g_assert_nonnull (fixture->document_id);
}

/* Laptops */

static gboolean
laptop_is_live (gpointer data)
{
  Laptop *laptop = data;

  return docket_sync_get_live_state (laptop->sync) == DOCKET_LIVE_STATE_LIVE &&
         docket_sync_get_state (laptop->sync) == DOCKET_SYNC_STATE_IDLE;
}

static gboolean
laptop_has_meeting (gpointer data)
{
  Laptop *laptop = data;

  return docket_meeting_live_get_loaded (laptop->live) &&
         docket_meeting_live_get_n_members (laptop->live) == N_MEMBERS;
}

static void
laptop_free (Laptop *laptop)
{
  g_clear_object (&laptop->live);
  if (laptop->sync != NULL)
    docket_sync_stop_automatic (laptop->sync);
  if (laptop->store != NULL)
    docket_test_profile_close (&laptop->store, &laptop->sync);
  g_free (laptop->username);
  g_free (laptop->dir);
  g_free (laptop);
}

/* A new profile for username, signed in, with the meeting's model over its store. With
 * automatic, in automatic mode and waited for until its channel is live and its first
 * run done; else after one run (a laptop that syncs once). */
static Laptop *
laptop_open (Fixture    *fixture,
             const char *username,
             gboolean    automatic)
{
  DocketTestServer *server = fixture->client.server;
  Laptop *laptop = g_new0 (Laptop, 1);
  g_autoptr(GError) error = NULL;

  laptop->username = g_strdup (username);
  laptop->dir = g_build_filename (fixture->client.tmpdir, username, NULL);
  docket_test_profile_open (laptop->dir, &laptop->store, &laptop->sync);
  error = docket_test_sync_sign_in (laptop->sync, docket_test_server_get_url (server), username,
                                    docket_test_server_get_password (server, username));
  g_assert_no_error (error);

  if (automatic)
    {
      docket_sync_start_automatic (laptop->sync);
      docket_test_wait_until (laptop_is_live, laptop, DOCKET_TEST_WAIT_SECONDS, "a laptop's live channel");
    }
  else
    {
      error = docket_test_sync_run (laptop->sync);
      g_assert_no_error (error);
    }

  laptop->live = docket_meeting_live_new (laptop->store, fixture->meeting_id);
  docket_test_wait_until (laptop_has_meeting, laptop, DOCKET_TEST_WAIT_SECONDS,
                          "today's meeting in a laptop's model");
  return laptop;
}

static Laptop *
laptop_of (Fixture    *fixture,
           const char *username)
{
  for (guint i = 0; i < fixture->laptops->len; i++)
    {
      Laptop *laptop = g_ptr_array_index (fixture->laptops, i);

      if (g_str_equal (laptop->username, username))
        return laptop;
    }
  g_assert_not_reached ();
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  docket_test_client_set_up (&fixture->client, "live-meeting");
  find_today (fixture);
  fixture->laptops = g_ptr_array_new_with_free_func ((GDestroyNotify) laptop_free);
  for (guint i = 0; i < G_N_ELEMENTS (officials); i++)
    g_ptr_array_add (fixture->laptops, laptop_open (fixture, officials[i], TRUE));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->laptops, g_ptr_array_unref);
  docket_test_client_tear_down (&fixture->client);
  g_free (fixture->meeting_id);
  g_free (fixture->first_item_id);
  g_free (fixture->second_item_id);
  g_free (fixture->document_id);
}

/* Waiting until every laptop shows something */

typedef gboolean (*LaptopCheck) (Laptop *laptop, gconstpointer expected);

typedef struct {
  Fixture       *fixture;
  LaptopCheck    check;
  gconstpointer  expected;
} AllWait;

static gboolean
all_laptops_show (gpointer data)
{
  AllWait *wait = data;

  for (guint i = 0; i < wait->fixture->laptops->len; i++)
    if (!wait->check (g_ptr_array_index (wait->fixture->laptops, i), wait->expected))
      return FALSE;
  return TRUE;
}

static void
wait_all (Fixture       *fixture,
          LaptopCheck    check,
          gconstpointer  expected,
          const char    *what)
{
  AllWait wait = { fixture, check, expected };

  docket_test_wait_until (all_laptops_show, &wait, DOCKET_TEST_WAIT_SECONDS, what);
}

/* Actions, each on one laptop, waited for */

static void
action_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  DocketTestResult *outcome = user_data;

  docket_sync_live_action_finish (DOCKET_SYNC (object), result, &outcome->error);
  outcome->done = TRUE;
}

/* Runs CALL (whose last arguments are action_cb, &outcome_) and asserts it succeeded. */
#define RUN_ACTION(what, CALL)                                                    \
  G_STMT_START {                                                                  \
    DocketTestResult outcome_ = { 0 };                                            \
    CALL;                                                                         \
    docket_test_wait_for_result (&outcome_, DOCKET_TEST_WAIT_SECONDS, (what));    \
    g_assert_no_error (outcome_.error);                                           \
  } G_STMT_END

static DocketLiveParticipant *
find_participant (Laptop     *laptop,
                  const char *username)
{
  GListModel *participants = docket_meeting_live_get_participants (laptop->live);

  for (guint i = 0; i < g_list_model_get_n_items (participants); i++)
    {
      g_autoptr(DocketLiveParticipant) p = g_list_model_get_item (participants, i);

      if (g_strcmp0 (docket_live_participant_get_username (p), username) == 0)
        return p;   /* the list holds it */
    }
  return NULL;
}

/* 1. Check-in and quorum */

static gboolean
shows_checked_in (Laptop        *laptop,
                  gconstpointer  expected)
{
  return docket_meeting_live_get_n_members_checked_in (laptop->live) == GPOINTER_TO_UINT (expected);
}

static gboolean
shows_guest_present (Laptop        *laptop,
                     gconstpointer  username)
{
  DocketLiveParticipant *p = find_participant (laptop, username);

  return p != NULL && docket_live_participant_get_presence (p) == DOCKET_PRESENCE_PRESENT;
}

static void
assert_quorum_everywhere (Fixture *fixture,
                          guint    checked_in)
{
  for (guint i = 0; i < fixture->laptops->len; i++)
    {
      Laptop *laptop = g_ptr_array_index (fixture->laptops, i);

      g_assert_cmpuint (docket_meeting_live_get_n_members (laptop->live), ==, N_MEMBERS);
      g_assert_cmpuint (docket_meeting_live_get_quorum_needed (laptop->live), ==, QUORUM);
      g_assert_cmpint (docket_meeting_live_get_quorum_rule (laptop->live), ==, DOCKET_QUORUM_MAJORITY);
      g_assert_cmpuint (docket_meeting_live_get_n_members_checked_in (laptop->live), ==, checked_in);
      g_assert_cmpint (docket_meeting_live_get_has_quorum (laptop->live), ==, checked_in >= QUORUM);
    }
}

static void
test_check_in_and_quorum (Fixture       *fixture,
                          gconstpointer  data)
{
  /* The members in the order they arrive: those with a laptop check themselves in; the
   * secretary's roll call checks in the others. */
  static const char * const members[] = {
    "chutich", "daibieu1", "daibieu2", "phochutich", "daibieu3", "daibieu4",
    "daibieu5", "daibieu6", "daibieu7", "daibieu8", "daibieu9", "daibieu10",
  };
  Laptop *secretary = laptop_of (fixture, "thuky");
  Laptop *guest = laptop_of (fixture, "giamdocstc");

  G_STATIC_ASSERT (G_N_ELEMENTS (members) == N_MEMBERS);
  assert_quorum_everywhere (fixture, 0);

  for (guint i = 0; i < N_MEMBERS; i++)
    {
      const char *username = members[i];
      gboolean has_laptop = FALSE;

      for (guint j = 0; j < G_N_ELEMENTS (officials); j++)
        has_laptop = has_laptop || g_str_equal (officials[j], username);

      if (has_laptop)
        RUN_ACTION ("a member's check-in",
                    docket_sync_set_presence_async (laptop_of (fixture, username)->sync,
                                                    fixture->meeting_id, NULL,
                                                    i % 2 == 0 ? DOCKET_PRESENCE_PRESENT
                                                               : DOCKET_PRESENCE_REMOTE,
                                                    NULL, action_cb, &outcome_));
      else
        RUN_ACTION ("the secretary's roll call",
                    docket_sync_set_presence_async (secretary->sync, fixture->meeting_id, username,
                                                    DOCKET_PRESENCE_PRESENT,
                                                    NULL, action_cb, &outcome_));
      wait_all (fixture, shows_checked_in, GUINT_TO_POINTER (i + 1),
                "every laptop counting the members checked in");
      g_test_message ("%u members checked in: quorum %s", i + 1, i + 1 >= QUORUM ? "yes" : "no");
      assert_quorum_everywhere (fixture, i + 1);

      /* The guest comes after the third member: present on every laptop, counted by none. */
      if (i == 2)
        {
          RUN_ACTION ("the guest's check-in",
                      docket_sync_set_presence_async (guest->sync, fixture->meeting_id, NULL,
                                                      DOCKET_PRESENCE_PRESENT,
                                                      NULL, action_cb, &outcome_));
          wait_all (fixture, shows_guest_present, "giamdocstc", "every laptop showing the guest present");
          assert_quorum_everywhere (fixture, 3);
          g_assert_cmpint (docket_meeting_live_get_my_presence (guest->live), ==, DOCKET_PRESENCE_PRESENT);
        }
    }
}

/* 2. The chair runs the meeting; a laptop that comes later sees where it stands */

static gboolean
shows_presentation (Laptop        *laptop,
                    gconstpointer  data)
{
  const Fixture *fixture = data;

  return docket_meeting_live_get_phase (laptop->live) == DOCKET_MEETING_PHASE_IN_SESSION &&
         g_strcmp0 (docket_meeting_live_get_current_item_id (laptop->live), fixture->first_item_id) == 0 &&
         g_strcmp0 (docket_meeting_live_get_presented_document_id (laptop->live), fixture->document_id) == 0 &&
         docket_meeting_live_get_presented_page (laptop->live) == 1;
}

static void
test_present_and_join (Fixture       *fixture,
                       gconstpointer  data)
{
  Laptop *chair = laptop_of (fixture, "chutich");
  Laptop *late;

  for (guint i = 0; i < fixture->laptops->len; i++)
    {
      Laptop *laptop = g_ptr_array_index (fixture->laptops, i);

      g_assert_cmpint (docket_meeting_live_get_phase (laptop->live), ==, DOCKET_MEETING_PHASE_NOT_STARTED);
      g_assert_null (docket_meeting_live_get_current_item_id (laptop->live));
      g_assert_cmpint (docket_meeting_live_get_can_run (laptop->live), ==,
                       g_str_equal (laptop->username, "chutich") || g_str_equal (laptop->username, "thuky"));
    }

  RUN_ACTION ("the chair's start",
              docket_sync_set_meeting_phase_async (chair->sync, fixture->meeting_id,
                                                   DOCKET_MEETING_PHASE_IN_SESSION,
                                                   NULL, action_cb, &outcome_));
  RUN_ACTION ("the chair's current item",
              docket_sync_set_current_item_async (chair->sync, fixture->meeting_id, fixture->first_item_id,
                                                  NULL, action_cb, &outcome_));
  /* Pages count from 0: the second page. */
  RUN_ACTION ("the chair's presentation",
              docket_sync_present_async (chair->sync, fixture->meeting_id, fixture->document_id, 1,
                                         NULL, action_cb, &outcome_));
  wait_all (fixture, shows_presentation, fixture, "every laptop showing the item and the page presented");
  for (guint i = 0; i < fixture->laptops->len; i++)
    g_assert_nonnull (docket_meeting_live_get_started_at (((Laptop *) g_ptr_array_index (fixture->laptops, i))->live));

  /* An official who signs in now: their first sync shows the same. */
  late = laptop_open (fixture, "daibieu3", FALSE);
  g_ptr_array_add (fixture->laptops, late);
  g_assert_true (shows_presentation (late, fixture));
  g_assert_nonnull (docket_meeting_live_get_started_at (late->live));
  g_assert_cmpint (docket_meeting_live_get_my_meeting_role (late->live), ==, DOCKET_MEETING_ROLE_MEMBER);
}

/* 3. The speaker queue */

/* The queue's user names, space-separated ("" when empty). */
static char *
describe_queue (Laptop *laptop)
{
  GListModel *queue = docket_meeting_live_get_queue (laptop->live);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (queue); i++)
    {
      g_autoptr(DocketLiveSpeech) speech = g_list_model_get_item (queue, i);

      g_string_append_printf (text, "%s%s", i > 0 ? " " : "", docket_live_speech_get_username (speech));
    }
  return g_strdup (text->str);
}

/* What a laptop shows of the floor: "SPEAKER | QUEUE" ("-" for nobody speaking). */
static char *
describe_floor (Laptop *laptop)
{
  DocketLiveSpeech *current = docket_meeting_live_get_current_speech (laptop->live);
  g_autofree char *queue = describe_queue (laptop);

  if (current != NULL && docket_live_speech_get_state (current) != DOCKET_SPEECH_SPEAKING)
    return g_strdup ("current speech not speaking");
  return g_strdup_printf ("%s | %s", current != NULL ? docket_live_speech_get_username (current) : "-", queue);
}

static gboolean
shows_floor (Laptop        *laptop,
             gconstpointer  expected)
{
  g_autofree char *floor = describe_floor (laptop);

  return g_str_equal (floor, expected);
}

static void
wait_floor (Fixture    *fixture,
            const char *expected,
            const char *what)
{
  wait_all (fixture, shows_floor, expected, what);
  g_test_message ("every laptop: %s", expected);
}

static void
test_speaker_queue (Fixture       *fixture,
                    gconstpointer  data)
{
  static const char * const askers[] = { "daibieu2", "daibieu1", "giamdocstc" };
  Laptop *chair = laptop_of (fixture, "chutich");
  g_autoptr(DocketLiveSpeech) second = NULL;
  DocketLiveSpeech *mine;

  RUN_ACTION ("the chair's start",
              docket_sync_set_meeting_phase_async (chair->sync, fixture->meeting_id,
                                                   DOCKET_MEETING_PHASE_IN_SESSION,
                                                   NULL, action_cb, &outcome_));

  /* One after the other, each waited for on every laptop, so that their order is known. */
  RUN_ACTION ("a request for the floor",
              docket_sync_request_floor_async (laptop_of (fixture, askers[0])->sync, fixture->meeting_id,
                                               NULL, action_cb, &outcome_));
  wait_floor (fixture, "- | daibieu2", "the first request on every laptop");
  RUN_ACTION ("a request for the floor",
              docket_sync_request_floor_async (laptop_of (fixture, askers[1])->sync, fixture->meeting_id,
                                               NULL, action_cb, &outcome_));
  wait_floor (fixture, "- | daibieu2 daibieu1", "the second request on every laptop");
  RUN_ACTION ("a request for the floor",
              docket_sync_request_floor_async (laptop_of (fixture, askers[2])->sync, fixture->meeting_id,
                                               NULL, action_cb, &outcome_));
  wait_floor (fixture, "- | daibieu2 daibieu1 giamdocstc", "the three requests in order on every laptop");
  for (guint i = 0; i < G_N_ELEMENTS (askers); i++)
    {
      DocketLiveSpeech *my = docket_meeting_live_get_my_speech (laptop_of (fixture, askers[i])->live);

      g_assert_nonnull (my);
      g_assert_true (docket_live_speech_get_is_me (my));
      g_assert_cmpstr (docket_live_speech_get_username (my), ==, askers[i]);
    }
  g_assert_null (docket_meeting_live_get_my_speech (chair->live));

  /* The chair gives the floor to the second. */
  second = g_list_model_get_item (docket_meeting_live_get_queue (chair->live), 1);
  g_assert_cmpstr (docket_live_speech_get_username (second), ==, "daibieu1");
  RUN_ACTION ("the chair giving the floor",
              docket_sync_set_speech_state_async (chair->sync, docket_live_speech_get_id (second),
                                                  DOCKET_SPEECH_SPEAKING, NULL, action_cb, &outcome_));
  wait_floor (fixture, "daibieu1 | daibieu2 giamdocstc", "the second speaking on every laptop");
  g_assert_nonnull (docket_live_speech_get_started_at (docket_meeting_live_get_current_speech (laptop_of (fixture, "thuky")->live)));

  /* The first withdraws their request. */
  mine = docket_meeting_live_get_my_speech (laptop_of (fixture, "daibieu2")->live);
  g_assert_nonnull (mine);
  RUN_ACTION ("a withdrawal",
              docket_sync_set_speech_state_async (laptop_of (fixture, "daibieu2")->sync,
                                                  docket_live_speech_get_id (mine),
                                                  DOCKET_SPEECH_WITHDRAWN, NULL, action_cb, &outcome_));
  wait_floor (fixture, "daibieu1 | giamdocstc", "the withdrawal on every laptop");
  g_assert_null (docket_meeting_live_get_my_speech (laptop_of (fixture, "daibieu2")->live));

  /* The chair ends the speech: nobody speaks, the guest is next. */
  RUN_ACTION ("the chair ending the speech",
              docket_sync_set_speech_state_async (chair->sync, docket_live_speech_get_id (second),
                                                  DOCKET_SPEECH_DONE, NULL, action_cb, &outcome_));
  wait_floor (fixture, "- | giamdocstc", "the end of the speech on every laptop");
  g_assert_null (docket_meeting_live_get_my_speech (laptop_of (fixture, "daibieu1")->live));
}

/* 4. The connection cut: the server killed and started again */

static gboolean
shows_item (Laptop        *laptop,
            gconstpointer  item_id)
{
  return g_strcmp0 (docket_meeting_live_get_current_item_id (laptop->live), item_id) == 0;
}

static gboolean
is_reconnecting (Laptop        *laptop,
                 gconstpointer  data)
{
  return docket_sync_get_live_state (laptop->sync) == DOCKET_LIVE_STATE_RECONNECTING;
}

static gboolean
is_live_again (Laptop        *laptop,
               gconstpointer  data)
{
  return laptop_is_live (laptop);
}

static void
test_reconnect (Fixture       *fixture,
                gconstpointer  data)
{
  DocketTestServer *server = fixture->client.server;
  Laptop *chair = laptop_of (fixture, "chutich");
  g_autofree char *chair_token = docket_test_sign_in (server, "chutich", NULL);
  g_autofree char *url = g_strdup_printf ("%s/api/v1/meetings/%s/state", docket_test_server_get_url (server),
                                          fixture->meeting_id);
  g_autofree char *json = g_strdup_printf ("{\"current_item_id\": \"%s\"}", fixture->second_item_id);
  g_autoptr(GBytes) body = g_bytes_new (json, strlen (json));
  g_autoptr(GBytes) answer = NULL;

  RUN_ACTION ("the chair's start on the first item",
              docket_sync_set_meeting_phase_async (chair->sync, fixture->meeting_id,
                                                   DOCKET_MEETING_PHASE_IN_SESSION,
                                                   NULL, action_cb, &outcome_));
  RUN_ACTION ("the chair's current item",
              docket_sync_set_current_item_async (chair->sync, fixture->meeting_id, fixture->first_item_id,
                                                  NULL, action_cb, &outcome_));
  wait_all (fixture, shows_item, fixture->first_item_id, "the first item on every laptop");

  docket_test_server_kill (server);
  wait_all (fixture, is_reconnecting, NULL, "every laptop's channel to see the server gone");
  docket_test_server_restart (server);
  /* The chair moves on over HTTP before any laptop's loop runs again, so before any can
   * reconnect: a change every one learns of only by catching up. */
  g_assert_cmpuint (docket_test_http ("PATCH", url, chair_token, "application/json", body, &answer), ==, 200);

  wait_all (fixture, shows_item, fixture->second_item_id, "every laptop caught up with the item");
  wait_all (fixture, is_live_again, NULL, "every laptop live again");
  for (guint i = 0; i < fixture->laptops->len; i++)
    g_assert_cmpint (docket_meeting_live_get_phase (((Laptop *) g_ptr_array_index (fixture->laptops, i))->live),
                     ==, DOCKET_MEETING_PHASE_IN_SESSION);

  /* And the channels carry changes again: the chair, from their laptop this time. */
  RUN_ACTION ("the chair's current item after the restart",
              docket_sync_set_current_item_async (chair->sync, fixture->meeting_id, fixture->first_item_id,
                                                  NULL, action_cb, &outcome_));
  wait_all (fixture, shows_item, fixture->first_item_id, "the item back to the first on every laptop");
}

/* 5. A change made through the command line, by another process */

static gboolean
is_signed_out (gpointer data)
{
  Laptop *laptop = data;

  return docket_sync_get_state (laptop->sync) == DOCKET_SYNC_STATE_SIGNED_OUT;
}

static void
test_command_line (Fixture       *fixture,
                   gconstpointer  data)
{
  DocketTestServer *server = fixture->client.server;
  Laptop *official = laptop_of (fixture, "daibieu2");
  Laptop *chair = laptop_of (fixture, "chutich");
  g_autofree char *out = NULL;

  /* The administrator disables daibieu2 on the server's machine: their Docket learns it
   * through its channel, not at its next poll. */
  g_assert_cmpint (docket_test_server_admin (server, NULL, &out, "user", "disable", "daibieu2", NULL), ==, 0);
  docket_test_wait_until (is_signed_out, official, DOCKET_TEST_WAIT_SECONDS,
                          "the disabled official's laptop signed out");
  g_assert_false (docket_sync_get_signed_in (official->sync));
  g_assert_cmpint (docket_sync_get_live_state (official->sync), ==, DOCKET_LIVE_STATE_OFFLINE);

  /* The others stay signed in and live (waited for: one may be pulling), and still
   * hear the chair. */
  g_ptr_array_remove (fixture->laptops, official);
  wait_all (fixture, is_live_again, NULL, "the other laptops live");
  for (guint i = 0; i < fixture->laptops->len; i++)
    g_assert_true (docket_sync_get_signed_in (((Laptop *) g_ptr_array_index (fixture->laptops, i))->sync));
  RUN_ACTION ("the chair's start",
              docket_sync_set_meeting_phase_async (chair->sync, fixture->meeting_id,
                                                   DOCKET_MEETING_PHASE_IN_SESSION,
                                                   NULL, action_cb, &outcome_));
  RUN_ACTION ("the chair's current item",
              docket_sync_set_current_item_async (chair->sync, fixture->meeting_id, fixture->first_item_id,
                                                  NULL, action_cb, &outcome_));
  wait_all (fixture, shows_item, fixture->first_item_id, "the item on every other laptop");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/live-meeting/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("check-in-and-quorum", test_check_in_and_quorum);
  ADD ("present-and-join", test_present_and_join);
  ADD ("speaker-queue", test_speaker_queue);
  ADD ("reconnect", test_reconnect);
  ADD ("command-line", test_command_line);

#undef ADD

  return g_test_run ();
}
