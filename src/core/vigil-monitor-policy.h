/* vigil-monitor-policy.h — when the server monitor asks a server again, and
 * when a worker's heartbeat is worth a warning. Pure functions, no server,
 * no clock of their own (tests/test-monitor-policy.c).
 *
 * The dashboard endpoints are asked every VIGIL_MONITOR_INTERVAL_MS (the
 * contract's rate). Failures back off per server: the interval doubles per
 * consecutive failed round up to VIGIL_MONITOR_MAX_INTERVAL_MS; a server
 * that wants a sign-in or admin rights (401, 403, a sign-in page) is asked
 * only every VIGIL_MONITOR_AUTH_INTERVAL_MS, since nothing changes until
 * the user signs in; a Retry-After is honoured (never sooner).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define VIGIL_MONITOR_INTERVAL_MS       3000
#define VIGIL_MONITOR_MAX_INTERVAL_MS   60000
#define VIGIL_MONITOR_AUTH_INTERVAL_MS  60000
/* With no dashboard shown, a server whose every job is watched
 * (auto-watch) is asked at most this often, for new jobs only. */
#define VIGIL_MONITOR_WATCH_INTERVAL_MS 15000
/* A heartbeat older than this, with no job progressing for as long, is
 * worth a warning (the live worker refreshes it only between jobs). */
#define VIGIL_MONITOR_HEARTBEAT_STALE_S 300
/* Failed rounds in a row before the server counts as failing (a banner):
 * one lost answer is not worth one. Auth failures count at once. */
#define VIGIL_MONITOR_FAILING_AFTER     2

typedef enum
{
  VIGIL_MONITOR_FAILURE_NONE,          /* the last round was answered */
  VIGIL_MONITOR_FAILURE_UNREACHABLE,   /* network, timeout */
  VIGIL_MONITOR_FAILURE_SERVER,        /* 5xx, protocol errors, anything else */
  VIGIL_MONITOR_FAILURE_RATE_LIMITED,  /* 429, 503 with Retry-After */
  VIGIL_MONITOR_FAILURE_NOT_SIGNED_IN, /* 401, a redirect, a sign-in page */
  VIGIL_MONITOR_FAILURE_NOT_ADMIN,     /* 403 */
} VigilMonitorFailure;

/* The worker's status as /api/worker/health names it (any case). */
typedef enum
{
  VIGIL_WORKER_STATE_UNKNOWN,      /* not asked yet, absent, or another word */
  VIGIL_WORKER_STATE_RUNNING,      /* "running" */
  VIGIL_WORKER_STATE_STOPPED,      /* "stopped" */
  VIGIL_WORKER_STATE_NOT_RUNNING,  /* "not_running" (also "not running", "not-running") */
} VigilWorkerState;

VigilWorkerState    vigil_worker_state_from_string     (const char                    *status);

typedef struct
{
  guint                consecutive_failures;  /* failed rounds in a row */
  VigilMonitorFailure  failure;               /* of the last round */
  gint64               retry_after_ms;        /* the last answer's Retry-After, -1 */
} VigilMonitorPolicyInput;

/* A failure kind from a VIGIL_API_ERROR (or any error: SERVER); NULL: NONE. */
VigilMonitorFailure vigil_monitor_failure_from_error   (const GError                  *error);

/* The delay before the next round, in milliseconds (before any time scale):
 * VIGIL_MONITOR_INTERVAL_MS while fine; × 2 per consecutive failure, capped
 * at VIGIL_MONITOR_MAX_INTERVAL_MS; VIGIL_MONITOR_AUTH_INTERVAL_MS for a
 * sign-in or admin failure; never sooner than a Retry-After (capped at a
 * day). */
guint               vigil_monitor_policy_next_delay_ms (const VigilMonitorPolicyInput *input);

/* Whether the server counts as failing: an auth failure at once, others
 * after VIGIL_MONITOR_FAILING_AFTER failed rounds in a row. */
gboolean            vigil_monitor_policy_is_failing    (const VigilMonitorPolicyInput *input);

/* The heartbeat rule: warn ("the worker may be stuck") only when the
 * heartbeat is older than VIGIL_MONITOR_HEARTBEAT_STALE_S AND no job was
 * seen progressing for as long. All times in wall-clock µs; heartbeat_us
 * 0 (none sent) never warns; last_progress_us 0: no progress seen. A
 * heartbeat from the future (clock skew) is fresh. */
gboolean            vigil_monitor_policy_heartbeat_stale (gint64 heartbeat_us,
                                                          gint64 last_progress_us,
                                                          gint64 now_us);

/* The cleanup endpoint's max age: 1 … 8784 hours (a leap year). FALSE with
 * G_IO_ERROR_INVALID_ARGUMENT and a message in words otherwise. */
gboolean            vigil_monitor_policy_check_max_age   (int      max_age_hours,
                                                          GError **error);
#define VIGIL_MONITOR_MAX_AGE_HOURS_MAX 8784
#define VIGIL_MONITOR_MAX_AGE_HOURS_DEFAULT 24

G_END_DECLS
