/* test-server-uploads.c: uploads under attack and at scale, against the real docket-server
 *
 * An upload nobody may make is refused from its headers, before its body is sent; an
 * accepted one streams to the disk (the server's peak memory stays far below the size of
 * the PDF); uploads beyond the cap wait their turn (503); a PDF of more pages than any
 * client opens is refused and leaves nothing behind; what was accepted downloads back
 * byte for byte.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <utime.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "docket-protocol.h"
#include "docket-server.h"
#include "docket-test-util.h"

/* A reply that takes longer than this means the server waits for a body it should not
 * read: the read fails, and so does the test. */
#define RAW_TIMEOUT_SECONDS 20

/* Raw HTTP: the test decides what of the request is sent, and when. */

static GSocketConnection *
raw_connect (DocketTestServer *server)
{
  g_autoptr(GUri) uri = g_uri_parse (docket_test_server_get_url (server), G_URI_FLAGS_NONE, NULL);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  GSocketConnection *connection;

  g_socket_client_set_timeout (client, RAW_TIMEOUT_SECONDS);
  connection = g_socket_client_connect_to_host (client, g_uri_get_host (uri),
                                                (guint16) g_uri_get_port (uri), NULL, &error);
  g_assert_no_error (error);
  return connection;
}

static void
raw_send (GSocketConnection *connection,
          const void        *data,
          gsize              size)
{
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                             data, size, NULL, NULL, &error);
  g_assert_no_error (error);
}

/* Sends the headers of an upload of length bytes, and nothing of its body. */
static void
raw_send_upload_headers (GSocketConnection *connection,
                         const char        *path,
                         const char        *token,
                         gsize              length,
                         gboolean           expect_continue)
{
  g_autoptr(GString) request = g_string_new (NULL);

  g_string_append_printf (request, "POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\n", path);
  if (token != NULL)
    g_string_append_printf (request, "Authorization: Bearer %s\r\n", token);
  g_string_append_printf (request, "Content-Type: application/pdf\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\n", length);
  if (expect_continue)
    g_string_append (request, "Expect: 100-continue\r\n");
  g_string_append (request, "\r\n");
  raw_send (connection, request->str, request->len);
}

typedef struct {
  guint    status;
  char    *head;      /* status line and headers */
  GBytes  *body;
} RawResponse;

static void
raw_response_free (RawResponse *response)
{
  g_free (response->head);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_free (response);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RawResponse, raw_response_free)

/* A header's value in a response head, or NULL. */
static char *
head_value (const char *head,
            const char *name)
{
  g_auto(GStrv) lines = g_strsplit (head, "\r\n", -1);

  for (guint i = 1; lines[i] != NULL; i++)
    {
      const char *colon = strchr (lines[i], ':');

      if (colon != NULL && (gsize) (colon - lines[i]) == strlen (name) &&
          g_ascii_strncasecmp (lines[i], name, strlen (name)) == 0)
        return g_strstrip (g_strdup (colon + 1));
    }
  return NULL;
}

/* Reads one response: its head byte by byte (so that nothing of the next is taken), then
 * a body of its Content-Length. */
