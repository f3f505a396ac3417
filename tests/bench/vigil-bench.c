/* vigil-bench.c — Vigil's poller against the service's own browser poller
 * (emulated) and two fixed-interval pollers, side by side, each against a
 * fresh in-process demo server on 127.0.0.1 running on a virtual clock.
 * Figure 5 runs vigil-gui-bench (the GUI's cost) as a child, figure 6 is
 * a simulation of ETAs: one run gives every figure of README.md.
 *
 * A benchmark, not a test: it reports. `--quick` is the smoke run of the
 * test suite. See README.md, "Performance", for the figures and how to
 * read them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>

#include "bench-cost.h"
#include "bench-eta.h"
#include "bench-report.h"
#include "bench-run.h"

/* Figure 1: jobs go from (nearly) 0 to 100 % in exactly their duration */
#define FIG1_ITEMS        100
#define FIG1_MAX_PHASE    0.05   /* start phases: uniform in [0, this) */
#define FIG1_STAGGER_S    30.0   /* starts spread over min(duration, this) */
#define FIG1_GRACE_S      120.0  /* after the last end, wait this long for final words */
/* Figure 2 */
#define FIG2_DURATION_S   300.0
#define FIG2_ITEMS        100
#define FIG2_REAL_BUDGET  1200.0 /* requests per real second we ask of 2 cores */
/* Figure 3 */
#define FIG3_FAILURE_RATE 0.25
#define FIG3_MAX_ITEMS    30
#define FIG3_STAGGER_S    60.0

typedef struct
{
  guint   fig1_jobs;
  double  fig1_speed;
  double  fig1_durations[4];
  guint   fig1_n_durations;
  guint   fig2_n[3];
  guint   fig2_n_count;
  guint   fig2_only_n;      /* --fig2-n: run this N only (0: all) */
  double  fig2_speed;       /* --fig2-speed: instead of the computed one (0) */
  const char *pollers;      /* --pollers: a comma-separated subset (NULL: all) */
  double  latency_s;        /* --server-latency: figures 1 and 3 */
  double  fig2_warmup_s;
  double  fig2_window_s[3];
  double  fig2_max_speed;
  guint   fig3_jobs;
  double  fig3_speed;
  double  fig3_max_duration_s;
  guint   fig4_updates;
  guint   fig4_batch_jobs;
  guint   fig4_batch_rounds;
  guint   fig4_rss_jobs;
  double  fig4_rss_cap_s;
  double  fig4_rss_run_on_s;
} Params;

static const Params full_params = {
  .fig1_jobs = 50, .fig1_speed = 50,
  .fig1_durations = { 10, 60, 300, 1800 }, .fig1_n_durations = 4,
  .fig2_n = { 10, 100, 1000 }, .fig2_n_count = 3,
  .fig2_warmup_s = 20, .fig2_window_s = { 600, 300, 60 }, .fig2_max_speed = 100,
  .fig3_jobs = 100, .fig3_speed = 100, .fig3_max_duration_s = 300,
  .fig4_updates = 100000, .fig4_batch_jobs = 1000, .fig4_batch_rounds = 20,
  .fig4_rss_jobs = 10000, .fig4_rss_cap_s = 60, .fig4_rss_run_on_s = 40,
};

static const Params quick_params = {
  .fig1_jobs = 5, .fig1_speed = 100,
  .fig1_durations = { 10, 60 }, .fig1_n_durations = 2,
  .fig2_n = { 10 }, .fig2_n_count = 1,
  .fig2_warmup_s = 20, .fig2_window_s = { 60 }, .fig2_max_speed = 200,
  .fig3_jobs = 20, .fig3_speed = 200, .fig3_max_duration_s = 60,
  .fig4_updates = 5000, .fig4_batch_jobs = 100, .fig4_batch_rounds = 3,
  .fig4_rss_jobs = 300, .fig4_rss_cap_s = 10, .fig4_rss_run_on_s = 5,
};

static void
note (const char *format,
      ...) G_GNUC_PRINTF (1, 2);

/* Progress on stderr, so that stdout stays the report */
static void
note (const char *format,
      ...)
{
  va_list args;

  va_start (args, format);
  vfprintf (stderr, format, args);
  va_end (args);
  fputc ('\n', stderr);
}

