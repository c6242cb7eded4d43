/* docket-search-page.c: search across every document of every meeting in the cache */

#include "config.h"

#include <glib/gi18n.h>

#include "docket-search-page.h"

struct _DocketSearchPage
{
  AdwBin               parent_instance;

  /* Template widgets */
  GtkSearchEntry      *search_entry;
  GtkStack            *stack;
  AdwStatusPage       *no_results_page;
  GtkScrolledWindow   *scrolled_window;
  GtkLabel            *summary_label;
  GtkListBox          *results_list;

  /* Owned */
  DocketSearchResults *results;
  gulong               items_changed_id;
  gulong               loading_id;
  gulong               unindexed_id;
  gboolean             activate_pending;   /* Enter came before the results of the text */
};

G_DEFINE_FINAL_TYPE (DocketSearchPage, docket_search_page, ADW_TYPE_BIN)

enum {
  RESULT_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static DocketSearchResult *
row_get_result (GtkListBoxRow *row)
{
  return row != NULL ? g_object_get_data (G_OBJECT (row), "docket-search-result") : NULL;
}

/* Rows */

static char *
markup_to_text (const char *markup)
{
  char *text = NULL;

  if (!pango_parse_markup (markup, -1, 0, NULL, &text, NULL, NULL))
    return g_strdup ("");
  return text;
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  DocketSearchResult *result = item;
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *page_label;
  GtkWidget *snippet_label;
  g_autofree char *page_text = NULL;
  g_autofree char *plain = markup_to_text (docket_search_result_get_snippet (result));
  g_autofree char *accessible = NULL;

  /* Translators: where a search hit is, in a document; %u is a page number from 1. */
  page_text = g_strdup_printf (_("Page %u"), docket_search_result_get_page (result) + 1);
  page_label = gtk_label_new (page_text);
  gtk_label_set_xalign (GTK_LABEL (page_label), 0);
  gtk_widget_add_css_class (page_label, "caption-heading");
  gtk_widget_add_css_class (page_label, "dim-label");

  /* The snippet is markup the store built: the PDF's text escaped, the hits in <b>. */
  snippet_label = gtk_label_new (NULL);
  gtk_label_set_markup (GTK_LABEL (snippet_label), docket_search_result_get_snippet (result));
  gtk_label_set_xalign (GTK_LABEL (snippet_label), 0);
  gtk_label_set_wrap (GTK_LABEL (snippet_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (snippet_label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (snippet_label), 3);
  gtk_label_set_ellipsize (GTK_LABEL (snippet_label), PANGO_ELLIPSIZE_END);

  gtk_box_append (GTK_BOX (box), page_label);
  gtk_box_append (GTK_BOX (box), snippet_label);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_widget_add_css_class (row, "docket-search-hit");

  /* Translators: what a screen reader says for a search hit: the document's title, the
   * page number (from 1), and the text around the words found. */
  accessible = g_strdup_printf (_("%s, page %u: %s"),
                                docket_search_result_get_document_title (result),
                                docket_search_result_get_page (result) + 1, plain);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  gtk_widget_set_tooltip_text (row, _("Open the document at this page"));

  g_object_set_data_full (G_OBJECT (row), "docket-search-result",
                          g_object_ref (result), g_object_unref);

  return row;
}

/* Headers: the meeting's title where a new meeting starts, the document's title where
 * a new document starts. */
static GtkWidget *
create_header (DocketSearchResult *result,
               gboolean            new_meeting)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *document_label = gtk_label_new (docket_search_result_get_document_title (result));

  gtk_widget_add_css_class (box, "docket-search-header");
  if (new_meeting)
    {
      GtkWidget *meeting_label = g_object_new (GTK_TYPE_LABEL,
                                               "label", docket_search_result_get_meeting_title (result),
                                               "accessible-role", GTK_ACCESSIBLE_ROLE_HEADING,
                                               NULL);

      gtk_label_set_xalign (GTK_LABEL (meeting_label), 0);
      gtk_label_set_wrap (GTK_LABEL (meeting_label), TRUE);
      gtk_widget_add_css_class (meeting_label, "title-4");
      gtk_box_append (GTK_BOX (box), meeting_label);
      gtk_widget_add_css_class (box, "docket-search-meeting");
    }

  gtk_label_set_xalign (GTK_LABEL (document_label), 0);
  gtk_label_set_wrap (GTK_LABEL (document_label), TRUE);
  gtk_widget_add_css_class (document_label, "heading");
  gtk_box_append (GTK_BOX (box), document_label);

  return box;
}

static void
update_header (GtkListBoxRow *row,
               GtkListBoxRow *before,
               gpointer       user_data)
{
  DocketSearchResult *result = row_get_result (row);
  DocketSearchResult *previous = row_get_result (before);
  gboolean new_meeting;
  gboolean new_document;

  if (result == NULL)
    return;

  new_meeting = previous == NULL ||
                g_strcmp0 (docket_search_result_get_meeting_id (previous),
                           docket_search_result_get_meeting_id (result)) != 0;
  new_document = new_meeting ||
                 g_strcmp0 (docket_search_result_get_document_id (previous),
                            docket_search_result_get_document_id (result)) != 0;

  if (!new_document)
    gtk_list_box_row_set_header (row, NULL);
  else
    gtk_list_box_row_set_header (row, create_header (result, new_meeting));
}

/* State */

/* Right after a sync, the indexer may not have read every document yet: say so, since
 * their words cannot be found. NULL when all are read. */
static char *
dup_unindexed_note (DocketSearchPage *self)
{
  guint n = docket_search_results_get_n_unindexed (self->results);

  if (n == 0)
    return NULL;

  /* Translators: shown with search results while documents are still being indexed. */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u document is still being read for search.",
                                       "%u documents are still being read for search.", n),
                          n);
}

