/* test-poll-policy.c — the next-poll delay, rule by rule and at every
 * boundary; jitter; Retry-After parsing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <string.h>

#include "vigil-poll-policy.h"

/* A running job past its first 10 s. */
static VigilPollInput
running (double fraction)
{
  VigilPollInput in;

  vigil_poll_input_init (&in);
  in.age_seconds = 30;
  in.fraction = fraction;
  return in;
}

static void
assert_decision (const VigilPollSettings *s,
                 const VigilPollInput    *in,
                 guint                    delay_ms,
                 VigilPollReason          reason)
{
  VigilPollDecision d = vigil_poll_policy_decide (s, in);

  if (d.delay_ms != delay_ms || d.reason != reason)
    g_error ("age %.2f fraction %.4f eta %.2f errors %u queued %d kind %d: "
             "got %u ms (%s), expected %u ms (%s)",
             in->age_seconds, in->fraction, in->eta_seconds, in->errors, in->queued, in->kind,
             d.delay_ms, vigil_poll_reason_to_string (d.reason),
             delay_ms, vigil_poll_reason_to_string (reason));
}

static void
test_presets (void)
{
  VigilPollSettings s = vigil_poll_settings_default ();

  g_assert_cmpuint (s.initial_ms, ==, 1000);
  g_assert_cmpuint (s.max_ms, ==, 5000);
  g_assert_cmpuint (s.max_retries, ==, 3);
  g_assert_cmpfloat (s.multiplier, ==, 2.0);

  s = vigil_poll_settings_production ();
  g_assert_cmpuint (s.initial_ms, ==, 3000);
  g_assert_cmpuint (s.max_ms, ==, 15000);
  g_assert_cmpuint (s.max_retries, ==, 5);
  g_assert_cmpfloat (s.multiplier, ==, 1.5);

  s = vigil_poll_settings_background ();
  g_assert_cmpuint (s.initial_ms, ==, 5000);
  g_assert_cmpuint (s.max_ms, ==, 30000);
  g_assert_cmpuint (s.max_retries, ==, 3);
  g_assert_cmpfloat (s.multiplier, ==, 2.0);
}

static void
test_input_defaults (void)
{
  VigilPollInput in;

  memset (&in, 0xff, sizeof in);
  vigil_poll_input_init (&in);
  g_assert_cmpfloat (in.age_seconds, ==, 0);
  g_assert_cmpfloat (in.fraction, ==, VIGIL_UNKNOWN);
  g_assert_cmpint (in.kind, ==, VIGIL_JOB_KIND_UNKNOWN);
  g_assert_false (in.queued);
  g_assert_cmpuint (in.errors, ==, 0);
  g_assert_cmpfloat (in.eta_seconds, ==, VIGIL_UNKNOWN);
  g_assert_cmpint (in.retry_after_ms, ==, -1);
  g_assert_false (in.overdue);
}

static void
test_young_job (void)
{
  VigilPollSettings s = vigil_poll_settings_default ();
  VigilPollInput in = running (0.5);
  VigilPollDecision d;

  in.age_seconds = 0;
  assert_decision (&s, &in, 1000, VIGIL_POLL_REASON_INITIAL);
  in.age_seconds = 9.99;
  assert_decision (&s, &in, 1000, VIGIL_POLL_REASON_INITIAL);
  in.age_seconds = 10;
  assert_decision (&s, &in, 2000, VIGIL_POLL_REASON_MIDDLE);
  /* an unknown age is not "young" */
  in.age_seconds = VIGIL_UNKNOWN;
  assert_decision (&s, &in, 2000, VIGIL_POLL_REASON_MIDDLE);

  d = vigil_poll_policy_decide (&s, &in);
  g_assert_false (d.stalled);
  g_assert_cmpint (d.tracking, ==, VIGIL_POLL_TRACKING_OK);
}

