/* test-annotate.c: annotating a document in the real window, and exporting it
 *
 * Under Xvfb, against the real docket-server: sign in, sync the demo, open a document,
 * then, through the page widget's own drag gesture and the view's "annot" actions and
 * shortcuts: select Vietnamese text and copy it (the clipboard has it), highlight it,
 * draw an ink stroke, add a sticky note and write it, draw a rectangle, move, recolour
 * and delete; undo and redo. Close the window, open a fresh store and a new window on
 * the same profile and find them all. Export a copy and read it back with poppler and
 * with `qpdf --json`. Internal and external links on a PDF made here; a change the
 * server refuses is told to the official. Screenshots go to $DOCKET_TEST_ARTIFACTS.
 * Bad input and where the export puts each annotation are in test-annotate-export.c;
 * the export's readers both use, in test-annotate-common.c.
 *
 * The drag gesture is driven through its signals ("drag-begin", "drag-update",
 * "drag-end"), with the coordinates a pointer would give: GTK 4 has no way to inject
 * pointer events into a window.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <json-glib/json-glib.h>
#include <poppler.h>

#include "docket-test-util.h"
#include "docket-ui-test-util.h"
#include "docket-ui-test-client.h"
#include "test-annotate-common.h"
#include "docket-store.h"
#include "docket-window.h"
#include "docket-document.h"
#include "docket-document-view.h"
#include "docket-page-widget.h"
#include "docket-annotator.h"
#include "docket-annotations-panel.h"
#include "docket-annotation-toolbar.h"
#include "docket-annotation-list.h"
#include "docket-note-popover.h"
#include "docket-pdf-export.h"
#include "docket-pdf-link.h"

#define NOTE_TEXT "Cần hỏi lại số liệu thu ngân sách"

static void
save_screenshot (GtkWidget  *window,
                 const char *name)
{
  docket_ui_test_save_screenshot (window, NULL, name);
}

/* The document view */

static gboolean
view_ready (gpointer data)
{
  return docket_document_view_get_state (data) == DOCKET_DOCUMENT_VIEW_READY;
}

typedef DocketUiTestPageWait PageWait;

static DocketPageWidget *
wait_for_page (DocketDocumentView *view,
               guint               index)
{
  PageWait wait = { view, index };

  docket_ui_test_wait_for (docket_ui_test_page_rendered, &wait, "the page to be shown");
  return docket_ui_test_find_page_widget (view, index);
}

static GtkGesture *
drag_gesture (DocketPageWidget *widget)
{
  return GTK_GESTURE (docket_ui_test_find_controller (GTK_WIDGET (widget), GTK_TYPE_GESTURE_DRAG));
}

/* Where a point of the page (in points from its top left) is in the page widget: the
 * page is drawn below a margin, centred in the widget's width, at its display size. */
static void
page_to_widget (DocketPageWidget *widget,
                double            x,
                double            y,
                double           *out_x,
                double           *out_y)
{
  int display_width = docket_page_widget_get_display_width (widget);
  double scale = display_width / MAX (docket_pdf_page_get_width (docket_page_widget_get_page (widget)), 1.0);

  *out_x = MAX (0, (gtk_widget_get_width (GTK_WIDGET (widget)) - display_width) / 2) + x * scale;
  *out_y = DOCKET_PAGE_WIDGET_MARGIN + y * scale;
}

/* A drag on the page from (x0, y0) to (x1, y1), in points of the page, through `steps`
 * pointer motions. */
static void
drag_on_page (DocketPageWidget *widget,
              double            x0,
              double            y0,
              double            x1,
              double            y1,
              guint             steps)
{
  GtkGesture *gesture = drag_gesture (widget);
  double wx0, wy0, wx1, wy1;

  page_to_widget (widget, x0, y0, &wx0, &wy0);
  page_to_widget (widget, x1, y1, &wx1, &wy1);
  g_signal_emit_by_name (gesture, "drag-begin", wx0, wy0);
  for (guint i = 1; i <= steps; i++)
    {
      double t = (double) i / steps;
      /* A little wave, so that an ink stroke is not a straight line. */
      double wave = steps > 1 ? 6 * sin (t * G_PI * 2) : 0;

      g_signal_emit_by_name (gesture, "drag-update", (wx1 - wx0) * t, (wy1 - wy0) * t + wave);
    }
  g_signal_emit_by_name (gesture, "drag-end", wx1 - wx0, wy1 - wy0);
}

static void
click_on_page (DocketPageWidget *widget,
               double            x,
               double            y)
{
  drag_on_page (widget, x, y, x, y, 0);
}

/* The note popover open over a page, or NULL: the page widget is its parent. */
static GtkWidget *
note_popover (DocketPageWidget *page)
{
  return docket_ui_test_find_descendant (GTK_WIDGET (page), DOCKET_TYPE_NOTE_POPOVER);
}

