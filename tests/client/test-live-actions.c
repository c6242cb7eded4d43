/* test-live-actions.c: two real clients run a meeting on the real docket-server
 *
 * The chair's Docket starts the meeting, sets the current item and presents a page; an
 * official's Docket checks in and asks for the floor; the chair gives it. Each side's
 * store shows each step once it has pulled the feed (the actions themselves write
 * nothing to the store). Refusals (an official setting the item, a guest checking in as
 * a member, anything once the meeting has ended) come back as GErrors in words for the
 * person who tried, and change nothing on either side.
 */
#include "config.h"

#include <string.h>

#include "docket-test-client.h"

typedef struct {
  DocketTestClient  client;        /* the chair's profile */
  char             *official_dir;
  DocketStore      *official_store;
  DocketSync       *official_sync;
  char             *meeting_id;
  char             *item_id;
  char             *document_id;
  char             *chair;         /* user names of the meeting's chair, a member and a guest */
  char             *official;
  char             *guest;
  gboolean          server_runs_meetings;  /* its info lists the live meeting's capabilities */
} Fixture;

/* The secretary's API */

static guint
secretary_call (Fixture    *fixture,
                const char *method,
                const char *path,
                const char *json)
{
  g_autofree char *url = g_strconcat (docket_test_server_get_url (fixture->client.server), path, NULL);
  g_autoptr(GBytes) body = json != NULL ? g_bytes_new (json, strlen (json)) : NULL;
  g_autoptr(GBytes) answer = NULL;

  return docket_test_http (method, url, fixture->client.secretary_token,
                           json != NULL ? "application/json" : NULL, body, &answer);
}

static void
set_meeting_role (Fixture    *fixture,
                  const char *username,
                  const char *role)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/meetings/%s/participants/%s",
                                           fixture->meeting_id, username);
  g_autofree char *body = g_strdup_printf ("{\"meeting_role\": \"%s\"}", role);

  g_assert_cmpuint (secretary_call (fixture, "PUT", path, body), ==, 204);
}

/* The meeting of the test: a published one of the demo that has not started, with an
 * item and a document; its chair (the demo's, or one made now), a member and a guest
 * among its participants. */
static void
choose_meeting (Fixture *fixture)
{
  g_autoptr(JsonNode) feed = docket_test_client_secretary_feed (&fixture->client);
  JsonArray *changes = json_object_get_array_member (json_node_get_object (feed), "changes");
  g_autoptr(GHashTable) started = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) items = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) documents = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) members = g_ptr_array_new ();
  JsonObject *meeting = NULL;

  /* Where each meeting stands, and its first item and document. */
  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);
      const char *type = json_object_get_string_member (change, "type");
      JsonObject *data;

      if (json_object_get_boolean_member (change, "deleted"))
        continue;
      data = json_object_get_object_member (change, "data");
      if (g_str_equal (type, "meeting_state") &&
          !g_str_equal (json_object_get_string_member (data, "phase"), "not_started"))
        g_hash_table_add (started, (gpointer) json_object_get_string_member (data, "meeting_id"));
      else if (g_str_equal (type, "agenda_item") && json_object_get_null_member (data, "parent_id"))
        g_hash_table_insert (items, (gpointer) json_object_get_string_member (data, "meeting_id"),
                             (gpointer) json_object_get_string_member (data, "id"));
      else if (g_str_equal (type, "document"))
        g_hash_table_insert (documents, (gpointer) json_object_get_string_member (data, "meeting_id"),
                             (gpointer) json_object_get_string_member (data, "id"));
    }

  for (guint i = 0; i < json_array_get_length (changes) && meeting == NULL; i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);
      JsonObject *data;
      const char *id;

      if (!g_str_equal (json_object_get_string_member (change, "type"), "meeting") ||
          json_object_get_boolean_member (change, "deleted"))
        continue;
      data = json_object_get_object_member (change, "data");
      id = json_object_get_string_member (data, "id");
      if (g_str_equal (json_object_get_string_member (data, "status"), "published") &&
          !g_hash_table_contains (started, id) &&
          g_hash_table_contains (items, id) && g_hash_table_contains (documents, id))
        meeting = data;
    }
  g_assert_nonnull (meeting);

  fixture->meeting_id = g_strdup (json_object_get_string_member (meeting, "id"));
  fixture->item_id = g_strdup (g_hash_table_lookup (items, fixture->meeting_id));
  fixture->document_id = g_strdup (g_hash_table_lookup (documents, fixture->meeting_id));

  {
    JsonArray *participants = json_object_get_array_member (meeting, "participants");

    for (guint j = 0; j < json_array_get_length (participants); j++)
      {
        JsonObject *p = json_array_get_object_element (participants, j);
        const char *username = json_object_get_string_member (p, "username");
        const char *role = json_object_get_string_member_with_default (p, "meeting_role", "member");

        if (g_str_equal (role, "chair"))
          fixture->chair = g_strdup (username);
        else if (g_str_equal (role, "guest") && fixture->guest == NULL)
          fixture->guest = g_strdup (username);
        else if (g_str_equal (role, "member"))
          g_ptr_array_add (members, (gpointer) username);
      }
  }

  /* A meeting without those roles gets them. */
  g_assert_cmpuint (members->len, >=, 3);
  if (fixture->chair == NULL)
    {
      fixture->chair = g_strdup (g_ptr_array_steal_index (members, 0));
      set_meeting_role (fixture, fixture->chair, "chair");
    }
  if (fixture->guest == NULL)
    {
      fixture->guest = g_strdup (g_ptr_array_steal_index (members, members->len - 1));
      set_meeting_role (fixture, fixture->guest, "guest");
    }
  fixture->official = g_strdup (g_ptr_array_index (members, 0));

  g_test_message ("meeting %s: chair %s, member %s, guest %s", fixture->meeting_id,
                  fixture->chair, fixture->official, fixture->guest);
}

