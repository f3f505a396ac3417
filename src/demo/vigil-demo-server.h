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
 *   workers            guint    simultaneous jobs (default 1)
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
 */

VigilDemoServer *vigil_demo_server_new          (void);

/* Listen on host (NULL = 127.0.0.1; only loopback addresses are accepted)
 * and port (0 = a free one). */
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
 * job is already done when a worker picks it up. Returns the job id. */
char            *vigil_demo_server_add_job      (VigilDemoServer *self,
                                                 VigilJobKind     kind,
                                                 gint64           target_id,
                                                 guint            n_items,
                                                 double           item_seconds,
                                                 double           phase);

/* The virtual clock, in virtual seconds since the server was created. */
double           vigil_demo_server_get_virtual_time (VigilDemoServer *self);
/* Virtual time at which the job finished (or -1 while it has not). */
double           vigil_demo_server_get_finish_time  (VigilDemoServer *self,
                                                     const char      *job_id);

/* Request counters: per path pattern ("/api/progress/{id}",
 * "/api/jobs/{id}/status", "/api/progress", …) and in total; response bytes
 * in total. Also served as JSON at GET /_demo/stats. */
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
 */

G_END_DECLS
