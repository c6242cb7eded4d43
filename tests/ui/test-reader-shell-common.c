/* test-reader-shell-common.c: what test-reader-shell and test-reader-shell-find share
 *
 * The start-up (with this build's signature checker), the pages' view, a page waited for
 * at the top of the view, and a document made here opened in a window of its own.
 */
#include "config.h"

#include <math.h>

#include "test-reader-shell-common.h"
#include "docket-page-widget.h"

void
reader_shell_test_init (int    *argc,
                        char ***argv)
{
  docket_ui_test_init (argc, argv);
  /* The signature checker of this build (the program looks next to itself). */
  {
    g_autofree char *checker = g_test_build_filename (G_TEST_BUILT, "..", "app", "pdf", "docket-signature-check", NULL);
    g_setenv ("DOCKET_SIGNATURE_CHECK", checker, TRUE);
  }
}

void
save_screenshot (GtkWidget  *window,
                 const char *name)
{
  docket_ui_test_save_screenshot (window, NULL, name);
}

/* The pages' view (the sidebar has list views of its own). */
GtkWidget *
page_list (DocketDocumentView *view)
{
  return docket_ui_test_find_named (GTK_WIDGET (view), "page-view");
}

/* The document view */

gboolean
current_page_is (gpointer data)
{
  PageWait *wait = data;
  return docket_document_view_get_current_page (wait->view) == wait->index;
}

static gboolean
page_at_top (gpointer data)
{
  PageWait *wait = data;
  DocketPageWidget *widget = docket_ui_test_find_page_widget (wait->view, wait->index);
  graphene_rect_t bounds;

  return widget != NULL && gtk_widget_compute_bounds (GTK_WIDGET (widget), page_list (wait->view), &bounds) &&
         fabs (bounds.origin.y) <= 16;
}

void
assert_on_page (DocketDocumentView *view,
                guint               index)
{
  PageWait wait = { view, index };

  docket_ui_test_wait_for (current_page_is, &wait, "the current page");
  docket_ui_test_wait_for (page_at_top, &wait, "the page at the top of the view");
}

/* Documents made here */

DocketDocumentView *
open_in_window (const char  *path,
                GtkWidget  **out_window)
{
  GtkWidget *window = gtk_window_new ();
  DocketDocumentView *view = g_object_new (DOCKET_TYPE_DOCUMENT_VIEW, NULL);

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 750);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (window));
  docket_document_view_open (view, path);
  docket_ui_test_wait_for (docket_ui_test_view_settled, view, "the document to open");
  *out_window = window;
  return view;
}
