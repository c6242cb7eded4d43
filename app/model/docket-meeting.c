/* docket-meeting.c: a meeting of the cache, as the meeting list and meeting page show it */

#include "config.h"

#include <glib/gi18n.h>

#include "docket-meeting.h"

struct _DocketMeeting
{
  GObject              parent_instance;

  char                *id;
  char                *title;
  char                *organ;
  char                *location;
  char                *time_zone_name;
  DocketMeetingStatus  status;
  gint64               version;
  GDateTime           *starts_at;   /* in the meeting's zone */
  GDateTime           *ends_at;     /* in the meeting's zone */
  char                *day_key;     /* starts_at's day, "YYYY-MM-DD"; "" without a start */
  guint                n_documents;
  guint                n_documents_offline;
  guint                n_downloading;
  guint                n_waiting;
  guint                n_failed;
  double               download_fraction;
};

G_DEFINE_FINAL_TYPE (DocketMeeting, docket_meeting, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_TITLE,
  PROP_ORGAN,
  PROP_LOCATION,
  PROP_TIME_ZONE_NAME,
  PROP_STARTS_AT,
  PROP_ENDS_AT,
  PROP_N_DOCUMENTS,
  PROP_N_DOCUMENTS_OFFLINE,
  PROP_ALL_OFFLINE,
  PROP_TIME_RANGE,
  PROP_N_DOWNLOADING,
  PROP_N_WAITING,
  PROP_N_FAILED,
  PROP_DOWNLOAD_FRACTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
docket_meeting_finalize (GObject *object)
{
  DocketMeeting *self = DOCKET_MEETING (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->organ, g_free);
  g_clear_pointer (&self->location, g_free);
  g_clear_pointer (&self->time_zone_name, g_free);
  g_clear_pointer (&self->starts_at, g_date_time_unref);
  g_clear_pointer (&self->ends_at, g_date_time_unref);
  g_clear_pointer (&self->day_key, g_free);

  G_OBJECT_CLASS (docket_meeting_parent_class)->finalize (object);
}

static void
docket_meeting_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  DocketMeeting *self = DOCKET_MEETING (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_ORGAN:
      g_value_set_string (value, self->organ);
      break;
    case PROP_LOCATION:
      g_value_set_string (value, self->location);
      break;
    case PROP_TIME_ZONE_NAME:
      g_value_set_string (value, self->time_zone_name);
      break;
    case PROP_STARTS_AT:
      g_value_set_boxed (value, self->starts_at);
      break;
    case PROP_ENDS_AT:
      g_value_set_boxed (value, self->ends_at);
      break;
    case PROP_N_DOCUMENTS:
      g_value_set_uint (value, self->n_documents);
      break;
    case PROP_N_DOCUMENTS_OFFLINE:
      g_value_set_uint (value, self->n_documents_offline);
      break;
    case PROP_ALL_OFFLINE:
      g_value_set_boolean (value, docket_meeting_get_all_offline (self));
      break;
    case PROP_TIME_RANGE:
      g_value_take_string (value, docket_meeting_format_time_range (self));
      break;
    case PROP_N_DOWNLOADING:
      g_value_set_uint (value, self->n_downloading);
      break;
    case PROP_N_WAITING:
      g_value_set_uint (value, self->n_waiting);
      break;
    case PROP_N_FAILED:
      g_value_set_uint (value, self->n_failed);
      break;
    case PROP_DOWNLOAD_FRACTION:
      g_value_set_double (value, self->download_fraction);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_meeting_class_init (DocketMeetingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = docket_meeting_finalize;
  object_class->get_property = docket_meeting_get_property;

#define STRING_PROP(ID, NAME) \
  properties[ID] = g_param_spec_string (NAME, NULL, NULL, NULL, \
                                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS)
  STRING_PROP (PROP_ID, "id");
  STRING_PROP (PROP_TITLE, "title");
  STRING_PROP (PROP_ORGAN, "organ");
  STRING_PROP (PROP_LOCATION, "location");
  STRING_PROP (PROP_TIME_ZONE_NAME, "time-zone-name");
  STRING_PROP (PROP_TIME_RANGE, "time-range");
#undef STRING_PROP
  properties[PROP_STARTS_AT] =
    g_param_spec_boxed ("starts-at", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ENDS_AT] =
    g_param_spec_boxed ("ends-at", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_DOCUMENTS] =
    g_param_spec_uint ("n-documents", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_DOCUMENTS_OFFLINE] =
    g_param_spec_uint ("n-documents-offline", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ALL_OFFLINE] =
    g_param_spec_boolean ("all-offline", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_DOWNLOADING] =
    g_param_spec_uint ("n-downloading", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_WAITING] =
    g_param_spec_uint ("n-waiting", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_FAILED] =
    g_param_spec_uint ("n-failed", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DOWNLOAD_FRACTION] =
    g_param_spec_double ("download-fraction", NULL, NULL, 0.0, 1.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
docket_meeting_init (DocketMeeting *self)
{
}

static GTimeZone *
meeting_time_zone (const char *identifier)
{
  GTimeZone *zone = NULL;

  if (identifier != NULL && identifier[0] != '\0')
    zone = g_time_zone_new_identifier (identifier);
  /* An unknown zone name (old tzdata, a typo on the server): show local times. */
  return zone != NULL ? zone : g_time_zone_new_local ();
}

static GDateTime *
to_zone (GDateTime  *time,
         GTimeZone  *zone)
{
  return time != NULL ? g_date_time_to_timezone (time, zone) : NULL;
}

static gboolean
set_string (char       **field,
            const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value != NULL ? value : "");
  return TRUE;
}

static gboolean
set_time (GDateTime **field,
          GDateTime  *value)
{
  if (*field != NULL && value != NULL && g_date_time_equal (*field, value) &&
      g_date_time_get_utc_offset (*field) == g_date_time_get_utc_offset (value))
    {
      g_date_time_unref (value);
      return FALSE;
    }
  g_clear_pointer (field, g_date_time_unref);
  *field = value;
  return TRUE;
}

gboolean
docket_meeting_update (DocketMeeting               *self,
                       const DocketStoreMeetingRow *row)
{
  const DocketMeetingRecord *record;
  g_autoptr(GTimeZone) zone = NULL;
  gboolean was_all_offline;
  gboolean times_changed = FALSE;

  g_return_val_if_fail (DOCKET_IS_MEETING (self), FALSE);
  g_return_val_if_fail (row != NULL && row->meeting != NULL, FALSE);

  record = row->meeting;
  was_all_offline = docket_meeting_get_all_offline (self);
  zone = meeting_time_zone (record->time_zone);

  g_object_freeze_notify (G_OBJECT (self));

  if (set_string (&self->id, record->id))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
  if (set_string (&self->title, record->title))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
  if (set_string (&self->organ, record->organ))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORGAN]);
  if (set_string (&self->location, record->location))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCATION]);
  if (set_string (&self->time_zone_name, record->time_zone))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIME_ZONE_NAME]);
  if (set_time (&self->starts_at, to_zone (record->starts_at, zone)))
    {
      times_changed = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STARTS_AT]);
    }
  if (times_changed || self->day_key == NULL)
    {
      /* Kept, not formatted at each call: the meeting list groups a thousand meetings
       * by day, comparing keys many times. */
      g_free (self->day_key);
      self->day_key = self->starts_at != NULL ? g_date_time_format (self->starts_at, "%Y-%m-%d")
                                              : g_strdup ("");
    }
  if (set_time (&self->ends_at, to_zone (record->ends_at, zone)))
    {
      times_changed = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENDS_AT]);
    }
  if (times_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIME_RANGE]);

  self->status = record->status;
  self->version = record->version;

  if (self->n_documents != row->n_documents)
    {
      self->n_documents = row->n_documents;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_DOCUMENTS]);
    }
  if (self->n_documents_offline != row->n_documents_offline)
    {
      self->n_documents_offline = row->n_documents_offline;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_DOCUMENTS_OFFLINE]);
    }
  if (was_all_offline != docket_meeting_get_all_offline (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALL_OFFLINE]);

  g_object_thaw_notify (G_OBJECT (self));

  return times_changed;
}

