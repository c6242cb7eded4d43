/* docket-server-manage.c: the secretaries' endpoints — meetings, participants, agenda
 * items, documents (docs/protocol.md, "Managing meetings")
 *
 * Each handler checks the whole request (JSON shape, every field's type and limits, who
 * may do it) before it writes anything; the write itself is one transaction.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "docket-protocol.h"
#include "docket-server-private.h"

static gboolean
field_error (GError     **error,
             const char  *field,
             const char  *why)
{
  g_set_error (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_INVALID_FIELD,
               "%s: %s", field, why);
  return FALSE;
}

static JsonObject *
parse_object (SoupServerMessage  *msg,
              JsonNode          **out_root,
              GError            **error)
{
  *out_root = docket_server_parse_json_object (msg, error);
  return *out_root ? json_node_get_object (*out_root) : NULL;
}

/* Reads an optional text member: *out stays NULL when absent. */
static gboolean
read_text (JsonObject  *object,
           const char  *name,
           gsize        max_bytes,
           gboolean     may_be_empty,
           char       **out,
           GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);
  const char *text;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return field_error (error, name, _("not a string"));
  text = json_node_get_string (node);
  if (!docket_protocol_text_is_valid (text, max_bytes))
    {
      /* The words of the clients' reader (common/docket-checks.c), which say the limit. */
      g_autofree char *why = g_strdup_printf (_("not valid text of at most %u bytes without control characters"),
                                              (guint) max_bytes);

      return field_error (error, name, why);
    }
  if (!may_be_empty && *text == '\0')
    return field_error (error, name, _("empty"));
  *out = g_strdup (text);
  return TRUE;
}

static gboolean
read_int (JsonObject  *object,
          const char  *name,
          gint64       min,
          gint64       max,
          gboolean    *out_has,
          int         *out,
          GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);
  gint64 value;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return field_error (error, name, _("not an integer"));
  value = json_node_get_int (node);
  if (value < min || value > max)
    return field_error (error, name, _("out of range"));
  *out_has = TRUE;
  *out = (int) value;
  return TRUE;
}

static gboolean
read_time (JsonObject  *object,
           const char  *name,
           GDateTime  **out,
           GError     **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!read_text (object, name, DOCKET_MAX_TIME_TEXT_BYTES, FALSE, &text, error))
    return FALSE;
  if (text == NULL)
    return TRUE;
  *out = docket_protocol_parse_time (text, &local_error);
  if (*out == NULL)
    return field_error (error, name, _("not an RFC 3339 time with an offset"));
  return TRUE;
}

static gboolean
read_meeting_fields (JsonObject                 *object,
                     DocketServerMeetingFields  *fields,
                     GError                    **error)
{
  g_autofree char *status = NULL;

  if (!read_text (object, "title", DOCKET_MAX_TITLE_BYTES, FALSE, &fields->title, error) ||
      !read_text (object, "organ", DOCKET_MAX_SHORT_TEXT_BYTES, FALSE, &fields->organ, error) ||
      !read_text (object, "location", DOCKET_MAX_SHORT_TEXT_BYTES, TRUE, &fields->location, error) ||
      !read_text (object, "time_zone", DOCKET_MAX_SHORT_TEXT_BYTES, FALSE, &fields->time_zone, error) ||
      !read_time (object, "starts_at", &fields->starts_at, error) ||
      !read_time (object, "ends_at", &fields->ends_at, error) ||
      !read_text (object, "status", DOCKET_MAX_SHORT_TEXT_BYTES, FALSE, &status, error))
    return FALSE;

  if (fields->time_zone != NULL)
    {
      GTimeZone *zone = NULL;

      /* The name's shape first: GLib would also open a file by its path. */
      if (!docket_protocol_time_zone_is_valid (fields->time_zone) ||
          (zone = g_time_zone_new_identifier (fields->time_zone)) == NULL)
        return field_error (error, "time_zone", _("not an IANA time zone name"));
      g_time_zone_unref (zone);
    }
  if (status != NULL)
    {
      if (!docket_meeting_status_from_string (status, &fields->status))
        return field_error (error, "status", _("not draft, published or closed"));
      fields->has_status = TRUE;
    }
  return TRUE;
}

