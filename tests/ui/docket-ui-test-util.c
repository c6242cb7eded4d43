/* docket-ui-test-util.c: what the window tests share */
#include "config.h"

#include <adwaita.h>
#include <cairo-pdf.h>
#include <stdio.h>
#include <string.h>

#include "docket-ui-test-util.h"
#include "docket-resources.h"
#include "docket-test-util.h"

void
docket_ui_test_init (int    *argc,
                     char ***argv)
{
  /* Xvfb has no GPU: Mesa's software GL would only slow the tests down, and its driver
   * leaks at start-up where LeakSanitizer cannot name it. Render with cairo. */
  g_setenv ("GDK_DEBUG", "gl-disable", FALSE);

  g_test_init (argc, argv, NULL);
  adw_init ();
  docket_ensure_resources ();
  /* Screenshots show pages, not the middle of a slide. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
}

/* Waiting on real events */

void
docket_ui_test_wait_for (DocketUiTestCondition  condition,
                         gpointer               data,
                         const char            *what)
{
  docket_test_wait_until (condition, data, DOCKET_UI_TEST_WAIT_SECONDS, what);
}

typedef struct {
  GdkFrameClock *clock;
  guint          frames;
} FrameWait;

static void
on_after_paint (GdkFrameClock *clock,
                FrameWait     *wait)
{
  /* Nothing animates: ask for the next frame ourselves. */
  if (++wait->frames < 3)
    gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_PAINT);
}

static gboolean
frames_painted (gpointer data)
{
  return ((FrameWait *) data)->frames >= 3;
}

void
docket_ui_test_wait_for_paint (GtkWidget *window)
{
  FrameWait wait = { gtk_widget_get_frame_clock (window), 0 };
  gulong id;

  g_assert_nonnull (wait.clock);
  id = g_signal_connect (wait.clock, "after-paint", G_CALLBACK (on_after_paint), &wait);
  gtk_widget_queue_draw (window);
  gdk_frame_clock_request_phase (wait.clock, GDK_FRAME_CLOCK_PHASE_PAINT);
  docket_ui_test_wait_for (frames_painted, &wait, "the window to paint");
  g_signal_handler_disconnect (wait.clock, id);
}

/* Screenshots: GtkSnapshot of the window, rendered by the window's own renderer. */
void
docket_ui_test_save_screenshot (GtkWidget  *window,
                                const char *prefix,
                                const char *name)
{
  const char *dir = g_getenv ("DOCKET_TEST_ARTIFACTS");
  g_autofree char *path = NULL;
  g_autofree char *file_name = g_strconcat (prefix != NULL ? prefix : "", name, NULL);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width, height;

  docket_ui_test_wait_for_paint (window);

  if (dir == NULL)
    dir = g_get_tmp_dir ();
  g_mkdir_with_parents (dir, 0755);
  path = g_build_filename (dir, file_name, NULL);

  width = gtk_widget_get_width (window);
  height = gtk_widget_get_height (window);
  paintable = gtk_widget_paintable_new (window);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

GtkWidget *
docket_ui_test_find_descendant (GtkWidget *widget,
                                GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = docket_ui_test_find_descendant (child, type);
      if (found != NULL)
        return found;
    }
  return NULL;
}

void
docket_ui_test_press (GtkWidget  *widget,
                      const char *accelerator)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  g_autoptr(GtkShortcutTrigger) wanted = gtk_shortcut_trigger_parse_string (accelerator);

  g_assert_nonnull (wanted);
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);

          if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), wanted))
            {
              g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, widget,
                                                           gtk_shortcut_get_arguments (shortcut)));
              return;
            }
        }
    }
  g_error ("No shortcut %s on %s", accelerator, G_OBJECT_TYPE_NAME (widget));
}

GtkEventController *
docket_ui_test_find_controller (GtkWidget *widget,
                                GType      type)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      /* The widget keeps its controllers: the reference we drop is not the last. */
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (controller, type))
        return controller;
    }
  g_error ("No %s on %s", g_type_name (type), G_OBJECT_TYPE_NAME (widget));
  return NULL;
}

/* Finding widgets as a user does: by what they are called */

