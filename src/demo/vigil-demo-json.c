/* vigil-demo-json.c — the demo server's answers as JSON, in the live
 * service's spellings: progress records, job records, the queue, the
 * worker, queue health and the demo's own statistics
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "vigil-json-builder.h"

#include "vigil-demo-server-private.h"

#define HEARTBEAT_SECONDS 10.0

/* ------------------------------------------------------------------ */
/* Numbers and times                                                   */
/* ------------------------------------------------------------------ */

static gint64
minutes_from_seconds (double seconds)
{
  return (gint64) ceil (seconds / 60.0);
}

static double
round_to (double value,
          int    digits)
{
  double scale = pow (10.0, digits);

  return round (value * scale) / scale;
}

/* The service's spelling of a time (µs since the epoch): ISO 8601 with
 * microseconds and offset always; null for 0 */
static void
add_time (JsonBuilder *b,
          const char  *name,
          gint64       wall_us)
{
  g_autoptr(GDateTime) seconds = NULL;
  g_autoptr(GDateTime) time = NULL;

  if (wall_us <= 0)
    {
      vigil_json_add_null (b, name);
      return;
    }

  seconds = g_date_time_new_from_unix_utc (wall_us / G_USEC_PER_SEC);
  time = g_date_time_add (seconds, wall_us % G_USEC_PER_SEC);
  vigil_json_take_string (b, name, g_date_time_format (time, "%Y-%m-%dT%H:%M:%S.%f%:z"));
}

/* ------------------------------------------------------------------ */
/* Progress records                                                    */
/* ------------------------------------------------------------------ */

static void
build_song (JsonBuilder *b,
            gint64       song_id)
{
  json_builder_begin_object (b);
  vigil_json_add_int (b, "id", song_id);
  vigil_json_take_string (b, "title", vigil_demo_catalog_song_title (song_id));
  vigil_json_add_string (b, "artist", vigil_demo_catalog_song_artist (song_id));
  json_builder_end_object (b);
}

static const char *
step_name (VigilDemoServer *self,
           VigilStep        step)
{
  if (self->production_steps && step == VIGIL_STEP_FETCHING_LYRICS)
    return "lyrics_fetching";
  if (self->production_steps && step == VIGIL_STEP_ANALYZING)
    return "analysis";

  return vigil_step_to_string (step);
}

/* Production workers report a few fixed values per song */
static double
step_progress (VigilDemoServer    *self,
               const DemoSnapshot *snap)
{
  if (!self->production_steps)
    return round_to (snap->song_fraction, 3);

  switch (snap->step)
    {
    case VIGIL_STEP_FETCHING_LYRICS:
      return 0.3;
    case VIGIL_STEP_ANALYZING:
      return 0.7;
    default:
      return 0.0;
    }
}

static char *
step_message (const DemoJob      *job,
              const DemoSnapshot *snap)
{
  gint64 song_id = vigil_demo_job_item (job, snap->current)->song_id;
  g_autofree char *title = vigil_demo_catalog_song_title (song_id);
  const char *artist = vigil_demo_catalog_song_artist (song_id);

  switch (snap->step)
    {
    case VIGIL_STEP_STARTING:
      return g_strdup_printf ("Starting analysis of '%s' by %s", title, artist);
    case VIGIL_STEP_FETCHING_LYRICS:
      return g_strdup_printf ("Fetching lyrics for '%s' by %s", title, artist);
    default:
      return g_strdup_printf ("Analyzing '%s' by %s", title, artist);
    }
}

static gboolean
wants_metadata (VigilDemoServer *self,
                const DemoJob   *job)
{
  return job->kind != VIGIL_JOB_KIND_SONG && !self->no_metadata && !self->production_steps;
}

