/* bench-eta.h — figure 6: how far the ETA Vigil shows is from the truth,
 * beside the server's own eta_seconds (a pure simulation, no HTTP)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stdio.h>

#include <glib.h>

G_BEGIN_DECLS

/* Runs figure 6 and prints its table to out. quick: fewer jobs (the smoke
 * run). Returns whether every target was met. */
gboolean bench_eta_figure6 (FILE     *out,
                            gboolean  quick,
                            guint64   seed);

G_END_DECLS
