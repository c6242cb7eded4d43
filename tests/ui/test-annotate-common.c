/* test-annotate-common.c: what test-annotate and test-annotate-export share
 *
 * An exported copy read back with poppler and with `qpdf --json` (an independent reader),
 * and annotation records made by hand.
 */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <poppler.h>

#include "test-annotate-common.h"

/* Reading an export back */

void
read_back_with_poppler (const char     *path,
                        ExportedAnnots *out)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  PopplerDocument *document = poppler_document_new_from_gfile (file, NULL, NULL, &error);

  g_assert_no_error (error);
  memset (out, 0, sizeof *out);
  for (int i = 0; i < poppler_document_get_n_pages (document); i++)
    {
      PopplerPage *page = poppler_document_get_page (document, i);
      GList *mapping = poppler_page_get_annot_mapping (page);

      for (GList *l = mapping; l != NULL; l = l->next)
        {
          PopplerAnnotMapping *map = l->data;
          PopplerAnnot *annot = map->annot;
          PopplerColor *color;

          switch (poppler_annot_get_annot_type (annot))
            {
            case POPPLER_ANNOT_HIGHLIGHT:
              out->highlight++;
              color = poppler_annot_get_color (annot);
              g_assert_nonnull (color);
              out->highlight_red = color->red;
              out->highlight_green = color->green;
              out->highlight_blue = color->blue;
              g_free (color);
              break;
            case POPPLER_ANNOT_UNDERLINE:
              out->underline++;
              break;
            case POPPLER_ANNOT_STRIKE_OUT:
              out->strikeout++;
              break;
            case POPPLER_ANNOT_TEXT:
              out->text++;
              g_free (out->note_contents);
              out->note_contents = poppler_annot_get_contents (annot);
              break;
            case POPPLER_ANNOT_SQUARE:
              out->square++;
              break;
            case POPPLER_ANNOT_INK:
              out->ink++;
              break;
            default:
              break;
            }
        }
      poppler_page_free_annot_mapping (mapping);
      g_object_unref (page);
    }
  g_object_unref (document);
}

/* The dictionaries of every object in `qpdf --json` of path (an independent reader),
 * each passed to func. */
static void
foreach_qpdf_dictionary (const char *path,
                         void      (*func) (JsonObject *dict, gpointer data),
                         gpointer    data)
{
  const char *argv[] = { "qpdf", "--json", path, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *qpdf;
  JsonObject *objects;
  GList *members;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, &error));
  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);

  /* qpdf 11's JSON v2: {"qpdf": [{...header}, {"obj:N G R": {"value": {...}}, ...}]} */
  qpdf = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "qpdf");
  g_assert_cmpuint (json_array_get_length (qpdf), >=, 2);
  objects = json_array_get_object_element (qpdf, 1);
  members = json_object_get_members (objects);
  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonObject *object = json_object_get_object_member (objects, l->data);
      JsonNode *value = json_object_get_member (object, "value");
      JsonNode *dict = value;

      if (value == NULL && json_object_has_member (object, "stream"))
        dict = json_object_get_member (json_object_get_object_member (object, "stream"), "dict");
      if (dict != NULL && JSON_NODE_HOLDS_OBJECT (dict))
        func (json_node_get_object (dict), data);
    }
  g_list_free (members);
}

static void
count_subtype (JsonObject *dict,
               gpointer    data)
{
  GHashTable *subtypes = data;

  if (json_object_has_member (dict, "/Subtype"))
    {
      const char *subtype = json_object_get_string_member (dict, "/Subtype");
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (subtypes, subtype));

      g_hash_table_insert (subtypes, g_strdup (subtype), GUINT_TO_POINTER (n + 1));
    }
}

/* Counts the /Subtype of every object in `qpdf --json` of path. */
GHashTable *
read_back_with_qpdf (const char *path)
{
  GHashTable *subtypes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  foreach_qpdf_dictionary (path, count_subtype, subtypes);
  return subtypes;
}

static void
find_square_border (JsonObject *dict,
                    gpointer    data)
{
  double *width = data;

  if (json_object_has_member (dict, "/Subtype") &&
      g_strcmp0 (json_object_get_string_member (dict, "/Subtype"), "/Square") == 0 &&
      json_object_has_member (dict, "/BS"))
    *width = json_node_get_double (json_object_get_member (json_object_get_object_member (dict, "/BS"), "/W"));
}

/* The line width (/BS /W) of the Square annotation in `qpdf --json` of path, or -1. */
double
qpdf_square_border_width (const char *path)
{
  double width = -1;

  foreach_qpdf_dictionary (path, find_square_border, &width);
  return width;
}

guint
subtype_count (GHashTable *subtypes,
               const char *subtype)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (subtypes, subtype));
}

DocketAnnotationRecord *
make_record (DocketAnnotationKind  kind,
             const char           *color,
             const char           *geometry)
{
  DocketAnnotationRecord *record = docket_annotation_record_new ();

  record->id = g_uuid_string_random ();
  record->document_id = g_strdup ("d");
  record->kind = kind;
  record->color = g_strdup (color);
  record->geometry = g_strdup (geometry);
  record->contents = g_strdup ("");
  return record;
}
