/* vigil-monitor-policy.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "vigil-api-client.h"

#include "vigil-monitor-policy.h"

#define DAY_MS (24 * 60 * 60 * 1000)

VigilMonitorFailure
vigil_monitor_failure_from_error (const GError *error)
{
  if (error == NULL)
    return VIGIL_MONITOR_FAILURE_NONE;
  if (error->domain != VIGIL_API_ERROR)
    return VIGIL_MONITOR_FAILURE_SERVER;

  switch ((VigilApiError) error->code)
    {
    case VIGIL_API_ERROR_NETWORK:
    case VIGIL_API_ERROR_TIMEOUT:
      return VIGIL_MONITOR_FAILURE_UNREACHABLE;
    case VIGIL_API_ERROR_RATE_LIMITED:
      return VIGIL_MONITOR_FAILURE_RATE_LIMITED;
    case VIGIL_API_ERROR_UNAUTHORIZED:
      return VIGIL_MONITOR_FAILURE_NOT_SIGNED_IN;
    case VIGIL_API_ERROR_FORBIDDEN:
      return VIGIL_MONITOR_FAILURE_NOT_ADMIN;
    case VIGIL_API_ERROR_NOT_FOUND:
    case VIGIL_API_ERROR_SERVER:
    case VIGIL_API_ERROR_PROTOCOL:
    case VIGIL_API_ERROR_INVALID_URL:
    default:
      return VIGIL_MONITOR_FAILURE_SERVER;
    }
}

VigilWorkerState
vigil_worker_state_from_string (const char *status)
{
  if (status == NULL)
    return VIGIL_WORKER_STATE_UNKNOWN;
  if (g_ascii_strcasecmp (status, "running") == 0)
    return VIGIL_WORKER_STATE_RUNNING;
  if (g_ascii_strcasecmp (status, "stopped") == 0)
    return VIGIL_WORKER_STATE_STOPPED;
  if (g_ascii_strcasecmp (status, "not_running") == 0 ||
      g_ascii_strcasecmp (status, "not running") == 0 ||
      g_ascii_strcasecmp (status, "not-running") == 0)
    return VIGIL_WORKER_STATE_NOT_RUNNING;
  return VIGIL_WORKER_STATE_UNKNOWN;
}

static gboolean
is_auth (VigilMonitorFailure failure)
{
  return failure == VIGIL_MONITOR_FAILURE_NOT_SIGNED_IN ||
         failure == VIGIL_MONITOR_FAILURE_NOT_ADMIN;
}

guint
vigil_monitor_policy_next_delay_ms (const VigilMonitorPolicyInput *input)
{
  guint64 delay = VIGIL_MONITOR_INTERVAL_MS;

  g_return_val_if_fail (input != NULL, VIGIL_MONITOR_INTERVAL_MS);

  if (input->failure == VIGIL_MONITOR_FAILURE_NONE || input->consecutive_failures == 0)
    return VIGIL_MONITOR_INTERVAL_MS;

  if (is_auth (input->failure))
    delay = VIGIL_MONITOR_AUTH_INTERVAL_MS;
  else
    for (guint i = 0; i < input->consecutive_failures && delay < VIGIL_MONITOR_MAX_INTERVAL_MS; i++)
      delay *= 2;

  delay = MIN (delay, VIGIL_MONITOR_MAX_INTERVAL_MS);
  if (input->retry_after_ms > 0)
    delay = MAX (delay, (guint64) MIN (input->retry_after_ms, DAY_MS));
  return (guint) delay;
}

gboolean
vigil_monitor_policy_is_failing (const VigilMonitorPolicyInput *input)
{
  g_return_val_if_fail (input != NULL, FALSE);

  if (input->failure == VIGIL_MONITOR_FAILURE_NONE || input->consecutive_failures == 0)
    return FALSE;
  if (is_auth (input->failure))
    return TRUE;
  return input->consecutive_failures >= VIGIL_MONITOR_FAILING_AFTER;
}

gboolean
vigil_monitor_policy_heartbeat_stale (gint64 heartbeat_us,
                                      gint64 last_progress_us,
                                      gint64 now_us)
{
  const gint64 stale_us = (gint64) VIGIL_MONITOR_HEARTBEAT_STALE_S * G_USEC_PER_SEC;

  if (heartbeat_us <= 0 || now_us - heartbeat_us <= stale_us)
    return FALSE;
  /* The live worker refreshes its heartbeat only between jobs: during a
   * long job, progress is the sign of life. */
  return last_progress_us <= 0 || now_us - last_progress_us > stale_us;
}

gboolean
vigil_monitor_policy_check_max_age (int      max_age_hours,
                                    GError **error)
{
  if (max_age_hours >= 1 && max_age_hours <= VIGIL_MONITOR_MAX_AGE_HOURS_MAX)
    return TRUE;

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               /* Translators: %d is the largest number of hours allowed */
               _("The age must be a whole number of hours from 1 to %d"),
               VIGIL_MONITOR_MAX_AGE_HOURS_MAX);
  return FALSE;
}
