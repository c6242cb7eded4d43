/* docket-records.c: the protocol's entities as plain C records
 *
 * The enums and their names on the wire, new/copy/free of every record, and their
 * validation (docket_*_record_validate ()): the limits a reader checks after it has read
 * a record's JSON types, and that a server checks before it stores a record, so that it
 * never keeps what clients refuse to read. The live meeting's records (its state,
 * attendance, speech, the user) are in docket-records-live.c. Reading and writing JSON is
 * in the codecs, docket-codec-*.c, one per entity.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "docket-checks.h"
#include "docket-records.h"
#include "docket-records-private.h"

/* ---- enums ---------------------------------------------------------------------- */

/* The enums a later server may extend end with "unknown", the name of their UNKNOWN. */
static const char * const meeting_status_names[] = { "draft", "published", "closed", "unknown" };
static const char * const role_names[] = { "official", "secretary", "admin", "unknown" };
static const char * const meeting_role_names[] = { "member", "chair", "guest", "secretary", "unknown" };
static const char * const quorum_rule_names[] = { "majority", "two_thirds", "unknown" };
static const char * const change_type_names[] = {
  "meeting", "agenda_item", "document", "annotation", "note",
  "meeting_state", "attendance", "speech",
};

G_STATIC_ASSERT (G_N_ELEMENTS (meeting_status_names) == DOCKET_MEETING_STATUS_UNKNOWN + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (role_names) == DOCKET_ROLE_UNKNOWN + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (meeting_role_names) == DOCKET_MEETING_ROLE_UNKNOWN + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (quorum_rule_names) == DOCKET_QUORUM_UNKNOWN + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (change_type_names) == DOCKET_CHANGE_SPEECH + 1);

static gboolean
lookup_name (const char * const *names,
             guint               n_names,
             const char         *text,
             guint              *out_index)
{
  guint i;

  if (text == NULL)
    return FALSE;

  for (i = 0; i < n_names; i++)
    {
      if (g_str_equal (names[i], text))
        {
          *out_index = i;
          return TRUE;
        }
    }

  return FALSE;
}

/* The longest name a value of an enum may have on the wire. */
#define MAX_NAME_LENGTH 64

/* What a later version of the protocol could name a new value: [a-z0-9_]{1,64}. */
static gboolean
is_word (const char *text)
{
  gsize i;

  if (text == NULL || text[0] == '\0')
    return FALSE;

  for (i = 0; text[i] != '\0'; i++)
    {
      if (i >= MAX_NAME_LENGTH)
        return FALSE;
      if (!g_ascii_islower (text[i]) && !g_ascii_isdigit (text[i]) && text[i] != '_')
        return FALSE;
    }

  return TRUE;
}

/* A name it knows gives its index; another word gives the last index, the enum's
 * UNKNOWN (names[n_names - 1] is "unknown"); what is not a word gives FALSE. */
gboolean
docket_records_lookup_name_or_unknown (const char * const *names,
                                       guint               n_names,
                                       const char         *text,
                                       guint              *out_index)
{
  if (lookup_name (names, n_names, text, out_index))
    return TRUE;
  if (!is_word (text))
    return FALSE;

  *out_index = n_names - 1;
  return TRUE;
}

DOCKET_DEFINE_TOLERANT_NAMES (DocketMeetingStatus, docket_meeting_status, meeting_status_names)
DOCKET_DEFINE_TOLERANT_NAMES (DocketRole, docket_role, role_names)
DOCKET_DEFINE_TOLERANT_NAMES (DocketMeetingRole, docket_meeting_role, meeting_role_names)
DOCKET_DEFINE_TOLERANT_NAMES (DocketQuorumRule, docket_quorum_rule, quorum_rule_names)

static const char * const annotation_kind_names[] = {
  "highlight",
  "underline",
  "strikeout",
  "ink",
  "note",
  "rectangle",
};

static const char * const note_target_names[] = {
  "agenda_item",
  "document",
};

const char *
docket_annotation_kind_to_string (DocketAnnotationKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (annotation_kind_names), NULL);

  return annotation_kind_names[kind];
}

