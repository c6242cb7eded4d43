/* docket-resources.c: Docket's GResource and style sheet, wherever a widget of ours lives */

#include "config.h"

#include <gtk/gtk.h>

#include "docket-resources.h"

/* From the compiled GResource (data/docket.gresource.xml), built with
 * --manual-register so that a static library does not depend on a constructor. */
void docket_register_resource (void);

void
docket_ensure_resources (void)
{
  static gsize registered = 0;

  if (g_once_init_enter (&registered))
    {
      docket_register_resource ();
      g_once_init_leave (&registered, 1);
    }
}

void
docket_ensure_style (void)
{
  static gboolean loaded = FALSE;
  g_autoptr(GtkCssProvider) provider = NULL;
  GdkDisplay *display = gdk_display_get_default ();

  if (loaded || display == NULL)
    return;
  loaded = TRUE;
  docket_ensure_resources ();

  /* The app icon ships in the GResource; AdwApplication adds this path too, but the
   * widgets may live without it (tests, benchmarks). */
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (display),
                                    DOCKET_RESOURCE_PREFIX "/icons");

  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, DOCKET_RESOURCE_PREFIX "/docket.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}
