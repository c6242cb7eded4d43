/* test-models-in-place.c: a sync updates the models in place, row by row
 *
 * Against the real docket-server with the demo organisation (and more meetings of our
 * own, so that the list is long), a real profile and the real sync engine: when the
 * server changes one meeting or one agenda item, the meeting list and the agenda keep
 * every object they had (the same pointers, so the widgets bound to them are neither
 * made nor laid out again) and update the changed one's properties. A meeting whose
 * times changed (it may belong to another day now) is announced with "items-changed",
 * alone; a renamed meeting or agenda item is not announced at all.
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "docket-agenda.h"
#include "docket-meeting-list.h"
#include "docket-test-client.h"

#define EXTRA_MEETINGS 8

typedef DocketTestClient Fixture;

typedef struct {
  guint position;
  guint removed;
  guint added;
} Change;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  docket_test_client_set_up (fixture, "client-models-in-place");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  docket_test_client_tear_down (fixture);
}

/* A JSON call as the secretary; returns the answer's "id" member when there is one. */
static char *
secretary_call (Fixture    *fixture,
                const char *method,
                const char *path,
                const char *json)
{
  g_autofree char *url = g_strconcat (docket_test_server_get_url (fixture->server), path, NULL);
  g_autoptr(GBytes) body = json != NULL ? g_bytes_new (json, strlen (json)) : NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  guint status = docket_test_http (method, url, fixture->secretary_token,
                                   json != NULL ? "application/json" : NULL, body, &answer);

  g_assert_cmpuint (status, >=, 200);
  g_assert_cmpuint (status, <, 300);
  if (answer == NULL || g_bytes_get_size (answer) == 0 ||
      !json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL), -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root) || !json_object_has_member (json_node_get_object (root), "id"))
    return NULL;
  return g_strdup (json_object_get_string_member (json_node_get_object (root), "id"));
}

/* Published meetings of our own that daibieu1 takes part in, a day apart. */
static void
add_meetings (Fixture *fixture,
              guint    count)
{
  for (guint i = 0; i < count; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"title\": \"Phiên họp %u\", "
                                               "\"starts_at\": \"2027-01-%02uT08:00:00+07:00\", "
                                               "\"ends_at\": \"2027-01-%02uT11:00:00+07:00\", "
                                               "\"time_zone\": \"Asia/Ho_Chi_Minh\"}",
                                               i, i + 1, i + 1);
      g_autofree char *id = secretary_call (fixture, "POST", "/api/v1/meetings", json);
      g_autofree char *participant = g_strdup_printf ("/api/v1/meetings/%s/participants/daibieu1", id);
      g_autofree char *meeting = g_strdup_printf ("/api/v1/meetings/%s", id);
      g_autofree char *ignored = NULL;
      g_autofree char *ignored2 = NULL;

      g_assert_nonnull (id);
      ignored = secretary_call (fixture, "PUT", participant, NULL);
      ignored2 = secretary_call (fixture, "PATCH", meeting, "{\"status\": \"published\"}");
    }
}

static void
sync_now (Fixture *fixture)
{
  g_autoptr(GError) error = docket_test_sync_run (fixture->sync);

  g_assert_no_error (error);
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GArray     *changes)
{
  Change change = { position, removed, added };

  g_array_append_val (changes, change);
}

/* Every item of model, referenced. */
static GPtrArray *
snapshot (GListModel *model)
{
  GPtrArray *items = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    g_ptr_array_add (items, g_list_model_get_item (model, i));
  return items;
}

static void
assert_same_objects (GListModel *model,
                     GPtrArray  *before)
{
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, before->len);
  for (guint i = 0; i < before->len; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);

      g_assert_true (item == g_ptr_array_index (before, i));
    }
}

static gboolean
meetings_loaded (gpointer data)
{
  return docket_meeting_list_get_loaded (data);
}

typedef struct {
  DocketMeeting *meeting;
  const char    *title;
  int            hour;     /* of its start, in its zone; -1: any */
} MeetingWait;

static gboolean
meeting_is_as_wanted (gpointer data)
{
  MeetingWait *wait = data;
  GDateTime *starts_at = docket_meeting_get_starts_at (wait->meeting);

  return g_strcmp0 (docket_meeting_get_title (wait->meeting), wait->title) == 0 &&
         (wait->hour < 0 || (starts_at != NULL && g_date_time_get_hour (starts_at) == wait->hour));
}