gboolean
docket_annotation_kind_from_string (const char           *text,
                                    DocketAnnotationKind *out_kind)
{
  guint index;

  if (!lookup_name (annotation_kind_names, G_N_ELEMENTS (annotation_kind_names), text, &index))
    return FALSE;
  if (out_kind != NULL)
    *out_kind = (DocketAnnotationKind) index;

  return TRUE;
}

const char *
docket_note_target_to_string (DocketNoteTarget target)
{
  g_return_val_if_fail ((guint) target < G_N_ELEMENTS (note_target_names), NULL);

  return note_target_names[target];
}

gboolean
docket_note_target_from_string (const char       *text,
                                DocketNoteTarget *out_target)
{
  guint index;

  if (!lookup_name (note_target_names, G_N_ELEMENTS (note_target_names), text, &index))
    return FALSE;
  if (out_target != NULL)
    *out_target = (DocketNoteTarget) index;

  return TRUE;
}

const char *
docket_change_type_to_string (DocketChangeType type)
{
  g_return_val_if_fail ((guint) type < G_N_ELEMENTS (change_type_names), NULL);

  return change_type_names[type];
}

gboolean
docket_change_type_from_string (const char       *text,
                                DocketChangeType *out_type)
{
  guint index;

  if (!lookup_name (change_type_names, G_N_ELEMENTS (change_type_names), text, &index))
    return FALSE;
  *out_type = (DocketChangeType) index;

  return TRUE;
}

/* ---- records: new, copy, free ------------------------------------------------ */

DocketParticipant *
docket_participant_new (const char *username,
                        const char *display_name,
                        DocketRole  role)
{
  DocketParticipant *participant = g_new0 (DocketParticipant, 1);

  participant->username = g_strdup (username);
  participant->display_name = g_strdup (display_name);
  participant->role = role;
  participant->meeting_role = DOCKET_MEETING_ROLE_MEMBER;

  return participant;
}

void
docket_participant_free (DocketParticipant *participant)
{
  if (participant == NULL)
    return;

  g_free (participant->username);
  g_free (participant->display_name);
  g_free (participant);
}

DocketMeetingRecord *
docket_meeting_record_new (void)
{
  DocketMeetingRecord *record = g_new0 (DocketMeetingRecord, 1);

  record->status = DOCKET_MEETING_STATUS_DRAFT;
  record->quorum = DOCKET_QUORUM_MAJORITY;
  record->participants = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_participant_free);

  return record;
}

DocketMeetingRecord *
docket_meeting_record_copy (const DocketMeetingRecord *record)
{
  DocketMeetingRecord *copy;
  guint i;

  if (record == NULL)
    return NULL;

  copy = docket_meeting_record_new ();
  copy->id = g_strdup (record->id);
  copy->title = g_strdup (record->title);
  copy->organ = g_strdup (record->organ);
  copy->starts_at = record->starts_at ? g_date_time_ref (record->starts_at) : NULL;
  copy->ends_at = record->ends_at ? g_date_time_ref (record->ends_at) : NULL;
  copy->time_zone = g_strdup (record->time_zone);
  copy->location = g_strdup (record->location);
  copy->status = record->status;
  copy->quorum = record->quorum;
  copy->version = record->version;

  for (i = 0; record->participants != NULL && i < record->participants->len; i++)
    {
      const DocketParticipant *p = g_ptr_array_index (record->participants, i);
      DocketParticipant *participant = docket_participant_new (p->username, p->display_name, p->role);

      participant->meeting_role = p->meeting_role;
      g_ptr_array_add (copy->participants, participant);
    }

  return copy;
}

void
docket_meeting_record_free (DocketMeetingRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->id);
  g_free (record->title);
  g_free (record->organ);
  g_clear_pointer (&record->starts_at, g_date_time_unref);
  g_clear_pointer (&record->ends_at, g_date_time_unref);
  g_free (record->time_zone);
  g_free (record->location);
  g_clear_pointer (&record->participants, g_ptr_array_unref);
  g_free (record);
}

DocketAgendaItemRecord *
docket_agenda_item_record_new (void)
{
  return g_new0 (DocketAgendaItemRecord, 1);
}

