/* test-codec-user.c: who is signed in, the "user" of the session's answers, to JSON and
 * back (common/docket-codec-user.c)
 *
 * Hostile input goes the way a real one does (codec-test-util.c), and must fail with an
 * error that names the field; a global role a later server adds is kept as unknown.
 */
#include "config.h"

#include <string.h>

#include "codec-test-util.h"

static void
test_user_fields (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketUserRecord) record = read_record (KIND_USER, USER_JSON, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (record->username, ==, "nguyenvana");
  g_assert_cmpstr (record->display_name, ==, "Nguyễn Văn A");
  g_assert_cmpint (record->role, ==, DOCKET_ROLE_OFFICIAL);
  g_assert_cmpstr (record->organ, ==, "HĐND tỉnh");
}

static void
test_user_unknown_role (void)
{
  g_autofree char *text = mutate (USER_JSON, "role", "\"auditor\"");
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketUserRecord) record = read_record (KIND_USER, text, &error);
  g_autoptr(DocketUserRecord) copy = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (record->role, ==, DOCKET_ROLE_UNKNOWN);
  copy = docket_user_record_copy (record);
  g_assert_cmpint (copy->role, ==, DOCKET_ROLE_UNKNOWN);
  g_assert_true (docket_user_record_validate (copy, &error));
  g_assert_no_error (error);
}

static void
test_user_validation (void)
{
  g_autoptr(DocketUserRecord) record = docket_user_record_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (docket_user_record_validate (record, &error));
  g_assert_nonnull (strstr (error->message, "user.username"));
  g_clear_error (&error);

  record->username = g_strdup ("admin");
  record->display_name = g_strdup ("");
  record->organ = g_strdup ("");
  g_assert_true (docket_user_record_validate (record, &error));
  g_assert_no_error (error);

  g_clear_pointer (&record->organ, g_free);
  g_assert_false (docket_user_record_validate (record, &error));
  g_assert_nonnull (strstr (error->message, "user.organ"));
  g_clear_error (&error);
  record->organ = g_strdup ("");
  record->role = DOCKET_ROLE_UNKNOWN + 1;
  g_assert_false (docket_user_record_validate (record, &error));
  g_assert_nonnull (strstr (error->message, "user.role"));
}

static const struct {
  const char *field;
  FieldClass  klass;
} fields[] = {
  { "username",     CLASS_USERNAME },
  { "display_name", CLASS_SHORT },
  { "role",         CLASS_NAME },
  { "organ",        CLASS_SHORT },
};

static void
test_hostile_fields (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    refuse_field (KIND_USER, fields[i].field, fields[i].klass);
}

static void
test_not_objects (void)
{
  assert_not_objects (KIND_USER);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/codec-user/round-trip", GINT_TO_POINTER (KIND_USER), test_round_trip);
  g_test_add_func ("/codec-user/fields", test_user_fields);
  g_test_add_func ("/codec-user/unknown-role", test_user_unknown_role);
  g_test_add_func ("/codec-user/validation", test_user_validation);
  g_test_add_func ("/codec-user/hostile-fields", test_hostile_fields);
  g_test_add_func ("/codec-user/not-objects", test_not_objects);

  return g_test_run ();
}