static void
sign_in_profile (Fixture     *fixture,
                 DocketSync  *sync,
                 const char  *username)
{
  g_autoptr(GError) error = docket_test_sync_sign_in (sync,
                                                      docket_test_server_get_url (fixture->client.server),
                                                      username,
                                                      docket_test_server_get_password (fixture->client.server,
                                                                                       username));

  g_assert_no_error (error);
  error = docket_test_sync_run (sync);
  g_assert_no_error (error);
}

/* Whether this build's server lists what the live meeting needs (GET /api/v1/info). */
static gboolean
server_runs_meetings (Fixture *fixture)
{
  g_autofree char *url = g_strconcat (docket_test_server_get_url (fixture->client.server), "/api/v1/info", NULL);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *capabilities;
  guint found = 0;

  g_assert_cmpuint (docket_test_http ("GET", url, NULL, NULL, NULL, &answer), ==, 200);
  root = json_from_string (g_bytes_get_data (answer, NULL), NULL);
  g_assert_nonnull (root);
  capabilities = json_object_get_array_member (json_node_get_object (root), "capabilities");
  for (guint i = 0; i < json_array_get_length (capabilities); i++)
    {
      const char *word = json_array_get_string_element (capabilities, i);

      if (g_strcmp0 (word, "meeting_state") == 0 || g_strcmp0 (word, "attendance") == 0 ||
          g_strcmp0 (word, "speeches") == 0)
        found++;
    }
  return found == 3;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  docket_test_client_set_up (&fixture->client, "live-actions");
  fixture->server_runs_meetings = server_runs_meetings (fixture);
  if (!fixture->server_runs_meetings)
    return;
  choose_meeting (fixture);

  sign_in_profile (fixture, fixture->client.sync, fixture->chair);

  fixture->official_dir = g_build_filename (fixture->client.tmpdir, "official", NULL);
  docket_test_profile_open (fixture->official_dir, &fixture->official_store, &fixture->official_sync);
  sign_in_profile (fixture, fixture->official_sync, fixture->official);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->official_store != NULL)
    docket_test_profile_close (&fixture->official_store, &fixture->official_sync);
  docket_test_client_tear_down (&fixture->client);
  g_free (fixture->official_dir);
  g_free (fixture->meeting_id);
  g_free (fixture->item_id);
  g_free (fixture->document_id);
  g_free (fixture->chair);
  g_free (fixture->official);
  g_free (fixture->guest);
}

/* Running the actions and waiting for them */

static void
action_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  DocketTestResult *outcome = user_data;

  docket_sync_live_action_finish (DOCKET_SYNC (object), result, &outcome->error);
  outcome->done = TRUE;
}

#define WAIT_ACTION(outcome, what) \
  docket_test_wait_for_result (&(outcome), DOCKET_TEST_WAIT_SECONDS, (what))

/* A pull of sync's own, after the one its action asked for: a run asked for during
 * another joins it, so when it ends the store has what the server had then. */
static void
pull (DocketSync *sync)
{
  g_autoptr(GError) error = docket_test_sync_run (sync);

  g_assert_no_error (error);
}

