/* docket-window.c: Docket's main window */

#include "config.h"

#include <glib/gi18n.h>

#include "docket-window-private.h"
#include "docket-annotator.h"
#include "docket-live-indicator.h"
#include "docket-resources.h"

G_DEFINE_FINAL_TYPE (DocketWindow, docket_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_SYNC,
  PROP_FOLLOWING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
docket_window_update_header (DocketWindow *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);
  gboolean signed_in = docket_sync_get_signed_in (self->sync);
  g_autofree char *subtitle = NULL;

  if (g_strcmp0 (page, "sign-in") == 0)
    {
      adw_window_title_set_title (self->window_title, _("Docket"));
      adw_window_title_set_subtitle (self->window_title, "");
    }
  else if (g_strcmp0 (page, "meetings") == 0)
    {
      /* Translators: the header's subtitle, "daibieu1 on https://docket.example.vn". */
      subtitle = g_strdup_printf (_("%s on %s"),
                                  docket_sync_get_username (self->sync) ? docket_sync_get_username (self->sync) : "",
                                  docket_sync_get_server_url (self->sync) ? docket_sync_get_server_url (self->sync) : "");
      adw_window_title_set_title (self->window_title, _("Meetings"));
      adw_window_title_set_subtitle (self->window_title, signed_in ? subtitle : "");
    }
  else if (g_strcmp0 (page, "meeting") == 0 && self->meeting != NULL)
    {
      adw_window_title_set_title (self->window_title, docket_meeting_get_title (self->meeting));
      adw_window_title_set_subtitle (self->window_title, docket_meeting_get_organ (self->meeting));
    }
  else if (g_strcmp0 (page, "document") == 0 && self->document != NULL)
    {
      subtitle = docket_document_format_details (self->document);
      adw_window_title_set_title (self->window_title, docket_document_get_title (self->document));
      adw_window_title_set_subtitle (self->window_title, subtitle);
    }
  else if (g_strcmp0 (page, "console") == 0 && self->meeting != NULL)
    {
      adw_window_title_set_title (self->window_title, _("Chair’s Console"));
      adw_window_title_set_subtitle (self->window_title, docket_meeting_get_title (self->meeting));
    }
  else if (g_strcmp0 (page, "search") == 0)
    {
      adw_window_title_set_title (self->window_title, _("Search"));
      adw_window_title_set_subtitle (self->window_title, _("All documents on this computer"));
    }

  gtk_widget_set_visible (self->back_button,
                          g_strcmp0 (page, "meeting") == 0 || g_strcmp0 (page, "document") == 0 ||
                          g_strcmp0 (page, "search") == 0 || g_strcmp0 (page, "console") == 0);
  gtk_widget_set_visible (self->refresh_button, signed_in);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.back",
                                 g_strcmp0 (page, "meeting") == 0 || g_strcmp0 (page, "document") == 0 ||
                                 g_strcmp0 (page, "search") == 0 || g_strcmp0 (page, "console") == 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.refresh", signed_in);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sign-out", signed_in);
  gtk_widget_set_visible (self->search_button, signed_in && g_strcmp0 (page, "search") != 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.search", signed_in);
  gtk_widget_set_visible (self->following_button, self->following && g_strcmp0 (page, "document") == 0);
  docket_window_update_console_actions (self);
  /* The reader's "Presenting" toggle, for who runs the meeting while it is in session. */
  gtk_widget_set_visible (self->presenting_button,
                          g_strcmp0 (page, "document") == 0 && docket_window_may_run_live (self) &&
                          docket_meeting_live_get_phase (self->live) == DOCKET_MEETING_PHASE_IN_SESSION);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export-annotations",
                                 g_strcmp0 (page, "document") == 0 &&
                                 docket_document_view_get_state (self->document_view) == DOCKET_DOCUMENT_VIEW_READY);
}

void
docket_window_show_page (DocketWindow *self,
                         const char   *name)
{
  gtk_stack_set_visible_child_name (self->stack, name);
  docket_window_update_header (self);
}

/* A search result waiting for its meeting's agenda: forgotten when the meeting is left. */
static void
docket_window_forget_pending_result (DocketWindow *self)
{
  if (self->agenda != NULL)
    g_clear_signal_handler (&self->pending_loaded_id, self->agenda);
  self->pending_loaded_id = 0;
  g_clear_object (&self->pending_result);
}

