/* docket-sync-indicator.c: the header bar's view of the sync engine */

#include "config.h"

#include <glib/gi18n.h>

#include "docket-sync-indicator.h"

struct _DocketSyncIndicator
{
  GtkWidget   parent_instance;

  /* Template widgets */
  GtkWidget  *box;
  GtkStack   *icon_stack;
  GtkImage   *icon;
  GtkSpinner *spinner;
  GtkLabel   *label;

  /* Owned */
  DocketSync *sync;
  GSignalGroup *sync_signals;
};

G_DEFINE_FINAL_TYPE (DocketSyncIndicator, docket_sync_indicator, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SYNC,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
format_last_synced (GDateTime *last)
{
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *time = NULL;

  if (last == NULL)
    return g_strdup (_("Not synced yet"));

  local = g_date_time_to_local (last);
  /* Translators: a time of day, see strftime(3). */
  time = g_date_time_format (local, _("%H:%M"));
  /* Translators: %s is a time, "08:15". */
  return g_strdup_printf (_("Last synced at %s"), time);
}

static void
docket_sync_indicator_update (DocketSyncIndicator *self)
{
  g_autofree char *text = NULL;
  g_autofree char *tooltip = NULL;
  const char *icon_name = NULL;
  DocketSyncState state;

  if (self->sync == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      return;
    }

  state = docket_sync_get_state (self->sync);
  gtk_widget_set_visible (GTK_WIDGET (self), state != DOCKET_SYNC_STATE_SIGNED_OUT);
  gtk_spinner_set_spinning (self->spinner, state == DOCKET_SYNC_STATE_SYNCING);
  gtk_widget_remove_css_class (GTK_WIDGET (self->icon), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->icon), "success");

  switch (state)
    {
    case DOCKET_SYNC_STATE_SIGNED_OUT:
      text = g_strdup (_("Signed out"));
      icon_name = "network-offline-symbolic";
      break;

    case DOCKET_SYNC_STATE_IDLE:
      text = g_strdup (_("Online"));
      icon_name = "emblem-ok-symbolic";
      tooltip = format_last_synced (docket_sync_get_last_synced (self->sync));
      gtk_widget_add_css_class (GTK_WIDGET (self->icon), "success");
      break;

    case DOCKET_SYNC_STATE_SYNCING:
      {
        guint64 done = docket_sync_get_bytes_done (self->sync);
        guint64 total = docket_sync_get_bytes_total (self->sync);

        if (total > 0)
          {
            g_autofree char *done_text = g_format_size (done);
            g_autofree char *total_text = g_format_size (total);

            /* Translators: sync progress, "Syncing 45 %". */
            text = g_strdup_printf (_("Syncing %u %%"), (guint) MIN (100, done * 100 / total));
            tooltip = g_strdup_printf (_("Downloading documents: %s of %s"),
                                       done_text, total_text);
          }
        else
          text = g_strdup (_("Syncing…"));
      }
      break;

    case DOCKET_SYNC_STATE_OFFLINE:
      text = g_strdup (_("Offline"));
      icon_name = "network-offline-symbolic";
      {
        g_autofree char *last = format_last_synced (docket_sync_get_last_synced (self->sync));
        const char *reason = docket_sync_get_error_message (self->sync);

        if (reason != NULL)
          /* Translators: the first %s is why ("Cannot reach the server at …"), the
           * second "Last synced at 14:05" or "Not synced yet". */
          tooltip = g_strdup_printf (_("%s Showing what is on this computer. %s."), reason, last);
        else
          /* Translators: %s is "Last synced at 14:05" or "Not synced yet". */
          tooltip = g_strdup_printf (_("No network: showing what is on this computer. %s."), last);
      }
      break;

    case DOCKET_SYNC_STATE_ERROR:
    default:
      text = g_strdup (_("Sync failed"));
      icon_name = "dialog-warning-symbolic";
      tooltip = g_strdup (docket_sync_get_error_message (self->sync));
      gtk_widget_add_css_class (GTK_WIDGET (self->icon), "error");
      break;
    }

  if (icon_name != NULL)
    {
      gtk_image_set_from_icon_name (self->icon, icon_name);
      gtk_stack_set_visible_child_name (self->icon_stack, "icon");
    }
  else
    gtk_stack_set_visible_child_name (self->icon_stack, "spinner");

  gtk_label_set_label (self->label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), tooltip != NULL ? tooltip : text);

  /* Screen readers get the state and its details in one sentence. */
  {
    g_autofree char *description = tooltip != NULL ? g_strdup_printf ("%s. %s", text, tooltip)
                                                   : g_strdup (text);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, description,
                                    -1);
  }
}

