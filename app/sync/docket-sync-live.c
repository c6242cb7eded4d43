/* docket-sync-live.c: what an official does in a live meeting, sent to the server at once
 *
 * Starting and ending the meeting, its current item, the page presented, the speaking
 * time, checking in and out, asking for the floor and giving it (docs/protocol.md, "The
 * live meeting"). Unlike annotations and notes, none of it waits in the outbox: it means
 * something only now, so each request goes out at once, on the engine's API requests
 * (never behind a run), and a failure comes back to the person who tried, in words they
 * understand: the server's reason (in their language when it is one this version
 * knows), or why the server could not be asked. What the server accepted reaches the
 * store the way everything else does, through the change feed: a success asks for a
 * pull, so that this client shows it as every other one does.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "docket-api.h"
#include "docket-credentials.h"
#include "docket-sync-private.h"

/* One request of the live meeting. */
typedef struct {
  char   *method;
  char   *path;
  GBytes *body;
  char   *server_url;   /* the account it was started for */
  char   *username;
} LiveAction;

static void
live_action_free (LiveAction *action)
{
  g_free (action->method);
  g_free (action->path);
  g_clear_pointer (&action->body, g_bytes_unref);
  g_free (action->server_url);
  g_free (action->username);
  g_free (action);
}

/* The body of a request: the object builder holds, as JSON. */
static GBytes *
builder_to_bytes (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  char *json = json_to_string (root, FALSE);

  return g_bytes_new_take (json, strlen (json));
}

/* "The meeting has ended." and "the meeting has ended" say the same: lowercase, without
 * the spaces and the full stop around it. */
static char *
fold_reason (const char *message)
{
  char *folded = g_ascii_strdown (message, -1);
  gsize len;

  g_strstrip (folded);
  len = strlen (folded);
  if (len > 0 && folded[len - 1] == '.')
    folded[len - 1] = '\0';
  return folded;
}

/* The role in "... takes part in this meeting as a guest", in the official's words. */
static const char *
translate_role_phrase (const char *phrase)
{
  if (g_str_equal (phrase, "its chair"))
    return _("its chair");
  if (g_str_equal (phrase, "a member"))
    return _("a member");
  if (g_str_equal (phrase, "a guest"))
    return _("a guest");
  if (g_str_equal (phrase, "its secretary"))
    return _("its secretary");
  return NULL;
}

/* "You take part in this meeting as a guest", "daibieu3 takes part in this meeting as a
 * guest": who, and in which role. NULL when message is not one of these. */
static char *
translate_takes_part (const char *folded)
{
  static const char you[] = "you take part in this meeting as ";
  static const char other[] = " takes part in this meeting as ";
  const char *at = strstr (folded, other);
  const char *role;

  if (g_str_has_prefix (folded, you) && (role = translate_role_phrase (folded + strlen (you))) != NULL)
    /* Translators: %s is "a guest", "a member", "its chair" or "its secretary". */
    return g_strdup_printf (_("You take part in this meeting as %s."), role);

  if (at != NULL && at > folded && (role = translate_role_phrase (at + strlen (other))) != NULL)
    {
      /* A user name is lowercase: the folded copy holds it as the server wrote it. */
      g_autofree char *who = g_strndup (folded, at - folded);

      if (!docket_protocol_username_is_valid (who))
        return NULL;
      /* Translators: the first %s is a user name, the second "a guest", "a member"... */
      return g_strdup_printf (_("%s takes part in this meeting as %s."), who, role);
    }

  return NULL;
}

/* The server's reasons that this version knows, in the words the reference server
 * writes them (before its own translation), and how the official reads them here. A
 * reason it does not know is shown as the server wrote it. */
