/* vigil-poller.c — smart polling of any number of jobs
 *
 * One GSource is armed at a time, for the earliest due job of a binary heap,
 * so ten thousand tracked jobs cost one timer. A job never has two requests
 * in flight, and the poller never has more than VIGIL_POLLER_MAX_IN_FLIGHT.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "vigil-util-private.h"

#include "vigil-poller.h"

/* Failed batch requests in a row (while the server answers others) before
 * the jobs are polled one by one for BATCH_PAUSE_S virtual seconds. */
#define BATCH_MAX_FAILURES 3
#define BATCH_PAUSE_S      30

typedef enum
{
  REQUEST_PROGRESS,
  REQUEST_STATUS,
} RequestKind;

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
  guint64          requests;
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
} Entry;

typedef struct
{
  GSource      source;
  VigilPoller *poller;
} TimerSource;

struct _VigilPoller
{
  GObject            parent_instance;

  VigilApiClient    *client;
  GNetworkMonitor   *monitor;
  GCancellable      *cancellable;
  GRand             *rand;
  GHashTable        *entries;        /* job id → Entry (owned, refcounted) */
  GPtrArray         *heap;           /* Entry*, min-heap on due_us */
  GSource           *timer;
  char              *server_host;    /* "host[:port]" for the jobs' messages */

  VigilPollSettings  settings;
  VigilPollSettings  background;
  double             time_scale;
  double             jitter;

