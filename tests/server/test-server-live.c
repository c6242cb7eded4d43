/* test-server-live.c: the live meeting on the real docket-server over HTTP — meeting
 * roles and quorum, running the meeting, attendance, speeches (docs/protocol.md, "Roles
 * in a meeting" and "The live meeting")
 *
 * Each case makes its own published meeting of the demo's users: daibieu1 chairs it,
 * daibieu2 is a member, daibieu3 a guest, daibieu4 its secretary; daibieu5 does not take
 * part, and thuky (the organ's secretary) manages it without taking part. Every refusal
 * is checked to change nothing: the sequence of changes, which every write moves, stays
 * where it was (assert_unchanged).
 */
#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "docket-records.h"
#include "test-server-common.h"

typedef struct {
  DocketTestServer *server;
  char             *secretary;    /* thuky: manages the meeting, takes no part in it */
  char             *chair;        /* daibieu1 */
  char             *member;       /* daibieu2 */
  char             *guest;        /* daibieu3 */
  char             *clerk;        /* daibieu4: the meeting's secretary */
  char             *outsider;     /* daibieu5: no participant */
  char             *meeting_id;
  char             *item_id;      /* a top-level item, with the document */
  char             *sub_item_id;  /* under item_id */
  char             *other_item_id;
  char             *document_id;  /* one page, of item_id */
  char             *foreign_item_id;      /* of another meeting */
  char             *foreign_document_id;
  char             *cursor;       /* the secretary's, at the top of the sequence */
} Fixture;

/* Replaces the text in *slot, freeing the old one. */
static void
take (char **slot,
      char  *value)
{
  g_free (*slot);
  *slot = value;
}

static JsonObject *
object_of (JsonNode *root)
{
  g_assert_nonnull (root);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_node_get_object (root);
}

/* A call that must answer status; its JSON answer (may be NULL). */
static JsonNode *
call_ok (Fixture    *f,
         const char *method,
         const char *path,
         const char *token,
         const char *json,
         guint       status)
{
  JsonNode *root = NULL;
  guint got = call_json (f->server, method, path, token, json, &root);

  if (got != status)
    g_error ("%s %s %s -> %u, not %u: %s", method, path, json ? json : "", got, status,
             root ? json_to_string (root, FALSE) : "(no body)");
  return root;
}

/* Frees an answer that may be none (204). */
static void
drop (JsonNode *root)
{
  g_clear_pointer (&root, json_node_unref);
}

static char *
id_of (JsonNode *root)
{
  return g_strdup (json_object_get_string_member (object_of (root), "id"));
}

/* Moves the fixture's cursor to the top of the sequence. */
static void
catch_up (Fixture *f)
{
  char *cursor = sync_all (f->server, f->secretary, f->cursor, 0, NULL);

  g_free (f->cursor);
  f->cursor = cursor;
}

/* A request refused with status and code that changed nothing; its message. */
static char *
refused (Fixture    *f,
         const char *method,
         const char *path,
         const char *token,
         const char *json,
         guint       status,
         const char *code)
{
  g_autoptr(JsonNode) root = NULL;
  guint got;

  catch_up (f);
  got = call_json (f->server, method, path, token, json, &root);
  g_test_message ("%s %s %s -> %u %s", method, path, json ? json : "", got,
                  root ? member_string (root, "message") : "");
  assert_error (got, root, status, code);
  assert_unchanged (f->server, f->secretary, f->cursor);
  return g_strdup (member_string (root, "message"));
}

static void
assert_refused (Fixture    *f,
                const char *method,
                const char *path,
                const char *token,
                const char *json,
                guint       status,
                const char *code)
{
  g_free (refused (f, method, path, token, json, status, code));
}

static char *
create_meeting (Fixture    *f,
                const char *title,
                const char *status)
{
  g_autofree char *body = g_strdup_printf ("{\"title\": \"%s\", \"starts_at\": \"2026-12-08T08:00:00+07:00\","
                                           " \"ends_at\": \"2026-12-08T11:30:00+07:00\","
                                           " \"time_zone\": \"Asia/Ho_Chi_Minh\", \"quorum\": \"two_thirds\"}",
                                           title);
  g_autoptr(JsonNode) created = call_ok (f, "POST", "/api/v1/meetings", f->secretary, body, 201);
  g_autofree char *id = id_of (created);
  g_autofree char *path = g_strdup_printf ("/api/v1/meetings/%s", id);
  g_autofree char *publish = g_strdup_printf ("{\"status\": \"%s\"}", status);

  g_assert_cmpstr (member_string (created, "quorum"), ==, "two_thirds");
  if (!g_str_equal (status, "draft"))
    drop (call_ok (f, "PATCH", path, f->secretary, publish, 200));
  return g_steal_pointer (&id);
}

static void
put_participant (Fixture    *f,
                 const char *meeting_id,
                 const char *username,
                 const char *meeting_role)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/meetings/%s/participants/%s", meeting_id, username);
  g_autofree char *body = meeting_role ? g_strdup_printf ("{\"meeting_role\": \"%s\"}", meeting_role) : NULL;
  g_autoptr(JsonNode) root = call_ok (f, "PUT", path, f->secretary, body, 204);
}

static char *
create_item (Fixture    *f,
             const char *meeting_id,
             const char *title,
             const char *parent_id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/meetings/%s/items", meeting_id);
  g_autofree char *body = parent_id
                          ? g_strdup_printf ("{\"title\": \"%s\", \"parent_id\": \"%s\"}", title, parent_id)
                          : g_strdup_printf ("{\"title\": \"%s\"}", title);
  g_autoptr(JsonNode) root = call_ok (f, "POST", path, f->secretary, body, 201);

  return id_of (root);
}

/* A document of one page under item_id. */
static char *
upload_document (Fixture    *f,
                 const char *item_id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/items/%s/documents?title=T%%E1%%BB%%9D", item_id);
  g_autoptr(GBytes) pdf = docket_test_make_pdf (2048);
  g_autoptr(JsonNode) root = NULL;

  g_assert_cmpuint (call (f->server, "POST", path, f->secretary, "application/pdf", pdf, &root), ==, 201);
  g_assert_cmpint (json_object_get_int_member (object_of (root), "pages"), ==, 1);
  return id_of (root);
}

