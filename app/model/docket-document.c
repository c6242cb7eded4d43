/* docket-document.c: a document of a meeting, as the agenda shows it */

#include "config.h"

#include <glib/gi18n.h>

#include "docket-document.h"
#include "docket-sync-enums.h"

struct _DocketDocument
{
  GObject  parent_instance;

  char    *id;
  char    *item_id;
  char    *title;
  char    *path;
  char    *sha256;
  gint64   size;
  guint    pages;

  /* The download, as the sync engine sees it */
  DocketDownloadState  download_state;
  DocketSyncError      download_reason;
  double               download_fraction;
  char                *download_error;
};

G_DEFINE_FINAL_TYPE (DocketDocument, docket_document, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_TITLE,
  PROP_PAGES,
  PROP_PATH,
  PROP_OFFLINE,
  PROP_SHA256,
  PROP_DOWNLOAD_STATE,
  PROP_DOWNLOAD_FRACTION,
  PROP_DOWNLOAD_REASON,
  PROP_DOWNLOAD_ERROR,
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
  g_clear_pointer (&self->sha256, g_free);
  g_clear_pointer (&self->download_error, g_free);

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
    case PROP_SHA256:
      g_value_set_string (value, self->sha256);
      break;
    case PROP_DOWNLOAD_STATE:
      g_value_set_enum (value, self->download_state);
      break;
    case PROP_DOWNLOAD_FRACTION:
      g_value_set_double (value, self->download_fraction);
      break;
    case PROP_DOWNLOAD_REASON:
      g_value_set_enum (value, self->download_reason);
      break;
    case PROP_DOWNLOAD_ERROR:
      g_value_set_string (value, self->download_error);
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
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAGES] =
    g_param_spec_uint ("pages", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_OFFLINE] =
    g_param_spec_boolean ("offline", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHA256] =
    g_param_spec_string ("sha256", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DOWNLOAD_STATE] =
    g_param_spec_enum ("download-state", NULL, NULL,
                       DOCKET_TYPE_DOWNLOAD_STATE, DOCKET_DOWNLOAD_STATE_NONE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DOWNLOAD_FRACTION] =
    g_param_spec_double ("download-fraction", NULL, NULL, 0.0, 1.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DOWNLOAD_REASON] =
    g_param_spec_enum ("download-reason", NULL, NULL,
                       DOCKET_TYPE_SYNC_ERROR, DOCKET_SYNC_ERROR_UNREACHABLE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DOWNLOAD_ERROR] =
    g_param_spec_string ("download-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

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
  docket_document_update (self, row);

  return self;
}

static gboolean
set_string (char       **field,
            const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

gboolean
docket_document_update (DocketDocument               *self,
                        const DocketStoreDocumentRow *row)
{
  gboolean was_offline;
  gboolean sha256_changed;
  guint pages;

  g_return_val_if_fail (DOCKET_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (row != NULL && row->document != NULL, FALSE);
  g_return_val_if_fail (g_strcmp0 (row->document->id, self->id) == 0, FALSE);

  was_offline = self->path != NULL;
  pages = (guint) MAX (row->document->pages, 0);

  g_object_freeze_notify (G_OBJECT (self));
  set_string (&self->item_id, row->document->item_id);
  if (set_string (&self->title, row->document->title))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
  if (self->pages != pages)
    {
      self->pages = pages;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGES]);
    }
  self->size = row->document->size;
  if (set_string (&self->path, row->path))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PATH]);
  if (was_offline != (self->path != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OFFLINE]);
  sha256_changed = set_string (&self->sha256, row->document->sha256);
  if (sha256_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHA256]);
  g_object_thaw_notify (G_OBJECT (self));

  return sha256_changed;
}

const char *
docket_document_get_sha256 (DocketDocument *self)
{
  g_return_val_if_fail (DOCKET_IS_DOCUMENT (self), NULL);
  return self->sha256;
}

DocketDownloadState
docket_document_get_download_state (DocketDocument *self)
{
  g_return_val_if_fail (DOCKET_IS_DOCUMENT (self), DOCKET_DOWNLOAD_STATE_NONE);
  return self->download_state;
}

double
docket_document_get_download_fraction (DocketDocument *self)
{
  g_return_val_if_fail (DOCKET_IS_DOCUMENT (self), 0.0);
  return self->download_fraction;
}

DocketSyncError
docket_document_get_download_reason (DocketDocument *self)
{
  g_return_val_if_fail (DOCKET_IS_DOCUMENT (self), DOCKET_SYNC_ERROR_UNREACHABLE);
  return self->download_reason;
}

const char *
docket_document_get_download_error (DocketDocument *self)
{
  g_return_val_if_fail (DOCKET_IS_DOCUMENT (self), NULL);
  return self->download_error;
}

void
docket_document_set_download (DocketDocument           *self,
                              const DocketDownloadInfo *info)
{
  DocketDownloadState state = info != NULL ? info->state : DOCKET_DOWNLOAD_STATE_NONE;
  gboolean failed = state == DOCKET_DOWNLOAD_STATE_FAILED;
  DocketSyncError reason = failed ? info->reason : DOCKET_SYNC_ERROR_UNREACHABLE;
  const char *message = failed ? info->message : NULL;
  double fraction = 0.0;

  g_return_if_fail (DOCKET_IS_DOCUMENT (self));

  if (state == DOCKET_DOWNLOAD_STATE_DOWNLOADING && info->bytes_total > 0)
    fraction = CLAMP ((double) info->bytes_done / (double) info->bytes_total, 0.0, 1.0);

  g_object_freeze_notify (G_OBJECT (self));

  if (self->download_state != state)
    {
      self->download_state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOWNLOAD_STATE]);
    }
  if (self->download_fraction != fraction)
    {
      self->download_fraction = fraction;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOWNLOAD_FRACTION]);
    }
  if (self->download_reason != reason)
    {
      self->download_reason = reason;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOWNLOAD_REASON]);
    }
  if (g_strcmp0 (self->download_error, message) != 0)
    {
      g_free (self->download_error);
      self->download_error = g_strdup (message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOWNLOAD_ERROR]);
    }

  g_object_thaw_notify (G_OBJECT (self));
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
