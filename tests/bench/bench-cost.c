/* bench-cost.c — figure 4: CPU per progress update, memory per tracked job
 *
 * Bodies are real answers of the demo server, fetched once; the timed part
 * is what the client does with each: vigil_reader_parse_bytes, the
 * response reader and vigil_job_apply_progress. Peak RSS is measured in a
 * child process so that the server, and the other figures, stay out of it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>

#include <libsoup/soup.h>

#include "vigil-poller.h"
#include "vigil-reader.h"

#include "bench-common.h"
#include "bench-cost.h"
#include "bench-run.h"

#define SINGLE_BODIES   50
#define SINGLE_JOBS     100
#define RSS_SPEED       10.0

/* ------------------------------------------------------------------ */
/* Fetching real bodies                                                */
/* ------------------------------------------------------------------ */

typedef struct
{
  GBytes   *body;
  gboolean  done;
} Fetch;

static void
on_fetched (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Fetch *fetch = user_data;
  g_autoptr(GError) error = NULL;

  fetch->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (fetch->body == NULL)
    g_error ("vigil-bench: fetching a body: %s", error->message);
  fetch->done = TRUE;
}

static GBytes *
fetch_body (SoupSession *session,
            const char  *url)
{
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, url);
  Fetch fetch = { NULL, FALSE };

  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, on_fetched, &fetch);
  while (!fetch.done)
    g_main_context_iteration (NULL, TRUE);

  if (soup_message_get_status (msg) != SOUP_STATUS_OK)
    g_error ("vigil-bench: %s answered %u", url, soup_message_get_status (msg));
  return fetch.body;
}

static VigilDemoServer *
cost_server (BenchPayload payload,
             guint        workers,
             guint64      seed,
             double       speed)
{
  BenchSetup setup = { speed, workers, seed, payload, 0, FALSE };

  return bench_server_new (&setup);
}

/* GET /api/progress/<id> of jobs at SINGLE_BODIES points of their run */
static GPtrArray *
single_bodies (BenchPayload payload,
               guint64      seed)
{
  g_autoptr(VigilDemoServer) server = cost_server (payload, SINGLE_BODIES, seed, 1);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *base = vigil_demo_server_get_url (server);
  GPtrArray *bodies = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  for (guint i = 0; i < SINGLE_BODIES; i++)
    {
      g_autofree char *id = vigil_demo_server_add_job (server, VIGIL_JOB_KIND_PLAYLIST, 1, 100, 10,
                                                       (double) i / SINGLE_BODIES);
      g_autofree char *url = g_strdup_printf ("%s/api/progress/%s", base, id);

      g_ptr_array_add (bodies, fetch_body (session, url));
    }

  return bodies;
}

/* GET /api/progress with n_jobs jobs (running as far as workers allow).
 * n_items 0: each playlist's own songs, playlists taken in turn. */
static GBytes *
batch_body (VigilDemoServer *server,
            guint            n_jobs,
            guint            n_items,
            guint64          seed,
            GString         *ids)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *base = vigil_demo_server_get_url (server);
  g_autofree char *url = g_strconcat (base, "/api/progress", NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed ((guint32) seed);

  for (guint i = 0; i < n_jobs; i++)
    {
      gint64 playlist = n_items == 0 ? 1 + i % VIGIL_DEMO_SERVER_N_PLAYLISTS : 1;
      /* about an hour per job: they all outlive the measurement */
      double seconds = n_items == 0 ? 200 : 36;
      g_autofree char *id = vigil_demo_server_add_job (server, VIGIL_JOB_KIND_PLAYLIST, playlist,
                                                       n_items, seconds, g_rand_double (rand));

      if (ids != NULL)
        g_string_append_printf (ids, "%s\n", id);
    }

  return fetch_body (session, url);
}

/* ------------------------------------------------------------------ */
/* CPU                                                                 */
/* ------------------------------------------------------------------ */

static void
apply_body (VigilJob *job,
            GBytes   *body,
            gint64    now_us)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = vigil_reader_parse_bytes (body, &error);
  g_autoptr(VigilProgress) progress = NULL;

  if (root != NULL)
    progress = vigil_reader_parse_progress_response (root, &error);
  if (progress == NULL)
    g_error ("vigil-bench: a demo body did not read: %s", error->message);

  vigil_job_apply_progress (job, progress, now_us);
}

