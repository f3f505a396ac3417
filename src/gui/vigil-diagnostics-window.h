/* vigil-diagnostics-window.h — what Vigil's pollers do, live: one row per
 * watched job (server, delay and why, errors, times, requests), totals per
 * server, and the debug log's switch
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define VIGIL_TYPE_DIAGNOSTICS_WINDOW (vigil_diagnostics_window_get_type ())
G_DECLARE_FINAL_TYPE (VigilDiagnosticsWindow, vigil_diagnostics_window, VIGIL, DIAGNOSTICS_WINDOW,
                      AdwWindow)

/* The columns of a job's row; each is a string property of the rows'
 * items (vigil_diagnostics_window_get_jobs()) of the same name. */
#define VIGIL_DIAGNOSTICS_COLUMNS \
  "job", "server", "delay", "reason", "errors", "tracked-for", "next-poll", "requests"

/* Properties: trackers (GListModel of VigilTracker, construct-only): the
 * servers whose pollers it shows. It reads them once a second while it is
 * mapped, and not at all otherwise (no timer, no signal handler). */
GtkWidget  *vigil_diagnostics_window_new     (GListModel             *trackers);
/* app's Diagnostics window, made when there is none, presented. */
GtkWidget  *vigil_diagnostics_window_present (GtkApplication         *app,
                                              GListModel             *trackers);
/* The rows' items, one per watched job (for tests). */
GListModel *vigil_diagnostics_window_get_jobs (VigilDiagnosticsWindow *self);
/* Whether the once-a-second update runs (it does exactly while mapped). */
gboolean    vigil_diagnostics_window_is_live  (VigilDiagnosticsWindow *self);
/* Updates now (the timer does it every second). */
void        vigil_diagnostics_window_refresh  (VigilDiagnosticsWindow *self);

G_END_DECLS
