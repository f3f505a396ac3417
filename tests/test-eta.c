/* test-eta.c — the ETA estimate from (time, fraction) samples: no and one
 * sample, steady and stalled progress, progress going backwards, the end,
 * the sample window, times at the ends of gint64, fractions that are not
 * fractions; and from whole records: the pace of items, the server's
 * eta_seconds blended in, a total that grows from 1, joining mid-job, an
 * item running late, counts going back, bad numbers
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

/* ------------------------------------------------------------------ */
/* Whole records: items and the server's ETA                           */
/* ------------------------------------------------------------------ */

#define NO_SERVER VIGIL_UNKNOWN

static void
add (VigilEtaEstimator *est,
     double             seconds,
     gint64             completed,
     gint64             total,
     double             server_eta)
{
  double fraction = total > 0 ? (double) completed / total : VIGIL_UNKNOWN;

  vigil_eta_estimator_add_progress (est, SECONDS (seconds), fraction, completed, total, server_eta);
}

/* An item ends, on average, halfway between the record that counts it and
 * the one before (when items are longer than that gap): 0 at 10 s, 1 at
 * 20 s means done at 15 s, 15 s per item. */
static void
test_items_pace (void)
{
  VigilEtaEstimator est = { 0 };

  add (&est, 0, 0, 10, NO_SERVER);
  add (&est, 10, 0, 10, NO_SERVER);
  assert_eta (&est, SECONDS (10), VIGIL_UNKNOWN);

  add (&est, 20, 1, 10, NO_SERVER);
  /* 9 items of 15 s, 5 s of the current one gone */
  assert_eta (&est, SECONDS (20), 15 * 9 - 5);
  /* counts down between records */
  assert_eta (&est, SECONDS (25), 15 * 9 - 10);

  /* 2 done halfway between 25 and 35 s: still 15 s each */
  add (&est, 25, 1, 10, NO_SERVER);
  add (&est, 35, 2, 10, NO_SERVER);
  assert_eta (&est, SECONDS (35), 15 * 8 - 5);
}

/* The server's eta_seconds weighs as much as VIGIL_ETA_SERVER_WEIGHT
 * measured items; alone it stands as said, without counting down. */
static void
test_items_server_blend (void)
{
  VigilEtaEstimator est = { 0 };
  double items;

  add (&est, 0, 0, 10, 200);
  assert_eta (&est, SECONDS (0), 200);
  add (&est, 10, 0, 10, 190);
  assert_eta (&est, SECONDS (10), 190);
  assert_eta (&est, SECONDS (100), 190);

  add (&est, 20, 1, 10, 180);
  items = 15 * 9 - 5;
  assert_eta (&est, SECONDS (20), (items + VIGIL_ETA_SERVER_WEIGHT * 180) / (1 + VIGIL_ETA_SERVER_WEIGHT));

  add (&est, 30, 1, 10, 170);
  add (&est, 40, 2, 10, 160);
  items = 17.5 * 8 - 5;
  assert_eta (&est, SECONDS (40), (2 * items + VIGIL_ETA_SERVER_WEIGHT * 160) / (2 + VIGIL_ETA_SERVER_WEIGHT));

  /* a record without the server's word forgets it */
  add (&est, 41, 2, 10, NO_SERVER);
  assert_eta (&est, SECONDS (41), 17.5 * 8 - 6);
}

/* Near the end (VIGIL_ETA_END_SECONDS), the server knows when the current
 * item began, Vigil only within the gap before the record that saw the
 * last one done: a server ETA within half that gap of the blend wins. */