static gboolean
read_item_fields (JsonObject              *object,
                  DocketServerItemFields  *fields,
                  GError                 **error)
{
  JsonNode *parent;

  if (!read_text (object, "title", DOCKET_MAX_TITLE_BYTES, FALSE, &fields->title, error) ||
      !read_text (object, "number", DOCKET_MAX_NUMBER_BYTES, TRUE, &fields->number, error) ||
      !read_text (object, "presenter", DOCKET_MAX_SHORT_TEXT_BYTES, TRUE, &fields->presenter, error) ||
      !read_text (object, "description", DOCKET_MAX_DESCRIPTION_BYTES, TRUE, &fields->description, error) ||
      !read_int (object, "position", 0, DOCKET_MAX_POSITION, &fields->has_position,
                 &fields->position, error))
    return FALSE;

  parent = json_object_get_member (object, "parent_id");
  if (parent != NULL)
    {
      fields->has_parent = TRUE;
      if (!JSON_NODE_HOLDS_NULL (parent))
        {
          if (!read_text (object, "parent_id", DOCKET_MAX_ID_LENGTH, FALSE, &fields->parent_id, error))
            return FALSE;
          if (!docket_protocol_id_is_valid (fields->parent_id))
            return field_error (error, "parent_id", _("not an id"));
        }
    }
  return TRUE;
}

/* Replies with what a write returned (node: transfer full). */
static void
reply_record (SoupServerMessage *msg,
              guint              status,
              JsonNode          *node)
{
  g_autoptr(JsonNode) owned = node;

  docket_server_reply_json (msg, status, owned);
}

static gboolean
check_may_manage (const DocketServerUser  *user,
                  GError                 **error)
{
  if (user->role == DOCKET_ROLE_SECRETARY || user->role == DOCKET_ROLE_ADMIN)
    return TRUE;
  g_set_error_literal (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_FORBIDDEN,
                       _("Only secretaries and administrators may do this"));
  return FALSE;
}

/* The meeting an item or a document belongs to, or NULL with NOT_FOUND. */
typedef char *(*MeetingOfFunc) (DocketServerDb  *db,
                                const char      *id,
                                GError         **error);

/* Checks that user may manage the meeting of the entity id; meeting_of is NULL when id
 * is a meeting's. */
static gboolean
check_manage_entity (DocketServerDb          *db,
                     const DocketServerUser  *user,
                     MeetingOfFunc            meeting_of,
                     const char              *id,
                     GError                 **error)
{
  g_autofree char *meeting_id = meeting_of ? meeting_of (db, id, error) : g_strdup (id);

  return meeting_id != NULL && docket_server_db_check_manage_meeting (db, user, meeting_id, error);
}

/* What PATCH and DELETE on /meetings/{id}, /items/{id} and /documents/{id} do. */
typedef struct {
  MeetingOfFunc meeting_of;
  /* Reads the fields of a PATCH, writes them and returns the record as JSON, or NULL
   * with error. */
  JsonNode   *(*update) (DocketServerDb  *db,
                         const char      *id,
                         JsonObject      *object,
                         GError         **error);
  gboolean    (*delete) (DocketServerDb  *db,
                         const char      *id,
                         GError         **error);
} EntityKind;

static JsonNode *
update_meeting (DocketServerDb  *db,
                const char      *id,
                JsonObject      *object,
                GError         **error)
{
  g_auto(DocketServerMeetingFields) fields = { 0 };
  g_autoptr(DocketMeetingRecord) record = NULL;

  if (!read_meeting_fields (object, &fields, error) ||
      (record = docket_server_db_update_meeting (db, id, &fields, error)) == NULL)
    return NULL;
  return docket_meeting_record_to_json (record);
}

