/* test-text-fold.c: folding for search and find, Vietnamese first */
#include "config.h"

#include <glib.h>

#include "docket-text-fold.h"

static void
assert_folds (const char *text,
              const char *expected)
{
  g_autofree char *folded = docket_text_fold (text, -1, NULL);

  g_assert_cmpstr (folded, ==, expected);
}

static void
test_vietnamese (void)
{
  assert_folds ("Hội đồng nhân dân", "hoi dong nhan dan");
  assert_folds ("ĐẠI BIỂU", "dai bieu");
  assert_folds ("Ngân sách năm 2027", "ngan sach nam 2027");
  assert_folds ("Ủy ban, ưu tiên, ơn", "uy ban, uu tien, on");
  assert_folds ("Ðại (Ð U+00D0)", "dai (d u+00d0)");
}

static void
test_decomposed_input (void)
{
  /* "Đại" with the dot below as a combining mark: the mark folds to nothing */
  g_autoptr(GArray) map = NULL;
  g_autofree char *folded = docket_text_fold ("\xc4\x90" "a\xcc\xa3i", -1, &map);

  g_assert_cmpstr (folded, ==, "dai");
  g_assert_cmpuint (map->len, ==, 3);
  g_assert_cmpuint (g_array_index (map, guint, 0), ==, 0);
  g_assert_cmpuint (g_array_index (map, guint, 1), ==, 1);
  g_assert_cmpuint (g_array_index (map, guint, 2), ==, 3);
}

static void
test_char_map (void)
{
  g_autoptr(GArray) map = NULL;
  g_autofree char *folded = docket_text_fold ("Đại biểu", -1, &map);
  guint i;

  g_assert_cmpstr (folded, ==, "dai bieu");
  g_assert_cmpuint (map->len, ==, 8);
  for (i = 0; i < map->len; i++)
    g_assert_cmpuint (g_array_index (map, guint, i), ==, i);
}

static void
test_invalid_utf8 (void)
{
  assert_folds ("abc\xff" "def", "abc");
  assert_folds ("", "");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/text-fold/vietnamese", test_vietnamese);
  g_test_add_func ("/text-fold/decomposed-input", test_decomposed_input);
  g_test_add_func ("/text-fold/char-map", test_char_map);
  g_test_add_func ("/text-fold/invalid-utf8", test_invalid_utf8);

  return g_test_run ();
}
