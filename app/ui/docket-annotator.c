/* docket-annotator.c: what the pages of a document view share to annotate it */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "docket-annotator.h"
#include "docket-pdf-export.h"

const char * const docket_annotator_colors[] = {
  "#f8e45c", "#8ff0a4", "#99c1f1", "#f66151", "#dc8add", NULL
};

static const char * const tool_names[] = {
  "select", "highlight", "underline", "strikeout", "ink", "note", "rectangle",
};

struct _DocketAnnotator
{
  GObject               parent_instance;

  /* Borrowed: the view owns us; its window and clipboard are ours to use */
  GtkWidget            *widget;

  /* Owned */
  DocketReaderState    *state;        /* the document shown, the tool and colour */
  DocketStore          *store;
  char                 *document_id;
  char                 *title;
  char                 *path;
  DocketPdfDocument    *pdf_document;
  DocketAnnotationList *list;
  GSimpleActionGroup   *actions;
  DocketPdfSelection   *text_selection;
  char                 *selected_id;
  GtkFileChooserNative *chooser;
  AdwToast             *error_toast;   /* weak: the toast telling of the list's error */
};

G_DEFINE_FINAL_TYPE (DocketAnnotator, docket_annotator, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LIST,
  PROP_TOOL,
  PROP_SELECTED_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  EDIT_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void update_actions (DocketAnnotator *self);

static void
emit_changed (DocketAnnotator *self)
{
  update_actions (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static GAction *
lookup (DocketAnnotator *self,
        const char      *name)
{
  return g_action_map_lookup_action (G_ACTION_MAP (self->actions), name);
}

static void
update_actions (DocketAnnotator *self)
{
  gboolean has_list = self->list != NULL;
  gboolean selected = has_list && self->selected_id != NULL &&
                      docket_annotation_list_find (self->list, self->selected_id) != NULL;

  g_simple_action_set_enabled (G_SIMPLE_ACTION (lookup (self, "undo")),
                               has_list && docket_annotation_list_can_undo (self->list));
  g_simple_action_set_enabled (G_SIMPLE_ACTION (lookup (self, "redo")),
                               has_list && docket_annotation_list_can_redo (self->list));
  g_simple_action_set_enabled (G_SIMPLE_ACTION (lookup (self, "delete")), selected);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (lookup (self, "edit")), selected);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (lookup (self, "copy")),
                               self->text_selection != NULL && self->text_selection->text[0] != '\0');
  /* Escape is only ours when there is something to let go of. */
  g_simple_action_set_enabled (G_SIMPLE_ACTION (lookup (self, "deselect")),
                               selected || self->text_selection != NULL);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (lookup (self, "tool")), has_list);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (lookup (self, "color")), has_list);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (lookup (self, "export")), has_list && self->path != NULL);
}

/* The list */

static void
on_list_changed (DocketAnnotator *self)
{
  emit_changed (self);
}

/* Failures */

/* What the official reads when an annotation could not be saved: that it was not, and
 * what to do about it. The edit stays on the page meanwhile (docket-annotation-list.h). */
static char *
describe_unsaved (const GError *error)
{
  if (g_error_matches (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_NO_SPACE))
    return g_strdup (_("Your annotation was not saved: the disk (or your share of it) is full. "
                       "Free some space, then retry."));
  if (g_error_matches (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_READ_ONLY))
    return g_strdup (_("Your annotation was not saved: the profile folder is read-only. "
                       "Check its permissions, then retry."));
  if (g_error_matches (error, DOCKET_STORE_ERROR, DOCKET_STORE_ERROR_BUSY))
    return g_strdup (_("Your annotation was not saved: another program is using Docket’s data. "
                       "Retry in a moment."));
  /* Translators: %s says why, in a sentence of its own */
  return g_strdup_printf (_("Your annotation was not saved. %s"), error->message);
}

static void
forget_error_toast (DocketAnnotator *self)
{
  g_clear_weak_pointer (&self->error_toast);
}

static void
dismiss_error_toast (DocketAnnotator *self)
{
  AdwToast *toast = self->error_toast;

  forget_error_toast (self);
  if (toast != NULL)
    adw_toast_dismiss (toast);
}

