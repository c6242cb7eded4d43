/* docket-document-view.c: a PDF's pages, rendered in worker threads, scrollable
 *
 * The view itself: opening a document (with the reader memory), the pages' rows, night
 * mode, the annotating mode, and the commands with their shortcuts. Following the scroll
 * is docket-document-view-scroll.c, going to a page docket-document-view-navigation.c,
 * the find bar's hits on the pages docket-document-view-find.c, the zoom
 * docket-document-view-zoom.c (one type, its files sharing
 * docket-document-view-private.h); the find bar, the sidebar and the
 * signature bar are widgets of their own (docket-find-bar.c, docket-document-sidebar.c,
 * docket-signature-bar.c) that this file only feeds and listens to.
 */

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "docket-document-view-private.h"
#include "docket-accessible.h"
#include "docket-resources.h"
#include "docket-annotation-toolbar.h"
#include "docket-annotations-panel.h"
#include "docket-pdf-signature.h"

G_DEFINE_FINAL_TYPE (DocketDocumentView, docket_document_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_STATE,
  PROP_CURRENT_PAGE,
  PROP_ZOOM_MODE,
  PROP_ZOOM_SCALE,
  PROP_ZOOM_CHOICE,
  PROP_NIGHT_MODE,
  PROP_SIDEBAR_VISIBLE,
  PROP_ANNOTATING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* How long a document may take to load before the spinner shows. */
#define SPINNER_DELAY_MS 300

static void show_document                       (DocketDocumentView *self);

static void
start_spinner (gpointer data)
{
  DocketDocumentView *self = data;

  self->spinner_id = 0;
  gtk_spinner_set_spinning (self->spinner, TRUE);
}

static void
docket_document_view_set_state (DocketDocumentView      *self,
                                DocketDocumentViewState  state)
{
  const char *names[] = { "loading", "loading", "pages", "error" };

  /* Most documents open in a few tens of milliseconds: a spinner would only flash, and
   * its frames would hold up the pages'. It shows when a load takes longer. */
  g_clear_handle_id (&self->spinner_id, g_source_remove);
  gtk_spinner_set_spinning (self->spinner, FALSE);
  if (state == DOCKET_DOCUMENT_VIEW_LOADING)
    self->spinner_id = g_timeout_add_once (SPINNER_DELAY_MS, start_spinner, self);
  gtk_stack_set_visible_child_name (self->stack, names[state]);
  /* What the annotator follows: the document, once its pages are shown. */
  if (self->reader_state != NULL)
    docket_reader_state_set_document (self->reader_state,
                                      state == DOCKET_DOCUMENT_VIEW_READY ? self->cached_document : NULL,
                                      state == DOCKET_DOCUMENT_VIEW_READY ? self->document : NULL);

  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  _docket_document_view_update_actions (self);
}

/* The properties live here; the scroll file moves the current page. */
void
_docket_document_view_notify_current_page (DocketDocumentView *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_PAGE]);
}

/* The zoom's three faces (its mode, its scale, the menu's choice) change together. */
void
_docket_document_view_notify_zoom (DocketDocumentView *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM_MODE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM_SCALE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM_CHOICE]);
}

/* Labels and actions */

void
_docket_document_view_update_labels (DocketDocumentView *self)
{
  g_autofree char *zoom = NULL;
  g_autofree char *page = NULL;

  if (self->zoom_mode == DOCKET_ZOOM_AUTOMATIC)
    /* Translators: the zoom that fits the page to the screen as the reader thinks best */
    zoom = g_strdup (_("Automatic"));
  else if (self->zoom_mode == DOCKET_ZOOM_FIT_WIDTH)
    zoom = g_strdup (_("Fit Width"));
  else if (self->zoom_mode == DOCKET_ZOOM_FIT_PAGE)
    zoom = g_strdup (_("Fit Page"));
  else
    /* Translators: a zoom level, as in "150%" */
    zoom = g_strdup_printf (_("%d%%"), (int) (self->zoom_scale * 100 + 0.5));
  gtk_menu_button_set_label (self->zoom_button, zoom);

  if (self->document != NULL)
    page = g_strdup_printf (_("Page %u of %u"), self->current_page + 1,
                            docket_pdf_document_get_n_pages (self->document));
  else
    /* Not empty: a screen reader would say the label's type name. */
    page = g_strdup (_("Go to Page"));
  gtk_menu_button_set_label (self->page_button, page);
}

