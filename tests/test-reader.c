/* test-reader.c — the tolerant reader against the contract's reading rules
 * and hostile bodies
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "vigil-reader.h"
#include "vigil-reader-active.h"
#include "vigil-test-hostile.h"

/* Bodies in the tables are written with ' for " (none of them needs an
 * apostrophe), which keeps them readable. */
static char *
q (const char *text)
{
  char *json = g_strdup (text);

  g_strdelimit (json, "'", '"');
  return json;
}

static JsonNode *
parse_text (const char  *text,
            GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  return vigil_reader_parse_bytes (bytes, error);
}

static JsonNode *
parse_q (const char *text)
{
  g_autofree char *json = q (text);
  g_autoptr(GError) error = NULL;
  JsonNode *root = parse_text (json, &error);

  g_assert_no_error (error);
  g_assert_nonnull (root);
  return root;
}

/* ------------------------------------------------------------------ */
/* Descriptions: every field as "\nname=value\n", so that a table row  */
/* can name the fields it checks and a missing field shows its default */
/* ------------------------------------------------------------------ */

static void
add_str (GString    *out,
         const char *name,
         const char *value)
{
  g_string_append_printf (out, "%s=%s\n", name, value != NULL ? value : "(null)");
}

static void
add_num (GString    *out,
         const char *name,
         double      value)
{
  g_string_append_printf (out, "%s=%.17g\n", name, value);
}

static void
add_int (GString    *out,
         const char *name,
         gint64      value)
{
  g_string_append_printf (out, "%s=%" G_GINT64_FORMAT "\n", name, value);
}

static void
add_date (GString    *out,
          const char *name,
          GDateTime  *value)
{
  g_autofree char *text = value != NULL ? g_date_time_format_iso8601 (value) : NULL;

  add_str (out, name, text);
}

static void
describe_progress (GString             *out,
                   const char          *prefix,
                   const VigilProgress *p)
{
  g_autofree char *name = NULL;

#define FIELD(x) (g_free (name), name = g_strconcat (prefix, x, NULL))
  add_str (out, FIELD ("job_id"), p->job_id);
  add_str (out, FIELD ("kind"), vigil_job_kind_to_string (p->kind));
  add_int (out, FIELD ("total_items"), p->total_items);
  add_int (out, FIELD ("completed_items"), p->completed_items);
  add_num (out, FIELD ("fraction"), p->fraction);
  add_date (out, FIELD ("start_time"), p->start_time);
  add_num (out, FIELD ("estimated_duration_per_item"), p->estimated_duration_per_item);
  add_str (out, FIELD ("step"), vigil_step_to_string (p->step));
  add_str (out, FIELD ("step_raw"), p->step_raw);
  add_num (out, FIELD ("step_progress"), p->step_progress);
  add_str (out, FIELD ("message"), p->message);
  add_str (out, FIELD ("is_complete"), p->is_complete ? "true" : "false");
  add_num (out, FIELD ("eta_seconds"), p->eta_seconds);
  add_str (out, FIELD ("status"), vigil_job_status_to_string (p->status));
  add_str (out, FIELD ("has_metadata"), p->has_metadata ? "true" : "false");
  add_int (out, FIELD ("total_songs"), p->total_songs);
  add_int (out, FIELD ("processed_songs"), p->processed_songs);
  add_num (out, FIELD ("song_progress"), p->song_progress);
  add_str (out, FIELD ("terminal"), vigil_progress_is_terminal (p) ? "true" : "false");
  if (p->current_song != NULL)
    {
      add_int (out, FIELD ("song.id"), p->current_song->id);
      add_str (out, FIELD ("song.title"), p->current_song->title);
      add_str (out, FIELD ("song.artist"), p->current_song->artist);
    }
  else
    add_str (out, FIELD ("song"), NULL);
#undef FIELD
}

static void
describe_job (GString              *out,
              const char           *prefix,
              const VigilJobRecord *r)
{
  g_autofree char *name = NULL;
  g_autofree char *progress_prefix = g_strconcat (prefix, "progress.", NULL);

#define FIELD(x) (g_free (name), name = g_strconcat (prefix, x, NULL))
  add_str (out, FIELD ("job_id"), r->job_id);
  add_str (out, FIELD ("status"), vigil_job_status_to_string (r->status));
  add_str (out, FIELD ("kind"), vigil_job_kind_to_string (r->kind));
  add_str (out, FIELD ("priority"), vigil_priority_to_string (r->priority));
  add_date (out, FIELD ("created_at"), r->created_at);
  add_date (out, FIELD ("started_at"), r->started_at);
  add_str (out, FIELD ("song_title"), r->song_title);
  add_str (out, FIELD ("artist"), r->artist);
  add_str (out, FIELD ("playlist_name"), r->playlist_name);
  add_int (out, FIELD ("target_id"), r->target_id);
  add_num (out, FIELD ("fraction"), r->fraction);
  add_num (out, FIELD ("estimated_completion_minutes"), r->estimated_completion_minutes);
  add_str (out, FIELD ("error_message"), r->error_message);
  add_str (out, FIELD ("failure"), vigil_job_record_is_failure (r) ? "true" : "false");
  if (r->progress != NULL)
    describe_progress (out, progress_prefix, r->progress);
  else
    add_str (out, FIELD ("progress"), NULL);
#undef FIELD
}

static void
describe_start (GString                *out,
                const VigilStartResult *s)
{
  add_str (out, "job_id", s->job_id);
  add_int (out, "queued_count", s->queued_count);
  add_str (out, "message", s->message);
  add_int (out, "song_id", s->song_id);
  add_int (out, "user_id", s->user_id);
}

static void
describe_queue (GString                *out,
                const VigilQueueStatus *s)
{
  add_int (out, "total_jobs", s->total_jobs);
  add_int (out, "pending_jobs", s->pending_jobs);
  add_int (out, "in_progress_jobs", s->in_progress_jobs);
  add_int (out, "completed_jobs", s->completed_jobs);
  add_int (out, "failed_jobs", s->failed_jobs);
  add_int (out, "high", s->priority_high);
  add_int (out, "medium", s->priority_medium);
  add_int (out, "low", s->priority_low);
  add_num (out, "estimated_completion_minutes", s->estimated_completion_minutes);
  if (s->active_job != NULL)
    describe_job (out, "active.", s->active_job);
  else
    add_str (out, "active", NULL);
}

static void
describe_worker (GString                 *out,
                 const VigilWorkerHealth *h)
{
  add_str (out, "status", h->status);
  add_num (out, "uptime_seconds", h->uptime_seconds);
  add_int (out, "jobs_processed", h->jobs_processed);
  add_int (out, "jobs_failed", h->jobs_failed);
  add_int (out, "jobs_interrupted", h->jobs_interrupted);
  add_date (out, "last_heartbeat", h->last_heartbeat);
  if (h->current_job != NULL)
    describe_job (out, "current.", h->current_job);
  else
    add_str (out, "current", NULL);
}

static void
describe_active (GString   *out,
                 GPtrArray *jobs)
{
  add_int (out, "count", jobs->len);
  for (guint i = 0; i < jobs->len; i++)
    {
      g_autofree char *prefix = g_strdup_printf ("[%u].", i);

      describe_progress (out, prefix, g_ptr_array_index (jobs, i));
    }
}

typedef enum
{
  READ_PROGRESS,
  READ_JOB_STATUS,
  READ_ACTIVE,
  READ_START,
  READ_QUEUE_STATUS,
  READ_WORKER_HEALTH,
  READ_QUEUE_HEALTH_200,
  READ_QUEUE_HEALTH_503,
  READ_CLEANUP,
  READ_ERROR_MESSAGE,
  N_READERS
} Reader;

static void
describe_health (GString                *out,
                 const VigilQueueHealth *h)
{
  add_str (out, "healthy", h->healthy ? "true" : "false");
  add_str (out, "status", h->status);
  add_str (out, "details", h->details);
}

