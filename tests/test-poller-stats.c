/* test-poller-stats.c — the poller's introspection for diagnostics against
 * the demo server: its counts match the server's own request counters, its
 * reasons the poll policy's; and the debug log: switched at run time, never
 * a token or cookie in it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "vigil-debug-log.h"
#include "vigil-demo-server.h"
#include "vigil-job-text.h"
#include "vigil-poller-stats.h"
#include "vigil-test-timeout.h"

#define SPEED 50.0
#define TOKEN "diag-Secret-7f3a9c"

typedef struct
{
  VigilDemoServer *server;
  VigilApiClient  *client;
  VigilPoller     *poller;
  GPtrArray       *jobs;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  const char *token = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  f->server = g_object_new (VIGIL_TYPE_DEMO_SERVER, "speed", SPEED, "song-seconds", 4.0,
                            "seed", (guint64) 13, "workers", 1, "require-token", token, NULL);
  g_assert_true (vigil_demo_server_listen (f->server, NULL, 0, &error));
  url = vigil_demo_server_get_url (f->server);
  f->client = vigil_api_client_new (url, &error);
  g_assert_no_error (error);
  vigil_api_client_set_timeout (f->client, 5);
  f->poller = g_object_new (VIGIL_TYPE_POLLER, "client", f->client,
                            "time-scale", 1.0 / SPEED, "jitter", 0.0, NULL);
  f->jobs = g_ptr_array_new_with_free_func (g_object_unref);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->jobs, g_ptr_array_unref);
  g_assert_finalize_object (f->poller);
  g_assert_finalize_object (f->client);
  g_assert_finalize_object (f->server);
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

typedef gboolean (*Cond) (Fixture *f);

static gboolean
wait_for (Fixture *f,
          Cond     cond,
          guint    timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (vigil_test_limit_ms (timeout_ms), timeout_cb, &timed_out);

  while (!cond (f) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return !timed_out;
}

static VigilJob *
add_job (Fixture *f,
         guint    n_items)
{
  g_autofree char *id = vigil_demo_server_add_job (f->server, VIGIL_JOB_KIND_PLAYLIST, 1,
                                                   n_items, 4.0, 0);
  VigilJob *job = vigil_job_new (id, VIGIL_JOB_KIND_PLAYLIST, 1);

  g_ptr_array_add (f->jobs, job);
  vigil_poller_track (f->poller, job);
  return job;
}

static VigilPollerJobStats *
stats_of (GPtrArray *stats,
          VigilJob  *job)
{
  for (guint i = 0; i < stats->len; i++)
    {
      VigilPollerJobStats *s = g_ptr_array_index (stats, i);

      if (s->job == job)
        return s;
    }
  return NULL;
}

/* ------------------------------------------------------------------ */
/* Counts and reasons                                                  */
/* ------------------------------------------------------------------ */

/* The second job waits for the one worker beyond its first 10 s. */
static gboolean
second_is_queued (Fixture *f)
{
  g_autoptr(GPtrArray) stats = vigil_poller_dup_job_stats (f->poller);
  VigilPollerJobStats *s = stats_of (stats, g_ptr_array_index (f->jobs, 1));

  return s != NULL && s->info.reason == VIGIL_POLL_REASON_QUEUED &&
         vigil_poller_get_n_in_flight (f->poller) == 0;
}

static gboolean
all_finished (Fixture *f)
{
  for (guint i = 0; i < f->jobs->len; i++)
    if (!vigil_job_get_is_finished (g_ptr_array_index (f->jobs, i)))
      return FALSE;
  return vigil_poller_get_n_in_flight (f->poller) == 0;
}

static void
check_totals (Fixture *f)
{
  VigilPollerStats stats;

  vigil_poller_get_stats (f->poller, &stats);
  g_assert_cmpuint (stats.n_in_flight, ==, 0);
  g_assert_cmpuint (stats.requests, >, 0);
  g_assert_cmpuint (stats.requests, ==, vigil_demo_server_get_total_requests (f->server));
  g_assert_cmpuint (stats.requests, ==, vigil_poller_get_total_requests (f->poller));
  g_assert_cmpuint (stats.batch_requests, ==,
                    vigil_demo_server_get_request_count (f->server, "/api/progress"));
  g_assert_cmpuint (stats.bytes_received, ==, vigil_demo_server_get_response_bytes (f->server));
  g_assert_cmpuint (stats.batch_answers, <=, stats.batch_requests);
  g_assert_cmpfloat (stats.average_delay_ms, ==, vigil_poller_get_average_delay (f->poller));
  g_assert_cmpuint (stats.requests_last_minute, <=, stats.requests);
}