static char *
translate_known_reason (const char *message)
{
  static const struct {
    const char *server;
    const char *ours;
  } reasons[] = {
    { "only the chair or the meeting's secretary runs the meeting",
      N_("Only the chair or the meeting’s secretary can run the meeting.") },
    { "only the chair or the meeting's secretary checks others in or out",
      N_("Only the chair or the meeting’s secretary can check others in or out.") },
    { "only the chair or the meeting's secretary gives the floor",
      N_("Only the chair or the meeting’s secretary can give the floor.") },
    { "only the meeting's participants ask for the floor",
      N_("Only the meeting’s participants can ask for the floor.") },
    { "you do not take part in this meeting", N_("You do not take part in this meeting.") },
    { "the meeting has ended", N_("The meeting has ended.") },
    { "the meeting has not started", N_("The meeting has not started yet.") },
    { "the meeting is not published", N_("The meeting is not published.") },
    { "the meeting is closed", N_("The meeting is closed.") },
    { "the meeting has started already: it cannot go back",
      N_("The meeting has started already; it cannot go back.") },
    { "you have asked for the floor already", N_("You have asked for the floor already.") },
    { "this speech is over", N_("This speech is over.") },
    { "this speech is under way already", N_("This speech is under way already.") },
  };
  g_autofree char *folded = NULL;

  if (message == NULL)
    return NULL;

  folded = fold_reason (message);
  for (guint i = 0; i < G_N_ELEMENTS (reasons); i++)
    if (strcmp (folded, reasons[i].server) == 0)
      return g_strdup (_(reasons[i].ours));

  return translate_takes_part (folded);
}

/* What to tell the official when the server said no (or failed): the reason it gave,
 * else a sentence for the kind of refusal. */
static GError *
refusal_error (guint   status,
               GBytes *body)
{
  g_autofree char *message = NULL;
  g_autofree char *known = NULL;

  if (status == SOUP_STATUS_UNAUTHORIZED || (status >= 500 && status < 600))
    return docket_api_status_error (status);

  message = docket_api_error_message_from_body (body);
  known = translate_known_reason (message);
  if (known != NULL)
    return g_error_new_literal (DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_REFUSED, known);
  if (message != NULL && message[0] != '\0')
    return g_error_new (DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_REFUSED,
                        _("The server refused: %s"), message);

  switch (status)
    {
    case SOUP_STATUS_FORBIDDEN:
      return g_error_new_literal (DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_REFUSED,
                                  _("You may not do this in this meeting."));
    case SOUP_STATUS_NOT_FOUND:
      return g_error_new_literal (DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_REFUSED,
                                  _("This meeting, or what you chose in it, is no longer "
                                    "available to you."));
    case SOUP_STATUS_CONFLICT:
      return g_error_new_literal (DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_REFUSED,
                                  _("The meeting is not at a stage that allows this."));
    default:
      if (status >= 400 && status < 500)
        return g_error_new (DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_REFUSED,
                            _("The server refused this (HTTP error %u)."), status);
      return docket_api_status_error (status);
    }
}

/* Whether the engine is still signed in to the account action was started for. */
static gboolean
action_account_is_current (DocketSync       *self,
                           const LiveAction *action)
{
  return self->signed_in &&
         g_strcmp0 (self->server_url, action->server_url) == 0 &&
         g_strcmp0 (self->username, action->username) == 0;
}

