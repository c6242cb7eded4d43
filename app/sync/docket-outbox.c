/* docket-outbox.c: sends the official's waiting operations to the server, in order
 *
 * One operation at a time, the first of the queue each time: an operation folded into
 * by a later save while another was under way is read again with its new op_id and
 * state, so that nothing is sent from a stale copy. The store's reads and writes and the
 * parsing of answers run in worker threads; HTTP runs on the caller's main context.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "docket-api.h"
#include "docket-outbox.h"
#include "docket-sync.h"

/* The answer to a put carries the record back: as large as the request may be. */
#define ANSWER_MAX_BYTES (2 * DOCKET_MAX_JSON_REQUEST_BYTES)

/* An operation the server has failed this many times in a row (5xx, or an answer that
 * does not check) is held: the ones behind it, of other annotations and notes, go on
 * without it, and it is tried again at every push. A server that is down fails the
 * next operation too, which (not yet failing that often) ends the push: a push sends
 * at most MAX_HELD + 1 requests to a server in trouble. */
#define HOLD_AFTER_FAILURES 3
#define MAX_HELD 8
/* How far down the queue a push looks for an operation that is not held. */
#define LOOKAHEAD 64

typedef struct {
  DocketStore    *store;
  SoupSession    *session;
  char           *server_url;
  char           *token;
  DocketOutboxOp *op;             /* under way */
  guint           status;         /* its answer's, 0 when none came */
  GBytes         *body;
  GError         *transport_error;
  guint           n_requests;
  guint           n_done;
  GHashTable     *held;           /* entity keys (entity_key) held in this push */
  GError         *held_error;     /* the first held operation's failure */
  /* The last operation that waited when the push began (worker threads only): those
   * saved after it wait for the next push, so that an official annotating quickly
   * cannot keep one push going forever. */
  gint64          last_seq;
  gboolean        last_seq_known;
} Push;

static void
push_free (Push *push)
{
  g_clear_object (&push->store);
  g_clear_object (&push->session);
  g_free (push->server_url);
  g_free (push->token);
  g_clear_pointer (&push->op, docket_outbox_op_free);
  g_clear_pointer (&push->body, g_bytes_unref);
  g_clear_error (&push->transport_error);
  g_clear_pointer (&push->held, g_hash_table_unref);
  g_clear_error (&push->held_error);
  g_free (push);
}

static GError *
store_error (GError *error)
{
  return g_error_new (DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_STORE,
                      _("Your annotations and notes could not be saved after sending: %s"),
                      error->message);
}

static void push_next (GTask *task);

/* Annotations and notes have ids of their own kinds: what an operation is about. */
static char *
entity_key (const DocketOutboxOp *op)
{
  return g_strconcat (op->kind == DOCKET_OUTBOX_PUT_NOTE ? "note:" : "annotation:", op->entity_id, NULL);
}

/* ---- answers (worker thread) ------------------------------------------------------- */

/* "error: message" of an error body, for the record of a refusal. */
static char *
refusal_reason (guint   status,
                GBytes *body)
{
  g_autoptr(JsonNode) root = NULL;
  const char *code = NULL;
  const char *message = NULL;
  gsize len = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &len) : NULL;

  if (data != NULL && len > 0)
    root = docket_protocol_parse_json (data, (gssize) len, DOCKET_API_SMALL_JSON_BYTES, NULL);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *object = json_node_get_object (root);
      JsonNode *node;

      if ((node = json_object_get_member (object, "error")) != NULL &&
          JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
          docket_protocol_text_is_valid (json_node_get_string (node), DOCKET_MAX_ERROR_CODE_BYTES))
        code = json_node_get_string (node);
      if ((node = json_object_get_member (object, "message")) != NULL &&
          JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
          docket_protocol_text_is_valid (json_node_get_string (node), DOCKET_MAX_ERROR_MESSAGE_BYTES))
        message = json_node_get_string (node);
    }

  return g_strdup_printf ("HTTP %u%s%s%s%s", status,
                          code ? " " : "", code ? code : "",
                          message ? ": " : "", message ? message : "");
}

/* The member of the answer's object, for the record's reader. */
static JsonNode *
answer_member (JsonNode   *root,
               const char *name)
{
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_object_get_member (json_node_get_object (root), name);
}

static gboolean
apply_put_annotation (Push      *push,
                      JsonNode  *root,
                      GError   **error)
{
  g_autoptr(DocketAnnotationRecord) answer = NULL;
  g_autoptr(GError) local_error = NULL;

  answer = docket_annotation_record_from_json (answer_member (root, "annotation"), &local_error);
  if (answer == NULL)
    {
      g_propagate_error (error, docket_api_protocol_error (local_error->message));
      return FALSE;
    }
  if (!g_str_equal (answer->id, push->op->entity_id) || answer->revision == 0)
    {
      g_propagate_error (error, docket_api_protocol_error (_("the answer to a saved annotation is about another one")));
      return FALSE;
    }

  if (!docket_store_outbox_done_put_annotation (push->store, push->op->op_id, answer, &local_error))
    {
      g_propagate_error (error, store_error (local_error));
      return FALSE;
    }
  return TRUE;
}