static Fixture *
fixture_new (void)
{
  Fixture *f = g_new0 (Fixture, 1);
  g_autofree char *foreign = NULL;

  f->server = docket_test_server_start (TRUE);
  f->secretary = docket_test_sign_in (f->server, "thuky", NULL);
  f->chair = docket_test_sign_in (f->server, "daibieu1", NULL);
  f->member = docket_test_sign_in (f->server, "daibieu2", NULL);
  f->guest = docket_test_sign_in (f->server, "daibieu3", NULL);
  f->clerk = docket_test_sign_in (f->server, "daibieu4", NULL);
  f->outsider = docket_test_sign_in (f->server, "daibieu5", NULL);

  f->meeting_id = create_meeting (f, "Phiên họp trực tiếp", "published");
  put_participant (f, f->meeting_id, "daibieu1", "chair");
  put_participant (f, f->meeting_id, "daibieu2", NULL);
  put_participant (f, f->meeting_id, "daibieu3", "guest");
  put_participant (f, f->meeting_id, "daibieu4", "secretary");
  f->item_id = create_item (f, f->meeting_id, "Báo cáo", NULL);
  f->sub_item_id = create_item (f, f->meeting_id, "Thẩm tra", f->item_id);
  f->other_item_id = create_item (f, f->meeting_id, "Nghị quyết", NULL);
  f->document_id = upload_document (f, f->item_id);

  /* Another meeting the same people take part in. */
  foreign = create_meeting (f, "Phiên họp khác", "published");
  put_participant (f, foreign, "daibieu1", "chair");
  f->foreign_item_id = create_item (f, foreign, "Mục khác", NULL);
  f->foreign_document_id = upload_document (f, f->foreign_item_id);

  catch_up (f);
  return f;
}

static void
fixture_free (Fixture *f)
{
  docket_test_server_stop (f->server);
  g_free (f->secretary);
  g_free (f->chair);
  g_free (f->member);
  g_free (f->guest);
  g_free (f->clerk);
  g_free (f->outsider);
  g_free (f->meeting_id);
  g_free (f->item_id);
  g_free (f->sub_item_id);
  g_free (f->other_item_id);
  g_free (f->document_id);
  g_free (f->foreign_item_id);
  g_free (f->foreign_document_id);
  g_free (f->cursor);
  g_free (f);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fixture, fixture_free)

/* Paths */

static char *
state_path (const char *meeting_id)
{
  return g_strdup_printf ("/api/v1/meetings/%s/state", meeting_id);
}

static char *
attendance_path (const char *meeting_id,
                 const char *username)
{
  return username ? g_strdup_printf ("/api/v1/meetings/%s/attendance/%s", meeting_id, username)
                  : g_strdup_printf ("/api/v1/meetings/%s/attendance", meeting_id);
}

static char *
speeches_path (const char *meeting_id)
{
  return g_strdup_printf ("/api/v1/meetings/%s/speeches", meeting_id);
}

static char *
speech_path (const char *speech_id)
{
  return g_strdup_printf ("/api/v1/speeches/%s", speech_id);
}

/* Records out of answers, through the clients' own readers */

static DocketMeetingStateRecord *
patch_state (Fixture    *f,
             const char *token,
             const char *json,
             guint       status)
{
  g_autofree char *path = state_path (f->meeting_id);
  g_autoptr(JsonNode) root = call_ok (f, "PATCH", path, token, json, status);
  g_autoptr(GError) error = NULL;
  DocketMeetingStateRecord *state;

  state = docket_meeting_state_record_from_json (json_object_get_member (object_of (root), "meeting_state"),
                                                 &error);
  g_assert_no_error (error);
  return state;
}

/* The state as it is: an empty PATCH by the chair changes nothing and answers it. */
static DocketMeetingStateRecord *
read_state (Fixture *f)
{
  return patch_state (f, f->chair, "{}", 200);
}

static DocketAttendanceRecord *
put_attendance (Fixture    *f,
                const char *token,
                const char *username,
                const char *json)
{
  g_autofree char *path = attendance_path (f->meeting_id, username);
  g_autoptr(JsonNode) root = call_ok (f, "PUT", path, token, json, 200);
  g_autoptr(GError) error = NULL;
  DocketAttendanceRecord *attendance;

  attendance = docket_attendance_record_from_json (json_object_get_member (object_of (root), "attendance"),
                                                   &error);
  g_assert_no_error (error);
  return attendance;
}

static DocketSpeechRecord *
speech_of (JsonNode *root)
{
  g_autoptr(GError) error = NULL;
  DocketSpeechRecord *speech;

  speech = docket_speech_record_from_json (json_object_get_member (object_of (root), "speech"), &error);
  g_assert_no_error (error);
  return speech;
}

static DocketSpeechRecord *
request_floor (Fixture    *f,
               const char *token)
{
  g_autofree char *path = speeches_path (f->meeting_id);
  g_autoptr(JsonNode) root = call_ok (f, "POST", path, token, "{}", 201);

  return speech_of (root);
}

static DocketSpeechRecord *
set_speech (Fixture    *f,
            const char *token,
            const char *speech_id,
            const char *state)
{
  g_autofree char *path = speech_path (speech_id);
  g_autofree char *body = g_strdup_printf ("{\"state\": \"%s\"}", state);
  g_autoptr(JsonNode) root = call_ok (f, "PATCH", path, token, body, 200);

  return speech_of (root);
}

static gint64
top_seq (Fixture *f)
{
  g_autofree char *value = docket_test_server_sql_text (f->server, "SELECT value FROM sequence");

  return g_ascii_strtoll (value, NULL, 10);
}

static DocketParticipant *
participant_named (DocketMeetingRecord *meeting,
                   const char          *username)
{
  for (guint i = 0; i < meeting->participants->len; i++)
    {
      DocketParticipant *participant = g_ptr_array_index (meeting->participants, i);

      if (g_str_equal (participant->username, username))
        return participant;
    }
  return NULL;
}

/* The meeting as the member's feed brings it now. */
static DocketMeetingRecord *
meeting_in_feed (Fixture    *f,
                 const char *token)
{
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_change_free);
  g_autofree char *cursor = sync_all (f->server, token, NULL, 0, changes);
  DocketChange *change = find_change (changes, DOCKET_CHANGE_MEETING, f->meeting_id);

  g_assert_nonnull (change);
  return docket_meeting_record_copy (change->record);
}