static DocketStoreMeetingLive *
load_live (DocketStore *store,
           const char  *meeting_id)
{
  g_autoptr(GError) error = NULL;
  DocketStoreMeetingLive *live = docket_store_load_meeting_live (store, meeting_id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (live);
  return live;
}

static DocketAttendanceRecord *
find_attendance (DocketStoreMeetingLive *live,
                 const char             *username)
{
  for (guint i = 0; i < live->attendance->len; i++)
    {
      DocketAttendanceRecord *a = g_ptr_array_index (live->attendance, i);

      if (g_strcmp0 (a->username, username) == 0)
        return a;
    }
  return NULL;
}

/* The live records as text: to compare before and after what must change nothing. */
static char *
describe_live (DocketStore *store,
               const char  *meeting_id)
{
  g_autoptr(DocketStoreMeetingLive) live = load_live (store, meeting_id);
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, "state %s v%" G_GINT64_FORMAT " item %s doc %s page %d\n",
                          docket_meeting_phase_to_string (live->state->phase), live->state->version,
                          live->state->current_item_id, live->state->presented_document_id,
                          live->state->presented_page);
  for (guint i = 0; i < live->attendance->len; i++)
    {
      DocketAttendanceRecord *a = g_ptr_array_index (live->attendance, i);

      g_string_append_printf (text, "attendance %s %s v%" G_GINT64_FORMAT "\n", a->username,
                              docket_presence_to_string (a->presence), a->version);
    }
  for (guint i = 0; i < live->speeches->len; i++)
    {
      DocketSpeechRecord *s = g_ptr_array_index (live->speeches, i);

      g_string_append_printf (text, "speech %s %s %s v%" G_GINT64_FORMAT "\n", s->id, s->username,
                              docket_speech_state_to_string (s->state), s->version);
    }
  return g_string_free (text, FALSE);
}

