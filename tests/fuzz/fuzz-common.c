/* fuzz-common.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vigil-job.h"
#include "vigil-job-text.h"

#include "fuzz-common.h"

#define CHECK(cond) \
  G_STMT_START { if (!(cond)) g_error ("%s:%d: %s", __FILE__, __LINE__, #cond); } G_STMT_END

/* ------------------------------------------------------------------ */
/* Set-up                                                              */
/* ------------------------------------------------------------------ */

/* Warnings, criticals and errors abort (SIGABRT, which libFuzzer catches;
 * GLib's own fatal path raises SIGTRAP, which it does not); the rest is
 * dropped. */
static GLogWriterOutput
write_log (GLogLevelFlags   level,
           const GLogField *fields,
           gsize            n_fields,
           gpointer         user_data)
{
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    {
      g_log_writer_standard_streams (level, fields, n_fields, user_data);
      abort ();
    }

  return G_LOG_WRITER_HANDLED;
}

void
fuzz_init (void)
{
  g_setenv ("G_SLICE", "always-malloc", TRUE);
  g_setenv ("GIO_USE_VFS", "local", TRUE);
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_log_set_writer_func (write_log, NULL, NULL);
}

char *
fuzz_strndup (const uint8_t *data,
              size_t         size)
{
  return g_strndup ((const char *) data, size);
}

/* ------------------------------------------------------------------ */
/* Values                                                              */
/* ------------------------------------------------------------------ */

void
fuzz_check_text (const char *text)
{
  if (text != NULL)
    CHECK (g_utf8_validate (text, -1, NULL));
}

void
fuzz_check_error (const GError *error)
{
  CHECK (error != NULL);
  CHECK (error->domain == VIGIL_API_ERROR);
  CHECK (error->code >= VIGIL_API_ERROR_NETWORK && error->code <= VIGIL_API_ERROR_INVALID_URL);
  CHECK (error->message != NULL && error->message[0] != '\0');
  fuzz_check_text (error->message);
}

/* Every way a text of Vigil turns seconds into a number. */
void
fuzz_check_seconds (double seconds)
{
  for (VigilRounding r = VIGIL_ROUND_DOWN; r <= VIGIL_ROUND_UP; r++)
    {
      gint64 minutes = vigil_seconds_to_units (seconds, 60, r);
      gint64 micro = vigil_seconds_to_units (seconds, 1e-6, r);

      CHECK (minutes >= -1 && minutes <= (gint64) (VIGIL_MAX_SECONDS / 60) + 1);
      CHECK (micro >= -1);
      CHECK ((minutes < 0) == (micro < 0));
    }
}

static void
check_amount (double value)
{
  CHECK (value == VIGIL_UNKNOWN || (value >= 0 && isfinite (value)));
  fuzz_check_seconds (value);
}

static void
check_fraction (double value)
{
  CHECK (value == VIGIL_UNKNOWN || (value >= 0 && value <= 1));
}

void
fuzz_check_date (GDateTime *date)
{
  g_autoptr(GTimeZone) utc = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *text = NULL;

  if (date == NULL)
    return;

  CHECK (g_date_time_get_utc_offset (date) == 0);
  text = g_date_time_format_iso8601 (date);
  CHECK (text != NULL);
  fuzz_check_text (text);

  /* The elapsed time a row shows, from a fixed "now". */
  utc = g_time_zone_new_utc ();
  now = g_date_time_new (utc, 2026, 11, 28, 20, 1, 2);
  fuzz_check_seconds (g_date_time_difference (now, date) / (double) G_USEC_PER_SEC);
  fuzz_check_seconds (g_date_time_difference (date, now) / (double) G_USEC_PER_SEC);
}

/* ------------------------------------------------------------------ */
/* Results                                                             */
/* ------------------------------------------------------------------ */

static void
check_step_texts (VigilStep step,
                  double    eta_seconds)
{
  g_autofree char *text = vigil_job_text_step (step, eta_seconds);

  CHECK (text != NULL);
  fuzz_check_text (text);
  CHECK (g_str_has_prefix (text, vigil_job_text_step_label (step)));
}

/* What the views say of the job. */
static void
check_job_texts (VigilJob *job)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) now = g_date_time_new (utc, 2026, 11, 28, 20, 1, 2);
  g_autofree char *status = vigil_job_text_status (job);
  g_autofree char *summary = vigil_job_text_summary (job, NULL);
  g_autofree char *time = vigil_job_text_time (job, now);

  CHECK (status != NULL && summary != NULL && time != NULL);
  fuzz_check_text (status);
  fuzz_check_text (summary);
  fuzz_check_text (time);
}

/* What the job model makes of it: the views show these. */
static void
check_job_model (const VigilProgress *progress)
{
  g_autoptr(VigilJob) job = vigil_job_new ("fuzz", VIGIL_JOB_KIND_SONG, -1);
  double fraction;

  vigil_job_apply_progress (job, progress, 1000000);
  vigil_job_apply_progress (job, progress, 2000000);

  fraction = vigil_job_get_fraction (job);
  CHECK (fraction == VIGIL_UNKNOWN || (fraction >= 0 && fraction <= 1));
  CHECK (vigil_job_get_completed_items (job) >= 0);
  CHECK (vigil_job_get_total_items (job) >= 0);
  fuzz_check_text (vigil_job_get_title (job));
  fuzz_check_text (vigil_job_get_message (job));
  fuzz_check_text (vigil_job_get_error_message (job));
  check_amount (vigil_job_get_eta_seconds (job));
  check_step_texts (vigil_job_get_step (job), vigil_job_get_eta_seconds (job));
  fuzz_check_date (vigil_job_get_started_at (job));
  check_job_texts (job);
}