static RawResponse *
raw_read_response (GSocketConnection *connection)
{
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  g_autoptr(GString) head = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *length_text = NULL;
  RawResponse *response = g_new0 (RawResponse, 1);
  guint64 length = 0;

  while (!g_str_has_suffix (head->str, "\r\n\r\n"))
    {
      char c;
      gssize n = g_input_stream_read (in, &c, 1, NULL, &error);

      g_assert_no_error (error);
      g_assert_cmpint (n, ==, 1);
      g_string_append_c (head, c);
    }
  g_assert_true (g_str_has_prefix (head->str, "HTTP/1.1 "));
  response->status = (guint) g_ascii_strtoull (head->str + strlen ("HTTP/1.1 "), NULL, 10);
  response->head = g_string_free (g_steal_pointer (&head), FALSE);
  length_text = head_value (response->head, "Content-Length");
  if (response->status >= 200 && length_text != NULL)
    g_assert_true (g_ascii_string_to_unsigned (length_text, 10, 0, G_MAXUINT32, &length, NULL));
  if (length > 0)
    {
      guint8 *data = g_malloc (length);
      gsize read = 0;

      g_input_stream_read_all (in, data, length, &read, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (read, ==, length);
      response->body = g_bytes_new_take (data, length);
    }
  else
    response->body = g_bytes_new (NULL, 0);
  return response;
}

static JsonNode *
parse_json (GBytes *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  json_parser_load_from_data (parser, data, (gssize) size, &error);
  g_assert_no_error (error);
  return json_parser_steal_root (parser);
}

static void
assert_json_error (GBytes     *body,
                   const char *expected_code)
{
  g_autoptr(JsonNode) root = parse_json (body);

  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  g_assert_cmpstr (json_object_get_string_member_with_default (json_node_get_object (root),
                                                               "error", NULL), ==, expected_code);
  g_assert_nonnull (json_object_get_string_member_with_default (json_node_get_object (root),
                                                                "message", NULL));
}

/* The server's state */

/* Every file under blobs/: the blobs, and any temporary file an upload left. */
static guint
count_blob_folder_files (DocketTestServer *server)
{
  g_autofree char *root = g_build_filename (docket_test_server_get_data_dir (server), "blobs", NULL);
  g_autoptr(GDir) dir = g_dir_open (root, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (root, name, NULL);
      g_autoptr(GDir) inner = NULL;

      if (!g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          n++;
          continue;
        }
      inner = g_dir_open (path, 0, NULL);
      while (inner != NULL && g_dir_read_name (inner) != NULL)
        n++;
    }
  return n;
}

static char *
feed_cursor (DocketTestServer *server,
             const char       *token,
             const char       *since)
{
  g_autofree char *url = g_strdup_printf ("%s/api/v1/changes?limit=1000%s%s",
                                          docket_test_server_get_url (server),
                                          since ? "&since=" : "", since ? since : "");
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *page;

  g_assert_cmpuint (docket_test_http ("GET", url, token, NULL, NULL, &body), ==, 200);
  root = parse_json (body);
  page = json_node_get_object (root);
  g_assert_false (json_object_get_boolean_member (page, "more"));
  if (since != NULL)
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (page, "changes")), ==, 0);
  return g_strdup (json_object_get_string_member (page, "cursor"));
}

/* Nothing changed since cursor: the same cursor, no changes. */
static void
assert_feed_unchanged (DocketTestServer *server,
                       const char       *token,
                       const char       *cursor)
{
  g_autofree char *now = feed_cursor (server, token, cursor);

  g_assert_cmpstr (now, ==, cursor);
}

/* The VmHWM (peak resident memory) of a process, in bytes. */
static gint64
peak_rss (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", (int) pid);
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents (path, &status, NULL, NULL));
  line = strstr (status, "\nVmHWM:");
  g_assert_nonnull (line);
  return g_ascii_strtoll (line + strlen ("\nVmHWM:"), NULL, 10) * 1024;
}

/* Starts VmHWM again from the current resident memory (Linux 4.0 and later). */
static void
reset_peak_rss (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/clear_refs", (int) pid);
  FILE *file = fopen (path, "w");

  g_assert_nonnull (file);
  g_assert_cmpint (fputs ("5", file), >=, 0);
  g_assert_cmpint (fclose (file), ==, 0);
}

static char *
upload_path (const char *item_id)
{
  return g_strdup_printf ("/api/v1/items/%s/documents?title=T%%E1%%BB%%9D", item_id);
}

/* Uploads pdf and returns the new document as JSON (asserts 201 and its SHA-256). */
static JsonNode *
upload (DocketTestServer *server,
        const char       *token,
        const char       *item_id,
        GBytes           *pdf)
{
  g_autofree char *path = upload_path (item_id);
  g_autofree char *url = g_strconcat (docket_test_server_get_url (server), path, NULL);
  g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, pdf);
  g_autoptr(GBytes) body = NULL;
  JsonNode *document;

  g_assert_cmpuint (docket_test_http ("POST", url, token, "application/pdf", pdf, &body), ==, 201);
  document = parse_json (body);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (document), "sha256"), ==, sha256);
  return document;
}