static void
on_retry_clicked (DocketAnnotator *self)
{
  forget_error_toast (self);
  if (self->list != NULL)
    docket_annotation_list_retry (self->list);
}

/* The list's error, as a toast over the window that stays until the official answers:
 * an edit not saved is work at stake. */
static void
on_list_error (DocketAnnotator *self)
{
  const GError *error = self->list != NULL ? docket_annotation_list_get_error (self->list) : NULL;
  g_autofree char *title = NULL;
  GtkWidget *overlay;

  dismiss_error_toast (self);
  if (error == NULL)
    return;

  if (docket_annotation_list_get_unsaved (self->list))
    title = describe_unsaved (error);
  else
    /* Translators: %s says why, in a sentence of its own */
    title = g_strdup_printf (_("Your annotations could not be read. %s"), error->message);

  overlay = self->widget != NULL ? gtk_widget_get_ancestor (self->widget, ADW_TYPE_TOAST_OVERLAY) : NULL;
  if (overlay == NULL)
    {
      g_warning ("No window to tell of it: %s", title);
      return;
    }
  self->error_toast = adw_toast_new (title);
  g_object_add_weak_pointer (G_OBJECT (self->error_toast), (gpointer *) &self->error_toast);
  adw_toast_set_button_label (self->error_toast, _("_Retry"));
  adw_toast_set_timeout (self->error_toast, 0);
  adw_toast_set_priority (self->error_toast, ADW_TOAST_PRIORITY_HIGH);
  g_signal_connect_object (self->error_toast, "button-clicked", G_CALLBACK (on_retry_clicked), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->error_toast, "dismissed", G_CALLBACK (forget_error_toast), self,
                           G_CONNECT_SWAPPED);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), self->error_toast);
}

static void
rebuild_list (DocketAnnotator *self)
{
  dismiss_error_toast (self);
  if (self->list != NULL)
    g_signal_handlers_disconnect_by_data (self->list, self);
  g_clear_object (&self->list);
  g_clear_pointer (&self->selected_id, g_free);
  g_clear_pointer (&self->text_selection, docket_pdf_selection_free);

  if (self->store != NULL && self->document_id != NULL)
    {
      self->list = docket_annotation_list_new (self->store, self->document_id);
      g_signal_connect_swapped (self->list, "items-changed", G_CALLBACK (on_list_changed), self);
      g_signal_connect_swapped (self->list, "notify::can-undo", G_CALLBACK (update_actions), self);
      g_signal_connect_swapped (self->list, "notify::can-redo", G_CALLBACK (update_actions), self);
      g_signal_connect_swapped (self->list, "notify::error", G_CALLBACK (on_list_error), self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIST]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_ID]);
  emit_changed (self);
}

/* Actions */

static void
tool_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  DocketAnnotator *self = user_data;
  const char *name = g_variant_get_string (parameter, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (tool_names); i++)
    if (g_str_equal (name, tool_names[i]))
      {
        docket_annotator_set_tool (self, (DocketAnnotationTool) i);
        return;
      }
  g_warning ("Unknown annotation tool “%s”", name);
}

static gboolean
color_is_valid (const char *color)
{
  if (color == NULL || strlen (color) != 7 || color[0] != '#')
    return FALSE;
  for (guint i = 1; i < 7; i++)
    if (!g_ascii_isxdigit (color[i]))
      return FALSE;
  return TRUE;
}

static void
color_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  DocketAnnotator *self = user_data;
  const char *color = g_variant_get_string (parameter, NULL);
  g_autofree char *lowered = NULL;

  if (!color_is_valid (color))
    {
      g_warning ("Not a colour: “%s”", color);
      return;
    }
  lowered = g_ascii_strdown (color, -1);
  docket_reader_state_set_color (self->state, lowered);
  g_simple_action_set_state (action, g_variant_new_string (lowered));

  /* Choosing a colour with an annotation selected (with the select tool) recolours it;
   * with a drawing tool it is the colour of what comes next. */
  if (self->list != NULL && self->selected_id != NULL &&
      docket_reader_state_get_tool (self->state) == DOCKET_ANNOTATION_TOOL_SELECT &&
      docket_annotation_list_find (self->list, self->selected_id) != NULL)
    docket_annotation_list_update (self->list, self->selected_id, lowered, NULL, NULL);
}

