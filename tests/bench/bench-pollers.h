/* bench-pollers.h — the pollers vigil-bench compares, behind one interface
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "bench-common.h"

G_BEGIN_DECLS

typedef struct _BenchPoller BenchPoller;

/* A poller of kind against base_url, whose delays run `speed` times faster
 * than virtual time (the demo server's speed). one_per_job: Vigil gets a
 * VigilPoller (and client) of its own for every job, so that no two jobs
 * share a request; the other kinds poll every job on its own anyway.
 * shared_connections: the emulated pollers share a browser's six
 * connections; otherwise each job has one, like a page per job. func is called when the poller (or the
 * browser's page) says how a job ended: once with final TRUE per job, and
 * before that at most once with final FALSE. */
BenchPoller *bench_poller_new      (BenchPollerKind  kind,
                                    const char      *base_url,
                                    double           speed,
                                    gboolean         one_per_job,
                                    gboolean         shared_connections,
                                    BenchWordFunc    func,
                                    gpointer         user_data);
BenchPollerKind bench_poller_get_kind (BenchPoller  *self);
/* Start polling job_id now. */
void         bench_poller_track    (BenchPoller     *self,
                                    const char      *job_id);
/* The mean round trip of the emulated loops' requests, in virtual seconds
 * (NAN for Vigil or before any answer). */
double       bench_poller_mean_rtt (BenchPoller     *self);
/* Stops every loop; answers still on their way are ignored. */
void         bench_poller_free     (BenchPoller     *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BenchPoller, bench_poller_free)

G_END_DECLS
