/* test-poller.c — VigilPoller against the demo server at a fast time scale,
 * counting requests at the server.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "vigil-demo-server.h"
#include "vigil-poller.h"

/* The demo server runs SPEED virtual seconds per real second; the poller's
 * delays are scaled by 1/SPEED to match. */
#define SPEED 50.0

/* ------------------------------------------------------------------ */
/* A GNetworkMonitor whose availability the test sets                   */
/* ------------------------------------------------------------------ */

#define TEST_TYPE_MONITOR (test_monitor_get_type ())
G_DECLARE_FINAL_TYPE (TestMonitor, test_monitor, TEST, MONITOR, GObject)

struct _TestMonitor
{
  GObject  parent_instance;
  gboolean available;
};

static void test_monitor_iface_init (GNetworkMonitorInterface *iface);
static void test_monitor_initable_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestMonitor, test_monitor, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      test_monitor_initable_init)
                               G_IMPLEMENT_INTERFACE (G_TYPE_NETWORK_MONITOR,
                                                      test_monitor_iface_init))

static gboolean
test_monitor_initable_init_fn (GInitable     *initable,
                               GCancellable  *cancellable,
                               GError       **error)
{
  return TRUE;
}

static void
test_monitor_initable_init (GInitableIface *iface)
{
  iface->init = test_monitor_initable_init_fn;
}

enum { MON_PROP_0, MON_PROP_AVAILABLE, MON_PROP_METERED, MON_PROP_CONNECTIVITY };