/* The document's content downloads back with exactly pdf's bytes. */
static void
assert_downloads (DocketTestServer *server,
                  const char       *token,
                  JsonNode         *document,
                  GBytes           *pdf)
{
  const char *id = json_object_get_string_member (json_node_get_object (document), "id");
  g_autofree char *url = g_strdup_printf ("%s/api/v1/documents/%s/content",
                                          docket_test_server_get_url (server), id);
  g_autofree char *expected = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, pdf);
  g_autofree char *got = NULL;
  g_autoptr(GBytes) body = NULL;

  g_assert_cmpuint (docket_test_http ("GET", url, token, NULL, NULL, &body), ==, 200);
  got = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, body);
  g_assert_cmpstr (got, ==, expected);
  g_assert_true (g_bytes_equal (body, pdf));
}

/* PDFs */

/* A PDF of n_pages pages, all sharing one content stream, through a flat page tree: a
 * few megabytes for a hundred thousand pages. */
static GBytes *
make_many_pages_pdf (guint n_pages)
{
  GString *pdf = g_string_new ("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n");
  g_autoptr(GArray) offsets = g_array_new (FALSE, FALSE, sizeof (gsize));
  guint n_objects = 3 + n_pages;   /* catalog, pages, content, then each page */
  const char *content = "BT /F1 12 Tf 72 720 Td (Docket) Tj ET";
  gsize xref;

  g_array_set_size (offsets, n_objects + 1);
  g_array_index (offsets, gsize, 1) = pdf->len;
  g_string_append (pdf, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
  g_array_index (offsets, gsize, 2) = pdf->len;
  g_string_append (pdf, "2 0 obj\n<< /Type /Pages /MediaBox [0 0 595 842] /Kids [");
  for (guint i = 0; i < n_pages; i++)
    g_string_append_printf (pdf, "%u 0 R ", 4 + i);
  g_string_append_printf (pdf, "] /Count %u >>\nendobj\n", n_pages);
  g_array_index (offsets, gsize, 3) = pdf->len;
  g_string_append_printf (pdf, "3 0 obj\n<< /Length %zu >>\nstream\n%s\nendstream\nendobj\n",
                          strlen (content), content);
  for (guint i = 0; i < n_pages; i++)
    {
      g_array_index (offsets, gsize, 4 + i) = pdf->len;
      g_string_append_printf (pdf, "%u 0 obj\n<< /Type /Page /Parent 2 0 R /Contents 3 0 R >>\nendobj\n",
                              4 + i);
    }

  xref = pdf->len;
  g_string_append_printf (pdf, "xref\n0 %u\n0000000000 65535 f \n", n_objects + 1);
  for (guint i = 1; i <= n_objects; i++)
    g_string_append_printf (pdf, "%010zu 00000 n \n", g_array_index (offsets, gsize, i));
  g_string_append_printf (pdf, "trailer\n<< /Size %u /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n",
                          n_objects + 1, xref);
  return g_string_free_to_bytes (pdf);
}

/* Writes to path a valid one-page PDF with one unreferenced stream of padding bytes in
 * it, a mebibyte at a time (never the whole in memory); returns its SHA-256 and size. */
static char *
write_large_pdf (const char *path,
                 gsize       padding,
                 gsize      *out_size)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GString) text = g_string_new ("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n");
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *block = g_malloc (1024 * 1024);
  gsize offsets[5];
  gsize written = 0;

#define EMIT(data, size) G_STMT_START { \
    g_output_stream_write_all (G_OUTPUT_STREAM (out), (data), (size), NULL, NULL, &error); \
    g_assert_no_error (error); \
    g_checksum_update (checksum, (const guint8 *) (data), (gssize) (size)); \
    written += (size); \
  } G_STMT_END

  out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error);
  g_assert_no_error (error);

  offsets[1] = text->len;
  g_string_append (text, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
  offsets[2] = text->len;
  g_string_append (text, "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n");
  offsets[3] = text->len;
  g_string_append (text, "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n");
  offsets[4] = text->len;
  g_string_append_printf (text, "4 0 obj\n<< /Length %zu >>\nstream\n", padding);
  EMIT (text->str, text->len);

  for (gsize i = 0; i < 1024 * 1024; i += 4)
    {
      guint32 r = g_random_int ();

      memcpy (block + i, &r, 4);
    }
  for (gsize done = 0; done < padding;)
    {
      gsize n = MIN (padding - done, 1024 * 1024);

      /* Each mebibyte a little different, so that no two are the same. */
      memcpy (block, &done, sizeof done);
      EMIT (block, n);
      done += n;
    }

  g_string_truncate (text, 0);
  g_string_append (text, "\nendstream\nendobj\n");
  EMIT (text->str, text->len);
  g_string_truncate (text, 0);
  g_string_append (text, "xref\n0 5\n0000000000 65535 f \n");
  for (guint i = 1; i < 5; i++)
    g_string_append_printf (text, "%010zu 00000 n \n", offsets[i]);
  g_string_append_printf (text, "trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n",
                          written);
  EMIT (text->str, text->len);
#undef EMIT

  g_output_stream_close (G_OUTPUT_STREAM (out), NULL, &error);
  g_assert_no_error (error);
  *out_size = written;
  return g_strdup (g_checksum_get_string (checksum));
}