void
docket_window_set_following (DocketWindow *self,
                             gboolean      following)
{
  following = !!following;
  if (self->following == following)
    return;
  self->following = following;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOWING]);
  docket_window_update_header (self);
  /* Turned on: to where the chair is now. */
  if (following)
    docket_window_follow_presentation (self);
}

static void
docket_window_close_meeting (DocketWindow *self)
{
  docket_window_forget_pending_result (self);
  docket_document_view_close (self->document_view);
  docket_window_live_close (self);
  docket_meeting_page_set_meeting (self->meeting_page, NULL, NULL);
  g_clear_object (&self->document);
  g_clear_object (&self->agenda);
  g_clear_object (&self->meeting);
}

/* The open meeting went away with a sync (deleted, or taken back from this official):
 * leave it rather than show what is no longer there. */
static void
on_meetings_changed (DocketWindow *self)
{
  if (self->meeting == NULL ||
      docket_meeting_list_find (self->meetings, docket_meeting_get_id (self->meeting)) != NULL)
    return;

  docket_window_close_meeting (self);
  docket_window_show_page (self, "meetings");
  adw_toast_overlay_add_toast (self->toast_overlay,
                               adw_toast_new (_("The meeting you were reading is no longer available.")));
}

static void
docket_window_show_signed_in (DocketWindow *self)
{
  if (self->meetings == NULL)
    {
      self->meetings = docket_meeting_list_new (self->store);
      docket_meeting_list_set_sync (self->meetings, self->sync);
      g_signal_connect_object (self->meetings, "items-changed",
                               G_CALLBACK (on_meetings_changed), self, G_CONNECT_SWAPPED);
      docket_meeting_list_page_set_meetings (self->meeting_list_page, self->meetings);
    }
  else
    docket_meeting_list_reload (self->meetings);

  docket_window_show_page (self, "meetings");
  docket_sync_start_automatic (self->sync);
}

static void
docket_window_show_sign_in (DocketWindow *self,
                            const char   *message)
{
  docket_window_close_meeting (self);
  docket_search_page_reset (self->search_page);
  docket_sign_in_page_reset (self->sign_in_page,
                             docket_sync_get_server_url (self->sync),
                             docket_sync_get_username (self->sync),
                             message);
  docket_window_show_page (self, "sign-in");
}

static void
on_signed_in (DocketWindow *self)
{
  docket_window_show_signed_in (self);
}

static void
on_signed_in_changed (DocketWindow *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  /* The server refused the token (expired, revoked, account disabled): ask again. */
  if (!docket_sync_get_signed_in (self->sync) && g_strcmp0 (page, "sign-in") != 0)
    docket_window_show_sign_in (self, docket_sync_get_error_message (self->sync));
  else
    docket_window_update_header (self);
}

static void
on_meeting_activated (DocketWindow  *self,
                      DocketMeeting *meeting)
{
  docket_window_open_meeting (self, docket_meeting_get_id (meeting));
}

static void
on_document_activated (DocketWindow   *self,
                       DocketDocument *document)
{
  docket_window_open_document (self, docket_document_get_id (document));
}

static void
on_refresh_finished (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(DocketWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (docket_sync_run_finish (DOCKET_SYNC (source), result, &error))
    return;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_SIGNED_OUT))
    return;

  /* Asked for by the person: answer them, not only the indicator. */
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  DocketWindow *self = DOCKET_WINDOW (widget);

  if (!docket_sync_get_signed_in (self->sync))
    return;
  docket_sync_run_async (self->sync, self->cancellable, on_refresh_finished, g_object_ref (self));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  DocketWindow *self = DOCKET_WINDOW (widget);
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  if (g_strcmp0 (page, "document") == 0)
    {
      docket_document_view_close (self->document_view);
      g_clear_object (&self->document);
      /* A document presented from the console goes back to it; the presentation goes
       * on (Stop Presenting ends it). */
      docket_presenter_forget (self->presenter);
      docket_window_show_page (self, self->from_console ? "console" : "meeting");
      self->from_console = FALSE;
    }
  else if (g_strcmp0 (page, "console") == 0)
    docket_window_show_page (self, "meeting");
  else if (g_strcmp0 (page, "meeting") == 0)
    {
      docket_window_close_meeting (self);
      docket_window_show_page (self, "meetings");
    }
  else if (g_strcmp0 (page, "search") == 0)
    {
      /* Back where search was opened from, if it is still there. */
      const char *back = self->search_return_page;

      if (g_strcmp0 (back, "document") == 0 && self->document == NULL)
        back = "meeting";
      if (g_strcmp0 (back, "meeting") == 0 && self->meeting == NULL)
        back = "meetings";
      docket_window_show_page (self, back != NULL ? back : "meetings");
    }
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  DocketWindow *self = DOCKET_WINDOW (widget);
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  if (!docket_sync_get_signed_in (self->sync))
    return;

  if (g_strcmp0 (page, "search") != 0)
    {
      /* Only the stack's own names, which live as long as the window. */
      if (g_strcmp0 (page, "document") == 0)
        self->search_return_page = "document";
      else if (g_strcmp0 (page, "meeting") == 0)
        self->search_return_page = "meeting";
      else
        self->search_return_page = "meetings";
      docket_window_show_page (self, "search");
    }
  docket_search_page_focus_entry (self->search_page);
}

