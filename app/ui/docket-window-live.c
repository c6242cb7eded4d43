/* docket-window-live.c: the live meeting, as the window holds it
 *
 * The open meeting's DocketMeetingLive, which the meeting page's live bar and the chair's
 * console bind to; following the chair's presentation (win.follow-presentation, the
 * window's "following"); presenting from the reader (win.present-document,
 * win.stop-presenting, the reader's Presenting toggle); and the console page
 * (win.open-console, Ctrl+Shift+K).
 */

#include "config.h"

#include "docket-window-private.h"

/* Which parts of the window the live meeting may change */

/* Whether the signed-in official runs the open meeting, on a server that runs live
 * meetings (the same test as the meeting page's live bar, and can-run). */
gboolean
docket_window_may_run_live (DocketWindow *self)
{
  return self->live != NULL && self->meeting != NULL &&
         docket_meeting_live_get_loaded (self->live) && docket_meeting_live_get_can_run (self->live) &&
         docket_meeting_get_status (self->meeting) == DOCKET_MEETING_STATUS_PUBLISHED &&
         docket_store_runs_live_meetings (self->store);
}

void
docket_window_update_console_actions (DocketWindow *self)
{
  gboolean may_run = docket_window_may_run_live (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.open-console", may_run);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.present-document", may_run);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.stop-presenting", may_run);
}

/* Following the chair's presentation */

/* Opens the presented document at the presented page, through the same path as a click
 * (docket_document_view_open_document: the same document only moves to the page). The
 * official's annotations are the document's, drawn as always. */
void
docket_window_follow_presentation (DocketWindow *self)
{
  const char *document_id;
  DocketDocument *document;
  int page;

  self->follow_pending = FALSE;
  if (!self->following || self->live == NULL || self->agenda == NULL)
    return;
  document_id = docket_meeting_live_get_presented_document_id (self->live);
  page = docket_meeting_live_get_presented_page (self->live);
  if (document_id == NULL)
    return;
  document = docket_agenda_find_document (self->agenda, document_id);
  if (document == NULL)
    {
      /* The feed brought the state before the agenda had the document: when it has. */
      self->follow_pending = TRUE;
      return;
    }

  g_set_object (&self->document, document);
  docket_document_view_open_document (self->document_view, document, MAX (page, 0), NULL);
  docket_window_show_page (self, "document");
}

/* Only a change of the presentation moves the official: pages they turn themselves
 * stay theirs until the chair turns the next one. */
static void
on_live_notify (DocketWindow *self,
                GParamSpec   *pspec)
{
  if (g_str_equal (pspec->name, "phase") || g_str_equal (pspec->name, "can-run") ||
      g_str_equal (pspec->name, "loaded"))
    docket_window_update_header (self);
  /* The meeting ended, or another laptop presents now: this one stops following its
   * reader (a request of its own still on its way is not taken for that). */
  if (docket_presenter_get_presenting (self->presenter) && !docket_presenter_get_busy (self->presenter) &&
      ((g_str_equal (pspec->name, "phase") &&
        docket_meeting_live_get_phase (self->live) != DOCKET_MEETING_PHASE_IN_SESSION) ||
       (g_str_equal (pspec->name, "presented-document-id") &&
        g_strcmp0 (docket_meeting_live_get_presented_document_id (self->live),
                   docket_presenter_get_document_id (self->presenter)) != 0)))
    docket_presenter_forget (self->presenter);
  if (g_str_equal (pspec->name, "presented-document-id") || g_str_equal (pspec->name, "presented-page") ||
      (g_str_equal (pspec->name, "loaded") && self->follow_pending))
    docket_window_follow_presentation (self);
}

static void
on_agenda_for_follow (DocketWindow *self)
{
  if (self->follow_pending)
    docket_window_follow_presentation (self);
}

/* The chair's console */

static void
open_console_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  DocketWindow *self = DOCKET_WINDOW (widget);

  if (!docket_window_may_run_live (self))
    return;
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "document") == 0)
    {
      docket_document_view_close (self->document_view);
      g_clear_object (&self->document);
    }
  docket_window_show_page (self, "console");
}

/* Opens a document of the meeting in the reader, at its first page, and presents it:
 * every page the chair turns to is shown to who follows. */