/* Tests */

typedef struct {
  DocketTestServer *server;
  char             *secretary;
  char             *official;
  char             *item_id;     /* of a published meeting daibieu1 takes part in */
} Fixture;

static void
fixture_set_up (Fixture            *fixture,
                const char * const *server_args)
{
  fixture->server = server_args ? docket_test_server_start_with_args (TRUE, server_args)
                                : docket_test_server_start (TRUE);
  fixture->secretary = docket_test_sign_in (fixture->server, "thuky", NULL);
  fixture->official = docket_test_sign_in (fixture->server, "daibieu1", NULL);
  fixture->item_id = docket_test_find_item_of (fixture->server, fixture->secretary,
                                               "daibieu1", TRUE, NULL);
  g_assert_nonnull (fixture->item_id);
}

static void
fixture_tear_down (Fixture *fixture)
{
  docket_test_server_stop (fixture->server);
  g_free (fixture->secretary);
  g_free (fixture->official);
  g_free (fixture->item_id);
}

/* Sends the headers of a 10 MB upload and none of its body: the answer must come all the
 * same, and the server must close the connection. */
static void
assert_refused_before_body (DocketTestServer *server,
                            const char       *path,
                            const char       *token,
                            gboolean          expect_continue,
                            guint             expected_status,
                            const char       *expected_code)
{
  g_autoptr(GSocketConnection) connection = raw_connect (server);
  g_autoptr(RawResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  char c;

  g_test_message ("POST %s%s -> %u", path, expect_continue ? " (Expect: 100-continue)" : "",
                  expected_status);
  raw_send_upload_headers (connection, path, token, 10 * 1000 * 1000, expect_continue);
  response = raw_read_response (connection);
  g_assert_cmpuint (response->status, ==, expected_status);
  assert_json_error (response->body, expected_code);
  /* Closed after the answer: the body is not waited for. */
  g_assert_cmpint (g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                                        &c, 1, NULL, &error), ==, 0);
  g_assert_no_error (error);
}

/* Without a token, with a bad one, by an official, for an unknown item, with a bad
 * title: refused from the headers, with or without Expect: 100-continue; nothing stored,
 * nothing changed. */
static void
test_refused_from_headers (void)
{
  Fixture fixture = { 0 };
  g_autofree char *path = NULL;
  g_autofree char *cursor = NULL;
  guint files;

  fixture_set_up (&fixture, NULL);
  path = upload_path (fixture.item_id);
  cursor = feed_cursor (fixture.server, fixture.secretary, NULL);
  files = count_blob_folder_files (fixture.server);

  for (int expect_continue = 0; expect_continue <= 1; expect_continue++)
    {
      g_autofree char *unknown = upload_path ("khong-co");
      g_autofree char *bad_title = g_strdup_printf ("/api/v1/items/%s/documents?title=", fixture.item_id);

      assert_refused_before_body (fixture.server, path, NULL, expect_continue, 401, "unauthorized");
      assert_refused_before_body (fixture.server, path, "not-a-token", expect_continue, 401, "unauthorized");
      assert_refused_before_body (fixture.server, path, fixture.official, expect_continue, 403, "forbidden");
      assert_refused_before_body (fixture.server, unknown, fixture.secretary, expect_continue, 404, "not_found");
      assert_refused_before_body (fixture.server, "/api/v1/items/a/b/documents", fixture.secretary,
                                  expect_continue, 404, "not_found");
      assert_refused_before_body (fixture.server, bad_title, fixture.secretary, expect_continue,
                                  400, "invalid_field");
    }

  /* A client that sends its body at once, as most do, still gets the answer. */
  {
    g_autofree char *url = g_strconcat (docket_test_server_get_url (fixture.server), path, NULL);
    g_autoptr(GBytes) pdf = docket_test_make_pdf (3000000);
    g_autoptr(GBytes) body = NULL;

    g_assert_cmpuint (docket_test_http ("POST", url, fixture.official, "application/pdf", pdf, &body),
                      ==, 403);
    assert_json_error (body, "forbidden");
  }

  assert_feed_unchanged (fixture.server, fixture.secretary, cursor);
  g_assert_cmpuint (count_blob_folder_files (fixture.server), ==, files);
  fixture_tear_down (&fixture);
}

