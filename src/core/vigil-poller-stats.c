/* vigil-poller-stats.c — the poller's counters for diagnostics, and their
 * public reading (vigil-poller-stats.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vigil-poller-private.h"

#include "vigil-poller-stats.h"

/* ------------------------------------------------------------------ */
/* Counting (the request and answer paths)                             */
/* ------------------------------------------------------------------ */

static gint64
current_second (void)
{
  return g_get_monotonic_time () / G_USEC_PER_SEC;
}

void
vigil_poller_count_request (VigilPoller *self,
                            gboolean     batch)
{
  PollerCounters *c = &self->counters;
  gint64 second = current_second ();
  guint slot = (guint) (second % VIGIL_POLLER_RATE_SLOTS);

  self->total_requests++;
  if (batch)
    c->batch_requests++;

  /* A slot last used a minute (or more) ago starts again. */
  if (c->slot_second[slot] != second)
    {
      c->slot_second[slot] = second;
      c->slot_count[slot] = 0;
    }
  c->slot_count[slot]++;
}

void
vigil_poller_count_answer (VigilPoller  *self,
                           GAsyncResult *result)
{
  self->counters.bytes_received += vigil_api_result_get_bytes_received (result);
}

void
vigil_poller_count_batch_used (VigilPoller *self)
{
  self->counters.batch_answers++;
}

/* ------------------------------------------------------------------ */
/* Reading                                                             */
/* ------------------------------------------------------------------ */

static guint
requests_last_minute (VigilPoller *self)
{
  const PollerCounters *c = &self->counters;
  gint64 second = current_second ();
  guint n = 0;

  for (guint i = 0; i < VIGIL_POLLER_RATE_SLOTS; i++)
    if (c->slot_count[i] > 0 && second - c->slot_second[i] < VIGIL_POLLER_RATE_SLOTS)
      n += c->slot_count[i];
  return n;
}

static int
compare_tracked_since (gconstpointer a,
                       gconstpointer b)
{
  const PollerEntry *x = *(PollerEntry * const *) a;
  const PollerEntry *y = *(PollerEntry * const *) b;

  if (x->tracked_since_us != y->tracked_since_us)
    return x->tracked_since_us < y->tracked_since_us ? -1 : 1;
  return g_strcmp0 (x->job_id, y->job_id);
}

/* While the server is not OK no job is polled on its own: every job waits
 * for the server's probe, and the probe's rule is its reason. */
static void
server_trouble_info (VigilPoller   *self,
                     VigilPollInfo *info)
{
  gint64 now = g_get_monotonic_time ();

  info->reason = self->health == VIGIL_SERVER_HEALTH_NOT_SIGNED_IN ? VIGIL_POLL_REASON_SIGN_IN
                                                                    : VIGIL_POLL_REASON_PROBE;
  info->delay_ms = self->probe_delay_ms;
  info->next_poll_in_s = self->probing ? 0
                         : MAX (0, self->probe_due_us - now) / 1e6 / self->time_scale;
}

static VigilPollerJobStats *
job_stats_new (VigilPoller *self,
               PollerEntry *entry)
{
  VigilPollerJobStats *stats = g_new0 (VigilPollerJobStats, 1);

  g_assert (entry->poller == self);

  stats->job = g_object_ref (entry->job);
  stats->server = g_strdup (self->server_host);
  stats->batched = entry->batched;
  vigil_poller_get_info (self, entry->job, &stats->info);
  if (self->health != VIGIL_SERVER_HEALTH_OK)
    server_trouble_info (self, &stats->info);
  return stats;
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

void
vigil_poller_get_stats (VigilPoller      *self,
                        VigilPollerStats *stats)
{
  g_return_if_fail (VIGIL_IS_POLLER (self));
  g_return_if_fail (stats != NULL);

  stats->requests = self->total_requests;
  stats->requests_last_minute = requests_last_minute (self);
  stats->average_delay_ms = vigil_poller_get_average_delay (self);
  stats->batch_requests = self->counters.batch_requests;
  stats->batch_answers = self->counters.batch_answers;
  stats->bytes_received = self->counters.bytes_received;
  stats->n_tracked = g_hash_table_size (self->entries);
  stats->n_in_flight = self->n_in_flight;
  stats->health = self->health;
}

GPtrArray *
vigil_poller_dup_job_stats (VigilPoller *self)
{
  g_autoptr(GPtrArray) entries = NULL;
  GHashTableIter iter;
  gpointer entry;
  GPtrArray *result;

  g_return_val_if_fail (VIGIL_IS_POLLER (self), NULL);

  entries = g_ptr_array_sized_new (g_hash_table_size (self->entries));
  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, &entry))
    g_ptr_array_add (entries, entry);
  g_ptr_array_sort (entries, compare_tracked_since);

  result = g_ptr_array_new_full (entries->len, (GDestroyNotify) vigil_poller_job_stats_free);
  for (guint i = 0; i < entries->len; i++)
    g_ptr_array_add (result, job_stats_new (self, g_ptr_array_index (entries, i)));
  return result;
}

void
vigil_poller_job_stats_free (VigilPollerJobStats *stats)
{
  if (stats == NULL)
    return;

  g_clear_object (&stats->job);
  g_free (stats->server);
  g_free (stats);
}
