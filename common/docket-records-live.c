/* docket-records-live.c: the live meeting's records as plain C records
 *
 * The meeting's state, attendance, the speakers' list and the signed-in user: their enums
 * and names on the wire, new/copy/free, and their validation
 * (docket_*_record_validate ()), as docket-records.c does for the meeting's documents.
 * Reading and writing JSON is in the codecs, docket-codec-*.c, one per entity.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "docket-checks.h"
#include "docket-records.h"
#include "docket-records-private.h"

/* ---- the live meeting's enums ------------------------------------------------------ */

/* A later server may extend them: each ends with "unknown", the name of its UNKNOWN. */
static const char * const meeting_phase_names[] = { "not_started", "in_session", "ended", "unknown" };
static const char * const presence_names[] = { "absent", "present", "remote", "unknown" };
static const char * const speech_state_names[] = { "waiting", "speaking", "done", "withdrawn", "unknown" };

G_STATIC_ASSERT (G_N_ELEMENTS (meeting_phase_names) == DOCKET_MEETING_PHASE_UNKNOWN + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (presence_names) == DOCKET_PRESENCE_UNKNOWN + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (speech_state_names) == DOCKET_SPEECH_UNKNOWN + 1);

DOCKET_DEFINE_TOLERANT_NAMES (DocketMeetingPhase, docket_meeting_phase, meeting_phase_names)
DOCKET_DEFINE_TOLERANT_NAMES (DocketPresence, docket_presence, presence_names)
DOCKET_DEFINE_TOLERANT_NAMES (DocketSpeechState, docket_speech_state, speech_state_names)

/* ---- the live meeting's records ---------------------------------------------------- */

static GDateTime *
time_ref_or_null (GDateTime *time)
{
  return time != NULL ? g_date_time_ref (time) : NULL;
}

DocketMeetingStateRecord *
docket_meeting_state_record_new (void)
{
  DocketMeetingStateRecord *record = g_new0 (DocketMeetingStateRecord, 1);

  record->phase = DOCKET_MEETING_PHASE_NOT_STARTED;

  return record;
}

DocketMeetingStateRecord *
docket_meeting_state_record_copy (const DocketMeetingStateRecord *record)
{
  DocketMeetingStateRecord *copy;

  if (record == NULL)
    return NULL;

  copy = docket_meeting_state_record_new ();
  copy->meeting_id = g_strdup (record->meeting_id);
  copy->phase = record->phase;
  copy->started_at = time_ref_or_null (record->started_at);
  copy->ended_at = time_ref_or_null (record->ended_at);
  copy->current_item_id = g_strdup (record->current_item_id);
  copy->presented_document_id = g_strdup (record->presented_document_id);
  copy->presented_page = record->presented_page;
  copy->speech_limit_seconds = record->speech_limit_seconds;
  copy->version = record->version;

  return copy;
}

void
docket_meeting_state_record_free (DocketMeetingStateRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->meeting_id);
  g_clear_pointer (&record->started_at, g_date_time_unref);
  g_clear_pointer (&record->ended_at, g_date_time_unref);
  g_free (record->current_item_id);
  g_free (record->presented_document_id);
  g_free (record);
}

DocketAttendanceRecord *
docket_attendance_record_new (void)
{
  DocketAttendanceRecord *record = g_new0 (DocketAttendanceRecord, 1);

  record->presence = DOCKET_PRESENCE_ABSENT;

  return record;
}

DocketAttendanceRecord *
docket_attendance_record_copy (const DocketAttendanceRecord *record)
{
  DocketAttendanceRecord *copy;

  if (record == NULL)
    return NULL;

  copy = docket_attendance_record_new ();
  copy->id = g_strdup (record->id);
  copy->meeting_id = g_strdup (record->meeting_id);
  copy->username = g_strdup (record->username);
  copy->presence = record->presence;
  copy->since = time_ref_or_null (record->since);
  copy->version = record->version;

  return copy;
}

