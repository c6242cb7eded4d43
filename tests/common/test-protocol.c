/* test-protocol.c: what common/docket-protocol.c checks before any record is read
 *
 * The validators of ids, SHA-256s, text and user names; RFC 3339 times; the error body;
 * and docket_protocol_parse_json (), the strict JSON parser every message goes through
 * (hostile text must fail with a DOCKET_PROTOCOL_ERROR, never crash or be half read).
 */
#include "config.h"

#include <string.h>

#include "codec-test-util.h"

static void
test_validators (void)
{
  g_autofree char *id64 = g_strnfill (64, 'a');
  g_autofree char *id65 = g_strnfill (65, 'a');
  g_autofree char *text10 = g_strnfill (10, 'x');

  g_assert_true (docket_protocol_id_is_valid ("a"));
  g_assert_true (docket_protocol_id_is_valid ("Az09_-"));
  g_assert_true (docket_protocol_id_is_valid (id64));
  g_assert_false (docket_protocol_id_is_valid (id65));
  g_assert_false (docket_protocol_id_is_valid (NULL));
  g_assert_false (docket_protocol_id_is_valid (""));
  g_assert_false (docket_protocol_id_is_valid ("."));
  g_assert_false (docket_protocol_id_is_valid (".."));
  g_assert_false (docket_protocol_id_is_valid ("../etc"));
  g_assert_false (docket_protocol_id_is_valid ("a/b"));
  g_assert_false (docket_protocol_id_is_valid ("a\\b"));
  g_assert_false (docket_protocol_id_is_valid ("é"));
  g_assert_false (docket_protocol_id_is_valid ("a b"));

  g_assert_true (docket_protocol_sha256_is_valid ("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"));
  g_assert_false (docket_protocol_sha256_is_valid ("9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08"));
  g_assert_false (docket_protocol_sha256_is_valid ("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0"));
  g_assert_false (docket_protocol_sha256_is_valid ("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a088"));
  g_assert_false (docket_protocol_sha256_is_valid ("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0g"));
  g_assert_false (docket_protocol_sha256_is_valid (""));
  g_assert_false (docket_protocol_sha256_is_valid (NULL));

  g_assert_true (docket_protocol_text_is_valid ("", 0));
  g_assert_true (docket_protocol_text_is_valid (text10, 10));
  g_assert_false (docket_protocol_text_is_valid (text10, 9));
  g_assert_true (docket_protocol_text_is_valid ("Hội trường\ttầng 3\nphòng A", 100));
  /* Limits are in bytes, not characters: "ộ" is 3 bytes. */
  g_assert_false (docket_protocol_text_is_valid ("ộ", 2));
  g_assert_false (docket_protocol_text_is_valid ("a\rb", 100));
  g_assert_false (docket_protocol_text_is_valid ("a\033[31mb", 100));
  g_assert_false (docket_protocol_text_is_valid ("a\x7f", 100));
  g_assert_false (docket_protocol_text_is_valid ("a\xc2\x85", 100));   /* U+0085, C1 */
  g_assert_false (docket_protocol_text_is_valid ("a\xff", 100));
  g_assert_false (docket_protocol_text_is_valid ("\xc3\x28", 100));
  g_assert_false (docket_protocol_text_is_valid ("\xed\xa0\x80", 100)); /* a surrogate */
  g_assert_false (docket_protocol_text_is_valid (NULL, 100));

  g_assert_true (docket_protocol_username_is_valid ("nguyenvana"));
  g_assert_true (docket_protocol_username_is_valid ("thu.ky-1_2"));
  g_assert_true (docket_protocol_username_is_valid ("1a"));
  g_assert_false (docket_protocol_username_is_valid (""));
  g_assert_false (docket_protocol_username_is_valid (".hidden"));
  g_assert_false (docket_protocol_username_is_valid ("-x"));
  g_assert_false (docket_protocol_username_is_valid ("NguyenVanA"));
  g_assert_false (docket_protocol_username_is_valid ("a/b"));
  g_assert_false (docket_protocol_username_is_valid (id65));
  g_assert_true (docket_protocol_username_is_valid (id64));
  g_assert_false (docket_protocol_username_is_valid (NULL));
}

static void
test_time (void)
{
  static const struct {
    const char *in;
    const char *out;
  } good[] = {
    { "2026-11-22T08:00:00+07:00", "2026-11-22T08:00:00+07:00" },
    { "2026-11-22t08:00:00z", "2026-11-22T08:00:00+00:00" },
    { "2026-11-22T08:00:00Z", "2026-11-22T08:00:00+00:00" },
    { "2026-11-22T08:00:00.75-03:30", "2026-11-22T08:00:00-03:30" },
    { "2024-02-29T23:59:59+14:00", "2024-02-29T23:59:59+14:00" },
  };
  static const char *bad[] = {
    "2026-11-22T08:00:00",           /* no offset: never read as local time */
    "2026-11-22 08:00:00+07:00",
    "2026-11-22T08:00+07:00",
    "2026-11-22T08:00:00+0700",
    "2026-11-22T08:00:00+07",
    "20261122T080000Z",
    "2026-W47-7T08:00:00Z",
    "2026-326T08:00:00Z",
    "2026-13-22T08:00:00Z",
    "2026-02-30T08:00:00Z",
    "2026-11-22T25:00:00Z",
    "2026-11-22T08:00:00.Z",
    "2026-11-22T08:00:00Z ",
    " 2026-11-22T08:00:00Z",
    "2026-11-22T08:00:00+07:00x",
    "tomorrow",
    "",
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GDateTime) time = docket_protocol_parse_time (good[i].in, &error);
      g_autofree char *text = NULL;

      g_assert_no_error (error);
      g_assert_nonnull (time);
      text = docket_protocol_format_time (time);
      /* UTC may be written as Z or +00:00; both are RFC 3339. */
      if (g_str_has_suffix (good[i].out, "+00:00") && g_str_has_suffix (text, "Z"))
        g_assert_true (strncmp (text, good[i].out, 19) == 0);
      else
        g_assert_cmpstr (text, ==, good[i].out);
    }

  for (i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GDateTime) time = docket_protocol_parse_time (bad[i], &error);

      if (time != NULL)
        g_error ("accepted the time \"%s\"", bad[i]);
      g_assert_error (error, DOCKET_PROTOCOL_ERROR, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE);
    }
}