void
_docket_document_view_update_actions (DocketDocumentView *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean ready = self->state == DOCKET_DOCUMENT_VIEW_READY && self->document != NULL;
  guint n_pages = ready ? docket_pdf_document_get_n_pages (self->document) : 0;
  double scale = ready ? _docket_document_view_effective_scale (self) : 1.0;
  /* Where the reader is going, if a "go to" is under way. */
  guint current = self->target_pending ? self->target_page : self->current_page;

  gtk_widget_action_set_enabled (widget, "view.zoom-in", ready && scale < ZOOM_MAX - 0.005);
  gtk_widget_action_set_enabled (widget, "view.zoom-out", ready && scale > ZOOM_MIN + 0.005);
  gtk_widget_action_set_enabled (widget, "view.zoom-automatic", ready);
  gtk_widget_action_set_enabled (widget, "view.zoom-fit-width", ready);
  gtk_widget_action_set_enabled (widget, "view.zoom-fit-page", ready);
  gtk_widget_action_set_enabled (widget, "view.set-zoom", ready);
  gtk_widget_action_set_enabled (widget, "view.go-to-page", ready);
  gtk_widget_action_set_enabled (widget, "view.previous-page", ready && current > 0);
  gtk_widget_action_set_enabled (widget, "view.next-page", ready && current + 1 < n_pages);
  gtk_widget_action_set_enabled (widget, "view.first-page", ready);
  gtk_widget_action_set_enabled (widget, "view.last-page", ready);
}

static void
show_error (DocketDocumentView *self,
            const char         *title,
            const char         *description)
{
  adw_status_page_set_icon_name (self->error_page, "dialog-warning-symbolic");
  adw_status_page_set_title (self->error_page, title);
  adw_status_page_set_description (self->error_page, description);
  docket_document_view_set_state (self, DOCKET_DOCUMENT_VIEW_FAILED);
}

/* The sidebar (docket-document-sidebar.c) */

/* Its selected thumbnail is the page being read, or the page a "go to" is going to. */
void
_docket_document_view_sync_sidebar_page (DocketDocumentView *self)
{
  docket_document_sidebar_set_current_page (self->sidebar,
                                            self->target_pending ? self->target_page : self->current_page);
}

/* Signatures: read here with the document, described by the bar (docket-signature-bar.c) */

static void
on_signatures_loaded (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(DocketDocumentView) self = user_data;
  g_autoptr(GListModel) signatures = NULL;
  g_autoptr(GError) error = NULL;

  signatures = docket_pdf_signature_load_finish (DOCKET_PDF_DOCUMENT (source), result, &error);
  if (signatures == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not check the document's signatures: %s", error->message);
      return;
    }
  /* Signatures of a document closed since are not this one's. */
  if (self->document != DOCKET_PDF_DOCUMENT (source) || g_list_model_get_n_items (signatures) == 0)
    return;
  docket_signature_bar_set_signatures (self->signature_bar, signatures);
}

/* Reading comfort: night mode, the sidebar */

static void
set_night_mode (DocketDocumentView *self,
                gboolean            night_mode)
{
  night_mode = !!night_mode;
  if (self->night_mode == night_mode)
    return;
  self->night_mode = night_mode;
  /* Pages inverted by the style sheet: white paper goes dark, text light. */
  if (night_mode)
    gtk_widget_add_css_class (GTK_WIDGET (self->page_view), "docket-night");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->page_view), "docket-night");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NIGHT_MODE]);
}

static void
set_sidebar_visible (DocketDocumentView *self,
                     gboolean            visible)
{
  visible = !!visible;
  if (self->sidebar_visible == visible)
    return;
  self->sidebar_visible = visible;
  if (visible)
    _docket_document_view_sync_sidebar_page (self);
  docket_document_sidebar_set_revealed (self->sidebar, visible);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIDEBAR_VISIBLE]);
}