  guint              n_in_flight;
  gint64             batch_unsupported_until_us;
  guint              batch_failures;      /* failed batch requests in a row */
  guint64            total_requests;
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

enum {
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
};

enum {
  JOB_FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (VigilPoller, vigil_poller, G_TYPE_OBJECT)

static void vigil_poller_arm      (VigilPoller *self);
static void vigil_poller_dispatch (VigilPoller *self);
static void apply_server_trouble  (VigilPoller *self,
                                   Entry       *entry);

/* ------------------------------------------------------------------ */
/* Entries                                                             */
/* ------------------------------------------------------------------ */

static void
entry_clear (Entry *entry)
{
  g_clear_object (&entry->job);
  g_clear_pointer (&entry->job_id, g_free);
}

static Entry *
entry_ref (Entry *entry)
{
  return g_rc_box_acquire (entry);
}

static void
entry_unref (Entry *entry)
{
  g_rc_box_release_full (entry, (GDestroyNotify) entry_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Entry, entry_unref)

/* ------------------------------------------------------------------ */
/* The timer heap                                                      */
/* ------------------------------------------------------------------ */

static inline Entry *
heap_at (VigilPoller *self,
         guint        i)
{
  return g_ptr_array_index (self->heap, i);
}

static void
heap_swap (VigilPoller *self,
           guint        a,
           guint        b)
{
  Entry *ea = heap_at (self, a);
  Entry *eb = heap_at (self, b);

  self->heap->pdata[a] = eb;
  self->heap->pdata[b] = ea;
  eb->heap_index = a;
  ea->heap_index = b;
}

static void
heap_sift_up (VigilPoller *self,
              guint        i)
{
  while (i > 0)
    {
      guint parent = (i - 1) / 2;

      if (heap_at (self, parent)->due_us <= heap_at (self, i)->due_us)
        break;
      heap_swap (self, parent, i);
      i = parent;
    }
}

static void
heap_sift_down (VigilPoller *self,
                guint        i)
{
  for (;;)
    {
      guint left = 2 * i + 1, right = left + 1, min = i;

      if (left < self->heap->len && heap_at (self, left)->due_us < heap_at (self, min)->due_us)
        min = left;
      if (right < self->heap->len && heap_at (self, right)->due_us < heap_at (self, min)->due_us)
        min = right;
      if (min == i)
        break;
      heap_swap (self, i, min);
      i = min;
    }
}

static void
heap_remove (VigilPoller *self,
             Entry       *entry)
{
  guint i = entry->heap_index;
  guint last;
  Entry *moved;

  if (i == G_MAXUINT)
    return;

  last = self->heap->len - 1;
  if (i != last)
    heap_swap (self, i, last);
  g_ptr_array_set_size (self->heap, last);
  entry->heap_index = G_MAXUINT;

  if (i >= self->heap->len)
    return;

  /* The entry moved into the hole may belong higher or lower. */
  moved = heap_at (self, i);
  heap_sift_up (self, i);
  if (moved->heap_index == i)
    heap_sift_down (self, i);
}

/* Put entry in the heap (or move it) at due_us. */
static void
heap_schedule (VigilPoller *self,
               Entry       *entry,
               gint64       due_us)
{
  heap_remove (self, entry);
  entry->due_us = due_us;
  entry->heap_index = self->heap->len;
  g_ptr_array_add (self->heap, entry);
  heap_sift_up (self, entry->heap_index);
}

static Entry *
heap_pop (VigilPoller *self)
{
  Entry *top = heap_at (self, 0);

  heap_remove (self, top);
  return top;
}

/* ------------------------------------------------------------------ */
/* The one timer                                                       */
/* ------------------------------------------------------------------ */

static gboolean
timer_dispatch (GSource     *source,
                GSourceFunc  callback,
                gpointer     user_data)
{
  VigilPoller *self = ((TimerSource *) source)->poller;

  g_source_set_ready_time (source, -1);
  vigil_poller_dispatch (self);
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs timer_funcs = {
  .dispatch = timer_dispatch,
};

/* Arm the timer for the earliest due job (the probe, while the server is
 * not OK), or disarm it when nothing is due, the network is down, or every
 * request slot is taken (a finishing request re-arms it). A probe waits
 * for every other request to finish: one request at a time. */
static void
vigil_poller_arm (VigilPoller *self)
{
  gint64 ready = -1;

  if (self->heap->len > 0 && !self->offline && self->n_in_flight < VIGIL_POLLER_MAX_IN_FLIGHT)
    {
      if (self->health == VIGIL_SERVER_HEALTH_OK)
        ready = heap_at (self, 0)->due_us;
      else if (!self->probing && self->n_in_flight == 0)
        ready = self->probe_due_us;
    }

  if (self->timer == NULL && ready >= 0)
    {
      self->timer = g_source_new (&timer_funcs, sizeof (TimerSource));
      ((TimerSource *) self->timer)->poller = self;
      g_source_set_static_name (self->timer, "[vigil] poller");
      g_source_attach (self->timer, NULL);
    }

  if (self->timer != NULL)
    g_source_set_ready_time (self->timer, ready);
}

/* ------------------------------------------------------------------ */
/* Scheduling                                                          */
/* ------------------------------------------------------------------ */

static gint64
virtual_now_us (VigilPoller *self)
{
  return (gint64) (g_get_monotonic_time () / self->time_scale);
}

static double
job_age_seconds (VigilPoller *self,
                 Entry       *entry)
{
  GDateTime *started = vigil_job_get_started_at (entry->job);
  double tracked = (g_get_monotonic_time () - entry->tracked_since_us) / 1e6 / self->time_scale;

  if (started != NULL)
    {
      double age = (g_get_real_time () - g_date_time_to_unix (started) * G_USEC_PER_SEC -
                    g_date_time_get_microsecond (started)) / 1e6 / self->time_scale;

      /* A skewed server clock must not make a job look young forever. */
      if (age >= 0)
        return MAX (age, tracked);
    }

  return tracked;
}

static const VigilPollSettings *
settings_for (VigilPoller *self,
              Entry       *entry)
{
  if (vigil_job_get_kind (entry->job) == VIGIL_JOB_KIND_BACKGROUND)
    return &self->background;
  return &self->settings;
}

/* The job's tracking-state, and while its polls fail, since when and how
 * often they are retried. */
static void
apply_tracking (Entry             *entry,
                VigilPollTracking  tracking,
                guint              delay_ms)
{
  VigilTrackingState state = VIGIL_TRACKING_STATE_ACTIVE;
  gboolean failing = tracking != VIGIL_POLL_TRACKING_OK;

  if (tracking == VIGIL_POLL_TRACKING_RETRYING)
    state = VIGIL_TRACKING_STATE_RETRYING;
  else if (tracking == VIGIL_POLL_TRACKING_STALLED)
    state = VIGIL_TRACKING_STATE_STALLED;

  vigil_job_set_failing_since (entry->job, failing ? entry->failing_since : 0);
  vigil_job_set_retry_interval (entry->job, failing ? delay_ms : 0);
  vigil_job_set_tracking_state (entry->job, state);
}

/* Decide the next delay with the policy and put the job back in the heap. */
static void
schedule_next (VigilPoller *self,
               Entry       *entry)
{
  VigilPollInput input;
  VigilPollDecision decision;
  guint delay;

  vigil_poll_input_init (&input);
  input.age_seconds = job_age_seconds (self, entry);
  input.fraction = vigil_job_get_fraction (entry->job);
  input.kind = vigil_job_get_kind (entry->job);
  input.queued = entry->queued;
  input.errors = entry->errors;
  input.eta_seconds = vigil_job_get_eta_seconds (entry->job);
  input.retry_after_ms = entry->retry_after_ms;
  input.overdue = entry->reason == VIGIL_POLL_REASON_FINAL_APPROACH;

  decision = vigil_poll_policy_decide (settings_for (self, entry), &input);
  delay = vigil_poll_policy_jitter (decision.delay_ms, self->jitter, self->rand);

  entry->delay_ms = delay;
  entry->reason = decision.reason;
  entry->expect_end = input.eta_seconds >= 0 && input.eta_seconds * 1000.0 < delay;
  entry->retry_after_ms = -1;
  self->n_delays++;
  self->sum_delays += delay;

  apply_tracking (entry, decision.tracking, delay);
  heap_schedule (self, entry, g_get_monotonic_time () + (gint64) (delay * 1000.0 * self->time_scale));

  g_debug ("poll %s in %u ms (%s%s; fraction %.2f, eta %.1f s)", entry->job_id, delay,
           vigil_poll_reason_to_string (decision.reason),
           entry->confirm ? ", confirm with job status" : "", input.fraction, input.eta_seconds);
}

static void
schedule_now (VigilPoller *self,
              Entry       *entry)
{
  heap_schedule (self, entry, g_get_monotonic_time ());
}

/* The job reached a final state: stop polling it and tell listeners. */
static void
finish_entry (VigilPoller *self,
              Entry       *entry)
{
  g_autoptr(Entry) hold = entry_ref (entry);

  heap_remove (self, entry);
  entry->poller = NULL;
  g_hash_table_remove (self->entries, entry->job_id);

  g_debug ("job %s finished after %" G_GUINT64_FORMAT " requests", entry->job_id, entry->requests);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_TRACKED]);
  g_signal_emit (self, signals[JOB_FINISHED], 0, entry->job);
}

/* ------------------------------------------------------------------ */
/* The server as a whole                                               */
/* ------------------------------------------------------------------ */

typedef enum
{
  ANSWER_OK,             /* the server answered (a 404 and a 403 are answers) */
  ANSWER_FAILED,         /* no answer, a server error, garbage, "slow down" */
  ANSWER_NOT_SIGNED_IN,  /* 401, a redirect or a sign-in page */
} AnswerKind;

static AnswerKind
classify_answer (const GError *error)
{
  if (error == NULL ||
      g_error_matches (error, VIGIL_API_ERROR, VIGIL_API_ERROR_NOT_FOUND) ||
      g_error_matches (error, VIGIL_API_ERROR, VIGIL_API_ERROR_FORBIDDEN))
    return ANSWER_OK;
  if (g_error_matches (error, VIGIL_API_ERROR, VIGIL_API_ERROR_UNAUTHORIZED))
    return ANSWER_NOT_SIGNED_IN;
  return ANSWER_FAILED;
}

/* "Not answering" rather than "errors": nothing came back at all. */
static gboolean
is_unreachable (const GError *error)
{
  return error->domain != VIGIL_API_ERROR ||
         error->code == VIGIL_API_ERROR_NETWORK ||
         error->code == VIGIL_API_ERROR_TIMEOUT ||
         error->code == VIGIL_API_ERROR_INVALID_URL;
}

static VigilTrackingState
server_tracking_state (VigilPoller *self)
{
  if (self->health == VIGIL_SERVER_HEALTH_NOT_SIGNED_IN)
    return VIGIL_TRACKING_STATE_NOT_SIGNED_IN;
  return self->unreachable ? VIGIL_TRACKING_STATE_SERVER_UNREACHABLE
                           : VIGIL_TRACKING_STATE_SERVER_ERROR;
}

/* The job waits for the server's probe: say why, since when and how often
 * the server is asked. */
static void
apply_server_trouble (VigilPoller *self,
                      Entry       *entry)
{
  vigil_job_set_tracking_error (entry->job, self->last_error);
  vigil_job_set_failing_since (entry->job, self->failing_since);
  vigil_job_set_retry_interval (entry->job, self->probe_delay_ms);
  if (!self->offline)
    vigil_job_set_tracking_state (entry->job, server_tracking_state (self));
}

static void
show_server_trouble (VigilPoller *self)
{
  GHashTableIter iter;
  Entry *entry;

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    apply_server_trouble (self, entry);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILING_SINCE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETRY_INTERVAL]);
}