static void
docket_search_page_update_state (DocketSearchPage *self)
{
  const char *query = self->results != NULL ? docket_search_results_get_shown_query (self->results) : NULL;
  guint n = self->results != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->results)) : 0;

  /* What is shown follows the answers, not the typing: while the next search runs,
   * the results of the previous one stay (no flashing). */
  if (query == NULL || query[0] == '\0')
    gtk_stack_set_visible_child_name (self->stack, "start");
  else if (n == 0)
    {
      g_autofree char *description = NULL;
      g_autofree char *note = dup_unindexed_note (self);
      const GError *error = docket_search_results_get_error (self->results);

      if (error != NULL)
        description = g_strdup (error->message);
      else
        /* Translators: %s is what the official searched for. */
        description = g_strdup_printf (_("No document of your meetings on this computer contains “%s”. "
                                         "Try fewer or shorter words."),
                                       query);
      if (note != NULL)
        {
          char *with_note = g_strconcat (description, "\n", note, NULL);

          g_free (description);
          description = with_note;
        }
      adw_status_page_set_description (self->no_results_page, description);
      gtk_stack_set_visible_child_name (self->stack, "no-results");
    }
  else
    {
      g_autofree char *summary = NULL;
      g_autofree char *note = dup_unindexed_note (self);

      /* Translators: the number of search hits (pages) found. */
      summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u result", "%u results", n), n);
      if (note != NULL)
        {
          char *with_note = g_strconcat (summary, " · ", note, NULL);

          g_free (summary);
          summary = with_note;
        }
      gtk_label_set_label (self->summary_label, summary);
      gtk_stack_set_visible_child_name (self->stack, "results");
    }
}

static void docket_search_page_activate_row (DocketSearchPage *self,
                                             GtkListBoxRow    *row);

static void
on_items_changed (DocketSearchPage *self)
{
  docket_search_page_update_state (self);

  /* Enter was pressed before the search of what was typed had answered: now it has. */
  if (self->activate_pending && !docket_search_results_get_loading (self->results) &&
      g_strcmp0 (docket_search_results_get_shown_query (self->results),
                 gtk_editable_get_text (GTK_EDITABLE (self->search_entry))) == 0)
    {
      self->activate_pending = FALSE;
      docket_search_page_activate_row (self, gtk_list_box_get_row_at_index (self->results_list, 0));
    }
}

/* Template callbacks */

static void
on_search_changed (DocketSearchPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  if (self->results == NULL)
    return;

  /* Typing on after Enter: Enter was for the earlier text. */
  if (g_strcmp0 (docket_search_results_get_query (self->results), text) != 0)
    self->activate_pending = FALSE;
  docket_search_results_set_query (self->results, text);
  if (text[0] == '\0')
    docket_search_page_update_state (self);
}

static void
docket_search_page_activate_row (DocketSearchPage *self,
                                 GtkListBoxRow    *row)
{
  DocketSearchResult *result = row_get_result (row);

  if (result != NULL)
    g_signal_emit (self, signals[RESULT_ACTIVATED], 0, result);
}

static void
on_entry_activate (DocketSearchPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  if (self->results == NULL)
    return;

  /* Enter opens the best hit of the text as typed: at once if its results are shown,
   * else as soon as they are (without waiting for the entry's typing delay). */
  if (docket_search_results_get_loading (self->results) ||
      g_strcmp0 (docket_search_results_get_shown_query (self->results), text) != 0)
    {
      self->activate_pending = TRUE;
      docket_search_results_set_query (self->results, text);
      return;
    }

  docket_search_page_activate_row (self, gtk_list_box_get_row_at_index (self->results_list, 0));
}

