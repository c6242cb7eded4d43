/* docket-find-bar.c: the reader's "find in document" bar
 *
 * Apart from the view because it is a whole of its own: an entry, a count and a search
 * in a worker, with no need to know how pages are laid out or scrolled.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "docket-find-bar.h"
#include "docket-resources.h"

struct _DocketFindBar
{
  AdwBin              parent_instance;

  /* Template widgets */
  GtkSearchBar       *search_bar;
  GtkSearchEntry     *entry;
  GtkLabel           *count;

  /* Owned */
  DocketPdfDocument  *document;
  DocketPdfFind      *find;
  DocketPdfPageTexts *page_texts;   /* the pages' text, kept for the next search */

  int                 current;      /* the current hit, in document order, or -1 */
  guint               current_hit_page; /* its page */
  guint               start_page;   /* where the search under way began */
  guint               reading_page; /* the page being read (the view says) */
  guint               n_hits;       /* what "n-hits" said last */
};

G_DEFINE_FINAL_TYPE (DocketFindBar, docket_find_bar, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_OPEN,
  PROP_N_HITS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  HIGHLIGHTS_CHANGED,
  CURRENT_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* A page's marks to draw again; -1: every page's. */
static void
emit_highlights_changed (DocketFindBar *self,
                         int            page)
{
  g_signal_emit (self, signals[HIGHLIGHTS_CHANGED], 0, page);
}

static void
update_count (DocketFindBar *self)
{
  guint n = self->find != NULL ? docket_pdf_find_get_n_hits (self->find) : 0;
  g_autofree char *label = NULL;

  if (self->find == NULL)
    label = g_strdup ("");
  else if (n == 0)
    label = g_strdup (docket_pdf_find_get_finished (self->find) ? _("No matches") : _("Searching…"));
  else if (self->current < 0)
    label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u match", "%u matches", n), n);
  else
    /* Translators: the current match and how many there are, "3 of 17" */
    label = g_strdup_printf (_("%u of %u"), (guint) self->current + 1, n);
  gtk_label_set_label (self->count, label);

  if (self->n_hits != n)
    {
      self->n_hits = n;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_HITS]);
    }
}

/* Makes hit index (in document order, or -1) the current one. */
static void
set_current (DocketFindBar *self,
             int            index)
{
  guint page = 0;

  if (index >= 0 && self->find != NULL &&
      docket_pdf_find_get_hit (self->find, (guint) index, &page, NULL, NULL))
    {
      self->current = index;
      self->current_hit_page = page;
    }
  else
    self->current = -1;
}

static void
on_page_found (DocketFindBar *self,
               guint          page,
               guint          n_hits,
               DocketPdfFind *find)
{
  if (self->current < 0)
    {
      /* The search begins at the page asked for, so its first answer holds the first
       * hit on that page or after it. */
      set_current (self, docket_pdf_find_get_hit_from (find, self->start_page));
      emit_highlights_changed (self, -1);
      g_signal_emit (self, signals[CURRENT_CHANGED], 0);
    }
  else
    {
      /* Hits of an earlier page (after the search wrapped) come before the current one:
       * the same hit is now further down the list. */
      if (page < self->current_hit_page)
        self->current += (int) n_hits;
      emit_highlights_changed (self, (int) page);
    }
  update_count (self);
}

static void
on_finished (DocketFindBar *self)
{
  update_count (self);
}

/* Stops the search; quiet when the bar is going away. */
static void
drop_find (DocketFindBar *self)
{
  if (self->find != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->find, self);
      docket_pdf_find_cancel (self->find);
      g_clear_object (&self->find);
    }
  self->current = -1;
}

static void
clear_find (DocketFindBar *self)
{
  drop_find (self);
  emit_highlights_changed (self, -1);
  update_count (self);
}

/* Searches the document for text, the first hit on page (or after it) the current one;
 * page < 0: from the page being read. */
static void
start_find (DocketFindBar *self,
            const char    *text,
            int            page)
{
  clear_find (self);
  if (self->document == NULL || text == NULL || text[0] == '\0')
    return;

  self->start_page = page >= 0 ? (guint) page : self->reading_page;
  self->find = docket_pdf_find_new (self->document, text, self->start_page, self->page_texts);
  g_signal_connect_object (self->find, "page-found", G_CALLBACK (on_page_found), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->find, "finished", G_CALLBACK (on_finished), self, G_CONNECT_SWAPPED);
  update_count (self);
}

