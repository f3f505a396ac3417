/* vigil-queue-counts.h — the queue's true numbers, from the answers that
 * tell them
 *
 * The live service's /api/queue/status answers every count as 0 (with an
 * all-zero priority breakdown and estimate) however busy it is; its
 * /api/queue/health reads the counts from the queue itself, and carries them
 * in its 503 too (a 503 there is not a failure). Each number is taken from
 * the answer that means it, and stays unknown (-1) when no answer does —
 * never 0 by default. vigilctl's queue command and the server monitor both
 * read the queue this way.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vigil-types.h"

G_BEGIN_DECLS

typedef enum
{
  VIGIL_QUEUE_COUNTS_UNKNOWN,       /* every count 0 in the status (or no status), none elsewhere */
  VIGIL_QUEUE_COUNTS_QUEUE_STATUS,  /* the status's counts, confirmed or not contradicted */
  VIGIL_QUEUE_COUNTS_QUEUE_HEALTH,  /* the health's counts; the status disagrees or is missing */
} VigilQueueCountsSource;

typedef struct
{
  /* -1 when unknown */
  gint64                  total_jobs;
  gint64                  pending_jobs;
  gint64                  in_progress_jobs;
  gint64                  completed_jobs;
  gint64                  failed_jobs;
  gint64                  priority_high;
  gint64                  priority_medium;
  gint64                  priority_low;
  double                  estimated_completion_minutes;  /* or VIGIL_UNKNOWN */
  VigilQueueCountsSource  source;
} VigilQueueCounts;

/* Every number unknown. */
void     vigil_queue_counts_init_unknown (VigilQueueCounts       *counts);

/* The true counts from the answers at hand: status (nullable: its call
 * failed) and health (nullable: its call failed or was not made). With the
 * health's counts, the status's are used when they agree (the status adds
 * the priorities and the estimate); when they disagree the health's win and
 * the priorities and estimate are unknown (they come from the same stale
 * counters as the status's counts). Without them, a status whose counts are
 * all 0 says nothing (the live service's quirk): everything unknown. */
void     vigil_queue_counts_compute      (VigilQueueCounts       *counts,
                                          const VigilQueueStatus *status,
                                          const VigilQueueHealth *health);

gboolean vigil_queue_counts_equal        (const VigilQueueCounts *a,
                                          const VigilQueueCounts *b);

G_END_DECLS
