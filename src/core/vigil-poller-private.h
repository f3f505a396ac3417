/* vigil-poller-private.h — what the parts of VigilPoller share: the
 * instance struct, a tracked job's entry and each part's internal API.
 * Internal to libvigil-core: nothing here is API.
 *
 *   vigil-poller.c           the GObject: properties, the job-finished signal,
 *                            the public API, the set of tracked jobs, the
 *                            network monitor
 *   vigil-poller-heap.c      a tracked job's entry and the binary heap of
 *                            entries by due time (no GObject, no server)
 *   vigil-poller-schedule.c  when a job is asked next (the poll policy) and the
 *                            one timer armed for the earliest due job
 *   vigil-poller-health.c    the server as a whole: failing, not signed in,
 *                            its one probe, every job resumed when it answers
 *   vigil-poller-requests.c  what is sent (single requests, GET /api/progress
 *                            batches) and what the answers do to each job
 *   vigil-poller-stats.c     what diagnostics show: the counters below and
 *                            the public introspection (vigil-poller-stats.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vigil-poller.h"

G_BEGIN_DECLS

/* ------------------------------------------------------------------ */
/* Types the parts share                                               */
/* ------------------------------------------------------------------ */

/* Requests a minute: one slot per real second of the last minute. */
#define VIGIL_POLLER_RATE_SLOTS 60

/* What diagnostics count (vigil-poller-stats.c): a few increments on the
 * request and answer paths, nothing per tick. */
typedef struct
{
  guint64  batch_requests;      /* GET /api/progress sent */
  guint64  batch_answers;       /* … answered and applied */
  guint64  bytes_received;      /* answer bodies, every request */
  gint64   slot_second[VIGIL_POLLER_RATE_SLOTS];
  guint    slot_count[VIGIL_POLLER_RATE_SLOTS];
} PollerCounters;

/* One tracked job (refcounted: a request in flight holds a reference). */
typedef struct
{
  VigilPoller     *poller;          /* unowned; NULL once untracked */
  VigilJob        *job;
  char            *job_id;
  gint64           due_us;          /* monotonic, real */
  guint            heap_index;      /* G_MAXUINT when not in the heap */
  gint64           tracked_since_us;
  gint64           failing_since;   /* real time of the first failed poll in a row; 0 */
  gint64           retry_after_ms;
  gint64           heard_us;        /* monotonic, real: its last progress; 0 never */
  guint64          requests;
  guint64          batched;         /* of those, batch polls (GET /api/progress) */
  guint            errors;
  guint            delay_ms;
  VigilPollReason  reason;
  guint            in_flight : 1;
  guint            in_batch : 1;    /* in flight as part of a batch request */
  guint            queued : 1;      /* the server has not picked the job up */
  guint            confirm : 1;     /* the next request asks the job record */
  guint            fresh : 1;       /* nothing heard from the server about it yet */
  guint            expect_end : 1;  /* the ETA runs out before the next poll */
  guint            probe : 1;       /* in flight as the failing server's probe */
  guint            listed : 1;      /* some batch answer listed it */
  guint            missed : 4;      /* batch answers in a row without it (saturates) */
} PollerEntry;

struct _VigilPoller
{
  GObject            parent_instance;

  VigilApiClient    *client;
  GNetworkMonitor   *monitor;
  GCancellable      *cancellable;
  GRand             *rand;
  GHashTable        *entries;        /* job id → PollerEntry (owned, refcounted) */
  GPtrArray         *heap;           /* PollerEntry*, min-heap on due_us */
  GSource           *timer;
  char              *server_host;    /* "host[:port]" for the jobs' messages */

  VigilPollSettings  settings;
  VigilPollSettings  background;
  double             time_scale;
  double             jitter;

  guint              n_in_flight;
  gint64             batch_unsupported_until_us;
  gint64             next_batch_us;       /* monotonic: no batch before (one per interval) */
  guint              batch_failures;      /* failed batch requests in a row */
  guint64            batch_seq;           /* batch answers applied */
  guint64            empty_proved_seq;    /* the last of them proved empty */
  guint              empty_proofs;        /* answers in a row proved empty */
  guint              batch_partial : 1;   /* answers list only some running jobs */
  guint              last_batch_empty : 1;
  guint              batch_proven_empty : 1; /* paused for that; one empty answer re-pauses */
  guint64            total_requests;
  PollerCounters     counters;
  guint64            n_delays;
  double             sum_delays;
  gulong             monitor_handler;
  gulong             token_handler;
  gulong             cookie_handler;

  /* The server as a whole: every request counts. While it is not OK, no
   * job is polled on its own; one probe (some job's request) at a time
   * tells when it is back, and then every job is polled at once. */
  VigilServerHealth  health;
  guint              failures;            /* failed requests in a row, any job */
  gint64             failing_since;       /* real µs of the first of them; 0 */
  guint              failed_probes;
  guint              probe_delay_ms;      /* the current retry interval (virtual) */
  gint64             probe_due_us;        /* monotonic, real */
  gint64             probe_retry_after_ms;
  char              *last_error;          /* why the last request failed */