static JsonNode *
update_item (DocketServerDb  *db,
             const char      *id,
             JsonObject      *object,
             GError         **error)
{
  g_auto(DocketServerItemFields) fields = { 0 };
  g_autoptr(DocketAgendaItemRecord) record = NULL;

  if (!read_item_fields (object, &fields, error) ||
      (record = docket_server_db_update_item (db, id, &fields, error)) == NULL)
    return NULL;
  return docket_agenda_item_record_to_json (record);
}

static JsonNode *
update_document (DocketServerDb  *db,
                 const char      *id,
                 JsonObject      *object,
                 GError         **error)
{
  g_auto(DocketServerDocumentFields) fields = { 0 };
  g_autoptr(DocketDocumentRecord) record = NULL;

  if (!read_text (object, "title", DOCKET_MAX_TITLE_BYTES, FALSE, &fields.title, error) ||
      !read_int (object, "position", 0, DOCKET_MAX_POSITION, &fields.has_position,
                 &fields.position, error) ||
      (record = docket_server_db_update_document (db, id, &fields, error)) == NULL)
    return NULL;
  return docket_document_record_to_json (record);
}

static const EntityKind meeting_kind = {
  NULL, update_meeting, docket_server_db_delete_meeting,
};
static const EntityKind item_kind = {
  docket_server_db_item_meeting, update_item, docket_server_db_delete_item,
};
static const EntityKind document_kind = {
  docket_server_db_document_meeting, update_document, docket_server_db_delete_document,
};

/* PATCH or DELETE of one meeting, item or document. */
static void
handle_entity (DocketServer           *self,
               SoupServerMessage      *msg,
               const DocketServerUser *user,
               const char             *method,
               const char             *id,
               const EntityKind       *kind)
{
  DocketServerDb *db = docket_server_get_db (self);
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (method, "PATCH") && !g_str_equal (method, "DELETE"))
    {
      docket_server_reply_method_not_allowed (msg, "PATCH, DELETE");
      return;
    }
  if (!check_manage_entity (db, user, kind->meeting_of, id, &error))
    {
      docket_server_reply_gerror (msg, error);
      return;
    }

  if (g_str_equal (method, "PATCH"))
    {
      g_autoptr(JsonNode) root = NULL;
      JsonObject *object;
      JsonNode *node;

      if ((object = parse_object (msg, &root, &error)) == NULL ||
          (node = kind->update (db, id, object, &error)) == NULL)
        docket_server_reply_gerror (msg, error);
      else
        reply_record (msg, 200, node);
    }
  else if (!kind->delete (db, id, &error))
    docket_server_reply_gerror (msg, error);
  else
    soup_server_message_set_status (msg, 204, NULL);
}

static void
handle_users (DocketServer           *self,
              SoupServerMessage      *msg,
              const DocketServerUser *user)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  if (!check_may_manage (user, &error) ||
      (users = docket_server_db_list_users (docket_server_get_db (self), &error)) == NULL)
    {
      docket_server_reply_gerror (msg, error);
      return;
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "users");
  json_builder_begin_array (builder);
  for (guint i = 0; i < users->len; i++)
    json_builder_add_value (builder, docket_server_user_to_json (g_ptr_array_index (users, i), TRUE));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  reply_record (msg, 200, json_builder_get_root (builder));
}

/* POST /meetings */
static JsonNode *
create_meeting (DocketServerDb          *db,
                const DocketServerUser  *user,
                JsonObject              *object,
                GError                 **error)
{
  g_auto(DocketServerMeetingFields) fields = { 0 };
  g_autoptr(DocketMeetingRecord) record = NULL;

  if (!read_meeting_fields (object, &fields, error) ||
      (record = docket_server_db_create_meeting (db, user, &fields, error)) == NULL)
    return NULL;
  return docket_meeting_record_to_json (record);
}

