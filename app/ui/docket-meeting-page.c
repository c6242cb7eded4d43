/* docket-meeting-page.c: one meeting, its details and its agenda tree */

#include "config.h"

#include <glib/gi18n.h>

#include "docket-meeting-page.h"
#include "docket-accessible.h"
#include "docket-agenda-row.h"
#include "docket-live-bar.h"
#include "docket-window.h"

struct _DocketMeetingPage
{
  AdwBin             parent_instance;

  /* Template widgets */
  GtkWidget         *page_box;
  GtkWidget         *live_clamp;
  DocketLiveBar     *live_bar;
  GtkScrolledWindow *scrolled_window;
  GtkLabel          *organ_label;
  GtkLabel          *title_label;
  GtkLabel          *when_label;
  GtkWidget         *location_box;
  GtkLabel          *location_label;
  GtkButton         *console_button;
  GtkStack          *agenda_stack;
  GtkListView       *agenda_view;
  AdwStatusPage     *agenda_error_page;
  GtkButton         *agenda_retry_button;
  GtkWidget         *download_box;
  GtkLabel          *download_label;
  GtkProgressBar    *download_progress;
  GtkButton         *offline_first_button;

  /* Owned */
  DocketMeeting     *meeting;
  DocketAgenda      *agenda;
  GtkTreeListModel  *tree;
  gulong             meeting_notify_id;
  gulong             root_changed_id;
  GPtrArray         *watched_notes;   /* DocketNote*: the notes handed to rows, watched for errors */
  AdwToast          *note_toast;      /* weak: the toast telling of a note not saved */
  DocketMeetingLive *live;            /* where the meeting stands while it is held */
  char              *current_item_id; /* the live model's, marked in the agenda */
  DocketStore       *store;           /* the window's, for its capabilities, while live is set */
  GPtrArray         *bound_rows;      /* DocketAgendaRow* (not owned): those showing an item */
};

G_DEFINE_FINAL_TYPE (DocketMeetingPage, docket_meeting_page, ADW_TYPE_BIN)

enum {
  DOCUMENT_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GListModel *
create_children (gpointer item,
                 gpointer user_data)
{
  GListStore *children;

  if (!DOCKET_IS_AGENDA_ITEM (item))
    return NULL;
  children = docket_agenda_item_get_children (item);
  if (g_list_model_get_n_items (G_LIST_MODEL (children)) == 0)
    return NULL;
  return g_object_ref (G_LIST_MODEL (children));
}

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           gpointer                  user_data)
{
  GtkWidget *expander = gtk_tree_expander_new ();

  /* Rows without children line up with their siblings that have an arrow. */
  gtk_tree_expander_set_indent_for_icon (GTK_TREE_EXPANDER (expander), TRUE);

  gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), docket_agenda_row_new ());
  gtk_list_item_set_child (list_item, expander);
}

/* Notes not saved */

/* What the official reads when a note could not be saved: that it was not, why, and
 * that nothing is to be typed again (the note keeps its text and tries again). */
static char *
describe_unsaved_note (const GError *error)
{
  if (g_error_matches (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_NO_SPACE))
    return g_strdup (_("Your note is not saved yet: the disk (or your share of it) is full. "
                       "Free some space; Docket keeps trying."));
  if (g_error_matches (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_READ_ONLY))
    return g_strdup (_("Your note is not saved yet: the profile folder is read-only. "
                       "Check its permissions; Docket keeps trying."));
  if (g_error_matches (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_BUSY))
    return g_strdup (_("Your note is not saved yet: another program is using Docket’s data. "
                       "Docket keeps trying."));
  /* Translators: %s says why, in a sentence of its own */
  return g_strdup_printf (_("Your note is not saved yet. %s"), error->message);
}

static void
dismiss_note_toast (DocketMeetingPage *self)
{
  AdwToast *toast = self->note_toast;

  g_clear_weak_pointer (&self->note_toast);
  if (toast != NULL)
    adw_toast_dismiss (toast);
}

/* A note whose save failed is told over the window, not only in its editor, which the
 * official may have closed: one toast while any note of the page is not saved. The page
 * watches the notes, not the rows' buttons, which a list view reuses for other items. */