static void
on_search_changed (DocketFindBar *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));

  /* Text set by docket_find_bar_find () is being searched already. */
  if (self->find != NULL && g_str_equal (text, docket_pdf_find_get_text (self->find)))
    return;
  start_find (self, text, -1);
}

static void
on_next_match (DocketFindBar *self)
{
  docket_find_bar_step (self, +1);
}

static void
on_previous_match (DocketFindBar *self)
{
  docket_find_bar_step (self, -1);
}

static void
on_stop (DocketFindBar *self)
{
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
}

static void
on_search_mode_changed (DocketFindBar *self)
{
  /* Closed: the marks go (the view puts the focus back on the pages). */
  if (!gtk_search_bar_get_search_mode (self->search_bar))
    {
      clear_find (self);
      gtk_editable_set_text (GTK_EDITABLE (self->entry), "");
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OPEN]);
}

void
docket_find_bar_set_document (DocketFindBar     *self,
                              DocketPdfDocument *document)
{
  g_return_if_fail (DOCKET_IS_FIND_BAR (self));
  g_return_if_fail (document == NULL || DOCKET_IS_PDF_DOCUMENT (document));

  if (self->document == document)
    return;
  clear_find (self);
  g_clear_object (&self->page_texts);
  g_set_object (&self->document, document);
  if (document != NULL)
    /* A few kB a page: 16 MB keeps the text of thousands of pages. */
    self->page_texts = docket_pdf_page_texts_new (docket_pdf_document_get_n_pages (document),
                                                  16u * 1024u * 1024u);
}

void
docket_find_bar_set_current_page (DocketFindBar *self,
                                  guint          page)
{
  g_return_if_fail (DOCKET_IS_FIND_BAR (self));
  self->reading_page = page;
}

void
docket_find_bar_open (DocketFindBar *self)
{
  g_return_if_fail (DOCKET_IS_FIND_BAR (self));

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
  gtk_editable_select_region (GTK_EDITABLE (self->entry), 0, -1);
}

void
docket_find_bar_find (DocketFindBar *self,
                      const char    *text,
                      int            page)
{
  g_return_if_fail (DOCKET_IS_FIND_BAR (self));
  g_return_if_fail (text != NULL);

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_editable_set_text (GTK_EDITABLE (self->entry), text);
  /* The entry's own "search-changed" comes later, with the same text: it is ignored. */
  start_find (self, text, page);
}

void
docket_find_bar_find_again (DocketFindBar *self)
{
  const char *text;

  g_return_if_fail (DOCKET_IS_FIND_BAR (self));

  text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  if (gtk_search_bar_get_search_mode (self->search_bar) && text[0] != '\0')
    start_find (self, text, -1);
}

void
docket_find_bar_step (DocketFindBar *self,
                      int            direction)
{
  guint n;

  g_return_if_fail (DOCKET_IS_FIND_BAR (self));

  if (self->find == NULL || (n = docket_pdf_find_get_n_hits (self->find)) == 0)
    return;
  if (self->current < 0)
    set_current (self, docket_pdf_find_get_hit_from (self->find, self->reading_page));
  else
    set_current (self, (int) (((guint) self->current + n + (direction > 0 ? 1 : n - 1)) % n));
  emit_highlights_changed (self, -1);
  update_count (self);
  g_signal_emit (self, signals[CURRENT_CHANGED], 0);
}

gboolean
docket_find_bar_get_open (DocketFindBar *self)
{
  g_return_val_if_fail (DOCKET_IS_FIND_BAR (self), FALSE);
  return gtk_search_bar_get_search_mode (self->search_bar);
}

DocketPdfFind *
docket_find_bar_get_find (DocketFindBar *self)
{
  g_return_val_if_fail (DOCKET_IS_FIND_BAR (self), NULL);
  return self->find;
}

guint
docket_find_bar_get_n_hits (DocketFindBar *self)
{
  g_return_val_if_fail (DOCKET_IS_FIND_BAR (self), 0);
  return self->n_hits;
}

