/* vigil-poller-schedule.c — when each job is asked next: the poll
 * policy's delay for it, and the one timer, armed for the earliest due job
 * of the heap (or the server's probe)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vigil-poller-private.h"

typedef struct
{
  GSource      source;
  VigilPoller *poller;
} TimerSource;

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
void
vigil_poller_arm (VigilPoller *self)
{
  gint64 ready = -1;

  if (self->heap->len > 0 && !self->offline && self->n_in_flight < VIGIL_POLLER_MAX_IN_FLIGHT)
    {
      if (self->health == VIGIL_SERVER_HEALTH_OK)
        ready = vigil_poller_heap_peek (self->heap)->due_us;
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

gint64
vigil_poller_virtual_now_us (VigilPoller *self)
{
  return (gint64) (g_get_monotonic_time () / self->time_scale);
}

static double
job_age_seconds (VigilPoller *self,
                 PollerEntry *entry)
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
              PollerEntry *entry)
{
  if (vigil_job_get_kind (entry->job) == VIGIL_JOB_KIND_BACKGROUND)
    return &self->background;
  return &self->settings;
}

/* The job's tracking-state, and while its polls fail, since when and how
 * often they are retried. */
static void
apply_tracking (PollerEntry       *entry,
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

void
vigil_poller_schedule_next (VigilPoller *self,
                            PollerEntry *entry)
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
  vigil_poller_heap_schedule (self->heap, entry, g_get_monotonic_time () +
                              (gint64) (delay * 1000.0 * self->time_scale));

  g_debug ("poll %s in %u ms (%s%s; fraction %.2f, eta %.1f s)", entry->job_id, delay,
           vigil_poll_reason_to_string (decision.reason),
           entry->confirm ? ", confirm with job status" : "", input.fraction, input.eta_seconds);
}

void
vigil_poller_schedule_now (VigilPoller *self,
                           PollerEntry *entry)
{
  vigil_poller_heap_schedule (self->heap, entry, g_get_monotonic_time ());
}