/* Each CPU case is timed this many times; the best is the figure. */
#define CPU_REPS 5

/* CPU ms per 1000 updates: each job walks through the bodies in order */
static double
cpu_single (GPtrArray *bodies,
            guint      updates)
{
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func (g_object_unref);
  double start;

  for (guint j = 0; j < SINGLE_JOBS; j++)
    {
      g_autofree char *id = g_strdup_printf ("job-%03u", j);

      g_ptr_array_add (jobs, vigil_job_new (id, VIGIL_JOB_KIND_PLAYLIST, 1));
    }

  start = bench_cpu_seconds ();
  for (guint u = 0; u < updates; u++)
    apply_body (g_ptr_array_index (jobs, u % SINGLE_JOBS),
                g_ptr_array_index (bodies, (u / SINGLE_JOBS) % bodies->len),
                (gint64) u * 1000);

  return (bench_cpu_seconds () - start) * 1e3 / updates * 1000;
}

static GPtrArray *
read_batch (GBytes *body)
{
  g_autoptr(GError) error = NULL;
  /* what the client does with the body: job by job, no tree for all */
  GPtrArray *active = vigil_reader_parse_active_progress_bytes (body, &error);

  if (active == NULL)
    g_error ("vigil-bench: the batch body did not read: %s", error->message);
  return active;
}

static double
cpu_batch (GBytes *body,
           guint   rounds,
           guint  *n_jobs)
{
  g_autoptr(GHashTable) jobs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  g_autoptr(GPtrArray) first = read_batch (body);
  double start;

  for (guint i = 0; i < first->len; i++)
    {
      VigilProgress *progress = g_ptr_array_index (first, i);

      g_hash_table_insert (jobs, g_strdup (progress->job_id),
                           vigil_job_new (progress->job_id, VIGIL_JOB_KIND_PLAYLIST, 1));
    }
  *n_jobs = first->len;

  start = bench_cpu_seconds ();
  for (guint r = 0; r < rounds; r++)
    {
      g_autoptr(GPtrArray) active = read_batch (body);

      for (guint i = 0; i < active->len; i++)
        {
          VigilProgress *progress = g_ptr_array_index (active, i);

          vigil_job_apply_progress (g_hash_table_lookup (jobs, progress->job_id), progress,
                                    (gint64) r * G_USEC_PER_SEC);
        }
    }

  return (bench_cpu_seconds () - start) * 1e3 / ((double) rounds * MAX (*n_jobs, 1)) * 1000;
}

void
bench_cost_measure_cpu (BenchCost *cost,
                        guint      updates,
                        guint      batch_jobs,
                        guint      batch_rounds,
                        guint64    seed)
{
  g_autoptr(GPtrArray) documented = single_bodies (BENCH_PAYLOAD_DOCUMENTED, seed);
  g_autoptr(GPtrArray) production = single_bodies (BENCH_PAYLOAD_PRODUCTION, seed);
  g_autoptr(VigilDemoServer) server = cost_server (BENCH_PAYLOAD_DOCUMENTED, batch_jobs, seed, 1);
  g_autoptr(GBytes) batch = batch_body (server, batch_jobs, 100, seed, NULL);

  g_return_if_fail (cost != NULL);

  cost->updates = updates;
  cost->cpu_reps = CPU_REPS;
  cost->single_body_bytes = g_bytes_get_size (g_ptr_array_index (documented, 0));
  cost->batch_body_bytes = g_bytes_get_size (batch);
  {
    g_autoptr(GArray) doc = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr(GArray) prod = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr(GArray) bat = g_array_new (FALSE, FALSE, sizeof (double));

    /* interleaved, so that a slow minute touches every case alike */
    for (guint r = 0; r < CPU_REPS; r++)
      {
        double d = cpu_single (documented, updates);
        double p = cpu_single (production, updates);
        double b = cpu_batch (batch, batch_rounds, &cost->batch_jobs);

        g_array_append_val (doc, d);
        g_array_append_val (prod, p);
        g_array_append_val (bat, b);
      }
    cost->single_documented_ms = bench_percentile (doc, 0);
    cost->single_production_ms = bench_percentile (prod, 0);
    cost->batch_ms = bench_percentile (bat, 0);
    cost->single_documented_median_ms = bench_percentile (doc, 0.5);
    cost->single_production_median_ms = bench_percentile (prod, 0.5);
    cost->batch_median_ms = bench_percentile (bat, 0.5);
  }
}