static void
test_items_server_end (void)
{
  VigilEtaEstimator est = { 0 };
  double items = 15 - 5;                 /* 15 s per item, 5 s into the last */

  add (&est, 0, 0, 2, 30);
  add (&est, 10, 0, 2, 20);
  add (&est, 20, 1, 2, 14);
  g_assert_cmpfloat ((items + 14) / 2, <=, VIGIL_ETA_END_SECONDS);
  assert_eta (&est, SECONDS (20), 14);

  /* 4.5 s, then 5 s from the blend: still within half the gap */
  add (&est, 20, 1, 2, 1);
  g_assert_cmpfloat (fabs (1 - (items + 1) / 2), ==, 4.5);
  assert_eta (&est, SECONDS (20), 1);
  add (&est, 20, 1, 2, 0);
  assert_eta (&est, SECONDS (20), 0);

  /* far from the end, the blend */
  add (&est, 20, 1, 2, 26);
  assert_eta (&est, SECONDS (20), (items + 26) / 2);

  /* further than half the gap: the blend, moved that far towards it */
  vigil_eta_estimator_reset (&est);
  add (&est, 0, 0, 3, 50);
  add (&est, 10, 0, 3, 40);
  add (&est, 20, 1, 3, 30);
  add (&est, 30, 1, 3, 20);
  add (&est, 40, 2, 3, 0);
  items = (40 - 5) / 2.0 - 5;            /* 17.5 s per item, 5 s into the last */
  assert_eta (&est, SECONDS (40), (2 * items + 0) / 3 - 5);
}

/* Playlists first say "1 of 1": no ETA then (when the owner says the
 * items may grow), and the fraction from then is forgotten. */
static void
test_items_total_grows (void)
{
  VigilEtaEstimator est = { 0 };

  vigil_eta_estimator_set_items_may_grow (&est, TRUE);
  vigil_eta_estimator_add_progress (&est, SECONDS (0), 0.0, 0, 1, 25);
  vigil_eta_estimator_add_progress (&est, SECONDS (3), 0.3, 0, 1, 22);
  g_assert_cmpuint (est.n_samples, ==, 2);
  assert_eta (&est, SECONDS (3), VIGIL_UNKNOWN);

  /* listed: 12 songs, the server's word stands until one is done */
  add (&est, 6, 0, 12, 294);
  g_assert_cmpuint (est.n_samples, ==, 1);
  assert_eta (&est, SECONDS (6), 294);

  /* 1 done at 21 s (between 18 and 24), counted from the first record */
  add (&est, 18, 0, 12, 282);
  add (&est, 24, 1, 12, 272);
  assert_eta (&est, SECONDS (24),
              (21 * 11 - 3 + VIGIL_ETA_SERVER_WEIGHT * 272) / (1 + VIGIL_ETA_SERVER_WEIGHT));

  /* a song job's "1 of 1" is the truth: the server's word */
  vigil_eta_estimator_reset (&est);
  g_assert_false (est.items_may_grow);
  add (&est, 0, 0, 1, 25);
  assert_eta (&est, SECONDS (0), 25);
}

/* Joined mid-item: the first interval is short, so the pace counts from
 * the first record that saw an item done once there is a second. */
static void
test_items_joined_late (void)
{
  VigilEtaEstimator est = { 0 };
  double pace;

  add (&est, 100, 3, 10, NO_SERVER);
  g_assert_false (est.anchor_at_start);
  /* a guess: the item ended within the 5 s gap and within a pace of 105 s */
  add (&est, 105, 4, 10, NO_SERVER);
  pace = 5 / 1.5;
  assert_eta (&est, SECONDS (105), pace * 6 - pace / 2);

  add (&est, 125, 4, 10, NO_SERVER);
  add (&est, 135, 5, 10, NO_SERVER);     /* 30 s from record to record */
  assert_eta (&est, SECONDS (135), 30 * 5 - 5);
}

/* Many items between two records: the last one ended within a pace of
 * the record, not halfway through the gap. */
static void
test_items_many_per_gap (void)
{
  VigilEtaEstimator est = { 0 };
  double pace = 1 / 10.5;

  add (&est, 0, 0, 100, NO_SERVER);
  add (&est, 1, 10, 100, NO_SERVER);
  assert_eta (&est, SECONDS (1), pace * 90 - pace / 2);

  /* an exact server within half a pace of it wins */
  add (&est, 1, 10, 100, pace * 90 - pace / 2 + 0.04);
  assert_eta (&est, SECONDS (1), pace * 90 - pace / 2 + 0.04);
}