static gboolean
wants_poller (const Params    *p,
              BenchPollerKind  kind)
{
  g_auto(GStrv) names = NULL;

  if (p->pollers == NULL)
    return TRUE;

  names = g_strsplit (p->pollers, ",", -1);
  return g_strv_contains ((const char * const *) names, bench_poller_kind_name (kind));
}

/* ------------------------------------------------------------------ */
/* Figure 1: one job at a time                                         */
/* ------------------------------------------------------------------ */

/* A word about the end is right when it comes after the end and says how
 * the job ended. */
static gboolean
word_is_right (BenchJob     *job,
               double        vt,
               BenchOutcome  outcome,
               double        finish)
{
  if (!job->ended || vt < 0 || finish < 0 || vt < finish)
    return FALSE;
  if (job->truth == VIGIL_JOB_STATUS_COMPLETED)
    return outcome == BENCH_OUTCOME_COMPLETED;
  return outcome == BENCH_OUTCOME_FAILED;
}

static BenchOutcome
most_said (const guint *counts,
           guint        total,
           double      *share)
{
  BenchOutcome best = BENCH_OUTCOME_NONE;

  for (BenchOutcome o = BENCH_OUTCOME_NONE; o <= BENCH_OUTCOME_GAVE_UP; o++)
    if (counts[o] > counts[best])
      best = o;
  *share = total > 0 ? (double) counts[best] / total : NAN;
  return best;
}

static void
fig1_collect (BenchRun     *run,
              BenchFig1Row *row)
{
  g_autoptr(GArray) latency = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) first = g_array_new (FALSE, FALSE, sizeof (double));
  GPtrArray *jobs = bench_run_get_jobs (run);
  guint finals[BENCH_OUTCOME_GAVE_UP + 1] = { 0 }, firsts[BENCH_OUTCOME_GAVE_UP + 1] = { 0 };
  double requests = 0, after = 0;
  guint completed = 0, right = 0;

  for (guint i = 0; i < jobs->len; i++)
    {
      BenchJob *job = g_ptr_array_index (jobs, i);
      guint64 total = bench_run_job_requests (run, job);
      double finish = bench_run_finish_time (run, job);

      requests += total;
      if (job->first_vt >= 0)
        {
          firsts[job->first_outcome]++;
          right += word_is_right (job, job->first_vt, job->first_outcome, finish);
          if (finish >= 0)
            g_array_append_vals (first, (double[]) { job->first_vt - finish }, 1);
        }
      if (job->final_vt < 0)
        {
          row->unresolved++;
          continue;
        }
      finals[job->outcome]++;
      if (finish >= 0)
        g_array_append_vals (latency, (double[]) { job->final_vt - finish }, 1);
      if (job->ended)
        after += total - job->requests_at_end;
      completed += job->outcome == BENCH_OUTCOME_COMPLETED;
    }

  row->jobs = jobs->len;
  row->requests_per_job = requests / jobs->len;
  row->after_end = after / MAX (jobs->len - row->unresolved, 1);
  row->completed_share = (double) completed / jobs->len;
  row->latency_median = bench_percentile (latency, 0.5);
  row->latency_p90 = bench_percentile (latency, 0.9);
  row->latency_max = bench_max (latency);
  row->final_word = most_said (finals, jobs->len, &row->final_word_share);
  row->first_word = most_said (firsts, jobs->len, &row->first_word_share);
  row->first_median = bench_percentile (first, 0.5);
  row->first_max = bench_max (first);
  row->first_right_share = (double) right / jobs->len;
  row->rtt_s = bench_run_mean_rtt (run);
}

static void
fig1_run (BenchResults    *results,
          const Params    *p,
          BenchPollerKind  kind,
          double           duration)
{
  BenchSetup setup = { .speed = p->fig1_speed, .workers = p->fig1_jobs, .seed = results->seed,
                       .payload = BENCH_PAYLOAD_DOCUMENTED, .one_per_job = TRUE,
                       .rtt_s = p->latency_s };
  g_autoptr(BenchRun) run = bench_run_new (kind, &setup);
  /* the same jobs, at the same times, for every poller */
  g_autoptr(GRand) rand = g_rand_new_with_seed ((guint32) (results->seed * 7919 + duration));
  double stagger = MIN (duration, FIG1_STAGGER_S);
  double at = 0;
  BenchFig1Row row = { duration, kind, 0, p->fig1_speed };

  for (guint i = 0; i < p->fig1_jobs; i++)
    {
      double phase = g_rand_double_range (rand, 0, FIG1_MAX_PHASE);

      at = stagger * (i + g_rand_double (rand)) / p->fig1_jobs;
      bench_run_until (run, at);
      /* so long that what is left after the phase takes exactly `duration` */
      bench_run_add_job (run, FIG1_ITEMS, duration / (1 - phase) / FIG1_ITEMS, phase);
    }

  bench_run_until_final (run, at + duration + FIG1_GRACE_S);
  fig1_collect (run, &row);
  row.load = bench_run_get_load (run);
  row.max_lag_ms = bench_run_get_max_lag_ms (run);
  g_array_append_val (results->fig1, row);
}