static void
test_monitor_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TestMonitor *self = TEST_MONITOR (object);

  switch (prop_id)
    {
    case MON_PROP_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;
    case MON_PROP_METERED:
      g_value_set_boolean (value, FALSE);
      break;
    case MON_PROP_CONNECTIVITY:
      g_value_set_enum (value, self->available ? G_NETWORK_CONNECTIVITY_FULL
                                               : G_NETWORK_CONNECTIVITY_LOCAL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
test_monitor_class_init (TestMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = test_monitor_get_property;
  g_object_class_override_property (object_class, MON_PROP_AVAILABLE, "network-available");
  g_object_class_override_property (object_class, MON_PROP_METERED, "network-metered");
  g_object_class_override_property (object_class, MON_PROP_CONNECTIVITY, "connectivity");
}

static void
test_monitor_iface_init (GNetworkMonitorInterface *iface)
{
}

static void
test_monitor_init (TestMonitor *self)
{
  self->available = TRUE;
}

static void
test_monitor_set_available (TestMonitor *self,
                            gboolean     available)
{
  self->available = available;
  g_object_notify (G_OBJECT (self), "network-available");
  g_signal_emit_by_name (self, "network-changed", available);
}

/* ------------------------------------------------------------------ */
/* Fixture                                                             */
/* ------------------------------------------------------------------ */

typedef struct
{
  VigilDemoServer *server;
  VigilApiClient  *client;
  VigilPoller     *poller;
  TestMonitor     *monitor;
  guint            n_finished;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  f->server = g_object_new (VIGIL_TYPE_DEMO_SERVER,
                            "speed", SPEED,
                            "song-seconds", 4.0,
                            "seed", (guint64) 42,
                            "workers", 1,
                            NULL);
  g_assert_true (vigil_demo_server_listen (f->server, NULL, 0, &error));
  g_assert_no_error (error);

  url = vigil_demo_server_get_url (f->server);
  f->client = vigil_api_client_new (url, &error);
  g_assert_no_error (error);
  vigil_api_client_set_timeout (f->client, 5);

  f->monitor = g_object_new (TEST_TYPE_MONITOR, NULL);
  f->poller = g_object_new (VIGIL_TYPE_POLLER,
                            "client", f->client,
                            "network-monitor", f->monitor,
                            "time-scale", 1.0 / SPEED,
                            "jitter", 0.0,
                            NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_finalize_object (f->poller);
  g_assert_finalize_object (f->client);
  g_object_unref (f->monitor);
  g_assert_finalize_object (f->server);
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Spin until every job is finished (or timeout_ms). */
static gboolean
wait_finished (VigilJob **jobs,
               guint      n_jobs,
               guint      timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timeout_cb, &timed_out);

  for (;;)
    {
      guint done = 0;

      for (guint i = 0; i < n_jobs; i++)
        done += vigil_job_get_is_finished (jobs[i]);
      if (done == n_jobs || timed_out)
        break;
      g_main_context_iteration (NULL, TRUE);
    }

  if (!timed_out)
    g_source_remove (id);
  return !timed_out;
}

static void
spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static VigilJob *
add_job (Fixture      *f,
         VigilJobKind  kind,
         guint         n_items,
         double        item_seconds)
{
  g_autofree char *id = vigil_demo_server_add_job (f->server, kind, 1, n_items, item_seconds, 0);
  VigilJob *job = vigil_job_new (id, kind, 1);

  vigil_poller_track (f->poller, job);
  return job;
}

/* ------------------------------------------------------------------ */
/* Tests                                                               */
/* ------------------------------------------------------------------ */

static void
on_finished (VigilPoller *poller,
             VigilJob    *job,
             Fixture     *f)
{
  f->n_finished++;
  g_assert_false (vigil_poller_is_tracking (poller, job));
}

static void
test_kinds_end_right (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(VigilJob) song = NULL;
  g_autoptr(VigilJob) playlist = NULL;
  g_autoptr(VigilJob) background = NULL;
  VigilJob *jobs[3];

  g_object_set (f->server, "workers", 3, NULL);
  g_signal_connect (f->poller, "job-finished", G_CALLBACK (on_finished), f);

  jobs[0] = song = add_job (f, VIGIL_JOB_KIND_SONG, 1, 8);
  jobs[1] = playlist = add_job (f, VIGIL_JOB_KIND_PLAYLIST, 4, 5);
  jobs[2] = background = add_job (f, VIGIL_JOB_KIND_BACKGROUND, 6, 5);
  g_assert_cmpuint (vigil_poller_get_n_tracked (f->poller), ==, 3);

  g_assert_true (wait_finished (jobs, 3, 10000));
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpint (vigil_job_get_server_state (jobs[i]), ==, VIGIL_SERVER_STATE_SUCCEEDED);
      g_assert_cmpfloat (vigil_job_get_fraction (jobs[i]), ==, 1.0);
    }
  g_assert_cmpuint (f->n_finished, ==, 3);
  g_assert_cmpuint (vigil_poller_get_n_tracked (f->poller), ==, 0);
  g_assert_cmpuint (vigil_poller_get_n_timers (f->poller), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (vigil_job_get_songs (playlist)), ==, 4);
}

static void
test_failure_reported (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(VigilJob) job = NULL;

  g_object_set (f->server, "failure-rate", 1.0, NULL);
  job = add_job (f, VIGIL_JOB_KIND_PLAYLIST, 3, 4);
  g_assert_true (wait_finished (&job, 1, 10000));
  g_assert_cmpint (vigil_job_get_server_state (job), ==, VIGIL_SERVER_STATE_FAILED);
  g_assert_nonnull (vigil_job_get_error_message (job));
}

/* A job behind another for more than a (virtual) minute: tracked as queued
 * at a gentle pace, then to its end. */
static void
test_long_queue (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(VigilJob) first = NULL;
  g_autoptr(VigilJob) second = NULL;
  VigilJob *jobs[2];
  guint64 queued_requests;

  jobs[0] = first = add_job (f, VIGIL_JOB_KIND_PLAYLIST, 10, 8);  /* 80 virtual s */
  jobs[1] = second = add_job (f, VIGIL_JOB_KIND_SONG, 1, 5);

  spin (200);  /* 10 virtual s */
  g_assert_cmpint (vigil_job_get_server_state (second), ==, VIGIL_SERVER_STATE_QUEUED);

  g_assert_true (wait_finished (jobs, 2, 15000));
  g_assert_cmpint (vigil_job_get_server_state (first), ==, VIGIL_SERVER_STATE_SUCCEEDED);
  g_assert_cmpint (vigil_job_get_server_state (second), ==, VIGIL_SERVER_STATE_SUCCEEDED);

  /* Queued for ~80 virtual s: every second for its first 10 s, then every
   * 5 s — not every second all along (80). */
  queued_requests = vigil_demo_server_get_job_request_count (f->server, vigil_job_get_job_id (second));
  g_assert_cmpuint (queued_requests, <=, 10 + 70 / 5 + 8);
  g_assert_cmpuint (queued_requests, >=, 10 + 70 / 5 - 6);
}

/* Tracking starts after the job ended: the progress 404 resolves through
 * the job record. */
static void
test_404_after_finish (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *id = vigil_demo_server_add_job (f->server, VIGIL_JOB_KIND_SONG, 1, 1, 2, 0);
  g_autoptr(VigilJob) job = vigil_job_new (id, VIGIL_JOB_KIND_SONG, 1);
  g_autoptr(VigilJob) unknown = vigil_job_new ("no-such-job", VIGIL_JOB_KIND_SONG, 1);
  VigilJob *jobs[2] = { job, unknown };

  while (vigil_demo_server_get_finish_time (f->server, id) < 0)
    g_main_context_iteration (NULL, TRUE);

  vigil_poller_track (f->poller, job);
  vigil_poller_track (f->poller, unknown);
  g_assert_true (wait_finished (jobs, 2, 5000));
  g_assert_cmpint (vigil_job_get_server_state (job), ==, VIGIL_SERVER_STATE_SUCCEEDED);
  /* Never seen: not "lost" but unknown to this server (issue 9, item 10). */
  g_assert_cmpint (vigil_job_get_server_state (unknown), ==, VIGIL_SERVER_STATE_NOT_FOUND);
  {
    g_autofree char *host = g_strdup_printf ("127.0.0.1:%u", vigil_demo_server_get_port (f->server));
    g_autofree char *text = g_strdup_printf ("No such job on %s", host);

    g_assert_cmpstr (vigil_job_get_server_host (unknown), ==, host);
    g_assert_cmpstr (vigil_job_get_error_message (unknown), ==, text);
  }
  /* A job Vigil knows nothing about yet is first asked for its record,
   * which tells both "queued" and "finished": one request, nothing more. */
  g_assert_cmpuint (vigil_demo_server_get_job_request_count (f->server, id), ==, 1);
}

static void
test_http_errors (Fixture       *f,
                  gconstpointer  data)
{
  VigilJob *jobs[6];

  g_object_set (f->server, "error-rate", 0.2, "workers", 6, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    jobs[i] = add_job (f, i % 2 ? VIGIL_JOB_KIND_SONG : VIGIL_JOB_KIND_PLAYLIST, 1 + i % 3, 4);

  g_assert_true (wait_finished (jobs, G_N_ELEMENTS (jobs), 20000));
  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    {
      g_assert_cmpint (vigil_job_get_server_state (jobs[i]), ==, VIGIL_SERVER_STATE_SUCCEEDED);
      g_object_unref (jobs[i]);
    }
}

static gboolean
is_stalled (VigilJob *job)
{
  return vigil_job_get_tracking_state (job) == VIGIL_TRACKING_STATE_STALLED;
}

/* The server goes away mid-job: retrying, then stalled (still polling at
 * the maximum interval), then back and to the end. */
static void
test_restart_stalled_recovered (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(VigilJob) job = add_job (f, VIGIL_JOB_KIND_PLAYLIST, 10, 6);
  guint port = vigil_demo_server_get_port (f->server);
  g_autoptr(GError) error = NULL;
  gboolean saw_retrying = FALSE;
  VigilPollInfo info;

  while (vigil_job_get_server_state (job) != VIGIL_SERVER_STATE_RUNNING)
    g_main_context_iteration (NULL, TRUE);

  vigil_demo_server_disconnect (f->server);
  while (!is_stalled (job))
    {
      saw_retrying |= vigil_job_get_tracking_state (job) == VIGIL_TRACKING_STATE_RETRYING;
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_true (saw_retrying);
  g_assert_nonnull (vigil_job_get_tracking_error (job));
  g_assert_true (vigil_poller_is_tracking (f->poller, job));
  g_assert_true (vigil_poller_get_info (f->poller, job, &info));
  g_assert_cmpuint (info.errors, >=, 3);
  g_assert_cmpuint (info.delay_ms, ==, 5000);

  g_assert_true (vigil_demo_server_listen (f->server, NULL, port, &error));
  g_assert_no_error (error);
  g_assert_true (wait_finished (&job, 1, 10000));
  g_assert_cmpint (vigil_job_get_server_state (job), ==, VIGIL_SERVER_STATE_SUCCEEDED);
  g_assert_cmpint (vigil_job_get_tracking_state (job), ==, VIGIL_TRACKING_STATE_ACTIVE);
  g_assert_null (vigil_job_get_tracking_error (job));
}

/* Jobs due together share GET /api/progress; a job missing from the
 * answer (it finished) is asked one by one. */
static void
test_batch (Fixture       *f,
            gconstpointer  data)
{
  VigilJob *jobs[5];
  guint64 batch, single, status;

  g_object_set (f->server, "workers", 5, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    jobs[i] = add_job (f, VIGIL_JOB_KIND_PLAYLIST, 3 + i, 5);

  g_assert_true (wait_finished (jobs, G_N_ELEMENTS (jobs), 15000));
  batch = vigil_demo_server_get_request_count (f->server, "/api/progress");
  single = vigil_demo_server_get_request_count (f->server, "/api/progress/{id}");
  status = vigil_demo_server_get_request_count (f->server, "/api/jobs/{id}/status");
  g_test_message ("batch %" G_GUINT64_FORMAT ", single %" G_GUINT64_FORMAT
                  ", status %" G_GUINT64_FORMAT, batch, single, status);

  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    {
      g_assert_cmpint (vigil_job_get_server_state (jobs[i]), ==, VIGIL_SERVER_STATE_SUCCEEDED);
      g_object_unref (jobs[i]);
    }
  /* Most polls were batched; every end was confirmed by a job record. */
  g_assert_cmpuint (batch, >, 5);
  g_assert_cmpuint (single, <, batch);
  g_assert_cmpuint (status, >=, 5);
}

/* A server without GET /api/progress is asked once, then not again. */
static void
test_batch_route_missing (Fixture       *f,
                          gconstpointer  data)
{
  VigilJob *jobs[3];

  g_object_set (f->server, "workers", 3, "batch-route", FALSE, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    jobs[i] = add_job (f, VIGIL_JOB_KIND_PLAYLIST, 3, 4);

  g_assert_true (wait_finished (jobs, G_N_ELEMENTS (jobs), 15000));
  g_assert_cmpuint (vigil_demo_server_get_request_count (f->server, "/api/progress"), ==, 1);
  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    {
      g_assert_cmpint (vigil_job_get_server_state (jobs[i]), ==, VIGIL_SERVER_STATE_SUCCEEDED);
      g_object_unref (jobs[i]);
    }
}

static void
test_untrack (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(VigilJob) job = add_job (f, VIGIL_JOB_KIND_PLAYLIST, 20, 5);
  const char *id = vigil_job_get_job_id (job);
  guint64 before;

  spin (300);
  vigil_poller_untrack (f->poller, job);
  g_assert_cmpint (vigil_job_get_tracking_state (job), ==, VIGIL_TRACKING_STATE_STOPPED);
  spin (50);  /* an answer already on its way may land */
  before = vigil_demo_server_get_job_request_count (f->server, id);
  g_assert_cmpuint (before, >, 0);
  spin (500);  /* 25 virtual s */
  g_assert_cmpuint (vigil_demo_server_get_job_request_count (f->server, id), ==, before);
  g_assert_cmpuint (vigil_poller_get_n_timers (f->poller), ==, 0);
}

static void
test_offline (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(VigilJob) job = add_job (f, VIGIL_JOB_KIND_PLAYLIST, 10, 5);
  const char *id = vigil_job_get_job_id (job);
  guint64 before;

  spin (200);
  test_monitor_set_available (f->monitor, FALSE);
  g_assert_true (vigil_poller_get_offline (f->poller));
  g_assert_cmpint (vigil_job_get_tracking_state (job), ==, VIGIL_TRACKING_STATE_OFFLINE);
  spin (50);
  before = vigil_demo_server_get_job_request_count (f->server, id);
  spin (400);
  g_assert_cmpuint (vigil_demo_server_get_job_request_count (f->server, id), ==, before);

  /* Back online: polled at once, not after a backoff. */
  test_monitor_set_available (f->monitor, TRUE);
  spin (20);
  g_assert_cmpuint (vigil_demo_server_get_job_request_count (f->server, id), >, before);
  g_assert_cmpint (vigil_job_get_tracking_state (job), ==, VIGIL_TRACKING_STATE_ACTIVE);
  g_assert_true (wait_finished (&job, 1, 10000));
  g_assert_cmpint (vigil_job_get_server_state (job), ==, VIGIL_SERVER_STATE_SUCCEEDED);
}

/* Ten thousand jobs cost one timer and at most six requests in flight. */
static void
test_many_jobs_one_timer (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(VigilApiClient) client = NULL;
  g_autoptr(VigilPoller) poller = NULL;
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autofree char *url = NULL;
  guint16 port;
  guint polled = 0;

  /* A port that refuses connections: every poll fails at once. */
  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  url = g_strdup_printf ("http://127.0.0.1:%u", port);
  client = vigil_api_client_new (url, &error);
  g_assert_no_error (error);
  poller = g_object_new (VIGIL_TYPE_POLLER, "client", client, "time-scale", 0.01, NULL);

  for (guint i = 0; i < 10000; i++)
    {
      g_autofree char *id = g_strdup_printf ("job-%05u", i);
      VigilJob *job = vigil_job_new (id, VIGIL_JOB_KIND_SONG, i);

      g_ptr_array_add (jobs, job);
      vigil_poller_track (poller, job);
    }
  g_assert_cmpuint (vigil_poller_get_n_tracked (poller), ==, 10000);

  while (vigil_poller_get_total_requests (poller) < 10000)
    {
      g_main_context_iteration (NULL, TRUE);
      g_assert_cmpuint (vigil_poller_get_n_timers (poller), <=, 1);
      g_assert_cmpuint (vigil_poller_get_n_in_flight (poller), <=, VIGIL_POLLER_MAX_IN_FLIGHT);
    }

  /* The heap polls the earliest due first: every job had its turn. */
  for (guint i = 0; i < jobs->len; i++)
    {
      VigilPollInfo info;

      g_assert_true (vigil_poller_get_info (poller, g_ptr_array_index (jobs, i), &info));
      polled += info.requests > 0;
    }
  g_assert_cmpuint (polled, ==, 10000);

  vigil_poller_untrack_all (poller);
  g_assert_cmpuint (vigil_poller_get_n_tracked (poller), ==, 0);
}

/* A server that first answers 429 with Retry-After: the poller waits at
 * least that long, whatever its own policy would say (1 s here). */
typedef struct
{
  guint  n_requests;
  gint64 times[4];
} RateLimited;

static void
rate_limited_handler (SoupServer        *server,
                      SoupServerMessage *msg,
                      const char        *path,
                      GHashTable        *query,
                      gpointer           user_data)
{
  RateLimited *rl = user_data;
  static const char completed[] =
    "{\"status\": \"success\", \"job\": {\"job_id\": \"rl-1\", \"status\": \"COMPLETED\","
    " \"job_type\": \"song_analysis\", \"progress\": 1.0}}";

  if (rl->n_requests < G_N_ELEMENTS (rl->times))
    rl->times[rl->n_requests] = g_get_monotonic_time ();

  if (rl->n_requests++ == 0)
    {
      soup_message_headers_append (soup_server_message_get_response_headers (msg),
                                   "Retry-After", "2");
      soup_server_message_set_status (msg, 429, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                        "{\"error\": \"Too many requests\"}", 30);
      return;
    }
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                    completed, strlen (completed));
}

static void
test_retry_after (void)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(VigilApiClient) client = NULL;
  g_autoptr(VigilPoller) poller = NULL;
  g_autoptr(VigilJob) job = vigil_job_new ("rl-1", VIGIL_JOB_KIND_SONG, 1);
  g_autoptr(GSList) uris = NULL;
  g_autofree char *url = NULL;
  RateLimited rl = { 0 };
  double gap_s;

  soup_server_add_handler (server, NULL, rate_limited_handler, &rl, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  uris = soup_server_get_uris (server);
  url = g_uri_to_string (uris->data);
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);

  client = vigil_api_client_new (url, &error);
  g_assert_no_error (error);
  poller = g_object_new (VIGIL_TYPE_POLLER, "client", client, "jitter", 0.0, NULL);
  vigil_poller_track (poller, job);
  g_assert_true (wait_finished (&job, 1, 6000));

  g_assert_cmpuint (rl.n_requests, ==, 2);
  gap_s = (rl.times[1] - rl.times[0]) / 1e6;
  g_test_message ("second request %.2f s after the 429", gap_s);
  g_assert_cmpfloat (gap_s, >=, 1.95);
  g_assert_cmpfloat (gap_s, <, 3.0);
  g_assert_cmpint (vigil_job_get_server_state (job), ==, VIGIL_SERVER_STATE_SUCCEEDED);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/vigil/poller/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("kinds-end-right", test_kinds_end_right);
  ADD ("failure-reported", test_failure_reported);
  ADD ("long-queue", test_long_queue);
  ADD ("404-after-finish", test_404_after_finish);
  ADD ("http-errors", test_http_errors);
  ADD ("restart-stalled-recovered", test_restart_stalled_recovered);
  ADD ("batch", test_batch);
  ADD ("batch-route-missing", test_batch_route_missing);
  ADD ("untrack", test_untrack);
  ADD ("offline", test_offline);
#undef ADD
  g_test_add_func ("/vigil/poller/many-jobs-one-timer", test_many_jobs_one_timer);
  g_test_add_func ("/vigil/poller/retry-after", test_retry_after);

  return g_test_run ();
}
