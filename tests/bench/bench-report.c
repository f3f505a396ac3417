/* bench-report.c — vigil-bench's results as a table (stdout) or JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "vigil-json-builder.h"

#include "bench-report.h"


/* The targets */
#define T1_REQUEST_RATIO 0.8
#define T1_LATENCY_MEDIAN 0.5
#define T1_LATENCY_MAX 1.5
#define T2_RECORDS_PER_END 1.05
#define T2_BATCH_PER_S 1.0
#define T2_BYTES_RATIO 1.0
#define T4_CPU_MS 25.0
#define T4_RSS_JOBS 10000
#define T4_RSS_MB 30.0
#define T5_JOBS 10000
#define T5_ROUND_MS 4.0
#define T5_RSS_MB 60.0
#define T6_ERROR 0.15

typedef struct
{
  char     *label;
  double    value;
  double    limit;
  gboolean  measured;
  gboolean  met;
} Target;

BenchResults *
bench_results_new (void)
{
  BenchResults *results = g_new0 (BenchResults, 1);

  results->fig1 = g_array_new (FALSE, TRUE, sizeof (BenchFig1Row));
  results->fig2 = g_array_new (FALSE, TRUE, sizeof (BenchFig2Row));
  results->fig3 = g_array_new (FALSE, TRUE, sizeof (BenchFig3Row));
  return results;
}

void
bench_results_free (BenchResults *results)
{
  if (results == NULL)
    return;

  g_array_unref (results->fig1);
  g_array_unref (results->fig2);
  g_array_unref (results->fig3);
  bench_gui_clear (&results->gui);
  g_free (results->eta_table);
  g_free (results->command);
  g_free (results);
}

/* ------------------------------------------------------------------ */
/* Lookups                                                             */
/* ------------------------------------------------------------------ */

static const BenchFig1Row *
fig1_find (BenchResults    *results,
           double           duration,
           BenchPollerKind  kind)
{
  for (guint i = 0; i < results->fig1->len; i++)
    {
      const BenchFig1Row *row = &g_array_index (results->fig1, BenchFig1Row, i);

      if (row->duration == duration && row->kind == kind)
        return row;
    }
  return NULL;
}

static const BenchFig2Row *
fig2_find (BenchResults    *results,
           guint            n,
           BenchPollerKind  kind)
{
  for (guint i = 0; i < results->fig2->len; i++)
    {
      const BenchFig2Row *row = &g_array_index (results->fig2, BenchFig2Row, i);

      if (row->n == n && row->kind == kind)
        return row;
    }
  return NULL;
}

static const BenchFig3Row *
fig3_find (BenchResults      *results,
           BenchFig3Workload  workload,
           BenchPollerKind    kind)
{
  for (guint i = 0; i < results->fig3->len; i++)
    {
      const BenchFig3Row *row = &g_array_index (results->fig3, BenchFig3Row, i);

      if (row->workload == workload && row->kind == kind)
        return row;
    }
  return NULL;
}

const char *
bench_fig3_workload_name (BenchFig3Workload workload)
{
  static const char * const names[] = { "production", "queued", "web-processes" };

  g_return_val_if_fail (workload < BENCH_FIG3_N_WORKLOADS, "?");

  return names[workload];
}

static double
ratio (double a,
       double b)
{
  return b > 0 ? a / b : NAN;
}

/* ------------------------------------------------------------------ */
/* Targets                                                             */
/* ------------------------------------------------------------------ */

static void
target_add (GArray     *targets,
            char       *label,
            double      value,
            double      limit,
            gboolean    measured)
{
  Target t = { label, value, limit, measured && !isnan (value), FALSE };

  t.met = t.measured && value <= limit;
  g_array_append_val (targets, t);
}

static void
target_clear (gpointer data)
{
  g_free (((Target *) data)->label);
}

static void
targets_fig1 (BenchResults *results,
              GArray       *targets)
{
  for (guint i = 0; i < results->fig1->len; i++)
    {
      const BenchFig1Row *v = &g_array_index (results->fig1, BenchFig1Row, i);
      const BenchFig1Row *b;

      if (v->kind != BENCH_POLLER_VIGIL)
        continue;
      b = fig1_find (results, v->duration, BENCH_POLLER_BROWSER);
      target_add (targets, g_strdup_printf ("1. %g s jobs: requests/job vigil/browser", v->duration),
                  b != NULL ? ratio (v->requests_per_job, b->requests_per_job) : NAN,
                  T1_REQUEST_RATIO, b != NULL);
      target_add (targets, g_strdup_printf ("1. %g s jobs: latency median (s)", v->duration),
                  v->latency_median, T1_LATENCY_MEDIAN, TRUE);
      target_add (targets, g_strdup_printf ("1. %g s jobs: latency max (s)", v->duration),
                  v->latency_max, T1_LATENCY_MAX, TRUE);
    }
}

