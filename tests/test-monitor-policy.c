/* test-monitor-policy.c — the server monitor's back-off and heartbeat rules
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>

#include "vigil-api-client.h"
#include "vigil-monitor-policy.h"

static guint
delay_for (guint consecutive, VigilMonitorFailure failure, gint64 retry_after)
{
  VigilMonitorPolicyInput in = { consecutive, failure, retry_after };

  return vigil_monitor_policy_next_delay_ms (&in);
}

static void
test_interval (void)
{
  g_assert_cmpuint (delay_for (0, VIGIL_MONITOR_FAILURE_NONE, -1), ==, 3000);
  /* a stale failure kind with no failure counted is fine */
  g_assert_cmpuint (delay_for (0, VIGIL_MONITOR_FAILURE_SERVER, -1), ==, 3000);
}

static void
test_backoff (void)
{
  g_assert_cmpuint (delay_for (1, VIGIL_MONITOR_FAILURE_UNREACHABLE, -1), ==, 6000);
  g_assert_cmpuint (delay_for (2, VIGIL_MONITOR_FAILURE_SERVER, -1), ==, 12000);
  g_assert_cmpuint (delay_for (3, VIGIL_MONITOR_FAILURE_SERVER, -1), ==, 24000);
  g_assert_cmpuint (delay_for (4, VIGIL_MONITOR_FAILURE_SERVER, -1), ==, 48000);
  g_assert_cmpuint (delay_for (5, VIGIL_MONITOR_FAILURE_SERVER, -1), ==, 60000);
  g_assert_cmpuint (delay_for (G_MAXUINT, VIGIL_MONITOR_FAILURE_SERVER, -1), ==, 60000);
  /* monotonic */
  for (guint i = 1; i < 40; i++)
    g_assert_cmpuint (delay_for (i, VIGIL_MONITOR_FAILURE_SERVER, -1), >=,
                      delay_for (i - 1, VIGIL_MONITOR_FAILURE_SERVER, -1));
}

static void
test_auth_and_retry_after (void)
{
  g_assert_cmpuint (delay_for (1, VIGIL_MONITOR_FAILURE_NOT_SIGNED_IN, -1), ==, 60000);
  g_assert_cmpuint (delay_for (1, VIGIL_MONITOR_FAILURE_NOT_ADMIN, -1), ==, 60000);
  g_assert_cmpuint (delay_for (1, VIGIL_MONITOR_FAILURE_RATE_LIMITED, 20000), ==, 20000);
  /* never sooner than the Retry-After, and it does not shorten the back-off */
  g_assert_cmpuint (delay_for (1, VIGIL_MONITOR_FAILURE_RATE_LIMITED, 10), ==, 6000);
  /* capped at a day */
  g_assert_cmpuint (delay_for (1, VIGIL_MONITOR_FAILURE_RATE_LIMITED, G_MAXINT64), ==,
                    24 * 60 * 60 * 1000);
}

static void
test_failing (void)
{
  VigilMonitorPolicyInput in = { 1, VIGIL_MONITOR_FAILURE_SERVER, -1 };

  g_assert_false (vigil_monitor_policy_is_failing (&in));
  in.consecutive_failures = 2;
  g_assert_true (vigil_monitor_policy_is_failing (&in));
  in.consecutive_failures = 1;
  in.failure = VIGIL_MONITOR_FAILURE_NOT_ADMIN;
  g_assert_true (vigil_monitor_policy_is_failing (&in));
  in.consecutive_failures = 0;
  g_assert_false (vigil_monitor_policy_is_failing (&in));
}