/* POST /meetings/{id}/items */
static JsonNode *
create_item (DocketServerDb  *db,
             const char      *meeting_id,
             JsonObject      *object,
             GError         **error)
{
  g_auto(DocketServerItemFields) fields = { 0 };
  g_autoptr(DocketAgendaItemRecord) record = NULL;

  if (!read_item_fields (object, &fields, error) ||
      (record = docket_server_db_create_item (db, meeting_id, &fields, error)) == NULL)
    return NULL;
  return docket_agenda_item_record_to_json (record);
}

/* A POST that creates a meeting (meeting_id NULL) or an agenda item of meeting_id. */
static void
handle_create (DocketServer           *self,
               SoupServerMessage      *msg,
               const DocketServerUser *user,
               const char             *meeting_id)
{
  DocketServerDb *db = docket_server_get_db (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonNode *node;

  if (!(meeting_id ? docket_server_db_check_manage_meeting (db, user, meeting_id, &error)
                   : check_may_manage (user, &error)) ||
      (object = parse_object (msg, &root, &error)) == NULL ||
      (node = (meeting_id ? create_item (db, meeting_id, object, &error)
                          : create_meeting (db, user, object, &error))) == NULL)
    {
      docket_server_reply_gerror (msg, error);
      return;
    }
  reply_record (msg, 201, node);
}

static void
handle_participant (DocketServer           *self,
                    SoupServerMessage      *msg,
                    const DocketServerUser *user,
                    const char             *method,
                    const char             *meeting_id,
                    const char             *username)
{
  DocketServerDb *db = docket_server_get_db (self);
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (method, "PUT") && !g_str_equal (method, "DELETE"))
    {
      docket_server_reply_method_not_allowed (msg, "PUT, DELETE");
      return;
    }
  if (!docket_server_db_check_manage_meeting (db, user, meeting_id, &error) ||
      !docket_server_db_set_participant (db, meeting_id, username,
                                         g_str_equal (method, "PUT"), &error))
    docket_server_reply_gerror (msg, error);
  else
    soup_server_message_set_status (msg, 204, NULL);
}
/* Uploads. The early handler (docket_server_manage_begin_upload) checks the request from
 * its headers and has its body written to an intake of the blob store as it arrives, a
 * mebibyte at a time by a worker thread while the message is paused: memory stays bounded
 * however large the PDF and however slow the disk (the client waits meanwhile), and the
 * main thread neither writes nor hashes. Once the body is read, handle_upload checks the
 * PDF from the file and stores it, in a worker too; the database write comes back to the
 * main thread, which owns the connection. */

#define UPLOAD_FLUSH_BYTES (1024 * 1024)
#define UPLOAD_KEY         "docket-server-upload"

typedef struct {
  DocketServer           *self;       /* borrowed: see upload_message_finished */
  SoupServerMessage      *msg;        /* borrowed: it owns the upload */
  char                   *item_id;
  char                   *title;
  DocketServerBlobIntake *intake;     /* NULL once stored and committed */
  GByteArray             *pending;    /* read, not yet written */
  GError                 *error;      /* the first write that failed; the rest is dropped */
  gboolean                holds_slot;
  gboolean                finished;   /* the message is done: nothing more to unpause */
  gboolean                writing;    /* a worker writes pending, the message paused */
  guint                   idle_source;
  gint64                  last_read;  /* monotonic, when bytes last came (or were awaited) */
  char                   *sha256;     /* out of the worker */
  int                     pages;
} Upload;

/* Owned by its message: workers hold a reference to the message while they use it. */
static void
upload_free (Upload *upload)
{
  g_clear_handle_id (&upload->idle_source, g_source_remove);
  if (upload->holds_slot)
    docket_server_release_upload_slot (upload->self);
  g_free (upload->item_id);
  g_free (upload->title);
  g_clear_pointer (&upload->intake, docket_server_blob_intake_free);
  g_byte_array_unref (upload->pending);
  g_clear_error (&upload->error);
  g_free (upload->sha256);
  g_free (upload);
}