gboolean
docket_find_bar_get_current_hit (DocketFindBar   *self,
                                 guint           *out_page,
                                 graphene_rect_t *out_box)
{
  guint page = 0, first_box = 0;
  GArray *boxes;

  g_return_val_if_fail (DOCKET_IS_FIND_BAR (self), FALSE);

  if (self->find == NULL || self->current < 0 ||
      !docket_pdf_find_get_hit (self->find, (guint) self->current, &page, &first_box, NULL) ||
      (boxes = docket_pdf_find_get_page_boxes (self->find, page)) == NULL || first_box >= boxes->len)
    return FALSE;
  if (out_page != NULL)
    *out_page = page;
  if (out_box != NULL)
    *out_box = g_array_index (boxes, graphene_rect_t, first_box);
  return TRUE;
}

GArray *
docket_find_bar_get_highlights (DocketFindBar *self,
                                guint          page,
                                int           *out_current)
{
  guint hit_page = 0, first_box = 0;
  int current = -1;
  GArray *boxes;

  g_return_val_if_fail (DOCKET_IS_FIND_BAR (self), NULL);

  if (self->find == NULL)
    {
      if (out_current != NULL)
        *out_current = -1;
      return NULL;
    }
  boxes = docket_pdf_find_get_page_boxes (self->find, page);
  if (self->current >= 0 &&
      docket_pdf_find_get_hit (self->find, (guint) self->current, &hit_page, &first_box, NULL) &&
      hit_page == page)
    current = (int) first_box;
  if (out_current != NULL)
    *out_current = current;
  return boxes;
}

GtkWidget *
docket_find_bar_new (void)
{
  return g_object_new (DOCKET_TYPE_FIND_BAR, NULL);
}

static void
docket_find_bar_dispose (GObject *object)
{
  DocketFindBar *self = DOCKET_FIND_BAR (object);

  drop_find (self);
  /* AdwBin unparents its child itself: drop it before the template's children go. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), DOCKET_TYPE_FIND_BAR);
  g_clear_object (&self->page_texts);
  g_clear_object (&self->document);

  G_OBJECT_CLASS (docket_find_bar_parent_class)->dispose (object);
}

static void
docket_find_bar_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  DocketFindBar *self = DOCKET_FIND_BAR (object);

  switch (prop_id)
    {
    case PROP_OPEN:
      g_value_set_boolean (value, docket_find_bar_get_open (self));
      break;
    case PROP_N_HITS:
      g_value_set_uint (value, self->n_hits);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_find_bar_class_init (DocketFindBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = docket_find_bar_dispose;
  object_class->get_property = docket_find_bar_get_property;

  properties[PROP_OPEN] =
    g_param_spec_boolean ("open", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_HITS] =
    g_param_spec_uint ("n-hits", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The marks of a page (its index), or of every page (-1), are to be drawn again. */
  signals[HIGHLIGHTS_CHANGED] =
    g_signal_new ("highlights-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
  /* Another hit is the current one: the view brings it into view. */
  signals[CURRENT_CHANGED] =
    g_signal_new ("current-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  docket_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, DOCKET_RESOURCE_PREFIX "/ui/docket-find-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, DocketFindBar, search_bar);
  gtk_widget_class_bind_template_child (widget_class, DocketFindBar, entry);
  gtk_widget_class_bind_template_child (widget_class, DocketFindBar, count);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_next_match);
  gtk_widget_class_bind_template_callback (widget_class, on_previous_match);
  gtk_widget_class_bind_template_callback (widget_class, on_stop);
  gtk_widget_class_bind_template_callback (widget_class, on_search_mode_changed);
}

static void
docket_find_bar_init (DocketFindBar *self)
{
  GtkEventController *keys;

  self->current = -1;
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Escape in the entry closes the bar; Shift+Enter goes back. */
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->entry));
  keys = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Return, GDK_SHIFT_MASK),
                                                          gtk_named_action_new ("view.find-previous")));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_KP_Enter, GDK_SHIFT_MASK),
                                                          gtk_named_action_new ("view.find-previous")));
  gtk_widget_add_controller (GTK_WIDGET (self->entry), keys);
  update_count (self);
}
