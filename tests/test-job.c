/* test-job.c — VigilJob: notifications, state mapping, fraction, ETA and
 * the songs list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "vigil-eta.h"
#include "vigil-job.h"

#define SECONDS(s) ((gint64) ((s) * G_USEC_PER_SEC))

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              GHashTable *counts)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, pspec->name));

  g_hash_table_insert (counts, (gpointer) pspec->name, GUINT_TO_POINTER (n + 1));
}

/* property name → number of notifications */
static GHashTable *
watch (gpointer object)
{
  GHashTable *counts = g_hash_table_new (g_str_hash, g_str_equal);

  g_signal_connect (object, "notify", G_CALLBACK (count_notify), counts);
  return counts;
}

/* Exactly the listed properties were notified, each exactly once; then
 * the log is cleared. */
static void
assert_notified (GHashTable *counts,
                 ...)
{
  g_autoptr(GString) got = g_string_new (NULL);
  GHashTableIter iter;
  gpointer key, value;
  guint expected = 0;
  const char *name;
  va_list args;

  g_hash_table_iter_init (&iter, counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_string_append_printf (got, " %s×%u", (const char *) key, GPOINTER_TO_UINT (value));

  va_start (args, counts);
  while ((name = va_arg (args, const char *)) != NULL)
    {
      if (GPOINTER_TO_UINT (g_hash_table_lookup (counts, name)) != 1)
        g_error ("'%s' not notified exactly once; notified:%s", name, got->str);
      expected++;
    }
  va_end (args);

  if (g_hash_table_size (counts) != expected)
    g_error ("expected %u notified properties, got:%s", expected, got->str);

  g_hash_table_remove_all (counts);
}

static VigilProgress *
progress_new (VigilJobKind kind,
              gint64       completed,
              gint64       total,
              double       fraction)
{
  VigilProgress *p = vigil_progress_new ();

  p->job_id = g_strdup ("job-1");
  p->kind = kind;
  p->completed_items = completed;
  p->total_items = total;
  p->fraction = fraction;
  p->step = VIGIL_STEP_ANALYZING;
  return p;
}

static VigilJobRecord *
record_new (VigilJobStatus  status,
            const char     *error_message)
{
  VigilJobRecord *r = vigil_job_record_new ();

  r->job_id = g_strdup ("job-1");
  r->status = status;
  r->error_message = g_strdup (error_message);
  return r;
}

static VigilJobSong *
song_at (VigilJob *job,
         guint     position)
{
  GListModel *songs = vigil_job_get_songs (job);
  g_autoptr(VigilJobSong) row = g_list_model_get_item (songs, position);

  g_assert_nonnull (row);
  /* the model keeps it alive */
  return row;
}

static void
assert_song (VigilJob       *job,
             guint           position,
             VigilSongState  state,
             double          fraction,
             const char     *title)
{
  VigilJobSong *row = song_at (job, position);

  g_assert_cmpint (vigil_job_song_get_state (row), ==, state);
  g_assert_cmpfloat_with_epsilon (vigil_job_song_get_fraction (row), fraction, 1e-9);
  g_assert_cmpstr (vigil_job_song_get_title (row), ==, title);
}

static void
set_metadata (VigilProgress *p,
              gint64         processed,
              gint64         total,
              gint64         song_id,
              const char    *title,
              const char    *artist,
              double         song_progress)
{
  p->has_metadata = TRUE;
  p->total_songs = total;
  p->processed_songs = processed;
  p->song_progress = song_progress;
  g_clear_pointer (&p->current_song, vigil_song_ref_free);
  p->current_song = vigil_song_ref_new ();
  p->current_song->id = song_id;
  p->current_song->title = g_strdup (title);
  p->current_song->artist = g_strdup (artist);
}

/* ------------------------------------------------------------------ */
/* Construction, titles                                                */
/* ------------------------------------------------------------------ */

static void
test_construct (void)
{
  VigilJob *job = vigil_job_new ("abc-123", VIGIL_JOB_KIND_PLAYLIST, 3);
  g_autofree char *job_id = NULL;
  g_autoptr(GListModel) songs = NULL;
  VigilServerState server_state;
  VigilTrackingState tracking_state;
  VigilJobKind kind;
  gboolean is_finished;
  double fraction;
  gint64 target_id;

  g_object_get (job,
                "job-id", &job_id,
                "kind", &kind,
                "target-id", &target_id,
                "server-state", &server_state,
                "tracking-state", &tracking_state,
                "fraction", &fraction,
                "is-finished", &is_finished,
                "songs", &songs,
                NULL);

  g_assert_cmpstr (job_id, ==, "abc-123");
  g_assert_cmpint (kind, ==, VIGIL_JOB_KIND_PLAYLIST);
  g_assert_cmpint (target_id, ==, 3);
  g_assert_cmpint (server_state, ==, VIGIL_SERVER_STATE_QUEUED);
  g_assert_cmpint (tracking_state, ==, VIGIL_TRACKING_STATE_ACTIVE);
  g_assert_cmpfloat (fraction, ==, VIGIL_UNKNOWN);
  g_assert_false (is_finished);
  g_assert_cmpfloat (vigil_job_get_eta_seconds (job), ==, VIGIL_UNKNOWN);
  g_assert_cmpstr (vigil_job_get_title (job), ==, "Playlist 3");
  g_assert_null (vigil_job_get_message (job));
  g_assert_null (vigil_job_get_error_message (job));
  g_assert_null (vigil_job_get_finished_at (job));
  g_assert_true (songs == vigil_job_get_songs (job));
  g_assert_cmpuint (g_list_model_get_n_items (songs), ==, 0);
  g_assert_true (g_list_model_get_item_type (songs) == VIGIL_TYPE_JOB_SONG);

  g_clear_object (&songs);
  g_assert_finalize_object (job);
}

static void
test_enum_types (void)
{
  g_autoptr(GEnumClass) server = g_type_class_ref (VIGIL_TYPE_SERVER_STATE);
  g_autoptr(GEnumClass) tracking = g_type_class_ref (VIGIL_TYPE_TRACKING_STATE);
  g_autoptr(GEnumClass) song = g_type_class_ref (VIGIL_TYPE_SONG_STATE);
  g_autoptr(GEnumClass) kind = g_type_class_ref (VIGIL_TYPE_JOB_KIND);
  g_autoptr(GEnumClass) step = g_type_class_ref (VIGIL_TYPE_STEP);

  g_assert_cmpuint (server->n_values, ==, 6);
  g_assert_cmpstr (g_enum_get_value (server, VIGIL_SERVER_STATE_LOST)->value_nick, ==, "lost");
  g_assert_cmpstr (g_enum_get_value (server, VIGIL_SERVER_STATE_NOT_FOUND)->value_nick, ==,
                   "not-found");
  g_assert_cmpuint (tracking->n_values, ==, 8);
  g_assert_cmpstr (g_enum_get_value (tracking, VIGIL_TRACKING_STATE_STALLED)->value_nick, ==,
                   "stalled");
  g_assert_cmpstr (g_enum_get_value (tracking, VIGIL_TRACKING_STATE_NOT_SIGNED_IN)->value_nick,
                   ==, "not-signed-in");
  g_assert_cmpstr (g_enum_get_value (tracking, VIGIL_TRACKING_STATE_SERVER_UNREACHABLE)->value_nick,
                   ==, "server-unreachable");
  g_assert_cmpstr (g_enum_get_value (tracking, VIGIL_TRACKING_STATE_SERVER_ERROR)->value_nick,
                   ==, "server-error");
  g_assert_cmpuint (song->n_values, ==, 4);
  g_assert_cmpuint (kind->n_values, ==, 4);
  g_assert_cmpstr (g_enum_get_value (step, VIGIL_STEP_FETCHING_LYRICS)->value_nick, ==,
                   "fetching-lyrics");
  g_assert_cmpuint (g_enum_get_value_by_nick (kind, "background")->value, ==,
                    VIGIL_JOB_KIND_BACKGROUND);
}

static void
test_default_titles (void)
{
  struct { VigilJobKind kind; gint64 target; const char *title; } cases[] = {
    { VIGIL_JOB_KIND_SONG, 12, "Song 12" },
    { VIGIL_JOB_KIND_SONG, -1, "Song" },
    { VIGIL_JOB_KIND_PLAYLIST, 3, "Playlist 3" },
    { VIGIL_JOB_KIND_PLAYLIST, -1, "Playlist" },
    { VIGIL_JOB_KIND_BACKGROUND, 7, "User 7's library" },
    { VIGIL_JOB_KIND_BACKGROUND, -1, "A user's library" },
    { VIGIL_JOB_KIND_UNKNOWN, 7, "Analysis job" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      VigilJob *job = vigil_job_new ("j", cases[i].kind, cases[i].target);

      g_assert_cmpstr (vigil_job_get_title (job), ==, cases[i].title);
      g_assert_finalize_object (job);
    }
}

static void
test_named_titles (void)
{
  VigilJob *song = vigil_job_new ("s", VIGIL_JOB_KIND_SONG, 12);
  VigilJob *playlist = vigil_job_new ("p", VIGIL_JOB_KIND_PLAYLIST, 3);
  g_autoptr(VigilJobRecord) r = record_new (VIGIL_JOB_STATUS_PENDING, NULL);
  g_autoptr(GHashTable) counts = watch (song);

  r->song_title = g_strdup ("Blue");
  r->artist = g_strdup ("Joni Mitchell");
  vigil_job_apply_record (song, r, 0);
  g_assert_cmpstr (vigil_job_get_title (song), ==, "Blue — Joni Mitchell");
  assert_notified (counts, "title", NULL);

  /* a progress message does not override the record's names */
  {
    g_autoptr(VigilProgress) p = progress_new (VIGIL_JOB_KIND_SONG, 0, 1, 0);

    p->message = g_strdup ("Analyzing 'Other' by Someone");
    vigil_job_apply_progress (song, p, 0);
    g_assert_cmpstr (vigil_job_get_title (song), ==, "Blue — Joni Mitchell");
  }

  g_clear_pointer (&r->song_title, g_free);
  g_clear_pointer (&r->artist, g_free);
  r->playlist_name = g_strdup ("Road trip");
  vigil_job_apply_record (playlist, r, 0);
  g_assert_cmpstr (vigil_job_get_title (playlist), ==, "Road trip");

  g_assert_finalize_object (song);
  g_assert_finalize_object (playlist);
}

static void
test_title_from_message (void)
{
  VigilJob *job = vigil_job_new ("s", VIGIL_JOB_KIND_SONG, 12);
  g_autoptr(VigilProgress) p = progress_new (VIGIL_JOB_KIND_SONG, 0, 1, 0);

  p->message = g_strdup ("Analyzing 'Don't Stop Me Now' by Queen");
  vigil_job_apply_progress (job, p, 0);
  g_assert_cmpstr (vigil_job_get_title (job), ==, "Don't Stop Me Now — Queen");

  g_assert_finalize_object (job);
}

static void
test_explicit_title (void)
{
  VigilJob *job = vigil_job_new ("p", VIGIL_JOB_KIND_PLAYLIST, 3);
  g_autoptr(VigilJobRecord) r = record_new (VIGIL_JOB_STATUS_IN_PROGRESS, NULL);
  g_autoptr(GHashTable) counts = watch (job);

  g_object_set (job, "title", "My mix", NULL);
  assert_notified (counts, "title", NULL);
  g_object_set (job, "title", "My mix", NULL);
  assert_notified (counts, NULL);

  /* kept while the server names nothing … */
  vigil_job_apply_record (job, r, 0);
  g_assert_cmpstr (vigil_job_get_title (job), ==, "My mix");

  /* … replaced when it does */
  r->playlist_name = g_strdup ("Road trip");
  vigil_job_apply_record (job, r, 0);
  g_assert_cmpstr (vigil_job_get_title (job), ==, "Road trip");

  /* NULL goes back to the made-up title */
  vigil_job_set_title (job, "Mine again");
  vigil_job_set_title (job, NULL);
  g_assert_cmpstr (vigil_job_get_title (job), ==, "Road trip");

  g_assert_finalize_object (job);
}

static void
test_kind_learned (void)
{
  VigilJob *job = vigil_job_new ("u", VIGIL_JOB_KIND_UNKNOWN, -1);
  g_autoptr(GHashTable) counts = watch (job);
  g_autoptr(VigilJobRecord) r = record_new (VIGIL_JOB_STATUS_PENDING, NULL);

  r->kind = VIGIL_JOB_KIND_PLAYLIST;
  r->target_id = 5;
  vigil_job_apply_record (job, r, 0);
  g_assert_cmpint (vigil_job_get_kind (job), ==, VIGIL_JOB_KIND_PLAYLIST);
  g_assert_cmpint (vigil_job_get_target_id (job), ==, 5);
  g_assert_cmpstr (vigil_job_get_title (job), ==, "Playlist 5");
  assert_notified (counts, "kind", "target-id", "title", NULL);

  /* a known kind is never replaced */
  r->kind = VIGIL_JOB_KIND_SONG;
  r->target_id = 9;
  vigil_job_apply_record (job, r, 0);
  g_assert_cmpint (vigil_job_get_kind (job), ==, VIGIL_JOB_KIND_PLAYLIST);
  g_assert_cmpint (vigil_job_get_target_id (job), ==, 5);
  assert_notified (counts, NULL);

  g_assert_finalize_object (job);
}

/* ------------------------------------------------------------------ */
/* Notifications                                                       */
/* ------------------------------------------------------------------ */

typedef struct
{
  VigilJob *job;
  double    fraction_seen;
  char     *message_seen;
} BatchProbe;

/* At the first notification, everything of the poll is already applied. */
static void
probe_notify (GObject    *object,
              GParamSpec *pspec,
              BatchProbe *probe)
{
  if (probe->message_seen != NULL)
    return;

  probe->fraction_seen = vigil_job_get_fraction (probe->job);
  probe->message_seen = g_strdup (vigil_job_get_message (probe->job));
}

static void
test_notify_once (void)
{
  VigilJob *job = vigil_job_new ("p", VIGIL_JOB_KIND_PLAYLIST, 3);
  g_autoptr(GHashTable) counts = watch (job);
  g_autoptr(VigilProgress) p = progress_new (VIGIL_JOB_KIND_PLAYLIST, 2, 12, 0.1667);
  g_autoptr(GDateTime) start = g_date_time_new_utc (2026, 11, 28, 20, 1, 2);
  BatchProbe probe = { job, 0, NULL };
  gulong probe_id;

  p->message = g_strdup ("Analyzing 'Blue' by Joni Mitchell");
  p->eta_seconds = 250;
  p->start_time = g_date_time_ref (start);

  probe_id = g_signal_connect (job, "notify", G_CALLBACK (probe_notify), &probe);
  vigil_job_apply_progress (job, p, SECONDS (30));
  g_clear_signal_handler (&probe_id, job);

  assert_notified (counts, "server-state", "fraction", "step", "message", "eta-seconds",
                   "completed-items", "total-items", "started-at", NULL);
  g_assert_cmpfloat (probe.fraction_seen, ==, 0.1667);
  g_assert_cmpstr (probe.message_seen, ==, "Analyzing 'Blue' by Joni Mitchell");
  g_free (probe.message_seen);

  /* the same answer again: nothing */
  vigil_job_apply_progress (job, p, SECONDS (33));
  assert_notified (counts, NULL);

  /* one field moves: one notification */
  p->fraction = 0.25;
  vigil_job_apply_progress (job, p, SECONDS (36));
  assert_notified (counts, "fraction", NULL);

  p->step = VIGIL_STEP_FETCHING_LYRICS;
  p->eta_seconds = 200;
  vigil_job_apply_progress (job, p, SECONDS (39));
  assert_notified (counts, "step", "eta-seconds", NULL);

  g_assert_finalize_object (job);
}

/* A listener of one property ("notify::name", as property bindings and
 * GtkExpression watches connect) hears it, in the same batch. */
static void
test_notify_detailed (void)
{
  VigilJob *job = vigil_job_new ("p", VIGIL_JOB_KIND_PLAYLIST, 3);
  g_autoptr(VigilProgress) p = progress_new (VIGIL_JOB_KIND_PLAYLIST, 2, 12, 0.1667);
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  BatchProbe probe = { job, 0, NULL };

  p->message = g_strdup ("Analyzing 'Blue' by Joni Mitchell");
  g_signal_connect (job, "notify::completed-items", G_CALLBACK (count_notify), counts);
  g_signal_connect (job, "notify::completed-items", G_CALLBACK (probe_notify), &probe);
  vigil_job_apply_progress (job, p, SECONDS (30));

  assert_notified (counts, "completed-items", NULL);
  g_assert_cmpfloat (probe.fraction_seen, ==, 0.1667);
  g_assert_cmpstr (probe.message_seen, ==, "Analyzing 'Blue' by Joni Mitchell");
  g_free (probe.message_seen);

  g_assert_finalize_object (job);
}

static void
test_setters (void)
{
  VigilJob *job = vigil_job_new ("p", VIGIL_JOB_KIND_PLAYLIST, 3);
  g_autoptr(GHashTable) counts = watch (job);

  vigil_job_set_tracking_state (job, VIGIL_TRACKING_STATE_RETRYING);
  g_assert_cmpint (vigil_job_get_tracking_state (job), ==, VIGIL_TRACKING_STATE_RETRYING);
  assert_notified (counts, "tracking-state", NULL);
  g_object_set (job, "tracking-state", VIGIL_TRACKING_STATE_RETRYING, NULL);
  assert_notified (counts, NULL);

  vigil_job_set_error_message (job, "Connection issue, retrying…");
  assert_notified (counts, "error-message", NULL);
  vigil_job_set_error_message (job, "Connection issue, retrying…");
  assert_notified (counts, NULL);
  g_object_set (job, "error-message", NULL, NULL);
  g_assert_null (vigil_job_get_error_message (job));
  assert_notified (counts, "error-message", NULL);

  vigil_job_set_tracking_error (job, "Could not connect: Connection refused");
  g_assert_cmpstr (vigil_job_get_tracking_error (job), ==, "Could not connect: Connection refused");
  assert_notified (counts, "tracking-error", NULL);
  g_object_set (job, "tracking-error", "Could not connect: Connection refused", NULL);
  assert_notified (counts, NULL);
  vigil_job_set_tracking_error (job, NULL);
  g_assert_null (vigil_job_get_tracking_error (job));
  assert_notified (counts, "tracking-error", NULL);

  g_assert_cmpuint (vigil_job_get_sequence (job), ==, 0);
  vigil_job_set_sequence (job, 7);
  g_assert_cmpuint (vigil_job_get_sequence (job), ==, 7);
  assert_notified (counts, "sequence", NULL);
  g_object_set (job, "sequence", (guint64) 7, NULL);
  assert_notified (counts, NULL);

  /* what the poller says about following the job */
  vigil_job_set_server_host (job, "analysis.example.org");
  g_object_set (job, "server-host", "analysis.example.org", NULL);
  g_assert_cmpstr (vigil_job_get_server_host (job), ==, "analysis.example.org");
  assert_notified (counts, "server-host", NULL);
  vigil_job_set_failing_since (job, G_GINT64_CONSTANT (1700000000) * G_USEC_PER_SEC);
  vigil_job_set_retry_interval (job, 5000);
  g_object_set (job, "failing-since", G_GINT64_CONSTANT (1700000000) * G_USEC_PER_SEC, "retry-interval", 5000, NULL);
  g_assert_cmpint (vigil_job_get_failing_since (job), ==, G_GINT64_CONSTANT (1700000000) * G_USEC_PER_SEC);
  g_assert_cmpuint (vigil_job_get_retry_interval (job), ==, 5000);
  assert_notified (counts, "failing-since", "retry-interval", NULL);
  vigil_job_set_failing_since (job, 0);
  vigil_job_set_retry_interval (job, 0);
  assert_notified (counts, "failing-since", "retry-interval", NULL);

  g_assert_finalize_object (job);
}

/* ------------------------------------------------------------------ */
/* Server state                                                        */
/* ------------------------------------------------------------------ */

static void
test_status_mapping (void)
{
  struct {
    VigilJobStatus status;
    const char *error_in;
    VigilServerState state;
    const char *error_out;
  } cases[] = {
    { VIGIL_JOB_STATUS_PENDING, NULL, VIGIL_SERVER_STATE_QUEUED, NULL },
    { VIGIL_JOB_STATUS_IN_PROGRESS, NULL, VIGIL_SERVER_STATE_RUNNING, NULL },
    { VIGIL_JOB_STATUS_COMPLETED, NULL, VIGIL_SERVER_STATE_SUCCEEDED, NULL },
    { VIGIL_JOB_STATUS_COMPLETED, "Lyrics service down", VIGIL_SERVER_STATE_FAILED,
      "Lyrics service down" },
    { VIGIL_JOB_STATUS_FAILED, NULL, VIGIL_SERVER_STATE_FAILED, "The analysis failed" },
    { VIGIL_JOB_STATUS_FAILED, "Out of memory", VIGIL_SERVER_STATE_FAILED, "Out of memory" },
    { VIGIL_JOB_STATUS_INTERRUPTED, NULL, VIGIL_SERVER_STATE_FAILED, "The job was interrupted" },
    { VIGIL_JOB_STATUS_CANCELLED, NULL, VIGIL_SERVER_STATE_FAILED, "The job was cancelled" },
    { VIGIL_JOB_STATUS_UNKNOWN, NULL, VIGIL_SERVER_STATE_QUEUED, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      VigilJob *job = vigil_job_new ("j", VIGIL_JOB_KIND_SONG, 1);
      g_autoptr(VigilJobRecord) r = record_new (cases[i].status, cases[i].error_in);
      gboolean finished = cases[i].state == VIGIL_SERVER_STATE_SUCCEEDED ||
                          cases[i].state == VIGIL_SERVER_STATE_FAILED;

      vigil_job_apply_record (job, r, 0);
      g_assert_cmpint (vigil_job_get_server_state (job), ==, cases[i].state);
      g_assert_cmpstr (vigil_job_get_error_message (job), ==, cases[i].error_out);
      g_assert_cmpint (vigil_job_get_is_finished (job), ==, finished);
      g_assert_true ((vigil_job_get_finished_at (job) != NULL) == finished);
      g_assert_finalize_object (job);
    }
}

static void
test_succeeded (void)
{
  VigilJob *job = vigil_job_new ("j", VIGIL_JOB_KIND_SONG, 1);
  g_autoptr(GHashTable) counts = watch (job);
  g_autoptr(VigilProgress) p = progress_new (VIGIL_JOB_KIND_SONG, 0, 1, 0);
  g_autoptr(VigilJobRecord) r = record_new (VIGIL_JOB_STATUS_COMPLETED, NULL);

  p->step_progress = 0.3;
  p->eta_seconds = 12;
  vigil_job_apply_progress (job, p, 0);
  g_hash_table_remove_all (counts);

  vigil_job_apply_record (job, r, SECONDS (5));
  g_assert_cmpint (vigil_job_get_server_state (job), ==, VIGIL_SERVER_STATE_SUCCEEDED);
  g_assert_cmpfloat (vigil_job_get_fraction (job), ==, 1.0);
  g_assert_cmpint (vigil_job_get_step (job), ==, VIGIL_STEP_COMPLETE);
  g_assert_cmpfloat (vigil_job_get_eta_seconds (job), ==, VIGIL_UNKNOWN);
  /* The last progress said 0 of 1: a finished job has done all its items. */
  g_assert_cmpint (vigil_job_get_completed_items (job), ==, 1);
  assert_notified (counts, "server-state", "is-finished", "fraction", "step", "eta-seconds",
                   "finished-at", "completed-items", NULL);

  g_assert_finalize_object (job);
}

static void
test_progress_terminal (void)
{
  VigilJob *done = vigil_job_new ("a", VIGIL_JOB_KIND_PLAYLIST, 1);
  VigilJob *failed = vigil_job_new ("b", VIGIL_JOB_KIND_PLAYLIST, 1);
  g_autoptr(VigilProgress) p = progress_new (VIGIL_JOB_KIND_PLAYLIST, 3, 4, 0.75);

  p->is_complete = TRUE;
  vigil_job_apply_progress (done, p, 0);
  g_assert_cmpint (vigil_job_get_server_state (done), ==, VIGIL_SERVER_STATE_SUCCEEDED);
  g_assert_cmpfloat (vigil_job_get_fraction (done), ==, 1.0);

  p->is_complete = FALSE;
  p->status = VIGIL_JOB_STATUS_INTERRUPTED;
  vigil_job_apply_progress (failed, p, 0);
  g_assert_cmpint (vigil_job_get_server_state (failed), ==, VIGIL_SERVER_STATE_FAILED);
  g_assert_cmpstr (vigil_job_get_error_message (failed), ==, "The job was interrupted");
  g_assert_cmpfloat (vigil_job_get_fraction (failed), ==, 0.75);

  g_assert_finalize_object (done);
  g_assert_finalize_object (failed);
}

static void
test_terminal_sticky (void)
{
  VigilJob *job = vigil_job_new ("j", VIGIL_JOB_KIND_SONG, 1);
  g_autoptr(GHashTable) counts = NULL;
  g_autoptr(VigilJobRecord) done = record_new (VIGIL_JOB_STATUS_COMPLETED, NULL);
  g_autoptr(VigilJobRecord) running = record_new (VIGIL_JOB_STATUS_IN_PROGRESS, NULL);
  g_autoptr(VigilJobRecord) failed = record_new (VIGIL_JOB_STATUS_FAILED, "Worker crashed");
  g_autoptr(VigilProgress) p = progress_new (VIGIL_JOB_KIND_SONG, 0, 1, 0.2);

  vigil_job_apply_record (job, done, 0);
  counts = watch (job);

  /* stale answers after the end change nothing */
  vigil_job_apply_record (job, running, SECONDS (1));
  vigil_job_apply_progress (job, p, SECONDS (2));
  vigil_job_mark_lost (job, SECONDS (3));
  g_assert_cmpint (vigil_job_get_server_state (job), ==, VIGIL_SERVER_STATE_SUCCEEDED);
  g_assert_cmpfloat (vigil_job_get_fraction (job), ==, 1.0);
  assert_notified (counts, NULL);

  /* the record is authoritative between terminal states */
  vigil_job_apply_record (job, failed, SECONDS (4));
  g_assert_cmpint (vigil_job_get_server_state (job), ==, VIGIL_SERVER_STATE_FAILED);
  assert_notified (counts, "server-state", "error-message", NULL);

  g_assert_finalize_object (job);
}

static void
test_lost (void)
{
  VigilJob *job = vigil_job_new ("j", VIGIL_JOB_KIND_SONG, 1);
  g_autoptr(GHashTable) counts = NULL;
  g_autoptr(VigilProgress) p = progress_new (VIGIL_JOB_KIND_SONG, 0, 1, 0.2);
  g_autoptr(VigilJobRecord) queued = record_new (VIGIL_JOB_STATUS_PENDING, NULL);

  /* the server knew the job once */
  vigil_job_apply_record (job, queued, 0);
  counts = watch (job);
  vigil_job_mark_lost (job, SECONDS (1));
  g_assert_cmpint (vigil_job_get_server_state (job), ==, VIGIL_SERVER_STATE_LOST);
  g_assert_true (vigil_job_get_is_finished (job));
  g_assert_cmpstr (vigil_job_get_error_message (job), ==, "The server no longer knows this job");
  g_assert_nonnull (vigil_job_get_finished_at (job));
  assert_notified (counts, "server-state", "is-finished", "error-message", "finished-at", NULL);

  vigil_job_mark_lost (job, SECONDS (2));
  assert_notified (counts, NULL);

  /* cleaned up after the end, then found again: the lost message goes */
  {
    VigilJob *found = vigil_job_new ("k", VIGIL_JOB_KIND_SONG, 1);
    g_autoptr(VigilJobRecord) r = record_new (VIGIL_JOB_STATUS_COMPLETED, NULL);

    vigil_job_mark_lost (found, 0);
    vigil_job_apply_record (found, r, 0);
    g_assert_cmpint (vigil_job_get_server_state (found), ==, VIGIL_SERVER_STATE_SUCCEEDED);
    g_assert_null (vigil_job_get_error_message (found));
    g_assert_true (vigil_job_get_is_finished (found));
    g_assert_finalize_object (found);
  }

  /* the server knows the job again */
  vigil_job_apply_progress (job, p, SECONDS (3));
  g_assert_cmpint (vigil_job_get_server_state (job), ==, VIGIL_SERVER_STATE_RUNNING);
  g_assert_false (vigil_job_get_is_finished (job));
  g_assert_null (vigil_job_get_error_message (job));
  g_assert_null (vigil_job_get_finished_at (job));

  g_assert_finalize_object (job);
}

/* A 404 for a job that never had a record or progress: the server never
 * knew it, which is not "lost" (issue 9, item 10). */
static void
test_not_found (void)
{
  VigilJob *job = vigil_job_new ("never", VIGIL_JOB_KIND_UNKNOWN, -1);
  VigilJob *anonymous = vigil_job_new ("nowhere", VIGIL_JOB_KIND_SONG, 1);
  g_autoptr(GHashTable) counts = NULL;
  g_autoptr(VigilJobRecord) running = record_new (VIGIL_JOB_STATUS_IN_PROGRESS, NULL);

  vigil_job_set_server_host (job, "analysis.example.org");
  counts = watch (job);
  vigil_job_mark_lost (job, SECONDS (1));
  g_assert_cmpint (vigil_job_get_server_state (job), ==, VIGIL_SERVER_STATE_NOT_FOUND);
  g_assert_true (vigil_job_get_is_finished (job));
  g_assert_cmpstr (vigil_job_get_error_message (job), ==, "No such job on analysis.example.org");
  assert_notified (counts, "server-state", "is-finished", "error-message", "finished-at", NULL);
  vigil_job_mark_lost (job, SECONDS (2));
  assert_notified (counts, NULL);

  /* known after all (another process behind a load balancer) … */
  vigil_job_apply_record (job, running, SECONDS (3));
  g_assert_cmpint (vigil_job_get_server_state (job), ==, VIGIL_SERVER_STATE_RUNNING);
  g_assert_false (vigil_job_get_is_finished (job));
  g_assert_null (vigil_job_get_error_message (job));
  /* … so gone again is lost */
  vigil_job_mark_lost (job, SECONDS (4));
  g_assert_cmpint (vigil_job_get_server_state (job), ==, VIGIL_SERVER_STATE_LOST);

  vigil_job_mark_lost (anonymous, 0);
  g_assert_cmpint (vigil_job_get_server_state (anonymous), ==, VIGIL_SERVER_STATE_NOT_FOUND);
  g_assert_cmpstr (vigil_job_get_error_message (anonymous), ==, "No such job on the server");

  g_assert_finalize_object (job);
  g_assert_finalize_object (anonymous);
}

static void
test_dates (void)
{
  VigilJob *job = vigil_job_new ("j", VIGIL_JOB_KIND_SONG, 1);
  g_autoptr(GHashTable) counts = watch (job);
  g_autoptr(VigilJobRecord) r = record_new (VIGIL_JOB_STATUS_IN_PROGRESS, NULL);
  g_autoptr(VigilProgress) p = progress_new (VIGIL_JOB_KIND_SONG, 0, 1, 0.1);
  g_autoptr(GDateTime) created = g_date_time_new_utc (2026, 11, 28, 20, 0, 0);
  g_autoptr(GDateTime) started = g_date_time_new_utc (2026, 11, 28, 20, 1, 0);
  g_autoptr(GDateTime) other = g_date_time_new_utc (2026, 11, 28, 20, 1, 0.5);
  g_autoptr(GDateTime) same_started = g_date_time_new_utc (2026, 11, 28, 20, 1, 0);
  g_autoptr(GDateTime) got = NULL;

  r->created_at = g_date_time_ref (created);
  r->started_at = g_date_time_ref (started);
  vigil_job_apply_record (job, r, 0);
  assert_notified (counts, "created-at", "started-at", "server-state", NULL);
  g_object_get (job, "started-at", &got, NULL);
  g_assert_true (g_date_time_equal (got, started));

  /* an equal date is no change; the progress start_time does not override */
  g_clear_pointer (&r->started_at, g_date_time_unref);
  r->started_at = g_date_time_ref (same_started);
  vigil_job_apply_record (job, r, 0);
  p->start_time = g_date_time_ref (other);
  vigil_job_apply_progress (job, p, 0);
  assert_notified (counts, "fraction", "step", "total-items", NULL);
  g_assert_true (g_date_time_equal (vigil_job_get_started_at (job), started));

  g_assert_finalize_object (job);
}

/* ------------------------------------------------------------------ */
/* Fraction                                                            */
/* ------------------------------------------------------------------ */

static void
test_one_song_fraction (void)
{
  VigilJob *song = vigil_job_new ("s", VIGIL_JOB_KIND_SONG, 1);
  VigilJob *single = vigil_job_new ("p1", VIGIL_JOB_KIND_PLAYLIST, 1);
  VigilJob *many = vigil_job_new ("p12", VIGIL_JOB_KIND_PLAYLIST, 1);
  g_autoptr(VigilProgress) p = progress_new (VIGIL_JOB_KIND_SONG, 0, 1, 0);
  g_autoptr(VigilProgress) pm = progress_new (VIGIL_JOB_KIND_PLAYLIST, 3, 12, 0.25);
  double steps[] = { 0.0, 0.3, 0.7 };

  /* production: current_progress stays 0, step_progress moves */
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      p->step_progress = steps[i];
      vigil_job_apply_progress (song, p, SECONDS (i));
      g_assert_cmpfloat (vigil_job_get_fraction (song), ==, steps[i]);
    }

  /* one item is one item, whatever the kind */
  p->kind = VIGIL_JOB_KIND_PLAYLIST;
  vigil_job_apply_progress (single, p, 0);
  g_assert_cmpfloat (vigil_job_get_fraction (single), ==, 0.7);

  /* with many items, step_progress is the current song's, not the job's */
  pm->step_progress = 0.9;
  vigil_job_apply_progress (many, pm, 0);
  g_assert_cmpfloat (vigil_job_get_fraction (many), ==, 0.25);

  g_assert_finalize_object (song);
  g_assert_finalize_object (single);
  g_assert_finalize_object (many);
}

static void
test_fraction_from_counts (void)
{
  VigilJob *job = vigil_job_new ("p", VIGIL_JOB_KIND_PLAYLIST, 1);
  g_autoptr(VigilProgress) p = progress_new (VIGIL_JOB_KIND_PLAYLIST, 3, 12, VIGIL_UNKNOWN);

  vigil_job_apply_progress (job, p, 0);
  g_assert_cmpfloat (vigil_job_get_fraction (job), ==, 0.25);

  g_assert_finalize_object (job);
}

static void
test_monotonic_fraction (void)
{
  VigilJob *job = vigil_job_new ("p", VIGIL_JOB_KIND_PLAYLIST, 1);
  g_autoptr(GHashTable) counts = watch (job);
  g_autoptr(VigilProgress) p = progress_new (VIGIL_JOB_KIND_PLAYLIST, 6, 12, 0.5);
  g_autoptr(VigilJobRecord) r = record_new (VIGIL_JOB_STATUS_COMPLETED, NULL);

  p->eta_seconds = 100;
  vigil_job_apply_progress (job, p, SECONDS (1));
  g_hash_table_remove_all (counts);

  /* noise backwards */
  p->fraction = 0.4;
  vigil_job_apply_progress (job, p, SECONDS (2));
  g_assert_cmpfloat (vigil_job_get_fraction (job), ==, 0.5);
  /* unknown */
  p->fraction = VIGIL_UNKNOWN;
  p->total_items = 0;
  p->completed_items = 0;
  vigil_job_apply_progress (job, p, SECONDS (3));
  g_assert_cmpfloat (vigil_job_get_fraction (job), ==, 0.5);
  g_hash_table_remove (counts, "completed-items");
  g_hash_table_remove (counts, "total-items");
  assert_notified (counts, NULL);

  p->fraction = 0.6;
  vigil_job_apply_progress (job, p, SECONDS (4));
  g_assert_cmpfloat (vigil_job_get_fraction (job), ==, 0.6);

  vigil_job_apply_record (job, r, SECONDS (5));
  g_assert_cmpfloat (vigil_job_get_fraction (job), ==, 1.0);

  g_assert_finalize_object (job);
}

static void
test_record_fraction (void)
{
  VigilJob *job = vigil_job_new ("s", VIGIL_JOB_KIND_SONG, 1);
  g_autoptr(VigilJobRecord) r = record_new (VIGIL_JOB_STATUS_IN_PROGRESS, NULL);
  g_autoptr(VigilJobRecord) pending = record_new (VIGIL_JOB_STATUS_PENDING, NULL);

  pending->fraction = 0.9;
  vigil_job_apply_record (job, pending, 0);
  g_assert_cmpfloat (vigil_job_get_fraction (job), ==, VIGIL_UNKNOWN);

  /* job.progress as a bare number */
  r->fraction = 0.35;
  vigil_job_apply_record (job, r, 0);
  g_assert_cmpfloat (vigil_job_get_fraction (job), ==, 0.35);

  /* job.progress as an object */
  r->progress = progress_new (VIGIL_JOB_KIND_SONG, 0, 1, 0.5);
  r->progress->message = g_strdup ("Halfway");
  vigil_job_apply_record (job, r, 0);
  g_assert_cmpfloat (vigil_job_get_fraction (job), ==, 0.5);
  g_assert_cmpstr (vigil_job_get_message (job), ==, "Halfway");

  g_assert_finalize_object (job);
}

/* ------------------------------------------------------------------ */
/* ETA                                                                 */
/* ------------------------------------------------------------------ */

static void
test_eta_server (void)
{
  VigilJob *job = vigil_job_new ("p", VIGIL_JOB_KIND_PLAYLIST, 1);
  g_autoptr(VigilProgress) p = progress_new (VIGIL_JOB_KIND_PLAYLIST, 5, 12, 0.4167);

  p->eta_seconds = 171.3;
  vigil_job_apply_progress (job, p, 0);
  g_assert_cmpfloat (vigil_job_get_eta_seconds (job), ==, 171.3);

  /* the server's word stands even without movement */
  vigil_job_apply_progress (job, p, SECONDS (300));
  g_assert_cmpfloat (vigil_job_get_eta_seconds (job), ==, 171.3);

  g_assert_finalize_object (job);
}

static void
test_eta_estimated (void)
{
  VigilJob *job = vigil_job_new ("p", VIGIL_JOB_KIND_PLAYLIST, 1);
  g_autoptr(VigilProgress) p = progress_new (VIGIL_JOB_KIND_PLAYLIST, 1, 10, 0.1);

  /* one point gives no rate */
  vigil_job_apply_progress (job, p, SECONDS (100));
  g_assert_cmpfloat (vigil_job_get_eta_seconds (job), ==, VIGIL_UNKNOWN);

  /* 0.1 in 10 s: 0.8 left takes 80 s */
  p->fraction = 0.2;
  vigil_job_apply_progress (job, p, SECONDS (110));
  g_assert_cmpfloat_with_epsilon (vigil_job_get_eta_seconds (job), 80, 1e-6);

  /* counts down between movements */
  vigil_job_apply_progress (job, p, SECONDS (115));
  g_assert_cmpfloat_with_epsilon (vigil_job_get_eta_seconds (job), 75, 1e-6);

  /* the rate covers the whole window: 0.3 in 40 s */
  p->fraction = 0.4;
  vigil_job_apply_progress (job, p, SECONDS (140));
  g_assert_cmpfloat_with_epsilon (vigil_job_get_eta_seconds (job), 0.6 / (0.3 / 40), 1e-6);

  g_assert_finalize_object (job);
}

static void
test_eta_stale (void)
{
  VigilJob *job = vigil_job_new ("p", VIGIL_JOB_KIND_PLAYLIST, 1);
  g_autoptr(GHashTable) counts = watch (job);
  g_autoptr(VigilProgress) p = progress_new (VIGIL_JOB_KIND_PLAYLIST, 1, 10, 0.1);

  vigil_job_apply_progress (job, p, SECONDS (0));
  p->fraction = 0.2;
  vigil_job_apply_progress (job, p, SECONDS (10));
  g_assert_cmpfloat_with_epsilon (vigil_job_get_eta_seconds (job), 80, 1e-6);

  /* 59.9 s without movement: still an estimate */
  vigil_job_apply_progress (job, p, SECONDS (69.9));
  g_assert_cmpfloat_with_epsilon (vigil_job_get_eta_seconds (job), 20.1, 1e-6);

  /* 60 s: unknown */
  g_hash_table_remove_all (counts);
  vigil_job_apply_progress (job, p, SECONDS (70));
  g_assert_cmpfloat (vigil_job_get_eta_seconds (job), ==, VIGIL_UNKNOWN);
  assert_notified (counts, "eta-seconds", NULL);
  vigil_job_apply_progress (job, p, SECONDS (200));
  assert_notified (counts, NULL);

  /* movement brings it back */
  p->fraction = 0.3;
  vigil_job_apply_progress (job, p, SECONDS (210));
  g_assert_cmpfloat_with_epsilon (vigil_job_get_eta_seconds (job), 0.7 / (0.2 / 210), 1e-6);

  g_assert_finalize_object (job);
}

/* A playlist that still says "1 of 1" has no ETA (the server's is one
 * song's); listed, the server's word, then blended with the job's pace. */
static void
test_eta_playlist_listed (void)
{
  VigilJob *job = vigil_job_new ("p", VIGIL_JOB_KIND_PLAYLIST, 1);
  g_autoptr(VigilProgress) p = progress_new (VIGIL_JOB_KIND_PLAYLIST, 0, 1, 0);

  p->eta_seconds = 25;
  vigil_job_apply_progress (job, p, SECONDS (0));
  g_assert_cmpfloat (vigil_job_get_eta_seconds (job), ==, VIGIL_UNKNOWN);

  p->total_items = 12;
  p->eta_seconds = 290;
  vigil_job_apply_progress (job, p, SECONDS (10));
  g_assert_cmpfloat (vigil_job_get_eta_seconds (job), ==, 290);

  /* one song done at 35 s (between 30 and 40): 35 s each; the server's
   * mean (25 s) weighs as one song */
  vigil_job_apply_progress (job, p, SECONDS (30));
  p->completed_items = 1;
  p->fraction = 1.0 / 12;
  p->eta_seconds = 270;
  vigil_job_apply_progress (job, p, SECONDS (40));
  g_assert_cmpfloat_with_epsilon (vigil_job_get_eta_seconds (job),
                                  ((35.0 * 11 - 5) + VIGIL_ETA_SERVER_WEIGHT * 270) /
                                  (1 + VIGIL_ETA_SERVER_WEIGHT), 1e-6);

  g_assert_finalize_object (job);
}

/* ------------------------------------------------------------------ */
/* Songs                                                               */
/* ------------------------------------------------------------------ */

static void
test_songs_metadata (void)
{
  VigilJob *job = vigil_job_new ("p", VIGIL_JOB_KIND_PLAYLIST, 3);
  g_autoptr(VigilProgress) p = progress_new (VIGIL_JOB_KIND_PLAYLIST, 1, 4, 0.25);
  g_autoptr(VigilJobRecord) r = record_new (VIGIL_JOB_STATUS_COMPLETED, NULL);
  GListModel *songs = vigil_job_get_songs (job);

  set_metadata (p, 1, 4, 41, "Blue", "Joni Mitchell", 0.5);
  p->message = g_strdup ("Analyzing 'Something else' by Nobody");
  vigil_job_apply_progress (job, p, 0);

  g_assert_cmpuint (g_list_model_get_n_items (songs), ==, 4);
  assert_song (job, 0, VIGIL_SONG_STATE_DONE, 1.0, "Song 1");
  assert_song (job, 1, VIGIL_SONG_STATE_ANALYZING, 0.5, "Blue");
  g_assert_cmpstr (vigil_job_song_get_artist (song_at (job, 1)), ==, "Joni Mitchell");
  g_assert_cmpint (vigil_job_song_get_id (song_at (job, 1)), ==, 41);
  assert_song (job, 2, VIGIL_SONG_STATE_WAITING, 0.0, "Song 3");
  assert_song (job, 3, VIGIL_SONG_STATE_WAITING, 0.0, "Song 4");

  /* the next song: the finished one keeps its name */
  set_metadata (p, 2, 4, 42, "Red", NULL, VIGIL_UNKNOWN);
  vigil_job_apply_progress (job, p, SECONDS (20));
  assert_song (job, 1, VIGIL_SONG_STATE_DONE, 1.0, "Blue");
  assert_song (job, 2, VIGIL_SONG_STATE_ANALYZING, VIGIL_UNKNOWN, "Red");
  g_assert_null (vigil_job_song_get_artist (song_at (job, 2)));

  vigil_job_apply_record (job, r, SECONDS (40));
  for (guint i = 0; i < 4; i++)
    g_assert_cmpint (vigil_job_song_get_state (song_at (job, i)), ==, VIGIL_SONG_STATE_DONE);
  assert_song (job, 3, VIGIL_SONG_STATE_DONE, 1.0, "Song 4");

  g_assert_finalize_object (job);
}

static void
test_songs_from_message (void)
{
  VigilJob *job = vigil_job_new ("p", VIGIL_JOB_KIND_BACKGROUND, 7);
  g_autoptr(VigilProgress) p = progress_new (VIGIL_JOB_KIND_BACKGROUND, 0, 3, 0);
  g_autoptr(VigilJobRecord) r = record_new (VIGIL_JOB_STATUS_FAILED, "Worker crashed");

  p->step_progress = 0.3;
  p->message = g_strdup ("Analyzing 'Don't Stop Me Now' by Queen");
  vigil_job_apply_progress (job, p, 0);
  g_assert_cmpuint (g_list_model_get_n_items (vigil_job_get_songs (job)), ==, 3);
  assert_song (job, 0, VIGIL_SONG_STATE_ANALYZING, 0.3, "Don't Stop Me Now");
  g_assert_cmpstr (vigil_job_song_get_artist (song_at (job, 0)), ==, "Queen");
  assert_song (job, 1, VIGIL_SONG_STATE_WAITING, 0.0, "Song 2");

  p->completed_items = 1;
  p->fraction = 0.3333;
  g_free (p->message);
  p->message = g_strdup ("Analyzing “Bohemian Rhapsody” by Queen…");
  vigil_job_apply_progress (job, p, SECONDS (20));
  assert_song (job, 0, VIGIL_SONG_STATE_DONE, 1.0, "Don't Stop Me Now");
  assert_song (job, 1, VIGIL_SONG_STATE_ANALYZING, 0.3, "Bohemian Rhapsody");
  g_assert_cmpstr (vigil_job_song_get_artist (song_at (job, 1)), ==, "Queen");

  /* no quotes: nothing to name */
  p->completed_items = 2;
  p->fraction = 0.6667;
  g_free (p->message);
  p->message = g_strdup ("Analyzing the next song");
  vigil_job_apply_progress (job, p, SECONDS (40));
  assert_song (job, 2, VIGIL_SONG_STATE_ANALYZING, 0.3, "Song 3");
  g_assert_null (vigil_job_song_get_artist (song_at (job, 2)));

  vigil_job_apply_record (job, r, SECONDS (50));
  assert_song (job, 0, VIGIL_SONG_STATE_DONE, 1.0, "Don't Stop Me Now");
  assert_song (job, 1, VIGIL_SONG_STATE_DONE, 1.0, "Bohemian Rhapsody");
  g_assert_cmpint (vigil_job_song_get_state (song_at (job, 2)), ==, VIGIL_SONG_STATE_FAILED);

  g_assert_finalize_object (job);
}

typedef struct
{
  guint position;
  guint removed;
  guint added;
  guint calls;
} ItemsLog;

static void
log_items_changed (GListModel *model,
                   guint       position,
                   guint       removed,
                   guint       added,
                   ItemsLog   *log)
{
  log->position = position;
  log->removed = removed;
  log->added = added;
  log->calls++;
}

static void
test_songs_reused (void)
{
  VigilJob *job = vigil_job_new ("p", VIGIL_JOB_KIND_PLAYLIST, 3);
  g_autoptr(VigilProgress) p = progress_new (VIGIL_JOB_KIND_PLAYLIST, 1, 4, 0.25);
  GListModel *songs = vigil_job_get_songs (job);
  g_autoptr(GHashTable) row_counts = NULL;
  VigilJobSong *rows[4];
  ItemsLog log = { 0 };

  g_signal_connect (songs, "items-changed", G_CALLBACK (log_items_changed), &log);

  p->step_progress = 0.5;
  vigil_job_apply_progress (job, p, 0);
  g_assert_cmpuint (log.calls, ==, 1);
  g_assert_cmpuint (log.position, ==, 0);
  g_assert_cmpuint (log.removed, ==, 0);
  g_assert_cmpuint (log.added, ==, 4);
  for (guint i = 0; i < 4; i++)
    rows[i] = song_at (job, i);

  /* the same answer: no list change, no row change */
  row_counts = watch (rows[1]);
  vigil_job_apply_progress (job, p, SECONDS (3));
  g_assert_cmpuint (log.calls, ==, 1);
  assert_notified (row_counts, NULL);

  /* progress: rows updated in place */
  p->completed_items = 2;
  vigil_job_apply_progress (job, p, SECONDS (6));
  g_assert_cmpuint (log.calls, ==, 1);
  for (guint i = 0; i < 4; i++)
    g_assert_true (song_at (job, i) == rows[i]);
  assert_notified (row_counts, "state", "fraction", NULL);

  /* a longer list: only the new rows are added */
  p->total_items = 6;
  vigil_job_apply_progress (job, p, SECONDS (9));
  g_assert_cmpuint (log.calls, ==, 2);
  g_assert_cmpuint (log.position, ==, 4);
  g_assert_cmpuint (log.removed, ==, 0);
  g_assert_cmpuint (log.added, ==, 2);
  for (guint i = 0; i < 4; i++)
    g_assert_true (song_at (job, i) == rows[i]);

  /* a noisy count never un-finishes a row */
  p->completed_items = 1;
  vigil_job_apply_progress (job, p, SECONDS (12));
  g_assert_cmpint (vigil_job_song_get_state (rows[1]), ==, VIGIL_SONG_STATE_DONE);

  g_assert_finalize_object (job);
}

static void
test_song_job_has_no_rows (void)
{
  VigilJob *job = vigil_job_new ("s", VIGIL_JOB_KIND_SONG, 1);
  g_autoptr(VigilProgress) p = progress_new (VIGIL_JOB_KIND_SONG, 0, 1, 0);

  vigil_job_apply_progress (job, p, 0);
  g_assert_cmpuint (g_list_model_get_n_items (vigil_job_get_songs (job)), ==, 0);

  g_assert_finalize_object (job);
}

static void
test_song_properties (void)
{
  VigilJobSong *song = vigil_job_song_new (41, "Blue", NULL);
  g_autoptr(GHashTable) counts = watch (song);
  VigilSongState state;
  double fraction;

  g_assert_cmpint (vigil_job_song_get_id (song), ==, 41);
  g_assert_cmpfloat (vigil_job_song_get_fraction (song), ==, -1.0);
  g_assert_cmpint (vigil_job_song_get_state (song), ==, VIGIL_SONG_STATE_WAITING);

  g_object_set (song,
                "id", (gint64) 42,
                "title", "Red",
                "artist", "Joni Mitchell",
                "fraction", 0.5,
                "state", VIGIL_SONG_STATE_ANALYZING,
                NULL);
  assert_notified (counts, "id", "title", "artist", "fraction", "state", NULL);

  g_object_set (song,
                "id", (gint64) 42,
                "title", "Red",
                "artist", "Joni Mitchell",
                "fraction", 0.5,
                "state", VIGIL_SONG_STATE_ANALYZING,
                NULL);
  assert_notified (counts, NULL);

  /* above 1 is noise; NaN is unknown */
  vigil_job_song_set_fraction (song, 1.5);
  g_assert_cmpfloat (vigil_job_song_get_fraction (song), ==, 1.0);
  vigil_job_song_set_fraction (song, NAN);
  g_object_get (song, "fraction", &fraction, "state", &state, NULL);
  g_assert_cmpfloat (fraction, ==, -1.0);
  g_assert_cmpint (state, ==, VIGIL_SONG_STATE_ANALYZING);
  g_hash_table_remove_all (counts);

  /* a listener of one property hears it */
  g_signal_handlers_disconnect_by_data (song, counts);
  g_signal_connect (song, "notify::state", G_CALLBACK (count_notify), counts);
  vigil_job_song_set_state (song, VIGIL_SONG_STATE_DONE);
  vigil_job_song_set_fraction (song, 1.0);
  assert_notified (counts, "state", NULL);

  g_assert_finalize_object (song);
}

static void
test_lifetimes (void)
{
  VigilJob *job = vigil_job_new ("p", VIGIL_JOB_KIND_PLAYLIST, 3);
  g_autoptr(VigilProgress) p = progress_new (VIGIL_JOB_KIND_PLAYLIST, 1, 3, 0.33);
  VigilJobSong *row;

  set_metadata (p, 1, 3, 41, "Blue", "Joni Mitchell", 0.5);
  vigil_job_apply_progress (job, p, 0);
  row = g_list_model_get_item (vigil_job_get_songs (job), 1);

  /* a row outlives its job while a view holds it */
  g_assert_finalize_object (job);
  g_assert_cmpstr (vigil_job_song_get_title (row), ==, "Blue");
  g_assert_finalize_object (row);
}

static void
count_times (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

/* An update nobody hears sends no notifications (vigil-job.c skips them),
 * yet its values are all there, and a listener connected afterwards hears
 * the next change, once per property, and nothing when nothing changed. */
static void
test_unheard_update (void)
{
  g_autoptr(VigilJob) job = vigil_job_new ("job-1", VIGIL_JOB_KIND_SONG, 7);
  g_autoptr(VigilProgress) p = progress_new (VIGIL_JOB_KIND_SONG, 0, 1, 0.25);
  guint fraction_count = 0, any_count = 0;

  p->message = g_strdup ("Analyzing 'Song' by Band");
  vigil_job_apply_progress (job, p, 0);
  g_assert_cmpfloat (vigil_job_get_fraction (job), ==, 0.25);
  g_assert_cmpstr (vigil_job_get_message (job), ==, "Analyzing 'Song' by Band");
  g_assert_cmpint (vigil_job_get_server_state (job), ==, VIGIL_SERVER_STATE_RUNNING);

  g_signal_connect (job, "notify::fraction", G_CALLBACK (count_times), &fraction_count);
  g_signal_connect (job, "notify", G_CALLBACK (count_times), &any_count);
  vigil_job_apply_progress (job, p, G_USEC_PER_SEC);
  g_assert_cmpuint (fraction_count, ==, 0);

  p->fraction = 0.5;
  vigil_job_apply_progress (job, p, 2 * G_USEC_PER_SEC);
  g_assert_cmpuint (fraction_count, ==, 1);
  g_assert_cmpuint (any_count, >=, 2);
  g_assert_cmpfloat (vigil_job_get_fraction (job), ==, 0.5);

  /* after the update, setters notify as before */
  any_count = 0;
  vigil_job_set_server_name (job, "Home");
  g_assert_cmpuint (any_count, ==, 1);
}

/* The rarely set fields (kept apart until one is set, vigil-job.c) read
 * as their defaults before, through getters and properties alike, and
 * setting one to its default makes nothing and notifies nothing. */
static void
test_extra_fields (void)
{
  VigilJob *job = vigil_job_new ("x", VIGIL_JOB_KIND_PLAYLIST, 4);
  g_autoptr(GHashTable) counts = watch (job);
  g_autofree char *error_message = NULL, *tracking_error = NULL;
  g_autoptr(GDateTime) created = NULL, finished = NULL;
  g_autoptr(VigilJobRecord) r = record_new (VIGIL_JOB_STATUS_IN_PROGRESS, NULL);
  gint64 failing_since = -1;
  guint retry_interval = 1;

  g_object_get (job, "error-message", &error_message, "tracking-error", &tracking_error,
                "created-at", &created, "finished-at", &finished,
                "failing-since", &failing_since, "retry-interval", &retry_interval, NULL);
  g_assert_null (error_message);
  g_assert_null (tracking_error);
  g_assert_null (created);
  g_assert_null (finished);
  g_assert_cmpint (failing_since, ==, 0);
  g_assert_cmpuint (retry_interval, ==, 0);

  vigil_job_set_error_message (job, NULL);
  vigil_job_set_tracking_error (job, NULL);
  vigil_job_set_failing_since (job, 0);
  vigil_job_set_failing_since (job, -5);
  vigil_job_set_retry_interval (job, 0);
  assert_notified (counts, NULL);

  /* a record's names and dates land there, and titles use them */
  r->kind = VIGIL_JOB_KIND_PLAYLIST;
  r->target_id = 4;
  r->playlist_name = g_strdup ("Road Trip");
  r->created_at = g_date_time_new_from_unix_utc (1700000000);
  vigil_job_apply_record (job, r, 0);
  g_assert_true (g_date_time_equal (vigil_job_get_created_at (job), r->created_at));
  g_assert_nonnull (strstr (vigil_job_get_title (job), "Road Trip"));
  g_hash_table_remove_all (counts);

  vigil_job_set_retry_interval (job, 2500);
  g_assert_cmpuint (vigil_job_get_retry_interval (job), ==, 2500);
  assert_notified (counts, "retry-interval", NULL);

  g_clear_pointer (&r->progress, vigil_progress_free);
  r->status = VIGIL_JOB_STATUS_FAILED;
  r->error_message = g_strdup ("Lyrics service down");
  vigil_job_apply_record (job, r, SECONDS (1));
  g_assert_cmpstr (vigil_job_get_error_message (job), ==, "Lyrics service down");
  g_assert_nonnull (vigil_job_get_finished_at (job));
  g_object_get (job, "error-message", &error_message, "finished-at", &finished, NULL);
  g_assert_cmpstr (error_message, ==, "Lyrics service down");
  g_assert_nonnull (finished);

  g_assert_finalize_object (job);
}

/* Server names and hosts are interned: the job keeps its own copy of what
 * it is given (the caller's string may go), equal names compare equal,
 * and only a real change notifies. */
static void
test_interned_server (void)
{
  VigilJob *a = vigil_job_new ("a", VIGIL_JOB_KIND_SONG, 1);
  VigilJob *b = vigil_job_new ("b", VIGIL_JOB_KIND_SONG, 2);
  g_autoptr(GHashTable) counts = watch (a);
  char *name = g_strdup_printf ("Studio %d", g_test_rand_int_range (1000, 2000));
  char *host = g_strdup ("analysis.example.org:8443");
  g_autofree char *expected = g_strdup (name);
  g_autofree char *read = NULL;

  vigil_job_set_server_name (a, name);
  vigil_job_set_server_host (a, host);
  vigil_job_set_server_name (b, expected);
  assert_notified (counts, "server-name", "server-host", NULL);
  /* the caller's strings go, with different contents in their place */
  memset (name, 'x', strlen (name));
  memset (host, 'y', strlen (host));
  g_free (name);
  g_free (host);
  g_assert_cmpstr (vigil_job_get_server_name (a), ==, expected);
  g_assert_cmpstr (vigil_job_get_server_host (a), ==, "analysis.example.org:8443");
  g_assert_cmpstr (vigil_job_get_server_name (b), ==, expected);
  g_object_get (a, "server-name", &read, NULL);
  g_assert_cmpstr (read, ==, expected);

  vigil_job_set_server_name (a, expected);
  assert_notified (counts, NULL);
  vigil_job_set_server_name (a, NULL);
  g_assert_null (vigil_job_get_server_name (a));
  assert_notified (counts, "server-name", NULL);

  g_assert_finalize_object (a);
  g_assert_finalize_object (b);
}

/* The message is copied into the last one's buffer when it fits: what is
 * read back is always exactly the last message, longer or shorter, and a
 * change notifies once, a repeat not at all. */
static void
test_message_buffer (void)
{
  g_autoptr(VigilJob) job = vigil_job_new ("m", VIGIL_JOB_KIND_SONG, 1);
  g_autoptr(VigilProgress) p = progress_new (VIGIL_JOB_KIND_SONG, 0, 1, 0.1);
  g_autoptr(GHashTable) counts = NULL;
  const char *messages[] = {
    "Analyzing 'A' by B",
    "Analyzing 'A much longer title than the first one' by Someone Else Entirely",
    "Short",
    "",
    "Analyzing 'Mid' by Band",
    "Analyzing 'Mid' by Band",
    "Fetching lyrics for 'A much longer title than the first one, and longer still' by X",
  };

  /* the song is named by the first message: later ones do not rename it */
  p->message = g_strdup ("Analyzing 'Zero' by Z");
  vigil_job_apply_progress (job, p, 0);
  counts = watch (job);
  for (guint i = 0; i < G_N_ELEMENTS (messages); i++)
    {
      g_autofree char *read = NULL;
      gboolean repeat = i > 0 && g_str_equal (messages[i], messages[i - 1]);

      g_free (p->message);
      p->message = g_strdup (messages[i]);
      vigil_job_apply_progress (job, p, SECONDS (i + 1));
      g_assert_cmpstr (vigil_job_get_message (job), ==, messages[i]);
      g_object_get (job, "message", &read, NULL);
      g_assert_cmpstr (read, ==, messages[i]);
      if (repeat)
        assert_notified (counts, NULL);
      else
        assert_notified (counts, "message", NULL);
    }

  /* a record without a message leaves the last one */
  g_clear_pointer (&p->message, g_free);
  vigil_job_apply_progress (job, p, SECONDS (20));
  g_assert_cmpstr (vigil_job_get_message (job), ==, messages[G_N_ELEMENTS (messages) - 1]);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/vigil/job/construct", test_construct);
  g_test_add_func ("/vigil/job/enum-types", test_enum_types);
  g_test_add_func ("/vigil/job/default-titles", test_default_titles);
  g_test_add_func ("/vigil/job/named-titles", test_named_titles);
  g_test_add_func ("/vigil/job/title-from-message", test_title_from_message);
  g_test_add_func ("/vigil/job/explicit-title", test_explicit_title);
  g_test_add_func ("/vigil/job/kind-learned", test_kind_learned);
  g_test_add_func ("/vigil/job/notify-once", test_notify_once);
  g_test_add_func ("/vigil/job/notify-detailed", test_notify_detailed);
  g_test_add_func ("/vigil/job/setters", test_setters);
  g_test_add_func ("/vigil/job/status-mapping", test_status_mapping);
  g_test_add_func ("/vigil/job/succeeded", test_succeeded);
  g_test_add_func ("/vigil/job/progress-terminal", test_progress_terminal);
  g_test_add_func ("/vigil/job/terminal-sticky", test_terminal_sticky);
  g_test_add_func ("/vigil/job/lost", test_lost);
  g_test_add_func ("/vigil/job/not-found", test_not_found);
  g_test_add_func ("/vigil/job/dates", test_dates);
  g_test_add_func ("/vigil/job/one-song-fraction", test_one_song_fraction);
  g_test_add_func ("/vigil/job/fraction-from-counts", test_fraction_from_counts);
  g_test_add_func ("/vigil/job/monotonic-fraction", test_monotonic_fraction);
  g_test_add_func ("/vigil/job/record-fraction", test_record_fraction);
  g_test_add_func ("/vigil/job/eta-server", test_eta_server);
  g_test_add_func ("/vigil/job/eta-estimated", test_eta_estimated);
  g_test_add_func ("/vigil/job/eta-stale", test_eta_stale);
  g_test_add_func ("/vigil/job/eta-playlist-listed", test_eta_playlist_listed);
  g_test_add_func ("/vigil/job/songs-metadata", test_songs_metadata);
  g_test_add_func ("/vigil/job/songs-from-message", test_songs_from_message);
  g_test_add_func ("/vigil/job/songs-reused", test_songs_reused);
  g_test_add_func ("/vigil/job/song-job-has-no-rows", test_song_job_has_no_rows);
  g_test_add_func ("/vigil/job/song-properties", test_song_properties);
  g_test_add_func ("/vigil/job/lifetimes", test_lifetimes);
  g_test_add_func ("/vigil/job/unheard-update", test_unheard_update);
  g_test_add_func ("/vigil/job/extra-fields", test_extra_fields);
  g_test_add_func ("/vigil/job/interned-server", test_interned_server);
  g_test_add_func ("/vigil/job/message-buffer", test_message_buffer);

  return g_test_run ();
}