/* Runs one reader: its description, or NULL with an error. */
static char *
run_reader (Reader     reader,
            JsonNode  *root,
            GError   **error)
{
  g_autoptr(GString) out = g_string_new ("\n");
  g_autoptr(VigilProgress) progress = NULL;
  g_autoptr(VigilJobRecord) job = NULL;
  g_autoptr(GPtrArray) active = NULL;
  g_autoptr(VigilStartResult) start = NULL;
  g_autoptr(VigilQueueStatus) queue = NULL;
  g_autoptr(VigilWorkerHealth) worker = NULL;
  g_autoptr(VigilQueueHealth) health = NULL;
  g_autofree char *text = NULL;

  switch (reader)
    {
    case READ_PROGRESS:
      if ((progress = vigil_reader_parse_progress_response (root, error)) == NULL)
        return NULL;
      describe_progress (out, "", progress);
      break;
    case READ_JOB_STATUS:
      if ((job = vigil_reader_parse_job_status_response (root, error)) == NULL)
        return NULL;
      describe_job (out, "", job);
      break;
    case READ_ACTIVE:
      if ((active = vigil_reader_parse_active_progress_response (root, error)) == NULL)
        return NULL;
      describe_active (out, active);
      break;
    case READ_START:
      if ((start = vigil_reader_parse_start_response (root, error)) == NULL)
        return NULL;
      describe_start (out, start);
      break;
    case READ_QUEUE_STATUS:
      if ((queue = vigil_reader_parse_queue_status_response (root, error)) == NULL)
        return NULL;
      describe_queue (out, queue);
      break;
    case READ_WORKER_HEALTH:
      if ((worker = vigil_reader_parse_worker_health_response (root, error)) == NULL)
        return NULL;
      describe_worker (out, worker);
      break;
    case READ_QUEUE_HEALTH_200:
    case READ_QUEUE_HEALTH_503:
      health = vigil_reader_parse_queue_health_response (root,
                                                         reader == READ_QUEUE_HEALTH_200 ? 200 : 503,
                                                         error);
      if (health == NULL)
        return NULL;
      describe_health (out, health);
      break;
    case READ_CLEANUP:
      if ((text = vigil_reader_parse_cleanup_response (root, error)) == NULL)
        return NULL;
      add_str (out, "message", text);
      break;
    case READ_ERROR_MESSAGE:
      text = vigil_reader_parse_error_message (root);
      add_str (out, "message", text);
      break;
    case N_READERS:
    default:
      g_assert_not_reached ();
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
assert_described (const char        *name,
                  const char        *description,
                  const char * const *expect)
{
  for (guint i = 0; expect[i] != NULL; i++)
    {
      g_autofree char *line = g_strdup_printf ("\n%s\n", expect[i]);

      if (strstr (description, line) == NULL)
        {
          g_autofree char *flat = g_strdup (description);

          g_strdelimit (flat, "\n", ' ');
          g_test_fail_printf ("%s: expected “%s” in:%s", name, expect[i], flat);
        }
    }
}

/* ------------------------------------------------------------------ */
/* Progress objects                                                    */
/* ------------------------------------------------------------------ */

#define MAX_EXPECT 12

typedef struct
{
  const char *name;
  const char *body;              /* the progress object, ' for " */
  const char *expect[MAX_EXPECT];
} ProgressCase;

static const ProgressCase progress_cases[] = {
  { "contract-example",
    "{'job_id': 'j1', 'job_type': 'playlist_analysis', 'total_items': 12, 'completed_items': 5,"
    " 'current_progress': 0.4167, 'start_time': '2026-11-28T20:01:02.123456+00:00',"
    " 'estimated_duration_per_item': 25.0, 'current_step': 'analyzing', 'step_progress': 0.5,"
    " 'current_message': 'Analyzing Song by Artist', 'is_complete': false, 'eta_seconds': 171.3,"
    " 'metadata': {'total_songs': 12, 'processed_songs': 5,"
    "   'current_song': {'id': 41, 'title': 'Song', 'artist': 'Artist'}, 'song_progress': 0.5}}",
    { "job_id=j1", "kind=playlist_analysis", "total_items=12", "completed_items=5",
      "fraction=0.41670000000000001", "start_time=2026-11-28T20:01:02.123456Z",
      "step=analyzing", "message=Analyzing Song by Artist", "eta_seconds=171.30000000000001" } },
  { "contract-example-metadata",
    "{'metadata': {'total_songs': 12, 'processed_songs': 5,"
    "   'current_song': {'id': 41, 'title': 'Song', 'artist': 'Artist'}, 'song_progress': 0.5}}",
    { "has_metadata=true", "total_songs=12", "processed_songs=5", "song.id=41",
      "song.title=Song", "song.artist=Artist", "song_progress=0.5" } },
  { "older-shape",
    "{'job_id': 'j2', 'progress': 0.25, 'message': 'Old words', 'status': 'in_progress',"
    " 'current_step': 'fetching_lyrics'}",
    { "fraction=0.25", "message=Old words", "status=IN_PROGRESS", "step=fetching_lyrics",
      "estimated_duration_per_item=-1" } },
  { "newer-name-wins",
    "{'current_progress': 0.75, 'progress': 0.1, 'current_message': 'new', 'message': 'old'}",
    { "fraction=0.75", "message=new" } },
  { "null-newer-name-falls-back",
    "{'current_progress': null, 'progress': 0.1, 'current_message': null, 'message': 'old'}",
    { "fraction=0.10000000000000001", "message=old" } },
  { "empty-object-defaults",
    "{}",
    { "job_id=(null)", "kind=unknown", "total_items=0", "completed_items=0", "fraction=-1",
      "start_time=(null)", "step=other", "step_raw=(null)", "message=(null)",
      "is_complete=false" } },
  { "empty-object-more-defaults",
    "{}",
    { "eta_seconds=-1", "status=UNKNOWN", "has_metadata=false", "total_songs=-1",
      "processed_songs=-1", "song_progress=-1", "song=(null)", "step_progress=-1",
      "terminal=false" } },
  { "unknown-fields-ignored",
    "{'job_id': 'j', 'zzz': [1, {'a': null}], 'nested': {'current_progress': 0.9}, 'x': true}",
    { "job_id=j", "fraction=-1" } },
  { "step-production-lyrics", "{'current_step': 'lyrics_fetching'}",
    { "step=fetching_lyrics", "step_raw=lyrics_fetching" } },
  { "step-production-analysis", "{'current_step': 'analysis'}",
    { "step=analyzing", "step_raw=analysis" } },
  { "step-case", "{'current_step': 'ANALYZING'}", { "step=analyzing", "step_raw=ANALYZING" } },
  { "step-starting", "{'current_step': 'Starting'}", { "step=starting" } },
  { "step-complete-terminal", "{'current_step': 'complete', 'current_progress': 0.5}",
    { "step=complete", "terminal=true" } },
  { "step-other", "{'current_step': 'warming_up'}", { "step=other", "step_raw=warming_up" } },
  { "step-null", "{'current_step': null}", { "step=other", "step_raw=(null)" } },
  { "step-number", "{'current_step': 3}", { "step=other", "step_raw=(null)" } },
  { "kind-case", "{'job_type': 'BACKGROUND_ANALYSIS'}", { "kind=background_analysis" } },
  { "status-case", "{'status': 'Completed'}", { "status=COMPLETED", "terminal=true" } },
  { "status-cancelled", "{'status': 'cancelled'}", { "status=CANCELLED", "terminal=true" } },
  { "fraction-int-one", "{'current_progress': 1}", { "fraction=1", "terminal=true" } },
  { "fraction-int-zero", "{'current_progress': 0}", { "fraction=0" } },
  { "fraction-clamped-high", "{'current_progress': 1.5}", { "fraction=1" } },
  { "fraction-clamped-low", "{'current_progress': -0.5}", { "fraction=0" } },
  { "fraction-huge", "{'current_progress': 1e308}", { "fraction=1" } },
  { "fraction-huge-negative", "{'current_progress': -1e308}", { "fraction=0" } },
  { "fraction-int-overflow", "{'current_progress': 9223372036854775808}", { "fraction=1" } },
  { "fraction-infinite", "{'current_progress': 1e400}", { "fraction=-1" } },
  { "fraction-string", "{'current_progress': '0.5'}", { "fraction=-1" } },
  { "fraction-string-nan", "{'current_progress': 'NaN'}", { "fraction=-1" } },
  { "fraction-object", "{'current_progress': {'value': 0.5}}", { "fraction=-1" } },
  { "fraction-array", "{'current_progress': [0.5]}", { "fraction=-1" } },
  { "fraction-bool", "{'current_progress': true}", { "fraction=-1" } },
  { "fraction-null", "{'current_progress': null}", { "fraction=-1" } },
  { "step-progress-clamped", "{'step_progress': 7}", { "step_progress=1" } },
  { "song-progress-clamped", "{'metadata': {'song_progress': -3}}", { "song_progress=0" } },
  { "eta-negative", "{'eta_seconds': -5}", { "eta_seconds=-1" } },
  { "eta-int", "{'eta_seconds': 30}", { "eta_seconds=30" } },
  { "eta-zero", "{'eta_seconds': 0}", { "eta_seconds=0" } },
  { "eta-huge", "{'eta_seconds': 1e308}", { "eta_seconds=1e+308" } },
  { "eta-infinite", "{'eta_seconds': -1e400}", { "eta_seconds=-1" } },
  { "eta-string", "{'eta_seconds': 'soon'}", { "eta_seconds=-1" } },
  { "duration-negative", "{'estimated_duration_per_item': -1.5}",
    { "estimated_duration_per_item=-1" } },
  { "counts-float", "{'total_items': 12.9, 'completed_items': 3.0}",
    { "total_items=12", "completed_items=3" } },
  { "counts-huge", "{'total_items': 1e308, 'completed_items': 9223372036854775808}",
    { "total_items=9223372036854775807", "completed_items=9223372036854775807" } },
  { "counts-max", "{'total_items': 9223372036854775807}",
    { "total_items=9223372036854775807" } },
  { "counts-huge-negative", "{'total_items': -1e308, 'completed_items': -9223372036854775809}",
    { "total_items=0", "completed_items=0" } },
  { "counts-negative", "{'total_items': -4}", { "total_items=0" } },
  { "counts-wrong-types", "{'total_items': '12', 'completed_items': [5]}",
    { "total_items=0", "completed_items=0" } },
  { "is-complete-true", "{'is_complete': true}", { "is_complete=true", "terminal=true" } },
  { "is-complete-string", "{'is_complete': 'yes'}", { "is_complete=false" } },
  { "job-id-number", "{'job_id': 42}", { "job_id=42" } },
  { "job-id-empty", "{'job_id': ''}", { "job_id=(null)" } },
  { "job-id-object", "{'job_id': {'id': 1}}", { "job_id=(null)" } },
  { "metadata-wrong-type", "{'metadata': 'none'}", { "has_metadata=false", "song=(null)" } },
  { "metadata-null", "{'metadata': null}", { "has_metadata=false" } },
  { "metadata-song-wrong-types",
    "{'metadata': {'current_song': {'id': 'x', 'title': 5, 'artist': null},"
    " 'total_songs': 'many', 'processed_songs': null}}",
    { "has_metadata=true", "song.id=-1", "song.title=(null)", "song.artist=(null)",
      "total_songs=-1", "processed_songs=-1" } },
  { "metadata-song-id-string", "{'metadata': {'current_song': {'id': '41'}}}",
    { "song.id=41" } },
  { "metadata-song-not-object", "{'metadata': {'current_song': 41}}", { "song=(null)" } },
  { "start-time-no-offset", "{'start_time': '2026-11-28T20:01:02'}",
    { "start_time=2026-11-28T20:01:02Z" } },
  { "start-time-http", "{'start_time': 'Sat, 28 Nov 2026 20:01:02 GMT'}",
    { "start_time=2026-11-28T20:01:02Z" } },
  { "start-time-garbage", "{'start_time': 'yesterday'}", { "start_time=(null)" } },
  { "start-time-number", "{'start_time': 1764360062}", { "start_time=(null)" } },
};

static void
test_progress_objects (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (progress_cases); i++)
    {
      const ProgressCase *c = &progress_cases[i];
      g_autoptr(JsonNode) root = parse_q (c->body);
      g_autoptr(VigilProgress) progress = vigil_reader_parse_progress (json_node_get_object (root));
      g_autoptr(GString) out = g_string_new ("\n");

      describe_progress (out, "", progress);
      assert_described (c->name, out->str, c->expect);
    }
}

/* ------------------------------------------------------------------ */
/* Whole answers                                                       */
/* ------------------------------------------------------------------ */

typedef struct
{
  const char *name;
  Reader      reader;
  const char *body;                /* ' for " */
  int         error;               /* a VigilApiError, or -1 for a result */
  const char *expect[MAX_EXPECT];
} ResponseCase;

#define OK (-1)

static const ResponseCase response_cases[] = {
  /* GET /api/progress/<id> */
  { "progress", READ_PROGRESS,
    "{'success': true, 'progress': {'job_id': 'a', 'current_progress': 0.5}}", OK,
    { "job_id=a", "fraction=0.5" } },
  { "progress-without-success", READ_PROGRESS, "{'progress': {'job_id': 'a'}}", OK,
    { "job_id=a" } },
  { "progress-missing", READ_PROGRESS, "{'success': true}", VIGIL_API_ERROR_PROTOCOL },
  { "progress-number", READ_PROGRESS, "{'success': true, 'progress': 0.5}",
    VIGIL_API_ERROR_PROTOCOL },
  { "progress-null", READ_PROGRESS, "{'progress': null}", VIGIL_API_ERROR_PROTOCOL },
  { "progress-array", READ_PROGRESS, "{'progress': [{'job_id': 'a'}]}",
    VIGIL_API_ERROR_PROTOCOL },
  { "progress-says-failure", READ_PROGRESS, "{'success': false, 'error': 'Redis is down'}",
    VIGIL_API_ERROR_SERVER },

  /* GET /api/jobs/<id>/status */
  { "job", READ_JOB_STATUS,
    "{'status': 'success', 'job': {'job_id': 'j', 'status': 'IN_PROGRESS',"
    " 'job_type': 'SONG_ANALYSIS', 'priority': 'HIGH', 'created_at': '2026-11-28T20:00:00Z',"
    " 'started_at': null, 'metadata': {'song_title': 'T', 'artist': 'A', 'song_id': 7,"
    " 'requested_at': 'x'}, 'progress': 0.35, 'estimated_completion_minutes': 0}}", OK,
    { "job_id=j", "status=IN_PROGRESS", "kind=song_analysis", "priority=HIGH",
      "created_at=2026-11-28T20:00:00Z", "started_at=(null)", "song_title=T", "artist=A",
      "target_id=7", "fraction=0.34999999999999998" } },
  { "job-more", READ_JOB_STATUS,
    "{'job': {'progress': 0.35, 'estimated_completion_minutes': 0}}", OK,
    { "estimated_completion_minutes=0", "progress=(null)", "error_message=(null)",
      "failure=false" } },
  { "job-progress-object", READ_JOB_STATUS,
    "{'job': {'job_id': 'j', 'progress': {'current_progress': 0.6, 'current_step': 'analysis'}}}",
    OK, { "fraction=0.59999999999999998", "progress.fraction=0.59999999999999998",
          "progress.step=analyzing", "progress.job_id=j" } },
  { "job-progress-bare-int", READ_JOB_STATUS, "{'job': {'progress': 1}}", OK,
    { "fraction=1", "progress=(null)" } },
  { "job-progress-clamped", READ_JOB_STATUS, "{'job': {'progress': 35}}", OK,
    { "fraction=1" } },
  { "job-progress-string", READ_JOB_STATUS, "{'job': {'progress': '35%'}}", OK,
    { "fraction=-1", "progress=(null)" } },
  { "job-status-lower", READ_JOB_STATUS, "{'job': {'status': 'failed'}}", OK,
    { "status=FAILED", "failure=true" } },
  { "job-status-interrupted", READ_JOB_STATUS, "{'job': {'status': 'Interrupted'}}", OK,
    { "status=INTERRUPTED", "failure=true" } },
  { "job-error-message", READ_JOB_STATUS,
    "{'job': {'status': 'COMPLETED', 'error_message': 'Lyrics service down'}}", OK,
    { "error_message=Lyrics service down", "failure=true" } },
  { "job-priority-number", READ_JOB_STATUS, "{'job': {'priority': 3}}", OK,
    { "priority=LOW" } },
  { "job-priority-lower", READ_JOB_STATUS, "{'job': {'priority': 'medium'}}", OK,
    { "priority=MEDIUM" } },
  { "job-target-playlist", READ_JOB_STATUS,
    "{'job': {'metadata': {'playlist_id': 12, 'playlist_name': 'Mix'}}}", OK,
    { "target_id=12", "playlist_name=Mix" } },
  { "job-target-user", READ_JOB_STATUS, "{'job': {'metadata': {'user_id': '789'}}}", OK,
    { "target_id=789" } },
  { "job-target-song-first", READ_JOB_STATUS,
    "{'job': {'metadata': {'user_id': 3, 'song_id': 5}}}", OK, { "target_id=5" } },
  { "job-dates", READ_JOB_STATUS,
    "{'job': {'created_at': 'Sat, 28 Nov 2026 20:01:02 GMT',"
    " 'started_at': '2026-11-28T22:01:02.5+02:00'}}", OK,
    { "created_at=2026-11-28T20:01:02Z", "started_at=2026-11-28T20:01:02.500000Z" } },
  { "job-metadata-wrong", READ_JOB_STATUS, "{'job': {'metadata': [1, 2]}}", OK,
    { "song_title=(null)", "target_id=-1" } },
  { "job-minus-one-eta", READ_JOB_STATUS, "{'job': {'estimated_completion_minutes': -1}}", OK,
    { "estimated_completion_minutes=-1" } },
  { "job-missing", READ_JOB_STATUS, "{'status': 'success'}", VIGIL_API_ERROR_PROTOCOL },
  { "job-not-object", READ_JOB_STATUS, "{'job': 'j'}", VIGIL_API_ERROR_PROTOCOL },
  { "job-says-error", READ_JOB_STATUS, "{'status': 'error', 'message': 'Job with ID x not found'}",
    VIGIL_API_ERROR_SERVER },

  /* GET /api/progress */
  { "active-keyed", READ_ACTIVE,
    "{'success': true, 'active_jobs': {'k1': {'current_progress': 0.1},"
    " 'k2': {'job_id': 'own', 'current_progress': 0.2}, 'bad': 5, 'nul': null},"
    " 'total_active': 4}", OK,
    { "count=2", "[0].job_id=k1", "[0].fraction=0.10000000000000001", "[1].job_id=own" } },
  { "active-empty", READ_ACTIVE, "{'success': true, 'active_jobs': {}, 'total_active': 0}", OK,
    { "count=0" } },
  { "active-array", READ_ACTIVE, "{'active_jobs': [{'job_id': 'a'}, 3]}", OK,
    { "count=1", "[0].job_id=a" } },
  { "active-missing", READ_ACTIVE, "{'success': true, 'total_active': 0}",
    VIGIL_API_ERROR_PROTOCOL },
  { "active-wrong", READ_ACTIVE, "{'active_jobs': 'none'}", VIGIL_API_ERROR_PROTOCOL },

  /* POST …/analyze… */
  { "start-song", READ_START,
    "{'success': true, 'status': 'success', 'message': 'Song queued for analysis',"
    " 'song_id': 123, 'job_id': 'u-1'}", OK,
    { "job_id=u-1", "song_id=123", "message=Song queued for analysis", "queued_count=-1",
      "user_id=-1" } },
  { "start-playlist", READ_START,
    "{'success': true, 'message': 'Queued 12 songs for analysis', 'queued_count': 12,"
    " 'job_id': 'p'}", OK, { "job_id=p", "queued_count=12" } },
  { "start-nothing-to-do", READ_START,
    "{'success': true, 'queued_count': 0, 'message': 'All songs already analyzed'}", OK,
    { "job_id=(null)", "queued_count=0", "message=All songs already analyzed" } },
  { "start-user", READ_START,
    "{'success': true, 'message': 'm', 'queued_count': 340, 'user_id': 789, 'job_id': 'b'}", OK,
    { "user_id=789", "queued_count=340", "job_id=b" } },
  { "start-no-job", READ_START, "{'success': true, 'message': 'Queued'}",
    VIGIL_API_ERROR_PROTOCOL },
  { "start-no-job-but-count", READ_START, "{'success': true, 'queued_count': 3}",
    VIGIL_API_ERROR_PROTOCOL },
  { "start-failure", READ_START, "{'success': false, 'error': 'Queue full'}",
    VIGIL_API_ERROR_SERVER },
  { "start-wrong-types", READ_START,
    "{'job_id': 'x', 'queued_count': 'a few', 'message': 5, 'song_id': [1]}", OK,
    { "job_id=x", "queued_count=-1", "message=(null)", "song_id=-1" } },

  /* GET /api/queue/status */
  { "queue", READ_QUEUE_STATUS,
    "{'status': 'success', 'queue': {'total_jobs': 40, 'pending_jobs': 3, 'in_progress_jobs': 1,"
    " 'completed_jobs': 30, 'failed_jobs': 6,"
    " 'priority_breakdown': {'HIGH': 1, 'medium': 2, 'Low': 3, 'URGENT': 9},"
    " 'estimated_completion_minutes': 12, 'active_job': null}}", OK,
    { "total_jobs=40", "pending_jobs=3", "in_progress_jobs=1", "completed_jobs=30",
      "failed_jobs=6", "high=1", "medium=2", "low=3", "estimated_completion_minutes=12",
      "active=(null)" } },
  { "queue-active-job", READ_QUEUE_STATUS,
    "{'queue': {'active_job': {'job_id': 'a', 'status': 'in_progress', 'progress': 0.5}}}", OK,
    { "active.job_id=a", "active.status=IN_PROGRESS", "active.fraction=0.5", "total_jobs=-1",
      "high=-1" } },
  { "queue-wrong-types", READ_QUEUE_STATUS,
    "{'queue': {'total_jobs': 'forty', 'priority_breakdown': [1], 'active_job': 'a'}}", OK,
    { "total_jobs=-1", "high=-1", "active=(null)", "estimated_completion_minutes=-1" } },
  { "queue-missing", READ_QUEUE_STATUS, "{'status': 'success'}", VIGIL_API_ERROR_PROTOCOL },
  { "queue-fault", READ_QUEUE_STATUS,
    "{'status': 'error', 'error': 'redis', 'message': 'Queue unavailable'}",
    VIGIL_API_ERROR_SERVER },

  /* GET /api/worker/health */
  { "worker", READ_WORKER_HEALTH,
    "{'status': 'success', 'worker': {'status': 'Running', 'uptime_seconds': 3600,"
    " 'jobs_processed': 120, 'jobs_failed': 2, 'jobs_interrupted': 0,"
    " 'last_heartbeat': '2026-11-28T20:01:02', 'current_job': {'job_id': 'c'}}}", OK,
    { "status=running", "uptime_seconds=3600", "jobs_processed=120", "jobs_failed=2",
      "jobs_interrupted=0", "last_heartbeat=2026-11-28T20:01:02Z", "current.job_id=c" } },
  { "worker-not-running", READ_WORKER_HEALTH,
    "{'worker': {'status': 'NOT_RUNNING', 'last_heartbeat': null, 'current_job': null}}", OK,
    { "status=not_running", "last_heartbeat=(null)", "current=(null)", "jobs_processed=-1",
      "uptime_seconds=-1" } },
  { "worker-status-missing", READ_WORKER_HEALTH, "{'worker': {'status': 7}}", OK,
    { "status=unknown" } },
  { "worker-missing", READ_WORKER_HEALTH, "{'status': 'success', 'worker': null}",
    VIGIL_API_ERROR_PROTOCOL },

  /* GET /api/queue/health */
  { "health-ok", READ_QUEUE_HEALTH_200,
    "{'status': 'success', 'queue_health': {'redis': 'ok', 'depth': 3}}", OK,
    { "healthy=true", "status=success", "details={\"redis\":\"ok\",\"depth\":3}" } },
  { "health-503", READ_QUEUE_HEALTH_503,
    "{'status': 'error', 'queue_health': {'redis': 'down'}}", OK,
    { "healthy=false", "status=error", "details={\"redis\":\"down\"}" } },
  { "health-200-error", READ_QUEUE_HEALTH_200, "{'status': 'ERROR'}", OK,
    { "healthy=false", "details=(null)" } },
  { "health-503-success", READ_QUEUE_HEALTH_503, "{'status': 'success'}", OK,
    { "healthy=false" } },

  /* POST /api/progress/cleanup */
  { "cleanup", READ_CLEANUP,
    "{'success': true, 'message': 'Cleaned up jobs older than 24 hours'}", OK,
    { "message=Cleaned up jobs older than 24 hours" } },
  { "cleanup-no-message", READ_CLEANUP, "{'success': true}", OK,
    { "message=Stale progress records were cleaned up" } },
  { "cleanup-failure", READ_CLEANUP, "{'success': false, 'error': 'nope'}",
    VIGIL_API_ERROR_SERVER },

  /* error bodies */
  { "error-message", READ_ERROR_MESSAGE,
    "{'status': 'error', 'message': 'Song with ID 123 not found', 'error': 'x'}", OK,
    { "message=Song with ID 123 not found" } },
  { "error-error", READ_ERROR_MESSAGE, "{'success': false, 'error': 'Job progress not found'}",
    OK, { "message=Job progress not found" } },
  { "error-empty-message", READ_ERROR_MESSAGE, "{'message': '', 'error': 'E'}", OK,
    { "message=E" } },
  { "error-object", READ_ERROR_MESSAGE, "{'error': {'message': 'nested'}}", OK,
    { "message=nested" } },
  { "error-none", READ_ERROR_MESSAGE, "{'error': 500, 'message': null}", OK,
    { "message=(null)" } },
};

static void
test_responses (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (response_cases); i++)
    {
      const ResponseCase *c = &response_cases[i];
      g_autoptr(JsonNode) root = parse_q (c->body);
      g_autoptr(GError) error = NULL;
      g_autofree char *description = run_reader (c->reader, root, &error);

      if (c->error != OK)
        {
          if (!g_error_matches (error, VIGIL_API_ERROR, c->error))
            g_test_fail_printf ("%s: expected error %d, got %s", c->name, c->error,
                                error != NULL ? error->message : "a result");
          else
            g_assert_null (description);
          continue;
        }

      if (error != NULL)
        g_test_fail_printf ("%s: unexpected error: %s", c->name, error->message);
      else
        assert_described (c->name, description, c->expect);
    }
}

