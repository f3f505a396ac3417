/* test-server-text.c — the dashboard's words: unknown is never 0
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "vigil-api-client.h"
#include "vigil-server-text.h"

static void
assert_text (char *got, const char *want)
{
  g_autofree char *owned = got;

  g_assert_cmpstr (owned, ==, want);
}

static void
test_counts (void)
{
  VigilQueueCounts c;

  assert_text (vigil_server_text_count (12), "12");
  assert_text (vigil_server_text_count (0), "0");
  assert_text (vigil_server_text_count (-1), "—");

  vigil_queue_counts_init_unknown (&c);
  assert_text (vigil_server_text_priorities (&c), "—");
  assert_text (vigil_server_text_queue_summary (&c), "— pending, — running");
  c.pending_jobs = 3;
  c.in_progress_jobs = 0;
  c.priority_high = 1;
  assert_text (vigil_server_text_priorities (&c), "High 1, medium —, low —");
  assert_text (vigil_server_text_queue_summary (&c), "3 pending, 0 running");
  g_assert_cmpstr (vigil_server_text_unknown (), ==, "Unknown");

  g_assert_null (vigil_server_text_counts_note (VIGIL_QUEUE_COUNTS_QUEUE_STATUS));
  g_assert_nonnull (strstr (vigil_server_text_counts_note (VIGIL_QUEUE_COUNTS_QUEUE_HEALTH),
                            "/api/queue/health"));
  g_assert_nonnull (strstr (vigil_server_text_counts_note (VIGIL_QUEUE_COUNTS_UNKNOWN),
                            "unknown"));
}

static void
test_worker (void)
{
  g_assert_cmpstr (vigil_server_text_worker_state (VIGIL_WORKER_STATE_RUNNING), ==, "Running");
  g_assert_cmpstr (vigil_server_text_worker_state (VIGIL_WORKER_STATE_STOPPED), ==, "Stopped");
  g_assert_cmpstr (vigil_server_text_worker_state (VIGIL_WORKER_STATE_NOT_RUNNING), ==,
                   "Not running");
  g_assert_cmpstr (vigil_server_text_worker_state (VIGIL_WORKER_STATE_UNKNOWN), ==, "Unknown");

  assert_text (vigil_server_text_uptime (VIGIL_UNKNOWN), "Unknown");
  assert_text (vigil_server_text_uptime (NAN), "Unknown");
  assert_text (vigil_server_text_uptime (1e308), "Unknown");
  assert_text (vigil_server_text_uptime (0), "0 seconds");
  assert_text (vigil_server_text_uptime (1), "1 second");
  assert_text (vigil_server_text_uptime (45.9), "45 seconds");
  assert_text (vigil_server_text_uptime (12 * 60 + 5), "12 minutes");
  assert_text (vigil_server_text_uptime (3600), "1 hour");
  assert_text (vigil_server_text_uptime (3 * 3600 + 12 * 60), "3 hours, 12 minutes");
  assert_text (vigil_server_text_uptime (2 * 86400 + 3 * 3600 + 5), "2 days, 3 hours");
  assert_text (vigil_server_text_uptime (86400), "1 day");
}

static void
test_heartbeat (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 28, 20, 0, 0);
  struct { double ago; const char *want; } cases[] = {
    { 0, "Just now" }, { -3600, "Just now" }, { 45, "45 seconds ago" },
    { 61, "1 minute ago" }, { 12 * 60, "12 minutes ago" }, { 3 * 3600, "3 hours ago" },
    { 2 * 86400, "2 days ago" },
  };

  assert_text (vigil_server_text_heartbeat (NULL, now), "Never");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GDateTime) hb = g_date_time_add_seconds (now, -cases[i].ago);

      assert_text (vigil_server_text_heartbeat (hb, now), cases[i].want);
    }
  g_assert_nonnull (strstr (vigil_server_text_heartbeat_warning (), "stuck"));
}

static void
test_failing (void)
{
  g_autoptr(GError) forbidden = g_error_new_literal (VIGIL_API_ERROR, VIGIL_API_ERROR_FORBIDDEN,
                                                     "Admin privileges required");
  g_autoptr(GError) unauth = g_error_new_literal (VIGIL_API_ERROR, VIGIL_API_ERROR_UNAUTHORIZED,
                                                  "Authentication required");
  g_autoptr(GError) network = g_error_new_literal (VIGIL_API_ERROR, VIGIL_API_ERROR_NETWORK,
                                                   "Could not connect");
  g_autoptr(GError) server = g_error_new_literal (VIGIL_API_ERROR, VIGIL_API_ERROR_SERVER,
                                                  "Internal server error");
  g_autofree char *since = NULL;
  g_autoptr(GDateTime) local = NULL;
  gint64 t = (gint64) 1795000000 * G_USEC_PER_SEC;

  assert_text (vigil_server_text_failing (forbidden, t),
               "Not an admin: the dashboard needs an administrator’s sign-in");
  assert_text (vigil_server_text_failing (unauth, 0),
               "Not signed in: the dashboard needs an administrator’s sign-in");
  assert_text (vigil_server_text_failing (network, 0), "Can’t reach the server: Could not connect");
  assert_text (vigil_server_text_failing (server, 0),
               "The server has trouble: Internal server error");

  local = g_date_time_new_from_unix_local (1795000000);
  since = g_date_time_format (local, "Can’t reach the server since %H:%M: Could not connect");
  assert_text (vigil_server_text_failing (network, t), since);
}

static void
test_cleanup (void)
{
  g_autoptr(GError) forbidden = g_error_new_literal (VIGIL_API_ERROR, VIGIL_API_ERROR_FORBIDDEN, "x");
  g_autoptr(GError) unauth = g_error_new_literal (VIGIL_API_ERROR, VIGIL_API_ERROR_UNAUTHORIZED, "x");
  g_autoptr(GError) server = g_error_new_literal (VIGIL_API_ERROR, VIGIL_API_ERROR_SERVER, "boom");
  g_autoptr(GError) invalid = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                                                   "The age must be …");

  assert_text (vigil_server_text_cleanup_result ("Cleaned up jobs older than 24 hours", NULL),
               "Cleaned up jobs older than 24 hours");
  assert_text (vigil_server_text_cleanup_result (NULL, NULL),
               "Stale progress records were cleaned up");
  assert_text (vigil_server_text_cleanup_result (NULL, forbidden), "Not an admin");
  assert_text (vigil_server_text_cleanup_result (NULL, unauth), "Not an admin");
  assert_text (vigil_server_text_cleanup_result (NULL, server), "Cleanup failed: boom");
  assert_text (vigil_server_text_cleanup_result (NULL, invalid), "The age must be …");
}

static void
test_history (void)
{
  assert_text (vigil_server_text_history_description (12, VIGIL_TREND_RISING, 8, VIGIL_TREND_STEADY),
               "Queue length 12, rising; 8 songs analyzed per minute, steady");
  assert_text (vigil_server_text_history_description (1, VIGIL_TREND_FALLING, 1, VIGIL_TREND_UNKNOWN),
               "Queue length 1, falling; 1 song analyzed per minute");
  assert_text (vigil_server_text_history_description (-1, VIGIL_TREND_RISING, 0, VIGIL_TREND_STEADY),
               "Queue length unknown; 0 songs analyzed per minute, steady");
  assert_text (vigil_server_text_history_description (-1, VIGIL_TREND_UNKNOWN, -1, VIGIL_TREND_UNKNOWN),
               "No data yet");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/vigil/server-text/counts", test_counts);
  g_test_add_func ("/vigil/server-text/worker", test_worker);
  g_test_add_func ("/vigil/server-text/heartbeat", test_heartbeat);
  g_test_add_func ("/vigil/server-text/failing", test_failing);
  g_test_add_func ("/vigil/server-text/cleanup", test_cleanup);
  g_test_add_func ("/vigil/server-text/history", test_history);

  return g_test_run ();
}
