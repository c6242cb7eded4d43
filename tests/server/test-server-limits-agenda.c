/* test-server-limits-agenda.c: the server never accepts what a client must refuse: a
 * meeting's participants, the positions of siblings, the depth of agenda items
 *
 * Split from test-server-limits.c (same cases); the helpers are in
 * test-server-limits-common.c.
 */
#include "config.h"

#include <string.h>
#include <sqlite3.h>
#include <json-glib/json-glib.h>

#include "docket-records.h"
#include "test-server-limits-common.h"

/* ---- participants ---------------------------------------------------------------- */

static void
test_participants (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *token = docket_test_sign_in (server, "thuky",
                                                docket_test_server_get_password (server, "thuky"));
  g_autofree char *meeting_id = create_meeting (server, token);
  g_autofree char *cursor = NULL;
  g_autofree char *last_path = NULL;
  g_autofree char *extra_path = NULL;
  g_autofree char *bad_name_path = NULL;
  g_autofree char *long_name = repeat ('n', DOCKET_MAX_SHORT_TEXT_BYTES + 1);
  g_autofree char *bad_user_sql = NULL;

  /* DOCKET_MAX_PARTICIPANTS + 1 users, all but the last two of them participants
   * already, and one user whose display name no client reads (kept from before the
   * command line checked it). */
  run_sql (server,
           "WITH RECURSIVE n (x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM n WHERE x < " G_STRINGIFY (DOCKET_MAX_PARTICIPANTS) ")"
           " INSERT INTO users (username, display_name, role, organ, password_hash)"
           " SELECT printf ('p%04d', x), printf ('Người %d', x), 'official', '', 'x' FROM n", NULL);
  run_sql (server,
           "INSERT INTO participants (meeting_id, user_id) SELECT ?1, id FROM users"
           " WHERE username GLOB 'p[0-9][0-9][0-9][0-9]' AND username < printf ('p%04d', "
           G_STRINGIFY (DOCKET_MAX_PARTICIPANTS) " - 1)", meeting_id);
  bad_user_sql = g_strdup_printf ("INSERT INTO users (username, display_name, role, organ, password_hash)"
                                  " VALUES ('xau', '%s', 'official', '', 'x')", long_name);
  run_sql (server, bad_user_sql, NULL);
  cursor = cursor_now (server, token);

  /* The one that makes DOCKET_MAX_PARTICIPANTS: added, and the meeting reads back. */
  last_path = g_strdup_printf ("/api/v1/meetings/%s/participants/p%04d", meeting_id,
                               DOCKET_MAX_PARTICIPANTS - 1);
  {
    g_autoptr(JsonNode) answer = NULL;
    g_autoptr(GPtrArray) changes = NULL;
    DocketMeetingRecord *record;

    g_assert_cmpuint (call_json (server, "PUT", last_path, token, NULL, &answer), ==, 204);
    record = synced_record (server, token, &cursor, DOCKET_CHANGE_MEETING, meeting_id, &changes);
    g_assert_cmpuint (record->participants->len, ==, DOCKET_MAX_PARTICIPANTS);
  }

  /* One more, one at a time: the total counts. */
  extra_path = g_strdup_printf ("/api/v1/meetings/%s/participants/p%04d", meeting_id,
                                DOCKET_MAX_PARTICIPANTS);
  expect_refused (server, token, cursor, "PUT", extra_path, NULL, 413, "too_large", "participants");

  /* Someone already there is no one more. */
  {
    g_autoptr(JsonNode) answer = NULL;

    g_assert_cmpuint (call_json (server, "PUT", last_path, token, NULL, &answer), ==, 204);
    assert_unchanged (server, token, cursor);
  }

  /* Room again after a removal; a display name clients refuse is refused. */
  {
    g_autoptr(JsonNode) answer = NULL;
    g_autoptr(GPtrArray) changes = NULL;

    g_assert_cmpuint (call_json (server, "DELETE", last_path, token, NULL, &answer), ==, 204);
    changes = sync_since (server, token, &cursor);
  }
  bad_name_path = g_strdup_printf ("/api/v1/meetings/%s/participants/xau", meeting_id);
  expect_refused (server, token, cursor, "PUT", bad_name_path, NULL, 400, "invalid_field",
                  "display_name");

  docket_test_server_stop (server);
}

