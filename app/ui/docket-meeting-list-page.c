/* docket-meeting-list-page.c: upcoming and past meetings, grouped by day */

#include "config.h"

#include <glib/gi18n.h>

#include "docket-meeting-list-page.h"
#include "docket-accessible.h"
#include "docket-meeting-row.h"

typedef enum {
  SECTION_UPCOMING,
  SECTION_PAST,
} Section;

/* One day of one section: a titled group with a list box. Reference counted (GRcBox):
 * the page's array and the group's filter each hold one, so the filter never sees a
 * freed group whatever order GTK drops the widgets in. */
typedef struct {
  DocketMeetingListPage *page;      /* borrowed: the page owns the groups */
  Section                section;
  char                  *day_key;
  char                  *title;
  AdwPreferencesGroup   *group;     /* borrowed: owned by its box */
  GtkListBox            *list_box;  /* borrowed */
  GtkFilter             *filter;    /* owned by the filter model */
} DayGroup;

struct _DocketMeetingListPage
{
  AdwBin               parent_instance;

  /* Template widgets */
  GtkStack            *stack;
  GtkWidget           *upcoming_label;
  GtkBox              *upcoming_box;
  GtkWidget           *past_label;
  GtkBox              *past_box;
  AdwStatusPage       *error_page;
  GtkButton           *retry_button;

  /* Owned */
  DocketMeetingList   *meetings;
  GListModel          *past_sorted;   /* most recent first */
  GPtrArray           *groups;        /* DayGroup* */
  GDateTime           *now;           /* what "upcoming" and "today" are judged against */
  gulong               items_changed_id;
  gulong               loaded_id;
  gulong               error_id;
  guint                clock_id;
  guint                fill_id;       /* makes the groups a first screen left for later */
};

G_DEFINE_FINAL_TYPE (DocketMeetingListPage, docket_meeting_list_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_MEETINGS,
  N_PROPS
};

enum {
  MEETING_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Days made at once: more than a screen holds. A thousand days of meetings at once would
 * be tens of thousands of widgets before the first frame; the others are made in idles
 * after it, a batch at a time, so the window shows and stays responsive meanwhile. */
#define GROUPS_PER_BATCH 12

static void docket_meeting_list_page_update (DocketMeetingListPage *self,
                                             gboolean               now_moved);

static void
day_group_clear (gpointer data)
{
  DayGroup *group = data;

  g_free (group->day_key);
  g_free (group->title);
}

static void
day_group_release (gpointer data)
{
  g_rc_box_release_full (data, day_group_clear);
}

static Section
meeting_section (DocketMeetingListPage *self,
                 DocketMeeting         *meeting)
{
  return docket_meeting_is_upcoming (meeting, self->now) ? SECTION_UPCOMING : SECTION_PAST;
}

/* Called for every meeting in every day's group: a string comparison first. */
static gboolean
day_group_filter_func (gpointer item,
                       gpointer user_data)
{
  DayGroup *group = user_data;

  return g_str_equal (docket_meeting_get_day_key (item), group->day_key) &&
         meeting_section (group->page, item) == group->section;
}

static int
compare_start_descending (gconstpointer a,
                          gconstpointer b,
                          gpointer      user_data)
{
  GDateTime *start_a = docket_meeting_get_starts_at ((DocketMeeting *) a);
  GDateTime *start_b = docket_meeting_get_starts_at ((DocketMeeting *) b);

  if (start_a == NULL || start_b == NULL)
    return (start_a == NULL) - (start_b == NULL);
  return g_date_time_compare (start_b, start_a);
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  return docket_meeting_row_new (item);
}

static void
on_row_activated (DocketMeetingListPage *self,
                  GtkListBoxRow         *row)
{
  if (DOCKET_IS_MEETING_ROW (row))
    g_signal_emit (self, signals[MEETING_ACTIVATED], 0,
                   docket_meeting_row_get_meeting (DOCKET_MEETING_ROW (row)));
}

static DayGroup *
day_group_new (DocketMeetingListPage *self,
               Section                section,
               const char            *day_key,
               const char            *title)
{
  DayGroup *group = g_rc_box_new0 (DayGroup);
  GListModel *source = section == SECTION_PAST ? self->past_sorted : G_LIST_MODEL (self->meetings);
  GtkFilterListModel *filtered;

  group->page = self;
  group->section = section;
  group->day_key = g_strdup (day_key);
  group->title = g_strdup (title);

  group->filter = GTK_FILTER (gtk_custom_filter_new (day_group_filter_func,
                                                       g_rc_box_acquire (group),
                                                       day_group_release));
  filtered = gtk_filter_list_model_new (g_object_ref (source), group->filter);

  group->group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (group->group, title);

  group->list_box = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (group->list_box, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (group->list_box), "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (group->list_box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  gtk_list_box_bind_model (group->list_box, G_LIST_MODEL (filtered), create_row, NULL, NULL);
  g_object_unref (filtered);
  g_signal_connect_swapped (group->list_box, "row-activated", G_CALLBACK (on_row_activated), self);
  adw_preferences_group_add (group->group, GTK_WIDGET (group->list_box));

  return group;
}

/* The groups the meetings call for now, as (section, key, title) in display order. */
static GPtrArray *
compute_groups (DocketMeetingListPage *self)
{
  GPtrArray *wanted = g_ptr_array_new_with_free_func (day_group_release);
  GListModel *upcoming = G_LIST_MODEL (self->meetings);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (int pass = 0; pass < 2; pass++)
    {
      Section section = pass == 0 ? SECTION_UPCOMING : SECTION_PAST;
      GListModel *model = pass == 0 ? upcoming : self->past_sorted;
      guint n = g_list_model_get_n_items (model);

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(DocketMeeting) meeting = g_list_model_get_item (model, i);
          const char *key;
          DayGroup *group;

          if (meeting_section (self, meeting) != section)
            continue;
          key = docket_meeting_get_day_key (meeting);
          if (g_hash_table_contains (seen, key))
            continue;
          g_hash_table_add (seen, g_strdup (key));

          group = g_rc_box_new0 (DayGroup);
          group->section = section;
          group->day_key = g_strdup (key);
          group->title = docket_meeting_format_day (meeting, self->now);
          g_ptr_array_add (wanted, group);
        }
      /* A day can hold past and upcoming meetings: keys repeat across sections. */
      g_hash_table_remove_all (seen);
    }

  return wanted;
}

static gboolean
same_groups (GPtrArray *a,
             GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    {
      DayGroup *x = g_ptr_array_index (a, i);
      DayGroup *y = g_ptr_array_index (b, i);

      if (x->section != y->section || g_strcmp0 (x->day_key, y->day_key) != 0 ||
          g_strcmp0 (x->title, y->title) != 0)
        return FALSE;
    }
  return TRUE;
}

static void
remove_all_children (GtkBox *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);
}

