/* test-accessible.c: what a screen reader hears, page by page of the real window
 *
 * Under Xvfb, against the real docket-server with the demo organisation, with GTK's
 * AT-SPI bridge on (the other tests turn it off): the window is walked as a screen reader
 * walks it, over the accessibility bus, by this same program run a second time as an
 * AT-SPI client (--dump-accessible-tree PID; a client in our own process would block the
 * main loop that answers it). Every page is visited: sign-in, the meeting list, a
 * meeting, a document in the reader with its find bar and sidebar, the search page with
 * results. On each, every control a reader can reach (buttons, toggles, links, list
 * items, entries...) must have a name, no name may be a type name ("GtkImage"), carry a
 * mnemonic's underscore ("_Sign In"), miss a word ("item , Title") or say itself twice.
 */
#include "config.h"

#include <string.h>
#include <unistd.h>
#include <atspi/atspi.h>

#include "docket-test-util.h"
#include "docket-ui-test-util.h"
#include "docket-ui-test-client.h"
#include "docket-document.h"
#include "docket-document-view.h"
#include "docket-indexer.h"
#include "docket-meeting.h"
#include "docket-meeting-page.h"
#include "docket-search-page.h"
#include "docket-search-results.h"
#include "docket-store.h"
#include "docket-window.h"

/* libatspi 2.46 declares no cleanup functions of its own. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtspiAccessible, g_object_unref)

#define DUMP_OPTION "--dump-accessible-tree"
/* A window is a few hundred accessibles; a runaway walk (a list of every page) stops. */
#define MAX_NODES 5000
#define MAX_DEPTH 64

/* The AT-SPI client (the second run of this program) */

static void
dump_node (AtspiAccessible *node,
           guint            depth,
           guint           *n_nodes)
{
  g_autofree char *role = NULL;
  g_autofree char *name = NULL;
  g_autofree char *escaped = NULL;
  gint n_children;

  if (++*n_nodes > MAX_NODES || depth > MAX_DEPTH)
    return;
  role = atspi_accessible_get_role_name (node, NULL);
  name = atspi_accessible_get_name (node, NULL);
  escaped = g_strescape (name != NULL ? name : "", NULL);
  /* One line a node: DEPTH TAB ROLE TAB NAME. (GTK 4.8 says every widget in the tree
   * is visible and none is showing, so no state tells a stack's hidden pages apart: the
   * whole window is judged at every visit.) */
  g_print ("%u\t%s\t%s\n", depth, role != NULL ? role : "", escaped);

  n_children = atspi_accessible_get_child_count (node, NULL);
  for (gint i = 0; i < n_children; i++)
    {
      g_autoptr(AtspiAccessible) child = atspi_accessible_get_child_at_index (node, i, NULL);

      if (child != NULL)
        dump_node (child, depth + 1, n_nodes);
    }
}

/* The application of process pid on the accessibility bus, once it has registered. */
static AtspiAccessible *
find_application (guint pid)
{
  g_autoptr(AtspiAccessible) desktop = atspi_get_desktop (0);
  gint64 deadline = g_get_monotonic_time () + DOCKET_UI_TEST_WAIT_SECONDS * G_USEC_PER_SEC;

  /* The window registers itself asynchronously, maybe after we start looking. */
  while (g_get_monotonic_time () < deadline)
    {
      gint n = atspi_accessible_get_child_count (desktop, NULL);

      for (gint i = 0; i < n; i++)
        {
          g_autoptr(AtspiAccessible) app = atspi_accessible_get_child_at_index (desktop, i, NULL);

          if (app != NULL && atspi_accessible_get_process_id (app, NULL) == pid &&
              atspi_accessible_get_child_count (app, NULL) > 0)
            return g_steal_pointer (&app);
        }
      g_main_context_iteration (NULL, FALSE);
      g_usleep (G_USEC_PER_SEC / 20);
    }
  return NULL;
}