/* A job's end needs its job record: one per end is the floor. */
static double
fig2_records_per_end (const BenchFig2Row *r)
{
  return r->ends_per_s > 0 ? (r->single_per_s + r->status_per_s) / r->ends_per_s : NAN;
}

static void
targets_fig2 (BenchResults *results,
              GArray       *targets)
{
  for (guint i = 0; i < results->fig2->len; i++)
    {
      const BenchFig2Row *r = &g_array_index (results->fig2, BenchFig2Row, i);
      const BenchFig2Row *b = fig2_find (results, r->n, BENCH_POLLER_BROWSER);

      if (r->kind != BENCH_POLLER_VIGIL)
        continue;
      target_add (targets, g_strdup_printf ("2. N = %u: job-record requests per job end", r->n),
                  fig2_records_per_end (r), T2_RECORDS_PER_END, r->ends_per_s > 0);
      target_add (targets, g_strdup_printf ("2. N = %u: batch requests/s", r->n),
                  r->batch_per_s, T2_BATCH_PER_S, TRUE);
      target_add (targets, g_strdup_printf ("2. N = %u: bytes/s vigil/browser", r->n),
                  b != NULL ? ratio (r->bytes_per_s, b->bytes_per_s) : NAN, T2_BYTES_RATIO,
                  b != NULL);
    }
}

static GArray *
targets_compute (BenchResults *results)
{
  GArray *targets = g_array_new (FALSE, TRUE, sizeof (Target));
  const BenchCost *c = &results->cost;

  g_array_set_clear_func (targets, target_clear);
  targets_fig1 (results, targets);
  targets_fig2 (results, targets);
  /* 0 wrong outcomes allowed: value = share wrong */
  for (BenchFig3Workload w = 0; w < BENCH_FIG3_N_WORKLOADS; w++)
    {
      const BenchFig3Row *f3 = fig3_find (results, w, BENCH_POLLER_VIGIL);

      target_add (targets, g_strdup_printf ("3. %s: share of vigil outcomes wrong",
                                            bench_fig3_workload_name (w)),
                  f3 != NULL ? 1.0 - (double) f3->correct / MAX (f3->jobs, 1) : NAN, 0, f3 != NULL);
    }
  target_add (targets, g_strdup ("4. CPU ms per 1000 updates (worst of the three paths)"),
              MAX (MAX (c->single_documented_ms, c->single_production_ms), c->batch_ms),
              T4_CPU_MS, results->have_cost);
  target_add (targets, g_strdup_printf ("4. peak RSS (MB) tracking %u jobs", T4_RSS_JOBS),
              c->rss_peak_mb, T4_RSS_MB, results->have_cost && c->rss_ok && c->rss_jobs == T4_RSS_JOBS);
  if (results->have_gui)
    {
      const BenchGui *g = &results->gui;
      gboolean full = g->measured && g->runs[0].jobs == T5_JOBS;

      target_add (targets, g_strdup_printf ("5. GUI, %u jobs: update round median, best run (ms)",
                                            T5_JOBS),
                  g->apply_ms_best, T5_ROUND_MS, full);
      target_add (targets, g_strdup_printf ("5. GUI, %u jobs: RSS with the jobs (MB)", T5_JOBS),
                  g->rss_mb, T5_RSS_MB, full);
    }
  if (results->have_eta)
    {
      /* the ratio target is counted per cell: met, or out of reach */
      target_add (targets, g_strdup ("6. ETA: worst median error (share of the time left)"),
                  results->eta.worst_error, T6_ERROR, TRUE);
      target_add (targets, g_strdup_printf ("6. ETA: cells missed (%u met, %u at the floor, of %u)",
                                            results->eta.met, results->eta.floor, results->eta.cells),
                  results->eta.missed, 0, TRUE);
    }
  return targets;
}

/* ------------------------------------------------------------------ */
/* Machine                                                             */
/* ------------------------------------------------------------------ */

