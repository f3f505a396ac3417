/* test-tracker.c — VigilTracker: starting, watching, stopping, removing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vigil-demo-server.h"
#include "vigil-job-array.h"
#include "vigil-tracker.h"

#define SPEED 50.0

typedef struct
{
  VigilDemoServer *server;
  VigilTracker    *tracker;
  GAsyncResult    *result;
  guint            n_finished;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VigilApiClient) client = NULL;
  g_autoptr(VigilPoller) poller = NULL;
  g_autofree char *url = NULL;

  f->server = g_object_new (VIGIL_TYPE_DEMO_SERVER, "speed", SPEED, "song-seconds", 3.0,
                            "workers", 4, "seed", (guint64) 3, NULL);
  g_assert_true (vigil_demo_server_listen (f->server, NULL, 0, &error));
  url = vigil_demo_server_get_url (f->server);
  client = vigil_api_client_new (url, &error);
  g_assert_no_error (error);
  poller = g_object_new (VIGIL_TYPE_POLLER, "client", client, "time-scale", 1.0 / SPEED,
                         "jitter", 0.0, NULL);
  f->tracker = vigil_tracker_new (client, poller);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->result);
  g_assert_finalize_object (f->tracker);
  g_assert_finalize_object (f->server);
}

static void
on_done (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Fixture *f = user_data;

  f->result = g_object_ref (result);
}

static VigilJob *
start (Fixture           *f,
       VigilJobKind       kind,
       gint64             id,
       VigilStartResult **answer,
       GError           **error)
{
  g_clear_object (&f->result);
  vigil_tracker_start_async (f->tracker, kind, id, FALSE, NULL, on_done, f);
  while (f->result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return vigil_tracker_start_finish (f->tracker, f->result, answer, error);
}

static void
on_finished (VigilTracker *tracker,
             VigilJob     *job,
             Fixture      *f)
{
  f->n_finished++;
}

static void
test_start_each_kind (Fixture       *f,
                      gconstpointer  data)
{
  GListModel *jobs = vigil_tracker_get_jobs (f->tracker);
  VigilJobKind kinds[] = { VIGIL_JOB_KIND_SONG, VIGIL_JOB_KIND_PLAYLIST, VIGIL_JOB_KIND_BACKGROUND };

  g_signal_connect (f->tracker, "job-finished", G_CALLBACK (on_finished), f);

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autoptr(VigilStartResult) answer = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(VigilJob) job = start (f, kinds[i], 1, &answer, &error);

      g_assert_no_error (error);
      g_assert_nonnull (job);
      g_assert_cmpstr (vigil_job_get_job_id (job), ==, answer->job_id);
      g_assert_cmpint (vigil_job_get_kind (job), ==, kinds[i]);
      g_assert_true (vigil_poller_is_tracking (vigil_tracker_get_poller (f->tracker), job));
      g_assert_true (vigil_tracker_lookup (f->tracker, answer->job_id) == job);
      g_assert_cmpuint (vigil_job_get_sequence (job), ==, i + 1);
    }
  g_assert_cmpuint (g_list_model_get_n_items (jobs), ==, 3);

  while (f->n_finished < 1)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_nothing_and_errors (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(VigilStartResult) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(VigilJob) job = NULL;

  job = start (f, VIGIL_JOB_KIND_PLAYLIST, VIGIL_DEMO_SERVER_ANALYZED_PLAYLIST, &answer, &error);
  g_assert_no_error (error);
  g_assert_null (job);
  g_assert_null (answer->job_id);
  g_assert_cmpint (answer->queued_count, ==, 0);
  g_clear_pointer (&answer, vigil_start_result_free);

  job = start (f, VIGIL_JOB_KIND_SONG, 9999, &answer, &error);
  g_assert_error (error, VIGIL_API_ERROR, VIGIL_API_ERROR_NOT_FOUND);
  g_assert_null (job);
  g_assert_null (answer);
  g_assert_cmpuint (g_list_model_get_n_items (vigil_tracker_get_jobs (f->tracker)), ==, 0);
}

static void
test_watch_stop_retry_remove (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *id = vigil_demo_server_add_job (f->server, VIGIL_JOB_KIND_PLAYLIST, 2, 20, 10, 0);
  VigilPoller *poller = vigil_tracker_get_poller (f->tracker);
  VigilJob *job = vigil_tracker_watch (f->tracker, id, VIGIL_JOB_KIND_UNKNOWN, -1);

  /* Watching twice keeps one job. */
  g_assert_true (vigil_tracker_watch (f->tracker, id, VIGIL_JOB_KIND_UNKNOWN, -1) == job);
  g_assert_cmpuint (g_list_model_get_n_items (vigil_tracker_get_jobs (f->tracker)), ==, 1);

  vigil_tracker_stop_watching (f->tracker, job);
  g_assert_false (vigil_poller_is_tracking (poller, job));
  g_assert_cmpint (vigil_job_get_tracking_state (job), ==, VIGIL_TRACKING_STATE_STOPPED);
  /* Still listed: stopping is not forgetting. */
  g_assert_cmpuint (g_list_model_get_n_items (vigil_tracker_get_jobs (f->tracker)), ==, 1);

  vigil_tracker_retry_now (f->tracker, job);
  g_assert_true (vigil_poller_is_tracking (poller, job));

  g_object_ref (job);
  vigil_tracker_remove (f->tracker, job);
  g_assert_false (vigil_poller_is_tracking (poller, job));
  g_assert_null (vigil_tracker_lookup (f->tracker, id));
  g_assert_cmpuint (g_list_model_get_n_items (vigil_tracker_get_jobs (f->tracker)), ==, 0);
  g_object_unref (job);
}