/* json-glib passes a lone surrogate escape through as invalid UTF-8. */
static void
test_lone_surrogate (void)
{
  g_autoptr(JsonNode) root = parse_q ("{'job_id': 'a\\ud800x', 'current_message': '\\udc00x',"
                                      " 'metadata': {'current_song': {'title': '\\udc00y'}}}");
  g_autoptr(VigilProgress) p = vigil_reader_parse_progress (json_node_get_object (root));

  g_assert_true (g_utf8_validate (p->job_id, -1, NULL));
  g_assert_true (g_str_has_prefix (p->job_id, "a"));
  g_assert_true (g_utf8_validate (p->message, -1, NULL));
  g_assert_nonnull (p->current_song);
  g_assert_true (p->current_song->title == NULL ||
                 g_utf8_validate (p->current_song->title, -1, NULL));
}

/* The re-serialised queue_health is a text for display too: a lone
 * surrogate made it invalid UTF-8 (fuzz-reader checks every text). */
static void
test_queue_health_details_utf8 (void)
{
  g_autoptr(JsonNode) root = parse_q ("{'status': 'success', 'queue_health': {'redis': 'a\\ud800x',"
                                      " '\\udc00y': ['\\ud83d\\ude00']}}");
  g_autoptr(VigilQueueHealth) h = vigil_reader_parse_queue_health_response (root, 200, NULL);

  g_assert_nonnull (h);
  g_assert_nonnull (h->details);
  g_assert_true (g_utf8_validate (h->details, -1, NULL));
  g_assert_nonnull (strstr (h->details, "😀"));
}

