/* test-server-monitor.c — VigilServerMonitor against the demo server: the
 * values match the server's counters (the live service's quirks too),
 * polling only while active (counted at the server), discovered jobs,
 * auto-watch, cleanup with 401/403, the charts' history across a restart
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "vigil-demo-server.h"
#include "vigil-server-monitor.h"
#include "vigil-server-text.h"
#include "vigil-test-timeout.h"

/* 3 s rounds take 60 ms */
#define TIME_SCALE 0.02
#define ADMIN_TOKEN "admin-secret"
#define USER_TOKEN "user-secret"

typedef gboolean (*Cond) (gpointer data);

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
wait_until (Cond     cond,
            gpointer data,
            guint    timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (vigil_test_limit_ms (timeout_ms), timeout_cb, &timed_out);

  while (!cond (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return cond (data);
}

typedef struct
{
  VigilDemoServer    *server;
  VigilApiClient     *client;
  VigilTracker       *tracker;
  VigilServerMonitor *monitor;
} Fixture;

static VigilDemoServer *
new_server (gboolean quirks,
            guint    workers)
{
  g_autoptr(GError) error = NULL;
  VigilDemoServer *server = g_object_new (VIGIL_TYPE_DEMO_SERVER, "speed", 1.0,
                                          "song-seconds", 3600.0, "workers", workers,
                                          "seed", (guint64) 7, "production-quirks", quirks,
                                          NULL);

  g_assert_true (vigil_demo_server_listen (server, NULL, 0, &error));
  g_assert_no_error (error);
  return server;
}

static void
fixture_setup_with (Fixture            *f,
                    VigilDemoServer    *server,
                    VigilServerHistory *history)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VigilPoller) poller = NULL;
  g_autofree char *url = vigil_demo_server_get_url (server);

  f->server = server;
  f->client = vigil_api_client_new (url, &error);
  g_assert_no_error (error);
  poller = g_object_new (VIGIL_TYPE_POLLER, "client", f->client, "time-scale", TIME_SCALE,
                         "jitter", 0.0, NULL);
  f->tracker = vigil_tracker_new (f->client, poller);
  f->monitor = vigil_server_monitor_new (f->client, f->tracker, history);
  vigil_server_monitor_set_time_scale (f->monitor, TIME_SCALE);
}

static gboolean
is_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static void
fixture_teardown (Fixture *f)
{
  gpointer client = f->client;

  g_assert_finalize_object (f->monitor);
  g_assert_finalize_object (f->tracker);
  /* requests cancelled in flight let go of the client once they end */
  g_object_add_weak_pointer (client, &client);
  g_object_unref (f->client);
  g_assert_true (wait_until (is_gone, &client, 20000));
  g_assert_finalize_object (f->server);
}


static guint64
rounds_at (VigilDemoServer *server)
{
  return vigil_demo_server_get_request_count (server, "/api/worker/health");
}

/* ------------------------------------------------------------------ */
/* Values                                                              */
/* ------------------------------------------------------------------ */

typedef struct
{
  VigilServerMonitor *monitor;
  gint64              pending;
  gint64              running;
  gint64              completed;
} CountsWanted;

static gboolean
counts_are (gpointer data)
{
  CountsWanted *w = data;
  const VigilQueueCounts *c = vigil_server_monitor_get_counts (w->monitor);

  return c->pending_jobs == w->pending && c->in_progress_jobs == w->running &&
         c->completed_jobs == w->completed;
}

