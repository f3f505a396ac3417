/* vigil-demo-job.c — one job of the demo server: its songs and their
 * timings, where it fails, and what it is doing at a virtual time (song,
 * step, fraction, ETA)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vigil-demo-server-private.h"

/* Within one song: "starting" until this share of the song, then
 * "fetching_lyrics" until the next, then "analyzing". */
#define STARTING_END  0.10
#define FETCHING_END  0.35

static const char * const failure_messages[] = {
  "Lyrics provider timed out",
  "Analysis model returned an invalid response",
  "Lyrics could not be decoded",
  "Worker lost its connection to Redis",
};

/* ------------------------------------------------------------------ */
/* Making a job                                                        */
/* ------------------------------------------------------------------ */

static char *
new_job_id (GRand *rand)
{
  guint32 w[4];

  for (guint i = 0; i < G_N_ELEMENTS (w); i++)
    w[i] = g_rand_int (rand);

  w[1] = (w[1] & 0xffff0fff) | 0x00004000;  /* UUID version 4 */
  w[2] = (w[2] & 0x3fffffff) | 0x80000000;  /* RFC 4122 variant */

  return g_strdup_printf ("%08x-%04x-%04x-%04x-%04x%08x",
                          w[0], w[1] >> 16, w[1] & 0xffff,
                          w[2] >> 16, w[2] & 0xffff, w[3]);
}

static void
job_set_items (VigilDemoServer *self,
               DemoJob         *job,
               GArray          *songs,
               double           item_seconds)
{
  job->items = g_array_sized_new (FALSE, FALSE, sizeof (DemoItem), songs->len);
  job->estimate = item_seconds > 0 ? item_seconds : self->song_seconds;

  for (guint i = 0; i < songs->len; i++)
    {
      DemoItem item = { g_array_index (songs, gint64, i), job->total, item_seconds };

      if (item_seconds <= 0)
        item.seconds = self->song_seconds * g_rand_double_range (self->sim_rand, 0.75, 1.25);
      job->total += item.seconds;
      g_array_append_val (job->items, item);
    }
}

/* failure-rate is decided when the job is created: where it will fail */
static void
job_decide_failure (VigilDemoServer *self,
                    DemoJob         *job)
{
  double remaining = job->total - job->phase_work;
  guint which;

  if (!(self->failure_rate > 0) || g_rand_double (self->sim_rand) >= self->failure_rate)
    return;

  which = g_rand_int_range (self->sim_rand, 0, G_N_ELEMENTS (failure_messages));
  job->failure = failure_messages[which];
  job->end_work = job->phase_work + remaining * g_rand_double_range (self->sim_rand, 0.05, 0.95);
}

DemoJob *
vigil_demo_job_new (VigilDemoServer *self,
                    VigilJobKind     kind,
                    gint64           target_id,
                    GArray          *songs,
                    double           item_seconds,
                    double           phase)
{
  DemoJob *job = g_new0 (DemoJob, 1);

  g_assert (songs->len > 0);

  job->id = new_job_id (self->sim_rand);
  while (g_hash_table_contains (self->jobs_by_id, job->id))
    {
      g_free (job->id);
      job->id = new_job_id (self->sim_rand);
    }

  job->kind = kind;
  job->target_id = target_id;
  job->seq = self->next_seq++;
  job->status = VIGIL_JOB_STATUS_PENDING;
  job_set_items (self, job, songs, item_seconds);
  job->phase_work = CLAMP (phase, 0.0, 1.0) * job->total;
  job->end_work = job->total;
  job_decide_failure (self, job);
  job->created_wall = g_get_real_time ();
  job->start_vt = -1;
  job->finish_vt = -1;

  return job;
}

void
vigil_demo_job_free (DemoJob *job)
{
  g_free (job->id);
  g_clear_pointer (&job->items, g_array_unref);
  g_free (job);
}

/* ------------------------------------------------------------------ */
/* Its songs                                                           */
/* ------------------------------------------------------------------ */

