/* codec-test-util.c: what the tests of common/'s records and codecs share (see the header) */
#include "config.h"

#include <string.h>

#include "codec-test-util.h"

static const char *kind_base[] = {
  MEETING_JSON, ITEM_JSON, DOCUMENT_JSON, ANNOTATION_JSON, NOTE_JSON,
  MEETING_STATE_JSON, ATTENDANCE_JSON, SPEECH_JSON, USER_JSON,
};
/* The change type of each kind; NULL for a record that never comes in a change page. */
static const char *kind_type[] = {
  "meeting", "agenda_item", "document", "annotation", "note",
  "meeting_state", "attendance", "speech", NULL,
};
static const char *kind_prefix[] = {
  "meeting", "agenda_item", "document", "annotation", "note",
  "meeting_state", "attendance", "speech", "user",
};
static const char *kind_id[] = {
  "m7Q2-x_1", "i9x", "d3k", "3f2b8c1e-5a7d-4e2b-9c1f-0a1b2c3d4e5f", "i9x",
  "m7Q2-x_1", "a5c", "s2f", NULL,
};

JsonNode *
parse (const char  *text,
       GError     **error)
{
  return docket_protocol_parse_json (text, -1, DOCKET_MAX_JSON_RESPONSE_BYTES, error);
}

