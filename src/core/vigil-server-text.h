/* vigil-server-text.h — every word about a server's dashboard: queue
 * counts, the worker, the heartbeat warning, failures, cleanup, the charts'
 * description. Widget-free and translatable, like vigil-job-text: the
 * server page, vigilctl and the tests read the same sentences.
 *
 * Unknown is never 0: a count the server did not send is "—"
 * (vigil_server_text_count), a state it did not send is "Unknown".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "vigil-monitor-policy.h"
#include "vigil-queue-counts.h"

G_BEGIN_DECLS

typedef enum
{
  VIGIL_TREND_UNKNOWN,  /* too few samples to say */
  VIGIL_TREND_STEADY,
  VIGIL_TREND_RISING,
  VIGIL_TREND_FALLING,
} VigilTrend;

/* "12", or "—" for a negative (unknown) count. */
char       *vigil_server_text_count              (gint64            count);
/* "Unknown": what a state or a time the server did not send reads as. */
const char *vigil_server_text_unknown            (void);
/* "High 1, medium 2, low 0"; "—" when every priority is unknown (unknown
 * ones read "—"). */
char       *vigil_server_text_priorities         (const VigilQueueCounts *counts);
/* "3 pending, 1 running" ("—" for unknown parts), for summaries and
 * accessible labels. */
char       *vigil_server_text_queue_summary      (const VigilQueueCounts *counts);
/* Why some counts come from /api/queue/health or are unknown; NULL when
 * the queue status says them all. */
const char *vigil_server_text_counts_note        (VigilQueueCountsSource  source);

/* "Running", "Stopped", "Not running", "Unknown". */
const char *vigil_server_text_worker_state       (VigilWorkerState   state);
/* "2 days, 3 hours", "3 hours, 12 minutes", "12 minutes", "45 seconds";
 * "Unknown" for VIGIL_UNKNOWN, NaN or over VIGIL_MAX_SECONDS. */
char       *vigil_server_text_uptime             (double             seconds);
/* "Just now", "45 seconds ago", "12 minutes ago", "3 hours ago"; "Never"
 * for a NULL heartbeat (the server sent none); a time in the future (clock
 * skew) reads "Just now". now NULL: the current time. */
char       *vigil_server_text_heartbeat          (GDateTime         *heartbeat,
                                                  GDateTime         *now);
/* The heartbeat rule's warning (vigil_monitor_policy_heartbeat_stale). */
const char *vigil_server_text_heartbeat_warning  (void);

/* The failing server's banner: what is wrong in words, the time it started
 * ("since 14:02", local time) and the error's message: "Not an admin: the
 * dashboard needs an administrator's sign-in", "Not signed in to …",
 * "Can't reach the server since 14:02: …", "The server has trouble since
 * 14:02: …". failing_since_us: wall-clock µs, 0 when unknown. */
char       *vigil_server_text_failing            (const GError      *error,
                                                  gint64             failing_since_us);

/* The cleanup's result: the server's message (or "Stale progress records
 * were cleaned up"), or for an error "Not an admin" (401, 403), the
 * validation's message, else "Cleanup failed: …". */
char       *vigil_server_text_cleanup_result     (const char        *message,
                                                  const GError      *error);

/* "Queue length 12, rising; 8 songs analyzed per minute, steady".
 * Negative values are unknown ("Queue length unknown"); a trend
 * VIGIL_TREND_UNKNOWN is left out; with no sample at all: "No data yet". */
char       *vigil_server_text_history_description (gint64           queue_length,
                                                   VigilTrend       queue_trend,
                                                   gint64           songs_per_minute,
                                                   VigilTrend       songs_trend);

G_END_DECLS