void
docket_attendance_record_free (DocketAttendanceRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->id);
  g_free (record->meeting_id);
  g_free (record->username);
  g_clear_pointer (&record->since, g_date_time_unref);
  g_free (record);
}

DocketSpeechRecord *
docket_speech_record_new (void)
{
  DocketSpeechRecord *record = g_new0 (DocketSpeechRecord, 1);

  record->state = DOCKET_SPEECH_WAITING;

  return record;
}

DocketSpeechRecord *
docket_speech_record_copy (const DocketSpeechRecord *record)
{
  DocketSpeechRecord *copy;

  if (record == NULL)
    return NULL;

  copy = docket_speech_record_new ();
  copy->id = g_strdup (record->id);
  copy->meeting_id = g_strdup (record->meeting_id);
  copy->username = g_strdup (record->username);
  copy->state = record->state;
  copy->number = record->number;
  copy->requested_at = time_ref_or_null (record->requested_at);
  copy->started_at = time_ref_or_null (record->started_at);
  copy->ended_at = time_ref_or_null (record->ended_at);
  copy->limit_seconds = record->limit_seconds;
  copy->version = record->version;

  return copy;
}

void
docket_speech_record_free (DocketSpeechRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->id);
  g_free (record->meeting_id);
  g_free (record->username);
  g_clear_pointer (&record->requested_at, g_date_time_unref);
  g_clear_pointer (&record->started_at, g_date_time_unref);
  g_clear_pointer (&record->ended_at, g_date_time_unref);
  g_free (record);
}

DocketUserRecord *
docket_user_record_new (void)
{
  DocketUserRecord *record = g_new0 (DocketUserRecord, 1);

  record->role = DOCKET_ROLE_OFFICIAL;

  return record;
}

DocketUserRecord *
docket_user_record_copy (const DocketUserRecord *record)
{
  DocketUserRecord *copy;

  if (record == NULL)
    return NULL;

  copy = docket_user_record_new ();
  copy->username = g_strdup (record->username);
  copy->display_name = g_strdup (record->display_name);
  copy->role = record->role;
  copy->organ = g_strdup (record->organ);

  return copy;
}

void
docket_user_record_free (DocketUserRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->username);
  g_free (record->display_name);
  g_free (record->organ);
  g_free (record);
}

/* ---- the live meeting's validation -------------------------------------------------- */

static gboolean
check_username (const char  *username,
                const char  *prefix,
                const char  *field,
                GError     **error)
{
  if (username == NULL)
    return docket_field_error (error, DOCKET_PROTOCOL_ERROR_MISSING_FIELD, prefix, field, _("missing"));
  if (!docket_protocol_username_is_valid (username))
    return docket_field_error (error, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE, prefix, field,
                               _("not a valid user name"));
  return TRUE;
}

/* An enum's value: one of its names or its UNKNOWN, nothing beyond (a C caller's bug). */
static gboolean
check_enum (guint        value,
            guint        unknown,
            const char  *prefix,
            const char  *field,
            GError     **error)
{
  if (value > unknown)
    return docket_field_error (error, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE, prefix, field,
                               _("not a value of this protocol"));
  return TRUE;
}

/* The presentation is a member of its own on the wire ("presentation": {"document_id",
 * "page"} or null), so its errors are named under it. */
static gboolean
validate_presentation (const DocketMeetingStateRecord  *record,
                       const char                      *prefix,
                       GError                         **error)
{
  g_autofree char *path = g_strconcat (prefix, ".presentation", NULL);

  if (record->presented_document_id == NULL)
    {
      /* Nothing to show has no page: two records that say "no presentation" are equal. */
      if (record->presented_page != 0)
        return docket_field_error (error, DOCKET_PROTOCOL_ERROR_OUT_OF_RANGE, path, "page",
                                   _("not 0 without a document"));
      return TRUE;
    }

  return docket_check_id (record->presented_document_id, path, "document_id", error) &&
         docket_check_integer (record->presented_page, path, "page", 0, DOCKET_MAX_PAGES - 1, error);
}