/* The whole meeting, from the chair's and the official's laptops. */
static void
test_run_a_meeting (Fixture       *fixture,
                    gconstpointer  data)
{
  DocketTestResult outcome = { 0 };
  g_autoptr(DocketStoreMeetingLive) live = NULL;
  DocketSpeechRecord *speech;
  g_autofree char *speech_id = NULL;
  DocketStore *stores[2] = { fixture->client.store, fixture->official_store };
  DocketSync *syncs[2] = { fixture->client.sync, fixture->official_sync };

  /* Before anything: not started, on both sides. */
  live = load_live (fixture->official_store, fixture->meeting_id);
  g_assert_cmpint (live->state->phase, ==, DOCKET_MEETING_PHASE_NOT_STARTED);
  g_clear_pointer (&live, docket_store_meeting_live_free);

  /* The official checks in as they arrive, before the start. */
  docket_sync_set_presence_async (fixture->official_sync, fixture->meeting_id, NULL,
                                  DOCKET_PRESENCE_PRESENT, NULL, action_cb, &outcome);
  WAIT_ACTION (outcome, "the official's check-in");
  g_assert_no_error (outcome.error);
  outcome = (DocketTestResult) { 0 };

  /* The chair starts the meeting, sets the item and presents page 1 of a document. */
  docket_sync_set_meeting_phase_async (fixture->client.sync, fixture->meeting_id,
                                       DOCKET_MEETING_PHASE_IN_SESSION, NULL, action_cb, &outcome);
  WAIT_ACTION (outcome, "the chair's start");
  g_assert_no_error (outcome.error);
  outcome = (DocketTestResult) { 0 };
  docket_sync_set_current_item_async (fixture->client.sync, fixture->meeting_id, fixture->item_id,
                                      NULL, action_cb, &outcome);
  WAIT_ACTION (outcome, "the chair's current item");
  g_assert_no_error (outcome.error);
  outcome = (DocketTestResult) { 0 };
  docket_sync_present_async (fixture->client.sync, fixture->meeting_id, fixture->document_id, 0,
                             NULL, action_cb, &outcome);
  WAIT_ACTION (outcome, "the chair's presentation");
  g_assert_no_error (outcome.error);
  outcome = (DocketTestResult) { 0 };
  docket_sync_set_speech_limit_async (fixture->client.sync, fixture->meeting_id, 180,
                                      NULL, action_cb, &outcome);
  WAIT_ACTION (outcome, "the chair's speaking time");
  g_assert_no_error (outcome.error);
  outcome = (DocketTestResult) { 0 };

  /* Both laptops show it once they have pulled. */
  for (guint i = 0; i < 2; i++)
    {
      pull (syncs[i]);
      live = load_live (stores[i], fixture->meeting_id);
      g_assert_cmpint (live->state->phase, ==, DOCKET_MEETING_PHASE_IN_SESSION);
      g_assert_nonnull (live->state->started_at);
      g_assert_cmpstr (live->state->current_item_id, ==, fixture->item_id);
      g_assert_cmpstr (live->state->presented_document_id, ==, fixture->document_id);
      g_assert_cmpint (live->state->presented_page, ==, 0);
      g_assert_cmpint (live->state->speech_limit_seconds, ==, 180);
      g_assert_nonnull (find_attendance (live, fixture->official));
      g_assert_cmpint (find_attendance (live, fixture->official)->presence, ==, DOCKET_PRESENCE_PRESENT);
      g_clear_pointer (&live, docket_store_meeting_live_free);
    }

  /* The official asks for the floor. */
  docket_sync_request_floor_async (fixture->official_sync, fixture->meeting_id, NULL, action_cb, &outcome);
  WAIT_ACTION (outcome, "the official's request for the floor");
  g_assert_no_error (outcome.error);
  outcome = (DocketTestResult) { 0 };

  pull (fixture->client.sync);
  live = load_live (fixture->client.store, fixture->meeting_id);
  g_assert_cmpuint (live->speeches->len, ==, 1);
  speech = g_ptr_array_index (live->speeches, 0);
  g_assert_cmpstr (speech->username, ==, fixture->official);
  g_assert_cmpint (speech->state, ==, DOCKET_SPEECH_WAITING);
  speech_id = g_strdup (speech->id);
  g_clear_pointer (&live, docket_store_meeting_live_free);

  /* The chair gives it; both see the official speaking, with the meeting's limit. */
  docket_sync_set_speech_state_async (fixture->client.sync, speech_id, DOCKET_SPEECH_SPEAKING,
                                      NULL, action_cb, &outcome);
  WAIT_ACTION (outcome, "the chair giving the floor");
  g_assert_no_error (outcome.error);
  outcome = (DocketTestResult) { 0 };

  for (guint i = 0; i < 2; i++)
    {
      pull (syncs[i]);
      live = load_live (stores[i], fixture->meeting_id);
      g_assert_cmpuint (live->speeches->len, ==, 1);
      speech = g_ptr_array_index (live->speeches, 0);
      g_assert_cmpstr (speech->id, ==, speech_id);
      g_assert_cmpint (speech->state, ==, DOCKET_SPEECH_SPEAKING);
      g_assert_nonnull (speech->started_at);
      g_assert_cmpint (speech->limit_seconds, ==, 180);
      g_clear_pointer (&live, docket_store_meeting_live_free);
    }

  /* The speaker ends their own speech. */
  docket_sync_set_speech_state_async (fixture->official_sync, speech_id, DOCKET_SPEECH_DONE,
                                      NULL, action_cb, &outcome);
  WAIT_ACTION (outcome, "the speaker ending the speech");
  g_assert_no_error (outcome.error);
  outcome = (DocketTestResult) { 0 };
  pull (fixture->client.sync);
  live = load_live (fixture->client.store, fixture->meeting_id);
  g_assert_cmpint (((DocketSpeechRecord *) g_ptr_array_index (live->speeches, 0))->state, ==,
                   DOCKET_SPEECH_DONE);
}

typedef void (*ActionStart) (Fixture *fixture, DocketTestResult *outcome);

/* Runs an action that must be refused: the error's message is the sentence expected,
 * and neither laptop holds anything new after it has pulled. */
static void
assert_refused (Fixture     *fixture,
                ActionStart  start,
                gint         code,
                const char  *message,
                const char  *what)
{
  DocketTestResult outcome = { 0 };
  g_autofree char *chair_before = NULL;
  g_autofree char *official_before = NULL;
  g_autofree char *chair_after = NULL;
  g_autofree char *official_after = NULL;
  g_autofree char *cursor_before = NULL;
  g_autofree char *cursor_after = NULL;

  pull (fixture->client.sync);
  pull (fixture->official_sync);
  chair_before = describe_live (fixture->client.store, fixture->meeting_id);
  official_before = describe_live (fixture->official_store, fixture->meeting_id);
  cursor_before = docket_store_dup_cursor (fixture->official_store);

  start (fixture, &outcome);
  WAIT_ACTION (outcome, what);
  g_assert_error (outcome.error, DOCKET_SYNC_ERROR, code);
  g_test_message ("%s: %s", what, outcome.error->message);
  if (message != NULL)
    g_assert_cmpstr (outcome.error->message, ==, message);
  g_clear_error (&outcome.error);

  pull (fixture->client.sync);
  pull (fixture->official_sync);
  chair_after = describe_live (fixture->client.store, fixture->meeting_id);
  official_after = describe_live (fixture->official_store, fixture->meeting_id);
  cursor_after = docket_store_dup_cursor (fixture->official_store);
  g_assert_cmpstr (chair_after, ==, chair_before);
  g_assert_cmpstr (official_after, ==, official_before);
  /* Nothing at all was written on the server. */
  g_assert_cmpstr (cursor_after, ==, cursor_before);
}

