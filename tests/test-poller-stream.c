/* test-poller-stream.c — the poller's GET /api/progress read as it arrives:
 * a batch answer that breaks midway keeps the records read before the
 * break, and fails every other job of the batch as a failed batch does
 * (tracked still, its error shown, asked again).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

#include "vigil-poller.h"
#include "vigil-test-timeout.h"

#define N_JOBS 4

static const char *const job_ids[N_JOBS] = { "j1", "j2", "j3", "j4" };

typedef struct
{
  SoupServer     *server;
  VigilApiClient *client;
  VigilPoller    *poller;
  VigilJob       *jobs[N_JOBS];
  const char     *broken;     /* the first batch answer's body */
  guint           n_batches;
  guint           n_singles;
  GString        *log;        /* what the jobs heard, in order */
} Fixture;

/* ------------------------------------------------------------------ */
/* The server                                                          */
/* ------------------------------------------------------------------ */

static char *
progress_json (const char *job_id,
               double      fraction)
{
  return g_strdup_printf ("{\"job_id\": \"%s\", \"job_type\": \"playlist_analysis\","
                          " \"status\": \"in_progress\", \"current_progress\": %g,"
                          " \"total_items\": 100, \"completed_items\": %d,"
                          " \"current_message\": \"Analyzing 'A \\\"}{\\\" song' by B\"}",
                          job_id, fraction, (int) (fraction * 100));
}

static char *
batch_json (void)
{
  GString *out = g_string_new ("{\"success\": true, \"active_jobs\": {");

  for (guint i = 0; i < N_JOBS; i++)
    {
      g_autofree char *one = progress_json (job_ids[i], 0.75);

      g_string_append_printf (out, "%s\"%s\": %s", i > 0 ? ", " : "", job_ids[i], one);
    }
  g_string_append_printf (out, "}, \"total_active\": %d}", N_JOBS);
  return g_string_free (out, FALSE);
}

/* The body in pieces of a few bytes: each its own chunk on the wire. */
static void
answer_chunked (SoupServerMessage *msg,
                const char        *body)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SoupMessageBody *out = soup_server_message_get_response_body (msg);
  gsize len = strlen (body);

  soup_server_message_set_status (msg, 200, NULL);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_headers_set_content_type (headers, "application/json", NULL);
  for (gsize at = 0; at < len; at += 13)
    soup_message_body_append (out, SOUP_MEMORY_COPY, body + at, MIN (13, len - at));
  soup_message_body_complete (out);
}

static void
handle (SoupServer        *server,
        SoupServerMessage *msg,
        const char        *path,
        GHashTable        *query,
        gpointer           user_data)
{
  Fixture *f = user_data;
  g_autofree char *body = NULL;

  if (strcmp (path, "/api/progress") == 0)
    {
      /* The first batch answer breaks after two jobs; the next are whole. */
      if (f->n_batches++ == 0)
        {
          answer_chunked (msg, f->broken);
          return;
        }
      body = batch_json ();
    }
  else if (g_str_has_prefix (path, "/api/progress/"))
    {
      g_autofree char *one = progress_json (path + strlen ("/api/progress/"), 0.75);

      f->n_singles++;
      body = g_strdup_printf ("{\"success\": true, \"progress\": %s}", one);
    }
  else if (g_str_has_prefix (path, "/api/jobs/") && g_str_has_suffix (path, "/status"))
    {
      g_autofree char *id = g_strndup (path + strlen ("/api/jobs/"),
                                       strlen (path) - strlen ("/api/jobs/") - strlen ("/status"));
      g_autofree char *one = progress_json (id, 0.75);

      f->n_singles++;
      body = g_strdup_printf ("{\"job\": {\"job_id\": \"%s\", \"status\": \"in_progress\","
                              " \"job_type\": \"playlist_analysis\", \"progress\": %s}}", id, one);
    }
  else
    {
      soup_server_message_set_status (msg, 404, NULL);
      return;
    }

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body, strlen (body));
}

/* ------------------------------------------------------------------ */
/* Fixture                                                             */
/* ------------------------------------------------------------------ */

static void
on_fraction (VigilJob   *job,
             GParamSpec *pspec,
             Fixture    *f)
{
  g_string_append_printf (f->log, "%s fraction %.2f\n", vigil_job_get_job_id (job),
                          vigil_job_get_fraction (job));
}

static void
on_tracking_error (VigilJob   *job,
                   GParamSpec *pspec,
                   Fixture    *f)
{
  g_autofree char *error = NULL;

  g_object_get (job, "tracking-error", &error, NULL);
  g_string_append_printf (f->log, "%s error %s\n", vigil_job_get_job_id (job),
                          error != NULL ? error : "none");
}

