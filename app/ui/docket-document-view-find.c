/* docket-document-view-find.c: the find bar's hits on the document view's pages
 *
 * The find bar (docket-find-bar.c) searches and says which hits a page has and which one
 * is current; this file marks them on the page widgets, brings the current one into
 * view (sideways too, when zoomed in) and gives F3 and Shift+F3 somewhere to go. Apart
 * from the view because it is the one place where find meets the pages; it shares the
 * view's instance struct through docket-document-view-private.h.
 */

#include "config.h"

#include "docket-document-view-private.h"

/* F3 and Shift+F3 (and the bar's buttons) have somewhere to go. */
static void
update_find_actions (DocketDocumentView *self)
{
  gboolean has_hits = docket_find_bar_get_n_hits (self->find_bar) > 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "view.find-next", has_hits);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "view.find-previous", has_hits);
}

/* Marks the find hits on a page widget, the current one stronger. */
void
_docket_document_view_update_page_highlights (DocketDocumentView *self,
                                              DocketPageWidget   *widget)
{
  DocketPdfPage *page = docket_page_widget_get_page (widget);
  GArray *boxes;
  int current = -1;

  if (page == NULL)
    {
      docket_page_widget_set_highlights (widget, NULL, -1);
      return;
    }
  boxes = docket_find_bar_get_highlights (self->find_bar, docket_pdf_page_get_index (page), &current);
  docket_page_widget_set_highlights (widget, boxes, current);
}

static void
update_all_highlights (DocketDocumentView *self)
{
  g_autoptr(GPtrArray) widgets = _docket_document_view_list_page_widgets (self);

  for (guint i = 0; i < widgets->len; i++)
    _docket_document_view_update_page_highlights (self, g_ptr_array_index (widgets, i));
}

/* Brings the current hit into view, unless it is in view already. */
void
_docket_document_view_scroll_to_current_hit (DocketDocumentView *self)
{
  guint page = 0;
  graphene_rect_t hit;
  const graphene_rect_t *box = &hit;
  DocketPageWidget *widget;
  double width_pt = 0, height_pt = 0, top, fraction;
  int view = gtk_widget_get_height (GTK_WIDGET (self->scrolled_window));

  if (self->document == NULL || !docket_find_bar_get_current_hit (self->find_bar, &page, &hit) ||
      !docket_pdf_document_get_page_size (self->document, page, &width_pt, &height_pt) || height_pt <= 0)
    return;

  widget = self->target_pending ? NULL : _docket_document_view_find_page_widget (self, page);
  if (widget != NULL && _docket_document_view_page_widget_top (self, widget, &top))
    {
      double scale = docket_page_widget_get_display_height (widget) / height_pt;
      double y = top + DOCKET_PAGE_WIDGET_MARGIN + box->origin.y * scale;
      GtkAdjustment *h = gtk_scrolled_window_get_hadjustment (self->scrolled_window);
      graphene_point_t left;

      /* Zoomed in wider than the view: sideways first, the hit a third in from the left. */
      if (gtk_widget_compute_point (GTK_WIDGET (widget), GTK_WIDGET (self->scrolled_window),
                                    &GRAPHENE_POINT_INIT ((gtk_widget_get_width (GTK_WIDGET (widget)) -
                                                           docket_page_widget_get_display_width (widget)) / 2.0 +
                                                          box->origin.x * scale, 0),
                                    &left) &&
          (left.x < 0 || left.x + box->size.width * scale > gtk_adjustment_get_page_size (h)))
        gtk_adjustment_set_value (h, gtk_adjustment_get_value (h) + left.x - gtk_adjustment_get_page_size (h) / 3);

      if (y >= 0 && y + box->size.height * scale <= view)
        return;
      /* A third down the view, as people read. */
      fraction = (y - top - view / 3.0) / MAX (gtk_widget_get_height (GTK_WIDGET (widget)), 1);
    }
  else
    fraction = box->origin.y / height_pt - 0.1;

  _docket_document_view_scroll_to_page (self, page, MAX (fraction, 0.0));
  /* Where the hit is sideways is known once its page is laid out there. */
  self->reveal_hit_pending = TRUE;
}

static void
on_find_highlights_changed (DocketDocumentView *self,
                            int                 page,
                            DocketFindBar      *find_bar)
{
  DocketPageWidget *widget;

  /* No search, no hit to bring into view once a scroll is done. */
  if (docket_find_bar_get_find (find_bar) == NULL)
    self->reveal_hit_pending = FALSE;
  if (page < 0)
    update_all_highlights (self);
  else if ((widget = _docket_document_view_find_page_widget (self, (guint) page)) != NULL)
    _docket_document_view_update_page_highlights (self, widget);
}

static void
on_find_bar_open_changed (DocketDocumentView *self)
{
  if (docket_find_bar_get_open (self->find_bar))
    return;
  /* Closed: reading goes on with the keyboard. */
  if (self->state == DOCKET_DOCUMENT_VIEW_READY && gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_widget_grab_focus (GTK_WIDGET (self->page_view));
}

static void
find_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DocketDocumentView *self = DOCKET_DOCUMENT_VIEW (widget);

  if (g_str_equal (action_name, "view.find"))
    docket_find_bar_open (self->find_bar);
  else
    docket_find_bar_step (self->find_bar, g_str_equal (action_name, "view.find-next") ? +1 : -1);
}

/* The find actions and their shortcuts, from the view's class_init. */
void
_docket_document_view_class_init_find (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "view.find", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "view.find-next", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "view.find-previous", NULL, find_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "view.find", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F3, 0, "view.find-next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F3, GDK_SHIFT_MASK, "view.find-previous", NULL);
}

/* The bar searches; the view marks the hits and brings them into view. */
void
_docket_document_view_init_find (DocketDocumentView *self)
{
  g_signal_connect_object (self->find_bar, "highlights-changed",
                           G_CALLBACK (on_find_highlights_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->find_bar, "current-changed",
                           G_CALLBACK (_docket_document_view_scroll_to_current_hit), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->find_bar, "notify::open",
                           G_CALLBACK (on_find_bar_open_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->find_bar, "notify::n-hits",
                           G_CALLBACK (update_find_actions), self, G_CONNECT_SWAPPED);
  update_find_actions (self);
}