/* Roles in a meeting */

static void
test_meeting_roles (void)
{
  g_autoptr(Fixture) f = fixture_new ();
  g_autofree char *path = g_strdup_printf ("/api/v1/meetings/%s/participants/daibieu2", f->meeting_id);
  g_autofree char *meeting_path = g_strdup_printf ("/api/v1/meetings/%s", f->meeting_id);
  g_autoptr(DocketMeetingRecord) meeting = meeting_in_feed (f, f->member);
  g_autoptr(DocketMeetingRecord) after = NULL;
  g_autofree char *message = NULL;

  /* Every participant with their role, the meeting with its rule. */
  g_assert_cmpint (meeting->quorum, ==, DOCKET_QUORUM_TWO_THIRDS);
  g_assert_cmpuint (meeting->participants->len, ==, 4);
  g_assert_cmpint (participant_named (meeting, "daibieu1")->meeting_role, ==, DOCKET_MEETING_ROLE_CHAIR);
  g_assert_cmpint (participant_named (meeting, "daibieu2")->meeting_role, ==, DOCKET_MEETING_ROLE_MEMBER);
  g_assert_cmpint (participant_named (meeting, "daibieu3")->meeting_role, ==, DOCKET_MEETING_ROLE_GUEST);
  g_assert_cmpint (participant_named (meeting, "daibieu4")->meeting_role, ==, DOCKET_MEETING_ROLE_SECRETARY);
  {
    g_autofree char *stored = docket_test_server_sql_text (f->server,
                                                           "SELECT group_concat (meeting_role) FROM"
                                                           " (SELECT meeting_role FROM participants p JOIN users u"
                                                           " ON u.id = p.user_id WHERE meeting_id = (SELECT id FROM"
                                                           " meetings WHERE title = 'Phiên họp trực tiếp')"
                                                           " ORDER BY u.username)");

    g_assert_cmpstr (stored, ==, "chair,member,guest,secretary");
  }

  /* One chair: a second one is refused, with what to do instead. */
  message = refused (f, "PUT", path, f->secretary, "{\"meeting_role\": \"chair\"}", 409, "conflict");
  g_assert_nonnull (strstr (message, "chair"));

  /* Again what it is, no body, an empty object: nothing changes, the role stays. */
  {
    g_autofree char *chair_path = g_strdup_printf ("/api/v1/meetings/%s/participants/daibieu1", f->meeting_id);

    drop (call_ok (f, "PUT", chair_path, f->secretary, "{\"meeting_role\": \"chair\"}", 204));
    assert_unchanged (f->server, f->secretary, f->cursor);
    drop (call_ok (f, "PUT", chair_path, f->secretary, NULL, 204));
    drop (call_ok (f, "PUT", chair_path, f->secretary, "{}", 204));
    assert_unchanged (f->server, f->secretary, f->cursor);
  }

  /* Roles and rules the server does not know are refused, never stored as unknown. */
  assert_refused (f, "PUT", path, f->secretary, "{\"meeting_role\": \"vice_chair\"}", 400, "invalid_field");
  assert_refused (f, "PUT", path, f->secretary, "{\"meeting_role\": \"unknown\"}", 400, "invalid_field");
  assert_refused (f, "PUT", path, f->secretary, "{\"meeting_role\": 1}", 400, "invalid_field");
  assert_refused (f, "PUT", path, f->secretary, "[\"chair\"]", 400, "bad_request");
  assert_refused (f, "PATCH", meeting_path, f->secretary, "{\"quorum\": \"three_quarters\"}", 400, "invalid_field");
  assert_refused (f, "PATCH", meeting_path, f->secretary, "{\"quorum\": \"unknown\"}", 400, "invalid_field");
  /* Only who manages the meeting sets roles. */
  assert_refused (f, "PUT", path, f->chair, "{\"meeting_role\": \"guest\"}", 403, "forbidden");

  /* The chair passes to another: a change of the meeting, its version moves. */
  {
    g_autofree char *chair_path = g_strdup_printf ("/api/v1/meetings/%s/participants/daibieu1", f->meeting_id);

    drop (call_ok (f, "PUT", chair_path, f->secretary, "{\"meeting_role\": \"member\"}", 204));
    drop (call_ok (f, "PUT", path, f->secretary, "{\"meeting_role\": \"chair\"}", 204));
    drop (call_ok (f, "PATCH", meeting_path, f->secretary, "{\"quorum\": \"majority\"}", 200));
  }
  after = meeting_in_feed (f, f->member);
  g_assert_cmpint (after->version, >, meeting->version);
  g_assert_cmpint (after->version, ==, top_seq (f));
  g_assert_cmpint (after->quorum, ==, DOCKET_QUORUM_MAJORITY);
  g_assert_cmpint (participant_named (after, "daibieu1")->meeting_role, ==, DOCKET_MEETING_ROLE_MEMBER);
  g_assert_cmpint (participant_named (after, "daibieu2")->meeting_role, ==, DOCKET_MEETING_ROLE_CHAIR);

  /* A new participant without a role is a member. */
  {
    g_autofree char *new_path = g_strdup_printf ("/api/v1/meetings/%s/participants/daibieu5", f->meeting_id);
    g_autoptr(DocketMeetingRecord) joined = NULL;

    drop (call_ok (f, "PUT", new_path, f->secretary, NULL, 204));
    joined = meeting_in_feed (f, f->outsider);
    g_assert_cmpint (participant_named (joined, "daibieu5")->meeting_role, ==, DOCKET_MEETING_ROLE_MEMBER);
  }
}

/* Running the meeting */