/* Annotating is a mode, as in Papers: its tools show over the top of the pages, and
 * leaving it puts the pointer back to selecting, so that a drag selects text again
 * rather than drawing. */
static void
set_annotating (DocketDocumentView *self,
                gboolean            annotating)
{
  annotating = !!annotating;
  if (self->annotating == annotating)
    return;
  self->annotating = annotating;
  if (!annotating && self->reader_state != NULL)
    docket_reader_state_set_tool (self->reader_state, DOCKET_ANNOTATION_TOOL_SELECT);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ANNOTATING]);
}

/* A drawing tool chosen (annot.tool, from anywhere) shows the tools it belongs to. */
static void
on_tool_chosen (DocketDocumentView *self)
{
  if (docket_reader_state_get_tool (self->reader_state) != DOCKET_ANNOTATION_TOOL_SELECT)
    set_annotating (self, TRUE);
}

/* A document that cannot be shown says why, and what the official can do. */
static void
show_document_error (DocketDocumentView *self,
                     const GError       *error)
{
  if (g_error_matches (error, DOCKET_PDF_ERROR, DOCKET_PDF_ERROR_ENCRYPTED))
    {
      show_error (self, _("This Document Is Protected by a Password"),
                  _("Docket cannot open documents that need a password. Ask the meeting's "
                    "secretary for a copy without a password."));
      adw_status_page_set_icon_name (self->error_page, "channel-secure-symbolic");
    }
  else if (g_error_matches (error, DOCKET_PDF_ERROR, DOCKET_PDF_ERROR_DAMAGED))
    {
      g_autofree char *description =
        /* Translators: %s says what is wrong with the file, from the PDF library */
        g_strdup_printf (_("%s Ask the meeting's secretary for a new copy of it."), error->message);
      /* The title test-ui and the officials know; the description says what happened. */
      show_error (self, _("This Document Cannot Be Shown"), description);
    }
  else
    /* A file that cannot be read (removed, permissions...) is not the file's fault. */
    show_error (self, _("This Document Cannot Be Shown"), error->message);
}

static void
setup_page (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            gpointer                  user_data)
{
  DocketDocumentView *self = user_data;
  GtkWidget *widget = docket_page_widget_new ();

  _docket_document_view_apply_zoom (DOCKET_PAGE_WIDGET (widget), self);
  docket_page_widget_set_annotator (DOCKET_PAGE_WIDGET (widget), self->annotator);
  gtk_list_item_set_child (list_item, widget);
  gtk_list_item_set_activatable (list_item, FALSE);
}

/* What a screen reader says of a page's row: "Page 3 of 38". */
static void
name_page_row (DocketDocumentView *self,
               DocketPageWidget   *widget)
{
  DocketPdfPage *page = docket_page_widget_get_page (widget);
  g_autofree char *name = NULL;

  if (page == NULL || self->document == NULL)
    return;
  name = g_strdup_printf (_("Page %u of %u"), docket_pdf_page_get_index (page) + 1,
                          docket_pdf_document_get_n_pages (self->document));
  docket_accessible_label_list_row (GTK_WIDGET (widget), name);
}

static void
bind_page (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  user_data)
{
  DocketDocumentView *self = user_data;
  DocketPageWidget *widget = DOCKET_PAGE_WIDGET (gtk_list_item_get_child (list_item));

  /* The zoom may have changed while the row was out of use. */
  _docket_document_view_apply_zoom (widget, self);
  docket_page_widget_set_page (widget, self->document, gtk_list_item_get_item (list_item));
  _docket_document_view_update_page_highlights (self, widget);
  name_page_row (self, widget);
}

static void
unbind_page (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             gpointer                  user_data)
{
  /* Cancels the page's rendering if it has not come yet. */
  docket_page_widget_set_page (DOCKET_PAGE_WIDGET (gtk_list_item_get_child (list_item)), NULL, NULL);
  docket_page_widget_set_highlights (DOCKET_PAGE_WIDGET (gtk_list_item_get_child (list_item)), NULL, -1);
}

static void
on_document_loaded (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(DocketDocumentView) self = user_data;
  g_autoptr(DocketPdfDocument) document = NULL;
  g_autoptr(GError) error = NULL;

  document = docket_pdf_document_load_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (document == NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
      self->lookup_pending = FALSE;
      show_document_error (self, error);
      return;
    }

  self->loaded = g_steal_pointer (&document);
  if (!self->lookup_pending)
    show_document (self);
}

