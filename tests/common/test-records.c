/* test-records.c: the records themselves (common/docket-records.c): their enums' names on
 * the wire, and free and copy of nothing
 *
 * Their validation is tested in test-limits.c, their JSON in test-codec-*.c.
 */
#include "config.h"

#include "docket-records.h"

static void
test_enums (void)
{
  DocketMeetingStatus status;
  DocketRole role;

  g_assert_true (docket_meeting_status_from_string ("closed", &status));
  g_assert_cmpint (status, ==, DOCKET_MEETING_STATUS_CLOSED);
  g_assert_cmpstr (docket_meeting_status_to_string (DOCKET_MEETING_STATUS_PUBLISHED), ==, "published");
  g_assert_false (docket_meeting_status_from_string ("Draft", &status));
  g_assert_false (docket_meeting_status_from_string (NULL, &status));

  g_assert_true (docket_role_from_string ("admin", &role));
  g_assert_cmpint (role, ==, DOCKET_ROLE_ADMIN);
  g_assert_cmpstr (docket_role_to_string (DOCKET_ROLE_SECRETARY), ==, "secretary");
  /* A word it does not know is a role a later server added: kept as unknown, not refused
   * (docs/protocol.md, "Values a client does not know"); only a non-word is refused. */
  g_assert_true (docket_role_from_string ("root", &role));
  g_assert_cmpint (role, ==, DOCKET_ROLE_UNKNOWN);
  g_assert_false (docket_role_from_string ("Root", &role));
  g_assert_false (docket_role_from_string ("", &role));

  g_assert_cmpstr (docket_change_type_to_string (DOCKET_CHANGE_AGENDA_ITEM), ==, "agenda_item");
}

static void
test_free_null (void)
{
  /* Every free function takes NULL. */
  docket_participant_free (NULL);
  docket_meeting_record_free (NULL);
  docket_agenda_item_record_free (NULL);
  docket_document_record_free (NULL);
  docket_change_free (NULL);
  docket_changes_page_free (NULL);
  g_assert_null (docket_meeting_record_copy (NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/codec/enums", test_enums);
  g_test_add_func ("/codec/free-null", test_free_null);

  return g_test_run ();
}