static void
build_progress_metadata (const DemoJob      *job,
                         const DemoSnapshot *snap,
                         JsonBuilder        *b)
{
  json_builder_set_member_name (b, "metadata");
  json_builder_begin_object (b);
  vigil_json_add_int (b, "total_songs", job->items->len);
  vigil_json_add_int (b, "processed_songs", snap->current);
  json_builder_set_member_name (b, "current_song");
  build_song (b, vigil_demo_job_item (job, snap->current)->song_id);
  vigil_json_add_double (b, "song_progress", round_to (snap->song_fraction, 3));
  json_builder_end_object (b);
}

/* The progress record of a running job */
void
vigil_demo_json_progress (VigilDemoServer *self,
                          const DemoJob   *job,
                          JsonBuilder     *b)
{
  double total = job->items->len;
  DemoSnapshot snap;

  vigil_demo_job_snapshot (job, self->sim_time, &snap);

  json_builder_begin_object (b);
  vigil_json_add_string (b, "job_id", job->id);
  vigil_json_add_string (b, "job_type", vigil_job_kind_to_string (job->kind));
  vigil_json_add_int (b, "total_items", job->items->len);
  vigil_json_add_int (b, "completed_items", snap.current);
  vigil_json_add_double (b, self->old_shape ? "progress" : "current_progress",
                         round_to (snap.current / total, 4));
  add_time (b, "start_time", job->started_wall);
  vigil_json_add_double (b, "estimated_duration_per_item", round_to (job->estimate, 1));
  vigil_json_add_string (b, "current_step", step_name (self, snap.step));
  vigil_json_add_double (b, "step_progress", step_progress (self, &snap));
  vigil_json_take_string (b, self->old_shape ? "message" : "current_message",
                          step_message (job, &snap));
  vigil_json_add_bool (b, "is_complete", FALSE);
  vigil_json_add_double (b, "eta_seconds", round_to (snap.eta, 1));
  if (self->old_shape)
    vigil_json_add_string (b, "status", "in_progress");
  if (wants_metadata (self, job))
    build_progress_metadata (job, &snap, b);
  json_builder_end_object (b);
}

/* ------------------------------------------------------------------ */
/* Job records                                                         */
/* ------------------------------------------------------------------ */

static void
build_job_metadata (const DemoJob *job,
                    JsonBuilder   *b)
{
  gboolean playlist = job->kind == VIGIL_JOB_KIND_PLAYLIST;

  json_builder_set_member_name (b, "metadata");
  json_builder_begin_object (b);
  if (job->kind == VIGIL_JOB_KIND_SONG)
    {
      gint64 song_id = vigil_demo_job_item (job, 0)->song_id;

      vigil_json_add_int (b, "song_id", song_id);
      vigil_json_take_string (b, "song_title", vigil_demo_catalog_song_title (song_id));
      vigil_json_add_string (b, "artist", vigil_demo_catalog_song_artist (song_id));
    }
  else
    {
      vigil_json_add_int (b, playlist ? "playlist_id" : "user_id", job->target_id);
      vigil_json_take_string (b, playlist ? "playlist_name" : "username",
                              vigil_demo_catalog_target_name (job->kind, job->target_id));
      vigil_json_add_int (b, "song_count", job->items->len);
      if (playlist)
        vigil_json_add_bool (b, "reanalyze", job->reanalyze);
    }
  add_time (b, "requested_at", job->created_wall);
  json_builder_end_object (b);
}

/* with_status FALSE: a worker's current_job on the live service, which
 * carries no status */