/* The reader memory answered: where this document was left, if it was. */
static void
on_lookup_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(DocketDocumentView) self = user_data;
  g_autoptr(GError) error = NULL;
  guint page = 0;
  int zoom_mode = DEFAULT_ZOOM_MODE;
  double zoom_scale = 1.0;

  if (docket_reader_memory_lookup_finish (DOCKET_READER_MEMORY (source), result, &page, &zoom_mode,
                                          &zoom_scale, &error))
    {
      /* What the database says is checked like any input: a page past the end is the
       * last page, an unknown zoom is the default. */
      if (self->open_page < 0)
        self->open_page = (int) MIN (page, (guint) G_MAXINT);
      if (zoom_mode >= DOCKET_ZOOM_FIT_WIDTH && zoom_mode <= DOCKET_ZOOM_AUTOMATIC &&
          isfinite (zoom_scale) && zoom_scale > 0)
        {
          self->open_zoom_mode = zoom_mode;
          self->open_zoom_scale = CLAMP (zoom_scale, ZOOM_MIN, ZOOM_MAX);
        }
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  else if (error != NULL)
    /* Not knowing where the official was is no reason not to show the document. */
    g_warning ("Could not read where the document was left: %s", error->message);

  self->lookup_pending = FALSE;
  if (self->loaded != NULL)
    show_document (self);
}

/* The page the document opens at is rendered at once, as wide as its row will make it:
 * on a computer with two cores it is ready about when the rows are (making and laying
 * out the rows of a 1,000-page document takes the UI thread some 100 ms). */
static void
prefetch_first_page (DocketDocumentView *self,
                     guint               index)
{
  int row_width = _docket_document_view_predicted_row_width (self);
  double width_pt, height_pt;
  int width;

  /* Nothing laid out at all yet: the row will say. */
  if (row_width <= 2 * DOCKET_PAGE_WIDGET_MARGIN ||
      !docket_pdf_document_get_page_size (self->document, index, &width_pt, &height_pt))
    return;
  width = docket_page_widget_compute_display_width (self->zoom_mode, self->zoom_scale, width_pt, height_pt,
                                                    row_width, _docket_document_view_view_height (self));
  docket_pdf_document_prefetch_page (self->document, index,
                                     width * gtk_widget_get_scale_factor (GTK_WIDGET (self)));
}

/* Both the PDF and the place to open it at are there: show the pages. */
static void
show_document (DocketDocumentView *self)
{
  GtkNoSelection *selection;
  guint n_pages;

  g_clear_object (&self->cancellable);
  self->document = g_steal_pointer (&self->loaded);
  n_pages = docket_pdf_document_get_n_pages (self->document);

  /* The zoom first, so that the rows are made at their size. */
  self->zoom_mode = self->open_zoom_mode;
  if (self->zoom_mode == DOCKET_ZOOM_FIXED)
    self->zoom_scale = self->open_zoom_scale;

  prefetch_first_page (self, self->open_page > 0 ? MIN ((guint) self->open_page, n_pages - 1) : 0);
  selection = gtk_no_selection_new (g_object_ref (docket_pdf_document_get_pages (self->document)));
  gtk_grid_view_set_model (self->page_view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);
  /* At the top: the list was emptied (and scrolled back) when the last one closed. */
  self->settled_value = 0;
  _docket_document_view_update_labels (self);
  docket_document_view_set_state (self, DOCKET_DOCUMENT_VIEW_READY);
  _docket_document_view_notify_zoom (self);
  if (self->open_page > 0)
    _docket_document_view_scroll_to_page (self, MIN ((guint) self->open_page, n_pages - 1), 0);

  /* The sidebar's thumbnails render only when shown; the outline and the signatures
   * are read in workers, and appear when they are there. */
  _docket_document_view_sync_sidebar_page (self);
  docket_document_sidebar_set_document (self->sidebar, self->document);
  self->extras_cancellable = g_cancellable_new ();
  docket_pdf_signature_load_async (self->document, self->path, self->extras_cancellable,
                                   on_signatures_loaded, g_object_ref (self));

  docket_find_bar_set_document (self->find_bar, self->document);
  if (self->open_find_text != NULL)
    docket_find_bar_find (self->find_bar, self->open_find_text,
                          self->open_page >= 0 ? (int) MIN ((guint) self->open_page, n_pages - 1) : -1);
  else
    /* The find bar was left open: the same text in this document. */
    docket_find_bar_find_again (self->find_bar);
  /* The keyboard scrolls the pages at once (arrows, Page Up/Down, Home/End). */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_widget_grab_focus (GTK_WIDGET (self->page_view));
}