static void
check_values (gconstpointer data)
{
  gboolean quirks = GPOINTER_TO_INT (data);
  Fixture f = { 0 };
  const VigilQueueCounts *c;
  VigilWorkerHealth *worker;
  g_autofree char *fast = NULL;
  g_autofree char *song = NULL;
  g_autofree char *playlist = NULL;
  g_autofree char *user = NULL;
  CountsWanted want = { 0 };

  fixture_setup_with (&f, new_server (quirks, 1), NULL);
  want.monitor = f.monitor;

  /* before any answer, nothing is 0: everything is unknown */
  c = vigil_server_monitor_get_counts (f.monitor);
  g_assert_cmpint (c->pending_jobs, ==, -1);
  g_assert_cmpint (c->priority_high, ==, -1);
  g_assert_cmpint (vigil_server_monitor_get_worker_state (f.monitor), ==,
                   VIGIL_WORKER_STATE_UNKNOWN);
  g_assert_null (vigil_server_monitor_get_worker (f.monitor));

  vigil_server_monitor_set_active (f.monitor, TRUE);

  /* one job done … */
  fast = vigil_demo_server_add_job (f.server, VIGIL_JOB_KIND_SONG, 1, 1, 0.05, 0);
  want.completed = 1;
  g_assert_true (wait_until (counts_are, &want, 20000));

  /* … then three waiting, of each priority, with no worker */
  g_object_set (f.server, "workers", 0, NULL);
  song = vigil_demo_server_add_job (f.server, VIGIL_JOB_KIND_SONG, 2, 1, 0, 0);
  playlist = vigil_demo_server_add_job (f.server, VIGIL_JOB_KIND_PLAYLIST, 1, 2, 0, 0);
  user = vigil_demo_server_add_job (f.server, VIGIL_JOB_KIND_BACKGROUND, 1, 3, 0, 0);
  want.pending = 3;
  g_assert_true (wait_until (counts_are, &want, 20000));

  c = vigil_server_monitor_get_counts (f.monitor);
  g_assert_cmpint (c->total_jobs, ==, 4);
  g_assert_cmpint (c->failed_jobs, ==, 0);
  if (quirks)
    {
      /* /api/queue/status said 0 for all: the counts are the health's, and
       * its all-zero priorities are unknown, not 0 */
      g_assert_cmpint (c->source, ==, VIGIL_QUEUE_COUNTS_QUEUE_HEALTH);
      g_assert_cmpint (c->priority_high, ==, -1);
      g_assert_cmpint (c->priority_medium, ==, -1);
      g_assert_cmpint (c->priority_low, ==, -1);
    }
  else
    {
      g_assert_cmpint (c->source, ==, VIGIL_QUEUE_COUNTS_QUEUE_STATUS);
      g_assert_cmpint (c->priority_high, ==, 1);
      g_assert_cmpint (c->priority_medium, ==, 1);
      g_assert_cmpint (c->priority_low, ==, 1);
    }
  g_assert_cmpint (vigil_server_monitor_get_worker_state (f.monitor), ==,
                   VIGIL_WORKER_STATE_NOT_RUNNING);
  /* no worker: the health answers 503, which is not a failure */
  g_assert_nonnull (vigil_server_monitor_get_queue_health (f.monitor));
  g_assert_false (vigil_server_monitor_get_queue_health (f.monitor)->healthy);
  g_assert_false (vigil_server_monitor_get_failing (f.monitor));
  g_assert_null (vigil_server_monitor_get_last_error (f.monitor));

  /* a worker takes the song (HIGH first) */
  g_object_set (f.server, "workers", 1, NULL);
  want.pending = 2;
  want.running = 1;
  g_assert_true (wait_until (counts_are, &want, 20000));
  g_assert_cmpint (vigil_server_monitor_get_worker_state (f.monitor), ==,
                   VIGIL_WORKER_STATE_RUNNING);
  worker = vigil_server_monitor_get_worker (f.monitor);
  g_assert_nonnull (worker);
  g_assert_cmpint (worker->jobs_processed, ==, 1);
  g_assert_cmpint (worker->jobs_failed, ==, 0);
  g_assert_cmpint (worker->jobs_interrupted, ==, 0);
  g_assert_cmpfloat (worker->uptime_seconds, >=, 0);
  g_assert_nonnull (worker->last_heartbeat);
  g_assert_nonnull (worker->current_job);
  g_assert_cmpstr (worker->current_job->job_id, ==, song);
  g_assert_nonnull (vigil_server_monitor_get_active_job (f.monitor));
  g_assert_cmpstr (vigil_server_monitor_get_active_job (f.monitor)->job_id, ==, song);
  g_assert_false (vigil_server_monitor_get_heartbeat_stale (f.monitor));
  g_assert_cmpint (vigil_server_monitor_get_last_update (f.monitor), >, 0);

  fixture_teardown (&f);
}

/* ------------------------------------------------------------------ */
/* Polling only while active                                           */
/* ------------------------------------------------------------------ */

typedef struct
{
  VigilDemoServer *server;
  guint64          at_least;
} RoundsWanted;

static gboolean
rounds_reached (gpointer data)
{
  RoundsWanted *w = data;

  return rounds_at (w->server) >= w->at_least;
}

