/* docket-test-util.c: what tests do around the real parts
 *
 * Temporary folders, blocking HTTP calls and sign-ins, a valid PDF, the demo data as the
 * secretary sees it, the built client run as a command, waiting on the main context,
 * and a profile's database read from outside. The server process itself is started and
 * stopped in docket-test-server.c.
 */
#include "config.h"

#include "docket-test-util.h"

#include <stdarg.h>
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <sqlite3.h>

char *
docket_test_make_tmpdir (const char *template_name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmpl = NULL;
  char *path;

  if (template_name == NULL || *template_name == '\0')
    tmpl = g_strdup ("docket-test-XXXXXX");
  else if (g_str_has_suffix (template_name, "XXXXXX"))
    tmpl = g_strdup (template_name);
  else
    tmpl = g_strconcat (template_name, "-XXXXXX", NULL);

  path = g_dir_make_tmp (tmpl, &error);
  if (path == NULL)
    g_error ("Cannot make a temporary folder %s: %s", tmpl, error->message);
  return path;
}

/* Deletes file and, when it is a folder, everything in it; never follows symbolic links,
 * so a link in a test's folder cannot make us delete anything outside it. */
static gboolean
rmtree_file (GFile   *file,
             GError **error)
{
  g_autoptr(GFileEnumerator) children = NULL;
  GFileType type;

  type = g_file_query_file_type (file, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL);
  if (type == G_FILE_TYPE_UNKNOWN)
    return TRUE;   /* already gone */

  if (type == G_FILE_TYPE_DIRECTORY)
    {
      children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                            G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                                            NULL, error);
      if (children == NULL)
        return FALSE;

      for (;;)
        {
          GFile *child = NULL;

          if (!g_file_enumerator_iterate (children, NULL, &child, NULL, error))
            return FALSE;
          if (child == NULL)
            break;
          if (!rmtree_file (child, error))
            return FALSE;
        }
    }

  if (!g_file_delete (file, NULL, error) &&
      !g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    return FALSE;

  g_clear_error (error);
  return TRUE;
}

void
docket_test_rmtree (const char *path)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  if (path == NULL)
    return;

  file = g_file_new_for_path (path);
  if (!rmtree_file (file, &error))
    g_warning ("Cannot remove %s: %s", path, error->message);
}

guint
docket_test_http (const char  *method,
                  const char  *url,
                  const char  *token,
                  const char  *content_type,
                  GBytes      *body,
                  GBytes     **out_body)
{
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  session = soup_session_new_with_options ("timeout", 60, NULL);
  message = soup_message_new (method, url);
  if (message == NULL)
    g_error ("Not a valid URL for %s: %s", method, url);

  if (token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (message),
                                    "Authorization", value);
    }

  if (body != NULL)
    soup_message_set_request_body_from_bytes (message,
                                              content_type ? content_type : "application/json",
                                              body);

  answer = soup_session_send_and_read (session, message, NULL, &error);
  if (answer == NULL)
    {
      g_test_message ("%s %s failed: %s", method, url, error->message);
      if (out_body != NULL)
        *out_body = g_bytes_new (error->message, strlen (error->message) + 1);
      return 0;
    }

  if (out_body != NULL)
    {
      gsize size = 0;
      const guint8 *data = g_bytes_get_data (answer, &size);
      guint8 *copy = g_malloc (size + 1);

      /* Callers may read the body as a string: keep a NUL after the real bytes. */
      if (size > 0)
        memcpy (copy, data, size);
      copy[size] = '\0';
      *out_body = g_bytes_new_take (copy, size);
    }

  return soup_message_get_status (message);
}

char *
docket_test_sign_in (DocketTestServer *server,
                     const char       *username,
                     const char       *password)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) request = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *text = NULL;
  JsonObject *object;
  const char *token;
  guint status;

  if (password == NULL)
    password = docket_test_server_get_password (server, username);
  g_assert_nonnull (password);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "username");
  json_builder_add_string_value (builder, username);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_end_object (builder);
  request = json_builder_get_root (builder);
  text = json_to_string (request, FALSE);
  body = g_bytes_new (text, strlen (text));

  url = g_strconcat (docket_test_server_get_url (server), "/api/v1/session", NULL);
  status = docket_test_http ("POST", url, NULL, "application/json", body, &answer);
  if (status != 201)
    g_error ("Sign-in as %s answered %u: %s", username, status,
             answer ? (const char *) g_bytes_get_data (answer, NULL) : "");

  if (!json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL),
                                   g_bytes_get_size (answer), &error))
    g_error ("Sign-in answer is not JSON: %s", error->message);

  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  object = json_node_get_object (json_parser_get_root (parser));
  token = json_object_get_string_member_with_default (object, "token", NULL);
  g_assert_nonnull (token);
  g_assert_cmpstr (token, !=, "");

  return g_strdup (token);
}

/* SoupServer's own answer for the port it took, turned into the URL the client dials. */
char *
docket_test_soup_server_listen (SoupServer *server)
{
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;

  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);

  return g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
}

/* A real one-page PDF (poppler opens it) padded with an unreferenced stream of random
 * bytes to at least min_bytes: distinct every call, and incompressible. */