/* An item running late leaves the ones after it; far too late, unknown
 * (or the server's word). */
static void
test_items_late_and_stale (void)
{
  VigilEtaEstimator est = { 0 };

  add (&est, 0, 0, 10, NO_SERVER);
  add (&est, 10, 0, 10, NO_SERVER);
  add (&est, 20, 1, 10, NO_SERVER);     /* 15 s per item, last done at 15 s */

  assert_eta (&est, SECONDS (35), 15 * 8);
  assert_eta (&est, SECONDS (74.9), 15 * 8);
  assert_eta (&est, SECONDS (75), VIGIL_UNKNOWN);

  add (&est, 80, 1, 10, 99);
  assert_eta (&est, SECONDS (80), 99);
}

/* A count that goes back starts again; the end is 0; never negative. */
static void
test_items_back_and_end (void)
{
  VigilEtaEstimator est = { 0 };

  double pace = 10 / 1.5;                /* 1 item in 10 s, less half its own */

  add (&est, 0, 0, 4, NO_SERVER);
  add (&est, 10, 1, 4, NO_SERVER);
  assert_eta (&est, SECONDS (10), pace * 3 - pace / 2);
  assert_eta (&est, SECONDS (20), pace * 2);

  add (&est, 20, 0, 4, NO_SERVER);
  g_assert_cmpint (est.anchor_completed, ==, 0);
  g_assert_cmpint (est.anchor_us, ==, SECONDS (20));

  add (&est, 30, 4, 4, NO_SERVER);
  assert_eta (&est, SECONDS (30), 0);
  assert_eta (&est, SECONDS (3000.0), 0);

  /* more done than there are: clamped */
  add (&est, 31, 9, 4, NO_SERVER);
  g_assert_cmpint (est.completed, ==, 4);
  assert_eta (&est, SECONDS (31), 0);
}

/* Server ETAs that are not durations are no ETA; counts that are not
 * counts are no items. */
static void
test_items_bad_numbers (void)
{
  static const double bad[] = { NAN, INFINITY, -INFINITY, -1, VIGIL_UNKNOWN };
  VigilEtaEstimator est = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      add (&est, i, 0, 10, bad[i]);
      g_assert_false (est.has_server_eta);
      assert_eta (&est, SECONDS (i), VIGIL_UNKNOWN);
    }

  vigil_eta_estimator_reset (&est);
  vigil_eta_estimator_add_progress (&est, SECONDS (0), 0.1, -1, 10, NO_SERVER);
  vigil_eta_estimator_add_progress (&est, SECONDS (1), 0.2, 3, -1, NO_SERVER);
  vigil_eta_estimator_add_progress (&est, SECONDS (2), 0.3, 3, 0, NO_SERVER);
  g_assert_false (est.has_items);
  /* the fraction still counts: 0.2 in 2 s */
  assert_eta (&est, SECONDS (2), 0.7 / 0.1);
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
  g_test_add_func ("/vigil/eta/items/pace", test_items_pace);
  g_test_add_func ("/vigil/eta/items/server-blend", test_items_server_blend);
  g_test_add_func ("/vigil/eta/items/server-end", test_items_server_end);
  g_test_add_func ("/vigil/eta/items/total-grows", test_items_total_grows);
  g_test_add_func ("/vigil/eta/items/joined-late", test_items_joined_late);
  g_test_add_func ("/vigil/eta/items/many-per-gap", test_items_many_per_gap);
  g_test_add_func ("/vigil/eta/items/late-and-stale", test_items_late_and_stale);
  g_test_add_func ("/vigil/eta/items/back-and-end", test_items_back_and_end);
  g_test_add_func ("/vigil/eta/items/bad-numbers", test_items_bad_numbers);

  return g_test_run ();
}
