/* docket-search-result.c: one hit of a search across documents */

#include "config.h"

#include "docket-search-result.h"

struct _DocketSearchResult
{
  GObject  parent_instance;

  /* Owned */
  char    *meeting_id;
  char    *meeting_title;
  char    *document_id;
  char    *document_title;
  char    *snippet;
  char    *match_text;
  guint    page;
  double   rank;
};

G_DEFINE_FINAL_TYPE (DocketSearchResult, docket_search_result, G_TYPE_OBJECT)

static void
docket_search_result_finalize (GObject *object)
{
  DocketSearchResult *self = DOCKET_SEARCH_RESULT (object);

  g_free (self->meeting_id);
  g_free (self->meeting_title);
  g_free (self->document_id);
  g_free (self->document_title);
  g_free (self->snippet);
  g_free (self->match_text);

  G_OBJECT_CLASS (docket_search_result_parent_class)->finalize (object);
}

static void
docket_search_result_class_init (DocketSearchResultClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = docket_search_result_finalize;
}

static void
docket_search_result_init (DocketSearchResult *self)
{
}

DocketSearchResult *
docket_search_result_new (const DocketSearchHit *hit)
{
  DocketSearchResult *self;

  g_return_val_if_fail (hit != NULL, NULL);

  self = g_object_new (DOCKET_TYPE_SEARCH_RESULT, NULL);
  self->meeting_id = g_strdup (hit->meeting_id);
  self->meeting_title = g_strdup (hit->meeting_title != NULL ? hit->meeting_title : "");
  self->document_id = g_strdup (hit->document_id);
  self->document_title = g_strdup (hit->document_title != NULL ? hit->document_title : "");
  self->snippet = g_strdup (hit->snippet != NULL ? hit->snippet : "");
  self->match_text = g_strdup (hit->match_text != NULL ? hit->match_text : "");
  self->page = hit->page;
  self->rank = hit->rank;

  return self;
}

const char *
docket_search_result_get_meeting_id (DocketSearchResult *self)
{
  g_return_val_if_fail (DOCKET_IS_SEARCH_RESULT (self), NULL);
  return self->meeting_id;
}

const char *
docket_search_result_get_meeting_title (DocketSearchResult *self)
{
  g_return_val_if_fail (DOCKET_IS_SEARCH_RESULT (self), NULL);
  return self->meeting_title;
}

const char *
docket_search_result_get_document_id (DocketSearchResult *self)
{
  g_return_val_if_fail (DOCKET_IS_SEARCH_RESULT (self), NULL);
  return self->document_id;
}

const char *
docket_search_result_get_document_title (DocketSearchResult *self)
{
  g_return_val_if_fail (DOCKET_IS_SEARCH_RESULT (self), NULL);
  return self->document_title;
}

guint
docket_search_result_get_page (DocketSearchResult *self)
{
  g_return_val_if_fail (DOCKET_IS_SEARCH_RESULT (self), 0);
  return self->page;
}

const char *
docket_search_result_get_snippet (DocketSearchResult *self)
{
  g_return_val_if_fail (DOCKET_IS_SEARCH_RESULT (self), NULL);
  return self->snippet;
}

const char *
docket_search_result_get_match_text (DocketSearchResult *self)
{
  g_return_val_if_fail (DOCKET_IS_SEARCH_RESULT (self), NULL);
  return self->match_text;
}

double
docket_search_result_get_rank (DocketSearchResult *self)
{
  g_return_val_if_fail (DOCKET_IS_SEARCH_RESULT (self), 0.0);
  return self->rank;
}
