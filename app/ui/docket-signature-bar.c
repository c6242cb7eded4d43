/* docket-signature-bar.c: the bar over a signed document's pages
 *
 * Apart from the view because it only describes: the view reads the signatures (in a
 * worker, with the document) and hands them over; this says what they mean, in the
 * words an official can act on.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "docket-signature-bar.h"
#include "docket-pdf-signature.h"
#include "docket-resources.h"

struct _DocketSignatureBar
{
  AdwBin       parent_instance;

  /* Template widgets */
  GtkRevealer *revealer;
  GtkImage    *icon;
  GtkLabel    *summary_label;
  GtkBox      *details_list;

  /* Owned */
  GListModel  *signatures;   /* DocketPdfSignature, or NULL */
};

G_DEFINE_FINAL_TYPE (DocketSignatureBar, docket_signature_bar, ADW_TYPE_BIN)

/* Who vouches for the signer: what the certificate's check says, in a sentence. */
static const char *
describe_certificate (DocketPdfCertificateStatus status)
{
  switch (status)
    {
    case DOCKET_PDF_CERTIFICATE_TRUSTED:
      return _("The signer's certificate is trusted.");
    case DOCKET_PDF_CERTIFICATE_UNTRUSTED:
      return _("The signer's certificate is not from an authority this computer trusts.");
    case DOCKET_PDF_CERTIFICATE_EXPIRED:
      return _("The signer's certificate had expired.");
    case DOCKET_PDF_CERTIFICATE_REVOKED:
      return _("The signer's certificate was revoked.");
    case DOCKET_PDF_CERTIFICATE_UNKNOWN:
    default:
      return _("The signer's certificate could not be checked.");
    }
}

static char *
describe_signature (DocketPdfSignature *signature)
{
  const char *signer = docket_pdf_signature_get_signer (signature);
  GDateTime *time = docket_pdf_signature_get_time (signature);
  /* The date and time as the official's locale writes them. */
  g_autofree char *when = time != NULL ? g_date_time_format (time, "%x %X") : NULL;
  const char *status, *certificate;

  switch (docket_pdf_signature_get_status (signature))
    {
    case DOCKET_PDF_SIGNATURE_VALID:
      status = _("The signature is valid: the document has not changed since it was signed.");
      break;
    case DOCKET_PDF_SIGNATURE_MODIFIED:
      status = _("The document was changed after it was signed.");
      break;
    case DOCKET_PDF_SIGNATURE_UNCHECKED:
      status = _("The signature could not be checked.");
      break;
    case DOCKET_PDF_SIGNATURE_INVALID:
    default:
      status = _("The signature is not valid.");
      break;
    }
  certificate = describe_certificate (docket_pdf_signature_get_certificate_status (signature));

  if (signer[0] == '\0')
    signer = _("Unknown signer");
  if (when != NULL)
    {
      /* Translators: %s is a date and time */
      g_autofree char *signed_on = g_strdup_printf (_("Signed on %s"), when);
      return g_strdup_printf ("%s\n%s\n%s\n%s", signer, signed_on, status, certificate);
    }
  return g_strdup_printf ("%s\n%s\n%s", signer, status, certificate);
}

/* Fills the popover with one description per signature and says in the bar what they
 * add up to: changed, unchecked, not valid, or valid and by whom. */
