/* docket-annotation.c: one of the official's annotations */

#include "config.h"

#include <glib/gi18n.h>

#include "docket-annotation.h"

struct _DocketAnnotation
{
  GObject                   parent_instance;

  /* Owned, never changed after construction */
  DocketAnnotationRecord   *record;
  DocketAnnotationGeometry *geometry;
};

G_DEFINE_FINAL_TYPE (DocketAnnotation, docket_annotation, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_PAGE,
  PROP_KIND,
  PROP_COLOR,
  PROP_CONTENTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
docket_annotation_finalize (GObject *object)
{
  DocketAnnotation *self = DOCKET_ANNOTATION (object);

  g_clear_pointer (&self->record, docket_annotation_record_free);
  g_clear_pointer (&self->geometry, docket_annotation_geometry_free);

  G_OBJECT_CLASS (docket_annotation_parent_class)->finalize (object);
}

static void
docket_annotation_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  DocketAnnotation *self = DOCKET_ANNOTATION (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->record->id);
      break;
    case PROP_PAGE:
      g_value_set_uint (value, (guint) self->record->page);
      break;
    case PROP_KIND:
      g_value_set_int (value, self->record->kind);
      break;
    case PROP_COLOR:
      g_value_set_string (value, self->record->color);
      break;
    case PROP_CONTENTS:
      g_value_set_string (value, self->record->contents);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_annotation_class_init (DocketAnnotationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = docket_annotation_finalize;
  object_class->get_property = docket_annotation_get_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAGE] =
    g_param_spec_uint ("page", NULL, NULL, 0, G_MAXUINT, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_KIND] =
    g_param_spec_int ("kind", NULL, NULL, DOCKET_ANNOTATION_HIGHLIGHT, DOCKET_ANNOTATION_RECTANGLE,
                      DOCKET_ANNOTATION_HIGHLIGHT, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_COLOR] =
    g_param_spec_string ("color", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONTENTS] =
    g_param_spec_string ("contents", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
docket_annotation_init (DocketAnnotation *self)
{
}

DocketAnnotation *
docket_annotation_new (const DocketAnnotationRecord *record)
{
  DocketAnnotation *self;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (record != NULL, NULL);

  self = g_object_new (DOCKET_TYPE_ANNOTATION, NULL);
  self->record = docket_annotation_record_copy (record);
  if (self->record->contents == NULL)
    self->record->contents = g_strdup ("");
  if (self->record->color == NULL)
    self->record->color = g_strdup ("#000000");

  self->geometry = docket_annotation_geometry_parse (record->kind,
                                                     record->geometry != NULL ? record->geometry : "",
                                                     &error);
  if (self->geometry == NULL)
    {
      /* The store only keeps what the codec accepted; still, a bad geometry must not
       * take the page down with it. */
      g_warning ("Annotation %s has a geometry that cannot be read: %s", record->id, error->message);
      self->geometry = docket_annotation_geometry_new (record->kind);
    }
  return self;
}

const DocketAnnotationRecord *
docket_annotation_get_record (DocketAnnotation *self)
{
  g_return_val_if_fail (DOCKET_IS_ANNOTATION (self), NULL);
  return self->record;
}

const DocketAnnotationGeometry *
docket_annotation_get_geometry (DocketAnnotation *self)
{
  g_return_val_if_fail (DOCKET_IS_ANNOTATION (self), NULL);
  return self->geometry;
}

const char *
docket_annotation_get_id (DocketAnnotation *self)
{
  g_return_val_if_fail (DOCKET_IS_ANNOTATION (self), NULL);
  return self->record->id;
}

guint
docket_annotation_get_page (DocketAnnotation *self)
{
  g_return_val_if_fail (DOCKET_IS_ANNOTATION (self), 0);
  return (guint) MAX (self->record->page, 0);
}

DocketAnnotationKind
docket_annotation_get_kind (DocketAnnotation *self)
{
  g_return_val_if_fail (DOCKET_IS_ANNOTATION (self), DOCKET_ANNOTATION_HIGHLIGHT);
  return self->record->kind;
}

const char *
docket_annotation_get_color (DocketAnnotation *self)
{
  g_return_val_if_fail (DOCKET_IS_ANNOTATION (self), NULL);
  return self->record->color;
}

const char *
docket_annotation_get_contents (DocketAnnotation *self)
{
  g_return_val_if_fail (DOCKET_IS_ANNOTATION (self), NULL);
  return self->record->contents;
}

const char *
docket_annotation_kind_get_label (DocketAnnotationKind kind)
{
  switch (kind)
    {
    case DOCKET_ANNOTATION_HIGHLIGHT:
      return _("Highlight");
    case DOCKET_ANNOTATION_UNDERLINE:
      return _("Underline");
    case DOCKET_ANNOTATION_STRIKEOUT:
      return _("Strike-out");
    case DOCKET_ANNOTATION_INK:
      return _("Drawing");
    case DOCKET_ANNOTATION_NOTE:
      return _("Note");
    case DOCKET_ANNOTATION_RECTANGLE:
      return _("Rectangle");
    default:
      return _("Annotation");
    }
}