DocketAgendaItemRecord *
docket_agenda_item_record_copy (const DocketAgendaItemRecord *record)
{
  DocketAgendaItemRecord *copy;

  if (record == NULL)
    return NULL;

  copy = docket_agenda_item_record_new ();
  copy->id = g_strdup (record->id);
  copy->meeting_id = g_strdup (record->meeting_id);
  copy->parent_id = g_strdup (record->parent_id);
  copy->position = record->position;
  copy->number = g_strdup (record->number);
  copy->title = g_strdup (record->title);
  copy->presenter = g_strdup (record->presenter);
  copy->description = g_strdup (record->description);
  copy->version = record->version;

  return copy;
}

void
docket_agenda_item_record_free (DocketAgendaItemRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->id);
  g_free (record->meeting_id);
  g_free (record->parent_id);
  g_free (record->number);
  g_free (record->title);
  g_free (record->presenter);
  g_free (record->description);
  g_free (record);
}

DocketDocumentRecord *
docket_document_record_new (void)
{
  return g_new0 (DocketDocumentRecord, 1);
}

DocketDocumentRecord *
docket_document_record_copy (const DocketDocumentRecord *record)
{
  DocketDocumentRecord *copy;

  if (record == NULL)
    return NULL;

  copy = docket_document_record_new ();
  copy->id = g_strdup (record->id);
  copy->meeting_id = g_strdup (record->meeting_id);
  copy->item_id = g_strdup (record->item_id);
  copy->position = record->position;
  copy->title = g_strdup (record->title);
  copy->media_type = g_strdup (record->media_type);
  copy->sha256 = g_strdup (record->sha256);
  copy->size = record->size;
  copy->pages = record->pages;
  copy->version = record->version;

  return copy;
}

void
docket_document_record_free (DocketDocumentRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->id);
  g_free (record->meeting_id);
  g_free (record->item_id);
  g_free (record->title);
  g_free (record->media_type);
  g_free (record->sha256);
  g_free (record);
}

DocketAnnotationRecord *
docket_annotation_record_new (void)
{
  return g_new0 (DocketAnnotationRecord, 1);
}

DocketAnnotationRecord *
docket_annotation_record_copy (const DocketAnnotationRecord *record)
{
  DocketAnnotationRecord *copy;

  if (record == NULL)
    return NULL;

  copy = docket_annotation_record_new ();
  copy->id = g_strdup (record->id);
  copy->document_id = g_strdup (record->document_id);
  copy->page = record->page;
  copy->kind = record->kind;
  copy->color = g_strdup (record->color);
  copy->geometry = g_strdup (record->geometry);
  copy->contents = g_strdup (record->contents);
  copy->created_at = record->created_at;
  copy->updated_at = record->updated_at;
  copy->revision = record->revision;

  return copy;
}

void
docket_annotation_record_free (DocketAnnotationRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->id);
  g_free (record->document_id);
  g_free (record->color);
  g_free (record->geometry);
  g_free (record->contents);
  g_free (record);
}

DocketNoteRecord *
docket_note_record_new (void)
{
  return g_new0 (DocketNoteRecord, 1);
}

DocketNoteRecord *
docket_note_record_copy (const DocketNoteRecord *record)
{
  DocketNoteRecord *copy;

  if (record == NULL)
    return NULL;

  copy = docket_note_record_new ();
  copy->target = record->target;
  copy->target_id = g_strdup (record->target_id);
  copy->text = g_strdup (record->text);
  copy->updated_at = record->updated_at;
  copy->revision = record->revision;

  return copy;
}

void
docket_note_record_free (DocketNoteRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->target_id);
  g_free (record->text);
  g_free (record);
}

/* ---- changes ----------------------------------------------------------------------- */

