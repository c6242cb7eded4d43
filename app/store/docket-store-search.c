/* docket-store-search.c: the full-text index of every document content in the profile
 *
 * Three tables (migration 4 in docket-store-schema.c):
 *   search_contents  one row per content (sha256) whose text was extracted, even when it
 *                    gave no text (a damaged PDF is not tried again at every start);
 *   search_pages     the text of each page, as poppler gave it (the snippets show it);
 *   search_fts       an FTS5 index over search_pages (external content, kept in step by
 *                    triggers), tokenized by our "docket" tokenizer below.
 *
 * The tokenizer splits on everything that is not a letter or a digit and folds each
 * token with docket_text_fold_char () (lowercase, no diacritics, đ → d), so that
 * "dai bieu" finds "Đại biểu"; unicode61's remove_diacritics does not fold đ. It reports
 * the byte offsets of the ORIGINAL text, so that snippet () marks the original words.
 *
 * Deleting rows of an FTS5 table tokenizes their text again: the tokenizer must give
 * the same tokens for the same text forever. If the folding ever changes, a migration
 * must rebuild the index ("INSERT INTO search_fts (search_fts) VALUES ('rebuild')").
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <sqlite3.h>

#include "docket-store.h"
#include "docket-store-private.h"
#include "docket-text-fold.h"

/* A token longer than this (in bytes, folded) is cut: no word is that long, and a PDF
 * with a megabyte of letters without a space must not cost a megabyte per token. */
#define MAX_TOKEN_BYTES 128

/* What the user types: at most this many words are searched for. */
#define MAX_QUERY_TOKENS 32

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

typedef int (*TokenFunc) (gpointer    data,
                          const char *token,
                          int         token_len,
                          int         start,
                          int         end);

/* Calls func for each word of text (length bytes): its folded form and the byte range
 * of the original. Stops at the first non-zero answer of func and returns it. Invalid
 * UTF-8 separates words. */
static int
tokenize (const char *text,
          int         length,
          TokenFunc   func,
          gpointer    data)
{
  char buffer[MAX_TOKEN_BYTES + 8];
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
          if (folded != 0 && buffer_len <= MAX_TOKEN_BYTES - 6)
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

  return tokenize (text, length, fts5_sink_token, &sink);
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
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, "SELECT fts5(?1)", -1, &stmt, NULL) != SQLITE_OK)
    return NULL;

  sqlite3_bind_pointer (stmt, 1, (void *) &api, "fts5_api_ptr", NULL);
  sqlite3_step (stmt);
  sqlite3_finalize (stmt);

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

/* ---- Keeping the index in step with the cache --------------------------------------- */

gboolean
docket_store_search_forget_uncached_locked (DocketStore  *self,
                                            GError      **error)
{
  g_autoptr(GPtrArray) shas = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  /* search_contents has a row per content (few), search_pages one per page (many):
   * find the contents that left, then delete their pages through the index on sha256. */
  stmt = docket_store_prepare (self,
                               "DELETE FROM search_contents"
                               " WHERE sha256 NOT IN (SELECT sha256 FROM blobs) RETURNING sha256",
                               error);
  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (shas, docket_sqlite_column_dup (stmt, 0));
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      docket_store_set_sqlite_error (error, docket_store_get_db (self), rc, "search_contents");
      return FALSE;
    }

  for (guint i = 0; i < shas->len; i++)
    {
      stmt = docket_store_prepare (self, "DELETE FROM search_pages WHERE sha256 = ?1", error);
      if (stmt == NULL)
        return FALSE;
      docket_sqlite_bind_text (stmt, 1, g_ptr_array_index (shas, i));
      if (!docket_store_step_done (self, stmt, error))
        return FALSE;
    }

  return TRUE;
}

/* ---- Contents to index -------------------------------------------------------------- */

void
docket_store_content_free (DocketStoreContent *content)
{
  if (content == NULL)
    return;

  g_free (content->sha256);
  g_free (content->path);
  g_free (content);
}

/* A DocketStoreRowReader: the content of the checksum in column 0, with its file;
 * skipped (NULL) when the checksum cannot name a file. */
