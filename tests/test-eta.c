/* test-eta.c — the ETA estimate from (time, fraction) samples: no and one
 * sample, steady and stalled progress, progress going backwards, the end,
 * the sample window, times at the ends of gint64, fractions that are not
 * fractions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "vigil-eta.h"
#include "vigil-types.h"

#define SECONDS(s) ((gint64) ((s) * G_USEC_PER_SEC))

static void
assert_eta (const VigilEtaEstimator *est,
            gint64                   now_us,
            double                   expected)
{
  double eta = vigil_eta_estimator_estimate (est, now_us);

  if (expected == VIGIL_UNKNOWN)
    g_assert_cmpfloat (eta, ==, VIGIL_UNKNOWN);
  else
    g_assert_cmpfloat_with_epsilon (eta, expected, 1e-6);
}

static void
test_no_samples (void)
{
  VigilEtaEstimator est = { 0 };

  g_assert_cmpuint (est.n_samples, ==, 0);
  assert_eta (&est, 0, VIGIL_UNKNOWN);
  assert_eta (&est, SECONDS (1000), VIGIL_UNKNOWN);
}

static void
test_one_sample (void)
{
  VigilEtaEstimator est = { 0 };

  /* one point gives no rate, at any time after it */
  vigil_eta_estimator_add_sample (&est, SECONDS (100), 0.1);
  g_assert_cmpuint (est.n_samples, ==, 1);
  assert_eta (&est, SECONDS (100), VIGIL_UNKNOWN);
  assert_eta (&est, SECONDS (110), VIGIL_UNKNOWN);
}

static void
test_steady_progress (void)
{
  VigilEtaEstimator est = { 0 };

  /* 0.1 in 10 s: 0.8 left takes 80 s */
  vigil_eta_estimator_add_sample (&est, SECONDS (100), 0.1);
  vigil_eta_estimator_add_sample (&est, SECONDS (110), 0.2);
  assert_eta (&est, SECONDS (110), 80);

  /* counts down between movements */
  assert_eta (&est, SECONDS (115), 75);

  /* the rate covers the whole window: 0.3 in 40 s */
  vigil_eta_estimator_add_sample (&est, SECONDS (140), 0.4);
  assert_eta (&est, SECONDS (140), 0.6 / (0.3 / 40));

  /* a steady 1 % a second stays on time */
  vigil_eta_estimator_reset (&est);
  for (guint i = 0; i <= 50; i++)
    {
      vigil_eta_estimator_add_sample (&est, SECONDS (i), i / 100.0);
      if (i > 0)
        assert_eta (&est, SECONDS (i), 100 - i);
    }

  /* never below 0, however late the end */
  assert_eta (&est, SECONDS (50 + 59), 0);
}

/* Only the last VIGIL_ETA_MAX_SAMPLES movements set the rate: a slow start
 * is forgotten. */
static void
test_window (void)
{
  VigilEtaEstimator est = { 0 };
  guint n = VIGIL_ETA_MAX_SAMPLES;

  vigil_eta_estimator_add_sample (&est, SECONDS (0), 0.01);
  for (guint i = 1; i <= n; i++)
    vigil_eta_estimator_add_sample (&est, SECONDS (100 + i), 0.1 * i);

  g_assert_cmpuint (est.n_samples, ==, n);
  g_assert_cmpfloat (est.samples[0].fraction, ==, 0.1);
  g_assert_cmpint (est.samples[0].time_us, ==, SECONDS (101));
  /* 0.1 a second from the kept samples; 0.4 left */
  assert_eta (&est, SECONDS (100 + n), (1.0 - 0.1 * n) / 0.1);
}

static void
test_stalled (void)
{
  VigilEtaEstimator est = { 0 };

  vigil_eta_estimator_add_sample (&est, SECONDS (0), 0.1);
  vigil_eta_estimator_add_sample (&est, SECONDS (10), 0.2);

  /* 59.9 s without movement: still an estimate */
  assert_eta (&est, SECONDS (69.9), 20.1);
  /* VIGIL_ETA_STALE_SECONDS: unknown, and stays so */
  assert_eta (&est, SECONDS (10 + VIGIL_ETA_STALE_SECONDS), VIGIL_UNKNOWN);
  assert_eta (&est, SECONDS (200), VIGIL_UNKNOWN);

  /* the same fraction again is no movement */
  vigil_eta_estimator_add_sample (&est, SECONDS (200), 0.2);
  g_assert_cmpuint (est.n_samples, ==, 2);
  assert_eta (&est, SECONDS (200), VIGIL_UNKNOWN);

  /* movement brings it back, at the rate of the whole window */
  vigil_eta_estimator_add_sample (&est, SECONDS (210), 0.3);
  assert_eta (&est, SECONDS (210), 0.7 / (0.2 / 210));
}

static void
test_backwards (void)
{
  VigilEtaEstimator est = { 0 };

  vigil_eta_estimator_add_sample (&est, SECONDS (0), 0.2);
  vigil_eta_estimator_add_sample (&est, SECONDS (10), 0.4);

  /* a noisy server: lower fractions are not samples */
  vigil_eta_estimator_add_sample (&est, SECONDS (12), 0.3);
  vigil_eta_estimator_add_sample (&est, SECONDS (14), 0.0);
  g_assert_cmpuint (est.n_samples, ==, 2);
  g_assert_cmpfloat (est.samples[1].fraction, ==, 0.4);
  assert_eta (&est, SECONDS (14), 0.6 / (0.2 / 10) - 4);

  /* a movement at the same time as the first gives no rate */
  vigil_eta_estimator_reset (&est);
  vigil_eta_estimator_add_sample (&est, SECONDS (5), 0.2);
  vigil_eta_estimator_add_sample (&est, SECONDS (5), 0.4);
  assert_eta (&est, SECONDS (5), VIGIL_UNKNOWN);

  /* nor does one earlier than the first */
  vigil_eta_estimator_reset (&est);
  vigil_eta_estimator_add_sample (&est, SECONDS (5), 0.2);
  vigil_eta_estimator_add_sample (&est, SECONDS (3), 0.4);
  assert_eta (&est, SECONDS (5), VIGIL_UNKNOWN);
}

