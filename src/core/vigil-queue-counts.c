/* vigil-queue-counts.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vigil-queue-counts.h"

static gboolean
health_has_counts (const VigilQueueHealth *h)
{
  return h != NULL && (h->pending_jobs >= 0 || h->in_progress_jobs >= 0 ||
                       h->completed_jobs >= 0 || h->failed_jobs >= 0);
}

/* Every count the status gives is 0 (and it gives one). */
static gboolean
status_all_zero (const VigilQueueStatus *s)
{
  const gint64 counts[] = { s->total_jobs, s->pending_jobs, s->in_progress_jobs,
                            s->completed_jobs, s->failed_jobs };
  gboolean any = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      if (counts[i] > 0)
        return FALSE;
      any |= counts[i] == 0;
    }
  return any;
}

static gboolean
same_count (gint64 status_count,
            gint64 health_count)
{
  return health_count < 0 || status_count == health_count;
}

static gboolean
status_agrees (const VigilQueueStatus *s,
               const VigilQueueHealth *h)
{
  return same_count (s->pending_jobs, h->pending_jobs) &&
         same_count (s->in_progress_jobs, h->in_progress_jobs) &&
         same_count (s->completed_jobs, h->completed_jobs) &&
         same_count (s->failed_jobs, h->failed_jobs);
}

static gint64
either (gint64 first,
        gint64 second)
{
  return first >= 0 ? first : second;
}

static void
take_status (VigilQueueCounts       *c,
             const VigilQueueStatus *s,
             const VigilQueueHealth *h)
{
  c->source = VIGIL_QUEUE_COUNTS_QUEUE_STATUS;
  c->total_jobs = either (s->total_jobs, h ? h->total_jobs : -1);
  c->pending_jobs = either (s->pending_jobs, h ? h->pending_jobs : -1);
  c->in_progress_jobs = either (s->in_progress_jobs, h ? h->in_progress_jobs : -1);
  c->completed_jobs = either (s->completed_jobs, h ? h->completed_jobs : -1);
  c->failed_jobs = either (s->failed_jobs, h ? h->failed_jobs : -1);
  c->priority_high = s->priority_high;
  c->priority_medium = s->priority_medium;
  c->priority_low = s->priority_low;
  c->estimated_completion_minutes = s->estimated_completion_minutes;
}

/* The status's priorities and estimate come from the same counters as its
 * counts: they go with them. */
static void
take_health (VigilQueueCounts       *c,
             const VigilQueueHealth *h)
{
  c->source = VIGIL_QUEUE_COUNTS_QUEUE_HEALTH;
  c->total_jobs = h->total_jobs;
  c->pending_jobs = h->pending_jobs;
  c->in_progress_jobs = h->in_progress_jobs;
  c->completed_jobs = h->completed_jobs;
  c->failed_jobs = h->failed_jobs;
}

void
vigil_queue_counts_init_unknown (VigilQueueCounts *counts)
{
  g_return_if_fail (counts != NULL);

  counts->total_jobs = counts->pending_jobs = counts->in_progress_jobs = -1;
  counts->completed_jobs = counts->failed_jobs = -1;
  counts->priority_high = counts->priority_medium = counts->priority_low = -1;
  counts->estimated_completion_minutes = VIGIL_UNKNOWN;
  counts->source = VIGIL_QUEUE_COUNTS_UNKNOWN;
}

void
vigil_queue_counts_compute (VigilQueueCounts       *counts,
                            const VigilQueueStatus *status,
                            const VigilQueueHealth *health)
{
  g_return_if_fail (counts != NULL);

  vigil_queue_counts_init_unknown (counts);

  if (health_has_counts (health))
    {
      if (status != NULL && status_agrees (status, health))
        take_status (counts, status, health);
      else
        take_health (counts, health);
    }
  else if (status != NULL && !status_all_zero (status))
    take_status (counts, status, NULL);
}

gboolean
vigil_queue_counts_equal (const VigilQueueCounts *a,
                          const VigilQueueCounts *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return a->total_jobs == b->total_jobs && a->pending_jobs == b->pending_jobs &&
         a->in_progress_jobs == b->in_progress_jobs &&
         a->completed_jobs == b->completed_jobs && a->failed_jobs == b->failed_jobs &&
         a->priority_high == b->priority_high && a->priority_medium == b->priority_medium &&
         a->priority_low == b->priority_low &&
         a->estimated_completion_minutes == b->estimated_completion_minutes &&
         a->source == b->source;
}
