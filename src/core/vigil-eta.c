/* vigil-eta.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "vigil-types.h"

#include "vigil-eta.h"

/* to_us - from_us in seconds. Times of the same sign subtract exactly;
 * far-apart ones would overflow a gint64, so they go through doubles. */
static double
seconds_between (gint64 from_us,
                 gint64 to_us)
{
  if ((from_us >= 0) == (to_us >= 0))
    return (double) (to_us - from_us) / G_USEC_PER_SEC;

  return ((double) to_us - (double) from_us) / G_USEC_PER_SEC;
}

void
vigil_eta_estimator_reset (VigilEtaEstimator *self)
{
  g_return_if_fail (self != NULL);

  self->n_samples = 0;
}

void
vigil_eta_estimator_add_sample (VigilEtaEstimator *self,
                                gint64             time_us,
                                double             fraction)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (self->n_samples <= VIGIL_ETA_MAX_SAMPLES);

  if (!(fraction >= 0.0 && fraction <= 1.0))
    return;
  if (self->n_samples > 0 && self->samples[self->n_samples - 1].fraction >= fraction)
    return;

  if (self->n_samples == VIGIL_ETA_MAX_SAMPLES)
    {
      memmove (&self->samples[0], &self->samples[1],
               (VIGIL_ETA_MAX_SAMPLES - 1) * sizeof (VigilEtaSample));
      self->n_samples--;
    }

  self->samples[self->n_samples].time_us = time_us;
  self->samples[self->n_samples].fraction = fraction;
  self->n_samples++;
}

/* Counting down since the last movement keeps the ETA moving between
 * polls that see no progress. */
double
vigil_eta_estimator_estimate (const VigilEtaEstimator *self,
                              gint64                   now_us)
{
  const VigilEtaSample *first;
  const VigilEtaSample *last;
  double since_move;
  double rate;
  double eta;

  g_return_val_if_fail (self != NULL, VIGIL_UNKNOWN);
  g_return_val_if_fail (self->n_samples <= VIGIL_ETA_MAX_SAMPLES, VIGIL_UNKNOWN);

  if (self->n_samples < 2)
    return VIGIL_UNKNOWN;

  first = &self->samples[0];
  last = &self->samples[self->n_samples - 1];
  since_move = seconds_between (last->time_us, now_us);
  if (since_move >= VIGIL_ETA_STALE_SECONDS || last->time_us <= first->time_us)
    return VIGIL_UNKNOWN;

  rate = (last->fraction - first->fraction) / seconds_between (first->time_us, last->time_us);
  if (!(rate > 0))
    return VIGIL_UNKNOWN;

  eta = MAX ((1.0 - last->fraction) / rate - since_move, 0.0);
  return isfinite (eta) ? eta : VIGIL_UNKNOWN;
}