/* A held connection per slot: its headers accepted ("100 Continue"), its body not sent. */
static GSocketConnection *
hold_upload_slot (DocketTestServer *server,
                  const char       *path,
                  const char       *token,
                  gsize             length)
{
  GSocketConnection *connection = raw_connect (server);
  g_autoptr(RawResponse) response = NULL;

  raw_send_upload_headers (connection, path, token, length, TRUE);
  response = raw_read_response (connection);
  g_assert_cmpuint (response->status, ==, 100);
  return connection;
}

/* With every upload slot taken, one more upload gets 503 busy with Retry-After, from its
 * headers; the uploads under way complete intact, and free their slots, as do uploads
 * whose client goes away. */
static void
test_busy (void)
{
  Fixture fixture = { 0 };
  g_autofree char *path = NULL;
  g_autofree char *documents_prefix = NULL;
  GSocketConnection *held[DOCKET_SERVER_MAX_CONCURRENT_UPLOADS];
  GBytes *pdfs[DOCKET_SERVER_MAX_CONCURRENT_UPLOADS];
  guint before;
  guint files;

  fixture_set_up (&fixture, NULL);
  files = count_blob_folder_files (fixture.server);
  path = upload_path (fixture.item_id);
  documents_prefix = g_strdup_printf ("/api/v1/items/%s/documents", fixture.item_id);

  for (guint i = 0; i < G_N_ELEMENTS (held); i++)
    {
      /* Sizes that are no multiple of what the server writes at a time. */
      pdfs[i] = docket_test_make_pdf (1500000 + i * 700001);
      held[i] = hold_upload_slot (fixture.server, path, fixture.secretary, g_bytes_get_size (pdfs[i]));
    }

  for (int expect_continue = 0; expect_continue <= 1; expect_continue++)
    {
      g_autoptr(GSocketConnection) connection = raw_connect (fixture.server);
      g_autoptr(RawResponse) response = NULL;
      g_autofree char *retry_after = NULL;
      guint64 seconds = 0;

      raw_send_upload_headers (connection, path, fixture.secretary, 10 * 1000 * 1000, expect_continue);
      response = raw_read_response (connection);
      g_assert_cmpuint (response->status, ==, 503);
      assert_json_error (response->body, "busy");
      retry_after = head_value (response->head, "Retry-After");
      g_assert_nonnull (retry_after);
      g_assert_true (g_ascii_string_to_unsigned (retry_after, 10, 1, 3600, &seconds, NULL));
    }

  /* The held uploads go on, and arrive intact. */
  for (guint i = 0; i < G_N_ELEMENTS (held); i++)
    {
      g_autoptr(RawResponse) response = NULL;
      g_autoptr(JsonNode) document = NULL;
      gsize size;
      const guint8 *data = g_bytes_get_data (pdfs[i], &size);
      g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, pdfs[i]);

      raw_send (held[i], data, size);
      response = raw_read_response (held[i]);
      g_assert_cmpuint (response->status, ==, 201);
      document = parse_json (response->body);
      g_assert_cmpstr (json_object_get_string_member (json_node_get_object (document), "sha256"), ==, sha256);
      g_assert_cmpint (json_object_get_int_member (json_node_get_object (document), "size"), ==, size);
      assert_downloads (fixture.server, fixture.secretary, document, pdfs[i]);
      g_clear_object (&held[i]);
    }
  /* Their blobs, and no temporary file left. */
  g_assert_cmpuint (count_blob_folder_files (fixture.server), ==, files + G_N_ELEMENTS (held));

  /* The same bytes again: stored once. */
  {
    g_autoptr(JsonNode) again = upload (fixture.server, fixture.secretary, fixture.item_id, pdfs[0]);

    assert_downloads (fixture.server, fixture.secretary, again, pdfs[0]);
    g_assert_cmpuint (count_blob_folder_files (fixture.server), ==, files + G_N_ELEMENTS (held));
  }

  /* Clients that go away mid-upload free their slots too (the server logs each request
   * once it is done with it). */
  before = docket_test_server_count_requests (fixture.server, "POST", documents_prefix);
  for (guint i = 0; i < G_N_ELEMENTS (held); i++)
    {
      g_autoptr(GBytes) part = g_bytes_new_from_bytes (pdfs[i], 0, 100000);

      held[i] = hold_upload_slot (fixture.server, path, fixture.secretary, g_bytes_get_size (pdfs[i]));
      raw_send (held[i], g_bytes_get_data (part, NULL), g_bytes_get_size (part));
    }
  for (guint i = 0; i < G_N_ELEMENTS (held); i++)
    g_clear_object (&held[i]);
  g_assert_cmpuint (docket_test_server_wait_for_requests (fixture.server, "POST", documents_prefix,
                                                          before + G_N_ELEMENTS (held)),
                    >=, before + G_N_ELEMENTS (held));
  {
    g_autoptr(GBytes) pdf = docket_test_make_pdf (30000);
    g_autoptr(JsonNode) document = upload (fixture.server, fixture.secretary, fixture.item_id, pdf);

    assert_downloads (fixture.server, fixture.secretary, document, pdf);
  }
  /* What the clients that went away sent left nothing behind. */
  g_assert_cmpuint (count_blob_folder_files (fixture.server), ==, files + G_N_ELEMENTS (held) + 1);

  for (guint i = 0; i < G_N_ELEMENTS (pdfs); i++)
    g_bytes_unref (pdfs[i]);
  fixture_tear_down (&fixture);
}