static void
schedule_probe (VigilPoller *self)
{
  VigilPollDecision decision;
  guint delay;

  decision = vigil_poll_policy_decide_probe (&self->settings, self->health,
                                             self->failed_probes, self->probe_retry_after_ms);
  delay = vigil_poll_policy_jitter (decision.delay_ms, self->jitter, self->rand);
  self->probe_retry_after_ms = -1;
  self->probe_delay_ms = delay;
  self->probe_due_us = g_get_monotonic_time () + (gint64) (delay * 1000.0 * self->time_scale);

  g_debug ("server %s: probe in %u ms (%s, %u failed)", self->server_host, delay,
           vigil_poll_reason_to_string (decision.reason), self->failed_probes);
  show_server_trouble (self);
}

static void
set_health (VigilPoller       *self,
            VigilServerHealth  health)
{
  if (self->health == health)
    return;

  self->health = health;
  self->failed_probes = 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVER_HEALTH]);
}

/* Back to OK without a word from the server (offline and back, nothing
 * tracked any more). */
static void
reset_health (VigilPoller *self)
{
  gboolean was_down = self->health != VIGIL_SERVER_HEALTH_OK;

  self->failures = 0;
  self->failing_since = 0;
  self->probe_delay_ms = 0;
  self->probe_retry_after_ms = -1;
  self->recheck = FALSE;
  set_health (self, VIGIL_SERVER_HEALTH_OK);
  if (was_down)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILING_SINCE]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETRY_INTERVAL]);
    }
}

/* Every job's own trouble is forgotten and it is polled now. */
static void
resume_all (VigilPoller *self)
{
  GHashTableIter iter;
  Entry *entry;

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    {
      entry->errors = 0;
      entry->failing_since = 0;
      vigil_job_set_tracking_error (entry->job, NULL);
      vigil_job_set_failing_since (entry->job, 0);
      vigil_job_set_retry_interval (entry->job, 0);
      vigil_job_set_tracking_state (entry->job, self->offline ? VIGIL_TRACKING_STATE_OFFLINE
                                                              : VIGIL_TRACKING_STATE_ACTIVE);
      if (!entry->in_flight)
        schedule_now (self, entry);
    }
}

static void
server_answered (VigilPoller *self)
{
  if (self->health == VIGIL_SERVER_HEALTH_OK)
    {
      self->failures = 0;
      self->failing_since = 0;
      return;
    }

  g_debug ("server %s answers again: polling every job now", self->server_host);
  reset_health (self);
  resume_all (self);
}

static void
server_failed (VigilPoller  *self,
               gboolean      probe,
               GAsyncResult *result,
               const GError *error)
{
  gint64 retry_after = result != NULL ? vigil_api_result_get_retry_after_ms (result) : -1;
  gboolean was_unreachable = self->unreachable;

  self->failures++;
  if (self->failing_since == 0)
    self->failing_since = g_get_real_time ();
  self->unreachable = is_unreachable (error);
  if (retry_after > 0)
    self->probe_retry_after_ms = MAX (self->probe_retry_after_ms, retry_after);

  if (self->health == VIGIL_SERVER_HEALTH_OK)
    {
      if (!vigil_poll_policy_server_is_failing (&self->settings, self->failures))
        return;
      g_debug ("server %s failing (%u failed requests in a row): one probe at a time",
               self->server_host, self->failures);
      set_health (self, VIGIL_SERVER_HEALTH_FAILING);
      schedule_probe (self);
    }
  else if (probe)
    {
      self->failed_probes++;
      schedule_probe (self);
    }
  else if (was_unreachable != self->unreachable)
    show_server_trouble (self);
}

static void
server_wants_sign_in (VigilPoller *self,
                      gboolean     probe)
{
  self->failures = 0;
  if (self->health != VIGIL_SERVER_HEALTH_NOT_SIGNED_IN)
    {
      g_debug ("server %s wants a sign-in: one probe at a time", self->server_host);
      self->failing_since = g_get_real_time ();
      set_health (self, VIGIL_SERVER_HEALTH_NOT_SIGNED_IN);
      schedule_probe (self);
    }
  else if (probe)
    {
      self->failed_probes++;
      schedule_probe (self);
    }

  /* Credentials that changed while the probe was out are tried now. */
  if (probe && self->recheck)
    {
      self->recheck = FALSE;
      self->failed_probes = 0;
      self->probe_due_us = g_get_monotonic_time ();
    }
}

/* Count an answer for the server as a whole (entry: the job it was for,
 * NULL for a batch). Returns whether the job's own handling goes on; when
 * not, the job waits in the heap for the server's probe. */
static gboolean
note_answer (VigilPoller  *self,
             Entry        *entry,
             GAsyncResult *result,
             const GError *error)
{
  gboolean probe = entry != NULL && entry->probe;

  if (probe)
    {
      entry->probe = FALSE;
      self->probing = FALSE;
    }

  /* Failures while offline say nothing about the server. */
  if (self->offline && error != NULL)
    return TRUE;

  if (error != NULL)
    vigil_replace_str (&self->last_error, error->message);

  switch (classify_answer (error))
    {
    case ANSWER_OK:
      server_answered (self);
      return TRUE;
    case ANSWER_FAILED:
      server_failed (self, probe, result, error);
      if (self->health == VIGIL_SERVER_HEALTH_OK)
        return TRUE;
      break;
    case ANSWER_NOT_SIGNED_IN:
    default:
      server_wants_sign_in (self, probe);
      break;
    }

  if (entry != NULL)
    {
      apply_server_trouble (self, entry);
      schedule_now (self, entry);
    }
  return FALSE;
}