static void
present_document_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  DocketWindow *self = DOCKET_WINDOW (widget);
  DocketDocument *document;
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  if (!docket_window_may_run_live (self))
    return;
  document = docket_agenda_find_document (self->agenda, g_variant_get_string (parameter, NULL));
  if (document == NULL)
    {
      adw_toast_overlay_add_toast (self->toast_overlay,
                                   adw_toast_new (_("This document is no longer in the meeting.")));
      return;
    }
  self->from_console = g_strcmp0 (page, "console") == 0 || (self->from_console && g_strcmp0 (page, "document") == 0);
  g_set_object (&self->document, document);
  docket_document_view_open_document (self->document_view, document, 0, NULL);
  docket_presenter_start (self->presenter, docket_document_get_id (document), 0);
  docket_window_show_page (self, "document");
}

static void
stop_presenting_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  DocketWindow *self = DOCKET_WINDOW (widget);

  if (docket_window_may_run_live (self))
    docket_presenter_stop (self->presenter);
}

static void
on_presenting_failed (DocketWindow *self,
                      const GError *error)
{
  AdwToast *toast = adw_toast_new (error->message);

  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* Its parts of the window's life */

void
docket_window_live_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_property_action (widget_class, "win.follow-presentation", "following");
  gtk_widget_class_install_action (widget_class, "win.open-console", NULL, open_console_action);
  gtk_widget_class_install_action (widget_class, "win.present-document", "s", present_document_action);
  gtk_widget_class_install_action (widget_class, "win.stop-presenting", NULL, stop_presenting_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_k, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.open-console", NULL);
}

void
docket_window_live_constructed (DocketWindow *self)
{
  /* The chair's presentation follows the reader's pages; the reader's toggle shows it. */
  self->presenter = docket_presenter_new (self->document_view);
  docket_presenter_set_sync (self->presenter, self->sync);
  g_signal_connect_swapped (self->presenter, "failed", G_CALLBACK (on_presenting_failed), self);
  g_signal_connect_swapped (self->presenter, "notify::presenting", G_CALLBACK (docket_window_update_header), self);
  g_object_bind_property (self->presenter, "presenting", self->presenting_button, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  /* The capabilities that allow the console are kept by the live channel as it connects;
   * the store says "changed" then (docket_store_set_capabilities). */
  g_signal_connect_object (self->store, "changed", G_CALLBACK (docket_window_update_console_actions), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sync, "notify::live-state", G_CALLBACK (docket_window_update_header), self,
                           G_CONNECT_SWAPPED);
}

void
docket_window_live_open (DocketWindow *self,
                         const char   *meeting_id)
{
  self->live = docket_meeting_live_new (self->store, meeting_id);
  g_signal_connect_swapped (self->live, "notify", G_CALLBACK (on_live_notify), self);
  g_signal_connect_swapped (self->agenda, "notify::loaded", G_CALLBACK (on_agenda_for_follow), self);
  g_signal_connect_swapped (docket_agenda_get_root (self->agenda), "items-changed",
                            G_CALLBACK (on_agenda_for_follow), self);
  docket_meeting_page_set_live (self->meeting_page, self->live);
  docket_chair_console_set_live (self->console, self->live, self->agenda);
  docket_presenter_set_meeting (self->presenter, meeting_id);
}

void
docket_window_live_forget (DocketWindow *self)
{
  if (self->live != NULL)
    g_signal_handlers_disconnect_by_data (self->live, self);
  g_clear_object (&self->live);
  if (self->agenda != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->agenda, on_agenda_for_follow, self);
      g_signal_handlers_disconnect_by_func (docket_agenda_get_root (self->agenda), on_agenda_for_follow, self);
    }
  self->follow_pending = FALSE;
}

void
docket_window_live_close (DocketWindow *self)
{
  docket_meeting_page_set_live (self->meeting_page, NULL);
  docket_chair_console_set_live (self->console, NULL, NULL);
  docket_presenter_set_meeting (self->presenter, NULL);
  self->from_console = FALSE;
  docket_window_live_forget (self);
}

void
docket_window_live_dispose_presenter (DocketWindow *self)
{
  if (self->presenter != NULL)
    g_signal_handlers_disconnect_by_data (self->presenter, self);
  g_clear_object (&self->presenter);
}
