/* vigil-poll-policy.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "vigil-poll-policy.h"

#define YOUNG_JOB_SECONDS      10.0
#define MIDDLE_FRACTION        0.10
#define FINAL_FRACTION         0.90
#define FINAL_APPROACH_SLACK_MS 250.0
/* Under 10 % with an ETA: one poll per percent of the job, at most this
 * many initial_ms apart (the middle's pace) */
#define EARLY_MAX_FACTOR       3.0
/* A background job's final approach may come this soon, below its floor. */
#define BACKGROUND_FINAL_APPROACH_MIN_MS 1000

/* ------------------------------------------------------------------ */
/* Settings                                                            */
/* ------------------------------------------------------------------ */

static VigilPollSettings
make_settings (guint  initial_ms,
               guint  max_ms,
               guint  max_retries,
               double multiplier)
{
  VigilPollSettings settings = { initial_ms, max_ms, max_retries, multiplier };

  return settings;
}

VigilPollSettings
vigil_poll_settings_default (void)
{
  return make_settings (1000, 5000, 3, 2.0);
}

VigilPollSettings
vigil_poll_settings_production (void)
{
  return make_settings (3000, 15000, 5, 1.5);
}

VigilPollSettings
vigil_poll_settings_background (void)
{
  return make_settings (5000, 30000, 3, 2.0);
}

void
vigil_poll_input_init (VigilPollInput *input)
{
  g_return_if_fail (input != NULL);

  input->age_seconds = 0;
  input->fraction = VIGIL_UNKNOWN;
  input->kind = VIGIL_JOB_KIND_UNKNOWN;
  input->queued = FALSE;
  input->errors = 0;
  input->eta_seconds = VIGIL_UNKNOWN;
  input->retry_after_ms = -1;
  input->overdue = FALSE;
}

const char *
vigil_poll_reason_to_string (VigilPollReason reason)
{
  static const char * const names[] = {
    [VIGIL_POLL_REASON_INITIAL] = "initial",
    [VIGIL_POLL_REASON_MIDDLE] = "middle",
    [VIGIL_POLL_REASON_MIDDLE_ETA] = "middle-eta",
    [VIGIL_POLL_REASON_FINAL] = "final",
    [VIGIL_POLL_REASON_BACKGROUND] = "background",
    [VIGIL_POLL_REASON_QUEUED] = "queued",
    [VIGIL_POLL_REASON_BACKOFF] = "backoff",
    [VIGIL_POLL_REASON_STALLED] = "stalled",
    [VIGIL_POLL_REASON_FINAL_APPROACH] = "final-approach",
    [VIGIL_POLL_REASON_RETRY_AFTER] = "retry-after",
    [VIGIL_POLL_REASON_PROBE] = "probe",
    [VIGIL_POLL_REASON_SIGN_IN] = "sign-in",
    [VIGIL_POLL_REASON_EARLY_ETA] = "early-eta",
    [VIGIL_POLL_REASON_LEAD_IN] = "lead-in",
  };

  if ((guint) reason >= G_N_ELEMENTS (names))
    return "unknown";

  return names[reason];
}

/* ------------------------------------------------------------------ */
/* The rules                                                           */
/* ------------------------------------------------------------------ */

static VigilPollSettings
sanitize (const VigilPollSettings *settings)
{
  VigilPollSettings s = *settings;

  s.initial_ms = MAX (s.initial_ms, 1);
  s.max_ms = MAX (s.max_ms, s.initial_ms);
  /* also catches NaN */
  if (!(s.multiplier >= 1.0))
    s.multiplier = 1.0;

  return s;
}

static guint
cap_ms (double   delay_ms,
        guint    max_ms)
{
  if (!(delay_ms < max_ms))
    return max_ms;

  return (guint) delay_ms;
}

static gboolean
is_known (double value)
{
  return value >= 0 && isfinite (value);
}

/* The server tells the job's pace: a running job with a fraction and an
 * ETA. */
static gboolean
has_pace (const VigilPollInput *in)
{
  return !in->queued && is_known (in->fraction) && is_known (in->eta_seconds);
}