GBytes *
docket_test_make_pdf (gsize min_bytes)
{
  g_autoptr(GString) pdf = g_string_new ("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n");
  gsize offsets[5];
  gsize padding = min_bytes > 1024 ? min_bytes - 1024 : 1;
  gsize xref;

  offsets[1] = pdf->len;
  g_string_append (pdf, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
  offsets[2] = pdf->len;
  g_string_append (pdf, "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n");
  offsets[3] = pdf->len;
  g_string_append (pdf, "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n");
  offsets[4] = pdf->len;
  g_string_append_printf (pdf, "4 0 obj\n<< /Length %" G_GSIZE_FORMAT " >>\nstream\n", padding);
  for (gsize i = 0; i < padding; i += 4)
    {
      guint32 r = g_random_int ();
      g_string_append_len (pdf, (const char *) &r, (gssize) MIN (4, padding - i));
    }
  g_string_append (pdf, "\nendstream\nendobj\n");

  xref = pdf->len;
  g_string_append (pdf, "xref\n0 5\n0000000000 65535 f \n");
  for (guint i = 1; i < 5; i++)
    g_string_append_printf (pdf, "%010" G_GSIZE_FORMAT " 00000 n \n", offsets[i]);
  g_string_append_printf (pdf, "trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%" G_GSIZE_FORMAT "\n%%%%EOF\n",
                          xref);

  return g_string_free_to_bytes (g_steal_pointer (&pdf));
}

/* The demo data, as the secretary sees it */

JsonNode *
docket_test_secretary_feed (DocketTestServer *server,
                            const char       *secretary_token)
{
  g_autofree char *url = g_strconcat (docket_test_server_get_url (server), "/api/v1/changes?limit=1000", NULL);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_cmpuint (docket_test_http ("GET", url, secretary_token, NULL, NULL, &answer), ==, 200);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL), -1, NULL));

  return json_node_ref (json_parser_get_root (parser));
}

/* Whether the meeting data (a "meeting" change's data) lists username. */
static gboolean
meeting_has_participant (JsonObject *data,
                         const char *username)
{
  JsonArray *participants = json_object_get_array_member (data, "participants");

  for (guint j = 0; j < json_array_get_length (participants); j++)
    if (g_str_equal (json_object_get_string_member (json_array_get_object_element (participants, j),
                                                    "username"), username))
      return TRUE;

  return FALSE;
}

char *
docket_test_find_item_of (DocketTestServer  *server,
                          const char        *secretary_token,
                          const char        *username,
                          gboolean           top_level_only,
                          char             **out_meeting_id)
{
  g_autoptr(JsonNode) feed = docket_test_secretary_feed (server, secretary_token);
  JsonArray *changes = json_object_get_array_member (json_node_get_object (feed), "changes");
  g_autoptr(GHashTable) meetings = g_hash_table_new (g_str_hash, g_str_equal);

  /* As the tests always have: a meeting comes before its items in the feed. */
  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *change = json_array_get_object_element (changes, i);
      const char *type = json_object_get_string_member (change, "type");
      JsonObject *data;

      if (json_object_get_boolean_member (change, "deleted"))
        continue;
      data = json_object_get_object_member (change, "data");

      if (g_str_equal (type, "meeting") &&
          !g_str_equal (json_object_get_string_member (data, "status"), "draft"))
        {
          if (meeting_has_participant (data, username))
            g_hash_table_add (meetings, (gpointer) json_object_get_string_member (data, "id"));
        }
      else if (g_str_equal (type, "agenda_item") &&
               (!top_level_only || json_object_get_null_member (data, "parent_id")) &&
               g_hash_table_contains (meetings, json_object_get_string_member (data, "meeting_id")))
        {
          if (out_meeting_id != NULL)
            *out_meeting_id = g_strdup (json_object_get_string_member (data, "meeting_id"));
          return g_strdup (json_object_get_string_member (data, "id"));
        }
    }

  return NULL;
}

/* The client as a command */

int
docket_test_run_client (const char  *stdin_text,
                        char       **out_stdout,
                        char       **out_stderr,
                        const char  *first_arg,
                        ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *client = g_getenv ("DOCKET_CLIENT");
  va_list args;

  g_assert_nonnull (client);
  g_ptr_array_add (argv, (gpointer) client);
  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  /* The window-less commands must not need a display. */
  g_subprocess_launcher_unsetenv (launcher, "DISPLAY");
  g_subprocess_launcher_unsetenv (launcher, "WAYLAND_DISPLAY");
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, stdin_text, NULL, out_stdout, out_stderr, &error);
  g_assert_no_error (error);

  return g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
}

/* Waiting on the default main context */

static gboolean
watchdog_cb (gpointer user_data)
{
  g_error ("timed out waiting for %s", (const char *) user_data);
  return G_SOURCE_REMOVE;
}

guint
docket_test_watchdog_add (guint       seconds,
                          const char *what)
{
  return g_timeout_add_seconds (seconds, watchdog_cb, (gpointer) what);
}

void
docket_test_wait_until (DocketTestCondition  condition,
                        gpointer             data,
                        guint                seconds,
                        const char          *what)
{
  guint watchdog = docket_test_watchdog_add (seconds, what);

  while (!condition (data))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (watchdog);
}

/* A profile's database, read from outside */

int
docket_test_count_rows (const char *profile_dir,
                        const char *sql)
{
  g_autofree char *db_path = g_build_filename (profile_dir, "docket.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int n;

  /* A connection of our own: plain tables only (FTS5 would need the tokenizer). */
  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return n;
}

char *
docket_test_file_sha256 (const char *path)
{
  g_autoptr(GMappedFile) file = g_mapped_file_new (path, FALSE, NULL);

  if (file == NULL)
    return NULL;
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256,
                                      (const guchar *) g_mapped_file_get_contents (file),
                                      g_mapped_file_get_length (file));
}

void
docket_test_run_client_sign_in (DocketTestServer *server,
                                const char       *profile,
                                const char       *username)
{
  g_autofree char *password_line = g_strconcat (docket_test_server_get_password (server, username), "\n", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  status = docket_test_run_client (password_line, &out, &err, "--profile", profile,
                                   "--sign-in", docket_test_server_get_url (server), username, NULL);
  g_assert_cmpstr (err, ==, "");
  g_assert_cmpint (status, ==, 0);
}
