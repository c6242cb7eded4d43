/* docket-personal-note-button.c: the official's personal note on an agenda item or a
 * document, behind a button */

#include "config.h"

#include <glib/gi18n.h>

#include "docket-personal-note-button.h"

struct _DocketPersonalNoteButton
{
  GtkWidget      parent_instance;

  /* Template widgets */
  GtkMenuButton *menu_button;
  GtkPopover    *popover;
  GtkLabel      *heading_label;
  GtkTextView   *text_view;
  GtkLabel      *status_label;

  /* Owned */
  DocketNote    *note;
  char          *subject;
  gulong         note_notify_id;
  gulong         buffer_changed_id;
};

G_DEFINE_FINAL_TYPE (DocketPersonalNoteButton, docket_personal_note_button, GTK_TYPE_WIDGET)

static char *
dup_buffer_text (DocketPersonalNoteButton *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* Puts the note's text in the editor without that counting as an edit. */
static void
load_buffer (DocketPersonalNoteButton *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);

  g_signal_handler_block (buffer, self->buffer_changed_id);
  gtk_text_buffer_set_text (buffer, self->note != NULL ? docket_note_get_text (self->note) : "", -1);
  g_signal_handler_unblock (buffer, self->buffer_changed_id);
}

static void
update_state (DocketPersonalNoteButton *self)
{
  gboolean has_text = self->note != NULL && docket_note_get_has_text (self->note);
  const GError *error = self->note != NULL ? docket_note_get_error (self->note) : NULL;
  const char *subject = self->subject != NULL ? self->subject : "";
  g_autofree char *label = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *status = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self), self->note != NULL);
  /* Nothing can be typed over a note that is not read yet. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->text_view),
                            self->note != NULL && docket_note_get_loaded (self->note));

  if (has_text)
    {
      /* Translators: the note button of an agenda item or document that has a note. */
      label = g_strdup_printf (_("Your note on %s"), subject);
      gtk_widget_add_css_class (GTK_WIDGET (self->menu_button), "docket-has-note");
      gtk_widget_remove_css_class (GTK_WIDGET (self->menu_button), "dim-label");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->menu_button), _("Read or edit your note"));
    }
  else
    {
      /* Translators: the note button of an agenda item or document without a note. */
      label = g_strdup_printf (_("Write a note on %s"), subject);
      gtk_widget_remove_css_class (GTK_WIDGET (self->menu_button), "docket-has-note");
      gtk_widget_add_css_class (GTK_WIDGET (self->menu_button), "dim-label");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->menu_button), _("Write a personal note"));
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->text_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);

  /* Translators: the heading of the note editor, "Note: 2. Báo cáo ..." */
  heading = g_strdup_printf (_("Note: %s"), subject);
  gtk_label_set_label (self->heading_label, heading);

  if (error != NULL)
    /* Translators: %s says why the note could not be saved. */
    status = g_strdup_printf (_("Not saved yet: %s Your text is kept here and saving is tried again."),
                              error->message);
  gtk_label_set_label (self->status_label,
                       status != NULL ? status : _("Only you see this note. It is saved as you type."));
}

static void
on_note_notify (DocketPersonalNoteButton *self,
                GParamSpec               *pspec)
{
  /* The note arrived (or changed on another computer) while the editor is open with
   * nothing typed yet: show it. */
  if ((g_strcmp0 (pspec->name, "text") == 0 || g_strcmp0 (pspec->name, "loaded") == 0) &&
      gtk_widget_get_visible (GTK_WIDGET (self->popover)) && !docket_note_get_dirty (self->note))
    {
      g_autofree char *shown = dup_buffer_text (self);

      if (g_strcmp0 (shown, docket_note_get_text (self->note)) != 0)
        load_buffer (self);
    }

  update_state (self);

  if (g_strcmp0 (pspec->name, "loaded") == 0 && gtk_widget_get_visible (GTK_WIDGET (self->popover)))
    gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}

static void
on_buffer_changed (DocketPersonalNoteButton *self)
{
  g_autofree char *text = NULL;

  if (self->note == NULL)
    return;

  text = dup_buffer_text (self);
  docket_note_set_text (self->note, text);
}

static void
on_popover_show (DocketPersonalNoteButton *self)
{
  load_buffer (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}

static void
on_popover_closed (DocketPersonalNoteButton *self)
{
  if (self->note != NULL)
    docket_note_save_now (self->note);
}

static void
docket_personal_note_button_dispose (GObject *object)
{
  DocketPersonalNoteButton *self = DOCKET_PERSONAL_NOTE_BUTTON (object);

  if (self->note != NULL)
    {
      g_clear_signal_handler (&self->note_notify_id, self->note);
      docket_note_save_now (self->note);
    }
  g_clear_object (&self->note);
  g_clear_pointer (&self->subject, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), DOCKET_TYPE_PERSONAL_NOTE_BUTTON);

  G_OBJECT_CLASS (docket_personal_note_button_parent_class)->dispose (object);
}

static void
docket_personal_note_button_class_init (DocketPersonalNoteButtonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = docket_personal_note_button_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               DOCKET_RESOURCE_PREFIX "/ui/docket-personal-note-button.ui");
  gtk_widget_class_bind_template_child (widget_class, DocketPersonalNoteButton, menu_button);
  gtk_widget_class_bind_template_child (widget_class, DocketPersonalNoteButton, popover);
  gtk_widget_class_bind_template_child (widget_class, DocketPersonalNoteButton, heading_label);
  gtk_widget_class_bind_template_child (widget_class, DocketPersonalNoteButton, text_view);
  gtk_widget_class_bind_template_child (widget_class, DocketPersonalNoteButton, status_label);
  gtk_widget_class_bind_template_callback (widget_class, on_popover_show);
  gtk_widget_class_bind_template_callback (widget_class, on_popover_closed);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
docket_personal_note_button_init (DocketPersonalNoteButton *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->buffer_changed_id = g_signal_connect_swapped (gtk_text_view_get_buffer (self->text_view),
                                                      "changed", G_CALLBACK (on_buffer_changed), self);
  update_state (self);
}

GtkWidget *
docket_personal_note_button_new (void)
{
  return g_object_new (DOCKET_TYPE_PERSONAL_NOTE_BUTTON, NULL);
}

void
docket_personal_note_button_set_note (DocketPersonalNoteButton *self,
                                      DocketNote               *note,
                                      const char               *subject)
{
  g_return_if_fail (DOCKET_IS_PERSONAL_NOTE_BUTTON (self));
  g_return_if_fail (note == NULL || DOCKET_IS_NOTE (note));

  g_free (self->subject);
  self->subject = g_strdup (subject);

  if (self->note != note)
    {
      if (self->note != NULL)
        {
          g_clear_signal_handler (&self->note_notify_id, self->note);
          /* A row is reused for another item: what was typed is saved first. */
          docket_note_save_now (self->note);
        }
      gtk_popover_popdown (self->popover);
      g_set_object (&self->note, note);
      if (note != NULL)
        self->note_notify_id = g_signal_connect_swapped (note, "notify",
                                                         G_CALLBACK (on_note_notify), self);
    }

  update_state (self);
}

DocketNote *
docket_personal_note_button_get_note (DocketPersonalNoteButton *self)
{
  g_return_val_if_fail (DOCKET_IS_PERSONAL_NOTE_BUTTON (self), NULL);
  return self->note;
}
