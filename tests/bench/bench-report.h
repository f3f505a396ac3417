/* bench-report.h — vigil-bench's results, as a table or as JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "bench-common.h"
#include "bench-cost.h"
#include "bench-eta.h"
#include "bench-gui.h"

G_BEGIN_DECLS

/* The browser's requests take this long there and back (virtual seconds),
 * as when the real JS was measured */
#define BENCH_ROUND_TRIP_S    0.15
/* Figure 3: queue waits of 0 to this; web processes behind the balancer */
#define BENCH_FIG3_MAX_WAIT_S 60.0
#define BENCH_FIG3_PROCESSES  4

/* Figure 1: jobs followed one at a time (virtual seconds) */
typedef struct
{
  double          duration;
  BenchPollerKind kind;
  guint           jobs;
  double          speed;
  double          requests_per_job;   /* mean */
  double          latency_median;     /* true end → final word */
  double          latency_p90;
  double          latency_max;
  double          after_end;          /* requests after the true end, mean */
  double          completed_share;    /* jobs reported completed (all did) */
  BenchOutcome    final_word;         /* the final word said most often */
  double          final_word_share;   /* … for this share of the jobs */
  BenchOutcome    first_word;         /* the first word said most often */
  double          first_word_share;
  double          first_median;       /* true end → the first word */
  double          first_max;
  double          first_right_share;  /* first word after the end and true */
  double          rtt_s;              /* emulated pollers: mean round trip */
  guint           unresolved;         /* no final word by the deadline */
  double          load;               /* CPU s / real s of the run */
  double          max_lag_ms;
} BenchFig1Row;

/* Figure 2: N concurrent jobs in steady state (per virtual second) */
typedef struct
{
  guint           n;
  BenchPollerKind kind;
  double          speed;
  double          window_s;
  double          requests_per_s;
  double          bytes_per_s;
  double          batch_per_s;        /* GET /api/progress */
  double          single_per_s;       /* GET /api/progress/<id> */
  double          status_per_s;       /* GET /api/jobs/<id>/status */
  double          ends_per_s;         /* jobs that finished */
  double          load;
  double          max_lag_ms;
} BenchFig2Row;

/* Figure 3's workloads */
typedef enum
{
  BENCH_FIG3_PRODUCTION,      /* production payload, workers free */
  BENCH_FIG3_QUEUED,          /* … and queue waits of 0 to 60 s */
  BENCH_FIG3_WEB_PROCESSES,   /* … behind 4 web processes */
  BENCH_FIG3_N_WORKLOADS
} BenchFig3Workload;

/* Figure 3: production payload, outcomes */
typedef struct
{
  BenchFig3Workload workload;
  BenchPollerKind kind;
  guint           jobs;
  guint           failed_truth;       /* jobs that really failed */
  guint           correct;
  guint           outcomes[BENCH_OUTCOME_GAVE_UP + 1];
  guint           false_completed;    /* failed jobs reported completed */
  guint           first_right;        /* first word after the end and true */
  double          wait_median;        /* queue waits (virtual s) */
  double          wait_max;
  double          requests_per_job;
  double          load;
} BenchFig3Row;

typedef struct
{
  gboolean  quick;
  char     *command;
  guint64   seed;
  GArray   *fig1;                     /* BenchFig1Row */
  GArray   *fig2;                     /* BenchFig2Row */
  GArray   *fig3;                     /* BenchFig3Row */
  gboolean  have_cost;
  BenchCost cost;
  gboolean  have_gui;                 /* figure 5 was asked for */
  BenchGui  gui;
  gboolean  have_eta;                 /* figure 6 */
  BenchEtaSummary eta;
  char     *eta_table;                /* figure 6's table as printed */
  double    runtime_s;
} BenchResults;

const char   *bench_fig3_workload_name (BenchFig3Workload workload);

BenchResults *bench_results_new   (void);
void          bench_results_free  (BenchResults *results);

void          bench_report_table  (BenchResults *results);
void          bench_report_json   (BenchResults *results);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BenchResults, bench_results_free)

G_END_DECLS