static void
update_note_toast (DocketMeetingPage *self)
{
  const GError *error = NULL;
  g_autofree char *title = NULL;
  GtkWidget *overlay;

  for (guint i = 0; self->watched_notes != NULL && i < self->watched_notes->len && error == NULL; i++)
    {
      DocketNote *note = g_ptr_array_index (self->watched_notes, i);

      if (docket_note_get_dirty (note))
        error = docket_note_get_error (note);
    }

  if (error == NULL)
    {
      dismiss_note_toast (self);
      return;
    }
  if (self->note_toast != NULL)
    return;

  overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  if (overlay == NULL)
    return;
  title = describe_unsaved_note (error);
  self->note_toast = adw_toast_new (title);
  g_object_add_weak_pointer (G_OBJECT (self->note_toast), (gpointer *) &self->note_toast);
  adw_toast_set_timeout (self->note_toast, 0);
  adw_toast_set_priority (self->note_toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), self->note_toast);
}

static void
on_note_state (DocketMeetingPage *self)
{
  update_note_toast (self);
}

static void
watch_note (DocketMeetingPage *self,
            DocketNote        *note)
{
  if (note == NULL || g_ptr_array_find (self->watched_notes, note, NULL))
    return;
  g_ptr_array_add (self->watched_notes, g_object_ref (note));
  g_signal_connect_swapped (note, "notify::error", G_CALLBACK (on_note_state), self);
  g_signal_connect_swapped (note, "notify::dirty", G_CALLBACK (on_note_state), self);
}

static void
unwatch_notes (DocketMeetingPage *self)
{
  for (guint i = 0; self->watched_notes != NULL && i < self->watched_notes->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->watched_notes, i), self);
  if (self->watched_notes != NULL)
    g_ptr_array_set_size (self->watched_notes, 0);
  dismiss_note_toast (self);
}

static DocketNote *
note_for (DocketMeetingPage *self,
          GObject           *item)
{
  DocketNote *note = NULL;

  if (self->agenda == NULL)
    return NULL;
  if (DOCKET_IS_AGENDA_ITEM (item))
    note = docket_agenda_get_note (self->agenda, DOCKET_NOTE_TARGET_AGENDA_ITEM,
                                   docket_agenda_item_get_id (DOCKET_AGENDA_ITEM (item)));
  else if (DOCKET_IS_DOCUMENT (item))
    note = docket_agenda_get_note (self->agenda, DOCKET_NOTE_TARGET_DOCUMENT,
                                   docket_document_get_id (DOCKET_DOCUMENT (item)));
  watch_note (self, note);
  return note;
}

/* The live meeting */

static gboolean
is_current_item (DocketMeetingPage *self,
                 GObject           *item)
{
  return self->current_item_id != NULL && DOCKET_IS_AGENDA_ITEM (item) &&
         g_strcmp0 (docket_agenda_item_get_id (DOCKET_AGENDA_ITEM (item)), self->current_item_id) == 0;
}

/* Whether a bound row shows the current item: its item is the expander's around it. */
static gboolean
row_is_current (DocketMeetingPage *self,
                DocketAgendaRow   *row)
{
  GtkWidget *expander = gtk_widget_get_parent (GTK_WIDGET (row));
  GtkTreeListRow *list_row;
  g_autoptr(GObject) item = NULL;

  if (!GTK_IS_TREE_EXPANDER (expander) ||
      (list_row = gtk_tree_expander_get_list_row (GTK_TREE_EXPANDER (expander))) == NULL)
    return FALSE;
  item = gtk_tree_list_row_get_item (list_row);
  return is_current_item (self, item);
}

static void
mark_current_item (DocketMeetingPage *self)
{
  const char *item_id = self->live != NULL ? docket_meeting_live_get_current_item_id (self->live) : NULL;

  if (g_strcmp0 (item_id, self->current_item_id) == 0)
    return;
  g_free (self->current_item_id);
  self->current_item_id = g_strdup (item_id);

  for (guint i = 0; i < self->bound_rows->len; i++)
    {
      DocketAgendaRow *row = g_ptr_array_index (self->bound_rows, i);

      docket_agenda_row_set_current (row, row_is_current (self, row));
    }
}

/* The live bar is shown for a published meeting, by a server that runs live meetings
 * (docs/protocol.md, GET /api/v1/info: the client checks before offering). */
