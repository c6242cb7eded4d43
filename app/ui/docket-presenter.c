/* docket-presenter.c: the chair's presentation, following the pages the chair turns */

#include "config.h"

#include "docket-presenter.h"

/* A page is sent once the chair has stopped on it this long... */
#define CALM_MS 300
/* ...and never sooner than this after the previous request was sent (about 3 a second). */
#define MIN_INTERVAL_US (G_USEC_PER_SEC / 3)

struct _DocketPresenter
{
  GObject             parent_instance;

  /* Borrowed: the reader outlives the presenter (both the window's) */
  DocketDocumentView *view;

  /* Owned */
  DocketSync         *sync;
  GCancellable       *cancellable;
  char               *meeting_id;
  char               *document_id;    /* presented, or NULL */
  int                 wanted_page;    /* the last page turned to */
  int                 sent_page;      /* the last page sent, -1 before */
  gboolean            in_flight;      /* a request is on its way */
  gint64              last_sent_at;   /* monotonic time of the last request */
  guint               calm_id;        /* waits for the turns to calm down */
};

G_DEFINE_FINAL_TYPE (DocketPresenter, docket_presenter, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PRESENTING,
  PROP_DOCUMENT_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void docket_presenter_schedule (DocketPresenter *self);

static void
set_document_id (DocketPresenter *self,
                 const char      *document_id)
{
  gboolean was_presenting = self->document_id != NULL;

  if (g_strcmp0 (self->document_id, document_id) == 0)
    return;
  g_free (self->document_id);
  self->document_id = g_strdup (document_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOCUMENT_ID]);
  if (was_presenting != (document_id != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRESENTING]);
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(DocketPresenter) self = user_data;
  g_autoptr(GError) error = NULL;

  if (docket_sync_live_action_finish (DOCKET_SYNC (source), result, &error))
    {
      self->in_flight = FALSE;
      /* The chair may have turned further while this one was on its way. */
      docket_presenter_schedule (self);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->in_flight = FALSE;
  /* Refused (the meeting ended, the chair lost the role...): stop rather than send
   * every following page to be refused again. */
  g_clear_handle_id (&self->calm_id, g_source_remove);
  set_document_id (self, NULL);
  g_signal_emit (self, signals[FAILED], 0, error);
}

static void
send_page (DocketPresenter *self)
{
  if (self->sync == NULL || self->meeting_id == NULL || self->document_id == NULL)
    return;
  self->in_flight = TRUE;
  self->sent_page = self->wanted_page;
  self->last_sent_at = g_get_monotonic_time ();
  docket_sync_present_async (self->sync, self->meeting_id, self->document_id, self->wanted_page,
                             self->cancellable, on_sent, g_object_ref (self));
}

static gboolean
on_calm (gpointer user_data)
{
  DocketPresenter *self = user_data;

  self->calm_id = 0;
  docket_presenter_schedule (self);
  return G_SOURCE_REMOVE;
}

/* Sends the page wanted when nothing is in flight and the turns have calmed down, or
 * waits (again) for that. */
static void
docket_presenter_schedule (DocketPresenter *self)
{
  gint64 since_last;

  if (self->document_id == NULL || self->in_flight || self->calm_id != 0 ||
      self->wanted_page == self->sent_page)
    return;
  since_last = g_get_monotonic_time () - self->last_sent_at;
  if (since_last < MIN_INTERVAL_US)
    {
      self->calm_id = g_timeout_add ((guint) ((MIN_INTERVAL_US - since_last) / 1000) + 1, on_calm, self);
      return;
    }
  send_page (self);
}

static void
on_current_page (DocketPresenter *self)
{
  DocketDocument *document = docket_document_view_get_document (self->view);

  if (self->document_id == NULL || document == NULL ||
      g_strcmp0 (docket_document_get_id (document), self->document_id) != 0 ||
      docket_document_view_get_state (self->view) != DOCKET_DOCUMENT_VIEW_READY)
    return;
  self->wanted_page = (int) docket_document_view_get_current_page (self->view);
  /* Each turn restarts the wait for calm: only the page the chair stops on is sent. */
  g_clear_handle_id (&self->calm_id, g_source_remove);
  if (self->wanted_page != self->sent_page)
    self->calm_id = g_timeout_add (CALM_MS, on_calm, self);
}

void
docket_presenter_set_sync (DocketPresenter *self,
                           DocketSync      *sync)
{
  g_return_if_fail (DOCKET_IS_PRESENTER (self));
  g_set_object (&self->sync, sync);
}

void
docket_presenter_set_meeting (DocketPresenter *self,
                              const char      *meeting_id)
{
  g_return_if_fail (DOCKET_IS_PRESENTER (self));

  if (g_strcmp0 (self->meeting_id, meeting_id) == 0)
    return;
  docket_presenter_forget (self);
  g_free (self->meeting_id);
  self->meeting_id = g_strdup (meeting_id);
}

void
docket_presenter_start (DocketPresenter *self,
                        const char      *document_id,
                        int              page)
{
  g_return_if_fail (DOCKET_IS_PRESENTER (self));
  g_return_if_fail (document_id != NULL);

  g_clear_handle_id (&self->calm_id, g_source_remove);
  set_document_id (self, document_id);
  self->wanted_page = MAX (page, 0);
  self->sent_page = -1;
  /* The first page goes at once, whatever the previous request: it is what the chair
   * asked for by a click. */
  if (!self->in_flight)
    send_page (self);
}

void
docket_presenter_stop (DocketPresenter *self)
{
  g_return_if_fail (DOCKET_IS_PRESENTER (self));

  docket_presenter_forget (self);
  if (self->sync == NULL || self->meeting_id == NULL)
    return;
  /* A page request still on its way must not land after the stop. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->in_flight = TRUE;
  self->last_sent_at = g_get_monotonic_time ();
  docket_sync_present_async (self->sync, self->meeting_id, NULL, 0, self->cancellable, on_sent,
                             g_object_ref (self));
}

void
docket_presenter_forget (DocketPresenter *self)
{
  g_return_if_fail (DOCKET_IS_PRESENTER (self));

  g_clear_handle_id (&self->calm_id, g_source_remove);
  self->sent_page = -1;
  set_document_id (self, NULL);
}

gboolean
docket_presenter_get_presenting (DocketPresenter *self)
{
  g_return_val_if_fail (DOCKET_IS_PRESENTER (self), FALSE);
  return self->document_id != NULL;
}

const char *
docket_presenter_get_document_id (DocketPresenter *self)
{
  g_return_val_if_fail (DOCKET_IS_PRESENTER (self), NULL);
  return self->document_id;
}

gboolean
docket_presenter_get_busy (DocketPresenter *self)
{
  g_return_val_if_fail (DOCKET_IS_PRESENTER (self), FALSE);
  return self->in_flight || self->calm_id != 0;
}

/* The reader's toggle: on presents what it shows, from where it is; off stops. */
static void
set_presenting (DocketPresenter *self,
                gboolean         presenting)
{
  DocketDocument *document = docket_document_view_get_document (self->view);

  if (presenting == (self->document_id != NULL))
    return;
  if (!presenting)
    docket_presenter_stop (self);
  else if (document != NULL)
    docket_presenter_start (self, docket_document_get_id (document),
                            (int) docket_document_view_get_current_page (self->view));
  else
    /* Nothing to present: the toggle goes back off. */
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRESENTING]);
}

