/* docket-text-fold.h: text folded for matching, so that "dai bieu" finds "Đại biểu"
 *
 * Lowercase, without diacritics, and đ/Đ as d (Unicode does not decompose đ, so
 * "remove diacritics" alone leaves it). One character of the original gives at most one
 * character of the folded text, so that a hit in the folded text maps back to the
 * original characters (and their boxes on a page). Used by the search index's tokenizer
 * and by find in document.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The folded form of c, or 0 when c folds to nothing (a combining mark). */
gunichar  docket_text_fold_char     (gunichar     c);

/* text (UTF-8, length bytes or -1 for NUL-terminated) folded. When out_char_map is not
 * NULL it gets a GArray of guint: for each character of the result, the index (in
 * characters) of the original character it came from. Invalid UTF-8 is folded up to
 * the first invalid byte. */
char     *docket_text_fold          (const char  *text,
                                     gssize       length,
                                     GArray     **out_char_map);

G_END_DECLS