/* Where text is on a page, from poppler, in points from the top left. */
static graphene_rect_t
find_text_box (const char *path,
               guint       index,
               const char *text)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  PopplerDocument *document = poppler_document_new_from_gfile (file, NULL, NULL, &error);
  PopplerPage *page;
  GList *hits;
  PopplerRectangle *hit;
  double height;
  graphene_rect_t box;

  g_assert_no_error (error);
  page = poppler_document_get_page (document, (int) index);
  poppler_page_get_size (page, NULL, &height);
  hits = poppler_page_find_text_with_options (page, text, POPPLER_FIND_CASE_SENSITIVE);
  g_assert_nonnull (hits);
  hit = hits->data;
  /* poppler's find gives boxes with their origin at the bottom left */
  graphene_rect_init (&box, hit->x1, height - hit->y2, hit->x2 - hit->x1, hit->y2 - hit->y1);
  g_list_free_full (hits, (GDestroyNotify) poppler_rectangle_free);
  g_object_unref (page);
  g_object_unref (document);
  return box;
}

/* Waiting on the annotations */

static gboolean
list_loaded (gpointer data)
{
  DocketAnnotator *annotator = data;
  DocketAnnotationList *list = docket_annotator_get_list (annotator);

  return list != NULL && docket_annotation_list_get_loaded (list);
}

static gboolean
list_settled (gpointer data)
{
  DocketAnnotationList *list = data;
  return !docket_annotation_list_get_busy (list);
}

static DocketAnnotation *find_kind (DocketAnnotationList *list,
                                    DocketAnnotationKind  kind);

static gboolean
on_second_page (gpointer data)
{
  return docket_document_view_get_current_page (data) == 1;
}

static gboolean
five_annotations (gpointer data)
{
  return g_list_model_get_n_items (G_LIST_MODEL (data)) == 5;
}

static gboolean
underline_made (gpointer data)
{
  return find_kind (data, DOCKET_ANNOTATION_UNDERLINE) != NULL;
}

static gboolean
text_selected (gpointer data)
{
  DocketPdfSelection *selection = docket_annotator_get_text_selection (data);
  return selection != NULL && selection->rects->len > 0;
}

static DocketAnnotation *
find_kind (DocketAnnotationList *list,
           DocketAnnotationKind  kind)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)); i++)
    {
      g_autoptr(DocketAnnotation) annotation = g_list_model_get_item (G_LIST_MODEL (list), i);

      if (docket_annotation_get_kind (annotation) == kind)
        return docket_annotation_list_find (list, docket_annotation_get_id (annotation));
    }
  return NULL;
}

static guint
count_kind (GPtrArray            *records,
            DocketAnnotationKind  kind)
{
  guint n = 0;

  for (guint i = 0; i < records->len; i++)
    n += ((DocketAnnotationRecord *) g_ptr_array_index (records, i))->kind == kind;
  return n;
}

typedef struct {
  gboolean  done;
  char     *text;
} ClipboardRead;

static void
on_clipboard_read (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ClipboardRead *read = user_data;
  g_autoptr(GError) error = NULL;

  read->text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, &error);
  g_assert_no_error (error);
  read->done = TRUE;
}

static gboolean
clipboard_read (gpointer data)
{
  return ((ClipboardRead *) data)->done;
}

static gboolean
export_done (gpointer data)
{
  return *(gboolean *) data;
}

static void
on_exported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (docket_annotator_export_finish (DOCKET_ANNOTATOR (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/* The test */

static gboolean
toolbar_shown (gpointer data)
{
  return gtk_widget_get_mapped (docket_ui_test_find_descendant (data, DOCKET_TYPE_ANNOTATION_TOOLBAR));
}

static gboolean
toolbar_hidden (gpointer data)
{
  return !toolbar_shown (data);
}

static gboolean
view_annotating (DocketDocumentView *view)
{
  gboolean annotating = FALSE;

  g_object_get (view, "annotating", &annotating, NULL);
  return annotating;
}

/* The annotation tools stay out of the text's way until asked for (Ctrl+E, the
 * toolbar's Annotate button), as in Papers; leaving puts the pointer back to selecting,
 * and a tool chosen from anywhere shows them. */
static void
check_annotate_mode (DocketDocumentView *view,
                     DocketAnnotator    *annotator)
{
  g_assert_false (view_annotating (view));
  g_assert_false (toolbar_shown (view));

  docket_ui_test_press (GTK_WIDGET (view), "<Control>e");
  g_assert_true (view_annotating (view));
  docket_ui_test_wait_for (toolbar_shown, view, "the annotation tools to show");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "annot.tool", "s", "ink"));
  g_assert_cmpint (docket_annotator_get_tool (annotator), ==, DOCKET_ANNOTATION_TOOL_INK);

  docket_ui_test_press (GTK_WIDGET (view), "<Control>e");
  g_assert_false (view_annotating (view));
  g_assert_cmpint (docket_annotator_get_tool (annotator), ==, DOCKET_ANNOTATION_TOOL_SELECT);
  docket_ui_test_wait_for (toolbar_hidden, view, "the annotation tools to hide");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "annot.tool", "s", "note"));
  g_assert_true (view_annotating (view));
  docket_ui_test_wait_for (toolbar_shown, view, "the annotation tools to show for a tool");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "annot.tool", "s", "select"));
}