static char *
cpu_model (void)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents ("/proc/cpuinfo", &text, NULL, NULL))
    return g_strdup ("unknown CPU");

  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "model name"))
      return g_strdup (g_strstrip (strchr (lines[i], ':') + 1));

  return g_strdup ("unknown CPU");
}

static double
memory_gib (void)
{
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/meminfo", &text, NULL, NULL) ||
      (line = strstr (text, "MemTotal:")) == NULL)
    return NAN;

  return g_ascii_strtod (line + strlen ("MemTotal:"), NULL) / (1024.0 * 1024.0);
}

static char *
machine_description (void)
{
  g_autofree char *cpu = cpu_model ();
  g_autofree char *os = g_get_os_info (G_OS_INFO_KEY_PRETTY_NAME);
  struct utsname un;

  uname (&un);
  return g_strdup_printf ("%s, %u cores, %.1f GiB RAM; %s, Linux %s; "
                          "GLib %u.%u.%u, libsoup %u.%u.%u, json-glib %s",
                          cpu, g_get_num_processors (), memory_gib (),
                          os != NULL ? os : "unknown OS", un.release,
                          glib_major_version, glib_minor_version, glib_micro_version,
                          soup_get_major_version (), soup_get_minor_version (),
                          soup_get_micro_version (), JSON_VERSION_S);
}

/* ------------------------------------------------------------------ */
/* Table                                                               */
/* ------------------------------------------------------------------ */

static void
table_fig1 (BenchResults *results)
{
  double last = -1;

  if (results->fig1->len == 0)
    return;

  printf ("\n1. One job at a time: documented payload, one poller per job, virtual seconds (speed %g).\n"
          "   final = the poller's last word on how the job ended, lat. = from the true end; first =\n"
          "   the first word about the end the user sees (the browser's page prints \"Analysis\n"
          "   failed. Please try again.\" at its first failed poll; the others speak once), right =\n"
          "   after the end and true; after = requests after the true end; rtt = mean loopback\n"
          "   round trip of the emulated pollers (the browser acts on answers %.0f ms after asking,\n"
          "   as the real JS did when measured: 12.0, 35.0, 147.8, 870 requests per 10, 60, 300, 1800 s job)\n",
          g_array_index (results->fig1, BenchFig1Row, 0).speed, 1000 * BENCH_ROUND_TRIP_S);
  printf ("%8s  %-9s %4s %7s  %-14s %6s %5s %5s  %-14s %6s %5s %5s %5s %5s %5s\n", "duration",
          "poller", "jobs", "req/job", "final word", "lat.", "p90", "max", "first word", "lat.",
          "max", "right", "after", "rtt", "load");
  for (guint i = 0; i < results->fig1->len; i++)
    {
      const BenchFig1Row *r = &g_array_index (results->fig1, BenchFig1Row, i);
      char rtt[16] = "-";

      if (!isnan (r->rtt_s))
        g_snprintf (rtt, sizeof rtt, "%.2f", r->rtt_s);
      if (r->duration != last && last >= 0)
        printf ("\n");
      last = r->duration;
      printf ("%6g s  %-9s %4u %7.1f  %-9s %3.0f%% %6.2f %5.2f %5.2f  %-9s %3.0f%% %6.2f %5.2f %4.0f%% %5.1f %5s %4.0f%%%s\n",
              r->duration, bench_poller_kind_name (r->kind), r->jobs, r->requests_per_job,
              bench_outcome_name (r->final_word), 100 * r->final_word_share,
              r->latency_median, r->latency_p90, r->latency_max,
              bench_outcome_name (r->first_word), 100 * r->first_word_share,
              r->first_median, r->first_max, 100 * r->first_right_share, r->after_end,
              rtt, 100 * r->load,
              r->unresolved > 0 ? "  (unresolved jobs!)" : "");
      if (r->kind == BENCH_POLLER_VIGIL && fig1_find (results, r->duration, BENCH_POLLER_BROWSER))
        {
          const BenchFig1Row *b = fig1_find (results, r->duration, BENCH_POLLER_BROWSER);

          printf ("%8s  ratio vigil/browser: requests %.2f; latency vs the page's first word %.2f,"
                  " vs the poller's final word %.2f\n", "",
                  ratio (r->requests_per_job, b->requests_per_job),
                  ratio (r->latency_median, b->first_median),
                  ratio (r->latency_median, b->latency_median));
        }
    }
}