static gboolean
on_fill_idle (gpointer user_data)
{
  DocketMeetingListPage *self = user_data;

  self->fill_id = 0;
  docket_meeting_list_page_update (self, FALSE);
  return G_SOURCE_REMOVE;
}

static char *
day_group_key (DayGroup *group)
{
  return g_strdup_printf ("%d:%s", group->section, group->day_key);
}

/* Makes the page's groups the wanted ones without rebuilding it: a day still shown keeps
 * its group, list box and rows (its filtered model follows the meetings by itself); only
 * the days that came are made (GROUPS_PER_BATCH at a time, from the top of the page),
 * and the days that went removed. now_moved: "now" moved on, so a meeting may have gone
 * from upcoming to past: every group filters again. */
static void
docket_meeting_list_page_update_groups (DocketMeetingListPage *self,
                                        GPtrArray             *wanted,
                                        gboolean               now_moved)
{
  g_autoptr(GHashTable) existing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, day_group_release);
  g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func (day_group_release);
  GtkWidget *previous[2] = { NULL, NULL };
  guint n_made = 0;
  GHashTableIter iter;
  gpointer value;

  for (guint i = 0; i < self->groups->len; i++)
    {
      DayGroup *group = g_ptr_array_index (self->groups, i);

      g_hash_table_insert (existing, day_group_key (group), g_rc_box_acquire (group));
    }

  for (guint i = 0; i < wanted->len; i++)
    {
      DayGroup *spec = g_ptr_array_index (wanted, i);
      g_autofree char *key = day_group_key (spec);
      g_autofree char *stolen_key = NULL;
      DayGroup *group = NULL;

      if (g_hash_table_steal_extended (existing, key, (gpointer *) &stolen_key, (gpointer *) &group))
        {
          /* "Tomorrow" becomes "Today" at midnight. */
          if (g_strcmp0 (group->title, spec->title) != 0)
            {
              g_free (group->title);
              group->title = g_strdup (spec->title);
              adw_preferences_group_set_title (group->group, spec->title);
              gtk_accessible_update_property (GTK_ACCESSIBLE (group->list_box),
                                              GTK_ACCESSIBLE_PROPERTY_LABEL, spec->title, -1);
            }
          if (now_moved)
            gtk_filter_changed (group->filter, GTK_FILTER_CHANGE_DIFFERENT);
        }
      else if (n_made < GROUPS_PER_BATCH)
        {
          group = day_group_new (self, spec->section, spec->day_key, spec->title);
          n_made++;
        }
      else
        {
          /* For the next batch: the page is not what it should be yet. */
          if (self->fill_id == 0)
            self->fill_id = g_idle_add_full (G_PRIORITY_LOW, on_fill_idle, self, NULL);
          continue;
        }

      g_ptr_array_add (groups, group);
    }

  /* The days that went. */
  g_hash_table_iter_init (&iter, existing);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      DayGroup *group = value;

      gtk_box_remove (group->section == SECTION_UPCOMING ? self->upcoming_box : self->past_box,
                      GTK_WIDGET (group->group));
    }

  /* Each group in its place; those already there do not move. */
  for (guint i = 0; i < groups->len; i++)
    {
      DayGroup *group = g_ptr_array_index (groups, i);
      GtkBox *box = group->section == SECTION_UPCOMING ? self->upcoming_box : self->past_box;
      GtkWidget *widget = GTK_WIDGET (group->group);

      if (gtk_widget_get_parent (widget) == NULL)
        gtk_box_insert_child_after (box, widget, previous[group->section]);
      else if (gtk_widget_get_prev_sibling (widget) != previous[group->section])
        gtk_box_reorder_child_after (box, widget, previous[group->section]);
      previous[group->section] = widget;
    }

  g_ptr_array_unref (self->groups);
  self->groups = g_steal_pointer (&groups);
}

