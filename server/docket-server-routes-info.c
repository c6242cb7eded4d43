/* docket-server-routes-info.c: GET /info, what a client reads before it signs in
 * (docs/protocol.md, "GET /api/v1/info")
 */
#include "config.h"

#include "docket-protocol.h"
#include "docket-server-routes.h"

void
docket_server_handle_info (DocketServerRequest *request)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "server");
  json_builder_add_string_value (builder, "docket-server");
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, PACKAGE_VERSION);
  json_builder_set_member_name (builder, "api");
  json_builder_add_int_value (builder, DOCKET_API_VERSION);
  json_builder_set_member_name (builder, "capabilities");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "changes");
  json_builder_add_string_value (builder, "documents.range");
  json_builder_add_string_value (builder, "manage");
  json_builder_add_string_value (builder, "annotations");
  json_builder_add_string_value (builder, "notes");
  /* The live meeting (docket-server-routes-live.c) and its channel
   * (docket-server-routes-channel.c), in the order of docs/protocol.md. */
  json_builder_add_string_value (builder, "meeting_roles");
  json_builder_add_string_value (builder, "live");
  json_builder_add_string_value (builder, "meeting_state");
  json_builder_add_string_value (builder, "attendance");
  json_builder_add_string_value (builder, "speeches");
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "max_upload_bytes");
  json_builder_add_int_value (builder, docket_server_get_max_upload_bytes (request->server));
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  docket_server_reply_json (request->msg, 200, root);
}