static void
test_error_message_of_nothing (void)
{
  g_autoptr(JsonNode) array = json_from_string ("[1]", NULL);

  g_assert_null (vigil_reader_parse_error_message (NULL));
  g_assert_null (vigil_reader_parse_error_message (array));
}

/* ------------------------------------------------------------------ */
/* Timestamps                                                          */
/* ------------------------------------------------------------------ */

static const struct
{
  const char *text;
  const char *utc;   /* NULL: not a timestamp */
} timestamp_cases[] = {
  { "2026-11-28T20:01:02.123456+00:00", "2026-11-28T20:01:02.123456Z" },
  { "2026-11-28T20:01:02+00:00", "2026-11-28T20:01:02Z" },
  { "2026-11-28T20:01:02Z", "2026-11-28T20:01:02Z" },
  { "2026-11-28T20:01:02z", "2026-11-28T20:01:02Z" },
  { "2026-11-28t20:01:02", "2026-11-28T20:01:02Z" },
  { "2026-11-28T20:01:02", "2026-11-28T20:01:02Z" },
  { "2026-11-28T20:01:02.5", "2026-11-28T20:01:02.500000Z" },
  { "2026-11-28 20:01:02.123456", "2026-11-28T20:01:02.123456Z" },
  { "2026-11-28T21:31:02+01:30", "2026-11-28T20:01:02Z" },
  { "2026-11-28T15:01:02.250-05:00", "2026-11-28T20:01:02.250000Z" },
  { "2026-11-28T23:01:02+0300", "2026-11-28T20:01:02Z" },
  { " 2026-11-28T20:01:02Z ", "2026-11-28T20:01:02Z" },
  { "Sat, 28 Nov 2026 20:01:02 GMT", "2026-11-28T20:01:02Z" },
  { "Saturday, 28-Nov-26 20:01:02 GMT", "2026-11-28T20:01:02Z" },
  { "Sat Nov 28 20:01:02 2026", "2026-11-28T20:01:02Z" },
  { "", NULL },
  { "now", NULL },
  { "2026-13-45T20:01:02Z", NULL },
  { "2026-11-28T25:01:02", NULL },
  { "1764360062", NULL },
};

