/* bench-common.c — poller kinds, outcomes and statistics helpers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <sys/resource.h>

#include "bench-common.h"

const char *
bench_poller_kind_name (BenchPollerKind kind)
{
  static const char * const names[] = { "vigil", "browser", "fixed-1s", "fixed-2s" };

  g_return_val_if_fail (kind < BENCH_N_POLLERS, "?");

  return names[kind];
}

const char *
bench_outcome_name (BenchOutcome outcome)
{
  static const char * const names[] = { "none", "completed", "failed", "lost", "gave-up" };

  g_return_val_if_fail (outcome <= BENCH_OUTCOME_GAVE_UP, "?");

  return names[outcome];
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

double
bench_percentile (GArray *values,
                  double  p)
{
  guint rank;

  g_return_val_if_fail (values != NULL, NAN);

  if (values->len == 0)
    return NAN;

  g_array_sort (values, compare_doubles);
  rank = (guint) ceil (CLAMP (p, 0.0, 1.0) * values->len);
  return g_array_index (values, double, MAX (rank, 1) - 1);
}

double
bench_mean (GArray *values)
{
  double sum = 0;

  g_return_val_if_fail (values != NULL, NAN);

  if (values->len == 0)
    return NAN;

  for (guint i = 0; i < values->len; i++)
    sum += g_array_index (values, double, i);
  return sum / values->len;
}

double
bench_max (GArray *values)
{
  return bench_percentile (values, 1.0);
}

double
bench_cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
         usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

/* VmHWM: the high-water mark of this process image. getrusage's ru_maxrss
 * would do, but Linux carries it over execve, so that a child started by a
 * big parent would report the parent's size. */
static glong
proc_status_kib (const char *field)
{
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &text, NULL, NULL) ||
      (line = strstr (text, field)) == NULL)
    return -1;

  return (glong) g_ascii_strtoll (line + strlen (field), NULL, 10);
}

glong
bench_rss_kib (void)
{
  return proc_status_kib ("VmRSS:");
}

glong
bench_peak_rss_kib (void)
{
  struct rusage usage;
  glong hwm = proc_status_kib ("VmHWM:");

  if (hwm >= 0)
    return hwm;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}
