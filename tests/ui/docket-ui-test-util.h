/* docket-ui-test-util.h: what the window tests share (waiting on real events,
 * screenshots); the tests drive the real widgets in-process under Xvfb. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define DOCKET_UI_TEST_WAIT_SECONDS 30

typedef gboolean (*DocketUiTestCondition) (gpointer data);

/* Iterates the main context until condition holds; fails the test after
 * DOCKET_UI_TEST_WAIT_SECONDS, naming what it waited for. */
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

G_END_DECLS