static void
update_live_visibility (DocketMeetingPage *self)
{
  DocketStore *store = self->store;
  gboolean shown;

  shown = self->live != NULL && docket_meeting_live_get_loaded (self->live) && store != NULL && self->meeting != NULL &&
          docket_meeting_get_status (self->meeting) == DOCKET_MEETING_STATUS_PUBLISHED &&
          docket_store_runs_live_meetings (store);
  gtk_widget_set_visible (self->live_clamp, shown);
  /* The way into the chair's console (win.open-console), for who runs the meeting. */
  gtk_widget_set_visible (GTK_WIDGET (self->console_button),
                          shown && docket_meeting_live_get_can_run (self->live));
}

static void
on_live_notify (DocketMeetingPage *self,
                GParamSpec        *pspec)
{
  if (g_str_equal (pspec->name, "current-item-id"))
    mark_current_item (self);
  else if (g_str_equal (pspec->name, "loaded") || g_str_equal (pspec->name, "can-run"))
    update_live_visibility (self);
}

/* "Now: 2. ..." in the live bar: the current item brought into view and focused. */
static void
show_current_item_activated (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  DocketMeetingPage *self = DOCKET_MEETING_PAGE (widget);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scrolled_window);
  GtkWidget *viewport = gtk_scrolled_window_get_child (self->scrolled_window);

  for (guint i = 0; i < self->bound_rows->len; i++)
    {
      DocketAgendaRow *row = g_ptr_array_index (self->bound_rows, i);
      GtkWidget *list_row;
      graphene_point_t point;

      if (!row_is_current (self, row))
        continue;
      /* The agenda is laid out whole (it does not scroll itself): the row's place in the
       * scrolled content is where to scroll. */
      if (gtk_widget_compute_point (GTK_WIDGET (row), viewport, &GRAPHENE_POINT_INIT (0, 0), &point))
        gtk_adjustment_clamp_page (adjustment,
                                   gtk_adjustment_get_value (adjustment) + point.y,
                                   gtk_adjustment_get_value (adjustment) + point.y +
                                   gtk_widget_get_height (GTK_WIDGET (row)));
      /* The list's own row (around the expander) takes the focus, as Tab would give it. */
      list_row = gtk_widget_get_parent (gtk_widget_get_parent (GTK_WIDGET (row)));
      if (list_row != NULL)
        gtk_widget_grab_focus (list_row);
      return;
    }
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          gpointer                  user_data)
{
  DocketMeetingPage *self = user_data;
  GtkTreeListRow *row = gtk_list_item_get_item (list_item);
  GtkTreeExpander *expander = GTK_TREE_EXPANDER (gtk_list_item_get_child (list_item));
  GObject *item = gtk_tree_list_row_get_item (row);
  DocketAgendaRow *agenda_row = DOCKET_AGENDA_ROW (gtk_tree_expander_get_child (expander));

  gtk_tree_expander_set_list_row (expander, row);
  docket_agenda_row_set_item (agenda_row, item);
  docket_agenda_row_set_note (agenda_row, note_for (self, item));
  docket_agenda_row_set_current (agenda_row, is_current_item (self, item));
  g_ptr_array_add (self->bound_rows, agenda_row);
  /* Items are headings; only documents open something. */
  gtk_list_item_set_activatable (list_item, DOCKET_IS_DOCUMENT (item));
  g_object_unref (item);
}

static void
unbind_row (GtkSignalListItemFactory *factory,
            GtkListItem              *list_item,
            gpointer                  user_data)
{
  DocketMeetingPage *self = user_data;
  GtkTreeExpander *expander = GTK_TREE_EXPANDER (gtk_list_item_get_child (list_item));

  g_ptr_array_remove_fast (self->bound_rows, gtk_tree_expander_get_child (expander));
  docket_agenda_row_set_current (DOCKET_AGENDA_ROW (gtk_tree_expander_get_child (expander)), FALSE);
  gtk_tree_expander_set_list_row (expander, NULL);
  docket_agenda_row_set_item (DOCKET_AGENDA_ROW (gtk_tree_expander_get_child (expander)), NULL);
  docket_agenda_row_set_note (DOCKET_AGENDA_ROW (gtk_tree_expander_get_child (expander)), NULL);
}