  guint              offline : 1;
  guint              ignore_monitor : 1;  /* the system's monitor, a loopback server */
  guint              probing : 1;         /* the probe is in flight */
  guint              unreachable : 1;     /* the last failure had no answer at all */
  guint              recheck : 1;         /* credentials changed while probing */
};

typedef enum
{
  PROP_0,
  PROP_CLIENT,
  PROP_TIME_SCALE,
  PROP_JITTER,
  PROP_NETWORK_MONITOR,
  PROP_N_TRACKED,
  PROP_OFFLINE,
  PROP_SERVER_HEALTH,
  PROP_FAILING_SINCE,
  PROP_RETRY_INTERVAL,
  N_PROPS
} VigilPollerProperty;

/* ------------------------------------------------------------------ */
/* vigil-poller.c                                                      */
/* ------------------------------------------------------------------ */

void          vigil_poller_notify               (VigilPoller         *self,
                                                 VigilPollerProperty  prop);
/* The job reached a final state: stop polling it and tell listeners. */
void          vigil_poller_finish_entry         (VigilPoller         *self,
                                                 PollerEntry         *entry);

/* ------------------------------------------------------------------ */
/* vigil-poller-heap.c                                                 */
/* ------------------------------------------------------------------ */

/* A new entry for job, due nowhere yet (poller may be NULL). */
PollerEntry  *vigil_poller_entry_new            (VigilPoller         *poller,
                                                 VigilJob            *job);
PollerEntry  *vigil_poller_entry_ref            (PollerEntry         *entry);
void          vigil_poller_entry_unref          (PollerEntry         *entry);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PollerEntry, vigil_poller_entry_unref)

/* heap: a GPtrArray of PollerEntry* (no free function), a min-heap on
 * due_us; each entry's heap_index is its place, G_MAXUINT when out. */

/* Put entry in the heap (or move it) at due_us. */
void          vigil_poller_heap_schedule        (GPtrArray           *heap,
                                                 PollerEntry         *entry,
                                                 gint64               due_us);
/* Take entry out of the heap; nothing when it is not in it. */
void          vigil_poller_heap_remove          (GPtrArray           *heap,
                                                 PollerEntry         *entry);
/* Take the earliest due entry out of a heap that is not empty. */
PollerEntry  *vigil_poller_heap_pop             (GPtrArray           *heap);

/* The earliest due entry of a heap that is not empty. */
static inline PollerEntry *
vigil_poller_heap_peek (GPtrArray *heap)
{
  return g_ptr_array_index (heap, 0);
}

/* ------------------------------------------------------------------ */
/* vigil-poller-schedule.c                                             */
/* ------------------------------------------------------------------ */

/* Arm the timer for the earliest due job, or disarm it. */
void          vigil_poller_arm                  (VigilPoller         *self);
gint64        vigil_poller_virtual_now_us       (VigilPoller         *self);
/* Decide the next delay with the policy and put the job back in the heap. */
void          vigil_poller_schedule_next        (VigilPoller         *self,
                                                 PollerEntry         *entry);
void          vigil_poller_schedule_now         (VigilPoller         *self,
                                                 PollerEntry         *entry);

/* ------------------------------------------------------------------ */
/* vigil-poller-health.c                                               */
/* ------------------------------------------------------------------ */

/* Count an answer for the server as a whole (entry: the job it was for,
 * NULL for a batch). Returns whether the job's own handling goes on; when
 * not, the job waits in the heap for the server's probe. */
gboolean      vigil_poller_note_answer          (VigilPoller         *self,
                                                 PollerEntry         *entry,
                                                 GAsyncResult        *result,
                                                 const GError        *error);
/* The job waits for the server's probe: say why, since when and how often. */
void          vigil_poller_apply_server_trouble (VigilPoller         *self,
                                                 PollerEntry         *entry);
/* Back to OK without a word from the server. */
void          vigil_poller_reset_health         (VigilPoller         *self);
/* Every job's own trouble is forgotten and it is polled now. */
void          vigil_poller_resume_all           (VigilPoller         *self);
/* While the server is not OK: send the one probe when it is due. */
void          vigil_poller_dispatch_probe       (VigilPoller         *self,
                                                 gint64               now);

/* ------------------------------------------------------------------ */
/* vigil-poller-requests.c                                             */
/* ------------------------------------------------------------------ */

/* Send what is due (the timer's callback). */
void          vigil_poller_dispatch             (VigilPoller         *self);
/* Ask the server about one job: its progress or its job record. */
void          vigil_poller_send_single          (VigilPoller         *self,
                                                 PollerEntry         *entry);

/* ------------------------------------------------------------------ */
/* vigil-poller-stats.c                                                */
/* ------------------------------------------------------------------ */

/* A request goes out (batch: a GET /api/progress for several jobs). */
void          vigil_poller_count_request        (VigilPoller         *self,
                                                 gboolean             batch);
/* An answer came for a request (its body bytes count). */
void          vigil_poller_count_answer         (VigilPoller         *self,
                                                 GAsyncResult        *result);
/* A batch answer was applied to the jobs it names. */
void          vigil_poller_count_batch_used     (VigilPoller         *self);

G_END_DECLS