/* Clients that take a slot and then send nothing are dropped once the upload timeout
 * passes, and their slots go to the next uploads. */
static void
test_idle_clients_dropped (void)
{
  const char * const args[] = { "--upload-timeout", "1", NULL };
  Fixture fixture = { 0 };
  g_autofree char *path = NULL;
  GSocketConnection *held[DOCKET_SERVER_MAX_CONCURRENT_UPLOADS];
  guint files;

  fixture_set_up (&fixture, args);
  path = upload_path (fixture.item_id);
  files = count_blob_folder_files (fixture.server);
  for (guint i = 0; i < G_N_ELEMENTS (held); i++)
    held[i] = hold_upload_slot (fixture.server, path, fixture.secretary, 100000);

  /* The server closes each connection (its slot freed first): the read ends. */
  for (guint i = 0; i < G_N_ELEMENTS (held); i++)
    {
      g_autoptr(GError) error = NULL;
      char c;

      g_assert_cmpint (g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (held[i])),
                                            &c, 1, NULL, &error), ==, 0);
      g_assert_no_error (error);
      g_clear_object (&held[i]);
    }

  {
    g_autoptr(GBytes) pdf = docket_test_make_pdf (30000);
    g_autoptr(JsonNode) document = upload (fixture.server, fixture.secretary, fixture.item_id, pdf);

    assert_downloads (fixture.server, fixture.secretary, document, pdf);
  }
  /* What they never sent left no file behind. */
  g_assert_cmpuint (count_blob_folder_files (fixture.server), ==, files + 1);
  fixture_tear_down (&fixture);
}

/* A PDF of more pages than any client opens is refused, and leaves nothing behind; one
 * of exactly the limit is taken. */