static void
figure1 (BenchResults *results,
         const Params *p)
{
  for (guint d = 0; d < p->fig1_n_durations; d++)
    for (BenchPollerKind kind = 0; kind < BENCH_N_POLLERS; kind++)
      {
        if (!wants_poller (p, kind))
          continue;
        note ("figure 1: %g s jobs, %s", p->fig1_durations[d], bench_poller_kind_name (kind));
        fig1_run (results, p, kind, p->fig1_durations[d]);
      }
}

/* ------------------------------------------------------------------ */
/* Figure 2: N concurrent jobs, steady state                           */
/* ------------------------------------------------------------------ */

/* Requests per job and virtual second, roughly, to choose a speed that two
 * cores can serve without falling behind (load and lag are reported).
 * Vigil's few requests carry every job: its figure is what its bodies cost
 * in requests of the others' size. */
static double
fig2_speed (const Params    *p,
            BenchPollerKind  kind,
            guint            n)
{
  static const double rate[BENCH_N_POLLERS] = { 0.3, 0.55, 1.0, 0.5 };

  if (p->fig2_speed > 0)
    return p->fig2_speed;
  return CLAMP (floor (FIG2_REAL_BUDGET / (rate[kind] * n)), 1, p->fig2_max_speed);
}

static double
per_second (VigilDemoServer *server,
            const char      *pattern,
            double           window)
{
  return vigil_demo_server_get_request_count (server, pattern) / window;
}

static void
fig2_run (BenchResults    *results,
          const Params    *p,
          BenchPollerKind  kind,
          guint            which)
{
  guint n = p->fig2_n[which];
  double speed = fig2_speed (p, kind, n);
  BenchSetup setup = { .speed = speed, .workers = n, .seed = results->seed,
                       .payload = BENCH_PAYLOAD_DOCUMENTED, .shared_connections = TRUE };
  g_autoptr(BenchRun) run = bench_run_new (kind, &setup);
  g_autoptr(GRand) rand = g_rand_new_with_seed ((guint32) (results->seed * 104729 + n));
  VigilDemoServer *server = bench_run_get_server (run);
  BenchFig2Row row = { n, kind, speed };
  double start;
  guint64 finished;

  /* uniform start phases: the jobs' progress is spread as in a steady state */
  for (guint i = 0; i < n; i++)
    bench_run_add_job (run, FIG2_ITEMS, FIG2_DURATION_S / FIG2_ITEMS, g_rand_double (rand));
  bench_run_set_refill (run, FIG2_ITEMS, FIG2_DURATION_S / FIG2_ITEMS);

  bench_run_until (run, p->fig2_warmup_s);
  vigil_demo_server_reset_stats (server);
  start = bench_run_now (run);
  finished = bench_run_get_finished (run);
  bench_run_until (run, start + p->fig2_window_s[which]);
  row.window_s = bench_run_now (run) - start;

  row.requests_per_s = vigil_demo_server_get_total_requests (server) / row.window_s;
  row.bytes_per_s = vigil_demo_server_get_response_bytes (server) / row.window_s;
  row.batch_per_s = per_second (server, "/api/progress", row.window_s);
  row.single_per_s = per_second (server, "/api/progress/{id}", row.window_s);
  row.status_per_s = per_second (server, "/api/jobs/{id}/status", row.window_s);
  row.ends_per_s = (bench_run_get_finished (run) - finished) / row.window_s;
  row.load = bench_run_get_load (run);
  row.max_lag_ms = bench_run_get_max_lag_ms (run);
  g_array_append_val (results->fig2, row);
}

