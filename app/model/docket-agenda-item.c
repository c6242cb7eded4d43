/* docket-agenda-item.c: an item of a meeting's agenda, a node of the agenda tree */

#include "config.h"

#include "docket-agenda-item.h"

struct _DocketAgendaItem
{
  GObject     parent_instance;

  char       *id;
  char       *parent_id;
  char       *number;
  char       *title;
  char       *presenter;
  char       *description;
  guint       depth;
  GListStore *children;
};

G_DEFINE_FINAL_TYPE (DocketAgendaItem, docket_agenda_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NUMBER,
  PROP_TITLE,
  PROP_PRESENTER,
  PROP_DESCRIPTION,
  PROP_DEPTH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
docket_agenda_item_finalize (GObject *object)
{
  DocketAgendaItem *self = DOCKET_AGENDA_ITEM (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->parent_id, g_free);
  g_clear_pointer (&self->number, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->presenter, g_free);
  g_clear_pointer (&self->description, g_free);
  g_clear_object (&self->children);

  G_OBJECT_CLASS (docket_agenda_item_parent_class)->finalize (object);
}

static void
docket_agenda_item_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  DocketAgendaItem *self = DOCKET_AGENDA_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_NUMBER:
      g_value_set_string (value, self->number);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_PRESENTER:
      g_value_set_string (value, self->presenter);
      break;
    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;
    case PROP_DEPTH:
      g_value_set_uint (value, self->depth);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_agenda_item_class_init (DocketAgendaItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = docket_agenda_item_finalize;
  object_class->get_property = docket_agenda_item_get_property;

#define STRING_PROP(ID, NAME) \
  properties[ID] = g_param_spec_string (NAME, NULL, NULL, NULL, \
                                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS)
  STRING_PROP (PROP_ID, "id");
  STRING_PROP (PROP_NUMBER, "number");
  STRING_PROP (PROP_TITLE, "title");
  STRING_PROP (PROP_PRESENTER, "presenter");
  STRING_PROP (PROP_DESCRIPTION, "description");
#undef STRING_PROP
  properties[PROP_DEPTH] =
    g_param_spec_uint ("depth", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
docket_agenda_item_init (DocketAgendaItem *self)
{
  self->children = g_list_store_new (G_TYPE_OBJECT);
}

DocketAgendaItem *
docket_agenda_item_new (const DocketAgendaItemRecord *record,
                        guint                         depth)
{
  DocketAgendaItem *self;

  g_return_val_if_fail (record != NULL, NULL);

  self = g_object_new (DOCKET_TYPE_AGENDA_ITEM, NULL);
  self->id = g_strdup (record->id);
  self->depth = depth;
  docket_agenda_item_update (self, record);

  return self;
}

/* Replaces *field with value (NULL as empty when empty_for_null); TRUE when it changed. */
static gboolean
set_string (char       **field,
            const char  *value,
            gboolean     empty_for_null)
{
  if (value == NULL && empty_for_null)
    value = "";
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

void
docket_agenda_item_update (DocketAgendaItem             *self,
                           const DocketAgendaItemRecord *record)
{
  g_return_if_fail (DOCKET_IS_AGENDA_ITEM (self));
  g_return_if_fail (record != NULL && g_strcmp0 (record->id, self->id) == 0);

  g_object_freeze_notify (G_OBJECT (self));
  set_string (&self->parent_id, record->parent_id, FALSE);
  if (set_string (&self->number, record->number, TRUE))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NUMBER]);
  if (set_string (&self->title, record->title, FALSE))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
  if (set_string (&self->presenter, record->presenter, TRUE))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRESENTER]);
  if (set_string (&self->description, record->description, TRUE))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCRIPTION]);
  g_object_thaw_notify (G_OBJECT (self));
}

const char *
docket_agenda_item_get_id (DocketAgendaItem *self)
{
  g_return_val_if_fail (DOCKET_IS_AGENDA_ITEM (self), NULL);
  return self->id;
}

const char *
docket_agenda_item_get_parent_id (DocketAgendaItem *self)
{
  g_return_val_if_fail (DOCKET_IS_AGENDA_ITEM (self), NULL);
  return self->parent_id;
}

const char *
docket_agenda_item_get_number (DocketAgendaItem *self)
{
  g_return_val_if_fail (DOCKET_IS_AGENDA_ITEM (self), NULL);
  return self->number;
}

const char *
docket_agenda_item_get_title (DocketAgendaItem *self)
{
  g_return_val_if_fail (DOCKET_IS_AGENDA_ITEM (self), NULL);
  return self->title;
}

const char *
docket_agenda_item_get_presenter (DocketAgendaItem *self)
{
  g_return_val_if_fail (DOCKET_IS_AGENDA_ITEM (self), NULL);
  return self->presenter;
}

const char *
docket_agenda_item_get_description (DocketAgendaItem *self)
{
  g_return_val_if_fail (DOCKET_IS_AGENDA_ITEM (self), NULL);
  return self->description;
}

guint
docket_agenda_item_get_depth (DocketAgendaItem *self)
{
  g_return_val_if_fail (DOCKET_IS_AGENDA_ITEM (self), 0);
  return self->depth;
}

GListStore *
docket_agenda_item_get_children (DocketAgendaItem *self)
{
  g_return_val_if_fail (DOCKET_IS_AGENDA_ITEM (self), NULL);
  return self->children;
}