/* ---- positions, siblings, depth ---------------------------------------------------- */

static void
test_positions (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *token = docket_test_sign_in (server, "thuky",
                                                docket_test_server_get_password (server, "thuky"));
  g_autofree char *meeting_id = create_meeting (server, token);
  g_autofree char *items_path = g_strdup_printf ("/api/v1/meetings/%s/items", meeting_id);
  g_autofree char *first_id = created_id (server, items_path, token, "{\"title\": \"Mục 1\"}");
  g_autofree char *first_path = g_strconcat ("/api/v1/items/", first_id, NULL);
  g_autofree char *document_id = first_document (server, token);
  g_autofree char *document_path = g_strconcat ("/api/v1/documents/", document_id, NULL);
  g_autofree char *cursor = cursor_now (server, token);
  g_autofree char *last_id = NULL;

  /* Positions: DOCKET_MAX_POSITION is a position one may ask for (it lands last). */
  {
    g_autofree char *json = g_strdup_printf ("{\"position\": %d}", DOCKET_MAX_POSITION);
    g_autoptr(JsonNode) item = call_ok (server, "PATCH", first_path, token, json);
    g_autoptr(JsonNode) document = call_ok (server, "PATCH", document_path, token, json);
    g_autoptr(GPtrArray) changes = sync_since (server, token, &cursor);

    g_assert_nonnull (changes);
  }
  {
    g_autofree char *json = g_strdup_printf ("{\"position\": %d}", DOCKET_MAX_POSITION + 1);
    g_autofree char *create = g_strdup_printf ("{\"title\": \"Mục\", \"position\": %d}",
                                               DOCKET_MAX_POSITION + 1);

    expect_refused (server, token, cursor, "PATCH", first_path, json, 400, "invalid_field", "position");
    expect_refused (server, token, cursor, "PATCH", document_path, json, 400, "invalid_field", "position");
    expect_refused (server, token, cursor, "POST", items_path, create, 400, "invalid_field", "position");
    expect_refused (server, token, cursor, "PATCH", first_path, "{\"position\": -1}", 400,
                    "invalid_field", "position");
  }

  /* Siblings: positions 0 to DOCKET_MAX_POSITION, so one more than that many is refused.
   * The first item stands at 0; the set-up fills 1 to DOCKET_MAX_POSITION - 1. From here
   * on the answers are read as a client reads them, not the feed (see
   * expect_refused_in_database ()). */
  run_sql (server,
           "WITH RECURSIVE n (x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n"
           "  WHERE x < " G_STRINGIFY (DOCKET_MAX_POSITION) " - 1)"
           " INSERT INTO items (id, meeting_id, parent_id, position, title, version)"
           " SELECT printf ('bulk%06d', x), ?1, NULL, x, 'Mục', 1 FROM n", meeting_id);
  {
    g_autoptr(JsonNode) answer = call_ok (server, "POST", items_path, token, "{\"title\": \"Cuối\"}");
    g_autoptr(GError) error = NULL;
    g_autoptr(DocketAgendaItemRecord) record = docket_agenda_item_record_from_json (answer, &error);

    g_assert_no_error (error);
    g_assert_cmpint (record->position, ==, DOCKET_MAX_POSITION);
    last_id = g_strdup (record->id);
  }
  expect_refused_in_database (server, token, meeting_id, "POST", items_path,
                              "{\"title\": \"Thừa\"}", 413, "too_large", "position");
  /* Nor may an item move in among them. */
  {
    g_autofree char *create = g_strdup_printf ("{\"title\": \"Con\", \"parent_id\": \"%s\"}", last_id);
    g_autofree char *child_id = created_id (server, items_path, token, create);
    g_autofree char *child_path = g_strconcat ("/api/v1/items/", child_id, NULL);

    expect_refused_in_database (server, token, meeting_id, "PATCH", child_path,
                                "{\"parent_id\": null}", 413, "too_large", "position");
  }

  docket_test_server_stop (server);
}