/* ------------------------------------------------------------------ */
/* Outcomes                                                            */
/* ------------------------------------------------------------------ */

/* Returns FALSE when the request is moot: cancelled, or the job untracked. */
static gboolean
request_done (Entry        *entry,
              const GError *error)
{
  VigilPoller *self = entry->poller;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self == NULL)
    return FALSE;

  entry->in_flight = FALSE;
  self->n_in_flight--;
  return TRUE;
}

static void
handle_error (VigilPoller  *self,
              Entry        *entry,
              GAsyncResult *result,
              const GError *error)
{
  /* Failures while offline say nothing about the server. */
  if (self->offline)
    {
      schedule_now (self, entry);
      vigil_job_set_tracking_state (entry->job, VIGIL_TRACKING_STATE_OFFLINE);
      return;
    }

  entry->errors++;
  if (entry->failing_since == 0)
    entry->failing_since = g_get_real_time ();
  entry->retry_after_ms = vigil_api_result_get_retry_after_ms (result);
  vigil_job_set_tracking_error (entry->job, error->message);
  g_debug ("poll %s failed (%u in a row): %s", entry->job_id, entry->errors, error->message);
  schedule_next (self, entry);
}

static void
poll_succeeded (Entry *entry)
{
  entry->errors = 0;
  entry->failing_since = 0;
  vigil_job_set_tracking_error (entry->job, NULL);
}

static void
apply_progress (VigilPoller         *self,
                Entry               *entry,
                const VigilProgress *progress)
{
  poll_succeeded (entry);
  entry->queued = FALSE;
  entry->fresh = FALSE;
  vigil_job_apply_progress (entry->job, progress, virtual_now_us (self));

  /* The progress record says "done": the job record says how it ended. */
  if (vigil_progress_is_terminal (progress))
    {
      entry->confirm = TRUE;
      schedule_now (self, entry);
    }
  else
    schedule_next (self, entry);
}

static void
on_progress (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Entry) entry = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(VigilProgress) progress = NULL;
  VigilPoller *self;

  progress = vigil_api_client_get_progress_finish (VIGIL_API_CLIENT (object), result, &error);
  if (!request_done (entry, error))
    return;
  self = entry->poller;

  if (!note_answer (self, entry, result, error))
    {
      vigil_poller_arm (self);
      return;
    }

  if (progress != NULL)
    apply_progress (self, entry, progress);
  else if (g_error_matches (error, VIGIL_API_ERROR, VIGIL_API_ERROR_NOT_FOUND))
    {
      /* No progress record: still queued, or finished. Ask the job record. */
      poll_succeeded (entry);
      entry->confirm = TRUE;
      schedule_now (self, entry);
    }
  else
    handle_error (self, entry, result, error);

  vigil_poller_arm (self);
}

static void
apply_record (VigilPoller          *self,
              Entry                *entry,
              const VigilJobRecord *record)
{
  poll_succeeded (entry);
  entry->fresh = FALSE;
  vigil_job_apply_record (entry->job, record, virtual_now_us (self));

  if (vigil_job_get_is_finished (entry->job))
    {
      finish_entry (self, entry);
      return;
    }

  entry->queued = vigil_job_get_server_state (entry->job) == VIGIL_SERVER_STATE_QUEUED;
  /* Running without a progress record yet (or a server that never shows
   * one): keep asking the job record rather than two requests a poll. */
  entry->confirm = entry->queued || record->progress == NULL;
  schedule_next (self, entry);
}

static void
on_status (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Entry) entry = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(VigilJobRecord) record = NULL;
  VigilPoller *self;

  record = vigil_api_client_get_job_status_finish (VIGIL_API_CLIENT (object), result, &error);
  if (!request_done (entry, error))
    return;
  self = entry->poller;

  if (!note_answer (self, entry, result, error))
    {
      vigil_poller_arm (self);
      return;
    }

  if (record != NULL)
    apply_record (self, entry, record);
  else if (g_error_matches (error, VIGIL_API_ERROR, VIGIL_API_ERROR_NOT_FOUND))
    {
      poll_succeeded (entry);
      vigil_job_mark_lost (entry->job, virtual_now_us (self));
      finish_entry (self, entry);
    }
  else
    handle_error (self, entry, result, error);

  vigil_poller_arm (self);
}

/* ------------------------------------------------------------------ */
/* Requests                                                            */
/* ------------------------------------------------------------------ */

/* The job record when the job is queued, when its end must be confirmed,
 * and when its ETA says it has ended by now: its progress record would
 * then most likely answer 404, which settles nothing, and the job record
 * would be asked next anyway. A job still running answers with its
 * progress inside the record. */
static void
send_single (VigilPoller *self,
             Entry       *entry)
{
  RequestKind kind = (entry->queued || entry->confirm || entry->expect_end)
                     ? REQUEST_STATUS : REQUEST_PROGRESS;

  entry->in_flight = TRUE;
  entry->requests++;
  self->n_in_flight++;
  self->total_requests++;

  if (kind == REQUEST_STATUS)
    vigil_api_client_get_job_status_async (self->client, entry->job_id, self->cancellable,
                                           on_status, entry_ref (entry));
  else
    vigil_api_client_get_progress_async (self->client, entry->job_id, self->cancellable,
                                         on_progress, entry_ref (entry));
}

typedef struct
{
  VigilPoller *poller;   /* unowned: dispose cancels the request first */
  GPtrArray   *entries;  /* Entry refs: the jobs this request was sent for */
} Batch;

static void
batch_free (Batch *batch)
{
  g_clear_pointer (&batch->entries, g_ptr_array_unref);
  g_free (batch);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Batch, batch_free)