void
docket_document_view_close (DocketDocumentView *self)
{
  g_return_if_fail (DOCKET_IS_DOCUMENT_VIEW (self));

  _docket_document_view_save_view_state (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->extras_cancellable);
  g_clear_object (&self->extras_cancellable);
  if (self->find_bar != NULL)
    docket_find_bar_set_document (self->find_bar, NULL);
  self->reveal_hit_pending = FALSE;
  if (self->page_view != NULL)
    {
      /* Back to the top while the rows are there: scrolled later, an empty page view
       * (or one with the next document's rows) looks for a row it does not have. */
      gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scrolled_window), 0);
      gtk_adjustment_set_value (gtk_scrolled_window_get_hadjustment (self->scrolled_window), 0);
      gtk_grid_view_set_model (self->page_view, NULL);
      docket_document_sidebar_set_document (self->sidebar, NULL);
      docket_signature_bar_set_signatures (self->signature_bar, NULL);
    }
  g_clear_object (&self->document);
  g_clear_object (&self->loaded);
  g_clear_object (&self->cached_document);
  g_clear_pointer (&self->open_find_text, g_free);
  g_clear_pointer (&self->path, g_free);
  self->lookup_pending = FALSE;
  self->pinch_h_pending = FALSE;
  self->open_page = -1;
  self->open_zoom_mode = DEFAULT_ZOOM_MODE;
  self->open_zoom_scale = 1.0;
  self->target_pending = FALSE;
  self->follow_scroll = 0;
  self->scroll_zoom = 0;
  /* A document opens at its first page, at the automatic zoom, unless the reader memory
   * knows better. */
  self->current_page = 0;
  if (self->find_bar != NULL)
    docket_find_bar_set_current_page (self->find_bar, 0);
  self->zoom_mode = DEFAULT_ZOOM_MODE;
  _docket_document_view_notify_zoom (self);
  if (self->zoom_button != NULL)
    _docket_document_view_update_labels (self);
  docket_document_view_set_state (self, DOCKET_DOCUMENT_VIEW_EMPTY);
}

/* Loads path; the caller has closed what was open and set what to open at. */
static void
load_path (DocketDocumentView *self,
           const char         *path)
{
  g_autoptr(GFile) file = NULL;

  if (path == NULL)
    {
      show_error (self, _("Not Downloaded Yet"),
                  _("This document is not on this computer yet. It is downloaded with the next sync; connect to the network and refresh."));
      return;
    }

  file = g_file_new_for_path (path);
  g_free (self->path);
  self->path = g_strdup (path);
  self->cancellable = g_cancellable_new ();
  docket_document_view_set_state (self, DOCKET_DOCUMENT_VIEW_LOADING);
  /* The zoom the official reads this document at, and where, unless a page is asked. */
  if (self->memory != NULL && self->cached_document != NULL)
    {
      self->lookup_pending = TRUE;
      docket_reader_memory_lookup_async (self->memory, docket_document_get_id (self->cached_document),
                                         self->cancellable, on_lookup_done, g_object_ref (self));
    }
  docket_pdf_document_load_async (file, self->cancellable, on_document_loaded, g_object_ref (self));
}

void
docket_document_view_open (DocketDocumentView *self,
                           const char         *path)
{
  g_return_if_fail (DOCKET_IS_DOCUMENT_VIEW (self));

  docket_document_view_close (self);
  load_path (self, path);
}

