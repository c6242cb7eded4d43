/* docket-reader-state.c: what the reader shows, and the annotation tool it is used with
 *
 * Apart from the view so that the annotator follows the document without knowing the
 * view that shows it (the view owns the annotator; the annotator reaching back into it
 * made a circle).
 */

#include "config.h"

#include "docket-reader-state.h"

struct _DocketReaderState
{
  GObject               parent_instance;

  /* Owned */
  DocketDocument       *document;
  DocketPdfDocument    *pdf_document;
  char                 *color;

  DocketAnnotationTool  tool;
};

G_DEFINE_FINAL_TYPE (DocketReaderState, docket_reader_state, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DOCUMENT,
  PROP_PDF_DOCUMENT,
  PROP_TOOL,
  PROP_COLOR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

DocketReaderState *
docket_reader_state_new (void)
{
  return g_object_new (DOCKET_TYPE_READER_STATE, NULL);
}

void
docket_reader_state_set_document (DocketReaderState *self,
                                  DocketDocument    *document,
                                  DocketPdfDocument *pdf_document)
{
  gboolean document_changed, pdf_changed;

  g_return_if_fail (DOCKET_IS_READER_STATE (self));
  g_return_if_fail (document == NULL || DOCKET_IS_DOCUMENT (document));
  g_return_if_fail (pdf_document == NULL || DOCKET_IS_PDF_DOCUMENT (pdf_document));

  /* Both set before either is told: a listener reads the two as one. */
  document_changed = g_set_object (&self->document, document);
  pdf_changed = g_set_object (&self->pdf_document, pdf_document);
  if (document_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOCUMENT]);
  if (pdf_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PDF_DOCUMENT]);
}

DocketDocument *
docket_reader_state_get_document (DocketReaderState *self)
{
  g_return_val_if_fail (DOCKET_IS_READER_STATE (self), NULL);
  return self->document;
}

DocketPdfDocument *
docket_reader_state_get_pdf_document (DocketReaderState *self)
{
  g_return_val_if_fail (DOCKET_IS_READER_STATE (self), NULL);
  return self->pdf_document;
}

DocketAnnotationTool
docket_reader_state_get_tool (DocketReaderState *self)
{
  g_return_val_if_fail (DOCKET_IS_READER_STATE (self), DOCKET_ANNOTATION_TOOL_SELECT);
  return self->tool;
}

void
docket_reader_state_set_tool (DocketReaderState    *self,
                              DocketAnnotationTool  tool)
{
  g_return_if_fail (DOCKET_IS_READER_STATE (self));
  g_return_if_fail (tool <= DOCKET_ANNOTATION_TOOL_RECTANGLE);

  if (self->tool == tool)
    return;
  self->tool = tool;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOOL]);
}

const char *
docket_reader_state_get_color (DocketReaderState *self)
{
  g_return_val_if_fail (DOCKET_IS_READER_STATE (self), NULL);
  return self->color;
}

void
docket_reader_state_set_color (DocketReaderState *self,
                               const char        *color)
{
  g_return_if_fail (DOCKET_IS_READER_STATE (self));
  g_return_if_fail (color != NULL);

  if (g_strcmp0 (self->color, color) == 0)
    return;
  g_free (self->color);
  self->color = g_strdup (color);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COLOR]);
}

static void
docket_reader_state_dispose (GObject *object)
{
  DocketReaderState *self = DOCKET_READER_STATE (object);

  g_clear_object (&self->document);
  g_clear_object (&self->pdf_document);

  G_OBJECT_CLASS (docket_reader_state_parent_class)->dispose (object);
}

static void
docket_reader_state_finalize (GObject *object)
{
  DocketReaderState *self = DOCKET_READER_STATE (object);

  g_free (self->color);

  G_OBJECT_CLASS (docket_reader_state_parent_class)->finalize (object);
}

static void
docket_reader_state_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  DocketReaderState *self = DOCKET_READER_STATE (object);

  switch (prop_id)
    {
    case PROP_DOCUMENT:
      g_value_set_object (value, self->document);
      break;
    case PROP_PDF_DOCUMENT:
      g_value_set_object (value, self->pdf_document);
      break;
    case PROP_TOOL:
      g_value_set_int (value, self->tool);
      break;
    case PROP_COLOR:
      g_value_set_string (value, self->color);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_reader_state_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  DocketReaderState *self = DOCKET_READER_STATE (object);

  switch (prop_id)
    {
    case PROP_TOOL:
      docket_reader_state_set_tool (self, g_value_get_int (value));
      break;
    case PROP_COLOR:
      docket_reader_state_set_color (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_reader_state_class_init (DocketReaderStateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = docket_reader_state_dispose;
  object_class->finalize = docket_reader_state_finalize;
  object_class->get_property = docket_reader_state_get_property;
  object_class->set_property = docket_reader_state_set_property;

  properties[PROP_DOCUMENT] =
    g_param_spec_object ("document", NULL, NULL, DOCKET_TYPE_DOCUMENT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PDF_DOCUMENT] =
    g_param_spec_object ("pdf-document", NULL, NULL, DOCKET_TYPE_PDF_DOCUMENT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOOL] =
    g_param_spec_int ("tool", NULL, NULL, DOCKET_ANNOTATION_TOOL_SELECT, DOCKET_ANNOTATION_TOOL_RECTANGLE,
                      DOCKET_ANNOTATION_TOOL_SELECT,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COLOR] =
    g_param_spec_string ("color", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
docket_reader_state_init (DocketReaderState *self)
{
  self->tool = DOCKET_ANNOTATION_TOOL_SELECT;
}