DocketMeeting *
docket_meeting_new (const DocketStoreMeetingRow *row)
{
  DocketMeeting *self = g_object_new (DOCKET_TYPE_MEETING, NULL);

  docket_meeting_update (self, row);
  return self;
}

const char *
docket_meeting_get_id (DocketMeeting *self)
{
  g_return_val_if_fail (DOCKET_IS_MEETING (self), NULL);
  return self->id;
}

const char *
docket_meeting_get_title (DocketMeeting *self)
{
  g_return_val_if_fail (DOCKET_IS_MEETING (self), NULL);
  return self->title;
}

const char *
docket_meeting_get_organ (DocketMeeting *self)
{
  g_return_val_if_fail (DOCKET_IS_MEETING (self), NULL);
  return self->organ;
}

const char *
docket_meeting_get_location (DocketMeeting *self)
{
  g_return_val_if_fail (DOCKET_IS_MEETING (self), NULL);
  return self->location;
}

const char *
docket_meeting_get_time_zone_name (DocketMeeting *self)
{
  g_return_val_if_fail (DOCKET_IS_MEETING (self), NULL);
  return self->time_zone_name;
}

DocketMeetingStatus
docket_meeting_get_status (DocketMeeting *self)
{
  g_return_val_if_fail (DOCKET_IS_MEETING (self), DOCKET_MEETING_STATUS_DRAFT);
  return self->status;
}