static void
test_too_many_pages (void)
{
  Fixture fixture = { 0 };
  g_autoptr(GBytes) too_many = make_many_pages_pdf (DOCKET_MAX_PAGES + 1);
  g_autoptr(GBytes) at_limit = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) document = NULL;
  g_autofree char *path = NULL;
  g_autofree char *url = NULL;
  g_autofree char *cursor = NULL;
  guint files;

  fixture_set_up (&fixture, NULL);
  path = upload_path (fixture.item_id);
  url = g_strconcat (docket_test_server_get_url (fixture.server), path, NULL);
  cursor = feed_cursor (fixture.server, fixture.secretary, NULL);
  files = count_blob_folder_files (fixture.server);

  g_assert_cmpuint (docket_test_http ("POST", url, fixture.secretary, "application/pdf",
                                      too_many, &body), ==, 413);
  assert_json_error (body, "too_large");
  assert_feed_unchanged (fixture.server, fixture.secretary, cursor);
  g_assert_cmpuint (count_blob_folder_files (fixture.server), ==, files);

  at_limit = make_many_pages_pdf (DOCKET_MAX_PAGES);
  document = upload (fixture.server, fixture.secretary, fixture.item_id, at_limit);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (document), "pages"), ==,
                   DOCKET_MAX_PAGES);
  g_assert_cmpuint (count_blob_folder_files (fixture.server), ==, files + 1);
  fixture_tear_down (&fixture);
}

/* A 500 MB upload, sent from a file: the server's peak resident memory stays under
 * 100 MB, and it stores exactly what was sent. */
static void
test_large (void)
{
  const char * const args[] = { "--max-upload-bytes", "600000000", NULL };
  Fixture fixture = { 0 };
  g_autofree char *tmpdir = docket_test_make_tmpdir ("docket-upload-XXXXXX");
  g_autofree char *pdf_path = g_build_filename (tmpdir, "large.pdf", NULL);
  g_autofree char *sha256 = NULL;
  g_autofree char *path = NULL;
  g_autofree char *url = NULL;
  g_autofree char *blob = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (pdf_path);
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 600, NULL);
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) document = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *authorization = NULL;
  GStatBuf st;
  gint64 peak;
  gsize size;

  fixture_set_up (&fixture, args);
  sha256 = write_large_pdf (pdf_path, 500 * 1000 * 1000, &size);
  in = g_file_read (file, NULL, &error);
  g_assert_no_error (error);

  path = upload_path (fixture.item_id);
  url = g_strconcat (docket_test_server_get_url (fixture.server), path, NULL);
  message = soup_message_new ("POST", url);
  /* Signing in peaked at Argon2's 46 MiB: the peak of the upload is measured from here. */
  reset_peak_rss (docket_test_server_get_pid (fixture.server));
  authorization = g_strconcat ("Bearer ", fixture.secretary, NULL);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization",
                                authorization);
  soup_message_set_request_body (message, "application/pdf", G_INPUT_STREAM (in), (gssize) size);
  body = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, 201);

  document = parse_json (body);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (document), "sha256"), ==, sha256);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (document), "size"), ==, size);
  peak = peak_rss (docket_test_server_get_pid (fixture.server));
  g_test_message ("server peak RSS %" G_GINT64_FORMAT " bytes for an upload of %zu", peak, size);
  g_assert_cmpint (peak, <, 100 * 1000 * 1000);

  /* In place, whole: its bytes were hashed as they were written. */
  blob = g_strdup_printf ("%s/blobs/%.2s/%s.pdf", docket_test_server_get_data_dir (fixture.server),
                          sha256, sha256);
  g_assert_cmpint (g_stat (blob, &st), ==, 0);
  g_assert_cmpint (st.st_size, ==, size);

  fixture_tear_down (&fixture);
  docket_test_rmtree (tmpdir);
}

/* The file of an upload cut short (a killed server) goes with garbage collection once
 * past the grace period, and not before. */