static void
pulled_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* The pull's outcome is the engine's to show (its state and error-message); the action
   * itself has succeeded. */
  if (!docket_sync_pull_finish (DOCKET_SYNC (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("sync: the pull after a live action failed: %s", error->message);
}

static void
action_answered_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DocketSync *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  guint status = 0;

  if (docket_api_call_finish (result, &status, &body, &error) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (status != SOUP_STATUS_OK && status != SOUP_STATUS_CREATED)
    {
      GError *refusal = refusal_error (status, body);

      /* The token is dead: like a 401 of the feed, the engine signs out before the
       * official hears of it, so that the window offers the sign-in at once (it would
       * otherwise say "signed in" until the next pull). Not for an account the engine
       * has left meanwhile: that one's token is not the engine's any more. */
      if (status == SOUP_STATUS_UNAUTHORIZED &&
          action_account_is_current (self, g_task_get_task_data (task)))
        _docket_sync_token_refused (self, refusal->message);
      g_task_return_error (task, refusal);
      return;
    }

  /* The answer holds the new record, but the store takes records from the feed only:
   * this client then shows what every other one shows, in the feed's order. An answer
   * that arrives after a sign-out or a switch of account asks nothing of the account
   * that holds the engine now. */
  if (action_account_is_current (self, g_task_get_task_data (task)))
    docket_sync_pull_async (self, NULL, pulled_cb, NULL);
  g_task_return_boolean (task, TRUE);
}

static void
action_send (GTask *task)
{
  DocketSync *self = g_task_get_source_object (task);
  LiveAction *action = g_task_get_task_data (task);

  _docket_sync_http_call_async (self, self->server_url, action->method, action->path, action->body,
                                TRUE, DOCKET_API_SMALL_JSON_BYTES, g_task_get_cancellable (task),
                                action_answered_cb, task);
}

static void
action_token_found_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DocketSync *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  char *token = docket_credentials_lookup_finish (result, &error);

  if (token == NULL)
    {
      if (error == NULL)
        error = g_error_new_literal (DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_SIGNED_OUT,
                                     _("Docket has no sign-in for this account any more. "
                                       "Sign in again."));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The official signed out, or switched to another account, while the keyring was
   * read: this token is the old account's, and must neither become the engine's nor go
   * to another server with an action meant for the old one. */
  if (!action_account_is_current (self, g_task_get_task_data (task)))
    {
      memset (token, 0, strlen (token));
      g_free (token);
      g_task_return_new_error (task, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_SIGNED_OUT,
                               _("Docket signed out of the account this was for before it "
                                 "could be sent, so it was not sent."));
      return;
    }

  /* A run may have read it meanwhile, and lent it to its downloads: keep that one. */
  if (self->token == NULL)
    self->token = token;
  else
    {
      memset (token, 0, strlen (token));
      g_free (token);
    }

  action_send (g_steal_pointer (&task));
}

/* Sends action at once, or says why it cannot be sent. Takes action. */
static void
action_start (DocketSync          *self,
              LiveAction          *action,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, docket_sync_live_action_finish);
  g_task_set_task_data (task, action, (GDestroyNotify) live_action_free);

  if (self->server_url == NULL || self->username == NULL || !self->signed_in)
    {
      g_task_return_new_error (task, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_SIGNED_OUT,
                               _("Docket is not signed in. Sign in first."));
      return;
    }
  action->server_url = g_strdup (self->server_url);
  action->username = g_strdup (self->username);

  if (!_docket_sync_server_url_is_loopback (self->server_url) &&
      !g_network_monitor_get_network_available (self->monitor))
    {
      g_task_return_new_error (task, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_OFFLINE,
                               _("You are offline, so this could not reach the meeting. "
                                 "Try again when the network is back."));
      return;
    }

  if (self->token != NULL)
    action_send (g_steal_pointer (&task));
  else
    docket_credentials_lookup_async (docket_store_get_profile_dir (self->store),
                                     self->server_url, self->username, cancellable,
                                     action_token_found_cb, g_steal_pointer (&task));
}

static LiveAction *
live_action_new (const char  *method,
                 char        *path,
                 JsonBuilder *body)
{
  LiveAction *action = g_new0 (LiveAction, 1);

  action->method = g_strdup (method);
  action->path = path;
  action->body = builder_to_bytes (body);
  return action;
}

/* PATCH /api/v1/meetings/{id}/state with the one member builder holds. */
static void
patch_state (DocketSync          *self,
             const char          *meeting_id,
             JsonBuilder         *builder,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  action_start (self,
                live_action_new ("PATCH",
                                 g_strdup_printf (DOCKET_API_PREFIX "/meetings/%s/state", meeting_id),
                                 builder),
                cancellable, callback, user_data);
}

void
docket_sync_set_meeting_phase_async (DocketSync          *self,
                                     const char          *meeting_id,
                                     DocketMeetingPhase   phase,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_if_fail (DOCKET_IS_SYNC (self));
  g_return_if_fail (docket_protocol_id_is_valid (meeting_id));
  g_return_if_fail (phase != DOCKET_MEETING_PHASE_UNKNOWN);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "phase");
  json_builder_add_string_value (builder, docket_meeting_phase_to_string (phase));
  json_builder_end_object (builder);

  patch_state (self, meeting_id, builder, cancellable, callback, user_data);
}

void
docket_sync_set_current_item_async (DocketSync          *self,
                                    const char          *meeting_id,
                                    const char          *item_id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_if_fail (DOCKET_IS_SYNC (self));
  g_return_if_fail (docket_protocol_id_is_valid (meeting_id));
  g_return_if_fail (item_id == NULL || docket_protocol_id_is_valid (item_id));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "current_item_id");
  if (item_id != NULL)
    json_builder_add_string_value (builder, item_id);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  patch_state (self, meeting_id, builder, cancellable, callback, user_data);
}