static void
upload_message_finished (SoupServerMessage *msg,
                         gpointer           user_data)
{
  Upload *upload = user_data;

  /* Answered or dropped (by the client, or by the server as it stops: the message is
   * finished before the server goes, and the upload uses it no more after this, so that
   * an upload under way keeps no reference to the server) — the slot is free. */
  upload->finished = TRUE;
  g_clear_handle_id (&upload->idle_source, g_source_remove);
  if (upload->holds_slot)
    docket_server_release_upload_slot (upload->self);
  upload->holds_slot = FALSE;
}

/* libsoup has no timeout of its own: a client that stops sending would hold its slot
 * for ever. Its connection is taken from libsoup and closed; the message, which owns
 * the upload, goes with it. */
static void
upload_drop (Upload *upload)
{
  g_autoptr(SoupServerMessage) msg = g_object_ref (upload->msg);
  GUri *uri = soup_server_message_get_uri (msg);
  GIOStream *stream;

  g_printerr ("request %s %s 408 0 (no bytes for %u s: connection closed)\n",
              soup_server_message_get_method (msg), uri ? g_uri_get_path (uri) : "-",
              docket_server_get_upload_timeout (upload->self));
  /* A stolen message is not finished by libsoup: done here, before it goes. */
  upload_message_finished (msg, upload);
  stream = soup_server_message_steal_connection (msg);
  if (stream != NULL)
    {
      g_io_stream_close (stream, NULL, NULL);
      g_object_unref (stream);
    }
}

static gboolean
upload_check_idle (gpointer user_data)
{
  Upload *upload = user_data;
  gint64 idle = g_get_monotonic_time () - upload->last_read;

  /* The server's own writing is not the client's idleness. */
  if (upload->writing ||
      idle < (gint64) docket_server_get_upload_timeout (upload->self) * G_USEC_PER_SEC)
    return G_SOURCE_CONTINUE;
  upload->idle_source = 0;
  upload_drop (upload);
  return G_SOURCE_REMOVE;
}

/* Writes what is pending to the intake. */
static gboolean
upload_write_pending (Upload  *upload,
                      GError **error)
{
  gboolean ok = docket_server_blob_intake_write (upload->intake, upload->pending->data,
                                                 upload->pending->len, error);

  g_byte_array_set_size (upload->pending, 0);
  return ok;
}