static void
test_counts (Fixture       *f,
             gconstpointer  data)
{
  gint64 started = g_get_monotonic_time ();
  VigilJob *first = add_job (f, 8);
  VigilJob *second = add_job (f, 3);
  g_autoptr(GPtrArray) stats = NULL;
  VigilPollerStats totals;
  VigilPollInput input;
  VigilPollDecision decision;
  VigilPollSettings settings;

  g_assert_true (wait_for (f, second_is_queued, 20000));

  /* Every request answered: the server has counted each one. */
  stats = vigil_poller_dup_job_stats (f->poller);
  g_assert_cmpuint (stats->len, ==, 2);
  g_assert_true (((VigilPollerJobStats *) g_ptr_array_index (stats, 0))->job == first);
  for (guint i = 0; i < stats->len; i++)
    {
      VigilPollerJobStats *s = g_ptr_array_index (stats, i);
      const char *id = vigil_job_get_job_id (s->job);

      g_assert_cmpstr (s->server, ==, vigil_poller_get_server_host (f->poller));
      g_assert_cmpuint (s->info.requests, >, 0);
      g_assert_cmpuint (s->batched, <=, s->info.requests);
      /* Its own requests went to its progress or job record paths. */
      g_assert_cmpuint (s->info.requests - s->batched, ==,
                        vigil_demo_server_get_job_request_count (f->server, id));
      g_assert_cmpuint (s->info.errors, ==, 0);
      g_assert_cmpfloat (s->info.tracked_for_s, >, 0);
      g_assert_cmpfloat (s->info.next_poll_in_s, >=, 0);
      g_assert_cmpfloat (s->info.next_poll_in_s, <=, s->info.delay_ms / 1000.0 + 0.001);
      g_assert_cmpstr (vigil_job_text_poll_reason (s->info.reason), !=, "");
    }
  check_totals (f);
  vigil_poller_get_stats (f->poller, &totals);
  g_assert_cmpuint (totals.n_tracked, ==, 2);
  g_assert_cmpint (totals.health, ==, VIGIL_SERVER_HEALTH_OK);
  /* The jobs just tracked rode one batch, and it was used. */
  g_assert_cmpuint (totals.batch_requests, >=, 1);
  g_assert_cmpuint (totals.batch_answers, >=, 1);

  /* The queued job's delay and reason are the policy's. */
  vigil_poller_get_settings (f->poller, &settings);
  vigil_poll_input_init (&input);
  input.age_seconds = 11;
  input.kind = VIGIL_JOB_KIND_PLAYLIST;
  input.queued = TRUE;
  decision = vigil_poll_policy_decide (&settings, &input);
  g_assert_cmpint (stats_of (stats, second)->info.reason, ==, decision.reason);
  g_assert_cmpuint (stats_of (stats, second)->info.delay_ms, ==, decision.delay_ms);
  g_assert_cmpstr (vigil_job_text_poll_reason (decision.reason), ==, "Waiting for a worker");
  /* The running one: a progress rule. */
  g_assert_true (stats_of (stats, first)->info.reason <= VIGIL_POLL_REASON_FINAL ||
                 stats_of (stats, first)->info.reason == VIGIL_POLL_REASON_FINAL_APPROACH);

  g_assert_true (wait_for (f, all_finished, 60000));
  check_totals (f);
  vigil_poller_get_stats (f->poller, &totals);
  g_assert_cmpuint (totals.n_tracked, ==, 0);
  g_clear_pointer (&stats, g_ptr_array_unref);
  stats = vigil_poller_dup_job_stats (f->poller);
  g_assert_cmpuint (stats->len, ==, 0);
  /* Every request of a run shorter than a minute counts in the rate. */
  if (g_get_monotonic_time () - started < 55 * G_USEC_PER_SEC)
    g_assert_cmpuint (totals.requests_last_minute, ==, totals.requests);
}

/* ------------------------------------------------------------------ */
/* Not signed in, and the debug log                                    */
/* ------------------------------------------------------------------ */

static void
collect_line (GLogLevelFlags  level,
              const char     *line,
              gpointer        user_data)
{
  g_ptr_array_add (user_data, g_strdup (line));
}

static gboolean
not_signed_in (Fixture *f)
{
  return vigil_poller_get_server_health (f->poller) == VIGIL_SERVER_HEALTH_NOT_SIGNED_IN &&
         vigil_poller_get_n_in_flight (f->poller) == 0;
}

static gboolean
signed_in_and_polled (Fixture *f)
{
  g_autoptr(GPtrArray) stats = vigil_poller_dup_job_stats (f->poller);

  return vigil_poller_get_server_health (f->poller) == VIGIL_SERVER_HEALTH_OK &&
         stats->len == 1 &&
         ((VigilPollerJobStats *) g_ptr_array_index (stats, 0))->info.reason != VIGIL_POLL_REASON_SIGN_IN &&
         vigil_poller_get_n_in_flight (f->poller) == 0;
}

static void
assert_no_secret (GPtrArray *lines)
{
  for (guint i = 0; i < lines->len; i++)
    {
      const char *line = g_ptr_array_index (lines, i);

      if (strstr (line, TOKEN) != NULL)
        g_error ("a debug line carries the token: %s", line);
    }
}

