/* vigil-eta.h — the time a job has left, estimated from how its fraction
 * moved: pure logic over (time, fraction) samples, no clock and no GObject
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The rate is measured over the last this many movements. */
#define VIGIL_ETA_MAX_SAMPLES 6
/* Without progress movement for this long, the estimate is unknown. */
#define VIGIL_ETA_STALE_SECONDS 60

typedef struct
{
  gint64 time_us;
  double fraction;
} VigilEtaSample;

/* Plain data, embedded in its owner: a zero-filled estimator is empty.
 * Read the fields, change them only through the functions below. */
typedef struct
{
  VigilEtaSample samples[VIGIL_ETA_MAX_SAMPLES];  /* oldest first */
  guint          n_samples;
} VigilEtaEstimator;

/* Forgets every sample. */
void   vigil_eta_estimator_reset      (VigilEtaEstimator       *self);

/* Records that the job was at fraction at time_us (a monotonic time in µs
 * chosen by the caller). Only movements count: a fraction not above the
 * last sample's is ignored, and so is one outside 0..1 (NaN included). The
 * oldest sample makes room when VIGIL_ETA_MAX_SAMPLES are kept. */
void   vigil_eta_estimator_add_sample (VigilEtaEstimator       *self,
                                       gint64                   time_us,
                                       double                   fraction);

/* Seconds left at now_us: what remains at the last sample's rate (measured
 * from the first sample kept to the last), minus the time since the last
 * sample, never below 0. VIGIL_UNKNOWN with fewer than two samples, when
 * the samples span no time, after VIGIL_ETA_STALE_SECONDS without
 * movement, or when the estimate is not a finite number. */
double vigil_eta_estimator_estimate   (const VigilEtaEstimator *self,
                                       gint64                   now_us);

G_END_DECLS