static void
upload_flush_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  GError *error = NULL;

  if (!upload_write_pending (task_data, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
upload_flushed (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Upload *upload = user_data;

  upload->writing = FALSE;
  upload->last_read = g_get_monotonic_time ();
  if (!g_task_propagate_boolean (G_TASK (result), &upload->error))
    g_printerr ("error %s\n", upload->error->message);
  if (!upload->finished)
    soup_server_message_unpause (SOUP_SERVER_MESSAGE (source));
}

/* Reading stops while a worker writes: the message is paused until it is done, so that
 * pending never holds more than UPLOAD_FLUSH_BYTES and a chunk. */
static void
upload_got_chunk (SoupServerMessage *msg,
                  GBytes            *chunk,
                  gpointer           user_data)
{
  Upload *upload = user_data;
  g_autoptr(GTask) task = NULL;
  gsize size;
  const guint8 *data = g_bytes_get_data (chunk, &size);

  upload->last_read = g_get_monotonic_time ();
  if (upload->error != NULL)
    return;
  g_byte_array_append (upload->pending, data, (guint) size);
  if (upload->pending->len < UPLOAD_FLUSH_BYTES)
    return;

  soup_server_message_pause (msg);
  upload->writing = TRUE;
  task = g_task_new (msg, NULL, upload_flushed, upload);
  g_task_set_source_tag (task, upload_got_chunk);
  g_task_set_task_data (task, upload, NULL);
  g_task_run_in_thread (task, upload_flush_thread);
}

/* The title query parameter, "Document" when absent. */
static const char *
upload_title (GHashTable  *query,
              GError     **error)
{
  const char *title = query ? g_hash_table_lookup (query, "title") : NULL;

  if (title == NULL)
    return "Document";
  if (*title == '\0' || !docket_protocol_text_is_valid (title, DOCKET_MAX_TITLE_BYTES))
    {
      g_set_error_literal (error, DOCKET_SERVER_ERROR, DOCKET_SERVER_ERROR_INVALID_FIELD,
                           _("title: empty, too long, or not valid text"));
      return NULL;
    }
  return title;
}

gboolean
docket_server_manage_begin_upload (DocketServer           *self,
                                   SoupServerMessage      *msg,
                                   const DocketServerUser *user,
                                   const char             *item_id,
                                   GHashTable             *query,
                                   GError                **error)
{
  DocketServerDb *db = docket_server_get_db (self);
  g_autoptr(DocketServerBlobIntake) intake = NULL;
  const char *title;
  Upload *upload;

  if (!check_manage_entity (db, user, docket_server_db_item_meeting, item_id, error) ||
      (title = upload_title (query, error)) == NULL ||
      !docket_server_take_upload_slot (self, error))
    return FALSE;
  intake = docket_server_blobs_begin_intake (docket_server_get_blobs (self), error);
  if (intake == NULL)
    {
      docket_server_release_upload_slot (self);
      return FALSE;
    }

  upload = g_new0 (Upload, 1);
  upload->self = self;
  upload->msg = msg;
  upload->item_id = g_strdup (item_id);
  upload->title = g_strdup (title);
  upload->intake = g_steal_pointer (&intake);
  upload->pending = g_byte_array_sized_new (UPLOAD_FLUSH_BYTES + 16384);
  upload->holds_slot = TRUE;
  upload->last_read = g_get_monotonic_time ();
  upload->idle_source = g_timeout_add_seconds (1, upload_check_idle, upload);
  g_object_set_data_full (G_OBJECT (msg), UPLOAD_KEY, upload, (GDestroyNotify) upload_free);

  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (upload_got_chunk), upload);
  g_signal_connect (msg, "finished", G_CALLBACK (upload_message_finished), upload);
  return TRUE;
}

static void
upload_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Upload *upload = task_data;
  GError *error = NULL;

  if (!upload_write_pending (upload, &error) ||
      (upload->pages = docket_server_pdf_check_file (
         docket_server_blob_intake_get_path (upload->intake), &error)) < 0 ||
      (upload->sha256 = docket_server_blob_intake_store (upload->intake, &error)) == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* Once the document is committed, no garbage collection removes its blob; one that ran
 * between the worker's write and the commit may have (docket-server-gc.c), and then the
 * intake's file is linked into place again. That is rare (an old unreferenced blob
 * uploaded again at the very moment a run removes it), so it is done here, in the main
 * thread. */
static void
restore_blob (Upload *upload)
{
  g_autoptr(GError) error = NULL;

  if (!docket_server_blob_intake_restore (upload->intake, &error))
    g_printerr ("error %s\n", error->message);
}

static void
upload_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SoupServerMessage) msg = user_data;
  Upload *upload = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(DocketDocumentRecord) record = NULL;

  /* The item may have gone while we worked: the db checks again. */
  if (!g_task_propagate_boolean (G_TASK (result), &error) ||
      (record = docket_server_db_create_document (docket_server_get_db (upload->self),
                                                  upload->item_id, upload->title, upload->sha256,
                                                  docket_server_blob_intake_get_size (upload->intake),
                                                  upload->pages, &error)) == NULL)
    docket_server_reply_gerror (msg, error);
  else
    {
      restore_blob (upload);
      reply_record (msg, 201, docket_document_record_to_json (record));
    }
  /* The temporary name goes now, not when libsoup lets the message go. */
  g_clear_pointer (&upload->intake, docket_server_blob_intake_free);
  if (!upload->finished)
    soup_server_message_unpause (msg);
}