static void
test_inactive (void)
{
  Fixture f = { 0 };
  Fixture ref = { 0 };
  const char *patterns[] = { "/api/queue/status", "/api/queue/health", "/api/worker/health",
                             "/api/progress" };
  guint64 before[G_N_ELEMENTS (patterns)];
  RoundsWanted w;

  fixture_setup_with (&f, new_server (FALSE, 1), NULL);
  /* a second server, polled all along: the clock of this test */
  fixture_setup_with (&ref, new_server (FALSE, 1), NULL);
  vigil_server_monitor_set_active (ref.monitor, TRUE);

  /* never active: nothing sent */
  w = (RoundsWanted) { ref.server, 5 };
  g_assert_true (wait_until (rounds_reached, &w, 20000));
  g_assert_cmpuint (vigil_demo_server_get_total_requests (f.server), ==, 0);

  /* active: a round at once, then every 3 s (scaled), four requests each */
  vigil_server_monitor_set_active (f.monitor, TRUE);
  w = (RoundsWanted) { f.server, 5 };
  g_assert_true (wait_until (rounds_reached, &w, 20000));
  for (guint i = 0; i < G_N_ELEMENTS (patterns); i++)
    g_assert_cmpuint (vigil_demo_server_get_request_count (f.server, patterns[i]), >=, 4);

  /* inactive: once what was in flight has arrived, nothing more */
  vigil_server_monitor_set_active (f.monitor, FALSE);
  w = (RoundsWanted) { ref.server, rounds_at (ref.server) + 2 };
  g_assert_true (wait_until (rounds_reached, &w, 20000));
  for (guint i = 0; i < G_N_ELEMENTS (patterns); i++)
    before[i] = vigil_demo_server_get_request_count (f.server, patterns[i]);
  w = (RoundsWanted) { ref.server, rounds_at (ref.server) + 10 };
  g_assert_true (wait_until (rounds_reached, &w, 20000));
  for (guint i = 0; i < G_N_ELEMENTS (patterns); i++)
    g_assert_cmpuint (vigil_demo_server_get_request_count (f.server, patterns[i]), ==, before[i]);

  /* active again: at once */
  vigil_server_monitor_set_active (f.monitor, TRUE);
  w = (RoundsWanted) { f.server, before[2] + 1 };
  g_assert_true (wait_until (rounds_reached, &w, 20000));

  fixture_teardown (&ref);
  fixture_teardown (&f);
}

/* ------------------------------------------------------------------ */
/* Failures back off, and the banner's words                           */
/* ------------------------------------------------------------------ */

static gboolean
is_failing (gpointer data)
{
  return vigil_server_monitor_get_failing (data);
}

static gboolean
is_fine (gpointer data)
{
  return !vigil_server_monitor_get_failing (data) &&
         vigil_server_monitor_get_last_error (data) == NULL;
}

static void
test_failures (void)
{
  Fixture f = { 0 };
  Fixture ref = { 0 };
  g_autofree char *banner = NULL;
  guint64 failing_rounds, ref_rounds;
  RoundsWanted w;

  fixture_setup_with (&f, new_server (FALSE, 1), NULL);
  fixture_setup_with (&ref, new_server (FALSE, 1), NULL);
  g_object_set (f.server, "error-rate", 1.0, NULL);
  vigil_server_monitor_set_active (f.monitor, TRUE);
  g_assert_true (wait_until (is_failing, f.monitor, 20000));

  g_assert_error (vigil_server_monitor_get_last_error (f.monitor), VIGIL_API_ERROR,
                  VIGIL_API_ERROR_SERVER);
  g_assert_cmpint (vigil_server_monitor_get_failing_since (f.monitor), >, 0);
  g_assert_cmpuint (vigil_server_monitor_get_next_delay_ms (f.monitor), >, 3000);
  banner = vigil_server_text_failing (vigil_server_monitor_get_last_error (f.monitor),
                                      vigil_server_monitor_get_failing_since (f.monitor));
  g_assert_true (g_str_has_prefix (banner, "The server has trouble since "));

  /* backed off: while a healthy server is asked 30 times, the failing one
   * (its delay doubling per failed round) far fewer */
  failing_rounds = rounds_at (f.server);
  vigil_server_monitor_set_active (ref.monitor, TRUE);
  w = (RoundsWanted) { ref.server, 30 };
  g_assert_true (wait_until (rounds_reached, &w, 30000));
  ref_rounds = rounds_at (ref.server);
  failing_rounds = rounds_at (f.server) - failing_rounds;
  g_test_message ("in %" G_GUINT64_FORMAT " healthy rounds, %" G_GUINT64_FORMAT " failing ones",
                  ref_rounds, failing_rounds);
  g_assert_cmpuint (failing_rounds * 3, <, ref_rounds);

  g_object_set (f.server, "error-rate", 0.0, NULL);
  g_assert_true (wait_until (is_fine, f.monitor, 20000));
  g_assert_cmpint (vigil_server_monitor_get_failing_since (f.monitor), ==, 0);
  g_assert_cmpuint (vigil_server_monitor_get_next_delay_ms (f.monitor), ==, 3000);

  fixture_teardown (&ref);
  fixture_teardown (&f);
}

