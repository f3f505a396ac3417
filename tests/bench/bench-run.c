/* bench-run.c — one poller against one fresh demo server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "bench-run.h"

#define PROBE_MS 20

struct _BenchRun
{
  VigilDemoServer *server;
  BenchPoller     *poller;
  GHashTable      *jobs;          /* job id → BenchJob (owned) */
  GPtrArray       *order;         /* BenchJob, borrowed, in order of addition */
  guint            n_open;        /* jobs without the poller's final word */
  guint            n_running;     /* jobs the server's workers run */
  guint64          n_finished;    /* jobs the server finished */
  gboolean         held_queue;

  gboolean         refill;
  guint            refill_items;
  double           refill_seconds;

  guint            probe_id;
  gint64           probe_due_us;
  gint64           max_lag_us;
  gint64           started_us;
  double           started_cpu;
};

/* ------------------------------------------------------------------ */
/* Jobs                                                                */
/* ------------------------------------------------------------------ */

static void
bench_job_free (BenchJob *job)
{
  g_free (job->job_id);
  g_free (job);
}

static void
on_word (const char   *job_id,
         BenchOutcome  outcome,
         gboolean      final,
         gpointer      user_data)
{
  BenchRun *run = user_data;
  BenchJob *job = g_hash_table_lookup (run->jobs, job_id);
  double now = bench_run_now (run);

  g_assert (job != NULL && job->final_vt < 0);

  if (job->first_vt < 0)
    {
      job->first_vt = now;
      job->first_outcome = outcome;
    }
  if (!final)
    return;

  job->final_vt = now;
  job->outcome = outcome;
  run->n_open--;
}

static void
on_server_started (VigilDemoServer *server,
                   const char      *job_id,
                   BenchRun        *run)
{
  BenchJob *job = g_hash_table_lookup (run->jobs, job_id);

  run->n_running++;
  if (job != NULL)
    job->started_vt = bench_run_now (run);
}

static void
on_server_finished (VigilDemoServer *server,
                    const char      *job_id,
                    int              status,
                    BenchRun        *run)
{
  BenchJob *job = g_hash_table_lookup (run->jobs, job_id);

  run->n_running--;
  run->n_finished++;
  if (job == NULL)
    return;

  job->ended = TRUE;
  job->truth = status;
  job->requests_at_end = vigil_demo_server_get_job_request_count (server, job_id);

  if (run->refill)
    bench_run_add_job (run, run->refill_items, run->refill_seconds, 0);
}

/* ------------------------------------------------------------------ */
/* The loop probe                                                      */
/* ------------------------------------------------------------------ */

static gboolean
on_probe (gpointer data)
{
  BenchRun *run = data;
  gint64 now = g_get_monotonic_time ();

  run->max_lag_us = MAX (run->max_lag_us, now - run->probe_due_us);
  run->probe_due_us = now + PROBE_MS * 1000;
  return G_SOURCE_CONTINUE;
}

/* ------------------------------------------------------------------ */
/* Setup                                                               */
/* ------------------------------------------------------------------ */

VigilDemoServer *
bench_server_new (const BenchSetup *setup)
{
  gboolean production = setup->payload == BENCH_PAYLOAD_PRODUCTION;
  g_autoptr(GError) error = NULL;
  VigilDemoServer *server;

  g_return_val_if_fail (setup != NULL, NULL);

  server = g_object_new (VIGIL_TYPE_DEMO_SERVER,
                         "speed", setup->speed,
                         "workers", setup->held_queue ? 0 : MIN (setup->workers, BENCH_MAX_WORKERS),
                         "latency-ms", (guint) round (MAX (setup->rtt_s, 0) * 1000 / setup->speed),
                         "web-processes", MAX (setup->web_processes, 1),
                         "seed", setup->seed,
                         "failure-rate", setup->failure_rate,
                         "old-shape", !production,
                         "production-steps", production,
                         "no-metadata", production,
                         NULL);
  if (!vigil_demo_server_listen (server, "127.0.0.1", 0, &error))
    g_error ("vigil-bench: cannot listen on 127.0.0.1: %s", error->message);

  return server;
}

BenchRun *
bench_run_new (BenchPollerKind   kind,
               const BenchSetup *setup)
{
  BenchRun *run;
  g_autofree char *url = NULL;

  g_return_val_if_fail (setup != NULL, NULL);

  run = g_new0 (BenchRun, 1);
  run->server = bench_server_new (setup);
  run->jobs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) bench_job_free);
  run->order = g_ptr_array_new ();
  run->held_queue = setup->held_queue;
  g_signal_connect (run->server, "job-started", G_CALLBACK (on_server_started), run);
  g_signal_connect (run->server, "job-finished", G_CALLBACK (on_server_finished), run);

  url = vigil_demo_server_get_url (run->server);
  run->poller = bench_poller_new (kind, url, setup->speed, setup->one_per_job,
                                  setup->shared_connections, on_word, run);

  run->started_us = g_get_monotonic_time ();
  run->started_cpu = bench_cpu_seconds ();
  run->probe_due_us = run->started_us + PROBE_MS * 1000;
  run->probe_id = g_timeout_add (PROBE_MS, on_probe, run);
  return run;
}

