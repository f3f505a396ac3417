/* vigil-types.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "vigil-types.h"

/* ------------------------------------------------------------------ */
/* Enum helpers                                                        */
/* ------------------------------------------------------------------ */

typedef struct
{
  const char *name;
  int         value;
} NameValue;

static int
lookup (const NameValue *table,
        const char      *str,
        int              fallback)
{
  if (str == NULL)
    return fallback;

  for (guint i = 0; table[i].name != NULL; i++)
    if (g_ascii_strcasecmp (table[i].name, str) == 0)
      return table[i].value;

  return fallback;
}

static const NameValue kinds[] = {
  { "song_analysis", VIGIL_JOB_KIND_SONG },
  { "playlist_analysis", VIGIL_JOB_KIND_PLAYLIST },
  { "background_analysis", VIGIL_JOB_KIND_BACKGROUND },
  { NULL, 0 }
};

static const NameValue statuses[] = {
  { "PENDING", VIGIL_JOB_STATUS_PENDING },
  { "IN_PROGRESS", VIGIL_JOB_STATUS_IN_PROGRESS },
  { "COMPLETED", VIGIL_JOB_STATUS_COMPLETED },
  { "FAILED", VIGIL_JOB_STATUS_FAILED },
  { "INTERRUPTED", VIGIL_JOB_STATUS_INTERRUPTED },
  { "CANCELLED", VIGIL_JOB_STATUS_CANCELLED },
  { "CANCELED", VIGIL_JOB_STATUS_CANCELLED },
  { NULL, 0 }
};

static const NameValue steps[] = {
  { "starting", VIGIL_STEP_STARTING },
  { "fetching_lyrics", VIGIL_STEP_FETCHING_LYRICS },
  { "lyrics_fetching", VIGIL_STEP_FETCHING_LYRICS },
  { "analyzing", VIGIL_STEP_ANALYZING },
  { "analysis", VIGIL_STEP_ANALYZING },
  { "complete", VIGIL_STEP_COMPLETE },
  { NULL, 0 }
};

static const NameValue priorities[] = {
  { "HIGH", VIGIL_PRIORITY_HIGH },
  { "MEDIUM", VIGIL_PRIORITY_MEDIUM },
  { "LOW", VIGIL_PRIORITY_LOW },
  { NULL, 0 }
};

static const char *
name_of (const NameValue *table,
         int              value,
         const char      *fallback)
{
  for (guint i = 0; table[i].name != NULL; i++)
    if (table[i].value == value)
      return table[i].name;

  return fallback;
}

VigilJobKind
vigil_job_kind_from_string (const char *str)
{
  return lookup (kinds, str, VIGIL_JOB_KIND_UNKNOWN);
}

const char *
vigil_job_kind_to_string (VigilJobKind kind)
{
  return name_of (kinds, kind, "unknown");
}

VigilJobStatus
vigil_job_status_from_string (const char *str)
{
  return lookup (statuses, str, VIGIL_JOB_STATUS_UNKNOWN);
}

const char *
vigil_job_status_to_string (VigilJobStatus status)
{
  return name_of (statuses, status, "UNKNOWN");
}

gboolean
vigil_job_status_is_terminal (VigilJobStatus status)
{
  return status == VIGIL_JOB_STATUS_COMPLETED || vigil_job_status_is_failure (status);
}

gboolean
vigil_job_status_is_failure (VigilJobStatus status)
{
  return status == VIGIL_JOB_STATUS_FAILED ||
         status == VIGIL_JOB_STATUS_INTERRUPTED ||
         status == VIGIL_JOB_STATUS_CANCELLED;
}

VigilStep
vigil_step_from_string (const char *str)
{
  return lookup (steps, str, VIGIL_STEP_OTHER);
}

const char *
vigil_step_to_string (VigilStep step)
{
  return name_of (steps, step, "other");
}

VigilPriority
vigil_priority_from_string (const char *str)
{
  return lookup (priorities, str, VIGIL_PRIORITY_UNKNOWN);
}

const char *
vigil_priority_to_string (VigilPriority priority)
{
  return name_of (priorities, priority, "UNKNOWN");
}

/* ------------------------------------------------------------------ */
/* Numbers                                                             */
/* ------------------------------------------------------------------ */

gint64
vigil_seconds_to_units (double        seconds,
                        double        unit_seconds,
                        VigilRounding rounding)
{
  double units;

  g_return_val_if_fail (unit_seconds >= 1e-6 && isfinite (unit_seconds), -1);

  /* false for NaN too */
  if (!(seconds >= 0 && seconds <= VIGIL_MAX_SECONDS))
    return -1;

  units = seconds / unit_seconds;
  switch (rounding)
    {
    case VIGIL_ROUND_DOWN:
      units = floor (units);
      break;
    case VIGIL_ROUND_UP:
      units = ceil (units);
      break;
    case VIGIL_ROUND_NEAREST:
    default:
      units = round (units);
      break;
    }

  /* At most a year in microseconds (3.2e13): well inside gint64. */
  return (gint64) units;
}