static void
docket_sync_indicator_dispose (GObject *object)
{
  DocketSyncIndicator *self = DOCKET_SYNC_INDICATOR (object);

  g_signal_group_set_target (self->sync_signals, NULL);
  g_clear_object (&self->sync_signals);
  g_clear_object (&self->sync);
  gtk_widget_dispose_template (GTK_WIDGET (self), DOCKET_TYPE_SYNC_INDICATOR);

  G_OBJECT_CLASS (docket_sync_indicator_parent_class)->dispose (object);
}

static void
docket_sync_indicator_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  DocketSyncIndicator *self = DOCKET_SYNC_INDICATOR (object);

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
docket_sync_indicator_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  DocketSyncIndicator *self = DOCKET_SYNC_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_SYNC:
      docket_sync_indicator_set_sync (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_sync_indicator_class_init (DocketSyncIndicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = docket_sync_indicator_dispose;
  object_class->get_property = docket_sync_indicator_get_property;
  object_class->set_property = docket_sync_indicator_set_property;

  properties[PROP_SYNC] =
    g_param_spec_object ("sync", NULL, NULL, DOCKET_TYPE_SYNC,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, DOCKET_RESOURCE_PREFIX "/ui/docket-sync-indicator.ui");
  gtk_widget_class_bind_template_child (widget_class, DocketSyncIndicator, box);
  gtk_widget_class_bind_template_child (widget_class, DocketSyncIndicator, icon_stack);
  gtk_widget_class_bind_template_child (widget_class, DocketSyncIndicator, icon);
  gtk_widget_class_bind_template_child (widget_class, DocketSyncIndicator, spinner);
  gtk_widget_class_bind_template_child (widget_class, DocketSyncIndicator, label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_STATUS);
  gtk_widget_class_set_css_name (widget_class, "docketsyncindicator");
}

static void
docket_sync_indicator_init (DocketSyncIndicator *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->sync_signals = g_signal_group_new (DOCKET_TYPE_SYNC);
  g_signal_group_connect_swapped (self->sync_signals, "notify::state",
                                  G_CALLBACK (docket_sync_indicator_update), self);
  g_signal_group_connect_swapped (self->sync_signals, "notify::bytes-done",
                                  G_CALLBACK (docket_sync_indicator_update), self);
  g_signal_group_connect_swapped (self->sync_signals, "notify::bytes-total",
                                  G_CALLBACK (docket_sync_indicator_update), self);
  g_signal_group_connect_swapped (self->sync_signals, "notify::error-message",
                                  G_CALLBACK (docket_sync_indicator_update), self);
  g_signal_group_connect_swapped (self->sync_signals, "notify::last-synced",
                                  G_CALLBACK (docket_sync_indicator_update), self);
  docket_sync_indicator_update (self);
}

DocketSync *
docket_sync_indicator_get_sync (DocketSyncIndicator *self)
{
  g_return_val_if_fail (DOCKET_IS_SYNC_INDICATOR (self), NULL);
  return self->sync;
}

void
docket_sync_indicator_set_sync (DocketSyncIndicator *self,
                                DocketSync          *sync)
{
  g_return_if_fail (DOCKET_IS_SYNC_INDICATOR (self));
  g_return_if_fail (sync == NULL || DOCKET_IS_SYNC (sync));

  if (!g_set_object (&self->sync, sync))
    return;

  g_signal_group_set_target (self->sync_signals, sync);
  docket_sync_indicator_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNC]);
}