static void
build_job_record_full (VigilDemoServer *self,
                       const DemoJob   *job,
                       gboolean         with_status,
                       JsonBuilder     *b)
{
  double now = self->sim_time;

  json_builder_begin_object (b);
  vigil_json_add_string (b, "job_id", job->id);
  if (with_status)
    vigil_json_add_string (b, "status", vigil_job_status_to_string (job->status));
  vigil_json_take_string (b, "job_type",
                          g_ascii_strup (vigil_job_kind_to_string (job->kind), -1));
  vigil_json_add_string (b, "priority",
                         vigil_priority_to_string (vigil_demo_job_priority (job)));
  add_time (b, "created_at", job->created_wall);
  add_time (b, "started_at", job->started_wall);
  add_time (b, "completed_at", job->finished_wall);
  build_job_metadata (job, b);
  json_builder_set_member_name (b, "progress");
  if (vigil_demo_job_has_progress (job))
    vigil_demo_json_progress (self, job, b);
  else if (self->production_quirks)
    json_builder_add_int_value (b, 0);  /* the live service's record once progress is gone */
  else
    json_builder_add_double_value (b, round_to (vigil_demo_job_fraction (job, now), 4));
  vigil_json_add_int (b, "estimated_completion_minutes",
                      minutes_from_seconds (vigil_demo_job_seconds_left (job, now)));
  if (job->status == VIGIL_JOB_STATUS_FAILED)
    vigil_json_add_string (b, "error_message", job->failure);
  json_builder_end_object (b);
}

void
vigil_demo_json_job_record (VigilDemoServer *self,
                            const DemoJob   *job,
                            JsonBuilder     *b)
{
  build_job_record_full (self, job, TRUE, b);
}

/* The first running job's record, or null */
static void
build_active_job (VigilDemoServer *self,
                  JsonBuilder     *b,
                  const char      *name,
                  gboolean         with_status)
{
  json_builder_set_member_name (b, name);
  if (self->running->len > 0)
    build_job_record_full (self, g_ptr_array_index (self->running, 0), with_status, b);
  else
    json_builder_add_null_value (b);
}

/* ------------------------------------------------------------------ */
/* Answers                                                             */
/* ------------------------------------------------------------------ */

JsonBuilder *
vigil_demo_json_begin_success (gboolean with_status)
{
  JsonBuilder *b = json_builder_new ();

  json_builder_begin_object (b);
  vigil_json_add_bool (b, "success", TRUE);
  if (with_status)
    vigil_json_add_string (b, "status", "success");

  return b;
}

JsonBuilder *
vigil_demo_json_begin_status_success (void)
{
  JsonBuilder *b = json_builder_new ();

  json_builder_begin_object (b);
  vigil_json_add_string (b, "status", "success");

  return b;
}

/* /api/queue/status's "queue" */
void
vigil_demo_json_queue (VigilDemoServer *self,
                       JsonBuilder     *b)
{
  DemoQueueCounts c;

  /* The live service's status route reads counters that stay at 0; only
   * its health route reads the queue itself. */
  if (self->production_quirks)
    memset (&c, 0, sizeof c);
  else
    vigil_demo_sim_count_queue (self, &c);

  json_builder_begin_object (b);
  vigil_json_add_int (b, "total_jobs", c.total);
  vigil_json_add_int (b, "pending_jobs", c.by_status[VIGIL_JOB_STATUS_PENDING]);
  vigil_json_add_int (b, "in_progress_jobs", c.by_status[VIGIL_JOB_STATUS_IN_PROGRESS]);
  vigil_json_add_int (b, "completed_jobs", c.by_status[VIGIL_JOB_STATUS_COMPLETED]);
  vigil_json_add_int (b, "failed_jobs", c.by_status[VIGIL_JOB_STATUS_FAILED]);
  json_builder_set_member_name (b, "priority_breakdown");
  json_builder_begin_object (b);
  for (VigilPriority p = VIGIL_PRIORITY_HIGH; p <= VIGIL_PRIORITY_LOW; p++)
    vigil_json_add_int (b, vigil_priority_to_string (p), c.by_priority[p]);
  json_builder_end_object (b);
  vigil_json_add_int (b, "estimated_completion_minutes",
                      minutes_from_seconds (c.seconds_left / MAX (self->workers, 1)));
  build_active_job (self, b, "active_job", TRUE);
  json_builder_end_object (b);
}

