/* vigil-server-monitor.h — one server's dashboard: the queue's true
 * counts, the worker, failures with back-off, the jobs on the server that
 * Vigil does not watch, the charts' samples, and the admin's cleanup.
 * No widgets: the server page binds to it.
 *
 * Polling. While `active` (the GUI sets it while the page is visible and
 * the window shown; FALSE by default) a round asks GET /api/queue/status,
 * /api/queue/health, /api/worker/health and /api/progress at once; the
 * next round starts vigil_monitor_policy_next_delay_ms() (3 s while fine,
 * backing off on failures) × time-scale after the last answer. Inactive,
 * nothing is sent (the round in flight is cancelled, no timer armed)
 * unless `auto-watch` is on: then the same rounds go on every
 * VIGIL_MONITOR_WATCH_INTERVAL_MS (15 s) at most, so that every new job on
 * the server is watched with no dashboard shown, window or not. Setting
 * `active` again polls at once.
 *
 * Failures. A round fails when the queue status, the worker health or the
 * queue health fails (a 503 from the queue health with a body is an
 * answer, not a failure; GET /api/progress failing only leaves the
 * discovered jobs as they were). Values keep their last known value while
 * failing; `last-error` and `failing-since` say what and since when
 * (vigil_server_text_failing() has the words); `failing` follows
 * vigil_monitor_policy_is_failing(). A new token or cookie on the client
 * polls at once when the server wanted a sign-in or an admin.
 *
 * Discovered jobs ("Also on this server"): ids in GET /api/progress, the
 * queue's active job and the worker's current job that the tracker does
 * not hold become VigilDiscoveredJob items of `discovered`; one leaves it
 * when the tracker gets it, when a record says it ended, or when it was
 * absent from three answered rounds in a row (behind a load balancer
 * GET /api/progress lists one process's jobs: absence is no proof).
 * With `auto-watch`, each one is handed to vigil_tracker_watch() at once:
 * the tracker's poller follows it through its batch route and job
 * records, the monitor adds no request of its own.
 *
 * Charts. Each answered round records, into `history` (when set), the
 * pending count as the queue length and the songs analyzed since the last
 * round: the growth of completed_items of the jobs in GET /api/progress,
 * plus the remaining items of a job that left it (taken as finished).
 *
 * Heartbeat. `heartbeat-stale` is vigil_monitor_policy_heartbeat_stale()
 * of the worker's last_heartbeat and the last time any job was seen
 * progressing (completed items or fraction moving).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "vigil-api-client.h"
#include "vigil-discovered-job.h"
#include "vigil-monitor-policy.h"
#include "vigil-queue-counts.h"
#include "vigil-server-history.h"
#include "vigil-tracker.h"

G_BEGIN_DECLS

#define VIGIL_TYPE_SERVER_MONITOR (vigil_server_monitor_get_type ())
G_DECLARE_FINAL_TYPE (VigilServerMonitor, vigil_server_monitor, VIGIL, SERVER_MONITOR, GObject)

/* Properties:
 *   client            VigilApiClient*     construct-only
 *   tracker           VigilTracker*       construct-only, nullable: the jobs this Vigil
 *                                         watches on the server (same client)
 *   history           VigilServerHistory* construct-only, nullable
 *   active            gboolean            poll every 3 s (default FALSE)
 *   auto-watch        gboolean            track every discovered job, polling every
 *                                         15 s while not active (default FALSE)
 *   time-scale        double              delays × it (default 1; tests)
 *   discovered        GListModel*         read-only, of VigilDiscoveredJob, oldest first
 *   failing           gboolean            read-only
 *   failing-since     gint64              read-only, wall-clock µs of the first failed
 *                                         round of the streak; 0 while not failing
 *   last-update       gint64              read-only, wall-clock µs of the last answered
 *                                         round; 0 before
 *   worker-state      int                 read-only, a VigilWorkerState
 *   heartbeat-stale   gboolean            read-only
 * Signals:
 *   changed ()        after every round (answered or not) and when the
 *                     discovered jobs change: read the getters again.
 */