static void
test_run_meeting (void)
{
  g_autoptr(Fixture) f = fixture_new ();
  g_autofree char *path = state_path (f->meeting_id);
  g_autoptr(DocketMeetingStateRecord) state = NULL;
  g_autofree char *message = NULL;
  g_autofree char *json = NULL;
  gint64 version;

  /* Never changed: not started, nothing written. */
  state = read_state (f);
  g_assert_cmpint (state->phase, ==, DOCKET_MEETING_PHASE_NOT_STARTED);
  g_assert_cmpint (state->version, ==, 0);
  g_assert_null (state->started_at);
  g_assert_cmpstr (state->meeting_id, ==, f->meeting_id);
  assert_unchanged (f->server, f->secretary, f->cursor);
  g_clear_pointer (&state, docket_meeting_state_record_free);

  /* Who may not run it. */
  message = refused (f, "PATCH", path, f->member, "{\"phase\": \"in_session\"}", 403, "forbidden");
  g_assert_nonnull (strstr (message, "chair"));
  assert_refused (f, "PATCH", path, f->guest, "{\"phase\": \"in_session\"}", 403, "forbidden");
  /* The organ's secretary manages the meeting but does not run it. */
  assert_refused (f, "PATCH", path, f->secretary, "{\"phase\": \"in_session\"}", 403, "forbidden");
  assert_refused (f, "PATCH", path, f->outsider, "{\"phase\": \"in_session\"}", 404, "not_found");
  assert_refused (f, "PATCH", path, NULL, "{\"phase\": \"in_session\"}", 401, "unauthorized");
  {
    g_autofree char *admin = NULL;

    g_assert_cmpint (docket_test_server_admin (f->server, "quan-tri-2026\n", NULL, "user", "add",
                                               "quantri", "--role", "admin", NULL), ==, 0);
    admin = docket_test_sign_in (f->server, "quantri", "quan-tri-2026");
    assert_refused (f, "PATCH", path, admin, "{\"phase\": \"in_session\"}", 403, "forbidden");
  }

  /* Fields out of their limits. */
  assert_refused (f, "PATCH", path, f->chair, "{\"phase\": \"paused\"}", 400, "invalid_field");
  assert_refused (f, "PATCH", path, f->chair, "{\"phase\": \"unknown\"}", 400, "invalid_field");
  assert_refused (f, "PATCH", path, f->chair, "{\"phase\": null}", 400, "invalid_field");
  assert_refused (f, "PATCH", path, f->chair, "{\"current_item_id\": 5}", 400, "invalid_field");
  assert_refused (f, "PATCH", path, f->chair, "{\"current_item_id\": \"../x\"}", 400, "invalid_field");
  assert_refused (f, "PATCH", path, f->chair, "{\"speech_limit_seconds\": 86401}", 400, "invalid_field");
  assert_refused (f, "PATCH", path, f->chair, "{\"speech_limit_seconds\": -1}", 400, "invalid_field");
  assert_refused (f, "PATCH", path, f->chair, "{\"speech_limit_seconds\": \"60\"}", 400, "invalid_field");
  assert_refused (f, "PATCH", path, f->chair, "{\"presentation\": \"x\"}", 400, "invalid_field");
  assert_refused (f, "PATCH", path, f->chair, "{\"presentation\": {\"page\": 0}}", 400, "invalid_field");
  json = g_strdup_printf ("{\"presentation\": {\"document_id\": \"%s\", \"page\": -1}}", f->document_id);
  assert_refused (f, "PATCH", path, f->chair, json, 400, "invalid_field");
  assert_refused (f, "PATCH", path, f->chair, "not json", 400, "bad_request");

  /* Before the start: no item, no presentation; the speaking time may be set. */
  take (&json, g_strdup_printf ("{\"current_item_id\": \"%s\"}", f->item_id));
  take (&message, refused (f, "PATCH", path, f->chair, json, 409, "conflict"));
  g_assert_nonnull (strstr (message, "not started"));
  state = patch_state (f, f->chair, "{\"speech_limit_seconds\": 300}", 200);
  g_assert_cmpint (state->speech_limit_seconds, ==, 300);
  g_assert_cmpint (state->phase, ==, DOCKET_MEETING_PHASE_NOT_STARTED);
  g_assert_cmpint (state->version, ==, top_seq (f));
  g_clear_pointer (&state, docket_meeting_state_record_free);

  /* The meeting's secretary starts it. */
  state = patch_state (f, f->clerk, "{\"phase\": \"in_session\"}", 200);
  g_assert_cmpint (state->phase, ==, DOCKET_MEETING_PHASE_IN_SESSION);
  g_assert_nonnull (state->started_at);
  g_assert_null (state->ended_at);
  g_assert_cmpint (state->version, ==, top_seq (f));
  version = state->version;
  g_clear_pointer (&state, docket_meeting_state_record_free);

  /* Starting it again changes nothing. */
  catch_up (f);
  state = patch_state (f, f->chair, "{\"phase\": \"in_session\"}", 200);
  g_assert_cmpint (state->version, ==, version);
  assert_unchanged (f->server, f->secretary, f->cursor);
  g_clear_pointer (&state, docket_meeting_state_record_free);

  /* The current item: of this meeting only. */
  take (&json, g_strdup_printf ("{\"current_item_id\": \"%s\"}", f->foreign_item_id));
  assert_refused (f, "PATCH", path, f->chair, json, 400, "invalid_field");
  assert_refused (f, "PATCH", path, f->chair, "{\"current_item_id\": \"khong-co\"}", 400, "invalid_field");
  take (&json, g_strdup_printf ("{\"current_item_id\": \"%s\"}", f->sub_item_id));
  state = patch_state (f, f->chair, json, 200);
  g_assert_cmpstr (state->current_item_id, ==, f->sub_item_id);
  g_assert_cmpint (state->version, >, version);
  version = state->version;
  g_clear_pointer (&state, docket_meeting_state_record_free);
  catch_up (f);
  state = patch_state (f, f->chair, json, 200);
  g_assert_cmpint (state->version, ==, version);
  assert_unchanged (f->server, f->secretary, f->cursor);
  g_clear_pointer (&state, docket_meeting_state_record_free);

  /* A page of a document of this meeting: the document has one page. */
  take (&json, g_strdup_printf ("{\"presentation\": {\"document_id\": \"%s\", \"page\": 1}}",
                                f->document_id));
  take (&message, refused (f, "PATCH", path, f->chair, json, 400, "invalid_field"));
  g_assert_true (g_str_has_prefix (message, "presentation.page: "));
  take (&json, g_strdup_printf ("{\"presentation\": {\"document_id\": \"%s\", \"page\": 0}}",
                                f->foreign_document_id));
  assert_refused (f, "PATCH", path, f->chair, json, 400, "invalid_field");
  take (&json, g_strdup_printf ("{\"presentation\": {\"document_id\": \"%s\", \"page\": 0},"
                                " \"current_item_id\": \"%s\"}", f->document_id, f->item_id));
  state = patch_state (f, f->clerk, json, 200);
  g_assert_cmpstr (state->presented_document_id, ==, f->document_id);
  g_assert_cmpint (state->presented_page, ==, 0);
  g_assert_cmpstr (state->current_item_id, ==, f->item_id);
  g_assert_cmpint (state->speech_limit_seconds, ==, 300);
  g_clear_pointer (&state, docket_meeting_state_record_free);

  /* Stopping the presentation. */
  state = patch_state (f, f->chair, "{\"presentation\": null}", 200);
  g_assert_null (state->presented_document_id);
  g_assert_cmpstr (state->current_item_id, ==, f->item_id);
  g_clear_pointer (&state, docket_meeting_state_record_free);
  take (&json, g_strdup_printf ("{\"presentation\": {\"document_id\": \"%s\", \"page\": 0}}",
                                f->document_id));
  state = patch_state (f, f->chair, json, 200);
  g_clear_pointer (&state, docket_meeting_state_record_free);

  /* The phase never goes back. */
  assert_refused (f, "PATCH", path, f->chair, "{\"phase\": \"not_started\"}", 409, "conflict");

  /* Ending clears what the meeting showed. */
  state = patch_state (f, f->chair, "{\"phase\": \"ended\"}", 200);
  g_assert_cmpint (state->phase, ==, DOCKET_MEETING_PHASE_ENDED);
  g_assert_nonnull (state->started_at);
  g_assert_nonnull (state->ended_at);
  g_assert_null (state->current_item_id);
  g_assert_null (state->presented_document_id);
  g_assert_cmpint (state->presented_page, ==, 0);
  g_assert_cmpint (state->version, ==, top_seq (f));
  version = state->version;
  g_clear_pointer (&state, docket_meeting_state_record_free);

  /* An ended meeting takes nothing more; ending it again changes nothing. */
  take (&json, g_strdup_printf ("{\"current_item_id\": \"%s\"}", f->item_id));
  take (&message, refused (f, "PATCH", path, f->chair, json, 409, "conflict"));
  g_assert_nonnull (strstr (message, "ended"));
  assert_refused (f, "PATCH", path, f->chair, "{\"speech_limit_seconds\": 60}", 409, "conflict");
  assert_refused (f, "PATCH", path, f->chair, "{\"phase\": \"in_session\"}", 409, "conflict");
  assert_refused (f, "PATCH", path, f->chair, "{\"presentation\": null}", 409, "conflict");
  state = patch_state (f, f->chair, "{\"phase\": \"ended\"}", 200);
  g_assert_cmpint (state->version, ==, version);
  assert_unchanged (f->server, f->secretary, f->cursor);
}

