/* vigil-demo-server.h — the reference server: the whole API contract served
 * by a SoupServer with simulated workers, for demos, tests and benchmarks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "vigil-types.h"

G_BEGIN_DECLS

#define VIGIL_TYPE_DEMO_SERVER (vigil_demo_server_get_type ())
G_DECLARE_FINAL_TYPE (VigilDemoServer, vigil_demo_server, VIGIL, DEMO_SERVER, GObject)

/* Time: the simulation runs on a virtual clock that advances `speed` virtual
 * seconds per real second (speed 100: 1 s of job time = 10 ms). Durations,
 * ETAs and estimated_duration_per_item are in virtual seconds; timestamps
 * (start_time, created_at, …) are real wall-clock times, so a client that
 * scales its own delays by 1/speed sees consistent ages and ETAs.
 *
 * Properties (all READWRITE, settable at construction or later):
 *   workers            guint    simultaneous jobs (default 1, at most 10000)
 *   speed              double   virtual seconds per real second (default 1)
 *   song-seconds       double   mean virtual duration of one song (default 20)
 *   seed               guint64  random seed; 0 = from time (default 0)
 *   require-token      char*    when set, API calls need "Authorization: Bearer <it>" (401 otherwise)
 *   signin-redirect    gboolean unauthenticated user paths answer 302 → /login (HTML, 200)
 *   error-rate         double   share of API requests answered 500 (default 0)
 *   latency-ms         guint    real delay added before every answer (default 0)
 *   failure-rate       double   share of jobs that end FAILED with an error_message (default 0)
 *   production-steps   gboolean steps spelled lyrics_fetching/analysis, no metadata
 *   old-shape          gboolean progress objects use "progress"/"message" (+ "status")
 *   no-metadata        gboolean progress objects carry no "metadata"
 *   batch-route        gboolean serve GET /api/progress (default TRUE)
 *   batch-empty        gboolean GET /api/progress lists no job, ever: the
 *                               service's default process mode, where the
 *                               progress lives in the worker processes and
 *                               the answering web process holds none
 *   production-quirks  gboolean what the live service does: /api/queue/status
 *                               answers every count (and the priority
 *                               breakdown and the estimate) as 0, and a job
 *                               record's "progress" is a bare 0 whenever no
 *                               progress record exists (queued, finished);
 *                               the worker's current_job carries no status;
 *                               /api/queue/health carries the true counts;
 *                               POST /api/progress/cleanup without a body
 *                               answers 500 (the route reads a JSON body)
 *   admin-token        char*    (addition) the token that admin paths need; see below
 *   web-processes      guint    the service behind a load balancer with N web
 *                               processes (default 1): each job belongs to one
 *                               process, and each GET /api/progress answer lists
 *                               the running jobs of one process chosen at random
 *   signin-password    char*    what the sign-in form at /login and /auth/login
 *                               accepts (default "vigil"): a POST with it sets the
 *                               "session" cookie to the admin token for the user
 *                               "admin", else to require-token, and redirects to /
 *
 * Authentication (tokens travel as "Authorization: Bearer <token>", or as a
 * "session=<token>" cookie, the way a signed-in browser would send them):
 *   - user paths (the start routes except reanalyze-user, /api/progress/…,
 *     /api/jobs/…) need require-token or admin-token when require-token is
 *     set; otherwise 401 {"error": "Authentication required"}, or, with
 *     signin-redirect, 302 to /login (an HTML page answered 200).
 *     signin-redirect only matters while require-token is set.
 *   - admin paths (reanalyze-user, /api/progress/cleanup, /api/queue/status,
 *     /api/queue/health, /api/worker/health) need admin-token when it is set,
 *     else require-token when that is set, else nothing. A request carrying
 *     the valid user token but not the admin token gets 403
 *     {"error": "Admin privileges required"}; no or another token gets 401.
 *   - /_demo/stats, /login and /auth/login are always open and never fail (error-rate);
 *     /_demo/ requests are left out of the request statistics.
 *
 * Speed changes take effect at once: the virtual clock keeps its value and
 * continues at the new rate. workers may be 0 (nothing is picked up; the
 * worker reports "not_running" and /api/queue/health answers 503).
 *
 * Progress: current_progress = completed/total (so a one-song job stays at 0
 * until it is done); per song, starting (first 10 %), fetching_lyrics (to
 * 35 %), analyzing. step_progress is the share of the song done, or with
 * production-steps the fixed 0, 0.3, 0.7 of real workers. The record is
 * deleted at the very moment the job finishes, so "complete" is never seen.
 *
 * error-rate answers 500 with the route family's body: progress/jobs
 * {"success": false, "error": "Internal server error"}; start routes add
 * "status": "error" and a "message"; dashboard routes {"status": "error",
 * "error": …, "message": …}. latency-ms: the answer is computed when the
 * request arrives and sent latency-ms later; the main loop runs on meanwhile.
 *
 * Catalog (deterministic, independent of the seed): songs 1..500, playlists
 * 1..20 (5 to 30 songs each; playlist VIGIL_DEMO_SERVER_ANALYZED_PLAYLIST has
 * every song analysed already, so analyze-unanalyzed answers queued_count 0
 * and no job_id), users 1..10. A finished job marks its songs analysed.
 * Unknown ids answer 404 with the route's own shape:
 *   songs:     {"status": "error", "message": "Song with ID 9 not found or access denied"}
 *   playlists: {"success": false, "message": "Playlist with ID 9 not found or access denied"}
 *   users:     {"success": false, "error": "User with ID 9 not found"}
 *
 * GET /api/queue/health (both modes), 200 when healthy, else 503 with the
 * same body: {"status": "success"|"error", "queue_health": {"healthy",
 * "issues": [...], "redis_connected", "queue_length", "active_workers",
 * "workers", "oldest_pending_seconds", "queue_status": {"status_counts":
 * {"pending", "in_progress", "completed", "failed"}, "total_jobs",
 * "queue_length"}}}. Unhealthy means no workers.
 *
 * Cleanup: POST /api/progress/cleanup drops the progress records of running
 * jobs that were picked up more than max_age_hours ago (virtual time, like
 * every duration); the jobs keep running and their records keep answering.
 *
 * GET /_demo/stats answers {"total_requests", "response_bytes", "requests":
 * {pattern: n}, "jobs": {job_id: n}, "virtual_time", "speed", "workers",
 * "pending_jobs", "running_jobs", "finished_jobs"}.
 */