static GtkWidget *
find_row_in (GtkWidget  *widget,
             const char *title)
{
  if (ADW_IS_PREFERENCES_ROW (widget) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_row_in (child, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

GtkWidget *
docket_ui_test_find_row (GtkWidget  *widget,
                         const char *title)
{
  GtkWidget *row = find_row_in (widget, title);

  if (row == NULL)
    g_error ("No row titled “%s” in %s", title, G_OBJECT_TYPE_NAME (widget));
  return row;
}

const char *
docket_ui_test_shown_alert (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget) &&
      gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget)) == GTK_ACCESSIBLE_ROLE_ALERT)
    return gtk_label_get_label (GTK_LABEL (widget));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *text = docket_ui_test_shown_alert (child);

      if (text != NULL)
        return text;
    }
  return NULL;
}

static GtkButton *
find_button_in (GtkWidget  *widget,
                const char *text)
{
  if (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) != NULL)
    {
      g_autoptr(GString) shown = g_string_new (gtk_button_get_label (GTK_BUTTON (widget)));

      if (gtk_button_get_use_underline (GTK_BUTTON (widget)))
        g_string_replace (shown, "_", "", 1);
      if (g_str_equal (shown->str, text))
        return GTK_BUTTON (widget);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkButton *found = find_button_in (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

GtkButton *
docket_ui_test_find_button (GtkWidget  *widget,
                            const char *text)
{
  GtkButton *button = find_button_in (widget, text);

  if (button == NULL)
    g_error ("No button “%s” in %s", text, G_OBJECT_TYPE_NAME (widget));
  return button;
}

static void
collect_group_titles (GtkWidget     *widget,
                      GStrvBuilder  *titles)
{
  if (ADW_IS_PREFERENCES_GROUP (widget))
    g_strv_builder_add (titles, adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_group_titles (child, titles);
}

GStrv
docket_ui_test_dup_group_titles (GtkWidget *widget)
{
  g_autoptr(GStrvBuilder) titles = g_strv_builder_new ();

  collect_group_titles (widget, titles);
  return g_strv_builder_end (titles);
}

const char *
docket_ui_test_visible_page (GtkWidget *widget)
{
  GtkWidget *stack = docket_ui_test_find_descendant (widget, GTK_TYPE_STACK);

  if (stack == NULL)
    g_error ("No stack in %s", G_OBJECT_TYPE_NAME (widget));
  return gtk_stack_get_visible_child_name (GTK_STACK (stack));
}

AdwMessageDialog *
docket_ui_test_find_message_dialog (GtkWindow *parent)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_window_get_transient_for (window) == parent &&
          gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

/* The document view */

gboolean
docket_ui_test_view_settled (gpointer view)
{
  DocketDocumentViewState state = docket_document_view_get_state (view);

  return state == DOCKET_DOCUMENT_VIEW_READY || state == DOCKET_DOCUMENT_VIEW_FAILED;
}

/* Looks for the page widget itself: the view has other lists (thumbnails, outline,
 * annotations), and how the pages' list nests its rows is its own business. */
static DocketPageWidget *
find_page_widget_in (GtkWidget *widget,
                     guint      index)
{
  if (DOCKET_IS_PAGE_WIDGET (widget))
    {
      DocketPdfPage *page = docket_page_widget_get_page (DOCKET_PAGE_WIDGET (widget));

      return page != NULL && docket_pdf_page_get_index (page) == index && gtk_widget_get_mapped (widget)
             ? DOCKET_PAGE_WIDGET (widget) : NULL;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      DocketPageWidget *found = find_page_widget_in (child, index);

      if (found != NULL)
        return found;
    }
  return NULL;
}

DocketPageWidget *
docket_ui_test_find_page_widget (DocketDocumentView *view,
                                 guint               index)
{
  return find_page_widget_in (GTK_WIDGET (view), index);
}

gboolean
docket_ui_test_page_rendered (gpointer page_wait)
{
  DocketUiTestPageWait *wait = page_wait;
  DocketPageWidget *widget = docket_ui_test_find_page_widget (wait->view, wait->index);

  return widget != NULL && docket_page_widget_get_texture (widget) != NULL;
}

/* Documents made here */

void
docket_ui_test_write_numbered_pdf (const char *path,
                                   guint       n_pages,
                                   gboolean    with_outline)
{
  cairo_surface_t *surface = cairo_pdf_surface_create (path, 595, 842);
  cairo_t *cr = cairo_create (surface);

  if (with_outline)
    {
      int chapter = cairo_pdf_surface_add_outline (surface, CAIRO_PDF_OUTLINE_ROOT, "Chương 1", "page=1",
                                                   CAIRO_PDF_OUTLINE_FLAG_OPEN);
      cairo_pdf_surface_add_outline (surface, chapter, "Mục 1.1", "page=2", 0);
      cairo_pdf_surface_add_outline (surface, CAIRO_PDF_OUTLINE_ROOT, "Chương 2", "page=4", 0);
    }
  for (guint i = 0; i < n_pages; i++)
    {
      g_autofree char *text = g_strdup_printf ("Trang %u", i + 1);

      cairo_move_to (cr, 50, 100);
      cairo_set_font_size (cr, 40);
      cairo_show_text (cr, text);
      cairo_show_page (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
}

/* Widgets as the official finds them */

GtkWidget *
docket_ui_test_find_named (GtkWidget  *widget,
                           const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = docket_ui_test_find_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

const char *
docket_ui_test_get_label (GtkWidget  *widget,
                          const char *name)
{
  GtkWidget *label = docket_ui_test_find_named (widget, name);

  if (label == NULL)
    g_error ("No widget named %s under %s", name, G_OBJECT_TYPE_NAME (widget));
  if (GTK_IS_LABEL (label))
    return gtk_label_get_label (GTK_LABEL (label));
  if (GTK_IS_MENU_BUTTON (label))
    return gtk_menu_button_get_label (GTK_MENU_BUTTON (label));
  g_error ("%s is a %s, not a label", name, G_OBJECT_TYPE_NAME (label));
  return NULL;
}

DocketFindBar *
docket_ui_test_find_bar (GtkWidget *widget)
{
  GtkWidget *find_bar = docket_ui_test_find_descendant (widget, DOCKET_TYPE_FIND_BAR);

  if (find_bar == NULL)
    g_error ("No find bar under %s", G_OBJECT_TYPE_NAME (widget));
  return DOCKET_FIND_BAR (find_bar);
}

const char *
docket_ui_test_get_shown_label (GtkWidget  *widget,
                                const char *name)
{
  GtkWidget *label = docket_ui_test_find_named (widget, name);

  if (label == NULL)
    g_error ("No widget named %s under %s", name, G_OBJECT_TYPE_NAME (widget));
  /* Hidden itself, or in something hidden or not revealed: not shown. */
  for (GtkWidget *w = label; w != NULL && w != widget; w = gtk_widget_get_parent (w))
    if (!gtk_widget_get_visible (w) || (GTK_IS_REVEALER (w) && !gtk_revealer_get_reveal_child (GTK_REVEALER (w))))
      return NULL;
  return docket_ui_test_get_label (widget, name);
}

int
docket_ui_test_find_current (GtkWidget *widget)
{
  const char *count = docket_ui_test_get_label (widget, "find-count");
  guint current = 0, n = 0;
  char end;

  /* "3 of 17" (the tests run in the C locale); anything else ("17 matches", "No
   * matches", "Searching…", nothing) says no hit is current. */
  if (sscanf (count, "%u of %u%c", &current, &n, &end) != 2)
    return -1;
  g_assert_cmpuint (current, >=, 1);
  g_assert_cmpuint (current, <=, n);
  return (int) current - 1;
}

/* A button named by the text it shows: GTK 4.8 gives it no accessible label of its own. */
static gboolean
button_shows (GtkWidget  *widget,
              const char *name)
{
  g_autofree char *shown = NULL;

  if (!GTK_IS_BUTTON (widget) || gtk_button_get_label (GTK_BUTTON (widget)) == NULL)
    return FALSE;
  shown = g_strdup (gtk_button_get_label (GTK_BUTTON (widget)));
  for (char *p = strchr (shown, '_'); p != NULL; p = strchr (p, '_'))
    memmove (p, p + 1, strlen (p));
  return g_str_equal (shown, name);
}

GtkWidget *
docket_ui_test_find_by_accessible_name (GtkWidget  *widget,
                                        const char *name)
{
  /* A toplevel, and a widget of no role (the toolkit's gizmos), have no accessible
   * context to ask in GTK 4.8; their children may. */
  GtkAccessibleRole role = gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget));

  if (!GTK_IS_NATIVE (widget) && role != GTK_ACCESSIBLE_ROLE_NONE &&
      role != GTK_ACCESSIBLE_ROLE_PRESENTATION)
    {
      g_autofree char *mismatch = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget),
                                                                      GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                                      name);

      if (mismatch == NULL || button_shows (widget, name))
        return widget;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = docket_ui_test_find_by_accessible_name (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}
