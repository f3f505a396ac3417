/* bench-gui.h — figure 5: the GUI's cost, measured by running
 * vigil-gui-bench (beside vigil-bench) as a child, under xvfb-run when
 * there is no display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BENCH_GUI_MAX_RUNS 5

/* One run of vigil-gui-bench (its --json line) */
typedef struct
{
  guint  jobs;
  guint  ticks;
  guint  rows;                  /* row widgets alive */
  guint  rows_shown;
  double apply_ms_median;       /* one update round of every job */
  double apply_ms_max;
  double paint_ms_median;       /* tick start to the next frame painted */
  double paint_ms_max;
  double rss_empty_mb;
  double rss_loaded_mb;
  double rss_peak_mb;
  double rss_trimmed_mb;
} BenchGuiRun;

typedef struct
{
  gboolean    measured;
  char       *why_not;          /* when not measured */
  char       *how;              /* the child's command line, environment first */
  guint       n_runs;
  BenchGuiRun runs[BENCH_GUI_MAX_RUNS];
  /* over the runs: medians of the runs' values; the target is on the
   * resident size with the jobs shown (VmRSS); the peak (VmHWM, which
   * counts transient frame buffers) is reported beside it */
  double      apply_ms_median;  /* the median of the runs' medians */
  double      apply_ms_best;    /* the best run's median (the target's) */
  double      paint_ms_median;
  double      rss_mb;           /* median of the runs' RSS with the jobs */
  double      rss_max_mb;       /* the largest RSS with the jobs of any run */
  double      rss_peak_mb;      /* the largest peak of any run */
  double      rss_empty_mb;     /* median */
} BenchGui;

/* Runs vigil-gui-bench n_runs times (1 with quick, which also passes
 * --quick to it). self_exe: vigil-bench's own path; vigil-gui-bench is
 * looked for beside it and the build's schemas in ../../data. */
void bench_gui_measure (BenchGui   *gui,
                        const char *self_exe,
                        gboolean    quick,
                        guint       n_runs);
void bench_gui_clear   (BenchGui   *gui);

/* Reads one --json line of vigil-gui-bench; FALSE if it is not one. */
gboolean bench_gui_parse_run (const char   *line,
                              BenchGuiRun  *run,
                              GError      **error);

G_END_DECLS