/* Only published meetings are run: a draft or a closed one is refused (409) to whom sees
 * it and runs it. */
static void
test_unpublished_meetings (void)
{
  g_autoptr(Fixture) f = fixture_new ();
  const char *statuses[] = { "draft", "closed" };

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_autofree char *meeting_id = create_meeting (f, "Chưa công bố", statuses[i]);
      g_autofree char *path = state_path (meeting_id);
      g_autofree char *attendance = attendance_path (meeting_id, "thuky");
      g_autofree char *speeches = speeches_path (meeting_id);
      g_autofree char *message = NULL;

      g_test_message ("a %s meeting", statuses[i]);
      /* The organ's secretary takes part as the meeting's secretary: they see it. */
      put_participant (f, meeting_id, "thuky", "secretary");
      message = refused (f, "PATCH", path, f->secretary, "{\"phase\": \"in_session\"}", 409, "conflict");
      g_assert_nonnull (strstr (message, g_str_equal (statuses[i], "draft") ? "not published" : "closed"));
      assert_refused (f, "PUT", attendance, f->secretary, "{\"presence\": \"present\"}", 409, "conflict");
      assert_refused (f, "POST", speeches, f->secretary, "{}", 409, "conflict");
    }

  /* A draft stays invisible to its officials: not found. */
  {
    g_autofree char *meeting_id = create_meeting (f, "Bản nháp", "draft");
    g_autofree char *path = state_path (meeting_id);

    put_participant (f, meeting_id, "daibieu1", "chair");
    assert_refused (f, "PATCH", path, f->chair, "{\"phase\": \"in_session\"}", 404, "not_found");
  }
}

/* Attendance */

static void
assert_log_entry (JsonArray  *log,
                  guint       index,
                  const char *username,
                  const char *presence)
{
  JsonObject *entry = json_array_get_object_element (log, index);
  g_autoptr(GDateTime) at = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (json_object_get_string_member (entry, "username"), ==, username);
  g_assert_cmpstr (json_object_get_string_member (entry, "presence"), ==, presence);
  at = docket_protocol_parse_time (json_object_get_string_member (entry, "at"), &error);
  g_assert_no_error (error);
}