static void
test_intake_leftovers (void)
{
  DocketTestServer *server = docket_test_server_start (FALSE);
  g_autofree char *old = g_build_filename (docket_test_server_get_data_dir (server), "blobs",
                                           "upload-a1B2c3", NULL);
  g_autofree char *young = g_build_filename (docket_test_server_get_data_dir (server), "blobs",
                                             "upload-Zz9yX8", NULL);
  g_autofree char *other = g_build_filename (docket_test_server_get_data_dir (server), "blobs",
                                             "upload-notours", NULL);
  g_autofree char *out = NULL;
  struct utimbuf times;

  g_assert_true (g_file_set_contents (old, "%PDF-1.4 cut short", -1, NULL));
  g_assert_true (g_file_set_contents (young, "%PDF-1.4 under way", -1, NULL));
  g_assert_true (g_file_set_contents (other, "not an intake's name", -1, NULL));
  times.actime = times.modtime = (time_t) (g_get_real_time () / G_USEC_PER_SEC - 2 * 3600);
  g_assert_cmpint (g_utime (old, &times), ==, 0);
  g_assert_cmpint (g_utime (other, &times), ==, 0);

  g_assert_cmpint (docket_test_server_admin (server, NULL, &out, "gc", NULL), ==, 0);
  g_assert_false (g_file_test (old, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (young, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (other, G_FILE_TEST_EXISTS));
  docket_test_server_stop (server);
}

/* The intake files under the blob folder (upload-XXXXXX), by path. */
static GPtrArray *
find_intakes (DocketTestServer *server)
{
  g_autofree char *root = g_build_filename (docket_test_server_get_data_dir (server), "blobs", NULL);
  g_autoptr(GDir) dir = g_dir_open (root, 0, NULL);
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "upload-"))
      g_ptr_array_add (paths, g_build_filename (root, name, NULL));
  return paths;
}

/* An upload under way keeps its file through a collection, however long it has been
 * quiet and whatever the grace period: the upload then completes intact. */
static void
test_gc_spares_uploads_under_way (void)
{
  Fixture fixture = { 0 };
  g_autoptr(GBytes) pdf = docket_test_make_pdf (3000000);
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(RawResponse) response = NULL;
  g_autoptr(JsonNode) document = NULL;
  g_autoptr(GPtrArray) intakes = NULL;
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, pdf);
  struct utimbuf times;

  fixture_set_up (&fixture, NULL);
  path = upload_path (fixture.item_id);
  /* Accepted, and nothing sent yet: the server writes nothing to its file meanwhile. */
  connection = hold_upload_slot (fixture.server, path, fixture.secretary, g_bytes_get_size (pdf));
  intakes = find_intakes (fixture.server);
  g_assert_cmpuint (intakes->len, ==, 1);

  /* As if it had been quiet for two hours, and a collection without a grace period. */
  times.actime = times.modtime = (time_t) (g_get_real_time () / G_USEC_PER_SEC - 2 * 3600);
  g_assert_cmpint (g_utime (g_ptr_array_index (intakes, 0), &times), ==, 0);
  g_assert_cmpint (docket_test_server_admin (fixture.server, NULL, &out, "gc", "--grace-seconds", "0", NULL), ==, 0);
  g_assert_true (g_file_test (g_ptr_array_index (intakes, 0), G_FILE_TEST_EXISTS));

  raw_send (connection, g_bytes_get_data (pdf, NULL), g_bytes_get_size (pdf));
  response = raw_read_response (connection);
  g_assert_cmpuint (response->status, ==, 201);
  document = parse_json (response->body);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (document), "sha256"), ==, sha256);
  assert_downloads (fixture.server, fixture.secretary, document, pdf);
  /* Its file went once the upload was done. */
  g_clear_pointer (&intakes, g_ptr_array_unref);
  intakes = find_intakes (fixture.server);
  g_assert_cmpuint (intakes->len, ==, 0);
  fixture_tear_down (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  const char *asan_options = g_getenv ("ASAN_OPTIONS");
  g_autofree char *options = g_strconcat (asan_options ? asan_options : "", asan_options ? ":" : "",
                                          "quarantine_size_mb=8", NULL);

  /* Under AddressSanitizer, freed memory waits in a quarantine of 256 MB before it is
   * used again: the servers of this file keep a small one, so that /server/uploads/large
   * measures the server's memory rather than the sanitizer's. Set before any thread. */
  g_setenv ("ASAN_OPTIONS", options, TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/uploads/refused-from-headers", test_refused_from_headers);
  g_test_add_func ("/server/uploads/busy", test_busy);
  g_test_add_func ("/server/uploads/idle-clients-dropped", test_idle_clients_dropped);
  g_test_add_func ("/server/uploads/too-many-pages", test_too_many_pages);
  g_test_add_func ("/server/uploads/large", test_large);
  g_test_add_func ("/server/uploads/intake-leftovers", test_intake_leftovers);
  g_test_add_func ("/server/uploads/gc-spares-uploads-under-way", test_gc_spares_uploads_under_way);
  return g_test_run ();
}