static gpointer
read_content (DocketStore   *self,
              sqlite3_stmt  *stmt,
              gpointer       unused,
              GError       **error)
{
  DocketStoreContent *content = g_new0 (DocketStoreContent, 1);

  content->sha256 = docket_sqlite_column_dup (stmt, 0);
  content->path = docket_store_dup_blob_path (self, content->sha256);
  if (content->path == NULL)
    g_clear_pointer (&content, docket_store_content_free);

  return content;
}

GPtrArray *
docket_store_list_unindexed_contents (DocketStore  *self,
                                      GError      **error)
{
  sqlite3_stmt *stmt;
  GPtrArray *contents;

  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);

  docket_store_lock (self);
  /* The contents of the meetings that come first are indexed first. */
  stmt = docket_store_prepare (self,
                               "SELECT b.sha256 FROM verified_blobs b"
                               " WHERE NOT EXISTS (SELECT 1 FROM search_contents c WHERE c.sha256 = b.sha256)"
                               " ORDER BY (SELECT min (m.starts_at_unix) FROM documents d"
                               "           JOIN meetings m ON m.id = d.meeting_id"
                               "           WHERE d.sha256 = b.sha256), b.sha256",
                               error);
  contents = docket_store_collect_rows_locked (self, stmt, read_content, NULL,
                                               (GDestroyNotify) docket_store_content_free,
                                               "blobs", error);
  docket_store_unlock (self);

  return contents;
}

static gboolean
clear_search_index_locked (DocketStore  *self,
                           GError      **error)
{
  if (!docket_store_begin_locked (self, error))
    return FALSE;
  /* The pages go with their contents (ON DELETE CASCADE), and out of the FTS index by its
   * triggers; 'rebuild' then leaves the index as a new profile has it, without the
   * deletions' traces that would slow the indexing that follows. */
  if (!docket_store_exec (self, "DELETE FROM search_contents", error) ||
      !docket_store_exec (self, "INSERT INTO search_fts (search_fts) VALUES ('rebuild')", error) ||
      !docket_store_commit_locked (self, error))
    {
      docket_store_rollback_locked (self);
      return FALSE;
    }
  return TRUE;
}

gboolean
docket_store_clear_search_index (DocketStore  *self,
                                 GError      **error)
{
  gboolean ok;

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);

  docket_store_lock (self);
  ok = clear_search_index_locked (self, error);
  docket_store_unlock (self);
  if (ok)
    docket_store_queue_changed (self);
  return ok;
}

gboolean
docket_store_count_unindexed_contents (DocketStore  *self,
                                       guint        *out_count,
                                       GError      **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);
  g_return_val_if_fail (out_count != NULL, FALSE);

  docket_store_lock (self);

  stmt = docket_store_prepare (self,
                               "SELECT count(*) FROM verified_blobs b"
                               " WHERE NOT EXISTS (SELECT 1 FROM search_contents c WHERE c.sha256 = b.sha256)",
                               error);
  if (stmt == NULL)
    {
      docket_store_unlock (self);
      return FALSE;
    }

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out_count = (guint) sqlite3_column_int (stmt, 0);
  else
    docket_store_set_sqlite_error (error, docket_store_get_db (self), rc, "blobs");

  sqlite3_finalize (stmt);
  docket_store_unlock (self);

  return rc == SQLITE_ROW;
}

static gpointer
count_unindexed_job (DocketStore  *self,
                     gpointer      data,
                     GError      **error)
{
  guint *count = g_new0 (guint, 1);

  if (!docket_store_count_unindexed_contents (self, count, error))
    {
      g_free (count);
      return NULL;
    }

  return count;
}

void
docket_store_count_unindexed_contents_async (DocketStore         *self,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  g_return_if_fail (DOCKET_IS_STORE (self));

  docket_store_run_in_thread (self, count_unindexed_job, NULL, NULL, g_free,
                              docket_store_count_unindexed_contents_async,
                              cancellable, callback, user_data);
}

gboolean
docket_store_count_unindexed_contents_finish (DocketStore   *self,
                                              GAsyncResult  *result,
                                              guint         *out_count,
                                              GError       **error)
{
  g_autofree guint *count = docket_store_run_finish (self, result,
                                                     docket_store_count_unindexed_contents_async,
                                                     error);

  if (count == NULL)
    return FALSE;

  if (out_count != NULL)
    *out_count = *count;
  return TRUE;
}

