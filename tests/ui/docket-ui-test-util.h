/* docket-ui-test-util.h: what the window tests share (waiting on real events,
 * screenshots); the tests drive the real widgets in-process under Xvfb. */
#pragma once

#include <adwaita.h>

#include "docket-document-view.h"
#include "docket-page-widget.h"

#include "docket-find-bar.h"

G_BEGIN_DECLS

#define DOCKET_UI_TEST_WAIT_SECONDS 30

typedef gboolean (*DocketUiTestCondition) (gpointer data);

/* The start of every window test's main(): g_test_init, then GTK and libadwaita with
 * the app's resources, rendering with cairo and without animations. */
void docket_ui_test_init           (int                   *argc,
                                    char                ***argv);

/* Iterates the main context until condition holds; fails the test after
 * DOCKET_UI_TEST_WAIT_SECONDS, naming what it waited for (docket_test_wait_until). */
void docket_ui_test_wait_for       (DocketUiTestCondition  condition,
                                    gpointer               data,
                                    const char            *what);
/* Lets the window lay out and paint a few frames, so what we look at is what is shown. */
void docket_ui_test_wait_for_paint (GtkWidget             *window);
/* Renders the window with its own renderer into $DOCKET_TEST_ARTIFACTS/PREFIXNAME.png
 * (prefix may be NULL). */
void docket_ui_test_save_screenshot (GtkWidget            *window,
                                     const char           *prefix,
                                     const char           *name);

/* The first widget of type at or under widget (depth first), or NULL. */
GtkWidget *docket_ui_test_find_descendant (GtkWidget  *widget,
                                           GType       type);
/* A key press: the shortcut of widget whose trigger is accelerator ("<Control>f"),
 * activated as GTK does when the key arrives; fails the test when there is none. */
void       docket_ui_test_press           (GtkWidget  *widget,
                                           const char *accelerator);
/* The first event controller of type on widget (borrowed); fails the test when there is
 * none. */
GtkEventController *docket_ui_test_find_controller (GtkWidget *widget,
                                                    GType      type);

/* Writes with cairo a PDF of n_pages A4 pages that say their number ("Trang 1", ...);
 * with_outline adds an outline: "Chương 1" → page 1, its "Mục 1.1" → page 2, "Chương 2"
 * → page 4. */
void       docket_ui_test_write_numbered_pdf (const char *path,
                                              guint       n_pages,
                                              gboolean    with_outline);

/* The row (an AdwPreferencesRow: entry row, action row...) at or under widget whose title
 * is title, what a screen reader names it by; fails the test when there is none. */
GtkWidget  *docket_ui_test_find_row          (GtkWidget  *widget,
                                              const char *title);
/* The text of the alert shown at or under widget (a visible GtkLabel whose accessible role
 * is ALERT: what a screen reader announces), or NULL when none is shown. */
const char *docket_ui_test_shown_alert       (GtkWidget  *widget);

/* The button at or under widget whose label, without its mnemonic underscore, is text
 * (what is shown and heard); fails the test when there is none. */
GtkButton  *docket_ui_test_find_button       (GtkWidget  *widget,
                                              const char *text);
/* The first widget at or under widget (depth first) whose accessible name is name, as a
 * screen reader finds it: its own accessible label, or for a button without one the label
 * it shows (without its mnemonic underscore); NULL when there is none. */
GtkWidget  *docket_ui_test_find_by_accessible_name (GtkWidget  *widget,
                                                    const char *name);
/* The titles of the AdwPreferencesGroups at or under widget, in the order they are shown
 * (the headings a user reads). */
GStrv       docket_ui_test_dup_group_titles  (GtkWidget  *widget);
/* The name of the page a stack shows: the first GtkStack at or under widget (depth
 * first); fails the test when there is none. */
const char *docket_ui_test_visible_page      (GtkWidget  *widget);

/* The message dialog shown (visible) over parent, or NULL. */
AdwMessageDialog *docket_ui_test_find_message_dialog (GtkWindow *parent);

/* The document view */

/* Condition on a DocketDocumentView: its document is open (READY) or could not be
 * (FAILED). */
gboolean          docket_ui_test_view_settled     (gpointer            view);
/* The page widget on screen (mapped) showing page index (from 0) of view, or NULL. */
DocketPageWidget *docket_ui_test_find_page_widget (DocketDocumentView *view,
                                                   guint               index);
/* A page of a view, for the conditions below and the tests' own. */
typedef struct {
  DocketDocumentView *view;
  guint               index;
} DocketUiTestPageWait;
/* Condition on a DocketUiTestPageWait: the page is on screen and shows a rendering. */
gboolean          docket_ui_test_page_rendered    (gpointer            page_wait);

/* The first widget named name (gtk_widget_set_name (), "name" in a .ui file) at or
 * under widget, or NULL: how tests find what the official reads without the widget's
 * owner handing it out. */
GtkWidget  *docket_ui_test_find_named (GtkWidget  *widget,
                                       const char *name);
/* What the label (or menu button) named name under widget says; fails the test when
 * there is none. */
const char *docket_ui_test_get_label  (GtkWidget  *widget,
                                       const char *name);
/* What the label named name under widget says when the official can see it: NULL when
 * it, or a widget between it and widget, is hidden or in a revealer not revealed. */
const char *docket_ui_test_get_shown_label (GtkWidget  *widget,
                                            const char *name);
/* The find bar of a document view (or of any widget holding one); fails the test
 * when there is none. */
DocketFindBar *docket_ui_test_find_bar (GtkWidget *widget);
/* The hit (from 0, in document order) the find bar under widget shows as current, read
 * from its count as the official reads it ("3 of 17" is 2), or -1 when it shows none. */
int            docket_ui_test_find_current (GtkWidget *widget);

G_END_DECLS