static void
table_fig2 (BenchResults *results)
{
  guint last = 0;

  if (results->fig2->len == 0)
    return;

  printf ("\n2. N concurrent 300 s jobs, steady state (finished jobs replaced), per virtual second\n");
  printf ("%5s  %-9s %8s %9s %8s %9s %9s %7s %7s %7s %6s %5s\n", "N", "poller", "req/s", "KiB/s",
          "batch/s", "single/s", "status/s", "ends/s", "rec/end", "window", "speed", "load");
  for (guint i = 0; i < results->fig2->len; i++)
    {
      const BenchFig2Row *r = &g_array_index (results->fig2, BenchFig2Row, i);

      if (r->n != last && last > 0)
        printf ("\n");
      last = r->n;
      printf ("%5u  %-9s %8.2f %9.1f %8.2f %9.2f %9.2f %7.2f %7.2f %6.0fs %6g %4.0f%%\n", r->n,
              bench_poller_kind_name (r->kind), r->requests_per_s, r->bytes_per_s / 1024,
              r->batch_per_s, r->single_per_s, r->status_per_s, r->ends_per_s,
              fig2_records_per_end (r), r->window_s, r->speed,
              100 * r->load);
      if (r->kind == BENCH_POLLER_VIGIL && fig2_find (results, r->n, BENCH_POLLER_BROWSER))
        {
          const BenchFig2Row *b = fig2_find (results, r->n, BENCH_POLLER_BROWSER);

          printf ("%5s  ratio vigil/browser: requests %.3f, bytes %.2f\n", "",
                  ratio (r->requests_per_s, b->requests_per_s), ratio (r->bytes_per_s, b->bytes_per_s));
        }
    }
}

static double
fig3_max_wait (BenchResults *results)
{
  double max = 0;

  for (guint i = 0; i < results->fig3->len; i++)
    {
      const BenchFig3Row *r = &g_array_index (results->fig3, BenchFig3Row, i);

      if (!isnan (r->wait_max))
        max = MAX (max, r->wait_max);
    }
  return max;
}

static void
table_fig3 (BenchResults *results)
{
  BenchFig3Workload last = BENCH_FIG3_N_WORKLOADS;

  if (results->fig3->len == 0)
    return;

  printf ("\n3. Production payload (production-steps, no metadata, current_progress, record deleted at\n"
          "   the end), some jobs fail: outcome reported correctly. correct = the poller's final\n"
          "   word is true (and comes after the end); 1st right = so is the first word the user saw.\n"
          "   production: workers pick jobs up at once; queued: each waits 0 to %.0f s for a worker;\n"
          "   web-processes: GET /api/progress answers from one of %d web processes at random\n",
          BENCH_FIG3_MAX_WAIT_S, BENCH_FIG3_PROCESSES);
  printf ("%-13s %-9s %5s %7s %9s %9s %6s %7s %5s %7s %9s %8s %5s\n", "workload", "poller", "jobs",
          "correct", "1st right", "completed", "failed", "gave-up", "lost", "no word", "wait med",
          "req/job", "load");
  for (guint i = 0; i < results->fig3->len; i++)
    {
      const BenchFig3Row *r = &g_array_index (results->fig3, BenchFig3Row, i);

      if (r->workload != last && last != BENCH_FIG3_N_WORKLOADS)
        printf ("\n");
      last = r->workload;
      printf ("%-13s %-9s %5u %6.0f%% %8.0f%% %9u %6u %7u %5u %7u %7.1fs %8.1f %4.0f%%\n",
              bench_fig3_workload_name (r->workload), bench_poller_kind_name (r->kind), r->jobs,
              100.0 * r->correct / MAX (r->jobs, 1), 100.0 * r->first_right / MAX (r->jobs, 1),
              r->outcomes[BENCH_OUTCOME_COMPLETED], r->outcomes[BENCH_OUTCOME_FAILED],
              r->outcomes[BENCH_OUTCOME_GAVE_UP], r->outcomes[BENCH_OUTCOME_LOST],
              r->outcomes[BENCH_OUTCOME_NONE], isnan (r->wait_median) ? 0.0 : r->wait_median,
              r->requests_per_job, 100 * r->load);
    }
  printf ("   (%u of %u jobs really failed; queue waits up to %.1f s)\n",
          g_array_index (results->fig3, BenchFig3Row, 0).failed_truth,
          g_array_index (results->fig3, BenchFig3Row, 0).jobs, fig3_max_wait (results));
}