typedef struct
{
  guint emissions;
  guint position, removed, added;   /* of the last emission */
} Changes;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Changes    *c)
{
  c->emissions++;
  c->position = position;
  c->removed = removed;
  c->added = added;
}

/* The list says when a job stops, resumes or finishes (views re-sort and
 * re-filter that one job), and only then. */
static void
test_reannounce (Fixture       *f,
                 gconstpointer  data)
{
  GListModel *jobs = vigil_tracker_get_jobs (f->tracker);
  g_autofree char *id0 = vigil_demo_server_add_job (f->server, VIGIL_JOB_KIND_PLAYLIST, 1, 50, 30, 0);
  g_autofree char *id1 = vigil_demo_server_add_job (f->server, VIGIL_JOB_KIND_PLAYLIST, 2, 50, 30, 0);
  g_autofree char *quick = vigil_demo_server_add_job (f->server, VIGIL_JOB_KIND_SONG, 3, 1, 2, 0);
  VigilJob *job0 = vigil_tracker_watch (f->tracker, id0, VIGIL_JOB_KIND_UNKNOWN, -1);
  VigilJob *job1 = vigil_tracker_watch (f->tracker, id1, VIGIL_JOB_KIND_UNKNOWN, -1);
  Changes c = { 0 };

  g_assert_cmpuint (vigil_job_get_sequence (job0), ==, 1);
  g_assert_cmpuint (vigil_job_get_sequence (job1), ==, 2);
  g_signal_connect (jobs, "items-changed", G_CALLBACK (on_items_changed), &c);

  vigil_tracker_stop_watching (f->tracker, job1);
  g_assert_cmpuint (c.emissions, ==, 1);
  g_assert_cmpuint (c.position, ==, 1);
  g_assert_cmpuint (c.removed, ==, 1);
  g_assert_cmpuint (c.added, ==, 1);
  g_assert_true (g_list_model_get_item (jobs, 1) == (gpointer) job1);
  g_object_unref (job1);

  /* Nothing changed: nothing said. */
  vigil_tracker_stop_watching (f->tracker, job1);
  vigil_tracker_retry_now (f->tracker, job0);
  g_assert_true (vigil_tracker_watch (f->tracker, id0, VIGIL_JOB_KIND_UNKNOWN, -1) == job0);
  g_assert_cmpuint (c.emissions, ==, 1);

  /* Resuming, by Retry Now or by watching again. */
  vigil_tracker_retry_now (f->tracker, job1);
  g_assert_cmpuint (c.emissions, ==, 2);
  g_assert_cmpuint (c.position, ==, 1);
  vigil_tracker_stop_watching (f->tracker, job0);
  g_assert_cmpuint (c.emissions, ==, 3);
  g_assert_cmpuint (c.position, ==, 0);
  g_assert_true (vigil_tracker_watch (f->tracker, id0, VIGIL_JOB_KIND_UNKNOWN, -1) == job0);
  g_assert_cmpuint (c.emissions, ==, 4);
  g_assert_cmpuint (c.position, ==, 0);

  /* Finishing: the job's place, after it was added at the end. */
  vigil_tracker_watch (f->tracker, quick, VIGIL_JOB_KIND_SONG, 3);
  g_assert_cmpuint (c.emissions, ==, 5);
  g_signal_connect (f->tracker, "job-finished", G_CALLBACK (on_finished), f);
  while (f->n_finished < 1)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (c.emissions, ==, 6);
  g_assert_cmpuint (c.position, ==, 2);
  g_assert_cmpuint (c.removed, ==, 1);
  g_assert_cmpuint (c.added, ==, 1);

  g_signal_handlers_disconnect_by_data (jobs, &c);
}