static void
test_attendance (void)
{
  g_autoptr(Fixture) f = fixture_new ();
  g_autofree char *member_path = attendance_path (f->meeting_id, "daibieu2");
  g_autofree char *guest_path = attendance_path (f->meeting_id, "daibieu3");
  g_autofree char *log_path = attendance_path (f->meeting_id, NULL);
  g_autoptr(DocketAttendanceRecord) attendance = NULL;
  g_autoptr(DocketAttendanceRecord) again = NULL;
  g_autoptr(JsonNode) log_root = NULL;
  g_autofree char *message = NULL;
  g_autofree char *first_id = NULL;
  JsonArray *log;

  /* An official checks in as they arrive, before the meeting starts. */
  attendance = put_attendance (f, f->member, "daibieu2", "{\"presence\": \"present\"}");
  g_assert_cmpint (attendance->presence, ==, DOCKET_PRESENCE_PRESENT);
  g_assert_cmpstr (attendance->username, ==, "daibieu2");
  g_assert_cmpstr (attendance->meeting_id, ==, f->meeting_id);
  g_assert_nonnull (attendance->since);
  g_assert_cmpint (attendance->version, ==, top_seq (f));
  first_id = g_strdup (attendance->id);

  /* The same again changes nothing. */
  catch_up (f);
  again = put_attendance (f, f->member, "daibieu2", "{\"presence\": \"present\", \"meeting_role\": \"member\"}");
  g_assert_cmpint (again->version, ==, attendance->version);
  g_assert_cmpstr (again->id, ==, first_id);
  assert_unchanged (f->server, f->secretary, f->cursor);
  g_clear_pointer (&again, docket_attendance_record_free);
  g_clear_pointer (&attendance, docket_attendance_record_free);

  /* A guest never checks in as a member, who would count for quorum. */
  message = refused (f, "PUT", guest_path, f->guest, "{\"presence\": \"present\", \"meeting_role\": \"member\"}",
                     403, "forbidden");
  g_assert_nonnull (strstr (message, "guest"));
  attendance = put_attendance (f, f->guest, "daibieu3", "{\"presence\": \"remote\", \"meeting_role\": \"guest\"}");
  g_assert_cmpint (attendance->presence, ==, DOCKET_PRESENCE_REMOTE);
  g_clear_pointer (&attendance, docket_attendance_record_free);

  /* Others: only the chair and the meeting's secretary (a roll call). */
  assert_refused (f, "PUT", guest_path, f->member, "{\"presence\": \"absent\"}", 403, "forbidden");
  assert_refused (f, "PUT", member_path, f->secretary, "{\"presence\": \"absent\"}", 403, "forbidden");
  {
    g_autofree char *outsider_path = attendance_path (f->meeting_id, "daibieu5");
    g_autofree char *nobody_path = attendance_path (f->meeting_id, "khongco");
    g_autofree char *self_path = attendance_path (f->meeting_id, "thuky");

    /* Not a participant, or nobody at all. */
    take (&message, refused (f, "PUT", outsider_path, f->chair, "{\"presence\": \"present\"}",
                             404, "not_found"));
    g_assert_nonnull (strstr (message, "daibieu5"));
    assert_refused (f, "PUT", nobody_path, f->chair, "{\"presence\": \"present\"}", 404, "not_found");
    /* Who does not see the meeting learns nothing of it. */
    assert_refused (f, "PUT", outsider_path, f->outsider, "{\"presence\": \"present\"}", 404, "not_found");
    /* The organ's secretary sees it but takes no part. */
    assert_refused (f, "PUT", self_path, f->secretary, "{\"presence\": \"present\"}", 404, "not_found");
  }
  assert_refused (f, "PUT", member_path, f->member, "{\"presence\": \"asleep\"}", 400, "invalid_field");
  assert_refused (f, "PUT", member_path, f->member, "{\"presence\": \"unknown\"}", 400, "invalid_field");
  assert_refused (f, "PUT", member_path, f->member, "{}", 400, "invalid_field");
  assert_refused (f, "PUT", member_path, f->member, "{\"presence\": \"present\", \"meeting_role\": \"boss\"}",
                  400, "invalid_field");

  /* The meeting starts; the chair calls the roll, the meeting's secretary too. */
  g_clear_pointer (&attendance, docket_attendance_record_free);
  {
    g_autoptr(DocketMeetingStateRecord) state = patch_state (f, f->chair, "{\"phase\": \"in_session\"}", 200);
  }
  attendance = put_attendance (f, f->chair, "daibieu2", "{\"presence\": \"absent\"}");
  g_assert_cmpint (attendance->presence, ==, DOCKET_PRESENCE_ABSENT);
  g_assert_cmpstr (attendance->id, ==, first_id);
  g_clear_pointer (&attendance, docket_attendance_record_free);
  attendance = put_attendance (f, f->clerk, "daibieu1", "{\"presence\": \"present\", \"meeting_role\": \"chair\"}");
  g_clear_pointer (&attendance, docket_attendance_record_free);
  attendance = put_attendance (f, f->member, "daibieu2", "{\"presence\": \"remote\"}");
  g_clear_pointer (&attendance, docket_attendance_record_free);

  /* The log, for the minutes: every change in order, with its time. */
  assert_refused (f, "GET", log_path, f->member, NULL, 403, "forbidden");
  assert_refused (f, "GET", log_path, f->guest, NULL, 403, "forbidden");
  assert_refused (f, "GET", log_path, f->outsider, NULL, 404, "not_found");
  log_root = call_ok (f, "GET", log_path, f->chair, NULL, 200);
  log = json_object_get_array_member (object_of (log_root), "log");
  g_assert_cmpuint (json_array_get_length (log), ==, 5);
  assert_log_entry (log, 0, "daibieu2", "present");
  assert_log_entry (log, 1, "daibieu3", "remote");
  assert_log_entry (log, 2, "daibieu2", "absent");
  assert_log_entry (log, 3, "daibieu1", "present");
  assert_log_entry (log, 4, "daibieu2", "remote");
  /* Who manages the meeting reads it too. */
  drop (call_ok (f, "GET", log_path, f->secretary, NULL, 200));
  drop (call_ok (f, "GET", log_path, f->clerk, NULL, 200));

  /* Once it has ended, nobody checks in or out. */
  {
    g_autoptr(DocketMeetingStateRecord) state = patch_state (f, f->chair, "{\"phase\": \"ended\"}", 200);
  }
  take (&message, refused (f, "PUT", member_path, f->member, "{\"presence\": \"absent\"}",
                           409, "conflict"));
  g_assert_nonnull (strstr (message, "ended"));
  assert_refused (f, "PUT", member_path, f->chair, "{\"presence\": \"present\"}", 409, "conflict");
}

/* Speeches */

