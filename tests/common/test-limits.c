/* test-limits.c: one set of limits for the reader and the writer
 *
 * docket_*_record_validate () is what the server runs on a record before it stores it;
 * the readers run it on what they read. Here: a record that validates is read back by
 * the reader, one that does not is refused by both, with the same field named.
 */
#include "config.h"

#include <string.h>

#include "docket-records.h"

static DocketMeetingRecord *
make_meeting (void)
{
  DocketMeetingRecord *record = docket_meeting_record_new ();

  record->id = g_strdup ("m1");
  record->title = g_strdup ("Kỳ họp thứ 12");
  record->organ = g_strdup ("HĐND tỉnh");
  record->starts_at = g_date_time_new_from_iso8601 ("2026-11-22T08:00:00+07:00", NULL);
  record->ends_at = g_date_time_new_from_iso8601 ("2026-11-22T11:30:00+07:00", NULL);
  record->time_zone = g_strdup ("Asia/Ho_Chi_Minh");
  record->location = g_strdup ("");
  record->version = 42;
  g_ptr_array_add (record->participants,
                   docket_participant_new ("daibieu1", "Nguyễn Văn Hùng", DOCKET_ROLE_OFFICIAL));
  return record;
}

static DocketAgendaItemRecord *
make_item (void)
{
  DocketAgendaItemRecord *record = docket_agenda_item_record_new ();

  record->id = g_strdup ("i1");
  record->meeting_id = g_strdup ("m1");
  record->position = 0;
  record->number = g_strdup ("1");
  record->title = g_strdup ("Báo cáo");
  record->presenter = g_strdup ("");
  record->description = g_strdup ("");
  record->version = 43;
  return record;
}

static DocketDocumentRecord *
make_document (void)
{
  DocketDocumentRecord *record = docket_document_record_new ();

  record->id = g_strdup ("d1");
  record->meeting_id = g_strdup ("m1");
  record->item_id = g_strdup ("i1");
  record->title = g_strdup ("Tờ trình");
  record->media_type = g_strdup ("application/pdf");
  record->sha256 = g_strnfill (64, 'a');
  record->size = 1000;
  record->pages = 3;
  record->version = 44;
  return record;
}

/* The validator and the reader agree on meeting: both accept it, or both refuse it and
 * name field. */
static void
assert_meeting_agrees (DocketMeetingRecord *record,
                       gboolean             valid,
                       const char          *field)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) read_error = NULL;
  g_autoptr(JsonNode) node = docket_meeting_record_to_json (record);
  g_autoptr(DocketMeetingRecord) read = docket_meeting_record_from_json (node, &read_error);
  gboolean validated = docket_meeting_record_validate (record, &error);

  g_assert_true (validated == valid);
  g_assert_true ((read != NULL) == valid);
  if (!valid)
    {
      g_assert_error (error, DOCKET_PROTOCOL_ERROR, read_error->code);
      g_assert_nonnull (strstr (error->message, field));
      g_assert_nonnull (strstr (read_error->message, field));
    }
}

static void
assert_item_agrees (DocketAgendaItemRecord *record,
                    gboolean                valid,
                    const char             *field)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) read_error = NULL;
  g_autoptr(JsonNode) node = docket_agenda_item_record_to_json (record);
  g_autoptr(DocketAgendaItemRecord) read = docket_agenda_item_record_from_json (node, &read_error);
  gboolean validated = docket_agenda_item_record_validate (record, &error);

  g_assert_true (validated == valid);
  g_assert_true ((read != NULL) == valid);
  if (!valid)
    {
      g_assert_error (error, DOCKET_PROTOCOL_ERROR, read_error->code);
      g_assert_nonnull (strstr (error->message, field));
      g_assert_nonnull (strstr (read_error->message, field));
    }
}

static void
assert_document_agrees (DocketDocumentRecord *record,
                        gboolean              valid,
                        const char           *field)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) read_error = NULL;
  g_autoptr(JsonNode) node = docket_document_record_to_json (record);
  g_autoptr(DocketDocumentRecord) read = docket_document_record_from_json (node, &read_error);
  gboolean validated = docket_document_record_validate (record, &error);

  g_assert_true (validated == valid);
  g_assert_true ((read != NULL) == valid);
  if (!valid)
    {
      g_assert_error (error, DOCKET_PROTOCOL_ERROR, read_error->code);
      g_assert_nonnull (strstr (error->message, field));
      g_assert_nonnull (strstr (read_error->message, field));
    }
}