static void
docket_window_open_result_document (DocketWindow       *self,
                                    DocketSearchResult *result)
{
  DocketDocument *document = docket_agenda_find_document (self->agenda,
                                                          docket_search_result_get_document_id (result));

  if (document == NULL)
    {
      adw_toast_overlay_add_toast (self->toast_overlay,
                                   adw_toast_new (_("This document is no longer in the meeting.")));
      return;
    }

  g_set_object (&self->document, document);
  /* At the page of the hit, its words highlighted by find in document. */
  docket_document_view_open_document (self->document_view, document,
                                      (int) docket_search_result_get_page (result),
                                      docket_search_result_get_match_text (result));
  docket_window_show_page (self, "document");
}

static void
on_pending_agenda_loaded (DocketWindow *self)
{
  g_autoptr(DocketSearchResult) result = g_steal_pointer (&self->pending_result);

  if (!docket_agenda_get_loaded (self->agenda))
    {
      self->pending_result = g_steal_pointer (&result);
      return;
    }

  g_clear_signal_handler (&self->pending_loaded_id, self->agenda);
  if (result != NULL)
    docket_window_open_result_document (self, result);
}

static void
on_search_result_activated (DocketWindow       *self,
                            DocketSearchResult *result)
{
  if (!docket_window_open_search_result (self, result))
    adw_toast_overlay_add_toast (self->toast_overlay,
                                 adw_toast_new (_("This meeting is no longer available.")));
}

/* Signing out */

/* The sign-out was refused (the official's changes were not sent, or the cache could
 * not be read): nothing was removed, and the official is told why. */