static void
figure2 (BenchResults *results,
         const Params *p)
{
  for (guint i = 0; i < p->fig2_n_count; i++)
    for (BenchPollerKind kind = 0; kind < BENCH_N_POLLERS; kind++)
      {
        if ((p->fig2_only_n != 0 && p->fig2_n[i] != p->fig2_only_n) || !wants_poller (p, kind))
          continue;
        note ("figure 2: N = %u, %s (speed %g)", p->fig2_n[i], bench_poller_kind_name (kind),
              fig2_speed (p, kind, p->fig2_n[i]));
        fig2_run (results, p, kind, i);
      }
}

/* ------------------------------------------------------------------ */
/* Figure 3: production payload, outcomes                              */
/* ------------------------------------------------------------------ */

static void
fig3_collect (BenchRun     *run,
              BenchFig3Row *row)
{
  g_autoptr(GArray) waits = g_array_new (FALSE, FALSE, sizeof (double));
  GPtrArray *jobs = bench_run_get_jobs (run);

  row->jobs = jobs->len;
  for (guint i = 0; i < jobs->len; i++)
    {
      BenchJob *job = g_ptr_array_index (jobs, i);
      gboolean failed = job->ended && job->truth != VIGIL_JOB_STATUS_COMPLETED;
      double finish = bench_run_finish_time (run, job);

      row->failed_truth += failed;
      row->correct += word_is_right (job, job->final_vt, job->outcome, finish);
      row->first_right += word_is_right (job, job->first_vt, job->first_outcome, finish);
      row->outcomes[job->outcome]++;
      row->false_completed += failed && job->outcome == BENCH_OUTCOME_COMPLETED;
      if (job->started_vt >= 0)
        g_array_append_vals (waits, (double[]) { job->started_vt - job->added_vt }, 1);
    }
  /* every request, the batches too */
  row->requests_per_job = vigil_demo_server_get_total_requests (bench_run_get_server (run)) /
                          (double) MAX (jobs->len, 1);
  row->wait_median = bench_percentile (waits, 0.5);
  row->wait_max = bench_max (waits);
}

typedef struct
{
  double at;
  gboolean pick_up;     /* else: add job `index` */
  guint index;
} Fig3Event;

static int
compare_events (gconstpointer a,
                gconstpointer b)
{
  const Fig3Event *x = a, *y = b;

  if (x->at != y->at)
    return x->at < y->at ? -1 : 1;
  /* a job is added before it can be picked up */
  return x->pick_up - y->pick_up;
}

static void
fig3_run (BenchResults      *results,
          const Params      *p,
          BenchFig3Workload  workload,
          BenchPollerKind    kind)
{
  gboolean queued = workload == BENCH_FIG3_QUEUED;
  BenchSetup setup = { .speed = p->fig3_speed, .workers = p->fig3_jobs, .seed = results->seed,
                       .payload = BENCH_PAYLOAD_PRODUCTION, .failure_rate = FIG3_FAILURE_RATE,
                       .rtt_s = p->latency_s, .held_queue = queued,
                       .web_processes = workload == BENCH_FIG3_WEB_PROCESSES ? BENCH_FIG3_PROCESSES : 1 };
  g_autoptr(BenchRun) run = bench_run_new (kind, &setup);
  /* the same jobs, waits included, for every poller and workload */
  g_autoptr(GRand) rand = g_rand_new_with_seed ((guint32) (results->seed * 15485863));
  g_autoptr(GArray) events = g_array_new (FALSE, FALSE, sizeof (Fig3Event));
  g_autoptr(GArray) items = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) seconds = g_array_new (FALSE, FALSE, sizeof (double));
  BenchFig3Row row = { workload, kind };
  double last = 0;

  for (guint i = 0; i < p->fig3_jobs; i++)
    {
      guint n = g_rand_int_range (rand, 1, FIG3_MAX_ITEMS + 1);
      double duration = g_rand_double_range (rand, 10, p->fig3_max_duration_s);
      double at = FIG3_STAGGER_S * (i + g_rand_double (rand)) / p->fig3_jobs;
      double wait = g_rand_double_range (rand, 0, BENCH_FIG3_MAX_WAIT_S);

      g_array_append_val (items, n);
      g_array_append_vals (seconds, (double[]) { duration / n }, 1);
      g_array_append_vals (events, (Fig3Event[]) { { at, FALSE, i } }, 1);
      /* the k-th pick-up takes the k-th job queued (FIFO), so the waits
       * are those of sorted pick-up times: each in 0 .. BENCH_FIG3_MAX_WAIT_S */
      if (queued)
        g_array_append_vals (events, (Fig3Event[]) { { at + wait, TRUE, 0 } }, 1);
    }
  g_array_sort (events, compare_events);

  for (guint e = 0; e < events->len; e++)
    {
      const Fig3Event *ev = &g_array_index (events, Fig3Event, e);

      bench_run_until (run, ev->at);
      last = ev->at;
      if (ev->pick_up)
        {
          if (!bench_run_pick_up (run))
            g_error ("vigil-bench: figure 3: nothing to pick up at %.1f s", ev->at);
        }
      else
        bench_run_add_job (run, g_array_index (items, guint, ev->index),
                           g_array_index (seconds, double, ev->index), 0);
    }

  bench_run_until_final (run, last + p->fig3_max_duration_s + FIG1_GRACE_S);
  fig3_collect (run, &row);
  row.load = bench_run_get_load (run);
  g_array_append_val (results->fig3, row);
}