static gboolean
apply_delete_annotation (Push      *push,
                         JsonNode  *root,
                         GError   **error)
{
  g_autoptr(GError) local_error = NULL;
  JsonNode *id = answer_member (root, "id");
  JsonNode *deleted = answer_member (root, "deleted");

  if (id == NULL || !JSON_NODE_HOLDS_VALUE (id) || json_node_get_value_type (id) != G_TYPE_STRING ||
      g_strcmp0 (json_node_get_string (id), push->op->entity_id) != 0 ||
      deleted == NULL || !JSON_NODE_HOLDS_VALUE (deleted) ||
      json_node_get_value_type (deleted) != G_TYPE_BOOLEAN || !json_node_get_boolean (deleted))
    {
      g_propagate_error (error, docket_api_protocol_error (_("the answer to a deleted annotation is not about it")));
      return FALSE;
    }

  if (!docket_store_outbox_done_delete_annotation (push->store, push->op->op_id,
                                                   push->op->entity_id, &local_error))
    {
      g_propagate_error (error, store_error (local_error));
      return FALSE;
    }
  return TRUE;
}

static gboolean
apply_put_note (Push      *push,
                JsonNode  *root,
                GError   **error)
{
  g_autoptr(DocketNoteRecord) answer = NULL;
  g_autoptr(GError) local_error = NULL;

  answer = docket_note_record_from_json (answer_member (root, "note"), &local_error);
  if (answer == NULL)
    {
      g_propagate_error (error, docket_api_protocol_error (local_error->message));
      return FALSE;
    }
  if (answer->target != push->op->note_target ||
      !g_str_equal (answer->target_id, push->op->entity_id) || answer->revision == 0)
    {
      g_propagate_error (error, docket_api_protocol_error (_("the answer to a saved note is about another one")));
      return FALSE;
    }

  if (!docket_store_outbox_done_put_note (push->store, push->op->op_id, answer, &local_error))
    {
      g_propagate_error (error, store_error (local_error));
      return FALSE;
    }
  return TRUE;
}

/* A success answer: checked whole before the store sees any of it. */
static gboolean
apply_success (Push    *push,
               GError **error)
{
  g_autoptr(JsonNode) root = NULL;
  gboolean expected;

  expected = push->status == 200 ||
             (push->status == 201 && push->op->kind == DOCKET_OUTBOX_PUT_ANNOTATION);
  if (!expected)
    {
      g_propagate_error (error, docket_api_status_error (push->status));
      return FALSE;
    }

  root = docket_api_parse_json (push->body, ANSWER_MAX_BYTES, error);
  if (root == NULL)
    return FALSE;

  switch (push->op->kind)
    {
    case DOCKET_OUTBOX_PUT_ANNOTATION:
      return apply_put_annotation (push, root, error);
    case DOCKET_OUTBOX_DELETE_ANNOTATION:
      return apply_delete_annotation (push, root, error);
    case DOCKET_OUTBOX_PUT_NOTE:
      return apply_put_note (push, root, error);
    default:
      g_return_val_if_reached (FALSE);
    }
}

/* A failure that may pass: counted on the operation, which stays first. */
static void
record_failure (Push         *push,
                const GError *error)
{
  g_autoptr(GError) local_error = NULL;

  if (!docket_store_outbox_failed (push->store, push->op->op_id, error->message, &local_error))
    g_debug ("outbox: cannot record a failure: %s", local_error->message);
}

static gboolean
refuse (Push      *push,
        gboolean   gone,
        GError   **error)
{
  g_autofree char *reason = refusal_reason (push->status, push->body);
  g_autoptr(GError) local_error = NULL;

  if (!docket_store_outbox_refused (push->store, push->op, push->status, reason, gone, &local_error))
    {
      g_propagate_error (error, store_error (local_error));
      return FALSE;
    }
  return TRUE;
}