gboolean
docket_meeting_state_record_validate_at (const DocketMeetingStateRecord  *record,
                                         const char                      *prefix,
                                         GError                         **error)
{
  return docket_check_id (record->meeting_id, prefix, "meeting_id", error) &&
         check_enum (record->phase, DOCKET_MEETING_PHASE_UNKNOWN, prefix, "phase", error) &&
         (record->current_item_id == NULL ||
          docket_check_id (record->current_item_id, prefix, "current_item_id", error)) &&
         validate_presentation (record, prefix, error) &&
         docket_check_integer (record->speech_limit_seconds, prefix, "speech_limit_seconds",
                               0, DOCKET_MAX_SPEECH_LIMIT_SECONDS, error) &&
         docket_check_integer (record->version, prefix, "version", 0, DOCKET_MAX_VERSION, error);
}

gboolean
docket_meeting_state_record_validate (const DocketMeetingStateRecord  *record,
                                      GError                         **error)
{
  g_return_val_if_fail (record != NULL, FALSE);

  return docket_meeting_state_record_validate_at (record, "meeting_state", error);
}

gboolean
docket_attendance_record_validate_at (const DocketAttendanceRecord  *record,
                                      const char                    *prefix,
                                      GError                       **error)
{
  return docket_check_id (record->id, prefix, "id", error) &&
         docket_check_id (record->meeting_id, prefix, "meeting_id", error) &&
         check_username (record->username, prefix, "username", error) &&
         check_enum (record->presence, DOCKET_PRESENCE_UNKNOWN, prefix, "presence", error) &&
         docket_check_time (record->since, prefix, "since", error) &&
         docket_check_integer (record->version, prefix, "version", 0, DOCKET_MAX_VERSION, error);
}

gboolean
docket_attendance_record_validate (const DocketAttendanceRecord  *record,
                                   GError                       **error)
{
  g_return_val_if_fail (record != NULL, FALSE);

  return docket_attendance_record_validate_at (record, "attendance", error);
}

gboolean
docket_speech_record_validate_at (const DocketSpeechRecord  *record,
                                  const char                *prefix,
                                  GError                   **error)
{
  return docket_check_id (record->id, prefix, "id", error) &&
         docket_check_id (record->meeting_id, prefix, "meeting_id", error) &&
         check_username (record->username, prefix, "username", error) &&
         check_enum (record->state, DOCKET_SPEECH_UNKNOWN, prefix, "state", error) &&
         docket_check_integer (record->number, prefix, "number", 0, DOCKET_MAX_VERSION, error) &&
         docket_check_time (record->requested_at, prefix, "requested_at", error) &&
         docket_check_integer (record->limit_seconds, prefix, "limit_seconds",
                               0, DOCKET_MAX_SPEECH_LIMIT_SECONDS, error) &&
         docket_check_integer (record->version, prefix, "version", 0, DOCKET_MAX_VERSION, error);
}

gboolean
docket_speech_record_validate (const DocketSpeechRecord  *record,
                               GError                   **error)
{
  g_return_val_if_fail (record != NULL, FALSE);

  return docket_speech_record_validate_at (record, "speech", error);
}

gboolean
docket_user_record_validate (const DocketUserRecord  *record,
                             GError                 **error)
{
  g_return_val_if_fail (record != NULL, FALSE);

  return check_username (record->username, "user", "username", error) &&
         docket_check_text (record->display_name, "user", "display_name", DOCKET_MAX_SHORT_TEXT_BYTES, TRUE,
                            error) &&
         check_enum (record->role, DOCKET_ROLE_UNKNOWN, "user", "role", error) &&
         docket_check_text (record->organ, "user", "organ", DOCKET_MAX_SHORT_TEXT_BYTES, TRUE, error);
}