static void
test_meeting_list (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(DocketMeetingList) meetings = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autofree char *path = NULL;
  g_autofree char *ignored = NULL;
  g_autofree char *ignored2 = NULL;
  MeetingWait wait = { NULL, NULL, -1 };
  DocketMeeting *target = NULL;
  guint position = 0;
  guint n;
  Change *change;

  add_meetings (fixture, EXTRA_MEETINGS);
  docket_test_client_sign_in_as (fixture, "daibieu1");
  sync_now (fixture);

  meetings = docket_meeting_list_new (fixture->store);
  docket_test_wait_until (meetings_loaded, meetings, DOCKET_TEST_WAIT_SECONDS, "the meeting list");
  n = g_list_model_get_n_items (G_LIST_MODEL (meetings));
  g_assert_cmpuint (n, >, EXTRA_MEETINGS);
  before = snapshot (G_LIST_MODEL (meetings));

  /* One of our meetings, in the middle of the list. */
  for (guint i = 0; i < n && target == NULL; i++)
    if (g_strcmp0 (docket_meeting_get_title (g_ptr_array_index (before, i)), "Phiên họp 4") == 0)
      {
        position = i;
        target = g_ptr_array_index (before, i);
      }
  g_assert_nonnull (target);
  g_assert_cmpuint (position, >, 0);
  g_assert_cmpuint (position, <, n - 1);
  g_signal_connect (meetings, "items-changed", G_CALLBACK (on_items_changed), changes);
  path = g_strdup_printf ("/api/v1/meetings/%s", docket_meeting_get_id (target));

  /* Renamed: the same object takes its new title; nothing is announced. */
  ignored = secretary_call (fixture, "PATCH", path, "{\"title\": \"Phiên họp đã đổi tên\"}");
  sync_now (fixture);
  wait.meeting = target;
  wait.title = "Phiên họp đã đổi tên";
  docket_test_wait_until (meeting_is_as_wanted, &wait, DOCKET_TEST_WAIT_SECONDS, "the meeting's new title");
  assert_same_objects (G_LIST_MODEL (meetings), before);
  g_assert_cmpuint (changes->len, ==, 0);

  /* Moved to the afternoon of the same day (its place in the list is the same): every
   * object stays in its place, and only that meeting is announced. */
  ignored2 = secretary_call (fixture, "PATCH", path,
                             "{\"starts_at\": \"2027-01-05T14:00:00+07:00\", "
                             "\"ends_at\": \"2027-01-05T16:00:00+07:00\"}");
  sync_now (fixture);
  wait.hour = 14;
  docket_test_wait_until (meeting_is_as_wanted, &wait, DOCKET_TEST_WAIT_SECONDS, "the meeting's new time");
  assert_same_objects (G_LIST_MODEL (meetings), before);
  g_assert_cmpuint (changes->len, ==, 1);
  change = &g_array_index (changes, Change, 0);
  g_assert_cmpuint (change->position, ==, position);
  g_assert_cmpuint (change->removed, ==, 1);
  g_assert_cmpuint (change->added, ==, 1);

  g_signal_handlers_disconnect_by_func (meetings, on_items_changed, changes);
}

static gboolean
agenda_loaded (gpointer data)
{
  return docket_agenda_get_loaded (data);
}

typedef struct {
  DocketAgendaItem *item;
  const char       *title;
} ItemTitleWait;

static gboolean
item_has_title (gpointer data)
{
  ItemTitleWait *wait = data;

  return g_strcmp0 (docket_agenda_item_get_title (wait->item), wait->title) == 0;
}

static void
test_agenda (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *meeting_id = NULL;
  g_autofree char *item_id = NULL;
  g_autofree char *path = NULL;
  g_autofree char *ignored = NULL;
  g_autoptr(DocketAgenda) agenda = NULL;
  g_autoptr(GPtrArray) root_before = NULL;
  g_autoptr(GPtrArray) children_before = NULL;
  g_autoptr(GArray) changes = g_array_new (FALSE, FALSE, sizeof (Change));
  ItemTitleWait wait = { NULL, "Mục đã đổi tên" };
  DocketAgendaItem *item = NULL;

  docket_test_client_sign_in_as (fixture, "daibieu1");
  item_id = docket_test_client_find_item_of (fixture, "daibieu1", &meeting_id);
  g_assert_nonnull (item_id);
  sync_now (fixture);

  agenda = docket_agenda_new (fixture->store, meeting_id);
  docket_test_wait_until (agenda_loaded, agenda, DOCKET_TEST_WAIT_SECONDS, "the agenda");
  root_before = snapshot (docket_agenda_get_root (agenda));
  g_assert_cmpuint (root_before->len, >, 1);
  for (guint i = 0; i < root_before->len && item == NULL; i++)
    if (DOCKET_IS_AGENDA_ITEM (g_ptr_array_index (root_before, i)) &&
        g_strcmp0 (docket_agenda_item_get_id (g_ptr_array_index (root_before, i)), item_id) == 0)
      item = g_ptr_array_index (root_before, i);
  g_assert_nonnull (item);
  children_before = snapshot (G_LIST_MODEL (docket_agenda_item_get_children (item)));
  g_assert_cmpuint (children_before->len, >, 0);

  g_signal_connect (docket_agenda_get_root (agenda), "items-changed", G_CALLBACK (on_items_changed), changes);
  g_signal_connect (docket_agenda_item_get_children (item), "items-changed", G_CALLBACK (on_items_changed), changes);

  path = g_strdup_printf ("/api/v1/items/%s", item_id);
  ignored = secretary_call (fixture, "PATCH", path, "{\"title\": \"Mục đã đổi tên\"}");
  sync_now (fixture);
  wait.item = item;
  docket_test_wait_until (item_has_title, &wait, DOCKET_TEST_WAIT_SECONDS, "the item's new title");

  /* The item took its new title in place: no list of the tree changed. */
  assert_same_objects (docket_agenda_get_root (agenda), root_before);
  assert_same_objects (G_LIST_MODEL (docket_agenda_item_get_children (item)), children_before);
  g_assert_cmpuint (changes->len, ==, 0);

  g_signal_handlers_disconnect_by_func (docket_agenda_get_root (agenda), on_items_changed, changes);
  g_signal_handlers_disconnect_by_func (docket_agenda_item_get_children (item), on_items_changed, changes);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/models-in-place/meeting-list", Fixture, NULL,
              fixture_set_up, test_meeting_list, fixture_tear_down);
  g_test_add ("/models-in-place/agenda", Fixture, NULL,
              fixture_set_up, test_agenda, fixture_tear_down);

  return g_test_run ();
}