gint64
docket_meeting_get_version (DocketMeeting *self)
{
  g_return_val_if_fail (DOCKET_IS_MEETING (self), 0);
  return self->version;
}

GDateTime *
docket_meeting_get_starts_at (DocketMeeting *self)
{
  g_return_val_if_fail (DOCKET_IS_MEETING (self), NULL);
  return self->starts_at;
}

GDateTime *
docket_meeting_get_ends_at (DocketMeeting *self)
{
  g_return_val_if_fail (DOCKET_IS_MEETING (self), NULL);
  return self->ends_at;
}

guint
docket_meeting_get_n_documents (DocketMeeting *self)
{
  g_return_val_if_fail (DOCKET_IS_MEETING (self), 0);
  return self->n_documents;
}

guint
docket_meeting_get_n_documents_offline (DocketMeeting *self)
{
  g_return_val_if_fail (DOCKET_IS_MEETING (self), 0);
  return self->n_documents_offline;
}

gboolean
docket_meeting_get_all_offline (DocketMeeting *self)
{
  g_return_val_if_fail (DOCKET_IS_MEETING (self), FALSE);
  return self->n_documents_offline >= self->n_documents;
}

gboolean
docket_meeting_is_upcoming (DocketMeeting *self,
                            GDateTime     *now)
{
  GDateTime *end;

  g_return_val_if_fail (DOCKET_IS_MEETING (self), FALSE);

  end = self->ends_at != NULL ? self->ends_at : self->starts_at;
  return end == NULL || g_date_time_compare (end, now) >= 0;
}

char *
docket_meeting_dup_day_key (DocketMeeting *self)
{
  g_return_val_if_fail (DOCKET_IS_MEETING (self), NULL);

  return g_strdup (docket_meeting_get_day_key (self));
}

const char *
docket_meeting_get_day_key (DocketMeeting *self)
{
  g_return_val_if_fail (DOCKET_IS_MEETING (self), NULL);

  return self->day_key != NULL ? self->day_key : "";
}

