/* bench-cost.h — figure 4: what following jobs costs the client
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  /* CPU milliseconds per 1000 progress updates (parse + VigilJob apply):
   * each case timed cpu_reps times, the best kept (this VM's speed varies
   * between minutes), the median beside it */
  guint    updates;             /* updates timed per single-body case */
  guint    cpu_reps;
  double   single_documented_ms;
  double   single_production_ms;
  guint    batch_jobs;          /* jobs in the GET /api/progress body */
  double   batch_ms;
  double   single_documented_median_ms;
  double   single_production_median_ms;
  double   batch_median_ms;
  gsize    single_body_bytes;   /* a documented GET /api/progress/<id> body */
  gsize    batch_body_bytes;

  /* peak RSS of a separate process that tracks rss_jobs jobs */
  gboolean rss_ok;
  guint    rss_jobs;
  guint    rss_running;         /* of which the server ran (the rest queued) */
  double   rss_baseline_mb;    /* the peak before any job was tracked */
  double   rss_peak_mb;
  double   rss_tracked_mb;      /* right after track() of every job, before any answer */
  double   rss_end_mb;          /* at the end (VmRSS) */
  guint    rss_polled;          /* jobs that had an answer */
  guint    rss_songs;           /* song rows the jobs held at the end */
  guint64  rss_requests;        /* requests the child's poller sent */
  guint64  rss_batch_requests;  /* of which GET /api/progress */
  double   rss_seconds;         /* real */
  gsize    rss_batch_body_bytes; /* GET /api/progress at rss_jobs jobs */
} BenchCost;

void bench_cost_measure_cpu (BenchCost  *cost,
                             guint       updates,
                             guint       batch_jobs,
                             guint       batch_rounds,
                             guint64     seed);
/* Runs this executable again with --rss-child against a server in this
 * process holding n_jobs running jobs. */
void bench_cost_measure_rss (BenchCost  *cost,
                             const char *self_exe,
                             guint       n_jobs,
                             double      cap_s,
                             double      run_on_s,
                             guint64     seed);
/* The child's side: reads job ids from stdin, tracks them all with one
 * VigilPoller until each had an answer and the poller has run on for
 * run_on_s virtual seconds (or cap_s real seconds), prints one JSON
 * object. */
int  bench_cost_rss_child   (const char *url,
                             double      speed,
                             double      cap_s,
                             double      run_on_s);

G_END_DECLS