static void
record_free (DocketChangeType type,
             gpointer         record)
{
  if (record == NULL)
    return;

  switch (type)
    {
    case DOCKET_CHANGE_MEETING:
      docket_meeting_record_free (record);
      break;
    case DOCKET_CHANGE_AGENDA_ITEM:
      docket_agenda_item_record_free (record);
      break;
    case DOCKET_CHANGE_DOCUMENT:
      docket_document_record_free (record);
      break;
    case DOCKET_CHANGE_ANNOTATION:
      docket_annotation_record_free (record);
      break;
    case DOCKET_CHANGE_NOTE:
      docket_note_record_free (record);
      break;
    case DOCKET_CHANGE_MEETING_STATE:
      docket_meeting_state_record_free (record);
      break;
    case DOCKET_CHANGE_ATTENDANCE:
      docket_attendance_record_free (record);
      break;
    case DOCKET_CHANGE_SPEECH:
      docket_speech_record_free (record);
      break;
    default:
      g_return_if_reached ();
    }
}

DocketChange *
docket_change_new (DocketChangeType  type,
                   const char       *id,
                   gboolean          deleted,
                   gpointer          record)
{
  DocketChange *change = g_new0 (DocketChange, 1);

  change->type = type;
  change->id = g_strdup (id);
  change->deleted = deleted;
  change->record = record;

  return change;
}

void
docket_change_free (DocketChange *change)
{
  if (change == NULL)
    return;

  record_free (change->type, change->record);
  g_free (change->id);
  g_free (change);
}

DocketChangesPage *
docket_changes_page_new (void)
{
  DocketChangesPage *page = g_new0 (DocketChangesPage, 1);

  page->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) docket_change_free);

  return page;
}

void
docket_changes_page_free (DocketChangesPage *page)
{
  if (page == NULL)
    return;

  g_free (page->cursor);
  g_clear_pointer (&page->changes, g_ptr_array_unref);
  g_free (page);
}

/* ---- validation -------------------------------------------------------------------- */

static gboolean
validate_participant (const DocketParticipant  *participant,
                      const char               *path,
                      GError                  **error)
{
  if (!docket_protocol_username_is_valid (participant->username))
    return docket_field_error (error, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE, path,
                               "username", _("not a valid user name"));
  /* UNKNOWN is a value a later server may send, kept as such: only what is no value of
   * the enum at all is refused. */
  if ((guint) participant->role > DOCKET_ROLE_UNKNOWN)
    return docket_field_error (error, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE, path,
                               "role", _("not one of official, secretary, admin"));
  if ((guint) participant->meeting_role > DOCKET_MEETING_ROLE_UNKNOWN)
    return docket_field_error (error, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE, path,
                               "meeting_role", _("not one of chair, member, guest, secretary"));
  return docket_check_text (participant->display_name, path, "display_name",
                            DOCKET_MAX_SHORT_TEXT_BYTES, TRUE, error);
}

static gboolean
validate_participants (GPtrArray   *participants,
                       const char  *prefix,
                       GError     **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  if (participants == NULL)
    return TRUE;
  if (!docket_check_count (participants->len, DOCKET_MAX_PARTICIPANTS, prefix, "participants", error))
    return FALSE;

  for (guint i = 0; i < participants->len; i++)
    {
      g_autofree char *path = g_strdup_printf ("%s.participants[%u]", prefix, i);
      DocketParticipant *participant = g_ptr_array_index (participants, i);

      if (!validate_participant (participant, path, error))
        return FALSE;
      /* A participant twice would be two rows with one key in the client's cache. */
      if (!g_hash_table_add (seen, participant->username))
        return docket_field_error (error, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE, path,
                                   "username", _("listed twice"));
    }

  return TRUE;
}

gboolean
docket_meeting_record_validate_at (const DocketMeetingRecord  *record,
                                   const char                 *prefix,
                                   GError                    **error)
{
  return docket_check_id (record->id, prefix, "id", error) &&
         docket_check_text (record->title, prefix, "title", DOCKET_MAX_TITLE_BYTES, FALSE, error) &&
         docket_check_text (record->organ, prefix, "organ", DOCKET_MAX_SHORT_TEXT_BYTES, TRUE, error) &&
         docket_check_time (record->starts_at, prefix, "starts_at", error) &&
         docket_check_time (record->ends_at, prefix, "ends_at", error) &&
         docket_check_text (record->time_zone, prefix, "time_zone", DOCKET_MAX_SHORT_TEXT_BYTES, FALSE,
                            error) &&
         docket_check_text (record->location, prefix, "location", DOCKET_MAX_SHORT_TEXT_BYTES, TRUE, error) &&
         ((guint) record->status <= DOCKET_MEETING_STATUS_UNKNOWN ||
          docket_field_error (error, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE, prefix,
                              "status", _("not one of draft, published, closed"))) &&
         ((guint) record->quorum <= DOCKET_QUORUM_UNKNOWN ||
          docket_field_error (error, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE, prefix,
                              "quorum", _("not one of majority, two_thirds"))) &&
         docket_check_integer (record->version, prefix, "version", 0, DOCKET_MAX_VERSION, error) &&
         validate_participants (record->participants, prefix, error);
}