/* What goes into the index: valid UTF-8, and no control characters but new lines (the
 * snippets mark hits with \1 and \2, which must not come from a PDF). */
static char *
sanitize_page_text (const char *text)
{
  char *valid = g_utf8_make_valid (text != NULL ? text : "", -1);

  for (char *p = valid; *p != '\0'; p++)
    {
      if ((guchar) *p < 0x20 && *p != '\n')
        *p = ' ';
    }

  return valid;
}

static gboolean
blob_is_complete_locked (DocketStore *self,
                         const char  *sha256,
                         gboolean    *out_complete,
                         GError     **error)
{
  sqlite3_stmt *stmt = docket_store_prepare (self, "SELECT 1 FROM verified_blobs WHERE sha256 = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  docket_sqlite_bind_text (stmt, 1, sha256);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      docket_store_set_sqlite_error (error, docket_store_get_db (self), rc, "blobs");
      return FALSE;
    }

  *out_complete = rc == SQLITE_ROW;
  return TRUE;
}

static gboolean
save_content_text_locked (DocketStore  *self,
                          const char   *sha256,
                          GPtrArray    *page_texts,
                          gboolean     *out_saved,
                          GError      **error)
{
  sqlite3 *db = docket_store_get_db (self);
  sqlite3_stmt *stmt;
  gboolean complete = FALSE;

  *out_saved = FALSE;

  if (!docket_store_begin_locked (self, error))
    return FALSE;

  /* The document may have left the cache while its text was being extracted: then its
   * text has no place in the index. */
  if (!blob_is_complete_locked (self, sha256, &complete, error))
    goto fail;
  if (!complete)
    return docket_store_commit_locked (self, error);

  stmt = docket_store_prepare (self, "DELETE FROM search_pages WHERE sha256 = ?1", error);
  if (stmt == NULL)
    goto fail;
  docket_sqlite_bind_text (stmt, 1, sha256);
  if (!docket_store_step_done (self, stmt, error))
    goto fail;

  stmt = docket_store_prepare (self,
                               "INSERT INTO search_contents (sha256, n_pages, indexed_at) VALUES (?1, ?2, ?3)"
                               " ON CONFLICT (sha256) DO UPDATE SET"
                               "  n_pages = excluded.n_pages, indexed_at = excluded.indexed_at",
                               error);
  if (stmt == NULL)
    goto fail;
  docket_sqlite_bind_text (stmt, 1, sha256);
  sqlite3_bind_int (stmt, 2, (int) page_texts->len);
  sqlite3_bind_int64 (stmt, 3, g_get_real_time () / G_USEC_PER_SEC);
  if (!docket_store_step_done (self, stmt, error))
    goto fail;

  stmt = docket_store_prepare (self, "INSERT INTO search_pages (sha256, page, text) VALUES (?1, ?2, ?3)", error);
  if (stmt == NULL)
    goto fail;

  for (guint i = 0; i < page_texts->len; i++)
    {
      g_autofree char *text = sanitize_page_text (g_ptr_array_index (page_texts, i));
      int rc;

      /* A page without words (a scan, a blank page) needs no row. */
      if (g_strstrip (text)[0] == '\0')
        continue;

      sqlite3_reset (stmt);
      docket_sqlite_bind_text (stmt, 1, sha256);
      sqlite3_bind_int (stmt, 2, (int) i);
      sqlite3_bind_text (stmt, 3, text, -1, SQLITE_TRANSIENT);
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_DONE)
        {
          docket_store_set_sqlite_error (error, db, rc, "search_pages");
          sqlite3_finalize (stmt);
          goto fail;
        }
    }
  sqlite3_finalize (stmt);

  if (!docket_store_commit_locked (self, error))
    goto fail;

  *out_saved = TRUE;
  return TRUE;

fail:
  docket_store_rollback_locked (self);
  return FALSE;
}