/* ------------------------------------------------------------------ */
/* Boxed types                                                         */
/* ------------------------------------------------------------------ */

static GDateTime *
ref_date (GDateTime *dt)
{
  return dt != NULL ? g_date_time_ref (dt) : NULL;
}

VigilSongRef *
vigil_song_ref_new (void)
{
  VigilSongRef *ref = g_new0 (VigilSongRef, 1);

  ref->id = -1;
  return ref;
}

VigilSongRef *
vigil_song_ref_copy (const VigilSongRef *ref)
{
  VigilSongRef *copy;

  g_return_val_if_fail (ref != NULL, NULL);

  copy = g_memdup2 (ref, sizeof *ref);
  copy->title = g_strdup (ref->title);
  copy->artist = g_strdup (ref->artist);
  return copy;
}

void
vigil_song_ref_free (VigilSongRef *ref)
{
  if (ref == NULL)
    return;

  g_free (ref->title);
  g_free (ref->artist);
  g_free (ref);
}

G_DEFINE_BOXED_TYPE (VigilSongRef, vigil_song_ref, vigil_song_ref_copy, vigil_song_ref_free)

VigilProgress *
vigil_progress_new (void)
{
  VigilProgress *p = g_new0 (VigilProgress, 1);

  p->fraction = VIGIL_UNKNOWN;
  p->estimated_duration_per_item = VIGIL_UNKNOWN;
  p->step_progress = VIGIL_UNKNOWN;
  p->eta_seconds = VIGIL_UNKNOWN;
  p->total_songs = -1;
  p->processed_songs = -1;
  p->song_progress = VIGIL_UNKNOWN;
  return p;
}

VigilProgress *
vigil_progress_copy (const VigilProgress *progress)
{
  VigilProgress *copy;

  g_return_val_if_fail (progress != NULL, NULL);

  copy = g_memdup2 (progress, sizeof *progress);
  copy->job_id = g_strdup (progress->job_id);
  copy->start_time = ref_date (progress->start_time);
  copy->step_raw = g_strdup (progress->step_raw);
  copy->message = g_strdup (progress->message);
  copy->current_song = progress->current_song ? vigil_song_ref_copy (progress->current_song) : NULL;
  return copy;
}

void
vigil_progress_free (VigilProgress *progress)
{
  if (progress == NULL)
    return;

  g_free (progress->job_id);
  g_clear_pointer (&progress->start_time, g_date_time_unref);
  g_free (progress->step_raw);
  g_free (progress->message);
  vigil_song_ref_free (progress->current_song);
  g_free (progress);
}

gboolean
vigil_progress_is_terminal (const VigilProgress *progress)
{
  g_return_val_if_fail (progress != NULL, FALSE);

  return progress->fraction >= 1.0 ||
         progress->step == VIGIL_STEP_COMPLETE ||
         progress->is_complete ||
         vigil_job_status_is_terminal (progress->status);
}

G_DEFINE_BOXED_TYPE (VigilProgress, vigil_progress, vigil_progress_copy, vigil_progress_free)

VigilJobRecord *
vigil_job_record_new (void)
{
  VigilJobRecord *r = g_new0 (VigilJobRecord, 1);

  r->target_id = -1;
  r->fraction = VIGIL_UNKNOWN;
  r->estimated_completion_minutes = VIGIL_UNKNOWN;
  return r;
}

VigilJobRecord *
vigil_job_record_copy (const VigilJobRecord *record)
{
  VigilJobRecord *copy;

  g_return_val_if_fail (record != NULL, NULL);

  copy = g_memdup2 (record, sizeof *record);
  copy->job_id = g_strdup (record->job_id);
  copy->created_at = ref_date (record->created_at);
  copy->started_at = ref_date (record->started_at);
  copy->song_title = g_strdup (record->song_title);
  copy->artist = g_strdup (record->artist);
  copy->playlist_name = g_strdup (record->playlist_name);
  copy->progress = record->progress ? vigil_progress_copy (record->progress) : NULL;
  copy->error_message = g_strdup (record->error_message);
  copy->status_raw = g_strdup (record->status_raw);
  copy->job_type_raw = g_strdup (record->job_type_raw);
  copy->priority_raw = g_strdup (record->priority_raw);
  return copy;
}

void
vigil_job_record_free (VigilJobRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->job_id);
  g_clear_pointer (&record->created_at, g_date_time_unref);
  g_clear_pointer (&record->started_at, g_date_time_unref);
  g_free (record->song_title);
  g_free (record->artist);
  g_free (record->playlist_name);
  vigil_progress_free (record->progress);
  g_free (record->error_message);
  g_free (record->status_raw);
  g_free (record->job_type_raw);
  g_free (record->priority_raw);
  g_free (record);
}

gboolean
vigil_job_record_is_failure (const VigilJobRecord *record)
{
  g_return_val_if_fail (record != NULL, FALSE);

  return vigil_job_status_is_failure (record->status) ||
         (record->error_message != NULL && record->error_message[0] != '\0');
}

G_DEFINE_BOXED_TYPE (VigilJobRecord, vigil_job_record, vigil_job_record_copy, vigil_job_record_free)

