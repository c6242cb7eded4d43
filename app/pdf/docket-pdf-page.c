/* docket-pdf-page.c: one page of a DocketPdfDocument */

#include "config.h"

#include "docket-pdf-page.h"

struct _DocketPdfPage
{
  GObject parent_instance;

  guint   index;
  double  width;    /* points */
  double  height;   /* points */
};

G_DEFINE_FINAL_TYPE (DocketPdfPage, docket_pdf_page, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_INDEX,
  PROP_WIDTH,
  PROP_HEIGHT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
docket_pdf_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  DocketPdfPage *self = DOCKET_PDF_PAGE (object);

  switch (prop_id)
    {
    case PROP_INDEX:
      g_value_set_uint (value, self->index);
      break;
    case PROP_WIDTH:
      g_value_set_double (value, self->width);
      break;
    case PROP_HEIGHT:
      g_value_set_double (value, self->height);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_pdf_page_class_init (DocketPdfPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = docket_pdf_page_get_property;

  properties[PROP_INDEX] =
    g_param_spec_uint ("index", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_WIDTH] =
    g_param_spec_double ("width", NULL, NULL, 0, G_MAXDOUBLE, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_HEIGHT] =
    g_param_spec_double ("height", NULL, NULL, 0, G_MAXDOUBLE, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
docket_pdf_page_init (DocketPdfPage *self)
{
}

DocketPdfPage *
docket_pdf_page_new (guint  index,
                     double width,
                     double height)
{
  DocketPdfPage *self = g_object_new (DOCKET_TYPE_PDF_PAGE, NULL);

  self->index = index;
  /* A page without a usable size still gets a sane box (A4 in points). */
  self->width = width > 0 ? width : 595.0;
  self->height = height > 0 ? height : 842.0;

  return self;
}

guint
docket_pdf_page_get_index (DocketPdfPage *self)
{
  g_return_val_if_fail (DOCKET_IS_PDF_PAGE (self), 0);
  return self->index;
}

double
docket_pdf_page_get_width (DocketPdfPage *self)
{
  g_return_val_if_fail (DOCKET_IS_PDF_PAGE (self), 0);
  return self->width;
}

double
docket_pdf_page_get_height (DocketPdfPage *self)
{
  g_return_val_if_fail (DOCKET_IS_PDF_PAGE (self), 0);
  return self->height;
}