/* Sets *text to n bytes of 'a'. */
static void
set_length (char  **text,
            gsize   n)
{
  g_free (*text);
  *text = g_strnfill (n, 'a');
}

static void
test_meeting (void)
{
  struct { const char *field; gsize offset; gsize max; gboolean may_be_empty; } texts[] = {
    { "title", G_STRUCT_OFFSET (DocketMeetingRecord, title), DOCKET_MAX_TITLE_BYTES, FALSE },
    { "organ", G_STRUCT_OFFSET (DocketMeetingRecord, organ), DOCKET_MAX_SHORT_TEXT_BYTES, TRUE },
    { "time_zone", G_STRUCT_OFFSET (DocketMeetingRecord, time_zone), DOCKET_MAX_SHORT_TEXT_BYTES, FALSE },
    { "location", G_STRUCT_OFFSET (DocketMeetingRecord, location), DOCKET_MAX_SHORT_TEXT_BYTES, TRUE },
  };

  {
    g_autoptr(DocketMeetingRecord) record = make_meeting ();

    assert_meeting_agrees (record, TRUE, NULL);
  }

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(DocketMeetingRecord) record = make_meeting ();
      char **text = G_STRUCT_MEMBER_P (record, texts[i].offset);

      set_length (text, texts[i].max);
      assert_meeting_agrees (record, TRUE, NULL);
      set_length (text, texts[i].max + 1);
      assert_meeting_agrees (record, FALSE, texts[i].field);
      set_length (text, 0);
      assert_meeting_agrees (record, texts[i].may_be_empty, texts[i].field);
      g_free (*text);
      *text = g_strdup ("a\033[2Jb");
      assert_meeting_agrees (record, FALSE, texts[i].field);
    }

  /* Participants: their names and their count. */
  {
    g_autoptr(DocketMeetingRecord) record = make_meeting ();
    DocketParticipant *first = g_ptr_array_index (record->participants, 0);

    set_length (&first->display_name, DOCKET_MAX_SHORT_TEXT_BYTES + 1);
    assert_meeting_agrees (record, FALSE, "meeting.participants[0].display_name");
    set_length (&first->display_name, DOCKET_MAX_SHORT_TEXT_BYTES);
    assert_meeting_agrees (record, TRUE, NULL);
    g_ptr_array_add (record->participants,
                     docket_participant_new ("daibieu1", "Một lần nữa", DOCKET_ROLE_OFFICIAL));
    assert_meeting_agrees (record, FALSE, "meeting.participants[1].username");
    g_ptr_array_remove_index (record->participants, 1);

    for (guint i = 1; i < DOCKET_MAX_PARTICIPANTS; i++)
      {
        g_autofree char *name = g_strdup_printf ("u%u", i);

        g_ptr_array_add (record->participants, docket_participant_new (name, "U", DOCKET_ROLE_OFFICIAL));
      }
    assert_meeting_agrees (record, TRUE, NULL);
    g_ptr_array_add (record->participants, docket_participant_new ("mot-nua", "U", DOCKET_ROLE_OFFICIAL));
    assert_meeting_agrees (record, FALSE, "meeting.participants");
  }

  /* Numbers */
  {
    g_autoptr(DocketMeetingRecord) record = make_meeting ();

    record->version = DOCKET_MAX_VERSION;
    assert_meeting_agrees (record, TRUE, NULL);
    record->version = -1;
    assert_meeting_agrees (record, FALSE, "meeting.version");
  }
}