gboolean
docket_store_save_content_text (DocketStore  *self,
                                const char   *sha256,
                                GPtrArray    *page_texts,
                                GError      **error)
{
  gboolean saved = FALSE;
  gboolean ret;

  g_return_val_if_fail (DOCKET_IS_STORE (self), FALSE);
  g_return_val_if_fail (page_texts != NULL, FALSE);

  if (sha256 == NULL || !docket_protocol_sha256_is_valid (sha256))
    {
      g_set_error_literal (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_INVALID,
                           _("Not a valid document checksum."));
      return FALSE;
    }

  docket_store_lock (self);
  ret = save_content_text_locked (self, sha256, page_texts, &saved, error);
  docket_store_unlock (self);

  if (saved)
    docket_store_queue_changed (self);

  return ret;
}

int
docket_store_get_indexed_pages (DocketStore  *self,
                                const char   *sha256,
                                GError      **error)
{
  sqlite3_stmt *stmt;
  int n_pages = -1;
  int rc;

  g_return_val_if_fail (DOCKET_IS_STORE (self), -1);

  docket_store_lock (self);

  stmt = docket_store_prepare (self, "SELECT n_pages FROM search_contents WHERE sha256 = ?1", error);
  if (stmt == NULL)
    {
      docket_store_unlock (self);
      return -1;
    }

  docket_sqlite_bind_text (stmt, 1, sha256);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    n_pages = sqlite3_column_int (stmt, 0);
  else if (rc != SQLITE_DONE)
    docket_store_set_sqlite_error (error, docket_store_get_db (self), rc, "search_contents");

  sqlite3_finalize (stmt);
  docket_store_unlock (self);

  return n_pages;
}

/* ---- Queries ------------------------------------------------------------------------ */

/* The FTS5 query for what the user typed. It is never given to FTS5 as typed: FTS5's
 * syntax (AND, NEAR(), column filters, ^, *, unbalanced quotes) would turn ordinary
 * text into errors or strange searches. Instead:
 *   - words are folded tokens, each in double quotes, all required (AND);
 *   - "a phrase in quotes" stays a phrase (an unbalanced quote runs to the end);
 *   - a word that our tokenizer splits ("covid-19") is a phrase of its parts;
 *   - the last word is a prefix when the text ends inside it (still being typed), if it
 *     has two characters or more: every word that starts with one letter is half the
 *     index, and costs as much. A lone letter being typed after other words is left
 *     out until it has a second one ("ngan s" searches "ngan").
 * The snippets need the phrases too (their tokens, the very last one a prefix or not),
 * to mark what matched and nothing else. */

#define MIN_PREFIX_CHARS 2

typedef struct {
  GString   *query;         /* the FTS5 query built so far */
  GPtrArray *phrase;        /* the tokens of the current phrase */
  GPtrArray *phrases;       /* every phrase searched for, a GStrv of tokens each (a
                             * word outside quotes is a phrase of its own) */
  gboolean   prefix;        /* the last token of the last phrase is a prefix */
  guint      n_tokens;
  int        last_end;      /* byte offset, in the segment, of the end of the last token */
} QueryBuilder;

static int
query_builder_token (gpointer    data,
                     const char *token,
                     int         token_len,
                     int         start,
                     int         end)
{
  QueryBuilder *builder = data;

  if (builder->n_tokens >= MAX_QUERY_TOKENS)
    return 1;   /* enough */

  g_ptr_array_add (builder->phrase, g_strndup (token, (gsize) token_len));
  builder->n_tokens++;
  builder->last_end = end;

  return 0;
}

static void
query_builder_end_phrase (QueryBuilder *builder,
                          gboolean      being_typed)
{
  const char *last;
  gboolean prefix;
  char **tokens;

  if (builder->phrase->len == 0)
    return;

  last = g_ptr_array_index (builder->phrase, builder->phrase->len - 1);
  prefix = being_typed && g_utf8_strlen (last, -1) >= MIN_PREFIX_CHARS;

  if (being_typed && !prefix && builder->phrase->len == 1 && builder->query->len > 0)
    {
      g_ptr_array_set_size (builder->phrase, 0);
      return;
    }

  tokens = g_new0 (char *, builder->phrase->len + 1);
  if (builder->query->len > 0)
    g_string_append_c (builder->query, ' ');
  g_string_append_c (builder->query, '"');
  for (guint i = 0; i < builder->phrase->len; i++)
    {
      /* Folded tokens hold only letters and digits: nothing to escape in the quotes. */
      if (i > 0)
        g_string_append_c (builder->query, ' ');
      g_string_append (builder->query, g_ptr_array_index (builder->phrase, i));
      tokens[i] = g_strdup (g_ptr_array_index (builder->phrase, i));
    }
  g_string_append (builder->query, prefix ? "\"*" : "\"");
  g_ptr_array_add (builder->phrases, tokens);
  builder->prefix = prefix;
  g_ptr_array_set_size (builder->phrase, 0);
}

