/* vigil-tracker.h — the jobs Vigil watches: a GListModel of VigilJob that
 * the poller keeps current, and the ways to add to it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "vigil-api-client.h"
#include "vigil-job.h"
#include "vigil-poller.h"

G_BEGIN_DECLS

#define VIGIL_TYPE_TRACKER (vigil_tracker_get_type ())
G_DECLARE_FINAL_TYPE (VigilTracker, vigil_tracker, VIGIL, TRACKER, GObject)

/* Properties: client (construct-only), poller (read-only), jobs (read-only
 * GListModel of VigilJob, newest last; each job's sequence says its place),
 * server-name (what the user calls the server: the name given, else its
 * host[:port]; every job's server-name follows it).
 * Signals: job-finished (VigilJob *job) — a tracked job reached its end.
 *
 * When a job finishes, stops or resumes being watched, jobs announces it
 * as replaced by itself (items-changed: 1 removed, 1 added at its
 * position), so that filter and sort models over it look at that job again,
 * and only at it. */

VigilTracker   *vigil_tracker_new            (VigilApiClient *client,
                                              VigilPoller    *poller);
VigilApiClient *vigil_tracker_get_client     (VigilTracker   *self);
VigilPoller    *vigil_tracker_get_poller     (VigilTracker   *self);
GListModel     *vigil_tracker_get_jobs       (VigilTracker   *self);
const char     *vigil_tracker_get_server_name (VigilTracker  *self);
/* NULL or "" goes back to the host. */
void            vigil_tracker_set_server_name (VigilTracker  *self,
                                               const char    *name);

/* Start an analysis and track its job. kind SONG, PLAYLIST (all_songs:
 * reanalyze every song) or BACKGROUND (a user's whole account). */
void            vigil_tracker_start_async    (VigilTracker   *self,
                                              VigilJobKind    kind,
                                              gint64          target_id,
                                              gboolean        all_songs,
                                              GCancellable   *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer        user_data);
/* The new job (transfer full), or NULL: with *error set on failure, or
 * without an error when the server queued nothing (then *result says why).
 * result (optional) receives the server's answer. */
VigilJob       *vigil_tracker_start_finish   (VigilTracker   *self,
                                              GAsyncResult   *res,
                                              VigilStartResult **result,
                                              GError        **error);

/* Track an existing job by id (transfer none). A job already in the list
 * is returned (and tracked again if it was stopped). */
VigilJob       *vigil_tracker_watch          (VigilTracker   *self,
                                              const char     *job_id,
                                              VigilJobKind    kind,
                                              gint64          target_id);
VigilJob       *vigil_tracker_lookup         (VigilTracker   *self,
                                              const char     *job_id);
void            vigil_tracker_stop_watching  (VigilTracker   *self,
                                              VigilJob       *job);
/* Poll now; a stopped job is tracked again. */
void            vigil_tracker_retry_now      (VigilTracker   *self,
                                              VigilJob       *job);
void            vigil_tracker_remove         (VigilTracker   *self,
                                              VigilJob       *job);
/* Remove every finished job; returns how many. */
guint           vigil_tracker_clear_finished (VigilTracker   *self);

G_END_DECLS