static void
test_item (void)
{
  struct { const char *field; gsize offset; gsize max; gboolean may_be_empty; } texts[] = {
    { "title", G_STRUCT_OFFSET (DocketAgendaItemRecord, title), DOCKET_MAX_TITLE_BYTES, FALSE },
    { "number", G_STRUCT_OFFSET (DocketAgendaItemRecord, number), DOCKET_MAX_NUMBER_BYTES, TRUE },
    { "presenter", G_STRUCT_OFFSET (DocketAgendaItemRecord, presenter), DOCKET_MAX_SHORT_TEXT_BYTES, TRUE },
    { "description", G_STRUCT_OFFSET (DocketAgendaItemRecord, description), DOCKET_MAX_DESCRIPTION_BYTES, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(DocketAgendaItemRecord) record = make_item ();
      char **text = G_STRUCT_MEMBER_P (record, texts[i].offset);

      set_length (text, texts[i].max);
      assert_item_agrees (record, TRUE, NULL);
      set_length (text, texts[i].max + 1);
      assert_item_agrees (record, FALSE, texts[i].field);
      set_length (text, 0);
      assert_item_agrees (record, texts[i].may_be_empty, texts[i].field);
    }

  {
    g_autoptr(DocketAgendaItemRecord) record = make_item ();

    record->position = DOCKET_MAX_POSITION;
    assert_item_agrees (record, TRUE, NULL);
    record->position = DOCKET_MAX_POSITION + 1;
    assert_item_agrees (record, FALSE, "agenda_item.position");
    record->position = -1;
    assert_item_agrees (record, FALSE, "agenda_item.position");
    record->position = 0;
    record->parent_id = g_strdup ("i1");
    assert_item_agrees (record, FALSE, "agenda_item.parent_id");
    g_free (record->parent_id);
    record->parent_id = g_strdup ("../i0");
    assert_item_agrees (record, FALSE, "agenda_item.parent_id");
  }
}

static void
test_document (void)
{
  g_autoptr(DocketDocumentRecord) record = make_document ();

  assert_document_agrees (record, TRUE, NULL);
  set_length (&record->title, DOCKET_MAX_TITLE_BYTES);
  assert_document_agrees (record, TRUE, NULL);
  set_length (&record->title, DOCKET_MAX_TITLE_BYTES + 1);
  assert_document_agrees (record, FALSE, "document.title");
  set_length (&record->title, 1);

  record->pages = DOCKET_MAX_PAGES;
  record->size = DOCKET_MAX_DOCUMENT_BYTES;
  assert_document_agrees (record, TRUE, NULL);
  record->pages = DOCKET_MAX_PAGES + 1;
  assert_document_agrees (record, FALSE, "document.pages");
  record->pages = 1;
  record->size = DOCKET_MAX_DOCUMENT_BYTES + 1;
  assert_document_agrees (record, FALSE, "document.size");
  record->size = 1;
  g_free (record->sha256);
  record->sha256 = g_strnfill (64, 'A');
  assert_document_agrees (record, FALSE, "document.sha256");
}

static void
test_time_zone_names (void)
{
  static const char * const good[] = {
    "Asia/Ho_Chi_Minh", "UTC", "Etc/GMT-7", "Etc/GMT+12", "America/Argentina/Buenos_Aires",
    "EST5EDT",
  };
  static const char * const bad[] = {
    "", "/usr/share/zoneinfo/UTC", "../UTC", "Asia/../UTC", "./UTC", "Asia//Saigon",
    "Asia/Saigon/", "Asia/Ho Chi Minh", "+07:00", "UTC\n", "Asia\\Saigon", "Á",
  };
  g_autofree char *long_name = g_strnfill (DOCKET_MAX_SHORT_TEXT_BYTES + 1, 'a');

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_true (docket_protocol_time_zone_is_valid (good[i]));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    if (docket_protocol_time_zone_is_valid (bad[i]))
      g_error ("“%s” is taken for a time zone name", bad[i]);
  g_assert_false (docket_protocol_time_zone_is_valid (long_name));
  g_assert_false (docket_protocol_time_zone_is_valid (NULL));
}

/* A client drops an error message over DOCKET_MAX_ERROR_MESSAGE_BYTES: the server's is
 * cut to fit, between characters. */
static void
test_error_message_cut (void)
{
  g_autoptr(GString) long_message = g_string_new ("a");
  g_autoptr(JsonNode) node = NULL;
  const char *message;

  while (long_message->len <= DOCKET_MAX_ERROR_MESSAGE_BYTES)
    g_string_append (long_message, "ộ");
  node = docket_protocol_error_to_json (DOCKET_ERR_INVALID_FIELD, long_message->str);
  message = json_object_get_string_member (json_node_get_object (node), "message");
  g_assert_true (docket_protocol_text_is_valid (message, DOCKET_MAX_ERROR_MESSAGE_BYTES));
  g_assert_cmpuint (strlen (message), >, DOCKET_MAX_ERROR_MESSAGE_BYTES - 3);
  g_assert_true (g_str_has_prefix (long_message->str, message));

  g_clear_pointer (&node, json_node_unref);
  node = docket_protocol_error_to_json (DOCKET_ERR_INVALID_FIELD, "title: empty");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "message"), ==,
                   "title: empty");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/limits/meeting", test_meeting);
  g_test_add_func ("/limits/agenda-item", test_item);
  g_test_add_func ("/limits/document", test_document);
  g_test_add_func ("/limits/time-zone-names", test_time_zone_names);
  g_test_add_func ("/limits/error-message-cut", test_error_message_cut);

  return g_test_run ();
}
