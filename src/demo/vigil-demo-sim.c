/* vigil-demo-sim.c — the demo server's virtual clock and its event-driven
 * simulation: the queue, the workers, pickups and finishes, and the
 * job-started / job-finished events they make
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "vigil-demo-server-private.h"

static void arm_timer (VigilDemoServer *self);

/* ------------------------------------------------------------------ */
/* The virtual clock                                                   */
/* ------------------------------------------------------------------ */

static double
virtual_at (VigilDemoServer *self,
            gint64           mono)
{
  return self->anchor_virtual +
         (double) (mono - self->anchor_mono) / G_USEC_PER_SEC * self->speed;
}

double
vigil_demo_sim_now (VigilDemoServer *self)
{
  return virtual_at (self, g_get_monotonic_time ());
}

gint64
vigil_demo_sim_wall_time_at (VigilDemoServer *self,
                             double           vt)
{
  double real_ago = (vigil_demo_sim_now (self) - vt) / self->speed;

  return g_get_real_time () - (gint64) (real_ago * G_USEC_PER_SEC);
}

/* The clock keeps its reading and goes on at the new rate */
void
vigil_demo_sim_set_speed (VigilDemoServer *self,
                          double           speed)
{
  gint64 mono;

  vigil_demo_sim_advance (self);
  mono = g_get_monotonic_time ();
  self->anchor_virtual = virtual_at (self, mono);
  self->anchor_mono = mono;
  self->speed = speed;
  arm_timer (self);
}

/* ------------------------------------------------------------------ */
/* Events                                                              */
/* ------------------------------------------------------------------ */

static void
demo_event_clear (gpointer data)
{
  DemoEvent *event = data;

  g_free (event->job_id);
}

GArray *
vigil_demo_sim_new_event_array (void)
{
  GArray *events = g_array_new (FALSE, FALSE, sizeof (DemoEvent));

  g_array_set_clear_func (events, demo_event_clear);
  return events;
}

static void
queue_event (VigilDemoServer *self,
             const DemoJob   *job,
             DemoEventKind    kind)
{
  DemoEvent event = { g_strdup (job->id), kind, job->status };

  g_array_append_val (self->events, event);
}

static void
emit_events (VigilDemoServer *self)
{
  g_autoptr(GArray) events = NULL;

  if (self->events->len == 0)
    return;

  /* handlers may call back in and queue more events */
  events = g_steal_pointer (&self->events);
  self->events = vigil_demo_sim_new_event_array ();

  g_object_ref (self);
  for (guint i = 0; i < events->len; i++)
    vigil_demo_server_emit_event (self, &g_array_index (events, DemoEvent, i));
  g_object_unref (self);
}

/* ------------------------------------------------------------------ */
/* Workers: pickups and finishes                                       */
/* ------------------------------------------------------------------ */

/* Highest priority first (HIGH = 1), FIFO within a priority */
static DemoJob *
take_next_pending (VigilDemoServer *self)
{
  guint best = 0;

  for (guint i = 1; i < self->pending->len; i++)
    {
      const DemoJob *job = g_ptr_array_index (self->pending, i);
      const DemoJob *best_job = g_ptr_array_index (self->pending, best);

      if (vigil_demo_job_priority (job) < vigil_demo_job_priority (best_job))
        best = i;
    }

  return g_ptr_array_steal_index (self->pending, best);
}

static void
mark_analyzed (VigilDemoServer *self,
               const DemoJob   *job)
{
  guint done = job->items->len;

  if (job->status == VIGIL_JOB_STATUS_FAILED)
    done = vigil_demo_job_item_at (job, job->end_work);

  for (guint i = 0; i < done; i++)
    self->analyzed[vigil_demo_job_item (job, i)->song_id] = TRUE;
}

static void
start_job (VigilDemoServer *self,
           DemoJob         *job,
           double           vt)
{
  job->status = VIGIL_JOB_STATUS_IN_PROGRESS;
  job->start_vt = vt;
  /* the clock mapping is exact to a few µs: never start before creation */
  job->started_wall = MAX (vigil_demo_sim_wall_time_at (self, vt), job->created_wall);
  g_ptr_array_add (self->running, job);
  queue_event (self, job, DEMO_EVENT_JOB_STARTED);
}

static void
finish_job (VigilDemoServer *self,
            DemoJob         *job)
{
  job->finish_vt = vigil_demo_job_end_vt (job);
  job->finished_wall = vigil_demo_sim_wall_time_at (self, job->finish_vt);
  job->status = job->failure != NULL ? VIGIL_JOB_STATUS_FAILED : VIGIL_JOB_STATUS_COMPLETED;
  g_ptr_array_remove (self->running, job);
  mark_analyzed (self, job);

  self->jobs_processed++;
  if (job->failure != NULL)
    self->jobs_failed++;

  queue_event (self, job, DEMO_EVENT_JOB_FINISHED);
}

