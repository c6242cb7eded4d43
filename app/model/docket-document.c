/* docket-document.c: a document of a meeting, as the agenda shows it */

#include "config.h"

#include <glib/gi18n.h>

#include "docket-document.h"

struct _DocketDocument
{
  GObject  parent_instance;

  char    *id;
  char    *item_id;
  char    *title;
  char    *path;
  gint64   size;
  guint    pages;
};

G_DEFINE_FINAL_TYPE (DocketDocument, docket_document, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_TITLE,
  PROP_PAGES,
  PROP_PATH,
  PROP_OFFLINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
docket_document_finalize (GObject *object)
{
  DocketDocument *self = DOCKET_DOCUMENT (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->item_id, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (docket_document_parent_class)->finalize (object);
}

static void
docket_document_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  DocketDocument *self = DOCKET_DOCUMENT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_PAGES:
      g_value_set_uint (value, self->pages);
      break;
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_OFFLINE:
      g_value_set_boolean (value, self->path != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_document_class_init (DocketDocumentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = docket_document_finalize;
  object_class->get_property = docket_document_get_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAGES] =
    g_param_spec_uint ("pages", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_OFFLINE] =
    g_param_spec_boolean ("offline", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
docket_document_init (DocketDocument *self)
{
}

DocketDocument *
docket_document_new (const DocketStoreDocumentRow *row)
{
  DocketDocument *self;

  g_return_val_if_fail (row != NULL && row->document != NULL, NULL);

  self = g_object_new (DOCKET_TYPE_DOCUMENT, NULL);
  self->id = g_strdup (row->document->id);
  self->item_id = g_strdup (row->document->item_id);
  self->title = g_strdup (row->document->title);
  self->pages = (guint) MAX (row->document->pages, 0);
  self->size = row->document->size;
  self->path = g_strdup (row->path);

  return self;
}

const char *
docket_document_get_id (DocketDocument *self)
{
  g_return_val_if_fail (DOCKET_IS_DOCUMENT (self), NULL);
  return self->id;
}

const char *
docket_document_get_item_id (DocketDocument *self)
{
  g_return_val_if_fail (DOCKET_IS_DOCUMENT (self), NULL);
  return self->item_id;
}

const char *
docket_document_get_title (DocketDocument *self)
{
  g_return_val_if_fail (DOCKET_IS_DOCUMENT (self), NULL);
  return self->title;
}

guint
docket_document_get_pages (DocketDocument *self)
{
  g_return_val_if_fail (DOCKET_IS_DOCUMENT (self), 0);
  return self->pages;
}

gint64
docket_document_get_size (DocketDocument *self)
{
  g_return_val_if_fail (DOCKET_IS_DOCUMENT (self), 0);
  return self->size;
}

const char *
docket_document_get_path (DocketDocument *self)
{
  g_return_val_if_fail (DOCKET_IS_DOCUMENT (self), NULL);
  return self->path;
}

gboolean
docket_document_get_offline (DocketDocument *self)
{
  g_return_val_if_fail (DOCKET_IS_DOCUMENT (self), FALSE);
  return self->path != NULL;
}

char *
docket_document_format_details (DocketDocument *self)
{
  g_autofree char *size = NULL;
  g_autofree char *pages = NULL;

  g_return_val_if_fail (DOCKET_IS_DOCUMENT (self), NULL);

  size = g_format_size ((guint64) MAX (self->size, 0));
  pages = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u page", "%u pages", self->pages),
                           self->pages);
  /* Translators: a document's number of pages and size, "12 pages · 180 kB". */
  return g_strdup_printf (_("%s · %s"), pages, size);
}
