/* docket-sign-in-page.c: server address, user name and password, errors in place */

#include "config.h"

#include <glib/gi18n.h>

#include "docket-sign-in-page.h"
#include "docket-accessible.h"

struct _DocketSignInPage
{
  AdwBin        parent_instance;

  /* Template widgets */
  AdwEntryRow  *server_row;
  AdwEntryRow  *username_row;
  AdwEntryRow  *password_row;
  GtkLabel     *error_label;
  GtkButton    *sign_in_button;
  GtkSpinner   *spinner;

  /* Owned */
  DocketSync   *sync;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (DocketSignInPage, docket_sign_in_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SYNC,
  PROP_BUSY,
  N_PROPS
};

enum {
  SIGNED_IN,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char *
field_text (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static void
docket_sign_in_page_update_actions (DocketSignInPage *self)
{
  g_autofree char *server = g_strstrip (g_strdup (field_text (self->server_row)));
  gboolean complete = server[0] != '\0' &&
                      field_text (self->username_row)[0] != '\0' &&
                      field_text (self->password_row)[0] != '\0';

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign-in.submit",
                                 complete && self->sync != NULL && self->cancellable == NULL);
}

static void
docket_sign_in_page_set_error (DocketSignInPage *self,
                               const char       *message)
{
  gtk_label_set_label (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
docket_sign_in_page_set_busy (DocketSignInPage *self,
                              gboolean          busy)
{
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  /* Not insensitive: that would take the focus away from under the person typing. */
  gtk_editable_set_editable (GTK_EDITABLE (self->server_row), !busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->username_row), !busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->password_row), !busy);
  docket_sign_in_page_update_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
on_sign_in_finished (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(DocketSignInPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!docket_sync_sign_in_finish (DOCKET_SYNC (source), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);
  docket_sign_in_page_set_busy (self, FALSE);

  if (error != NULL)
    {
      docket_sign_in_page_set_error (self, error->message);
      /* Where the fix is: the password for wrong credentials, else the address. */
      if (g_error_matches (error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_INVALID_CREDENTIALS))
        gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
      else if (g_error_matches (error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_UNREACHABLE) ||
               g_error_matches (error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_TLS))
        gtk_widget_grab_focus (GTK_WIDGET (self->server_row));
      return;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  g_signal_emit (self, signals[SIGNED_IN], 0);
}

static void
submit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  DocketSignInPage *self = DOCKET_SIGN_IN_PAGE (widget);
  g_autofree char *server = g_strstrip (g_strdup (field_text (self->server_row)));
  g_autofree char *username = g_strstrip (g_strdup (field_text (self->username_row)));

  if (self->sync == NULL || self->cancellable != NULL || server[0] == '\0' || username[0] == '\0')
    return;

  /* The engine accepts "host", "host:port" or a URL; what it refuses is said in place. */
  docket_sign_in_page_set_error (self, NULL);
  self->cancellable = g_cancellable_new ();
  docket_sign_in_page_set_busy (self, TRUE);

  docket_sync_sign_in_async (self->sync, server, username, field_text (self->password_row),
                             self->cancellable, on_sign_in_finished, g_object_ref (self));
}

static void
on_field_changed (DocketSignInPage *self)
{
  docket_sign_in_page_update_actions (self);
}

static void
on_entry_activated (DocketSignInPage *self,
                    AdwEntryRow      *row)
{
  /* Enter moves to the next empty field, and signs in from the last one. */
  if (row == self->server_row && field_text (self->username_row)[0] == '\0')
    gtk_widget_grab_focus (GTK_WIDGET (self->username_row));
  else if (row != self->password_row && field_text (self->password_row)[0] == '\0')
    gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
  else
    gtk_widget_activate_action (GTK_WIDGET (self), "sign-in.submit", NULL);
}

static void
docket_sign_in_page_dispose (GObject *object)
{
  DocketSignInPage *self = DOCKET_SIGN_IN_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->sync);
  /* AdwBin unparents its child itself: drop it before the template's children go. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), DOCKET_TYPE_SIGN_IN_PAGE);

  G_OBJECT_CLASS (docket_sign_in_page_parent_class)->dispose (object);
}

static void
docket_sign_in_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  DocketSignInPage *self = DOCKET_SIGN_IN_PAGE (object);

  switch (prop_id)
    {
    case PROP_SYNC:
      g_value_set_object (value, self->sync);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->cancellable != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_sign_in_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  DocketSignInPage *self = DOCKET_SIGN_IN_PAGE (object);

  switch (prop_id)
    {
    case PROP_SYNC:
      docket_sign_in_page_set_sync (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_sign_in_page_class_init (DocketSignInPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = docket_sign_in_page_dispose;
  object_class->get_property = docket_sign_in_page_get_property;
  object_class->set_property = docket_sign_in_page_set_property;

  properties[PROP_SYNC] =
    g_param_spec_object ("sync", NULL, NULL, DOCKET_TYPE_SYNC,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNED_IN] = g_signal_new ("signed-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, DOCKET_RESOURCE_PREFIX "/ui/docket-sign-in-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DocketSignInPage, server_row);
  gtk_widget_class_bind_template_child (widget_class, DocketSignInPage, username_row);
  gtk_widget_class_bind_template_child (widget_class, DocketSignInPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, DocketSignInPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, DocketSignInPage, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, DocketSignInPage, spinner);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated);

  gtk_widget_class_install_action (widget_class, "sign-in.submit", NULL, submit_action);
}

static void
docket_sign_in_page_init (DocketSignInPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Its toggle would be heard as "GtkImage". */
  if (!docket_accessible_label_inner_button (GTK_WIDGET (self->password_row), _("Show Password")))
    g_warning ("The password row has no show-password button to name");
  docket_accessible_name_button_by_text (self->sign_in_button);
  docket_sign_in_page_update_actions (self);
}

DocketSync *
docket_sign_in_page_get_sync (DocketSignInPage *self)
{
  g_return_val_if_fail (DOCKET_IS_SIGN_IN_PAGE (self), NULL);
  return self->sync;
}

void
docket_sign_in_page_set_sync (DocketSignInPage *self,
                              DocketSync       *sync)
{
  g_return_if_fail (DOCKET_IS_SIGN_IN_PAGE (self));

  if (g_set_object (&self->sync, sync))
    {
      docket_sign_in_page_update_actions (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNC]);
    }
}

void
docket_sign_in_page_reset (DocketSignInPage *self,
                           const char       *server_url,
                           const char       *username,
                           const char       *message)
{
  g_return_if_fail (DOCKET_IS_SIGN_IN_PAGE (self));

  if (server_url != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->server_row), server_url);
  if (username != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->username_row), username);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  docket_sign_in_page_set_error (self, message);
}