static void
present_sign_out_refused (DocketWindow *self,
                          const GError *error)
{
  AdwMessageDialog *dialog;
  const char *heading = g_error_matches (error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_UNSENT)
                        ? _("Changes Not Sent") : _("Could Not Sign Out");

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading, error->message));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  adw_message_dialog_set_default_response (dialog, "close");
  adw_message_dialog_set_close_response (dialog, "close");
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_signed_out (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(DocketWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!docket_sync_sign_out_finish (DOCKET_SYNC (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Still signed in (changes not sent, the cache unreadable): nothing was removed. */
      if (docket_sync_get_signed_in (self->sync))
        {
          present_sign_out_refused (self, error);
          return;
        }
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
    }

  docket_window_show_sign_in (self, NULL);
}

static void
sign_out (DocketWindow       *self,
          DocketSignOutFlags  flags)
{
  docket_sync_sign_out_full_async (self->sync, flags, self->cancellable, on_signed_out,
                                   g_object_ref (self));
}

static void
on_sign_out_response (AdwMessageDialog *dialog,
                      const char       *response,
                      DocketWindow     *self)
{
  /* Nothing to send, as far as we knew: if a change came meanwhile, the engine sends it
   * first and refuses if it cannot. */
  if (g_strcmp0 (response, "sign-out") == 0)
    sign_out (self, DOCKET_SIGN_OUT_KEEP_UNSENT);
}

static void
on_unsent_response (AdwMessageDialog *dialog,
                    const char       *response,
                    DocketWindow     *self)
{
  if (g_strcmp0 (response, "send") == 0)
    {
      /* Sends them, then signs out only if none is left (else says what failed). */
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Sending your changes…")));
      sign_out (self, DOCKET_SIGN_OUT_KEEP_UNSENT);
    }
  else if (g_strcmp0 (response, "discard") == 0)
    /* The one path that deletes them, after this explicit choice. */
    sign_out (self, DOCKET_SIGN_OUT_DISCARD_UNSENT);
}

static void
present_sign_out (DocketWindow *self)
{
  AdwMessageDialog *dialog;
  g_autofree char *body = NULL;

  /* Changes the server refused cannot be sent, but they are the official's: said here,
   * before they go with the rest. */
  if (self->n_kept > 0)
    body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "The meetings and documents kept on this computer will be removed, and so will %u change of yours that the server did not accept, which is only on this computer.",
                                         "The meetings and documents kept on this computer will be removed, and so will %u changes of yours that the server did not accept, which are only on this computer.",
                                         self->n_kept),
                            self->n_kept);
  else
    body = g_strdup (_("The meetings and documents kept on this computer will be removed. You can sign in again to download them."));

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Sign Out?"), body));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "sign-out", _("_Sign Out"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "sign-out", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_sign_out_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Changes wait to be sent: the official decides what becomes of them. */
static void
present_sign_out_unsent (DocketWindow *self,
                         guint         n_unsent)
{
  AdwMessageDialog *dialog;
  g_autofree char *heading = NULL;

  /* Translators: the heading of the dialog shown when signing out with changes not sent */
  heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Change Not Yet Sent",
                                          "%u Changes Not Yet Sent", n_unsent),
                             n_unsent);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading,
                                                       g_dngettext (GETTEXT_PACKAGE,
                                                                    "An annotation or note you made is saved on this computer, but the server does not have it yet. Signing out removes it, with the meetings and documents kept here.",
                                                                    "Annotations and notes you made are saved on this computer, but the server does not have them yet. Signing out removes them, with the meetings and documents kept here.",
                                                                    n_unsent)));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "discard", _("Sign Out _Anyway"),
                                    "send", _("_Send Them First"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (dialog, "send", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "send");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_unsent_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

typedef struct {
  DocketWindow *window;
  guint         serial;
} UnsentCount;

static void
on_unsent_counted (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  UnsentCount *count = user_data;
  g_autoptr(DocketWindow) self = count->window;
  g_autoptr(GError) error = NULL;
  guint n_unsent = 0;
  guint n_kept = 0;
  gboolean ok = docket_store_count_outbox_finish (DOCKET_STORE (source), result, &n_unsent, &n_kept,
                                                  &error);
  guint serial = count->serial;

  g_free (count);
  if (!ok)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not count the changes not yet sent: %s", error->message);
      return;
    }
  if (serial == self->unsent_serial)
    {
      self->n_unsent = n_unsent;
      self->n_kept = n_kept;
    }
}

/* Kept up to date in the background, so that signing out asks at once (and the
 * engine still refuses to lose a change that came after the count). */
static void
count_unsent (DocketWindow *self)
{
  UnsentCount *count = g_new0 (UnsentCount, 1);

  count->window = g_object_ref (self);
  count->serial = ++self->unsent_serial;
  docket_store_count_outbox_async (self->store, self->cancellable, on_unsent_counted, count);
}

/* The server refused one of the official's changes for good (docket-store.h,
 * "outbox-refused"): what they did stays on this computer, and they are told so once,
 * however many changes a sync brings back. */
/* Why the server refused, in the official's words: the server's own text is for the
 * log (docket-store.h keeps it with the refused operation). */
static const char *
explain_refusal (guint status)
{
  switch (status)
    {
    case 403:
      return _("you may not change it");
    case 404:
      return _("its document is no longer available to you");
    case 413:
      return _("it is too large");
    default:
      return _("the server found it invalid");
    }
}

static char *
describe_refusal (DocketOutboxKind kind,
                  guint            status,
                  gboolean         gone)
{
  const char *why = explain_refusal (status);

  if (gone)
    return g_strdup (_("An annotation you changed had been deleted on another computer; it is removed here too."));
  switch (kind)
    {
    case DOCKET_OUTBOX_DELETE_ANNOTATION:
      /* Translators: %s says why, e.g. "you may not change it" */
      return g_strdup_printf (_("The server did not accept deleting an annotation: %s."), why);
    case DOCKET_OUTBOX_PUT_NOTE:
      /* Translators: %s says why, e.g. "its document is no longer available to you" */
      return g_strdup_printf (_("The server did not accept a personal note: %s. It is kept on this computer only."), why);
    case DOCKET_OUTBOX_PUT_ANNOTATION:
    default:
      /* Translators: %s says why, e.g. "its document is no longer available to you" */
      return g_strdup_printf (_("The server did not accept an annotation: %s. It is kept on this computer only."), why);
    }
}