/* /api/worker/health's "worker" */
void
vigil_demo_json_worker (VigilDemoServer *self,
                        JsonBuilder     *b)
{
  double now = self->sim_time;
  double heartbeat = floor (now / HEARTBEAT_SECONDS) * HEARTBEAT_SECONDS;

  json_builder_begin_object (b);
  vigil_json_add_string (b, "status", self->workers > 0 ? "running" : "not_running");
  vigil_json_add_int (b, "uptime_seconds", (gint64) floor (now));
  vigil_json_add_int (b, "jobs_processed", self->jobs_processed);
  vigil_json_add_int (b, "jobs_failed", self->jobs_failed);
  vigil_json_add_int (b, "jobs_interrupted", 0);
  add_time (b, "last_heartbeat",
            self->workers > 0 ? vigil_demo_sim_wall_time_at (self, heartbeat) : 0);
  build_active_job (self, b, "current_job", !self->production_quirks);
  vigil_json_add_int (b, "workers", self->workers);
  vigil_json_add_int (b, "busy_workers", self->running->len);
  json_builder_end_object (b);
}

/* What the health route reads from Redis: the true counts, in either mode. */
static void
build_health_queue_status (VigilDemoServer *self,
                           JsonBuilder     *b)
{
  DemoQueueCounts c;

  vigil_demo_sim_count_queue (self, &c);
  json_builder_set_member_name (b, "queue_status");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "status_counts");
  json_builder_begin_object (b);
  vigil_json_add_int (b, "pending", c.by_status[VIGIL_JOB_STATUS_PENDING]);
  vigil_json_add_int (b, "in_progress", c.by_status[VIGIL_JOB_STATUS_IN_PROGRESS]);
  vigil_json_add_int (b, "completed", c.by_status[VIGIL_JOB_STATUS_COMPLETED]);
  vigil_json_add_int (b, "failed", c.by_status[VIGIL_JOB_STATUS_FAILED]);
  json_builder_end_object (b);
  vigil_json_add_int (b, "total_jobs", c.total);
  vigil_json_add_int (b, "queue_length", self->pending->len);
  json_builder_end_object (b);
}

/* /api/queue/health's "queue_health"; unhealthy means no workers */
void
vigil_demo_json_queue_health (VigilDemoServer *self,
                              JsonBuilder     *b)
{
  gboolean healthy = self->workers > 0;

  json_builder_begin_object (b);
  vigil_json_add_bool (b, "healthy", healthy);
  vigil_json_add_bool (b, "redis_connected", TRUE);
  vigil_json_add_int (b, "queue_length", self->pending->len);
  vigil_json_add_int (b, "active_workers", self->running->len);
  vigil_json_add_int (b, "workers", self->workers);
  vigil_json_add_double (b, "oldest_pending_seconds",
                         round_to (vigil_demo_sim_oldest_pending_seconds (self), 1));
  build_health_queue_status (self, b);
  json_builder_set_member_name (b, "issues");
  json_builder_begin_array (b);
  if (!healthy)
    json_builder_add_string_value (b, "No workers are running");
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static void
add_counters (JsonBuilder *b,
              const char  *name,
              GHashTable  *counters)
{
  GHashTableIter iter;
  gpointer key, value;

  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  g_hash_table_iter_init (&iter, counters);
  while (g_hash_table_iter_next (&iter, &key, &value))
    vigil_json_add_int (b, key, (gint64) *(guint64 *) value);
  json_builder_end_object (b);
}

/* GET /_demo/stats */
void
vigil_demo_json_stats (VigilDemoServer *self,
                       JsonBuilder     *b)
{
  json_builder_begin_object (b);
  vigil_json_add_int (b, "total_requests", self->total_requests);
  vigil_json_add_int (b, "response_bytes", self->response_bytes);
  add_counters (b, "requests", self->pattern_counts);
  add_counters (b, "jobs", self->job_counts);
  vigil_json_add_double (b, "virtual_time", round_to (self->sim_time, 3));
  vigil_json_add_double (b, "speed", self->speed);
  vigil_json_add_int (b, "workers", self->workers);
  vigil_json_add_int (b, "pending_jobs", self->pending->len);
  vigil_json_add_int (b, "running_jobs", self->running->len);
  vigil_json_add_int (b, "finished_jobs", self->jobs_processed);
  json_builder_end_object (b);
}