static void
history_activated (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  DocketAnnotator *self = user_data;
  const char *touched;

  if (self->list == NULL)
    return;
  if (g_str_equal (g_action_get_name (G_ACTION (action)), "undo"))
    touched = docket_annotation_list_undo (self->list);
  else
    touched = docket_annotation_list_redo (self->list);
  /* What the step touched is what the official looks at next. */
  docket_annotator_select (self, touched);
}

static void
delete_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  DocketAnnotator *self = user_data;

  if (self->list == NULL || self->selected_id == NULL)
    return;
  docket_annotation_list_remove (self->list, self->selected_id);
  docket_annotator_select (self, NULL);
}

static void
edit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  DocketAnnotator *self = user_data;

  if (self->selected_id != NULL)
    g_signal_emit (self, signals[EDIT_REQUESTED], 0, self->selected_id);
}

static void
deselect_activated (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  DocketAnnotator *self = user_data;

  docket_annotator_set_text_selection (self, NULL);
  docket_annotator_select (self, NULL);
}

static void
copy_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  DocketAnnotator *self = user_data;

  if (self->widget == NULL || self->text_selection == NULL || self->text_selection->text[0] == '\0')
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (self->widget), self->text_selection->text);
}

static void
on_exported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(DocketAnnotator) self = user_data;
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;
  GtkRoot *root;

  if (docket_annotator_export_finish (self, result, &error))
    return;

  g_warning ("Could not save a copy with annotations: %s", error->message);
  root = self->widget != NULL ? gtk_widget_get_root (self->widget) : NULL;
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                       _("The Copy Was Not Saved"), error->message));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_chooser_response (DocketAnnotator *self,
                     int              response,
                     GtkNativeDialog *chooser)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  if (file != NULL)
    docket_annotator_export_async (self, file, NULL, on_exported, g_object_ref (self));
}