static void
official_sets_item (Fixture          *fixture,
                    DocketTestResult *outcome)
{
  docket_sync_set_current_item_async (fixture->official_sync, fixture->meeting_id, fixture->item_id,
                                      NULL, action_cb, outcome);
}

static void
official_starts (Fixture          *fixture,
                 DocketTestResult *outcome)
{
  docket_sync_set_meeting_phase_async (fixture->official_sync, fixture->meeting_id,
                                       DOCKET_MEETING_PHASE_IN_SESSION, NULL, action_cb, outcome);
}

static void
guest_checks_in_as_member (Fixture          *fixture,
                           DocketTestResult *outcome)
{
  /* The chair's roll call, saying the guest is a member. */
  docket_sync_set_presence_full_async (fixture->client.sync, fixture->meeting_id, fixture->guest,
                                       DOCKET_PRESENCE_PRESENT, DOCKET_MEETING_ROLE_MEMBER,
                                       NULL, action_cb, outcome);
}

static void
official_asks_floor (Fixture          *fixture,
                     DocketTestResult *outcome)
{
  docket_sync_request_floor_async (fixture->official_sync, fixture->meeting_id, NULL, action_cb, outcome);
}

static void
official_checks_in (Fixture          *fixture,
                    DocketTestResult *outcome)
{
  docket_sync_set_presence_async (fixture->official_sync, fixture->meeting_id, NULL,
                                  DOCKET_PRESENCE_REMOTE, NULL, action_cb, outcome);
}

static void
test_refusals (Fixture       *fixture,
               gconstpointer  data)
{
  DocketTestResult outcome = { 0 };

  /* Not the chair: running the meeting is refused, started or not. */
  assert_refused (fixture, official_starts, DOCKET_SYNC_ERROR_REFUSED,
                  "Only the chair or the meeting’s secretary can run the meeting.",
                  "the official starting the meeting");
  /* Asking for the floor before the start. */
  assert_refused (fixture, official_asks_floor, DOCKET_SYNC_ERROR_REFUSED,
                  "The meeting has not started yet.", "a request for the floor before the start");

  docket_sync_set_meeting_phase_async (fixture->client.sync, fixture->meeting_id,
                                       DOCKET_MEETING_PHASE_IN_SESSION, NULL, action_cb, &outcome);
  WAIT_ACTION (outcome, "the chair's start");
  g_assert_no_error (outcome.error);
  outcome = (DocketTestResult) { 0 };

  assert_refused (fixture, official_sets_item, DOCKET_SYNC_ERROR_REFUSED,
                  "Only the chair or the meeting’s secretary can run the meeting.",
                  "the official setting the current item");
  {
    g_autofree char *message = g_strdup_printf ("%s takes part in this meeting as a guest.", fixture->guest);

    assert_refused (fixture, guest_checks_in_as_member, DOCKET_SYNC_ERROR_REFUSED, message,
                    "a guest checked in as a member");
  }

  /* Once the meeting has ended, nothing more. */
  docket_sync_set_meeting_phase_async (fixture->client.sync, fixture->meeting_id,
                                       DOCKET_MEETING_PHASE_ENDED, NULL, action_cb, &outcome);
  WAIT_ACTION (outcome, "the chair's end");
  g_assert_no_error (outcome.error);
  outcome = (DocketTestResult) { 0 };

  assert_refused (fixture, official_checks_in, DOCKET_SYNC_ERROR_REFUSED,
                  "The meeting has ended.", "a check-in after the end");
  assert_refused (fixture, official_asks_floor, DOCKET_SYNC_ERROR_REFUSED,
                  "The meeting has ended.", "a request for the floor after the end");
}