static void
test_format_time_odd_offset (void)
{
  /* Asia/Ho_Chi_Minh was +07:06:40 before 1906: not expressible in RFC 3339, so the time
   * is written in UTC, and still means the same instant. */
  g_autoptr(GTimeZone) zone = g_time_zone_new_offset (7 * 3600 + 6 * 60 + 40);
  g_autoptr(GDateTime) time = g_date_time_new (zone, 1900, 1, 1, 12, 0, 0);
  g_autofree char *text = docket_protocol_format_time (time);
  g_autoptr(GDateTime) back = docket_protocol_parse_time (text, NULL);

  g_assert_nonnull (back);
  g_assert_true (g_date_time_equal (time, back));
}

static void
test_error_to_json (void)
{
  g_autoptr(JsonNode) node = docket_protocol_error_to_json (DOCKET_ERR_INVALID_FIELD,
                                                            "starts_at: not an RFC 3339 time with an offset");
  g_autofree char *text = json_to_string (node, FALSE);

  g_assert_cmpstr (text, ==,
                   "{\"error\":\"invalid_field\",\"message\":\"starts_at: not an RFC 3339 time with an offset\"}");
}

static void
test_parse_json (void)
{
  static const char *bad[] = {
    "",
    "   ",
    "{",
    "{\"a\": 1,}",
    "<html><body>502 Bad Gateway</body></html>",
    "{\"a\": \"ab\\u0000../x\"}",
    "{\"a\": \"\\u0000\"}",
    "{\"a\": 18446744073709551658}",
    "{\"a\": -18446744073709551574}",    /* json-glib alone reads 42 */
    "{\"a\": 99999999999999999999999}",
    "{\"a\": \"\xff\"}",
    "{\"a\": \"\xc3\x28\"}",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  GString *deep;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(JsonNode) bad_node = parse (bad[i], &local_error);

      if (bad_node != NULL)
        g_error ("accepted the JSON text \"%s\"", bad[i]);
      g_assert_nonnull (local_error);
      g_assert_true (local_error->domain == DOCKET_PROTOCOL_ERROR);
    }

  /* An embedded NUL byte: json-glib would parse only what comes before it. */
  node = docket_protocol_parse_json ("{\"a\": 1}\0garbage", 16, 1024, &error);
  g_assert_error (error, DOCKET_PROTOCOL_ERROR, DOCKET_PROTOCOL_ERROR_MALFORMED);
  g_assert_null (node);
  g_clear_error (&error);

  /* Over the size limit. */
  node = docket_protocol_parse_json ("{\"a\": 1}", -1, 7, &error);
  g_assert_error (error, DOCKET_PROTOCOL_ERROR, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE);
  g_assert_null (node);
  g_clear_error (&error);

  /* Deep nesting: json-glib alone overflows the stack on this. */
  deep = g_string_new (NULL);
  for (i = 0; i < 200000; i++)
    g_string_append_c (deep, '[');
  for (i = 0; i < 200000; i++)
    g_string_append_c (deep, ']');
  node = parse (deep->str, &error);
  g_string_free (deep, TRUE);
  g_assert_error (error, DOCKET_PROTOCOL_ERROR, DOCKET_PROTOCOL_ERROR_MALFORMED);
  g_assert_null (node);
  g_clear_error (&error);

  /* What must still pass: escapes, brackets, digits and "\u0000" look-alikes in strings,
   * large but in-range numbers, moderate nesting. */
  node = parse ("{\"a\": \"[[[{{\\\\u0000 \\u00e9 \\\" 123456789012345678901234\","
                " \"b\": [[[[1]]]], \"c\": -9007199254740991, \"d\": 1.5e300, \"e\": null}",
                &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "a"), ==,
                   "[[[{{\\u0000 é \" 123456789012345678901234");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "c"), ==,
                   -G_GINT64_CONSTANT (9007199254740991));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/codec/validators", test_validators);
  g_test_add_func ("/codec/time", test_time);
  g_test_add_func ("/codec/time/odd-offset", test_format_time_odd_offset);
  g_test_add_func ("/codec/error-to-json", test_error_to_json);
  g_test_add_func ("/codec/parse-json", test_parse_json);

  return g_test_run ();
}
