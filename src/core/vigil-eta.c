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

  memset (self, 0, sizeof *self);
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

void
vigil_eta_estimator_set_items_may_grow (VigilEtaEstimator *self,
                                        gboolean           may_grow)
{
  g_return_if_fail (self != NULL);

  self->items_may_grow = !!may_grow;
}

void
vigil_eta_estimator_add_progress (VigilEtaEstimator *self,
                                  gint64             time_us,
                                  double             fraction,
                                  gint64             completed_items,
                                  gint64             total_items,
                                  double             server_eta)
{
  g_return_if_fail (self != NULL);

  if (total_items > 0 && completed_items >= 0)
    {
      gint64 completed = MIN (completed_items, total_items);

      if (!self->has_items || completed < self->completed)
        {
          self->has_items = TRUE;
          self->anchor_us = time_us;
          self->anchor_completed = completed;
          self->anchor_at_start = completed == 0 && fraction <= 0;
          self->completed = completed;
          self->last_done_us = time_us;
          self->done_gap_us = 0;
          self->first_done_us = 0;
          self->first_done = -1;
        }
      else if (completed > self->completed)
        {
          self->completed = completed;
          self->done_gap_us = self->last_record_us < time_us ? time_us - self->last_record_us : 0;
          self->last_done_us = time_us;
          if (self->first_done < 0)
            {
              self->first_done_us = self->last_done_us;
              self->first_done = completed;
            }
        }
      self->last_record_us = time_us;

      /* 1 of 1 becoming 1 of 12: the fraction means something else now */
      if (self->total != 0 && self->total != total_items)
        self->n_samples = 0;
      self->total = total_items;
    }

  self->has_server_eta = isfinite (server_eta) && server_eta >= 0;
  self->server_eta = self->has_server_eta ? server_eta : 0;

  vigil_eta_estimator_add_sample (self, time_us, fraction);
}

/* From the items done since the anchor; VIGIL_UNKNOWN without one done
 * or when the current one takes far longer than the others did. Items
 * are seen done by the records that count them: the last one ended within
 * the gap before its record, and within one pace of it. *half_gap_out: how
 * uncertain that end is. */
static double
estimate_from_items (const VigilEtaEstimator *self,
                     gint64                   now_us,
                     double                  *n_measured,
                     double                  *half_gap_out,
                     gboolean                *stale)
{
  gint64 left = self->total - self->completed;
  double gap = seconds_between (0, self->done_gap_us);
  double pace;
  double half;
  double in_item;
  double eta;
  gint64 done;

  if (!self->has_items || self->first_done < 0)
    return VIGIL_UNKNOWN;

  if (!self->anchor_at_start && self->completed > self->first_done)
    {
      /* joined mid-item: from record to record, whose offsets cancel */
      done = self->completed - self->first_done;
      pace = seconds_between (self->first_done_us, self->last_done_us) / done;
    }
  else
    {
      /* from the start (or a guess from mid-item): the last end lies
       * min(gap, pace) / 2 before its record, on average */
      double span = seconds_between (self->anchor_us, self->last_done_us);

      done = self->completed - self->anchor_completed;
      if (done <= 0)
        return VIGIL_UNKNOWN;
      pace = (span - gap / 2) / done;
      if (pace < gap)
        pace = span / (done + 0.5);
    }

  if (!(pace > 0))
    return VIGIL_UNKNOWN;
  if (left <= 0)
    return 0.0;

  half = MIN (gap, pace) / 2;
  in_item = MAX (seconds_between (self->last_done_us, now_us) + half, 0.0);
  if (in_item >= MAX (VIGIL_ETA_STALE_SECONDS, 3 * pace))
    {
      *stale = TRUE;
      return VIGIL_UNKNOWN;
    }

  /* an item running late still leaves the ones after it to do */
  eta = MAX (pace * left - in_item, pace * (left - 1));
  *n_measured = done;
  *half_gap_out = half;
  return isfinite (eta) ? eta : VIGIL_UNKNOWN;
}

/* Counting down since the last movement keeps the ETA moving between
 * polls that see no progress. */
static double
estimate_from_fraction (const VigilEtaEstimator *self,
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

double
vigil_eta_estimator_estimate (const VigilEtaEstimator *self,
                              gint64                   now_us)
{
  gboolean stale = FALSE;
  double n = 0;
  double half_gap = 0;
  double items;
  double blend;

  g_return_val_if_fail (self != NULL, VIGIL_UNKNOWN);

  /* a playlist saying "1 of 1" has not listed its songs yet */
  if (self->items_may_grow && self->has_items && self->total <= 1)
    return VIGIL_UNKNOWN;

  items = estimate_from_items (self, now_us, &n, &half_gap, &stale);
  if (items >= 0)
    {
      if (!self->has_server_eta)
        return items;

      /* the server's running mean is a prior the job's own items correct */
      blend = (n * items + VIGIL_ETA_SERVER_WEIGHT * self->server_eta) /
              (n + VIGIL_ETA_SERVER_WEIGHT);

      /* but the server knows when the current item began, and Vigil only
       * within the gap between two records: near the end, where that is
       * most of what is left and the poller times its last polls on it,
       * a server ETA within that much of the blend is the better word */
      if (blend > VIGIL_ETA_END_SECONDS)
        return blend;
      return MAX (CLAMP (self->server_eta, blend - half_gap, blend + half_gap), 0.0);
    }

  if (self->has_server_eta)
    return self->server_eta;

  /* the fraction comes from the same stalled counts */
  if (stale)
    return VIGIL_UNKNOWN;

  return estimate_from_fraction (self, now_us);
}
