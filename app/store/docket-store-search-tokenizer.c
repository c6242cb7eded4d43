/* docket-store-search-tokenizer.c: the words of the full-text index (docket-store-search.c)
 *
 * Three tables (migration 4 in docket-store-schema.c):
 *   search_contents  one row per content (sha256) whose text was extracted, even when it
 *                    gave no text (a damaged PDF is not tried again at every start);
 *   search_pages     the text of each page, as poppler gave it (the snippets show it);
 *   search_fts       an FTS5 index over search_pages (external content, kept in step by
 *                    triggers), tokenized by the "docket" tokenizer below.
 *
 * The tokenizer splits on everything that is not a letter or a digit and folds each
 * token with docket_text_fold_char () (lowercase, no diacritics, đ → d), so that
 * "dai bieu" finds "Đại biểu"; unicode61's remove_diacritics does not fold đ. It reports
 * the byte offsets of the ORIGINAL text, so that snippet () marks the original words.
 *
 * Apart from the index's building and its queries because both use it: the indexer's
 * text and the official's query must be cut into the same words.
 *
 * Deleting rows of an FTS5 table tokenizes their text again: the tokenizer must give
 * the same tokens for the same text forever. If the folding ever changes, a migration
 * must rebuild the index ("INSERT INTO search_fts (search_fts) VALUES ('rebuild')").
 */
#include "config.h"

#include <glib/gi18n.h>
#include <sqlite3.h>

#include "docket-store.h"
#include "docket-store-private.h"
#include "docket-text-fold.h"

/* ---- The tokenizer ------------------------------------------------------------------ */

/* Folding a character costs a Unicode decomposition; indexing calls it for every
 * character of every page. The characters of Vietnamese (and of most European text)
 * are below U+2000: their class and folded form are computed once. */
#define FOLD_TABLE_SIZE 0x2000

enum {
  CHAR_SEPARATOR = 0,
  CHAR_WORD      = 1,   /* a letter or a digit */
  CHAR_MARK      = 2,   /* a combining mark: part of the word before it */
};

typedef struct {
  guint32 folded;       /* 0 when it folds to nothing */
  guint8  kind;
} FoldEntry;

static FoldEntry fold_table[FOLD_TABLE_SIZE];

static guint8
char_kind (gunichar c)
{
  if (g_unichar_isalnum (c))
    return CHAR_WORD;
  if (g_unichar_ismark (c))
    return CHAR_MARK;
  return CHAR_SEPARATOR;
}

static void
ensure_fold_table (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      for (gunichar c = 0; c < FOLD_TABLE_SIZE; c++)
        {
          fold_table[c].kind = char_kind (c);
          fold_table[c].folded = docket_text_fold_char (c);
        }
      g_once_init_leave (&initialized, 1);
    }
}

static inline void
classify (gunichar  c,
          guint8   *out_kind,
          gunichar *out_folded)
{
  if (c < FOLD_TABLE_SIZE)
    {
      *out_kind = fold_table[c].kind;
      *out_folded = fold_table[c].folded;
    }
  else
    {
      *out_kind = char_kind (c);
      *out_folded = docket_text_fold_char (c);
    }
}

int
docket_store_search_tokenize (const char             *text,
                              int                     length,
                              DocketStoreTokenFunc    func,
                              gpointer                data)
{
  char buffer[DOCKET_STORE_MAX_TOKEN_BYTES + 8];
  int buffer_len = 0;
  int start = -1;
  int end = 0;
  int pos = 0;

  ensure_fold_table ();

  while (pos < length)
    {
      const guchar byte = (guchar) text[pos];
      gunichar c;
      gunichar folded;
      guint8 kind;
      int next;

      if (byte < 0x80)
        {
          c = byte;
          next = pos + 1;
        }
      else
        {
          c = g_utf8_get_char_validated (text + pos, length - pos);
          if (c == (gunichar) -1 || c == (gunichar) -2)
            {
              c = ' ';    /* a separator */
              next = pos + 1;
            }
          else
            next = (int) (g_utf8_next_char (text + pos) - text);
        }

      classify (c, &kind, &folded);

      if (kind == CHAR_WORD || (kind == CHAR_MARK && start >= 0))
        {
          if (start < 0)
            start = pos;
          if (folded != 0 && buffer_len <= DOCKET_STORE_MAX_TOKEN_BYTES - 6)
            buffer_len += g_unichar_to_utf8 (folded, buffer + buffer_len);
          end = next;
        }
      else if (start >= 0)
        {
          int rc = buffer_len > 0 ? func (data, buffer, buffer_len, start, end) : 0;

          if (rc != 0)
            return rc;
          start = -1;
          buffer_len = 0;
        }

      pos = next;
    }

  if (start >= 0 && buffer_len > 0)
    return func (data, buffer, buffer_len, start, end);

  return 0;
}

typedef struct {
  void *ctx;
  int (*x_token) (void *ctx, int flags, const char *token, int n_token, int start, int end);
} Fts5Sink;

static int
fts5_sink_token (gpointer    data,
                 const char *token,
                 int         token_len,
                 int         start,
                 int         end)
{
  Fts5Sink *sink = data;

  return sink->x_token (sink->ctx, 0, token, token_len, start, end);
}

static int
docket_tokenizer_create (void            *context,
                         const char     **args,
                         int              n_args,
                         Fts5Tokenizer  **out_tokenizer)
{
  /* Stateless: any non-NULL pointer will do. */
  *out_tokenizer = (Fts5Tokenizer *) context;
  return SQLITE_OK;
}

static void
docket_tokenizer_delete (Fts5Tokenizer *tokenizer)
{
}

static int
docket_tokenizer_tokenize (Fts5Tokenizer *tokenizer,
                           void          *ctx,
                           int            flags,
                           const char    *text,
                           int            length,
                           int          (*x_token) (void *, int, const char *, int, int, int))
{
  Fts5Sink sink = { ctx, x_token };

  if (text == NULL || length <= 0)
    return SQLITE_OK;

  return docket_store_search_tokenize (text, length, fts5_sink_token, &sink);
}

static fts5_tokenizer docket_tokenizer = {
  docket_tokenizer_create,
  docket_tokenizer_delete,
  docket_tokenizer_tokenize,
};

static char docket_tokenizer_context;   /* its address is the tokenizer's handle */

static fts5_api *
get_fts5_api (sqlite3 *db)
{
  fts5_api *api = NULL;
  g_autoptr(sqlite3_stmt) stmt = docket_sqlite_prepare (db, "SELECT fts5(?1)", NULL);

  /* Without FTS5 the statement cannot be prepared; the caller says so to the official. */
  if (stmt == NULL)
    return NULL;

  /* By hand: a pointer is bound only here, the way SQLite hands out its FTS5 API. */
  sqlite3_bind_pointer (stmt, 1, (void *) &api, "fts5_api_ptr", NULL);
  if (!docket_sqlite_step_done (stmt, NULL))
    return NULL;

  return api;
}

gboolean
docket_store_search_register_tokenizer (sqlite3  *db,
                                        GError  **error)
{
  fts5_api *api = get_fts5_api (db);
  int rc;

  if (api == NULL)
    {
      g_set_error_literal (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_IO,
                           _("This computer's SQLite has no full-text search (FTS5), which Docket needs."));
      return FALSE;
    }

  rc = api->xCreateTokenizer (api, "docket", &docket_tokenizer_context, &docket_tokenizer, NULL);
  if (rc != SQLITE_OK)
    {
      docket_store_set_sqlite_error (error, db, rc, "fts5 tokenizer");
      return FALSE;
    }

  return TRUE;
}