VigilServerMonitor      *vigil_server_monitor_new                (VigilApiClient     *client,
                                                                  VigilTracker       *tracker,
                                                                  VigilServerHistory *history);

VigilApiClient          *vigil_server_monitor_get_client         (VigilServerMonitor *self);
VigilTracker            *vigil_server_monitor_get_tracker        (VigilServerMonitor *self);
VigilServerHistory      *vigil_server_monitor_get_history        (VigilServerMonitor *self);

gboolean                 vigil_server_monitor_get_active         (VigilServerMonitor *self);
void                     vigil_server_monitor_set_active         (VigilServerMonitor *self,
                                                                  gboolean            active);
gboolean                 vigil_server_monitor_get_auto_watch     (VigilServerMonitor *self);
void                     vigil_server_monitor_set_auto_watch     (VigilServerMonitor *self,
                                                                  gboolean            auto_watch);
double                   vigil_server_monitor_get_time_scale     (VigilServerMonitor *self);
void                     vigil_server_monitor_set_time_scale     (VigilServerMonitor *self,
                                                                  double              time_scale);
/* Poll now (when active), instead of at the next round; during a round,
 * again as soon as it is answered. */
void                     vigil_server_monitor_refresh            (VigilServerMonitor *self);

/* The queue: counts (every number -1 until known), the active job
 * (nullable), the queue health's answer (nullable). */
const VigilQueueCounts  *vigil_server_monitor_get_counts         (VigilServerMonitor *self);
VigilJobRecord          *vigil_server_monitor_get_active_job     (VigilServerMonitor *self);
VigilQueueHealth        *vigil_server_monitor_get_queue_health   (VigilServerMonitor *self);

/* The worker: its answer (nullable until one arrives: uptime, processed,
 * failed, interrupted, current_job, last_heartbeat), its state, and the
 * heartbeat rule. */
VigilWorkerHealth       *vigil_server_monitor_get_worker         (VigilServerMonitor *self);
VigilWorkerState         vigil_server_monitor_get_worker_state   (VigilServerMonitor *self);
gboolean                 vigil_server_monitor_get_heartbeat_stale (VigilServerMonitor *self);

/* Failures: the last round's error (NULL once a round is answered). */
const GError            *vigil_server_monitor_get_last_error     (VigilServerMonitor *self);
gboolean                 vigil_server_monitor_get_failing        (VigilServerMonitor *self);
gint64                   vigil_server_monitor_get_failing_since  (VigilServerMonitor *self);
gint64                   vigil_server_monitor_get_last_update    (VigilServerMonitor *self);
/* The delay before the next round, ms, before time-scale (diagnostics). */
guint                    vigil_server_monitor_get_next_delay_ms  (VigilServerMonitor *self);
/* Rounds sent since creation (each is four requests). */
guint64                  vigil_server_monitor_get_rounds         (VigilServerMonitor *self);

/* "Also on this server". */
GListModel              *vigil_server_monitor_get_discovered     (VigilServerMonitor *self);
/* Tracks one discovered job (its Watch button); it leaves `discovered`.
 * NULL without a tracker. (transfer none) */
VigilJob                *vigil_server_monitor_watch              (VigilServerMonitor *self,
                                                                  VigilDiscoveredJob *job);

/* POST /api/progress/cleanup with {"max_age_hours": N}: N is checked first
 * (vigil_monitor_policy_check_max_age: G_IO_ERROR_INVALID_ARGUMENT, nothing
 * sent). The server's message, or NULL with the error (401/403 are
 * VIGIL_API_ERROR_UNAUTHORIZED/FORBIDDEN: "Not an admin" in
 * vigil_server_text_cleanup_result()). An answered cleanup polls again at
 * once when active. */
void                     vigil_server_monitor_cleanup_async      (VigilServerMonitor  *self,
                                                                  int                  max_age_hours,
                                                                  GCancellable        *cancellable,
                                                                  GAsyncReadyCallback  callback,
                                                                  gpointer             user_data);
char                    *vigil_server_monitor_cleanup_finish     (VigilServerMonitor  *self,
                                                                  GAsyncResult        *result,
                                                                  GError             **error);

G_END_DECLS
