/* docket-text-fold.c: text folded for matching (see the header) */
#include "config.h"

#include <string.h>

#include "docket-text-fold.h"

gunichar
docket_text_fold_char (gunichar c)
{
  gunichar decomposed[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];
  gsize n;

  if (g_unichar_ismark (c))
    return 0;

  /* Đ đ (and their lookalikes Ð ð, which Vietnamese text typed on the wrong keyboard
   * carries) have no decomposition. */
  switch (c)
    {
    case 0x0110: case 0x0111: case 0x00D0: case 0x00F0:
      return 'd';
    default:
      break;
    }

  n = g_unichar_fully_decompose (c, FALSE, decomposed, G_N_ELEMENTS (decomposed));
  if (n > 0)
    c = decomposed[0];

  return g_unichar_tolower (c);
}

char *
docket_text_fold (const char  *text,
                  gssize       length,
                  GArray     **out_char_map)
{
  g_autoptr(GString) folded = NULL;
  g_autoptr(GArray) char_map = NULL;
  const char *end;
  const char *p;
  guint index = 0;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  if (length < 0)
    length = (gssize) strlen (text);
  end = text + length;

  folded = g_string_sized_new ((gsize) length);
  if (out_char_map != NULL)
    char_map = g_array_sized_new (FALSE, FALSE, sizeof (guint), (guint) length);

  for (p = text; p < end; index++)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);
      gunichar f;

      if (c == (gunichar) -1 || c == (gunichar) -2)
        break;

      f = docket_text_fold_char (c);
      if (f != 0)
        {
          g_string_append_unichar (folded, f);
          if (char_map != NULL)
            g_array_append_val (char_map, index);
        }

      p = g_utf8_next_char (p);
    }

  if (out_char_map != NULL)
    *out_char_map = g_steal_pointer (&char_map);

  return g_string_free (g_steal_pointer (&folded), FALSE);
}
