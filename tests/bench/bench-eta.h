/* bench-eta.h — figure 6: how far the ETA Vigil shows is from the truth,
 * beside the server's own eta_seconds (a pure simulation, no HTTP)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stdio.h>

#include <glib.h>

G_BEGIN_DECLS

/* Figure 6's verdict over its cells (playlist size x progress point) */
typedef struct
{
  double worst_error;           /* Vigil's median error, worst cell */
  double worst_ratio;           /* Vigil / the server's, worst cell */
  guint  cells;
  guint  met;
  guint  floor;                 /* missed, but so does the best estimate */
  guint  missed;
} BenchEtaSummary;

/* Runs figure 6 and prints its table to out. quick: fewer jobs (the smoke
 * run). Returns whether every target was met (or is out of reach);
 * summary (may be NULL) gets the counts. */
gboolean bench_eta_figure6 (FILE            *out,
                            gboolean         quick,
                            guint64          seed,
                            BenchEtaSummary *summary);

G_END_DECLS