static void
export_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  DocketAnnotator *self = user_data;
  g_autofree char *name = NULL;
  GtkRoot *root;

  if (self->path == NULL || self->chooser != NULL)
    return;

  root = self->widget != NULL ? gtk_widget_get_root (self->widget) : NULL;
  self->chooser = gtk_file_chooser_native_new (_("Save a Copy With My Annotations"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  /* Translators: the file name of an exported copy; %s is the document's title */
  name = g_strdup_printf (_("%s (annotated).pdf"), self->title != NULL ? self->title : _("Document"));
  g_strdelimit (name, "/\\", '-');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  g_signal_connect_swapped (self->chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* Following the reader state */

static void
on_state_document (DocketAnnotator *self)
{
  DocketDocument *document = docket_reader_state_get_document (self->state);
  DocketPdfDocument *pdf = docket_reader_state_get_pdf_document (self->state);

  if (document != NULL && pdf != NULL)
    docket_annotator_set_document (self, docket_document_get_id (document), docket_document_get_title (document),
                                   docket_document_get_path (document), pdf);
  else
    docket_annotator_set_document (self, NULL, NULL, NULL, NULL);
}

/* The tool changed, here or by whoever else holds the state (the view leaving the
 * annotation mode): the tool buttons and the pages follow. */
static void
on_state_tool (DocketAnnotator *self)
{
  DocketAnnotationTool tool = docket_reader_state_get_tool (self->state);

  g_simple_action_set_state (G_SIMPLE_ACTION (lookup (self, "tool")), g_variant_new_string (tool_names[tool]));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOOL]);
  emit_changed (self);
}

/* GObject */

static void
docket_annotator_dispose (GObject *object)
{
  DocketAnnotator *self = DOCKET_ANNOTATOR (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  dismiss_error_toast (self);
  if (self->list != NULL)
    g_signal_handlers_disconnect_by_data (self->list, self);
  g_clear_object (&self->list);
  g_clear_object (&self->store);
  g_clear_object (&self->pdf_document);
  if (self->state != NULL)
    g_signal_handlers_disconnect_by_data (self->state, self);
  g_clear_object (&self->state);
  g_clear_weak_pointer (&self->widget);

  G_OBJECT_CLASS (docket_annotator_parent_class)->dispose (object);
}

static void
docket_annotator_finalize (GObject *object)
{
  DocketAnnotator *self = DOCKET_ANNOTATOR (object);

  g_clear_object (&self->actions);
  g_clear_pointer (&self->text_selection, docket_pdf_selection_free);
  g_free (self->document_id);
  g_free (self->title);
  g_free (self->path);
  g_free (self->selected_id);

  G_OBJECT_CLASS (docket_annotator_parent_class)->finalize (object);
}

static void
docket_annotator_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  DocketAnnotator *self = DOCKET_ANNOTATOR (object);

  switch (prop_id)
    {
    case PROP_LIST:
      g_value_set_object (value, self->list);
      break;
    case PROP_TOOL:
      g_value_set_int (value, docket_annotator_get_tool (self));
      break;
    case PROP_SELECTED_ID:
      g_value_set_string (value, self->selected_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_annotator_class_init (DocketAnnotatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = docket_annotator_dispose;
  object_class->finalize = docket_annotator_finalize;
  object_class->get_property = docket_annotator_get_property;

  properties[PROP_LIST] =
    g_param_spec_object ("list", NULL, NULL, DOCKET_TYPE_ANNOTATION_LIST,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOOL] =
    g_param_spec_int ("tool", NULL, NULL, DOCKET_ANNOTATION_TOOL_SELECT, DOCKET_ANNOTATION_TOOL_RECTANGLE,
                      DOCKET_ANNOTATION_TOOL_SELECT,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED_ID] =
    g_param_spec_string ("selected-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Anything a page may have to draw again. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* The page showing the annotation opens its text for editing. */
  signals[EDIT_REQUESTED] = g_signal_new ("edit-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
docket_annotator_init (DocketAnnotator *self)
{
  const GActionEntry entries[] = {
    { "tool", tool_activated, "s", "'select'", NULL, { 0 } },
    { "color", color_activated, "s", "'#f8e45c'", NULL, { 0 } },
    { "undo", history_activated, NULL, NULL, NULL, { 0 } },
    { "redo", history_activated, NULL, NULL, NULL, { 0 } },
    { "delete", delete_activated, NULL, NULL, NULL, { 0 } },
    { "edit", edit_activated, NULL, NULL, NULL, { 0 } },
    { "deselect", deselect_activated, NULL, NULL, NULL, { 0 } },
    { "copy", copy_activated, NULL, NULL, NULL, { 0 } },
    { "export", export_activated, NULL, NULL, NULL, { 0 } },
  };

  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), entries, G_N_ELEMENTS (entries), self);
  update_actions (self);
}

DocketAnnotator *
docket_annotator_new (DocketReaderState *state)
{
  DocketAnnotator *self;

  g_return_val_if_fail (DOCKET_IS_READER_STATE (state), NULL);

  self = g_object_new (DOCKET_TYPE_ANNOTATOR, NULL);
  self->state = g_object_ref (state);
  /* The first colour is the one new annotations get until another is chosen. */
  if (docket_reader_state_get_color (state) == NULL)
    docket_reader_state_set_color (state, docket_annotator_colors[0]);
  g_simple_action_set_state (G_SIMPLE_ACTION (lookup (self, "color")),
                             g_variant_new_string (docket_reader_state_get_color (state)));
  g_simple_action_set_state (G_SIMPLE_ACTION (lookup (self, "tool")),
                             g_variant_new_string (tool_names[docket_reader_state_get_tool (state)]));
  g_signal_connect_object (state, "notify::document", G_CALLBACK (on_state_document), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (state, "notify::pdf-document", G_CALLBACK (on_state_document), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (state, "notify::tool", G_CALLBACK (on_state_tool), self, G_CONNECT_SWAPPED);
  on_state_document (self);
  return self;
}

static void
add_shortcut (GtkShortcutController *controller,
              const char            *accelerator,
              const char            *action)
{
  gtk_shortcut_controller_add_shortcut (controller,
                                        gtk_shortcut_new (gtk_shortcut_trigger_parse_string (accelerator),
                                                          gtk_named_action_new (action)));
}

void
docket_annotator_attach (DocketAnnotator *self,
                         GtkWidget       *widget)
{
  GtkEventController *controller;

  g_return_if_fail (DOCKET_IS_ANNOTATOR (self));
  g_return_if_fail (GTK_IS_WIDGET (widget));

  g_set_weak_pointer (&self->widget, widget);
  gtk_widget_insert_action_group (widget, "annot", G_ACTION_GROUP (self->actions));

  /* Keys pressed anywhere in the view, unless a text field takes them first (bubble
   * phase): Delete in the note's text deletes a letter, not the note. */
  controller = gtk_shortcut_controller_new ();
  add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), "<Control>z", "annot.undo");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), "<Control><Shift>z", "annot.redo");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), "<Control>y", "annot.redo");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), "Delete", "annot.delete");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), "KP_Delete", "annot.delete");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), "<Control>c", "annot.copy");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), "Escape", "annot.deselect");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), "Return", "annot.edit");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), "KP_Enter", "annot.edit");
  gtk_widget_add_controller (widget, controller);
}