/* One phrase: a quoted part, or one word outside quotes. */
static void
query_builder_add (QueryBuilder *builder,
                   const char   *text,
                   int           length,
                   gboolean      at_end)
{
  builder->last_end = -1;
  tokenize (text, length, query_builder_token, builder);
  /* Being typed only when the text ends in the last token: "ngan sa" is being typed,
   * while "ngan sach " and "\"ngan sach\"" are finished. */
  query_builder_end_phrase (builder, at_end && builder->last_end == length);
}

/* The FTS5 query, or NULL when there is no word; out_phrases (may be NULL) gets the
 * phrases searched for (GPtrArray of GStrv of folded tokens), out_prefix whether the
 * last token of the last one is a prefix. */
static char *
build_query (const char  *text,
             GPtrArray  **out_phrases,
             gboolean    *out_prefix)
{
  g_autoptr(GString) query = g_string_new (NULL);
  g_autoptr(GPtrArray) phrase = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) phrases = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  QueryBuilder builder = { query, phrase, phrases, FALSE, 0, -1 };
  const char *p;
  const char *end;

  if (text == NULL)
    return NULL;

  end = text + strlen (text);
  p = text;

  while (p < end && builder.n_tokens < MAX_QUERY_TOKENS)
    {
      if (*p == '"')
        {
          const char *close = strchr (p + 1, '"');
          const char *stop = close != NULL ? close : end;

          /* An unbalanced quote: the rest is the phrase, still being typed. */
          query_builder_add (&builder, p + 1, (int) (stop - (p + 1)), close == NULL);
          p = close != NULL ? close + 1 : end;
        }
      else if (g_ascii_isspace (*p))
        p++;
      else
        {
          const char *word_end = p;

          while (word_end < end && *word_end != '"' && !g_ascii_isspace (*word_end))
            word_end++;
          query_builder_add (&builder, p, (int) (word_end - p), word_end == end);
          p = word_end;
        }
    }

  if (query->len == 0)
    return NULL;

  if (out_phrases != NULL)
    *out_phrases = g_steal_pointer (&phrases);
  if (out_prefix != NULL)
    *out_prefix = builder.prefix;

  return g_string_free (g_steal_pointer (&query), FALSE);
}

char *
docket_store_search_build_query (const char *text)
{
  return build_query (text, NULL, NULL);
}

/* ---- Snippets ----------------------------------------------------------------------- *
 *
 * Made here rather than with FTS5's snippet (), which tokenizes the whole page for
 * every hit: ours stops a few words after the first hit, which is where the window is.
 * What matched is marked \1 and \2 (page texts hold no control characters), then
 * turned into markup. What matched, as FTS5 matched it: a phrase where its words follow
 * each other (one mark around all of them, "ngân sách nhà nước", not every "nhà" of the
 * page), a word outside quotes wherever it is, and the prefix being typed in the words
 * that start with it; all compared folded, as the index does. */

#define SNIPPET_TOKENS 24     /* words in a snippet */
#define SNIPPET_BEFORE 6      /* of which before the first hit */

typedef struct {
  int      start;
  int      end;
  gboolean hit;
  gboolean joined;            /* a hit that goes on the phrase of the token before */
} SnippetToken;

/* A folded token of the page, kept while a phrase may still end after it. */
typedef struct {
  char folded[MAX_TOKEN_BYTES + 8];
  int  len;
} RecentToken;

typedef struct {
  GPtrArray   *phrases;       /* GStrv of folded tokens each */
  gboolean     prefix;        /* the last token of the last phrase is a prefix */
  guint        longest;       /* tokens in the longest phrase */
  RecentToken *recent;        /* the last `longest` tokens, token i at i % longest */
  GArray      *tokens;        /* SnippetToken */
  int          first_hit;     /* index in tokens, or -1 */
  gboolean     stopped;       /* there are more words after the last token */
} SnippetScan;

