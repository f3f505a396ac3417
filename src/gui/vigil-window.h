/* vigil-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "vigil-application.h"
#include "vigil-state-store.h"
#include "vigil-credentials.h"
#include "vigil-tracker.h"

G_BEGIN_DECLS

#define VIGIL_TYPE_WINDOW (vigil_window_get_type ())
G_DECLARE_FINAL_TYPE (VigilWindow, vigil_window, VIGIL, WINDOW, AdwApplicationWindow)

/* Properties: settings, tracker, state-store (all construct-only; the
 * store, nullable, gives the Finished filter its history), filter ("all",
 * "active", "failed", "finished"; the win.filter action), trackers
 * (construct-only GListModel of VigilTracker, nullable: just tracker),
 * state-stores (construct-only GListModel of VigilStateStore, nullable:
 * every server's; the Finished filter merges their histories, newest
 * first), several-servers (read-only: rows then name their server). */
VigilWindow  *vigil_window_new             (VigilApplication *application,
                                            GSettings        *settings,
                                            VigilTracker     *tracker,
                                            VigilStateStore  *state_store);
/* trackers: every server's VigilTracker (tracker, the primary, among them):
 * one list of all their jobs, a server filter and "N of M servers
 * reachable" with more than one; state_stores: every server's store. */
VigilWindow  *vigil_window_new_for_servers (VigilApplication *application,
                                            GSettings        *settings,
                                            GListModel       *trackers,
                                            VigilTracker     *tracker,
                                            GListModel       *state_stores);
VigilTracker *vigil_window_get_tracker     (VigilWindow      *self);
/* The view the list shows: filtered and sorted (active first, then newest). */
GListModel   *vigil_window_get_visible_jobs (VigilWindow     *self);
/* What the Finished filter shows: every server's history, narrowed by the
 * server filter and the search, newest first. */
GListModel   *vigil_window_get_visible_history (VigilWindow  *self);
void          vigil_window_set_server_label (VigilWindow     *self,
                                             const char      *label);
void          vigil_window_add_toast       (VigilWindow      *self,
                                            const char       *message);
/* Shows the "No keyring" banner while credentials is session-only. */
void          vigil_window_set_credentials (VigilWindow      *self,
                                            VigilCredentials *credentials);
gboolean      vigil_window_get_keyring_banner_shown (VigilWindow *self);
/* Open the New Analysis dialog (transfer none). */
GtkWindow    *vigil_window_show_new_analysis (VigilWindow    *self);
/* Presents the window scrolled to job, its row highlighted for a moment
 * (vigil-window-show-job.c; a notification's Show). */
void          vigil_window_show_job        (VigilWindow      *self,
                                            VigilJob         *job);

G_END_DECLS
