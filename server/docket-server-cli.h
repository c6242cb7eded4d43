/* docket-server-cli.h: the command line of docket-server (serve, user ..., seed-demo, gc) */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Runs docket-server with argv and returns the process's exit status. */
int docket_server_cli_run (int    argc,
                           char **argv);

G_END_DECLS