static void
test_fraction_boundaries (void)
{
  VigilPollSettings s = vigil_poll_settings_default ();
  struct { double fraction; guint delay; VigilPollReason reason; } cases[] = {
    { VIGIL_UNKNOWN, 1000, VIGIL_POLL_REASON_INITIAL },
    { NAN, 1000, VIGIL_POLL_REASON_INITIAL },
    { 0.0, 1000, VIGIL_POLL_REASON_INITIAL },
    { 0.0999, 1000, VIGIL_POLL_REASON_INITIAL },
    { 0.10, 2000, VIGIL_POLL_REASON_MIDDLE },
    { 0.5, 2000, VIGIL_POLL_REASON_MIDDLE },
    { 0.8999, 2000, VIGIL_POLL_REASON_MIDDLE },
    { 0.90, 5000, VIGIL_POLL_REASON_FINAL },
    { 1.0, 5000, VIGIL_POLL_REASON_FINAL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      VigilPollInput in = running (cases[i].fraction);

      assert_decision (&s, &in, cases[i].delay, cases[i].reason);
    }
}

/* With a pace (fraction and ETA known), the middle is polled at the
 * contract's slower 3 s: its end is timed by the ETA. */
static void
test_paced_middle (void)
{
  VigilPollSettings s = vigil_poll_settings_default ();
  VigilPollInput in = running (0.5);

  in.eta_seconds = 60;
  assert_decision (&s, &in, 3000, VIGIL_POLL_REASON_MIDDLE_ETA);
  in.eta_seconds = 600;
  assert_decision (&s, &in, 3000, VIGIL_POLL_REASON_MIDDLE_ETA);
  /* only between 10 % and 90 % */
  in.fraction = 0.95;
  assert_decision (&s, &in, 5000, VIGIL_POLL_REASON_FINAL);
  /* a queued job has no pace */
  in.fraction = 0.5;
  in.queued = TRUE;
  in.age_seconds = 5;
  assert_decision (&s, &in, 1000, VIGIL_POLL_REASON_INITIAL);
}

/* Under 10 % with a pace: a poll per percent of the job, between 1 and 3 s */
static void
test_paced_early (void)
{
  VigilPollSettings s = vigil_poll_settings_default ();
  VigilPollSettings production = vigil_poll_settings_production ();
  VigilPollInput in = running (0.0);

  /* 100 s left: a percent a second */
  in.eta_seconds = 100;
  assert_decision (&s, &in, 1000, VIGIL_POLL_REASON_INITIAL);
  /* a 60 s job: still every second (never faster) */
  in.eta_seconds = 60;
  assert_decision (&s, &in, 1000, VIGIL_POLL_REASON_INITIAL);
  /* 200 s left: 2 s */
  in.eta_seconds = 200;
  assert_decision (&s, &in, 2000, VIGIL_POLL_REASON_EARLY_ETA);
  /* half done with the first 10 %: the percent is of what is left */
  in.fraction = 0.05;
  in.eta_seconds = 190;
  assert_decision (&s, &in, 2000, VIGIL_POLL_REASON_EARLY_ETA);
  /* a 30 min job: the middle's pace at most */
  in.fraction = 0.0;
  in.eta_seconds = 1800;
  assert_decision (&s, &in, 3000, VIGIL_POLL_REASON_EARLY_ETA);
  assert_decision (&production, &in, 9000, VIGIL_POLL_REASON_EARLY_ETA);
  /* no ETA: the contract's 1 s */
  in.eta_seconds = VIGIL_UNKNOWN;
  assert_decision (&s, &in, 1000, VIGIL_POLL_REASON_INITIAL);
}

/* The first 10 s at 1 s are for jobs without a pace; a young job with one
 * is polled by its fraction, and its end by the ETA. */
static void
test_paced_young_job (void)
{
  VigilPollSettings s = vigil_poll_settings_default ();
  VigilPollInput in = running (0.2);

  in.age_seconds = 2;
  assert_decision (&s, &in, 1000, VIGIL_POLL_REASON_INITIAL);
  in.eta_seconds = 8;
  assert_decision (&s, &in, 3000, VIGIL_POLL_REASON_MIDDLE_ETA);
  /* a 10 s job, 4 s in: the end comes before the poll after next */
  in.age_seconds = 4;
  in.fraction = 0.4;
  in.eta_seconds = 6;
  assert_decision (&s, &in, 3000, VIGIL_POLL_REASON_MIDDLE_ETA);
  in.eta_seconds = 4;
  assert_decision (&s, &in, 2750, VIGIL_POLL_REASON_LEAD_IN);
}

/* The lead-in: the poll before the end lands 1.25 s before it, so that the
 * final approach is 1.5 s long (jitter ±0.15 s), never 3–5 s (±0.3–0.5 s:
 * early, it would find the job running and wait a second more). */
static void
test_lead_in (void)
{
  VigilPollSettings s = vigil_poll_settings_default ();
  VigilPollSettings production = vigil_poll_settings_production ();
  VigilPollInput in = running (0.95);

  /* the end after the poll after next: the regular pace */
  in.eta_seconds = 6.25;
  assert_decision (&s, &in, 5000, VIGIL_POLL_REASON_FINAL);
  /* before it: a lead-in, which may stretch the pace up to max_ms */
  in.eta_seconds = 6.2;
  assert_decision (&s, &in, 4950, VIGIL_POLL_REASON_LEAD_IN);
  in.eta_seconds = 4.0;
  assert_decision (&s, &in, 2750, VIGIL_POLL_REASON_LEAD_IN);
  in.eta_seconds = 2.25;
  assert_decision (&s, &in, 1000, VIGIL_POLL_REASON_LEAD_IN);
  /* sooner than initial_ms: the final approach now */
  in.eta_seconds = 2.2;
  assert_decision (&s, &in, 2450, VIGIL_POLL_REASON_FINAL_APPROACH);
  in.eta_seconds = 1.25;
  assert_decision (&s, &in, 1500, VIGIL_POLL_REASON_FINAL_APPROACH);
  /* never sooner than initial_ms */
  in.eta_seconds = 0.1;
  assert_decision (&s, &in, 1000, VIGIL_POLL_REASON_FINAL_APPROACH);
  in.eta_seconds = 0.5;
  assert_decision (&production, &in, 3000, VIGIL_POLL_REASON_FINAL_APPROACH);
  /* with the production preset's 3 s the lead is 3.25 s */
  in.eta_seconds = 10;
  assert_decision (&production, &in, 6750, VIGIL_POLL_REASON_LEAD_IN);

  /* in the middle too */
  in = running (0.5);
  in.eta_seconds = 3;
  assert_decision (&s, &in, 1750, VIGIL_POLL_REASON_LEAD_IN);

  /* not for background jobs (their pace is fixed), queued ones or retries */
  in.kind = VIGIL_JOB_KIND_BACKGROUND;
  assert_decision (&s, &in, 3250, VIGIL_POLL_REASON_FINAL_APPROACH);
  in.kind = VIGIL_JOB_KIND_PLAYLIST;
  in.errors = 1;
  assert_decision (&s, &in, 1000, VIGIL_POLL_REASON_BACKOFF);
  in.errors = 0;
  in.queued = TRUE;
  assert_decision (&s, &in, 5000, VIGIL_POLL_REASON_QUEUED);
}

static void
test_cap (void)
{
  VigilPollSettings s = { 2000, 5000, 3, 2.0 };
  VigilPollInput in = running (0.95);

  assert_decision (&s, &in, 5000, VIGIL_POLL_REASON_FINAL);
  in = running (0.5);
  in.eta_seconds = 120;
  assert_decision (&s, &in, 5000, VIGIL_POLL_REASON_MIDDLE_ETA);
  in.eta_seconds = VIGIL_UNKNOWN;
  assert_decision (&s, &in, 4000, VIGIL_POLL_REASON_MIDDLE);
}

static void
test_production_preset (void)
{
  VigilPollSettings s = vigil_poll_settings_production ();
  VigilPollInput in = running (0.05);

  assert_decision (&s, &in, 3000, VIGIL_POLL_REASON_INITIAL);
  in.fraction = 0.5;
  assert_decision (&s, &in, 6000, VIGIL_POLL_REASON_MIDDLE);
  in.eta_seconds = 120;
  assert_decision (&s, &in, 9000, VIGIL_POLL_REASON_MIDDLE_ETA);
  in.fraction = 0.95;
  assert_decision (&s, &in, 15000, VIGIL_POLL_REASON_FINAL);
}

static void
test_background_preset (void)
{
  VigilPollSettings s = vigil_poll_settings_background ();
  VigilPollInput in = running (0.05);

  /* "5 s: … background/admin jobs": the preset's factors would say 10, 15
   * and 25 s, and an end would be reported that late (issue 9, item 11). */
  in.kind = VIGIL_JOB_KIND_BACKGROUND;
  assert_decision (&s, &in, 5000, VIGIL_POLL_REASON_INITIAL);
  in.fraction = 0.5;
  assert_decision (&s, &in, 5000, VIGIL_POLL_REASON_BACKGROUND);
  in.eta_seconds = 3600;
  assert_decision (&s, &in, 5000, VIGIL_POLL_REASON_BACKGROUND);
  in.fraction = 0.95;
  assert_decision (&s, &in, 5000, VIGIL_POLL_REASON_BACKGROUND);
}

static void
test_background_floor (void)
{
  VigilPollSettings s = vigil_poll_settings_default ();
  VigilPollSettings tight = { 500, 2000, 3, 2.0 };
  VigilPollInput in = running (0.05);

  in.kind = VIGIL_JOB_KIND_BACKGROUND;
  assert_decision (&s, &in, 5000, VIGIL_POLL_REASON_BACKGROUND);
  in.fraction = 0.5;
  assert_decision (&s, &in, 5000, VIGIL_POLL_REASON_BACKGROUND);
  /* 5 × 1000 already meets the floor */
  in.fraction = 0.95;
  assert_decision (&s, &in, 5000, VIGIL_POLL_REASON_FINAL);
  /* the floor holds for any settings, above max_ms too */
  assert_decision (&tight, &in, 5000, VIGIL_POLL_REASON_BACKGROUND);
  /* but not for the poll at the predicted end (issue 9, item 11) … */
  in.eta_seconds = 1;
  assert_decision (&s, &in, 1250, VIGIL_POLL_REASON_FINAL_APPROACH);
  assert_decision (&tight, &in, 1250, VIGIL_POLL_REASON_FINAL_APPROACH);
  /* … once: a job still running after it is polled at the floor again */
  in.overdue = TRUE;
  assert_decision (&s, &in, 5000, VIGIL_POLL_REASON_FINAL);
  assert_decision (&tight, &in, 5000, VIGIL_POLL_REASON_BACKGROUND);
  in.overdue = FALSE;
  /* nor for retries */
  in.eta_seconds = VIGIL_UNKNOWN;
  in.errors = 1;
  assert_decision (&s, &in, VIGIL_POLL_ERROR_RETRY_MS, VIGIL_POLL_REASON_BACKOFF);
  in.errors = 0;

  /* other kinds have no floor */
  in.eta_seconds = 1;
  in.kind = VIGIL_JOB_KIND_PLAYLIST;
  assert_decision (&s, &in, 1250, VIGIL_POLL_REASON_FINAL_APPROACH);
  /* and no "once": overdue or not, their final approach is the same */
  in.overdue = TRUE;
  assert_decision (&s, &in, 1250, VIGIL_POLL_REASON_FINAL_APPROACH);
}

/* The background preset starts at 5 s: its final approach may come sooner,
 * at 1 s, as for any other job. */
static void
test_background_final_approach (void)
{
  VigilPollSettings s = vigil_poll_settings_background ();
  VigilPollInput in = running (0.5);

  in.kind = VIGIL_JOB_KIND_BACKGROUND;
  in.eta_seconds = 2;
  assert_decision (&s, &in, 2250, VIGIL_POLL_REASON_FINAL_APPROACH);
  in.eta_seconds = 0;
  assert_decision (&s, &in, 1000, VIGIL_POLL_REASON_FINAL_APPROACH);
  in.eta_seconds = 4.9;
  assert_decision (&s, &in, 5000, VIGIL_POLL_REASON_BACKGROUND);
  in.eta_seconds = 2;
  in.overdue = TRUE;
  assert_decision (&s, &in, 5000, VIGIL_POLL_REASON_BACKGROUND);
}

static void
test_queued (void)
{
  VigilPollSettings s = vigil_poll_settings_default ();
  VigilPollSettings production = vigil_poll_settings_production ();
  VigilPollSettings low_max = { 1000, 3000, 3, 2.0 };
  VigilPollSettings slow = { 8000, 20000, 3, 2.0 };
  VigilPollInput in;

  vigil_poll_input_init (&in);
  in.queued = TRUE;
  /* the first 10 s of any job, queued or not: initial */
  in.age_seconds = 9.99;
  assert_decision (&s, &in, 1000, VIGIL_POLL_REASON_INITIAL);
  in.age_seconds = 10;
  assert_decision (&s, &in, 5000, VIGIL_POLL_REASON_QUEUED);
  assert_decision (&production, &in, 5000, VIGIL_POLL_REASON_QUEUED);
  /* capped by the caller's max … */
  assert_decision (&low_max, &in, 3000, VIGIL_POLL_REASON_QUEUED);
  /* … never sooner than initial */
  assert_decision (&slow, &in, 8000, VIGIL_POLL_REASON_QUEUED);

  /* a queued job has no meaningful ETA: no final approach */
  in.eta_seconds = 0.5;
  assert_decision (&s, &in, 5000, VIGIL_POLL_REASON_QUEUED);

  /* the background floor still holds */
  in.kind = VIGIL_JOB_KIND_BACKGROUND;
  assert_decision (&low_max, &in, 5000, VIGIL_POLL_REASON_BACKGROUND);
}

/* A job's own failed poll, while its server answers others, is retried
 * soon: one unlucky 500 must not push its next poll out, and the backoff
 * belongs to the server (issue 9, item 11). */
static void
test_error_retry (void)
{
  VigilPollSettings s = vigil_poll_settings_default ();
  VigilPollInput in;
  VigilPollDecision d;

  vigil_poll_input_init (&in);
  assert_decision (&s, &in, 1000, VIGIL_POLL_REASON_INITIAL);

  in.errors = 1;
  assert_decision (&s, &in, 1000, VIGIL_POLL_REASON_BACKOFF);
  d = vigil_poll_policy_decide (&s, &in);
  g_assert_cmpint (d.tracking, ==, VIGIL_POLL_TRACKING_RETRYING);
  g_assert_false (d.stalled);

  in.errors = 2;
  assert_decision (&s, &in, 1000, VIGIL_POLL_REASON_BACKOFF);
  d = vigil_poll_policy_decide (&s, &in);
  g_assert_cmpint (d.tracking, ==, VIGIL_POLL_TRACKING_RETRYING);

  /* later in a job, and near its end: no doubling */
  in = running (0.5);
  in.errors = 2;
  assert_decision (&s, &in, VIGIL_POLL_ERROR_RETRY_MS, VIGIL_POLL_REASON_BACKOFF);
  in = running (0.95);
  in.errors = 2;
  assert_decision (&s, &in, VIGIL_POLL_ERROR_RETRY_MS, VIGIL_POLL_REASON_BACKOFF);

  /* no final approach while erroring */
  in.eta_seconds = 0.2;
  in.errors = 1;
  assert_decision (&s, &in, VIGIL_POLL_ERROR_RETRY_MS, VIGIL_POLL_REASON_BACKOFF);

  /* a normal pace faster than the retry is kept */
  {
    VigilPollSettings fast = { 200, 1000, 3, 2.0 };

    in = running (0.05);
    in.errors = 1;
    assert_decision (&fast, &in, 200, VIGIL_POLL_REASON_BACKOFF);
  }
}

/* The production preset (3 s / 15 s, 1.5×) and background jobs retry as
 * soon: their slower pace is for jobs that answer. */
static void
test_error_retry_presets (void)
{
  VigilPollSettings production = vigil_poll_settings_production ();
  VigilPollSettings background = vigil_poll_settings_background ();
  VigilPollInput in;

  vigil_poll_input_init (&in);
  for (guint errors = 1; errors < 5; errors++)
    {
      in.errors = errors;
      assert_decision (&production, &in, VIGIL_POLL_ERROR_RETRY_MS, VIGIL_POLL_REASON_BACKOFF);
    }

  in = running (0.95);
  in.kind = VIGIL_JOB_KIND_BACKGROUND;
  in.errors = 1;
  assert_decision (&background, &in, VIGIL_POLL_ERROR_RETRY_MS, VIGIL_POLL_REASON_BACKOFF);
  in.errors = 2;
  assert_decision (&background, &in, VIGIL_POLL_ERROR_RETRY_MS, VIGIL_POLL_REASON_BACKOFF);
}

static void
test_error_retry_queued (void)
{
  VigilPollSettings s = vigil_poll_settings_production ();
  VigilPollInput in;

  vigil_poll_input_init (&in);
  in.queued = TRUE;
  in.age_seconds = 60;
  in.errors = 2;
  assert_decision (&s, &in, VIGIL_POLL_ERROR_RETRY_MS, VIGIL_POLL_REASON_BACKOFF);
}

/* max_retries failed polls in a row: the user is told, the retry stays
 * soon. */
static void
test_stalled (void)
{
  VigilPollSettings s = vigil_poll_settings_default ();
  VigilPollSettings production = vigil_poll_settings_production ();
  VigilPollInput in = running (0.5);
  guint errors[] = { 3, 4, 100, G_MAXUINT };

  for (guint i = 0; i < G_N_ELEMENTS (errors); i++)
    {
      VigilPollDecision d;

      in.errors = errors[i];
      d = vigil_poll_policy_decide (&s, &in);
      g_assert_cmpuint (d.delay_ms, ==, VIGIL_POLL_ERROR_RETRY_MS);
      g_assert_cmpint (d.reason, ==, VIGIL_POLL_REASON_STALLED);
      g_assert_true (d.stalled);
      g_assert_cmpint (d.tracking, ==, VIGIL_POLL_TRACKING_STALLED);
    }

  in.errors = 2;
  g_assert_false (vigil_poll_policy_decide (&s, &in).stalled);

  in.errors = 4;
  g_assert_false (vigil_poll_policy_decide (&production, &in).stalled);
  in.errors = 5;
  g_assert_true (vigil_poll_policy_decide (&production, &in).stalled);
  g_assert_cmpuint (vigil_poll_policy_decide (&production, &in).delay_ms, ==, VIGIL_POLL_ERROR_RETRY_MS);
}

/* When the server as a whole fails: VIGIL_POLL_SERVER_FAILURES failed
 * requests in a row, never fewer than max_retries. */
static void
test_server_is_failing (void)
{
  VigilPollSettings s = vigil_poll_settings_default ();
  VigilPollSettings patient = { 1000, 5000, 8, 2.0 };

  g_assert_false (vigil_poll_policy_server_is_failing (&s, 0));
  g_assert_false (vigil_poll_policy_server_is_failing (&s, VIGIL_POLL_SERVER_FAILURES - 1));
  g_assert_true (vigil_poll_policy_server_is_failing (&s, VIGIL_POLL_SERVER_FAILURES));
  g_assert_true (vigil_poll_policy_server_is_failing (&s, G_MAXUINT));
  g_assert_false (vigil_poll_policy_server_is_failing (&patient, 7));
  g_assert_true (vigil_poll_policy_server_is_failing (&patient, 8));
}

static void
assert_probe (const VigilPollSettings *s,
              VigilServerHealth        health,
              guint                    failed_probes,
              gint64                   retry_after_ms,
              guint                    delay_ms,
              VigilPollReason          reason)
{
  VigilPollDecision d = vigil_poll_policy_decide_probe (s, health, failed_probes, retry_after_ms);

  if (d.delay_ms != delay_ms || d.reason != reason)
    g_error ("health %d, %u failed probes, Retry-After %" G_GINT64_FORMAT ": got %u ms (%s), "
             "expected %u ms (%s)", health, failed_probes, retry_after_ms, d.delay_ms,
             vigil_poll_reason_to_string (d.reason), delay_ms, vigil_poll_reason_to_string (reason));
  g_assert_true (d.stalled);
}

/* A failing server is probed once at a time: soon at first, then backing
 * off exponentially up to max_ms; Retry-After is honoured. */
static void
test_probe_failing (void)
{
  VigilPollSettings s = vigil_poll_settings_default ();
  VigilPollSettings production = vigil_poll_settings_production ();
  VigilPollSettings tiny = { 100, 500, 3, 2.0 };
  guint expected[] = { 1000, 2000, 4000, 5000, 5000 };
  guint expected_production[] = { 1000, 1500, 2250, 3375, 5062, 7593, 11390, 15000, 15000 };
  VigilPollDecision d;

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    assert_probe (&s, VIGIL_SERVER_HEALTH_FAILING, i, -1, expected[i], VIGIL_POLL_REASON_PROBE);
  for (guint i = 0; i < G_N_ELEMENTS (expected_production); i++)
    assert_probe (&production, VIGIL_SERVER_HEALTH_FAILING, i, -1, expected_production[i],
                  VIGIL_POLL_REASON_PROBE);
  assert_probe (&s, VIGIL_SERVER_HEALTH_FAILING, G_MAXUINT, -1, 5000, VIGIL_POLL_REASON_PROBE);
  /* never sooner than a second, whatever max_ms */
  assert_probe (&tiny, VIGIL_SERVER_HEALTH_FAILING, 3, -1, 1000, VIGIL_POLL_REASON_PROBE);

  d = vigil_poll_policy_decide_probe (&s, VIGIL_SERVER_HEALTH_FAILING, 0, -1);
  g_assert_cmpint (d.tracking, ==, VIGIL_POLL_TRACKING_SERVER_FAILING);

  /* Retry-After: at least that long, up to the ceiling */
  assert_probe (&s, VIGIL_SERVER_HEALTH_FAILING, 0, 20000, 20000, VIGIL_POLL_REASON_RETRY_AFTER);
  assert_probe (&s, VIGIL_SERVER_HEALTH_FAILING, 3, 500, 5000, VIGIL_POLL_REASON_PROBE);
  assert_probe (&s, VIGIL_SERVER_HEALTH_FAILING, 0, G_MAXINT64, VIGIL_POLL_RETRY_AFTER_LIMIT_MS,
                VIGIL_POLL_REASON_RETRY_AFTER);
}

/* Not signed in: one slow probe, 30 s then 60 s apart, whatever the
 * settings. */
static void
test_probe_sign_in (void)
{
  VigilPollSettings s = vigil_poll_settings_default ();
  VigilPollSettings production = vigil_poll_settings_production ();
  VigilPollDecision d;

  assert_probe (&s, VIGIL_SERVER_HEALTH_NOT_SIGNED_IN, 0, -1, 30000, VIGIL_POLL_REASON_SIGN_IN);
  assert_probe (&s, VIGIL_SERVER_HEALTH_NOT_SIGNED_IN, 1, -1, 60000, VIGIL_POLL_REASON_SIGN_IN);
  assert_probe (&s, VIGIL_SERVER_HEALTH_NOT_SIGNED_IN, 9, -1, 60000, VIGIL_POLL_REASON_SIGN_IN);
  assert_probe (&production, VIGIL_SERVER_HEALTH_NOT_SIGNED_IN, 0, -1, 30000,
                VIGIL_POLL_REASON_SIGN_IN);
  assert_probe (&s, VIGIL_SERVER_HEALTH_NOT_SIGNED_IN, 0, 120000, 120000,
                VIGIL_POLL_REASON_RETRY_AFTER);

  d = vigil_poll_policy_decide_probe (&s, VIGIL_SERVER_HEALTH_NOT_SIGNED_IN, 0, -1);
  g_assert_cmpint (d.tracking, ==, VIGIL_POLL_TRACKING_NOT_SIGNED_IN);
}

static void
test_final_approach (void)
{
  VigilPollSettings s = vigil_poll_settings_default ();
  VigilPollSettings production = vigil_poll_settings_production ();
  VigilPollInput in = running (0.95);

  in.eta_seconds = 2;
  assert_decision (&s, &in, 2250, VIGIL_POLL_REASON_FINAL_APPROACH);
  /* longer final approaches are split: a lead-in first (test_lead_in) */
  in.eta_seconds = 4.7;
  assert_decision (&s, &in, 3450, VIGIL_POLL_REASON_LEAD_IN);
  /* without a pace (fraction unknown) polls are every initial_ms anyway:
   * nothing to gain */
  in.fraction = VIGIL_UNKNOWN;
  in.eta_seconds = 0.7;
  assert_decision (&s, &in, 1000, VIGIL_POLL_REASON_INITIAL);
  in.eta_seconds = 5;
  assert_decision (&s, &in, 1000, VIGIL_POLL_REASON_INITIAL);
  in.fraction = 0.95;
  /* never sooner than initial */
  in.eta_seconds = 0;
  assert_decision (&s, &in, 1000, VIGIL_POLL_REASON_FINAL_APPROACH);
  assert_decision (&production, &in, 3000, VIGIL_POLL_REASON_FINAL_APPROACH);

  /* in the middle phase too */
  in = running (0.5);
  in.eta_seconds = 1.2;
  assert_decision (&s, &in, 1450, VIGIL_POLL_REASON_FINAL_APPROACH);

  /* already polling at initial: the same delay, as the final approach (the
   * poller then asks the job record, which outlives the progress record) */
  in = running (0.05);
  in.eta_seconds = 0.5;
  assert_decision (&s, &in, 1000, VIGIL_POLL_REASON_FINAL_APPROACH);
}

static void
test_retry_after (void)
{
  VigilPollSettings s = vigil_poll_settings_default ();
  VigilPollInput in = running (0.5);
  VigilPollDecision d;

  in.retry_after_ms = 3000;
  assert_decision (&s, &in, 3000, VIGIL_POLL_REASON_RETRY_AFTER);
  /* a shorter Retry-After does not hurry polling */
  in.retry_after_ms = 1000;
  assert_decision (&s, &in, 2000, VIGIL_POLL_REASON_MIDDLE);
  in.retry_after_ms = 0;
  assert_decision (&s, &in, 2000, VIGIL_POLL_REASON_MIDDLE);
  /* honoured beyond max … */
  in.retry_after_ms = 60000;
  assert_decision (&s, &in, 60000, VIGIL_POLL_REASON_RETRY_AFTER);
  /* … up to the ceiling */
  in.retry_after_ms = G_MAXINT64;
  assert_decision (&s, &in, VIGIL_POLL_RETRY_AFTER_LIMIT_MS, VIGIL_POLL_REASON_RETRY_AFTER);

  /* on top of a stall, which stays a stall */
  in.retry_after_ms = 7000;
  in.errors = 3;
  d = vigil_poll_policy_decide (&s, &in);
  g_assert_cmpuint (d.delay_ms, ==, 7000);
  g_assert_cmpint (d.reason, ==, VIGIL_POLL_REASON_RETRY_AFTER);
  g_assert_true (d.stalled);
  g_assert_cmpint (d.tracking, ==, VIGIL_POLL_TRACKING_STALLED);
}

static void
test_sanitized_settings (void)
{
  VigilPollSettings zero = { 0, 0, 3, 2.0 };
  VigilPollSettings shrinking = { 1000, 5000, 3, 0.5 };
  VigilPollSettings nan_mult = { 1000, 5000, 3, NAN };
  VigilPollInput in;

  vigil_poll_input_init (&in);
  assert_decision (&zero, &in, 1, VIGIL_POLL_REASON_INITIAL);

  in.errors = 2;
  assert_decision (&shrinking, &in, 1000, VIGIL_POLL_REASON_BACKOFF);
  assert_decision (&nan_mult, &in, 1000, VIGIL_POLL_REASON_BACKOFF);
  /* a shrinking or NaN multiplier never makes probes come sooner */
  assert_probe (&shrinking, VIGIL_SERVER_HEALTH_FAILING, 4, -1, 1000, VIGIL_POLL_REASON_PROBE);
  assert_probe (&nan_mult, VIGIL_SERVER_HEALTH_FAILING, 4, -1, 1000, VIGIL_POLL_REASON_PROBE);
}

static void
test_reason_strings (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint r = VIGIL_POLL_REASON_INITIAL; r <= VIGIL_POLL_REASON_LEAD_IN; r++)
    {
      const char *name = vigil_poll_reason_to_string (r);

      g_assert_nonnull (name);
      g_assert_cmpstr (name, !=, "unknown");
      g_assert_true (g_hash_table_add (seen, (gpointer) name));
    }

  g_assert_cmpstr (vigil_poll_reason_to_string (VIGIL_POLL_REASON_FINAL_APPROACH), ==,
                   "final-approach");
  g_assert_cmpstr (vigil_poll_reason_to_string (VIGIL_POLL_REASON_PROBE), ==, "probe");
  g_assert_cmpstr (vigil_poll_reason_to_string (VIGIL_POLL_REASON_SIGN_IN), ==, "sign-in");
  g_assert_cmpstr (vigil_poll_reason_to_string (VIGIL_POLL_REASON_LEAD_IN), ==, "lead-in");
  g_assert_cmpstr (vigil_poll_reason_to_string (VIGIL_POLL_REASON_LEAD_IN + 1), ==,
                   "unknown");
}