/* ------------------------------------------------------------------ */
/* Discovered jobs and auto-watch                                      */
/* ------------------------------------------------------------------ */

static gboolean
has_discovered (gpointer data)
{
  return g_list_model_get_n_items (vigil_server_monitor_get_discovered (data)) > 0;
}

typedef struct
{
  VigilTracker *tracker;
  const char   *job_id;
} Tracked;

static gboolean
is_tracked (gpointer data)
{
  Tracked *t = data;

  return t->job_id != NULL && vigil_tracker_lookup (t->tracker, t->job_id) != NULL;
}

static void
check_discovered (gconstpointer data)
{
  gboolean batch_route = GPOINTER_TO_INT (data);
  Fixture f = { 0 };
  GListModel *discovered;
  g_autoptr(VigilDiscoveredJob) job = NULL;
  g_autofree char *id = NULL;
  VigilJob *tracked;

  fixture_setup_with (&f, new_server (TRUE, 1), NULL);
  /* without GET /api/progress, the worker's current job and the queue's
   * active job tell */
  g_object_set (f.server, "batch-route", batch_route, NULL);
  discovered = vigil_server_monitor_get_discovered (f.monitor);
  id = vigil_demo_server_add_job (f.server, VIGIL_JOB_KIND_PLAYLIST, 3, 4, 0, 0);
  vigil_server_monitor_set_active (f.monitor, TRUE);

  g_assert_true (wait_until (has_discovered, f.monitor, 20000));
  g_assert_cmpuint (g_list_model_get_n_items (discovered), ==, 1);
  job = g_list_model_get_item (discovered, 0);
  g_assert_cmpstr (vigil_discovered_job_get_job_id (job), ==, id);
  g_assert_cmpint (vigil_discovered_job_get_kind (job), ==, VIGIL_JOB_KIND_PLAYLIST);
  g_assert_nonnull (vigil_discovered_job_get_title (job));
  g_assert_nonnull (vigil_discovered_job_get_progress_text (job));
  /* the monitor itself never asks about one job */
  g_assert_cmpuint (vigil_demo_server_get_job_request_count (f.server, id), ==, 0);

  /* Watch: the tracker has it, the list no longer */
  tracked = vigil_server_monitor_watch (f.monitor, job);
  g_assert_nonnull (tracked);
  g_assert_cmpstr (vigil_job_get_job_id (tracked), ==, id);
  g_assert_true (vigil_tracker_lookup (f.tracker, id) == tracked);
  g_assert_cmpuint (g_list_model_get_n_items (discovered), ==, 0);

  /* and it does not come back on the next rounds */
  {
    RoundsWanted w = { f.server, rounds_at (f.server) + 3 };

    g_assert_true (wait_until (rounds_reached, &w, 20000));
  }
  g_assert_cmpuint (g_list_model_get_n_items (discovered), ==, 0);

  fixture_teardown (&f);
}

static void
on_started (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  VigilStartResult **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = vigil_api_client_start_playlist_finish (VIGIL_API_CLIENT (source), result, &error);
  g_assert_no_error (error);
}

static gboolean
is_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static gboolean
is_set_flag (gpointer data)
{
  return *(gboolean *) data;
}

static void
test_auto_watch (void)
{
  Fixture f = { 0 };
  g_autoptr(VigilApiClient) other = NULL;
  g_autoptr(VigilStartResult) started = NULL;
  g_autofree char *url = NULL;
  Tracked t;

  fixture_setup_with (&f, new_server (FALSE, 1), NULL);
  vigil_server_monitor_set_auto_watch (f.monitor, TRUE);
  vigil_server_monitor_set_active (f.monitor, TRUE);

  /* someone else starts a job through the API (as curl would) */
  url = vigil_demo_server_get_url (f.server);
  other = vigil_api_client_new (url, NULL);
  vigil_api_client_start_playlist_async (other, 2, TRUE, NULL, on_started, &started);
  g_assert_true (wait_until (is_set, &started, 20000));
  g_assert_nonnull (started->job_id);

  t = (Tracked) { f.tracker, started->job_id };
  g_assert_true (wait_until (is_tracked, &t, 20000));
  g_assert_cmpuint (g_list_model_get_n_items (vigil_server_monitor_get_discovered (f.monitor)),
                    ==, 0);

  fixture_teardown (&f);
}