void
docket_document_view_open_document (DocketDocumentView *self,
                                    DocketDocument     *document,
                                    int                 page,
                                    const char         *find_text)
{
  g_return_if_fail (DOCKET_IS_DOCUMENT_VIEW (self));
  g_return_if_fail (DOCKET_IS_DOCUMENT (document));

  /* Reopening the document being read only moves within it. */
  if (self->cached_document == document && self->state == DOCKET_DOCUMENT_VIEW_READY)
    {
      if (page >= 0)
        docket_document_view_go_to_page (self, (guint) page);
      if (find_text != NULL)
        docket_find_bar_find (self->find_bar, find_text, page);
      return;
    }

  docket_document_view_close (self);
  self->cached_document = g_object_ref (document);
  self->open_page = MAX (page, -1);
  self->open_find_text = g_strdup (find_text);
  load_path (self, docket_document_get_path (document));
}

DocketDocument *
docket_document_view_get_document (DocketDocumentView *self)
{
  g_return_val_if_fail (DOCKET_IS_DOCUMENT_VIEW (self), NULL);
  return self->cached_document;
}

void
docket_document_view_set_reader_memory (DocketDocumentView *self,
                                        DocketReaderMemory *memory)
{
  g_return_if_fail (DOCKET_IS_DOCUMENT_VIEW (self));
  g_return_if_fail (memory == NULL || DOCKET_IS_READER_MEMORY (memory));

  g_set_object (&self->memory, memory);
}

DocketReaderMemory *
docket_document_view_get_reader_memory (DocketDocumentView *self)
{
  g_return_val_if_fail (DOCKET_IS_DOCUMENT_VIEW (self), NULL);
  return self->memory;
}