static void
describe_signatures (DocketSignatureBar *self,
                     GListModel         *signatures)
{
  guint n = g_list_model_get_n_items (signatures), n_valid = 0, n_modified = 0, n_unchecked = 0, n_trusted = 0;
  g_autofree char *summary = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->details_list))) != NULL)
    gtk_box_remove (self->details_list, child);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(DocketPdfSignature) signature = g_list_model_get_item (signatures, i);
      g_autofree char *text = describe_signature (signature);
      GtkWidget *label = gtk_label_new (text);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 48);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_box_append (self->details_list, label);

      n_valid += docket_pdf_signature_get_status (signature) == DOCKET_PDF_SIGNATURE_VALID;
      n_modified += docket_pdf_signature_get_status (signature) == DOCKET_PDF_SIGNATURE_MODIFIED;
      n_unchecked += docket_pdf_signature_get_status (signature) == DOCKET_PDF_SIGNATURE_UNCHECKED;
      n_trusted += docket_pdf_signature_get_certificate_status (signature) == DOCKET_PDF_CERTIFICATE_TRUSTED;
    }

  if (n_modified > 0)
    summary = g_strdup (_("This document was changed after it was signed."));
  else if (n_unchecked > 0 && n_valid + n_unchecked == n)
    summary = g_strdup (_("This document is signed, but its signatures could not be checked."));
  else if (n_valid < n)
    summary = g_strdup (n == 1 ? _("The signature of this document is not valid.")
                               : _("Some signatures of this document are not valid."));
  else if (n == 1)
    {
      g_autoptr(DocketPdfSignature) signature = g_list_model_get_item (signatures, 0);
      const char *signer = docket_pdf_signature_get_signer (signature);

      /* Translators: %s is the name of the person who signed */
      g_autofree char *valid = g_strdup_printf (_("Signed by %s. The signature is valid."),
                                                signer[0] != '\0' ? signer : _("Unknown signer"));

      /* Valid says the document is as signed; who vouches for the signer is the other
       * half, and a self-made certificate vouches for nobody. */
      summary = g_strjoin (" ", valid,
                           describe_certificate (docket_pdf_signature_get_certificate_status (signature)), NULL);
    }
  else
    {
      g_autofree char *valid = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Signed by %u person. Every signature is valid.",
                                                             "Signed by %u people. Every signature is valid.", n), n);

      summary = g_strjoin (" ", valid,
                           n_trusted == n ? _("Every signer's certificate is trusted.")
                                          : _("Not every signer's certificate is from an authority this computer trusts."),
                           NULL);
    }

  gtk_label_set_label (self->summary_label, summary);
  gtk_image_set_from_icon_name (self->icon,
                                n_valid == n && n_trusted == n ? "security-high-symbolic" : "dialog-warning-symbolic");
  gtk_widget_remove_css_class (GTK_WIDGET (self->summary_label), "error");
  if (n_valid < n)
    gtk_widget_add_css_class (GTK_WIDGET (self->summary_label), "error");
}

static void
docket_signature_bar_dispose (GObject *object)
{
  DocketSignatureBar *self = DOCKET_SIGNATURE_BAR (object);

  /* AdwBin unparents its child itself: drop it before the template's children go. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), DOCKET_TYPE_SIGNATURE_BAR);
  g_clear_object (&self->signatures);

  G_OBJECT_CLASS (docket_signature_bar_parent_class)->dispose (object);
}

static void
docket_signature_bar_class_init (DocketSignatureBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = docket_signature_bar_dispose;

  docket_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class, DOCKET_RESOURCE_PREFIX "/ui/docket-signature-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, DocketSignatureBar, revealer);
  gtk_widget_class_bind_template_child (widget_class, DocketSignatureBar, icon);
  gtk_widget_class_bind_template_child (widget_class, DocketSignatureBar, summary_label);
  gtk_widget_class_bind_template_child (widget_class, DocketSignatureBar, details_list);
}

static void
docket_signature_bar_init (DocketSignatureBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
docket_signature_bar_new (void)
{
  return g_object_new (DOCKET_TYPE_SIGNATURE_BAR, NULL);
}

void
docket_signature_bar_set_signatures (DocketSignatureBar *self,
                                     GListModel         *signatures)
{
  g_return_if_fail (DOCKET_IS_SIGNATURE_BAR (self));
  g_return_if_fail (signatures == NULL || G_IS_LIST_MODEL (signatures));

  /* An unsigned document has no bar: there is nothing to vouch for or against. */
  if (signatures == NULL || g_list_model_get_n_items (signatures) == 0)
    {
      g_clear_object (&self->signatures);
      gtk_revealer_set_reveal_child (self->revealer, FALSE);
      return;
    }
  describe_signatures (self, signatures);
  g_set_object (&self->signatures, signatures);
  gtk_revealer_set_reveal_child (self->revealer, TRUE);
}

GListModel *
docket_signature_bar_get_signatures (DocketSignatureBar *self)
{
  g_return_val_if_fail (DOCKET_IS_SIGNATURE_BAR (self), NULL);
  return self->signatures;
}