static gboolean
is_batchable (VigilPoller *self,
              Entry       *entry)
{
  /* A job just tracked rides along too: if it is running, the batch says
   * so and spares it a request for its job record. */
  return !entry->confirm && (!entry->queued || entry->fresh) &&
         g_get_monotonic_time () >= self->batch_unsupported_until_us;
}

/* Apply a batch answer to every tracked job it names that is not waiting
 * for an answer of its own; a job of the batch that it does not name is
 * asked one by one (absence is never completion). */
static void
apply_batch (VigilPoller *self,
             Batch       *batch,
             GPtrArray   *active)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < active->len; i++)
    {
      VigilProgress *progress = g_ptr_array_index (active, i);
      Entry *entry;

      if (progress->job_id == NULL)
        continue;
      entry = g_hash_table_lookup (self->entries, progress->job_id);
      if (entry == NULL || entry->in_flight || entry->confirm)
        continue;
      g_hash_table_add (seen, entry->job_id);
      apply_progress (self, entry, progress);
    }

  for (guint i = 0; i < batch->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (batch->entries, i);

      if (entry->poller == NULL || g_hash_table_contains (seen, entry->job_id))
        continue;
      /* Asking the job record tells both "still running" and "finished". */
      entry->confirm = TRUE;
      schedule_now (self, entry);
    }
}

/* The batch's jobs wait for the server's probe (or go one by one). */
static void
requeue_batch (VigilPoller *self,
               Batch       *batch)
{
  for (guint i = 0; i < batch->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (batch->entries, i);

      if (entry->poller != NULL)
        schedule_now (self, entry);
    }
}

static void
pause_batching (VigilPoller *self,
                double       seconds)
{
  self->batch_unsupported_until_us = g_get_monotonic_time () +
                                     (gint64) (seconds * G_USEC_PER_SEC * self->time_scale);
}

static void
batch_failed (VigilPoller  *self,
              Batch        *batch,
              GAsyncResult *result,
              const GError *error)
{
  /* The server has no such route: don't ask for a while. */
  if (g_error_matches (error, VIGIL_API_ERROR, VIGIL_API_ERROR_NOT_FOUND))
    {
      g_debug ("no batch route (%s); polling one by one", error->message);
      pause_batching (self, VIGIL_POLLER_BATCH_RETRY_S);
      requeue_batch (self, batch);
      return;
    }

  /* One failed request for all its jobs: each retries soon, batched again,
   * unless batches keep failing while the server answers other requests
   * (when everything fails, the server is down, not the route). */
  if (++self->batch_failures >= BATCH_MAX_FAILURES && self->failures < self->batch_failures)
    {
      g_debug ("batch poll failed %u times (%s); polling one by one", self->batch_failures,
               error->message);
      self->batch_failures = 0;
      pause_batching (self, BATCH_PAUSE_S);
    }

  for (guint i = 0; i < batch->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (batch->entries, i);

      if (entry->poller != NULL)
        handle_error (self, entry, result, error);
    }
}

static void
on_batch (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(Batch) batch = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) active = NULL;
  VigilPoller *self = batch->poller;

  active = vigil_api_client_get_active_progress_finish (VIGIL_API_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->n_in_flight--;
  for (guint i = 0; i < batch->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (batch->entries, i);

      entry->in_batch = FALSE;
      if (entry->poller != NULL)
        entry->in_flight = FALSE;
    }

  if (!note_answer (self, NULL, result, error))
    requeue_batch (self, batch);
  else if (active != NULL)
    {
      self->batch_failures = 0;
      apply_batch (self, batch, active);
    }
  else
    batch_failed (self, batch, result, error);

  vigil_poller_arm (self);
}

static void
send_batch (VigilPoller *self,
            GPtrArray   *entries)
{
  Batch *batch = g_new0 (Batch, 1);

  batch->poller = self;
  batch->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_unref);
  for (guint i = 0; i < entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (entries, i);

      entry->in_flight = TRUE;
      entry->in_batch = TRUE;
      entry->requests++;
      g_ptr_array_add (batch->entries, entry_ref (entry));
    }

  self->n_in_flight++;
  self->total_requests++;
  g_debug ("batch poll for %u jobs", entries->len);
  vigil_api_client_get_active_progress_async (self->client, self->cancellable, on_batch, batch);
}

/* Take the due jobs off the heap, earliest first. Every batchable job due
 * within the batch window goes into `batch`, whatever the free slots: the
 * batch needs one slot for all of them, and counting each against the
 * slots would starve batching exactly when the poller is busiest (with the
 * slots taken, every dispatch took one job and asked it on its own). Other
 * jobs due now go into `singles` while slots remain; the first one that
 * finds no slot stops the walk, so a backlog is not re-sorted per answer. */
static void
collect_due (VigilPoller *self,
             gint64       now,
             guint        free_slots,
             GPtrArray   *batch,
             GPtrArray   *singles,
             GPtrArray   *later)
{
  gint64 window = (gint64) (VIGIL_POLLER_BATCH_WINDOW_MS * 1000.0 * self->time_scale);

  while (self->heap->len > 0 && heap_at (self, 0)->due_us <= now + window)
    {
      Entry *entry = heap_at (self, 0);
      gboolean batchable = is_batchable (self, entry);

      if (!batchable && entry->due_us <= now && singles->len >= free_slots)
        break;

      heap_pop (self);
      if (batchable)
        g_ptr_array_add (batch, entry);
      else if (entry->due_us <= now)
        g_ptr_array_add (singles, entry);
      else
        g_ptr_array_add (later, entry);
    }
}

/* While the server is not OK: the earliest due job's request is the one
 * probe, sent when nothing else is in flight. */
static void
dispatch_probe (VigilPoller *self,
                gint64       now)
{
  Entry *entry;

  if (self->probing || self->n_in_flight > 0 || self->heap->len == 0 || now < self->probe_due_us)
    return;

  entry = heap_pop (self);
  entry->probe = TRUE;
  self->probing = TRUE;
  g_debug ("probe server %s with job %s", self->server_host, entry->job_id);
  send_single (self, entry);
}

/* Send what is due: two or more batchable jobs share one GET /api/progress
 * (it takes a slot before any single request); the rest are asked one by
 * one, as request slots allow. */
