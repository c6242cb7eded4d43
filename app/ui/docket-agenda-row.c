/* docket-agenda-row.c: one row of the agenda tree, an agenda item or one of its documents */

#include "config.h"

#include <glib/gi18n.h>

#include "docket-agenda-row.h"
#include "docket-accessible.h"
#include "docket-agenda-item.h"
#include "docket-document.h"
#include "docket-personal-note-button.h"

struct _DocketAgendaRow
{
  GtkWidget  parent_instance;

  /* Template widgets */
  GtkWidget *box;
  GtkImage  *current_icon;
  GtkStack  *lead_stack;
  GtkLabel  *number_label;
  GtkLabel  *title_label;
  GtkLabel  *subtitle_label;
  DocketPersonalNoteButton *note_button;
  GtkStack  *status_stack;
  GtkImage  *status_icon;
  GtkProgressBar *progress_bar;
  GtkImage  *failed_icon;
  GtkButton *retry_button;

  /* Owned */
  GObject   *item;
  gulong     item_notify_id;
  gboolean   current;     /* the item the chair has made current */
};

G_DEFINE_FINAL_TYPE (DocketAgendaRow, docket_agenda_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CURRENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* What a screen reader says of an agenda item: "Item 2.1: Title", or only the title
 * when the secretary gave the item no number. */
static char *
describe_item (DocketAgendaItem *item)
{
  const char *number = docket_agenda_item_get_number (item);

  if (number[0] == '\0')
    return g_strdup (docket_agenda_item_get_title (item));
  /* Translators: an agenda item for screen readers, "Item 2.1: Title". */
  return g_strdup_printf (_("Item %s: %s"), number, docket_agenda_item_get_title (item));
}

static void
show_item (DocketAgendaRow  *self,
           DocketAgendaItem *item)
{
  const char *presenter = docket_agenda_item_get_presenter (item);
  const char *number = docket_agenda_item_get_number (item);
  g_autofree char *subtitle = NULL;
  g_autofree char *accessible = NULL;

  if (presenter[0] != '\0')
    /* Translators: who presents an agenda item. */
    subtitle = g_strdup_printf (_("Presented by %s"), presenter);

  /* No number, no number column: the title starts where its siblings' numbers do,
   * rather than after an empty gap. */
  gtk_stack_set_visible_child_name (self->lead_stack, "number");
  gtk_widget_set_visible (GTK_WIDGET (self->lead_stack), number[0] != '\0');
  gtk_label_set_label (self->number_label, number);
  gtk_label_set_label (self->title_label, docket_agenda_item_get_title (item));
  gtk_widget_add_css_class (GTK_WIDGET (self->title_label), "heading");
  gtk_label_set_label (self->subtitle_label, subtitle != NULL ? subtitle : "");
  gtk_widget_set_visible (GTK_WIDGET (self->subtitle_label), subtitle != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->status_stack), FALSE);

  accessible = describe_item (item);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, -1);
  docket_accessible_label_list_row (GTK_WIDGET (self), accessible);
}

/* Why a download failed, in a few words (the whole sentence is the tooltip). */
static const char *
download_failure_label (DocketSyncError reason)
{
  switch (reason)
    {
    case DOCKET_SYNC_ERROR_CHECKSUM:
      return _("Download failed: the file arrived damaged");
    case DOCKET_SYNC_ERROR_SERVER:
      return _("Download failed: server error");
    case DOCKET_SYNC_ERROR_STORE:
      return _("Download failed: could not be saved (is the disk full?)");
    case DOCKET_SYNC_ERROR_OFFLINE:
    case DOCKET_SYNC_ERROR_UNREACHABLE:
      return _("Download failed: offline");
    case DOCKET_SYNC_ERROR_SIGNED_OUT:
      return _("Download failed: signed out");
    case DOCKET_SYNC_ERROR_PROTOCOL:
    case DOCKET_SYNC_ERROR_TLS:
    case DOCKET_SYNC_ERROR_INVALID_CREDENTIALS:
    case DOCKET_SYNC_ERROR_TOO_MANY_ATTEMPTS:
    case DOCKET_SYNC_ERROR_SECRETS:
    default:
      return _("Download failed: the server's answer was refused");
    }
}