void
docket_annotator_set_store (DocketAnnotator *self,
                            DocketStore     *store)
{
  g_return_if_fail (DOCKET_IS_ANNOTATOR (self));

  if (g_set_object (&self->store, store))
    rebuild_list (self);
}

void
docket_annotator_set_document (DocketAnnotator   *self,
                               const char        *document_id,
                               const char        *title,
                               const char        *path,
                               DocketPdfDocument *pdf_document)
{
  g_return_if_fail (DOCKET_IS_ANNOTATOR (self));

  if (g_strcmp0 (document_id, self->document_id) == 0 && pdf_document == self->pdf_document)
    return;

  g_free (self->document_id);
  self->document_id = g_strdup (document_id);
  g_free (self->title);
  self->title = g_strdup (title);
  g_free (self->path);
  self->path = g_strdup (path);
  g_set_object (&self->pdf_document, pdf_document);
  rebuild_list (self);
}

DocketAnnotationList *
docket_annotator_get_list (DocketAnnotator *self)
{
  g_return_val_if_fail (DOCKET_IS_ANNOTATOR (self), NULL);
  return self->list;
}

DocketPdfDocument *
docket_annotator_get_pdf_document (DocketAnnotator *self)
{
  g_return_val_if_fail (DOCKET_IS_ANNOTATOR (self), NULL);
  return self->pdf_document;
}

DocketAnnotationTool
docket_annotator_get_tool (DocketAnnotator *self)
{
  g_return_val_if_fail (DOCKET_IS_ANNOTATOR (self), DOCKET_ANNOTATION_TOOL_SELECT);
  return docket_reader_state_get_tool (self->state);
}

gboolean
docket_annotation_tool_get_markup_kind (DocketAnnotationTool  tool,
                                        DocketAnnotationKind *out_kind)
{
  switch (tool)
    {
    case DOCKET_ANNOTATION_TOOL_HIGHLIGHT:
      *out_kind = DOCKET_ANNOTATION_HIGHLIGHT;
      return TRUE;
    case DOCKET_ANNOTATION_TOOL_UNDERLINE:
      *out_kind = DOCKET_ANNOTATION_UNDERLINE;
      return TRUE;
    case DOCKET_ANNOTATION_TOOL_STRIKEOUT:
      *out_kind = DOCKET_ANNOTATION_STRIKEOUT;
      return TRUE;
    default:
      return FALSE;
    }
}

void
docket_annotator_set_tool (DocketAnnotator      *self,
                           DocketAnnotationTool  tool)
{
  DocketAnnotationKind kind;

  g_return_if_fail (DOCKET_IS_ANNOTATOR (self));
  g_return_if_fail (tool <= DOCKET_ANNOTATION_TOOL_RECTANGLE);

  /* Text selected, then a marker chosen: the way most readers mark a passage. */
  if (docket_annotation_tool_get_markup_kind (tool, &kind) &&
      self->text_selection != NULL && self->text_selection->rects->len > 0)
    docket_annotator_mark_selection (self, kind);

  /* The state tells us back (on_state_tool) when the tool is another one. */
  g_simple_action_set_state (G_SIMPLE_ACTION (lookup (self, "tool")), g_variant_new_string (tool_names[tool]));
  docket_reader_state_set_tool (self->state, tool);
}