/* Requests only the monitor makes (the poller asks /api/progress too). */
static guint64
monitor_requests (VigilDemoServer *server)
{
  return vigil_demo_server_get_request_count (server, "/api/queue/status") +
         vigil_demo_server_get_request_count (server, "/api/queue/health") +
         vigil_demo_server_get_request_count (server, "/api/worker/health");
}

/* With no dashboard shown (never active), auto-watch still polls, every
 * VIGIL_MONITOR_WATCH_INTERVAL_MS (five times slower than the dashboard),
 * and watches a job someone else starts; turned off, it stops polling. */
static void
test_auto_watch_inactive (void)
{
  Fixture f = { 0 };
  Fixture ref = { 0 };
  g_autoptr(VigilApiClient) other = NULL;
  g_autoptr(VigilStartResult) started = NULL;
  g_autofree char *url = NULL;
  guint64 ref_start, f_start, before;
  RoundsWanted w;
  Tracked t;

  fixture_setup_with (&f, new_server (FALSE, 1), NULL);
  /* a second server, with its dashboard shown: the clock of this test */
  fixture_setup_with (&ref, new_server (FALSE, 1), NULL);
  vigil_server_monitor_set_active (ref.monitor, TRUE);

  vigil_server_monitor_set_auto_watch (f.monitor, TRUE);
  g_assert_false (vigil_server_monitor_get_active (f.monitor));
  url = vigil_demo_server_get_url (f.server);
  other = vigil_api_client_new (url, NULL);
  vigil_api_client_start_playlist_async (other, 2, TRUE, NULL, on_started, &started);
  g_assert_true (wait_until (is_set, &started, 20000));
  t = (Tracked) { f.tracker, started->job_id };
  g_assert_true (wait_until (is_tracked, &t, 20000));

  /* the slow cadence: over 20 dashboard rounds (60 s scaled), about 4 */
  w = (RoundsWanted) { f.server, rounds_at (f.server) + 1 };
  g_assert_true (wait_until (rounds_reached, &w, 20000));
  ref_start = rounds_at (ref.server);
  f_start = rounds_at (f.server);
  w = (RoundsWanted) { ref.server, ref_start + 20 };
  g_assert_true (wait_until (rounds_reached, &w, 20000));
  g_assert_cmpuint (rounds_at (f.server) - f_start, >=, 1);
  g_assert_cmpuint (rounds_at (f.server) - f_start, <=,
                    (rounds_at (ref.server) - ref_start) * VIGIL_MONITOR_INTERVAL_MS /
                    VIGIL_MONITOR_WATCH_INTERVAL_MS + 2);

  /* off: once what was in flight has arrived, nothing more (the
   * tracker's poller goes on following the job it watches) */
  vigil_server_monitor_set_auto_watch (f.monitor, FALSE);
  w = (RoundsWanted) { ref.server, rounds_at (ref.server) + 2 };
  g_assert_true (wait_until (rounds_reached, &w, 20000));
  before = monitor_requests (f.server);
  w = (RoundsWanted) { ref.server, rounds_at (ref.server) + 12 };
  g_assert_true (wait_until (rounds_reached, &w, 20000));
  g_assert_cmpuint (monitor_requests (f.server), ==, before);

  fixture_teardown (&ref);
  fixture_teardown (&f);
}

/* ------------------------------------------------------------------ */
/* Cleanup                                                             */
/* ------------------------------------------------------------------ */

