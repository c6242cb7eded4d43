/* docket-pdf-signature.c: the digital signatures a PDF carries, validated apart */

#include "config.h"

#include "docket-pdf-signature.h"
#include "docket-pdf-document-private.h"

/* A PDF with thousands of signature fields is not worth validating them all. */
#define MAX_SIGNATURES 64

struct _DocketPdfSignature
{
  GObject                     parent_instance;

  char                       *signer;
  GDateTime                  *time;
  DocketPdfSignatureStatus    status;
  DocketPdfCertificateStatus  certificate_status;
};

G_DEFINE_FINAL_TYPE (DocketPdfSignature, docket_pdf_signature, G_TYPE_OBJECT)

static void
docket_pdf_signature_finalize (GObject *object)
{
  DocketPdfSignature *self = DOCKET_PDF_SIGNATURE (object);

  g_clear_pointer (&self->signer, g_free);
  g_clear_pointer (&self->time, g_date_time_unref);

  G_OBJECT_CLASS (docket_pdf_signature_parent_class)->finalize (object);
}

static void
docket_pdf_signature_class_init (DocketPdfSignatureClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = docket_pdf_signature_finalize;
}

static void
docket_pdf_signature_init (DocketPdfSignature *self)
{
}

/* Where docket-signature-check is: $DOCKET_SIGNATURE_CHECK (tests), next to the running
 * program in the build folder (app/pdf/ beside app/docket), else where it is installed. */
