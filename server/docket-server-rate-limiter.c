/* docket-server-rate-limiter.c: slows down repeated failed sign-ins */
#include "config.h"

#include "docket-server-rate-limiter.h"

#define PERIOD           (15 * 60)     /* seconds in which failures count */
#define FIRST_LOCK       (15 * 60)
#define LONGEST_LOCK     (60 * 60)
#define MAX_KEYS         10000         /* bounds the memory an attacker can make us use */
/* What a key that fills its allowance with attempts under way waits: they end soon, and
 * then it either may try again or is locked. */
#define WAIT_FOR_PENDING 1

typedef struct {
  GArray *failures;       /* gint64 seconds, oldest first */
  gint64  locked_until;
  gint64  lock;           /* the last lock's length; 0 when never locked */
  gint64  last_failure;
  guint   pending;        /* attempts reserved and not settled yet */
} Entry;

struct _DocketServerRateLimiter
{
  GObject     parent_instance;

  guint       failures_allowed;
  GHashTable *entries;    /* key -> Entry */
};

G_DEFINE_TYPE (DocketServerRateLimiter, docket_server_rate_limiter, G_TYPE_OBJECT)

static void
entry_free (Entry *entry)
{
  g_array_unref (entry->failures);
  g_free (entry);
}

static void
docket_server_rate_limiter_finalize (GObject *object)
{
  DocketServerRateLimiter *self = DOCKET_SERVER_RATE_LIMITER (object);

  g_clear_pointer (&self->entries, g_hash_table_unref);

  G_OBJECT_CLASS (docket_server_rate_limiter_parent_class)->finalize (object);
}

static void
docket_server_rate_limiter_class_init (DocketServerRateLimiterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = docket_server_rate_limiter_finalize;
}

static void
docket_server_rate_limiter_init (DocketServerRateLimiter *self)
{
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) entry_free);
}

DocketServerRateLimiter *
docket_server_rate_limiter_new (guint failures_allowed)
{
  DocketServerRateLimiter *self = g_object_new (DOCKET_SERVER_TYPE_RATE_LIMITER, NULL);

  g_return_val_if_fail (failures_allowed > 0, self);
  self->failures_allowed = failures_allowed;
  return self;
}

/* Drops the failures out of the window, and the lock of a key quiet for a long while
 * after it: such a key starts afresh. */
static void
entry_refresh (Entry  *entry,
               gint64  now)
{
  if (entry->lock > 0 && now >= entry->locked_until + LONGEST_LOCK &&
      now - entry->last_failure > PERIOD)
    entry->lock = 0;
  while (entry->failures->len > 0 && g_array_index (entry->failures, gint64, 0) <= now - PERIOD)
    g_array_remove_index (entry->failures, 0);
}

gint64
docket_server_rate_limiter_check (DocketServerRateLimiter *self,
                                  const char              *key,
                                  gint64                   now)
{
  Entry *entry = g_hash_table_lookup (self->entries, key);

  if (entry == NULL)
    return 0;
  if (now < entry->locked_until)
    return entry->locked_until - now;
  entry_refresh (entry, now);
  /* A key locked before gets one attempt at a time: its next failure locks it again. */
  if (entry->lock > 0)
    return entry->pending > 0 ? WAIT_FOR_PENDING : 0;
  if (entry->failures->len + entry->pending >= self->failures_allowed)
    return WAIT_FOR_PENDING;
  return 0;
}

static gboolean
entry_is_stale (gpointer key,
                gpointer value,
                gpointer user_data)
{
  Entry *entry = value;
  gint64 now = *(gint64 *) user_data;

  return entry->pending == 0 && now >= entry->locked_until + LONGEST_LOCK &&
         now - entry->last_failure > PERIOD;
}

static Entry *
lookup_or_add (DocketServerRateLimiter *self,
               const char              *key)
{
  Entry *entry = g_hash_table_lookup (self->entries, key);

  if (entry == NULL)
    {
      if (g_hash_table_size (self->entries) >= MAX_KEYS)
        {
          gint64 now = g_get_monotonic_time () / G_USEC_PER_SEC;

          g_hash_table_foreach_remove (self->entries, entry_is_stale, &now);
        }
      entry = g_new0 (Entry, 1);
      entry->failures = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_hash_table_insert (self->entries, g_strdup (key), entry);
    }
  return entry;
}

/* An entry that holds nothing any more leaves the table. */
static void
remove_if_empty (DocketServerRateLimiter *self,
                 const char              *key,
                 Entry                   *entry)
{
  if (entry->pending == 0 && entry->failures->len == 0 && entry->lock == 0)
    g_hash_table_remove (self->entries, key);
}

void
docket_server_rate_limiter_reserve (DocketServerRateLimiter *self,
                                    const char              *key)
{
  lookup_or_add (self, key)->pending++;
}

void
docket_server_rate_limiter_add_failure (DocketServerRateLimiter *self,
                                        const char              *key,
                                        gint64                   now)
{
  Entry *entry = lookup_or_add (self, key);

  if (entry->pending > 0)
    entry->pending--;
  entry_refresh (entry, now);
  entry->last_failure = now;
  g_array_append_val (entry->failures, now);

  if (entry->lock > 0)
    {
      /* Failing again after a lock: twice as long each time. */
      entry->lock = MIN (entry->lock * 2, LONGEST_LOCK);
      entry->locked_until = now + entry->lock;
    }
  else if (entry->failures->len >= self->failures_allowed)
    {
      entry->lock = FIRST_LOCK;
      entry->locked_until = now + entry->lock;
    }
}

void
docket_server_rate_limiter_give_back (DocketServerRateLimiter *self,
                                      const char              *key)
{
  Entry *entry = g_hash_table_lookup (self->entries, key);

  if (entry == NULL)
    return;
  if (entry->pending > 0)
    entry->pending--;
  remove_if_empty (self, key, entry);
}

void
docket_server_rate_limiter_forget (DocketServerRateLimiter *self,
                                   const char              *key)
{
  Entry *entry = g_hash_table_lookup (self->entries, key);

  if (entry == NULL)
    return;
  g_array_set_size (entry->failures, 0);
  entry->lock = 0;
  entry->locked_until = 0;
  remove_if_empty (self, key, entry);
}