static void
on_cleaned (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static char *
run_cleanup (VigilServerMonitor *monitor,
             int                 hours,
             GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  vigil_server_monitor_cleanup_async (monitor, hours, NULL, on_cleaned, &result);
  g_assert_true (wait_until (is_set, &result, 20000));
  return vigil_server_monitor_cleanup_finish (monitor, result, error);
}

static void
check_cleanup (gconstpointer data)
{
  gboolean quirks = GPOINTER_TO_INT (data);
  Fixture f = { 0 };
  struct { const char *token; const char *want; } cases[] = {
    { ADMIN_TOKEN, "Cleaned up jobs older than 12 hours" },
    { USER_TOKEN, "Not an admin" },   /* 403 */
    { NULL, "Not an admin" },         /* 401 */
  };

  fixture_setup_with (&f, new_server (quirks, 1), NULL);
  g_object_set (f.server, "require-token", USER_TOKEN, "admin-token", ADMIN_TOKEN, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *message = NULL;
      g_autofree char *words = NULL;

      vigil_api_client_set_token (f.client, cases[i].token);
      message = run_cleanup (f.monitor, 12, &error);
      words = vigil_server_text_cleanup_result (message, error);
      g_assert_cmpstr (words, ==, cases[i].want);
      if (i == 1)
        g_assert_error (error, VIGIL_API_ERROR, VIGIL_API_ERROR_FORBIDDEN);
      if (i == 2)
        g_assert_error (error, VIGIL_API_ERROR, VIGIL_API_ERROR_UNAUTHORIZED);
    }
  g_assert_cmpuint (vigil_demo_server_get_request_count (f.server, "/api/progress/cleanup"),
                    ==, 3);

  /* a wrong age is refused before anything is sent */
  vigil_api_client_set_token (f.client, ADMIN_TOKEN);
  for (int hours = -1; hours <= 0; hours++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *message = run_cleanup (f.monitor, hours, &error);
      g_autofree char *words = vigil_server_text_cleanup_result (message, error);

      g_assert_null (message);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
      g_assert_cmpstr (words, ==, error->message);
    }
  g_assert_cmpuint (vigil_demo_server_get_request_count (f.server, "/api/progress/cleanup"),
                    ==, 3);

  /* a non-admin's dashboard: "Not an admin" in the banner */
  vigil_api_client_set_token (f.client, USER_TOKEN);
  vigil_server_monitor_set_active (f.monitor, TRUE);
  g_assert_true (wait_until (is_failing, f.monitor, 20000));
  {
    g_autofree char *banner = vigil_server_text_failing (
      vigil_server_monitor_get_last_error (f.monitor),
      vigil_server_monitor_get_failing_since (f.monitor));

    g_assert_true (g_str_has_prefix (banner, "Not an admin"));
    g_assert_cmpuint (vigil_server_monitor_get_next_delay_ms (f.monitor), ==, 60000);
  }

  /* signing in as an admin does not wait out the minute (unscaled here) */
  vigil_server_monitor_set_time_scale (f.monitor, 1.0);
  vigil_api_client_set_token (f.client, ADMIN_TOKEN);
  g_assert_true (wait_until (is_fine, f.monitor, 20000));

  fixture_teardown (&f);
}

/* The live route reads a JSON body: without one it answers 500 (the demo
 * does too in its production-quirks mode), which is why the client always
 * sends one. */
static void
on_posted (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                              &error);

  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static guint
post_without_body (VigilDemoServer *server)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = vigil_demo_server_get_url (server);
  g_autofree char *uri = g_strconcat (url, "/api/progress/cleanup", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
  gboolean done = FALSE;

  soup_message_headers_append (soup_message_get_request_headers (msg), "Authorization",
                               "Bearer " ADMIN_TOKEN);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, on_posted, &done);
  g_assert_true (wait_until (is_set_flag, &done, 20000));
  return soup_message_get_status (msg);
}

static void
test_cleanup_needs_body (void)
{
  g_autoptr(VigilDemoServer) quirks = new_server (TRUE, 1);
  g_autoptr(VigilDemoServer) plain = new_server (FALSE, 1);

  g_object_set (quirks, "admin-token", ADMIN_TOKEN, NULL);
  g_object_set (plain, "admin-token", ADMIN_TOKEN, NULL);
  g_assert_cmpuint (post_without_body (quirks), ==, 500);
  g_assert_cmpuint (post_without_body (plain), ==, 200);
}

/* ------------------------------------------------------------------ */
/* The charts' history across a restart                                */
/* ------------------------------------------------------------------ */

static gboolean
has_samples (gpointer data)
{
  g_autoptr(GArray) samples = vigil_server_history_get_samples (data, g_get_real_time ());

  return samples->len > 0 && g_array_index (samples, VigilHistorySample, 0).queue_length >= 0;
}