static void
vigil_poller_dispatch (VigilPoller *self)
{
  g_autoptr(GPtrArray) batch = g_ptr_array_new ();
  g_autoptr(GPtrArray) singles = g_ptr_array_new ();
  g_autoptr(GPtrArray) later = g_ptr_array_new ();
  gint64 now = g_get_monotonic_time ();
  guint free_slots;

  if (self->offline || self->n_in_flight >= VIGIL_POLLER_MAX_IN_FLIGHT)
    return;

  if (self->health != VIGIL_SERVER_HEALTH_OK)
    {
      dispatch_probe (self, now);
      vigil_poller_arm (self);
      return;
    }

  free_slots = VIGIL_POLLER_MAX_IN_FLIGHT - self->n_in_flight;
  collect_due (self, now, free_slots, batch, singles, later);

  if (batch->len >= 2)
    {
      if (singles->len == free_slots)
        g_ptr_array_add (later, g_ptr_array_steal_index (singles, singles->len - 1));
      send_batch (self, batch);
    }
  else if (batch->len == 1)
    {
      Entry *entry = g_ptr_array_index (batch, 0);

      g_ptr_array_add (entry->due_us <= now && singles->len < free_slots ? singles : later, entry);
    }

  for (guint i = 0; i < singles->len; i++)
    send_single (self, g_ptr_array_index (singles, i));

  for (guint i = 0; i < later->len; i++)
    {
      Entry *entry = g_ptr_array_index (later, i);
      heap_schedule (self, entry, entry->due_us);
    }

  vigil_poller_arm (self);
}

/* ------------------------------------------------------------------ */
/* Network                                                             */
/* ------------------------------------------------------------------ */

/* The server as people name it: the host, and the port when the address
 * gives one. */
static char *
server_host_of (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *host = uri ? g_uri_get_host (uri) : NULL;
  int port = uri ? g_uri_get_port (uri) : -1;
  gboolean ipv6 = host != NULL && strchr (host, ':') != NULL;

  if (host == NULL)
    return NULL;
  if (port < 0)
    return ipv6 ? g_strdup_printf ("[%s]", host) : g_strdup (host);
  return g_strdup_printf (ipv6 ? "[%s]:%d" : "%s:%d", host, port);
}

/* "localhost" (or *.localhost) or a loopback address. */
static gboolean
url_is_loopback (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GInetAddress) address = NULL;
  const char *host = uri ? g_uri_get_host (uri) : NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0 || g_str_has_suffix (host, ".localhost"))
    return TRUE;

  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

static void
set_all_tracking (VigilPoller        *self,
                  VigilTrackingState  state)
{
  GHashTableIter iter;
  Entry *entry;

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    vigil_job_set_tracking_state (entry->job, state);
}

static void
on_network_changed (GNetworkMonitor *monitor,
                    gboolean         available,
                    VigilPoller     *self)
{
  /* The system's monitor says "no network" without a default route, yet a
   * server on this machine answers all the same. */
  available = self->ignore_monitor || g_network_monitor_get_network_available (monitor);
  if (self->offline == !available)
    return;

  self->offline = !available;
  g_debug ("network %s", available ? "back: polling every job now" : "gone: polling paused");

  if (self->offline)
    set_all_tracking (self, VIGIL_TRACKING_STATE_OFFLINE);
  else
    {
      /* What failed before says little about the server now. */
      reset_health (self);
      resume_all (self);
    }

  vigil_poller_arm (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OFFLINE]);
}

static void
vigil_poller_set_network_monitor (VigilPoller     *self,
                                  GNetworkMonitor *monitor)
{
  self->ignore_monitor = monitor == NULL && self->client != NULL &&
                         url_is_loopback (vigil_api_client_get_base_url (self->client));
  if (monitor == NULL)
    monitor = g_network_monitor_get_default ();

  if (self->monitor == monitor)
    return;

  g_clear_signal_handler (&self->monitor_handler, self->monitor);
  g_set_object (&self->monitor, monitor);
  self->monitor_handler = g_signal_connect (monitor, "network-changed",
                                            G_CALLBACK (on_network_changed), self);
  on_network_changed (monitor, g_network_monitor_get_network_available (monitor), self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NETWORK_MONITOR]);
}

/* ------------------------------------------------------------------ */
/* GObject                                                             */
/* ------------------------------------------------------------------ */

static void
vigil_poller_constructed (GObject *object)
{
  VigilPoller *self = VIGIL_POLLER (object);

  G_OBJECT_CLASS (vigil_poller_parent_class)->constructed (object);

  if (self->client != NULL)
    {
      self->server_host = server_host_of (vigil_api_client_get_base_url (self->client));
      self->token_handler = g_signal_connect_swapped (self->client, "notify::token",
                                                      G_CALLBACK (vigil_poller_credentials_changed),
                                                      self);
      self->cookie_handler = g_signal_connect_swapped (self->client, "notify::cookie",
                                                       G_CALLBACK (vigil_poller_credentials_changed),
                                                       self);
    }
  if (self->monitor == NULL)
    vigil_poller_set_network_monitor (self, NULL);
}

static void
vigil_poller_dispose (GObject *object)
{
  VigilPoller *self = VIGIL_POLLER (object);

  g_cancellable_cancel (self->cancellable);
  vigil_poller_untrack_all (self);
  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }
  g_clear_signal_handler (&self->monitor_handler, self->monitor);
  g_clear_object (&self->monitor);
  g_clear_signal_handler (&self->token_handler, self->client);
  g_clear_signal_handler (&self->cookie_handler, self->client);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (vigil_poller_parent_class)->dispose (object);
}

static void
vigil_poller_finalize (GObject *object)
{
  VigilPoller *self = VIGIL_POLLER (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->server_host, g_free);
  g_clear_pointer (&self->last_error, g_free);
  g_clear_pointer (&self->rand, g_rand_free);
  g_clear_pointer (&self->entries, g_hash_table_unref);
  g_clear_pointer (&self->heap, g_ptr_array_unref);

  G_OBJECT_CLASS (vigil_poller_parent_class)->finalize (object);
}

