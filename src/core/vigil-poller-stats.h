/* vigil-poller-stats.h — what a poller does, for diagnostics: per tracked
 * job (delay and why, errors, times, requests) and per poller, that is per
 * server (requests, their rate, the average delay, batch answers, bytes).
 * Counting costs a few integer increments on the poller's request and
 * answer paths; these functions only read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vigil-poller.h"

G_BEGIN_DECLS

/* One poller's (one server's) totals since it was created. */
typedef struct
{
  guint64           requests;              /* every request sent */
  guint             requests_last_minute;  /* sent in the last 60 real seconds */
  double            average_delay_ms;      /* of the delays chosen (virtual ms) */
  guint64           batch_requests;        /* GET /api/progress sent */
  guint64           batch_answers;         /* … answered and applied to jobs */
  guint64           bytes_received;        /* answer bodies */
  guint             n_tracked;
  guint             n_in_flight;
  VigilServerHealth health;
} VigilPollerStats;

/* One tracked job. */
typedef struct
{
  VigilJob      *job;      /* a reference */
  char          *server;   /* "host[:port]" of its poller */
  VigilPollInfo  info;     /* delay and reason, errors, tracked for, next poll
                            * in, requests (vigil_poller_get_info()); while
                            * the server is not OK, the delay, reason (PROBE,
                            * SIGN_IN) and next poll of the server's probe */
  guint64        batched;  /* of info.requests, the batch polls; the rest
                            * asked the job's own progress or job record */
} VigilPollerJobStats;

void        vigil_poller_get_stats          (VigilPoller          *self,
                                             VigilPollerStats     *stats);
/* Every tracked job's stats (VigilPollerJobStats, freed with the array),
 * the longest tracked first. */
GPtrArray  *vigil_poller_dup_job_stats      (VigilPoller          *self);
void        vigil_poller_job_stats_free     (VigilPollerJobStats  *stats);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (VigilPollerJobStats, vigil_poller_job_stats_free)

G_END_DECLS