JsonNode *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = parse (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

/* Parses and reads text as a record of kind; returns the record (to free with
 * free_record) or NULL with error set. */
gpointer
read_record (Kind         kind,
             const char  *text,
             GError     **error)
{
  g_autoptr(JsonNode) node = parse (text, error);

  if (node == NULL)
    return NULL;

  switch (kind)
    {
    case KIND_MEETING:
      return docket_meeting_record_from_json (node, error);
    case KIND_ITEM:
      return docket_agenda_item_record_from_json (node, error);
    case KIND_DOCUMENT:
      return docket_document_record_from_json (node, error);
    case KIND_ANNOTATION:
      return docket_annotation_record_from_json (node, error);
    case KIND_NOTE:
      return docket_note_record_from_json (node, error);
    case KIND_MEETING_STATE:
      return docket_meeting_state_record_from_json (node, error);
    case KIND_ATTENDANCE:
      return docket_attendance_record_from_json (node, error);
    case KIND_SPEECH:
      return docket_speech_record_from_json (node, error);
    case KIND_USER:
      return docket_user_record_from_json (node, error);
    default:
      g_assert_not_reached ();
    }
}

void
free_record (Kind     kind,
             gpointer record)
{
  switch (kind)
    {
    case KIND_MEETING:
      docket_meeting_record_free (record);
      break;
    case KIND_ITEM:
      docket_agenda_item_record_free (record);
      break;
    case KIND_DOCUMENT:
      docket_document_record_free (record);
      break;
    case KIND_ANNOTATION:
      docket_annotation_record_free (record);
      break;
    case KIND_NOTE:
      docket_note_record_free (record);
      break;
    case KIND_MEETING_STATE:
      docket_meeting_state_record_free (record);
      break;
    case KIND_ATTENDANCE:
      docket_attendance_record_free (record);
      break;
    case KIND_SPEECH:
      docket_speech_record_free (record);
      break;
    case KIND_USER:
      docket_user_record_free (record);
      break;
    default:
      g_assert_not_reached ();
    }
}

DocketChangesPage *
read_page (const char  *text,
           GError     **error)
{
  g_autoptr(JsonNode) node = parse (text, error);

  if (node == NULL)
    return NULL;

  return docket_changes_page_from_json (node, error);
}

/* base with member field replaced by the raw JSON text raw (removed when raw is NULL). */
char *
mutate (const char *base,
        const char *field,
        const char *raw)
{
  g_autoptr(JsonNode) node = parse_ok (base);
  JsonObject *object = json_node_get_object (node);
  g_autofree char *text = NULL;
  g_auto(GStrv) parts = NULL;

  if (raw == NULL)
    {
      json_object_remove_member (object, field);
      return json_to_string (node, FALSE);
    }

  json_object_set_string_member (object, field, "@@MARK@@");
  text = json_to_string (node, FALSE);
  parts = g_strsplit (text, "\"@@MARK@@\"", 2);
  g_assert_cmpuint (g_strv_length (parts), ==, 2);

  return g_strconcat (parts[0], raw, parts[1], NULL);
}

char *
page_with_change (const char *type,
                  const char *id,
                  const char *data)
{
  return g_strdup_printf ("{\"cursor\": \"17\", \"more\": false, \"changes\": ["
                          "{\"type\": \"%s\", \"id\": \"%s\", \"deleted\": false, \"data\": %s}]}",
                          type, id, data);
}

char *
quoted_repeat (const char *unit,
               guint       count)
{
  GString *s = g_string_new ("\"");
  guint i;

  for (i = 0; i < count; i++)
    g_string_append (s, unit);
  g_string_append_c (s, '"');

  return g_string_free (s, FALSE);
}

JsonNode *
record_to_json (Kind     kind,
                gpointer record)
{
  switch (kind)
    {
    case KIND_MEETING:
      return docket_meeting_record_to_json (record);
    case KIND_ITEM:
      return docket_agenda_item_record_to_json (record);
    case KIND_DOCUMENT:
      return docket_document_record_to_json (record);
    case KIND_ANNOTATION:
      return docket_annotation_record_to_json (record);
    case KIND_NOTE:
      return docket_note_record_to_json (record);
    case KIND_MEETING_STATE:
      return docket_meeting_state_record_to_json (record);
    case KIND_ATTENDANCE:
      return docket_attendance_record_to_json (record);
    case KIND_SPEECH:
      return docket_speech_record_to_json (record);
    case KIND_USER:
      return docket_user_record_to_json (record);
    default:
      g_assert_not_reached ();
    }
}

gpointer
record_copy (Kind     kind,
             gpointer record)
{
  switch (kind)
    {
    case KIND_MEETING:
      return docket_meeting_record_copy (record);
    case KIND_ITEM:
      return docket_agenda_item_record_copy (record);
    case KIND_DOCUMENT:
      return docket_document_record_copy (record);
    case KIND_ANNOTATION:
      return docket_annotation_record_copy (record);
    case KIND_NOTE:
      return docket_note_record_copy (record);
    case KIND_MEETING_STATE:
      return docket_meeting_state_record_copy (record);
    case KIND_ATTENDANCE:
      return docket_attendance_record_copy (record);
    case KIND_SPEECH:
      return docket_speech_record_copy (record);
    case KIND_USER:
      return docket_user_record_copy (record);
    default:
      g_assert_not_reached ();
    }
}

void
assert_json_equal (JsonNode *a,
                   JsonNode *b)
{
  if (!json_node_equal (a, b))
    {
      g_autofree char *ta = json_to_string (a, TRUE);
      g_autofree char *tb = json_to_string (b, TRUE);

      g_error ("JSON differs:\n%s\n---\n%s", ta, tb);
    }
}

/* text -> record -> JSON gives back the same JSON as text, and so does a copy. */
void
test_round_trip (gconstpointer data)
{
  Kind kind = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) original = parse_ok (kind_base[kind]);
  g_autoptr(JsonNode) written = NULL;
  g_autoptr(JsonNode) copy_written = NULL;
  g_autoptr(JsonNode) reread_written = NULL;
  g_autofree char *text = NULL;
  gpointer record, copy, reread;

  record = read_record (kind, kind_base[kind], &error);
  g_assert_no_error (error);
  g_assert_nonnull (record);

  written = record_to_json (kind, record);
  assert_json_equal (original, written);

  copy = record_copy (kind, record);
  free_record (kind, record);
  copy_written = record_to_json (kind, copy);
  assert_json_equal (original, copy_written);

  text = json_to_string (copy_written, FALSE);
  reread = read_record (kind, text, &error);
  g_assert_no_error (error);
  reread_written = record_to_json (kind, reread);
  assert_json_equal (original, reread_written);

  free_record (kind, copy);
  free_record (kind, reread);
}

/* ---- hostile records ---------------------------------------------------------------- */

static const char *bad_annotation_kinds[] = {
  "\"Highlight\"", "\"squiggly\"", "\"\"", "\"ink \"", "\"note\\u0000\"",
};