static void
test_speeches (void)
{
  g_autoptr(Fixture) f = fixture_new ();
  g_autofree char *speeches = speeches_path (f->meeting_id);
  g_autoptr(DocketSpeechRecord) member_speech = NULL;
  g_autoptr(DocketSpeechRecord) guest_speech = NULL;
  g_autoptr(DocketSpeechRecord) clerk_speech = NULL;
  g_autoptr(DocketSpeechRecord) speech = NULL;
  g_autofree char *message = NULL;
  g_autofree char *member_path = NULL;
  g_autofree char *guest_path = NULL;
  g_autofree char *clerk_path = NULL;
  gint64 version;

  /* Not before the meeting starts. */
  message = refused (f, "POST", speeches, f->member, "{}", 409, "conflict");
  g_assert_nonnull (strstr (message, "not started"));
  {
    g_autoptr(DocketMeetingStateRecord) state = patch_state (f, f->chair,
                                                             "{\"phase\": \"in_session\", \"speech_limit_seconds\": 120}",
                                                             200);
  }

  /* Asking for the floor: waiting, numbered by the request's change. */
  member_speech = request_floor (f, f->member);
  g_assert_cmpint (member_speech->state, ==, DOCKET_SPEECH_WAITING);
  g_assert_cmpint (member_speech->number, ==, member_speech->version);
  g_assert_cmpint (member_speech->number, ==, top_seq (f));
  g_assert_cmpstr (member_speech->username, ==, "daibieu2");
  g_assert_nonnull (member_speech->requested_at);
  g_assert_null (member_speech->started_at);
  take (&message, refused (f, "POST", speeches, f->member, "{}", 409, "conflict"));
  g_assert_nonnull (strstr (message, "floor already"));
  /* A guest may speak; the body may be empty. */
  {
    g_autoptr(JsonNode) root = call_ok (f, "POST", speeches, f->guest, NULL, 201);

    guest_speech = speech_of (root);
  }
  clerk_speech = request_floor (f, f->clerk);
  g_assert_cmpint (member_speech->number, <, guest_speech->number);
  g_assert_cmpint (guest_speech->number, <, clerk_speech->number);
  /* Who takes no part does not ask; who does not see the meeting learns nothing. */
  assert_refused (f, "POST", speeches, f->secretary, "{}", 403, "forbidden");
  assert_refused (f, "POST", speeches, f->outsider, "{}", 404, "not_found");
  assert_refused (f, "POST", speeches, f->member, "[]", 400, "bad_request");

  member_path = speech_path (member_speech->id);
  guest_path = speech_path (guest_speech->id);
  clerk_path = speech_path (clerk_speech->id);

  /* Only the chair and the meeting's secretary give the floor. */
  assert_refused (f, "PATCH", guest_path, f->member, "{\"state\": \"speaking\"}", 403, "forbidden");
  assert_refused (f, "PATCH", guest_path, f->guest, "{\"state\": \"speaking\"}", 403, "forbidden");
  assert_refused (f, "PATCH", guest_path, f->outsider, "{\"state\": \"speaking\"}", 404, "not_found");
  assert_refused (f, "PATCH", "/api/v1/speeches/khong-co", f->chair, "{\"state\": \"speaking\"}", 404, "not_found");
  assert_refused (f, "PATCH", guest_path, f->chair, "{\"state\": \"talking\"}", 400, "invalid_field");
  assert_refused (f, "PATCH", guest_path, f->chair, "{}", 400, "invalid_field");
  /* Nor withdraws another's request, nor ends what has not begun. */
  assert_refused (f, "PATCH", guest_path, f->member, "{\"state\": \"withdrawn\"}", 403, "forbidden");
  assert_refused (f, "PATCH", guest_path, f->chair, "{\"state\": \"done\"}", 409, "conflict");

  /* The floor, with the meeting's speaking time. */
  speech = set_speech (f, f->chair, member_speech->id, "speaking");
  g_assert_cmpint (speech->state, ==, DOCKET_SPEECH_SPEAKING);
  g_assert_nonnull (speech->started_at);
  g_assert_cmpint (speech->limit_seconds, ==, 120);
  g_assert_cmpint (speech->number, ==, member_speech->number);
  g_clear_pointer (&speech, docket_speech_record_free);

  /* The next speaker: the one under way is done, in the same change. */
  speech = set_speech (f, f->clerk, guest_speech->id, "speaking");
  version = speech->version;
  g_clear_pointer (&speech, docket_speech_record_free);
  catch_up (f);
  speech = set_speech (f, f->chair, member_speech->id, "done");
  g_assert_cmpint (speech->state, ==, DOCKET_SPEECH_DONE);
  g_assert_nonnull (speech->ended_at);
  g_assert_cmpint (speech->version, ==, version);
  assert_unchanged (f->server, f->secretary, f->cursor);
  g_clear_pointer (&speech, docket_speech_record_free);
  /* What is over stays over. */
  assert_refused (f, "PATCH", member_path, f->chair, "{\"state\": \"speaking\"}", 409, "conflict");
  assert_refused (f, "PATCH", member_path, f->member, "{\"state\": \"withdrawn\"}", 409, "conflict");
  assert_refused (f, "PATCH", member_path, f->chair, "{\"state\": \"waiting\"}", 409, "conflict");

  /* The speaker ends their own speech; the same again changes nothing. */
  speech = set_speech (f, f->guest, guest_speech->id, "done");
  g_assert_cmpint (speech->state, ==, DOCKET_SPEECH_DONE);
  version = speech->version;
  g_clear_pointer (&speech, docket_speech_record_free);
  catch_up (f);
  speech = set_speech (f, f->guest, guest_speech->id, "done");
  g_assert_cmpint (speech->version, ==, version);
  assert_unchanged (f->server, f->secretary, f->cursor);
  g_clear_pointer (&speech, docket_speech_record_free);

  /* Who asked withdraws. */
  speech = set_speech (f, f->clerk, clerk_speech->id, "withdrawn");
  g_assert_cmpint (speech->state, ==, DOCKET_SPEECH_WITHDRAWN);
  g_clear_pointer (&speech, docket_speech_record_free);

  /* The queue again; ending the meeting closes it, all in the end's change. */
  g_clear_pointer (&member_speech, docket_speech_record_free);
  g_clear_pointer (&guest_speech, docket_speech_record_free);
  member_speech = request_floor (f, f->member);
  guest_speech = request_floor (f, f->guest);
  speech = set_speech (f, f->chair, member_speech->id, "speaking");
  g_clear_pointer (&speech, docket_speech_record_free);
  {
    g_autoptr(DocketMeetingStateRecord) state = patch_state (f, f->chair, "{\"phase\": \"ended\"}", 200);

    version = state->version;
  }
  catch_up (f);
  speech = set_speech (f, f->chair, member_speech->id, "done");
  g_assert_cmpint (speech->version, ==, version);
  g_assert_nonnull (speech->ended_at);
  g_clear_pointer (&speech, docket_speech_record_free);
  speech = set_speech (f, f->guest, guest_speech->id, "withdrawn");
  g_assert_cmpint (speech->version, ==, version);
  g_clear_pointer (&speech, docket_speech_record_free);
  assert_unchanged (f->server, f->secretary, f->cursor);
  {
    g_autofree char *open = docket_test_server_sql_text (f->server, "SELECT count(*) FROM speeches"
                                                         " WHERE state IN ('waiting', 'speaking')");

    g_assert_cmpstr (open, ==, "0");
  }

  /* An ended meeting takes no request. */
  g_free (member_path);
  member_path = speech_path (member_speech->id);
  take (&message, refused (f, "POST", speeches, f->member, "{}", 409, "conflict"));
  g_assert_nonnull (strstr (message, "ended"));
  assert_refused (f, "PATCH", member_path, f->chair, "{\"state\": \"speaking\"}", 409, "conflict");
}