static void
test_failure_from_error (void)
{
  struct { int code; VigilMonitorFailure want; } cases[] = {
    { VIGIL_API_ERROR_NETWORK, VIGIL_MONITOR_FAILURE_UNREACHABLE },
    { VIGIL_API_ERROR_TIMEOUT, VIGIL_MONITOR_FAILURE_UNREACHABLE },
    { VIGIL_API_ERROR_SERVER, VIGIL_MONITOR_FAILURE_SERVER },
    { VIGIL_API_ERROR_PROTOCOL, VIGIL_MONITOR_FAILURE_SERVER },
    { VIGIL_API_ERROR_NOT_FOUND, VIGIL_MONITOR_FAILURE_SERVER },
    { VIGIL_API_ERROR_RATE_LIMITED, VIGIL_MONITOR_FAILURE_RATE_LIMITED },
    { VIGIL_API_ERROR_UNAUTHORIZED, VIGIL_MONITOR_FAILURE_NOT_SIGNED_IN },
    { VIGIL_API_ERROR_FORBIDDEN, VIGIL_MONITOR_FAILURE_NOT_ADMIN },
  };
  g_autoptr(GError) other = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "x");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) e = g_error_new_literal (VIGIL_API_ERROR, cases[i].code, "x");

      g_assert_cmpint (vigil_monitor_failure_from_error (e), ==, cases[i].want);
    }
  g_assert_cmpint (vigil_monitor_failure_from_error (NULL), ==, VIGIL_MONITOR_FAILURE_NONE);
  g_assert_cmpint (vigil_monitor_failure_from_error (other), ==, VIGIL_MONITOR_FAILURE_SERVER);
}

#define S(x) ((gint64) (x) * G_USEC_PER_SEC)

static void
test_heartbeat (void)
{
  gint64 now = S (1000000);

  /* fresh heartbeat */
  g_assert_false (vigil_monitor_policy_heartbeat_stale (now - S (10), 0, now));
  /* none sent */
  g_assert_false (vigil_monitor_policy_heartbeat_stale (0, 0, now));
  /* old heartbeat, nothing progressing: warn */
  g_assert_true (vigil_monitor_policy_heartbeat_stale (now - S (301), 0, now));
  g_assert_true (vigil_monitor_policy_heartbeat_stale (now - S (3600), now - S (400), now));
  /* old heartbeat during a long job that progresses: no warning */
  g_assert_false (vigil_monitor_policy_heartbeat_stale (now - S (3600), now - S (5), now));
  /* exactly at the limit: not yet */
  g_assert_false (vigil_monitor_policy_heartbeat_stale (now - S (300), 0, now));
  /* from the future (skew) */
  g_assert_false (vigil_monitor_policy_heartbeat_stale (now + S (3600), 0, now));
}

static void
test_max_age (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (vigil_monitor_policy_check_max_age (1, NULL));
  g_assert_true (vigil_monitor_policy_check_max_age (24, NULL));
  g_assert_true (vigil_monitor_policy_check_max_age (8784, NULL));
  g_assert_false (vigil_monitor_policy_check_max_age (8785, NULL));
  g_assert_false (vigil_monitor_policy_check_max_age (-3, NULL));
  g_assert_false (vigil_monitor_policy_check_max_age (0, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "hours"));
}

static void
test_worker_state (void)
{
  g_assert_cmpint (vigil_worker_state_from_string ("running"), ==, VIGIL_WORKER_STATE_RUNNING);
  g_assert_cmpint (vigil_worker_state_from_string ("RUNNING"), ==, VIGIL_WORKER_STATE_RUNNING);
  g_assert_cmpint (vigil_worker_state_from_string ("Stopped"), ==, VIGIL_WORKER_STATE_STOPPED);
  g_assert_cmpint (vigil_worker_state_from_string ("not_running"), ==,
                   VIGIL_WORKER_STATE_NOT_RUNNING);
  g_assert_cmpint (vigil_worker_state_from_string ("not-running"), ==,
                   VIGIL_WORKER_STATE_NOT_RUNNING);
  g_assert_cmpint (vigil_worker_state_from_string ("dancing"), ==, VIGIL_WORKER_STATE_UNKNOWN);
  g_assert_cmpint (vigil_worker_state_from_string (""), ==, VIGIL_WORKER_STATE_UNKNOWN);
  g_assert_cmpint (vigil_worker_state_from_string (NULL), ==, VIGIL_WORKER_STATE_UNKNOWN);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/vigil/monitor-policy/interval", test_interval);
  g_test_add_func ("/vigil/monitor-policy/backoff", test_backoff);
  g_test_add_func ("/vigil/monitor-policy/auth-and-retry-after", test_auth_and_retry_after);
  g_test_add_func ("/vigil/monitor-policy/failing", test_failing);
  g_test_add_func ("/vigil/monitor-policy/failure-from-error", test_failure_from_error);
  g_test_add_func ("/vigil/monitor-policy/heartbeat", test_heartbeat);
  g_test_add_func ("/vigil/monitor-policy/max-age", test_max_age);
  g_test_add_func ("/vigil/monitor-policy/worker-state", test_worker_state);

  return g_test_run ();
}