static void
test_timestamps (void)
{
  g_assert_null (vigil_reader_parse_timestamp (NULL));

  for (guint i = 0; i < G_N_ELEMENTS (timestamp_cases); i++)
    {
      g_autoptr(GDateTime) date = vigil_reader_parse_timestamp (timestamp_cases[i].text);
      g_autofree char *text = date != NULL ? g_date_time_format_iso8601 (date) : NULL;

      if (g_strcmp0 (text, timestamp_cases[i].utc) != 0)
        g_test_fail_printf ("“%s”: expected %s, got %s", timestamp_cases[i].text,
                 timestamp_cases[i].utc, text);
      if (date != NULL)
        g_assert_cmpint (g_date_time_get_utc_offset (date), ==, 0);
    }
}

/* ------------------------------------------------------------------ */
/* Hostile bodies                                                      */
/* ------------------------------------------------------------------ */

static char *
repeat (const char *unit,
        guint       times)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < times; i++)
    g_string_append (out, unit);
  return g_string_free (out, FALSE);
}

typedef struct
{
  const char *name;
  const char *body;    /* exact bytes (no ' substitution) */
  gssize      len;     /* -1: strlen */
  gboolean    parses;
} BodyCase;

static const BodyCase body_cases[] = {
  { "empty", "", 0, FALSE },
  { "blank", " \r\n\t ", -1, FALSE },
  { "null", "null", -1, FALSE },
  { "true", "true", -1, FALSE },
  { "number", "42", -1, FALSE },
  { "string", "\"progress\"", -1, FALSE },
  { "array", "[{\"progress\": {}}]", -1, FALSE },
  { "truncated", "{\"success\": true, \"progress\": {\"job_id\": \"a", -1, FALSE },
  { "truncated-after-colon", "{\"progress\":", -1, FALSE },
  { "unclosed", "{\"progress\": {}", -1, FALSE },
  { "html", "<!DOCTYPE html><html><body>Sign in</body></html>", -1, FALSE },
  { "trailing-comma", "{\"a\": 1,}", -1, FALSE },
  { "invalid-utf8", "{\"message\": \"\xff\xfe\"}", -1, FALSE },
  { "overlong-utf8", "{\"message\": \"\xc0\xaf\"}", -1, FALSE },
  { "nul-inside", "{\"a\": 1}\0garbage", 16, FALSE },
  { "bare-nan", "{\"progress\": NaN}", -1, FALSE },
  { "bare-infinity", "{\"progress\": Infinity}", -1, FALSE },
  { "lone-surrogate", "{\"message\": \"\\ud800\"}", -1, FALSE },
  { "object", "{}", -1, TRUE },
  { "byte-order-mark", "\xef\xbb\xbf{\"a\": 1}", -1, TRUE },
  { "byte-order-mark-only", "\xef\xbb\xbf", -1, FALSE },
  { "trailing-space", "{\"a\": 1}\n\r\n  ", -1, TRUE },
  { "depth-64", NULL, 0, TRUE },    /* built below */
  { "depth-65", NULL, 0, FALSE },
  { "deep-arrays", NULL, 0, FALSE },
  { "deep-objects", NULL, 0, FALSE },
  { "brackets-in-string", NULL, 0, TRUE },
  { "huge-numbers", "{\"a\": 1e308, \"b\": -1e308, \"c\": 9223372036854775808,"
    " \"d\": -9223372036854775809, \"e\": 123456789012345678901234567890, \"f\": 1e400}",
    -1, TRUE },
};

static char *
nested (const char *open,
        const char *close,
        guint       depth)
{
  g_autofree char *head = repeat (open, depth);
  g_autofree char *tail = repeat (close, depth);

  return g_strconcat (head, tail, NULL);
}

static char *
build_body (const BodyCase *c,
            gsize          *len)
{
  g_autofree char *inner = NULL;
  char *body;

  if (g_str_equal (c->name, "depth-64") || g_str_equal (c->name, "depth-65"))
    {
      /* the root object is one level */
      inner = nested ("[", "]", g_str_equal (c->name, "depth-64") ? 63 : 64);
      body = g_strconcat ("{\"a\":", inner, "}", NULL);
    }
  else if (g_str_equal (c->name, "deep-arrays"))
    body = repeat ("[", 100000);
  else if (g_str_equal (c->name, "deep-objects"))
    body = repeat ("{\"a\":", 100000);
  else if (g_str_equal (c->name, "brackets-in-string"))
    {
      inner = repeat ("[{", 1000);
      body = g_strconcat ("{\"a\": \"", inner, "\\\"\"}", NULL);
    }
  else
    {
      *len = c->len >= 0 ? (gsize) c->len : strlen (c->body);
      return g_memdup2 (c->body, *len);
    }

  *len = strlen (body);
  return body;
}

static void
run_every_reader (JsonNode *root)
{
  for (Reader r = 0; r < N_READERS; r++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *description = run_reader (r, root, &error);

      g_assert_true ((description == NULL) == (error != NULL));
      if (error != NULL)
        g_assert_error (error, VIGIL_API_ERROR, VIGIL_API_ERROR_PROTOCOL);
    }
}

static void
test_hostile_bodies (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (body_cases); i++)
    {
      const BodyCase *c = &body_cases[i];
      gsize len = 0;
      g_autofree char *body = build_body (c, &len);
      g_autoptr(GBytes) bytes = g_bytes_new (body, len);
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) root = vigil_reader_parse_bytes (bytes, &error);

      if (c->parses != (root != NULL))
        g_test_fail_printf ("%s: expected %s, got %s", c->name, c->parses ? "a result" : "an error",
                 error != NULL ? error->message : "a result");
      if (root == NULL)
        {
          g_assert_error (error, VIGIL_API_ERROR, VIGIL_API_ERROR_PROTOCOL);
          continue;
        }
      g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
      run_every_reader (root);
    }

  g_assert_null (vigil_reader_parse_bytes (NULL, NULL));
}

