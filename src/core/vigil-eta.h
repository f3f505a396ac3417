/* vigil-eta.h — the time a job has left, estimated from what its records
 * said over time (fraction, item counts, the server's eta_seconds): pure
 * logic, no clock and no GObject
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

/* How many measured items weigh as much as the server's eta_seconds. The
 * service's ETA comes from a running mean over every job it finished, so
 * it does not know this job's pace; each finished item of the job tells
 * it a little (the figure 6 workloads chose 1). */
#define VIGIL_ETA_SERVER_WEIGHT 1.0

/* Within this many seconds of the end, the server's ETA times the end
 * when it is within the uncertainty of Vigil's (see below). */
#define VIGIL_ETA_END_SECONDS 15

/* Plain data, embedded in its owner: a zero-filled estimator is empty.
 * Read the fields, change them only through the functions below. */
typedef struct
{
  VigilEtaSample samples[VIGIL_ETA_MAX_SAMPLES];  /* oldest first */
  guint          n_samples;

  /* flags packed beside n_samples: every tracked job embeds one of these */
  guint          has_items : 1;
  guint          anchor_at_start : 1;  /* nothing done at the anchor yet */
  guint          items_may_grow : 1;   /* a playlist: "1 of 1" means "not listed yet" */
  guint          has_server_eta : 1;

  /* Items: counted from the first record with item counts (the anchor),
   * or, when the job was already under way then, from the first record
   * that saw an item done. An item ended within the gap before the record
   * that counts it, and within one pace of it. A total that changes
   * (playlists first say 1) moves nothing but the total; a count that
   * goes back starts again. */
  gint64         anchor_us;
  gint64         anchor_completed;
  gint64         completed;
  gint64         total;
  gint64         last_done_us;     /* the record that saw completed go up last */
  gint64         done_gap_us;      /* since the record before it */
  gint64         last_record_us;   /* the last record with item counts */
  gint64         first_done_us;    /* the record that saw it go up first */
  gint64         first_done;       /* to what */

  double         server_eta;       /* the last record's, when it had one */
} VigilEtaEstimator;

/* Forgets everything (items_may_grow too). */
void   vigil_eta_estimator_reset      (VigilEtaEstimator       *self);

/* Records that the job was at fraction at time_us (a monotonic time in µs
 * chosen by the caller). Only movements count: a fraction not above the
 * last sample's is ignored, and so is one outside 0..1 (NaN included). The
 * oldest sample makes room when VIGIL_ETA_MAX_SAMPLES are kept. */
void   vigil_eta_estimator_add_sample (VigilEtaEstimator       *self,
                                       gint64                   time_us,
                                       double                   fraction);

/* Records one progress record seen at time_us: the fraction as
 * vigil_eta_estimator_add_sample() (the samples start again when the
 * total changes), the item counts (negative: unknown; completed beyond
 * total is clamped) and the server's eta_seconds (negative, NaN or
 * infinite: unknown). A record without a server ETA forgets the last one. */
void   vigil_eta_estimator_add_progress (VigilEtaEstimator     *self,
                                         gint64                 time_us,
                                         double                 fraction,
                                         gint64                 completed_items,
                                         gint64                 total_items,
                                         double                 server_eta);

/* Whether the job is one whose first records may say total_items: 1
 * before its items are listed (playlists and account-wide jobs do): then
 * the estimate is unknown while the total is 1 or less, rather than one
 * item's time. */
void   vigil_eta_estimator_set_items_may_grow (VigilEtaEstimator *self,
                                               gboolean           may_grow);

/* Seconds left at now_us, from the first of these that applies:
 *  - items: once completed_items went up since the anchor, the job's pace
 *    (seconds per item: from the anchor, less half of min(gap, pace) for
 *    the last end; or from the first record that saw an item done to the
 *    last one) times the items left, minus the time on the current item
 *    (since the last end), but never less than the items after the
 *    current one take. With a server ETA the two are blended, n items
 *    measured against VIGIL_ETA_SERVER_WEIGHT for the server; within
 *    VIGIL_ETA_END_SECONDS of the end, the server's ETA then wins when it
 *    lies within the last end's uncertainty (half of min(gap, pace)) of
 *    the blend, else the blend moves that far towards it: the server knows
 *    when the current item began. Unknown
 *    (or the server's) after max(VIGIL_ETA_STALE_SECONDS, 3 paces) on one
 *    item (the fraction is not asked then).
 *  - the server's eta_seconds, as it said it.
 *  - the fraction: what remains at the last sample's rate (measured
 *    from the first sample kept to the last), minus the time since the
 *    last sample, never below 0. VIGIL_UNKNOWN with fewer than two
 *    samples, when the samples span no time, after
 *    VIGIL_ETA_STALE_SECONDS without movement, or when the estimate is
 *    not a finite number. */
double vigil_eta_estimator_estimate   (const VigilEtaEstimator *self,
                                       gint64                   now_us);

G_END_DECLS