static void
on_agenda_activate (DocketMeetingPage *self,
                    guint              position)
{
  g_autoptr(GtkTreeListRow) row = NULL;
  g_autoptr(GObject) item = NULL;

  if (self->tree == NULL)
    return;
  row = g_list_model_get_item (G_LIST_MODEL (self->tree), position);
  if (row == NULL)
    return;
  item = gtk_tree_list_row_get_item (row);
  if (DOCKET_IS_DOCUMENT (item))
    g_signal_emit (self, signals[DOCUMENT_ACTIVATED], 0, item);
}

static void
docket_meeting_page_update_agenda_state (DocketMeetingPage *self)
{
  gboolean empty = self->agenda != NULL && docket_agenda_get_loaded (self->agenda) &&
                   g_list_model_get_n_items (docket_agenda_get_root (self->agenda)) == 0;
  const GError *error = self->agenda != NULL ? docket_agenda_get_error (self->agenda) : NULL;

  /* An agenda that could not be read is not an unpublished one: say so, and offer Retry. */
  if (error != NULL)
    {
      adw_status_page_set_description (self->agenda_error_page, error->message);
      gtk_stack_set_visible_child_name (self->agenda_stack, "error");
      return;
    }

  gtk_stack_set_visible_child_name (self->agenda_stack, empty ? "empty" : "list");
}

/* Whether the documents are all here, arriving, or missing, and the way to ask for them
 * first. */
static void
docket_meeting_page_update_downloads (DocketMeetingPage *self)
{
  DocketMeeting *meeting = self->meeting;
  guint n_documents = docket_meeting_get_n_documents (meeting);
  guint n_offline = docket_meeting_get_n_documents_offline (meeting);
  guint n_downloading = docket_meeting_get_n_downloading (meeting);
  guint n_waiting = docket_meeting_get_n_waiting (meeting);
  guint n_failed = docket_meeting_get_n_failed (meeting);
  g_autofree char *text = NULL;

  gtk_widget_set_visible (self->download_box, n_documents > 0 && n_offline < n_documents);
  gtk_widget_set_visible (GTK_WIDGET (self->download_progress), n_downloading > 0);
  gtk_progress_bar_set_fraction (self->download_progress,
                                 docket_meeting_get_download_fraction (meeting));

  if (n_downloading > 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Downloading %u document…",
                                         "Downloading %u documents…", n_downloading + n_waiting),
                            n_downloading + n_waiting);
  else if (n_waiting > 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u document waiting to download",
                                         "%u documents waiting to download",
                                         n_waiting),
                            n_waiting);
  else if (n_failed > 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u document could not be downloaded. Retry it below.",
                                         "%u documents could not be downloaded. Retry them below.",
                                         n_failed),
                            n_failed);
  else
    /* Translators: "3 of 5 documents available offline" */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u of %u document available offline",
                                         "%u of %u documents available offline",
                                         n_documents),
                            n_offline, n_documents);
  gtk_label_set_label (self->download_label, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->download_progress),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
}

/* Actions: the sync engine is the window's. */
static DocketSync *
find_sync (GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);

  return DOCKET_IS_WINDOW (root) ? docket_window_get_sync (DOCKET_WINDOW (root)) : NULL;
}

static void
offline_first_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  DocketMeetingPage *self = DOCKET_MEETING_PAGE (widget);
  DocketSync *sync = find_sync (widget);

  if (sync != NULL && self->meeting != NULL)
    docket_sync_make_available_first (sync, docket_meeting_get_id (self->meeting));
}

static void
retry_download_activated (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  DocketSync *sync = find_sync (widget);

  if (sync != NULL)
    docket_sync_retry_download (sync, g_variant_get_string (parameter, NULL));
}

static void
docket_meeting_page_update_details (DocketMeetingPage *self)
{
  g_autofree char *day = NULL;
  g_autofree char *range = NULL;
  g_autofree char *when = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  const char *location;

  if (self->meeting == NULL)
    return;

  day = docket_meeting_format_day (self->meeting, now);
  range = docket_meeting_format_time_range (self->meeting);
  /* Translators: when a meeting is held, "Tomorrow, 08:00 – 11:30 (Asia/Ho_Chi_Minh)". */
  when = g_strdup_printf (_("%s, %s (%s)"), day, range,
                          docket_meeting_get_time_zone_name (self->meeting));
  location = docket_meeting_get_location (self->meeting);

  gtk_label_set_label (self->organ_label, docket_meeting_get_organ (self->meeting));
  gtk_label_set_label (self->title_label, docket_meeting_get_title (self->meeting));
  gtk_label_set_label (self->when_label, when);
  gtk_label_set_label (self->location_label, location != NULL ? location : "");
  gtk_widget_set_visible (self->location_box, location != NULL && location[0] != '\0');

  docket_meeting_page_update_downloads (self);
  update_live_visibility (self);
}