static void
apply_answer_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  Push *push = task_data;
  guint status = push->status;
  GError *error = NULL;

  if (status == 0)
    {
      /* No answer: the network or the server is out of reach. */
      error = g_error_copy (push->transport_error);
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        record_failure (push, error);
    }
  else if (status >= 200 && status < 300)
    {
      if (apply_success (push, &error))
        {
          g_task_return_boolean (task, TRUE);
          return;
        }
      /* A broken answer changed nothing: the operation stays, and goes again. */
      record_failure (push, error);
    }
  else if (status == SOUP_STATUS_UNAUTHORIZED)
    error = docket_api_status_error (status);
  else if (status == SOUP_STATUS_REQUEST_TIMEOUT || status == 429 /* Too Many Requests */ ||
           status >= 500)
    {
      error = status >= 500
              ? docket_api_status_error (status)
              : g_error_new (DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_SERVER,
                             _("The server is busy (HTTP error %u). Docket will try again."), status);
      record_failure (push, error);
    }
  else if (status >= 400 && status < 500)
    {
      gboolean gone = status == SOUP_STATUS_GONE && push->op->kind != DOCKET_OUTBOX_PUT_NOTE;

      if (refuse (push, gone, &error))
        {
          g_task_return_boolean (task, TRUE);
          return;
        }
    }
  else
    {
      error = docket_api_status_error (status);
      record_failure (push, error);
    }

  g_task_return_error (task, error);
}

/* ---- the queue (main context) ------------------------------------------------------ */

/* Whether the operation that just failed with error is held, the push going on without
 * it (see HOLD_AFTER_FAILURES); takes error if so. Only what the server failed on (5xx,
 * an answer that does not check), never the network, a sign-in, a busy server. */
static gboolean
hold (Push   *push,
      GError *error)
{
  gboolean server_failed = push->status >= 500 || (push->status >= 200 && push->status < 300);

  if (!server_failed || (!g_error_matches (error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_SERVER) &&
                         !g_error_matches (error, DOCKET_SYNC_ERROR, DOCKET_SYNC_ERROR_PROTOCOL)))
    return FALSE;
  /* push->op->attempts counts the failures before this one. */
  if (push->op->attempts + 1 < HOLD_AFTER_FAILURES || g_hash_table_size (push->held) >= MAX_HELD)
    return FALSE;

  g_message ("outbox: operation %s on %s failed %u times in a row (%s): the ones behind it go on without it",
             push->op->op_id, push->op->entity_id, push->op->attempts + 1, error->message);
  g_hash_table_add (push->held, entity_key (push->op));
  if (push->held_error == NULL)
    push->held_error = error;
  else
    g_error_free (error);
  return TRUE;
}

static void
answer_applied_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Push *push = g_task_get_task_data (task);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!hold (push, error))
        {
          g_task_return_error (task, error);
          return;
        }
    }

  g_clear_pointer (&push->op, docket_outbox_op_free);
  g_clear_pointer (&push->body, g_bytes_unref);
  push->status = 0;

  if (++push->n_done >= DOCKET_OUTBOX_MAX_PER_PUSH)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  push_next (g_steal_pointer (&task));
}

static void
answered_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GTask) apply = NULL;
  Push *push = g_task_get_task_data (task);
  guint status = 0;

  if (docket_api_call_finish (result, &status, &push->body, &push->transport_error) != NULL)
    push->status = status;

  apply = g_task_new (NULL, NULL, answer_applied_cb, g_steal_pointer (&task));
  g_task_set_source_tag (apply, answered_cb);
  /* The push outlives this task: it is the outer task's data. */
  g_task_set_task_data (apply, push, NULL);
  g_task_run_in_thread (apply, apply_answer_thread);
}

/* A put's body: the record as saved, under its name, with the op_id. Both are JSON the
 * store wrote (the record checked by the codec, the op_id a UUID). */
static GBytes *
put_body (const char *op_id,
          const char *member,
          const char *record_json)
{
  char *text = g_strdup_printf ("{\"op_id\":\"%s\",\"%s\":%s}", op_id, member, record_json);

  return g_bytes_new_take (text, strlen (text));
}

static void
send_op (GTask *task)
{
  Push *push = g_task_get_task_data (task);
  DocketOutboxOp *op = push->op;
  g_autofree char *path = NULL;
  g_autoptr(GBytes) body = NULL;
  const char *method;

  switch (op->kind)
    {
    case DOCKET_OUTBOX_PUT_ANNOTATION:
      method = "PUT";
      path = g_strconcat (DOCKET_API_PREFIX "/annotations/", op->entity_id, NULL);
      body = put_body (op->op_id, "annotation", op->body);
      break;
    case DOCKET_OUTBOX_DELETE_ANNOTATION:
      method = "DELETE";
      path = g_strconcat (DOCKET_API_PREFIX "/annotations/", op->entity_id, "?op_id=", op->op_id, NULL);
      break;
    case DOCKET_OUTBOX_PUT_NOTE:
      method = "PUT";
      path = g_strconcat (DOCKET_API_PREFIX "/notes/", docket_note_target_to_string (op->note_target),
                          "/", op->entity_id, NULL);
      body = put_body (op->op_id, "note", op->body);
      break;
    default:
      g_return_if_reached ();
    }

  push->n_requests++;
  docket_api_call_async (push->session, NULL, push->server_url, method, path, body, push->token,
                         ANSWER_MAX_BYTES, g_task_get_cancellable (task), answered_cb, task);
}