static void
docket_presenter_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  DocketPresenter *self = DOCKET_PRESENTER (object);

  switch (prop_id)
    {
    case PROP_PRESENTING:
      g_value_set_boolean (value, self->document_id != NULL);
      break;
    case PROP_DOCUMENT_ID:
      g_value_set_string (value, self->document_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_presenter_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  DocketPresenter *self = DOCKET_PRESENTER (object);

  switch (prop_id)
    {
    case PROP_PRESENTING:
      set_presenting (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_presenter_dispose (GObject *object)
{
  DocketPresenter *self = DOCKET_PRESENTER (object);

  g_clear_handle_id (&self->calm_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->view != NULL)
    g_signal_handlers_disconnect_by_data (self->view, self);
  g_clear_weak_pointer (&self->view);

  G_OBJECT_CLASS (docket_presenter_parent_class)->dispose (object);
}

static void
docket_presenter_finalize (GObject *object)
{
  DocketPresenter *self = DOCKET_PRESENTER (object);

  g_clear_object (&self->sync);
  g_clear_object (&self->cancellable);
  g_free (self->meeting_id);
  g_free (self->document_id);

  G_OBJECT_CLASS (docket_presenter_parent_class)->finalize (object);
}

static void
docket_presenter_class_init (DocketPresenterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = docket_presenter_get_property;
  object_class->set_property = docket_presenter_set_property;
  object_class->dispose = docket_presenter_dispose;
  object_class->finalize = docket_presenter_finalize;

  properties[PROP_PRESENTING] =
    g_param_spec_boolean ("presenting", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DOCUMENT_ID] =
    g_param_spec_string ("document-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                  NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
docket_presenter_init (DocketPresenter *self)
{
  self->cancellable = g_cancellable_new ();
  self->sent_page = -1;
}

DocketPresenter *
docket_presenter_new (DocketDocumentView *view)
{
  DocketPresenter *self;

  g_return_val_if_fail (DOCKET_IS_DOCUMENT_VIEW (view), NULL);

  self = g_object_new (DOCKET_TYPE_PRESENTER, NULL);
  g_set_weak_pointer (&self->view, view);
  g_signal_connect_swapped (view, "notify::current-page", G_CALLBACK (on_current_page), self);
  /* A document opened at a page reaches it as it gets ready. */
  g_signal_connect_swapped (view, "notify::state", G_CALLBACK (on_current_page), self);
  return self;
}