static void
test_complete (void)
{
  VigilEtaEstimator est = { 0 };

  vigil_eta_estimator_add_sample (&est, SECONDS (0), 0.5);
  vigil_eta_estimator_add_sample (&est, SECONDS (10), 1.0);
  assert_eta (&est, SECONDS (10), 0);
  assert_eta (&est, SECONDS (15), 0);

  /* nothing moves past the end */
  vigil_eta_estimator_add_sample (&est, SECONDS (20), 1.0);
  g_assert_cmpuint (est.n_samples, ==, 2);

  /* from nothing to the end in one step */
  vigil_eta_estimator_reset (&est);
  vigil_eta_estimator_add_sample (&est, SECONDS (0), 0.0);
  vigil_eta_estimator_add_sample (&est, SECONDS (1), 1.0);
  assert_eta (&est, SECONDS (1), 0);
}

static void
test_reset (void)
{
  VigilEtaEstimator est = { 0 };

  vigil_eta_estimator_add_sample (&est, SECONDS (0), 0.5);
  vigil_eta_estimator_add_sample (&est, SECONDS (10), 0.6);
  vigil_eta_estimator_reset (&est);
  g_assert_cmpuint (est.n_samples, ==, 0);
  assert_eta (&est, SECONDS (10), VIGIL_UNKNOWN);

  /* a lower fraction after a reset counts again */
  vigil_eta_estimator_add_sample (&est, SECONDS (20), 0.1);
  g_assert_cmpuint (est.n_samples, ==, 1);
}

/* Times at the ends of gint64: no overflow, a finite answer or unknown. */
static void
test_huge_times (void)
{
  VigilEtaEstimator est = { 0 };
  double eta;

  /* exact near the top of the range */
  vigil_eta_estimator_add_sample (&est, G_MAXINT64 - SECONDS (20), 0.1);
  vigil_eta_estimator_add_sample (&est, G_MAXINT64 - SECONDS (10), 0.2);
  assert_eta (&est, G_MAXINT64 - SECONDS (10), 80);
  assert_eta (&est, G_MAXINT64, 70);

  /* and near the bottom */
  vigil_eta_estimator_reset (&est);
  vigil_eta_estimator_add_sample (&est, G_MININT64, 0.1);
  vigil_eta_estimator_add_sample (&est, G_MININT64 + SECONDS (10), 0.2);
  assert_eta (&est, G_MININT64 + SECONDS (15), 75);

  /* a now far beyond the last movement is stale */
  assert_eta (&est, G_MAXINT64, VIGIL_UNKNOWN);

  /* samples across the whole range: a tiny rate, a huge but finite ETA */
  vigil_eta_estimator_reset (&est);
  vigil_eta_estimator_add_sample (&est, G_MININT64, 0.1);
  vigil_eta_estimator_add_sample (&est, G_MAXINT64, 0.2);
  eta = vigil_eta_estimator_estimate (&est, G_MAXINT64);
  g_assert_true (isfinite (eta));
  g_assert_cmpfloat (eta, >, 1e13);

  /* a rate that rounds to 0 is unknown */
  vigil_eta_estimator_reset (&est);
  vigil_eta_estimator_add_sample (&est, G_MININT64, 0.0);
  vigil_eta_estimator_add_sample (&est, G_MAXINT64, 5e-324);
  assert_eta (&est, G_MAXINT64, VIGIL_UNKNOWN);

  /* so is an estimate beyond the largest double, not infinite */
  vigil_eta_estimator_reset (&est);
  vigil_eta_estimator_add_sample (&est, G_MININT64, 0.0);
  vigil_eta_estimator_add_sample (&est, G_MAXINT64, 1e-300);
  assert_eta (&est, G_MAXINT64, VIGIL_UNKNOWN);
}

/* NaN, infinities and values outside 0..1 are not samples. */
static void
test_bad_fractions (void)
{
  static const double bad[] = { NAN, INFINITY, -INFINITY, -0.5, VIGIL_UNKNOWN, 1.5 };
  VigilEtaEstimator est = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    vigil_eta_estimator_add_sample (&est, SECONDS (i), bad[i]);
  g_assert_cmpuint (est.n_samples, ==, 0);

  vigil_eta_estimator_add_sample (&est, SECONDS (10), 0.1);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    vigil_eta_estimator_add_sample (&est, SECONDS (11 + i), bad[i]);
  vigil_eta_estimator_add_sample (&est, SECONDS (20), 0.2);
  g_assert_cmpuint (est.n_samples, ==, 2);
  assert_eta (&est, SECONDS (20), 80);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/vigil/eta/no-samples", test_no_samples);
  g_test_add_func ("/vigil/eta/one-sample", test_one_sample);
  g_test_add_func ("/vigil/eta/steady-progress", test_steady_progress);
  g_test_add_func ("/vigil/eta/window", test_window);
  g_test_add_func ("/vigil/eta/stalled", test_stalled);
  g_test_add_func ("/vigil/eta/backwards", test_backwards);
  g_test_add_func ("/vigil/eta/complete", test_complete);
  g_test_add_func ("/vigil/eta/reset", test_reset);
  g_test_add_func ("/vigil/eta/huge-times", test_huge_times);
  g_test_add_func ("/vigil/eta/bad-fractions", test_bad_fractions);

  return g_test_run ();
}