static void
decide_progress (const VigilPollSettings *s,
                 const VigilPollInput    *in,
                 VigilPollDecision       *out)
{
  gboolean young, paced;
  double factor;

  g_assert (s != NULL && in != NULL && out != NULL);

  /* The first 10 s are polled every second for a job that may end within
   * seconds; once the server tells its pace, the final approach catches
   * that end on time, so a young job past 10 % is polled as the middle. */
  paced = has_pace (in);
  young = in->age_seconds >= 0 && in->age_seconds < YOUNG_JOB_SECONDS && !paced;
  if (paced && in->fraction < MIDDLE_FRACTION)
    {
      /* one poll per percent of the job, so that something can have
       * changed: every second for a 100 s job, every 3 s for longer ones */
      double percent_ms = in->eta_seconds * 1000.0 / (100.0 * (1.0 - in->fraction));

      factor = CLAMP (percent_ms / s->initial_ms, 1.0, EARLY_MAX_FACTOR);
      out->reason = factor > 1.0 ? VIGIL_POLL_REASON_EARLY_ETA : VIGIL_POLL_REASON_INITIAL;
    }
  else if (young || !is_known (in->fraction) || in->fraction < MIDDLE_FRACTION)
    {
      factor = 1;
      out->reason = VIGIL_POLL_REASON_INITIAL;
    }
  else if (in->fraction < FINAL_FRACTION && paced)
    {
      /* the contract's 2–3 s: the slower, since the end is timed by the ETA */
      factor = 3;
      out->reason = VIGIL_POLL_REASON_MIDDLE_ETA;
    }
  else if (in->fraction < FINAL_FRACTION)
    {
      factor = 2;
      out->reason = VIGIL_POLL_REASON_MIDDLE;
    }
  else
    {
      factor = 5;
      out->reason = VIGIL_POLL_REASON_FINAL;
    }

  out->delay_ms = cap_ms (factor * s->initial_ms, s->max_ms);
}

static gboolean
is_young (double age_seconds)
{
  return age_seconds >= 0 && age_seconds < 10.0;
}

static void
decide_queued (const VigilPollSettings *s,
               VigilPollDecision       *out)
{
  guint delay;

  g_assert (s != NULL && out != NULL);

  delay = MAX (VIGIL_POLL_QUEUED_MS, s->initial_ms);
  out->delay_ms = MIN (delay, s->max_ms);
  out->reason = VIGIL_POLL_REASON_QUEUED;
}

/* The server answers other requests: this job's failure is its own bad
 * luck, so retry soon, however often it happened (with a fifth of all
 * requests failing at random, six in a row for one of a few dozen jobs is
 * no rarity). Backing off is the server's business: when it fails as a
 * whole, the poller probes it instead of asking this. */
static void
decide_errors (const VigilPollSettings *s,
               guint                    errors,
               VigilPollDecision       *out)
{
  g_assert (s != NULL && out != NULL);
  g_assert (errors > 0);

  out->delay_ms = MIN (out->delay_ms, VIGIL_POLL_ERROR_RETRY_MS);
  if (errors >= s->max_retries)
    {
      out->reason = VIGIL_POLL_REASON_STALLED;
      out->stalled = TRUE;
      out->tracking = VIGIL_POLL_TRACKING_STALLED;
      return;
    }

  out->reason = VIGIL_POLL_REASON_BACKOFF;
  out->tracking = VIGIL_POLL_TRACKING_RETRYING;
}

static void
decide_final_approach (const VigilPollSettings *s,
                       const VigilPollInput    *in,
                       VigilPollDecision       *out)
{
  double eta_ms;
  double delay;
  double min_ms = s->initial_ms;

  g_assert (s != NULL && in != NULL && out != NULL);

  if (!is_known (in->eta_seconds))
    return;

  eta_ms = in->eta_seconds * 1000.0;
  if (!(eta_ms < out->delay_ms))
    return;

  if (in->kind == VIGIL_JOB_KIND_BACKGROUND)
    min_ms = MIN (min_ms, BACKGROUND_FINAL_APPROACH_MIN_MS);
  delay = MAX (eta_ms + FINAL_APPROACH_SLACK_MS, min_ms);
  if (delay < out->delay_ms)
    {
      out->delay_ms = (guint) ceil (delay);
      out->reason = VIGIL_POLL_REASON_FINAL_APPROACH;
    }
}

/* With a pace, the end is approached in two steps: when the job should end
 * before the poll after next, the next poll (the lead-in) lands a short
 * final approach's length before the predicted end, and the final approach
 * from there is short, so the jitter moves it little, and it never lands
 * so close to the end that it must wait initial_ms. When the end comes
 * before even a lead-in, the final approach starts now. */
static void
decide_lead_in (const VigilPollSettings *s,
                const VigilPollInput    *in,
                VigilPollDecision       *out)
{
  double eta_ms, lead_ms;

  g_assert (s != NULL && in != NULL && out != NULL);

  eta_ms = in->eta_seconds * 1000.0;
  lead_ms = s->initial_ms + FINAL_APPROACH_SLACK_MS;
  if (!(eta_ms < out->delay_ms + lead_ms))
    return;

  if (eta_ms - lead_ms >= s->initial_ms)
    {
      out->delay_ms = (guint) floor (eta_ms - lead_ms);
      out->reason = VIGIL_POLL_REASON_LEAD_IN;
    }
  else
    {
      out->delay_ms = (guint) ceil (MAX (eta_ms + FINAL_APPROACH_SLACK_MS, s->initial_ms));
      out->reason = VIGIL_POLL_REASON_FINAL_APPROACH;
    }
}

static void
apply_floor (guint              floor_ms,
             VigilPollReason    reason,
             VigilPollDecision *out)
{
  if (out->delay_ms < floor_ms)
    {
      out->delay_ms = floor_ms;
      out->reason = reason;
    }
}

