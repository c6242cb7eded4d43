/* docket-model-error.c: the `error` property of the models that read or write the store */
#include "config.h"

#include "docket-model-error.h"

gboolean
docket_model_take_error (GError **slot,
                         GError  *error)
{
  if (*slot == NULL && error == NULL)
    return FALSE;
  g_clear_error (slot);
  *slot = error;
  return TRUE;
}

gboolean
docket_model_error_equal (const GError *a,
                          const GError *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_error_matches (a, b->domain, b->code) && g_strcmp0 (a->message, b->message) == 0;
}
