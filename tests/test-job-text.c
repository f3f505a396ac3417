/* test-job-text.c — every word about a job, without a display: titles,
 * kind lines and counts (plural forms), steps and ETA edges, each server
 * and tracking state, summaries, durations and times, starting
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "vigil-job-text.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static VigilJobRecord *
record_new (VigilJobStatus  status,
            const char     *error_message)
{
  VigilJobRecord *r = vigil_job_record_new ();

  r->job_id = g_strdup ("j");
  r->status = status;
  r->error_message = g_strdup (error_message);
  return r;
}

static VigilProgress *
progress_new (VigilStep step,
              double    eta_seconds)
{
  VigilProgress *p = vigil_progress_new ();

  p->job_id = g_strdup ("j");
  p->kind = VIGIL_JOB_KIND_SONG;
  p->fraction = 0.4;
  p->step = step;
  p->eta_seconds = eta_seconds;
  return p;
}

/* A song job the server has answered about with a record of status. */
static VigilJob *
job_with_status (VigilJobStatus  status,
                 const char     *error_message)
{
  VigilJob *job = vigil_job_new ("j", VIGIL_JOB_KIND_SONG, 5);
  g_autoptr(VigilJobRecord) r = record_new (status, error_message);

  vigil_job_apply_record (job, r, 0);
  return job;
}

/* A running job whose polls are in trouble. */
static VigilJob *
troubled_job (VigilTrackingState state,
              guint              retry_interval_ms)
{
  VigilJob *job = job_with_status (VIGIL_JOB_STATUS_IN_PROGRESS, NULL);

  vigil_job_set_server_host (job, "analysis.example.org");
  vigil_job_set_tracking_state (job, state);
  vigil_job_set_retry_interval (job, retry_interval_ms);
  /* 2026-11-28 14:02:00 UTC (the test runs in UTC) */
  vigil_job_set_failing_since (job, G_GINT64_CONSTANT (1795874520) * G_USEC_PER_SEC);
  return job;
}

#define assert_text(expr, expected)                                      \
  G_STMT_START {                                                         \
    g_autofree char *text_ = (expr);                                     \
    g_assert_cmpstr (text_, ==, (expected));                             \
  } G_STMT_END

/* ------------------------------------------------------------------ */
/* Titles                                                              */
/* ------------------------------------------------------------------ */