static int
dump_accessible_tree (const char *pid_text)
{
  g_autoptr(AtspiAccessible) app = NULL;
  guint64 pid = 0;
  guint n_nodes = 0;

  if (!g_ascii_string_to_unsigned (pid_text, 10, 1, G_MAXUINT, &pid, NULL) || atspi_init () < 0)
    return 2;
  app = find_application ((guint) pid);
  if (app == NULL)
    {
      g_printerr ("process %s never showed up on the accessibility bus\n", pid_text);
      return 3;
    }
  /* libatspi's cache is this process's, filled now: it is the tree as it is now. */
  dump_node (app, 0, &n_nodes);
  return 0;
}

/* The test: running the client and judging what it heard */

typedef struct {
  char     *output;
  GError   *error;
  gboolean  done;
} Dump;

static void
on_dump_finished (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Dump *dump = user_data;

  if (g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &dump->output, NULL, &dump->error) &&
      !g_subprocess_get_successful (G_SUBPROCESS (source)))
    g_set_error (&dump->error, G_SPAWN_EXIT_ERROR, g_subprocess_get_exit_status (G_SUBPROCESS (source)),
                 "the AT-SPI client failed");
  dump->done = TRUE;
}

/* The lines the AT-SPI client printed for this process; our main loop runs meanwhile,
 * since it is what answers the client's questions. */
static char *
hear_window (void)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *self = g_file_read_link ("/proc/self/exe", &error);
  g_autofree char *pid = g_strdup_printf ("%d", (int) getpid ());
  Dump dump = { 0 };

  g_assert_no_error (error);
  /* libatspi keeps what it cached until exit: not a leak of ours. */
  g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS", "detect_leaks=0:halt_on_error=1", TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, self, DUMP_OPTION, pid, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, on_dump_finished, &dump);
  /* Not docket_ui_test_wait_for: a walk is a few D-Bus calls per accessible, which under
   * AddressSanitizer takes longer than its limit; the test's own timeout bounds it. */
  while (!dump.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (dump.error);
  return dump.output;
}

/* The roles of what an official can reach and act on: each needs a name. */
static gboolean
is_control_role (const char *role)
{
  static const char * const roles[] = {
    "push button", "toggle button", "check box", "radio button", "link", "list item",
    "entry", "password text", "text", "slider", "spin button", "combo box", "menu item",
    "check menu item", "radio menu item", "page tab", "table row", "table cell", "tree item",
    "switch", "progress bar", NULL
  };

  return g_strv_contains (roles, role);
}

/* A type name, as GTK says when nothing gives a name: "GtkImage", "DocketPageWidget". */
static gboolean
is_type_name (const char *name)
{
  return g_str_has_prefix (name, "Gtk") || g_str_has_prefix (name, "Adw") ||
         g_type_from_name (name) != 0;
}

/* An underscore that marks a mnemonic: at the start of a word ("_Sign In"). */
static gboolean
has_mnemonic (const char *name)
{
  for (const char *p = strchr (name, '_'); p != NULL; p = strchr (p + 1, '_'))
    if ((p == name || g_ascii_isspace (p[-1])) && g_unichar_isalnum (g_utf8_get_char (p + 1)))
      return TRUE;
  return FALSE;
}

/* A name with a blank where a word was: "Write a note on item , …". */
static gboolean
has_gap (const char *name)
{
  return strstr (name, " ,") != NULL || strstr (name, " :") != NULL || strstr (name, "  ") != NULL || g_str_has_suffix (name, " ");
}

/* A name that ends by saying again how it began: "Sign In Sign In", or "Title, 08:00,
 * place Title" (an accessible label, and then GTK 4.8 adds what labels the widget). */
