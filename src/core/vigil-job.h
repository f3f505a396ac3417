/* vigil-job.h — one analysis job as every view sees it: the poller feeds it
 * progress and job records, views bind to its properties
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "vigil-enums.h"
#include "vigil-eta.h"
#include "vigil-job-song.h"
#include "vigil-types.h"

G_BEGIN_DECLS

/* Without progress movement for this long, an estimated ETA is unknown. */
#define VIGIL_JOB_ETA_STALE_SECONDS VIGIL_ETA_STALE_SECONDS

#define VIGIL_TYPE_JOB (vigil_job_get_type ())
G_DECLARE_FINAL_TYPE (VigilJob, vigil_job, VIGIL, JOB, GObject)

/* Properties (all notify only on change; apply functions emit one batch):
 *   job-id           char*               construct-only
 *   kind             VigilJobKind        construct; learnt from the server when UNKNOWN
 *   target-id        gint64              song/playlist/user id, -1; construct
 *   title            char*               display title, READWRITE (see below)
 *   server-state     VigilServerState    read-only
 *   tracking-state   VigilTrackingState  READWRITE
 *   tracking-error   char*               why the last poll failed, NULL after a
 *                                        good one (set by the poller); READWRITE
 *   server-host      char*               "host[:port]" of the server the job lives
 *                                        on, for messages; set by the poller
 *   server-name      char*               what the user calls that server (the
 *                                        name given in Preferences, else its
 *                                        host); set by the tracker; READWRITE
 *   failing-since    gint64              wall-clock time (g_get_real_time(), µs)
 *                                        since when polls of the job (or its
 *                                        whole server) fail; 0 while they work.
 *                                        Set by the poller; READWRITE
 *   retry-interval   guint               while failing: the poller's current
 *                                        retry interval in ms (virtual ms under
 *                                        a time-scale), 0 while fine; READWRITE
 *   fraction         double              0..1, -1 unknown; read-only
 *   step             VigilStep           read-only
 *   message          char*               the server's current message; read-only
 *   eta-seconds      double              -1 unknown; read-only
 *   error-message    char*               READWRITE
 *   completed-items  gint64              read-only
 *   total-items      gint64              read-only
 *   created-at       GDateTime           read-only, nullable
 *   started-at       GDateTime           read-only, nullable
 *   finished-at      GDateTime           read-only, nullable (local observation time)
 *   is-finished      gboolean            SUCCEEDED, FAILED, LOST or NOT_FOUND; read-only
 *   songs            GListModel          of VigilJobSong; read-only
 *   sequence         guint64             the order in which a tracker listed the
 *                                        job (1, 2, …; 0 for none): views sort
 *                                        "newest first" by it; READWRITE
 *
 * Title: "Title — Artist" for a song, the playlist's name or "Playlist 3",
 * "User 7's library". A title set by the caller stays until the server
 * names the song or playlist.
 *
 * now_us: a monotonic time in µs supplied by the caller (virtual time in
 * time-scaled tests); the job never reads a clock to estimate ETAs.
 */

VigilJob           *vigil_job_new                    (const char         *job_id,
                                                      VigilJobKind        kind,
                                                      gint64              target_id);

/* A progress record (GET /api/progress/<id>): the job is running, or it has
 * just ended when the record is terminal. Ignored once SUCCEEDED/FAILED. */
void                vigil_job_apply_progress         (VigilJob           *self,
                                                      const VigilProgress *progress,
                                                      gint64              now_us);
/* A job record (GET /api/jobs/<id>/status). Authoritative for the state,
 * except that SUCCEEDED/FAILED never go back to QUEUED/RUNNING. */
void                vigil_job_apply_record           (VigilJob           *self,
                                                      const VigilJobRecord *record,
                                                      gint64              now_us);
/* The server does not know the job (404 on its status): LOST when a
 * progress or record of it was applied before, NOT_FOUND when none ever
 * was. A later progress or record brings it back. */
void                vigil_job_mark_lost              (VigilJob           *self,
                                                      gint64              now_us);

const char         *vigil_job_get_job_id             (VigilJob           *self);
VigilJobKind        vigil_job_get_kind               (VigilJob           *self);
gint64              vigil_job_get_target_id          (VigilJob           *self);
const char         *vigil_job_get_title              (VigilJob           *self);
void                vigil_job_set_title              (VigilJob           *self,
                                                      const char         *title);
VigilServerState    vigil_job_get_server_state       (VigilJob           *self);
VigilTrackingState  vigil_job_get_tracking_state     (VigilJob           *self);
void                vigil_job_set_tracking_state     (VigilJob           *self,
                                                      VigilTrackingState  state);
const char         *vigil_job_get_server_host        (VigilJob           *self);
void                vigil_job_set_server_host        (VigilJob           *self,
                                                      const char         *host);
const char         *vigil_job_get_server_name        (VigilJob           *self);
void                vigil_job_set_server_name        (VigilJob           *self,
                                                      const char         *name);
gint64              vigil_job_get_failing_since      (VigilJob           *self);
void                vigil_job_set_failing_since      (VigilJob           *self,
                                                      gint64              since_us);
guint               vigil_job_get_retry_interval     (VigilJob           *self);
void                vigil_job_set_retry_interval     (VigilJob           *self,
                                                      guint               interval_ms);
const char         *vigil_job_get_tracking_error     (VigilJob           *self);
void                vigil_job_set_tracking_error     (VigilJob           *self,
                                                      const char         *error);
double              vigil_job_get_fraction           (VigilJob           *self);
VigilStep           vigil_job_get_step               (VigilJob           *self);
const char         *vigil_job_get_message            (VigilJob           *self);
double              vigil_job_get_eta_seconds        (VigilJob           *self);
const char         *vigil_job_get_error_message      (VigilJob           *self);
void                vigil_job_set_error_message      (VigilJob           *self,
                                                      const char         *message);
gint64              vigil_job_get_completed_items    (VigilJob           *self);
gint64              vigil_job_get_total_items        (VigilJob           *self);
GDateTime          *vigil_job_get_created_at         (VigilJob           *self);
GDateTime          *vigil_job_get_started_at         (VigilJob           *self);
GDateTime          *vigil_job_get_finished_at        (VigilJob           *self);
gboolean            vigil_job_get_is_finished        (VigilJob           *self);
/* Transfer none. Empty for song jobs. */
GListModel         *vigil_job_get_songs              (VigilJob           *self);
guint64             vigil_job_get_sequence           (VigilJob           *self);
void                vigil_job_set_sequence           (VigilJob           *self,
                                                      guint64             sequence);

G_END_DECLS