static void
on_stop_search (DocketSearchPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.back", NULL);
}

static void
on_row_activated (DocketSearchPage *self,
                  GtkListBoxRow    *row)
{
  docket_search_page_activate_row (self, row);
}

/* Down in the entry goes to the first result. */
static gboolean
on_entry_key_pressed (GtkEventControllerKey *controller,
                      guint                  keyval,
                      guint                  keycode,
                      GdkModifierType        state,
                      DocketSearchPage      *self)
{
  GtkListBoxRow *first;

  if (keyval != GDK_KEY_Down && keyval != GDK_KEY_KP_Down)
    return FALSE;

  first = gtk_list_box_get_row_at_index (self->results_list, 0);
  if (first == NULL || !gtk_widget_get_mapped (GTK_WIDGET (first)))
    return FALSE;

  gtk_widget_grab_focus (GTK_WIDGET (first));
  return TRUE;
}

/* Object */

static void
docket_search_page_dispose (GObject *object)
{
  DocketSearchPage *self = DOCKET_SEARCH_PAGE (object);

  docket_search_page_set_store (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), DOCKET_TYPE_SEARCH_PAGE);

  G_OBJECT_CLASS (docket_search_page_parent_class)->dispose (object);
}

static void
docket_search_page_class_init (DocketSearchPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = docket_search_page_dispose;

  /**
   * DocketSearchPage::result-activated:
   * @result: the DocketSearchResult chosen
   *
   * The official chose a hit: open its document at its page.
   */
  signals[RESULT_ACTIVATED] =
    g_signal_new ("result-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, DOCKET_TYPE_SEARCH_RESULT);

  gtk_widget_class_set_template_from_resource (widget_class, DOCKET_RESOURCE_PREFIX "/ui/docket-search-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DocketSearchPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, DocketSearchPage, stack);
  gtk_widget_class_bind_template_child (widget_class, DocketSearchPage, no_results_page);
  gtk_widget_class_bind_template_child (widget_class, DocketSearchPage, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, DocketSearchPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, DocketSearchPage, results_list);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
}

static void
docket_search_page_init (DocketSearchPage *self)
{
  GtkEventController *keys;

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_list_box_set_header_func (self->results_list, update_header, NULL, NULL);

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_entry_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self->search_entry), keys);

  /* Typing anywhere on the page goes to the entry. */
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));
}

void
docket_search_page_set_store (DocketSearchPage *self,
                              DocketStore      *store)
{
  g_return_if_fail (DOCKET_IS_SEARCH_PAGE (self));
  g_return_if_fail (store == NULL || DOCKET_IS_STORE (store));

  if (self->results != NULL)
    {
      g_clear_signal_handler (&self->items_changed_id, self->results);
      g_clear_signal_handler (&self->loading_id, self->results);
      g_clear_signal_handler (&self->unindexed_id, self->results);
      if (self->results_list != NULL)
        gtk_list_box_bind_model (self->results_list, NULL, NULL, NULL, NULL);
      g_clear_object (&self->results);
    }

  if (store == NULL)
    return;

  self->results = docket_search_results_new (store);
  self->items_changed_id = g_signal_connect_swapped (self->results, "items-changed",
                                                     G_CALLBACK (on_items_changed), self);
  self->loading_id = g_signal_connect_swapped (self->results, "notify::loading",
                                               G_CALLBACK (on_items_changed), self);
  self->unindexed_id = g_signal_connect_swapped (self->results, "notify::n-unindexed",
                                                 G_CALLBACK (on_items_changed), self);
  gtk_list_box_bind_model (self->results_list, G_LIST_MODEL (self->results), create_row, NULL, NULL);
  docket_search_results_set_query (self->results, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  docket_search_page_update_state (self);
}

void
docket_search_page_focus_entry (DocketSearchPage *self)
{
  g_return_if_fail (DOCKET_IS_SEARCH_PAGE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
}

void
docket_search_page_reset (DocketSearchPage *self)
{
  g_return_if_fail (DOCKET_IS_SEARCH_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  if (self->results != NULL)
    docket_search_results_set_query (self->results, NULL);
  docket_search_page_update_state (self);
}

DocketSearchResults *
docket_search_page_get_results (DocketSearchPage *self)
{
  g_return_val_if_fail (DOCKET_IS_SEARCH_PAGE (self), NULL);
  return self->results;
}