static void
test_annotate_in_window (void)
{
  g_autofree char *profile = docket_test_make_tmpdir ("docket-annotate");
  g_autofree char *export_dir = docket_test_make_tmpdir ("docket-export");
  g_autofree char *export_path = g_build_filename (export_dir, "copy.pdf", NULL);
  g_autofree char *ui_export_path = g_build_filename (export_dir, "from-the-view.pdf", NULL);
  g_autofree char *document_id = NULL;
  g_autofree char *source_path = NULL;
  g_autofree char *note_id = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GHashTable) subtypes = NULL;
  g_autoptr(GError) error = NULL;
  DocketTestServer *server = docket_test_server_start (TRUE);
  DocketUiTestClient client = { .height = 860 };
  DocketDocumentView *view;
  DocketAnnotator *annotator;
  DocketAnnotationList *list;
  DocketPageWidget *page;
  DocketAnnotation *annotation;
  DocketStoreDocumentRow *row;
  graphene_rect_t box;
  ClipboardRead read = { 0 };
  ExportedAnnots exported;
  gboolean exported_from_view = FALSE;
  const DocketAnnotationGeometry *geometry;
  double note_x, note_y;

  docket_ui_test_client_open (&client, profile);
  docket_ui_test_client_sign_in (&client, server);
  docket_ui_test_wait_for (docket_ui_test_client_some_meeting_offline, &client, "a demo meeting with its documents");
  document_id = docket_ui_test_open_offline_document (client.window);
  view = DOCKET_DOCUMENT_VIEW (docket_ui_test_window_part (client.window, DOCKET_TYPE_DOCUMENT_VIEW));
  docket_ui_test_wait_for (view_ready, view, "the document to open");
  annotator = docket_document_view_get_annotator (view);
  g_assert_nonnull (annotator);
  docket_ui_test_wait_for (list_loaded, annotator, "the annotations to load");
  check_annotate_mode (view, annotator);
  list = docket_annotator_get_list (annotator);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  page = wait_for_page (view, 0);

  row = docket_store_get_document (client.store, document_id, &error);
  g_assert_no_error (error);
  source_path = g_strdup (row->path);
  docket_store_document_row_free (row);

  /* Select Vietnamese text by dragging over it, and copy it. */
  box = find_text_box (source_path, 0, "Hội đồng");
  drag_on_page (page, box.origin.x + 0.5, box.origin.y + box.size.height / 2,
                box.origin.x + box.size.width - 0.5, box.origin.y + box.size.height / 2, 4);
  docket_ui_test_wait_for (text_selected, annotator, "the text selection");
  g_assert_nonnull (strstr (docket_annotator_get_text_selection (annotator)->text, "Hội đồng"));
  docket_ui_test_press (GTK_WIDGET (view), "<Control>c");
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (view)), NULL, on_clipboard_read, &read);
  docket_ui_test_wait_for (clipboard_read, &read, "the clipboard");
  g_assert_nonnull (read.text);
  g_assert_nonnull (strstr (read.text, "Hội đồng"));
  g_free (read.text);

  /* Highlight it: the marker chosen with the text selected marks it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "annot.tool", "s", "highlight"));
  annotation = find_kind (list, DOCKET_ANNOTATION_HIGHLIGHT);
  g_assert_nonnull (annotation);
  g_assert_cmpuint (docket_annotation_get_page (annotation), ==, 0);
  g_assert_cmpstr (docket_annotation_get_color (annotation), ==, docket_annotator_colors[0]);
  geometry = docket_annotation_get_geometry (annotation);
  g_assert_cmpuint (geometry->rects->len, >=, 1);
  /* The highlight covers the words. */
  g_assert_cmpfloat (g_array_index (geometry->rects, DocketGeometryRect, 0).x0, <=, box.origin.x + 2);
  g_assert_cmpfloat (g_array_index (geometry->rects, DocketGeometryRect, 0).y1, >=, box.origin.y + box.size.height / 2);
  g_assert_null (docket_annotator_get_text_selection (annotator));

  /* Underline by dragging over the words with the underline tool. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "annot.tool", "s", "underline"));
  box = find_text_box (source_path, 0, "Ủy ban nhân dân");
  drag_on_page (page, box.origin.x + 0.5, box.origin.y + box.size.height / 2,
                box.origin.x + box.size.width - 0.5, box.origin.y + box.size.height / 2, 4);
  docket_ui_test_wait_for (underline_made, list, "the underline");
  geometry = docket_annotation_get_geometry (find_kind (list, DOCKET_ANNOTATION_UNDERLINE));
  g_assert_cmpfloat (g_array_index (geometry->rects, DocketGeometryRect, 0).x1, >=, box.origin.x + box.size.width - 3);

  /* The highlight's text, edited (Enter on the selected annotation opens it). */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "annot.tool", "s", "select"));
  docket_annotator_select (annotator, docket_annotation_get_id (find_kind (list, DOCKET_ANNOTATION_HIGHLIGHT)));
  docket_ui_test_press (GTK_WIDGET (view), "Return");
  g_assert_true (gtk_widget_get_visible (note_popover (page)));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (docket_note_popover_get_text_view (
                              DOCKET_NOTE_POPOVER (note_popover (page)))), "Hỏi Thường trực", -1);
  gtk_popover_popdown (GTK_POPOVER (note_popover (page)));
  g_assert_cmpstr (docket_annotation_get_contents (find_kind (list, DOCKET_ANNOTATION_HIGHLIGHT)), ==, "Hỏi Thường trực");

  /* An ink stroke, with the pen tool. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "annot.tool", "s", "ink"));
  /* With a drawing tool, a colour is for what comes next, not for the selection. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "annot.color", "s", "#f66151"));
  drag_on_page (page, 100, 400, 300, 430, 20);
  annotation = find_kind (list, DOCKET_ANNOTATION_INK);
  g_assert_nonnull (annotation);
  geometry = docket_annotation_get_geometry (annotation);
  g_assert_cmpuint (geometry->strokes->len, ==, 1);
  g_assert_cmpuint (((GArray *) g_ptr_array_index (geometry->strokes, 0))->len / 2, >=, 10);
  g_assert_cmpstr (docket_annotation_get_color (annotation), ==, "#f66151");
  g_assert_cmpstr (docket_annotation_get_color (find_kind (list, DOCKET_ANNOTATION_HIGHLIGHT)), ==,
                   docket_annotator_colors[0]);

  /* A sticky note: a click puts it there and opens its text. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "annot.tool", "s", "note"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "annot.color", "s", "#f8e45c"));
  click_on_page (page, 450, 150);
  annotation = find_kind (list, DOCKET_ANNOTATION_NOTE);
  g_assert_nonnull (annotation);
  note_id = g_strdup (docket_annotation_get_id (annotation));
  g_assert_nonnull (note_popover (page));
  g_assert_true (gtk_widget_get_visible (note_popover (page)));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (docket_note_popover_get_text_view (
                              DOCKET_NOTE_POPOVER (note_popover (page)))), NOTE_TEXT, -1);
  save_screenshot (GTK_WIDGET (client.window), "annotate-note-editor.png");
  gtk_popover_popdown (GTK_POPOVER (note_popover (page)));
  annotation = docket_annotation_list_find (list, note_id);
  g_assert_cmpstr (docket_annotation_get_contents (annotation), ==, NOTE_TEXT);
  note_x = docket_annotation_get_geometry (annotation)->x;
  note_y = docket_annotation_get_geometry (annotation)->y;
  g_assert_cmpfloat (fabs (note_x - 450), <, 1);

  /* Undo the text, undo the note; redo both: the note comes back (under a new id, as
   * the first one is deleted for good) with its text. */
  docket_ui_test_press (GTK_WIDGET (view), "<Control>z");
  g_assert_cmpstr (docket_annotation_get_contents (docket_annotation_list_find (list, note_id)), ==, "");
  docket_ui_test_press (GTK_WIDGET (view), "<Control>z");
  g_assert_null (find_kind (list, DOCKET_ANNOTATION_NOTE));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 3);
  docket_ui_test_press (GTK_WIDGET (view), "<Control><Shift>z");
  docket_ui_test_press (GTK_WIDGET (view), "<Control><Shift>z");
  annotation = find_kind (list, DOCKET_ANNOTATION_NOTE);
  g_assert_nonnull (annotation);
  g_assert_cmpstr (docket_annotation_get_contents (annotation), ==, NOTE_TEXT);
  g_assert_cmpstr (docket_annotation_get_id (annotation), !=, note_id);
  g_free (note_id);
  note_id = g_strdup (docket_annotation_get_id (annotation));
  g_assert_false (docket_annotation_list_can_redo (list));

  /* Move the note with the select tool. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "annot.tool", "s", "select"));
  drag_on_page (page, note_x + 5, note_y + 5, note_x + 45, note_y + 25, 5);
  annotation = docket_annotation_list_find (list, note_id);
  g_assert_cmpfloat (fabs (docket_annotation_get_geometry (annotation)->x - (note_x + 40)), <, 1);
  g_assert_cmpfloat (fabs (docket_annotation_get_geometry (annotation)->y - (note_y + 20)), <, 1);
  g_assert_cmpstr (docket_annotator_get_selected_id (annotator), ==, note_id);

  /* A rectangle, recoloured, then deleted with the Delete key. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "annot.tool", "s", "rectangle"));
  drag_on_page (page, 80, 600, 250, 680, 3);
  annotation = find_kind (list, DOCKET_ANNOTATION_RECTANGLE);
  g_assert_nonnull (annotation);
  g_assert_cmpstr (docket_annotator_get_selected_id (annotator), ==, docket_annotation_get_id (annotation));
  /* Picked with the select tool (on its edge), it takes the colour chosen. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "annot.tool", "s", "select"));
  docket_annotator_select (annotator, NULL);
  click_on_page (page, 80, 640);
  g_assert_cmpstr (docket_annotator_get_selected_id (annotator), ==, docket_annotation_get_id (annotation));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "annot.color", "s", "#99c1f1"));
  g_assert_cmpstr (docket_annotation_get_color (find_kind (list, DOCKET_ANNOTATION_RECTANGLE)), ==, "#99c1f1");
  docket_ui_test_press (GTK_WIDGET (view), "Delete");
  g_assert_null (find_kind (list, DOCKET_ANNOTATION_RECTANGLE));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 4);

  /* A note put down and closed without a word goes, and leaves nothing to undo: the
   * last step is still the rectangle's deletion. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "annot.tool", "s", "note"));
  click_on_page (page, 300, 300);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 5);
  gtk_popover_popdown (GTK_POPOVER (note_popover (page)));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 4);
  docket_ui_test_wait_for (list_settled, list, "the empty note to be gone");
  {
    g_autoptr(GPtrArray) stored = docket_store_list_annotations (client.store, document_id, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (stored->len, ==, 4);
  }
  docket_ui_test_press (GTK_WIDGET (view), "<Control>z");
  g_assert_nonnull (find_kind (list, DOCKET_ANNOTATION_RECTANGLE));
  docket_ui_test_press (GTK_WIDGET (view), "<Control><Shift>z");
  g_assert_null (find_kind (list, DOCKET_ANNOTATION_RECTANGLE));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 4);

  /* Everything on its way to the store is there. */
  docket_ui_test_wait_for (list_settled, list, "the annotations to be saved");
  g_assert_null (docket_annotation_list_get_error (list));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "annot.tool", "s", "select"));
  docket_annotator_select (annotator, note_id);
  docket_ui_test_press (GTK_WIDGET (view), "Escape");
  g_assert_null (docket_annotator_get_selected_id (annotator));
  gtk_widget_activate_action (GTK_WIDGET (view), "view.toggle-sidebar", NULL);
  save_screenshot (GTK_WIDGET (client.window), "annotate-page.png");

  /* Export through the view's own path. */
  {
    g_autoptr(GFile) destination = g_file_new_for_path (ui_export_path);

    docket_annotator_export_async (annotator, destination, NULL, on_exported, &exported_from_view);
    docket_ui_test_wait_for (export_done, &exported_from_view, "the export");
    read_back_with_poppler (ui_export_path, &exported);
    g_assert_cmpuint (exported.highlight, ==, 1);
    g_assert_cmpuint (exported.ink, ==, 1);
    g_assert_cmpuint (exported.text, ==, 1);
    g_free (exported.note_contents);
  }

  /* Close everything; a fresh store on the same profile has them (they were committed
   * when drawn), and so has a new window. */
  docket_ui_test_client_close (&client);
  {
    g_autoptr(DocketStore) store = docket_store_open (profile, &error);

    g_assert_no_error (error);
    records = docket_store_list_annotations (store, document_id, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (records->len, ==, 4);
    g_assert_cmpuint (count_kind (records, DOCKET_ANNOTATION_HIGHLIGHT), ==, 1);
    g_assert_cmpuint (count_kind (records, DOCKET_ANNOTATION_UNDERLINE), ==, 1);
    g_assert_cmpuint (count_kind (records, DOCKET_ANNOTATION_INK), ==, 1);
    g_assert_cmpuint (count_kind (records, DOCKET_ANNOTATION_NOTE), ==, 1);
  }

  docket_ui_test_client_open (&client, profile);
  docket_ui_test_wait_for (docket_ui_test_client_some_meeting_offline, &client, "the meetings, from the cache");
  g_free (docket_ui_test_open_offline_document (client.window));
  view = DOCKET_DOCUMENT_VIEW (docket_ui_test_window_part (client.window, DOCKET_TYPE_DOCUMENT_VIEW));
  docket_ui_test_wait_for (view_ready, view, "the document to open again");
  annotator = docket_document_view_get_annotator (view);
  docket_ui_test_wait_for (list_loaded, annotator, "the annotations to load again");
  list = docket_annotator_get_list (annotator);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 4);
  g_assert_cmpstr (docket_annotation_get_contents (find_kind (list, DOCKET_ANNOTATION_HIGHLIGHT)), ==, "Hỏi Thường trực");
  g_assert_cmpstr (docket_annotation_get_contents (find_kind (list, DOCKET_ANNOTATION_NOTE)), ==, NOTE_TEXT);
  wait_for_page (view, 0);
  /* The panel lists them under their page. */
  {
    GtkWidget *panel = docket_ui_test_find_descendant (GTK_WIDGET (view), DOCKET_TYPE_ANNOTATIONS_PANEL);
    GtkListView *panel_list;

    g_assert_nonnull (panel);
    /* The panel's one list view. */
    panel_list = GTK_LIST_VIEW (docket_ui_test_find_descendant (panel, GTK_TYPE_LIST_VIEW));
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (panel_list))), ==, 4);
    gtk_widget_activate_action (GTK_WIDGET (view), "view.toggle-sidebar", NULL);
    gtk_stack_set_visible_child_name (GTK_STACK (docket_ui_test_find_named (GTK_WIDGET (view), "sidebar-stack")), "annotations");
    g_signal_emit_by_name (panel_list, "activate", 1u);
    g_assert_nonnull (docket_annotator_get_selected_id (annotator));
  }
  save_screenshot (GTK_WIDGET (client.window), "annotate-reopened.png");

  /* An annotation that reaches the store from elsewhere (the sync, from the official's
   * other computer) shows at once in the open document. */
  {
    g_autoptr(DocketAnnotationRecord) other = docket_annotation_record_new ();

    other->id = g_uuid_string_random ();
    other->document_id = g_strdup (document_id);
    other->page = 1;
    other->kind = DOCKET_ANNOTATION_RECTANGLE;
    other->color = g_strdup ("#8ff0a4");
    other->geometry = g_strdup ("{\"width\": 2, \"rect\": [50, 60, 250, 160]}");
    other->contents = g_strdup ("");
    other->created_at = other->updated_at = g_get_real_time () / 1000;
    g_assert_true (docket_store_save_annotation (client.store, other, &error));
    g_assert_no_error (error);
    docket_ui_test_wait_for (five_annotations, list, "the annotation saved elsewhere");
    g_assert_cmpuint (docket_annotation_get_page (find_kind (list, DOCKET_ANNOTATION_RECTANGLE)), ==, 1);
    save_screenshot (GTK_WIDGET (client.window), "annotate-panel.png");

    /* Its row in the panel (the last: page 2) takes the reader to its page. */
    g_signal_emit_by_name (docket_ui_test_find_descendant (
                             docket_ui_test_find_descendant (GTK_WIDGET (view), DOCKET_TYPE_ANNOTATIONS_PANEL), GTK_TYPE_LIST_VIEW),
                           "activate", 4u);
    g_assert_cmpstr (docket_annotator_get_selected_id (annotator), ==, other->id);
    docket_ui_test_wait_for (on_second_page, view, "the panel to take the view to page 2");
  }

  /* Export: standard annotations, which poppler and qpdf read back. */
  g_assert_true (docket_pdf_export_annotations (source_path, export_path, records, NULL, &error));
  g_assert_no_error (error);
  read_back_with_poppler (export_path, &exported);
  g_assert_cmpuint (exported.highlight, ==, 1);
  g_assert_cmpuint (exported.underline, ==, 1);
  g_assert_cmpuint (exported.ink, ==, 1);
  g_assert_cmpuint (exported.text, ==, 1);
  g_assert_cmpstr (exported.note_contents, ==, NOTE_TEXT);
  /* #f8e45c, within what poppler keeps of a colour written as PDF numbers */
  g_assert_cmpint (ABS ((int) (exported.highlight_red >> 8) - 0xf8), <=, 4);
  g_assert_cmpint (ABS ((int) (exported.highlight_green >> 8) - 0xe4), <=, 4);
  g_assert_cmpint (ABS ((int) (exported.highlight_blue >> 8) - 0x5c), <=, 4);
  g_free (exported.note_contents);
  subtypes = read_back_with_qpdf (export_path);
  g_assert_cmpuint (subtype_count (subtypes, "/Highlight"), ==, 1);
  g_assert_cmpuint (subtype_count (subtypes, "/Underline"), ==, 1);
  g_assert_cmpuint (subtype_count (subtypes, "/Ink"), ==, 1);
  g_assert_cmpuint (subtype_count (subtypes, "/Text"), ==, 1);
  /* The source is untouched. */
  read_back_with_poppler (source_path, &exported);
  g_assert_cmpuint (exported.highlight + exported.ink + exported.text, ==, 0);

  docket_ui_test_client_close (&client);
  docket_test_server_stop (server);
  docket_test_rmtree (profile);
  docket_test_rmtree (export_dir);
}