gboolean
docket_meeting_record_validate (const DocketMeetingRecord  *record,
                                GError                    **error)
{
  g_return_val_if_fail (record != NULL, FALSE);

  return docket_meeting_record_validate_at (record, "meeting", error);
}

gboolean
docket_agenda_item_record_validate_at (const DocketAgendaItemRecord  *record,
                                       const char                    *prefix,
                                       GError                       **error)
{
  if (!docket_check_id (record->id, prefix, "id", error) ||
      !docket_check_id (record->meeting_id, prefix, "meeting_id", error) ||
      (record->parent_id != NULL && !docket_check_id (record->parent_id, prefix, "parent_id", error)) ||
      !docket_check_integer (record->position, prefix, "position", 0, DOCKET_MAX_POSITION, error) ||
      !docket_check_text (record->number, prefix, "number", DOCKET_MAX_NUMBER_BYTES, TRUE, error) ||
      !docket_check_text (record->title, prefix, "title", DOCKET_MAX_TITLE_BYTES, FALSE, error) ||
      !docket_check_text (record->presenter, prefix, "presenter", DOCKET_MAX_SHORT_TEXT_BYTES, TRUE, error) ||
      !docket_check_text (record->description, prefix, "description", DOCKET_MAX_DESCRIPTION_BYTES, TRUE,
                          error) ||
      !docket_check_integer (record->version, prefix, "version", 0, DOCKET_MAX_VERSION, error))
    return FALSE;

  /* An item that is its own parent would make the agenda tree a loop. */
  if (record->parent_id != NULL && g_str_equal (record->parent_id, record->id))
    return docket_field_error (error, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE, prefix,
                               "parent_id", _("the item itself"));

  return TRUE;
}

gboolean
docket_agenda_item_record_validate (const DocketAgendaItemRecord  *record,
                                    GError                       **error)
{
  g_return_val_if_fail (record != NULL, FALSE);

  return docket_agenda_item_record_validate_at (record, "agenda_item", error);
}

gboolean
docket_document_record_validate_at (const DocketDocumentRecord  *record,
                                    const char                  *prefix,
                                    GError                     **error)
{
  if (!docket_check_id (record->id, prefix, "id", error) ||
      !docket_check_id (record->meeting_id, prefix, "meeting_id", error) ||
      !docket_check_id (record->item_id, prefix, "item_id", error) ||
      !docket_check_integer (record->position, prefix, "position", 0, DOCKET_MAX_POSITION, error) ||
      !docket_check_text (record->title, prefix, "title", DOCKET_MAX_TITLE_BYTES, FALSE, error))
    return FALSE;

  if (g_strcmp0 (record->media_type, "application/pdf") != 0)
    return docket_field_error (error, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE, prefix,
                               "media_type", _("not application/pdf"));
  if (!docket_protocol_sha256_is_valid (record->sha256))
    return docket_field_error (error, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE, prefix,
                               "sha256", _("not 64 lowercase hexadecimal digits"));

  return docket_check_integer (record->size, prefix, "size", 0, DOCKET_MAX_DOCUMENT_BYTES, error) &&
         docket_check_integer (record->pages, prefix, "pages", 0, DOCKET_MAX_PAGES, error) &&
         docket_check_integer (record->version, prefix, "version", 0, DOCKET_MAX_VERSION, error);
}

gboolean
docket_document_record_validate (const DocketDocumentRecord  *record,
                                 GError                     **error)
{
  g_return_val_if_fail (record != NULL, FALSE);

  return docket_document_record_validate_at (record, "document", error);
}
