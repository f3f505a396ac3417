/* vigilctl-queue.h — the queue's numbers, from the answers that tell them
 *
 * The live service's /api/queue/status answers every count as 0 (with an
 * all-zero priority breakdown and estimate) however busy it is; its
 * /api/queue/health reads the counts from the queue itself, and carries them
 * in its 503 too. The view takes each number from the answer that means it,
 * and leaves it unknown when no answer does.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "vigil-types.h"

G_BEGIN_DECLS

typedef enum
{
  VIGILCTL_COUNTS_UNKNOWN,       /* every count 0 in the status, none elsewhere */
  VIGILCTL_COUNTS_QUEUE_STATUS,  /* the status's counts, confirmed or not contradicted */
  VIGILCTL_COUNTS_QUEUE_HEALTH,  /* the health's counts; the status disagrees */
} VigilctlCountsSource;

typedef struct
{
  /* -1 / VIGIL_UNKNOWN when unknown */
  gint64                total_jobs;
  gint64                pending_jobs;
  gint64                in_progress_jobs;
  gint64                completed_jobs;
  gint64                failed_jobs;
  gint64                priority_high;
  gint64                priority_medium;
  gint64                priority_low;
  double                estimated_completion_minutes;
  VigilctlCountsSource  source;
  VigilJobRecord       *active_job;      /* nullable */
  VigilQueueHealth     *health;          /* nullable: the health call failed */
  char                 *health_error;    /* why, nullable */
} VigilctlQueueView;

/* health and health_error are both NULL when the health was not asked. */
VigilctlQueueView *vigilctl_queue_view_new    (const VigilQueueStatus  *status,
                                               const VigilQueueHealth  *health,
                                               const GError            *health_error);
void               vigilctl_queue_view_free   (VigilctlQueueView       *view);
JsonNode          *vigilctl_queue_view_to_json (const VigilctlQueueView *view);
void               vigilctl_queue_view_print  (const VigilctlQueueView *view);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VigilctlQueueView, vigilctl_queue_view_free)

G_END_DECLS
