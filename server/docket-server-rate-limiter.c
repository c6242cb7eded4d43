/* docket-server-rate-limiter.c: slows down repeated failed sign-ins */
#include "config.h"

#include "docket-server-rate-limiter.h"

#define FAILURES_ALLOWED 5
#define PERIOD           (15 * 60)     /* seconds in which failures count */
#define FIRST_LOCK       (15 * 60)
#define LONGEST_LOCK     (60 * 60)
#define MAX_KEYS         10000         /* bounds the memory an attacker can make us use */

typedef struct {
  GArray *failures;       /* gint64 seconds, oldest first */
  gint64  locked_until;
  gint64  lock;           /* the last lock's length; 0 when never locked */
  gint64  last_failure;
} Entry;

struct _DocketServerRateLimiter
{
  GObject     parent_instance;

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
docket_server_rate_limiter_new (void)
{
  return g_object_new (DOCKET_SERVER_TYPE_RATE_LIMITER, NULL);
}

gint64
docket_server_rate_limiter_check (DocketServerRateLimiter *self,
                                  const char              *key,
                                  gint64                   now)
{
  Entry *entry = g_hash_table_lookup (self->entries, key);

  if (entry == NULL || now >= entry->locked_until)
    return 0;
  return entry->locked_until - now;
}

static gboolean
entry_is_stale (gpointer key,
                gpointer value,
                gpointer user_data)
{
  Entry *entry = value;
  gint64 now = *(gint64 *) user_data;

  return now >= entry->locked_until + LONGEST_LOCK && now - entry->last_failure > PERIOD;
}

void
docket_server_rate_limiter_add_failure (DocketServerRateLimiter *self,
                                        const char              *key,
                                        gint64                   now)
{
  Entry *entry = g_hash_table_lookup (self->entries, key);

  if (entry == NULL)
    {
      if (g_hash_table_size (self->entries) >= MAX_KEYS)
        g_hash_table_foreach_remove (self->entries, entry_is_stale, &now);
      entry = g_new0 (Entry, 1);
      entry->failures = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_hash_table_insert (self->entries, g_strdup (key), entry);
    }

  /* A key quiet for a long while after its last lock starts afresh. */
  if (entry->lock > 0 && now >= entry->locked_until + LONGEST_LOCK &&
      now - entry->last_failure > PERIOD)
    entry->lock = 0;

  entry->last_failure = now;
  while (entry->failures->len > 0 && g_array_index (entry->failures, gint64, 0) <= now - PERIOD)
    g_array_remove_index (entry->failures, 0);
  g_array_append_val (entry->failures, now);

  if (entry->lock > 0)
    {
      /* Failing again after a lock: twice as long each time. */
      entry->lock = MIN (entry->lock * 2, LONGEST_LOCK);
      entry->locked_until = now + entry->lock;
    }
  else if (entry->failures->len >= FAILURES_ALLOWED)
    {
      entry->lock = FIRST_LOCK;
      entry->locked_until = now + entry->lock;
    }
}

void
docket_server_rate_limiter_forget (DocketServerRateLimiter *self,
                                   const char              *key)
{
  g_hash_table_remove (self->entries, key);
}