const char *
docket_annotator_get_color (DocketAnnotator *self)
{
  g_return_val_if_fail (DOCKET_IS_ANNOTATOR (self), NULL);
  return docket_reader_state_get_color (self->state);
}

const char *
docket_annotator_get_selected_id (DocketAnnotator *self)
{
  g_return_val_if_fail (DOCKET_IS_ANNOTATOR (self), NULL);
  return self->selected_id;
}

void
docket_annotator_select (DocketAnnotator *self,
                         const char      *id)
{
  g_return_if_fail (DOCKET_IS_ANNOTATOR (self));

  if (g_strcmp0 (id, self->selected_id) == 0)
    return;
  g_free (self->selected_id);
  self->selected_id = g_strdup (id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_ID]);
  emit_changed (self);
}

DocketPdfSelection *
docket_annotator_get_text_selection (DocketAnnotator *self)
{
  g_return_val_if_fail (DOCKET_IS_ANNOTATOR (self), NULL);
  return self->text_selection;
}

void
docket_annotator_set_text_selection (DocketAnnotator    *self,
                                     DocketPdfSelection *selection)
{
  g_return_if_fail (DOCKET_IS_ANNOTATOR (self));

  if (selection == NULL && self->text_selection == NULL)
    return;
  g_clear_pointer (&self->text_selection, docket_pdf_selection_free);
  self->text_selection = selection;
  emit_changed (self);
}

DocketAnnotation *
docket_annotator_mark_selection (DocketAnnotator      *self,
                                 DocketAnnotationKind  kind)
{
  g_autoptr(DocketAnnotationGeometry) geometry = NULL;
  DocketPdfSelection *selection;
  DocketAnnotation *annotation;
  guint n;

  g_return_val_if_fail (DOCKET_IS_ANNOTATOR (self), NULL);

  selection = self->text_selection;
  if (self->list == NULL || selection == NULL || selection->rects->len == 0)
    return NULL;

  geometry = docket_annotation_geometry_new (kind);
  n = MIN (selection->rects->len, DOCKET_MAX_ANNOTATION_RECTS);
  for (guint i = 0; i < n; i++)
    {
      const graphene_rect_t *rect = &g_array_index (selection->rects, graphene_rect_t, i);

      docket_annotation_geometry_add_rect (geometry, rect->origin.x, rect->origin.y,
                                           rect->origin.x + rect->size.width,
                                           rect->origin.y + rect->size.height);
    }
  annotation = docket_annotation_list_create (self->list, selection->page, kind,
                                             docket_reader_state_get_color (self->state), geometry, NULL);
  docket_annotator_set_text_selection (self, NULL);
  docket_annotator_select (self, docket_annotation_get_id (annotation));
  return annotation;
}

static void
on_pdf_exported (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (docket_pdf_export_annotations_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
docket_annotator_export_async (DocketAnnotator     *self,
                               GFile               *destination,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new ();
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (DOCKET_IS_ANNOTATOR (self));
  g_return_if_fail (G_IS_FILE (destination));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, docket_annotator_export_async);

  path = g_file_get_path (destination);
  if (self->list == NULL || self->path == NULL || path == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("There is no document to save a copy of."));
      return;
    }

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->list)); i++)
    {
      g_autoptr(DocketAnnotation) annotation = g_list_model_get_item (G_LIST_MODEL (self->list), i);
      /* Copied by the export before the annotation can go. */
      g_ptr_array_add (records, (gpointer) docket_annotation_get_record (annotation));
    }
  docket_pdf_export_annotations_async (self->path, path, records, cancellable, on_pdf_exported,
                                       g_steal_pointer (&task));
}

gboolean
docket_annotator_export_finish (DocketAnnotator  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_return_val_if_fail (DOCKET_IS_ANNOTATOR (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