static void
test_jitter_bounds (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  guint lowest = G_MAXUINT;
  guint highest = 0;
  double sum = 0;
  const guint n = 20000;

  for (guint i = 0; i < n; i++)
    {
      guint d = vigil_poll_policy_jitter (1000, 0.10, rand);

      g_assert_cmpuint (d, >=, 900);
      g_assert_cmpuint (d, <=, 1100);
      lowest = MIN (lowest, d);
      highest = MAX (highest, d);
      sum += d;
    }

  /* spread over the whole band, centred */
  g_assert_cmpuint (lowest, <=, 905);
  g_assert_cmpuint (highest, >=, 1095);
  g_assert_cmpfloat (fabs (sum / n - 1000), <, 3);
}

static void
test_jitter_disabled (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(GRand) twin = g_rand_new_with_seed (7);

  g_assert_cmpuint (vigil_poll_policy_jitter (1234, 0, rand), ==, 1234);
  g_assert_cmpuint (vigil_poll_policy_jitter (1234, -0.5, rand), ==, 1234);
  g_assert_cmpuint (vigil_poll_policy_jitter (1234, NAN, rand), ==, 1234);
  g_assert_cmpuint (vigil_poll_policy_jitter (0, 0.10, rand), ==, 0);
  /* the generator was left alone */
  g_assert_cmpuint (g_rand_int (rand), ==, g_rand_int (twin));

  /* an amount above 1 is clamped: never negative, never above 2 × */
  for (guint i = 0; i < 1000; i++)
    g_assert_cmpuint (vigil_poll_policy_jitter (1000, 5.0, rand), <=, 2000);

  /* the global generator */
  for (guint i = 0; i < 100; i++)
    {
      guint d = vigil_poll_policy_jitter (1000, 0.10, NULL);

      g_assert_cmpuint (d, >=, 900);
      g_assert_cmpuint (d, <=, 1100);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/vigil/poll-policy/presets", test_presets);
  g_test_add_func ("/vigil/poll-policy/input-defaults", test_input_defaults);
  g_test_add_func ("/vigil/poll-policy/young-job", test_young_job);
  g_test_add_func ("/vigil/poll-policy/fraction-boundaries", test_fraction_boundaries);
  g_test_add_func ("/vigil/poll-policy/paced-middle", test_paced_middle);
  g_test_add_func ("/vigil/poll-policy/paced-early", test_paced_early);
  g_test_add_func ("/vigil/poll-policy/paced-young-job", test_paced_young_job);
  g_test_add_func ("/vigil/poll-policy/lead-in", test_lead_in);
  g_test_add_func ("/vigil/poll-policy/cap", test_cap);
  g_test_add_func ("/vigil/poll-policy/production-preset", test_production_preset);
  g_test_add_func ("/vigil/poll-policy/background-preset", test_background_preset);
  g_test_add_func ("/vigil/poll-policy/background-floor", test_background_floor);
  g_test_add_func ("/vigil/poll-policy/background-final-approach", test_background_final_approach);
  g_test_add_func ("/vigil/poll-policy/queued", test_queued);
  g_test_add_func ("/vigil/poll-policy/error-retry", test_error_retry);
  g_test_add_func ("/vigil/poll-policy/error-retry-presets", test_error_retry_presets);
  g_test_add_func ("/vigil/poll-policy/error-retry-queued", test_error_retry_queued);
  g_test_add_func ("/vigil/poll-policy/stalled", test_stalled);
  g_test_add_func ("/vigil/poll-policy/server-is-failing", test_server_is_failing);
  g_test_add_func ("/vigil/poll-policy/probe-failing", test_probe_failing);
  g_test_add_func ("/vigil/poll-policy/probe-sign-in", test_probe_sign_in);
  g_test_add_func ("/vigil/poll-policy/final-approach", test_final_approach);
  g_test_add_func ("/vigil/poll-policy/retry-after", test_retry_after);
  g_test_add_func ("/vigil/poll-policy/sanitized-settings", test_sanitized_settings);
  g_test_add_func ("/vigil/poll-policy/reason-strings", test_reason_strings);
  g_test_add_func ("/vigil/poll-policy/jitter-bounds", test_jitter_bounds);
  g_test_add_func ("/vigil/poll-policy/jitter-disabled", test_jitter_disabled);

  return g_test_run ();
}
