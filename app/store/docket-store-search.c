/* docket-store-search.c: the full-text index of every document content in the profile,
 * and its queries
 *
 * Three tables (migration 4 in docket-store-schema.c):
 *   search_contents  one row per content (sha256) whose text was extracted, even when it
 *                    gave no text (a damaged PDF is not tried again at every start);
 *   search_pages     the text of each page, as poppler gave it (the snippets show it);
 *   search_fts       an FTS5 index over search_pages (external content, kept in step by
 *                    triggers), tokenized by our "docket" tokenizer.
 *
 * Its tokenizer is in docket-store-search-tokenizer.c, its building (the indexer's
 * text saved, a content's text removed with it) in docket-store-search-index.c; this
 * file answers what the official searches for: the FTS5 query made of what they typed,
 * the hits, and their snippets.
 */
#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include "docket-store.h"
#include "docket-store-private.h"

/* What the user types: at most this many words are searched for. */
#define MAX_QUERY_TOKENS 32

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
  docket_store_search_tokenize (text, length, query_builder_token, builder);
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
  char folded[DOCKET_STORE_MAX_TOKEN_BYTES + 8];
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
  recent->len = MIN (token_len, DOCKET_STORE_MAX_TOKEN_BYTES);
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

  docket_store_search_tokenize (text, length, snippet_scan_token, &scan);
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
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean ok = TRUE;

  g_return_val_if_fail (DOCKET_IS_STORE (self), NULL);

  query = build_query (text, &phrases, &prefix);
  if (query == NULL || limit == 0)
    return g_steal_pointer (&hits);

  docket_store_lock (self);

  /* FTS5 ranks and limits the pages itself (ORDER BY rank in the subquery); then each
   * page becomes a hit in every cached document with that content (two meetings may
   * share a document), with a snippet of its text. */
  stmt = docket_store_prepare_with (self,
                                    "SELECT t.r, p.text, p.page, d.id, d.title, m.id, m.title, p.id"
                                    " FROM (SELECT rowid AS pid, rank AS r"
                                    "       FROM search_fts WHERE search_fts MATCH ?1"
                                    "       ORDER BY rank LIMIT ?2) AS t"
                                    " JOIN search_pages p ON p.id = t.pid"
                                    " JOIN documents d ON d.sha256 = p.sha256"
                                    " JOIN verified_blobs b ON b.sha256 = d.sha256"
                                    " JOIN meetings m ON m.id = d.meeting_id"
                                    " ORDER BY t.r, m.starts_at_unix DESC, m.id, d.position, d.id, p.page",
                                    error, DOCKET_SQLITE_TEXT (query), DOCKET_SQLITE_INT (limit));
  ok = stmt != NULL;

  while (ok && hits->len < limit)
    {
      DocketSearchHit *hit;
      gboolean found = FALSE;

      ok = docket_store_step_row (self, stmt, &found, error);
      if (!ok || !found)
        break;

      hit = g_new0 (DocketSearchHit, 1);

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

  g_clear_pointer (&stmt, sqlite3_finalize);
  docket_store_unlock (self);

  if (!ok)
    return NULL;

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