static void
setup (Fixture       *f,
       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;
  g_autofree char *url = NULL;

  f->broken = data;
  f->log = g_string_new (NULL);
  f->server = soup_server_new ("server-header", "vigil-test", NULL);
  soup_server_add_handler (f->server, NULL, handle, f, NULL);
  soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (f->server);
  url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  f->client = vigil_api_client_new (url, &error);
  g_assert_no_error (error);
  vigil_api_client_set_timeout (f->client, 10);
  f->poller = g_object_new (VIGIL_TYPE_POLLER,
                            "client", f->client,
                            "time-scale", 0.1,
                            "jitter", 0.0,
                            NULL);
}

static void
teardown (Fixture       *f,
          gconstpointer  data)
{
  for (guint i = 0; i < N_JOBS; i++)
    {
      if (f->jobs[i] == NULL)
        continue;
      g_signal_handlers_disconnect_by_data (f->jobs[i], f);
      g_clear_object (&f->jobs[i]);
    }
  g_assert_finalize_object (f->poller);
  /* The request cancelled with the poller lets the client go. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (f->client);
  soup_server_disconnect (f->server);
  g_assert_finalize_object (f->server);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_string_free (f->log, TRUE);
}

static gboolean
on_limit (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
all_at (Fixture *f,
        double   fraction)
{
  for (guint i = 0; i < N_JOBS; i++)
    if (vigil_job_get_fraction (f->jobs[i]) < fraction)
      return FALSE;
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Tests                                                               */
/* ------------------------------------------------------------------ */

static void
test_broken_batch (Fixture       *f,
                   gconstpointer  data)
{
  gboolean timed_out = FALSE;
  guint limit;

  for (guint i = 0; i < N_JOBS; i++)
    {
      f->jobs[i] = vigil_job_new (job_ids[i], VIGIL_JOB_KIND_PLAYLIST, 1);
      g_signal_connect (f->jobs[i], "notify::fraction", G_CALLBACK (on_fraction), f);
      g_signal_connect (f->jobs[i], "notify::tracking-error", G_CALLBACK (on_tracking_error), f);
      vigil_poller_track (f->poller, f->jobs[i]);
    }

  /* Every job is asked again and hears the whole answers that follow. */
  limit = g_timeout_add (vigil_test_limit_ms (30000), on_limit, &timed_out);
  while (!timed_out && !all_at (f, 0.75))
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (limit);
  g_test_message ("%u batches, %u single requests:\n%s", f->n_batches, f->n_singles, f->log->str);
  g_assert_false (timed_out);
  g_assert_cmpuint (f->n_batches, >=, 1);

  for (guint i = 0; i < N_JOBS; i++)
    {
      g_autofree char *first = g_strdup_printf ("%s fraction 0.25\n", job_ids[i]);
      g_autofree char *failed = g_strdup_printf ("%s error The server's answer is not JSON\n",
                                                 job_ids[i]);
      g_autofree char *later = g_strdup_printf ("%s fraction 0.75\n", job_ids[i]);
      const char *at_first = strstr (f->log->str, first);
      const char *at_failed = strstr (f->log->str, failed);

      g_assert_true (vigil_poller_is_tracking (f->poller, f->jobs[i]));
      if (i < 2)
        {
          /* Read before the break: applied, and never failed. */
          g_assert_nonnull (at_first);
          g_assert_null (at_failed);
        }
      else
        {
          /* Not reached: failed with the batch, then asked again. */
          g_assert_null (at_first);
          g_assert_nonnull (at_failed);
          g_assert_nonnull (strstr (at_failed, later));
        }
    }
}

#define P(id) "\"" id "\": {\"job_id\": \"" id "\", \"status\": \"in_progress\"," \
  " \"current_progress\": 0.25, \"total_items\": 100, \"completed_items\": 25}"

static const struct
{
  const char *name;
  const char *body;
} broken_bodies[] = {
  { "truncated", "{\"success\": true, \"active_jobs\": {" P ("j1") ", " P ("j2") ", \"j3\": {\"job_id\": \"j3\", \"current_progress\": 0." },
  { "html-midway", "{\"success\": true, \"active_jobs\": {" P ("j1") ", " P ("j2") ", <html><body>Sign in</body></html>" },
  { "broken-member", "{\"success\": true, \"active_jobs\": {" P ("j1") ", " P ("j2") ", \"j3\": {\"job_id\": \"j3\", \"current_progress\": 0.2.5}, " P ("j4") "}}" },
};

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (broken_bodies); i++)
    {
      g_autofree char *path = g_strdup_printf ("/vigil/poller-stream/%s", broken_bodies[i].name);

      g_test_add (path, Fixture, broken_bodies[i].body, setup, test_broken_batch, teardown);
    }

  return g_test_run ();
}