static void
docket_meeting_list_page_update (DocketMeetingListPage *self,
                                 gboolean               now_moved)
{
  g_autoptr(GPtrArray) wanted = NULL;
  gboolean any_upcoming = FALSE, any_past = FALSE;
  const GError *error;

  g_clear_pointer (&self->now, g_date_time_unref);
  self->now = g_date_time_new_now_utc ();

  if (self->meetings == NULL || !docket_meeting_list_get_loaded (self->meetings))
    {
      gtk_stack_set_visible_child_name (self->stack, self->meetings == NULL ? "empty" : "loading");
      return;
    }

  /* A list that could not be read is not an empty one: say so, and how to go on. */
  error = docket_meeting_list_get_error (self->meetings);
  if (error != NULL)
    {
      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }

  wanted = compute_groups (self);
  if (!same_groups (self->groups, wanted) || now_moved)
    docket_meeting_list_page_update_groups (self, wanted, now_moved);

  for (guint i = 0; i < self->groups->len; i++)
    {
      DayGroup *group = g_ptr_array_index (self->groups, i);
      any_upcoming |= group->section == SECTION_UPCOMING;
      any_past |= group->section == SECTION_PAST;
    }
  gtk_widget_set_visible (self->upcoming_label, any_upcoming);
  gtk_widget_set_visible (GTK_WIDGET (self->upcoming_box), any_upcoming);
  gtk_widget_set_visible (self->past_label, any_past);
  gtk_widget_set_visible (GTK_WIDGET (self->past_box), any_past);

  gtk_stack_set_visible_child_name (self->stack, self->groups->len > 0 ? "list" : "empty");
}

/* The meetings changed: the groups' filtered models have followed by themselves; only
 * days that came or went change the page. */
static void
docket_meeting_list_page_refresh (DocketMeetingListPage *self)
{
  docket_meeting_list_page_update (self, FALSE);
}

static gboolean
on_clock_tick (gpointer user_data)
{
  /* Meetings end and days turn over while the window is open. */
  docket_meeting_list_page_update (user_data, TRUE);
  return G_SOURCE_CONTINUE;
}

static void
docket_meeting_list_page_dispose (GObject *object)
{
  DocketMeetingListPage *self = DOCKET_MEETING_LIST_PAGE (object);

  g_clear_handle_id (&self->clock_id, g_source_remove);
  g_clear_handle_id (&self->fill_id, g_source_remove);
  docket_meeting_list_page_set_meetings (self, NULL);
  /* AdwBin unparents its child itself: drop it before the template's children go. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), DOCKET_TYPE_MEETING_LIST_PAGE);
  /* The groups' filters point at them: free them after the widgets are gone. */
  g_clear_pointer (&self->groups, g_ptr_array_unref);
  g_clear_pointer (&self->now, g_date_time_unref);

  G_OBJECT_CLASS (docket_meeting_list_page_parent_class)->dispose (object);
}