VigilPriority
vigil_demo_job_priority (const DemoJob *job)
{
  switch (job->kind)
    {
    case VIGIL_JOB_KIND_SONG:
      return VIGIL_PRIORITY_HIGH;
    case VIGIL_JOB_KIND_PLAYLIST:
      return VIGIL_PRIORITY_MEDIUM;
    case VIGIL_JOB_KIND_BACKGROUND:
    case VIGIL_JOB_KIND_UNKNOWN:
    default:
      return VIGIL_PRIORITY_LOW;
    }
}

const DemoItem *
vigil_demo_job_item (const DemoJob *job,
                     guint          pos)
{
  return &g_array_index (job->items, DemoItem, pos);
}

/* The song being worked on at a work position */
guint
vigil_demo_job_item_at (const DemoJob *job,
                        double         work)
{
  for (guint i = 0; i < job->items->len; i++)
    {
      const DemoItem *item = vigil_demo_job_item (job, i);

      if (work < item->start + item->seconds)
        return i;
    }

  return job->items->len - 1;
}

double
vigil_demo_job_end_vt (const DemoJob *job)
{
  return job->start_vt + (job->end_work - job->phase_work);
}

gboolean
vigil_demo_job_has_progress (const DemoJob *job)
{
  return job->status == VIGIL_JOB_STATUS_IN_PROGRESS && !job->progress_dropped;
}

/* ------------------------------------------------------------------ */
/* What a job is doing                                                 */
/* ------------------------------------------------------------------ */

static VigilStep
step_at (double song_fraction)
{
  if (song_fraction < STARTING_END)
    return VIGIL_STEP_STARTING;
  if (song_fraction < FETCHING_END)
    return VIGIL_STEP_FETCHING_LYRICS;
  return VIGIL_STEP_ANALYZING;
}

/* From the time the songs finished in this run took; before the first one
 * finishes, from the estimate */
static double
job_eta (const DemoJob *job,
         guint          current,
         double         work)
{
  guint first = vigil_demo_job_item_at (job, job->phase_work);
  const DemoItem *item = vigil_demo_job_item (job, current);
  double per_song = job->estimate;

  if (current > first)
    per_song = (item->start - job->phase_work) / (current - first);

  return MAX (0.0, per_song * (job->items->len - current) - (work - item->start));
}

void
vigil_demo_job_snapshot (const DemoJob *job,
                         double         now,
                         DemoSnapshot  *snap)
{
  double work = CLAMP (job->phase_work + (now - job->start_vt), 0.0, job->end_work);
  const DemoItem *item;

  snap->current = vigil_demo_job_item_at (job, work);
  item = vigil_demo_job_item (job, snap->current);
  snap->song_fraction = item->seconds > 0
                        ? CLAMP ((work - item->start) / item->seconds, 0.0, 1.0)
                        : 1.0;
  snap->step = step_at (snap->song_fraction);
  snap->eta = job_eta (job, snap->current, work);
}

/* job.progress when there is no progress record */
double
vigil_demo_job_fraction (const DemoJob *job,
                         double         now)
{
  DemoSnapshot snap;

  switch (job->status)
    {
    case VIGIL_JOB_STATUS_COMPLETED:
      return 1.0;
    case VIGIL_JOB_STATUS_FAILED:
      return (double) vigil_demo_job_item_at (job, job->end_work) / job->items->len;
    case VIGIL_JOB_STATUS_IN_PROGRESS:
      vigil_demo_job_snapshot (job, now, &snap);
      return (double) snap.current / job->items->len;
    default:
      return 0.0;
    }
}

double
vigil_demo_job_seconds_left (const DemoJob *job,
                             double         now)
{
  DemoSnapshot snap;

  if (job->status == VIGIL_JOB_STATUS_PENDING)
    return job->estimate * job->items->len * (1.0 - job->phase_work / job->total);

  if (job->status != VIGIL_JOB_STATUS_IN_PROGRESS)
    return 0.0;

  vigil_demo_job_snapshot (job, now, &snap);
  return snap.eta;
}