static gboolean
all_finished (GListModel *jobs,
              guint       n)
{
  guint done = 0;

  for (guint i = 0; i < g_list_model_get_n_items (jobs); i++)
    {
      g_autoptr(VigilJob) job = g_list_model_get_item (jobs, i);
      done += vigil_job_get_is_finished (job);
    }
  return done >= n;
}

static void
test_clear_finished (Fixture       *f,
                     gconstpointer  data)
{
  GListModel *jobs = vigil_tracker_get_jobs (f->tracker);
  g_autofree char *quick1 = vigil_demo_server_add_job (f->server, VIGIL_JOB_KIND_SONG, 1, 1, 2, 0);
  g_autofree char *slow = vigil_demo_server_add_job (f->server, VIGIL_JOB_KIND_PLAYLIST, 1, 50, 30, 0);
  g_autofree char *quick2 = vigil_demo_server_add_job (f->server, VIGIL_JOB_KIND_SONG, 2, 1, 2, 0);

  vigil_tracker_watch (f->tracker, quick1, VIGIL_JOB_KIND_SONG, 1);
  vigil_tracker_watch (f->tracker, slow, VIGIL_JOB_KIND_PLAYLIST, 1);
  vigil_tracker_watch (f->tracker, quick2, VIGIL_JOB_KIND_SONG, 2);

  while (!all_finished (jobs, 2))
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (vigil_tracker_clear_finished (f->tracker), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (jobs), ==, 1);
  g_assert_nonnull (vigil_tracker_lookup (f->tracker, slow));
  g_assert_null (vigil_tracker_lookup (f->tracker, quick1));
  g_assert_cmpuint (vigil_tracker_clear_finished (f->tracker), ==, 0);
}