/* Integers beyond gint64 must clamp, not wrap round. */
static void
test_huge_integers (void)
{
  g_autoptr(JsonNode) root = parse_q ("{'queue': {'total_jobs': 9223372036854775808,"
                                      " 'pending_jobs': 99999999999999999999999,"
                                      " 'in_progress_jobs': -9223372036854775809,"
                                      " 'completed_jobs': 9223372036854775807,"
                                      " 'failed_jobs': 1e19}}");
  g_autoptr(VigilQueueStatus) status = vigil_reader_parse_queue_status_response (root, NULL);

  g_assert_nonnull (status);
  g_assert_cmpint (status->total_jobs, ==, G_MAXINT64);
  g_assert_cmpint (status->pending_jobs, ==, G_MAXINT64);
  g_assert_cmpint (status->in_progress_jobs, ==, -1);
  g_assert_cmpint (status->completed_jobs, ==, G_MAXINT64);
  g_assert_cmpint (status->failed_jobs, ==, G_MAXINT64);
}

static const char *error_texts[][2] = {
  { "", "empty" },
  { "[]", "not a JSON object" },
  { "{", "not JSON" },
  { "\xff", "UTF-8" },
};

static void
test_error_texts (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (error_texts); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) root = parse_text (error_texts[i][0], &error);

      g_assert_null (root);
      g_assert_error (error, VIGIL_API_ERROR, VIGIL_API_ERROR_PROTOCOL);
      if (strstr (error->message, error_texts[i][1]) == NULL)
        g_test_fail_printf ("“%s” gave “%s”", error_texts[i][0], error->message);
    }
}

/* Every prefix of a real answer is refused cleanly or read. */
static void
test_truncations (void)
{
  g_autofree char *full = q ("{'status': 'success', 'job': {'job_id': 'j', 'status': 'IN_PROGRESS',"
                             " 'metadata': {'song_title': 'T\\u00e9'}, 'progress': {"
                             "'current_progress': 0.5, 'metadata': {'current_song': {'id': 1}}}}}");
  gsize len = strlen (full);

  for (gsize i = 0; i < len; i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (full, i);
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) root = vigil_reader_parse_bytes (bytes, &error);

      g_assert_null (root);
      g_assert_error (error, VIGIL_API_ERROR, VIGIL_API_ERROR_PROTOCOL);
    }
}

/* ------------------------------------------------------------------ */
/* Nesting hidden from a bracket count                                 */
/* ------------------------------------------------------------------ */

#define HIDDEN_DEPTH 200000

static void
assert_refused (const char *name,
                const char *body)
{
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = vigil_reader_parse_bytes (bytes, &error);

  if (root != NULL)
    {
      g_test_fail_printf ("%s: read as JSON", name);
      return;
    }
  g_assert_error (error, VIGIL_API_ERROR, VIGIL_API_ERROR_PROTOCOL);
}

/* Each construct json-glib 1.6 takes beyond standard JSON, hiding 200 000
 * levels: a clean protocol error, not a stack overflow. */
static void
test_hidden_nesting (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (vigil_test_hostile); i++)
    {
      const VigilTestHostile *h = &vigil_test_hostile[i];
      g_autofree char *deep = vigil_test_hostile_build (h, HIDDEN_DEPTH);
      g_autofree char *shallow = vigil_test_hostile_build (h, 2);

      g_test_message ("%s", h->name);
      assert_refused (h->name, deep);
      /* Real servers never send these: refused at any depth. */
      assert_refused (h->name, shallow);
    }
}

/* Non-standard JSON that json-glib 1.6 would read: refused. */
static const char *nonstandard_bodies[] = {
  "{'a': 1}",
  "{\"a\": 'x'}",
  "{\"a\": 1 /* c */}",
  "{\"a\": 1 // c\n}",
  "{\"a\": /x/ 1}",
  "var a = {\"a\": 1};",
  "{\"a\": 0x1F}",
  "{\"a\": $ff}",
  "{\"a\": 0b101}",
  "{\"a\": 017}",
  "{\"a\": .5}",
  "{\"a\": 1.}",
  "{\"a\": 1e}",
  "{\"a\": +1}",
  "{\"a\": - 5}",
  "{\"a\": --5}",
  "{\"a\": \"\\101\"}",
  "{\"a\": \"\\x41\"}",
  "{\"a\": \"\\u12\"}",
  "{\"a\": \"\\ud800\"}",
  "{\"a\": \"\\udc00\\ud800\"}",
  "{\"a\": \"\\ud800\\u0041\"}",
  "{\"a\": True}",
  "{\"a\": nul}",
  "{\"a\": truex}",
  "{\"a\": 1} {\"b\": 2}",
  "{\"a\": 1} x",
  "{\"a\": 1}}",
  "{\"a\": 1]",
  "{\"a\" 1}",
  "{\"a\": 1 \"b\": 2}",
  "{,}",
  "{\"a\": [1,]}",
  "{\"a\": [,1]}",
  "{a: 1}",
  "{\"a\":\f1}",
  "{\"a\":\v1}",
  "{\"a\": 1}\xc2\xa0",
};

static void
test_nonstandard (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (nonstandard_bodies); i++)
    assert_refused (nonstandard_bodies[i], nonstandard_bodies[i]);
}

/* Every form of standard JSON still reads, with the values json-glib
 * gives them. */
static void
test_standard_forms (void)
{
  g_autoptr(JsonNode) root = parse_text ("\t\r\n {\"s\": \"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t "
                                         "\\u00e9 \\ud83d\\ude00 \\uD834\\uDD1E '\", "
                                         "\"\": [], \"n\": [0, -0, 12, -3, 0.5, -1.25e+2, 1E-2, "
                                         "2e3, 0e0], \"l\": [true, false, null], "
                                         "\"o\": {\"k\": {}}, \"raw\": \"tab\there\"} \n",
                                         NULL);
  JsonObject *o;
  JsonArray *n;

  g_assert_nonnull (root);
  o = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (o, "s"), ==,
                   "q\" b\\ s/ \b\f\n\r\t é 😀 𝄞 '");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "")), ==, 0);
  n = json_object_get_array_member (o, "n");
  g_assert_cmpint (json_array_get_int_element (n, 2), ==, 12);
  g_assert_cmpint (json_array_get_int_element (n, 3), ==, -3);
  g_assert_cmpfloat (json_array_get_double_element (n, 5), ==, -125.0);
  g_assert_cmpfloat (json_array_get_double_element (n, 6), ==, 0.01);
  g_assert_cmpfloat (json_array_get_double_element (n, 7), ==, 2000.0);
  g_assert_true (json_array_get_boolean_element (json_object_get_array_member (o, "l"), 0));
  g_assert_cmpstr (json_object_get_string_member (o, "raw"), ==, "tab\there");
}

/* ------------------------------------------------------------------ */
/* Wrong types at every level                                          */
/* ------------------------------------------------------------------ */

static const char *replacements[] = {
  "null", "true", "-7", "0", "1.5", "-1e308", "1e308", "9223372036854775807",
  "\"\"", "\"text\"", "\"NaN\"", "[]", "[1, \"a\"]", "{}", "{\"x\": {}}",
};

static const char *full_answers[] = {
  "{'success': true, 'progress': {'job_id': 'a', 'job_type': 'playlist_analysis',"
  " 'total_items': 12, 'completed_items': 5, 'current_progress': 0.4, 'progress': 0.4,"
  " 'start_time': '2026-11-28T20:01:02Z', 'estimated_duration_per_item': 25.0,"
  " 'current_step': 'analyzing', 'step_progress': 0.5, 'current_message': 'm', 'message': 'm',"
  " 'status': 'in_progress', 'is_complete': false, 'eta_seconds': 171.3,"
  " 'metadata': {'total_songs': 12, 'processed_songs': 5,"
  " 'current_song': {'id': 41, 'title': 't', 'artist': 'a'}, 'song_progress': 0.5}}}",
  "{'status': 'success', 'job': {'job_id': 'j', 'status': 'IN_PROGRESS', 'job_type': 'x',"
  " 'priority': 'HIGH', 'created_at': 'Sat, 28 Nov 2026 20:01:02 GMT', 'started_at': null,"
  " 'metadata': {'song_title': 't', 'artist': 'a', 'playlist_name': 'p', 'song_id': 1},"
  " 'progress': {'current_progress': 0.3}, 'estimated_completion_minutes': 0,"
  " 'error_message': 'e'}}",
  "{'success': true, 'active_jobs': {'a': {'job_id': 'a'}, 'b': {}}, 'total_active': 2}",
  "{'success': true, 'queued_count': 0, 'job_id': 'j', 'message': 'm', 'song_id': 1,"
  " 'user_id': 2}",
  "{'status': 'success', 'queue': {'total_jobs': 40, 'pending_jobs': 3, 'in_progress_jobs': 1,"
  " 'completed_jobs': 30, 'failed_jobs': 6, 'priority_breakdown': {'HIGH': 1, 'LOW': 1},"
  " 'estimated_completion_minutes': 12, 'active_job': {'job_id': 'j', 'progress': 0.5}}}",
  "{'status': 'success', 'worker': {'status': 'running', 'uptime_seconds': 3600,"
  " 'jobs_processed': 120, 'jobs_failed': 2, 'jobs_interrupted': 0,"
  " 'last_heartbeat': '2026-11-28T20:01:02Z', 'current_job': {'job_id': 'c'}}}",
  "{'status': 'success', 'queue_health': {'ok': true}, 'message': 'm', 'error': 'e'}",
};