static const char *bad_colors[] = {
  "\"\"", "\"ffd700\"", "\"#ffd70\"", "\"#ffd7000\"", "\"#ggd700\"", "\"yellow\"",
  "\"rgb(1,2,3)\"", "\"#ffd700\\u0000\"", "\"#ff d70\"",
};

/* Geometries that are wrong for a highlight (the base kind): another kind's shape,
 * boxes of the wrong length or order, numbers that are not finite or out of the page. */
static const char *bad_highlight_geometries[] = {
  "{}", "[]", "\"{\\\"rects\\\": []}\"",
  "{\"rects\": []}", "{\"rects\": {}}", "{\"rects\": [[1, 2, 3]]}",
  "{\"rects\": [[1, 2, 3, 4, 5]]}", "{\"rects\": [[3, 2, 1, 4]]}", "{\"rects\": [[1, 4, 3, 2]]}",
  "{\"rects\": [[1, 2, 3, \"4\"]]}", "{\"rects\": [[1, 2, 3, null]]}",
  "{\"rects\": [[1, 2, 3, 1e400]]}", "{\"rects\": [[1, 2, 3, 14400.5]]}",
  "{\"rects\": [[-1e300, 2, 3, 4]]}", "{\"rects\": [1, 2, 3, 4]}",
  "{\"x\": 1, \"y\": 2}", "{\"width\": 1, \"rect\": [1, 2, 3, 4]}",
};

static const char *bad_note_targets[] = {
  "\"meeting\"", "\"Document\"", "\"\"", "\"agenda item\"",
};

/* Wrong JSON types, for every field; strings are added for non-string fields. */
static const char *wrong_types[] = { "true", "{}", "{\"id\": \"x\"}" };
static const char *wrong_types_arrays[] = { "[]", "[\"x\"]" };
static const char *wrong_types_for_strings[] = { "1", "0", "1.5", "false" };

static const char *bad_ids[] = {
  "\"\"", "\".\"", "\"..\"", "\"../x\"", "\"/\"", "\"a/b\"", "\"/etc/passwd\"", "\"a\\\\b\"",
  "\"a b\"", "\"é\"", "\"ab\\u0000cd\"", "\"\\u0000\"", "\"a\\nb\"", "\"a%2Fb\"",
  "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"",   /* 65 */
};

static const char *bad_texts[] = {
  "\"a\\u0001b\"", "\"\\u001b[31mred\"", "\"a\\rb\"", "\"a\\u007fb\"", "\"a\\u0085b\"",
  "\"ab\\u0000cd\"", "\"\xff\xfe\"", "\"\xc3\x28\"", "\"\xed\xa0\x80\"",
};

static const char *bad_times[] = {
  "\"2026-11-22T08:00:00\"", "\"2026-11-22\"", "\"2026-11-22 08:00:00+07:00\"",
  "\"20261122T080000Z\"", "\"2026-W47-7T08:00:00Z\"", "\"2026-02-30T08:00:00Z\"",
  "\"\"", "\"now\"", "1795568400", "\"2026-11-22T08:00:00+07:00\\u0000\"",
};

/* Not words: a word the reader does not know ("open") is kept as unknown, not refused. */
static const char *bad_statuses[] = { "\"open-ended\"", "\"Published\"", "\"\"", "\"draft \"", "7" };

/* Not words ([a-z0-9_]{1,64}): an enum's name that no version of the protocol can have. */
static const char *bad_names[] = {
  "\"\"", "\"Present\"", "\"in session\"", "\"in-session\"", "\"done \"", "\"é\"",
  "\"done\\u0000x\"", "\"../done\"",
  "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"",   /* 65 */
};

static const char *bad_usernames[] = {
  "\"\"", "\"A\"", "\"../a\"", "\".a\"", "\"a b\"", "\"é\"", "\"a\\u0000b\"",
  "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"",   /* 65 */
};