/* Without the server: a sentence saying so, at once, and nothing queued for later. */
static void
test_server_gone (Fixture       *fixture,
                  gconstpointer  data)
{
  DocketTestResult outcome = { 0 };
  g_autofree char *before = describe_live (fixture->official_store, fixture->meeting_id);
  g_autofree char *after = NULL;
  guint waiting = 1;
  g_autoptr(GError) error = NULL;

  docket_test_server_shut_down (fixture->client.server);

  docket_sync_request_floor_async (fixture->official_sync, fixture->meeting_id, NULL, action_cb, &outcome);
  WAIT_ACTION (outcome, "a request for the floor with the server gone");
  g_assert_error (outcome.error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (outcome.error->message, docket_test_server_get_url (fixture->client.server)));
  g_clear_error (&outcome.error);

  after = describe_live (fixture->official_store, fixture->meeting_id);
  g_assert_cmpstr (after, ==, before);
  g_assert_true (docket_store_count_outbox (fixture->official_store, &waiting, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (waiting, ==, 0);

  docket_test_server_restart (fixture->client.server);
}

static void
refreshed_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  DocketTestResult *outcome = user_data;

  docket_sync_refresh_account_finish (DOCKET_SYNC (object), result, &outcome->error);
  outcome->done = TRUE;
}

static gboolean
store_knows_live (gpointer data)
{
  return docket_store_has_capability (data, "live");
}

/* Who is signed in, from the sign-in answer; what the server can do, from GET
 * /api/v1/info when asked, and from the live channel's own reads. */
static void
test_account (Fixture       *fixture,
              gconstpointer  data)
{
  DocketTestResult outcome = { 0 };
  g_autoptr(DocketUserRecord) user = docket_store_dup_account_user (fixture->official_store);

  g_assert_nonnull (user);
  g_assert_cmpstr (user->username, ==, fixture->official);
  g_assert_cmpint (user->role, ==, DOCKET_ROLE_OFFICIAL);
  g_assert_nonnull (user->display_name);
  g_assert_cmpstr (user->display_name, !=, fixture->official);
  g_assert_cmpstr (user->organ, !=, "");

  /* Not asked yet: a run does not ask (it stays one request). */
  g_assert_false (docket_store_has_capability (fixture->official_store, "meeting_state"));
  docket_sync_refresh_account_async (fixture->official_sync, NULL, refreshed_cb, &outcome);
  WAIT_ACTION (outcome, "the account's refresh");
  g_assert_no_error (outcome.error);
  g_assert_true (docket_store_has_capability (fixture->official_store, "meeting_state"));
  g_assert_true (docket_store_has_capability (fixture->official_store, "attendance"));
  g_assert_true (docket_store_has_capability (fixture->official_store, "speeches"));
  g_assert_false (docket_store_has_capability (fixture->official_store, "no_such_thing"));
  g_clear_pointer (&user, docket_user_record_free);
  user = docket_store_dup_account_user (fixture->official_store);
  g_assert_cmpstr (user->username, ==, fixture->official);
  g_assert_cmpint (user->role, ==, DOCKET_ROLE_OFFICIAL);

  /* An engine that syncs by itself learns them from its live channel. */
  g_assert_false (docket_store_has_capability (fixture->client.store, "live"));
  docket_sync_start_automatic (fixture->client.sync);
  docket_test_wait_until (store_knows_live, fixture->client.store, DOCKET_TEST_WAIT_SECONDS,
                          "the capabilities the live channel read, in the store");
  g_assert_true (docket_store_has_capability (fixture->client.store, "meeting_state"));
  docket_sync_stop_automatic (fixture->client.sync);
}

typedef struct {
  const char *path;
  void      (*func) (Fixture *fixture, gconstpointer data);
} LiveCase;

static const LiveCase cases[] = {
  { "/live-actions/run-a-meeting", test_run_a_meeting },
  { "/live-actions/refusals", test_refusals },
  { "/live-actions/server-gone", test_server_gone },
  { "/live-actions/account", test_account },
};

/* Every case needs a server that runs meetings: one of a build without the live
 * meeting's endpoints (a branch before them) skips, and says why. */
static void
run_case (Fixture       *fixture,
          gconstpointer  data)
{
  const LiveCase *live_case = data;

  if (!fixture->server_runs_meetings)
    {
      g_test_skip ("the server does not list meeting_state, attendance and speeches");
      return;
    }
  live_case->func (fixture, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_test_add (cases[i].path, Fixture, &cases[i], fixture_set_up, run_case, fixture_tear_down);

  return g_test_run ();
}