static void
docket_meeting_page_clear (DocketMeetingPage *self)
{
  unwatch_notes (self);
  if (self->meeting != NULL)
    g_clear_signal_handler (&self->meeting_notify_id, self->meeting);
  if (self->agenda != NULL)
    {
      g_clear_signal_handler (&self->root_changed_id, docket_agenda_get_root (self->agenda));
      g_signal_handlers_disconnect_by_data (self->agenda, self);
    }
  if (self->agenda_view != NULL)
    gtk_list_view_set_model (self->agenda_view, NULL);
  g_clear_object (&self->tree);
  g_clear_object (&self->agenda);
  g_clear_object (&self->meeting);
}

static void
docket_meeting_page_dispose (GObject *object)
{
  DocketMeetingPage *self = DOCKET_MEETING_PAGE (object);

  docket_meeting_page_set_live (self, NULL);
  docket_meeting_page_clear (self);
  g_clear_pointer (&self->watched_notes, g_ptr_array_unref);
  g_clear_pointer (&self->current_item_id, g_free);
  g_clear_pointer (&self->bound_rows, g_ptr_array_unref);
  /* AdwBin unparents its child itself: drop it before the template's children go. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), DOCKET_TYPE_MEETING_PAGE);

  G_OBJECT_CLASS (docket_meeting_page_parent_class)->dispose (object);
}

/* Retry on the status page of an agenda that could not be read: read it again. */
static void
retry_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  DocketMeetingPage *self = DOCKET_MEETING_PAGE (widget);

  if (self->agenda != NULL)
    docket_agenda_reload (self->agenda);
}

static void
docket_meeting_page_class_init (DocketMeetingPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = docket_meeting_page_dispose;

  signals[DOCUMENT_ACTIVATED] =
    g_signal_new ("document-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, DOCKET_TYPE_DOCUMENT);

  gtk_widget_class_set_template_from_resource (widget_class, DOCKET_RESOURCE_PREFIX "/ui/docket-meeting-page.ui");
  g_type_ensure (DOCKET_TYPE_LIVE_BAR);
  gtk_widget_class_bind_template_child (widget_class, DocketMeetingPage, page_box);
  gtk_widget_class_bind_template_child (widget_class, DocketMeetingPage, live_clamp);
  gtk_widget_class_bind_template_child (widget_class, DocketMeetingPage, live_bar);
  gtk_widget_class_bind_template_child (widget_class, DocketMeetingPage, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, DocketMeetingPage, organ_label);
  gtk_widget_class_bind_template_child (widget_class, DocketMeetingPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, DocketMeetingPage, when_label);
  gtk_widget_class_bind_template_child (widget_class, DocketMeetingPage, location_box);
  gtk_widget_class_bind_template_child (widget_class, DocketMeetingPage, location_label);
  gtk_widget_class_bind_template_child (widget_class, DocketMeetingPage, console_button);
  gtk_widget_class_bind_template_child (widget_class, DocketMeetingPage, agenda_stack);
  gtk_widget_class_bind_template_child (widget_class, DocketMeetingPage, agenda_view);
  gtk_widget_class_bind_template_child (widget_class, DocketMeetingPage, agenda_error_page);
  gtk_widget_class_bind_template_child (widget_class, DocketMeetingPage, agenda_retry_button);
  gtk_widget_class_install_action (widget_class, "meeting.retry", NULL, retry_activated);
  gtk_widget_class_install_action (widget_class, "meeting.show-current-item", NULL,
                                   show_current_item_activated);
  gtk_widget_class_bind_template_child (widget_class, DocketMeetingPage, download_box);
  gtk_widget_class_bind_template_child (widget_class, DocketMeetingPage, download_label);
  gtk_widget_class_bind_template_child (widget_class, DocketMeetingPage, download_progress);
  gtk_widget_class_bind_template_child (widget_class, DocketMeetingPage, offline_first_button);
  gtk_widget_class_install_action (widget_class, "meeting.offline-first", NULL, offline_first_activated);
  gtk_widget_class_install_action (widget_class, "meeting.retry-download", "s", retry_download_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_agenda_activate);
}

static void
docket_meeting_page_init (DocketMeetingPage *self)
{
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->watched_notes = g_ptr_array_new_with_free_func (g_object_unref);
  self->bound_rows = g_ptr_array_new ();
  docket_accessible_name_button_by_text (self->offline_first_button);
  docket_accessible_name_button_by_text (self->agenda_retry_button);
  docket_accessible_name_button_by_text (self->console_button);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row), self);
  gtk_list_view_set_factory (self->agenda_view, factory);
  g_object_unref (factory);
}