static void
test_depth (void)
{
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *token = docket_test_sign_in (server, "thuky",
                                                docket_test_server_get_password (server, "thuky"));
  g_autofree char *meeting_id = create_meeting (server, token);
  g_autofree char *items_path = g_strdup_printf ("/api/v1/meetings/%s/items", meeting_id);
  g_autofree char *cursor = NULL;
  g_autofree char *deepest_id = NULL;
  g_autofree char *top_id = created_id (server, items_path, token, "{\"title\": \"Gốc\"}");
  g_autofree char *second_top_id = created_id (server, items_path, token, "{\"title\": \"Gốc 2\"}");
  g_autofree char *second_top_path = g_strconcat ("/api/v1/items/", second_top_id, NULL);
  g_autofree char *under_second_id = NULL;
  g_autofree char *parent_id = g_strdup (top_id);
  g_autofree char *one_above_id = NULL;

  /* A chain down to depth DOCKET_MAX_AGENDA_DEPTH (the top item is at depth 0). */
  for (int depth = 1; depth <= DOCKET_MAX_AGENDA_DEPTH; depth++)
    {
      g_autofree char *json = g_strdup_printf ("{\"title\": \"Mức %d\", \"parent_id\": \"%s\"}",
                                               depth, parent_id);
      char *id = created_id (server, items_path, token, json);

      if (depth == DOCKET_MAX_AGENDA_DEPTH - 1)
        one_above_id = g_strdup (id);
      g_free (parent_id);
      parent_id = id;
    }
  deepest_id = g_strdup (parent_id);

  /* Clients read every level of it. */
  {
    g_autoptr(GPtrArray) changes = sync_since (server, token, &cursor);
    guint items = 0;

    for (guint i = 0; i < changes->len; i++)
      {
        DocketChange *change = g_ptr_array_index (changes, i);

        if (change->type == DOCKET_CHANGE_AGENDA_ITEM && !change->deleted &&
            g_str_equal (((DocketAgendaItemRecord *) change->record)->meeting_id, meeting_id))
          items++;
      }
    g_assert_cmpuint (items, ==, DOCKET_MAX_AGENDA_DEPTH + 2);
  }

  /* One level deeper: refused, made or moved there. */
  {
    g_autofree char *json = g_strdup_printf ("{\"title\": \"Quá sâu\", \"parent_id\": \"%s\"}",
                                             deepest_id);

    expect_refused (server, token, cursor, "POST", items_path, json, 400, "invalid_field", "parent_id");
  }
  {
    g_autofree char *json = g_strdup_printf ("{\"parent_id\": \"%s\"}", deepest_id);

    expect_refused (server, token, cursor, "PATCH", second_top_path, json, 400, "invalid_field",
                    "parent_id");
  }
  /* An item with a sub-item takes its sub-item down with it. */
  {
    g_autofree char *create = g_strdup_printf ("{\"title\": \"Con\", \"parent_id\": \"%s\"}",
                                               second_top_id);
    g_autofree char *json = g_strdup_printf ("{\"parent_id\": \"%s\"}", one_above_id);
    g_autoptr(GPtrArray) changes = NULL;

    under_second_id = created_id (server, items_path, token, create);
    changes = sync_since (server, token, &cursor);
    expect_refused (server, token, cursor, "PATCH", second_top_path, json, 400, "invalid_field",
                    "parent_id");
  }
  /* Alone, it fits just at the limit. */
  {
    g_autofree char *json = g_strdup_printf ("{\"parent_id\": \"%s\"}", one_above_id);
    g_autofree char *under_path = g_strconcat ("/api/v1/items/", under_second_id, NULL);
    g_autoptr(JsonNode) answer = call_ok (server, "PATCH", under_path, token, json);
    g_autoptr(GPtrArray) changes = NULL;
    DocketAgendaItemRecord *record = synced_record (server, token, &cursor,
                                                    DOCKET_CHANGE_AGENDA_ITEM, under_second_id,
                                                    &changes);

    g_assert_cmpstr (record->parent_id, ==, one_above_id);
  }

  docket_test_server_stop (server);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server-limits/participants", test_participants);
  g_test_add_func ("/server-limits/positions", test_positions);
  g_test_add_func ("/server-limits/depth", test_depth);

  return g_test_run ();
}