static void
docket_meeting_list_page_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  DocketMeetingListPage *self = DOCKET_MEETING_LIST_PAGE (object);

  switch (prop_id)
    {
    case PROP_MEETINGS:
      g_value_set_object (value, self->meetings);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
docket_meeting_list_page_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  DocketMeetingListPage *self = DOCKET_MEETING_LIST_PAGE (object);

  switch (prop_id)
    {
    case PROP_MEETINGS:
      docket_meeting_list_page_set_meetings (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Retry on the status page of a list that could not be read: read it again. */
static void
retry_activated (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  DocketMeetingListPage *self = DOCKET_MEETING_LIST_PAGE (widget);

  if (self->meetings != NULL)
    docket_meeting_list_reload (self->meetings);
}

static void
docket_meeting_list_page_class_init (DocketMeetingListPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = docket_meeting_list_page_dispose;
  object_class->get_property = docket_meeting_list_page_get_property;
  object_class->set_property = docket_meeting_list_page_set_property;

  properties[PROP_MEETINGS] =
    g_param_spec_object ("meetings", NULL, NULL, DOCKET_TYPE_MEETING_LIST,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[MEETING_ACTIVATED] =
    g_signal_new ("meeting-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, DOCKET_TYPE_MEETING);

  gtk_widget_class_set_template_from_resource (widget_class, DOCKET_RESOURCE_PREFIX "/ui/docket-meeting-list-page.ui");
  gtk_widget_class_bind_template_child (widget_class, DocketMeetingListPage, stack);
  gtk_widget_class_bind_template_child (widget_class, DocketMeetingListPage, upcoming_label);
  gtk_widget_class_bind_template_child (widget_class, DocketMeetingListPage, upcoming_box);
  gtk_widget_class_bind_template_child (widget_class, DocketMeetingListPage, past_label);
  gtk_widget_class_bind_template_child (widget_class, DocketMeetingListPage, past_box);
  gtk_widget_class_bind_template_child (widget_class, DocketMeetingListPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, DocketMeetingListPage, retry_button);

  gtk_widget_class_install_action (widget_class, "meetings.retry", NULL, retry_activated);
}

static void
docket_meeting_list_page_init (DocketMeetingListPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  docket_accessible_name_button_by_text (self->retry_button);

  self->groups = g_ptr_array_new_with_free_func (day_group_release);
  self->clock_id = g_timeout_add_seconds (60, on_clock_tick, self);
  docket_meeting_list_page_refresh (self);
}

DocketMeetingList *
docket_meeting_list_page_get_meetings (DocketMeetingListPage *self)
{
  g_return_val_if_fail (DOCKET_IS_MEETING_LIST_PAGE (self), NULL);
  return self->meetings;
}

void
docket_meeting_list_page_set_meetings (DocketMeetingListPage *self,
                                       DocketMeetingList     *meetings)
{
  g_return_if_fail (DOCKET_IS_MEETING_LIST_PAGE (self));

  if (self->meetings == meetings)
    return;

  if (self->meetings != NULL)
    {
      g_clear_signal_handler (&self->items_changed_id, self->meetings);
      g_clear_signal_handler (&self->loaded_id, self->meetings);
      g_clear_signal_handler (&self->error_id, self->meetings);
    }

  /* The old groups' models hold the old list: drop them first. */
  if (self->upcoming_box != NULL)
    {
      remove_all_children (self->upcoming_box);
      remove_all_children (self->past_box);
    }
  if (self->groups != NULL)
    g_ptr_array_set_size (self->groups, 0);
  g_clear_object (&self->past_sorted);
  g_set_object (&self->meetings, meetings);

  if (meetings != NULL)
    {
      GtkSorter *sorter = GTK_SORTER (gtk_custom_sorter_new (compare_start_descending, NULL, NULL));

      self->past_sorted = G_LIST_MODEL (gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (meetings)),
                                                                 sorter));
      self->items_changed_id = g_signal_connect_swapped (meetings, "items-changed",
                                                         G_CALLBACK (docket_meeting_list_page_refresh), self);
      self->loaded_id = g_signal_connect_swapped (meetings, "notify::loaded",
                                                  G_CALLBACK (docket_meeting_list_page_refresh), self);
      self->error_id = g_signal_connect_swapped (meetings, "notify::error",
                                                 G_CALLBACK (docket_meeting_list_page_refresh), self);
    }

  if (self->groups != NULL)
    docket_meeting_list_page_refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEETINGS]);
}

GtkWidget *
docket_meeting_list_page_find_row (DocketMeetingListPage *self,
                                   const char            *meeting_id)
{
  g_return_val_if_fail (DOCKET_IS_MEETING_LIST_PAGE (self), NULL);

  for (guint i = 0; i < self->groups->len; i++)
    {
      DayGroup *group = g_ptr_array_index (self->groups, i);

      for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (group->list_box));
           child != NULL;
           child = gtk_widget_get_next_sibling (child))
        {
          if (DOCKET_IS_MEETING_ROW (child) &&
              g_strcmp0 (docket_meeting_get_id (docket_meeting_row_get_meeting (DOCKET_MEETING_ROW (child))),
                         meeting_id) == 0)
            return child;
        }
    }
  return NULL;
}