static void
figure3 (BenchResults *results,
         const Params *p)
{
  for (BenchFig3Workload w = 0; w < BENCH_FIG3_N_WORKLOADS; w++)
    for (BenchPollerKind kind = 0; kind < BENCH_N_POLLERS; kind++)
      {
        if (!wants_poller (p, kind))
          continue;
        note ("figure 3: %s, %s", bench_fig3_workload_name (w), bench_poller_kind_name (kind));
        fig3_run (results, p, w, kind);
      }
}

/* ------------------------------------------------------------------ */
/* Figure 4: client cost                                               */
/* ------------------------------------------------------------------ */

static void
figure4 (BenchResults *results,
         const Params *p)
{
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);

  note ("figure 4: CPU per update");
  bench_cost_measure_cpu (&results->cost, p->fig4_updates, p->fig4_batch_jobs,
                          p->fig4_batch_rounds, results->seed);
  note ("figure 4: peak RSS with %u jobs", p->fig4_rss_jobs);
  bench_cost_measure_rss (&results->cost, self_exe, p->fig4_rss_jobs, p->fig4_rss_cap_s,
                          p->fig4_rss_run_on_s, results->seed);
  results->have_cost = TRUE;
}

/* ------------------------------------------------------------------ */
/* Figures 5 and 6                                                     */
/* ------------------------------------------------------------------ */

/* vigil-gui-bench as a child: five runs (this VM's speed varies between
 * minutes; the round time's figure is the best run's, the RSS the
 * median's); the smoke run makes one quick one. */
static void
figure5 (BenchResults *results,
         gboolean      quick)
{
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);

  note ("figure 5: vigil-gui-bench");
  results->have_gui = TRUE;
  bench_gui_measure (&results->gui, self_exe, quick, quick ? 1 : 5);
}

/* A pure simulation; its table is kept to be printed with the others. */
static gboolean
figure6 (BenchResults *results,
         gboolean      quick)
{
  char *text = NULL;
  size_t size = 0;
  FILE *out = open_memstream (&text, &size);
  gboolean ok;

  note ("figure 6: ETA error");
  if (out == NULL)
    g_error ("vigil-bench: open_memstream: %s", g_strerror (errno));
  ok = bench_eta_figure6 (out, quick, results->seed, &results->eta);
  fclose (out);
  results->eta_table = g_strdup (text);
  free (text);
  results->have_eta = TRUE;
  return ok;
}

/* ------------------------------------------------------------------ */
/* main                                                                */
/* ------------------------------------------------------------------ */

typedef struct
{
  gboolean  quick;
  gboolean  json;
  char     *figures;
  gint64    seed;
  gint      fig2_n;
  double    fig2_speed;
  double    latency;
  char     *pollers;
  char     *rss_child;
  double    rss_speed;
  double    rss_cap;
  double    rss_run_on;
} Options;