static void
table_fig4 (BenchResults *results)
{
  const BenchCost *c = &results->cost;

  if (!results->have_cost)
    return;

  printf ("\n4. Client cost\n");
  printf ("   CPU per 1000 progress updates (parse + VigilJob apply, %u updates timed; the best\n"
          "   of %u times, the median in brackets):\n", c->updates, c->cpu_reps);
  printf ("     GET /api/progress/<id>, documented payload (%zu B body):  %6.1f ms (%.1f)\n",
          c->single_body_bytes, c->single_documented_ms, c->single_documented_median_ms);
  printf ("     GET /api/progress/<id>, production payload:               %6.1f ms (%.1f)\n",
          c->single_production_ms, c->single_production_median_ms);
  printf ("     GET /api/progress with %u jobs (%.0f KiB body):         %6.1f ms (%.1f)\n",
          c->batch_jobs, c->batch_body_bytes / 1024.0, c->batch_ms, c->batch_median_ms);
  if (!c->rss_ok)
    {
      printf ("   Peak RSS: the measuring process failed\n");
      return;
    }
  printf ("   Peak RSS of a process tracking %u jobs with one VigilPoller: %.1f MB "
          "(%.1f MB before tracking)\n", c->rss_jobs, c->rss_peak_mb, c->rss_baseline_mb);
  printf ("     %.1f MB once every job was tracked (before any answer), %.1f MB at the end\n",
          c->rss_tracked_mb, c->rss_end_mb);
  printf ("     %u of them running%s; playlists of 5 to 30 songs: %u songs (their rows are made for a view that asks)\n",
          c->rss_running, c->rss_running < c->rss_jobs ? " (the demo server's most workers), the others queued" : "",
          c->rss_songs);
  printf ("     %u of %u jobs answered in %.1f s real, %" G_GUINT64_FORMAT " requests, "
          "%" G_GUINT64_FORMAT " of them GET /api/progress (%.1f MiB body at this N)\n",
          c->rss_polled, c->rss_jobs, c->rss_seconds, c->rss_requests, c->rss_batch_requests,
          c->rss_batch_body_bytes / (1024.0 * 1024.0));
}

static void
table_fig5 (BenchResults *results)
{
  const BenchGui *g = &results->gui;

  if (!results->have_gui)
    return;

  printf ("\n5. GUI cost: the real window with the jobs in its list, every job given a new record\n"
          "   each round (vigil-gui-bench, a child process; its command below)\n");
  if (g->how != NULL)
    printf ("   %s\n", g->how);
  if (g->n_runs > 0)
    printf ("   %u jobs, %u rounds, %u row widgets alive, %u shown\n", g->runs[0].jobs,
            g->runs[0].ticks, g->runs[0].rows, g->runs[0].rows_shown);
  printf ("   run  round median    max  to paint median    max  RSS empty  with jobs   peak  trimmed\n");
  for (guint i = 0; i < g->n_runs; i++)
    {
      const BenchGuiRun *r = &g->runs[i];

      printf ("   %3u  %9.2f ms %6.2f  %12.2f ms %6.2f  %6.1f MB  %6.1f MB %6.1f  %6.1f MB\n", i + 1,
              r->apply_ms_median, r->apply_ms_max, r->paint_ms_median, r->paint_ms_max,
              r->rss_empty_mb, r->rss_loaded_mb, r->rss_peak_mb, r->rss_trimmed_mb);
    }
  if (g->measured)
    printf ("   over the runs: round %.2f ms in the best run, %.2f median; to paint %.2f ms; RSS with\n"
            "   the jobs %.1f MB median, at most %.1f (peak at most %.1f); empty window %.1f MB\n",
            g->apply_ms_best, g->apply_ms_median, g->paint_ms_median, g->rss_mb, g->rss_max_mb,
            g->rss_peak_mb, g->rss_empty_mb);
  if (g->why_not != NULL)
    printf ("   not measured: %s\n", g->why_not);
}

static void
table_targets (GArray *targets)
{
  printf ("\nTargets (vigil)\n");
  for (guint i = 0; i < targets->len; i++)
    {
      const Target *t = &g_array_index (targets, Target, i);

      if (!t->measured)
        printf ("   %-56s not measured in this run\n", t->label);
      else
        printf ("   %-56s %8.3f  limit %6.3f  %s\n", t->label, t->value, t->limit,
                t->met ? "met" : "MISSED");
    }
}