/* The seq of the last operation this push may send: the last of those waiting now,
 * within the DOCKET_OUTBOX_MAX_PER_PUSH first (a push sends no more anyway). Folds keep
 * their operation's seq: a change folded into one that waited still goes with it. */
static gboolean
find_last_seq (Push    *push,
               GError **error)
{
  if (!docket_store_outbox_last_seq (push->store, DOCKET_OUTBOX_MAX_PER_PUSH, &push->last_seq, error))
    return FALSE;

  push->last_seq_known = TRUE;
  return TRUE;
}

static void
list_head_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  Push *push = task_data;
  g_autoptr(GPtrArray) ops = NULL;
  GError *error = NULL;

  if (!push->last_seq_known && !find_last_seq (push, &error))
    {
      g_task_return_error (task, store_error (error));
      g_error_free (error);
      return;
    }

  /* The first operation not held, nor behind one of the same annotation or note: each
   * one's operations keep their order. (push->held changes on the main context only,
   * between these reads.) */
  ops = docket_store_list_outbox (push->store, g_hash_table_size (push->held) > 0 ? LOOKAHEAD : 1, &error);
  if (ops == NULL)
    {
      g_task_return_error (task, store_error (error));
      g_error_free (error);
      return;
    }

  for (guint i = 0; i < ops->len; i++)
    {
      DocketOutboxOp *op = g_ptr_array_index (ops, i);
      g_autofree char *key = NULL;

      /* In the order of seq: the rest came after the push began. */
      if (op->seq > push->last_seq)
        break;

      key = entity_key (op);
      if (!g_hash_table_contains (push->held, key))
        {
          g_task_return_pointer (task, g_ptr_array_steal_index (ops, i), (GDestroyNotify) docket_outbox_op_free);
          return;
        }
    }
  g_task_return_pointer (task, NULL, (GDestroyNotify) docket_outbox_op_free);
}

/* Ids went through the codec when they were saved; one that is not an id (a damaged
 * profile) must not become a path. */
static gboolean
op_is_sendable (const DocketOutboxOp *op)
{
  return docket_protocol_id_is_valid (op->entity_id) && docket_protocol_id_is_valid (op->op_id) &&
         (op->kind == DOCKET_OUTBOX_DELETE_ANNOTATION || op->body != NULL);
}

static void
head_listed_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GTask) drop = NULL;
  Push *push = g_task_get_task_data (task);
  GError *error = NULL;

  push->op = g_task_propagate_pointer (G_TASK (result), &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (push->op == NULL)
    {
      /* Sent, all but what is held. */
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  if (!op_is_sendable (push->op))
    {
      /* Refused here, as the server would: recorded, and the queue goes on. */
      push->status = 400;
      drop = g_task_new (NULL, NULL, answer_applied_cb, g_steal_pointer (&task));
      g_task_set_task_data (drop, push, NULL);
      g_task_run_in_thread (drop, apply_answer_thread);
      return;
    }

  send_op (g_steal_pointer (&task));
}

static void
push_next (GTask *task)
{
  Push *push = g_task_get_task_data (task);
  g_autoptr(GTask) list = g_task_new (NULL, NULL, head_listed_cb, task);

  g_task_set_source_tag (list, push_next);
  g_task_set_task_data (list, push, NULL);
  g_task_run_in_thread (list, list_head_thread);
}

void
docket_outbox_push_async (DocketStore         *store,
                          SoupSession         *session,
                          const char          *server_url,
                          const char          *token,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Push *push = g_new0 (Push, 1);

  g_return_if_fail (DOCKET_IS_STORE (store));
  g_return_if_fail (SOUP_IS_SESSION (session));

  push->store = g_object_ref (store);
  push->session = g_object_ref (session);
  push->server_url = g_strdup (server_url);
  push->token = g_strdup (token);
  push->held = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_task_set_source_tag (task, docket_outbox_push_async);
  g_task_set_task_data (task, push, (GDestroyNotify) push_free);

  push_next (task);
}

gboolean
docket_outbox_push_finish (GAsyncResult  *result,
                           guint         *out_n_requests,
                           GError       **out_held,
                           GError       **error)
{
  Push *push;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  push = g_task_get_task_data (G_TASK (result));
  if (out_n_requests != NULL)
    *out_n_requests = push->n_requests;
  if (push->held_error != NULL)
    g_propagate_error (out_held, g_steal_pointer (&push->held_error));

  return g_task_propagate_boolean (G_TASK (result), error);
}