static guint n_variants;

static void
check_variant (JsonNode *root)
{
  g_autofree char *text = json_to_string (root, FALSE);
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) parsed = vigil_reader_parse_bytes (bytes, &error);

  n_variants++;
  if (parsed == NULL)
    {
      /* Only a replaced root can stop being an object. */
      g_assert_error (error, VIGIL_API_ERROR, VIGIL_API_ERROR_PROTOCOL);
      return;
    }

  for (Reader r = 0; r < N_READERS; r++)
    {
      g_autoptr(GError) read_error = NULL;
      g_autofree char *description = run_reader (r, parsed, &read_error);

      g_assert_true ((description == NULL) == (read_error != NULL));
      if (read_error != NULL && read_error->code != VIGIL_API_ERROR_SERVER)
        g_assert_error (read_error, VIGIL_API_ERROR, VIGIL_API_ERROR_PROTOCOL);
    }
}

static void mutate_node (JsonNode *root, JsonNode *node);

static JsonNode *
node_from_string (const char *text)
{
  JsonNode *node = json_from_string (text, NULL);

  return node != NULL ? node : json_node_new (JSON_NODE_NULL);
}

/* Replace each member of object in turn by every replacement. */
static void
mutate_object (JsonNode   *root,
               JsonObject *object)
{
  g_autoptr(GList) members = json_object_get_members (object);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  /* Setting a member frees its old key: keep copies. */
  for (GList *l = members; l != NULL; l = l->next)
    g_ptr_array_add (names, g_strdup (l->data));

  for (guint n = 0; n < names->len; n++)
    {
      const char *name = g_ptr_array_index (names, n);
      g_autoptr(JsonNode) original = json_node_copy (json_object_get_member (object, name));

      mutate_node (root, json_object_get_member (object, name));
      for (guint i = 0; i < G_N_ELEMENTS (replacements); i++)
        {
          json_object_set_member (object, name, node_from_string (replacements[i]));
          check_variant (root);
        }
      json_object_set_member (object, name, json_node_copy (original));
    }
}

static void
mutate_node (JsonNode *root,
             JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    mutate_object (root, json_node_get_object (node));
}

static void
test_wrong_types_everywhere (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (full_answers); i++)
    {
      g_autofree char *text = q (full_answers[i]);
      g_autoptr(JsonNode) root = json_from_string (text, NULL);

      g_assert_nonnull (root);
      check_variant (root);
      mutate_node (root, root);
    }

  g_test_message ("%u variants read", n_variants);
  g_assert_cmpuint (n_variants, >, 1000);
}

/* GET /api/progress read job by job gives what the whole tree gives,
 * whatever the keys, strings and nesting hold; other shapes fall back. */
static void
test_active_by_job (void)
{
  static const char *bodies[] = {
    "{\"success\": true, \"active_jobs\": {}, \"total_active\": 0}",
    "{\"total_active\": 2, \"active_jobs\": {\"a\\\"}{\": {\"current_progress\": 0.5,"
    " \"current_message\": \"Analyzing '}{][,:' by \\\"X\\\"\", \"metadata\": {\"current_song\":"
    " {\"id\": 4, \"title\": \"[{\", \"artist\": null}, \"total_songs\": 3}},"
    " \"b\" : { \"job_id\" : \"b2\" , \"progress\" : 1e-1 , \"eta_seconds\" : -0 } ,"
    " \"c\": 3, \"d\": [1, {\"x\": \"}\"}], \"e\": {\"total_items\": 12, \"completed_items\": 5}}}",
    "\xef\xbb\xbf {\"active_jobs\": [{\"job_id\": \"x\", \"progress\": 0.2}, 7]}",
    "{\"active_jobs\": {\"big\": {\"completed_items\": 123456789012345678901234567890}}}",
    "{\"success\": false, \"error\": \"boom\"}",
    "{\"active_jobs\": {\"a\": {\"progress\": 0.1}",
    "<html></html>",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(GBytes) body = g_bytes_new_static (bodies[i], strlen (bodies[i]));
      g_autoptr(GError) tree_error = NULL;
      g_autoptr(GError) job_error = NULL;
      g_autoptr(JsonNode) root = vigil_reader_parse_bytes (body, &tree_error);
      g_autoptr(GPtrArray) tree = NULL;
      g_autoptr(GPtrArray) by_job = vigil_reader_parse_active_progress_bytes (body, &job_error);
      g_autoptr(GString) a = g_string_new (NULL);
      g_autoptr(GString) b = g_string_new (NULL);

      if (root != NULL)
        tree = vigil_reader_parse_active_progress_response (root, &tree_error);
      g_test_message ("body %u: %s", i, tree != NULL ? "read" : tree_error->message);
      g_assert_true ((tree == NULL) == (by_job == NULL));
      if (tree == NULL)
        {
          g_assert_error (job_error, tree_error->domain, tree_error->code);
          g_assert_cmpstr (job_error->message, ==, tree_error->message);
          continue;
        }
      describe_active (a, tree);
      describe_active (b, by_job);
      g_assert_cmpstr (a->str, ==, b->str);
    }
}

/* ------------------------------------------------------------------ */
/* GET /api/progress read as it arrives                                */
/* ------------------------------------------------------------------ */

static gboolean
collect_streamed (VigilProgress *progress,
                  gpointer       user_data)
{
  g_ptr_array_add (user_data, progress);
  return TRUE;
}

/* The body fed in pieces of `piece` bytes (0: whole): its records (NULL
 * on failure) and the error. */
static GPtrArray *
read_streamed (const char  *text,
               gsize        len,
               gsize        piece,
               GPtrArray  **handed,
               GError     **error)
{
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) vigil_progress_free);
  g_autoptr(VigilActiveScanner) scanner = vigil_active_scanner_new (collect_streamed, jobs);

  if (piece == 0)
    piece = MAX (len, 1);
  for (gsize at = 0; at < len; at += piece)
    g_assert_true (vigil_active_scanner_feed (scanner, text + at, MIN (piece, len - at)));

  if (!vigil_active_scanner_finish (scanner, error))
    {
      if (handed != NULL)
        *handed = g_steal_pointer (&jobs);
      return NULL;
    }
  return g_steal_pointer (&jobs);
}

/* The tree's reading of a body, and the scanner's in pieces of every size
 * given, agree: the same records, or the same error. On an error, what was
 * handed over before it were records the tree gives too, in its order. */
static void
check_streamed (const char *text,
                gsize       len,
                gboolean    verbose)
{
  static const gsize pieces[] = { 0, 1, 2, 3, 7, 64, 4096, 65536 };
  g_autoptr(GBytes) body = g_bytes_new (text, len);
  g_autoptr(GError) tree_error = NULL;
  g_autoptr(JsonNode) root = vigil_reader_parse_bytes (body, &tree_error);
  g_autoptr(GPtrArray) tree = NULL;
  g_autoptr(GString) expected = g_string_new (NULL);

  if (root != NULL)
    tree = vigil_reader_parse_active_progress_response (root, &tree_error);
  if (tree != NULL)
    describe_active (expected, tree);
  if (verbose)
    g_test_message ("%" G_GSIZE_FORMAT " bytes: %s", len,
                    tree != NULL ? "read" : tree_error->message);

  for (guint p = 0; p < G_N_ELEMENTS (pieces); p++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) handed = NULL;
      g_autoptr(GPtrArray) jobs = NULL;
      g_autoptr(GString) got = g_string_new (NULL);

      if (pieces[p] > len && p > 1)
        break;
      jobs = read_streamed (text, len, pieces[p], &handed, &error);
      if (tree == NULL)
        {
          g_assert_null (jobs);
          g_assert_error (error, tree_error->domain, tree_error->code);
          g_assert_cmpstr (error->message, ==, tree_error->message);
          continue;
        }
      g_assert_no_error (error);
      describe_active (got, jobs);
      g_assert_cmpstr (got->str, ==, expected->str);
    }
}

