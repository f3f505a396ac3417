/* test-state-store.c — VigilStateStore against the demo server: saving on
 * change, atomic replacement, resuming after a restart, corrupt files set
 * aside, the history's cap, clear and undo, and no secrets in the file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "vigil-demo-server.h"
#include "vigil-state-store.h"

/* The demo server runs SPEED virtual seconds per real second; the poller's
 * delays are scaled by 1/SPEED to match. */
#define SPEED 50.0
#define DELAY_MS 100

typedef struct
{
  VigilDemoServer *server;
  char            *url;
  char            *dir;
  char            *path;
  VigilTracker    *tracker;
  VigilStateStore *store;
  guint            n_saved;
} Fixture;

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static gboolean
tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Waits for a condition (never for a duration); a tick keeps the loop
 * turning for conditions that no event of their own announces. */
#define WAIT_FOR(cond)                                                          \
  G_STMT_START {                                                                \
    gint64 deadline_ = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;           \
    guint tick_ = g_timeout_add (10, tick, NULL);                               \
    while (!(cond))                                                             \
      {                                                                         \
        if (g_get_monotonic_time () > deadline_)                                \
          g_error ("timed out waiting for %s", #cond);                          \
        g_main_context_iteration (NULL, TRUE);                                  \
      }                                                                         \
    g_source_remove (tick_);                                                    \
  } G_STMT_END

static void
remove_tree (const char *path)
{
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    return;
  if (S_ISDIR (st.st_mode))
    {
      g_autoptr(GDir) dir = NULL;
      const char *name;

      g_chmod (path, 0700);
      dir = g_dir_open (path, 0, NULL);
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static void
on_saved (VigilStateStore *store,
          Fixture         *f)
{
  f->n_saved++;
}

static VigilTracker *
new_tracker (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VigilApiClient) client = vigil_api_client_new (f->url, &error);
  g_autoptr(VigilPoller) poller = NULL;

  g_assert_no_error (error);
  poller = g_object_new (VIGIL_TYPE_POLLER, "client", client, "time-scale", 1.0 / SPEED,
                         "jitter", 0.0, NULL);
  return vigil_tracker_new (client, poller);
}

/* A tracker and a store on the fixture's directory (not loaded yet). */
static void
open_store (Fixture *f)
{
  g_assert_null (f->tracker);
  f->tracker = new_tracker (f);
  f->store = g_object_new (VIGIL_TYPE_STATE_STORE, "tracker", f->tracker, "directory", f->dir,
                           "delay-ms", DELAY_MS, NULL);
  g_signal_connect (f->store, "saved", G_CALLBACK (on_saved), f);
  g_assert_cmpstr (vigil_state_store_get_path (f->store), ==, f->path);
}

static void
open_and_load (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  open_store (f);
  g_assert_true (vigil_state_store_load (f->store, &error));
  g_assert_no_error (error);
}

/* Vigil quits: everything written, store and tracker gone. */
static void
close_store (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (vigil_state_store_flush (f->store, &error));
  g_assert_no_error (error);
  g_assert_finalize_object (g_steal_pointer (&f->store));
  g_assert_finalize_object (g_steal_pointer (&f->tracker));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->server = g_object_new (VIGIL_TYPE_DEMO_SERVER, "speed", SPEED, "song-seconds", 3.0,
                            "workers", 8, "seed", (guint64) 5, NULL);
  g_assert_true (vigil_demo_server_listen (f->server, NULL, 0, &error));
  f->url = vigil_demo_server_get_url (f->server);
  f->dir = g_dir_make_tmp ("vigil-state-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "state.json", NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->store != NULL)
    g_assert_finalize_object (f->store);
  if (f->tracker != NULL)
    g_assert_finalize_object (f->tracker);
  g_assert_finalize_object (f->server);
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_free (f->url);
}

/* The file as saved, or NULL when there is none (it is never partial). */
static VigilState *
read_saved (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data = NULL;
  gsize length;
  VigilState *state;

  if (!g_file_get_contents (f->path, &data, &length, NULL))
    return NULL;
  state = vigil_state_file_parse (data, length, &error);
  g_assert_no_error (error);
  return state;
}

static gint
saved_n_jobs (Fixture *f)
{
  g_autoptr(VigilState) state = read_saved (f);

  return state != NULL ? (gint) state->jobs->len : -1;
}

static gint
saved_n_history (Fixture *f)
{
  g_autoptr(VigilState) state = read_saved (f);

  return state != NULL ? (gint) state->history->len : -1;
}

/* The saved job (a copy), or NULL. */
static VigilStateJob *
saved_job (Fixture    *f,
           const char *job_id)
{
  g_autoptr(VigilState) state = read_saved (f);

  for (guint i = 0; state != NULL && i < state->jobs->len; i++)
    {
      VigilStateJob *job = g_ptr_array_index (state->jobs, i);

      if (g_str_equal (job->job_id, job_id))
        return vigil_state_job_copy (job);
    }
  return NULL;
}

static gboolean
saved_job_running (Fixture    *f,
                   const char *job_id)
{
  g_autoptr(VigilStateJob) job = saved_job (f, job_id);

  return job != NULL && job->state == VIGIL_SERVER_STATE_RUNNING;
}

static gboolean
saved_newest_is (Fixture    *f,
                 const char *job_id)
{
  g_autoptr(VigilState) state = read_saved (f);

  return state != NULL && state->history->len > 0 &&
         g_str_equal (vigil_history_entry_get_job_id (g_ptr_array_index (state->history, 0)),
                      job_id);
}

/* The saved job has the job's title (named by the server) and start. */
static gboolean
saved_job_learnt (Fixture  *f,
                  VigilJob *job)
{
  g_autoptr(VigilStateJob) saved = saved_job (f, vigil_job_get_job_id (job));

  return saved != NULL && saved->started_at != NULL &&
         g_strcmp0 (saved->title, vigil_job_get_title (job)) == 0;
}

static VigilHistoryEntry *
history_entry (Fixture    *f,
               const char *job_id)
{
  GListModel *history = vigil_state_store_get_history (f->store);

  for (guint i = 0; i < g_list_model_get_n_items (history); i++)
    {
      g_autoptr(VigilHistoryEntry) entry = g_list_model_get_item (history, i);

      if (g_str_equal (vigil_history_entry_get_job_id (entry), job_id))
        return entry;   /* the model keeps it alive */
    }
  return NULL;
}

static guint
n_history (Fixture *f)
{
  return g_list_model_get_n_items (vigil_state_store_get_history (f->store));
}

static guint
n_jobs (Fixture *f)
{
  return g_list_model_get_n_items (vigil_tracker_get_jobs (f->tracker));
}

static void
write_file (const char *path,
            const char *data,
            gssize      length)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, data, length, &error);
  g_assert_no_error (error);
}

static void
write_state (Fixture    *f,
             VigilState *state)
{
  gsize length;
  g_autofree char *text = vigil_state_file_serialize (state, &length);

  write_file (f->path, text, (gssize) length);
}

static VigilStateJob *
state_job (const char       *server,
           const char       *job_id,
           VigilServerState  state,
           gboolean          known)
{
  VigilStateJob *job = vigil_state_job_new ();

  job->server = g_strdup (server);
  job->job_id = g_strdup (job_id);
  job->kind = VIGIL_JOB_KIND_SONG;
  job->target_id = 12;
  job->state = state;
  if (known)
    job->created_at = g_date_time_new_now_utc ();
  return job;
}

/* History entries job-0000 (oldest) … job-NNNN, a minute apart, newest
 * first, all long ago. */
static void
add_old_history (VigilState *state,
                 guint       n)
{
  g_autoptr(GDateTime) base = g_date_time_new_utc (2025, 1, 1, 0, 0, 0);

  for (guint i = n; i > 0; i--)
    {
      g_autoptr(GDateTime) when = g_date_time_add_minutes (base, (int) i - 1);
      g_autofree char *id = g_strdup_printf ("job-%04u", i - 1);

      g_ptr_array_add (state->history,
                       vigil_history_entry_new ("http://old.example:5001", id, VIGIL_JOB_KIND_SONG,
                                                i, "Old", VIGIL_OUTCOME_COMPLETED, when, 30.0,
                                                NULL));
    }
}

static guint
count_corrupt_copies (Fixture  *f,
                      char    **name)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *entry;
  guint n = 0;

  while ((entry = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (entry, "state.json.corrupt-"))
      {
        n++;
        if (name != NULL)
          {
            g_free (*name);
            *name = g_strdup (entry);
          }
      }
  return n;
}

/* ------------------------------------------------------------------ */
/* Saving                                                              */
/* ------------------------------------------------------------------ */

static void
test_save_on_change (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *id = vigil_demo_server_add_job (f->server, VIGIL_JOB_KIND_PLAYLIST, 2, 4, 20, 0);
  g_autoptr(VigilStateJob) saved = NULL;
  VigilHistoryEntry *entry;
  VigilJob *job;
  GStatBuf st;

  open_and_load (f);
  /* Nothing to save yet: no file. */
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));

  job = vigil_tracker_watch (f->tracker, id, VIGIL_JOB_KIND_PLAYLIST, 2);
  WAIT_FOR (saved_n_jobs (f) == 1);
  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* What a server answer teaches is saved too: running, the playlist's
   * name, the times. */
  WAIT_FOR (saved_job_running (f, id));
  WAIT_FOR (saved_job_learnt (f, job));
  saved = saved_job (f, id);
  g_assert_cmpstr (saved->server, ==, f->url);
  g_assert_cmpint (saved->kind, ==, VIGIL_JOB_KIND_PLAYLIST);
  g_assert_cmpint (saved->target_id, ==, 2);
  g_assert_nonnull (saved->created_at);
  g_assert_false (saved->stopped);
  g_assert_false (g_str_has_prefix (saved->title, "Playlist "));  /* the server's name */

  /* Finished: out of the jobs, into the history (with a known duration:
   * Vigil saw it run). */
  WAIT_FOR (saved_n_jobs (f) == 0 && saved_n_history (f) == 1);
  entry = history_entry (f, id);
  g_assert_nonnull (entry);
  g_assert_cmpint (vigil_history_entry_get_outcome (entry), ==, VIGIL_OUTCOME_COMPLETED);
  g_assert_cmpstr (vigil_history_entry_get_server (entry), ==, f->url);
  g_assert_cmpstr (vigil_history_entry_get_title (entry), ==, vigil_job_get_title (job));
  g_assert_cmpfloat (vigil_history_entry_get_duration (entry), >, 0);
  g_assert_nonnull (vigil_history_entry_get_finished_at (entry));
  g_assert_cmpuint (f->n_saved, >=, 2);
}

