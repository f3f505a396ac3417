/* vigil-poller.h — smart polling of any number of jobs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "vigil-api-client.h"
#include "vigil-job.h"
#include "vigil-poll-policy.h"

G_BEGIN_DECLS

#define VIGIL_TYPE_POLLER (vigil_poller_get_type ())
G_DECLARE_FINAL_TYPE (VigilPoller, vigil_poller, VIGIL, POLLER, GObject)

/* At most this many requests in flight to the server at once. */
#define VIGIL_POLLER_MAX_IN_FLIGHT 6
/* Jobs due within this window (virtual ms) share one GET /api/progress. */
#define VIGIL_POLLER_BATCH_WINDOW_MS 250
/* A server without GET /api/progress is not asked again for this long
 * (virtual seconds). */
#define VIGIL_POLLER_BATCH_RETRY_S (10 * 60)
/* At most one GET /api/progress per this many virtual seconds: each answer
 * carries every running job, so asking it more often than the contract's
 * 2–3 s costs more bytes than polling each job on its own. */
#define VIGIL_POLLER_BATCH_INTERVAL_S 3

/* Per-job introspection (for diagnostics and tests). */
typedef struct
{
  guint           delay_ms;       /* the last delay chosen (virtual ms) */
  VigilPollReason reason;         /* why */
  guint           errors;         /* consecutive failed polls */
  double          tracked_for_s;  /* virtual seconds since track() */
  double          next_poll_in_s; /* virtual seconds; 0 when due or in flight */
  guint64         requests;       /* requests made for this job */
  gboolean        in_flight;
} VigilPollInfo;

/* Properties:
 *   client          VigilApiClient*   (construct-only)
 *   time-scale      double   real delay = virtual delay × time-scale (default 1;
 *                            0.01 runs 100 s of polling in 1 s, against a demo
 *                            server at speed 100)
 *   jitter          double   ±share applied to each delay (default 0.10; 0 off)
 *   network-monitor GNetworkMonitor* (default: g_network_monitor_get_default(),
 *                            which is not listened to for a server on a
 *                            loopback address: it says "offline" on a
 *                            machine without a default route)
 *   n-tracked       guint    (read-only)
 *   offline         gboolean (read-only)
 *   server-health   VigilServerHealth (read-only): OK; FAILING after
 *                   vigil_poll_policy_server_is_failing() failed requests in
 *                   a row (any job's); NOT_SIGNED_IN after a 401, a redirect
 *                   or a sign-in page. While not OK no job is polled on its
 *                   own: one probe (the earliest due job's request) at a
 *                   time, spaced by vigil_poll_policy_decide_probe(); when
 *                   it is answered every job is polled at once. Every job
 *                   shows it: tracking-state SERVER_UNREACHABLE,
 *                   SERVER_ERROR or NOT_SIGNED_IN, with the failing-since
 *                   and retry-interval below.
 *   failing-since   gint64   (read-only) wall-clock µs (g_get_real_time())
 *                            of the first failed request of the current run
 *                            (of the first sign-in answer), 0 while fine
 *   retry-interval  guint    (read-only) while not OK: the current probe
 *                            interval in virtual ms; 0 while OK
 * A job's own failed poll while the server answers others is retried soon
 * (vigil_poll_policy_decide(), rule 3); its tracking-state is RETRYING or
 * STALLED and its failing-since / retry-interval are its own.
 * The client's token and cookie are watched: a change while NOT_SIGNED_IN
 * probes at once (vigil_poller_credentials_changed()).
 * Signals:
 *   job-finished (VigilJob *job)   the job reached SUCCEEDED, FAILED, LOST or
 *                                  NOT_FOUND and polling for it stopped
 */

VigilPoller       *vigil_poller_new              (VigilApiClient    *client);

void               vigil_poller_set_settings     (VigilPoller       *self,
                                                  const VigilPollSettings *settings);
void               vigil_poller_get_settings     (VigilPoller       *self,
                                                  VigilPollSettings *settings);
void               vigil_poller_set_time_scale   (VigilPoller       *self,
                                                  double             time_scale);
double             vigil_poller_get_time_scale   (VigilPoller       *self);
void               vigil_poller_set_jitter       (VigilPoller       *self,
                                                  double             jitter);

/* Start polling job (now). A job already tracked is left as it is. A job
 * whose state is final is not tracked. */
void               vigil_poller_track            (VigilPoller       *self,
                                                  VigilJob          *job);
/* Stop polling; the job's tracking-state becomes STOPPED. */
void               vigil_poller_untrack          (VigilPoller       *self,
                                                  VigilJob          *job);
void               vigil_poller_untrack_all      (VigilPoller       *self);
/* Poll now, resetting the error count (a "Retry Now" button). While the
 * server is not OK, this sends its probe now. */
void               vigil_poller_poll_now         (VigilPoller       *self,
                                                  VigilJob          *job);
/* The client's credentials changed (also called on its notify::token and
 * notify::cookie): while NOT_SIGNED_IN, ask the server at once; every job
 * resumes as soon as it answers. */
void               vigil_poller_credentials_changed (VigilPoller    *self);
VigilServerHealth  vigil_poller_get_server_health (VigilPoller      *self);
const char        *vigil_poller_get_server_host   (VigilPoller      *self);
gint64             vigil_poller_get_failing_since (VigilPoller      *self);
guint              vigil_poller_get_retry_interval (VigilPoller     *self);

gboolean           vigil_poller_is_tracking      (VigilPoller       *self,
                                                  VigilJob          *job);
guint              vigil_poller_get_n_tracked    (VigilPoller       *self);
gboolean           vigil_poller_get_offline      (VigilPoller       *self);
gboolean           vigil_poller_get_info         (VigilPoller       *self,
                                                  VigilJob          *job,
                                                  VigilPollInfo     *info);
/* Requests made since creation, and the average delay chosen (virtual ms). */
guint64            vigil_poller_get_total_requests (VigilPoller     *self);
double             vigil_poller_get_average_delay  (VigilPoller     *self);
/* Number of GSources the poller has armed (0 or 1): tests check that 10 000
 * jobs cost one timer. */
guint              vigil_poller_get_n_timers     (VigilPoller       *self);
/* Requests waiting for an answer (at most VIGIL_POLLER_MAX_IN_FLIGHT). */
guint              vigil_poller_get_n_in_flight  (VigilPoller       *self);

G_END_DECLS
