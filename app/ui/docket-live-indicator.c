/* docket-live-indicator.c: the header bar's view of the live channel */

#include "config.h"

#include <glib/gi18n.h>

#include "docket-live-indicator.h"

struct _DocketLiveIndicator
{
  GtkWidget     parent_instance;

  /* Template widgets */
  GtkWidget    *box;
  GtkImage     *icon;
  GtkLabel     *label;

  /* Owned */
  DocketSync   *sync;
  GSignalGroup *sync_signals;
};

G_DEFINE_FINAL_TYPE (DocketLiveIndicator, docket_live_indicator, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SYNC,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* What each state shows: a word, an icon, a style, and the sentence a screen reader and
 * the tooltip give. */
typedef struct {
  const char *text;
  const char *icon_name;
  const char *css_class;
  const char *sentence;
} LiveLook;

static gboolean
live_look_for (DocketLiveState  state,
               LiveLook        *look)
{
  switch (state)
    {
    case DOCKET_LIVE_STATE_LIVE:
      look->text = _("Live");
      look->icon_name = "media-record-symbolic";
      look->css_class = "success";
      look->sentence = _("Live: changes arrive as they happen");
      return TRUE;

    case DOCKET_LIVE_STATE_CONNECTING:
      look->text = _("Connecting…");
      look->icon_name = "content-loading-symbolic";
      look->css_class = "dim-label";
      look->sentence = _("Connecting: changes arrive at the next sync until the connection is made");
      return TRUE;

    case DOCKET_LIVE_STATE_RECONNECTING:
      look->text = _("Reconnecting…");
      look->icon_name = "content-loading-symbolic";
      look->css_class = "warning";
      look->sentence = _("Reconnecting: changes arrive at the next sync until the connection is back");
      return TRUE;

    case DOCKET_LIVE_STATE_OFFLINE:
      look->text = _("Offline");
      look->icon_name = "network-offline-symbolic";
      look->css_class = "dim-label";
      look->sentence = _("Offline: changes arrive when the connection is back");
      return TRUE;

    case DOCKET_LIVE_STATE_UNAVAILABLE:
    default:
      /* The server has no live channel: the sync indicator says all there is. */
      return FALSE;
    }
}

static void
docket_live_indicator_update (DocketLiveIndicator *self)
{
  static const char * const css_classes[] = { "success", "warning", "dim-label" };
  LiveLook look = { 0 };

  if (self->sync == NULL || !docket_sync_get_signed_in (self->sync) ||
      !live_look_for (docket_sync_get_live_state (self->sync), &look))
    {
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (css_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self), css_classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self), look.css_class);

  gtk_image_set_from_icon_name (self->icon, look.icon_name);
  gtk_label_set_label (self->label, look.text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), look.sentence);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, look.sentence,
                                  -1);
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
}

static void
docket_live_indicator_dispose (GObject *object)
{
  DocketLiveIndicator *self = DOCKET_LIVE_INDICATOR (object);

  g_signal_group_set_target (self->sync_signals, NULL);
  g_clear_object (&self->sync_signals);
  g_clear_object (&self->sync);
  gtk_widget_dispose_template (GTK_WIDGET (self), DOCKET_TYPE_LIVE_INDICATOR);

  G_OBJECT_CLASS (docket_live_indicator_parent_class)->dispose (object);
}

static void
docket_live_indicator_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  DocketLiveIndicator *self = DOCKET_LIVE_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_SYNC:
      g_value_set_object (value, self->sync);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_live_indicator_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  DocketLiveIndicator *self = DOCKET_LIVE_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_SYNC:
      docket_live_indicator_set_sync (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_live_indicator_class_init (DocketLiveIndicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = docket_live_indicator_dispose;
  object_class->get_property = docket_live_indicator_get_property;
  object_class->set_property = docket_live_indicator_set_property;

  properties[PROP_SYNC] =
    g_param_spec_object ("sync", NULL, NULL, DOCKET_TYPE_SYNC,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, DOCKET_RESOURCE_PREFIX "/ui/docket-live-indicator.ui");
  gtk_widget_class_bind_template_child (widget_class, DocketLiveIndicator, box);
  gtk_widget_class_bind_template_child (widget_class, DocketLiveIndicator, icon);
  gtk_widget_class_bind_template_child (widget_class, DocketLiveIndicator, label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_STATUS);
  gtk_widget_class_set_css_name (widget_class, "docketliveindicator");
}

static void
docket_live_indicator_init (DocketLiveIndicator *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->sync_signals = g_signal_group_new (DOCKET_TYPE_SYNC);
  g_signal_group_connect_swapped (self->sync_signals, "notify::live-state",
                                  G_CALLBACK (docket_live_indicator_update), self);
  g_signal_group_connect_swapped (self->sync_signals, "notify::signed-in",
                                  G_CALLBACK (docket_live_indicator_update), self);
  docket_live_indicator_update (self);
}

DocketSync *
docket_live_indicator_get_sync (DocketLiveIndicator *self)
{
  g_return_val_if_fail (DOCKET_IS_LIVE_INDICATOR (self), NULL);
  return self->sync;
}

void
docket_live_indicator_set_sync (DocketLiveIndicator *self,
                                DocketSync          *sync)
{
  g_return_if_fail (DOCKET_IS_LIVE_INDICATOR (self));
  g_return_if_fail (sync == NULL || DOCKET_IS_SYNC (sync));

  if (!g_set_object (&self->sync, sync))
    return;

  g_signal_group_set_target (self->sync_signals, sync);
  docket_live_indicator_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNC]);
}
