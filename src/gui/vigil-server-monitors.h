/* vigil-server-monitors.h — one VigilServerMonitor per server, kept as
 * long as the servers (not as long as a window): the Servers page shows
 * them, and a server whose every job is watched (`auto-watch-servers`)
 * keeps discovering new jobs with the Jobs page in front, with the window
 * closed and Vigil in the background. The application owns one set for
 * its servers; a window over other trackers (tests) makes its own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "vigil-server-monitor.h"
#include "vigil-tracker.h"

G_BEGIN_DECLS

#define VIGIL_TYPE_SERVER_MONITORS (vigil_server_monitors_get_type ())
G_DECLARE_FINAL_TYPE (VigilServerMonitors, vigil_server_monitors, VIGIL, SERVER_MONITORS, GObject)

/* trackers: a GListModel of VigilTracker, followed as it changes (a
 * removed server's monitor stops and its history is saved); settings:
 * nullable (auto-watch then not kept); directory: where the charts'
 * histories are saved, NULL for memory only. */
VigilServerMonitors *vigil_server_monitors_new              (GListModel          *trackers,
                                                             GSettings           *settings,
                                                             const char          *directory);
GListModel          *vigil_server_monitors_get_trackers     (VigilServerMonitors *self);
/* The tracker's monitor (made on first use), or NULL when the tracker is
 * not one of the set's. (transfer none) */
VigilServerMonitor  *vigil_server_monitors_get              (VigilServerMonitors *self,
                                                             VigilTracker        *tracker);
/* Histories that could not be read (set aside, started empty): their
 * messages, each given once. (transfer full) */
GPtrArray           *vigil_server_monitors_take_load_errors (VigilServerMonitors *self);
/* How many servers have every job watched (auto-watch on). */
guint                vigil_server_monitors_count_auto_watching (VigilServerMonitors *self);
/* Saves every history (a failure is in its last-error). */
void                 vigil_server_monitors_save             (VigilServerMonitors *self);

G_END_DECLS
