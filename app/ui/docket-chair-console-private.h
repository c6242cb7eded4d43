/* docket-chair-console-private.h: what the console's parts share with the console
 *
 * The console (docket-chair-console.c) owns the console.* actions, their shortcuts and
 * the sync engine's requests; its parts (DocketRollCall, DocketSpeakersPanel) show the
 * live model and raise those actions from their rows.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A row's button: its action, its target (floating, taken), what a screen reader says it
 * does, and a tooltip. */
GtkWidget *docket_chair_console_row_button (const char *label,
                                            const char *action_name,
                                            GVariant   *target,
                                            const char *accessible_label,
                                            const char *tooltip);

/* "08:03" in local time; "" for NULL. */
char      *docket_chair_console_format_time (GDateTime *time);

G_END_DECLS