static void
test_sign_in_and_log (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) stats = NULL;
  VigilPollerJobStats *s;
  VigilPollDecision decision;
  VigilPollSettings settings;

  vigil_debug_log_set_sink (collect_line, lines);
  vigil_debug_log_set_enabled (TRUE);
  g_assert_true (vigil_debug_log_get_enabled ());

  /* A wrong token first: the server wants a sign-in. */
  vigil_api_client_set_token (f->client, "wrong-" TOKEN);
  add_job (f, 3);
  g_assert_true (wait_for (f, not_signed_in, 20000));
  stats = vigil_poller_dup_job_stats (f->poller);
  g_assert_cmpuint (stats->len, ==, 1);
  s = g_ptr_array_index (stats, 0);
  vigil_poller_get_settings (f->poller, &settings);
  decision = vigil_poll_policy_decide_probe (&settings, VIGIL_SERVER_HEALTH_NOT_SIGNED_IN, 0, -1);
  g_assert_cmpint (s->info.reason, ==, VIGIL_POLL_REASON_SIGN_IN);
  g_assert_cmpint (s->info.reason, ==, decision.reason);
  g_assert_cmpuint (s->info.delay_ms, ==, decision.delay_ms);
  g_assert_cmpstr (vigil_job_text_poll_reason (s->info.reason), ==, "Not signed in: one slow probe");
  g_assert_cmpuint (s->info.requests, ==,
                    vigil_demo_server_get_total_requests (f->server));

  /* The right token, then as a cookie: polled again. */
  vigil_api_client_set_token (f->client, TOKEN);
  g_assert_true (wait_for (f, signed_in_and_polled, 20000));
  vigil_api_client_set_token (f->client, NULL);
  vigil_api_client_set_cookie (f->client, "session=" TOKEN);
  vigil_poller_poll_now (f->poller, g_ptr_array_index (f->jobs, 0));
  g_assert_true (wait_for (f, all_finished, 30000));
  check_totals (f);

  /* The log was on and spoke of the requests, never of the token. */
  g_assert_cmpuint (lines->len, >, 5);
  assert_no_secret (lines);

  /* Off: nothing more. */
  g_ptr_array_set_size (lines, 0);
  vigil_debug_log_set_enabled (FALSE);
  g_debug ("not written");
  g_assert_cmpuint (lines->len, ==, 0);
  vigil_debug_log_set_enabled (TRUE);
  g_debug ("written: Authorization: Bearer %s", TOKEN);
  g_assert_cmpuint (lines->len, >=, 1);
  assert_no_secret (lines);

  vigil_debug_log_set_sink (NULL, NULL);
  vigil_debug_log_set_enabled (FALSE);
}

/* The real output, as G_MESSAGES_DEBUG=Vigil gives it at start: a child
 * polls a token-protected server with a token, then with a cookie. */
static void
test_stdout_has_no_secret (void)
{
  if (g_test_subprocess ())
    {
      Fixture f = { 0 };

      g_setenv ("G_MESSAGES_DEBUG", "Vigil", TRUE);
      vigil_debug_log_init ();
      g_assert_true (vigil_debug_log_get_enabled ());
      fixture_setup (&f, TOKEN);
      vigil_api_client_set_cookie (f.client, "session=" TOKEN);
      add_job (&f, 2);
      g_assert_true (wait_for (&f, all_finished, 30000));
      g_debug ("a message quoting it: Cookie: session=%s", TOKEN);
      fixture_teardown (&f, TOKEN);
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*Vigil-DEBUG: *GET /api/*");
  g_test_trap_assert_stdout ("*Cookie: [redacted]*");
  g_test_trap_assert_stdout_unmatched ("*" TOKEN "*");
  g_test_trap_assert_stderr_unmatched ("*" TOKEN "*");
}

static void
test_redact (void)
{
  static const struct { const char *in, *out; } cases[] = {
    { "GET /api/progress -> 200", "GET /api/progress -> 200" },
    { "Authorization: Bearer abc def", "Authorization: [redacted]" },
    { "bearer abc, next", "bearer [redacted], next" },
    { "Cookie: session=abc; other=def\nnext", "Cookie: [redacted]\nnext" },
    { "sent session=abc;x", "sent session=[redacted];x" },
    { "url?token=abc&b=1", "url?token=[redacted]&b=1" },
    { "TOKEN=\"abc\"", "TOKEN=\"abc\"" },
    { "password=hunter2 ok", "password=[redacted] ok" },
    { "token=", "token=" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = vigil_debug_log_redact (cases[i].in);

      g_assert_cmpstr (out, ==, cases[i].out);
    }
  g_assert_null (vigil_debug_log_redact (NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/vigil/poller-stats/counts", Fixture, NULL,
              fixture_setup, test_counts, fixture_teardown);
  g_test_add ("/vigil/poller-stats/sign-in-and-log", Fixture, TOKEN,
              fixture_setup, test_sign_in_and_log, fixture_teardown);
  g_test_add_func ("/vigil/poller-stats/redact", test_redact);
  g_test_add_func ("/vigil/poller-stats/stdout-has-no-secret", test_stdout_has_no_secret);

  return g_test_run ();
}