/* Links, on a PDF of three pages with a link to page 3 and one to the web. */
static void
write_linked_pdf (const char *path)
{
  cairo_surface_t *surface = cairo_pdf_surface_create (path, 595, 842);
  cairo_t *cr = cairo_create (surface);

  for (int i = 0; i < 3; i++)
    {
      g_autofree char *text = g_strdup_printf ("Trang %d", i + 1);

      cairo_set_font_size (cr, 30);
      cairo_move_to (cr, 50, 100);
      cairo_show_text (cr, text);
      if (i == 0)
        {
          cairo_tag_begin (cr, CAIRO_TAG_LINK, "dest='trang-ba'");
          cairo_move_to (cr, 50, 200);
          cairo_show_text (cr, "Xem trang 3");
          cairo_tag_end (cr, CAIRO_TAG_LINK);
          cairo_tag_begin (cr, CAIRO_TAG_LINK, "uri='https://example.org/'");
          cairo_move_to (cr, 50, 300);
          cairo_show_text (cr, "example.org");
          cairo_tag_end (cr, CAIRO_TAG_LINK);
        }
      if (i == 2)
        {
          cairo_tag_begin (cr, CAIRO_TAG_DEST, "name='trang-ba'");
          cairo_move_to (cr, 50, 150);
          cairo_show_text (cr, "Đích");
          cairo_tag_end (cr, CAIRO_TAG_DEST);
        }
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
}

/* A point of a page, for the condition below. */
typedef struct {
  DocketPageWidget *page;
  double            x, y;
} PagePoint;

/* Condition: the pointer over the point shows a link is there (the pointing hand), as
 * it does once the page's links are read. */
static gboolean
pointer_shows_link (gpointer data)
{
  PagePoint *point = data;
  GtkEventController *motion = docket_ui_test_find_controller (GTK_WIDGET (point->page),
                                                               GTK_TYPE_EVENT_CONTROLLER_MOTION);
  GdkCursor *cursor;
  double x, y;

  page_to_widget (point->page, point->x, point->y, &x, &y);
  g_signal_emit_by_name (motion, "motion", x, y);
  cursor = gtk_widget_get_cursor (GTK_WIDGET (point->page));
  return cursor != NULL && g_strcmp0 (gdk_cursor_get_name (cursor), "pointer") == 0;
}

static gboolean
current_page_is_2 (gpointer data)
{
  return docket_document_view_get_current_page (data) == 2;
}

static void
test_links (void)
{
  g_autofree char *root = docket_test_make_tmpdir ("docket-links");
  g_autofree char *path = g_build_filename (root, "links.pdf", NULL);
  g_autoptr(GFile) file = NULL;
  g_autoptr(DocketPdfDocument) pdf = NULL;
  g_autoptr(GPtrArray) links = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *window = gtk_window_new ();
  DocketDocumentView *view = g_object_new (DOCKET_TYPE_DOCUMENT_VIEW, NULL);
  DocketPageWidget *page;
  DocketPdfLink *internal = NULL, *external = NULL;
  PagePoint link_point;

  write_linked_pdf (path);
  file = g_file_new_for_path (path);
  pdf = docket_pdf_document_load (file, NULL, &error);
  g_assert_no_error (error);
  links = docket_pdf_document_get_links (pdf, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (links->len, ==, 2);
  for (guint i = 0; i < links->len; i++)
    {
      DocketPdfLink *link = g_ptr_array_index (links, i);

      if (link->uri != NULL)
        external = link;
      else
        internal = link;
    }
  g_assert_nonnull (internal);
  g_assert_cmpint (internal->page, ==, 2);
  /* Top-left origin: the link drawn at y = 200 (baseline) is near there. */
  g_assert_cmpfloat (internal->area.origin.y, >, 150);
  g_assert_cmpfloat (internal->area.origin.y, <, 205);
  g_assert_nonnull (external);
  g_assert_cmpstr (external->uri, ==, "https://example.org/");

  /* In a view without annotations (no store): a click on the link goes to page 3. */
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 700);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (window));
  docket_document_view_open (view, path);
  docket_ui_test_wait_for (view_ready, view, "the document with links");
  page = wait_for_page (view, 0);
  link_point = (PagePoint) { page, internal->area.origin.x + internal->area.size.width / 2,
                             internal->area.origin.y + internal->area.size.height / 2 };
  docket_ui_test_wait_for (pointer_shows_link, &link_point, "the pointer to show the link");
  click_on_page (page, link_point.x, link_point.y);
  docket_ui_test_wait_for (current_page_is_2, view, "the link to take the view to page 3");
  save_screenshot (window, "annotate-link-followed.png");

  gtk_window_destroy (GTK_WINDOW (window));
  docket_test_rmtree (root);
}