void
fuzz_check_progress (const VigilProgress *p)
{
  g_autoptr(VigilProgress) copy = NULL;

  CHECK (p != NULL);
  fuzz_check_text (p->job_id);
  fuzz_check_text (p->step_raw);
  fuzz_check_text (p->message);
  CHECK (p->total_items >= 0 && p->completed_items >= 0);
  CHECK (p->total_songs >= -1 && p->processed_songs >= -1);
  check_fraction (p->fraction);
  check_fraction (p->step_progress);
  check_fraction (p->song_progress);
  check_amount (p->estimated_duration_per_item);
  check_amount (p->eta_seconds);
  fuzz_check_date (p->start_time);
  if (p->current_song != NULL)
    {
      CHECK (p->current_song->id >= -1);
      fuzz_check_text (p->current_song->title);
      fuzz_check_text (p->current_song->artist);
    }

  check_step_texts (p->step, p->eta_seconds);
  (void) vigil_progress_is_terminal (p);
  copy = vigil_progress_copy (p);
  CHECK (g_strcmp0 (copy->job_id, p->job_id) == 0);
  check_job_model (p);
}

void
fuzz_check_job_record (const VigilJobRecord *r)
{
  g_autoptr(VigilJobRecord) copy = NULL;
  g_autoptr(VigilJob) job = NULL;

  CHECK (r != NULL);
  fuzz_check_text (r->job_id);
  fuzz_check_text (r->song_title);
  fuzz_check_text (r->artist);
  fuzz_check_text (r->playlist_name);
  fuzz_check_text (r->error_message);
  fuzz_check_date (r->created_at);
  fuzz_check_date (r->started_at);
  CHECK (r->target_id >= -1);
  check_fraction (r->fraction);
  check_amount (r->estimated_completion_minutes);
  fuzz_check_seconds (r->estimated_completion_minutes * 60);
  if (r->progress != NULL)
    fuzz_check_progress (r->progress);

  (void) vigil_job_record_is_failure (r);
  copy = vigil_job_record_copy (r);
  CHECK (g_strcmp0 (copy->job_id, r->job_id) == 0);

  job = vigil_job_new ("fuzz", VIGIL_JOB_KIND_UNKNOWN, -1);
  vigil_job_apply_record (job, r, 1000000);
  fuzz_check_text (vigil_job_get_title (job));
  fuzz_check_text (vigil_job_get_error_message (job));
}

void
fuzz_check_start_result (const VigilStartResult *s)
{
  CHECK (s != NULL);
  fuzz_check_text (s->job_id);
  fuzz_check_text (s->message);
  CHECK (s->job_id != NULL || s->queued_count == 0);
  CHECK (s->queued_count >= -1 && s->song_id >= -1 && s->user_id >= -1);
}

void
fuzz_check_queue_status (const VigilQueueStatus *q)
{
  CHECK (q != NULL);
  CHECK (q->total_jobs >= -1 && q->pending_jobs >= -1 && q->in_progress_jobs >= -1);
  CHECK (q->completed_jobs >= -1 && q->failed_jobs >= -1);
  CHECK (q->priority_high >= -1 && q->priority_medium >= -1 && q->priority_low >= -1);
  check_amount (q->estimated_completion_minutes);
  fuzz_check_seconds (q->estimated_completion_minutes * 60);
  if (q->active_job != NULL)
    fuzz_check_job_record (q->active_job);
}

void
fuzz_check_worker_health (const VigilWorkerHealth *w)
{
  CHECK (w != NULL);
  CHECK (w->status != NULL);
  fuzz_check_text (w->status);
  check_amount (w->uptime_seconds);
  CHECK (w->jobs_processed >= -1 && w->jobs_failed >= -1 && w->jobs_interrupted >= -1);
  fuzz_check_date (w->last_heartbeat);
  if (w->current_job != NULL)
    fuzz_check_job_record (w->current_job);
}

void
fuzz_check_queue_health (const VigilQueueHealth *h)
{
  CHECK (h != NULL);
  fuzz_check_text (h->status);
  fuzz_check_text (h->details);
}

void
fuzz_check_result (VigilApiEndpoint endpoint,
                   gpointer         result)
{
  GPtrArray *jobs = result;

  switch (endpoint)
    {
    case VIGIL_API_ENDPOINT_START:
      fuzz_check_start_result (result);
      break;
    case VIGIL_API_ENDPOINT_PROGRESS:
      fuzz_check_progress (result);
      break;
    case VIGIL_API_ENDPOINT_JOB_STATUS:
      fuzz_check_job_record (result);
      break;
    case VIGIL_API_ENDPOINT_ACTIVE_PROGRESS:
      for (guint i = 0; i < jobs->len; i++)
        fuzz_check_progress (g_ptr_array_index (jobs, i));
      break;
    case VIGIL_API_ENDPOINT_QUEUE_STATUS:
      fuzz_check_queue_status (result);
      break;
    case VIGIL_API_ENDPOINT_WORKER_HEALTH:
      fuzz_check_worker_health (result);
      break;
    case VIGIL_API_ENDPOINT_QUEUE_HEALTH:
      fuzz_check_queue_health (result);
      break;
    case VIGIL_API_ENDPOINT_CLEANUP:
      CHECK (result != NULL);
      fuzz_check_text (result);
      break;
    case VIGIL_API_N_ENDPOINTS:
    default:
      g_assert_not_reached ();
    }
}