/* Where the snippet that starts SNIPPET_BEFORE words before the first hit ends (one
 * past its last token). */
static int
snippet_scan_window_end (SnippetScan *scan)
{
  return scan->first_hit + SNIPPET_TOKENS - SNIPPET_BEFORE;
}

static gboolean
recent_token_matches (const RecentToken *token,
                      const char        *word,
                      gboolean           prefix)
{
  int word_len = (int) strlen (word);

  if (prefix ? token->len < word_len : token->len != word_len)
    return FALSE;

  return memcmp (token->folded, word, (gsize) word_len) == 0;
}

/* Whether phrase number p ends at token k (its words are tokens k - n + 1 to k);
 * *out_n gets its length. */
static gboolean
snippet_scan_phrase_ends_at (SnippetScan *scan,
                             guint        p,
                             int          k,
                             int         *out_n)
{
  char **phrase = g_ptr_array_index (scan->phrases, p);
  int n = (int) g_strv_length (phrase);
  gboolean last_phrase = p == scan->phrases->len - 1;

  *out_n = n;
  if (n == 0 || n > k + 1)
    return FALSE;

  for (int j = 0; j < n; j++)
    {
      const RecentToken *token = &scan->recent[(guint) (k - n + 1 + j) % scan->longest];
      gboolean prefix = scan->prefix && last_phrase && j == n - 1;

      if (!recent_token_matches (token, phrase[j], prefix))
        return FALSE;
    }

  return TRUE;
}

/* Marks tokens first to last as one hit. */
static void
snippet_scan_mark (SnippetScan *scan,
                   int          first,
                   int          last)
{
  for (int i = first; i <= last; i++)
    {
      SnippetToken *t = &g_array_index (scan->tokens, SnippetToken, i);

      t->hit = TRUE;
      if (i > first)
        t->joined = TRUE;
    }

  if (scan->first_hit < 0 || first < scan->first_hit)
    scan->first_hit = first;
}

static int
snippet_scan_token (gpointer    data,
                    const char *token,
                    int         token_len,
                    int         start,
                    int         end)
{
  SnippetScan *scan = data;
  SnippetToken t = { start, end, FALSE, FALSE };
  RecentToken *recent;
  int k = (int) scan->tokens->len;

  /* A phrase that starts in the window may end after it: read as many words more as
   * the longest phrase has, so that the words of it that show are marked. */
  if (scan->first_hit >= 0 && k >= snippet_scan_window_end (scan) + (int) scan->longest - 1)
    {
      scan->stopped = TRUE;
      return 1;
    }

  g_array_append_val (scan->tokens, t);
  recent = &scan->recent[(guint) k % scan->longest];
  recent->len = MIN (token_len, MAX_TOKEN_BYTES);
  memcpy (recent->folded, token, (gsize) recent->len);

  for (guint p = 0; p < scan->phrases->len; p++)
    {
      int n;

      if (snippet_scan_phrase_ends_at (scan, p, k, &n))
        snippet_scan_mark (scan, k - n + 1, k);
    }

  return 0;
}

