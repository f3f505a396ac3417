/* bench-run.h — one poller against one fresh demo server: jobs, the
 * poller's final word on each, and the main loop that drives both
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vigil-demo-server.h"

#include "bench-common.h"
#include "bench-pollers.h"

G_BEGIN_DECLS

typedef enum
{
  BENCH_PAYLOAD_DOCUMENTED,  /* old-shape: "progress", "message", metadata */
  BENCH_PAYLOAD_PRODUCTION,  /* production-steps, no metadata, "current_progress" */
} BenchPayload;

/* The demo server's largest "workers" */
#define BENCH_MAX_WORKERS 10000

typedef struct
{
  double       speed;         /* virtual seconds per real second */
  guint        workers;       /* at most BENCH_MAX_WORKERS */
  guint64      seed;
  BenchPayload payload;
  double       failure_rate;
  gboolean     one_per_job;   /* vigil: a poller per job (no shared batches) */
  double       rtt_s;         /* virtual time the server holds each answer
                               * (its latency-ms, rounded to real ms) */
  guint        web_processes; /* the server's web-processes (0 or 1: one) */
  gboolean     held_queue;    /* no worker picks a job up on its own: see
                               * bench_run_pick_up() */
  gboolean     shared_connections; /* the emulated pollers share six */
} BenchSetup;

/* A job as the benchmark sees it. Times are virtual seconds. */
typedef struct
{
  char           *job_id;
  double          added_vt;
  double          final_vt;         /* the poller's final word; -1 before */
  BenchOutcome    outcome;
  double          first_vt;         /* the first word about the end (the
                                     * browser's page speaks early); -1 */
  BenchOutcome    first_outcome;
  double          started_vt;       /* picked up by a worker; -1 before */
  gboolean        ended;            /* the server finished it */
  VigilJobStatus  truth;            /* how it ended at the server */
  guint64         requests_at_end;  /* its requests when it ended */
} BenchJob;

typedef struct _BenchRun BenchRun;

/* A demo server set up as described, listening on 127.0.0.1. */
VigilDemoServer *bench_server_new       (const BenchSetup *setup);

BenchRun        *bench_run_new          (BenchPollerKind   kind,
                                         const BenchSetup *setup);
VigilDemoServer *bench_run_get_server   (BenchRun         *run);
double           bench_run_now          (BenchRun         *run);

/* Adds a playlist job of n_items songs of item_seconds each, phase done
 * already, at the server and tracks it with the poller. */
BenchJob        *bench_run_add_job      (BenchRun         *run,
                                         guint             n_items,
                                         double            item_seconds,
                                         double            phase);
/* From now on, every job that ends is replaced by a new one like this
 * (phase 0), so that the number of running jobs stays the same. */
void             bench_run_set_refill   (BenchRun         *run,
                                         guint             n_items,
                                         double            item_seconds);

/* With held_queue: a worker picks up the oldest pending job now (and
 * nothing else is picked up). FALSE when none is pending. */
gboolean         bench_run_pick_up      (BenchRun         *run);

/* The mean round trip of the emulated pollers' requests so far, in virtual
 * seconds (NAN for Vigil, which does not say). */
double           bench_run_mean_rtt     (BenchRun         *run);

/* Runs the main loop until the virtual clock reads vt. */
void             bench_run_until        (BenchRun         *run,
                                         double            vt);
/* Runs the main loop until every job added has the poller's final word, or
 * the virtual clock reads deadline_vt. FALSE on the deadline. */
gboolean         bench_run_until_final  (BenchRun         *run,
                                         double            deadline_vt);

/* Jobs in the order they were added (BenchJob*). */
GPtrArray       *bench_run_get_jobs     (BenchRun         *run);
/* Requests the server answered about the job (progress and status). */
guint64          bench_run_job_requests (BenchRun         *run,
                                         BenchJob         *job);
/* The server's finish time of the job, or -1. */
double           bench_run_finish_time  (BenchRun         *run,
                                         BenchJob         *job);

/* Jobs the server has finished since the run started. */
guint64          bench_run_get_finished (BenchRun         *run);

/* Main-loop health since the run started: CPU seconds / real seconds, and
 * the largest delay of a 20 ms probe timer (real ms). */
double           bench_run_get_load     (BenchRun         *run);
double           bench_run_get_max_lag_ms (BenchRun       *run);

/* Stops the poller, lets cancelled requests settle and drops the server. */
void             bench_run_free         (BenchRun         *run);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BenchRun, bench_run_free)

G_END_DECLS