static void
show_document (DocketAgendaRow *self,
               DocketDocument  *document)
{
  g_autofree char *details = docket_document_format_details (document);
  g_autofree char *accessible = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *percent = NULL;
  gboolean offline = docket_document_get_offline (document);
  DocketDownloadState state = docket_document_get_download_state (document);
  const char *status;

  gtk_stack_set_visible_child_name (self->lead_stack, "icon");
  gtk_widget_set_visible (GTK_WIDGET (self->lead_stack), TRUE);
  gtk_label_set_label (self->title_label, docket_document_get_title (document));
  gtk_widget_remove_css_class (GTK_WIDGET (self->title_label), "heading");
  gtk_widget_set_visible (GTK_WIDGET (self->subtitle_label), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->status_stack), TRUE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_icon), "docket-offline-badge");

  if (offline)
    {
      status = _("Available offline");
      gtk_stack_set_visible_child_name (self->status_stack, "icon");
      gtk_image_set_from_icon_name (self->status_icon, "emblem-ok-symbolic");
      gtk_widget_add_css_class (GTK_WIDGET (self->status_icon), "docket-offline-badge");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_icon), status);
    }
  else if (state == DOCKET_DOWNLOAD_STATE_DOWNLOADING)
    {
      double fraction = docket_document_get_download_fraction (document);

      /* Translators: a document being downloaded, "Downloading, 40%". */
      percent = g_strdup_printf (_("Downloading, %d%%"), (int) (fraction * 100.0));
      status = percent;
      gtk_stack_set_visible_child_name (self->status_stack, "progress");
      gtk_progress_bar_set_fraction (self->progress_bar, fraction);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->progress_bar), status);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->progress_bar),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, status, -1);
    }
  else if (state == DOCKET_DOWNLOAD_STATE_FAILED)
    {
      const char *message = docket_document_get_download_error (document);

      status = download_failure_label (docket_document_get_download_reason (document));
      gtk_stack_set_visible_child_name (self->status_stack, "failed");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->failed_icon), message != NULL ? message : status);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->failed_icon),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, message != NULL ? message : status, -1);
      /* The target first: the action wants a string (meeting page, "retry-download"). */
      gtk_actionable_set_action_target (GTK_ACTIONABLE (self->retry_button), "s",
                                        docket_document_get_sha256 (document));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->retry_button),
                                      "meeting.retry-download");
      /* Translators: the Retry button of a document whose download failed. A description,
       * not the name: GTK 4.8 would read the name and the button's text ("… Retry"). */
      accessible = g_strdup_printf (_("Retry the download of %s"), docket_document_get_title (document));
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->retry_button),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, accessible, -1);
      g_clear_pointer (&accessible, g_free);
    }
  else
    {
      status = state == DOCKET_DOWNLOAD_STATE_WAITING ? _("Waiting to download")
                                                      : _("Not downloaded yet");
      gtk_stack_set_visible_child_name (self->status_stack, "icon");
      gtk_image_set_from_icon_name (self->status_icon, "folder-download-symbolic");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_icon), status);
    }

  if (offline)
    subtitle = g_strdup (details);
  else
    /* Translators: a document's details and download state, "12 pages · 180 kB — Waiting to download". */
    subtitle = g_strdup_printf (_("%s — %s"), details, status);
  gtk_label_set_label (self->subtitle_label, subtitle);

  /* Translators: a document row for screen readers: title, details, offline state. */
  accessible = g_strdup_printf (_("Document %s, %s, %s"), docket_document_get_title (document),
                                details, status);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, -1);
  docket_accessible_label_list_row (GTK_WIDGET (self), accessible);
}

static void
on_item_notify (DocketAgendaRow *self,
                GParamSpec      *pspec)
{
  if (DOCKET_IS_DOCUMENT (self->item))
    show_document (self, DOCKET_DOCUMENT (self->item));
  else if (DOCKET_IS_AGENDA_ITEM (self->item))
    show_item (self, DOCKET_AGENDA_ITEM (self->item));
}

/* The current item is marked three ways: an icon, the accent colour (CSS), and a
 * description a screen reader says after the row's name. */
static void
show_current (DocketAgendaRow *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->current_icon), self->current);
  if (self->current)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self), "docket-current");
      gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      _("Current item"), -1);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self), "docket-current");
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
}

