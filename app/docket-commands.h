/* docket-commands.h: the window-less commands (--sign-in, --sync-once, --version)
 *
 * They need neither GTK nor a display. `docket` runs them from main () without loading
 * the window's module (GTK, libadwaita, poppler: ~70 libraries whose loading alone costs
 * 20-30 ms), so that scripts, cron jobs and a sync with nothing new start fast.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit statuses of the window-less commands (as in docket-application.h). */
#define DOCKET_EXIT_FAILURE 1   /* the command failed; the reason is on standard error */
#define DOCKET_EXIT_USAGE   2   /* the command line was wrong */

/* The profile folder used without --profile. */
char     *docket_commands_default_profile_dir (void);

/* Whether the command line asks for a window-less command, and so whether
 * docket_commands_main () should handle it. */
gboolean  docket_commands_wanted              (int          argc,
                                               char       **argv);

/* Parses the whole command line and runs the commands it names: the exit status. */
int       docket_commands_main                (int          argc,
                                               char       **argv);

/* Signs in (when sign_in_url is not NULL: the password on standard input), then syncs
 * once (when sync_once), indexing each downloaded document for search as soon as it is
 * on disk while the others download, in a plain main loop: the exit status, the reason
 * of a failure on standard error. verbose says, with the milliseconds since the start,
 * when the meetings are up to date, when every document is on disk and verified, and
 * when indexing starts and ends (what bench/sync and bench/feed time). */
int       docket_commands_run                 (const char  *profile_dir,
                                               const char  *sign_in_url,
                                               const char  *sign_in_user,
                                               gboolean     sync_once,
                                               gboolean     verbose);

G_END_DECLS