/* The snippet of a page's text, with \1 and \2 around what matched the phrases. */
static char *
make_snippet (const char *text,
              int         length,
              GPtrArray  *phrases,
              gboolean    prefix)
{
  g_autoptr(GArray) tokens = g_array_new (FALSE, FALSE, sizeof (SnippetToken));
  g_autofree RecentToken *recent = NULL;
  SnippetScan scan = { phrases, prefix, 1, NULL, tokens, -1, FALSE };
  GString *snippet = g_string_new (NULL);
  int first, last, window_end;
  int pos;

  if (text == NULL || length <= 0)
    return g_string_free (snippet, FALSE);

  for (guint p = 0; p < phrases->len; p++)
    scan.longest = MAX (scan.longest, g_strv_length (g_ptr_array_index (phrases, p)));
  recent = g_new0 (RecentToken, scan.longest);
  scan.recent = recent;

  tokenize (text, length, snippet_scan_token, &scan);
  if (tokens->len == 0)
    return g_string_free (snippet, FALSE);

  window_end = scan.first_hit >= 0 ? MIN ((int) tokens->len, snippet_scan_window_end (&scan))
                                   : (int) tokens->len;
  first = MAX (0, scan.first_hit - SNIPPET_BEFORE);
  last = MIN (window_end, first + SNIPPET_TOKENS) - 1;

  if (first > 0)
    g_string_append (snippet, "…");

  pos = g_array_index (tokens, SnippetToken, first).start;
  for (int i = first; i <= last; i++)
    {
      SnippetToken *t = &g_array_index (tokens, SnippetToken, i);
      /* A phrase is one mark: what separates its words is inside it. */
      gboolean opens = t->hit && (i == first || !t->joined);
      gboolean closes = t->hit && (i == last || !g_array_index (tokens, SnippetToken, i + 1).joined);

      g_string_append_len (snippet, text + pos, t->start - pos);
      if (opens)
        g_string_append_c (snippet, '\1');
      g_string_append_len (snippet, text + t->start, t->end - t->start);
      if (closes)
        g_string_append_c (snippet, '\2');
      pos = t->end;
    }

  /* The punctuation that closes the last word's sentence, then "…" if more follows. */
  if (pos < length && g_ascii_ispunct (text[pos]))
    g_string_append_c (snippet, text[pos]);
  if (scan.stopped || last < (int) tokens->len - 1)
    g_string_append (snippet, "…");

  return g_string_free (snippet, FALSE);
}

void
docket_search_hit_free (DocketSearchHit *hit)
{
  if (hit == NULL)
    return;

  g_free (hit->meeting_id);
  g_free (hit->meeting_title);
  g_free (hit->document_id);
  g_free (hit->document_title);
  g_free (hit->snippet);
  g_free (hit->match_text);
  g_free (hit);
}

/* A snippet with \1 and \2 around the hits (page texts hold no control
 * characters) as Pango markup: the hits in <b>, everything else escaped, white space
 * folded to single spaces. match_text gets the first run of hits (hits separated by
 * white space only), as the text writes it, for find in document. */
static char *
snippet_to_markup (const char  *snippet,
                   char       **out_match_text)
{
  g_autoptr(GString) markup = g_string_new (NULL);
  g_autoptr(GString) plain = g_string_new (NULL);
  g_autoptr(GString) match = g_string_new (NULL);
  g_autofree char *valid = g_utf8_make_valid (snippet != NULL ? snippet : "", -1);
  gboolean in_hit = FALSE;
  gboolean match_done = FALSE;
  gboolean pending_space = FALSE;

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == 1 || c == 2)
        {
          if (plain->len > 0)
            {
              g_autofree char *escaped = g_markup_escape_text (plain->str, (gssize) plain->len);
              g_string_append (markup, escaped);
              g_string_truncate (plain, 0);
            }
          if (c == 1 && !in_hit)
            {
              if (pending_space)
                g_string_append_c (markup, ' ');
              pending_space = FALSE;
              g_string_append (markup, "<b>");
              in_hit = TRUE;
              if (!match_done && match->len > 0)
                g_string_append_c (match, ' ');
            }
          else if (c == 2 && in_hit)
            {
              g_string_append (markup, "</b>");
              in_hit = FALSE;
            }
          continue;
        }

      if (g_unichar_isspace (c))
        {
          /* Folded to one space; white space between hits does not end the run of the
           * match (and a phrase is one hit, spaces included). */
          pending_space = markup->len > 0 || plain->len > 0;
          continue;
        }

      if (pending_space)
        {
          g_string_append_c (plain, ' ');
          if (in_hit && !match_done && match->len > 0)
            g_string_append_c (match, ' ');
          pending_space = FALSE;
        }
      g_string_append_unichar (plain, c);

      if (in_hit && !match_done)
        g_string_append_unichar (match, c);
      else if (!in_hit && match->len > 0)
        match_done = TRUE;
    }

  if (plain->len > 0)
    {
      g_autofree char *escaped = g_markup_escape_text (plain->str, (gssize) plain->len);
      g_string_append (markup, escaped);
    }
  if (in_hit)
    g_string_append (markup, "</b>");

  if (out_match_text != NULL)
    *out_match_text = g_string_free (g_steal_pointer (&match), FALSE);

  return g_string_free (g_steal_pointer (&markup), FALSE);
}

