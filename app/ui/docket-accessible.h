/* docket-accessible.h: names for what a screen reader hears where GTK 4.8 gives none
 *
 * A GtkListView or GtkGridView wraps each child in a row widget of its own (role list
 * item, or grid cell) that GTK 4.8 lets nobody name: a screen reader moving through the
 * list hears nothing, or the type name. (GtkListItem:accessible-label comes in GTK 4.12.)
 * Some toolkit widgets hold buttons of their own without a name, too.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Names the row of a list or grid view that holds child (the nearest ancestor whose role
 * is list item or grid cell); does nothing while child is in no such row. */
void docket_accessible_label_list_row (GtkWidget  *child,
                                       const char *label);

/* Names the first button shown inside widget, one the toolkit made without a name (the
 * show-password button of an AdwPasswordEntryRow, in libadwaita 1.2); FALSE when there
 * is none. */
gboolean docket_accessible_label_inner_button (GtkWidget  *widget,
                                               const char *label);

/* GTK 4.8 reads a button's label with its mnemonic underscore and then its text again
 * ("_Retry Retry"): the button is named by its text alone, as a screen reader should
 * say it. Call once the label is set. */
void     docket_accessible_name_button_by_text (GtkButton  *button);

G_END_DECLS