static void
forget_refusal_toast (DocketWindow *self)
{
  if (self->refusal_toast != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->refusal_toast), (gpointer *) &self->refusal_toast);
  self->refusal_toast = NULL;
}

static void
on_outbox_refused (DocketWindow *self,
                   int           kind,
                   guint         status,
                   const char   *reason,
                   gboolean      gone,
                   DocketStore  *store)
{
  g_autofree char *title = NULL;

  self->n_refused = self->refusal_toast != NULL ? self->n_refused + 1 : 1;
  if (self->n_refused == 1)
    title = describe_refusal (kind, status, gone);
  else
    title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                          "The server did not accept %u of your changes. They are kept on this computer only.",
                                          "The server did not accept %u of your changes. They are kept on this computer only.",
                                          self->n_refused),
                             self->n_refused);

  if (self->refusal_toast != NULL)
    {
      adw_toast_set_title (self->refusal_toast, title);
      return;
    }
  self->refusal_toast = adw_toast_new (title);
  adw_toast_set_timeout (self->refusal_toast, 10);
  g_object_add_weak_pointer (G_OBJECT (self->refusal_toast), (gpointer *) &self->refusal_toast);
  /* Gone from the screen: the next refusal starts a toast of its own. */
  g_signal_connect_object (self->refusal_toast, "dismissed", G_CALLBACK (forget_refusal_toast), self,
                           G_CONNECT_SWAPPED);
  adw_toast_overlay_add_toast (self->toast_overlay, self->refusal_toast);
}

/* The menu's way to the annotator's export (annot.export, also on the annotation
 * toolbar): a copy of the open document with the official's annotations. */
static void
export_annotations_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  DocketWindow *self = DOCKET_WINDOW (widget);

  gtk_widget_activate_action (GTK_WIDGET (self->document_view), "annot.export", NULL);
}

static void
sign_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  DocketWindow *self = DOCKET_WINDOW (widget);

  if (self->n_unsent > 0)
    present_sign_out_unsent (self, self->n_unsent);
  else
    present_sign_out (self);
}

static void
docket_window_restore_size (DocketWindow *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_ID, TRUE);
  if (schema == NULL)
    {
      /* Run from the build folder without GSETTINGS_SCHEMA_DIR: nothing to remember
       * the size in, which is no reason to fail. */
      g_debug ("GSettings schema %s is not installed; the window size is not remembered", APP_ID);
      return;
    }

  self->settings = g_settings_new (APP_ID);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static gboolean
docket_window_close_request (GtkWindow *window)
{
  DocketWindow *self = DOCKET_WINDOW (window);

  if (self->settings != NULL)
    {
      int width, height;

      /* The unmaximized size, so that unmaximizing next time goes back to it. */
      gtk_window_get_default_size (window, &width, &height);
      g_settings_delay (self->settings);
      g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
      if (width > 0 && height > 0)
        {
          g_settings_set_int (self->settings, "window-width", width);
          g_settings_set_int (self->settings, "window-height", height);
        }
      g_settings_apply (self->settings);
    }

  return GTK_WINDOW_CLASS (docket_window_parent_class)->close_request (window);
}

static void
docket_window_constructed (GObject *object)
{
  DocketWindow *self = DOCKET_WINDOW (object);

  G_OBJECT_CLASS (docket_window_parent_class)->constructed (object);

  g_assert (DOCKET_IS_STORE (self->store));
  g_assert (DOCKET_IS_SYNC (self->sync));

  docket_sign_in_page_set_sync (self->sign_in_page, self->sync);
  docket_search_page_set_store (self->search_page, self->store);
  {
    g_autoptr(DocketReaderMemory) memory = docket_reader_memory_new (self->store);
    docket_document_view_set_reader_memory (self->document_view, memory);
  }
  docket_window_live_constructed (self);
  /* The official's annotations live in the store (docket-annotator.h). */
  docket_annotator_set_store (docket_document_view_get_annotator (self->document_view), self->store);
  /* Changes of the official's that the server refused: they are told (a toast). */
  g_signal_connect_object (self->store, "outbox-refused", G_CALLBACK (on_outbox_refused), self,
                           G_CONNECT_SWAPPED);
  /* Changes not yet sent, which signing out asks about: saved ("outbox-changed"), or
   * sent or dropped (a commit, "changed"). */
  g_signal_connect_object (self->store, "outbox-changed", G_CALLBACK (count_unsent), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "changed", G_CALLBACK (count_unsent), self,
                           G_CONNECT_SWAPPED);
  count_unsent (self);
  /* A document that has finished loading can be exported (win.export-annotations). */
  g_signal_connect_object (self->document_view, "notify::state", G_CALLBACK (docket_window_update_header),
                           self, G_CONNECT_SWAPPED);
  docket_sync_indicator_set_sync (self->sync_indicator, self->sync);
  self->signed_in_id = g_signal_connect_swapped (self->sync, "notify::signed-in",
                                                 G_CALLBACK (on_signed_in_changed), self);

  docket_window_restore_size (self);

  if (docket_sync_get_signed_in (self->sync))
    docket_window_show_signed_in (self);
  else
    docket_window_show_sign_in (self, NULL);
}

