/* docket-note-popover.c: writing the text of a sticky note (or of any annotation) */

#include "config.h"

#include <glib/gi18n.h>

#include "docket-note-popover.h"

struct _DocketNotePopover
{
  GtkPopover   parent_instance;

  /* Template widgets */
  GtkTextView *text_view;

  /* Owned */
  char        *annotation_id;
};

G_DEFINE_FINAL_TYPE (DocketNotePopover, docket_note_popover, GTK_TYPE_POPOVER)

static void
docket_note_popover_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), DOCKET_TYPE_NOTE_POPOVER);
  G_OBJECT_CLASS (docket_note_popover_parent_class)->dispose (object);
}

static void
docket_note_popover_finalize (GObject *object)
{
  g_free (DOCKET_NOTE_POPOVER (object)->annotation_id);
  G_OBJECT_CLASS (docket_note_popover_parent_class)->finalize (object);
}

static void
docket_note_popover_class_init (DocketNotePopoverClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = docket_note_popover_dispose;
  object_class->finalize = docket_note_popover_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, DOCKET_RESOURCE_PREFIX "/ui/docket-note-popover.ui");
  gtk_widget_class_bind_template_child (widget_class, DocketNotePopover, text_view);
}

static void
docket_note_popover_init (DocketNotePopover *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_popover_set_default_widget (GTK_POPOVER (self), NULL);
}

GtkWidget *
docket_note_popover_new (void)
{
  return g_object_new (DOCKET_TYPE_NOTE_POPOVER, NULL);
}

void
docket_note_popover_set_annotation (DocketNotePopover *self,
                                    const char        *annotation_id,
                                    const char        *text)
{
  g_return_if_fail (DOCKET_IS_NOTE_POPOVER (self));

  g_free (self->annotation_id);
  self->annotation_id = g_strdup (annotation_id);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), text != NULL ? text : "", -1);
}

const char *
docket_note_popover_get_annotation_id (DocketNotePopover *self)
{
  g_return_val_if_fail (DOCKET_IS_NOTE_POPOVER (self), NULL);
  return self->annotation_id;
}

char *
docket_note_popover_dup_text (DocketNotePopover *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (DOCKET_IS_NOTE_POPOVER (self), NULL);

  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

GtkTextView *
docket_note_popover_get_text_view (DocketNotePopover *self)
{
  g_return_val_if_fail (DOCKET_IS_NOTE_POPOVER (self), NULL);
  return self->text_view;
}