/* The title of the toast the window shows, or NULL: read from the toast's widget in
 * the window's toast overlay (the overlay's children besides its content), as the
 * official reads it. */
static const char *
shown_toast_title (DocketWindow *window)
{
  GtkWidget *overlay = docket_ui_test_find_descendant (GTK_WIDGET (window), ADW_TYPE_TOAST_OVERLAY);
  GtkWidget *content;

  g_assert_nonnull (overlay);
  content = adw_toast_overlay_get_child (ADW_TOAST_OVERLAY (overlay));
  for (GtkWidget *child = gtk_widget_get_first_child (overlay); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *title;

      if (child == content)
        continue;
      title = docket_ui_test_find_descendant (child, GTK_TYPE_LABEL);
      if (title != NULL && gtk_widget_get_visible (title))
        return gtk_label_get_label (GTK_LABEL (title));
    }
  return NULL;
}

static gboolean
refusal_told (gpointer data)
{
  return shown_toast_title (data) != NULL;
}

/* One toast, counting both: the toast shown says 2 (a second toast would wait its turn
 * behind the first). */
static gboolean
refusals_told (gpointer data)
{
  const char *title = shown_toast_title (data);

  return title != NULL && strstr (title, "2") != NULL;
}

/* The real server refuses an annotation and a note made on a document it does not know
 * (404): the window tells the official, once, that they stay on this computer. */