static char *
find_checker (void)
{
  const char *env = g_getenv ("DOCKET_SIGNATURE_CHECK");
  g_autofree char *exe = NULL;

  if (env != NULL && env[0] != '\0')
    return g_strdup (env);
  exe = g_file_read_link ("/proc/self/exe", NULL);
  if (exe != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (exe);
      g_autofree char *built = g_build_filename (dir, "pdf", "docket-signature-check", NULL);

      if (g_file_test (built, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&built);
    }
  return g_build_filename (DOCKET_LIBEXECDIR, "docket-signature-check", NULL);
}

static DocketPdfSignature *
unchecked_signature (void)
{
  DocketPdfSignature *self = g_object_new (DOCKET_TYPE_PDF_SIGNATURE, NULL);

  self->signer = g_strdup ("");
  self->status = DOCKET_PDF_SIGNATURE_UNCHECKED;
  self->certificate_status = DOCKET_PDF_CERTIFICATE_UNKNOWN;
  return self;
}

/* One line of the checker's output, or NULL when it does not parse. */
static DocketPdfSignature *
parse_line (const char *line)
{
  g_auto(GStrv) fields = g_strsplit (line, "\t", 4);
  g_autoptr(DocketPdfSignature) self = NULL;
  gint64 time = -1;
  static const char * const statuses[] = { "valid", "modified", "invalid" };
  static const char * const certificates[] = { "trusted", "untrusted", "expired", "revoked", "unknown" };
  int status = -1, certificate = -1;

  if (g_strv_length (fields) != 4 || !g_utf8_validate (fields[3], -1, NULL) ||
      !g_ascii_string_to_signed (fields[2], 10, -1, G_MAXINT64, &time, NULL))
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    if (g_str_equal (fields[0], statuses[i]))
      status = (int) i;
  for (guint i = 0; i < G_N_ELEMENTS (certificates); i++)
    if (g_str_equal (fields[1], certificates[i]))
      certificate = (int) i;
  if (status < 0 || certificate < 0)
    return NULL;

  self = g_object_new (DOCKET_TYPE_PDF_SIGNATURE, NULL);
  self->status = (DocketPdfSignatureStatus) status;
  self->certificate_status = (DocketPdfCertificateStatus) certificate;
  self->signer = g_strdup (fields[3]);
  if (time >= 0)
    self->time = g_date_time_new_from_unix_local (time);
  return g_steal_pointer (&self);
}

GListModel *
docket_pdf_signature_parse (const char *output,
                            guint       n_expected)
{
  GListStore *signatures = g_list_store_new (DOCKET_TYPE_PDF_SIGNATURE);
  g_auto(GStrv) lines = g_strsplit (output != NULL ? output : "", "\n", MAX_SIGNATURES + 1);
  guint n = 0;

  for (guint i = 0; lines[i] != NULL && n < MAX_SIGNATURES; i++)
    {
      g_autoptr(DocketPdfSignature) signature = NULL;

      if (lines[i][0] == '\0')
        continue;
      signature = parse_line (lines[i]);
      if (signature == NULL)
        signature = unchecked_signature ();
      g_list_store_append (signatures, signature);
      n++;
    }
  /* Signatures the checker did not get to (it crashed halfway) are said, not hidden. */
  for (; n < MIN (n_expected, MAX_SIGNATURES); n++)
    {
      g_autoptr(DocketPdfSignature) signature = unchecked_signature ();
      g_list_store_append (signatures, signature);
    }
  return G_LIST_MODEL (signatures);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  DocketPdfDocument *self = source_object;
  const char *path = task_data;
  g_autoptr(GSubprocess) checker = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  g_autofree char *program = NULL;
  PopplerDocument *document;
  int n_signatures;

  /* Most documents have none: counting is cheap, and needs no NSS. */
  document = docket_pdf_document_lock_poppler (self);
  n_signatures = poppler_document_get_n_signatures (document);
  docket_pdf_document_unlock_poppler (self);
  if (n_signatures <= 0)
    {
      g_task_return_pointer (task, g_list_store_new (DOCKET_TYPE_PDF_SIGNATURE), g_object_unref);
      return;
    }

  program = find_checker ();
  checker = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                              program, path, NULL);
  if (checker != NULL && g_subprocess_communicate_utf8 (checker, NULL, cancellable, &output, NULL, &error))
    {
      /* What it printed before is kept; the rest is said to be unchecked. A message, not
       * a warning: a hostile PDF can crash it, and that is what the process is for. */
      if (!g_subprocess_get_if_exited (checker) || g_subprocess_get_exit_status (checker) != 0)
        g_message ("Checking the signatures of %s failed (%s)", path,
                   g_subprocess_get_if_signaled (checker) ? g_strsignal (g_subprocess_get_term_sig (checker))
                                                          : "exit status");
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (checker != NULL)
        g_subprocess_force_exit (checker);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  else
    g_warning ("Cannot check the signatures of %s: %s", path, error->message);

  if (g_task_return_error_if_cancelled (task))
    return;
  g_task_return_pointer (task, docket_pdf_signature_parse (output, (guint) n_signatures), g_object_unref);
}

void
docket_pdf_signature_load_async (DocketPdfDocument   *document,
                                 const char          *path,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (DOCKET_IS_PDF_DOCUMENT (document));
  g_return_if_fail (path != NULL);

  task = g_task_new (document, cancellable, callback, user_data);
  g_task_set_source_tag (task, docket_pdf_signature_load_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, load_thread);
}

GListModel *
docket_pdf_signature_load_finish (DocketPdfDocument  *document,
                                  GAsyncResult       *result,
                                  GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, document), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
docket_pdf_signature_get_signer (DocketPdfSignature *self)
{
  g_return_val_if_fail (DOCKET_IS_PDF_SIGNATURE (self), NULL);
  return self->signer;
}

GDateTime *
docket_pdf_signature_get_time (DocketPdfSignature *self)
{
  g_return_val_if_fail (DOCKET_IS_PDF_SIGNATURE (self), NULL);
  return self->time;
}

DocketPdfSignatureStatus
docket_pdf_signature_get_status (DocketPdfSignature *self)
{
  g_return_val_if_fail (DOCKET_IS_PDF_SIGNATURE (self), DOCKET_PDF_SIGNATURE_INVALID);
  return self->status;
}

DocketPdfCertificateStatus
docket_pdf_signature_get_certificate_status (DocketPdfSignature *self)
{
  g_return_val_if_fail (DOCKET_IS_PDF_SIGNATURE (self), DOCKET_PDF_CERTIFICATE_UNKNOWN);
  return self->certificate_status;
}
