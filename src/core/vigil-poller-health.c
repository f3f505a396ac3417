/* vigil-poller-health.c — the server as a whole
 *
 * Every answer counts for the server, whichever job it was for. After
 * vigil_poll_policy_server_is_failing() failed requests in a row the server
 * is FAILING; a 401, a redirect or a sign-in page makes it NOT_SIGNED_IN.
 * While it is not OK no job is polled on its own: one probe (the earliest
 * due job's request) goes out at a time, spaced by
 * vigil_poll_policy_decide_probe(), and when it is answered every job is
 * polled at once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vigil-util-private.h"

#include "vigil-poller-private.h"

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
void
vigil_poller_apply_server_trouble (VigilPoller *self,
                                   PollerEntry *entry)
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
  PollerEntry *entry;

  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    vigil_poller_apply_server_trouble (self, entry);
  vigil_poller_notify (self, PROP_FAILING_SINCE);
  vigil_poller_notify (self, PROP_RETRY_INTERVAL);
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
  vigil_poller_notify (self, PROP_SERVER_HEALTH);
}

/* Back to OK without a word from the server (offline and back, nothing
 * tracked any more). */
void
vigil_poller_reset_health (VigilPoller *self)
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
      vigil_poller_notify (self, PROP_FAILING_SINCE);
      vigil_poller_notify (self, PROP_RETRY_INTERVAL);
    }
}

/* Every job's own trouble is forgotten and it is polled now. */
void
vigil_poller_resume_all (VigilPoller *self)
{
  GHashTableIter iter;
  PollerEntry *entry;

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
        vigil_poller_schedule_now (self, entry);
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
  vigil_poller_reset_health (self);
  vigil_poller_resume_all (self);
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
gboolean
vigil_poller_note_answer (VigilPoller  *self,
                          PollerEntry  *entry,
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
      vigil_poller_apply_server_trouble (self, entry);
      vigil_poller_schedule_now (self, entry);
    }
  return FALSE;
}

/* While the server is not OK: the earliest due job's request is the one
 * probe, sent when nothing else is in flight. */
void
vigil_poller_dispatch_probe (VigilPoller *self,
                             gint64       now)
{
  PollerEntry *entry;

  if (self->probing || self->n_in_flight > 0 || self->heap->len == 0 || now < self->probe_due_us)
    return;

  entry = vigil_poller_heap_pop (self->heap);
  entry->probe = TRUE;
  self->probing = TRUE;
  g_debug ("probe server %s with job %s", self->server_host, entry->job_id);
  vigil_poller_send_single (self, entry);
}