static void
test_refused_change_is_told (void)
{
  g_autofree char *profile = docket_test_make_tmpdir ("docket-annotate-refused");
  g_autoptr(DocketAnnotationRecord) orphan = make_record (DOCKET_ANNOTATION_HIGHLIGHT, "#f8e45c",
                                                          "{\"rects\": [[10, 10, 100, 30]]}");
  g_autoptr(GError) error = NULL;
  DocketTestServer *server = docket_test_server_start (TRUE);
  DocketUiTestClient client = { 0 };
  const char *toast;

  docket_ui_test_client_open (&client, profile);
  docket_ui_test_client_sign_in (&client, server);
  docket_ui_test_wait_for (docket_ui_test_client_some_meeting_offline, &client, "a demo meeting with its documents");
  docket_ui_test_wait_for (docket_ui_test_client_not_syncing, &client, "the first sync to end");
  g_assert_null (shown_toast_title (client.window));

  g_free (orphan->document_id);
  orphan->document_id = g_strdup ("khong-co-tai-lieu");
  g_assert_true (docket_store_save_annotation (client.store, orphan, &error));
  g_assert_no_error (error);
  docket_ui_test_wait_for (refusal_told, client.window, "the refused annotation to be told");
  toast = shown_toast_title (client.window);
  g_test_message ("refusal: %s", toast);
  g_assert_nonnull (strstr (toast, "did not accept an annotation"));
  /* In the official's words, not the server's ("HTTP 404 not_found: ..." is logged). */
  g_assert_nonnull (strstr (toast, "no longer available to you"));
  g_assert_null (strstr (toast, "404"));
  /* ... and what the official drew is still here. */
  {
    g_autoptr(DocketAnnotationRecord) kept = docket_store_get_annotation (client.store, orphan->id, NULL, &error);

    g_assert_no_error (error);
    g_assert_nonnull (kept);
  }

  /* A second refusal while the first is shown: one toast that counts them. */
  g_assert_true (docket_store_save_note (client.store, DOCKET_NOTE_TARGET_DOCUMENT, "khong-co-tai-lieu",
                                         "Ghi chú", &error));
  g_assert_no_error (error);
  docket_ui_test_wait_for (refusals_told, client.window, "the second refusal to be counted");
  save_screenshot (GTK_WIDGET (client.window), "annotate-refused.png");

  docket_ui_test_client_close (&client);
  docket_test_server_stop (server);
  docket_test_rmtree (profile);
}

int
main (int   argc,
      char *argv[])
{
  docket_ui_test_init (&argc, &argv);

  g_test_add_func ("/annotate/window", test_annotate_in_window);
  g_test_add_func ("/annotate/links", test_links);
  g_test_add_func ("/annotate/refused-change-is-told", test_refused_change_is_told);

  return g_test_run ();
}