#define VIGIL_DEMO_SERVER_N_SONGS            500
#define VIGIL_DEMO_SERVER_N_PLAYLISTS        20
#define VIGIL_DEMO_SERVER_N_USERS            10
#define VIGIL_DEMO_SERVER_ANALYZED_PLAYLIST  20

#define VIGIL_DEMO_SERVER_ERROR (vigil_demo_server_error_quark ())

typedef enum
{
  VIGIL_DEMO_SERVER_ERROR_INVALID_HOST,      /* not an IP address nor "localhost" */
  VIGIL_DEMO_SERVER_ERROR_NOT_LOOPBACK,      /* a non-loopback address */
  VIGIL_DEMO_SERVER_ERROR_ALREADY_LISTENING,
} VigilDemoServerError;

GQuark           vigil_demo_server_error_quark  (void);

VigilDemoServer *vigil_demo_server_new          (void);

/* Listen on host (NULL = 127.0.0.1; only loopback addresses are accepted)
 * and port (0 = a free one). Errors: VIGIL_DEMO_SERVER_ERROR for a bad host
 * or a second listen, G_IO_ERROR (e.g. ADDRESS_IN_USE) from the socket. */
gboolean         vigil_demo_server_listen       (VigilDemoServer *self,
                                                 const char      *host,
                                                 guint            port,
                                                 GError         **error);
/* Stop listening, keeping every job (as a restarted server backed by Redis
 * would); listen again on the same port to come back. */
void             vigil_demo_server_disconnect   (VigilDemoServer *self);
guint            vigil_demo_server_get_port     (VigilDemoServer *self);
/* "http://127.0.0.1:PORT" (no trailing slash); NULL when not listening. */
char            *vigil_demo_server_get_url      (VigilDemoServer *self);

/* Programmatic job creation for tests and benchmarks (same queue as the HTTP
 * start routes). n_items songs of item_seconds each (virtual; <= 0: the
 * song-seconds default with random spread); phase 0..1 = how much of the
 * job is already done when a worker picks it up. Returns the job id.
 * n_items 0 takes the target's own songs (a playlist's or a user's songs, the
 * song itself); songs are taken from the target cyclically, or from the
 * catalog when the target is unknown. failure-rate applies, decided here. */
char            *vigil_demo_server_add_job      (VigilDemoServer *self,
                                                 VigilJobKind     kind,
                                                 gint64           target_id,
                                                 guint            n_items,
                                                 double           item_seconds,
                                                 double           phase);

/* The virtual clock, in virtual seconds since the server was created. */
double           vigil_demo_server_get_virtual_time (VigilDemoServer *self);
/* Virtual time at which the job finished (or -1 while it has not, or for an
 * unknown job). Exact: the event time, not the time it was noticed. */
double           vigil_demo_server_get_finish_time  (VigilDemoServer *self,
                                                     const char      *job_id);

/* Request counters: per path pattern ("/api/progress/{id}",
 * "/api/jobs/{id}/status", "/api/progress", …; "(unmatched)" for paths no
 * route knows) and in total; response bytes (bodies) in total. Every request
 * counts, whatever its answer (401, 500, …), except /_demo/ ones. Also
 * served as JSON at GET /_demo/stats. */
guint64          vigil_demo_server_get_request_count (VigilDemoServer *self,
                                                      const char      *pattern);
guint64          vigil_demo_server_get_total_requests (VigilDemoServer *self);
guint64          vigil_demo_server_get_response_bytes (VigilDemoServer *self);
/* Requests concerning one job id (progress and status paths). */
guint64          vigil_demo_server_get_job_request_count (VigilDemoServer *self,
                                                          const char      *job_id);
void             vigil_demo_server_reset_stats  (VigilDemoServer *self);

/* Signals:
 *   job-started  (const char *job_id)                      a worker picked it up
 *   job-finished (const char *job_id, VigilJobStatus status) progress record deleted
 * (status travels as a G_TYPE_INT). Both are emitted from the main loop once
 * the simulation has reached the present, in event order; handlers may call
 * back into the server. */

G_END_DECLS
