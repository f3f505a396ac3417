/* vigil-discovered-job.h — a job running or queued on a server that this
 * Vigil does not watch ("Also on this server"), as the server monitor saw
 * it: in GET /api/progress, as the queue's active job or as the worker's
 * current job. Read-only for views; the monitor updates it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "vigil-enums.h"
#include "vigil-types.h"

G_BEGIN_DECLS

#define VIGIL_TYPE_DISCOVERED_JOB (vigil_discovered_job_get_type ())
G_DECLARE_FINAL_TYPE (VigilDiscoveredJob, vigil_discovered_job, VIGIL, DISCOVERED_JOB, GObject)

/* Properties (read-only, notified when they change):
 *   job-id           char*         the server's id
 *   kind             VigilJobKind  UNKNOWN until a record or progress says
 *   target-id        gint64        song/playlist/user id, -1 when unknown
 *   title            char*         "Title — Artist", a playlist's name, "Playlist", …
 *                                  (vigil_job_text_title)
 *   fraction         double        0..1, -1 when unknown
 *   completed-items  gint64        -1 when unknown
 *   total-items      gint64        -1 when unknown
 *   progress-text    char*         "42% (5 of 12)", "—" (vigil_job_text_progress)
 */

VigilDiscoveredJob *vigil_discovered_job_new              (const char           *job_id);
const char         *vigil_discovered_job_get_job_id       (VigilDiscoveredJob   *self);
VigilJobKind        vigil_discovered_job_get_kind         (VigilDiscoveredJob   *self);
gint64              vigil_discovered_job_get_target_id    (VigilDiscoveredJob   *self);
const char         *vigil_discovered_job_get_title        (VigilDiscoveredJob   *self);
double              vigil_discovered_job_get_fraction     (VigilDiscoveredJob   *self);
gint64              vigil_discovered_job_get_completed_items (VigilDiscoveredJob *self);
gint64              vigil_discovered_job_get_total_items  (VigilDiscoveredJob   *self);
const char         *vigil_discovered_job_get_progress_text (VigilDiscoveredJob  *self);

/* What a progress object or a job record tells (what it leaves out stays). */
void                vigil_discovered_job_apply_progress   (VigilDiscoveredJob   *self,
                                                           const VigilProgress  *progress);
void                vigil_discovered_job_apply_record     (VigilDiscoveredJob   *self,
                                                           const VigilJobRecord *record);

G_END_DECLS