VigilDemoServer *
bench_run_get_server (BenchRun *run)
{
  g_return_val_if_fail (run != NULL, NULL);

  return run->server;
}

double
bench_run_now (BenchRun *run)
{
  g_return_val_if_fail (run != NULL, 0);

  return vigil_demo_server_get_virtual_time (run->server);
}

BenchJob *
bench_run_add_job (BenchRun *run,
                   guint     n_items,
                   double    item_seconds,
                   double    phase)
{
  BenchJob *job;

  g_return_val_if_fail (run != NULL, NULL);

  job = g_new0 (BenchJob, 1);
  job->job_id = vigil_demo_server_add_job (run->server, VIGIL_JOB_KIND_PLAYLIST, 1,
                                           n_items, item_seconds, phase);
  job->added_vt = bench_run_now (run);
  job->final_vt = -1;
  job->first_vt = -1;
  job->started_vt = -1;
  g_hash_table_insert (run->jobs, job->job_id, job);
  g_ptr_array_add (run->order, job);
  run->n_open++;

  bench_poller_track (run->poller, job->job_id);
  return job;
}

void
bench_run_set_refill (BenchRun *run,
                      guint     n_items,
                      double    item_seconds)
{
  g_return_if_fail (run != NULL);

  run->refill = TRUE;
  run->refill_items = n_items;
  run->refill_seconds = item_seconds;
}

gboolean
bench_run_pick_up (BenchRun *run)
{
  guint before;

  g_return_val_if_fail (run != NULL, FALSE);
  g_return_val_if_fail (run->held_queue, FALSE);

  /* bring the simulation (and n_running) to the present first, or a job
   * finishing meanwhile would let two be picked up */
  vigil_demo_server_get_finish_time (run->server, "");
  before = run->n_running;
  g_object_set (run->server, "workers", run->n_running + 1, NULL);
  g_object_set (run->server, "workers", 0, NULL);
  return run->n_running > before;
}

double
bench_run_mean_rtt (BenchRun *run)
{
  g_return_val_if_fail (run != NULL, NAN);

  return bench_poller_mean_rtt (run->poller);
}

/* ------------------------------------------------------------------ */
/* Running                                                             */
/* ------------------------------------------------------------------ */

static gboolean
on_wake (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

void
bench_run_until (BenchRun *run,
                 double    vt)
{
  g_return_if_fail (run != NULL);

  /* the probe wakes the loop every PROBE_MS at the latest; a timer of our
   * own is on time */
  while (bench_run_now (run) < vt)
    {
      double speed = 1;
      guint id;

      g_object_get (run->server, "speed", &speed, NULL);
      id = g_timeout_add_full (G_PRIORITY_HIGH,
                               (guint) ceil ((vt - bench_run_now (run)) / speed * 1000),
                               on_wake, NULL, NULL);
      g_main_context_iteration (NULL, TRUE);
      g_source_remove (id);
    }
}

gboolean
bench_run_until_final (BenchRun *run,
                       double    deadline_vt)
{
  g_return_val_if_fail (run != NULL, FALSE);

  while (run->n_open > 0 && bench_run_now (run) < deadline_vt)
    g_main_context_iteration (NULL, TRUE);

  return run->n_open == 0;
}

GPtrArray *
bench_run_get_jobs (BenchRun *run)
{
  g_return_val_if_fail (run != NULL, NULL);

  return run->order;
}

guint64
bench_run_job_requests (BenchRun *run,
                        BenchJob *job)
{
  g_return_val_if_fail (run != NULL, 0);
  g_return_val_if_fail (job != NULL, 0);

  return vigil_demo_server_get_job_request_count (run->server, job->job_id);
}

double
bench_run_finish_time (BenchRun *run,
                       BenchJob *job)
{
  g_return_val_if_fail (run != NULL, -1);
  g_return_val_if_fail (job != NULL, -1);

  return vigil_demo_server_get_finish_time (run->server, job->job_id);
}

guint64
bench_run_get_finished (BenchRun *run)
{
  return run->n_finished;
}

double
bench_run_get_load (BenchRun *run)
{
  double real_s;

  g_return_val_if_fail (run != NULL, 0);

  real_s = (g_get_monotonic_time () - run->started_us) / 1e6;
  return real_s > 0 ? (bench_cpu_seconds () - run->started_cpu) / real_s : 0;
}

double
bench_run_get_max_lag_ms (BenchRun *run)
{
  g_return_val_if_fail (run != NULL, 0);

  return run->max_lag_us / 1000.0;
}

/* Cancelled requests report back from the main loop: let them, so that
 * nothing outlives the server it talked to. */
static void
settle (void)
{
  gint64 until = g_get_monotonic_time () + 50 * 1000;

  while (g_get_monotonic_time () < until)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
}

void
bench_run_free (BenchRun *run)
{
  if (run == NULL)
    return;

  g_clear_handle_id (&run->probe_id, g_source_remove);
  g_signal_handlers_disconnect_by_data (run->server, run);
  g_clear_pointer (&run->poller, bench_poller_free);
  settle ();
  g_clear_object (&run->server);
  settle ();
  g_clear_pointer (&run->order, g_ptr_array_unref);
  g_clear_pointer (&run->jobs, g_hash_table_unref);
  g_free (run);
}
