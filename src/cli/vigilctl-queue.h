/* vigilctl-queue.h — the queue command's view: the true counts (read by
 * vigil-queue-counts in the core: which answer means which number), the
 * active job and the queue's health, as JSON or as lines.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "vigil-queue-counts.h"
#include "vigil-types.h"

G_BEGIN_DECLS

typedef struct
{
  VigilQueueCounts      counts;          /* -1 / VIGIL_UNKNOWN when unknown */
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