/* Presentations that break a limit or the shape {"document_id", "page"}. */
static const char *bad_presentations[] = {
  "\"d3k\"", "{\"document_id\": \"d3k\"}", "{\"page\": 4}",
  "{\"document_id\": null, \"page\": 4}", "{\"document_id\": \"d3k\", \"page\": null}",
  "{\"document_id\": \"../x\", \"page\": 4}", "{\"document_id\": \"\", \"page\": 4}",
  "{\"document_id\": 7, \"page\": 4}", "{\"document_id\": \"d3k\", \"page\": -1}",
  "{\"document_id\": \"d3k\", \"page\": 100000}", "{\"document_id\": \"d3k\", \"page\": \"4\"}",
  "{\"document_id\": \"d3k\", \"page\": 1.5}", "{\"document_id\": \"d3k\", \"page\": 4294967300}",
};

static const char *bad_media_types[] = {
  "\"text/html\"", "\"application/pdf; charset=x\"", "\"APPLICATION/PDF\"", "\"\"",
};

static const char *bad_sha256s[] = {
  "\"\"",
  "\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0\"",     /* 63 */
  "\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a088\"",   /* 65 */
  "\"9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08\"",    /* upper */
  "\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0g\"",    /* non-hex */
  "\"../6d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\"",
};

/* Numbers out of every range of the protocol, or not integers. */
static const char *bad_numbers[] = {
  "-1", "-0.5", "0.5", "1.5", "1e300", "-1e300", "1e400", "9223372036854775807",
  "9223372036854775808", "18446744073709551616", "-18446744073709551574",
  "-9223372036854775809", "9007199254740992", "\"1\"",
};

static const char *bad_participants[] = {
  "{}", "\"nguyenvana\"",
  "[1]", "[null]", "[[]]",
  "[{\"display_name\": \"A\", \"role\": \"official\"}]",
  "[{\"username\": \"a\", \"role\": \"official\"}]",
  "[{\"username\": \"a\", \"display_name\": \"A\"}]",
  "[{\"username\": \"A\", \"display_name\": \"A\", \"role\": \"official\"}]",
  "[{\"username\": \"../a\", \"display_name\": \"A\", \"role\": \"official\"}]",
  "[{\"username\": \"\", \"display_name\": \"A\", \"role\": \"official\"}]",
  "[{\"username\": 7, \"display_name\": \"A\", \"role\": \"official\"}]",
  "[{\"username\": \"a\", \"display_name\": \"\\u0007\", \"role\": \"official\"}]",
  "[{\"username\": \"a\", \"display_name\": \"A\", \"role\": \"Root\"}]",
  "[{\"username\": \"a\", \"display_name\": \"A\", \"role\": \"official\", \"meeting_role\": \"vice chair\"}]",
  "[{\"username\": \"a\", \"display_name\": \"A\", \"role\": \"official\", \"meeting_role\": 1}]",
  "[{\"username\": \"a\", \"display_name\": \"A\", \"role\": 0}]",
  "[{\"username\": \"a\", \"display_name\": \"A\", \"role\": \"official\"},"
  " {\"username\": \"a\", \"display_name\": \"B\", \"role\": \"admin\"}]",
};

/* Tries one hostile value for one field, alone and inside a page. */
void
assert_refused (Kind        kind,
                const char *field,
                const char *raw)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = mutate (kind_base[kind], field, raw);
  g_autofree char *page_text = kind_type[kind] != NULL ? page_with_change (kind_type[kind], kind_id[kind], text)
                                                      : NULL;
  g_autofree char *name = g_strdup_printf ("%s.%s", kind_prefix[kind], field);
  g_autofree char *page_name = g_strdup_printf ("changes[0].data.%s", field);
  g_autoptr(JsonNode) node = NULL;
  gpointer record;
  DocketChangesPage *page;

  record = read_record (kind, text, &error);
  if (record != NULL)
    g_error ("%s accepted %s", name, raw ? raw : "(missing)");
  g_assert_nonnull (error);
  if (error->domain != DOCKET_PROTOCOL_ERROR)
    g_error ("%s: %s is refused in the wrong domain: %s", name, raw, error->message);

  /* Refused by the record reader rather than by the JSON parser: the message names
   * the field. */
  node = parse (text, NULL);
  if (node != NULL && strstr (error->message, name) == NULL)
    g_error ("the error for %s = %s does not name the field: %s", name, raw, error->message);
  g_clear_error (&error);

  /* A record that never comes in a change page. */
  if (page_text == NULL)
    return;

  page = read_page (page_text, &error);
  if (page != NULL)
    g_error ("a page accepted %s = %s", name, raw ? raw : "(missing)");
  g_assert_nonnull (error);
  g_assert_true (error->domain == DOCKET_PROTOCOL_ERROR);
  if (node != NULL && strstr (error->message, page_name) == NULL)
    g_error ("the page error for %s = %s does not name the field: %s", name, raw, error->message);
}