static void
docket_window_dispose (GObject *object)
{
  DocketWindow *self = DOCKET_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  forget_refusal_toast (self);
  if (self->sync != NULL)
    g_clear_signal_handler (&self->signed_in_id, self->sync);
  /* The window unparents its content itself: drop it before the template's children go. */
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (self), NULL);
  docket_window_forget_pending_result (self);
  docket_window_live_dispose_presenter (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), DOCKET_TYPE_WINDOW);
  g_clear_object (&self->document);
  /* Their loads may still answer: nothing of them reaches a window that is gone. */
  docket_window_live_forget (self);
  g_clear_object (&self->agenda);
  g_clear_object (&self->meeting);
  g_clear_object (&self->meetings);
  g_clear_object (&self->settings);
  g_clear_object (&self->sync);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (docket_window_parent_class)->dispose (object);
}

static void
docket_window_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  DocketWindow *self = DOCKET_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SYNC:
      g_value_set_object (value, self->sync);
      break;
    case PROP_FOLLOWING:
      g_value_set_boolean (value, self->following);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_window_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  DocketWindow *self = DOCKET_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_SYNC:
      self->sync = g_value_dup_object (value);
      break;
    case PROP_FOLLOWING:
      docket_window_set_following (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_window_class_init (DocketWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  docket_ensure_resources ();

  object_class->constructed = docket_window_constructed;
  object_class->dispose = docket_window_dispose;
  object_class->get_property = docket_window_get_property;
  object_class->set_property = docket_window_set_property;
  window_class->close_request = docket_window_close_request;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, DOCKET_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SYNC] =
    g_param_spec_object ("sync", NULL, NULL, DOCKET_TYPE_SYNC,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Per window, off at first: win.follow-presentation, the live bar's toggle. */
  properties[PROP_FOLLOWING] =
    g_param_spec_boolean ("following", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The template names these types: make sure they are registered. */
  g_type_ensure (DOCKET_TYPE_SYNC_INDICATOR);
  g_type_ensure (DOCKET_TYPE_LIVE_INDICATOR);
  g_type_ensure (DOCKET_TYPE_SIGN_IN_PAGE);
  g_type_ensure (DOCKET_TYPE_MEETING_LIST_PAGE);
  g_type_ensure (DOCKET_TYPE_MEETING_PAGE);
  g_type_ensure (DOCKET_TYPE_DOCUMENT_VIEW);
  g_type_ensure (DOCKET_TYPE_SEARCH_PAGE);
  g_type_ensure (DOCKET_TYPE_CHAIR_CONSOLE);

  gtk_widget_class_set_template_from_resource (widget_class, DOCKET_RESOURCE_PREFIX "/ui/docket-window.ui");
  gtk_widget_class_bind_template_child (widget_class, DocketWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, DocketWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, DocketWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, DocketWindow, refresh_button);
  gtk_widget_class_bind_template_child (widget_class, DocketWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, DocketWindow, sync_indicator);
  gtk_widget_class_bind_template_child (widget_class, DocketWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, DocketWindow, sign_in_page);
  gtk_widget_class_bind_template_child (widget_class, DocketWindow, meeting_list_page);
  gtk_widget_class_bind_template_child (widget_class, DocketWindow, meeting_page);
  gtk_widget_class_bind_template_child (widget_class, DocketWindow, document_view);
  gtk_widget_class_bind_template_child (widget_class, DocketWindow, search_page);
  gtk_widget_class_bind_template_child (widget_class, DocketWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, DocketWindow, following_button);
  gtk_widget_class_bind_template_child (widget_class, DocketWindow, console);
  gtk_widget_class_bind_template_child (widget_class, DocketWindow, presenting_button);
  gtk_widget_class_bind_template_callback (widget_class, on_search_result_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_signed_in);
  gtk_widget_class_bind_template_callback (widget_class, on_meeting_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_document_activated);

  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "win.sign-out", NULL, sign_out_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.export-annotations", NULL, export_annotations_action);
  docket_window_live_class_init (widget_class);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Back, 0, "win.back", NULL);
  /* Ctrl+F is find in the open document; Ctrl+Shift+F searches them all. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.search", NULL);
}

static void
docket_window_init (DocketWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  docket_ensure_style ();
  self->cancellable = g_cancellable_new ();
}

DocketWindow *
docket_window_new (GtkApplication *application,
                   DocketStore    *store,
                   DocketSync     *sync)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (DOCKET_IS_STORE (store), NULL);
  g_return_val_if_fail (DOCKET_IS_SYNC (sync), NULL);

  return g_object_new (DOCKET_TYPE_WINDOW,
                       "application", application,
                       "store", store,
                       "sync", sync,
                       NULL);
}

DocketStore *
docket_window_get_store (DocketWindow *self)
{
  g_return_val_if_fail (DOCKET_IS_WINDOW (self), NULL);
  return self->store;
}

DocketSync *
docket_window_get_sync (DocketWindow *self)
{
  g_return_val_if_fail (DOCKET_IS_WINDOW (self), NULL);
  return self->sync;
}

const char *
docket_window_get_page_name (DocketWindow *self)
{
  g_return_val_if_fail (DOCKET_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

gboolean
docket_window_open_meeting (DocketWindow *self,
                            const char   *meeting_id)
{
  DocketMeeting *meeting;

  g_return_val_if_fail (DOCKET_IS_WINDOW (self), FALSE);

  if (self->meetings == NULL ||
      (meeting = docket_meeting_list_find (self->meetings, meeting_id)) == NULL)
    return FALSE;

  docket_window_close_meeting (self);
  self->meeting = g_object_ref (meeting);
  self->agenda = docket_agenda_new (self->store, meeting_id);
  docket_agenda_set_sync (self->agenda, self->sync);
  docket_meeting_page_set_meeting (self->meeting_page, self->meeting, self->agenda);
  docket_window_live_open (self, meeting_id);
  docket_window_show_page (self, "meeting");

  return TRUE;
}

gboolean
docket_window_open_document (DocketWindow *self,
                             const char   *document_id)
{
  DocketDocument *document;

  g_return_val_if_fail (DOCKET_IS_WINDOW (self), FALSE);

  if (self->agenda == NULL ||
      (document = docket_agenda_find_document (self->agenda, document_id)) == NULL)
    return FALSE;

  g_set_object (&self->document, document);
  self->from_console = FALSE;
  /* Where the official left it. */
  docket_document_view_open_document (self->document_view, document, -1, NULL);
  docket_window_show_page (self, "document");

  return TRUE;
}

GtkWidget *
docket_window_get_meeting_list_page (DocketWindow *self)
{
  g_return_val_if_fail (DOCKET_IS_WINDOW (self), NULL);
  return GTK_WIDGET (self->meeting_list_page);
}

gboolean
docket_window_open_search_result (DocketWindow       *self,
                                  DocketSearchResult *result)
{
  const char *meeting_id;

  g_return_val_if_fail (DOCKET_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (DOCKET_IS_SEARCH_RESULT (result), FALSE);

  meeting_id = docket_search_result_get_meeting_id (result);
  if (self->meeting == NULL || self->agenda == NULL ||
      g_strcmp0 (docket_meeting_get_id (self->meeting), meeting_id) != 0)
    {
      if (!docket_window_open_meeting (self, meeting_id))
        return FALSE;
    }

  docket_window_forget_pending_result (self);
  if (docket_agenda_get_loaded (self->agenda))
    docket_window_open_result_document (self, result);
  else
    {
      /* The agenda loads in a worker thread: open the document when it is there. */
      self->pending_result = g_object_ref (result);
      self->pending_loaded_id = g_signal_connect_swapped (self->agenda, "notify::loaded",
                                                          G_CALLBACK (on_pending_agenda_loaded), self);
    }

  return TRUE;
}