VigilStartResult *
vigil_start_result_new (void)
{
  VigilStartResult *r = g_new0 (VigilStartResult, 1);

  r->queued_count = -1;
  r->song_id = -1;
  r->user_id = -1;
  return r;
}

VigilStartResult *
vigil_start_result_copy (const VigilStartResult *result)
{
  VigilStartResult *copy;

  g_return_val_if_fail (result != NULL, NULL);

  copy = g_memdup2 (result, sizeof *result);
  copy->job_id = g_strdup (result->job_id);
  copy->message = g_strdup (result->message);
  return copy;
}

void
vigil_start_result_free (VigilStartResult *result)
{
  if (result == NULL)
    return;

  g_free (result->job_id);
  g_free (result->message);
  g_free (result);
}

G_DEFINE_BOXED_TYPE (VigilStartResult, vigil_start_result, vigil_start_result_copy, vigil_start_result_free)

VigilQueueStatus *
vigil_queue_status_new (void)
{
  VigilQueueStatus *s = g_new0 (VigilQueueStatus, 1);

  s->total_jobs = s->pending_jobs = s->in_progress_jobs = -1;
  s->completed_jobs = s->failed_jobs = -1;
  s->priority_high = s->priority_medium = s->priority_low = -1;
  s->estimated_completion_minutes = VIGIL_UNKNOWN;
  return s;
}

VigilQueueStatus *
vigil_queue_status_copy (const VigilQueueStatus *status)
{
  VigilQueueStatus *copy;

  g_return_val_if_fail (status != NULL, NULL);

  copy = g_memdup2 (status, sizeof *status);
  copy->active_job = status->active_job ? vigil_job_record_copy (status->active_job) : NULL;
  return copy;
}

void
vigil_queue_status_free (VigilQueueStatus *status)
{
  if (status == NULL)
    return;

  vigil_job_record_free (status->active_job);
  g_free (status);
}

G_DEFINE_BOXED_TYPE (VigilQueueStatus, vigil_queue_status, vigil_queue_status_copy, vigil_queue_status_free)

VigilWorkerHealth *
vigil_worker_health_new (void)
{
  VigilWorkerHealth *h = g_new0 (VigilWorkerHealth, 1);

  h->status = g_strdup ("unknown");
  h->uptime_seconds = VIGIL_UNKNOWN;
  h->jobs_processed = h->jobs_failed = h->jobs_interrupted = -1;
  return h;
}

VigilWorkerHealth *
vigil_worker_health_copy (const VigilWorkerHealth *health)
{
  VigilWorkerHealth *copy;

  g_return_val_if_fail (health != NULL, NULL);

  copy = g_memdup2 (health, sizeof *health);
  copy->status = g_strdup (health->status);
  copy->last_heartbeat = ref_date (health->last_heartbeat);
  copy->current_job = health->current_job ? vigil_job_record_copy (health->current_job) : NULL;
  copy->status_raw = g_strdup (health->status_raw);
  return copy;
}

void
vigil_worker_health_free (VigilWorkerHealth *health)
{
  if (health == NULL)
    return;

  g_free (health->status);
  g_clear_pointer (&health->last_heartbeat, g_date_time_unref);
  vigil_job_record_free (health->current_job);
  g_free (health->status_raw);
  g_free (health);
}

G_DEFINE_BOXED_TYPE (VigilWorkerHealth, vigil_worker_health, vigil_worker_health_copy, vigil_worker_health_free)

VigilQueueHealth *
vigil_queue_health_new (void)
{
  VigilQueueHealth *h = g_new0 (VigilQueueHealth, 1);

  h->total_jobs = h->pending_jobs = h->in_progress_jobs = -1;
  h->completed_jobs = h->failed_jobs = -1;
  return h;
}

VigilQueueHealth *
vigil_queue_health_copy (const VigilQueueHealth *health)
{
  VigilQueueHealth *copy;

  g_return_val_if_fail (health != NULL, NULL);

  copy = g_memdup2 (health, sizeof *health);
  copy->status = g_strdup (health->status);
  copy->details = g_strdup (health->details);
  copy->issues = g_strdupv (health->issues);
  return copy;
}

void
vigil_queue_health_free (VigilQueueHealth *health)
{
  if (health == NULL)
    return;

  g_free (health->status);
  g_free (health->details);
  g_strfreev (health->issues);
  g_free (health);
}

G_DEFINE_BOXED_TYPE (VigilQueueHealth, vigil_queue_health, vigil_queue_health_copy, vigil_queue_health_free)

/* ------------------------------------------------------------------ */
/* Ids                                                                 */
/* ------------------------------------------------------------------ */

gboolean
vigil_parse_positive_id (const char  *text,
                         gint64      *out,
                         GError     **error)
{
  guint64 value;

  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* GLib refuses signs, spaces and junk, and says why. */
  if (!g_ascii_string_to_unsigned (text != NULL ? text : "", 10, 1, G_MAXINT64, &value, error))
    return FALSE;

  *out = (gint64) value;
  return TRUE;
}