char *
docket_meeting_format_day (DocketMeeting *self,
                           GDateTime     *now)
{
  g_autoptr(GDateTime) here_now = NULL;
  g_autoptr(GDate) day = NULL;
  g_autoptr(GDate) today = NULL;
  int delta;

  g_return_val_if_fail (DOCKET_IS_MEETING (self), NULL);

  if (self->starts_at == NULL)
    return g_strdup (_("Date unknown"));

  /* "Today" where the meeting is held. */
  here_now = g_date_time_to_timezone (now, g_date_time_get_timezone (self->starts_at));
  day = g_date_new_dmy (g_date_time_get_day_of_month (self->starts_at),
                        g_date_time_get_month (self->starts_at),
                        g_date_time_get_year (self->starts_at));
  today = g_date_new_dmy (g_date_time_get_day_of_month (here_now),
                          g_date_time_get_month (here_now),
                          g_date_time_get_year (here_now));
  delta = g_date_days_between (today, day);

  if (delta == 0)
    return g_strdup (_("Today"));
  if (delta == 1)
    return g_strdup (_("Tomorrow"));
  if (delta == -1)
    return g_strdup (_("Yesterday"));

  /* Translators: a day header in the meeting list, see strftime(3):
   * "Monday 30 November 2026". */
  return g_date_time_format (self->starts_at, _("%A %-d %B %Y"));
}

char *
docket_meeting_format_time_range (DocketMeeting *self)
{
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;

  g_return_val_if_fail (DOCKET_IS_MEETING (self), NULL);

  if (self->starts_at == NULL)
    return g_strdup ("");

  /* Translators: a time of day, see strftime(3): "08:00". */
  start = g_date_time_format (self->starts_at, _("%H:%M"));
  if (self->ends_at == NULL)
    return g_steal_pointer (&start);
  end = g_date_time_format (self->ends_at, _("%H:%M"));

  /* Translators: when a meeting starts and ends, "08:00 – 11:30". */
  return g_strdup_printf (_("%s – %s"), start, end);
}

guint
docket_meeting_get_n_downloading (DocketMeeting *self)
{
  g_return_val_if_fail (DOCKET_IS_MEETING (self), 0);
  return self->n_downloading;
}

guint
docket_meeting_get_n_waiting (DocketMeeting *self)
{
  g_return_val_if_fail (DOCKET_IS_MEETING (self), 0);
  return self->n_waiting;
}

guint
docket_meeting_get_n_failed (DocketMeeting *self)
{
  g_return_val_if_fail (DOCKET_IS_MEETING (self), 0);
  return self->n_failed;
}

double
docket_meeting_get_download_fraction (DocketMeeting *self)
{
  g_return_val_if_fail (DOCKET_IS_MEETING (self), 0.0);
  return self->download_fraction;
}

void
docket_meeting_set_downloads (DocketMeeting                *self,
                              const DocketMeetingDownloads *downloads)
{
  guint n_downloading = downloads != NULL ? downloads->n_downloading : 0;
  guint n_waiting = downloads != NULL ? downloads->n_waiting : 0;
  guint n_failed = downloads != NULL ? downloads->n_failed : 0;
  double fraction = 0.0;

  g_return_if_fail (DOCKET_IS_MEETING (self));

  if (n_downloading + n_waiting > 0 && downloads->bytes_total > 0)
    fraction = CLAMP ((double) downloads->bytes_done / (double) downloads->bytes_total, 0.0, 1.0);

  g_object_freeze_notify (G_OBJECT (self));
  if (self->n_downloading != n_downloading)
    {
      self->n_downloading = n_downloading;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_DOWNLOADING]);
    }
  if (self->n_waiting != n_waiting)
    {
      self->n_waiting = n_waiting;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_WAITING]);
    }
  if (self->n_failed != n_failed)
    {
      self->n_failed = n_failed;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_FAILED]);
    }
  if (self->download_fraction != fraction)
    {
      self->download_fraction = fraction;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DOWNLOAD_FRACTION]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}
