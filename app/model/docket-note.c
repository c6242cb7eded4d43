/* docket-note.c: the official's personal note on an agenda item or a document */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "docket-note.h"
#include "docket-model-error.h"

/* Long enough that a word typed is one save, short enough that little is at stake. */
#define SAVE_DELAY_MS   600
/* After a failed save (disk full...): the text stays here, and is tried again. */
#define RETRY_DELAY_MS  5000
/* The store changes often while documents arrive: one reload for a burst of commits. */
#define RELOAD_DELAY_MS 250

struct _DocketNote
{
  GObject           parent_instance;

  /* Owned */
  DocketStore      *store;
  char             *target_id;
  char             *text;          /* what the official sees and typed */
  char             *saved_text;    /* what the store holds, as far as we know */
  GCancellable     *load_cancellable;
  GError           *error;

  DocketNoteTarget  target;
  gulong            changed_id;
  guint             save_source_id;
  guint             reload_source_id;
  guint             loaded : 1;
  guint             saving : 1;    /* a save is in flight */
  guint             dirty : 1;
};

G_DEFINE_FINAL_TYPE (DocketNote, docket_note, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TEXT,
  PROP_LOADED,
  PROP_HAS_TEXT,
  PROP_DIRTY,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void docket_note_start_save (DocketNote *self);
static void docket_note_load       (DocketNote *self);
static gboolean save_timeout_cb    (gpointer    user_data);

static gboolean
text_has_content (const char *text)
{
  for (const char *p = text; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    {
      if (!g_unichar_isspace (g_utf8_get_char (p)))
        return TRUE;
    }

  return FALSE;
}

static void
set_dirty (DocketNote *self,
           gboolean    dirty)
{
  if (self->dirty == !!dirty)
    return;

  self->dirty = !!dirty;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIRTY]);
}

/* Takes text as what the official sees, notifying what changed. */
static void
take_text (DocketNote *self,
           char       *text)
{
  gboolean had_text = text_has_content (self->text);

  if (g_strcmp0 (self->text, text) == 0)
    {
      g_free (text);
      return;
    }

  g_free (self->text);
  self->text = text;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
  if (had_text != text_has_content (self->text))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_TEXT]);
}

/* Takes error (NULL: the last load or save succeeded); notifies only a change. */
static void
set_error (DocketNote *self,
           GError     *error)
{
  if (docket_model_take_error (&self->error, error))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

/* Loading */

typedef struct {
  DocketNoteTarget  target;
  char             *target_id;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_free (data->target_id);
  g_free (data);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *data = task_data;
  GError *error = NULL;
  char *text = docket_store_dup_note (DOCKET_STORE (source_object), data->target,
                                      data->target_id, &error);

  if (text == NULL && error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, text != NULL ? text : g_strdup (""), g_free);
}

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(DocketNote) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->load_cancellable);

  if (text == NULL)
    {
      g_warning ("Could not read a note: %s", error->message);
      set_error (self, g_steal_pointer (&error));
    }
  /* An edit made while this load ran wins over what the store had (and an error of its
   * save stays until it is saved). */
  else if (!self->dirty && !self->saving)
    {
      set_error (self, NULL);
      g_free (self->saved_text);
      self->saved_text = g_strdup (text);
      take_text (self, g_steal_pointer (&text));
    }

  if (!self->loaded)
    {
      self->loaded = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }
}

static void
docket_note_load (DocketNote *self)
{
  g_autoptr(GTask) task = NULL;
  LoadData *data;

  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();

  data = g_new0 (LoadData, 1);
  data->target = self->target;
  data->target_id = g_strdup (self->target_id);

  task = g_task_new (self->store, self->load_cancellable, on_loaded, g_object_ref (self));
  g_task_set_source_tag (task, docket_note_load);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, load_thread);
}

static gboolean
reload_timeout_cb (gpointer user_data)
{
  DocketNote *self = user_data;

  self->reload_source_id = 0;
  /* Another computer's edit arrives through the store; ours must not be overwritten. */
  if (!self->dirty && !self->saving)
    docket_note_load (self);

  return G_SOURCE_REMOVE;
}

static void
on_store_changed (DocketNote *self)
{
  if (self->reload_source_id == 0)
    self->reload_source_id = g_timeout_add (RELOAD_DELAY_MS, reload_timeout_cb, self);
}

/* Saving */

typedef struct {
  DocketNote *note;
  char       *text;
} SaveData;

static void
on_saved (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  SaveData *data = user_data;
  DocketNote *self = data->note;
  g_autoptr(GError) error = NULL;

  self->saving = FALSE;

  if (docket_store_save_note_finish (DOCKET_STORE (source), result, &error))
    {
      g_free (self->saved_text);
      self->saved_text = g_steal_pointer (&data->text);
      set_error (self, NULL);
    }
  else
    {
      /* The text stays in memory and on screen; the save is tried again. */
      g_warning ("Could not save a note: %s", error->message);
      set_error (self, g_steal_pointer (&error));
      if (self->save_source_id == 0)
        self->save_source_id = g_timeout_add (RETRY_DELAY_MS, save_timeout_cb, self);
    }

  if (g_strcmp0 (self->text, self->saved_text) != 0)
    {
      if (self->error == NULL)
        docket_note_start_save (self);
    }
  else
    set_dirty (self, FALSE);

  g_free (data->text);
  g_object_unref (data->note);
  g_free (data);
}