/* ------------------------------------------------------------------ */
/* RSS: the parent                                                     */
/* ------------------------------------------------------------------ */

typedef struct
{
  char     *out;
  gboolean  ok;
  gboolean  done;
} Child;

static void
on_child_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Child *child = user_data;
  g_autoptr(GError) error = NULL;

  child->ok = g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result,
                                                    &child->out, NULL, &error) &&
              g_subprocess_get_if_exited (G_SUBPROCESS (source)) &&
              g_subprocess_get_exit_status (G_SUBPROCESS (source)) == 0;
  if (error != NULL)
    g_printerr ("vigil-bench: RSS child: %s\n", error->message);
  child->done = TRUE;
}

static void
read_child_report (BenchCost  *cost,
                   const char *out)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *o;

  if (out == NULL || !json_parser_load_from_data (parser, out, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;

  o = json_node_get_object (json_parser_get_root (parser));
  cost->rss_baseline_mb = json_object_get_int_member (o, "baseline_kib") * 1024 / 1e6;
  cost->rss_peak_mb = json_object_get_int_member (o, "peak_kib") * 1024 / 1e6;
  cost->rss_tracked_mb = json_object_get_int_member (o, "tracked_kib") * 1024 / 1e6;
  cost->rss_end_mb = json_object_get_int_member (o, "end_kib") * 1024 / 1e6;
  cost->rss_polled = json_object_get_int_member (o, "polled");
  cost->rss_songs = json_object_get_int_member (o, "songs");
  cost->rss_requests = json_object_get_int_member (o, "requests");
  cost->rss_seconds = json_object_get_double_member (o, "seconds");
  cost->rss_ok = TRUE;
}

void
bench_cost_measure_rss (BenchCost  *cost,
                        const char *self_exe,
                        guint       n_jobs,
                        double      cap_s,
                        double      run_on_s,
                        guint64     seed)
{
  g_autoptr(VigilDemoServer) server = cost_server (BENCH_PAYLOAD_DOCUMENTED, n_jobs, seed, RSS_SPEED);
  g_autoptr(GString) ids = g_string_new (NULL);
  g_autoptr(GBytes) batch = batch_body (server, n_jobs, 0, seed, ids);
  g_autofree char *url = vigil_demo_server_get_url (server);
  g_autofree char *speed = g_strdup_printf ("%g", RSS_SPEED);
  g_autofree char *cap = g_strdup_printf ("%g", cap_s);
  g_autofree char *run_on = g_strdup_printf ("%g", run_on_s);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  Child child = { NULL, FALSE, FALSE };

  g_return_if_fail (cost != NULL);

  cost->rss_jobs = n_jobs;
  cost->rss_running = MIN (n_jobs, BENCH_MAX_WORKERS);
  cost->rss_batch_body_bytes = g_bytes_get_size (batch);
  vigil_demo_server_reset_stats (server);

  {
    /* VIGIL_BENCH_CHILD_WRAPPER, e.g. "heaptrack -o /tmp/rss": the child
     * runs under a heap profiler (its RSS figure then means nothing). */
    const char *wrapper = g_getenv ("VIGIL_BENCH_CHILD_WRAPPER");
    g_auto(GStrv) wrap = NULL;
    g_autoptr(GStrvBuilder) argv = g_strv_builder_new ();
    g_auto(GStrv) args = NULL;

    if (wrapper != NULL && !g_shell_parse_argv (wrapper, NULL, &wrap, &error))
      g_error ("vigil-bench: VIGIL_BENCH_CHILD_WRAPPER: %s", error->message);
    if (wrap != NULL)
      g_strv_builder_addv (argv, (const char **) wrap);
    g_strv_builder_add_many (argv, self_exe, "--rss-child", url, "--rss-speed", speed, "--rss-cap",
                             cap, "--rss-run-on", run_on, NULL);
    args = g_strv_builder_end (argv);
    proc = g_subprocess_newv ((const char * const *) args,
                              G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  }
  if (proc == NULL)
    g_error ("vigil-bench: cannot start %s: %s", self_exe, error->message);

  g_subprocess_communicate_utf8_async (proc, ids->str, NULL, on_child_done, &child);
  while (!child.done)
    g_main_context_iteration (NULL, TRUE);

  if (child.ok)
    read_child_report (cost, child.out);
  cost->rss_batch_requests = vigil_demo_server_get_request_count (server, "/api/progress");
  g_free (child.out);
}

/* ------------------------------------------------------------------ */
/* RSS: the child                                                      */
/* ------------------------------------------------------------------ */

static GPtrArray *
read_ids (void)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  char line[256];

  while (fgets (line, sizeof line, stdin) != NULL)
    if (g_strstrip (line)[0] != '\0')
      g_ptr_array_add (ids, g_strdup (line));

  return ids;
}

/* Jobs the server has told about: a job record gives created_at, a
 * progress record (a batch's) started_at. */
static guint
count_polled (GPtrArray *jobs)
{
  guint polled = 0;

  for (guint i = 0; i < jobs->len; i++)
    polled += vigil_job_get_created_at (g_ptr_array_index (jobs, i)) != NULL ||
              vigil_job_get_started_at (g_ptr_array_index (jobs, i)) != NULL;
  return polled;
}

static guint
count_songs (GPtrArray *jobs)
{
  guint songs = 0;

  /* the songs the server told of, not rows: asking for the rows would
   * make them (they are made only for a view that asks) */
  for (guint i = 0; i < jobs->len; i++)
    songs += (guint) MAX (vigil_job_get_total_items (g_ptr_array_index (jobs, i)), 0);
  return songs;
}

static gboolean
on_check (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_CONTINUE;
}

/* Until every job was answered and run_on_s (virtual) more, or cap_s */
static guint
run_child (GPtrArray *jobs,
           double     speed,
           double     cap_s,
           double     run_on_s)
{
  gint64 start = g_get_monotonic_time ();
  gint64 stop = start + (gint64) (cap_s * G_USEC_PER_SEC);
  gboolean check = FALSE;
  guint polled = 0;
  guint check_id = g_timeout_add (100, on_check, &check);

  while (g_get_monotonic_time () < stop)
    {
      g_main_context_iteration (NULL, TRUE);
      if (!check || polled == jobs->len)
        continue;
      check = FALSE;
      if ((polled = count_polled (jobs)) == jobs->len)
        stop = MIN (stop, g_get_monotonic_time () + (gint64) (run_on_s / speed * G_USEC_PER_SEC));
    }

  g_source_remove (check_id);
  return count_polled (jobs);
}

int
bench_cost_rss_child (const char *url,
                      double      speed,
                      double      cap_s,
                      double      run_on_s)
{
  g_autoptr(GPtrArray) ids = read_ids ();
  glong baseline = bench_peak_rss_kib ();
  g_autoptr(GError) error = NULL;
  g_autoptr(VigilApiClient) client = vigil_api_client_new (url, &error);
  g_autoptr(VigilPoller) poller = NULL;
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func (g_object_unref);
  gint64 start = g_get_monotonic_time ();
  glong tracked, peak, end;
  guint polled;

  /* stdout is the report */
  g_log_writer_default_set_use_stderr (TRUE);
  if (client == NULL)
    {
      g_printerr ("vigil-bench: %s\n", error->message);
      return 1;
    }

  poller = g_object_new (VIGIL_TYPE_POLLER, "client", client, "time-scale", 1.0 / speed, NULL);
  for (guint i = 0; i < ids->len; i++)
    {
      VigilJob *job = vigil_job_new (g_ptr_array_index (ids, i), VIGIL_JOB_KIND_PLAYLIST, 1);

      g_ptr_array_add (jobs, job);
      vigil_poller_track (poller, job);
    }

  tracked = bench_rss_kib ();
  polled = run_child (jobs, speed, cap_s, run_on_s);
  peak = bench_peak_rss_kib ();
  end = bench_rss_kib ();
  g_print ("{\"jobs\": %u, \"baseline_kib\": %ld, \"tracked_kib\": %ld, \"peak_kib\": %ld, "
           "\"end_kib\": %ld, \"polled\": %u, \"songs\": %u, "
           "\"requests\": %" G_GUINT64_FORMAT ", \"seconds\": %.2f}\n",
           ids->len, baseline, tracked, peak, end, polled, count_songs (jobs),
           vigil_poller_get_total_requests (poller),
           (g_get_monotonic_time () - start) / 1e6);
  return 0;
}