static DemoJob *
next_to_finish (VigilDemoServer *self)
{
  DemoJob *next = NULL;

  for (guint i = 0; i < self->running->len; i++)
    {
      DemoJob *job = g_ptr_array_index (self->running, i);

      if (next == NULL || vigil_demo_job_end_vt (job) < vigil_demo_job_end_vt (next))
        next = job;
    }

  return next;
}

/* Process pickups and finishes in virtual-time order up to now. Pickups need
 * no event of their own: a job is picked up the moment a worker is free. */
static void
simulate_until (VigilDemoServer *self,
                double           now)
{
  for (;;)
    {
      DemoJob *job;

      while (self->running->len < self->workers && self->pending->len > 0)
        start_job (self, take_next_pending (self), self->sim_time);

      job = next_to_finish (self);
      if (job == NULL || vigil_demo_job_end_vt (job) > now)
        break;

      self->sim_time = MAX (self->sim_time, vigil_demo_job_end_vt (job));
      finish_job (self, job);
    }

  self->sim_time = MAX (self->sim_time, now);
}

static gboolean
on_timer (gpointer data)
{
  VigilDemoServer *self = data;

  self->timer_id = 0;
  vigil_demo_sim_advance (self);

  return G_SOURCE_REMOVE;
}

/* One timeout at the next event, so that finishes (and the signals) happen
 * on time even when nobody asks */
static void
arm_timer (VigilDemoServer *self)
{
  DemoJob *next = next_to_finish (self);
  double delay_ms;

  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (next == NULL)
    return;

  /* high priority: a finish is not held up behind request I/O */
  delay_ms = ceil ((vigil_demo_job_end_vt (next) - vigil_demo_sim_now (self)) /
                   self->speed * 1000.0);
  self->timer_id = g_timeout_add_full (G_PRIORITY_HIGH,
                                       (guint) CLAMP (delay_ms, 0.0, (double) G_MAXINT),
                                       on_timer, self, NULL);
}

void
vigil_demo_sim_advance (VigilDemoServer *self)
{
  simulate_until (self, vigil_demo_sim_now (self));
  arm_timer (self);
  emit_events (self);
}

void
vigil_demo_sim_set_workers (VigilDemoServer *self,
                            guint            workers)
{
  vigil_demo_sim_advance (self);
  self->workers = workers;
  vigil_demo_sim_advance (self);
}

/* ------------------------------------------------------------------ */
/* The queue                                                           */
/* ------------------------------------------------------------------ */

DemoJob *
vigil_demo_sim_enqueue (VigilDemoServer *self,
                        VigilJobKind     kind,
                        gint64           target_id,
                        GArray          *songs,
                        double           item_seconds,
                        double           phase)
{
  DemoJob *job;

  vigil_demo_sim_advance (self);

  job = vigil_demo_job_new (self, kind, target_id, songs, item_seconds, phase);
  job->queued_vt = self->sim_time;
  g_ptr_array_add (self->jobs, job);
  g_hash_table_insert (self->jobs_by_id, job->id, job);
  g_ptr_array_add (self->pending, job);

  vigil_demo_sim_advance (self);

  return job;
}

DemoJob *
vigil_demo_sim_lookup (VigilDemoServer *self,
                       const char      *job_id)
{
  return g_hash_table_lookup (self->jobs_by_id, job_id);
}

/* The jobs keep running; only their progress records go */
guint
vigil_demo_sim_drop_progress (VigilDemoServer *self,
                              double           max_age_seconds)
{
  guint dropped = 0;

  for (guint i = 0; i < self->running->len; i++)
    {
      DemoJob *job = g_ptr_array_index (self->running, i);

      if (vigil_demo_job_has_progress (job) && self->sim_time - job->start_vt > max_age_seconds)
        {
          job->progress_dropped = TRUE;
          dropped++;
        }
    }

  return dropped;
}

void
vigil_demo_sim_count_queue (VigilDemoServer *self,
                            DemoQueueCounts *counts)
{
  memset (counts, 0, sizeof *counts);
  counts->total = self->jobs->len;

  for (guint i = 0; i < self->jobs->len; i++)
    {
      const DemoJob *job = g_ptr_array_index (self->jobs, i);

      counts->by_status[job->status]++;
      if (job->status == VIGIL_JOB_STATUS_PENDING)
        counts->by_priority[vigil_demo_job_priority (job)]++;
      counts->seconds_left += vigil_demo_job_seconds_left (job, self->sim_time);
    }
}

double
vigil_demo_sim_oldest_pending_seconds (VigilDemoServer *self)
{
  double oldest = 0;

  for (guint i = 0; i < self->pending->len; i++)
    {
      const DemoJob *job = g_ptr_array_index (self->pending, i);

      oldest = MAX (oldest, self->sim_time - job->queued_vt);
    }

  return oldest;
}