void
bench_report_table (BenchResults *results)
{
  g_autofree char *machine = machine_description ();
  g_autoptr(GArray) targets = targets_compute (results);

  g_return_if_fail (results != NULL);

  printf ("vigil-bench%s — Vigil against the service's browser poller and fixed pollers\n",
          results->quick ? " --quick (smoke run: small samples, not for comparison)" : "");
  printf ("Machine: %s\n", machine);
  printf ("Command: %s\n", results->command);
  printf ("Seed: %" G_GUINT64_FORMAT "\n", results->seed);
  table_fig1 (results);
  table_fig2 (results);
  table_fig3 (results);
  table_fig4 (results);
  table_fig5 (results);
  if (results->eta_table != NULL)
    fputs (results->eta_table, stdout);
  table_targets (targets);
  printf ("\nRuntime: %.1f s real\n", results->runtime_s);
  fflush (stdout);
}

/* ------------------------------------------------------------------ */
/* JSON                                                                */
/* ------------------------------------------------------------------ */

static void
json_fig1 (JsonBuilder  *b,
           BenchResults *results)
{
  json_builder_set_member_name (b, "figure1");
  json_builder_begin_array (b);
  for (guint i = 0; i < results->fig1->len; i++)
    {
      const BenchFig1Row *r = &g_array_index (results->fig1, BenchFig1Row, i);

      json_builder_begin_object (b);
      vigil_json_add_double (b, "duration_s", r->duration);
      vigil_json_add_string (b, "poller", bench_poller_kind_name (r->kind));
      vigil_json_add_double (b, "jobs", r->jobs);
      vigil_json_add_double (b, "requests_per_job", r->requests_per_job);
      vigil_json_add_double (b, "latency_median_s", r->latency_median);
      vigil_json_add_double (b, "latency_p90_s", r->latency_p90);
      vigil_json_add_double (b, "latency_max_s", r->latency_max);
      vigil_json_add_double (b, "requests_after_end", r->after_end);
      vigil_json_add_double (b, "completed_share", r->completed_share);
      vigil_json_add_string (b, "final_word", bench_outcome_name (r->final_word));
      vigil_json_add_double (b, "final_word_share", r->final_word_share);
      vigil_json_add_string (b, "first_word", bench_outcome_name (r->first_word));
      vigil_json_add_double (b, "first_word_share", r->first_word_share);
      vigil_json_add_double (b, "first_word_latency_median_s", r->first_median);
      vigil_json_add_double (b, "first_word_latency_max_s", r->first_max);
      vigil_json_add_double (b, "first_word_right_share", r->first_right_share);
      vigil_json_add_double (b, "round_trip_s", r->rtt_s);
      vigil_json_add_double (b, "unresolved", r->unresolved);
      vigil_json_add_double (b, "speed", r->speed);
      vigil_json_add_double (b, "load", r->load);
      vigil_json_add_double (b, "max_loop_lag_ms", r->max_lag_ms);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
json_fig2 (JsonBuilder  *b,
           BenchResults *results)
{
  json_builder_set_member_name (b, "figure2");
  json_builder_begin_array (b);
  for (guint i = 0; i < results->fig2->len; i++)
    {
      const BenchFig2Row *r = &g_array_index (results->fig2, BenchFig2Row, i);

      json_builder_begin_object (b);
      vigil_json_add_double (b, "n", r->n);
      vigil_json_add_string (b, "poller", bench_poller_kind_name (r->kind));
      vigil_json_add_double (b, "requests_per_s", r->requests_per_s);
      vigil_json_add_double (b, "bytes_per_s", r->bytes_per_s);
      vigil_json_add_double (b, "batch_per_s", r->batch_per_s);
      vigil_json_add_double (b, "single_progress_per_s", r->single_per_s);
      vigil_json_add_double (b, "status_per_s", r->status_per_s);
      vigil_json_add_double (b, "ends_per_s", r->ends_per_s);
      if (r->ends_per_s > 0)
        vigil_json_add_double (b, "records_per_end", fig2_records_per_end (r));
      vigil_json_add_double (b, "window_s", r->window_s);
      vigil_json_add_double (b, "speed", r->speed);
      vigil_json_add_double (b, "load", r->load);
      vigil_json_add_double (b, "max_loop_lag_ms", r->max_lag_ms);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
json_fig3 (JsonBuilder  *b,
           BenchResults *results)
{
  json_builder_set_member_name (b, "figure3");
  json_builder_begin_array (b);
  for (guint i = 0; i < results->fig3->len; i++)
    {
      const BenchFig3Row *r = &g_array_index (results->fig3, BenchFig3Row, i);

      json_builder_begin_object (b);
      vigil_json_add_string (b, "workload", bench_fig3_workload_name (r->workload));
      vigil_json_add_string (b, "poller", bench_poller_kind_name (r->kind));
      vigil_json_add_double (b, "jobs", r->jobs);
      vigil_json_add_double (b, "failed_truth", r->failed_truth);
      vigil_json_add_double (b, "correct_share", (double) r->correct / MAX (r->jobs, 1));
      vigil_json_add_double (b, "first_word_right_share", (double) r->first_right / MAX (r->jobs, 1));
      vigil_json_add_double (b, "queue_wait_median_s", r->wait_median);
      vigil_json_add_double (b, "queue_wait_max_s", r->wait_max);
      vigil_json_add_double (b, "requests_per_job", r->requests_per_job);
      vigil_json_add_double (b, "false_completed", r->false_completed);
      json_builder_set_member_name (b, "outcomes");
      json_builder_begin_object (b);
      for (guint o = 0; o <= BENCH_OUTCOME_GAVE_UP; o++)
        vigil_json_add_double (b, bench_outcome_name (o), r->outcomes[o]);
      json_builder_end_object (b);
      vigil_json_add_double (b, "load", r->load);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
json_fig4 (JsonBuilder  *b,
           BenchResults *results)
{
  const BenchCost *c = &results->cost;

  if (!results->have_cost)
    return;

  json_builder_set_member_name (b, "figure4");
  json_builder_begin_object (b);
  vigil_json_add_double (b, "updates_timed", c->updates);
  vigil_json_add_double (b, "cpu_ms_per_1000_single_documented", c->single_documented_ms);
  vigil_json_add_double (b, "cpu_ms_per_1000_single_production", c->single_production_ms);
  vigil_json_add_double (b, "cpu_ms_per_1000_batch", c->batch_ms);
  vigil_json_add_double (b, "cpu_times", c->cpu_reps);
  vigil_json_add_double (b, "cpu_ms_per_1000_single_documented_median", c->single_documented_median_ms);
  vigil_json_add_double (b, "cpu_ms_per_1000_single_production_median", c->single_production_median_ms);
  vigil_json_add_double (b, "cpu_ms_per_1000_batch_median", c->batch_median_ms);
  vigil_json_add_double (b, "batch_jobs", c->batch_jobs);
  vigil_json_add_double (b, "single_body_bytes", c->single_body_bytes);
  vigil_json_add_double (b, "batch_body_bytes", c->batch_body_bytes);
  vigil_json_add_double (b, "rss_jobs", c->rss_jobs);
  vigil_json_add_double (b, "rss_peak_mb", c->rss_ok ? c->rss_peak_mb : NAN);
  vigil_json_add_double (b, "rss_baseline_mb", c->rss_ok ? c->rss_baseline_mb : NAN);
  vigil_json_add_double (b, "rss_tracked_mb", c->rss_ok ? c->rss_tracked_mb : NAN);
  vigil_json_add_double (b, "rss_end_mb", c->rss_ok ? c->rss_end_mb : NAN);
  vigil_json_add_double (b, "rss_jobs_running", c->rss_running);
  vigil_json_add_double (b, "rss_jobs_answered", c->rss_polled);
  vigil_json_add_double (b, "rss_songs", c->rss_songs);
  vigil_json_add_double (b, "rss_requests", c->rss_requests);
  vigil_json_add_double (b, "rss_batch_requests", c->rss_batch_requests);
  vigil_json_add_double (b, "rss_batch_body_bytes", c->rss_batch_body_bytes);
  vigil_json_add_double (b, "rss_seconds", c->rss_seconds);
  json_builder_end_object (b);
}

static void
json_fig5 (JsonBuilder  *b,
           BenchResults *results)
{
  const BenchGui *g = &results->gui;

  if (!results->have_gui)
    return;

  json_builder_set_member_name (b, "figure5");
  json_builder_begin_object (b);
  vigil_json_add_bool (b, "measured", g->measured);
  if (g->why_not != NULL)
    vigil_json_add_string (b, "why_not", g->why_not);
  if (g->how != NULL)
    vigil_json_add_string (b, "command", g->how);
  json_builder_set_member_name (b, "runs");
  json_builder_begin_array (b);
  for (guint i = 0; i < g->n_runs; i++)
    {
      const BenchGuiRun *r = &g->runs[i];

      json_builder_begin_object (b);
      vigil_json_add_double (b, "jobs", r->jobs);
      vigil_json_add_double (b, "ticks", r->ticks);
      vigil_json_add_double (b, "rows", r->rows);
      vigil_json_add_double (b, "rows_shown", r->rows_shown);
      vigil_json_add_double (b, "apply_ms_median", r->apply_ms_median);
      vigil_json_add_double (b, "apply_ms_max", r->apply_ms_max);
      vigil_json_add_double (b, "tick_to_paint_ms_median", r->paint_ms_median);
      vigil_json_add_double (b, "tick_to_paint_ms_max", r->paint_ms_max);
      vigil_json_add_double (b, "rss_empty_mb", r->rss_empty_mb);
      vigil_json_add_double (b, "rss_loaded_mb", r->rss_loaded_mb);
      vigil_json_add_double (b, "rss_peak_mb", r->rss_peak_mb);
      vigil_json_add_double (b, "rss_trimmed_mb", r->rss_trimmed_mb);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  if (g->measured)
    {
      vigil_json_add_double (b, "apply_ms_median", g->apply_ms_median);
      vigil_json_add_double (b, "apply_ms_best", g->apply_ms_best);
      vigil_json_add_double (b, "tick_to_paint_ms_median", g->paint_ms_median);
      vigil_json_add_double (b, "rss_mb", g->rss_mb);
      vigil_json_add_double (b, "rss_max_mb", g->rss_max_mb);
      vigil_json_add_double (b, "rss_peak_max_mb", g->rss_peak_mb);
      vigil_json_add_double (b, "rss_empty_mb", g->rss_empty_mb);
    }
  json_builder_end_object (b);
}

static void
json_fig6 (JsonBuilder  *b,
           BenchResults *results)
{
  if (!results->have_eta)
    return;

  json_builder_set_member_name (b, "figure6");
  json_builder_begin_object (b);
  vigil_json_add_double (b, "worst_error", results->eta.worst_error);
  vigil_json_add_double (b, "worst_ratio", results->eta.worst_ratio);
  vigil_json_add_double (b, "cells", results->eta.cells);
  vigil_json_add_double (b, "met", results->eta.met);
  vigil_json_add_double (b, "floor", results->eta.floor);
  vigil_json_add_double (b, "missed", results->eta.missed);
  if (results->eta_table != NULL)
    vigil_json_add_string (b, "table", results->eta_table);
  json_builder_end_object (b);
}

static void
json_targets (JsonBuilder *b,
              GArray      *targets)
{
  json_builder_set_member_name (b, "targets");
  json_builder_begin_array (b);
  for (guint i = 0; i < targets->len; i++)
    {
      const Target *t = &g_array_index (targets, Target, i);

      json_builder_begin_object (b);
      vigil_json_add_string (b, "target", t->label);
      vigil_json_add_double (b, "value", t->measured ? t->value : NAN);
      vigil_json_add_double (b, "limit", t->limit);
      if (t->measured)
        vigil_json_add_bool (b, "met", t->met);
      else
        vigil_json_add_null (b, "met");
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

void
bench_report_json (BenchResults *results)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GArray) targets = targets_compute (results);
  g_autofree char *machine = machine_description ();
  g_autofree char *text = NULL;

  g_return_if_fail (results != NULL);

  json_builder_begin_object (b);
  vigil_json_add_string (b, "machine", machine);
  vigil_json_add_string (b, "command", results->command);
  vigil_json_add_double (b, "seed", results->seed);
  vigil_json_add_bool (b, "quick", results->quick);
  json_fig1 (b, results);
  json_fig2 (b, results);
  json_fig3 (b, results);
  json_fig4 (b, results);
  json_fig5 (b, results);
  json_fig6 (b, results);
  json_targets (b, targets);
  vigil_json_add_double (b, "runtime_s", results->runtime_s);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  text = json_generator_to_data (gen, NULL);
  printf ("%s\n", text);
  fflush (stdout);
}