static void
on_notify_count (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

/* The server's name: its host until named; a name reaches every job, those
 * watched later too; "" or NULL goes back to the host. */
static void
test_server_name (Fixture       *f,
                  gconstpointer  data)
{
  const char *host = vigil_poller_get_server_host (vigil_tracker_get_poller (f->tracker));
  VigilJob *before, *after;
  guint notified = 0;

  g_assert_nonnull (host);
  g_assert_cmpstr (vigil_tracker_get_server_name (f->tracker), ==, host);
  before = vigil_tracker_watch (f->tracker, "101", VIGIL_JOB_KIND_SONG, 1);
  g_assert_cmpstr (vigil_job_get_server_name (before), ==, host);

  g_signal_connect (f->tracker, "notify::server-name", G_CALLBACK (on_notify_count), &notified);
  vigil_tracker_set_server_name (f->tracker, "Studio");
  vigil_tracker_set_server_name (f->tracker, "Studio");
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpstr (vigil_job_get_server_name (before), ==, "Studio");
  after = vigil_tracker_watch (f->tracker, "102", VIGIL_JOB_KIND_SONG, 2);
  g_assert_cmpstr (vigil_job_get_server_name (after), ==, "Studio");

  g_object_set (f->tracker, "server-name", "", NULL);
  g_assert_cmpuint (notified, ==, 2);
  g_assert_cmpstr (vigil_tracker_get_server_name (f->tracker), ==, host);
  g_assert_cmpstr (vigil_job_get_server_name (before), ==, host);
  g_assert_cmpstr (vigil_job_get_server_name (after), ==, host);
}

typedef struct
{
  guint position, removed, added, calls;
} ChangeLog;

static void
log_change (GListModel *model,
            guint       position,
            guint       removed,
            guint       added,
            ChangeLog  *log)
{
  log->position = position;
  log->removed = removed;
  log->added = added;
  log->calls++;
}

static void
assert_change (ChangeLog *log,
               guint      position,
               guint      removed,
               guint      added)
{
  g_assert_cmpuint (log->calls, ==, 1);
  g_assert_cmpuint (log->position, ==, position);
  g_assert_cmpuint (log->removed, ==, removed);
  g_assert_cmpuint (log->added, ==, added);
  log->calls = 0;
}

/* The tracker's list (a plain array, vigil-job-array.c) is a GListModel
 * as a GListStore would be: the items, their order, the changes it
 * announces, and the references it holds. */
static void
test_job_array (void)
{
  g_autoptr(VigilJobArray) array = vigil_job_array_new ();
  GListModel *model = G_LIST_MODEL (array);
  VigilJob *jobs[4];
  ChangeLog log = { 0 };
  guint position = G_MAXUINT;

  g_signal_connect (array, "items-changed", G_CALLBACK (log_change), &log);
  g_assert_true (g_list_model_get_item_type (model) == VIGIL_TYPE_JOB);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_null (g_list_model_get_item (model, 0));

  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    {
      g_autofree char *id = g_strdup_printf ("job-%u", i);

      jobs[i] = vigil_job_new (id, VIGIL_JOB_KIND_SONG, i);
      g_object_add_weak_pointer (G_OBJECT (jobs[i]), (gpointer *) &jobs[i]);
      vigil_job_array_append (array, jobs[i]);
      assert_change (&log, i, 0, 1);
      g_object_unref (jobs[i]);  /* the array keeps it */
      g_assert_nonnull (jobs[i]);
    }
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 4);
  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    {
      g_autoptr(VigilJob) item = g_list_model_get_item (model, i);

      g_assert_true (item == jobs[i]);
    }
  g_assert_null (g_list_model_get_item (model, 4));

  g_assert_true (vigil_job_array_find (array, jobs[2], &position));
  g_assert_cmpuint (position, ==, 2);
  vigil_job_array_reannounce (array, 2);
  assert_change (&log, 2, 1, 1);
  g_assert_nonnull (jobs[2]);

  vigil_job_array_remove (array, 1);
  assert_change (&log, 1, 1, 0);
  g_assert_null (jobs[1]);  /* its last reference went with it */
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  {
    g_autoptr(VigilJob) item = g_list_model_get_item (model, 1);

    g_assert_true (item == jobs[2]);
  }
  g_assert_true (vigil_job_array_find (array, jobs[3], &position));
  g_assert_cmpuint (position, ==, 2);

  vigil_job_array_remove_all (array);
  assert_change (&log, 0, 3, 0);
  g_assert_null (jobs[0]);
  g_assert_null (jobs[2]);
  g_assert_null (jobs[3]);
  vigil_job_array_remove_all (array);
  g_assert_cmpuint (log.calls, ==, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/vigil/tracker/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("start-each-kind", test_start_each_kind);
  ADD ("nothing-and-errors", test_nothing_and_errors);
  ADD ("watch-stop-retry-remove", test_watch_stop_retry_remove);
  ADD ("clear-finished", test_clear_finished);
  ADD ("reannounce", test_reannounce);
  ADD ("server-name", test_server_name);
#undef ADD
  g_test_add_func ("/vigil/tracker/job-array", test_job_array);

  return g_test_run ();
}