void
docket_meeting_page_set_meeting (DocketMeetingPage *self,
                                 DocketMeeting     *meeting,
                                 DocketAgenda      *agenda)
{
  GtkNoSelection *selection;

  g_return_if_fail (DOCKET_IS_MEETING_PAGE (self));
  g_return_if_fail (meeting == NULL || DOCKET_IS_MEETING (meeting));
  g_return_if_fail (agenda == NULL || DOCKET_IS_AGENDA (agenda));

  if (self->meeting == meeting && self->agenda == agenda)
    return;

  docket_meeting_page_clear (self);
  if (meeting == NULL || agenda == NULL)
    return;

  self->meeting = g_object_ref (meeting);
  self->agenda = g_object_ref (agenda);
  self->meeting_notify_id = g_signal_connect_swapped (meeting, "notify",
                                                      G_CALLBACK (docket_meeting_page_update_details), self);
  g_signal_connect_swapped (agenda, "notify::loaded",
                            G_CALLBACK (docket_meeting_page_update_agenda_state), self);
  g_signal_connect_swapped (agenda, "notify::error",
                            G_CALLBACK (docket_meeting_page_update_agenda_state), self);
  self->root_changed_id = g_signal_connect_swapped (docket_agenda_get_root (agenda), "items-changed",
                                                    G_CALLBACK (docket_meeting_page_update_agenda_state), self);

  /* Every item open: an agenda is read whole, and it is short. */
  self->tree = gtk_tree_list_model_new (g_object_ref (docket_agenda_get_root (agenda)),
                                        FALSE, TRUE, create_children, NULL, NULL);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->tree)));
  gtk_list_view_set_model (self->agenda_view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);

  docket_meeting_page_update_details (self);
  docket_meeting_page_update_agenda_state (self);
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scrolled_window), 0);
}

DocketMeeting *
docket_meeting_page_get_meeting (DocketMeetingPage *self)
{
  g_return_val_if_fail (DOCKET_IS_MEETING_PAGE (self), NULL);
  return self->meeting;
}

DocketAgenda *
docket_meeting_page_get_agenda (DocketMeetingPage *self)
{
  g_return_val_if_fail (DOCKET_IS_MEETING_PAGE (self), NULL);
  return self->agenda;
}

void
docket_meeting_page_set_live (DocketMeetingPage *self,
                              DocketMeetingLive *live)
{
  g_return_if_fail (DOCKET_IS_MEETING_PAGE (self));
  g_return_if_fail (live == NULL || DOCKET_IS_MEETING_LIVE (live));

  if (self->live == live)
    return;
  if (self->live != NULL)
    g_signal_handlers_disconnect_by_data (self->live, self);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  g_set_object (&self->live, live);
  if (live != NULL)
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

      g_signal_connect_swapped (live, "notify", G_CALLBACK (on_live_notify), self);
      /* The server's capabilities are not the live model's: the store says "changed"
       * when the live channel keeps them (docket_store_set_capabilities). */
      if (DOCKET_IS_WINDOW (root) && docket_window_get_store (DOCKET_WINDOW (root)) != NULL)
        {
          self->store = g_object_ref (docket_window_get_store (DOCKET_WINDOW (root)));
          g_signal_connect_swapped (self->store, "changed", G_CALLBACK (update_live_visibility), self);
        }
    }
  if (self->live_bar != NULL)
    docket_live_bar_set_live (self->live_bar, live, live != NULL ? self->agenda : NULL);
  mark_current_item (self);
  update_live_visibility (self);
}

DocketMeetingLive *
docket_meeting_page_get_live (DocketMeetingPage *self)
{
  g_return_val_if_fail (DOCKET_IS_MEETING_PAGE (self), NULL);
  return self->live;
}
