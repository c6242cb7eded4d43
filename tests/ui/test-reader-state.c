/* test-reader-state.c: the annotator follows a DocketReaderState, with no document view
 *
 * The document view owns a DocketReaderState (the document shown, the annotation tool
 * and colour) and hands it to its annotator; nothing of the annotator needs the view.
 * Here the real annotator, a real store in a temporary profile and a real PDF are put
 * together with a plain widget in place of the view, and the state is driven directly.
 */

#include "config.h"

#include <adwaita.h>

#include "docket-test-util.h"
#include "docket-ui-test-util.h"
#include "docket-annotator.h"
#include "docket-document.h"
#include "docket-reader-state.h"
#include "docket-store.h"

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  DocketPdfDocument **document = user_data;
  g_autoptr(GError) error = NULL;

  *document = docket_pdf_document_load_finish (result, &error);
  g_assert_no_error (error);
}

static gboolean
is_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static gboolean
list_loaded (gpointer data)
{
  DocketAnnotationList *list = docket_annotator_get_list (data);

  return list != NULL && docket_annotation_list_get_loaded (list);
}

/* A button of the annotation toolbar's kind: checked when the action's state is target. */
static GtkWidget *
add_toggle (GtkWidget  *box,
            const char *action,
            const char *target)
{
  GtkWidget *button = gtk_toggle_button_new ();

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", target);
  gtk_box_append (GTK_BOX (box), button);
  return button;
}

static void
test_annotator_follows_state (void)
{
  g_autofree char *root = docket_test_make_tmpdir ("docket-reader-state");
  g_autofree char *profile = g_build_filename (root, "profile", NULL);
  g_autofree char *path = g_build_filename (root, "agenda.pdf", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketStore) store = NULL;
  g_autoptr(DocketStoreDocumentRow) row = g_new0 (DocketStoreDocumentRow, 1);
  g_autoptr(DocketDocument) document = NULL;
  g_autoptr(GFile) file = NULL;
  DocketPdfDocument *pdf = NULL;
  g_autoptr(DocketReaderState) state = docket_reader_state_new ();
  g_autoptr(DocketAnnotator) annotator = NULL;
  GtkWidget *widget = g_object_ref_sink (gtk_box_new (GTK_ORIENTATION_VERTICAL, 0));
  GtkWidget *select, *ink, *blue;

  store = docket_store_open (profile, &error);
  g_assert_no_error (error);
  docket_ui_test_write_numbered_pdf (path, 2, FALSE);
  file = g_file_new_for_path (path);
  docket_pdf_document_load_async (file, NULL, on_loaded, &pdf);
  docket_ui_test_wait_for (is_set, &pdf, "the PDF to load");
  row->document = docket_document_record_new ();
  row->document->id = g_strdup ("doc-reader-state");
  row->document->title = g_strdup ("Agenda");
  row->path = g_strdup (path);
  document = docket_document_new (row);

  /* Attached to any widget: the view is no longer what it needs. */
  annotator = docket_annotator_new (state);
  docket_annotator_set_store (annotator, store);
  docket_annotator_attach (annotator, widget);
  select = add_toggle (widget, "annot.tool", "select");
  ink = add_toggle (widget, "annot.tool", "ink");
  blue = add_toggle (widget, "annot.color", "#99c1f1");
  g_assert_null (docket_annotator_get_list (annotator));
  g_assert_cmpstr (docket_reader_state_get_color (state), ==, docket_annotator_colors[0]);

  /* The document the state says is shown is the one annotated, and its PDF. */
  docket_reader_state_set_document (state, document, pdf);
  docket_ui_test_wait_for (list_loaded, annotator, "the annotations to load");
  g_assert_true (docket_annotator_get_pdf_document (annotator) == pdf);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (docket_annotator_get_list (annotator))), ==, 0);

  /* Tools and colours chosen with the actions are the state's; a tool the state is
   * given (the view leaving the annotation mode) is the one the actions check. */
  g_assert_true (gtk_widget_activate_action (widget, "annot.tool", "s", "ink"));
  g_assert_cmpint (docket_reader_state_get_tool (state), ==, DOCKET_ANNOTATION_TOOL_INK);
  g_assert_cmpint (docket_annotator_get_tool (annotator), ==, DOCKET_ANNOTATION_TOOL_INK);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (ink)));
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (select)));
  g_assert_true (gtk_widget_activate_action (widget, "annot.color", "s", "#99C1F1"));
  g_assert_cmpstr (docket_reader_state_get_color (state), ==, "#99c1f1");
  g_assert_cmpstr (docket_annotator_get_color (annotator), ==, "#99c1f1");
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (blue)));
  docket_reader_state_set_tool (state, DOCKET_ANNOTATION_TOOL_SELECT);
  g_assert_cmpint (docket_annotator_get_tool (annotator), ==, DOCKET_ANNOTATION_TOOL_SELECT);
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (select)));
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (ink)));

  /* No document shown: nothing to annotate. */
  docket_reader_state_set_document (state, NULL, NULL);
  g_assert_null (docket_annotator_get_list (annotator));
  g_assert_null (docket_annotator_get_pdf_document (annotator));

  g_clear_object (&annotator);
  g_object_unref (widget);
  g_object_unref (pdf);
  docket_test_rmtree (root);
}

int
main (int    argc,
      char **argv)
{
  docket_ui_test_init (&argc, &argv);
  g_test_add_func ("/reader-state/annotator-follows-state", test_annotator_follows_state);
  return g_test_run ();
}