void
docket_sync_present_async (DocketSync          *self,
                           const char          *meeting_id,
                           const char          *document_id,
                           int                  page,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_if_fail (DOCKET_IS_SYNC (self));
  g_return_if_fail (docket_protocol_id_is_valid (meeting_id));
  g_return_if_fail (document_id == NULL || docket_protocol_id_is_valid (document_id));
  g_return_if_fail (page >= 0);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "presentation");
  if (document_id != NULL)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "document_id");
      json_builder_add_string_value (builder, document_id);
      json_builder_set_member_name (builder, "page");
      json_builder_add_int_value (builder, page);
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  patch_state (self, meeting_id, builder, cancellable, callback, user_data);
}

void
docket_sync_set_speech_limit_async (DocketSync          *self,
                                    const char          *meeting_id,
                                    int                  seconds,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_if_fail (DOCKET_IS_SYNC (self));
  g_return_if_fail (docket_protocol_id_is_valid (meeting_id));
  g_return_if_fail (seconds >= 0 && seconds <= DOCKET_MAX_SPEECH_LIMIT_SECONDS);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "speech_limit_seconds");
  json_builder_add_int_value (builder, seconds);
  json_builder_end_object (builder);

  patch_state (self, meeting_id, builder, cancellable, callback, user_data);
}

void
docket_sync_set_presence_full_async (DocketSync          *self,
                                     const char          *meeting_id,
                                     const char          *username,
                                     DocketPresence       presence,
                                     DocketMeetingRole    as_role,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const char *who;

  g_return_if_fail (DOCKET_IS_SYNC (self));
  g_return_if_fail (docket_protocol_id_is_valid (meeting_id));
  g_return_if_fail (username == NULL || docket_protocol_username_is_valid (username));
  g_return_if_fail (presence != DOCKET_PRESENCE_UNKNOWN);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "presence");
  json_builder_add_string_value (builder, docket_presence_to_string (presence));
  if (as_role != DOCKET_MEETING_ROLE_UNKNOWN)
    {
      json_builder_set_member_name (builder, "meeting_role");
      json_builder_add_string_value (builder, docket_meeting_role_to_string (as_role));
    }
  json_builder_end_object (builder);

  /* Not signed in, the request is refused before its path is needed. */
  who = username != NULL ? username : (self->username != NULL ? self->username : "");
  action_start (self,
                live_action_new ("PUT",
                                 g_strdup_printf (DOCKET_API_PREFIX "/meetings/%s/attendance/%s",
                                                  meeting_id, who),
                                 builder),
                cancellable, callback, user_data);
}

void
docket_sync_set_presence_async (DocketSync          *self,
                                const char          *meeting_id,
                                const char          *username,
                                DocketPresence       presence,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  docket_sync_set_presence_full_async (self, meeting_id, username, presence,
                                       DOCKET_MEETING_ROLE_UNKNOWN, cancellable, callback, user_data);
}

void
docket_sync_request_floor_async (DocketSync          *self,
                                 const char          *meeting_id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_if_fail (DOCKET_IS_SYNC (self));
  g_return_if_fail (docket_protocol_id_is_valid (meeting_id));

  json_builder_begin_object (builder);
  json_builder_end_object (builder);

  action_start (self,
                live_action_new ("POST",
                                 g_strdup_printf (DOCKET_API_PREFIX "/meetings/%s/speeches", meeting_id),
                                 builder),
                cancellable, callback, user_data);
}

void
docket_sync_set_speech_state_async (DocketSync          *self,
                                    const char          *speech_id,
                                    DocketSpeechState    state,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_if_fail (DOCKET_IS_SYNC (self));
  g_return_if_fail (docket_protocol_id_is_valid (speech_id));
  g_return_if_fail (state != DOCKET_SPEECH_UNKNOWN);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, docket_speech_state_to_string (state));
  json_builder_end_object (builder);

  action_start (self,
                live_action_new ("PATCH",
                                 g_strdup_printf (DOCKET_API_PREFIX "/speeches/%s", speech_id),
                                 builder),
                cancellable, callback, user_data);
}

gboolean
docket_sync_live_action_finish (DocketSync    *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == docket_sync_live_action_finish, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
