/* test-reader-shell-common.h: what test-reader-shell and test-reader-shell-find share
 *
 * The reader shell's tests are two programs (find in a document apart from the rest of
 * what is around the pages, so that neither file grows past what a reader takes in); the
 * start-up, the pages' view, waiting for a page at the top and a document opened in a
 * window of its own are the same for both, and live here.
 */
#pragma once

#include <gtk/gtk.h>

#include "docket-ui-test-util.h"
#include "docket-document-view.h"

G_BEGIN_DECLS

typedef DocketUiTestPageWait PageWait;

/* docket_ui_test_init, and the signature checker of this build for the document view. */
void reader_shell_test_init (int    *argc,
                             char ***argv);

void save_screenshot (GtkWidget  *window,
                      const char *name);

/* The pages' view (the sidebar has list views of its own). */
GtkWidget *page_list (DocketDocumentView *view);

/* A wait condition: the view's current page is wait->index. */
gboolean current_page_is (gpointer data);

/* Waits until index is the current page and its top is at the top of the view. */
void assert_on_page (DocketDocumentView *view,
                     guint               index);

/* A document made here, opened in a window of its own (1000×750), once it has settled. */
DocketDocumentView *open_in_window (const char  *path,
                                    GtkWidget  **out_window);

G_END_DECLS