static gboolean
is_repeated (const char *name)
{
  gsize length = strlen (name);

  for (const char *space = strchr (name, ' '); space != NULL; space = strchr (space + 1, ' '))
    {
      const char *tail = space + 1;
      gsize tail_length = length - (gsize) (tail - name);

      if (tail_length >= 4 && tail_length <= (gsize) (space - name) &&
          strncmp (name, tail, tail_length) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Walks what the screen reader hears with the page shown and adds to failures every
 * control without a proper name (all pages are judged together at the end, so that one
 * run tells every fault). */
static void
hear_names (DocketWindow *window,
            const char   *page,
            GString      *failures)
{
  g_autofree char *output = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *dump_name = g_strdup_printf ("accessible-%s.txt", page);
  const char *artifacts = g_getenv ("DOCKET_TEST_ARTIFACTS");
  guint n_controls = 0;

  docket_ui_test_wait_for_paint (GTK_WIDGET (window));
  output = hear_window ();
  if (artifacts != NULL)
    {
      g_autofree char *path = g_build_filename (artifacts, dump_name, NULL);

      g_mkdir_with_parents (artifacts, 0755);
      g_file_set_contents (path, output, -1, NULL);
    }

  lines = g_strsplit (output, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], "\t", 3);
      g_autofree char *name = NULL;
      const char *role;
      const char *problem = NULL;

      if (g_strv_length (fields) != 3)
        continue;
      role = fields[1];
      name = g_strcompress (fields[2]);
      if (!is_control_role (role))
        continue;

      n_controls++;
      if (name[0] == '\0')
        problem = "no name";
      else if (is_type_name (name))
        problem = "a type name";
      else if (has_mnemonic (name))
        problem = "a mnemonic's underscore";
      else if (has_gap (name))
        problem = "a word missing";
      else if (is_repeated (name))
        problem = "said twice";
      if (problem != NULL)
        g_string_append_printf (failures, "\n  on the %s page, %s “%s”: %s", page, role, name, problem);
    }

  g_test_message ("%s: %u controls heard", page, n_controls);
  g_assert_cmpuint (n_controls, >, 0);
}

/* Waiting on real events */

typedef struct {
  DocketIndexer *indexer;
  DocketStore   *store;
} Indexing;

static gboolean
index_complete (gpointer data)
{
  Indexing *indexing = data;
  g_autoptr(GPtrArray) left = NULL;

  if (docket_indexer_get_busy (indexing->indexer))
    return FALSE;
  left = docket_store_list_unindexed_contents (indexing->store, NULL);
  return left != NULL && left->len == 0;
}

static gboolean
view_settled (gpointer data)
{
  return docket_document_view_get_state (data) != DOCKET_DOCUMENT_VIEW_LOADING;
}

static gboolean
search_has_results (gpointer data)
{
  DocketSearchPage *page = data;
  DocketSearchResults *results = docket_search_page_get_results (page);

  return !docket_search_results_get_loading (results) &&
         g_strcmp0 (docket_search_page_get_state (page), "results") == 0;
}

/* The secretary takes the number off the first item of a meeting daibieu1 is in (an
 * opening or a break often has none); returns that meeting's id. */
static char *
unnumber_an_item (DocketTestServer *server)
{
  g_autofree char *token = docket_test_sign_in (server, "thuky", docket_test_server_get_password (server, "thuky"));
  g_autofree char *meeting_id = NULL;
  g_autofree char *item_id = docket_test_find_item_of (server, token, "daibieu1", TRUE, &meeting_id);
  g_autofree char *url = NULL;
  g_autoptr(GBytes) body = g_bytes_new_static ("{\"number\": \"\"}", strlen ("{\"number\": \"\"}"));
  g_autoptr(GBytes) answer = NULL;

  g_assert_nonnull (item_id);
  url = g_strdup_printf ("%s/api/v1/items/%s", docket_test_server_get_url (server), item_id);
  g_assert_cmpuint (docket_test_http ("PATCH", url, token, "application/json", body, &answer), ==, 200);
  return g_steal_pointer (&meeting_id);
}

/* The pages */

static void
test_every_page (void)
{
  DocketUiTestClient client = { 0 };
  Indexing indexing = { 0 };
  DocketTestServer *server = docket_test_server_start (TRUE);
  g_autofree char *root = docket_test_make_tmpdir ("docket-accessible");
  g_autofree char *profile = g_build_filename (root, "profile", NULL);
  DocketMeetingPage *meeting_page;
  DocketDocumentView *view;
  DocketSearchPage *search_page;
  g_autofree char *meeting_id = NULL;
  g_autoptr(GString) failures = g_string_new (NULL);

  meeting_id = unnumber_an_item (server);
  client.n_meetings = docket_ui_test_server_meeting_count (server, "daibieu1");
  docket_ui_test_client_open_store (&client, profile);
  indexing.indexer = docket_indexer_new (client.store);
  indexing.store = client.store;
  docket_ui_test_client_new_window (&client);

  /* Sign-in */
  g_assert_cmpstr (docket_window_get_page_name (client.window), ==, "sign-in");
  hear_names (client.window, "sign-in", failures);

  /* The meeting list */
  docket_ui_test_client_sign_in (&client, server);
  docket_ui_test_wait_for (docket_ui_test_client_synced, &client, "the demo meetings and their documents");
  docket_ui_test_wait_for (index_complete, &indexing, "the indexer to extract every document's text");
  g_assert_cmpstr (docket_window_get_page_name (client.window), ==, "meetings");
  hear_names (client.window, "meetings", failures);

  /* A meeting, with its agenda and an item without a number */
  g_assert_true (docket_window_open_meeting (client.window, meeting_id));
  meeting_page = DOCKET_MEETING_PAGE (docket_window_get_meeting_page (client.window));
  docket_ui_test_wait_for (docket_ui_test_agenda_loaded, meeting_page, "the agenda to load");
  docket_ui_test_wait_for_paint (GTK_WIDGET (client.window));
  docket_ui_test_save_screenshot (GTK_WIDGET (client.window), NULL, "agenda-item-without-number.png");
  hear_names (client.window, "meeting", failures);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (client.window), "win.back", NULL));

  /* A document in the reader, with the find bar and the sidebar */
  docket_ui_test_open_document_with_pages (client.window, 2, NULL);
  view = DOCKET_DOCUMENT_VIEW (docket_window_get_document_view (client.window));
  docket_ui_test_wait_for (view_settled, view, "the document to open");
  g_assert_cmpint (docket_document_view_get_state (view), ==, DOCKET_DOCUMENT_VIEW_READY);
  docket_ui_test_press (GTK_WIDGET (view), "<Control>f");
  g_assert_true (docket_find_bar_get_open (docket_ui_test_find_bar (GTK_WIDGET (view))));
  docket_ui_test_press (GTK_WIDGET (view), "F9");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (GTK_STACK (docket_ui_test_find_named (GTK_WIDGET (view), "sidebar-stack")))));
  hear_names (client.window, "document", failures);

  /* The search page, with results */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (client.window), "win.search", NULL));
  g_assert_cmpstr (docket_window_get_page_name (client.window), ==, "search");
  search_page = DOCKET_SEARCH_PAGE (docket_window_get_search_page (client.window));
  gtk_editable_set_text (GTK_EDITABLE (docket_search_page_get_entry (search_page)), "dai bieu");
  docket_ui_test_wait_for (search_has_results, search_page, "the search's results");
  hear_names (client.window, "search", failures);
  if (failures->len > 0)
    g_error ("A screen reader hears controls without a proper name:%s", failures->str);

  docket_ui_test_client_close (&client);
  g_clear_object (&indexing.indexer);
  docket_test_server_stop (server);
  docket_test_rmtree (root);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 3 && g_str_equal (argv[1], DUMP_OPTION))
    return dump_accessible_tree (argv[2]);

  /* This test is about what the accessibility bus carries: the bridge the other tests
   * turn off (tests/meson.build) is turned on for this one. */
  g_unsetenv ("NO_AT_BRIDGE");
  g_setenv ("GTK_A11Y", "atspi", TRUE);
  docket_ui_test_init (&argc, &argv);

  g_test_add_func ("/accessible/every-page", test_every_page);

  return g_test_run ();
}