static void
assert_all_refused (Kind         kind,
                    const char  *field,
                    const char **raws,
                    gsize        n_raws)
{
  gsize i;

  for (i = 0; i < n_raws; i++)
    assert_refused (kind, field, raws[i]);
}

#define REFUSE_ALL(kind, field, array) \
  assert_all_refused (kind, field, array, G_N_ELEMENTS (array))

static void
refuse_too_long (Kind        kind,
                 const char *field,
                 guint       max_bytes)
{
  g_autofree char *ascii = quoted_repeat ("a", max_bytes + 1);
  /* Within the limit in characters, over it in bytes. */
  g_autofree char *multibyte = quoted_repeat ("ộ", max_bytes / 3 + 1);

  assert_refused (kind, field, ascii);
  assert_refused (kind, field, multibyte);
}

static void
accept_at_limit (Kind        kind,
                 const char *field,
                 guint       max_bytes)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *value = quoted_repeat ("a", max_bytes);
  g_autofree char *text = mutate (kind_base[kind], field, value);
  gpointer record = read_record (kind, text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (record);
  free_record (kind, record);
}

void
refuse_field (Kind        kind,
              const char *field,
              FieldClass  klass)
{
  g_test_message ("field %s.%s", kind_prefix[kind], field);

  /* Every field but the optional ones (parent_id, a meeting's quorum, a speech's
   * started_at...) is required, and null is not a value for any. */
  if (klass != CLASS_OPTIONAL_ID && klass != CLASS_OPTIONAL_NAME && klass != CLASS_OPTIONAL_TIME &&
      klass != CLASS_PRESENTATION)
    {
      assert_refused (kind, field, NULL);
      assert_refused (kind, field, "null");
    }

  REFUSE_ALL (kind, field, wrong_types);
  if (klass != CLASS_PARTICIPANTS)
    REFUSE_ALL (kind, field, wrong_types_arrays);

  switch (klass)
    {
    case CLASS_ID:
    case CLASS_OPTIONAL_ID:
      REFUSE_ALL (kind, field, wrong_types_for_strings);
      REFUSE_ALL (kind, field, bad_ids);
      break;
    case CLASS_TITLE:
      REFUSE_ALL (kind, field, wrong_types_for_strings);
      REFUSE_ALL (kind, field, bad_texts);
      assert_refused (kind, field, "\"\"");
      refuse_too_long (kind, field, DOCKET_MAX_TITLE_BYTES);
      accept_at_limit (kind, field, DOCKET_MAX_TITLE_BYTES);
      break;
    case CLASS_SHORT:
    case CLASS_SHORT_REQUIRED:
      REFUSE_ALL (kind, field, wrong_types_for_strings);
      REFUSE_ALL (kind, field, bad_texts);
      if (klass == CLASS_SHORT_REQUIRED)
        assert_refused (kind, field, "\"\"");
      refuse_too_long (kind, field, DOCKET_MAX_SHORT_TEXT_BYTES);
      accept_at_limit (kind, field, DOCKET_MAX_SHORT_TEXT_BYTES);
      break;
    case CLASS_NUMBER:
      REFUSE_ALL (kind, field, wrong_types_for_strings);
      REFUSE_ALL (kind, field, bad_texts);
      refuse_too_long (kind, field, DOCKET_MAX_NUMBER_BYTES);
      accept_at_limit (kind, field, DOCKET_MAX_NUMBER_BYTES);
      break;
    case CLASS_DESCRIPTION:
      REFUSE_ALL (kind, field, wrong_types_for_strings);
      REFUSE_ALL (kind, field, bad_texts);
      refuse_too_long (kind, field, DOCKET_MAX_DESCRIPTION_BYTES);
      accept_at_limit (kind, field, DOCKET_MAX_DESCRIPTION_BYTES);
      break;
    case CLASS_TIME:
      REFUSE_ALL (kind, field, wrong_types_for_strings);
      REFUSE_ALL (kind, field, bad_times);
      break;
    case CLASS_STATUS:
      REFUSE_ALL (kind, field, wrong_types_for_strings);
      REFUSE_ALL (kind, field, bad_statuses);
      break;
    case CLASS_MEDIA_TYPE:
      REFUSE_ALL (kind, field, wrong_types_for_strings);
      REFUSE_ALL (kind, field, bad_media_types);
      break;
    case CLASS_SHA256:
      REFUSE_ALL (kind, field, wrong_types_for_strings);
      REFUSE_ALL (kind, field, bad_sha256s);
      break;
    case CLASS_VERSION:
    case CLASS_POSITION:
    case CLASS_PAGES:
    case CLASS_SIZE:
      REFUSE_ALL (kind, field, bad_numbers);
      break;
    case CLASS_PARTICIPANTS:
      REFUSE_ALL (kind, field, wrong_types_for_strings);
      REFUSE_ALL (kind, field, bad_participants);
      break;
    case CLASS_ANNOTATION_KIND:
      REFUSE_ALL (kind, field, wrong_types_for_strings);
      REFUSE_ALL (kind, field, bad_annotation_kinds);
      break;
    case CLASS_COLOR:
      REFUSE_ALL (kind, field, wrong_types_for_strings);
      REFUSE_ALL (kind, field, bad_colors);
      break;
    case CLASS_GEOMETRY:
      REFUSE_ALL (kind, field, wrong_types_for_strings);
      REFUSE_ALL (kind, field, bad_highlight_geometries);
      break;
    case CLASS_CONTENTS:
    case CLASS_NOTE_TEXT:
      REFUSE_ALL (kind, field, wrong_types_for_strings);
      REFUSE_ALL (kind, field, bad_texts);
      refuse_too_long (kind, field, DOCKET_MAX_ANNOTATION_CONTENTS_BYTES);
      accept_at_limit (kind, field, DOCKET_MAX_ANNOTATION_CONTENTS_BYTES);
      break;
    case CLASS_NOTE_TARGET:
      REFUSE_ALL (kind, field, wrong_types_for_strings);
      REFUSE_ALL (kind, field, bad_note_targets);
      break;
    case CLASS_NAME:
    case CLASS_OPTIONAL_NAME:
      REFUSE_ALL (kind, field, wrong_types_for_strings);
      REFUSE_ALL (kind, field, bad_names);
      break;
    case CLASS_OPTIONAL_TIME:
      REFUSE_ALL (kind, field, wrong_types_for_strings);
      REFUSE_ALL (kind, field, bad_times);
      break;
    case CLASS_USERNAME:
      REFUSE_ALL (kind, field, wrong_types_for_strings);
      REFUSE_ALL (kind, field, bad_usernames);
      break;
    case CLASS_SECONDS:
      REFUSE_ALL (kind, field, bad_numbers);
      break;
    case CLASS_PRESENTATION:
      REFUSE_ALL (kind, field, wrong_types_for_strings);
      REFUSE_ALL (kind, field, bad_presentations);
      break;
    default:
      g_assert_not_reached ();
    }

  /* One past each numeric limit. */
  if (klass == CLASS_POSITION)
    assert_refused (kind, field, "100001");
  if (klass == CLASS_PAGES)
    assert_refused (kind, field, "100001");
  if (klass == CLASS_SIZE)
    assert_refused (kind, field, "2147483649");
  if (klass == CLASS_SECONDS)
    assert_refused (kind, field, "86401");
}

void
assert_not_objects (Kind kind)
{
  static const char *bad[] = { "[]", "[" MEETING_JSON "]", "null", "1", "\"x\"", "true" };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      gpointer record = read_record (kind, bad[i], &error);

      g_assert_null (record);
      g_assert_error (error, DOCKET_PROTOCOL_ERROR, DOCKET_PROTOCOL_ERROR_MALFORMED);
    }
}