static void
docket_document_view_dispose (GObject *object)
{
  DocketDocumentView *self = DOCKET_DOCUMENT_VIEW (object);

  _docket_document_view_save_view_state (self);
  g_clear_handle_id (&self->save_id, g_source_remove);
  g_clear_handle_id (&self->spinner_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->extras_cancellable);
  g_clear_object (&self->extras_cancellable);
  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self->page_view), self->tick_id);
      self->tick_id = 0;
    }
  /* AdwBin unparents its child itself: drop it before the template's children go. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), DOCKET_TYPE_DOCUMENT_VIEW);
  g_clear_object (&self->annotator);
  g_clear_object (&self->reader_state);
  g_clear_object (&self->document);
  g_clear_object (&self->loaded);
  g_clear_object (&self->cached_document);
  g_clear_object (&self->memory);
  g_clear_pointer (&self->open_find_text, g_free);
  g_clear_pointer (&self->path, g_free);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (docket_document_view_parent_class)->dispose (object);
}

static void
docket_document_view_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  DocketDocumentView *self = DOCKET_DOCUMENT_VIEW (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_CURRENT_PAGE:
      g_value_set_uint (value, self->current_page);
      break;
    case PROP_ZOOM_MODE:
      g_value_set_int (value, self->zoom_mode);
      break;
    case PROP_ZOOM_SCALE:
      g_value_set_double (value, docket_document_view_get_zoom_scale (self));
      break;
    case PROP_ZOOM_CHOICE:
      g_value_take_string (value, _docket_document_view_get_zoom_choice (self));
      break;
    case PROP_NIGHT_MODE:
      g_value_set_boolean (value, self->night_mode);
      break;
    case PROP_SIDEBAR_VISIBLE:
      g_value_set_boolean (value, self->sidebar_visible);
      break;
    case PROP_ANNOTATING:
      g_value_set_boolean (value, self->annotating);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_document_view_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  DocketDocumentView *self = DOCKET_DOCUMENT_VIEW (object);

  switch (prop_id)
    {
    case PROP_ZOOM_CHOICE:
      _docket_document_view_set_zoom_choice (self, g_value_get_string (value));
      break;
    case PROP_NIGHT_MODE:
      set_night_mode (self, g_value_get_boolean (value));
      break;
    case PROP_SIDEBAR_VISIBLE:
      set_sidebar_visible (self, g_value_get_boolean (value));
      break;
    case PROP_ANNOTATING:
      set_annotating (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_document_view_class_init (DocketDocumentViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = docket_document_view_dispose;
  object_class->get_property = docket_document_view_get_property;
  object_class->set_property = docket_document_view_set_property;

  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL,
                      DOCKET_DOCUMENT_VIEW_EMPTY, DOCKET_DOCUMENT_VIEW_FAILED,
                      DOCKET_DOCUMENT_VIEW_EMPTY,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CURRENT_PAGE] =
    g_param_spec_uint ("current-page", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ZOOM_MODE] =
    g_param_spec_int ("zoom-mode", NULL, NULL, DOCKET_ZOOM_FIT_WIDTH, DOCKET_ZOOM_AUTOMATIC,
                      DEFAULT_ZOOM_MODE,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ZOOM_SCALE] =
    g_param_spec_double ("zoom-scale", NULL, NULL, 0, G_MAXDOUBLE, 1.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The zoom menu's checked item (_docket_document_view_get_zoom_choice); view.set-zoom sets it. */
  properties[PROP_ZOOM_CHOICE] =
    g_param_spec_string ("zoom-choice", NULL, NULL, "automatic",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Pages inverted, for reading in the dark (remembered in GSettings). */
  properties[PROP_NIGHT_MODE] =
    g_param_spec_boolean ("night-mode", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SIDEBAR_VISIBLE] =
    g_param_spec_boolean ("sidebar-visible", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The annotation tools are shown (view.annotate, Ctrl+E). */
  properties[PROP_ANNOTATING] =
    g_param_spec_boolean ("annotating", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (DOCKET_TYPE_ANNOTATION_TOOLBAR);
  g_type_ensure (DOCKET_TYPE_FIND_BAR);
  g_type_ensure (DOCKET_TYPE_DOCUMENT_SIDEBAR);
  g_type_ensure (DOCKET_TYPE_SIGNATURE_BAR);
  docket_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, DOCKET_RESOURCE_PREFIX "/ui/docket-document-view.ui");
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentView, stack);
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentView, spinner);
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentView, error_page);
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentView, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentView, page_view);
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentView, zoom_button);
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentView, page_button);
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentView, go_to_popover);
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentView, page_entry);
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentView, page_error);
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentView, flap);
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentView, annotation_revealer);
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentView, sidebar);
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentView, find_bar);
  gtk_widget_class_bind_template_child (widget_class, DocketDocumentView, signature_bar);
  /* Going to a page: the popover's callbacks, the actions and their keys; find's. */
  _docket_document_view_class_init_navigation (widget_class);
  _docket_document_view_class_init_find (widget_class);

  gtk_widget_class_install_action (widget_class, "view.zoom-in", NULL, _docket_document_view_zoom_action);
  gtk_widget_class_install_action (widget_class, "view.zoom-out", NULL, _docket_document_view_zoom_action);
  gtk_widget_class_install_action (widget_class, "view.zoom-automatic", NULL, _docket_document_view_zoom_action);
  gtk_widget_class_install_action (widget_class, "view.zoom-fit-width", NULL, _docket_document_view_zoom_action);
  gtk_widget_class_install_action (widget_class, "view.zoom-fit-page", NULL, _docket_document_view_zoom_action);
  gtk_widget_class_install_property_action (widget_class, "view.set-zoom", "zoom-choice");
  gtk_widget_class_install_property_action (widget_class, "view.night-mode", "night-mode");
  gtk_widget_class_install_property_action (widget_class, "view.toggle-sidebar", "sidebar-visible");
  gtk_widget_class_install_property_action (widget_class, "view.annotate", "annotating");

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "view.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "view.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, GDK_CONTROL_MASK, "view.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "view.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, GDK_CONTROL_MASK, "view.zoom-out", NULL);
  /* Ctrl+0, as in GNOME's other applications: back to the zoom documents open at. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "view.zoom-automatic", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0, GDK_CONTROL_MASK, "view.zoom-automatic", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "view.toggle-sidebar", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "view.annotate", NULL);
}

static void
docket_document_view_init (DocketDocumentView *self)
{
  GtkListItemFactory *factory;
  GSettingsSchemaSource *schemas;
  g_autoptr(GSettingsSchema) schema = NULL;

  self->zoom_mode = DEFAULT_ZOOM_MODE;
  self->zoom_scale = 1.0;
  self->open_page = -1;
  self->open_zoom_mode = DEFAULT_ZOOM_MODE;
  self->open_zoom_scale = 1.0;

  gtk_widget_init_template (GTK_WIDGET (self));
  /* Laid out by the style sheet, in the window or alone (tests, bench/reader). */
  docket_ensure_style ();

  /* Annotating (docket-annotator.h): its actions, its shortcuts and its panel. */
  self->reader_state = docket_reader_state_new ();
  self->annotator = docket_annotator_new (self->reader_state);
  docket_annotator_attach (self->annotator, GTK_WIDGET (self));
  g_signal_connect_object (self->reader_state, "notify::tool", G_CALLBACK (on_tool_chosen), self,
                           G_CONNECT_SWAPPED);
  {
    GtkWidget *panel = docket_annotations_panel_new ();
    docket_annotations_panel_set_annotator (DOCKET_ANNOTATIONS_PANEL (panel), self->annotator);
    docket_document_sidebar_set_annotations_panel (self->sidebar, panel);
  }

  /* The zoom menu, Ctrl+scroll and pinch (docket-document-view-zoom.c). */
  _docket_document_view_init_zoom (self);
  /* The page keys (docket-document-view-navigation.c) and following the reader's
   * scrolling (docket-document-view-scroll.c). */
  _docket_document_view_init_navigation (self);
  _docket_document_view_init_scroll (self);
  _docket_document_view_update_labels (self);
  _docket_document_view_update_actions (self);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_page), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_page), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_page), self);
  gtk_grid_view_set_factory (self->page_view, factory);
  g_object_unref (factory);

  /* The sidebar shows what the property says, and the property what the flap does (a
   * folded flap closes itself when the pages are clicked). */
  g_object_bind_property (self, "sidebar-visible", self->flap, "reveal-flap",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (self, "annotating", self->annotation_revealer, "reveal-child",
                          G_BINDING_SYNC_CREATE);

  /* Find: the bar searches; the view marks the hits (docket-document-view-find.c). */
  _docket_document_view_init_find (self);

  /* Night mode is the official's taste, not the document's: one setting for all. */
  if ((schemas = g_settings_schema_source_get_default ()) != NULL &&
      (schema = g_settings_schema_source_lookup (schemas, APP_ID, TRUE)) != NULL &&
      g_settings_schema_has_key (schema, "night-mode"))
    {
      self->settings = g_settings_new (APP_ID);
      g_settings_bind (self->settings, "night-mode", self, "night-mode", G_SETTINGS_BIND_DEFAULT);
    }
}

