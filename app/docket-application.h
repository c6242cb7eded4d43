/* docket-application.h: start-up, the command line, app-wide actions
 *
 * Owns the profile's DocketStore and DocketSync. The window-less paths (--sign-in,
 * --sync-once, --version) run in handle-local-options with a plain GMainLoop, before
 * GTK is initialised, so that scripts and cron jobs need no display.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define DOCKET_TYPE_APPLICATION (docket_application_get_type ())
G_DECLARE_FINAL_TYPE (DocketApplication, docket_application, DOCKET, APPLICATION, AdwApplication)

DocketApplication *docket_application_new             (void);
/* The absolute path of the profile folder. */
const char        *docket_application_get_profile_dir (DocketApplication *self);

/* Exit statuses of the window-less commands. */
#define DOCKET_EXIT_FAILURE 1   /* the command failed; the reason is on standard error */
#define DOCKET_EXIT_USAGE   2   /* the command line was wrong */

G_END_DECLS