static void
docket_agenda_row_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  DocketAgendaRow *self = DOCKET_AGENDA_ROW (object);

  switch (prop_id)
    {
    case PROP_CURRENT:
      g_value_set_boolean (value, self->current);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_agenda_row_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  DocketAgendaRow *self = DOCKET_AGENDA_ROW (object);

  switch (prop_id)
    {
    case PROP_CURRENT:
      docket_agenda_row_set_current (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_agenda_row_dispose (GObject *object)
{
  DocketAgendaRow *self = DOCKET_AGENDA_ROW (object);

  if (self->item != NULL)
    g_clear_signal_handler (&self->item_notify_id, self->item);
  g_clear_object (&self->item);
  gtk_widget_dispose_template (GTK_WIDGET (self), DOCKET_TYPE_AGENDA_ROW);

  G_OBJECT_CLASS (docket_agenda_row_parent_class)->dispose (object);
}

static void
docket_agenda_row_class_init (DocketAgendaRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = docket_agenda_row_dispose;
  object_class->get_property = docket_agenda_row_get_property;
  object_class->set_property = docket_agenda_row_set_property;

  properties[PROP_CURRENT] =
    g_param_spec_boolean ("current", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (DOCKET_TYPE_PERSONAL_NOTE_BUTTON);
  gtk_widget_class_set_template_from_resource (widget_class, DOCKET_RESOURCE_PREFIX "/ui/docket-agenda-row.ui");
  gtk_widget_class_bind_template_child (widget_class, DocketAgendaRow, box);
  gtk_widget_class_bind_template_child (widget_class, DocketAgendaRow, current_icon);
  gtk_widget_class_bind_template_child (widget_class, DocketAgendaRow, lead_stack);
  gtk_widget_class_bind_template_child (widget_class, DocketAgendaRow, number_label);
  gtk_widget_class_bind_template_child (widget_class, DocketAgendaRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, DocketAgendaRow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, DocketAgendaRow, note_button);
  gtk_widget_class_bind_template_child (widget_class, DocketAgendaRow, status_stack);
  gtk_widget_class_bind_template_child (widget_class, DocketAgendaRow, status_icon);
  gtk_widget_class_bind_template_child (widget_class, DocketAgendaRow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, DocketAgendaRow, failed_icon);
  gtk_widget_class_bind_template_child (widget_class, DocketAgendaRow, retry_button);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "docketagendarow");
}

static void
docket_agenda_row_init (DocketAgendaRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  docket_accessible_name_button_by_text (self->retry_button);
}

GtkWidget *
docket_agenda_row_new (void)
{
  return g_object_new (DOCKET_TYPE_AGENDA_ROW, NULL);
}

void
docket_agenda_row_set_item (DocketAgendaRow *self,
                            GObject         *item)
{
  g_return_if_fail (DOCKET_IS_AGENDA_ROW (self));

  if (self->item == item)
    return;

  if (self->item != NULL)
    g_clear_signal_handler (&self->item_notify_id, self->item);
  g_set_object (&self->item, item);
  if (item == NULL)
    return;

  /* A document's download moves on while the row shows it; the agenda updates its
   * items and documents in place when the server changes them. */
  self->item_notify_id = g_signal_connect_swapped (item, "notify",
                                                   G_CALLBACK (on_item_notify), self);

  if (DOCKET_IS_AGENDA_ITEM (item))
    show_item (self, DOCKET_AGENDA_ITEM (item));
  else if (DOCKET_IS_DOCUMENT (item))
    show_document (self, DOCKET_DOCUMENT (item));
}

void
docket_agenda_row_set_note (DocketAgendaRow *self,
                            DocketNote      *note)
{
  const char *subject = NULL;
  g_autofree char *item_subject = NULL;

  g_return_if_fail (DOCKET_IS_AGENDA_ROW (self));

  if (DOCKET_IS_AGENDA_ITEM (self->item) &&
      docket_agenda_item_get_number (DOCKET_AGENDA_ITEM (self->item))[0] != '\0')
    /* Translators: what a note is about: an agenda item's number and title. */
    subject = item_subject = g_strdup_printf (_("item %s, %s"),
                                              docket_agenda_item_get_number (DOCKET_AGENDA_ITEM (self->item)),
                                              docket_agenda_item_get_title (DOCKET_AGENDA_ITEM (self->item)));
  else if (DOCKET_IS_AGENDA_ITEM (self->item))
    subject = docket_agenda_item_get_title (DOCKET_AGENDA_ITEM (self->item));
  else if (DOCKET_IS_DOCUMENT (self->item))
    subject = docket_document_get_title (DOCKET_DOCUMENT (self->item));

  docket_personal_note_button_set_note (self->note_button, note, subject);
}

void
docket_agenda_row_set_current (DocketAgendaRow *self,
                               gboolean         current)
{
  g_return_if_fail (DOCKET_IS_AGENDA_ROW (self));

  current = !!current;
  if (self->current == current)
    return;
  self->current = current;
  show_current (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT]);
}