static void
test_titles (void)
{
  struct {
    VigilJobKind kind; gint64 target; const char *song, *artist, *playlist, *title;
  } cases[] = {
    { VIGIL_JOB_KIND_SONG, 12, NULL, NULL, NULL, "Song 12" },
    { VIGIL_JOB_KIND_SONG, -1, NULL, NULL, NULL, "Song" },
    { VIGIL_JOB_KIND_SONG, 12, "Blue", "Joni Mitchell", NULL, "Blue — Joni Mitchell" },
    { VIGIL_JOB_KIND_SONG, 12, "Blue", NULL, NULL, "Blue" },
    /* an artist without a title names nothing */
    { VIGIL_JOB_KIND_SONG, 12, NULL, "Joni Mitchell", NULL, "Song 12" },
    { VIGIL_JOB_KIND_PLAYLIST, 3, NULL, NULL, NULL, "Playlist 3" },
    { VIGIL_JOB_KIND_PLAYLIST, -1, NULL, NULL, NULL, "Playlist" },
    { VIGIL_JOB_KIND_PLAYLIST, 3, "Blue", "Joni Mitchell", "Road trip", "Road trip" },
    { VIGIL_JOB_KIND_BACKGROUND, 7, NULL, NULL, NULL, "User 7's library" },
    { VIGIL_JOB_KIND_BACKGROUND, -1, NULL, NULL, "Road trip", "A user's library" },
    { VIGIL_JOB_KIND_UNKNOWN, 7, "Blue", NULL, NULL, "Analysis job" },
    { VIGIL_JOB_KIND_SONG, G_MAXINT64, NULL, NULL, NULL, "Song 9223372036854775807" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_text (vigil_job_text_title (cases[i].kind, cases[i].target, cases[i].song,
                                       cases[i].artist, cases[i].playlist),
                 cases[i].title);

  assert_text (vigil_job_text_song_title ("Blue", "Joni Mitchell"), "Blue — Joni Mitchell");
  assert_text (vigil_job_text_song_title ("Blue", NULL), "Blue");
  assert_text (vigil_job_text_song_title (NULL, "Joni Mitchell"), NULL);
  assert_text (vigil_job_text_song_placeholder (0), "Song 1");
  assert_text (vigil_job_text_song_placeholder (G_MAXUINT - 1), "Song 4294967295");
}

/* The job caches its title from the same function. */
static void
test_job_title (void)
{
  g_autoptr(VigilJob) job = vigil_job_new ("j", VIGIL_JOB_KIND_SONG, 5);
  g_autoptr(VigilJobRecord) r = record_new (VIGIL_JOB_STATUS_PENDING, NULL);

  g_assert_cmpstr (vigil_job_get_title (job), ==, "Song 5");
  r->song_title = g_strdup ("Blue");
  r->artist = g_strdup ("Joni Mitchell");
  vigil_job_apply_record (job, r, 0);
  g_assert_cmpstr (vigil_job_get_title (job), ==, "Blue — Joni Mitchell");
}

/* ------------------------------------------------------------------ */
/* Kind line, counts                                                   */
/* ------------------------------------------------------------------ */

static void
test_kind_line (void)
{
  struct { VigilJobKind kind; gint64 done, total; const char *text; } cases[] = {
    { VIGIL_JOB_KIND_SONG, 0, 1, "Song analysis" },
    { VIGIL_JOB_KIND_PLAYLIST, 0, 0, "Playlist analysis" },
    { VIGIL_JOB_KIND_PLAYLIST, 0, 1, "Playlist · 0 of 1 song" },
    { VIGIL_JOB_KIND_PLAYLIST, 5, 12, "Playlist · 5 of 12 songs" },
    { VIGIL_JOB_KIND_PLAYLIST, -1, -1, "Playlist analysis" },
    { VIGIL_JOB_KIND_BACKGROUND, 0, 0, "Whole library analysis" },
    { VIGIL_JOB_KIND_BACKGROUND, 1, 1, "Whole library · 1 of 1 song" },
    { VIGIL_JOB_KIND_BACKGROUND, 339, 340, "Whole library · 339 of 340 songs" },
    /* counts beyond an int are clamped, never wrapped */
    { VIGIL_JOB_KIND_BACKGROUND, G_MAXINT64, G_MAXINT64,
      "Whole library · 2147483647 of 2147483647 songs" },
    { VIGIL_JOB_KIND_UNKNOWN, 3, 4, "Analysis" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_text (vigil_job_text_kind (cases[i].kind, cases[i].done, cases[i].total),
                 cases[i].text);
  /* Several servers: the host follows; none known, the line alone. */
  assert_text (vigil_job_text_kind_on_server ("Song analysis", "a.example.org:5001"),
               "Song analysis · a.example.org:5001");
  assert_text (vigil_job_text_kind_on_server ("Song analysis", NULL), "Song analysis");
}

static void
test_counts (void)
{
  assert_text (vigil_job_text_counts (0, 0), "0 songs analyzed");
  assert_text (vigil_job_text_counts (1, 0), "1 song analyzed");
  assert_text (vigil_job_text_counts (340, 0), "340 songs analyzed");
  assert_text (vigil_job_text_counts (340, 2), "340 songs analyzed, 2 failed");
  assert_text (vigil_job_text_counts (1, 1), "1 song analyzed, 1 failed");
  assert_text (vigil_job_text_counts (-1, -1), "0 songs analyzed");
  assert_text (vigil_job_text_percent (0.424), "42%");
  assert_text (vigil_job_text_percent (0.006), "1%");
  assert_text (vigil_job_text_percent (1), "100%");
  assert_text (vigil_job_text_percent (VIGIL_UNKNOWN), "—");
  assert_text (vigil_job_text_percent (NAN), "—");
  assert_text (vigil_job_text_progress (0.42, 5, 12), "42% (5 of 12)");
  assert_text (vigil_job_text_progress (1.0, 0, 12), "100% (12 of 12)");
  assert_text (vigil_job_text_progress (0.5, 0, 0), "50%");
  assert_text (vigil_job_text_progress (VIGIL_UNKNOWN, 3, 1), "— (3 of 1)");
  assert_text (vigil_job_text_songs_done (5, 12), "Songs (5 of 12 done)");
  assert_text (vigil_job_text_songs_done (0, 1), "Songs (0 of 1 done)");

  g_assert_cmpstr (vigil_job_text_song_state (VIGIL_SONG_STATE_WAITING), ==, "Waiting");
  g_assert_cmpstr (vigil_job_text_song_state (VIGIL_SONG_STATE_ANALYZING), ==, "Analyzing");
  g_assert_cmpstr (vigil_job_text_song_state (VIGIL_SONG_STATE_DONE), ==, "Done");
  g_assert_cmpstr (vigil_job_text_song_state (VIGIL_SONG_STATE_FAILED), ==, "Failed");
}

/* ------------------------------------------------------------------ */
/* Steps and ETA                                                       */
/* ------------------------------------------------------------------ */

static void
test_step_eta (void)
{
  struct { VigilStep step; double eta; const char *text; } cases[] = {
    { VIGIL_STEP_STARTING, VIGIL_UNKNOWN, "Getting ready to analyze…" },
    { VIGIL_STEP_FETCHING_LYRICS, 10.0, "Finding song lyrics…" },
    { VIGIL_STEP_FETCHING_LYRICS, 0, "Finding song lyrics…" },
    { VIGIL_STEP_ANALYZING, 10.5, "Checking content for concerns… (about 1 minute remaining)" },
    { VIGIL_STEP_ANALYZING, 60.0, "Checking content for concerns… (about 1 minute remaining)" },
    { VIGIL_STEP_ANALYZING, 60.1, "Checking content for concerns… (about 2 minutes remaining)" },
    { VIGIL_STEP_OTHER, 171.3, "Processing… (about 3 minutes remaining)" },
    { VIGIL_STEP_COMPLETE, 0, "Analysis finished!" },
    /* absurd estimates are unknown ones */
    { VIGIL_STEP_ANALYZING, 1e308, "Checking content for concerns…" },
    { VIGIL_STEP_ANALYZING, G_MAXDOUBLE, "Checking content for concerns…" },
    { VIGIL_STEP_ANALYZING, INFINITY, "Checking content for concerns…" },
    { VIGIL_STEP_ANALYZING, -INFINITY, "Checking content for concerns…" },
    { VIGIL_STEP_ANALYZING, NAN, "Checking content for concerns…" },
    { VIGIL_STEP_ANALYZING, -1e308, "Checking content for concerns…" },
    { VIGIL_STEP_ANALYZING, 1e19, "Checking content for concerns…" },
    { VIGIL_STEP_ANALYZING, VIGIL_MAX_SECONDS + 1, "Checking content for concerns…" },
    { VIGIL_STEP_ANALYZING, VIGIL_MAX_SECONDS,
      "Checking content for concerns… (about 527040 minutes remaining)" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_text (vigil_job_text_step (cases[i].step, cases[i].eta), cases[i].text);

  g_assert_cmpstr (vigil_job_text_step_label (VIGIL_STEP_OTHER), ==, "Processing…");
}

/* ------------------------------------------------------------------ */
/* States and outcomes                                                 */
/* ------------------------------------------------------------------ */

static void
test_states (void)
{
  struct {
    VigilServerState state; const char *reason, *host, *text;
  } cases[] = {
    { VIGIL_SERVER_STATE_QUEUED, NULL, NULL, "Waiting for a worker…" },
    { VIGIL_SERVER_STATE_RUNNING, NULL, NULL,
      "Finding song lyrics… (about 2 minutes remaining)" },
    { VIGIL_SERVER_STATE_SUCCEEDED, NULL, NULL, "Analysis finished!" },
    { VIGIL_SERVER_STATE_FAILED, "Lyrics service down", NULL, "Failed: Lyrics service down" },
    { VIGIL_SERVER_STATE_FAILED, NULL, NULL, "Failed: The analysis failed" },
    { VIGIL_SERVER_STATE_FAILED, "", NULL, "Failed: The analysis failed" },
    { VIGIL_SERVER_STATE_LOST, "ignored", "h", "The server no longer knows this job" },
    { VIGIL_SERVER_STATE_NOT_FOUND, NULL, "analysis.example.org",
      "No such job on analysis.example.org" },
    { VIGIL_SERVER_STATE_NOT_FOUND, NULL, NULL, "No such job on the server" },
    { VIGIL_SERVER_STATE_NOT_FOUND, NULL, "", "No such job on the server" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_text (vigil_job_text_state (cases[i].state, VIGIL_STEP_FETCHING_LYRICS, 90,
                                       cases[i].reason, cases[i].host),
                 cases[i].text);

  g_assert_cmpstr (vigil_job_text_default_failure (VIGIL_JOB_STATUS_INTERRUPTED), ==,
                   "The job was interrupted");
  g_assert_cmpstr (vigil_job_text_default_failure (VIGIL_JOB_STATUS_CANCELLED), ==,
                   "The job was cancelled");
  g_assert_cmpstr (vigil_job_text_default_failure (VIGIL_JOB_STATUS_FAILED), ==,
                   "The analysis failed");
  assert_text (vigil_job_text_not_signed_in ("analysis.example.org"),
               "Not signed in to analysis.example.org");
  assert_text (vigil_job_text_not_signed_in (NULL), "Not signed in to the server");
}

/* A job's main line, from the job: every server state, and not signed in
 * over what the server said last. */
static void
test_job_status (void)
{
  g_autoptr(VigilJob) queued = job_with_status (VIGIL_JOB_STATUS_PENDING, NULL);
  g_autoptr(VigilJob) done = job_with_status (VIGIL_JOB_STATUS_COMPLETED, NULL);
  g_autoptr(VigilJob) failed = job_with_status (VIGIL_JOB_STATUS_FAILED, "No lyrics");
  g_autoptr(VigilJob) cancelled = job_with_status (VIGIL_JOB_STATUS_CANCELLED, NULL);
  g_autoptr(VigilJob) running = vigil_job_new ("j", VIGIL_JOB_KIND_SONG, 5);
  g_autoptr(VigilJob) lost = job_with_status (VIGIL_JOB_STATUS_PENDING, NULL);
  g_autoptr(VigilJob) unknown = vigil_job_new ("j", VIGIL_JOB_KIND_SONG, 5);
  g_autoptr(VigilProgress) p = progress_new (VIGIL_STEP_ANALYZING, 171.3);

  vigil_job_apply_progress (running, p, 0);
  vigil_job_mark_lost (lost, 0);
  vigil_job_set_server_host (unknown, "127.0.0.1:5001");
  vigil_job_mark_lost (unknown, 0);

  assert_text (vigil_job_text_status (queued), "Waiting for a worker…");
  assert_text (vigil_job_text_status (running),
               "Checking content for concerns… (about 3 minutes remaining)");
  assert_text (vigil_job_text_status (done), "Analysis finished!");
  assert_text (vigil_job_text_status (failed), "Failed: No lyrics");
  assert_text (vigil_job_text_status (cancelled), "Failed: The job was cancelled");
  assert_text (vigil_job_text_status (lost), "The server no longer knows this job");
  assert_text (vigil_job_text_status (unknown), "No such job on 127.0.0.1:5001");

  vigil_job_set_server_host (queued, "analysis.example.org");
  vigil_job_set_tracking_state (queued, VIGIL_TRACKING_STATE_NOT_SIGNED_IN);
  assert_text (vigil_job_text_status (queued), "Not signed in to analysis.example.org");
  /* an outcome stays the outcome */
  vigil_job_set_tracking_state (failed, VIGIL_TRACKING_STATE_NOT_SIGNED_IN);
  assert_text (vigil_job_text_status (failed), "Failed: No lyrics");
}

/* ------------------------------------------------------------------ */
/* Tracking trouble                                                    */
/* ------------------------------------------------------------------ */

static void
test_trouble (void)
{
  struct { VigilTrackingState state; guint interval_ms; const char *text; } cases[] = {
    { VIGIL_TRACKING_STATE_ACTIVE, 0, NULL },
    { VIGIL_TRACKING_STATE_RETRYING, 1000, "Connection issue, retrying…" },
    { VIGIL_TRACKING_STATE_STALLED, 0, "Unable to track progress" },
    { VIGIL_TRACKING_STATE_STALLED, 1000, "Unable to track progress — retrying every 1 s" },
    /* the poller's interval, whatever the settings: rounded, never 0 s */
    { VIGIL_TRACKING_STATE_STALLED, 12400, "Unable to track progress — retrying every 12 s" },
    { VIGIL_TRACKING_STATE_STALLED, 1, "Unable to track progress — retrying every 1 s" },
    { VIGIL_TRACKING_STATE_SERVER_UNREACHABLE, 5000,
      "Server not answering since 14:02 — retrying every 5 s" },
    { VIGIL_TRACKING_STATE_SERVER_UNREACHABLE, 0,
      "Server not answering since 14:02 — retrying every 1 s" },
    { VIGIL_TRACKING_STATE_SERVER_ERROR, 2500, "Server errors since 14:02 — retrying every 3 s" },
    { VIGIL_TRACKING_STATE_NOT_SIGNED_IN, 30000, "Checking again every 30 s" },
    { VIGIL_TRACKING_STATE_OFFLINE, 0, "Offline, waiting for the network…" },
    { VIGIL_TRACKING_STATE_STOPPED, 0, "Not being watched" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(VigilJob) job = troubled_job (cases[i].state, cases[i].interval_ms);

      assert_text (vigil_job_text_trouble (job), cases[i].text);
    }
}

/* A finished job has no trouble, whatever its polls did. */
static void
test_trouble_finished (void)
{
  g_autoptr(VigilJob) job = job_with_status (VIGIL_JOB_STATUS_COMPLETED, NULL);

  vigil_job_set_tracking_state (job, VIGIL_TRACKING_STATE_STALLED);
  vigil_job_set_retry_interval (job, 5000);
  assert_text (vigil_job_text_trouble (job), NULL);
}

static void
test_summary (void)
{
  struct {
    VigilTrackingState state; const char *since, *text;
  } cases[] = {
    { VIGIL_TRACKING_STATE_ACTIVE, NULL, "Processing…" },
    { VIGIL_TRACKING_STATE_ACTIVE, "14:02:11", "Processing…" },
    { VIGIL_TRACKING_STATE_RETRYING, NULL, "Connection issue, retrying…" },
    { VIGIL_TRACKING_STATE_RETRYING, "14:02:11 (3 min)",
      "Connection issue, retrying…; failing since 14:02:11 (3 min)" },
    { VIGIL_TRACKING_STATE_STALLED, "14:02:11",
      "Unable to track progress — retrying every 5 s; failing since 14:02:11" },
    { VIGIL_TRACKING_STATE_SERVER_UNREACHABLE, NULL, "Server not answering — retrying every 5 s" },
    { VIGIL_TRACKING_STATE_SERVER_ERROR, "14:02:11",
      "Server errors — retrying every 5 s; failing since 14:02:11" },
    { VIGIL_TRACKING_STATE_NOT_SIGNED_IN, "14:02:11", "Not signed in to analysis.example.org" },
    { VIGIL_TRACKING_STATE_OFFLINE, "14:02:11", "Offline, waiting for the network…" },
    { VIGIL_TRACKING_STATE_STOPPED, NULL, "Processing…" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(VigilJob) job = troubled_job (cases[i].state, 5000);

      assert_text (vigil_job_text_summary (job, cases[i].since), cases[i].text);
    }
}

/* A finished job's line is its outcome, whatever its polls did. */
static void
test_summary_finished (void)
{
  g_autoptr(VigilJob) failed = job_with_status (VIGIL_JOB_STATUS_INTERRUPTED, NULL);
  g_autoptr(VigilJob) queued = job_with_status (VIGIL_JOB_STATUS_PENDING, NULL);

  vigil_job_set_tracking_state (failed, VIGIL_TRACKING_STATE_SERVER_ERROR);
  assert_text (vigil_job_text_summary (failed, "14:02:11"), "Failed: The job was interrupted");
  assert_text (vigil_job_text_summary (queued, NULL), "Waiting for a worker…");
}

/* ------------------------------------------------------------------ */
/* Times                                                               */
/* ------------------------------------------------------------------ */

/* Durations from server timestamps: absurd ones are no text at all. */
static void
test_duration (void)
{
  struct { double seconds; const char *text; } cases[] = {
    { 0, "0:00" },
    { 59.4, "0:59" },
    { 59.5, "1:00" },
    { 242, "4:02" },
    { 3599.4, "59:59" },
    { 3723, "1:02:03" },
    { VIGIL_MAX_SECONDS, "8784:00:00" },
    { VIGIL_MAX_SECONDS + 1, NULL },
    { 1e308, NULL },
    { G_MAXDOUBLE, NULL },
    { 1e19, NULL },
    { INFINITY, NULL },
    { NAN, NULL },
    { -1, NULL },
    { -1e308, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_text (vigil_job_text_duration (cases[i].seconds), cases[i].text);
}

static void
test_time (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) started = g_date_time_new (utc, 2026, 11, 28, 20, 1, 2);
  g_autoptr(GDateTime) later = g_date_time_add_seconds (started, 242);
  g_autoptr(GDateTime) earlier = g_date_time_add_seconds (started, -30);
  g_autoptr(GDateTime) ago = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) took_start = g_date_time_add_seconds (ago, -242);
  g_autoptr(VigilJob) queued = job_with_status (VIGIL_JOB_STATUS_PENDING, NULL);
  g_autoptr(VigilJob) running = vigil_job_new ("j", VIGIL_JOB_KIND_SONG, 5);
  g_autoptr(VigilJob) finished = vigil_job_new ("j", VIGIL_JOB_KIND_SONG, 5);
  g_autoptr(VigilJob) unstarted = job_with_status (VIGIL_JOB_STATUS_IN_PROGRESS, NULL);
  g_autoptr(VigilJobRecord) r = record_new (VIGIL_JOB_STATUS_IN_PROGRESS, NULL);
  g_autoptr(VigilJobRecord) done = record_new (VIGIL_JOB_STATUS_COMPLETED, NULL);

  r->started_at = g_date_time_ref (started);
  vigil_job_apply_record (running, r, 0);
  done->started_at = g_date_time_ref (took_start);
  vigil_job_apply_record (finished, done, 0);

  assert_text (vigil_job_text_time (queued, later), "Queued");
  assert_text (vigil_job_text_time (running, later), "4:02 elapsed");
  /* a server clock ahead of ours */
  assert_text (vigil_job_text_time (running, earlier), "0:00 elapsed");
  /* a finished job took until Vigil saw it end, whatever "now" is */
  assert_text (vigil_job_text_time (finished, later), "Took 4:02");
  /* running, but since when the server did not say */
  assert_text (vigil_job_text_time (unstarted, later), "");

  /* while its server wants a sign-in, a job is not known to be queued */
  vigil_job_set_tracking_state (queued, VIGIL_TRACKING_STATE_NOT_SIGNED_IN);
  assert_text (vigil_job_text_time (queued, later), "");
}

/* ------------------------------------------------------------------ */
/* Starting                                                            */
/* ------------------------------------------------------------------ */

static void
test_start (void)
{
  struct { const char *job_id; gint64 queued; const char *message, *text; } cases[] = {
    { "j", 12, "Queued 12 songs for analysis", "Queued 12 songs for analysis" },
    { NULL, 0, "All songs already analyzed", "All songs already analyzed" },
    { NULL, 0, NULL, "Nothing to analyze" },
    { NULL, 0, "", "Nothing to analyze" },
    { "j", -1, NULL, "Analysis queued" },
    { "j", 0, "", "Analysis queued" },
    { "j", 1, NULL, "Queued 1 song" },
    { "j", 12, NULL, "Queued 12 songs" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(VigilStartResult) result = vigil_start_result_new ();

      result->job_id = g_strdup (cases[i].job_id);
      result->queued_count = cases[i].queued;
      result->message = g_strdup (cases[i].message);
      assert_text (vigil_job_text_start (result), cases[i].text);
    }
}

/* The Finished view's words for a history entry. */
static void
test_history (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_local (2026, 3, 3, 15, 0, 0);
  g_autoptr(GDateTime) today = g_date_time_new_local (2026, 3, 3, 14, 2, 0);
  g_autoptr(GDateTime) before = g_date_time_new_local (2026, 2, 27, 9, 5, 0);
  g_autoptr(VigilHistoryEntry) done = NULL, unknown = NULL, undated = NULL;
  g_autofree char *t1 = NULL, *t2 = NULL, *t3 = NULL;

  g_assert_cmpstr (vigil_job_text_outcome (VIGIL_OUTCOME_COMPLETED), ==, "Completed");
  g_assert_cmpstr (vigil_job_text_outcome (VIGIL_OUTCOME_FAILED), ==, "Failed");
  g_assert_cmpstr (vigil_job_text_outcome (VIGIL_OUTCOME_LOST), ==, "Lost");
  g_assert_cmpstr (vigil_job_text_outcome (VIGIL_OUTCOME_NOT_FOUND), ==, "Not found");

  done = vigil_history_entry_new ("http://s", "j1", VIGIL_JOB_KIND_SONG, 1, "T",
                                  VIGIL_OUTCOME_COMPLETED, today, 242, NULL);
  unknown = vigil_history_entry_new ("http://s", "j2", VIGIL_JOB_KIND_SONG, 1, "T",
                                     VIGIL_OUTCOME_FAILED, before, VIGIL_UNKNOWN, "boom");
  undated = vigil_history_entry_new ("http://s", "j3", VIGIL_JOB_KIND_SONG, 1, NULL,
                                     VIGIL_OUTCOME_LOST, NULL, 5, NULL);
  t1 = vigil_job_text_history_time (done, now);
  t2 = vigil_job_text_history_time (unknown, now);
  t3 = vigil_job_text_history_time (undated, now);
  g_assert_cmpstr (t1, ==, "Finished 14:02 · took 4:02");
  g_assert_cmpstr (t2, ==, "Finished 27 Feb 09:05 · duration unknown");
  g_assert_cmpstr (t3, ==, "took 0:05");
}

static void
test_background_hint (void)
{
  g_autofree char *one = vigil_job_text_background_hint (1);
  g_autofree char *three = vigil_job_text_background_hint (3);

  g_assert_cmpstr (one, ==, "Vigil keeps watching 1 analysis and will tell you when it ends. "
                            "To stop watching, choose Quit.");
  g_assert_cmpstr (three, ==, "Vigil keeps watching 3 analyses and will tell you when they end. "
                              "To stop watching, choose Quit.");
}

static void
test_background_watch_hint (void)
{
  g_autofree char *one = vigil_job_text_background_watch_hint (1);
  g_autofree char *two = vigil_job_text_background_watch_hint (2);

  g_assert_cmpstr (one, ==, "Vigil keeps watching 1 server for new analyses and will tell you "
                            "when they end. To stop watching, choose Quit.");
  g_assert_cmpstr (two, ==, "Vigil keeps watching 2 servers for new analyses and will tell you "
                            "when they end. To stop watching, choose Quit.");
}

/* ------------------------------------------------------------------ */
/* The tray                                                            */
/* ------------------------------------------------------------------ */

static void
test_tray (void)
{
  g_autoptr(VigilJob) queued = job_with_status (VIGIL_JOB_STATUS_PENDING, NULL);
  g_autoptr(VigilJob) playlist = vigil_job_new ("p", VIGIL_JOB_KIND_PLAYLIST, 3);
  g_autoptr(VigilJob) unknown = job_with_status (VIGIL_JOB_STATUS_IN_PROGRESS, NULL);
  g_autoptr(VigilJob) failed = job_with_status (VIGIL_JOB_STATUS_FAILED, "Out of memory");
  g_autoptr(VigilJob) stopped = job_with_status (VIGIL_JOB_STATUS_IN_PROGRESS, NULL);
  g_autoptr(VigilProgress) p = progress_new (VIGIL_STEP_ANALYZING, 30);

  g_free (p->job_id);
  p->job_id = g_strdup ("p");
  p->kind = VIGIL_JOB_KIND_PLAYLIST;
  p->fraction = 0.45;
  vigil_job_apply_progress (playlist, p, 0);
  vigil_job_set_tracking_state (stopped, VIGIL_TRACKING_STATE_STOPPED);

  assert_text (vigil_job_text_tray_line (playlist), "Playlist 3 · 45%");
  assert_text (vigil_job_text_tray_line (queued), "Song 5 · Queued");
  assert_text (vigil_job_text_tray_line (unknown), "Song 5");
  vigil_job_set_title (unknown, "Ünïcödé Song With A Very Long Name Indeed — Some Artist");
  assert_text (vigil_job_text_tray_line (unknown), "Ünïcödé Song With A Very Long Name Indeed — Som…");
  g_assert_true (vigil_job_text_is_running (playlist));
  g_assert_true (vigil_job_text_is_running (queued));
  g_assert_false (vigil_job_text_is_running (failed));
  g_assert_false (vigil_job_text_is_running (stopped));

  assert_text (vigil_job_text_tray_more (1), "and 1 more");
  assert_text (vigil_job_text_tray_more (995), "and 995 more");
  assert_text (vigil_job_text_tray_tooltip (0, 0), "No analyses running");
  assert_text (vigil_job_text_tray_tooltip (1, 0), "1 analysis running");
  assert_text (vigil_job_text_tray_tooltip (3, 1), "3 analyses running, 1 failed");
  assert_text (vigil_job_text_tray_tooltip (0, 2), "No analyses running, 2 failed");
}

/* ------------------------------------------------------------------ */
/* Notifications                                                       */
/* ------------------------------------------------------------------ */

static void
test_notification_title (void)
{
  g_assert_cmpstr (vigil_job_text_notification_title (VIGIL_JOB_KIND_BACKGROUND,
                                                      VIGIL_SERVER_STATE_SUCCEEDED),
                   ==, "Background analysis finished");
  g_assert_cmpstr (vigil_job_text_notification_title (VIGIL_JOB_KIND_BACKGROUND,
                                                      VIGIL_SERVER_STATE_FAILED),
                   ==, "Background analysis failed");
  g_assert_cmpstr (vigil_job_text_notification_title (VIGIL_JOB_KIND_BACKGROUND,
                                                      VIGIL_SERVER_STATE_LOST),
                   ==, "Background analysis failed");
  g_assert_cmpstr (vigil_job_text_notification_title (VIGIL_JOB_KIND_SONG,
                                                      VIGIL_SERVER_STATE_SUCCEEDED),
                   ==, "Analysis finished");
  g_assert_cmpstr (vigil_job_text_notification_title (VIGIL_JOB_KIND_PLAYLIST,
                                                      VIGIL_SERVER_STATE_NOT_FOUND),
                   ==, "Analysis failed");
  g_assert_false (vigil_job_text_is_failure (VIGIL_SERVER_STATE_SUCCEEDED));
  g_assert_true (vigil_job_text_is_failure (VIGIL_SERVER_STATE_NOT_FOUND));
}

static void
test_notification_body (void)
{
  assert_text (vigil_job_text_notification_body ("User 7's library", VIGIL_JOB_KIND_BACKGROUND,
                                                 VIGIL_SERVER_STATE_SUCCEEDED, 340, 2, 342,
                                                 NULL, NULL, NULL),
               "User 7's library\n340 songs analyzed, 2 failed");
  assert_text (vigil_job_text_notification_body ("User 7's library", VIGIL_JOB_KIND_BACKGROUND,
                                                 VIGIL_SERVER_STATE_FAILED, 1, 0, 12,
                                                 "Worker crashed", NULL, "Studio"),
               "User 7's library\n1 song analyzed\nWorker crashed\nOn Studio");
  /* No reason from the server: Vigil's own; a song job has no counts. */
  assert_text (vigil_job_text_notification_body ("Song 7", VIGIL_JOB_KIND_SONG,
                                                 VIGIL_SERVER_STATE_FAILED, 1, 0, 1,
                                                 "", NULL, ""),
               "Song 7\nThe analysis failed");
  assert_text (vigil_job_text_notification_body ("Playlist 3", VIGIL_JOB_KIND_PLAYLIST,
                                                 VIGIL_SERVER_STATE_NOT_FOUND, 0, 0, 0,
                                                 NULL, "host:5001", NULL),
               "Playlist 3\nNo such job on host:5001");
  assert_text (vigil_job_text_notification_body (NULL, VIGIL_JOB_KIND_BACKGROUND,
                                                 VIGIL_SERVER_STATE_LOST, 0, 0, 0,
                                                 NULL, NULL, NULL),
               "The server no longer knows this job");
}

static void
test_notification_job (void)
{
  g_autoptr(VigilJob) failed = job_with_status (VIGIL_JOB_STATUS_FAILED, "Out of memory");
  g_autoptr(VigilJob) done = job_with_status (VIGIL_JOB_STATUS_COMPLETED, NULL);

  vigil_job_set_title (failed, "Song 5");
  vigil_job_set_title (done, "Song 5");
  assert_text (vigil_job_text_job_notification_body (failed, "Studio"),
               "Song 5\nOut of memory\nOn Studio");
  assert_text (vigil_job_text_job_notification_body (done, NULL), "Song 5");
  assert_text (vigil_job_text_finished_line (done), "“Song 5” finished");
  assert_text (vigil_job_text_finished_line (failed), "“Song 5” failed: Out of memory");
}

static void
test_jobs_summary (void)
{
  assert_text (vigil_job_text_jobs_summary (5, 1), "5 analyses finished, 1 failed");
  assert_text (vigil_job_text_jobs_summary (5, 2), "5 analyses finished, 2 failed");
  assert_text (vigil_job_text_jobs_summary (5, 0), "5 analyses finished");
  assert_text (vigil_job_text_jobs_summary (1, 0), "1 analysis finished");
  assert_text (vigil_job_text_jobs_summary (3, 3), "3 analyses failed");
  assert_text (vigil_job_text_jobs_summary (2, 7), "2 analyses failed");
}

int
main (int argc, char *argv[])
{
  /* Clock times ("since 14:02") are local: make local UTC. */
  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/vigil/job-text/titles", test_titles);
  g_test_add_func ("/vigil/job-text/job-title", test_job_title);
  g_test_add_func ("/vigil/job-text/kind-line", test_kind_line);
  g_test_add_func ("/vigil/job-text/counts", test_counts);
  g_test_add_func ("/vigil/job-text/step-eta", test_step_eta);
  g_test_add_func ("/vigil/job-text/states", test_states);
  g_test_add_func ("/vigil/job-text/job-status", test_job_status);
  g_test_add_func ("/vigil/job-text/trouble", test_trouble);
  g_test_add_func ("/vigil/job-text/trouble-finished", test_trouble_finished);
  g_test_add_func ("/vigil/job-text/summary", test_summary);
  g_test_add_func ("/vigil/job-text/summary-finished", test_summary_finished);
  g_test_add_func ("/vigil/job-text/duration", test_duration);
  g_test_add_func ("/vigil/job-text/time", test_time);
  g_test_add_func ("/vigil/job-text/start", test_start);
  g_test_add_func ("/vigil/job-text/notification-title", test_notification_title);
  g_test_add_func ("/vigil/job-text/notification-body", test_notification_body);
  g_test_add_func ("/vigil/job-text/notification-job", test_notification_job);
  g_test_add_func ("/vigil/job-text/jobs-summary", test_jobs_summary);
  g_test_add_func ("/vigil/job-text/history", test_history);
  g_test_add_func ("/vigil/job-text/background-hint", test_background_hint);
  g_test_add_func ("/vigil/job-text/background-watch-hint", test_background_watch_hint);
  g_test_add_func ("/vigil/job-text/tray", test_tray);

  return g_test_run ();
}