/* A participant taken off the meeting leaves the floor and the queue, in the same
 * change of the meeting. */
static void
test_removed_participant_leaves_the_floor (void)
{
  g_autoptr(Fixture) f = fixture_new ();
  g_autoptr(DocketSpeechRecord) member_speech = NULL;
  g_autoptr(DocketSpeechRecord) guest_speech = NULL;
  g_autoptr(DocketSpeechRecord) clerk_speech = NULL;
  g_autoptr(DocketSpeechRecord) speaking = NULL;
  g_autoptr(DocketMeetingStateRecord) state = NULL;
  g_autofree char *member = g_strdup_printf ("/api/v1/meetings/%s/participants/daibieu2", f->meeting_id);
  g_autofree char *guest = g_strdup_printf ("/api/v1/meetings/%s/participants/daibieu3", f->meeting_id);
  g_autofree char *sql = NULL;
  g_autofree char *states = NULL;

  state = patch_state (f, f->chair, "{\"phase\": \"in_session\"}", 200);
  member_speech = request_floor (f, f->member);
  guest_speech = request_floor (f, f->guest);
  clerk_speech = request_floor (f, f->clerk);
  speaking = set_speech (f, f->chair, guest_speech->id, "speaking");

  drop (call_ok (f, "DELETE", guest, f->secretary, NULL, 204));
  drop (call_ok (f, "DELETE", member, f->secretary, NULL, 204));

  /* Each speech ended with its speaker's departure, stamped with it: the member left
   * last (the meeting's version is that change), the guest the change before; the
   * clerk's request waits on. */
  sql = g_strdup_printf ("SELECT group_concat (s.state || (s.version = m.version) || (s.ended_at IS NOT NULL), ',')"
                         " FROM (SELECT * FROM speeches ORDER BY number) s JOIN meetings m ON m.id = s.meeting_id"
                         " WHERE s.id IN ('%s', '%s', '%s')",
                         member_speech->id, guest_speech->id, clerk_speech->id);
  states = docket_test_server_sql_text (f->server, sql);
  g_assert_cmpstr (states, ==, "withdrawn11,done01,waiting00");
}

/* Deleting what the meeting shows */

static void
test_deleted_item_and_document_cleared (void)
{
  g_autoptr(Fixture) f = fixture_new ();
  g_autoptr(DocketMeetingStateRecord) state = NULL;
  g_autofree char *other_document = upload_document (f, f->other_item_id);
  g_autofree char *json = NULL;
  g_autofree char *path = NULL;
  g_autofree char *version = NULL;

  g_clear_pointer (&state, docket_meeting_state_record_free);
  state = patch_state (f, f->chair, "{\"phase\": \"in_session\"}", 200);
  g_clear_pointer (&state, docket_meeting_state_record_free);
  json = g_strdup_printf ("{\"current_item_id\": \"%s\", \"presentation\": {\"document_id\": \"%s\", \"page\": 0}}",
                          f->sub_item_id, f->document_id);
  state = patch_state (f, f->chair, json, 200);
  g_clear_pointer (&state, docket_meeting_state_record_free);

  /* The presented document goes: no presentation, the same item, at the deletion. */
  path = g_strdup_printf ("/api/v1/documents/%s", f->document_id);
  drop (call_ok (f, "DELETE", path, f->secretary, NULL, 204));
  state = read_state (f);
  g_assert_null (state->presented_document_id);
  g_assert_cmpint (state->presented_page, ==, 0);
  g_assert_cmpstr (state->current_item_id, ==, f->sub_item_id);
  g_assert_cmpint (state->version, ==, top_seq (f));
  g_clear_pointer (&state, docket_meeting_state_record_free);

  /* The current item's parent goes, and the current item with it. */
  g_free (json);
  json = g_strdup_printf ("{\"presentation\": {\"document_id\": \"%s\", \"page\": 0}}", other_document);
  state = patch_state (f, f->chair, json, 200);
  g_clear_pointer (&state, docket_meeting_state_record_free);
  g_free (path);
  path = g_strdup_printf ("/api/v1/items/%s", f->item_id);
  drop (call_ok (f, "DELETE", path, f->secretary, NULL, 204));
  state = read_state (f);
  g_assert_null (state->current_item_id);
  g_assert_cmpstr (state->presented_document_id, ==, other_document);
  g_assert_cmpint (state->version, ==, top_seq (f));
  g_clear_pointer (&state, docket_meeting_state_record_free);

  /* An item that holds the presented document. */
  g_free (path);
  path = g_strdup_printf ("/api/v1/items/%s", f->other_item_id);
  drop (call_ok (f, "DELETE", path, f->secretary, NULL, 204));
  state = read_state (f);
  g_assert_null (state->presented_document_id);
  g_assert_cmpint (state->version, ==, top_seq (f));
  g_clear_pointer (&state, docket_meeting_state_record_free);

  /* Deleting what the meeting does not show leaves its state as it was. */
  version = docket_test_server_sql_text (f->server, "SELECT version FROM meeting_states");
  g_free (path);
  path = g_strdup_printf ("/api/v1/items/%s", f->foreign_item_id);
  drop (call_ok (f, "DELETE", path, f->secretary, NULL, 204));
  {
    g_autofree char *after = docket_test_server_sql_text (f->server, "SELECT version FROM meeting_states");

    g_assert_cmpstr (after, ==, version);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/server/live/meeting-roles", test_meeting_roles);
  g_test_add_func ("/server/live/run-meeting", test_run_meeting);
  g_test_add_func ("/server/live/unpublished-meetings", test_unpublished_meetings);
  g_test_add_func ("/server/live/attendance", test_attendance);
  g_test_add_func ("/server/live/speeches", test_speeches);
  g_test_add_func ("/server/live/removed-participant-leaves-the-floor", test_removed_participant_leaves_the_floor);
  g_test_add_func ("/server/live/deleted-item-and-document-cleared", test_deleted_item_and_document_cleared);
  return g_test_run ();
}
