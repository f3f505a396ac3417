/* bench-common.h — what the parts of vigil-bench share: poller kinds,
 * outcomes and small statistics helpers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  BENCH_POLLER_VIGIL,     /* VigilPoller, default settings */
  BENCH_POLLER_BROWSER,   /* the service's own browser poller, emulated */
  BENCH_POLLER_FIXED_1S,  /* GET /api/progress/<id> every second */
  BENCH_POLLER_FIXED_2S,  /* … every two seconds */
  BENCH_N_POLLERS
} BenchPollerKind;

/* What a poller finally told its user about a job. */
typedef enum
{
  BENCH_OUTCOME_NONE,       /* nothing yet: still polling */
  BENCH_OUTCOME_COMPLETED,
  BENCH_OUTCOME_FAILED,
  BENCH_OUTCOME_LOST,       /* the server does not know the job */
  BENCH_OUTCOME_GAVE_UP,    /* "progress can't be tracked" */
} BenchOutcome;

/* A poller told its user something about how job_id ended: final is its
 * last word (it stopped polling the job). The browser's page can speak
 * before its poller gives up (its onError on the first failed poll); the
 * other pollers speak once, finally. */
typedef void (*BenchWordFunc)  (const char   *job_id,
                                BenchOutcome  outcome,
                                gboolean      final,
                                gpointer      user_data);

const char *bench_poller_kind_name (BenchPollerKind kind);
const char *bench_outcome_name     (BenchOutcome    outcome);

/* Sorts values in place; p in 0..1 (nearest rank). NAN when empty. */
double      bench_percentile       (GArray         *values,
                                    double          p);
double      bench_mean             (GArray         *values);
double      bench_max              (GArray         *values);

/* CPU seconds (user + system) of this process so far. */
double      bench_cpu_seconds      (void);
/* Peak resident set size of this process image so far, in KiB (VmHWM;
 * getrusage where /proc is missing). */
glong       bench_peak_rss_kib     (void);
/* Resident set size now, in KiB (VmRSS; -1 without /proc). */
glong       bench_rss_kib          (void);

G_END_DECLS