/* The contract's "5 s: … background/admin jobs": not more often, and not
 * less often either, or an end would be reported up to 25 s late. */
static void
apply_pace (guint              pace_ms,
            VigilPollReason    reason,
            VigilPollDecision *out)
{
  if (out->delay_ms != pace_ms)
    {
      out->delay_ms = pace_ms;
      out->reason = reason;
    }
}

VigilPollDecision
vigil_poll_policy_decide (const VigilPollSettings *settings,
                          const VigilPollInput    *input)
{
  VigilPollDecision out = { 0, VIGIL_POLL_REASON_INITIAL, FALSE, VIGIL_POLL_TRACKING_OK };
  VigilPollSettings s;

  g_return_val_if_fail (settings != NULL, out);
  g_return_val_if_fail (input != NULL, out);

  s = sanitize (settings);

  /* "1 s: the first 10 s of any job" — a queued one too: a HIGH priority
   * job is usually picked up at once and may well end within seconds. */
  if (input->queued && !is_young (input->age_seconds))
    decide_queued (&s, &out);
  else
    decide_progress (&s, input, &out);

  if (input->kind == VIGIL_JOB_KIND_BACKGROUND)
    apply_pace (VIGIL_POLL_BACKGROUND_FLOOR_MS, VIGIL_POLL_REASON_BACKGROUND, &out);

  /* A retry and the poll at the predicted end are one request each: they
   * need not wait for a background job's gentle pace. A background job
   * still running after its final approach waits for the pace again. */
  if (input->errors > 0)
    decide_errors (&s, input->errors, &out);
  else if (has_pace (input) && input->kind != VIGIL_JOB_KIND_BACKGROUND)
    decide_lead_in (&s, input, &out);
  else if (!input->queued && !(input->kind == VIGIL_JOB_KIND_BACKGROUND && input->overdue))
    decide_final_approach (&s, input, &out);

  if (input->retry_after_ms > 0)
    apply_floor (MIN (input->retry_after_ms, VIGIL_POLL_RETRY_AFTER_LIMIT_MS),
                 VIGIL_POLL_REASON_RETRY_AFTER, &out);

  return out;
}

/* ------------------------------------------------------------------ */
/* The server as a whole                                               */
/* ------------------------------------------------------------------ */

gboolean
vigil_poll_policy_server_is_failing (const VigilPollSettings *settings,
                                     guint                    failures)
{
  g_return_val_if_fail (settings != NULL, FALSE);

  return failures >= MAX (VIGIL_POLL_SERVER_FAILURES, settings->max_retries);
}

VigilPollDecision
vigil_poll_policy_decide_probe (const VigilPollSettings *settings,
                                VigilServerHealth        health,
                                guint                    failed_probes,
                                gint64                   retry_after_ms)
{
  VigilPollDecision out = { 0, VIGIL_POLL_REASON_PROBE, TRUE, VIGIL_POLL_TRACKING_SERVER_FAILING };
  VigilPollSettings s;

  g_return_val_if_fail (settings != NULL, out);
  g_return_val_if_fail (health != VIGIL_SERVER_HEALTH_OK, out);

  s = sanitize (settings);

  if (health == VIGIL_SERVER_HEALTH_NOT_SIGNED_IN)
    {
      out.delay_ms = cap_ms (VIGIL_POLL_SIGN_IN_PROBE_MS * pow (2.0, failed_probes),
                             VIGIL_POLL_SIGN_IN_PROBE_MAX_MS);
      out.reason = VIGIL_POLL_REASON_SIGN_IN;
      out.tracking = VIGIL_POLL_TRACKING_NOT_SIGNED_IN;
    }
  else
    out.delay_ms = cap_ms (VIGIL_POLL_ERROR_RETRY_MS * pow (s.multiplier, failed_probes),
                           MAX (s.max_ms, VIGIL_POLL_ERROR_RETRY_MS));

  if (retry_after_ms > 0)
    apply_floor (MIN (retry_after_ms, VIGIL_POLL_RETRY_AFTER_LIMIT_MS),
                 VIGIL_POLL_REASON_RETRY_AFTER, &out);

  return out;
}

/* ------------------------------------------------------------------ */
/* Jitter                                                              */
/* ------------------------------------------------------------------ */

guint
vigil_poll_policy_jitter (guint   delay_ms,
                          double  amount,
                          GRand  *rand)
{
  double offset;
  double jittered;

  /* also catches NaN */
  if (!(amount > 0) || delay_ms == 0)
    return delay_ms;

  amount = MIN (amount, 1.0);
  if (rand != NULL)
    offset = g_rand_double_range (rand, -amount, amount);
  else
    offset = g_random_double_range (-amount, amount);

  jittered = round (delay_ms * (1.0 + offset));
  return (guint) CLAMP (jittered, 0.0, (double) G_MAXUINT);
}