static void
test_history_restart (void)
{
  g_autofree char *dir = g_dir_make_tmp ("vigil-monitor-XXXXXX", NULL);
  g_autoptr(VigilServerHistory) history = NULL;
  g_autoptr(GArray) samples = NULL;
  g_autofree char *description = NULL;
  g_autofree char *url = NULL;
  g_autofree char *path = NULL;
  VigilDemoServer *server = new_server (FALSE, 0);
  Fixture f = { 0 };

  g_assert_nonnull (dir);
  url = vigil_demo_server_get_url (server);
  for (guint i = 0; i < 2; i++)
    g_free (vigil_demo_server_add_job (server, VIGIL_JOB_KIND_SONG, i + 1, 1, 0, 0));

  history = vigil_server_history_new (url, dir);
  g_assert_true (vigil_server_history_load (history, NULL));
  fixture_setup_with (&f, server, history);
  vigil_server_monitor_set_active (f.monitor, TRUE);
  g_assert_true (wait_until (has_samples, history, 20000));
  description = vigil_server_history_describe (history, g_get_real_time ());
  g_assert_true (g_str_has_prefix (description, "Queue length 2"));

  /* inactive (or closed) saves it */
  path = g_strdup (vigil_server_history_get_path (history));
  vigil_server_monitor_set_active (f.monitor, FALSE);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  fixture_teardown (&f);
  g_assert_finalize_object (g_steal_pointer (&history));

  /* the next start reads it back */
  history = vigil_server_history_new (url, dir);
  g_assert_true (vigil_server_history_load (history, NULL));
  samples = vigil_server_history_get_samples (history, g_get_real_time ());
  g_assert_cmpuint (samples->len, >=, 1);
  g_assert_cmpint (g_array_index (samples, VigilHistorySample, samples->len - 1).queue_length,
                   ==, 2);
  g_clear_object (&history);

  /* a damaged file: set aside, the charts start empty */
  g_assert_true (g_file_set_contents (path, "{\"version\": 1, \"samp", -1, NULL));
  history = vigil_server_history_new (url, dir);
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (vigil_server_history_load (history, &error));
    g_assert_nonnull (error);
  }
  g_clear_pointer (&samples, g_array_unref);
  samples = vigil_server_history_get_samples (history, g_get_real_time ());
  g_assert_cmpuint (samples->len, ==, 0);
  g_clear_object (&history);

  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *p = g_build_filename (dir, name, NULL);

        g_remove (p);
      }
    g_rmdir (dir);
  }
}

/* Songs analyzed per minute: every song of a job counted once, the last
 * one too (the job leaves GET /api/progress as it ends). */
typedef struct
{
  VigilDemoServer *server;
  const char      *job_id;
  guint64          rounds_after;
} Finished;

static gboolean
finished_and_seen (gpointer data)
{
  Finished *w = data;

  if (vigil_demo_server_get_finish_time (w->server, w->job_id) < 0)
    return FALSE;
  if (w->rounds_after == 0)
    w->rounds_after = rounds_at (w->server) + 2;
  return rounds_at (w->server) >= w->rounds_after;
}

static void
test_songs_per_minute (void)
{
  g_autoptr(VigilServerHistory) history = vigil_server_history_new ("http://songs.test", NULL);
  g_autoptr(GArray) samples = NULL;
  g_autofree char *id = NULL;
  Fixture f = { 0 };
  RoundsWanted w;
  Finished done;
  gint64 songs = 0;

  g_assert_true (vigil_server_history_load (history, NULL));
  fixture_setup_with (&f, new_server (FALSE, 1), history);
  vigil_server_monitor_set_active (f.monitor, TRUE);
  w = (RoundsWanted) { f.server, 2 };
  g_assert_true (wait_until (rounds_reached, &w, 20000));

  id = vigil_demo_server_add_job (f.server, VIGIL_JOB_KIND_PLAYLIST, 4, 4, 0.4, 0);
  done = (Finished) { f.server, id, 0 };
  g_assert_true (wait_until (finished_and_seen, &done, 30000));

  samples = vigil_server_history_get_samples (history, g_get_real_time ());
  for (guint i = 0; i < samples->len; i++)
    songs += MAX (g_array_index (samples, VigilHistorySample, i).songs, 0);
  g_assert_cmpint (songs, ==, 4);

  fixture_teardown (&f);
}

/* ------------------------------------------------------------------ */
/* The heartbeat rule, against canned answers                          */
/* ------------------------------------------------------------------ */

typedef struct
{
  double   fraction;      /* the current job's; < 0: no current job */
  gboolean rising;        /* fraction grows by 0.01 per answer */
  guint    worker_asked;
} Canned;