GPtrArray *
docket_store_search (DocketStore  *self,
                     const char   *text,
                     guint         limit,
                     GError      **error)
{
  g_autoptr(GPtrArray) hits = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_search_hit_free);
  g_autoptr(GPtrArray) phrases = NULL;
  g_autofree char *query = NULL;
  g_autofree char *snippet = NULL;
  sqlite3_int64 snippet_page_id = -1;
  gboolean prefix = FALSE;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);

  query = build_query (text, &phrases, &prefix);
  if (query == NULL || limit == 0)
    return g_steal_pointer (&hits);

  docket_store_lock (self);

  /* FTS5 ranks and limits the pages itself (ORDER BY rank in the subquery); then each
   * page becomes a hit in every cached document with that content (two meetings may
   * share a document), with a snippet of its text. */
  stmt = docket_store_prepare (self,
                               "SELECT t.r, p.text, p.page, d.id, d.title, m.id, m.title, p.id"
                               " FROM (SELECT rowid AS pid, rank AS r"
                               "       FROM search_fts WHERE search_fts MATCH ?1"
                               "       ORDER BY rank LIMIT ?2) AS t"
                               " JOIN search_pages p ON p.id = t.pid"
                               " JOIN documents d ON d.sha256 = p.sha256"
                               " JOIN verified_blobs b ON b.sha256 = d.sha256"
                               " JOIN meetings m ON m.id = d.meeting_id"
                               " ORDER BY t.r, m.starts_at_unix DESC, m.id, d.position, d.id, p.page",
                               error);
  if (stmt == NULL)
    {
      docket_store_unlock (self);
      return NULL;
    }

  docket_sqlite_bind_text (stmt, 1, query);
  sqlite3_bind_int64 (stmt, 2, limit);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW && hits->len < limit)
    {
      DocketSearchHit *hit = g_new0 (DocketSearchHit, 1);

      hit->rank = sqlite3_column_double (stmt, 0);
      /* A shared content's page gives several hits in a row: one snippet. */
      if (sqlite3_column_int64 (stmt, 7) != snippet_page_id)
        {
          g_free (snippet);
          snippet = make_snippet ((const char *) sqlite3_column_text (stmt, 1),
                                  sqlite3_column_bytes (stmt, 1), phrases, prefix);
          snippet_page_id = sqlite3_column_int64 (stmt, 7);
        }
      hit->snippet = snippet_to_markup (snippet, &hit->match_text);
      hit->page = (guint) sqlite3_column_int (stmt, 2);
      hit->document_id = docket_sqlite_column_dup (stmt, 3);
      hit->document_title = docket_sqlite_column_dup (stmt, 4);
      hit->meeting_id = docket_sqlite_column_dup (stmt, 5);
      hit->meeting_title = docket_sqlite_column_dup (stmt, 6);
      g_ptr_array_add (hits, hit);
    }

  sqlite3_finalize (stmt);
  docket_store_unlock (self);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      docket_store_set_sqlite_error (error, docket_store_get_db (self), rc, "search");
      return NULL;
    }

  return g_steal_pointer (&hits);
}

typedef struct {
  char  *text;
  guint  limit;
} SearchQuery;

static void
search_query_free (SearchQuery *query)
{
  g_free (query->text);
  g_free (query);
}

static gpointer
search_job (DocketStore  *self,
            gpointer      data,
            GError      **error)
{
  SearchQuery *query = data;

  return docket_store_search (self, query->text, query->limit, error);
}

void
docket_store_search_async (DocketStore         *self,
                           const char          *text,
                           guint                limit,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  SearchQuery *query;

  g_return_if_fail (DOCKET_IS_STORE (self));

  query = g_new0 (SearchQuery, 1);
  query->text = g_strdup (text);
  query->limit = limit;

  docket_store_run_in_thread (self, search_job, query, (GDestroyNotify) search_query_free,
                              (GDestroyNotify) g_ptr_array_unref, docket_store_search_async,
                              cancellable, callback, user_data);
}

GPtrArray *
docket_store_search_finish (DocketStore   *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  return docket_store_run_finish (self, result, docket_store_search_async, error);
}