static const char *streamed_bodies[] = {
  "{\"success\": true, \"active_jobs\": {}, \"total_active\": 0}",
  "{\"active_jobs\":{\"a\":{\"job_id\":\"a\",\"progress\":0.5}}}",
  "  \r\n\t{ \"active_jobs\" : { \"a\" : { } , \"b\" : 3 , \"c\" : \"x\" , \"d\" : null ,"
  " \"e\" : true , \"f\" : [ ] , \"g\" : { \"current_progress\" : -0.5e-3 } } } \n",
  /* escapes, quotes and brackets inside strings, keys that look like the name */
  "{\"x\": \"\\\"active_jobs\\\": {\", \"active_jobsx\": {\"q\": {}},"
  " \"active_jobs\": {\"a\\\"}{\": {\"current_message\": \"Analyzing '}{][,:' by \\\"X\\\\\\\"\","
  " \"metadata\": {\"current_song\": {\"id\": 4, \"title\": \"[{\\\\\", \"artist\": null},"
  " \"total_songs\": 3}}, \"b\\\\\": {\"job_id\": \"b\\u0041\\n\\t\\/\"}}, \"after\": [1, {\"y\": \"}\"}]}",
  /* unicode: two-, three- and four-byte sequences, escaped pairs */
  "{\"active_jobs\": {\"é\": {\"current_message\": \"Analyzing 'Ça ∑ 🎵' by Zoë\"},"
  " \"\\ud83c\\udfb5\": {\"current_message\": \"\\u00e9\\ud83c\\udfb5\"}, \"日本\": {}}}",
  /* nested values, numbers of every form */
  "{\"active_jobs\": {\"n\": {\"metadata\": {\"a\": [[[{\"b\": [1, -2.5E+3, 0, 1e-7]}]]],"
  " \"total_songs\": 7, \"processed_songs\": 2.0}, \"total_items\": 10, \"completed_items\": 1e1,"
  " \"eta_seconds\": 12.75, \"progress\": 1}}}",
  /* huge integers, inside the jobs and outside */
  "{\"n\": 99999999999999999999, \"active_jobs\": {\"big\": {\"completed_items\":"
  " 123456789012345678901234567890, \"total_items\": -9223372036854775808}}}",
  "{\"active_jobs\": {\"big\": {\"completed_items\": 9223372036854775807}}, \"m\": -1e400}",
  /* the array form, before and after other members */
  "\xef\xbb\xbf {\"active_jobs\": [{\"job_id\": \"x\", \"progress\": 0.2}, 7, {}, [], \"s\"]}",
  "{\"total\": 2, \"active_jobs\": [ ], \"z\": {}}",
  "{\"active_jobs\": [{\"job_id\": \"y\"} , {\"job_id\": \"z\", \"metadata\": {\"a\": \"]\"}}]}",
  /* other shapes: read as one tree */
  "\xef\xbb\xbf{\"active_jobs\": {\"a\": {}}}",
  "{\"active\\u005fjobs\": {\"a\": {}}}",
  "{\"active_jobs\": \"none\"}",
  "{\"active_jobs\": null, \"n\": 1}",
  "{\"success\": false, \"error\": \"boom\"}",
  "{}",
  "[]",
  "[{\"active_jobs\": {}}]",
  "\"active_jobs\"",
  "<html><body>Sign in</body></html>",
  "",
  "   ",
  "\xef\xbb",
  "\xef\xbb\xbf",
  "\xef\xbb\xbf\xef\xbb\xbf{}",
  /* broken in the prefix */
  "{\"a\": tru, \"active_jobs\": {}}",
  "{\"a\" 1, \"active_jobs\": {}}",
  "{\"a\": 1,, \"active_jobs\": {}}",
  "{\"a\": \"\\x\", \"active_jobs\": {}}",
  "{\"a\": \"\xff\", \"active_jobs\": {}}",
  /* broken after the jobs started */
  "{\"active_jobs\": {\"a\": {\"progress\": 0.1}",
  "{\"active_jobs\": {\"a\": {\"progress\": 0.1}, \"b\": {\"progress\": 0.",
  "{\"active_jobs\": {\"a\": {\"progress\": 0.1}, \"b\": {\"progress\": 0.2}}, \"x\": tru}",
  "{\"active_jobs\": {\"a\": {\"progress\": 0.1}, \"b\": {\"progress\": 0.2}}} x",
  "{\"active_jobs\": {\"a\": {\"progress\": 0.1}, \"b\": {\"progress\": 0.2}}}}",
  "{\"active_jobs\": {\"a\": {\"progress\": 0.1}, \"b\": {\"progress\": 01}}}",
  "{\"active_jobs\": {\"a\": {\"progress\": 0.1}, \"b\": {\"m\": \"\\ud800\"}}}",
  "{\"active_jobs\": {\"a\": {\"progress\": 0.1}, \"b\": {\"m\": \"\xc3\"}}}",
  "{\"active_jobs\": {\"a\": {\"progress\": 0.1}, \"b\": {\"m\": \"x\"}}, \"c\": \"\xe2\x82\"}",
  "{\"active_jobs\": {\"a\": {\"progress\": 0.1}, \"b\": {\"m\": tru}}, \"c\": \"\xff\"}",
  "{\"active_jobs\": {\"a\": {}, \"b\": {}}, \"c\": \"\xf0\x9f\x8e",
  "{\"active_jobs\": {\"a\": {}, \"b\" {}}}",
  "{\"active_jobs\": {\"a\": {}, : {}}}",
  "{\"active_jobs\": {\"a\": {}, \"b\": }}",
  "{\"active_jobs\": {\"a\": {}, \"b\": {]}}",
  "{\"active_jobs\": [{}, , {}]}",
  "{\"active_jobs\": [{}, {}, ]}",
  "{\"active_jobs\": [{}, {}}",
  "{\"active_jobs\": {\"a\": {}}, }",
};

static char *
nested_jobs (guint depth)
{
  GString *out = g_string_new ("{\"active_jobs\": {\"ok\": {}, \"deep\": ");

  for (guint i = 0; i < depth; i++)
    g_string_append (out, "[");
  for (guint i = 0; i < depth; i++)
    g_string_append (out, "]");
  g_string_append (out, "}}");
  return g_string_free (out, FALSE);
}

static void
test_active_streamed (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (streamed_bodies); i++)
    check_streamed (streamed_bodies[i], strlen (streamed_bodies[i]), TRUE);

  /* Nested up to the limit and beyond it, whole and cut short. */
  for (guint depth = VIGIL_READER_MAX_DEPTH - 3; depth <= VIGIL_READER_MAX_DEPTH + 1; depth++)
    {
      g_autofree char *body = nested_jobs (depth);

      check_streamed (body, strlen (body), TRUE);
      check_streamed (body, strlen (body) - depth - 2, TRUE);
    }

  /* Every body cut short at every byte. */
  for (guint i = 0; i < G_N_ELEMENTS (streamed_bodies); i++)
    for (gsize len = 0; len < strlen (streamed_bodies[i]); len++)
      check_streamed (streamed_bodies[i], len, FALSE);
}

/* The bodies the fuzz targets replay (real answers, and what fuzzing
 * found): the scanner reads them as the tree does. */
static void
test_active_streamed_corpus (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fuzz", "corpus", "reader", NULL);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;
  guint n = 0;

  if (dir == NULL)
    {
      g_test_skip ("no corpus");
      return;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_build_filename (path, name, NULL);
      g_autofree char *text = NULL;
      gsize len;

      g_assert_true (g_file_get_contents (file, &text, &len, NULL));
      check_streamed (text, len, FALSE);
      n++;
    }
  g_test_message ("%u bodies", n);
  g_assert_cmpuint (n, >, 10);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/vigil/reader/progress-objects", test_progress_objects);
  g_test_add_func ("/vigil/reader/responses", test_responses);
  g_test_add_func ("/vigil/reader/lone-surrogate", test_lone_surrogate);
  g_test_add_func ("/vigil/reader/queue-health-details-utf8", test_queue_health_details_utf8);
  g_test_add_func ("/vigil/reader/error-message-of-nothing", test_error_message_of_nothing);
  g_test_add_func ("/vigil/reader/timestamps", test_timestamps);
  g_test_add_func ("/vigil/reader/hostile-bodies", test_hostile_bodies);
  g_test_add_func ("/vigil/reader/huge-integers", test_huge_integers);
  g_test_add_func ("/vigil/reader/error-texts", test_error_texts);
  g_test_add_func ("/vigil/reader/truncations", test_truncations);
  g_test_add_func ("/vigil/reader/hidden-nesting", test_hidden_nesting);
  g_test_add_func ("/vigil/reader/nonstandard", test_nonstandard);
  g_test_add_func ("/vigil/reader/standard-forms", test_standard_forms);
  g_test_add_func ("/vigil/reader/wrong-types-everywhere", test_wrong_types_everywhere);
  g_test_add_func ("/vigil/reader/active-by-job", test_active_by_job);
  g_test_add_func ("/vigil/reader/active-streamed", test_active_streamed);
  g_test_add_func ("/vigil/reader/active-streamed-corpus", test_active_streamed_corpus);

  return g_test_run ();
}
