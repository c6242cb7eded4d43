/* test-codec-document.c: a document's record to JSON and back (common/docket-codec-document.c)
 *
 * Every hostile input goes the way a real one does: raw text through
 * docket_protocol_parse_json (), then the record's *_from_json (), and must fail with a
 * DOCKET_PROTOCOL_ERROR. When the record reader is the one that refuses it, the message
 * must name the field. Each record mutation is also tried inside a change page, where
 * the message must name the field by its path in the page (codec-test-util.c).
 */
#include "config.h"

#include "codec-test-util.h"

static void
test_built_records (void)
{
  g_autoptr(DocketDocumentRecord) document = docket_document_record_new ();
  g_autoptr(DocketDocumentRecord) document_back = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  document->id = g_strdup ("d1");
  document->meeting_id = g_strdup ("m1");
  document->item_id = g_strdup ("i1");
  document->title = g_strdup ("Tờ trình");
  document->media_type = g_strdup ("application/pdf");
  document->sha256 = g_strdup ("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  document->size = DOCKET_MAX_DOCUMENT_BYTES;
  document->pages = DOCKET_MAX_PAGES;
  node = docket_document_record_to_json (document);
  document_back = docket_document_record_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpint (document_back->size, ==, DOCKET_MAX_DOCUMENT_BYTES);
  g_assert_cmpint (document_back->pages, ==, DOCKET_MAX_PAGES);
  g_assert_cmpstr (document_back->sha256, ==, document->sha256);
}

static void
test_optional_and_lenient (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *integral = mutate (DOCUMENT_JSON, "size", "183422.0");
  g_autofree char *unknown = mutate (DOCUMENT_JSON, "color", "{\"x\": [1, 2]}");
  g_autoptr(DocketDocumentRecord) c = NULL;
  g_autoptr(DocketDocumentRecord) d = NULL;

  /* JSON has one number type: 183422.0 is the integer 183422. */
  c = read_record (KIND_DOCUMENT, integral, &error);
  g_assert_no_error (error);
  g_assert_cmpint (c->size, ==, 183422);
  /* Unknown fields are ignored. */
  d = read_record (KIND_DOCUMENT, unknown, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (d->id, ==, "d3k");
}

/* ---- hostile records ---------------------------------------------------------------- */

/* Every field of the record and the class of values it takes. */
static const struct {
  const char *field;
  FieldClass  klass;
} fields[] = {
  { "id",         CLASS_ID },
  { "meeting_id", CLASS_ID },
  { "item_id",    CLASS_ID },
  { "position",   CLASS_POSITION },
  { "title",      CLASS_TITLE },
  { "media_type", CLASS_MEDIA_TYPE },
  { "sha256",     CLASS_SHA256 },
  { "size",       CLASS_SIZE },
  { "pages",      CLASS_PAGES },
  { "version",    CLASS_VERSION },
};

static void
test_hostile_fields (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    refuse_field (KIND_DOCUMENT, fields[i].field, fields[i].klass);
}

static void
test_not_objects (void)
{
  assert_not_objects (KIND_DOCUMENT);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/codec/round-trip/document", GINT_TO_POINTER (KIND_DOCUMENT), test_round_trip);
  g_test_add_func ("/codec/built-records/document", test_built_records);
  g_test_add_func ("/codec/optional-and-lenient/document", test_optional_and_lenient);
  g_test_add_func ("/codec/hostile/fields/document", test_hostile_fields);
  g_test_add_func ("/codec/hostile/not-objects/document", test_not_objects);

  return g_test_run ();
}