static void
vigil_poller_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  VigilPoller *self = VIGIL_POLLER (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_TIME_SCALE:
      g_value_set_double (value, self->time_scale);
      break;
    case PROP_JITTER:
      g_value_set_double (value, self->jitter);
      break;
    case PROP_NETWORK_MONITOR:
      g_value_set_object (value, self->monitor);
      break;
    case PROP_N_TRACKED:
      g_value_set_uint (value, vigil_poller_get_n_tracked (self));
      break;
    case PROP_OFFLINE:
      g_value_set_boolean (value, self->offline);
      break;
    case PROP_SERVER_HEALTH:
      g_value_set_enum (value, self->health);
      break;
    case PROP_FAILING_SINCE:
      g_value_set_int64 (value, vigil_poller_get_failing_since (self));
      break;
    case PROP_RETRY_INTERVAL:
      g_value_set_uint (value, vigil_poller_get_retry_interval (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_poller_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  VigilPoller *self = VIGIL_POLLER (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    case PROP_TIME_SCALE:
      vigil_poller_set_time_scale (self, g_value_get_double (value));
      break;
    case PROP_JITTER:
      vigil_poller_set_jitter (self, g_value_get_double (value));
      break;
    case PROP_NETWORK_MONITOR:
      vigil_poller_set_network_monitor (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
vigil_poller_class_init (VigilPollerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = vigil_poller_constructed;
  object_class->dispose = vigil_poller_dispose;
  object_class->finalize = vigil_poller_finalize;
  object_class->get_property = vigil_poller_get_property;
  object_class->set_property = vigil_poller_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, VIGIL_TYPE_API_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIME_SCALE] =
    g_param_spec_double ("time-scale", NULL, NULL, 1e-6, 1e6, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_JITTER] =
    g_param_spec_double ("jitter", NULL, NULL, 0.0, 0.5, 0.10,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NETWORK_MONITOR] =
    g_param_spec_object ("network-monitor", NULL, NULL, G_TYPE_NETWORK_MONITOR,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_TRACKED] =
    g_param_spec_uint ("n-tracked", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_OFFLINE] =
    g_param_spec_boolean ("offline", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SERVER_HEALTH] =
    g_param_spec_enum ("server-health", NULL, NULL, VIGIL_TYPE_SERVER_HEALTH,
                       VIGIL_SERVER_HEALTH_OK, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FAILING_SINCE] =
    g_param_spec_int64 ("failing-since", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_RETRY_INTERVAL] =
    g_param_spec_uint ("retry-interval", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[JOB_FINISHED] =
    g_signal_new ("job-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, VIGIL_TYPE_JOB);
}

static void
vigil_poller_init (VigilPoller *self)
{
  self->cancellable = g_cancellable_new ();
  self->rand = g_rand_new ();
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                         (GDestroyNotify) entry_unref);
  self->heap = g_ptr_array_new ();
  self->settings = vigil_poll_settings_default ();
  self->background = vigil_poll_settings_background ();
  self->time_scale = 1.0;
  self->jitter = 0.10;
  self->probe_retry_after_ms = -1;
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

VigilPoller *
vigil_poller_new (VigilApiClient *client)
{
  g_return_val_if_fail (VIGIL_IS_API_CLIENT (client), NULL);

  return g_object_new (VIGIL_TYPE_POLLER, "client", client, NULL);
}

void
vigil_poller_set_settings (VigilPoller             *self,
                           const VigilPollSettings *settings)
{
  g_return_if_fail (VIGIL_IS_POLLER (self));
  g_return_if_fail (settings != NULL);

  self->settings = *settings;
  /* Background jobs keep their own gentler preset, never faster than these. */
  self->background = vigil_poll_settings_background ();
  self->background.initial_ms = MAX (self->background.initial_ms, settings->initial_ms);
  self->background.max_ms = MAX (self->background.max_ms, settings->max_ms);
}

void
vigil_poller_get_settings (VigilPoller       *self,
                           VigilPollSettings *settings)
{
  g_return_if_fail (VIGIL_IS_POLLER (self));
  g_return_if_fail (settings != NULL);

  *settings = self->settings;
}

void
vigil_poller_set_time_scale (VigilPoller *self,
                             double       time_scale)
{
  g_return_if_fail (VIGIL_IS_POLLER (self));
  g_return_if_fail (time_scale > 0);

  if (self->time_scale == time_scale)
    return;

  self->time_scale = time_scale;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIME_SCALE]);
}

double
vigil_poller_get_time_scale (VigilPoller *self)
{
  g_return_val_if_fail (VIGIL_IS_POLLER (self), 1.0);

  return self->time_scale;
}

void
vigil_poller_set_jitter (VigilPoller *self,
                         double       jitter)
{
  g_return_if_fail (VIGIL_IS_POLLER (self));

  if (self->jitter == jitter)
    return;

  self->jitter = jitter;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JITTER]);
}

void
vigil_poller_track (VigilPoller *self,
                    VigilJob    *job)
{
  Entry *entry;

  g_return_if_fail (VIGIL_IS_POLLER (self));
  g_return_if_fail (VIGIL_IS_JOB (job));

  if (g_hash_table_contains (self->entries, vigil_job_get_job_id (job)) ||
      vigil_job_get_is_finished (job))
    return;

  entry = g_rc_box_new0 (Entry);
  entry->poller = self;
  entry->job = g_object_ref (job);
  entry->job_id = g_strdup (vigil_job_get_job_id (job));
  entry->heap_index = G_MAXUINT;
  entry->tracked_since_us = g_get_monotonic_time ();
  entry->retry_after_ms = -1;
  entry->queued = vigil_job_get_server_state (job) == VIGIL_SERVER_STATE_QUEUED;
  entry->fresh = TRUE;
  g_hash_table_insert (self->entries, entry->job_id, entry);

  vigil_job_set_server_host (job, self->server_host);
  vigil_job_set_tracking_state (job, self->offline ? VIGIL_TRACKING_STATE_OFFLINE
                                                   : VIGIL_TRACKING_STATE_ACTIVE);
  /* It waits for the probe like every other job. */
  if (self->health != VIGIL_SERVER_HEALTH_OK)
    apply_server_trouble (self, entry);
  schedule_now (self, entry);
  vigil_poller_arm (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_TRACKED]);
}

static void
untrack_entry (VigilPoller *self,
               Entry       *entry)
{
  heap_remove (self, entry);
  /* Its answer will find entry->poller NULL and be ignored. A batch
   * request holds its slot until it answers. */
  if (entry->in_flight && !entry->in_batch)
    self->n_in_flight--;
  /* Its probe will never report: the next one goes out when due. */
  if (entry->probe)
    self->probing = FALSE;
  entry->probe = FALSE;
  entry->in_flight = FALSE;
  entry->poller = NULL;
  vigil_job_set_tracking_state (entry->job, VIGIL_TRACKING_STATE_STOPPED);
}

void
vigil_poller_untrack (VigilPoller *self,
                      VigilJob    *job)
{
  Entry *entry;

  g_return_if_fail (VIGIL_IS_POLLER (self));
  g_return_if_fail (VIGIL_IS_JOB (job));

  entry = g_hash_table_lookup (self->entries, vigil_job_get_job_id (job));
  if (entry == NULL)
    return;

  untrack_entry (self, entry);
  g_hash_table_remove (self->entries, vigil_job_get_job_id (job));
  if (g_hash_table_size (self->entries) == 0)
    reset_health (self);
  vigil_poller_arm (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_TRACKED]);
}