static void
docket_note_start_save (DocketNote *self)
{
  SaveData *data;

  g_clear_handle_id (&self->save_source_id, g_source_remove);

  if (self->saving)
    return;   /* on_saved saves again if the text moved on meanwhile */

  if (g_strcmp0 (self->text, self->saved_text) == 0)
    {
      set_dirty (self, FALSE);
      return;
    }

  data = g_new0 (SaveData, 1);
  data->note = g_object_ref (self);
  data->text = g_strdup (self->text);
  self->saving = TRUE;
  docket_store_save_note_async (self->store, self->target, self->target_id, data->text,
                                NULL, on_saved, data);
}

static gboolean
save_timeout_cb (gpointer user_data)
{
  DocketNote *self = user_data;

  self->save_source_id = 0;
  docket_note_start_save (self);

  return G_SOURCE_REMOVE;
}

/* Object */

static void
docket_note_dispose (GObject *object)
{
  DocketNote *self = DOCKET_NOTE (object);

  /* A save in flight holds a reference, so none is under way here. An edit still
   * waiting for its pause is saved now, on this thread: losing the official's words is
   * worse than one short write while a window closes. */
  g_clear_handle_id (&self->save_source_id, g_source_remove);
  g_clear_handle_id (&self->reload_source_id, g_source_remove);
  if (self->store != NULL && self->text != NULL && g_strcmp0 (self->text, self->saved_text) != 0)
    {
      g_autoptr(GError) error = NULL;

      if (docket_store_save_note (self->store, self->target, self->target_id, self->text, &error))
        {
          g_free (self->saved_text);
          self->saved_text = g_strdup (self->text);
        }
      else
        g_warning ("Could not save a note: %s", error->message);
    }

  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  if (self->store != NULL)
    g_clear_signal_handler (&self->changed_id, self->store);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (docket_note_parent_class)->dispose (object);
}

static void
docket_note_finalize (GObject *object)
{
  DocketNote *self = DOCKET_NOTE (object);

  g_clear_pointer (&self->target_id, g_free);
  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->saved_text, g_free);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (docket_note_parent_class)->finalize (object);
}

static void
docket_note_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  DocketNote *self = DOCKET_NOTE (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      g_value_set_string (value, docket_note_get_text (self));
      break;
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    case PROP_HAS_TEXT:
      g_value_set_boolean (value, docket_note_get_has_text (self));
      break;
    case PROP_DIRTY:
      g_value_set_boolean (value, self->dirty);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_note_class_init (DocketNoteClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = docket_note_dispose;
  object_class->finalize = docket_note_finalize;
  object_class->get_property = docket_note_get_property;

  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, "",
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HAS_TEXT] =
    g_param_spec_boolean ("has-text", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DIRTY] =
    g_param_spec_boolean ("dirty", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Why the last load or save failed (a GError, in the official's words), NULL once one
   * succeeds; the note editor says it under the text. */
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
docket_note_init (DocketNote *self)
{
}

DocketNote *
docket_note_new (DocketStore      *store,
                 DocketNoteTarget  target,
                 const char       *target_id)
{
  DocketNote *self;

  g_return_val_if_fail (DOCKET_IS_STORE (store), NULL);
  g_return_val_if_fail (target_id != NULL, NULL);

  self = g_object_new (DOCKET_TYPE_NOTE, NULL);
  self->store = g_object_ref (store);
  self->target = target;
  self->target_id = g_strdup (target_id);
  self->changed_id = g_signal_connect_swapped (store, "changed",
                                               G_CALLBACK (on_store_changed), self);
  docket_note_load (self);

  return self;
}

DocketNoteTarget
docket_note_get_target (DocketNote *self)
{
  g_return_val_if_fail (DOCKET_IS_NOTE (self), DOCKET_NOTE_TARGET_AGENDA_ITEM);
  return self->target;
}

const char *
docket_note_get_target_id (DocketNote *self)
{
  g_return_val_if_fail (DOCKET_IS_NOTE (self), NULL);
  return self->target_id;
}

const char *
docket_note_get_text (DocketNote *self)
{
  g_return_val_if_fail (DOCKET_IS_NOTE (self), NULL);
  return self->text != NULL ? self->text : "";
}

gboolean
docket_note_get_loaded (DocketNote *self)
{
  g_return_val_if_fail (DOCKET_IS_NOTE (self), FALSE);
  return self->loaded;
}

gboolean
docket_note_get_has_text (DocketNote *self)
{
  g_return_val_if_fail (DOCKET_IS_NOTE (self), FALSE);
  return text_has_content (self->text);
}

gboolean
docket_note_get_dirty (DocketNote *self)
{
  g_return_val_if_fail (DOCKET_IS_NOTE (self), FALSE);
  return self->dirty;
}

void
docket_note_set_text (DocketNote *self,
                      const char *text)
{
  g_return_if_fail (DOCKET_IS_NOTE (self));
  g_return_if_fail (text != NULL);

  if (g_strcmp0 (docket_note_get_text (self), text) == 0)
    return;

  take_text (self, g_strdup (text));
  set_dirty (self, TRUE);

  g_clear_handle_id (&self->save_source_id, g_source_remove);
  self->save_source_id = g_timeout_add (SAVE_DELAY_MS, save_timeout_cb, self);
}

void
docket_note_save_now (DocketNote *self)
{
  g_return_if_fail (DOCKET_IS_NOTE (self));

  if (self->dirty)
    docket_note_start_save (self);
}

const GError *
docket_note_get_error (DocketNote *self)
{
  g_return_val_if_fail (DOCKET_IS_NOTE (self), NULL);
  return self->error;
}