static gboolean
parse_options (Options  *opts,
               int      *argc,
               char   ***argv)
{
  const GOptionEntry entries[] = {
    { "quick", 0, 0, G_OPTION_ARG_NONE, &opts->quick, "Smoke run: small samples, a few seconds", NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &opts->json, "Print JSON instead of the table", NULL },
    { "figures", 0, 0, G_OPTION_ARG_STRING, &opts->figures, "Figures to run (default 1,2,3,4,5,6)", "LIST" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &opts->seed, "Random seed (default 1)", "N" },
    { "pollers", 0, 0, G_OPTION_ARG_STRING, &opts->pollers,
      "Pollers to run: vigil,browser,fixed-1s,fixed-2s (default all)", "LIST" },
    { "fig2-n", 0, 0, G_OPTION_ARG_INT, &opts->fig2_n, "Figure 2: this N only", "N" },
    { "fig2-speed", 0, 0, G_OPTION_ARG_DOUBLE, &opts->fig2_speed, "Figure 2: this server speed", "S" },
    { "server-latency", 0, 0, G_OPTION_ARG_DOUBLE, &opts->latency,
      "Figures 1 and 3: virtual seconds the server holds each answer (default 0)", "S" },
    { "rss-child", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &opts->rss_child, NULL, NULL },
    { "rss-speed", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_DOUBLE, &opts->rss_speed, NULL, NULL },
    { "rss-cap", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_DOUBLE, &opts->rss_cap, NULL, NULL },
    { "rss-run-on", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_DOUBLE, &opts->rss_run_on, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— Vigil's poller against the browser poller");
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("vigil-bench: %s\n", error->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
wants (const Options *opts,
       char           figure)
{
  return opts->figures == NULL || strchr (opts->figures, figure) != NULL;
}

/* The smoke run fails only when Vigil itself went wrong. */
static int
smoke_status (BenchResults *results)
{
  for (guint i = 0; i < results->fig1->len; i++)
    {
      BenchFig1Row *row = &g_array_index (results->fig1, BenchFig1Row, i);

      if (row->kind == BENCH_POLLER_VIGIL && (row->unresolved > 0 || row->completed_share < 1))
        return 1;
    }
  for (guint i = 0; i < results->fig3->len; i++)
    {
      BenchFig3Row *row = &g_array_index (results->fig3, BenchFig3Row, i);

      if (row->kind == BENCH_POLLER_VIGIL && row->correct < row->jobs)
        return 1;
    }
  if (results->have_gui && !results->gui.measured)
    return 1;
  return results->have_cost && !results->cost.rss_ok ? 1 : 0;
}

int
main (int   argc,
      char *argv[])
{
  Options opts = { .seed = 1, .rss_speed = 1, .rss_cap = 60, .rss_run_on = 40 };
  g_autoptr(BenchResults) results = bench_results_new ();
  g_autofree char *command = g_strjoinv (" ", argv);
  gint64 start = g_get_monotonic_time ();
  Params params;
  const Params *p;
  gboolean fig6_ok = TRUE;

  if (!parse_options (&opts, &argc, &argv))
    return 2;
  if (opts.rss_child != NULL)
    {
      g_autofree char *url = g_steal_pointer (&opts.rss_child);

      return bench_cost_rss_child (url, opts.rss_speed, opts.rss_cap, opts.rss_run_on);
    }

  params = opts.quick ? quick_params : full_params;
  params.fig2_only_n = (guint) MAX (opts.fig2_n, 0);
  params.fig2_speed = opts.fig2_speed;
  params.pollers = opts.pollers;
  params.latency_s = MAX (opts.latency, 0);
  p = &params;
  results->quick = opts.quick;
  results->seed = (guint64) opts.seed;
  results->command = g_steal_pointer (&command);

  if (wants (&opts, '1'))
    figure1 (results, p);
  if (wants (&opts, '2'))
    figure2 (results, p);
  if (wants (&opts, '3'))
    figure3 (results, p);
  if (wants (&opts, '4'))
    figure4 (results, p);
  if (wants (&opts, '5'))
    figure5 (results, opts.quick);
  if (wants (&opts, '6'))
    fig6_ok = figure6 (results, opts.quick);

  results->runtime_s = (g_get_monotonic_time () - start) / 1e6;
  if (opts.json)
    bench_report_json (results);
  else
    bench_report_table (results);

  g_free (opts.figures);
  g_free (opts.pollers);
  g_free (opts.rss_child);
  return opts.quick ? MAX (smoke_status (results), fig6_ok ? 0 : 1) : 0;
}