/* Many changes at once make one write. */
static void
test_debounce (Fixture       *f,
               gconstpointer  data)
{
  open_and_load (f);

  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *id = vigil_demo_server_add_job (f->server, VIGIL_JOB_KIND_SONG, i + 1, 1,
                                                       600, 0);

      vigil_tracker_watch (f->tracker, id, VIGIL_JOB_KIND_SONG, i + 1);
    }
  g_assert_cmpuint (f->n_saved, ==, 0);
  WAIT_FOR (f->n_saved > 0);
  g_assert_cmpuint (f->n_saved, ==, 1);
  g_assert_cmpint (saved_n_jobs (f), ==, 20);
}

/* A save replaces the file (a new one renamed over it): whoever has the old
 * one open reads it whole, and no temporary file is left behind. */
static void
test_atomic_replace (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *a = vigil_demo_server_add_job (f->server, VIGIL_JOB_KIND_SONG, 1, 1, 600, 0);
  g_autofree char *b = vigil_demo_server_add_job (f->server, VIGIL_JOB_KIND_SONG, 2, 1, 600, 0);
  g_autofree char *before = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VigilState) old_state = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;
  char buffer[65536];
  GStatBuf st_before, st_after;
  gssize n;
  int fd;

  open_and_load (f);
  vigil_tracker_watch (f->tracker, a, VIGIL_JOB_KIND_SONG, 1);
  WAIT_FOR (saved_n_jobs (f) == 1);
  g_assert_true (vigil_state_store_flush (f->store, NULL));

  g_assert_true (g_file_get_contents (f->path, &before, NULL, NULL));
  fd = g_open (f->path, O_RDONLY, 0);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (g_stat (f->path, &st_before), ==, 0);

  vigil_tracker_watch (f->tracker, b, VIGIL_JOB_KIND_SONG, 2);
  WAIT_FOR (saved_n_jobs (f) == 2);

  g_assert_cmpint (g_stat (f->path, &st_after), ==, 0);
  g_assert_cmpuint (st_after.st_ino, !=, st_before.st_ino);
  n = read (fd, buffer, sizeof buffer);
  g_assert_cmpint (n, ==, strlen (before));
  g_assert_true (memcmp (buffer, before, n) == 0);
  close (fd);
  old_state = vigil_state_file_parse (buffer, n, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (old_state->jobs->len, ==, 1);

  dir = g_dir_open (f->dir, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_assert_cmpstr (name, ==, "state.json");
}

/* ------------------------------------------------------------------ */
/* Restarting                                                          */
/* ------------------------------------------------------------------ */

static gboolean
job_in_state (VigilTracker     *tracker,
              const char       *id,
              VigilServerState  state)
{
  VigilJob *job = vigil_tracker_lookup (tracker, id);

  return job != NULL && vigil_job_get_server_state (job) == state;
}

static void
test_restart_resume (Fixture       *f,
                     gconstpointer  data)
{
  /* quick: ends while Vigil is closed; failing: fails then; slow: runs on */
  g_autofree char *quick = vigil_demo_server_add_job (f->server, VIGIL_JOB_KIND_SONG, 5, 1, 40, 0);
  g_autofree char *slow = vigil_demo_server_add_job (f->server, VIGIL_JOB_KIND_PLAYLIST, 3, 4, 40, 0);
  g_autofree char *failing = NULL;
  g_autofree char *quick_title = NULL;
  g_autofree char *slow_title = NULL;
  g_autoptr(GDateTime) slow_started = NULL;
  VigilHistoryEntry *entry;
  VigilJob *job;

  g_object_set (f->server, "failure-rate", 1.0, NULL);
  failing = vigil_demo_server_add_job (f->server, VIGIL_JOB_KIND_SONG, 6, 1, 40, 0);
  g_object_set (f->server, "failure-rate", 0.0, NULL);

  open_and_load (f);
  vigil_tracker_watch (f->tracker, quick, VIGIL_JOB_KIND_SONG, 5);
  vigil_tracker_watch (f->tracker, slow, VIGIL_JOB_KIND_PLAYLIST, 3);
  vigil_tracker_watch (f->tracker, failing, VIGIL_JOB_KIND_SONG, 6);
  WAIT_FOR (saved_job_running (f, quick) && saved_job_running (f, slow) &&
            saved_job_running (f, failing) &&
            saved_job_learnt (f, vigil_tracker_lookup (f->tracker, slow)));
  g_assert_cmpfloat (vigil_demo_server_get_finish_time (f->server, quick), <, 0);
  quick_title = g_strdup (vigil_job_get_title (vigil_tracker_lookup (f->tracker, quick)));
  job = vigil_tracker_lookup (f->tracker, slow);
  slow_title = g_strdup (vigil_job_get_title (job));
  slow_started = g_date_time_ref (vigil_job_get_started_at (job));
  close_store (f);

  /* Vigil is closed while two jobs end. */
  WAIT_FOR (vigil_demo_server_get_finish_time (f->server, quick) >= 0 &&
            vigil_demo_server_get_finish_time (f->server, failing) >= 0);
  g_assert_cmpfloat (vigil_demo_server_get_finish_time (f->server, slow), <, 0);
  vigil_demo_server_reset_stats (f->server);

  /* Restarted: the jobs are back at once, as they were last known ... */
  open_and_load (f);
  g_assert_cmpuint (n_jobs (f), ==, 3);
  g_assert_cmpuint (n_history (f), ==, 0);
  job = vigil_tracker_lookup (f->tracker, quick);
  g_assert_nonnull (job);
  g_assert_cmpstr (vigil_job_get_title (job), ==, quick_title);
  g_assert_cmpint (vigil_job_get_server_state (job), ==, VIGIL_SERVER_STATE_RUNNING);
  job = vigil_tracker_lookup (f->tracker, slow);
  g_assert_cmpstr (vigil_job_get_title (job), ==, slow_title);
  g_assert_true (g_date_time_equal (vigil_job_get_started_at (job), slow_started));
  g_assert_cmpuint (vigil_job_get_sequence (job), ==, 2);
  g_assert_true (vigil_poller_is_tracking (vigil_tracker_get_poller (f->tracker), job));

  /* ... then the server tells the truth about those that ended ... */
  WAIT_FOR (job_in_state (f->tracker, quick, VIGIL_SERVER_STATE_SUCCEEDED) &&
            job_in_state (f->tracker, failing, VIGIL_SERVER_STATE_FAILED));
  g_assert_cmpuint (vigil_demo_server_get_request_count (f->server, "/api/jobs/{id}/status"), >=, 2);
  entry = history_entry (f, quick);
  g_assert_nonnull (entry);
  g_assert_cmpint (vigil_history_entry_get_outcome (entry), ==, VIGIL_OUTCOME_COMPLETED);
  /* it ended unseen: how long it ran is not known */
  g_assert_cmpfloat (vigil_history_entry_get_duration (entry), ==, VIGIL_UNKNOWN);
  entry = history_entry (f, failing);
  g_assert_cmpint (vigil_history_entry_get_outcome (entry), ==, VIGIL_OUTCOME_FAILED);
  g_assert_nonnull (vigil_history_entry_get_error_message (entry));
  g_assert_cmpstr (vigil_history_entry_get_error_message (entry), ==,
                   vigil_job_get_error_message (vigil_tracker_lookup (f->tracker, failing)));

  /* ... and the one still running is followed to its end. */
  WAIT_FOR (job_in_state (f->tracker, slow, VIGIL_SERVER_STATE_SUCCEEDED));
  entry = history_entry (f, slow);
  g_assert_cmpint (vigil_history_entry_get_outcome (entry), ==, VIGIL_OUTCOME_COMPLETED);
  g_assert_cmpfloat (vigil_history_entry_get_duration (entry), >, 0);
  WAIT_FOR (saved_n_jobs (f) == 0 && saved_n_history (f) == 3);

  /* A third start shows the history, and watches nothing. */
  close_store (f);
  open_and_load (f);
  g_assert_cmpuint (n_jobs (f), ==, 0);
  g_assert_cmpuint (n_history (f), ==, 3);
  g_assert_cmpint (vigil_history_entry_get_outcome (history_entry (f, failing)), ==,
                   VIGIL_OUTCOME_FAILED);
}

/* Saved jobs that the server no longer knows end as lost — or as not found
 * when the server had never told anything about them. */
static void
test_resume_lost (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(VigilState) state = vigil_state_new ();

  g_ptr_array_add (state->jobs, state_job (f->url, "gone-1", VIGIL_SERVER_STATE_RUNNING, TRUE));
  g_ptr_array_add (state->jobs, state_job (f->url, "never-1", VIGIL_SERVER_STATE_QUEUED, FALSE));
  write_state (f, state);

  open_and_load (f);
  g_assert_cmpuint (n_jobs (f), ==, 2);
  WAIT_FOR (n_history (f) == 2);
  g_assert_cmpint (vigil_history_entry_get_outcome (history_entry (f, "gone-1")), ==,
                   VIGIL_OUTCOME_LOST);
  g_assert_cmpint (vigil_history_entry_get_outcome (history_entry (f, "never-1")), ==,
                   VIGIL_OUTCOME_NOT_FOUND);
  WAIT_FOR (saved_n_jobs (f) == 0 && saved_n_history (f) == 2);
}

/* Jobs of another server are kept untouched; a stopped job comes back
 * stopped (not polled). */
static void
test_foreign_and_stopped (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(VigilState) state = vigil_state_new ();
  g_autofree char *id = vigil_demo_server_add_job (f->server, VIGIL_JOB_KIND_SONG, 1, 1, 600, 0);
  g_autoptr(VigilStateJob) foreign_back = NULL;
  g_autoptr(VigilStateJob) stopped_back = NULL;
  VigilStateJob *foreign = state_job ("http://elsewhere.example:5001", "far-1",
                                      VIGIL_SERVER_STATE_RUNNING, TRUE);
  VigilStateJob *stopped = state_job (f->url, "paused-1", VIGIL_SERVER_STATE_RUNNING, TRUE);
  VigilJob *job;

  foreign->title = g_strdup ("Far away");
  stopped->title = g_strdup ("Kept by hand");
  stopped->stopped = TRUE;
  g_ptr_array_add (state->jobs, foreign);
  g_ptr_array_add (state->jobs, stopped);
  write_state (f, state);

  open_and_load (f);
  g_assert_cmpuint (n_jobs (f), ==, 1);
  g_assert_null (vigil_tracker_lookup (f->tracker, "far-1"));
  job = vigil_tracker_lookup (f->tracker, "paused-1");
  g_assert_cmpstr (vigil_job_get_title (job), ==, "Kept by hand");
  g_assert_cmpint (vigil_job_get_tracking_state (job), ==, VIGIL_TRACKING_STATE_STOPPED);
  g_assert_false (vigil_poller_is_tracking (vigil_tracker_get_poller (f->tracker), job));

  vigil_tracker_watch (f->tracker, id, VIGIL_JOB_KIND_SONG, 1);
  WAIT_FOR (saved_n_jobs (f) == 3);
  foreign_back = saved_job (f, "far-1");
  g_assert_true (vigil_state_job_equal (foreign_back, foreign));
  stopped_back = saved_job (f, "paused-1");
  g_assert_true (stopped_back->stopped);
  g_assert_cmpstr (stopped_back->title, ==, "Kept by hand");
  g_assert_cmpuint (vigil_demo_server_get_job_request_count (f->server, "paused-1"), ==, 0);
}

/* Until the file is read, nothing is written over it. */
static void
test_nothing_written_before_load (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(VigilState) state = vigil_state_new ();
  g_autofree char *id = vigil_demo_server_add_job (f->server, VIGIL_JOB_KIND_SONG, 1, 1, 2, 0);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;

  add_old_history (state, 1);
  write_state (f, state);
  g_assert_true (g_file_get_contents (f->path, &before, NULL, NULL));

  open_store (f);
  vigil_tracker_watch (f->tracker, id, VIGIL_JOB_KIND_SONG, 1);
  WAIT_FOR (n_history (f) == 1);
  g_assert_true (vigil_state_store_flush (f->store, NULL));
  g_assert_true (g_file_get_contents (f->path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpuint (f->n_saved, ==, 0);

  g_assert_true (vigil_state_store_load (f->store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_history (f), ==, 2);
  WAIT_FOR (saved_n_history (f) == 2);
}

/* ------------------------------------------------------------------ */
/* Corrupt files                                                       */
/* ------------------------------------------------------------------ */

typedef struct
{
  const char *name;
  int         code;
} CorruptCase;

static void
make_corrupt (Fixture           *f,
              const CorruptCase *c)
{
  if (g_str_equal (c->name, "truncated"))
    {
      g_autoptr(VigilState) state = vigil_state_new ();
      g_autofree char *text = NULL;
      gsize length;

      g_ptr_array_add (state->jobs, state_job (f->url, "cut-1", VIGIL_SERVER_STATE_RUNNING, TRUE));
      add_old_history (state, 3);
      text = vigil_state_file_serialize (state, &length);
      write_file (f->path, text, (gssize) length / 2);
    }
  else if (g_str_equal (c->name, "empty"))
    write_file (f->path, "", 0);
  else if (g_str_equal (c->name, "binary"))
    {
      guint8 bytes[4096];
      g_autoptr(GRand) rand = g_rand_new_with_seed (3);

      for (guint i = 0; i < sizeof bytes; i++)
        bytes[i] = (guint8) g_rand_int_range (rand, 0, 256);
      bytes[0] = 0;
      write_file (f->path, (const char *) bytes, sizeof bytes);
    }
  else if (g_str_equal (c->name, "wrong-version"))
    write_file (f->path, "{\"version\": 2, \"jobs\": [], \"history\": [], \"shards\": []}", -1);
  else if (g_str_equal (c->name, "wrong-types"))
    write_file (f->path, "{\"version\": 1, \"jobs\": [{\"server\": 1}], \"history\": []}", -1);
  else if (g_str_equal (c->name, "directory"))
    {
      g_autofree char *inside = g_build_filename (f->path, "something", NULL);

      g_assert_cmpint (g_mkdir (f->path, 0700), ==, 0);
      write_file (inside, "x", -1);
    }
  else if (g_str_equal (c->name, "unreadable"))
    {
      write_file (f->path, "{\"version\": 1, \"jobs\": [], \"history\": []}", -1);
      g_assert_cmpint (g_chmod (f->path, 0), ==, 0);
    }
  else if (g_str_equal (c->name, "huge"))
    {
      /* sparse: large without taking the disk */
      int fd = g_open (f->path, O_WRONLY | O_CREAT, 0600);

      g_assert_cmpint (fd, >=, 0);
      g_assert_cmpint (ftruncate (fd, VIGIL_STATE_FILE_MAX_SIZE + 1), ==, 0);
      close (fd);
    }
  else
    g_assert_not_reached ();
}

static void
test_corrupt (Fixture       *f,
              gconstpointer  data)
{
  const CorruptCase *c = data;
  g_autofree char *original = NULL;
  g_autofree char *copy_name = NULL;
  g_autofree char *copy_path = NULL;
  g_autofree char *copy = NULL;
  g_autofree char *id = NULL;
  g_autoptr(GError) error = NULL;
  gsize original_length = 0, copy_length = 0;

  if (g_str_equal (c->name, "unreadable") && geteuid () == 0)
    {
      g_test_skip ("running as root: a file of mode 000 is still readable");
      return;
    }

  make_corrupt (f, c);
  if (g_str_equal (c->name, "truncated") || g_str_equal (c->name, "empty") ||
      g_str_equal (c->name, "binary") || g_str_equal (c->name, "wrong-version") ||
      g_str_equal (c->name, "wrong-types"))
    g_assert_true (g_file_get_contents (f->path, &original, &original_length, NULL));

  open_store (f);
  g_assert_false (vigil_state_store_load (f->store, &error));
  g_assert_error (error, VIGIL_STATE_ERROR, c->code);
  g_test_message ("%s: %s", c->name, error->message);

  /* moved aside, under a name the message gives */
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_corrupt_copies (f, &copy_name), ==, 1);
  g_assert_nonnull (strstr (error->message, copy_name));
  g_assert_true (g_str_has_prefix (error->message, "Starting with no saved jobs. "));
  copy_path = g_build_filename (f->dir, copy_name, NULL);
  if (original != NULL)
    {
      g_assert_true (g_file_get_contents (copy_path, &copy, &copy_length, NULL));
      g_assert_cmpmem (copy, copy_length, original, original_length);
    }
  else if (g_str_equal (c->name, "directory"))
    g_assert_true (g_file_test (copy_path, G_FILE_TEST_IS_DIR));

  /* empty, and saving works again */
  g_assert_cmpuint (n_jobs (f), ==, 0);
  g_assert_cmpuint (n_history (f), ==, 0);
  id = vigil_demo_server_add_job (f->server, VIGIL_JOB_KIND_SONG, 1, 1, 600, 0);
  vigil_tracker_watch (f->tracker, id, VIGIL_JOB_KIND_SONG, 1);
  WAIT_FOR (saved_n_jobs (f) == 1);
  g_assert_cmpuint (count_corrupt_copies (f, NULL), ==, 1);
}

/* A second corrupt file the same second keeps the first copy. */
static void
test_corrupt_twice (Fixture       *f,
                    gconstpointer  data)
{
  for (guint round = 1; round <= 2; round++)
    {
      g_autoptr(GError) error = NULL;

      write_file (f->path, "{\"version\": 1, \"jobs\": [", -1);
      open_store (f);
      g_assert_false (vigil_state_store_load (f->store, &error));
      g_assert_error (error, VIGIL_STATE_ERROR, VIGIL_STATE_ERROR_NOT_JSON);
      g_assert_cmpuint (count_corrupt_copies (f, NULL), ==, round);
      g_assert_finalize_object (g_steal_pointer (&f->store));
      g_assert_finalize_object (g_steal_pointer (&f->tracker));
    }
}

/* When the file cannot even be moved aside, nothing overwrites it. */
static void
test_corrupt_cannot_move (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *id = vigil_demo_server_add_job (f->server, VIGIL_JOB_KIND_SONG, 1, 1, 2, 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *after = NULL;

  if (geteuid () == 0)
    {
      g_test_skip ("running as root: a read-only folder is still writable");
      return;
    }

  write_file (f->path, "garbage", -1);
  g_assert_cmpint (g_chmod (f->dir, 0500), ==, 0);
  open_store (f);
  g_assert_false (vigil_state_store_load (f->store, &error));
  g_assert_error (error, VIGIL_STATE_ERROR, VIGIL_STATE_ERROR_NOT_JSON);
  g_assert_true (g_str_has_prefix (error->message, "Not saving jobs until Vigil restarts. "));
  g_assert_cmpint (g_chmod (f->dir, 0700), ==, 0);

  vigil_tracker_watch (f->tracker, id, VIGIL_JOB_KIND_SONG, 1);
  WAIT_FOR (n_history (f) == 1);
  g_assert_true (vigil_state_store_flush (f->store, NULL));
  g_assert_true (g_file_get_contents (f->path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, "garbage");
}

/* ------------------------------------------------------------------ */
/* History                                                             */
/* ------------------------------------------------------------------ */

static void
test_history_cap (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(VigilState) state = vigil_state_new ();
  g_autoptr(VigilState) saved = NULL;
  g_autoptr(VigilHistoryEntry) first = NULL;
  g_autoptr(VigilHistoryEntry) last = NULL;
  g_autofree char *id = vigil_demo_server_add_job (f->server, VIGIL_JOB_KIND_SONG, 1, 1, 2, 0);
  GListModel *history;

  add_old_history (state, VIGIL_STATE_HISTORY_MAX);
  write_state (f, state);

  open_and_load (f);
  history = vigil_state_store_get_history (f->store);
  g_assert_cmpuint (n_history (f), ==, VIGIL_STATE_HISTORY_MAX);

  vigil_tracker_watch (f->tracker, id, VIGIL_JOB_KIND_SONG, 1);
  WAIT_FOR (history_entry (f, id) != NULL);
  g_assert_cmpuint (n_history (f), ==, VIGIL_STATE_HISTORY_MAX);
  first = g_list_model_get_item (history, 0);
  last = g_list_model_get_item (history, VIGIL_STATE_HISTORY_MAX - 1);
  g_assert_cmpstr (vigil_history_entry_get_job_id (first), ==, id);
  g_assert_cmpstr (vigil_history_entry_get_job_id (last), ==, "job-0001");
  g_assert_null (history_entry (f, "job-0000"));

  WAIT_FOR (saved_newest_is (f, id));
  saved = read_saved (f);
  g_assert_cmpuint (saved->history->len, ==, VIGIL_STATE_HISTORY_MAX);
  g_assert_cmpstr (vigil_history_entry_get_job_id (g_ptr_array_index (saved->history, 0)), ==, id);
}

static void
test_clear_and_restore (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(VigilState) state = vigil_state_new ();
  g_autofree char *id = vigil_demo_server_add_job (f->server, VIGIL_JOB_KIND_SONG, 1, 1, 2, 0);

  add_old_history (state, 3);
  write_state (f, state);
  open_and_load (f);
  g_assert_cmpuint (n_history (f), ==, 3);
  g_assert_cmpuint (vigil_state_store_restore_history (f->store), ==, 0);

  g_assert_cmpuint (vigil_state_store_clear_history (f->store), ==, 3);
  g_assert_cmpuint (n_history (f), ==, 0);
  WAIT_FOR (saved_n_history (f) == 0);

  /* A job ends before the undo: both stay. */
  vigil_tracker_watch (f->tracker, id, VIGIL_JOB_KIND_SONG, 1);
  WAIT_FOR (n_history (f) == 1);
  g_assert_cmpuint (vigil_state_store_restore_history (f->store), ==, 3);
  g_assert_cmpuint (n_history (f), ==, 4);
  g_assert_nonnull (history_entry (f, id));
  WAIT_FOR (saved_n_history (f) == 4);
  g_assert_cmpuint (vigil_state_store_restore_history (f->store), ==, 0);
  g_assert_cmpuint (vigil_state_store_clear_history (f->store), ==, 4);
  g_assert_cmpuint (vigil_state_store_clear_history (f->store), ==, 0);
  /* That clear of nothing was the last one: nothing older comes back. */
  g_assert_cmpuint (vigil_state_store_restore_history (f->store), ==, 0);
  g_assert_cmpuint (n_history (f), ==, 0);
}

/* No directory: the history lives in memory, nothing is written. */
static void
test_in_memory (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(VigilStateStore) store = NULL;
  g_autofree char *id = vigil_demo_server_add_job (f->server, VIGIL_JOB_KIND_SONG, 1, 1, 2, 0);
  g_autoptr(GError) error = NULL;

  f->tracker = new_tracker (f);
  store = vigil_state_store_new (f->tracker, NULL);
  g_assert_null (vigil_state_store_get_path (store));
  g_assert_true (vigil_state_store_load (store, &error));
  g_assert_no_error (error);

  vigil_tracker_watch (f->tracker, id, VIGIL_JOB_KIND_SONG, 1);
  WAIT_FOR (g_list_model_get_n_items (vigil_state_store_get_history (store)) == 1);
  g_assert_true (vigil_state_store_flush (store, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
  g_assert_finalize_object (g_steal_pointer (&store));
}

/* Another server's store: its own file next to state.json, which it
 * never writes. */
static void
test_own_file (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(VigilStateStore) store = NULL;
  g_autofree char *id = vigil_demo_server_add_job (f->server, VIGIL_JOB_KIND_SONG, 1, 1, 2, 0);
  g_autofree char *expected = g_build_filename (f->dir, "state-other.json", NULL);
  g_autoptr(GError) error = NULL;

  f->tracker = new_tracker (f);
  store = vigil_state_store_new_for_file (f->tracker, f->dir, "state-other.json");
  g_assert_cmpstr (vigil_state_store_get_path (store), ==, expected);
  g_assert_true (vigil_state_store_load (store, &error));
  g_assert_no_error (error);

  vigil_tracker_watch (f->tracker, id, VIGIL_JOB_KIND_SONG, 1);
  WAIT_FOR (g_list_model_get_n_items (vigil_state_store_get_history (store)) == 1);
  g_assert_true (vigil_state_store_flush (store, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (expected, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
  g_assert_finalize_object (g_steal_pointer (&store));
  g_remove (expected);
}

/* The app's file for a server is named after its URL; the first server
 * adopts an old state.json, which no other store touches, and never
 * replaces a file of its own. */
static void
test_server_file (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(VigilState) state = vigil_state_new ();
  g_autoptr(VigilState) empty = vigil_state_new ();
  g_autoptr(VigilStateStore) store = NULL;
  g_autoptr(VigilStateStore) other = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sum = g_compute_checksum_for_string (G_CHECKSUM_SHA1, f->url, -1);
  g_autofree char *expected_name = g_strdup_printf ("state-%s.json", sum);
  g_autofree char *name = vigil_state_store_file_name_for_url (f->url);
  g_autofree char *name2 = vigil_state_store_file_name_for_url ("https://other.example");
  g_autofree char *expected = g_build_filename (f->dir, expected_name, NULL);

  g_assert_cmpstr (name, ==, expected_name);
  g_assert_cmpstr (name, !=, name2);

  add_old_history (state, 3);
  write_state (f, state);
  f->tracker = new_tracker (f);

  /* Not the first: state.json stays where it is. */
  other = vigil_state_store_new_for_server (f->tracker, f->dir, FALSE);
  g_assert_cmpstr (vigil_state_store_get_path (other), ==, expected);
  g_assert_true (g_file_test (f->path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (expected, G_FILE_TEST_EXISTS));
  g_assert_finalize_object (g_steal_pointer (&other));

  /* The first adopts it, history and all. */
  store = vigil_state_store_new_for_server (f->tracker, f->dir, TRUE);
  g_assert_cmpstr (vigil_state_store_get_path (store), ==, expected);
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
  g_assert_true (vigil_state_store_load (store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (vigil_state_store_get_history (store)), ==, 3);
  g_assert_finalize_object (g_steal_pointer (&store));

  /* Its own file exists: a later state.json is not adopted over it. */
  write_state (f, empty);
  store = vigil_state_store_new_for_server (f->tracker, f->dir, TRUE);
  g_assert_true (g_file_test (f->path, G_FILE_TEST_EXISTS));
  g_assert_true (vigil_state_store_load (store, &error));
  g_assert_cmpuint (g_list_model_get_n_items (vigil_state_store_get_history (store)), ==, 3);
  g_assert_finalize_object (g_steal_pointer (&store));
  g_remove (expected);
}

/* The server is removed: close() writes, then the store no longer hears
 * the tracker, so its jobs, untracked as the server goes, are kept as
 * watched; a new store on the file resumes them. */
static void
test_close (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *id = vigil_demo_server_add_job (f->server, VIGIL_JOB_KIND_PLAYLIST, 4, 20, 30, 0);
  g_autoptr(VigilStateJob) saved = NULL;
  g_autoptr(GError) error = NULL;
  VigilJob *job;

  open_and_load (f);
  vigil_tracker_watch (f->tracker, id, VIGIL_JOB_KIND_PLAYLIST, 4);
  WAIT_FOR (saved_job_running (f, id));
  g_assert_true (vigil_state_store_close (f->store, &error));
  g_assert_no_error (error);
  vigil_poller_untrack_all (vigil_tracker_get_poller (f->tracker));
  vigil_tracker_remove (f->tracker, vigil_tracker_lookup (f->tracker, id));
  g_assert_true (vigil_state_store_flush (f->store, &error));
  saved = saved_job (f, id);
  g_assert_nonnull (saved);
  g_assert_false (saved->stopped);

  g_assert_finalize_object (g_steal_pointer (&f->store));
  g_assert_finalize_object (g_steal_pointer (&f->tracker));
  open_and_load (f);
  job = vigil_tracker_lookup (f->tracker, id);
  g_assert_nonnull (job);
  g_assert_true (vigil_poller_is_tracking (vigil_tracker_get_poller (f->tracker), job));
}

/* ------------------------------------------------------------------ */
/* Secrets                                                             */
/* ------------------------------------------------------------------ */

#define TOKEN "s3cr3t-T0KEN-do-not-save"
#define COOKIE_VALUE "c00kie-VALUE-do-not-save"

static void
test_no_secrets (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *id = vigil_demo_server_add_job (f->server, VIGIL_JOB_KIND_PLAYLIST, 4, 2, 20, 0);
  g_autofree char *contents = NULL;
  VigilApiClient *client;

  g_object_set (f->server, "require-token", TOKEN, NULL);
  open_and_load (f);
  client = vigil_tracker_get_client (f->tracker);
  vigil_api_client_set_token (client, TOKEN);
  vigil_api_client_set_cookie (client, "session=" COOKIE_VALUE);

  vigil_tracker_watch (f->tracker, id, VIGIL_JOB_KIND_PLAYLIST, 4);
  WAIT_FOR (saved_job_running (f, id));
  WAIT_FOR (saved_n_history (f) == 1);
  g_assert_cmpint (vigil_history_entry_get_outcome (history_entry (f, id)), ==,
                   VIGIL_OUTCOME_COMPLETED);

  g_assert_true (g_file_get_contents (f->path, &contents, NULL, NULL));
  g_assert_null (strstr (contents, TOKEN));
  g_assert_null (strstr (contents, COOKIE_VALUE));
  g_assert_null (strstr (contents, "s3cr3t"));
  g_assert_null (strstr (contents, "Bearer"));
}

int
main (int argc, char *argv[])
{
  static const CorruptCase corrupt[] = {
    { "truncated", VIGIL_STATE_ERROR_NOT_JSON },
    { "empty", VIGIL_STATE_ERROR_NOT_JSON },
    { "binary", VIGIL_STATE_ERROR_NOT_TEXT },
    { "wrong-version", VIGIL_STATE_ERROR_VERSION },
    { "wrong-types", VIGIL_STATE_ERROR_INVALID },
    { "directory", VIGIL_STATE_ERROR_UNREADABLE },
    { "unreadable", VIGIL_STATE_ERROR_UNREADABLE },
    { "huge", VIGIL_STATE_ERROR_TOO_LARGE },
  };

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/vigil/state-store/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("save-on-change", test_save_on_change);
  ADD ("debounce", test_debounce);
  ADD ("atomic-replace", test_atomic_replace);
  ADD ("restart-resume", test_restart_resume);
  ADD ("resume-lost", test_resume_lost);
  ADD ("foreign-and-stopped", test_foreign_and_stopped);
  ADD ("nothing-written-before-load", test_nothing_written_before_load);
  ADD ("corrupt-twice", test_corrupt_twice);
  ADD ("corrupt-cannot-move", test_corrupt_cannot_move);
  ADD ("history-cap", test_history_cap);
  ADD ("clear-and-restore", test_clear_and_restore);
  ADD ("in-memory", test_in_memory);
  ADD ("own-file", test_own_file);
  ADD ("server-file", test_server_file);
  ADD ("close", test_close);
  ADD ("no-secrets", test_no_secrets);
#undef ADD

  for (guint i = 0; i < G_N_ELEMENTS (corrupt); i++)
    {
      g_autofree char *path = g_strdup_printf ("/vigil/state-store/corrupt/%s", corrupt[i].name);

      g_test_add (path, Fixture, &corrupt[i], fixture_setup, test_corrupt, fixture_teardown);
    }

  return g_test_run ();
}