void
vigil_poller_untrack_all (VigilPoller *self)
{
  GHashTableIter iter;
  Entry *entry;

  g_return_if_fail (VIGIL_IS_POLLER (self));

  if (g_hash_table_size (self->entries) == 0)
    return;

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    {
      untrack_entry (self, entry);
      g_hash_table_iter_remove (&iter);
    }

  reset_health (self);
  vigil_poller_arm (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_TRACKED]);
}

void
vigil_poller_poll_now (VigilPoller *self,
                       VigilJob    *job)
{
  Entry *entry;

  g_return_if_fail (VIGIL_IS_POLLER (self));
  g_return_if_fail (VIGIL_IS_JOB (job));

  entry = g_hash_table_lookup (self->entries, vigil_job_get_job_id (job));
  if (entry == NULL || entry->in_flight)
    return;

  entry->errors = 0;
  schedule_now (self, entry);
  /* While the server is not OK, this asks it now: one probe. */
  if (self->health != VIGIL_SERVER_HEALTH_OK)
    self->probe_due_us = g_get_monotonic_time ();
  vigil_poller_arm (self);
}

void
vigil_poller_credentials_changed (VigilPoller *self)
{
  g_return_if_fail (VIGIL_IS_POLLER (self));

  if (self->health != VIGIL_SERVER_HEALTH_NOT_SIGNED_IN)
    return;

  g_debug ("credentials changed: asking server %s now", self->server_host);
  self->failed_probes = 0;
  self->probe_due_us = g_get_monotonic_time ();
  /* A probe already out carries the old ones: ask again when it is back. */
  self->recheck = self->probing;
  vigil_poller_arm (self);
}

VigilServerHealth
vigil_poller_get_server_health (VigilPoller *self)
{
  g_return_val_if_fail (VIGIL_IS_POLLER (self), VIGIL_SERVER_HEALTH_OK);

  return self->health;
}

gint64
vigil_poller_get_failing_since (VigilPoller *self)
{
  g_return_val_if_fail (VIGIL_IS_POLLER (self), 0);

  return self->health != VIGIL_SERVER_HEALTH_OK ? self->failing_since : 0;
}

guint
vigil_poller_get_retry_interval (VigilPoller *self)
{
  g_return_val_if_fail (VIGIL_IS_POLLER (self), 0);

  return self->health != VIGIL_SERVER_HEALTH_OK ? self->probe_delay_ms : 0;
}

gboolean
vigil_poller_is_tracking (VigilPoller *self,
                          VigilJob    *job)
{
  g_return_val_if_fail (VIGIL_IS_POLLER (self), FALSE);
  g_return_val_if_fail (VIGIL_IS_JOB (job), FALSE);

  return g_hash_table_contains (self->entries, vigil_job_get_job_id (job));
}

guint
vigil_poller_get_n_tracked (VigilPoller *self)
{
  g_return_val_if_fail (VIGIL_IS_POLLER (self), 0);

  return g_hash_table_size (self->entries);
}

gboolean
vigil_poller_get_offline (VigilPoller *self)
{
  g_return_val_if_fail (VIGIL_IS_POLLER (self), FALSE);

  return self->offline;
}

gboolean
vigil_poller_get_info (VigilPoller   *self,
                       VigilJob      *job,
                       VigilPollInfo *info)
{
  Entry *entry;
  gint64 now = g_get_monotonic_time ();

  g_return_val_if_fail (VIGIL_IS_POLLER (self), FALSE);
  g_return_val_if_fail (VIGIL_IS_JOB (job), FALSE);
  g_return_val_if_fail (info != NULL, FALSE);

  entry = g_hash_table_lookup (self->entries, vigil_job_get_job_id (job));
  if (entry == NULL)
    return FALSE;

  info->delay_ms = entry->delay_ms;
  info->reason = entry->reason;
  info->errors = entry->errors;
  info->tracked_for_s = (now - entry->tracked_since_us) / 1e6 / self->time_scale;
  info->next_poll_in_s = entry->heap_index == G_MAXUINT ? 0
                         : MAX (0, entry->due_us - now) / 1e6 / self->time_scale;
  info->requests = entry->requests;
  info->in_flight = entry->in_flight;
  return TRUE;
}

guint64
vigil_poller_get_total_requests (VigilPoller *self)
{
  g_return_val_if_fail (VIGIL_IS_POLLER (self), 0);

  return self->total_requests;
}

double
vigil_poller_get_average_delay (VigilPoller *self)
{
  g_return_val_if_fail (VIGIL_IS_POLLER (self), 0);

  return self->n_delays > 0 ? self->sum_delays / self->n_delays : 0;
}

guint
vigil_poller_get_n_timers (VigilPoller *self)
{
  g_return_val_if_fail (VIGIL_IS_POLLER (self), 0);

  return self->timer != NULL && g_source_get_ready_time (self->timer) >= 0 ? 1 : 0;
}

guint
vigil_poller_get_n_in_flight (VigilPoller *self)
{
  g_return_val_if_fail (VIGIL_IS_POLLER (self), 0);

  return self->n_in_flight;
}