static void
canned_handler (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  Canned *c = user_data;
  g_autofree char *body = NULL;

  if (g_str_equal (path, "/api/queue/status"))
    body = g_strdup ("{\"status\": \"success\", \"queue\": {\"pending_jobs\": 0, "
                     "\"in_progress_jobs\": 1, \"active_job\": null}}");
  else if (g_str_equal (path, "/api/queue/health"))
    body = g_strdup ("{\"status\": \"success\", \"queue_health\": {\"healthy\": true}}");
  else if (g_str_equal (path, "/api/worker/health"))
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autoptr(GDateTime) old = g_date_time_add_hours (now, -1);
      g_autofree char *hb = g_date_time_format_iso8601 (old);
      g_autofree char *job = NULL;

      c->worker_asked++;
      if (c->rising)
        c->fraction = MIN (c->fraction + 0.01, 0.99);
      job = c->fraction < 0
            ? g_strdup ("null")
            : g_strdup_printf ("{\"job_id\": \"long-job\", \"job_type\": \"playlist_analysis\", "
                               "\"status\": \"IN_PROGRESS\", \"progress\": %.2f}", c->fraction);
      body = g_strdup_printf ("{\"status\": \"success\", \"worker\": {\"status\": \"running\", "
                              "\"last_heartbeat\": \"%s\", \"current_job\": %s}}", hb, job);
    }
  else
    {
      soup_server_message_set_status (msg, 404, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                        "{\"success\": false}", 17);
      return;
    }
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body, strlen (body));
}

typedef struct
{
  Canned  *canned;
  guint    at_least;
} WorkerAsked;

static gboolean
worker_asked (gpointer data)
{
  WorkerAsked *w = data;

  return w->canned->worker_asked >= w->at_least;
}

static gboolean
heartbeat_stale_after (double   fraction,
                       gboolean rising)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(VigilApiClient) client = NULL;
  g_autoptr(VigilServerMonitor) monitor = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autofree char *url = NULL;
  Canned canned = { fraction, rising, 0 };
  WorkerAsked w = { &canned, 5 };
  gboolean stale;

  soup_server_add_handler (server, NULL, canned_handler, &canned, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);

  client = vigil_api_client_new (url, &error);
  g_assert_no_error (error);
  monitor = vigil_server_monitor_new (client, NULL, NULL);
  vigil_server_monitor_set_time_scale (monitor, TIME_SCALE);
  vigil_server_monitor_set_active (monitor, TRUE);
  g_assert_true (wait_until (worker_asked, &w, 20000));
  /* the answer asked last is applied too */
  w.at_least = canned.worker_asked + 1;
  g_assert_true (wait_until (worker_asked, &w, 20000));
  stale = vigil_server_monitor_get_heartbeat_stale (monitor);
  g_assert_cmpint (vigil_server_monitor_get_worker_state (monitor), ==, VIGIL_WORKER_STATE_RUNNING);
  vigil_server_monitor_set_active (monitor, FALSE);
  soup_server_disconnect (server);
  return stale;
}

static void
test_heartbeat (void)
{
  /* an hour-old heartbeat during a long job that progresses: fine */
  g_assert_false (heartbeat_stale_after (0.1, TRUE));
  /* an hour-old heartbeat and nothing moving: maybe stuck */
  g_assert_true (heartbeat_stale_after (-1, FALSE));
  /* … or a current job that does not move */
  g_assert_true (heartbeat_stale_after (0.5, FALSE));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/vigil/server-monitor/values", GINT_TO_POINTER (FALSE), check_values);
  g_test_add_data_func ("/vigil/server-monitor/values-production-quirks", GINT_TO_POINTER (TRUE),
                        check_values);
  g_test_add_func ("/vigil/server-monitor/inactive", test_inactive);
  g_test_add_func ("/vigil/server-monitor/failures", test_failures);
  g_test_add_data_func ("/vigil/server-monitor/discovered", GINT_TO_POINTER (TRUE),
                        check_discovered);
  g_test_add_data_func ("/vigil/server-monitor/discovered-without-batch-route",
                        GINT_TO_POINTER (FALSE), check_discovered);
  g_test_add_func ("/vigil/server-monitor/auto-watch", test_auto_watch);
  g_test_add_func ("/vigil/server-monitor/auto-watch-inactive", test_auto_watch_inactive);
  g_test_add_data_func ("/vigil/server-monitor/cleanup", GINT_TO_POINTER (FALSE), check_cleanup);
  g_test_add_data_func ("/vigil/server-monitor/cleanup-production-quirks", GINT_TO_POINTER (TRUE),
                        check_cleanup);
  g_test_add_func ("/vigil/server-monitor/cleanup-needs-body", test_cleanup_needs_body);
  g_test_add_func ("/vigil/server-monitor/history-restart", test_history_restart);
  g_test_add_func ("/vigil/server-monitor/songs-per-minute", test_songs_per_minute);
  g_test_add_func ("/vigil/server-monitor/heartbeat", test_heartbeat);

  return g_test_run ();
}