DocketDocumentViewState
docket_document_view_get_state (DocketDocumentView *self)
{
  g_return_val_if_fail (DOCKET_IS_DOCUMENT_VIEW (self), DOCKET_DOCUMENT_VIEW_EMPTY);
  return self->state;
}

DocketPdfDocument *
docket_document_view_get_pdf_document (DocketDocumentView *self)
{
  g_return_val_if_fail (DOCKET_IS_DOCUMENT_VIEW (self), NULL);
  return self->document;
}

void
docket_document_view_go_to_page (DocketDocumentView *self,
                                 guint               index)
{
  g_return_if_fail (DOCKET_IS_DOCUMENT_VIEW (self));

  if (self->document == NULL || index >= docket_pdf_document_get_n_pages (self->document))
    return;
  _docket_document_view_scroll_to_page (self, index, 0);
}

guint
docket_document_view_get_current_page (DocketDocumentView *self)
{
  g_return_val_if_fail (DOCKET_IS_DOCUMENT_VIEW (self), 0);
  return self->current_page;
}

GListModel *
docket_document_view_get_signatures (DocketDocumentView *self)
{
  g_return_val_if_fail (DOCKET_IS_DOCUMENT_VIEW (self), NULL);
  /* The bar keeps them: what it shows is what the view has. */
  return self->signature_bar != NULL ? docket_signature_bar_get_signatures (self->signature_bar) : NULL;
}

DocketAnnotator *
docket_document_view_get_annotator (DocketDocumentView *self)
{
  g_return_val_if_fail (DOCKET_IS_DOCUMENT_VIEW (self), NULL);
  return self->annotator;
}