static void
handle_upload (DocketServer           *self,
               SoupServerMessage      *msg,
               const DocketServerUser *user,
               const char             *item_id,
               GHashTable             *query)
{
  DocketServerDb *db = docket_server_get_db (self);
  Upload *upload = g_object_get_data (G_OBJECT (msg), UPLOAD_KEY);
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;

  /* The body is all there: from here on, only the server works. */
  if (upload != NULL)
    g_clear_handle_id (&upload->idle_source, g_source_remove);

  /* Checked from the headers already; again, since the right may have gone meanwhile. */
  if (!check_manage_entity (db, user, docket_server_db_item_meeting, item_id, &error) ||
      upload_title (query, &error) == NULL)
    {
      docket_server_reply_gerror (msg, error);
      return;
    }
  /* No body at all: the early handler had nothing to take. */
  if (upload == NULL || upload->intake == NULL)
    {
      docket_server_reply_error (msg, 415, DOCKET_ERR_UNSUPPORTED_MEDIA,
                                 _("Only PDF documents can be uploaded; this is not a PDF"));
      return;
    }
  if (upload->error != NULL)
    {
      docket_server_reply_gerror (msg, upload->error);
      return;
    }
  /* The early handler refused a declared length over the limit; this is the hard cap. */
  if (docket_server_blob_intake_get_size (upload->intake) + upload->pending->len >
      docket_server_get_max_upload_bytes (self))
    {
      docket_server_reply_error (msg, 413, DOCKET_ERR_TOO_LARGE,
                                 _("The body is larger than this server accepts"));
      return;
    }

  /* The task holds the server (whose database and blobs the end of the upload uses) and
   * the message, which owns the upload. */
  soup_server_message_pause (msg);
  task = g_task_new (self, NULL, upload_done, g_object_ref (msg));
  g_task_set_source_tag (task, handle_upload);
  g_task_set_task_data (task, upload, NULL);
  g_task_run_in_thread (task, upload_thread);
}

void
docket_server_manage_route (DocketServer           *self,
                            SoupServerMessage      *msg,
                            const DocketServerUser *user,
                            char                  **segments,
                            GHashTable             *query)
{
  const char *method = soup_server_message_get_method (msg);
  guint n = g_strv_length (segments);
  const char *kind = segments[0];

  if (n == 1 && g_str_equal (kind, "users"))
    {
      if (g_str_equal (method, "GET"))
        handle_users (self, msg, user);
      else
        docket_server_reply_method_not_allowed (msg, "GET");
    }
  else if (n == 1 && g_str_equal (kind, "meetings"))
    {
      if (g_str_equal (method, "POST"))
        handle_create (self, msg, user, NULL);
      else
        docket_server_reply_method_not_allowed (msg, "POST");
    }
  else if (n == 2 && g_str_equal (kind, "meetings"))
    handle_entity (self, msg, user, method, segments[1], &meeting_kind);
  else if (n == 4 && g_str_equal (kind, "meetings") && g_str_equal (segments[2], "participants") &&
           docket_protocol_username_is_valid (segments[3]))
    handle_participant (self, msg, user, method, segments[1], segments[3]);
  else if (n == 3 && g_str_equal (kind, "meetings") && g_str_equal (segments[2], "items"))
    {
      if (g_str_equal (method, "POST"))
        handle_create (self, msg, user, segments[1]);
      else
        docket_server_reply_method_not_allowed (msg, "POST");
    }
  else if (n == 2 && g_str_equal (kind, "items"))
    handle_entity (self, msg, user, method, segments[1], &item_kind);
  else if (n == 3 && g_str_equal (kind, "items") && g_str_equal (segments[2], "documents"))
    {
      if (g_str_equal (method, "POST"))
        handle_upload (self, msg, user, segments[1], query);
      else
        docket_server_reply_method_not_allowed (msg, "POST");
    }
  else if (n == 2 && g_str_equal (kind, "documents"))
    handle_entity (self, msg, user, method, segments[1], &document_kind);
  else
    docket_server_reply_error (msg, 404, DOCKET_ERR_NOT_FOUND, _("No such path"));
}
